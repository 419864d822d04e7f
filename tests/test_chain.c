/*
 * test_chain.c - chain_analyse(): the leaf found by structure, the path
 * built to the trust store's roots (cross-signs included), loops and
 * oversized inputs, and the facts the chain rules read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/x509_vfy.h>

#include "judge.h"

#define FQDN "pbx.example.test"
#define AIA_URL "http://pki.example.test/issuing.der"

static struct judge_env env;
static X509 *leaf;		/* good leaf under the test intermediate */

static int
group_setup(void **state)
{
	(void)state;
	if (judge_env_init(&env) == -1)
		return -1;
	if ((leaf = pki_world_leaf(&env.w, FQDN)) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(leaf);
	judge_env_free(&env);
	return 0;
}

static const char *
chain_status_name(enum chain_status st)
{
	switch (st) {
	case CHAIN_VERIFIED:
		return "verified";
	case CHAIN_UNTRUSTED_ROOT:
		return "untrusted root";
	case CHAIN_ISSUER_MISSING:
		return "issuer missing";
	case CHAIN_INVALID:
		return "invalid";
	default:
		return "?";
	}
}

#define assert_chain_status(c, want) \
	assert_string_equal(chain_status_name((c)->status), \
	    chain_status_name(want))

/*
 * chain_analyse() of the certificates given (up to NULL) against trust,
 * expecting it to judge them.  Call chain_free(c) afterwards.
 */
static void
analyse(const struct trust *trust, EVP_PKEY *key, struct chain_facts *c,
    X509 *first, ...)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *err = NULL;
	va_list ap;
	X509 *x;
	int rc;

	assert_non_null(certs);
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		assert_int_not_equal(sk_X509_push(certs, x), 0);
	va_end(ap);
	rc = chain_analyse(trust, certs, key, c, &err);
	if (rc != 0)
		print_error("chain_analyse: %s\n", err);
	free(err);
	assert_int_equal(rc, 0);
	sk_X509_free(certs);	/* borrowed certificates */
}

/* The path as "0 1 2", to compare with assert_string_equal. */
static char *
path_str(const struct chain_facts *c)
{
	struct buf b = { 0 };
	size_t i;

	buf_adds(&b, "");
	for (i = 0; i < c->path_len; i++)
		buf_addf(&b, "%s%zu", i > 0 ? " " : "", c->path[i]);
	return buf_steal(&b);
}

#define assert_path(c, want) do { \
	char *p_ = path_str(c); \
	assert_string_equal(p_, (want)); \
	free(p_); \
} while (0)

/* The leaf */

static void
test_chain_analyse_leaf_not_first_is_found_by_structure(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, env.w.intermediate, leaf, NULL);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.leaf, 1);
	assert_false(c.leaf_ambiguous);
	assert_string_equal(chain_leaf(&c)->subject, "CN=" FQDN);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_path(&c, "1 0");
	assert_false(c.signed_by_next[0]);
	chain_free(&c);
}

static void
test_chain_analyse_shuffled_chain_with_root_finds_leaf_and_path(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, env.w.intermediate, env.w.root, leaf,
	    NULL);
	assert_int_equal(c.leaf, 2);
	assert_false(c.leaf_ambiguous);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_path(&c, "2 0 1");
	assert_int_equal(c.anchor_input, 1);
	chain_free(&c);
}

static void
test_chain_analyse_single_leaf_is_the_leaf_and_not_ambiguous(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, leaf, NULL);
	assert_int_equal(c.leaf, 0);
	assert_false(c.leaf_ambiguous);
	chain_free(&c);
}

static void
test_chain_analyse_two_unrelated_leaves_are_ambiguous(void **state)
{
	X509 *other = pki_world_other_leaf(&env.w, "other.example.test");
	struct chain_facts c;

	(void)state;
	assert_non_null(other);
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, other, NULL);
	assert_true(c.leaf_ambiguous);
	assert_int_equal(c.leaf, 0);
	assert_chain_status(&c, CHAIN_VERIFIED);
	chain_free(&c);
	X509_free(other);
}

static void
test_chain_analyse_unrelated_ca_first_leaf_is_first_non_ca(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, env.w.other_root, leaf,
	    env.w.intermediate, NULL);
	assert_true(c.leaf_ambiguous);
	assert_int_equal(c.leaf, 1);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_path(&c, "1 2");
	chain_free(&c);
}

/* The path and the anchor */

static void
test_chain_analyse_root_included_is_on_the_path_as_anchor_input(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, env.w.root,
	    NULL);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_int_equal(c.verify_error, X509_V_OK);
	assert_path(&c, "0 1 2");
	assert_true(c.has_anchor);
	assert_int_equal(c.anchor_input, 2);
	assert_null(c.anchor_info);	/* a --trust-store root */
	assert_string_equal(c.anchor.subject, c.certs[2].subject);
	assert_true(c.signed_by_next[0]);
	assert_true(c.signed_by_next[1]);
	assert_false(c.signed_by_next[2]);
	chain_free(&c);
}

static void
test_chain_analyse_root_from_the_store_is_not_on_the_path(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, NULL);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_path(&c, "0 1");
	assert_true(c.has_anchor);
	assert_int_equal(c.anchor_input, -1);
	assert_string_equal(c.anchor.subject,
	    "CN=BWC Test Root CA,O=BWC Test PKI,C=US");
	chain_free(&c);
}

struct visit {
	char order[64];
	size_t n;
};

static void
visit(const struct cert_facts *f, int idx, void *arg)
{
	struct visit *v = arg;
	size_t len = strlen(v->order);

	(void)f;
	snprintf(v->order + len, sizeof(v->order) - len, "%s%d",
	    len > 0 ? " " : "", idx);
	v->n++;
}

static void
test_chain_foreach_visits_the_path_then_a_store_anchor(void **state)
{
	struct chain_facts c;
	struct visit v;

	(void)state;
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, NULL);
	memset(&v, 0, sizeof(v));
	chain_foreach(&c, visit, &v);
	assert_string_equal(v.order, "0 1 -1");
	chain_free(&c);

	/* With the root in the input it is visited once, by its index. */
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, env.w.root,
	    NULL);
	memset(&v, 0, sizeof(v));
	chain_foreach(&c, visit, &v);
	assert_string_equal(v.order, "0 1 2");
	chain_free(&c);

	/* An unused certificate after the path is not visited. */
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate,
	    env.w.other_root, NULL);
	memset(&v, 0, sizeof(v));
	chain_foreach(&c, visit, &v);
	assert_string_equal(v.order, "0 1 -1");
	chain_free(&c);
}

/*
 * Let's Encrypt's shape: leaf <- YR1 <- Root YR (cross-signed by the
 * anchor) <- anchor.  The self-signed Root YR is not trusted; the
 * cross-signed one, an untrusted intermediate from the input, leads to
 * the test root.
 */
struct cross {
	X509 *yr_self;		/* self-signed "BWC YR Root" */
	X509 *yr_cross;		/* the same subject and key, issued by the test root */
	X509 *yr1;		/* intermediate under BWC YR Root */
	X509 *leaf;		/* leaf under yr1 */
};

static void
cross_build(struct cross *x)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);

	/* CA keys reused under other names: no new key to generate. */
	x->yr_self = judge_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC YR Root",
		.ca = true, .key = env.w.other_root_key,
	});
	x->yr_cross = judge_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC YR Root",
		.ca = true, .key = env.w.other_root_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	x->yr1 = judge_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC YR1",
		.ca = true, .has_pathlen = true, .pathlen = 0,
		.key = env.w.other_intermediate_key,
		.issuer = x->yr_self, .issuer_key = env.w.other_root_key,
	});
	spec.issuer = x->yr1;
	spec.issuer_key = env.w.other_intermediate_key;
	x->leaf = judge_issue(&spec);
}

static void
cross_free(struct cross *x)
{
	X509_free(x->yr_self);
	X509_free(x->yr_cross);
	X509_free(x->yr1);
	X509_free(x->leaf);
}

static void
test_chain_analyse_cross_signed_intermediate_verifies_to_the_anchor(void **state)
{
	struct cross x;
	struct chain_facts c;

	(void)state;
	cross_build(&x);
	analyse(env.trust, NULL, &c, x.leaf, x.yr1, x.yr_cross, NULL);
	if (c.status != CHAIN_VERIFIED)
		print_error("verify error: %s\n", c.verify_error_str);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_path(&c, "0 1 2");
	assert_int_equal(c.anchor_input, -1);
	assert_string_equal(c.anchor.subject,
	    "CN=BWC Test Root CA,O=BWC Test PKI,C=US");
	assert_true(c.signed_by_next[0]);
	assert_true(c.signed_by_next[1]);
	chain_free(&c);
	cross_free(&x);
}

static void
test_chain_analyse_cross_sign_with_self_signed_version_after_it_verifies(void **state)
{
	struct cross x;
	struct chain_facts c;

	(void)state;
	cross_build(&x);
	analyse(env.trust, NULL, &c, x.leaf, x.yr1, x.yr_cross, x.yr_self,
	    NULL);
	if (c.status != CHAIN_VERIFIED)
		print_error("verify error: %s\n", c.verify_error_str);
	assert_chain_status(&c, CHAIN_VERIFIED);
	assert_int_equal(c.leaf, 0);
	assert_path(&c, "0 1 2");
	chain_free(&c);
	cross_free(&x);
}

static void
test_chain_analyse_cross_sign_with_self_signed_version_before_it_verifies(void **state)
{
	struct cross x;
	struct chain_facts c;

	(void)state;
	enum chain_status status;
	char *path;

	cross_build(&x);
	analyse(env.trust, NULL, &c, x.leaf, x.yr1, x.yr_self, x.yr_cross,
	    NULL);
	if (c.status != CHAIN_VERIFIED)
		print_error("verify error: %s\n", c.verify_error_str);
	/* Freed before asserting, so a failure reports no leak. */
	status = c.status;
	path = path_str(&c);
	chain_free(&c);
	cross_free(&x);
	if (status != CHAIN_VERIFIED)
		free(path);
	assert_string_equal(chain_status_name(status),
	    chain_status_name(CHAIN_VERIFIED));
	assert_string_equal(path, "0 1 3");
	free(path);
}

static void
test_chain_analyse_cross_sign_missing_is_issuer_missing(void **state)
{
	struct cross x;
	struct chain_facts c;

	(void)state;
	cross_build(&x);
	analyse(env.trust, NULL, &c, x.leaf, x.yr1, NULL);
	assert_chain_status(&c, CHAIN_ISSUER_MISSING);
	assert_int_equal(c.top, 1);
	assert_string_equal(c.missing_issuer,
	    "CN=BWC YR Root,O=BWC Test PKI,C=US");
	chain_free(&c);
	cross_free(&x);
}

/* Failures to verify */

static void
test_chain_analyse_leaf_only_records_the_missing_issuer_and_aia(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct chain_facts c;
	X509 *aia_leaf;

	(void)state;
	spec.aia_ca_issuers = AIA_URL;
	aia_leaf = judge_issue(&spec);
	analyse(env.trust, NULL, &c, aia_leaf, NULL);
	assert_chain_status(&c, CHAIN_ISSUER_MISSING);
	assert_false(c.has_anchor);
	assert_int_equal(c.top, 0);
	assert_string_equal(c.missing_issuer,
	    "CN=BWC Test Issuing CA,O=BWC Test PKI,C=US");
	assert_string_equal(c.missing_issuer_aia, AIA_URL);
	assert_non_null(c.verify_error_str);
	chain_free(&c);
	X509_free(aia_leaf);
}

static void
test_chain_analyse_unlisted_root_is_untrusted_root_at_the_top(void **state)
{
	X509 *other = pki_world_other_leaf(&env.w, FQDN);
	struct chain_facts c;

	(void)state;
	assert_non_null(other);
	analyse(env.trust, NULL, &c, other, env.w.other_intermediate,
	    env.w.other_root, NULL);
	assert_chain_status(&c, CHAIN_UNTRUSTED_ROOT);
	assert_int_equal(c.top, 2);
	assert_false(c.has_anchor);
	assert_int_equal(c.verify_error, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);
	chain_free(&c);
	X509_free(other);
}

static void
test_chain_analyse_bad_signature_is_invalid(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct chain_facts c;
	X509 *forged;

	(void)state;
	/* Names and key identifiers say the intermediate; another key signed. */
	spec.issuer_key = env.w.other_intermediate_key;
	forged = judge_issue(&spec);
	analyse(env.trust, NULL, &c, forged, env.w.intermediate, NULL);
	assert_int_equal(c.leaf, 0);
	assert_false(c.signed_by_next[0]);
	assert_chain_status(&c, CHAIN_INVALID);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	chain_free(&c);
	X509_free(forged);
}

/* A signs B signs A: no leaf, no root, and an answer all the same. */
static void
test_chain_analyse_loop_terminates_with_a_verdict(void **state)
{
	X509 *b0, *a, *b;
	struct chain_facts c;
	struct subject s;
	struct run run;

	(void)state;
	/* A hang fails the test instead of stalling the suite. */
	alarm(20);
	b0 = judge_issue(&(struct pki_spec){ .cn = "BWC Loop B", .ca = true,
	    .key = env.w.other_intermediate_key });
	a = judge_issue(&(struct pki_spec){ .cn = "BWC Loop A", .ca = true,
	    .key = env.w.other_root_key,
	    .issuer = b0, .issuer_key = env.w.other_intermediate_key });
	b = judge_issue(&(struct pki_spec){ .cn = "BWC Loop B", .ca = true,
	    .key = env.w.other_intermediate_key,
	    .issuer = a, .issuer_key = env.w.other_root_key });
	analyse(env.trust, NULL, &c, a, b, NULL);
	assert_true(c.signed_by_next[0]);	/* B signs A */
	assert_int_equal(c.leaf, 0);
	assert_int_not_equal(c.status, CHAIN_VERIFIED);
	chain_free(&c);

	judge_run_init(&run, env.trust);
	judge(&run, NULL, NULL, &s, b, a, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(a);
	X509_free(b);
	X509_free(b0);
	alarm(0);
}

/* Sizes */

static STACK_OF(X509) *
copies(X509 *x, int n)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	int i;

	assert_non_null(sk);
	for (i = 0; i < n; i++) {
		assert_int_equal(X509_up_ref(x), 1);
		assert_int_not_equal(sk_X509_push(sk, x), 0);
	}
	return sk;
}

static void
test_chain_analyse_more_than_max_certificates_is_an_error(void **state)
{
	STACK_OF(X509) *sk = copies(leaf, CHAIN_MAX_CERTS + 1);
	struct chain_facts c;
	char *err = NULL, *want;

	(void)state;
	assert_int_equal(chain_analyse(env.trust, sk, NULL, &c, &err), -1);
	want = xasprintf("%d certificates: more than %d", CHAIN_MAX_CERTS + 1,
	    CHAIN_MAX_CERTS);
	assert_contains(err, want);
	free(want);
	free(err);
	chain_free(&c);
	sk_X509_pop_free(sk, X509_free);
}

static void
test_chain_analyse_exactly_max_certificates_is_judged(void **state)
{
	STACK_OF(X509) *sk = copies(leaf, CHAIN_MAX_CERTS);
	struct chain_facts c;
	char *err = NULL;

	(void)state;
	assert_int_equal(chain_analyse(env.trust, sk, NULL, &c, &err), 0);
	assert_null(err);
	assert_int_equal(c.n, CHAIN_MAX_CERTS);
	chain_free(&c);
	sk_X509_pop_free(sk, X509_free);
}

static void
test_chain_analyse_no_certificate_is_an_error(void **state)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	struct chain_facts c;
	char *err = NULL;

	(void)state;
	assert_non_null(sk);
	assert_int_equal(chain_analyse(env.trust, sk, NULL, &c, &err), -1);
	assert_string_equal(err, "no certificate");
	free(err);
	chain_free(&c);
	sk_X509_free(sk);
}

/* The key */

static void
test_chain_analyse_key_facts_record_type_and_match(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, env.w.leaf_key, &c, leaf, env.w.intermediate, NULL);
	assert_true(c.has_key);
	assert_true(c.key_matches);
	assert_string_equal(c.key_type, "RSA-2048");
	chain_free(&c);

	analyse(env.trust, env.w.root_key, &c, leaf, env.w.intermediate, NULL);
	assert_true(c.has_key);
	assert_false(c.key_matches);
	chain_free(&c);

	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, NULL);
	assert_false(c.has_key);
	chain_free(&c);
}

static void
test_chain_free_twice_is_harmless(void **state)
{
	struct chain_facts c;

	(void)state;
	analyse(env.trust, NULL, &c, leaf, env.w.intermediate, NULL);
	chain_free(&c);
	chain_free(&c);
	chain_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_analyse_leaf_not_first_is_found_by_structure),
		cmocka_unit_test(test_chain_analyse_shuffled_chain_with_root_finds_leaf_and_path),
		cmocka_unit_test(test_chain_analyse_single_leaf_is_the_leaf_and_not_ambiguous),
		cmocka_unit_test(test_chain_analyse_two_unrelated_leaves_are_ambiguous),
		cmocka_unit_test(test_chain_analyse_unrelated_ca_first_leaf_is_first_non_ca),
		cmocka_unit_test(test_chain_analyse_root_included_is_on_the_path_as_anchor_input),
		cmocka_unit_test(test_chain_analyse_root_from_the_store_is_not_on_the_path),
		cmocka_unit_test(test_chain_foreach_visits_the_path_then_a_store_anchor),
		cmocka_unit_test(test_chain_analyse_cross_signed_intermediate_verifies_to_the_anchor),
		cmocka_unit_test(test_chain_analyse_cross_sign_with_self_signed_version_after_it_verifies),
		cmocka_unit_test(test_chain_analyse_cross_sign_with_self_signed_version_before_it_verifies),
		cmocka_unit_test(test_chain_analyse_cross_sign_missing_is_issuer_missing),
		cmocka_unit_test(test_chain_analyse_leaf_only_records_the_missing_issuer_and_aia),
		cmocka_unit_test(test_chain_analyse_unlisted_root_is_untrusted_root_at_the_top),
		cmocka_unit_test(test_chain_analyse_bad_signature_is_invalid),
		cmocka_unit_test(test_chain_analyse_loop_terminates_with_a_verdict),
		cmocka_unit_test(test_chain_analyse_more_than_max_certificates_is_an_error),
		cmocka_unit_test(test_chain_analyse_exactly_max_certificates_is_judged),
		cmocka_unit_test(test_chain_analyse_no_certificate_is_an_error),
		cmocka_unit_test(test_chain_analyse_key_facts_record_type_and_match),
		cmocka_unit_test(test_chain_free_twice_is_harmless),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

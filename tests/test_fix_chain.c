/*
 * test_fix_chain.c - chain_fix(): the leaf found among anything given,
 * the path written leaf first without the root or strangers, and a
 * missing intermediate fetched (through a fake fetcher: no network) and
 * used only when its signature on the child verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/x509v3.h>

#include "judge.h"
#include "x509/chain_fix.h"

#define FQDN "pbx.example.test"
#define URL_ISSUING "http://aia.example.test/issuing.der"
#define URL_MID1 "http://aia.example.test/policy-ca.der"
#define URL_MID2 "http://aia.example.test/deep-issuing.der"
#define URL_LOOP "http://aia.example.test/loop.der"

static struct judge_env env;
static X509 *leaf;		/* good leaf under the test intermediate */
static X509 *aia_leaf;		/* the same, naming URL_ISSUING */
static X509 *other_leaf;	/* under "Other Test Issuing CA" */
static X509 *second_leaf;	/* another name and key, under the test intermediate */
static X509 *impostor;		/* "BWC Test Issuing CA"'s name and SKID, another key */
/* root -> mid1 -> mid2 -> deep_leaf, each naming its issuer's URL */
static X509 *mid1, *mid2, *deep_leaf;
/* loop_ca names URL_LOOP as its issuer's place, and so does loop_leaf */
static X509 *loop_ca, *loop_leaf;

static X509 *
ca(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    const char *aia)
{
	return pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = cn, .ca = true,
		.key = key, .issuer = issuer, .issuer_key = issuer_key,
		.aia_ca_issuers = aia,
	});
}

static int
group_setup(void **state)
{
	struct pki_spec spec;
	const ASN1_OCTET_STRING *skid;

	(void)state;
	if (judge_env_init(&env) == -1 ||
	    (leaf = pki_world_leaf(&env.w, FQDN)) == NULL ||
	    (other_leaf = pki_world_other_leaf(&env.w, FQDN)) == NULL)
		return -1;
	spec = pki_world_leaf_spec(&env.w, FQDN);
	spec.aia_ca_issuers = URL_ISSUING;
	if ((aia_leaf = pki_issue(&spec)) == NULL)
		return -1;
	spec = pki_world_leaf_spec(&env.w, "sbc.example.test");
	spec.key = pki_key_rsa_nth(2048, 7);
	if ((second_leaf = pki_issue(&spec)) == NULL)
		return -1;
	skid = X509_get0_subject_key_id(env.w.intermediate);
	if (skid == NULL)
		return -1;
	impostor = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Test Issuing CA",
		.ca = true, .key = pki_key_rsa_nth(2048, 7),
		.skid = { ASN1_STRING_get0_data(skid),
		    (size_t)ASN1_STRING_length(skid) },
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	mid1 = ca("BWC Test Policy CA", pki_key_rsa_nth(2048, 5), env.w.root,
	    env.w.root_key, NULL);
	mid2 = ca("BWC Test Deep Issuing CA", pki_key_rsa_nth(2048, 6), mid1,
	    pki_key_rsa_nth(2048, 5), URL_MID1);
	loop_ca = ca("BWC Test Loop CA", pki_key_rsa_nth(2048, 5),
	    env.w.other_root, env.w.other_root_key, URL_LOOP);
	if (impostor == NULL || mid1 == NULL || mid2 == NULL || loop_ca == NULL)
		return -1;
	spec = pki_world_leaf_spec(&env.w, FQDN);
	spec.issuer = mid2;
	spec.issuer_key = pki_key_rsa_nth(2048, 6);
	spec.aia_ca_issuers = URL_MID2;
	if ((deep_leaf = pki_issue(&spec)) == NULL)
		return -1;
	spec.issuer = loop_ca;
	spec.issuer_key = pki_key_rsa_nth(2048, 5);
	spec.aia_ca_issuers = URL_LOOP;
	if ((loop_leaf = pki_issue(&spec)) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	X509_free(leaf);
	X509_free(aia_leaf);
	X509_free(other_leaf);
	X509_free(second_leaf);
	X509_free(impostor);
	X509_free(mid1);
	X509_free(mid2);
	X509_free(deep_leaf);
	X509_free(loop_ca);
	X509_free(loop_leaf);
	judge_env_free(&env);
	return 0;
}

/* A fetcher that serves prepared bytes per URL and records each call. */
struct fake_site {
	const char *url;
	unsigned char *data;	/* owned */
	size_t len;
	const char *error;	/* fail with this instead */
};

struct fake_net {
	struct fake_site site[4];
	int n;
	int calls;
	char urls[256];		/* the URLs asked for, space-separated */
};

static int
fake_fetch(void *arg, const char *url, unsigned char **data, size_t *len,
    char **err)
{
	struct fake_net *net = arg;
	int i;

	net->calls++;
	strncat(net->urls, url, sizeof(net->urls) - strlen(net->urls) - 2);
	strcat(net->urls, " ");
	for (i = 0; i < net->n; i++) {
		if (strcmp(net->site[i].url, url) != 0)
			continue;
		if (net->site[i].error != NULL) {
			*err = xasprintf("%s: %s", url, net->site[i].error);
			return -1;
		}
		*data = xmalloc(net->site[i].len);
		memcpy(*data, net->site[i].data, net->site[i].len);
		*len = net->site[i].len;
		return 0;
	}
	*err = xasprintf("%s: HTTP status 404", url);
	return -1;
}

static void
serve_der(struct fake_net *net, const char *url, X509 *x)
{
	struct fake_site *s = &net->site[net->n++];

	s->url = url;
	s->data = pki_der(x, &s->len);
	assert_non_null(s->data);
}

static void
serve_p7(struct fake_net *net, const char *url, X509 *x)
{
	struct fake_site *s = &net->site[net->n++];
	STACK_OF(X509) *sk = pki_stack(x, NULL);

	s->url = url;
	s->data = pki_p7(sk, PKI_DER, &s->len);
	sk_X509_pop_free(sk, X509_free);
	assert_non_null(s->data);
}

static void
fake_net_free(struct fake_net *net)
{
	int i;

	for (i = 0; i < net->n; i++)
		free(net->site[i].data);
}

/*
 * chain_fix() of the certificates given (up to NULL), fetching through
 * net when it is not NULL.  Call chain_fix_free(f) afterwards.
 */
static void
fix(struct chain_fix *f, EVP_PKEY *key, struct fake_net *net, X509 *first,
    ...)
{
	struct chain_fix_opts opts = { .key = key };
	STACK_OF(X509) *in = sk_X509_new_null();
	char *err = NULL;
	va_list ap;
	X509 *x;
	int rc;

	assert_non_null(in);
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *)) {
		assert_int_equal(X509_up_ref(x), 1);
		assert_int_not_equal(sk_X509_push(in, x), 0);
	}
	va_end(ap);
	if (net != NULL) {
		opts.fetch = fake_fetch;
		opts.fetch_arg = net;
	}
	rc = chain_fix(env.trust, in, NULL, &opts, f, &err);
	if (rc != 0)
		print_error("chain_fix: %s\n", err ? err : "(no message)");
	free(err);
	sk_X509_pop_free(in, X509_free);
	assert_int_equal(rc, 0);
}

static char *
subject_cn(X509 *x)
{
	char buf[256] = "";

	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName,
	    buf, sizeof(buf));
	return xstrdup(buf);
}

/* The names of the stack's certificates, "a > b > c", for messages. */
static char *
names(STACK_OF(X509) *sk)
{
	struct buf b = { 0 };
	char *cn;
	int i;

	for (i = 0; sk != NULL && i < sk_X509_num(sk); i++) {
		cn = subject_cn(sk_X509_value(sk, i));
		buf_addf(&b, "%s%s", i > 0 ? " > " : "", cn);
		free(cn);
	}
	return buf_steal(&b);
}

/* Fail unless f wrote exactly the certificates given (up to NULL), in order. */
static void
assert_written(const struct chain_fix *f, X509 *first, ...)
{
	STACK_OF(X509) *want = sk_X509_new_null();
	char *got_s, *want_s;
	va_list ap;
	X509 *x;
	bool same;
	int i;

	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		(void)sk_X509_push(want, x);
	va_end(ap);
	if (f->refused != NULL)
		print_error("refused: %s\n", f->refused);
	assert_null(f->refused);
	assert_non_null(f->out);
	same = sk_X509_num(f->out) == sk_X509_num(want);
	for (i = 0; same && i < sk_X509_num(want); i++)
		same = X509_cmp(sk_X509_value(f->out, i),
		    sk_X509_value(want, i)) == 0;
	got_s = names(f->out);
	want_s = names(want);
	if (!same)
		assert_string_equal(got_s, want_s);
	free(got_s);
	free(want_s);
	sk_X509_free(want);
	assert_true(same);
}

static void
assert_refused(const struct chain_fix *f, const char *needle)
{
	assert_null(f->out);
	assert_non_null(f->refused);
	assert_contains(f->refused, needle);
}

/* All notes in one string, to look for a phrase. */
static char *
notes(const struct chain_fix *f)
{
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < f->n_notes; i++)
		buf_addf(&b, "%s\n", f->notes[i]);
	return buf_steal(&b);
}

#define assert_note(f, needle) do { \
	char *all_ = notes(f); \
	assert_contains(all_, (needle)); \
	free(all_); \
} while (0)

static void
test_fix_chain_reversed_input_gives_leaf_then_intermediate(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, env.w.intermediate, leaf, NULL);
	assert_written(&f, leaf, env.w.intermediate, NULL);
	chain_fix_free(&f);
}

static void
test_fix_chain_root_in_input_is_left_out(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, env.w.root, leaf, env.w.intermediate, NULL);
	assert_written(&f, leaf, env.w.intermediate, NULL);
	assert_note(&f, "left out BWC Test Root CA");
	assert_note(&f, "the root; the SBC has its own copy");
	chain_fix_free(&f);
}

static void
test_fix_chain_unrelated_and_duplicates_are_left_out(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, env.w.other_root, env.w.intermediate,
	    env.w.other_intermediate, leaf, env.w.intermediate, env.w.root,
	    leaf, NULL);
	assert_written(&f, leaf, env.w.intermediate, NULL);
	assert_note(&f, "left out a second copy of BWC Test Issuing CA");
	assert_note(&f, "left out a second copy of " FQDN);
	assert_note(&f, "left out Other Test Issuing CA (the input): not on "
	    "the path from the leaf to the root");
	assert_note(&f, "left out Other Test Root (the input): a root that "
	    "is not on the path");
	chain_fix_free(&f);
}

static void
test_fix_chain_three_levels_shuffled_come_out_in_order(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, mid1, env.w.root, deep_leaf, mid2, NULL);
	assert_written(&f, deep_leaf, mid2, mid1, NULL);
	chain_fix_free(&f);
}

static void
test_fix_chain_missing_intermediate_without_fetch_names_issuer_and_url(
    void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, aia_leaf, NULL);
	assert_refused(&f, "the issuer of " FQDN " (CN=BWC Test Issuing CA,"
	    "O=BWC Test PKI,C=US) is missing; the CA publishes it at "
	    URL_ISSUING);
	assert_contains(f.refused, "--fetch");
	chain_fix_free(&f);
}

static void
test_fix_chain_missing_intermediate_without_url_says_so(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, leaf, NULL);
	assert_refused(&f, "names no caIssuers URL");
	chain_fix_free(&f);
}

static void
test_fix_chain_missing_intermediate_is_fetched_as_der(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	serve_der(&net, URL_ISSUING, env.w.intermediate);
	fix(&f, NULL, &net, aia_leaf, NULL);
	assert_written(&f, aia_leaf, env.w.intermediate, NULL);
	assert_int_equal(net.calls, 1);
	assert_string_equal(net.urls, URL_ISSUING " ");
	assert_note(&f, "fetched BWC Test Issuing CA from " URL_ISSUING
	    ": its signature on " FQDN " verifies");
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_missing_intermediate_is_fetched_as_pkcs7(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	serve_p7(&net, URL_ISSUING, env.w.intermediate);
	fix(&f, NULL, &net, aia_leaf, NULL);
	assert_written(&f, aia_leaf, env.w.intermediate, NULL);
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_two_missing_levels_are_fetched_in_turn(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	serve_der(&net, URL_MID2, mid2);
	serve_p7(&net, URL_MID1, mid1);
	fix(&f, NULL, &net, deep_leaf, NULL);
	assert_written(&f, deep_leaf, mid2, mid1, NULL);
	assert_string_equal(net.urls, URL_MID2 " " URL_MID1 " ");
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_fetched_impostor_with_bad_signature_is_not_used(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	serve_der(&net, URL_ISSUING, impostor);
	fix(&f, NULL, &net, aia_leaf, NULL);
	assert_refused(&f, URL_ISSUING " served BWC Test Issuing CA, which "
	    "did not sign " FQDN " (the signature does not verify): not used");
	assert_note(&f, "the signature does not verify");
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_fetched_stranger_is_not_used(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	serve_der(&net, URL_ISSUING, env.w.other_intermediate);
	fix(&f, NULL, &net, aia_leaf, NULL);
	assert_refused(&f, "served Other Test Issuing CA, which did not sign "
	    FQDN " (its name or key identifier is not the issuer's)");
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_fetch_failure_is_the_reason(void **state)
{
	struct fake_net net = { .n = 1, .site = { { .url = URL_ISSUING,
	    .error = "no complete answer in time (--timeout)" } } };
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, &net, aia_leaf, NULL);
	assert_refused(&f, "is missing, and fetching it failed: " URL_ISSUING
	    ": no complete answer in time");
	chain_fix_free(&f);
}

static void
test_fix_chain_fetched_bytes_that_are_no_certificate_are_the_reason(
    void **state)
{
	struct fake_net net = { .n = 1, .site = { { .url = URL_ISSUING,
	    .data = (unsigned char *)xstrdup("<html>moved</html>"),
	    .len = 18 } } };
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, &net, aia_leaf, NULL);
	assert_refused(&f, "fetching it failed: " URL_ISSUING ": not a "
	    "certificate");
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_complete_input_fetches_nothing(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, &net, env.w.intermediate, aia_leaf, NULL);
	assert_written(&f, aia_leaf, env.w.intermediate, NULL);
	assert_int_equal(net.calls, 0);
	chain_fix_free(&f);
}

static void
test_fix_chain_same_url_is_fetched_once(void **state)
{
	struct fake_net net = { 0 };
	struct chain_fix f;

	(void)state;
	/* loop_ca's issuer is said to be at URL_LOOP, which serves loop_ca. */
	serve_der(&net, URL_LOOP, loop_ca);
	fix(&f, NULL, &net, loop_leaf, NULL);
	assert_int_equal(net.calls, 1);
	assert_refused(&f, "BWC Test Loop CA");
	chain_fix_free(&f);
	fake_net_free(&net);
}

static void
test_fix_chain_untrusted_root_is_refused(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, other_leaf, env.w.other_intermediate,
	    env.w.other_root, NULL);
	assert_refused(&f, "the chain ends at CN=Other Test Root,O=BWC Test "
	    "PKI,C=US, a self-signed root that is not an accepted CA");
	chain_fix_free(&f);
}

static void
test_fix_chain_self_signed_leaf_is_refused_as_such(void **state)
{
	struct chain_fix f;
	X509 *self = pki_issue(&(struct pki_spec){ .cn = FQDN,
	    .dns = { { FQDN, 0 } }, .key = env.w.leaf_key });

	(void)state;
	assert_non_null(self);
	fix(&f, NULL, NULL, self, env.w.intermediate, NULL);
	assert_refused(&f, "the leaf, " FQDN ", is self-signed");
	chain_fix_free(&f);
	X509_free(self);
}

static void
test_fix_chain_of_two_leaves_the_one_reaching_a_root_is_chosen(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, other_leaf, env.w.other_intermediate, leaf,
	    env.w.intermediate, NULL);
	assert_written(&f, leaf, env.w.intermediate, NULL);
	assert_note(&f, "left out " FQDN " (the input): not on the path");
	chain_fix_free(&f);
}

static void
test_fix_chain_two_leaves_reaching_a_root_are_refused_without_key(
    void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, second_leaf, leaf, env.w.intermediate, NULL);
	assert_refused(&f, "the input holds 2 leaf certificates that each "
	    "reach an accepted root: sbc.example.test (the input), " FQDN);
	assert_contains(f.refused, "--key");
	chain_fix_free(&f);
}

static void
test_fix_chain_two_leaves_the_key_chooses(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, env.w.leaf_key, NULL, second_leaf, leaf, env.w.intermediate,
	    NULL);
	assert_written(&f, leaf, env.w.intermediate, NULL);
	chain_fix_free(&f);
	fix(&f, pki_key_rsa_nth(2048, 7), NULL, second_leaf, leaf,
	    env.w.intermediate, NULL);
	assert_written(&f, second_leaf, env.w.intermediate, NULL);
	chain_fix_free(&f);
}

static void
test_fix_chain_a_root_alone_is_refused(void **state)
{
	struct chain_fix f;

	(void)state;
	fix(&f, NULL, NULL, env.w.root, NULL);
	assert_refused(&f, "the only certificate given is a root");
	chain_fix_free(&f);
}

static void
test_fix_chain_origin_names_the_file(void **state)
{
	struct chain_fix_opts opts = { 0 };
	const char *origin[] = { "pbx.pem", "root.pem", "root-again.pem" };
	STACK_OF(X509) *in = pki_stack(leaf, env.w.root, env.w.root, NULL);
	struct chain_fix f;
	char *err = NULL;

	(void)state;
	assert_non_null(in);
	assert_int_equal(chain_fix(env.trust, in, origin, &opts, &f, &err), 0);
	assert_note(&f, "left out a second copy of BWC Test Root CA "
	    "(root-again.pem)");
	/* The intermediate is missing: refused; what was given is kept. */
	assert_non_null(f.refused);
	assert_int_equal(sk_X509_num(f.work), 2);
	chain_fix_free(&f);
	sk_X509_pop_free(in, X509_free);
	in = pki_stack(leaf, env.w.root, env.w.intermediate, NULL);
	assert_non_null(in);
	assert_int_equal(chain_fix(env.trust, in, origin, &opts, &f, &err), 0);
	assert_note(&f, "left out BWC Test Root CA (root.pem): the root");
	chain_fix_free(&f);
	sk_X509_pop_free(in, X509_free);
}

static void
test_fix_chain_empty_input_is_an_error(void **state)
{
	struct chain_fix_opts opts = { 0 };
	STACK_OF(X509) *in = sk_X509_new_null();
	struct chain_fix f;
	char *err = NULL;

	(void)state;
	assert_int_equal(chain_fix(env.trust, in, NULL, &opts, &f, &err), -1);
	assert_string_equal(err, "no certificate");
	free(err);
	chain_fix_free(&f);
	sk_X509_free(in);
}

static void
test_fix_chain_signs_checks_names_and_signature(void **state)
{
	(void)state;
	assert_true(chain_fix_signs(env.w.intermediate, leaf));
	assert_false(chain_fix_signs(impostor, leaf));
	assert_false(chain_fix_signs(env.w.other_intermediate, leaf));
	assert_false(chain_fix_signs(leaf, env.w.intermediate));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fix_chain_reversed_input_gives_leaf_then_intermediate),
		cmocka_unit_test(test_fix_chain_root_in_input_is_left_out),
		cmocka_unit_test(test_fix_chain_unrelated_and_duplicates_are_left_out),
		cmocka_unit_test(test_fix_chain_three_levels_shuffled_come_out_in_order),
		cmocka_unit_test(test_fix_chain_missing_intermediate_without_fetch_names_issuer_and_url),
		cmocka_unit_test(test_fix_chain_missing_intermediate_without_url_says_so),
		cmocka_unit_test(test_fix_chain_missing_intermediate_is_fetched_as_der),
		cmocka_unit_test(test_fix_chain_missing_intermediate_is_fetched_as_pkcs7),
		cmocka_unit_test(test_fix_chain_two_missing_levels_are_fetched_in_turn),
		cmocka_unit_test(test_fix_chain_fetched_impostor_with_bad_signature_is_not_used),
		cmocka_unit_test(test_fix_chain_fetched_stranger_is_not_used),
		cmocka_unit_test(test_fix_chain_fetch_failure_is_the_reason),
		cmocka_unit_test(test_fix_chain_fetched_bytes_that_are_no_certificate_are_the_reason),
		cmocka_unit_test(test_fix_chain_complete_input_fetches_nothing),
		cmocka_unit_test(test_fix_chain_same_url_is_fetched_once),
		cmocka_unit_test(test_fix_chain_untrusted_root_is_refused),
		cmocka_unit_test(test_fix_chain_self_signed_leaf_is_refused_as_such),
		cmocka_unit_test(test_fix_chain_of_two_leaves_the_one_reaching_a_root_is_chosen),
		cmocka_unit_test(test_fix_chain_two_leaves_reaching_a_root_are_refused_without_key),
		cmocka_unit_test(test_fix_chain_two_leaves_the_key_chooses),
		cmocka_unit_test(test_fix_chain_a_root_alone_is_refused),
		cmocka_unit_test(test_fix_chain_origin_names_the_file),
		cmocka_unit_test(test_fix_chain_empty_input_is_an_error),
		cmocka_unit_test(test_fix_chain_signs_checks_names_and_signature),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

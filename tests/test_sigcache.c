/*
 * test_sigcache.c - a signature verified once in a run is not checked
 * again, and only for the very same two certificates: a copy with the
 * same names and key identifiers is verified, and fails when its
 * signature is bad; a path with a violation, and a verification that
 * checks validity times, are never shortened.
 *
 * Each test loads a trust store of its own, so its cache starts empty
 * and the counts are exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "judge.h"
#include "x509/sigcache.h"

#define FQDN "pbx.example.test"

static struct judge_env env;

static int
group_setup(void **state)
{
	(void)state;
	return judge_env_init(&env);
}

static int
group_teardown(void **state)
{
	(void)state;
	judge_env_free(&env);
	return 0;
}

static X509 *
issue(const struct pki_spec *spec)
{
	X509 *x = pki_issue(spec);

	assert_non_null(x);
	return x;
}

/* A store that trusts env.w.root, with an empty cache of its own. */
static struct trust *
fresh_trust(void)
{
	struct trust *t = judge_trust(env.dir, "sigcache-root.pem", env.w.root);

	assert_non_null(t);
	assert_non_null(t->sigs);
	return t;
}

/* chain_analyse() of the certificates given, up to a NULL. */
static void
analyse(const struct trust *t, struct chain_facts *c, X509 *first, ...)
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
	rc = chain_analyse(t, certs, NULL, c, &err);
	if (rc != 0)
		print_error("chain_analyse: %s\n", err);
	free(err);
	assert_int_equal(rc, 0);
	sk_X509_free(certs);
}

static void
assert_counts(const struct trust *t, size_t skipped, size_t checked)
{
	size_t s, k;

	sigcache_counts(t->sigs, &s, &k);
	assert_int_equal(s, skipped);
	assert_int_equal(k, checked);
}

static void
test_sigcache_second_chain_under_one_intermediate_checks_only_its_leaf(void **state)
{
	struct trust *t = fresh_trust();
	X509 *l1 = pki_world_leaf(&env.w, FQDN);
	X509 *l2 = pki_world_leaf(&env.w, "other.example.test");
	struct chain_facts c1, c2;

	(void)state;
	assert_non_null(l1);
	assert_non_null(l2);
	analyse(t, &c1, l1, env.w.intermediate, NULL);
	assert_int_equal(c1.status, CHAIN_VERIFIED);
	assert_counts(t, 0, 2);
	analyse(t, &c2, l2, env.w.intermediate, NULL);
	assert_int_equal(c2.status, CHAIN_VERIFIED);
	/* The intermediate under the root is known; the new leaf is not. */
	assert_counts(t, 1, 3);
	assert_int_equal(c2.path_len, c1.path_len);
	assert_true(c2.has_anchor);
	assert_string_equal(c2.anchor.subject, c1.anchor.subject);
	assert_int_equal(c2.n_violations, 0);
	chain_free(&c1);
	chain_free(&c2);
	X509_free(l1);
	X509_free(l2);
	trust_free(t);
}

static void
test_sigcache_same_chain_twice_checks_nothing_the_second_time(void **state)
{
	struct trust *t = fresh_trust();
	X509 *l1 = pki_world_leaf(&env.w, FQDN);
	struct chain_facts c;

	(void)state;
	analyse(t, &c, l1, env.w.intermediate, NULL);
	chain_free(&c);
	analyse(t, &c, l1, env.w.intermediate, NULL);
	assert_int_equal(c.status, CHAIN_VERIFIED);
	assert_int_equal(c.verify_error, 0);
	assert_counts(t, 2, 2);
	chain_free(&c);
	X509_free(l1);
	trust_free(t);
}

/* trust_forget(): the same chain after it is verified again in full. */
static void
test_sigcache_trust_forget_makes_the_next_chain_checked_in_full(void **state)
{
	struct trust *t = fresh_trust();
	X509 *l1 = pki_world_leaf(&env.w, FQDN);
	struct chain_facts c;

	(void)state;
	assert_non_null(l1);
	analyse(t, &c, l1, env.w.intermediate, NULL);
	chain_free(&c);
	assert_counts(t, 0, 2);
	trust_forget(t);
	analyse(t, &c, l1, env.w.intermediate, NULL);
	assert_int_equal(c.status, CHAIN_VERIFIED);
	/* Nothing skipped: both signatures checked again; the counts stay. */
	assert_counts(t, 0, 4);
	chain_free(&c);
	/* And the cache works as before after it. */
	analyse(t, &c, l1, env.w.intermediate, NULL);
	assert_counts(t, 2, 4);
	chain_free(&c);
	sigcache_clear(NULL);
	X509_free(l1);
	trust_free(t);
}

/*
 * The attack the cache must not open: after the real intermediate was
 * verified under the root, a forged copy with the same subject, the
 * same key (so the same key identifiers) and the same issuer, but a
 * signature the root never made.  It is a different certificate, so
 * OpenSSL verifies it, and it fails.
 */
static void
test_sigcache_forged_copy_with_same_name_and_key_identifier_is_verified_and_fails(void **state)
{
	struct trust *t = fresh_trust();
	X509 *l1 = pki_world_leaf(&env.w, FQDN), *forged, *l2;
	struct pki_spec lspec = pki_world_leaf_spec(&env.w, "forged.example.test");
	struct chain_facts c;
	time_t now = time(NULL);

	(void)state;
	analyse(t, &c, l1, env.w.intermediate, NULL);
	assert_int_equal(c.status, CHAIN_VERIFIED);
	chain_free(&c);
	assert_counts(t, 0, 2);

	forged = issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Test Issuing CA",
		.ca = true, .has_pathlen = true, .pathlen = 0,
		.not_before = now - 365 * PKI_DAY,
		.not_after = now + 1825 * PKI_DAY,
		.key = env.w.intermediate_key,
		.issuer = env.w.root,
		.issuer_key = env.w.other_root_key,	/* not the root's key */
	});
	/* The premise: to names and key identifiers it is the real one. */
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(forged),
	    X509_get_subject_name(env.w.intermediate)), 0);
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(forged),
	    X509_get_issuer_name(env.w.intermediate)), 0);
	assert_int_equal(ASN1_OCTET_STRING_cmp(
	    X509_get0_subject_key_id(forged),
	    X509_get0_subject_key_id(env.w.intermediate)), 0);
	assert_int_equal(ASN1_OCTET_STRING_cmp(
	    X509_get0_authority_key_id(forged),
	    X509_get0_authority_key_id(env.w.intermediate)), 0);
	assert_int_not_equal(X509_cmp(forged, env.w.intermediate), 0);

	lspec.issuer = forged;
	l2 = issue(&lspec);
	analyse(t, &c, l2, forged, NULL);
	assert_int_equal(c.status, CHAIN_INVALID);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_int_equal(c.verify_depth, 1);
	/* Nothing skipped: the forged pair was checked, and failed. */
	assert_counts(t, 0, 4);
	chain_free(&c);

	/* Nor was it remembered: the same forgery fails again. */
	analyse(t, &c, l2, forged, NULL);
	assert_int_equal(c.status, CHAIN_INVALID);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_counts(t, 0, 6);
	chain_free(&c);
	X509_free(l1);
	X509_free(l2);
	X509_free(forged);
	trust_free(t);
}

/*
 * A leaf with a bad signature under the known intermediate: the pair
 * above it is skipped, the leaf's own is still checked and fails.
 */
static void
test_sigcache_bad_leaf_signature_under_a_known_intermediate_fails(void **state)
{
	struct trust *t = fresh_trust();
	struct pki_spec spec = pki_world_leaf_spec(&env.w, "bad.example.test");
	X509 *l1 = pki_world_leaf(&env.w, FQDN), *bad;
	struct chain_facts c;

	(void)state;
	analyse(t, &c, l1, env.w.intermediate, NULL);
	chain_free(&c);
	spec.issuer_key = env.w.other_intermediate_key;
	bad = issue(&spec);
	analyse(t, &c, bad, env.w.intermediate, NULL);
	assert_int_equal(c.status, CHAIN_INVALID);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_int_equal(c.verify_depth, 0);
	chain_free(&c);
	X509_free(l1);
	X509_free(bad);
	trust_free(t);
}

/*
 * A path whose verification recorded a violation (an intermediate whose
 * keyUsage lacks keyCertSign) teaches the cache nothing: the next chain
 * through it is checked in full and reports the violation again.
 */
static void
test_sigcache_path_with_a_violation_is_never_remembered(void **state)
{
	struct trust *t = fresh_trust();
	time_t now = time(NULL);
	struct pki_spec lspec = pki_world_leaf_spec(&env.w, FQDN);
	struct chain_facts c;
	X509 *ica, *leaf;
	int round, first[4];
	size_t i, nfirst = 0;
	bool no_certsign = false;

	(void)state;
	ica = issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC No CertSign CA",
		.ca = true, .ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_CRL_SIGN,
		.not_before = now - 365 * PKI_DAY,
		.not_after = now + 1825 * PKI_DAY,
		.key = pki_key_rsa_nth(2048, 5),
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	lspec.issuer = ica;
	lspec.issuer_key = pki_key_rsa_nth(2048, 5);
	leaf = issue(&lspec);
	for (round = 1; round <= 2; round++) {
		analyse(t, &c, leaf, ica, NULL);
		/* A CA without keyCertSign fails the path in any mode. */
		assert_int_equal(c.status, CHAIN_INVALID);
		assert_in_range(c.n_violations, 1, 4);
		if (round == 1)
			nfirst = c.n_violations;
		/* The same violations, in the same order, both times. */
		assert_int_equal(c.n_violations, nfirst);
		for (i = 0; i < c.n_violations; i++) {
			if (round == 1)
				first[i] = c.violations[i].error;
			assert_int_equal(c.violations[i].error, first[i]);
			if (c.violations[i].error ==
			    X509_V_ERR_KEYUSAGE_NO_CERTSIGN)
				no_certsign = true;
		}
		assert_true(no_certsign);
		assert_counts(t, 0, 2 * (size_t)round);
		chain_free(&c);
	}
	X509_free(leaf);
	X509_free(ica);
	trust_free(t);
}

/* Verification that checks validity times runs unshortened. */
static void
test_sigcache_verification_that_checks_times_is_never_cut(void **state)
{
	struct trust *t = fresh_trust();
	X509 *l1 = pki_world_leaf(&env.w, FQDN);
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_STORE_CTX *ctx;
	struct chain_facts c;

	(void)state;
	analyse(t, &c, l1, env.w.intermediate, NULL);
	chain_free(&c);
	assert_counts(t, 0, 2);
	assert_non_null(untrusted);
	assert_int_not_equal(sk_X509_push(untrusted, env.w.intermediate), 0);
	assert_non_null(ctx = X509_STORE_CTX_new());
	assert_int_equal(X509_STORE_CTX_init(ctx, t->store, l1, untrusted), 1);
	sigcache_attach(t->sigs, ctx);
	assert_int_equal(X509_verify_cert(ctx), 1);
	/* Both pairs checked by OpenSSL: none skipped. */
	assert_counts(t, 0, 4);
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	X509_free(l1);
	trust_free(t);
}

static void
test_sigcache_free_null_is_a_no_op(void **state)
{
	(void)state;
	sigcache_free(NULL);
	sigcache_attach(NULL, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigcache_second_chain_under_one_intermediate_checks_only_its_leaf),
		cmocka_unit_test(test_sigcache_same_chain_twice_checks_nothing_the_second_time),
		cmocka_unit_test(test_sigcache_forged_copy_with_same_name_and_key_identifier_is_verified_and_fails),
		cmocka_unit_test(test_sigcache_bad_leaf_signature_under_a_known_intermediate_fails),
		cmocka_unit_test(test_sigcache_path_with_a_violation_is_never_remembered),
		cmocka_unit_test(test_sigcache_verification_that_checks_times_is_never_cut),
		cmocka_unit_test(test_sigcache_free_null_is_a_no_op),
		cmocka_unit_test(test_sigcache_trust_forget_makes_the_next_chain_checked_in_full),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

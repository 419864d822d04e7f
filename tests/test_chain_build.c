/*
 * test_chain_build.c - path building: anchors the user trusts that are
 * not self-signed, twins of one name (a dead end, a constrained one, a
 * cross-sign), and messages that never call present issuers missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge.h"

#define FQDN "pbx.example.test"

JUDGE_GROUP_FIXTURES

/*
 * "BWC Test Issuing CA" again, with the same key as the world's, issued
 * by issuer / issuer_key: a twin of env.w.intermediate.
 */
static struct pki_spec
twin_spec(X509 *issuer, EVP_PKEY *issuer_key)
{
	return (struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Test Issuing CA",
		.ca = true,
		.key = env.w.intermediate_key,
		.issuer = issuer, .issuer_key = issuer_key,
	};
}

static X509 *
good_leaf(void)
{
	X509 *x = pki_world_leaf(&env.w, FQDN);

	assert_non_null(x);
	return x;
}

/* Trust anchors */

static void
test_chain_trust_store_intermediate_is_an_anchor_for_the_leaf_alone(
    void **state)
{
	struct trust *trust;
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	trust = judge_trust(env.dir, "issuing.pem", env.w.intermediate);
	assert_non_null(trust);
	judge_run_init(&run, trust);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_int_equal(s.chain.status, CHAIN_VERIFIED);
	assert_finding(&s, "accepted-ca", STATUS_PASS,
	    "BWC Test Issuing CA (from --trust-store)");
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	assert_not_contains(judge_finding(&s, "chain-complete")->message,
	    "missing");
	assert_finding(&s, "path-valid", STATUS_PASS, NULL);
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	judge_run_done(&run);
	trust_free(trust);
	X509_free(leaf);
}

static void
test_chain_trust_store_intermediate_given_in_the_input_too_verifies(
    void **state)
{
	struct trust *trust;
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	trust = judge_trust(env.dir, "issuing.pem", env.w.intermediate);
	assert_non_null(trust);
	judge_run_init(&run, trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	subject_free(&s);
	judge_run_done(&run);
	trust_free(trust);
	X509_free(leaf);
}

static void
test_chain_trust_store_intermediate_does_not_anchor_another_ca(void **state)
{
	struct trust *trust;
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_other_leaf(&env.w, FQDN);

	(void)state;
	assert_non_null(leaf);
	trust = judge_trust(env.dir, "issuing.pem", env.w.intermediate);
	assert_non_null(trust);
	judge_run_init(&run, trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.other_intermediate, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, NULL);
	subject_free(&s);
	judge_run_done(&run);
	trust_free(trust);
	X509_free(leaf);
}

/* Twins */

static void
test_chain_dead_end_twin_first_still_finds_the_path_through_the_other(
    void **state)
{
	struct pki_spec t = twin_spec(env.w.other_root, env.w.other_root_key);
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf(), *dead;

	(void)state;
	/* Issued by "Other Test Root", which is neither given nor trusted. */
	dead = judge_issue(&t);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, dead, env.w.intermediate, NULL);
	assert_int_equal(s.chain.status, CHAIN_VERIFIED);
	assert_int_equal(s.chain.path_len, 2);
	assert_int_equal(s.chain.path[1], 2);
	assert_finding(&s, "accepted-ca", STATUS_PASS, "BWC Test Root CA");
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	assert_finding(&s, "path-valid", STATUS_PASS, NULL);
	/* A peer that does not backtrack takes cert 1: say the order is off. */
	assert_finding(&s, "chain-order", STATUS_FAIL, "cert 1");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(dead);
	X509_free(leaf);
}

static void
test_chain_constrained_twin_first_does_not_decide_the_verdict(void **state)
{
	struct pki_spec t = twin_spec(env.w.root, env.w.root_key);
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf(), *fenced;

	(void)state;
	t.nc_exclude[0] = FQDN;
	fenced = judge_issue(&t);
	judge_run_init(&run, env.trust);
	/* Alone, the constrained twin fails path-valid... */
	judge(&run, FQDN, NULL, &s, leaf, fenced, NULL);
	assert_finding(&s, "path-valid", STATUS_FAIL, "excluded");
	subject_free(&s);
	/* ...beside the clean one, the clean path decides. */
	judge(&run, FQDN, NULL, &s, leaf, fenced, env.w.intermediate, NULL);
	assert_finding(&s, "path-valid", STATUS_PASS, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_int_equal(s.chain.path[1], 2);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(fenced);
	X509_free(leaf);
}

static void
test_chain_dead_end_cross_sign_first_still_reaches_the_root(void **state)
{
	struct pki_spec yr = {
		.c = "US", .o = "BWC Test PKI", .cn = "BWC YR Root", .ca = true,
		.key = env.w.other_intermediate_key,
	};
	struct pki_spec spec;
	struct subject s;
	struct run run;
	X509 *self, *cross_dead, *cross_good, *mid, *leaf;

	(void)state;
	/* leaf <- YR1 <- "BWC YR Root", cross-signed twice. */
	self = judge_issue(&yr);
	yr.issuer = env.w.other_root;
	yr.issuer_key = env.w.other_root_key;
	cross_dead = judge_issue(&yr);
	yr.issuer = env.w.root;
	yr.issuer_key = env.w.root_key;
	cross_good = judge_issue(&yr);
	mid = judge_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC YR1", .ca = true,
		.key = env.w.intermediate_key,
		.issuer = self, .issuer_key = env.w.other_intermediate_key,
	});
	spec = pki_world_leaf_spec(&env.w, FQDN);
	spec.issuer = mid;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, mid, cross_dead, cross_good, self,
	    NULL);
	assert_int_equal(s.chain.status, CHAIN_VERIFIED);
	assert_finding(&s, "accepted-ca", STATUS_PASS, "BWC Test Root CA");
	assert_int_equal(s.chain.path[2], 3);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
	X509_free(mid);
	X509_free(cross_good);
	X509_free(cross_dead);
	X509_free(self);
}

static void
test_chain_only_a_dead_end_twin_names_the_issuer_it_lacks(void **state)
{
	struct pki_spec t = twin_spec(env.w.other_root, env.w.other_root_key);
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf(), *dead;

	(void)state;
	dead = judge_issue(&t);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, dead, NULL);
	assert_int_equal(s.chain.status, CHAIN_ISSUER_MISSING);
	assert_string_equal(s.chain.missing_issuer,
	    "CN=Other Test Root,O=BWC Test PKI,C=US");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(dead);
	X509_free(leaf);
}

/*
 * Two roots of one name and key in --trust-store, one of them with name
 * constraints that exclude the leaf: whichever OpenSSL meets first, the
 * clean one decides.  Both orders of the store file are tried, so one of
 * them has OpenSSL take the constrained twin first.
 */
static void
test_chain_constrained_twin_in_the_trust_store_does_not_decide(void **state)
{
	struct pki_spec r = {
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Twin Root",
		.ca = true, .key = env.w.other_root_key,
	};
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct trust *trust;
	struct subject s;
	struct run run;
	X509 *fenced, *clean, *mid, *leaf;
	char *path, *err = NULL;
	int order;

	(void)state;
	clean = judge_issue(&r);
	r.nc_exclude[0] = "example.test";
	fenced = judge_issue(&r);
	mid = judge_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Twin Issuing CA",
		.ca = true, .key = env.w.intermediate_key,
		.issuer = clean, .issuer_key = env.w.other_root_key,
	});
	spec.issuer = mid;
	leaf = judge_issue(&spec);
	path = xasprintf("%s/twins.pem", env.dir);
	for (order = 0; order < 2; order++) {
		assert_int_equal(pki_write_pem(path, order ? clean : fenced,
		    order ? fenced : clean, NULL), 0);
		trust = trust_load_path(path, &err);
		assert_null(err);
		assert_non_null(trust);
		judge_run_init(&run, trust);
		judge(&run, FQDN, NULL, &s, leaf, mid, NULL);
		assert_finding(&s, "path-valid", STATUS_PASS, NULL);
		assert_finding(&s, "accepted-ca", STATUS_PASS, "BWC Twin Root");
		assert_result(&s, RESULT_PASS);
		subject_free(&s);
		judge_run_done(&run);
		trust_free(trust);
	}
	/* The constrained one alone still fails: the test can fail. */
	trust = judge_trust(env.dir, "fenced.pem", fenced);
	assert_non_null(trust);
	judge_run_init(&run, trust);
	judge(&run, FQDN, NULL, &s, leaf, mid, NULL);
	assert_finding(&s, "path-valid", STATUS_FAIL, "excluded");
	subject_free(&s);
	judge_run_done(&run);
	trust_free(trust);
	free(path);
	X509_free(leaf);
	X509_free(mid);
	X509_free(fenced);
	X509_free(clean);
}

/* Present issuers are never called missing */

static void
test_chain_issuer_name_with_another_key_is_named_not_missing(void **state)
{
	struct pki_spec t = twin_spec(env.w.root, env.w.root_key);
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf(), *other_key;

	(void)state;
	/* Same name, another key: the leaf's AKI names the real one. */
	t.key = env.w.other_intermediate_key;
	other_key = judge_issue(&t);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, other_key, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "cert 1 bears the name "
	    "of the issuer of cert 0 but did not issue it: its key identifier "
	    "is not the one the certificate names");
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	assert_not_contains(judge_finding(&s, "chain-complete")->message,
	    "missing");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(other_key);
	X509_free(leaf);
}

static void
test_chain_issuer_name_without_key_identifiers_is_a_bad_signature_not_missing(
    void **state)
{
	struct pki_spec t = twin_spec(env.w.root, env.w.root_key), spec;
	struct subject s;
	struct run run;
	X509 *leaf, *other_key;

	(void)state;
	t.key = env.w.other_intermediate_key;
	t.no_skid = true;
	other_key = judge_issue(&t);
	spec = pki_world_leaf_spec(&env.w, FQDN);
	spec.no_akid = true;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, other_key, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "certificate signature "
	    "failure (at depth 0)");
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(other_key);
	X509_free(leaf);
}

static void
test_chain_store_root_of_the_issuer_name_with_another_key_is_named(
    void **state)
{
	struct pki_spec r = {
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Test Root CA",
		.ca = true, .key = env.w.other_root_key,
	};
	struct trust *trust;
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf(), *imposter;

	(void)state;
	/* The store's "BWC Test Root CA" has another key than the real one. */
	imposter = judge_issue(&r);
	trust = judge_trust(env.dir, "imposter.pem", imposter);
	assert_non_null(trust);
	judge_run_init(&run, trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "the trust store holds "
	    "CN=BWC Test Root CA,O=BWC Test PKI,C=US, named as the issuer of "
	    "cert 1, but it did not issue it");
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	subject_free(&s);
	judge_run_done(&run);
	trust_free(trust);
	X509_free(imposter);
	X509_free(leaf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_trust_store_intermediate_is_an_anchor_for_the_leaf_alone),
		cmocka_unit_test(test_chain_trust_store_intermediate_given_in_the_input_too_verifies),
		cmocka_unit_test(test_chain_trust_store_intermediate_does_not_anchor_another_ca),
		cmocka_unit_test(test_chain_dead_end_twin_first_still_finds_the_path_through_the_other),
		cmocka_unit_test(test_chain_constrained_twin_first_does_not_decide_the_verdict),
		cmocka_unit_test(test_chain_dead_end_cross_sign_first_still_reaches_the_root),
		cmocka_unit_test(test_chain_only_a_dead_end_twin_names_the_issuer_it_lacks),
		cmocka_unit_test(test_chain_constrained_twin_in_the_trust_store_does_not_decide),
		cmocka_unit_test(test_chain_issuer_name_with_another_key_is_named_not_missing),
		cmocka_unit_test(test_chain_issuer_name_without_key_identifiers_is_a_bad_signature_not_missing),
		cmocka_unit_test(test_chain_store_root_of_the_issuer_name_with_another_key_is_named),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

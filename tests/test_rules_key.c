/*
 * test_rules_key.c - the key rules, rsa-key, rsa-key-size and key-match,
 * each made to pass and to fail through the lint pipeline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "x509/load.h"
#include "judge.h"

#define FQDN "pbx.example.test"

JUDGE_GROUP_FIXTURES

/* A CA under the test root with the given key (for weak or EC CAs). */
static X509 *
intermediate_with_key(const char *cn, EVP_PKEY *key)
{
	X509 *x = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = cn,
		.ca = true,
		.key = key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});

	assert_non_null(x);
	return x;
}

/* A leaf for FQDN with key, issued by issuer / issuer_key. */
static X509 *
leaf_with_key(EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	spec.key = key;
	spec.issuer = issuer;
	spec.issuer_key = issuer_key;
	x = pki_issue(&spec);
	assert_non_null(x);
	return x;
}

static void
test_rsa_key_rsa_chain_passes(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key", STATUS_PASS,
	    "leaf key is RSA-2048; every key in the path is RSA");
	assert_finding(&s, "rsa-key-size", STATUS_PASS,
	    "every RSA key is at least 2048 bits (leaf: 2048)");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_rsa_key_ec_leaf_fails_naming_the_curve(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *ec = pki_key_ec("P-256");
	X509 *leaf;

	(void)state;
	assert_non_null(ec);
	judge_run_init(&run, env.trust);
	leaf = leaf_with_key(ec, env.w.intermediate, env.w.intermediate_key);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key", STATUS_FAIL,
	    "leaf key is EC prime256v1 (256 bits): the carrier supports "
	    "RSA only");
	assert_int_equal(judge_finding(&s, "rsa-key")->cert, 0);
	/* The size rule judges RSA keys only; the CAs' are fine. */
	assert_finding(&s, "rsa-key-size", STATUS_PASS, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_rsa_key_ec_intermediate_under_rsa_root_fails_naming_it(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *ec = pki_key_ec("P-384");
	X509 *ca, *leaf;

	(void)state;
	assert_non_null(ec);
	judge_run_init(&run, env.trust);
	ca = intermediate_with_key("BWC EC Issuing CA", ec);
	leaf = leaf_with_key(env.w.leaf_key, ca, ec);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_finding(&s, "rsa-key", STATUS_FAIL,
	    "leaf key is RSA, but cert 1 (BWC EC Issuing CA) has an EC key");
	assert_int_equal(judge_finding(&s, "rsa-key")->cert, 1);
	subject_free(&s);
	X509_free(leaf);
	X509_free(ca);
	judge_run_done(&run);
}

static void
test_rsa_key_size_1024_leaf_fails(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *weak = pki_key_rsa(1024);
	X509 *leaf;

	(void)state;
	assert_non_null(weak);
	judge_run_init(&run, env.trust);
	leaf = leaf_with_key(weak, env.w.intermediate, env.w.intermediate_key);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key", STATUS_PASS, "RSA-1024");
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "cert 0 (" FQDN ") has RSA-1024, under the minimum of 2048 bits");
	assert_int_equal(judge_finding(&s, "rsa-key-size")->cert, 0);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_rsa_key_size_1024_intermediate_fails_naming_it(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *weak = pki_key_rsa(1024);
	X509 *ca, *leaf;

	(void)state;
	assert_non_null(weak);
	judge_run_init(&run, env.trust);
	ca = intermediate_with_key("BWC Weak Issuing CA", weak);
	leaf = leaf_with_key(env.w.leaf_key, ca, weak);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "cert 1 (BWC Weak Issuing CA) has RSA-1024");
	assert_int_equal(judge_finding(&s, "rsa-key-size")->cert, 1);
	/* A CA's key is not the user's to replace: the fix says ask the CA. */
	assert_non_null(judge_finding(&s, "rsa-key-size")->fix);
	assert_contains(judge_finding(&s, "rsa-key-size")->fix,
	    "only the CA can change it: ask the CA");
	assert_not_contains(judge_finding(&s, "rsa-key-size")->fix,
	    "Generate a new key");
	subject_free(&s);
	X509_free(leaf);
	X509_free(ca);
	judge_run_done(&run);
}

static void
test_rsa_key_size_2052_bit_leaf_fails_as_no_whole_number_of_bytes(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *odd = pki_key_rsa(2052);
	X509 *leaf;

	(void)state;
	assert_non_null(odd);
	judge_run_init(&run, env.trust);
	leaf = leaf_with_key(odd, env.w.intermediate, env.w.intermediate_key);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "cert 0 (" FQDN ") has RSA-2052: a modulus that is not a whole "
	    "number of bytes (BR 6.1.5: a multiple of 8 bits)");
	assert_int_equal(judge_finding(&s, "rsa-key-size")->cert, 0);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_rsa_key_size_2052_bit_intermediate_fails_naming_it(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *odd = pki_key_rsa(2052);
	X509 *ca, *leaf;

	(void)state;
	assert_non_null(odd);
	judge_run_init(&run, env.trust);
	ca = intermediate_with_key("BWC Odd Issuing CA", odd);
	leaf = leaf_with_key(env.w.leaf_key, ca, odd);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "cert 1 (BWC Odd Issuing CA) has RSA-2052: a modulus that is not "
	    "a whole number of bytes");
	assert_int_equal(judge_finding(&s, "rsa-key-size")->cert, 1);
	subject_free(&s);
	X509_free(leaf);
	X509_free(ca);
	judge_run_done(&run);
}

static void
test_rsa_key_size_1028_bit_leaf_names_both_faults(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *odd = pki_key_rsa(1028);
	X509 *leaf;

	(void)state;
	assert_non_null(odd);
	judge_run_init(&run, env.trust);
	leaf = leaf_with_key(odd, env.w.intermediate, env.w.intermediate_key);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "has RSA-1028, under the minimum of 2048 bits; cert 0 (" FQDN ") "
	    "has RSA-1028: a modulus that is not a whole number of bytes");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_rsa_key_size_policy_3072_fails_a_2048_chain_naming_every_key(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	run.policy.min_rsa_bits = 3072;
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "under the minimum of 3072 bits");
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "cert 0 (" FQDN ") has RSA-2048");
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "cert 1 (BWC Test Issuing CA) has RSA-2048");
	/* The root from the store is judged too. */
	assert_finding(&s, "rsa-key-size", STATUS_FAIL,
	    "root BWC Test Root CA has RSA-2048");
	/* The fix gives the policy's numbers, not the carrier's 2048. */
	assert_non_null(judge_finding(&s, "rsa-key-size")->fix);
	assert_contains(judge_finding(&s, "rsa-key-size")->fix,
	    "at least 3072 bits, a multiple of 8 (3072, 4096, 8192)");
	assert_not_contains(judge_finding(&s, "rsa-key-size")->fix, "2048");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_rsa_key_size_policy_1024_passes_a_1024_leaf(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *weak = pki_key_rsa(1024);
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	run.policy.min_rsa_bits = 1024;
	leaf = leaf_with_key(weak, env.w.intermediate, env.w.intermediate_key);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key-size", STATUS_PASS,
	    "every RSA key is at least 1024 bits (leaf: 1024)");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_key_match_right_key_passes(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	judge(&run, FQDN, env.w.leaf_key, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "key-match", STATUS_PASS,
	    "the private key (RSA-2048) matches the leaf");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_key_match_wrong_key_fails(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *other = pki_key_rsa_nth(2048, 5);
	X509 *leaf;

	(void)state;
	assert_non_null(other);
	judge_run_init(&run, env.trust);
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	judge(&run, FQDN, other, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "key-match", STATUS_FAIL,
	    "the private key (RSA-2048) does not match the leaf's public key "
	    "(RSA-2048)");
	assert_int_equal(judge_finding(&s, "key-match")->cert, 0);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_key_match_ec_key_for_rsa_leaf_fails(void **state)
{
	struct subject s;
	struct run run;
	EVP_PKEY *ec = pki_key_ec("P-256");
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	judge(&run, FQDN, ec, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "key-match", STATUS_FAIL, "does not match");
	assert_finding(&s, "key-match", STATUS_FAIL, "(EC-256)");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_key_match_no_key_is_skipped_never_passed(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "key-match", STATUS_SKIP, "no private key given");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* A PKCS#12 read by load_certs_mem() brings its key to key-match. */
static void
test_key_match_pkcs12_key_matches_its_leaf(void **state)
{
	STACK_OF(X509) *ca, *certs;
	EVP_PKEY *key = NULL;
	unsigned char *p12;
	struct subject s;
	struct run run;
	char *err = NULL;
	size_t len = 0;
	X509 *leaf;

	(void)state;
	judge_run_init(&run, env.trust);
	leaf = pki_world_leaf(&env.w, FQDN);
	assert_non_null(leaf);
	ca = pki_stack(env.w.intermediate, NULL);
	p12 = pki_p12("secret", env.w.leaf_key, leaf, ca, &len);
	assert_non_null(p12);
	certs = sk_X509_new_null();
	assert_non_null(certs);
	assert_int_equal(load_certs_mem("server.p12", p12, len, "secret", certs,
	    &key, NULL, &err), 0);
	assert_null(err);
	assert_non_null(key);
	judge_stack(&run, FQDN, key, &s, certs);
	assert_finding(&s, "key-match", STATUS_PASS, "matches the leaf");
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	subject_free(&s);
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(ca, X509_free);
	free(p12);
	X509_free(leaf);
	judge_run_done(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rsa_key_rsa_chain_passes),
		cmocka_unit_test(test_rsa_key_ec_leaf_fails_naming_the_curve),
		cmocka_unit_test(test_rsa_key_ec_intermediate_under_rsa_root_fails_naming_it),
		cmocka_unit_test(test_rsa_key_size_1024_leaf_fails),
		cmocka_unit_test(test_rsa_key_size_1024_intermediate_fails_naming_it),
		cmocka_unit_test(test_rsa_key_size_2052_bit_leaf_fails_as_no_whole_number_of_bytes),
		cmocka_unit_test(test_rsa_key_size_2052_bit_intermediate_fails_naming_it),
		cmocka_unit_test(test_rsa_key_size_1028_bit_leaf_names_both_faults),
		cmocka_unit_test(test_rsa_key_size_policy_3072_fails_a_2048_chain_naming_every_key),
		cmocka_unit_test(test_rsa_key_size_policy_1024_passes_a_1024_leaf),
		cmocka_unit_test(test_key_match_right_key_passes),
		cmocka_unit_test(test_key_match_wrong_key_fails),
		cmocka_unit_test(test_key_match_ec_key_for_rsa_leaf_fails),
		cmocka_unit_test(test_key_match_no_key_is_skipped_never_passed),
		cmocka_unit_test(test_key_match_pkcs12_key_matches_its_leaf),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

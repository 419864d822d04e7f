/*
 * test_rules_diag.c - diagnoses that point at the real fix: a missing
 * intermediate of an accepted brand is named as such (one failing
 * finding, not "buy from an accepted CA"), the issuing CA is shown
 * beside the root's brand, an expired certificate sent off the path is
 * named, and a PKCS#7 set is never asked to be reordered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge.h"

#define FQDN "pbx.example.test"
#define DIGICERT_DN "CN=BWC Look-alike SHA2 CA,O=DigiCert Inc,C=US"

static struct judge_env env;
static struct trust *builtin;	/* the built-in roots, as lint uses them */

static int
group_setup(void **state)
{
	struct policy p;
	char *err = NULL;

	(void)state;
	if (judge_env_init(&env) == -1)
		return -1;
	policy_default(&p);
	if ((builtin = trust_load_builtin(&p, &err)) == NULL) {
		fprintf(stderr, "trust_load_builtin: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	trust_free(builtin);
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

/*
 * A leaf whose issuer (never given) is named org's CA, with a caIssuers
 * URL (may be NULL).  The CA is made only to sign it.
 */
static X509 *
orphan_leaf(const char *org, const char *aia)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	X509 *ca, *leaf;

	ca = issue(&(struct pki_spec){
		.c = "US", .o = org, .cn = "BWC Look-alike SHA2 CA", .ca = true,
		.key = env.w.other_intermediate_key,
	});
	spec.issuer = ca;
	spec.issuer_key = env.w.other_intermediate_key;
	spec.aia_ca_issuers = aia;
	leaf = issue(&spec);
	X509_free(ca);
	return leaf;
}

/* Missing intermediates of accepted brands */

static void
test_missing_digicert_intermediate_fails_chain_complete_alone_naming_the_brand(
    void **state)
{
	X509 *leaf = orphan_leaf("DigiCert Inc", NULL);
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, builtin);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "chain-complete", STATUS_FAIL, "intermediate "
	    "missing: the issuer of cert 0 (" FQDN "), " DIGICERT_DN ", a CA of "
	    "DigiCert, is not in the input: add that intermediate after the "
	    "leaf");
	assert_finding(&s, "accepted-ca", STATUS_SKIP, "judged once the "
	    "missing DigiCert intermediate is added (chain-complete)");
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_missing_intermediate_brand_is_read_from_the_aia_host(void **state)
{
	X509 *leaf = orphan_leaf("Some Reseller Ltd",
	    "http://apps.IdenTrust.com/roots/trustid.p7c");
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, builtin);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "chain-complete", STATUS_FAIL, "a CA of IdenTrust, "
	    "is not in the input (the CA publishes it at "
	    "http://apps.IdenTrust.com/roots/trustid.p7c)");
	assert_finding(&s, "accepted-ca", STATUS_SKIP, "IdenTrust intermediate");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_missing_intermediate_of_a_look_alike_host_is_not_a_brand(void **state)
{
	X509 *leaf = orphan_leaf("Some Reseller Ltd",
	    "http://notdigicert.com.example/ca.crt");
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, builtin);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "is neither given nor "
	    "an accepted root");
	assert_not_contains(judge_finding(&s, "chain-complete")->message,
	    "a CA of");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_missing_intermediate_of_a_brand_the_policy_leaves_out_still_fails(
    void **state)
{
	X509 *leaf = orphan_leaf("DigiCert Inc", NULL);
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, builtin);
	run.policy.brands &= ~(1u << BRAND_DIGICERT);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, NULL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_missing_intermediate_with_a_trust_store_names_no_brand(void **state)
{
	X509 *leaf = orphan_leaf("DigiCert Inc", NULL);
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, NULL);
	assert_finding(&s, "chain-complete", STATUS_FAIL, "intermediate "
	    "missing: the leaf's issuer " DIGICERT_DN);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

/* The issuing CA beside the root */

static void
test_issuing_ca_of_another_company_is_shown_beside_the_root(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *sub, *leaf;

	(void)state;
	sub = issue(&(struct pki_spec){
		.c = "US", .o = "Contoso Corporation", .cn = "Contoso TLS CA",
		.ca = true, .key = env.w.intermediate_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	spec.issuer = sub;
	leaf = issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, sub, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, "the chain verifies up "
	    "to BWC Test Root CA (from --trust-store); issuing CA: Contoso "
	    "Corporation");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
	X509_free(sub);
}

/* An expired certificate sent off the path */

static void
test_expired_cross_sign_off_the_path_warns_naming_it(void **state)
{
	time_t now = time(NULL);
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_leaf(&env.w, FQDN), *old;

	(void)state;
	assert_non_null(leaf);
	/* The root cross-signed by another, long expired: DST Root CA X3. */
	old = issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Test Root CA",
		.ca = true, .key = env.w.root_key,
		.not_before = now - 900 * PKI_DAY,
		.not_after = now - 400 * PKI_DAY,
		.issuer = env.w.other_root, .issuer_key = env.w.other_root_key,
	});
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, old, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_finding(&s, "not-expired", STATUS_PASS, "every certificate of "
	    "the path is valid");
	assert_not_contains(judge_finding(&s, "not-expired")->message,
	    "every certificate is valid");
	assert_finding(&s, "not-expired", STATUS_PASS, "cert 2 (BWC Test Root "
	    "CA), sent but not on the path, expired on");
	assert_finding(&s, "expires-soon", STATUS_FAIL, "cert 2 (BWC Test Root "
	    "CA), sent but not on the path, expired on");
	assert_int_equal(judge_finding(&s, "expires-soon")->cert, 2);
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(old);
	X509_free(leaf);
}

static void
test_valid_chain_without_extras_still_says_every_certificate_is_valid(
    void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_leaf(&env.w, FQDN);

	(void)state;
	assert_non_null(leaf);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "not-expired", STATUS_PASS, "every certificate is "
	    "valid");
	assert_finding(&s, "expires-soon", STATUS_PASS, NULL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

/* A PKCS#7 set has no order */

/* Judge certs as lint judges a PKCS#7 file: the chain marked unordered. */
static void
judge_p7(const struct run *run, struct subject *s, X509 *a, X509 *b)
{
	STACK_OF(X509) *certs = pki_stack(a, b, NULL);
	char *err = NULL;

	assert_non_null(certs);
	subject_init(s, SUBJECT_FILE, "chain.p7b");
	s->fqdn = xstrdup(FQDN);
	assert_int_equal(chain_analyse(run->trust, certs, NULL, &s->chain,
	    &err), 0);
	s->has_chain = true;
	s->chain.unordered = true;
	run_judge(run, s);
	sk_X509_pop_free(certs, X509_free);
}

static void
test_chain_order_of_a_pkcs7_set_is_never_asked_to_be_reordered(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_leaf(&env.w, FQDN);

	(void)state;
	assert_non_null(leaf);
	judge_run_init(&run, env.trust);
	judge_p7(&run, &s, env.w.intermediate, leaf);
	assert_finding(&s, "chain-order", STATUS_SKIP, "a PKCS#7 bundle is a "
	    "set with no order");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	/* The same order from a PEM file is still a warning. */
	judge(&run, FQDN, NULL, &s, env.w.intermediate, leaf, NULL);
	assert_finding(&s, "chain-order", STATUS_FAIL, NULL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_chain_order_of_a_pkcs7_set_in_order_passes(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_leaf(&env.w, FQDN);

	(void)state;
	assert_non_null(leaf);
	judge_run_init(&run, env.trust);
	judge_p7(&run, &s, leaf, env.w.intermediate);
	assert_finding(&s, "chain-order", STATUS_PASS, "leaf first");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_digicert_intermediate_fails_chain_complete_alone_naming_the_brand),
		cmocka_unit_test(test_missing_intermediate_brand_is_read_from_the_aia_host),
		cmocka_unit_test(test_missing_intermediate_of_a_look_alike_host_is_not_a_brand),
		cmocka_unit_test(test_missing_intermediate_of_a_brand_the_policy_leaves_out_still_fails),
		cmocka_unit_test(test_missing_intermediate_with_a_trust_store_names_no_brand),
		cmocka_unit_test(test_issuing_ca_of_another_company_is_shown_beside_the_root),
		cmocka_unit_test(test_expired_cross_sign_off_the_path_warns_naming_it),
		cmocka_unit_test(test_valid_chain_without_extras_still_says_every_certificate_is_valid),
		cmocka_unit_test(test_chain_order_of_a_pkcs7_set_is_never_asked_to_be_reordered),
		cmocka_unit_test(test_chain_order_of_a_pkcs7_set_in_order_passes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

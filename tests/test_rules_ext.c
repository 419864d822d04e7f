/*
 * test_rules_ext.c - signatures and extensions, signature-sha256,
 * key-usage-encipherment, eku-server-auth and eku-client-auth, each
 * made to pass and to fail through the lint pipeline; then what the
 * engine does around every rule: severities, skips for --disable and
 * missing input, and probe rules left out of a file subject.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge.h"

#define FQDN "pbx.example.test"

static struct judge_env env;

/* A root signed with SHA-1, trusted, and an intermediate under it. */
static X509 *sha1_root, *under_sha1_root;
static struct trust *sha1_trust;

static int
group_setup(void **state)
{
	(void)state;
	if (judge_env_init(&env) == -1)
		return -1;
	sha1_root = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC SHA-1 Root CA",
		.ca = true,
		.md = EVP_sha1(),
		.key = env.w.root_key,
	});
	if (sha1_root == NULL)
		return -1;
	under_sha1_root = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI",
		.cn = "BWC Issuing CA under the SHA-1 Root",
		.ca = true,
		.key = env.w.intermediate_key,
		.issuer = sha1_root, .issuer_key = env.w.root_key,
	});
	if (under_sha1_root == NULL)
		return -1;
	if ((sha1_trust = judge_trust(env.dir, "sha1-root.pem",
	    sha1_root)) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	trust_free(sha1_trust);
	X509_free(under_sha1_root);
	X509_free(sha1_root);
	judge_env_free(&env);
	return 0;
}

/* A leaf under the test intermediate: the good leaf with spec's changes. */
static X509 *
leaf_like(const struct pki_spec *changes)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	spec.ku = changes->ku;
	spec.eku = changes->eku;
	spec.md = changes->md;
	if (changes->issuer != NULL) {
		spec.issuer = changes->issuer;
		spec.issuer_key = changes->issuer_key;
	}
	x = pki_issue(&spec);
	assert_non_null(x);
	return x;
}

/* Judge leaf + the test intermediate with the built-in policy. */
static void
judge_leaf(X509 *leaf, struct subject *s)
{
	struct run run;

	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, s, leaf, env.w.intermediate, NULL);
	judge_run_done(&run);
}

/* signature-sha256 */

static void
test_signature_sha256_sha256_chain_passes(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ 0 });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "signature-sha256", STATUS_PASS,
	    "no certificate below the root is signed with SHA-1 or MD5 "
	    "(leaf: sha256WithRSAEncryption)");
	subject_free(&s);
	X509_free(leaf);
}

static void
test_signature_sha256_sha384_leaf_passes(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .md = EVP_sha384() });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "signature-sha256", STATUS_PASS,
	    "(leaf: sha384WithRSAEncryption)");
	subject_free(&s);
	X509_free(leaf);
}

static void
test_signature_sha256_sha1_leaf_fails(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .md = EVP_sha1() });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "signature-sha256", STATUS_FAIL,
	    "cert 0 (" FQDN ") is signed with SHA-1 (sha1WithRSAEncryption)");
	assert_int_equal(judge_finding(&s, "signature-sha256")->cert, 0);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
}

static void
test_signature_sha256_md5_leaf_fails(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .md = EVP_md5() });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "signature-sha256", STATUS_FAIL,
	    "cert 0 (" FQDN ") is signed with MD5 (md5WithRSAEncryption)");
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
}

static void
test_signature_sha256_sha1_intermediate_fails_naming_it(void **state)
{
	X509 *ca, *leaf;
	struct subject s;
	struct run run;

	(void)state;
	ca = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC SHA-1 Issuing CA",
		.ca = true,
		.md = EVP_sha1(),
		.key = env.w.intermediate_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	assert_non_null(ca);
	leaf = leaf_like(&(struct pki_spec){ .issuer = ca,
	    .issuer_key = env.w.intermediate_key });
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	assert_finding(&s, "signature-sha256", STATUS_FAIL,
	    "cert 1 (BWC SHA-1 Issuing CA) is signed with SHA-1");
	assert_int_equal(judge_finding(&s, "signature-sha256")->cert, 1);
	assert_not_contains(judge_finding(&s, "signature-sha256")->message,
	    "cert 0");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
	X509_free(ca);
}

static void
test_signature_sha256_sha1_self_signed_root_is_exempt(void **state)
{
	X509 *leaf;
	struct subject s;
	struct run run;

	(void)state;
	leaf = leaf_like(&(struct pki_spec){ .issuer = under_sha1_root,
	    .issuer_key = env.w.intermediate_key });
	judge_run_init(&run, sha1_trust);
	/* The root in the input... */
	judge(&run, FQDN, NULL, &s, leaf, under_sha1_root, sha1_root, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, "BWC SHA-1 Root CA");
	assert_finding(&s, "signature-sha256", STATUS_PASS, NULL);
	subject_free(&s);
	/* ...and the root from the store only. */
	judge(&run, FQDN, NULL, &s, leaf, under_sha1_root, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, "BWC SHA-1 Root CA");
	assert_finding(&s, "signature-sha256", STATUS_PASS, NULL);
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

/* key-usage-encipherment */

static void
test_key_usage_encipherment_present_passes(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ 0 });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "key-usage-encipherment", STATUS_PASS,
	    "keyUsage includes keyEncipherment");
	subject_free(&s);
	X509_free(leaf);
}

static void
test_key_usage_encipherment_missing_warns(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){
		.ku = PKI_KU_DIGITAL_SIGNATURE });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "key-usage-encipherment", STATUS_FAIL,
	    "keyUsage lacks keyEncipherment (digitalSignature only): "
	    "static-RSA suites (all three allowed ones) need it");
	assert_int_equal(judge_finding(&s, "key-usage-encipherment")->cert, 0);
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	X509_free(leaf);
}

static void
test_key_usage_encipherment_no_key_usage_passes(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .ku = PKI_KU_ABSENT });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "key-usage-encipherment", STATUS_PASS,
	    "the leaf has no keyUsage extension: every use is allowed");
	assert_finding(&s, "leaf-not-ca", STATUS_PASS, NULL);
	subject_free(&s);
	X509_free(leaf);
}

/* eku-server-auth and eku-client-auth */

static void
test_eku_server_and_client_auth_both_pass(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ 0 });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "eku-server-auth", STATUS_PASS,
	    "extendedKeyUsage includes serverAuth");
	assert_finding(&s, "eku-client-auth", STATUS_PASS,
	    "extendedKeyUsage includes clientAuth: usable for mutual TLS");
	subject_free(&s);
	X509_free(leaf);
}

static void
test_eku_server_auth_client_auth_only_fails(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){
		.eku = PKI_EKU_CLIENT_AUTH });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "eku-server-auth", STATUS_FAIL,
	    "extendedKeyUsage lacks serverAuth (clientAuth only)");
	assert_int_equal(judge_finding(&s, "eku-server-auth")->cert, 0);
	assert_finding(&s, "eku-client-auth", STATUS_PASS, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
}

static void
test_eku_server_auth_any_eku_only_fails(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .eku = PKI_EKU_ANY });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "eku-server-auth", STATUS_FAIL,
	    "extendedKeyUsage has anyExtendedKeyUsage but not serverAuth");
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
}

static void
test_eku_server_auth_code_signing_only_fails(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){
		.eku = PKI_EKU_CODE_SIGNING });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "eku-server-auth", STATUS_FAIL,
	    "extendedKeyUsage lacks serverAuth");
	assert_not_contains(judge_finding(&s, "eku-server-auth")->message,
	    "clientAuth only");
	subject_free(&s);
	X509_free(leaf);
}

static void
test_eku_no_extension_passes_both(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .eku = PKI_EKU_ABSENT });
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "eku-server-auth", STATUS_PASS,
	    "the leaf has no extendedKeyUsage: every use is allowed");
	assert_finding(&s, "eku-client-auth", STATUS_PASS,
	    "the leaf has no extendedKeyUsage: clientAuth is allowed");
	subject_free(&s);
	X509_free(leaf);
}

/* A notice never changes the result. */
static void
test_eku_client_auth_server_only_is_a_notice_and_result_stays_pass(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){
		.eku = PKI_EKU_SERVER_AUTH });
	const struct finding *f;
	struct subject s;

	(void)state;
	judge_leaf(leaf, &s);
	assert_finding(&s, "eku-client-auth", STATUS_FAIL,
	    "extendedKeyUsage lacks clientAuth: fine unless the carrier asks "
	    "the PBX for a client certificate");
	f = judge_finding(&s, "eku-client-auth");
	assert_string_equal(severity_name(f->rule->severity),
	    severity_name(SEV_NOTICE));
	assert_finding(&s, "eku-server-auth", STATUS_PASS, NULL);
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
}

/* The engine around the rules. */

static void
test_engine_disabled_failing_rule_is_skipped_and_result_passes(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ .md = EVP_sha1() });
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge_disable(&run, "signature-sha256");
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "signature-sha256", STATUS_SKIP,
	    "disabled by --disable");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_engine_disabled_passing_rules_are_skipped_never_passed(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ 0 });
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge_disable(&run, "rsa-key");
	judge_disable(&run, "key-match");
	judge_disable(&run, "accepted-ca");
	judge(&run, FQDN, env.w.leaf_key, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "rsa-key", STATUS_SKIP, "disabled by --disable");
	assert_finding(&s, "key-match", STATUS_SKIP, "disabled by --disable");
	assert_finding(&s, "accepted-ca", STATUS_SKIP, "disabled by --disable");
	/* The rest still run. */
	assert_finding(&s, "rsa-key-size", STATUS_PASS, NULL);
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_engine_file_subject_has_every_offline_rule_and_no_probe_or_listen_rule(void **state)
{
	X509 *leaf = leaf_like(&(struct pki_spec){ 0 });
	struct subject s;
	size_t i, offline = 0;

	(void)state;
	judge_leaf(leaf, &s);
	for (i = 0; i < rule_count; i++) {
		const struct finding *f = judge_finding(&s, rule_table[i].id);

		if (rule_table[i].needs & (NEEDS_PROBE | NEEDS_CLIENT)) {
			if (f != NULL)
				fail_msg("probe or listen rule %s judged a file "
				    "subject", rule_table[i].id);
			continue;
		}
		if (f == NULL)
			fail_msg("offline rule %s missing from the findings",
			    rule_table[i].id);
		/* In table order, stamped with the table's row. */
		assert_ptr_equal(f->rule, &rule_table[i]);
		assert_ptr_equal(&s.findings[offline], f);
		offline++;
	}
	assert_int_equal(s.n_findings, offline);
	assert_null(judge_finding(&s, "tls12"));
	assert_null(judge_finding(&s, "cipher-allowed"));
	assert_null(judge_finding(&s, "sip-options"));
	subject_free(&s);
	X509_free(leaf);
}

static void
test_engine_subject_without_chain_skips_every_chain_rule(void **state)
{
	struct subject s;
	struct run run;
	size_t i;

	(void)state;
	judge_run_init(&run, env.trust);
	subject_init(&s, SUBJECT_FILE, "nothing.pem");
	s.fqdn = xstrdup(FQDN);
	run_judge(&run, &s);
	assert_int_not_equal(s.n_findings, 0);
	for (i = 0; i < s.n_findings; i++) {
		if (s.findings[i].status != STATUS_SKIP)
			fail_msg("%s: %s, not skipped", s.findings[i].rule->id,
			    status_name(s.findings[i].status));
		assert_contains(s.findings[i].message,
		    "no certificate chain was obtained");
	}
	subject_free(&s);
	judge_run_done(&run);
}

static void
test_engine_subject_with_error_is_left_as_error(void **state)
{
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	subject_init(&s, SUBJECT_FILE, "broken.pem");
	subject_set_error(&s, "%s: bad PEM", "broken.pem");
	run_judge(&run, &s);
	assert_result(&s, RESULT_ERROR);
	assert_int_equal(s.n_findings, 0);
	assert_string_equal(s.error, "broken.pem: bad PEM");
	subject_free(&s);
	judge_run_done(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_sha256_sha256_chain_passes),
		cmocka_unit_test(test_signature_sha256_sha384_leaf_passes),
		cmocka_unit_test(test_signature_sha256_sha1_leaf_fails),
		cmocka_unit_test(test_signature_sha256_md5_leaf_fails),
		cmocka_unit_test(test_signature_sha256_sha1_intermediate_fails_naming_it),
		cmocka_unit_test(test_signature_sha256_sha1_self_signed_root_is_exempt),
		cmocka_unit_test(test_key_usage_encipherment_present_passes),
		cmocka_unit_test(test_key_usage_encipherment_missing_warns),
		cmocka_unit_test(test_key_usage_encipherment_no_key_usage_passes),
		cmocka_unit_test(test_eku_server_and_client_auth_both_pass),
		cmocka_unit_test(test_eku_server_auth_client_auth_only_fails),
		cmocka_unit_test(test_eku_server_auth_any_eku_only_fails),
		cmocka_unit_test(test_eku_server_auth_code_signing_only_fails),
		cmocka_unit_test(test_eku_no_extension_passes_both),
		cmocka_unit_test(test_eku_client_auth_server_only_is_a_notice_and_result_stays_pass),
		cmocka_unit_test(test_engine_disabled_failing_rule_is_skipped_and_result_passes),
		cmocka_unit_test(test_engine_disabled_passing_rules_are_skipped_never_passed),
		cmocka_unit_test(test_engine_file_subject_has_every_offline_rule_and_no_probe_or_listen_rule),
		cmocka_unit_test(test_engine_subject_without_chain_skips_every_chain_rule),
		cmocka_unit_test(test_engine_subject_with_error_is_left_as_error),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

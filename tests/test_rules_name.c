/*
 * test_rules_name.c - fqdn-match through the lint pipeline: SAN
 * dNSName entries only, wildcards for exactly one label and only when
 * the policy allows them, no CN fallback, NUL bytes never match, and
 * the rule skipped without --fqdn.  The matcher's own cases are in
 * test_fqdn.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <openssl/x509v3.h>

#include "judge.h"

#define FQDN "pbx.example.test"

JUDGE_GROUP_FIXTURES

/* A leaf under the test intermediate with CN FQDN and spec's names. */
static X509 *
leaf_named(const struct pki_spec *names)
{
	struct pki_spec spec = *names;
	X509 *x;

	spec.cn = FQDN;
	spec.key = env.w.leaf_key;
	spec.issuer = env.w.intermediate;
	spec.issuer_key = env.w.intermediate_key;
	x = pki_issue(&spec);
	assert_non_null(x);
	return x;
}

/*
 * Judge leaf + intermediate for fqdn with the built-in policy, wildcards
 * as given, and assert fqdn-match's status and a part of its message.
 */
static void
check_name(X509 *leaf, const char *fqdn, bool wildcards, enum status st,
    const char *needle)
{
	struct subject s;
	struct run run;

	judge_run_init(&run, env.trust);
	run.policy.wildcards = wildcards;
	judge(&run, fqdn, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "fqdn-match", st, needle);
	if (st == STATUS_FAIL) {
		assert_int_equal(judge_finding(&s, "fqdn-match")->cert, 0);
		assert_result(&s, RESULT_FAIL);
		/* Without wildcards the fix never suggests one. */
		if (!wildcards) {
			assert_non_null(judge_finding(&s, "fqdn-match")->fix);
			assert_contains(judge_finding(&s, "fqdn-match")->fix,
			    "allows no wildcards");
		} else
			assert_null(judge_finding(&s, "fqdn-match")->fix);
	}
	subject_free(&s);
	judge_run_done(&run);
}

static void
test_fqdn_match_exact_san_passes(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){ .dns = { { FQDN, 0 } } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_PASS,
	    "SAN " FQDN " covers " FQDN);
	X509_free(leaf);
}

static void
test_fqdn_match_san_in_other_case_passes(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "PBX.Example.TEST", 0 } } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_PASS,
	    "SAN PBX.Example.TEST covers " FQDN);
	X509_free(leaf);
}

static void
test_fqdn_match_second_san_matches_and_is_named(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "www.example.test", 0 }, { FQDN, 0 } } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_PASS, "SAN " FQDN " covers");
	X509_free(leaf);
}

static void
test_fqdn_match_wildcard_covering_the_fqdn_passes(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "*.example.test", 0 } } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_PASS,
	    "SAN *.example.test covers " FQDN " (wildcard)");
	X509_free(leaf);
}

static void
test_fqdn_match_wildcard_two_labels_down_fails_saying_one_label(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "*.example.test", 0 } } });

	(void)state;
	check_name(leaf, "a.pbx.example.test", true, STATUS_FAIL,
	    "*.example.test stands for exactly one label, so it does not cover "
	    "a.pbx.example.test");
	X509_free(leaf);
}

static void
test_fqdn_match_unrelated_sans_fail_listing_them(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "*.example.org", 0 }, { "www.example.test", 0 } } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_FAIL,
	    "no SAN dNSName covers " FQDN " (SANs: *.example.org, "
	    "www.example.test)");
	X509_free(leaf);
}

static void
test_fqdn_match_wildcard_never_covers_the_apex(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "*.example.test", 0 } } });

	(void)state;
	check_name(leaf, "example.test", true, STATUS_FAIL,
	    "no SAN dNSName covers example.test");
	X509_free(leaf);
}

static void
test_fqdn_match_partial_label_wildcard_fails(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "p*.example.test", 0 } } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_FAIL,
	    "no SAN dNSName covers " FQDN " (SANs: p*.example.test)");
	X509_free(leaf);
}

static void
test_fqdn_match_wildcard_disallowed_by_policy_fails_saying_so(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "*.example.test", 0 } } });

	(void)state;
	check_name(leaf, FQDN, false, STATUS_FAIL,
	    "only the wildcard *.example.test covers " FQDN ", and policy "
	    "bandwidth does not allow wildcards");
	X509_free(leaf);
}

static void
test_fqdn_match_wildcards_disallowed_exact_san_still_passes(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "*.example.test", 0 }, { FQDN, 0 } } });

	(void)state;
	check_name(leaf, FQDN, false, STATUS_PASS, "SAN " FQDN " covers");
	X509_free(leaf);
}

static void
test_fqdn_match_no_san_fails_without_cn_fallback(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){ .cn = FQDN });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_FAIL,
	    "the leaf has no SAN dNSName (the CN is not used): nothing covers "
	    FQDN);
	X509_free(leaf);
}

static void
test_fqdn_match_ip_and_uri_sans_do_not_count(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.ip = { "192.0.2.10" },
		.uri = { "sip:" FQDN } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_FAIL, "the leaf has no SAN dNSName");
	X509_free(leaf);
}

static void
test_fqdn_match_embedded_nul_fails_and_is_escaped(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { PKI_BYTES(FQDN "\0.evil.test") } });

	(void)state;
	check_name(leaf, FQDN, true, STATUS_FAIL,
	    "(SANs: " FQDN "\\x00.evil.test)");
	X509_free(leaf);
}

static void
test_fqdn_match_escape_sequence_in_san_is_escaped(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "\x1b[2J" FQDN, 0 } } });
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "fqdn-match", STATUS_FAIL, "\\x1b[2J" FQDN);
	assert_not_contains(judge_finding(&s, "fqdn-match")->message, "\x1b");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_fqdn_match_many_sans_are_listed_up_to_eight(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){ .dns = {
		{ "a.example.test", 0 }, { "b.example.test", 0 },
		{ "c.example.test", 0 }, { "d.example.test", 0 },
		{ "e.example.test", 0 }, { "f.example.test", 0 },
		{ "g.example.test", 0 }, { "h.example.test", 0 } } });
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "fqdn-match", STATUS_FAIL,
	    "(SANs: a.example.test, b.example.test, c.example.test, "
	    "d.example.test, e.example.test, f.example.test, g.example.test, "
	    "h.example.test)");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

/* A second subjectAltName extension makes the SAN undecidable. */
static void
test_fqdn_match_duplicate_san_extension_fails(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){ .dns = { { FQDN, 0 } } });
	GENERAL_NAMES *gens;
	GENERAL_NAME *gen;
	ASN1_IA5STRING *ia5;

	(void)state;
	gens = sk_GENERAL_NAME_new_null();
	gen = GENERAL_NAME_new();
	ia5 = ASN1_IA5STRING_new();
	assert_non_null(gens);
	assert_non_null(gen);
	assert_non_null(ia5);
	assert_int_equal(ASN1_STRING_set(ia5, "evil.example.test", -1), 1);
	GENERAL_NAME_set0_value(gen, GEN_DNS, ia5);
	assert_int_not_equal(sk_GENERAL_NAME_push(gens, gen), 0);
	assert_int_equal(X509_add1_ext_i2d(leaf, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_APPEND), 1);
	GENERAL_NAMES_free(gens);
	assert_int_not_equal(X509_sign(leaf, env.w.intermediate_key,
	    EVP_sha256()), 0);
	check_name(leaf, FQDN, true, STATUS_FAIL,
	    "the leaf's subjectAltName extension is duplicated or undecodable");
	X509_free(leaf);
}

static void
test_fqdn_match_without_fqdn_is_skipped_never_passed(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){ .dns = { { FQDN, 0 } } });
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, NULL, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "fqdn-match", STATUS_SKIP, "no --fqdn given");
	/* Other rules still run. */
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_PASS);
	/* The pass is not the whole story: the report must say so. */
	assert_true(judge_finding(&s, "fqdn-match")->not_checked);
	assert_false(judge_finding(&s, "accepted-ca")->not_checked);
	/* key-match is optional (only with --key): never "not checked". */
	assert_false(judge_finding(&s, "key-match")->not_checked);
	assert_int_equal(subject_n_not_checked(&s), 1);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

static void
test_fqdn_match_disabled_is_skipped_even_when_it_would_fail(void **state)
{
	X509 *leaf = leaf_named(&(struct pki_spec){
		.dns = { { "other.example.test", 0 } } });
	struct subject s;
	struct run run;

	(void)state;
	judge_run_init(&run, env.trust);
	judge_disable(&run, "fqdn-match");
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "fqdn-match", STATUS_SKIP, "disabled by --disable");
	assert_result(&s, RESULT_PASS);
	/* --disable is the user's choice, not missing input. */
	assert_false(judge_finding(&s, "fqdn-match")->not_checked);
	assert_int_equal(subject_n_not_checked(&s), 0);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(leaf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fqdn_match_exact_san_passes),
		cmocka_unit_test(test_fqdn_match_san_in_other_case_passes),
		cmocka_unit_test(test_fqdn_match_second_san_matches_and_is_named),
		cmocka_unit_test(test_fqdn_match_wildcard_covering_the_fqdn_passes),
		cmocka_unit_test(test_fqdn_match_wildcard_two_labels_down_fails_saying_one_label),
		cmocka_unit_test(test_fqdn_match_unrelated_sans_fail_listing_them),
		cmocka_unit_test(test_fqdn_match_wildcard_never_covers_the_apex),
		cmocka_unit_test(test_fqdn_match_partial_label_wildcard_fails),
		cmocka_unit_test(test_fqdn_match_wildcard_disallowed_by_policy_fails_saying_so),
		cmocka_unit_test(test_fqdn_match_wildcards_disallowed_exact_san_still_passes),
		cmocka_unit_test(test_fqdn_match_no_san_fails_without_cn_fallback),
		cmocka_unit_test(test_fqdn_match_ip_and_uri_sans_do_not_count),
		cmocka_unit_test(test_fqdn_match_embedded_nul_fails_and_is_escaped),
		cmocka_unit_test(test_fqdn_match_escape_sequence_in_san_is_escaped),
		cmocka_unit_test(test_fqdn_match_many_sans_are_listed_up_to_eight),
		cmocka_unit_test(test_fqdn_match_duplicate_san_extension_fails),
		cmocka_unit_test(test_fqdn_match_without_fqdn_is_skipped_never_passed),
		cmocka_unit_test(test_fqdn_match_disabled_is_skipped_even_when_it_would_fail),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * test_rules_chain.c - the chain rules, accepted-ca, chain-complete,
 * chain-order, not-self-signed, leaf-not-ca and root-retiring, each made
 * to pass and to fail through the lint pipeline.  root-retiring is also
 * called directly with a hand-made chain_facts, since no test chain can
 * reach a built-in root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/timeutil.h"
#include "judge.h"

#define FQDN "pbx.example.test"
#define AIA_URL "http://pki.example.test/bwc-issuing-ca.der"
#define ISSUING_DN "CN=BWC Test Issuing CA,O=BWC Test PKI,C=US"
#define OTHER_ROOT_DN "CN=Other Test Root,O=BWC Test PKI,C=US"

JUDGE_GROUP_FIXTURES

static X509 *
good_leaf(void)
{
	X509 *x = pki_world_leaf(&env.w, FQDN);

	assert_non_null(x);
	return x;
}

/* accepted-ca */

static void
test_accepted_ca_chain_to_the_test_root_passes_naming_it(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS,
	    "the chain verifies up to BWC Test Root CA (from --trust-store)");
	assert_finding(&s, "chain-complete", STATUS_PASS,
	    "2 certificates given reach the root with nothing fetched");
	assert_finding(&s, "chain-order", STATUS_PASS,
	    "leaf first, each signed by the next");
	assert_finding(&s, "not-self-signed", STATUS_PASS,
	    "issued by " ISSUING_DN);
	assert_finding(&s, "leaf-not-ca", STATUS_PASS,
	    "the leaf is an end-entity certificate");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_accepted_ca_chain_to_an_unlisted_root_fails_naming_it(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_other_leaf(&env.w, FQDN);

	(void)state;
	assert_non_null(leaf);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.other_intermediate,
	    env.w.other_root, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "not an accepted CA");
	assert_finding(&s, "accepted-ca", STATUS_FAIL,
	    "the chain ends at cert 2 (Other Test Root)");
	assert_int_equal(judge_finding(&s, "accepted-ca")->cert, 2);
	/* Nothing is missing: the path was built to its (wrong) end. */
	assert_finding(&s, "chain-complete", STATUS_PASS,
	    "every issuer up to " OTHER_ROOT_DN " is in the input");
	assert_finding(&s, "chain-order", STATUS_PASS, NULL);
	assert_finding(&s, "root-retiring", STATUS_SKIP,
	    "no accepted root reached");
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_accepted_ca_unlisted_root_left_out_fails_both_chain_rules(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = pki_world_other_leaf(&env.w, FQDN);

	(void)state;
	assert_non_null(leaf);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.other_intermediate, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL,
	    "no path to an accepted root: the issuer of cert 1 (Other Test "
	    "Issuing CA), " OTHER_ROOT_DN ", is neither given nor an accepted "
	    "root");
	assert_finding(&s, "chain-complete", STATUS_FAIL,
	    "an intermediate is missing, or the chain leads to a root that is "
	    "not accepted");
	assert_int_equal(judge_finding(&s, "chain-complete")->cert, 1);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* chain-complete */

static void
test_chain_complete_leaf_only_names_the_issuer_and_its_aia_url(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	spec.aia_ca_issuers = AIA_URL;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "chain-complete", STATUS_FAIL,
	    "intermediate missing: the leaf's issuer " ISSUING_DN " is not in "
	    "the input (the CA publishes it at " AIA_URL ")");
	assert_int_equal(judge_finding(&s, "chain-complete")->cert, 0);
	assert_finding(&s, "accepted-ca", STATUS_FAIL,
	    "is neither given nor an accepted root");
	/* The leaf alone is still in order, and still RSA. */
	assert_finding(&s, "chain-order", STATUS_PASS, NULL);
	assert_finding(&s, "rsa-key", STATUS_PASS, NULL);
	assert_finding(&s, "fqdn-match", STATUS_PASS, NULL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_chain_complete_leaf_only_without_aia_gives_no_url(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "chain-complete", STATUS_FAIL,
	    "intermediate missing: the leaf's issuer " ISSUING_DN);
	assert_not_contains(judge_finding(&s, "chain-complete")->message,
	    "publishes");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* chain-order */

static void
test_chain_order_reversed_fails_and_other_rules_still_pass(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, env.w.intermediate, leaf, NULL);
	assert_finding(&s, "chain-order", STATUS_FAIL,
	    "the leaf is cert 1 (" FQDN "), not the first certificate");
	assert_int_equal(judge_finding(&s, "chain-order")->cert, 1);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	assert_finding(&s, "rsa-key", STATUS_PASS, NULL);
	assert_finding(&s, "not-self-signed", STATUS_PASS, NULL);
	assert_finding(&s, "not-expired", STATUS_PASS, NULL);
	assert_finding(&s, "fqdn-match", STATUS_PASS, NULL);
	assert_finding(&s, "leaf-not-ca", STATUS_PASS, NULL);
	/* chain-order is a warning. */
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_chain_order_root_before_intermediate_fails_naming_it(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.root, env.w.intermediate, NULL);
	assert_finding(&s, "chain-order", STATUS_FAIL,
	    "cert 0 is not signed by cert 1");
	assert_int_equal(judge_finding(&s, "chain-order")->cert, 0);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_chain_order_with_the_root_included_passes(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, env.w.root, NULL);
	assert_finding(&s, "chain-order", STATUS_PASS,
	    "leaf first, each signed by the next");
	assert_not_contains(judge_finding(&s, "chain-order")->message,
	    "after the path");
	assert_finding(&s, "chain-complete", STATUS_PASS,
	    "3 certificates given reach the root");
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_chain_order_extra_unrelated_cert_after_the_path_passes(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, env.w.other_root,
	    NULL);
	assert_finding(&s, "chain-order", STATUS_PASS,
	    "1 certificate after the path is not used");
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* not-self-signed */

static void
test_not_self_signed_self_signed_leaf_fails(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	spec.issuer = NULL;
	spec.issuer_key = NULL;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "not-self-signed", STATUS_FAIL,
	    "the leaf is self-signed (issuer = subject = CN=" FQDN ")");
	assert_int_equal(judge_finding(&s, "not-self-signed")->cert, 0);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "not an accepted CA");
	assert_finding(&s, "leaf-not-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_not_self_signed_self_issued_leaf_signed_by_another_key_passes(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	spec.issuer = NULL;	/* issuer name = subject */
	spec.issuer_key = env.w.intermediate_key;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, NULL);
	assert_finding(&s, "not-self-signed", STATUS_PASS,
	    "another key signed it");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* leaf-not-ca */

static void
test_leaf_not_ca_leaf_with_ca_true_fails(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	spec.ca = true;
	spec.ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_KEY_ENCIPHERMENT;
	spec.eku = PKI_EKU_SERVER_AUTH | PKI_EKU_CLIENT_AUTH;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_int_equal(s.chain.leaf, 0);
	assert_finding(&s, "leaf-not-ca", STATUS_FAIL,
	    "the leaf has basicConstraints cA=TRUE: it is a CA certificate");
	assert_int_equal(judge_finding(&s, "leaf-not-ca")->cert, 0);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_leaf_not_ca_leaf_with_key_cert_sign_fails(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;

	(void)state;
	spec.ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_KEY_ENCIPHERMENT |
	    PKI_KU_KEY_CERT_SIGN;
	leaf = judge_issue(&spec);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "leaf-not-ca", STATUS_FAIL,
	    "the leaf's keyUsage includes keyCertSign");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* root-retiring */

static void
test_root_retiring_custom_store_root_is_skipped(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "root-retiring", STATUS_SKIP,
	    "the root is from --trust-store; no removal date is known");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_root_retiring_builtin_store_test_chain_is_skipped_as_unaccepted(void **state)
{
	struct trust *builtin;
	struct subject s;
	struct run run;
	char *err = NULL;
	X509 *leaf = good_leaf();

	(void)state;
	run_init(&run);
	builtin = trust_load_builtin(&run.policy, &err);
	if (builtin == NULL)
		print_error("trust_load_builtin: %s\n", err);
	assert_non_null(builtin);
	assert_true(builtin->builtin);
	run.trust = builtin;
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, env.w.root, NULL);
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "not an accepted CA");
	assert_finding(&s, "root-retiring", STATUS_SKIP,
	    "no accepted root reached");
	subject_free(&s);
	X509_free(leaf);
	run_free(&run);		/* frees builtin */
}

/* The row of root_table check_root_retiring() is judged against. */
static const struct root_info *
dated_row(void)
{
	size_t i;

	for (i = 0; i < root_table_len; i++)
		if (root_table[i].mozilla_removal != NULL &&
		    root_removal_time(&root_table[i]) != (time_t)-1)
			return &root_table[i];
	fail_msg("no row of root_table has a removal date");
	return NULL;
}

/*
 * check_root_retiring() on a verified chain anchored at info, judged at
 * now with warn_days.  Returns the verdict's status; *msg gets the
 * message (caller frees).
 */
static enum status
retiring(const struct root_info *info, time_t now, int warn_days,
    char **msg)
{
	struct chain_facts c;
	struct check_input in;
	struct verdict v = { .status = STATUS_SKIP, .cert = -1 };
	struct run run;

	run_init(&run);
	run.policy.warn_days = warn_days;
	run.now = now;
	memset(&c, 0, sizeof(c));
	c.status = CHAIN_VERIFIED;
	c.has_anchor = true;
	c.anchor_info = info;
	c.anchor_input = -1;
	in = (struct check_input){ .policy = &run.policy,
	    .now = now, .chain = &c };
	check_root_retiring(&in, &v);
	assert_non_null(v.message);
	*msg = v.message;
	run_free(&run);
	return v.status;
}

static char *
expected_name(const struct root_info *row)
{
	return xasprintf("%s root %s", brand_name(row->brand), row->name);
}

static void
test_root_retiring_removal_in_the_past_fails_naming_the_date(void **state)
{
	const struct root_info *row = dated_row();
	time_t when = root_removal_time(row);
	char *msg, *name, *want;

	(void)state;
	assert_int_equal(retiring(row, when + 86400, 30, &msg), STATUS_FAIL);
	name = expected_name(row);
	want = xasprintf("%s left Mozilla's root store for TLS on %s", name,
	    row->mozilla_removal);
	assert_contains(msg, want);
	free(want);
	free(name);
	free(msg);
}

static void
test_root_retiring_removal_within_warn_days_fails_counting_days(void **state)
{
	const struct root_info *row = dated_row();
	time_t when = root_removal_time(row);
	char *msg, *want;

	(void)state;
	assert_int_equal(retiring(row, when - 10 * 86400, 30, &msg),
	    STATUS_FAIL);
	want = xasprintf("leaves Mozilla's root store for TLS on %s, in 10 days",
	    row->mozilla_removal);
	assert_contains(msg, want);
	free(want);
	free(msg);

	/* One day is singular; the warn-days boundary itself still warns. */
	assert_int_equal(retiring(row, when - 86400, 30, &msg), STATUS_FAIL);
	assert_contains(msg, "in 1 day");
	assert_not_contains(msg, "in 1 days");
	free(msg);
	assert_int_equal(retiring(row, when - 30 * 86400, 30, &msg),
	    STATUS_FAIL);
	assert_contains(msg, "in 30 days");
	free(msg);
}

static void
test_root_retiring_removal_far_away_passes(void **state)
{
	const struct root_info *row = dated_row();
	time_t when = root_removal_time(row);
	char *msg, *name, *want;

	(void)state;
	assert_int_equal(retiring(row, when - 400 * 86400L, 30, &msg),
	    STATUS_PASS);
	name = expected_name(row);
	want = xasprintf("%s stays in Mozilla's root store until %s", name,
	    row->mozilla_removal);
	assert_contains(msg, want);
	free(want);
	free(name);
	free(msg);

	/* Just past the warn-days window. */
	assert_int_equal(retiring(row, when - 31 * 86400, 30, &msg),
	    STATUS_PASS);
	free(msg);
}

static void
test_root_retiring_root_without_removal_date_passes(void **state)
{
	static const struct root_info undated = {
		.brand = BRAND_LETSENCRYPT, .name = "Undated Test Root",
		.spki_sha256 = "00", .mozilla_removal = NULL, .why = "test",
	};
	char *msg;

	(void)state;
	assert_int_equal(retiring(&undated, time(NULL), 30, &msg),
	    STATUS_PASS);
	assert_contains(msg, "Let's Encrypt root Undated Test Root: no removal "
	    "from Mozilla's store is scheduled");
	free(msg);
}

/* Through the engine: a retired anchor is a warning on the subject. */
static void
test_root_retiring_retired_anchor_makes_the_subject_warn(void **state)
{
	static const struct root_info retired = {
		.brand = BRAND_GLOBALSIGN, .name = "Retired Test Root",
		.spki_sha256 = "00", .mozilla_removal = "2001-04-15",
		.why = "test",
	};
	STACK_OF(X509) *certs;
	struct subject s;
	struct run run;
	char *err = NULL;
	X509 *leaf = good_leaf();

	(void)state;
	judge_run_init(&run, env.trust);
	certs = pki_stack(leaf, env.w.intermediate, NULL);
	assert_non_null(certs);
	subject_init(&s, SUBJECT_FILE, "chain.pem");
	s.fqdn = xstrdup(FQDN);
	assert_int_equal(chain_analyse(run.trust, certs, NULL, &s.chain, &err),
	    0);
	s.has_chain = true;
	/* As if the test root were a built-in root that has left. */
	s.chain.anchor_info = &retired;
	run_judge(&run, &s);
	assert_finding(&s, "root-retiring", STATUS_FAIL,
	    "GlobalSign root Retired Test Root left Mozilla's root store for "
	    "TLS on 2001-04-15");
	assert_finding(&s, "accepted-ca", STATUS_PASS,
	    "the chain verifies up to GlobalSign root Retired Test Root");
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	sk_X509_pop_free(certs, X509_free);
	X509_free(leaf);
	judge_run_done(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_ca_chain_to_the_test_root_passes_naming_it),
		cmocka_unit_test(test_accepted_ca_chain_to_an_unlisted_root_fails_naming_it),
		cmocka_unit_test(test_accepted_ca_unlisted_root_left_out_fails_both_chain_rules),
		cmocka_unit_test(test_chain_complete_leaf_only_names_the_issuer_and_its_aia_url),
		cmocka_unit_test(test_chain_complete_leaf_only_without_aia_gives_no_url),
		cmocka_unit_test(test_chain_order_reversed_fails_and_other_rules_still_pass),
		cmocka_unit_test(test_chain_order_root_before_intermediate_fails_naming_it),
		cmocka_unit_test(test_chain_order_with_the_root_included_passes),
		cmocka_unit_test(test_chain_order_extra_unrelated_cert_after_the_path_passes),
		cmocka_unit_test(test_not_self_signed_self_signed_leaf_fails),
		cmocka_unit_test(test_not_self_signed_self_issued_leaf_signed_by_another_key_passes),
		cmocka_unit_test(test_leaf_not_ca_leaf_with_ca_true_fails),
		cmocka_unit_test(test_leaf_not_ca_leaf_with_key_cert_sign_fails),
		cmocka_unit_test(test_root_retiring_custom_store_root_is_skipped),
		cmocka_unit_test(test_root_retiring_builtin_store_test_chain_is_skipped_as_unaccepted),
		cmocka_unit_test(test_root_retiring_removal_in_the_past_fails_naming_the_date),
		cmocka_unit_test(test_root_retiring_removal_within_warn_days_fails_counting_days),
		cmocka_unit_test(test_root_retiring_removal_far_away_passes),
		cmocka_unit_test(test_root_retiring_root_without_removal_date_passes),
		cmocka_unit_test(test_root_retiring_retired_anchor_makes_the_subject_warn),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * test_rules_time.c - validity, not-expired and expires-soon, over every
 * certificate of the chain (intermediates and the root reached
 * included), and the subject's result: pass, warn or fail.
 *
 * Every certificate's validity is set relative to one instant, base,
 * taken in the group setup, and every run judges at base (as --at
 * does), so the day counts in the messages are exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/timeutil.h"
#include "judge.h"

#define FQDN "pbx.example.test"

static struct judge_env env;
static time_t base;

/* A second hierarchy whose root expired yesterday. */
static X509 *expired_root, *under_expired_root;
static struct trust *expired_trust;

static int
group_setup(void **state)
{
	(void)state;
	if (judge_env_init(&env) == -1)
		return -1;
	base = time(NULL);
	/* The CA keys are reused under other names: no new key to make. */
	expired_root = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Expired Root CA",
		.ca = true,
		.not_before = base - 3650 * PKI_DAY,
		.not_after = base - PKI_DAY,
		.key = env.w.root_key,
	});
	if (expired_root == NULL)
		return -1;
	under_expired_root = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI",
		.cn = "BWC Issuing CA under the Expired Root",
		.ca = true,
		.not_before = base - 365 * PKI_DAY,
		.not_after = base + 365 * PKI_DAY,
		.key = env.w.intermediate_key,
		.issuer = expired_root, .issuer_key = env.w.root_key,
	});
	if (under_expired_root == NULL)
		return -1;
	if ((expired_trust = judge_trust(env.dir, "expired-root.pem",
	    expired_root)) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	trust_free(expired_trust);
	X509_free(under_expired_root);
	X509_free(expired_root);
	judge_env_free(&env);
	return 0;
}

/* A leaf for FQDN under the test intermediate, valid from nb to na. */
static X509 *
leaf_valid(time_t nb, time_t na)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	spec.not_before = nb;
	spec.not_after = na;
	x = pki_issue(&spec);
	assert_non_null(x);
	return x;
}

/* A run against the test root judging at base, warning at warn_days. */
static void
run_at_base(struct run *run, int warn_days)
{
	judge_run_init(run, env.trust);
	run->now = base;
	run->policy.warn_days = warn_days;
}

/* "what DATE" with DATE the RFC 3339 form of t. */
static char *
with_date(const char *what, time_t t)
{
	char when[32];

	time_format(t, when, sizeof(when));
	return xasprintf("%s%s", what, when);
}

/* not-expired */

static void
test_not_expired_valid_chain_passes_naming_the_first_to_expire(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - PKI_DAY, base + 90 * PKI_DAY);
	char *want;

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	want = with_date("every certificate is valid; the first to expire is "
	    "cert 0 (" FQDN "), on ", base + 90 * PKI_DAY);
	assert_finding(&s, "not-expired", STATUS_PASS, want);
	assert_finding(&s, "expires-soon", STATUS_PASS,
	    "cert 0 (" FQDN ") expires in 90 days");
	assert_finding(&s, "expires-soon", STATUS_PASS, "more than 30");
	free(want);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_not_expired_expired_leaf_fails_naming_the_date(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 100 * PKI_DAY, base - 10 * PKI_DAY);
	char *want;

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	want = with_date("cert 0 (" FQDN ") expired on ", base - 10 * PKI_DAY);
	assert_finding(&s, "not-expired", STATUS_FAIL, want);
	assert_int_equal(judge_finding(&s, "not-expired")->cert, 0);
	free(want);
	/* Said once, by not-expired: expires-soon does not warn again. */
	assert_finding(&s, "expires-soon", STATUS_SKIP,
	    "1 certificate has already expired: not-expired reports it");
	/* Time is judged by its own rules, never by path building. */
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_not_expired_not_yet_valid_leaf_fails(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base + 2 * PKI_DAY, base + 90 * PKI_DAY);
	char *want;

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	want = with_date("cert 0 (" FQDN ") is not valid before ",
	    base + 2 * PKI_DAY);
	assert_finding(&s, "not-expired", STATUS_FAIL, want);
	free(want);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_not_expired_expired_intermediate_fails_naming_it(void **state)
{
	struct subject s;
	struct run run;
	X509 *ca, *leaf;
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	char *want;

	(void)state;
	ca = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Expired Issuing CA",
		.ca = true,
		.not_before = base - 400 * PKI_DAY,
		.not_after = base - 3 * PKI_DAY,
		.key = env.w.intermediate_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	assert_non_null(ca);
	spec.issuer = ca;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	want = with_date("cert 1 (BWC Expired Issuing CA) expired on ",
	    base - 3 * PKI_DAY);
	assert_finding(&s, "not-expired", STATUS_FAIL, want);
	assert_int_equal(judge_finding(&s, "not-expired")->cert, 1);
	assert_not_contains(judge_finding(&s, "not-expired")->message,
	    "cert 0");
	free(want);
	assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	subject_free(&s);
	X509_free(leaf);
	X509_free(ca);
	judge_run_done(&run);
}

static void
test_not_expired_expired_root_from_the_store_fails_naming_it(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;
	char *want;

	(void)state;
	spec.issuer = under_expired_root;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);
	judge_run_init(&run, expired_trust);
	run.now = base;
	judge(&run, FQDN, NULL, &s, leaf, under_expired_root, NULL);
	assert_finding(&s, "accepted-ca", STATUS_PASS, "BWC Expired Root CA");
	want = with_date("root BWC Expired Root CA expired on ", base - PKI_DAY);
	assert_finding(&s, "not-expired", STATUS_FAIL, want);
	assert_int_equal(judge_finding(&s, "not-expired")->cert, -1);
	free(want);
	assert_finding(&s, "expires-soon", STATUS_SKIP,
	    "not-expired reports it");
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_not_expired_expired_root_in_the_input_fails_naming_it(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *leaf;
	char *want;

	(void)state;
	spec.issuer = under_expired_root;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);
	judge_run_init(&run, expired_trust);
	run.now = base;
	judge(&run, FQDN, NULL, &s, leaf, under_expired_root, expired_root,
	    NULL);
	want = with_date("cert 2 (BWC Expired Root CA) expired on ",
	    base - PKI_DAY);
	assert_finding(&s, "not-expired", STATUS_FAIL, want);
	assert_int_equal(judge_finding(&s, "not-expired")->cert, 2);
	free(want);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* expires-soon */

static void
test_expires_soon_leaf_in_5_days_with_warn_30_warns(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base + 5 * PKI_DAY);
	char *want;

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	want = with_date("cert 0 (" FQDN ") expires in 5 days (",
	    base + 5 * PKI_DAY);
	assert_finding(&s, "expires-soon", STATUS_FAIL, want);
	assert_finding(&s, "expires-soon", STATUS_FAIL, "(warning at 30 days)");
	assert_int_equal(judge_finding(&s, "expires-soon")->cert, 0);
	free(want);
	assert_finding(&s, "not-expired", STATUS_PASS, NULL);
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_expires_soon_leaf_in_5_days_with_warn_3_passes(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base + 5 * PKI_DAY);
	char *want;

	(void)state;
	run_at_base(&run, 3);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	want = with_date("cert 0 (" FQDN ") expires in 5 days (",
	    base + 5 * PKI_DAY);
	assert_finding(&s, "expires-soon", STATUS_PASS, want);
	assert_finding(&s, "expires-soon", STATUS_PASS, "more than 3");
	free(want);
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_expires_soon_one_day_left_is_singular(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base + PKI_DAY + 3600);

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL, "expires in 1 day (");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_expires_soon_intermediate_within_warn_days_warns_naming_it(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *ca, *leaf;
	char *want;

	(void)state;
	ca = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Expiring Issuing CA",
		.ca = true,
		.not_before = base - 400 * PKI_DAY,
		.not_after = base + 10 * PKI_DAY,
		.key = env.w.intermediate_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	assert_non_null(ca);
	spec.issuer = ca;
	spec.not_before = base - PKI_DAY;
	spec.not_after = base + 90 * PKI_DAY;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	want = with_date("cert 1 (BWC Expiring Issuing CA) expires in 10 days (",
	    base + 10 * PKI_DAY);
	assert_finding(&s, "expires-soon", STATUS_FAIL, want);
	assert_int_equal(judge_finding(&s, "expires-soon")->cert, 1);
	assert_not_contains(judge_finding(&s, "expires-soon")->message,
	    "cert 0");
	free(want);
	assert_finding(&s, "not-expired", STATUS_PASS,
	    "the first to expire is cert 1 (BWC Expiring Issuing CA)");
	subject_free(&s);
	X509_free(leaf);
	X509_free(ca);
	judge_run_done(&run);
}

/* --at moves the instant every rule judges at. */
static void
test_expires_soon_later_evaluation_time_warns_then_expires(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - PKI_DAY, base + 90 * PKI_DAY);

	(void)state;
	run_at_base(&run, 30);
	run.now = base + 86 * PKI_DAY;
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL, "expires in 4 days");
	assert_finding(&s, "not-expired", STATUS_PASS, NULL);
	subject_free(&s);

	run.now = base + 91 * PKI_DAY;
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "not-expired", STATUS_FAIL, "expired on");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* --crit-days: within it expires-soon fails as an error, so the chain is not compliant. */
static void
test_expires_soon_within_crit_days_fails_as_an_error(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base + 5 * PKI_DAY);
	const struct finding *f;

	(void)state;
	run_at_base(&run, 30);
	run.policy.crit_days = 7;
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL,
	    "(an error at 7 days, --crit-days)");
	f = judge_finding(&s, "expires-soon");
	assert_int_equal(f->severity, SEV_ERROR);
	assert_int_equal(f->rule->severity, SEV_WARNING);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);

	/* Outside --crit-days but within --warn-days: a warning, as before. */
	run.policy.crit_days = 3;
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL, "(warning at 30 days)");
	assert_int_equal(judge_finding(&s, "expires-soon")->severity,
	    SEV_WARNING);
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* --crit-days 0, the default: never an error, whatever is left. */
static void
test_expires_soon_crit_days_0_never_raises_the_severity(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base + 3600);

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL, "expires in 0 days");
	assert_int_equal(judge_finding(&s, "expires-soon")->severity,
	    SEV_WARNING);
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/*
 * --warn-days 33%: a share of the leaf's lifetime.  A 47-day
 * certificate warns at 15 days left (not 30); a 5-day one at about 1.7
 * (not never).  The intermediate (5 years left of 6) and the root are
 * judged against the same number of days, never a third of their own
 * decade.
 */
static void
test_expires_soon_percent_is_a_share_of_each_lifetime(void **state)
{
	struct subject s;
	struct run run;
	X509 *l47 = leaf_valid(base - 27 * PKI_DAY, base + 20 * PKI_DAY);
	X509 *l47late = leaf_valid(base - 33 * PKI_DAY, base + 14 * PKI_DAY);
	X509 *l6 = leaf_valid(base - 4 * PKI_DAY, base + PKI_DAY + 3600);
	X509 *ca;

	(void)state;
	run_at_base(&run, 33);
	run.policy.warn_percent = true;
	/* 20 of 47 days left: more than 33% (15 days). */
	judge(&run, FQDN, NULL, &s, l47, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_PASS,
	    "more than 33% of the lifetime (15 days)");
	subject_free(&s);
	/* 14 of 47 days left: within. */
	judge(&run, FQDN, NULL, &s, l47late, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL,
	    "(warning at 33% of the lifetime)");
	subject_free(&s);
	/* A 5-day certificate with 25 hours left: within 33% (40 hours). */
	judge(&run, FQDN, NULL, &s, l6, env.w.intermediate, NULL);
	assert_finding(&s, "expires-soon", STATUS_FAIL, "expires in 1 day");
	subject_free(&s);
	/* --crit-days 25% as well (30 hours): within it, an error. */
	run.policy.crit_days = 25;
	run.policy.crit_percent = true;
	judge(&run, FQDN, NULL, &s, l6, env.w.intermediate, NULL);
	assert_int_equal(judge_finding(&s, "expires-soon")->severity, SEV_ERROR);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	/* An intermediate of 6 years with 2 years left: not a third of its life. */
	ca = pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Old Issuing CA",
		.ca = true,
		.not_before = base - 4 * 365 * PKI_DAY,
		.not_after = base + 2 * 365 * PKI_DAY,
		.key = env.w.intermediate_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	});
	assert_non_null(ca);
	run.policy.crit_days = 0;
	{
		struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
		X509 *leaf;

		spec.issuer = ca;
		spec.not_before = base - 10 * PKI_DAY;
		spec.not_after = base + 80 * PKI_DAY;
		leaf = pki_issue(&spec);
		assert_non_null(leaf);
		judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
		assert_finding(&s, "expires-soon", STATUS_PASS, NULL);
		subject_free(&s);
		X509_free(leaf);
	}
	X509_free(ca);
	X509_free(l47);
	X509_free(l47late);
	X509_free(l6);
	judge_run_done(&run);
}

/* With --crit-days, an expired certificate is still not-expired's alone. */
static void
test_expires_soon_expired_with_crit_days_is_said_once(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 100 * PKI_DAY, base - PKI_DAY);

	(void)state;
	run_at_base(&run, 30);
	run.policy.crit_days = 7;
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "not-expired", STATUS_FAIL, "expired on");
	assert_finding(&s, "expires-soon", STATUS_SKIP, "not-expired reports it");
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* The subject's result. */

static void
test_subject_result_clean_chain_is_pass(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - PKI_DAY, base + 90 * PKI_DAY);
	size_t i;

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, env.w.leaf_key, &s, leaf, env.w.intermediate, NULL);
	assert_result(&s, RESULT_PASS);
	for (i = 0; i < s.n_findings; i++)
		if (s.findings[i].status == STATUS_FAIL)
			fail_msg("%s failed: %s", s.findings[i].rule->id,
			    s.findings[i].message);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_subject_result_warning_only_chain_is_warn(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base + 5 * PKI_DAY);

	(void)state;
	run_at_base(&run, 30);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_result(&s, RESULT_WARN);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

static void
test_subject_result_error_and_warning_chain_is_fail(void **state)
{
	struct subject s;
	struct run run;
	X509 *leaf = leaf_valid(base - 80 * PKI_DAY, base - PKI_DAY);

	(void)state;
	run_at_base(&run, 30);
	/* Reversed too: a warning (chain-order) beside the error. */
	judge(&run, FQDN, NULL, &s, env.w.intermediate, leaf, NULL);
	assert_finding(&s, "chain-order", STATUS_FAIL, NULL);
	assert_finding(&s, "not-expired", STATUS_FAIL, NULL);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_expired_valid_chain_passes_naming_the_first_to_expire),
		cmocka_unit_test(test_not_expired_expired_leaf_fails_naming_the_date),
		cmocka_unit_test(test_not_expired_not_yet_valid_leaf_fails),
		cmocka_unit_test(test_not_expired_expired_intermediate_fails_naming_it),
		cmocka_unit_test(test_not_expired_expired_root_from_the_store_fails_naming_it),
		cmocka_unit_test(test_not_expired_expired_root_in_the_input_fails_naming_it),
		cmocka_unit_test(test_expires_soon_leaf_in_5_days_with_warn_30_warns),
		cmocka_unit_test(test_expires_soon_leaf_in_5_days_with_warn_3_passes),
		cmocka_unit_test(test_expires_soon_one_day_left_is_singular),
		cmocka_unit_test(test_expires_soon_intermediate_within_warn_days_warns_naming_it),
		cmocka_unit_test(test_expires_soon_later_evaluation_time_warns_then_expires),
		cmocka_unit_test(test_expires_soon_within_crit_days_fails_as_an_error),
		cmocka_unit_test(test_expires_soon_crit_days_0_never_raises_the_severity),
		cmocka_unit_test(test_expires_soon_percent_is_a_share_of_each_lifetime),
		cmocka_unit_test(test_expires_soon_expired_with_crit_days_is_said_once),
		cmocka_unit_test(test_subject_result_clean_chain_is_pass),
		cmocka_unit_test(test_subject_result_warning_only_chain_is_warn),
		cmocka_unit_test(test_subject_result_error_and_warning_chain_is_fail),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

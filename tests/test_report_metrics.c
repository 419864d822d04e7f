/*
 * test_report_metrics.c - the nagios and prometheus reporters, fed the
 * subjects of report_fixture.h, hostile names included.  promtool and
 * the plugin conventions are checked in tests/cli/formats.sh.
 */
#include "report_fixture.h"

static char *
first_line(const char *out)
{
	return xstrndup(out, strcspn(out, "\n"));
}

static void
test_nagios_one_subject_line_names_failed_rules_and_days_left(void **state)
{
	char *out = render(&report_nagios, *state, REPORT_LINT,
	    (const int[]){ S_SOON, -1 });

	assert_string_equal(out, "BWCERTCHECK WARNING - soon.pem: compliant "
	    "with warnings: expires-soon; expires in 10 days | "
	    "days_left=10;30:;0:\n"
	    "[WARNING] soon.pem: expires-soon: soon.example.test expires in "
	    "10 days\n"
	    "policy: test <policy> & \"co\"\n");
	free(out);
}

/*
 * --warn-days 40% --crit-days 10%: the ranges are that share of each
 * subject's leaf lifetime in days (good.pem's leaf lives 75 days: 30
 * and 7); a subject without a chain has no thresholds.
 */
static void
test_nagios_percent_limits_are_days_of_the_leaf_lifetime(void **state)
{
	struct fixture *fx = *state;
	struct policy saved = fx->run.policy;
	char *out;

	fx->run.policy.warn_days = 40;
	fx->run.policy.warn_percent = true;
	fx->run.policy.crit_days = 10;
	fx->run.policy.crit_percent = true;
	out = render(&report_nagios, fx, REPORT_LINT,
	    (const int[]){ S_GOOD, S_MISSING, -1 });
	fx->run.policy = saved;
	assert_contains(out, "'days_left good.pem'=45;30:;7: ");
	assert_contains(out, "'days_left missing.pem'=U;;\n");
	free(out);
}

static void
test_nagios_many_subjects_give_counts_and_labelled_perfdata(void **state)
{
	char *out = render(&report_nagios, *state, REPORT_PROBE, ALL);
	char *line = first_line(out);

	assert_string_equal(line, "BWCERTCHECK CRITICAL - 5 subjects: "
	    "2 compliant, 1 with warnings, 1 not compliant, 1 unknown; "
	    "not checked: fqdn-match in 1 of 5; a certificate expired 3 days ago (evil<&\"'\\x01\\x7f\\xff/=.pem) | "
	    "'days_left good.pem'=45;30:;0: 'days_left soon.pem'=10;30:;0: "
	    "'days_left evil<&\"_\\x01\\x7f\\xff__.pem'=-3;30:;0: "
	    "'days_left missing.pem'=U;30:;0: "
	    "'days_left pbx.example.test:5061 (192.0.2.10)'=60;30:;0: "
	    "'handshake pbx.example.test:5061 (192.0.2.10)'=0.013s;;;0");
	assert_contains(out, "\n[CRITICAL] evil<&\"'\\x01\\x7f\\xff/=.pem: "
	    "not-expired: cert 0 \"<x&y>\" expired / 3 days ago \\x00\n");
	assert_contains(out, "\n[UNKNOWN] missing.pem: No such file or "
	    "directory\n");
	assert_contains(out, "\n[NOTICE] good.pem: eku-client-auth: no "
	    "clientAuth\n");
	assert_contains(out, "\n[INFO] pbx.example.test:5061 (192.0.2.10): "
	    "suites: AES128-SHA accepted, AES128-SHA256 rejected, "
	    "AES256-SHA256 accepted\n");
	free(line);
	free(out);
}

static void
test_nagios_long_output_and_perfdata_are_bounded(void **state)
{
	struct fixture *fx = *state;
	int many[301];
	char *out, *p;
	size_t lines = 0, perf = 0;

	for (int i = 0; i < 300; i++)
		many[i] = S_SOON;
	many[300] = -1;
	out = render(&report_nagios, fx, REPORT_LINT, many);
	for (p = out; *p != '\0'; p++)
		lines += *p == '\n';
	/* status, 100 long lines, "... and 200 more", policy */
	assert_int_equal(lines, 103);
	assert_contains(out, "\n... and 200 more lines not shown\n");
	p = first_line(out);
	for (char *q = p; (q = strstr(q, "days_left")) != NULL; q++)
		perf++;
	assert_int_equal(perf, 50);
	free(p);
	free(out);
}

static void
test_nagios_empty_run_is_unknown(void **state)
{
	char *out = render(&report_nagios, *state, REPORT_LINT, NONE);

	assert_string_equal(out, "BWCERTCHECK UNKNOWN - nothing was checked\n"
	    "policy: test <policy> & \"co\"\n");
	free(out);
}

/* Each family's samples come together, right after its HELP and TYPE. */
static void
assert_families_grouped(const char *out)
{
	char *copy = xstrdup(out), *line, *save = NULL;
	char current[128] = "", done[2048] = "|";

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char name[128], key[132];

		if (strncmp(line, "# HELP ", 7) == 0)
			continue;
		if (sscanf(line, "# TYPE %127s gauge", name) == 1) {
			snprintf(key, sizeof(key), "|%s|", name);
			assert_null(strstr(done, key));
			strncat(done, name, sizeof(done) - strlen(done) - 2);
			strcat(done, "|");
			snprintf(current, sizeof(current), "%s", name);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s",
		    (int)strcspn(line, "{ "), line);
		assert_string_equal(name, current);
	}
	free(copy);
}

static void
test_prometheus_groups_each_family_after_help_and_type(void **state)
{
	char *out = render(&report_prometheus, *state, REPORT_PROBE, ALL);

	assert_families_grouped(out);
	assert_contains(out, "# TYPE bwcertcheck_expires_in_seconds gauge\n");
	assert_contains(out, "bwcertcheck_run_result 2\n");
	assert_contains(out, "bwcertcheck_last_run_timestamp_seconds "
	    "1795000000\n");
	assert_contains(out, "bwcertcheck_info{version=\"" BWC_VERSION
	    "\",command=\"probe\",policy=\"test <policy> & \\\"co\\\"\"} 1\n");
	free(out);
}

static void
test_prometheus_has_expiry_per_certificate(void **state)
{
	char *out = render(&report_prometheus, *state, REPORT_LINT,
	    (const int[]){ S_GOOD, -1 });

	assert_contains(out, "bwcertcheck_not_after_timestamp_seconds{"
	    "subject=\"good.pem\",position=\"0\",cn=\"pbx.example.test\"} "
	    "1798888000\n");
	assert_contains(out, "bwcertcheck_expires_in_seconds{subject="
	    "\"good.pem\",position=\"1\",cn=\"R11\"} 34560000\n");
	assert_contains(out, "bwcertcheck_expires_in_seconds{subject="
	    "\"good.pem\",position=\"anchor\",cn=\"ISRG Root X1\"} "
	    "259200000\n");
	assert_contains(out, "bwcertcheck_rule_failed{subject=\"good.pem\","
	    "rule=\"eku-client-auth\",severity=\"notice\"} 1\n");
	assert_contains(out, "bwcertcheck_rule_failed{subject=\"good.pem\","
	    "rule=\"rsa-key\",severity=\"error\"} 0\n");
	assert_lacks(out, "rule=\"key-match\"");	/* skipped */
	assert_lacks(out, "bwcertcheck_probe_success");
	assert_contains(out, "bwcertcheck_subject_result{subject=\"good.pem\"} "
	    "0\n");
	free(out);
}

static void
test_prometheus_escapes_hostile_label_values(void **state)
{
	char *out = render(&report_prometheus, *state, REPORT_LINT,
	    (const int[]){ S_HOSTILE, -1 });

	assert_contains(out, "bwcertcheck_expires_in_seconds{subject=\"evil<&\\\"'"
	    "\\\\x01\\\\x7f\\\\xff|=.pem\",position=\"0\",cn=\"bad\\\\x00cn"
	    "\\\\x1b[31m\"} -259200\n");
	free(out);
}

static void
test_prometheus_repeated_subject_gets_a_suffix(void **state)
{
	char *out = render(&report_prometheus, *state, REPORT_LINT,
	    (const int[]){ S_SOON, S_SOON, S_SOON, -1 });

	assert_contains(out, "bwcertcheck_subject_result{subject=\"soon.pem\"} "
	    "1\n");
	assert_contains(out, "bwcertcheck_subject_result{subject=\"soon.pem "
	    "#2\"} 1\n");
	assert_contains(out, "bwcertcheck_subject_result{subject=\"soon.pem "
	    "#3\"} 1\n");
	free(out);
}

static void
test_prometheus_probe_metrics_per_address_and_suite(void **state)
{
	char *out = render(&report_prometheus, *state, REPORT_PROBE,
	    (const int[]){ S_HOST, -1 });
	const char *who = "subject=\"pbx.example.test:5061\","
	    "address=\"192.0.2.10\"";
	char want[256];

	snprintf(want, sizeof(want), "bwcertcheck_probe_success{%s} 1\n", who);
	assert_contains(out, want);
	snprintf(want, sizeof(want), "bwcertcheck_handshake_seconds{%s} "
	    "0.012500\n", who);
	assert_contains(out, want);
	snprintf(want, sizeof(want), "bwcertcheck_suite_accepted{%s,"
	    "suite=\"AES128-SHA256\"} 0\n", who);
	assert_contains(out, want);
	snprintf(want, sizeof(want), "bwcertcheck_suite_accepted{%s,"
	    "suite=\"AES128-SHA\"} 1\n", who);
	assert_contains(out, want);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nagios_one_subject_line_names_failed_rules_and_days_left),
		cmocka_unit_test(test_nagios_percent_limits_are_days_of_the_leaf_lifetime),
		cmocka_unit_test(test_nagios_many_subjects_give_counts_and_labelled_perfdata),
		cmocka_unit_test(test_nagios_long_output_and_perfdata_are_bounded),
		cmocka_unit_test(test_nagios_empty_run_is_unknown),
		cmocka_unit_test(test_prometheus_groups_each_family_after_help_and_type),
		cmocka_unit_test(test_prometheus_has_expiry_per_certificate),
		cmocka_unit_test(test_prometheus_escapes_hostile_label_values),
		cmocka_unit_test(test_prometheus_repeated_subject_gets_a_suffix),
		cmocka_unit_test(test_prometheus_probe_metrics_per_address_and_suite),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

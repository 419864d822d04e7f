/*
 * test_report_formats.c - the junit and sarif reporters (and what all
 * four machine-readable reporters share), fed the subjects of
 * report_fixture.h, hostile names included.  The real consumers
 * (junitparser, xmllint, jsonschema) run in tests/cli/formats.sh.
 */
#include <jansson.h>

#include "report_fixture.h"

static void
assert_clean_lines(const char *out)
{
	char *copy = xstrdup(out), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (!esc_is_clean(line))
			fail_msg("unclean line: %s", line);
	free(copy);
}

static void
test_every_format_writes_clean_utf8_lines_only(void **state)
{
	const struct report_format *fmts[] = { &report_junit, &report_sarif,
	    &report_nagios, &report_prometheus, &report_html,
	    &report_markdown };

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *out = render(fmts[i], *state, REPORT_LINT, ALL);

		assert_clean_lines(out);
		assert_lacks(out, "\x1b");
		free(out);
	}
}

static void
test_report_formats_table_finds_the_four_formats_by_name(void **state)
{
	(void)state;
	assert_ptr_equal(report_format_find("junit"), &report_junit);
	assert_ptr_equal(report_format_find("sarif"), &report_sarif);
	assert_ptr_equal(report_format_find("nagios"), &report_nagios);
	assert_ptr_equal(report_format_find("prometheus"), &report_prometheus);
}

static void
test_junit_counts_failures_skips_and_errors_per_testsuite(void **state)
{
	char *out = render(&report_junit, *state, REPORT_LINT, ALL);

	assert_true(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"bwcertcheck lint\">\n", 76) == 0);
	assert_contains(out, "<testsuite name=\"good.pem\" tests=\"4\" "
	    "failures=\"0\" errors=\"0\" skipped=\"1\" time=\"0\" "
	    "timestamp=\"2026-11-18T11:06:40\">");
	assert_contains(out, "<testsuite name=\"soon.pem\" tests=\"2\" "
	    "failures=\"1\" errors=\"0\" skipped=\"0\"");
	assert_contains(out, "<testsuite name=\"missing.pem\" tests=\"1\" "
	    "failures=\"0\" errors=\"1\" skipped=\"0\"");
	assert_contains(out, "<testcase classname=\"bwcertcheck.soon_pem\" "
	    "name=\"expires-soon\">\n      <failure message=\"soon.example.test "
	    "expires in 10 days\" type=\"warning\">");
	assert_contains(out, "<error message=\"missing.pem: No such file or "
	    "directory\" type=\"error\">");
	assert_contains(out, "<skipped message=\"no --key given\"/>");
	assert_contains(out, "<property name=\"suite.AES128-SHA256\" "
	    "value=\"rejected\"/>");
	assert_string_equal(out + strlen(out) - 27,
	    "</testsuite>\n</testsuites>\n");
	free(out);
}

static void
test_junit_failed_notice_is_output_not_failure(void **state)
{
	char *out = render(&report_junit, *state, REPORT_LINT,
	    (const int[]){ S_GOOD, -1 });

	assert_contains(out, "name=\"eku-client-auth\">\n      <system-out>"
	    "notice: no clientAuth</system-out>");
	assert_lacks(out, "<failure");
	free(out);
}

static void
test_junit_failure_carries_the_rules_fix(void **state)
{
	char *out = render(&report_junit, *state, REPORT_LINT,
	    (const int[]){ S_SOON, -1 });
	const struct rule *rule = rule_find("expires-soon");
	struct buf fix = { 0 };

	esc_xml(&fix, rule->fix);
	assert_contains(out, "\nFix: ");
	assert_contains(out, fix.ptr);
	buf_free(&fix);
	free(out);
}

static void
test_junit_escapes_hostile_names_and_messages(void **state)
{
	char *out = render(&report_junit, *state, REPORT_LINT,
	    (const int[]){ S_HOSTILE, -1 });

	assert_contains(out, "<testsuite name=\"evil&lt;&amp;&quot;&apos;"
	    "\\x01\\x7f\\xff|=.pem\"");
	assert_contains(out, "classname=\"bwcertcheck.evil&lt;&amp;&quot;"
	    "&apos;\\x01\\x7f\\xff|=_pem\"");
	assert_contains(out, "message=\"cert 0 &quot;&lt;x&amp;y&gt;&quot; "
	    "expired | 3 days ago \\x00\"");
	assert_contains(out, "<property name=\"policy\" value=\"test &lt;"
	    "policy&gt; &amp; &quot;co&quot;\"/>");
	free(out);
}

static void
test_junit_empty_run_is_an_empty_testsuites(void **state)
{
	char *out = render(&report_junit, *state, REPORT_PROBE, NONE);

	assert_string_equal(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"bwcertcheck probe\">\n</testsuites>\n");
	free(out);
}

static json_t *
sarif_load(struct fixture *fx, const int *which)
{
	char *out = render(&report_sarif, fx, REPORT_LINT, which);
	json_error_t e;
	json_t *doc = json_loads(out, 0, &e);

	if (doc == NULL)
		fail_msg("SARIF is not JSON: %s at line %d:\n%s", e.text,
		    e.line, out);
	free(out);
	return doc;
}

static const char *
sget(json_t *doc, const char *path)
{
	json_t *j = json_object_get(doc, path);

	assert_non_null(j);
	return json_string_value(j);
}

static void
test_sarif_has_one_result_per_failed_rule(void **state)
{
	json_t *doc = sarif_load(*state, ALL), *run, *results, *res;
	size_t i;

	assert_string_equal(sget(doc, "version"), "2.1.0");
	assert_int_equal(json_array_size(json_object_get(doc, "runs")), 1);
	run = json_array_get(json_object_get(doc, "runs"), 0);
	results = json_object_get(run, "results");
	/* the notice, expires-soon and not-expired; skips and passes are not results */
	assert_int_equal(json_array_size(results), 3);
	json_array_foreach(results, i, res) {
		json_int_t idx = json_integer_value(json_object_get(res,
		    "ruleIndex"));

		assert_true(idx >= 0 && (size_t)idx < rule_count);
		assert_string_equal(sget(res, "ruleId"), rule_table[idx].id);
	}
	res = json_array_get(results, 0);
	assert_string_equal(sget(res, "ruleId"), "eku-client-auth");
	assert_string_equal(sget(res, "level"), "note");
	res = json_array_get(results, 1);
	assert_string_equal(sget(res, "level"), "warning");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(json_object_get(json_array_get(json_object_get(res,
	    "locations"), 0), "physicalLocation"), "artifactLocation"), "uri")),
	    "soon.pem");
	res = json_array_get(results, 2);
	assert_string_equal(sget(res, "level"), "error");
	assert_string_equal(sget(json_object_get(res, "message"), "text"),
	    "cert 0 \"<x&y>\" expired | 3 days ago \\x00");
	json_decref(doc);
}

static void
test_sarif_driver_rules_are_the_rule_table(void **state)
{
	json_t *doc = sarif_load(*state, NONE), *rules, *r;
	size_t i;

	rules = json_object_get(json_object_get(json_object_get(json_array_get(
	    json_object_get(doc, "runs"), 0), "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), rule_count);
	json_array_foreach(rules, i, r) {
		const char *lvl = rule_table[i].severity == SEV_ERROR ? "error" :
		    rule_table[i].severity == SEV_WARNING ? "warning" : "note";

		assert_string_equal(sget(r, "id"), rule_table[i].id);
		assert_string_equal(sget(json_object_get(r, "shortDescription"),
		    "text"), rule_table[i].title);
		assert_string_equal(sget(json_object_get(r,
		    "defaultConfiguration"), "level"), lvl);
	}
	json_decref(doc);
}

static json_t *
invocation(json_t *doc)
{
	return json_array_get(json_object_get(json_array_get(json_object_get(
	    doc, "runs"), 0), "invocations"), 0);
}

static void
test_sarif_subject_in_error_fails_the_execution(void **state)
{
	json_t *doc = sarif_load(*state, ALL), *inv = invocation(doc);

	assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
	/* A non-compliant subject outranks the one in error: exit 2. */
	assert_int_equal(json_integer_value(json_object_get(inv, "exitCode")),
	    2);
	/* First the hostile file's unchecked rule, then the missing file. */
	assert_string_equal(sget(json_object_get(json_array_get(
	    json_object_get(inv, "toolExecutionNotifications"), 0), "message"),
	    "text"), "evil<&\"'\\x01\\x7f\\xff|=.pem: not checked: "
	    "fqdn-match: no --fqdn given");
	assert_string_equal(sget(json_object_get(json_array_get(
	    json_object_get(inv, "toolExecutionNotifications"), 1), "message"),
	    "text"), "missing.pem: No such file or directory");
	json_decref(doc);

	doc = sarif_load(*state, (const int[]){ S_GOOD, S_MISSING, -1 });
	inv = invocation(doc);
	assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
	assert_int_equal(json_integer_value(json_object_get(inv, "exitCode")),
	    3);
	json_decref(doc);

	doc = sarif_load(*state, (const int[]){ S_GOOD, S_SOON, -1 });
	inv = invocation(doc);
	assert_true(json_is_true(json_object_get(inv, "executionSuccessful")));
	assert_int_equal(json_integer_value(json_object_get(inv, "exitCode")),
	    1);
	assert_null(json_object_get(inv, "toolExecutionNotifications"));
	json_decref(doc);
}

static const char *
first_uri(json_t *doc, size_t result)
{
	json_t *res = json_array_get(json_object_get(json_array_get(
	    json_object_get(doc, "runs"), 0), "results"), result);

	return json_string_value(json_object_get(json_object_get(
	    json_object_get(json_array_get(json_object_get(res, "locations"), 0),
	    "physicalLocation"), "artifactLocation"), "uri"));
}

static void
test_sarif_locations_are_encoded_uris(void **state)
{
	struct fixture *fx = *state;
	json_t *doc = sarif_load(fx, (const int[]){ S_HOSTILE, -1 });
	char *old;

	/* The subject's name was escaped when it was made (\x01, \x7f, \xff). */
	assert_string_equal(first_uri(doc, 0),
	    "evil%3C%26%22%27%5Cx01%5Cx7f%5Cxff%7C=.pem");
	json_decref(doc);

	old = fx->s[S_SOON].name;
	fx->s[S_SOON].name = xstrdup("/etc/ssl/my chain.pem");
	doc = sarif_load(fx, (const int[]){ S_SOON, -1 });
	assert_string_equal(first_uri(doc, 0),
	    "file:///etc/ssl/my%20chain.pem");
	json_decref(doc);
	free(fx->s[S_SOON].name);
	fx->s[S_SOON].name = xstrdup("certs/leaf.pem + certs/ca.pem");
	doc = sarif_load(fx, (const int[]){ S_SOON, -1 });
	assert_string_equal(first_uri(doc, 0), "certs/leaf.pem");
	json_decref(doc);
	free(fx->s[S_SOON].name);
	fx->s[S_SOON].name = old;
}

static void
test_sarif_probe_result_points_at_a_sips_uri(void **state)
{
	struct fixture *fx = *state;
	struct subject *s = &fx->s[S_HOST];
	json_t *doc, *loc;

	add_finding(s, "cipher-default", STATUS_FAIL, "AES128-SHA refused");
	doc = sarif_load(fx, (const int[]){ S_HOST, -1 });
	assert_string_equal(first_uri(doc, 0), "sips:pbx.example.test:5061");
	loc = json_array_get(json_object_get(json_array_get(json_object_get(
	    json_array_get(json_object_get(json_array_get(json_object_get(doc,
	    "runs"), 0), "results"), 0), "locations"), 0), "logicalLocations"), 0);
	assert_string_equal(sget(loc, "fullyQualifiedName"), "192.0.2.10");
	json_decref(doc);
	free(s->findings[--s->n_findings].message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_format_writes_clean_utf8_lines_only),
		cmocka_unit_test(test_report_formats_table_finds_the_four_formats_by_name),
		cmocka_unit_test(test_junit_counts_failures_skips_and_errors_per_testsuite),
		cmocka_unit_test(test_junit_failed_notice_is_output_not_failure),
		cmocka_unit_test(test_junit_failure_carries_the_rules_fix),
		cmocka_unit_test(test_junit_escapes_hostile_names_and_messages),
		cmocka_unit_test(test_junit_empty_run_is_an_empty_testsuites),
		cmocka_unit_test(test_sarif_has_one_result_per_failed_rule),
		cmocka_unit_test(test_sarif_driver_rules_are_the_rule_table),
		cmocka_unit_test(test_sarif_subject_in_error_fails_the_execution),
		cmocka_unit_test(test_sarif_locations_are_encoded_uris),
		cmocka_unit_test(test_sarif_probe_result_points_at_a_sips_uri),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

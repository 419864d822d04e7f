/*
 * test_report_pages.c - the html and markdown reporters, fed the
 * subjects of report_fixture.h (a hostile file name, CN and message
 * among them).  Chromium, html5lib and cmark read real output in
 * tests/cli/pages.sh; here: the order, the escaping and the numbers
 * (test_report_formats.c checks that every line is clean UTF-8).
 */
#include "report/fleet.h"
#include "report_fixture.h"

/* Byte offset of needle in hay; fails the test when it is not there. */
static size_t
offset_of(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	if (p == NULL)
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
	return (size_t)(p - hay);
}

static void
test_report_formats_table_finds_html_and_markdown(void **state)
{
	(void)state;
	assert_ptr_equal(report_format_find("html"), &report_html);
	assert_ptr_equal(report_format_find("markdown"), &report_markdown);
}

static void
test_fleet_sort_puts_not_compliant_first_then_not_evaluated_then_days_left(
    void **state)
{
	struct fixture *fx = *state;
	struct fleet fl = { 0 };
	const int order[] = { S_GOOD, S_SOON, S_HOSTILE, S_MISSING, S_HOST };

	for (size_t i = 0; i < 5; i++)
		fleet_add(&fl, &fx->s[order[i]], &fx->run.policy, fx->run.now);
	fleet_sort(&fl);
	assert_int_equal(fl.n, 5);
	assert_int_equal(fl.s[0].result, RESULT_FAIL);
	assert_int_equal(fl.s[1].result, RESULT_ERROR);
	assert_string_equal(fl.s[1].name, "missing.pem");
	assert_string_equal(fl.s[2].name, "soon.pem");	/* 10 days */
	assert_int_equal(fl.s[2].days_left, 10);
	assert_string_equal(fl.s[3].name, "good.pem");	/* 45 days */
	assert_string_equal(fl.s[4].name, "pbx.example.test:5061");	/* 60 */
	assert_int_equal(fl.s[0].days_left, -3);
	assert_int_equal(fl.s[0].n_fail, 1);
	fleet_free(&fl);
}

static void
test_fleet_keeps_the_chain_leaf_first_with_its_roles(void **state)
{
	struct fixture *fx = *state;
	struct fleet fl = { 0 };

	fleet_add(&fl, &fx->s[S_GOOD], &fx->run.policy, fx->run.now);
	assert_int_equal(fl.s[0].n_certs, 3);
	assert_int_equal(fl.s[0].certs[0].role, FLEET_LEAF);
	assert_int_equal(fl.s[0].certs[1].role, FLEET_INTERMEDIATE);
	assert_int_equal(fl.s[0].certs[2].role, FLEET_ROOT);
	assert_int_equal(fl.s[0].soonest, 0);
	assert_string_equal(fl.s[0].brand, "DigiCert");
	fleet_free(&fl);
}

static void
test_html_escapes_hostile_names_and_messages(void **state)
{
	char *out = render(&report_html, *state, REPORT_LINT, ALL);

	/* Clean UTF-8 lines: test_every_format_writes_clean_utf8_lines_only. */
	assert_lacks(out, "<x&y>");
	assert_contains(out, "&quot;&lt;x&amp;y&gt;&quot; expired | 3 days");
	assert_contains(out, "evil&lt;&amp;&quot;&#39;\\x01\\x7f\\xff|=.pem");
	assert_contains(out, "test &lt;policy&gt; &amp; &quot;co&quot;");
	assert_lacks(out, "<policy>");
	assert_lacks(out, "<script");
	free(out);
}

static void
test_html_rows_follow_urgency_and_counts_follow_results(void **state)
{
	char *out = render(&report_html, *state, REPORT_LINT, ALL);

	assert_contains(out, "id=\"s1\" data-result=\"fail\" data-days=\"-3\"");
	assert_contains(out, "id=\"s2\" data-result=\"error\" data-days=\"\" "
	    "data-name=\"missing.pem\"");
	assert_contains(out, "id=\"s3\" data-result=\"warn\" data-days=\"10\" "
	    "data-name=\"soon.pem\"");
	assert_contains(out, "id=\"s4\" data-result=\"pass\" data-days=\"45\" "
	    "data-name=\"good.pem\"");
	assert_true(offset_of(out, "id=\"s4\"") < offset_of(out, "id=\"s5\""));
	assert_contains(out, "<li class=\"count\" data-result=\"pass\">"
	    "<span class=\"pass\">");
	assert_contains(out, "<b>2</b> compliant");
	assert_contains(out, "<b>1</b> not evaluated");
	assert_contains(out, "Content-Security-Policy");
	assert_contains(out, "warn 30 days");
	free(out);
}

static void
test_html_timeline_marks_the_expired_leaf_with_the_fail_shape(void **state)
{
	int which[] = { S_HOSTILE, -1 };
	char *out = render(&report_html, *state, REPORT_LINT, which);

	assert_contains(out, "<g class=\"mark\" data-shape=\"fail\" "
	    "data-days=\"-3\" data-role=\"leaf\">");
	assert_contains(out, ">expired</text>");
	free(out);
}

static void
test_markdown_escapes_table_breakers_in_hostile_text(void **state)
{
	char *out = render(&report_markdown, *state, REPORT_LINT, ALL);

	/* The hostile name and message keep their pipes inside their cells. */
	assert_contains(out, "| evil\\<\\&\"'\\\\x01\\\\x7f\\\\xff\\|=.pem |");
	assert_contains(out, "cert 0 \"\\<x\\&y\\>\" expired \\| 3 days ago "
	    "\\\\x00 |");
	assert_lacks(out, "<x&y>");
	free(out);
}

static void
test_markdown_answers_the_questionnaire_from_the_probe(void **state)
{
	int which[] = { S_HOST, -1 };
	char *out = render(&report_markdown, *state, REPORT_PROBE, which);

	assert_contains(out, "## For the carrier's TLS/SRTP questionnaire");
	assert_contains(out, "| A records | 192.0.2.10 (given, not looked up) |");
	assert_contains(out, "| Port | 5061 |");
	assert_contains(out, "| TLS version | TLS 1.2 |");
	assert_contains(out, "| Allowed suites accepted | `AES128-SHA`, "
	    "`AES256-SHA256`; `AES128-SHA256` rejected |");
	assert_contains(out, "| Certificate authority | DigiCert (root ");
	assert_contains(out, "| Expires | 2027-01-17T11:06:40Z (60 days left) |");
	free(out);
}

static void
test_markdown_summary_counts_every_result(void **state)
{
	char *out = render(&report_markdown, *state, REPORT_LINT, ALL);

	assert_contains(out, "# bwcertcheck lint: NOT COMPLIANT\n");
	assert_contains(out, "**NOT COMPLIANT** (exit 2): 5 chains checked: "
	    "2 compliant, 1 with warnings, 1 not compliant, 1 not evaluated.");
	assert_contains(out, "**Not checked:** fqdn-match");
	free(out);
}

static size_t
count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* A target's addresses share one block; two files of one name do not. */
static void
test_markdown_questionnaire_groups_the_addresses_of_a_target_only(
    void **state)
{
	int hosts[] = { S_HOST, S_HOST, -1 }, files[] = { S_GOOD, S_GOOD, -1 };
	char *out = render(&report_markdown, *state, REPORT_PROBE, hosts);

	assert_int_equal(count_of(out, "\n### pbx.example.test:5061"), 1);
	assert_contains(out, "| A records | 192.0.2.10, 192.0.2.10 (given, "
	    "not looked up) |");
	free(out);
	out = render(&report_markdown, *state, REPORT_LINT, files);
	assert_int_equal(count_of(out, "\n### good.pem"), 2);
	free(out);
}

/* Inputs passed over (a key alone, a README) are listed with why. */
static void
test_html_and_markdown_list_skipped_inputs_with_why(void **state)
{
	struct fixture *fx = *state;
	const struct report_format *fmts[] = { &report_html, &report_markdown };
	struct report r;
	char *out;
	size_t len, i;
	FILE *fp;

	for (i = 0; i < 2; i++) {
		out = NULL;
		fp = open_memstream(&out, &len);
		assert_non_null(fp);
		report_begin(&r, fmts[i], fp, &fx->run.policy, fx->run.now,
		    false, REPORT_LINT);
		report_subject(&r, &fx->s[S_GOOD]);
		report_skip(&r, "privkey<|>.pem", "a private key alone");
		report_end(&r);
		fclose(fp);
		if (i == 0) {
			assert_contains(out, "<li class=\"skipped\"><b>"
			    "privkey&lt;|&gt;.pem</b>: a private key alone</li>");
			assert_contains(out, "1 chain checked, 1 skipped (exit 0)");
		} else {
			assert_contains(out, "- privkey\\<\\|\\>.pem: a private "
			    "key alone\n");
			assert_contains(out, "not evaluated, 1 skipped.");
		}
		free(out);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_formats_table_finds_html_and_markdown),
		cmocka_unit_test(test_fleet_sort_puts_not_compliant_first_then_not_evaluated_then_days_left),
		cmocka_unit_test(test_fleet_keeps_the_chain_leaf_first_with_its_roles),
		cmocka_unit_test(test_html_escapes_hostile_names_and_messages),
		cmocka_unit_test(test_html_rows_follow_urgency_and_counts_follow_results),
		cmocka_unit_test(test_html_timeline_marks_the_expired_leaf_with_the_fail_shape),
		cmocka_unit_test(test_markdown_escapes_table_breakers_in_hostile_text),
		cmocka_unit_test(test_markdown_answers_the_questionnaire_from_the_probe),
		cmocka_unit_test(test_markdown_summary_counts_every_result),
		cmocka_unit_test(test_html_and_markdown_list_skipped_inputs_with_why),
		cmocka_unit_test(test_markdown_questionnaire_groups_the_addresses_of_a_target_only),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

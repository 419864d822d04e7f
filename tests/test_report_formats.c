/*
 * test_report_formats.c - the junit, sarif, nagios and prometheus
 * reporters, fed subjects built by hand (findings point into
 * rule_table), including hostile names.  The real consumers
 * (junitparser, jsonschema, promtool) run in tests/cli/formats.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "../lib/esc.h"
#include "../lib/report.h"
#include "../lib/report_clean.h"
#include "../rules/rules.h"

#define NOW ((time_t)1795000000)	/* 2026-11-18T11:06:40Z */
#define DAY ((time_t)86400)
#define HOSTILE "evil<&\"'\x01\x7f\xff|=.pem"

enum { S_GOOD, S_SOON, S_HOSTILE, S_MISSING, S_HOST, S__MAX };

struct fixture {
	struct run run;
	struct subject s[S__MAX];
};

static void
add_finding(struct subject *s, const char *id, enum status st,
    const char *msg)
{
	const struct rule *rule = rule_find(id);
	struct finding *f;

	assert_non_null(rule);
	s->findings = xreallocarray(s->findings, s->n_findings + 1,
	    sizeof(*f));
	f = &s->findings[s->n_findings++];
	f->rule = rule;
	f->status = st;
	f->cert = st == STATUS_FAIL ? 0 : -1;
	f->message = xstrdup(msg);
}

static void
cert(struct cert_facts *f, const char *cn, size_t cn_len, time_t not_after)
{
	f->subject = xstrdup("CN=test");
	f->subject_cn.ptr = xmalloc(cn_len + 1);
	memcpy(f->subject_cn.ptr, cn, cn_len);
	f->subject_cn.len = cn_len;
	f->not_before = NOW - 30 * DAY;
	f->not_after = not_after;
	f->times_valid = true;
}

/* A chain leaf + intermediate, and an anchor from the store. */
static void
chain(struct subject *s, const char *cn, size_t cn_len, time_t leaf_after)
{
	struct chain_facts *c = &s->chain;

	s->has_chain = true;
	c->n = 2;
	c->certs = xcalloc(2, sizeof(*c->certs));
	cert(&c->certs[0], cn, cn_len, leaf_after);
	cert(&c->certs[1], "R11", 3, NOW + 400 * DAY);
	c->path = xcalloc(2, sizeof(*c->path));
	c->path[0] = 0;
	c->path[1] = 1;
	c->path_len = 2;
	c->has_anchor = true;
	c->anchor_input = -1;
	c->anchor_info = &root_table[0];
	cert(&c->anchor, "ISRG Root X1", 12, NOW + 3000 * DAY);
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct subject *s;

	run_init(&fx->run);
	fx->run.now = NOW;
	snprintf(fx->run.policy.name, sizeof(fx->run.policy.name),
	    "test <policy> & \"co\"");
	fx->run.policy.warn_days = 30;

	s = &fx->s[S_GOOD];
	subject_init(s, SUBJECT_FILE, "good.pem");
	s->fqdn = xstrdup("pbx.example.test");
	chain(s, "pbx.example.test", 16, NOW + 45 * DAY);
	add_finding(s, "rsa-key", STATUS_PASS, "RSA 2048");
	add_finding(s, "expires-soon", STATUS_PASS, "45 days left");
	add_finding(s, "eku-client-auth", STATUS_FAIL, "no clientAuth");
	add_finding(s, "key-match", STATUS_SKIP, "no --key given");
	s->result = RESULT_PASS;

	s = &fx->s[S_SOON];
	subject_init(s, SUBJECT_FILE, "soon.pem");
	chain(s, "soon.example.test", 17, NOW + 10 * DAY + 5);
	add_finding(s, "rsa-key", STATUS_PASS, "RSA 2048");
	add_finding(s, "expires-soon", STATUS_FAIL,
	    "soon.example.test expires in 10 days");
	s->result = RESULT_WARN;

	s = &fx->s[S_HOSTILE];
	subject_init(s, SUBJECT_FILE, HOSTILE);
	chain(s, "bad\0cn\x1b[31m", 11, NOW - 3 * DAY);
	add_finding(s, "not-expired", STATUS_FAIL,
	    "cert 0 \"<x&y>\" expired | 3 days ago \\x00");
	add_finding(s, "fqdn-match", STATUS_SKIP, "no --fqdn given");
	s->result = RESULT_FAIL;

	s = &fx->s[S_MISSING];
	subject_init(s, SUBJECT_FILE, "missing.pem");
	subject_set_error(s, "missing.pem: No such file or directory");

	s = &fx->s[S_HOST];
	subject_init(s, SUBJECT_HOST, "pbx.example.test:5061");
	s->fqdn = xstrdup("pbx.example.test");
	s->address = xstrdup("192.0.2.10");
	s->port = 5061;
	chain(s, "pbx.example.test", 16, NOW + 60 * DAY);
	s->has_probe = true;
	s->probe.tls12 = true;
	s->probe.handshake_ms = 12.5;
	s->probe.suites[SUITE_AES128_SHA].state = SUITE_ACCEPTED;
	s->probe.suites[SUITE_AES128_SHA256].state = SUITE_REJECTED;
	s->probe.suites[SUITE_AES256_SHA256].state = SUITE_ACCEPTED;
	add_finding(s, "tls12", STATUS_PASS, "TLSv1.2");
	add_finding(s, "cipher-allowed", STATUS_PASS, "2 of 3 accepted");
	add_finding(s, "sni-independent", STATUS_SKIP, "--no-sni");
	s->result = RESULT_PASS;

	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	for (int i = 0; i < S__MAX; i++)
		subject_free(&fx->s[i]);
	run_free(&fx->run);
	free(fx);
	return 0;
}

/* Report subjects (by index; -1 ends) in fmt; returns the output, caller frees. */
static char *
render(const struct report_format *fmt, struct fixture *fx,
    enum report_command cmd, const int *which)
{
	struct report r;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	assert_non_null(fp);
	report_begin(&r, fmt, fp, &fx->run, cmd);
	for (; *which >= 0; which++)
		report_subject(&r, &fx->s[*which]);
	report_end(&r);
	fclose(fp);
	return out;
}

static const int ALL[] = { S_GOOD, S_SOON, S_HOSTILE, S_MISSING, S_HOST, -1 };
static const int NONE[] = { -1 };

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void
assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

/* Every line valid UTF-8 without control characters. */
static void
assert_clean_lines(const char *out)
{
	char *copy = xstrdup(out), *line, *save = NULL;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (!report_is_clean(line))
			fail_msg("unclean line: %s", line);
	free(copy);
}

static void
test_every_format_writes_clean_utf8_lines_only(void **state)
{
	const struct report_format *fmts[] = { &report_junit, &report_sarif,
	    &report_nagios, &report_prometheus };

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
	assert_contains(out, "<testcase classname=\"bwcertcheck.soon.pem\" "
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
	    "&apos;\\x01\\x7f\\xff|=.pem\"");
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
	assert_int_equal(json_integer_value(json_object_get(inv, "exitCode")),
	    3);
	assert_string_equal(sget(json_object_get(json_array_get(
	    json_object_get(inv, "toolExecutionNotifications"), 0), "message"),
	    "text"), "missing.pem: No such file or directory");
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

	assert_string_equal(first_uri(doc, 0),
	    "evil%3C%26%22%27%01%7F%FF%7C=.pem");
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
	    "days_left=10;30;0\n"
	    "[WARNING] soon.pem: expires-soon: soon.example.test expires in "
	    "10 days\n"
	    "policy: test <policy> & \"co\"\n");
	free(out);
}

static void
test_nagios_many_subjects_give_counts_and_labelled_perfdata(void **state)
{
	char *out = render(&report_nagios, *state, REPORT_PROBE, ALL);
	char *line = first_line(out);

	assert_string_equal(line, "BWCERTCHECK UNKNOWN - 5 subjects: "
	    "2 compliant, 1 with warnings, 1 not compliant, 1 unknown; "
	    "a certificate expired 3 days ago (evil<&\"'\\x01\\x7f\\xff/=.pem) | "
	    "'days_left good.pem'=45;30;0 'days_left soon.pem'=10;30;0 "
	    "'days_left evil<&\"_\\x01\\x7f\\xff__.pem'=-3;30;0 "
	    "'days_left missing.pem'=U;30;0 "
	    "'days_left pbx.example.test:5061 (192.0.2.10)'=60;30;0 "
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
	assert_contains(out, "bwcertcheck_run_result 3\n");
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
		cmocka_unit_test(test_nagios_one_subject_line_names_failed_rules_and_days_left),
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

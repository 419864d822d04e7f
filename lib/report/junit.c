/*
 * report_junit.c - JUnit XML, for CI systems that show test results.
 *
 *	<testsuites name="bwcertcheck lint">
 *	  <testsuite name=SUBJECT tests= failures= errors= skipped= timestamp=>
 *	    <properties> kind, fqdn, address, policy, result, anchor, suites
 *	    <testcase classname="bwcertcheck.SUBJECT" name=RULE-ID>
 *	      <failure message= type=SEVERITY>  a failed error or warning rule
 *	      <skipped message=/>                a skipped rule
 *	      <system-out>                       a failed notice (not a failure)
 *	    <testcase name="evaluate"><error>   a subject that could not be judged
 *
 * Streamed: begin() writes the header, subject() one whole testsuite,
 * end() the closing tag.  Nothing is kept between calls.  The testsuites
 * element has no totals, which JUnit consumers compute themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "report/report.h"
#include "core/timeutil.h"
#include "report/clean.h"
#include "rules/rules.h"

/* Append ' name="value"', value cleaned and escaped. */
static void
attr(struct buf *b, const char *name, const char *value)
{
	char *v = report_clean(value);

	buf_addf(b, " %s=\"", name);
	esc_xml(b, v);
	buf_addc(b, '"');
	free(v);
}

/* Append cleaned, escaped character data. */
static void
text(struct buf *b, const char *s)
{
	char *v = report_clean(s);

	esc_xml(b, v);
	free(v);
}

static void
property(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_adds(b, "      <property");
	attr(b, "name", name);
	attr(b, "value", value);
	buf_adds(b, "/>\n");
}

static void
properties(struct buf *b, const struct report *r, const struct subject *s)
{
	struct buf nc = { 0 };
	char port[16];

	buf_adds(b, "    <properties>\n");
	property(b, "kind", subject_kind_name(s->kind));
	property(b, "fqdn", s->fqdn);
	property(b, "address", s->address);
	if (s->kind != SUBJECT_FILE && s->port > 0) {
		snprintf(port, sizeof(port), "%d", s->port);
		property(b, "port", port);
	}
	property(b, "policy", r->policy->name);
	property(b, "result", result_name(s->result));
	report_not_checked_text(s, &nc);
	if (nc.len > 0)
		property(b, "not_checked", nc.ptr);
	buf_free(&nc);
	if (s->has_chain && s->chain.has_anchor) {
		if (s->chain.anchor_info != NULL)
			property(b, "anchor.brand",
			    brand_name(s->chain.anchor_info->brand));
		property(b, "anchor.root", s->chain.anchor.subject);
		if (chain_leaf(&s->chain)->issuer_org != NULL)
			property(b, "anchor.issuing_ca",
			    chain_leaf(&s->chain)->issuer_org);
	}
	if (s->has_probe) {
		property(b, "tls_version", s->probe.tls_version);
		for (int i = 0; i < SUITE__MAX; i++) {
			const char *st;
			char *name;

			if (s->probe.suites[i].state == SUITE_NOT_TRIED)
				continue;
			st = s->probe.suites[i].state == SUITE_ACCEPTED ?
			    "accepted" : "rejected";
			name = xasprintf("suite.%s",
			    suite_openssl_name((enum suite)i));
			property(b, name, st);
			free(name);
		}
	}
	buf_adds(b, "    </properties>\n");
}

/*
 * "bwcertcheck." and the subject with its dots made underscores: Jenkins
 * splits a classname at its last dot into package and class, and
 * "bwcertcheck.chain.pem" would show as a class "pem".  Caller frees.
 */
static char *
classname_of(const char *name)
{
	char *c = xasprintf("bwcertcheck.%s", name);

	for (char *p = c + strlen("bwcertcheck."); *p != '\0'; p++)
		if (*p == '.')
			*p = '_';
	return c;
}

static void
testcase_open(struct buf *b, const char *classname, const char *name)
{
	buf_adds(b, "    <testcase");
	attr(b, "classname", classname);
	attr(b, "name", name);
}

static void
testcase(struct buf *b, const char *classname, const struct finding *f)
{
	const struct rule *rule = f->rule;

	testcase_open(b, classname, rule->id);
	if (f->status == STATUS_PASS) {
		buf_adds(b, "/>\n");
		return;
	}
	buf_adds(b, ">\n");
	if (f->status == STATUS_SKIP) {
		buf_adds(b, "      <skipped");
		attr(b, "message", f->message != NULL ? f->message :
		    "skipped");
		buf_adds(b, "/>\n");
	} else if (f->severity == SEV_NOTICE) {
		/* A notice never fails compliance: report it, as output. */
		buf_adds(b, "      <system-out>notice: ");
		text(b, f->message);
		buf_adds(b, "</system-out>\n");
	} else {
		buf_adds(b, "      <failure");
		attr(b, "message", f->message);
		attr(b, "type", severity_name(f->severity));
		buf_addc(b, '>');
		text(b, f->message);
		buf_adds(b, "\n\nRule: ");
		text(b, rule->id);
		buf_adds(b, " (");
		text(b, severity_name(f->severity));
		buf_adds(b, "): ");
		text(b, rule->title);
		if (report_fix(f) != NULL) {
			buf_adds(b, "\nFix: ");
			text(b, report_fix(f));
		}
		if (rule->source != NULL) {
			buf_adds(b, "\nSource: ");
			text(b, rule->source);
		}
		buf_adds(b, "</failure>\n");
	}
	buf_adds(b, "    </testcase>\n");
}

static void
junit_begin(struct report *r)
{
	fprintf(r->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"bwcertcheck %s\">\n",
	    report_command_name(r->command));
}

static void
junit_subject(struct report *r, const struct subject *s)
{
	struct buf b = { 0 };
	char stamp[32], *name = report_clean(s->name), *classname;
	size_t failures = 0, skipped = 0, tests = s->n_findings;
	bool error = s->result == RESULT_ERROR;

	for (size_t i = 0; i < s->n_findings; i++) {
		const struct finding *f = &s->findings[i];

		if (f->status == STATUS_SKIP)
			skipped++;
		else if (f->status == STATUS_FAIL &&
		    f->severity != SEV_NOTICE)
			failures++;
	}
	if (error)
		tests++;
	/* JUnit's timestamp has no zone; ours is UTC. */
	time_format(r->now, stamp, sizeof(stamp));
	stamp[strcspn(stamp, "Z")] = '\0';

	buf_adds(&b, "  <testsuite");
	attr(&b, "name", name);
	buf_addf(&b, " tests=\"%zu\" failures=\"%zu\" errors=\"%d\" "
	    "skipped=\"%zu\" time=\"0\"", tests, failures, error ? 1 : 0,
	    skipped);
	attr(&b, "timestamp", stamp);
	buf_adds(&b, ">\n");
	properties(&b, r, s);

	classname = classname_of(name);
	if (error) {
		testcase_open(&b, classname, "evaluate");
		buf_adds(&b, ">\n      <error");
		attr(&b, "message", s->error != NULL ? s->error :
		    "could not evaluate");
		attr(&b, "type", "error");
		buf_addc(&b, '>');
		text(&b, s->error != NULL ? s->error : "could not evaluate");
		buf_adds(&b, "</error>\n    </testcase>\n");
	}
	for (size_t i = 0; i < s->n_findings; i++)
		testcase(&b, classname, &s->findings[i]);
	buf_adds(&b, "  </testsuite>\n");

	fwrite(b.ptr, 1, b.len, r->out);
	buf_free(&b);
	free(classname);
	free(name);
}

/* An input passed over: a suite whose one test case is skipped, with why. */
static void
junit_skip(struct report *r, const char *name, const char *why)
{
	struct buf b = { 0 };
	char stamp[32], *clean = report_clean(name), *classname;

	time_format(r->now, stamp, sizeof(stamp));
	stamp[strcspn(stamp, "Z")] = '\0';
	buf_adds(&b, "  <testsuite");
	attr(&b, "name", clean);
	buf_adds(&b, " tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\" "
	    "time=\"0\"");
	attr(&b, "timestamp", stamp);
	buf_adds(&b, ">\n");
	classname = classname_of(clean);
	testcase_open(&b, classname, "evaluate");
	buf_adds(&b, ">\n      <skipped");
	attr(&b, "message", why);
	buf_adds(&b, "/>\n    </testcase>\n  </testsuite>\n");
	fwrite(b.ptr, 1, b.len, r->out);
	buf_free(&b);
	free(classname);
	free(clean);
}

static void
junit_end(struct report *r)
{
	fputs("</testsuites>\n", r->out);
}

const struct report_format report_junit = {
	.name = "junit",
	.begin = junit_begin,
	.subject = junit_subject,
	.end = junit_end,
	.skip = junit_skip,
};

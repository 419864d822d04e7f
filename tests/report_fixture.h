/*
 * report_fixture.h - subjects built by hand for the reporter tests
 * (test_report_formats.c, test_report_metrics.c): a good chain, one
 * that expires soon, one with a hostile name and CN, a file that could
 * not be read, and a probed address.  Findings point into rule_table.
 * The group setup builds them once; render() runs a reporter over some
 * of them and returns its output (caller frees).
 */
#ifndef BWC_TESTS_REPORT_FIXTURE_H
#define BWC_TESTS_REPORT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/run.h"
#include "core/esc.h"
#include "report/report.h"
#include "report/clean.h"
#include "rules/rules.h"

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
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->severity = rule->severity;
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
	s->findings[s->n_findings - 1].not_checked = true;
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
	report_begin(&r, fmt, fp, &fx->run.policy, fx->run.now,
	    fx->run.quiet, cmd);
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

#endif

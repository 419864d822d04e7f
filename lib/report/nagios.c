/*
 * report_nagios.c - a Nagios/Icinga plugin's output.
 *
 *	BWCERTCHECK STATE - summary | days_left=N;WARN;0 ...
 *	[CRITICAL] SUBJECT: RULE: message      (long output: failed rules)
 *	[NOT CHECKED] SUBJECT: RULE: why        (error rules skipped for want of input)
 *	[SKIPPED] FILE: why                     (an input with nothing to judge)
 *	...
 *	policy: NAME
 *
 * STATE is OK, WARNING, CRITICAL or UNKNOWN, the worst result; the exit
 * status (0..3) is the same by construction (common.h).  Perfdata per
 * subject: days left of its soonest-expiring certificate ("U" when
 * unknown), warning at the policy's warn days, critical at 0; and for
 * probed subjects the fastest handshake.  With one subject the label is
 * "days_left"; with several, "days_left SUBJECT".
 *
 * The status line needs the worst result, so everything is written at
 * end(); what is kept meanwhile is bounded: a few counters, the summary
 * of the last subject, at most NAGIOS_MAX_PERF perfdata items and
 * NAGIOS_MAX_LONG lines of long output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "report/report.h"
#include "core/timeutil.h"
#include "report/clean.h"
#include "rules/rules.h"

#define NAGIOS_MAX_PERF 50
#define NAGIOS_MAX_LONG 100
#define NAGIOS_MAX_SUMMARY 200

struct nagios_perf {
	char *name;		/* subject, printable */
	bool known;
	long days;
	bool limits_known;	/* false: a share of an unknown lifetime */
	long warn, crit;	/* --warn-days, --crit-days in days */
	bool has_handshake;
	double handshake_ms;
};

struct nagios_state {
	struct nagios_perf perf[NAGIOS_MAX_PERF];
	size_t n_perf, perf_dropped;
	struct buf longout;
	size_t n_long, long_dropped;
	char *last_summary;	/* "NAME: not compliant: a, b" */
	bool have_soonest;
	long soonest;
	char *soonest_name;
};

static const char *
state_name(enum result res)
{
	switch (res) {
	case RESULT_PASS:
		return "OK";
	case RESULT_WARN:
		return "WARNING";
	case RESULT_FAIL:
		return "CRITICAL";
	default:
		return "UNKNOWN";
	}
}

/* Append s cleaned, with '|' (which starts perfdata) and newlines replaced. */
static void
plain(struct buf *b, const char *s)
{
	char *c = report_clean(s);

	for (char *p = c; *p != '\0'; p++)
		buf_addc(b, *p == '|' ? '/' : *p == '\n' ? ' ' : *p);
	free(c);
}

static void
nagios_begin(struct report *r)
{
	r->state = xcalloc(1, sizeof(struct nagios_state));
}

struct soonest {
	bool found;
	long days;
	time_t now;
};

static void
soonest_cert(const struct cert_facts *f, int idx, void *arg)
{
	struct soonest *so = arg;
	long d;

	(void)idx;
	if (!f->times_valid)
		return;
	d = time_days_until(so->now, f->not_after);
	if (!so->found || d < so->days)
		so->days = d;
	so->found = true;
}

static void
long_line(struct nagios_state *st, const char *tag, const char *name,
    const char *rule, const char *msg)
{
	if (st->n_long >= NAGIOS_MAX_LONG) {
		st->long_dropped++;
		return;
	}
	buf_addf(&st->longout, "[%s] ", tag);
	plain(&st->longout, name);
	if (rule != NULL) {
		buf_adds(&st->longout, ": ");
		plain(&st->longout, rule);
	}
	buf_adds(&st->longout, ": ");
	plain(&st->longout, msg);
	buf_addc(&st->longout, '\n');
	st->n_long++;
}

static const char *
tag_of(enum severity sev)
{
	return sev == SEV_ERROR ? "CRITICAL" : sev == SEV_WARNING ?
	    "WARNING" : "NOTICE";
}

static void
suites_line(struct nagios_state *st, const char *name,
    const struct probe_facts *p)
{
	struct buf b = { 0 };
	bool any = false;

	for (int i = 0; i < SUITE__MAX; i++) {
		if (p->suites[i].state == SUITE_NOT_TRIED)
			continue;
		buf_addf(&b, "%s%s %s", any ? ", " : "suites: ",
		    suite_openssl_name((enum suite)i),
		    p->suites[i].state == SUITE_ACCEPTED ? "accepted" :
		    "rejected");
		any = true;
	}
	if (any)
		long_line(st, "INFO", name, NULL, b.ptr);
	buf_free(&b);
}

static const char *
days_word(long n)
{
	return n == 1 ? "day" : "days";
}

/* "NAME: not compliant: rule, rule", bounded. */
static char *
subject_summary(const char *name, const struct subject *s, long days,
    bool known)
{
	struct buf b = { 0 }, nc = { 0 };
	bool any = false;

	plain(&b, name);
	switch (s->result) {
	case RESULT_PASS:
		buf_adds(&b, ": compliant");
		break;
	case RESULT_WARN:
		buf_adds(&b, ": compliant with warnings");
		break;
	case RESULT_FAIL:
		buf_adds(&b, ": not compliant");
		break;
	default:
		buf_adds(&b, ": could not evaluate: ");
		plain(&b, s->error != NULL ? report_strip_name(s->error,
		    s->name) : "unknown error");
		break;
	}
	for (size_t i = 0; i < s->n_findings; i++) {
		const struct finding *f = &s->findings[i];

		if (f->status != STATUS_FAIL || f->severity == SEV_NOTICE)
			continue;
		buf_adds(&b, any ? ", " : ": ");
		buf_adds(&b, f->rule->id);
		any = true;
	}
	if (subject_n_not_checked(s) > 0) {
		buf_adds(&b, " (not checked: ");
		report_not_checked_text(s, &nc);
		plain(&b, nc.ptr);
		buf_addc(&b, ')');
		buf_free(&nc);
	}
	if (known && s->result != RESULT_ERROR && days >= 0)
		buf_addf(&b, "; expires in %ld %s", days, days_word(days));
	else if (known && s->result != RESULT_ERROR)
		buf_addf(&b, "; expired %ld %s ago", -days, days_word(-days));
	if (b.len > NAGIOS_MAX_SUMMARY) {
		b.len = NAGIOS_MAX_SUMMARY - 3;
		/* do not cut a UTF-8 sequence in two */
		while (b.len > 0 && ((unsigned char)b.ptr[b.len] & 0xc0) == 0x80)
			b.len--;
		buf_adds(&b, "...");
	}
	return buf_steal(&b);
}

/*
 * The thresholds for a subject's days_left, in days: --warn-days and
 * --crit-days, a share (N%) being of the leaf's lifetime as in
 * expires-soon.
 */
static void
perf_limits(const struct policy *pol, const struct subject *s,
    struct nagios_perf *p)
{
	const struct cert_facts *leaf = s->has_chain ? chain_leaf(&s->chain) :
	    NULL;
	time_t nb = 0, na = 0;

	p->limits_known = !pol->warn_percent && !pol->crit_percent;
	if (leaf != NULL && leaf->times_valid) {
		nb = leaf->not_before;
		na = leaf->not_after;
		p->limits_known = true;
	}
	p->warn = (long)(policy_limit_seconds(pol->warn_days,
	    pol->warn_percent, nb, na) / 86400);
	p->crit = (long)(policy_limit_seconds(pol->crit_days,
	    pol->crit_percent, nb, na) / 86400);
}

static void
nagios_subject(struct report *r, const struct subject *s)
{
	struct nagios_state *st = r->state;
	struct soonest so = { false, 0, r->now };
	char *name = report_clean(s->name), *shown;

	if (s->address != NULL && s->kind == SUBJECT_HOST)
		shown = xasprintf("%s (%s)", name, s->address);
	else
		shown = xstrdup(name);
	if (s->has_chain)
		chain_foreach(&s->chain, soonest_cert, &so);
	if (so.found && (!st->have_soonest || so.days < st->soonest)) {
		st->have_soonest = true;
		st->soonest = so.days;
		free(st->soonest_name);
		st->soonest_name = xstrdup(shown);
	}

	if (st->n_perf < NAGIOS_MAX_PERF) {
		struct nagios_perf *p = &st->perf[st->n_perf++];

		p->name = xstrdup(shown);
		p->known = so.found;
		p->days = so.days;
		perf_limits(r->policy, s, p);
		p->has_handshake = s->has_probe && s->probe.tls12;
		p->handshake_ms = s->probe.handshake_ms;
	} else {
		st->perf_dropped++;
	}

	if (s->result == RESULT_ERROR)
		long_line(st, "UNKNOWN", shown, NULL, s->error != NULL ?
		    report_strip_name(s->error, s->name) :
		    "could not evaluate");
	for (size_t i = 0; i < s->n_findings; i++) {
		const struct finding *f = &s->findings[i];

		if (f->status == STATUS_FAIL)
			long_line(st, tag_of(f->severity), shown,
			    f->rule->id, f->message);
	}
	for (size_t i = 0; i < s->n_findings; i++) {
		const struct finding *f = &s->findings[i];

		if (f->not_checked)
			long_line(st, "NOT CHECKED", shown, f->rule->id,
			    f->message);
	}
	if (s->has_probe)
		suites_line(st, shown, &s->probe);

	free(st->last_summary);
	st->last_summary = subject_summary(shown, s, so.days, so.found);
	free(shown);
	free(name);
}

/* A perfdata label: no '=' or quote; quoted when it has other than [A-Za-z0-9_.-]. */
static void
perf_label(struct buf *b, const char *prefix, const char *name)
{
	struct buf l = { 0 };
	bool quote = false;

	buf_adds(&l, prefix);
	if (name != NULL) {
		buf_addc(&l, ' ');
		buf_adds(&l, name);
	}
	for (size_t i = 0; i < l.len; i++) {
		char c = l.ptr[i];

		if (c == '=' || c == '\'' || c == '|')
			l.ptr[i] = '_';
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			quote = true;
	}
	if (quote)
		buf_addc(b, '\'');
	buf_add(b, l.ptr, l.len);
	if (quote)
		buf_addc(b, '\'');
	buf_free(&l);
}

static void
perfdata(struct buf *b, const struct nagios_state *st)
{
	bool one = st->n_perf == 1 && st->perf_dropped == 0;

	for (size_t i = 0; i < st->n_perf; i++) {
		const struct nagios_perf *p = &st->perf[i];

		buf_addc(b, ' ');
		perf_label(b, "days_left", one ? NULL : p->name);
		/*
		 * Plugin ranges: "30:" alerts below 30, so a healthy
		 * certificate with 199 days left is inside both.
		 */
		if (p->known)
			buf_addf(b, "=%ld", p->days);
		else
			buf_adds(b, "=U");
		if (p->limits_known)
			buf_addf(b, ";%ld:;%ld:", p->warn, p->crit);
		else
			buf_adds(b, ";;");
		if (p->has_handshake) {
			buf_addc(b, ' ');
			perf_label(b, "handshake", one ? NULL : p->name);
			buf_addf(b, "=%.3fs;;;0", p->handshake_ms / 1000.0);
		}
	}
}

/* An input passed over: a long-output line, counted on the status line. */
static void
nagios_skip(struct report *r, const char *name, const char *why)
{
	long_line(r->state, "SKIPPED", name, NULL, why);
}

static void
nagios_end(struct report *r)
{
	struct nagios_state *st = r->state;
	struct buf b = { 0 }, nc = { 0 };
	enum result worst = r->n_subjects == 0 && r->empty_note[0] == '\0' ?
	    RESULT_ERROR : r->worst;

	buf_addf(&b, "BWCERTCHECK %s - ", state_name(worst));
	if (r->n_subjects == 0) {
		buf_adds(&b, r->empty_note[0] != '\0' ? r->empty_note :
		    "nothing was checked");
	} else if (r->n_subjects == 1 && st->last_summary != NULL) {
		buf_adds(&b, st->last_summary);
	} else {
		buf_addf(&b, "%zu subjects: %zu compliant, %zu with "
		    "warnings, %zu not compliant, %zu unknown",
		    r->n_subjects, r->n_by_result[RESULT_PASS],
		    r->n_by_result[RESULT_WARN], r->n_by_result[RESULT_FAIL],
		    r->n_by_result[RESULT_ERROR]);
		report_not_checked_run(r, &nc);
		if (nc.len > 0) {
			buf_adds(&b, "; not checked: ");
			plain(&b, nc.ptr);
		}
		buf_free(&nc);
		if (st->have_soonest && st->soonest >= 0)
			buf_addf(&b, "; soonest expiry in %ld %s (",
			    st->soonest, days_word(st->soonest));
		else if (st->have_soonest)
			buf_addf(&b, "; a certificate expired %ld %s ago (",
			    -st->soonest, days_word(-st->soonest));
		if (st->have_soonest) {
			plain(&b, st->soonest_name);
			buf_addc(&b, ')');
		}
	}
	if (r->n_skipped > 0)
		buf_addf(&b, "; %zu skipped", r->n_skipped);
	if (st->n_perf > 0) {
		buf_adds(&b, " |");
		perfdata(&b, st);
	}
	buf_addc(&b, '\n');
	buf_add(&b, st->longout.ptr, st->longout.len);
	if (st->long_dropped > 0)
		buf_addf(&b, "... and %zu more lines not shown\n",
		    st->long_dropped);
	buf_adds(&b, "policy: ");
	plain(&b, r->policy->name);
	buf_addc(&b, '\n');
	fwrite(b.ptr, 1, b.len, r->out);

	buf_free(&b);
	for (size_t i = 0; i < st->n_perf; i++)
		free(st->perf[i].name);
	buf_free(&st->longout);
	free(st->last_summary);
	free(st->soonest_name);
	free(st);
	r->state = NULL;
}

const struct report_format report_nagios = {
	.name = "nagios",
	.begin = nagios_begin,
	.subject = nagios_subject,
	.end = nagios_end,
	.skip = nagios_skip,
};

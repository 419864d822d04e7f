/*
 * report_util.c - the reporter table and what every reporter shares.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "report/report.h"
#include "rules/rules.h"

const struct report_format *const report_formats[] = {
	&report_text,
	&report_json,
	&report_junit,
	&report_sarif,
	&report_nagios,
	&report_prometheus,
	&report_html,
	&report_markdown,
	NULL,
};

const struct report_format *
report_format_find(const char *name)
{
	size_t i;

	for (i = 0; report_formats[i] != NULL; i++)
		if (strcmp(report_formats[i]->name, name) == 0)
			return report_formats[i];
	return NULL;
}

void
report_begin(struct report *r, const struct report_format *fmt, FILE *out,
    const struct policy *policy, time_t now, bool quiet,
    enum report_command cmd)
{
	memset(r, 0, sizeof(*r));
	r->fmt = fmt;
	r->out = out;
	r->policy = policy;
	r->now = now;
	r->command = cmd;
	r->quiet = quiet;
	r->worst = RESULT_PASS;
	r->nc_rule = xcalloc(rule_count, sizeof(*r->nc_rule));
	if (cmd != REPORT_LISTEN && fmt->begin != NULL)
		fmt->begin(r);
	r->begun = cmd != REPORT_LISTEN;
}

const char *
report_command_name(enum report_command c)
{
	switch (c) {
	case REPORT_LINT:
		return "lint";
	case REPORT_PROBE:
		return "probe";
	case REPORT_LISTEN:
		return "listen";
	case REPORT_FIX_CHAIN:
		return "fix-chain";
	default:
		return "?";
	}
}

const char *
report_result_word(enum result res)
{
	switch (res) {
	case RESULT_PASS:
		return "COMPLIANT";
	case RESULT_WARN:
		return "COMPLIANT WITH WARNINGS";
	case RESULT_FAIL:
		return "NOT COMPLIANT";
	default:
		return "COULD NOT EVALUATE";
	}
}

const char *
report_subject_noun(enum report_command c)
{
	return c == REPORT_LINT || c == REPORT_FIX_CHAIN ? "chain" :
	    c == REPORT_LISTEN ? "client" : "target";
}

void
report_subject(struct report *r, const struct subject *s)
{
	r->worst = result_worst(r->worst, s->result);
	r->n_subjects++;
	if (!r->begun && r->fmt->begin != NULL)
		r->fmt->begin(r);
	r->begun = true;
	if ((unsigned)s->result < RESULT__MAX)
		r->n_by_result[s->result]++;
	if (subject_n_not_checked(s) > 0) {
		struct buf b = { 0 };

		if (r->n_not_checked++ == 0) {
			report_not_checked_text(s, &b);
			r->nc_first = buf_steal(&b);
		}
		for (size_t i = 0; i < s->n_findings; i++)
			if (s->findings[i].not_checked)
				r->nc_rule[s->findings[i].rule - rule_table] = true;
	}
	if (r->fmt->subject != NULL)
		r->fmt->subject(r, s);
	/* Each subject goes out at once: a failed write stops the run. */
	if (r->write_failed != NULL && (fflush(r->out) != 0 || ferror(r->out)))
		r->write_failed(r->write_failed_arg, errno != 0 ? errno : EIO);
}

void
report_skip(struct report *r, const char *name, const char *why)
{
	char *esc = esc_printable_keepbs((const unsigned char *)name,
	    strlen(name));

	r->n_skipped++;
	if (r->fmt->skip != NULL)
		r->fmt->skip(r, esc, why);
	free(esc);
}

void
report_end(struct report *r)
{
	if (r->n_subjects == 0 && r->empty_note[0] == '\0' &&
	    (r->command == REPORT_LINT || r->command == REPORT_PROBE))
		r->worst = RESULT_ERROR;
	if (r->begun && r->fmt->end != NULL)
		r->fmt->end(r);
	fflush(r->out);
	free(r->nc_rule);
	free(r->nc_first);
	r->nc_rule = NULL;
	r->nc_first = NULL;
}

const char *
report_fix(const struct finding *f)
{
	return f->fix != NULL ? f->fix : f->rule->fix;
}

/* Beyond this many rules for one reason, the words count them. */
#define NOT_CHECKED_NAMED 4

void
report_not_checked_text(const struct subject *s, struct buf *b)
{
	const struct finding *f, *g;
	size_t i, j, k, n;
	bool first = true;

	for (i = 0; i < s->n_findings; i++) {
		f = &s->findings[i];
		if (!f->not_checked)
			continue;
		/* Each reason once, after the first rule that gives it. */
		for (k = 0; k < i; k++)
			if (s->findings[k].not_checked &&
			    strcmp(s->findings[k].message, f->message) == 0)
				break;
		if (k < i)
			continue;
		buf_adds(b, first ? "" : "; ");
		first = false;
		for (n = 0, j = i; j < s->n_findings; j++) {
			g = &s->findings[j];
			if (g->not_checked && strcmp(g->message, f->message) == 0)
				n++;
		}
		/* A chain that was never obtained skips a dozen: count them. */
		if (n > NOT_CHECKED_NAMED) {
			buf_addf(b, "%zu rules: %s", n, f->message);
			continue;
		}
		buf_adds(b, f->rule->id);
		for (j = i + 1; j < s->n_findings; j++) {
			g = &s->findings[j];
			if (g->not_checked && strcmp(g->message, f->message) == 0)
				buf_addf(b, ", %s", g->rule->id);
		}
		buf_addf(b, ": %s", f->message);
	}
}

void
report_not_checked_run(const struct report *r, struct buf *b)
{
	bool first = true;

	if (r->n_not_checked == 0)
		return;
	if (r->n_subjects == 1 && r->nc_first != NULL) {
		buf_adds(b, r->nc_first);
		return;
	}
	for (size_t i = 0; i < rule_count; i++) {
		if (!r->nc_rule[i])
			continue;
		buf_addf(b, "%s%s", first ? "" : ", ", rule_table[i].id);
		first = false;
	}
	buf_addf(b, " in %zu of %zu", r->n_not_checked, r->n_subjects);
}

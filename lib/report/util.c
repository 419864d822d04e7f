/*
 * report_util.c - the reporter table and what every reporter shares.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"

const struct report_format *const report_formats[] = {
	&report_text,
	&report_json,
	&report_junit,
	&report_sarif,
	&report_nagios,
	&report_prometheus,
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
    const struct run *run, enum report_command cmd)
{
	memset(r, 0, sizeof(*r));
	r->fmt = fmt;
	r->out = out;
	r->run = run;
	r->command = cmd;
	r->quiet = run->quiet;
	r->worst = RESULT_PASS;
	if (fmt->begin != NULL)
		fmt->begin(r);
}

void
report_subject(struct report *r, const struct subject *s)
{
	r->worst = result_worst(r->worst, s->result);
	r->n_subjects++;
	if ((unsigned)s->result < RESULT__MAX)
		r->n_by_result[s->result]++;
	if (r->fmt->subject != NULL)
		r->fmt->subject(r, s);
}

void
report_end(struct report *r)
{
	if (r->fmt->end != NULL)
		r->fmt->end(r);
	fflush(r->out);
}

/*
 * check_util.c - small helpers the check functions share.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "rules/check_util.h"

char *
cert_ref(const struct cert_facts *f, int idx)
{
	char *label = facts_label(f), *out;

	if (idx < 0)
		out = xasprintf("root %s", label);
	else
		out = xasprintf("cert %d (%s)", idx, label);
	free(label);
	return out;
}

void
problems_add(struct problems *p, int idx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->count == 0)
		p->first_cert = idx;
	else
		buf_adds(&p->text, "; ");
	buf_adds(&p->text, s);
	free(s);
	p->count++;
}

/*
 * clean.c - see clean.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "report/clean.h"

char *
report_clean(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	if (esc_is_clean(s))
		return xstrdup(s);
	return esc_printable_str(s);
}

const char *
report_strip_name(const char *msg, const char *name)
{
	size_t n = strlen(name);

	if (n > 0 && strncmp(msg, name, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

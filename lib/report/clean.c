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

void
report_json_write(FILE *out, const json_t *j, size_t flags)
{
	json_free_t jfree = NULL;
	char *text;

	if ((text = json_dumps(j, flags)) == NULL)
		fatal_oom();
	fputs(text, out);
	json_get_alloc_funcs(NULL, &jfree);
	if (jfree != NULL)
		jfree(text);
	else
		free(text);
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

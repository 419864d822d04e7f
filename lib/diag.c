/*
 * diag.c - the few ways bwcertcheck speaks on stderr.
 */
#include <stdarg.h>
#include <stdio.h>

#include "op.h"

void
diag_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bwcertcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
diag_warn(const struct run *run, const char *fmt, ...)
{
	va_list ap;

	if (run != NULL && run->quiet)
		return;
	fputs("bwcertcheck: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * diag.c - the few ways bwcertcheck speaks on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "app/op.h"

/* Print a message whose parts may come from file names or servers. */
static void diag_print(const char *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
diag_print(const char *prefix, const char *fmt, va_list ap)
{
	char *raw = xvasprintf(fmt, ap), *esc;

	esc = esc_printable_keepbs((const unsigned char *)raw, strlen(raw));
	fprintf(stderr, "bwcertcheck: %s%s\n", prefix, esc);
	free(esc);
	free(raw);
}

void
diag_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_print("", fmt, ap);
	va_end(ap);
}

void
diag_input_error(const struct run *run, const char *fmt, ...)
{
	va_list ap;

	if (run != NULL && run->errors_in_report)
		return;
	va_start(ap, fmt);
	diag_print("", fmt, ap);
	va_end(ap);
}

void
diag_warn(const struct run *run, const char *fmt, ...)
{
	va_list ap;

	if (run != NULL && run->quiet)
		return;
	va_start(ap, fmt);
	diag_print("warning: ", fmt, ap);
	va_end(ap);
}

void
diag_note(const struct run *run, const char *fmt, ...)
{
	va_list ap;

	if (run != NULL && run->quiet)
		return;
	va_start(ap, fmt);
	diag_print("", fmt, ap);
	va_end(ap);
}

void
diag_progress(const char *fmt, ...)
{
	va_list ap;
	char *raw, *esc;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	esc = esc_printable_keepbs((const unsigned char *)raw, strlen(raw));
	fprintf(stderr, "\rbwcertcheck: %s\033[K", esc);
	fflush(stderr);
	free(esc);
	free(raw);
}

void
diag_progress_clear(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

/*
 * clean.h - make text safe for the machine-readable reporters
 * without escaping twice.
 *
 * Findings arrive already escaped; subject errors, certificate names
 * and policy names usually are too, but a reporter that writes XML,
 * JSON or metrics must not trust that.  report_clean() keeps text that
 * is valid UTF-8 without control characters as it is (so an escaped
 * "\x01" is not turned into "\\x01"), and passes anything else through
 * esc_printable_str().
 */
#ifndef BWC_REPORT_CLEAN_H
#define BWC_REPORT_CLEAN_H

#include <stdio.h>

#include <jansson.h>

#include "core/common.h"

/* A new string (caller frees): s itself if clean, else its escaped form; "" for NULL. */
char *report_clean(const char *s);

/*
 * msg without a leading "name: " (errors often start with the input's
 * name, which a reporter prints anyway).  Borrowed from msg.
 */
const char *report_strip_name(const char *msg, const char *name);

/*
 * Write j as json_dumps(j, flags) gives it to out; out of memory is
 * fatal.  jansson's text is released with the allocator jansson was
 * given (json_set_alloc_funcs(): the fuzz targets give it an arena),
 * never with free() directly.
 */
void report_json_write(FILE *out, const json_t *j, size_t flags);

#endif

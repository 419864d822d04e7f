/*
 * html.h - what the html report's two files share (html.c writes the
 * page, html_timeline.c its expiry timeline).
 */
#ifndef BWC_REPORT_HTML_H
#define BWC_REPORT_HTML_H

#include <stdio.h>

struct fleet;
struct report;

/* Write s as HTML character data or a quoted attribute value. */
void html_text(FILE *out, const char *s);

/* A small inline SVG of a shape: "pass", "warn", "fail", "error". */
void html_icon(FILE *out, const char *shape);

/* The timeline section of the page, for the sorted fleet. */
void html_timeline(struct report *r, const struct fleet *fl);

#endif

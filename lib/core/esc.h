/*
 * esc.h - untrusted text stays untrusted.
 *
 * Names from certificates and servers are (pointer, length).  Before
 * they reach a terminal, JSON, XML or a metrics label they go through
 * one of these.  Each returns a new NUL-terminated string the caller
 * frees; none ever fails (out of memory is fatal).
 */
#ifndef BWC_ESC_H
#define BWC_ESC_H

#include "core/common.h"

/*
 * Printable form: valid UTF-8 is kept except C0/C1 controls and DEL,
 * which become \xNN, as do invalid UTF-8 bytes and NUL; a backslash
 * becomes "\\".  The result is safe for a terminal and is valid UTF-8.
 */
char *esc_printable(const unsigned char *p, size_t len);
char *esc_printable_str(const char *s);
/*
 * Untrusted input echoed in a message (a line of a --targets file, an
 * argument): its printable form, cut after ESC_QUOTE_MAX bytes of
 * input with "…" so that a megabyte-long line is not printed whole.
 */
#define ESC_QUOTE_MAX 200
char *esc_quote(const char *s);
/* True if s is valid UTF-8 holding nothing esc_printable() would escape. */
bool esc_is_clean(const char *s);
/* The same, but a backslash is kept as it is (for RFC 2253 names, already escaped). */
char *esc_printable_keepbs(const unsigned char *p, size_t len);

/* Append s to b as the body of a JSON string (no quotes); s must be valid UTF-8. */
void esc_json(struct buf *b, const char *s);
/* Append s to b as XML character data or attribute value. */
void esc_xml(struct buf *b, const char *s);
/* Append s as a Prometheus label value (\\, \", \n escaped). */
void esc_prom_label(struct buf *b, const char *s);

#endif

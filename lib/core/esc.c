/*
 * esc.c - escaping untrusted text for terminals, JSON, XML and metrics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"

/*
 * Length of the valid UTF-8 sequence at p (at most len bytes), or 0 if
 * the bytes there are not valid UTF-8 (overlong forms, surrogates and
 * values past U+10FFFF are invalid).  *cp gets the code point.
 */
static size_t
utf8_seq(const unsigned char *p, size_t len, unsigned long *cp)
{
	size_t n, i;
	unsigned long c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Append "\\xHH" for byte c, lower-case hex as esc_printable() writes it. */
static void
add_hex_escape(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	buf_add(b, e, sizeof(e));
}

/*
 * What esc_printable() escapes besides invalid bytes: C0 and C1
 * controls, DEL, the line and paragraph separators, and the bidi
 * overrides and isolates that could reorder what a reader sees.
 */
static bool
unsafe_cp(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
	    cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

bool
esc_is_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	unsigned long cp;

	while (i < len) {
		/* Printable ASCII, the common case, a byte at a time. */
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if ((n = utf8_seq(p + i, len - i, &cp)) == 0 || unsafe_cp(cp))
			return false;
		i += n;
	}
	return true;
}

static char *
esc_printable_flags(const unsigned char *p, size_t len, bool keepbs)
{
	struct buf b = { 0 };
	size_t i = 0, n;
	unsigned long cp;

	while (i < len) {
		/* Printable ASCII but the backslash: a run, in one copy. */
		for (n = i; n < len && p[n] >= 0x20 && p[n] < 0x7f &&
		    p[n] != '\\'; n++)
			;
		if (n > i) {
			buf_add(&b, p + i, n - i);
			i = n;
			continue;
		}
		n = utf8_seq(p + i, len - i, &cp);
		if (n == 0 || unsafe_cp(cp)) {
			/* Controls, bidi overrides and invalid bytes. */
			if (n == 0)
				n = 1;
			for (size_t k = 0; k < n; k++)
				add_hex_escape(&b, p[i + k]);
		} else if (cp == '\\' && !keepbs)
			buf_adds(&b, "\\\\");
		else
			buf_add(&b, p + i, n);
		i += n;
	}
	return buf_steal(&b);
}

char *
esc_printable(const unsigned char *p, size_t len)
{
	return esc_printable_flags(p, len, false);
}

char *
esc_printable_keepbs(const unsigned char *p, size_t len)
{
	return esc_printable_flags(p, len, true);
}

char *
esc_printable_str(const char *s)
{
	return esc_printable((const unsigned char *)s, strlen(s));
}

char *
esc_quote(const char *s)
{
	size_t len = strlen(s), cut = len;
	char *e, *out;

	if (len <= ESC_QUOTE_MAX)
		return esc_printable_str(s);
	/* Cut at a character's first byte, not inside a UTF-8 sequence. */
	cut = ESC_QUOTE_MAX;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	e = esc_printable((const unsigned char *)s, cut);
	out = xasprintf("%s\xe2\x80\xa6", e);	/* U+2026 "…" */
	free(e);
	return out;
}

void
esc_json(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char hex[8];

	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				snprintf(hex, sizeof(hex), "\\u%04x", *p);
				buf_adds(b, hex);
			} else
				buf_addc(b, (char)*p);
		}
	}
}

void
esc_xml(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;

	for (;;) {
		/* A run of bytes that stand for themselves, in one copy. */
		for (run = p; *p >= 0x20 && *p != 0x7f && *p != '<' &&
		    *p != '>' && *p != '&' && *p != '"' && *p != '\''; p++)
			;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		switch (*p) {
		case '\0':
			return;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&apos;");
			break;
		case '\n':
			buf_adds(b, "&#10;");
			break;
		case '\t':
			buf_adds(b, "&#9;");
			break;
		default:
			/* XML 1.0 forbids other C0 controls even as references. */
			add_hex_escape(b, *p);
		}
		p++;
	}
}

void
esc_prom_label(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '"')
			buf_adds(b, "\\\"");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

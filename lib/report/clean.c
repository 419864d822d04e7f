/*
 * report_clean.c - see report_clean.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "report/clean.h"

/* Length of the UTF-8 sequence at p (RFC 3629), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && p[1] > 0x9f)
			return 0;	/* surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && p[1] > 0x8f)
			return 0;	/* above U+10FFFF */
		return 4;
	}
	return 0;
}

bool
report_is_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		/* C1 controls U+0080..U+009F are encoded c2 80..c2 9f */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return false;
		if ((n = utf8_seq(p)) == 0)
			return false;
		p += n;
	}
	return true;
}

char *
report_clean(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	if (report_is_clean(s))
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

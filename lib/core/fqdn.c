/*
 * fqdn.c - match a SAN dNSName against the equipment's FQDN.
 *
 * RFC 9525 section 6.3 as the carrier applies it (see fqdn.h).  The SAN
 * comes from the certificate as raw bytes: it is never treated as a C
 * string, so an embedded NUL cannot cut it short.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "core/fqdn.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * A host name character: letters, digits, hyphen (RFC 952, RFC 1123
 * 2.1).  No underscore: public CAs may not put one in a dNSName (CA/B
 * Forum Ballot SC12), so neither --fqdn nor a SAN that has one matches.
 */
static bool
label_char(unsigned char c)
{
	return isalnum(c) || c == '-';
}

/* Count the labels of a name (no trailing dot); 0 if a label is empty. */
static size_t
count_labels(const unsigned char *p, size_t len)
{
	size_t i, n = 1, start = 0;

	if (len == 0)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i == len || p[i] == '.') {
			if (i == start)
				return 0;
			n += i < len;
			start = i + 1;
		}
	}
	return n;
}

static bool
equal_nocase(const unsigned char *a, const unsigned char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

enum fqdn_match
fqdn_match(const unsigned char *san, size_t san_len, const char *fqdn,
    bool allow_wildcard)
{
	const unsigned char *f = (const unsigned char *)fqdn;
	size_t flen = strlen(fqdn), i, rest;
	const unsigned char *dot;

	if (san == NULL || fqdn == NULL)
		return FQDN_NO_MATCH;
	/* One trailing dot on either side is the same name. */
	if (san_len > 0 && san[san_len - 1] == '.')
		san_len--;
	if (flen > 0 && f[flen - 1] == '.')
		flen--;
	if (san_len == 0 || flen == 0 || san_len > 253 || flen > 253)
		return FQDN_NO_MATCH;
	/* Only printable ASCII label characters, dots and a leading '*'. */
	for (i = 0; i < san_len; i++)
		if (!label_char(san[i]) && san[i] != '.' &&
		    !(i == 0 && san[i] == '*'))
			return FQDN_NO_MATCH;
	for (i = 0; i < flen; i++)
		if (!label_char(f[i]) && f[i] != '.')
			return FQDN_NO_MATCH;
	if (count_labels(f, flen) == 0)
		return FQDN_NO_MATCH;
	/* An address is not a name: never a dNSName, nor a wildcard's octet. */
	if (flen < 64) {
		char tmp[64];

		memcpy(tmp, f, flen);
		tmp[flen] = '\0';
		if (fqdn_is_ip_literal(tmp))
			return FQDN_NO_MATCH;
	}

	if (san[0] != '*') {
		if (count_labels(san, san_len) == 0)
			return FQDN_NO_MATCH;
		return san_len == flen && equal_nocase(san, f, flen) ?
		    FQDN_EXACT : FQDN_NO_MATCH;
	}

	/* "*." + at least two labels: never "*", "*.", "*.com". */
	if (!allow_wildcard || san_len < 3 || san[1] != '.')
		return FQDN_NO_MATCH;
	rest = san_len - 2;
	if (count_labels(san + 2, rest) < 2)
		return FQDN_NO_MATCH;
	/* The wildcard stands for exactly the FQDN's first label. */
	dot = memchr(f, '.', flen);
	if (dot == NULL || dot == f)
		return FQDN_NO_MATCH;
	if ((size_t)(f + flen - (dot + 1)) != rest)
		return FQDN_NO_MATCH;
	return equal_nocase(san + 2, dot + 1, rest) ? FQDN_WILDCARD :
	    FQDN_NO_MATCH;
}

bool
fqdn_is_ip_literal(const char *s)
{
	unsigned char b[16];
	char tmp[64];
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']' && len - 2 < sizeof(tmp)) {
		memcpy(tmp, s + 1, len - 2);
		tmp[len - 2] = '\0';
		s = tmp;
	}
	return inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1;
}

char *
fqdn_normalize(const char *name, char **err)
{
	char *out = NULL, *alabel = NULL;
	size_t i, len;
	bool ascii = true;
	int rc;

	for (i = 0; name[i] != '\0'; i++)
		if ((unsigned char)name[i] >= 0x80)
			ascii = false;
	if (ascii)
		out = xstrdup(name);
	else {
		rc = idn2_to_ascii_8z(name, &alabel,
		    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		if (rc != IDN2_OK) {
			*err = xasprintf("not a valid internationalised name: %s",
			    idn2_strerror(rc));
			return NULL;
		}
		out = xstrdup(alabel);
		idn2_free(alabel);
	}
	len = strlen(out);
	if (len > 0 && out[len - 1] == '.')
		out[--len] = '\0';
	/* The carrier's SBC reaches the equipment by name, never by address. */
	if (fqdn_is_ip_literal(out)) {
		*err = xstrdup("an IP address, not a host name: give the FQDN "
		    "the carrier's SBC uses to reach the equipment");
		free(out);
		return NULL;
	}
	for (i = 0; i < len; i++) {
		out[i] = (char)lower((unsigned char)out[i]);
		if (!label_char((unsigned char)out[i]) && out[i] != '.') {
			*err = xstrdup("not a host name (only letters, digits, "
			    "'-' and '.' may appear)");
			free(out);
			return NULL;
		}
	}
	if (count_labels((unsigned char *)out, len) == 0 || len > 253) {
		*err = xstrdup("not a host name (empty label or too long)");
		free(out);
		return NULL;
	}
	return out;
}

bool
fqdn_dns_syntax(const unsigned char *p, size_t len, bool wildcard)
{
	size_t i, start = 0;

	if (p == NULL || len == 0 || len > 253)
		return false;
	if (wildcard && len > 2 && p[0] == '*' && p[1] == '.')
		start = 2;
	for (i = start; i <= len; i++) {
		if (i < len && p[i] != '.') {
			if (!isalnum(p[i]) && p[i] != '-')
				return false;
			continue;
		}
		/* A label is p[start, i). */
		if (i == start || i - start > 63 || p[start] == '-' ||
		    p[i - 1] == '-')
			return false;
		start = i + 1;
	}
	return true;
}

/* Does name end with the labels of base (name == base, or "...." + base)? */
static bool
under(const unsigned char *name, size_t nlen, const unsigned char *base,
    size_t blen)
{
	if (blen == 0 || nlen < blen ||
	    !equal_nocase(name + nlen - blen, base, blen))
		return false;
	return nlen == blen || name[nlen - blen - 1] == '.';
}

bool
fqdn_wildcard_reaches(const unsigned char *wild, size_t wild_len,
    const unsigned char *base, size_t base_len)
{
	const unsigned char *x, *dot;
	size_t xlen;

	if (wild == NULL || base == NULL || wild_len < 3 || wild[0] != '*' ||
	    wild[1] != '.')
		return false;
	x = wild + 2;
	xlen = wild_len - 2;
	if (under(x, xlen, base, base_len))
		return true;
	/* base is "L.X" for one label L: "*.X" stands for it. */
	dot = memchr(base, '.', base_len);
	return dot != NULL && dot != base &&
	    (size_t)(base + base_len - (dot + 1)) == xlen &&
	    equal_nocase(dot + 1, x, xlen);
}

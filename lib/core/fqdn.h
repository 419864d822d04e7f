/*
 * fqdn.h - does a SAN dNSName cover the equipment's FQDN?
 *
 * RFC 9525 section 6.3, as the carrier applies it: only dNSName entries
 * count, case-insensitive ASCII comparison, one trailing dot ignored, a
 * wildcard only as the whole left-most label and for exactly one label,
 * never for the bare apex, never inside a label ("p*.example.com"), and
 * never on a public suffix of two labels or fewer ("*.com").  An
 * embedded NUL or a byte outside printable ASCII never matches.
 */
#ifndef BWC_FQDN_H
#define BWC_FQDN_H

#include "core/common.h"

enum fqdn_match {
	FQDN_NO_MATCH,
	FQDN_EXACT,
	FQDN_WILDCARD,
	FQDN__MAX
};

/*
 * Compare one SAN dNSName (san, san_len: raw bytes from the certificate)
 * with fqdn (an A-label FQDN, NUL-terminated).  allow_wildcard false
 * makes a wildcard never match.
 */
enum fqdn_match fqdn_match(const unsigned char *san, size_t san_len,
    const char *fqdn, bool allow_wildcard);

/*
 * Bring a user-given FQDN to the form fqdn_match() compares: A-labels
 * (IDNA 2008 via libidn2 for non-ASCII input), lower case, no trailing
 * dot.  Returns a new string (caller frees), or NULL with *err set
 * (caller frees) when the name is not a valid host name.
 */
char *fqdn_normalize(const char *name, char **err);

/* Is s an IPv4 or IPv6 literal? */
bool fqdn_is_ip_literal(const char *s);

#endif

/*
 * fqdn.h - does a SAN dNSName cover the equipment's FQDN?
 *
 * RFC 9525 section 6.3, as the carrier applies it: only dNSName entries
 * count, case-insensitive ASCII comparison, one trailing dot ignored, a
 * wildcard only as the whole left-most label and for exactly one label,
 * never for the bare apex, never inside a label ("p*.example.com"), and
 * never on a public suffix of two labels or fewer ("*.com").  An
 * embedded NUL, an underscore or a byte outside printable ASCII never
 * matches, and an IP address is never a host name.
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

/*
 * Is the name (raw bytes) in the preferred name syntax of RFC 1034 3.5
 * as RFC 1123 2.1 relaxes it, which RFC 5280 4.2.1.6 asks of dNSName:
 * dot-separated labels of 1 to 63 letters, digits and hyphens, neither
 * first nor last a hyphen, 253 bytes at most, no leading or trailing
 * dot.  With wildcard, the first label may be "*" alone.
 */
bool fqdn_dns_syntax(const unsigned char *p, size_t len, bool wildcard);

/*
 * Could one of the names the wildcard "*.X" (wild) stands for lie in the
 * DNS subtree rooted at base (RFC 5280 4.2.1.10: base and every name
 * made by adding labels on its left)?  True when base is X, under X by
 * exactly one label, or X lies under base.  Case-insensitive.
 */
bool fqdn_wildcard_reaches(const unsigned char *wild, size_t wild_len,
    const unsigned char *base, size_t base_len);

/* Is s an IPv4 or IPv6 literal? */
bool fqdn_is_ip_literal(const char *s);

#endif

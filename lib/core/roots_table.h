/*
 * roots_table.h - the accepted CA roots, as data.
 *
 * One row per root each accepted brand may anchor at, pinned by the
 * SHA-256 of its SubjectPublicKeyInfo, with the date it leaves (left)
 * Mozilla's store and why the brand includes it; and the roots that are
 * deliberately not accepted, with why.  x509/trust.c builds the
 * verifier's store from the bundle of exactly these roots.
 */
#ifndef BWC_ROOTS_TABLE_H
#define BWC_ROOTS_TABLE_H

#include "core/common.h"
#include "core/policy.h"

/* One row of the accepted-roots table. */
struct root_info {
	enum brand brand;
	const char *name;		/* subject CN (or OU when there is no CN) */
	const char *spki_sha256;	/* 64 lower-case hex digits */
	const char *mozilla_removal;	/* "YYYY-MM-DD" the root leaves (left)
					 * Mozilla's store for TLS, or NULL */
	const char *why;		/* why this brand includes it */
};

extern const struct root_info root_table[];
extern const size_t root_table_len;

/* The table row with this SPKI hash (32 raw bytes), or NULL. */
const struct root_info *root_info_by_spki(const unsigned char spki[32]);

/* A root deliberately not accepted, to say why a chain to it fails. */
struct root_excluded {
	const char *cn;
	const char *why;
};

extern const struct root_excluded root_excluded[];
extern const size_t root_excluded_len;

/*
 * Why the root or issuer with this RFC 2253 name is not accepted, or
 * NULL if it is not one of root_excluded[].  Borrowed.
 */
const char *root_excluded_why(const char *name);

/*
 * The table row whose root has this RFC 2253 name (matched on its CN,
 * or OU for roots without one), or NULL.  For messages only: a name
 * proves nothing, trust comes from the key.
 */
const struct root_info *root_info_by_name(const char *name);

/*
 * The accepted brand whose CAs a certificate's issuer looks like: by
 * the organisation of the issuer's name (org, may be NULL) or the host
 * of its caIssuers URL (url, may be NULL).  -1 when neither says.  For
 * messages only, like root_info_by_name(): it names the brand of an
 * intermediate that is missing, it never makes a chain trusted.
 */
int brand_hint(const char *org, const char *url);

/* Parse "YYYY-MM-DD" (UTC midnight); -1 on error. */
time_t root_removal_time(const struct root_info *);

#endif

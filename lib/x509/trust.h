/*
 * roots.h - the accepted CA roots and the verifier's trust store.
 *
 * The built-in set is a table (roots_table.c) of the roots each accepted
 * brand may anchor at, pinned by the SHA-256 of their
 * SubjectPublicKeyInfo, and a PEM bundle of exactly those roots
 * (roots_bundle.pem) compiled into the binary.  The verifier's store is
 * built from these roots only, never from OpenSSL's default paths.
 */
#ifndef BWC_ROOTS_H
#define BWC_ROOTS_H

#include "x509/facts.h"
#include "core/policy.h"

typedef struct x509_store_st X509_STORE;

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

/* The PEM bundle built into the binary (generated from roots_bundle.pem). */
extern const char roots_bundle_pem[];

/* A root in the verifier's store. */
struct trust_root {
	X509 *x509;			/* owned */
	struct cert_facts facts;
	const struct root_info *info;	/* row of root_table, NULL for --trust-store */
};

struct trust {
	X509_STORE *store;		/* owned; holds exactly roots[] */
	struct trust_root *roots;
	size_t n;
	bool builtin;			/* false when loaded from --trust-store */
};

/*
 * Build the store from the built-in bundle, keeping the roots of the
 * brands in policy->brands.  Returns NULL and sets *err (caller frees)
 * if the bundle does not match the table, which is a build defect.
 */
struct trust *trust_load_builtin(const struct policy *policy, char **err);

/*
 * Build the store from a PEM file or a directory of PEM/DER files
 * (--trust-store).  Returns NULL and sets *err (caller frees) naming the
 * path and the cause.
 */
struct trust *trust_load_path(const char *path, char **err);

void trust_free(struct trust *);

/* The store's root whose certificate equals x, or NULL.  Borrowed. */
const struct trust_root *trust_find(const struct trust *, X509 *x);

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

/* Parse "YYYY-MM-DD" (UTC midnight); -1 on error. */
time_t root_removal_time(const struct root_info *);

#endif

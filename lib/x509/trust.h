/*
 * trust.h - the verifier's trust store.
 *
 * Built from the PEM bundle of the accepted roots (core/roots_table.h)
 * compiled into the binary, or from --trust-store.  Never from
 * OpenSSL's default paths.
 */
#ifndef BWC_TRUST_H
#define BWC_TRUST_H

#include "core/roots_table.h"
#include "x509/facts.h"

typedef struct x509_store_st X509_STORE;
struct sigcache;

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
	struct sigcache *sigs;		/* owned: the signatures verified this run */
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

#endif

/*
 * trust.h - the verifier's trust store.
 *
 * Built from the accepted roots (core/roots_table.h) compiled into the
 * binary, or from --trust-store.  Never from OpenSSL's default paths.
 * The built-in roots are indexed at build time (x509/roots_index.h) and
 * each is parsed only when a chain reaches it: a run pays for the roots
 * its chains name, not for all of them.
 */
#ifndef BWC_TRUST_H
#define BWC_TRUST_H

#include "core/roots_table.h"
#include "x509/facts.h"

typedef struct x509_store_st X509_STORE;
typedef struct X509_name_st X509_NAME;
struct root_der;
struct facts_memo;
struct sigcache;
struct trust_lazy;

/* A root in the verifier's store. */
struct trust_root {
	X509 *x509;			/* owned; NULL until parsed (built-in) */
	struct cert_facts facts;	/* once x509 is set */
	const struct root_info *info;	/* row of root_table, NULL for --trust-store */
	const struct root_der *der;	/* built-in: its bytes, NULL otherwise */
};

/*
 * roots[] is fixed once loaded; a built-in root's x509 and facts are
 * filled in, under the lock in lazy, the first time it is needed.  Read
 * them through trust_find(), trust_named() or trust_root(), never
 * directly, since another thread may be filling them in.
 */
struct trust {
	X509_STORE *store;		/* owned; holds the parsed roots[] */
	struct trust_root *roots;
	size_t n;
	bool builtin;			/* false when loaded from --trust-store */
	struct sigcache *sigs;		/* owned: the signatures verified this run */
	struct facts_memo *facts;	/* owned: CA certificates' facts this run */
	struct trust_lazy *lazy;	/* owned: built-in only, else NULL */
};

/*
 * Build the store from the built-in roots, keeping those of the brands
 * in policy->brands; none is parsed yet.  Returns NULL and sets *err
 * (caller frees) if the bundle does not match the table, which is a
 * build defect.
 */
struct trust *trust_load_builtin(const struct policy *policy, char **err);

/*
 * Build the store from a PEM file or a directory of PEM/DER files
 * (--trust-store).  Returns NULL and sets *err (caller frees) naming the
 * path and the cause.
 */
struct trust *trust_load_path(const char *path, char **err);

void trust_free(struct trust *);

/*
 * Empty t's caches (the signatures verified and the CA certificates'
 * facts met so far): later chains are worked out as by a new store.
 * Between the inputs of the fuzz targets, which parse each afresh.
 */
void trust_forget(struct trust *);

/* The built-in bundle: how many roots, and where it came from
 * ("ca-certificates 20250419~deb12u2").  Static. */
size_t trust_builtin_count(void);
const char *trust_builtin_source(void);

/* The store's root whose certificate equals x, or NULL.  Borrowed. */
const struct trust_root *trust_find(const struct trust *, X509 *x);

/*
 * The next root, from roots[*pos] on, whose subject is name as OpenSSL
 * compares names (X509_NAME_cmp), parsed if it was not; *pos is set to
 * its index.  Start with *pos = 0 and add one after each root.  NULL
 * when there is none left.  Borrowed.
 */
const struct trust_root *trust_named(const struct trust *,
    const X509_NAME *name, size_t *pos);

/*
 * roots[i], parsed if it was not (i < t->n).  NULL only if a built-in
 * root cannot be read, which the build rules out.  Borrowed.
 */
const struct trust_root *trust_root(const struct trust *, size_t i);

#endif

/*
 * sigcache.h - the certificate signatures a run has verified already.
 *
 * Over a directory of chains from one CA, every chain holds the same
 * intermediate under the same root, and every verification checks the
 * same signature again.  A sigcache remembers each (issuer, subject)
 * pair that OpenSSL's verification accepted, identified by the SHA-256
 * of both whole certificates, and later verifications on an
 * X509_STORE_CTX it is attached to skip the pairs it holds.  A pair is
 * only ever skipped for the very same two certificates, byte for byte:
 * a copy with the same names and key identifiers but another signature,
 * serial or anything else is a new pair, verified by OpenSSL.
 *
 * Bounded (SIGCACHE_SLOTS pairs, the least recently met replaced
 * first) and safe to share between threads.
 */
#ifndef BWC_SIGCACHE_H
#define BWC_SIGCACHE_H

#include <stddef.h>

typedef struct x509_store_ctx_st X509_STORE_CTX;

/* Pairs remembered at most: sets of SIGCACHE_WAYS, found by hash. */
#define SIGCACHE_WAYS 4
#define SIGCACHE_SETS 256
#define SIGCACHE_SLOTS (SIGCACHE_WAYS * SIGCACHE_SETS)
/* CA certificates whose digests are kept, with a reference each. */
#define SIGCACHE_MEMO 16

struct sigcache;

/* A new, empty cache.  Free with sigcache_free() (NULL is a no-op). */
struct sigcache *sigcache_new(void);
void sigcache_free(struct sigcache *);

/*
 * Make the verification of ctx (initialised, not yet verified) use c:
 * the pairs at the top of the path that c holds are not checked again,
 * every other pair is checked by OpenSSL as usual, and a path OpenSSL
 * accepts adds its pairs to c.  Only verifications that do not check
 * validity times (X509_V_FLAG_NO_CHECK_TIME) take the shortcut; others
 * run unchanged.  c == NULL: ctx is left as it is.
 */
void sigcache_attach(struct sigcache *c, X509_STORE_CTX *ctx);

/*
 * Forget every pair and every CA certificate's digest (dropping its
 * reference); the counts stay.  Between inputs of a run that parses
 * each afresh (the fuzzer), so no input leaves memory behind.
 */
void sigcache_clear(struct sigcache *c);

/*
 * How many pairs were skipped, and checked by OpenSSL, so far (for the
 * benchmark and the tests).
 */
void sigcache_counts(const struct sigcache *c, size_t *skipped,
    size_t *checked);

#endif

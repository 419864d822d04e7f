/*
 * chain_fix.h - the chain a server should send, from whatever was given.
 *
 * chain_fix() takes certificates in any order (duplicates, the root,
 * certificates of other chains), finds the leaf, builds the path to a
 * root of the trust store with chain_analyse(), and returns the leaf
 * followed by each intermediate in order, without the root and without
 * anything off the path.  An intermediate that is missing is fetched
 * from its child's caIssuers URL only when the caller passes a fetch
 * function, and is used only if its signature on the child verifies.
 */
#ifndef BWC_CHAIN_FIX_H
#define BWC_CHAIN_FIX_H

#include "x509/chain.h"

/*
 * Get the bytes at url.  Returns 0 with *data (freed by chain_fix with
 * free()) and *len set, or -1 with *err set (freed by chain_fix).
 */
typedef int (*chain_fetch_fn)(void *arg, const char *url,
    unsigned char **data, size_t *len, char **err);

/* At most this many URLs are fetched for one chain. */
#define CHAIN_FIX_MAX_FETCH 5

struct chain_fix_opts {
	EVP_PKEY *key;		/* borrowed, or NULL: picks the leaf among several */
	chain_fetch_fn fetch;	/* NULL: never fetch */
	void *fetch_arg;
};

struct chain_fix {
	/* The chain to write: leaf first, then each intermediate.  NULL when refused. */
	struct stack_st_X509 *out;
	/* Why no chain can be written (one sentence naming what is missing), or NULL. */
	char *refused;
	/*
	 * Everything given and fetched, duplicates dropped, the leaf first:
	 * what a report of the input should judge.  Owned.
	 */
	struct stack_st_X509 *work;
	/* One line per thing done: a certificate left out, fetched, or not used. */
	char **notes;
	size_t n_notes;
};

/*
 * Fix the chain in in (borrowed; not modified).  origin[i] names where
 * in[i] came from, for the notes ("chain.pem"); origin may be NULL.
 * Returns 0 with *out filled (out->out, or out->refused), or -1 with
 * *err set (caller frees) when the input cannot be judged at all.
 * Call chain_fix_free() on *out either way.
 */
int chain_fix(const struct trust *trust, struct stack_st_X509 *in,
    const char *const *origin, const struct chain_fix_opts *opts,
    struct chain_fix *out, char **err);

void chain_fix_free(struct chain_fix *);

/*
 * Does issuer's key sign child, with names and key identifiers that
 * agree (X509_check_issued)?  For a certificate from elsewhere.
 */
bool chain_fix_signs(X509 *issuer, X509 *child);

#endif

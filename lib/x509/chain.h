/*
 * chain.h - build a chain's path and record its facts.
 *
 * chain_analyse() takes the certificates read from the input (or sent
 * by a server), finds the leaf by structure, builds a path to the
 * trust store's roots, and records everything the chain rules need as
 * plain facts (core/chain_facts.h).
 */
#ifndef BWC_CHAIN_H
#define BWC_CHAIN_H

#include "core/chain_facts.h"
#include "x509/trust.h"

typedef struct evp_pkey_st EVP_PKEY;
struct stack_st_X509;

/*
 * Analyse certs (borrowed; not modified) against trust.  key may be
 * NULL.  Returns 0, or -1 with *err set (caller frees) when the input
 * cannot be judged at all (no certificate, too many, undecodable).
 * Call chain_free() on *out either way.
 */
int chain_analyse(const struct trust *trust, struct stack_st_X509 *certs,
    EVP_PKEY *key, struct chain_facts *out, char **err);

#endif

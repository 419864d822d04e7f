/*
 * facts.h - read a certificate's fields into a struct cert_facts.
 */
#ifndef BWC_FACTS_H
#define BWC_FACTS_H

#include "core/cert_facts.h"

typedef struct x509_st X509;
typedef struct X509_name_st X509_NAME;

/*
 * Fill *f from x.  Returns 0, or -1 if OpenSSL could not decode a part
 * the rules need (the caller reports it as an input error).  On -1 the
 * struct may be half-filled: call facts_free() either way.
 */
int facts_from_x509(X509 *x, struct cert_facts *f);

/*
 * The same for a trust anchor (a root of the verifier's store): every
 * fact but self_signed, which is judged by names and key identifiers
 * alone.  OpenSSL never checks an anchor's own signature (no
 * X509_V_FLAG_CHECK_SS_SIGNATURE), nor does any rule, and checking the
 * 38 built-in roots' self-signatures (several ECDSA P-384) was most of
 * the start-up time.
 */
int facts_from_anchor(X509 *x, struct cert_facts *f);

/* SHA-256 of x's DER SubjectPublicKeyInfo into md.  Returns 0 or -1. */
int facts_spki_sha256(X509 *x, unsigned char md[32]);

/*
 * An X509_NAME as one RFC 2253 line ("CN=pbx.example.com,O=..."), UTF-8
 * kept, controls escaped.  Caller frees; never NULL.
 */
char *facts_name_line(const X509_NAME *name);

#endif

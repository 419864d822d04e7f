/*
 * load_cache.c - CA certificates met again are parsed once per run.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "x509/load.h"
#include "x509/load_int.h"

/*
 * Certificates seen before, by their exact DER bytes.  A directory of
 * chains repeats the same few intermediates in every file, and with
 * OpenSSL 3.0 d2i_X509() costs some 80 us, most of it setting up a
 * decoder for the public key: a CA certificate met again is shared
 * (up-referenced) rather than parsed again.  Only CA certificates go
 * in, at most LOAD_CACHE_SLOTS, replaced in turn, so memory stays
 * bounded however many files are read.  Identical bytes parse to an
 * identical certificate, so nothing a rule sees changes.
 */
#define LOAD_CACHE_SLOTS 32

struct load_cache {
	struct {
		unsigned char *der;	/* owned copy of the bytes */
		size_t len;
		X509 *x;		/* one reference owned here */
	} slot[LOAD_CACHE_SLOTS];
	size_t next;			/* the slot to replace */
};

struct load_cache *
load_cache_new(void)
{
	return xcalloc(1, sizeof(struct load_cache));
}

void
load_cache_free(struct load_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < LOAD_CACHE_SLOTS; i++) {
		free(c->slot[i].der);
		X509_free(c->slot[i].x);
	}
	free(c);
}

static bool
in_stack(struct stack_st_X509 *certs, const X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(certs); i++)
		if (sk_X509_value(certs, i) == x)
			return true;
	return false;
}

/*
 * Worth keeping: a CA certificate whose public key decoded and needs no
 * parameters from its issuer (X509_verify_cert fills those in, which
 * would make a shared certificate depend on the chain it was met in).
 */
static bool
cacheable(X509 *x)
{
	EVP_PKEY *pk;
	bool ok;

	ERR_set_mark();
	ok = X509_check_ca(x) != 0 && (pk = X509_get0_pubkey(x)) != NULL &&
	    EVP_PKEY_missing_parameters(pk) == 0;
	ERR_pop_to_mark();
	return ok;
}

/*
 * d2i_X509() of the certificate at *pp (len bytes at most), through
 * cache when it is not NULL.  certs is the stack the certificate will
 * join: a cached certificate already in it is parsed afresh, so a chain
 * never holds one object twice.  Errors are d2i_X509()'s own.
 */
X509 *
load_cache_d2i(struct load_cache *cache, struct stack_st_X509 *certs,
    const unsigned char **pp, long len)
{
	const unsigned char *start = *pp, *p = *pp;
	long clen;
	size_t tlen, i;
	int tag, xclass, ret;
	X509 *x;

	if (cache == NULL)
		return d2i_X509(NULL, pp, len);
	/* The whole TLV's length, to compare bytes; 0x80: error, 0x01: indefinite. */
	ERR_set_mark();
	ret = ASN1_get_object(&p, &clen, &tag, &xclass, len);
	ERR_pop_to_mark();
	if ((ret & 0x81) != 0 || clen < 0 || clen > len - (p - start))
		return d2i_X509(NULL, pp, len);
	tlen = (size_t)(p - start) + (size_t)clen;
	for (i = 0; i < LOAD_CACHE_SLOTS; i++)
		if (cache->slot[i].x != NULL && cache->slot[i].len == tlen &&
		    memcmp(cache->slot[i].der, start, tlen) == 0 &&
		    !in_stack(certs, cache->slot[i].x)) {
			if (X509_up_ref(cache->slot[i].x) != 1)
				fatal_oom();
			*pp = start + tlen;
			return cache->slot[i].x;
		}
	x = d2i_X509(NULL, pp, len);
	if (x == NULL || (size_t)(*pp - start) != tlen || !cacheable(x))
		return x;
	for (i = 0; i < LOAD_CACHE_SLOTS; i++)
		if (cache->slot[i].x != NULL && cache->slot[i].len == tlen &&
		    memcmp(cache->slot[i].der, start, tlen) == 0)
			return x;	/* a twin in this chain: cached already */
	i = cache->next;
	cache->next = (cache->next + 1) % LOAD_CACHE_SLOTS;
	free(cache->slot[i].der);
	X509_free(cache->slot[i].x);
	cache->slot[i].der = xmalloc(tlen);
	memcpy(cache->slot[i].der, start, tlen);
	cache->slot[i].len = tlen;
	if (X509_up_ref(x) != 1)
		fatal_oom();
	cache->slot[i].x = x;
	return x;
}

/*
 * load_int.h - what the loaders (load.c, load_pkcs12.c, load_cache.c,
 * key.c) share among themselves.  Not for use outside lib/x509/.
 */
#ifndef BWC_LOAD_INT_H
#define BWC_LOAD_INT_H

#include "core/common.h"

typedef struct x509_st X509;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct PKCS12_st PKCS12;
struct stack_st_X509;
struct load_cache;

/*
 * Password-based encryption repeats its key derivation as often as the
 * file says; the work one file may ask for, in all (load_pkcs12.c).
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/*
 * Under the fuzzer (fuzz.mk): 64, so that one input costs what any
 * other does and the fuzzer's time goes into parsing, not into key
 * derivation (the seeds' PKCS#12 files ask for 3 and 21 in all; at
 * 4,096 such an input cost some 20 ms, a hundred ordinary ones).
 */
#define LOAD_MAX_KDF_ITER 64L
#else
#define LOAD_MAX_KDF_ITER 5000000L
#endif

/* "NAME: WHAT more than N key derivation iterations WHERE: refused (...)". */
char *load_kdf_refusal(const char *name, const char *what, const char *where);

/* Is an encrypted PKCS#8 key (DER) within the cap?  True for other bytes. */
bool load_pkcs8_work_ok(const unsigned char *der, long len);
/* The same for every ENCRYPTED PRIVATE KEY block of a PEM file. */
bool load_pem_keys_work_ok(const unsigned char *data, size_t len);

/*
 * Append p12's certificates to certs, and its key to *key when key is
 * not NULL and *key is NULL.  Returns 0, or -1 with *err set.
 */
int load_pkcs12(const char *name, PKCS12 *p12, const char *password,
    struct stack_st_X509 *certs, EVP_PKEY **key, char **err);

/* d2i_X509() of *pp through cache (NULL: no cache); see load_cache.c. */
X509 *load_cache_d2i(struct load_cache *cache, struct stack_st_X509 *certs,
    const unsigned char **pp, long len);

/*
 * The key of the first PEM block of data that may hold one (a "...
 * PRIVATE KEY" block that looks like a key's DER, or is encrypted), read
 * with password; *seen says whether there was such a block.  NULL with
 * *seen: that block did not decode (OpenSSL's error queue says why).
 * Other blocks never reach the key decoders.
 */
EVP_PKEY *load_pem_first_key(const unsigned char *data, size_t len,
    const char *password, bool *seen);

/* PEM password callback: never prompts; u is the password or NULL. */
int load_pem_pass(char *buf, int size, int rwflag, void *u);

/*
 * Could der[0..len) be a private key as d2i_AutoPrivateKey() reads one
 * (PKCS#8 PrivateKeyInfo, RSAPrivateKey, ECPrivateKey, DSA): a SEQUENCE
 * that opens with a version of 0 or 1, then an INTEGER, an OCTET STRING
 * or (PKCS#8) a SEQUENCE that opens with an OID and is followed by an
 * OCTET STRING?  A cheap necessary condition: in
 * OpenSSL 3 each d2i_AutoPrivateKey() call builds a decoder chain that
 * costs some fifty certificate parses, so bytes that fail this are
 * never handed to it.
 */
bool load_der_key_shaped(const unsigned char *der, size_t len);

/* A "-----BEGIN " line anywhere in data. */
bool load_is_pem(const unsigned char *data, size_t len);

/* Push x (owned) onto certs; out of memory is fatal. */
void load_push_cert(struct stack_st_X509 *certs, X509 *x);

#endif

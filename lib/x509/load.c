/*
 * load.c - read certificates and keys from files.
 *
 * The format is found from the content: PEM if there is a "-----BEGIN "
 * line, else DER as a certificate (or several back to back), a PKCS#7
 * SignedData or a PKCS#12 archive, in that order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "x509/chain.h"
#include "core/fileio.h"
#include "x509/load.h"

const char *
load_format_name(enum load_format f)
{
	static const char *const names[LOAD__MAX] = {
		[LOAD_PEM] = "PEM",
		[LOAD_DER] = "DER",
		[LOAD_PKCS7] = "PKCS#7",
		[LOAD_PKCS12] = "PKCS#12",
	};

	return (unsigned)f < LOAD__MAX ? names[f] : "?";
}

char *
load_openssl_reason(const char *def)
{
	unsigned long e, first = 0;
	const char *reason, *lib;

	while ((e = ERR_get_error()) != 0)
		if (first == 0)
			first = e;
	if (first == 0)
		return xstrdup(def);
	reason = ERR_reason_error_string(first);
	lib = ERR_lib_error_string(first);
	if (reason == NULL)
		return xasprintf("%s (OpenSSL error %lx)", def, first);
	return lib != NULL ? xasprintf("%s: %s", lib, reason) :
	    xstrdup(reason);
}

/* PEM password callback: never prompts; u is the password or NULL. */
static int
pem_pass(char *buf, int size, int rwflag, void *u)
{
	size_t len;

	(void)rwflag;
	if (u == NULL || size <= 0)
		return -1;
	len = strlen(u);
	if (len > (size_t)size)
		len = (size_t)size;
	memcpy(buf, u, len);
	return (int)len;
}

static bool
is_pem(const unsigned char *data, size_t len)
{
	static const char tag[] = "-----BEGIN ";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (data[i] == '-' && memcmp(data + i, tag, sizeof(tag) - 1) == 0)
			return true;
	return false;
}

static int
push_cert(struct stack_st_X509 *certs, X509 *x)
{
	if (sk_X509_push(certs, x) <= 0)
		fatal_oom();
	return 0;
}

/*
 * Stop reading past this many certificates, so a bundle of thousands
 * costs the memory of a thousand.  Four times what a chain may hold
 * (chain_analyse() refuses more than CHAIN_MAX_CERTS): room for a
 * --trust-store bundle, which comes through here too.
 */
#define LOAD_MAX_CERTS (4 * CHAIN_MAX_CERTS)

static bool
too_many(const char *name, struct stack_st_X509 *certs, char **err)
{
	if (sk_X509_num(certs) <= LOAD_MAX_CERTS)
		return false;
	*err = xasprintf("%s: more than %d certificates: refused", name,
	    LOAD_MAX_CERTS);
	return true;
}

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
static X509 *
cert_d2i(struct load_cache *cache, struct stack_st_X509 *certs,
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

/* Append p7's certificates (up-referenced); returns how many. */
static int
p7_certs(PKCS7 *p7, struct stack_st_X509 *certs)
{
	STACK_OF(X509) *in = NULL;
	int i, n = 0;

	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		in = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) &&
	    p7->d.signed_and_enveloped != NULL)
		in = p7->d.signed_and_enveloped->cert;
	for (i = 0; i < sk_X509_num(in); i++) {
		X509 *x = sk_X509_value(in, i);

		if (X509_up_ref(x) != 1)
			fatal_oom();
		push_cert(certs, x);
		n++;
	}
	return n;
}

/*
 * Password-based encryption repeats its key derivation as often as the
 * file says, and OpenSSL obeys: 2^31 PBKDF2 iterations, or scrypt with
 * a parallelism of 2^16, take minutes, so a hostile key or archive
 * would hang the tool.  The work a file asks for is capped before any
 * derivation runs: for PBKDF2 and PKCS#12's KDF the iteration count,
 * for scrypt N * r * p, summed over a PKCS#12 archive (its MAC, each
 * encrypted safe, each shrouded key).  For scale: OpenSSL's default is
 * 2048 iterations, Java's 10000; Java refuses a single count above
 * 5,000,000; scrypt's usual N = 16384, r = 8, p = 1 is 131072.
 */
#define P12_MAX_ITER 5000000L

/* a * b, or P12_MAX_ITER + 1 if that is more (a, b >= 0). */
static long
mul_work(long a, long b)
{
	return b != 0 && a > (P12_MAX_ITER + 1) / b ? P12_MAX_ITER + 1 : a * b;
}

/* An ASN1_INTEGER as a count: -1 (past a long) and below 0 are endless. */
static long
count(const ASN1_INTEGER *i)
{
	long v = i != NULL ? ASN1_INTEGER_get(i) : 0;

	return v < 0 ? P12_MAX_ITER + 1 : v;
}

/* The work an encryption AlgorithmIdentifier asks for (see above). */
static long
alg_iter(const X509_ALGOR *alg)
{
	PBEPARAM *pbe;
	PBE2PARAM *pbe2;
	PBKDF2PARAM *kdf;
	SCRYPT_PARAMS *sp;
	long iter = 0;

	if (alg == NULL || alg->parameter == NULL)
		return 0;
	if (OBJ_obj2nid(alg->algorithm) == NID_pbes2) {
		pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM),
		    alg->parameter);
		if (pbe2 == NULL || pbe2->keyfunc == NULL)
			;
		else if (OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_pbkdf2 &&
		    (kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM),
		    pbe2->keyfunc->parameter)) != NULL) {
			iter = count(kdf->iter);
			PBKDF2PARAM_free(kdf);
		} else if (OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_scrypt &&
		    (sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS),
		    pbe2->keyfunc->parameter)) != NULL) {
			iter = mul_work(mul_work(count(sp->costParameter),
			    count(sp->blockSize)),
			    count(sp->parallelizationParameter));
			SCRYPT_PARAMS_free(sp);
		}
		PBE2PARAM_free(pbe2);
	} else if ((pbe = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM),
	    alg->parameter)) != NULL) {
		iter = count(pbe->iter);
		PBEPARAM_free(pbe);
	}
	ERR_clear_error();
	return iter;
}

/*
 * Is an encrypted PKCS#8 key (DER X509_SIG) within the cap?  True for
 * bytes that are not one: OpenSSL then says what is wrong with them.
 */
static bool
pkcs8_work_ok(const unsigned char *der, long len)
{
	const unsigned char *p = der;
	const X509_ALGOR *alg;
	X509_SIG *sig;
	bool ok;

	if ((sig = d2i_X509_SIG(NULL, &p, len)) == NULL) {
		ERR_clear_error();
		return true;
	}
	X509_SIG_get0(sig, &alg, NULL);
	ok = alg_iter(alg) <= P12_MAX_ITER;
	X509_SIG_free(sig);
	return ok;
}

/* The same for every ENCRYPTED PRIVATE KEY block of a PEM file. */
static bool
pem_keys_work_ok(const unsigned char *data, size_t len)
{
	BIO *bio;
	char *pname = NULL, *header = NULL;
	unsigned char *der = NULL;
	long dlen;
	bool ok = true;

	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		fatal_oom();
	while (ok && PEM_read_bio(bio, &pname, &header, &der, &dlen) == 1) {
		if (strcmp(pname, PEM_STRING_PKCS8) == 0)
			ok = pkcs8_work_ok(der, dlen);
		OPENSSL_free(pname);
		OPENSSL_free(header);
		OPENSSL_free(der);
		pname = header = NULL;
		der = NULL;
	}
	ERR_clear_error();
	BIO_free(bio);
	return ok;
}

static int
load_pem(const char *name, const unsigned char *data, size_t len,
    const char *password, struct load_cache *cache,
    struct stack_st_X509 *certs, EVP_PKEY **key, char **err)
{
	BIO *bio = NULL, *kb = NULL;
	char *pname = NULL, *header = NULL, *reason;
	unsigned char *der = NULL;
	const unsigned char *p;
	long dlen;
	unsigned long e;
	int blocks = 0, found = 0, rc = -1;
	bool trusted;
	X509 *x;
	PKCS7 *p7;

	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		fatal_oom();
	for (;;) {
		ERR_clear_error();
		/* 1 on success, 0 at the end or on any error. */
		if (PEM_read_bio(bio, &pname, &header, &der, &dlen) != 1) {
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE &&
			    blocks > 0) {
				ERR_clear_error();
				break;
			}
			reason = load_openssl_reason("no PEM data");
			*err = xasprintf("%s: bad PEM after %d block%s: %s",
			    name, blocks, blocks == 1 ? "" : "s", reason);
			free(reason);
			goto out;
		}
		blocks++;
		p = der;
		trusted = strcmp(pname, PEM_STRING_X509_TRUSTED) == 0;
		if (trusted || strcmp(pname, PEM_STRING_X509) == 0 ||
		    strcmp(pname, PEM_STRING_X509_OLD) == 0) {
			/* A TRUSTED CERTIFICATE carries OpenSSL's aux data too. */
			x = trusted ? d2i_X509_AUX(NULL, &p, dlen) :
			    cert_d2i(cache, certs, &p, dlen);
			if (x == NULL || p != der + dlen) {
				X509_free(x);
				reason = load_openssl_reason("trailing data");
				*err = xasprintf("%s: certificate %d: not a valid "
				    "certificate: %s", name, found + 1, reason);
				free(reason);
				goto out;
			}
			push_cert(certs, x);
			found++;
			if (too_many(name, certs, err))
				goto out;
		} else if (strcmp(pname, PEM_STRING_PKCS7) == 0 ||
		    strcmp(pname, "CERTIFICATE CHAIN") == 0) {
			if ((p7 = d2i_PKCS7(NULL, &p, dlen)) == NULL) {
				reason = load_openssl_reason("bad PKCS#7");
				*err = xasprintf("%s: PKCS#7 block: %s", name,
				    reason);
				free(reason);
				goto out;
			}
			found += p7_certs(p7, certs);
			PKCS7_free(p7);
		} else if (strstr(pname, "PRIVATE KEY") != NULL &&
		    key != NULL && *key == NULL &&
		    (strcmp(pname, PEM_STRING_PKCS8) != 0 ||
		    pkcs8_work_ok(der, dlen))) {
			/*
			 * A key beside the chain (a server's combined file);
			 * one whose encryption asks too much work is skipped.
			 */
			if ((kb = BIO_new(BIO_s_mem())) == NULL)
				fatal_oom();
			if (PEM_write_bio(kb, pname, header, der, dlen) > 0)
				*key = PEM_read_bio_PrivateKey(kb, NULL, pem_pass,
				    (void *)password);
			BIO_free(kb);
			kb = NULL;
			ERR_clear_error();
		}
		OPENSSL_free(pname);
		OPENSSL_free(header);
		OPENSSL_free(der);
		pname = header = NULL;
		der = NULL;
	}
	if (found == 0) {
		*err = xasprintf("%s: no certificate in %d PEM block%s", name,
		    blocks, blocks == 1 ? "" : "s");
		goto out;
	}
	rc = 0;
out:
	OPENSSL_free(pname);
	OPENSSL_free(header);
	OPENSSL_free(der);
	BIO_free(bio);
	return rc;
}

static long
add_iter(long total, long iter)
{
	return iter > P12_MAX_ITER - total ? P12_MAX_ITER + 1 : total + iter;
}

/* The shrouded keys' counts in bags, and in bags nested inside them. */
static long
bags_iter(const STACK_OF(PKCS12_SAFEBAG) *bags, long total, int depth)
{
	const PKCS12_SAFEBAG *bag;
	const X509_ALGOR *alg;
	int i;

	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags) && total <= P12_MAX_ITER;
	    i++) {
		bag = sk_PKCS12_SAFEBAG_value(bags, i);
		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_pkcs8ShroudedKeyBag:
			X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
			total = add_iter(total, alg_iter(alg));
			break;
		case NID_safeContentsBag:
			/* OpenSSL recurses without a limit; we stop at 8. */
			total = depth < 8 ? bags_iter(
			    PKCS12_SAFEBAG_get0_safes(bag), total, depth + 1) :
			    P12_MAX_ITER + 1;
			break;
		}
	}
	return total;
}

/*
 * The sum of the iteration counts the archive asks for.  An encrypted
 * safe is opened (with pass) to count the keys inside it, but only once
 * its own count is known to fit.
 */
static long
p12_iter(PKCS12 *p12, const char *pass)
{
	const ASN1_INTEGER *mac_iter = NULL;
	STACK_OF(PKCS7) *safes;
	STACK_OF(PKCS12_SAFEBAG) *bags;
	PKCS7 *p7;
	long total = 0;
	int i;

	if (PKCS12_mac_present(p12)) {
		PKCS12_get0_mac(NULL, NULL, NULL, &mac_iter, p12);
		/* An absent count means 1 (RFC 7292: DEFAULT 1). */
		total = mac_iter == NULL ? 1 : ASN1_INTEGER_get(mac_iter);
		if (total < 0)
			return P12_MAX_ITER + 1;
	}
	if (total > P12_MAX_ITER || (safes = PKCS12_unpack_authsafes(p12)) == NULL) {
		ERR_clear_error();
		return total;
	}
	for (i = 0; i < sk_PKCS7_num(safes) && total <= P12_MAX_ITER; i++) {
		p7 = sk_PKCS7_value(safes, i);
		bags = NULL;
		if (PKCS7_type_is_data(p7))
			bags = PKCS12_unpack_p7data(p7);
		else if (PKCS7_type_is_encrypted(p7) && p7->d.encrypted != NULL &&
		    p7->d.encrypted->enc_data != NULL) {
			total = add_iter(total,
			    alg_iter(p7->d.encrypted->enc_data->algorithm));
			if (total <= P12_MAX_ITER)
				bags = PKCS12_unpack_p7encdata(p7, pass, -1);
		}
		total = bags_iter(bags, total, 0);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	ERR_clear_error();
	return total;
}

static int
load_p12(const char *name, PKCS12 *p12, const char *password,
    struct stack_st_X509 *certs, EVP_PKEY **key, char **err)
{
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	const char *pass = password != NULL ? password : "";
	OSSL_PROVIDER *legacy;
	char *reason;
	int rc = -1, n = 0;

	/*
	 * Old archives (RC2-40) need the legacy provider; not fatal if it is
	 * absent.  Unloaded below: nothing returned keeps a reference to it.
	 */
	legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	ERR_clear_error();
	if (p12_iter(p12, pass) > P12_MAX_ITER) {
		*err = xasprintf("%s: PKCS#12 asks for more than %ld key "
		    "derivation iterations in all: refused (export it again "
		    "with the default count)", name, P12_MAX_ITER);
		goto out;
	}
	if (PKCS12_mac_present(p12) &&
	    PKCS12_verify_mac(p12, pass, -1) != 1 &&
	    (password != NULL || PKCS12_verify_mac(p12, NULL, 0) != 1)) {
		ERR_clear_error();
		*err = xasprintf("%s: PKCS#12 MAC does not verify: wrong "
		    "password%s", name, password == NULL ?
		    " (none given; use --password)" : "");
		goto out;
	}
	ERR_clear_error();
	if (PKCS12_parse(p12, pass, &pkey, &cert, &ca) != 1) {
		reason = load_openssl_reason("cannot decrypt");
		*err = xasprintf("%s: PKCS#12: %s", name, reason);
		free(reason);
		goto out;
	}
	if (cert != NULL) {
		push_cert(certs, cert);
		cert = NULL;
		n++;
	}
	while (sk_X509_num(ca) > 0) {
		push_cert(certs, sk_X509_shift(ca));
		n++;
	}
	if (n == 0) {
		*err = xasprintf("%s: PKCS#12 holds no certificate", name);
		goto out;
	}
	if (key != NULL && *key == NULL) {
		*key = pkey;
		pkey = NULL;
	}
	rc = 0;
out:
	EVP_PKEY_free(pkey);
	X509_free(cert);
	sk_X509_pop_free(ca, X509_free);
	if (legacy != NULL)
		OSSL_PROVIDER_unload(legacy);
	return rc;
}

static int
load_der(const char *name, const unsigned char *data, size_t len,
    const char *password, struct load_cache *cache,
    struct stack_st_X509 *certs, EVP_PKEY **key, enum load_format *fmt,
    char **err)
{
	const unsigned char *p = data, *end = data + len;
	X509 *x;
	PKCS7 *p7;
	PKCS12 *p12;
	char *reason;
	int n = 0, rc;

	/* One or more DER certificates back to back. */
	ERR_clear_error();
	while (p < end && (x = cert_d2i(cache, certs, &p, end - p)) != NULL) {
		push_cert(certs, x);
		n++;
		if (too_many(name, certs, err)) {
			ERR_clear_error();
			return -1;
		}
	}
	if (n > 0 && p == end) {
		*fmt = LOAD_DER;
		return 0;
	}
	if (n > 0) {
		reason = load_openssl_reason("trailing garbage");
		*err = xasprintf("%s: DER certificate %d: %s", name, n + 1,
		    reason);
		free(reason);
		return -1;
	}
	p = data;
	ERR_clear_error();
	if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) != NULL) {
		*fmt = LOAD_PKCS7;
		n = p7_certs(p7, certs);
		PKCS7_free(p7);
		if (n == 0) {
			*err = xasprintf("%s: PKCS#7 holds no certificate", name);
			return -1;
		}
		return 0;
	}
	p = data;
	ERR_clear_error();
	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
		*fmt = LOAD_PKCS12;
		rc = load_p12(name, p12, password, certs, key, err);
		PKCS12_free(p12);
		return rc;
	}
	ERR_clear_error();
	*err = xasprintf("%s: not a certificate: neither PEM nor DER "
	    "(X.509, PKCS#7, PKCS#12)", name);
	return -1;
}

static int
certs_mem(const char *name, const unsigned char *data, size_t len,
    const char *password, struct load_cache *cache,
    struct stack_st_X509 *certs, EVP_PKEY **key, enum load_format *fmt,
    char **err)
{
	enum load_format f = LOAD_PEM;
	int rc;

	if (len == 0) {
		*err = xasprintf("%s: empty file", name);
		return -1;
	}
	if (len > LOAD_MAX_BYTES || len > (size_t)INT32_MAX) {
		*err = xasprintf("%s: larger than %u bytes, not a certificate "
		    "file", name, LOAD_MAX_BYTES);
		return -1;
	}
	if (is_pem(data, len))
		rc = load_pem(name, data, len, password, cache, certs, key, err);
	else
		rc = load_der(name, data, len, password, cache, certs, key, &f,
		    err);
	if (rc == 0 && fmt != NULL)
		*fmt = f;
	ERR_clear_error();
	return rc;
}

int
load_certs_mem(const char *name, const unsigned char *data, size_t len,
    const char *password, struct stack_st_X509 *certs, EVP_PKEY **key,
    enum load_format *fmt, char **err)
{
	return certs_mem(name, data, len, password, NULL, certs, key, fmt,
	    err);
}

int
load_certs_cached(const char *path, const char *password,
    struct load_cache *cache, struct stack_st_X509 *certs, EVP_PKEY **key,
    enum load_format *fmt, char **err)
{
	unsigned char *data;
	size_t len;
	int rc;

	if (fileio_read(path, LOAD_MAX_BYTES, &data, &len, err) != 0)
		return -1;
	rc = certs_mem(strcmp(path, "-") == 0 ? "(stdin)" : path, data, len,
	    password, cache, certs, key, fmt, err);
	free(data);
	return rc;
}

int
load_certs(const char *path, const char *password,
    struct stack_st_X509 *certs, EVP_PKEY **key, enum load_format *fmt,
    char **err)
{
	return load_certs_cached(path, password, NULL, certs, key, fmt, err);
}

EVP_PKEY *
load_key(const char *path, const char *password, char **err)
{
	unsigned char *data = NULL;
	const unsigned char *p;
	size_t len;
	BIO *bio = NULL;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *tmp = NULL;
	PKCS12 *p12;
	char *reason;

	if (fileio_read(path, LOAD_MAX_BYTES, &data, &len, err) != 0)
		return NULL;
	if (len == 0) {
		*err = xasprintf("%s: empty file", path);
		goto out;
	}
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		fatal_oom();
	ERR_clear_error();
	if (is_pem(data, len)) {
		if (!pem_keys_work_ok(data, len)) {
			*err = xasprintf("%s: the key's encryption asks for more "
			    "than %ld key derivation iterations: refused (export "
			    "it again with the default count)", path, P12_MAX_ITER);
			goto out;
		}
		key = PEM_read_bio_PrivateKey(bio, NULL, pem_pass,
		    (void *)password);
		if (key == NULL) {
			reason = load_openssl_reason("no private key");
			*err = xasprintf("%s: cannot read the private key%s: %s",
			    path, password == NULL ?
			    " (encrypted? use --password)" : "", reason);
			free(reason);
		}
		goto out;
	}
	p = data;
	if ((key = d2i_AutoPrivateKey(NULL, &p, (long)len)) != NULL)
		goto out;
	(void)BIO_reset(bio);
	ERR_clear_error();
	if (!pkcs8_work_ok(data, (long)len)) {
		*err = xasprintf("%s: the key's encryption asks for more than %ld "
		    "key derivation iterations: refused (export it again with "
		    "the default count)", path, P12_MAX_ITER);
		goto out;
	}
	if ((key = d2i_PKCS8PrivateKey_bio(bio, NULL, pem_pass,
	    (void *)password)) != NULL)
		goto out;
	p = data;
	ERR_clear_error();
	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
		if ((tmp = sk_X509_new_null()) == NULL)
			fatal_oom();
		(void)load_p12(path, p12, password, tmp, &key, err);
		PKCS12_free(p12);
		if (key == NULL && *err == NULL)
			*err = xasprintf("%s: PKCS#12 holds no private key", path);
		goto out;
	}
	ERR_clear_error();
	*err = xasprintf("%s: not a private key (PEM, DER, PKCS#8 or PKCS#12)",
	    path);
out:
	sk_X509_pop_free(tmp, X509_free);
	BIO_free(bio);
	free(data);
	ERR_clear_error();
	return key;
}

char *
load_password(const char *spec, char **err)
{
	unsigned char *data = NULL;
	const char *v;
	char *out = NULL;
	size_t len, i;

	if (strncmp(spec, "pass:", 5) == 0)
		return xstrdup(spec + 5);
	if (strncmp(spec, "env:", 4) == 0) {
		if ((v = getenv(spec + 4)) == NULL) {
			*err = xasprintf("--password: environment variable %s "
			    "is not set", spec + 4);
			return NULL;
		}
		return xstrdup(v);
	}
	if (strncmp(spec, "file:", 5) == 0 || strcmp(spec, "stdin") == 0) {
		if (fileio_read(strcmp(spec, "stdin") == 0 ? "-" : spec + 5,
		    4096, &data, &len, err) != 0)
			return NULL;
		for (i = 0; i < len && data[i] != '\n' && data[i] != '\r'; i++)
			;
		out = xstrndup((char *)data, i);
		OPENSSL_cleanse(data, len);
		free(data);
		return out;
	}
	*err = xstrdup("--password: expected pass:TEXT, env:VAR, file:PATH "
	    "or stdin");
	return NULL;
}

/*
 * load.c - read certificates from files: PEM, DER, PKCS#7 (PKCS#12 in
 * load_pkcs12.c, keys and passwords in key.c).
 *
 * The format is found from the content: PEM if there is a "-----BEGIN "
 * line, else DER as a certificate (or several back to back), a PKCS#7
 * SignedData or a PKCS#12 archive, in that order.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/fileio.h"
#include "core/ossl_err.h"
#include "x509/chain.h"
#include "x509/load.h"
#include "x509/load_int.h"

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

bool
load_is_pem(const unsigned char *data, size_t len)
{
	static const char tag[] = "-----BEGIN ";
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (data[i] == '-' && memcmp(data + i, tag, sizeof(tag) - 1) == 0)
			return true;
	return false;
}

void
load_push_cert(struct stack_st_X509 *certs, X509 *x)
{
	if (sk_X509_push(certs, x) <= 0)
		fatal_oom();
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
		load_push_cert(certs, x);
		n++;
	}
	return n;
}

/*
 * Is a "... PRIVATE KEY" block beside the chain worth OpenSSL's key
 * decoders (a chain of them built per call)?  An encrypted PKCS#8 block
 * whose encryption asks too much work is not; a block in the clear
 * (no Proc-Type header) must hold what a key's DER looks like, and an
 * encrypted PKCS#8 block an EncryptedPrivateKeyInfo.  A file of many
 * damaged key blocks otherwise costs a decoder set-up each.
 */
static bool
key_block_worth_reading(const char *pname, const char *header,
    const unsigned char *der, long dlen)
{
	const unsigned char *p = der;
	X509_SIG *sig;

	if (dlen <= 0)
		return false;
	if (strcmp(pname, PEM_STRING_PKCS8) == 0) {
		/* An EncryptedPrivateKeyInfo, or nothing a decoder reads. */
		if ((sig = d2i_X509_SIG(NULL, &p, dlen)) == NULL) {
			ERR_clear_error();
			return false;
		}
		X509_SIG_free(sig);
		return load_pkcs8_work_ok(der, dlen);
	}
	if (header != NULL && header[0] != '\0')
		return true;	/* legacy PEM encryption: DER after decryption */
	return load_der_key_shaped(der, (size_t)dlen);
}

/*
 * One PEM block, alone, through OpenSSL's key decoders.  Given the whole
 * file, PEM_read_bio_PrivateKey() would hand them every block before the
 * key (each certificate of a combined file) to try as a key.
 */
static EVP_PKEY *
key_from_block(const char *pname, const char *header,
    const unsigned char *der, long dlen, const char *password)
{
	EVP_PKEY *key = NULL;
	BIO *kb;

	if ((kb = BIO_new(BIO_s_mem())) == NULL)
		fatal_oom();
	if (PEM_write_bio(kb, pname, header, der, dlen) > 0)
		key = PEM_read_bio_PrivateKey(kb, NULL, load_pem_pass,
		    (void *)password);
	BIO_free(kb);
	return key;
}

EVP_PKEY *
load_pem_first_key(const unsigned char *data, size_t len,
    const char *password, bool *seen)
{
	BIO *bio;
	char *pname = NULL, *header = NULL;
	unsigned char *der = NULL;
	long dlen;
	EVP_PKEY *key = NULL;

	*seen = false;
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		fatal_oom();
	while (!*seen && PEM_read_bio(bio, &pname, &header, &der, &dlen) == 1) {
		if (strstr(pname, "PRIVATE KEY") != NULL &&
		    key_block_worth_reading(pname, header, der, dlen)) {
			*seen = true;
			ERR_clear_error();
			key = key_from_block(pname, header, der, dlen,
			    password);
		}
		OPENSSL_free(pname);
		OPENSSL_free(header);
		OPENSSL_free(der);
		pname = header = NULL;
		der = NULL;
	}
	if (!*seen)
		ERR_clear_error();
	BIO_free(bio);
	return key;
}

/* *fmt becomes LOAD_PKCS7 when a PKCS#7 block is read. */
static int
load_pem(const char *name, const unsigned char *data, size_t len,
    const char *password, struct load_cache *cache,
    struct stack_st_X509 *certs, EVP_PKEY **key, enum load_format *fmt,
    char **err)
{
	BIO *bio = NULL;
	char *pname = NULL, *header = NULL, *reason;
	unsigned char *der = NULL;
	const unsigned char *p;
	long dlen;
	unsigned long e;
	int blocks = 0, found = 0, rc = -1;
	bool trusted, key_tried = false;
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
			reason = ossl_err_reason("no PEM data");
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
			    load_cache_d2i(cache, certs, &p, dlen);
			if (x == NULL || p != der + dlen) {
				X509_free(x);
				reason = ossl_err_reason("trailing data");
				*err = xasprintf("%s: certificate %d: not a valid "
				    "certificate: %s", name, found + 1, reason);
				free(reason);
				goto out;
			}
			load_push_cert(certs, x);
			found++;
			if (too_many(name, certs, err))
				goto out;
		} else if (strcmp(pname, PEM_STRING_PKCS7) == 0 ||
		    strcmp(pname, "CERTIFICATE CHAIN") == 0) {
			if ((p7 = d2i_PKCS7(NULL, &p, dlen)) == NULL) {
				reason = ossl_err_reason("bad PKCS#7");
				*err = xasprintf("%s: PKCS#7 block: %s", name,
				    reason);
				free(reason);
				goto out;
			}
			found += p7_certs(p7, certs);
			PKCS7_free(p7);
			*fmt = LOAD_PKCS7;
		} else if (strstr(pname, "PRIVATE KEY") != NULL &&
		    key != NULL && *key == NULL && !key_tried &&
		    key_block_worth_reading(pname, header, der, dlen)) {
			/*
			 * A key beside the chain (a server's combined file):
			 * the first block that may be one is read, and only
			 * it; one whose encryption asks too much work is
			 * skipped.
			 */
			key_tried = true;
			*key = key_from_block(pname, header, der, dlen,
			    password);
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
	while (p < end && (x = load_cache_d2i(cache, certs, &p, end - p)) != NULL) {
		load_push_cert(certs, x);
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
		reason = ossl_err_reason("trailing garbage");
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
		rc = load_pkcs12(name, p12, password, certs, key, err);
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
	if (load_is_utf16(data, len)) {
		*err = load_utf16_error(name);
		return -1;
	}
	if (load_is_pem(data, len))
		rc = load_pem(name, data, len, password, cache, certs, key, &f,
		    err);
	else
		rc = load_der(name, data, len, password, cache, certs, key, &f,
		    err);
	/* A key file where the chain goes: say where it belongs. */
	if (rc != 0 && load_not_certificate(data, len) == load_why_key_only) {
		free(*err);
		*err = xasprintf("%s: %s: give it with --key, and the "
		    "certificates as FILE", name, load_why_key_only);
	}
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

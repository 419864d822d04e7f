/*
 * load_pkcs12.c - PKCS#12 archives, and the cap on the key-derivation
 * work an encrypted file may ask for.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include "core/ossl_err.h"
#include "x509/load.h"
#include "x509/load_int.h"

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

/* a * b, or LOAD_MAX_KDF_ITER + 1 if that is more (a, b >= 0). */
static long
mul_work(long a, long b)
{
	return b != 0 && a > (LOAD_MAX_KDF_ITER + 1) / b ? LOAD_MAX_KDF_ITER + 1 : a * b;
}

/* An ASN1_INTEGER as a count: -1 (past a long) and below 0 are endless. */
static long
count(const ASN1_INTEGER *i)
{
	long v = i != NULL ? ASN1_INTEGER_get(i) : 0;

	return v < 0 ? LOAD_MAX_KDF_ITER + 1 : v;
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
bool
load_pkcs8_work_ok(const unsigned char *der, long len)
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
	ok = alg_iter(alg) <= LOAD_MAX_KDF_ITER;
	X509_SIG_free(sig);
	return ok;
}

/* The same for every ENCRYPTED PRIVATE KEY block of a PEM file. */
bool
load_pem_keys_work_ok(const unsigned char *data, size_t len)
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
			ok = load_pkcs8_work_ok(der, dlen);
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

static long
add_iter(long total, long iter)
{
	return iter > LOAD_MAX_KDF_ITER - total ? LOAD_MAX_KDF_ITER + 1 : total + iter;
}

/* The shrouded keys' counts in bags, and in bags nested inside them. */
static long
bags_iter(const STACK_OF(PKCS12_SAFEBAG) *bags, long total, int depth)
{
	const PKCS12_SAFEBAG *bag;
	const X509_ALGOR *alg;
	int i;

	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags) && total <= LOAD_MAX_KDF_ITER;
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
			    LOAD_MAX_KDF_ITER + 1;
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
			return LOAD_MAX_KDF_ITER + 1;
	}
	if (total > LOAD_MAX_KDF_ITER || (safes = PKCS12_unpack_authsafes(p12)) == NULL) {
		ERR_clear_error();
		return total;
	}
	for (i = 0; i < sk_PKCS7_num(safes) && total <= LOAD_MAX_KDF_ITER; i++) {
		p7 = sk_PKCS7_value(safes, i);
		bags = NULL;
		if (PKCS7_type_is_data(p7))
			bags = PKCS12_unpack_p7data(p7);
		else if (PKCS7_type_is_encrypted(p7) && p7->d.encrypted != NULL &&
		    p7->d.encrypted->enc_data != NULL) {
			total = add_iter(total,
			    alg_iter(p7->d.encrypted->enc_data->algorithm));
			if (total <= LOAD_MAX_KDF_ITER)
				bags = PKCS12_unpack_p7encdata(p7, pass, -1);
		}
		total = bags_iter(bags, total, 0);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	ERR_clear_error();
	return total;
}

int
load_pkcs12(const char *name, PKCS12 *p12, const char *password,
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
	if (p12_iter(p12, pass) > LOAD_MAX_KDF_ITER) {
		*err = load_kdf_refusal(name, "PKCS#12 asks for",
		    " in all");
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
		reason = ossl_err_reason("cannot decrypt");
		*err = xasprintf("%s: PKCS#12: %s", name, reason);
		free(reason);
		goto out;
	}
	if (cert != NULL) {
		load_push_cert(certs, cert);
		cert = NULL;
		n++;
	}
	while (sk_X509_num(ca) > 0) {
		load_push_cert(certs, sk_X509_shift(ca));
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

char *
load_kdf_refusal(const char *name, const char *what, const char *where)
{
	return xasprintf("%s: %s more than %ld key derivation iterations%s: "
	    "refused (export it again with the default count)", name, what,
	    LOAD_MAX_KDF_ITER, where);
}

/*
 * load_sniff.c - what a file holds when it is not a chain to lint.
 *
 * A folder of certificates (certbot's live/DOMAIN, /etc/ssl) also holds
 * private keys, intermediate bundles and READMEs.  These tell such a
 * file, which --each passes over with a note, from a certificate that
 * cannot be read, which is an error.
 */
#include <limits.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "x509/load.h"
#include "x509/load_int.h"

const char load_why_key_only[] = "holds a private key, no certificate";

bool
load_is_utf16(const unsigned char *data, size_t len)
{
	if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
	    (data[0] == 0xfe && data[1] == 0xff)))
		return true;
	/* Without a byte-order mark: ASCII with a NUL after (or before) each byte. */
	return len >= 4 && ((data[0] != 0 && data[1] == 0 && data[2] != 0 &&
	    data[3] == 0) || (data[0] == 0 && data[1] != 0 && data[2] == 0 &&
	    data[3] != 0));
}

char *
load_utf16_error(const char *name)
{
	return xasprintf("%s: UTF-16 text, as PowerShell's > writes it, not "
	    "PEM: convert it to ASCII (iconv -f UTF-16 -t ASCII %s > "
	    "ascii.pem, or in PowerShell: Get-Content %s | Set-Content "
	    "-Encoding ascii ascii.pem)", name, name, name);
}

bool
load_pem_has_label(const unsigned char *data, size_t len, const char *word)
{
	static const char begin[] = "-----BEGIN ";
	const unsigned char *p, *end = data + len, *label, *q;
	size_t wl = strlen(word);

	for (p = data; (size_t)(end - p) >= sizeof(begin) - 1; p++) {
		if (*p != '-' || memcmp(p, begin, sizeof(begin) - 1) != 0)
			continue;
		label = p + sizeof(begin) - 1;
		for (q = label; q < end && *q != '-' && *q != '\n'; q++)
			;
		if ((size_t)(q - label) >= wl && memcmp(q - wl, word, wl) == 0)
			return true;
		p = q - 1;
	}
	return false;
}

/*
 * The header at *pp (n bytes left): tag, class, content length; *indef
 * (if not NULL) says the length is BER's indefinite form (len is 0).
 */
static bool
der_header(const unsigned char **pp, long n, int *tag, long *len,
    bool *indef)
{
	int xclass, ret;

	ret = ASN1_get_object(pp, len, tag, &xclass, n);
	if (indef != NULL)
		*indef = (ret & 0x01) != 0;
	return (ret & 0x80) == 0 && xclass == V_ASN1_UNIVERSAL;
}

bool
load_der_key_shaped(const unsigned char *der, size_t len)
{
	const unsigned char *p = der, *end = der + len, *after;
	long n;
	int tag;
	bool shaped = false, indef;

	if (len < 2 || len > LONG_MAX || der[0] != 0x30)
		return false;
	/* ASN1_get_object() queues an error for a bad header: none is kept. */
	ERR_set_mark();
	if (!der_header(&p, (long)len, &tag, &n, NULL) ||
	    tag != V_ASN1_SEQUENCE)
		goto out;
	/*
	 * The version: 0 or 1 in every key format (PrivateKeyInfo 0,
	 * OneAsymmetricKey 1, RSAPrivateKey 0 or 1, ECPrivateKey 1,
	 * DSA 0), so a PKCS#12 file (version 3) is not one.
	 */
	if (!der_header(&p, end - p, &tag, &n, NULL) ||
	    tag != V_ASN1_INTEGER || n != 1 || p[0] > 1)
		goto out;
	p++;
	/*
	 * Then an AlgorithmIdentifier (PKCS#8), the modulus or p (RSA,
	 * DSA) or the private key's octets (EC).
	 */
	if (!der_header(&p, end - p, &tag, &n, &indef))
		goto out;
	if (tag != V_ASN1_SEQUENCE) {
		shaped = tag == V_ASN1_INTEGER || tag == V_ASN1_OCTET_STRING;
		goto out;
	}
	/*
	 * PKCS#8: the AlgorithmIdentifier opens with the algorithm's OID
	 * and the private key's OCTET STRING follows it.  (A PKCS#12 file
	 * whose version was damaged has a ContentInfo there, an OID too,
	 * then a SEQUENCE.)  Past an indefinite length the OID decides.
	 */
	after = p + n;
	if (!der_header(&p, end - p, &tag, &n, NULL) || tag != V_ASN1_OBJECT)
		goto out;
	shaped = indef || (der_header(&after, end - after, &tag, &n, NULL) &&
	    tag == V_ASN1_OCTET_STRING);
out:
	ERR_pop_to_mark();
	return shaped;
}

const char *
load_not_certificate(const unsigned char *data, size_t len)
{
	const unsigned char *der = data;
	EVP_PKEY *pk;

	if (len == 0)
		return "an empty file";
	/* PowerShell's ">" writes UTF-16: a certificate, unreadable as such. */
	if (load_is_utf16(data, len))
		return NULL;
	/* The labels load.c reads certificates from. */
	if (load_pem_has_label(data, len, "CERTIFICATE") ||
	    load_pem_has_label(data, len, "CERTIFICATE CHAIN") ||
	    load_pem_has_label(data, len, "PKCS7"))
		return NULL;
	if (load_pem_has_label(data, len, "PRIVATE KEY"))
		return load_why_key_only;
	if (load_pem_has_label(data, len, ""))
		return "holds no certificate (a PEM file of another kind)";
	/* DER: a key alone, or something the loader's error describes. */
	ERR_clear_error();
	if (load_der_key_shaped(data, len) &&
	    (pk = d2i_AutoPrivateKey(NULL, &der, (long)len)) != NULL) {
		EVP_PKEY_free(pk);
		return load_why_key_only;
	}
	ERR_clear_error();
	if (data[0] == 0x30)
		return NULL;
	return "not a certificate (no PEM block, not DER)";
}

bool
load_ca_only(const struct stack_st_X509 *certs)
{
	const STACK_OF(X509) *sk = (const STACK_OF(X509) *)certs;
	GENERAL_NAMES *sans;
	bool dns;
	int i, j, n = sk_X509_num(sk);

	if (n <= 0)
		return false;
	for (i = 0; i < n; i++) {
		X509 *x = sk_X509_value(sk, i);

		/* X509_check_ca() would count a v1 self-signed leaf as a CA. */
		if ((X509_get_extension_flags(x) & EXFLAG_CA) == 0)
			return false;
		/* A CA flag beside a DNS name is a leaf that fails leaf-not-ca. */
		sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
		dns = false;
		for (j = 0; j < sk_GENERAL_NAME_num(sans); j++)
			if (sk_GENERAL_NAME_value(sans, j)->type == GEN_DNS)
				dns = true;
		GENERAL_NAMES_free(sans);
		ERR_clear_error();
		if (dns)
			return false;
	}
	return true;
}

/*
 * load_sniff.c - what a file holds when it is not a chain to lint.
 *
 * A folder of certificates (certbot's live/DOMAIN, /etc/ssl) also holds
 * private keys, intermediate bundles and READMEs.  These tell such a
 * file, which --each passes over with a note, from a certificate that
 * cannot be read, which is an error.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "x509/load.h"

/* The PEM labels that carry certificates (load.c reads these). */
static bool
cert_label(const char *label, size_t len)
{
	static const char *const labels[] = {
		PEM_STRING_X509, PEM_STRING_X509_OLD, PEM_STRING_X509_TRUSTED,
		PEM_STRING_PKCS7, "CERTIFICATE CHAIN",
	};

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strlen(labels[i]) == len && memcmp(labels[i], label, len) == 0)
			return true;
	return false;
}

const char *
load_not_certificate(const unsigned char *data, size_t len)
{
	static const char begin[] = "-----BEGIN ";
	const unsigned char *p = data, *end = data + len, *label, *q;
	const unsigned char *der;
	bool key = false, other = false;
	EVP_PKEY *pk;

	if (len == 0)
		return "an empty file";
	/* PowerShell's ">" writes UTF-16: a certificate, unreadable as such. */
	if (len >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
	    (data[0] == 0xfe && data[1] == 0xff)))
		return NULL;
	for (; (size_t)(end - p) >= sizeof(begin) - 1; p++) {
		if (memcmp(p, begin, sizeof(begin) - 1) != 0)
			continue;
		label = p + sizeof(begin) - 1;
		for (q = label; q < end && *q != '-' && *q != '\n'; q++)
			;
		if (cert_label((const char *)label, (size_t)(q - label)))
			return NULL;
		if (q - label >= 11 && memcmp(q - 11, "PRIVATE KEY", 11) == 0)
			key = true;
		else
			other = true;
		p = q - 1;
	}
	if (key)
		return "holds a private key, no certificate";
	if (other)
		return "holds no certificate (a PEM file of another kind)";
	/* DER: a key alone, or something the loader's error describes. */
	der = data;
	ERR_clear_error();
	if ((pk = d2i_AutoPrivateKey(NULL, &der, (long)len)) != NULL) {
		EVP_PKEY_free(pk);
		return "holds a private key, no certificate";
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

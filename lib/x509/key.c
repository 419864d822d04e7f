/*
 * key.c - private keys and the passwords that open them.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "core/fileio.h"
#include "core/ossl_err.h"
#include "x509/load.h"
#include "x509/load_int.h"

/* PEM password callback: never prompts; u is the password or NULL. */
int
load_pem_pass(char *buf, int size, int rwflag, void *u)
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
	bool seen;

	if (fileio_read(path, LOAD_MAX_BYTES, &data, &len, err) != 0)
		return NULL;
	if (len == 0) {
		*err = xasprintf("%s: empty file", path);
		goto out;
	}
	if (load_is_utf16(data, len)) {
		*err = load_utf16_error(path);
		goto out;
	}
	/* --key cert.pem: the certificate given where its key goes. */
	if (load_pem_has_label(data, len, "CERTIFICATE") &&
	    !load_pem_has_label(data, len, "PRIVATE KEY")) {
		*err = xasprintf("%s: holds a certificate, not a private key "
		    "(--key takes the key the certificate was requested with, "
		    "such as certbot's privkey.pem)", path);
		goto out;
	}
	ERR_clear_error();
	if (load_is_pem(data, len)) {
		if (!load_pem_keys_work_ok(data, len)) {
			*err = load_kdf_refusal(path,
			    "the key's encryption asks for", "");
			goto out;
		}
		key = load_pem_first_key(data, len, password, &seen);
		if (key == NULL) {
			reason = seen ? ossl_err_reason("no private key") :
			    xstrdup("no PEM block holds a private key");
			*err = xasprintf("%s: cannot read the private key%s: %s",
			    path, password == NULL ?
			    " (encrypted? use --password)" : "", reason);
			free(reason);
		}
		goto out;
	}
	p = data;
	if (load_der_key_shaped(data, len) &&
	    (key = d2i_AutoPrivateKey(NULL, &p, (long)len)) != NULL)
		goto out;
	ERR_clear_error();
	if (!load_pkcs8_work_ok(data, (long)len)) {
		*err = load_kdf_refusal(path, "the key's encryption asks for",
		    "");
		goto out;
	}
	/* An encrypted PKCS#8 key in DER: OpenSSL reads it from a BIO. */
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		fatal_oom();
	if ((key = d2i_PKCS8PrivateKey_bio(bio, NULL, load_pem_pass,
	    (void *)password)) != NULL)
		goto out;
	p = data;
	ERR_clear_error();
	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
		if ((tmp = sk_X509_new_null()) == NULL)
			fatal_oom();
		(void)load_pkcs12(path, p12, password, tmp, &key, err);
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

/*
 * listen_tls.c - the carrier's side of the handshake: TLS 1.2 only, the
 * policy's suites, an RSA certificate; and what the client's ClientHello
 * and handshake say, read through two OpenSSL callbacks.
 *
 * The client-hello callback (SSL_CTX_set_client_hello_cb) runs before
 * OpenSSL chooses a version or a suite, so even a ClientHello the
 * listener goes on to refuse (TLS 1.3 only, no shared suite) is read
 * whole: legacy_version, supported_versions (RFC 8446 section 4.2.1),
 * cipher_suites, server_name (RFC 6066 section 3) and
 * signature_algorithms (RFC 8446 section 4.2.3).
 *
 * The message callback (SSL_CTX_set_msg_callback) sees every handshake
 * message and alert: whether our Certificate went out before the client
 * gave up, and which alert it gave up with.  That is the difference
 * between a client that verifies the server and one that does not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/esc.h"
#include "probe/listen.h"
#include "probe/probe.h"

/* TLS extension numbers (IANA): read from the raw ClientHello. */
#define EXT_SERVER_NAME 0
#define EXT_SIGNATURE_ALGORITHMS 13
#define EXT_SUPPORTED_VERSIONS 43

/* GREASE (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
static bool
is_grease(unsigned v)
{
	return (v & 0x0f0fu) == 0x0a0au && (v >> 8) == (v & 0xffu);
}

static unsigned
u16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* The name of a cipher suite by its two bytes: IANA's, as OpenSSL knows it. */
static char *
suite_name(SSL *ssl, const unsigned char *p)
{
	const SSL_CIPHER *c = SSL_CIPHER_find(ssl, p);
	const char *n = c != NULL ? SSL_CIPHER_standard_name(c) : NULL;

	if (n != NULL && strcmp(n, "(NONE)") != 0)
		return xstrdup(n);
	return xasprintf("0x%04X", u16(p));
}

/* RFC 8446 section 4.2.3 names, and the TLS 1.2 pairs of RFC 5246. */
static char *
sigalg_name(unsigned v)
{
	static const struct {
		unsigned code;
		const char *name;
	} names[] = {
		{ 0x0201, "rsa_pkcs1_sha1" }, { 0x0203, "ecdsa_sha1" },
		{ 0x0301, "rsa_pkcs1_sha224" }, { 0x0303, "ecdsa_sha224" },
		{ 0x0401, "rsa_pkcs1_sha256" }, { 0x0501, "rsa_pkcs1_sha384" },
		{ 0x0601, "rsa_pkcs1_sha512" },
		{ 0x0403, "ecdsa_secp256r1_sha256" },
		{ 0x0503, "ecdsa_secp384r1_sha384" },
		{ 0x0603, "ecdsa_secp521r1_sha512" },
		{ 0x0804, "rsa_pss_rsae_sha256" },
		{ 0x0805, "rsa_pss_rsae_sha384" },
		{ 0x0806, "rsa_pss_rsae_sha512" },
		{ 0x0807, "ed25519" }, { 0x0808, "ed448" },
		{ 0x0809, "rsa_pss_pss_sha256" }, { 0x080a, "rsa_pss_pss_sha384" },
		{ 0x080b, "rsa_pss_pss_sha512" },
		{ 0x0402, "dsa_sha256" }, { 0x0202, "dsa_sha1" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].code == v)
			return xstrdup(names[i].name);
	return xasprintf("0x%04x", v);
}

static void
read_versions(SSL *ssl, struct client_hello_facts *h)
{
	const unsigned char *p;
	size_t len, i;
	unsigned v;

	h->legacy_version = SSL_client_hello_get0_legacy_version(ssl);
	if (SSL_client_hello_get0_ext(ssl, EXT_SUPPORTED_VERSIONS, &p,
	    &len) == 1 && len >= 1 && (size_t)p[0] + 1 <= len) {
		h->has_supported_versions = true;
		len = p[0];
		p++;
		for (i = 0; i + 1 < len && h->n_versions <
		    CLIENT_HELLO_MAX_LIST; i += 2) {
			if (is_grease(v = u16(p + i)))
				continue;
			h->versions = xreallocarray(h->versions,
			    h->n_versions + 1, sizeof(*h->versions));
			h->versions[h->n_versions++] = v;
		}
		return;
	}
	h->versions = xcalloc(1, sizeof(*h->versions));
	h->versions[0] = h->legacy_version;
	h->n_versions = 1;
}

static void
read_suites(SSL *ssl, struct client_hello_facts *h)
{
	const unsigned char *p;
	size_t len, i;
	unsigned v;

	len = SSL_client_hello_get0_ciphers(ssl, &p);
	for (i = 0; i + 1 < len && h->n_suites < CLIENT_HELLO_MAX_LIST;
	    i += 2) {
		v = u16(p + i);
		/* GREASE, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV */
		if (is_grease(v) || v == 0x00ff || v == 0x5600)
			continue;
		h->suites = xreallocarray(h->suites, h->n_suites + 1,
		    sizeof(*h->suites));
		h->suites[h->n_suites++] = suite_name(ssl, p + i);
	}
}

/* server_name: a list of (type, name); the host_name (type 0) is kept. */
static void
read_sni(SSL *ssl, struct client_hello_facts *h)
{
	const unsigned char *p;
	size_t len, i, n;

	if (SSL_client_hello_get0_ext(ssl, EXT_SERVER_NAME, &p, &len) != 1 ||
	    len < 2 || u16(p) + 2u > len)
		return;
	len = u16(p) + 2u;
	for (i = 2; i + 3 <= len; i += 3 + n) {
		n = u16(p + i + 1);
		if (i + 3 + n > len)
			return;
		if (p[i] == 0) {
			h->sni = esc_printable(p + i + 3, n < 255 ? n : 255);
			return;
		}
	}
}

static void
read_sigalgs(SSL *ssl, struct client_hello_facts *h)
{
	const unsigned char *p;
	size_t len, i;

	if (SSL_client_hello_get0_ext(ssl, EXT_SIGNATURE_ALGORITHMS, &p,
	    &len) != 1 || len < 2 || u16(p) + 2u > len)
		return;
	len = u16(p) + 2u;
	for (i = 2; i + 1 < len && h->n_sigalgs < CLIENT_HELLO_MAX_LIST;
	    i += 2) {
		h->sigalgs = xreallocarray(h->sigalgs, h->n_sigalgs + 1,
		    sizeof(*h->sigalgs));
		h->sigalgs[h->n_sigalgs++] = sigalg_name(u16(p + i));
	}
}

/* Read the ClientHello; never refuse it here (OpenSSL judges it next). */
static int
hello_cb(SSL *ssl, int *alert, void *arg)
{
	struct client_facts *f = SSL_get_app_data(ssl);

	(void)alert;
	(void)arg;
	if (f == NULL || f->hello.seen)
		return SSL_CLIENT_HELLO_SUCCESS;
	f->hello.seen = true;
	read_versions(ssl, &f->hello);
	read_suites(ssl, &f->hello);
	read_sni(ssl, &f->hello);
	read_sigalgs(ssl, &f->hello);
	return SSL_CLIENT_HELLO_SUCCESS;
}

/*
 * Every record's content as OpenSSL sends or reads it: handshake
 * messages start with their type, alerts are (level, description).
 */
static void
msg_cb(int write_p, int version, int content_type, const void *buf,
    size_t len, SSL *ssl, void *arg)
{
	struct client_facts *f = SSL_get_app_data(ssl);
	const unsigned char *p = buf;

	(void)version;
	(void)arg;
	if (f == NULL || len == 0)
		return;
	if (content_type == SSL3_RT_HANDSHAKE) {
		if (write_p && p[0] == SSL3_MT_CERTIFICATE)
			f->hs.cert_sent = true;
		/* An empty Certificate is 7 bytes: type, length, list length. */
		if (!write_p && p[0] == SSL3_MT_CERTIFICATE && len > 7)
			f->hs.client_cert_sent = true;
	} else if (content_type == SSL3_RT_ALERT && len >= 2) {
		if (write_p && f->hs.server_alert == -1 &&
		    p[0] == SSL3_AL_FATAL)
			f->hs.server_alert = p[1];
		else if (!write_p && f->hs.client_alert == -1 &&
		    (p[0] == SSL3_AL_FATAL || p[1] != SSL_AD_CLOSE_NOTIFY))
			f->hs.client_alert = p[1];
	}
}

/* We lint the client's chain ourselves: the handshake never refuses it. */
static int
accept_any(int ok, X509_STORE_CTX *x)
{
	(void)ok;
	(void)x;
	return 1;
}

/*
 * A throw-away self-signed RSA-2048 certificate valid for a day, whose
 * subject says that no client should trust it.
 */
static int
make_throwaway(EVP_PKEY **key, X509 **cert, char **err)
{
	X509_NAME *name = NULL;
	EVP_PKEY *k = NULL;
	X509 *x = NULL;
	BIGNUM *serial = NULL;
	int rc = -1;

	ERR_clear_error();
	if ((k = EVP_RSA_gen(2048)) == NULL || (x = X509_new()) == NULL ||
	    (serial = BN_new()) == NULL || (name = X509_NAME_new()) == NULL)
		goto fail;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    BN_rand(serial, 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1 ||
	    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) == NULL ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)"bwcertcheck listen", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"throw-away certificate: do not trust",
	    -1, -1, 0) != 1 ||
	    X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_set_pubkey(x, k) != 1 || X509_sign(x, k, EVP_sha256()) == 0)
		goto fail;
	*key = k;
	*cert = x;
	k = NULL;
	x = NULL;
	rc = 0;
	goto out;
fail:
	{
		char *r = probe_ssl_reason("unknown error");

		*err = xasprintf("cannot make the throw-away certificate: %s",
		    r);
		free(r);
	}
out:
	X509_NAME_free(name);
	BN_free(serial);
	X509_free(x);
	EVP_PKEY_free(k);
	return rc;
}

SSL_CTX *
listen_tls_ctx(const struct listen_tls_params *p, char **err)
{
	SSL_CTX *ctx = NULL;
	EVP_PKEY *tkey = NULL;
	X509 *tcert = NULL;
	char *ciphers = probe_cipher_list(p->policy), *r;

	if (strcmp(ciphers, "NONE") == 0) {
		*err = xstrdup("the policy allows no cipher suite to listen "
		    "with");
		goto fail;
	}
	if (p->cert == NULL && make_throwaway(&tkey, &tcert, err) == -1)
		goto fail;
	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, ciphers) != 1) {
		r = probe_ssl_reason("unknown error");
		*err = xasprintf("cannot set up TLS: %s", r);
		free(r);
		goto fail;
	}
	if (SSL_CTX_use_certificate(ctx, p->cert != NULL ? p->cert :
	    tcert) != 1 || SSL_CTX_use_PrivateKey(ctx, p->key != NULL ?
	    p->key : tkey) != 1 || SSL_CTX_check_private_key(ctx) != 1 ||
	    (p->chain != NULL && SSL_CTX_set1_chain(ctx, p->chain) != 1)) {
		r = probe_ssl_reason("unknown error");
		*err = xasprintf("cannot use the certificate: %s", r);
		free(r);
		goto fail;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_client_hello_cb(ctx, hello_cb, NULL);
	SSL_CTX_set_msg_callback(ctx, msg_cb);
	SSL_CTX_set_verify(ctx, p->require_client_cert ? SSL_VERIFY_PEER :
	    SSL_VERIFY_NONE, p->require_client_cert ? accept_any : NULL);
	goto out;
fail:
	SSL_CTX_free(ctx);
	ctx = NULL;
out:
	X509_free(tcert);
	EVP_PKEY_free(tkey);
	free(ciphers);
	return ctx;
}

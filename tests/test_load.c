/*
 * test_load.c - bytes in, certificates and keys out: every input format
 * load_certs() reads, every kind of bad input it refuses (with a message
 * that starts with the file's name), load_key() and load_password().
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/fileio.h"
#include "x509/load.h"
#include "x509/load_int.h"
#include "pki.h"

#define FQDN "pbx.example.test"
#define P12_PASSWORD "p12-secret"

static struct {
	struct pki_world w;
	char *dir;
	X509 *leaf;
	STACK_OF(X509) *chain;	/* leaf, intermediate, root */
} fx;

static int
group_setup(void **state)
{
	(void)state;
	if (pki_world_init(&fx.w) == -1)
		return -1;
	if ((fx.dir = pki_tmpdir()) == NULL)
		return -1;
	if ((fx.leaf = pki_world_leaf(&fx.w, FQDN)) == NULL)
		return -1;
	if ((fx.chain = pki_stack(fx.leaf, fx.w.intermediate, fx.w.root,
	    NULL)) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sk_X509_pop_free(fx.chain, X509_free);
	X509_free(fx.leaf);
	if (fx.dir != NULL)
		(void)pki_tmpdir_remove(fx.dir);
	free(fx.dir);
	pki_world_free(&fx.w);
	pki_key_free_all();
	return 0;
}

/* A path in the scratch directory.  Caller frees. */
static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", fx.dir, name);
}

/* Fail, showing both, unless s starts with "prefix:". */
#define assert_names(s, prefix) \
	assert_names_at((s), (prefix), __FILE__, __LINE__)

static void
assert_names_at(const char *s, const char *prefix, const char *file, int line)
{
	size_t n = strlen(prefix);

	if (s != NULL && strncmp(s, prefix, n) == 0 && s[n] == ':')
		return;
	print_error("\"%s\"\n    does not start with\n\"%s:\"\n",
	    s ? s : "(null)", prefix);
	_fail(file, line);
}

/* Fail, showing both strings, unless needle occurs in haystack. */
#define assert_contains(h, n) assert_contains_at((h), (n), __FILE__, __LINE__)

static void
assert_contains_at(const char *h, const char *n, const char *file, int line)
{
	if (h != NULL && strstr(h, n) != NULL)
		return;
	print_error("\"%s\"\n    does not contain\n\"%s\"\n", h ? h : "(null)",
	    n);
	_fail(file, line);
}

/*
 * load_certs_mem() of len bytes at data named name, expecting success.
 * Returns the certificates (caller frees with sk_X509_pop_free).
 */
static STACK_OF(X509) *
load_ok(const char *name, const void *data, size_t len, const char *password,
    EVP_PKEY **key, enum load_format *fmt)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *err = NULL;
	int rc;

	assert_non_null(certs);
	rc = load_certs_mem(name, data, len, password, certs, key, fmt, &err);
	if (rc != 0)
		print_error("load_certs_mem: %s\n", err);
	assert_int_equal(rc, 0);
	assert_null(err);
	return certs;
}

/*
 * load_certs_mem() expecting failure: returns the message, which starts
 * with name (caller frees).  No certificate is left on the stack.
 */
static char *
load_fails(const char *name, const void *data, size_t len,
    const char *password)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *err = NULL;

	assert_non_null(certs);
	assert_int_equal(load_certs_mem(name, data, len, password, certs, NULL,
	    NULL, &err), -1);
	assert_non_null(err);
	assert_names(err, name);
	/* Nothing from OpenSSL's queue leaks into the next call. */
	assert_int_equal(ERR_peek_error(), 0);
	sk_X509_pop_free(certs, X509_free);
	return err;
}

/* The certificates of certs equal want's, in order. */
static void
assert_same_certs(STACK_OF(X509) *certs, X509 *const *want, int n)
{
	int i;

	assert_int_equal(sk_X509_num(certs), n);
	for (i = 0; i < n; i++)
		assert_int_equal(X509_cmp(sk_X509_value(certs, i), want[i]), 0);
}

/* PEM of the given certificates (up to NULL).  Caller frees. */
static char *
pem_of(size_t *len, X509 *first, ...)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	unsigned char *pem;
	va_list ap;
	X509 *x;

	assert_non_null(sk);
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		assert_int_not_equal(sk_X509_push(sk, x), 0);
	va_end(ap);
	pem = pki_pem(sk, len);
	assert_non_null(pem);
	sk_X509_free(sk);	/* borrowed certificates */
	return (char *)pem;
}

/* What a folder holds besides chains (load_not_certificate, load_ca_only). */

/*
 * load_der_key_shaped(): what may be a private key reaches OpenSSL's
 * key decoders (costly), nothing else does; and a key always may.
 */
static void
test_load_der_key_shaped_is_a_sequence_opening_with_an_integer(void **state)
{
	static const unsigned char rsa_like[] = { 0x30, 0x06, 0x02, 0x01, 0x00,
		0x02, 0x01, 0x05 };
	static const unsigned char ec_like[] = { 0x30, 0x05, 0x02, 0x01, 0x01,
		0x04, 0x00 };
	/* PKCS#8: an AlgorithmIdentifier (Ed25519's OID), then the key. */
	static const unsigned char p8_like[] = { 0x30, 0x0d, 0x02, 0x01, 0x00,
		0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x01, 0x00 };
	static const unsigned char ber_indef[] = { 0x30, 0x80, 0x02, 0x01, 0x00,
		0x30, 0x80, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x00, 0x00,
		0x04, 0x01, 0x00, 0x00, 0x00 };
	/* Not PKCS#8: no OID first, no key after, a SEQUENCE after. */
	static const unsigned char alg_no_oid[] = { 0x30, 0x0b, 0x02, 0x01,
		0x00, 0x30, 0x03, 0x02, 0x01, 0x05, 0x04, 0x01, 0x00 };
	static const unsigned char alg_no_key[] = { 0x30, 0x0a, 0x02, 0x01,
		0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70 };
	static const unsigned char alg_then_seq[] = { 0x30, 0x0c, 0x02, 0x01,
		0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x30, 0x00 };
	static const unsigned char p12_like[] = { 0x30, 0x05, 0x02, 0x01, 0x03,
		0x30, 0x00 };
	static const unsigned char long_version[] = { 0x30, 0x07, 0x02, 0x02,
		0x00, 0x00, 0x02, 0x01, 0x05 };
	static const unsigned char version_only[] = { 0x30, 0x03, 0x02, 0x01,
		0x00 };
	static const unsigned char then_bool[] = { 0x30, 0x06, 0x02, 0x01, 0x00,
		0x01, 0x01, 0xff };
	static const unsigned char set_int[] = { 0x31, 0x06, 0x02, 0x01, 0x00,
		0x02, 0x01, 0x05 };
	static const unsigned char seq_seq[] = { 0x30, 0x02, 0x30, 0x00 };
	static const unsigned char too_long[] = { 0x30, 0x09, 0x02, 0x01, 0x00,
		0x02, 0x01, 0x05 };
	static const unsigned char inner_long[] = { 0x30, 0x06, 0x02, 0x01, 0x00,
		0x02, 0x05, 0x05 };
	static const unsigned char bad_len[] = { 0x30, 0x84, 0xff };
	unsigned char *kder = NULL, *p8der = NULL, *cder = NULL;
	unsigned char *ecder = NULL;
	PKCS8_PRIV_KEY_INFO *p8, *ecp8;
	EVP_PKEY *ec;
	int klen, p8len, clen, eclen;

	(void)state;
	klen = i2d_PrivateKey(fx.w.leaf_key, &kder);
	assert_true(klen > 0);
	assert_non_null(p8 = EVP_PKEY2PKCS8(fx.w.leaf_key));
	p8len = i2d_PKCS8_PRIV_KEY_INFO(p8, &p8der);
	assert_true(p8len > 0);
	clen = i2d_X509(fx.leaf, &cder);
	assert_true(clen > 0);
	ERR_clear_error();
	/* Keys: RSAPrivateKey and PKCS#8 PrivateKeyInfo, and their shapes. */
	assert_true(load_der_key_shaped(kder, (size_t)klen));
	assert_true(load_der_key_shaped(p8der, (size_t)p8len));
	assert_true(load_der_key_shaped(rsa_like, sizeof(rsa_like)));
	/* ECPrivateKey (version 1, then the key's octets), and as PKCS#8. */
	assert_non_null(ec = EVP_EC_gen("P-256"));
	assert_true((eclen = i2d_PrivateKey(ec, &ecder)) > 0);
	assert_true(load_der_key_shaped(ecder, (size_t)eclen));
	assert_non_null(ecp8 = EVP_PKEY2PKCS8(ec));
	OPENSSL_free(ecder);
	ecder = NULL;
	assert_true((eclen = i2d_PKCS8_PRIV_KEY_INFO(ecp8, &ecder)) > 0);
	assert_true(load_der_key_shaped(ecder, (size_t)eclen));
	OPENSSL_free(ecder);
	PKCS8_PRIV_KEY_INFO_free(ecp8);
	EVP_PKEY_free(ec);
	assert_true(load_der_key_shaped(ec_like, sizeof(ec_like)));
	assert_true(load_der_key_shaped(p8_like, sizeof(p8_like)));
	assert_true(load_der_key_shaped(ber_indef, sizeof(ber_indef)));
	assert_false(load_der_key_shaped(alg_no_oid, sizeof(alg_no_oid)));
	assert_false(load_der_key_shaped(alg_no_key, sizeof(alg_no_key)));
	assert_false(load_der_key_shaped(alg_then_seq, sizeof(alg_then_seq)));
	/* A certificate opens with a SEQUENCE (TBSCertificate). */
	assert_false(load_der_key_shaped(cder, (size_t)clen));
	assert_false(load_der_key_shaped(p12_like, sizeof(p12_like)));
	assert_false(load_der_key_shaped(long_version, sizeof(long_version)));
	assert_false(load_der_key_shaped(version_only, sizeof(version_only)));
	assert_false(load_der_key_shaped(then_bool, sizeof(then_bool)));
	assert_false(load_der_key_shaped(set_int, sizeof(set_int)));
	assert_false(load_der_key_shaped(seq_seq, sizeof(seq_seq)));
	assert_false(load_der_key_shaped(too_long, sizeof(too_long)));
	assert_false(load_der_key_shaped(inner_long, sizeof(inner_long)));
	assert_false(load_der_key_shaped(bad_len, sizeof(bad_len)));
	assert_false(load_der_key_shaped(rsa_like, 1));
	assert_false(load_der_key_shaped(rsa_like, 0));
	assert_false(load_der_key_shaped((const unsigned char *)"README", 6));
	/* A bad header leaves nothing on OpenSSL's error queue. */
	assert_int_equal(ERR_peek_error(), 0);
	OPENSSL_free(kder);
	OPENSSL_free(p8der);
	OPENSSL_free(cder);
	PKCS8_PRIV_KEY_INFO_free(p8);
}

static void
test_load_not_certificate_tells_a_key_a_readme_and_an_empty_file(void **state)
{
	static const char csr[] = "-----BEGIN CERTIFICATE REQUEST-----\n"
	    "MIIB\n-----END CERTIFICATE REQUEST-----\n";
	static const char truncated[] = "-----BEGIN CERTIFICATE-----\nMIIB\n";
	static const unsigned char utf16[] = { 0xff, 0xfe, '-', 0, '-', 0 };
	static const unsigned char der_junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	unsigned char *kpem, *kder = NULL;
	size_t klen, len;
	char *pem = pem_of(&len, fx.leaf, NULL);
	int dlen;

	(void)state;
	kpem = pki_key_pem(fx.w.leaf_key, NULL, &klen);
	assert_non_null(kpem);
	dlen = i2d_PrivateKey(fx.w.leaf_key, &kder);
	assert_true(dlen > 0);
	assert_string_equal(load_not_certificate((const unsigned char *)"", 0),
	    "an empty file");
	assert_string_equal(load_not_certificate((const unsigned char *)
	    "README\n", 7), "not a certificate (no PEM block, not DER)");
	assert_string_equal(load_not_certificate(kpem, klen),
	    "holds a private key, no certificate");
	assert_string_equal(load_not_certificate(kder, (size_t)dlen),
	    "holds a private key, no certificate");
	assert_string_equal(load_not_certificate((const unsigned char *)csr,
	    sizeof(csr) - 1), "holds no certificate (a PEM file of another kind)");
	/* Certificate material: the loader's own error stands. */
	assert_null(load_not_certificate((const unsigned char *)pem, len));
	assert_null(load_not_certificate((const unsigned char *)truncated,
	    sizeof(truncated) - 1));
	assert_null(load_not_certificate(utf16, sizeof(utf16)));
	assert_null(load_not_certificate(der_junk, sizeof(der_junk)));
	/* UTF-16 with and without a byte-order mark; ASCII is not. */
	assert_true(load_is_utf16(utf16, sizeof(utf16)));
	assert_true(load_is_utf16((const unsigned char *)"-\0-\0", 4));
	assert_false(load_is_utf16((const unsigned char *)pem, len));
	assert_true(load_pem_has_label(kpem, klen, "PRIVATE KEY"));
	assert_false(load_pem_has_label(kpem, klen, "CERTIFICATE"));
	assert_false(load_pem_has_label((const unsigned char *)csr,
	    sizeof(csr) - 1, "CERTIFICATE"));
	OPENSSL_free(kder);
	free(kpem);
	free(pem);
}

static void
test_load_ca_only_is_an_intermediate_bundle_not_a_chain(void **state)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	(void)state;
	assert_non_null(sk);
	assert_false(load_ca_only((struct stack_st_X509 *)sk));
	assert_int_not_equal(sk_X509_push(sk, fx.w.intermediate), 0);
	assert_true(load_ca_only((struct stack_st_X509 *)sk));
	assert_int_not_equal(sk_X509_push(sk, fx.leaf), 0);
	assert_false(load_ca_only((struct stack_st_X509 *)sk));
	sk_X509_free(sk);	/* borrowed certificates */
}

/* PEM */

static void
test_load_certs_mem_pem_single_gives_one_certificate(void **state)
{
	STACK_OF(X509) *certs;
	enum load_format fmt = LOAD__MAX;
	size_t len;
	char *pem = pem_of(&len, fx.leaf, NULL);

	(void)state;
	certs = load_ok("leaf.pem", pem, len, NULL, NULL, &fmt);
	assert_same_certs(certs, (X509 *[]){ fx.leaf }, 1);
	assert_string_equal(load_format_name(fmt), load_format_name(LOAD_PEM));
	sk_X509_pop_free(certs, X509_free);
	free(pem);
}

static void
test_load_certs_mem_pem_many_keeps_their_order(void **state)
{
	STACK_OF(X509) *certs;
	size_t len;
	char *pem = pem_of(&len, fx.leaf, fx.w.intermediate, fx.w.root, NULL);

	(void)state;
	certs = load_ok("chain.pem", pem, len, NULL, NULL, NULL);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate,
	    fx.w.root }, 3);
	sk_X509_pop_free(certs, X509_free);
	free(pem);
}

static void
test_load_certs_mem_pem_leaf_not_first_keeps_input_order(void **state)
{
	STACK_OF(X509) *certs;
	size_t len;
	char *pem = pem_of(&len, fx.w.intermediate, fx.leaf, NULL);

	(void)state;
	certs = load_ok("chain.pem", pem, len, NULL, NULL, NULL);
	assert_same_certs(certs, (X509 *[]){ fx.w.intermediate, fx.leaf }, 2);
	sk_X509_pop_free(certs, X509_free);
	free(pem);
}

static void
test_load_certs_mem_pem_text_between_blocks_is_ignored(void **state)
{
	STACK_OF(X509) *certs;
	size_t l1, l2;
	char *a = pem_of(&l1, fx.leaf, NULL);
	char *b = pem_of(&l2, fx.w.intermediate, NULL);
	char *text;

	(void)state;
	/* What "openssl x509 -text" and some CAs' bundles look like. */
	text = xasprintf("Bag Attributes\n    friendlyName: pbx\n"
	    "subject=CN = pbx.example.test\n\n%s\n"
	    "# the intermediate\nissuer=CN = BWC Test Root CA\n%s"
	    "trailing words\n", a, b);
	certs = load_ok("bundle.pem", text, strlen(text), NULL, NULL, NULL);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate }, 2);
	sk_X509_pop_free(certs, X509_free);
	free(text);
	free(a);
	free(b);
}

static void
test_load_certs_mem_pem_crlf_line_endings_load(void **state)
{
	STACK_OF(X509) *certs;
	struct buf crlf = { 0 };
	size_t len, i;
	char *pem = pem_of(&len, fx.leaf, fx.w.intermediate, NULL);

	(void)state;
	for (i = 0; i < len; i++) {
		if (pem[i] == '\n')
			buf_addc(&crlf, '\r');
		buf_addc(&crlf, pem[i]);
	}
	certs = load_ok("windows.pem", crlf.ptr, crlf.len, NULL, NULL, NULL);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate }, 2);
	sk_X509_pop_free(certs, X509_free);
	buf_free(&crlf);
	free(pem);
}

static void
test_load_certs_mem_pem_with_private_key_block_gives_the_key(void **state)
{
	STACK_OF(X509) *certs;
	EVP_PKEY *key = NULL;
	unsigned char *kpem;
	size_t len, klen;
	char *pem = pem_of(&len, fx.leaf, NULL), *both;

	(void)state;
	kpem = pki_key_pem(fx.w.leaf_key, NULL, &klen);
	assert_non_null(kpem);
	both = xasprintf("%s%s", (char *)kpem, pem);
	certs = load_ok("combined.pem", both, strlen(both), NULL, &key, NULL);
	assert_same_certs(certs, (X509 *[]){ fx.leaf }, 1);
	assert_non_null(key);
	assert_int_equal(EVP_PKEY_eq(key, fx.w.leaf_key), 1);
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	free(both);
	free(kpem);
	free(pem);
}

/*
 * Load the PEM blocks given, in order, followed by the leaf's PEM, as
 * one combined file: the chain must be the leaf alone, and the key
 * found (or NULL) is returned.
 */
static EVP_PKEY *
combined_key(const char *password, const char *first, const char *second)
{
	STACK_OF(X509) *certs;
	EVP_PKEY *key = NULL;
	size_t len;
	char *pem = pem_of(&len, fx.leaf, NULL);
	char *all = xasprintf("%s%s%s", first, second, pem);

	certs = load_ok("combined.pem", all, strlen(all), password, &key, NULL);
	assert_same_certs(certs, (X509 *[]){ fx.leaf }, 1);
	sk_X509_pop_free(certs, X509_free);
	free(all);
	free(pem);
	return key;
}

static void
assert_leaf_key(EVP_PKEY *key)
{
	assert_non_null(key);
	assert_int_equal(EVP_PKEY_eq(key, fx.w.leaf_key), 1);
	EVP_PKEY_free(key);
}

/* Key blocks that are not keys: damaged in the clear, damaged encrypted. */
static const char damaged[] = "-----BEGIN PRIVATE KEY-----\n"
    "MAMEAQE=\n-----END PRIVATE KEY-----\n";
static const char damaged_enc[] = "-----BEGIN ENCRYPTED PRIVATE "
    "KEY-----\nMAMEAQE=\n-----END ENCRYPTED PRIVATE KEY-----\n";
/* A SEQUENCE of two INTEGERs: shaped like a key's DER, not one. */
static const char shaped[] = "-----BEGIN PRIVATE KEY-----\n"
    "MAYCAQACAQU=\n-----END PRIVATE KEY-----\n";

/*
 * A damaged key block in the clear (not a key's DER) or an encrypted
 * one that holds no EncryptedPrivateKeyInfo is passed over without
 * OpenSSL's decoders, and a key after it is still found; only the first
 * block that may be a key is read; a key under legacy PEM encryption
 * (Proc-Type header) is still read.
 */
static void
test_load_certs_mem_pem_damaged_key_block_then_keys(void **state)
{
	unsigned char *kpem;
	size_t klen;
	char *legacy;
	BIO *b;
	BUF_MEM *mem;

	(void)state;
	kpem = pki_key_pem(fx.w.leaf_key, NULL, &klen);
	assert_non_null(kpem);
	assert_leaf_key(combined_key(NULL, damaged, (char *)kpem));
	assert_leaf_key(combined_key(NULL, damaged_enc, (char *)kpem));
	/* Only the first block that may be a key is read. */
	assert_null(combined_key(NULL, shaped, (char *)kpem));

	/* "RSA PRIVATE KEY" with Proc-Type: 4,ENCRYPTED and DEK-Info. */
	assert_non_null(b = BIO_new(BIO_s_mem()));
	assert_int_equal(PEM_write_bio_PrivateKey_traditional(b,
	    fx.w.leaf_key, EVP_aes_128_cbc(), (unsigned char *)"test-pass",
	    9, NULL, NULL), 1);
	BIO_get_mem_ptr(b, &mem);
	legacy = xstrndup(mem->data, mem->length);
	BIO_free(b);
	assert_non_null(strstr(legacy, "Proc-Type: 4,ENCRYPTED"));
	assert_leaf_key(combined_key("test-pass", damaged, legacy));
	free(legacy);
	free(kpem);
}

static void
test_load_certs_mem_appends_to_the_stack_given(void **state)
{
	STACK_OF(X509) *certs;
	char *err = NULL;
	size_t l1, l2;
	char *a = pem_of(&l1, fx.leaf, NULL);
	char *b = pem_of(&l2, fx.w.intermediate, NULL);

	(void)state;
	/* Several files form one chain. */
	certs = load_ok("leaf.pem", a, l1, NULL, NULL, NULL);
	assert_int_equal(load_certs_mem("intermediate.pem",
	    (unsigned char *)b, l2, NULL, certs, NULL, NULL, &err), 0);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate }, 2);
	sk_X509_pop_free(certs, X509_free);
	free(a);
	free(b);
}

/* DER */

static void
test_load_certs_mem_der_single_gives_one_certificate(void **state)
{
	STACK_OF(X509) *certs;
	enum load_format fmt = LOAD__MAX;
	unsigned char *der;
	size_t len;

	(void)state;
	der = pki_der(fx.leaf, &len);
	assert_non_null(der);
	certs = load_ok("leaf.der", der, len, NULL, NULL, &fmt);
	assert_same_certs(certs, (X509 *[]){ fx.leaf }, 1);
	assert_string_equal(load_format_name(fmt), load_format_name(LOAD_DER));
	sk_X509_pop_free(certs, X509_free);
	free(der);
}

static void
test_load_certs_mem_der_concatenated_gives_each_in_order(void **state)
{
	STACK_OF(X509) *certs;
	enum load_format fmt = LOAD__MAX;
	unsigned char *a, *b;
	struct buf both = { 0 };
	size_t la, lb;

	(void)state;
	a = pki_der(fx.leaf, &la);
	b = pki_der(fx.w.intermediate, &lb);
	assert_non_null(a);
	assert_non_null(b);
	buf_add(&both, a, la);
	buf_add(&both, b, lb);
	certs = load_ok("chain.der", both.ptr, both.len, NULL, NULL, &fmt);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate }, 2);
	assert_string_equal(load_format_name(fmt), load_format_name(LOAD_DER));
	sk_X509_pop_free(certs, X509_free);
	buf_free(&both);
	free(a);
	free(b);
}

/* PKCS#7 */

static void
test_load_certs_mem_pkcs7_pem_gives_every_certificate(void **state)
{
	STACK_OF(X509) *certs;
	enum load_format fmt = LOAD__MAX;
	unsigned char *p7;
	size_t len;

	(void)state;
	p7 = pki_p7(fx.chain, PKI_PEM, &len);
	assert_non_null(p7);
	assert_non_null(strstr((char *)p7, "-----BEGIN PKCS7-----"));
	certs = load_ok("chain.p7b", p7, len, NULL, NULL, &fmt);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate,
	    fx.w.root }, 3);
	/* PEM armour around a PKCS#7 set: still a set, for chain-order. */
	assert_string_equal(load_format_name(fmt),
	    load_format_name(LOAD_PKCS7));
	sk_X509_pop_free(certs, X509_free);
	free(p7);
}

static void
test_load_certs_mem_pkcs7_der_gives_every_certificate(void **state)
{
	STACK_OF(X509) *certs;
	enum load_format fmt = LOAD__MAX;
	unsigned char *p7;
	size_t len;

	(void)state;
	p7 = pki_p7(fx.chain, PKI_DER, &len);
	assert_non_null(p7);
	certs = load_ok("chain.p7c", p7, len, NULL, NULL, &fmt);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate,
	    fx.w.root }, 3);
	assert_string_equal(load_format_name(fmt),
	    load_format_name(LOAD_PKCS7));
	sk_X509_pop_free(certs, X509_free);
	free(p7);
}

static void
test_load_certs_mem_pkcs7_without_certificates_fails(void **state)
{
	STACK_OF(X509) *none = sk_X509_new_null();
	unsigned char *der, *pem;
	size_t dlen, plen;
	char *err;

	(void)state;
	assert_non_null(none);
	der = pki_p7(none, PKI_DER, &dlen);
	pem = pki_p7(none, PKI_PEM, &plen);
	assert_non_null(der);
	assert_non_null(pem);
	err = load_fails("empty.p7c", der, dlen, NULL);
	assert_contains(err, "no certificate");
	free(err);
	err = load_fails("empty.p7b", pem, plen, NULL);
	assert_contains(err, "no certificate");
	free(err);
	free(der);
	free(pem);
	sk_X509_free(none);
}

/* PKCS#12 */

static unsigned char *
p12_of(const char *password, X509 *leaf, size_t *len)
{
	STACK_OF(X509) *ca = pki_stack(fx.w.intermediate, NULL);
	unsigned char *p12;

	assert_non_null(ca);
	p12 = pki_p12(password, fx.w.leaf_key, leaf, ca, len);
	assert_non_null(p12);
	sk_X509_pop_free(ca, X509_free);
	return p12;
}

/*
 * A PKCS#12 file whose version says 1: a key's version, then a
 * ContentInfo (a SEQUENCE opening with an OID, as an AlgorithmIdentifier
 * does) and the MAC's SEQUENCE where a key's OCTET STRING would be: not
 * key-shaped, so it never reaches d2i_AutoPrivateKey() (which costs
 * milliseconds on such bytes).
 */
static void
test_load_p12_with_a_key_version_is_not_key_shaped(void **state)
{
	size_t len, i;
	unsigned char *p12 = p12_of(P12_PASSWORD, fx.leaf, &len);

	(void)state;
	assert_false(load_der_key_shaped(p12, len));
	for (i = 0; i + 3 < len && i < 8; i++)
		if (p12[i] == 0x02 && p12[i + 1] == 0x01 && p12[i + 2] == 0x03)
			break;
	assert_true(i < 8);
	p12[i + 2] = 0x01;
	assert_false(load_der_key_shaped(p12, len));
	p12[i + 2] = 0x00;
	assert_false(load_der_key_shaped(p12, len));
	assert_int_equal(ERR_peek_error(), 0);
	free(p12);
}

static void
test_load_certs_mem_pkcs12_right_password_gives_chain_and_key(void **state)
{
	STACK_OF(X509) *certs;
	enum load_format fmt = LOAD__MAX;
	EVP_PKEY *key = NULL;
	unsigned char *p12;
	size_t len;

	(void)state;
	p12 = p12_of(P12_PASSWORD, fx.leaf, &len);
	certs = load_ok("server.p12", p12, len, P12_PASSWORD, &key, &fmt);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate }, 2);
	assert_string_equal(load_format_name(fmt),
	    load_format_name(LOAD_PKCS12));
	assert_non_null(key);
	assert_int_equal(EVP_PKEY_eq(key, fx.w.leaf_key), 1);
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	free(p12);
}

static void
test_load_certs_mem_pkcs12_keeps_a_key_already_given(void **state)
{
	STACK_OF(X509) *certs;
	EVP_PKEY *given = pki_key_rsa_nth(2048, 1), *key = given;
	unsigned char *p12;
	size_t len;

	(void)state;
	p12 = p12_of(P12_PASSWORD, fx.leaf, &len);
	certs = load_ok("server.p12", p12, len, P12_PASSWORD, &key, NULL);
	assert_ptr_equal(key, given);
	sk_X509_pop_free(certs, X509_free);
	free(p12);
}

static void
test_load_certs_mem_pkcs12_wrong_password_fails_saying_so(void **state)
{
	unsigned char *p12;
	size_t len;
	char *err;

	(void)state;
	p12 = p12_of(P12_PASSWORD, fx.leaf, &len);
	err = load_fails("server.p12", p12, len, "not-the-password");
	assert_contains(err, "wrong password");
	assert_null(strstr(err, "not-the-password"));
	free(err);
	free(p12);
}

static void
test_load_certs_mem_pkcs12_no_password_given_fails_asking_for_one(void **state)
{
	unsigned char *p12;
	size_t len;
	char *err;

	(void)state;
	p12 = p12_of(P12_PASSWORD, fx.leaf, &len);
	err = load_fails("server.p12", p12, len, NULL);
	assert_contains(err, "wrong password");
	assert_contains(err, "--password");
	free(err);
	free(p12);
}

static void
test_load_certs_mem_pkcs12_empty_password_opens_without_one(void **state)
{
	STACK_OF(X509) *certs;
	unsigned char *p12;
	size_t len;

	(void)state;
	p12 = p12_of("", fx.leaf, &len);
	certs = load_ok("nopass.p12", p12, len, NULL, NULL, NULL);
	assert_int_equal(sk_X509_num(certs), 2);
	sk_X509_pop_free(certs, X509_free);
	free(p12);
}

static void
test_load_certs_mem_pkcs12_without_certificates_fails(void **state)
{
	unsigned char *p12;
	size_t len;
	char *err;

	(void)state;
	p12 = pki_p12(P12_PASSWORD, fx.w.leaf_key, NULL, NULL, &len);
	assert_non_null(p12);
	err = load_fails("keyonly.p12", p12, len, P12_PASSWORD);
	assert_contains(err, "no certificate");
	free(err);
	free(p12);
}

/* Bad input */

static void
test_load_certs_mem_truncated_pem_fails(void **state)
{
	size_t len, l1;
	char *pem = pem_of(&len, fx.leaf, NULL);
	char *two = pem_of(&l1, fx.leaf, fx.w.intermediate, NULL);
	char *err;

	(void)state;
	/* Cut in the middle of the base64, no END line. */
	err = load_fails("cut.pem", pem, len / 2, NULL);
	assert_contains(err, "bad PEM");
	free(err);
	/* The second block cut short. */
	err = load_fails("cut2.pem", two, l1 - 40, NULL);
	assert_contains(err, "after 1 block");
	free(err);
	free(pem);
	free(two);
}

static void
test_load_certs_mem_bad_base64_fails(void **state)
{
	size_t len;
	char *pem = pem_of(&len, fx.leaf, NULL), *body;
	char *err;

	(void)state;
	body = strchr(pem, '\n');
	assert_non_null(body);
	memcpy(body + 10, "!!**!!", 6);
	err = load_fails("bad64.pem", pem, len, NULL);
	assert_contains(err, "bad PEM");
	free(err);
	free(pem);
}

static void
test_load_certs_mem_valid_base64_of_garbage_fails(void **state)
{
	static const char pem[] = "-----BEGIN CERTIFICATE-----\n"
	    "aGVsbG8sIHRoaXMgaXMgbm90IGEgY2VydGlmaWNhdGU=\n"
	    "-----END CERTIFICATE-----\n";
	char *err;

	(void)state;
	err = load_fails("notcert.pem", pem, sizeof(pem) - 1, NULL);
	assert_contains(err, "certificate 1");
	free(err);
}

static void
test_load_certs_mem_pem_without_certificate_fails(void **state)
{
	unsigned char *kpem;
	size_t klen;
	char *err;

	(void)state;
	kpem = pki_key_pem(fx.w.leaf_key, NULL, &klen);
	assert_non_null(kpem);
	err = load_fails("key.pem", kpem, klen, NULL);
	assert_contains(err, "no certificate");
	free(err);
	free(kpem);
}

static void
test_load_certs_mem_garbage_der_fails(void **state)
{
	static const unsigned char garbage[] = {
		0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01,
		0x02, 0x03, 0xff, 0xfe, 0x41, 0x42, 0x43,
	};
	static const char text[] = "just some text, no PEM at all\n";
	char *err;

	(void)state;
	err = load_fails("garbage.der", garbage, sizeof(garbage), NULL);
	assert_contains(err, "not a certificate");
	free(err);
	err = load_fails("notes.txt", text, sizeof(text) - 1, NULL);
	assert_contains(err, "not a certificate");
	free(err);
}

static void
test_load_certs_mem_der_with_trailing_garbage_fails(void **state)
{
	struct buf b = { 0 };
	unsigned char *der;
	size_t len;
	char *err;

	(void)state;
	der = pki_der(fx.leaf, &len);
	assert_non_null(der);
	buf_add(&b, der, len);
	buf_add(&b, "\x30\x03garbage", 9);
	err = load_fails("trailing.der", b.ptr, b.len, NULL);
	assert_contains(err, "DER certificate 2");
	free(err);
	buf_free(&b);
	free(der);
}

static void
test_load_certs_mem_empty_input_fails(void **state)
{
	char *err;

	(void)state;
	err = load_fails("empty.pem", "", 0, NULL);
	assert_contains(err, "empty file");
	free(err);
}

/* Files */

static void
test_load_certs_file_pem_loads(void **state)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *path = path_in("chain.pem"), *err = NULL;

	(void)state;
	assert_int_equal(pki_write_pem(path, fx.leaf, fx.w.intermediate, NULL),
	    0);
	assert_int_equal(load_certs(path, NULL, certs, NULL, NULL, &err), 0);
	assert_null(err);
	assert_same_certs(certs, (X509 *[]){ fx.leaf, fx.w.intermediate }, 2);
	sk_X509_pop_free(certs, X509_free);
	free(path);
}

static void
test_load_certs_file_pkcs12_wrong_password_names_the_file(void **state)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	STACK_OF(X509) *ca = pki_stack(fx.w.intermediate, NULL);
	char *path = path_in("server.p12"), *err = NULL;

	(void)state;
	assert_int_equal(pki_write_p12(path, P12_PASSWORD, fx.w.leaf_key,
	    fx.leaf, ca), 0);
	assert_int_equal(load_certs(path, "wrong", certs, NULL, NULL, &err), -1);
	assert_names(err, path);
	assert_contains(err, "wrong password");
	assert_int_equal(sk_X509_num(certs), 0);
	free(err);
	sk_X509_pop_free(ca, X509_free);
	sk_X509_pop_free(certs, X509_free);
	free(path);
}

static void
test_load_certs_file_empty_file_fails_naming_it(void **state)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *path = path_in("empty.pem"), *err = NULL;

	(void)state;
	assert_int_equal(pki_write(path, "", 0), 0);
	assert_int_equal(load_certs(path, NULL, certs, NULL, NULL, &err), -1);
	assert_names(err, path);
	assert_contains(err, "empty file");
	free(err);
	sk_X509_pop_free(certs, X509_free);
	free(path);
}

static void
test_load_certs_file_missing_fails_with_path_and_strerror(void **state)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *path = path_in("does-not-exist.pem"), *err = NULL;

	(void)state;
	assert_int_equal(load_certs(path, NULL, certs, NULL, NULL, &err), -1);
	assert_names(err, path);
	assert_contains(err, strerror(ENOENT));
	free(err);
	sk_X509_pop_free(certs, X509_free);
	free(path);
}

static void
test_load_certs_file_directory_fails_naming_it(void **state)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *err = NULL;

	(void)state;
	assert_int_equal(load_certs(fx.dir, NULL, certs, NULL, NULL, &err), -1);
	assert_names(err, fx.dir);
	assert_contains(err, "directory");
	free(err);
	sk_X509_pop_free(certs, X509_free);
}

static void
test_load_file_larger_than_max_is_refused(void **state)
{
	unsigned char *data = NULL;
	char *path = path_in("big.pem"), *err = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(pki_write_pem(path, fx.leaf, NULL), 0);
	assert_int_equal(fileio_read(path, 100, &data, &len, &err), -1);
	assert_null(data);
	assert_names(err, path);
	assert_contains(err, "larger than 100 bytes");
	free(err);
	free(path);
}

/* load_key() */

static EVP_PKEY *
key_ok(const char *path, const char *password)
{
	char *err = NULL;
	EVP_PKEY *key = load_key(path, password, &err);

	if (key == NULL)
		print_error("load_key: %s\n", err);
	assert_non_null(key);
	assert_null(err);
	assert_int_equal(EVP_PKEY_eq(key, fx.w.leaf_key), 1);
	return key;
}

static char *
key_fails(const char *path, const char *password)
{
	char *err = NULL;

	assert_null(load_key(path, password, &err));
	assert_non_null(err);
	assert_names(err, path);
	return err;
}

static void
test_load_key_pem_loads(void **state)
{
	char *path = path_in("key.pem");

	(void)state;
	assert_int_equal(pki_write_key(path, fx.w.leaf_key, NULL), 0);
	EVP_PKEY_free(key_ok(path, NULL));
	/* A password given for a plain key does no harm. */
	EVP_PKEY_free(key_ok(path, "unused"));
	free(path);
}

static void
test_load_key_given_a_certificate_says_it_is_one(void **state)
{
	char *path = path_in("cert-as-key.pem"), *err;

	(void)state;
	assert_int_equal(pki_write_pem(path, fx.leaf, NULL), 0);
	err = key_fails(path, NULL);
	assert_contains(err, ": holds a certificate, not a private key");
	free(err);
	free(path);
}

/*
 * --key given a combined file: the first block that may be a key is
 * read (the certificates before it never reach the key decoders), and a
 * file whose key blocks are all damaged says that no block holds one.
 */
static void
test_load_key_reads_the_first_key_block_of_a_pem_file(void **state)
{
	char *path = path_in("combined-key.pem"), *cert, *all, *err;
	unsigned char *kpem;
	size_t clen, klen;

	(void)state;
	cert = pem_of(&clen, fx.leaf, NULL);
	kpem = pki_key_pem(fx.w.leaf_key, NULL, &klen);
	assert_non_null(kpem);

	all = xasprintf("%s%s%s", cert, damaged, (char *)kpem);
	assert_int_equal(pki_write(path, all, strlen(all)), 0);
	assert_leaf_key(key_ok(path, NULL));
	free(all);

	all = xasprintf("%s%s%s", cert, damaged, damaged_enc);
	assert_int_equal(pki_write(path, all, strlen(all)), 0);
	err = key_fails(path, NULL);
	assert_contains(err, ": cannot read the private key");
	assert_contains(err, "no PEM block holds a private key");
	free(err);
	free(all);

	/* Shaped like a key, not one: read, and the key after it is not. */
	all = xasprintf("%s%s%s", cert, shaped, (char *)kpem);
	assert_int_equal(pki_write(path, all, strlen(all)), 0);
	err = key_fails(path, NULL);
	assert_contains(err, ": cannot read the private key");
	assert_null(strstr(err, "no PEM block"));
	free(err);
	free(all);
	free(kpem);
	free(cert);
	free(path);
}

static void
test_load_key_encrypted_pem_with_password_loads(void **state)
{
	char *path = path_in("enc-key.pem");

	(void)state;
	assert_int_equal(pki_write_key(path, fx.w.leaf_key, "key-secret"), 0);
	EVP_PKEY_free(key_ok(path, "key-secret"));
	free(path);
}

static void
test_load_key_encrypted_pem_without_password_fails_asking_for_one(void **state)
{
	char *path = path_in("enc-key2.pem"), *err;

	(void)state;
	assert_int_equal(pki_write_key(path, fx.w.leaf_key, "key-secret"), 0);
	err = key_fails(path, NULL);
	assert_contains(err, "--password");
	free(err);
	err = key_fails(path, "wrong");
	free(err);
	free(path);
}

static void
test_load_key_der_traditional_and_pkcs8_load(void **state)
{
	unsigned char *der = NULL;
	char *trad = path_in("key-rsa.der"), *p8 = path_in("key-p8.der");
	char *p8enc = path_in("key-p8-enc.der");
	BIO *bio;
	BUF_MEM *mem;
	int len;

	(void)state;
	len = i2d_PrivateKey(fx.w.leaf_key, &der);
	assert_in_range(len, 1, 100000);
	assert_int_equal(pki_write(trad, der, (size_t)len), 0);
	OPENSSL_free(der);
	EVP_PKEY_free(key_ok(trad, NULL));

	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(i2d_PKCS8PrivateKey_bio(bio, fx.w.leaf_key, NULL, NULL,
	    0, NULL, NULL), 1);
	BIO_get_mem_ptr(bio, &mem);
	assert_int_equal(pki_write(p8, mem->data, mem->length), 0);
	BIO_free(bio);
	EVP_PKEY_free(key_ok(p8, NULL));

	bio = BIO_new(BIO_s_mem());
	assert_non_null(bio);
	assert_int_equal(i2d_PKCS8PrivateKey_bio(bio, fx.w.leaf_key,
	    EVP_aes_256_cbc(), NULL, 0, NULL, "der-secret"), 1);
	BIO_get_mem_ptr(bio, &mem);
	assert_int_equal(pki_write(p8enc, mem->data, mem->length), 0);
	BIO_free(bio);
	EVP_PKEY_free(key_ok(p8enc, "der-secret"));

	free(trad);
	free(p8);
	free(p8enc);
}

static void
test_load_key_pkcs12_gives_its_key(void **state)
{
	STACK_OF(X509) *ca = pki_stack(fx.w.intermediate, NULL);
	char *path = path_in("key.p12");

	(void)state;
	assert_int_equal(pki_write_p12(path, P12_PASSWORD, fx.w.leaf_key,
	    fx.leaf, ca), 0);
	EVP_PKEY_free(key_ok(path, P12_PASSWORD));
	sk_X509_pop_free(ca, X509_free);
	free(path);
}

static void
test_load_key_certificate_or_missing_or_empty_file_fails(void **state)
{
	char *cert = path_in("not-a-key.pem"), *missing = path_in("nokey.pem");
	char *empty = path_in("empty-key.pem"), *junk = path_in("junk.der");
	char *err;

	(void)state;
	assert_int_equal(pki_write_pem(cert, fx.leaf, NULL), 0);
	free(key_fails(cert, NULL));
	err = key_fails(missing, NULL);
	assert_contains(err, strerror(ENOENT));
	free(err);
	assert_int_equal(pki_write(empty, "", 0), 0);
	err = key_fails(empty, NULL);
	assert_contains(err, "empty file");
	free(err);
	assert_int_equal(pki_write(junk, "\x30\x03\x02\x01\x00", 5), 0);
	err = key_fails(junk, NULL);
	assert_contains(err, "not a private key");
	free(err);
	free(cert);
	free(missing);
	free(empty);
	free(junk);
}

/* load_password() */

static void
test_load_password_pass_gives_the_text(void **state)
{
	char *err = NULL, *pw;

	(void)state;
	pw = load_password("pass:s3cret", &err);
	assert_non_null(pw);
	assert_string_equal(pw, "s3cret");
	free(pw);
	pw = load_password("pass:with:colons and spaces", &err);
	assert_string_equal(pw, "with:colons and spaces");
	free(pw);
	pw = load_password("pass:", &err);
	assert_string_equal(pw, "");
	free(pw);
	assert_null(err);
}

static void
test_load_password_env_gives_the_variable(void **state)
{
	char *err = NULL, *pw;

	(void)state;
	assert_int_equal(setenv("BWC_TEST_P12_PASSWORD", "from-env", 1), 0);
	pw = load_password("env:BWC_TEST_P12_PASSWORD", &err);
	assert_non_null(pw);
	assert_string_equal(pw, "from-env");
	free(pw);
	assert_int_equal(unsetenv("BWC_TEST_P12_PASSWORD"), 0);
}

static void
test_load_password_missing_env_var_fails_naming_it(void **state)
{
	char *err = NULL;

	(void)state;
	assert_int_equal(unsetenv("BWC_TEST_NOT_SET"), 0);
	assert_null(load_password("env:BWC_TEST_NOT_SET", &err));
	assert_non_null(err);
	assert_contains(err, "BWC_TEST_NOT_SET");
	assert_contains(err, "is not set");
	free(err);
}

static void
test_load_password_file_gives_its_first_line(void **state)
{
	char *lf = path_in("pw-lf.txt"), *crlf = path_in("pw-crlf.txt");
	char *spec, *pw, *err = NULL;

	(void)state;
	assert_int_equal(pki_write(lf, "first line\nsecond\n", 18), 0);
	assert_int_equal(pki_write(crlf, "windows\r\nsecond\r\n", 17), 0);
	spec = xasprintf("file:%s", lf);
	pw = load_password(spec, &err);
	assert_non_null(pw);
	assert_string_equal(pw, "first line");
	free(pw);
	free(spec);
	spec = xasprintf("file:%s", crlf);
	pw = load_password(spec, &err);
	assert_non_null(pw);
	assert_string_equal(pw, "windows");
	free(pw);
	free(spec);
	free(lf);
	free(crlf);
}

static void
test_load_password_missing_file_fails_naming_it(void **state)
{
	char *path = path_in("no-password-file"), *spec, *err = NULL;

	(void)state;
	spec = xasprintf("file:%s", path);
	assert_null(load_password(spec, &err));
	assert_names(err, path);
	assert_contains(err, strerror(ENOENT));
	free(err);
	free(spec);
	free(path);
}

static void
test_load_password_unknown_form_fails_without_echoing_it(void **state)
{
	char *err = NULL;

	(void)state;
	assert_null(load_password("hunter2", &err));
	assert_non_null(err);
	assert_contains(err, "pass:");
	assert_null(strstr(err, "hunter2"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_der_key_shaped_is_a_sequence_opening_with_an_integer),
		cmocka_unit_test(test_load_p12_with_a_key_version_is_not_key_shaped),
		cmocka_unit_test(test_load_not_certificate_tells_a_key_a_readme_and_an_empty_file),
		cmocka_unit_test(test_load_ca_only_is_an_intermediate_bundle_not_a_chain),
		cmocka_unit_test(test_load_certs_mem_pem_single_gives_one_certificate),
		cmocka_unit_test(test_load_certs_mem_pem_many_keeps_their_order),
		cmocka_unit_test(test_load_certs_mem_pem_leaf_not_first_keeps_input_order),
		cmocka_unit_test(test_load_certs_mem_pem_text_between_blocks_is_ignored),
		cmocka_unit_test(test_load_certs_mem_pem_crlf_line_endings_load),
		cmocka_unit_test(test_load_certs_mem_pem_with_private_key_block_gives_the_key),
		cmocka_unit_test(test_load_certs_mem_pem_damaged_key_block_then_keys),
		cmocka_unit_test(test_load_certs_mem_appends_to_the_stack_given),
		cmocka_unit_test(test_load_certs_mem_der_single_gives_one_certificate),
		cmocka_unit_test(test_load_certs_mem_der_concatenated_gives_each_in_order),
		cmocka_unit_test(test_load_certs_mem_pkcs7_pem_gives_every_certificate),
		cmocka_unit_test(test_load_certs_mem_pkcs7_der_gives_every_certificate),
		cmocka_unit_test(test_load_certs_mem_pkcs7_without_certificates_fails),
		cmocka_unit_test(test_load_certs_mem_pkcs12_right_password_gives_chain_and_key),
		cmocka_unit_test(test_load_certs_mem_pkcs12_keeps_a_key_already_given),
		cmocka_unit_test(test_load_certs_mem_pkcs12_wrong_password_fails_saying_so),
		cmocka_unit_test(test_load_certs_mem_pkcs12_no_password_given_fails_asking_for_one),
		cmocka_unit_test(test_load_certs_mem_pkcs12_empty_password_opens_without_one),
		cmocka_unit_test(test_load_certs_mem_pkcs12_without_certificates_fails),
		cmocka_unit_test(test_load_certs_mem_truncated_pem_fails),
		cmocka_unit_test(test_load_certs_mem_bad_base64_fails),
		cmocka_unit_test(test_load_certs_mem_valid_base64_of_garbage_fails),
		cmocka_unit_test(test_load_certs_mem_pem_without_certificate_fails),
		cmocka_unit_test(test_load_certs_mem_garbage_der_fails),
		cmocka_unit_test(test_load_certs_mem_der_with_trailing_garbage_fails),
		cmocka_unit_test(test_load_certs_mem_empty_input_fails),
		cmocka_unit_test(test_load_certs_file_pem_loads),
		cmocka_unit_test(test_load_certs_file_pkcs12_wrong_password_names_the_file),
		cmocka_unit_test(test_load_certs_file_empty_file_fails_naming_it),
		cmocka_unit_test(test_load_certs_file_missing_fails_with_path_and_strerror),
		cmocka_unit_test(test_load_certs_file_directory_fails_naming_it),
		cmocka_unit_test(test_load_file_larger_than_max_is_refused),
		cmocka_unit_test(test_load_key_pem_loads),
		cmocka_unit_test(test_load_key_given_a_certificate_says_it_is_one),
		cmocka_unit_test(test_load_key_reads_the_first_key_block_of_a_pem_file),
		cmocka_unit_test(test_load_key_encrypted_pem_with_password_loads),
		cmocka_unit_test(test_load_key_encrypted_pem_without_password_fails_asking_for_one),
		cmocka_unit_test(test_load_key_der_traditional_and_pkcs8_load),
		cmocka_unit_test(test_load_key_pkcs12_gives_its_key),
		cmocka_unit_test(test_load_key_certificate_or_missing_or_empty_file_fails),
		cmocka_unit_test(test_load_password_pass_gives_the_text),
		cmocka_unit_test(test_load_password_env_gives_the_variable),
		cmocka_unit_test(test_load_password_missing_env_var_fails_naming_it),
		cmocka_unit_test(test_load_password_file_gives_its_first_line),
		cmocka_unit_test(test_load_password_missing_file_fails_naming_it),
		cmocka_unit_test(test_load_password_unknown_form_fails_without_echoing_it),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * hostile_gen.c - write the hostile certificates and files that
 * tests/cli/hostile.sh feeds to bwcertcheck.
 *
 *	hostile_gen TESTDATA OUTDIR
 *
 * TESTDATA is the test PKI made by testdata/mkpki.sh: its root,
 * intermediate and leaf keys sign everything here, so no RSA key is
 * generated (only 256 P-256 ones) and the run takes well under a second.  Everything is made fresh on each run,
 * so nothing expires.  The files, and what hostile.sh expects of each:
 *
 *   bundle-10k.pem      10,000 distinct RSA certificates in one PEM file
 *   der-deep.der        100,000 nested SEQUENCEs (definite lengths)
 *   pem-deep.pem        the same inside a CERTIFICATE block
 *   der-length-lie.der  a SEQUENCE that claims 2 GB and holds 100 bytes
 *   big-ext.pem         a good leaf with a 1 MB private extension, + intermediate
 *   san-10k.pem         a leaf with 10,000 SAN dNSNames, the last one the FQDN
 *   san-10k-miss.pem    10,000 SAN dNSNames, none the FQDN
 *   names-ctrl.pem      NUL, ESC, CSI (C1), CR LF, BEL and bidi overrides
 *                       in CN, O, OU and SAN dNSNames
 *   names-utf8.pem      valid UTF-8 names, an IDN SAN (xn--bcher-kva)
 *   names-bad-utf8.pem  invalid UTF-8 in UTF8String, a lone surrogate in a
 *                       BMPString, 0xff bytes in a SAN
 *   dup-san.pem         two subjectAltName extensions
 *   dup-bc.pem          two basicConstraints extensions
 *   dup-ext-ca.pem      a good leaf under an intermediate with two
 *                       basicConstraints extensions
 *   serial-negative.pem a negative serial number
 *   serial-40.pem       a 40-byte serial number
 *   loop.pem            leaf <- A <- B <- A: a loop, no root
 *   deep-chain.pem      a leaf and 19 intermediates (deep-root.pem is the root)
 *   expired-root.pem    a root that expired yesterday
 *   expired-root-chain.pem  leaf + intermediate under it
 *   p12-nocert.p12      a PKCS#12 holding a key and no certificate (test-pass)
 *   p12-iter.p12        a PKCS#12 whose MAC asks for 2^31 - 1 iterations
 *   p12-pbe-iter.p12    a PKCS#12 without MAC whose key and certificates
 *                       ask for 8,388,607 PBKDF2 iterations each
 *   key-iter.pem        an encrypted PKCS#8 key (test-pass) whose PBKDF2
 *                       asks for 2^31 - 1 iterations; key-iter.der the same
 *                       in DER; key-iter-chain.pem the key, then leaf and
 *                       intermediate
 *   key-scrypt.pem      an encrypted PKCS#8 key whose scrypt asks for
 *                       N = 2^15, r = 1, p = 2^16
 *   pem-blocks.pem      200,000 PEM blocks, none a certificate
 *   same-name-256.pem   256 self-issued certificates of one name, each
 *                       with its own key: every pair is a candidate issuer
 */
#define _GNU_SOURCE		/* memmem */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "pki.h"

#define FQDN "pbx.example.test"
#define PASS "test-pass"

static const char *outdir;
static X509 *root, *inter;
static EVP_PKEY *root_key, *inter_key, *leaf_key;

static void die(const char *, ...) __attribute__((format(printf, 1, 2),
    noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("hostile_gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static void *
must(void *p)
{
	if (p == NULL)
		die("out of memory");
	return p;
}

static char *
path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", outdir, name);
	return buf;
}

static X509 *
read_cert(const char *dir, const char *name)
{
	char p[4096];
	FILE *fp;
	X509 *x;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((fp = fopen(p, "r")) == NULL)
		die("%s: %s", p, strerror(errno));
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (x == NULL)
		die("%s: no certificate", p);
	return x;
}

static EVP_PKEY *
read_key(const char *dir, const char *name)
{
	char p[4096];
	FILE *fp;
	EVP_PKEY *k;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((fp = fopen(p, "r")) == NULL)
		die("%s: %s", p, strerror(errno));
	k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (k == NULL)
		die("%s: no key", p);
	return k;
}

static X509 *
issue(const struct pki_spec *spec)
{
	X509 *x = pki_issue(spec);

	if (x == NULL)
		die("cannot issue %s", spec->cn ? spec->cn : "(no CN)");
	return x;
}

/* A good leaf for FQDN under the test intermediate. */
static struct pki_spec
leaf_spec(void)
{
	return (struct pki_spec){
		.c = "US", .o = "BWC Hostile", .cn = FQDN,
		.dns = { { FQDN, 0 } },
		.key = leaf_key,
		.issuer = inter, .issuer_key = inter_key,
	};
}

static void
sign(X509 *x, EVP_PKEY *k)
{
	if (X509_sign(x, k, EVP_sha256()) <= 0)
		die("cannot sign");
}

static void
write_pem(const char *name, X509 *first, ...)
{
	va_list ap;
	X509 *x;
	FILE *fp;

	if ((fp = fopen(path(name), "w")) == NULL)
		die("%s: %s", path(name), strerror(errno));
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		if (PEM_write_X509(fp, x) != 1)
			die("%s: cannot write", name);
	va_end(ap);
	if (fclose(fp) != 0)
		die("%s: %s", name, strerror(errno));
}

static void
write_bytes(const char *name, const void *p, size_t len)
{
	if (pki_write(path(name), p, len) != 0)
		die("%s: cannot write", name);
}

/* Replace ext nid's value with der (or add it when absent). */
static void
add_raw_ext(X509 *x, const char *oid, const unsigned char *der, size_t len,
    bool critical)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *ext;

	if (obj == NULL || os == NULL ||
	    ASN1_OCTET_STRING_set(os, der, (int)len) != 1 ||
	    (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, critical, os)) == NULL ||
	    X509_add_ext(x, ext, -1) != 1)
		die("cannot add extension %s", oid);
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
}

/* ------------------------------------------------------------------ */

/*
 * 10,000 distinct certificates: one is issued, then its serial number is
 * rewritten in the DER for each copy (signing 10,000 would take seconds;
 * the loader reads them all the same, and the signatures do not matter).
 */
static void
gen_bundle_10k(void)
{
	struct pki_spec s = leaf_spec();
	unsigned char serial[16], *der = NULL, *at;
	const ASN1_INTEGER *sn;
	X509 *x;
	BIO *bio;
	FILE *fp;
	int len, i;

	memset(serial, 0x5a, sizeof(serial));
	s.serial = (struct pki_bytes){ serial, sizeof(serial) };
	x = issue(&s);
	if ((len = i2d_X509(x, &der)) <= 0)
		die("DER");
	sn = X509_get0_serialNumber(x);
	if ((at = memmem(der, (size_t)len, ASN1_STRING_get0_data(sn),
	    sizeof(serial))) == NULL)
		die("serial not found in the DER");
	if ((fp = fopen(path("bundle-10k.pem"), "w")) == NULL ||
	    (bio = BIO_new_fp(fp, BIO_CLOSE)) == NULL)
		die("bundle-10k.pem: %s", strerror(errno));
	for (i = 0; i < 10000; i++) {
		at[12] = (unsigned char)(i >> 24);
		at[13] = (unsigned char)(i >> 16);
		at[14] = (unsigned char)(i >> 8);
		at[15] = (unsigned char)i;
		if (PEM_write_bio(bio, "CERTIFICATE", "", der, len) <= 0)
			die("bundle-10k.pem: cannot write");
	}
	BIO_free(bio);
	OPENSSL_free(der);
	X509_free(x);
}

/* n nested SEQUENCEs with definite lengths, innermost empty. */
static unsigned char *
nested(size_t n, size_t *len)
{
	size_t cap = n * 6 + 2, start = cap, body = 0, i, hl;
	unsigned char *b = must(calloc(cap, 1)), hdr[6];

	for (i = 0; i < n; i++) {
		if (body < 0x80) {
			hdr[0] = 0x30;
			hdr[1] = (unsigned char)body;
			hl = 2;
		} else if (body < 0x10000) {
			hdr[0] = 0x30;
			hdr[1] = 0x82;
			hdr[2] = (unsigned char)(body >> 8);
			hdr[3] = (unsigned char)body;
			hl = 4;
		} else {
			hdr[0] = 0x30;
			hdr[1] = 0x83;
			hdr[2] = (unsigned char)(body >> 16);
			hdr[3] = (unsigned char)(body >> 8);
			hdr[4] = (unsigned char)body;
			hl = 5;
		}
		start -= hl;
		memcpy(b + start, hdr, hl);
		body += hl;
	}
	memmove(b, b + start, body);
	*len = body;
	return b;
}

static void
gen_asn1(void)
{
	size_t len;
	unsigned char *der = nested(100000, &len), lie[106];
	BIO *bio;
	FILE *fp;

	write_bytes("der-deep.der", der, len);
	if ((fp = fopen(path("pem-deep.pem"), "w")) == NULL ||
	    (bio = BIO_new_fp(fp, BIO_CLOSE)) == NULL ||
	    PEM_write_bio(bio, "CERTIFICATE", "", der, (long)len) <= 0)
		die("pem-deep.pem: cannot write");
	BIO_free(bio);
	free(der);

	memset(lie, 0x41, sizeof(lie));
	memcpy(lie, "\x30\x84\x7f\xff\xff\xff", 6);
	write_bytes("der-length-lie.der", lie, sizeof(lie));
}

static void
gen_big_ext(void)
{
	struct pki_spec s = leaf_spec();
	size_t n = 1024 * 1024, i;
	unsigned char *der = must(malloc(n + 8));
	X509 *x;

	/* An OCTET STRING of 1 MB, inside the extension's own OCTET STRING. */
	der[0] = 0x04;
	der[1] = 0x83;
	der[2] = (unsigned char)(n >> 16);
	der[3] = (unsigned char)(n >> 8);
	der[4] = (unsigned char)n;
	for (i = 0; i < n; i++)
		der[5 + i] = (unsigned char)(i * 7);
	x = issue(&s);
	add_raw_ext(x, "1.3.6.1.4.1.55555.1", der, n + 5, false);
	sign(x, inter_key);
	write_pem("big-ext.pem", x, inter, NULL);
	X509_free(x);
	free(der);
}

static void
set_sans(X509 *x, int n, bool last_is_fqdn, EVP_PKEY *signer)
{
	GENERAL_NAMES *gens = GENERAL_NAMES_new();
	GENERAL_NAME *g;
	ASN1_IA5STRING *ia5;
	char name[64];
	int i, idx;

	for (i = 0; i < n; i++) {
		if (i == n - 1 && last_is_fqdn)
			snprintf(name, sizeof(name), "%s", FQDN);
		else
			snprintf(name, sizeof(name), "h%d.example.test", i);
		if ((g = GENERAL_NAME_new()) == NULL ||
		    (ia5 = ASN1_IA5STRING_new()) == NULL ||
		    ASN1_STRING_set(ia5, name, -1) != 1)
			die("SAN");
		GENERAL_NAME_set0_value(g, GEN_DNS, ia5);
		sk_GENERAL_NAME_push(gens, g);
	}
	while ((idx = X509_get_ext_by_NID(x, NID_subject_alt_name, -1)) >= 0)
		X509_EXTENSION_free(X509_delete_ext(x, idx));
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) != 1)
		die("cannot add the SAN");
	GENERAL_NAMES_free(gens);
	sign(x, signer);
}

static void
gen_san_10k(void)
{
	struct pki_spec s = leaf_spec();
	X509 *x = issue(&s), *y = issue(&s);

	set_sans(x, 10000, true, inter_key);
	write_pem("san-10k.pem", x, inter, NULL);
	set_sans(y, 10000, false, inter_key);
	write_pem("san-10k-miss.pem", y, inter, NULL);
	X509_free(x);
	X509_free(y);
}

/* Add an entry of ASN.1 string type to name, from raw bytes. */
static void
name_add(X509_NAME *name, int nid, int type, const void *p, size_t len)
{
	if (X509_NAME_add_entry_by_NID(name, nid, type, p, (int)len, -1,
	    0) != 1)
		die("name entry %d", nid);
}

#define LIT(s) (s), sizeof(s) - 1

static void
gen_names(void)
{
	struct pki_spec s = leaf_spec();
	X509_NAME *name;
	X509 *x;

	/* Control characters: NUL, ESC sequences, C1 CSI, CR LF, BEL, bidi. */
	s.dns[0] = (struct pki_bytes)PKI_BYTES("\033]0;pwned\007.example.test");
	s.dns[1] = (struct pki_bytes)PKI_BYTES("evil\r\nX-Injected: 1.example.test");
	s.dns[2] = (struct pki_bytes)PKI_BYTES(FQDN "\0.evil.test");
	s.dns[3] = (struct pki_bytes)PKI_BYTES("\302\23331mred.example.test");
	s.dns[4] = (struct pki_bytes)PKI_BYTES("\033[2J\033[H.example.test");
	x = issue(&s);
	name = X509_NAME_new();
	name_add(name, NID_countryName, V_ASN1_PRINTABLESTRING, LIT("US"));
	name_add(name, NID_organizationName, V_ASN1_UTF8STRING,
	    LIT("\033[2J\033[31mEvil\302\233 Corp\r\nInjected: yes\007"));
	name_add(name, NID_organizationalUnitName, V_ASN1_UTF8STRING,
	    LIT("\342\200\256gnp.exe\342\200\254 \357\273\277"));
	name_add(name, NID_commonName, V_ASN1_T61STRING,
	    LIT("t61 \233 csi"));
	name_add(name, NID_commonName, V_ASN1_UTF8STRING,
	    LIT(FQDN "\0\033]8;;http://evil/\033\\click\033]8;;\033\\"));
	X509_set_subject_name(x, name);
	X509_NAME_free(name);
	sign(x, inter_key);
	write_pem("names-ctrl.pem", x, inter, NULL);
	X509_free(x);

	/* Valid UTF-8 everywhere, and an IDN. */
	s = leaf_spec();
	s.o = "Soci\303\251t\303\251 G\303\251n\303\251rale \346\240\252\345\274\217\344\274\232\347\244\276";
	s.cn = "B\303\274cher \316\251 \346\227\245\346\234\254 \360\237\230\200";
	s.dns[0] = (struct pki_bytes){ "xn--bcher-kva.example.test", 0 };
	x = issue(&s);
	write_pem("names-utf8.pem", x, inter, NULL);
	X509_free(x);

	/* Invalid UTF-8: overlong, surrogate, stray bytes; a lone UTF-16 surrogate. */
	s = leaf_spec();
	s.dns[0] = (struct pki_bytes)PKI_BYTES("\377\376.example.test");
	s.dns[1] = (struct pki_bytes){ FQDN, 0 };
	x = issue(&s);
	name = X509_NAME_new();
	name_add(name, NID_organizationName, V_ASN1_UTF8STRING,
	    LIT("bad \300\257 \355\240\200 \370\210\200\200\200 \200 \377"));
	name_add(name, NID_organizationalUnitName, V_ASN1_BMPSTRING,
	    LIT("\000A\330\000\000B"));
	name_add(name, NID_commonName, V_ASN1_UTF8STRING,
	    LIT("pbx\377.example.test"));
	X509_set_subject_name(x, name);
	X509_NAME_free(name);
	sign(x, inter_key);
	write_pem("names-bad-utf8.pem", x, inter, NULL);
	X509_free(x);
}

static void
gen_dups(void)
{
	struct pki_spec s = leaf_spec();
	X509 *x = issue(&s), *ca;
	/* SEQUENCE { [2] "other.example.test" } */
	static const unsigned char san[] = "\x30\x14\x82\x12other.example.test";
	/* SEQUENCE { BOOLEAN TRUE }: CA:TRUE */
	static const unsigned char bc[] = "\x30\x03\x01\x01\xff";

	add_raw_ext(x, "2.5.29.17", san, sizeof(san) - 1, false);
	sign(x, inter_key);
	write_pem("dup-san.pem", x, inter, NULL);
	X509_free(x);

	x = issue(&s);
	add_raw_ext(x, "2.5.29.19", bc, sizeof(bc) - 1, true);
	sign(x, inter_key);
	write_pem("dup-bc.pem", x, inter, NULL);
	X509_free(x);

	/* The intermediate has the duplicate: a good leaf under it. */
	ca = issue(&(struct pki_spec){ .c = "US", .o = "BWC Hostile",
	    .cn = "Dup Ext CA", .ca = true, .key = inter_key, .issuer = root,
	    .issuer_key = root_key });
	add_raw_ext(ca, "2.5.29.19", bc, sizeof(bc) - 1, true);
	sign(ca, root_key);
	s.issuer = ca;
	x = issue(&s);
	write_pem("dup-ext-ca.pem", x, ca, NULL);
	X509_free(x);
	X509_free(ca);
}

static void
gen_serials(void)
{
	struct pki_spec s = leaf_spec();
	unsigned char big[40];
	X509 *x;
	size_t i;

	s.serial = (struct pki_bytes){ "\x12\x34\x56\x78", 4 };
	s.serial_negative = true;
	x = issue(&s);
	write_pem("serial-negative.pem", x, inter, NULL);
	X509_free(x);

	for (i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(0x71 + i);
	s = leaf_spec();
	s.serial = (struct pki_bytes){ big, sizeof(big) };
	x = issue(&s);
	write_pem("serial-40.pem", x, inter, NULL);
	X509_free(x);
}

static void
gen_chains(void)
{
	time_t now = time(NULL);
	X509 *a, *b, *a2, *leaf, *chain[20], *er, *ei, *el;
	struct pki_spec s;
	int i;
	FILE *fp;
	char cn[64];

	/* A loop: A is issued by B, B by A; the leaf by A.  No root. */
	b = issue(&(struct pki_spec){ .cn = "Loop CA B", .ca = true,
	    .key = inter_key, .issuer_key = inter_key });
	a = issue(&(struct pki_spec){ .cn = "Loop CA A", .ca = true,
	    .key = root_key, .issuer = b, .issuer_key = inter_key });
	a2 = issue(&(struct pki_spec){ .cn = "Loop CA B", .ca = true,
	    .key = inter_key, .issuer = a, .issuer_key = root_key });
	s = leaf_spec();
	s.issuer = a;
	s.issuer_key = root_key;
	leaf = issue(&s);
	write_pem("loop.pem", leaf, a, a2, NULL);
	X509_free(leaf);
	X509_free(a);
	X509_free(a2);
	X509_free(b);

	/* 20 deep: root, 19 intermediates, the leaf; keys alternate. */
	chain[0] = issue(&(struct pki_spec){ .cn = "Deep Root", .ca = true,
	    .key = root_key, .not_before = now - 2 * 365 * PKI_DAY,
	    .not_after = now + 10 * 365 * PKI_DAY });
	for (i = 1; i < 20; i++) {
		snprintf(cn, sizeof(cn), "Deep CA %d", i);
		chain[i] = issue(&(struct pki_spec){ .cn = cn, .ca = true,
		    .key = i % 2 ? inter_key : root_key,
		    .not_before = now - 365 * PKI_DAY,
		    .not_after = now + 5 * 365 * PKI_DAY,
		    .issuer = chain[i - 1],
		    .issuer_key = (i - 1) % 2 ? inter_key : root_key });
	}
	s = leaf_spec();
	s.issuer = chain[19];
	s.issuer_key = inter_key;
	leaf = issue(&s);
	write_pem("deep-root.pem", chain[0], NULL);
	if ((fp = fopen(path("deep-chain.pem"), "w")) == NULL ||
	    PEM_write_X509(fp, leaf) != 1)
		die("deep-chain.pem");
	for (i = 19; i >= 1; i--)
		if (PEM_write_X509(fp, chain[i]) != 1)
			die("deep-chain.pem");
	fclose(fp);
	for (i = 0; i < 20; i++)
		X509_free(chain[i]);
	X509_free(leaf);

	/* An expired root with a valid intermediate and leaf under it. */
	er = issue(&(struct pki_spec){ .c = "US", .o = "BWC Hostile",
	    .cn = "Expired Root", .ca = true, .key = root_key,
	    .not_before = now - 3 * 365 * PKI_DAY, .not_after = now - PKI_DAY });
	ei = issue(&(struct pki_spec){ .c = "US", .o = "BWC Hostile",
	    .cn = "Under Expired Root", .ca = true, .has_pathlen = true,
	    .key = inter_key, .issuer = er, .issuer_key = root_key,
	    .not_before = now - 365 * PKI_DAY,
	    .not_after = now + 365 * PKI_DAY });
	s = leaf_spec();
	s.issuer = ei;
	s.issuer_key = inter_key;
	el = issue(&s);
	write_pem("expired-root.pem", er, NULL);
	write_pem("expired-root-chain.pem", el, ei, NULL);
	X509_free(er);
	X509_free(ei);
	X509_free(el);
}

static unsigned char *
p12_der(PKCS12 *p12, size_t *len)
{
	unsigned char *der = NULL;
	int n;

	if (p12 == NULL || (n = i2d_PKCS12(p12, &der)) <= 0)
		die("PKCS#12");
	*len = (size_t)n;
	PKCS12_free(p12);
	return der;
}

/* Make the PBKDF2 count of a PBES2 AlgorithmIdentifier 2^31 - 1. */
static void
endless_pbkdf2(X509_ALGOR *alg)
{
	PBE2PARAM *pbe2;
	PBKDF2PARAM *kdf;

	if ((pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM),
	    alg->parameter)) == NULL ||
	    (kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM),
	    pbe2->keyfunc->parameter)) == NULL ||
	    ASN1_INTEGER_set(kdf->iter, 0x7fffffff) != 1 ||
	    ASN1_TYPE_pack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), kdf,
	    &pbe2->keyfunc->parameter) == NULL ||
	    ASN1_TYPE_pack_sequence(ASN1_ITEM_rptr(PBE2PARAM), pbe2,
	    &alg->parameter) == NULL)
		die("PBES2 parameters");
	PBKDF2PARAM_free(kdf);
	PBE2PARAM_free(pbe2);
}

/* Make the scrypt parallelization of a PBES2 AlgorithmIdentifier 2^16. */
static void
endless_scrypt(X509_ALGOR *alg)
{
	PBE2PARAM *pbe2;
	SCRYPT_PARAMS *sp;

	if ((pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM),
	    alg->parameter)) == NULL ||
	    (sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS),
	    pbe2->keyfunc->parameter)) == NULL ||
	    ASN1_INTEGER_set(sp->parallelizationParameter, 1 << 16) != 1 ||
	    ASN1_TYPE_pack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), sp,
	    &pbe2->keyfunc->parameter) == NULL ||
	    ASN1_TYPE_pack_sequence(ASN1_ITEM_rptr(PBE2PARAM), pbe2,
	    &alg->parameter) == NULL)
		die("scrypt parameters");
	SCRYPT_PARAMS_free(sp);
	PBE2PARAM_free(pbe2);
}

/*
 * An encrypted PKCS#8 key whose PBKDF2 asks for 2^31 - 1 iterations
 * (made with 1, then the count changed), alone and beside a chain.
 */
static void
gen_key_iter(void)
{
	PKCS8_PRIV_KEY_INFO *inf = EVP_PKEY2PKCS8(leaf_key);
	struct pki_spec s = leaf_spec();
	X509_SIG *p8;
	X509 *x;
	X509_ALGOR *p8alg;
	const X509_ALGOR *alg;
	FILE *fp;

	if (inf == NULL || (p8 = PKCS8_encrypt(-1, EVP_aes_256_cbc(), PASS,
	    -1, NULL, 0, 1, inf)) == NULL)
		die("PKCS#8");
	X509_SIG_get0(p8, &alg, NULL);
	endless_pbkdf2((X509_ALGOR *)alg);
	if ((fp = fopen(path("key-iter.pem"), "w")) == NULL ||
	    PEM_write_PKCS8(fp, p8) != 1 || fclose(fp) != 0)
		die("key-iter.pem");
	x = issue(&s);
	if ((fp = fopen(path("key-iter-chain.pem"), "w")) == NULL ||
	    PEM_write_PKCS8(fp, p8) != 1 || PEM_write_X509(fp, x) != 1 ||
	    PEM_write_X509(fp, inter) != 1 || fclose(fp) != 0)
		die("key-iter-chain.pem");
	X509_free(x);
	if ((fp = fopen(path("key-iter.der"), "wb")) == NULL ||
	    i2d_PKCS8_fp(fp, p8) != 1 || fclose(fp) != 0)
		die("key-iter.der");
	X509_SIG_free(p8);

	/* scrypt with N = 2^15, r = 1, p = 2^16: within OpenSSL's memory limit, minutes of mixing. */
	if ((p8alg = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, 0, NULL,
	    32768, 1, 1)) == NULL ||
	    (p8 = PKCS8_set0_pbe(PASS, -1, inf, p8alg)) == NULL)
		die("PKCS#8 with scrypt");
	X509_SIG_get0(p8, &alg, NULL);
	endless_scrypt((X509_ALGOR *)alg);
	if ((fp = fopen(path("key-scrypt.pem"), "w")) == NULL ||
	    PEM_write_PKCS8(fp, p8) != 1 || fclose(fp) != 0)
		die("key-scrypt.pem");
	X509_SIG_free(p8);
	PKCS8_PRIV_KEY_INFO_free(inf);
}

static void
gen_p12(void)
{
	X509 *leaf = issue(&(struct pki_spec){ .cn = FQDN,
	    .dns = { { FQDN, 0 } }, .key = leaf_key, .issuer = inter,
	    .issuer_key = inter_key });
	const ASN1_INTEGER *iter = NULL;
	unsigned char *der;
	size_t len, i, patched = 0;
	PKCS12 *p12;

	der = p12_der(PKCS12_create(PASS, "key only", leaf_key, NULL, NULL,
	    0, 0, 0, 0, 0), &len);
	write_bytes("p12-nocert.p12", der, len);
	OPENSSL_free(der);

	/*
	 * A MAC that asks for 2^31 - 1 iterations of its KDF.  Made with
	 * the default count, then the count alone is changed: computing
	 * such a MAC would take minutes (which is the point).
	 */
	p12 = PKCS12_create(PASS, "slow mac", leaf_key, leaf, NULL, 0, 0, 0,
	    0, 0);
	if (p12 == NULL)
		die("PKCS#12");
	PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
	if (iter == NULL || ASN1_INTEGER_set((ASN1_INTEGER *)iter,
	    0x7fffffff) != 1)
		die("PKCS#12 MAC iterations");
	der = p12_der(p12, &len);
	write_bytes("p12-iter.p12", der, len);
	OPENSSL_free(der);

	/*
	 * No MAC; the key bag and the certificate safe ask for 8,388,607
	 * PBKDF2 iterations each: made with 32768 (INTEGER 02 03 00 80 00),
	 * then each count is patched to 02 03 7f ff ff, the same length.
	 */
	der = p12_der(PKCS12_create(PASS, "slow pbe", leaf_key, leaf, NULL, 0,
	    0, 32768, -1, 0), &len);
	for (i = 0; i + 5 <= len; i++)
		if (memcmp(der + i, "\x02\x03\x00\x80\x00", 5) == 0) {
			memcpy(der + i, "\x02\x03\x7f\xff\xff", 5);
			patched++;
		}
	if (patched < 2)
		die("PKCS#12: found %zu iteration counts to patch", patched);
	write_bytes("p12-pbe-iter.p12", der, len);
	OPENSSL_free(der);
	X509_free(leaf);
}

/* 256 self-issued CA certificates, one name, each its own P-256 key. */
static void
gen_same_name(void)
{
	EVP_PKEY *k;
	X509 *x;
	FILE *fp;
	int i;

	if ((fp = fopen(path("same-name-256.pem"), "w")) == NULL)
		die("same-name-256.pem: %s", strerror(errno));
	for (i = 0; i < 256; i++) {
		if ((k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL)
			die("P-256 key");
		x = issue(&(struct pki_spec){ .cn = "Same Name", .ca = true,
		    .key = k, .no_skid = true, .no_akid = true });
		if (PEM_write_X509(fp, x) != 1)
			die("same-name-256.pem: cannot write");
		X509_free(x);
		EVP_PKEY_free(k);
	}
	fclose(fp);
}

static void
gen_pem_blocks(void)
{
	FILE *fp;
	int i;

	if ((fp = fopen(path("pem-blocks.pem"), "w")) == NULL)
		die("pem-blocks.pem");
	for (i = 0; i < 200000; i++)
		fputs("-----BEGIN X-----\nAAAA\n-----END X-----\n", fp);
	if (fclose(fp) != 0)
		die("pem-blocks.pem");
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hostile_gen TESTDATA OUTDIR\n");
		return 2;
	}
	outdir = argv[2];
	root = read_cert(argv[1], "root.pem");
	inter = read_cert(argv[1], "intermediate.pem");
	root_key = read_key(argv[1], "root.key");
	inter_key = read_key(argv[1], "intermediate.key");
	leaf_key = read_key(argv[1], "good.key");

	gen_bundle_10k();
	gen_asn1();
	gen_big_ext();
	gen_san_10k();
	gen_names();
	gen_dups();
	gen_serials();
	gen_chains();
	gen_p12();
	gen_key_iter();
	gen_pem_blocks();
	gen_same_name();

	X509_free(root);
	X509_free(inter);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(leaf_key);
	pki_key_free_all();
	return 0;
}

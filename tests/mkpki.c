/*
 * mkpki.c - write the test PKI as files, at test time, so nothing
 * committed ever expires.  testdata/mkpki.sh OUTDIR runs it;
 * testdata/README.md lists every file and what it exercises.
 *
 * It is the same in-memory PKI the unit tests use (tests/pki.c), written
 * out: two hierarchies of RSA-2048 CAs, one leaf per rule to pass or
 * fail (NAME-leaf.pem, NAME.pem as a server sends it, NAME.key), the
 * good chain in every input format, and broken inputs.  Times are
 * relative to now; serial numbers are random; everything else is the
 * same on every run.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "pki.h"

#define FQDN "pbx.example.test"
#define PASSWORD "test-pass"

static const char *out;
static time_t now;

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("mkpki: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* OUTDIR/name, in a static buffer valid until the next call. */
static const char *
path(const char *name)
{
	static char buf[4096];

	if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", out, name) >=
	    sizeof(buf))
		die("%s/%s: path too long", out, name);
	return buf;
}

static time_t
days(long n)
{
	return now + (time_t)n * PKI_DAY;
}

static X509 *
issue(const struct pki_spec *spec)
{
	X509 *x = pki_issue(spec);

	if (x == NULL)
		die("cannot issue %s", spec->cn != NULL ? spec->cn : "?");
	return x;
}

static void
write_file(const char *name, const void *data, size_t len)
{
	if (pki_write(path(name), data, len) != 0)
		die("cannot write %s", path(name));
}

/* name holds the certificates given, up to the first NULL, as PEM. */
static void
write_pem(const char *name, X509 *first, ...)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	unsigned char *pem;
	size_t len;
	va_list ap;
	X509 *x;

	if (sk == NULL)
		die("out of memory");
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		if (sk_X509_push(sk, x) <= 0)
			die("out of memory");
	va_end(ap);
	if ((pem = pki_pem(sk, &len)) == NULL)
		die("cannot encode %s", name);
	write_file(name, pem, len);
	free(pem);
	sk_X509_free(sk);
}

static void
write_key(const char *name, EVP_PKEY *key)
{
	if (pki_write_key(path(name), key, NULL) != 0)
		die("cannot write %s", path(name));
}

/* The text of a file this program wrote, NUL-terminated. */
static char *
slurp(const char *name, size_t *len)
{
	FILE *f;
	char *buf;
	long n;

	if ((f = fopen(path(name), "rb")) == NULL ||
	    fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		die("%s: %s", path(name), strerror(errno));
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("%s: cannot read", path(name));
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The CAs of both hierarchies, their keys, and the leaves' keys. */
struct cas {
	X509 *root, *intermediate, *other_root, *other_intermediate;
	X509 *intermediate_expired;	/* same name and key, expired */
	EVP_PKEY *root_key, *intermediate_key;
	EVP_PKEY *other_root_key, *other_intermediate_key;
	EVP_PKEY *leaf_key, *rsa1024_key, *ec_key, *unrelated_key;
};

static X509 *
ca(const char *o, const char *cn, EVP_PKEY *key, X509 *issuer,
    EVP_PKEY *issuer_key, long from, long to)
{
	struct pki_spec spec = {
		.c = "US", .o = o, .cn = cn, .ca = true,
		.key = key, .issuer = issuer, .issuer_key = issuer_key,
		.not_before = days(from), .not_after = days(to),
	};

	/* An issuing CA: pathlen 0 and the usages it may issue for. */
	if (issuer != NULL) {
		spec.has_pathlen = true;
		spec.eku = PKI_EKU_SERVER_AUTH | PKI_EKU_CLIENT_AUTH;
	}
	return issue(&spec);
}

static void
make_cas(struct cas *c)
{
	if ((c->leaf_key = pki_key_rsa_nth(2048, 0)) == NULL ||
	    (c->root_key = pki_key_rsa_nth(2048, 1)) == NULL ||
	    (c->intermediate_key = pki_key_rsa_nth(2048, 2)) == NULL ||
	    (c->other_root_key = pki_key_rsa_nth(2048, 3)) == NULL ||
	    (c->other_intermediate_key = pki_key_rsa_nth(2048, 4)) == NULL ||
	    (c->unrelated_key = pki_key_rsa_nth(2048, 5)) == NULL ||
	    (c->rsa1024_key = pki_key_rsa(1024)) == NULL ||
	    (c->ec_key = pki_key_ec("P-256")) == NULL)
		die("cannot make the keys");
	c->root = ca("BWC Test PKI", "BWC Test Root CA", c->root_key, NULL,
	    NULL, -730, 3650);
	c->intermediate = ca("BWC Test PKI", "BWC Test Issuing CA",
	    c->intermediate_key, c->root, c->root_key, -365, 1825);
	c->other_root = ca("Other Test PKI", "Other Test Root",
	    c->other_root_key, NULL, NULL, -730, 3650);
	c->other_intermediate = ca("Other Test PKI", "Other Test Issuing CA",
	    c->other_intermediate_key, c->other_root, c->other_root_key,
	    -365, 1825);
	c->intermediate_expired = ca("BWC Test PKI", "BWC Test Issuing CA",
	    c->intermediate_key, c->root, c->root_key, -400, -30);
	write_pem("root.pem", c->root, NULL);
	write_pem("intermediate.pem", c->intermediate, NULL);
	write_pem("other-root.pem", c->other_root, NULL);
	write_pem("other-intermediate.pem", c->other_intermediate, NULL);
	write_key("root.key", c->root_key);
	write_key("intermediate.key", c->intermediate_key);
	write_key("other-root.key", c->other_root_key);
	write_key("other-intermediate.key", c->other_intermediate_key);
	write_key("unrelated.key", c->unrelated_key);
}

/* How NAME.pem holds the leaf. */
enum shape {
	CHAIN_NORMAL,		/* leaf, then its issuer */
	CHAIN_REVERSE,		/* issuer, then leaf */
	CHAIN_LEAF_ONLY,
	CHAIN_SELF		/* self-signed leaf alone */
};

/* A good leaf for FQDN under "BWC Test Issuing CA"; a leaf changes what it is about. */
static struct pki_spec
good_spec(const struct cas *c)
{
	return (struct pki_spec){
		.cn = FQDN,
		.dns = { { FQDN, 0 } },
		.ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_KEY_ENCIPHERMENT,
		.eku = PKI_EKU_SERVER_AUTH | PKI_EKU_CLIENT_AUTH,
		.key = c->leaf_key,
		.issuer = c->intermediate, .issuer_key = c->intermediate_key,
		.not_before = days(-1), .not_after = days(90),
	};
}

/* Issue spec as leaf NAME: NAME-leaf.pem, NAME.pem, NAME.key. */
static X509 *
leaf(const char *name, struct pki_spec spec, enum shape shape)
{
	char file[256];
	X509 *x;

	if (shape == CHAIN_SELF) {
		spec.issuer = NULL;
		spec.issuer_key = NULL;
		spec.no_akid = true;
	}
	x = issue(&spec);
	snprintf(file, sizeof(file), "%s-leaf.pem", name);
	write_pem(file, x, NULL);
	snprintf(file, sizeof(file), "%s.pem", name);
	switch (shape) {
	case CHAIN_NORMAL:
		write_pem(file, x, spec.issuer, NULL);
		break;
	case CHAIN_REVERSE:
		write_pem(file, spec.issuer, x, NULL);
		break;
	case CHAIN_LEAF_ONLY:
	case CHAIN_SELF:
		write_pem(file, x, NULL);
		break;
	}
	snprintf(file, sizeof(file), "%s.key", name);
	write_key(file, spec.key);
	return x;
}

/* One leaf per rule; the good one is returned for the other formats. */
static X509 *
make_leaves(const struct cas *c)
{
	struct pki_spec s;
	X509 *good;

	good = leaf("good", good_spec(c), CHAIN_NORMAL);

	s = good_spec(c);
	s.cn = "*.example.test";
	s.dns[0] = (struct pki_bytes){ "*.example.test", 0 };
	X509_free(leaf("wildcard", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.key = c->ec_key;
	s.ku = PKI_KU_DIGITAL_SIGNATURE;
	X509_free(leaf("ec", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.key = c->rsa1024_key;
	X509_free(leaf("rsa1024", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.md = EVP_sha1();
	X509_free(leaf("sha1", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.md = EVP_md5();
	X509_free(leaf("md5", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.not_before = days(-100);
	s.not_after = days(-10);
	X509_free(leaf("expired", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.not_after = days(5);
	X509_free(leaf("expiring", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.not_before = days(30);
	s.not_after = days(120);
	X509_free(leaf("not-yet-valid", s, CHAIN_NORMAL));

	X509_free(leaf("self-signed", good_spec(c), CHAIN_SELF));

	s = good_spec(c);
	s.ca = true;
	s.ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_KEY_ENCIPHERMENT |
	    PKI_KU_KEY_CERT_SIGN;
	X509_free(leaf("leaf-is-ca", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.eku = PKI_EKU_CLIENT_AUTH;
	X509_free(leaf("no-serverauth", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.ku = PKI_KU_DIGITAL_SIGNATURE;
	X509_free(leaf("no-keyencipherment", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.ku = PKI_KU_ABSENT;
	X509_free(leaf("no-ku", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.eku = PKI_EKU_SERVER_AUTH;
	X509_free(leaf("no-clientauth", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.eku = PKI_EKU_ABSENT;
	X509_free(leaf("no-eku", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.cn = "other.example.test";
	s.dns[0] = (struct pki_bytes){ "other.example.test", 0 };
	X509_free(leaf("wrong-name", s, CHAIN_NORMAL));

	s = good_spec(c);
	s.dns[0] = (struct pki_bytes){ NULL, 0 };
	X509_free(leaf("cn-only", s, CHAIN_NORMAL));

	/* A NUL inside a name, and an escape sequence. */
	s = good_spec(c);
	s.dns[0] = (struct pki_bytes)PKI_BYTES("pbx.example.test\0.evil.test");
	s.dns[1] = (struct pki_bytes)PKI_BYTES("\x1b[31mred.example.test");
	X509_free(leaf("nul-san", s, CHAIN_NORMAL));

	X509_free(leaf("reversed", good_spec(c), CHAIN_REVERSE));

	s = good_spec(c);
	s.aia_ca_issuers = "http://pki.example.test/issuing.crt";
	X509_free(leaf("incomplete", s, CHAIN_LEAF_ONLY));

	s = good_spec(c);
	s.issuer = c->other_intermediate;
	s.issuer_key = c->other_intermediate_key;
	X509_free(leaf("unlisted-ca", s, CHAIN_NORMAL));
	return good;
}

/* PKCS#12 as older Windows exports it: 3DES and a SHA-1 MAC. */
static void
write_p12_3des(const char *name, EVP_PKEY *key, X509 *x, STACK_OF(X509) *ca)
{
	PKCS12 *p12;
	FILE *f;

	p12 = PKCS12_create(PASSWORD, FQDN, key, x, ca,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC, 0, -1, 0);
	if (p12 == NULL ||
	    PKCS12_set_mac(p12, PASSWORD, -1, NULL, 0,
	    PKCS12_DEFAULT_ITER, EVP_sha1()) != 1 ||
	    (f = fopen(path(name), "wb")) == NULL)
		die("cannot make %s", name);
	if (i2d_PKCS12_fp(f, p12) != 1 || fclose(f) != 0)
		die("cannot write %s", path(name));
	PKCS12_free(p12);
}

static void
write_traditional_key(const char *name, EVP_PKEY *key)
{
	BIO *bio;

	if ((bio = BIO_new_file(path(name), "w")) == NULL ||
	    PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0,
	    NULL, NULL) != 1)
		die("cannot write %s", path(name));
	BIO_free(bio);
}

/* The good chain in every input format, and with the root. */
static void
make_formats(const struct cas *c, X509 *good)
{
	STACK_OF(X509) *chain, *ca;
	unsigned char *p12;
	char *text, *crlf;
	size_t len, i, n;

	write_pem("good-with-root.pem", good, c->intermediate, c->root, NULL);
	write_pem("expired-intermediate-leaf.pem", good, NULL);
	write_key("expired-intermediate.key", c->leaf_key);
	write_pem("expired-intermediate.pem", good, c->intermediate_expired,
	    NULL);
	if (pki_write_der(path("good.der"), good) != 0 ||
	    pki_write_der(path("intermediate.der"), c->intermediate) != 0)
		die("cannot write DER");
	if ((chain = pki_stack(good, c->intermediate, NULL)) == NULL ||
	    (ca = pki_stack(c->intermediate, NULL)) == NULL)
		die("out of memory");
	if (pki_write_p7(path("good-pem.p7b"), PKI_PEM, chain) != 0 ||
	    pki_write_p7(path("good-der.p7b"), PKI_DER, chain) != 0)
		die("cannot write PKCS#7");
	if ((p12 = pki_p12(PASSWORD, c->leaf_key, good, ca, &len)) == NULL)
		die("cannot make good.p12");
	write_file("good.p12", p12, len);
	free(p12);
	write_p12_3des("good-3des.p12", c->leaf_key, good, ca);
	if (pki_write_key(path("good-enc.key"), c->leaf_key, PASSWORD) != 0)
		die("cannot write good-enc.key");
	write_traditional_key("good-traditional.key", c->leaf_key);

	text = slurp("good.pem", &len);
	if ((crlf = malloc(2 * len + 1)) == NULL)
		die("out of memory");
	for (i = n = 0; i < len; i++) {
		if (text[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = text[i];
	}
	write_file("good-crlf.pem", crlf, n);
	free(crlf);
	free(text);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(ca, X509_free);
}

/* Inputs no loader should accept. */
static void
make_broken(void)
{
	static const char bad_base64[] =
	    "-----BEGIN CERTIFICATE-----\n"
	    "MIIB!!!!not*base64@@@@ this is not a certificate ~~~~\n"
	    "-----END CERTIFICATE-----\n";
	/* A SEQUENCE that claims 65535 bytes and holds 8. */
	static const unsigned char garbage[] = {
		0x30, 0x82, 0xff, 0xff, 0x02, 0x01, 0x01, 0x30, 0x03, 0x01,
		0x01, 0xff,
	};
	char *text;
	size_t len, i, lines = 0;

	/* The first ten lines of a certificate. */
	text = slurp("good-leaf.pem", &len);
	for (i = 0; i < len && lines < 10; i++)
		if (text[i] == '\n')
			lines++;
	write_file("truncated.pem", text, i);
	free(text);
	write_file("bad-base64.pem", bad_base64, sizeof(bad_base64) - 1);
	write_file("garbage.der", garbage, sizeof(garbage));
	write_file("empty.pem", "", 0);
}

int
main(int argc, char **argv)
{
	struct cas c;
	X509 *good;

	if (argc != 2) {
		fprintf(stderr, "usage: mkpki OUTDIR\n");
		return 2;
	}
	out = argv[1];
	if (mkdir(out, 0755) != 0 && errno != EEXIST)
		die("%s: %s", out, strerror(errno));
	now = time(NULL);
	memset(&c, 0, sizeof(c));
	make_cas(&c);
	good = make_leaves(&c);
	make_formats(&c, good);
	make_broken();
	X509_free(good);
	X509_free(c.root);
	X509_free(c.intermediate);
	X509_free(c.other_root);
	X509_free(c.other_intermediate);
	X509_free(c.intermediate_expired);
	pki_key_free_all();
	return 0;
}

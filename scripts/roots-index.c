/*
 * roots-index.c - turn the PEM bundle of the accepted roots into the C
 * index the binary is built with (lib/x509/roots_index.c).
 *
 *	roots-index < lib/x509/roots_bundle.pem > lib/x509/roots_index.c
 *
 * A build tool, run by make; it is not part of bwcertcheck.  For each
 * certificate of the bundle, in order, it writes the DER bytes exactly
 * as the bundle holds them, the hash OpenSSL gives the subject name
 * (X509_NAME_hash_ex(): SHA-1 of the name's canonical form, the value
 * the store looks names up by, so two encodings OpenSSL takes for the
 * same name get the same hash) and the SHA-256 of the
 * SubjectPublicKeyInfo (what lib/core/roots_table.c pins).  The binary
 * then matches the bundle to the table and finds the root a chain names
 * without parsing any certificate; it parses a root only when a chain
 * reaches it.  Anything in the bundle that is not a certificate OpenSSL
 * can read fails the build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static int
fail(const char *what, int n)
{
	fprintf(stderr, "roots-index: certificate %d: %s\n", n, what);
	ERR_print_errors_fp(stderr);
	return 1;
}

static void
put_bytes(const char *name, int n, const unsigned char *p, size_t len)
{
	size_t i;

	printf("static const unsigned char %s%d[] = {", name, n);
	for (i = 0; i < len; i++)
		printf("%s0x%02x,", i % 12 == 0 ? "\n\t" : " ", p[i]);
	printf("\n};\n\n");
}

static void
put_hex(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
}

int
main(void)
{
	BIO *in = BIO_new_fp(stdin, BIO_NOCLOSE);
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL, *spki = NULL, md[32];
	const unsigned char *p;
	unsigned long *hash = NULL;
	unsigned char (*spki_md)[32] = NULL;
	long len;
	int n = 0, i, ok, spki_len;
	unsigned int md_len;
	X509 *x;

	if (in == NULL)
		return fail("cannot read standard input", 0);
	printf("/* Generated from lib/x509/roots_bundle.pem by "
	    "scripts/roots-index.c; do not edit. */\n"
	    "#include \"x509/roots_index.h\"\n\n");
	/* 1 read a block, 0 at the end (or on a broken block: checked below). */
	while (PEM_read_bio(in, &name, &header, &data, &len) == 1) {
		n++;
		if (strcmp(name, "CERTIFICATE") != 0)
			return fail("not a CERTIFICATE block", n);
		p = data;
		if ((x = d2i_X509(NULL, &p, len)) == NULL || p != data + len)
			return fail("not one DER certificate", n);
		hash = realloc(hash, (size_t)n * sizeof(*hash));
		spki_md = realloc(spki_md, (size_t)n * sizeof(*spki_md));
		if (hash == NULL || spki_md == NULL)
			return fail("out of memory", n);
		hash[n - 1] = X509_NAME_hash_ex(X509_get_subject_name(x), NULL,
		    NULL, &ok);
		if (ok != 1)
			return fail("cannot hash the subject name", n);
		spki = NULL;
		if ((spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x),
		    &spki)) <= 0 || EVP_Digest(spki, (size_t)spki_len, md,
		    &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
			return fail("cannot hash the public key", n);
		memcpy(spki_md[n - 1], md, 32);
		put_bytes("der", n - 1, data, (size_t)len);
		OPENSSL_free(spki);
		X509_free(x);
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_free(data);
		name = header = NULL;
		data = NULL;
	}
	/* PEM_read_bio() ends with "no start line" at the end of the input. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE)
		return fail("broken PEM block", n + 1);
	if (n == 0)
		return fail("no certificate in the bundle", 0);
	printf("const struct root_der root_ders[] = {\n");
	for (i = 0; i < n; i++) {
		printf("\t{ .der = der%d, .len = sizeof(der%d),\n"
		    "\t  .name_hash = 0x%08lxul,\n\t  .spki_sha256 = \"",
		    i, i, hash[i]);
		put_hex(spki_md[i], 32);
		printf("\" },\n");
	}
	printf("};\n\nconst size_t root_ders_len = %d;\n", n);
	free(hash);
	free(spki_md);
	BIO_free(in);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

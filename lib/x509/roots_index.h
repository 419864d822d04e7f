/*
 * roots_index.h - the built-in roots as the binary carries them.
 *
 * Generated at build time from roots_bundle.pem by scripts/roots-index.c
 * (lib/x509/roots_index.c), one entry per certificate of the bundle, in
 * its order.  Everything the trust store needs before a chain reaches a
 * root is here already computed, so no root is parsed at start: which
 * row of core/roots_table.c each one is (by its key's hash), and which
 * roots a name a chain asks for can be (by the name's hash).
 */
#ifndef BWC_ROOTS_INDEX_H
#define BWC_ROOTS_INDEX_H

#include <stddef.h>

struct root_der {
	const unsigned char *der;	/* the certificate, DER, as in the bundle */
	size_t len;
	/*
	 * X509_NAME_hash_ex() of the subject: SHA-1 over OpenSSL's
	 * canonical form of the name (case and spaces folded), so every
	 * name OpenSSL matches to this subject has this hash.
	 */
	unsigned long name_hash;
	const char *spki_sha256;	/* 64 lower-case hex digits */
};

extern const struct root_der root_ders[];
extern const size_t root_ders_len;
/* Where the bundle came from: "ca-certificates 20250419~deb12u2". */
extern const char root_ders_source[];

#endif

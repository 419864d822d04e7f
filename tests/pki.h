/*
 * pki.h - a test PKI built in memory at test time, so nothing ever expires.
 *
 * pki_issue() turns a struct pki_spec, written with designated
 * initialisers, into a certificate.  Every field left zero takes the
 * default of a well-formed TLS server certificate (or, with .ca, of a
 * CA), so a test states only what it is about:
 *
 *	X509 *x = pki_issue(&(struct pki_spec){
 *		.cn = "pbx.example.test",
 *		.dns = { PKI_BYTES("pbx.example.test\0.evil.test") },
 *		.md = EVP_sha1(),
 *		.issuer = w.intermediate, .issuer_key = w.intermediate_key,
 *	});
 *
 * Ownership.  Keys from pki_key_*() belong to a cache in static storage
 * (RSA key generation is slow, so a test binary makes each key once):
 * borrow them, never free them; pki_key_free_all() releases the cache
 * (call it from a group teardown).  The cache is not thread-safe.
 * Every other pointer returned here is owned by the caller, and the
 * comment on each function names the function that frees it.  Specs
 * only borrow what they point to.
 *
 * Failures print "pki: what" and OpenSSL's error queue on stderr, then
 * return NULL or -1, so a test can assert_non_null() and still see why.
 *
 * This header includes <openssl/x509.h> only, not <openssl/x509v3.h>,
 * whose KU_* macros a test may not want.  PKI_KU_* below are RFC 5280
 * bit numbers: neither OpenSSL's KU_* nor lib/core/cert_facts.h's FACT_KU_*.
 */
#ifndef BWC_TESTS_PKI_H
#define BWC_TESTS_PKI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Room for names in one SAN of a spec; a list ends at the first NULL. */
#define PKI_MAX_NAMES 8

#define PKI_DAY ((time_t)86400)

/*
 * Bytes that may hold NULs or control characters.  len == 0 with
 * ptr != NULL means strlen(ptr), so { name } works for a C string;
 * PKI_BYTES() takes a string literal with its embedded NULs.
 */
struct pki_bytes {
	const void *ptr;
	size_t len;
};
#define PKI_BYTES(lit) { (lit), sizeof(lit) - 1 }

/* keyUsage bits, numbered as in RFC 5280 4.2.1.3 (bit n is 1 << n). */
enum pki_ku {
	PKI_KU_DIGITAL_SIGNATURE = 1 << 0,
	PKI_KU_NON_REPUDIATION = 1 << 1,
	PKI_KU_KEY_ENCIPHERMENT = 1 << 2,
	PKI_KU_DATA_ENCIPHERMENT = 1 << 3,
	PKI_KU_KEY_AGREEMENT = 1 << 4,
	PKI_KU_KEY_CERT_SIGN = 1 << 5,
	PKI_KU_CRL_SIGN = 1 << 6,
	PKI_KU_ENCIPHER_ONLY = 1 << 7,
	PKI_KU_DECIPHER_ONLY = 1 << 8,
	PKI_KU_ABSENT = 1 << 15		/* no keyUsage extension at all */
};

/* extendedKeyUsage purposes. */
enum pki_eku {
	PKI_EKU_SERVER_AUTH = 1 << 0,
	PKI_EKU_CLIENT_AUTH = 1 << 1,
	PKI_EKU_ANY = 1 << 2,		/* anyExtendedKeyUsage */
	PKI_EKU_CODE_SIGNING = 1 << 3,
	PKI_EKU_EMAIL_PROTECTION = 1 << 4,
	PKI_EKU_ABSENT = 1 << 15	/* no extendedKeyUsage extension at all */
};

/* Output encodings for pki_p7() and pki_write_p7(). */
enum pki_form {
	PKI_PEM,
	PKI_DER
};

/*
 * What to issue.  Zero means the default named on each field.
 */
struct pki_spec {
	/* Subject, in the order C, O, OU, CN; all NULL: an empty subject. */
	const char *c, *o, *ou, *cn;

	/*
	 * subjectAltName.  With no entry at all there is no SAN extension.
	 * dns entries are raw bytes (NULs and control characters kept);
	 * ip entries are text ("192.0.2.1", "2001:db8::1").
	 */
	struct pki_bytes dns[PKI_MAX_NAMES];
	const char *ip[PKI_MAX_NAMES];
	const char *uri[PKI_MAX_NAMES];
	bool san_critical;

	/* Validity, absolute; 0: now - 1 day and now + 90 days. */
	time_t not_before, not_after;

	/*
	 * basicConstraints, critical: CA:FALSE by default, CA:TRUE with .ca,
	 * pathLenConstraint only with .has_pathlen, no extension with .no_bc.
	 */
	bool ca;
	bool has_pathlen;
	int pathlen;
	bool no_bc;

	/*
	 * keyUsage (critical) as PKI_KU_* bits, or PKI_KU_ABSENT.  0: for a
	 * CA keyCertSign | cRLSign | digitalSignature; for a leaf
	 * digitalSignature, plus keyEncipherment when the key is RSA.
	 */
	unsigned ku;

	/*
	 * extendedKeyUsage as PKI_EKU_* bits, or PKI_EKU_ABSENT.  0: for a
	 * leaf serverAuth | clientAuth; for a CA no extension.
	 */
	unsigned eku;

	/* Signature digest; NULL: SHA-256 (none for Ed25519 keys). */
	const EVP_MD *md;

	/*
	 * Serial number as big-endian magnitude bytes (any length, 20+ bytes
	 * allowed; { "\0", 1 } is zero), negated with .serial_negative.
	 * Empty: 16 random bytes, positive.
	 */
	struct pki_bytes serial;
	bool serial_negative;

	/* authorityInfoAccess URIs; NULL: none (no extension if both NULL). */
	const char *aia_ca_issuers;
	const char *aia_ocsp;

	/*
	 * Key identifiers.  By default subjectKeyIdentifier is the SHA-1 of
	 * the subject public key (RFC 5280 method 1) and
	 * authorityKeyIdentifier is the issuer's SKID (or, if it has none,
	 * the same hash of the signing key).  Non-empty bytes replace
	 * them; .no_skid / .no_akid omit them.
	 */
	struct pki_bytes skid, akid;
	bool no_skid, no_akid;

	/*
	 * nameConstraints with dNSName subtrees (text, written as given, so
	 * a malformed ".example.com" is possible): critical, unless
	 * .nc_noncritical.  No extension when both lists are empty.
	 */
	const char *nc_permit[PKI_MAX_NAMES];
	const char *nc_exclude[PKI_MAX_NAMES];
	bool nc_noncritical;

	/* basicConstraints marked non-critical. */
	bool bc_noncritical;

	/*
	 * authorityKeyIdentifier with the issuer's name and serial number
	 * and no keyIdentifier (the issuer's own when .issuer is set, else
	 * the certificate's).
	 */
	bool akid_no_keyid;

	/*
	 * Any other extensions, added last exactly as given: the OID in
	 * dotted form, its criticality and the DER of its value (what goes
	 * inside the extnValue OCTET STRING).  A list ends at the first NULL
	 * oid.
	 */
	struct pki_ext {
		const char *oid;
		bool critical;
		struct pki_bytes der;
	} ext[4];

	/* A version 1 certificate: no extensions at all. */
	bool v1;

	/* The subject's key (borrowed).  NULL: pki_key_rsa(2048). */
	EVP_PKEY *key;

	/*
	 * The issuer (borrowed).  With .issuer, the issuer name is its
	 * subject and .issuer_key, which is then required, signs.  With no
	 * .issuer the certificate is self-issued (issuer name = subject)
	 * and signed by .issuer_key if given, else by .key (self-signed).
	 * A key that does not match .issuer makes a bad signature.
	 */
	X509 *issuer;
	EVP_PKEY *issuer_key;
};

/*
 * Keys, cached per algorithm, size and index: every call with the same
 * arguments returns the same key.  Borrowed: never free them; see
 * pki_key_free_all().  NULL (and a message) if generation fails.
 */
EVP_PKEY *pki_key_rsa(int bits);		/* index 0 */
EVP_PKEY *pki_key_rsa_nth(int bits, int n);	/* a distinct key per n */
EVP_PKEY *pki_key_ec(const char *curve);	/* "P-256", "P-384", ... */
EVP_PKEY *pki_key_ed25519(void);

/* Free every cached key.  Pointers handed out before are then dangling. */
void pki_key_free_all(void);

/*
 * Issue the certificate spec describes.  Returns a new X509 (caller
 * frees with X509_free) or NULL.  spec and what it points to are
 * only read.
 */
X509 *pki_issue(const struct pki_spec *spec);

/*
 * A stack of the certificates given, in order, up to the first NULL;
 * each one is up-referenced.  Returns a new stack (caller frees with
 * sk_X509_pop_free(sk, X509_free)) or NULL.
 */
STACK_OF(X509) *pki_stack(X509 *first, ...);

/*
 * Encodings in memory.  Each returns a malloc'd buffer (caller frees
 * with free()) holding *len bytes plus a NUL that *len does not count,
 * or NULL.  The arguments are borrowed.
 */
unsigned char *pki_pem(STACK_OF(X509) *certs, size_t *len);
unsigned char *pki_der(X509 *x, size_t *len);
unsigned char *pki_p7(STACK_OF(X509) *certs, enum pki_form form,
    size_t *len);
/* PKCS#12 with AES-256-CBC and a SHA-256 MAC (OpenSSL 3's defaults);
 * ca may be NULL. */
unsigned char *pki_p12(const char *password, EVP_PKEY *key, X509 *leaf,
    STACK_OF(X509) *ca, size_t *len);
/* PKCS#8 PEM, encrypted with AES-256-CBC when password is not NULL. */
unsigned char *pki_key_pem(EVP_PKEY *key, const char *password,
    size_t *len);

/*
 * The same, written to path (created or truncated).  Return 0 or -1.
 * pki_write_pem() takes certificates up to the first NULL.
 */
int pki_write(const char *path, const void *data, size_t len);
int pki_write_pem(const char *path, X509 *first, ...);
int pki_write_der(const char *path, X509 *x);
int pki_write_p7(const char *path, enum pki_form form,
    STACK_OF(X509) *certs);
int pki_write_p12(const char *path, const char *password, EVP_PKEY *key,
    X509 *leaf, STACK_OF(X509) *ca);
int pki_write_key(const char *path, EVP_PKEY *key, const char *password);

/*
 * A fresh private directory under $TMPDIR (or /tmp).  Returns its path
 * (caller frees with free(), after pki_tmpdir_remove()) or NULL.
 */
char *pki_tmpdir(void);

/* Remove the files directly inside dir, then dir.  Returns 0 or -1. */
int pki_tmpdir_remove(const char *dir);

/*
 * A ready-made world: two hierarchies of RSA-2048 CAs.
 *
 *	"BWC Test Root CA" -> "BWC Test Issuing CA"     (tests trust this root)
 *	"Other Test Root"  -> "Other Test Issuing CA"   (a root nobody trusts)
 *
 * Roots are valid from now - 2 years to now + 10 years, intermediates
 * from now - 1 year to now + 5 years, so a back-dated leaf still lies
 * inside its CA's validity.  Each CA has its own key; leaf_key is the
 * key of the leaves the pki_world_*leaf() helpers issue.
 */
struct pki_world {
	X509 *root;			/* owned */
	X509 *intermediate;		/* owned */
	X509 *other_root;		/* owned */
	X509 *other_intermediate;	/* owned */
	EVP_PKEY *root_key;		/* the rest: borrowed from the key cache */
	EVP_PKEY *intermediate_key;
	EVP_PKEY *other_root_key;
	EVP_PKEY *other_intermediate_key;
	EVP_PKEY *leaf_key;
};

/* Build the world into *w.  Returns 0, or -1 with *w zeroed. */
int pki_world_init(struct pki_world *w);

/* Free the certificates *w owns and zero it; the keys stay cached. */
void pki_world_free(struct pki_world *w);

/*
 * The spec of a good leaf for fqdn under w's intermediate: CN and one
 * SAN dNSName fqdn, leaf_key, the defaults for everything else.  A test
 * changes the fields it is about and calls pki_issue().  The spec
 * borrows fqdn and w.
 */
struct pki_spec pki_world_leaf_spec(const struct pki_world *w,
    const char *fqdn);

/*
 * A good leaf for fqdn under "BWC Test Issuing CA" or, for _other_,
 * under "Other Test Issuing CA".  Returns a new X509 (caller frees
 * with X509_free) or NULL.
 */
X509 *pki_world_leaf(const struct pki_world *w, const char *fqdn);
X509 *pki_world_other_leaf(const struct pki_world *w, const char *fqdn);

#endif

/*
 * cert_facts.h - one certificate as plain data.
 *
 * x509/facts.c fills these from OpenSSL (the only place that reads a
 * certificate's fields); rules and reporters read them and never call
 * OpenSSL.  Strings that come from the certificate are kept as struct
 * bstr (they may hold NUL bytes or escape sequences) and must be escaped
 * before they are printed (see esc.h).
 */
#ifndef BWC_CERT_FACTS_H
#define BWC_CERT_FACTS_H

#include "core/common.h"

enum key_type {
	KEY_UNKNOWN,
	KEY_RSA,
	KEY_RSA_PSS,
	KEY_EC,
	KEY_ED25519,
	KEY_ED448,
	KEY_DSA,
	KEY__MAX
};

/* The digest inside a certificate's signature algorithm. */
enum sig_hash {
	SIGHASH_UNKNOWN,
	SIGHASH_MD5,
	SIGHASH_SHA1,
	SIGHASH_SHA224,
	SIGHASH_SHA256,
	SIGHASH_SHA384,
	SIGHASH_SHA512,
	SIGHASH_NONE,		/* Ed25519/Ed448: no separate digest */
	SIGHASH__MAX
};

/* keyUsage bits we judge, as in RFC 5280 4.2.1.3 (our own values). */
#define FACT_KU_DIGITAL_SIGNATURE	0x0001u
#define FACT_KU_KEY_ENCIPHERMENT	0x0002u
#define FACT_KU_KEY_AGREEMENT		0x0004u
#define FACT_KU_KEY_CERT_SIGN		0x0008u

/*
 * Every pointer member is owned: facts_free() releases it and
 * facts_copy() duplicates it, so a new one goes in both.
 */
struct cert_facts {
	char *subject;		/* RFC 2253 one-line form, escaped by OpenSSL's
				 * XN_FLAG_RFC2253 minus multibyte escaping */
	char *issuer;		/* same form */
	struct bstr subject_cn;	/* last CN of the subject, raw bytes; may be empty */
	char *serial_hex;	/* lower-case hex, "-" prefix if negative */
	time_t not_before, not_after;
	bool times_valid;	/* both times parsed */
	enum key_type key_type;
	int key_bits;
	char *key_curve;	/* EC curve short name or NULL */
	enum sig_hash sig_hash;
	char *sig_alg;		/* e.g. "sha256WithRSAEncryption" */
	char sha256_hex[65];	/* fingerprint of the DER certificate */
	unsigned char spki_sha256[32];	/* SHA-256 of the DER SubjectPublicKeyInfo */
	struct bstr *san_dns;	/* dNSName entries, raw */
	size_t n_san_dns;
	size_t n_san_other;	/* SAN entries of other types (IP, URI, ...) */
	bool san_invalid;	/* SAN extension duplicated or undecodable */
	bool ext_invalid;	/* OpenSSL flags the extensions invalid (EXFLAG_INVALID) */
	bool self_issued;	/* subject == issuer */
	bool self_signed;	/* self-issued and the signature verifies with its own key */
	bool has_bc, is_ca;
	bool has_ku;
	unsigned ku;		/* FACT_KU_* bits */
	bool has_eku, eku_server, eku_client, eku_any;
	char *aia_ca_issuers;	/* first caIssuers URI, or NULL */
	char *issuer_org;	/* first O of the issuer name, escaped, or NULL */

	/* RFC 5280 structure that path-valid judges. */
	int serial_octets;	/* content octets of the serialNumber INTEGER */
	bool serial_zero, serial_negative;
	bool subject_empty;
	bool san_critical;
	bool has_akid, akid_keyid;	/* authorityKeyIdentifier, its keyIdentifier */
	bool aia_invalid;	/* authorityInfoAccess undecodable, or no entry */
	bool has_nc, nc_critical;	/* nameConstraints */
	bool nc_invalid;	/* undecodable or given twice */
	bool nc_empty;		/* neither subtree list has an entry */
	bool nc_empty_list;	/* a subtree list present with no entry */
	struct bstr *nc_permit_dns, *nc_exclude_dns;	/* dNSName bases, raw */
	size_t n_nc_permit_dns, n_nc_exclude_dns;
	bool has_policy_constraints, policy_constraints_critical;
	bool has_inhibit_any, inhibit_any_critical;
};

/*
 * Fill *dst with a deep copy of *src: *dst owns its own strings and is
 * released with facts_free() like any other.  Cheaper than
 * facts_from_x509() again (no name printing, digests or signature).
 */
void facts_copy(struct cert_facts *dst, const struct cert_facts *src);

/* Release what *f owns; the struct itself is the caller's. */
void facts_free(struct cert_facts *f);


const char *key_type_name(enum key_type);	/* "RSA", "EC", ... */
const char *sig_hash_name(enum sig_hash);

/*
 * A short human name for a certificate: its first SAN dNSName if it has
 * one, else its CN, else its subject.  Written escaped into a new string
 * the caller frees.
 */
char *facts_label(const struct cert_facts *f);

#endif

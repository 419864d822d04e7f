/*
 * facts.c - read a certificate's fields into a struct cert_facts.
 *
 * This is the one file that asks OpenSSL what a certificate says; the
 * rules only read the struct.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/esc.h"
#include "x509/facts.h"
#include "core/timeutil.h"

char *
facts_name_line(const X509_NAME *name)
{
	BIO *bio;
	char *data, *out = NULL;
	long len;
	unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		fatal_oom();
	/* Returns the bytes written, or -1; an empty name writes 0. */
	if (X509_NAME_print_ex(bio, name, 0, flags) < 0)
		goto out;
	len = BIO_get_mem_data(bio, &data);
	out = esc_printable_keepbs((const unsigned char *)data,
	    len > 0 ? (size_t)len : 0);
out:
	BIO_free(bio);
	return out != NULL ? out : xstrdup("(undecodable name)");
}

static void
copy_bstr(struct bstr *dst, const ASN1_STRING *s)
{
	int len = ASN1_STRING_length(s);

	dst->len = len > 0 ? (size_t)len : 0;
	dst->ptr = xmalloc(dst->len + 1);
	if (dst->len > 0)
		memcpy(dst->ptr, ASN1_STRING_get0_data(s), dst->len);
	dst->ptr[dst->len] = '\0';
}

static void
facts_cn(X509 *x, struct cert_facts *f)
{
	const X509_NAME *name = X509_get_subject_name(x);
	int i, last = -1;

	for (i = -1; (i = X509_NAME_get_index_by_NID(name, NID_commonName,
	    i)) >= 0;)
		last = i;
	if (last >= 0)
		copy_bstr(&f->subject_cn, X509_NAME_ENTRY_get_data(
		    X509_NAME_get_entry(name, last)));
}

static char *
serial_hex(X509 *x)
{
	BIGNUM *bn;
	char *hex, *out;
	size_t i;

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	if (bn == NULL || (hex = BN_bn2hex(bn)) == NULL) {
		BN_free(bn);
		return xstrdup("?");
	}
	for (i = 0; hex[i] != '\0'; i++)
		if (hex[i] >= 'A' && hex[i] <= 'F')
			hex[i] = (char)(hex[i] - 'A' + 'a');
	out = xstrdup(hex);
	OPENSSL_free(hex);
	BN_free(bn);
	return out;
}

static int
asn1_time(const ASN1_TIME *t, time_t *out)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = time_from_utc_tm(&tm);
	return 0;
}

static void
facts_key(X509 *x, struct cert_facts *f)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	char group[80];
	size_t glen = 0;

	if (pk == NULL)
		return;
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		f->key_type = KEY_RSA;
		break;
	case EVP_PKEY_RSA_PSS:
		f->key_type = KEY_RSA_PSS;
		break;
	case EVP_PKEY_EC:
		f->key_type = KEY_EC;
		if (EVP_PKEY_get_utf8_string_param(pk,
		    OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
		    &glen) == 1)
			f->key_curve = xstrdup(group);
		break;
	case EVP_PKEY_ED25519:
		f->key_type = KEY_ED25519;
		break;
	case EVP_PKEY_ED448:
		f->key_type = KEY_ED448;
		break;
	case EVP_PKEY_DSA:
		f->key_type = KEY_DSA;
		break;
	default:
		f->key_type = KEY_UNKNOWN;
	}
	f->key_bits = EVP_PKEY_get_bits(pk);
}

static void
facts_signature(X509 *x, struct cert_facts *f)
{
	int mdnid = NID_undef, pknid = NID_undef, nid;

	nid = X509_get_signature_nid(x);
	f->sig_alg = xstrdup(nid != NID_undef ? OBJ_nid2ln(nid) : "unknown");
	/* Returns 1 when the algorithm is known; mdnid is NID_undef for EdDSA. */
	if (X509_get_signature_info(x, &mdnid, &pknid, NULL, NULL) != 1) {
		f->sig_hash = SIGHASH_UNKNOWN;
		return;
	}
	switch (mdnid) {
	case NID_md5:
	case NID_md5_sha1:
		f->sig_hash = SIGHASH_MD5;
		break;
	case NID_sha1:
		f->sig_hash = SIGHASH_SHA1;
		break;
	case NID_sha224:
		f->sig_hash = SIGHASH_SHA224;
		break;
	case NID_sha256:
		f->sig_hash = SIGHASH_SHA256;
		break;
	case NID_sha384:
		f->sig_hash = SIGHASH_SHA384;
		break;
	case NID_sha512:
		f->sig_hash = SIGHASH_SHA512;
		break;
	case NID_undef:
		f->sig_hash = (pknid == NID_ED25519 || pknid == NID_ED448) ?
		    SIGHASH_NONE : SIGHASH_UNKNOWN;
		break;
	default:
		f->sig_hash = SIGHASH_UNKNOWN;
	}
}

static int
facts_digests(X509 *x, struct cert_facts *f)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int rc = -1;

	if (X509_digest(x, EVP_sha256(), md, &mdlen) != 1 || mdlen != 32)
		goto out;
	hex_encode(md, 32, f->sha256_hex);
	if (facts_spki_sha256(x, f->spki_sha256) != 0)
		goto out;
	rc = 0;
out:
	return rc;
}

int
facts_spki_sha256(X509 *x, unsigned char md[32])
{
	X509_PUBKEY *pk;
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	int len, rc = -1;

	/* get0: borrowed from x. */
	if ((pk = X509_get_X509_PUBKEY(x)) == NULL)
		goto out;
	if ((len = i2d_X509_PUBKEY(pk, &der)) <= 0)
		goto out;
	if (EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != 32)
		goto out;
	rc = 0;
out:
	OPENSSL_free(der);
	return rc;
}

static void
facts_san(X509 *x, struct cert_facts *f)
{
	GENERAL_NAMES *gens;
	const GENERAL_NAME *gen;
	int crit = -1, i, n;

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	if (gens == NULL) {
		/* -1: absent; -2: present more than once; >= 0: undecodable. */
		if (crit != -1)
			f->san_invalid = true;
		return;
	}
	n = sk_GENERAL_NAME_num(gens);
	f->san_dns = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*f->san_dns));
	for (i = 0; i < n; i++) {
		gen = sk_GENERAL_NAME_value(gens, i);
		if (gen->type == GEN_DNS)
			copy_bstr(&f->san_dns[f->n_san_dns++], gen->d.dNSName);
		else
			f->n_san_other++;
	}
	GENERAL_NAMES_free(gens);
}

static void
facts_aia(X509 *x, struct cert_facts *f)
{
	AUTHORITY_INFO_ACCESS *aia;
	const ACCESS_DESCRIPTION *ad;
	int i;

	aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	if (aia == NULL)
		return;
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		if (OBJ_obj2nid(ad->method) == NID_ad_ca_issuers &&
		    ad->location->type == GEN_URI) {
			f->aia_ca_issuers = esc_printable(
			    ASN1_STRING_get0_data(ad->location->d.uniformResourceIdentifier),
			    (size_t)ASN1_STRING_length(ad->location->d.uniformResourceIdentifier));
			break;
		}
	}
	AUTHORITY_INFO_ACCESS_free(aia);
}

/*
 * keyUsage and extendedKeyUsage, decoded here rather than read with
 * X509_get_key_usage() and X509_get_extended_key_usage(): those return
 * 0 for a certificate whose other extensions OpenSSL finds invalid (a
 * duplicated basicConstraints, say), so a usage the certificate has
 * would be reported missing.  X509_get_ext_d2i()'s crit is -1 when the
 * extension is absent, -2 when it appears twice (then NULL is returned).
 */
static void
facts_usage(X509 *x, struct cert_facts *f)
{
	ASN1_BIT_STRING *ku;
	EXTENDED_KEY_USAGE *eku;
	int crit = -1, i;

	ku = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
	f->has_ku = crit != -1;
	if (ku != NULL) {
		/* RFC 5280 4.2.1.3 bit numbers. */
		if (ASN1_BIT_STRING_get_bit(ku, 0))
			f->ku |= FACT_KU_DIGITAL_SIGNATURE;
		if (ASN1_BIT_STRING_get_bit(ku, 2))
			f->ku |= FACT_KU_KEY_ENCIPHERMENT;
		if (ASN1_BIT_STRING_get_bit(ku, 4))
			f->ku |= FACT_KU_KEY_AGREEMENT;
		if (ASN1_BIT_STRING_get_bit(ku, 5))
			f->ku |= FACT_KU_KEY_CERT_SIGN;
		ASN1_BIT_STRING_free(ku);
	}
	crit = -1;
	eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
	f->has_eku = crit != -1;
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		switch (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))) {
		case NID_server_auth:
			f->eku_server = true;
			break;
		case NID_client_auth:
			f->eku_client = true;
			break;
		case NID_anyExtendedKeyUsage:
			f->eku_any = true;
			break;
		}
	}
	EXTENDED_KEY_USAGE_free(eku);
}

static void
facts_extensions(X509 *x, struct cert_facts *f, bool verify_self)
{
	/* Also makes OpenSSL cache and check the extensions. */
	uint32_t flags = X509_get_extension_flags(x);

	f->ext_invalid = (flags & EXFLAG_INVALID) != 0;
	f->has_bc = (flags & EXFLAG_BCONS) != 0;
	f->is_ca = (flags & EXFLAG_CA) != 0;
	facts_usage(x, f);
	f->self_issued = X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)) == 0;
	/*
	 * 1: self-signed (names and key identifiers match, and with
	 * verify_self the signature verifies), 0: not, -1: error.
	 */
	f->self_signed = X509_self_signed(x, verify_self) == 1;
	ERR_clear_error();
}

/* The first O of name, escaped, or NULL. */
static char *
name_org(const X509_NAME *name)
{
	int i = X509_NAME_get_index_by_NID(name, NID_organizationName, -1);
	const ASN1_STRING *s;

	if (i < 0)
		return NULL;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
	return esc_printable(ASN1_STRING_get0_data(s),
	    (size_t)ASN1_STRING_length(s));
}

/* -1 when x has no extension nid, else 1 when it is critical, 0 when not. */
static int
ext_critical(X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);

	return i < 0 ? -1 : X509_EXTENSION_get_critical(X509_get_ext(x, i));
}

/* The number of content octets of the serialNumber as encoded (DER). */
static void
facts_serial(X509 *x, struct cert_facts *f)
{
	const ASN1_INTEGER *ai = X509_get0_serialNumber(x);
	unsigned char *der = NULL;
	int n, i;

	f->serial_negative = ASN1_STRING_type(ai) == V_ASN1_NEG_INTEGER;
	f->serial_zero = true;
	for (i = 0; i < ASN1_STRING_length(ai); i++)
		if (ASN1_STRING_get0_data(ai)[i] != 0)
			f->serial_zero = false;
	/* Returns the DER length, <= 0 on error. */
	if ((n = i2d_ASN1_INTEGER(ai, &der)) > 2)
		f->serial_octets = der[1] < 0x80 ? n - 2 :
		    n - 2 - (der[1] & 0x7f);
	OPENSSL_free(der);
}

static struct bstr *
subtree_dns(const STACK_OF(GENERAL_SUBTREE) *st, size_t *n)
{
	struct bstr *out;
	const GENERAL_SUBTREE *sub;
	int i;

	*n = 0;
	if (sk_GENERAL_SUBTREE_num(st) <= 0)
		return NULL;
	out = xcalloc((size_t)sk_GENERAL_SUBTREE_num(st), sizeof(*out));
	for (i = 0; i < sk_GENERAL_SUBTREE_num(st); i++) {
		sub = sk_GENERAL_SUBTREE_value(st, i);
		if (sub->base != NULL && sub->base->type == GEN_DNS)
			copy_bstr(&out[(*n)++], sub->base->d.dNSName);
	}
	return out;
}

static void
facts_nc(X509 *x, struct cert_facts *f)
{
	NAME_CONSTRAINTS *nc;
	int crit = -1;

	nc = X509_get_ext_d2i(x, NID_name_constraints, &crit, NULL);
	f->has_nc = crit != -1;
	if (!f->has_nc)
		return;
	f->nc_critical = ext_critical(x, NID_name_constraints) == 1;
	if (nc == NULL) {
		/* -2: present more than once; >= 0: undecodable. */
		f->nc_invalid = true;
		return;
	}
	f->nc_empty = sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) <= 0 &&
	    sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) <= 0;
	f->nc_empty_list = (nc->permittedSubtrees != NULL &&
	    sk_GENERAL_SUBTREE_num(nc->permittedSubtrees) == 0) ||
	    (nc->excludedSubtrees != NULL &&
	    sk_GENERAL_SUBTREE_num(nc->excludedSubtrees) == 0);
	f->nc_permit_dns = subtree_dns(nc->permittedSubtrees,
	    &f->n_nc_permit_dns);
	f->nc_exclude_dns = subtree_dns(nc->excludedSubtrees,
	    &f->n_nc_exclude_dns);
	NAME_CONSTRAINTS_free(nc);
}

/* The RFC 5280 structure path-valid judges beyond OpenSSL's own checks. */
static void
facts_structure(X509 *x, struct cert_facts *f)
{
	AUTHORITY_KEYID *akid;
	AUTHORITY_INFO_ACCESS *aia;
	int crit = -1;

	facts_serial(x, f);
	f->subject_empty = X509_NAME_entry_count(X509_get_subject_name(x)) == 0;
	f->san_critical = ext_critical(x, NID_subject_alt_name) == 1;
	akid = X509_get_ext_d2i(x, NID_authority_key_identifier, &crit, NULL);
	f->has_akid = crit != -1;
	f->akid_keyid = akid != NULL && akid->keyid != NULL;
	AUTHORITY_KEYID_free(akid);
	crit = -1;
	aia = X509_get_ext_d2i(x, NID_info_access, &crit, NULL);
	f->aia_invalid = crit != -1 && sk_ACCESS_DESCRIPTION_num(aia) <= 0;
	AUTHORITY_INFO_ACCESS_free(aia);
	facts_nc(x, f);
	crit = ext_critical(x, NID_policy_constraints);
	f->has_policy_constraints = crit != -1;
	f->policy_constraints_critical = crit == 1;
	crit = ext_critical(x, NID_inhibit_any_policy);
	f->has_inhibit_any = crit != -1;
	f->inhibit_any_critical = crit == 1;
	f->issuer_org = name_org(X509_get_issuer_name(x));
}

static int
facts_fill(X509 *x, struct cert_facts *f, bool verify_self)
{
	int rc = 0;

	memset(f, 0, sizeof(*f));
	f->subject = facts_name_line(X509_get_subject_name(x));
	f->issuer = facts_name_line(X509_get_issuer_name(x));
	facts_cn(x, f);
	f->serial_hex = serial_hex(x);
	f->times_valid = asn1_time(X509_get0_notBefore(x), &f->not_before) == 0 &&
	    asn1_time(X509_get0_notAfter(x), &f->not_after) == 0;
	facts_key(x, f);
	facts_signature(x, f);
	if (facts_digests(x, f) != 0)
		rc = -1;
	facts_extensions(x, f, verify_self);
	facts_san(x, f);
	facts_aia(x, f);
	facts_structure(x, f);
	ERR_clear_error();
	return rc;
}

int
facts_from_x509(X509 *x, struct cert_facts *f)
{
	return facts_fill(x, f, true);
}

int
facts_from_anchor(X509 *x, struct cert_facts *f)
{
	return facts_fill(x, f, false);
}

/*
 * pki.c - the in-memory test PKI (see pki.h).
 *
 * Extensions are built as ASN.1 structures, not from config strings,
 * so a test can put any bytes in a name: X509V3_EXT_conf would stop
 * at a NUL.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "pki.h"

#define KEY_CACHE_MAX 32

struct key_slot {
	char alg[16];		/* "RSA", "EC", "ED25519" */
	char param[16];		/* curve name, or "" */
	int bits;
	int n;
	EVP_PKEY *pkey;
};

static struct key_slot key_cache[KEY_CACHE_MAX];
static size_t key_cache_len;

/*
 * Keys are also kept on disk in $BWC_TEST_KEYS when it is set (tests/run.sh
 * and make unit set it), one PEM file per slot, so the test binaries of a
 * run share them instead of each generating its own RSA keys, which was
 * most of their time.  A file is written under a temporary name and
 * renamed, so binaries running at once never read half a key.
 */
static char *
key_disk_path(const char *alg, const char *param, int bits, int n)
{
	const char *dir = getenv("BWC_TEST_KEYS");
	char *path;
	size_t len;

	if (dir == NULL || *dir == '\0')
		return NULL;
	len = strlen(dir) + strlen(alg) + strlen(param) + 64;
	if ((path = malloc(len)) != NULL)
		snprintf(path, len, "%s/%s-%s-%d-%d.pem", dir, alg, param,
		    bits, n);
	return path;
}

static EVP_PKEY *
key_disk_load(const char *path)
{
	EVP_PKEY *pkey = NULL;
	FILE *fp;

	if (path == NULL || (fp = fopen(path, "r")) == NULL)
		return NULL;
	pkey = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	ERR_clear_error();
	return pkey;
}

static void
key_disk_save(const char *path, EVP_PKEY *pkey)
{
	char tmp[4096];
	FILE *fp;
	int ok;

	if (path == NULL ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path,
	    (long)getpid()) >= sizeof(tmp) || (fp = fopen(tmp, "w")) == NULL)
		return;
	ok = PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL, NULL) == 1;
	if (fclose(fp) != 0 || !ok || rename(tmp, path) != 0)
		unlink(tmp);
	ERR_clear_error();
}

static void pki_fail(const char *, ...)
    __attribute__((format(printf, 1, 2)));

/* Report a failure with OpenSSL's error queue, which it empties. */
static void
pki_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("pki: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
}

static size_t
bytes_len(const struct pki_bytes *b)
{
	if (b->ptr == NULL)
		return 0;
	return b->len != 0 ? b->len : strlen(b->ptr);
}

static EVP_PKEY *
key_get(const char *alg, const char *param, int bits, int n)
{
	struct key_slot *s;
	EVP_PKEY *pkey = NULL;
	char *disk = NULL;
	size_t i;

	for (i = 0; i < key_cache_len; i++) {
		s = &key_cache[i];
		if (strcmp(s->alg, alg) == 0 && strcmp(s->param, param) == 0 &&
		    s->bits == bits && s->n == n)
			return s->pkey;
	}
	if (key_cache_len == KEY_CACHE_MAX) {
		pki_fail("key cache full (%d keys)", KEY_CACHE_MAX);
		goto out;
	}
	if (strlen(alg) >= sizeof(s->alg) || strlen(param) >= sizeof(s->param)) {
		pki_fail("key name too long: %s %s", alg, param);
		goto out;
	}

	disk = key_disk_path(alg, param, bits, n);
	if ((pkey = key_disk_load(disk)) == NULL) {
		ERR_clear_error();
		if (strcmp(alg, "RSA") == 0)
			pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
		else if (strcmp(alg, "EC") == 0)
			pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", param);
		else
			pkey = EVP_PKEY_Q_keygen(NULL, NULL, alg);
		if (pkey == NULL) {
			pki_fail("cannot generate %s %s%d key", alg, param, bits);
			goto out;
		}
		key_disk_save(disk, pkey);
	}

	s = &key_cache[key_cache_len++];
	snprintf(s->alg, sizeof(s->alg), "%s", alg);
	snprintf(s->param, sizeof(s->param), "%s", param);
	s->bits = bits;
	s->n = n;
	s->pkey = pkey;
out:
	free(disk);
	return pkey;
}

EVP_PKEY *
pki_key_rsa(int bits)
{
	return key_get("RSA", "", bits, 0);
}

EVP_PKEY *
pki_key_rsa_nth(int bits, int n)
{
	return key_get("RSA", "", bits, n);
}

EVP_PKEY *
pki_key_ec(const char *curve)
{
	return key_get("EC", curve, 0, 0);
}

EVP_PKEY *
pki_key_ed25519(void)
{
	return key_get("ED25519", "", 0, 0);
}

void
pki_key_free_all(void)
{
	size_t i;

	for (i = 0; i < key_cache_len; i++)
		EVP_PKEY_free(key_cache[i].pkey);
	memset(key_cache, 0, sizeof(key_cache));
	key_cache_len = 0;
}

/*
 * RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING
 * (not of the whole SubjectPublicKeyInfo).  Returns a new octet
 * string or NULL.
 */
static ASN1_OCTET_STRING *
key_id(EVP_PKEY *key)
{
	X509_PUBKEY *pub = NULL;
	ASN1_OCTET_STRING *id = NULL;
	const unsigned char *bits;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen;
	int bitslen;

	if (X509_PUBKEY_set(&pub, key) != 1 ||
	    X509_PUBKEY_get0_param(NULL, &bits, &bitslen, NULL, pub) != 1 ||
	    EVP_Digest(bits, (size_t)bitslen, md, &mdlen, EVP_sha1(),
	    NULL) != 1)
		goto out;
	if ((id = ASN1_OCTET_STRING_new()) == NULL ||
	    ASN1_OCTET_STRING_set(id, md, (int)mdlen) != 1) {
		ASN1_OCTET_STRING_free(id);
		id = NULL;
	}
out:
	X509_PUBKEY_free(pub);
	return id;
}

static ASN1_OCTET_STRING *
octets(const struct pki_bytes *b)
{
	ASN1_OCTET_STRING *os;

	if ((os = ASN1_OCTET_STRING_new()) == NULL)
		return NULL;
	if (ASN1_OCTET_STRING_set(os, b->ptr, (int)bytes_len(b)) != 1) {
		ASN1_OCTET_STRING_free(os);
		return NULL;
	}
	return os;
}

static int
set_name(X509 *x, const struct pki_spec *spec)
{
	const struct {
		const char *field;
		const char *value;
	} rdn[] = {
		{ "C", spec->c },
		{ "O", spec->o },
		{ "OU", spec->ou },
		{ "CN", spec->cn },
	};
	X509_NAME *name;
	size_t i;
	int rc = -1;

	if ((name = X509_NAME_new()) == NULL)
		goto out;
	for (i = 0; i < sizeof(rdn) / sizeof(rdn[0]); i++) {
		if (rdn[i].value == NULL)
			continue;
		if (X509_NAME_add_entry_by_txt(name, rdn[i].field,
		    MBSTRING_UTF8, (const unsigned char *)rdn[i].value, -1,
		    -1, 0) != 1)
			goto out;
	}
	if (X509_set_subject_name(x, name) != 1)
		goto out;
	if (X509_set_issuer_name(x, spec->issuer != NULL ?
	    X509_get_subject_name(spec->issuer) : name) != 1)
		goto out;
	rc = 0;
out:
	X509_NAME_free(name);
	return rc;
}

static int
set_serial(X509 *x, const struct pki_spec *spec)
{
	unsigned char rnd[16];
	const unsigned char *p = spec->serial.ptr;
	size_t len = bytes_len(&spec->serial);
	BIGNUM *bn = NULL;
	ASN1_INTEGER *ai = NULL;
	int rc = -1;

	if (len == 0) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			goto out;
		rnd[0] = (rnd[0] & 0x7f) | 0x40;	/* positive, 16 bytes */
		p = rnd;
		len = sizeof(rnd);
	}
	if ((bn = BN_bin2bn(p, (int)len, NULL)) == NULL)
		goto out;
	BN_set_negative(bn, spec->serial_negative);
	if ((ai = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    X509_set_serialNumber(x, ai) != 1)
		goto out;
	rc = 0;
out:
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return rc;
}

static int
set_time(X509 *x, time_t t, bool before)
{
	ASN1_TIME *at;
	int ok;

	if ((at = ASN1_TIME_set(NULL, t)) == NULL)
		return -1;
	ok = before ? X509_set1_notBefore(x, at) : X509_set1_notAfter(x, at);
	ASN1_TIME_free(at);
	return ok == 1 ? 0 : -1;
}

static int
add_bc(X509 *x, const struct pki_spec *spec)
{
	BASIC_CONSTRAINTS *bc;
	int rc = -1;

	if ((bc = BASIC_CONSTRAINTS_new()) == NULL)
		goto out;
	bc->ca = spec->ca ? 0xff : 0;
	if (spec->has_pathlen) {
		if ((bc->pathlen = ASN1_INTEGER_new()) == NULL ||
		    ASN1_INTEGER_set(bc->pathlen, spec->pathlen) != 1)
			goto out;
	}
	if (X509_add1_ext_i2d(x, NID_basic_constraints, bc,
	    spec->bc_noncritical ? 0 : 1, X509V3_ADD_DEFAULT) != 1)
		goto out;
	rc = 0;
out:
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

static int
add_ku(X509 *x, const struct pki_spec *spec, EVP_PKEY *key)
{
	ASN1_BIT_STRING *bs;
	unsigned ku = spec->ku;
	int bit, rc = -1;

	if (ku == 0) {
		if (spec->ca)
			ku = PKI_KU_KEY_CERT_SIGN | PKI_KU_CRL_SIGN |
			    PKI_KU_DIGITAL_SIGNATURE;
		else if (EVP_PKEY_is_a(key, "RSA"))
			ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_KEY_ENCIPHERMENT;
		else
			ku = PKI_KU_DIGITAL_SIGNATURE;
	}
	if ((bs = ASN1_BIT_STRING_new()) == NULL)
		goto out;
	for (bit = 0; bit <= 8; bit++) {
		if ((ku & (1u << bit)) != 0 &&
		    ASN1_BIT_STRING_set_bit(bs, bit, 1) != 1)
			goto out;
	}
	if (X509_add1_ext_i2d(x, NID_key_usage, bs, 1, X509V3_ADD_DEFAULT) != 1)
		goto out;
	rc = 0;
out:
	ASN1_BIT_STRING_free(bs);
	return rc;
}

static int
add_eku(X509 *x, unsigned eku)
{
	static const struct {
		unsigned bit;
		int nid;
	} purposes[] = {
		{ PKI_EKU_SERVER_AUTH, NID_server_auth },
		{ PKI_EKU_CLIENT_AUTH, NID_client_auth },
		{ PKI_EKU_ANY, NID_anyExtendedKeyUsage },
		{ PKI_EKU_CODE_SIGNING, NID_code_sign },
		{ PKI_EKU_EMAIL_PROTECTION, NID_email_protect },
	};
	EXTENDED_KEY_USAGE *st;
	size_t i;
	int rc = -1;

	/* OBJ_nid2obj() objects are static; ASN1_OBJECT_free ignores them. */
	if ((st = sk_ASN1_OBJECT_new_null()) == NULL)
		goto out;
	for (i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++) {
		if ((eku & purposes[i].bit) != 0 &&
		    sk_ASN1_OBJECT_push(st, OBJ_nid2obj(purposes[i].nid)) <= 0)
			goto out;
	}
	if (X509_add1_ext_i2d(x, NID_ext_key_usage, st, 0,
	    X509V3_ADD_DEFAULT) != 1)
		goto out;
	rc = 0;
out:
	sk_ASN1_OBJECT_pop_free(st, ASN1_OBJECT_free);
	return rc;
}

/* Push a GENERAL_NAME of type (GEN_DNS or GEN_URI) holding the bytes. */
static int
push_ia5(GENERAL_NAMES *gens, int type, const void *p, size_t len)
{
	GENERAL_NAME *gen = NULL;
	ASN1_IA5STRING *s = NULL;

	if ((gen = GENERAL_NAME_new()) == NULL ||
	    (s = ASN1_IA5STRING_new()) == NULL ||
	    ASN1_STRING_set(s, p, (int)len) != 1)
		goto fail;
	GENERAL_NAME_set0_value(gen, type, s);
	s = NULL;
	if (sk_GENERAL_NAME_push(gens, gen) <= 0)
		goto fail;
	return 0;
fail:
	ASN1_IA5STRING_free(s);
	GENERAL_NAME_free(gen);
	return -1;
}

static int
add_san(X509 *x, const struct pki_spec *spec)
{
	GENERAL_NAMES *gens;
	GENERAL_NAME *gen;
	ASN1_OCTET_STRING *ip;
	size_t i;
	int rc = -1;

	if ((gens = sk_GENERAL_NAME_new_null()) == NULL)
		goto out;
	for (i = 0; i < PKI_MAX_NAMES && spec->dns[i].ptr != NULL; i++) {
		if (push_ia5(gens, GEN_DNS, spec->dns[i].ptr,
		    bytes_len(&spec->dns[i])) == -1)
			goto out;
	}
	for (i = 0; i < PKI_MAX_NAMES && spec->ip[i] != NULL; i++) {
		if ((ip = a2i_IPADDRESS(spec->ip[i])) == NULL) {
			pki_fail("not an IP address: %s", spec->ip[i]);
			goto out;
		}
		if ((gen = GENERAL_NAME_new()) == NULL) {
			ASN1_OCTET_STRING_free(ip);
			goto out;
		}
		GENERAL_NAME_set0_value(gen, GEN_IPADD, ip);
		if (sk_GENERAL_NAME_push(gens, gen) <= 0) {
			GENERAL_NAME_free(gen);
			goto out;
		}
	}
	for (i = 0; i < PKI_MAX_NAMES && spec->uri[i] != NULL; i++) {
		if (push_ia5(gens, GEN_URI, spec->uri[i],
		    strlen(spec->uri[i])) == -1)
			goto out;
	}
	if (sk_GENERAL_NAME_num(gens) > 0 &&
	    X509_add1_ext_i2d(x, NID_subject_alt_name, gens,
	    spec->san_critical, X509V3_ADD_DEFAULT) != 1)
		goto out;
	rc = 0;
out:
	GENERAL_NAMES_free(gens);
	return rc;
}

static int
push_access(AUTHORITY_INFO_ACCESS *aia, int method, const char *uri)
{
	ACCESS_DESCRIPTION *ad;
	GENERAL_NAMES *tmp;
	int rc = -1;

	/* Build the name in a scratch list, then move it into ad. */
	if ((tmp = sk_GENERAL_NAME_new_null()) == NULL)
		goto out;
	if (push_ia5(tmp, GEN_URI, uri, strlen(uri)) == -1 ||
	    (ad = ACCESS_DESCRIPTION_new()) == NULL)
		goto out;
	ASN1_OBJECT_free(ad->method);
	ad->method = OBJ_nid2obj(method);
	GENERAL_NAME_free(ad->location);
	ad->location = sk_GENERAL_NAME_pop(tmp);
	if (sk_ACCESS_DESCRIPTION_push(aia, ad) <= 0) {
		ACCESS_DESCRIPTION_free(ad);
		goto out;
	}
	rc = 0;
out:
	GENERAL_NAMES_free(tmp);
	return rc;
}

static int
add_aia(X509 *x, const struct pki_spec *spec)
{
	AUTHORITY_INFO_ACCESS *aia;
	int rc = -1;

	if ((aia = sk_ACCESS_DESCRIPTION_new_null()) == NULL)
		goto out;
	if (spec->aia_ocsp != NULL &&
	    push_access(aia, NID_ad_OCSP, spec->aia_ocsp) == -1)
		goto out;
	if (spec->aia_ca_issuers != NULL &&
	    push_access(aia, NID_ad_ca_issuers, spec->aia_ca_issuers) == -1)
		goto out;
	if (X509_add1_ext_i2d(x, NID_info_access, aia, 0,
	    X509V3_ADD_DEFAULT) != 1)
		goto out;
	rc = 0;
out:
	AUTHORITY_INFO_ACCESS_free(aia);
	return rc;
}

/* A GeneralSubtrees list of dNSName bases, or NULL (none given, or error). */
static STACK_OF(GENERAL_SUBTREE) *
subtrees(const char *const *names, bool *err)
{
	STACK_OF(GENERAL_SUBTREE) *st = NULL;
	GENERAL_SUBTREE *sub;
	GENERAL_NAMES *tmp = NULL;
	size_t i;

	for (i = 0; i < PKI_MAX_NAMES && names[i] != NULL; i++) {
		if ((st == NULL && (st = sk_GENERAL_SUBTREE_new_null()) == NULL) ||
		    (tmp = sk_GENERAL_NAME_new_null()) == NULL ||
		    push_ia5(tmp, GEN_DNS, names[i], strlen(names[i])) == -1 ||
		    (sub = GENERAL_SUBTREE_new()) == NULL)
			goto fail;
		GENERAL_NAME_free(sub->base);
		sub->base = sk_GENERAL_NAME_pop(tmp);
		GENERAL_NAMES_free(tmp);
		tmp = NULL;
		if (sk_GENERAL_SUBTREE_push(st, sub) <= 0) {
			GENERAL_SUBTREE_free(sub);
			goto fail;
		}
	}
	return st;
fail:
	GENERAL_NAMES_free(tmp);
	sk_GENERAL_SUBTREE_pop_free(st, GENERAL_SUBTREE_free);
	*err = true;
	return NULL;
}

static int
add_nc(X509 *x, const struct pki_spec *spec)
{
	NAME_CONSTRAINTS *nc;
	bool err = false;
	int rc = -1;

	if (spec->nc_permit[0] == NULL && spec->nc_exclude[0] == NULL)
		return 0;
	if ((nc = NAME_CONSTRAINTS_new()) == NULL)
		goto out;
	nc->permittedSubtrees = subtrees(spec->nc_permit, &err);
	nc->excludedSubtrees = subtrees(spec->nc_exclude, &err);
	if (err || X509_add1_ext_i2d(x, NID_name_constraints, nc,
	    spec->nc_noncritical ? 0 : 1, X509V3_ADD_DEFAULT) != 1)
		goto out;
	rc = 0;
out:
	NAME_CONSTRAINTS_free(nc);
	return rc;
}

static int
add_raw(X509 *x, const struct pki_ext *e)
{
	ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *os = NULL;
	X509_EXTENSION *ext = NULL;
	int rc = -1;

	if ((obj = OBJ_txt2obj(e->oid, 1)) == NULL ||
	    (os = octets(&e->der)) == NULL ||
	    (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, e->critical,
	    os)) == NULL || X509_add_ext(x, ext, -1) != 1) {
		pki_fail("cannot add extension %s", e->oid);
		goto out;
	}
	rc = 0;
out:
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
	return rc;
}

/* authorityCertIssuer and authorityCertSerialNumber, no keyIdentifier. */
static int
akid_by_name(AUTHORITY_KEYID *akid, X509 *x, const struct pki_spec *spec)
{
	X509 *by = spec->issuer != NULL ? spec->issuer : x;
	GENERAL_NAME *gen;
	X509_NAME *name;

	if ((akid->issuer = sk_GENERAL_NAME_new_null()) == NULL ||
	    (gen = GENERAL_NAME_new()) == NULL)
		return -1;
	if ((name = X509_NAME_dup(X509_get_subject_name(by))) == NULL) {
		GENERAL_NAME_free(gen);
		return -1;
	}
	GENERAL_NAME_set0_value(gen, GEN_DIRNAME, name);
	if (sk_GENERAL_NAME_push(akid->issuer, gen) <= 0) {
		GENERAL_NAME_free(gen);
		return -1;
	}
	akid->serial = ASN1_INTEGER_dup(X509_get0_serialNumber(by));
	return akid->serial != NULL ? 0 : -1;
}

static int
add_kids(X509 *x, const struct pki_spec *spec, EVP_PKEY *key,
    EVP_PKEY *signer)
{
	ASN1_OCTET_STRING *skid = NULL;
	AUTHORITY_KEYID *akid = NULL;
	const ASN1_OCTET_STRING *issuer_skid;
	int rc = -1;

	if (!spec->no_skid) {
		skid = bytes_len(&spec->skid) > 0 ? octets(&spec->skid) :
		    key_id(key);
		if (skid == NULL || X509_add1_ext_i2d(x,
		    NID_subject_key_identifier, skid, 0,
		    X509V3_ADD_DEFAULT) != 1)
			goto out;
	}
	if (!spec->no_akid) {
		if ((akid = AUTHORITY_KEYID_new()) == NULL)
			goto out;
		issuer_skid = spec->issuer != NULL ?
		    X509_get0_subject_key_id(spec->issuer) : NULL;
		if (spec->akid_no_keyid) {
			if (akid_by_name(akid, x, spec) == -1 ||
			    X509_add1_ext_i2d(x, NID_authority_key_identifier,
			    akid, 0, X509V3_ADD_DEFAULT) != 1)
				goto out;
			rc = 0;
			goto out;
		}
		if (bytes_len(&spec->akid) > 0)
			akid->keyid = octets(&spec->akid);
		else if (issuer_skid != NULL)
			akid->keyid = ASN1_OCTET_STRING_dup(issuer_skid);
		else
			akid->keyid = key_id(signer);
		if (akid->keyid == NULL || X509_add1_ext_i2d(x,
		    NID_authority_key_identifier, akid, 0,
		    X509V3_ADD_DEFAULT) != 1)
			goto out;
	}
	rc = 0;
out:
	AUTHORITY_KEYID_free(akid);
	ASN1_OCTET_STRING_free(skid);
	return rc;
}

static int
add_extensions(X509 *x, const struct pki_spec *spec, EVP_PKEY *key,
    EVP_PKEY *signer)
{
	unsigned eku = spec->eku;
	size_t i;

	if (eku == 0 && !spec->ca)
		eku = PKI_EKU_SERVER_AUTH | PKI_EKU_CLIENT_AUTH;

	if (!spec->no_bc && add_bc(x, spec) == -1)
		return -1;
	if ((spec->ku & PKI_KU_ABSENT) == 0 && add_ku(x, spec, key) == -1)
		return -1;
	if (eku != 0 && (eku & PKI_EKU_ABSENT) == 0 && add_eku(x, eku) == -1)
		return -1;
	if (add_kids(x, spec, key, signer) == -1)
		return -1;
	if (add_san(x, spec) == -1)
		return -1;
	if ((spec->aia_ca_issuers != NULL || spec->aia_ocsp != NULL) &&
	    add_aia(x, spec) == -1)
		return -1;
	if (add_nc(x, spec) == -1)
		return -1;
	for (i = 0; i < sizeof(spec->ext) / sizeof(spec->ext[0]) &&
	    spec->ext[i].oid != NULL; i++)
		if (add_raw(x, &spec->ext[i]) == -1)
			return -1;
	return 0;
}

X509 *
pki_issue(const struct pki_spec *spec)
{
	EVP_PKEY *key, *signer;
	const EVP_MD *md;
	time_t now = time(NULL);
	X509 *x = NULL;
	int ok = 0;

	ERR_clear_error();
	if ((key = spec->key) == NULL && (key = pki_key_rsa(2048)) == NULL)
		goto out;
	if (spec->issuer != NULL && spec->issuer_key == NULL) {
		pki_fail("spec has an issuer but no issuer_key");
		goto out;
	}
	signer = spec->issuer_key != NULL ? spec->issuer_key : key;
	/* EdDSA signs the message itself: X509_sign() wants no digest. */
	md = spec->md != NULL ? spec->md : EVP_sha256();
	if (EVP_PKEY_is_a(signer, "ED25519") || EVP_PKEY_is_a(signer, "ED448"))
		md = NULL;

	if ((x = X509_new()) == NULL ||
	    X509_set_version(x, spec->v1 ? X509_VERSION_1 : X509_VERSION_3) != 1 ||
	    set_serial(x, spec) == -1 ||
	    set_name(x, spec) == -1 ||
	    set_time(x, spec->not_before != 0 ? spec->not_before :
	    now - PKI_DAY, true) == -1 ||
	    set_time(x, spec->not_after != 0 ? spec->not_after :
	    now + 90 * PKI_DAY, false) == -1 ||
	    X509_set_pubkey(x, key) != 1)
		goto out;
	if (!spec->v1 && add_extensions(x, spec, key, signer) == -1)
		goto out;
	/* X509_sign() returns the signature's length, 0 on error. */
	if (X509_sign(x, signer, md) <= 0)
		goto out;
	ok = 1;
out:
	if (!ok) {
		pki_fail("cannot issue certificate \"%s\"",
		    spec->cn != NULL ? spec->cn : "");
		X509_free(x);
		x = NULL;
	}
	return x;
}

STACK_OF(X509) *
pki_stack(X509 *first, ...)
{
	STACK_OF(X509) *sk;
	va_list ap;
	X509 *x;

	if ((sk = sk_X509_new_null()) == NULL)
		goto out;
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *)) {
		if (X509_up_ref(x) != 1)
			break;
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			break;
		}
	}
	va_end(ap);
	if (x != NULL) {
		pki_fail("cannot build a certificate stack");
		sk_X509_pop_free(sk, X509_free);
		sk = NULL;
	}
out:
	return sk;
}

/*
 * Finish an encoding into the memory BIO bio (freed here): ok is the
 * encoder's result, 1 on success for every encoder used below.
 * Returns a malloc'd, NUL-terminated copy of the bytes, or NULL.
 */
static unsigned char *
bio_finish(BIO *bio, int ok, const char *what, size_t *len)
{
	unsigned char *buf = NULL;
	char *data;
	long n;

	if (bio == NULL || ok != 1)
		goto out;
	if ((n = BIO_get_mem_data(bio, &data)) < 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL)
		goto out;
	memcpy(buf, data, (size_t)n);
	buf[n] = '\0';
	*len = (size_t)n;
out:
	if (buf == NULL)
		pki_fail("cannot encode %s", what);
	BIO_free(bio);
	return buf;
}

unsigned char *
pki_pem(STACK_OF(X509) *certs, size_t *len)
{
	BIO *bio;
	int i, ok = 1;

	ERR_clear_error();
	bio = BIO_new(BIO_s_mem());
	for (i = 0; bio != NULL && ok == 1 && i < sk_X509_num(certs); i++)
		ok = PEM_write_bio_X509(bio, sk_X509_value(certs, i));
	return bio_finish(bio, ok, "PEM certificates", len);
}

unsigned char *
pki_der(X509 *x, size_t *len)
{
	BIO *bio;

	ERR_clear_error();
	bio = BIO_new(BIO_s_mem());
	return bio_finish(bio, bio != NULL ? i2d_X509_bio(bio, x) : 0,
	    "DER certificate", len);
}

unsigned char *
pki_p7(STACK_OF(X509) *certs, enum pki_form form, size_t *len)
{
	BIO *bio = NULL;
	PKCS7 *p7;
	int i, ok = 0;

	/* A degenerate signedData holding only certificates, as
	 * "openssl crl2pkcs7 -nocrl" writes it. */
	ERR_clear_error();
	if ((p7 = PKCS7_new()) == NULL ||
	    PKCS7_set_type(p7, NID_pkcs7_signed) != 1 ||
	    PKCS7_content_new(p7, NID_pkcs7_data) != 1)
		goto out;
	for (i = 0; i < sk_X509_num(certs); i++) {
		if (PKCS7_add_certificate(p7, sk_X509_value(certs, i)) != 1)
			goto out;
	}
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	ok = form == PKI_PEM ? PEM_write_bio_PKCS7(bio, p7) :
	    i2d_PKCS7_bio(bio, p7);
out:
	PKCS7_free(p7);
	return bio_finish(bio, ok, "PKCS#7", len);
}

unsigned char *
pki_p12(const char *password, EVP_PKEY *key, X509 *leaf,
    STACK_OF(X509) *ca, size_t *len)
{
	BIO *bio = NULL;
	PKCS12 *p12;
	int ok = 0;

	/* nid 0 and iter 0 pick OpenSSL 3's defaults: AES-256-CBC with
	 * PBKDF2 and a SHA-256 MAC. */
	ERR_clear_error();
	p12 = PKCS12_create(password, "bwc test", key, leaf, ca, 0, 0, 0, 0, 0);
	if (p12 == NULL || (bio = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	ok = i2d_PKCS12_bio(bio, p12);
out:
	PKCS12_free(p12);
	return bio_finish(bio, ok, "PKCS#12", len);
}

unsigned char *
pki_key_pem(EVP_PKEY *key, const char *password, size_t *len)
{
	const EVP_CIPHER *enc = password != NULL ? EVP_aes_256_cbc() : NULL;
	int plen = password != NULL ? (int)strlen(password) : 0;
	BIO *bio;

	ERR_clear_error();
	bio = BIO_new(BIO_s_mem());
	return bio_finish(bio, bio != NULL ? PEM_write_bio_PKCS8PrivateKey(bio,
	    key, enc, password, plen, NULL, NULL) : 0, "private key", len);
}

int
pki_write(const char *path, const void *data, size_t len)
{
	FILE *f;
	int rc = -1;

	if ((f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "pki: %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "pki: %s: %s\n", path, strerror(errno));
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "pki: %s: %s\n", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	return rc;
}

/*
 * Write buf (taken: freed here) to path; -1 if buf is NULL.  The
 * callers encode first, then call this: len must be read after the
 * encoder has set it.
 */
static int
write_take(const char *path, unsigned char *buf, const size_t *len)
{
	int rc = -1;

	if (buf != NULL)
		rc = pki_write(path, buf, *len);
	free(buf);
	return rc;
}

int
pki_write_pem(const char *path, X509 *first, ...)
{
	STACK_OF(X509) *sk;
	size_t len = 0;
	va_list ap;
	X509 *x;
	int rc = -1;

	if ((sk = sk_X509_new_null()) == NULL)
		goto out;
	/* A borrowed stack: no up-references, sk_X509_free() below. */
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *)) {
		if (sk_X509_push(sk, x) <= 0)
			break;
	}
	va_end(ap);
	if (x == NULL)
		rc = write_take(path, pki_pem(sk, &len), &len);
	else
		pki_fail("cannot build a certificate stack");
out:
	sk_X509_free(sk);
	return rc;
}

int
pki_write_der(const char *path, X509 *x)
{
	size_t len = 0;

	return write_take(path, pki_der(x, &len), &len);
}

int
pki_write_p7(const char *path, enum pki_form form, STACK_OF(X509) *certs)
{
	size_t len = 0;

	return write_take(path, pki_p7(certs, form, &len), &len);
}

int
pki_write_p12(const char *path, const char *password, EVP_PKEY *key,
    X509 *leaf, STACK_OF(X509) *ca)
{
	size_t len = 0;

	return write_take(path, pki_p12(password, key, leaf, ca, &len), &len);
}

int
pki_write_key(const char *path, EVP_PKEY *key, const char *password)
{
	size_t len = 0;

	return write_take(path, pki_key_pem(key, password, &len), &len);
}

char *
pki_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = NULL;
	size_t n;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = strlen(base) + sizeof("/bwc-pki-XXXXXX");
	if ((dir = malloc(n)) == NULL)
		goto out;
	snprintf(dir, n, "%s/bwc-pki-XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		fprintf(stderr, "pki: mkdtemp %s: %s\n", dir, strerror(errno));
		free(dir);
		dir = NULL;
	}
out:
	return dir;
}

int
pki_tmpdir_remove(const char *dir)
{
	DIR *d;
	struct dirent *e;
	char path[4096];
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path) || unlink(path) == -1)
			rc = -1;
	}
	closedir(d);
	if (rmdir(dir) == -1)
		rc = -1;
	return rc;
}

/* A CA certificate named cn, valid from now - days_back to now + days_ahead. */
static X509 *
world_ca(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key,
    int days_back, int days_ahead)
{
	time_t now = time(NULL);

	return pki_issue(&(struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = cn,
		.ca = true,
		.has_pathlen = issuer != NULL, .pathlen = 0,
		.not_before = now - days_back * PKI_DAY,
		.not_after = now + days_ahead * PKI_DAY,
		.key = key,
		.issuer = issuer, .issuer_key = issuer_key,
	});
}

int
pki_world_init(struct pki_world *w)
{
	int rc = -1;

	memset(w, 0, sizeof(*w));
	/* Distinct keys, so no CA can pass for another by its key. */
	if ((w->leaf_key = pki_key_rsa_nth(2048, 0)) == NULL ||
	    (w->root_key = pki_key_rsa_nth(2048, 1)) == NULL ||
	    (w->intermediate_key = pki_key_rsa_nth(2048, 2)) == NULL ||
	    (w->other_root_key = pki_key_rsa_nth(2048, 3)) == NULL ||
	    (w->other_intermediate_key = pki_key_rsa_nth(2048, 4)) == NULL)
		goto out;
	if ((w->root = world_ca("BWC Test Root CA", w->root_key, NULL, NULL,
	    730, 3650)) == NULL ||
	    (w->intermediate = world_ca("BWC Test Issuing CA",
	    w->intermediate_key, w->root, w->root_key, 365, 1825)) == NULL ||
	    (w->other_root = world_ca("Other Test Root", w->other_root_key,
	    NULL, NULL, 730, 3650)) == NULL ||
	    (w->other_intermediate = world_ca("Other Test Issuing CA",
	    w->other_intermediate_key, w->other_root, w->other_root_key,
	    365, 1825)) == NULL)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		pki_world_free(w);
	return rc;
}

void
pki_world_free(struct pki_world *w)
{
	X509_free(w->root);
	X509_free(w->intermediate);
	X509_free(w->other_root);
	X509_free(w->other_intermediate);
	memset(w, 0, sizeof(*w));
}

struct pki_spec
pki_world_leaf_spec(const struct pki_world *w, const char *fqdn)
{
	return (struct pki_spec){
		.cn = fqdn,
		.dns = { { fqdn, 0 } },
		.key = w->leaf_key,
		.issuer = w->intermediate,
		.issuer_key = w->intermediate_key,
	};
}

X509 *
pki_world_leaf(const struct pki_world *w, const char *fqdn)
{
	struct pki_spec spec = pki_world_leaf_spec(w, fqdn);

	return pki_issue(&spec);
}

X509 *
pki_world_other_leaf(const struct pki_world *w, const char *fqdn)
{
	struct pki_spec spec = pki_world_leaf_spec(w, fqdn);

	spec.issuer = w->other_intermediate;
	spec.issuer_key = w->other_intermediate_key;
	return pki_issue(&spec);
}

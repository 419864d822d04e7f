/*
 * cert_facts.c - copying, freeing and naming certificate facts.
 */
#include <stdlib.h>
#include <string.h>

#include "core/cert_facts.h"
#include "core/esc.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
dup_bstr(struct bstr *dst, const struct bstr *src)
{
	dst->len = src->len;
	dst->ptr = NULL;
	if (src->ptr == NULL)
		return;
	dst->ptr = xmalloc(src->len + 1);
	memcpy(dst->ptr, src->ptr, src->len);
	dst->ptr[src->len] = '\0';
}

static struct bstr *
dup_bstrs(const struct bstr *src, size_t n)
{
	struct bstr *dst;
	size_t i;

	if (src == NULL)
		return NULL;
	dst = xcalloc(n > 0 ? n : 1, sizeof(*dst));
	for (i = 0; i < n; i++)
		dup_bstr(&dst[i], &src[i]);
	return dst;
}

static void
free_bstrs(struct bstr *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(b[i].ptr);
	free(b);
}

void
facts_copy(struct cert_facts *dst, const struct cert_facts *src)
{
	size_t i;

	*dst = *src;
	dst->subject = dup_or_null(src->subject);
	dst->issuer = dup_or_null(src->issuer);
	dup_bstr(&dst->subject_cn, &src->subject_cn);
	dst->serial_hex = dup_or_null(src->serial_hex);
	dst->key_curve = dup_or_null(src->key_curve);
	dst->sig_alg = dup_or_null(src->sig_alg);
	if (src->san_dns != NULL) {
		dst->san_dns = xcalloc(src->n_san_dns > 0 ? src->n_san_dns : 1,
		    sizeof(*dst->san_dns));
		for (i = 0; i < src->n_san_dns; i++)
			dup_bstr(&dst->san_dns[i], &src->san_dns[i]);
	}
	dst->aia_ca_issuers = dup_or_null(src->aia_ca_issuers);
	dst->issuer_org = dup_or_null(src->issuer_org);
	dst->nc_permit_dns = dup_bstrs(src->nc_permit_dns, src->n_nc_permit_dns);
	dst->nc_exclude_dns = dup_bstrs(src->nc_exclude_dns,
	    src->n_nc_exclude_dns);
}

void
facts_free(struct cert_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->subject);
	free(f->issuer);
	free(f->subject_cn.ptr);
	free(f->serial_hex);
	free(f->key_curve);
	free(f->sig_alg);
	for (i = 0; i < f->n_san_dns; i++)
		free(f->san_dns[i].ptr);
	free(f->san_dns);
	free(f->aia_ca_issuers);
	free(f->issuer_org);
	free_bstrs(f->nc_permit_dns, f->n_nc_permit_dns);
	free_bstrs(f->nc_exclude_dns, f->n_nc_exclude_dns);
	memset(f, 0, sizeof(*f));
}

const char *
key_type_name(enum key_type t)
{
	static const char *const names[KEY__MAX] = {
		[KEY_UNKNOWN] = "unknown",
		[KEY_RSA] = "RSA",
		[KEY_RSA_PSS] = "RSA-PSS",
		[KEY_EC] = "EC",
		[KEY_ED25519] = "Ed25519",
		[KEY_ED448] = "Ed448",
		[KEY_DSA] = "DSA",
	};

	return (unsigned)t < KEY__MAX ? names[t] : "unknown";
}

const char *
sig_hash_name(enum sig_hash h)
{
	static const char *const names[SIGHASH__MAX] = {
		[SIGHASH_UNKNOWN] = "unknown",
		[SIGHASH_MD5] = "MD5",
		[SIGHASH_SHA1] = "SHA-1",
		[SIGHASH_SHA224] = "SHA-224",
		[SIGHASH_SHA256] = "SHA-256",
		[SIGHASH_SHA384] = "SHA-384",
		[SIGHASH_SHA512] = "SHA-512",
		[SIGHASH_NONE] = "none (EdDSA)",
	};

	return (unsigned)h < SIGHASH__MAX ? names[h] : "unknown";
}

char *
facts_label(const struct cert_facts *f)
{
	if (f->n_san_dns > 0)
		return esc_printable(f->san_dns[0].ptr, f->san_dns[0].len);
	if (f->subject_cn.len > 0)
		return esc_printable(f->subject_cn.ptr, f->subject_cn.len);
	return xstrdup(f->subject != NULL && f->subject[0] != '\0' ?
	    f->subject : "(empty subject)");
}

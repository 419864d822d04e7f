/*
 * check_name.c - fqdn-match: a SAN dNSName covers the equipment's FQDN.
 *
 * Matching follows the carrier, not RFC 5922: only dNSName entries
 * count (public CAs may not issue sip: URIs), compared as RFC 9525 6.3
 * says (fqdn.c).  No CN fallback.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/esc.h"
#include "core/fqdn.h"
#include "rules/check_util.h"

/* At most this many SANs are listed in a failure message. */
#define SAN_LIST_MAX 8

static void
fqdn_match_judge(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	int idx = (int)in->chain->leaf;
	struct buf list = { 0 };
	enum fqdn_match m;
	char *san, *wild = NULL;
	size_t i;

	if (leaf->san_invalid) {
		verdict_set(v, STATUS_FAIL, idx, "the leaf's subjectAltName "
		    "extension is duplicated or undecodable");
		return;
	}
	for (i = 0; i < leaf->n_san_dns; i++) {
		m = fqdn_match(leaf->san_dns[i].ptr, leaf->san_dns[i].len,
		    in->fqdn, in->policy->wildcards);
		if (m == FQDN_NO_MATCH) {
			/* Remember a wildcard the policy forbids, to say so. */
			if (wild == NULL && !in->policy->wildcards &&
			    fqdn_match(leaf->san_dns[i].ptr, leaf->san_dns[i].len,
			    in->fqdn, true) == FQDN_WILDCARD)
				wild = esc_printable(leaf->san_dns[i].ptr,
				    leaf->san_dns[i].len);
			continue;
		}
		san = esc_printable(leaf->san_dns[i].ptr, leaf->san_dns[i].len);
		verdict_set(v, STATUS_PASS, idx, "SAN %s covers %s%s", san,
		    in->fqdn, m == FQDN_WILDCARD ? " (wildcard)" : "");
		free(san);
		free(wild);
		return;
	}
	if (wild != NULL) {
		verdict_set(v, STATUS_FAIL, idx, "only the wildcard %s covers %s, "
		    "and policy %s does not allow wildcards", wild, in->fqdn,
		    in->policy->name);
		free(wild);
		return;
	}
	if (leaf->n_san_dns == 0) {
		verdict_set(v, STATUS_FAIL, idx, "the leaf has no SAN dNSName "
		    "(the CN is not used): nothing covers %s", in->fqdn);
		return;
	}
	/* A wildcard for a parent domain one level too high is the classic case. */
	for (i = 0; i < leaf->n_san_dns; i++) {
		const struct bstr *d = &leaf->san_dns[i];
		size_t flen = strlen(in->fqdn);

		if (d->len > 2 && d->ptr[0] == '*' && d->ptr[1] == '.' &&
		    memchr(d->ptr, '\0', d->len) == NULL &&
		    flen > d->len - 1 &&
		    strncasecmp(in->fqdn + flen - (d->len - 1),
		    (const char *)d->ptr + 1, d->len - 1) == 0) {
			san = esc_printable(d->ptr, d->len);
			verdict_set(v, STATUS_FAIL, idx, "%s stands for exactly one "
			    "label, so it does not cover %s, which has more "
			    "labels before %s", san, in->fqdn, san + 2);
			free(san);
			return;
		}
	}
	for (i = 0; i < leaf->n_san_dns && i < SAN_LIST_MAX; i++) {
		san = esc_printable(leaf->san_dns[i].ptr, leaf->san_dns[i].len);
		buf_addf(&list, "%s%s", i > 0 ? ", " : "", san);
		free(san);
	}
	if (leaf->n_san_dns > SAN_LIST_MAX)
		buf_addf(&list, " and %zu more", leaf->n_san_dns - SAN_LIST_MAX);
	verdict_set(v, STATUS_FAIL, idx, "no SAN dNSName covers %s (SANs: %s)",
	    in->fqdn, list.ptr);
	buf_free(&list);
}

/*
 * check_fqdn_match(), then a fix that fits the policy: without
 * wildcards, a wildcard is no way out.
 */
void
check_fqdn_match(const struct check_input *in, struct verdict *v)
{
	fqdn_match_judge(in, v);
	if (v->status == STATUS_FAIL && !in->policy->wildcards)
		verdict_fix(v, "Reissue the certificate with %s itself in the "
		    "SAN: policy %s allows no wildcards.", in->fqdn,
		    in->policy->name);
}

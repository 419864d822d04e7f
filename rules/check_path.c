/*
 * check_path.c - path-valid: the path obeys RFC 5280 as a strict
 * validator applies it.
 *
 * Two sources, one finding.  OpenSSL's strict verification
 * (X509_V_FLAG_X509_STRICT) and its name-constraints check give the
 * violations chain.c recorded; the rest are rules OpenSSL does not
 * check, judged here from the facts of each certificate: serial
 * numbers, the criticality RFC 5280 demands of some extensions, key
 * identifiers, authorityInfoAccess, the syntax of name constraints, and
 * a wildcard SAN that would stand for a name in an excluded subtree.
 */
#include <stdlib.h>

#include "core/esc.h"
#include "core/fqdn.h"
#include "rules/check_util.h"

/* RFC 5280 4.1.2.2: at most 20 octets. */
#define SERIAL_MAX_OCTETS 20

struct path_walk {
	const struct check_input *in;
	struct problems p;
};

/* Did OpenSSL already report a name constraint broken by certs[idx]? */
static bool
nc_reported(const struct chain_facts *c, int idx)
{
	size_t i;

	for (i = 0; i < c->n_violations; i++)
		if (c->violations[i].cert == idx &&
		    c->violations[i].name_constraints)
			return true;
	return false;
}

static bool
is_anchor(const struct chain_facts *c, int idx)
{
	return idx < 0 || (c->has_anchor && idx == c->anchor_input);
}

static void
violations_of(struct path_walk *w, const char *ref, int idx)
{
	const struct chain_facts *c = w->in->chain;
	size_t i;

	for (i = 0; i < c->n_violations; i++)
		if (c->violations[i].cert == idx)
			problems_add(&w->p, idx, "%s: %s", ref,
			    c->violations[i].what);
}

static void
serial_each(struct path_walk *w, const struct cert_facts *f, const char *ref,
    int idx)
{
	if (f->serial_zero)
		problems_add(&w->p, idx, "%s: serial number zero (RFC 5280 "
		    "4.1.2.2: a positive integer)", ref);
	else if (f->serial_negative)
		problems_add(&w->p, idx, "%s: a negative serial number (RFC "
		    "5280 4.1.2.2: a positive integer)", ref);
	if (f->serial_octets > SERIAL_MAX_OCTETS)
		problems_add(&w->p, idx, "%s: a serial number of %d octets "
		    "(RFC 5280 4.1.2.2: at most %d)", ref, f->serial_octets,
		    SERIAL_MAX_OCTETS);
}

static void
extensions_each(struct path_walk *w, const struct cert_facts *f,
    const char *ref, int idx)
{
	if (f->has_policy_constraints && !f->policy_constraints_critical)
		problems_add(&w->p, idx, "%s: policyConstraints is not "
		    "critical (RFC 5280 4.2.1.11: MUST be critical)", ref);
	if (f->has_inhibit_any && !f->inhibit_any_critical)
		problems_add(&w->p, idx, "%s: inhibitAnyPolicy is not critical "
		    "(RFC 5280 4.2.1.14: MUST be critical)", ref);
	if (f->has_akid && !f->akid_keyid)
		problems_add(&w->p, idx, "%s: authorityKeyIdentifier without "
		    "keyIdentifier (RFC 5280 4.2.1.1: MUST be included)", ref);
	if (f->aia_invalid)
		problems_add(&w->p, idx, "%s: a malformed "
		    "authorityInfoAccess (undecodable, or no access "
		    "description: RFC 5280 4.2.2.1)", ref);
	if (f->san_critical && !f->subject_empty)
		problems_add(&w->p, idx, "%s: subjectAltName is critical beside "
		    "a non-empty subject (RFC 5280 4.2.1.6: critical only when "
		    "the subject is empty)", ref);
}

/* Name a malformed dNSName base of a subtree list, if any. */
static void
nc_bases(struct path_walk *w, const char *ref, int idx, const char *which,
    const struct bstr *b, size_t n)
{
	char *name;
	size_t i;

	for (i = 0; i < n; i++) {
		if (fqdn_dns_syntax(b[i].ptr, b[i].len, false))
			continue;
		name = esc_printable(b[i].ptr, b[i].len);
		problems_add(&w->p, idx, "%s: the %s dNSName constraint \"%s\" "
		    "is not a DNS name (RFC 5280 4.2.1.10: host.example.com "
		    "form; no leading period)", ref, which, name);
		free(name);
	}
}

static void
nc_each(struct path_walk *w, const struct cert_facts *f, const char *ref,
    int idx)
{
	if (!f->has_nc)
		return;
	if (idx >= 0 && (size_t)idx == w->in->chain->leaf)
		problems_add(&w->p, idx, "%s: nameConstraints in an end-entity "
		    "certificate (RFC 5280 4.2.1.10: CA certificates only)", ref);
	if (!f->nc_critical)
		problems_add(&w->p, idx, "%s: nameConstraints is not critical "
		    "(RFC 5280 4.2.1.10: MUST be critical)", ref);
	if (f->nc_invalid) {
		problems_add(&w->p, idx, "%s: nameConstraints is undecodable or "
		    "appears twice (RFC 5280 4.2)", ref);
		return;
	}
	if (f->nc_empty)
		problems_add(&w->p, idx, "%s: nameConstraints with neither "
		    "permitted nor excluded subtrees (RFC 5280 4.2.1.10: one "
		    "MUST be present)", ref);
	else if (f->nc_empty_list)
		problems_add(&w->p, idx, "%s: nameConstraints with an empty "
		    "subtree list (RFC 5280 4.2.1.10: SIZE (1..MAX))", ref);
	nc_bases(w, ref, idx, "permitted", f->nc_permit_dns, f->n_nc_permit_dns);
	nc_bases(w, ref, idx, "excluded", f->nc_exclude_dns, f->n_nc_exclude_dns);
}

/*
 * The leaf's dNSNames against the constraints of one CA above it:
 * a wildcard that stands for a name of an excluded subtree (OpenSSL
 * compares the wildcard as text and misses "*.example.com" against an
 * excluded "pbx.example.com"), and a name that is not a DNS name at all
 * where the CA constrains DNS names.
 */
static void
leaf_names_under(struct path_walk *w, const struct cert_facts *ca,
    const char *ca_ref)
{
	const struct chain_facts *c = w->in->chain;
	const struct cert_facts *leaf = chain_leaf(c);
	const struct bstr *san, *base;
	int li = (int)c->leaf;
	char *name, *bname, *lref;
	size_t i, j;

	if (ca->n_nc_permit_dns == 0 && ca->n_nc_exclude_dns == 0)
		return;
	lref = cert_ref(leaf, li);
	for (i = 0; i < leaf->n_san_dns; i++) {
		san = &leaf->san_dns[i];
		name = esc_printable(san->ptr, san->len);
		if (!fqdn_dns_syntax(san->ptr, san->len, true)) {
			problems_add(&w->p, li, "%s: SAN \"%s\" is not a DNS name, "
			    "under the DNS name constraints of %s (RFC 5280 "
			    "4.2.1.6)", lref, name, ca_ref);
			free(name);
			continue;
		}
		for (j = 0; j < ca->n_nc_exclude_dns && !nc_reported(c, li);
		    j++) {
			base = &ca->nc_exclude_dns[j];
			if (!fqdn_wildcard_reaches(san->ptr, san->len, base->ptr,
			    base->len))
				continue;
			bname = esc_printable(base->ptr, base->len);
			problems_add(&w->p, li, "%s: the wildcard SAN %s stands "
			    "for names in %s, a subtree excluded by the "
			    "nameConstraints of %s (RFC 5280 4.2.1.10)", lref,
			    name, bname, ca_ref);
			free(bname);
			break;
		}
		free(name);
	}
	free(lref);
}

static void
path_each(const struct cert_facts *f, int idx, void *arg)
{
	struct path_walk *w = arg;
	char *ref = cert_ref(f, idx);

	violations_of(w, ref, idx);
	/*
	 * RFC 5280 6.1.1 (d) takes a trust anchor's name and key, not its
	 * certificate: roots in every store have serial number zero (Go
	 * Daddy and Starfield Root G2).  Its extensions are still judged.
	 */
	if (!is_anchor(w->in->chain, idx))
		serial_each(w, f, ref, idx);
	extensions_each(w, f, ref, idx);
	nc_each(w, f, ref, idx);
	if (idx < 0 || (size_t)idx != w->in->chain->leaf)
		leaf_names_under(w, f, ref);
	free(ref);
}

/* RFC 5280 sections 4 and 6, as a strict validator applies them. */
void
check_path_valid(const struct check_input *in, struct verdict *v)
{
	const struct chain_facts *c = in->chain;
	struct path_walk w = { .in = in };

	/* The violations OpenSSL found are all on the path it built. */
	chain_foreach(c, path_each, &w);
	/*
	 * A store root the path reached is no anchor when the path breaks
	 * a rule OpenSSL always enforces (accepted-ca fails), but its own
	 * violations are named all the same.
	 */
	if (!c->has_anchor && c->anchor.subject != NULL && c->anchor_input < 0)
		path_each(&c->anchor, -1, &w);
	if (w.p.count > 0)
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s", w.p.text.ptr);
	else
		verdict_set(v, STATUS_PASS, -1, "the path obeys RFC 5280: name "
		    "constraints, basicConstraints, key identifiers, serial "
		    "numbers and critical extensions");
	buf_free(&w.p.text);
}

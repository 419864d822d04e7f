/*
 * check_chain.c - the chain rules: accepted-ca, chain-complete,
 * chain-order, not-self-signed, leaf-not-ca, root-retiring.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/timeutil.h"
#include "rules/check_util.h"

/* How the certificates came: from files, a server or a client. */
static const char *
chain_source(const struct check_input *in)
{
	if (in->client != NULL)
		return "sent";
	return in->probe != NULL ? "served" : "given";
}

/* The anchor's name for a message: "Let's Encrypt: ISRG Root X1". */
static char *
anchor_name(const struct chain_facts *c)
{
	char *label = facts_label(&c->anchor), *out;

	if (c->anchor_info != NULL)
		out = xasprintf("%s root %s", brand_name(c->anchor_info->brand),
		    c->anchor_info->name);
	else
		out = xasprintf("%s (from --trust-store)", label);
	free(label);
	return out;
}

/*
 * If name is a built-in root of a brand the policy leaves out, say so
 * into v and return true.
 */
static bool
brand_not_in_policy(const struct check_input *in, const char *name, int cert,
    struct verdict *v)
{
	const struct root_info *ri;

	if (!in->builtin_roots || (ri = root_info_by_name(name)) == NULL ||
	    (in->policy->brands & (1u << ri->brand)) != 0)
		return false;
	verdict_set(v, STATUS_FAIL, cert, "the chain leads to %s, a root of "
	    "%s, which policy %s does not accept", ri->name,
	    brand_name(ri->brand), in->policy->name);
	return true;
}

/*
 * The path stopped for want of an issuer that is no root: the accepted
 * brand that issuer belongs to, by its organisation or its caIssuers
 * URL, or -1.  Only with the built-in roots and a brand the policy takes.
 */
static int
missing_brand(const struct check_input *in)
{
	const struct chain_facts *c = in->chain;
	const struct cert_facts *top = &c->certs[c->top];
	int b;

	if (!in->builtin_roots || c->status != CHAIN_ISSUER_MISSING ||
	    root_excluded_why(c->missing_issuer) != NULL ||
	    root_info_by_name(c->missing_issuer) != NULL)
		return -1;
	b = brand_hint(top->issuer_org, c->missing_issuer_aia);
	return b >= 0 && (in->policy->brands & (1u << b)) != 0 ? b : -1;
}

/* carrier: "certificate from an accepted CA". */
void
check_accepted_ca(const struct check_input *in, struct verdict *v)
{
	const struct chain_facts *c = in->chain;
	const struct cert_facts *top = &c->certs[c->top];
	const char *why;
	char *name, *ref;
	int brand;

	switch (c->status) {
	case CHAIN_VERIFIED:
		name = anchor_name(c);
		/* The company whose CA issued the leaf, beside the root's brand. */
		if (chain_leaf(c)->issuer_org != NULL)
			verdict_set(v, STATUS_PASS, -1, "the chain verifies up to "
			    "%s; issuing CA: %s", name, chain_leaf(c)->issuer_org);
		else
			verdict_set(v, STATUS_PASS, -1, "the chain verifies up to "
			    "%s", name);
		free(name);
		return;
	case CHAIN_UNTRUSTED_ROOT:
		if (brand_not_in_policy(in, top->subject, (int)c->top, v))
			return;
		ref = cert_ref(top, (int)c->top);
		why = root_excluded_why(top->subject);
		verdict_set(v, STATUS_FAIL, (int)c->top, "the chain ends at %s, "
		    "a self-signed root that is not an accepted CA (%s)%s%s", ref,
		    top->subject, why ? ": " : "", why ? why : "");
		free(ref);
		return;
	case CHAIN_ISSUER_MISSING:
		if (brand_not_in_policy(in, c->missing_issuer, (int)c->top, v) ||
		    brand_not_in_policy(in, top->subject, (int)c->top, v))
			return;
		if ((brand = missing_brand(in)) >= 0) {
			/* One cause, one finding: chain-complete names the fix. */
			verdict_set(v, STATUS_SKIP, (int)c->top, "judged once the "
			    "missing %s intermediate is added (chain-complete)",
			    brand_name((enum brand)brand));
			return;
		}
		ref = cert_ref(top, (int)c->top);
		if ((why = root_excluded_why(c->missing_issuer)) != NULL)
			verdict_set(v, STATUS_FAIL, (int)c->top, "the chain leads "
			    "to %s, which is not accepted: %s", c->missing_issuer,
			    why);
		else
			verdict_set(v, STATUS_FAIL, (int)c->top, "no path to an "
			    "accepted root: the issuer of %s, %s, is neither %s "
			    "nor an accepted root", ref, c->missing_issuer,
			    chain_source(in));
		free(ref);
		return;
	default:
		verdict_set(v, STATUS_FAIL, c->verify_depth >= 0 &&
		    (size_t)c->verify_depth < c->path_len ?
		    (int)c->path[c->verify_depth] : -1,
		    "the path does not verify: %s (at depth %d)",
		    c->verify_error_str ? c->verify_error_str : "unknown error",
		    c->verify_depth);
	}
}

/* "The SBC fetches nothing": every intermediate must be in the input. */
void
check_chain_complete(const struct check_input *in, struct verdict *v)
{
	const struct chain_facts *c = in->chain;
	const struct cert_facts *top = &c->certs[c->top];
	char *ref, *aia;
	int brand;

	switch (c->status) {
	case CHAIN_ISSUER_MISSING:
		if (root_excluded_why(c->missing_issuer) != NULL ||
		    (in->builtin_roots &&
		    root_info_by_name(c->missing_issuer) != NULL)) {
			verdict_set(v, STATUS_PASS, -1, "every intermediate up to "
			    "%s is in the input; that root is not accepted "
			    "(accepted-ca)", c->missing_issuer);
			return;
		}
		ref = cert_ref(top, (int)c->top);
		aia = c->missing_issuer_aia ?
		    xasprintf(" (the CA publishes it at %s)",
		    c->missing_issuer_aia) : xstrdup("");
		if ((brand = missing_brand(in)) >= 0)
			verdict_set(v, STATUS_FAIL, (int)c->top, "intermediate "
			    "missing: the issuer of %s, %s, a CA of %s, is not in "
			    "the input%s: add that intermediate after %s",
			    ref, c->missing_issuer, brand_name((enum brand)brand),
			    aia, c->top == c->leaf ? "the leaf" : ref);
		else if (c->top == c->leaf && top->is_ca == false)
			verdict_set(v, STATUS_FAIL, (int)c->top, "intermediate "
			    "missing: the leaf's issuer %s is not in the input%s",
			    c->missing_issuer, aia);
		else
			verdict_set(v, STATUS_FAIL, (int)c->top, "the issuer of "
			    "%s, %s, is not in the input%s: an intermediate is "
			    "missing, or the chain leads to a root that is not "
			    "accepted", ref, c->missing_issuer, aia);
		free(ref);
		free(aia);
		return;
	case CHAIN_VERIFIED:
		verdict_set(v, STATUS_PASS, -1, "%zu certificate%s %s reach "
		    "the root with nothing fetched", c->path_len,
		    c->path_len == 1 ? "" : "s", chain_source(in));
		return;
	default:
		/* The path was built to its end; accepted-ca says what is wrong. */
		verdict_set(v, STATUS_PASS, -1, "every issuer up to %s is in the "
		    "input", top->subject);
	}
}

/* Leaf first, each certificate of the path signed by the next. */
static bool
in_order(const struct chain_facts *c)
{
	size_t i;

	if (c->leaf != 0)
		return false;
	for (i = 0; i < c->path_len; i++)
		if (c->path[i] != i ||
		    (i + 1 < c->path_len && !c->signed_by_next[i]))
			return false;
	return true;
}

/* RFC 5246 7.4.2: leaf first, each certificate certifies the one before. */
void
check_chain_order(const struct check_input *in, struct verdict *v)
{
	const struct chain_facts *c = in->chain;
	size_t i, extra;
	char *ref;

	if (c->unordered && !in_order(c)) {
		verdict_set(v, STATUS_SKIP, -1, "a PKCS#7 bundle is a set with "
		    "no order, so there is nothing to reorder in the file; the "
		    "server must still send the leaf first, then each issuer");
		return;
	}
	if (c->leaf != 0) {
		ref = cert_ref(&c->certs[c->leaf], (int)c->leaf);
		verdict_set(v, STATUS_FAIL, (int)c->leaf, "the leaf is %s, not "
		    "the first certificate", ref);
		free(ref);
		return;
	}
	for (i = 0; i < c->path_len; i++) {
		if (c->path[i] != i) {
			ref = cert_ref(&c->certs[i], (int)i);
			verdict_set(v, STATUS_FAIL, (int)i, "%s is not the issuer "
			    "of the certificate before it (the path goes %zu -> "
			    "%zu)", ref, i > 0 ? c->path[i - 1] : 0, c->path[i]);
			free(ref);
			return;
		}
		if (i + 1 < c->path_len && !c->signed_by_next[i]) {
			verdict_set(v, STATUS_FAIL, (int)i, "cert %zu is not "
			    "signed by cert %zu", i, i + 1);
			return;
		}
	}
	extra = c->n > c->path_len ? c->n - c->path_len : 0;
	if (extra > 0)
		verdict_set(v, STATUS_PASS, -1, "leaf first, each signed by the "
		    "next; %zu certificate%s after the path %s not used", extra,
		    extra == 1 ? "" : "s", extra == 1 ? "is" : "are");
	else
		verdict_set(v, STATUS_PASS, -1, "leaf first, each signed by the "
		    "next");
}

/* carrier: "Self-signed certificates are not permitted." */
void
check_not_self_signed(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	int idx = (int)in->chain->leaf;

	if (leaf->self_signed)
		verdict_set(v, STATUS_FAIL, idx, "the leaf is self-signed "
		    "(issuer = subject = %s)", leaf->subject);
	else if (leaf->self_issued)
		verdict_set(v, STATUS_PASS, idx, "the leaf's issuer name equals "
		    "its subject, but another key signed it");
	else
		verdict_set(v, STATUS_PASS, idx, "issued by %s", leaf->issuer);
}

/* RFC 5280 4.2.1.9: an end-entity certificate is not a CA. */
void
check_leaf_not_ca(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	int idx = (int)in->chain->leaf;

	if (leaf->is_ca)
		verdict_set(v, STATUS_FAIL, idx, "the leaf has basicConstraints "
		    "cA=TRUE: it is a CA certificate");
	else if (leaf->has_ku && (leaf->ku & FACT_KU_KEY_CERT_SIGN))
		verdict_set(v, STATUS_FAIL, idx, "the leaf's keyUsage includes "
		    "keyCertSign: it may sign certificates");
	else
		verdict_set(v, STATUS_PASS, idx, "the leaf is an end-entity "
		    "certificate");
}

/* Mozilla Root Store Policy 7.4: roots leave TLS trust on a schedule. */
void
check_root_retiring(const struct check_input *in, struct verdict *v)
{
	const struct chain_facts *c = in->chain;
	const struct cert_facts *leaf;
	time_t when, limit;
	long days;
	char *name;

	name = anchor_name(c);
	if (c->anchor_info->mozilla_removal == NULL ||
	    (when = root_removal_time(c->anchor_info)) == (time_t)-1) {
		verdict_set(v, STATUS_PASS, -1, "%s: no removal from Mozilla's "
		    "store is scheduled", name);
		free(name);
		return;
	}
	days = time_days_until(in->now, when);
	/* --warn-days N%: that share of the leaf's lifetime, as expires-soon. */
	leaf = chain_leaf(c);
	limit = policy_limit_seconds(in->policy->warn_days,
	    in->policy->warn_percent, leaf != NULL && leaf->times_valid ?
	    leaf->not_before : 0, leaf != NULL && leaf->times_valid ?
	    leaf->not_after : 0) / 86400;
	if (days < 0)
		verdict_set(v, STATUS_FAIL, -1, "%s left Mozilla's root store "
		    "for TLS on %s", name, c->anchor_info->mozilla_removal);
	else if (days <= limit)
		verdict_set(v, STATUS_FAIL, -1, "%s leaves Mozilla's root store "
		    "for TLS on %s, in %ld day%s", name,
		    c->anchor_info->mozilla_removal, days, days == 1 ? "" : "s");
	else
		verdict_set(v, STATUS_PASS, -1, "%s stays in Mozilla's root "
		    "store until %s", name, c->anchor_info->mozilla_removal);
	free(name);
}

/*
 * check_key.c - the key rules: rsa-key, rsa-key-size, key-match.
 */
#include <stdlib.h>

#include "rules/check_util.h"

struct key_walk {
	const struct check_input *in;
	struct problems p;
	struct problems odd;	/* moduli that are not a whole number of bytes */
	bool leaf_seen;
	bool leaf_small;	/* rsa-key-size: the leaf's own key fails */
};

static void
key_type_each(const struct cert_facts *f, int idx, void *arg)
{
	struct key_walk *w = arg;
	char *ref;

	if (f->key_type == KEY_RSA)
		return;
	/* The leaf is judged on its own, first. */
	if (idx == (int)w->in->chain->leaf)
		return;
	ref = cert_ref(f, idx);
	problems_add(&w->p, idx, "%s has a%s %s key: its signatures are not "
	    "RSA", ref, f->key_type == KEY_EC ? "n" : "",
	    key_type_name(f->key_type));
	free(ref);
}

/* carrier: "Key pair type RSA; ECC certificates are not supported." */
void
check_rsa_key(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	struct key_walk w = { .in = in };
	int idx = (int)in->chain->leaf;

	if (leaf->key_type != KEY_RSA) {
		verdict_set(v, STATUS_FAIL, idx, "leaf key is %s%s%s (%d bits): "
		    "the carrier supports RSA only", key_type_name(leaf->key_type),
		    leaf->key_curve ? " " : "", leaf->key_curve ? leaf->key_curve : "",
		    leaf->key_bits);
		return;
	}
	chain_foreach(in->chain, key_type_each, &w);
	if (w.p.count > 0)
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "leaf key is RSA, "
		    "but %s", w.p.text.ptr);
	else
		verdict_set(v, STATUS_PASS, idx, "leaf key is RSA-%d; every key "
		    "in the path is RSA", leaf->key_bits);
	buf_free(&w.p.text);
}

static void
key_size_each(const struct cert_facts *f, int idx, void *arg)
{
	struct key_walk *w = arg;
	char *ref;

	if (f->key_type != KEY_RSA && f->key_type != KEY_RSA_PSS)
		return;
	ref = cert_ref(f, idx);
	if (f->key_bits < w->in->policy->min_rsa_bits)
		problems_add(&w->p, idx, "%s has RSA-%d", ref, f->key_bits);
	if (f->key_bits % 8 != 0)
		problems_add(&w->odd, idx, "%s has RSA-%d", ref, f->key_bits);
	free(ref);
	if (idx == (int)w->in->chain->leaf && (f->key_bits <
	    w->in->policy->min_rsa_bits || f->key_bits % 8 != 0))
		w->leaf_small = true;
}

/*
 * The fix, in the policy's numbers: a leaf's key is the user's to
 * replace; a CA's is not, so then the CA (or another one) is the way.
 */
static void
key_size_fix(const struct key_walk *w, struct verdict *v)
{
	static const int sizes[] = { 2048, 3072, 4096, 8192 };
	int min = w->in->policy->min_rsa_bits;
	struct buf ok = { 0 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i] >= min)
			buf_addf(&ok, "%s%d", ok.len > 0 ? ", " : "", sizes[i]);
	if (ok.len == 0)
		buf_addf(&ok, "%d", (min + 7) / 8 * 8);
	if (w->leaf_small)
		verdict_fix(v, "Generate a new key of at least %d bits, a "
		    "multiple of 8 (%s), and have the certificate reissued.",
		    min, ok.ptr);
	else
		verdict_fix(v, "A CA's key in the chain is too small, and only "
		    "the CA can change it: ask the CA for its current chain "
		    "(keys of at least %d bits), or get the certificate from "
		    "another CA.", min);
	buf_free(&ok);
}

/* BR 6.1.5: RSA keys of at least 2048 bits (the policy may ask more). */
void
check_rsa_key_size(const struct check_input *in, struct verdict *v)
{
	struct key_walk w = { .in = in };

	chain_foreach(in->chain, key_size_each, &w);
	if (w.p.count > 0 || w.odd.count > 0)
		key_size_fix(&w, v);
	if (w.p.count > 0 && w.odd.count > 0)
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s, under the "
		    "minimum of %d bits; %s: a modulus that is not a whole "
		    "number of bytes (BR 6.1.5: a multiple of 8 bits)",
		    w.p.text.ptr, in->policy->min_rsa_bits, w.odd.text.ptr);
	else if (w.p.count > 0)
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s, under the "
		    "minimum of %d bits", w.p.text.ptr, in->policy->min_rsa_bits);
	else if (w.odd.count > 0)
		verdict_set(v, STATUS_FAIL, w.odd.first_cert, "%s: a modulus "
		    "that is not a whole number of bytes (BR 6.1.5: a multiple "
		    "of 8 bits)", w.odd.text.ptr);
	else if (chain_leaf(in->chain)->key_type == KEY_RSA)
		verdict_set(v, STATUS_PASS, -1, "every RSA key is at least %d "
		    "bits (leaf: %d)", in->policy->min_rsa_bits,
		    chain_leaf(in->chain)->key_bits);
	else
		verdict_set(v, STATUS_PASS, -1, "every RSA key is at least %d "
		    "bits (the leaf's %s key is judged by rsa-key)",
		    in->policy->min_rsa_bits,
		    key_type_name(chain_leaf(in->chain)->key_type));
	buf_free(&w.p.text);
	buf_free(&w.odd.text);
}

void
check_key_match(const struct check_input *in, struct verdict *v)
{
	const struct chain_facts *c = in->chain;

	if (c->key_matches)
		verdict_set(v, STATUS_PASS, (int)c->leaf, "the private key "
		    "(%s) matches the leaf", c->key_type);
	else
		verdict_set(v, STATUS_FAIL, (int)c->leaf, "the private key "
		    "(%s) does not match the leaf's public key (%s-%d)",
		    c->key_type, key_type_name(chain_leaf(c)->key_type),
		    chain_leaf(c)->key_bits);
}

/*
 * chain.c - find the leaf, build the path, and record what the chain
 * rules need.
 *
 * The verifier's store holds only the accepted roots (roots.c); every
 * input certificate is an untrusted candidate intermediate, so
 * cross-signed roots (Let's Encrypt's Root YR under ISRG Root X1) work.
 * Time is not checked while building the path: not-expired and
 * expires-soon judge validity on their own, so an expired certificate
 * gives one clear finding rather than a failed path.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "chain.h"
#include "esc.h"
#include "load.h"

/* Is x issued and signed by issuer?  Names/AKID first, then the signature. */
static bool
signs(X509 *issuer, X509 *x)
{
	EVP_PKEY *pk;
	bool ok;

	if (issuer == x)
		return false;
	if (X509_check_issued(issuer, x) != X509_V_OK)
		return false;
	if ((pk = X509_get0_pubkey(issuer)) == NULL)
		return false;
	/* 1 verified, 0 bad signature, -1 error. */
	ok = X509_verify(x, pk) == 1;
	ERR_clear_error();
	return ok;
}

/*
 * The leaf is the certificate that signs no other in the input.  If
 * several do (unrelated certificates), prefer the first that is not a
 * CA; if none does (a loop), the first certificate.
 */
static void
find_leaf(struct stack_st_X509 *certs, const struct cert_facts *facts,
    struct chain_facts *out)
{
	int n = sk_X509_num(certs), i, j, cand = 0, first = -1, first_nonca = -1;

	for (i = 0; i < n; i++) {
		bool signs_other = false;

		for (j = 0; j < n && !signs_other; j++)
			if (i != j && signs(sk_X509_value(certs, i),
			    sk_X509_value(certs, j)))
				signs_other = true;
		if (signs_other)
			continue;
		cand++;
		if (first < 0)
			first = i;
		if (first_nonca < 0 && !facts[i].is_ca)
			first_nonca = i;
	}
	out->leaf = first_nonca >= 0 ? (size_t)first_nonca :
	    first >= 0 ? (size_t)first : 0;
	out->leaf_ambiguous = cand > 1;
}

static int
input_index(struct stack_st_X509 *certs, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(certs); i++)
		if (sk_X509_value(certs, i) == x ||
		    X509_cmp(sk_X509_value(certs, i), x) == 0)
			return i;
	return -1;
}

static void
classify(const struct trust *trust, struct stack_st_X509 *certs,
    X509_STORE_CTX *ctx, int ok, struct chain_facts *out)
{
	STACK_OF(X509) *built;
	X509 *x, *top;
	const struct trust_root *root;
	int i, n, idx;

	built = X509_STORE_CTX_get1_chain(ctx);
	n = sk_X509_num(built);
	out->path = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*out->path));
	out->anchor_input = -1;
	for (i = 0; i < n; i++) {
		x = sk_X509_value(built, i);
		root = ok && i == n - 1 ? trust_find(trust, x) : NULL;
		idx = input_index(certs, x);
		if (root != NULL) {
			out->has_anchor = true;
			out->anchor_input = idx;
			/* Computed once when the store was loaded. */
			facts_copy(&out->anchor, &root->facts);
			out->anchor_info = root->info;
			/* A root also present in the input is on the path too. */
			if (idx >= 0)
				out->path[out->path_len++] = (size_t)idx;
			continue;
		}
		if (idx >= 0)
			out->path[out->path_len++] = (size_t)idx;
	}
	if (ok) {
		out->status = CHAIN_VERIFIED;
		goto out;
	}
	out->verify_error = X509_STORE_CTX_get_error(ctx);
	out->verify_depth = X509_STORE_CTX_get_error_depth(ctx);
	out->verify_error_str = xstrdup(
	    X509_verify_cert_error_string(out->verify_error));
	top = n > 0 ? sk_X509_value(built, n - 1) : NULL;
	idx = top != NULL ? input_index(certs, top) : -1;
	out->top = idx >= 0 ? (size_t)idx : out->leaf;
	switch (out->verify_error) {
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		out->status = CHAIN_UNTRUSTED_ROOT;
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		out->status = CHAIN_ISSUER_MISSING;
		out->missing_issuer = xstrdup(out->certs[out->top].issuer);
		if (out->certs[out->top].aia_ca_issuers != NULL)
			out->missing_issuer_aia =
			    xstrdup(out->certs[out->top].aia_ca_issuers);
		break;
	default:
		out->status = CHAIN_INVALID;
	}
out:
	sk_X509_pop_free(built, X509_free);
}

static void
verify(const struct trust *trust, struct stack_st_X509 *certs,
    struct chain_facts *out)
{
	X509_STORE_CTX *ctx;
	STACK_OF(X509) *untrusted;
	X509 *leaf = sk_X509_value(certs, (int)out->leaf);
	int ok, i;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		fatal_oom();
	/*
	 * OpenSSL takes the first matching issuer from the untrusted stack
	 * and does not try the others.  Put self-signed certificates last,
	 * so a cross-signed copy of a root (which leads to the store) is
	 * found before its self-signed twin; a chain whose only root is
	 * self-signed still ends at it.
	 */
	if ((untrusted = sk_X509_new_reserve(NULL, sk_X509_num(certs))) == NULL)
		fatal_oom();
	for (i = 0; i < sk_X509_num(certs); i++)
		if (!out->certs[i].self_signed)
			(void)sk_X509_push(untrusted, sk_X509_value(certs, i));
	for (i = 0; i < sk_X509_num(certs); i++)
		if (out->certs[i].self_signed)
			(void)sk_X509_push(untrusted, sk_X509_value(certs, i));
	ERR_clear_error();
	if (X509_STORE_CTX_init(ctx, trust->store, leaf, untrusted) != 1)
		fatal_oom();
	/*
	 * Build the path only: validity is judged by its own rules, key
	 * sizes and digests too (no auth level), and so are EKUs (no
	 * purpose).  Roots only: no partial chains.
	 */
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	/* 1 verified, 0 not verified, < 0 error in the call itself. */
	ok = X509_verify_cert(ctx) == 1;
	classify(trust, certs, ctx, ok, out);
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
}

static void
key_facts(X509 *leaf, EVP_PKEY *key, struct chain_facts *out)
{
	EVP_PKEY *pub = X509_get0_pubkey(leaf);

	out->has_key = true;
	out->key_type = xasprintf("%s-%d", EVP_PKEY_get0_type_name(key) ?
	    EVP_PKEY_get0_type_name(key) : "unknown", EVP_PKEY_get_bits(key));
	/* 1 same key, 0 different, -1 different types, -2 unsupported. */
	out->key_matches = pub != NULL && EVP_PKEY_eq(pub, key) == 1;
	ERR_clear_error();
}

int
chain_analyse(const struct trust *trust, struct stack_st_X509 *certs,
    EVP_PKEY *key, struct chain_facts *out, char **err)
{
	int n = sk_X509_num(certs), i;

	memset(out, 0, sizeof(*out));
	out->anchor_input = -1;
	if (n <= 0) {
		*err = xstrdup("no certificate");
		return -1;
	}
	if (n > CHAIN_MAX_CERTS) {
		*err = xasprintf("%d certificates: more than %d is not a chain",
		    n, CHAIN_MAX_CERTS);
		return -1;
	}
	out->n = (size_t)n;
	out->certs = xcalloc((size_t)n, sizeof(*out->certs));
	for (i = 0; i < n; i++)
		if (facts_from_x509(sk_X509_value(certs, i), &out->certs[i]) != 0) {
			char *reason = load_openssl_reason("cannot digest");

			*err = xasprintf("certificate %d: %s", i, reason);
			free(reason);
			return -1;
		}
	out->signed_by_next = xcalloc((size_t)n, sizeof(bool));
	for (i = 0; i + 1 < n; i++)
		out->signed_by_next[i] = signs(sk_X509_value(certs, i + 1),
		    sk_X509_value(certs, i));
	find_leaf(certs, out->certs, out);
	verify(trust, certs, out);
	if (key != NULL)
		key_facts(sk_X509_value(certs, (int)out->leaf), key, out);
	return 0;
}

void
chain_free(struct chain_facts *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		facts_free(&c->certs[i]);
	free(c->certs);
	free(c->signed_by_next);
	free(c->path);
	free(c->verify_error_str);
	facts_free(&c->anchor);
	free(c->missing_issuer);
	free(c->missing_issuer_aia);
	free(c->key_type);
	memset(c, 0, sizeof(*c));
}

const struct cert_facts *
chain_leaf(const struct chain_facts *c)
{
	return &c->certs[c->leaf];
}

void
chain_foreach(const struct chain_facts *c,
    void (*fn)(const struct cert_facts *, int, void *), void *arg)
{
	size_t i;

	if (c->path_len > 0)
		for (i = 0; i < c->path_len; i++)
			fn(&c->certs[c->path[i]], (int)c->path[i], arg);
	else
		for (i = 0; i < c->n; i++)
			fn(&c->certs[i], (int)i, arg);
	if (c->has_anchor && c->anchor_input < 0)
		fn(&c->anchor, -1, arg);
}

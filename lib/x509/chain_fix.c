/*
 * chain_fix.c - the chain a server should send, from whatever was given
 * (chain_fix.h).
 *
 * The path itself is always chain_analyse()'s: this file only chooses
 * the leaf when several certificates could be one, puts it first,
 * fetches what is missing when allowed, and reads the path back out.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "x509/chain_fix.h"
#include "x509/load.h"

/* The working set: owned references, each with where it came from. */
struct fixer {
	const struct trust *trust;
	const struct chain_fix_opts *opts;
	STACK_OF(X509) *work;
	char **origin;			/* parallel to work; owned */
	size_t cap;
	struct chain_fix *res;
	char *fetch_problem;		/* the last fetch that gave nothing usable */
};

static void
note(struct chain_fix *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct chain_fix *res, const char *fmt, ...)
{
	va_list ap;

	res->notes = xreallocarray(res->notes, res->n_notes + 1,
	    sizeof(*res->notes));
	va_start(ap, fmt);
	res->notes[res->n_notes++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* A short name for x ("pbx.example.test", "BWC Test Issuing CA"). */
static char *
label_of(X509 *x)
{
	struct cert_facts f = { 0 };
	char *label;

	if (facts_from_x509(x, &f) != 0)
		label = xstrdup("(undecodable certificate)");
	else
		label = facts_label(&f);
	facts_free(&f);
	ERR_clear_error();
	return label;
}

static void
work_push(struct fixer *fx, X509 *x, const char *origin)
{
	size_t n = (size_t)sk_X509_num(fx->work);

	if (n == fx->cap) {
		fx->cap = fx->cap ? fx->cap * 2 : 16;
		fx->origin = xreallocarray(fx->origin, fx->cap,
		    sizeof(*fx->origin));
	}
	if (X509_up_ref(x) != 1 || sk_X509_push(fx->work, x) <= 0)
		fatal_oom();
	fx->origin[n] = xstrdup(origin != NULL ? origin : "the input");
}

static int
work_find(const struct fixer *fx, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(fx->work); i++)
		if (X509_cmp(sk_X509_value(fx->work, i), x) == 0)
			return i;
	return -1;
}

/* Move work[i] to the front, keeping the others in their order. */
static void
work_to_front(struct fixer *fx, int i)
{
	X509 *x = sk_X509_value(fx->work, i);
	char *o = fx->origin[i];

	(void)sk_X509_delete(fx->work, i);
	if (sk_X509_insert(fx->work, x, 0) <= 0)
		fatal_oom();
	memmove(&fx->origin[1], &fx->origin[0], (size_t)i * sizeof(char *));
	fx->origin[0] = o;
}

bool
chain_fix_signs(X509 *issuer, X509 *child)
{
	EVP_PKEY *pk;
	bool ok;

	/* X509_V_OK when names and key identifiers agree. */
	ok = X509_check_issued(issuer, child) == X509_V_OK &&
	    (pk = X509_get0_pubkey(issuer)) != NULL &&
	    X509_verify(child, pk) == 1;	/* 1 good, 0 bad, -1 error */
	ERR_clear_error();
	return ok;
}

/* A certificate that issues none of the others by names and key identifiers. */
static bool
issues_nothing(const struct fixer *fx, int i)
{
	X509 *x = sk_X509_value(fx->work, i);
	int j;
	bool none = true;

	for (j = 0; j < sk_X509_num(fx->work) && none; j++)
		if (j != i && X509_check_issued(x, sk_X509_value(fx->work,
		    j)) == X509_V_OK)
			none = false;
	ERR_clear_error();
	return none;
}

static bool
matches_key(X509 *x, EVP_PKEY *key)
{
	EVP_PKEY *pub = X509_get0_pubkey(x);
	bool ok = pub != NULL && key != NULL && EVP_PKEY_eq(pub, key) == 1;

	ERR_clear_error();
	return ok;
}

/* Does the chain from work[i] (put first) reach a root of the store? */
static int
verifies_from(struct fixer *fx, int i, bool *ok, char **err)
{
	struct chain_facts c;
	STACK_OF(X509) *sk;
	int j, rc;

	if ((sk = sk_X509_new_reserve(NULL, sk_X509_num(fx->work))) == NULL)
		fatal_oom();
	(void)sk_X509_push(sk, sk_X509_value(fx->work, i));
	for (j = 0; j < sk_X509_num(fx->work); j++)
		if (j != i)
			(void)sk_X509_push(sk, sk_X509_value(fx->work, j));
	rc = chain_analyse(fx->trust, sk, NULL, &c, err);
	*ok = rc == 0 && c.status == CHAIN_VERIFIED && c.leaf == 0;
	chain_free(&c);
	sk_X509_free(sk);
	return rc;
}

/*
 * Several certificates may look like a leaf (each signs none of the
 * others and is not a CA): a chain for another name pasted in, or last
 * year's certificate.  The one that matches --key is the leaf; else the
 * only one that reaches a root; else the input is ambiguous and the
 * caller is told to choose.  Returns 0 with the leaf moved to work[0]
 * (or left to chain_analyse() when there is no doubt), 1 when refused,
 * -1 on an input error.
 */
static int
choose_leaf(struct fixer *fx, char **err)
{
	int n = sk_X509_num(fx->work), *cand, nc = 0, nk = 0, nv = 0, i, pick = -1;
	struct buf names = { 0 };
	bool ok;
	char *label;

	cand = xcalloc((size_t)n, sizeof(*cand));
	for (i = 0; i < n; i++)
		if (X509_check_ca(sk_X509_value(fx->work, i)) == 0 &&
		    issues_nothing(fx, i))
			cand[nc++] = i;
	ERR_clear_error();
	if (nc == 1)
		pick = cand[0];
	if (nc > 1 && fx->opts->key != NULL) {
		for (i = 0; i < nc; i++)
			if (matches_key(sk_X509_value(fx->work, cand[i]),
			    fx->opts->key))
				cand[nk++] = cand[i];
		if (nk > 0)
			nc = nk;
		if (nk == 1)
			pick = cand[0];
	}
	if (nc > 1 && pick < 0) {
		for (i = 0; i < nc; i++) {
			if (verifies_from(fx, cand[i], &ok, err) != 0) {
				free(cand);
				return -1;
			}
			if (ok) {
				pick = cand[i];
				nv++;
			}
		}
		if (nv != 1)
			pick = -1;
	}
	if (nc > 1 && pick < 0) {
		for (i = 0; i < nc; i++) {
			label = label_of(sk_X509_value(fx->work, cand[i]));
			buf_addf(&names, "%s%s (%s)", i > 0 ? ", " : "", label,
			    fx->origin[cand[i]]);
			free(label);
		}
		fx->res->refused = xasprintf("the input holds %d leaf "
		    "certificates%s: %s; give only the one to serve, or --key "
		    "with its private key", nc, nv > 1 ?
		    " that each reach an accepted root" : "", names.ptr);
		buf_free(&names);
		free(cand);
		return 1;
	}
	free(cand);
	if (pick > 0)
		work_to_front(fx, pick);
	return 0;
}

/*
 * The issuer of work[top] is missing and url may have it: fetch, keep
 * each certificate there that verifiably signed work[top].  Returns how
 * many were added.
 */
static int
fetch_issuer(struct fixer *fx, int top, const char *url)
{
	STACK_OF(X509) *got;
	X509 *child = sk_X509_value(fx->work, top), *g;
	unsigned char *data = NULL;
	size_t len = 0;
	char *ferr = NULL, *label, *child_label;
	int i, added = 0;

	free(fx->fetch_problem);
	fx->fetch_problem = NULL;
	if (fx->opts->fetch(fx->opts->fetch_arg, url, &data, &len, &ferr) != 0) {
		fx->fetch_problem = ferr != NULL ? ferr :
		    xasprintf("%s: fetch failed", url);
		free(data);
		return 0;
	}
	if ((got = sk_X509_new_null()) == NULL)
		fatal_oom();
	if (load_certs_mem(url, data, len, NULL, got, NULL, NULL, &ferr) != 0) {
		fx->fetch_problem = ferr;
		free(data);
		sk_X509_pop_free(got, X509_free);
		return 0;
	}
	free(data);
	child_label = label_of(child);
	for (i = 0; i < sk_X509_num(got); i++) {
		g = sk_X509_value(got, i);
		label = label_of(g);
		if (chain_fix_signs(g, child)) {
			if (work_find(fx, g) < 0) {
				work_push(fx, g, url);
				added++;
			}
			note(fx->res, "fetched %s from %s: its signature on %s "
			    "verifies", label, url, child_label);
		} else {
			free(fx->fetch_problem);
			fx->fetch_problem = xasprintf("%s served %s, which did "
			    "not sign %s (%s): not used", url, label,
			    child_label, X509_check_issued(g, child) ==
			    X509_V_OK ? "the signature does not verify" :
			    "its name or key identifier is not the issuer's");
			note(fx->res, "%s", fx->fetch_problem);
		}
		free(label);
	}
	ERR_clear_error();
	free(child_label);
	sk_X509_pop_free(got, X509_free);
	if (added > 0) {
		free(fx->fetch_problem);
		fx->fetch_problem = NULL;
	}
	return added;
}

/* Why no chain to an accepted root can be written from c. */
static char *
refusal(const struct fixer *fx, const struct chain_facts *c)
{
	const struct cert_facts *top = &c->certs[c->top];
	char *label = facts_label(top), *out;
	const char *why;

	switch (c->status) {
	case CHAIN_ISSUER_MISSING:
		if ((why = root_excluded_why(c->missing_issuer)) != NULL)
			out = xasprintf("the chain leads to %s, which is not an "
			    "accepted CA: %s", c->missing_issuer, why);
		else if (fx->fetch_problem != NULL)
			out = xasprintf("the issuer of %s (%s) is missing, and "
			    "fetching it failed: %s", label, c->missing_issuer,
			    fx->fetch_problem);
		else if (c->missing_issuer_aia != NULL && fx->opts->fetch == NULL)
			out = xasprintf("the issuer of %s (%s) is missing; the CA "
			    "publishes it at %s: download it and add the file, "
			    "or run again with --fetch", label, c->missing_issuer,
			    c->missing_issuer_aia);
		else if (c->missing_issuer_aia != NULL)
			out = xasprintf("the issuer of %s (%s) is missing and is "
			    "neither an accepted root nor found at %s", label,
			    c->missing_issuer, c->missing_issuer_aia);
		else
			out = xasprintf("the issuer of %s (%s) is missing, and "
			    "%s names no caIssuers URL to fetch it from: add the "
			    "intermediate the CA supplied", label,
			    c->missing_issuer, label);
		break;
	case CHAIN_UNTRUSTED_ROOT:
		if (c->top == c->leaf) {
			out = xasprintf("the leaf, %s, is self-signed: the SBC "
			    "accepts only a certificate issued by an accepted CA",
			    label);
			break;
		}
		why = root_excluded_why(top->subject);
		out = xasprintf("the chain ends at %s, a self-signed root that is "
		    "not an accepted CA%s%s", top->subject, why ? ": " : "",
		    why ? why : "");
		break;
	default:
		out = xasprintf("the path from the leaf does not verify: %s "
		    "(at depth %d)", c->verify_error_str ? c->verify_error_str :
		    "unknown error", c->verify_depth);
	}
	free(label);
	return out;
}

/* Read the path of a verified chain out: leaf first, no root. */
static void
take_path(struct fixer *fx, const struct chain_facts *c)
{
	STACK_OF(X509) *out;
	bool *on;
	size_t i;
	char *label;

	if ((out = sk_X509_new_null()) == NULL)
		fatal_oom();
	on = xcalloc(c->n, sizeof(*on));
	for (i = 0; i < c->path_len; i++) {
		on[c->path[i]] = true;
		if (c->anchor_input >= 0 && c->path[i] == (size_t)c->anchor_input)
			continue;
		if (X509_up_ref(sk_X509_value(fx->work, (int)c->path[i])) != 1 ||
		    sk_X509_push(out, sk_X509_value(fx->work,
		    (int)c->path[i])) <= 0)
			fatal_oom();
	}
	for (i = 0; i < c->n; i++) {
		if (on[i] && (c->anchor_input < 0 ||
		    i != (size_t)c->anchor_input))
			continue;
		label = facts_label(&c->certs[i]);
		note(fx->res, "left out %s (%s): %s", label, fx->origin[i],
		    on[i] ? "the root; the SBC has its own copy" :
		    c->certs[i].self_signed ? "a root that is not on the path" :
		    "not on the path from the leaf to the root");
		free(label);
	}
	free(on);
	if (sk_X509_num(out) == 0) {
		fx->res->refused = xstrdup("the only certificate given is a "
		    "root: give the server's certificate");
		sk_X509_free(out);
		return;
	}
	fx->res->out = out;
}

int
chain_fix(const struct trust *trust, struct stack_st_X509 *in,
    const char *const *origin, const struct chain_fix_opts *opts,
    struct chain_fix *out, char **err)
{
	struct fixer fx = { .trust = trust, .opts = opts, .res = out };
	struct chain_facts c = { 0 };
	char *tried[CHAIN_FIX_MAX_FETCH], *label;
	int i, j, ntried = 0, rc = -1;
	X509 *x;

	memset(out, 0, sizeof(*out));
	if ((fx.work = sk_X509_new_null()) == NULL)
		fatal_oom();
	for (i = 0; i < sk_X509_num(in); i++) {
		x = sk_X509_value(in, i);
		if ((j = work_find(&fx, x)) >= 0) {
			label = label_of(x);
			note(out, "left out a second copy of %s (%s)", label,
			    origin != NULL ? origin[i] : "the input");
			free(label);
			continue;
		}
		work_push(&fx, x, origin != NULL ? origin[i] : NULL);
	}
	if (sk_X509_num(fx.work) == 0) {
		*err = xstrdup("no certificate");
		goto out;
	}
	if (sk_X509_num(fx.work) > CHAIN_MAX_CERTS) {
		*err = xasprintf("%d certificates: more than %d is not a chain",
		    sk_X509_num(fx.work), CHAIN_MAX_CERTS);
		goto out;
	}
	if ((i = choose_leaf(&fx, err)) != 0) {
		rc = i < 0 ? -1 : 0;
		goto out;
	}
	for (;;) {
		chain_free(&c);
		if (chain_analyse(trust, fx.work, NULL, &c, err) != 0)
			goto out;
		if (c.status != CHAIN_ISSUER_MISSING || opts->fetch == NULL ||
		    c.missing_issuer_aia == NULL ||
		    ntried == CHAIN_FIX_MAX_FETCH)
			break;
		for (j = 0; j < ntried; j++)
			if (strcmp(tried[j], c.missing_issuer_aia) == 0)
				break;
		if (j < ntried)
			break;
		tried[ntried++] = xstrdup(c.missing_issuer_aia);
		if (fetch_issuer(&fx, (int)c.top, c.missing_issuer_aia) == 0)
			break;
	}
	if (c.status == CHAIN_VERIFIED)
		take_path(&fx, &c);
	else
		out->refused = refusal(&fx, &c);
	rc = 0;
out:
	chain_free(&c);
	for (j = 0; j < ntried; j++)
		free(tried[j]);
	for (i = 0; i < sk_X509_num(fx.work); i++)
		free(fx.origin[i]);
	free(fx.origin);
	free(fx.fetch_problem);
	out->work = fx.work;
	return rc;
}

void
chain_fix_free(struct chain_fix *f)
{
	size_t i;

	if (f == NULL)
		return;
	sk_X509_pop_free(f->out, X509_free);
	sk_X509_pop_free(f->work, X509_free);
	free(f->refused);
	for (i = 0; i < f->n_notes; i++)
		free(f->notes[i]);
	free(f->notes);
	memset(f, 0, sizeof(*f));
}

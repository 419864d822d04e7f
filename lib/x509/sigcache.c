/*
 * sigcache.c - the certificate signatures a run has verified already
 * (see sigcache.h).
 *
 * How a pair is skipped without replacing OpenSSL's verification.
 * X509_verify_cert() builds the path, checks it, and then calls the
 * context's verify function (X509_STORE_CTX_set_verify()), which is
 * OpenSSL's own internal_verify() by default: for each certificate from
 * the top of the path down it checks that the issuer's keyUsage allows
 * signing certificates and the subject's signature with the issuer's
 * key, then its validity times.  Nothing else happens there.  When the
 * pairs at the top of the path are known to have passed exactly those
 * checks, sigcache_verify() hands internal_verify() the path cut below
 * them, as a partial chain (X509_V_FLAG_PARTIAL_CHAIN: the cut top is
 * taken as given, its own signature is not checked), and puts the whole
 * path back afterwards.  Every pair below the cut, and every pair of a
 * path with nothing known, is checked by internal_verify() itself.
 * Validity times are not pair facts, so a verification that checks them
 * is never cut.
 *
 * What a pair's entry proves: internal_verify() accepted the signature
 * of the certificate whose DER has SHA-256 subject, with the key of the
 * certificate whose DER has SHA-256 issuer, and that issuer's keyUsage.
 * Both depend on the two certificates' bytes only.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "core/common.h"
#include "x509/sigcache.h"

struct pair {
	unsigned char issuer[32];	/* SHA-256 of the issuer's DER */
	unsigned char subject[32];	/* SHA-256 of the subject's DER */
	bool full;
	bool used;			/* met since the set last evicted */
};

/*
 * The digests of the CA certificates met last.  A chain's issuers are
 * the same objects chain after chain (the store's roots; intermediates
 * from the load cache), and loaded certificates are never modified, so
 * an object held here (with a reference of its own, so its address is
 * not reused) need not be encoded and hashed again.
 */
struct memo {
	X509 *x;			/* owned reference, or NULL */
	unsigned char md[32];
};

struct sigcache {
	pthread_mutex_t mu;
	EVP_MD *sha256;
	X509_STORE_CTX_verify_fn verify;	/* OpenSSL's own */
	struct pair set[SIGCACHE_SETS][SIGCACHE_WAYS];
	struct memo memo[SIGCACHE_MEMO];
	size_t memo_next;
	size_t skipped, checked;
};

/*
 * The index of the contexts' extra data that points at their cache.
 * An index is a registration with OpenSSL for the life of the process,
 * taken once: every cache uses the same one.
 */
static pthread_once_t ex_once = PTHREAD_ONCE_INIT;
static int ex_index = -1;

static void
ex_index_new(void)
{
	ex_index = X509_STORE_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

struct sigcache *
sigcache_new(void)
{
	struct sigcache *c = xcalloc(1, sizeof(*c));
	X509_STORE_CTX *ctx;

	(void)pthread_once(&ex_once, ex_index_new);
	if (ex_index < 0)
		fatal_oom();

	if ((c->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL)
		fatal_oom();
	/* A context without a store has OpenSSL's own verify function. */
	if (X509_STORE_CTX_init(ctx, NULL, NULL, NULL) != 1)
		fatal_oom();
	c->verify = X509_STORE_CTX_get_verify(ctx);
	X509_STORE_CTX_free(ctx);
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void
sigcache_free(struct sigcache *c)
{
	if (c == NULL)
		return;
	sigcache_clear(c);
	pthread_mutex_destroy(&c->mu);
	EVP_MD_free(c->sha256);
	free(c);
}

void
sigcache_clear(struct sigcache *c)
{
	size_t i;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	for (i = 0; i < SIGCACHE_MEMO; i++) {
		X509_free(c->memo[i].x);
		c->memo[i].x = NULL;
	}
	c->memo_next = 0;
	memset(c->set, 0, sizeof(c->set));
	pthread_mutex_unlock(&c->mu);
}

void
sigcache_counts(const struct sigcache *c, size_t *skipped, size_t *checked)
{
	pthread_mutex_lock((pthread_mutex_t *)&c->mu);
	*skipped = c->skipped;
	*checked = c->checked;
	pthread_mutex_unlock((pthread_mutex_t *)&c->mu);
}

/* The set a pair belongs to: the digests are uniform, any bytes do. */
static struct pair *
set_of(struct sigcache *c, const unsigned char *issuer,
    const unsigned char *subject)
{
	return c->set[(issuer[0] ^ subject[0]) % SIGCACHE_SETS];
}

/* Is the pair known?  Marks it met.  Called locked. */
static bool
pair_known(struct sigcache *c, const unsigned char *issuer,
    const unsigned char *subject)
{
	struct pair *s = set_of(c, issuer, subject);
	size_t w;

	for (w = 0; w < SIGCACHE_WAYS; w++)
		if (s[w].full && memcmp(s[w].subject, subject, 32) == 0 &&
		    memcmp(s[w].issuer, issuer, 32) == 0) {
			s[w].used = true;
			return true;
		}
	return false;
}

/*
 * Remember a pair.  A full set gives up a way not met since the last
 * eviction (clearing the marks it passes), so a pair met in every chain
 * stays while pairs met once come and go.  Called locked.
 */
static void
pair_add(struct sigcache *c, const unsigned char *issuer,
    const unsigned char *subject)
{
	struct pair *s = set_of(c, issuer, subject);
	size_t w;

	if (pair_known(c, issuer, subject))
		return;
	for (w = 0; w < SIGCACHE_WAYS && s[w].full; w++)
		;
	if (w == SIGCACHE_WAYS)
		for (w = 0; w < SIGCACHE_WAYS && s[w].used; w++)
			s[w].used = false;
	if (w == SIGCACHE_WAYS)
		w = 0;
	memcpy(s[w].issuer, issuer, 32);
	memcpy(s[w].subject, subject, 32);
	s[w].full = true;
	s[w].used = false;
}

/* x's digest from the memo, if it is there.  Called locked. */
static bool
memo_find(struct sigcache *c, X509 *x, unsigned char md[32])
{
	size_t i;

	for (i = 0; i < SIGCACHE_MEMO; i++)
		if (c->memo[i].x == x) {
			memcpy(md, c->memo[i].md, 32);
			return true;
		}
	return false;
}

/* Keep x's digest, in place of the oldest.  Called locked. */
static void
memo_add(struct sigcache *c, X509 *x, const unsigned char md[32])
{
	struct memo *m = &c->memo[c->memo_next];

	if (X509_up_ref(x) != 1)
		fatal_oom();
	X509_free(m->x);
	m->x = x;
	memcpy(m->md, md, 32);
	c->memo_next = (c->memo_next + 1) % SIGCACHE_MEMO;
}

/*
 * The SHA-256 of each certificate of path (n of them) into md.  The
 * issuers' come from the memo where they can.  Returns 0, or -1 if a
 * certificate cannot be encoded.
 */
static int
digest_path(struct sigcache *c, STACK_OF(X509) *path, int n,
    unsigned char (*md)[32])
{
	bool *known = xcalloc((size_t)n, sizeof(*known));
	unsigned int len;
	int k, rc = 0;

	pthread_mutex_lock(&c->mu);
	for (k = 1; k < n; k++)
		known[k] = memo_find(c, sk_X509_value(path, k), md[k]);
	pthread_mutex_unlock(&c->mu);
	for (k = 0; k < n && rc == 0; k++)
		if (!known[k] && (X509_digest(sk_X509_value(path, k),
		    c->sha256, md[k], &len) != 1 || len != 32))
			rc = -1;
	ERR_clear_error();
	if (rc == 0) {
		pthread_mutex_lock(&c->mu);
		for (k = 1; k < n; k++)
			if (!known[k] && !memo_find(c, sk_X509_value(path, k),
			    md[k]))
				memo_add(c, sk_X509_value(path, k), md[k]);
		pthread_mutex_unlock(&c->mu);
	}
	free(known);
	return rc;
}

/*
 * The verify function of a context c is attached to.  Returns what
 * OpenSSL's own returns: 1 accepted, 0 refused (the error is in ctx).
 */
static int
sigcache_verify(X509_STORE_CTX *ctx)
{
	struct sigcache *c = X509_STORE_CTX_get_ex_data(ctx, ex_index);
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	unsigned long flags = X509_VERIFY_PARAM_get_flags(param);
	STACK_OF(X509) *path = X509_STORE_CTX_get0_chain(ctx), *whole, *cut;
	unsigned char (*md)[32] = NULL;
	int n = sk_X509_num(path), top, k, rc;

	/*
	 * Validity times are not pair facts, and a self-signature checked
	 * on request is not a pair: such verifications run in full.
	 */
	top = n - 1;
	if ((flags & X509_V_FLAG_NO_CHECK_TIME) != 0 &&
	    (flags & X509_V_FLAG_CHECK_SS_SIGNATURE) == 0 && n >= 2) {
		md = xcalloc((size_t)n, sizeof(*md));
		if (digest_path(c, path, n, md) == -1) {
			/* Undigestable: no shortcut, nothing remembered. */
			free(md);
			md = NULL;
		}
	}
	/* The lowest certificate above which every pair is known. */
	pthread_mutex_lock(&c->mu);
	while (md != NULL && top > 0 && pair_known(c, md[top], md[top - 1]))
		top--;
	pthread_mutex_unlock(&c->mu);
	if (top == n - 1)
		rc = c->verify(ctx);
	else {
		if ((whole = X509_chain_up_ref(path)) == NULL ||
		    (cut = sk_X509_new_reserve(NULL, top + 1)) == NULL)
			fatal_oom();
		for (k = 0; k <= top; k++) {
			if (X509_up_ref(sk_X509_value(path, k)) != 1)
				fatal_oom();
			(void)sk_X509_push(cut, sk_X509_value(path, k));
		}
		/* Frees the path (whole holds its own references). */
		X509_STORE_CTX_set0_verified_chain(ctx, cut);
		if ((flags & X509_V_FLAG_PARTIAL_CHAIN) == 0)
			X509_VERIFY_PARAM_set_flags(param,
			    X509_V_FLAG_PARTIAL_CHAIN);
		rc = c->verify(ctx);
		if ((flags & X509_V_FLAG_PARTIAL_CHAIN) == 0)
			X509_VERIFY_PARAM_clear_flags(param,
			    X509_V_FLAG_PARTIAL_CHAIN);
		X509_STORE_CTX_set0_verified_chain(ctx, whole);
	}
	pthread_mutex_lock(&c->mu);
	c->skipped += (size_t)(n - 1 - top);
	c->checked += (size_t)(top > 0 ? top : 0);
	/* A path refused, or let through by a callback, teaches nothing. */
	if (md != NULL && rc == 1 && X509_STORE_CTX_get_error(ctx) == X509_V_OK)
		for (k = 0; k < top; k++)
			pair_add(c, md[k + 1], md[k]);
	pthread_mutex_unlock(&c->mu);
	free(md);
	return rc;
}

void
sigcache_attach(struct sigcache *c, X509_STORE_CTX *ctx)
{
	if (c == NULL)
		return;
	/* 1 on success. */
	if (X509_STORE_CTX_set_ex_data(ctx, ex_index, c) != 1)
		fatal_oom();
	X509_STORE_CTX_set_verify(ctx, sigcache_verify);
}

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

#include "core/ossl_err.h"
#include "x509/chain.h"
#include "core/esc.h"
#include "x509/facts_memo.h"
#include "x509/load.h"
#include "x509/sigcache.h"

/*
 * What is known of "certs[i] issued and signed certs[j]".  Every pair
 * costs one RSA signature check at most, and most cost none: names and
 * key identifiers are compared first, which rules out all but the real
 * issuer, and a pair on a path X509_verify_cert() verified has had its
 * signature checked there already.
 */
enum link {
	LINK_UNSEEN,		/* not looked at yet */
	LINK_NO,		/* not issued by it, or the signature fails */
	LINK_NAMES,		/* X509_check_issued() passes; signature unchecked */
	LINK_YES		/* issued by it, signature verified */
};

/*
 * At most this many signature checks per chain.  A real chain needs one
 * per certificate; 256 certificates that all bear the same name would
 * need 65,280, which took seconds with P-256 keys and would take minutes
 * with RSA-16384 ones.  Past the budget a pair whose names agree is
 * taken as not signed (nothing proves it is).
 */
#define CHAIN_MAX_VERIFY 512

struct links {
	struct stack_st_X509 *certs;	/* borrowed */
	int n;
	unsigned char *m;		/* m[i * n + j]: enum link of i over j */
	int budget;			/* signature checks left */
};

static void
links_init(struct links *l, struct stack_st_X509 *certs)
{
	l->certs = certs;
	l->n = sk_X509_num(certs);
	l->m = xcalloc((size_t)l->n * (size_t)l->n, 1);
	l->budget = CHAIN_MAX_VERIFY;
}

/* Names and key identifiers only: LINK_NO, LINK_NAMES or LINK_YES. */
static enum link
link_names(struct links *l, int i, int j)
{
	unsigned char *m = &l->m[i * l->n + j];
	X509 *issuer = sk_X509_value(l->certs, i), *x = sk_X509_value(l->certs, j);

	if (*m == LINK_UNSEEN)
		*m = i == j || issuer == x ||
		    X509_check_issued(issuer, x) != X509_V_OK ? LINK_NO :
		    LINK_NAMES;
	return (enum link)*m;
}

/* Is certs[j] issued and signed by certs[i]?  Names first, then the signature. */
static bool
link_signs(struct links *l, int i, int j)
{
	unsigned char *m = &l->m[i * l->n + j];
	EVP_PKEY *pk;

	if (link_names(l, i, j) == LINK_NAMES) {
		if (l->budget == 0)
			return false;
		l->budget--;
		pk = X509_get0_pubkey(sk_X509_value(l->certs, i));
		/* 1 verified, 0 bad signature, -1 error. */
		*m = pk != NULL && X509_verify(sk_X509_value(l->certs, j),
		    pk) == 1 ? LINK_YES : LINK_NO;
		ERR_clear_error();
	}
	return *m == LINK_YES;
}

/*
 * The leaf is the certificate that signs no other in the input.  If
 * several do (unrelated certificates), prefer the first that is not a
 * CA; if none does (a loop), the first certificate.  With by_names,
 * "signs" is judged by names and key identifiers only (a guess that
 * costs no signature check; right unless a signature is bad).
 */
static void
find_leaf(struct links *l, const struct cert_facts *facts, bool by_names,
    struct chain_facts *out)
{
	int n = l->n, i, j, cand = 0, first = -1, first_nonca = -1;

	for (i = 0; i < n; i++) {
		bool signs_other = false;

		for (j = 0; j < n && !signs_other; j++)
			if (i != j && (by_names ? link_names(l, i, j) !=
			    LINK_NO : link_signs(l, i, j)))
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

/*
 * ctx verified a path: every certificate on it below the anchor has had
 * its signature checked with the next one's key, and each pair passed
 * OpenSSL's issuer check.  Record those pairs of input certificates as
 * signed, where the names agree as link_names() sees them (a pair is
 * identified by DER, so a duplicate in the input maps to its first copy,
 * whose signature and key are the same bytes).
 */
static void
links_mark_path(struct links *l, X509_STORE_CTX *ctx)
{
	STACK_OF(X509) *path = X509_STORE_CTX_get0_chain(ctx);
	int k, lo, hi;

	for (k = 0; k + 1 < sk_X509_num(path); k++) {
		lo = input_index(l->certs, sk_X509_value(path, k));
		hi = input_index(l->certs, sk_X509_value(path, k + 1));
		if (lo >= 0 && hi >= 0 && link_names(l, hi, lo) == LINK_NAMES)
			l->m[hi * l->n + lo] = LINK_YES;
	}
}

/*
 * OpenSSL matches a certificate whose extensions it finds invalid (one
 * given twice, or undecodable) with no issuer, and no issuer with it:
 * the path then stops at top as if an issuer were missing, even when it
 * is in the input.  The input index of the certificate to blame (top
 * itself, or a certificate named as top's issuer), or -1.
 */
static int
invalid_ext_cert(const struct chain_facts *out)
{
	size_t i;

	if (out->certs[out->top].ext_invalid)
		return (int)out->top;
	for (i = 0; i < out->n; i++)
		if (i != out->top && out->certs[i].ext_invalid &&
		    strcmp(out->certs[i].subject, out->certs[out->top].issuer) == 0)
			return (int)i;
	return -1;
}

/*
 * The errors of X509_verify_cert() that are rules of RFC 5280 about the
 * path's structure: name constraints, basicConstraints and keyUsage of
 * the CAs, critical extensions, and the profile checks of
 * X509_V_FLAG_X509_STRICT.  Each is recorded with these words for
 * path-valid and verification goes on, so the path is built to its end
 * and every violation is seen.  Those OpenSSL refuses even without
 * strict mode (strict false: a CA that is none, a broken name
 * constraint...) still make the path fail to verify, so accepted-ca
 * never calls such a chain trusted, even with path-valid disabled.
 */
static const struct {
	int error;
	bool nc;
	bool strict;	/* only X509_V_FLAG_X509_STRICT refuses it */
	const char *what;
} path_rules[] = {
	{ X509_V_ERR_PERMITTED_VIOLATION, true, false, "a name lies outside the "
	  "subtrees permitted by a CA's nameConstraints (RFC 5280 4.2.1.10)" },
	{ X509_V_ERR_EXCLUDED_VIOLATION, true, false, "a name lies inside a subtree "
	  "excluded by a CA's nameConstraints (RFC 5280 4.2.1.10)" },
	{ X509_V_ERR_SUBTREE_MINMAX, true, false, "nameConstraints with a minimum or "
	  "maximum, which RFC 5280 4.2.1.10 forbids" },
	{ X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE, true, false, "a name constraint "
	  "of a type that cannot be checked (RFC 5280 4.2.1.10)" },
	{ X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, true, false, "a name constraint "
	  "whose syntax is invalid (RFC 5280 4.2.1.10)" },
	{ X509_V_ERR_UNSUPPORTED_NAME_SYNTAX, true, false, "a name whose syntax "
	  "cannot be checked against a CA's nameConstraints (RFC 5280 "
	  "4.2.1.10)" },
	{ X509_V_ERR_INVALID_CA, false, false, "it issues a certificate but is not a "
	  "CA (basicConstraints cA is not TRUE: RFC 5280 4.2.1.9)" },
	{ X509_V_ERR_PATH_LENGTH_EXCEEDED, false, false, "more CAs follow it than "
	  "its pathLenConstraint allows (RFC 5280 4.2.1.9)" },
	{ X509_V_ERR_KEYUSAGE_NO_CERTSIGN, false, false, "it issues a certificate "
	  "but its keyUsage lacks keyCertSign (RFC 5280 4.2.1.3)" },
	{ X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, false, false, "a critical "
	  "extension no verifier knows, so it must be refused (RFC 5280 4.2)" },
	{ X509_V_ERR_INVALID_EXTENSION, false, false, "an extension is invalid "
	  "(RFC 5280 4.2)" },
	{ X509_V_ERR_INVALID_NON_CA, false, false, "an end-entity certificate with "
	  "CA markings (RFC 5280 4.2.1.9)" },
	{ X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA, false, true, "pathLenConstraint "
	  "in a certificate that is not a CA (RFC 5280 4.2.1.9)" },
	{ X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, false, true,
	  "pathLenConstraint without keyCertSign in keyUsage (RFC 5280 "
	  "4.2.1.9)" },
	{ X509_V_ERR_CA_BCONS_NOT_CRITICAL, false, true, "basicConstraints of a CA "
	  "is not critical (RFC 5280 4.2.1.9: MUST be critical)" },
	{ X509_V_ERR_CA_CERT_MISSING_KEY_USAGE, false, true, "a CA certificate "
	  "without keyUsage (RFC 5280 4.2.1.3: MUST be present)" },
	{ X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, false, true, "keyCertSign "
	  "in the keyUsage of a certificate that is not a CA (RFC 5280 "
	  "4.2.1.3)" },
	{ X509_V_ERR_ISSUER_NAME_EMPTY, false, true, "an empty issuer name (RFC "
	  "5280 4.1.2.4)" },
	{ X509_V_ERR_SUBJECT_NAME_EMPTY, false, true, "an empty subject name in a "
	  "CA certificate or without subjectAltName (RFC 5280 4.1.2.6)" },
	{ X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, false, true, "an empty subject "
	  "beside a non-critical subjectAltName (RFC 5280 4.2.1.6: MUST be "
	  "critical)" },
	{ X509_V_ERR_EMPTY_SUBJECT_ALT_NAME, false, true, "an empty "
	  "subjectAltName (RFC 5280 4.2.1.6)" },
	{ X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY, false, true, "the "
	  "signature algorithm differs from the one inside the signed part "
	  "(RFC 5280 4.1.1.2)" },
	{ X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, false, true,
	  "authorityKeyIdentifier marked critical (RFC 5280 4.2.1.1: MUST "
	  "NOT be)" },
	{ X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, false, true,
	  "subjectKeyIdentifier marked critical (RFC 5280 4.2.1.2: MUST NOT "
	  "be)" },
	{ X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, false, true, "no "
	  "authorityKeyIdentifier (RFC 5280 4.2.1.1: MUST be present in "
	  "every certificate but a self-signed root)" },
	{ X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER, false, true, "a CA without "
	  "subjectKeyIdentifier (RFC 5280 4.2.1.2: MUST be present)" },
	{ X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3, false, true, "extensions in a "
	  "certificate that is not version 3 (RFC 5280 4.1.2.1)" },
	{ X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, false, true, "an EC key with explicit "
	  "curve parameters (RFC 5480 2.1.1)" },
};

/* One violation as the verify callback saw it, before it is placed. */
struct seen {
	X509 *x;		/* up-referenced */
	int error;
	int depth;
};

struct verify_log {
	struct seen *v;
	size_t n;
	int fatal;		/* index in v of the first one not strict-only, or -1 */
	X509_STORE *store;	/* owned: a store made for this verification, or NULL */
};

static int
path_rule(int error)
{
	size_t i;

	for (i = 0; i < sizeof(path_rules) / sizeof(path_rules[0]); i++)
		if (path_rules[i].error == error)
			return (int)i;
	return -1;
}

/*
 * X509_verify_cert() calls this for every check, with ok 0 for a
 * failed one; returning 1 goes on as if it had passed.
 */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct verify_log *log = X509_STORE_CTX_get_app_data(ctx);
	int error = X509_STORE_CTX_get_error(ctx);
	X509 *x = X509_STORE_CTX_get_current_cert(ctx);
	size_t i;

	if (ok == 1 || log == NULL || path_rule(error) < 0)
		return ok;
	for (i = 0; i < log->n; i++)
		if (log->v[i].error == error && log->v[i].x == x)
			return 1;
	if (log->n == CHAIN_MAX_CERTS)
		return 1;
	log->v = xreallocarray(log->v, log->n + 1, sizeof(*log->v));
	if (x != NULL && X509_up_ref(x) != 1)
		fatal_oom();
	if (log->fatal < 0 && !path_rules[path_rule(error)].strict)
		log->fatal = (int)log->n;
	log->v[log->n++] = (struct seen){ .x = x, .error = error,
	    .depth = X509_STORE_CTX_get_error_depth(ctx) };
	return 1;
}

static void
log_free(struct verify_log *log)
{
	size_t i;

	if (log == NULL)
		return;
	for (i = 0; i < log->n; i++)
		X509_free(log->v[i].x);
	free(log->v);
	X509_STORE_free(log->store);
	free(log);
}

/* Place each violation the callback saw on an input certificate. */
static void
record_violations(struct stack_st_X509 *certs, X509_STORE_CTX *ctx,
    struct chain_facts *out)
{
	struct verify_log *log = X509_STORE_CTX_get_app_data(ctx);
	struct chain_violation *cv;
	size_t i;
	int r;

	if (log == NULL || log->n == 0)
		return;
	out->violations = xcalloc(log->n, sizeof(*out->violations));
	for (i = 0; i < log->n; i++) {
		r = path_rule(log->v[i].error);
		cv = &out->violations[out->n_violations++];
		cv->cert = log->v[i].x != NULL ?
		    input_index(certs, log->v[i].x) : -1;
		cv->error = log->v[i].error;
		cv->name_constraints = path_rules[r].nc;
		cv->what = xstrdup(path_rules[r].what);
	}
}

/* Why issuer, which bears the name x names as its issuer, is not it. */
static const char *
not_issuer_why(X509 *issuer, X509 *x)
{
	EVP_PKEY *pk;
	int rc;

	switch (X509_check_issued(issuer, x)) {
	case X509_V_OK:
		break;
	case X509_V_ERR_AKID_SKID_MISMATCH:
	case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
		return "its key identifier is not the one the certificate "
		    "names (another key of that CA)";
	case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
		return "its keyUsage lacks keyCertSign";
	default:
		return "names and key identifiers do not match";
	}
	pk = X509_get0_pubkey(issuer);
	/* 1 verified, 0 bad signature, -1 error. */
	rc = pk != NULL ? X509_verify(x, pk) : -1;
	ERR_clear_error();
	return rc == 1 ? "OpenSSL did not link them" :
	    "the signature does not verify with its key";
}

/*
 * The path stopped at certs[top] for want of its issuer, yet a
 * certificate of that name is in the input or in the store: say which
 * and why it is not the issuer, rather than call it missing.  Returns
 * true when it set out's status and words.
 */
static bool
issuer_present(const struct trust *trust, struct stack_st_X509 *certs,
    struct chain_facts *out)
{
	X509 *x = sk_X509_value(certs, (int)out->top);
	const char *want = out->certs[out->top].issuer;
	const struct trust_root *root;
	size_t i;

	for (i = 0; i < out->n; i++) {
		if (i == out->top || strcmp(out->certs[i].subject, want) != 0)
			continue;
		out->status = CHAIN_INVALID;
		free(out->verify_error_str);
		out->verify_error_str = xasprintf("cert %zu bears the name of "
		    "the issuer of cert %zu but did not issue it: %s", i,
		    out->top, not_issuer_why(sk_X509_value(certs, (int)i), x));
		return true;
	}
	i = 0;
	if ((root = trust_named(trust, X509_get_issuer_name(x), &i)) != NULL) {
		out->status = CHAIN_INVALID;
		free(out->verify_error_str);
		out->verify_error_str = xasprintf("the trust store holds %s, "
		    "named as the issuer of cert %zu, but it did not issue it: "
		    "%s", want, out->top, not_issuer_why(root->x509, x));
		return true;
	}
	return false;
}

static void
classify(const struct trust *trust, struct stack_st_X509 *certs,
    X509_STORE_CTX *ctx, int ok, struct chain_facts *out)
{
	const struct verify_log *log = X509_STORE_CTX_get_app_data(ctx);
	const struct seen *fatal;
	STACK_OF(X509) *built;
	X509 *x, *top;
	const struct trust_root *root;
	int i, n, idx;

	record_violations(certs, ctx, out);
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
	if (ok && (log == NULL || log->fatal < 0)) {
		out->status = CHAIN_VERIFIED;
		goto out;
	}
	if (ok) {
		/*
		 * The path reached the store, but breaks a rule OpenSSL
		 * enforces even without strict mode: it does not verify.  The
		 * root's facts stay in out->anchor for path-valid to name it.
		 */
		fatal = &log->v[log->fatal];
		out->status = CHAIN_INVALID;
		out->has_anchor = false;
		out->anchor_info = NULL;
		out->verify_error = fatal->error;
		out->verify_depth = fatal->depth;
		out->verify_error_str = xstrdup(
		    path_rules[path_rule(fatal->error)].what);
		out->top = out->path_len > 0 ? out->path[out->path_len - 1] :
		    out->leaf;
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
		if ((idx = invalid_ext_cert(out)) >= 0) {
			out->status = CHAIN_INVALID;
			free(out->verify_error_str);
			out->verify_error_str = xasprintf("cert %d has invalid "
			    "extensions (one appears twice, or cannot be "
			    "decoded: RFC 5280 4.2), so OpenSSL, and an SBC "
			    "built on it, links it to no issuer", idx);
			break;
		}
		if (issuer_present(trust, certs, out))
			break;
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

/*
 * Run X509_verify_cert() from certs[leaf].  The untrusted candidates
 * are the n_only input certificates listed in only, or, with only NULL,
 * every input certificate.  Returns the context (free with
 * verify_free()); *ok is set when a path reached the store.
 */
static X509_STORE_CTX *
verify_run(const struct trust *trust, X509_STORE *store,
    struct stack_st_X509 *certs, const struct chain_facts *out, size_t leaf,
    const size_t *only, size_t n_only, bool *ok)
{
	X509_STORE_CTX *ctx;
	STACK_OF(X509) *untrusted;
	struct verify_log *log;
	unsigned long flags;
	size_t k;
	int i;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		fatal_oom();
	log = xcalloc(1, sizeof(*log));
	log->fatal = -1;
	/* store (taken), or NULL for the trust store itself. */
	log->store = store;
	if ((untrusted = sk_X509_new_reserve(NULL, sk_X509_num(certs))) == NULL)
		fatal_oom();
	/*
	 * OpenSSL takes the first matching issuer from the untrusted stack
	 * and does not try the others.  Put self-signed certificates last,
	 * so a cross-signed copy of a root (which leads to the store) is
	 * found before its self-signed twin; a chain whose only root is
	 * self-signed still ends at it.  backtrack() tries the others.
	 */
	for (k = 0; only != NULL && k < n_only; k++)
		(void)sk_X509_push(untrusted, sk_X509_value(certs, (int)only[k]));
	for (i = 0; only == NULL && i < sk_X509_num(certs); i++)
		if (!out->certs[i].self_signed)
			(void)sk_X509_push(untrusted, sk_X509_value(certs, i));
	for (i = 0; only == NULL && i < sk_X509_num(certs); i++)
		if (out->certs[i].self_signed)
			(void)sk_X509_push(untrusted, sk_X509_value(certs, i));
	ERR_clear_error();
	/*
	 * 1 on success.  With a store and a certificate given, OpenSSL 3.0
	 * fails here only when an allocation does (the ex_data, the verify
	 * parameters it copies from the store and from "default"), so this
	 * is out of memory, not a fault of the input.
	 */
	if (X509_STORE_CTX_init(ctx, store != NULL ? store : trust->store,
	    sk_X509_value(certs, (int)leaf), untrusted) != 1)
		fatal_oom();
	/*
	 * Build the path: validity is judged by its own rules, key sizes
	 * and digests too (no auth level), and so are EKUs (no purpose).
	 * RFC 5280's rules of structure, strict ones included, are
	 * recorded by verify_cb() for path-valid and do not stop the path.
	 * The built-in store holds roots only; a certificate the user put
	 * in --trust-store is an anchor whether or not it is self-signed
	 * (an intermediate trusted as such), so partial chains end there.
	 */
	flags = X509_V_FLAG_NO_CHECK_TIME | X509_V_FLAG_X509_STRICT;
	if (!trust->builtin)
		flags |= X509_V_FLAG_PARTIAL_CHAIN;
	X509_STORE_CTX_set_flags(ctx, flags);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	/* 1 on success. */
	if (X509_STORE_CTX_set_app_data(ctx, log) != 1)
		fatal_oom();
	/* A pair of certificates verified earlier in the run is not checked again. */
	sigcache_attach(trust->sigs, ctx);
	/* 1 verified, 0 not verified, < 0 error in the call itself. */
	*ok = X509_verify_cert(ctx) == 1;
	ERR_clear_error();
	return ctx;
}

static void
verify_free(X509_STORE_CTX *ctx)
{
	STACK_OF(X509) *untrusted;
	struct verify_log *log;

	if (ctx == NULL)
		return;
	untrusted = X509_STORE_CTX_get0_untrusted(ctx);
	log = X509_STORE_CTX_get_app_data(ctx);
	/* The context first: it may refer to the store the log owns. */
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	log_free(log);
}

/*
 * How good a verification is: a clean verified path (2) beats one with
 * violations of strict mode only (1), which beats a path that does not
 * verify (0).
 */
static int
verify_rank(X509_STORE_CTX *ctx, bool ok)
{
	const struct verify_log *log = X509_STORE_CTX_get_app_data(ctx);

	if (!ok || (log != NULL && log->fatal >= 0))
		return 0;
	return log != NULL && log->n > 0 ? 1 : 2;
}

/*
 * Other paths to try when the first one did not verify cleanly.
 * OpenSSL takes the first issuer whose names and key identifiers match
 * and never comes back: of two CA certificates with the same subject and
 * key (a reissued intermediate, a cross-sign beside its self-signed
 * twin, a name-constrained twin) the wrong one decides the verdict.
 * Here every path of input certificates from the leaf up, each link a
 * verified signature, is offered to OpenSSL alone, depth first, until
 * one verifies with no violation.  Bounded: at most BACKTRACK_MAX paths
 * and BACKTRACK_STEPS links looked at.
 */
#define BACKTRACK_MAX 16
#define BACKTRACK_STEPS 1024

struct backtrack {
	const struct trust *trust;
	struct stack_st_X509 *certs;
	struct links *l;
	const struct chain_facts *out;
	size_t *path;		/* path[0] is the leaf */
	size_t len;
	bool *on;		/* on[i]: certs[i] is on path */
	int tries, steps;
	X509_STORE_CTX *best;	/* owned */
	bool best_ok;
};

static void
backtrack_try(struct backtrack *b)
{
	X509_STORE_CTX *ctx;
	bool ok;

	b->tries++;
	ctx = verify_run(b->trust, NULL, b->certs, b->out, b->path[0],
	    b->path + 1, b->len - 1, &ok);
	if (verify_rank(ctx, ok) > verify_rank(b->best, b->best_ok)) {
		verify_free(b->best);
		b->best = ctx;
		b->best_ok = ok;
	} else
		verify_free(ctx);
}

static void
backtrack_from(struct backtrack *b)
{
	size_t top = b->path[b->len - 1];
	bool extended = false;
	int i;

	for (i = 0; i < b->l->n; i++) {
		if (verify_rank(b->best, b->best_ok) == 2 ||
		    b->tries >= BACKTRACK_MAX || b->steps >= BACKTRACK_STEPS)
			return;
		b->steps++;
		if (b->on[i] || !link_signs(b->l, i, (int)top))
			continue;
		extended = true;
		b->on[i] = true;
		b->path[b->len++] = (size_t)i;
		backtrack_from(b);
		b->len--;
		b->on[i] = false;
	}
	/* A path ends where no other input certificate signs its top. */
	if (!extended && b->len > 1)
		backtrack_try(b);
}

/*
 * ctx (taken) is the first verification from the leaf; returns the best
 * one found, ctx itself when no other path does better.
 */
static X509_STORE_CTX *
backtrack(const struct trust *trust, struct stack_st_X509 *certs,
    struct links *l, const struct chain_facts *out, X509_STORE_CTX *ctx,
    bool *ok)
{
	struct backtrack b = {
		.trust = trust, .certs = certs, .l = l, .out = out,
		.best = ctx, .best_ok = *ok,
	};

	if (verify_rank(ctx, *ok) == 2 || l->n < 3)
		return ctx;
	b.path = xcalloc((size_t)l->n, sizeof(*b.path));
	b.on = xcalloc((size_t)l->n, sizeof(*b.on));
	b.path[b.len++] = out->leaf;
	b.on[out->leaf] = true;
	backtrack_from(&b);
	free(b.path);
	free(b.on);
	*ok = b.best_ok;
	return b.best;
}

/*
 * The same for the trust store: of two roots that bear one name and key
 * (a root reissued, a constrained copy), OpenSSL takes the first it
 * finds.  When the best path ends at a root that has such a twin in the
 * store, verify once more against the store without it.  ctx (taken) is
 * the best so far; returns the better of the two.
 */
static X509_STORE_CTX *
store_twin(const struct trust *trust, struct stack_st_X509 *certs,
    const struct chain_facts *out, X509_STORE_CTX *ctx, bool *ok)
{
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	const struct trust_root *root, *r;
	X509_STORE_CTX *other;
	X509_STORE *store;
	bool twin = false, other_ok;
	size_t i;

	if (verify_rank(ctx, *ok) == 2 || sk_X509_num(chain) <= 0 ||
	    (root = trust_find(trust, sk_X509_value(chain,
	    sk_X509_num(chain) - 1))) == NULL)
		return ctx;
	/* Built-in roots are parsed when first needed: ask by name. */
	for (i = 0; !twin && (r = trust_named(trust,
	    X509_get_subject_name(root->x509), &i)) != NULL; i++)
		twin = r != root;
	if (!twin)
		return ctx;
	if ((store = X509_STORE_new()) == NULL)
		fatal_oom();
	for (i = 0; i < trust->n; i++)
		if ((r = trust_root(trust, i)) != NULL && r != root &&
		    X509_STORE_add_cert(store, r->x509) != 1)
			fatal_oom();
	other = verify_run(trust, store, certs, out, out->leaf, NULL, 0,
	    &other_ok);
	if (verify_rank(other, other_ok) <= verify_rank(ctx, *ok)) {
		verify_free(other);
		return ctx;
	}
	verify_free(ctx);
	*ok = other_ok;
	return other;
}

/*
 * Find the leaf and verify the path from it, checking each signature
 * once.  The leaf is first guessed by names and key identifiers, and
 * the path verified from the guess; the signatures that verification
 * checked are then known, and only the pairs it did not cover are
 * checked to find the leaf for sure.  If a bad signature makes the leaf
 * another certificate than the guess, the path is verified again from
 * it, so the outcome is always that of the leaf found by signatures.
 * When that path does not verify cleanly, backtrack() and store_twin()
 * try the others.
 */
static void
verify(const struct trust *trust, struct stack_st_X509 *certs,
    struct links *l, struct chain_facts *out)
{
	X509_STORE_CTX *ctx;
	size_t guess;
	bool ok;

	find_leaf(l, out->certs, true, out);
	guess = out->leaf;
	ctx = verify_run(trust, NULL, certs, out, guess, NULL, 0, &ok);
	if (ok)
		links_mark_path(l, ctx);
	find_leaf(l, out->certs, false, out);
	if (out->leaf != guess) {
		verify_free(ctx);
		ctx = verify_run(trust, NULL, certs, out, out->leaf, NULL, 0,
		    &ok);
	}
	ctx = backtrack(trust, certs, l, out, ctx, &ok);
	ctx = store_twin(trust, certs, out, ctx, &ok);
	classify(trust, certs, ctx, ok, out);
	ERR_clear_error();
	verify_free(ctx);
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
	struct links l;
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
		if (facts_memo_get(trust->facts, sk_X509_value(certs, i),
		    &out->certs[i]) != 0) {
			char *reason = ossl_err_reason("cannot digest");

			*err = xasprintf("certificate %d: %s", i, reason);
			free(reason);
			return -1;
		}
	links_init(&l, certs);
	verify(trust, certs, &l, out);
	out->signed_by_next = xcalloc((size_t)n, sizeof(bool));
	for (i = 0; i + 1 < n; i++)
		out->signed_by_next[i] = link_signs(&l, i + 1, i);
	free(l.m);
	if (key != NULL)
		key_facts(sk_X509_value(certs, (int)out->leaf), key, out);
	return 0;
}

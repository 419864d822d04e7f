/*
 * chain_facts.h - what a set of certificates says as a chain, as plain
 * data.
 *
 * x509/chain.c fills it (chain_analyse); the chain rules and the
 * reporters read it.  Certificates are identified by their position in
 * the input ("cert N"), which is what the reports show.
 */
#ifndef BWC_CHAIN_FACTS_H
#define BWC_CHAIN_FACTS_H

#include "core/cert_facts.h"
#include "core/roots_table.h"

/* More certificates than this in one chain is an input error. */
#define CHAIN_MAX_CERTS 256

enum chain_status {
	CHAIN_VERIFIED,		/* a path reaches a root of the store */
	CHAIN_UNTRUSTED_ROOT,	/* the path ends at a self-signed cert not in the store */
	CHAIN_ISSUER_MISSING,	/* the path ends at a cert whose issuer is nowhere */
	CHAIN_INVALID,		/* a path exists but OpenSSL rejects it (signature, CA flag...) */
	CHAIN__MAX
};

/*
 * A rule of RFC 5280 that the path breaks, as OpenSSL's strict
 * verification (X509_V_FLAG_X509_STRICT) and its name-constraints check
 * found it.  Such errors do not stop the path from being built: trust
 * (accepted-ca) and structure (path-valid) are judged apart.
 */
struct chain_violation {
	int cert;		/* input index, or -1 for the anchor from the store */
	int error;		/* X509_V_ERR_* */
	bool name_constraints;	/* a name constraint is broken */
	char *what;		/* what is wrong and where RFC 5280 says so */
};

struct chain_facts {
	struct cert_facts *certs;	/* the input certificates, in input order */
	size_t n;
	size_t leaf;			/* index into certs */
	bool leaf_ambiguous;		/* several certificates sign nothing else */

	/* signed_by_next[i]: certs[i] is issued and signed by certs[i + 1] */
	bool *signed_by_next;

	/*
	 * The path OpenSSL built from the leaf upward, as indices into
	 * certs; the anchor from the store is not in it when it came from
	 * the store only.  For a failed verification, the partial path.
	 */
	size_t *path;
	size_t path_len;

	enum chain_status status;
	int verify_error;		/* X509_V_ERR_*, 0 when verified */
	char *verify_error_str;		/* OpenSSL's words, or NULL */
	int verify_depth;		/* where the error was found */

	/* In the order found, each (cert, error) once. */
	struct chain_violation *violations;
	size_t n_violations;

	/*
	 * When status == CHAIN_VERIFIED: the root reached.  A path that
	 * reached a store root but breaks a rule of structure OpenSSL always
	 * enforces is CHAIN_INVALID: has_anchor is false, and anchor still
	 * holds that root's facts for path-valid.
	 */
	bool has_anchor;
	struct cert_facts anchor;	/* a copy of the store root's facts */
	const struct root_info *anchor_info;	/* NULL for --trust-store roots */
	int anchor_input;		/* index in certs if the input held it too, else -1 */

	/* When status == CHAIN_ISSUER_MISSING or UNTRUSTED_ROOT: the top of the path. */
	size_t top;
	char *missing_issuer;		/* issuer name of certs[top] */
	char *missing_issuer_aia;	/* its caIssuers URL, or NULL */

	/* The input is a PKCS#7 bundle: a set, whose order means nothing. */
	bool unordered;

	/* Private key given with --key or found in a PKCS#12. */
	bool has_key;
	bool key_matches;
	char *key_type;			/* of the private key, e.g. "RSA-2048" */
};

void chain_free(struct chain_facts *);

/* The leaf's facts.  Borrowed. */
const struct cert_facts *chain_leaf(const struct chain_facts *);

/*
 * Call fn for every certificate in the judged chain: the path (or, if no
 * path could be built at all, every input certificate), then the anchor.
 * idx is the input index, or -1 for an anchor taken from the store.
 */
void chain_foreach(const struct chain_facts *,
    void (*fn)(const struct cert_facts *, int idx, void *arg), void *arg);

#endif

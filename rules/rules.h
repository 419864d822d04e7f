/*
 * rules.h - the rule table: the only list of rules.
 *
 * Each rule is one row (rule_table.c) and one check function.  A check
 * reads facts and fills a verdict; the engine stamps the rule's ID and
 * severity on the finding.  Checks never print, never read files and
 * never call the network.
 */
#ifndef BWC_RULES_H
#define BWC_RULES_H

#include "core/policy.h"
#include "core/subject.h"

/* More rules than this is a build defect (rule_table.c checks it). */
#define RULES_MAX 64

/* What a rule needs; without it the rule is skipped. */
enum rule_needs {
	NEEDS_CHAIN = 1u << 0,
	NEEDS_FQDN = 1u << 1,
	NEEDS_KEY = 1u << 2,
	NEEDS_PROBE = 1u << 3,
	NEEDS_SIP = 1u << 4,
	NEEDS_DNS = 1u << 5,	/* the probe resolved the FQDN itself */
	NEEDS_SNI = 1u << 6,	/* the probe sent SNI and compared without it */
	NEEDS_HANDSHAKE = 1u << 7,	/* the probe reached an address */
	NEEDS_ANCHOR = 1u << 8,	/* the chain reached a root of the store */
	NEEDS_BUILTIN_ROOT = 1u << 9,	/* ... a built-in one, whose dates are known */
	NEEDS_CLIENT = 1u << 10,	/* a client of `listen` (only those subjects) */
};

struct check_input {
	const struct policy *policy;
	bool builtin_roots;			/* anchors are the built-in roots,
						 * not --trust-store */
	time_t now;
	const char *fqdn;			/* NULL when none */
	const struct chain_facts *chain;	/* NULL when no chain */
	const struct probe_facts *probe;	/* NULL for lint */
	const struct client_facts *client;	/* NULL but for listen */
};

struct verdict {
	enum status status;
	int cert;		/* input index, or -1 */
	char *message;		/* owned by the verdict until the engine takes it */
	/*
	 * The rule's severity, which a check may raise for this finding
	 * (expires-soon within --crit-days fails as an error;
	 * client-certificate with --require-client-cert).
	 */
	enum severity severity;
	/* The fix for this finding when the rule's own would not fit the
	 * policy or the case (owned until the engine takes it), or NULL. */
	char *fix;
};

/* Set a verdict's status, cert and message (printf-style; escape untrusted parts first). */
void verdict_set(struct verdict *, enum status, int cert, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Set the finding's own fix (printf-style), replacing the rule's. */
void verdict_fix(struct verdict *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

typedef void (*check_fn)(const struct check_input *, struct verdict *);

struct rule {
	const char *id;
	enum severity severity;
	unsigned needs;		/* enum rule_needs bits */
	const char *title;	/* one line: what passing means */
	const char *source;	/* the requirement it comes from */
	const char *explain;	/* what it means */
	const char *fix;	/* how to fix a failure */
	check_fn check;
};

extern const struct rule rule_table[];
extern const size_t rule_count;

/* The row with this ID, or NULL. */
const struct rule *rule_find(const char *id);
/* Its index in rule_table, or -1. */
int rule_index(const char *id);

/* The checks, grouped by family (check_*.c). */
void check_rsa_key(const struct check_input *, struct verdict *);
void check_rsa_key_size(const struct check_input *, struct verdict *);
void check_key_match(const struct check_input *, struct verdict *);
void check_accepted_ca(const struct check_input *, struct verdict *);
void check_chain_complete(const struct check_input *, struct verdict *);
void check_chain_order(const struct check_input *, struct verdict *);
void check_not_self_signed(const struct check_input *, struct verdict *);
void check_root_retiring(const struct check_input *, struct verdict *);
void check_not_expired(const struct check_input *, struct verdict *);
void check_expires_soon(const struct check_input *, struct verdict *);
void check_fqdn_match(const struct check_input *, struct verdict *);
void check_signature_sha256(const struct check_input *, struct verdict *);
void check_key_usage_encipherment(const struct check_input *, struct verdict *);
void check_eku_server_auth(const struct check_input *, struct verdict *);
void check_eku_client_auth(const struct check_input *, struct verdict *);
void check_leaf_not_ca(const struct check_input *, struct verdict *);
void check_path_valid(const struct check_input *, struct verdict *);
void check_tls12(const struct check_input *, struct verdict *);
void check_cipher_allowed(const struct check_input *, struct verdict *);
void check_cipher_default(const struct check_input *, struct verdict *);
void check_sni_independent(const struct check_input *, struct verdict *);
void check_dns_a_record(const struct check_input *, struct verdict *);
void check_sip_options(const struct check_input *, struct verdict *);
void check_tls_inventory(const struct check_input *, struct verdict *);
void check_client_tls12(const struct check_input *, struct verdict *);
void check_client_cipher_allowed(const struct check_input *, struct verdict *);
void check_client_cipher_default(const struct check_input *, struct verdict *);
void check_client_verifies_server(const struct check_input *, struct verdict *);
void check_client_certificate(const struct check_input *, struct verdict *);
void check_sip_request(const struct check_input *, struct verdict *);
void check_srtp_offer(const struct check_input *, struct verdict *);
void check_srtp_suite(const struct check_input *, struct verdict *);

#endif

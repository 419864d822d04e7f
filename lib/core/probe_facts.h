/*
 * probe_facts.h - what a live TLS probe of one address found.
 *
 * Filled by the probe (lib/probe*.c), read by the probe rules and the
 * reporters.  Strings are owned by the struct; names from the server
 * must be escaped before printing.
 */
#ifndef BWC_PROBE_FACTS_H
#define BWC_PROBE_FACTS_H

#include "core/common.h"
#include "core/policy.h"

enum suite_state {
	SUITE_NOT_TRIED,	/* not in the policy, or the probe stopped early */
	SUITE_ACCEPTED,
	SUITE_REJECTED,
	SUITE__STATE_MAX
};

/*
 * The TLS versions other than 1.2 that the inventory (tls-inventory)
 * offers one at a time.
 */
enum tls_other {
	TLSO_10,
	TLSO_11,
	TLSO_13,
	TLSO__MAX
};

/* "TLS 1.0", ... for people; "TLSv1.0", ... as JSON keys and labels. */
static inline const char *
tls_other_label(enum tls_other v)
{
	return v == TLSO_10 ? "TLS 1.0" : v == TLSO_11 ? "TLS 1.1" : "TLS 1.3";
}

static inline const char *
tls_other_key(enum tls_other v)
{
	return v == TLSO_10 ? "TLSv1.0" : v == TLSO_11 ? "TLSv1.1" : "TLSv1.3";
}

struct suite_result {
	enum suite_state state;
	char *reason;		/* alert or error when rejected, or NULL */
	double ms;		/* handshake time */
	char *version;		/* negotiated protocol when accepted, "TLSv1.2" */
};

struct probe_facts {
	/* DNS: how many A records the FQDN has (-1: not looked up, --connect). */
	int dns_a_count;
	int dns_aaaa_count;
	char *dns_error;

	bool tls12;			/* at least one TLS 1.2 handshake completed */
	char *tls12_error;		/* why not, when !tls12 */
	char *tls_version;		/* "TLSv1.2" when tls12 */
	struct suite_result suites[SUITE__MAX];
	double handshake_ms;		/* the fastest accepted handshake */

	/* Without SNI: 1 same chain, 0 different or failed, -1 not tested. */
	int sni_same;
	char *sni_detail;
	bool sni_sent;
	char *servername;

	/* SIP OPTIONS (--sip): -1 not asked; else the status code (0: no answer). */
	int sip_code;
	char *sip_status_line;
	char *sip_error;
	char *sip_server;		/* its Server header field, escaped */

	/* The handshakes as a whole. */
	bool handshake_tried;		/* false: there was no address to probe */
	char *tls12_cipher;		/* the suite the server picked when offered
					 * every TLS 1.2 suite, or NULL */
	char *other_version;		/* when !tls12: the version the server did
					 * complete ("TLSv1.3"), or NULL */

	/*
	 * With --srv: the SRV record that named this target (srv_name is
	 * "_sips._tcp.ZONE"), else srv_name NULL.
	 */
	char *srv_name;
	char *srv_target;
	int srv_priority, srv_weight, srv_port;

	/* With --save-chain: the file the served chain was written to. */
	char *saved_chain;

	/*
	 * What the server enables beyond the carrier's needs, for
	 * tls-inventory (a notice).  inv_tried false: not taken (the rule
	 * is disabled, or the address spoke no TLS).  inv_version[v]: 1 the
	 * server completed a handshake offering that version alone, 0 it
	 * refused, -1 no answer to tell (time ran out).
	 */
	bool inv_tried;
	int inv_version[TLSO__MAX];
	char **inv_suites;		/* other TLS 1.2 suites it accepts, in
					 * the order found (OpenSSL names) */
	size_t n_inv_suites;
	bool inv_suites_complete;	/* it refused the last offer: no more */
	/* OCSP stapling (status_request) in a TLS 1.2 handshake: -1 not
	 * known, 0 no response stapled, 1 stapled (ocsp_status: OpenSSL's
	 * name of the response status, "successful"). */
	int ocsp_stapled;
	const char *ocsp_status;
};

/* Every count and code "not tested" (-1), every pointer NULL. */
void probe_facts_init(struct probe_facts *);
/* Release what the struct owns; it may be re-initialised afterwards. */
void probe_facts_free(struct probe_facts *);

#endif

/*
 * run.h - the one struct that carries a run: configuration, policy,
 * accepted roots and the instant every rule judges at.  No globals.
 */
#ifndef BWC_RUN_H
#define BWC_RUN_H

#include "core/common.h"
#include "core/policy.h"
#include "rules/engine.h"
#include "x509/trust.h"

struct client_id;

struct run {
	struct policy policy;
	time_t now;			/* from --at or the clock, read once */
	struct trust *trust;		/* owned */

	char *fqdn;			/* --fqdn normalised, or NULL; owned */
	const char *key_path;		/* --key */
	const char *password_spec;	/* --password */
	const char *trust_path;		/* --trust-store */
	bool disabled[RULES_MAX];	/* by index into rule_table */
	bool each;			/* --each */
	bool quiet;
	bool show_chain;		/* -v, --show-chain */
	/*
	 * The report goes where standard error goes (a terminal, cron's
	 * "2>&1"): an input's error, which the report holds, is not also
	 * printed on stderr.
	 */
	bool errors_in_report;
	const char *format;
	const char *output;

	/* probe */
	int timeout_sec;
	const char *servername;
	bool no_sni;
	const char *connect_addr;
	const char *resolver;
	bool srv;
	bool sip;
	const char *targets_path;
	int jobs;
	int connections;		/* --connections: to one address at
					   once; 0: every handshake at once */
	int shard_i, shard_n;
	bool port_given;
	bool timeout_given;

	/* fix-chain */
	const char *chain_out;		/* -o: the chain file to write */
	const char *p12_out;		/* --p12 */
	bool fetch;			/* --fetch */

	/* exporter */
	const char *listen_addr;	/* --listen: exporter ADDR:PORT;
				 * listen ADDR[:PORT], NULL: 0.0.0.0 */
	char *allow;			/* --allow patterns, comma-joined; owned */
	int interval_sec;		/* --interval */
	bool now_fixed;			/* --at given: no fresh clock per probe */
	/* listen */
	const char *cert_path;		/* --cert, or NULL: a throw-away one */
	int count;			/* --count */
	bool require_client_cert;

	/* probe: mutual TLS */
	const char *client_cert_path;	/* --client-cert */
	const char *client_key_path;	/* --client-key */
	const char *save_chain_dir;	/* --save-chain: each served chain as PEM */
	struct client_id *client;	/* both, loaded: probe_client_load() */
};

void run_init(struct run *);
void run_free(struct run *);

/* Judge s with every rule, as this run says (rules_judge()). */
void run_judge(const struct run *, struct subject *s);

#endif

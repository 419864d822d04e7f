/*
 * fleet.h - the whole run kept for the formats that lay it out at the
 * end (html, markdown): subjects sorted by urgency, an expiry timeline,
 * the questionnaire's answers.
 *
 * fleet_add() copies from a subject what those pages show, as plain
 * strings that are already printable UTF-8 (escaped by esc_printable,
 * never raw certificate bytes), so a reporter still has to escape them
 * for its own syntax (HTML, Markdown) and nothing else.  The subject
 * itself may be freed at once.
 */
#ifndef BWC_REPORT_FLEET_H
#define BWC_REPORT_FLEET_H

#include "core/subject.h"

struct report;
struct rule;

enum fleet_cert_role { FLEET_LEAF, FLEET_INTERMEDIATE, FLEET_ROOT };

/* One certificate of a judged chain, as the timeline and tables show it. */
struct fleet_cert {
	enum fleet_cert_role role;
	char *label;		/* first SAN, else CN, else the subject */
	char *subject;		/* RFC 2253 */
	time_t not_after;
	long days_left;		/* negative once expired */
};

/* What the probe of one address measured. */
struct fleet_probe {
	int dns_a_count, dns_aaaa_count;	/* -1: not looked up */
	bool handshake_tried;
	bool tls12;
	char *tls_version;	/* "TLSv1.2", or NULL */
	char *tls_error;	/* why no TLS 1.2 handshake, or NULL */
	char *other_version;	/* what the server completed instead, or NULL */
	char *preferred;	/* the suite the server picked, or NULL */
	enum suite_state suites[SUITE__MAX];
	int sip_code;		/* -1: not asked */
	char *sip_status;	/* the status line, or NULL */
	char *servername;	/* SNI sent, or NULL */
	char *srv_name;		/* --srv: "_sips._tcp.ZONE", or NULL */
	char *srv_target;
	int srv_priority, srv_weight, srv_port;
};

/* What listen saw of one client, in words and as the questionnaire asks. */
struct fleet_client {
	char **label, **text;	/* report_client_lines(): "hello", "tls", ... */
	size_t n_lines;
	char *versions;		/* "TLSv1.2, TLSv1.3", or NULL: no ClientHello */
	unsigned suites;	/* bit (1u << enum suite) per allowed suite offered */
	size_t n_suites;	/* suites offered in all */
	char *sni;		/* or NULL */
	char *handshake;	/* how it ended, in words */
	bool cert_asked, cert_sent;
	char *sip;		/* request line and User-Agent, or NULL */
	char *srtp;		/* per m= line: proto and a=crypto suites, or NULL */
};

struct fleet_finding {
	const struct rule *rule;	/* borrowed from rule_table */
	enum status status;
	enum severity severity;		/* the finding's (--crit-days raises it) */
	bool not_checked;
	char *message;
	char *fix;			/* the finding's own fix, or NULL */
};

struct fleet_subject {
	size_t order;		/* position in the input */
	enum subject_kind kind;
	char *name;
	char *fqdn;		/* or NULL */
	char *address;		/* or NULL */
	int port;
	enum result result;
	char *error;		/* or NULL */
	char *not_checked;	/* "fqdn-match: no --fqdn given", or NULL */
	size_t n_fail, n_warn;	/* failed error rules, failed warning rules */

	/* The judged chain: leaf first, up to the root when one was reached. */
	struct fleet_cert *certs;
	size_t n_certs;
	bool has_expiry;	/* some certificate has a validity period */
	long days_left;		/* of the certificate that expires first */
	time_t warn_limit;	/* --warn-days for this chain, in seconds */
	time_t crit_limit;	/* --crit-days, in seconds (0: none) */
	size_t soonest;		/* its index in certs */
	char *leaf_key;		/* "RSA-2048", or NULL */
	char *issuer;		/* the leaf's issuer name (RFC 2253), or NULL */
	char *issuer_org;	/* its organisation (the issuing CA), or NULL */
	char *brand;		/* the accepted CA brand reached, or NULL */
	char *root;		/* the root reached, or NULL */
	char **san;		/* the leaf's SAN dNSNames */
	size_t n_san;

	bool has_probe;
	struct fleet_probe probe;
	bool has_client;
	struct fleet_client client;

	struct fleet_finding *findings;
	size_t n_findings;
};

struct fleet {
	struct fleet_subject *s;
	size_t n;
	bool sorted;
	char **skipped, **skipped_why;	/* inputs passed over, and why */
	size_t n_skipped;
};

/*
 * The reporter callbacks the fleet formats share: begin() makes the
 * fleet (r->state), subject() and skip() keep what the page shows.
 * fleet_take() hands the fleet, sorted, to the format's end(), which
 * frees it with fleet_free() and free().
 */
void fleet_report_begin(struct report *);
void fleet_report_subject(struct report *, const struct subject *);
void fleet_report_skip(struct report *, const char *name, const char *why);
struct fleet *fleet_take(struct report *);

/* Keep what the pages show of s, judged under policy at now. */
void fleet_add(struct fleet *, const struct subject *s,
    const struct policy *policy, time_t now);

/*
 * Most urgent first: not compliant, then not evaluated, then the rest;
 * within each, fewest days left first (no expiry known sorts first),
 * then warnings before compliant, then input order.
 */
void fleet_sort(struct fleet *);

void fleet_free(struct fleet *);

/*
 * How a certificate of fs stands at now: "fail" (expired, or within
 * --crit-days), "warn" (within --warn-days) or "pass".
 */
const char *fleet_expiry_shape(const struct fleet_subject *fs,
    const struct fleet_cert *c, time_t now);

/* "leaf", "intermediate", "root". */
const char *fleet_role_name(enum fleet_cert_role);

/* The verdict in words: "compliant", "warnings", "not compliant", "not evaluated". */
const char *fleet_result_word(enum result);

/* The SAN that covers fqdn as a wildcard ("*.example.com"), or NULL. */
const char *fleet_wildcard(const struct fleet_subject *);

#endif

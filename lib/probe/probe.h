/*
 * probe.h - the probe's internal API: targets, DNS, sockets, TLS
 * handshakes and SIP, kept apart from the certificate logic.
 *
 * The network code (net.c, dns.c, probe.c, probe_tls.c, sip.c) turns a
 * target into probe facts and the chain each address presents; it
 * never judges.  op_probe.c hands the chain to chain_analyse() and the
 * subject to the rule engine, exactly as lint does for a file.
 *
 * Every wait is bounded by a deadline in milliseconds on the monotonic
 * clock (net_now_ms()); nothing blocks past it.
 */
#ifndef BWC_PROBE_H
#define BWC_PROBE_H

#include <netinet/in.h>
#include <sys/socket.h>

#include "core/common.h"
#include "core/probe_facts.h"

struct stack_st_X509;

/* ------------------------------------------------------------------ */
/* Targets (probe_target.c) */

/* One thing to probe, as the user wrote it. */
struct probe_target {
	char *host;		/* name (normalised) or IP literal, no brackets */
	int port;
	bool host_is_ip;
	char *fqdn;		/* from a --targets line, or NULL */
	char *origin;		/* "FILE:LINE" for --targets lines, or NULL */
};

/*
 * Parse "HOST", "HOST:PORT", "[IPV6]", "[IPV6]:PORT" or a bare IPv6
 * literal into *t; default_port applies when none is given.  Returns 0,
 * or -1 with *err set (caller frees).  Call probe_target_free() either way.
 */
int probe_target_parse(const char *spec, int default_port,
    struct probe_target *t, char **err);

/*
 * Parse one line of a --targets file: "HOST[:PORT] [FQDN]", blanks and
 * '#' comments ignored.  Returns 1 with *t filled, 0 for a line with no
 * target, -1 with *err set (caller frees; it does not name the file).
 */
int probe_target_parse_line(const char *line, int default_port,
    struct probe_target *t, char **err);

/*
 * Append the targets of path to *list (a growing array of *n entries,
 * caller frees with probe_targets_free).  Lines end with LF, CRLF or a
 * lone CR; a UTF-8 byte-order mark at the start is skipped.  Returns 0,
 * or -1 with *err set (caller frees) to "PATH: cause", or for bad lines
 * to "PATH: N bad lines: ..." followed by one "\nPATH:LINE: cause" for
 * each of the first ten: one bad line refuses the whole file.
 */
int probe_targets_load(const char *path, int default_port,
    struct probe_target **list, size_t *n, char **err);

void probe_target_free(struct probe_target *);
void probe_targets_free(struct probe_target *, size_t n);

/*
 * Does target number idx (from 0) belong to shard i of n, 1 <= i <= n
 * as --shard I/N gives it?  Targets
 * are dealt round-robin, so every shard gets a fair share and the
 * slices together are the whole list, each target exactly once.  With
 * n <= 1 every target belongs.
 */
bool probe_shard_has(size_t idx, int i, int n);

/* ------------------------------------------------------------------ */
/* DNS (dns.c), with c-ares */

/* A name's addresses: A records first, then AAAA. */
struct dns_addrs {
	struct sockaddr_storage *addr;	/* port 0 */
	size_t n;
	int n_a, n_aaaa;		/* records of each type (-1: query failed;
				   AAAA: or not answered in time) */
};

/* One SRV record. */
struct dns_srv {
	char *target;		/* without the trailing dot */
	int port;
	int priority, weight;
};

/* Call once, before any thread starts.  Returns 0 or -1 with *err set. */
int dns_global_init(char **err);
void dns_global_cleanup(void);

/*
 * Look up name's A and AAAA records, at resolver ("IP", "IP:PORT",
 * "[IPV6]:PORT") or the system's servers when resolver is NULL, until
 * deadline_ms.  Returns 0 when the lookups were answered (possibly with
 * no record: see n_a, n_aaaa), -1 with *err set (caller frees) for a
 * failed lookup: no such name, timeout, server failure.  Free *out with
 * dns_addrs_free() either way.
 */
int dns_lookup_host(const char *name, const char *resolver,
    int64_t deadline_ms, struct dns_addrs *out, char **err);
void dns_addrs_free(struct dns_addrs *);

/*
 * Look up SRV records of name (e.g. "_sips._tcp.example.com").  Returns
 * the records in the order dns_srv_sort() gives (*out, caller frees
 * with dns_srv_free), or -1 with *err set.  No record at all is an
 * error; so is the single "." target that says the service is absent.
 */
int dns_lookup_srv(const char *name, const char *resolver,
    int64_t deadline_ms, struct dns_srv **out, size_t *n, char **err);
void dns_srv_free(struct dns_srv *, size_t n);

/*
 * Order SRV records as a client tries them: lowest priority first;
 * within a priority, heavier weight first (RFC 2782 picks at random in
 * proportion to weight; the probe visits every target anyway, so it
 * keeps a deterministic order), then by target and port.
 */
void dns_srv_sort(struct dns_srv *, size_t n);

/* ------------------------------------------------------------------ */
/* Sockets (net.c) */

/* Milliseconds on the monotonic clock. */
int64_t net_now_ms(void);

/* Parse an IPv4 or IPv6 literal (no brackets) with port into *ss. */
int net_parse_ip(const char *ip, int port, struct sockaddr_storage *ss,
    socklen_t *len);
socklen_t net_addr_len(const struct sockaddr_storage *);
void net_set_port(struct sockaddr_storage *, int port);

/* The IP of ss as text, no brackets (buf >= INET6_ADDRSTRLEN). */
const char *net_ntop(const struct sockaddr_storage *ss, char *buf,
    size_t len);

/*
 * Start a non-blocking TCP connect to ss.  Returns the socket, or -1
 * with *err set (caller frees) when it failed at once; then *local
 * says whether the cause is on our side (no descriptor, memory or local
 * port left: net_errno_is_local()) rather than the network's.  The
 * caller polls for POLLOUT and then calls net_connect_finish().
 */
int net_connect_start(const struct sockaddr_storage *ss, char **err,
    bool *local);

/* Does errno value e mean that this machine, not the peer, ran out? */
bool net_errno_is_local(int e);

/* 0 when the connect completed, else -1 with *err set ("connection refused"). */
int net_connect_finish(int fd, char **err);

/* ------------------------------------------------------------------ */
/* SIP (sip.c) */

/* Where a request comes from and goes to; all fields borrowed. */
struct sip_request_params {
	const char *target_host;	/* FQDN or IP of the server */
	int target_port;
	const char *local_ip;		/* our side of the connection */
	int local_port;
	const char *branch;		/* without the z9hG4bK prefix */
	const char *tag;
	const char *call_id;
};

/* Build an OPTIONS request (RFC 3261, transport TLS).  Caller frees. */
char *sip_build_options(const struct sip_request_params *);

/*
 * Fill branch/tag/call_id-sized buffers with fresh random hex (len - 1
 * characters).  Returns 0, or -1 if OpenSSL's RNG failed.
 */
int sip_random_token(char *buf, size_t len);

/*
 * Look for a final response in buf[0..len).  Returns 1 with *code,
 * *status_line and, unless server is NULL, *server (its Server header
 * field, or NULL; both escaped for printing, caller frees) when one is
 * complete, 0 when more bytes are needed, -1 with *err set (caller
 * frees) when the bytes are not a SIP response.  Provisional (1xx)
 * responses are skipped.
 */
int sip_parse_response(const char *buf, size_t len, int *code,
    char **status_line, char **server, char **err);

/*
 * Where the header block starting at p ends: just past the blank line
 * (CRLF CRLF, or LF LF), or NULL when buf[0..len) has no blank line yet.
 */
const char *sip_header_end(const char *p, size_t len);

/*
 * "not a SIP WHAT: \"first line\"": the first line of p (at most 60
 * bytes of it), escaped.  Caller frees.
 */
char *sip_not_sip(const char *what, const char *p, size_t left);

/*
 * The policy's suites as an OpenSSL cipher list ("A:B:C"), or "NONE"
 * when it allows none.  Caller frees.
 */
char *probe_cipher_list(const struct policy *pol);

/*
 * The reason OpenSSL left on this thread's queue ("no shared cipher"),
 * or def; the queue is emptied.  Caller frees.
 */
char *probe_ssl_reason(const char *def);

/* ------------------------------------------------------------------ */
/* Handshakes (probe_tls.c): many at once, one thread, one poll loop */

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

enum hs_outcome {
	HS_PENDING,
	HS_OK,		/* the handshake completed */
	HS_ALERT,	/* the server refused with a TLS alert */
	HS_TLS_ERROR,	/* the server spoke TLS; our side gave up */
	HS_NOT_TLS,	/* the server answered, but not with TLS */
	HS_RESET,
	HS_CLOSED,
	HS_TIMEOUT,
	HS_CONNECT,	/* the TCP connect failed: refused, unreachable */
	HS_SETUP,	/* our side could not set up TLS (settings) */
	HS_LOCAL,	/* our side ran out of something (descriptors, memory,
			   its share of connections before the deadline):
			   says nothing about the server */
	HS__MAX
};

enum hs_state { HS_ST_QUEUED, HS_ST_CONNECT, HS_ST_HANDSHAKE,
	HS_ST_SIP_WRITE, HS_ST_SIP_READ, HS_ST_DONE };

/* One TLS connection to make; the caller sets the first block. */
struct hs_job {
	const struct sockaddr_storage *addr;	/* borrowed; with port */
	const char *ciphers;	/* OpenSSL cipher list for TLS <= 1.2 */
	int min_version, max_version;	/* TLS1_2_VERSION...; 0: any */
	const char *sni;	/* server name to send, or NULL */
	const char *sip_host;	/* send OPTIONS for this host, or NULL */
	int sip_port;
	bool want_ocsp;		/* ask for a stapled OCSP response */

	enum hs_outcome outcome;
	char *reason;		/* why it failed; printable */
	double ms;		/* TLS handshake time (after the TCP connect) */
	const char *version;	/* negotiated protocol (static string) */
	const char *cipher;	/* negotiated suite (static string) */
	struct stack_st_X509 *chain;	/* peer chain, owned */
	unsigned char leaf_sha256[32];
	char *leaf_subject;	/* RFC 2253, printable */

	int sip_code;		/* -1 not asked, 0 no answer, else the status */
	char *sip_status_line;	/* printable */
	char *sip_error;
	char *sip_server;	/* its Server header field, printable, or NULL */
	bool cert_requested;	/* the server asked for a client certificate */
	int ocsp;		/* want_ocsp: 1 a response was stapled, 0 none */
	const char *ocsp_status;	/* its status ("successful"; static) */
	bool not_tried;		/* HS_LOCAL: the deadline came while it
				   waited for its turn, or before it had
				   the time the first ones had */

	/* private to probe_tls.c */
	enum hs_state state;
	int fd;
	SSL *ssl;
	short want;
	int64_t t_connected_us;
	bool waited;		/* started after others, at its turn */
	unsigned char first[24];	/* the first bytes the server sent */
	size_t nfirst;
	int alert;		/* fatal alert received, or -1 */
	struct buf sip_out, sip_in;
	size_t sip_sent;
};

/* Zero a job before the caller fills its first block. */
void hs_job_init(struct hs_job *);

/*
 * Initialise j to offer exactly one TLS version (TLS1_2_VERSION, ...)
 * with ciphers (borrowed) to addr (borrowed), sending sni unless NULL.
 */
void hs_job_offer(struct hs_job *j, const struct sockaddr_storage *addr,
    int version, const char *ciphers, const char *sni);

/*
 * Run every job until it ends or deadline_ms passes; timeout_sec is
 * only for the words of a timeout.  At most max_conns connections are
 * open at once (0: no bound), and at most per_addr to one address (0:
 * no bound): the others wait their turn, in order, and one that waited
 * and is unfinished at the deadline ends HS_LOCAL with not_tried set
 * (it was not given the whole time, so it says nothing of the server).
 * Always fills outcome (and reason unless HS_OK) of every job, and
 * closes every connection before it returns.  Free each job with
 * hs_job_free().
 */
void hs_run(SSL_CTX *ctx, struct hs_job *const *jobs, size_t n,
    int64_t deadline_ms, int timeout_sec, size_t max_conns, size_t per_addr);

/* Is an outcome about our side rather than the server (HS_SETUP, HS_LOCAL)? */
bool hs_local_failure(const struct hs_job *);
void hs_job_free(struct hs_job *);

/* Did the server speak TLS in this job (so the address can be judged)? */
bool hs_spoke_tls(const struct hs_job *);

/* ------------------------------------------------------------------ */
/* TLS (probe.c): probe one target's addresses */

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;

struct probe_params {
	const struct policy *policy;
	const char *servername;	/* SNI to send, or NULL for none */
	const char *sip_host;	/* Request-URI host with --sip, or NULL: no SIP */
	int port;
	int64_t deadline_ms;
	int timeout_sec;	/* for messages */
	int64_t dns_ms;		/* of the timeout, spent on DNS before: for
				   messages */
	size_t max_conns;	/* connections open at once; 0: no bound */
	size_t per_addr;	/* --connections: at once to one address;
				   0: no bound */
	/* --client-cert and --client-key (borrowed), presented when asked */
	X509 *client_cert;
	struct stack_st_X509 *client_chain;	/* may be NULL */
	EVP_PKEY *client_key;
	/* tls-inventory: after the handshakes that judge, those that list
	 * what else the server enables (inventory.c) */
	bool inventory;
};

/* Connections the probe of one address opens at most (probe.c). */
#define PROBE_CONNS_PER_ADDR (SUITE__MAX + 3)

/* What the probe of one address found. */
struct probe_result {
	struct probe_facts facts;
	struct stack_st_X509 *chain;	/* owned (sk_X509_pop_free), or NULL */
	char *error;			/* the address could not be evaluated */
};

/*
 * Probe every address at once, all bounded by p->deadline_ms.  res has
 * n entries; each is initialised here and freed with
 * probe_result_free().  The DNS fields of the facts are left for the
 * caller.  Returns 0, or -1 if the TLS library could not be set up.
 */
int probe_addresses(const struct probe_params *p,
    const struct sockaddr_storage *addrs, size_t n, struct probe_result *res,
    char **err);

void probe_result_free(struct probe_result *);

/* ------------------------------------------------------------------ */
/* The inventory for tls-inventory (inventory.c) */

/* Other TLS 1.2 suites listed at most, per address. */
#define PROBE_INV_MAX_SUITES 24

/*
 * For every address a whose res[a].error is NULL: which of TLS 1.0,
 * 1.1 and 1.3 the server completes a handshake with, and which TLS 1.2
 * suites beyond the policy's it accepts, into res[a].facts (inv_*).
 * Only handshakes, with sni (may be NULL), at most p->max_conns at
 * once, and nothing past deadline_ms; a version or suite not answered
 * by then is "not determined".
 */
void probe_inventory(SSL_CTX *ctx, const struct probe_params *p,
    const struct sockaddr_storage *addrs, size_t n, struct probe_result *res,
    const char *sni, int64_t deadline_ms);

#endif

/*
 * exporter.h - the exporter's parts: what /probe may probe (the allow
 * list and the target check), the work pool with its cache and sweep,
 * and the exporter's own counters.  op_exporter.c puts them behind
 * libmicrohttpd.
 */
#ifndef BWC_EXPORTER_H
#define BWC_EXPORTER_H

#include <pthread.h>
#include <sys/socket.h>

#include "core/common.h"
#include "probe/probe.h"
#include "report/report.h"
#include "app/run.h"

/* ------------------------------------------------------------------ */
/* What may be probed (exporter_allow.c) */

enum allow_kind { ALLOW_NAME, ALLOW_UNDER, ALLOW_NET, ALLOW__MAX };

/* One --allow pattern. */
struct allow_rule {
	enum allow_kind kind;
	char *name;		/* ALLOW_NAME: the name; ALLOW_UNDER: the zone */
	int family;		/* ALLOW_NET: AF_INET or AF_INET6 */
	unsigned char net[16];	/* ALLOW_NET: the network, host bits zero */
	int prefix;		/* ALLOW_NET: prefix length in bits */
	int port;		/* 0: any port */
};

struct allow_list {
	struct allow_rule *rules;
	size_t n;
};

/*
 * Add the patterns of spec, separated by commas or blanks, to *list:
 * NAME, *.ZONE (any name below ZONE), IP, IP/PREFIX, each optionally
 * followed by :PORT ([IPv6]:PORT, [IPv6/PREFIX]:PORT).  Returns 0, or -1
 * with *err set (caller frees) naming the bad pattern.
 */
int allow_list_parse(const char *spec, struct allow_list *list, char **err);

/* Does the list let t be probed?  An empty list permits nothing. */
bool allow_list_permits(const struct allow_list *, const struct probe_target *t);

void allow_list_free(struct allow_list *);

/* Longest target and fqdn a /probe request may give. */
#define EXPORTER_TARGET_MAX 300
#define EXPORTER_FQDN_MAX 253

/*
 * Check and parse the target and fqdn parameters of a /probe request:
 * HOST, HOST:PORT, IP, [IPv6]:PORT; never a URL, a path, user
 * information or blanks.  fqdn may be NULL or empty.  Returns 0 with *t
 * filled (probe_target_free() it), or -1 with *err set (caller frees),
 * a message fit to send back to the client.
 */
int exporter_target_parse(const char *target, const char *fqdn,
    int default_port, struct probe_target *t, char **err);

/* ------------------------------------------------------------------ */
/* The work pool, the cache and the sweep (exporter_work.c) */

/* Probes waiting for a worker beyond this are refused (503). */
#define EXPORTER_QUEUE_MAX 64
/* Targets remembered by the /probe cache. */
#define EXPORTER_CACHE_MAX 1024
/*
 * Different fqdn values probed on one HOST:PORT within --interval: each
 * is a probe of its own (the SNI differs), so a client varying fqdn
 * could otherwise make the exporter probe one server without end.
 */
#define EXPORTER_NAMES_PER_TARGET 4

/* Why a probe did not come out compliant, for the failure counter. */
enum probe_cause {
	CAUSE_ERROR,		/* could not be evaluated: DNS, connect, timeout */
	CAUSE_HANDSHAKE,	/* an address completed no TLS 1.2 handshake */
	CAUSE_NONCOMPLIANT,	/* an error-severity rule failed */
	CAUSE__MAX
};

/* Why a request was refused before any probe, for its counter. */
enum reject_reason {
	REJECT_BAD_TARGET,	/* not HOST[:PORT], or a bad fqdn */
	REJECT_NOT_ALLOWED,	/* outside --allow / --targets */
	REJECT_RATE,		/* over the request rate */
	REJECT_BUSY,		/* the probe queue is full, or stopping */
	REJECT_METHOD,		/* not GET or HEAD, or a request body */
	REJECT_NOT_FOUND,	/* no such path */
	REJECT_NAMES,		/* too many fqdn values for one target */
	REJECT__MAX
};

/*
 * One /probe request waiting for its probe.  The pool fills status,
 * body and len, then calls done(req) from a worker thread, outside
 * every lock of its own; the request must stay alive until then.
 */
struct exporter_request {
	int status;			/* 200, or 503 when refused later */
	char *body;			/* owned by the request */
	size_t len;
	void (*done)(struct exporter_request *);
	void *arg;			/* the caller's (the connection) */
	struct exporter_request *next;	/* private: waiting on one entry */
};

struct cache_entry;

struct exporter {
	const struct run *run;		/* settings, policy and trust; borrowed */
	int jobs;
	int interval_sec;
	bool now_fixed;			/* --at: judge every probe at run->now */
	struct allow_list allow;	/* --allow */
	bool allow_given;		/* --allow or --targets: only those */
	struct probe_target *targets;	/* --targets, swept in the background */
	size_t n_targets;

	pthread_mutex_t mu;		/* everything below */
	pthread_cond_t work_cv;		/* workers wait here */
	pthread_t *workers;
	size_t n_workers;
	bool stopping;

	struct cache_entry **cache;
	size_t n_cache;
	struct cache_entry *q_head, *q_tail;
	size_t q_len;
	int running;			/* probes being run now */

	/* The sweep in progress and the last one finished. */
	bool sweeping;
	size_t sweep_next, sweep_outstanding;
	struct run sweep_run;		/* the instant the sweep judges at */
	struct report *sweep_rep;
	FILE *sweep_out;
	char *sweep_buf;
	size_t sweep_buflen;
	int64_t sweep_start_ms;
	char *sweep_text;		/* the latest finished sweep, or NULL */
	size_t sweep_len;
	pthread_mutex_t report_mu;	/* the sweep's report */

	/* Counters for /metrics. */
	uint64_t probes_total;
	uint64_t failures[CAUSE__MAX];
	uint64_t cache_hits;
	uint64_t rejected[REJECT__MAX];
	uint64_t requests_total;
	uint64_t sweeps_total;
	double last_sweep_seconds;
	time_t last_sweep_end;
	time_t started;
};

/*
 * Start the pool of ex->jobs workers; ex->run and the settings above
 * must be filled.  Returns 0, or -1 with *err set.
 */
int exporter_start(struct exporter *, char **err);

/*
 * Serve a /probe of t (taken over: freed by the pool).  Returns 1 when
 * req was answered at once from the cache, 0 when it waits for a probe
 * (req->done will be called), -1 when it is refused (queue full or
 * stopping), -2 when HOST:PORT was probed for EXPORTER_NAMES_PER_TARGET
 * other fqdn values within --interval; nothing will be called then.
 */
int exporter_probe(struct exporter *, struct probe_target *t,
    struct exporter_request *req);

/* Begin a sweep of ex->targets unless one is running. */
void exporter_sweep(struct exporter *);

/*
 * Stop: refuse new work, answer every waiting request with 503, let
 * running probes end (each is bounded by --timeout) and join the
 * workers.  Then free everything the pool owns.
 */
void exporter_stop(struct exporter *);

/* Count a refused request. */
void exporter_count_reject(struct exporter *, enum reject_reason);

/* The exporter's own metrics, then the latest sweep, as Prometheus text. */
char *exporter_metrics(struct exporter *, size_t *len);

#endif

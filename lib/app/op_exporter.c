/*
 * op_exporter.c - the exporter operation: an HTTP server (libmicrohttpd)
 * that Prometheus scrapes.
 *
 *   GET /probe?target=HOST[:PORT]&fqdn=NAME   one target, probed as the
 *       probe command does, in the Prometheus text format (blackbox
 *       exporter's multi-target pattern)
 *   GET /metrics   the exporter's own metrics and the latest sweep of
 *       --targets
 *
 * libmicrohttpd's one polling thread never waits for a probe: a /probe
 * request is suspended, handed to the pool (exporter_work.c), and
 * resumed by the worker that answers it.  What a client can make the
 * server do is bounded: the request's size (the connection's memory),
 * its idle time, the number of connections, the request rate (a token
 * bucket), the probes waiting and running (--jobs), and what may be
 * probed (--allow, --targets).
 *
 * SIGTERM or SIGINT stops it: no new connection is accepted, waiting
 * requests get 503, running probes end within --timeout, exit 0.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <microhttpd.h>

#include "app/exporter.h"
#include "core/fqdn.h"
#include "app/op.h"

/* Requests per second over all clients, and the burst allowed. */
#define RATE_PER_SEC 100.0
#define RATE_BURST 200.0
/* A request line and headers larger than this are refused by the library. */
#define CONN_MEMORY 16384
/* An idle connection is closed after this many seconds. */
#define CONN_IDLE_SEC 15
/* Descriptors kept for everything but client connections, and per probe. */
#define FDS_RESERVED 64
#define FDS_PER_PROBE 8

struct server {
	struct exporter ex;
	struct MHD_Daemon *d;
	pthread_mutex_t mu;		/* the bucket and the counts */
	double tokens;
	int64_t refilled_ms;
	int suspended;			/* connections waiting for a probe */
	int active;			/* requests not yet answered in full */
};

/* One request's state across the handler's calls. */
struct conn_ctx {
	struct exporter_request req;
	struct MHD_Connection *conn;
	bool waiting;			/* suspended, waiting for req */
	struct server *sv;
};

static const char index_text[] =
"bwcertcheck exporter\n"
"\n"
"/probe?target=HOST[:PORT]&fqdn=NAME  probe one target and judge it by the\n"
"                                     carrier's rules (Prometheus text format)\n"
"/metrics                             the exporter's own metrics and the\n"
"                                     latest sweep of --targets\n"
"\n"
"see bwcertcheck(1)\n";

/* Take a token from the bucket; false when the rate is exceeded. */
static bool
rate_take(struct server *sv)
{
	int64_t now = net_now_ms();
	bool ok;

	pthread_mutex_lock(&sv->mu);
	sv->tokens += (double)(now - sv->refilled_ms) * RATE_PER_SEC / 1000.0;
	if (sv->tokens > RATE_BURST)
		sv->tokens = RATE_BURST;
	sv->refilled_ms = now;
	ok = sv->tokens >= 1.0;
	if (ok)
		sv->tokens -= 1.0;
	pthread_mutex_unlock(&sv->mu);
	return ok;
}

/* Queue a response whose body (malloc'd, may be NULL) is taken over. */
static enum MHD_Result
answer(struct MHD_Connection *conn, unsigned status, char *body, size_t len,
    const char *retry_after)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	if (body == NULL) {
		body = xstrdup("");
		len = 0;
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    status == MHD_HTTP_OK && len > 0 && body[0] == '#' ?
	    "text/plain; version=0.0.4; charset=utf-8" :
	    "text/plain; charset=utf-8");
	if (retry_after != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER,
		    retry_after);
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* An error answer: one line saying why. */
static enum MHD_Result
refuse(struct server *sv, struct MHD_Connection *conn, unsigned status,
    enum reject_reason why, const char *msg)
{
	exporter_count_reject(&sv->ex, why);
	return answer(conn, status, xasprintf("%s\n", msg), strlen(msg) + 1,
	    status == MHD_HTTP_TOO_MANY_REQUESTS ? "1" :
	    status == MHD_HTTP_SERVICE_UNAVAILABLE ? "5" : NULL);
}

/* A worker has answered a suspended request: let the library go on. */
static void
request_done(struct exporter_request *req)
{
	struct conn_ctx *cc = req->arg;

	MHD_resume_connection(cc->conn);
}

/* Is t one of the --targets (host and port), or allowed by --allow? */
static bool
permitted(const struct exporter *ex, const struct probe_target *t)
{
	size_t i;

	if (!ex->allow_given)
		return true;
	for (i = 0; i < ex->n_targets; i++)
		if (ex->targets[i].port == t->port &&
		    strcmp(ex->targets[i].host, t->host) == 0)
			return true;
	return allow_list_permits(&ex->allow, t);
}

/*
 * The fqdn a /probe without one judges: its --targets line's, else
 * --fqdn, else (left to the probe) the host when it is a name.
 */
static void
default_fqdn(const struct exporter *ex, struct probe_target *t)
{
	size_t i;

	if (t->fqdn != NULL)
		return;
	for (i = 0; i < ex->n_targets; i++)
		if (ex->targets[i].port == t->port &&
		    ex->targets[i].fqdn != NULL &&
		    strcmp(ex->targets[i].host, t->host) == 0) {
			t->fqdn = xstrdup(ex->targets[i].fqdn);
			return;
		}
	if (ex->run->fqdn != NULL)
		t->fqdn = xstrdup(ex->run->fqdn);
}

static enum MHD_Result
serve_probe(struct server *sv, struct conn_ctx *cc)
{
	struct MHD_Connection *conn = cc->conn;
	struct probe_target t;
	const char *target, *fqdn;
	char *err = NULL;
	enum MHD_Result rc;
	int r;

	target = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "target");
	fqdn = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "fqdn");
	if (exporter_target_parse(target, fqdn, sv->ex.run->policy.port, &t,
	    &err) == -1) {
		rc = refuse(sv, conn, MHD_HTTP_BAD_REQUEST, REJECT_BAD_TARGET,
		    err);
		free(err);
		return rc;
	}
	if (!permitted(&sv->ex, &t)) {
		probe_target_free(&t);
		return refuse(sv, conn, MHD_HTTP_FORBIDDEN, REJECT_NOT_ALLOWED,
		    "target not permitted by --allow or --targets");
	}
	default_fqdn(&sv->ex, &t);

	/* Suspend first: a worker may answer before exporter_probe returns. */
	cc->req.done = request_done;
	cc->req.arg = cc;
	cc->waiting = true;
	pthread_mutex_lock(&sv->mu);
	sv->suspended++;
	pthread_mutex_unlock(&sv->mu);
	MHD_suspend_connection(conn);
	r = exporter_probe(&sv->ex, &t, &cc->req);
	if (r == -1) {
		exporter_count_reject(&sv->ex, REJECT_BUSY);
		cc->req.status = MHD_HTTP_SERVICE_UNAVAILABLE;
		cc->req.body = xstrdup("too many probes waiting, or stopping; "
		    "try again later\n");
	} else if (r == -2) {
		exporter_count_reject(&sv->ex, REJECT_NAMES);
		cc->req.status = MHD_HTTP_TOO_MANY_REQUESTS;
		cc->req.body = xasprintf("this target was probed for %d other "
		    "fqdn values within --interval; try again later\n",
		    EXPORTER_NAMES_PER_TARGET);
	}
	if (r < 0)
		cc->req.len = strlen(cc->req.body);
	if (r != 0)
		MHD_resume_connection(conn);
	return MHD_YES;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct server *sv = cls;
	struct conn_ctx *cc = *con_cls;
	char *body;
	size_t len;

	(void)version;
	(void)upload_data;
	if (cc == NULL) {
		cc = xcalloc(1, sizeof(*cc));
		cc->conn = conn;
		cc->sv = sv;
		*con_cls = cc;
		pthread_mutex_lock(&sv->mu);
		sv->active++;
		pthread_mutex_unlock(&sv->mu);
		pthread_mutex_lock(&sv->ex.mu);
		sv->ex.requests_total++;
		pthread_mutex_unlock(&sv->ex.mu);
	} else if (cc->waiting) {
		/* Resumed: the answer is in. */
		cc->waiting = false;
		pthread_mutex_lock(&sv->mu);
		sv->suspended--;
		pthread_mutex_unlock(&sv->mu);
		body = cc->req.body;
		cc->req.body = NULL;
		return answer(conn, (unsigned)cc->req.status, body, cc->req.len,
		    cc->req.status == MHD_HTTP_SERVICE_UNAVAILABLE ? "5" :
		    cc->req.status == MHD_HTTP_TOO_MANY_REQUESTS ? "60" : NULL);
	}
	if ((strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) ||
	    *upload_data_size != 0) {
		*upload_data_size = 0;
		return refuse(sv, conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    REJECT_METHOD, "only GET and HEAD, without a body");
	}
	if (!rate_take(sv))
		return refuse(sv, conn, MHD_HTTP_TOO_MANY_REQUESTS, REJECT_RATE,
		    "too many requests; try again in a second");
	if (strcmp(url, "/probe") == 0)
		return serve_probe(sv, cc);
	if (strcmp(url, "/metrics") == 0) {
		body = exporter_metrics(&sv->ex, &len);
		return answer(conn, MHD_HTTP_OK, body, len, NULL);
	}
	if (strcmp(url, "/") == 0)
		return answer(conn, MHD_HTTP_OK, xstrdup(index_text),
		    strlen(index_text), NULL);
	return refuse(sv, conn, MHD_HTTP_NOT_FOUND, REJECT_NOT_FOUND,
	    "no such page: /probe and /metrics are served");
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct server *sv = cls;
	struct conn_ctx *cc = *con_cls;

	(void)conn;
	(void)why;
	if (cc == NULL)
		return;
	pthread_mutex_lock(&sv->mu);
	sv->active--;
	pthread_mutex_unlock(&sv->mu);
	free(cc->req.body);
	free(cc);
	*con_cls = NULL;
}

/*
 * --listen ADDR:PORT ([IPv6]:PORT) into ss; port 0 asks the system for a
 * free one.  Returns 0 or -1 with *err set.
 */
static int
parse_listen(const char *spec, struct sockaddr_storage *ss, char **err)
{
	struct probe_target t;
	size_t n = strlen(spec);
	bool any_port = n > 2 && strcmp(spec + n - 2, ":0") == 0 &&
	    (spec[0] == '[' || strchr(spec, ':') == spec + n - 2);
	/* The target parser wants a port from 1: give it one, then 0. */
	char *copy = any_port ? xasprintf("%.*s:1", (int)(n - 2), spec) :
	    xstrdup(spec), *cause = NULL;
	int rc = 0;

	if (probe_target_parse(copy, 9219, &t, &cause) == -1 ||
	    !t.host_is_ip || net_parse_ip(t.host, any_port ? 0 : t.port, ss,
	    NULL) == -1) {
		*err = xasprintf("--listen '%s': expected ADDR:PORT with ADDR an "
		    "IP address (127.0.0.1:9219, [::1]:9219)%s%s",
		    spec, cause != NULL ? ": " : "", cause != NULL ? cause : "");
		rc = -1;
	}
	probe_target_free(&t);
	free(cause);
	free(copy);
	return rc;
}

static bool
is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr)
		    >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* Raise the descriptor limit to its hard limit; return the connections to allow. */
static unsigned
connection_limit(int jobs)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 64;
	if (rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 65536) {
		rl.rlim_cur = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	n = rl.rlim_cur;
	if (n <= FDS_RESERVED + (rlim_t)jobs * FDS_PER_PROBE + 16)
		return 16;
	n -= FDS_RESERVED + (rlim_t)jobs * FDS_PER_PROBE;
	return n > 4096 ? 4096 : (unsigned)n;
}

/* Wait for SIGTERM/SIGINT, sweeping every interval; returns on a signal. */
static void
serve_until_signal(struct server *sv, const sigset_t *stop)
{
	struct timespec ts;
	int64_t next = net_now_ms(), now;
	int sig;

	for (;;) {
		now = net_now_ms();
		if (sv->ex.n_targets > 0 && now >= next) {
			exporter_sweep(&sv->ex);
			next = now + (int64_t)sv->ex.interval_sec * 1000;
		}
		if (sv->ex.n_targets > 0) {
			ts.tv_sec = (time_t)((next - now) / 1000);
			ts.tv_nsec = (long)((next - now) % 1000) * 1000000L;
		} else {
			ts.tv_sec = 3600;
			ts.tv_nsec = 0;
		}
		sig = sigtimedwait(stop, NULL, &ts);
		if (sig > 0)
			return;
	}
}

/*
 * After the pool answered everything: wait (at most 5 s) until the
 * library has sent every answer, so stopping it cuts off none, and no
 * connection is left suspended, which the library does not allow.
 */
static void
drain_requests(struct server *sv)
{
	int left;

	for (int i = 0; i < 500; i++) {
		pthread_mutex_lock(&sv->mu);
		left = sv->active + sv->suspended;
		pthread_mutex_unlock(&sv->mu);
		if (left == 0)
			return;
		usleep(10000);
	}
}

/* Load --targets and --allow into the exporter.  Returns 0 or -1 (said). */
static int
setup_lists(const struct run *run, struct exporter *ex)
{
	char *err = NULL;

	if (run->allow != NULL) {
		if (allow_list_parse(run->allow, &ex->allow, &err) == -1) {
			diag_error("%s", err);
			free(err);
			return -1;
		}
		ex->allow_given = true;
	}
	if (run->targets_path != NULL) {
		if (probe_targets_load(run->targets_path, run->policy.port,
		    &ex->targets, &ex->n_targets, &err) == -1) {
			char *line, *rest = err;

			/* The summary, then each bad line: a line each. */
			while ((line = strsep(&rest, "\n")) != NULL)
				diag_error("%s", line);
			free(err);
			return -1;
		}
		ex->allow_given = true;
		if (ex->n_targets == 0)
			diag_warn(run, "%s: no target: nothing to sweep, and /probe "
			    "probes only what --allow permits", run->targets_path);
	}
	return 0;
}

enum result
op_exporter(const struct run *run)
{
	struct server *sv = xcalloc(1, sizeof(*sv));
	struct sockaddr_storage ss;
	struct sigaction sa;
	const union MHD_DaemonInfo *info;
	sigset_t stop, old;
	enum result res = RESULT_ERROR;
	char *err = NULL;
	const char *listen = run->listen_addr != NULL ? run->listen_addr :
	    "127.0.0.1:9219";
	bool started = false;
	char ip[INET6_ADDRSTRLEN];
	unsigned flags, limit;

	pthread_sigmask(SIG_BLOCK, NULL, &old);
	sv->ex.run = run;
	sv->ex.jobs = run->jobs > 0 ? run->jobs : 1;
	sv->ex.interval_sec = run->interval_sec > 0 ? run->interval_sec : 300;
	sv->ex.now_fixed = run->now_fixed;
	pthread_mutex_init(&sv->mu, NULL);
	sv->tokens = RATE_BURST;
	sv->refilled_ms = net_now_ms();

	if (parse_listen(listen, &ss, &err) == -1) {
		diag_error("%s", err);
		free(err);
		goto out;
	}
	if (setup_lists(run, &sv->ex) == -1)
		goto out;
	if (!is_loopback(&ss) && !sv->ex.allow_given)
		diag_warn(run, "exporter on %s without --allow or --targets: "
		    "anyone who reaches it can have any host probed", listen);

	/* Threads inherit the mask: only this thread takes the signals. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (dns_global_init(&err) == -1) {
		diag_error("%s", err);
		free(err);
		goto out;
	}
	if (exporter_start(&sv->ex, &err) == -1) {
		diag_error("%s", err);
		free(err);
		dns_global_cleanup();
		goto out;
	}
	started = true;
	limit = connection_limit(sv->ex.jobs);
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
	    MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	sv->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, sv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_IDLE_SEC,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, sv,
	    MHD_OPTION_END);
	if (sv->d == NULL) {
		diag_error("--listen %s: cannot listen there (%s)", listen,
		    errno != 0 ? strerror(errno) : "address in use?");
		goto out;
	}
	info = MHD_get_daemon_info(sv->d, MHD_DAEMON_INFO_BIND_PORT);
	fprintf(stderr, "bwcertcheck: exporter listening on %s%s%s:%u "
	    "(/probe, /metrics)\n", ss.ss_family == AF_INET6 ? "[" : "",
	    net_ntop(&ss, ip, sizeof(ip)), ss.ss_family == AF_INET6 ? "]" : "",
	    info != NULL ? info->port : 0);
	fflush(stderr);

	serve_until_signal(sv, &stop);
	res = RESULT_PASS;
out:
	if (sv->d != NULL) {
		int fd = MHD_quiesce_daemon(sv->d);

		if (fd >= 0)
			close(fd);
	}
	if (started) {
		exporter_stop(&sv->ex);
		dns_global_cleanup();
	}
	if (sv->d != NULL) {
		drain_requests(sv);
		MHD_stop_daemon(sv->d);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	allow_list_free(&sv->ex.allow);
	probe_targets_free(sv->ex.targets, sv->ex.n_targets);
	pthread_mutex_destroy(&sv->mu);
	free(sv);
	return res;
}

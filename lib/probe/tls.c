/*
 * probe_tls.c - many TLS handshakes at once, in one thread, with one
 * poll loop and one deadline.
 *
 * Each job is a small state machine: non-blocking TCP connect, then
 * SSL_connect() until it completes or fails, then (with --sip) an
 * OPTIONS request and its answer.  Every way a server can go wrong -
 * silent, refusing, resetting, speaking plaintext, hanging up halfway -
 * ends the job with an outcome and a one-line reason; none blocks past
 * the deadline.
 *
 * OpenSSL's error queue is per thread and all jobs share this thread,
 * so each SSL call is preceded by ERR_clear_error() and its error is
 * read straight after, before another job runs.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/esc.h"
#include "core/ossl_err.h"
#include "probe/probe.h"

/* Bytes of SIP answer (provisional responses included) worth reading. */
#define SIP_MAX_ANSWER (64 * 1024)

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool
hs_local_failure(const struct hs_job *j)
{
	return j->outcome == HS_SETUP || j->outcome == HS_LOCAL;
}

bool
hs_spoke_tls(const struct hs_job *j)
{
	return j->outcome == HS_OK || j->outcome == HS_ALERT ||
	    j->outcome == HS_TLS_ERROR;
}

void
hs_job_init(struct hs_job *j)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
	j->alert = -1;
	j->sip_code = -1;
	j->ocsp = -1;
}

void
hs_job_offer(struct hs_job *j, const struct sockaddr_storage *addr,
    int version, const char *ciphers, const char *sni)
{
	hs_job_init(j);
	j->addr = addr;
	j->ciphers = ciphers;
	j->min_version = version;
	j->max_version = version;
	j->sni = sni;
}

void
hs_job_free(struct hs_job *j)
{
	if (j == NULL)
		return;
	SSL_free(j->ssl);
	j->ssl = NULL;
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
	sk_X509_pop_free(j->chain, X509_free);
	j->chain = NULL;
	free(j->reason);
	free(j->leaf_subject);
	free(j->sip_status_line);
	free(j->sip_error);
	free(j->sip_server);
	buf_free(&j->sip_out);
	buf_free(&j->sip_in);
	j->reason = j->leaf_subject = j->sip_status_line = j->sip_error = NULL;
	j->sip_server = NULL;
}

/* Keep the first bytes the server sends: they tell TLS from plaintext. */
static long
capture_cb(BIO *b, int oper, const char *argp, size_t len, int argi,
    long argl, int ret, size_t *processed)
{
	struct hs_job *j = (struct hs_job *)BIO_get_callback_arg(b);
	size_t n;

	(void)len;
	(void)argi;
	(void)argl;
	if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && j != NULL &&
	    processed != NULL && j->nfirst < sizeof(j->first)) {
		n = *processed;
		if (n > sizeof(j->first) - j->nfirst)
			n = sizeof(j->first) - j->nfirst;
		memcpy(j->first + j->nfirst, argp, n);
		j->nfirst += n;
	}
	return ret;
}

/* Remember a fatal alert from the server, the clearest reason there is. */
static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct hs_job *j = SSL_get_app_data(ssl);

	/* SSL_CB_READ_ALERT shares the SSL_CB_ALERT bit with WRITE_ALERT. */
	if ((where & SSL_CB_READ_ALERT) == SSL_CB_READ_ALERT && j != NULL &&
	    (ret >> 8) == SSL3_AL_FATAL && j->alert == -1)
		j->alert = ret & 0xff;
}

/*
 * The server sent a CertificateRequest (mutual TLS).  Called whether or
 * not we have a certificate to present; 1 goes on with the handshake.
 */
static int
cert_cb(SSL *ssl, void *arg)
{
	struct hs_job *j = arg;

	(void)ssl;
	j->cert_requested = true;
	return 1;
}

/* A TLS record starts with a content type 20..24 and major version 3. */
static bool
looks_like_tls(const struct hs_job *j)
{
	if (j->nfirst == 0)
		return false;
	if (j->first[0] < 20 || j->first[0] > 24)
		return false;
	return j->nfirst < 2 || j->first[1] == 3;
}

/*
 * The job is over: say goodbye politely where a session is up (never
 * waiting for the answer) and hang up at once, so a server that serves
 * one connection at a time moves on to the next job.
 */
static void
hang_up(struct hs_job *j)
{
	ERR_clear_error();
	if (j->ssl != NULL && j->outcome == HS_OK)
		(void)SSL_shutdown(j->ssl);
	SSL_free(j->ssl);
	j->ssl = NULL;
	ERR_clear_error();
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
	j->state = HS_ST_DONE;
	j->want = 0;
}

static void
finish(struct hs_job *j, enum hs_outcome o, char *reason)
{
	j->outcome = o;
	free(j->reason);
	j->reason = reason;
	if (j->t_connected_us != 0)
		j->ms = (double)(now_us() - j->t_connected_us) / 1000.0;
	hang_up(j);
}

/* The end of the SIP exchange; the handshake stays HS_OK. */
static void
sip_finish(struct hs_job *j, int code, char *status_line, char *error)
{
	j->sip_code = code;
	j->sip_status_line = status_line;
	j->sip_error = error;
	hang_up(j);
}

char *
probe_ssl_reason(const char *def)
{
	char *r = xstrdup(ossl_err_string(ERR_peek_last_error(), def));

	ERR_clear_error();
	return r;
}

/* Classify a failed SSL_connect(); e from SSL_get_error(). */
static void
handshake_failed(struct hs_job *j, int e)
{
	int saved = errno;
	const char *when = j->nfirst == 0 ?
	    "before answering the TLS ClientHello" : "during the TLS handshake";
	unsigned long code = ERR_peek_last_error();
	ssize_t r;
	size_t n;
	char *esc;

	if (ERR_GET_REASON(code) == ERR_R_MALLOC_FAILURE ||
	    (e == SSL_ERROR_SYSCALL && net_errno_is_local(saved))) {
		ERR_clear_error();
		finish(j, HS_LOCAL, xasprintf("%s %s", e == SSL_ERROR_SYSCALL ?
		    strerror(saved) : "out of memory", when));
	} else if (j->alert != -1) {
		ERR_clear_error();
		finish(j, HS_ALERT, xasprintf("alert %s",
		    SSL_alert_desc_string_long(j->alert)));
	} else if (j->nfirst > 0 && !looks_like_tls(j)) {
		ERR_clear_error();
		/* OpenSSL read only a record header; show a little more. */
		r = recv(j->fd, j->first + j->nfirst,
		    sizeof(j->first) - j->nfirst, MSG_DONTWAIT);
		if (r > 0)
			j->nfirst += (size_t)r;
		for (n = 0; n < j->nfirst && j->first[n] != '\r' &&
		    j->first[n] != '\n'; n++)
			;
		esc = esc_printable(j->first, n);
		finish(j, HS_NOT_TLS, xasprintf("not a TLS server: it answered "
		    "the ClientHello with \"%s\"", esc));
		free(esc);
	} else if (e == SSL_ERROR_SYSCALL && saved == ECONNRESET) {
		ERR_clear_error();
		finish(j, HS_RESET, xasprintf("connection reset by the server "
		    "%s", when));
	} else if ((e == SSL_ERROR_SYSCALL && (code == 0 || saved == 0 ||
	    saved == EPIPE)) || e == SSL_ERROR_ZERO_RETURN ||
	    ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		ERR_clear_error();
		finish(j, HS_CLOSED, xasprintf("the server closed the "
		    "connection %s", when));
	} else if (e == SSL_ERROR_SYSCALL) {
		ERR_clear_error();
		finish(j, j->nfirst > 0 ? HS_TLS_ERROR : HS_RESET,
		    xasprintf("%s %s", strerror(saved), when));
	} else
		finish(j, j->nfirst > 0 ? HS_TLS_ERROR : HS_CLOSED,
		    probe_ssl_reason("TLS handshake failed"));
}

/* Did the server staple an OCSP response (RFC 6066 status_request)? */
static void
ocsp_stapled(struct hs_job *j)
{
	const unsigned char *resp = NULL, *p;
	OCSP_RESPONSE *r;
	long len;

	len = SSL_get_tlsext_status_ocsp_resp(j->ssl, &resp);
	j->ocsp = len > 0 && resp != NULL;
	if (!j->ocsp)
		return;
	p = resp;
	ERR_clear_error();
	if ((r = d2i_OCSP_RESPONSE(NULL, &p, len)) == NULL)
		j->ocsp_status = "not a DER OCSP response";
	else
		j->ocsp_status = OCSP_response_status_str(
		    OCSP_response_status(r));
	OCSP_RESPONSE_free(r);
	ERR_clear_error();
}

/* The handshake completed: keep what the facts need. */
static void
handshake_done(struct hs_job *j)
{
	X509 *leaf = SSL_get0_peer_certificate(j->ssl);
	STACK_OF(X509) *peer = SSL_get_peer_cert_chain(j->ssl);
	unsigned int mdlen = 0;
	BIO *mem = NULL;
	char *p;
	long n;

	j->ms = (double)(now_us() - j->t_connected_us) / 1000.0;
	j->version = SSL_get_version(j->ssl);
	j->cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(j->ssl));
	j->outcome = HS_OK;
	if (peer != NULL && (j->chain = X509_chain_up_ref(peer)) == NULL)
		fatal_oom();
	if (j->want_ocsp)
		ocsp_stapled(j);
	if (leaf == NULL)
		return;
	ERR_clear_error();
	if (X509_digest(leaf, EVP_sha256(), j->leaf_sha256, &mdlen) != 1)
		memset(j->leaf_sha256, 0, sizeof(j->leaf_sha256));
	if ((mem = BIO_new(BIO_s_mem())) == NULL)
		fatal_oom();
	if (X509_NAME_print_ex(mem, X509_get_subject_name(leaf), 0,
	    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_get_mem_data(mem, &p)) >= 0)
		j->leaf_subject = esc_printable((unsigned char *)p, (size_t)n);
	BIO_free(mem);
	ERR_clear_error();
}

/* Queue the OPTIONS request for the connection's two ends. */
static void
sip_start(struct hs_job *j)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	char ip[INET6_ADDRSTRLEN], branch[17], tag[11], callid[25], *req;
	struct sip_request_params p = { 0 };

	if (getsockname(j->fd, (struct sockaddr *)&local, &len) == -1 ||
	    sip_random_token(branch, sizeof(branch)) == -1 ||
	    sip_random_token(tag, sizeof(tag)) == -1 ||
	    sip_random_token(callid, sizeof(callid)) == -1) {
		sip_finish(j, 0, NULL, xstrdup("could not build the "
		    "OPTIONS request"));
		return;
	}
	p.target_host = j->sip_host;
	p.target_port = j->sip_port;
	p.local_ip = net_ntop(&local, ip, sizeof(ip));
	p.local_port = local.ss_family == AF_INET6 ?
	    ntohs(((struct sockaddr_in6 *)&local)->sin6_port) :
	    ntohs(((struct sockaddr_in *)&local)->sin_port);
	p.branch = branch;
	p.tag = tag;
	p.call_id = callid;
	req = sip_build_options(&p);
	buf_adds(&j->sip_out, req);
	free(req);
	j->state = HS_ST_SIP_WRITE;
	j->want = POLLOUT;
}

static void
step_sip_write(struct hs_job *j)
{
	size_t written = 0;
	int r, e;

	ERR_clear_error();
	r = SSL_write_ex(j->ssl, j->sip_out.ptr + j->sip_sent,
	    j->sip_out.len - j->sip_sent, &written);
	if (r == 1) {
		j->sip_sent += written;
		if (j->sip_sent == j->sip_out.len) {
			j->state = HS_ST_SIP_READ;
			j->want = POLLIN;
		}
		return;
	}
	e = SSL_get_error(j->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		j->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return;
	}
	sip_finish(j, 0, NULL, xasprintf("could not send OPTIONS: %s",
	    e == SSL_ERROR_SSL ? ossl_err_string(ERR_peek_last_error(),
	    "TLS error") : "connection closed"));
	ERR_clear_error();
}

static void
step_sip_read(struct hs_job *j)
{
	char tmp[4096], *line = NULL, *err = NULL;
	size_t got;
	int r, e, code = 0;

	for (;;) {
		ERR_clear_error();
		r = SSL_read_ex(j->ssl, tmp, sizeof(tmp), &got);
		if (r != 1)
			break;
		buf_add(&j->sip_in, tmp, got);
		if (j->sip_in.len > SIP_MAX_ANSWER) {
			sip_finish(j, 0, NULL, xstrdup("no final SIP response "
			    "in the first 64 KiB"));
			return;
		}
		r = sip_parse_response(j->sip_in.ptr, j->sip_in.len, &code,
		    &line, &j->sip_server, &err);
		if (r == 1) {
			sip_finish(j, code, line, NULL);
			return;
		}
		if (r == -1) {
			sip_finish(j, 0, NULL, err);
			return;
		}
	}
	e = SSL_get_error(j->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		j->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return;
	}
	ERR_clear_error();
	sip_finish(j, 0, NULL, xstrdup(j->sip_in.len == 0 ?
	    "the server closed the connection without answering OPTIONS" :
	    "the server closed the connection in the middle of its answer"));
}

static void
step_handshake(struct hs_job *j)
{
	int r, e;

	ERR_clear_error();
	errno = 0;
	r = SSL_connect(j->ssl);
	if (r == 1) {
		handshake_done(j);
		if (j->sip_host != NULL)
			sip_start(j);
		else
			hang_up(j);
		return;
	}
	e = SSL_get_error(j->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		j->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return;
	}
	handshake_failed(j, e);
}

/* The TCP connect completed (or failed): set up TLS on it. */
static void
step_connect(struct hs_job *j, SSL_CTX *ctx)
{
	char *err = NULL;
	BIO *bio = NULL;

	if (net_connect_finish(j->fd, &err) == -1) {
		finish(j, HS_CONNECT, err);
		return;
	}
	j->t_connected_us = now_us();
	ERR_clear_error();
	if ((j->ssl = SSL_new(ctx)) == NULL ||
	    (bio = BIO_new_socket(j->fd, BIO_NOCLOSE)) == NULL) {
		finish(j, HS_LOCAL, probe_ssl_reason("SSL_new failed"));
		return;
	}
	SSL_set_bio(j->ssl, bio, bio);	/* the SSL owns bio now */
	BIO_set_callback_ex(bio, capture_cb);
	BIO_set_callback_arg(bio, (char *)j);
	SSL_set_app_data(j->ssl, j);
	SSL_set_info_callback(j->ssl, info_cb);
	SSL_set_cert_cb(j->ssl, cert_cb, j);
	if (SSL_set_min_proto_version(j->ssl, j->min_version) != 1 ||
	    SSL_set_max_proto_version(j->ssl, j->max_version) != 1 ||
	    SSL_set_cipher_list(j->ssl, j->ciphers) != 1 ||
	    (j->sni != NULL && SSL_set_tlsext_host_name(j->ssl, j->sni) != 1) ||
	    (j->want_ocsp && SSL_set_tlsext_status_type(j->ssl,
	    TLSEXT_STATUSTYPE_ocsp) != 1)) {
		finish(j, HS_SETUP, probe_ssl_reason("bad TLS settings"));
		return;
	}
	SSL_set_connect_state(j->ssl);
	j->state = HS_ST_HANDSHAKE;
	step_handshake(j);
}

static void
step(struct hs_job *j, SSL_CTX *ctx)
{
	switch (j->state) {
	case HS_ST_QUEUED:
		break;
	case HS_ST_CONNECT:
		step_connect(j, ctx);
		break;
	case HS_ST_HANDSHAKE:
		step_handshake(j);
		break;
	case HS_ST_SIP_WRITE:
		step_sip_write(j);
		break;
	case HS_ST_SIP_READ:
		step_sip_read(j);
		break;
	case HS_ST_DONE:
		break;
	}
}

/*
 * The deadline passed with j unfinished.  per_addr: the --connections
 * bound, which is what kept a queued job waiting when it is set.
 */
static void
timed_out(struct hs_job *j, int timeout_sec, size_t per_addr)
{
	/*
	 * A job that waited for its turn and had only what was left of the
	 * time did not time out on the server: it was not given the time.
	 */
	if (j->waited && j->state != HS_ST_QUEUED && j->state != HS_ST_DONE) {
		j->not_tried = true;
		finish(j, HS_LOCAL, xasprintf("not finished within the %d s "
		    "timeout: it waited for its turn (%s) and had only the "
		    "rest of the time", timeout_sec, per_addr > 0 ?
		    "--connections" : "the open-file limit"));
		return;
	}
	switch (j->state) {
	case HS_ST_QUEUED:
		j->not_tried = true;
		finish(j, HS_LOCAL, per_addr > 0 ?
		    xasprintf("not tried within the %d s timeout: with "
		    "--connections %zu the earlier handshakes with the "
		    "address took the time", timeout_sec, per_addr) :
		    xasprintf("not tried within the %d s "
		    "timeout: the open-file limit allows only so many "
		    "connections at once", timeout_sec));
		break;
	case HS_ST_CONNECT:
		finish(j, HS_TIMEOUT, xasprintf("timed out after %d s: no "
		    "answer to the TCP connection", timeout_sec));
		break;
	case HS_ST_HANDSHAKE:
		finish(j, HS_TIMEOUT, j->nfirst == 0 ?
		    xasprintf("timed out after %d s: the server accepted the "
		    "connection but never answered the TLS ClientHello",
		    timeout_sec) :
		    xasprintf("timed out after %d s in the middle of the TLS "
		    "handshake", timeout_sec));
		break;
	case HS_ST_SIP_WRITE:
	case HS_ST_SIP_READ:
		sip_finish(j, 0, NULL, xasprintf("no answer to OPTIONS within "
		    "the %d s timeout", timeout_sec));
		break;
	case HS_ST_DONE:
		break;
	}
}

/* Start job j's TCP connect. */
static void
start_job(struct hs_job *j)
{
	char *err = NULL;
	bool local;

	j->state = HS_ST_CONNECT;
	j->want = POLLOUT;
	if ((j->fd = net_connect_start(j->addr, &err, &local)) == -1)
		finish(j, local ? HS_LOCAL : HS_CONNECT, err);
}

/*
 * Number the distinct addresses of jobs[0..n): id[i] for each job.
 * Jobs of one address share its pointer and come together, so the
 * search looks back at the last few ids first.
 */
static void
addr_ids(struct hs_job *const *jobs, size_t n, size_t *id)
{
	size_t i, k, nid = 0;
	const struct sockaddr_storage **seen = xcalloc(n ? n : 1,
	    sizeof(*seen));

	for (i = 0; i < n; i++) {
		for (k = nid; k > 0 && seen[k - 1] != jobs[i]->addr; k--)
			;
		if (k == 0) {
			seen[nid] = jobs[i]->addr;
			k = ++nid;
		}
		id[i] = k - 1;
	}
	free(seen);
}

void
hs_run(SSL_CTX *ctx, struct hs_job *const *jobs, size_t n,
    int64_t deadline_ms, int timeout_sec, size_t max_conns, size_t per_addr)
{
	struct pollfd *pfd = xcalloc(n ? n : 1, sizeof(*pfd));
	size_t *map = xcalloc(n ? n : 1, sizeof(*map));
	size_t *id = xcalloc(n ? n : 1, sizeof(*id));
	size_t *busy = xcalloc(n ? n : 1, sizeof(*busy));
	size_t i, np, open, queued;
	bool first = true;
	int64_t left;
	int r;

	for (i = 0; i < n; i++) {
		struct hs_job *j = jobs[i];

		j->alert = -1;
		j->sip_code = j->sip_host != NULL ? 0 : -1;
		j->outcome = HS_PENDING;
		j->state = HS_ST_QUEUED;
		j->want = 0;
		j->not_tried = false;
		j->waited = false;
	}
	if (per_addr > 0)
		addr_ids(jobs, n, id);
	for (;;) {
		/*
		 * Start waiting jobs, in order, while there is room: at
		 * most max_conns open in all, per_addr to one address.
		 */
		memset(busy, 0, n * sizeof(*busy));
		for (i = open = queued = 0; i < n; i++) {
			if (jobs[i]->state == HS_ST_QUEUED)
				queued++;
			else if (jobs[i]->state != HS_ST_DONE) {
				open++;
				busy[id[i]]++;
			}
		}
		for (i = 0; i < n && queued > 0 &&
		    (max_conns == 0 || open < max_conns); i++) {
			if (jobs[i]->state != HS_ST_QUEUED ||
			    (per_addr > 0 && busy[id[i]] >= per_addr))
				continue;
			queued--;
			jobs[i]->waited = !first;
			start_job(jobs[i]);
			if (jobs[i]->state != HS_ST_DONE) {
				open++;
				busy[id[i]]++;
			}
		}
		first = false;
		for (i = np = 0; i < n; i++) {
			if (jobs[i]->state == HS_ST_DONE ||
			    jobs[i]->state == HS_ST_QUEUED)
				continue;
			pfd[np].fd = jobs[i]->fd;
			pfd[np].events = jobs[i]->want;
			pfd[np].revents = 0;
			map[np++] = i;
		}
		if (np == 0 && queued == 0)
			break;
		if ((left = deadline_ms - net_now_ms()) <= 0) {
			for (i = 0; i < n; i++)
				timed_out(jobs[i], timeout_sec, per_addr);
			break;
		}
		r = poll(pfd, (nfds_t)np, left > 1000 ? 1000 : (int)left);
		if (r == -1 && errno != EINTR) {
			int e = errno;

			for (i = 0; i < n; i++)
				if (jobs[i]->state != HS_ST_DONE)
					finish(jobs[i], HS_LOCAL, xasprintf(
					    "poll: %s", strerror(e)));
			break;
		}
		for (i = 0; r > 0 && i < np; i++)
			if (pfd[i].revents != 0)
				step(jobs[map[i]], ctx);
	}
	for (i = 0; i < n; i++)
		hang_up(jobs[i]);
	free(pfd);
	free(map);
	free(id);
	free(busy);
}

/*
 * listen_conn.c - one connection of the listener: peek at the first
 * bytes (TLS or not), the handshake, the first SIP request and the SDP
 * of an INVITE, the answer, a short wait for the ACK, the hang-up.
 *
 * Each step runs as far as the non-blocking socket allows and says what
 * to poll for next; every end - the client's, ours, or the deadline's -
 * leaves one line in the facts saying what happened.  Nothing the client
 * sends is kept unescaped in the facts; the raw request stays here, only
 * to answer it.
 *
 * OpenSSL's error queue is per thread and all connections share one
 * thread, so each SSL call is preceded by ERR_clear_error() and its
 * error is read straight after.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/esc.h"
#include "probe/listen_conn.h"
#include "probe/probe.h"

/* How long to wait for the ACK of our answer to an INVITE. */
#define LISTEN_LINGER_MS 2000
/* Bytes read from a client in all, request and body included. */
#define LISTEN_MAX_READ (LISTEN_SIP_MAX_HEADER + LISTEN_SIP_MAX_BODY + 4096)

/* "ADDR:PORT", or "[ADDR]:PORT" for IPv6. */
char *
listen_addr_port(const struct sockaddr_storage *ss, int *port)
{
	char ip[INET6_ADDRSTRLEN];

	*port = ss->ss_family == AF_INET6 ?
	    ntohs(((const struct sockaddr_in6 *)ss)->sin6_port) :
	    ntohs(((const struct sockaddr_in *)ss)->sin_port);
	net_ntop(ss, ip, sizeof(ip));
	return ss->ss_family == AF_INET6 ? xasprintf("[%s]:%d", ip, *port) :
	    xasprintf("%s:%d", ip, *port);
}

static void
set_detail(char **dst, char *s)
{
	free(*dst);
	*dst = s;
}

/* The connection is over: a close_notify where a session is up, then close. */
static void
hang_up(struct conn *c)
{
	ERR_clear_error();
	if (c->ssl != NULL && c->hs_ok)
		(void)SSL_shutdown(c->ssl);
	SSL_free(c->ssl);
	c->ssl = NULL;
	ERR_clear_error();
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->state = C_DONE;
	c->want = 0;
}

static void
hs_end(struct conn *c, enum client_hs_outcome o, char *detail)
{
	struct client_handshake_facts *hs = &c->r.facts.hs;

	hs->outcome = o;
	set_detail(&hs->detail, detail);
	if (c->t_hello != 0)
		hs->ms = (double)(net_now_ms() - c->t_hello);
	if (o != CLIENT_HS_COMPLETED)
		hang_up(c);
}

static void
sip_end(struct conn *c, enum client_sip_state st, char *error)
{
	struct client_sip_facts *sip = &c->r.facts.sip;

	if (sip->state != CLIENT_SIP_REQUEST)
		sip->state = st;
	if (error != NULL)
		set_detail(&sip->error, error);
	hang_up(c);
}

/* Seconds this connection was given, for the words of a timeout. */
static int
bound_s(const struct conn *c)
{
	return (int)((c->deadline - c->t_accept + 999) / 1000);
}

/* ------------------------------------------------------------------ */
/* The first bytes: TLS, or something else */

static void step_handshake(struct conn *c);
static void step_sip_read(struct conn *c);

static void
step_peek(struct conn *c)
{
	unsigned char b[64];
	ssize_t r;
	char *esc;

	r = recv(c->fd, b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR)) {
		c->want = POLLIN;
		return;
	}
	if (r == 0) {
		hs_end(c, CLIENT_HS_NONE, xstrdup("the client closed the "
		    "connection without sending anything"));
		return;
	}
	if (r < 0) {
		hs_end(c, CLIENT_HS_NONE, xasprintf("the connection failed "
		    "before the client sent anything: %s", strerror(errno)));
		return;
	}
	/* A TLS handshake record, or an SSLv2-format ClientHello. */
	if (b[0] == 0x16 || (b[0] & 0x80) != 0) {
		c->state = C_HANDSHAKE;
		c->t_hello = net_now_ms();
		step_handshake(c);
		return;
	}
	r = recv(c->fd, b, sizeof(b), MSG_DONTWAIT);
	esc = esc_printable(b, r > 0 ? (size_t)r : 0);
	c->r.facts.hello.not_tls = xasprintf("\"%s\"", esc);
	free(esc);
	hs_end(c, CLIENT_HS_NONE, xasprintf("the client did not start TLS: "
	    "it sent %s", c->r.facts.hello.not_tls));
}

/* ------------------------------------------------------------------ */
/* The handshake */

static void
handshake_done(struct conn *c)
{
	struct client_handshake_facts *hs = &c->r.facts.hs;
	STACK_OF(X509) *rest;
	X509 *leaf, *x;
	int i;

	c->hs_ok = true;
	hs->version = xstrdup(SSL_get_version(c->ssl));
	hs->cipher = xstrdup(SSL_CIPHER_standard_name(
	    SSL_get_current_cipher(c->ssl)));
	hs_end(c, CLIENT_HS_COMPLETED, xasprintf("completed: %s, %s",
	    hs->version, hs->cipher));
	if ((leaf = SSL_get1_peer_certificate(c->ssl)) != NULL) {
		/* A server's SSL_get_peer_cert_chain() leaves the leaf out. */
		if ((c->r.client_chain = sk_X509_new_null()) == NULL ||
		    sk_X509_push(c->r.client_chain, leaf) == 0)
			fatal_oom();
		rest = SSL_get_peer_cert_chain(c->ssl);
		for (i = 0; i < sk_X509_num(rest); i++) {
			x = sk_X509_value(rest, i);
			if (X509_cmp(x, leaf) == 0)
				continue;
			if (X509_up_ref(x) != 1 ||
			    sk_X509_push(c->r.client_chain, x) == 0)
				fatal_oom();
		}
	}
	c->r.facts.sip.state = CLIENT_SIP_NONE;
	c->state = C_SIP_READ;
	c->want = POLLIN;
}

/* Why the handshake ended, in the words the report uses. */
static void
handshake_failed(struct conn *c, int e)
{
	struct client_handshake_facts *hs = &c->r.facts.hs;
	const char *after = hs->cert_sent ? " after our certificate" : "";
	const char *an;
	unsigned long code = ERR_peek_last_error();
	int saved = errno;
	char *r;

	if (hs->client_alert != -1) {
		ERR_clear_error();
		an = client_alert_name(hs->client_alert);
		hs_end(c, CLIENT_HS_CLIENT_ALERT, an != NULL ?
		    xasprintf("the client ended the handshake with alert %s%s",
		    an, after) : xasprintf("the client ended the handshake "
		    "with alert %d%s", hs->client_alert, after));
	} else if (hs->server_alert != -1) {
		r = probe_ssl_reason("refused");
		an = client_alert_name(hs->server_alert);
		hs_end(c, CLIENT_HS_SERVER_ALERT, xasprintf("the listener "
		    "refused the handshake: %s (alert %s)", r,
		    an != NULL ? an : "?"));
		free(r);
	} else if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL &&
	    (saved == 0 || saved == ECONNRESET || saved == EPIPE)) ||
	    (ERR_GET_LIB(code) == ERR_LIB_SSL &&
	    ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
		ERR_clear_error();
		hs_end(c, CLIENT_HS_CLOSED, xasprintf("the client %s the "
		    "connection during the handshake%s, without an alert",
		    saved == ECONNRESET ? "reset" : "closed", after));
	} else {
		r = e == SSL_ERROR_SYSCALL ? xstrdup(strerror(saved)) :
		    probe_ssl_reason("TLS handshake failed");
		hs_end(c, CLIENT_HS_ERROR, xasprintf("the handshake failed%s: "
		    "%s", after, r));
		free(r);
	}
}

static void
step_handshake(struct conn *c)
{
	int r, e;

	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		handshake_done(c);
		/* The request may have come with the Finished: read it now. */
		step_sip_read(c);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ) {
		c->want = POLLIN;
		return;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		c->want = POLLOUT;
		return;
	}
	handshake_failed(c, e);
}

/* ------------------------------------------------------------------ */
/* The request and the answer */

/* Is ct (a Content-Type value) application/sdp, parameters aside? */
static bool
is_sdp(const char *ct)
{
	size_t n = strcspn(ct, "; \t");

	return n == 15 && strncasecmp(ct, "application/sdp", 15) == 0;
}

/* The INVITE's body is all here: read its offer. */
static void
read_offer(struct conn *c)
{
	struct client_sip_facts *sip = &c->r.facts.sip;
	struct sdp_facts *sdp = &c->r.facts.sdp;
	const char *body = c->in.ptr + c->req.header_len;

	if (c->req.content_length <= 0)
		return;		/* no offer: a late offer, judged as such */
	if (sip->content_type != NULL && !is_sdp(sip->content_type)) {
		sdp->error = xasprintf("the INVITE's body is %s, not "
		    "application/sdp", sip->content_type);
		return;
	}
	sdp_parse(body, (size_t)c->req.content_length, sdp);
}

static void
answer(struct conn *c, int code, const char *reason)
{
	char tag[11], *err = NULL, *resp;

	if (code == 0 || sip_random_token(tag, sizeof(tag)) == -1) {
		sip_end(c, CLIENT_SIP_REQUEST, NULL);
		return;
	}
	resp = sip_build_response(&c->req, code, reason, tag, &err);
	if (resp == NULL) {
		sip_end(c, CLIENT_SIP_REQUEST, err);
		return;
	}
	c->code = code;
	buf_adds(&c->out, resp);
	free(resp);
	c->state = C_SIP_WRITE;
	c->want = POLLOUT;
}

/* What has been read so far: a request yet, all of its body yet? */
static void
sip_progress(struct conn *c)
{
	struct client_sip_facts *sip = &c->r.facts.sip;
	const char *reason;
	char *err = NULL;
	int r;

	if (!c->have_req) {
		r = sip_request_parse(c->in.ptr, c->in.len, &c->req, &err);
		if (r == 0)
			return;
		if (r == -1) {
			sip_end(c, CLIENT_SIP_ERROR, err);
			return;
		}
		c->have_req = true;
		sip_request_facts(&c->req, sip);
		if (c->req.content_length > LISTEN_SIP_MAX_BODY) {
			sip->error = xasprintf("Content-Length %ld is more "
			    "than %d bytes: the body was not read",
			    c->req.content_length, LISTEN_SIP_MAX_BODY);
			if (strcmp(c->req.method, "INVITE") == 0)
				c->r.facts.sdp.error = xstrdup(sip->error);
			answer(c, 413, "Request Entity Too Large");
			return;
		}
	}
	if (c->in.len < c->req.header_len +
	    (size_t)(c->req.content_length > 0 ? c->req.content_length : 0))
		return;
	r = sip_answer_code(c->req.method, &reason);
	if (strcmp(c->req.method, "INVITE") == 0)
		read_offer(c);
	answer(c, r, reason);
}

/*
 * An INVITE whose announced body never came whole: its offer cannot be
 * judged, and that is a failure of srtp-offer, not a late offer.
 */
static void
body_missing(struct conn *c, const char *why)
{
	struct sdp_facts *sdp = &c->r.facts.sdp;

	if (!c->have_req || strcmp(c->req.method, "INVITE") != 0 ||
	    c->req.content_length <= 0 || sdp->error != NULL)
		return;
	sdp->error = xasprintf("the INVITE's body did not arrive: %s", why);
}

/* Where a connection's SIP stopped when its time ran out. */
static char *
sip_timeout_words(const struct conn *c)
{
	size_t body;

	if (!c->have_req) {
		size_t n = 0;

		while (n < c->in.len && (c->in.ptr[n] == '\r' ||
		    c->in.ptr[n] == '\n'))
			n++;
		if (n == c->in.len)
			return xasprintf("no SIP request within %d s of the "
			    "connection", bound_s(c));
		return xasprintf("an incomplete SIP request header (%zu "
		    "bytes) within %d s", c->in.len, bound_s(c));
	}
	body = c->in.len - c->req.header_len;
	return xasprintf("the body of the request: %zu of %ld bytes within "
	    "%d s", body, c->req.content_length, bound_s(c));
}

static void
step_sip_read(struct conn *c)
{
	char b[4096], *r;
	size_t got = 0;
	int rc, e;

	for (;;) {
		ERR_clear_error();
		errno = 0;
		rc = SSL_read_ex(c->ssl, b, sizeof(b), &got);
		if (rc == 1) {
			if (c->in.len + got > LISTEN_MAX_READ) {
				sip_end(c, CLIENT_SIP_ERROR, xasprintf("more "
				    "than %d bytes without a complete request",
				    LISTEN_MAX_READ));
				return;
			}
			buf_add(&c->in, b, got);
			sip_progress(c);
			if (c->state != C_SIP_READ)
				return;
			continue;
		}
		e = SSL_get_error(c->ssl, rc);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
			return;
		}
		if (e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_SYSCALL ||
		    (ERR_GET_REASON(ERR_peek_last_error()) ==
		    SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
			ERR_clear_error();
			if (!c->have_req && c->in.len == strspn(c->in.ptr != NULL ?
			    c->in.ptr : "", "\r\n"))
				sip_end(c, CLIENT_SIP_NONE, xstrdup("the client "
				    "closed the connection without sending a SIP "
				    "request"));
			else {
				body_missing(c, "the client closed the "
				    "connection");
				sip_end(c, CLIENT_SIP_ERROR, xstrdup("the client "
				    "closed the connection in the middle of a "
				    "request"));
			}
			return;
		}
		r = probe_ssl_reason("TLS error");
		sip_end(c, CLIENT_SIP_ERROR, xasprintf("TLS error while "
		    "reading the request: %s", r));
		free(r);
		return;
	}
}

static void
step_sip_write(struct conn *c)
{
	size_t n = 0;
	int rc, e;

	ERR_clear_error();
	rc = SSL_write_ex(c->ssl, c->out.ptr + c->sent, c->out.len - c->sent,
	    &n);
	if (rc == 1) {
		c->sent += n;
		if (c->sent < c->out.len) {
			c->want = POLLOUT;
			return;
		}
		c->r.facts.sip.response_code = c->code;
		if (c->code == 488) {
			/* Let the client's transaction end with its ACK. */
			c->state = C_LINGER;
			c->want = POLLIN;
			if (c->deadline > net_now_ms() + LISTEN_LINGER_MS)
				c->deadline = net_now_ms() + LISTEN_LINGER_MS;
			return;
		}
		hang_up(c);
		return;
	}
	e = SSL_get_error(c->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return;
	}
	ERR_clear_error();
	sip_end(c, CLIENT_SIP_REQUEST, xstrdup("the client closed the "
	    "connection before our answer was sent"));
}

/* Read and drop what follows the answer (the ACK) until the client closes. */
static void
step_linger(struct conn *c)
{
	char b[2048];
	size_t got = 0;
	int rc, e;

	for (;;) {
		ERR_clear_error();
		rc = SSL_read_ex(c->ssl, b, sizeof(b), &got);
		if (rc == 1) {
			if (got >= 4 && memcmp(b, "ACK ", 4) == 0) {
				hang_up(c);
				return;
			}
			continue;
		}
		e = SSL_get_error(c->ssl, rc);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
			return;
		}
		hang_up(c);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* The state machine */

void
listen_conn_step(struct conn *c)
{
	switch (c->state) {
	case C_PEEK:
		step_peek(c);
		break;
	case C_HANDSHAKE:
		step_handshake(c);
		break;
	case C_SIP_READ:
		step_sip_read(c);
		break;
	case C_SIP_WRITE:
		step_sip_write(c);
		break;
	case C_LINGER:
		step_linger(c);
		break;
	case C_DONE:
		break;
	}
}

/* The connection's time is up: say where it stopped. */
void
listen_conn_expire(struct conn *c)
{
	char *words;

	switch (c->state) {
	case C_PEEK:
		hs_end(c, CLIENT_HS_NONE, xasprintf("the client sent nothing "
		    "within %d s", bound_s(c)));
		break;
	case C_HANDSHAKE:
		hs_end(c, CLIENT_HS_TIMEOUT, xasprintf("the handshake did not "
		    "finish within %d s%s", bound_s(c), c->r.facts.hs.cert_sent ?
		    " (our certificate was sent)" : ""));
		break;
	case C_SIP_READ:
		words = sip_timeout_words(c);
		body_missing(c, words);
		sip_end(c, CLIENT_SIP_NONE, words);
		break;
	case C_SIP_WRITE:
		sip_end(c, CLIENT_SIP_REQUEST, xstrdup("the client did not "
		    "read our answer"));
		break;
	case C_LINGER:
	case C_DONE:
		hang_up(c);
		break;
	}
}

struct conn *
listen_conn_new(int fd, const struct sockaddr_storage *peer, SSL_CTX *ctx,
    const struct listen_params *p)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	struct conn *c = xcalloc(1, sizeof(*c));
	int one = 1, port;

	c->fd = fd;
	c->t_accept = net_now_ms();
	c->deadline = c->t_accept + p->conn_ms;
	if (c->deadline > p->deadline_ms)
		c->deadline = p->deadline_ms;
	client_facts_init(&c->r.facts);
	c->r.facts.peer = listen_addr_port(peer, &c->r.port);
	c->r.address = xstrdup(c->r.facts.peer);
	if (peer->ss_family == AF_INET6) {
		/* "[::1]:5061" -> "::1" */
		free(c->r.address);
		c->r.address = xstrndup(c->r.facts.peer + 1,
		    strcspn(c->r.facts.peer + 1, "]"));
	} else
		c->r.address[strcspn(c->r.address, ":")] = '\0';
	if (getsockname(fd, (struct sockaddr *)&local, &len) == 0)
		c->r.facts.local = listen_addr_port(&local, &port);
	c->r.facts.hs.throwaway = p->tls.cert == NULL;
	c->r.facts.hs.client_cert_asked = p->tls.require_client_cert;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	ERR_clear_error();
	if ((c->ssl = SSL_new(ctx)) == NULL || SSL_set_fd(c->ssl, fd) != 1)
		fatal_oom();
	SSL_set_accept_state(c->ssl);
	SSL_set_app_data(c->ssl, &c->r.facts);
	c->state = C_PEEK;
	c->want = POLLIN;
	return c;
}

void
listen_conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	hang_up(c);
	sip_request_free(&c->req);
	buf_free(&c->in);
	buf_free(&c->out);
	listen_conn_result_free(&c->r);
	free(c);
}

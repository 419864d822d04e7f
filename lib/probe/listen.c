/*
 * listen.c - the listener: accept the customer's equipment as a TLS
 * client, read its ClientHello and handshake, its first SIP request and
 * the SDP of an INVITE, answer it, and hang up.
 *
 * One thread, one poll loop, several connections at once (a client that
 * says nothing never keeps the next one waiting).  Each connection is a
 * small state machine (listen_conn.c) and each wait is bounded: the
 * connection's own time from its accept, and the run's --timeout over
 * all of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "probe/listen_conn.h"
#include "probe/probe.h"

/* Connections served at once; more wait in the kernel's backlog. */
#define LISTEN_MAX_ACTIVE 16

void
listen_conn_result_free(struct listen_conn_result *r)
{
	if (r == NULL)
		return;
	client_facts_free(&r->facts);
	sk_X509_pop_free(r->client_chain, X509_free);
	r->client_chain = NULL;
	free(r->address);
	r->address = NULL;
}

/* Bind and listen, non-blocking.  Returns the socket or -1 with *err. */
static int
open_listener(const char *addr, int port, char *where, size_t wlen,
    char **err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, p;
	char *w;

	if (net_parse_ip(addr, port, &ss, &len) == -1) {
		*err = xasprintf("--listen %s: not an IPv4 or IPv6 address",
		    addr);
		return -1;
	}
	w = listen_addr_port(&ss, &p);
	snprintf(where, wlen, "%s", w);
	free(w);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    IPPROTO_TCP);
	if (fd == -1) {
		*err = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, LISTEN_MAX_ACTIVE) == -1) {
		*err = xasprintf("cannot listen on %s: %s", where,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int
listen_run(const struct listen_params *p, char **err)
{
	struct conn *active[LISTEN_MAX_ACTIVE] = { 0 };
	struct pollfd pfd[LISTEN_MAX_ACTIVE + 1];
	struct sockaddr_storage peer;
	socklen_t plen;
	SSL_CTX *ctx;
	char where[INET6_ADDRSTRLEN + 16];
	int lfd, fd, served = 0, accepted = 0, n_active = 0, i, k, np;
	int64_t now, wake;
	bool accepting, failed = false;

	if ((ctx = listen_tls_ctx(&p->tls, err)) == NULL)
		return -1;
	if ((lfd = open_listener(p->addr, p->port, where, sizeof(where),
	    err)) == -1) {
		SSL_CTX_free(ctx);
		return -1;
	}
	if (p->ready != NULL)
		p->ready(p->arg, where);

	for (;;) {
		now = net_now_ms();
		accepting = accepted < p->count && now < p->deadline_ms;
		if (!accepting && n_active == 0)
			break;
		/* Connections whose time is up end now, in accept order. */
		for (i = 0; i < n_active; i++)
			if (active[i]->state != C_DONE &&
			    now >= active[i]->deadline)
				listen_conn_expire(active[i]);
		/* Report the ended ones, in the order they ended. */
		for (i = 0; i < n_active;) {
			if (active[i]->state != C_DONE) {
				i++;
				continue;
			}
			if (p->done != NULL) {
				struct listen_conn_result *r = xmalloc(sizeof(*r));

				*r = active[i]->r;
				memset(&active[i]->r, 0, sizeof(active[i]->r));
				p->done(p->arg, r);
			}
			listen_conn_free(active[i]);
			served++;
			for (k = i; k + 1 < n_active; k++)
				active[k] = active[k + 1];
			n_active--;
		}
		if (!accepting && n_active == 0)
			break;

		np = 0;
		wake = p->deadline_ms;
		if (accepting && n_active < LISTEN_MAX_ACTIVE) {
			pfd[np].fd = lfd;
			pfd[np].events = POLLIN;
			pfd[np++].revents = 0;
		}
		for (i = 0; i < n_active; i++) {
			pfd[np].fd = active[i]->fd;
			pfd[np].events = active[i]->want;
			pfd[np++].revents = 0;
			if (active[i]->deadline < wake)
				wake = active[i]->deadline;
		}
		now = net_now_ms();
		if (poll(pfd, (nfds_t)np, wake > now ? (int)(wake - now) : 0) ==
		    -1 && errno != EINTR) {
			*err = xasprintf("poll: %s", strerror(errno));
			failed = true;
			break;
		}
		k = 0;
		if (accepting && n_active < LISTEN_MAX_ACTIVE) {
			if (pfd[0].revents & POLLIN) {
				plen = sizeof(peer);
				fd = accept(lfd, (struct sockaddr *)&peer, &plen);
				if (fd != -1 && (fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
				    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)) {
					close(fd);
					fd = -1;
				}
				if (fd != -1) {
					active[n_active] = listen_conn_new(fd, &peer,
					    ctx, p);
					listen_conn_step(active[n_active]);
					n_active++;
					accepted++;
				}
			}
			k = 1;
		}
		for (i = 0; i < n_active && k < np; i++, k++)
			if (pfd[k].fd == active[i]->fd && pfd[k].revents != 0)
				listen_conn_step(active[i]);
	}
	for (i = 0; i < n_active; i++)
		listen_conn_free(active[i]);
	close(lfd);
	SSL_CTX_free(ctx);
	return failed ? -1 : served;
}

/*
 * multi_tls.c - one TLS server on many loopback addresses, for the
 * probe's tests of names with many A records (all of 127.0.0.0/8 is
 * loopback: 127.0.0.2, 127.0.0.3... need no set-up).
 *
 *   multi_tls PORT ADDR=CHAIN:KEY...
 *
 * Each address serves its own chain (leaf first) and key, TLS 1.2 only,
 * the carrier's three suites.  One thread, one poll loop, non-blocking
 * handshakes; a connection is closed when the client closes it or after
 * 60 s.  Prints "ready" once every address listens; runs until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define MAX_CONNS 4096

struct conn {
	int fd;
	SSL *ssl;
	short want;
	time_t started;
};

static int
listen_on(const char *addr, int port)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 128) != 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static SSL_CTX *
ctx_for(const char *chain, const char *key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (ctx == NULL ||
	    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx,
	    "AES128-SHA:AES128-SHA256:AES256-SHA256") != 1 ||
	    SSL_CTX_use_certificate_chain_file(ctx, chain) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		ERR_print_errors_fp(stderr);
		exit(1);
	}
	return ctx;
}

/* Advance c; returns 0 to keep it, -1 when it is over. */
static int
step(struct conn *c)
{
	char buf[256];
	int r, e;

	ERR_clear_error();
	if (!SSL_is_init_finished(c->ssl))
		r = SSL_accept(c->ssl);
	else
		r = SSL_read(c->ssl, buf, sizeof(buf));
	if (r > 0) {
		c->want = POLLIN;
		return 0;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		c->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return 0;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	static struct conn conns[MAX_CONNS];
	static struct pollfd pfd[MAX_CONNS];
	int nl = argc - 2, nc = 0, port, i, k;
	int *lfd;
	SSL_CTX **ctx;

	if (argc < 3) {
		fputs("usage: multi_tls PORT ADDR=CHAIN:KEY...\n", stderr);
		return 2;
	}
	port = atoi(argv[1]);
	lfd = calloc((size_t)nl, sizeof(*lfd));
	ctx = calloc((size_t)nl, sizeof(*ctx));
	for (i = 0; i < nl; i++) {
		char *spec = argv[i + 2], *eq = strchr(spec, '='), *colon;

		if (eq == NULL || (colon = strchr(eq, ':')) == NULL)
			return 2;
		*eq = *colon = '\0';
		ctx[i] = ctx_for(eq + 1, colon + 1);
		if ((lfd[i] = listen_on(spec, port)) == -1) {
			fprintf(stderr, "multi_tls: %s:%d: %s\n", spec, port,
			    strerror(errno));
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		for (i = 0; i < nl; i++) {
			pfd[i].fd = lfd[i];
			pfd[i].events = nc < MAX_CONNS - nl ? POLLIN : 0;
			pfd[i].revents = 0;
		}
		for (k = 0; k < nc; k++) {
			pfd[nl + k].fd = conns[k].fd;
			pfd[nl + k].events = conns[k].want;
			pfd[nl + k].revents = 0;
		}
		if (poll(pfd, (nfds_t)(nl + nc), 1000) < 0 && errno != EINTR)
			return 1;
		for (k = nc - 1; k >= 0; k--) {
			struct conn *c = &conns[k];

			if ((pfd[nl + k].revents != 0 && step(c) == 0) ||
			    (pfd[nl + k].revents == 0 &&
			    time(NULL) - c->started < 60))
				continue;
			SSL_free(c->ssl);
			close(c->fd);
			conns[k] = conns[--nc];
		}
		for (i = 0; i < nl; i++) {
			int fd;

			if (!(pfd[i].revents & POLLIN))
				continue;
			while (nc < MAX_CONNS - nl &&
			    (fd = accept(lfd[i], NULL, NULL)) != -1) {
				struct conn *c = &conns[nc];

				fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
				c->fd = fd;
				c->ssl = SSL_new(ctx[i]);
				SSL_set_fd(c->ssl, fd);
				c->started = time(NULL);
				if (step(c) == 0)
					nc++;
				else {
					SSL_free(c->ssl);
					close(fd);
				}
			}
		}
	}
}

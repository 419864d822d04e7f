/*
 * listen_conn.h - one connection of the listener, private to
 * listen.c and listen_conn.c: its state machine, stepped by the poll
 * loop whenever its socket is ready, and ended by its deadline.
 */
#ifndef BWC_LISTEN_CONN_H
#define BWC_LISTEN_CONN_H

#include <poll.h>
#include <sys/socket.h>

#include "probe/listen.h"

typedef struct ssl_st SSL;

enum conn_state {
	C_PEEK,		/* waiting for the first bytes */
	C_HANDSHAKE,
	C_SIP_READ,
	C_SIP_WRITE,
	C_LINGER,	/* answer sent; reading the ACK or the close */
	C_DONE
};

struct conn {
	enum conn_state state;
	int fd;
	SSL *ssl;
	short want;
	int64_t t_accept, t_hello, deadline;
	bool hs_ok;
	struct listen_conn_result r;
	struct buf in;		/* SIP bytes read */
	struct sip_request req;
	bool have_req;
	int code;		/* the status we answer with */
	struct buf out;
	size_t sent;
};

/*
 * A connection just accepted on fd from peer: facts initialised, its
 * deadline p->conn_ms from now (never past p->deadline_ms), waiting for
 * the client's first bytes.  Free with listen_conn_free().
 */
struct conn *listen_conn_new(int fd, const struct sockaddr_storage *peer,
    SSL_CTX *ctx, const struct listen_params *p);
/* Move c on as far as its socket allows; c->want says what to poll for. */
void listen_conn_step(struct conn *c);
/* c's time is up: record where it stopped and hang up (state C_DONE). */
void listen_conn_expire(struct conn *c);
/* Hang up if needed and free c, with whatever is left of its result. */
void listen_conn_free(struct conn *c);

/* "ADDR:PORT", or "[ADDR]:PORT" for IPv6, and the port.  Caller frees. */
char *listen_addr_port(const struct sockaddr_storage *ss, int *port);

#endif

/*
 * listen.h - the listener's internal API: the carrier's side of a TLS
 * connection that the customer's equipment opens, the SIP request it
 * sends, and the SDP offer in an INVITE.
 *
 * The parsers here do no I/O: the listener moves the bytes, the unit
 * tests drive the parsers directly.  What they keep for the report goes
 * into struct client_facts, escaped; what they keep to answer the
 * request (the Via, From, To, Call-ID and CSeq header fields, echoed
 * back to the client as RFC 3261 section 8.2.6.2 says) stays raw.
 */
#ifndef BWC_LISTEN_H
#define BWC_LISTEN_H

#include "core/client_facts.h"
#include "core/common.h"
#include "core/policy.h"

typedef struct evp_pkey_st EVP_PKEY;
typedef struct x509_st X509;
typedef struct ssl_ctx_st SSL_CTX;
struct stack_st_X509;

/* A request header longer than this is not worth waiting for. */
#define LISTEN_SIP_MAX_HEADER 16384
/* The largest body read; an SDP offer is a few hundred bytes. */
#define LISTEN_SIP_MAX_BODY 65536
/* The most header fields one request may have. */
#define LISTEN_SIP_MAX_FIELDS 256

/* One header field as sent; a folded value is joined with one space. */
struct sip_field {
	char *name;		/* as sent: "Via", "v", "CSeq" */
	char *value;		/* leading and trailing blanks removed */
};

/* A SIP request's start line and header (RFC 3261 section 7.1). */
struct sip_request {
	char *line;		/* the Request-Line, raw, without CRLF */
	char *method;		/* its first token */
	struct sip_field *fields;
	size_t n_fields;
	long content_length;	/* -1 when the header has none */
	size_t header_len;	/* bytes from buf[0] to the end of the blank line,
				 * keep-alive CRLFs before the request included */
};

/*
 * Look for a complete request header in buf[0..len).  Returns 1 with
 * *req filled (free it with sip_request_free), 0 when more bytes are
 * needed, -1 with *err set (caller frees; printable) when the bytes are
 * not a SIP request, the header passes LISTEN_SIP_MAX_HEADER or
 * LISTEN_SIP_MAX_FIELDS, holds a NUL byte, or its Content-Length is
 * malformed.  A Content-Length beyond LISTEN_SIP_MAX_BODY is returned
 * as it is: the caller refuses it.  CRLFs before the request
 * (keep-alives, RFC 5626 section 4.4.1) are skipped.
 */
int sip_request_parse(const char *buf, size_t len, struct sip_request *req,
    char **err);
void sip_request_free(struct sip_request *);

/*
 * The first value of header field name (full name; the compact form,
 * RFC 3261 section 7.3.3, matches too), or NULL.  Borrowed from req.
 */
const char *sip_request_field(const struct sip_request *req,
    const char *name);

/*
 * The status the listener answers a request with: 200 for OPTIONS, 488
 * for INVITE, 0 for ACK (never answered), 501 for the rest.  *reason is
 * the reason phrase (static).
 */
int sip_answer_code(const char *method, const char **reason);

/*
 * A response to req with this status (RFC 3261 section 8.2.6): the Via
 * fields in order, From, To (with to_tag added when it has no tag),
 * Call-ID and CSeq copied; no body.  Returns the message (caller frees),
 * or NULL with *err set (caller frees) when req lacks one of those
 * fields, so no response can be matched to it.
 */
char *sip_build_response(const struct sip_request *req, int code,
    const char *reason, const char *to_tag, char **err);

/*
 * The report's view of req: request line, method, User-Agent,
 * Content-Type and Content-Length, escaped, into *out (state becomes
 * CLIENT_SIP_REQUEST).  Strings already in *out are replaced.
 */
void sip_request_facts(const struct sip_request *req,
    struct client_sip_facts *out);

/*
 * Read an SDP body (RFC 8866) into *out: every m= line with its
 * protocol, formats, a=crypto lines (RFC 4568: tag, suite and key
 * method; never the key) and a=fingerprint hash (RFC 8122).  A body that
 * is not SDP, or a malformed m= line, sets out->error; the lines that
 * could be read are still kept.  *out must be zeroed or freed first.
 */
void sdp_parse(const char *body, size_t len, struct sdp_facts *out);

/* ------------------------------------------------------------------ */
/* The carrier's side of the handshake (listen_tls.c) */

/* What the listener presents and asks for; all borrowed. */
struct listen_tls_params {
	const struct policy *policy;	/* the suites to accept */
	X509 *cert;			/* NULL: make a throw-away one */
	struct stack_st_X509 *chain;	/* intermediates after cert, or NULL */
	EVP_PKEY *key;			/* cert's key */
	bool require_client_cert;	/* ask for a client certificate */
};

/*
 * A server context with the carrier's settings: TLS 1.2 only, the
 * policy's suites, the certificate of p (or a throw-away self-signed
 * RSA-2048 one, whose subject says what it is), a client-hello callback
 * and a message callback that fill the struct client_facts set as each
 * SSL's app data (SSL_set_app_data).  Returns the context (caller frees
 * with SSL_CTX_free) or NULL with *err set (caller frees).
 */
SSL_CTX *listen_tls_ctx(const struct listen_tls_params *p, char **err);

/* ------------------------------------------------------------------ */
/* The listener (listen.c) */

/* One connection, when it is over. */
struct listen_conn_result {
	struct client_facts facts;
	struct stack_st_X509 *client_chain;	/* leaf first, owned; or NULL */
	char *address;		/* the client's IP */
	int port;		/* and port */
};

struct listen_params {
	const char *addr;	/* IP to bind, no brackets */
	int port;
	int count;		/* connections to serve */
	int64_t deadline_ms;	/* the whole run (net_now_ms() clock) */
	int conn_ms;		/* each connection, from its accept */
	struct listen_tls_params tls;
	/* Called once the socket listens; where is "ADDR:PORT". */
	void (*ready)(void *arg, const char *where);
	/*
	 * Called for each connection as it ends, in that order; r is the
	 * callee's to use and free (listen_conn_result_free).
	 */
	void (*done)(void *arg, struct listen_conn_result *r);
	void *arg;
};

/*
 * Bind p->addr:p->port and serve up to p->count connections, several at
 * once, each bounded by p->conn_ms and all by p->deadline_ms.  Returns
 * how many connections were served (0: nobody connected in time), or
 * -1 with *err set (caller frees) when the listener could not start:
 * the address is in use, not local, the certificate is unusable.
 */
int listen_run(const struct listen_params *p, char **err);

void listen_conn_result_free(struct listen_conn_result *);

#endif

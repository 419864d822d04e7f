/*
 * client_facts.h - what `listen` learned from one client connection: its
 * ClientHello, how the handshake ended, its first SIP request and, for
 * an INVITE, the SDP offer.
 *
 * Filled by the listener (lib/probe/listen*.c), read by the client rules
 * and the reporters.  Every string is owned by the struct and is
 * printable already: whatever the client sent was escaped on the way
 * in.  The SDES key material of an a=crypto line is never stored.
 */
#ifndef BWC_CLIENT_FACTS_H
#define BWC_CLIENT_FACTS_H

#include "core/common.h"

/* How many of each list the listener keeps; the rest is counted, not kept. */
#define CLIENT_HELLO_MAX_LIST 128
#define SDP_MAX_MEDIA 16
#define SDP_MAX_CRYPTO 16

struct client_hello_facts {
	bool seen;		/* a ClientHello was read */
	char *not_tls;		/* the client's first bytes, quoted, when they
				 * were not a TLS handshake; NULL otherwise */
	unsigned legacy_version;	/* ClientHello.legacy_version, 0x0303 */
	bool has_supported_versions;	/* the supported_versions extension */
	unsigned *versions;	/* offered versions, GREASE left out: from
				 * supported_versions when present, else
				 * legacy_version alone */
	size_t n_versions;
	char **suites;		/* IANA names, "0xC0FF" when unknown, in the
				 * client's order, GREASE and SCSVs left out */
	size_t n_suites;
	char *sni;		/* server_name (host_name), or NULL */
	char **sigalgs;		/* signature_algorithms by TLS 1.3 name */
	size_t n_sigalgs;
};

enum client_hs_outcome {
	CLIENT_HS_NONE,		/* no ClientHello: silence, or not TLS */
	CLIENT_HS_COMPLETED,	/* the handshake completed */
	CLIENT_HS_CLIENT_ALERT,	/* the client ended it with an alert */
	CLIENT_HS_SERVER_ALERT,	/* we ended it (no shared version or suite) */
	CLIENT_HS_CLOSED,	/* the client closed without an alert */
	CLIENT_HS_TIMEOUT,	/* the connection's time ran out */
	CLIENT_HS_ERROR,	/* anything else; see detail */
	CLIENT_HS__MAX
};

struct client_handshake_facts {
	enum client_hs_outcome outcome;
	char *detail;		/* one line: what happened, for the report */
	bool throwaway;		/* we presented the throw-away certificate */
	bool cert_sent;		/* our Certificate message went out */
	int client_alert;	/* alert description the client sent, or -1 */
	int server_alert;	/* alert description we sent, or -1 */
	char *version;		/* negotiated, when completed ("TLSv1.2") */
	char *cipher;		/* negotiated suite, IANA name */
	double ms;		/* from the ClientHello to the end */
	bool client_cert_asked;	/* --require-client-cert: CertificateRequest */
	bool client_cert_sent;	/* the client sent a non-empty Certificate */
};

enum client_sip_state {
	CLIENT_SIP_NOT_READ,	/* the handshake did not complete */
	CLIENT_SIP_NONE,	/* nothing, or only keep-alives, arrived */
	CLIENT_SIP_REQUEST,	/* a request was read */
	CLIENT_SIP_ERROR,	/* bytes arrived that were no usable request */
	CLIENT_SIP__MAX
};

struct client_sip_facts {
	enum client_sip_state state;
	char *request_line;	/* "INVITE sip:test@... SIP/2.0" */
	char *method;
	char *user_agent;	/* or NULL */
	char *content_type;	/* or NULL */
	long content_length;	/* -1 when absent */
	char *error;		/* why no usable request (NONE, ERROR) */
	int response_code;	/* what we answered; 0 when nothing */
};

/* One a=crypto line (RFC 4568 section 9.1): never its key. */
struct sdp_crypto {
	unsigned long tag;
	char *suite;		/* "AES_CM_128_HMAC_SHA1_80" */
	char *key_method;	/* "inline" (its key and salt are not kept) */
	size_t n_keys;		/* key-params given */
};

/* One m= line and its attributes. */
struct sdp_media {
	char *media;		/* "audio", "video", ... */
	long port;
	char *proto;		/* "RTP/SAVP", "RTP/AVP", "UDP/TLS/RTP/SAVP" */
	char *formats;		/* "0 8 101" */
	struct sdp_crypto *crypto;
	size_t n_crypto;	/* kept: at most SDP_MAX_CRYPTO */
	size_t n_crypto_seen;	/* a=crypto lines, kept or not */
	char *fingerprint_hash;	/* a=fingerprint hash function, or NULL */
	bool key_mgmt;		/* a=key-mgmt (MIKEY) */
};

struct sdp_facts {
	bool seen;		/* an SDP body was read */
	char *error;		/* why it could not be read, or NULL */
	struct sdp_media *media;
	size_t n_media;		/* kept: at most SDP_MAX_MEDIA */
	size_t n_media_seen;
	char *fingerprint_hash;	/* session-level a=fingerprint, or NULL */
};

struct client_facts {
	char *peer;		/* "ADDR:PORT" of the client */
	char *local;		/* "ADDR:PORT" it connected to */
	struct client_hello_facts hello;
	struct client_handshake_facts hs;
	struct client_sip_facts sip;
	struct sdp_facts sdp;
};

/* Everything empty; alerts and lengths "none" (-1). */
void client_facts_init(struct client_facts *);
/* Release what the struct owns; it may be re-initialised afterwards. */
void client_facts_free(struct client_facts *);
void sdp_facts_free(struct sdp_facts *);

/* "TLSv1.2" for 0x0303, "0x7f1c" for what is not a TLS version. */
const char *client_version_name(unsigned v, char buf[8]);
/* The TLS alert description's name ("unknown_ca"), or NULL. */
const char *client_alert_name(int desc);
const char *client_hs_outcome_name(enum client_hs_outcome);
const char *client_sip_state_name(enum client_sip_state);

#endif

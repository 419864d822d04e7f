/*
 * client_facts.c - the facts of one `listen` connection: setting up,
 * freeing, and the names of TLS versions and alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/client_facts.h"

void
client_facts_init(struct client_facts *c)
{
	memset(c, 0, sizeof(*c));
	c->hs.client_alert = -1;
	c->hs.server_alert = -1;
	c->sip.content_length = -1;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
sdp_facts_free(struct sdp_facts *d)
{
	size_t i, k;

	if (d == NULL)
		return;
	for (i = 0; i < d->n_media; i++) {
		for (k = 0; k < d->media[i].n_crypto; k++) {
			free(d->media[i].crypto[k].suite);
			free(d->media[i].crypto[k].key_method);
		}
		free(d->media[i].crypto);
		free(d->media[i].media);
		free(d->media[i].proto);
		free(d->media[i].formats);
		free(d->media[i].fingerprint_hash);
	}
	free(d->media);
	free(d->error);
	free(d->fingerprint_hash);
	memset(d, 0, sizeof(*d));
}

void
client_facts_free(struct client_facts *c)
{
	if (c == NULL)
		return;
	free(c->peer);
	free(c->local);
	free(c->hello.not_tls);
	free(c->hello.versions);
	free_list(c->hello.suites, c->hello.n_suites);
	free(c->hello.sni);
	free_list(c->hello.sigalgs, c->hello.n_sigalgs);
	free(c->hs.detail);
	free(c->hs.version);
	free(c->hs.cipher);
	free(c->sip.request_line);
	free(c->sip.method);
	free(c->sip.user_agent);
	free(c->sip.content_type);
	free(c->sip.error);
	sdp_facts_free(&c->sdp);
	client_facts_init(c);
}

const char *
client_version_name(unsigned v, char buf[8])
{
	switch (v) {
	case 0x0300:
		return "SSLv3";
	case 0x0301:
		return "TLSv1.0";
	case 0x0302:
		return "TLSv1.1";
	case 0x0303:
		return "TLSv1.2";
	case 0x0304:
		return "TLSv1.3";
	default:
		snprintf(buf, 8, "0x%04x", v & 0xffffu);
		return buf;
	}
}

/* RFC 8446 section 6 and the IANA TLS Alert Registry. */
const char *
client_alert_name(int desc)
{
	static const struct {
		int code;
		const char *name;
	} alerts[] = {
		{ 0, "close_notify" }, { 10, "unexpected_message" },
		{ 20, "bad_record_mac" }, { 22, "record_overflow" },
		{ 40, "handshake_failure" }, { 42, "bad_certificate" },
		{ 43, "unsupported_certificate" },
		{ 44, "certificate_revoked" }, { 45, "certificate_expired" },
		{ 46, "certificate_unknown" }, { 47, "illegal_parameter" },
		{ 48, "unknown_ca" }, { 49, "access_denied" },
		{ 50, "decode_error" }, { 51, "decrypt_error" },
		{ 70, "protocol_version" }, { 71, "insufficient_security" },
		{ 80, "internal_error" }, { 86, "inappropriate_fallback" },
		{ 90, "user_canceled" }, { 100, "no_renegotiation" },
		{ 109, "missing_extension" }, { 110, "unsupported_extension" },
		{ 112, "unrecognized_name" },
		{ 113, "bad_certificate_status_response" },
		{ 115, "unknown_psk_identity" },
		{ 116, "certificate_required" },
		{ 120, "no_application_protocol" },
	};
	size_t i;

	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (alerts[i].code == desc)
			return alerts[i].name;
	return NULL;
}

const char *
client_hs_outcome_name(enum client_hs_outcome o)
{
	static const char *const names[CLIENT_HS__MAX] = {
		[CLIENT_HS_NONE] = "none",
		[CLIENT_HS_COMPLETED] = "completed",
		[CLIENT_HS_CLIENT_ALERT] = "client_alert",
		[CLIENT_HS_SERVER_ALERT] = "server_alert",
		[CLIENT_HS_CLOSED] = "closed",
		[CLIENT_HS_TIMEOUT] = "timeout",
		[CLIENT_HS_ERROR] = "error",
	};

	return (unsigned)o < CLIENT_HS__MAX ? names[o] : "?";
}

const char *
client_sip_state_name(enum client_sip_state s)
{
	static const char *const names[CLIENT_SIP__MAX] = {
		[CLIENT_SIP_NOT_READ] = "not_read",
		[CLIENT_SIP_NONE] = "none",
		[CLIENT_SIP_REQUEST] = "request",
		[CLIENT_SIP_ERROR] = "error",
	};

	return (unsigned)s < CLIENT_SIP__MAX ? names[s] : "?";
}

/*
 * check_client.c - the rules for the other direction of the call, where
 * the customer's equipment is the TLS client of the carrier's SBC (the
 * `listen` command): client-tls12, client-cipher-allowed,
 * client-cipher-default, client-verifies-server, client-certificate,
 * sip-request, srtp-offer, srtp-suite.
 *
 * They read only the client's facts and the policy.  Every string in
 * struct client_facts is printable already, and holds no SDES key.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* The SDES suite every SBC supports (RFC 4568 section 6.2.1). */
#define SDES_BASELINE "AES_CM_128_HMAC_SHA1_80"

/* The client rules judge a ClientHello; without one they cannot. */
static bool
no_hello(const struct check_input *in, struct verdict *v)
{
	if (in->client == NULL) {
		verdict_set(v, STATUS_SKIP, -1, "not a client of listen");
		return true;
	}
	if (!in->client->hello.seen) {
		verdict_set(v, STATUS_SKIP, -1, "no ClientHello was received");
		return true;
	}
	return false;
}

static bool
offers_suite(const struct client_hello_facts *h, enum suite s)
{
	size_t i;

	for (i = 0; i < h->n_suites; i++)
		if (strcmp(h->suites[i], suite_iana_name(s)) == 0)
			return true;
	return false;
}

static bool
offers_version(const struct client_hello_facts *h, unsigned v)
{
	size_t i;

	for (i = 0; i < h->n_versions; i++)
		if (h->versions[i] == v)
			return true;
	return false;
}

/* "TLSv1.3, TLSv1.2" as offered. */
static char *
version_list(const struct client_hello_facts *h)
{
	struct buf b = { 0 };
	char tmp[8];
	size_t i;

	for (i = 0; i < h->n_versions; i++)
		buf_addf(&b, "%s%s", i ? ", " : "",
		    client_version_name(h->versions[i], tmp));
	if (b.len == 0)
		buf_adds(&b, "none");
	return buf_steal(&b);
}

/* carrier: "TLS 1.2 is the supported version." */
void
check_client_tls12(const struct check_input *in, struct verdict *v)
{
	const struct client_facts *c = in->client;
	char *list;

	if (c == NULL) {
		verdict_set(v, STATUS_SKIP, -1, "not a client of listen");
		return;
	}
	if (!c->hello.seen) {
		/* A client that never starts TLS does not offer TLS 1.2. */
		verdict_set(v, STATUS_FAIL, -1, "no TLS ClientHello: %s",
		    c->hs.detail != NULL ? c->hs.detail : "nothing received");
		return;
	}
	list = version_list(&c->hello);
	if (offers_version(&c->hello, 0x0303))
		verdict_set(v, STATUS_PASS, -1, "offers %s%s", list,
		    c->hello.has_supported_versions ? "" :
		    " (ClientHello version; no supported_versions extension)");
	else
		verdict_set(v, STATUS_FAIL, -1, "offers %s, not TLSv1.2: the "
		    "carrier's SBC speaks TLS 1.2 only", list);
	free(list);
}

/* Up to five of the suites the client offered, then "and N more". */
static char *
offered_sample(const struct client_hello_facts *h)
{
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < h->n_suites && i < 5; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", h->suites[i]);
	if (h->n_suites > 5)
		buf_addf(&b, " and %zu more", h->n_suites - 5);
	if (b.len == 0)
		buf_adds(&b, "no suite");
	return buf_steal(&b);
}

/*
 * carrier: "Cipher suites: TLS_RSA_WITH_AES_128_CBC_SHA,
 * TLS_RSA_WITH_AES_128_CBC_SHA256, TLS_RSA_WITH_AES_256_CBC_SHA256."
 */
void
check_client_cipher_allowed(const struct check_input *in, struct verdict *v)
{
	struct buf ok = { 0 }, all = { 0 };
	char *sample;
	int i;

	if (no_hello(in, v))
		return;
	for (i = 0; i < SUITE__MAX; i++) {
		if (!(in->policy->suites & (1u << i)))
			continue;
		buf_addf(&all, "%s%s", all.len ? ", " : "",
		    suite_openssl_name((enum suite)i));
		if (offers_suite(&in->client->hello, (enum suite)i))
			buf_addf(&ok, "%s%s", ok.len ? ", " : "",
			    suite_openssl_name((enum suite)i));
	}
	if (all.len == 0)
		verdict_set(v, STATUS_SKIP, -1, "the policy allows no suite");
	else if (ok.len > 0)
		verdict_set(v, STATUS_PASS, -1, "offers %s (%zu suites "
		    "offered in all)", ok.ptr, in->client->hello.n_suites);
	else {
		sample = offered_sample(&in->client->hello);
		verdict_set(v, STATUS_FAIL, -1, "offers none of %s; it offers "
		    "%s", all.ptr, sample);
		free(sample);
	}
	buf_free(&ok);
	buf_free(&all);
}

/* carrier: "TLS_RSA_WITH_AES_128_CBC_SHA (AES128-SHA, the default)". */
void
check_client_cipher_default(const struct check_input *in, struct verdict *v)
{
	int d = in->policy->default_suite;

	if (no_hello(in, v))
		return;
	if (d < 0 || d >= SUITE__MAX || !(in->policy->suites & (1u << d))) {
		verdict_set(v, STATUS_SKIP, -1, "the policy names no default "
		    "suite");
		return;
	}
	if (offers_suite(&in->client->hello, (enum suite)d))
		verdict_set(v, STATUS_PASS, -1, "offers %s (%s)",
		    suite_openssl_name((enum suite)d),
		    suite_iana_name((enum suite)d));
	else
		verdict_set(v, STATUS_FAIL, -1, "does not offer %s (%s), the "
		    "carrier's default", suite_openssl_name((enum suite)d),
		    suite_iana_name((enum suite)d));
}

/* Alerts that say "your certificate", RFC 8446 section 6.2. */
static bool
certificate_alert(int a)
{
	switch (a) {
	case 42:	/* bad_certificate */
	case 43:	/* unsupported_certificate */
	case 44:	/* certificate_revoked */
	case 45:	/* certificate_expired */
	case 46:	/* certificate_unknown */
	case 48:	/* unknown_ca */
		return true;
	default:
		return false;
	}
}

/*
 * RFC 5922 section 7.2 / RFC 5246 section 7.4.2: a client authenticates
 * the server's certificate.  Only the throw-away certificate can tell:
 * a client that completes the handshake with it would complete it with
 * anyone.  An end that is not clearly about the certificate fails, with
 * the reason: no pass without evidence.
 */
void
check_client_verifies_server(const struct check_input *in, struct verdict *v)
{
	const struct client_handshake_facts *hs;
	const char *an;

	if (no_hello(in, v))
		return;
	hs = &in->client->hs;
	if (!hs->throwaway) {
		verdict_set(v, STATUS_SKIP, -1, "a certificate was given "
		    "(--cert): run without --cert to present the throw-away "
		    "certificate");
		return;
	}
	if (hs->outcome == CLIENT_HS_COMPLETED) {
		verdict_set(v, STATUS_FAIL, -1, "the client completed the "
		    "handshake with the throw-away self-signed certificate: "
		    "it would talk to anyone claiming to be the carrier");
		return;
	}
	if (!hs->cert_sent) {
		verdict_set(v, STATUS_SKIP, -1, "the handshake ended before "
		    "our certificate was sent: %s", hs->detail != NULL ?
		    hs->detail : "?");
		return;
	}
	an = client_alert_name(hs->client_alert);
	if (hs->outcome == CLIENT_HS_CLIENT_ALERT &&
	    certificate_alert(hs->client_alert))
		verdict_set(v, STATUS_PASS, -1, "the client refused the "
		    "throw-away certificate with alert %s", an);
	else
		verdict_set(v, STATUS_FAIL, -1, "not shown: %s; a client that "
		    "checks the certificate refuses it with a certificate "
		    "alert (unknown_ca, bad_certificate)", hs->detail != NULL ?
		    hs->detail : "the handshake did not complete");
}

/* carrier: a client certificate, when the carrier asks for one. */
void
check_client_certificate(const struct check_input *in, struct verdict *v)
{
	const struct client_handshake_facts *hs;

	if (no_hello(in, v))
		return;
	hs = &in->client->hs;
	if (!hs->client_cert_asked) {
		verdict_set(v, STATUS_SKIP, -1, "not asked for "
		    "(--require-client-cert)");
		return;
	}
	/* Asked for with --require-client-cert: a missing one is an error. */
	v->severity = SEV_ERROR;
	if (hs->outcome == CLIENT_HS_COMPLETED && hs->client_cert_sent &&
	    in->chain != NULL)
		verdict_set(v, STATUS_PASS, (int)in->chain->leaf,
		    "the client presented %s "
		    "(%zu certificate%s); the offline rules judge it",
		    in->chain->certs[in->chain->leaf].subject, in->chain->n,
		    in->chain->n == 1 ? "" : "s");
	else if (hs->outcome == CLIENT_HS_COMPLETED)
		verdict_set(v, STATUS_FAIL, -1, "asked for a certificate, the "
		    "client presented none");
	else
		verdict_set(v, STATUS_SKIP, -1, "the handshake did not "
		    "complete: %s", hs->detail != NULL ? hs->detail : "?");
}

/* RFC 3261 section 18: a request over the TLS connection. */
void
check_sip_request(const struct check_input *in, struct verdict *v)
{
	const struct client_sip_facts *sip;

	if (no_hello(in, v))
		return;
	sip = &in->client->sip;
	switch (sip->state) {
	case CLIENT_SIP_NOT_READ:
		verdict_set(v, STATUS_SKIP, -1, "the TLS handshake did not "
		    "complete");
		break;
	case CLIENT_SIP_REQUEST:
		if (sip->response_code > 0)
			verdict_set(v, STATUS_PASS, -1, "%s (User-Agent: %s); "
			    "answered %d", sip->request_line,
			    sip->user_agent != NULL ? sip->user_agent : "none",
			    sip->response_code);
		else
			verdict_set(v, STATUS_PASS, -1, "%s (User-Agent: %s)%s%s",
			    sip->request_line, sip->user_agent != NULL ?
			    sip->user_agent : "none", sip->error != NULL ?
			    "; " : "", sip->error != NULL ? sip->error : "");
		break;
	case CLIENT_SIP_NONE:
	case CLIENT_SIP_ERROR:
	default:
		verdict_set(v, STATUS_FAIL, -1, "no SIP request: %s",
		    sip->error != NULL ? sip->error : "nothing was read");
		break;
	}
}

/* The INVITE and its offer, or a skip that says why there is none. */
static bool
no_offer(const struct check_input *in, struct verdict *v)
{
	const struct client_sip_facts *sip;

	if (no_hello(in, v))
		return true;
	sip = &in->client->sip;
	if (sip->state != CLIENT_SIP_REQUEST) {
		verdict_set(v, STATUS_SKIP, -1, "no SIP request was read");
		return true;
	}
	if (strcmp(sip->method, "INVITE") != 0) {
		verdict_set(v, STATUS_SKIP, -1, "the client sent %s, not "
		    "INVITE: place a test call to the listener", sip->method);
		return true;
	}
	return false;
}

static bool
is_proto(const char *proto, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(proto, *list) == 0)
			return true;
	return false;
}

/*
 * How one audio line keys SRTP: SRTP_SDES, SRTP_DTLS, or 0 with *why
 * set to the reason it offers no usable keying.
 */
static unsigned
line_keying(const struct sdp_facts *d, const struct sdp_media *m,
    char **why)
{
	static const char *const savp[] = { "RTP/SAVP", "RTP/SAVPF", NULL };
	static const char *const avp[] = { "RTP/AVP", "RTP/AVPF", NULL };
	static const char *const dtls[] = { "UDP/TLS/RTP/SAVP",
	    "UDP/TLS/RTP/SAVPF", "TCP/TLS/RTP/SAVP", "TCP/TLS/RTP/SAVPF",
	    NULL };

	if (is_proto(m->proto, savp)) {
		if (m->n_crypto > 0)
			return SRTP_SDES;
		*why = xasprintf("%s without a usable a=crypto line: no SDES "
		    "keys offered%s", m->proto, m->key_mgmt ? " (MIKEY "
		    "a=key-mgmt is not SDES)" : "");
		return 0;
	}
	if (is_proto(m->proto, dtls)) {
		if (m->fingerprint_hash != NULL || d->fingerprint_hash != NULL)
			return SRTP_DTLS;
		*why = xasprintf("%s without a=fingerprint", m->proto);
		return 0;
	}
	if (is_proto(m->proto, avp)) {
		*why = m->n_crypto > 0 ? xasprintf("%s with a=crypto is "
		    "best-effort SRTP: the answer may choose plain RTP; "
		    "offer RTP/SAVP", m->proto) : xasprintf("plain %s: media "
		    "would be unencrypted", m->proto);
		return 0;
	}
	*why = xasprintf("unknown media protocol %s", m->proto);
	return 0;
}

/* "m=audio 10000 RTP/SAVP" */
static void
add_line(struct buf *b, const struct sdp_media *m)
{
	buf_addf(b, "%sm=%s %ld %s", b->len ? "; " : "", m->media, m->port,
	    m->proto);
}

/* carrier: SRTP for the media of every call (SDES, RFC 4568). */
void
check_srtp_offer(const struct check_input *in, struct verdict *v)
{
	const struct sdp_facts *d;
	const struct sdp_media *m;
	struct buf good = { 0 }, bad = { 0 };
	unsigned k, allowed = in->policy->srtp;
	size_t i, active = 0;
	char *why;

	if (no_offer(in, v))
		return;
	d = &in->client->sdp;
	if (d->error != NULL) {
		verdict_set(v, STATUS_FAIL, -1, "the SDP offer could not be "
		    "read: %s", d->error);
		return;
	}
	if (!d->seen) {
		verdict_set(v, STATUS_SKIP, -1, "the INVITE carries no SDP (a "
		    "late offer): nothing to judge");
		return;
	}
	for (i = 0; i < d->n_media; i++) {
		m = &d->media[i];
		if (strcmp(m->media, "audio") != 0 || m->port == 0)
			continue;
		active++;
		why = NULL;
		k = line_keying(d, m, &why);
		if (k != 0 && (k & allowed)) {
			add_line(&good, m);
			if (k == SRTP_SDES)
				buf_addf(&good, " with %zu a=crypto line%s "
				    "(SDES)", m->n_crypto,
				    m->n_crypto == 1 ? "" : "s");
			else
				buf_adds(&good, " with a=fingerprint "
				    "(DTLS-SRTP)");
			continue;
		}
		add_line(&bad, m);
		if (k != 0)
			buf_addf(&bad, ": %s, which the policy does not accept "
			    "(srtp = %s)", k == SRTP_SDES ? "SDES" :
			    "DTLS-SRTP", srtp_policy_name(allowed));
		else
			buf_addf(&bad, ": %s", why);
		free(why);
	}
	if (active == 0)
		verdict_set(v, STATUS_FAIL, -1, "no active audio line (m=audio "
		    "with a port other than 0) in the offer");
	else if (bad.len > 0)
		verdict_set(v, STATUS_FAIL, -1, "%s", bad.ptr);
	else
		verdict_set(v, STATUS_PASS, -1, "%s", good.ptr);
	buf_free(&good);
	buf_free(&bad);
}

/* Is name one of the ", "-separated names in list? */
static bool
listed(const struct buf *list, const char *name)
{
	const char *p = list->ptr;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && (p[n] == '\0' || p[n] == ','))
			return true;
		if ((p = strchr(p, ',')) != NULL)
			p += 2;
	}
	return false;
}

/* RFC 4568 section 6.2: AES_CM_128_HMAC_SHA1_80 is the suite all support. */
void
check_srtp_suite(const struct check_input *in, struct verdict *v)
{
	const struct sdp_facts *d;
	const struct sdp_media *m;
	struct buf offered = { 0 };
	size_t i, k, lines = 0, with = 0;
	bool has;

	if (no_offer(in, v))
		return;
	d = &in->client->sdp;
	if (!d->seen || d->error != NULL) {
		verdict_set(v, STATUS_SKIP, -1, "no SDP offer was read "
		    "(srtp-offer says why)");
		return;
	}
	for (i = 0; i < d->n_media; i++) {
		m = &d->media[i];
		if (strcmp(m->media, "audio") != 0 || m->port == 0 ||
		    m->n_crypto == 0)
			continue;
		lines++;
		has = false;
		for (k = 0; k < m->n_crypto; k++) {
			if (strcmp(m->crypto[k].suite, SDES_BASELINE) == 0)
				has = true;
			if (!listed(&offered, m->crypto[k].suite))
				buf_addf(&offered, "%s%s", offered.len ? ", " :
				    "", m->crypto[k].suite);
		}
		if (has)
			with++;
	}
	if (lines == 0)
		verdict_set(v, STATUS_SKIP, -1, "no a=crypto line on an active "
		    "audio line (srtp-offer says why)");
	else if (with == lines)
		verdict_set(v, STATUS_PASS, -1, "%s offered (all: %s)",
		    SDES_BASELINE, offered.ptr);
	else
		verdict_set(v, STATUS_FAIL, -1, "offered %s; not %s%s, the "
		    "suite every SBC supports", offered.ptr, SDES_BASELINE,
		    lines > 1 ? " on every audio line" : "");
	buf_free(&offered);
}

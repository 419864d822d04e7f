/*
 * client.c - a client of `listen` in a few lines of words, for the
 * formats meant for people (text, markdown, html): what it offered, how
 * the handshake ended, its SIP request and its SDP offer.  The SDES keys
 * were never kept; the lines say where they would be.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* "TLSv1.2, TLSv1.3 offered; 12 suites (allowed: AES128-SHA); SNI x" */
static char *
hello_line(const struct client_facts *c)
{
	const struct client_hello_facts *h = &c->hello;
	struct buf b = { 0 }, ok = { 0 };
	char tmp[8];
	size_t i;
	int s;

	if (!h->seen)
		return xasprintf("no ClientHello%s%s", c->hs.detail != NULL ?
		    ": " : "", c->hs.detail != NULL ? c->hs.detail : "");
	for (i = 0; i < h->n_versions; i++)
		buf_addf(&b, "%s%s", i ? ", " : "",
		    client_version_name(h->versions[i], tmp));
	for (s = 0; s < SUITE__MAX; s++)
		for (i = 0; i < h->n_suites; i++)
			if (strcmp(h->suites[i],
			    suite_iana_name((enum suite)s)) == 0)
				buf_addf(&ok, "%s%s", ok.len ? ", " : "",
				    suite_openssl_name((enum suite)s));
	buf_addf(&b, " offered; %zu suite%s (allowed: %s)", h->n_suites,
	    h->n_suites == 1 ? "" : "s", ok.len ? ok.ptr : "none");
	buf_addf(&b, "; SNI %s", h->sni != NULL ? h->sni : "none");
	buf_free(&ok);
	return buf_steal(&b);
}

static char *
sip_line(const struct client_sip_facts *sip)
{
	struct buf b = { 0 };

	if (sip->state == CLIENT_SIP_NOT_READ)
		return NULL;
	if (sip->state != CLIENT_SIP_REQUEST)
		return xasprintf("no request: %s", sip->error != NULL ?
		    sip->error : "nothing read");
	buf_adds(&b, sip->request_line);
	if (sip->user_agent != NULL)
		buf_addf(&b, "; User-Agent: %s", sip->user_agent);
	if (sip->response_code > 0)
		buf_addf(&b, "; answered %d", sip->response_code);
	if (sip->error != NULL)
		buf_addf(&b, "; %s", sip->error);
	return buf_steal(&b);
}

void
report_client_lines(const struct client_facts *c, client_line_fn fn,
    void *arg)
{
	const struct sdp_media *m;
	size_t i, k;
	char *line;

	line = hello_line(c);
	fn(arg, "hello", line);
	free(line);
	if (c->hello.seen) {
		line = xasprintf("%s%s", c->hs.detail != NULL ? c->hs.detail :
		    "?", c->hs.throwaway ? " (we presented the throw-away "
		    "certificate)" : "");
		fn(arg, "tls", line);
		free(line);
	}
	if ((line = sip_line(&c->sip)) != NULL) {
		fn(arg, "sip", line);
		free(line);
	}
	if (c->sdp.error != NULL)
		fn(arg, "sdp", c->sdp.error);
	if (c->sdp.fingerprint_hash != NULL) {
		line = xasprintf("a=fingerprint:%s (for every media line)",
		    c->sdp.fingerprint_hash);
		fn(arg, "sdp", line);
		free(line);
	}
	for (i = 0; i < c->sdp.n_media; i++) {
		m = &c->sdp.media[i];
		line = xasprintf("m=%s %ld %s %s%s%s", m->media, m->port,
		    m->proto, m->formats, m->fingerprint_hash != NULL ?
		    "; a=fingerprint:" : "", m->fingerprint_hash != NULL ?
		    m->fingerprint_hash : "");
		fn(arg, "sdp", line);
		free(line);
		for (k = 0; k < m->n_crypto; k++) {
			line = xasprintf("  a=crypto:%lu %s %s:<key not shown>%s",
			    m->crypto[k].tag, m->crypto[k].suite,
			    m->crypto[k].key_method, m->crypto[k].n_keys > 1 ?
			    " (and more keys)" : "");
			fn(arg, "sdp", line);
			free(line);
		}
	}
	if (c->sdp.n_media_seen > c->sdp.n_media) {
		line = xasprintf("and %zu more m= lines", c->sdp.n_media_seen -
		    c->sdp.n_media);
		fn(arg, "sdp", line);
		free(line);
	}
}

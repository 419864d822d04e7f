/*
 * listen_sdp.c - the SDP offer of an INVITE, as far as SRTP is
 * concerned: RFC 8866 (lines "x=value", the m= line: media, port,
 * proto, formats), RFC 4568 section 9.1 (a=crypto:tag suite key-params
 * [session-params]; key-params are "method:info" joined by ';'),
 * RFC 8122 section 5 (a=fingerprint:hash-func fingerprint), RFC 4567
 * (a=key-mgmt, MIKEY).
 *
 * The key and salt after "inline:" are secret: they are skipped over,
 * never copied, so no report, log or test output can show them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "probe/listen.h"

/* The longest token kept from a line; longer ones are cut. */
#define SDP_TOKEN_MAX 64

/* [p, p + n) escaped, at most max bytes of it. */
static char *
kept(const char *p, size_t n, size_t max)
{
	return esc_printable((const unsigned char *)p, n < max ? n : max);
}

/* The next run of non-blank bytes at *p (before end); advances *p past it. */
static size_t
next_word(const char **p, const char *end, const char **word)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*word = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*p = s;
	return (size_t)(s - *word);
}

static bool
all_of(const char *p, size_t n, const char *extra)
{
	size_t i;

	if (n == 0)
		return false;
	/* strchr() finds a NUL in every string: test it apart. */
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) &&
		    (p[i] == '\0' || strchr(extra, p[i]) == NULL))
			return false;
	return true;
}

static void
set_error(struct sdp_facts *out, const char *what, const char *line,
    size_t n)
{
	char *esc;

	if (out->error != NULL)
		return;		/* the first fault is the one reported */
	esc = kept(line, n, 60);
	out->error = xasprintf("%s: \"%s%s\"", what, esc, n > 60 ? "..." : "");
	free(esc);
}

/* m=<media> <port>[/<count>] <proto> <fmt> ... */
static void
media_line(struct sdp_facts *out, const char *line, size_t n)
{
	const char *p = line + 2, *end = line + n, *w;
	const char *media, *port, *proto;
	size_t lm, lp, lpr, i;
	struct sdp_media *m;
	long pn = 0;

	out->n_media_seen++;
	lm = next_word(&p, end, &media);
	lp = next_word(&p, end, &port);
	lpr = next_word(&p, end, &proto);
	if (!all_of(media, lm, "-_") || lpr == 0 ||
	    !all_of(proto, lpr, "/_.-") || lp == 0 ||
	    !isdigit((unsigned char)port[0])) {
		set_error(out, "malformed m= line", line, n);
		return;
	}
	for (i = 0; i < lp && isdigit((unsigned char)port[i]) && pn <= 65535;
	    i++)
		pn = pn * 10 + (port[i] - '0');
	if (pn > 65535 || (i < lp && port[i] != '/')) {
		set_error(out, "malformed port in m= line", line, n);
		return;
	}
	if (out->n_media == SDP_MAX_MEDIA)
		return;
	out->media = xreallocarray(out->media, out->n_media + 1,
	    sizeof(*out->media));
	m = &out->media[out->n_media++];
	memset(m, 0, sizeof(*m));
	m->media = kept(media, lm, SDP_TOKEN_MAX);
	for (char *c = m->media; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	m->port = pn;
	m->proto = kept(proto, lpr, SDP_TOKEN_MAX);
	for (w = p; w < end && (*w == ' ' || *w == '\t'); w++)
		;
	m->formats = kept(w, (size_t)(end - w), 256);
}

/* a=crypto:<tag> <crypto-suite> <key-params> [<session-params>] */
static void
crypto_line(struct sdp_facts *out, struct sdp_media *m, const char *line,
    size_t n)
{
	const char *p = line + strlen("a=crypto:"), *end = line + n;
	const char *tag, *suite, *keys, *colon;
	size_t lt, ls, lk, i, nkeys = 1;
	unsigned long t = 0;
	struct sdp_crypto *c;

	m->n_crypto_seen++;
	lt = next_word(&p, end, &tag);
	ls = next_word(&p, end, &suite);
	lk = next_word(&p, end, &keys);
	if (lt == 0 || lt > 9 || !all_of(tag, lt, "") || !all_of(suite, ls,
	    "_") || lk == 0 || (colon = memchr(keys, ':', lk)) == NULL ||
	    !all_of(keys, (size_t)(colon - keys), "-_")) {
		/* Quote the line only up to its suite: never a key. */
		set_error(out, "malformed a=crypto line", line,
		    ls > 0 ? (size_t)(suite + ls - line) : (size_t)(tag + lt -
		    line));
		return;
	}
	for (i = 0; i < lt; i++) {
		if (!isdigit((unsigned char)tag[i]))
			break;
		t = t * 10 + (unsigned long)(tag[i] - '0');
	}
	if (i < lt) {
		set_error(out, "malformed a=crypto tag", line,
		    (size_t)(tag + lt - line));
		return;
	}
	for (i = 0; i < lk; i++)
		if (keys[i] == ';')
			nkeys++;
	if (m->n_crypto == SDP_MAX_CRYPTO)
		return;
	m->crypto = xreallocarray(m->crypto, m->n_crypto + 1,
	    sizeof(*m->crypto));
	c = &m->crypto[m->n_crypto++];
	c->tag = t;
	c->suite = kept(suite, ls, SDP_TOKEN_MAX);
	c->key_method = kept(keys, (size_t)(colon - keys), SDP_TOKEN_MAX);
	c->n_keys = nkeys;
}

/* a=fingerprint:<hash-func> <fingerprint>: the hash function only. */
static char *
fingerprint_hash(const char *line, size_t n)
{
	const char *p = line + strlen("a=fingerprint:"), *end = line + n, *h;
	size_t lh = next_word(&p, end, &h);
	char *s;

	if (lh == 0 || !all_of(h, lh, "-"))
		return xstrdup("?");
	s = kept(h, lh, 16);
	for (char *c = s; *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	return s;
}

static bool
starts(const char *line, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(line, prefix, k) == 0;
}

void
sdp_parse(const char *body, size_t len, struct sdp_facts *out)
{
	const char *line = body, *end = body + len, *nl;
	struct sdp_media *m;
	bool first = true, in_media = false;
	size_t n;

	out->seen = true;
	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		if (first) {
			first = false;
			if (!starts(line, n, "v=")) {
				set_error(out, "not an SDP body (no v= line "
				    "first)", line, n);
				return;
			}
			continue;
		}
		if (starts(line, n, "m=")) {
			size_t before = out->n_media;

			media_line(out, line, n);
			/* The attributes of a line not kept are not read. */
			in_media = out->n_media > before;
			continue;
		}
		if (starts(line, n, "a=fingerprint:")) {
			if (in_media) {
				m = &out->media[out->n_media - 1];
				if (m->fingerprint_hash == NULL)
					m->fingerprint_hash =
					    fingerprint_hash(line, n);
			} else if (out->n_media_seen == 0 &&
			    out->fingerprint_hash == NULL)
				out->fingerprint_hash = fingerprint_hash(line, n);
			continue;
		}
		if (!in_media)
			continue;
		m = &out->media[out->n_media - 1];
		if (starts(line, n, "a=crypto:"))
			crypto_line(out, m, line, n);
		else if (starts(line, n, "a=key-mgmt:"))
			m->key_mgmt = true;
	}
	if (first)
		out->error = xstrdup("empty SDP body");
}

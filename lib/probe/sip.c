/*
 * sip.c - the SIP OPTIONS request the probe sends over TLS, and the
 * reading of the answer.  RFC 3261: section 8.1.1 (the mandatory header
 * fields), 8.1.1.7 (the branch's magic cookie), 11 (OPTIONS), 20.14
 * (Content-Length; "l" is its compact form).
 *
 * No I/O here: probe_tls.c moves the bytes, the unit tests drive these
 * functions directly.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/rand.h>

#include "core/esc.h"
#include "probe/probe.h"

/* A response whose header is longer than this is not worth waiting for. */
#define SIP_MAX_HEADER 16384

/* host, or [host] when it is an IPv6 literal. */
static void
add_host(struct buf *b, const char *host)
{
	if (strchr(host, ':') != NULL)
		buf_addf(b, "[%s]", host);
	else
		buf_adds(b, host);
}

char *
sip_build_options(const struct sip_request_params *p)
{
	struct buf b = { 0 };

	buf_adds(&b, "OPTIONS sip:");
	add_host(&b, p->target_host);
	buf_addf(&b, ":%d;transport=tls SIP/2.0\r\n", p->target_port);
	buf_adds(&b, "Via: SIP/2.0/TLS ");
	add_host(&b, p->local_ip);
	buf_addf(&b, ":%d;branch=z9hG4bK%s;rport\r\n", p->local_port,
	    p->branch);
	buf_adds(&b, "Max-Forwards: 70\r\n");
	buf_adds(&b, "From: <sip:bwcertcheck@");
	add_host(&b, p->local_ip);
	buf_addf(&b, ">;tag=%s\r\n", p->tag);
	buf_adds(&b, "To: <sip:");
	add_host(&b, p->target_host);
	buf_adds(&b, ">\r\n");
	buf_addf(&b, "Call-ID: %s\r\n", p->call_id);
	buf_adds(&b, "CSeq: 1 OPTIONS\r\n");
	buf_adds(&b, "Contact: <sip:bwcertcheck@");
	add_host(&b, p->local_ip);
	buf_addf(&b, ":%d;transport=tls>\r\n", p->local_port);
	buf_adds(&b, "Accept: application/sdp\r\n");
	buf_adds(&b, "User-Agent: bwcertcheck/" BWC_VERSION "\r\n");
	buf_adds(&b, "Content-Length: 0\r\n\r\n");
	return buf_steal(&b);
}

int
sip_random_token(char *buf, size_t len)
{
	unsigned char raw[32];
	size_t i, n = (len - 1) / 2 + 1;
	static const char hex[] = "0123456789abcdef";

	if (len < 2 || n > sizeof(raw) || RAND_bytes(raw, (int)n) != 1)
		return -1;
	for (i = 0; i + 1 < len; i++)
		buf[i] = hex[(raw[i / 2] >> (i % 2 ? 0 : 4)) & 0xf];
	buf[len - 1] = '\0';
	return 0;
}

const char *
sip_header_end(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return p + i + 2;
		if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n')
			return p + i + 3;
	}
	return NULL;
}

/*
 * The value of the first header field called name (or compact, a
 * one-letter form, unless 0) in the header block [p, end): its first
 * byte past the blanks, and in *vend its end (before any CR and
 * trailing blanks).  NULL when there is none.
 */
static const char *
header_value(const char *p, const char *end, const char *name, char compact,
    const char **vend)
{
	const char *line, *nl, *v, *e;
	size_t nlen, want = strlen(name);

	for (line = p; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			break;
		v = memchr(line, ':', (size_t)(nl - line));
		if (v == NULL)
			continue;
		nlen = (size_t)(v - line);
		while (nlen > 0 && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
			nlen--;
		if (!((nlen == want && strncasecmp(line, name, want) == 0) ||
		    (compact != 0 && nlen == 1 &&
		    tolower((unsigned char)line[0]) == compact)))
			continue;
		v++;
		while (v < nl && (*v == ' ' || *v == '\t'))
			v++;
		for (e = nl; e > v && (e[-1] == '\r' || e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
		*vend = e;
		return v;
	}
	return NULL;
}

/*
 * The Content-Length of the header block [p, end), 0 when absent, -1
 * when malformed.
 */
static long
content_length(const char *p, const char *end)
{
	const char *v, *vend;
	long n;
	char *stop;

	if ((v = header_value(p, end, "Content-Length", 'l', &vend)) == NULL)
		return 0;
	if (v == vend || !isdigit((unsigned char)*v))
		return -1;
	n = strtol(v, &stop, 10);
	if (n < 0 || n > SIP_MAX_HEADER * 64)
		return -1;
	return n;
}

char *
sip_not_sip(const char *what, const char *p, size_t left)
{
	size_t n = 0;
	char *esc, *msg;

	while (n < left && n < 60 && p[n] != '\r' && p[n] != '\n')
		n++;
	esc = esc_printable((const unsigned char *)p, n);
	msg = xasprintf("not a SIP %s: \"%s%s\"", what, esc, n == 60 ?
	    "..." : "");
	free(esc);
	return msg;
}

/* The error for bytes that are not a SIP response. */
static int
not_sip(const char *p, size_t left, char **err)
{
	*err = sip_not_sip("response", p, left);
	return -1;
}

int
sip_parse_response(const char *buf, size_t len, int *code,
    char **status_line, char **server, char **err)
{
	const char *p = buf, *end, *eol, *v, *vend;
	size_t left = len, line_len;
	long body;
	int c;

	for (;;) {
		/* Keep-alive CRLFs (RFC 5626 section 4.4.1) may come first. */
		while (left > 0 && (*p == '\r' || *p == '\n')) {
			p++;
			left--;
		}
		if (memcmp(p, "SIP/2.0 ", left < 8 ? left : 8) != 0)
			return not_sip(p, left, err);
		if ((end = sip_header_end(p, left)) == NULL) {
			if (left > SIP_MAX_HEADER) {
				*err = xstrdup("SIP response header too long");
				return -1;
			}
			return 0;
		}
		if (end - p < 13)
			return not_sip(p, left, err);
		if (!isdigit((unsigned char)p[8]) ||
		    !isdigit((unsigned char)p[9]) ||
		    !isdigit((unsigned char)p[10]) ||
		    (p[11] != ' ' && p[11] != '\r' && p[11] != '\n')) {
			*err = xstrdup("malformed SIP status line");
			return -1;
		}
		c = (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
		if (c < 100 || c > 699) {
			*err = xasprintf("SIP status code %d out of range", c);
			return -1;
		}
		if (c >= 200) {
			eol = memchr(p, '\n', (size_t)(end - p));
			line_len = (size_t)(eol - p);
			if (line_len > 0 && p[line_len - 1] == '\r')
				line_len--;
			*code = c;
			*status_line = esc_printable((const unsigned char *)p,
			    line_len);
			if (server != NULL)
				*server = (v = header_value(p, end, "Server", 0,
				    &vend)) != NULL ? esc_printable(
				    (const unsigned char *)v, (size_t)(vend - v)) :
				    NULL;
			return 1;
		}
		/* A provisional response: skip it and its body. */
		if ((body = content_length(p, end)) < 0) {
			*err = xstrdup("malformed Content-Length in a SIP response");
			return -1;
		}
		if ((size_t)(end - p) + (size_t)body > left)
			return 0;
		left -= (size_t)(end - p) + (size_t)body;
		p = end + body;
	}
}

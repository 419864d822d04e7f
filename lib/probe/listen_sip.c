/*
 * listen_sip.c - the first SIP request a client sends the listener, and
 * the answer: RFC 3261 section 7.1 (the Request-Line), 7.3 (header
 * fields; 7.3.1 folding, 7.3.3 compact forms), 8.2.6 (building a
 * response), 17.1.1.3 (an ACK is never answered), 20.14 (Content-Length).
 *
 * The client is untrusted: the header is bounded, NUL bytes and
 * malformed lengths end the parse, and only escaped copies go into the
 * facts.  No I/O here.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/esc.h"
#include "probe/listen.h"
#include "probe/probe.h"

/* RFC 3261 section 25.1: token characters. */
static bool
is_token_char(unsigned char c)
{
	/* strchr() finds a NUL in every string: test it apart. */
	return isalnum(c) || (c != '\0' && strchr("-.!%*_+`'~", c) != NULL);
}

/* "not a SIP request: "first line"" with the line quoted and escaped. */
static int
not_sip(const char *p, size_t left, char **err)
{
	*err = sip_not_sip("request", p, left);
	return -1;
}

/*
 * Check the Request-Line [p, p + n): Method SP Request-URI SP SIP/2.0.
 * Returns the method's length, or 0 when the line is not one.
 */
static size_t
request_line_ok(const char *p, size_t n)
{
	size_t m = 0, sp2;

	while (m < n && is_token_char((unsigned char)p[m]))
		m++;
	if (m == 0 || m >= n || p[m] != ' ')
		return 0;
	if (n < m + 1 + 1 + 8 || memcmp(p + n - 8, " SIP/2.0", 8) != 0)
		return 0;
	/* The Request-URI: one run of visible characters, no blanks. */
	for (sp2 = m + 1; sp2 < n - 8; sp2++)
		if (p[sp2] <= ' ' || p[sp2] == 0x7f)
			return 0;
	return m;
}

/* The compact form of a header field name (RFC 3261 section 7.3.3). */
static char
compact_of(const char *name)
{
	static const struct {
		const char *full;
		char compact;
	} forms[] = {
		{ "Via", 'v' }, { "From", 'f' }, { "To", 't' },
		{ "Call-ID", 'i' }, { "Content-Length", 'l' },
		{ "Content-Type", 'c' }, { "Contact", 'm' },
		{ "Supported", 'k' }, { "Content-Encoding", 'e' },
		{ "Subject", 's' },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (strcasecmp(forms[i].full, name) == 0)
			return forms[i].compact;
	return '\0';
}

static bool
field_is(const struct sip_field *f, const char *name)
{
	char c;

	if (strcasecmp(f->name, name) == 0)
		return true;
	c = compact_of(name);
	return c != '\0' && f->name[1] == '\0' &&
	    tolower((unsigned char)f->name[0]) == c;
}

const char *
sip_request_field(const struct sip_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_fields; i++)
		if (field_is(&req->fields[i], name))
			return req->fields[i].value;
	return NULL;
}

/* [p, p + n) without leading and trailing blanks, as a new string. */
static char *
trimmed(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return xstrndup(p, n);
}

/*
 * Content-Length (RFC 3261 section 20.14: 1*DIGIT).  Every such field
 * must agree.  Returns 0 with *out (-1 when absent), or -1 with *err.
 */
static int
content_length(const struct sip_request *req, long *out, char **err)
{
	const char *v;
	size_t i, k;
	long n;
	char *esc;

	*out = -1;
	for (i = 0; i < req->n_fields; i++) {
		if (!field_is(&req->fields[i], "Content-Length"))
			continue;
		v = req->fields[i].value;
		n = 0;
		for (k = 0; v[k] != '\0'; k++) {
			if (!isdigit((unsigned char)v[k]) || k >= 15)
				break;
			n = n * 10 + (v[k] - '0');
		}
		if (k == 0 || v[k] != '\0') {
			esc = esc_printable((const unsigned char *)v,
			    strnlen(v, 40));
			*err = xasprintf("malformed Content-Length \"%s\"", esc);
			free(esc);
			return -1;
		}
		if (*out != -1 && *out != n) {
			*err = xasprintf("two different Content-Length values "
			    "(%ld and %ld)", *out, n);
			return -1;
		}
		*out = n;
	}
	return 0;
}

int
sip_request_parse(const char *buf, size_t len, struct sip_request *req,
    char **err)
{
	const char *p = buf, *end, *line, *nl, *colon, *stop;
	size_t left = len, skip, n, mlen;
	struct sip_field *f;
	char *joined, *cont;

	memset(req, 0, sizeof(*req));
	req->content_length = -1;
	while (left > 0 && (*p == '\r' || *p == '\n')) {
		p++;
		left--;
	}
	skip = (size_t)(p - buf);
	if (left == 0)
		return 0;
	/* Refuse what cannot become a request line as soon as it shows. */
	for (n = 0; n < left && is_token_char((unsigned char)p[n]); n++)
		;
	if (n < left && (n == 0 || p[n] != ' '))
		return not_sip(p, left, err);
	end = sip_header_end(p, left);
	if (memchr(p, '\0', end != NULL ? (size_t)(end - p) : left) != NULL) {
		*err = xstrdup("a NUL byte in the SIP request header");
		return -1;
	}
	if (end == NULL) {
		if (left > LISTEN_SIP_MAX_HEADER) {
			*err = xasprintf("SIP request header longer than %d "
			    "bytes", LISTEN_SIP_MAX_HEADER);
			return -1;
		}
		return 0;
	}
	if ((size_t)(end - p) > LISTEN_SIP_MAX_HEADER) {
		*err = xasprintf("SIP request header longer than %d bytes",
		    LISTEN_SIP_MAX_HEADER);
		return -1;
	}
	/* A CR ends a line only before LF; alone it could split our answer. */
	for (n = 0; n + 1 < (size_t)(end - p); n++) {
		if (p[n] == '\r' && p[n + 1] != '\n') {
			*err = xstrdup("a bare CR in the SIP request header");
			return -1;
		}
	}
	req->header_len = skip + (size_t)(end - p);

	nl = memchr(p, '\n', (size_t)(end - p));
	n = (size_t)(nl - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	if ((mlen = request_line_ok(p, n)) == 0)
		return not_sip(p, left, err);
	req->line = xstrndup(p, n);
	req->method = xstrndup(p, mlen);

	for (line = nl + 1; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		n = (size_t)(nl - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0)
			break;		/* the blank line */
		if (line[0] == ' ' || line[0] == '\t') {
			/* A continuation of the previous field (7.3.1). */
			if (req->n_fields == 0)
				goto malformed;
			f = &req->fields[req->n_fields - 1];
			joined = trimmed(line, n);
			cont = xasprintf("%s%s%s", f->value, joined[0] ? " " :
			    "", joined);
			free(joined);
			free(f->value);
			f->value = cont;
			continue;
		}
		if ((colon = memchr(line, ':', n)) == NULL)
			goto malformed;
		for (stop = colon; stop > line && (stop[-1] == ' ' ||
		    stop[-1] == '\t'); stop--)
			;
		if (stop == line)
			goto malformed;
		for (const char *c = line; c < stop; c++)
			if (!is_token_char((unsigned char)*c))
				goto malformed;
		if (req->n_fields == LISTEN_SIP_MAX_FIELDS) {
			*err = xasprintf("more than %d SIP header fields",
			    LISTEN_SIP_MAX_FIELDS);
			goto fail;
		}
		req->fields = xreallocarray(req->fields, req->n_fields + 1,
		    sizeof(*req->fields));
		f = &req->fields[req->n_fields++];
		f->name = xstrndup(line, (size_t)(stop - line));
		f->value = trimmed(colon + 1, (size_t)(line + n - colon - 1));
	}
	if (content_length(req, &req->content_length, err) == -1)
		goto fail;
	return 1;

malformed:
	joined = esc_printable((const unsigned char *)line, n < 60 ? n : 60);
	*err = xasprintf("malformed SIP header line \"%s%s\"", joined,
	    n > 60 ? "..." : "");
	free(joined);
fail:
	sip_request_free(req);
	return -1;
}

void
sip_request_free(struct sip_request *req)
{
	size_t i;

	if (req == NULL)
		return;
	for (i = 0; i < req->n_fields; i++) {
		free(req->fields[i].name);
		free(req->fields[i].value);
	}
	free(req->fields);
	free(req->line);
	free(req->method);
	memset(req, 0, sizeof(*req));
	req->content_length = -1;
}

int
sip_answer_code(const char *method, const char **reason)
{
	/* Methods are case-sensitive (RFC 3261 section 7.1). */
	if (strcmp(method, "OPTIONS") == 0) {
		*reason = "OK";
		return 200;
	}
	if (strcmp(method, "INVITE") == 0) {
		*reason = "Not Acceptable Here";
		return 488;
	}
	if (strcmp(method, "ACK") == 0) {
		*reason = "";
		return 0;
	}
	*reason = "Not Implemented";
	return 501;
}

/* Does a To value carry a tag parameter (outside its <URI>)? */
static bool
has_tag(const char *to)
{
	const char *p = strrchr(to, '>');

	/* After a ';' at the end p is on the NUL: strchr() stops there. */
	for (p = p != NULL ? p : to; (p = strchr(p, ';')) != NULL;) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "tag", 3) == 0 &&
		    (p[3] == '=' || p[3] == ' ' || p[3] == '\t'))
			return true;
	}
	return false;
}

char *
sip_build_response(const struct sip_request *req, int code,
    const char *reason, const char *to_tag, char **err)
{
	static const char *const needed[] = { "Via", "From", "To", "Call-ID",
	    "CSeq" };
	struct buf b = { 0 };
	const char *to;
	size_t i;

	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		if (sip_request_field(req, needed[i]) == NULL) {
			*err = xasprintf("the request has no %s header field, "
			    "so no response can match it", needed[i]);
			return NULL;
		}
	}
	buf_addf(&b, "SIP/2.0 %d %s\r\n", code, reason);
	for (i = 0; i < req->n_fields; i++)
		if (field_is(&req->fields[i], "Via"))
			buf_addf(&b, "Via: %s\r\n", req->fields[i].value);
	buf_addf(&b, "From: %s\r\n", sip_request_field(req, "From"));
	to = sip_request_field(req, "To");
	if (has_tag(to) || code == 100)
		buf_addf(&b, "To: %s\r\n", to);
	else
		buf_addf(&b, "To: %s;tag=%s\r\n", to, to_tag);
	buf_addf(&b, "Call-ID: %s\r\n", sip_request_field(req, "Call-ID"));
	buf_addf(&b, "CSeq: %s\r\n", sip_request_field(req, "CSeq"));
	if (code == 200)
		buf_adds(&b, "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\n"
		    "Accept: application/sdp\r\n");
	if (code == 488)
		buf_adds(&b, "Warning: 399 bwcertcheck \"a test listener: the "
		    "offer was read, no call is set up\"\r\n");
	buf_adds(&b, "Server: bwcertcheck/" BWC_VERSION "\r\n");
	buf_adds(&b, "Content-Length: 0\r\n\r\n");
	return buf_steal(&b);
}

static void
set_escaped(char **dst, const char *src, size_t max)
{
	size_t n = strlen(src);

	free(*dst);
	*dst = esc_printable((const unsigned char *)src, n < max ? n : max);
}

void
sip_request_facts(const struct sip_request *req, struct client_sip_facts *out)
{
	const char *v;

	out->state = CLIENT_SIP_REQUEST;
	set_escaped(&out->request_line, req->line, 512);
	set_escaped(&out->method, req->method, 64);
	free(out->user_agent);
	out->user_agent = NULL;
	if ((v = sip_request_field(req, "User-Agent")) != NULL)
		set_escaped(&out->user_agent, v, 256);
	free(out->content_type);
	out->content_type = NULL;
	if ((v = sip_request_field(req, "Content-Type")) != NULL)
		set_escaped(&out->content_type, v, 128);
	out->content_length = req->content_length;
}

/*
 * probe_target.c - what to probe: HOST[:PORT] arguments, --targets
 * files, --shard slices and the order of SRV records.
 *
 * Pure parsing, no network: the unit tests drive it directly.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/fqdn.h"
#include "core/fileio.h"
#include "probe/probe.h"

/* A --targets file larger than this is refused. */
#define TARGETS_MAX_BYTES (4u * 1024 * 1024)

void
probe_target_free(struct probe_target *t)
{
	if (t == NULL)
		return;
	free(t->host);
	free(t->fqdn);
	free(t->origin);
	memset(t, 0, sizeof(*t));
}

void
probe_targets_free(struct probe_target *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		probe_target_free(&list[i]);
	free(list);
}

/* Parse a decimal port 1..65535 from the whole of s. */
static int
parse_port(const char *s, int *port)
{
	long v;

	if (!isdigit((unsigned char)*s) || parse_long(s, 1, 65535, &v) == -1)
		return -1;
	*port = (int)v;
	return 0;
}

int
probe_target_parse(const char *spec, int default_port,
    struct probe_target *t, char **err)
{
	char *host = NULL, *norm = NULL, *esc = NULL, *cause = NULL;
	const char *colon, *port_s = NULL;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	t->port = default_port;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':')) {
			esc = esc_quote(spec);
			*err = xasprintf("'%s': bad [IPv6] literal", esc);
			goto out;
		}
		host = xstrndup(spec + 1, (size_t)(close - spec - 1));
		if (close[1] == ':')
			port_s = close + 2;
	} else if ((colon = strchr(spec, ':')) != NULL &&
	    strchr(colon + 1, ':') != NULL) {
		host = xstrdup(spec);	/* a bare IPv6 literal */
	} else if (colon != NULL) {
		host = xstrndup(spec, (size_t)(colon - spec));
		port_s = colon + 1;
	} else
		host = xstrdup(spec);

	if (port_s != NULL && parse_port(port_s, &t->port) == -1) {
		esc = esc_quote(port_s);
		*err = xasprintf("bad port '%s' (1 to 65535)", esc);
		goto out;
	}
	if (host[0] == '\0') {
		*err = xstrdup("empty host name");
		goto out;
	}
	if (fqdn_is_ip_literal(host)) {
		struct sockaddr_storage ss;

		if (net_parse_ip(host, t->port, &ss, NULL) == -1) {
			esc = esc_quote(host);
			*err = xasprintf("'%s': bad IP address", esc);
			goto out;
		}
		t->host = host;
		host = NULL;
		t->host_is_ip = true;
		rc = 0;
		goto out;
	}
	if (spec[0] == '[') {
		esc = esc_quote(host);
		*err = xasprintf("'%s' in brackets is not an IPv6 address", esc);
		goto out;
	}
	if ((norm = fqdn_normalize(host, &cause)) == NULL) {
		esc = esc_quote(host);
		*err = xasprintf("'%s': %s", esc, cause);
		goto out;
	}
	t->host = norm;
	rc = 0;
out:
	if (rc == -1)
		probe_target_free(t);
	free(host);
	free(esc);
	free(cause);
	return rc;
}

/* Split off the next blank-separated word of *p; NULL at the end. */
static char *
next_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	w = s;
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return w;
}

int
probe_target_parse_line(const char *line, int default_port,
    struct probe_target *t, char **err)
{
	char *copy, *p, *hash, *spec, *fqdn, *extra, *esc = NULL, *cause = NULL;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	copy = xstrdup(line);
	if ((hash = strchr(copy, '#')) != NULL)
		*hash = '\0';
	copy[strcspn(copy, "\r\n")] = '\0';
	p = copy;
	if ((spec = next_word(&p)) == NULL) {
		rc = 0;
		goto out;
	}
	fqdn = next_word(&p);
	if ((extra = next_word(&p)) != NULL) {
		esc = esc_quote(extra);
		*err = xasprintf("unexpected '%s' (want HOST[:PORT] [FQDN])",
		    esc);
		goto out;
	}
	if (probe_target_parse(spec, default_port, t, err) == -1)
		goto out;
	if (fqdn != NULL && (t->fqdn = fqdn_normalize(fqdn, &cause)) == NULL) {
		esc = esc_quote(fqdn);
		*err = xasprintf("FQDN '%s': %s", esc, cause);
		goto out;
	}
	rc = 1;
out:
	if (rc == -1)
		probe_target_free(t);
	free(esc);
	free(cause);
	free(copy);
	return rc;
}

/* Bad lines named one by one; beyond this many they are counted. */
#define TARGETS_BAD_LISTED 10

/*
 * The next line of *p (ended by LF, CRLF or a lone CR, as files from
 * any system are), NUL-terminated in place; NULL at the end.
 */
static char *
next_line(char **p)
{
	char *line = *p, *end;

	if (line == NULL)
		return NULL;
	end = line + strcspn(line, "\r\n");
	if (*end == '\0')
		*p = NULL;
	else {
		*p = end + (end[0] == '\r' && end[1] == '\n' ? 2 : 1);
		*end = '\0';
	}
	return line;
}

int
probe_targets_load(const char *path, int default_port,
    struct probe_target **list, size_t *n, char **err)
{
	unsigned char *data = NULL;
	char *text = NULL, *line, *rest, *cause = NULL;
	struct buf bad = { 0 };
	size_t len, lineno = 0, nbad = 0;
	struct probe_target t;
	int rc = -1, r;

	if (fileio_read(path, TARGETS_MAX_BYTES, &data, &len, err) == -1)
		goto out;
	if (memchr(data, '\0', len) != NULL) {
		*err = xasprintf("%s: not a text file", path);
		goto out;
	}
	text = xstrndup((const char *)data, len);
	rest = text;
	/* A byte-order mark, as some Windows editors write, is no target. */
	if (strncmp(rest, "\xef\xbb\xbf", 3) == 0)
		rest += 3;
	while ((line = next_line(&rest)) != NULL) {
		lineno++;
		r = probe_target_parse_line(line, default_port, &t, &cause);
		if (r == -1) {
			if (++nbad <= TARGETS_BAD_LISTED)
				buf_addf(&bad, "\n%s:%zu: %s", path, lineno,
				    cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (r == 0 || nbad > 0) {
			if (r == 1)
				probe_target_free(&t);
			continue;
		}
		t.origin = xasprintf("%s:%zu", path, lineno);
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[(*n)++] = t;
	}
	if (nbad > 0) {
		*err = xasprintf("%s: %zu bad line%s%s: the file is refused, "
		    "no target in it is probed%s", path, nbad, nbad == 1 ? "" :
		    "s", nbad > TARGETS_BAD_LISTED ? " (the first ten below)" :
		    "", bad.ptr);
		goto out;
	}
	rc = 0;
out:
	buf_free(&bad);
	free(cause);
	free(text);
	free(data);
	return rc;
}

bool
probe_shard_has(size_t idx, int i, int n)
{
	if (n <= 1)
		return true;
	return idx % (size_t)n == (size_t)(i - 1);
}

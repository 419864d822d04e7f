/*
 * exporter_allow.c - what the exporter's /probe may probe.
 *
 * An exporter reachable by others must not become a port scanner: the
 * target parameter is only ever HOST[:PORT] (a URL, a path or user
 * information is refused before anything is parsed), and with --allow
 * (or --targets) nothing outside the list is probed.  Names are
 * compared as written, after the same normalisation the probe applies:
 * an allowed name may resolve to any address, and an allowed network
 * never lets a name in.
 *
 * Pure parsing and matching, no network: the unit tests drive it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "app/exporter.h"
#include "core/esc.h"
#include "core/fqdn.h"

void
allow_list_free(struct allow_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->rules[i].name);
	free(l->rules);
	memset(l, 0, sizeof(*l));
}

/* A decimal number from min to max, the whole of s. */
static int
parse_num(const char *s, int min, int max, int *out)
{
	long v;

	if (parse_long(s, min, max, &v) == -1)
		return -1;
	*out = (int)v;
	return 0;
}

/* Zero the bits of net past prefix. */
static void
mask_net(unsigned char *net, int bytes, int prefix)
{
	for (int i = 0; i < bytes; i++) {
		int keep = prefix - i * 8;

		if (keep >= 8)
			continue;
		net[i] &= keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
	}
}

/* IP or IP/PREFIX into r.  Returns 0, or -1 when pat is not one. */
static int
parse_net(const char *pat, struct allow_rule *r)
{
	const char *slash = strchr(pat, '/');
	char *ip = slash != NULL ? xstrndup(pat, (size_t)(slash - pat)) :
	    xstrdup(pat);
	int bits, rc = -1;

	if (inet_pton(AF_INET, ip, r->net) == 1) {
		r->family = AF_INET;
		bits = 32;
	} else if (inet_pton(AF_INET6, ip, r->net) == 1) {
		r->family = AF_INET6;
		bits = 128;
	} else
		goto out;
	r->prefix = bits;
	if (slash != NULL && parse_num(slash + 1, 0, bits, &r->prefix) == -1)
		goto out;
	rc = 0;
out:
	free(ip);
	if (rc == -1)
		return -1;
	mask_net(r->net, bits / 8, r->prefix);
	r->kind = ALLOW_NET;
	return 0;
}

/* One pattern (a copy the function may change) into r. */
static int
parse_pattern(char *pat, struct allow_rule *r, char **err)
{
	char *port = NULL, *host = pat, *close, *colon, *cause = NULL;

	memset(r, 0, sizeof(*r));
	if (pat[0] == '[') {
		if ((close = strchr(pat, ']')) == NULL ||
		    (close[1] != '\0' && close[1] != ':'))
			goto bad;
		*close = '\0';
		host = pat + 1;
		if (close[1] == ':')
			port = close + 2;
	} else if ((colon = strrchr(pat, ':')) != NULL &&
	    strchr(pat, ':') == colon) {
		*colon = '\0';
		port = colon + 1;
	}
	if (port != NULL && parse_num(port, 1, 65535, &r->port) == -1)
		goto bad;
	if (*host == '\0')
		goto bad;
	if (parse_net(host, r) == 0)
		return 0;
	if (pat[0] == '[' || strchr(host, '/') != NULL ||
	    strchr(host, ':') != NULL || fqdn_is_ip_literal(host))
		goto bad;
	r->kind = ALLOW_NAME;
	if (strncmp(host, "*.", 2) == 0) {
		r->kind = ALLOW_UNDER;
		host += 2;
	}
	if ((r->name = fqdn_normalize(host, &cause)) == NULL) {
		free(cause);
		goto bad;
	}
	return 0;
bad:
	*err = xstrdup("expected NAME, *.ZONE, IP or IP/PREFIX, each with an "
	    "optional :PORT");
	return -1;
}

int
allow_list_parse(const char *spec, struct allow_list *l, char **err)
{
	char *copy = xstrdup(spec), *tok, *save = NULL, *cause = NULL, *esc;
	struct allow_rule r;
	int rc = 0;

	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t", &save)) {
		esc = esc_printable_str(tok);
		if (parse_pattern(tok, &r, &cause) == -1) {
			*err = xasprintf("--allow '%s': %s", esc, cause);
			free(cause);
			free(esc);
			rc = -1;
			break;
		}
		free(esc);
		l->rules = xreallocarray(l->rules, l->n + 1, sizeof(*l->rules));
		l->rules[l->n++] = r;
	}
	free(copy);
	return rc;
}

/* Is name (normalised) zone itself or a name below it? */
static bool
name_under(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	return n > z + 1 && name[n - z - 1] == '.' &&
	    strcmp(name + n - z, zone) == 0;
}

static bool
rule_permits(const struct allow_rule *r, const struct probe_target *t)
{
	unsigned char ip[16];
	int family = strchr(t->host, ':') != NULL ? AF_INET6 : AF_INET;

	if (r->port != 0 && r->port != t->port)
		return false;
	switch (r->kind) {
	case ALLOW_NAME:
		return !t->host_is_ip && strcmp(t->host, r->name) == 0;
	case ALLOW_UNDER:
		return !t->host_is_ip && name_under(t->host, r->name);
	case ALLOW_NET:
		if (!t->host_is_ip || family != r->family ||
		    inet_pton(family, t->host, ip) != 1)
			return false;
		mask_net(ip, family == AF_INET ? 4 : 16, r->prefix);
		return memcmp(ip, r->net, family == AF_INET ? 4 : 16) == 0;
	default:
		return false;
	}
}

bool
allow_list_permits(const struct allow_list *l, const struct probe_target *t)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (rule_permits(&l->rules[i], t))
			return true;
	return false;
}

int
exporter_target_parse(const char *target, const char *fqdn,
    int default_port, struct probe_target *t, char **err)
{
	char *cause = NULL;
	size_t len;

	memset(t, 0, sizeof(*t));
	if (target == NULL || *target == '\0') {
		*err = xstrdup("missing target parameter (target=HOST[:PORT])");
		return -1;
	}
	len = strlen(target);
	if (len > EXPORTER_TARGET_MAX) {
		*err = xasprintf("target longer than %d bytes",
		    EXPORTER_TARGET_MAX);
		return -1;
	}
	/*
	 * Refuse anything that is more than a host and a port before
	 * parsing: "http://h/", "user@h", "h/path", "h?x", blanks, controls.
	 */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)target[i];

		if (c <= ' ' || c == 0x7f || strchr("/@?#%\\\"'<>", c) != NULL) {
			*err = xstrdup("target must be HOST[:PORT] or "
			    "[IPv6]:PORT, not a URL");
			return -1;
		}
	}
	if (probe_target_parse(target, default_port, t, &cause) == -1) {
		*err = xasprintf("bad target: %s", cause);
		free(cause);
		return -1;
	}
	if (fqdn != NULL && *fqdn != '\0') {
		if (strlen(fqdn) > EXPORTER_FQDN_MAX ||
		    fqdn_is_ip_literal(fqdn) ||
		    (t->fqdn = fqdn_normalize(fqdn, &cause)) == NULL) {
			*err = xasprintf("bad fqdn: %s", cause != NULL ? cause :
			    "not a host name");
			free(cause);
			probe_target_free(t);
			return -1;
		}
	}
	return 0;
}

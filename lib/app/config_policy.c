/*
 * config_policy.c - the [policy] section of --config: each key changes
 * one parameter of struct policy (policy.h), and errors say why.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/config.h"
#include "core/esc.h"

/* Split a comma list; call add(item) for each trimmed, non-empty item. */
static int
parse_list(const char *value, int (*add)(void *, const char *, char **),
    void *arg, char **err)
{
	char *copy = xstrdup(value), *item, *save = NULL;
	int rc = -1, n = 0;

	for (item = strtok_r(copy, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		char *end = item + strlen(item);

		while (isspace((unsigned char)*item))
			item++;
		while (end > item && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*item == '\0')
			continue;
		if (add(arg, item, err) == -1)
			goto out;
		n++;
	}
	if (n == 0) {
		*err = xasprintf("an empty list");
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int
add_brand(void *arg, const char *item, char **err)
{
	unsigned *bits = arg;
	int b = brand_from_key(item);	/* any case */

	if (b < 0) {
		*err = xasprintf("unknown brand '%s' (known: digicert, "
		    "godaddy, letsencrypt, identrust, comodo, globalsign)",
		    item);
		return -1;
	}
	*bits |= 1u << b;
	return 0;
}

struct suite_list {
	unsigned bits;
	int first;
};

static int
add_suite(void *arg, const char *item, char **err)
{
	struct suite_list *sl = arg;
	int s = suite_from_name(item);

	if (s < 0) {
		*err = xasprintf("unknown suite '%s' (known: %s, %s, %s, or "
		    "their IANA names)", item,
		    suite_openssl_name(SUITE_AES128_SHA),
		    suite_openssl_name(SUITE_AES128_SHA256),
		    suite_openssl_name(SUITE_AES256_SHA256));
		return -1;
	}
	if (sl->first < 0)
		sl->first = s;
	sl->bits |= 1u << s;
	return 0;
}

static int
policy_int(const char *key, const char *value, long min, long max, int *out,
    char **err)
{
	long n;

	if (parse_long(value, min, max, &n) == -1) {
		*err = xasprintf("'%s' must be a number from %ld to %ld, "
		    "not '%s'", key, min, max, value);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int
policy_limit(const char *key, const char *value, int *n, bool *percent,
    char **err)
{
	if (config_parse_limit(value, n, percent) == -1) {
		*err = xasprintf("'%s' must be a number of days from 0 to "
		    "36500, or a share of the lifetime from 0%% to 100%%, not "
		    "'%s'", key, value);
		return -1;
	}
	return 0;
}

int
policy_apply(struct policy *p, const char *key, const char *value,
    char **err)
{
	if (strcmp(key, "name") == 0) {
		size_t len = strlen(value);
		char *esc;
		bool same;

		if (len == 0 || len >= sizeof(p->name)) {
			*err = xasprintf("'name' must have 1 to %zu "
			    "characters", sizeof(p->name) - 1);
			return -1;
		}
		/* Printable UTF-8 only: it is shown in every report. */
		esc = esc_printable_str(value);
		same = strcmp(esc, value) == 0;
		free(esc);
		if (!same) {
			*err = xasprintf("'name' may hold only printable UTF-8 "
			    "text (no control characters, no backslash)");
			return -1;
		}
		memcpy(p->name, value, len + 1);
		return 0;
	}
	if (strcmp(key, "brands") == 0) {
		unsigned bits = 0;

		if (parse_list(value, add_brand, &bits, err) == -1)
			return -1;
		p->brands = bits;
		return 0;
	}
	if (strcmp(key, "suites") == 0) {
		struct suite_list sl = { 0, -1 };

		if (parse_list(value, add_suite, &sl, err) == -1)
			return -1;
		p->suites = sl.bits;
		p->default_suite = sl.first;
		return 0;
	}
	if (strcmp(key, "default-suite") == 0) {
		int s;

		if (strcasecmp(value, "none") == 0) {
			p->default_suite = -1;
			return 0;
		}
		if ((s = suite_from_name(value)) < 0) {
			*err = xasprintf("unknown suite '%s'", value);
			return -1;
		}
		if ((p->suites & (1u << s)) == 0) {
			*err = xasprintf("default suite '%s' is not one of "
			    "the policy's suites", value);
			return -1;
		}
		p->default_suite = s;
		return 0;
	}
	if (strcmp(key, "min-rsa-bits") == 0)
		return policy_int(key, value, 512, 16384, &p->min_rsa_bits, err);
	if (strcmp(key, "warn-days") == 0)
		return policy_limit(key, value, &p->warn_days, &p->warn_percent,
		    err);
	if (strcmp(key, "crit-days") == 0)
		return policy_limit(key, value, &p->crit_days, &p->crit_percent,
		    err);
	if (strcmp(key, "port") == 0)
		return policy_int(key, value, 1, 65535, &p->port, err);
	if (strcmp(key, "wildcards") == 0) {
		if (config_parse_bool(value, &p->wildcards) == -1) {
			*err = xasprintf("'wildcards' takes yes or no, not "
			    "'%s'", value);
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "srtp") == 0) {
		int bits = srtp_policy_from_name(value);

		if (bits < 0) {
			*err = xasprintf("'srtp' takes sdes, dtls or any, not "
			    "'%s'", value);
			return -1;
		}
		p->srtp = (unsigned)bits;
		return 0;
	}
	*err = xasprintf("unknown policy key '%s' (known: name, brands, "
	    "suites, default-suite, min-rsa-bits, wildcards, warn-days, "
	    "crit-days, port, srtp)", key);
	return -1;
}

int
config_apply_policy(const struct config *cf, struct policy *p, char **err)
{
	const struct config_entry *e;
	bool named = false, changed = false;
	char *cause = NULL;

	/* default-suite last: it must name one of the final suites. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < cf->n; i++) {
			e = &cf->entries[i];
			if (strcmp(e->section, "policy") != 0)
				continue;
			if ((strcmp(e->key, "default-suite") == 0) !=
			    (pass == 1))
				continue;
			if (policy_apply(p, e->key, e->value, &cause) == -1) {
				*err = xasprintf("%s:%d: %s", cf->path, e->line,
				    cause);
				free(cause);
				return -1;
			}
			if (strcmp(e->key, "name") == 0)
				named = true;
			else
				changed = true;
		}
	}
	if (changed && !named) {
		const char *base = strrchr(cf->path, '/');
		char *esc;
		size_t len;

		base = base != NULL ? base + 1 : cf->path;
		esc = esc_printable_str(base);
		len = strlen(esc);
		/* Cut on a character boundary so the name stays valid UTF-8. */
		if (len > sizeof(p->name) - sizeof("custom ()")) {
			len = sizeof(p->name) - sizeof("custom ()");
			while (len > 0 && ((unsigned char)esc[len] & 0xc0) == 0x80)
				len--;
		}
		snprintf(p->name, sizeof(p->name), "custom (%.*s)", (int)len, esc);
		free(esc);
	}
	return 0;
}

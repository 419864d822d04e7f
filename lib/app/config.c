/*
 * config.c - the --config INI file, read with inih; the [policy] keys
 * are in config_policy.c.
 *
 * inih calls a handler per "key = value" but, as Debian builds it, does
 * not pass the line number.  So we feed it through our own reader, which
 * hands over one line per call and counts them: when the handler runs,
 * the counter is the line of the pair.  The reader also strips leading
 * blanks (so inih's indented continuation lines never happen), refuses
 * lines too long for inih's buffer (which would otherwise be split into
 * two lines) and checks section names where they are written.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "app/config.h"
#include "core/fileio.h"

/* A config file larger than this is surely a mistake. */
#define CONFIG_MAX_BYTES (256u * 1024)

struct parse_state {
	struct config *cf;
	const char *text;	/* the whole file, NUL-terminated */
	size_t pos;
	int line;		/* of the line last handed to inih */
	int err_line;		/* first error of ours, 0 if none */
	char *err;		/* its cause, without the location */
};

enum section_class { SEC_GENERAL, SEC_LINT, SEC_PROBE, SEC_POLICY, SEC_EXPORTER,
	SEC_LISTEN, SEC_UNKNOWN };

static enum section_class
section_class(const char *name)
{
	if (name[0] == '\0' || strcmp(name, "bwcertcheck") == 0)
		return SEC_GENERAL;
	if (strcmp(name, "lint") == 0)
		return SEC_LINT;
	if (strcmp(name, "probe") == 0)
		return SEC_PROBE;
	if (strcmp(name, "listen") == 0)
		return SEC_LISTEN;
	if (strcmp(name, "policy") == 0)
		return SEC_POLICY;
	if (strcmp(name, "exporter") == 0)
		return SEC_EXPORTER;
	return SEC_UNKNOWN;
}

/* Lower case; for keys also '_' -> '-'.  Returns a new string. */
static char *
normalize_name(const char *s, bool key)
{
	char *n = xstrdup(s);

	for (char *p = n; *p != '\0'; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (key && *p == '_')
			*p = '-';
	}
	return n;
}

static void
set_error(struct parse_state *st, int line, char *cause)
{
	if (st->err_line != 0 && st->err_line <= line) {
		free(cause);
		return;
	}
	free(st->err);
	st->err = cause;
	st->err_line = line;
}

/* Check a "[name]" line as the reader passes it. */
static void
check_section_line(struct parse_state *st, const char *l, size_t len)
{
	const char *close = memchr(l, ']', len);
	char *name, *n;
	size_t a, b;

	if (close == NULL)
		return;		/* inih reports the syntax error */
	a = 1;
	b = (size_t)(close - l);
	while (a < b && isspace((unsigned char)l[a]))
		a++;
	while (b > a && isspace((unsigned char)l[b - 1]))
		b--;
	name = xstrndup(l + a, b - a);
	n = normalize_name(name, false);
	if (section_class(n) == SEC_UNKNOWN)
		set_error(st, st->line, xasprintf("unknown section [%s] "
		    "(known: [bwcertcheck], [lint], [probe], [exporter], "
		    "[listen], [policy])", name));
	free(n);
	free(name);
}

/* inih's fgets-like reader over st->text. */
static char *
reader(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	const char *l, *nl;
	size_t len, next;

	if (st->text[st->pos] == '\0' || num < 3)
		return NULL;
	l = st->text + st->pos;
	nl = strchr(l, '\n');
	len = nl != NULL ? (size_t)(nl - l) : strlen(l);
	next = st->pos + len + (nl != NULL ? 1 : 0);
	st->line++;
	st->pos = next;

	while (len > 0 && (*l == ' ' || *l == '\t')) {
		l++;
		len--;
	}
	if (len + 2 > (size_t)num) {
		set_error(st, st->line, xasprintf("line longer than %d "
		    "characters", num - 2));
		memcpy(str, ";\n", 3);
		return str;
	}
	if (len > 0 && *l == '[')
		check_section_line(st, l, len);
	memcpy(str, l, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

static bool
same_class(const char *a, const char *b)
{
	return section_class(a) == section_class(b);
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	struct config *cf = st->cf;
	struct config_entry *e;
	char *sec = normalize_name(section, false);
	char *key = normalize_name(name, true);
	size_t vlen = strlen(value);

	if (section_class(sec) == SEC_UNKNOWN) {
		/* already reported at the section line */
		free(sec);
		free(key);
		return 1;
	}
	for (size_t i = 0; i < cf->n; i++) {
		if (same_class(cf->entries[i].section, sec) &&
		    strcmp(cf->entries[i].key, key) == 0) {
			set_error(st, st->line, xasprintf("'%s' already set "
			    "at line %d", key, cf->entries[i].line));
			free(sec);
			free(key);
			return 1;
		}
	}
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
		value++;
		vlen -= 2;
	}
	if (vlen == 0)
		set_error(st, st->line, xasprintf("no value for '%s'", key));

	cf->entries = xreallocarray(cf->entries, cf->n + 1, sizeof(*e));
	e = &cf->entries[cf->n++];
	e->section = sec;
	e->key = key;
	e->value = xstrndup(value, vlen);
	e->line = st->line;
	return 1;
}

int
config_load_string(const char *name, const char *text, struct config *out,
    char **err)
{
	struct parse_state st;
	int rc = -1, ini;

	memset(out, 0, sizeof(*out));
	out->path = xstrdup(name);
	memset(&st, 0, sizeof(st));
	st.cf = out;
	st.text = text;

	ini = ini_parse_stream(reader, &st, handler, &st);
	if (ini == -2)
		fatal_oom();
	if (ini > 0 && (st.err_line == 0 || ini < st.err_line)) {
		*err = xasprintf("%s:%d: expected 'key = value' or "
		    "'[section]'", name, ini);
		goto out;
	}
	if (st.err_line != 0) {
		*err = xasprintf("%s:%d: %s", name, st.err_line, st.err);
		goto out;
	}
	rc = 0;
out:
	free(st.err);
	return rc;
}

int
config_load(const char *path, struct config *out, char **err)
{
	unsigned char *data = NULL;
	char *text;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (fileio_read(path, CONFIG_MAX_BYTES, &data, &len, err) == -1) {
		out->path = xstrdup(path);
		return -1;
	}
	if (memchr(data, '\0', len) != NULL) {
		*err = xasprintf("%s: contains a NUL byte: not a text file",
		    path);
		out->path = xstrdup(path);
		free(data);
		return -1;
	}
	text = xrealloc(data, len + 1);
	text[len] = '\0';
	rc = config_load_string(path, text, out, err);
	free(text);
	return rc;
}

void
config_free(struct config *cf)
{
	if (cf == NULL)
		return;
	for (size_t i = 0; i < cf->n; i++) {
		free(cf->entries[i].section);
		free(cf->entries[i].key);
		free(cf->entries[i].value);
	}
	free(cf->entries);
	free(cf->path);
	memset(cf, 0, sizeof(*cf));
}

int
config_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int
config_parse_limit(const char *v, int *n, bool *percent)
{
	size_t len = strlen(v);
	char *days;
	long out;
	int rc;

	if (len > 0 && v[len - 1] == '%') {
		days = xstrndup(v, len - 1);
		rc = parse_long(days, 0, 100, &out);
		free(days);
		if (rc == -1)
			return -1;
		*percent = true;
	} else {
		if (parse_long(v, 0, 36500, &out) == -1)
			return -1;
		*percent = false;
	}
	*n = (int)out;
	return 0;
}

/* Prefix *err with the entry's location, or give a generic cause. */
static char *
located(const struct config *cf, const struct config_entry *e, char *cause)
{
	char *m;

	if (cause == NULL)
		return xasprintf("%s:%d: bad value '%s' for '%s'", cf->path,
		    e->line, e->value, e->key);
	m = xasprintf("%s:%d: %s", cf->path, e->line, cause);
	free(cause);
	return m;
}

static const struct option *
find_option(const struct option *longopts, const char *key)
{
	for (const struct option *o = longopts; o->name != NULL; o++)
		if (strcmp(o->name, key) == 0)
			return o;
	return NULL;
}

/*
 * The options whose values are paths: taken relative to the config
 * file's folder, not to wherever the command runs (cron runs it in the
 * home directory); a file read must be readable, or its FILE:LINE says
 * so.  password's path follows "file:".
 */
static const struct {
	const char *key;
	const char *prefix;	/* the path follows it, or NULL */
	bool read;		/* an input: it must be readable */
} path_options[] = {
	{ "trust-store", NULL, true },
	{ "key", NULL, true },
	{ "targets", NULL, true },
	{ "cert", NULL, true },
	{ "client-cert", NULL, true },
	{ "client-key", NULL, true },
	{ "password", "file:", true },
	{ "output", NULL, false },
	{ "p12", NULL, false },
	{ "save-chain", NULL, false },
};

/*
 * Make e->value's path relative to cf's folder, and check that an input
 * can be read.  Returns 0, or -1 with *err set to "FILE:LINE: ...".
 */
static int
resolve_path(const struct config *cf, struct config_entry *e, char **err)
{
	const char *path, *slash;
	size_t i, plen = 0;
	char *full;

	for (i = 0; i < sizeof(path_options) / sizeof(path_options[0]); i++)
		if (strcmp(path_options[i].key, e->key) == 0)
			break;
	if (i == sizeof(path_options) / sizeof(path_options[0]))
		return 0;
	if (path_options[i].prefix != NULL) {
		plen = strlen(path_options[i].prefix);
		if (strncmp(e->value, path_options[i].prefix, plen) != 0)
			return 0;
	}
	path = e->value + plen;
	if (path[0] != '/' && strcmp(path, "-") != 0 && path[0] != '\0' &&
	    (slash = strrchr(cf->path, '/')) != NULL) {
		full = xasprintf("%.*s%.*s/%s", (int)plen, e->value,
		    (int)(slash - cf->path), cf->path, path);
		free(e->value);
		e->value = full;
		path = e->value + plen;
	}
	if (path_options[i].read && strcmp(path, "-") != 0 &&
	    access(path, R_OK) != 0) {
		*err = xasprintf("%s:%d: %s: %s: %s", cf->path, e->line, e->key,
		    path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
apply_one(const struct config *cf, struct config_entry *e,
    const struct option *o, config_option_fn fn, void *arg, char **err)
{
	char *cause = NULL;
	bool on;

	if (o->has_arg == no_argument) {
		if (config_parse_bool(e->value, &on) == -1) {
			*err = located(cf, e, xasprintf("'%s' takes yes or "
			    "no, not '%s'", e->key, e->value));
			return -1;
		}
		if (!on)
			return 0;
		if (o->flag != NULL) {
			*o->flag = o->val;
			return 0;
		}
		if (fn(arg, o->val, NULL, &cause) == -1) {
			*err = located(cf, e, cause);
			return -1;
		}
		return 0;
	}
	if (resolve_path(cf, e, err) == -1)
		return -1;
	if (fn(arg, o->val, e->value, &cause) == -1) {
		*err = located(cf, e, cause);
		return -1;
	}
	return 0;
}

int
config_apply_options(struct config *cf, const char *command,
    const struct option *longopts, config_option_fn fn, void *arg,
    char **err)
{
	static const char *const denied[] = { "config", "help", "version" };
	enum section_class want = SEC_UNKNOWN;
	struct config_entry *e;

	if (command != NULL && strcmp(command, "lint") == 0)
		want = SEC_LINT;
	else if (command != NULL && strcmp(command, "probe") == 0)
		want = SEC_PROBE;
	else if (command != NULL && strcmp(command, "exporter") == 0)
		want = SEC_EXPORTER;
	else if (command != NULL && strcmp(command, "listen") == 0)
		want = SEC_LISTEN;

	for (size_t i = 0; i < cf->n; i++) {
		e = &cf->entries[i];
		if (section_class(e->section) == SEC_POLICY)
			continue;
		for (size_t d = 0; d < sizeof(denied) / sizeof(denied[0]); d++) {
			if (strcmp(e->key, denied[d]) == 0) {
				*err = xasprintf("%s:%d: '%s' cannot be set in "
				    "a config file", cf->path, e->line, e->key);
				return -1;
			}
		}
		if (find_option(longopts, e->key) == NULL) {
			*err = xasprintf("%s:%d: unknown option '%s'",
			    cf->path, e->line, e->key);
			return -1;
		}
	}
	/* The general sections first, so [lint]/[probe] override them. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < cf->n; i++) {
			enum section_class c;

			e = &cf->entries[i];
			c = section_class(e->section);
			if ((pass == 0 && c != SEC_GENERAL) ||
			    (pass == 1 && c != want))
				continue;
			if (apply_one(cf, e, find_option(longopts, e->key),
			    fn, arg, err) == -1)
				return -1;
		}
	}
	return 0;
}

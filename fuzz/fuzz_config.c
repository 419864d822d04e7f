/*
 * fuzz_config.c - the --config INI reader and the [policy] keys.
 *
 * The input is a config file's text.  It goes through the same calls
 * bwcertcheck.c makes: config_load_string(), config_apply_policy() on
 * the built-in policy, then config_apply_options() for "lint" and for
 * "probe" with a table of long options like the CLI's.  The first line
 * is also split at '=' and handed to policy_apply() directly, so the
 * value parsers see bytes inih would never pass on.
 *
 * Invariants: every error names "fuzz.ini:" (and a line where there is
 * one); a policy that was accepted stays in range (port, warn days,
 * RSA bits, a default suite that is one of the suites, a name of 1..63
 * bytes without C0 controls); options reach the handler only with
 * their argument when they take one; nothing leaks.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "fuzz.h"

#define NAME "fuzz.ini"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_config: " __VA_ARGS__);		\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* The CLI's long options (bwcertcheck.c), by name; vals are ours. */
enum { V_FIRST = 256, V_FLAG_BASE = 512 };
static int flag_seen;
static const struct option longopts[] = {
	{ "fqdn", required_argument, NULL, V_FIRST + 0 },
	{ "trust-store", required_argument, NULL, V_FIRST + 1 },
	{ "at", required_argument, NULL, V_FIRST + 2 },
	{ "warn-days", required_argument, NULL, V_FIRST + 3 },
	{ "key", required_argument, NULL, V_FIRST + 4 },
	{ "password", required_argument, NULL, V_FIRST + 5 },
	{ "format", required_argument, NULL, V_FIRST + 6 },
	{ "output", required_argument, NULL, 'o' },
	{ "disable", required_argument, NULL, V_FIRST + 7 },
	{ "config", required_argument, NULL, V_FIRST + 8 },
	{ "quiet", no_argument, NULL, 'q' },
	{ "color", required_argument, NULL, V_FIRST + 9 },
	{ "each", no_argument, NULL, V_FLAG_BASE + 0 },
	{ "port", required_argument, NULL, V_FIRST + 10 },
	{ "timeout", required_argument, NULL, V_FIRST + 11 },
	{ "servername", required_argument, NULL, V_FIRST + 12 },
	{ "no-sni", no_argument, &flag_seen, 1 },
	{ "connect", required_argument, NULL, V_FIRST + 13 },
	{ "resolver", required_argument, NULL, V_FIRST + 14 },
	{ "srv", no_argument, NULL, V_FLAG_BASE + 1 },
	{ "sip", no_argument, NULL, V_FLAG_BASE + 2 },
	{ "targets", required_argument, NULL, V_FIRST + 15 },
	{ "jobs", required_argument, NULL, V_FIRST + 16 },
	{ "shard", required_argument, NULL, V_FIRST + 17 },
	{ "help", no_argument, NULL, V_FLAG_BASE + 3 },
	{ "version", no_argument, NULL, V_FLAG_BASE + 4 },
	{ NULL, 0, NULL, 0 },
};

/* The handler: refuse some values, as the CLI's would. */
static int
on_option(void *arg, int val, const char *value, char **err)
{
	unsigned *calls = arg;

	(*calls)++;
	if (val >= V_FLAG_BASE) {
		CHECK(value == NULL, "flag %d got an argument", val);
		CHECK(val != V_FLAG_BASE + 3 && val != V_FLAG_BASE + 4,
		    "--help or --version taken from a file");
		return 0;
	}
	if (val == 'q')
		CHECK(value == NULL, "-q got an argument");
	else
		CHECK(value != NULL, "option %d without its argument", val);
	if (val == V_FIRST + 8)
		CHECK(0, "--config taken from a file");
	/* Refuse one value, to walk the error path. */
	if (value != NULL && strcmp(value, "refuse") == 0) {
		*err = xstrdup("refused");
		return -1;
	}
	return 0;
}

static void
check_policy(const struct policy *p)
{
	size_t len = strnlen(p->name, sizeof(p->name));

	CHECK(len > 0 && len < sizeof(p->name), "policy name length %zu", len);
	for (size_t i = 0; i < len; i++)
		CHECK((unsigned char)p->name[i] >= 0x20 && p->name[i] != 0x7f,
		    "control character in the policy name");
	CHECK(p->port >= 1 && p->port <= 65535, "port %d", p->port);
	CHECK(p->warn_days >= 0, "warn days %d", p->warn_days);
	CHECK(p->min_rsa_bits >= 512 && p->min_rsa_bits <= 16384,
	    "min RSA bits %d", p->min_rsa_bits);
	CHECK(p->brands != 0 && p->brands < (1u << BRAND__MAX),
	    "brands %#x", p->brands);
	CHECK(p->suites != 0 && p->suites < (1u << SUITE__MAX),
	    "suites %#x", p->suites);
	CHECK(p->default_suite == -1 || (p->default_suite >= 0 &&
	    p->default_suite < SUITE__MAX &&
	    (p->suites & (1u << p->default_suite)) != 0),
	    "default suite %d not among suites %#x", p->default_suite,
	    p->suites);
}

static void
check_err(char *err)
{
	CHECK(err != NULL && strncmp(err, NAME ":", strlen(NAME) + 1) == 0,
	    "error does not name the file: %s", err ? err : "(none)");
	free(err);
}

/* policy_apply() on the first line split at '=', as raw as it comes. */
static void
direct(const char *text)
{
	struct policy p;
	char *line = xstrdup(text), *eq, *err = NULL;

	line[strcspn(line, "\n")] = '\0';
	if ((eq = strchr(line, '=')) != NULL) {
		*eq = '\0';
		policy_default(&p);
		if (policy_apply(&p, line, eq + 1, &err) == 0) {
			CHECK(err == NULL, "success with an error");
			check_policy(&p);
		} else
			CHECK(err != NULL, "failure without an error");
		free(err);
	}
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cf;
	struct policy p;
	char *text, *err = NULL;
	unsigned calls = 0;

	text = xstrndup((const char *)data, size);
	direct(text);
	memset(&cf, 0, sizeof(cf));
	if (config_load_string(NAME, text, &cf, &err) != 0) {
		check_err(err);
		goto out;
	}
	CHECK(err == NULL, "load succeeded with an error");
	for (size_t i = 0; i < cf.n; i++)
		CHECK(cf.entries[i].section != NULL && cf.entries[i].key != NULL &&
		    cf.entries[i].value != NULL && cf.entries[i].line > 0,
		    "entry %zu half filled", i);
	policy_default(&p);
	if (config_apply_policy(&cf, &p, &err) != 0)
		check_err(err);
	else
		check_policy(&p);
	err = NULL;
	if (config_apply_options(&cf, "lint", longopts, on_option, &calls,
	    &err) != 0)
		check_err(err);
	err = NULL;
	if (config_apply_options(&cf, "probe", longopts, on_option, &calls,
	    &err) != 0)
		check_err(err);
out:
	config_free(&cf);
	free(text);
	return 0;
}

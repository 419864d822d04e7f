/*
 * bwcertcheck - does a certificate chain, and the SIP/TLS server that
 * presents it, meet the carrier's TLS/SRTP rules?
 *
 * This file only turns the command line (and --config) into a struct
 * run and calls into lib/: op_lint(), op_probe(), op_fix_chain(), or the
 * rule table.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "app/config.h"
#include "app/version.h"
#include "core/fqdn.h"
#include "app/op.h"
#include "app/report_out.h"
#include "report/report.h"
#include "app/run.h"
#include "core/timeutil.h"
#include "rules/rules.h"

enum {
	OPT_FQDN = 256, OPT_TRUST, OPT_AT, OPT_WARN_DAYS, OPT_KEY,
	OPT_PASSWORD, OPT_FORMAT, OPT_DISABLE, OPT_CONFIG, OPT_COLOR,
	OPT_PORT, OPT_TIMEOUT, OPT_SERVERNAME, OPT_NO_SNI, OPT_CONNECT,
	OPT_RESOLVER, OPT_SRV, OPT_SIP, OPT_TARGETS, OPT_JOBS, OPT_SHARD,
	OPT_EACH, OPT_FETCH, OPT_P12, OPT_HELP, OPT_VERSION, OPT_CRIT_DAYS,
	OPT_LISTEN, OPT_INTERVAL, OPT_ALLOW,
	OPT_CERT, OPT_COUNT, OPT_REQUIRE_CLIENT_CERT,
	OPT_CLIENT_CERT, OPT_CLIENT_KEY, OPT_SAVE_CHAIN, OPT_CONNECTIONS,
};

/* The long options: one table, shared by the command line and --config. */
static const struct option long_options[] = {
	{ "fqdn", required_argument, NULL, OPT_FQDN },
	{ "trust-store", required_argument, NULL, OPT_TRUST },
	{ "at", required_argument, NULL, OPT_AT },
	{ "warn-days", required_argument, NULL, OPT_WARN_DAYS },
	{ "crit-days", required_argument, NULL, OPT_CRIT_DAYS },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "password", required_argument, NULL, OPT_PASSWORD },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "show-chain", no_argument, NULL, 'v' },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "each", no_argument, NULL, OPT_EACH },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "servername", required_argument, NULL, OPT_SERVERNAME },
	{ "no-sni", no_argument, NULL, OPT_NO_SNI },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "resolver", required_argument, NULL, OPT_RESOLVER },
	{ "srv", no_argument, NULL, OPT_SRV },
	{ "sip", no_argument, NULL, OPT_SIP },
	{ "targets", required_argument, NULL, OPT_TARGETS },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "connections", required_argument, NULL, OPT_CONNECTIONS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "fetch", no_argument, NULL, OPT_FETCH },
	{ "p12", required_argument, NULL, OPT_P12 },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "require-client-cert", no_argument, NULL, OPT_REQUIRE_CLIENT_CERT },
	{ "client-cert", required_argument, NULL, OPT_CLIENT_CERT },
	{ "client-key", required_argument, NULL, OPT_CLIENT_KEY },
	{ "save-chain", required_argument, NULL, OPT_SAVE_CHAIN },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"usage: bwcertcheck lint  [OPTIONS] FILE...         lint certificate chains from files ('-' is stdin)\n"
"       bwcertcheck probe [OPTIONS] HOST[:PORT]...  TLS 1.2 probe of live endpoints, then lint\n"
"       bwcertcheck fix-chain [OPTIONS] -o OUT FILE...  write the chain the SBC wants\n"
"                                                   (leaf, intermediates in order, no root), then lint it\n"
"       bwcertcheck exporter [OPTIONS]              Prometheus exporter: /probe?target=HOST[:PORT], /metrics\n"
"       bwcertcheck listen [OPTIONS]                stand in for the carrier's SBC: judge the\n"
"                                                   equipment as a TLS client, its SIP and SRTP offer\n"
"       bwcertcheck rules [--format text|json] [ID] list the rules, or explain one\n"
"       bwcertcheck --help | --version | -V\n"
"\n"
"options (lint and probe):\n"
"  --fqdn NAME            the equipment's FQDN the certificate must cover\n"
"  --trust-store PATH     PEM file or directory of roots replacing the accepted CAs\n"
"  --at TIME              evaluate at TIME (RFC 3339 or @EPOCH) instead of now\n"
"  --warn-days N[%]       warn when a certificate expires within N days (30),\n"
"                         or N% of its lifetime\n"
"  --crit-days N[%]       expires-soon is an error within N days (0: never)\n"
"  --format FMT           text, json, junit, sarif, nagios, prometheus,\n"
"                         html, markdown\n"
"  -o, --output FILE      write the report to FILE\n"
"  --disable ID[,ID...]   skip rules (reported as skipped)\n"
"  --config FILE          INI file with the same settings and a [policy] section\n"
"  -q, --quiet            only failures\n"
"  -v, --show-chain       (text) print each certificate: subject, issuer,\n"
"                         serial, SANs, validity, key, SHA-256 fingerprint\n"
"  --color WHEN           auto, always, never\n"
"lint:\n"
"  --key FILE             the private key; check that it matches the leaf\n"
"  --password SPEC        PKCS#12 / key password: env:VAR, file:PATH, stdin,\n"
"                         pass:TEXT\n"
"  --each                 every file (or file of a directory) is its own chain\n"
"  --jobs N               with --each, judge up to N chains at once\n"
"probe:\n"
"  --port N               default port (5061)\n"
"  --timeout SEC          bound on each target (10)\n"
"  --servername NAME      SNI to send (default: the FQDN); --no-sni sends none\n"
"  --connect ADDR         connect to ADDR instead of resolving HOST\n"
"  --resolver IP[:PORT]   DNS server for A and SRV look-ups\n"
"  --srv                  HOST is a zone: probe its _sips._tcp SRV targets\n"
"  --sip                  send SIP OPTIONS over TLS and report the answer\n"
"  --targets FILE         one target a line: HOST[:PORT] [FQDN]\n"
"  --jobs N               probe up to N targets at once\n"
"  --connections N        at most N connections to one address at once\n"
"                         (default: every handshake at once)\n"
"  --shard I/N            take only the I-th of N slices of the targets\n"
"  --save-chain DIR       write each served chain as PEM into DIR\n"
"  --client-cert FILE     present this certificate when a server asks for one\n"
"  --client-key FILE      the key of --client-cert (mutual TLS)\n"
"fix-chain (also --trust-store, --fqdn, --at, --key, --password, --format):\n"
"  -o, --output FILE      the chain file to write (replaced whole, mode 0644)\n"
"  --fetch                fetch a missing intermediate from its caIssuers URL\n"
"  --timeout SEC          bound on all fetches together (10)\n"
"  --p12 FILE             also write a PKCS#12 (key, leaf, intermediates; needs\n"
"                         --password and the key: --key or a PKCS#12 input)\n"
"exporter (also takes the probe options):\n"
"  --listen ADDR:PORT     address to serve HTTP on (127.0.0.1:9219)\n"
"  --targets FILE         sweep these targets every --interval; /probe only them\n"
"  --interval SEC         probe a target at most once per SEC seconds (300)\n"
"  --allow PATTERN,...    /probe only NAME, *.ZONE, IP or IP/PREFIX[:PORT]\n"
"listen:\n"
"  --listen ADDR[:PORT]   address to bind (0.0.0.0; :: for IPv6)\n"
"  --port N               port to listen on (5061)\n"
"  --cert FILE, --key FILE  certificate to present (default: a throw-away\n"
"                         self-signed one, which no client should trust)\n"
"  --count N              stop after N client connections (1)\n"
"  --timeout SEC          wait at most SEC for the clients (300)\n"
"  --require-client-cert  ask for the client's certificate and lint it\n"
"\n"
"exit status: 0 compliant, 1 warnings, 2 not compliant, 3 could not evaluate\n"
"see bwcertcheck(1)\n";

enum command { CMD_NONE, CMD_LINT, CMD_PROBE, CMD_FIX_CHAIN, CMD_RULES,
	CMD_EXPORTER, CMD_LISTEN };

/* Settings whose final value depends on config + command line. */
struct cli {
	enum command cmd;
	const char *config_path;
	const char *fqdn_raw;
	const char *at;
	struct buf disable;		/* every --disable, config's first, comma-joined */
	const char *color;
	const char *output_cli;		/* -o on the command line (fix-chain's chain file) */
	bool jobs_given;
	struct config cfg;		/* from --config, applied first */
};

static int
usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("bwcertcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(bwcertcheck --help for usage)\n", stderr);
	return EXIT_UNKNOWN;
}

static int
parse_int(const char *opt, const char *s, int min, int max, int *out,
    char **err)
{
	long v;

	if (parse_long(s, min, max, &v) == -1) {
		*err = xasprintf("%s: expected a whole number from %d to %d, "
		    "got '%s'", opt, min, max, s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* --warn-days, --crit-days: N days or N% of each certificate's lifetime. */
static int
parse_limit(const char *opt, const char *s, int *n, bool *percent, char **err)
{
	if (config_parse_limit(s, n, percent) == -1) {
		*err = xasprintf("%s: expected days from 0 to 36500 or a share "
		    "of the lifetime from 0%% to 100%%, got '%s'", opt, s);
		return -1;
	}
	return 0;
}

static int
parse_shard(const char *s, int *i, int *n, char **err)
{
	char tail;

	if (sscanf(s, "%d/%d%c", i, n, &tail) != 2 || *n < 1 || *i < 1 ||
	    *i > *n) {
		*err = xasprintf("--shard: expected I/N with 1 <= I <= N, "
		    "got '%s'", s);
		return -1;
	}
	return 0;
}

/*
 * Apply one option (from the command line or a config line) to the run.
 * arg is NULL for a flag.  Returns 0, or -1 with *err set (caller frees).
 */
static int
apply_option(struct run *run, struct cli *cli, int opt, const char *arg,
    char **err)
{
	switch (opt) {
	case OPT_FQDN:
		cli->fqdn_raw = arg;
		return 0;
	case OPT_TRUST:
		run->trust_path = arg;
		return 0;
	case OPT_AT:
		cli->at = arg;
		return 0;
	case OPT_WARN_DAYS:
		return parse_limit("--warn-days", arg, &run->policy.warn_days,
		    &run->policy.warn_percent, err);
	case OPT_CRIT_DAYS:
		return parse_limit("--crit-days", arg, &run->policy.crit_days,
		    &run->policy.crit_percent, err);
	case OPT_KEY:
		run->key_path = arg;
		return 0;
	case OPT_PASSWORD:
		run->password_spec = arg;
		return 0;
	case OPT_FORMAT:
		if (report_format_find(arg) == NULL) {
			*err = xasprintf("--format: unknown format '%s' (text, "
			    "json, junit, sarif, nagios, prometheus, html, "
			    "markdown)", arg);
			return -1;
		}
		run->format = arg;
		return 0;
	case 'o':
		run->output = arg;
		return 0;
	case OPT_DISABLE:
		/* Each --disable adds to the others, lists and repeats alike. */
		buf_addf(&cli->disable, "%s,", arg);
		return 0;
	case 'q':
		run->quiet = true;
		return 0;
	case 'v':
		run->show_chain = true;
		return 0;
	case OPT_COLOR:
		cli->color = arg;
		return 0;
	case OPT_EACH:
		run->each = true;
		return 0;
	case OPT_PORT:
		run->port_given = true;
		return parse_int("--port", arg, 1, 65535, &run->policy.port, err);
	case OPT_TIMEOUT:
		run->timeout_given = true;
		return parse_int("--timeout", arg, 1, 3600, &run->timeout_sec,
		    err);
	case OPT_SERVERNAME:
		run->servername = arg;
		return 0;
	case OPT_NO_SNI:
		run->no_sni = true;
		return 0;
	case OPT_CONNECT:
		run->connect_addr = arg;
		return 0;
	case OPT_RESOLVER:
		run->resolver = arg;
		return 0;
	case OPT_SRV:
		run->srv = true;
		return 0;
	case OPT_SIP:
		run->sip = true;
		return 0;
	case OPT_TARGETS:
		run->targets_path = arg;
		return 0;
	case OPT_JOBS:
		cli->jobs_given = true;
		return parse_int("--jobs", arg, 1, 1024, &run->jobs, err);
	case OPT_CONNECTIONS:
		return parse_int("--connections", arg, 1, 64,
		    &run->connections, err);
	case OPT_LISTEN:
		run->listen_addr = arg;
		return 0;
	case OPT_INTERVAL:
		return parse_int("--interval", arg, 1, 86400, &run->interval_sec,
		    err);
	case OPT_ALLOW: {
		char *joined = run->allow == NULL ? xstrdup(arg) :
		    xasprintf("%s,%s", run->allow, arg);

		free(run->allow);
		run->allow = joined;
		return 0;
	}
	case OPT_SHARD:
		return parse_shard(arg, &run->shard_i, &run->shard_n, err);
	case OPT_FETCH:
		run->fetch = true;
		return 0;
	case OPT_P12:
		run->p12_out = arg;
		return 0;
	case OPT_CERT:
		run->cert_path = arg;
		return 0;
	case OPT_COUNT:
		return parse_int("--count", arg, 1, 1000, &run->count, err);
	case OPT_REQUIRE_CLIENT_CERT:
		run->require_client_cert = true;
		return 0;
	case OPT_CLIENT_CERT:
		run->client_cert_path = arg;
		return 0;
	case OPT_CLIENT_KEY:
		run->client_key_path = arg;
		return 0;
	case OPT_SAVE_CHAIN:
		run->save_chain_dir = arg;
		return 0;
	default:
		*err = xstrdup("unknown option");
		return -1;
	}
}

struct config_ctx {
	struct run *run;
	struct cli *cli;
};

/* config_option_fn: a setting from --config, applied like an option. */
static int
config_option(void *arg, int val, const char *optarg, char **err)
{
	struct config_ctx *c = arg;

	return apply_option(c->run, c->cli, val, optarg, err);
}

static int
apply_disable(struct run *run, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int idx, rc = 0;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if ((idx = rule_index(tok)) < 0 || idx >= RULES_MAX) {
			rc = usage_error("--disable: no rule '%s' (bwcertcheck "
			    "rules lists them)", tok);
			break;
		}
		run->disabled[idx] = true;
	}
	free(copy);
	return rc;
}

static const char *
command_name(enum command cmd)
{
	switch (cmd) {
	case CMD_LINT:
		return "lint";
	case CMD_PROBE:
		return "probe";
	case CMD_FIX_CHAIN:
		return "fix-chain";
	case CMD_EXPORTER:
		return "exporter";
	case CMD_LISTEN:
		return "listen";
	default:
		return "rules";
	}
}

/* What the report says the command was. */
static enum report_command
report_command_of(enum command cmd)
{
	switch (cmd) {
	case CMD_PROBE:
		return REPORT_PROBE;
	case CMD_LISTEN:
		return REPORT_LISTEN;
	case CMD_FIX_CHAIN:
		return REPORT_FIX_CHAIN;
	default:
		return REPORT_LINT;
	}
}

/* Apply --config: its [policy], then its settings; the command line comes after. */
static int
apply_config(struct run *run, struct cli *cli)
{
	struct config_ctx ctx = { .run = run, .cli = cli };
	char *err = NULL;

	if (config_load(cli->config_path, &cli->cfg, &err) != 0 ||
	    config_apply_policy(&cli->cfg, &run->policy, &err) != 0 ||
	    config_apply_options(&cli->cfg, command_name(cli->cmd),
	    long_options, config_option, &ctx, &err) != 0) {
		diag_error("%s", err != NULL ? err : "bad configuration");
		free(err);
		return EXIT_UNKNOWN;
	}
	return 0;
}

/* Print text wrapped at width columns, each line indented by indent. */
static void
print_wrapped(const char *label, const char *text, int indent, int width)
{
	const char *p = text, *word;
	int col, len;

	col = printf("%-*s", indent, label);
	while (*p != '\0') {
		while (*p == ' ')
			p++;
		word = p;
		while (*p != '\0' && *p != ' ')
			p++;
		len = (int)(p - word);
		if (len == 0)
			break;
		if (col > indent && col + 1 + len > width) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			putchar(' ');
			col++;
		}
		col += printf("%.*s", len, word);
	}
	putchar('\n');
}

static const char rules_usage[] =
"usage: bwcertcheck rules [--format text|json] [ID]\n"
"  without ID: one line per rule (ID, severity, title);\n"
"  with ID: what the rule checks, how to fix a failure, where it comes from\n";

static int
cmd_rules(int argc, char **argv)
{
	const char *format = "text", *id = NULL;
	const struct rule *r;
	json_t *arr, *o;
	size_t i;
	int k;

	for (k = 0; k < argc; k++) {
		if (strcmp(argv[k], "--format") == 0 && k + 1 < argc)
			format = argv[++k];
		else if (strncmp(argv[k], "--format=", 9) == 0)
			format = argv[k] + 9;
		else if (strcmp(argv[k], "--help") == 0 ||
		    strcmp(argv[k], "-h") == 0) {
			fputs(rules_usage, stdout);
			return 0;
		} else if (argv[k][0] == '-')
			return usage_error("rules: unknown option '%s'", argv[k]);
		else if (id == NULL)
			id = argv[k];
		else
			return usage_error("rules: one rule ID at most");
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return usage_error("rules: --format is text or json");
	if (id != NULL && rule_find(id) == NULL)
		return usage_error("rules: no rule '%s'", id);
	if (strcmp(format, "json") == 0) {
		arr = json_array();
		for (i = 0; i < rule_count; i++) {
			r = &rule_table[i];
			if (id != NULL && strcmp(id, r->id) != 0)
				continue;
			o = json_object();
			json_object_set_new(o, "id", json_string(r->id));
			json_object_set_new(o, "severity",
			    json_string(severity_name(r->severity)));
			json_object_set_new(o, "title", json_string(r->title));
			json_object_set_new(o, "source", json_string(r->source));
			json_object_set_new(o, "explain", json_string(r->explain));
			json_object_set_new(o, "fix", json_string(r->fix));
			json_object_set_new(o, "probe_only",
			    json_boolean((r->needs & NEEDS_PROBE) != 0));
			json_object_set_new(o, "listen_only",
			    json_boolean((r->needs & NEEDS_CLIENT) != 0));
			json_array_append_new(arr, o);
		}
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(arr);
		return 0;
	}
	if (id != NULL) {
		r = rule_find(id);
		printf("%s (%s%s): %s\n\n", r->id, severity_name(r->severity),
		    (r->needs & NEEDS_PROBE) ? ", probe only" :
		    (r->needs & NEEDS_CLIENT) ? ", listen only" : "", r->title);
		print_wrapped("What", r->explain, 8, 76);
		putchar('\n');
		print_wrapped("Fix", r->fix, 8, 76);
		putchar('\n');
		print_wrapped("Source", r->source, 8, 76);
		return 0;
	}
	for (i = 0; i < rule_count; i++) {
		r = &rule_table[i];
		printf("%-24s %-8s %s%s\n", r->id, severity_name(r->severity),
		    (r->needs & NEEDS_PROBE) ? "(probe) " :
		    (r->needs & NEEDS_CLIENT) ? "(listen) " : "", r->title);
	}
	return 0;
}

/* Do descriptors a and b write to the same file, pipe or terminal? */
static bool
same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static bool
want_color(const struct cli *cli, FILE *out)
{
	const char *term = getenv("TERM");

	if (cli->color == NULL || strcmp(cli->color, "auto") == 0)
		return getenv("NO_COLOR") == NULL && isatty(fileno(out)) &&
		    !(term != NULL && strcmp(term, "dumb") == 0);
	return strcmp(cli->color, "always") == 0;
}

/* Settle what depends on several options; load the trust store. */
static int
finish_run(struct run *run, struct cli *cli)
{
	struct stat sb;
	char *err = NULL;
	int rc;

	if (cli->color != NULL && strcmp(cli->color, "auto") != 0 &&
	    strcmp(cli->color, "always") != 0 && strcmp(cli->color, "never") != 0)
		return usage_error("--color: auto, always or never");
	if (cli->at != NULL && time_parse(cli->at, &run->now) != 0)
		return usage_error("--at: not an RFC 3339 time or @EPOCH: '%s'",
		    cli->at);
	run->now_fixed = cli->at != NULL;
	/* --save-chain DIR must be there to write in, before anything is probed. */
	if (run->save_chain_dir != NULL) {
		const char *why = NULL;

		if (stat(run->save_chain_dir, &sb) != 0)
			why = strerror(errno);
		else if (!S_ISDIR(sb.st_mode))
			why = "not a directory";
		else if (access(run->save_chain_dir, W_OK) != 0)
			why = strerror(errno);
		if (why != NULL) {
			diag_error("--save-chain %s: %s", run->save_chain_dir, why);
			return EXIT_UNKNOWN;
		}
	}
	if (cli->disable.len > 0 && (rc = apply_disable(run, cli->disable.ptr)) != 0)
		return rc;
	if (cli->fqdn_raw != NULL) {
		if ((run->fqdn = fqdn_normalize(cli->fqdn_raw, &err)) == NULL) {
			rc = usage_error("--fqdn '%s': %s", cli->fqdn_raw, err);
			free(err);
			return rc;
		}
	}
	if (run->trust_path != NULL)
		run->trust = trust_load_path(run->trust_path, &err);
	else
		run->trust = trust_load_builtin(&run->policy, &err);
	if (run->trust == NULL) {
		diag_error("%s", err);
		free(err);
		return EXIT_UNKNOWN;
	}
	if (cli->cmd == CMD_PROBE && probe_client_load(run, &err) != 0) {
		diag_error("%s", err);
		free(err);
		return EXIT_UNKNOWN;
	}
	return 0;
}

/*
 * fix-chain's -o is the chain file, and only the command line names it
 * (an output= in --config is meant for reports); the report goes to
 * standard output.
 */
static int
fix_chain_options(struct run *run, const struct cli *cli, int nargs)
{
	int idx = rule_index("accepted-ca");

	if (nargs == 0)
		return usage_error("fix-chain: no FILE given");
	if (cli->output_cli == NULL || strcmp(cli->output_cli, "-") == 0)
		return usage_error("fix-chain: -o FILE names the chain file to "
		    "write");
	if (run->p12_out != NULL && run->password_spec == NULL)
		return usage_error("fix-chain: --p12 needs --password (the "
		    "PKCS#12's password)");
	if (run->p12_out != NULL && strcmp(run->p12_out, cli->output_cli) == 0)
		return usage_error("fix-chain: --p12 and -o name the same file");
	if (run->each)
		return usage_error("fix-chain: every FILE is part of one chain "
		    "(no --each)");
	if (idx >= 0 && idx < RULES_MAX && run->disabled[idx])
		return usage_error("fix-chain: accepted-ca cannot be disabled: "
		    "the chain written must reach an accepted root");
	run->chain_out = cli->output_cli;
	run->output = NULL;
	return 0;
}

/* report's write_failed: the report cannot be written; stop here. */
static void
write_failed(void *arg, int e)
{
	report_out_write_failed(arg, e);
}

static int
run_command(struct run *run, struct cli *cli, char **args, int nargs)
{
	const struct report_format *fmt = report_format_find(run->format);
	struct lint_inputs *in = NULL;
	struct report rep;
	struct report_out out;
	enum result res;
	char *err = NULL;
	int rc;

	if (cli->cmd == CMD_EXPORTER) {
		if (nargs > 0)
			return usage_error("exporter: no HOST arguments (targets "
			    "come in /probe requests, or --targets FILE)");
		if (run->srv || run->output != NULL || run->shard_n > 1)
			return usage_error("exporter: --srv, -o and --shard are "
			    "not for the exporter");
		if (!cli->jobs_given)
			run->jobs = 4;
		return result_exit_code(op_exporter(run));
	}
	if (cli->cmd == CMD_LINT && nargs == 0)
		return usage_error("lint: no FILE given ('-' reads stdin)");
	if (cli->cmd == CMD_PROBE && nargs == 0 && run->targets_path == NULL)
		return usage_error("probe: no HOST given (or --targets FILE)");
	if (cli->cmd == CMD_FIX_CHAIN && (rc = fix_chain_options(run, cli,
	    nargs)) != 0)
		return rc;
	if (cli->cmd == CMD_LISTEN && nargs > 0)
		return usage_error("listen: takes no HOST or FILE ('%s')",
		    args[0]);
	if (cli->cmd == CMD_LISTEN && run->key_path != NULL &&
	    run->cert_path == NULL)
		return usage_error("listen: --key goes with --cert");
	/* A run-level input that cannot be read: no verdict, no report. */
	if ((cli->cmd == CMD_LINT || cli->cmd == CMD_FIX_CHAIN) &&
	    (in = lint_inputs_read(run, &err)) == NULL) {
		diag_error("%s", err);
		free(err);
		return EXIT_UNKNOWN;
	}
	if ((rc = report_out_open(&out, run->output, &err)) != 0) {
		diag_error("%s", err);
		free(err);
		lint_inputs_free(in);
		return EXIT_UNKNOWN;
	}
	run->errors_in_report = out.is_stdout && same_file(STDOUT_FILENO,
	    STDERR_FILENO);
	report_begin(&rep, fmt, out.fp, &run->policy, run->now, run->quiet,
	    report_command_of(cli->cmd));
	rep.color = strcmp(fmt->name, "text") == 0 && want_color(cli, out.fp);
	rep.show_chain = run->show_chain;
	rep.write_failed = write_failed;
	rep.write_failed_arg = &out;
	if (cli->cmd == CMD_LINT)
		res = op_lint(run, in, &rep, args, nargs);
	else if (cli->cmd == CMD_FIX_CHAIN)
		res = op_fix_chain(run, in, &rep, args, nargs);
	else if (cli->cmd == CMD_LISTEN)
		res = op_listen(run, &rep);
	else
		res = op_probe(run, &rep, args, nargs);
	report_end(&rep);
	res = result_worst(res, rep.worst);
	rc = result_exit_code(res);
	if (cli->cmd == CMD_LISTEN && rep.n_subjects == 0)
		/* No client, no report: the previous FILE stays as it was. */
		report_out_abort(&out);
	else if (report_out_commit(&out, &err) != 0) {
		diag_error("%s", err);
		free(err);
		rc = EXIT_UNKNOWN;
	}
	lint_inputs_free(in);
	return rc;
}

int
main(int argc, char **argv)
{
	struct run run;
	struct cli cli = { 0 };
	char *err = NULL;
	int opt, rc = EXIT_UNKNOWN, i;

	report_out_std_fds();
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_UNKNOWN;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		version_print(stdout);
		return 0;
	}
	if (strcmp(argv[1], "rules") == 0)
		return cmd_rules(argc - 2, argv + 2);
	if (strcmp(argv[1], "lint") == 0)
		cli.cmd = CMD_LINT;
	else if (strcmp(argv[1], "probe") == 0)
		cli.cmd = CMD_PROBE;
	else if (strcmp(argv[1], "fix-chain") == 0)
		cli.cmd = CMD_FIX_CHAIN;
	else if (strcmp(argv[1], "exporter") == 0)
		cli.cmd = CMD_EXPORTER;
	else if (strcmp(argv[1], "listen") == 0)
		cli.cmd = CMD_LISTEN;
	else
		return usage_error("unknown command '%s' (lint, probe, fix-chain, "
		    "exporter, listen, rules)", argv[1]);

	run_init(&run);
	/* First pass: find --config, whose settings the command line overrides. */
	opterr = 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "qo:Vv", long_options, NULL)) != -1)
		if (opt == OPT_CONFIG)
			cli.config_path = optarg;
	if (cli.config_path != NULL && (rc = apply_config(&run, &cli)) != 0)
		goto out;
	opterr = 1;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "qo:Vv", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_HELP:
			fputs(usage_text, stdout);
			rc = 0;
			goto out;
		case OPT_VERSION:
		case 'V':
			version_print(stdout);
			rc = 0;
			goto out;
		case OPT_CONFIG:
			break;
		case 'o':
			cli.output_cli = optarg;
			run.output = optarg;
			break;
		case '?':
		case ':':
			rc = usage_error("bad option");
			goto out;
		default:
			if (apply_option(&run, &cli, opt, optarg, &err) != 0) {
				rc = usage_error("%s", err);
				free(err);
				goto out;
			}
		}
	}
	for (i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") != 0 && argv[i][0] == '-') {
			rc = usage_error("unknown option '%s'", argv[i]);
			goto out;
		}
	if (cli.cmd == CMD_LISTEN && !run.timeout_given)
		run.timeout_sec = 300;
	if ((rc = finish_run(&run, &cli)) != 0)
		goto out;
	rc = run_command(&run, &cli, argv + optind, argc - optind);
out:
	probe_client_free(&run);
	run_free(&run);
	config_free(&cli.cfg);
	buf_free(&cli.disable);
	return rc;
}

/*
 * test_config.c - the --config INI file: syntax, sections, errors that
 * name FILE:LINE, the [policy] keys, and the order in which settings
 * apply (policy, then the general sections, then [lint]/[probe]; the
 * command line, applied by the caller afterwards, wins).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/config.h"

/* Load text as "x.ini"; returns the error (caller frees) or NULL. */
static char *
load(const char *text, struct config *cf)
{
	char *err = NULL;
	int rc = config_load_string("x.ini", text, cf, &err);

	assert_int_equal(rc, err == NULL ? 0 : -1);
	return err;
}

static void
assert_load_error(const char *text, const char *want)
{
	struct config cf;
	char *err = load(text, &cf);

	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
	config_free(&cf);
}

static void
test_config_load_keeps_section_key_value_and_line(void **state)
{
	struct config cf;
	const char *text =
	    "# comment\n"
	    "format = junit\n"
	    "\n"
	    "; another comment\n"
	    "[bwcertcheck]\n"
	    "fqdn = pbx.example.test ; inline comment\n"
	    "[LINT]\n"
	    "Warn_Days = 10\n"
	    "[policy]\n"
	    "name = \"Acme internal\"\n";

	(void)state;
	assert_null(load(text, &cf));
	assert_int_equal(cf.n, 4);
	assert_string_equal(cf.entries[0].section, "");
	assert_string_equal(cf.entries[0].key, "format");
	assert_string_equal(cf.entries[0].value, "junit");
	assert_int_equal(cf.entries[0].line, 2);
	assert_string_equal(cf.entries[1].section, "bwcertcheck");
	assert_string_equal(cf.entries[1].value, "pbx.example.test");
	assert_int_equal(cf.entries[1].line, 6);
	assert_string_equal(cf.entries[2].section, "lint");
	assert_string_equal(cf.entries[2].key, "warn-days");
	assert_int_equal(cf.entries[2].line, 8);
	assert_string_equal(cf.entries[3].value, "Acme internal");
	assert_int_equal(cf.entries[3].line, 10);
	config_free(&cf);
}

static void
test_config_load_indented_line_is_a_line_of_its_own(void **state)
{
	struct config cf;

	(void)state;
	assert_null(load("[policy]\nbrands = digicert\n    port = 5062\r\n",
	    &cf));
	assert_int_equal(cf.n, 2);
	assert_string_equal(cf.entries[1].key, "port");
	assert_string_equal(cf.entries[1].value, "5062");
	assert_int_equal(cf.entries[1].line, 3);
	config_free(&cf);
}

static void
test_config_load_errors_name_file_and_line(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "format = json\nnot a pair\n",
		  "x.ini:2: expected 'key = value' or '[section]'" },
		{ "\n\n[frob]\nx = 1\n",
		  "x.ini:3: unknown section [frob] (known: [bwcertcheck], "
		  "[lint], [probe], [exporter], [listen], [policy])" },
		{ "[policy\n", "x.ini:1: expected 'key = value' or '[section]'" },
		{ "format = json\n[bwcertcheck]\nformat = text\n",
		  "x.ini:3: 'format' already set at line 1" },
		{ "[policy]\nport = 1\n[policy]\nPORT = 2\n",
		  "x.ini:4: 'port' already set at line 2" },
		{ "fqdn =\n", "x.ini:1: no value for 'fqdn'" },
		{ "a = 1\nb\nc\n",
		  "x.ini:2: expected 'key = value' or '[section]'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_load_error(cases[i].text, cases[i].err);
}

static void
test_config_load_too_long_line_is_refused_not_split(void **state)
{
	char text[400];
	struct config cf;
	char *err;

	(void)state;
	memset(text, 'a', sizeof(text));
	memcpy(text, "fqdn = ", 7);
	memcpy(text + sizeof(text) - 2, "\n", 2);
	err = load(text, &cf);
	assert_non_null(err);
	assert_non_null(strstr(err, "x.ini:1: line longer than"));
	free(err);
	config_free(&cf);
}

static void
test_config_load_missing_file_names_the_file(void **state)
{
	struct config cf;
	char *err = NULL;

	(void)state;
	assert_int_equal(config_load("/nonexistent/bwc.ini", &cf, &err), -1);
	assert_string_equal(err, "/nonexistent/bwc.ini: No such file or "
	    "directory");
	free(err);
	config_free(&cf);
}

static void
test_config_load_reads_a_file_and_refuses_nul_bytes(void **state)
{
	char path[] = "/tmp/bwc-config-XXXXXX";
	int fd = mkstemp(path);
	struct config cf;
	char *err = NULL, *want;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[probe]\njobs = 4\n", 17), 17);
	assert_int_equal(config_load(path, &cf, &err), 0);
	assert_int_equal(cf.n, 1);
	assert_string_equal(cf.entries[0].section, "probe");
	assert_string_equal(cf.path, path);
	config_free(&cf);

	assert_int_equal(write(fd, "x\0y\n", 4), 4);
	assert_int_equal(config_load(path, &cf, &err), -1);
	want = xasprintf("%s: contains a NUL byte: not a text file", path);
	assert_string_equal(err, want);
	free(want);
	free(err);
	config_free(&cf);
	close(fd);
	unlink(path);
}

static void
test_policy_apply_sets_each_key(void **state)
{
	struct policy p;
	char *err = NULL;

	(void)state;
	policy_default(&p);
	assert_int_equal(policy_apply(&p, "name", "acme", &err), 0);
	assert_string_equal(p.name, "acme");
	assert_int_equal(policy_apply(&p, "brands", " LetsEncrypt ,digicert",
	    &err), 0);
	assert_int_equal(p.brands, (1u << BRAND_LETSENCRYPT) |
	    (1u << BRAND_DIGICERT));
	assert_int_equal(policy_apply(&p, "suites",
	    "TLS_RSA_WITH_AES_256_CBC_SHA256, aes128-sha", &err), 0);
	assert_int_equal(p.suites, (1u << SUITE_AES256_SHA256) |
	    (1u << SUITE_AES128_SHA));
	assert_int_equal(p.default_suite, SUITE_AES256_SHA256);
	assert_int_equal(policy_apply(&p, "default-suite", "AES128-SHA",
	    &err), 0);
	assert_int_equal(p.default_suite, SUITE_AES128_SHA);
	assert_int_equal(policy_apply(&p, "default-suite", "none", &err), 0);
	assert_int_equal(p.default_suite, -1);
	assert_int_equal(policy_apply(&p, "min-rsa-bits", "3072", &err), 0);
	assert_int_equal(p.min_rsa_bits, 3072);
	assert_int_equal(policy_apply(&p, "wildcards", "No", &err), 0);
	assert_false(p.wildcards);
	assert_int_equal(policy_apply(&p, "warn-days", "45", &err), 0);
	assert_int_equal(p.warn_days, 45);
	assert_false(p.warn_percent);
	assert_int_equal(policy_apply(&p, "warn-days", "33%", &err), 0);
	assert_int_equal(p.warn_days, 33);
	assert_true(p.warn_percent);
	assert_int_equal(policy_apply(&p, "crit-days", "7", &err), 0);
	assert_int_equal(p.crit_days, 7);
	assert_false(p.crit_percent);
	assert_int_equal(policy_apply(&p, "crit-days", "10%", &err), 0);
	assert_int_equal(p.crit_days, 10);
	assert_true(p.crit_percent);
	assert_int_equal(policy_apply(&p, "port", "5062", &err), 0);
	assert_int_equal(p.port, 5062);
	assert_int_equal(p.srtp, SRTP_SDES);
	assert_int_equal(policy_apply(&p, "srtp", "DTLS", &err), 0);
	assert_int_equal(p.srtp, SRTP_DTLS);
	assert_int_equal(policy_apply(&p, "srtp", "any", &err), 0);
	assert_int_equal(p.srtp, SRTP_SDES | SRTP_DTLS);
	assert_string_equal(srtp_policy_name(p.srtp), "any");
	assert_int_equal(policy_apply(&p, "srtp", "sdes", &err), 0);
	assert_int_equal(p.srtp, SRTP_SDES);
	assert_null(err);
}

static void
test_policy_apply_bad_values_say_why(void **state)
{
	static const struct {
		const char *key, *value, *err;
	} cases[] = {
		{ "brands", "digicert, verisign", "unknown brand 'verisign' "
		  "(known: digicert, godaddy, letsencrypt, identrust, comodo, "
		  "globalsign)" },
		{ "brands", " , ", "an empty list" },
		{ "suites", "ECDHE-RSA-AES128-GCM-SHA256", "unknown suite "
		  "'ECDHE-RSA-AES128-GCM-SHA256' (known: AES128-SHA, "
		  "AES128-SHA256, AES256-SHA256, or their IANA names)" },
		{ "default-suite", "AES256-SHA256", "default suite "
		  "'AES256-SHA256' is not one of the policy's suites" },
		{ "min-rsa-bits", "2048x", "'min-rsa-bits' must be a number "
		  "from 512 to 16384, not '2048x'" },
		{ "port", "0", "'port' must be a number from 1 to 65535, not '0'" },
		{ "warn-days", "-1", "'warn-days' must be a number of days from "
		  "0 to 36500, or a share of the lifetime from 0% to 100%, not "
		  "'-1'" },
		{ "warn-days", "101%", "'warn-days' must be a number of days "
		  "from 0 to 36500, or a share of the lifetime from 0% to 100%, "
		  "not '101%'" },
		{ "crit-days", "7d", "'crit-days' must be a number of days from "
		  "0 to 36500, or a share of the lifetime from 0% to 100%, not "
		  "'7d'" },
		{ "crit-days", "%", "'crit-days' must be a number of days from "
		  "0 to 36500, or a share of the lifetime from 0% to 100%, not "
		  "'%'" },
		{ "wildcards", "sometimes", "'wildcards' takes yes or no, not "
		  "'sometimes'" },
		{ "name", "a\tb", "'name' may hold only printable UTF-8 text (no control characters, no backslash)" },
		{ "colour", "red", "unknown policy key 'colour' (known: name, "
		  "brands, suites, default-suite, min-rsa-bits, wildcards, "
		  "warn-days, crit-days, port, srtp)" },
		{ "srtp", "zrtp", "'srtp' takes sdes, dtls or any, not 'zrtp'" },
	};
	struct policy p;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *err = NULL;

		policy_default(&p);
		p.suites = 1u << SUITE_AES128_SHA;
		assert_int_equal(policy_apply(&p, cases[i].key, cases[i].value,
		    &err), -1);
		assert_string_equal(err, cases[i].err);
		free(err);
	}
}

static void
test_config_apply_policy_unnamed_change_is_called_custom(void **state)
{
	struct config cf;
	struct policy p;
	char *err = NULL;

	(void)state;
	assert_null(load("[policy]\nwildcards = no\n", &cf));
	policy_default(&p);
	assert_int_equal(config_apply_policy(&cf, &p, &err), 0);
	assert_string_equal(p.name, "custom (x.ini)");
	assert_false(p.wildcards);
	config_free(&cf);

	assert_null(load("[policy]\nname = strict\nwarn-days = 60\n", &cf));
	policy_default(&p);
	assert_int_equal(config_apply_policy(&cf, &p, &err), 0);
	assert_string_equal(p.name, "strict");
	assert_int_equal(p.warn_days, 60);
	config_free(&cf);
}

static void
test_config_apply_policy_default_suite_is_judged_after_suites(void **state)
{
	struct config cf;
	struct policy p;
	char *err = NULL;

	(void)state;
	assert_null(load("[policy]\ndefault-suite = AES256-SHA256\n"
	    "suites = AES128-SHA256, AES256-SHA256\n", &cf));
	policy_default(&p);
	assert_int_equal(config_apply_policy(&cf, &p, &err), 0);
	assert_int_equal(p.default_suite, SUITE_AES256_SHA256);
	assert_int_equal(p.suites, (1u << SUITE_AES128_SHA256) |
	    (1u << SUITE_AES256_SHA256));
	config_free(&cf);
}

static void
test_config_apply_policy_error_names_file_and_line(void **state)
{
	struct config cf;
	struct policy p;
	char *err = NULL;

	(void)state;
	assert_null(load("format = json\n[policy]\nname = x\n"
	    "min-rsa-bits = lots\n", &cf));
	policy_default(&p);
	assert_int_equal(config_apply_policy(&cf, &p, &err), -1);
	assert_string_equal(err, "x.ini:4: 'min-rsa-bits' must be a number "
	    "from 512 to 16384, not 'lots'");
	free(err);
	config_free(&cf);
}

/* A stand-in for bwcertcheck.c's option handler: records what it is given. */
enum { OPT_FORMAT = 256, OPT_WARN_DAYS, OPT_JOBS, OPT_CONFIG, OPT_EACH };

static const struct option opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "warn-days", required_argument, NULL, OPT_WARN_DAYS },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "each", no_argument, NULL, OPT_EACH },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

struct seen {
	struct buf log;
	int warn_days;
	char format[32];
};

static int
record(void *arg, int val, const char *optarg, char **err)
{
	struct seen *s = arg;

	buf_addf(&s->log, "%d=%s;", val, optarg != NULL ? optarg : "(flag)");
	if (val == OPT_WARN_DAYS) {
		if (strcmp(optarg, "bad") == 0) {
			*err = xstrdup("--warn-days: not a number");
			return -1;
		}
		s->warn_days = atoi(optarg);
	}
	if (val == OPT_FORMAT)
		snprintf(s->format, sizeof(s->format), "%s", optarg);
	return 0;
}

static char *
apply(const char *text, const char *command, struct seen *s)
{
	struct config cf;
	char *err = load(text, &cf);

	assert_null(err);
	memset(s, 0, sizeof(*s));
	if (config_apply_options(&cf, command, opts, record, s, &err) == 0)
		err = NULL;
	buf_addc(&s->log, '\0');
	config_free(&cf);
	return err;
}

static void
test_config_apply_options_general_first_then_the_commands_section(void **state)
{
	struct seen s;

	(void)state;
	assert_null(apply("[lint]\nwarn-days = 7\n[probe]\njobs = 8\n"
	    "[bwcertcheck]\nwarn-days = 20\n", "lint", &s));
	assert_string_equal(s.log.ptr, "257=20;257=7;");
	assert_int_equal(s.warn_days, 7);
	buf_free(&s.log);

	assert_null(apply("[lint]\nwarn-days = 7\n[probe]\njobs = 8\n",
	    "probe", &s));
	assert_string_equal(s.log.ptr, "258=8;");
	buf_free(&s.log);
}

static void
test_config_apply_options_exporter_section_only_for_the_exporter(void **state)
{
	struct seen s;

	(void)state;
	assert_null(apply("jobs = 1\n[probe]\njobs = 8\n[exporter]\njobs = 2\n",
	    "exporter", &s));
	assert_string_equal(s.log.ptr, "258=1;258=2;");
	buf_free(&s.log);

	assert_null(apply("[probe]\njobs = 8\n[exporter]\njobs = 2\n", "probe",
	    &s));
	assert_string_equal(s.log.ptr, "258=8;");
	buf_free(&s.log);
}

static void
test_config_apply_options_flags_take_yes_or_no(void **state)
{
	struct seen s;
	char *err;

	(void)state;
	assert_null(apply("quiet = yes\neach = off\n", "lint", &s));
	assert_string_equal(s.log.ptr, "113=(flag);");
	buf_free(&s.log);

	err = apply("\neach = maybe\n", "lint", &s);
	assert_string_equal(err, "x.ini:2: 'each' takes yes or no, not 'maybe'");
	free(err);
	buf_free(&s.log);
}

static void
test_config_apply_options_refuses_unknown_and_forbidden_keys(void **state)
{
	struct seen s;
	char *err;

	(void)state;
	/* checked in every section, even one the command does not read */
	err = apply("format = json\n[probe]\nfrobnicate = 1\n", "lint", &s);
	assert_string_equal(err, "x.ini:3: unknown option 'frobnicate'");
	assert_string_equal(s.log.ptr, "");
	free(err);
	buf_free(&s.log);

	err = apply("config = other.ini\n", "lint", &s);
	assert_string_equal(err, "x.ini:1: 'config' cannot be set in a "
	    "config file");
	free(err);
	buf_free(&s.log);
}

static void
test_config_apply_options_handler_error_gets_file_and_line(void **state)
{
	struct seen s;
	char *err;

	(void)state;
	err = apply("format = json\n\nwarn-days = bad\n", "lint", &s);
	assert_string_equal(err, "x.ini:3: --warn-days: not a number");
	free(err);
	buf_free(&s.log);
}

static void
test_command_line_applied_after_config_wins(void **state)
{
	struct seen s;
	char *err = NULL;

	(void)state;
	/* what bwcertcheck.c does: the file first, then argv */
	assert_null(apply("format = junit\nwarn-days = 10\n", "lint", &s));
	assert_int_equal(record(&s, OPT_WARN_DAYS, "20", &err), 0);
	assert_int_equal(s.warn_days, 20);
	assert_string_equal(s.format, "junit");
	buf_free(&s.log);
}

static void
test_config_parse_bool_and_int(void **state)
{
	bool b = false;
	long n = 0;

	(void)state;
	assert_int_equal(config_parse_bool("TRUE", &b), 0);
	assert_true(b);
	assert_int_equal(config_parse_bool("0", &b), 0);
	assert_false(b);
	assert_int_equal(config_parse_bool("", &b), -1);
	assert_int_equal(parse_long("42", 0, 100, &n), 0);
	assert_int_equal(n, 42);
	assert_int_equal(parse_long("101", 0, 100, &n), -1);
	assert_int_equal(parse_long(" 1", 0, 100, &n), -1);
	assert_int_equal(parse_long("", 0, 100, &n), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_load_keeps_section_key_value_and_line),
		cmocka_unit_test(test_config_load_indented_line_is_a_line_of_its_own),
		cmocka_unit_test(test_config_load_errors_name_file_and_line),
		cmocka_unit_test(test_config_load_too_long_line_is_refused_not_split),
		cmocka_unit_test(test_config_load_missing_file_names_the_file),
		cmocka_unit_test(test_config_load_reads_a_file_and_refuses_nul_bytes),
		cmocka_unit_test(test_policy_apply_sets_each_key),
		cmocka_unit_test(test_policy_apply_bad_values_say_why),
		cmocka_unit_test(test_config_apply_policy_unnamed_change_is_called_custom),
		cmocka_unit_test(test_config_apply_policy_default_suite_is_judged_after_suites),
		cmocka_unit_test(test_config_apply_policy_error_names_file_and_line),
		cmocka_unit_test(test_config_apply_options_general_first_then_the_commands_section),
		cmocka_unit_test(test_config_apply_options_exporter_section_only_for_the_exporter),
		cmocka_unit_test(test_config_apply_options_flags_take_yes_or_no),
		cmocka_unit_test(test_config_apply_options_refuses_unknown_and_forbidden_keys),
		cmocka_unit_test(test_config_apply_options_handler_error_gets_file_and_line),
		cmocka_unit_test(test_command_line_applied_after_config_wins),
		cmocka_unit_test(test_config_parse_bool_and_int),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_exporter_allow.c - what the exporter's /probe accepts as a
 * target, and what an --allow list lets it probe.  No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/exporter.h"

/* One row: a /probe target (and fqdn) and what comes of it. */
struct target_case {
	const char *target;
	const char *fqdn;
	const char *host;	/* NULL: refused */
	int port;
	const char *fqdn_out;	/* the fqdn kept, or NULL */
	const char *err_has;
};

static const struct target_case target_cases[] = {
	{ "pbx.example.com", NULL, "pbx.example.com", 5061, NULL, NULL },
	{ "PBX.example.com:5062", "", "pbx.example.com", 5062, NULL, NULL },
	{ "192.0.2.7:5061", "Pbx3.Example.com.", "192.0.2.7", 5061,
	    "pbx3.example.com", NULL },
	{ "[2001:db8::1]:5063", NULL, "2001:db8::1", 5063, NULL, NULL },
	{ "http://pbx.example.com/", NULL, NULL, 0, NULL, "not a URL" },
	{ "https://pbx.example.com", NULL, NULL, 0, NULL, "not a URL" },
	{ "pbx.example.com/admin", NULL, NULL, 0, NULL, "not a URL" },
	{ "user@pbx.example.com", NULL, NULL, 0, NULL, "not a URL" },
	{ "pbx.example.com?x=1", NULL, NULL, 0, NULL, "not a URL" },
	{ "pbx.example.com#frag", NULL, NULL, 0, NULL, "not a URL" },
	{ "pbx.example.com 5061", NULL, NULL, 0, NULL, "not a URL" },
	{ "pbx.example.com\r\nX: y", NULL, NULL, 0, NULL, "not a URL" },
	{ "fe80::1%eth0", NULL, NULL, 0, NULL, "not a URL" },
	{ "file:///etc/passwd", NULL, NULL, 0, NULL, "not a URL" },
	{ "", NULL, NULL, 0, NULL, "missing target" },
	{ "pbx.example.com:0", NULL, NULL, 0, NULL, "bad port" },
	{ "pbx.example.com:99999", NULL, NULL, 0, NULL, "bad port" },
	{ "bad_host!", NULL, NULL, 0, NULL, "bad target" },
	{ "pbx.example.com", "a/b", NULL, 0, NULL, "bad fqdn" },
	{ "pbx.example.com", "192.0.2.1", NULL, 0, NULL, "bad fqdn" },
};

static void
test_exporter_target_parse_table_takes_host_port_only(void **state)
{
	struct probe_target t;
	char *err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(target_cases) / sizeof(target_cases[0]); i++) {
		const struct target_case *c = &target_cases[i];

		err = NULL;
		rc = exporter_target_parse(c->target, c->fqdn, 5061, &t, &err);
		if (c->host == NULL) {
			assert_int_equal(rc, -1);
			assert_non_null(err);
			if (strstr(err, c->err_has) == NULL)
				fail_msg("'%s': error '%s' lacks '%s'", c->target,
				    err, c->err_has);
			free(err);
			continue;
		}
		if (rc != 0)
			fail_msg("'%s' refused: %s", c->target, err);
		assert_string_equal(t.host, c->host);
		assert_int_equal(t.port, c->port);
		if (c->fqdn_out == NULL)
			assert_null(t.fqdn);
		else
			assert_string_equal(t.fqdn, c->fqdn_out);
		probe_target_free(&t);
	}
}

static void
test_exporter_target_parse_overlong_target_refused(void **state)
{
	char big[EXPORTER_TARGET_MAX + 2];
	struct probe_target t;
	char *err = NULL;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(exporter_target_parse(big, NULL, 5061, &t, &err), -1);
	assert_non_null(strstr(err, "longer than"));
	free(err);
	assert_int_equal(exporter_target_parse(NULL, NULL, 5061, &t, &err), -1);
	free(err);
}

/* One row: is target permitted by the list spec? */
struct allow_case {
	const char *spec;
	const char *target;
	bool permitted;
};

static const struct allow_case allow_cases[] = {
	{ "pbx.example.com", "pbx.example.com", true },
	{ "pbx.example.com", "PBX.Example.com.:5062", true },
	{ "pbx.example.com", "pbx2.example.com", false },
	{ "pbx.example.com", "a.pbx.example.com", false },
	{ "pbx.example.com:5061", "pbx.example.com", true },
	{ "pbx.example.com:5061", "pbx.example.com:22", false },
	{ "*.example.com", "pbx.example.com", true },
	{ "*.example.com", "a.b.example.com", true },
	{ "*.example.com", "example.com", false },
	{ "*.example.com", "badexample.com", false },
	{ "*.example.com", "example.com.evil.net", false },
	{ "192.0.2.7", "192.0.2.7:5061", true },
	{ "192.0.2.7", "192.0.2.8", false },
	{ "192.0.2.0/24", "192.0.2.200", true },
	{ "192.0.2.0/24", "192.0.3.1", false },
	{ "10.0.0.0/8:5061", "10.9.8.7:5061", true },
	{ "10.0.0.0/8:5061", "10.9.8.7:22", false },
	{ "192.0.2.0/24", "pbx.example.com", false },	/* a name never by IP */
	{ "pbx.example.com", "192.0.2.7", false },
	{ "2001:db8::/32", "[2001:db8:1::5]:5061", true },
	{ "2001:db8::/32", "2001:db9::1", false },
	{ "[2001:db8::/32]:5061", "[2001:db8::1]:5061", true },
	{ "[2001:db8::/32]:5061", "[2001:db8::1]:5062", false },
	{ "192.0.2.0/24", "[::ffff:192.0.2.1]", false },
	{ "0.0.0.0/0", "203.0.113.1", true },
	{ "a.example.com, b.example.com", "b.example.com", true },
	{ "a.example.com,b.example.com", "c.example.com", false },
};

static void
test_allow_list_table_permits_only_what_it_names(void **state)
{
	struct allow_list l;
	struct probe_target t;
	char *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(allow_cases) / sizeof(allow_cases[0]); i++) {
		const struct allow_case *c = &allow_cases[i];

		memset(&l, 0, sizeof(l));
		if (allow_list_parse(c->spec, &l, &err) != 0)
			fail_msg("--allow '%s' refused: %s", c->spec, err);
		if (exporter_target_parse(c->target, NULL, 5061, &t, &err) != 0)
			fail_msg("target '%s' refused: %s", c->target, err);
		if (allow_list_permits(&l, &t) != c->permitted)
			fail_msg("--allow '%s', target '%s': expected %s",
			    c->spec, c->target, c->permitted ? "permitted" :
			    "refused");
		probe_target_free(&t);
		allow_list_free(&l);
	}
}

static void
test_allow_list_bad_patterns_refused_with_the_pattern(void **state)
{
	static const char *const bad[] = {
		"http://x/", "x.example.com:0", "x.example.com:port",
		"192.0.2.0/33", "2001:db8::/129", "[x.example.com]:5061",
		"*.", "bad_name!", "192.0.2.0/", "[2001:db8::1",
	};
	struct allow_list l;
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&l, 0, sizeof(l));
		err = NULL;
		if (allow_list_parse(bad[i], &l, &err) != -1)
			fail_msg("--allow '%s' accepted", bad[i]);
		assert_non_null(strstr(err, "--allow"));
		free(err);
		allow_list_free(&l);
	}
}

static void
test_allow_list_empty_permits_nothing(void **state)
{
	struct allow_list l = { 0 };
	struct probe_target t;
	char *err = NULL;

	(void)state;
	assert_int_equal(allow_list_parse(" , ", &l, &err), 0);
	assert_int_equal(exporter_target_parse("192.0.2.1", NULL, 5061, &t,
	    &err), 0);
	assert_false(allow_list_permits(&l, &t));
	probe_target_free(&t);
	allow_list_free(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exporter_target_parse_table_takes_host_port_only),
		cmocka_unit_test(test_exporter_target_parse_overlong_target_refused),
		cmocka_unit_test(test_allow_list_table_permits_only_what_it_names),
		cmocka_unit_test(test_allow_list_bad_patterns_refused_with_the_pattern),
		cmocka_unit_test(test_allow_list_empty_permits_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_probe_target.c - what the probe is asked to probe: HOST[:PORT]
 * arguments, --targets lines and files, --shard slices, and the order
 * SRV records are visited in.  No network.
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

#include "probe/probe.h"

/* One row of the table-driven target parser test. */
struct target_case {
	const char *spec;
	const char *host;	/* NULL: a parse error is expected */
	int port;
	bool is_ip;
	const char *err_has;	/* part of the error message */
};

static const struct target_case target_cases[] = {
	{ "pbx.example.com", "pbx.example.com", 5061, false, NULL },
	{ "pbx.example.com:5062", "pbx.example.com", 5062, false, NULL },
	{ "PBX.Example.COM.", "pbx.example.com", 5061, false, NULL },
	{ "192.0.2.10", "192.0.2.10", 5061, true, NULL },
	{ "192.0.2.10:443", "192.0.2.10", 443, true, NULL },
	{ "[2001:db8::1]:5063", "2001:db8::1", 5063, true, NULL },
	{ "[::1]", "::1", 5061, true, NULL },
	{ "2001:db8::1", "2001:db8::1", 5061, true, NULL },
	{ "pbx.example.com:0", NULL, 0, false, "bad port" },
	{ "pbx.example.com:65536", NULL, 0, false, "bad port" },
	{ "pbx.example.com:", NULL, 0, false, "bad port" },
	{ "pbx.example.com:50x", NULL, 0, false, "bad port" },
	{ "[2001:db8::1", NULL, 0, false, "bad [IPv6]" },
	{ "[2001:db8::1]x", NULL, 0, false, "bad [IPv6]" },
	{ "[pbx.example.com]:5061", NULL, 0, false, "not an IPv6" },
	{ ":5061", NULL, 0, false, "empty host" },
	{ "bad_host!", NULL, 0, false, "not a host name" },
};

static void
test_probe_target_parse_table_gives_host_port_or_error(void **state)
{
	struct probe_target t;
	char *err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(target_cases) / sizeof(target_cases[0]); i++) {
		const struct target_case *c = &target_cases[i];

		err = NULL;
		rc = probe_target_parse(c->spec, 5061, &t, &err);
		if (c->host == NULL) {
			print_message("case %s\n", c->spec);
			assert_int_equal(rc, -1);
			assert_non_null(err);
			assert_non_null(strstr(err, c->err_has));
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(t.host, c->host);
			assert_int_equal(t.port, c->port);
			assert_int_equal(t.host_is_ip, c->is_ip);
			assert_null(err);
		}
		probe_target_free(&t);
		free(err);
	}
}

static void
test_probe_target_parse_error_escapes_control_characters(void **state)
{
	struct probe_target t;
	char *err = NULL;

	(void)state;
	assert_int_equal(probe_target_parse("[\x1b[31m]", 5061, &t, &err), -1);
	assert_null(strchr(err, '\x1b'));
	assert_non_null(strstr(err, "\\x1b"));
	probe_target_free(&t);
	free(err);
}

static void
test_probe_target_line_with_fqdn_and_comment_gives_both(void **state)
{
	struct probe_target t;
	char *err = NULL;

	(void)state;
	assert_int_equal(probe_target_parse_line(
	    "  192.0.2.10:5062\tPBX.example.com  # the office PBX\n", 5061, &t,
	    &err), 1);
	assert_string_equal(t.host, "192.0.2.10");
	assert_int_equal(t.port, 5062);
	assert_string_equal(t.fqdn, "pbx.example.com");
	probe_target_free(&t);
}

static void
test_probe_target_line_blank_or_comment_gives_nothing(void **state)
{
	struct probe_target t;
	char *err = NULL;

	(void)state;
	assert_int_equal(probe_target_parse_line("", 5061, &t, &err), 0);
	assert_int_equal(probe_target_parse_line("   \t\r\n", 5061, &t, &err), 0);
	assert_int_equal(probe_target_parse_line("# pbx.example.com", 5061, &t,
	    &err), 0);
	assert_null(err);
}

static void
test_probe_target_line_with_three_words_is_an_error(void **state)
{
	struct probe_target t;
	char *err = NULL;

	(void)state;
	assert_int_equal(probe_target_parse_line("a.example.com b.example.com c",
	    5061, &t, &err), -1);
	assert_non_null(strstr(err, "unexpected 'c'"));
	free(err);
}

static void
test_probe_target_line_with_bad_fqdn_is_an_error(void **state)
{
	struct probe_target t;
	char *err = NULL;

	(void)state;
	assert_int_equal(probe_target_parse_line("192.0.2.1 bad!name", 5061, &t,
	    &err), -1);
	assert_non_null(strstr(err, "FQDN 'bad!name'"));
	free(err);
}

/* Write text to a scratch file; returns its path (static buffer). */
static const char *
scratch(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/bwc-targets.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_probe_targets_load_keeps_order_and_origin(void **state)
{
	struct probe_target *list = NULL;
	size_t n = 0;
	char *err = NULL, *want;
	const char *path = scratch("# fleet\npbx1.example.com\n\n"
	    "[2001:db8::5]:5070 pbx5.example.com # v6\n");

	(void)state;
	assert_int_equal(probe_targets_load(path, 5061, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].host, "pbx1.example.com");
	assert_int_equal(list[0].port, 5061);
	assert_string_equal(list[1].host, "2001:db8::5");
	assert_int_equal(list[1].port, 5070);
	assert_string_equal(list[1].fqdn, "pbx5.example.com");
	want = xasprintf("%s:4", path);
	assert_string_equal(list[1].origin, want);
	free(want);
	probe_targets_free(list, n);
	unlink(path);
}

static void
test_probe_targets_load_bad_line_names_file_and_line(void **state)
{
	struct probe_target *list = NULL;
	size_t n = 0;
	char *err = NULL, *want;
	const char *path = scratch("pbx1.example.com\n# ok\npbx2.example.com:70000\n");

	(void)state;
	assert_int_equal(probe_targets_load(path, 5061, &list, &n, &err), -1);
	want = xasprintf("%s:3: bad port '70000'", path);
	assert_non_null(strstr(err, want));
	free(want);
	free(err);
	probe_targets_free(list, n);
	unlink(path);
}

static void
test_probe_targets_load_cr_only_line_endings_give_every_target(void **state)
{
	struct probe_target *list = NULL;
	size_t n = 0;
	char *err = NULL;
	const char *path = scratch("pbx1.example.com\rpbx2.example.com\r\n"
	    "pbx3.example.com\r");

	(void)state;
	assert_int_equal(probe_targets_load(path, 5061, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].host, "pbx1.example.com");
	assert_string_equal(list[1].host, "pbx2.example.com");
	assert_string_equal(list[2].host, "pbx3.example.com");
	probe_targets_free(list, n);
	unlink(path);
}

static void
test_probe_targets_load_skips_a_utf8_byte_order_mark(void **state)
{
	struct probe_target *list = NULL;
	size_t n = 0;
	char *err = NULL;
	const char *path = scratch("\xef\xbb\xbf" "192.0.2.7:5062\n");

	(void)state;
	assert_int_equal(probe_targets_load(path, 5061, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].host, "192.0.2.7");
	assert_true(list[0].host_is_ip);
	assert_int_equal(list[0].port, 5062);
	probe_targets_free(list, n);
	unlink(path);
}

static void
test_probe_targets_load_names_ten_bad_lines_and_counts_all(void **state)
{
	struct probe_target *list = NULL;
	struct buf text = { 0 };
	size_t n = 0, lines = 0;
	char *err = NULL, *want, *p;
	const char *path;
	int k;

	(void)state;
	buf_adds(&text, "pbx1.example.com\n");
	for (k = 0; k < 14; k++)
		buf_addf(&text, "pbx%d.example.com:0\n", k);
	path = scratch(text.ptr);
	buf_free(&text);
	assert_int_equal(probe_targets_load(path, 5061, &list, &n, &err), -1);
	want = xasprintf("%s: 14 bad lines (the first ten below): the file is "
	    "refused, no target in it is probed", path);
	assert_non_null(strstr(err, want));
	free(want);
	for (p = err; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 10);
	want = xasprintf("\n%s:11: bad port '0'", path);
	assert_non_null(strstr(err, want));
	free(want);
	want = xasprintf("%s:12:", path);
	assert_null(strstr(err, want));
	free(want);
	free(err);
	probe_targets_free(list, n);
	unlink(path);
}

static void
test_probe_target_error_echoes_at_most_200_bytes_of_a_long_line(void **state)
{
	struct probe_target t;
	char *line = malloc(1000001), *err = NULL;

	(void)state;
	assert_non_null(line);
	memset(line, 'x', 1000000);
	line[0] = '[';
	line[1000000] = '\0';
	assert_int_equal(probe_target_parse_line(line, 5061, &t, &err), -1);
	assert_true(strlen(err) < 300);
	assert_non_null(strstr(err, "\xe2\x80\xa6"));
	free(err);
	free(line);
}

static void
test_probe_targets_load_missing_file_names_it(void **state)
{
	struct probe_target *list = NULL;
	size_t n = 0;
	char *err = NULL;

	(void)state;
	assert_int_equal(probe_targets_load("/nonexistent/targets", 5061, &list,
	    &n, &err), -1);
	assert_non_null(strstr(err, "/nonexistent/targets"));
	free(err);
	probe_targets_free(list, n);
}

static void
test_probe_shard_slices_cover_every_target_once(void **state)
{
	size_t idx;
	int n, i, owners;

	(void)state;
	for (n = 1; n <= 7; n++)
		for (idx = 0; idx < 50; idx++) {
			owners = 0;
			for (i = 1; i <= n; i++)
				owners += probe_shard_has(idx, i, n);
			assert_int_equal(owners, 1);
		}
}

static void
test_probe_shard_deals_round_robin(void **state)
{
	(void)state;
	assert_true(probe_shard_has(0, 1, 3));
	assert_true(probe_shard_has(1, 2, 3));
	assert_true(probe_shard_has(2, 3, 3));
	assert_true(probe_shard_has(3, 1, 3));
	assert_false(probe_shard_has(3, 2, 3));
	assert_true(probe_shard_has(5, 1, 0));	/* no --shard */
}

static void
test_dns_srv_sort_orders_by_priority_then_weight(void **state)
{
	struct dns_srv s[] = {
		{ .target = (char *)"c.example.com", .port = 5061, .priority = 20, .weight = 100 },
		{ .target = (char *)"b.example.com", .port = 5061, .priority = 10, .weight = 10 },
		{ .target = (char *)"a.example.com", .port = 5061, .priority = 10, .weight = 60 },
		{ .target = (char *)"a.example.com", .port = 5060, .priority = 10, .weight = 10 },
		{ .target = (char *)"d.example.com", .port = 5061, .priority = 0, .weight = 0 },
	};

	(void)state;
	dns_srv_sort(s, 5);
	assert_string_equal(s[0].target, "d.example.com");
	assert_string_equal(s[1].target, "a.example.com");
	assert_int_equal(s[1].weight, 60);
	assert_string_equal(s[2].target, "a.example.com");
	assert_int_equal(s[2].port, 5060);
	assert_string_equal(s[3].target, "b.example.com");
	assert_string_equal(s[4].target, "c.example.com");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_target_parse_table_gives_host_port_or_error),
		cmocka_unit_test(test_probe_target_parse_error_escapes_control_characters),
		cmocka_unit_test(test_probe_target_line_with_fqdn_and_comment_gives_both),
		cmocka_unit_test(test_probe_target_line_blank_or_comment_gives_nothing),
		cmocka_unit_test(test_probe_target_line_with_three_words_is_an_error),
		cmocka_unit_test(test_probe_target_line_with_bad_fqdn_is_an_error),
		cmocka_unit_test(test_probe_targets_load_keeps_order_and_origin),
		cmocka_unit_test(test_probe_targets_load_bad_line_names_file_and_line),
		cmocka_unit_test(test_probe_targets_load_missing_file_names_it),
		cmocka_unit_test(test_probe_targets_load_cr_only_line_endings_give_every_target),
		cmocka_unit_test(test_probe_targets_load_skips_a_utf8_byte_order_mark),
		cmocka_unit_test(test_probe_targets_load_names_ten_bad_lines_and_counts_all),
		cmocka_unit_test(test_probe_target_error_echoes_at_most_200_bytes_of_a_long_line),
		cmocka_unit_test(test_probe_shard_slices_cover_every_target_once),
		cmocka_unit_test(test_probe_shard_deals_round_robin),
		cmocka_unit_test(test_dns_srv_sort_orders_by_priority_then_weight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

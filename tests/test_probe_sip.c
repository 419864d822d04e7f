/*
 * test_probe_sip.c - the OPTIONS request the probe sends (RFC 3261) and
 * the reading of the answer: complete, partial, provisional first,
 * not SIP at all.  No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probe/probe.h"

static char *
build(const char *target, const char *local)
{
	struct sip_request_params p = {
		.target_host = target, .target_port = 5061,
		.local_ip = local, .local_port = 40001,
		.branch = "0123abcd", .tag = "t1", .call_id = "c1",
	};

	return sip_build_options(&p);
}

/* The value of header name in req (first line after "\r\nname: "). */
static char *
header(const char *req, const char *name)
{
	char *key = xasprintf("\r\n%s: ", name);
	const char *p = strstr(req, key), *e;
	char *v = NULL;

	if (p != NULL) {
		p += strlen(key);
		e = strstr(p, "\r\n");
		v = xstrndup(p, (size_t)(e - p));
	}
	free(key);
	return v;
}

static void
test_sip_build_options_has_every_mandatory_header(void **state)
{
	char *req = build("pbx.example.com", "192.0.2.7"), *v;
	static const char *const names[] = { "Via", "Max-Forwards", "From",
	    "To", "Call-ID", "CSeq", "Contact", "Content-Length" };
	size_t i;

	(void)state;
	assert_int_equal(strncmp(req,
	    "OPTIONS sip:pbx.example.com:5061;transport=tls SIP/2.0\r\n", 56), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		print_message("header %s\n", names[i]);
		v = header(req, names[i]);
		assert_non_null(v);
		free(v);
	}
	v = header(req, "Via");
	assert_string_equal(v,
	    "SIP/2.0/TLS 192.0.2.7:40001;branch=z9hG4bK0123abcd;rport");
	free(v);
	v = header(req, "Max-Forwards");
	assert_string_equal(v, "70");
	free(v);
	v = header(req, "CSeq");
	assert_string_equal(v, "1 OPTIONS");
	free(v);
	v = header(req, "From");
	assert_non_null(strstr(v, ";tag=t1"));
	free(v);
	v = header(req, "Content-Length");
	assert_string_equal(v, "0");
	free(v);
	/* The message ends with the empty line and has no body. */
	assert_string_equal(req + strlen(req) - 4, "\r\n\r\n");
	free(req);
}

static void
test_sip_build_options_brackets_ipv6_hosts(void **state)
{
	char *req = build("2001:db8::1", "2001:db8::7"), *v;

	(void)state;
	assert_int_equal(strncmp(req, "OPTIONS sip:[2001:db8::1]:5061;", 31), 0);
	v = header(req, "Via");
	assert_non_null(strstr(v, "SIP/2.0/TLS [2001:db8::7]:40001;"));
	free(v);
	free(req);
}

static void
test_sip_random_token_is_fresh_hex(void **state)
{
	char a[17], b[17];
	size_t i;

	(void)state;
	assert_int_equal(sip_random_token(a, sizeof(a)), 0);
	assert_int_equal(sip_random_token(b, sizeof(b)), 0);
	assert_int_equal(strlen(a), 16);
	for (i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
}

/* One row of the table-driven response parser test. */
struct response_case {
	const char *name;
	const char *bytes;
	int rc;			/* what sip_parse_response returns */
	int code;
	const char *line;	/* status line, or part of the error */
};

static const struct response_case response_cases[] = {
	{ "200 complete", "SIP/2.0 200 OK\r\nVia: x\r\nContent-Length: 0\r\n\r\n",
	  1, 200, "SIP/2.0 200 OK" },
	{ "header not finished", "SIP/2.0 200 OK\r\nVia: x\r\n", 0, 0, NULL },
	{ "first bytes only", "SIP/2", 0, 0, NULL },
	{ "nothing yet", "", 0, 0, NULL },
	{ "keep-alive CRLF first", "\r\n\r\nSIP/2.0 404 Not Found\r\n\r\n",
	  1, 404, "SIP/2.0 404 Not Found" },
	{ "bare LF lines", "SIP/2.0 405 Method Not Allowed\nl: 0\n\n",
	  1, 405, "SIP/2.0 405 Method Not Allowed" },
	{ "100 Trying, then 200",
	  "SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 200 OK\r\n\r\n",
	  1, 200, "SIP/2.0 200 OK" },
	{ "provisional with a body, then 486",
	  "SIP/2.0 183 Progress\r\nl: 4\r\n\r\nabcdSIP/2.0 486 Busy Here\r\n\r\n",
	  1, 486, "SIP/2.0 486 Busy Here" },
	{ "100 Trying alone", "SIP/2.0 100 Trying\r\n\r\n", 0, 0, NULL },
	{ "HTTP", "HTTP/1.1 400 Bad Request\r\n\r\n", -1, 0,
	  "not a SIP response: \"HTTP/1.1 400 Bad Request\"" },
	{ "status code out of range", "SIP/2.0 700 Odd\r\n\r\n", -1, 0,
	  "out of range" },
	{ "status code not digits", "SIP/2.0 2x0 OK\r\n\r\n", -1, 0,
	  "malformed" },
	{ "control bytes escaped", "SIP/2.0 200 O\x1bK\r\n\r\n", 1, 200,
	  "SIP/2.0 200 O\\x1bK" },
	{ "bad Content-Length in 1xx", "SIP/2.0 180 Ringing\r\nl: x\r\n\r\n",
	  -1, 0, "Content-Length" },
};

static void
test_sip_parse_response_table(void **state)
{
	const struct response_case *c;
	char *line, *err;
	size_t i;
	int code, rc;

	(void)state;
	for (i = 0; i < sizeof(response_cases) / sizeof(response_cases[0]); i++) {
		c = &response_cases[i];
		print_message("case %s\n", c->name);
		line = err = NULL;
		code = 0;
		rc = sip_parse_response(c->bytes, strlen(c->bytes), &code, &line,
		    NULL, &err);
		assert_int_equal(rc, c->rc);
		if (rc == 1) {
			assert_int_equal(code, c->code);
			assert_string_equal(line, c->line);
		} else if (rc == -1)
			assert_non_null(strstr(err, c->line));
		free(line);
		free(err);
	}
}

static void
test_sip_parse_response_gives_the_final_answers_server(void **state)
{
	static const struct {
		const char *bytes, *server;
	} cases[] = {
		{ "SIP/2.0 200 OK\r\nServer: kamailio (5.6.3 (x86_64/linux))\r\n"
		  "Content-Length: 0\r\n\r\n", "kamailio (5.6.3 (x86_64/linux))" },
		/* The provisional answer's Server is not the final one's. */
		{ "SIP/2.0 100 Trying\r\nServer: proxy\r\n\r\n"
		  "SIP/2.0 200 OK\r\nserver:\tpbx 1.0  \r\n\r\n", "pbx 1.0" },
		{ "SIP/2.0 200 OK\r\nUser-Agent: x\r\n\r\n", NULL },
		{ "SIP/2.0 200 OK\nServer: a\x1b[31mb\n\n", "a\\x1b[31mb" },
		{ "SIP/2.0 200 OK\r\nServer:\r\n\r\n", "" },
	};
	char *line, *server, *err;
	size_t i;
	int code;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		line = server = err = NULL;
		assert_int_equal(sip_parse_response(cases[i].bytes,
		    strlen(cases[i].bytes), &code, &line, &server, &err), 1);
		if (cases[i].server == NULL)
			assert_null(server);
		else
			assert_string_equal(server, cases[i].server);
		free(line);
		free(server);
	}
}

static void
test_sip_parse_response_endless_header_is_an_error(void **state)
{
	char *big = xmalloc(20000), *line = NULL, *err = NULL;
	int code = 0;

	(void)state;
	memcpy(big, "SIP/2.0 200 OK\r\n", 16);
	memset(big + 16, 'a', 20000 - 16);
	assert_int_equal(sip_parse_response(big, 20000, &code, &line, NULL,
	    &err), -1);
	assert_non_null(strstr(err, "too long"));
	free(err);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sip_build_options_has_every_mandatory_header),
		cmocka_unit_test(test_sip_build_options_brackets_ipv6_hosts),
		cmocka_unit_test(test_sip_random_token_is_fresh_hex),
		cmocka_unit_test(test_sip_parse_response_table),
		cmocka_unit_test(test_sip_parse_response_gives_the_final_answers_server),
		cmocka_unit_test(test_sip_parse_response_endless_header_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

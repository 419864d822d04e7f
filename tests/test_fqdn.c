/*
 * test_fqdn.c - the FQDN matcher, the --fqdn normaliser and the IP
 * literal test.
 *
 * fqdn_match() is table-driven: one row per case, the SAN as raw bytes
 * with its length (so a row can hold an embedded NUL), the FQDN, whether
 * the policy allows wildcards, and the expected answer.  A failing row
 * is named by its index and its note.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fqdn.h"

/* A row's SAN: a C string, or raw bytes with their length (NULs kept). */
#define STR(s)		(const unsigned char *)(s), sizeof(s) - 1
#define NO		FQDN_NO_MATCH
#define EXACT		FQDN_EXACT
#define WILD		FQDN_WILDCARD

struct match_case {
	const unsigned char *san;
	size_t san_len;
	const char *fqdn;
	bool allow_wildcard;
	enum fqdn_match want;
	const char *note;
};

/*
 * Names at the length limit, filled by the group setup: 253 characters
 * is the longest name (RFC 1035 2.3.4, without the root's dot), 254 is
 * one too many.
 */
static char name253[254], name253_dot[255], name254[255];
static char wild253[254], host253[254];

static const struct match_case cases[] = {
	/* Exact names. */
	{ STR("pbx.example.com"), "pbx.example.com", true, EXACT, "exact" },
	{ STR("pbx.example.com"), "pbx.example.com", false, EXACT,
	  "exact, wildcards disallowed" },
	{ STR("PBX.Example.COM"), "pbx.example.com", true, EXACT,
	  "upper-case SAN" },
	{ STR("pbx.example.com"), "PBX.EXAMPLE.COM", true, EXACT,
	  "upper-case FQDN" },
	{ STR("pbx.example.com."), "pbx.example.com", true, EXACT,
	  "trailing dot on the SAN" },
	{ STR("pbx.example.com"), "pbx.example.com.", true, EXACT,
	  "trailing dot on the FQDN" },
	{ STR("pbx.example.com."), "pbx.example.com.", true, EXACT,
	  "trailing dot on both" },
	{ STR("pbx.example.com.."), "pbx.example.com", true, NO,
	  "two trailing dots on the SAN" },
	{ STR("pbx.example.com"), "pbx.example.com..", true, NO,
	  "two trailing dots on the FQDN" },
	{ STR("pbx.example.com"), "pbx.example.org", true, NO,
	  "other TLD" },
	{ STR("pbx.example.com"), "pbx2.example.com", true, NO,
	  "other first label" },
	{ STR("pbx.example.com"), "example.com", true, NO,
	  "SAN is a subdomain of the FQDN" },
	{ STR("example.com"), "pbx.example.com", true, NO,
	  "SAN is the parent of the FQDN" },
	{ STR("pbx.example.co"), "pbx.example.com", true, NO,
	  "SAN is a prefix of the FQDN" },
	{ STR("pbx..example.com"), "pbx..example.com", true, NO,
	  "empty label" },
	{ STR(".example.com"), ".example.com", true, NO,
	  "leading dot" },

	/* Wildcards: the whole left-most label, exactly one label. */
	{ STR("*.example.com"), "pbx.example.com", true, WILD,
	  "wildcard covers one label" },
	{ STR("*.EXAMPLE.com"), "PBX.example.COM", true, WILD,
	  "wildcard, mixed case" },
	{ STR("*.example.com."), "pbx.example.com", true, WILD,
	  "wildcard with a trailing dot" },
	{ STR("*.example.com"), "pbx.example.com.", true, WILD,
	  "wildcard, FQDN with a trailing dot" },
	{ STR("*.example.com"), "a.pbx.example.com", true, NO,
	  "wildcard never covers two labels" },
	{ STR("*.example.com"), "example.com", true, NO,
	  "wildcard never covers the bare apex" },
	{ STR("*.example.com"), ".example.com", true, NO,
	  "wildcard never covers an empty label" },
	{ STR("*.example.com"), "pbx.example.org", true, NO,
	  "wildcard, other parent" },
	{ STR("*.ample.com"), "pbx.example.com", true, NO,
	  "wildcard parent is a suffix of a label only" },
	{ STR("*.example.com"), "pbx.example.com", false, NO,
	  "wildcard refused when the policy disallows them" },
	{ STR("*.com"), "example.com", true, NO,
	  "*.com is refused" },
	{ STR("*.com."), "example.com", true, NO,
	  "*.com. is refused" },
	{ STR("*"), "example", true, NO, "a bare * is refused" },
	{ STR("*"), "pbx.example.com", true, NO,
	  "a bare * never covers a name" },
	{ STR("*."), "com", true, NO, "*. is refused" },
	{ STR("p*.example.com"), "pbx.example.com", true, NO,
	  "partial-label wildcard p*" },
	{ STR("*pbx.example.com"), "pbx.example.com", true, NO,
	  "partial-label wildcard *pbx, same name" },
	{ STR("*pbx.example.com"), "xpbx.example.com", true, NO,
	  "partial-label wildcard *pbx" },
	{ STR("pbx*.example.com"), "pbx1.example.com", true, NO,
	  "partial-label wildcard pbx*" },
	{ STR("xn--*.example.com"), "xn--bcher-kva.example.com", true, NO,
	  "wildcard inside an A-label" },
	{ STR("**.example.com"), "pbx.example.com", true, NO,
	  "double star" },
	{ STR("*.*.example.com"), "a.b.example.com", true, NO,
	  "*.*. never covers two labels" },
	{ STR("*.*.example.com"), "a.example.com", true, NO,
	  "*.*. never covers one label" },
	{ STR("pbx.*.example.com"), "pbx.a.example.com", true, NO,
	  "wildcard not in the left-most label" },
	{ STR("*.example.com"), "*.example.com", true, NO,
	  "an FQDN holding * is not a host name" },

	/* Bytes that never match: NUL, controls, non-ASCII, spaces. */
	{ STR("pbx.example.com\0.evil.com"), "pbx.example.com", true, NO,
	  "embedded NUL, FQDN before it" },
	{ STR("pbx.example.com\0.evil.com"), "pbx.example.com.evil.com", true,
	  NO, "embedded NUL, FQDN around it" },
	{ STR("pbx.example.com\0"), "pbx.example.com", true, NO,
	  "trailing NUL" },
	{ STR("*.example.com\0.evil.com"), "pbx.example.com", true, NO,
	  "wildcard with an embedded NUL" },
	{ STR("pbx.example.com\n"), "pbx.example.com", true, NO,
	  "trailing newline" },
	{ STR("pbx\t.example.com"), "pbx\t.example.com", true, NO,
	  "tab on both sides" },
	{ STR("\x1b[31mpbx.example.com"), "pbx.example.com", true, NO,
	  "terminal escape sequence" },
	{ STR("pbx.example.com\x7f"), "pbx.example.com", true, NO,
	  "DEL" },
	{ STR("b\xc3\xbc" "cher.example"), "b\xc3\xbc" "cher.example", true,
	  NO, "U-label on both sides (UTF-8)" },
	{ STR("pbx.ex\xe4mple.com"), "pbx.ex\xe4mple.com", true, NO,
	  "Latin-1 byte on both sides" },
	{ STR("\xff.example.com"), "pbx.example.com", true, NO,
	  "invalid UTF-8 byte" },
	{ STR("pbx .example.com"), "pbx .example.com", true, NO,
	  "space inside" },
	{ STR(" pbx.example.com"), "pbx.example.com", true, NO,
	  "leading space" },
	{ STR("pbx.example.com "), "pbx.example.com", true, NO,
	  "trailing space" },
	{ STR("* .example.com"), "pbx.example.com", true, NO,
	  "wildcard followed by a space" },

	/* Empty names. */
	{ STR(""), "pbx.example.com", true, NO, "empty SAN" },
	{ STR("pbx.example.com"), "", true, NO, "empty FQDN" },
	{ STR(""), "", true, NO, "both empty" },
	{ STR("."), ".", true, NO, "only the root's dot" },

	/* An IPv6 literal never matches: ':' is not a label character. */
	{ STR("*.db8::1"), "2001.db8::1", true, NO,
	  "colon in the FQDN" },
	{ STR("2001:db8::1"), "2001:db8::1", true, NO,
	  "IPv6 literal as a dNSName" },

	/* No underscore in a host name: --fqdn refuses one, no SAN matches. */
	{ STR("_sips._tcp.example.com"), "_sips._tcp.example.com", true, NO,
	  "underscore labels never match, even exactly" },
	{ STR("*.example.com"), "under_score.example.com", true, NO,
	  "no wildcard over a label with an underscore" },
	{ STR("under_score.example.com"), "underscore.example.com", true, NO,
	  "underscore is not ignored" },

	/* An IP literal is never a host name. */
	{ STR("8.8.8.8"), "8.8.8.8", true, NO, "IPv4 literal as a dNSName" },
	{ STR("*.8.8.8"), "8.8.8.8", true, NO, "wildcard over an octet" },

	/* Internationalised names compare as A-labels. */
	{ STR("xn--bcher-kva.example"), "xn--bcher-kva.example", true, EXACT,
	  "A-label, exact" },
	{ STR("XN--BCHER-KVA.example"), "xn--bcher-kva.example", true, EXACT,
	  "A-label, upper case" },
	{ STR("*.xn--bcher-kva.example"), "pbx.xn--bcher-kva.example", true,
	  WILD, "wildcard under an A-label" },
	{ STR("*.example.com"), "xn--bcher-kva.example.com", true, WILD,
	  "wildcard over an A-label" },
	{ STR("xn--bcher-kva.example"), "b\xc3\xbc" "cher.example", true, NO,
	  "A-label SAN, U-label FQDN (not normalised)" },
};

/* Rows whose names are built at run time (the 253/254 limit). */
static struct match_case long_cases[6];

static void
fill(char *out, size_t len, char c)
{
	size_t i;

	/* Labels of 63 characters, as long as DNS allows, then a dot. */
	for (i = 0; i < len; i++)
		out[i] = (i % 64 == 63) ? '.' : c;
	out[len] = '\0';
}

static int
group_setup(void **state)
{
	(void)state;
	fill(name253, 253, 'a');
	snprintf(name253_dot, sizeof(name253_dot), "%s.", name253);
	fill(name254, 254, 'a');
	/* "*." + 251 characters; host253 is "h." + the same 251. */
	wild253[0] = '*';
	host253[0] = 'h';
	fill(wild253 + 1, 252, 'b');
	fill(host253 + 1, 252, 'b');
	wild253[1] = '.';
	host253[1] = '.';
	long_cases[0] = (struct match_case){ (unsigned char *)name253, 253,
	    name253, true, EXACT, "253 characters" };
	long_cases[1] = (struct match_case){ (unsigned char *)name253_dot, 254,
	    name253, true, EXACT, "253 characters and the root's dot" };
	long_cases[2] = (struct match_case){ (unsigned char *)name254, 254,
	    name254, true, NO, "254 characters, exact" };
	long_cases[3] = (struct match_case){ (unsigned char *)name253, 253,
	    name254, true, NO, "254-character FQDN" };
	long_cases[4] = (struct match_case){ (unsigned char *)name254, 254,
	    name253, true, NO, "254-character SAN" };
	long_cases[5] = (struct match_case){ (unsigned char *)wild253, 253,
	    host253, true, WILD, "253-character wildcard" };
	return 0;
}

static const char *
match_name(enum fqdn_match m)
{
	switch (m) {
	case FQDN_NO_MATCH:
		return "no match";
	case FQDN_EXACT:
		return "exact";
	case FQDN_WILDCARD:
		return "wildcard";
	default:
		return "?";
	}
}

static int
run_cases(const struct match_case *c, size_t n)
{
	enum fqdn_match got;
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		got = fqdn_match(c[i].san, c[i].san_len, c[i].fqdn,
		    c[i].allow_wildcard);
		if (got != c[i].want) {
			print_error("case %zu (%s): got %s, want %s\n", i,
			    c[i].note, match_name(got), match_name(c[i].want));
			bad++;
		}
	}
	return bad;
}

static void
test_fqdn_match_table_every_case_gives_the_expected_answer(void **state)
{
	(void)state;
	assert_in_range(sizeof(cases) / sizeof(cases[0]), 50, 1000);
	assert_int_equal(run_cases(cases, sizeof(cases) / sizeof(cases[0])), 0);
}

static void
test_fqdn_match_long_names_253_match_254_never(void **state)
{
	(void)state;
	assert_int_equal(strlen(name253), 253);
	assert_int_equal(strlen(name254), 254);
	assert_int_equal(strlen(wild253), 253);
	assert_int_equal(strlen(host253), 253);
	assert_int_equal(run_cases(long_cases,
	    sizeof(long_cases) / sizeof(long_cases[0])), 0);
}

/*
 * An IPv4 literal is an address, not a name: RFC 9525 6.3 applies
 * wildcards to DNS domain names only, so "*.0.2.1" must not cover
 * "192.0.2.1" (the first octet is not a label).
 */
static void
test_fqdn_match_wildcard_over_ipv4_literal_never_matches(void **state)
{
	static const struct match_case ip_cases[] = {
		{ STR("*.0.2.1"), "192.0.2.1", true, NO,
		  "wildcard over an IPv4 literal" },
		{ STR("*.168.1.1"), "192.168.1.1", true, NO,
		  "wildcard over a private IPv4 literal" },
		{ STR("*.0.2.1."), "192.0.2.1.", true, NO,
		  "wildcard over an IPv4 literal, trailing dots" },
	};

	(void)state;
	assert_int_equal(run_cases(ip_cases,
	    sizeof(ip_cases) / sizeof(ip_cases[0])), 0);
}

static void
test_fqdn_match_null_san_never_matches(void **state)
{
	(void)state;
	assert_int_equal(fqdn_match(NULL, 0, "pbx.example.com", true),
	    FQDN_NO_MATCH);
}

static void
test_fqdn_match_embedded_nul_length_is_honoured(void **state)
{
	static const unsigned char san[] = "pbx.example.com\0.evil.com";

	(void)state;
	/* The same bytes cut at the NUL are a plain exact name. */
	assert_int_equal(fqdn_match(san, 15, "pbx.example.com", true),
	    FQDN_EXACT);
	assert_int_equal(fqdn_match(san, sizeof(san) - 1, "pbx.example.com",
	    true), FQDN_NO_MATCH);
}

/* fqdn_normalize(): one name in, the normal form or an error out. */
struct norm_case {
	const char *in;
	const char *want;	/* NULL: an error is expected */
	const char *err_part;	/* a part of the error, when want is NULL */
};

static const struct norm_case norm_cases[] = {
	{ "pbx.example.com", "pbx.example.com", NULL },
	{ "PBX.Example.COM", "pbx.example.com", NULL },
	{ "pbx.example.com.", "pbx.example.com", NULL },
	{ "b\xc3\xbc" "cher.example", "xn--bcher-kva.example", NULL },
	{ "pbx.b\xc3\xbc" "cher.example.", "pbx.xn--bcher-kva.example", NULL },
	{ "xn--bcher-kva.example", "xn--bcher-kva.example", NULL },
	{ "_sips._tcp.example.com", NULL, "only letters, digits, '-' and '.'" },
	{ "pbx_1.example.com", NULL, "only letters, digits, '-' and '.'" },
	{ "192.0.2.1", NULL, "an IP address, not a host name" },
	{ "8.8.8.8", NULL, "an IP address, not a host name" },
	{ "1.2.4.5.", NULL, "an IP address, not a host name" },
	{ "2001:db8::1", NULL, "an IP address, not a host name" },
	{ "[2001:db8::1]", NULL, "an IP address, not a host name" },
	{ "8.8.8.8.example.com", "8.8.8.8.example.com", NULL },
	{ "pbx example.com", NULL, "not a host name" },
	{ "pbx.example.com/", NULL, "not a host name" },
	{ "*.example.com", NULL, "not a host name" },
	{ "pbx\x1b.example.com", NULL, "not a host name" },
	{ "pbx..example.com", NULL, "empty label" },
	{ "", NULL, "empty label" },
	{ ".", NULL, "empty label" },
	{ "\xff.example.com", NULL, "internationalised" },
};

static void
test_fqdn_normalize_table_every_case_gives_the_expected_form(void **state)
{
	const struct norm_case *c;
	char *out, *err;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(norm_cases) / sizeof(norm_cases[0]); i++) {
		c = &norm_cases[i];
		err = NULL;
		out = fqdn_normalize(c->in, &err);
		if (c->want != NULL && (out == NULL ||
		    strcmp(out, c->want) != 0)) {
			print_error("case %zu: \"%s\" gave \"%s\" (%s), want "
			    "\"%s\"\n", i, c->in, out ? out : "(null)",
			    err ? err : "no error", c->want);
			bad++;
		} else if (c->want == NULL && (out != NULL || err == NULL ||
		    strstr(err, c->err_part) == NULL)) {
			print_error("case %zu: \"%s\" gave \"%s\", error \"%s\"; "
			    "want an error with \"%s\"\n", i, c->in,
			    out ? out : "(null)", err ? err : "(null)",
			    c->err_part);
			bad++;
		}
		free(out);
		free(err);
	}
	assert_int_equal(bad, 0);
}

static void
test_fqdn_normalize_254_characters_is_refused(void **state)
{
	char *out, *err = NULL;

	(void)state;
	out = fqdn_normalize(name254, &err);
	assert_null(out);
	assert_non_null(err);
	free(err);
	err = NULL;
	out = fqdn_normalize(name253_dot, &err);
	assert_non_null(out);
	assert_null(err);
	assert_string_equal(out, name253);
	free(out);
}

static void
test_fqdn_normalize_u_label_then_matches_an_a_label_san(void **state)
{
	char *fqdn, *err = NULL;

	(void)state;
	fqdn = fqdn_normalize("pbx.b\xc3\xbc" "cher.example", &err);
	assert_non_null(fqdn);
	assert_int_equal(fqdn_match((const unsigned char *)
	    "*.xn--bcher-kva.example", 23, fqdn, true), FQDN_WILDCARD);
	free(fqdn);
}

struct ip_case {
	const char *s;
	bool want;
};

static void
test_fqdn_is_ip_literal_table_tells_addresses_from_names(void **state)
{
	static const struct ip_case ip_cases[] = {
		{ "192.0.2.1", true },
		{ "0.0.0.0", true },
		{ "255.255.255.255", true },
		{ "2001:db8::1", true },
		{ "::1", true },
		{ "[2001:db8::1]", true },
		{ "::ffff:192.0.2.1", true },
		{ "pbx.example.com", false },
		{ "192.0.2", false },
		{ "256.0.2.1", false },
		{ "1.2.3.4.5", false },
		{ "192.0.2.1.", false },
		{ "2001:db8::g", false },
		{ "[pbx.example.com]", false },
		{ "", false },
	};
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(ip_cases) / sizeof(ip_cases[0]); i++)
		if (fqdn_is_ip_literal(ip_cases[i].s) != ip_cases[i].want) {
			print_error("\"%s\": got %d, want %d\n", ip_cases[i].s,
			    !ip_cases[i].want, ip_cases[i].want);
			bad++;
		}
	assert_int_equal(bad, 0);
}

/* fqdn_dns_syntax(): the preferred name syntax, a wildcard label only when asked. */
static const struct {
	const char *name;
	bool wildcard;
	bool want;
} syntax_cases[] = {
	{ "example.test", false, true },
	{ "a-b.example.test", false, true },
	{ "xn--bcher-kva.example", false, true },
	{ "localhost", false, true },
	{ ".example.test", false, false },
	{ "example.test.", false, false },
	{ "a..example.test", false, false },
	{ "-a.example.test", false, false },
	{ "a-.example.test", false, false },
	{ "a_b.example.test", false, false },
	{ "a b.example.test", false, false },
	{ "", false, false },
	{ "*.example.test", false, false },
	{ "*.example.test", true, true },
	{ "a*.example.test", true, false },
	{ "*", true, false },
	{ "*.*.example.test", true, false },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ".test", false, true },	/* a label of 63 */
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  ".test", false, false },	/* a label of 64 */
};

static void
test_fqdn_dns_syntax_table_every_case_gives_the_expected_answer(void **state)
{
	size_t i;
	int bad = 0;
	bool got;

	(void)state;
	for (i = 0; i < sizeof(syntax_cases) / sizeof(syntax_cases[0]); i++) {
		got = fqdn_dns_syntax((const unsigned char *)syntax_cases[i].name,
		    strlen(syntax_cases[i].name), syntax_cases[i].wildcard);
		if (got != syntax_cases[i].want) {
			print_error("case %zu: \"%s\" (wildcard %d) gave %d\n", i,
			    syntax_cases[i].name, syntax_cases[i].wildcard, got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	/* A NUL inside is never a name. */
	assert_false(fqdn_dns_syntax((const unsigned char *)"a\0b.test", 8,
	    false));
}

/* fqdn_wildcard_reaches(): could "*.X" stand for a name under base? */
static const struct {
	const char *wild, *base;
	bool want;
} reach_cases[] = {
	{ "*.example.com", "pbx.example.com", true },	/* one label below */
	{ "*.example.com", "PBX.Example.COM", true },	/* case */
	{ "*.example.com", "example.com", true },	/* X is the base */
	{ "*.pbx.example.com", "example.com", true },	/* X under the base */
	{ "*.example.com", "a.pbx.example.com", false },	/* two labels below */
	{ "*.example.com", "other.com", false },
	{ "*.example.com", "ample.com", false },	/* not on a label boundary */
	{ "*.example.com", "xexample.com", false },
	{ "*.example.com", "com", true },		/* X under "com" */
	{ "pbx.example.com", "example.com", false },	/* not a wildcard */
	{ "*.example.com", "", false },
};

static void
test_fqdn_wildcard_reaches_table_every_case_gives_the_expected_answer(
    void **state)
{
	size_t i;
	int bad = 0;
	bool got;

	(void)state;
	for (i = 0; i < sizeof(reach_cases) / sizeof(reach_cases[0]); i++) {
		got = fqdn_wildcard_reaches(
		    (const unsigned char *)reach_cases[i].wild,
		    strlen(reach_cases[i].wild),
		    (const unsigned char *)reach_cases[i].base,
		    strlen(reach_cases[i].base));
		if (got != reach_cases[i].want) {
			print_error("case %zu: %s vs %s gave %d\n", i,
			    reach_cases[i].wild, reach_cases[i].base, got);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fqdn_match_table_every_case_gives_the_expected_answer),
		cmocka_unit_test(test_fqdn_match_long_names_253_match_254_never),
		cmocka_unit_test(test_fqdn_match_wildcard_over_ipv4_literal_never_matches),
		cmocka_unit_test(test_fqdn_match_null_san_never_matches),
		cmocka_unit_test(test_fqdn_match_embedded_nul_length_is_honoured),
		cmocka_unit_test(test_fqdn_normalize_table_every_case_gives_the_expected_form),
		cmocka_unit_test(test_fqdn_normalize_254_characters_is_refused),
		cmocka_unit_test(test_fqdn_normalize_u_label_then_matches_an_a_label_san),
		cmocka_unit_test(test_fqdn_is_ip_literal_table_tells_addresses_from_names),
		cmocka_unit_test(test_fqdn_dns_syntax_table_every_case_gives_the_expected_answer),
		cmocka_unit_test(test_fqdn_wildcard_reaches_table_every_case_gives_the_expected_answer),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}

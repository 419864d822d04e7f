/*
 * test_esc.c - untrusted text stays untrusted: escaping for terminals
 * (esc_printable), JSON, XML and Prometheus labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/esc.h"

/* Raw bytes with their length, NULs kept. */
#define RAW(s)	(const unsigned char *)(s), sizeof(s) - 1

struct esc_case {
	const unsigned char *in;
	size_t len;
	const char *want;
	const char *note;
};

static int
run_printable(const struct esc_case *c, size_t n, bool keepbs)
{
	char *out;
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		out = keepbs ? esc_printable_keepbs(c[i].in, c[i].len) :
		    esc_printable(c[i].in, c[i].len);
		if (strcmp(out, c[i].want) != 0) {
			print_error("case %zu (%s): \"%s\", want \"%s\"\n", i,
			    c[i].note, out, c[i].want);
			bad++;
		}
		free(out);
	}
	return bad;
}

static void
test_esc_printable_plain_ascii_is_unchanged(void **state)
{
	static const struct esc_case cases[] = {
		{ RAW("pbx.example.com"), "pbx.example.com", "name" },
		{ RAW("CN=R11,O=Let's Encrypt,C=US"),
		  "CN=R11,O=Let's Encrypt,C=US", "punctuation" },
		{ RAW(" ~!@#$%^&*()_+{}|:<>?"), " ~!@#$%^&*()_+{}|:<>?",
		  "printable symbols" },
		{ RAW(""), "", "empty" },
	};

	(void)state;
	assert_int_equal(run_printable(cases, sizeof(cases) / sizeof(cases[0]),
	    false), 0);
}

static void
test_esc_printable_controls_become_hex(void **state)
{
	static const struct esc_case cases[] = {
		{ RAW("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m",
		  "ANSI colour" },
		{ RAW("\x1b]0;title\x07"), "\\x1b]0;title\\x07",
		  "OSC window title" },
		{ RAW("pbx.example.com\0.evil.com"),
		  "pbx.example.com\\x00.evil.com", "embedded NUL" },
		{ RAW("\0"), "\\x00", "NUL alone" },
		{ RAW("a\tb\nc\rd"), "a\\x09b\\x0ac\\x0dd", "tab, LF, CR" },
		{ RAW("\x01\x1f"), "\\x01\\x1f", "C0 edges" },
		{ RAW("del\x7f"), "del\\x7f", "DEL" },
		{ RAW("\xc2\x85"), "\\xc2\\x85", "C1 NEL as UTF-8" },
		{ RAW("\xc2\x9b" "2J"), "\\xc2\\x9b2J", "C1 CSI as UTF-8" },
		{ RAW("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f", "C1 edges" },
		{ RAW("\x9b" "2J"), "\\x9b2J", "C1 CSI as a raw byte" },
	};

	(void)state;
	assert_int_equal(run_printable(cases, sizeof(cases) / sizeof(cases[0]),
	    false), 0);
}

static void
test_esc_printable_invalid_utf8_becomes_hex(void **state)
{
	static const struct esc_case cases[] = {
		{ RAW("\xff"), "\\xff", "0xff" },
		{ RAW("\xfe\xfe"), "\\xfe\\xfe", "0xfe" },
		{ RAW("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80",
		  "lead byte past U+10FFFF" },
		{ RAW("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80",
		  "U+110000" },
		{ RAW("\xc0\xaf"), "\\xc0\\xaf", "overlong '/' in 2 bytes" },
		{ RAW("\xe0\x80\xaf"), "\\xe0\\x80\\xaf",
		  "overlong '/' in 3 bytes" },
		{ RAW("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf",
		  "overlong '/' in 4 bytes" },
		{ RAW("\xed\xa0\x80"), "\\xed\\xa0\\x80", "UTF-16 surrogate" },
		{ RAW("ab\xe2\x82"), "ab\\xe2\\x82", "truncated at the end" },
		{ RAW("\xc3(x"), "\\xc3(x", "bad continuation" },
		{ RAW("\x80"), "\\x80", "lone continuation byte" },
		{ RAW("b\xfc" "cher"), "b\\xfccher", "Latin-1 byte" },
	};

	(void)state;
	assert_int_equal(run_printable(cases, sizeof(cases) / sizeof(cases[0]),
	    false), 0);
}

static void
test_esc_printable_bidi_overrides_and_separators_become_hex(void **state)
{
	static const struct esc_case cases[] = {
		{ RAW("moc.elpmaxe\xe2\x80\xae"), "moc.elpmaxe\\xe2\\x80\\xae",
		  "U+202E RIGHT-TO-LEFT OVERRIDE" },
		{ RAW("\xe2\x80\xaa"), "\\xe2\\x80\\xaa", "U+202A LRE" },
		{ RAW("\xe2\x80\xad"), "\\xe2\\x80\\xad", "U+202D LRO" },
		{ RAW("\xe2\x81\xa6x\xe2\x81\xa9"), "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9",
		  "U+2066 LRI ... U+2069 PDI" },
		{ RAW("\xe2\x81\xa7\xe2\x81\xa8"), "\\xe2\\x81\\xa7\\xe2\\x81\\xa8",
		  "U+2067 RLI, U+2068 FSI" },
		{ RAW("a\xe2\x80\xa8" "b"), "a\\xe2\\x80\\xa8b",
		  "U+2028 LINE SEPARATOR" },
		{ RAW("a\xe2\x80\xa9" "b"), "a\\xe2\\x80\\xa9b",
		  "U+2029 PARAGRAPH SEPARATOR" },
	};

	(void)state;
	assert_int_equal(run_printable(cases, sizeof(cases) / sizeof(cases[0]),
	    false), 0);
}

static void
test_esc_printable_valid_utf8_is_kept(void **state)
{
	static const struct esc_case cases[] = {
		{ RAW("b\xc3\xbc" "cher.example"), "b\xc3\xbc" "cher.example",
		  "U+00FC" },
		{ RAW("\xc2\xa0"), "\xc2\xa0", "U+00A0, first after C1" },
		{ RAW("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac",
		  "CJK" },
		{ RAW("\xf0\x9f\x94\x92"), "\xf0\x9f\x94\x92", "U+1F512" },
		{ RAW("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf", "U+10FFFF" },
		{ RAW("\xe2\x80\xb0"), "\xe2\x80\xb0", "U+2030 (not bidi)" },
		{ RAW("\xe2\x81\xaa"), "\xe2\x81\xaa", "U+206A (after isolates)" },
		{ RAW("\xee\x80\x80"), "\xee\x80\x80", "U+E000 after surrogates" },
	};

	(void)state;
	assert_int_equal(run_printable(cases, sizeof(cases) / sizeof(cases[0]),
	    false), 0);
}

static void
test_esc_printable_backslash_is_doubled_unless_kept(void **state)
{
	static const struct esc_case doubled[] = {
		{ RAW("a\\b"), "a\\\\b", "one backslash" },
		{ RAW("\\x1b"), "\\\\x1b", "text that looks escaped" },
	};
	static const struct esc_case kept[] = {
		{ RAW("CN=a\\,b"), "CN=a\\,b", "RFC 2253 escape kept" },
		{ RAW("CN=\x1b"), "CN=\\x1b", "controls still escaped" },
	};
	char *s;

	(void)state;
	assert_int_equal(run_printable(doubled, 2, false), 0);
	assert_int_equal(run_printable(kept, 2, true), 0);
	s = esc_printable_str("C:\\path\x1b");
	assert_string_equal(s, "C:\\\\path\\x1b");
	free(s);
}

/* Is s valid UTF-8 free of C0, DEL, C1 and bidi controls? */
static bool
terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t n, i;

	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return false;
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 2, cp = *p & 0x1f;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3, cp = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4, cp = *p & 0x07;
		else
			return false;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
		    cp == 0x2029)
			return false;
		p += n;
	}
	return true;
}

static void
test_esc_printable_any_bytes_give_terminal_safe_utf8(void **state)
{
	unsigned char in[64], b;
	uint32_t seed = 0x12345678u;
	char *out;
	size_t len;
	int i, j;

	(void)state;
	/* Every single byte. */
	for (i = 0; i < 256; i++) {
		b = (unsigned char)i;
		out = esc_printable(&b, 1);
		if (!terminal_safe(out))
			fail_msg("byte 0x%02x gave \"%s\"", i, out);
		if (i >= 0x80)
			assert_int_equal(strlen(out), 4);	/* \xNN */
		free(out);
	}
	/* Random strings, biased toward UTF-8 lead and control bytes. */
	for (i = 0; i < 5000; i++) {
		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(in);
		for (j = 0; j < (int)len; j++) {
			seed = seed * 1103515245u + 12345u;
			b = (unsigned char)(seed >> 16);
			if ((seed >> 28) & 1)
				b = (unsigned char)(0x80 | (b & 0x3f));
			in[j] = b;
		}
		out = esc_printable(in, len);
		if (!terminal_safe(out))
			fail_msg("random case %d gave unsafe \"%s\"", i, out);
		free(out);
	}
}

/* JSON, XML, Prometheus */

static char *
json(const char *s)
{
	struct buf b = { 0 };

	esc_json(&b, s);
	buf_adds(&b, "");
	return buf_steal(&b);
}

static char *
xml(const char *s)
{
	struct buf b = { 0 };

	esc_xml(&b, s);
	buf_adds(&b, "");
	return buf_steal(&b);
}

static char *
prom(const char *s)
{
	struct buf b = { 0 };

	esc_prom_label(&b, s);
	buf_adds(&b, "");
	return buf_steal(&b);
}

#define assert_escaped(fn, in, want) do { \
	char *o_ = fn(in); \
	assert_string_equal(o_, (want)); \
	free(o_); \
} while (0)

static void
test_esc_json_escapes_quotes_backslashes_and_controls(void **state)
{
	(void)state;
	assert_escaped(json, "plain", "plain");
	assert_escaped(json, "", "");
	assert_escaped(json, "say \"hi\"", "say \\\"hi\\\"");
	assert_escaped(json, "C:\\dir", "C:\\\\dir");
	assert_escaped(json, "a\nb\tc\rd", "a\\nb\\tc\\rd");
	assert_escaped(json, "\x01\x1b\x1f", "\\u0001\\u001b\\u001f");
	assert_escaped(json, "del\x7f", "del\\u007f");
	assert_escaped(json, "b\xc3\xbc" "cher \xf0\x9f\x94\x92",
	    "b\xc3\xbc" "cher \xf0\x9f\x94\x92");
	assert_escaped(json, "</script>", "</script>");
}

static void
test_esc_json_appends_to_the_buffer(void **state)
{
	struct buf b = { 0 };
	char *s;

	(void)state;
	buf_adds(&b, "{\"m\":\"");
	esc_json(&b, "a\"b");
	buf_adds(&b, "\"}");
	s = buf_steal(&b);
	assert_string_equal(s, "{\"m\":\"a\\\"b\"}");
	free(s);
}

static void
test_esc_xml_escapes_markup_and_controls(void **state)
{
	(void)state;
	assert_escaped(xml, "plain", "plain");
	assert_escaped(xml, "<a href=\"x\">&'</a>",
	    "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
	assert_escaped(xml, "a\nb\tc", "a&#10;b&#9;c");
	assert_escaped(xml, "\x01\x1b", "\\x01\\x1b");
	assert_escaped(xml, "del\x7f", "del\\x7f");
	assert_escaped(xml, "]]>", "]]&gt;");
	assert_escaped(xml, "b\xc3\xbc" "cher", "b\xc3\xbc" "cher");
}

static void
test_esc_prom_label_escapes_backslash_quote_newline(void **state)
{
	(void)state;
	assert_escaped(prom, "pbx.example.com:5061", "pbx.example.com:5061");
	assert_escaped(prom, "a\\b", "a\\\\b");
	assert_escaped(prom, "say \"hi\"", "say \\\"hi\\\"");
	assert_escaped(prom, "two\nlines", "two\\nlines");
	assert_escaped(prom, "", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esc_printable_plain_ascii_is_unchanged),
		cmocka_unit_test(test_esc_printable_controls_become_hex),
		cmocka_unit_test(test_esc_printable_invalid_utf8_becomes_hex),
		cmocka_unit_test(test_esc_printable_bidi_overrides_and_separators_become_hex),
		cmocka_unit_test(test_esc_printable_valid_utf8_is_kept),
		cmocka_unit_test(test_esc_printable_backslash_is_doubled_unless_kept),
		cmocka_unit_test(test_esc_printable_any_bytes_give_terminal_safe_utf8),
		cmocka_unit_test(test_esc_json_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(test_esc_json_appends_to_the_buffer),
		cmocka_unit_test(test_esc_xml_escapes_markup_and_controls),
		cmocka_unit_test(test_esc_prom_label_escapes_backslash_quote_newline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

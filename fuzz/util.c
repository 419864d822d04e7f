/*
 * util.c - the fuzz targets' byte reader and report oracles (fuzz.h).
 */
#define _GNU_SOURCE		/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/mman.h>

#include <jansson.h>
#include <sanitizer/asan_interface.h>

#include "fuzz.h"

uint8_t
fz_u8(struct fz *z)
{
	uint8_t b;

	if (z->n == 0)
		return 0;
	b = z->p[0];
	z->p++;
	z->n--;
	return b;
}

uint32_t
fz_u32(struct fz *z)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = (v << 8) | fz_u8(z);
	return v;
}

bool
fz_bool(struct fz *z)
{
	return (fz_u8(z) & 1) != 0;
}

unsigned
fz_below(struct fz *z, unsigned n)
{
	return n > 0 ? fz_u8(z) % n : 0;
}

unsigned char *
fz_bytes(struct fz *z, size_t max, size_t *len)
{
	size_t n = fz_u8(z);
	unsigned char *out;

	if (n > max)
		n = max;
	if (n > z->n)
		n = z->n;
	out = xmalloc(n + 1);
	memcpy(out, z->p, n);
	out[n] = '\0';
	z->p += n;
	z->n -= n;
	*len = n;
	return out;
}

char *
fz_str(struct fz *z, size_t max)
{
	size_t len;

	return (char *)fz_bytes(z, max, &len);
}

char *
fz_rest_str(struct fz *z)
{
	char *s = xstrndup((const char *)z->p, z->n);

	z->p += z->n;
	z->n = 0;
	return s;
}

void
fuzz_fail(const char *what, const char *fmt_name, const char *out, size_t len)
{
	fprintf(stderr, "\n*** %s report: %s\n--- output (%zu bytes) ---\n",
	    fmt_name, what, len);
	fwrite(out, 1, len, stderr);
	fprintf(stderr, "\n--- end ---\n");
	abort();
}

bool
fuzz_utf8_ok(const unsigned char *p, size_t len, bool controls)
{
	size_t i = 0, n, k;
	unsigned long c;

	while (i < len) {
		unsigned char b = p[i];

		if (b < 0x80) {
			if (!controls && ((b < 0x20 && b != '\n') || b == 0x7f))
				return false;
			i++;
			continue;
		}
		if (b >= 0xc2 && b <= 0xdf) {
			n = 2;
			c = b & 0x1f;
		} else if (b >= 0xe0 && b <= 0xef) {
			n = 3;
			c = b & 0x0f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			n = 4;
			c = b & 0x07;
		} else
			return false;
		if (i + n > len)
			return false;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		if (!controls && c >= 0x80 && c <= 0x9f)
			return false;
		i += n;
	}
	return true;
}

/*
 * The text report with colour: drop our SGR sequences (ESC '[' digits
 * and ';' then 'm'); anything else that starts with ESC stays, and the
 * control check below then refuses it.
 */
static char *
strip_sgr(const char *out, size_t len, size_t *newlen)
{
	char *s = xmalloc(len + 1);
	size_t i = 0, j = 0, k;

	while (i < len) {
		if (out[i] == '\033' && i + 1 < len && out[i + 1] == '[') {
			for (k = i + 2; k < len && ((out[k] >= '0' &&
			    out[k] <= '9') || out[k] == ';'); k++)
				;
			if (k < len && out[k] == 'm') {
				i = k + 1;
				continue;
			}
		}
		s[j++] = out[i++];
	}
	s[j] = '\0';
	*newlen = j;
	return s;
}

/* ------------------------------------------------------------------ */
/* XML: a small well-formedness check, enough for what junit writes. */

static bool
xml_name_char(unsigned char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == ':' || c >= 0x80)
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

/* A reference at s[0] == '&': its length, or 0 if it is not one. */
static size_t
xml_ref(const char *s, size_t len)
{
	static const char *const ents[] = { "&lt;", "&gt;", "&amp;",
		"&quot;", "&apos;" };
	size_t i, k;
	unsigned long v = 0;

	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		k = strlen(ents[i]);
		if (k <= len && memcmp(s, ents[i], k) == 0)
			return k;
	}
	if (len < 4 || s[1] != '#')
		return 0;
	for (k = 2; k < len && k < 10 && s[k] >= '0' && s[k] <= '9'; k++)
		v = v * 10 + (unsigned long)(s[k] - '0');
	if (k == 2 || k >= len || s[k] != ';')
		return 0;
	/* XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | ... */
	if (v != 0x9 && v != 0xa && v != 0xd && (v < 0x20 ||
	    (v >= 0xd800 && v <= 0xdfff) || v == 0xfffe || v == 0xffff ||
	    v > 0x10ffff))
		return 0;
	return k + 1;
}

/* Character data or an attribute value up to stop: no '<', only valid references. */
static const char *
xml_chars(const char *s, size_t len, size_t *used, char stop)
{
	size_t i = 0, r;

	while (i < len && s[i] != stop) {
		if (s[i] == '<' && stop != '<')
			return "raw '<' in an attribute value";
		if (s[i] == '&') {
			if ((r = xml_ref(s + i, len - i)) == 0)
				return "'&' that starts no valid reference";
			i += r;
			continue;
		}
		i++;
	}
	*used = i;
	return NULL;
}

static const char *
xml_check(const char *s, size_t len)
{
	const char *stack[64], *why;
	size_t stack_len[64], depth = 0, i = 0, k, used;
	bool root_seen = false;

	/* XML 1.0 forbids C0 controls other than tab, LF, CR, even escaped. */
	for (k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return "a control character XML 1.0 forbids";
	}
	if (!fuzz_utf8_ok((const unsigned char *)s, len, true))
		return "invalid UTF-8";
	while (i < len) {
		if (s[i] != '<') {
			if ((why = xml_chars(s + i, len - i, &used, '<')) != NULL)
				return why;
			for (k = i; k < i + used; k++)
				if (depth == 0 && s[k] != ' ' && s[k] != '\n' &&
				    s[k] != '\t' && s[k] != '\r')
					return "text outside the root element";
			i += used;
			continue;
		}
		if (len - i >= 2 && s[i + 1] == '?') {
			const char *end = memmem(s + i, len - i, "?>", 2);

			if (end == NULL || i != 0)
				return "bad XML declaration";
			i = (size_t)(end - s) + 2;
			continue;
		}
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *end = memmem(s + i + 4, len - i - 4, "-->", 3);

			if (end == NULL)
				return "unterminated comment";
			i = (size_t)(end - s) + 3;
			continue;
		}
		if (len - i >= 2 && s[i + 1] == '/') {
			k = i + 2;
			while (k < len && xml_name_char((unsigned char)s[k],
			    k == i + 2))
				k++;
			if (depth == 0 || k - (i + 2) != stack_len[depth - 1] ||
			    memcmp(s + i + 2, stack[depth - 1], k - (i + 2)) != 0)
				return "end tag does not match the open element";
			while (k < len && (s[k] == ' ' || s[k] == '\n'))
				k++;
			if (k >= len || s[k] != '>')
				return "bad end tag";
			depth--;
			i = k + 1;
			continue;
		}
		/* A start tag: name, attributes, then '>' or '/>'. */
		k = i + 1;
		while (k < len && xml_name_char((unsigned char)s[k], k == i + 1))
			k++;
		if (k == i + 1)
			return "'<' that starts no tag";
		if (depth == 0 && root_seen)
			return "a second root element";
		if (depth == sizeof(stack) / sizeof(stack[0]))
			return "elements nested too deep";
		stack[depth] = s + i + 1;
		stack_len[depth] = k - (i + 1);
		for (;;) {
			size_t a;

			while (k < len && (s[k] == ' ' || s[k] == '\n' ||
			    s[k] == '\t'))
				k++;
			if (k >= len)
				return "unterminated start tag";
			if (s[k] == '>') {
				depth++;
				root_seen = true;
				k++;
				break;
			}
			if (s[k] == '/' && k + 1 < len && s[k + 1] == '>') {
				root_seen = true;
				k += 2;
				break;
			}
			a = k;
			while (k < len && xml_name_char((unsigned char)s[k], k == a))
				k++;
			if (k == a || k + 1 >= len || s[k] != '=' ||
			    (s[k + 1] != '"' && s[k + 1] != '\''))
				return "bad attribute";
			{
				char q = s[k + 1];

				k += 2;
				if ((why = xml_chars(s + k, len - k, &used, q)) != NULL)
					return why;
				k += used;
				if (k >= len)
					return "unterminated attribute value";
				k++;
			}
		}
		i = k;
	}
	if (depth != 0)
		return "element left open";
	if (!root_seen)
		return "no root element";
	return NULL;
}

/* ------------------------------------------------------------------ */
/*
 * JSON (RFC 8259), checked as strictly as jansson's json_loadb() with
 * JSON_REJECT_DUPLICATES, without building anything: a report is tens
 * of kilobytes, and parsing it into values cost more than writing it.
 * One object at the top; strings valid UTF-8 with no raw control and
 * no \u0000 or lone surrogate; no key twice in an object (compared as
 * written: jansson writes each string one way); nesting at most 2048
 * deep (jansson's limit).  fuzz_check_report() asks jansson too, on a
 * failure (for its message) and every 64th document, and aborts when
 * the two disagree.
 */

struct jscan {
	const char *s;
	size_t len, i;
	const char *why;
	/* Keys of the objects open, as (start, length) in s. */
	size_t (*keys)[2];
	size_t nkeys, capkeys;
};

#define JS_MAX_DEPTH 2048

static bool js_value(struct jscan *, unsigned depth);

static void
js_ws(struct jscan *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	    j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

static bool
js_bad(struct jscan *j, const char *why)
{
	j->why = why;
	return false;
}

static int
hex4(const char *p)
{
	int v = 0, k;

	for (k = 0; k < 4; k++) {
		char c = p[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* A string at s[i] == '"'; its span without the quotes in *start, *n. */
static bool
js_string(struct jscan *j, size_t *start, size_t *n)
{
	int u, lo;

	*start = ++j->i;
	while (j->i < j->len) {
		unsigned char c = (unsigned char)j->s[j->i];

		if (c == '"') {
			*n = j->i - *start;
			j->i++;
			return true;
		}
		if (c < 0x20)
			return js_bad(j, "a raw control character in a string");
		if (c != '\\') {
			j->i++;
			continue;
		}
		if (j->i + 1 >= j->len)
			break;
		c = (unsigned char)j->s[j->i + 1];
		if (strchr("\"\\/bfnrt", c) != NULL && c != '\0') {
			j->i += 2;
			continue;
		}
		if (c != 'u' || j->i + 6 > j->len ||
		    (u = hex4(j->s + j->i + 2)) < 0)
			return js_bad(j, "a bad escape in a string");
		j->i += 6;
		if (u == 0)
			return js_bad(j, "\\u0000 in a string");
		if (u >= 0xdc00 && u <= 0xdfff)
			return js_bad(j, "a lone low surrogate escape");
		if (u >= 0xd800 && u <= 0xdbff) {
			if (j->i + 6 > j->len || j->s[j->i] != '\\' ||
			    j->s[j->i + 1] != 'u' ||
			    (lo = hex4(j->s + j->i + 2)) < 0xdc00 || lo > 0xdfff)
				return js_bad(j, "a lone high surrogate escape");
			j->i += 6;
		}
	}
	return js_bad(j, "an unterminated string");
}

static bool
js_number(struct jscan *j)
{
	size_t d;

	if (j->s[j->i] == '-')
		j->i++;
	if (j->i < j->len && j->s[j->i] == '0')
		j->i++;
	else {
		for (d = j->i; j->i < j->len && j->s[j->i] >= '0' &&
		    j->s[j->i] <= '9'; j->i++)
			;
		if (j->i == d)
			return js_bad(j, "a bad number");
	}
	if (j->i < j->len && j->s[j->i] == '.') {
		for (d = ++j->i; j->i < j->len && j->s[j->i] >= '0' &&
		    j->s[j->i] <= '9'; j->i++)
			;
		if (j->i == d)
			return js_bad(j, "a bad fraction");
	}
	if (j->i < j->len && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
		j->i++;
		if (j->i < j->len && (j->s[j->i] == '+' || j->s[j->i] == '-'))
			j->i++;
		for (d = j->i; j->i < j->len && j->s[j->i] >= '0' &&
		    j->s[j->i] <= '9'; j->i++)
			;
		if (j->i == d)
			return js_bad(j, "a bad exponent");
	}
	return true;
}

static bool
js_object(struct jscan *j, unsigned depth)
{
	size_t base = j->nkeys, start, n, k;

	j->i++;
	js_ws(j);
	if (j->i < j->len && j->s[j->i] == '}') {
		j->i++;
		return true;
	}
	for (;;) {
		js_ws(j);
		if (j->i >= j->len || j->s[j->i] != '"')
			return js_bad(j, "an object member without a key");
		if (!js_string(j, &start, &n))
			return false;
		for (k = base; k < j->nkeys; k++)
			if (j->keys[k][1] == n &&
			    memcmp(j->s + j->keys[k][0], j->s + start, n) == 0)
				return js_bad(j, "a key twice in one object");
		if (j->nkeys == j->capkeys) {
			j->capkeys = j->capkeys ? 2 * j->capkeys : 256;
			j->keys = realloc(j->keys, j->capkeys *
			    sizeof(j->keys[0]));
			if (j->keys == NULL)
				fatal_oom();
		}
		j->keys[j->nkeys][0] = start;
		j->keys[j->nkeys][1] = n;
		j->nkeys++;
		js_ws(j);
		if (j->i >= j->len || j->s[j->i] != ':')
			return js_bad(j, "a key without ':'");
		j->i++;
		if (!js_value(j, depth + 1))
			return false;
		js_ws(j);
		if (j->i < j->len && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->len && j->s[j->i] == '}') {
			j->i++;
			j->nkeys = base;
			return true;
		}
		return js_bad(j, "an object not closed");
	}
}

static bool
js_array(struct jscan *j, unsigned depth)
{
	j->i++;
	js_ws(j);
	if (j->i < j->len && j->s[j->i] == ']') {
		j->i++;
		return true;
	}
	for (;;) {
		if (!js_value(j, depth + 1))
			return false;
		js_ws(j);
		if (j->i < j->len && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->len && j->s[j->i] == ']') {
			j->i++;
			return true;
		}
		return js_bad(j, "an array not closed");
	}
}

static bool
js_word(struct jscan *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return js_bad(j, "an unknown token");
	j->i += n;
	return true;
}

static bool
js_value(struct jscan *j, unsigned depth)
{
	size_t start, n;

	if (depth > JS_MAX_DEPTH)
		return js_bad(j, "nested too deep");
	js_ws(j);
	if (j->i >= j->len)
		return js_bad(j, "a value missing");
	switch (j->s[j->i]) {
	case '{':
		return js_object(j, depth);
	case '[':
		return js_array(j, depth);
	case '"':
		return js_string(j, &start, &n);
	case 't':
		return js_word(j, "true");
	case 'f':
		return js_word(j, "false");
	case 'n':
		return js_word(j, "null");
	default:
		if (j->s[j->i] == '-' || (j->s[j->i] >= '0' && j->s[j->i] <= '9'))
			return js_number(j);
		return js_bad(j, "an unknown token");
	}
}

/* The key spans' buffer, kept from one document to the next. */
static size_t (*js_keys)[2];
static size_t js_capkeys;

static const char *
js_check(const char *s, size_t len)
{
	struct jscan j = { s, len, 0, NULL, js_keys, 0, js_capkeys };
	bool ok;

	if (!fuzz_utf8_ok((const unsigned char *)s, len, true))
		return "invalid UTF-8";
	js_ws(&j);
	if (j.i >= len || s[j.i] != '{')
		ok = js_bad(&j, "the document is not a JSON object");
	else if ((ok = js_value(&j, 1))) {
		js_ws(&j);
		if (j.i != len)
			ok = js_bad(&j, "text after the document");
	}
	js_keys = j.keys;
	js_capkeys = j.capkeys;
	return ok ? NULL : j.why;
}

/* jansson's verdict on the same text: NULL, or why it refuses it. */
static const char *
json_check_jansson(const char *out, size_t len, bool say)
{
	json_error_t jerr;
	json_t *j;
	const char *why = NULL;

	j = json_loadb(out, len, JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL) {
		if (say)
			fprintf(stderr, "jansson: %s (line %d)\n", jerr.text,
			    jerr.line);
		why = "not one valid JSON document";
	} else if (!json_is_object(j))
		why = "the document is not a JSON object";
	json_decref(j);
	return why;
}

void
fuzz_oracle_selftest(void)
{
	static const struct {
		const char *doc;
		bool ok;
	} cases[] = {
		{ "{}", true },
		{ " {\"a\": [1, -0.5e+3, true, false, null, \"x\"]}\n", true },
		{ "{\"a\": {\"a\": 1}, \"b\": \"\\ud83d\\ude00\\n\\/\"}", true },
		{ "{\"\xc3\xa9\": \"\xe2\x80\xa6\"}", true },
		{ "[]", false },
		{ "{\"a\": 1,}", false },
		{ "{\"a\": 1, \"a\": 2}", false },
		{ "{\"a\": 01}", false },
		{ "{\"a\": 1.}", false },
		{ "{\"a\": -}", false },
		{ "{\"a\": \"\\u0000\"}", false },
		{ "{\"a\": \"\\ud800\"}", false },
		{ "{\"a\": \"\\udc00\"}", false },
		{ "{\"a\": \"\\x41\"}", false },
		{ "{\"a\": \"\x01\"}", false },
		{ "{\"a\": \"\xc0\x80\"}", false },
		{ "{\"a\": 1} x", false },
		{ "{\"a\": 1} {}", false },
		{ "{\"a\" 1}", false },
		{ "{\"a\": tru}", false },
		{ "{\"a\": \"x}", false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *d = cases[i].doc, *ours, *theirs;
		size_t len = strlen(d);

		ours = js_check(d, len);
		theirs = json_check_jansson(d, len, false);
		if ((ours == NULL) != cases[i].ok ||
		    (theirs == NULL) != cases[i].ok) {
			fprintf(stderr, "fuzz oracle self-test: %s: ours %s, "
			    "jansson %s, expected %s\n", d, ours ? ours : "valid",
			    theirs ? theirs : "valid",
			    cases[i].ok ? "valid" : "invalid");
			abort();
		}
	}
}

/* ------------------------------------------------------------------ */
/* Prometheus text exposition format, line by line. */

static bool
prom_metric_name(const char *s, size_t len, size_t *used)
{
	size_t i = 0;

	while (i < len && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' || s[i] == ':' ||
	    (i > 0 && s[i] >= '0' && s[i] <= '9')))
		i++;
	*used = i;
	return i > 0;
}

static bool
prom_value(const char *s, size_t len)
{
	size_t i;

	if ((len == 3 && memcmp(s, "NaN", 3) == 0) ||
	    (len == 4 && (memcmp(s, "+Inf", 4) == 0 ||
	    memcmp(s, "-Inf", 4) == 0)))
		return true;
	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == 'e' || s[i] == 'E' || s[i] == '+' || s[i] == '-'))
			return false;
	return true;
}

static const char *
prom_line(const char *s, size_t len)
{
	size_t i, n;

	if (len == 0 || s[0] == '#')
		return NULL;
	if (!prom_metric_name(s, len, &i))
		return "a sample line without a metric name";
	if (i < len && s[i] == '{') {
		i++;
		while (i < len && s[i] != '}') {
			if (!prom_metric_name(s + i, len - i, &n))
				return "bad label name";
			i += n;
			if (i + 1 >= len || s[i] != '=' || s[i + 1] != '"')
				return "label without =\"";
			i += 2;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\') {
					if (i + 1 >= len || (s[i + 1] != '\\' &&
					    s[i + 1] != '"' && s[i + 1] != 'n'))
						return "bad escape in a label value";
					i++;
				}
				i++;
			}
			if (i >= len)
				return "unterminated label value";
			i++;
			if (i < len && s[i] == ',')
				i++;
		}
		if (i >= len)
			return "unterminated label set";
		i++;
	}
	if (i >= len || s[i] != ' ')
		return "no space before the value";
	i++;
	for (n = i; n < len && s[n] != ' '; n++)
		;
	if (!prom_value(s + i, n - i))
		return "bad sample value";
	return NULL;
}

static const char *
prom_check(const char *s, size_t len)
{
	size_t i = 0, e;
	const char *why;

	if (!fuzz_utf8_ok((const unsigned char *)s, len, false))
		return "invalid UTF-8 or a control character";
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);

		e = nl != NULL ? (size_t)(nl - s) : len;
		if ((why = prom_line(s + i, e - i)) != NULL)
			return why;
		i = e + 1;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */

void
fuzz_check_report(const char *fmt_name, const char *out, size_t len,
    bool color)
{
	const char *why = NULL;

	if (memchr(out, '\0', len) != NULL)
		fuzz_fail("a NUL byte in the output", fmt_name, out, len);
	if (strcmp(fmt_name, "text") == 0) {
		size_t n = len;
		char *plain = color ? strip_sgr(out, len, &n) : NULL;

		if (!fuzz_utf8_ok((const unsigned char *)(plain ? plain : out),
		    n, false))
			why = "a control character, an escape sequence or "
			    "invalid UTF-8";
		free(plain);
	} else if (strcmp(fmt_name, "json") == 0 ||
	    strcmp(fmt_name, "sarif") == 0) {
		static unsigned long documents;
		const char *jwhy;

		why = js_check(out, len);
		if (why != NULL || documents++ % 64 == 0) {
			jwhy = json_check_jansson(out, len, true);
			if ((why == NULL) != (jwhy == NULL)) {
				fprintf(stderr, "JSON check: %s; jansson: %s\n",
				    why ? why : "valid", jwhy ? jwhy : "valid");
				fuzz_fail("the two JSON checks disagree",
				    fmt_name, out, len);
			}
		}
	} else if (strcmp(fmt_name, "junit") == 0)
		why = xml_check(out, len);
	else if (strcmp(fmt_name, "nagios") == 0) {
		if (!fuzz_utf8_ok((const unsigned char *)out, len, false))
			why = "a control character or invalid UTF-8";
		else if (len < 12 || memcmp(out, "BWCERTCHECK ", 12) != 0)
			why = "no status line first";
	} else if (strcmp(fmt_name, "prometheus") == 0)
		why = prom_check(out, len);
	if (why != NULL)
		fuzz_fail(why, fmt_name, out, len);
}

/* Render subjects through format f to memory and check the result. */
static void
render_one(const struct report_format *f, const struct run *run,
    enum report_command cmd, const struct subject *subjects,
    const struct subject *text_subjects, size_t n, bool color)
{
	bool text = strcmp(f->name, "text") == 0;
	const struct subject *list;
	struct report r;
	char *out = NULL;
	size_t len = 0, i;
	FILE *fp;

	if ((fp = open_memstream(&out, &len)) == NULL)
		fatal_oom();
	list = text && text_subjects != NULL ? text_subjects : subjects;
	report_begin(&r, f, fp, &run->policy, run->now, run->quiet, cmd);
	r.color = text && color;
	for (i = 0; i < n; i++)
		report_subject(&r, &list[i]);
	report_end(&r);
	if (fclose(fp) != 0)
		fatal_oom();
	fuzz_check_report(f->name, out, len, text && color);
	free(out);
}

void
fuzz_render_one(const struct run *run, enum report_command cmd,
    const struct subject *subjects, const struct subject *text_subjects,
    size_t n, bool color, size_t which)
{
	size_t count = 0;
	const char *pin;

	while (report_formats[count] != NULL)
		count++;
	/* BWC_FUZZ_FORMAT=K: every input through report_formats[K] (profiling). */
	if ((pin = getenv("BWC_FUZZ_FORMAT")) != NULL)
		which = strtoul(pin, NULL, 10);
	render_one(report_formats[which % count], run, cmd, subjects,
	    text_subjects, n, color);
}

/* ------------------------------------------------------------------ */
/* jansson's arena (fuzz.h). */

#define ARENA_SIZE ((size_t)256 << 20)
#define ARENA_ALIGN 16
#define ARENA_REDZONE 16
#define ARENA_LIVE 0x6a736f6e6c697665ULL	/* "jsonlive" */
#define ARENA_FREED 0x6a736f6e66726565ULL	/* "jsonfree" */

struct arena_hdr {
	size_t size;
	unsigned long long magic;
};

static unsigned char *arena;
static size_t arena_used;
static size_t arena_live;

static bool
in_arena(const void *p)
{
	return arena != NULL && (const unsigned char *)p >= arena &&
	    (const unsigned char *)p < arena + ARENA_SIZE;
}

static void *
arena_malloc(size_t n)
{
	size_t need = sizeof(struct arena_hdr) +
	    (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN + ARENA_REDZONE;
	struct arena_hdr *h;

	if (n > ARENA_SIZE || need > ARENA_SIZE - arena_used)
		return malloc(n);
	h = (struct arena_hdr *)(arena + arena_used);
	arena_used += need;
	ASAN_UNPOISON_MEMORY_REGION(h, sizeof(*h) + n);
	h->size = n;
	h->magic = ARENA_LIVE;
	arena_live++;
	return h + 1;
}

static void
arena_free(void *p)
{
	struct arena_hdr *h;

	if (p == NULL)
		return;
	if (!in_arena(p)) {
		free(p);
		return;
	}
	h = (struct arena_hdr *)p - 1;
	if (h->magic != ARENA_LIVE) {
		fprintf(stderr, "jansson arena: %s of %p\n",
		    h->magic == ARENA_FREED ? "double free" : "bad free", p);
		abort();
	}
	h->magic = ARENA_FREED;
	ASAN_POISON_MEMORY_REGION(p, h->size);
	arena_live--;
}

void
fuzz_json_arena_init(void)
{
	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED) {
		perror("fuzz: jansson arena: mmap");
		abort();
	}
	ASAN_POISON_MEMORY_REGION(arena, ARENA_SIZE);
	json_set_alloc_funcs(arena_malloc, arena_free);
}

void
fuzz_json_arena_end(void)
{
	if (arena_live != 0) {
		fprintf(stderr, "jansson arena: %zu values never freed "
		    "(a json_decref() missing)\n", arena_live);
		abort();
	}
	/* Every block is poisoned already; the headers are too, now. */
	ASAN_POISON_MEMORY_REGION(arena, arena_used);
	arena_used = 0;
}

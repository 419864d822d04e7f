/*
 * fuzz_fqdn.c - the FQDN matcher and the FQDN normaliser.
 *
 * Input: one flag byte (bit 0: wildcards allowed), a length byte, that
 * many bytes of SAN dNSName (raw, NULs and all), then the FQDN as the
 * user would type it (up to the first NUL).
 *
 * Invariants, on top of "no crash, no leak":
 *   - a SAN holding a NUL or a byte outside printable ASCII never matches;
 *   - an exact match means the two names are equal ignoring ASCII case
 *     and one trailing dot;
 *   - a wildcard match needs wildcards allowed and a SAN "*." followed
 *     by at least two labels, and the FQDN has exactly one label more;
 *   - the verdict does not change with the ASCII case of either side;
 *   - fqdn_normalize() output is lower-case LDH, never an IP address, has no
 *     empty label, no trailing dot, at most 253 bytes, is a fixed point
 *     of fqdn_normalize(), and as a SAN matches itself exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fqdn.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_fqdn: " __VA_ARGS__);		\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t
strip_dot(const unsigned char *p, size_t len)
{
	return len > 0 && p[len - 1] == '.' ? len - 1 : len;
}

static bool
same_nocase(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

static size_t
labels(const unsigned char *p, size_t len)
{
	size_t i, n = 1;

	for (i = 0; i < len; i++)
		n += p[i] == '.';
	return n;
}

/* Flip the ASCII case of every letter. */
static void
flip_case(unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z'))
			p[i] ^= 0x20;
}

static void
check_match(const unsigned char *san, size_t san_len, const char *fqdn,
    bool wild)
{
	enum fqdn_match m = fqdn_match(san, san_len, fqdn, wild), m2;
	const unsigned char *f = (const unsigned char *)fqdn;
	size_t flen = strlen(fqdn), sl, fl, i;
	unsigned char *san2;
	char *fqdn2;

	CHECK(m < FQDN__MAX, "verdict %d out of range", (int)m);
	for (i = 0; i < san_len; i++)
		if (san[i] <= 0x20 || san[i] >= 0x7f)
			CHECK(m == FQDN_NO_MATCH, "SAN with byte 0x%02x matched",
			    san[i]);
	sl = strip_dot(san, san_len);
	fl = strip_dot(f, flen);
	if (m == FQDN_EXACT)
		CHECK(same_nocase(san, sl, f, fl), "exact match of "
		    "different names");
	if (m == FQDN_WILDCARD) {
		CHECK(wild, "wildcard matched with wildcards off");
		CHECK(sl >= 3 && san[0] == '*' && san[1] == '.',
		    "wildcard match without a leading \"*.\"");
		CHECK(labels(san + 2, sl - 2) >= 2, "wildcard over a suffix of "
		    "fewer than two labels");
		CHECK(labels(f, fl) == labels(san, sl), "wildcard covered "
		    "other than exactly one label");
	}

	/* Case never matters. */
	san2 = xmalloc(san_len + 1);
	memcpy(san2, san, san_len);
	flip_case(san2, san_len);
	fqdn2 = xstrdup(fqdn);
	flip_case((unsigned char *)fqdn2, flen);
	m2 = fqdn_match(san2, san_len, fqdn2, wild);
	CHECK(m2 == m, "verdict changed with case: %d then %d", (int)m,
	    (int)m2);
	free(san2);
	free(fqdn2);
}

static void
check_normalize(const char *fqdn)
{
	char *err = NULL, *err2 = NULL, *norm, *again;
	size_t i, len;

	norm = fqdn_normalize(fqdn, &err);
	if (norm == NULL) {
		CHECK(err != NULL && err[0] != '\0', "failed without a reason");
		free(err);
		return;
	}
	CHECK(err == NULL, "succeeded with a reason");
	len = strlen(norm);
	CHECK(len > 0 && len <= 253, "normalised length %zu", len);
	CHECK(norm[len - 1] != '.' && norm[0] != '.' &&
	    strstr(norm, "..") == NULL, "empty label in \"%s\"", norm);
	for (i = 0; i < len; i++)
		CHECK((norm[i] >= 'a' && norm[i] <= 'z') ||
		    (norm[i] >= '0' && norm[i] <= '9') || norm[i] == '-' ||
		    norm[i] == '.',
		    "byte 0x%02x in a normalised name",
		    (unsigned char)norm[i]);
	CHECK(!fqdn_is_ip_literal(norm), "an address as a name: \"%s\"", norm);
	again = fqdn_normalize(norm, &err2);
	CHECK(again != NULL && strcmp(again, norm) == 0,
	    "not a fixed point: \"%s\"", norm);
	CHECK(fqdn_match((const unsigned char *)norm, len, norm, false) ==
	    FQDN_EXACT, "\"%s\" does not match itself", norm);
	check_match((const unsigned char *)norm, len, norm, true);
	free(again);
	free(err2);
	free(norm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = { data, size };
	bool wild = fz_bool(&z);
	unsigned char *san;
	size_t san_len;
	char *fqdn;

	san = fz_bytes(&z, 300, &san_len);
	fqdn = fz_rest_str(&z);
	check_match(san, san_len, fqdn, wild);
	check_normalize(fqdn);
	/* The SAN as a typed name too (it is NUL-terminated). */
	check_normalize((const char *)san);
	(void)fqdn_is_ip_literal(fqdn);
	free(san);
	free(fqdn);
	return 0;
}

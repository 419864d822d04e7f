/*
 * test_roots.c - the accepted-roots table, the built-in bundle, and
 * trust stores loaded from --trust-store paths.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "core/roots_table.h"
#include "x509/chain.h"
#include "x509/load.h"
#include "x509/roots_index.h"
#include "x509/trust.h"
#include "pki.h"

/* SPKI SHA-256 of roots deliberately left out (see roots_table.c). */
#define STARFIELD_SERVICES_G2 \
	"2b071c59a0a0ae76b0eadb2bad23bad4580b69c3601b630c2eaf0613afa83f92"
#define AAA_CERTIFICATE_SERVICES \
	"bd153ed7b0434f6886b17bce8bbe84ed340c7132d702a8f4fa318f756ecbd6f3"

struct fixture {
	STACK_OF(X509) *bundle;		/* owned: the certificates of root_ders[] */
	char tmp[64];			/* a scratch directory */
};

static struct fixture *fx;

/* Remove dir and everything below it (the scratch tree is small). */
static void
rm_tree(const char *dir)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char *p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static int
group_setup(void **state)
{

	const unsigned char *p;
	size_t i;
	X509 *x;

	fx = xcalloc(1, sizeof(*fx));
	if ((fx->bundle = sk_X509_new_null()) == NULL)
		return -1;
	/* The bytes the binary carries, parsed here independently. */
	for (i = 0; i < root_ders_len; i++) {
		p = root_ders[i].der;
		if ((x = d2i_X509(NULL, &p, (long)root_ders[i].len)) == NULL ||
		    p != root_ders[i].der + root_ders[i].len) {
			fprintf(stderr, "root_ders[%zu] does not parse\n", i);
			X509_free(x);
			return -1;
		}
		if (sk_X509_push(fx->bundle, x) == 0)
			return -1;
	}
	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/bwc-test-roots-XXXXXX");
	if (mkdtemp(fx->tmp) == NULL)
		return -1;
	*state = fx;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	rm_tree(fx->tmp);
	sk_X509_pop_free(fx->bundle, X509_free);
	free(fx);
	fx = NULL;
	return 0;
}

/* SHA-256 of x's DER SubjectPublicKeyInfo, as lower-case hex. */
static void
spki_hex(X509 *x, char out[65])
{
	unsigned char md[32], *der = NULL;
	unsigned int mdlen = 0;
	int len, i;

	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	assert_true(len > 0);
	assert_int_equal(EVP_Digest(der, (size_t)len, md, &mdlen,
	    EVP_sha256(), NULL), 1);
	assert_int_equal(mdlen, 32);
	OPENSSL_free(der);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The bundle's certificate pinned by row, or NULL. Borrowed. */
static X509 *
bundle_cert(const struct root_info *row)
{
	char hex[65];
	int i;

	for (i = 0; i < sk_X509_num(fx->bundle); i++) {
		spki_hex(sk_X509_value(fx->bundle, i), hex);
		if (strcmp(hex, row->spki_sha256) == 0)
			return sk_X509_value(fx->bundle, i);
	}
	return NULL;
}

static const struct root_info *
row_named(const char *name)
{
	size_t i;

	for (i = 0; i < root_table_len; i++)
		if (strcmp(root_table[i].name, name) == 0)
			return &root_table[i];
	return NULL;
}

static void
hex_to_raw(const char *hex, unsigned char raw[32])
{
	size_t i;
	unsigned v;

	assert_int_equal(strlen(hex), 64);
	for (i = 0; i < 32; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		raw[i] = (unsigned char)v;
	}
}

/* Fail, showing both, unless msg starts with "PATH:". */
static void
assert_names_path(const char *msg, const char *path)
{
	size_t n = strlen(path);
	char *head;

	assert_non_null(msg);
	head = xstrndup(msg, n);
	assert_string_equal(head, path);
	free(head);
	assert_int_equal(msg[n], ':');
}

static char *
scratch(const char *name)
{
	return xasprintf("%s/%s", fx->tmp, name);
}

/* Write len bytes to dir/name. */
static void
put(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp;

	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

/* Write x to dir/name, in DER or PEM; append adds it to what is there. */
static void
put_cert(const char *dir, const char *name, X509 *x, bool der, bool append)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp;

	assert_non_null(fp = fopen(path, append ? "ab" : "wb"));
	if (der)
		assert_int_equal(i2d_X509_fp(fp, x), 1);
	else
		assert_int_equal(PEM_write_X509(fp, x), 1);
	assert_int_equal(fclose(fp), 0);
	free(path);
}

static struct trust *
load_builtin_brands(unsigned brands)
{
	struct policy p;
	struct trust *t;
	char *err = NULL;

	policy_default(&p);
	p.brands = brands;
	t = trust_load_builtin(&p, &err);
	assert_null(err);
	assert_non_null(t);
	return t;
}

static void
test_trust_load_builtin_default_or_no_policy_loads_every_row_in_order(void **state)
{
	struct policy p;
	struct trust *t;
	char *err = NULL;
	size_t i;

	(void)state;
	policy_default(&p);
	t = trust_load_builtin(&p, &err);
	assert_null(err);
	assert_non_null(t);
	assert_true(t->builtin);
	assert_non_null(t->store);
	assert_int_equal(t->n, root_table_len);
	/* Nothing parsed at load: the store is empty until a chain asks. */
	assert_int_equal(sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)),
	    0);
	for (i = 0; i < t->n; i++) {
		assert_ptr_equal(t->roots[i].info, &root_table[i]);
		assert_null(t->roots[i].x509);
		assert_non_null(trust_root(t, i));
		assert_non_null(t->roots[i].x509);
		/* facts.c hashes the SPKI the same way. */
		assert_ptr_equal(root_info_by_spki(
		    trust_root(t, i)->facts.spki_sha256), &root_table[i]);
	}
	/* Once each is parsed, the store holds the roots and nothing else. */
	assert_int_equal(sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)),
	    t->n);
	trust_free(t);

	/* No policy at all keeps every brand too. */
	assert_non_null(t = trust_load_builtin(NULL, &err));
	assert_null(err);
	assert_int_equal(t->n, root_table_len);
	trust_free(t);
}

static void
test_trust_load_builtin_fewer_brands_gives_fewer_roots(void **state)
{
	struct trust *t;
	size_t i, want;

	(void)state;
	t = load_builtin_brands(1u << BRAND_LETSENCRYPT);
	assert_int_equal(t->n, 2);
	for (i = 0; i < t->n; i++)
		assert_int_equal(trust_root(t, i)->info->brand,
		    BRAND_LETSENCRYPT);
	trust_free(t);

	t = load_builtin_brands((1u << BRAND_DIGICERT) | (1u << BRAND_GODADDY));
	for (i = 0, want = 0; i < root_table_len; i++)
		if (root_table[i].brand == BRAND_DIGICERT ||
		    root_table[i].brand == BRAND_GODADDY)
			want++;
	assert_int_equal(t->n, want);
	assert_int_equal(want, 20);
	trust_free(t);
}

static void
test_trust_load_builtin_no_brand_gives_empty_store(void **state)
{
	struct trust *t;

	(void)state;
	t = load_builtin_brands(0);
	assert_int_equal(t->n, 0);
	assert_int_equal(sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)),
	    0);
	trust_free(t);
}

static void
test_roots_table_every_row_has_its_certificate_in_bundle(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal((size_t)sk_X509_num(fx->bundle), root_table_len);
	for (i = 0; i < root_table_len; i++) {
		if (bundle_cert(&root_table[i]) == NULL)
			fail_msg("no certificate for %s", root_table[i].name);
	}
}

static void
test_roots_table_rows_are_well_formed_with_unique_hashes(void **state)
{
	const struct root_info *r;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < root_table_len; i++) {
		r = &root_table[i];
		assert_in_range(r->brand, 0, BRAND__MAX - 1);
		assert_non_null(r->why);
		assert_true(strlen(r->why) > 0);
		assert_int_equal(strlen(r->spki_sha256), 64);
		for (k = 0; k < 64; k++)
			assert_non_null(strchr("0123456789abcdef",
			    r->spki_sha256[k]));
		for (j = i + 1; j < root_table_len; j++)
			assert_string_not_equal(r->spki_sha256,
			    root_table[j].spki_sha256);
		assert_non_null(r->mozilla_removal);
		if (root_removal_time(r) == -1)
			fail_msg("%s: bad removal date \"%s\"", r->name,
			    r->mozilla_removal);
	}
}

static void
test_roots_table_names_are_the_certificates_cn_or_ou(void **state)
{
	static const int nids[] = { NID_commonName, NID_organizationalUnitName };
	const X509_NAME *subj;
	unsigned char *utf8;
	size_t i, k;
	int pos, len;
	bool found;
	X509 *x;

	(void)state;
	for (i = 0; i < root_table_len; i++) {
		assert_non_null(x = bundle_cert(&root_table[i]));
		subj = X509_get_subject_name(x);
		found = false;
		for (k = 0; k < 2 && !found; k++) {
			pos = -1;
			while (!found && (pos = X509_NAME_get_index_by_NID(subj,
			    nids[k], pos)) >= 0) {
				len = ASN1_STRING_to_UTF8(&utf8,
				    X509_NAME_ENTRY_get_data(
				    X509_NAME_get_entry(subj, pos)));
				assert_true(len >= 0);
				found = strlen(root_table[i].name) == (size_t)len &&
				    memcmp(utf8, root_table[i].name, len) == 0;
				OPENSSL_free(utf8);
			}
		}
		if (!found)
			fail_msg("%s: not a CN or OU of its certificate",
			    root_table[i].name);
	}
}

static void
test_roots_table_baltimore_is_digicert_with_removal_date_and_expired_cert(void **state)
{
	const struct root_info *row;
	struct trust *t;
	size_t i;

	(void)state;
	assert_non_null(row = row_named("Baltimore CyberTrust Root"));
	assert_int_equal(row->brand, BRAND_DIGICERT);
	assert_string_equal(row->spki_sha256,
	    "63d9af9b47b1064d49a10e7b7fd566dbc8caa399459bfc2829c571ad8c6ef34a");
	assert_string_equal(row->mozilla_removal, "2025-04-15");
	assert_int_equal(root_removal_time(row), 1744675200);

	/* Kept although expired: the verifier reports "root expired". */
	t = load_builtin_brands(1u << BRAND_DIGICERT);
	for (i = 0; i < t->n && t->roots[i].info != row; i++)
		continue;
	assert_true(i < t->n);
	assert_true(trust_root(t, i)->facts.times_valid);
	assert_int_equal(trust_root(t, i)->facts.not_after, 1747094340);
	trust_free(t);
}

static void
test_root_info_by_spki_finds_pinned_roots_only(void **state)
{
	const struct root_info *row;
	unsigned char raw[32];

	(void)state;
	hex_to_raw("0b9fa5a59eed715c26c1020c711b4f6e"
	    "c42d58b0015e14337a39dad301c5afc3", raw);
	assert_non_null(row = root_info_by_spki(raw));
	assert_string_equal(row->name, "ISRG Root X1");
	assert_int_equal(row->brand, BRAND_LETSENCRYPT);

	/* Left out on purpose: Amazon's Starfield Services G2, and AAA. */
	hex_to_raw(STARFIELD_SERVICES_G2, raw);
	assert_null(root_info_by_spki(raw));
	hex_to_raw(AAA_CERTIFICATE_SERVICES, raw);
	assert_null(root_info_by_spki(raw));
}

/* A whole CN= or OU= value; the first row of the table when several match. */
static void
test_root_info_by_name_matches_a_whole_cn_or_ou_value(void **state)
{
	const struct root_info *row;

	(void)state;
	row = root_info_by_name("CN=DigiCert Global Root CA,OU=www.digicert.com,"
	    "O=DigiCert Inc,C=US");
	assert_non_null(row);
	assert_string_equal(row->name, "DigiCert Global Root CA");
	row = root_info_by_name("CN=Class 2,OU=Go Daddy Class 2 Certification "
	    "Authority,O=The Go Daddy Group\\, Inc.,C=US");
	assert_non_null(row);
	assert_string_equal(row->name,
	    "Go Daddy Class 2 Certification Authority");
	assert_int_equal(row->brand, BRAND_GODADDY);
	/* Last attribute, and the middle of a multi-valued RDN. */
	assert_non_null(root_info_by_name("O=Internet Security Research "
	    "Group,CN=ISRG Root X1"));
	assert_non_null(root_info_by_name("O=x+CN=ISRG Root X1+C=US"));
	/* Two accepted names: the table's order decides, not the name's. */
	row = root_info_by_name("CN=GlobalSign Root CA,OU=DigiCert Global "
	    "Root CA");
	assert_non_null(row);
	assert_string_equal(row->name, "DigiCert Global Root CA");

	/* A prefix, a longer value, another attribute, not at a start. */
	assert_null(root_info_by_name("CN=DigiCert Global Root"));
	assert_null(root_info_by_name("CN=DigiCert Global Root CA2,C=US"));
	assert_null(root_info_by_name("CN=ISRG Root X1 ,C=US"));
	assert_null(root_info_by_name("O=DigiCert Global Root CA,C=US"));
	assert_null(root_info_by_name("CN=x,O=aCN=ISRG Root X1"));
	assert_null(root_info_by_name("cn=ISRG Root X1"));
	/* Behind an escaped comma or plus it is part of another value. */
	assert_null(root_info_by_name("O=Evil\\,CN=ISRG Root X1"));
	assert_null(root_info_by_name("O=Evil\\+CN=ISRG Root X1"));
	/* An escaped backslash does not escape the comma after it. */
	assert_non_null(root_info_by_name("O=a\\\\,CN=ISRG Root X1"));
	assert_null(root_info_by_name(""));
	assert_null(root_info_by_name("CN="));
	assert_null(root_info_by_name(","));
	assert_null(root_info_by_name("\\"));

	assert_string_equal(root_excluded_why("CN=DST Root CA X3,O=Digital "
	    "Signature Trust Co."), root_excluded[2].why);
	assert_null(root_excluded_why("CN=ISRG Root X1"));
	assert_null(root_excluded_why("CN=DST Root CA X3 (old)"));
}

static void
test_root_removal_time_known_dates_give_utc_midnight(void **state)
{
	static const struct {
		const char *date;
		time_t want;
	} cases[] = {
		{ "1970-01-01", 0 },
		{ "2000-03-01", 951868800 },
		{ "2024-02-29", 1709164800 },
		{ "2025-04-15", 1744675200 },
		{ "2026-04-15", 1776211200 },
		{ "2029-12-10", 1891555200 },
		{ "2030-06-04", 1906761600 },
	};
	struct root_info row = { .name = "test" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		row.mozilla_removal = cases[i].date;
		assert_int_equal(root_removal_time(&row), cases[i].want);
	}
}

static void
test_root_removal_time_malformed_dates_give_minus_one(void **state)
{
	static const char *const bad[] = {
		"", "2025-4-15", "2025-04-15x", "2025/04/15", "20a5-04-15",
		"2025-02-29", "2100-02-29", "2025-13-01", "2025-00-10",
		"2025-04-00", "2025-04-31", "1969-12-31", " 2025-04-1",
	};
	struct root_info row = { .name = "test" };
	size_t i;

	(void)state;
	assert_int_equal(root_removal_time(NULL), -1);
	assert_int_equal(root_removal_time(&row), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		row.mozilla_removal = bad[i];
		if (root_removal_time(&row) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
}

static void
test_trust_find_bundle_root_returns_its_row(void **state)
{
	const struct root_info *x1 = row_named("ISRG Root X1");
	const struct root_info *r3 = row_named("GlobalSign Root CA - R3");
	const struct trust_root *r;
	struct trust *t;
	size_t pos = 0;

	(void)state;
	assert_non_null(x1);
	assert_non_null(r3);
	t = load_builtin_brands(1u << BRAND_LETSENCRYPT);
	/* Found once a chain has named it (and so it is parsed). */
	assert_null(trust_find(t, bundle_cert(x1)));
	assert_non_null(trust_named(t,
	    X509_get_subject_name(bundle_cert(x1)), &pos));
	assert_non_null(r = trust_find(t, bundle_cert(x1)));
	assert_ptr_equal(r->info, x1);
	/* A root of a brand the policy does not accept is not found. */
	assert_null(trust_find(t, bundle_cert(r3)));
	assert_null(trust_find(t, NULL));
	assert_null(trust_find(NULL, bundle_cert(x1)));
	trust_free(t);
}

/*
 * The index the binary carries is the committed bundle: the same
 * certificates, byte for byte, in the same order, with the name hash
 * and key hash OpenSSL gives each.
 */
static void
test_roots_index_is_the_pem_bundle_byte_for_byte(void **state)
{
	const char *top = getenv("TOP");
	char *path = xasprintf("%s/lib/x509/roots_bundle.pem",
	    top != NULL ? top : ".");
	STACK_OF(X509) *pem = sk_X509_new_null();
	unsigned char *der;
	char *err = NULL, hex[65];
	size_t i;
	int len, ok;

	(void)state;
	assert_non_null(pem);
	if (load_certs(path, NULL, pem, NULL, NULL, &err) == -1)
		fail_msg("%s", err);
	assert_int_equal((size_t)sk_X509_num(pem), root_ders_len);
	for (i = 0; i < root_ders_len; i++) {
		X509 *x = sk_X509_value(pem, (int)i);

		der = NULL;
		assert_true((len = i2d_X509(x, &der)) > 0);
		assert_int_equal((size_t)len, root_ders[i].len);
		assert_memory_equal(der, root_ders[i].der, root_ders[i].len);
		OPENSSL_free(der);
		assert_int_equal(X509_NAME_hash_ex(X509_get_subject_name(x),
		    NULL, NULL, &ok), root_ders[i].name_hash);
		assert_int_equal(ok, 1);
		spki_hex(x, hex);
		assert_string_equal(hex, root_ders[i].spki_sha256);
	}
	sk_X509_pop_free(pem, X509_free);
	free(path);
}

/* How many of t's roots are parsed (and so in its store). */
static size_t
parsed(const struct trust *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->roots[i].x509 != NULL)
			n++;
	assert_int_equal(sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)),
	    n);
	return n;
}

/*
 * A chain that reaches a built-in root parses that root and no other:
 * ISRG Root X1 verified as its own chain against every brand's roots.
 */
static void
test_trust_builtin_verification_parses_only_the_root_it_reaches(void **state)
{
	struct trust *t = load_builtin_brands(~0u);
	X509 *x1 = bundle_cert(row_named("ISRG Root X1"));
	const struct trust_root *r;
	X509_STORE_CTX *ctx;

	(void)state;
	assert_non_null(x1);
	assert_int_equal(parsed(t), 0);
	/* Not parsed, so not found: it cannot be in a path yet. */
	assert_null(trust_find(t, x1));
	assert_non_null(ctx = X509_STORE_CTX_new());
	assert_int_equal(X509_STORE_CTX_init(ctx, t->store, x1, NULL), 1);
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	assert_int_equal(X509_verify_cert(ctx), 1);
	X509_STORE_CTX_free(ctx);
	assert_int_equal(parsed(t), 1);
	assert_non_null(r = trust_find(t, x1));
	assert_ptr_equal(r->info, row_named("ISRG Root X1"));
	assert_string_equal(r->facts.subject,
	    "CN=ISRG Root X1,O=Internet Security Research Group,C=US");
	trust_free(t);
}

/* A name no built-in root bears parses nothing. */
static void
test_trust_builtin_unknown_name_parses_nothing(void **state)
{
	struct trust *t = load_builtin_brands(~0u);
	X509_NAME *name = X509_NAME_new();
	size_t pos = 0;

	(void)state;
	assert_non_null(name);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)"ISRG Root X9", -1, -1, 0), 1);
	assert_null(trust_named(t, name, &pos));
	assert_int_equal(pos, t->n);
	assert_int_equal(parsed(t), 0);
	X509_NAME_free(name);
	trust_free(t);
}

/*
 * OpenSSL takes names that differ in case, spacing or string type as
 * the same name; so does the index, whose hash is of the canonical form.
 */
static void
test_trust_named_finds_a_root_by_another_encoding_of_its_name(void **state)
{
	struct trust *t = load_builtin_brands(~0u);
	const struct trust_root *r;
	X509_NAME *name = X509_NAME_new();
	size_t pos = 0;

	(void)state;
	assert_non_null(name);
	/* The root has C, O, CN as PrintableString; these are UTF8String. */
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8,
	    (const unsigned char *)"us", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
	    (const unsigned char *)"internet  SECURITY research group", -1,
	    -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)" isrg root x1 ", -1, -1, 0), 1);
	assert_non_null(r = trust_named(t, name, &pos));
	assert_ptr_equal(r->info, row_named("ISRG Root X1"));
	assert_int_equal(parsed(t), 1);
	pos++;
	assert_null(trust_named(t, name, &pos));
	X509_NAME_free(name);
	trust_free(t);
}

/*
 * A certificate naming ISRG Root X1 as its issuer (name and key
 * identifier) but signed with another key: OpenSSL builds the path to
 * the built-in root, the signature fails, and the chain is refused,
 * every other root still unparsed.
 */
static void
test_trust_builtin_forged_child_of_a_root_is_refused(void **state)
{
	struct trust *t = load_builtin_brands(~0u);
	X509 *x1 = bundle_cert(row_named("ISRG Root X1")), *leaf;
	STACK_OF(X509) *certs = sk_X509_new_null();
	struct chain_facts c;
	char *err = NULL;

	(void)state;
	assert_non_null(x1);
	assert_non_null(certs);
	leaf = pki_issue(&(struct pki_spec){
		.cn = "pbx.example.test", .dns = { { "pbx.example.test", 0 } },
		.issuer = x1, .issuer_key = pki_key_rsa(2048),
		.akid = { X509_get0_subject_key_id(x1)->data,
		    (size_t)X509_get0_subject_key_id(x1)->length },
	});
	assert_non_null(leaf);
	assert_int_not_equal(sk_X509_push(certs, leaf), 0);
	assert_int_equal(chain_analyse(t, certs, NULL, &c, &err), 0);
	assert_int_equal(c.status, CHAIN_INVALID);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	assert_int_equal(parsed(t), 1);
	chain_free(&c);
	sk_X509_pop_free(certs, X509_free);
	trust_free(t);
}

static void
test_trust_free_null_is_a_no_op(void **state)
{
	(void)state;
	trust_free(NULL);
}

static void
test_trust_load_path_missing_path_fails_naming_it(void **state)
{
	char *path = scratch("does-not-exist.pem"), *err = NULL, *want;

	(void)state;
	assert_null(trust_load_path(path, &err));
	want = xasprintf("%s: No such file or directory", path);
	assert_string_equal(err, want);
	free(want);
	free(err);
	free(path);
}

static void
test_trust_load_path_unusable_files_fail_naming_the_path(void **state)
{
	static const struct {
		const char *name;
		const char *bytes;
	} cases[] = {
		{ "empty.pem", "" },
		{ "garbage.pem", "this is not a certificate\n\x01\x02" },
		{ "broken.pem", "-----BEGIN CERTIFICATE-----\nMIIBroken!!\n"
		    "-----END CERTIFICATE-----\n" },
		{ "key-only.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n"
		    "-----END PRIVATE KEY-----\n" },
	};
	char *path, *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path = scratch(cases[i].name);
		put(fx->tmp, cases[i].name, cases[i].bytes,
		    strlen(cases[i].bytes));
		err = NULL;
		assert_null(trust_load_path(path, &err));
		assert_names_path(err, path);
		free(err);
		free(path);
	}
}

static void
test_trust_load_path_pem_bundle_loads_every_certificate(void **state)
{
	char *path = scratch("bundle.pem"), *err = NULL;
	struct trust *t;
	size_t i;

	(void)state;
	for (i = 0; i < (size_t)sk_X509_num(fx->bundle); i++)
		put_cert(fx->tmp, "bundle.pem", sk_X509_value(fx->bundle,
		    (int)i), false, i > 0);
	t = trust_load_path(path, &err);
	assert_null(err);
	assert_non_null(t);
	assert_false(t->builtin);
	assert_int_equal(t->n, root_table_len);
	for (i = 0; i < t->n; i++)
		assert_null(t->roots[i].info);
	trust_free(t);
	free(path);
}

static void
test_trust_load_path_directory_loads_pem_and_der_once_each(void **state)
{
	static const char key[] = "-----BEGIN PRIVATE KEY-----\n"
	    "AAAA\n-----END PRIVATE KEY-----\n";
	X509 *x1 = bundle_cert(row_named("ISRG Root X1"));
	X509 *r3 = bundle_cert(row_named("GlobalSign Root CA - R3"));
	char *dir = scratch("dir"), *err = NULL;
	struct trust *t;

	(void)state;
	assert_non_null(x1);
	assert_non_null(r3);
	assert_int_equal(mkdir(dir, 0700), 0);
	put_cert(dir, "isrg.pem", x1, false, false);
	put_cert(dir, "r3.der", r3, true, false);
	/* The same root again, in DER under a .crt name: kept once. */
	put_cert(dir, "isrg-copy.crt", x1, true, false);
	/* A key beside the roots and files of other names are passed over. */
	put(dir, "ca-key.pem", key, sizeof(key) - 1);
	put(dir, "README", "roots\n", 6);
	put(dir, "serial.srl", "01\n", 3);

	t = trust_load_path(dir, &err);
	assert_null(err);
	assert_non_null(t);
	assert_int_equal(t->n, 2);
	assert_non_null(trust_find(t, x1));
	assert_non_null(trust_find(t, r3));
	assert_int_equal(sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)),
	    2);
	trust_free(t);
	free(dir);
}

static void
test_trust_load_path_directory_without_certificate_fails_naming_it(void **state)
{
	char *dir = scratch("nocerts"), *err = NULL;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	put(dir, "notes.txt", "none\n", 5);
	assert_null(trust_load_path(dir, &err));
	assert_names_path(err, dir);
	free(err);
	free(dir);
}

static void
test_trust_load_path_directory_with_broken_file_fails_naming_the_file(void **state)
{
	char *dir = scratch("broken"), *p, *err = NULL;

	(void)state;
	assert_int_equal(mkdir(dir, 0700), 0);
	put(dir, "bad.crt", "\x30\x82\x01\x00garbage", 11);
	p = xasprintf("%s/bad.crt", dir);
	assert_null(trust_load_path(dir, &err));
	assert_names_path(err, p);
	free(err);
	free(p);
	free(dir);
}

/*
 * path-valid holds the root reached to strict mode's rules, and the man
 * page names the built-in roots that break them: exactly Go Daddy and
 * Starfield Class 2 have no keyUsage.  A new root without one must be
 * named there too.
 */
static void
test_trust_builtin_roots_without_key_usage_are_the_two_class_2_roots(
    void **state)
{
	struct trust *t = load_builtin_brands(~0u);
	struct buf names = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < t->n; i++) {
		assert_true(trust_root(t, i)->facts.is_ca);
		if (!trust_root(t, i)->facts.has_ku)
			buf_addf(&names, "%s;", t->roots[i].info->name);
	}
	assert_string_equal(names.ptr, "Go Daddy Class 2 Certification "
	    "Authority;Starfield Class 2 Certification Authority;");
	buf_free(&names);
	trust_free(t);
}

/* brand_hint(): an organisation or a caIssuers host names a brand. */
static void
test_brand_hint_reads_the_organisation_then_the_aia_host(void **state)
{
	(void)state;
	assert_int_equal(brand_hint("DigiCert Inc", NULL), BRAND_DIGICERT);
	assert_int_equal(brand_hint("IdenTrust LLC.", NULL), BRAND_IDENTRUST);
	assert_int_equal(brand_hint("Let's Encrypt", NULL), BRAND_LETSENCRYPT);
	assert_int_equal(brand_hint("Sectigo Limited", NULL), BRAND_COMODO);
	assert_int_equal(brand_hint("GlobalSign nv-sa", NULL), BRAND_GLOBALSIGN);
	assert_int_equal(brand_hint("GoDaddy.com, Inc.", NULL), BRAND_GODADDY);
	assert_int_equal(brand_hint(NULL,
	    "http://cacerts.digicert.com/x.crt"), BRAND_DIGICERT);
	assert_int_equal(brand_hint("Reseller", "http://r11.i.lencr.org/"),
	    BRAND_LETSENCRYPT);
	assert_int_equal(brand_hint(NULL,
	    "http://certificates.starfieldtech.com:80/repository/sf.crt"),
	    BRAND_GODADDY);
	/* Amazon's Starfield Services root bears Starfield's name: no brand. */
	assert_int_equal(brand_hint("Starfield Technologies, Inc.", NULL), -1);
	assert_int_equal(brand_hint(NULL, "http://digicert.com.evil.test/x"),
	    -1);
	assert_int_equal(brand_hint(NULL, "http://notdigicert.com/x"), -1);
	assert_int_equal(brand_hint(NULL, "digicert.com"), -1);
	assert_int_equal(brand_hint(NULL, NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trust_load_builtin_default_or_no_policy_loads_every_row_in_order),
		cmocka_unit_test(test_trust_load_builtin_fewer_brands_gives_fewer_roots),
		cmocka_unit_test(test_trust_load_builtin_no_brand_gives_empty_store),
		cmocka_unit_test(test_roots_table_every_row_has_its_certificate_in_bundle),
		cmocka_unit_test(test_roots_table_rows_are_well_formed_with_unique_hashes),
		cmocka_unit_test(test_roots_table_names_are_the_certificates_cn_or_ou),
		cmocka_unit_test(test_roots_table_baltimore_is_digicert_with_removal_date_and_expired_cert),
		cmocka_unit_test(test_root_info_by_spki_finds_pinned_roots_only),
		cmocka_unit_test(test_root_info_by_name_matches_a_whole_cn_or_ou_value),
		cmocka_unit_test(test_root_removal_time_known_dates_give_utc_midnight),
		cmocka_unit_test(test_root_removal_time_malformed_dates_give_minus_one),
		cmocka_unit_test(test_trust_find_bundle_root_returns_its_row),
		cmocka_unit_test(test_roots_index_is_the_pem_bundle_byte_for_byte),
		cmocka_unit_test(test_trust_builtin_verification_parses_only_the_root_it_reaches),
		cmocka_unit_test(test_trust_builtin_unknown_name_parses_nothing),
		cmocka_unit_test(test_trust_named_finds_a_root_by_another_encoding_of_its_name),
		cmocka_unit_test(test_trust_builtin_forged_child_of_a_root_is_refused),
		cmocka_unit_test(test_trust_free_null_is_a_no_op),
		cmocka_unit_test(test_trust_load_path_missing_path_fails_naming_it),
		cmocka_unit_test(test_trust_load_path_unusable_files_fail_naming_the_path),
		cmocka_unit_test(test_trust_load_path_pem_bundle_loads_every_certificate),
		cmocka_unit_test(test_trust_load_path_directory_loads_pem_and_der_once_each),
		cmocka_unit_test(test_trust_load_path_directory_without_certificate_fails_naming_it),
		cmocka_unit_test(test_trust_load_path_directory_with_broken_file_fails_naming_the_file),
		cmocka_unit_test(test_trust_builtin_roots_without_key_usage_are_the_two_class_2_roots),
		cmocka_unit_test(test_brand_hint_reads_the_organisation_then_the_aia_host),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

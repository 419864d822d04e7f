/*
 * test_fastpaths.c - the shortcuts lint takes for speed give what the
 * long way gives: facts_copy() and facts_from_anchor() against
 * facts_from_x509(), the load cache against load_certs(), and
 * chain_analyse()'s once-per-pair signature bookkeeping when a bad
 * signature makes its first guess of the leaf wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/x509_vfy.h>

#include "judge.h"
#include "x509/facts_memo.h"
#include "x509/load.h"

#define FQDN "pbx.example.test"
#define AIA_URL "http://pki.example.test/issuing.der"

JUDGE_GROUP_FIXTURES

/* Every field of two facts structs, compared by value. */
static void
assert_facts_equal(const struct cert_facts *a, const struct cert_facts *b)
{
	size_t i;

	assert_string_equal(a->subject, b->subject);
	assert_string_equal(a->issuer, b->issuer);
	assert_int_equal(a->subject_cn.len, b->subject_cn.len);
	if (a->subject_cn.len > 0)
		assert_memory_equal(a->subject_cn.ptr, b->subject_cn.ptr,
		    a->subject_cn.len);
	assert_string_equal(a->serial_hex, b->serial_hex);
	assert_int_equal(a->not_before, b->not_before);
	assert_int_equal(a->not_after, b->not_after);
	assert_int_equal(a->times_valid, b->times_valid);
	assert_int_equal(a->key_type, b->key_type);
	assert_int_equal(a->key_bits, b->key_bits);
	if (a->key_curve != NULL || b->key_curve != NULL) {
		assert_non_null(a->key_curve);
		assert_non_null(b->key_curve);
		assert_string_equal(a->key_curve, b->key_curve);
	}
	assert_int_equal(a->sig_hash, b->sig_hash);
	assert_string_equal(a->sig_alg, b->sig_alg);
	assert_string_equal(a->sha256_hex, b->sha256_hex);
	assert_memory_equal(a->spki_sha256, b->spki_sha256, 32);
	assert_int_equal(a->n_san_dns, b->n_san_dns);
	for (i = 0; i < a->n_san_dns; i++) {
		assert_int_equal(a->san_dns[i].len, b->san_dns[i].len);
		assert_memory_equal(a->san_dns[i].ptr, b->san_dns[i].ptr,
		    a->san_dns[i].len);
	}
	assert_int_equal(a->n_san_other, b->n_san_other);
	assert_int_equal(a->san_invalid, b->san_invalid);
	assert_int_equal(a->ext_invalid, b->ext_invalid);
	assert_int_equal(a->self_issued, b->self_issued);
	assert_int_equal(a->self_signed, b->self_signed);
	assert_int_equal(a->has_bc, b->has_bc);
	assert_int_equal(a->is_ca, b->is_ca);
	assert_int_equal(a->has_ku, b->has_ku);
	assert_int_equal(a->ku, b->ku);
	assert_int_equal(a->has_eku, b->has_eku);
	assert_int_equal(a->eku_server, b->eku_server);
	assert_int_equal(a->eku_client, b->eku_client);
	assert_int_equal(a->eku_any, b->eku_any);
	if (a->aia_ca_issuers != NULL || b->aia_ca_issuers != NULL) {
		assert_non_null(a->aia_ca_issuers);
		assert_non_null(b->aia_ca_issuers);
		assert_string_equal(a->aia_ca_issuers, b->aia_ca_issuers);
	}
}

/* facts_copy */

static void
test_facts_copy_of_a_full_leaf_is_equal_and_owns_its_memory(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct cert_facts f, g;
	X509 *x;

	(void)state;
	spec.dns[1] = (struct pki_bytes)PKI_BYTES("b.example.test");
	spec.dns[2] = (struct pki_bytes)PKI_BYTES("nul\0.example.test");
	spec.ip[0] = "192.0.2.1";
	spec.aia_ca_issuers = AIA_URL;
	x = judge_issue(&spec);
	assert_int_equal(facts_from_x509(x, &f), 0);
	facts_copy(&g, &f);
	assert_facts_equal(&f, &g);
	assert_int_equal(g.n_san_dns, 3);
	assert_int_equal(g.n_san_other, 1);
	/* Nothing shared: each frees its own (ASan says if not). */
	assert_ptr_not_equal(f.subject, g.subject);
	assert_ptr_not_equal(f.san_dns, g.san_dns);
	assert_ptr_not_equal(f.san_dns[0].ptr, g.san_dns[0].ptr);
	assert_ptr_not_equal(f.aia_ca_issuers, g.aia_ca_issuers);
	facts_free(&f);
	assert_string_equal(g.aia_ca_issuers, AIA_URL);
	facts_free(&g);
	X509_free(x);
}

static void
test_facts_copy_of_an_ec_cert_without_names_is_equal(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct cert_facts f, g;
	X509 *x;

	(void)state;
	spec.key = pki_key_ec("P-256");
	spec.cn = NULL;
	spec.dns[0] = (struct pki_bytes){ NULL, 0 };
	x = judge_issue(&spec);
	assert_int_equal(facts_from_x509(x, &f), 0);
	facts_copy(&g, &f);
	assert_facts_equal(&f, &g);
	assert_null(g.san_dns);
	assert_null(g.subject_cn.ptr);
	assert_non_null(g.key_curve);
	facts_free(&f);
	facts_free(&g);
	X509_free(x);
}

/* facts_from_anchor */

static void
test_facts_from_anchor_of_a_root_equals_facts_from_x509(void **state)
{
	struct cert_facts f, g;

	(void)state;
	assert_int_equal(facts_from_x509(env.w.root, &f), 0);
	assert_int_equal(facts_from_anchor(env.w.root, &g), 0);
	assert_true(f.self_signed);
	assert_facts_equal(&f, &g);
	facts_free(&f);
	facts_free(&g);
}

static void
test_facts_from_anchor_of_an_intermediate_equals_facts_from_x509(void **state)
{
	struct cert_facts f, g;

	(void)state;
	assert_int_equal(facts_from_x509(env.w.intermediate, &f), 0);
	assert_int_equal(facts_from_anchor(env.w.intermediate, &g), 0);
	assert_false(g.self_signed);
	assert_facts_equal(&f, &g);
	facts_free(&f);
	facts_free(&g);
}

/* The load cache */

/* Write the certificates given (up to NULL) as one PEM file; a new path. */
static char *
write_pem(const char *name, X509 *first, ...)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	unsigned char *pem;
	size_t len;
	char *path;
	va_list ap;
	X509 *x;

	assert_non_null(sk);
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		assert_int_not_equal(sk_X509_push(sk, x), 0);
	va_end(ap);
	assert_non_null(pem = pki_pem(sk, &len));
	path = xasprintf("%s/%s", env.dir, name);
	assert_int_equal(pki_write(path, pem, len), 0);
	free(pem);
	sk_X509_free(sk);
	return path;
}

static STACK_OF(X509) *
load_cached(const char *path, struct load_cache *cache)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char *err = NULL;
	int rc;

	assert_non_null(sk);
	rc = load_certs_cached(path, NULL, cache, sk, NULL, NULL, &err);
	if (rc != 0)
		print_error("load_certs_cached: %s\n", err);
	free(err);
	assert_int_equal(rc, 0);
	return sk;
}

static void
test_load_cache_shares_an_intermediate_met_in_two_files(void **state)
{
	struct load_cache *cache = load_cache_new();
	X509 *l1 = pki_world_leaf(&env.w, FQDN), *l2;
	STACK_OF(X509) *a, *b;
	char *p1, *p2;

	(void)state;
	l2 = pki_world_leaf(&env.w, "b.example.test");
	p1 = write_pem("c1.pem", l1, env.w.intermediate, NULL);
	p2 = write_pem("c2.pem", l2, env.w.intermediate, NULL);
	a = load_cached(p1, cache);
	b = load_cached(p2, cache);
	assert_int_equal(sk_X509_num(a), 2);
	assert_int_equal(sk_X509_num(b), 2);
	/* The intermediate is one object, the leaves are not cached. */
	assert_ptr_equal(sk_X509_value(a, 1), sk_X509_value(b, 1));
	assert_int_equal(X509_cmp(sk_X509_value(a, 1), env.w.intermediate), 0);
	assert_int_equal(X509_cmp(sk_X509_value(a, 0), l1), 0);
	assert_int_equal(X509_cmp(sk_X509_value(b, 0), l2), 0);
	/* Each stack owns its reference: freeing one leaves the other whole. */
	sk_X509_pop_free(a, X509_free);
	assert_int_equal(X509_cmp(sk_X509_value(b, 1), env.w.intermediate), 0);
	sk_X509_pop_free(b, X509_free);
	load_cache_free(cache);
	X509_free(l1);
	X509_free(l2);
	free(p1);
	free(p2);
}

static void
test_load_cache_never_puts_one_object_twice_in_a_chain(void **state)
{
	struct load_cache *cache = load_cache_new();
	STACK_OF(X509) *a;
	char *p;

	(void)state;
	p = write_pem("twice.pem", env.w.intermediate, env.w.intermediate,
	    env.w.root, env.w.root, NULL);
	a = load_cached(p, cache);
	assert_int_equal(sk_X509_num(a), 4);
	assert_ptr_not_equal(sk_X509_value(a, 0), sk_X509_value(a, 1));
	assert_ptr_not_equal(sk_X509_value(a, 2), sk_X509_value(a, 3));
	sk_X509_pop_free(a, X509_free);
	/* Read again: still two objects each, one of them from the cache. */
	a = load_cached(p, cache);
	assert_int_equal(sk_X509_num(a), 4);
	assert_ptr_not_equal(sk_X509_value(a, 0), sk_X509_value(a, 1));
	assert_ptr_not_equal(sk_X509_value(a, 2), sk_X509_value(a, 3));
	sk_X509_pop_free(a, X509_free);
	load_cache_free(cache);
	free(p);
}

static void
test_load_cache_gives_the_same_chain_facts_as_load_certs(void **state)
{
	struct load_cache *cache = load_cache_new();
	X509 *l1 = pki_world_leaf(&env.w, FQDN);
	STACK_OF(X509) *plain, *cached;
	struct chain_facts c1, c2;
	char *p, *err = NULL;
	int round;
	size_t i;

	(void)state;
	p = write_pem("same.pem", l1, env.w.intermediate, env.w.root, NULL);
	for (round = 0; round < 2; round++) {
		assert_non_null(plain = sk_X509_new_null());
		assert_int_equal(load_certs(p, NULL, plain, NULL, NULL, &err), 0);
		cached = load_cached(p, cache);
		assert_int_equal(chain_analyse(env.trust, plain, NULL, &c1,
		    &err), 0);
		assert_int_equal(chain_analyse(env.trust, cached, NULL, &c2,
		    &err), 0);
		assert_int_equal(c1.n, c2.n);
		for (i = 0; i < c1.n; i++)
			assert_facts_equal(&c1.certs[i], &c2.certs[i]);
		assert_int_equal(c1.leaf, c2.leaf);
		assert_int_equal(c1.status, c2.status);
		assert_int_equal(c1.path_len, c2.path_len);
		assert_int_equal(c1.signed_by_next[0], c2.signed_by_next[0]);
		assert_int_equal(c1.signed_by_next[1], c2.signed_by_next[1]);
		chain_free(&c1);
		chain_free(&c2);
		sk_X509_pop_free(plain, X509_free);
		sk_X509_pop_free(cached, X509_free);
	}
	load_cache_free(cache);
	X509_free(l1);
	free(p);
}

static void
test_load_cache_free_null_is_a_no_op(void **state)
{
	(void)state;
	load_cache_free(NULL);
}

/* chain_analyse: each signature once */

static void
analyse(struct chain_facts *c, X509 *first, ...)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	char *err = NULL;
	va_list ap;
	X509 *x;
	int rc;

	assert_non_null(certs);
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *))
		assert_int_not_equal(sk_X509_push(certs, x), 0);
	va_end(ap);
	rc = chain_analyse(env.trust, certs, NULL, c, &err);
	if (rc != 0)
		print_error("chain_analyse: %s\n", err);
	free(err);
	assert_int_equal(rc, 0);
	sk_X509_free(certs);
}

static void
test_chain_verified_path_gives_signed_by_next_for_every_pair(void **state)
{
	X509 *l1 = pki_world_leaf(&env.w, FQDN);
	struct chain_facts c;

	(void)state;
	analyse(&c, l1, env.w.intermediate, env.w.root, NULL);
	assert_int_equal(c.status, CHAIN_VERIFIED);
	assert_int_equal(c.leaf, 0);
	assert_false(c.leaf_ambiguous);
	assert_true(c.signed_by_next[0]);
	assert_true(c.signed_by_next[1]);
	chain_free(&c);
	X509_free(l1);
}

static void
test_chain_bad_signature_under_matching_names_is_not_signed(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);
	struct chain_facts c;
	X509 *bad;

	(void)state;
	/* Issuer name and key identifier of the intermediate, wrong key. */
	spec.issuer_key = env.w.other_intermediate_key;
	bad = judge_issue(&spec);
	analyse(&c, bad, env.w.intermediate, NULL);
	assert_int_equal(c.leaf, 0);
	assert_true(c.leaf_ambiguous);
	assert_false(c.signed_by_next[0]);
	assert_int_equal(c.status, CHAIN_INVALID);
	assert_int_equal(c.verify_error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
	chain_free(&c);
	X509_free(bad);
}

/*
 * B (an end-entity cert without keyUsage, so it may "issue" by names)
 * first, then A, which names B as its issuer but is signed with another
 * key.  By names B issued A, so the first guess of the leaf is A; by
 * signatures neither signs the other and the leaf is the first
 * end-entity cert, B: the path must be built again, from B.
 */
static void
test_chain_bad_signature_moving_the_leaf_verifies_from_the_real_leaf(void **state)
{
	struct pki_spec bspec = pki_world_leaf_spec(&env.w, "b.example.test");
	struct pki_spec aspec = pki_world_leaf_spec(&env.w, FQDN);
	struct chain_facts c;
	X509 *b, *a;

	(void)state;
	bspec.ku = PKI_KU_ABSENT;
	bspec.key = pki_key_rsa_nth(2048, 7);
	bspec.issuer = env.w.other_intermediate;
	bspec.issuer_key = env.w.other_intermediate_key;
	b = judge_issue(&bspec);
	aspec.issuer = b;
	aspec.issuer_key = env.w.intermediate_key;	/* not b's key */
	a = judge_issue(&aspec);
	analyse(&c, b, a, NULL);
	assert_int_equal(c.leaf, 0);
	assert_true(c.leaf_ambiguous);
	assert_false(c.signed_by_next[0]);
	/* Verified from B: its issuer, Other Test Issuing CA, is missing. */
	assert_int_equal(c.status, CHAIN_ISSUER_MISSING);
	assert_int_equal(c.top, 0);
	assert_non_null(c.missing_issuer);
	assert_non_null(strstr(c.missing_issuer, "Other Test Issuing CA"));
	chain_free(&c);
	X509_free(a);
	X509_free(b);
}

/* facts_memo: a CA certificate met again gives the same facts, a copy. */

static void
test_facts_memo_gives_an_intermediate_met_again_the_same_facts(void **state)
{
	struct facts_memo *m = facts_memo_new();
	struct cert_facts first, again, fresh;

	(void)state;
	assert_int_equal(facts_memo_get(m, env.w.intermediate, &first), 0);
	assert_int_equal(facts_memo_hits(m), 0);
	assert_int_equal(facts_memo_get(m, env.w.intermediate, &again), 0);
	assert_int_equal(facts_memo_hits(m), 1);
	assert_int_equal(facts_from_x509(env.w.intermediate, &fresh), 0);
	assert_facts_equal(&again, &fresh);
	/* Each is the caller's own: freeing one leaves the others whole. */
	facts_free(&first);
	assert_facts_equal(&again, &fresh);
	facts_free(&again);
	facts_free(&fresh);
	facts_memo_free(m);
}

/* facts_memo_clear(): what was held is worked out again, then held again. */
static void
test_facts_memo_clear_forgets_what_it_held(void **state)
{
	struct facts_memo *m = facts_memo_new();
	X509 *ca = X509_dup(env.w.intermediate);
	struct cert_facts f;

	(void)state;
	assert_non_null(ca);
	assert_int_equal(facts_memo_get(m, ca, &f), 0);
	facts_free(&f);
	/* The memo's reference is dropped with the rest: LeakSanitizer. */
	X509_free(ca);
	facts_memo_clear(m);
	assert_int_equal(facts_memo_get(m, env.w.intermediate, &f), 0);
	facts_free(&f);
	assert_int_equal(facts_memo_hits(m), 0);
	facts_memo_clear(m);
	assert_int_equal(facts_memo_get(m, env.w.intermediate, &f), 0);
	facts_free(&f);
	assert_int_equal(facts_memo_hits(m), 0);
	assert_int_equal(facts_memo_get(m, env.w.intermediate, &f), 0);
	facts_free(&f);
	assert_int_equal(facts_memo_hits(m), 1);
	facts_memo_clear(NULL);
	facts_memo_free(m);
}

static void
test_facts_memo_keeps_no_leaf(void **state)
{
	struct facts_memo *m = facts_memo_new();
	X509 *leaf = pki_world_leaf(&env.w, FQDN);
	struct cert_facts f;

	(void)state;
	assert_non_null(leaf);
	assert_int_equal(facts_memo_get(m, leaf, &f), 0);
	facts_free(&f);
	assert_int_equal(facts_memo_get(m, leaf, &f), 0);
	facts_free(&f);
	assert_int_equal(facts_memo_hits(m), 0);
	X509_free(leaf);
	facts_memo_free(m);
}

/* More CA certificates than slots: the oldest go, the facts stay right. */
static void
test_facts_memo_full_replaces_the_oldest(void **state)
{
	struct facts_memo *m = facts_memo_new();
	X509 *ca[FACTS_MEMO_SLOTS + 1];
	struct cert_facts f, fresh;
	char cn[32];
	size_t i;

	(void)state;
	for (i = 0; i <= FACTS_MEMO_SLOTS; i++) {
		snprintf(cn, sizeof(cn), "Memo Test CA %zu", i);
		ca[i] = pki_issue(&(struct pki_spec){ .cn = cn, .ca = true,
		    .key = env.w.root_key });
		assert_non_null(ca[i]);
		assert_int_equal(facts_memo_get(m, ca[i], &f), 0);
		facts_free(&f);
	}
	/* The last 16 are kept; the first was replaced. */
	assert_int_equal(facts_memo_get(m, ca[FACTS_MEMO_SLOTS], &f), 0);
	assert_int_equal(facts_memo_hits(m), 1);
	facts_free(&f);
	assert_int_equal(facts_memo_get(m, ca[0], &f), 0);
	assert_int_equal(facts_memo_hits(m), 1);
	assert_int_equal(facts_from_x509(ca[0], &fresh), 0);
	assert_facts_equal(&f, &fresh);
	facts_free(&f);
	facts_free(&fresh);
	/* The memo holds its own references: the callers' may go first. */
	for (i = 0; i <= FACTS_MEMO_SLOTS; i++)
		X509_free(ca[i]);
	facts_memo_free(m);
	facts_memo_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts_copy_of_a_full_leaf_is_equal_and_owns_its_memory),
		cmocka_unit_test(test_facts_copy_of_an_ec_cert_without_names_is_equal),
		cmocka_unit_test(test_facts_from_anchor_of_a_root_equals_facts_from_x509),
		cmocka_unit_test(test_facts_from_anchor_of_an_intermediate_equals_facts_from_x509),
		cmocka_unit_test(test_load_cache_shares_an_intermediate_met_in_two_files),
		cmocka_unit_test(test_load_cache_never_puts_one_object_twice_in_a_chain),
		cmocka_unit_test(test_load_cache_gives_the_same_chain_facts_as_load_certs),
		cmocka_unit_test(test_load_cache_free_null_is_a_no_op),
		cmocka_unit_test(test_facts_memo_gives_an_intermediate_met_again_the_same_facts),
		cmocka_unit_test(test_facts_memo_keeps_no_leaf),
		cmocka_unit_test(test_facts_memo_clear_forgets_what_it_held),
		cmocka_unit_test(test_facts_memo_full_replaces_the_oldest),
		cmocka_unit_test(test_chain_verified_path_gives_signed_by_next_for_every_pair),
		cmocka_unit_test(test_chain_bad_signature_under_matching_names_is_not_signed),
		cmocka_unit_test(test_chain_bad_signature_moving_the_leaf_verifies_from_the_real_leaf),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

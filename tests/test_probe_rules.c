/*
 * test_probe_rules.c - the probe rules read probe facts and the policy
 * only: build the facts by hand and check each verdict.  No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/engine.h"
#include "rules/rules.h"

struct fixture {
	struct policy pol;
	struct probe_facts pf;
	struct check_input in;
	struct verdict v;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	policy_default(&f->pol);
	probe_facts_init(&f->pf);
	f->pf.handshake_tried = true;
	f->in.policy = &f->pol;
	f->in.probe = &f->pf;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	probe_facts_free(&f->pf);
	free(f->v.message);
	free(f);
	return 0;
}

static void
set_suite(struct fixture *f, enum suite s, enum suite_state st,
    const char *reason)
{
	f->pf.suites[s].state = st;
	f->pf.suites[s].reason = reason != NULL ? xstrdup(reason) : NULL;
	f->pf.suites[s].ms = 1.5;
}

/*
 * The status of rule id when the engine judges a probed host with the
 * fixture's facts: the engine, not the check, skips a rule whose input
 * is missing.
 */
static enum status
judged(struct fixture *f, const char *id)
{
	struct judge_ctx jc = { .policy = &f->pol, .sip = true };
	struct subject s;
	enum status st = STATUS__MAX;
	size_t i;

	subject_init(&s, SUBJECT_HOST, "pbx.example.test");
	probe_facts_free(&s.probe);
	s.probe = f->pf;
	rules_judge(&jc, &s);
	for (i = 0; i < s.n_findings; i++)
		if (strcmp(s.findings[i].rule->id, id) == 0)
			st = s.findings[i].status;
	probe_facts_init(&s.probe);	/* the fixture's, freed in teardown */
	subject_free(&s);
	return st;
}

static void
run(struct fixture *f, check_fn fn)
{
	free(f->v.message);
	memset(&f->v, 0, sizeof(f->v));
	fn(&f->in, &f->v);
}

static void
test_check_tls12_completed_passes_and_names_the_suite(void **state)
{
	struct fixture *f = *state;

	f->pf.tls12 = true;
	f->pf.tls12_cipher = xstrdup("AES256-SHA256");
	run(f, check_tls12);
	assert_int_equal(f->v.status, STATUS_PASS);
	assert_non_null(strstr(f->v.message, "AES256-SHA256"));
}

static void
test_check_tls12_refused_fails_with_the_reason(void **state)
{
	struct fixture *f = *state;

	f->pf.tls12_error = xstrdup("the server refuses TLS 1.2 (alert "
	    "protocol version) but completes a TLSv1.3 handshake");
	run(f, check_tls12);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "TLSv1.3"));
}

static void
test_check_tls12_without_address_is_skipped(void **state)
{
	struct fixture *f = *state;

	f->pf.handshake_tried = false;
	assert_int_equal(judged(f, "tls12"), STATUS_SKIP);
}

static void
test_check_cipher_allowed_one_accepted_passes(void **state)
{
	struct fixture *f = *state;

	set_suite(f, SUITE_AES128_SHA, SUITE_REJECTED, "alert handshake failure");
	set_suite(f, SUITE_AES128_SHA256, SUITE_ACCEPTED, NULL);
	set_suite(f, SUITE_AES256_SHA256, SUITE_REJECTED, "alert handshake failure");
	run(f, check_cipher_allowed);
	assert_int_equal(f->v.status, STATUS_PASS);
	assert_string_equal(f->v.message, "accepted: AES128-SHA256; rejected: "
	    "AES128-SHA (alert handshake failure), AES256-SHA256 (alert "
	    "handshake failure)");
}

static void
test_check_cipher_allowed_none_accepted_fails(void **state)
{
	struct fixture *f = *state;

	set_suite(f, SUITE_AES128_SHA, SUITE_REJECTED, "alert handshake failure");
	set_suite(f, SUITE_AES128_SHA256, SUITE_REJECTED, "alert handshake failure");
	set_suite(f, SUITE_AES256_SHA256, SUITE_REJECTED, "alert handshake failure");
	f->pf.tls12_cipher = xstrdup("ECDHE-RSA-AES128-GCM-SHA256");
	run(f, check_cipher_allowed);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "the server chose "
	    "ECDHE-RSA-AES128-GCM-SHA256"));
}

static void
test_check_cipher_allowed_ignores_suites_the_policy_drops(void **state)
{
	struct fixture *f = *state;

	f->pol.suites = 1u << SUITE_AES256_SHA256;
	set_suite(f, SUITE_AES128_SHA, SUITE_ACCEPTED, NULL);
	set_suite(f, SUITE_AES256_SHA256, SUITE_REJECTED, "alert handshake failure");
	run(f, check_cipher_allowed);
	assert_int_equal(f->v.status, STATUS_FAIL);
}

static void
test_check_cipher_default_rejected_fails(void **state)
{
	struct fixture *f = *state;

	set_suite(f, SUITE_AES128_SHA, SUITE_REJECTED, "alert handshake failure");
	run(f, check_cipher_default);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_string_equal(f->v.message, "AES128-SHA rejected: alert handshake "
	    "failure");
}

static void
test_check_cipher_default_without_default_is_skipped(void **state)
{
	struct fixture *f = *state;

	f->pol.default_suite = -1;
	run(f, check_cipher_default);
	assert_int_equal(f->v.status, STATUS_SKIP);
}

static void
test_check_sni_independent_follows_sni_same(void **state)
{
	struct fixture *f = *state;

	f->pf.sni_sent = true;
	f->pf.sni_same = 0;
	f->pf.sni_detail = xstrdup("without SNI the server presents another "
	    "certificate: CN=other.example.test");
	run(f, check_sni_independent);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "CN=other.example.test"));
	f->pf.sni_same = 1;
	run(f, check_sni_independent);
	assert_int_equal(f->v.status, STATUS_PASS);
	f->pf.sni_same = -1;
	run(f, check_sni_independent);
	assert_int_equal(f->v.status, STATUS_SKIP);
}

static void
test_check_dns_a_record_aaaa_only_is_named(void **state)
{
	struct fixture *f = *state;

	f->pf.dns_a_count = 0;
	f->pf.dns_aaaa_count = 2;
	run(f, check_dns_a_record);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "only AAAA (2)"));
	f->pf.dns_a_count = 3;
	run(f, check_dns_a_record);
	assert_int_equal(f->v.status, STATUS_PASS);
	f->pf.dns_a_count = -1;
	assert_int_equal(judged(f, "dns-a-record"), STATUS_SKIP);
}

static void
test_check_sip_options_answer_passes_silence_fails(void **state)
{
	struct fixture *f = *state;

	f->pf.sip_code = 200;
	f->pf.sip_status_line = xstrdup("SIP/2.0 200 OK");
	run(f, check_sip_options);
	assert_int_equal(f->v.status, STATUS_PASS);
	assert_string_equal(f->v.message, "OPTIONS answered: SIP/2.0 200 OK");
	f->pf.sip_code = 0;
	f->pf.sip_error = xstrdup("no answer to OPTIONS within the 10 s timeout");
	run(f, check_sip_options);
	assert_int_equal(f->v.status, STATUS_FAIL);
	f->pf.sip_code = -1;
	run(f, check_sip_options);
	assert_int_equal(f->v.status, STATUS_SKIP);
}

/* The inventory of a server that enables only what the carrier needs. */
static void
inventory_only_tls12(struct fixture *f)
{
	f->pf.tls12 = true;
	f->pf.inv_tried = true;
	f->pf.inv_version[TLSO_10] = 0;
	f->pf.inv_version[TLSO_11] = 0;
	f->pf.inv_version[TLSO_13] = 0;
	f->pf.inv_suites_complete = true;
	f->pf.ocsp_stapled = 0;
}

static void
add_other_suite(struct fixture *f, const char *name)
{
	f->pf.inv_suites = xreallocarray(f->pf.inv_suites,
	    f->pf.n_inv_suites + 1, sizeof(*f->pf.inv_suites));
	f->pf.inv_suites[f->pf.n_inv_suites++] = xstrdup(name);
}

/* The result of a probed subject judged with the fixture's facts. */
static enum result
judged_result(struct fixture *f)
{
	struct judge_ctx jc = { .policy = &f->pol };
	struct subject s;
	enum result r;

	subject_init(&s, SUBJECT_HOST, "pbx.example.test");
	probe_facts_free(&s.probe);
	s.probe = f->pf;
	s.probe.tls12 = true;
	s.probe.suites[SUITE_AES128_SHA].state = SUITE_ACCEPTED;
	rules_judge(&jc, &s);
	r = s.result;
	s.probe.suites[SUITE_AES128_SHA].state = SUITE_NOT_TRIED;
	probe_facts_init(&s.probe);	/* the fixture's, freed in teardown */
	subject_free(&s);
	return r;
}

static void
test_check_tls_inventory_only_tls12_and_the_suites_passes(void **state)
{
	struct fixture *f = *state;

	inventory_only_tls12(f);
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_PASS);
	assert_non_null(strstr(f->v.message, "TLS 1.0 refused, TLS 1.1 refused, "
	    "TLS 1.3 refused"));
	assert_non_null(strstr(f->v.message, "other TLS 1.2 suites: none"));
	assert_non_null(strstr(f->v.message, "OCSP stapling: no"));
}

static void
test_check_tls_inventory_tls13_and_stapling_are_listed_and_pass(void **state)
{
	struct fixture *f = *state;

	inventory_only_tls12(f);
	f->pf.inv_version[TLSO_13] = 1;
	f->pf.ocsp_stapled = 1;
	f->pf.ocsp_status = "successful";
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_PASS);
	assert_non_null(strstr(f->v.message, "TLS 1.3 enabled"));
	assert_non_null(strstr(f->v.message, "OCSP stapling: yes (successful)"));
}

static void
test_check_tls_inventory_tls10_enabled_fails_as_a_notice(void **state)
{
	struct fixture *f = *state;

	inventory_only_tls12(f);
	f->pf.inv_version[TLSO_10] = 1;
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "TLS 1.0 enabled"));
	assert_int_equal(rule_find("tls-inventory")->severity, SEV_NOTICE);
	/* A notice: the subject stays compliant. */
	assert_int_equal(judged(f, "tls-inventory"), STATUS_FAIL);
	assert_int_equal(judged_result(f), RESULT_PASS);
}

static void
test_check_tls_inventory_other_suites_are_named(void **state)
{
	struct fixture *f = *state;

	inventory_only_tls12(f);
	add_other_suite(f, "ECDHE-RSA-AES128-GCM-SHA256");
	add_other_suite(f, "DES-CBC3-SHA");
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "other TLS 1.2 suites: "
	    "ECDHE-RSA-AES128-GCM-SHA256, DES-CBC3-SHA;"));
	f->pf.inv_suites_complete = false;
	run(f, check_tls_inventory);
	assert_non_null(strstr(f->v.message, "(and maybe more)"));
}

static void
test_check_tls_inventory_not_determined_never_passes(void **state)
{
	struct fixture *f = *state;

	inventory_only_tls12(f);
	f->pf.inv_version[TLSO_11] = -1;
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "TLS 1.1 not determined"));
	inventory_only_tls12(f);
	f->pf.inv_suites_complete = false;
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_FAIL);
	assert_non_null(strstr(f->v.message, "suites: not determined"));
}

static void
test_check_tls_inventory_not_taken_is_skipped(void **state)
{
	struct fixture *f = *state;

	f->pf.inv_tried = false;
	run(f, check_tls_inventory);
	assert_int_equal(f->v.status, STATUS_SKIP);
	f->pf.handshake_tried = false;
	assert_int_equal(judged(f, "tls-inventory"), STATUS_SKIP);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_check_tls12_completed_passes_and_names_the_suite),
		T(test_check_tls12_refused_fails_with_the_reason),
		T(test_check_tls12_without_address_is_skipped),
		T(test_check_cipher_allowed_one_accepted_passes),
		T(test_check_cipher_allowed_none_accepted_fails),
		T(test_check_cipher_allowed_ignores_suites_the_policy_drops),
		T(test_check_cipher_default_rejected_fails),
		T(test_check_cipher_default_without_default_is_skipped),
		T(test_check_sni_independent_follows_sni_same),
		T(test_check_dns_a_record_aaaa_only_is_named),
		T(test_check_sip_options_answer_passes_silence_fails),
		T(test_check_tls_inventory_only_tls12_and_the_suites_passes),
		T(test_check_tls_inventory_tls13_and_stapling_are_listed_and_pass),
		T(test_check_tls_inventory_tls10_enabled_fails_as_a_notice),
		T(test_check_tls_inventory_other_suites_are_named),
		T(test_check_tls_inventory_not_determined_never_passes),
		T(test_check_tls_inventory_not_taken_is_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

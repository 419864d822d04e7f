/*
 * judge.h - run certificates through the real lint pipeline and assert
 * on one rule's finding.  Shared by the tests/test_rules_*.c binaries.
 *
 * The pipeline is the one bwcertcheck lint runs: a trust store loaded
 * with trust_load_path() from a PEM file of the test root, then
 * chain_analyse(), then run_judge() with a struct run.  A test reads
 * as
 *
 *	judge(&run, "pbx.example.test", NULL, &s, leaf, env.w.intermediate, NULL);
 *	assert_finding(&s, "rsa-key", STATUS_PASS, "every key in the path is RSA");
 *	subject_free(&s);
 *
 * Include it after <cmocka.h>.  Every function is static and may be
 * unused in a given binary.
 */
#ifndef BWC_TESTS_JUDGE_H
#define BWC_TESTS_JUDGE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x509/chain.h"
#include "rules/engine.h"
#include "x509/trust.h"
#include "app/run.h"
#include "core/subject.h"
#include "rules/rules.h"
#include "pki.h"

#define JUDGE_FN static __attribute__((unused))

/*
 * The group fixtures most test binaries share: one struct judge_env
 * called env for the whole binary, built by group_setup() and released
 * by group_teardown().
 */
#define JUDGE_GROUP_FIXTURES						\
	static struct judge_env env;					\
	static int group_setup(void **state)				\
	{ (void)state; return judge_env_init(&env); }			\
	static int group_teardown(void **state)				\
	{ (void)state; judge_env_free(&env); return 0; }

/* pki_issue(), asserting that it worked. */
JUDGE_FN X509 *
judge_issue(const struct pki_spec *spec)
{
	X509 *x = pki_issue(spec);

	assert_non_null(x);
	return x;
}

/* What every rules test builds once, in its group setup. */
struct judge_env {
	struct pki_world w;	/* owned: the two test hierarchies */
	char *dir;		/* owned: a scratch directory */
	struct trust *trust;	/* owned: trusts w.root only */
};

/*
 * A trust store holding exactly root, loaded the way --trust-store
 * loads it: root is written as PEM to dir/file and read back with
 * trust_load_path().  Returns the store (free with trust_free()) or NULL.
 */
JUDGE_FN struct trust *
judge_trust(const char *dir, const char *file, X509 *root)
{
	struct trust *t;
	char *path, *err = NULL;

	path = xasprintf("%s/%s", dir, file);
	if (pki_write_pem(path, root, NULL) == -1) {
		free(path);
		return NULL;
	}
	if ((t = trust_load_path(path, &err)) == NULL) {
		fprintf(stderr, "judge: %s\n", err);
		free(err);
	}
	free(path);
	return t;
}

JUDGE_FN int
judge_env_init(struct judge_env *e)
{
	memset(e, 0, sizeof(*e));
	if (pki_world_init(&e->w) == -1)
		return -1;
	if ((e->dir = pki_tmpdir()) == NULL)
		return -1;
	if ((e->trust = judge_trust(e->dir, "root.pem", e->w.root)) == NULL)
		return -1;
	return 0;
}

/* Free what e owns and the key cache (call from the group teardown). */
JUDGE_FN void
judge_env_free(struct judge_env *e)
{
	trust_free(e->trust);
	if (e->dir != NULL)
		(void)pki_tmpdir_remove(e->dir);
	free(e->dir);
	pki_world_free(&e->w);
	pki_key_free_all();
	memset(e, 0, sizeof(*e));
}

/*
 * A run with the built-in policy judging now, against trust (borrowed:
 * release the run with judge_run_done(), never run_free()).
 */
JUDGE_FN void
judge_run_init(struct run *run, struct trust *trust)
{
	run_init(run);
	run->trust = trust;
}

JUDGE_FN void
judge_run_done(struct run *run)
{
	run->trust = NULL;
	run_free(run);
}

/* Mark the rule with this ID disabled, as --disable does. */
JUDGE_FN void
judge_disable(struct run *run, const char *id)
{
	int i = rule_index(id);

	assert_in_range(i, 0, RULES_MAX - 1);
	run->disabled[i] = true;
}

/*
 * Judge certs (borrowed) as one chain read from a file: chain_analyse()
 * against run->trust with key (borrowed, may be NULL), then
 * run_judge() with fqdn (may be NULL).  *s is initialised here;
 * the caller frees it with subject_free().
 */
JUDGE_FN void
judge_stack(const struct run *run, const char *fqdn, EVP_PKEY *key,
    struct subject *s, STACK_OF(X509) *certs)
{
	char *err = NULL;
	int rc;

	subject_init(s, SUBJECT_FILE, "chain.pem");
	if (fqdn != NULL)
		s->fqdn = xstrdup(fqdn);
	rc = chain_analyse(run->trust, certs, key, &s->chain, &err);
	if (rc != 0)
		print_error("chain_analyse: %s\n", err ? err : "(no message)");
	free(err);
	assert_int_equal(rc, 0);
	s->has_chain = true;
	run_judge(run, s);
}

/* The same with the certificates given in order, up to a NULL. */
JUDGE_FN void
judge(const struct run *run, const char *fqdn, EVP_PKEY *key,
    struct subject *s, X509 *first, ...)
{
	STACK_OF(X509) *certs;
	va_list ap;
	X509 *x;

	certs = sk_X509_new_null();
	assert_non_null(certs);
	va_start(ap, first);
	for (x = first; x != NULL; x = va_arg(ap, X509 *)) {
		assert_int_equal(X509_up_ref(x), 1);
		assert_int_not_equal(sk_X509_push(certs, x), 0);
	}
	va_end(ap);
	judge_stack(run, fqdn, key, s, certs);
	sk_X509_pop_free(certs, X509_free);
}

/* The finding of rule id in s, or NULL.  Borrowed from s. */
JUDGE_FN const struct finding *
judge_finding(const struct subject *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n_findings; i++)
		if (strcmp(s->findings[i].rule->id, id) == 0)
			return &s->findings[i];
	return NULL;
}

/* Fail, showing both strings, unless needle occurs in haystack. */
#define assert_contains(haystack, needle) \
	judge_assert_contains((haystack), (needle), __FILE__, __LINE__)

JUDGE_FN void
judge_assert_contains(const char *haystack, const char *needle,
    const char *file, int line)
{
	if (haystack != NULL && needle != NULL &&
	    strstr(haystack, needle) != NULL)
		return;
	print_error("\"%s\"\n    does not contain\n\"%s\"\n",
	    haystack ? haystack : "(null)", needle ? needle : "(null)");
	_fail(file, line);
}

/* Fail, showing both strings, if needle occurs in haystack. */
#define assert_not_contains(haystack, needle) \
	judge_assert_not_contains((haystack), (needle), __FILE__, __LINE__)

JUDGE_FN void
judge_assert_not_contains(const char *haystack, const char *needle,
    const char *file, int line)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		return;
	print_error("\"%s\"\n    contains\n\"%s\"\n", haystack, needle);
	_fail(file, line);
}

/*
 * Fail unless s has a finding for rule id with status st whose message
 * contains needle (NULL: any message).  On failure the rule, both
 * statuses and the whole message are shown.
 */
#define assert_finding(s, id, st, needle) \
	judge_assert_finding((s), (id), (st), (needle), __FILE__, __LINE__)

JUDGE_FN void
judge_assert_finding(const struct subject *s, const char *id,
    enum status st, const char *needle, const char *file, int line)
{
	const struct finding *f = judge_finding(s, id);

	if (f == NULL) {
		print_error("no finding for rule %s (%zu findings)\n", id,
		    s->n_findings);
		_fail(file, line);
		return;
	}
	if (f->status != st) {
		print_error("rule %s: status %s, expected %s; message: \"%s\"\n",
		    id, status_name(f->status), status_name(st), f->message);
		_fail(file, line);
		return;
	}
	if (needle != NULL && strstr(f->message, needle) == NULL) {
		print_error("rule %s (%s): message\n\"%s\"\n    does not "
		    "contain\n\"%s\"\n", id, status_name(st), f->message, needle);
		_fail(file, line);
	}
}

/* Fail unless the subject's result is want; show every failed finding. */
#define assert_result(s, want) \
	judge_assert_result((s), (want), __FILE__, __LINE__)

JUDGE_FN void
judge_assert_result(const struct subject *s, enum result want,
    const char *file, int line)
{
	size_t i;

	if (s->result == want)
		return;
	print_error("result %s, expected %s\n", result_name(s->result),
	    result_name(want));
	for (i = 0; i < s->n_findings; i++)
		if (s->findings[i].status == STATUS_FAIL)
			print_error("  %s failed: %s\n", s->findings[i].rule->id,
			    s->findings[i].message);
	_fail(file, line);
}

#endif

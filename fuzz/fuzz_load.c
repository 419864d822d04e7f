/*
 * fuzz_load.c - the input loader over every format, and the lint path
 * behind it.
 *
 * The input is a file's bytes.  load_certs_mem() finds the format from
 * the content (PEM, DER, PKCS#7, PKCS#12 with the test PKI's password);
 * what it accepts goes on as lint takes it: chain_analyse() against a
 * trust store, run_judge() with an FQDN, and a report format (one an
 * input, by its size), checked by its oracle (fuzz.h).  fuzz_load_parse
 * fuzzes the loader alone, much faster.
 *
 * The same bytes, as a file, go to load_key() (--key: PEM, DER, PKCS#8,
 * PKCS#12), with the same password: one input in four, by its size, as
 * the key decoders cost more than the rest of an input.
 *
 * Invariants: success appends at least one certificate and sets no
 * error; failure returns -1 with one error that names the input; the
 * OpenSSL error queue is left empty; load_key() returns a key or sets
 * an error, never both; nothing leaks (LeakSanitizer).
 *
 * BWC_FUZZ_TRUST names a PEM file of roots (fuzz.mk passes the test
 * PKI's root, so seeds from it verify); without it the built-in
 * accepted roots are used.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "x509/chain.h"
#include "app/run.h"
#include "x509/load.h"
#include "x509/trust.h"
#include "fuzz.h"

#define NAME "fuzz.pem"

static struct run run;
static int key_fd = -1;
static char key_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("BWC_FUZZ_TRUST");
	char *err = NULL;

	(void)argc;
	(void)argv;
	run_init(&run);
	run.now = 1795000000;	/* 2026-11-18: a fixed instant, reproducible */
	run.fqdn = xstrdup("pbx.example.test");
	run.trust = path != NULL ? trust_load_path(path, &err) :
	    trust_load_builtin(&run.policy, &err);
	if (run.trust == NULL) {
		fprintf(stderr, "fuzz_load: trust store: %s\n", err);
		exit(1);
	}
	if ((key_fd = memfd_create("key", 0)) == -1) {
		perror("fuzz_load: memfd_create");
		exit(1);
	}
	snprintf(key_path, sizeof(key_path), "/proc/self/fd/%d", key_fd);
	fuzz_oracle_selftest();
	fuzz_json_arena_init();
	return 0;
}

/* load_key() on the same bytes, as --key would read them from a file. */
static void
fuzz_key(const uint8_t *data, size_t size)
{
	EVP_PKEY *key;
	char *err = NULL;

	if (ftruncate(key_fd, 0) != 0 ||
	    pwrite(key_fd, data, size, 0) != (ssize_t)size)
		return;
	key = load_key(key_path, "test-pass", &err);
	if ((key == NULL) == (err == NULL)) {
		fprintf(stderr, "load_key: key %p, err %s\n", (void *)key,
		    err ? err : "(none)");
		abort();
	}
	EVP_PKEY_free(key);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *certs;
	EVP_PKEY *key = NULL;
	enum load_format fmt = LOAD__MAX;
	struct subject s;
	char *err = NULL;
	int rc;

	if ((certs = sk_X509_new_null()) == NULL)
		fatal_oom();
	rc = load_certs_mem(NAME, data, size, "test-pass", certs, &key, &fmt,
	    &err);
	if (rc == 0) {
		if (err != NULL || sk_X509_num(certs) == 0 || fmt >= LOAD__MAX) {
			fprintf(stderr, "load succeeded with err=%s, %d certs, "
			    "format %d\n", err ? err : "(none)",
			    sk_X509_num(certs), (int)fmt);
			abort();
		}
	} else if (rc != -1 || err == NULL ||
	    strncmp(err, NAME ": ", strlen(NAME) + 2) != 0) {
		fprintf(stderr, "load failed with rc=%d err=%s\n", rc,
		    err ? err : "(none)");
		abort();
	}
	if (ERR_peek_error() != 0) {
		fprintf(stderr, "load left OpenSSL's error queue non-empty\n");
		abort();
	}

	subject_init(&s, SUBJECT_FILE, NAME);
	s.fqdn = xstrdup(run.fqdn);
	if (rc != 0)
		subject_set_error(&s, "%s", err);
	else {
		free(err);
		err = NULL;
		if (chain_analyse(run.trust, certs, key, &s.chain, &err) != 0) {
			subject_set_error(&s, "%s: %s", NAME, err);
		} else {
			s.has_chain = true;
			if (s.chain.leaf >= s.chain.n ||
			    s.chain.path_len > s.chain.n) {
				fprintf(stderr, "chain facts out of range\n");
				abort();
			}
		}
	}
	run_judge(&run, &s);
	/* One format an input, chosen by its size: all of them over a run. */
	fuzz_render_one(&run, REPORT_LINT, &s, NULL, 1, false, size);
	subject_free(&s);
	free(err);
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);
	/*
	 * OpenSSL 3's key decoders cost more than all the rest of an
	 * input: one input in 4 (by its size, sizes that go to every
	 * format: size % 8 chose the format) goes to load_key() as well.
	 */
	if ((size >> 3) % 4 == 0)
		fuzz_key(data, size);
	/*
	 * The store's caches hold the CA certificates of this input; no
	 * later input meets the same objects, and memory kept past an
	 * input costs a leak scan every time (libFuzzer -detect_leaks).
	 */
	trust_forget(run.trust);
	fuzz_json_arena_end();
	ERR_clear_error();
	return 0;
}

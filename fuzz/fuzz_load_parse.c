/*
 * fuzz_load_parse.c - the loader alone, as fast as it goes: the surface
 * every hostile file meets first.
 *
 * The input is a file's bytes.  load_certs_mem() finds the format from
 * the content (PEM, DER, PKCS#7, PKCS#12 with the test PKI's password),
 * and load_key() reads the same bytes as a --key file.  Nothing after
 * the parse: no chain analysis, no rules, no reports (fuzz_load does
 * those, a hundred times slower).  Under the fuzzer the key derivation
 * a file may ask for is capped low (load_int.h).
 *
 * Invariants: success appends at least one certificate and sets no
 * error; failure returns -1 with one error that names the input; the
 * OpenSSL error queue is left empty; load_key() returns a key or sets
 * an error, never both; nothing leaks (LeakSanitizer).
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

#include "x509/load.h"

#define NAME "fuzz.pem"

static int key_fd = -1;
static char key_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((key_fd = memfd_create("key", 0)) == -1) {
		perror("fuzz_load_parse: memfd_create");
		exit(1);
	}
	snprintf(key_path, sizeof(key_path), "/proc/self/fd/%d", key_fd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *certs;
	EVP_PKEY *key = NULL, *k2;
	enum load_format fmt = LOAD__MAX;
	char *err = NULL;
	int rc;

	if ((certs = sk_X509_new_null()) == NULL)
		fatal_oom();
	rc = load_certs_mem(NAME, data, size, "test-pass", certs, &key, &fmt,
	    &err);
	if (rc == 0 && (err != NULL || sk_X509_num(certs) == 0 ||
	    fmt >= LOAD__MAX)) {
		fprintf(stderr, "load succeeded with err=%s, %d certs\n",
		    err ? err : "(none)", sk_X509_num(certs));
		abort();
	}
	if (rc != 0 && (rc != -1 || err == NULL ||
	    strncmp(err, NAME ": ", strlen(NAME) + 2) != 0)) {
		fprintf(stderr, "load failed with rc=%d err=%s\n", rc,
		    err ? err : "(none)");
		abort();
	}
	if (ERR_peek_error() != 0) {
		fprintf(stderr, "load left OpenSSL's error queue non-empty\n");
		abort();
	}
	free(err);
	err = NULL;
	EVP_PKEY_free(key);
	sk_X509_pop_free(certs, X509_free);

	/*
	 * OpenSSL 3's key decoders cost some 50 times a certificate parse
	 * (a decoder chain built per call): one input in 16 goes to
	 * load_key(), chosen by its size, so the rest of the loader gets the
	 * fuzzer's time.  fuzz_load reads every input as a key too.
	 */
	if (size % 16 == 0 && ftruncate(key_fd, 0) == 0 &&
	    pwrite(key_fd, data, size, 0) == (ssize_t)size) {
		k2 = load_key(key_path, "test-pass", &err);
		if ((k2 == NULL) == (err == NULL)) {
			fprintf(stderr, "load_key: key %p, err %s\n", (void *)k2,
			    err ? err : "(none)");
			abort();
		}
		EVP_PKEY_free(k2);
		free(err);
	}
	ERR_clear_error();
	return 0;
}

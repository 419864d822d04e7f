/*
 * common.h - types and helpers shared by every part of bwcertcheck.
 *
 * Nothing here touches OpenSSL: severities, statuses, results, the
 * (pointer, length) byte string used for untrusted names, and the
 * allocation helpers that treat out-of-memory as fatal.
 */
#ifndef BWC_COMMON_H
#define BWC_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* BWC_VERSION comes from the VERSION file, through the Makefile. */
#ifndef BWC_VERSION
#error "BWC_VERSION is not defined: build with make (it reads VERSION)"
#endif
#define BWC_SCHEMA 1

/* Exit status, the Nagios plugin convention (DESIGN.md). */
enum exit_code {
	EXIT_COMPLIANT = 0,
	EXIT_WARNINGS = 1,
	EXIT_NONCOMPLIANT = 2,
	EXIT_UNKNOWN = 3,
};

enum severity {
	SEV_NOTICE,
	SEV_WARNING,
	SEV_ERROR,
	SEV__MAX
};

enum status {
	STATUS_PASS,
	STATUS_FAIL,
	STATUS_SKIP,
	STATUS__MAX
};

/*
 * The verdict on a subject or a whole run.  Combined with result_worst():
 * fail, then error, then warn, then pass.
 */
enum result {
	RESULT_PASS,
	RESULT_WARN,
	RESULT_FAIL,
	RESULT_ERROR,
	RESULT__MAX
};

const char *severity_name(enum severity);
const char *status_name(enum status);
const char *result_name(enum result);
int result_exit_code(enum result);
/* The one of a and b that decides a run over both (fail > error > warn > pass). */
enum result result_worst(enum result, enum result);

/*
 * A byte string taken from a certificate or a server.  It may contain
 * NUL bytes or anything else: never treat ptr as a C string.
 * The owner of the enclosing struct owns ptr.
 */
struct bstr {
	unsigned char *ptr;
	size_t len;
};

/* Out of memory is fatal: these never return NULL. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...)
    __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *, va_list)
    __attribute__((format(printf, 1, 0)));
void fatal_oom(void) __attribute__((noreturn));

/*
 * s as a decimal number from min to max: digits with an optional
 * leading '-', nothing else (no spaces, no '+').  Returns 0 with *out
 * set, or -1.  The one integer parser of the options, the config file
 * and the targets file.
 */
int parse_long(const char *s, long min, long max, long *out);

/* in[0..n) as lower-case hex into out, which holds 2 * n + 1 bytes. */
void hex_encode(const unsigned char *in, size_t n, char *out);

/*
 * Run fn(arg) so that running out of memory inside it (fatal_oom(),
 * which every x*alloc helper calls) returns -1 instead of ending the
 * process; 0 when fn returned normally.  Whatever fn had allocated
 * before the failure is not freed, and fn must not hold a lock or be
 * inside a library's callback when it allocates with an x* helper.
 * Guards nest; each thread has its own.
 */
int oom_guard(void (*fn)(void *), void *arg);

/*
 * A growable string buffer.  buf_free() releases the bytes;
 * buf_steal() hands them to the caller (who frees them) and resets.
 */
struct buf {
	char *ptr;
	size_t len, cap;
};
void buf_add(struct buf *, const void *, size_t);
void buf_addc(struct buf *, char);
void buf_adds(struct buf *, const char *);
void buf_addf(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
char *buf_steal(struct buf *);
void buf_free(struct buf *);

#endif

/*
 * common.c - names of the shared enums, fatal allocation, string buffers.
 */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

const char *
severity_name(enum severity s)
{
	static const char *const names[SEV__MAX] = {
		[SEV_NOTICE] = "notice",
		[SEV_WARNING] = "warning",
		[SEV_ERROR] = "error",
	};

	return (unsigned)s < SEV__MAX ? names[s] : "?";
}

const char *
status_name(enum status s)
{
	static const char *const names[STATUS__MAX] = {
		[STATUS_PASS] = "pass",
		[STATUS_FAIL] = "fail",
		[STATUS_SKIP] = "skip",
	};

	return (unsigned)s < STATUS__MAX ? names[s] : "?";
}

const char *
result_name(enum result r)
{
	static const char *const names[RESULT__MAX] = {
		[RESULT_PASS] = "pass",
		[RESULT_WARN] = "warn",
		[RESULT_FAIL] = "fail",
		[RESULT_ERROR] = "error",
	};

	return (unsigned)r < RESULT__MAX ? names[r] : "?";
}

int
result_exit_code(enum result r)
{
	switch (r) {
	case RESULT_PASS:
		return EXIT_COMPLIANT;
	case RESULT_WARN:
		return EXIT_WARNINGS;
	case RESULT_FAIL:
		return EXIT_NONCOMPLIANT;
	default:
		return EXIT_UNKNOWN;
	}
}

/*
 * The rank of a result when several are combined: a known failure
 * outranks an input that could not be evaluated, so one unreachable
 * host never hides a non-compliant one (DESIGN: 2, else 3, else 1, else 0).
 */
static int
result_rank(enum result r)
{
	switch (r) {
	case RESULT_PASS:
		return 0;
	case RESULT_WARN:
		return 1;
	case RESULT_ERROR:
		return 2;
	default:
		return 3;
	}
}

enum result
result_worst(enum result a, enum result b)
{
	return result_rank(a) >= result_rank(b) ? a : b;
}

/*
 * Where fatal_oom() jumps to in this thread, or NULL: out of memory is
 * then fatal.  Per thread, so that one worker's failure ends its own
 * item only.
 */
static _Thread_local jmp_buf *oom_jump;

void
fatal_oom(void)
{
	if (oom_jump != NULL)
		longjmp(*oom_jump, 1);
	fputs("bwcertcheck: out of memory\n", stderr);
	abort();
}

int
oom_guard(void (*fn)(void *), void *arg)
{
	jmp_buf env, *saved = oom_jump;

	if (setjmp(env) != 0) {
		oom_jump = saved;
		return -1;
	}
	oom_jump = &env;
	fn(arg);
	oom_jump = saved;
	return 0;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal_oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		fatal_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		fatal_oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		fatal_oom();
	return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatal_oom();
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t want;

	if (more > SIZE_MAX - b->len - 1)
		fatal_oom();
	want = b->len + more + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap = b->cap > SIZE_MAX / 2 ? want : b->cap * 2;
	b->ptr = xrealloc(b->ptr, b->cap);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(b, s);
	free(s);
}

char *
buf_steal(struct buf *b)
{
	char *p;

	if (b->ptr == NULL)
		return xstrdup("");
	p = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

int
parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)s[0]) &&
	    !(s[0] == '-' && isdigit((unsigned char)s[1])))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

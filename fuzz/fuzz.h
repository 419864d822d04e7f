/*
 * fuzz.h - what the libFuzzer targets share: a reader that takes typed
 * values off the fuzzer's bytes, and the oracles that check a report
 * is what its format promises, whatever names went in.
 *
 * The oracles are written here again, on purpose, rather than taken
 * from lib/: a check that reused esc.c or report_clean.c would share
 * their mistakes.
 */
#ifndef BWC_FUZZ_H
#define BWC_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/run.h"
#include "report/report.h"

/* The fuzzer's bytes, consumed from the front. */
struct fz {
	const uint8_t *p;
	size_t n;
};

/* The next byte, or 0 when none is left. */
uint8_t fz_u8(struct fz *);
/* The next 4 bytes big-endian, zero-filled past the end. */
uint32_t fz_u32(struct fz *);
/* A boolean from the next byte. */
bool fz_bool(struct fz *);
/* A number in [0, n) (n > 0). */
unsigned fz_below(struct fz *, unsigned n);

/*
 * Bytes of a length taken from the input (a length byte, up to max),
 * as a new buffer with a NUL after *len bytes (caller frees).
 */
unsigned char *fz_bytes(struct fz *, size_t max, size_t *len);
/* The same as a C string: stops at the first NUL (caller frees). */
char *fz_str(struct fz *, size_t max);
/* What is left, NUL-terminated (caller frees). */
char *fz_rest_str(struct fz *);

/* Print why and abort: libFuzzer records the input as a crash. */
void fuzz_fail(const char *what, const char *fmt_name, const char *out,
    size_t len) __attribute__((noreturn));

/*
 * Is p[0..len) valid UTF-8 (RFC 3629: no overlong forms, surrogates or
 * values past U+10FFFF)?  With controls false, also no C0 control
 * other than '\n', no DEL and no C1 control (U+0080..U+009F).
 */
bool fuzz_utf8_ok(const unsigned char *p, size_t len, bool controls);

/*
 * Check one rendered report against what its format promises; aborts
 * through fuzz_fail() when it does not.  color: the text report was
 * written with colour (only our own SGR sequences may appear).
 *   text        UTF-8, no control character, no escape sequence
 *   json/sarif  parses as one JSON document (jansson, strict UTF-8)
 *   junit       well-formed XML 1.0 with no forbidden character
 *   nagios      UTF-8, no control character, a status line first
 *   prometheus  every line a comment or a valid sample of the text
 *               exposition format
 */
void fuzz_check_report(const char *fmt_name, const char *out, size_t len,
    bool color);

/*
 * Render subjects (n of them) through one format, report_formats[which %
 * count], to memory and check the output with fuzz_check_report(); a
 * target that takes which from its input covers every format over its
 * run.  text_subjects, if not NULL, is used for the text format instead
 * (see fuzz_report.c).  BWC_FUZZ_FORMAT=K in the environment pins
 * report_formats[K] (to profile one format).
 */
void fuzz_render_one(const struct run *run, enum report_command cmd,
    const struct subject *subjects, const struct subject *text_subjects,
    size_t n, bool color, size_t which);

/*
 * The JSON oracle checks each report itself, without building values
 * (a report of tens of kilobytes cost more to parse than to write),
 * and asks jansson too on a failure and every 64th document.  This
 * checks both on documents of known verdict, and aborts when either
 * is wrong (the fuzz targets that render JSON call it at start).
 */
void fuzz_oracle_selftest(void);

/*
 * jansson's values from an arena for the life of one input, not from
 * malloc: a report is thousands of small values, and each costs the
 * sanitizer's allocator more than building it.  The arena keeps what
 * AddressSanitizer would check: every value is poisoned when freed
 * (a use after json_decref() is reported), a redzone follows each
 * (an overflow is reported), and fuzz_json_arena_end() aborts when a
 * value is still allocated (a missing json_decref(): the leak LSan
 * would have found).  Beyond 256 MiB a value comes from malloc.
 *
 * fuzz_json_arena_init() once (LLVMFuzzerInitialize), then
 * fuzz_json_arena_end() after each input.
 */
void fuzz_json_arena_init(void);
void fuzz_json_arena_end(void);

#endif

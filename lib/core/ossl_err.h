/*
 * ossl_err.h - OpenSSL's error queue into words.  Never NULL.
 */
#ifndef BWC_OSSL_ERR_H
#define BWC_OSSL_ERR_H

#include "core/common.h"

/*
 * Drain OpenSSL's error queue into one short reason ("PEM routines: bad
 * base64 decode"), or def if the queue is empty.  Returns a new string
 * (caller frees); never NULL.
 */
char *ossl_err_reason(const char *def);

/*
 * The reason text of error code e, or def when e is 0 or OpenSSL has
 * no text for it (ERR_reason_error_string() may return NULL).
 * Borrowed; never NULL.
 */
const char *ossl_err_string(unsigned long e, const char *def);

#endif

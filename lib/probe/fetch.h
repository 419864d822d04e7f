/*
 * fetch.h - download one small file over HTTP or HTTPS, within bounds.
 *
 * Used for a certificate's caIssuers URL, and only when the user asks
 * (fix-chain --fetch).  Every transfer is bounded: the bytes received,
 * the redirects followed, and the time until a deadline.  Only http://
 * and https:// URLs are fetched, also after a redirect.  HTTPS servers
 * are verified against the system's CA store (libcurl's default); the
 * bytes fetched are never trusted anyway: the caller checks what they
 * hold.
 */
#ifndef BWC_FETCH_H
#define BWC_FETCH_H

#include "core/common.h"

/* The defaults: a certificate or a PKCS#7 of a few is a few KB. */
#define FETCH_MAX_BYTES (256u * 1024)
#define FETCH_MAX_REDIRECTS 3

struct fetch_limits {
	size_t max_bytes;	/* more than this is an error */
	long max_redirects;	/* more redirects than this is an error */
	long timeout_ms;	/* the whole transfer, connect included */
};

/*
 * GET url.  Returns 0 with *data (caller frees) and *len set, or -1
 * with *err set to "URL: cause" (caller frees).  A status of 400 or
 * more is an error.
 */
int fetch_url(const char *url, const struct fetch_limits *lim,
    unsigned char **data, size_t *len, char **err);

#endif

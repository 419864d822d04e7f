/*
 * fetch.c - download one small file over HTTP(S), within bounds
 * (fetch.h), with libcurl.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "probe/fetch.h"

struct sink {
	struct buf b;
	size_t max;
	bool over;		/* more than max bytes came */
};

/* CURLOPT_WRITEFUNCTION: keep the body, and stop past the bound. */
static size_t
sink_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (n > s->max || s->b.len > s->max - n) {
		s->over = true;
		return 0;	/* anything but n aborts the transfer */
	}
	buf_add(&s->b, ptr, n);
	return n;
}

static bool
scheme_ok(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
}

/* Why the transfer failed, in words a user can act on. */
static char *
fetch_reason(CURL *h, CURLcode rc, const struct sink *s,
    const struct fetch_limits *lim, const char *errbuf)
{
	long status = 0;

	if (s->over || rc == CURLE_FILESIZE_EXCEEDED)
		return xasprintf("more than %zu bytes: not a certificate",
		    lim->max_bytes);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return xstrdup("no complete answer in time (--timeout)");
	case CURLE_TOO_MANY_REDIRECTS:
		return xasprintf("more than %ld redirects", lim->max_redirects);
	case CURLE_UNSUPPORTED_PROTOCOL:
		return xstrdup("only http:// and https:// URLs are fetched "
		    "(a redirect led elsewhere)");
	case CURLE_HTTP_RETURNED_ERROR:
		(void)curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		return xasprintf("HTTP status %ld", status);
	default:
		return xstrdup(errbuf[0] != '\0' ? errbuf :
		    curl_easy_strerror(rc));
	}
}

int
fetch_url(const char *url, const struct fetch_limits *lim,
    unsigned char **data, size_t *len, char **err)
{
	struct sink s = { .max = lim->max_bytes };
	char errbuf[CURL_ERROR_SIZE] = "", *why;
	CURLcode rc;
	CURL *h;
	int ret = -1;

	*data = NULL;
	*len = 0;
	if (!scheme_ok(url)) {
		*err = xasprintf("%s: only http:// and https:// URLs are "
		    "fetched", url);
		return -1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal_oom();
	if ((h = curl_easy_init()) == NULL)
		fatal_oom();
	(void)curl_easy_setopt(h, CURLOPT_URL, url);
	(void)curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	(void)curl_easy_setopt(h, CURLOPT_MAXREDIRS, lim->max_redirects);
	(void)curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, lim->timeout_ms);
	(void)curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, lim->timeout_ms);
	/* No signals: the timeouts work in any thread, with any resolver. */
	(void)curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	(void)curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)lim->max_bytes);
	(void)curl_easy_setopt(h, CURLOPT_USERAGENT, "bwcertcheck/" BWC_VERSION);
	(void)curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	(void)curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
	(void)curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK && !s.over) {
		*len = s.b.len;
		*data = (unsigned char *)buf_steal(&s.b);
		if (*data == NULL)
			*data = xcalloc(1, 1);
		ret = 0;
	} else {
		why = fetch_reason(h, rc, &s, lim, errbuf);
		*err = xasprintf("%s: %s", url, why);
		free(why);
	}
	buf_free(&s.b);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return ret;
}

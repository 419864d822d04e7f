/*
 * ossl_err.c - OpenSSL's error queue as one short reason.
 */
#include <openssl/err.h>

#include "core/ossl_err.h"

char *
ossl_err_reason(const char *def)
{
	unsigned long e, first = 0;
	const char *reason, *lib;

	while ((e = ERR_get_error()) != 0)
		if (first == 0)
			first = e;
	if (first == 0)
		return xstrdup(def);
	reason = ERR_reason_error_string(first);
	lib = ERR_lib_error_string(first);
	if (reason == NULL)
		return xasprintf("%s (OpenSSL error %lx)", def, first);
	return lib != NULL ? xasprintf("%s: %s", lib, reason) :
	    xstrdup(reason);
}

const char *
ossl_err_string(unsigned long e, const char *def)
{
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	/* NULL for a code OpenSSL has no text for. */
	return r != NULL ? r : def;
}

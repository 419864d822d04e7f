/*
 * version.c - what --version says: the version, the OpenSSL library it
 * runs with, and where and when its built-in roots came from, since a
 * verdict on accepted-ca depends on both.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "app/version.h"
#include "x509/trust.h"

void
version_print(FILE *out)
{
	const char *src = trust_builtin_source(), *v = strchr(src, ' ');
	char date[16] = "";

	/* Debian's ca-certificates versions start with the date: 20250419~... */
	if (v != NULL && strspn(v + 1, "0123456789") >= 8)
		snprintf(date, sizeof(date), "%.4s-%.2s-%.2s", v + 1, v + 5,
		    v + 7);
	fprintf(out, "bwcertcheck %s\n", BWC_VERSION);
	fprintf(out, "%s (built with %s)\n", OpenSSL_version(OPENSSL_VERSION),
	    OPENSSL_VERSION_TEXT);
	fprintf(out, "built-in roots: %zu, from Debian's %s%s%s%s\n",
	    trust_builtin_count(), src, date[0] != '\0' ?
	    " (Mozilla's store as of " : "", date, date[0] != '\0' ? ")" : "");
}

/*
 * roots.c - the verifier's trust store: the built-in accepted roots, or
 * the roots given with --trust-store.
 *
 * The built-in store is built from the PEM bundle compiled into the
 * binary (roots_bundle.pem), matched certificate by certificate to
 * root_table by the SHA-256 of the SubjectPublicKeyInfo.  Nothing comes
 * from OpenSSL's default paths: X509_STORE_set_default_paths() would let
 * the host's ca-certificates version change the verdict.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "core/fileio.h"
#include "core/ossl_err.h"
#include "x509/load.h"
#include "x509/sigcache.h"
#include "x509/trust.h"

#define BUNDLE_NAME	"built-in roots bundle"

static struct trust *
trust_new(bool builtin)
{
	struct trust *t;

	t = xcalloc(1, sizeof(*t));
	t->builtin = builtin;
	if ((t->store = X509_STORE_new()) == NULL)
		fatal_oom();
	t->sigs = sigcache_new();
	return t;
}

/*
 * Add x (borrowed; the store and roots[] take their own references) as
 * a root of t.  A certificate already in t is not added twice.
 * Returns 0, or -1 with *err set; name is the source for messages.
 */
static int
trust_add(struct trust *t, X509 *x, const struct root_info *info,
    const char *name, char **err)
{
	struct trust_root *r;
	struct cert_facts f;
	char *reason;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	if (trust_find(t, x) != NULL) {
		rc = 0;
		goto out;
	}
	ERR_clear_error();
	if (facts_from_anchor(x, &f) == -1) {
		reason = ossl_err_reason("undecodable field");
		*err = xasprintf("%s: root %zu: cannot read the certificate: "
		    "%s", name, t->n + 1, reason);
		free(reason);
		goto out;
	}
	ERR_clear_error();
	if (X509_STORE_add_cert(t->store, x) != 1) {
		reason = ossl_err_reason("cannot add to the store");
		*err = xasprintf("%s: root %zu: %s", name, t->n + 1, reason);
		free(reason);
		goto out;
	}
	if (X509_up_ref(x) != 1)
		fatal_oom();
	t->roots = xreallocarray(t->roots, t->n + 1, sizeof(*t->roots));
	r = &t->roots[t->n++];
	r->x509 = x;
	r->facts = f;
	r->info = info;
	memset(&f, 0, sizeof(f));
	rc = 0;
out:
	facts_free(&f);
	return rc;
}

/*
 * Build the store from the built-in bundle, keeping the roots whose
 * brand is in policy->brands (every brand when policy is NULL; none
 * when the policy names none, which makes every chain unaccepted).
 * Every certificate of the bundle must match one row of root_table and
 * every row must have its certificate, whichever brands are kept: a
 * disagreement is a build defect and fails the load.  Returns the store
 * (free with trust_free()) or NULL with *err set (caller frees).
 */
struct trust *
trust_load_builtin(const struct policy *policy, char **err)
{
	struct trust *t = NULL, *ret = NULL;
	STACK_OF(X509) *certs = NULL;
	const struct root_info *info;
	unsigned char md[32];
	char hex[65];
	bool *seen = NULL;
	size_t i, row;
	X509 *x;

	*err = NULL;
	if ((certs = sk_X509_new_null()) == NULL)
		fatal_oom();
	if (load_certs_mem(BUNDLE_NAME,
	    (const unsigned char *)roots_bundle_pem, strlen(roots_bundle_pem),
	    NULL, certs, NULL, NULL, err) == -1)
		goto out;
	seen = xcalloc(root_table_len, sizeof(*seen));
	t = trust_new(true);
	for (i = 0; i < (size_t)sk_X509_num(certs); i++) {
		x = sk_X509_value(certs, (int)i);
		ERR_clear_error();
		if (facts_spki_sha256(x, md) == -1) {
			ERR_clear_error();
			*err = xasprintf("%s: certificate %zu: cannot hash "
			    "its public key", BUNDLE_NAME, i + 1);
			goto out;
		}
		if ((info = root_info_by_spki(md)) == NULL) {
			hex_encode(md, 32, hex);
			*err = xasprintf("%s: certificate %zu (SPKI SHA-256 %s) "
			    "is not in the roots table", BUNDLE_NAME, i + 1, hex);
			goto out;
		}
		row = (size_t)(info - root_table);
		if (seen[row]) {
			*err = xasprintf("%s: %s appears twice", BUNDLE_NAME,
			    info->name);
			goto out;
		}
		seen[row] = true;
		if (policy != NULL &&
		    (policy->brands & (1u << (unsigned)info->brand)) == 0)
			continue;
		if (trust_add(t, x, info, BUNDLE_NAME, err) == -1)
			goto out;
	}
	for (row = 0; row < root_table_len; row++) {
		if (!seen[row]) {
			*err = xasprintf("%s: no certificate for %s (SPKI "
			    "SHA-256 %s); run scripts/update-roots.sh",
			    BUNDLE_NAME, root_table[row].name,
			    root_table[row].spki_sha256);
			goto out;
		}
	}
	ret = t;
	t = NULL;
out:
	trust_free(t);
	free(seen);
	sk_X509_pop_free(certs, X509_free);
	return ret;
}

/* Does needle occur in the len bytes of data?  (memmem() is not in POSIX.) */
static bool
contains(const unsigned char *data, size_t len, const char *needle)
{
	size_t i, n = strlen(needle);

	for (i = 0; n <= len && i <= len - n; i++)
		if (data[i] == (unsigned char)needle[0] &&
		    memcmp(data + i, needle, n) == 0)
			return true;
	return false;
}

/*
 * Read one file and add its certificates to t.  In a directory
 * (in_dir), a PEM file without any certificate block (a key, a CSR, a
 * CRL) is passed over; anything else must load.  Returns 0, or -1 with
 * *err set.
 */
static int
trust_add_file(struct trust *t, const char *path, bool in_dir, char **err)
{
	STACK_OF(X509) *certs = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	int i, rc = -1;

	if (fileio_read(path, LOAD_MAX_BYTES, &data, &len, err) == -1)
		goto out;
	if (in_dir && contains(data, len, "-----BEGIN ") &&
	    !contains(data, len, "CERTIFICATE-----") &&
	    !contains(data, len, "PKCS7-----")) {
		rc = 0;
		goto out;
	}
	if ((certs = sk_X509_new_null()) == NULL)
		fatal_oom();
	if (load_certs_mem(path, data, len, NULL, certs, NULL, NULL,
	    err) == -1)
		goto out;
	for (i = 0; i < sk_X509_num(certs); i++)
		if (trust_add(t, sk_X509_value(certs, i), NULL, path,
		    err) == -1)
			goto out;
	rc = 0;
out:
	sk_X509_pop_free(certs, X509_free);
	free(data);
	return rc;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * The files of a trust directory worth reading: the names `openssl
 * rehash` scans (*.pem, *.crt, *.cer), *.der, and the hash links it
 * makes (8 hex digits, a dot, a number).  Hidden files are skipped.
 */
static int
trust_dir_filter(const struct dirent *d)
{
	const char *s = d->d_name;
	size_t i;

	if (s[0] == '.')
		return 0;
	if (has_suffix(s, ".pem") || has_suffix(s, ".crt") ||
	    has_suffix(s, ".cer") || has_suffix(s, ".der"))
		return 1;
	for (i = 0; i < 8; i++)
		if (strchr("0123456789abcdef", s[i]) == NULL || s[i] == '\0')
			return 0;
	if (s[8] != '.' || s[9] == '\0')
		return 0;
	for (i = 9; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
trust_add_dir(struct trust *t, const char *path, char **err)
{
	struct dirent **names = NULL;
	struct stat st;
	char *file = NULL;
	int i, n, rc = -1;

	errno = 0;
	if ((n = scandir(path, &names, trust_dir_filter, alphasort)) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		free(file);
		file = xasprintf("%s/%s", path, names[i]->d_name);
		/* stat, not lstat: hash links point at the real files. */
		if (stat(file, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (trust_add_file(t, file, true, err) == -1)
			goto out;
	}
	if (t->n == 0) {
		*err = xasprintf("%s: no certificate in the directory (read "
		    "*.pem, *.crt, *.cer, *.der and hash links)", path);
		goto out;
	}
	rc = 0;
out:
	free(file);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/*
 * Build the store from path: a file of one or more certificates (PEM,
 * DER, PKCS#7), or a directory of such files.  Every certificate found
 * becomes a root with info NULL; duplicates are kept once.  An empty
 * file, a file without a certificate or a directory without one is an
 * error.  Returns the store (free with trust_free()) or NULL with *err
 * set to "PATH: cause" (caller frees).
 */
struct trust *
trust_load_path(const char *path, char **err)
{
	struct trust *t = NULL, *ret = NULL;
	struct stat st;

	*err = NULL;
	if (stat(path, &st) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	t = trust_new(false);
	if (S_ISDIR(st.st_mode)) {
		if (trust_add_dir(t, path, err) == -1)
			goto out;
	} else if (trust_add_file(t, path, false, err) == -1)
		goto out;
	if (t->n == 0) {
		*err = xasprintf("%s: no certificate", path);
		goto out;
	}
	ret = t;
	t = NULL;
out:
	trust_free(t);
	return ret;
}

/* Release t and everything it owns.  NULL is a no-op. */
void
trust_free(struct trust *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		X509_free(t->roots[i].x509);
		facts_free(&t->roots[i].facts);
	}
	free(t->roots);
	X509_STORE_free(t->store);
	sigcache_free(t->sigs);
	free(t);
}

/*
 * The root of t whose certificate equals x (X509_cmp compares the DER
 * encodings), or NULL.  The result is borrowed from t.
 */
const struct trust_root *
trust_find(const struct trust *t, X509 *x)
{
	size_t i;

	if (t == NULL || x == NULL)
		return NULL;
	for (i = 0; i < t->n; i++)
		if (X509_cmp(t->roots[i].x509, x) == 0)
			return &t->roots[i];
	return NULL;
}

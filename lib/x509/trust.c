/*
 * trust.c - the verifier's trust store: the built-in accepted roots, or
 * the roots given with --trust-store.
 *
 * The built-in store is the index compiled into the binary
 * (roots_index.c, generated from roots_bundle.pem), matched entry by
 * entry to root_table by the SHA-256 of the SubjectPublicKeyInfo.  No
 * root is parsed at start: the store gets a lookup method instead, which
 * OpenSSL calls when a chain asks for an issuer the store does not hold
 * yet; it parses the roots whose subject name has the name's hash, adds
 * them to the store, and hands the match back.  Nothing comes from
 * OpenSSL's default paths: X509_STORE_set_default_paths() would let the
 * host's ca-certificates version change the verdict.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
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
#include "x509/facts_memo.h"
#include "x509/load.h"
#include "x509/roots_index.h"
#include "x509/sigcache.h"
#include "x509/trust.h"

#define BUNDLE_NAME	"built-in roots bundle"

/* What a store of built-in roots adds: parsing them on first use. */
struct trust_lazy {
	pthread_mutex_t mu;		/* guards the parsing of roots[] */
	X509_LOOKUP_METHOD *method;	/* owned; the store's lookup */
};

static struct trust *
trust_new(bool builtin)
{
	struct trust *t;

	t = xcalloc(1, sizeof(*t));
	t->builtin = builtin;
	if ((t->store = X509_STORE_new()) == NULL)
		fatal_oom();
	t->sigs = sigcache_new();
	t->facts = facts_memo_new();
	return t;
}

/*
 * Fill in r from x (borrowed; r and the store take their own
 * references): its facts, and x in the store.  Returns 0, or -1 with
 * *err set; name and k (counted from 1) say where x came from.
 */
static int
root_fill(struct trust *t, struct trust_root *r, X509 *x, const char *name,
    size_t k, char **err)
{
	struct cert_facts f;
	char *reason;

	memset(&f, 0, sizeof(f));
	ERR_clear_error();
	if (facts_from_anchor(x, &f) == -1) {
		reason = ossl_err_reason("undecodable field");
		*err = xasprintf("%s: root %zu: cannot read the certificate: "
		    "%s", name, k, reason);
		free(reason);
		facts_free(&f);
		return -1;
	}
	ERR_clear_error();
	if (X509_STORE_add_cert(t->store, x) != 1) {
		reason = ossl_err_reason("cannot add to the store");
		*err = xasprintf("%s: root %zu: %s", name, k, reason);
		free(reason);
		facts_free(&f);
		return -1;
	}
	if (X509_up_ref(x) != 1)
		fatal_oom();
	r->x509 = x;
	r->facts = f;
	return 0;
}

/*
 * Add x (borrowed) as a root of t read from name.  A certificate already
 * in t is not added twice.  Returns 0, or -1 with *err set.
 */
static int
trust_add(struct trust *t, X509 *x, const char *name, char **err)
{
	struct trust_root r = { 0 };

	if (trust_find(t, x) != NULL)
		return 0;
	if (root_fill(t, &r, x, name, t->n + 1, err) == -1)
		return -1;
	t->roots = xreallocarray(t->roots, t->n + 1, sizeof(*t->roots));
	t->roots[t->n++] = r;
	return 0;
}

/*
 * Parse the built-in root r if it is not yet; called with t's lock
 * held.  The bytes are those the build read and hashed, so this fails
 * only on a build defect (or out of memory); the root then stays out of
 * the store and no chain reaches it.  Returns r->x509 != NULL.
 */
static bool
root_parse(struct trust *t, struct trust_root *r)
{
	const unsigned char *p = r->der->der;
	char *err = NULL;
	X509 *x;
	bool ok = false;

	if (r->x509 != NULL)
		return true;
	ERR_clear_error();
	if ((x = d2i_X509(NULL, &p, (long)r->der->len)) != NULL &&
	    root_fill(t, r, x, BUNDLE_NAME, (size_t)(r - t->roots) + 1,
	    &err) == 0)
		ok = true;
	ERR_clear_error();
	X509_free(x);
	free(err);
	return ok;
}

/*
 * The lookup method of a built-in store: OpenSSL asks it for the
 * certificates with subject name when the store holds none yet.
 * Returns 1 and the first match in ret, or 0.
 */
static int
lookup_by_subject(X509_LOOKUP *lu, X509_LOOKUP_TYPE type,
    const X509_NAME *name, X509_OBJECT *ret)
{
	const struct trust *t = X509_LOOKUP_get_method_data(lu);
	const struct trust_root *r;
	size_t pos = 0;

	if (type != X509_LU_X509 || t == NULL ||
	    (r = trust_named(t, name, &pos)) == NULL)
		return 0;
	/*
	 * OpenSSL's own lookups hand back a pointer the store holds and the
	 * caller takes its own reference (X509_STORE_CTX_get_by_subject()
	 * never frees what a lookup returns): set1 takes one, give it back.
	 */
	if (X509_OBJECT_set1_X509(ret, r->x509) != 1)
		return 0;
	X509_free(r->x509);
	return 1;
}

/* The table row pinning this SPKI hash (hex), or NULL.  Static data. */
static const struct root_info *
row_by_spki_hex(const char *hex)
{
	size_t i;

	for (i = 0; i < root_table_len; i++)
		if (strcmp(root_table[i].spki_sha256, hex) == 0)
			return &root_table[i];
	return NULL;
}

/*
 * Build the store from the built-in index, keeping the roots whose
 * brand is in policy->brands (every brand when policy is NULL; none
 * when the policy names none, which makes every chain unaccepted).
 * Every certificate of the bundle must match one row of root_table and
 * every row must have its certificate, whichever brands are kept: a
 * disagreement is a build defect and fails the load.  No root is parsed
 * here (see lookup_by_subject()).  Returns the store (free with
 * trust_free()) or NULL with *err set (caller frees).
 */
struct trust *
trust_load_builtin(const struct policy *policy, char **err)
{
	struct trust *t = NULL, *ret = NULL;
	const struct root_info *info;
	X509_LOOKUP *lu;
	bool *seen = NULL;
	size_t i, row;

	*err = NULL;
	seen = xcalloc(root_table_len, sizeof(*seen));
	t = trust_new(true);
	t->roots = xcalloc(root_ders_len, sizeof(*t->roots));
	for (i = 0; i < root_ders_len; i++) {
		if ((info = row_by_spki_hex(root_ders[i].spki_sha256)) == NULL) {
			*err = xasprintf("%s: certificate %zu (SPKI SHA-256 %s) "
			    "is not in the roots table", BUNDLE_NAME, i + 1,
			    root_ders[i].spki_sha256);
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
		t->roots[t->n].info = info;
		t->roots[t->n++].der = &root_ders[i];
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
	t->lazy = xcalloc(1, sizeof(*t->lazy));
	pthread_mutex_init(&t->lazy->mu, NULL);
	if ((t->lazy->method = X509_LOOKUP_meth_new("bwcertcheck built-in "
	    "roots")) == NULL ||
	    X509_LOOKUP_meth_set_get_by_subject(t->lazy->method,
	    lookup_by_subject) != 1 ||
	    (lu = X509_STORE_add_lookup(t->store, t->lazy->method)) == NULL ||
	    X509_LOOKUP_set_method_data(lu, t) != 1)
		fatal_oom();
	ret = t;
	t = NULL;
out:
	trust_free(t);
	free(seen);
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
		if (trust_add(t, sk_X509_value(certs, i), path, err) == -1)
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
	/* The store first: it holds a lookup of the method. */
	X509_STORE_free(t->store);
	if (t->lazy != NULL) {
		X509_LOOKUP_meth_free(t->lazy->method);
		pthread_mutex_destroy(&t->lazy->mu);
		free(t->lazy);
	}
	sigcache_free(t->sigs);
	facts_memo_free(t->facts);
	free(t);
}

void
trust_forget(struct trust *t)
{
	sigcache_clear(t->sigs);
	facts_memo_clear(t->facts);
}

/* Take and release t's lock, for a store of built-in roots. */
static void
trust_lock(const struct trust *t)
{
	if (t->lazy != NULL)
		pthread_mutex_lock(&t->lazy->mu);
}

static void
trust_unlock(const struct trust *t)
{
	if (t->lazy != NULL)
		pthread_mutex_unlock(&t->lazy->mu);
}

/*
 * The root of t whose certificate equals x (X509_cmp compares the DER
 * encodings), or NULL.  A root not parsed yet is not x: x came from
 * the store or the input, and a built-in root reaches the store only
 * parsed.  The result is borrowed from t.
 */
const struct trust_root *
trust_find(const struct trust *t, X509 *x)
{
	const struct trust_root *r = NULL;
	size_t i;

	if (t == NULL || x == NULL)
		return NULL;
	trust_lock(t);
	for (i = 0; i < t->n && r == NULL; i++)
		if (t->roots[i].x509 != NULL &&
		    X509_cmp(t->roots[i].x509, x) == 0)
			r = &t->roots[i];
	trust_unlock(t);
	return r;
}

const struct trust_root *
trust_named(const struct trust *t, const X509_NAME *name, size_t *pos)
{
	struct trust_root *r;
	unsigned long hash = 0;
	size_t i;
	int ok = 1;

	if (t == NULL || name == NULL)
		return NULL;
	/* Only a root whose subject has name's hash can be name. */
	if (t->lazy != NULL)
		hash = X509_NAME_hash_ex(name, NULL, NULL, &ok);
	ERR_clear_error();
	if (ok != 1)
		return NULL;
	trust_lock(t);
	for (i = *pos; i < t->n; i++) {
		r = &t->roots[i];
		if (t->lazy != NULL && (r->der->name_hash != hash ||
		    !root_parse((struct trust *)t, r)))
			continue;
		if (X509_NAME_cmp(X509_get_subject_name(r->x509), name) == 0)
			break;
	}
	trust_unlock(t);
	*pos = i;
	return i < t->n ? &t->roots[i] : NULL;
}

const struct trust_root *
trust_root(const struct trust *t, size_t i)
{
	struct trust_root *r = &t->roots[i];
	bool ok = true;

	trust_lock(t);
	if (t->lazy != NULL)
		ok = root_parse((struct trust *)t, r);
	trust_unlock(t);
	return ok ? r : NULL;
}

size_t
trust_builtin_count(void)
{
	return root_ders_len;
}

const char *
trust_builtin_source(void)
{
	return root_ders_source;
}

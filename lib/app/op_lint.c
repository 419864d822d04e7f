/*
 * op_lint.c - the lint operation: files in, judged chains out.
 *
 * Several files form one chain (leaf and intermediates in separate files
 * is common); with --each every file, and every regular file of a
 * directory, is its own chain.  Each chain is judged and reported at
 * once and then freed, so memory stays flat over any number of files.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "x509/chain.h"
#include "rules/engine.h"
#include "x509/load.h"
#include "core/fileio.h"
#include "app/op.h"

struct lint_state {
	const struct run *run;
	struct report *rep;
	const char *password;	/* borrowed from the lint_inputs */
	EVP_PKEY *key;		/* borrowed from the lint_inputs */
	struct load_cache *cache;	/* CA certificates parsed so far */
	enum result worst;
	size_t n_chains;	/* chains reported (not inputs passed over) */
};

/*
 * op_report_chain(), knowing whether the certificates came (in part)
 * from a PKCS#7 bundle, which has no order.
 */
static enum result
report_chain(const struct run *run, struct report *rep, const char *name,
    STACK_OF(X509) *certs, EVP_PKEY *key, const char *error, bool unordered)
{
	struct subject s;
	enum result res;
	char *err = NULL;

	subject_init(&s, SUBJECT_FILE, name);
	if (run->fqdn != NULL)
		s.fqdn = xstrdup(run->fqdn);
	if (error != NULL) {
		diag_input_error(run, "%s", error);
		subject_set_error(&s, "%s", error);
	} else if (chain_analyse(run->trust, certs, key, &s.chain, &err) != 0) {
		diag_input_error(run, "%s: %s", name, err);
		subject_set_error(&s, "%s: %s", name, err);
		free(err);
	} else {
		s.has_chain = true;
		s.chain.unordered = unordered;
	}
	run_judge(run, &s);
	report_subject(rep, &s);
	res = s.result;
	subject_free(&s);
	return res;
}

enum result
op_report_chain(const struct run *run, struct report *rep, const char *name,
    STACK_OF(X509) *certs, EVP_PKEY *key, const char *error)
{
	return report_chain(run, rep, name, certs, key, error, false);
}

/* Judge certs (owned; freed here) as one chain named name. */
static void
lint_chain(struct lint_state *st, const char *name, STACK_OF(X509) *certs,
    EVP_PKEY *p12key, char *load_err, bool unordered)
{
	st->worst = result_worst(st->worst, report_chain(st->run, st->rep,
	    name, certs, st->key != NULL ? st->key : p12key, load_err,
	    unordered));
	st->n_chains++;
	sk_X509_pop_free(certs, X509_free);
}

/*
 * Why a file --each met holds nothing to lint (a key alone, a README,
 * an empty file), or NULL when its load error is a real one: the file
 * is read again, which happens only for files that failed to load.
 */
static const char *
skip_reason(const char *path)
{
	unsigned char *data = NULL;
	const char *why;
	char *err = NULL;
	size_t len;

	if (strcmp(path, "-") == 0 ||
	    fileio_read(path, LOAD_MAX_BYTES, &data, &len, &err) != 0) {
		free(err);
		return NULL;
	}
	why = load_not_certificate(data, len);
	free(data);
	return why;
}

static STACK_OF(X509) *
new_stack(void)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	if (sk == NULL)
		fatal_oom();
	return sk;
}

/*
 * Lint one file as its own chain (--each).  A file that holds no
 * certificate, or only CA certificates, is passed over with a note:
 * what a folder of certificates holds besides chains.
 */
static void
lint_one_file(struct lint_state *st, const char *path)
{
	STACK_OF(X509) *certs = new_stack();
	EVP_PKEY *p12key = NULL;
	enum load_format fmt = LOAD_PEM;
	const char *why = NULL;
	char *err = NULL;

	if (load_certs_cached(path, st->password, st->cache, certs, &p12key,
	    &fmt, &err) != 0)
		why = skip_reason(path);
	else if (load_ca_only(certs))
		why = "holds CA certificates only (an intermediate bundle, as "
		    "certbot's chain.pem)";
	if (why != NULL) {
		report_skip(st->rep, path, why);
		sk_X509_pop_free(certs, X509_free);
	} else
		lint_chain(st, path, certs, p12key, err, fmt == LOAD_PKCS7);
	EVP_PKEY_free(p12key);
	free(err);
}

/* A certbot-style folder (live/DOMAIN): fullchain.pem and privkey.pem. */
static bool
certbot_dir(const char *dir)
{
	struct stat sb;
	char *chain = xasprintf("%s/fullchain.pem", dir),
	    *key = xasprintf("%s/privkey.pem", dir);
	bool yes = stat(chain, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    stat(key, &sb) == 0 && S_ISREG(sb.st_mode);

	free(chain);
	free(key);
	return yes;
}

/*
 * A certbot-style folder is one chain, named after the folder:
 * fullchain.pem with privkey.pem as its key (--key, when given, wins).
 * A key this user may not read (certbot's are root's) leaves key-match
 * unchecked with a warning; cert.pem and chain.pem are the same
 * certificates again.
 */
static void
lint_certbot(struct lint_state *st, const char *dir)
{
	STACK_OF(X509) *certs = new_stack();
	EVP_PKEY *key = NULL, *p12key = NULL;
	enum load_format fmt = LOAD_PEM;
	char *chain = xasprintf("%s/fullchain.pem", dir),
	    *kpath = xasprintf("%s/privkey.pem", dir), *err = NULL;

	if (st->key == NULL && access(kpath, R_OK) != 0)
		diag_warn(st->run, "%s: %s: key-match is not checked", kpath,
		    strerror(errno));
	else if (st->key == NULL &&
	    (key = load_key(kpath, st->password, &err)) == NULL)
		goto out;
	(void)load_certs_cached(chain, st->password, st->cache, certs,
	    &p12key, &fmt, &err);
out:
	st->worst = result_worst(st->worst, report_chain(st->run, st->rep,
	    dir, certs, st->key != NULL ? st->key : key, err,
	    fmt == LOAD_PKCS7));
	st->n_chains++;
	sk_X509_pop_free(certs, X509_free);
	EVP_PKEY_free(key);
	EVP_PKEY_free(p12key);
	free(chain);
	free(kpath);
	free(err);
}

/*
 * A file name in lint_dir(): an offset into the block of names while
 * reading, a pointer into it once the block stays put.
 */
union dir_name {
	size_t off;
	char *ptr;
};

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(((const union dir_name *)a)->ptr,
	    ((const union dir_name *)b)->ptr);
}

/*
 * --each over a directory: its regular files, sorted, and its
 * certbot-style subfolders (live/ holds one a domain); no deeper.  A
 * certbot-style directory itself is one chain.
 * The listing is the only thing kept per file: the names go end to end
 * in one block and a table of pointers into it is sorted, some 20 bytes
 * a file rather than a malloc() of each name (a directory of 100,000
 * chains costs 2 MB of names, not 4.5).
 */
static void
lint_dir(struct lint_state *st, const char *dir)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	char *block = NULL, *path;
	union dir_name *names = NULL;
	size_t used = 0, bcap = 0, n = 0, cap = 0, len, i, chains;

	if (certbot_dir(dir)) {
		lint_certbot(st, dir);
		return;
	}
	chains = st->n_chains;
	if ((d = opendir(dir)) == NULL) {
		char *err = xasprintf("%s: %s", dir, strerror(errno));

		lint_chain(st, dir, new_stack(), NULL, err, false);
		free(err);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(de->d_name) + 1;
		while (used + len > bcap) {
			bcap = bcap ? bcap * 2 : 16384;
			block = xrealloc(block, bcap);
		}
		memcpy(block + used, de->d_name, len);
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++].off = used;
		used += len;
	}
	closedir(d);
	for (i = 0; i < n; i++)
		names[i].ptr = block + names[i].off;
	if (n > 1)	/* an empty folder has no table at all */
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i].ptr);
		/* stat follows links; a dangling link or loop is reported. */
		if (stat(path, &sb) != 0) {
			char *err = xasprintf("%s: %s", path, strerror(errno));

			lint_chain(st, path, new_stack(), NULL, err, false);
			free(err);
		} else if (S_ISREG(sb.st_mode))
			lint_one_file(st, path);
		else if (S_ISDIR(sb.st_mode) && certbot_dir(path))
			lint_certbot(st, path);
		else if (S_ISDIR(sb.st_mode))
			report_skip(st->rep, path, "a folder (--each lints the "
			    "files of the folders given, and certbot-style "
			    "folders in them, no deeper)");
		else
			report_skip(st->rep, path, fileio_not_regular(
			    sb.st_mode));
		free(path);
	}
	free(names);
	free(block);
	/* A folder with nothing to lint is an input that was not evaluated. */
	if (st->n_chains == chains) {
		char *err = xasprintf("%s: no certificate chain in this folder",
		    dir);

		lint_chain(st, dir, new_stack(), NULL, err, false);
		free(err);
	}
}

static void
lint_together(struct lint_state *st, char *const files[], int nfiles)
{
	STACK_OF(X509) *certs = new_stack();
	EVP_PKEY *p12key = NULL;
	struct buf name = { 0 };
	enum load_format fmt;
	bool unordered = false;
	char *err = NULL;
	int i;

	for (i = 0; i < nfiles; i++)
		buf_addf(&name, "%s%s", i > 0 ? " + " : "", files[i]);
	for (i = 0; i < nfiles && err == NULL; i++) {
		struct stat sb;

		if (strcmp(files[i], "-") != 0 && stat(files[i], &sb) == 0 &&
		    S_ISDIR(sb.st_mode)) {
			err = xasprintf("%s: a folder: give --each to lint every "
			    "file in it (and certbot's live/ folders) as its "
			    "own chain", files[i]);
			break;
		}
		fmt = LOAD_PEM;
		(void)load_certs_cached(files[i], st->password, st->cache,
		    certs, &p12key, &fmt, &err);
		/* A bundle's certificates have no order among themselves. */
		unordered |= fmt == LOAD_PKCS7;
	}
	lint_chain(st, name.ptr, certs, p12key, err, unordered);
	EVP_PKEY_free(p12key);
	free(err);
	buf_free(&name);
}

struct lint_inputs *
lint_inputs_read(const struct run *run, char **err)
{
	struct lint_inputs *in = xcalloc(1, sizeof(*in));

	if (run->password_spec != NULL &&
	    (in->password = load_password(run->password_spec, err)) == NULL)
		goto fail;
	if (run->key_path != NULL &&
	    (in->key = load_key(run->key_path, in->password, err)) == NULL)
		goto fail;
	return in;
fail:
	lint_inputs_free(in);
	return NULL;
}

void
lint_inputs_free(struct lint_inputs *in)
{
	if (in == NULL)
		return;
	EVP_PKEY_free(in->key);
	if (in->password != NULL) {
		OPENSSL_cleanse(in->password, strlen(in->password));
		free(in->password);
	}
	free(in);
}

enum result
op_lint(const struct run *run, const struct lint_inputs *in,
    struct report *rep, char *const files[], int nfiles)
{
	struct lint_state st = { .run = run, .rep = rep, .worst = RESULT_PASS,
	    .password = in->password, .key = in->key };
	struct stat sb;
	int i;

	st.cache = load_cache_new();
	if (!run->each)
		lint_together(&st, files, nfiles);
	else
		for (i = 0; i < nfiles; i++) {
			if (strcmp(files[i], "-") != 0 &&
			    stat(files[i], &sb) == 0 && S_ISDIR(sb.st_mode))
				lint_dir(&st, files[i]);
			else
				lint_one_file(&st, files[i]);
		}
	load_cache_free(st.cache);
	return st.worst;
}

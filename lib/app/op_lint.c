/*
 * op_lint.c - the lint operation: files in, judged chains out.
 *
 * Several files form one chain (leaf and intermediates in separate files
 * is common); with --each every file, and every regular file of a
 * directory, is its own chain.  --each judges up to --jobs chains at
 * once on the worker pool (app/pool.h) and reports them in input order;
 * each is reported as soon as it and those before it are judged, and
 * then freed, so memory stays flat over any number of files.
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
#include "app/pool.h"
#include "probe/probe.h"

/*
 * What judging one input gave, kept until its turn to be reported: a
 * chain, a file passed over, or nothing (an entry --each leaves alone).
 */
struct lint_out {
	bool has_subject;
	struct subject s;
	char *error;		/* the line for stderr, with the subject */
	char *warning;		/* a warning line for stderr, or NULL */
	char *skip_name;	/* a file passed over, and why */
	const char *skip_why;
};

struct lint_state {
	const struct run *run;
	struct report *rep;
	const char *password;	/* borrowed from the lint_inputs */
	EVP_PKEY *key;		/* borrowed from the lint_inputs */
	struct load_cache **caches;	/* CA certificates parsed so far, one a thread */
	enum result worst;
	size_t n_chains;	/* chains reported (not inputs passed over) */

	/* --each: the inputs (see lint_each()) and those in flight. */
	struct lint_seg *segs;
	size_t n_segs, n_items;
	struct lint_out *outs;	/* outs[i % n_outs] for item i */
	size_t n_outs;
	size_t dir_chains;	/* n_chains when the current folder began */

	/* --each on a terminal: the progress line (see progress()). */
	bool progress;
	bool progress_shared;	/* the report goes to that terminal too */
	bool drawn;		/* the line is on the terminal now */
	size_t n_inputs, n_done, n_failing;
	int64_t drawn_ms;	/* when the line was last drawn */
};

/*
 * Judge certs (borrowed) as one chain named name into out: key may be
 * NULL; with error set, the chain is that error.  Nothing is printed.
 */
static void
judge_chain(const struct run *run, struct lint_out *out, const char *name,
    STACK_OF(X509) *certs, EVP_PKEY *key, const char *error, bool unordered)
{
	struct subject *s = &out->s;
	char *err = NULL;

	out->has_subject = true;
	subject_init(s, SUBJECT_FILE, name);
	if (run->fqdn != NULL)
		s->fqdn = xstrdup(run->fqdn);
	if (error != NULL) {
		out->error = xstrdup(error);
		subject_set_error(s, "%s", error);
	} else if (chain_analyse(run->trust, certs, key, &s->chain, &err) != 0) {
		out->error = xasprintf("%s: %s", name, err);
		subject_set_error(s, "%s: %s", name, err);
		free(err);
	} else {
		s->has_chain = true;
		s->chain.unordered = unordered;
	}
	run_judge(run, s);
}

/* Say and report what out holds, then empty it.  Returns its result. */
static enum result
report_out(const struct run *run, struct report *rep, struct lint_out *out)
{
	enum result res = RESULT_PASS;

	if (out->warning != NULL)
		diag_warn(run, "%s", out->warning);
	if (out->error != NULL)
		diag_input_error(run, "%s", out->error);
	if (out->skip_name != NULL)
		report_skip(rep, out->skip_name, out->skip_why);
	if (out->has_subject) {
		report_subject(rep, &out->s);
		res = out->s.result;
		subject_free(&out->s);
	}
	free(out->error);
	free(out->warning);
	free(out->skip_name);
	memset(out, 0, sizeof(*out));
	return res;
}

/*
 * op_report_chain(), knowing whether the certificates came (in part)
 * from a PKCS#7 bundle, which has no order.
 */
static enum result
report_chain(const struct run *run, struct report *rep, const char *name,
    STACK_OF(X509) *certs, EVP_PKEY *key, const char *error, bool unordered)
{
	struct lint_out out = { .has_subject = false };

	judge_chain(run, &out, name, certs, key, error, unordered);
	return report_out(run, rep, &out);
}

enum result
op_report_chain(const struct run *run, struct report *rep, const char *name,
    STACK_OF(X509) *certs, EVP_PKEY *key, const char *error)
{
	return report_chain(run, rep, name, certs, key, error, false);
}

/* Judge certs (owned; freed here) as one chain named name into out. */
static void
lint_chain(struct lint_state *st, struct lint_out *out, const char *name,
    STACK_OF(X509) *certs, EVP_PKEY *p12key, char *load_err, bool unordered)
{
	judge_chain(st->run, out, name, certs, st->key != NULL ? st->key :
	    p12key, load_err, unordered);
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
 * Lint one file as its own chain (--each), into out, with cache.  A
 * file that holds no certificate, or only CA certificates, is passed
 * over with a note: what a folder of certificates holds besides chains.
 */
static void
lint_one_file(struct lint_state *st, struct load_cache *cache,
    struct lint_out *out, const char *path)
{
	STACK_OF(X509) *certs = new_stack();
	EVP_PKEY *p12key = NULL;
	enum load_format fmt = LOAD_PEM;
	const char *why = NULL;
	char *err = NULL;

	if (load_certs_cached(path, st->password, cache, certs, &p12key,
	    &fmt, &err) != 0)
		why = skip_reason(path);
	else if (load_ca_only(certs))
		why = "holds CA certificates only (an intermediate bundle, as "
		    "certbot's chain.pem)";
	if (why != NULL) {
		out->skip_name = xstrdup(path);
		out->skip_why = why;
		sk_X509_pop_free(certs, X509_free);
	} else
		lint_chain(st, out, path, certs, p12key, err,
		    fmt == LOAD_PKCS7);
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
lint_certbot(struct lint_state *st, struct load_cache *cache,
    struct lint_out *out, const char *dir)
{
	STACK_OF(X509) *certs = new_stack();
	EVP_PKEY *key = NULL, *p12key = NULL;
	enum load_format fmt = LOAD_PEM;
	char *chain = xasprintf("%s/fullchain.pem", dir),
	    *kpath = xasprintf("%s/privkey.pem", dir), *err = NULL;

	if (st->key == NULL && access(kpath, R_OK) != 0)
		out->warning = xasprintf("%s: %s: key-match is not checked",
		    kpath, strerror(errno));
	else if (st->key == NULL &&
	    (key = load_key(kpath, st->password, &err)) == NULL)
		goto out;
	(void)load_certs_cached(chain, st->password, cache, certs,
	    &p12key, &fmt, &err);
out:
	judge_chain(st->run, out, dir, certs, st->key != NULL ? st->key : key,
	    err, fmt == LOAD_PKCS7);
	sk_X509_pop_free(certs, X509_free);
	EVP_PKEY_free(key);
	EVP_PKEY_free(p12key);
	free(chain);
	free(kpath);
	free(err);
}

/*
 * A file name in list_dir(): an offset into the block of names while
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
 * One argument of --each, and the items it gives the pool: a file, a
 * certbot-style folder, or a folder that cannot be read, one item each;
 * a folder, one item per entry and a last one that says so when none of
 * them was a chain.
 */
enum seg_kind { SEG_FILE, SEG_CERTBOT, SEG_UNREADABLE, SEG_DIR };

struct lint_seg {
	enum seg_kind kind;
	const char *path;	/* the argument */
	int errnum;		/* SEG_UNREADABLE */
	char *block;		/* SEG_DIR: the names, end to end */
	union dir_name *names;	/* SEG_DIR: sorted pointers into block */
	size_t n_names;
	size_t first;		/* its first item */
};

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
list_dir(struct lint_seg *seg)
{
	DIR *d;
	struct dirent *de;
	size_t used = 0, bcap = 0, cap = 0, len, i;

	if (certbot_dir(seg->path)) {
		seg->kind = SEG_CERTBOT;
		return;
	}
	if ((d = opendir(seg->path)) == NULL) {
		seg->kind = SEG_UNREADABLE;
		seg->errnum = errno;
		return;
	}
	seg->kind = SEG_DIR;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		len = strlen(de->d_name) + 1;
		while (used + len > bcap) {
			bcap = bcap ? bcap * 2 : 16384;
			seg->block = xrealloc(seg->block, bcap);
		}
		memcpy(seg->block + used, de->d_name, len);
		if (seg->n_names == cap) {
			cap = cap ? cap * 2 : 1024;
			seg->names = xreallocarray(seg->names, cap,
			    sizeof(*seg->names));
		}
		seg->names[seg->n_names++].off = used;
		used += len;
	}
	closedir(d);
	for (i = 0; i < seg->n_names; i++)
		seg->names[i].ptr = seg->block + seg->names[i].off;
	if (seg->n_names > 1)	/* an empty folder has no table at all */
		qsort(seg->names, seg->n_names, sizeof(*seg->names),
		    cmp_names);
}

/* The argument item i comes from (the items of one are consecutive). */
static const struct lint_seg *
seg_of(const struct lint_state *st, size_t i)
{
	size_t lo = 0, hi = st->n_segs, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (st->segs[mid].first <= i)
			lo = mid;
		else
			hi = mid;
	}
	return &st->segs[lo];
}

/* One entry of a folder given to --each, judged into out. */
static void
lint_entry(struct lint_state *st, struct load_cache *cache,
    struct lint_out *out, const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat sb;

	/* stat follows links; a dangling link or loop is reported. */
	if (stat(path, &sb) != 0) {
		char *err = xasprintf("%s: %s", path, strerror(errno));

		lint_chain(st, out, path, new_stack(), NULL, err, false);
		free(err);
	} else if (S_ISREG(sb.st_mode))
		lint_one_file(st, cache, out, path);
	else if (S_ISDIR(sb.st_mode) && certbot_dir(path))
		lint_certbot(st, cache, out, path);
	else {
		out->skip_name = xstrdup(path);
		out->skip_why = S_ISDIR(sb.st_mode) ? "a folder (--each lints "
		    "the files of the folders given, and certbot-style folders "
		    "in them, no deeper)" : fileio_not_regular(sb.st_mode);
	}
	free(path);
}

/* pool_spec.work_on: judge item i into its slot. */
static void
each_work(void *arg, size_t i, size_t thread)
{
	struct lint_state *st = arg;
	const struct lint_seg *seg = seg_of(st, i);
	struct lint_out *out = &st->outs[i % st->n_outs];
	struct load_cache *cache = st->caches[thread];
	size_t k = i - seg->first;

	switch (seg->kind) {
	case SEG_FILE:
		lint_one_file(st, cache, out, seg->path);
		break;
	case SEG_CERTBOT:
		lint_certbot(st, cache, out, seg->path);
		break;
	case SEG_UNREADABLE: {
		char *err = xasprintf("%s: %s", seg->path,
		    strerror(seg->errnum));

		lint_chain(st, out, seg->path, new_stack(), NULL, err, false);
		free(err);
		break;
	}
	case SEG_DIR:
		/* The last item of a folder is judged when it is delivered. */
		if (k < seg->n_names)
			lint_entry(st, cache, out, seg->path,
			    seg->names[k].ptr);
		break;
	}
}

/*
 * --each with stderr on a terminal: "N/TOTAL linted, K failing", drawn
 * over itself at most ten times a second and once at the end, so that
 * 100,000 files cost no more than a few hundred writes.
 */
static void
progress(struct lint_state *st)
{
	int64_t now = net_now_ms();

	if (st->n_done < st->n_inputs && now - st->drawn_ms < 100)
		return;
	st->drawn_ms = now;
	st->drawn = true;
	diag_progress("%zu/%zu linted, %zu failing", st->n_done, st->n_inputs,
	    st->n_failing);
}

/*
 * pool_spec.deliver: report item i, in input order.  A folder with
 * nothing to lint is an input that was not evaluated: its last item
 * says so once all its entries are reported.
 */
static void
each_deliver(void *arg, size_t i, bool failed)
{
	struct lint_state *st = arg;
	const struct lint_seg *seg = seg_of(st, i);
	struct lint_out *out = &st->outs[i % st->n_outs];
	enum result res;

	if (seg->kind == SEG_DIR && i == seg->first)
		st->dir_chains = st->n_chains;
	if (failed) {
		/* Whatever the item had built is lost with the memory. */
		memset(out, 0, sizeof(*out));
		judge_chain(st->run, out, seg->path, NULL, NULL,
		    "out of memory", false);
	} else if (seg->kind == SEG_DIR && i - seg->first == seg->n_names &&
	    st->n_chains == st->dir_chains) {
		char *err = xasprintf("%s: no certificate chain in this "
		    "folder", seg->path);

		judge_chain(st->run, out, seg->path, NULL, NULL, err, false);
		free(err);
	}
	if (out->has_subject) {
		st->n_chains++;
		st->worst = result_worst(st->worst, out->s.result);
	}
	/* A line on stderr, or the report on the same terminal, goes where
	 * the progress line was, not after it. */
	if (st->drawn && (st->progress_shared || out->warning != NULL ||
	    out->error != NULL)) {
		diag_progress_clear();
		st->drawn = false;
	}
	res = report_out(st->run, st->rep, out);
	if (!st->progress)
		return;
	/* A folder's last item is no input of its own (it may say that the
	 * folder held no chain: a failure). */
	if (!(seg->kind == SEG_DIR && i - seg->first == seg->n_names))
		st->n_done++;
	if (res == RESULT_FAIL || res == RESULT_ERROR)
		st->n_failing++;
	progress(st);
}

/*
 * --each: every file argument, every regular file of a folder argument
 * and every certbot-style folder is a chain of its own.  The folders are
 * listed first (their names are all that is kept per file); then up to
 * --jobs threads judge the items, each with a cache of the CA
 * certificates it parsed, and the calling thread, which judges too,
 * reports them in input order.  What waits to be reported is bounded by
 * the pool's window.
 */
static void
lint_each(struct lint_state *st, char *const files[], int nfiles)
{
	struct pool_spec spec = { .jobs = st->run->jobs, .caller_works = true,
	    .work_on = each_work, .deliver = each_deliver, .arg = st };
	struct lint_seg *seg;
	struct stat sb;
	size_t i, n_caches;

	/* Chains take alike long: a few a thread keep every one busy. */
	spec.window = 16 * (size_t)(spec.jobs > 1 ? spec.jobs : 1);
	if (spec.window < 64)
		spec.window = 64;
	st->segs = xcalloc((size_t)nfiles, sizeof(*st->segs));
	for (i = 0; i < (size_t)nfiles; i++) {
		seg = &st->segs[st->n_segs++];
		seg->path = files[i];
		seg->first = st->n_items;
		if (strcmp(files[i], "-") != 0 && stat(files[i], &sb) == 0 &&
		    S_ISDIR(sb.st_mode))
			list_dir(seg);
		st->n_items += seg->kind == SEG_DIR ? seg->n_names + 1 : 1;
		st->n_inputs += seg->kind == SEG_DIR ? seg->n_names : 1;
	}
	/* Only for a person watching: a terminal, and not with -q. */
	st->progress = st->n_inputs > 1 && !st->run->quiet &&
	    isatty(STDERR_FILENO);
	st->progress_shared = st->progress && isatty(fileno(st->rep->out));
	spec.n = st->n_items;
	n_caches = spec.jobs > 1 ? (size_t)spec.jobs : 1;
	st->caches = xcalloc(n_caches, sizeof(*st->caches));
	for (i = 0; i < n_caches; i++)
		st->caches[i] = load_cache_new();
	st->n_outs = pool_window(&spec);
	st->outs = xcalloc(st->n_outs, sizeof(*st->outs));
	(void)pool_run(&spec);
	if (st->drawn)
		diag_progress_clear();
	for (i = 0; i < n_caches; i++)
		load_cache_free(st->caches[i]);
	for (i = 0; i < st->n_segs; i++) {
		free(st->segs[i].names);
		free(st->segs[i].block);
	}
	free(st->caches);
	free(st->outs);
	free(st->segs);
}

static void
lint_together(struct lint_state *st, char *const files[], int nfiles)
{
	STACK_OF(X509) *certs = new_stack();
	struct load_cache *cache = load_cache_new();
	struct lint_out out = { .has_subject = false };
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
		(void)load_certs_cached(files[i], st->password, cache,
		    certs, &p12key, &fmt, &err);
		/* A bundle's certificates have no order among themselves. */
		unordered |= fmt == LOAD_PKCS7;
	}
	lint_chain(st, &out, name.ptr, certs, p12key, err, unordered);
	st->worst = result_worst(st->worst, report_out(st->run, st->rep,
	    &out));
	EVP_PKEY_free(p12key);
	load_cache_free(cache);
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

	if (!run->each)
		lint_together(&st, files, nfiles);
	else
		lint_each(&st, files, nfiles);
	return st.worst;
}

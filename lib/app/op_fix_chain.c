/*
 * op_fix_chain.c - the fix-chain operation: everything the user has in,
 * the chain the SBC wants out, then a lint of what was written.
 *
 * Nothing is written unless the new chain reaches an accepted root:
 * the chain is put together (chain_fix), written into memory as PEM,
 * read back and judged with every offline rule; only then do the bytes
 * judged go to -o (and a PKCS#12 to --p12), each replaced whole.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "app/op.h"
#include "core/outfile.h"
#include "probe/fetch.h"
#include "rules/rules.h"
#include "core/ossl_err.h"
#include "x509/chain_fix.h"
#include "x509/load.h"

/* Every fetch of a run shares one deadline: --timeout bounds them all. */
struct fetcher {
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	int timeout_sec;
};

static long
ms_left(const struct fetcher *f)
{
	struct timespec now;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(f->deadline.tv_sec - now.tv_sec) * 1000 +
	    (f->deadline.tv_nsec - now.tv_nsec) / 1000000;
}

/* chain_fetch_fn over fetch_url(), within what is left of --timeout. */
static int
fetch_cb(void *arg, const char *url, unsigned char **data, size_t *len,
    char **err)
{
	struct fetcher *f = arg;
	struct fetch_limits lim = {
		.max_bytes = FETCH_MAX_BYTES,
		.max_redirects = FETCH_MAX_REDIRECTS,
		.timeout_ms = ms_left(f),
	};

	if (lim.timeout_ms <= 0) {
		*err = xasprintf("%s: not fetched: the %d s of --timeout are "
		    "spent", url, f->timeout_sec);
		return -1;
	}
	return fetch_url(url, &lim, data, len, err);
}

/* One informational line on stderr, silenced by --quiet. */
static void
say(const struct run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(const struct run *run, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (run->quiet)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error("fix-chain: %s", msg);
	free(msg);
}

/* The status of rule id in s, or STATUS_SKIP if it did not run. */
static enum status
finding_status(const struct subject *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n_findings; i++)
		if (strcmp(s->findings[i].rule->id, id) == 0)
			return s->findings[i].status;
	return STATUS_SKIP;
}

/* certs as PEM, in memory.  Returns a malloc'd buffer of *len bytes. */
static unsigned char *
pem_bytes(STACK_OF(X509) *certs, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	unsigned char *out;
	char *p;
	long n;
	int i;

	if (b == NULL)
		fatal_oom();
	for (i = 0; i < sk_X509_num(certs); i++)
		if (PEM_write_bio_X509(b, sk_X509_value(certs, i)) != 1)
			fatal_oom();
	n = BIO_get_mem_data(b, &p);
	out = xmalloc(n > 0 ? (size_t)n : 1);
	memcpy(out, p, (size_t)n);
	*len = (size_t)n;
	BIO_free(b);
	return out;
}

/*
 * A PKCS#12 of key, the leaf and the intermediates, in memory, with
 * OpenSSL 3's defaults (AES-256-CBC, PBKDF2, a SHA-256 MAC); name is
 * the friendly name equipment shows.  Returns a malloc'd buffer, or
 * NULL with *err set.
 */
static unsigned char *
p12_bytes(STACK_OF(X509) *chain, EVP_PKEY *key, const char *password,
    const char *name, size_t *len, char **err)
{
	STACK_OF(X509) *cas = sk_X509_dup(chain);
	X509 *leaf = sk_X509_value(chain, 0);
	unsigned char *out = NULL, *p;
	PKCS12 *p12;
	char *reason;
	int n;

	if (cas == NULL)
		fatal_oom();
	(void)sk_X509_shift(cas);
	ERR_clear_error();
	p12 = PKCS12_create(password, name, key, leaf, cas, 0, 0, 0, 0, 0);
	if (p12 == NULL || (n = i2d_PKCS12(p12, NULL)) <= 0) {
		reason = ossl_err_reason("cannot make the PKCS#12");
		*err = xasprintf("--p12: %s", reason);
		free(reason);
	} else {
		out = p = xmalloc((size_t)n);
		*len = (size_t)i2d_PKCS12(p12, &p);
	}
	PKCS12_free(p12);
	sk_X509_free(cas);
	return out;
}

/* Write len bytes to path, replacing it whole.  0, or -1 with *err. */
static int
write_whole(const char *path, mode_t mode, const unsigned char *data,
    size_t len, struct outfile *of, char **err)
{
	if (outfile_open(of, path, mode, err) != 0)
		return -1;
	if (fwrite(data, 1, len, of->fp) != len) {
		*err = xasprintf("%s: write failed", path);
		outfile_abort(of);
		return -1;
	}
	return 0;
}

struct fix_state {
	const struct run *run;
	struct report *rep;
	const char *password;	/* borrowed from the lint_inputs */
	EVP_PKEY *key;		/* --key (borrowed), or the key of a PKCS#12 input */
	EVP_PKEY *p12key;	/* owned: a PKCS#12 input's key */
	STACK_OF(X509) *in;
	const char **origin;	/* parallel to in; borrowed from files[] */
	char *name;		/* the inputs, "a.pem + b.pem" */
};

/* Read every file into st->in, noting where each certificate came from. */
static int
load_inputs(struct fix_state *st, char *const files[], int nfiles,
    char **err)
{
	EVP_PKEY *p12key = NULL;
	struct buf name = { 0 };
	int i, k, before;

	if ((st->in = sk_X509_new_null()) == NULL)
		fatal_oom();
	for (i = 0; i < nfiles; i++)
		buf_addf(&name, "%s%s", i > 0 ? " + " : "", files[i]);
	st->name = buf_steal(&name);
	for (i = 0; i < nfiles; i++) {
		before = sk_X509_num(st->in);
		if (load_certs(files[i], st->password, st->in, &p12key, NULL,
		    err) != 0) {
			st->p12key = p12key;
			return -1;
		}
		st->origin = xreallocarray(st->origin,
		    (size_t)sk_X509_num(st->in) + 1, sizeof(*st->origin));
		for (k = before; k < sk_X509_num(st->in); k++)
			st->origin[k] = strcmp(files[i], "-") == 0 ? "(stdin)" :
			    files[i];
	}
	st->p12key = p12key;
	if (st->key == NULL)
		st->key = p12key;
	return 0;
}

/* Say what was written, in the order written. */
static void
say_written(const struct run *run, const struct chain_facts *c, bool p12)
{
	struct buf order = { 0 };
	char *label;
	size_t i;

	for (i = 0; i < c->n; i++) {
		label = facts_label(&c->certs[i]);
		buf_addf(&order, "%s%s", i > 0 ? ", then " : "", label);
		free(label);
	}
	say(run, "wrote %s: %s", run->chain_out, order.ptr);
	if (p12)
		say(run, "wrote %s: PKCS#12 with the private key, the leaf "
		    "and %zu intermediate%s", run->p12_out, c->n - 1,
		    c->n == 2 ? "" : "s");
	buf_free(&order);
}

/*
 * Write the PEM (and the PKCS#12) replacing each file whole; both or
 * neither when the PKCS#12 cannot be made.  0, or -1 with *err set.
 */
static int
write_outputs(struct fix_state *st, const unsigned char *pem, size_t pem_len,
    const unsigned char *p12, size_t p12_len, char **err)
{
	struct outfile pem_of = { 0 }, p12_of = { 0 };

	if (write_whole(st->run->chain_out, 0644, pem, pem_len, &pem_of,
	    err) != 0)
		return -1;
	/* The PKCS#12 holds the private key: only its owner may read it. */
	if (p12 != NULL && write_whole(st->run->p12_out, 0600, p12, p12_len,
	    &p12_of, err) != 0) {
		outfile_abort(&pem_of);
		return -1;
	}
	if (p12 != NULL && outfile_commit(&p12_of, err) != 0) {
		outfile_abort(&pem_of);
		return -1;
	}
	return outfile_commit(&pem_of, err);
}

/*
 * Judge the chain as it will be written and, if it reaches an accepted
 * root (and matches the key given), write it and the PKCS#12.  Reports
 * the chain written (or refused) and returns the verdict.
 */
static enum result
write_fixed(struct fix_state *st, STACK_OF(X509) *chain)
{
	const struct run *run = st->run;
	unsigned char *pem, *p12 = NULL;
	size_t pem_len = 0, p12_len = 0;
	STACK_OF(X509) *back;
	struct subject s;
	enum result res;
	bool refused = false;
	char *err = NULL, *name;

	if ((back = sk_X509_new_null()) == NULL)
		fatal_oom();
	pem = pem_bytes(chain, &pem_len);
	subject_init(&s, SUBJECT_FILE, run->chain_out);
	if (run->fqdn != NULL)
		s.fqdn = xstrdup(run->fqdn);
	/* The bytes judged are the bytes written: read them back. */
	if (load_certs_mem(run->chain_out, pem, pem_len, NULL, back, NULL,
	    NULL, &err) != 0 || chain_analyse(run->trust, back, st->key,
	    &s.chain, &err) != 0) {
		diag_error("%s: %s", run->chain_out, err);
		subject_set_error(&s, "%s: %s", run->chain_out, err);
		goto report;
	}
	s.has_chain = true;
	run_judge(run, &s);
	if (finding_status(&s, "accepted-ca") != STATUS_PASS) {
		diag_error("fix-chain: nothing written: the chain put together "
		    "does not reach an accepted root (see accepted-ca)");
		refused = true;
		goto report;
	}
	if (st->key != NULL && !s.chain.key_matches) {
		diag_error("fix-chain: nothing written: the private key does "
		    "not match the leaf (see key-match)");
		refused = true;
		goto report;
	}
	name = facts_label(&s.chain.certs[s.chain.leaf]);
	if (run->p12_out != NULL)
		p12 = p12_bytes(chain, st->key, st->password, name, &p12_len,
		    &err);
	free(name);
	if ((run->p12_out != NULL && p12 == NULL) ||
	    write_outputs(st, pem, pem_len, p12, p12_len, &err) != 0) {
		/* Judged, but not written: the report says so, not the verdict. */
		diag_error("%s", err);
		subject_free(&s);
		subject_init(&s, SUBJECT_FILE, run->chain_out);
		subject_set_error(&s, "%s", err);
		goto report;
	}
	say_written(run, &s.chain, p12 != NULL);
report:
	free(err);
	report_subject(st->rep, &s);
	res = refused ? result_worst(s.result, RESULT_FAIL) : s.result;
	subject_free(&s);
	sk_X509_pop_free(back, X509_free);
	free(pem);
	if (p12 != NULL) {
		OPENSSL_cleanse(p12, p12_len);
		free(p12);
	}
	return res;
}

enum result
op_fix_chain(const struct run *run, const struct lint_inputs *inputs,
    struct report *rep, char *const files[], int nfiles)
{
	struct fix_state st = { .run = run, .rep = rep,
	    .password = inputs->password, .key = inputs->key };
	struct fetcher fetcher = { .timeout_sec = run->timeout_sec };
	struct chain_fix_opts opts = { 0 };
	struct chain_fix fix = { 0 };
	enum result res = RESULT_ERROR;
	char *err = NULL;
	size_t i;

	if (load_inputs(&st, files, nfiles, &err) != 0) {
		res = op_report_chain(run, rep, st.name, NULL, NULL, err);
		goto out;
	}
	if (run->p12_out != NULL && st.key == NULL) {
		err = xstrdup("--p12: no private key: give --key FILE, or a "
		    "PKCS#12 input that holds it");
		res = op_report_chain(run, rep, st.name, NULL, NULL, err);
		goto out;
	}
	opts.key = st.key;
	if (run->fetch) {
		(void)clock_gettime(CLOCK_MONOTONIC, &fetcher.deadline);
		fetcher.deadline.tv_sec += run->timeout_sec;
		opts.fetch = fetch_cb;
		opts.fetch_arg = &fetcher;
	}
	if (chain_fix(run->trust, st.in, st.origin, &opts, &fix, &err) != 0) {
		char *why = xasprintf("%s: %s", st.name, err);

		res = op_report_chain(run, rep, st.name, NULL, NULL, why);
		free(why);
		goto out;
	}
	for (i = 0; i < fix.n_notes; i++)
		say(run, "%s", fix.notes[i]);
	if (fix.refused != NULL) {
		diag_error("fix-chain: nothing written: %s", fix.refused);
		res = result_worst(RESULT_FAIL, op_report_chain(run, rep,
		    st.name, fix.work, st.key, NULL));
		goto out;
	}
	res = write_fixed(&st, fix.out);
out:
	free(err);
	chain_fix_free(&fix);
	sk_X509_pop_free(st.in, X509_free);
	free(st.origin);
	free(st.name);
	EVP_PKEY_free(st.p12key);
	return res;
}

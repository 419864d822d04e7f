/*
 * op.h - the operations behind the commands.
 *
 * Each takes the run and an open report, judges every input as it
 * goes, reports each subject as soon as it is judged and returns the
 * worst result.  An input that cannot be evaluated is reported as a
 * subject with result "error" and one line on stderr naming it and the
 * cause (diag_error); the other inputs go on.
 */
#ifndef BWC_OP_H
#define BWC_OP_H

#include "report/report.h"
#include "app/run.h"

typedef struct evp_pkey_st EVP_PKEY;
struct stack_st_X509;

/*
 * lint's run-level inputs: the --password and --key, read before any
 * report is begun, since a run that cannot read them judges nothing.
 * Returns them (free with lint_inputs_free; NULL is a no-op), or NULL
 * with *err set (caller frees).
 */
struct lint_inputs {
	char *password;		/* resolved --password, or NULL */
	EVP_PKEY *key;		/* --key, or NULL */
};
struct lint_inputs *lint_inputs_read(const struct run *, char **err);
void lint_inputs_free(struct lint_inputs *);

/* lint: files form one chain, or with run->each one chain each. */
enum result op_lint(const struct run *, const struct lint_inputs *,
    struct report *, char *const files[], int nfiles);

/*
 * Judge certs (borrowed) as one chain read from files named name, with
 * key (borrowed, may be NULL) for key-match, and report it.  With error
 * set, report that instead (and say it on stderr).  Returns the
 * subject's result.
 */
enum result op_report_chain(const struct run *, struct report *,
    const char *name, struct stack_st_X509 *certs, EVP_PKEY *key,
    const char *error);

/* probe: HOST[:PORT] targets (and run->targets_path). */
enum result op_probe(const struct run *, struct report *,
    char *const targets[], int ntargets);

/*
 * fix-chain: files form one set of certificates (read with the
 * lint_inputs' password and key); write the chain the SBC
 * wants to run->chain_out (and a PKCS#12 to run->p12_out), then report
 * the chain written, or why nothing was.
 */
enum result op_fix_chain(const struct run *, const struct lint_inputs *,
    struct report *, char *const files[], int nfiles);

/*
 * exporter: serve /probe and /metrics over HTTP (run->listen_addr)
 * until SIGTERM or SIGINT.  Returns RESULT_PASS after a clean stop,
 * RESULT_ERROR (with a line on stderr) when it could not start.
 */
enum result op_exporter(const struct run *);

/*
 * The probe of one target in two steps, for callers that schedule
 * targets themselves (the exporter).  op_probe_one() does the network
 * work only (DNS, handshakes) and may run in any thread; dns_global_init()
 * must have been called first.  op_probe_report_one() judges and
 * reports each address found into rep, frees out, and returns the
 * worst result (RESULT_ERROR when nothing could be reported).
 */
struct probe_target;
struct target_out;
struct target_out *op_probe_one(const struct run *,
    const struct probe_target *);
enum result op_probe_report_one(const struct run *, struct report *,
    struct target_out *out);

/*
 * listen: stand in for the carrier's SBC and judge each client that
 * connects (run->count of them, within run->timeout_sec).  No client at
 * all, or a listener that cannot start, is one line on stderr and
 * RESULT_ERROR with no subject reported.
 */
enum result op_listen(const struct run *, struct report *);

/*
 * Load --client-cert and --client-key into run->client, before any
 * report begins (nothing when neither is given).  Returns 0, or -1 with
 * *err set (caller frees).  probe_client_free() releases run->client.
 */
int probe_client_load(struct run *, char **err);
void probe_client_free(struct run *);

/* One line on stderr: "bwcertcheck: " + message.  Honours nothing: errors always show. */
void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The error of one input, which the report also holds: one line on
 * stderr, unless the report goes to the same place (run->errors_in_report).
 */
void diag_input_error(const struct run *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A warning line on stderr, silenced by --quiet. */
void diag_warn(const struct run *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * The progress line of a long run on a terminal: "\rbwcertcheck: " and
 * the message (escaped), drawn over the previous one; the caller checks
 * that stderr is a terminal and that -q was not given.
 * diag_progress_clear() wipes it, before another line or at the end.
 */
void diag_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_progress_clear(void);
/* A line on stderr saying what was done (a file written), silenced by --quiet. */
void diag_note(const struct run *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

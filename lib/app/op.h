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

/*
 * lint's run-level inputs: the --password and --key, read before any
 * report is begun, since a run that cannot read them judges nothing.
 * Returns them (free with lint_inputs_free; NULL is a no-op), or NULL
 * with *err set (caller frees).
 */
struct lint_inputs;
struct lint_inputs *lint_inputs_read(const struct run *, char **err);
void lint_inputs_free(struct lint_inputs *);

/* lint: files form one chain, or with run->each one chain each. */
enum result op_lint(const struct run *, const struct lint_inputs *,
    struct report *, char *const files[], int nfiles);

/* probe: HOST[:PORT] targets (and run->targets_path). */
enum result op_probe(const struct run *, struct report *,
    char *const targets[], int ntargets);

/* One line on stderr: "bwcertcheck: " + message.  Honours nothing: errors always show. */
void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning line on stderr, silenced by --quiet. */
void diag_warn(const struct run *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

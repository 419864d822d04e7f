/*
 * report_out.h - where the report goes, so that it is never damaged.
 *
 * -o FILE goes through core/outfile.h: a temporary file beside FILE
 * (mkstemp), renamed over it once the report is complete, so a reader
 * (node_exporter's textfile collector, a second run from cron) sees the
 * old report or the new one, never half of one or a mix of two.  A
 * symbolic link is followed and stays; a device or a FIFO is written
 * directly; a directory, or a place where no file can be made, is
 * refused before any work.  "-" (or no -o) is standard output.
 *
 * While the temporary file exists, SIGTERM, SIGINT and SIGHUP remove it
 * and the process then dies of the signal as it would have (exit status
 * 128 + the signal's number in a shell); FILE keeps its previous report.
 * A signal ignored by whoever started the run stays ignored.
 */
#ifndef BWC_REPORT_OUT_H
#define BWC_REPORT_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/outfile.h"

struct report_out {
	FILE *fp;		/* where the report is written */
	const char *name;	/* FILE as given, or "standard output" */
	bool is_stdout;
	struct outfile of;	/* -o FILE */
};

/*
 * Make sure file descriptors 0, 1 and 2 are open (on /dev/null when they
 * are not) before anything opens a file: else the report or a socket
 * would become "standard error" and diagnostics would land in it.  Call
 * first thing in main().
 */
void report_out_std_fds(void);

/*
 * Open where the report goes: path from -o, or NULL or "-" for standard
 * output.  Returns 0, or -1 with *err set naming path (caller frees).
 */
int report_out_open(struct report_out *, const char *path, char **err);

/*
 * The report is complete: flush it and put it in place.  Returns 0, or
 * -1 with *err set naming FILE (caller frees); FILE is then as it was.
 */
int report_out_commit(struct report_out *, char **err);

/* No report after all: remove the temporary file; FILE stays as it was. */
void report_out_abort(struct report_out *);

/*
 * A write to the report failed with errno e, mid-run.  A reader of
 * standard output that left (EPIPE, as `| head` does) ends the process
 * the way SIGPIPE would; anything else removes the temporary file, says
 * so naming FILE, and exits 3.  Does not return.
 */
void report_out_write_failed(struct report_out *, int e)
    __attribute__((noreturn));

#endif

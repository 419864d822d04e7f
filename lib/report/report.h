/*
 * report.h - reporters turn judged subjects into words.
 *
 * One reporter per format (report_<format>.c), chosen from a small
 * table.  A reporter is streamed: begin() once, subject() for each
 * subject as soon as it is judged, end() once.  Reporters never call
 * OpenSSL and never judge: they read facts and findings only.
 */
#ifndef BWC_REPORT_H
#define BWC_REPORT_H

#include <stdio.h>

#include "core/policy.h"
#include "core/subject.h"

enum report_command { REPORT_LINT, REPORT_PROBE, REPORT_LISTEN, REPORT_FIX_CHAIN };

struct report {
	const struct report_format *fmt;
	FILE *out;
	const struct policy *policy;	/* the policy applied, named in every format */
	time_t now;			/* the instant judged at (--at or the clock) */
	enum report_command command;
	bool color;		/* escape sequences allowed (text only) */
	bool show_chain;	/* text: every certificate in full (-v) */
	bool quiet;		/* only failures */
	enum result worst;	/* over the subjects reported so far */
	size_t n_subjects;
	size_t n_by_result[RESULT__MAX];
	size_t n_skipped;	/* inputs passed over (report_skip) */
	/*
	 * Set by the operation when having no subject at all is right (an
	 * empty --shard slice): formats say this instead.  Otherwise a lint
	 * or probe run with no subject checked nothing and could not
	 * evaluate: report_end() makes it an error.
	 */
	char empty_note[200];
	size_t n_not_checked;	/* subjects with an error rule not checked */
	bool *nc_rule;		/* by rule index: not checked somewhere */
	char *nc_first;		/* the first such subject's reasons */
	bool begun;		/* the format's begin() has run */
	void *state;		/* the reporter's own */
	/*
	 * Called when writing a subject to out failed, with errno; NULL:
	 * the failure is only seen at the end.  Set after report_begin().
	 */
	void (*write_failed)(void *arg, int e);
	void *write_failed_arg;
};

struct report_format {
	const char *name;
	void (*begin)(struct report *);
	void (*subject)(struct report *, const struct subject *);
	void (*end)(struct report *);
	/* An input passed over (report_skip); NULL: the format says nothing. */
	void (*skip)(struct report *, const char *name, const char *why);
};

/* The format called name, or NULL. */
const struct report_format *report_format_find(const char *name);
/* The formats, NULL-terminated, for --help and tests. */
extern const struct report_format *const report_formats[];

/*
 * Start a report in fmt on out for cmd, judged under policy (borrowed
 * for the report's life) at now.  quiet: only failures.  For listen the
 * format's begin() waits for the first subject, and a run with no
 * subject at all (nobody connected) writes nothing: it is a run-level
 * error, said on stderr.
 */
void report_begin(struct report *, const struct report_format *, FILE *out,
    const struct policy *policy, time_t now, bool quiet, enum report_command);
/* Report s and fold its result into r->worst. */
void report_subject(struct report *, const struct subject *s);
/*
 * Report an input that holds nothing to judge (a private key alone, an
 * intermediate bundle, a README in a folder of certificates) with why:
 * not a verdict, and it never changes the exit status.  name is
 * escaped here.
 */
void report_skip(struct report *, const char *name, const char *why);
void report_end(struct report *);

/*
 * Append to b the rules of s that were not checked and why, grouped by
 * reason: "fqdn-match: no --fqdn given; dns-a-record, tls12: ...", or
 * "11 rules: no certificate chain was obtained" when one reason covers
 * more than four.  Nothing when there are none.
 */
void report_not_checked_text(const struct subject *s, struct buf *b);

/* How to fix f: its own fix when the check gave one, else its rule's. */
const char *report_fix(const struct finding *f);

/*
 * The same over the subjects reported so far: one subject's reasons
 * when only one was reported, else "fqdn-match, dns-a-record in 2 of
 * 3".  Nothing when every error rule was checked everywhere.
 */
void report_not_checked_run(const struct report *r, struct buf *b);

/*
 * Prometheus only, between report_begin() and report_end(): the two
 * samples without labels that a single-target scrape ends with, as
 * blackbox_exporter's /probe does: bwcertcheck_probe_success (1 when
 * subjects were reported and every one completed a TLS 1.2 handshake
 * and was judged) and bwcertcheck_probe_duration_seconds.  Returns that
 * success; false and a no-op for other formats.
 */
bool report_prometheus_probe_summary(struct report *, double seconds);

/*
 * A client of listen in words (client.c), for the formats meant for
 * people: fn is called once per line with a short label ("hello", "tls",
 * "sip", "sdp") and a printable text; the SDES keys are never in it.
 */
typedef void (*client_line_fn)(void *arg, const char *label,
    const char *text);
void report_client_lines(const struct client_facts *, client_line_fn fn,
    void *arg);

/* "lint", "probe" or "listen". */
const char *report_command_name(enum report_command);

/* The verdict in capitals: "COMPLIANT", ..., "COULD NOT EVALUATE". */
const char *report_result_word(enum result);
/* What a subject of this command is: "chain", "target" or "client". */
const char *report_subject_noun(enum report_command);

/* The formats. */
extern const struct report_format report_text;
extern const struct report_format report_json;
extern const struct report_format report_junit;
extern const struct report_format report_sarif;
extern const struct report_format report_nagios;
extern const struct report_format report_prometheus;
extern const struct report_format report_html;
extern const struct report_format report_markdown;

#endif

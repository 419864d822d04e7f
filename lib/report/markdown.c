/*
 * markdown.c - the run in GitHub-flavoured Markdown: for a CI job
 * summary ($GITHUB_STEP_SUMMARY), a merge-request note or a ticket.
 *
 * The verdict, a table of the subjects most urgent first, a table per
 * subject of its failed and warning rules with their fixes, and the
 * answers to the carrier's TLS/SRTP questionnaire taken from what the
 * run measured (never from what the user claimed).  Text from
 * certificates, servers and file names goes through md_text(), which
 * backslash-escapes everything Markdown, GFM tables or raw HTML could
 * read as syntax: a '|' or '`' in a SAN stays text inside its cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "report/fleet.h"
#include "report/report.h"
#include "rules/rules.h"

/*
 * Write s as inline Markdown text, safe inside a GFM table cell: the
 * characters Markdown gives a meaning behind a backslash, line breaks
 * and tabs as spaces, runs of anything else in one write.
 */
static void
md_text(FILE *out, const char *s)
{
	size_t n;

	while (s != NULL && *s != '\0') {
		if ((n = strcspn(s, "\\`*_[]<>|~&!#$\n\r\t")) > 0) {
			fwrite(s, 1, n, out);
			s += n;
		} else if (*s == '\n' || *s == '\r' || *s == '\t') {
			fputc(' ', out);
			s++;
		} else {
			fputc('\\', out);
			fputc(*s++, out);
		}
	}
}

static void
date_only(time_t t, char *buf, size_t len)
{
	time_format(t, buf, len);
	if (len > 10)
		buf[10] = '\0';
}

static void
overview(struct report *r, const struct fleet *fl)
{
	const char *what = report_subject_noun(r->command);
	const struct fleet_subject *fs;
	const struct fleet_cert *c;
	struct buf nc = { 0 };
	FILE *out = r->out;
	char when[32];
	size_t i;

	time_format(r->now, when, sizeof(when));
	fprintf(out, "# bwcertcheck %s: %s\n\n",
	    report_command_name(r->command),
	    report_result_word(r->worst));
	fprintf(out, "**%s** (exit %d): %zu %s%s checked: %zu compliant, "
	    "%zu with warnings, %zu not compliant, %zu not evaluated",
	    report_result_word(r->worst), result_exit_code(r->worst), r->n_subjects,
	    what, r->n_subjects == 1 ? "" : "s", r->n_by_result[RESULT_PASS],
	    r->n_by_result[RESULT_WARN], r->n_by_result[RESULT_FAIL],
	    r->n_by_result[RESULT_ERROR]);
	if (r->n_skipped > 0)
		fprintf(out, ", %zu skipped", r->n_skipped);
	fputs(".\n", out);
	report_not_checked_run(r, &nc);
	if (nc.len > 0) {
		fputs("\n**Not checked:** ", out);
		md_text(out, nc.ptr);
		fputs("\n", out);
	}
	buf_free(&nc);
	fputs("\nPolicy ", out);
	md_text(out, r->policy->name);
	fprintf(out, ", evaluated at %s by bwcertcheck %s.\n\n", when,
	    BWC_VERSION);
	if (fl->n == 0)
		return;
	fputs("| Verdict | Subject | FQDN | Expires first | Days left | "
	    "Failed | Warnings |\n| --- | --- | --- | --- | ---: | ---: | ---: |\n",
	    out);
	for (i = 0; i < fl->n; i++) {
		fs = &fl->s[i];
		c = fs->has_expiry ? &fs->certs[fs->soonest] : NULL;
		fprintf(out, "| %s | ", report_result_word(fs->result));
		md_text(out, fs->name);
		if (fs->address != NULL && strstr(fs->name, fs->address) == NULL) {
			fputs(" (", out);
			md_text(out, fs->address);
			fputs(")", out);
		}
		fputs(" | ", out);
		md_text(out, fs->fqdn != NULL ? fs->fqdn : "");
		fputs(" | ", out);
		if (c != NULL) {
			date_only(c->not_after, when, sizeof(when));
			fprintf(out, "%s (%s) | ", when, fleet_role_name(c->role));
			if (c->days_left < 0)
				fputs("expired", out);
			else
				fprintf(out, "%ld", c->days_left);
		} else {
			fputs(" | ", out);
		}
		fprintf(out, " | %zu | %zu |\n", fs->n_fail, fs->n_warn);
	}
	fputs("\n", out);
}

static void
subject_section(FILE *out, const struct fleet_subject *fs)
{
	const struct fleet_finding *f;
	const char *word;
	size_t i, shown = 0;

	fputs("## ", out);
	md_text(out, fs->name);
	fprintf(out, ": %s\n\n", report_result_word(fs->result));
	if (fs->error != NULL) {
		fputs("Could not be evaluated: ", out);
		md_text(out, fs->error);
		fputs("\n\n", out);
		return;
	}
	if (fs->not_checked != NULL) {
		fputs("**Not checked:** ", out);
		md_text(out, fs->not_checked);
		fputs("\n\n", out);
	}
	for (i = 0; i < fs->n_findings; i++) {
		f = &fs->findings[i];
		if (f->status != STATUS_FAIL)
			continue;
		if (shown++ == 0)
			fputs("| Result | Rule | Finding | Fix |\n"
			    "| --- | --- | --- | --- |\n", out);
		word = f->severity == SEV_ERROR ? "FAIL" :
		    f->severity == SEV_WARNING ? "WARN" : "NOTE";
		fprintf(out, "| %s | `%s` | ", word, f->rule->id);
		md_text(out, f->message);
		fputs(" | ", out);
		md_text(out, f->fix != NULL ? f->fix : f->rule->fix);
		fputs(" |\n", out);
	}
	if (shown == 0)
		fputs("No rule failed and none warned.\n", out);
	fputs("\n", out);
}

/* ---- the questionnaire ---- */

static void
row(FILE *out, const char *question)
{
	fprintf(out, "| %s | ", question);
}

static void
row_end(FILE *out)
{
	fputs(" |\n", out);
}

static void
answer_text(FILE *out, const char *question, const char *text)
{
	row(out, question);
	md_text(out, text);
	row_end(out);
}

/*
 * The addresses of one probed target: the probe reports them one after
 * the other, under the same name and FQDN.  Files and clients stand alone.
 */
static bool
same_target(const struct fleet_subject *a, const struct fleet_subject *b)
{
	return a->kind == SUBJECT_HOST && b->kind == SUBJECT_HOST &&
	    strcmp(a->name, b->name) == 0 &&
	    (a->fqdn == NULL) == (b->fqdn == NULL) &&
	    (a->fqdn == NULL || strcmp(a->fqdn, b->fqdn) == 0);
}

static void
answer_addresses(FILE *out, const struct fleet_subject *const *g, size_t n)
{
	const struct fleet_probe *p = &g[0]->probe;
	size_t i, k = 0;

	row(out, "A records");
	for (i = 0; i < n; i++) {
		if (g[i]->address == NULL)
			continue;
		fputs(k++ == 0 ? "" : ", ", out);
		md_text(out, g[i]->address);
	}
	if (p->dns_a_count >= 0)
		fprintf(out, "%s(%d A, %d AAAA in DNS)", k > 0 ? " " : "",
		    p->dns_a_count, p->dns_aaaa_count > 0 ? p->dns_aaaa_count : 0);
	else if (k > 0)
		fputs(" (given, not looked up)", out);
	else
		fputs("not measured", out);
	row_end(out);
}

static void
answer_tls(FILE *out, const struct fleet_probe *p, const struct policy *pol)
{
	bool first = true;
	int i;

	row(out, "TLS version");
	if (p->tls12)
		fputs("TLS 1.2", out);
	else if (p->handshake_tried) {
		fputs("no TLS 1.2 handshake (", out);
		md_text(out, p->tls_error != NULL ? p->tls_error : "refused");
		fputs(")", out);
		if (p->other_version != NULL) {
			fputs("; the server completed ", out);
			md_text(out, p->other_version);
		}
	} else
		fputs("not measured (no address to connect to)", out);
	row_end(out);
	row(out, "Allowed suites accepted");
	for (i = 0; i < SUITE__MAX; i++) {
		if (p->suites[i] != SUITE_ACCEPTED)
			continue;
		fprintf(out, "%s`%s`", first ? "" : ", ",
		    suite_openssl_name((enum suite)i));
		first = false;
	}
	if (first)
		fputs("none", out);
	for (i = 0; i < SUITE__MAX; i++)
		if (p->suites[i] == SUITE_REJECTED)
			fprintf(out, "; `%s` rejected",
			    suite_openssl_name((enum suite)i));
	row_end(out);
	if (pol->default_suite >= 0 && pol->default_suite < SUITE__MAX) {
		row(out, "Default suite");
		fprintf(out, "`%s`: %s", suite_openssl_name(
		    (enum suite)pol->default_suite),
		    p->suites[pol->default_suite] == SUITE_ACCEPTED ? "accepted" :
		    p->suites[pol->default_suite] == SUITE_REJECTED ? "rejected" :
		    "not tried");
		row_end(out);
	}
}

static void
answer_certificate(FILE *out, const struct fleet_subject *fs)
{
	const struct fleet_cert *leaf = NULL;
	const char *wild;
	char when[32];
	size_t i;

	for (i = 0; i < fs->n_certs; i++)
		if (fs->certs[i].role == FLEET_LEAF)
			leaf = &fs->certs[i];
	if (leaf == NULL) {
		answer_text(out, "Certificate", "not measured (no certificate)");
		return;
	}
	row(out, "Certificate authority");
	if (fs->brand != NULL) {
		md_text(out, fs->brand);
		fputs(" (root ", out);
		md_text(out, fs->root);
		fputs(")", out);
	} else {
		fputs("no accepted root reached", out);
	}
	row_end(out);
	row(out, "Issuing CA");
	if (fs->issuer_org != NULL) {
		md_text(out, fs->issuer_org);
		fputs(" (", out);
		md_text(out, fs->issuer);
		fputs(")", out);
	} else {
		md_text(out, fs->issuer);
	}
	row_end(out);
	answer_text(out, "Certificate subject", leaf->subject);
	time_format(leaf->not_after, when, sizeof(when));
	row(out, "Expires");
	if (leaf->days_left < 0)
		fprintf(out, "%s (expired %ld days ago)", when, -leaf->days_left);
	else
		fprintf(out, "%s (%ld days left)", when, leaf->days_left);
	row_end(out);
	answer_text(out, "Key", fs->leaf_key != NULL ? fs->leaf_key : "");
	row(out, "Wildcard");
	wild = fleet_wildcard(fs);
	if (wild != NULL) {
		fputs("yes: ", out);
		md_text(out, wild);
		fputs(" covers ", out);
		md_text(out, fs->fqdn);
		fputs(" (exactly one label, never a.", out);
		md_text(out, fs->fqdn);
		fputs(")", out);
	} else {
		for (i = 0; i < fs->n_san; i++)
			if (strncmp(fs->san[i], "*.", 2) == 0)
				break;
		fputs(i < fs->n_san ? "a wildcard SAN is present but does not "
		    "cover the FQDN" : "no", out);
	}
	row_end(out);
	row(out, "SAN dNSNames");
	for (i = 0; i < fs->n_san; i++) {
		fputs(i == 0 ? "" : ", ", out);
		md_text(out, fs->san[i]);
	}
	if (fs->n_san == 0)
		fputs("none", out);
	row_end(out);
}

/* What the equipment offered when it connected to listen as a client. */
static void
answer_client(FILE *out, const struct fleet_client *c,
    const struct policy *pol)
{
	bool first = true;
	int i;

	answer_text(out, "TLS versions offered (as a client)", c->versions !=
	    NULL ? c->versions : "no ClientHello");
	if (c->versions != NULL) {
		row(out, "Allowed suites offered");
		for (i = 0; i < SUITE__MAX; i++) {
			if (!(c->suites & (1u << i)))
				continue;
			fprintf(out, "%s`%s`", first ? "" : ", ",
			    suite_openssl_name((enum suite)i));
			first = false;
		}
		fprintf(out, "%s (of %zu suites offered)", first ? "none" : "",
		    c->n_suites);
		row_end(out);
		if (pol->default_suite >= 0 && pol->default_suite < SUITE__MAX) {
			row(out, "Default suite offered");
			fprintf(out, "`%s`: %s", suite_openssl_name(
			    (enum suite)pol->default_suite), c->suites &
			    (1u << pol->default_suite) ? "yes" : "no");
			row_end(out);
		}
		answer_text(out, "SNI sent", c->sni != NULL ? c->sni : "none");
	}
	answer_text(out, "Handshake", c->handshake);
	if (c->cert_asked)
		answer_text(out, "Client certificate", c->cert_sent ? "sent" :
		    "not sent when asked");
	answer_text(out, "SIP request", c->sip != NULL ? c->sip :
	    "none read");
	answer_text(out, "SRTP offer (SDP)", c->srtp != NULL ? c->srtp :
	    "no SDP offer read (place a call to see it)");
}

static void
questionnaire_target(struct report *r, const struct fleet_subject *const *g,
    size_t n)
{
	const struct fleet_subject *fs = g[0], *with_chain = NULL;
	FILE *out = r->out;
	size_t i;

	for (i = 0; i < n && with_chain == NULL; i++)
		if (g[i]->n_certs > 0)
			with_chain = g[i];
	fputs("### ", out);
	md_text(out, fs->name);
	if (fs->fqdn != NULL && strcmp(fs->fqdn, fs->name) != 0 &&
	    strncmp(fs->name, fs->fqdn, strlen(fs->fqdn)) != 0) {
		fputs(" (", out);
		md_text(out, fs->fqdn);
		fputs(")", out);
	}
	fputs("\n\n| Question | Answer (measured) |\n| --- | --- |\n", out);
	if (fs->kind != SUBJECT_CLIENT || fs->fqdn != NULL)
		answer_text(out, "Equipment FQDN", fs->fqdn != NULL ?
		    fs->fqdn : "not given (--fqdn)");
	if (fs->kind == SUBJECT_CLIENT) {
		/* The equipment as a client: its address is in the name. */
	} else if (fs->kind == SUBJECT_HOST) {
		answer_addresses(out, g, n);
		row(out, "Port");
		fprintf(out, "%d", fs->port);
		row_end(out);
		if (fs->has_probe && fs->probe.srv_name != NULL) {
			row(out, "SRV record");
			md_text(out, fs->probe.srv_name);
			fprintf(out, ": priority %d, weight %d, port %d, target ",
			    fs->probe.srv_priority, fs->probe.srv_weight,
			    fs->probe.srv_port);
			md_text(out, fs->probe.srv_target);
			row_end(out);
		}
		if (fs->has_probe)
			answer_tls(out, &fs->probe, r->policy);
		else
			answer_text(out, "TLS version", fs->error != NULL ?
			    fs->error : "not measured");
	} else {
		answer_text(out, "A records, port, TLS version, suites",
		    "not measured: lint reads files; bwcertcheck probe "
		    "answers these from the server");
	}
	if (fs->has_client)
		answer_client(out, &fs->client, r->policy);
	if (with_chain != NULL)
		answer_certificate(out, with_chain);
	else if (fs->error != NULL)
		answer_text(out, "Certificate", fs->error);
	row(out, "Verdict");
	fputs(report_result_word(fs->result), out);
	for (i = 1; i < n; i++)
		if (g[i]->result != fs->result) {
			fputs(" (the addresses differ: see above)", out);
			break;
		}
	row_end(out);
	fputs("\n", out);
}

/* The SRV records --srv found, once each, in the order a client tries them. */
static void
srv_records(FILE *out, const struct fleet_subject *const *s, size_t ns)
{
	const struct fleet_probe *p, *q;
	size_t i, j, n = 0;

	for (i = 0; i < ns; i++) {
		p = &s[i]->probe;
		if (!s[i]->has_probe || p->srv_name == NULL)
			continue;
		for (j = 0; j < i; j++) {
			q = &s[j]->probe;
			if (s[j]->has_probe && q->srv_name != NULL &&
			    strcmp(q->srv_name, p->srv_name) == 0 &&
			    strcmp(q->srv_target, p->srv_target) == 0 &&
			    q->srv_port == p->srv_port)
				break;
		}
		if (j < i)
			continue;
		if (n++ == 0)
			fputs("SRV records found (`--srv`):\n\n| Name | Priority | "
			    "Weight | Port | Target |\n| --- | ---: | ---: | ---: "
			    "| --- |\n", out);
		fputs("| ", out);
		md_text(out, p->srv_name);
		fprintf(out, " | %d | %d | %d | ", p->srv_priority,
		    p->srv_weight, p->srv_port);
		md_text(out, p->srv_target);
		fputs(" |\n", out);
	}
	if (n > 0)
		fputs("\n", out);
}

static void
questionnaire(struct report *r, const struct fleet *fl)
{
	const struct fleet_subject **byorder;
	FILE *out = r->out;
	size_t i, j;

	fputs("## For the carrier's TLS/SRTP questionnaire\n\n"
	    "Answers taken from what this run measured, not from "
	    "configuration; \"not measured\" where it could not see.\n\n",
	    out);
	/* In input order, one block per target (its addresses together). */
	byorder = xcalloc(fl->n + 1, sizeof(*byorder));
	for (i = 0; i < fl->n; i++)
		byorder[fl->s[i].order] = &fl->s[i];
	srv_records(out, byorder, fl->n);
	for (i = 0; i < fl->n; i = j) {
		for (j = i + 1; j < fl->n && same_target(byorder[i], byorder[j]);
		    j++)
			;
		questionnaire_target(r, byorder + i, j - i);
	}
	free(byorder);
}

static void
md_end(struct report *r)
{
	struct fleet *fl = fleet_take(r);
	size_t i;

	overview(r, fl);
	/* A compliant subject has its row in the overview; nothing to add. */
	for (i = 0; i < fl->n; i++)
		if (fl->s[i].result != RESULT_PASS || fl->s[i].not_checked != NULL)
			subject_section(r->out, &fl->s[i]);
	if (fl->n_skipped > 0) {
		fputs("## Skipped\n\n", r->out);
		for (i = 0; i < fl->n_skipped; i++) {
			fputs("- ", r->out);
			md_text(r->out, fl->skipped[i]);
			fputs(": ", r->out);
			md_text(r->out, fl->skipped_why[i]);
			fputs("\n", r->out);
		}
		fputs("\n", r->out);
	}
	questionnaire(r, fl);
	fleet_free(fl);
	free(fl);
}

const struct report_format report_markdown = {
	.name = "markdown",
	.begin = fleet_report_begin,
	.subject = fleet_report_subject,
	.end = md_end,
	.skip = fleet_report_skip,
};

/*
 * report_text.c - the human report.
 *
 * Grouped by subject: a header naming the leaf, the root reached and
 * the FQDN, the probe's per-suite results for a host, then one line per
 * rule with a mark, the reason and, for failures, the fix.  Colour only
 * when the caller allows it (a terminal, no NO_COLOR, no --color never).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/fqdn.h"
#include "rules/rules.h"
#include "report/report.h"
#include "core/timeutil.h"

#define C_RESET "\033[0m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"

struct text_state {
	bool printed;		/* something is on the page: blank lines between */
};

static const char *
col(const struct report *r, const char *code)
{
	return r->color ? code : "";
}

/* The mark of a finding: PASS, FAIL (error), WARN, NOTE, SKIP. */
static void
mark(const struct finding *f, const char **word, const char **color)
{
	if (f->status == STATUS_PASS) {
		*word = "PASS";
		*color = C_GREEN;
	} else if (f->status == STATUS_SKIP) {
		*word = "SKIP";
		*color = C_DIM;
	} else if (f->severity == SEV_ERROR) {
		*word = "FAIL";
		*color = C_RED;
	} else if (f->severity == SEV_WARNING) {
		*word = "WARN";
		*color = C_YELLOW;
	} else {
		*word = "NOTE";
		*color = C_CYAN;
	}
}

static const char *
result_color(enum result res)
{
	switch (res) {
	case RESULT_PASS:
		return C_GREEN;
	case RESULT_WARN:
		return C_YELLOW;
	default:
		return C_RED;
	}
}

static void
text_begin(struct report *r)
{
	struct text_state *st = xcalloc(1, sizeof(*st));
	char when[32];

	r->state = st;
	time_format(r->now, when, sizeof(when));
	if (!r->quiet) {
		fprintf(r->out, "bwcertcheck %s: policy %s, evaluated at %s\n",
		    report_command_name(r->command),
		    r->policy->name, when);
		st->printed = true;
	}
}

/* A blank line between blocks, never before the first (-q has no banner). */
static void
blank(struct report *r)
{
	struct text_state *st = r->state;

	if (st->printed)
		fputc('\n', r->out);
	st->printed = true;
}

/*
 * The leaf by the SAN that covers the FQDN judged, which need not be
 * its first; else by its first SAN or CN.  Caller frees.
 */
static char *
leaf_label(const struct report *r, const struct subject *s,
    const struct cert_facts *leaf)
{
	size_t i;

	for (i = 0; s->fqdn != NULL && i < leaf->n_san_dns; i++)
		if (fqdn_match(leaf->san_dns[i].ptr, leaf->san_dns[i].len,
		    s->fqdn, r->policy->wildcards) != FQDN_NO_MATCH)
			return esc_printable(leaf->san_dns[i].ptr,
			    leaf->san_dns[i].len);
	return facts_label(leaf);
}

static void
text_header(struct report *r, const struct subject *s)
{
	const struct chain_facts *c = &s->chain;
	const struct cert_facts *leaf;
	char when[32], *label;

	if (!s->has_chain)
		return;
	leaf = chain_leaf(c);
	label = leaf_label(r, s, leaf);
	time_format(leaf->not_after, when, sizeof(when));
	fprintf(r->out, "  leaf    %s, %s-%d, expires %s\n", label,
	    key_type_name(leaf->key_type), leaf->key_bits, when);
	free(label);
	/* Beside the root: who runs the CA that issued the leaf (a sub-CA
	 * another company runs reads as the root's brand alone). */
	if (c->status == CHAIN_VERIFIED && c->anchor_info != NULL)
		fprintf(r->out, "  root    %s: %s", brand_name(
		    c->anchor_info->brand), c->anchor_info->name);
	else if (c->status == CHAIN_VERIFIED)
		fprintf(r->out, "  root    %s (--trust-store)",
		    c->anchor.subject);
	else
		fprintf(r->out, "  root    none reached");
	if (c->status == CHAIN_VERIFIED && leaf->issuer_org != NULL)
		fprintf(r->out, " (issuing CA: %s)", leaf->issuer_org);
	fputc('\n', r->out);
	fprintf(r->out, "  chain   %zu certificate%s %s\n", c->n,
	    c->n == 1 ? "" : "s", s->kind == SUBJECT_HOST ? "served" :
	    s->kind == SUBJECT_CLIENT ? "sent" : "given");
}

/* What a certificate is in its chain, for the -v dump. */
static const char *
cert_role(const struct chain_facts *c, const struct cert_facts *f, int idx)
{
	size_t k;
	bool in_path = c->path_len == 0;

	if (idx < 0)
		return "root from the trust store, not in the input";
	for (k = 0; k < c->path_len; k++)
		if (c->path[k] == (size_t)idx)
			in_path = true;
	if ((size_t)idx == c->leaf)
		return "leaf";
	if (!in_path)
		return "not in the path to the root";
	if (f->self_signed)
		return "root, self-signed";
	return f->is_ca ? "intermediate CA" : "not a CA";
}

/*
 * One certificate in full, as certigo and openssl s_client -showcerts
 * give it.  Everything read from the certificate is escaped.
 */
static void
text_cert(struct report *r, const struct cert_facts *f, int idx,
    const char *role)
{
	struct buf b = { 0 };
	char from[32], to[32], *e;
	long days;
	size_t i;

	if (idx >= 0)
		fprintf(r->out, "\n  cert %d  %s\n", idx, role);
	else
		fprintf(r->out, "\n  anchor  %s\n", role);
	e = esc_printable_keepbs((const unsigned char *)(f->subject ?
	    f->subject : ""), f->subject ? strlen(f->subject) : 0);
	fprintf(r->out, "    subject  %s\n", e);
	free(e);
	e = esc_printable_keepbs((const unsigned char *)(f->issuer ?
	    f->issuer : ""), f->issuer ? strlen(f->issuer) : 0);
	fprintf(r->out, "    issuer   %s\n", e);
	free(e);
	e = esc_printable_str(f->serial_hex ? f->serial_hex : "");
	fprintf(r->out, "    serial   %s\n", e);
	free(e);
	for (i = 0; i < f->n_san_dns; i++) {
		e = esc_printable(f->san_dns[i].ptr, f->san_dns[i].len);
		buf_addf(&b, "%s%s", i > 0 ? ", " : "", e);
		free(e);
	}
	if (f->n_san_other > 0)
		buf_addf(&b, "%s%zu of another type (IP, URI, ...)",
		    f->n_san_dns > 0 ? "; " : "", f->n_san_other);
	fprintf(r->out, "    san      %s\n", b.len > 0 ? b.ptr : "none");
	buf_free(&b);
	if (f->times_valid) {
		time_format(f->not_before, from, sizeof(from));
		time_format(f->not_after, to, sizeof(to));
		fprintf(r->out, "    valid    %s to %s", from, to);
		days = time_days_until(r->now, f->not_after);
		if (f->not_before > r->now)
			fprintf(r->out, " (not yet valid)\n");
		else if (f->not_after < r->now)
			fprintf(r->out, " (expired %ld day%s ago)\n", -days,
			    days == -1 ? "" : "s");
		else
			fprintf(r->out, " (%ld day%s left)\n", days,
			    days == 1 ? "" : "s");
	} else
		fprintf(r->out, "    valid    unreadable times\n");
	e = esc_printable_str(f->sig_alg ? f->sig_alg : "unknown");
	if (f->key_curve != NULL) {
		char *curve = esc_printable_str(f->key_curve);

		fprintf(r->out, "    key      %s %s (%d bits), signed with %s\n",
		    key_type_name(f->key_type), curve, f->key_bits, e);
		free(curve);
	} else
		fprintf(r->out, "    key      %s-%d, signed with %s\n",
		    key_type_name(f->key_type), f->key_bits, e);
	free(e);
	fputs("    sha256   ", r->out);
	for (i = 0; f->sha256_hex[i] != '\0' && f->sha256_hex[i + 1] != '\0';
	    i += 2)
		fprintf(r->out, "%s%c%c", i > 0 ? ":" : "",
		    f->sha256_hex[i] >= 'a' ? f->sha256_hex[i] - 'a' + 'A' :
		    f->sha256_hex[i], f->sha256_hex[i + 1] >= 'a' ?
		    f->sha256_hex[i + 1] - 'a' + 'A' : f->sha256_hex[i + 1]);
	fputc('\n', r->out);
}

/* -v: every certificate given, in input order, then a store's anchor. */
static void
text_chain(struct report *r, const struct subject *s)
{
	const struct chain_facts *c = &s->chain;
	size_t i;

	if (!s->has_chain)
		return;
	for (i = 0; i < c->n; i++)
		text_cert(r, &c->certs[i], (int)i,
		    cert_role(c, &c->certs[i], (int)i));
	if (c->has_anchor && c->anchor_input < 0)
		text_cert(r, &c->anchor, -1, cert_role(c, &c->anchor, -1));
}

static void
text_probe(struct report *r, const struct subject *s)
{
	const struct probe_facts *p = &s->probe;
	const struct suite_result *sr;
	int i;

	if (s->kind != SUBJECT_HOST)
		return;
	if (p->dns_a_count >= 0 || p->dns_error != NULL)
		fprintf(r->out, "  dns     %d A, %d AAAA%s%s\n",
		    p->dns_a_count > 0 ? p->dns_a_count : 0,
		    p->dns_aaaa_count > 0 ? p->dns_aaaa_count : 0,
		    p->dns_error ? "; " : "", p->dns_error ? p->dns_error : "");
	/*
	 * Offered every suite at once, the server picked one: whether by
	 * its own preference or the client's order, one handshake cannot
	 * tell, so the words do not claim a preference.
	 */
	if (p->tls12)
		fprintf(r->out, "  tls     TLS 1.2 handshake completed%s%s%s\n",
		    p->tls12_cipher ? " (offered every suite, the server chose " :
		    "", p->tls12_cipher ? p->tls12_cipher : "",
		    p->tls12_cipher ? ")" : "");
	else if (p->handshake_tried) {
		const char *e = p->tls12_error ? p->tls12_error : "refused";

		/* The probe's words often say it all already: once is enough. */
		fprintf(r->out, "  tls     %s%s", strstr(e, "TLS 1.2") != NULL ?
		    "" : "no TLS 1.2 handshake: ", e);
		if (p->other_version != NULL && strstr(e, p->other_version) == NULL)
			fprintf(r->out, "; the server completed %s",
			    p->other_version);
		fputc('\n', r->out);
	}
	if (p->sni_sent && p->servername != NULL)
		fprintf(r->out, "  sni     %s%s%s\n", p->servername,
		    p->sni_detail ? "; " : "", p->sni_detail ? p->sni_detail : "");
	for (i = 0; i < SUITE__MAX; i++) {
		sr = &p->suites[i];
		if (sr->state == SUITE_NOT_TRIED)
			continue;
		fprintf(r->out, "  suite   %-14s %s%-8s%s %6.1f ms%s%s\n",
		    suite_openssl_name((enum suite)i),
		    col(r, sr->state == SUITE_ACCEPTED ? C_GREEN : C_RED),
		    sr->state == SUITE_ACCEPTED ? "accepted" : "rejected",
		    col(r, C_RESET), sr->ms, sr->reason ? "  " : "",
		    sr->reason ? sr->reason : "");
	}
	if (p->saved_chain != NULL) {
		char *e = esc_printable_str(p->saved_chain);

		fprintf(r->out, "  saved   %s\n", e);
		free(e);
	}
	if (p->sip_code > 0 && p->sip_status_line != NULL)
		fprintf(r->out, "  sip     %s\n", p->sip_status_line);
	else if (p->sip_code == 0)
		fprintf(r->out, "  sip     no answer%s%s\n",
		    p->sip_error ? ": " : "", p->sip_error ? p->sip_error : "");
}

/*
 * " (not checked: RULES: why)" after a verdict, for one subject (s) or
 * the whole run (s NULL); nothing when every error rule ran.
 */
static void
not_checked(struct report *r, const struct subject *s, const char *after)
{
	struct buf b = { 0 };

	if (s != NULL)
		report_not_checked_text(s, &b);
	else
		report_not_checked_run(r, &b);
	if (b.len > 0)
		fprintf(r->out, " %s(not checked: %s)%s%s", col(r, C_YELLOW),
		    b.ptr, col(r, C_RESET), after != NULL ? after : "");
	else if (after != NULL)
		fputs(after, r->out);
	buf_free(&b);
}

static void
text_client_line(void *arg, const char *label, const char *text)
{
	struct report *r = arg;

	fprintf(r->out, "  %-7s %s\n", label, text);
}

static void
text_subject(struct report *r, const struct subject *s)
{
	const struct finding *f;
	const char *word, *color;
	size_t i;

	if (r->quiet && s->result == RESULT_PASS)
		return;
	blank(r);
	fprintf(r->out, "%s%s%s", col(r, C_BOLD), s->name, col(r, C_RESET));
	/* The address only when the name does not already say it. */
	if (s->address != NULL && strstr(s->name, s->address) == NULL)
		fprintf(r->out, " [%s]:%d", s->address, s->port);
	fprintf(r->out, "  %s%s%s", col(r, result_color(s->result)),
	    report_result_word(s->result), col(r, C_RESET));
	not_checked(r, s, NULL);
	fputc('\n', r->out);
	if (s->error != NULL) {
		fprintf(r->out, "  error   %s\n", s->error);
		return;
	}
	if (s->fqdn != NULL)
		fprintf(r->out, "  fqdn    %s\n", s->fqdn);
	if (!r->quiet) {
		text_header(r, s);
		text_probe(r, s);
		if (r->show_chain)
			text_chain(r, s);
		if (s->kind == SUBJECT_CLIENT)
			report_client_lines(&s->client, text_client_line, r);
	}
	fputc('\n', r->out);
	for (i = 0; i < s->n_findings; i++) {
		f = &s->findings[i];
		if (r->quiet && f->status != STATUS_FAIL)
			continue;
		mark(f, &word, &color);
		fprintf(r->out, "  %s%s%s  %-23s %s\n", col(r, color), word,
		    col(r, C_RESET), f->rule->id, f->message);
		if (f->status == STATUS_FAIL)
			fprintf(r->out, "        %-23s %sfix: %s%s\n", "",
			    col(r, C_DIM), report_fix(f), col(r, C_RESET));
	}
}

static void
text_end(struct report *r)
{
	const char *what = report_subject_noun(r->command);

	blank(r);
	free(r->state);
	r->state = NULL;
	fprintf(r->out, "%s%s%s", col(r, result_color(r->worst)),
	    report_result_word(r->worst), col(r, C_RESET));
	not_checked(r, NULL, NULL);
	fprintf(r->out, ": %zu %s%s checked: %zu compliant, %zu with "
	    "warnings, %zu not compliant, %zu not evaluated",
	    r->n_subjects, what, r->n_subjects == 1 ? "" : "s",
	    r->n_by_result[RESULT_PASS], r->n_by_result[RESULT_WARN],
	    r->n_by_result[RESULT_FAIL], r->n_by_result[RESULT_ERROR]);
	if (r->n_skipped > 0)
		fprintf(r->out, ", %zu skipped", r->n_skipped);
	fprintf(r->out, " (exit %d)\n", result_exit_code(r->worst));
}

static void
text_skip(struct report *r, const char *name, const char *why)
{
	if (r->quiet)
		return;
	blank(r);
	fprintf(r->out, "%s%s%s  %sSKIPPED%s: %s\n", col(r, C_BOLD), name,
	    col(r, C_RESET), col(r, C_DIM), col(r, C_RESET), why);
}

const struct report_format report_text = {
	.name = "text",
	.begin = text_begin,
	.subject = text_subject,
	.end = text_end,
	.skip = text_skip,
};

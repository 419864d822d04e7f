/*
 * html.c - one self-contained HTML page for a fleet: a summary bar, an
 * expiry timeline in inline SVG, and the subjects most urgent first,
 * each expanding to its findings and their fixes.
 *
 * Nothing is fetched: the style is inline, the marks are inline SVG,
 * there is no script, and a Content-Security-Policy forbids everything
 * else.  Every verdict is told by a shape and a word as well as by a
 * colour, so the page reads the same printed in greyscale.  All text
 * that came from a certificate, a server or a file name goes through
 * html_text().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "report/fleet.h"
#include "report/html.h"
#include "report/report.h"
#include "rules/rules.h"

void
html_text(FILE *out, const char *s)
{
	size_t n;

	while (s != NULL && *s != '\0') {
		/* A run with nothing to escape goes out in one write. */
		if ((n = strcspn(s, "&<>\"'")) > 0) {
			fwrite(s, 1, n, out);
			s += n;
			continue;
		}
		switch (*s++) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputs("&#39;", out);
		}
	}
}

/* The CSS class and the shape of a verdict (see the symbols in page_head). */
static const char *
result_class(enum result r)
{
	static const char *const cls[RESULT__MAX] = {
		[RESULT_PASS] = "pass", [RESULT_WARN] = "warn",
		[RESULT_FAIL] = "fail", [RESULT_ERROR] = "error",
	};

	return (unsigned)r < RESULT__MAX ? cls[r] : "error";
}

void
html_icon(FILE *out, const char *shape)
{
	fprintf(out, "<svg class=\"icon\" viewBox=\"0 0 16 16\" "
	    "aria-hidden=\"true\"><use href=\"#m-%s\" width=\"16\" "
	    "height=\"16\"/></svg>", shape);
}

static void
badge(FILE *out, enum result r)
{
	fprintf(out, "<span class=\"badge %s\">", result_class(r));
	html_icon(out, result_class(r));
	fprintf(out, "%s</span>", fleet_result_word(r));
}

static void
page_head(struct report *r)
{
	FILE *out = r->out;
	char when[32];

	time_format(r->now, when, sizeof(when));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n", out);
	fprintf(out, "<meta name=\"generator\" content=\"bwcertcheck %s\">\n",
	    BWC_VERSION);
	fprintf(out, "<title>bwcertcheck %s: %s</title>\n",
	    report_command_name(r->command),
	    fleet_result_word(r->worst));
	fputs("<style>\n"
	    ":root{--pass:#1b7a36;--warn:#a05a00;--fail:#b3261e;--error:#5b4a8a;"
	    "--line:#c9ccd1;--muted:#5f6368}\n"
	    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
	    "margin:0 auto;max-width:1180px;padding:16px 24px;color:#1f2328}\n"
	    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n"
	    ".meta,.muted{color:var(--muted)}\n"
	    ".icon{width:14px;height:14px;vertical-align:-2px;margin-right:4px}\n"
	    ".badge{font-weight:600;white-space:nowrap}\n"
	    ".pass{color:var(--pass)}.warn{color:var(--warn)}"
	    ".fail{color:var(--fail)}.error{color:var(--error)}\n"
	    ".verdict{font-size:18px;margin:12px 0}\n"
	    ".bar{display:flex;height:34px;border:1px solid #1f2328;"
	    "border-radius:4px;overflow:hidden;margin:8px 0}\n"
	    ".bar span{display:flex;align-items:center;justify-content:center;"
	    "color:#fff;font-weight:600;white-space:nowrap;overflow:hidden;"
	    "border-right:2px solid #fff}.bar span:last-child{border-right:0}\n"
	    ".bar .pass{background:var(--pass)}.bar .warn{background:var(--warn);"
	    "background-image:repeating-linear-gradient(45deg,transparent 0 6px,"
	    "rgba(255,255,255,.25) 6px 9px)}\n"
	    ".bar .fail{background:var(--fail);background-image:"
	    "repeating-linear-gradient(-45deg,transparent 0 3px,"
	    "rgba(0,0,0,.3) 3px 6px)}.bar .error{background:var(--error);"
	    "background-image:radial-gradient(rgba(255,255,255,.35) 1.5px,"
	    "transparent 2px);background-size:7px 7px}\n"
	    "ul.counts{list-style:none;padding:0;display:flex;gap:24px;margin:4px 0}\n"
	    "ul.counts b{font-size:20px}\n"
	    "table{border-collapse:collapse;width:100%}\n"
	    "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);"
	    "vertical-align:top}\n"
	    "th{font-size:13px;color:var(--muted);font-weight:600}\n"
	    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	    "tr.detail td{border-bottom:2px solid #8c959f;padding-top:0}\n"
	    "details summary{cursor:pointer;color:var(--muted)}\n"
	    "details[open] summary{margin-bottom:6px}\n"
	    "table.findings td,table.findings th{font-size:14px;padding:4px 6px}\n"
	    ".fix{color:#1f2328;background:#f3f4f6;padding:2px 6px;border-radius:3px}\n"
	    "code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
	    "font-size:13px}\n"
	    "dl.facts{display:grid;grid-template-columns:max-content 1fr;"
	    "gap:2px 14px;margin:6px 0 10px}dl.facts dt{color:var(--muted)}"
	    "dl.facts dd{margin:0}\n"
	    "svg.timeline{width:100%;height:auto;border:1px solid var(--line)}\n"
	    "svg.timeline text{font:12px system-ui,sans-serif;fill:#1f2328}\n"
	    "svg.timeline .band-label{font-weight:600}\n"
	    ".legend{display:flex;flex-wrap:wrap;gap:18px;font-size:13px;"
	    "margin:6px 0}\n"
	    "@media print{details{display:block}}\n"
	    "</style>\n</head>\n<body>\n", out);
	/* The shapes, drawn once: circle, triangle, square with a cross, diamond. */
	fputs("<svg width=\"0\" height=\"0\" style=\"position:absolute\" "
	    "aria-hidden=\"true\"><defs>\n"
	    "<symbol id=\"m-pass\" viewBox=\"-8 -8 16 16\"><circle r=\"6\" "
	    "fill=\"#1b7a36\" stroke=\"#000\" stroke-width=\"1\"/></symbol>\n"
	    "<symbol id=\"m-warn\" viewBox=\"-8 -8 16 16\"><path d=\"M0,-7 L7,6 "
	    "L-7,6 Z\" fill=\"#e8a33d\" stroke=\"#000\" stroke-width=\"1\"/>"
	    "</symbol>\n"
	    "<symbol id=\"m-fail\" viewBox=\"-8 -8 16 16\"><rect x=\"-6\" y=\"-6\" "
	    "width=\"12\" height=\"12\" fill=\"#b3261e\" stroke=\"#000\" "
	    "stroke-width=\"1\"/><path d=\"M-4,-4 L4,4 M4,-4 L-4,4\" "
	    "stroke=\"#fff\" stroke-width=\"2\"/></symbol>\n"
	    "<symbol id=\"m-error\" viewBox=\"-8 -8 16 16\"><path d=\"M0,-7 L7,0 "
	    "L0,7 L-7,0 Z\" fill=\"#fff\" stroke=\"#5b4a8a\" stroke-width=\"2\"/>"
	    "<circle r=\"1.6\" fill=\"#5b4a8a\"/></symbol>\n"
	    "</defs></svg>\n", out);
	fprintf(out, "<header>\n<h1>bwcertcheck %s report</h1>\n",
	    report_command_name(r->command));
	fputs("<p class=\"meta\">Policy <b>", out);
	html_text(out, r->policy->name);
	fprintf(out, "</b>, evaluated at <time>%s</time>, bwcertcheck %s</p>\n"
	    "</header>\n", when, BWC_VERSION);
}

static void
summary(struct report *r)
{
	static const enum result order[] = { RESULT_PASS, RESULT_WARN,
	    RESULT_FAIL, RESULT_ERROR };
	const char *what = report_subject_noun(r->command);
	FILE *out = r->out;
	struct buf nc = { 0 };
	size_t i, n;

	fputs("<section id=\"summary\">\n<p class=\"verdict\">", out);
	badge(out, r->worst);
	fprintf(out, " &mdash; %zu %s%s checked", r->n_subjects, what,
	    r->n_subjects == 1 ? "" : "s");
	if (r->n_skipped > 0)
		fprintf(out, ", %zu skipped", r->n_skipped);
	fprintf(out, " (exit %d)", result_exit_code(r->worst));
	report_not_checked_run(r, &nc);
	if (nc.len > 0) {
		fputs("<br><span class=\"warn\">Not checked: ", out);
		html_text(out, nc.ptr);
		fputs("</span>", out);
	}
	buf_free(&nc);
	fputs("</p>\n<div class=\"bar\" role=\"img\" aria-label=\"summary\">", out);
	for (i = 0; i < 4; i++) {
		n = r->n_by_result[order[i]];
		if (n > 0)
			fprintf(out, "<span class=\"%s\" style=\"flex:%zu\">%zu</span>",
			    result_class(order[i]), n, n);
	}
	fputs("</div>\n<ul class=\"counts\">\n", out);
	for (i = 0; i < 4; i++) {
		fprintf(out, "<li class=\"count\" data-result=\"%s\">",
		    result_name(order[i]));
		fprintf(out, "<span class=\"%s\">", result_class(order[i]));
		html_icon(out, result_class(order[i]));
		fprintf(out, "<b>%zu</b> %s</span></li>\n",
		    r->n_by_result[order[i]], fleet_result_word(order[i]));
	}
	fputs("</ul>\n</section>\n", out);
}

/* ---- the subjects ---- */

static const char *
finding_shape(const struct fleet_finding *f, const char **word)
{
	if (f->status == STATUS_PASS) {
		*word = "pass";
		return "pass";
	}
	if (f->status == STATUS_SKIP) {
		*word = f->not_checked ? "not checked" : "skipped";
		return "error";
	}
	if (f->severity == SEV_ERROR) {
		*word = "fail";
		return "fail";
	}
	*word = f->severity == SEV_WARNING ? "warning" : "notice";
	return "warn";
}

static void
finding_row(FILE *out, const struct fleet_finding *f)
{
	const char *word, *shape = finding_shape(f, &word);

	fprintf(out, "<tr class=\"finding\" data-rule=\"%s\" "
	    "data-status=\"%s\"><td class=\"badge %s\">", f->rule->id,
	    status_name(f->status), shape);
	html_icon(out, shape);
	fprintf(out, "%s</td><td><code>%s</code></td><td>", word, f->rule->id);
	html_text(out, f->message);
	if (f->status == STATUS_FAIL) {
		fputs("<br><span class=\"fix\">fix: ", out);
		html_text(out, f->fix != NULL ? f->fix : f->rule->fix);
		fputs("</span>", out);
	}
	fputs("</td></tr>\n", out);
}

static void
findings(FILE *out, const struct fleet_subject *fs)
{
	size_t i, rest = 0;

	fputs("<table class=\"findings\"><thead><tr><th>Result</th>"
	    "<th>Rule</th><th>Finding and fix</th></tr></thead><tbody>\n", out);
	for (i = 0; i < fs->n_findings; i++)
		if (fs->findings[i].status == STATUS_FAIL ||
		    fs->findings[i].not_checked)
			finding_row(out, &fs->findings[i]);
		else
			rest++;
	fputs("</tbody></table>\n", out);
	if (rest == 0)
		return;
	fprintf(out, "<details class=\"passed\"><summary>%zu passed or "
	    "skipped</summary><table class=\"findings\"><tbody>\n", rest);
	for (i = 0; i < fs->n_findings; i++)
		if (!(fs->findings[i].status == STATUS_FAIL ||
		    fs->findings[i].not_checked))
			finding_row(out, &fs->findings[i]);
	fputs("</tbody></table></details>\n", out);
}

static void
fact(FILE *out, const char *term, const char *value)
{
	fprintf(out, "<dt>%s</dt><dd>", term);
	html_text(out, value);
	fputs("</dd>", out);
}

static void
probe_facts_html(FILE *out, const struct fleet_probe *p)
{
	int i;
	bool first = true;

	fputs("<dt>TLS</dt><dd>", out);
	if (p->tls12)
		html_text(out, p->tls_version != NULL ? p->tls_version :
		    "TLSv1.2");
	else if (p->handshake_tried) {
		fputs("no TLS 1.2 handshake: ", out);
		html_text(out, p->tls_error != NULL ? p->tls_error : "refused");
	} else
		fputs("not tried", out);
	fputs("</dd><dt>Suites</dt><dd>", out);
	for (i = 0; i < SUITE__MAX; i++) {
		if (p->suites[i] == SUITE_NOT_TRIED)
			continue;
		fprintf(out, "%s<code>%s</code> %s", first ? "" : ", ",
		    suite_openssl_name((enum suite)i),
		    p->suites[i] == SUITE_ACCEPTED ? "accepted" : "rejected");
		first = false;
	}
	if (first)
		fputs("none tried", out);
	fputs("</dd>", out);
	if (p->dns_a_count >= 0)
		fprintf(out, "<dt>DNS</dt><dd>%d A, %d AAAA</dd>",
		    p->dns_a_count, p->dns_aaaa_count > 0 ? p->dns_aaaa_count : 0);
	if (p->sip_code >= 0)
		fact(out, "SIP OPTIONS", p->sip_status != NULL ? p->sip_status :
		    "no answer");
}

static void
subject_detail(FILE *out, const struct fleet_subject *fs)
{
	char when[32];
	size_t i;

	fprintf(out, "<tr class=\"detail\"><td></td><td colspan=\"5\">"
	    "<details class=\"subject-detail\"%s><summary>", fs->result ==
	    RESULT_FAIL || fs->result == RESULT_ERROR ? " open" : "");
	if (fs->error != NULL)
		fputs("why it could not be evaluated", out);
	else
		fprintf(out, "%zu failed, %zu warning%s &mdash; findings and "
		    "fixes", fs->n_fail, fs->n_warn, fs->n_warn == 1 ? "" : "s");
	fputs("</summary>\n<dl class=\"facts\">", out);
	if (fs->error != NULL)
		fact(out, "Error", fs->error);
	if (fs->not_checked != NULL)
		fact(out, "Not checked", fs->not_checked);
	if (fs->address != NULL) {
		fputs("<dt>Address</dt><dd>", out);
		html_text(out, fs->address);
		fprintf(out, " port %d</dd>", fs->port);
	}
	for (i = 0; i < fs->n_certs; i++) {
		time_format(fs->certs[i].not_after, when, sizeof(when));
		fprintf(out, "<dt>%s</dt><dd>", fleet_role_name(fs->certs[i].role));
		html_text(out, fs->certs[i].subject);
		fprintf(out, " <span class=\"muted\">expires %s</span></dd>",
		    when);
	}
	if (fs->leaf_key != NULL)
		fact(out, "Leaf key", fs->leaf_key);
	if (fs->n_san > 0) {
		fputs("<dt>SAN dNSNames</dt><dd class=\"san\">", out);
		for (i = 0; i < fs->n_san; i++) {
			fputs(i == 0 ? "" : ", ", out);
			html_text(out, fs->san[i]);
		}
		fputs("</dd>", out);
	}
	if (fs->has_probe)
		probe_facts_html(out, &fs->probe);
	for (i = 0; fs->has_client && i < fs->client.n_lines; i++)
		fact(out, fs->client.label[i], fs->client.text[i]);
	fputs("</dl>\n", out);
	if (fs->n_findings > 0)
		findings(out, fs);
	fputs("</details></td></tr>\n", out);
}

static void
subject_row(FILE *out, const struct fleet_subject *fs, size_t rank)
{
	const struct fleet_cert *c = fs->has_expiry ? &fs->certs[fs->soonest] :
	    NULL;
	char when[32];

	fprintf(out, "<tr class=\"subject\" id=\"s%zu\" data-result=\"%s\" "
	    "data-days=\"", rank, result_name(fs->result));
	if (c != NULL)
		fprintf(out, "%ld", c->days_left);
	fputs("\" data-name=\"", out);
	html_text(out, fs->name);
	fputs("\"><td>", out);
	badge(out, fs->result);
	fputs("</td><td class=\"name\"><b>", out);
	html_text(out, fs->name);
	fputs("</b>", out);
	if (fs->address != NULL && strstr(fs->name, fs->address) == NULL) {
		fputs("<br><span class=\"muted mono\">", out);
		html_text(out, fs->address);
		fputs("</span>", out);
	}
	fputs("</td><td class=\"fqdn\">", out);
	html_text(out, fs->fqdn != NULL ? fs->fqdn : "");
	fputs("</td><td class=\"expires\">", out);
	if (c != NULL) {
		time_format(c->not_after, when, sizeof(when));
		when[10] = '\0';
		fprintf(out, "%s <span class=\"muted\">%s</span>", when,
		    fleet_role_name(c->role));
	}
	fputs("</td><td class=\"num days\">", out);
	if (c != NULL && c->days_left < 0)
		fputs("expired", out);
	else if (c != NULL)
		fprintf(out, "%ld", c->days_left);
	fputs("</td><td class=\"ca\">", out);
	if (fs->brand != NULL) {
		html_text(out, fs->brand);
		fputs("<br><span class=\"muted\">issued by ", out);
		html_text(out, fs->issuer_org != NULL ? fs->issuer_org :
		    fs->issuer);
		fputs("</span>", out);
	} else if (fs->n_certs > 0)
		fputs("<span class=\"fail\">no accepted root reached</span>", out);
	fputs("</td></tr>\n", out);
	subject_detail(out, fs);
}

static void
subjects(struct report *r, const struct fleet *fl)
{
	FILE *out = r->out;
	size_t i;

	fputs("<section id=\"subjects\">\n<h2>Subjects, most urgent first</h2>\n"
	    "<table class=\"subjects\"><thead><tr><th>Verdict</th>"
	    "<th>Subject</th><th>FQDN</th><th>Expires first</th>"
	    "<th>Days left</th><th>CA (issuing CA)</th></tr></thead>\n<tbody>\n",
	    out);
	for (i = 0; i < fl->n; i++)
		subject_row(out, &fl->s[i], i + 1);
	fputs("</tbody></table>\n</section>\n", out);
}

static void
skipped(struct report *r, const struct fleet *fl)
{
	size_t i;

	if (fl->n_skipped == 0)
		return;
	fputs("<section id=\"skipped\">\n<h2>Skipped</h2>\n<ul>\n", r->out);
	for (i = 0; i < fl->n_skipped; i++) {
		fputs("<li class=\"skipped\"><b>", r->out);
		html_text(r->out, fl->skipped[i]);
		fputs("</b>: ", r->out);
		html_text(r->out, fl->skipped_why[i]);
		fputs("</li>\n", r->out);
	}
	fputs("</ul>\n</section>\n", r->out);
}

static void
html_end(struct report *r)
{
	struct fleet *fl = fleet_take(r);

	page_head(r);
	fputs("<main>\n", r->out);
	summary(r);
	html_timeline(r, fl);
	subjects(r, fl);
	skipped(r, fl);
	fputs("</main>\n<footer class=\"muted\"><p>Rules and fixes: "
	    "<code>bwcertcheck rules</code>, <code>man bwcertcheck</code>."
	    "</p></footer>\n</body>\n</html>\n", r->out);
	fleet_free(fl);
	free(fl);
}

const struct report_format report_html = {
	.name = "html",
	.begin = fleet_report_begin,
	.subject = fleet_report_subject,
	.end = html_end,
	.skip = fleet_report_skip,
};

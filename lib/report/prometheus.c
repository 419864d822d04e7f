/*
 * report_prometheus.c - metrics for node_exporter's textfile collector.
 *
 * Every sample of one metric family must come together, after its
 * HELP and TYPE lines, but subjects arrive one at a time: so each
 * family's lines are buffered (a few lines per subject and rule) and
 * all are written at end(), family after family.  Families without
 * samples (the probe's, after a lint) are left out.
 *
 * Labels: subject (file name(s) or HOST:PORT) and, for probed subjects,
 * address; a subject whose labels repeat an earlier one's gets " #2",
 * " #3"... appended, since node_exporter refuses a file with duplicate
 * series.  Certificates add position (input index, or "anchor" for a
 * root taken from the trust store) and cn.  No timestamps: the textfile
 * collector refuses them.  Time is in seconds, the base unit promtool
 * insists on: "days left" is bwcertcheck_expires_in_seconds / 86400.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/strmap.h"
#include "report/report.h"
#include "report/clean.h"
#include "rules/rules.h"

enum prom_family {
	PROM_INFO,
	PROM_RUN_RESULT,
	PROM_LAST_RUN,
	PROM_SKIPPED,
	PROM_SUBJECT_RESULT,
	PROM_NOT_AFTER,
	PROM_EXPIRES_IN,
	PROM_RULE_FAILED,
	PROM_NOT_CHECKED,
	PROM_ANCHOR,
	PROM_PROBE_SUCCESS,
	PROM_HANDSHAKE,
	PROM_SUITE_ACCEPTED,
	PROM_TLS_VERSION,
	PROM_OTHER_SUITES,
	PROM_OCSP_STAPLED,
	PROM_PROBE_DURATION,
	PROM__MAX
};

static const struct {
	const char *name;
	const char *help;
} prom_families[PROM__MAX] = {
	[PROM_INFO] = { "bwcertcheck_info",
	    "bwcertcheck version, command and the policy applied (always 1)" },
	[PROM_RUN_RESULT] = { "bwcertcheck_run_result",
	    "Worst result of the run: 0 compliant, 1 warnings, "
	    "2 not compliant, 3 could not evaluate" },
	[PROM_SKIPPED] = { "bwcertcheck_inputs_skipped",
	    "Files passed over as holding nothing to judge (a key alone, CA "
	    "certificates only, not a certificate)" },
	[PROM_LAST_RUN] = { "bwcertcheck_last_run_timestamp_seconds",
	    "The instant the run evaluated at (the clock, or --at)" },
	[PROM_SUBJECT_RESULT] = { "bwcertcheck_subject_result",
	    "Result per subject: 0 compliant, 1 warnings, 2 not compliant, "
	    "3 could not evaluate" },
	[PROM_NOT_AFTER] = { "bwcertcheck_not_after_timestamp_seconds",
	    "Expiry (notAfter) of each certificate of the chain, as a "
	    "Unix time" },
	[PROM_EXPIRES_IN] = { "bwcertcheck_expires_in_seconds",
	    "Time from the run to each certificate's expiry (negative when "
	    "expired); divide by 86400 for days" },
	[PROM_RULE_FAILED] = { "bwcertcheck_rule_failed",
	    "1 if the rule failed, 0 if it passed (skipped rules are "
	    "absent)" },
	[PROM_NOT_CHECKED] = { "bwcertcheck_rule_not_checked",
	    "1 for an error-severity rule skipped for want of input (no "
	    "--fqdn, no DNS look-up, no chain): the result does not cover it" },
	[PROM_ANCHOR] = { "bwcertcheck_anchor_info",
	    "The root the chain reached, its brand and the organisation of "
	    "the CA that issued the leaf (always 1)" },
	[PROM_PROBE_SUCCESS] = { "bwcertcheck_probe_success",
	    "1 if a TLS 1.2 handshake with the address completed (without "
	    "labels: with every address of the target probed)" },
	[PROM_HANDSHAKE] = { "bwcertcheck_handshake_seconds",
	    "Duration of the fastest completed TLS handshake" },
	[PROM_SUITE_ACCEPTED] = { "bwcertcheck_suite_accepted",
	    "1 if the server accepted the cipher suite, 0 if it refused it" },
	[PROM_TLS_VERSION] = { "bwcertcheck_tls_version_enabled",
	    "1 if the server completes a handshake offering only this TLS "
	    "version beside 1.2, 0 if it refuses (absent: not determined)" },
	[PROM_OTHER_SUITES] = { "bwcertcheck_other_suites_accepted",
	    "TLS 1.2 suites beyond the allowed ones the server accepts (at "
	    "least this many when the list could not be completed)" },
	[PROM_OCSP_STAPLED] = { "bwcertcheck_ocsp_stapled",
	    "1 if the server staples an OCSP response in a TLS 1.2 "
	    "handshake, 0 if not" },
	[PROM_PROBE_DURATION] = { "bwcertcheck_probe_duration_seconds",
	    "How long probing and judging the target took" },
};

struct prom_state {
	struct buf fam[PROM__MAX];
	struct strmap *used;	/* subject labels used so far (value 1) */
	struct strmap *next;	/* per name: the last " #k" tried */
	bool some_failed;	/* a subject without a TLS 1.2 handshake */
};

/* Append 'name="value"' to a label list, comma-separated; value cleaned. */
static void
label(struct buf *b, const char *name, const char *value)
{
	char *v = report_clean(value);

	if (b->len > 0)
		buf_addc(b, ',');
	buf_addf(b, "%s=\"", name);
	esc_prom_label(b, v);
	buf_addc(b, '"');
	free(v);
}

/* One sample: NAME{subject labels[,extra]} VALUE */
static void
sample(struct prom_state *st, enum prom_family fam, const char *labels,
    const struct buf *extra, const char *value)
{
	struct buf *b = &st->fam[fam];

	buf_adds(b, prom_families[fam].name);
	buf_addc(b, '{');
	buf_adds(b, labels);
	if (extra != NULL && extra->len > 0) {
		buf_addc(b, ',');
		buf_add(b, extra->ptr, extra->len);
	}
	buf_addf(b, "} %s\n", value);
}

static void
prom_begin(struct report *r)
{
	r->state = xcalloc(1, sizeof(struct prom_state));
}

/* The subject's own labels, made unique within the run.  Caller frees. */
static char *
subject_labels(struct prom_state *st, const struct subject *s)
{
	struct buf b = { 0 };
	char *name = report_clean(s->name), *key, *unique;
	const char *addr = s->kind == SUBJECT_HOST ? s->address : NULL;
	size_t *dup, *taken;

	/*
	 * Each name keeps the last suffix it tried, and each label set is
	 * looked up in a hash map: linear over any number of repeats, even
	 * when a subject's own name looks like another's "NAME #2".
	 */
	if (st->used == NULL) {
		st->used = strmap_new();
		st->next = strmap_new();
	}
	key = xasprintf("%s\n%s", name, addr != NULL ? addr : "");
	dup = strmap_get(st->next, key);
	free(key);
	for (;;) {
		size_t k = ++*dup;

		unique = k == 1 ? xstrdup(name) : xasprintf("%s #%zu", name, k);
		key = xasprintf("%s\n%s", unique, addr != NULL ? addr : "");
		taken = strmap_get(st->used, key);
		free(key);
		if (*taken == 0) {
			*taken = 1;
			break;
		}
		free(unique);
		/* dup points into st->next, which the loop leaves alone. */
	}

	label(&b, "subject", unique);
	if (addr != NULL)
		label(&b, "address", addr);
	free(unique);
	free(name);
	return buf_steal(&b);
}

struct cert_ctx {
	struct prom_state *st;
	const char *labels;
	time_t now;
	bool seen[CHAIN_MAX_CERTS + 1];	/* positions written; last: anchor */
};

static void
cert_metrics(const struct cert_facts *f, int idx, void *arg)
{
	struct cert_ctx *c = arg;
	struct buf extra = { 0 };
	char pos[16], val[32], *cn;
	size_t slot = idx < 0 ? CHAIN_MAX_CERTS : (size_t)idx;

	if (!f->times_valid || slot > CHAIN_MAX_CERTS || c->seen[slot])
		return;
	c->seen[slot] = true;
	if (idx < 0)
		snprintf(pos, sizeof(pos), "anchor");
	else
		snprintf(pos, sizeof(pos), "%d", idx);
	cn = esc_printable(f->subject_cn.ptr, f->subject_cn.len);
	label(&extra, "position", pos);
	label(&extra, "cn", cn);

	snprintf(val, sizeof(val), "%lld", (long long)f->not_after);
	sample(c->st, PROM_NOT_AFTER, c->labels, &extra, val);
	snprintf(val, sizeof(val), "%lld", (long long)f->not_after -
	    (long long)c->now);
	sample(c->st, PROM_EXPIRES_IN, c->labels, &extra, val);
	buf_free(&extra);
	free(cn);
}

/* Make extra the one label name="value". */
static void
one_label(struct buf *extra, const char *name, const char *value)
{
	extra->len = 0;
	label(extra, name, value);
}

static void
probe_metrics(struct prom_state *st, const char *labels,
    const struct subject *s)
{
	struct buf extra = { 0 };
	bool ok = s->has_probe && s->probe.tls12;
	char val[32];

	sample(st, PROM_PROBE_SUCCESS, labels, NULL, ok ? "1" : "0");
	if (!ok || s->result == RESULT_ERROR)
		st->some_failed = true;
	if (!s->has_probe)
		return;
	if (ok) {
		snprintf(val, sizeof(val), "%.6f",
		    s->probe.handshake_ms / 1000.0);
		sample(st, PROM_HANDSHAKE, labels, NULL, val);
	}
	for (int i = 0; i < SUITE__MAX; i++) {
		enum suite_state state = s->probe.suites[i].state;

		if (state == SUITE_NOT_TRIED)
			continue;
		one_label(&extra, "suite", suite_openssl_name((enum suite)i));
		sample(st, PROM_SUITE_ACCEPTED, labels, &extra,
		    state == SUITE_ACCEPTED ? "1" : "0");
	}
	for (int v = 0; s->probe.inv_tried && v < TLSO__MAX; v++) {
		if (s->probe.inv_version[v] < 0)
			continue;
		one_label(&extra, "version", tls_other_key((enum tls_other)v));
		sample(st, PROM_TLS_VERSION, labels, &extra,
		    s->probe.inv_version[v] == 1 ? "1" : "0");
	}
	if (s->probe.inv_tried) {
		snprintf(val, sizeof(val), "%zu", s->probe.n_inv_suites);
		sample(st, PROM_OTHER_SUITES, labels, NULL, val);
	}
	if (s->probe.ocsp_stapled >= 0)
		sample(st, PROM_OCSP_STAPLED, labels, NULL,
		    s->probe.ocsp_stapled == 1 ? "1" : "0");
	buf_free(&extra);
}

static void
prom_subject(struct report *r, const struct subject *s)
{
	struct prom_state *st = r->state;
	char *labels = subject_labels(st, s), val[16];
	struct buf extra = { 0 };

	snprintf(val, sizeof(val), "%d", result_exit_code(s->result));
	sample(st, PROM_SUBJECT_RESULT, labels, NULL, val);

	if (s->has_chain) {
		struct cert_ctx *c = xcalloc(1, sizeof(*c));

		c->st = st;
		c->labels = labels;
		c->now = r->now;
		chain_foreach(&s->chain, cert_metrics, c);
		free(c);
	}
	if (s->has_chain && s->chain.has_anchor) {
		const struct chain_facts *ch = &s->chain;

		one_label(&extra, "brand", ch->anchor_info != NULL ?
		    brand_name(ch->anchor_info->brand) : "custom");
		label(&extra, "root", ch->anchor.subject);
		label(&extra, "issuing_ca", chain_leaf(ch)->issuer_org != NULL ?
		    chain_leaf(ch)->issuer_org : "");
		sample(st, PROM_ANCHOR, labels, &extra, "1");
	}
	for (size_t i = 0; i < s->n_findings; i++) {
		const struct finding *f = &s->findings[i];

		if (f->not_checked) {
			one_label(&extra, "rule", f->rule->id);
			sample(st, PROM_NOT_CHECKED, labels, &extra, "1");
		}
		if (f->status == STATUS_SKIP)
			continue;
		one_label(&extra, "rule", f->rule->id);
		label(&extra, "severity", severity_name(f->severity));
		sample(st, PROM_RULE_FAILED, labels, &extra,
		    f->status == STATUS_FAIL ? "1" : "0");
	}
	if (s->kind == SUBJECT_HOST)
		probe_metrics(st, labels, s);
	buf_free(&extra);
	free(labels);
}

static void
prom_end(struct report *r)
{
	struct prom_state *st = r->state;
	struct buf extra = { 0 };
	char val[32];

	one_label(&extra, "version", BWC_VERSION);
	label(&extra, "command", report_command_name(r->command));
	label(&extra, "policy", r->policy->name);
	buf_adds(&st->fam[PROM_INFO], "bwcertcheck_info{");
	buf_add(&st->fam[PROM_INFO], extra.ptr, extra.len);
	buf_adds(&st->fam[PROM_INFO], "} 1\n");
	snprintf(val, sizeof(val), "%d", result_exit_code(r->worst));
	buf_addf(&st->fam[PROM_RUN_RESULT], "bwcertcheck_run_result %s\n",
	    val);
	buf_addf(&st->fam[PROM_LAST_RUN],
	    "bwcertcheck_last_run_timestamp_seconds %lld\n",
	    (long long)r->now);
	if (r->n_skipped > 0)
		buf_addf(&st->fam[PROM_SKIPPED], "bwcertcheck_inputs_skipped "
		    "%zu\n", r->n_skipped);

	for (int i = 0; i < PROM__MAX; i++) {
		if (st->fam[i].len == 0)
			continue;
		fprintf(r->out, "# HELP %s %s\n# TYPE %s gauge\n",
		    prom_families[i].name, prom_families[i].help,
		    prom_families[i].name);
		fwrite(st->fam[i].ptr, 1, st->fam[i].len, r->out);
		buf_free(&st->fam[i]);
	}
	buf_free(&extra);
	strmap_free(st->used);
	strmap_free(st->next);
	free(st);
	r->state = NULL;
}

bool
report_prometheus_probe_summary(struct report *r, double seconds)
{
	struct prom_state *st = r->state;
	bool success;

	if (r->fmt != &report_prometheus || st == NULL)
		return false;
	success = r->n_subjects > 0 && !st->some_failed;
	buf_addf(&st->fam[PROM_PROBE_SUCCESS], "%s %d\n",
	    prom_families[PROM_PROBE_SUCCESS].name, success ? 1 : 0);
	buf_addf(&st->fam[PROM_PROBE_DURATION], "%s %.6f\n",
	    prom_families[PROM_PROBE_DURATION].name, seconds);
	return success;
}

const struct report_format report_prometheus = {
	.name = "prometheus",
	.begin = prom_begin,
	.subject = prom_subject,
	.end = prom_end,
};

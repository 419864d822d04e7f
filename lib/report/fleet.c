/*
 * fleet.c - the whole run kept for the formats that lay it out at the
 * end (html, markdown).  See fleet.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/fqdn.h"
#include "core/timeutil.h"
#include "report/clean.h"
#include "report/fleet.h"
#include "report/report.h"
#include "rules/rules.h"

static char *
dup_clean(const char *s)
{
	return s != NULL ? report_clean(s) : NULL;
}

struct cert_walk {
	const struct chain_facts *chain;
	struct fleet_subject *fs;
	time_t now;
	size_t seen;
};

static void
add_cert(const struct cert_facts *f, int idx, void *arg)
{
	struct cert_walk *w = arg;
	struct fleet_subject *fs = w->fs;
	const struct chain_facts *c = w->chain;
	struct fleet_cert *fc;
	size_t pos = w->seen++;

	fs->certs = xreallocarray(fs->certs, fs->n_certs + 1,
	    sizeof(*fs->certs));
	fc = &fs->certs[fs->n_certs++];
	memset(fc, 0, sizeof(*fc));
	if (idx < 0 || (c->has_anchor && idx == c->anchor_input))
		fc->role = FLEET_ROOT;
	else if (c->path_len > 0 ? pos == 0 : (size_t)idx == c->leaf)
		fc->role = FLEET_LEAF;
	else if (f->self_signed && f->is_ca)
		fc->role = FLEET_ROOT;
	else
		fc->role = FLEET_INTERMEDIATE;
	fc->label = facts_label(f);
	fc->subject = dup_clean(f->subject);
	fc->not_after = f->not_after;
	fc->days_left = time_days_until(w->now, f->not_after);
	if (!f->times_valid)
		return;
	if (!fs->has_expiry || fc->days_left < fs->days_left) {
		fs->days_left = fc->days_left;
		fs->soonest = fs->n_certs - 1;
	}
	fs->has_expiry = true;
}

static void
add_chain(struct fleet_subject *fs, const struct chain_facts *c, time_t now)
{
	struct cert_walk w = { .chain = c, .fs = fs, .now = now };
	const struct cert_facts *leaf = chain_leaf(c);
	size_t i;

	chain_foreach(c, add_cert, &w);
	fs->leaf_key = xasprintf("%s-%d", key_type_name(leaf->key_type),
	    leaf->key_bits);
	fs->issuer = dup_clean(leaf->issuer);
	fs->issuer_org = dup_clean(leaf->issuer_org);
	if (c->status == CHAIN_VERIFIED) {
		fs->brand = xstrdup(c->anchor_info != NULL ?
		    brand_name(c->anchor_info->brand) : "--trust-store root");
		fs->root = c->anchor_info != NULL ?
		    dup_clean(c->anchor_info->name) : dup_clean(c->anchor.subject);
	}
	fs->san = xcalloc(leaf->n_san_dns + 1, sizeof(*fs->san));
	for (i = 0; i < leaf->n_san_dns; i++)
		fs->san[i] = esc_printable(leaf->san_dns[i].ptr,
		    leaf->san_dns[i].len);
	fs->n_san = leaf->n_san_dns;
}

static void
add_probe(struct fleet_probe *fp, const struct probe_facts *p)
{
	int i;

	fp->dns_a_count = p->dns_a_count;
	fp->dns_aaaa_count = p->dns_aaaa_count;
	fp->handshake_tried = p->handshake_tried;
	fp->tls12 = p->tls12;
	fp->tls_version = dup_clean(p->tls_version);
	fp->tls_error = dup_clean(p->tls12_error);
	fp->other_version = dup_clean(p->other_version);
	fp->preferred = dup_clean(p->tls12_cipher);
	for (i = 0; i < SUITE__MAX; i++)
		fp->suites[i] = p->suites[i].state;
	fp->sip_code = p->sip_code;
	fp->sip_status = dup_clean(p->sip_status_line);
	fp->servername = p->sni_sent ? dup_clean(p->servername) : NULL;
	fp->srv_name = dup_clean(p->srv_name);
	fp->srv_target = dup_clean(p->srv_target);
	fp->srv_priority = p->srv_priority;
	fp->srv_weight = p->srv_weight;
	fp->srv_port = p->srv_port;
}

/*
 * The expiry limits as the time rules apply them: days, or a share of
 * the leaf's lifetime, for every certificate of the chain.
 */
static void
add_limits(struct fleet_subject *fs, const struct subject *s,
    const struct policy *p)
{
	const struct cert_facts *leaf = NULL;
	time_t nb = 0, na = 0;

	if (s->has_chain && s->chain.n > 0)
		leaf = chain_leaf(&s->chain);
	if (leaf != NULL && leaf->times_valid) {
		nb = leaf->not_before;
		na = leaf->not_after;
	}
	fs->warn_limit = policy_limit_seconds(p->warn_days, p->warn_percent,
	    nb, na);
	fs->crit_limit = policy_limit_seconds(p->crit_days, p->crit_percent,
	    nb, na);
}

const char *
fleet_expiry_shape(const struct fleet_subject *fs, const struct fleet_cert *c,
    time_t now)
{
	time_t left = c->not_after - now;

	if (left < 0 || (fs->crit_limit > 0 && left < fs->crit_limit))
		return "fail";
	if (left < fs->warn_limit)
		return "warn";
	return "pass";
}

struct client_walk {
	struct fleet_client *fc;
	struct buf srtp;
};

static void
client_line(void *arg, const char *label, const char *text)
{
	struct client_walk *w = arg;
	struct fleet_client *fc = w->fc;

	fc->label = xreallocarray(fc->label, fc->n_lines + 1,
	    sizeof(*fc->label));
	fc->text = xreallocarray(fc->text, fc->n_lines + 1, sizeof(*fc->text));
	fc->label[fc->n_lines] = xstrdup(label);
	fc->text[fc->n_lines++] = report_clean(text);
	if (strcmp(label, "sip") == 0 && fc->sip == NULL)
		fc->sip = report_clean(text);
}

static void
add_client(struct fleet_client *fc, const struct client_facts *c)
{
	struct client_walk w = { .fc = fc };
	const struct sdp_media *m;
	struct buf b = { 0 };
	char tmp[8];
	size_t i, k;
	int st;

	report_client_lines(c, client_line, &w);
	if (c->hello.seen) {
		for (i = 0; i < c->hello.n_versions; i++)
			buf_addf(&b, "%s%s", i ? ", " : "",
			    client_version_name(c->hello.versions[i], tmp));
		fc->versions = report_clean(b.len > 0 ? b.ptr : "none");
		buf_free(&b);
		for (st = 0; st < SUITE__MAX; st++)
			for (i = 0; i < c->hello.n_suites; i++)
				if (strcmp(c->hello.suites[i],
				    suite_iana_name((enum suite)st)) == 0)
					fc->suites |= 1u << st;
		fc->n_suites = c->hello.n_suites;
		fc->sni = c->hello.sni != NULL ? report_clean(c->hello.sni) :
		    NULL;
	}
	fc->handshake = report_clean(c->hs.detail != NULL ? c->hs.detail :
	    client_hs_outcome_name(c->hs.outcome));
	fc->cert_asked = c->hs.client_cert_asked;
	fc->cert_sent = c->hs.client_cert_sent;
	for (i = 0; i < c->sdp.n_media; i++) {
		m = &c->sdp.media[i];
		buf_addf(&b, "%s%s %s", b.len ? "; " : "", m->media, m->proto);
		for (k = 0; k < m->n_crypto; k++)
			buf_addf(&b, "%s%s", k ? ", " : ": a=crypto ",
			    m->crypto[k].suite);
		if (m->n_crypto == 0)
			buf_adds(&b, ": no a=crypto");
	}
	if (b.len > 0)
		fc->srtp = report_clean(b.ptr);
	buf_free(&b);
}

void
fleet_add(struct fleet *fl, const struct subject *s,
    const struct policy *policy, time_t now)
{
	struct fleet_subject *fs;
	struct fleet_finding *ff;
	struct buf nc = { 0 };
	size_t i;

	fl->s = xreallocarray(fl->s, fl->n + 1, sizeof(*fl->s));
	fs = &fl->s[fl->n];
	memset(fs, 0, sizeof(*fs));
	fs->order = fl->n++;
	fl->sorted = false;
	fs->kind = s->kind;
	fs->name = dup_clean(s->name);
	fs->fqdn = dup_clean(s->fqdn);
	fs->address = dup_clean(s->address);
	fs->port = s->port;
	fs->result = s->result;
	fs->error = dup_clean(s->error);
	report_not_checked_text(s, &nc);
	if (nc.len > 0) {
		fs->not_checked = report_clean(nc.ptr);
	}
	buf_free(&nc);
	if (s->has_chain && s->chain.n > 0)
		add_chain(fs, &s->chain, now);
	add_limits(fs, s, policy);
	if (s->kind == SUBJECT_HOST && s->error == NULL) {
		fs->has_probe = true;
		add_probe(&fs->probe, &s->probe);
	}
	if (s->has_client) {
		fs->has_client = true;
		add_client(&fs->client, &s->client);
	}
	fs->findings = xcalloc(s->n_findings + 1, sizeof(*fs->findings));
	for (i = 0; i < s->n_findings; i++) {
		ff = &fs->findings[i];
		ff->rule = s->findings[i].rule;
		ff->status = s->findings[i].status;
		ff->severity = s->findings[i].severity;
		ff->not_checked = s->findings[i].not_checked;
		ff->message = dup_clean(s->findings[i].message);
		ff->fix = s->findings[i].fix != NULL ?
		    dup_clean(s->findings[i].fix) : NULL;
		if (ff->status != STATUS_FAIL)
			continue;
		if (ff->severity == SEV_ERROR)
			fs->n_fail++;
		else if (ff->severity == SEV_WARNING)
			fs->n_warn++;
	}
	fs->n_findings = s->n_findings;
}

static int
urgency_rank(enum result r)
{
	switch (r) {
	case RESULT_FAIL:
		return 0;
	case RESULT_ERROR:
		return 1;
	default:
		return 2;
	}
}

static int
urgency_cmp(const void *pa, const void *pb)
{
	const struct fleet_subject *a = pa, *b = pb;
	int ra = urgency_rank(a->result), rb = urgency_rank(b->result);

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->has_expiry != b->has_expiry)
		return a->has_expiry ? 1 : -1;
	if (a->has_expiry && a->days_left != b->days_left)
		return a->days_left < b->days_left ? -1 : 1;
	if (a->result != b->result)
		return a->result == RESULT_WARN ? -1 : b->result == RESULT_WARN;
	return a->order < b->order ? -1 : a->order > b->order;
}

void
fleet_sort(struct fleet *fl)
{
	if (!fl->sorted && fl->n > 1)
		qsort(fl->s, fl->n, sizeof(*fl->s), urgency_cmp);
	fl->sorted = true;
}

void
fleet_free(struct fleet *fl)
{
	struct fleet_subject *fs;
	size_t i, j;

	for (i = 0; i < fl->n; i++) {
		fs = &fl->s[i];
		free(fs->name);
		free(fs->fqdn);
		free(fs->address);
		free(fs->error);
		free(fs->not_checked);
		for (j = 0; j < fs->n_certs; j++) {
			free(fs->certs[j].label);
			free(fs->certs[j].subject);
		}
		free(fs->certs);
		free(fs->leaf_key);
		free(fs->issuer);
		free(fs->issuer_org);
		free(fs->brand);
		free(fs->root);
		for (j = 0; j < fs->n_san; j++)
			free(fs->san[j]);
		free(fs->san);
		free(fs->probe.tls_version);
		free(fs->probe.tls_error);
		free(fs->probe.other_version);
		free(fs->probe.preferred);
		free(fs->probe.sip_status);
		free(fs->probe.servername);
		free(fs->probe.srv_name);
		free(fs->probe.srv_target);
		for (j = 0; j < fs->n_findings; j++) {
			free(fs->findings[j].message);
			free(fs->findings[j].fix);
		}
		free(fs->findings);
		for (j = 0; j < fs->client.n_lines; j++) {
			free(fs->client.label[j]);
			free(fs->client.text[j]);
		}
		free(fs->client.label);
		free(fs->client.text);
		free(fs->client.versions);
		free(fs->client.sni);
		free(fs->client.handshake);
		free(fs->client.sip);
		free(fs->client.srtp);
	}
	free(fl->s);
	for (i = 0; i < fl->n_skipped; i++) {
		free(fl->skipped[i]);
		free(fl->skipped_why[i]);
	}
	free(fl->skipped);
	free(fl->skipped_why);
	memset(fl, 0, sizeof(*fl));
}

const char *
fleet_role_name(enum fleet_cert_role role)
{
	switch (role) {
	case FLEET_LEAF:
		return "leaf";
	case FLEET_INTERMEDIATE:
		return "intermediate";
	default:
		return "root";
	}
}

const char *
fleet_result_word(enum result r)
{
	switch (r) {
	case RESULT_PASS:
		return "compliant";
	case RESULT_WARN:
		return "warnings";
	case RESULT_FAIL:
		return "not compliant";
	default:
		return "not evaluated";
	}
}

const char *
fleet_wildcard(const struct fleet_subject *fs)
{
	size_t i;

	if (fs->fqdn == NULL)
		return NULL;
	for (i = 0; i < fs->n_san; i++)
		if (strncmp(fs->san[i], "*.", 2) == 0 &&
		    fqdn_match((const unsigned char *)fs->san[i],
		    strlen(fs->san[i]), fs->fqdn, true) == FQDN_WILDCARD)
			return fs->san[i];
	return NULL;
}

void
fleet_report_begin(struct report *r)
{
	r->state = xcalloc(1, sizeof(struct fleet));
}

void
fleet_report_subject(struct report *r, const struct subject *s)
{
	fleet_add(r->state, s, r->policy, r->now);
}

void
fleet_report_skip(struct report *r, const char *name, const char *why)
{
	struct fleet *fl = r->state;

	fl->skipped = xreallocarray(fl->skipped, fl->n_skipped + 1,
	    sizeof(*fl->skipped));
	fl->skipped_why = xreallocarray(fl->skipped_why, fl->n_skipped + 1,
	    sizeof(*fl->skipped_why));
	fl->skipped[fl->n_skipped] = report_clean(name);
	fl->skipped_why[fl->n_skipped++] = report_clean(why);
}

struct fleet *
fleet_take(struct report *r)
{
	struct fleet *fl = r->state;

	r->state = NULL;
	fleet_sort(fl);
	return fl;
}

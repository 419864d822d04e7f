/*
 * report_json.c - one JSON document (schema 1, DESIGN.md), streamed.
 *
 * begin() writes the document's head and opens "subjects"; each subject
 * is built with jansson, written and freed at once, so memory stays flat
 * over any number of chains; end() writes the overall result.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "rules/rules.h"
#include "core/esc.h"
#include "report/clean.h"
#include "report/report.h"
#include "core/timeutil.h"

static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s != NULL ? s : "");

	/* Only invalid UTF-8 makes jansson refuse; our strings are escaped. */
	if (j == NULL) {
		char *e = esc_printable_str(s);

		j = json_string(e);
		free(e);
	}
	if (j == NULL)
		fatal_oom();
	return j;
}

static json_t *
jtime(time_t t)
{
	char buf[32];

	time_format(t, buf, sizeof(buf));
	return jstr(buf);
}

static json_t *
cert_json(const struct cert_facts *f, int position)
{
	json_t *o = json_object(), *key = json_object(), *sans = json_array();
	size_t i;
	char *s;

	if (position >= 0)
		json_object_set_new(o, "position", json_integer(position));
	json_object_set_new(o, "subject", jstr(f->subject));
	json_object_set_new(o, "issuer", jstr(f->issuer));
	json_object_set_new(o, "serial", jstr(f->serial_hex));
	json_object_set_new(o, "not_before", jtime(f->not_before));
	json_object_set_new(o, "not_after", jtime(f->not_after));
	json_object_set_new(key, "type", jstr(key_type_name(f->key_type)));
	json_object_set_new(key, "bits", json_integer(f->key_bits));
	if (f->key_curve != NULL)
		json_object_set_new(key, "curve", jstr(f->key_curve));
	json_object_set_new(o, "key", key);
	json_object_set_new(o, "signature", jstr(f->sig_alg));
	json_object_set_new(o, "sha256", jstr(f->sha256_hex));
	for (i = 0; i < f->n_san_dns; i++) {
		s = esc_printable(f->san_dns[i].ptr, f->san_dns[i].len);
		json_array_append_new(sans, jstr(s));
		free(s);
	}
	json_object_set_new(o, "san_dns", sans);
	json_object_set_new(o, "ca", json_boolean(f->is_ca));
	json_object_set_new(o, "self_signed", json_boolean(f->self_signed));
	return o;
}

/*
 * tls-inventory's facts: each other version true (enabled), false
 * (refused) or null (not determined); the other TLS 1.2 suites found,
 * and whether that list is complete.
 */
static json_t *
inventory_json(const struct probe_facts *p)
{
	json_t *o = json_object(), *v = json_object(), *s = json_array();
	size_t k;
	int i;

	for (i = 0; i < TLSO__MAX; i++)
		json_object_set_new(v, tls_other_key((enum tls_other)i),
		    p->inv_version[i] < 0 ? json_null() :
		    json_boolean(p->inv_version[i] == 1));
	for (k = 0; k < p->n_inv_suites; k++)
		json_array_append_new(s, jstr(p->inv_suites[k]));
	json_object_set_new(o, "versions", v);
	json_object_set_new(o, "other_suites", s);
	json_object_set_new(o, "other_suites_complete",
	    json_boolean(p->inv_suites_complete));
	return o;
}

static json_t *
probe_json(const struct probe_facts *p)
{
	json_t *o = json_object(), *ciphers = json_object(),
	    *detail = json_object(), *d;
	const struct suite_result *sr;
	int i;

	json_object_set_new(o, "tls_version", p->tls_version ?
	    jstr(p->tls_version) : json_null());
	json_object_set_new(o, "handshake_tried", json_boolean(p->handshake_tried));
	if (p->tls12_cipher != NULL)
		json_object_set_new(o, "preferred_cipher", jstr(p->tls12_cipher));
	if (!p->tls12 && p->tls12_error != NULL)
		json_object_set_new(o, "error", jstr(p->tls12_error));
	if (!p->tls12 && p->other_version != NULL)
		json_object_set_new(o, "other_version", jstr(p->other_version));
	for (i = 0; i < SUITE__MAX; i++) {
		sr = &p->suites[i];
		if (sr->state == SUITE_NOT_TRIED)
			continue;
		json_object_set_new(ciphers, suite_openssl_name((enum suite)i),
		    jstr(sr->state == SUITE_ACCEPTED ? "accepted" : "rejected"));
		d = json_object();
		json_object_set_new(d, "iana", jstr(suite_iana_name((enum suite)i)));
		json_object_set_new(d, "result", jstr(sr->state == SUITE_ACCEPTED ?
		    "accepted" : "rejected"));
		json_object_set_new(d, "handshake_ms", json_real(sr->ms));
		if (sr->reason != NULL)
			json_object_set_new(d, "reason", jstr(sr->reason));
		json_object_set_new(detail, suite_openssl_name((enum suite)i), d);
	}
	json_object_set_new(o, "ciphers", ciphers);
	json_object_set_new(o, "suites", detail);
	json_object_set_new(o, "handshake_ms", json_real(p->handshake_ms));
	if (p->sni_sent && p->servername != NULL)
		json_object_set_new(o, "servername", jstr(p->servername));
	if (p->sni_same >= 0)
		json_object_set_new(o, "same_chain_without_sni",
		    json_boolean(p->sni_same == 1));
	if (p->dns_a_count >= 0) {
		json_object_set_new(o, "dns_a_records", json_integer(p->dns_a_count));
		json_object_set_new(o, "dns_aaaa_records",
		    json_integer(p->dns_aaaa_count > 0 ? p->dns_aaaa_count : 0));
	}
	if (p->dns_error != NULL)
		json_object_set_new(o, "dns_error", jstr(p->dns_error));
	if (p->sni_detail != NULL)
		json_object_set_new(o, "sni_detail", jstr(p->sni_detail));
	if (p->saved_chain != NULL)
		json_object_set_new(o, "saved_chain", jstr(p->saved_chain));
	if (p->inv_tried)
		json_object_set_new(o, "inventory", inventory_json(p));
	json_object_set_new(o, "ocsp_stapling", p->ocsp_stapled < 0 ?
	    json_null() : json_boolean(p->ocsp_stapled == 1));
	if (p->ocsp_stapled == 1 && p->ocsp_status != NULL)
		json_object_set_new(o, "ocsp_response_status",
		    jstr(p->ocsp_status));
	if (p->srv_name != NULL) {
		json_t *srv = json_object();

		json_object_set_new(srv, "name", jstr(p->srv_name));
		json_object_set_new(srv, "priority", json_integer(p->srv_priority));
		json_object_set_new(srv, "weight", json_integer(p->srv_weight));
		json_object_set_new(srv, "port", json_integer(p->srv_port));
		json_object_set_new(srv, "target", jstr(p->srv_target));
		json_object_set_new(o, "srv", srv);
	}
	if (p->sip_code >= 0) {
		json_object_set_new(o, "sip_status", json_integer(p->sip_code));
		if (p->sip_status_line != NULL)
			json_object_set_new(o, "sip_status_line",
			    jstr(p->sip_status_line));
		if (p->sip_error != NULL)
			json_object_set_new(o, "sip_error", jstr(p->sip_error));
	}
	return o;
}

static json_t *
str_array(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

static json_t *
jstr_or_null(const char *s)
{
	return s != NULL ? jstr(s) : json_null();
}

/* listen: what the client offered, how the handshake ended, SIP, SDP. */
static void
client_json(json_t *o, const struct client_facts *c)
{
	json_t *hello = json_object(), *hs = json_object(),
	    *sip = json_object(), *sdp = json_object(), *v, *media, *m, *cr, *x;
	const struct sdp_media *sm;
	char tmp[8];
	size_t i, k;

	json_object_set_new(hello, "received", json_boolean(c->hello.seen));
	if (c->hello.not_tls != NULL)
		json_object_set_new(hello, "not_tls", jstr(c->hello.not_tls));
	if (c->hello.seen) {
		v = json_array();
		for (i = 0; i < c->hello.n_versions; i++)
			json_array_append_new(v, jstr(client_version_name(
			    c->hello.versions[i], tmp)));
		json_object_set_new(hello, "versions", v);
		json_object_set_new(hello, "supported_versions_extension",
		    json_boolean(c->hello.has_supported_versions));
		json_object_set_new(hello, "suites", str_array(c->hello.suites,
		    c->hello.n_suites));
		json_object_set_new(hello, "sni", jstr_or_null(c->hello.sni));
		json_object_set_new(hello, "signature_algorithms",
		    str_array(c->hello.sigalgs, c->hello.n_sigalgs));
	}
	json_object_set_new(o, "client_hello", hello);

	json_object_set_new(hs, "outcome",
	    jstr(client_hs_outcome_name(c->hs.outcome)));
	json_object_set_new(hs, "detail", jstr_or_null(c->hs.detail));
	json_object_set_new(hs, "throwaway_certificate",
	    json_boolean(c->hs.throwaway));
	json_object_set_new(hs, "certificate_sent",
	    json_boolean(c->hs.cert_sent));
	json_object_set_new(hs, "client_alert", c->hs.client_alert >= 0 ?
	    jstr_or_null(client_alert_name(c->hs.client_alert)) : json_null());
	json_object_set_new(hs, "server_alert", c->hs.server_alert >= 0 ?
	    jstr_or_null(client_alert_name(c->hs.server_alert)) : json_null());
	json_object_set_new(hs, "tls_version", jstr_or_null(c->hs.version));
	json_object_set_new(hs, "cipher", jstr_or_null(c->hs.cipher));
	json_object_set_new(hs, "handshake_ms", json_real(c->hs.ms));
	json_object_set_new(hs, "client_certificate_requested",
	    json_boolean(c->hs.client_cert_asked));
	json_object_set_new(hs, "client_certificate_sent",
	    json_boolean(c->hs.client_cert_sent));
	json_object_set_new(o, "handshake", hs);

	json_object_set_new(sip, "state", jstr(client_sip_state_name(
	    c->sip.state)));
	json_object_set_new(sip, "request_line",
	    jstr_or_null(c->sip.request_line));
	json_object_set_new(sip, "method", jstr_or_null(c->sip.method));
	json_object_set_new(sip, "user_agent", jstr_or_null(c->sip.user_agent));
	json_object_set_new(sip, "content_type",
	    jstr_or_null(c->sip.content_type));
	json_object_set_new(sip, "content_length", c->sip.content_length >= 0 ?
	    json_integer(c->sip.content_length) : json_null());
	json_object_set_new(sip, "response", c->sip.response_code > 0 ?
	    json_integer(c->sip.response_code) : json_null());
	json_object_set_new(sip, "error", jstr_or_null(c->sip.error));
	json_object_set_new(o, "sip", sip);

	json_object_set_new(sdp, "received", json_boolean(c->sdp.seen));
	json_object_set_new(sdp, "error", jstr_or_null(c->sdp.error));
	json_object_set_new(sdp, "fingerprint_hash",
	    jstr_or_null(c->sdp.fingerprint_hash));
	media = json_array();
	for (i = 0; i < c->sdp.n_media; i++) {
		sm = &c->sdp.media[i];
		m = json_object();
		json_object_set_new(m, "media", jstr(sm->media));
		json_object_set_new(m, "port", json_integer(sm->port));
		json_object_set_new(m, "proto", jstr(sm->proto));
		json_object_set_new(m, "formats", jstr(sm->formats));
		cr = json_array();
		for (k = 0; k < sm->n_crypto; k++) {
			x = json_object();
			json_object_set_new(x, "tag",
			    json_integer((json_int_t)sm->crypto[k].tag));
			json_object_set_new(x, "suite", jstr(sm->crypto[k].suite));
			/* The key itself is never kept, so never shown. */
			json_object_set_new(x, "key_params", jstr(
			    sm->crypto[k].key_method));
			json_object_set_new(x, "keys",
			    json_integer((json_int_t)sm->crypto[k].n_keys));
			json_array_append_new(cr, x);
		}
		json_object_set_new(m, "crypto", cr);
		json_object_set_new(m, "fingerprint_hash",
		    jstr_or_null(sm->fingerprint_hash));
		json_object_set_new(m, "key_mgmt", json_boolean(sm->key_mgmt));
		json_array_append_new(media, m);
	}
	json_object_set_new(sdp, "media", media);
	json_object_set_new(sdp, "media_lines",
	    json_integer((json_int_t)c->sdp.n_media_seen));
	json_object_set_new(o, "sdp", sdp);
}

static json_t *
anchor_json(const struct chain_facts *c)
{
	json_t *o;

	if (c->status != CHAIN_VERIFIED)
		return json_null();
	o = json_object();
	json_object_set_new(o, "brand", c->anchor_info ?
	    jstr(brand_name(c->anchor_info->brand)) : jstr("custom"));
	json_object_set_new(o, "root", jstr(c->anchor.subject));
	/* The organisation of the CA that issued the leaf, or null. */
	json_object_set_new(o, "issuing_ca", chain_leaf(c)->issuer_org != NULL ?
	    jstr(chain_leaf(c)->issuer_org) : json_null());
	json_object_set_new(o, "sha256", jstr(c->anchor.sha256_hex));
	if (c->anchor_info != NULL && c->anchor_info->mozilla_removal != NULL)
		json_object_set_new(o, "mozilla_removal",
		    jstr(c->anchor_info->mozilla_removal));
	json_object_set_new(o, "not_after", jtime(c->anchor.not_after));
	return o;
}

static json_t *
subject_json(const struct subject *s)
{
	json_t *o = json_object(), *chain, *findings, *f, *nc;
	const struct finding *fd;
	size_t i;

	json_object_set_new(o, "kind", jstr(subject_kind_name(s->kind)));
	json_object_set_new(o, "name", jstr(s->name));
	json_object_set_new(o, "fqdn", s->fqdn ? jstr(s->fqdn) : json_null());
	if (s->kind == SUBJECT_HOST || s->kind == SUBJECT_CLIENT) {
		json_object_set_new(o, "address", s->address ?
		    jstr(s->address) : json_null());
		json_object_set_new(o, "port", json_integer(s->port));
	}
	json_object_set_new(o, "result", jstr(result_name(s->result)));
	if (s->error != NULL)
		json_object_set_new(o, "error", jstr(s->error));
	if (s->has_chain) {
		chain = json_array();
		for (i = 0; i < s->chain.n; i++)
			json_array_append_new(chain,
			    cert_json(&s->chain.certs[i], (int)i));
		json_object_set_new(o, "chain", chain);
		json_object_set_new(o, "leaf", json_integer((json_int_t)s->chain.leaf));
		json_object_set_new(o, "anchor", anchor_json(&s->chain));
	}
	if (s->kind == SUBJECT_HOST && s->error == NULL)
		json_object_set_new(o, "probe", probe_json(&s->probe));
	if (s->kind == SUBJECT_CLIENT && s->has_client)
		client_json(o, &s->client);
	findings = json_array();
	for (i = 0; i < s->n_findings; i++) {
		fd = &s->findings[i];
		f = json_object();
		json_object_set_new(f, "rule", jstr(fd->rule->id));
		json_object_set_new(f, "severity",
		    jstr(severity_name(fd->severity)));
		json_object_set_new(f, "status", jstr(status_name(fd->status)));
		json_object_set_new(f, "cert", fd->cert >= 0 ?
		    json_integer(fd->cert) : json_null());
		json_object_set_new(f, "message", jstr(fd->message));
		json_object_set_new(f, "fix", jstr(report_fix(fd)));
		json_array_append_new(findings, f);
	}
	json_object_set_new(o, "findings", findings);
	nc = json_array();
	for (i = 0; i < s->n_findings; i++) {
		fd = &s->findings[i];
		if (!fd->not_checked)
			continue;
		f = json_object();
		json_object_set_new(f, "rule", jstr(fd->rule->id));
		json_object_set_new(f, "why", jstr(fd->message));
		json_array_append_new(nc, f);
	}
	json_object_set_new(o, "not_checked", nc);
	return o;
}

static void
json_begin(struct report *r)
{
	const struct policy *p = r->policy;
	char when[32];
	json_t *pol = json_object(), *brands = json_array(),
	    *suites = json_array();
	int i;

	time_format(r->now, when, sizeof(when));
	for (i = 0; i < BRAND__MAX; i++)
		if (p->brands & (1u << i))
			json_array_append_new(brands, jstr(brand_key((enum brand)i)));
	for (i = 0; i < SUITE__MAX; i++)
		if (p->suites & (1u << i))
			json_array_append_new(suites,
			    jstr(suite_openssl_name((enum suite)i)));
	json_object_set_new(pol, "name", jstr(p->name));
	json_object_set_new(pol, "brands", brands);
	json_object_set_new(pol, "suites", suites);
	json_object_set_new(pol, "min_rsa_bits", json_integer(p->min_rsa_bits));
	json_object_set_new(pol, "wildcards", json_boolean(p->wildcards));
	/* Days, or a share of the leaf's lifetime: one of each pair is null. */
	json_object_set_new(pol, "warn_days", p->warn_percent ? json_null() :
	    json_integer(p->warn_days));
	json_object_set_new(pol, "warn_percent", p->warn_percent ?
	    json_integer(p->warn_days) : json_null());
	json_object_set_new(pol, "crit_days", p->crit_percent ? json_null() :
	    json_integer(p->crit_days));
	json_object_set_new(pol, "crit_percent", p->crit_percent ?
	    json_integer(p->crit_days) : json_null());
	json_object_set_new(pol, "port", json_integer(p->port));
	json_object_set_new(pol, "srtp", jstr(srtp_policy_name(p->srtp)));
	fprintf(r->out, "{\"tool\": \"bwcertcheck\", \"version\": \"%s\", "
	    "\"schema\": %d, \"command\": \"%s\", \"evaluated_at\": \"%s\", "
	    "\"policy\": ", BWC_VERSION, BWC_SCHEMA,
	    report_command_name(r->command), when);
	report_json_write(r->out, pol, JSON_COMPACT);
	json_decref(pol);
	fputs(",\n\"subjects\": [", r->out);
}

static void
json_subject(struct report *r, const struct subject *s)
{
	json_t *o = subject_json(s);

	if (r->n_subjects > 1)
		fputc(',', r->out);
	fputc('\n', r->out);
	/*
	 * Into memory, then out in one write: json_dumpf() calls fwrite()
	 * for every token, and stdio locks the stream each time.
	 */
	report_json_write(r->out, o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(o);
}

static void
json_end(struct report *r)
{
	json_t *skipped = r->state;

	fputs("\n],\n\"skipped\": ", r->out);
	if (skipped == NULL)
		fputs("[]", r->out);
	else {
		report_json_write(r->out, skipped, JSON_COMPACT |
		    JSON_PRESERVE_ORDER);
		json_decref(skipped);
	}
	r->state = NULL;
	fprintf(r->out, ",\n\"result\": \"%s\", \"exit_code\": %d}\n",
	    result_name(r->worst), result_exit_code(r->worst));
}

/* Inputs passed over, listed at the end: [{"name": ..., "why": ...}]. */
static void
json_skip(struct report *r, const char *name, const char *why)
{
	json_t *o = json_object();

	if (r->state == NULL)
		r->state = json_array();
	json_object_set_new(o, "name", jstr(name));
	json_object_set_new(o, "why", jstr(why));
	json_array_append_new(r->state, o);
}

const struct report_format report_json = {
	.name = "json",
	.begin = json_begin,
	.subject = json_subject,
	.end = json_end,
	.skip = json_skip,
};

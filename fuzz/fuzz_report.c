/*
 * fuzz_report.c - the rules and every report writer, fed hostile names.
 *
 * The input is a recipe for one or two subjects: their names, the
 * facts of each certificate (subject and issuer lines, CN and SAN
 * bytes, serial, times, key, extensions), the chain's shape and
 * verdict, the probe's facts for a host, and the policy and instant of
 * the run.  Each field holds what its producer promises: raw bytes
 * where facts.h keeps raw bytes (CN, SANs), escaped text where the
 * producer escapes (facts.c for names, the probe for its reasons).
 * run_judge() runs every rule over the subjects, then a format (one an
 * input, by the input's size) renders them and its oracle (fuzz.h)
 * checks the output: no control
 * character or escape sequence in text or nagios, one valid JSON
 * document for json and sarif, well-formed XML for junit, valid
 * exposition lines for prometheus.
 *
 * Subject names and errors come from the command line, file names and
 * OpenSSL; they go raw to the machine formats, which clean what they
 * print (report_clean.h), and escaped to the text format, which prints
 * them as they are: its callers must escape them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"
#include "app/run.h"
#include "core/esc.h"
#include "core/fqdn.h"
#include "rules/rules.h"
#include "fuzz.h"

#define MAX_SUBJECTS 2

/* ASN.1 GeneralizedTime can say 0000-01-01 to 9999-12-31T23:59:59Z. */
#define T_MIN ((time_t)-62167219200LL)
#define T_MAX ((time_t)253402300799LL)

static struct trust *builtin;
static struct trust custom = { .builtin = false };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct policy p;
	char *err = NULL;

	(void)argc;
	(void)argv;
	policy_default(&p);
	if ((builtin = trust_load_builtin(&p, &err)) == NULL) {
		fprintf(stderr, "fuzz_report: %s\n", err);
		exit(1);
	}
	fuzz_oracle_selftest();
	fuzz_json_arena_init();
	return 0;
}

/* Escaped text from raw input bytes, as the producers write it. */
static char *
fz_esc(struct fz *z, size_t max)
{
	size_t len;
	unsigned char *raw = fz_bytes(z, max, &len);
	char *s = esc_printable(raw, len);

	free(raw);
	return s;
}

/* Escaped text or NULL. */
static char *
fz_esc_opt(struct fz *z, size_t max)
{
	return fz_bool(z) ? fz_esc(z, max) : NULL;
}

static time_t
fz_time(struct fz *z)
{
	uint64_t v = ((uint64_t)fz_u32(z) << 8) | fz_u8(z);

	return T_MIN + (time_t)(v % (uint64_t)(T_MAX - T_MIN + 1));
}

static void
hex(char *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void
fz_facts(struct fz *z, struct cert_facts *f)
{
	unsigned char *raw, md[32];
	size_t len, i, n;
	char *s;

	memset(f, 0, sizeof(*f));
	raw = fz_bytes(z, 200, &len);
	f->subject = esc_printable_keepbs(raw, len);
	free(raw);
	raw = fz_bytes(z, 200, &len);
	f->issuer = esc_printable_keepbs(raw, len);
	free(raw);
	f->subject_cn.ptr = fz_bytes(z, 80, &f->subject_cn.len);
	raw = fz_bytes(z, 41, &len);
	s = xmalloc(2 * len + 3);
	s[0] = '-';
	hex(s + 1, raw, len);
	f->serial_hex = xstrdup(fz_bool(z) ? s : s + 1);
	free(s);
	free(raw);
	f->not_before = fz_time(z);
	f->not_after = fz_time(z);
	f->times_valid = fz_u8(z) != 7;
	f->key_type = (enum key_type)fz_below(z, KEY__MAX);
	f->key_bits = (int)(fz_u32(z) % 32768);
	f->key_curve = fz_esc_opt(z, 20);
	f->sig_hash = (enum sig_hash)fz_below(z, SIGHASH__MAX);
	f->sig_alg = fz_esc(z, 40);
	for (i = 0; i < sizeof(md); i++)
		md[i] = fz_u8(z);
	hex(f->sha256_hex, md, sizeof(md));
	memcpy(f->spki_sha256, md, sizeof(md));
	/*
	 * Usually a few SANs; sometimes 9 to 32, past the eight a message
	 * lists (check_name.c).  No code counts further, and hundreds made
	 * the inputs the fuzzer keeps ever slower to render.
	 */
	n = fz_below(z, 6);
	if (n == 5)
		n = 9 + fz_below(z, 24);
	f->san_dns = xcalloc(n > 0 ? n : 1, sizeof(*f->san_dns));
	for (i = 0; i < n; i++) {
		if (i >= 4 && z->n == 0) {
			f->san_dns[i].ptr = (unsigned char *)xstrdup("x.test");
			f->san_dns[i].len = 6;
		} else
			f->san_dns[i].ptr = fz_bytes(z, 80,
			    &f->san_dns[i].len);
		f->n_san_dns++;
	}
	f->n_san_other = fz_below(z, 3);
	f->san_invalid = fz_u8(z) == 1;
	f->ext_invalid = fz_u8(z) == 1;
	f->self_issued = fz_bool(z);
	f->self_signed = f->self_issued && fz_bool(z);
	f->has_bc = fz_bool(z);
	f->is_ca = f->has_bc && fz_bool(z);
	f->has_ku = fz_bool(z);
	f->ku = f->has_ku ? fz_u8(z) & 0x0f : 0;
	f->has_eku = fz_bool(z);
	if (f->has_eku) {
		uint8_t b = fz_u8(z);

		f->eku_server = b & 1;
		f->eku_client = (b >> 1) & 1;
		f->eku_any = (b >> 2) & 1;
	}
	f->aia_ca_issuers = fz_esc_opt(z, 60);
}

static void
fz_chain(struct fz *z, struct chain_facts *c)
{
	size_t i, j, k;
	bool used[8] = { false };

	memset(c, 0, sizeof(*c));
	c->n = 1 + fz_below(z, 3);
	c->certs = xcalloc(c->n, sizeof(*c->certs));
	for (i = 0; i < c->n; i++)
		fz_facts(z, &c->certs[i]);
	c->leaf = fz_below(z, (unsigned)c->n);
	c->leaf_ambiguous = fz_bool(z);
	c->signed_by_next = xcalloc(c->n, sizeof(bool));
	for (i = 0; i + 1 < c->n; i++)
		c->signed_by_next[i] = fz_bool(z);

	/* The path OpenSSL built: the leaf, then distinct certificates. */
	c->status = (enum chain_status)fz_below(z, CHAIN__MAX);
	c->path = xcalloc(c->n, sizeof(*c->path));
	c->path[c->path_len++] = c->leaf;
	used[c->leaf] = true;
	k = fz_below(z, (unsigned)c->n);
	for (i = 0; i < k; i++) {
		j = fz_below(z, (unsigned)c->n);
		if (!used[j]) {
			used[j] = true;
			c->path[c->path_len++] = j;
		}
	}
	c->anchor_input = -1;
	if (c->status == CHAIN_VERIFIED) {
		c->has_anchor = true;
		fz_facts(z, &c->anchor);
		if (fz_bool(z))
			c->anchor_info = &root_table[fz_below(z,
			    (unsigned)root_table_len)];
		if (fz_bool(z))
			c->anchor_input = (int)c->path[c->path_len - 1];
	} else {
		c->verify_error = (int)fz_u8(z);
		c->verify_error_str = fz_esc_opt(z, 60);
		c->verify_depth = (int)fz_below(z, 6) - 1;
		c->top = c->path[c->path_len - 1];
		if (c->status == CHAIN_ISSUER_MISSING) {
			c->missing_issuer = xstrdup(c->certs[c->top].issuer);
			if (c->certs[c->top].aia_ca_issuers != NULL)
				c->missing_issuer_aia =
				    xstrdup(c->certs[c->top].aia_ca_issuers);
		}
	}
	if ((c->has_key = fz_bool(z))) {
		c->key_matches = fz_bool(z);
		c->key_type = fz_esc(z, 20);
	}
}

static void
fz_probe(struct fz *z, struct probe_facts *p)
{
	int i;

	p->dns_a_count = (int)fz_below(z, 5) - 1;
	p->dns_aaaa_count = (int)fz_below(z, 5) - 1;
	p->dns_error = fz_esc_opt(z, 60);
	p->tls12 = fz_bool(z);
	if (!p->tls12)
		p->tls12_error = fz_esc_opt(z, 100);
	else
		p->tls_version = xstrdup("TLSv1.2");
	for (i = 0; i < SUITE__MAX; i++) {
		struct suite_result *sr = &p->suites[i];

		sr->state = (enum suite_state)fz_below(z, SUITE__STATE_MAX);
		sr->ms = fz_u8(z) * 1.5;
		if (sr->state == SUITE_REJECTED)
			sr->reason = fz_esc_opt(z, 100);
		else if (sr->state == SUITE_ACCEPTED)
			sr->version = xstrdup("TLSv1.2");
	}
	p->handshake_ms = fz_u8(z) * 0.25;
	p->sni_same = (int)fz_below(z, 3) - 1;
	p->sni_detail = fz_esc_opt(z, 80);
	p->sni_sent = fz_bool(z);
	p->servername = fz_esc_opt(z, 80);
	p->sip_code = (int)fz_below(z, 3) - 1;
	if (p->sip_code > 0)
		p->sip_code = 100 + (int)(fz_u32(z) % 600);
	p->sip_status_line = fz_esc_opt(z, 100);
	p->sip_error = fz_esc_opt(z, 100);
	p->handshake_tried = fz_bool(z);
	p->tls12_cipher = fz_bool(z) ? xstrdup("AES128-SHA") : NULL;
	p->other_version = fz_bool(z) ? fz_esc(z, 20) : NULL;
}

static void
fz_run(struct fz *z, struct run *run)
{
	size_t i;
	uint32_t dis;

	run_init(run);
	run->now = fz_time(z);
	run->trust = fz_bool(z) ? builtin : &custom;
	run->policy.warn_days = (int)fz_below(z, 200);
	run->policy.min_rsa_bits = 512 + (int)(fz_u32(z) % 16000);
	run->policy.wildcards = fz_bool(z);
	run->policy.brands = 1u + fz_below(z, (1u << BRAND__MAX) - 1);
	run->policy.suites = 1u + fz_below(z, (1u << SUITE__MAX) - 1);
	run->policy.default_suite = -1;
	for (i = 0; i < SUITE__MAX; i++)
		if (run->policy.suites & (1u << i)) {
			run->policy.default_suite = (int)i;
			break;
		}
	if (fz_bool(z)) {
		char *name = fz_esc(z, 63), *err = NULL;

		/*
		 * Through the config file's own check, which refuses what a
		 * report could not show whole (too long for policy.name,
		 * where a cut could split a character, or not printable).
		 */
		(void)policy_apply(&run->policy, "name", name, &err);
		free(err);
		free(name);
	}
	dis = fz_u32(z);
	for (i = 0; i < rule_count && i < 32; i++)
		run->disabled[i] = (dis >> i) & 1;
	run->sip = fz_bool(z);
	run->quiet = fz_u8(z) == 1;
}

static void
fz_subject(struct fz *z, struct subject *s, bool host)
{
	unsigned char *raw;
	size_t len;
	char *fqdn, *norm, *err = NULL;

	raw = fz_bytes(z, 100, &len);
	subject_init(s, host ? SUBJECT_HOST : SUBJECT_FILE, (char *)raw);
	free(raw);
	fqdn = fz_str(z, 80);
	if ((norm = fqdn_normalize(fqdn, &err)) != NULL)
		s->fqdn = norm;
	free(err);
	free(fqdn);
	if (host) {
		s->address = fz_bool(z) ? xstrdup("192.0.2.1") :
		    xstrdup("2001:db8::1");
		s->port = (int)(fz_u32(z) % 65536);
		s->has_probe = true;
		fz_probe(z, &s->probe);
	}
	if (fz_u8(z) == 3) {
		raw = fz_bytes(z, 120, &len);
		subject_set_error(s, "%s", (char *)raw);
		free(raw);
		return;
	}
	if (fz_u8(z) != 5) {
		s->has_chain = true;
		fz_chain(z, &s->chain);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz z = { data, size };
	struct run run;
	struct subject subjects[MAX_SUBJECTS], text[MAX_SUBJECTS];
	size_t n, i;
	bool probe, color;

	fz_run(&z, &run);
	probe = fz_bool(&z);
	color = fz_bool(&z);
	/*
	 * Two subjects in one input of four: enough for the fleet's own
	 * code (totals, repeated names), and each subject costs as much
	 * again to judge and render.
	 */
	n = fz_below(&z, 4) == 0 ? MAX_SUBJECTS : 1;
	for (i = 0; i < n; i++) {
		fz_subject(&z, &subjects[i], probe && fz_u8(&z) != 9);
		run_judge(&run, &subjects[i]);
	}
	/* The text report gets the names its callers should give it. */
	for (i = 0; i < n; i++) {
		text[i] = subjects[i];
		text[i].name = esc_printable_str(subjects[i].name);
		text[i].error = subjects[i].error != NULL ?
		    esc_printable_str(subjects[i].error) : NULL;
	}
	/* One format an input, chosen by its size: every one over a run. */
	fuzz_render_one(&run, probe ? REPORT_PROBE : REPORT_LINT, subjects,
	    text, n, color, size);
	for (i = 0; i < n; i++) {
		free(text[i].name);
		free(text[i].error);
		subject_free(&subjects[i]);
	}
	run.trust = NULL;
	run_free(&run);
	fuzz_json_arena_end();
	return 0;
}

/*
 * check_probe.c - the probe rules: tls12, cipher-allowed, cipher-default,
 * sni-independent, dns-a-record, sip-options.
 *
 * They read only the probe's facts and the policy.  Every string in
 * struct probe_facts is printable already (the probe escapes what the
 * server sent), so it goes into messages as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* "AES128-SHA, AES256-SHA256" for the suites in state st, with reasons. */
static char *
suite_list(const struct check_input *in, enum suite_state st, bool reasons)
{
	const struct suite_result *sr;
	struct buf b = { 0 };
	int i;

	for (i = 0; i < SUITE__MAX; i++) {
		sr = &in->probe->suites[i];
		if (!(in->policy->suites & (1u << i)) || sr->state != st)
			continue;
		buf_addf(&b, "%s%s", b.len ? ", " : "",
		    suite_openssl_name((enum suite)i));
		if (reasons && sr->reason != NULL)
			buf_addf(&b, " (%s)", sr->reason);
	}
	if (b.len == 0)
		buf_adds(&b, "none");
	return buf_steal(&b);
}

/* carrier: "TLS 1.2 is the supported version." */
void
check_tls12(const struct check_input *in, struct verdict *v)
{
	const struct probe_facts *p;

	p = in->probe;
	if (p->tls12 && p->tls12_cipher != NULL)
		verdict_set(v, STATUS_PASS, -1, "TLS 1.2 handshake completed "
		    "(offered every TLS 1.2 suite, the server chose %s)",
		    p->tls12_cipher);
	else if (p->tls12)
		verdict_set(v, STATUS_PASS, -1, "TLS 1.2 handshake completed");
	else if (p->tls12_error != NULL && strstr(p->tls12_error, "TLS 1.2"))
		verdict_set(v, STATUS_FAIL, -1, "%s", p->tls12_error);
	else
		verdict_set(v, STATUS_FAIL, -1, "no TLS 1.2 handshake: %s",
		    p->tls12_error != NULL ? p->tls12_error : "unknown error");
}

/*
 * carrier: "Cipher suites: TLS_RSA_WITH_AES_128_CBC_SHA,
 * TLS_RSA_WITH_AES_128_CBC_SHA256, TLS_RSA_WITH_AES_256_CBC_SHA256."
 * Each is offered alone; one accepted is enough.
 */
void
check_cipher_allowed(const struct check_input *in, struct verdict *v)
{
	char *acc, *rej;

	if ((in->policy->suites & ((1u << SUITE__MAX) - 1)) == 0) {
		verdict_set(v, STATUS_SKIP, -1, "the policy allows no suite");
		return;
	}
	acc = suite_list(in, SUITE_ACCEPTED, false);
	rej = suite_list(in, SUITE_REJECTED, true);
	if (strcmp(acc, "none") != 0)
		verdict_set(v, STATUS_PASS, -1, "accepted: %s; rejected: %s",
		    acc, rej);
	else if (in->probe->tls12_cipher != NULL)
		verdict_set(v, STATUS_FAIL, -1, "no allowed suite accepted: %s; "
		    "offered every TLS 1.2 suite, the server chose %s", rej,
		    in->probe->tls12_cipher);
	else
		verdict_set(v, STATUS_FAIL, -1, "no allowed suite accepted: %s",
		    rej);
	free(acc);
	free(rej);
}

/* carrier: "TLS_RSA_WITH_AES_128_CBC_SHA (AES128-SHA, the default)". */
void
check_cipher_default(const struct check_input *in, struct verdict *v)
{
	const struct suite_result *sr;
	int d = in->policy->default_suite;

	if (d < 0 || d >= SUITE__MAX || !(in->policy->suites & (1u << d))) {
		verdict_set(v, STATUS_SKIP, -1, "the policy names no default "
		    "suite");
		return;
	}
	sr = &in->probe->suites[d];
	if (sr->state == SUITE_ACCEPTED)
		verdict_set(v, STATUS_PASS, -1, "%s accepted (%.1f ms)",
		    suite_openssl_name((enum suite)d), sr->ms);
	else if (sr->state == SUITE_REJECTED)
		verdict_set(v, STATUS_FAIL, -1, "%s rejected: %s",
		    suite_openssl_name((enum suite)d),
		    sr->reason != NULL ? sr->reason : "handshake failed");
	else
		verdict_set(v, STATUS_SKIP, -1, "%s was not tried",
		    suite_openssl_name((enum suite)d));
}

/* operations: an SBC that connects by address sends no SNI. */
void
check_sni_independent(const struct check_input *in, struct verdict *v)
{
	const struct probe_facts *p;
	const char *detail;

	p = in->probe;
	detail = p->sni_detail != NULL ? p->sni_detail : "";
	if (!p->sni_sent || p->sni_same < 0)
		verdict_set(v, STATUS_SKIP, -1, "not compared: %s",
		    p->sni_sent ? detail : "no SNI was sent");
	else if (p->sni_same == 1)
		verdict_set(v, STATUS_PASS, -1, "%s (SNI %s)", detail,
		    p->servername != NULL ? p->servername : "?");
	else
		verdict_set(v, STATUS_FAIL, -1, "%s", detail);
}

/* carrier: the SBC connects "to the customer's FQDN through its A record". */
void
check_dns_a_record(const struct check_input *in, struct verdict *v)
{
	const struct probe_facts *p = in->probe;

	if (p->dns_a_count > 0)
		verdict_set(v, STATUS_PASS, -1, "%d A record%s; every address "
		    "is probed", p->dns_a_count, p->dns_a_count == 1 ? "" : "s");
	else if (p->dns_aaaa_count > 0)
		verdict_set(v, STATUS_FAIL, -1, "no A record, only AAAA (%d): "
		    "the SBC connects over IPv4 through the A record",
		    p->dns_aaaa_count);
	else
		verdict_set(v, STATUS_FAIL, -1, "no A record%s%s",
		    p->dns_error != NULL ? ": " : "",
		    p->dns_error != NULL ? p->dns_error : "");
}

/* RFC 3261 11: any final response to OPTIONS shows a SIP stack there. */
void
check_sip_options(const struct check_input *in, struct verdict *v)
{
	const struct probe_facts *p;

	p = in->probe;
	if (p->sip_code < 0)
		verdict_set(v, STATUS_SKIP, -1, "OPTIONS not sent");
	else if (p->sip_code >= 200)
		verdict_set(v, STATUS_PASS, -1, "OPTIONS answered: %s",
		    p->sip_status_line != NULL ? p->sip_status_line : "?");
	else
		verdict_set(v, STATUS_FAIL, -1, "%s", p->sip_error != NULL ?
		    p->sip_error : "no answer to OPTIONS");
}

/*
 * Security reviews ask what else the server enables (RFC 8996 deprecates
 * TLS 1.0 and 1.1); the carrier needs only TLS 1.2 and its suites.  A
 * notice: it names what it found and never changes the verdict.
 */
void
check_tls_inventory(const struct check_input *in, struct verdict *v)
{
	static const char *const label[TLSO__MAX] = {
		[TLSO_10] = "TLS 1.0", [TLSO_11] = "TLS 1.1",
		[TLSO_13] = "TLS 1.3",
	};
	const struct probe_facts *p = in->probe;
	struct buf b = { 0 };
	bool extra = false, unsure = false;
	size_t k;
	int i;

	if (!p->inv_tried) {
		verdict_set(v, STATUS_SKIP, -1, "not taken: the server spoke no "
		    "TLS to ask");
		return;
	}
	for (i = 0; i < TLSO__MAX; i++) {
		buf_addf(&b, "%s%s %s", i > 0 ? ", " : "", label[i],
		    p->inv_version[i] == 1 ? "enabled" :
		    p->inv_version[i] == 0 ? "refused" : "not determined");
		/* TLS 1.3 is no weakness; only 1.0 and 1.1 are beyond the need. */
		extra |= i != TLSO_13 && p->inv_version[i] == 1;
		unsure |= p->inv_version[i] == -1;
	}
	buf_adds(&b, "; other TLS 1.2 suites: ");
	for (k = 0; k < p->n_inv_suites; k++)
		buf_addf(&b, "%s%s", k > 0 ? ", " : "", p->inv_suites[k]);
	if (p->n_inv_suites == 0)
		buf_adds(&b, p->inv_suites_complete ? "none" : "not determined");
	else if (!p->inv_suites_complete)
		buf_adds(&b, " (and maybe more)");
	extra |= p->n_inv_suites > 0;
	unsure |= !p->inv_suites_complete;
	buf_addf(&b, "; OCSP stapling: %s", p->ocsp_stapled == 1 ?
	    "yes" : p->ocsp_stapled == 0 ? "no" : "not determined");
	if (p->ocsp_stapled == 1 && p->ocsp_status != NULL)
		buf_addf(&b, " (%s)", p->ocsp_status);
	verdict_set(v, extra || unsure ? STATUS_FAIL : STATUS_PASS, -1, "%s",
	    b.ptr);
	buf_free(&b);
}

/*
 * engine.c - run every rule of the table over a subject.
 *
 * The engine decides whether a rule applies and whether its input is
 * there; the check function decides pass or fail.  A rule never passes
 * for lack of input: it is skipped, and the reason says why.
 */
#include <stdlib.h>

#include "rules/engine.h"

/* Why rule r cannot run on s, or NULL if it can. */
static const char *
skip_reason(const struct judge_ctx *jc, const struct rule *r, size_t idx,
    const struct subject *s)
{
	if (jc->disabled != NULL && idx < RULES_MAX && jc->disabled[idx])
		return "disabled by --disable";
	if ((r->needs & NEEDS_CHAIN) && !s->has_chain)
		return "no certificate chain was obtained";
	if ((r->needs & NEEDS_FQDN) && s->fqdn == NULL)
		return s->kind == SUBJECT_HOST ? "no --fqdn given and HOST is "
		    "an address" : "no --fqdn given";
	if ((r->needs & NEEDS_KEY) && !(s->has_chain && s->chain.has_key))
		return "no private key given (--key, or a PKCS#12 with a key)";
	if ((r->needs & NEEDS_SIP) && !jc->sip)
		return "--sip not given";
	if ((r->needs & NEEDS_DNS) && s->probe.dns_a_count < 0)
		return "no DNS look-up: the address was given";
	if ((r->needs & NEEDS_SNI) && !s->probe.sni_sent)
		return "no SNI was sent, so there is nothing to compare";
	if ((r->needs & NEEDS_HANDSHAKE) && !s->probe.handshake_tried)
		return "no address was probed";
	if ((r->needs & NEEDS_ANCHOR) &&
	    !(s->has_chain && s->chain.status == CHAIN_VERIFIED))
		return "no accepted root reached";
	if ((r->needs & NEEDS_BUILTIN_ROOT) &&
	    !(s->has_chain && s->chain.anchor_info != NULL))
		return "the root is from --trust-store; no removal date is known";
	return NULL;
}

static bool
applies(const struct rule *r, const struct subject *s)
{
	/*
	 * A client of listen gets the client rules, and the offline rules
	 * only when it was asked for its certificate; the private key it
	 * holds is never ours to match.
	 */
	if (s->kind == SUBJECT_CLIENT)
		return (r->needs & NEEDS_CLIENT) ||
		    (s->client.hs.client_cert_asked &&
		    !(r->needs & (NEEDS_PROBE | NEEDS_KEY)));
	if (r->needs & NEEDS_CLIENT)
		return false;
	/* Probe rules exist only for probed hosts. */
	return !(r->needs & NEEDS_PROBE) || s->kind == SUBJECT_HOST;
}

void
rules_judge(const struct judge_ctx *jc, struct subject *s)
{
	struct check_input in = {
		.policy = jc->policy,
		.builtin_roots = jc->builtin_roots,
		.now = jc->now,
		.fqdn = s->fqdn,
		.chain = s->has_chain ? &s->chain : NULL,
		.probe = s->kind == SUBJECT_HOST ? &s->probe : NULL,
		.client = s->kind == SUBJECT_CLIENT ? &s->client : NULL,
	};
	struct verdict v;
	struct finding *f;
	const struct rule *r;
	const char *why;
	size_t i;

	if (s->error != NULL) {
		s->result = RESULT_ERROR;
		return;
	}
	s->findings = xcalloc(rule_count, sizeof(*s->findings));
	s->n_findings = 0;
	s->result = RESULT_PASS;
	for (i = 0; i < rule_count; i++) {
		r = &rule_table[i];
		if (!applies(r, s))
			continue;
		v = (struct verdict){ .status = STATUS_SKIP, .cert = -1,
		    .severity = r->severity };
		if ((why = skip_reason(jc, r, i, s)) != NULL)
			verdict_set(&v, STATUS_SKIP, -1, "%s", why);
		else
			r->check(&in, &v);
		if (v.message == NULL)
			v.message = xstrdup("");
		f = &s->findings[s->n_findings++];
		f->rule = r;
		f->status = v.status;
		f->cert = v.cert;
		f->message = v.message;
		f->severity = v.severity;
		f->fix = v.fix;
		/* A disabled rule or an optional input is the user's choice. */
		f->not_checked = v.status == STATUS_SKIP &&
		    f->severity == SEV_ERROR && !(r->needs & NEEDS_KEY) &&
		    !(jc->disabled != NULL && i < RULES_MAX && jc->disabled[i]);
		if (v.status != STATUS_FAIL)
			continue;
		if (f->severity == SEV_ERROR)
			s->result = result_worst(s->result, RESULT_FAIL);
		else if (f->severity == SEV_WARNING)
			s->result = result_worst(s->result, RESULT_WARN);
	}
}

/*
 * probe.c - the TLS probe of a target's addresses, as the carrier's SBC
 * would connect: TLS 1.2 only, one allowed suite at a time.
 *
 * Per address, these handshakes run at once (probe_tls.c multiplexes
 * them under one deadline):
 *
 *   one per allowed suite, offering that suite alone, with SNI;
 *   "any": TLS 1.2 with every suite, with SNI - does the server speak
 *          TLS 1.2 at all, and which suite does it prefer;
 *   "bare": the same without SNI, for sni-independent;
 *   "sip": the allowed suites with SNI, then an OPTIONS request (--sip).
 *
 * When no TLS 1.2 handshake completes but the server did speak TLS, a
 * last handshake with any version fetches the chain anyway, so the
 * certificate rules still judge it and the report can say "TLS 1.3
 * only".  The facts go into struct probe_facts; the chain is handed
 * back for chain_analyse().  Last, unless tls-inventory is disabled,
 * inventory.c lists what else the server enables, within a bound of its
 * own; "any" also asks for a stapled OCSP response.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "core/ossl_err.h"
#include "probe/probe.h"

/* Every TLS 1.2 suite OpenSSL knows, except those without authentication. */
#define CIPHERS_ANY "ALL:!aNULL:!eNULL"

enum { JOB_ANY = SUITE__MAX, JOB_BARE, JOB_SIP, JOB__PER_ADDR };
_Static_assert(JOB__PER_ADDR == PROBE_CONNS_PER_ADDR,
    "probe.h counts the connections of one address");

void
probe_facts_init(struct probe_facts *p)
{
	memset(p, 0, sizeof(*p));
	p->dns_a_count = -1;
	p->dns_aaaa_count = -1;
	p->sni_same = -1;
	p->sip_code = -1;
	for (int v = 0; v < TLSO__MAX; v++)
		p->inv_version[v] = -1;
	p->ocsp_stapled = -1;
}

void
probe_facts_free(struct probe_facts *p)
{
	int i;

	if (p == NULL)
		return;
	free(p->dns_error);
	free(p->tls12_error);
	free(p->tls_version);
	for (i = 0; i < SUITE__MAX; i++) {
		free(p->suites[i].reason);
		free(p->suites[i].version);
	}
	free(p->sni_detail);
	free(p->servername);
	free(p->sip_status_line);
	free(p->sip_error);
	free(p->sip_server);
	free(p->tls12_cipher);
	free(p->other_version);
	free(p->srv_name);
	free(p->srv_target);
	free(p->saved_chain);
	for (size_t k = 0; k < p->n_inv_suites; k++)
		free(p->inv_suites[k]);
	free(p->inv_suites);
	probe_facts_init(p);
}

void
probe_result_free(struct probe_result *r)
{
	if (r == NULL)
		return;
	probe_facts_free(&r->facts);
	sk_X509_pop_free(r->chain, X509_free);
	r->chain = NULL;
	free(r->error);
	r->error = NULL;
}

/*
 * The probe's own client context.  It must see whatever a server
 * offers, because judging is the rules' job, not the handshake's:
 *
 * - security level 0: from level 3 up (which some systems set as their
 *   default) OpenSSL refuses suites without forward secrecy, i.e. all
 *   three of the carrier's static-RSA suites, and from level 2 (Debian's
 *   default) a server key under 2048 bits.  The probe must complete
 *   those handshakes so that the rules, not the handshake, judge them.
 *   Only this context, used for nothing but probing, is lowered.
 * - no certificate verification: the chain is judged by chain_analyse()
 *   against the accepted roots, not by the handshake.
 * - legacy server connect: an old PBX without RFC 5746 secure
 *   renegotiation is still probed (we never renegotiate).
 */
static SSL_CTX *
probe_ctx_new(const struct probe_params *p, char **err)
{
	SSL_CTX *ctx;
	int i;

	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		goto fail;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (p->client_cert != NULL) {
		if (SSL_CTX_use_certificate(ctx, p->client_cert) != 1 ||
		    SSL_CTX_use_PrivateKey(ctx, p->client_key) != 1)
			goto fail;
		for (i = 0; p->client_chain != NULL &&
		    i < sk_X509_num(p->client_chain); i++)
			if (SSL_CTX_add1_chain_cert(ctx,
			    sk_X509_value(p->client_chain, i)) != 1)
				goto fail;
	}
	return ctx;
fail:
	*err = xasprintf("TLS setup: %s", ossl_err_string(
	    ERR_peek_last_error(), "cannot make a TLS context"));
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

char *
probe_cipher_list(const struct policy *pol)
{
	struct buf b = { 0 };
	int i;

	for (i = 0; i < SUITE__MAX; i++)
		if (pol->suites & (1u << i))
			buf_addf(&b, "%s%s", b.len ? ":" : "",
			    suite_openssl_name((enum suite)i));
	if (b.len == 0)
		buf_adds(&b, "NONE");
	return buf_steal(&b);
}

static void
job_tls12(struct hs_job *j, const struct sockaddr_storage *addr,
    const char *ciphers, const char *sni)
{
	hs_job_offer(j, addr, TLS1_2_VERSION, ciphers, sni);
}

/* The chain of j, moved out (the job no longer owns it). */
static struct stack_st_X509 *
take_chain(struct hs_job *j)
{
	struct stack_st_X509 *c = j->chain;

	j->chain = NULL;
	return c;
}

static void
fill_suites(struct probe_facts *f, struct hs_job *jobs,
    const struct policy *pol)
{
	struct suite_result *sr;
	int i;

	for (i = 0; i < SUITE__MAX; i++) {
		sr = &f->suites[i];
		if (!(pol->suites & (1u << i)))
			continue;
		sr->ms = jobs[i].ms;
		if (jobs[i].outcome == HS_OK) {
			sr->state = SUITE_ACCEPTED;
			sr->version = xstrdup(jobs[i].version);
			if (f->handshake_ms == 0 || sr->ms < f->handshake_ms)
				f->handshake_ms = sr->ms;
		} else {
			sr->state = SUITE_REJECTED;
			sr->reason = xstrdup(jobs[i].reason != NULL ?
			    jobs[i].reason : "handshake failed");
		}
	}
}

/* sni-independent: the leaf with SNI ("any") against the leaf without. */
static void
fill_sni(struct probe_facts *f, const struct hs_job *any,
    const struct hs_job *bare, const char *servername)
{
	f->sni_sent = servername != NULL;
	if (servername == NULL)
		return;
	f->servername = xstrdup(servername);
	if (any->outcome != HS_OK) {
		f->sni_detail = xstrdup("no TLS 1.2 handshake with SNI to "
		    "compare with");
		return;
	}
	if (bare->outcome != HS_OK) {
		f->sni_same = 0;
		f->sni_detail = xasprintf("the handshake without SNI failed: %s",
		    bare->reason != NULL ? bare->reason : "unknown error");
	} else if (memcmp(any->leaf_sha256, bare->leaf_sha256,
	    sizeof(any->leaf_sha256)) != 0) {
		f->sni_same = 0;
		f->sni_detail = xasprintf("without SNI the server presents "
		    "another certificate: %s", bare->leaf_subject != NULL ?
		    bare->leaf_subject : "(no subject)");
	} else {
		f->sni_same = 1;
		f->sni_detail = xstrdup("the same certificate with and without "
		    "SNI");
	}
}

static void
fill_sip(struct probe_facts *f, const struct hs_job *sip)
{
	f->sip_code = sip->sip_code < 0 ? 0 : sip->sip_code;
	if (sip->outcome != HS_OK) {
		f->sip_error = xasprintf("no TLS connection with an allowed "
		    "suite for OPTIONS: %s", sip->reason != NULL ?
		    sip->reason : "handshake failed");
		return;
	}
	if (sip->sip_status_line != NULL)
		f->sip_status_line = xstrdup(sip->sip_status_line);
	if (sip->sip_error != NULL)
		f->sip_error = xstrdup(sip->sip_error);
	if (sip->sip_server != NULL)
		f->sip_server = xstrdup(sip->sip_server);
}

/* j's reason; after a slow resolver, with what DNS took of the time. */
static char *
with_dns_time(const struct probe_params *p, const struct hs_job *j)
{
	if (j->outcome == HS_TIMEOUT && p->dns_ms >= 1000)
		return xasprintf("%s (the DNS look-up took %.1f s of it)",
		    j->reason, (double)p->dns_ms / 1000);
	return xstrdup(j->reason);
}

/*
 * Why an address cannot be judged at all, or NULL when it can: our side
 * failed (what a job found then is not the server's answer), the server
 * wants a client certificate that we do not have or it refused, or it
 * did not speak TLS.
 */
static char *
address_error(const struct probe_params *p, const struct hs_job *jobs,
    size_t n)
{
	bool ok = false, asked = false;
	const struct hs_job *waited = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (jobs[i].addr == NULL || !hs_local_failure(&jobs[i]))
			continue;
		if (jobs[i].not_tried) {
			if (waited == NULL)
				waited = &jobs[i];
			continue;
		}
		return xasprintf("could not be probed: %s (a limit on "
		    "this machine, not the server's answer)",
		    jobs[i].reason != NULL ? jobs[i].reason :
		    "local failure");
	}
	/*
	 * Handshakes that never had their turn (--connections): what held
	 * them up is the answer, if the server failed it; else the address
	 * is not judged on the handshakes that did run.
	 */
	if (waited != NULL) {
		for (i = 0; i < n; i++)
			if (jobs[i].addr != NULL && !jobs[i].not_tried &&
			    jobs[i].outcome != HS_OK &&
			    !hs_spoke_tls(&jobs[i]) && jobs[i].reason != NULL)
				return with_dns_time(p, &jobs[i]);
		return xasprintf("could not be probed: %s (raise --timeout "
		    "or %s)", waited->reason, p->per_addr > 0 ?
		    "--connections" : "ulimit -n");
	}
	for (i = 0; i < n; i++) {
		ok |= jobs[i].addr != NULL && jobs[i].outcome == HS_OK;
		asked |= jobs[i].addr != NULL && jobs[i].cert_requested;
	}
	if (!ok && asked && p->client_cert == NULL)
		return xstrdup("the server requires a client certificate "
		    "(mutual TLS): give --client-cert and --client-key to "
		    "present one");
	if (!ok && asked)
		for (i = 0; i < n; i++)
			if (jobs[i].addr != NULL && jobs[i].cert_requested)
				return xasprintf("the server asked for a client "
				    "certificate (mutual TLS) and refused the "
				    "one given with --client-cert: %s",
				    jobs[i].reason != NULL ? jobs[i].reason :
				    "handshake failed");
	for (i = 0; i < n; i++)
		if (jobs[i].addr != NULL && hs_spoke_tls(&jobs[i]))
			return NULL;
	for (i = 0; i < n; i++)
		if (jobs[i].addr != NULL && jobs[i].reason != NULL)
			return with_dns_time(p, &jobs[i]);
	return xstrdup("no TLS handshake");
}

/* Turn one address's jobs into facts and a chain. */
static void
collect(const struct probe_params *p, struct hs_job *jobs,
    struct hs_job *fallback, struct probe_result *r)
{
	struct probe_facts *f = &r->facts;
	int i;

	f->handshake_tried = true;
	if ((r->error = address_error(p, jobs, JOB__PER_ADDR)) != NULL)
		return;
	if (fallback->addr != NULL && hs_local_failure(fallback)) {
		r->error = xasprintf("could not be probed: %s (a limit on this "
		    "machine, not the server's answer)", fallback->reason);
		return;
	}
	fill_suites(f, jobs, p->policy);
	for (i = 0; i < SUITE__MAX && r->chain == NULL; i++)
		if (jobs[i].outcome == HS_OK)
			r->chain = take_chain(&jobs[i]);
	if (jobs[JOB_ANY].outcome == HS_OK) {
		f->tls12 = true;
		f->tls12_cipher = xstrdup(jobs[JOB_ANY].cipher);
		f->ocsp_stapled = jobs[JOB_ANY].ocsp;
		f->ocsp_status = jobs[JOB_ANY].ocsp_status;
		if (f->handshake_ms == 0)
			f->handshake_ms = jobs[JOB_ANY].ms;
	}
	for (i = 0; i < SUITE__MAX; i++)
		if (jobs[i].outcome == HS_OK)
			f->tls12 = true;
	if (f->tls12)
		f->tls_version = xstrdup("TLSv1.2");
	else if (fallback->outcome == HS_OK) {
		f->other_version = xstrdup(fallback->version);
		f->tls12_error = xasprintf("the server refuses TLS 1.2 (%s) but "
		    "completes a %s handshake", jobs[JOB_ANY].reason != NULL ?
		    jobs[JOB_ANY].reason : "handshake failed",
		    fallback->version);
	} else
		f->tls12_error = xasprintf("no TLS 1.2 handshake completed: %s",
		    jobs[JOB_ANY].reason != NULL ? jobs[JOB_ANY].reason :
		    "handshake failed");
	if (r->chain == NULL && jobs[JOB_ANY].outcome == HS_OK)
		r->chain = take_chain(&jobs[JOB_ANY]);
	if (r->chain == NULL && fallback->outcome == HS_OK)
		r->chain = take_chain(fallback);
	fill_sni(f, &jobs[JOB_ANY], &jobs[JOB_BARE], p->servername);
	if (p->sip_host != NULL)
		fill_sip(f, &jobs[JOB_SIP]);
}

/* The inventory's own bound on its handshakes (inventory.c). */
#define INVENTORY_BASE_MS 2000

/*
 * When the inventory must be over: 2 s plus four times the slowest
 * handshake that judged, and never past the probe's deadline, so a
 * server that drops an old ClientHello without a word costs seconds,
 * not the whole --timeout.
 */
static int64_t
inventory_deadline(const struct probe_params *p, const struct hs_job *jobs,
    size_t n)
{
	double slowest = 0;
	int64_t d;
	size_t k;

	for (k = 0; k < n; k++)
		if (jobs[k].addr != NULL && jobs[k].outcome == HS_OK &&
		    jobs[k].ms > slowest)
			slowest = jobs[k].ms;
	d = net_now_ms() + INVENTORY_BASE_MS + (int64_t)(4 * slowest);
	return d < p->deadline_ms ? d : p->deadline_ms;
}

int
probe_addresses(const struct probe_params *p,
    const struct sockaddr_storage *addrs, size_t n, struct probe_result *res,
    char **err)
{
	SSL_CTX *ctx = NULL;
	struct hs_job *jobs, *fb, **run;
	char *allowed = probe_cipher_list(p->policy), *sni_copy = NULL;
	size_t a, k, nrun = 0, nfb = 0;
	int i, rc = -1;

	jobs = xcalloc(n * JOB__PER_ADDR + 1, sizeof(*jobs));
	fb = xcalloc(n + 1, sizeof(*fb));
	run = xcalloc(n * JOB__PER_ADDR + 1, sizeof(*run));
	for (k = 0; k < n * JOB__PER_ADDR; k++)
		hs_job_init(&jobs[k]);
	for (a = 0; a < n; a++) {
		memset(&res[a], 0, sizeof(res[a]));
		probe_facts_init(&res[a].facts);
		hs_job_init(&fb[a]);
	}
	if ((ctx = probe_ctx_new(p, err)) == NULL)
		goto out;
	if (p->servername != NULL)
		sni_copy = xstrdup(p->servername);

	for (a = 0; a < n; a++) {
		struct hs_job *j = &jobs[a * JOB__PER_ADDR];

		/* A job whose addr stays NULL is not run (suite not allowed). */
		for (i = 0; i < SUITE__MAX; i++)
			if (p->policy->suites & (1u << i))
				job_tls12(&j[i], &addrs[a],
				    suite_openssl_name((enum suite)i), sni_copy);
		job_tls12(&j[JOB_ANY], &addrs[a], CIPHERS_ANY, sni_copy);
		j[JOB_ANY].want_ocsp = p->inventory;
		if (sni_copy != NULL)
			job_tls12(&j[JOB_BARE], &addrs[a], CIPHERS_ANY, NULL);
		if (p->sip_host != NULL) {
			job_tls12(&j[JOB_SIP], &addrs[a], allowed, sni_copy);
			j[JOB_SIP].sip_host = p->sip_host;
			j[JOB_SIP].sip_port = p->port;
		}
	}
	for (k = 0; k < n * JOB__PER_ADDR; k++)
		if (jobs[k].addr != NULL)
			run[nrun++] = &jobs[k];
	hs_run(ctx, run, nrun, p->deadline_ms, p->timeout_sec, p->max_conns,
	    p->per_addr);

	/* No TLS 1.2 at all, but TLS: fetch the chain with any version. */
	for (a = 0; a < n; a++) {
		struct hs_job *j = &jobs[a * JOB__PER_ADDR];
		bool any12 = false, tls = false;

		bool local = false, asked = false;

		for (i = 0; i < JOB__PER_ADDR; i++) {
			any12 |= j[i].addr != NULL && j[i].outcome == HS_OK;
			tls |= j[i].addr != NULL && hs_spoke_tls(&j[i]);
			local |= j[i].addr != NULL && hs_local_failure(&j[i]);
			asked |= j[i].addr != NULL && j[i].cert_requested;
		}
		/* Nothing to add when the address is an error anyway. */
		if (any12 || !tls || local || asked)
			continue;
		fb[a].addr = &addrs[a];
		fb[a].ciphers = CIPHERS_ANY;
		fb[a].sni = sni_copy;
		run[nfb++] = &fb[a];
	}
	if (nfb > 0 && net_now_ms() < p->deadline_ms)
		hs_run(ctx, run, nfb, p->deadline_ms, p->timeout_sec,
		    p->max_conns, p->per_addr);
	for (a = 0; a < n; a++)
		collect(p, &jobs[a * JOB__PER_ADDR], &fb[a], &res[a]);
	if (p->inventory)
		probe_inventory(ctx, p, addrs, n, res, sni_copy,
		    inventory_deadline(p, jobs, n * JOB__PER_ADDR));
	rc = 0;
out:
	for (k = 0; k < n * JOB__PER_ADDR; k++)
		hs_job_free(&jobs[k]);
	for (a = 0; a < n; a++)
		hs_job_free(&fb[a]);
	free(jobs);
	free(fb);
	free(run);
	free(allowed);
	free(sni_copy);
	SSL_CTX_free(ctx);
	return rc;
}

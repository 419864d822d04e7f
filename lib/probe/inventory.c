/*
 * inventory.c - what a server enables beyond what the carrier needs:
 * TLS 1.0, 1.1 and 1.3, and TLS 1.2 suites other than the policy's.
 * tls-inventory reports it as a notice; nothing here changes a verdict.
 *
 * It runs after the handshakes that judge (probe.c), so it never takes
 * their time or their connections, with the same connection share and
 * under a deadline of its own that never passes the probe's: a server
 * that silently drops an old ClientHello must not hold a probe for the
 * whole --timeout.
 *
 *   one handshake per version, offering that version alone;
 *   rounds of TLS 1.2 handshakes offering every suite OpenSSL knows but
 *   the policy's and those found so far, until the server refuses one
 *   (the list is complete), PROBE_INV_MAX_SUITES are found, or time is
 *   up.  The rounds of all the addresses run at once.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "probe/probe.h"

/* Every TLS 1.2 suite OpenSSL knows, except those without authentication. */
#define INV_CIPHERS_ANY "ALL:!aNULL:!eNULL"

static const int inv_versions[TLSO__MAX] = {
	[TLSO_10] = TLS1_VERSION,
	[TLSO_11] = TLS1_1_VERSION,
	[TLSO_13] = TLS1_3_VERSION,
};

/* 1 the server took it, 0 it refused, -1 no answer to tell. */
static int
offer_state(const struct hs_job *j)
{
	switch (j->outcome) {
	case HS_OK:
		return 1;
	case HS_ALERT:
	case HS_TLS_ERROR:
	case HS_CLOSED:
	case HS_RESET:
		return 0;
	default:
		return -1;
	}
}

/* Every suite but the policy's and those in f: "ALL:...:!A:!B". */
static char *
others_list(const struct policy *pol, const struct probe_facts *f)
{
	struct buf b = { 0 };
	size_t k;
	int i;

	buf_adds(&b, INV_CIPHERS_ANY);
	for (i = 0; i < SUITE__MAX; i++)
		if (pol->suites & (1u << i))
			buf_addf(&b, ":!%s", suite_openssl_name((enum suite)i));
	for (k = 0; k < f->n_inv_suites; k++)
		buf_addf(&b, ":!%s", f->inv_suites[k]);
	return buf_steal(&b);
}

void
probe_inventory(SSL_CTX *ctx, const struct probe_params *p,
    const struct sockaddr_storage *addrs, size_t n, struct probe_result *res,
    const char *sni, int64_t deadline_ms)
{
	struct hs_job *vj = xcalloc(n * TLSO__MAX + 1, sizeof(*vj));
	struct hs_job *sj = xcalloc(n + 1, sizeof(*sj));
	struct hs_job **run = xcalloc(n * (TLSO__MAX + 1) + 1, sizeof(*run));
	char **lists = xcalloc(n + 1, sizeof(*lists));
	bool *pending = xcalloc(n + 1, sizeof(*pending));
	size_t a, nrun = 0, round;
	struct probe_facts *f;
	int v, st;

	for (a = 0; a < n * TLSO__MAX; a++)
		hs_job_init(&vj[a]);
	for (a = 0; a < n; a++) {
		hs_job_init(&sj[a]);
		if (res[a].error != NULL)
			continue;
		res[a].facts.inv_tried = true;
		for (v = 0; v < TLSO__MAX; v++) {
			hs_job_offer(&vj[a * TLSO__MAX + v], &addrs[a],
			    inv_versions[v], INV_CIPHERS_ANY, sni);
			run[nrun++] = &vj[a * TLSO__MAX + v];
		}
		lists[a] = others_list(p->policy, &res[a].facts);
		hs_job_offer(&sj[a], &addrs[a], TLS1_2_VERSION, lists[a], sni);
		run[nrun++] = &sj[a];
	}
	for (round = 0; nrun > 0 && net_now_ms() < deadline_ms; round++) {
		hs_run(ctx, run, nrun, deadline_ms, p->timeout_sec,
		    p->max_conns, p->per_addr);
		for (a = 0; a < n; a++) {
			f = &res[a].facts;
			if (round == 0 && f->inv_tried)
				for (v = 0; v < TLSO__MAX; v++)
					f->inv_version[v] = offer_state(
					    &vj[a * TLSO__MAX + v]);
			pending[a] = false;
			if (!f->inv_tried || sj[a].addr == NULL ||
			    f->inv_suites_complete)
				continue;
			st = offer_state(&sj[a]);
			/* Nothing left that this OpenSSL could offer. */
			if (sj[a].outcome == HS_SETUP)
				st = 0;
			if (st == 0)
				f->inv_suites_complete = true;
			if (st != 1 || sj[a].cipher == NULL)
				continue;
			f->inv_suites = xreallocarray(f->inv_suites,
			    f->n_inv_suites + 1, sizeof(*f->inv_suites));
			f->inv_suites[f->n_inv_suites++] = xstrdup(sj[a].cipher);
			pending[a] = f->n_inv_suites < PROBE_INV_MAX_SUITES;
		}
		/* The next round: each address whose last offer was taken. */
		for (a = nrun = 0; a < n; a++) {
			if (!pending[a])
				continue;
			hs_job_free(&sj[a]);
			free(lists[a]);
			lists[a] = others_list(p->policy, &res[a].facts);
			hs_job_offer(&sj[a], &addrs[a], TLS1_2_VERSION, lists[a],
			    sni);
			run[nrun++] = &sj[a];
		}
	}
	for (a = 0; a < n * TLSO__MAX; a++)
		hs_job_free(&vj[a]);
	for (a = 0; a < n; a++) {
		hs_job_free(&sj[a]);
		free(lists[a]);
	}
	free(vj);
	free(sj);
	free(run);
	free(lists);
	free(pending);
}

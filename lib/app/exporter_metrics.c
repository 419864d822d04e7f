/*
 * exporter_metrics.c - what the exporter's /metrics says about itself,
 * followed by the latest sweep of --targets.
 *
 * Counters end in _total and times are in seconds, as promtool's
 * lint wants; every family is written once with its HELP and TYPE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/exporter.h"

static const char *const cause_names[CAUSE__MAX] = {
	[CAUSE_ERROR] = "error",
	[CAUSE_HANDSHAKE] = "handshake",
	[CAUSE_NONCOMPLIANT] = "noncompliant",
};

static const char *const reject_names[REJECT__MAX] = {
	[REJECT_BAD_TARGET] = "bad_target",
	[REJECT_NOT_ALLOWED] = "not_allowed",
	[REJECT_RATE] = "rate",
	[REJECT_BUSY] = "busy",
	[REJECT_METHOD] = "method",
	[REJECT_NOT_FOUND] = "not_found",
	[REJECT_NAMES] = "names",
};

static void
family(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

char *
exporter_metrics(struct exporter *ex, size_t *len)
{
	struct buf b = { 0 };
	int i;

	pthread_mutex_lock(&ex->mu);
	family(&b, "bwcertcheck_exporter_start_time_seconds", "gauge",
	    "When the exporter started, as a Unix time");
	buf_addf(&b, "bwcertcheck_exporter_start_time_seconds %lld\n",
	    (long long)ex->started);
	family(&b, "bwcertcheck_exporter_requests_total", "counter",
	    "HTTP requests received");
	buf_addf(&b, "bwcertcheck_exporter_requests_total %llu\n",
	    (unsigned long long)ex->requests_total);
	family(&b, "bwcertcheck_exporter_requests_rejected_total", "counter",
	    "Requests answered with an error before any probe, by reason");
	for (i = 0; i < REJECT__MAX; i++)
		buf_addf(&b, "bwcertcheck_exporter_requests_rejected_total"
		    "{reason=\"%s\"} %llu\n", reject_names[i],
		    (unsigned long long)ex->rejected[i]);
	family(&b, "bwcertcheck_exporter_probes_total", "counter",
	    "Targets probed, for /probe and the sweep");
	buf_addf(&b, "bwcertcheck_exporter_probes_total %llu\n",
	    (unsigned long long)ex->probes_total);
	family(&b, "bwcertcheck_exporter_probe_failures_total", "counter",
	    "Probes that did not come out compliant, by cause: error (could "
	    "not evaluate), handshake (no TLS 1.2 handshake), noncompliant "
	    "(an error-severity rule failed)");
	for (i = 0; i < CAUSE__MAX; i++)
		buf_addf(&b, "bwcertcheck_exporter_probe_failures_total"
		    "{cause=\"%s\"} %llu\n", cause_names[i],
		    (unsigned long long)ex->failures[i]);
	family(&b, "bwcertcheck_exporter_cache_hits_total", "counter",
	    "/probe requests answered by a probe made less than --interval "
	    "ago or already under way");
	buf_addf(&b, "bwcertcheck_exporter_cache_hits_total %llu\n",
	    (unsigned long long)ex->cache_hits);
	family(&b, "bwcertcheck_exporter_probes_in_flight", "gauge",
	    "Probes running now (at most --jobs)");
	buf_addf(&b, "bwcertcheck_exporter_probes_in_flight %d\n", ex->running);
	family(&b, "bwcertcheck_exporter_probes_queued", "gauge",
	    "Probes waiting for a worker");
	buf_addf(&b, "bwcertcheck_exporter_probes_queued %zu\n", ex->q_len);
	if (ex->n_targets > 0) {
		family(&b, "bwcertcheck_exporter_sweeps_total", "counter",
		    "Sweeps of --targets finished");
		buf_addf(&b, "bwcertcheck_exporter_sweeps_total %llu\n",
		    (unsigned long long)ex->sweeps_total);
		family(&b, "bwcertcheck_exporter_sweep_targets", "gauge",
		    "Targets in the --targets file");
		buf_addf(&b, "bwcertcheck_exporter_sweep_targets %zu\n",
		    ex->n_targets);
	}
	if (ex->sweeps_total > 0) {
		family(&b, "bwcertcheck_exporter_last_sweep_timestamp_seconds",
		    "gauge", "When the latest sweep finished, as a Unix time");
		buf_addf(&b, "bwcertcheck_exporter_last_sweep_timestamp_seconds "
		    "%lld\n", (long long)ex->last_sweep_end);
		family(&b, "bwcertcheck_exporter_last_sweep_duration_seconds",
		    "gauge", "How long the latest sweep took");
		buf_addf(&b, "bwcertcheck_exporter_last_sweep_duration_seconds "
		    "%.3f\n", ex->last_sweep_seconds);
	}
	if (ex->sweep_text != NULL)
		buf_add(&b, ex->sweep_text, ex->sweep_len);
	pthread_mutex_unlock(&ex->mu);
	*len = b.len;
	return buf_steal(&b);
}

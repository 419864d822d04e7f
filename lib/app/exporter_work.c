/*
 * exporter_work.c - the exporter's probes: one pool of --jobs workers
 * for /probe requests and the background sweep, a cache so that a
 * target is probed at most once per --interval, and the latest sweep.
 *
 * A /probe request for a target already being probed waits for that
 * probe instead of starting another; a request for a target probed
 * less than --interval ago is answered from the cache.  Workers take
 * /probe work first and sweep targets when no request waits, so the
 * sweep never delays a scrape by more than the probes already running
 * and the number of probes at once never exceeds --jobs.
 *
 * Each probe is the probe command's own (op_probe_one, then
 * op_probe_report_one into the Prometheus reporter), written to memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/exporter.h"
#include "app/op.h"

/* One target of /probe: its latest answer, or the probe under way. */
struct cache_entry {
	char *key;			/* host, port and fqdn */
	struct probe_target t;
	bool busy;			/* queued or being probed */
	int64_t done_ms;		/* when the answer was made; 0: none */
	char *text;
	size_t len;
	struct exporter_request *waiters;
	struct cache_entry *next;	/* in the queue */
};

static char *
entry_key(const struct probe_target *t)
{
	return xasprintf("%s\n%d\n%s", t->host, t->port,
	    t->fqdn != NULL ? t->fqdn : "");
}

static void
entry_free(struct cache_entry *e)
{
	if (e == NULL)
		return;
	free(e->key);
	probe_target_free(&e->t);
	free(e->text);
	free(e);
}

/* A copy of the run that judges at the present instant (or --at). */
static void
run_now(const struct exporter *ex, struct run *r)
{
	*r = *ex->run;
	if (!ex->now_fixed)
		r->now = time(NULL);
}

static enum probe_cause
cause_of(const struct report *rep, bool success)
{
	if (rep->n_by_result[RESULT_ERROR] > 0 || rep->n_subjects == 0)
		return CAUSE_ERROR;
	if (!success)
		return CAUSE_HANDSHAKE;
	return CAUSE_NONCOMPLIANT;
}

/*
 * Probe t as `probe --format prometheus` would, plus the two summary
 * samples.  Returns the text (caller frees) and its length; counts it.
 */
static char *
probe_render(struct exporter *ex, const struct probe_target *t, size_t *len)
{
	struct run r;
	struct report rep;
	char *buf = NULL;
	size_t n = 0;
	FILE *f;
	int64_t t0 = net_now_ms();
	enum result res;
	bool ok;

	run_now(ex, &r);
	r.fqdn = NULL;		/* t->fqdn says it, --fqdn included */
	if ((f = open_memstream(&buf, &n)) == NULL)
		fatal_oom();
	report_begin(&rep, &report_prometheus, f, &r.policy, r.now, false,
	    REPORT_PROBE);
	res = op_probe_report_one(&r, &rep, op_probe_one(&r, t));
	res = result_worst(res, rep.worst);
	ok = report_prometheus_probe_summary(&rep,
	    (double)(net_now_ms() - t0) / 1000.0);
	report_end(&rep);
	if (fclose(f) != 0)
		fatal_oom();

	pthread_mutex_lock(&ex->mu);
	ex->probes_total++;
	if (res >= RESULT_FAIL || !ok)
		ex->failures[cause_of(&rep, ok)]++;
	pthread_mutex_unlock(&ex->mu);
	*len = n;
	return buf;
}

/* Hand every waiter of e its answer; the caller calls them unlocked. */
static struct exporter_request *
take_waiters(struct cache_entry *e, int status)
{
	struct exporter_request *w = e->waiters, *q;

	e->waiters = NULL;
	for (q = w; q != NULL; q = q->next) {
		q->status = status;
		if (status == 200) {
			q->body = xmalloc(e->len + 1);
			memcpy(q->body, e->text, e->len);
			q->len = e->len;
		}
	}
	return w;
}

static void
call_waiters(struct exporter_request *w)
{
	struct exporter_request *next;

	for (; w != NULL; w = next) {
		next = w->next;
		w->next = NULL;
		w->done(w);
	}
}

/* The sweep's last target is in: keep its text as the latest. */
static void
sweep_finish(struct exporter *ex)
{
	pthread_mutex_lock(&ex->report_mu);
	report_end(ex->sweep_rep);
	pthread_mutex_unlock(&ex->report_mu);
	if (fclose(ex->sweep_out) != 0)
		fatal_oom();
	free(ex->sweep_rep);
	ex->sweep_rep = NULL;
	ex->sweep_out = NULL;
	free(ex->sweep_text);
	ex->sweep_text = ex->sweep_buf;
	ex->sweep_len = ex->sweep_buflen;
	ex->sweep_buf = NULL;
	ex->sweeping = false;
	ex->sweeps_total++;
	ex->last_sweep_end = time(NULL);
	ex->last_sweep_seconds = (double)(net_now_ms() - ex->sweep_start_ms) /
	    1000.0;
}

/* Probe sweep target i; called and returning with ex->mu held. */
static void
sweep_one(struct exporter *ex, size_t i)
{
	struct target_out *out;
	enum result res;

	ex->running++;
	pthread_mutex_unlock(&ex->mu);
	out = op_probe_one(&ex->sweep_run, &ex->targets[i]);
	pthread_mutex_lock(&ex->report_mu);
	res = op_probe_report_one(&ex->sweep_run, ex->sweep_rep, out);
	pthread_mutex_unlock(&ex->report_mu);
	pthread_mutex_lock(&ex->mu);
	ex->running--;
	ex->probes_total++;
	if (res == RESULT_ERROR)
		ex->failures[CAUSE_ERROR]++;
	else if (res == RESULT_FAIL)
		ex->failures[CAUSE_NONCOMPLIANT]++;
	ex->sweep_outstanding--;
	if (ex->sweep_next == ex->n_targets && ex->sweep_outstanding == 0 &&
	    !ex->stopping)
		sweep_finish(ex);
}

/* Probe queued entry e; called and returning with ex->mu held. */
static void
probe_one(struct exporter *ex, struct cache_entry *e)
{
	struct exporter_request *w;
	char *text;
	size_t len;

	ex->running++;
	pthread_mutex_unlock(&ex->mu);
	text = probe_render(ex, &e->t, &len);
	pthread_mutex_lock(&ex->mu);
	ex->running--;
	free(e->text);
	e->text = text;
	e->len = len;
	e->done_ms = net_now_ms();
	e->busy = false;
	w = take_waiters(e, 200);
	pthread_mutex_unlock(&ex->mu);
	call_waiters(w);
	pthread_mutex_lock(&ex->mu);
}

static void *
worker(void *arg)
{
	struct exporter *ex = arg;
	struct cache_entry *e;

	pthread_mutex_lock(&ex->mu);
	for (;;) {
		while (!ex->stopping && ex->q_head == NULL &&
		    !(ex->sweeping && ex->sweep_next < ex->n_targets))
			pthread_cond_wait(&ex->work_cv, &ex->mu);
		if (ex->stopping)
			break;
		if ((e = ex->q_head) != NULL) {
			ex->q_head = e->next;
			if (ex->q_head == NULL)
				ex->q_tail = NULL;
			e->next = NULL;
			ex->q_len--;
			probe_one(ex, e);
		} else {
			ex->sweep_outstanding++;
			sweep_one(ex, ex->sweep_next++);
		}
	}
	pthread_mutex_unlock(&ex->mu);
	return NULL;
}

int
exporter_start(struct exporter *ex, char **err)
{
	pthread_attr_t attr;
	size_t i;

	pthread_mutex_init(&ex->mu, NULL);
	pthread_mutex_init(&ex->report_mu, NULL);
	pthread_cond_init(&ex->work_cv, NULL);
	ex->started = time(NULL);
	ex->cache = xcalloc(EXPORTER_CACHE_MAX, sizeof(*ex->cache));
	ex->workers = xcalloc((size_t)ex->jobs, sizeof(*ex->workers));
	pthread_attr_init(&attr);
	/* The probe needs little stack; 1 MiB leaves a wide margin. */
	pthread_attr_setstacksize(&attr, 1024 * 1024);
	for (i = 0; i < (size_t)ex->jobs; i++)
		if (pthread_create(&ex->workers[i], &attr, worker, ex) != 0)
			break;
	pthread_attr_destroy(&attr);
	ex->n_workers = i;
	if (i == 0) {
		*err = xstrdup("cannot start any worker thread");
		return -1;
	}
	return 0;
}

/* Make room for one more cache entry: drop the oldest idle one. */
static bool
cache_room(struct exporter *ex)
{
	size_t i, oldest = ex->n_cache;

	if (ex->n_cache < EXPORTER_CACHE_MAX)
		return true;
	for (i = 0; i < ex->n_cache; i++)
		if (!ex->cache[i]->busy && (oldest == ex->n_cache ||
		    ex->cache[i]->done_ms < ex->cache[oldest]->done_ms))
			oldest = i;
	if (oldest == ex->n_cache)
		return false;
	entry_free(ex->cache[oldest]);
	ex->cache[oldest] = ex->cache[--ex->n_cache];
	return true;
}

/* Is e an answer younger than --interval, or a probe under way? */
static bool
entry_fresh(const struct exporter *ex, const struct cache_entry *e,
    int64_t now)
{
	return e->busy || (e->done_ms > 0 &&
	    now - e->done_ms < (int64_t)ex->interval_sec * 1000);
}

/* How many fqdn values of t's HOST:PORT are fresh in the cache. */
static size_t
names_of_target(const struct exporter *ex, const struct probe_target *t,
    int64_t now)
{
	size_t i, n = 0;

	for (i = 0; i < ex->n_cache; i++)
		if (ex->cache[i]->t.port == t->port &&
		    strcmp(ex->cache[i]->t.host, t->host) == 0 &&
		    entry_fresh(ex, ex->cache[i], now))
			n++;
	return n;
}

int
exporter_probe(struct exporter *ex, struct probe_target *t,
    struct exporter_request *req)
{
	struct cache_entry *e = NULL;
	char *key = entry_key(t);
	int64_t now = net_now_ms();
	size_t i;
	int rc = -1;

	pthread_mutex_lock(&ex->mu);
	if (ex->stopping)
		goto out;
	for (i = 0; i < ex->n_cache; i++)
		if (strcmp(ex->cache[i]->key, key) == 0) {
			e = ex->cache[i];
			break;
		}
	if (e != NULL && !e->busy && entry_fresh(ex, e, now)) {
		req->status = 200;
		req->body = xmalloc(e->len + 1);
		memcpy(req->body, e->text, e->len);
		req->len = e->len;
		ex->cache_hits++;
		rc = 1;
		goto out;
	}
	if (e == NULL || !e->busy) {
		if (ex->q_len >= EXPORTER_QUEUE_MAX)
			goto out;
		if (e == NULL) {
			if (names_of_target(ex, t, now) >=
			    EXPORTER_NAMES_PER_TARGET) {
				rc = -2;
				goto out;
			}
			if (!cache_room(ex))
				goto out;
			e = xcalloc(1, sizeof(*e));
			e->key = key;
			key = NULL;
			e->t = *t;
			memset(t, 0, sizeof(*t));
			ex->cache[ex->n_cache++] = e;
		}
		e->busy = true;
		if (ex->q_tail != NULL)
			ex->q_tail->next = e;
		else
			ex->q_head = e;
		ex->q_tail = e;
		ex->q_len++;
		pthread_cond_signal(&ex->work_cv);
	} else
		ex->cache_hits++;	/* joins the probe under way */
	req->next = e->waiters;
	e->waiters = req;
	rc = 0;
out:
	pthread_mutex_unlock(&ex->mu);
	probe_target_free(t);
	free(key);
	return rc;
}

void
exporter_sweep(struct exporter *ex)
{
	pthread_mutex_lock(&ex->mu);
	if (ex->n_targets == 0 || ex->sweeping || ex->stopping) {
		pthread_mutex_unlock(&ex->mu);
		return;
	}
	run_now(ex, &ex->sweep_run);
	ex->sweep_buf = NULL;
	ex->sweep_buflen = 0;
	if ((ex->sweep_out = open_memstream(&ex->sweep_buf,
	    &ex->sweep_buflen)) == NULL)
		fatal_oom();
	ex->sweep_rep = xcalloc(1, sizeof(*ex->sweep_rep));
	report_begin(ex->sweep_rep, &report_prometheus, ex->sweep_out,
	    &ex->sweep_run.policy, ex->sweep_run.now, false, REPORT_PROBE);
	ex->sweep_next = 0;
	ex->sweep_outstanding = 0;
	ex->sweep_start_ms = net_now_ms();
	ex->sweeping = true;
	pthread_cond_broadcast(&ex->work_cv);
	pthread_mutex_unlock(&ex->mu);
}

void
exporter_count_reject(struct exporter *ex, enum reject_reason why)
{
	pthread_mutex_lock(&ex->mu);
	if ((unsigned)why < REJECT__MAX)
		ex->rejected[why]++;
	pthread_mutex_unlock(&ex->mu);
}

void
exporter_stop(struct exporter *ex)
{
	struct exporter_request *all = NULL, *w, *last;
	struct cache_entry *e;
	size_t i;

	pthread_mutex_lock(&ex->mu);
	ex->stopping = true;
	/* Queued probes will not run: their requests get 503 now. */
	for (e = ex->q_head; e != NULL; e = e->next) {
		e->busy = false;
		if ((w = take_waiters(e, 503)) == NULL)
			continue;
		for (last = w; last->next != NULL; last = last->next)
			;
		last->next = all;
		all = w;
	}
	ex->q_head = ex->q_tail = NULL;
	ex->q_len = 0;
	pthread_cond_broadcast(&ex->work_cv);
	pthread_mutex_unlock(&ex->mu);
	call_waiters(all);
	/* Running probes end by their own deadline and answer their waiters. */
	for (i = 0; i < ex->n_workers; i++)
		pthread_join(ex->workers[i], NULL);

	if (ex->sweep_rep != NULL) {
		report_end(ex->sweep_rep);	/* a sweep cut short: dropped */
		fclose(ex->sweep_out);
		free(ex->sweep_rep);
		free(ex->sweep_buf);
	}
	for (i = 0; i < ex->n_cache; i++)
		entry_free(ex->cache[i]);
	free(ex->cache);
	free(ex->workers);
	free(ex->sweep_text);
	pthread_mutex_destroy(&ex->mu);
	pthread_mutex_destroy(&ex->report_mu);
	pthread_cond_destroy(&ex->work_cv);
}

/*
 * check_time.c - validity: not-expired, expires-soon.
 *
 * Both walk the judged chain (the path and the root reached) and judge
 * every certificate at the run's one instant (now or --at).
 */
#include <stdlib.h>

#include "core/timeutil.h"
#include "rules/check_util.h"

struct time_walk {
	const struct check_input *in;
	struct problems p;
	time_t soonest;
	int soonest_idx;
	const struct cert_facts *soonest_cert;
	bool critical;		/* expires-soon: one is within --crit-days */
	time_t warn, crit;	/* expires-soon: the limits, in seconds */
	int expired;		/* expires-soon: certificates already expired */
	int expired_idx;
};

/* Remember the certificate that expires first. */
static void
note_soonest(struct time_walk *w, const struct cert_facts *f, int idx)
{
	if (w->soonest_cert == NULL || f->not_after < w->soonest) {
		w->soonest = f->not_after;
		w->soonest_idx = idx;
		w->soonest_cert = f;
	}
}

static void
expired_each(const struct cert_facts *f, int idx, void *arg)
{
	struct time_walk *w = arg;
	char when[32], *ref;

	if (!f->times_valid) {
		ref = cert_ref(f, idx);
		problems_add(&w->p, idx, "%s has an undecodable validity", ref);
		free(ref);
		return;
	}
	if (w->in->now < f->not_before) {
		time_format(f->not_before, when, sizeof(when));
		ref = cert_ref(f, idx);
		problems_add(&w->p, idx, "%s is not valid before %s", ref, when);
		free(ref);
	} else if (w->in->now > f->not_after) {
		time_format(f->not_after, when, sizeof(when));
		ref = cert_ref(f, idx);
		problems_add(&w->p, idx, "%s expired on %s", ref, when);
		free(ref);
	}
	note_soonest(w, f, idx);
}

/* RFC 5280 6.1.3 (a)(2): the current time is within every validity period. */
static bool
on_path(const struct chain_facts *c, size_t i)
{
	size_t k;

	for (k = 0; k < c->path_len; k++)
		if (c->path[k] == i)
			return true;
	return false;
}

/*
 * Certificates of the input that are not on the path and have expired
 * (an old cross-sign sent along, as DST Root CA X3's was in 2021):
 * the path does not need them, but a client that builds its own path
 * through them fails.
 */
static void
off_path_expired(const struct check_input *in, struct problems *p)
{
	const struct chain_facts *c = in->chain;
	char when[32], *ref;
	size_t i;

	if (c->path_len == 0)
		return;
	for (i = 0; i < c->n; i++) {
		if (on_path(c, i) || !c->certs[i].times_valid ||
		    in->now <= c->certs[i].not_after)
			continue;
		time_format(c->certs[i].not_after, when, sizeof(when));
		ref = cert_ref(&c->certs[i], (int)i);
		problems_add(p, (int)i, "%s, sent but not on the path, expired "
		    "on %s", ref, when);
		free(ref);
	}
}

void
check_not_expired(const struct check_input *in, struct verdict *v)
{
	struct time_walk w = { .in = in };
	struct problems extra = { .first_cert = -1 };
	char when[32], *ref;

	chain_foreach(in->chain, expired_each, &w);
	off_path_expired(in, &extra);
	if (w.p.count > 0)
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s", w.p.text.ptr);
	else if (w.soonest_cert != NULL) {
		time_format(w.soonest, when, sizeof(when));
		ref = cert_ref(w.soonest_cert, w.soonest_idx);
		if (extra.count > 0)
			verdict_set(v, STATUS_PASS, -1, "every certificate of the "
			    "path is valid; the first to expire is %s, on %s; but "
			    "%s (expires-soon)", ref, when, extra.text.ptr);
		else
			verdict_set(v, STATUS_PASS, -1, "every certificate is "
			    "valid; the first to expire is %s, on %s", ref, when);
		free(ref);
	} else
		verdict_set(v, STATUS_PASS, -1, "every certificate is valid");
	buf_free(&w.p.text);
	buf_free(&extra.text);
}

/*
 * The limits of --warn-days and --crit-days in seconds.  A share (N%)
 * is of the leaf's lifetime, the renewal cadence, and applies to every
 * certificate of the chain: a share of a 25-year root's lifetime would
 * warn eight years ahead.
 */
static void
soon_limits(const struct policy *p, const struct cert_facts *leaf,
    time_t *warn, time_t *crit)
{
	time_t nb = 0, na = 0;

	if (leaf != NULL && leaf->times_valid) {
		nb = leaf->not_before;
		na = leaf->not_after;
	}
	*warn = policy_limit_seconds(p->warn_days, p->warn_percent, nb, na);
	*crit = policy_limit_seconds(p->crit_days, p->crit_percent, nb, na);
}

static void
soon_each(const struct cert_facts *f, int idx, void *arg)
{
	struct time_walk *w = arg;
	char when[32], *ref;
	time_t left;
	long days;
	bool crit;

	if (!f->times_valid)
		return;
	days = time_days_until(w->in->now, f->not_after);
	note_soonest(w, f, idx);
	left = f->not_after - w->in->now;
	/* Expired is not-expired's finding: said once, not twice. */
	if (left < 0) {
		if (w->expired++ == 0)
			w->expired_idx = idx;
		return;
	}
	/* --crit-days 0 (the default): never an error; not-expired judges expiry. */
	crit = w->in->policy->crit_days > 0 && left <= w->crit;
	if (left > w->warn && !crit)
		return;
	if (crit)
		w->critical = true;
	time_format(f->not_after, when, sizeof(when));
	ref = cert_ref(f, idx);
	problems_add(&w->p, idx, "%s expires in %ld day%s (%s)", ref, days,
	    days == 1 ? "" : "s", when);
	free(ref);
}

/*
 * Warn when a certificate expires within --warn-days (days, or a share
 * of the leaf's lifetime: a fixed 30 days is most of a 47-day
 * certificate's life and more than a 6-day one's); fail as an error
 * within --crit-days.
 */
void
check_expires_soon(const struct check_input *in, struct verdict *v)
{
	const struct policy *p = in->policy;
	struct time_walk w = { .in = in };
	struct problems extra = { .first_cert = -1 };
	char when[32], lim[48], *ref;

	soon_limits(p, chain_leaf(in->chain), &w.warn, &w.crit);
	chain_foreach(in->chain, soon_each, &w);
	off_path_expired(in, &extra);
	if (extra.count > 0 && !w.critical) {
		if (w.p.count > 0) {
			policy_limit_text(p->warn_days, p->warn_percent, lim,
			    sizeof(lim));
			verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s (warning "
			    "at %s); %s: drop it", w.p.text.ptr, lim,
			    extra.text.ptr);
		} else
			verdict_set(v, STATUS_FAIL, extra.first_cert, "%s: a "
			    "client that builds its path through it fails (as "
			    "older ones did when DST Root CA X3 expired in 2021); "
			    "drop it", extra.text.ptr);
	} else if (w.p.count > 0 && w.critical) {
		policy_limit_text(p->crit_days, p->crit_percent, lim, sizeof(lim));
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s (an error "
		    "at %s, --crit-days)", w.p.text.ptr, lim);
		v->severity = SEV_ERROR;
	} else if (w.p.count > 0) {
		policy_limit_text(p->warn_days, p->warn_percent, lim, sizeof(lim));
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s (warning "
		    "at %s)", w.p.text.ptr, lim);
	} else if (w.expired > 0) {
		verdict_set(v, STATUS_SKIP, w.expired_idx, "%d certificate%s "
		    "already expired: not-expired reports %s", w.expired,
		    w.expired == 1 ? " has" : "s have",
		    w.expired == 1 ? "it" : "them");
	} else if (w.soonest_cert != NULL) {
		time_format(w.soonest, when, sizeof(when));
		ref = cert_ref(w.soonest_cert, w.soonest_idx);
		policy_limit_text(p->warn_days, p->warn_percent, lim, sizeof(lim));
		if (p->warn_percent)
			verdict_set(v, STATUS_PASS, w.soonest_idx, "%s expires "
			    "in %ld days (%s), more than %s (%lld days)", ref,
			    time_days_until(in->now, w.soonest), when, lim,
			    (long long)w.warn / 86400);
		else
			verdict_set(v, STATUS_PASS, w.soonest_idx, "%s expires "
			    "in %ld days (%s), more than %d", ref,
			    time_days_until(in->now, w.soonest), when,
			    p->warn_days);
		free(ref);
	} else
		verdict_set(v, STATUS_FAIL, -1, "no validity period could be read");
	buf_free(&w.p.text);
	buf_free(&extra.text);
}

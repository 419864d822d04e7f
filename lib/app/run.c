/*
 * run.c - the run's defaults and its end.
 */
#include <stdlib.h>
#include <string.h>

#include "app/run.h"

void
run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	policy_default(&r->policy);
	r->now = time(NULL);
	r->timeout_sec = 10;
	r->jobs = 1;
	r->count = 1;
	r->format = "text";
	r->interval_sec = 300;
}

void
run_free(struct run *r)
{
	if (r == NULL)
		return;
	trust_free(r->trust);
	r->trust = NULL;
	free(r->fqdn);
	r->fqdn = NULL;
	free(r->allow);
	r->allow = NULL;
}

void
run_judge(const struct run *r, struct subject *s)
{
	struct judge_ctx jc = {
		.policy = &r->policy,
		.now = r->now,
		.builtin_roots = r->trust != NULL && r->trust->builtin,
		.sip = r->sip,
		.disabled = r->disabled,
	};

	rules_judge(&jc, s);
}

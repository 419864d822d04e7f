/*
 * engine.h - run every rule of the table over a subject.
 */
#ifndef BWC_ENGINE_H
#define BWC_ENGINE_H

#include "core/subject.h"
#include "rules/rules.h"

/* What every rule judges with: the part of the run the rules see. */
struct judge_ctx {
	const struct policy *policy;
	time_t now;			/* one instant for every rule */
	bool builtin_roots;		/* anchors are the built-in roots */
	bool sip;			/* SIP OPTIONS was asked for (--sip) */
	const bool *disabled;		/* [RULES_MAX] by rule_table index, or NULL */
};

/*
 * Judge s with every rule that applies to its kind; a rule whose input
 * is missing or that is disabled is recorded as skipped.  Sets
 * s->findings and s->result.  A subject with s->error set is left as it
 * is (result error).
 */
void rules_judge(const struct judge_ctx *, struct subject *s);

#endif

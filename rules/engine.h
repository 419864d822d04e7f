/*
 * engine.h - run every rule of the table over a subject.
 */
#ifndef BWC_ENGINE_H
#define BWC_ENGINE_H

#include "app/run.h"
#include "core/subject.h"

/*
 * Judge s with every rule that applies to its kind; a rule whose input
 * is missing or that is disabled is recorded as skipped.  Sets
 * s->findings and s->result.  A subject with s->error set is left as it
 * is (result error).
 */
void engine_judge(const struct run *, struct subject *s);

#endif

/*
 * check_util.h - small helpers the check functions share.
 */
#ifndef BWC_CHECK_UTIL_H
#define BWC_CHECK_UTIL_H

#include "rules/rules.h"

/*
 * "cert 1 (R11)" for an input certificate, "root ISRG Root X1" for an
 * anchor taken from the store (idx -1).  A new string the caller frees.
 */
char *cert_ref(const struct cert_facts *, int idx);

/* Collects "problem; problem" while walking the chain. */
struct problems {
	struct buf text;
	int count;
	int first_cert;		/* input index of the first problem, or -1 */
};

void problems_add(struct problems *, int idx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

/*
 * facts_memo.h - the facts of the CA certificates a run meets again.
 *
 * Over a directory of chains from one CA every chain holds the same
 * intermediate, and the load cache hands each one the same parsed
 * object; its facts (two name prints, two SHA-256 digests, the
 * extensions) are the same every time.  A facts_memo keeps the facts of
 * the last CA certificates met, by object, and gives a copy instead of
 * working them out again.  An object is held with a reference of its
 * own while it is in the memo, so its address is never another
 * certificate's; loaded certificates are never modified.
 *
 * Bounded (FACTS_MEMO_SLOTS certificates, the oldest replaced first) and
 * safe to share between threads.
 */
#ifndef BWC_FACTS_MEMO_H
#define BWC_FACTS_MEMO_H

#include "core/cert_facts.h"

typedef struct x509_st X509;

#define FACTS_MEMO_SLOTS 16

struct facts_memo;

/* A new, empty memo.  Free with facts_memo_free() (NULL is a no-op). */
struct facts_memo *facts_memo_new(void);
void facts_memo_free(struct facts_memo *);

/*
 * facts_from_x509(x, f), or a copy of the facts it gave for the same
 * object before; a CA certificate's facts are kept for next time.  m
 * NULL: facts_from_x509() alone.  Returns what facts_from_x509() does.
 */
int facts_memo_get(struct facts_memo *m, X509 *x, struct cert_facts *f);

/*
 * Forget every certificate held (and drop its reference); the count of
 * hits stays.  What a run that parses each input afresh (the fuzzer)
 * calls between inputs: no input leaves memory behind for the next.
 */
void facts_memo_clear(struct facts_memo *m);

/* How many facts came from the memo so far (for the tests). */
size_t facts_memo_hits(const struct facts_memo *m);

#endif

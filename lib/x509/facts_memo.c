/*
 * facts_memo.c - the facts of the CA certificates a run meets again
 * (see facts_memo.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "core/common.h"
#include "x509/facts.h"
#include "x509/facts_memo.h"

struct memo_slot {
	X509 *x;			/* owned reference, or NULL */
	struct cert_facts facts;
};

struct facts_memo {
	pthread_mutex_t mu;
	struct memo_slot slot[FACTS_MEMO_SLOTS];
	size_t next;			/* the slot to fill next */
	size_t hits;
};

struct facts_memo *
facts_memo_new(void)
{
	struct facts_memo *m = xcalloc(1, sizeof(*m));

	pthread_mutex_init(&m->mu, NULL);
	return m;
}

void
facts_memo_free(struct facts_memo *m)
{
	if (m == NULL)
		return;
	facts_memo_clear(m);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

void
facts_memo_clear(struct facts_memo *m)
{
	size_t i;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->mu);
	for (i = 0; i < FACTS_MEMO_SLOTS; i++) {
		X509_free(m->slot[i].x);
		m->slot[i].x = NULL;
		facts_free(&m->slot[i].facts);
	}
	m->next = 0;
	pthread_mutex_unlock(&m->mu);
}

size_t
facts_memo_hits(const struct facts_memo *m)
{
	size_t n;

	pthread_mutex_lock((pthread_mutex_t *)&m->mu);
	n = m->hits;
	pthread_mutex_unlock((pthread_mutex_t *)&m->mu);
	return n;
}

/* A copy of x's facts into f if the memo holds them.  Called locked. */
static bool
memo_find(struct facts_memo *m, X509 *x, struct cert_facts *f)
{
	size_t i;

	for (i = 0; i < FACTS_MEMO_SLOTS; i++)
		if (m->slot[i].x == x) {
			facts_copy(f, &m->slot[i].facts);
			return true;
		}
	return false;
}

int
facts_memo_get(struct facts_memo *m, X509 *x, struct cert_facts *f)
{
	struct memo_slot *s;
	bool found;
	int rc;

	if (m == NULL)
		return facts_from_x509(x, f);
	pthread_mutex_lock(&m->mu);
	if ((found = memo_find(m, x, f)))
		m->hits++;
	pthread_mutex_unlock(&m->mu);
	if (found)
		return 0;
	if ((rc = facts_from_x509(x, f)) != 0 || !f->is_ca)
		return rc;
	pthread_mutex_lock(&m->mu);
	s = &m->slot[m->next];
	if (X509_up_ref(x) != 1)
		fatal_oom();
	X509_free(s->x);
	facts_free(&s->facts);
	s->x = x;
	facts_copy(&s->facts, f);
	m->next = (m->next + 1) % FACTS_MEMO_SLOTS;
	pthread_mutex_unlock(&m->mu);
	return 0;
}

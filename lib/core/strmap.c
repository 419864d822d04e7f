/*
 * strmap.c - string keys to counts (strmap.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/strmap.h"

struct slot {
	char *key;		/* NULL: empty */
	size_t value;
};

struct strmap {
	struct slot *slots;
	size_t cap;		/* a power of two */
	size_t n;
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

struct strmap *
strmap_new(void)
{
	struct strmap *m = xcalloc(1, sizeof(*m));

	m->cap = 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	return m;
}

void
strmap_free(struct strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

/* The slot of key: where it is, or the empty one where it would go. */
static struct slot *
find(struct slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)fnv1a(key) & (cap - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void
grow(struct strmap *m)
{
	struct slot *old = m->slots;
	size_t i, cap = m->cap;

	if (cap > SIZE_MAX / 2 / sizeof(*old))
		fatal_oom();
	m->cap = cap * 2;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < cap; i++)
		if (old[i].key != NULL)
			*find(m->slots, m->cap, old[i].key) = old[i];
	free(old);
}

size_t *
strmap_get(struct strmap *m, const char *key)
{
	struct slot *s;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	s = find(m->slots, m->cap, key);
	if (s->key == NULL) {
		s->key = xstrdup(key);
		s->value = 0;
		m->n++;
	}
	return &s->value;
}

size_t
strmap_count(const struct strmap *m)
{
	return m->n;
}

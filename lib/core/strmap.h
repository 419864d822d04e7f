/*
 * strmap.h - a hash map from C strings to a count, for the few places
 * that must recognise a name seen before among very many (a report's
 * repeated subjects).  Open addressing, FNV-1a, grows at half full:
 * each look-up is O(1) on average, however many names.
 */
#ifndef BWC_STRMAP_H
#define BWC_STRMAP_H

#include <stddef.h>

struct strmap;

struct strmap *strmap_new(void);
/* NULL is a no-op. */
void strmap_free(struct strmap *);

/*
 * The count stored for key, created at 0 when key is new (a copy of
 * key is kept).  The pointer is valid until the next strmap_get().
 */
size_t *strmap_get(struct strmap *, const char *key);

/* How many keys the map holds. */
size_t strmap_count(const struct strmap *);

#endif

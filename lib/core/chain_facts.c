/*
 * chain_facts.c - freeing and walking chain facts.
 */
#include <stdlib.h>
#include <string.h>

#include "core/chain_facts.h"

void
chain_free(struct chain_facts *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		facts_free(&c->certs[i]);
	free(c->certs);
	free(c->signed_by_next);
	free(c->path);
	free(c->verify_error_str);
	for (i = 0; i < c->n_violations; i++)
		free(c->violations[i].what);
	free(c->violations);
	facts_free(&c->anchor);
	free(c->missing_issuer);
	free(c->missing_issuer_aia);
	free(c->key_type);
	memset(c, 0, sizeof(*c));
}

const struct cert_facts *
chain_leaf(const struct chain_facts *c)
{
	return &c->certs[c->leaf];
}

void
chain_foreach(const struct chain_facts *c,
    void (*fn)(const struct cert_facts *, int, void *), void *arg)
{
	size_t i;

	if (c->path_len > 0)
		for (i = 0; i < c->path_len; i++)
			fn(&c->certs[c->path[i]], (int)c->path[i], arg);
	else
		for (i = 0; i < c->n; i++)
			fn(&c->certs[i], (int)i, arg);
	if (c->has_anchor && c->anchor_input < 0)
		fn(&c->anchor, -1, arg);
}

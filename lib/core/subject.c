/*
 * subject.c - one thing judged.
 */
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/subject.h"

void
subject_init(struct subject *s, enum subject_kind kind, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	/* A file or host name as the user gave it: escaped before any report. */
	s->name = esc_printable_keepbs((const unsigned char *)name, strlen(name));
	probe_facts_init(&s->probe);
	client_facts_init(&s->client);
}

const char *
subject_kind_name(enum subject_kind k)
{
	static const char *const names[SUBJECT__MAX] = {
		[SUBJECT_FILE] = "file",
		[SUBJECT_HOST] = "host",
		[SUBJECT_CLIENT] = "client",
	};

	return (unsigned)k < SUBJECT__MAX ? names[k] : "?";
}

void
subject_free(struct subject *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->name);
	free(s->fqdn);
	free(s->address);
	chain_free(&s->chain);
	probe_facts_free(&s->probe);
	client_facts_free(&s->client);
	for (i = 0; i < s->n_findings; i++) {
		free(s->findings[i].message);
		free(s->findings[i].fix);
	}
	free(s->findings);
	free(s->error);
	memset(s, 0, sizeof(*s));
}

void
subject_set_error(struct subject *s, const char *fmt, ...)
{
	va_list ap;

	char *raw;

	free(s->error);
	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	s->error = esc_printable_keepbs((const unsigned char *)raw, strlen(raw));
	free(raw);
	s->result = RESULT_ERROR;
}

size_t
subject_n_not_checked(const struct subject *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_findings; i++)
		if (s->findings[i].not_checked)
			n++;
	return n;
}

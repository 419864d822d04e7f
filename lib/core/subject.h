/*
 * subject.h - one thing judged: a chain read from files, or one address
 * of a probed host.  It owns its facts and its findings.
 */
#ifndef BWC_SUBJECT_H
#define BWC_SUBJECT_H

#include "core/chain_facts.h"
#include "core/client_facts.h"
#include "core/probe_facts.h"

struct rule;

enum subject_kind { SUBJECT_FILE, SUBJECT_HOST, SUBJECT_CLIENT, SUBJECT__MAX };

struct finding {
	const struct rule *rule;	/* borrowed from rule_table */
	enum status status;
	int cert;			/* input index, -1 for the chain or none */
	char *message;			/* owned; escaped, printable UTF-8 */
	enum severity severity;		/* the rule's, or raised by the check */
	char *fix;			/* owned: this finding's fix, or NULL
					 * for the rule's (report_fix()) */
	/*
	 * An error-severity rule skipped for want of input (no --fqdn, no
	 * DNS look-up, no chain): the verdict is not the whole story, and
	 * every report says so beside it.  A --disable or an optional
	 * input (--key) is the user's choice and is not counted.
	 */
	bool not_checked;
};

struct subject {
	enum subject_kind kind;
	char *name;		/* file name(s) or HOST[:PORT] */
	char *fqdn;		/* the name judged, or NULL */
	char *address;		/* probed address, or NULL */
	int port;

	bool has_chain;		/* chain holds facts to judge; subject_free()
				 * frees chain whether or not it is set */
	struct chain_facts chain;
	bool has_probe;
	struct probe_facts probe;
	bool has_client;		/* kind SUBJECT_CLIENT: what `listen` saw */
	struct client_facts client;

	struct finding *findings;
	size_t n_findings;
	enum result result;
	char *error;		/* when result == RESULT_ERROR: the one-line cause */
};

/* How many of s's findings are not_checked. */
size_t subject_n_not_checked(const struct subject *s);

void subject_init(struct subject *, enum subject_kind, const char *name);
/* "file", "host" or "client": the JSON "kind". */
const char *subject_kind_name(enum subject_kind);
void subject_free(struct subject *);
void subject_set_error(struct subject *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

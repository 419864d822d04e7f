/*
 * test_rules_table.c - the rule table is the only list of rules: every
 * row is complete, IDs are unique and stable (they match DESIGN.md's
 * contract), and every ID is documented in the man page's RULES section
 * with its severity.
 *
 * The man page is read from the source tree at run time: $TOP (set by
 * tests/run.sh) or the current directory (the project root, or the
 * build-san/ copy), then its parent.  A missing man page is a failure.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/fileio.h"
#include "x509/load.h"
#include "rules/rules.h"

#define MAN_PAGE "man/bwcertcheck.1"

static bool
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static void
test_rule_table_has_rows_and_fits_the_disabled_array(void **state)
{
	(void)state;
	assert_in_range(rule_count, 1, RULES_MAX);
}

static void
test_rule_table_every_row_has_every_field(void **state)
{
	const struct rule *r;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < rule_count; i++) {
		r = &rule_table[i];
		if (!nonempty(r->id) || !nonempty(r->title) ||
		    !nonempty(r->source) || !nonempty(r->explain) ||
		    !nonempty(r->fix) || r->check == NULL) {
			print_error("row %zu (%s): a field is missing\n", i,
			    r->id ? r->id : "(no id)");
			bad++;
			continue;
		}
		if ((unsigned)r->severity >= SEV__MAX) {
			print_error("%s: severity %d\n", r->id, r->severity);
			bad++;
		}
		if (strchr(r->title, '\n') != NULL) {
			print_error("%s: the title is not one line\n", r->id);
			bad++;
		}
		if (r->needs == 0) {
			print_error("%s: needs nothing, so it judges nothing\n",
			    r->id);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_rule_table_ids_are_unique(void **state)
{
	size_t i, j;
	int bad = 0;

	(void)state;
	for (i = 0; i < rule_count; i++)
		for (j = i + 1; j < rule_count; j++)
			if (strcmp(rule_table[i].id, rule_table[j].id) == 0) {
				print_error("%s: rows %zu and %zu\n",
				    rule_table[i].id, i, j);
				bad++;
			}
	assert_int_equal(bad, 0);
}

static void
test_rule_table_ids_are_lower_case_words_joined_by_hyphens(void **state)
{
	const char *id;
	size_t i, k;
	int bad = 0;

	(void)state;
	for (i = 0; i < rule_count; i++) {
		id = rule_table[i].id;
		for (k = 0; id[k] != '\0'; k++)
			if (!(islower((unsigned char)id[k]) ||
			    isdigit((unsigned char)id[k]) || id[k] == '-'))
				break;
		if (id[k] != '\0' || id[0] == '-' || id[k - 1] == '-' ||
		    strstr(id, "--") != NULL) {
			print_error("\"%s\" is not a valid rule ID\n", id);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_rule_find_and_rule_index_agree_with_the_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < rule_count; i++) {
		assert_ptr_equal(rule_find(rule_table[i].id), &rule_table[i]);
		assert_int_equal(rule_index(rule_table[i].id), (int)i);
	}
	assert_null(rule_find("no-such-rule"));
	assert_int_equal(rule_index("no-such-rule"), -1);
	assert_null(rule_find(""));
	assert_null(rule_find("RSA-KEY"));
}

/* DESIGN.md's rule table: the IDs and severities scripts rely on. */
struct contract {
	const char *id;
	enum severity severity;
	unsigned needs;		/* bits that must be set */
	unsigned not_needs;	/* bits that must be clear */
};

static const struct contract contract[] = {
	{ "rsa-key", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "rsa-key-size", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "accepted-ca", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "chain-complete", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "chain-order", SEV_WARNING, NEEDS_CHAIN, NEEDS_PROBE },
	{ "not-self-signed", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "not-expired", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "expires-soon", SEV_WARNING, NEEDS_CHAIN, NEEDS_PROBE },
	{ "root-retiring", SEV_WARNING, NEEDS_CHAIN, NEEDS_PROBE },
	{ "fqdn-match", SEV_ERROR, NEEDS_CHAIN | NEEDS_FQDN, NEEDS_PROBE },
	{ "signature-sha256", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "key-usage-encipherment", SEV_WARNING, NEEDS_CHAIN, NEEDS_PROBE },
	{ "eku-server-auth", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "eku-client-auth", SEV_NOTICE, NEEDS_CHAIN, NEEDS_PROBE },
	{ "leaf-not-ca", SEV_ERROR, NEEDS_CHAIN, NEEDS_PROBE },
	{ "key-match", SEV_ERROR, NEEDS_CHAIN | NEEDS_KEY, NEEDS_PROBE },
	{ "tls12", SEV_ERROR, NEEDS_PROBE, 0 },
	{ "cipher-allowed", SEV_ERROR, NEEDS_PROBE, 0 },
	{ "cipher-default", SEV_WARNING, NEEDS_PROBE, 0 },
	{ "sni-independent", SEV_WARNING, NEEDS_PROBE, 0 },
	{ "dns-a-record", SEV_ERROR, NEEDS_PROBE, 0 },
	{ "sip-options", SEV_WARNING, NEEDS_PROBE | NEEDS_SIP, 0 },
};

static void
test_rule_table_matches_the_design_contract(void **state)
{
	const struct contract *c;
	const struct rule *r;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(contract) / sizeof(contract[0]); i++) {
		c = &contract[i];
		if ((r = rule_find(c->id)) == NULL) {
			print_error("%s: missing from the table\n", c->id);
			bad++;
			continue;
		}
		if (r->severity != c->severity) {
			print_error("%s: severity %s, the contract says %s\n",
			    c->id, severity_name(r->severity),
			    severity_name(c->severity));
			bad++;
		}
		if ((r->needs & c->needs) != c->needs ||
		    (r->needs & c->not_needs) != 0) {
			print_error("%s: needs 0x%x\n", c->id, r->needs);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* The man page */

/* Read the man page from the source tree; NULL if it is nowhere. */
static char *
read_man_page(char **where)
{
	const char *top = getenv("TOP");
	char *paths[3] = { NULL, NULL, NULL };
	unsigned char *data = NULL;
	char *err = NULL, *text = NULL;
	struct buf why = { 0 };
	size_t len, i;

	if (top != NULL && top[0] != '\0')
		paths[0] = xasprintf("%s/%s", top, MAN_PAGE);
	paths[1] = xstrdup(MAN_PAGE);
	paths[2] = xstrdup("../" MAN_PAGE);
	for (i = 0; i < 3 && text == NULL; i++) {
		if (paths[i] == NULL)
			continue;
		if (fileio_read(paths[i], LOAD_MAX_BYTES, &data, &len, &err) == 0) {
			text = xstrndup((const char *)data, len);
			*where = xstrdup(paths[i]);
			free(data);
		} else {
			buf_addf(&why, "  %s\n", err);
			free(err);
			err = NULL;
		}
	}
	if (text == NULL && why.ptr != NULL)
		print_error("%s", why.ptr);
	buf_free(&why);
	for (i = 0; i < 3; i++)
		free(paths[i]);
	return text;
}

/* The text with roff's "\-" turned into "-" (mdoc writes either). */
static char *
unescape_hyphens(const char *s)
{
	struct buf b = { 0 };

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == '-')
			s++;
		buf_addc(&b, *s);
	}
	buf_adds(&b, "");
	return buf_steal(&b);
}

/* The first whole-word occurrence of id in text, or NULL. */
static const char *
find_word(const char *text, const char *id)
{
	const char *p = text;
	size_t n = strlen(id);

	while ((p = strstr(p, id)) != NULL) {
		bool before = p == text || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '-');
		bool after = !(isalnum((unsigned char)p[n]) || p[n] == '-');

		if (before && after)
			return p;
		p += n;
	}
	return NULL;
}

static void
test_man_page_rules_section_documents_every_rule_with_its_severity(void **state)
{
	char *raw, *text, *where = NULL, *section, *end;
	const char *at, *next;
	size_t i;
	int bad = 0;

	(void)state;
	raw = read_man_page(&where);
	if (raw == NULL)
		fail_msg("%s not found (looked in $TOP, . and ..): every rule "
		    "must be documented there", MAN_PAGE);
	text = unescape_hyphens(raw);
	free(raw);

	section = strstr(text, "\n.Sh RULES");
	if (section == NULL)
		fail_msg("%s has no RULES section", where);
	section++;
	if ((end = strstr(section + 1, "\n.Sh ")) != NULL)
		end[1] = '\0';

	for (i = 0; i < rule_count; i++) {
		const char *id = rule_table[i].id;
		const char *sev = severity_name(rule_table[i].severity);

		if ((at = find_word(section, id)) == NULL) {
			print_error("%s: rule %s is not in the RULES section\n",
			    where, id);
			bad++;
			continue;
		}
		/* Some mention of it gives the severity before the next item. */
		for (; at != NULL; at = find_word(at + strlen(id), id)) {
			const char *sev_at = find_word(at + strlen(id), sev);

			next = strstr(at, "\n.It ");
			if (sev_at != NULL && (next == NULL || sev_at < next))
				break;
		}
		if (at == NULL) {
			print_error("%s: rule %s is not given its severity "
			    "(%s)\n", where, id, sev);
			bad++;
		}
	}
	free(text);
	free(where);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table_has_rows_and_fits_the_disabled_array),
		cmocka_unit_test(test_rule_table_every_row_has_every_field),
		cmocka_unit_test(test_rule_table_ids_are_unique),
		cmocka_unit_test(test_rule_table_ids_are_lower_case_words_joined_by_hyphens),
		cmocka_unit_test(test_rule_find_and_rule_index_agree_with_the_table),
		cmocka_unit_test(test_rule_table_matches_the_design_contract),
		cmocka_unit_test(test_man_page_rules_section_documents_every_rule_with_its_severity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

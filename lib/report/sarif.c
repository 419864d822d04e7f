/*
 * report_sarif.c - SARIF 2.1.0, for code-scanning dashboards.
 *
 * One run.  tool.driver.rules is the whole rule table, in table order,
 * so a result's ruleIndex is the rule's index in rule_table.  One result
 * per failed rule (notices too, at level "note").  A lint result points
 * at the certificate file (artifactLocation.uri, relative as given, or
 * file:// for an absolute path; the first file when several form one
 * chain; none for stdin); a probe result at "sips:HOST:PORT",
 * with the probed address as a logical location.  A subject that could
 * not be evaluated becomes a toolExecutionNotification and makes
 * invocations[0].executionSuccessful false.
 *
 * The document is written as it goes: begin() writes the tool and opens
 * the results array, subject() writes that subject's results, end()
 * writes the invocation and the run's properties (the policy, and a
 * short summary of each subject with its suites).  Only those
 * summaries and the notifications are kept until end().
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/esc.h"
#include "report/report.h"
#include "core/timeutil.h"
#include "report/clean.h"
#include "rules/rules.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/" \
	"errata01/os/schemas/sarif-schema-2.1.0.json"

struct sarif_state {
	bool first;		/* no result written yet */
	json_t *notifications;	/* array, for subjects in error */
	json_t *subjects;	/* array of short summaries */
};

static json_t *
jnew(json_t *j)
{
	if (j == NULL)
		fatal_oom();
	return j;
}

/* A JSON string of s, cleaned first (jansson refuses invalid UTF-8). */
static json_t *
jstr(const char *s)
{
	char *c = report_clean(s);
	json_t *j = jnew(json_string(c));

	free(c);
	return j;
}

static void
set(json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, jnew(value)) == -1)
		fatal_oom();
}

static void
append(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, jnew(value)) == -1)
		fatal_oom();
}

static json_t *
message(const char *text)
{
	json_t *m = jnew(json_object());

	set(m, "text", jstr(text));
	return m;
}

static const char *
level(enum severity sev)
{
	switch (sev) {
	case SEV_ERROR:
		return "error";
	case SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static json_t *
rule_descriptor(const struct rule *rule)
{
	json_t *d = jnew(json_object()), *cfg = jnew(json_object());
	json_t *props = jnew(json_object());

	set(d, "id", jstr(rule->id));
	set(d, "shortDescription", message(rule->title));
	set(d, "fullDescription", message(rule->explain != NULL ?
	    rule->explain : rule->title));
	set(d, "help", message(rule->fix != NULL ? rule->fix :
	    rule->title));
	set(cfg, "level", json_string(level(rule->severity)));
	set(d, "defaultConfiguration", cfg);
	set(props, "severity", json_string(severity_name(rule->severity)));
	if (rule->source != NULL)
		set(props, "source", jstr(rule->source));
	set(d, "properties", props);
	return d;
}

/*
 * tool.driver.rules, one descriptor a line in table order (ruleIndex is
 * the table index).  The table is constant, so the text is made once a
 * process and kept: a process that writes many SARIF documents (the
 * exporter, the fuzzer) does not build fifty descriptors for each.
 */
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static char *rules_text;

static void
rules_make(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	if ((fp = open_memstream(&text, &len)) == NULL)
		fatal_oom();
	for (size_t i = 0; i < rule_count; i++) {
		json_t *d = rule_descriptor(&rule_table[i]);

		fputs(i == 0 ? "\n" : ",\n", fp);
		report_json_write(fp, d, JSON_PRESERVE_ORDER);
		json_decref(d);
	}
	if (fclose(fp) != 0)
		fatal_oom();
	rules_text = text;
}

static void
sarif_begin(struct report *r)
{
	struct sarif_state *st = xcalloc(1, sizeof(*st));

	st->first = true;
	st->notifications = jnew(json_array());
	st->subjects = jnew(json_array());
	r->state = st;

	if (pthread_once(&rules_once, rules_make) != 0 || rules_text == NULL)
		fatal_oom();
	fprintf(r->out, "{\n\"$schema\": \"%s\",\n\"version\": \"2.1.0\",\n"
	    "\"runs\": [{\n\"tool\": {\"driver\": {\"name\": \"bwcertcheck\", "
	    "\"version\": \"%s\", \"semanticVersion\": \"%s\", \"rules\": [",
	    SARIF_SCHEMA, BWC_VERSION, BWC_VERSION);
	fputs(rules_text, r->out);
	fputs("\n]}},\n\"results\": [", r->out);
}

/*
 * Percent-encode a file name as a URI reference (':' too, lest the
 * first segment read as a scheme), or with host set, a host name or an
 * IPv6 literal (':' kept).
 */
static char *
uri_encode(const char *name, bool host)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = { 0 };

	if (!host && name[0] == '/')
		buf_adds(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0';
	    p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/+,=@", *p) !=
		    NULL || (host && *p == ':')) {
			buf_addc(&b, (char)*p);
		} else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*p >> 4]);
			buf_addc(&b, hex[*p & 15]);
		}
	}
	return buf_steal(&b);
}

/* "sips:HOST:PORT", the host part percent-encoded where it must be. */
static char *
sips_uri(const struct subject *s)
{
	const char *host = s->fqdn != NULL ? s->fqdn : s->address;
	char *h, *uri;

	if (host == NULL)
		return NULL;
	h = uri_encode(host, true);
	if (strchr(host, ':') != NULL)		/* an IPv6 literal */
		uri = xasprintf("sips:[%s]:%d", h, s->port);
	else
		uri = xasprintf("sips:%s:%d", h, s->port);
	free(h);
	return uri;
}

static json_t *
location(const struct subject *s)
{
	json_t *loc = jnew(json_object()), *phys, *art, *logs, *lg;
	char *uri = NULL;

	if (s->kind == SUBJECT_HOST) {
		uri = sips_uri(s);
	} else if (s->kind == SUBJECT_FILE && strcmp(s->name, "-") != 0) {
		/* Files read as one chain are named "a.pem + b.pem": point at the first. */
		const char *plus = strstr(s->name, " + ");
		char *first = plus != NULL ? xstrndup(s->name,
		    (size_t)(plus - s->name)) : xstrdup(s->name);

		uri = uri_encode(first, false);
		free(first);
	}
	if (uri != NULL) {
		phys = jnew(json_object());
		art = jnew(json_object());
		set(art, "uri", jstr(uri));
		set(phys, "artifactLocation", art);
		set(loc, "physicalLocation", phys);
	}
	logs = jnew(json_array());
	lg = jnew(json_object());
	set(lg, "name", jstr(s->name));
	if (s->kind != SUBJECT_FILE && s->address != NULL)
		set(lg, "fullyQualifiedName", jstr(s->address));
	set(lg, "kind", json_string("resource"));
	append(logs, lg);
	set(loc, "logicalLocations", logs);
	free(uri);
	return loc;
}

static json_t *
result(const struct subject *s, const struct finding *f)
{
	json_t *res = jnew(json_object()), *locs = jnew(json_array());
	json_t *props = jnew(json_object());

	set(res, "ruleId", jstr(f->rule->id));
	set(res, "ruleIndex", json_integer(f->rule - rule_table));
	set(res, "level", json_string(level(f->severity)));
	set(res, "message", message(f->message));
	append(locs, location(s));
	set(res, "locations", locs);
	set(props, "subject", jstr(s->name));
	set(props, "severity", json_string(severity_name(f->severity)));
	set(props, "fix", jstr(report_fix(f)));
	if (f->cert >= 0)
		set(props, "cert", json_integer(f->cert));
	if (s->fqdn != NULL)
		set(props, "fqdn", jstr(s->fqdn));
	if (s->address != NULL)
		set(props, "address", jstr(s->address));
	set(res, "properties", props);
	return res;
}

static json_t *
summary(const struct subject *s)
{
	json_t *sum = jnew(json_object()), *suites, *nc;

	set(sum, "name", jstr(s->name));
	set(sum, "kind", json_string(subject_kind_name(s->kind)));
	set(sum, "result", json_string(result_name(s->result)));
	nc = jnew(json_array());
	for (size_t i = 0; i < s->n_findings; i++) {
		json_t *o;

		if (!s->findings[i].not_checked)
			continue;
		o = jnew(json_object());
		set(o, "rule", jstr(s->findings[i].rule->id));
		set(o, "why", jstr(s->findings[i].message));
		append(nc, o);
	}
	set(sum, "notChecked", nc);
	if (s->fqdn != NULL)
		set(sum, "fqdn", jstr(s->fqdn));
	if (s->address != NULL)
		set(sum, "address", jstr(s->address));
	if (s->has_chain && s->chain.has_anchor && s->chain.anchor_info !=
	    NULL)
		set(sum, "anchor", json_string(brand_name(
		    s->chain.anchor_info->brand)));
	if (s->has_chain && s->chain.has_anchor &&
	    chain_leaf(&s->chain)->issuer_org != NULL)
		set(sum, "issuingCa", jstr(chain_leaf(&s->chain)->issuer_org));
	if (s->has_probe) {
		suites = jnew(json_object());
		for (int i = 0; i < SUITE__MAX; i++) {
			enum suite_state state = s->probe.suites[i].state;

			if (state == SUITE_NOT_TRIED)
				continue;
			set(suites, suite_openssl_name((enum suite)i),
			    json_string(state == SUITE_ACCEPTED ? "accepted" :
			    "rejected"));
		}
		set(sum, "suites", suites);
	}
	return sum;
}

static void
sarif_subject(struct report *r, const struct subject *s)
{
	struct sarif_state *st = r->state;

	append(st->subjects, summary(s));
	if (s->result == RESULT_ERROR) {
		json_t *n = jnew(json_object());
		char *text = xasprintf("%s: %s", s->name, s->error != NULL ?
		    report_strip_name(s->error, s->name) :
		    "could not evaluate");

		set(n, "level", json_string("error"));
		set(n, "message", message(text));
		append(st->notifications, n);
		free(text);
	}
	if (subject_n_not_checked(s) > 0) {
		json_t *n = jnew(json_object());
		struct buf b = { 0 };

		buf_addf(&b, "%s: not checked: ", s->name);
		report_not_checked_text(s, &b);
		set(n, "level", json_string("warning"));
		set(n, "message", message(b.ptr));
		append(st->notifications, n);
		buf_free(&b);
	}
	for (size_t i = 0; i < s->n_findings; i++) {
		const struct finding *f = &s->findings[i];
		json_t *res;

		if (f->status != STATUS_FAIL)
			continue;
		res = result(s, f);
		fputs(st->first ? "\n" : ",\n", r->out);
		st->first = false;
		report_json_write(r->out, res, JSON_PRESERVE_ORDER);
		json_decref(res);
	}
}

/* An input passed over: a note among the invocation's notifications. */
static void
sarif_skip(struct report *r, const char *name, const char *why)
{
	struct sarif_state *st = r->state;
	json_t *n = jnew(json_object());
	char *text = xasprintf("%s: skipped: %s", name, why);

	set(n, "level", json_string("note"));
	set(n, "message", message(text));
	append(st->notifications, n);
	free(text);
}

static void
sarif_end(struct report *r)
{
	struct sarif_state *st = r->state;
	json_t *inv = jnew(json_object()), *props = jnew(json_object());
	char stamp[32];

	time_format(r->now, stamp, sizeof(stamp));
	set(inv, "executionSuccessful", json_boolean(
	    r->n_by_result[RESULT_ERROR] == 0));
	set(inv, "exitCode", json_integer(result_exit_code(r->worst)));
	if (json_array_size(st->notifications) > 0)
		set(inv, "toolExecutionNotifications",
		    json_incref(st->notifications));
	set(props, "command", json_string(report_command_name(r->command)));
	set(props, "policy", jstr(r->policy->name));
	set(props, "evaluatedAt", json_string(stamp));
	set(props, "result", json_string(result_name(r->worst)));
	set(props, "subjects", json_incref(st->subjects));

	fputs(st->first ? "],\n" : "\n],\n", r->out);
	fputs("\"invocations\": [", r->out);
	report_json_write(r->out, inv, JSON_PRESERVE_ORDER);
	fputs("],\n\"properties\": ", r->out);
	report_json_write(r->out, props, JSON_PRESERVE_ORDER);
	fputs("\n}]\n}\n", r->out);

	json_decref(inv);
	json_decref(props);
	json_decref(st->notifications);
	json_decref(st->subjects);
	free(st);
	r->state = NULL;
}

const struct report_format report_sarif = {
	.name = "sarif",
	.begin = sarif_begin,
	.subject = sarif_subject,
	.end = sarif_end,
	.skip = sarif_skip,
};

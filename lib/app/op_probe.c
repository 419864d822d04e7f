/*
 * op_probe.c - the probe operation: targets in, judged addresses out.
 *
 * The targets (arguments and --targets lines, then the --shard slice)
 * are probed by up to --jobs threads; each thread does only network
 * work (DNS, handshakes, SIP) and hands back facts and the chain each
 * address presented.  The main thread then judges every address with
 * the same code lint uses (chain_analyse, run_judge) and reports the
 * targets in input order, whatever order they finished in.
 */
#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "x509/chain.h"
#include "x509/load.h"
#include "rules/engine.h"
#include "core/esc.h"
#include "core/fqdn.h"
#include "app/op.h"
#include "app/pool.h"
#include "app/save_chain.h"
#include "probe/probe.h"

/* --client-cert and --client-key, loaded. */
struct client_id {
	X509 *cert;
	STACK_OF(X509) *chain;	/* what follows the certificate in its file */
	EVP_PKEY *key;
};

int
probe_client_load(struct run *run, char **err)
{
	struct client_id *c;
	STACK_OF(X509) *certs;
	char *cause = NULL;

	if (run->client_cert_path == NULL && run->client_key_path == NULL)
		return 0;
	if (run->client_cert_path == NULL || run->client_key_path == NULL) {
		*err = xstrdup("--client-cert and --client-key go together");
		return -1;
	}
	if ((certs = sk_X509_new_null()) == NULL)
		fatal_oom();
	if (load_certs(run->client_cert_path, NULL, certs, NULL, NULL,
	    &cause) == -1) {
		*err = xasprintf("--client-cert %s", cause);
		goto fail;
	}
	if (sk_X509_num(certs) == 0) {
		*err = xasprintf("--client-cert %s: no certificate",
		    run->client_cert_path);
		goto fail;
	}
	c = xcalloc(1, sizeof(*c));
	c->cert = sk_X509_shift(certs);
	c->chain = certs;
	run->client = c;
	if ((c->key = load_key(run->client_key_path, NULL, &cause)) == NULL) {
		*err = xasprintf("--client-key %s", cause);
		free(cause);
		probe_client_free(run);
		return -1;
	}
	if (X509_check_private_key(c->cert, c->key) != 1) {
		*err = xasprintf("--client-key %s does not match --client-cert "
		    "%s", run->client_key_path, run->client_cert_path);
		probe_client_free(run);
		return -1;
	}
	return 0;
fail:
	free(cause);
	sk_X509_pop_free(certs, X509_free);
	return -1;
}

void
probe_client_free(struct run *run)
{
	struct client_id *c = run->client;

	if (c == NULL)
		return;
	X509_free(c->cert);
	sk_X509_pop_free(c->chain, X509_free);
	EVP_PKEY_free(c->key);
	free(c);
	run->client = NULL;
}

/* One address of one host, as the network side found it. */
struct probe_entry {
	char *name;		/* HOST:PORT as reported */
	char *fqdn;		/* the name judged, or NULL */
	char *address;		/* the IP probed, or NULL */
	int port;
	char *error;		/* could not be evaluated at all */
	struct probe_result res;
};

/* Everything one target (a host, or an SRV zone) turned into. */
struct target_out {
	struct probe_entry *e;
	size_t n;
};

/*
 * One host to probe: a target as given, or one SRV record of a zone
 * (then host, port and fqdn come from the record).  A zone whose look-up
 * failed is one item with only an error.
 */
struct host_item {
	const struct probe_target *t;
	const char *host;	/* borrowed from t or the zone's records */
	bool host_is_ip;
	int port;
	const char *fqdn;	/* the name judged, or NULL */
	const struct dns_srv *srv;	/* the record it came from, or NULL */
	const char *srv_name;	/* and the name looked up */
	char *error;		/* the zone's look-up failed (owned) */
	const char *error_name;	/* the subject's name for that error */
	struct target_out out;
	/* For the progress line, under work.mu: when its probe began (0: not
	 * yet) and whether it ended. */
	int64_t started_ms;
	bool finished;
};

/* With --srv: one zone's look-up. */
struct zone {
	char *qname;		/* _sips._tcp.ZONE */
	struct dns_srv *srv;
	size_t n;
	char *error;
};

struct work {
	const struct run *run;
	struct report *rep;
	struct probe_params base;	/* what every host shares */
	const struct probe_target *targets;
	struct zone *zones;		/* --srv: one per target */
	struct host_item *items;
	size_t n_items;
	enum result worst;
	bool progress;
	struct target_out *one;		/* op_probe_one(): the entries */
	pthread_mutex_t mu;		/* the items' started_ms and finished */
	size_t n_finished;		/* items probed, in any order */
	size_t n_failing;		/* subjects delivered not compliant or in error */
	bool kamailio_said;		/* the --connections hint, once a run */
};

static struct probe_entry *
entry_new(struct target_out *out, const char *name, const char *fqdn, int port)
{
	struct probe_entry *e;

	out->e = xreallocarray(out->e, out->n + 1, sizeof(*out->e));
	e = &out->e[out->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->fqdn = fqdn != NULL ? xstrdup(fqdn) : NULL;
	e->port = port;
	probe_facts_init(&e->res.facts);
	return e;
}

static void
target_out_free(struct target_out *out)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		free(out->e[i].name);
		free(out->e[i].fqdn);
		free(out->e[i].address);
		free(out->e[i].error);
		probe_result_free(&out->e[i].res);
	}
	free(out->e);
	memset(out, 0, sizeof(*out));
}

/* "host:port", or "[v6]:port". */
static char *
host_port(const char *host, int port)
{
	if (strchr(host, ':') != NULL)
		return xasprintf("[%s]:%d", host, port);
	return xasprintf("%s:%d", host, port);
}

/*
 * The addresses to connect to for host: --connect, the IP literal, or
 * DNS (whose findings go into *facts).  Returns 0 or -1 with *err set.
 */
static int
host_addresses(const struct run *run, const char *host, bool host_is_ip,
    int port, int64_t deadline, struct dns_addrs *addrs,
    struct probe_facts *facts, char **err)
{
	struct probe_target ct;
	struct dns_addrs d;
	const char *ip = host;
	char *cause = NULL;
	size_t i;
	int rc = -1;

	memset(addrs, 0, sizeof(*addrs));
	memset(&ct, 0, sizeof(ct));
	if (run->connect_addr != NULL) {
		if (probe_target_parse(run->connect_addr, port, &ct, &cause) == -1) {
			*err = xasprintf("--connect %s: %s", run->connect_addr,
			    cause);
			goto out;
		}
		port = ct.port;
		if (!ct.host_is_ip) {
			if (dns_lookup_host(ct.host, run->resolver, deadline,
			    &d, err) == -1) {
				dns_addrs_free(&d);
				goto out;
			}
			/* The addresses of ADDR: not the FQDN's DNS facts. */
			*addrs = d;
			for (i = 0; i < addrs->n; i++)
				net_set_port(&addrs->addr[i], port);
			rc = 0;
			goto out;
		}
		ip = ct.host;
		host_is_ip = true;
	}
	if (host_is_ip) {
		addrs->addr = xcalloc(1, sizeof(*addrs->addr));
		if (net_parse_ip(ip, port, &addrs->addr[0], NULL) == -1) {
			*err = xasprintf("%s: bad IP address", ip);
			goto out;
		}
		addrs->n = 1;
		rc = 0;
		goto out;
	}
	if (dns_lookup_host(host, run->resolver, deadline, addrs, err) == -1)
		goto out;
	facts->dns_a_count = addrs->n_a;
	facts->dns_aaaa_count = addrs->n_aaaa < 0 ? 0 : addrs->n_aaaa;
	/* The SBC uses the A records; AAAA ones only when there is no A. */
	if (addrs->n_a > 0)
		addrs->n = (size_t)addrs->n_a;
	for (i = 0; i < addrs->n; i++)
		net_set_port(&addrs->addr[i], port);
	rc = 0;
out:
	probe_target_free(&ct);
	free(cause);
	return rc;
}

/* Probe one host (a target, or an SRV target) into out. */
static void
probe_host(const struct run *run, const struct probe_params *base,
    const char *host, bool host_is_ip, int port, const char *fqdn,
    struct target_out *out)
{
	struct probe_facts dnsf;
	struct dns_addrs addrs = { 0 };
	struct probe_params p = *base;
	struct probe_result *res = NULL;
	struct probe_entry *e;
	char *name, *err = NULL, ip[INET6_ADDRSTRLEN];
	size_t i;

	/*
	 * A fleet line "203.0.113.7 pbx3.example.com" is named by its FQDN,
	 * the name people know; the address stays a field of its own.
	 */
	if (host_is_ip && fqdn != NULL && !fqdn_is_ip_literal(fqdn))
		name = host_port(fqdn, port);
	else
		name = host_port(host, port);
	probe_facts_init(&dnsf);
	p.deadline_ms = net_now_ms() + (int64_t)run->timeout_sec * 1000;
	p.port = port;
	if (!run->no_sni)
		p.servername = run->servername != NULL ? run->servername :
		    fqdn != NULL && !fqdn_is_ip_literal(fqdn) ? fqdn : NULL;
	if (run->sip)
		p.sip_host = fqdn != NULL ? fqdn : host;

	p.dns_ms = net_now_ms();
	if (host_addresses(run, host, host_is_ip, port, p.deadline_ms, &addrs,
	    &dnsf, &err) == -1) {
		e = entry_new(out, name, fqdn, port);
		e->error = err;
		goto out;
	}
	if (addrs.n == 0) {
		/* No address at all: only dns-a-record has something to judge. */
		e = entry_new(out, name, fqdn, port);
		e->res.facts.dns_a_count = dnsf.dns_a_count;
		e->res.facts.dns_aaaa_count = dnsf.dns_aaaa_count;
		e->res.facts.tls12_error = xstrdup("no address to connect to");
		goto out;
	}
	p.dns_ms = net_now_ms() - p.dns_ms;
	res = xcalloc(addrs.n, sizeof(*res));
	if (probe_addresses(&p, addrs.addr, addrs.n, res, &err) == -1) {
		e = entry_new(out, name, fqdn, port);
		e->error = err;
		goto out;
	}
	for (i = 0; i < addrs.n; i++) {
		e = entry_new(out, name, fqdn, port);
		e->address = xstrdup(net_ntop(&addrs.addr[i], ip, sizeof(ip)));
		e->res = res[i];
		memset(&res[i], 0, sizeof(res[i]));
		e->error = e->res.error;
		e->res.error = NULL;
		e->res.facts.dns_a_count = dnsf.dns_a_count;
		e->res.facts.dns_aaaa_count = dnsf.dns_aaaa_count;
		/*
		 * A name with AAAA records only: the SBC, which uses the A
		 * record, cannot reach it whatever its IPv6 port does, and
		 * dns-a-record fails.  So a refused or silent IPv6 port is a
		 * failed handshake to judge, not a host that could not be
		 * evaluated.
		 */
		if (e->error != NULL && dnsf.dns_a_count == 0) {
			e->res.facts.tls12_error = e->error;
			e->error = NULL;
		}
	}
out:
	if (res != NULL)
		for (i = 0; i < addrs.n; i++)
			probe_result_free(&res[i]);
	free(res);
	dns_addrs_free(&addrs);
	probe_facts_free(&dnsf);
	free(name);
}

/* pool work: look up one zone's SRV records. */
static void
zone_work(void *arg, size_t i)
{
	struct work *w = arg;
	struct zone *z = &w->zones[i];

	if (w->targets[i].host_is_ip) {
		z->error = xstrdup("--srv: HOST must be a zone name, not an "
		    "address");
		return;
	}
	(void)dns_lookup_srv(z->qname, w->run->resolver,
	    net_now_ms() + (int64_t)w->run->timeout_sec * 1000, &z->srv,
	    &z->n, &z->error);
}

static void
zone_deliver(void *arg, size_t i, bool failed)
{
	struct work *w = arg;

	if (failed && w->zones[i].error == NULL)
		w->zones[i].error = xstrdup("out of memory");
}

/* The hosts to probe, in report order: targets, or each zone's records. */
static void
host_items(struct work *w, size_t ntargets)
{
	const struct run *run = w->run;
	struct host_item *it;
	size_t i, k, n = 0;

	for (i = 0; i < ntargets; i++)
		n += run->srv && w->zones[i].error == NULL ? w->zones[i].n : 1;
	w->items = xcalloc(n + 1, sizeof(*w->items));
	for (i = 0; i < ntargets; i++) {
		const struct probe_target *t = &w->targets[i];
		const char *fqdn = run->fqdn != NULL ? run->fqdn : t->fqdn;

		if (!run->srv) {
			it = &w->items[w->n_items++];
			it->t = t;
			it->host = t->host;
			it->host_is_ip = t->host_is_ip;
			it->port = t->port;
			it->fqdn = fqdn != NULL ? fqdn : t->host_is_ip ? NULL :
			    t->host;
			continue;
		}
		if (w->zones[i].error != NULL) {
			it = &w->items[w->n_items++];
			it->t = t;
			it->port = t->port;
			it->fqdn = fqdn;
			it->error = w->zones[i].error;
			w->zones[i].error = NULL;
			it->error_name = t->host_is_ip ? t->host :
			    w->zones[i].qname;
			continue;
		}
		for (k = 0; k < w->zones[i].n; k++) {
			const struct dns_srv *r = &w->zones[i].srv[k];

			it = &w->items[w->n_items++];
			it->t = t;
			it->host = r->target;
			it->port = r->port;
			it->fqdn = fqdn != NULL ? fqdn : r->target;
			it->srv = r;
			it->srv_name = w->zones[i].qname;
		}
	}
}

/* pool work: probe one host. */
static void
host_work(void *arg, size_t i)
{
	struct work *w = arg;
	struct host_item *it = &w->items[i];
	size_t k;

	if (it->error != NULL)
		goto out;
	if (w->progress) {
		pthread_mutex_lock(&w->mu);
		it->started_ms = net_now_ms();
		pthread_mutex_unlock(&w->mu);
	}
	probe_host(w->run, &w->base, it->host, it->host_is_ip, it->port,
	    it->fqdn, &it->out);
	/* Each address found through a record says which record. */
	for (k = 0; it->srv != NULL && k < it->out.n; k++) {
		struct probe_facts *pf = &it->out.e[k].res.facts;

		pf->srv_name = xstrdup(it->srv_name);
		pf->srv_target = xstrdup(it->srv->target);
		pf->srv_priority = it->srv->priority;
		pf->srv_weight = it->srv->weight;
		pf->srv_port = it->srv->port;
	}
out:
	if (w->progress) {
		pthread_mutex_lock(&w->mu);
		it->finished = true;
		w->n_finished++;
		pthread_mutex_unlock(&w->mu);
	}
}

/*
 * The progress line on a terminal: how many targets are done, how many
 * failed so far, and the one that has been waited on longest (a silent
 * host holds a fleet for its whole --timeout).
 */
static void
progress_line(struct work *w)
{
	const struct host_item *slow = NULL;
	int64_t now = net_now_ms();
	struct buf b = { 0 };
	size_t i, done;

	pthread_mutex_lock(&w->mu);
	done = w->n_finished;
	for (i = 0; i < w->n_items; i++) {
		const struct host_item *it = &w->items[i];

		if (it->started_ms > 0 && !it->finished &&
		    (slow == NULL || it->started_ms < slow->started_ms))
			slow = it;
	}
	buf_addf(&b, "%zu/%zu probed, %zu failing", done, w->n_items,
	    w->n_failing);
	if (slow != NULL)
		buf_addf(&b, "; waiting on %s:%d for %lld s", slow->host,
		    slow->port, (long long)((now - slow->started_ms) / 1000));
	pthread_mutex_unlock(&w->mu);
	diag_progress("%s", b.ptr);
	buf_free(&b);
}

/*
 * --save-chain: the chain an address served, as PEM, in DIR (named by
 * save_chain_name(): "pbx.example.com_5061_192.0.2.7.pem"), to lint
 * later, attach to a ticket or install.  The file goes into s's probe
 * facts and is said on stderr.  Returns 0, or -1 after saying on
 * stderr why it could not be written.
 */
static int
save_chain(const struct run *run, const struct probe_entry *e,
    struct subject *s, const char *where)
{
	char *path, *err = NULL;
	int n = sk_X509_num(e->res.chain);

	if ((path = save_chain_write(run->save_chain_dir, e->name, e->address,
	    e->res.chain, &err)) == NULL) {
		diag_error("%s: %s", where, err);
		free(err);
		return -1;
	}
	diag_note(run, "%s: the %d certificate%s served saved in %s", where,
	    n, n == 1 ? "" : "s", path);
	free(s->probe.saved_chain);
	s->probe.saved_chain = path;
	return 0;
}

/* Judge one address, report it, and return its result. */
static enum result
judge_report_entry(const struct run *run, struct report *rep,
    struct probe_entry *e)
{
	struct subject s;
	enum result r;
	char *err = NULL, *where;
	bool unsaved = false;

	subject_init(&s, SUBJECT_HOST, e->name);
	s.fqdn = e->fqdn != NULL ? xstrdup(e->fqdn) : NULL;
	s.address = e->address != NULL ? xstrdup(e->address) : NULL;
	s.port = e->port;
	where = e->address != NULL && strstr(e->name, e->address) == NULL ?
	    xasprintf("%s [%s]", e->name, e->address) : xstrdup(e->name);
	if (e->error != NULL) {
		diag_input_error(run, "%s: %s", where, e->error);
		subject_set_error(&s, "%s", e->error);
	} else {
		s.has_probe = true;
		s.probe = e->res.facts;
		probe_facts_init(&e->res.facts);
		if (e->res.chain != NULL && chain_analyse(run->trust,
		    e->res.chain, NULL, &s.chain, &err) != 0) {
			diag_input_error(run, "%s: %s", where, err);
			subject_set_error(&s, "%s", err);
			free(err);
		} else if (e->res.chain != NULL)
			s.has_chain = true;
		if (run->save_chain_dir != NULL && e->res.chain != NULL)
			unsaved = save_chain(run, e, &s, where) != 0;
	}
	run_judge(run, &s);
	report_subject(rep, &s);
	r = s.result;
	/* A chain not saved as asked: the run could not do all it was told. */
	if (unsaved)
		r = result_worst(r, RESULT_ERROR);
	subject_free(&s);
	free(where);
	return r;
}

/* Judge and report an input that could not be read: one error subject. */
static enum result
judge_report_error(const struct run *run, struct report *rep, const char *name,
    const char *cause)
{
	struct subject s;

	subject_init(&s, SUBJECT_HOST, name);
	diag_input_error(run, "%s", cause);
	subject_set_error(&s, "%s", cause);
	run_judge(run, &s);
	report_subject(rep, &s);
	subject_free(&s);
	return RESULT_ERROR;
}

/* The targets: arguments, then --targets lines; bad ones are reported. */
static enum result
gather(const struct run *run, struct report *rep, char *const args[], int nargs,
    struct probe_target **list, size_t *n)
{
	struct probe_target t, *file = NULL;
	size_t nfile = 0, i;
	enum result worst = RESULT_PASS;
	char *err = NULL, *esc, *msg;
	int k;

	for (k = 0; k < nargs; k++) {
		if (probe_target_parse(args[k], run->policy.port, &t, &err) == 0) {
			*list = xreallocarray(*list, *n + 1, sizeof(**list));
			(*list)[(*n)++] = t;
			continue;
		}
		esc = esc_quote(args[k]);
		msg = xasprintf("%s: %s", esc, err);
		worst = judge_report_error(run, rep, esc, msg);
		free(msg);
		free(esc);
		free(err);
		err = NULL;
	}
	if (run->targets_path == NULL)
		return worst;
	if (probe_targets_load(run->targets_path, run->policy.port, &file,
	    &nfile, &err) == -1) {
		/*
		 * A bad line makes the whole file suspect: probe none of it.
		 * The summary, then each bad line named, one subject each.
		 */
		char *line, *rest = err, *name;
		size_t plen = strlen(run->targets_path);

		while ((line = strsep(&rest, "\n")) != NULL) {
			name = strncmp(line, run->targets_path, plen) == 0 &&
			    line[plen] == ':' && isdigit((unsigned char)line[plen +
			    1]) ? xstrndup(line, plen + 1 + strspn(line + plen +
			    1, "0123456789")) : xstrdup(run->targets_path);
			worst = result_worst(worst, judge_report_error(run, rep, name,
			    line));
			free(name);
		}
		probe_targets_free(file, nfile);
		free(err);
		return worst;
	}
	for (i = 0; i < nfile; i++) {
		*list = xreallocarray(*list, *n + 1, sizeof(**list));
		(*list)[(*n)++] = file[i];
	}
	free(file);
	return worst;
}

/* What every host of a run shares. */
static void
work_base(struct work *w, const struct run *run)
{
	int inv = rule_index("tls-inventory");

	w->base.policy = &run->policy;
	w->base.timeout_sec = run->timeout_sec;
	w->base.per_addr = (size_t)run->connections;
	/* A disabled tls-inventory makes none of its handshakes. */
	w->base.inventory = inv >= 0 && inv < RULES_MAX && !run->disabled[inv];
	if (run->client != NULL) {
		w->base.client_cert = run->client->cert;
		w->base.client_chain = run->client->chain;
		w->base.client_key = run->client->key;
	}
}

/*
 * A probed item, ready to report: a zone whose look-up failed becomes
 * its one error entry; an item that ran out of memory (failed), its host
 * alone with the cause, what the probe had found being lost.
 */
static void
item_settle(struct host_item *it, bool failed)
{
	struct probe_entry *e;
	char *name;

	if (it->error != NULL) {
		e = entry_new(&it->out, it->error_name, it->fqdn, it->port);
		e->error = it->error;
		it->error = NULL;
	} else if (failed) {
		name = host_port(it->host, it->port);
		memset(&it->out, 0, sizeof(it->out));
		e = entry_new(&it->out, name, it->fqdn, it->port);
		e->error = xstrdup("could not be probed: out of memory (a limit "
		    "on this machine, not the server's answer)");
		free(name);
	}
}

/* pool deliver: judge and report one host's addresses, in input order. */
/*
 * kamailio 5 with OpenSSL 3 has aborted under concurrent TLS handshakes
 * (a double free in its tls module: kamailio issues 3635, 3791, 4055);
 * a probe makes them unless --connections bounds it.  Say so once, when
 * a SIP answer names such a server.
 */
static void
kamailio_hint(struct work *w, const struct probe_entry *e)
{
	const char *s = e->res.facts.sip_server;

	if (w->kamailio_said || w->run->connections > 0 || s == NULL ||
	    strncasecmp(s, "kamailio (5.", 12) != 0)
		return;
	w->kamailio_said = true;
	diag_warn(w->run, "%s answers as %s: kamailio 5 with OpenSSL 3 can "
	    "abort when TLS handshakes arrive at once, as a probe makes them "
	    "(kamailio issue 3791); probe it with --connections 1", e->name, s);
}

static void
host_deliver(void *arg, size_t i, bool failed)
{
	struct work *w = arg;
	struct host_item *it = &w->items[i];
	size_t k;

	item_settle(it, failed);
	/* The report (on the same terminal) and an error line on stderr
	 * start where the progress line was, not after its text. */
	if (w->progress && it->out.n > 0)
		diag_progress_clear();
	for (k = 0; k < it->out.n; k++) {
		enum result r;

		kamailio_hint(w, &it->out.e[k]);
		r = judge_report_entry(w->run, w->rep, &it->out.e[k]);
		w->worst = result_worst(w->worst, r);
		if (r == RESULT_FAIL || r == RESULT_ERROR)
			w->n_failing++;
	}
	target_out_free(&it->out);
	if (w->progress)
		progress_line(w);
}

/*
 * The descriptors one target needs at once: a connection per handshake
 * of one address (PROBE_CONNS_PER_ADDR) and the DNS look-up's sockets.
 */
#define DNS_FDS 2
#define FDS_PER_TARGET (PROBE_CONNS_PER_ADDR + DNS_FDS)
/* Descriptors kept for the rest: the report, the trust store, c-ares. */
#define FDS_RESERVE 16

/*
 * Size --jobs to the open-file limit: every target gets at least the
 * descriptors of one address's handshakes at once.  Says so once when
 * it lowers --jobs.  Returns the jobs; *max_conns is each one's share.
 */
static int
fit_jobs(const struct run *run, size_t ntargets, size_t *max_conns)
{
	long want, avail, lim = 0;
	int jobs = run->jobs > 0 ? run->jobs : 1, fit;

	if ((size_t)jobs > ntargets && ntargets > 0)
		jobs = (int)ntargets;
	if (jobs > POOL_MAX_THREADS)
		jobs = POOL_MAX_THREADS;
	want = (long)jobs * FDS_PER_TARGET + FDS_RESERVE;
	avail = pool_fds_available(want, &lim) - FDS_RESERVE;
	if (avail < FDS_PER_TARGET) {
		/* One target at a time, with what there is. */
		*max_conns = avail > DNS_FDS ? (size_t)(avail - DNS_FDS) : 1;
		fit = 1;
	} else {
		fit = avail / FDS_PER_TARGET < jobs ?
		    (int)(avail / FDS_PER_TARGET) : jobs;
		*max_conns = (size_t)(avail / fit - DNS_FDS);
	}
	if (fit < jobs && run->jobs > 1)
		diag_warn(run, "--jobs %d lowered to %d: the limit of %ld open "
		    "files (ulimit -n) leaves room for %d targets at once",
		    run->jobs, fit, lim, fit);
	return fit;
}

enum result
op_probe(const struct run *run, struct report *rep, char *const targets[],
    int ntargets)
{
	struct probe_target *all = NULL, *sel = NULL;
	struct work w;
	struct pool_spec spec;
	struct sigaction sa;
	size_t nall = 0, nsel = 0, i;
	char *err = NULL;

	/* A server that hangs up while we write must not kill the run. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (dns_global_init(&err) == -1) {
		enum result r = judge_report_error(run, rep, "probe", err);

		free(err);
		return r;
	}
	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.mu, NULL);
	w.run = run;
	w.rep = rep;
	w.worst = gather(run, rep, targets, ntargets, &all, &nall);
	for (i = 0; i < nall; i++) {
		if (!probe_shard_has(i, run->shard_i, run->shard_n)) {
			probe_target_free(&all[i]);
			continue;
		}
		sel = xreallocarray(sel, nsel + 1, sizeof(*sel));
		sel[nsel++] = all[i];
	}
	free(all);
	if (nall == 0 && rep->n_subjects == 0 && run->targets_path != NULL) {
		char *msg = xasprintf("%s: no target in the file: nothing was "
		    "checked", run->targets_path);

		w.worst = judge_report_error(run, rep, run->targets_path, msg);
		free(msg);
	} else if (nsel == 0 && nall > 0) {
		/* Fewer targets than shards: this one has none, rightly. */
		snprintf(rep->empty_note, sizeof(rep->empty_note),
		    "nothing to check in shard %d/%d: %zu target%s for %d "
		    "shards", run->shard_i, run->shard_n, nall,
		    nall == 1 ? "" : "s", run->shard_n);
		diag_warn(run, "%s", rep->empty_note);
	}

	w.targets = sel;
	work_base(&w, run);
	memset(&spec, 0, sizeof(spec));
	spec.arg = &w;
	if (run->srv) {
		spec.jobs = run->jobs;
		/* The zones' look-ups at once, then every record found. */
		w.zones = xcalloc(nsel + 1, sizeof(*w.zones));
		for (i = 0; i < nsel; i++)
			w.zones[i].qname = xasprintf("_sips._tcp.%s", sel[i].host);
		spec.n = nsel;
		spec.work = zone_work;
		spec.deliver = zone_deliver;
		(void)pool_run(&spec);
	}
	host_items(&w, nsel);
	spec.jobs = fit_jobs(run, w.n_items, &w.base.max_conns);
	/* Only for a person watching: a terminal, and not with -q. */
	w.progress = w.n_items > 1 && !run->quiet && isatty(STDERR_FILENO);
	spec.n = w.n_items;
	spec.work = host_work;
	spec.deliver = host_deliver;
	(void)pool_run(&spec);
	if (w.progress)
		fputs("\r\033[K", stderr);
	pthread_mutex_destroy(&w.mu);

	for (i = 0; w.zones != NULL && i < nsel; i++) {
		free(w.zones[i].qname);
		dns_srv_free(w.zones[i].srv, w.zones[i].n);
		free(w.zones[i].error);
	}
	free(w.zones);
	free(w.items);
	probe_targets_free(sel, nsel);
	dns_global_cleanup();
	return w.worst;
}

/* pool deliver for op_probe_one(): every entry into w->one. */
static void
one_deliver(void *arg, size_t i, bool failed)
{
	struct work *w = arg;
	struct host_item *it = &w->items[i];
	size_t k;

	item_settle(it, failed);
	for (k = 0; k < it->out.n; k++) {
		w->one->e = xreallocarray(w->one->e, w->one->n + 1,
		    sizeof(*w->one->e));
		w->one->e[w->one->n++] = it->out.e[k];
	}
	free(it->out.e);
	memset(&it->out, 0, sizeof(it->out));
}

struct target_out *
op_probe_one(const struct run *run, const struct probe_target *t)
{
	struct target_out *out = xcalloc(1, sizeof(*out));
	struct pool_spec spec;
	struct work w;

	memset(&w, 0, sizeof(w));
	w.run = run;
	w.targets = t;
	w.one = out;
	work_base(&w, run);
	if (run->srv) {
		w.zones = xcalloc(1, sizeof(*w.zones));
		w.zones[0].qname = xasprintf("_sips._tcp.%s", t->host);
		zone_work(&w, 0);
	}
	host_items(&w, 1);
	/* A zone's records at once, as op_probe() does. */
	memset(&spec, 0, sizeof(spec));
	spec.n = w.n_items;
	spec.jobs = run->jobs;
	spec.work = host_work;
	spec.deliver = one_deliver;
	spec.arg = &w;
	(void)pool_run(&spec);
	if (w.zones != NULL) {
		free(w.zones[0].qname);
		dns_srv_free(w.zones[0].srv, w.zones[0].n);
		free(w.zones[0].error);
		free(w.zones);
	}
	free(w.items);
	return out;
}

enum result
op_probe_report_one(const struct run *run, struct report *rep,
    struct target_out *out)
{
	enum result worst = RESULT_PASS;
	size_t k;

	if (out == NULL)
		return RESULT_ERROR;
	for (k = 0; k < out->n; k++)
		worst = result_worst(worst,
		    judge_report_entry(run, rep, &out->e[k]));
	if (out->n == 0)
		worst = RESULT_ERROR;
	target_out_free(out);
	free(out);
	return worst;
}

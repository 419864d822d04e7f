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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "x509/chain.h"
#include "rules/engine.h"
#include "core/esc.h"
#include "core/fqdn.h"
#include "app/op.h"
#include "probe/probe.h"

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

struct work {
	const struct run *run;
	const struct probe_target *targets;
	struct target_out *outs;
	bool *done;
	size_t n, next;
	pthread_mutex_t mu;
	pthread_cond_t cv;
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
probe_host(const struct run *run, const char *host, bool host_is_ip,
    int port, const char *fqdn, struct target_out *out)
{
	struct probe_facts dnsf;
	struct dns_addrs addrs = { 0 };
	struct probe_params p = { 0 };
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
	p.timeout_sec = run->timeout_sec;
	p.policy = &run->policy;
	p.port = port;
	if (!run->no_sni)
		p.servername = run->servername != NULL ? run->servername :
		    fqdn != NULL && !fqdn_is_ip_literal(fqdn) ? fqdn : NULL;
	if (run->sip)
		p.sip_host = fqdn != NULL ? fqdn : host;

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

/* A target: a host, or with --srv a zone whose SRV targets are probed. */
static void
probe_target(const struct run *run, const struct probe_target *t,
    struct target_out *out)
{
	struct dns_srv *srv = NULL;
	const char *fqdn = run->fqdn != NULL ? run->fqdn : t->fqdn;
	char *qname = NULL, *err = NULL;
	size_t n = 0, i;

	if (!run->srv) {
		probe_host(run, t->host, t->host_is_ip, t->port,
		    fqdn != NULL ? fqdn : t->host_is_ip ? NULL : t->host, out);
		return;
	}
	if (t->host_is_ip) {
		entry_new(out, t->host, NULL, t->port)->error =
		    xstrdup("--srv: HOST must be a zone name, not an address");
		return;
	}
	qname = xasprintf("_sips._tcp.%s", t->host);
	if (dns_lookup_srv(qname, run->resolver,
	    net_now_ms() + (int64_t)run->timeout_sec * 1000, &srv, &n,
	    &err) == -1)
		entry_new(out, qname, fqdn, t->port)->error = err;
	for (i = 0; i < n; i++) {
		size_t first = out->n, k;

		probe_host(run, srv[i].target, false, srv[i].port,
		    fqdn != NULL ? fqdn : srv[i].target, out);
		/* Each address found through the record says which record. */
		for (k = first; k < out->n; k++) {
			struct probe_facts *pf = &out->e[k].res.facts;

			pf->srv_name = xstrdup(qname);
			pf->srv_target = xstrdup(srv[i].target);
			pf->srv_priority = srv[i].priority;
			pf->srv_weight = srv[i].weight;
			pf->srv_port = srv[i].port;
		}
	}
	dns_srv_free(srv, n);
	free(qname);
}

static void *
worker(void *arg)
{
	struct work *w = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		i = w->next++;
		pthread_mutex_unlock(&w->mu);
		if (i >= w->n)
			break;
		probe_target(w->run, &w->targets[i], &w->outs[i]);
		pthread_mutex_lock(&w->mu);
		w->done[i] = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

/* Judge and report one address; returns its result. */
static enum result
report_entry(const struct run *run, struct report *rep, struct probe_entry *e)
{
	struct subject s;
	enum result r;
	char *err = NULL, *where;

	subject_init(&s, SUBJECT_HOST, e->name);
	s.fqdn = e->fqdn != NULL ? xstrdup(e->fqdn) : NULL;
	s.address = e->address != NULL ? xstrdup(e->address) : NULL;
	s.port = e->port;
	where = e->address != NULL && strstr(e->name, e->address) == NULL ?
	    xasprintf("%s [%s]", e->name, e->address) : xstrdup(e->name);
	if (e->error != NULL) {
		diag_error("%s: %s", where, e->error);
		subject_set_error(&s, "%s", e->error);
	} else {
		s.has_probe = true;
		s.probe = e->res.facts;
		probe_facts_init(&e->res.facts);
		if (e->res.chain != NULL && chain_analyse(run->trust,
		    e->res.chain, NULL, &s.chain, &err) != 0) {
			diag_error("%s: %s", where, err);
			subject_set_error(&s, "%s", err);
			free(err);
		} else if (e->res.chain != NULL)
			s.has_chain = true;
	}
	run_judge(run, &s);
	report_subject(rep, &s);
	r = s.result;
	subject_free(&s);
	free(where);
	return r;
}

/* One error subject for an input that could not be read. */
static enum result
report_error(const struct run *run, struct report *rep, const char *name,
    const char *cause)
{
	struct subject s;

	subject_init(&s, SUBJECT_HOST, name);
	diag_error("%s", cause);
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
		esc = esc_printable_str(args[k]);
		msg = xasprintf("%s: %s", esc, err);
		worst = report_error(run, rep, esc, msg);
		free(msg);
		free(esc);
		free(err);
		err = NULL;
	}
	if (run->targets_path == NULL)
		return worst;
	if (probe_targets_load(run->targets_path, run->policy.port, &file,
	    &nfile, &err) == -1) {
		/* A bad line makes the whole file suspect: probe none of it. */
		worst = report_error(run, rep, run->targets_path, err);
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

enum result
op_probe(const struct run *run, struct report *rep, char *const targets[],
    int ntargets)
{
	struct probe_target *all = NULL, *sel = NULL;
	struct work w;
	pthread_t *th = NULL;
	struct sigaction sa;
	enum result worst;
	size_t nall = 0, nsel = 0, i, k, nth = 0;
	bool progress;
	char *err = NULL;
	int jobs = run->jobs > 0 ? run->jobs : 1;

	/* A server that hangs up while we write must not kill the run. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (dns_global_init(&err) == -1) {
		worst = report_error(run, rep, "probe", err);
		free(err);
		return worst;
	}
	worst = gather(run, rep, targets, ntargets, &all, &nall);
	for (i = 0; i < nall; i++) {
		if (!probe_shard_has(i, run->shard_i, run->shard_n)) {
			probe_target_free(&all[i]);
			continue;
		}
		sel = xreallocarray(sel, nsel + 1, sizeof(*sel));
		sel[nsel++] = all[i];
	}
	free(all);

	memset(&w, 0, sizeof(w));
	w.run = run;
	w.targets = sel;
	w.n = nsel;
	w.outs = xcalloc(nsel + 1, sizeof(*w.outs));
	w.done = xcalloc(nsel + 1, sizeof(*w.done));
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	if (nsel > 1 && jobs > 1) {
		nth = (size_t)jobs < nsel ? (size_t)jobs : nsel;
		th = xcalloc(nth, sizeof(*th));
		for (i = 0; i < nth; i++)
			if (pthread_create(&th[i], NULL, worker, &w) != 0)
				break;
		nth = i;	/* fewer threads is slower, not wrong */
	}
	progress = nsel > 1 && isatty(STDERR_FILENO);
	for (i = 0; i < nsel; i++) {
		if (nth == 0) {
			probe_target(run, &sel[i], &w.outs[i]);
			w.done[i] = true;
		}
		pthread_mutex_lock(&w.mu);
		while (!w.done[i])
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
		for (k = 0; k < w.outs[i].n; k++)
			worst = result_worst(worst,
			    report_entry(run, rep, &w.outs[i].e[k]));
		target_out_free(&w.outs[i]);
		if (progress)
			fprintf(stderr, "\rbwcertcheck: %zu/%zu targets probed",
			    i + 1, nsel);
	}
	if (progress)
		fputs("\r\033[K", stderr);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	free(th);
	free(w.outs);
	free(w.done);
	probe_targets_free(sel, nsel);
	dns_global_cleanup();
	return worst;
}

struct target_out *
op_probe_one(const struct run *run, const struct probe_target *t)
{
	struct target_out *out = xcalloc(1, sizeof(*out));

	probe_target(run, t, out);
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
		worst = result_worst(worst, report_entry(run, rep, &out->e[k]));
	if (out->n == 0)
		worst = RESULT_ERROR;
	target_out_free(out);
	free(out);
	return worst;
}

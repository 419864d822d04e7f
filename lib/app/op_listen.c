/*
 * op_listen.c - the listen operation: stand in for the carrier's SBC,
 * let the customer's equipment connect as a TLS client, and judge each
 * connection as one subject.
 *
 * The network side (probe/listen*.c) hands back facts and the chain a
 * client presented; this file judges them with the same code lint and
 * probe use (chain_analyse, engine_judge) and reports each client as
 * soon as its connection ends.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "app/op.h"
#include "core/esc.h"
#include "probe/listen.h"
#include "probe/probe.h"
#include "rules/engine.h"
#include "x509/chain.h"
#include "x509/facts.h"
#include "x509/load.h"

/* Each connection's own bound, from its accept (DESIGN: 15 s). */
#define LISTEN_CONN_MS 15000

struct listen_ctx {
	const struct run *run;
	struct report *rep;
	enum result worst;
	const char *subject;	/* the certificate presented, for the banner */
	int port;		/* the port listened on */
};

/* The certificate and key to present, from --cert and --key. */
static int
load_server_cert(const struct run *run, STACK_OF(X509) **chain,
    EVP_PKEY **key, char **err)
{
	char *password = NULL, *e2 = NULL;
	EVP_PKEY *pub;
	int rc = -1;

	*key = NULL;
	if ((*chain = sk_X509_new_null()) == NULL)
		fatal_oom();
	if (run->password_spec != NULL &&
	    (password = load_password(run->password_spec, err)) == NULL)
		return -1;
	if (load_certs(run->cert_path, password, *chain, key, NULL, err) == -1)
		goto out;
	if (sk_X509_num(*chain) == 0) {
		*err = xasprintf("%s: no certificate", run->cert_path);
		goto out;
	}
	if (*key == NULL && run->key_path != NULL &&
	    (*key = load_key(run->key_path, password, err)) == NULL)
		goto out;
	/* A PEM with the key beside the certificates, as many servers keep it. */
	if (*key == NULL && (*key = load_key(run->cert_path, password,
	    &e2)) == NULL) {
		*err = xasprintf("%s: no private key in it; give --key FILE",
		    run->cert_path);
		goto out;
	}
	pub = X509_get0_pubkey(sk_X509_value(*chain, 0));
	if (pub == NULL || EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA) {
		*err = xasprintf("%s: the carrier's SBC presents an RSA "
		    "certificate; the first certificate here has no RSA key",
		    run->cert_path);
		goto out;
	}
	rc = 0;
out:
	free(e2);
	if (password != NULL) {
		OPENSSL_cleanse(password, strlen(password));
		free(password);
	}
	return rc;
}

/* The listener is up: say where, and what to do next. */
static void
on_ready(void *arg, const char *where)
{
	struct listen_ctx *c = arg;
	const struct run *run = c->run;

	fprintf(stderr, "listening on %s\n", where);
	if (!run->quiet) {
		if (run->cert_path == NULL)
			fprintf(stderr, "  presenting a throw-away self-signed "
			    "certificate: a client that checks the server must "
			    "refuse it\n");
		else
			fprintf(stderr, "  presenting %s from %s\n", c->subject,
			    run->cert_path);
		fprintf(stderr, "  point the SIP trunk at sips:THIS-HOST:%d "
		    "(or THIS-HOST:%d;transport=tls) and place a test call;\n"
		    "  waiting up to %d s for %d client%s\n", c->port,
		    c->port, run->timeout_sec, run->count,
		    run->count == 1 ? "" : "s");
	}
	fflush(stderr);
}

/* A connection ended: judge it and report it. */
static void
on_done(void *arg, struct listen_conn_result *r)
{
	struct listen_ctx *c = arg;
	struct subject s;
	char *err = NULL;

	subject_init(&s, SUBJECT_CLIENT, r->facts.peer != NULL ?
	    r->facts.peer : "?");
	s.address = r->address;
	r->address = NULL;
	s.port = r->port;
	s.fqdn = c->run->fqdn != NULL ? xstrdup(c->run->fqdn) : NULL;
	s.has_client = true;
	client_facts_free(&s.client);
	s.client = r->facts;
	client_facts_init(&r->facts);
	if (r->client_chain != NULL) {
		if (chain_analyse(c->run->trust, r->client_chain, NULL,
		    &s.chain, &err) == 0)
			s.has_chain = true;
		else {
			/* The client's chain is a finding, not a run error. */
			diag_warn(c->run, "%s: the client's certificate: %s",
			    s.name, err);
			chain_free(&s.chain);
			free(err);
		}
	}
	run_judge(c->run, &s);
	report_subject(c->rep, &s);
	c->worst = result_worst(c->worst, s.result);
	subject_free(&s);
	listen_conn_result_free(r);
	free(r);
}

enum result
op_listen(const struct run *run, struct report *rep)
{
	struct listen_ctx c = { .run = run, .rep = rep, .worst = RESULT_PASS };
	struct listen_params p = { 0 };
	struct probe_target bind_to = { 0 };
	STACK_OF(X509) *chain = NULL, *rest = NULL;
	EVP_PKEY *key = NULL;
	struct sigaction sa;
	char *err = NULL, *subj = NULL;
	int n, i;

	/* A client that hangs up while we answer must not end the run. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (run->cert_path != NULL) {
		if (load_server_cert(run, &chain, &key, &err) == -1) {
			diag_error("--cert %s", err);
			c.worst = RESULT_ERROR;
			goto out;
		}
		p.tls.cert = sk_X509_value(chain, 0);
		if (sk_X509_num(chain) > 1) {
			if ((rest = sk_X509_new_null()) == NULL)
				fatal_oom();
			for (i = 1; i < sk_X509_num(chain); i++)
				if (sk_X509_push(rest, sk_X509_value(chain, i)) == 0)
					fatal_oom();
			p.tls.chain = rest;
		}
		p.tls.key = key;
		c.subject = subj = facts_name_line(
		    X509_get_subject_name(p.tls.cert));
	}
	p.tls.policy = &run->policy;
	p.tls.require_client_cert = run->require_client_cert;
	/* --listen ADDR, or ADDR:PORT as the exporter takes it. */
	if (probe_target_parse(run->listen_addr != NULL ? run->listen_addr :
	    "0.0.0.0", run->policy.port, &bind_to, &err) == -1 ||
	    !bind_to.host_is_ip) {
		diag_error("--listen %s: %s", run->listen_addr, err != NULL ?
		    err : "not an IPv4 or IPv6 address");
		c.worst = RESULT_ERROR;
		goto out;
	}
	p.addr = bind_to.host;
	p.port = c.port = bind_to.port;
	p.count = run->count;
	p.deadline_ms = net_now_ms() + (int64_t)run->timeout_sec * 1000;
	p.conn_ms = LISTEN_CONN_MS;
	p.ready = on_ready;
	p.done = on_done;
	p.arg = &c;
	n = listen_run(&p, &err);
	if (n == -1) {
		diag_error("listen: %s", err);
		c.worst = RESULT_ERROR;
	} else if (n == 0) {
		diag_error("listen: no client connected to %s port %d within "
		    "%d s", p.addr, p.port, run->timeout_sec);
		c.worst = RESULT_ERROR;
	} else if (n < run->count) {
		diag_error("listen: %d of %d clients connected within %d s", n,
		    run->count, run->timeout_sec);
		/* A client that failed stays the verdict (exit 2), not 3. */
		if (c.worst != RESULT_FAIL)
			c.worst = RESULT_ERROR;
	}
out:
	probe_target_free(&bind_to);
	free(err);
	free(subj);
	sk_X509_free(rest);
	sk_X509_pop_free(chain, X509_free);
	EVP_PKEY_free(key);
	return c.worst;
}

/*
 * dns.c - A, AAAA and SRV look-ups with c-ares, bounded by a deadline.
 *
 * The carrier's SBC finds the customer's equipment through DNS: SRV
 * records of a zone, then the A records of the target.  We ask DNS
 * exactly that (no /etc/hosts, no search domains), at the server given
 * with --resolver or the system's.  Each look-up has its own channel,
 * so look-ups in different threads share nothing.
 */
#include <arpa/nameser.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "core/fqdn.h"
#include "probe/probe.h"

/* Per-try timeout and tries; the caller's deadline bounds the whole. */
#define DNS_TRY_MS 1500
#define DNS_TRIES 3
/*
 * Once A has answered with addresses, how long AAAA may still take:
 * AAAA only adds a count then, and a resolver or firewall that drops
 * AAAA queries must not spend the probe's --timeout.  At most a
 * quarter of the time left.
 */
#define DNS_AAAA_GRACE_MS 1000

struct dns_answer {
	int status;		/* ARES_* */
	bool done;
	unsigned char *abuf;	/* owned copy of the reply */
	int alen;
};

int
dns_global_init(char **err)
{
	int rc = ares_library_init(ARES_LIB_INIT_ALL);

	if (rc != ARES_SUCCESS) {
		*err = xasprintf("c-ares: %s", ares_strerror(rc));
		return -1;
	}
	return 0;
}

void
dns_global_cleanup(void)
{
	ares_library_cleanup();
}

static void
answer_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_answer *a = arg;

	(void)timeouts;
	a->status = status;
	a->done = true;
	/* Plain malloc: out of memory here must not leave c-ares by longjmp. */
	if (status == ARES_SUCCESS && abuf != NULL && alen > 0) {
		if ((a->abuf = malloc((size_t)alen)) == NULL) {
			a->status = ARES_ENOMEM;
			return;
		}
		memcpy(a->abuf, abuf, (size_t)alen);
		a->alen = alen;
	}
}

/*
 * "IP", "IP:PORT", "[IPV6]:PORT" or a bare IPv6 literal, as c-ares's
 * server list wants it.  NULL with *err set when it is not an address.
 */
static char *
resolver_csv(const char *resolver, char **err)
{
	struct probe_target t;
	char *csv = NULL, *cause = NULL;

	if (probe_target_parse(resolver, 53, &t, &cause) == -1 || !t.host_is_ip) {
		*err = xasprintf("--resolver %s: want IP[:PORT] (%s)", resolver,
		    cause != NULL ? cause : "not an IP address");
		goto out;
	}
	if (strchr(t.host, ':') != NULL)
		csv = xasprintf("[%s]:%d", t.host, t.port);
	else
		csv = xasprintf("%s:%d", t.host, t.port);
out:
	probe_target_free(&t);
	free(cause);
	return csv;
}

static int
channel_open(const char *resolver, ares_channel *ch, char **err)
{
	struct ares_options o;
	char *csv = NULL;
	int rc, ret = -1;

	*ch = NULL;
	memset(&o, 0, sizeof(o));
	o.timeout = DNS_TRY_MS;
	o.tries = DNS_TRIES;
	rc = ares_init_options(ch, &o, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (rc != ARES_SUCCESS) {
		*err = xasprintf("DNS: %s", ares_strerror(rc));
		*ch = NULL;
		goto out;
	}
	if (resolver != NULL) {
		if ((csv = resolver_csv(resolver, err)) == NULL)
			goto out;
		if ((rc = ares_set_servers_ports_csv(*ch, csv)) != ARES_SUCCESS) {
			*err = xasprintf("--resolver %s: %s", resolver,
			    ares_strerror(rc));
			goto out;
		}
	}
	ret = 0;
out:
	if (ret == -1 && *ch != NULL) {
		ares_destroy(*ch);
		*ch = NULL;
	}
	free(csv);
	return ret;
}

/*
 * Run ch until every answer in a[0..n) is done or the deadline passes
 * (then the queries are cancelled and end with ARES_ECANCELLED).
 */
static void
channel_wait(ares_channel ch, struct dns_answer *a, size_t n,
    int64_t deadline_ms)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval tv, *tvp;
	int64_t left;
	int bits, i, np, wait_ms, r;
	size_t k;

	for (;;) {
		for (k = 0; k < n && a[k].done; k++)
			;
		if (k == n)
			return;
		if ((left = deadline_ms - net_now_ms()) <= 0) {
			ares_cancel(ch);
			return;
		}
		bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);
		for (i = np = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			short ev = 0;

			/*
			 * Not ARES_GETSOCK_WRITABLE(): for the 16th socket it
			 * shifts a signed 1 by 31 places.
			 */
			if (((unsigned)bits >> i) & 1u)
				ev |= POLLIN;
			if (((unsigned)bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u)
				ev |= POLLOUT;
			if (ev == 0)
				continue;
			pfd[np].fd = socks[i];
			pfd[np].events = ev;
			pfd[np].revents = 0;
			np++;
		}
		wait_ms = left > 1000 ? 1000 : (int)left;
		if ((tvp = ares_timeout(ch, NULL, &tv)) != NULL) {
			long t = tvp->tv_sec * 1000 + tvp->tv_usec / 1000;

			if (t < wait_ms)
				wait_ms = (int)t;
		}
		r = poll(pfd, (nfds_t)np, wait_ms);
		if (r <= 0) {
			/* Let c-ares notice its own per-try timeouts. */
			ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
			continue;
		}
		for (i = 0; i < np; i++) {
			if (pfd[i].revents == 0)
				continue;
			ares_process_fd(ch,
			    pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ?
			    pfd[i].fd : ARES_SOCKET_BAD,
			    pfd[i].revents & POLLOUT ? pfd[i].fd : ARES_SOCKET_BAD);
		}
	}
}

/* Why a query failed, in words; name is the queried name. */
static char *
dns_cause(const char *name, const char *type, int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
		return xasprintf("DNS: %s: no such domain name (NXDOMAIN)", name);
	case ARES_ENODATA:
		return xasprintf("DNS: %s: no %s record", name, type);
	case ARES_ECANCELLED:
	case ARES_ETIMEOUT:
		return xasprintf("DNS: %s %s: no answer before the timeout",
		    name, type);
	case ARES_ECONNREFUSED:
		/* c-ares says this for an unreachable server and for REFUSED. */
		return xasprintf("DNS: %s %s: the DNS server refused the query "
		    "or could not be reached", name, type);
	case ARES_ESERVFAIL:
		return xasprintf("DNS: %s %s: the DNS server failed (SERVFAIL)",
		    name, type);
	case ARES_EREFUSED:
		return xasprintf("DNS: %s %s: the DNS server refused the query",
		    name, type);
	default:
		return xasprintf("DNS: %s %s: %s", name, type,
		    ares_strerror(status));
	}
}

static void
add_addr(struct dns_addrs *out, int family, const void *a)
{
	struct sockaddr_storage *ss;

	out->addr = xreallocarray(out->addr, out->n + 1, sizeof(*out->addr));
	ss = &out->addr[out->n++];
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET)
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, a,
		    sizeof(struct in_addr));
	else
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, a,
		    sizeof(struct in6_addr));
}

/*
 * Every address of an A (family AF_INET) or AAAA reply, however many:
 * the SBC may pick any of them, so each is probed.  Returns how many,
 * or -1 when the reply does not parse.
 */
static int
add_reply(struct dns_addrs *out, int family, const struct dns_answer *a)
{
	struct hostent *h = NULL;
	int rc, n = 0;

	rc = family == AF_INET ?
	    ares_parse_a_reply(a->abuf, a->alen, &h, NULL, NULL) :
	    ares_parse_aaaa_reply(a->abuf, a->alen, &h, NULL, NULL);
	if (rc != ARES_SUCCESS || h == NULL) {
		if (h != NULL)
			ares_free_hostent(h);
		return rc == ARES_ENODATA ? 0 : -1;
	}
	for (; h->h_addr_list[n] != NULL; n++)
		add_addr(out, family, h->h_addr_list[n]);
	ares_free_hostent(h);
	return n;
}

int
dns_lookup_host(const char *name, const char *resolver, int64_t deadline_ms,
    struct dns_addrs *out, char **err)
{
	ares_channel ch = NULL;
	struct dns_answer ans[2];
	int n, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(ans, 0, sizeof(ans));
	out->n_a = out->n_aaaa = -1;
	if (channel_open(resolver, &ch, err) == -1)
		goto out;
	ares_query(ch, name, ns_c_in, ns_t_a, answer_cb, &ans[0]);
	ares_query(ch, name, ns_c_in, ns_t_aaaa, answer_cb, &ans[1]);
	/* Both run at once; A first, then what is left of AAAA. */
	channel_wait(ch, &ans[0], 1, deadline_ms);
	if (ans[0].status == ARES_SUCCESS) {
		int64_t now = net_now_ms(), grace = (deadline_ms - now) / 4;

		if (grace > DNS_AAAA_GRACE_MS)
			grace = DNS_AAAA_GRACE_MS;
		channel_wait(ch, &ans[1], 1, now + grace);
	} else if (ans[0].status == ARES_ENODATA) {
		/* No A record: AAAA decides what the report says. */
		channel_wait(ch, &ans[1], 1, deadline_ms);
	}

	/* The A query decides whether the look-up worked at all. */
	if (ans[0].status != ARES_SUCCESS && ans[0].status != ARES_ENODATA) {
		*err = dns_cause(name, "A", ans[0].status);
		/* "probe localhost" and names only /etc/hosts knows. */
		if (ans[0].status == ARES_ENOTFOUND) {
			char *hint = xasprintf("%s (only DNS is asked, /etc/hosts "
			    "is not read; --connect ADDR probes an address and "
			    "still checks the name)", *err);

			free(*err);
			*err = hint;
		}
		goto out;
	}
	out->n_a = 0;
	if (ans[0].status == ARES_SUCCESS &&
	    (n = add_reply(out, AF_INET, &ans[0])) >= 0)
		out->n_a = n;
	if (ans[1].status == ARES_SUCCESS &&
	    (n = add_reply(out, AF_INET6, &ans[1])) >= 0)
		out->n_aaaa = n;
	else if (ans[1].status == ARES_SUCCESS ||
	    ans[1].status == ARES_ENODATA)
		out->n_aaaa = 0;
	rc = 0;
out:
	if (ch != NULL)
		ares_destroy(ch);
	free(ans[0].abuf);
	free(ans[1].abuf);
	return rc;
}

void
dns_addrs_free(struct dns_addrs *d)
{
	if (d == NULL)
		return;
	free(d->addr);
	memset(d, 0, sizeof(*d));
}

int
dns_lookup_srv(const char *name, const char *resolver, int64_t deadline_ms,
    struct dns_srv **out, size_t *n, char **err)
{
	ares_channel ch = NULL;
	struct dns_answer ans;
	struct ares_srv_reply *srv = NULL, *r;
	struct dns_srv *list = NULL;
	size_t count = 0;
	char *target, *cause = NULL;
	int rc = -1;

	*out = NULL;
	*n = 0;
	memset(&ans, 0, sizeof(ans));
	if (channel_open(resolver, &ch, err) == -1)
		goto out;
	ares_query(ch, name, ns_c_in, ns_t_srv, answer_cb, &ans);
	channel_wait(ch, &ans, 1, deadline_ms);
	if (ans.status != ARES_SUCCESS) {
		*err = dns_cause(name, "SRV", ans.status);
		goto out;
	}
	if (ares_parse_srv_reply(ans.abuf, ans.alen, &srv) != ARES_SUCCESS ||
	    srv == NULL) {
		*err = dns_cause(name, "SRV", ARES_ENODATA);
		goto out;
	}
	for (r = srv; r != NULL; r = r->next) {
		if (r->host[0] == '\0' || strcmp(r->host, ".") == 0) {
			/* RFC 2782: "." means the service is decidedly absent. */
			if (srv->next == NULL) {
				*err = xasprintf("DNS: %s: SRV target \".\": the "
				    "service is not available at this domain", name);
				goto out;
			}
			continue;
		}
		if ((target = fqdn_normalize(r->host, &cause)) == NULL) {
			*err = xasprintf("DNS: %s: bad SRV target: %s", name,
			    cause);
			goto out;
		}
		list = xreallocarray(list, count + 1, sizeof(*list));
		list[count].target = target;
		list[count].port = r->port;
		list[count].priority = r->priority;
		list[count].weight = r->weight;
		count++;
	}
	dns_srv_sort(list, count);
	*out = list;
	*n = count;
	list = NULL;
	count = 0;
	rc = 0;
out:
	dns_srv_free(list, count);
	if (srv != NULL)
		ares_free_data(srv);
	if (ch != NULL)
		ares_destroy(ch);
	free(ans.abuf);
	free(cause);
	return rc;
}

void
dns_srv_free(struct dns_srv *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].target);
	free(s);
}

static int
srv_cmp(const void *va, const void *vb)
{
	const struct dns_srv *a = va, *b = vb;
	int c;

	if (a->priority != b->priority)
		return a->priority < b->priority ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	if ((c = strcmp(a->target, b->target)) != 0)
		return c;
	return (a->port > b->port) - (a->port < b->port);
}

void
dns_srv_sort(struct dns_srv *srv, size_t n)
{
	if (n > 1)
		qsort(srv, n, sizeof(*srv), srv_cmp);
}

/*
 * test_probe_local.c - when this machine runs out (descriptors, its
 * share of connections before the deadline), the handshake says so as
 * a local failure, and the address is "could not evaluate", never a
 * rule verdict about the server.  Only 127.0.0.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/ssl.h>

#include "core/policy.h"
#include "probe/probe.h"

/* A socket that listens on 127.0.0.1 and never accepts; *ss its address. */
static int
silent_listener(struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);
	int fd;

	assert_int_equal(net_parse_ip("127.0.0.1", 0, ss, NULL), 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)ss, net_addr_len(ss)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)ss, &len), 0);
	return fd;
}

/* Parameters to probe one address with SNI, for timeout_sec (ms left). */
static void
params_init(struct probe_params *p, struct policy *pol, int timeout_sec,
    int64_t ms)
{
	policy_default(pol);
	memset(p, 0, sizeof(*p));
	p->policy = pol;
	p->servername = "pbx.example.test";
	p->timeout_sec = timeout_sec;
	p->deadline_ms = net_now_ms() + ms;
}

/* Use up every descriptor under a limit of lim; returns how many taken. */
static int
exhaust_fds(rlim_t lim, struct rlimit *saved, int *taken, int max)
{
	struct rlimit rl;
	int n = 0, fd;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, saved), 0);
	rl = *saved;
	rl.rlim_cur = lim;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (n < max && (fd = open("/dev/null", O_RDONLY)) != -1)
		taken[n++] = fd;
	assert_int_equal(errno, EMFILE);
	return n;
}

static void
release_fds(const struct rlimit *saved, const int *taken, int n)
{
	while (n-- > 0)
		close(taken[n]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, saved), 0);
}

static void
test_hs_run_without_a_descriptor_ends_local_not_connect(void **state)
{
	struct sockaddr_storage ss;
	struct hs_job j, *jobs[1] = { &j };
	struct rlimit saved;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int taken[256], n, lfd;

	(void)state;
	lfd = silent_listener(&ss);
	hs_job_init(&j);
	j.addr = &ss;
	j.ciphers = "AES128-SHA";
	n = exhaust_fds(64, &saved, taken, 256);
	hs_run(ctx, jobs, 1, net_now_ms() + 2000, 2, 0, 0);
	release_fds(&saved, taken, n);
	assert_int_equal(j.outcome, HS_LOCAL);
	assert_true(hs_local_failure(&j));
	assert_non_null(strstr(j.reason, "Too many open files"));
	hs_job_free(&j);
	SSL_CTX_free(ctx);
	close(lfd);
}

static void
test_probe_addresses_without_descriptors_is_an_error_not_a_verdict(void **state)
{
	struct sockaddr_storage ss;
	struct policy pol;
	struct probe_params p;
	struct probe_result res;
	struct rlimit saved;
	char *err = NULL;
	int taken[256], n, lfd;

	(void)state;
	lfd = silent_listener(&ss);
	params_init(&p, &pol, 2, 2000);
	n = exhaust_fds(64, &saved, taken, 256);
	assert_int_equal(probe_addresses(&p, &ss, 1, &res, &err), 0);
	release_fds(&saved, taken, n);
	assert_non_null(res.error);
	assert_non_null(strstr(res.error, "not the server's answer"));
	/* No suite was judged from it. */
	assert_int_equal(res.facts.suites[SUITE_AES128_SHA].state,
	    SUITE_NOT_TRIED);
	probe_result_free(&res);
	close(lfd);
}

static void
test_hs_run_a_job_without_its_turn_by_the_deadline_ends_local(void **state)
{
	struct sockaddr_storage ss;
	struct hs_job a, b, *jobs[2] = { &a, &b };
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int lfd;

	(void)state;
	lfd = silent_listener(&ss);
	hs_job_init(&a);
	hs_job_init(&b);
	a.addr = b.addr = &ss;
	a.ciphers = b.ciphers = "AES128-SHA";
	/* One connection at a time: a waits on the silent server, b never starts. */
	hs_run(ctx, jobs, 2, net_now_ms() + 300, 1, 1, 0);
	assert_int_equal(a.outcome, HS_TIMEOUT);
	assert_int_equal(b.outcome, HS_LOCAL);
	assert_non_null(strstr(b.reason, "open-file limit"));
	hs_job_free(&a);
	hs_job_free(&b);
	SSL_CTX_free(ctx);
	close(lfd);
}

static void
test_hs_run_connections_bounds_each_address_not_the_others(void **state)
{
	struct sockaddr_storage s1, s2;
	struct hs_job a1, b1, a2, *jobs[3] = { &a1, &b1, &a2 };
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	int l1, l2;

	(void)state;
	l1 = silent_listener(&s1);
	l2 = silent_listener(&s2);
	hs_job_init(&a1);
	hs_job_init(&b1);
	hs_job_init(&a2);
	a1.addr = b1.addr = &s1;
	a2.addr = &s2;
	a1.ciphers = b1.ciphers = a2.ciphers = "AES128-SHA";
	/* One connection an address: b1 waits for a1; a2 runs beside a1. */
	hs_run(ctx, jobs, 3, net_now_ms() + 300, 1, 0, 1);
	assert_int_equal(a1.outcome, HS_TIMEOUT);
	assert_int_equal(a2.outcome, HS_TIMEOUT);
	assert_int_equal(b1.outcome, HS_LOCAL);
	assert_true(b1.not_tried);
	assert_false(a1.not_tried);
	assert_non_null(strstr(b1.reason, "--connections 1"));
	hs_job_free(&a1);
	hs_job_free(&b1);
	hs_job_free(&a2);
	SSL_CTX_free(ctx);
	close(l1);
	close(l2);
}

/* Accept one connection on the listener *arg, wait 100 ms, close it. */
static void *
accept_close(void *arg)
{
	int c = accept(*(int *)arg, NULL, NULL);

	if (c >= 0) {
		usleep(100 * 1000);
		close(c);
	}
	return NULL;
}

static void
test_hs_run_a_job_that_waited_and_ran_out_of_time_is_not_the_servers(
    void **state)
{
	struct sockaddr_storage s1, s2;
	struct hs_job a, b, *jobs[2] = { &a, &b };
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	pthread_t t;
	int l1, l2;

	(void)state;
	l1 = silent_listener(&s1);
	l2 = silent_listener(&s2);
	assert_int_equal(pthread_create(&t, NULL, accept_close, &l1), 0);
	hs_job_init(&a);
	hs_job_init(&b);
	a.addr = &s1;
	b.addr = &s2;
	a.ciphers = b.ciphers = "AES128-SHA";
	/*
	 * One connection at a time: a's server closes it after 100 ms,
	 * then b starts and has only the rest of the second; its silent
	 * server is not the cause of its end, the wait is.
	 */
	hs_run(ctx, jobs, 2, net_now_ms() + 1000, 1, 1, 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* Closed with the ClientHello unread: a reset, on Linux. */
	assert_true(a.outcome == HS_RESET || a.outcome == HS_CLOSED);
	assert_false(a.not_tried);
	assert_int_equal(b.outcome, HS_LOCAL);
	assert_true(b.not_tried);
	assert_non_null(strstr(b.reason, "had only the rest of the time"));
	hs_job_free(&a);
	hs_job_free(&b);
	SSL_CTX_free(ctx);
	close(l1);
	close(l2);
}

static void
test_probe_addresses_with_connections_names_a_silent_server(void **state)
{
	struct sockaddr_storage ss;
	struct policy pol;
	struct probe_params p;
	struct probe_result res;
	char *err = NULL;
	int lfd;

	(void)state;
	lfd = silent_listener(&ss);
	params_init(&p, &pol, 1, 400);
	p.per_addr = 1;
	assert_int_equal(probe_addresses(&p, &ss, 1, &res, &err), 0);
	/*
	 * The handshakes that waited their turn are not the answer: the
	 * server that never answered the first one is.
	 */
	assert_non_null(res.error);
	assert_non_null(strstr(res.error, "timed out after 1 s"));
	assert_null(strstr(res.error, "--connections"));
	assert_null(strstr(res.error, "not the server's answer"));
	probe_result_free(&res);
	close(lfd);
}

static void
test_net_errno_is_local_names_our_own_shortages(void **state)
{
	(void)state;
	assert_true(net_errno_is_local(EMFILE));
	assert_true(net_errno_is_local(ENFILE));
	assert_true(net_errno_is_local(ENOMEM));
	assert_true(net_errno_is_local(ENOBUFS));
	assert_false(net_errno_is_local(ECONNREFUSED));
	assert_false(net_errno_is_local(ETIMEDOUT));
	assert_false(net_errno_is_local(EHOSTUNREACH));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hs_run_without_a_descriptor_ends_local_not_connect),
		cmocka_unit_test(test_probe_addresses_without_descriptors_is_an_error_not_a_verdict),
		cmocka_unit_test(test_hs_run_a_job_without_its_turn_by_the_deadline_ends_local),
		cmocka_unit_test(test_hs_run_connections_bounds_each_address_not_the_others),
		cmocka_unit_test(test_hs_run_a_job_that_waited_and_ran_out_of_time_is_not_the_servers),
		cmocka_unit_test(test_probe_addresses_with_connections_names_a_silent_server),
		cmocka_unit_test(test_net_errno_is_local_names_our_own_shortages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_pool.c - the worker pool: every item once, results in input
 * order, a bound on what waits behind a slow item, and an allocation
 * failure that ends one item rather than the process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/common.h"
#include "app/pool.h"

#define N_ITEMS 200

struct order_ctx {
	int worked[N_ITEMS];
	size_t delivered[N_ITEMS];
	size_t n_delivered;
	bool failed[N_ITEMS];
	size_t fail_item;	/* this item runs out of memory; N_ITEMS: none */
	pthread_mutex_t mu;
};

static void
order_work(void *arg, size_t i)
{
	struct order_ctx *c = arg;
	struct timespec ts = { 0, (long)((N_ITEMS - i) % 7) * 100000 };

	/* Items finish out of order: the later ones sooner. */
	nanosleep(&ts, NULL);
	pthread_mutex_lock(&c->mu);
	c->worked[i]++;
	pthread_mutex_unlock(&c->mu);
	if (i == c->fail_item)
		(void)xreallocarray(NULL, SIZE_MAX, 2);
}

static void
order_deliver(void *arg, size_t i, bool failed)
{
	struct order_ctx *c = arg;

	c->delivered[c->n_delivered++] = i;
	c->failed[i] = failed;
}

static void
run_order(int jobs, size_t fail_item)
{
	struct order_ctx *c = calloc(1, sizeof(*c));
	struct pool_spec spec = { .n = N_ITEMS, .jobs = jobs,
	    .work = order_work, .deliver = order_deliver };
	size_t i;

	assert_non_null(c);
	c->fail_item = fail_item;
	pthread_mutex_init(&c->mu, NULL);
	spec.arg = c;
	assert_int_equal(pool_run(&spec), jobs > 1 ? jobs : 0);
	assert_int_equal(c->n_delivered, N_ITEMS);
	for (i = 0; i < N_ITEMS; i++) {
		assert_int_equal(c->delivered[i], i);
		assert_int_equal(c->worked[i], 1);
		assert_int_equal(c->failed[i], i == fail_item);
	}
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void
test_pool_eight_jobs_deliver_every_item_once_in_input_order(void **state)
{
	(void)state;
	run_order(8, N_ITEMS);
}

static void
test_pool_one_job_runs_every_item_in_the_caller(void **state)
{
	(void)state;
	run_order(1, N_ITEMS);
}

static void
test_pool_out_of_memory_in_one_item_ends_that_item_only(void **state)
{
	(void)state;
	run_order(8, 17);
	run_order(1, 5);
}

/* The window: item 0 is slow; how many items start meanwhile? */
struct window_ctx {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t started;
	size_t started_while_first_ran;
};

static void
window_work(void *arg, size_t i)
{
	struct window_ctx *c = arg;
	struct timespec until;

	pthread_mutex_lock(&c->mu);
	c->started++;
	pthread_cond_broadcast(&c->cv);
	if (i == 0) {
		/* Wait (at most 3 s) for a full window, then 0.2 s more. */
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 3;
		while (c->started < 24)
			if (pthread_cond_timedwait(&c->cv, &c->mu, &until) != 0)
				break;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		while (pthread_cond_timedwait(&c->cv, &c->mu, &until) == 0)
			;
		c->started_while_first_ran = c->started;
	}
	pthread_mutex_unlock(&c->mu);
}

static void
window_deliver(void *arg, size_t i, bool failed)
{
	(void)arg;
	(void)i;
	assert_false(failed);
}

static void
test_pool_a_slow_first_item_holds_at_most_window_items(void **state)
{
	struct window_ctx c = { .started = 0 };
	struct pool_spec spec = { .n = 500, .jobs = 4, .window = 24,
	    .work = window_work, .deliver = window_deliver, .arg = &c };

	(void)state;
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.cv, NULL);
	assert_int_equal(pool_run(&spec), 4);
	/* Items 0..23 start; item 24 waits until item 0 is delivered. */
	assert_int_equal(c.started_while_first_ran, 24);
	assert_int_equal(c.started, 500);
	pthread_mutex_destroy(&c.mu);
	pthread_cond_destroy(&c.cv);
}

/* caller_works: the caller is one of the jobs and works too. */
struct thread_ctx {
	pthread_mutex_t mu;
	size_t thread_of[N_ITEMS];
	int worked[N_ITEMS];
	size_t n_delivered;
	bool in_order;
};

static void
thread_work(void *arg, size_t i, size_t thread)
{
	struct thread_ctx *c = arg;
	struct timespec ts = { 0, (long)(i % 5) * 200000 };

	nanosleep(&ts, NULL);
	pthread_mutex_lock(&c->mu);
	c->thread_of[i] = thread;
	c->worked[i]++;
	pthread_mutex_unlock(&c->mu);
}

static void
thread_deliver(void *arg, size_t i, bool failed)
{
	struct thread_ctx *c = arg;

	if (i != c->n_delivered || failed)
		c->in_order = false;
	c->n_delivered++;
}

static void
run_caller_works(int jobs)
{
	struct thread_ctx *c = calloc(1, sizeof(*c));
	struct pool_spec spec = { .n = N_ITEMS, .jobs = jobs,
	    .caller_works = true, .work_on = thread_work,
	    .deliver = thread_deliver };
	bool caller_worked = false;
	size_t i;

	assert_non_null(c);
	pthread_mutex_init(&c->mu, NULL);
	c->in_order = true;
	spec.arg = c;
	/* jobs threads in all: the caller and jobs - 1 others. */
	assert_int_equal(pool_run(&spec), jobs - 1);
	assert_true(c->in_order);
	assert_int_equal(c->n_delivered, N_ITEMS);
	for (i = 0; i < N_ITEMS; i++) {
		assert_int_equal(c->worked[i], 1);
		assert_in_range(c->thread_of[i], 0, (size_t)jobs - 1);
		caller_worked |= c->thread_of[i] == 0;
	}
	/* Each item sleeps; the caller never waits idle for 200 of them. */
	assert_true(caller_worked);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void
test_pool_caller_works_counts_as_a_job_and_delivers_in_order(void **state)
{
	(void)state;
	run_caller_works(4);
	run_caller_works(2);
	run_caller_works(1);
}

static void
test_pool_default_window_is_128_per_job_from_1024_to_8192(void **state)
{
	struct pool_spec spec = { .n = 10, .jobs = 4 };

	(void)state;
	assert_int_equal(pool_window(&spec), 1024);
	spec.jobs = 16;
	assert_int_equal(pool_window(&spec), 2048);
	spec.jobs = 256;
	assert_int_equal(pool_window(&spec), 8192);
	spec.window = 7;
	assert_int_equal(pool_window(&spec), 7);
}

static void
oom_inner(void *arg)
{
	int *steps = arg;

	(*steps)++;
	free(xmalloc(16));	/* fine */
	(void)xreallocarray(NULL, SIZE_MAX / 2, 4);
	(*steps)++;	/* never reached */
}

static void
oom_outer(void *arg)
{
	int *steps = arg;

	assert_int_equal(oom_guard(oom_inner, steps), -1);
	(*steps) += 10;
}

static void
test_oom_guard_returns_minus_one_and_guards_nest(void **state)
{
	int steps = 0;

	(void)state;
	assert_int_equal(oom_guard(oom_outer, &steps), 0);
	assert_int_equal(steps, 11);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_eight_jobs_deliver_every_item_once_in_input_order),
		cmocka_unit_test(test_pool_one_job_runs_every_item_in_the_caller),
		cmocka_unit_test(test_pool_out_of_memory_in_one_item_ends_that_item_only),
		cmocka_unit_test(test_pool_a_slow_first_item_holds_at_most_window_items),
		cmocka_unit_test(test_pool_caller_works_counts_as_a_job_and_delivers_in_order),
		cmocka_unit_test(test_pool_default_window_is_128_per_job_from_1024_to_8192),
		cmocka_unit_test(test_oom_guard_returns_minus_one_and_guards_nest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

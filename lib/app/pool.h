/*
 * pool.h - work on many items with a few threads, and hand the results
 * back in input order.
 *
 * pool_run() starts up to spec->jobs worker threads (fewer when there
 * are fewer items, never more than POOL_MAX_THREADS), each with a small
 * explicit stack (POOL_STACK_SIZE) rather than the 8 MB the C library
 * would reserve.  Workers call work(arg, i) for i = 0, 1, 2...; the
 * calling thread calls deliver(arg, i) for each item in order, as soon
 * as that item and every one before it is done.
 *
 * What is held is bounded: a worker starts item i only while
 * i < (first item not yet delivered) + window, so a slow item holds at
 * most window finished ones behind it, however many there are.
 *
 * An allocation that fails inside work() (xmalloc() and friends) ends
 * that item instead of the process (oom_guard()): deliver() is still
 * called for it, with failed set.  Memory the item had allocated is lost.
 */
#ifndef BWC_POOL_H
#define BWC_POOL_H

#include <stdbool.h>
#include <stddef.h>

#define POOL_STACK_SIZE (512u * 1024)
#define POOL_MAX_THREADS 256
/* The default window: 128 a job, at least 1024, at most 8192 items. */
#define POOL_WINDOW_PER_JOB 128
#define POOL_WINDOW_MIN 1024
#define POOL_WINDOW_MAX 8192

struct pool_spec {
	size_t n;		/* items */
	int jobs;		/* threads wanted (1: everything in the caller) */
	size_t window;		/* see above; 0: the default below */
	void (*work)(void *arg, size_t i);	/* in any thread */
	/* In the calling thread, in order; failed: work() ran out of memory. */
	void (*deliver)(void *arg, size_t i, bool failed);
	void *arg;
	/*
	 * For work that keeps a CPU busy (lint): the calling thread is one
	 * of the jobs, and works on the next item free rather than sleep
	 * while the one to deliver is not done.  Work done by the caller
	 * delays no delivery by more than that item; a thread that sleeps
	 * and is woken for every item costs CPU time the work needs.
	 */
	bool caller_works;
	/*
	 * Instead of work, when set: also told which thread runs the item,
	 * 0 for the calling thread and 1, 2... for the others (below jobs
	 * with caller_works, at most jobs without), so a caller can give
	 * each thread state of its own.
	 */
	void (*work_on)(void *arg, size_t i, size_t thread);
};

/*
 * Run spec to the end.  Returns the number of worker threads that ran
 * besides the calling thread (0 when everything ran in the calling
 * thread: one job, one item, or no thread could be started).
 */
int pool_run(const struct pool_spec *spec);

/*
 * How many more descriptors this process may open: the open-file limit
 * (RLIMIT_NOFILE) less those open now.  When that is under want, the
 * soft limit is first raised towards the hard one.  *limit gets the
 * limit in force.
 */
long pool_fds_available(long want, long *limit);

/* The window pool_run() uses for spec (spec->window or its default). */
size_t pool_window(const struct pool_spec *spec);

#endif

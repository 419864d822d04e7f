/*
 * pool.c - a few worker threads over many items, results in input order.
 *
 * One mutex guards the little shared state: the next item to start,
 * how many were delivered, and each item's state.  Workers wait on
 * `room` while the window is full; the calling thread waits on `done`
 * for the next item in order (with caller_works, only once it has no
 * item of its own to work on).
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/common.h"
#include "app/pool.h"

enum item_state { ITEM_PENDING, ITEM_DONE, ITEM_FAILED };

struct pool {
	const struct pool_spec *spec;
	size_t window;
	size_t next;		/* the next item a worker starts */
	size_t delivered;	/* items handed to deliver() so far */
	unsigned char *state;	/* enum item_state, per item */
	pthread_mutex_t mu;
	pthread_cond_t done;	/* an item finished */
	pthread_cond_t room;	/* the window moved on */
};

struct one_item {
	const struct pool_spec *spec;
	size_t i;
	size_t thread;
};

/* A worker thread: its pool and its number (1.., 0 is the caller's). */
struct thread_arg {
	struct pool *p;
	size_t id;
};

size_t
pool_window(const struct pool_spec *spec)
{
	size_t w;

	if (spec->window > 0)
		return spec->window;
	/*
	 * Wide enough that fast items rarely wait for a slow one (a silent
	 * target holds its place for the whole --timeout), narrow enough
	 * that what waits stays some megabytes, not a gigabyte.
	 */
	w = POOL_WINDOW_PER_JOB * (size_t)(spec->jobs > 0 ? spec->jobs : 1);
	if (w < POOL_WINDOW_MIN)
		return POOL_WINDOW_MIN;
	return w > POOL_WINDOW_MAX ? POOL_WINDOW_MAX : w;
}

static void
call_work(void *arg)
{
	struct one_item *it = arg;

	if (it->spec->work_on != NULL)
		it->spec->work_on(it->spec->arg, it->i, it->thread);
	else
		it->spec->work(it->spec->arg, it->i);
}

/* work() for item i in thread; false when it ran out of memory. */
static bool
run_item(const struct pool_spec *spec, size_t i, size_t thread)
{
	struct one_item it = { .spec = spec, .i = i, .thread = thread };

	return oom_guard(call_work, &it) == 0;
}

static void *
worker(void *arg)
{
	struct thread_arg *ta = arg;
	struct pool *p = ta->p;
	size_t i;
	bool ok;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->next < p->spec->n &&
		    p->next >= p->delivered + p->window)
			pthread_cond_wait(&p->room, &p->mu);
		if (p->next >= p->spec->n) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->mu);

		ok = run_item(p->spec, i, ta->id);

		pthread_mutex_lock(&p->mu);
		p->state[i] = ok ? ITEM_DONE : ITEM_FAILED;
		pthread_cond_broadcast(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/*
 * glibc gives each thread that allocates its own arena, up to eight per
 * core, and reserves 64 MB of address space for each: under a ulimit -v
 * that, not the memory used, is what runs out.  A few arenas do for
 * threads that mostly wait on the network.
 */
static void
limit_arenas(void)
{
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	(void)mallopt(M_ARENA_MAX, 4);
#endif
}

/* Descriptors open now, from /proc; a guess where there is none. */
static long
fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = 0;

	if (d == NULL)
		return 16;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0;	/* not the directory's own */
}

long
pool_fds_available(long want, long *limit)
{
	struct rlimit rl;
	long open = fds_open();

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		*limit = 1024;
		return 1024 - open;
	}
	if (rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)(want + open) > rl.rlim_cur && rl.rlim_cur < rl.rlim_max) {
		struct rlimit up = rl;

		up.rlim_cur = (rlim_t)(want + open);
		if (rl.rlim_max != RLIM_INFINITY && up.rlim_cur > rl.rlim_max)
			up.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)1 << 30)
		rl.rlim_cur = (rlim_t)1 << 30;
	*limit = (long)rl.rlim_cur;
	return *limit - open;
}

/*
 * The caller's turn with caller_works: deliver item i once it is done,
 * working on the next free item meanwhile.  Called and returns locked;
 * true when item i was done, false when it failed.
 */
static bool
caller_wait(struct pool *p, size_t i)
{
	size_t j;
	bool ok;

	while (p->state[i] == ITEM_PENDING) {
		if (p->next < p->spec->n &&
		    p->next < p->delivered + p->window) {
			j = p->next++;
			pthread_mutex_unlock(&p->mu);
			ok = run_item(p->spec, j, 0);
			pthread_mutex_lock(&p->mu);
			p->state[j] = ok ? ITEM_DONE : ITEM_FAILED;
		} else
			pthread_cond_wait(&p->done, &p->mu);
	}
	return p->state[i] == ITEM_DONE;
}

int
pool_run(const struct pool_spec *spec)
{
	struct pool p;
	pthread_attr_t attr;
	pthread_t *th = NULL;
	struct thread_arg *ta = NULL;
	size_t i, want;
	int nth = 0;
	bool attr_ok;

	if (spec->n == 0)
		return 0;
	want = spec->jobs > 1 ? (size_t)spec->jobs : 1;
	if (want > spec->n)
		want = spec->n;
	if (want > POOL_MAX_THREADS)
		want = POOL_MAX_THREADS;
	/* A caller that works is one of the jobs. */
	if (spec->caller_works)
		want--;

	memset(&p, 0, sizeof(p));
	p.spec = spec;
	p.window = pool_window(spec);
	p.state = xcalloc(spec->n, 1);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.done, NULL);
	pthread_cond_init(&p.room, NULL);

	if (want > (spec->caller_works ? 0 : 1)) {
		limit_arenas();
		th = xcalloc(want, sizeof(*th));
		ta = xcalloc(want, sizeof(*ta));
		attr_ok = pthread_attr_init(&attr) == 0;
		if (attr_ok)
			(void)pthread_attr_setstacksize(&attr, POOL_STACK_SIZE);
		for (i = 0; i < want; i++) {
			ta[i] = (struct thread_arg){ .p = &p, .id = i + 1 };
			if (pthread_create(&th[i], attr_ok ? &attr : NULL,
			    worker, &ta[i]) != 0)
				break;
		}
		nth = (int)i;	/* fewer threads is slower, not wrong */
		if (attr_ok)
			pthread_attr_destroy(&attr);
	}

	for (i = 0; i < spec->n; i++) {
		bool ok;

		if (nth == 0)
			ok = run_item(spec, i, 0);
		else {
			pthread_mutex_lock(&p.mu);
			if (spec->caller_works)
				ok = caller_wait(&p, i);
			else {
				while (p.state[i] == ITEM_PENDING)
					pthread_cond_wait(&p.done, &p.mu);
				ok = p.state[i] == ITEM_DONE;
			}
			pthread_mutex_unlock(&p.mu);
		}
		spec->deliver(spec->arg, i, !ok);
		pthread_mutex_lock(&p.mu);
		p.delivered = i + 1;
		pthread_cond_broadcast(&p.room);
		pthread_mutex_unlock(&p.mu);
	}
	for (i = 0; i < (size_t)nth; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.done);
	pthread_cond_destroy(&p.room);
	free(th);
	free(ta);
	free(p.state);
	return nth;
}

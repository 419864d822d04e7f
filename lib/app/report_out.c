/*
 * report_out.c - the report's destination (report_out.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/common.h"
#include "app/op.h"
#include "app/report_out.h"

/*
 * The temporary file, for the signal handler: the one thing it must
 * reach, so it lives here rather than in the run.  Written before the
 * handlers are installed; tmp_live says whether the file exists.
 */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_live;

static const int fatal_signals[] = { SIGTERM, SIGINT, SIGHUP };
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static void
on_fatal_signal(int sig)
{
	if (tmp_live)
		(void)unlink(tmp_path);
	/* SA_RESETHAND put the default back: die of the signal. */
	(void)raise(sig);
}

static void
catch_fatal_signals(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < N_FATAL; i++)
		sigaddset(&sa.sa_mask, fatal_signals[i]);
	for (i = 0; i < N_FATAL; i++)
		if (sigaction(fatal_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			(void)sigaction(fatal_signals[i], &sa, NULL);
}

void
report_out_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* open() takes the lowest free number: this one. */
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(EXIT_UNKNOWN);
	}
}

/* A new report gets 0666 less the umask; a replaced one keeps its mode. */
static mode_t
report_mode(const char *path)
{
	struct stat sb;
	mode_t m;

	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		return sb.st_mode & 07777;
	m = umask(0);
	umask(m);
	return 0666 & ~m;
}

int
report_out_open(struct report_out *o, const char *path, char **err)
{
	sigset_t block, old;
	size_t i;
	int rc;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		o->name = "standard output";
		o->is_stdout = true;
		return 0;
	}
	o->name = path;
	if (path[0] == '\0') {
		*err = xstrdup("-o: an empty file name");
		return -1;
	}
	/* No signal between making the temporary file and catching them. */
	sigemptyset(&block);
	for (i = 0; i < N_FATAL; i++)
		sigaddset(&block, fatal_signals[i]);
	(void)sigprocmask(SIG_BLOCK, &block, &old);
	rc = outfile_open(&o->of, path, report_mode(path), err);
	if (rc == 0) {
		o->fp = o->of.fp;
		if (o->of.tmp != NULL && strlen(o->of.tmp) < sizeof(tmp_path)) {
			memcpy(tmp_path, o->of.tmp, strlen(o->of.tmp) + 1);
			tmp_live = 1;
			catch_fatal_signals();
		}
	}
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int
report_out_commit(struct report_out *o, char **err)
{
	int rc;

	if (o->is_stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			*err = xasprintf("standard output: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	rc = outfile_commit(&o->of, err);
	tmp_live = 0;
	o->fp = NULL;
	return rc;
}

void
report_out_abort(struct report_out *o)
{
	if (o->is_stdout) {
		(void)fflush(stdout);
		return;
	}
	tmp_live = 0;
	outfile_abort(&o->of);
	o->fp = NULL;
}

void
report_out_write_failed(struct report_out *o, int e)
{
	if (o->is_stdout && e == EPIPE) {
		/* The reader is gone: stop, as a pipeline expects. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	tmp_live = 0;
	if (!o->is_stdout)
		outfile_abort(&o->of);
	diag_error("%s: %s", o->name, strerror(e));
	_exit(EXIT_UNKNOWN);
}

/*
 * outfile.c - replace a file whole, or leave it as it was (outfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/outfile.h"

/* As the kernel does: at most this many links on the way to a file. */
#define OUTFILE_MAX_LINKS 40

/* The directory part of path, "." when it has none. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * The file path ends at: every symlink on the way followed, relative
 * link targets taken from the link's directory.  The file itself need
 * not exist (a dangling link names the file to create).  Returns a new
 * string, or NULL with errno set.
 */
static char *
resolve_links(const char *path)
{
	char *cur = xstrdup(path), *dir, *next, buf[PATH_MAX];
	struct stat sb;
	ssize_t n;
	int i;

	for (i = 0; i <= OUTFILE_MAX_LINKS; i++) {
		if (lstat(cur, &sb) != 0) {
			if (errno == ENOENT)
				return cur;
			free(cur);
			return NULL;
		}
		if (!S_ISLNK(sb.st_mode))
			return cur;
		if ((n = readlink(cur, buf, sizeof(buf) - 1)) < 0) {
			free(cur);
			return NULL;
		}
		buf[n] = '\0';
		if (buf[0] == '/')
			next = xstrdup(buf);
		else {
			dir = dir_of(cur);
			next = xasprintf("%s/%s", dir, buf);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

static int
fail(struct outfile *of, const char *what, int e, char **err)
{
	*err = xasprintf("%s: %s%s", of->path, what, strerror(e));
	outfile_abort(of);
	return -1;
}

int
outfile_open(struct outfile *of, const char *path, mode_t mode, char **err)
{
	struct stat sb;
	char *dir, *base;
	int fd;

	memset(of, 0, sizeof(*of));
	of->path = xstrdup(path);
	if ((of->target = resolve_links(path)) == NULL)
		return fail(of, "", errno, err);
	if (stat(of->target, &sb) == 0 && S_ISDIR(sb.st_mode))
		return fail(of, "", EISDIR, err);
	if (stat(of->target, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		/* A device or a FIFO: write to it, never replace it. */
		if ((of->fp = fopen(of->target, "w")) == NULL)
			return fail(of, "", errno, err);
		return 0;
	}
	dir = dir_of(of->target);
	base = strrchr(of->target, '/');
	base = base != NULL ? base + 1 : of->target;
	of->tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	free(dir);
	if ((fd = mkstemp(of->tmp)) < 0) {
		free(of->tmp);
		of->tmp = NULL;
		return fail(of, "cannot create a temporary file beside it: ",
		    errno, err);
	}
	if (fchmod(fd, mode) != 0 || (of->fp = fdopen(fd, "w")) == NULL) {
		int e = errno;

		(void)close(fd);
		return fail(of, "", e, err);
	}
	return 0;
}

int
outfile_commit(struct outfile *of, char **err)
{
	bool bad;
	int e;

	if (of->fp == NULL)
		return fail(of, "", EBADF, err);
	bad = fflush(of->fp) != 0 || ferror(of->fp) != 0;
	e = errno;
	/* The bytes reach the disk before the name points at them. */
	if (!bad && of->tmp != NULL && fsync(fileno(of->fp)) != 0) {
		bad = true;
		e = errno;
	}
	if (fclose(of->fp) != 0 && !bad) {
		bad = true;
		e = errno;
	}
	of->fp = NULL;
	if (bad)
		return fail(of, "", e, err);
	if (of->tmp != NULL && rename(of->tmp, of->target) != 0)
		return fail(of, "", errno, err);
	free(of->tmp);
	of->tmp = NULL;
	outfile_abort(of);
	return 0;
}

void
outfile_abort(struct outfile *of)
{
	if (of == NULL)
		return;
	if (of->fp != NULL)
		(void)fclose(of->fp);
	if (of->tmp != NULL)
		(void)unlink(of->tmp);
	free(of->tmp);
	free(of->target);
	free(of->path);
	memset(of, 0, sizeof(*of));
}

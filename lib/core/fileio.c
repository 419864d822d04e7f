/*
 * fileio.c - the one bounded file reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileio.h"

/* What a file that is not a regular one is, in words. */
static const char *
kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO (named pipe); give '-' to read a pipe";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	return "not a regular file";
}

const char *
fileio_not_regular(mode_t m)
{
	return S_ISREG(m) ? NULL : kind_of(m);
}

/*
 * Open path for reading only when it is a regular file.  O_NONBLOCK:
 * opening a FIFO must not wait for a writer that may never come.
 */
static FILE *
open_regular(const char *path, char **err)
{
	struct stat st;
	FILE *fp;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*err = xasprintf("%s: %s", path, fstat(fd, &st) != 0 ?
		    strerror(errno) : S_ISDIR(st.st_mode) ? "is a directory" :
		    kind_of(st.st_mode));
		close(fd);
		return NULL;
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if ((fp = fdopen(fd, "rb")) == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
	}
	return fp;
}

int
fileio_read(const char *path, size_t max, unsigned char **out, size_t *len,
    char **err)
{
	FILE *fp;
	unsigned char *data = NULL;
	size_t n = 0, cap = 0, got;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = open_regular(path, err)) == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			if (cap >= max + 1) {
				*err = xasprintf("%s: larger than %zu bytes",
				    path, max);
				goto out;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			if (cap > max + 1)
				cap = max + 1;
			data = xrealloc(data, cap);
		}
		got = fread(data + n, 1, cap - n, fp);
		n += got;
		if (got == 0) {
			if (ferror(fp)) {
				*err = xasprintf("%s: %s", path,
				    strerror(errno != 0 ? errno : EIO));
				goto out;
			}
			break;
		}
	}
	if (n > max) {
		*err = xasprintf("%s: larger than %zu bytes", path, max);
		goto out;
	}
	*out = data;
	*len = n;
	data = NULL;
	rc = 0;
out:
	free(data);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

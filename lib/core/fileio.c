/*
 * fileio.c - the one bounded file reader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileio.h"

int
fileio_read(const char *path, size_t max, unsigned char **out, size_t *len,
    char **err)
{
	FILE *fp;
	struct stat st;
	unsigned char *data = NULL;
	size_t n = 0, cap = 0, got;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rb")) == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		*err = xasprintf("%s: is a directory", path);
		goto out;
	}
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

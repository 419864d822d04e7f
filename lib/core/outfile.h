/*
 * outfile.h - replace a file whole, or leave it as it was.
 *
 * outfile_open() creates a temporary file with mkstemp() in the
 * directory of the file to replace; outfile_commit() flushes it to disk
 * and renames it into place, so a reader sees the old file or the new
 * one, never half of either, and two runs writing the same name at once
 * each rename a whole file.  A symlink is followed (to its final
 * target, which may not exist yet) and stays a symlink: the target is
 * replaced, never the link.  Anything that is not a regular file (a
 * device such as /dev/null, a FIFO) is written directly, never
 * replaced.  A directory is an error.
 */
#ifndef BWC_OUTFILE_H
#define BWC_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

#include "core/common.h"

struct outfile {
	FILE *fp;		/* write here between open and commit */
	char *path;		/* the name given, for messages */
	char *target;		/* the file that gets the bytes (symlinks resolved) */
	char *tmp;		/* the temporary file, or NULL when writing directly */
};

/*
 * Open path for replacing with a file of this mode (exactly: the umask
 * does not apply).  Returns 0, or -1 with *err set to "PATH: cause"
 * (caller frees); then nothing was created.
 */
int outfile_open(struct outfile *, const char *path, mode_t mode, char **err);

/*
 * Flush, close and rename into place.  Returns 0, or -1 with *err set
 * (caller frees); then the temporary file is removed and the old file
 * is left as it was.  Either way *of is released.
 */
int outfile_commit(struct outfile *of, char **err);

/* Close and remove the temporary file; the old file stays.  NULL-safe, idempotent. */
void outfile_abort(struct outfile *of);

#endif

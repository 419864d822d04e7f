/*
 * fileio.h - read a whole file, bounded.
 */
#ifndef BWC_FILEIO_H
#define BWC_FILEIO_H

#include "core/common.h"

#include <sys/types.h>

/*
 * Read path ("-" is stdin) into *out (caller frees), at most max bytes.
 * Returns 0, or -1 with *err set to "PATH: cause" (caller frees): the
 * file cannot be opened or read, is not a regular file (a directory, a
 * FIFO that would block forever, a device; only "-" reads a pipe), or
 * holds more than max bytes.
 */
int fileio_read(const char *path, size_t max, unsigned char **out,
    size_t *len, char **err);

/* NULL for a regular file's mode; else what the file is, in words. */
const char *fileio_not_regular(mode_t);

#endif

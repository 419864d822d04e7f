/*
 * fileio.h - read a whole file, bounded.
 */
#ifndef BWC_FILEIO_H
#define BWC_FILEIO_H

#include "core/common.h"

/*
 * Read path ("-" is stdin) into *out (caller frees), at most max bytes.
 * Returns 0, or -1 with *err set to "PATH: cause" (caller frees): the
 * file cannot be opened or read, is a directory, or holds more than max
 * bytes.
 */
int fileio_read(const char *path, size_t max, unsigned char **out,
    size_t *len, char **err);

#endif

/*
 * version.h - the --version text.
 */
#ifndef BWC_VERSION_H
#define BWC_VERSION_H

#include <stdio.h>

#include "core/common.h"

/*
 * Print the version, the OpenSSL library in use (and the one built
 * against) and the source and date of the built-in roots, one a line.
 */
void version_print(FILE *out);

#endif

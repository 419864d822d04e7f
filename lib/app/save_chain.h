/*
 * save_chain.h - probe --save-chain DIR: each served chain as PEM, one
 * file per address, for linting later, a ticket, or installing.
 */
#ifndef BWC_SAVE_CHAIN_H
#define BWC_SAVE_CHAIN_H

#include "core/common.h"

struct stack_st_X509;

/*
 * The file name for one address: the subject's name (HOST:PORT), then
 * "_ADDRESS" when the name does not hold the address, then ".pem"
 * ("pbx.example.com_5061_192.0.2.7.pem").  Every byte outside
 * [A-Za-z0-9.-] becomes '_' (the colons of a port or an IPv6 address
 * too), a leading '.' as well, and the name is cut to 200 bytes (the address is kept whole): never
 * a '/', never "..", never a hidden file.  address may be NULL.
 * Caller frees.
 */
char *save_chain_name(const char *name, const char *address);

/*
 * Write chain (borrowed; in the order the server sent it) as PEM to
 * dir/save_chain_name(name, address), replacing a regular file of that
 * name whole (core/outfile.c), mode 0644; a symlink or anything else
 * of that name is refused, never followed, so nothing is written
 * outside dir.  Returns the path written (caller frees), or NULL with
 * *err set (caller frees).
 */
char *save_chain_write(const char *dir, const char *name,
    const char *address, struct stack_st_X509 *chain, char **err);

#endif

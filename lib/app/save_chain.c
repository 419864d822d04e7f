/*
 * save_chain.c - probe --save-chain DIR: each served chain as PEM.
 *
 * The probe keeps the chain each address served (an X509 stack); here
 * it goes to DIR through the writer that replaces a file whole
 * (core/outfile.c), under a name made only of safe bytes.  A name that
 * already exists as a symlink, a folder or a device is refused rather
 * than followed, so a hostile or careless DIR cannot send the PEM
 * anywhere else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "app/save_chain.h"
#include "core/outfile.h"

/* Bytes kept of the name and of the address: together well under NAME_MAX. */
#define NAME_KEEP 200

/*
 * Append at most max bytes of s to b, every byte outside [A-Za-z0-9.-]
 * (and a '.' at the very start) as '_'.
 */
static void
safe_part(struct buf *b, const char *s, size_t max)
{
	size_t i;
	char c;

	for (i = 0; s[i] != '\0' && i < max; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' ||
		    (c == '.' && b->len > 0)))
			c = '_';
		buf_add(b, &c, 1);
	}
}

char *
save_chain_name(const char *name, const char *address)
{
	struct buf b = { 0 };

	safe_part(&b, name != NULL && name[0] != '\0' ? name : "host",
	    NAME_KEEP);
	if (address != NULL && (name == NULL || strstr(name, address) == NULL)) {
		buf_adds(&b, "_");
		safe_part(&b, address, NAME_KEEP);
	}
	buf_adds(&b, ".pem");
	return buf_steal(&b);
}

char *
save_chain_write(const char *dir, const char *name, const char *address,
    STACK_OF(X509) *chain, char **err)
{
	struct outfile of;
	struct stat st;
	char *file = save_chain_name(name, address), *path;
	size_t dl = strlen(dir);
	int i;

	path = xasprintf("%s%s%s", dir, dl > 0 && dir[dl - 1] == '/' ? "" :
	    "/", file);
	free(file);
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		*err = xasprintf("--save-chain: %s exists and is not a regular "
		    "file (a symlink is never followed): not written", path);
		free(path);
		return NULL;
	}
	if (outfile_open(&of, path, 0644, err) != 0) {
		free(path);
		return NULL;
	}
	for (i = 0; i < sk_X509_num(chain); i++)
		if (PEM_write_X509(of.fp, sk_X509_value(chain, i)) != 1) {
			*err = xasprintf("--save-chain: %s: write failed", path);
			outfile_abort(&of);
			free(path);
			return NULL;
		}
	if (outfile_commit(&of, err) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

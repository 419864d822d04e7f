/*
 * load.h - bytes in, owned OpenSSL objects out.
 *
 * Reads PEM (one or many certificates, text between blocks, CRLF),
 * DER, PKCS#7 (PEM or DER) and PKCS#12 (with a password), from a file
 * or '-' for stdin.  The format is found from the content, not the
 * name.  Errors name the file and the cause, taken from OpenSSL's error
 * queue where it has one.
 */
#ifndef BWC_LOAD_H
#define BWC_LOAD_H

#include "core/common.h"

typedef struct evp_pkey_st EVP_PKEY;
struct stack_st_X509;

/* Files larger than this are refused before parsing. */
#define LOAD_MAX_BYTES (16u * 1024 * 1024)

enum load_format {
	LOAD_PEM,
	LOAD_DER,
	LOAD_PKCS7,
	LOAD_PKCS12,
	LOAD__MAX
};

/*
 * Read path ("-" is stdin) and append its certificates to certs (an
 * owned stack: the caller frees it with sk_X509_pop_free).  A PKCS#12
 * key is stored in *key if key is not NULL and *key is NULL.  password
 * is the PKCS#12 password or NULL.  Returns 0, or -1 with *err set to
 * "PATH: cause" (caller frees).  *fmt, if not NULL, gets the format.
 */
int load_certs(const char *path, const char *password,
    struct stack_st_X509 *certs, EVP_PKEY **key, enum load_format *fmt,
    char **err);

/*
 * A run's memory of the CA certificates it has parsed, so a directory
 * of chains that share intermediates parses each one once (see
 * load.c).  Bounded; free with load_cache_free() (NULL is a no-op).
 */
struct load_cache;
struct load_cache *load_cache_new(void);
void load_cache_free(struct load_cache *);

/*
 * load_certs() through cache (NULL: no cache).  A certificate taken
 * from the cache is shared, not copied: the stack holds a reference
 * like any other, and nothing may modify it.
 */
int load_certs_cached(const char *path, const char *password,
    struct load_cache *cache, struct stack_st_X509 *certs, EVP_PKEY **key,
    enum load_format *fmt, char **err);

/* The same as load_certs(), from memory; name is used in messages. */
int load_certs_mem(const char *name, const unsigned char *data, size_t len,
    const char *password, struct stack_st_X509 *certs, EVP_PKEY **key,
    enum load_format *fmt, char **err);

/*
 * Read a private key (PEM, DER, or PKCS#12) from path.  Returns the key
 * (caller frees with EVP_PKEY_free) or NULL with *err set.
 */
EVP_PKEY *load_key(const char *path, const char *password, char **err);

/*
 * Resolve an OpenSSL -passin style spec: "pass:TEXT", "env:VAR",
 * "file:PATH" (first line) or "stdin".  Returns a new string
 * (caller frees, after clearing it) or NULL with *err set.  The
 * password never appears in *err.
 */
char *load_password(const char *spec, char **err);

const char *load_format_name(enum load_format);

/*
 * Why data, a file that yielded no certificate, is not one to lint: "an
 * empty file", "holds a private key, no certificate", ...  NULL when it
 * looks like certificate material (a CERTIFICATE or PKCS7 PEM block,
 * DER, UTF-16 text), so that the loader's error stands.  Static text.
 */
const char *load_not_certificate(const unsigned char *data, size_t len);

/*
 * True when every certificate of certs is a CA (basicConstraints cA)
 * without a DNS name: an intermediate bundle such as certbot's
 * chain.pem, not a chain with a leaf.
 */
bool load_ca_only(const struct stack_st_X509 *certs);

/* load_not_certificate()'s words for a file that holds a key alone. */
extern const char load_why_key_only[];

/* True when data looks like UTF-16 text (a byte-order mark, or NULs between ASCII). */
bool load_is_utf16(const unsigned char *data, size_t len);
/* "NAME: UTF-16 text ...": what such a file is and how to convert it.  Caller frees. */
char *load_utf16_error(const char *name);

/* True when data has a PEM block whose label ends with word ("PRIVATE KEY"). */
bool load_pem_has_label(const unsigned char *data, size_t len,
    const char *word);


#endif

/*
 * config.h - the --config INI file.
 *
 * What bwcertcheck.c calls, in this order (command line wins):
 *
 *	struct config cf;
 *	char *err = NULL;
 *
 *	// 1. find --config FILE in argv first (a first getopt_long pass)
 *	if (config_load(path, &cf, &err) == -1)
 *		-> print err, exit 3
 *	policy_default(&run.policy);
 *	// 2. the [policy] section, on top of the built-in policy
 *	if (config_apply_policy(&cf, &run.policy, &err) == -1)
 *		-> print err, exit 3
 *	// 3. the option sections: the top of the file and [bwcertcheck],
 *	//    then [lint], [probe] or [listen] for the command being run; fn is the
 *	//    same handler the getopt_long loop uses, called with the
 *	//    option's val and its argument (NULL for a flag set to yes)
 *	if (config_apply_options(&cf, "lint", longopts, fn, arg, &err) == -1)
 *		-> print err (already "FILE:LINE: ..."), exit 3
 *	config_free(&cf);
 *	// 4. then the command line, which overrides all of the above
 *
 * Errors always name FILE:LINE.  Keys are the long option names
 * ("warn-days"; "warn_days" is accepted too); section and key names are
 * case-insensitive.  Without --config nothing here is needed.
 */
#ifndef BWC_CONFIG_H
#define BWC_CONFIG_H

#include <getopt.h>

#include "core/common.h"
#include "core/policy.h"

/* One "key = value" line.  Strings are owned by the struct config. */
struct config_entry {
	char *section;		/* lower case; "" for lines before any section */
	char *key;		/* lower case, '_' turned into '-' */
	char *value;		/* whitespace trimmed, one pair of "" removed */
	int line;
};

struct config {
	char *path;		/* as given, used in messages */
	struct config_entry *entries;
	size_t n;
};

/*
 * Read and check the syntax of the INI file at path.  Sections other
 * than the top, [bwcertcheck], [lint], [probe], [listen] and [policy] are errors,
 * as is a key given twice in the same section.  Returns 0, or -1 with
 * *err set to "PATH:LINE: cause" or "PATH: cause" (caller frees).
 * Call config_free() on *out either way.
 */
int config_load(const char *path, struct config *out, char **err);

/* The same from text in memory; name stands for the path in messages. */
int config_load_string(const char *name, const char *text, struct config *out,
    char **err);

/* Release what *cf owns; safe on a zeroed or half-filled struct. */
void config_free(struct config *cf);

/*
 * Apply the [policy] section to *p, which holds the policy to start
 * from (normally policy_default()).  If the section changes anything
 * but gives no name, the policy is named "custom (FILE)".  Returns 0,
 * or -1 with *err "PATH:LINE: cause" (caller frees); *p may then be
 * partly changed.
 */
int config_apply_policy(const struct config *cf, struct policy *p,
    char **err);

/*
 * Called once per option taken from the file: val is the struct
 * option's val, optarg its argument (NULL for a no_argument option set
 * to yes; a flag set to no is not passed on).  Returns 0, or -1 with
 * *err set (caller of config_apply_options frees; it is prefixed with
 * "PATH:LINE: ").
 */
typedef int (*config_option_fn)(void *arg, int val, const char *optarg,
    char **err);

/*
 * Check every key of the option sections against longopts (terminated
 * by a zero row), then call fn for the top section and [bwcertcheck]
 * in file order, then for the section named command ("lint", "probe";
 * NULL for none).  "config", "help" and "version" are not allowed in a
 * file.  A relative path in a path option (trust-store, key, targets,
 * password's file:, output, ...) is taken from the config file's folder
 * (the entry's value is rewritten), and one to be read must be readable.
 * Returns 0, or -1 with *err set (caller frees).
 */
int config_apply_options(struct config *cf, const char *command,
    const struct option *longopts, config_option_fn fn, void *arg,
    char **err);

/*
 * Set one [policy] key on *p: name, brands (comma list of brand keys:
 * digicert, godaddy, letsencrypt, identrust, comodo, globalsign),
 * suites (comma list of OpenSSL or IANA names; the first becomes the
 * default suite), default-suite (a name or "none"), min-rsa-bits,
 * wildcards (yes/no), warn-days, port, srtp (the SRTP keying an SDP
 * offer may use: sdes, dtls or any).  Returns 0, or -1 with *err set to
 * the cause without a location (caller frees).
 */
int policy_apply(struct policy *p, const char *key, const char *value,
    char **err);

/* yes/no, true/false, on/off, 1/0 (any case) into *out; -1 if none. */
int config_parse_bool(const char *value, bool *out);

/*
 * A limit before expiry: "N" days (0 to 36500) or "N%" of each
 * certificate's lifetime (0 to 100).  Returns 0, or -1 (nothing set).
 */
int config_parse_limit(const char *value, int *n, bool *percent);

#endif

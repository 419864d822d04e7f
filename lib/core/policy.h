/*
 * policy.h - the parameters the rules judge by.
 *
 * The built-in policy is the carrier's (Bandwidth's TLS/SRTP
 * requirements).  A [policy] section in --config may change any field;
 * every report names the policy it applied.
 */
#ifndef BWC_POLICY_H
#define BWC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The CA brands a chain may anchor at. */
enum brand {
	BRAND_DIGICERT,
	BRAND_GODADDY,
	BRAND_LETSENCRYPT,
	BRAND_IDENTRUST,
	BRAND_COMODO,
	BRAND_GLOBALSIGN,
	BRAND__MAX
};

/* The suites the carrier allows; all three use static RSA key exchange. */
enum suite {
	SUITE_AES128_SHA,	/* TLS_RSA_WITH_AES_128_CBC_SHA, the default */
	SUITE_AES128_SHA256,	/* TLS_RSA_WITH_AES_128_CBC_SHA256 */
	SUITE_AES256_SHA256,	/* TLS_RSA_WITH_AES_256_CBC_SHA256 */
	SUITE__MAX
};

/* How an SDP offer may key SRTP; struct policy's srtp is a set of these. */
enum srtp_keying {
	SRTP_SDES = 1u << 0,	/* a=crypto lines in the SDP (RFC 4568) */
	SRTP_DTLS = 1u << 1,	/* DTLS-SRTP: a=fingerprint (RFC 5763) */
};

struct policy {
	char name[64];
	unsigned brands;	/* bit (1u << enum brand) per accepted brand */
	unsigned suites;	/* bit (1u << enum suite) per allowed suite */
	int default_suite;	/* enum suite the carrier uses by default, or -1 */
	int min_rsa_bits;
	bool wildcards;		/* may a wildcard SAN cover the FQDN? */
	int warn_days;		/* expires-soon warns within this (days, or % of */
	bool warn_percent;	/* each certificate's lifetime when set) */
	int crit_days;		/* ... and fails as an error within this; */
	bool crit_percent;	/* 0 days: never (not-expired judges expiry) */
	int port;
	unsigned srtp;		/* enum srtp_keying bits the carrier accepts */
};

/* Fill *p with the carrier's built-in policy. */
void policy_default(struct policy *p);

/*
 * The limit in seconds for a certificate valid from not_before to
 * not_after: n days, or n percent of its lifetime.
 */
time_t policy_limit_seconds(int n, bool percent, time_t not_before,
    time_t not_after);

/* "30 days", "1 day" or "33% of the lifetime", into buf. */
void policy_limit_text(int n, bool percent, char *buf, size_t len);

const char *brand_name(enum brand);		/* "Let's Encrypt" */
const char *brand_key(enum brand);		/* "letsencrypt" */
int brand_from_key(const char *key);		/* -1 when unknown */

const char *suite_openssl_name(enum suite);	/* "AES128-SHA" */
const char *suite_iana_name(enum suite);	/* "TLS_RSA_WITH_..." */
int suite_from_name(const char *name);		/* either name; -1 unknown */

/* "sdes", "dtls" or "any" for a set of enum srtp_keying bits. */
const char *srtp_policy_name(unsigned srtp);
/* The bits for "sdes", "dtls" or "any"; -1 when none of these. */
int srtp_policy_from_name(const char *name);

#endif

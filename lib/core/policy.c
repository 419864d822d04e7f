/*
 * policy.c - the carrier's built-in policy and the names of brands and
 * suites.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/policy.h"

static const struct {
	const char *name, *key;
} brands[BRAND__MAX] = {
	[BRAND_DIGICERT] = { "DigiCert", "digicert" },
	[BRAND_GODADDY] = { "GoDaddy", "godaddy" },
	[BRAND_LETSENCRYPT] = { "Let's Encrypt", "letsencrypt" },
	[BRAND_IDENTRUST] = { "IdenTrust", "identrust" },
	[BRAND_COMODO] = { "Comodo", "comodo" },
	[BRAND_GLOBALSIGN] = { "GlobalSign", "globalsign" },
};

static const struct {
	const char *openssl, *iana;
} suites[SUITE__MAX] = {
	[SUITE_AES128_SHA] = { "AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA" },
	[SUITE_AES128_SHA256] = { "AES128-SHA256",
	    "TLS_RSA_WITH_AES_128_CBC_SHA256" },
	[SUITE_AES256_SHA256] = { "AES256-SHA256",
	    "TLS_RSA_WITH_AES_256_CBC_SHA256" },
};

void
policy_default(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", "bandwidth");
	p->brands = (1u << BRAND__MAX) - 1;
	p->suites = (1u << SUITE__MAX) - 1;
	p->default_suite = SUITE_AES128_SHA;
	p->min_rsa_bits = 2048;
	p->wildcards = true;
	p->warn_days = 30;
	p->port = 5061;
	p->srtp = SRTP_SDES;
}

const char *
srtp_policy_name(unsigned srtp)
{
	if (srtp == (SRTP_SDES | SRTP_DTLS))
		return "any";
	return srtp == SRTP_DTLS ? "dtls" : "sdes";
}

int
srtp_policy_from_name(const char *name)
{
	if (strcasecmp(name, "sdes") == 0)
		return SRTP_SDES;
	if (strcasecmp(name, "dtls") == 0)
		return SRTP_DTLS;
	if (strcasecmp(name, "any") == 0)
		return SRTP_SDES | SRTP_DTLS;
	return -1;
}

time_t
policy_limit_seconds(int n, bool percent, time_t not_before, time_t not_after)
{
	long long life = (long long)not_after - (long long)not_before;

	if (!percent)
		return (time_t)n * 86400;
	return life > 0 ? (time_t)(life / 100 * n + life % 100 * n / 100) : 0;
}

void
policy_limit_text(int n, bool percent, char *buf, size_t len)
{
	if (percent)
		snprintf(buf, len, "%d%% of the lifetime", n);
	else
		snprintf(buf, len, "%d day%s", n, n == 1 ? "" : "s");
}

const char *
brand_name(enum brand b)
{
	return (unsigned)b < BRAND__MAX ? brands[b].name : "?";
}

const char *
brand_key(enum brand b)
{
	return (unsigned)b < BRAND__MAX ? brands[b].key : "?";
}

int
brand_from_key(const char *key)
{
	int i;

	for (i = 0; i < BRAND__MAX; i++)
		if (strcasecmp(key, brands[i].key) == 0 ||
		    strcasecmp(key, brands[i].name) == 0)
			return i;
	return -1;
}

const char *
suite_openssl_name(enum suite s)
{
	return (unsigned)s < SUITE__MAX ? suites[s].openssl : "?";
}

const char *
suite_iana_name(enum suite s)
{
	return (unsigned)s < SUITE__MAX ? suites[s].iana : "?";
}

int
suite_from_name(const char *name)
{
	int i;

	for (i = 0; i < SUITE__MAX; i++)
		if (strcasecmp(name, suites[i].openssl) == 0 ||
		    strcasecmp(name, suites[i].iana) == 0)
			return i;
	return -1;
}

/*
 * check_ext.c - signatures and extensions: signature-sha256,
 * key-usage-encipherment, eku-server-auth, eku-client-auth.
 */
#include <stdlib.h>

#include "rules/check_util.h"

struct sig_walk {
	const struct check_input *in;
	struct problems p;
};

static void
sig_each(const struct cert_facts *f, int idx, void *arg)
{
	struct sig_walk *w = arg;
	char *ref;

	/* A root's self-signature is never checked (BR 7.1.3.2 exempts it). */
	if (idx < 0 || f->self_signed)
		return;
	switch (f->sig_hash) {
	case SIGHASH_SHA224:
	case SIGHASH_SHA256:
	case SIGHASH_SHA384:
	case SIGHASH_SHA512:
		return;
	default:
		ref = cert_ref(f, idx);
		problems_add(&w->p, idx, "%s is signed with %s (%s)", ref,
		    sig_hash_name(f->sig_hash), f->sig_alg);
		free(ref);
	}
}

/* BR 7.1.3.2: SHA-256 or stronger below the root; RFC 9155 for TLS 1.2. */
void
check_signature_sha256(const struct check_input *in, struct verdict *v)
{
	struct sig_walk w = { .in = in };
	const struct cert_facts *leaf = chain_leaf(in->chain);

	chain_foreach(in->chain, sig_each, &w);
	if (w.p.count > 0)
		verdict_set(v, STATUS_FAIL, w.p.first_cert, "%s", w.p.text.ptr);
	else
		verdict_set(v, STATUS_PASS, -1, "no certificate below the root is "
		    "signed with SHA-1 or MD5 (leaf: %s)", leaf->sig_alg);
	buf_free(&w.p.text);
}

/* RFC 5280 4.2.1.3: static RSA key exchange encrypts to the leaf's key. */
void
check_key_usage_encipherment(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	int idx = (int)in->chain->leaf;

	if (!leaf->has_ku)
		verdict_set(v, STATUS_PASS, idx, "the leaf has no keyUsage "
		    "extension: every use is allowed");
	else if (leaf->ku & FACT_KU_KEY_ENCIPHERMENT)
		verdict_set(v, STATUS_PASS, idx, "keyUsage includes "
		    "keyEncipherment");
	else
		verdict_set(v, STATUS_FAIL, idx, "keyUsage lacks keyEncipherment%s: "
		    "static-RSA suites (all three allowed ones) need it",
		    (leaf->ku & FACT_KU_DIGITAL_SIGNATURE) ?
		    " (digitalSignature only)" : "");
}

/* RFC 5280 4.2.1.12: the certificate may serve a TLS server. */
void
check_eku_server_auth(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	int idx = (int)in->chain->leaf;

	if (!leaf->has_eku)
		verdict_set(v, STATUS_PASS, idx, "the leaf has no "
		    "extendedKeyUsage: every use is allowed");
	else if (leaf->eku_server)
		verdict_set(v, STATUS_PASS, idx, "extendedKeyUsage includes "
		    "serverAuth");
	else if (leaf->eku_any)
		verdict_set(v, STATUS_FAIL, idx, "extendedKeyUsage has "
		    "anyExtendedKeyUsage but not serverAuth, which OpenSSL-based "
		    "SBCs require");
	else
		verdict_set(v, STATUS_FAIL, idx, "extendedKeyUsage lacks "
		    "serverAuth%s", leaf->eku_client ? " (clientAuth only)" : "");
}

void
check_eku_client_auth(const struct check_input *in, struct verdict *v)
{
	const struct cert_facts *leaf = chain_leaf(in->chain);
	int idx = (int)in->chain->leaf;

	if (!leaf->has_eku)
		verdict_set(v, STATUS_PASS, idx, "the leaf has no "
		    "extendedKeyUsage: clientAuth is allowed");
	else if (leaf->eku_client)
		verdict_set(v, STATUS_PASS, idx, "extendedKeyUsage includes "
		    "clientAuth: usable for mutual TLS");
	else
		verdict_set(v, STATUS_FAIL, idx, "extendedKeyUsage lacks "
		    "clientAuth: fine unless the carrier asks the PBX for a "
		    "client certificate");
}

/*
 * rule_table.c - the rule table: the only list of rules.
 *
 * Adding a rule is one row here and one check function.  IDs are
 * stable: scripts, CI gates and --disable name them.  The table's order
 * is the order of every report.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

const struct rule rule_table[] = {
	{ .id = "rsa-key", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "the leaf's key, and every key in the path, is RSA",
	  .source = "carrier: key pair type RSA; ECC certificates are not supported",
	  .explain = "The carrier's SBC negotiates only static-RSA suites "
	    "(TLS_RSA_WITH_AES_*), which need an RSA key in the server "
	    "certificate, and it does not verify ECDSA signatures, so a CA "
	    "with an EC key anywhere in the path breaks the chain too.",
	  .fix = "Request the certificate with an RSA key (openssl req "
	    "-newkey rsa:2048), and ask the CA for its RSA chain (for "
	    "Let's Encrypt: certbot --key-type rsa).",
	  .check = check_rsa_key },
	{ .id = "rsa-key-size", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "every RSA key in the chain is at least the policy's minimum (2048 bits)",
	  .source = "carrier: RSA key pair; CA/Browser Forum Baseline Requirements 6.1.5",
	  .explain = "RSA keys under 2048 bits are refused by current TLS "
	    "stacks at their default security level and are no longer issued "
	    "by public CAs. The modulus must also be a whole number of bytes "
	    "(a multiple of 8 bits, BR 6.1.5): a 2052-bit key fails, in the "
	    "leaf and in every CA.",
	  .fix = "Generate a new key of at least 2048 bits, a multiple of 8 "
	    "(2048, 3072, 4096), and have the certificate reissued.",
	  .check = check_rsa_key_size },
	{ .id = "accepted-ca", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "the chain verifies up to a root of an accepted CA",
	  .source = "carrier: certificate from DigiCert, GoDaddy, Let's Encrypt, "
	    "IdenTrust, Comodo or GlobalSign",
	  .explain = "The SBC trusts only the roots of the accepted brands. "
	    "The chain is built from the certificates given, up to one of "
	    "those roots (compiled in, or --trust-store); the report names "
	    "the brand and root reached.",
	  .fix = "Buy or issue the certificate from an accepted CA. If the "
	    "chain is from one, include every intermediate the CA supplied.",
	  .check = check_accepted_ca },
	{ .id = "chain-complete", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "the intermediates needed to reach the root are all present",
	  .source = "carrier: the SBC fetches nothing; RFC 8446 4.4.2 / RFC 5246 7.4.2",
	  .explain = "The server must send its leaf and every intermediate; "
	    "the SBC does not download missing ones (no AIA fetching). A "
	    "missing intermediate is named with its caIssuers URL as a hint.",
	  .fix = "Configure the server with the full chain file (leaf first, "
	    "then each intermediate; fullchain.pem for certbot). bwcertcheck "
	    "fix-chain -o fullchain.pem FILE... writes it from the files you "
	    "have; with --fetch it downloads a missing intermediate from the "
	    "caIssuers URL.",
	  .check = check_chain_complete },
	{ .id = "chain-order", .severity = SEV_WARNING, .needs = NEEDS_CHAIN,
	  .title = "the certificates are in order, leaf first, each signed by the next",
	  .source = "RFC 5246 7.4.2 (TLS 1.2 requires the order)",
	  .explain = "TLS 1.2 says the sender's certificate comes first and "
	    "each following certificate certifies the one before it. Strict "
	    "peers refuse other orders; extra certificates after the path "
	    "are tolerated.",
	  .fix = "Put the leaf first, then its issuer, then that issuer's "
	    "issuer; drop certificates that are not part of the path. "
	    "bwcertcheck fix-chain -o fullchain.pem FILE... does it for you.",
	  .check = check_chain_order },
	{ .id = "not-self-signed", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "the leaf is not self-signed",
	  .source = "carrier: self-signed certificates are not permitted",
	  .explain = "A self-signed leaf vouches only for itself; the SBC "
	    "refuses it whatever its content.",
	  .fix = "Get a certificate from an accepted CA (Let's Encrypt is free).",
	  .check = check_not_self_signed },
	{ .id = "not-expired", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "no certificate in the chain, root included, is expired or not yet valid",
	  .source = "RFC 5280 6.1.3 (a)(2)",
	  .explain = "Every certificate of the path, intermediates and the "
	    "root reached included, must be valid at the time of evaluation "
	    "(now, or --at).",
	  .fix = "Renew the certificate; if an intermediate or root expired, "
	    "install the CA's current chain.",
	  .check = check_not_expired },
	{ .id = "expires-soon", .severity = SEV_WARNING, .needs = NEEDS_CHAIN,
	  .title = "no certificate in the chain expires within --warn-days "
	    "(an error within --crit-days)",
	  .source = "operations: renew before the SBC refuses the handshake",
	  .explain = "Warns when any certificate of the path, root included, "
	    "expires within --warn-days (default 30) of the evaluation time, "
	    "and fails as an error within --crit-days (default 0: never). "
	    "Either may be a share of the leaf's lifetime (33%), the renewal "
	    "cadence: a fixed 30 days is most of a 47-day certificate's life "
	    "and more than a 6-day one's.",
	  .fix = "Renew now, and automate renewal (certbot renew, acme.sh).",
	  .check = check_expires_soon },
	{ .id = "root-retiring", .severity = SEV_WARNING,
	  .needs = NEEDS_CHAIN | NEEDS_ANCHOR | NEEDS_BUILTIN_ROOT,
	  .title = "the root reached is not leaving Mozilla's root store within --warn-days",
	  .source = "Mozilla Root Store Policy 7.4 (root lifecycle)",
	  .explain = "Roots are removed from TLS trust on a schedule set by "
	    "their key's age; trust stores of SBCs follow. A chain that "
	    "anchors at a root that has left, or leaves within --warn-days, "
	    "stops working when the carrier updates its store.",
	  .fix = "Ask the CA for a chain to its newer root (a cross-signed "
	    "intermediate or a reissue under the new hierarchy).",
	  .check = check_root_retiring },
	{ .id = "fqdn-match", .severity = SEV_ERROR, .needs = NEEDS_CHAIN | NEEDS_FQDN,
	  .title = "a SAN dNSName covers the FQDN (wildcards for exactly one label)",
	  .source = "carrier: a wildcard must cover the equipment's FQDN; RFC 9525 6.3",
	  .explain = "The SBC connects to the equipment's FQDN and checks it "
	    "against the certificate's subjectAltName dNSName entries: exact "
	    "(case-insensitive), or a wildcard that stands for exactly the "
	    "left-most label (*.example.com covers pbx.example.com, not "
	    "a.pbx.example.com, nor example.com). The CN is never used; "
	    "partial-label wildcards and names with NUL bytes never match.",
	  .fix = "Reissue the certificate with the FQDN in the SAN (or a "
	    "wildcard for its parent domain).",
	  .check = check_fqdn_match },
	{ .id = "signature-sha256", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "no certificate below the root is signed with SHA-1 or MD5",
	  .source = "CA/Browser Forum Baseline Requirements 7.1.3; RFC 9155",
	  .explain = "SHA-1 and MD5 signatures are forgeable and refused by "
	    "current TLS stacks. Roots are exempt: their self-signature is "
	    "not checked.",
	  .fix = "Have the certificate reissued; current CAs sign with "
	    "SHA-256 or stronger.",
	  .check = check_signature_sha256 },
	{ .id = "key-usage-encipherment", .severity = SEV_WARNING, .needs = NEEDS_CHAIN,
	  .title = "if the leaf has keyUsage, it includes keyEncipherment",
	  .source = "RFC 5246 7.4.2 / RFC 5280 4.2.1.3: static RSA key exchange",
	  .explain = "All three allowed suites use static RSA key exchange: "
	    "the client encrypts the premaster secret to the certificate's "
	    "key. Strict TLS stacks refuse that when keyUsage is present "
	    "without keyEncipherment (Let's Encrypt's tlsserver and "
	    "shortlived profiles omit it).",
	  .fix = "Request a certificate whose keyUsage includes "
	    "keyEncipherment (Let's Encrypt: the classic profile).",
	  .check = check_key_usage_encipherment },
	{ .id = "eku-server-auth", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "if the leaf has extendedKeyUsage, it includes serverAuth",
	  .source = "RFC 5280 4.2.1.12; CA/Browser Forum Baseline Requirements 7.1.2.7",
	  .explain = "The SBC acts as a TLS client when it reaches the "
	    "equipment and checks that the certificate may be used for a TLS "
	    "server. anyExtendedKeyUsage alone is not enough for OpenSSL.",
	  .fix = "Request a TLS server certificate (serverAuth).",
	  .check = check_eku_server_auth },
	{ .id = "eku-client-auth", .severity = SEV_NOTICE, .needs = NEEDS_CHAIN,
	  .title = "the leaf allows clientAuth (needed only for mutual TLS)",
	  .source = "carrier: when the PBX sends calls it is the TLS client",
	  .explain = "Only matters if the carrier asks the PBX for a client "
	    "certificate when the PBX connects. Public CAs stopped issuing "
	    "clientAuth in 2026 (Let's Encrypt on 2026-02-11), so this is a "
	    "notice and never changes the exit status.",
	  .fix = "If the carrier requires mutual TLS, ask it which client "
	    "certificate it accepts.",
	  .check = check_eku_client_auth },
	{ .id = "leaf-not-ca", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "the leaf is not a CA certificate",
	  .source = "RFC 5280 4.2.1.9; CA/Browser Forum Baseline Requirements 7.1.2.7",
	  .explain = "A server certificate with basicConstraints cA=TRUE is "
	    "a CA, not an end entity; TLS clients refuse it as a server "
	    "certificate.",
	  .fix = "Install the end-entity certificate, not the CA's.",
	  .check = check_leaf_not_ca },
	{ .id = "path-valid", .severity = SEV_ERROR, .needs = NEEDS_CHAIN,
	  .title = "the path obeys RFC 5280 as a strict validator applies it",
	  .source = "RFC 5280 sections 4 and 6; OpenSSL X509_V_FLAG_X509_STRICT",
	  .explain = "Strict TLS stacks refuse a path that breaks RFC 5280 "
	    "even when every signature verifies: name constraints (a "
	    "wildcard SAN never escapes an excluded subtree; constraints "
	    "critical, in CA certificates only, well-formed and not empty), "
	    "basicConstraints and keyUsage of the CAs, key identifiers, "
	    "serial numbers (positive, at most 20 octets), critical "
	    "extensions (policyConstraints critical, subjectAltName critical "
	    "only beside an empty subject), and the profile checks of "
	    "OpenSSL's strict mode. The message names each violation and "
	    "the certificate that carries it. Where OpenSSL's strict mode "
	    "asks more than RFC 5280 (keyUsage in every CA certificate, a "
	    "trust anchor's own extensions) the stricter rule is kept: a "
	    "carrier's SBC may run in strict mode.",
	  .fix = "Have the certificate reissued by a CA that follows RFC "
	    "5280; if the violation is in an intermediate, ask the CA for "
	    "its current intermediate.",
	  .check = check_path_valid },
	{ .id = "key-match", .severity = SEV_ERROR, .needs = NEEDS_CHAIN | NEEDS_KEY,
	  .title = "the private key matches the leaf (with --key or a PKCS#12)",
	  .source = "operations: a mismatched key fails every handshake",
	  .explain = "The server proves it owns the certificate with the "
	    "private key; a key from another certificate makes every "
	    "handshake fail.",
	  .fix = "Pair the certificate with the key it was requested with "
	    "(compare openssl x509 -noout -pubkey and openssl pkey -pubout).",
	  .check = check_key_match },
	{ .id = "tls12", .severity = SEV_ERROR,
	  .needs = NEEDS_PROBE | NEEDS_HANDSHAKE,
	  .title = "the server completes a TLS 1.2 handshake",
	  .source = "carrier: TLS 1.2 is the supported version",
	  .explain = "The SBC speaks TLS 1.2 only; a server that insists on "
	    "TLS 1.3 or on older versions cannot talk to it.",
	  .fix = "Enable TLS 1.2 on the server's SIP/TLS listener.",
	  .check = check_tls12 },
	{ .id = "cipher-allowed", .severity = SEV_ERROR,
	  .needs = NEEDS_PROBE | NEEDS_HANDSHAKE,
	  .title = "the server accepts at least one of the allowed suites",
	  .source = "carrier: AES128-SHA, AES128-SHA256 or AES256-SHA256",
	  .explain = "Each allowed suite is offered alone in its own TLS 1.2 "
	    "handshake; at least one must be accepted.",
	  .fix = "Add AES128-SHA:AES128-SHA256:AES256-SHA256 to the "
	    "server's cipher list (they are static-RSA suites: an RSA "
	    "certificate is required).",
	  .check = check_cipher_allowed },
	{ .id = "cipher-default", .severity = SEV_WARNING,
	  .needs = NEEDS_PROBE | NEEDS_HANDSHAKE,
	  .title = "the server accepts AES128-SHA, the carrier's default",
	  .source = "carrier: TLS_RSA_WITH_AES_128_CBC_SHA is the default",
	  .explain = "The carrier uses AES128-SHA unless configured otherwise.",
	  .fix = "Add AES128-SHA to the server's cipher list.",
	  .check = check_cipher_default },
	{ .id = "sni-independent", .severity = SEV_WARNING,
	  .needs = NEEDS_PROBE | NEEDS_SNI | NEEDS_HANDSHAKE,
	  .title = "the server presents the same valid chain without SNI",
	  .source = "operations: SIP clients often send no SNI",
	  .explain = "Many SBCs connect by address and send no server name; "
	    "the server must then present the same certificate.",
	  .fix = "Make the SIP/TLS certificate the listener's default "
	    "certificate, not only the one for an SNI name.",
	  .check = check_sni_independent },
	{ .id = "dns-a-record", .severity = SEV_ERROR, .needs = NEEDS_PROBE | NEEDS_DNS,
	  .title = "the FQDN has an A record; every address is probed",
	  .source = "carrier: the SBC reaches the customer through the FQDN's A record",
	  .explain = "The SBC resolves the FQDN's A (IPv4) records and may "
	    "connect to any of them; an AAAA-only name is unreachable.",
	  .fix = "Publish an A record for the FQDN pointing at the "
	    "equipment's public IPv4 address.",
	  .check = check_dns_a_record },
	{ .id = "sip-options", .severity = SEV_WARNING,
	  .needs = NEEDS_PROBE | NEEDS_SIP | NEEDS_HANDSHAKE,
	  .title = "the server answers SIP OPTIONS over TLS (with --sip)",
	  .source = "RFC 3261 11; carrier SBCs ping with OPTIONS",
	  .explain = "After the handshake an OPTIONS request is sent over the "
	    "TLS connection; any SIP final response shows the SIP stack is "
	    "listening on that port.",
	  .fix = "Check that the SIP server listens with TLS on this port "
	    "and answers OPTIONS (or allows them from the carrier).",
	  .check = check_sip_options },
	{ .id = "tls-inventory", .severity = SEV_NOTICE,
	  .needs = NEEDS_PROBE | NEEDS_HANDSHAKE,
	  .title = "the server enables neither TLS 1.0/1.1 nor TLS 1.2 suites "
	    "beyond the allowed ones (TLS 1.3 and OCSP stapling are listed)",
	  .source = "security reviews; RFC 8996 (TLS 1.0 and 1.1 deprecated); "
	    "RFC 6066 8 (status_request)",
	  .explain = "The carrier needs only TLS 1.2 with its suites; a "
	    "security review asks what else the port accepts.  After the "
	    "handshakes that judge, the probe offers TLS 1.0, 1.1 and 1.3 one "
	    "at a time, then TLS 1.2 with every suite this OpenSSL knows but "
	    "the allowed ones, again and again without those found, until the "
	    "server refuses (at most 24 suites, within a few seconds and "
	    "--timeout), and asks for a stapled OCSP response.  A notice: it "
	    "lists what it found and never changes the verdict.  Anything not "
	    "determined in time is said so, never passed.",
	  .fix = "If nothing but the carrier connects to this port, offer only "
	    "TLS 1.2 (or 1.2 and 1.3) with the allowed suites; turn TLS 1.0 "
	    "and 1.1 off in any case (RFC 8996).  Other phones or trunks on "
	    "the same port may need other suites: check before removing them.",
	  .check = check_tls_inventory },
	{ .id = "client-tls12", .severity = SEV_ERROR, .needs = NEEDS_CLIENT,
	  .title = "the client offers TLS 1.2 in its ClientHello",
	  .source = "carrier: TLS 1.2 is the supported version",
	  .explain = "For calls to the carrier the equipment is the TLS "
	    "client, and the carrier's SBC answers TLS 1.2 only. The "
	    "versions are read from the ClientHello, including its "
	    "supported_versions extension; a client that offers only TLS 1.3 "
	    "(or that never starts TLS) cannot connect.",
	  .fix = "Allow TLS 1.2 in the equipment's SIP/TLS client settings "
	    "(for example a minimum version of TLS 1.2 rather than 1.3), and "
	    "use the transport TLS, not TCP, for the carrier's trunk.",
	  .check = check_client_tls12 },
	{ .id = "client-cipher-allowed", .severity = SEV_ERROR, .needs = NEEDS_CLIENT,
	  .title = "the client offers at least one of the three allowed suites",
	  .source = "carrier: suites AES128-SHA, AES128-SHA256, AES256-SHA256",
	  .explain = "The SBC accepts only TLS_RSA_WITH_AES_128_CBC_SHA, "
	    "TLS_RSA_WITH_AES_128_CBC_SHA256 and TLS_RSA_WITH_AES_256_CBC_SHA256, "
	    "all with static RSA key exchange. A client that offers only "
	    "ECDHE or TLS 1.3 suites fails the handshake.",
	  .fix = "Add AES128-SHA (and AES128-SHA256, AES256-SHA256) to the "
	    "equipment's TLS client cipher list; with OpenSSL-based stacks "
	    "also allow static RSA key exchange (kRSA).",
	  .check = check_client_cipher_allowed },
	{ .id = "client-cipher-default", .severity = SEV_WARNING, .needs = NEEDS_CLIENT,
	  .title = "the client offers AES128-SHA, the carrier's default",
	  .source = "carrier: TLS_RSA_WITH_AES_128_CBC_SHA is the default",
	  .explain = "The carrier uses AES128-SHA unless configured otherwise.",
	  .fix = "Add AES128-SHA to the equipment's TLS client cipher list.",
	  .check = check_client_cipher_default },
	{ .id = "client-verifies-server", .severity = SEV_WARNING, .needs = NEEDS_CLIENT,
	  .title = "the client refuses a server certificate it cannot verify (throw-away certificate only)",
	  .source = "RFC 5922 section 7.2; RFC 5246 section 7.4.2",
	  .explain = "Without --cert the listener presents a throw-away "
	    "self-signed certificate that no client should trust. A client "
	    "that completes the handshake anyway does not check whom it "
	    "talks to: anyone on the path could pose as the carrier and "
	    "receive its calls. It passes when the client ends the handshake "
	    "with a certificate alert (unknown_ca, bad_certificate, "
	    "certificate_unknown); any other end is no proof and fails.",
	  .fix = "Turn on server-certificate verification for the trunk "
	    "(\"verify server\", tlsverifyserver, sip_verify_server) with "
	    "the system's CA bundle.",
	  .check = check_client_verifies_server },
	{ .id = "client-certificate", .severity = SEV_NOTICE, .needs = NEEDS_CLIENT,
	  .title = "the client presents a certificate when asked (an error with --require-client-cert)",
	  .source = "carrier: mutual TLS where the carrier asks for it",
	  .explain = "With --require-client-cert the listener asks for a "
	    "client certificate, as an SBC that uses mutual TLS does; the "
	    "certificate the equipment presents then goes through every "
	    "offline rule, exactly as a file would. Without the option the "
	    "rule is skipped.",
	  .fix = "Configure the trunk's TLS client certificate and key (most "
	    "PBXs present their server certificate); it needs the "
	    "clientAuth extended key usage.",
	  .check = check_client_certificate },
	{ .id = "sip-request", .severity = SEV_NOTICE, .needs = NEEDS_CLIENT,
	  .title = "the client sends a SIP request over the TLS connection",
	  .source = "RFC 3261 section 18",
	  .explain = "After the handshake the listener reads the first SIP "
	    "request (bounded in size and time) and reports its request line "
	    "and User-Agent. It answers OPTIONS with 200, INVITE with 488 "
	    "after reading the offer, anything else with 501: no call is "
	    "ever set up.",
	  .fix = "Point the trunk at the listener (sips: or transport=tls) "
	    "and place a test call.",
	  .check = check_sip_request },
	{ .id = "srtp-offer", .severity = SEV_ERROR, .needs = NEEDS_CLIENT,
	  .title = "the INVITE offers its audio as SRTP: RTP/SAVP(F) with a=crypto",
	  .source = "carrier: SRTP with SDES keys (RFC 4568); policy key srtp",
	  .explain = "Every active audio line of the INVITE's SDP must offer "
	    "SRTP the way the policy accepts it: by default SDES, that is "
	    "RTP/SAVP or RTP/SAVPF with at least one a=crypto line. Plain "
	    "RTP/AVP means unencrypted media; RTP/AVP with a=crypto is "
	    "best-effort SRTP that may end unencrypted; DTLS-SRTP "
	    "(UDP/TLS/RTP/SAVP with a=fingerprint) passes only with "
	    "srtp = dtls or any in [policy]. The keys are never shown.",
	  .fix = "Make SRTP mandatory for the trunk with SDES keying (for "
	    "example media_encryption=sdes with encryption mandatory, "
	    "mediaenc=srtp-mand).",
	  .check = check_srtp_offer },
	{ .id = "srtp-suite", .severity = SEV_WARNING, .needs = NEEDS_CLIENT,
	  .title = "the a=crypto lines include AES_CM_128_HMAC_SHA1_80",
	  .source = "RFC 4568 section 6.2; the SDES suite every SBC supports",
	  .explain = "AES_CM_128_HMAC_SHA1_80 is the SDES crypto suite every "
	    "SBC implements; an offer with only others (the _32 tag, GCM, "
	    "AES-256) may find no common suite.",
	  .fix = "Enable AES_CM_128_HMAC_SHA1_80 among the equipment's SRTP "
	    "crypto suites.",
	  .check = check_srtp_suite },
};

const size_t rule_count = sizeof(rule_table) / sizeof(rule_table[0]);

const struct rule *
rule_find(const char *id)
{
	int i = rule_index(id);

	return i >= 0 ? &rule_table[i] : NULL;
}

int
rule_index(const char *id)
{
	size_t i;

	for (i = 0; i < rule_count; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return (int)i;
	return -1;
}

void
verdict_fix(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	free(v->fix);
	va_start(ap, fmt);
	v->fix = xvasprintf(fmt, ap);
	va_end(ap);
}

void
verdict_set(struct verdict *v, enum status st, int cert, const char *fmt, ...)
{
	va_list ap;

	free(v->message);
	v->status = st;
	v->cert = cert;
	va_start(ap, fmt);
	v->message = xvasprintf(fmt, ap);
	va_end(ap);
}

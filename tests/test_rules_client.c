/*
 * test_rules_client.c - the rules of `listen` read a client's facts and
 * the policy only: build the facts by hand, judge them with the engine
 * (so which rules apply to which subject is tested too) and check each
 * verdict, passing and failing.  No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "judge.h"

#define AES128_SHA "TLS_RSA_WITH_AES_128_CBC_SHA"
#define AES256_SHA256 "TLS_RSA_WITH_AES_256_CBC_SHA256"
#define ECDHE "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"

struct fixture {
	struct run run;
	struct subject s;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	run_init(&f->run);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	subject_free(&f->s);
	run_free(&f->run);
	free(f);
	return 0;
}

static void
add_str(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

/* A ClientHello offering TLS 1.2 and the given suites (NULL-ended). */
static void
hello(struct client_facts *c, unsigned version, ...)
{
	va_list ap;
	const char *s;

	c->hello.seen = true;
	c->hello.legacy_version = 0x0303;
	c->hello.versions = xreallocarray(c->hello.versions,
	    c->hello.n_versions + 1, sizeof(unsigned));
	c->hello.versions[c->hello.n_versions++] = version;
	va_start(ap, version);
	while ((s = va_arg(ap, const char *)) != NULL)
		add_str(&c->hello.suites, &c->hello.n_suites, s);
	va_end(ap);
}

static void
request(struct client_facts *c, const char *method)
{
	c->sip.state = CLIENT_SIP_REQUEST;
	c->sip.method = xstrdup(method);
	c->sip.request_line = xasprintf("%s sip:test@127.0.0.1 SIP/2.0",
	    method);
	c->sip.user_agent = xstrdup("UA/1.0");
	c->sip.response_code = strcmp(method, "INVITE") == 0 ? 488 : 200;
}

/* An m= line; crypto suites follow as a NULL-ended list. */
static struct sdp_media *
media(struct client_facts *c, const char *kind, long port, const char *proto,
    ...)
{
	struct sdp_media *m;
	va_list ap;
	const char *s;

	c->sdp.seen = true;
	c->sdp.media = xreallocarray(c->sdp.media, c->sdp.n_media + 1,
	    sizeof(*m));
	m = &c->sdp.media[c->sdp.n_media++];
	c->sdp.n_media_seen++;
	memset(m, 0, sizeof(*m));
	m->media = xstrdup(kind);
	m->port = port;
	m->proto = xstrdup(proto);
	m->formats = xstrdup("0 8 101");
	va_start(ap, proto);
	while ((s = va_arg(ap, const char *)) != NULL) {
		m->crypto = xreallocarray(m->crypto, m->n_crypto + 1,
		    sizeof(*m->crypto));
		m->crypto[m->n_crypto].tag = m->n_crypto + 1;
		m->crypto[m->n_crypto].suite = xstrdup(s);
		m->crypto[m->n_crypto].key_method = xstrdup("inline");
		m->crypto[m->n_crypto].n_keys = 1;
		m->n_crypto++;
		m->n_crypto_seen++;
	}
	va_end(ap);
	return m;
}

/*
 * A client as most PBXs are: TLS 1.2 with AES128-SHA, completed with the
 * throw-away certificate, an INVITE offering SDES-SRTP.
 */
static struct client_facts *
client(struct fixture *f)
{
	struct client_facts *c;

	subject_init(&f->s, SUBJECT_CLIENT, "192.0.2.7:40000");
	f->s.has_client = true;
	c = &f->s.client;
	hello(c, 0x0303, AES128_SHA, AES256_SHA256, NULL);
	c->hs.outcome = CLIENT_HS_COMPLETED;
	c->hs.throwaway = true;
	c->hs.cert_sent = true;
	c->hs.detail = xstrdup("completed: TLSv1.2, " AES128_SHA);
	request(c, "INVITE");
	media(c, "audio", 4000, "RTP/SAVP", "AES_CM_128_HMAC_SHA1_80", NULL);
	return c;
}

static void
judge_client(struct fixture *f)
{
	run_judge(&f->run, &f->s);
}

/* ------------------------------------------------------------------ */

static void
test_client_rules_apply_to_clients_only(void **state)
{
	struct fixture *f = *state;
	struct subject file;

	client(f);
	judge_client(f);
	assert_non_null(judge_finding(&f->s, "client-tls12"));
	assert_non_null(judge_finding(&f->s, "srtp-offer"));
	assert_null(judge_finding(&f->s, "tls12"));
	assert_null(judge_finding(&f->s, "rsa-key"));
	assert_null(judge_finding(&f->s, "key-match"));

	subject_init(&file, SUBJECT_FILE, "chain.pem");
	run_judge(&f->run, &file);
	assert_null(judge_finding(&file, "client-tls12"));
	assert_null(judge_finding(&file, "srtp-offer"));
	assert_non_null(judge_finding(&file, "rsa-key"));
	subject_free(&file);
}

static void
test_client_rules_a_good_pbx_warns_only_for_verification(void **state)
{
	struct fixture *f = *state;

	client(f);
	judge_client(f);
	assert_finding(&f->s, "client-tls12", STATUS_PASS, "offers TLSv1.2");
	assert_finding(&f->s, "client-cipher-allowed", STATUS_PASS,
	    "offers AES128-SHA, AES256-SHA256");
	assert_finding(&f->s, "client-cipher-default", STATUS_PASS,
	    "AES128-SHA");
	assert_finding(&f->s, "client-verifies-server", STATUS_FAIL,
	    "completed the handshake with the throw-away");
	assert_finding(&f->s, "client-certificate", STATUS_SKIP, "not asked");
	assert_finding(&f->s, "sip-request", STATUS_PASS,
	    "INVITE sip:test@127.0.0.1 SIP/2.0 (User-Agent: UA/1.0); answered 488");
	assert_finding(&f->s, "srtp-offer", STATUS_PASS,
	    "m=audio 4000 RTP/SAVP with 1 a=crypto line (SDES)");
	assert_finding(&f->s, "srtp-suite", STATUS_PASS,
	    "AES_CM_128_HMAC_SHA1_80 offered");
	assert_int_equal(f->s.result, RESULT_WARN);
}

static void
test_client_tls12_tls13_only_fails(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);

	c->hello.versions[0] = 0x0304;
	c->hello.has_supported_versions = true;
	judge_client(f);
	assert_finding(&f->s, "client-tls12", STATUS_FAIL,
	    "offers TLSv1.3, not TLSv1.2");
	assert_int_equal(f->s.result, RESULT_FAIL);
}

static void
test_client_tls12_no_hello_fails_and_the_rest_is_skipped(void **state)
{
	struct fixture *f = *state;

	subject_init(&f->s, SUBJECT_CLIENT, "192.0.2.7:40000");
	f->s.has_client = true;
	f->s.client.hs.detail = xstrdup("the client sent nothing within 15 s");
	judge_client(f);
	assert_finding(&f->s, "client-tls12", STATUS_FAIL,
	    "no TLS ClientHello: the client sent nothing within 15 s");
	assert_finding(&f->s, "client-cipher-allowed", STATUS_SKIP,
	    "no ClientHello");
	assert_finding(&f->s, "client-verifies-server", STATUS_SKIP, NULL);
	assert_finding(&f->s, "srtp-offer", STATUS_SKIP, NULL);
}

static void
test_client_cipher_allowed_ecdhe_only_fails(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);
	size_t i;

	for (i = 0; i < c->hello.n_suites; i++)
		free(c->hello.suites[i]);
	c->hello.n_suites = 0;
	add_str(&c->hello.suites, &c->hello.n_suites, ECDHE);
	judge_client(f);
	assert_finding(&f->s, "client-cipher-allowed", STATUS_FAIL,
	    "offers none of AES128-SHA, AES128-SHA256, AES256-SHA256; it "
	    "offers " ECDHE);
	assert_finding(&f->s, "client-cipher-default", STATUS_FAIL,
	    "does not offer AES128-SHA");
}

static void
test_client_cipher_default_without_aes128_sha_warns(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);

	free(c->hello.suites[0]);
	c->hello.suites[0] = xstrdup(ECDHE);
	c->hs.throwaway = false;
	judge_client(f);
	assert_finding(&f->s, "client-cipher-allowed", STATUS_PASS,
	    "AES256-SHA256");
	assert_finding(&f->s, "client-cipher-default", STATUS_FAIL,
	    "the carrier's default");
	assert_int_equal(f->s.result, RESULT_WARN);
}

static void
test_client_cipher_default_policy_without_one_is_skipped(void **state)
{
	struct fixture *f = *state;

	client(f);
	f->run.policy.default_suite = -1;
	judge_client(f);
	assert_finding(&f->s, "client-cipher-default", STATUS_SKIP,
	    "no default");
}

static void
test_client_verifies_server_by_how_the_handshake_ended(void **state)
{
	static const struct {
		enum client_hs_outcome outcome;
		bool cert_sent, throwaway;
		int alert;
		enum status want;
		const char *has;
	} cases[] = {
		{ CLIENT_HS_CLIENT_ALERT, true, true, 48, STATUS_PASS,
		    "refused the throw-away certificate with alert unknown_ca" },
		{ CLIENT_HS_CLIENT_ALERT, true, true, 42, STATUS_PASS,
		    "bad_certificate" },
		{ CLIENT_HS_CLIENT_ALERT, true, true, 46, STATUS_PASS,
		    "certificate_unknown" },
		{ CLIENT_HS_CLIENT_ALERT, true, true, 40, STATUS_FAIL,
		    "not shown" },
		{ CLIENT_HS_CLOSED, true, true, -1, STATUS_FAIL, "not shown" },
		{ CLIENT_HS_TIMEOUT, true, true, -1, STATUS_FAIL, "not shown" },
		{ CLIENT_HS_COMPLETED, true, true, -1, STATUS_FAIL,
		    "would talk to anyone" },
		{ CLIENT_HS_SERVER_ALERT, false, true, -1, STATUS_SKIP,
		    "before our certificate was sent" },
		{ CLIENT_HS_COMPLETED, true, false, -1, STATUS_SKIP,
		    "--cert" },
		{ CLIENT_HS_CLIENT_ALERT, true, false, 48, STATUS_SKIP,
		    "--cert" },
	};
	struct fixture *f = *state;
	struct client_facts *c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %zu\n", i);
		c = client(f);
		c->hs.outcome = cases[i].outcome;
		c->hs.cert_sent = cases[i].cert_sent;
		c->hs.throwaway = cases[i].throwaway;
		c->hs.client_alert = cases[i].alert;
		judge_client(f);
		assert_finding(&f->s, "client-verifies-server", cases[i].want,
		    cases[i].has);
		subject_free(&f->s);
	}
}

static void
test_client_certificate_required_and_missing_is_an_error(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);
	const struct finding *fd;

	c->hs.client_cert_asked = true;
	c->hs.throwaway = false;
	judge_client(f);
	assert_finding(&f->s, "client-certificate", STATUS_FAIL,
	    "presented none");
	fd = judge_finding(&f->s, "client-certificate");
	assert_int_equal(fd->severity, SEV_ERROR);
	assert_int_equal(fd->rule->severity, SEV_NOTICE);
	assert_int_equal(f->s.result, RESULT_FAIL);
	/* Asked for a certificate, the offline rules apply (and skip: none). */
	assert_finding(&f->s, "rsa-key", STATUS_SKIP, "no certificate chain");
	assert_null(judge_finding(&f->s, "key-match"));
}

static void
test_client_certificate_presented_passes(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);
	struct chain_facts ch;
	struct cert_facts leaf;
	struct check_input in = { .policy = &f->run.policy };
	struct verdict v = { .status = STATUS_SKIP, .cert = -1,
	    .severity = SEV_NOTICE };

	memset(&ch, 0, sizeof(ch));
	memset(&leaf, 0, sizeof(leaf));
	leaf.subject = "CN=pbx.example.test";
	ch.certs = &leaf;
	ch.n = 1;
	c->hs.client_cert_asked = true;
	c->hs.client_cert_sent = true;
	in.client = c;
	in.chain = &ch;
	check_client_certificate(&in, &v);
	assert_int_equal(v.status, STATUS_PASS);
	assert_int_equal(v.severity, SEV_ERROR);
	assert_contains(v.message, "presented CN=pbx.example.test (1 certificate)");
	free(v.message);
}

static void
test_sip_request_none_fails_not_read_skips(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);

	c->sip.state = CLIENT_SIP_NONE;
	c->sip.error = xstrdup("no SIP request within 15 s of the connection");
	judge_client(f);
	assert_finding(&f->s, "sip-request", STATUS_FAIL,
	    "no SIP request: no SIP request within 15 s");
	assert_finding(&f->s, "srtp-offer", STATUS_SKIP, "no SIP request");
	/* A notice: it never changes the verdict. */
	assert_int_equal(f->s.result, RESULT_WARN);
	subject_free(&f->s);

	c = client(f);
	c->sip.state = CLIENT_SIP_NOT_READ;
	judge_client(f);
	assert_finding(&f->s, "sip-request", STATUS_SKIP, "did not complete");
}

static void
test_srtp_offer_options_and_late_offer_are_skipped(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);

	free(c->sip.method);
	c->sip.method = xstrdup("OPTIONS");
	judge_client(f);
	assert_finding(&f->s, "srtp-offer", STATUS_SKIP,
	    "the client sent OPTIONS, not INVITE");
	assert_finding(&f->s, "srtp-suite", STATUS_SKIP, NULL);
	subject_free(&f->s);

	c = client(f);
	sdp_facts_free(&c->sdp);
	judge_client(f);
	assert_finding(&f->s, "srtp-offer", STATUS_SKIP, "late offer");
}

/* One offer per case: its audio lines under a policy, and the verdict. */
static void
test_srtp_offer_table(void **state)
{
	enum shape { SDES, AVP, AVP_CRYPTO, SAVP_BARE, DTLS, DTLS_BARE,
		PORT0, VIDEO_ONLY, SDES_AND_AVP, MIKEY, SDP_ERROR };
	static const struct {
		enum shape shape;
		unsigned policy;
		enum status want;
		const char *has;
	} cases[] = {
		{ SDES, SRTP_SDES, STATUS_PASS, "RTP/SAVP with 1 a=crypto line (SDES)" },
		{ AVP, SRTP_SDES, STATUS_FAIL, "plain RTP/AVP: media would be unencrypted" },
		{ AVP_CRYPTO, SRTP_SDES, STATUS_FAIL, "best-effort SRTP" },
		{ SAVP_BARE, SRTP_SDES, STATUS_FAIL, "RTP/SAVP without a usable a=crypto line" },
		{ MIKEY, SRTP_SDES, STATUS_FAIL, "MIKEY a=key-mgmt is not SDES" },
		{ DTLS, SRTP_SDES, STATUS_FAIL, "DTLS-SRTP, which the policy does not accept (srtp = sdes)" },
		{ DTLS, SRTP_DTLS, STATUS_PASS, "with a=fingerprint (DTLS-SRTP)" },
		{ DTLS, SRTP_SDES | SRTP_DTLS, STATUS_PASS, "DTLS-SRTP" },
		{ SDES, SRTP_DTLS, STATUS_FAIL, "SDES, which the policy does not accept (srtp = dtls)" },
		{ SDES, SRTP_SDES | SRTP_DTLS, STATUS_PASS, "SDES" },
		{ DTLS_BARE, SRTP_SDES | SRTP_DTLS, STATUS_FAIL, "without a=fingerprint" },
		{ PORT0, SRTP_SDES, STATUS_FAIL, "no active audio line" },
		{ VIDEO_ONLY, SRTP_SDES, STATUS_FAIL, "no active audio line" },
		{ SDES_AND_AVP, SRTP_SDES, STATUS_FAIL, "m=audio 4002 RTP/AVP: plain RTP/AVP" },
		{ SDP_ERROR, SRTP_SDES, STATUS_FAIL, "could not be read: malformed m= line" },
	};
	struct fixture *f = *state;
	struct client_facts *c;
	struct sdp_media *m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %zu\n", i);
		c = client(f);
		sdp_facts_free(&c->sdp);
		f->run.policy.srtp = cases[i].policy;
		switch (cases[i].shape) {
		case SDES:
			media(c, "audio", 4000, "RTP/SAVP",
			    "AES_CM_128_HMAC_SHA1_80", NULL);
			break;
		case AVP:
			media(c, "audio", 4000, "RTP/AVP", NULL);
			break;
		case AVP_CRYPTO:
			media(c, "audio", 4000, "RTP/AVP",
			    "AES_CM_128_HMAC_SHA1_80", NULL);
			break;
		case SAVP_BARE:
			media(c, "audio", 4000, "RTP/SAVP", NULL);
			break;
		case MIKEY:
			media(c, "audio", 4000, "RTP/SAVP", NULL)->key_mgmt =
			    true;
			break;
		case DTLS:
			media(c, "audio", 4000, "UDP/TLS/RTP/SAVPF", NULL);
			c->sdp.fingerprint_hash = xstrdup("sha-256");
			break;
		case DTLS_BARE:
			media(c, "audio", 4000, "UDP/TLS/RTP/SAVP", NULL);
			break;
		case PORT0:
			media(c, "audio", 0, "RTP/SAVP",
			    "AES_CM_128_HMAC_SHA1_80", NULL);
			break;
		case VIDEO_ONLY:
			m = media(c, "video", 5000, "RTP/SAVP",
			    "AES_CM_128_HMAC_SHA1_80", NULL);
			(void)m;
			break;
		case SDES_AND_AVP:
			media(c, "audio", 4000, "RTP/SAVP",
			    "AES_CM_128_HMAC_SHA1_80", NULL);
			media(c, "audio", 4002, "RTP/AVP", NULL);
			break;
		case SDP_ERROR:
			c->sdp.seen = true;
			c->sdp.error = xstrdup("malformed m= line: \"m=audio\"");
			break;
		}
		judge_client(f);
		assert_finding(&f->s, "srtp-offer", cases[i].want, cases[i].has);
		assert_int_equal(f->s.result, cases[i].want == STATUS_FAIL ?
		    RESULT_FAIL : RESULT_WARN);
		subject_free(&f->s);
	}
}

static void
test_srtp_suite_without_the_80_bit_tag_warns(void **state)
{
	struct fixture *f = *state;
	struct client_facts *c = client(f);

	sdp_facts_free(&c->sdp);
	media(c, "audio", 4000, "RTP/SAVP", "AES_CM_128_HMAC_SHA1_32",
	    "AEAD_AES_256_GCM", "AES_CM_128_HMAC_SHA1_32", NULL);
	c->hs.throwaway = false;
	judge_client(f);
	assert_finding(&f->s, "srtp-offer", STATUS_PASS, NULL);
	assert_finding(&f->s, "srtp-suite", STATUS_FAIL,
	    "offered AES_CM_128_HMAC_SHA1_32, AEAD_AES_256_GCM; not "
	    "AES_CM_128_HMAC_SHA1_80");
	assert_int_equal(f->s.result, RESULT_WARN);
	subject_free(&f->s);

	c = client(f);
	sdp_facts_free(&c->sdp);
	media(c, "audio", 4000, "RTP/AVP", NULL);
	judge_client(f);
	assert_finding(&f->s, "srtp-suite", STATUS_SKIP, "srtp-offer says why");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_client_rules_apply_to_clients_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_rules_a_good_pbx_warns_only_for_verification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_tls12_tls13_only_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_tls12_no_hello_fails_and_the_rest_is_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_cipher_allowed_ecdhe_only_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_cipher_default_without_aes128_sha_warns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_cipher_default_policy_without_one_is_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_verifies_server_by_how_the_handshake_ended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_certificate_required_and_missing_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_certificate_presented_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sip_request_none_fails_not_read_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srtp_offer_options_and_late_offer_are_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srtp_offer_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srtp_suite_without_the_80_bit_tag_warns, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

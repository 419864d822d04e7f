/*
 * test_listen_sip.c - what the listener reads from a client: the SIP
 * request (complete, partial, hostile), the answer it builds, and the
 * SDP offer (SDES, plain RTP, DTLS-SRTP, malformed).  The SDES keys of
 * the offers must never reach the facts.  No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probe/listen.h"

#define SECRET "WVNfX19zZWNyZXRfX19rZXlfX19zYWx0X19fMTIzNA"

static const char invite_sdes[] =
    "INVITE sip:test@127.0.0.1:5061;transport=tls SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bKa1;rport\r\n"
    "Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bKb2\r\n"
    "Contact: <sip:pbx-0x1@127.0.0.1:40000;transport=tls>\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:test@127.0.0.1:5061;transport=tls>\r\n"
    "From: <sip:pbx@127.0.0.1>;tag=f00\r\n"
    "Call-ID: 3b1f@pbx\r\n"
    "CSeq: 1 INVITE\r\n"
    "User-Agent: baresip v1.0.0 (x86_64/linux)\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 321\r\n"
    "\r\n";

static const char sdp_sdes[] =
    "v=0\r\n"
    "o=- 1 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 10000 RTP/SAVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=sendrecv\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" SECRET "|2^20|1:4\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" SECRET ";inline:"
    SECRET " KDR=1\r\n";

/* ------------------------------------------------------------------ */
/* The request */

static void
test_sip_request_parse_invite_reads_line_fields_and_length(void **state)
{
	struct sip_request req;
	char *err = NULL;

	(void)state;
	assert_int_equal(sip_request_parse(invite_sdes, strlen(invite_sdes),
	    &req, &err), 1);
	assert_string_equal(req.method, "INVITE");
	assert_string_equal(req.line,
	    "INVITE sip:test@127.0.0.1:5061;transport=tls SIP/2.0");
	assert_int_equal(req.content_length, 321);
	assert_int_equal(req.header_len, strlen(invite_sdes));
	assert_string_equal(sip_request_field(&req, "call-id"), "3b1f@pbx");
	assert_string_equal(sip_request_field(&req, "User-Agent"),
	    "baresip v1.0.0 (x86_64/linux)");
	assert_null(sip_request_field(&req, "Subject"));
	sip_request_free(&req);
}

static void
test_sip_request_parse_partial_header_wants_more(void **state)
{
	struct sip_request req;
	char *err = NULL;
	size_t cut;

	(void)state;
	for (cut = 1; cut < strlen(invite_sdes); cut += 7) {
		print_message("cut at %zu\n", cut);
		assert_int_equal(sip_request_parse(invite_sdes, cut, &req,
		    &err), 0);
		assert_null(err);
	}
	assert_int_equal(sip_request_parse("\r\n\r\n", 4, &req, &err), 0);
}

static void
test_sip_request_parse_skips_keepalives_and_reads_compact_folded(void **state)
{
	static const char msg[] =
	    "\r\n\r\nOPTIONS sip:127.0.0.1 SIP/2.0\n"
	    "v: SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK1\n"
	    "f: <sip:a@b>;tag=1\n"
	    "t: <sip:c@d>\n"
	    "i: abc\n"
	    "CSeq: 7\n"
	    "\t OPTIONS\n"
	    "l: 0\n"
	    "\n";
	struct sip_request req;
	char *err = NULL;

	(void)state;
	assert_int_equal(sip_request_parse(msg, strlen(msg), &req, &err), 1);
	assert_string_equal(req.method, "OPTIONS");
	assert_string_equal(sip_request_field(&req, "Via"),
	    "SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK1");
	assert_string_equal(sip_request_field(&req, "CSeq"), "7 OPTIONS");
	assert_string_equal(sip_request_field(&req, "Call-ID"), "abc");
	assert_int_equal(req.content_length, 0);
	assert_int_equal(req.header_len, strlen(msg));
	sip_request_free(&req);
}

struct bad_case {
	const char *name;
	const char *bytes;
	size_t len;
	const char *error_has;
};

static void
test_sip_request_parse_refuses_what_is_not_a_request(void **state)
{
	static const char tls_hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc";
	static const struct bad_case cases[] = {
		{ "TLS bytes", tls_hello, sizeof(tls_hello) - 1,
		    "not a SIP request: \"\\x16" },
		{ "HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0,
		    "not a SIP request: \"GET / HTTP/1.1\"" },
		{ "response", "SIP/2.0 200 OK\r\n\r\n", 0, "not a SIP request" },
		{ "no version", "INVITE sip:x\r\n\r\n", 0, "not a SIP request" },
		{ "control in URI", "INVITE sip:\x1b[2Jx SIP/2.0\r\n\r\n", 0,
		    "\\x1b[2J" },
		{ "NUL", "OPTIONS sip:x SIP/2.0\r\nVia: a\0b\r\n\r\n", 36,
		    "NUL byte" },
		{ "bare CR", "OPTIONS sip:x SIP/2.0\r\nVia: a\rX-Evil: 1\r\n\r\n",
		    0, "a bare CR" },
		{ "no colon", "OPTIONS sip:x SIP/2.0\r\nVia\r\n\r\n", 0,
		    "malformed SIP header line \"Via\"" },
		{ "fold first", "OPTIONS sip:x SIP/2.0\r\n x\r\n\r\n", 0,
		    "malformed SIP header line" },
		{ "bad length", "INVITE sip:x SIP/2.0\r\nl: 12a\r\n\r\n", 0,
		    "malformed Content-Length \"12a\"" },
		{ "negative length", "INVITE sip:x SIP/2.0\r\nContent-Length: -1"
		    "\r\n\r\n", 0, "malformed Content-Length" },
		{ "huge length", "INVITE sip:x SIP/2.0\r\nContent-Length: "
		    "99999999999999999999\r\n\r\n", 0, "malformed Content-Length" },
		{ "two lengths", "INVITE sip:x SIP/2.0\r\nContent-Length: 1\r\n"
		    "l: 2\r\n\r\n", 0, "two different Content-Length values" },
	};
	struct sip_request req;
	char *err;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %s\n", cases[i].name);
		err = NULL;
		len = cases[i].len ? cases[i].len : strlen(cases[i].bytes);
		assert_int_equal(sip_request_parse(cases[i].bytes, len, &req,
		    &err), -1);
		assert_non_null(err);
		print_message("  -> %s\n", err);
		assert_non_null(strstr(err, cases[i].error_has));
		assert_null(strchr(err, '\x1b'));
		free(err);
	}
}

static void
test_sip_request_parse_endless_header_stops_at_the_bound(void **state)
{
	size_t len = 1024 * 1024, used;
	char *big = xmalloc(len), *err = NULL;
	struct sip_request req;

	(void)state;
	used = (size_t)snprintf(big, len, "INVITE sip:x SIP/2.0\r\n");
	while (used + 20 < len)
		used += (size_t)snprintf(big + used, len - used,
		    "X-Pad: aaaaaaaaaa\r\n");
	/* Still waiting just under the bound... */
	assert_int_equal(sip_request_parse(big, LISTEN_SIP_MAX_HEADER, &req,
	    &err), 0);
	/* ...refused just past it, and for the whole megabyte. */
	assert_int_equal(sip_request_parse(big, LISTEN_SIP_MAX_HEADER + 1,
	    &req, &err), -1);
	assert_non_null(strstr(err, "longer than 16384"));
	free(err);
	err = NULL;
	assert_int_equal(sip_request_parse(big, used, &req, &err), -1);
	free(err);
	free(big);
}

static void
test_sip_request_parse_too_many_fields_is_an_error(void **state)
{
	struct buf b = { 0 };
	struct sip_request req;
	char *err = NULL;
	int i;

	(void)state;
	buf_adds(&b, "OPTIONS sip:x SIP/2.0\r\n");
	for (i = 0; i <= LISTEN_SIP_MAX_FIELDS; i++)
		buf_adds(&b, "X: 1\r\n");
	buf_adds(&b, "\r\n");
	assert_int_equal(sip_request_parse(b.ptr, b.len, &req, &err), -1);
	assert_non_null(strstr(err, "more than 256"));
	free(err);
	buf_free(&b);
}

static void
test_sip_request_parse_returns_a_huge_length_for_the_caller_to_refuse(
    void **state)
{
	static const char msg[] = "INVITE sip:x SIP/2.0\r\n"
	    "Content-Length: 2147483648\r\n\r\n";
	struct sip_request req;
	char *err = NULL;

	(void)state;
	assert_int_equal(sip_request_parse(msg, strlen(msg), &req, &err), 1);
	assert_int_equal(req.content_length, 2147483648L);
	assert_true(req.content_length > LISTEN_SIP_MAX_BODY);
	sip_request_free(&req);
}

/* ------------------------------------------------------------------ */
/* The answer */

static void
test_sip_answer_code_by_method(void **state)
{
	static const struct {
		const char *method;
		int code;
		const char *reason;
	} cases[] = {
		{ "OPTIONS", 200, "OK" },
		{ "INVITE", 488, "Not Acceptable Here" },
		{ "ACK", 0, "" },
		{ "REGISTER", 501, "Not Implemented" },
		{ "invite", 501, "Not Implemented" },
	};
	const char *reason;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sip_answer_code(cases[i].method, &reason),
		    cases[i].code);
		assert_string_equal(reason, cases[i].reason);
	}
}

static void
test_sip_build_response_copies_vias_in_order_and_tags_to(void **state)
{
	static const char want[] =
	    "SIP/2.0 488 Not Acceptable Here\r\n"
	    "Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bKa1;rport\r\n"
	    "Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bKb2\r\n"
	    "From: <sip:pbx@127.0.0.1>;tag=f00\r\n"
	    "To: <sip:test@127.0.0.1:5061;transport=tls>;tag=t42\r\n"
	    "Call-ID: 3b1f@pbx\r\n"
	    "CSeq: 1 INVITE\r\n";
	struct sip_request req;
	char *err = NULL, *resp;

	(void)state;
	assert_int_equal(sip_request_parse(invite_sdes, strlen(invite_sdes),
	    &req, &err), 1);
	resp = sip_build_response(&req, 488, "Not Acceptable Here", "t42",
	    &err);
	assert_non_null(resp);
	assert_memory_equal(resp, want, strlen(want));
	assert_non_null(strstr(resp, "\r\nContent-Length: 0\r\n\r\n"));
	assert_int_equal(strcmp(resp + strlen(resp) - 4, "\r\n\r\n"), 0);
	free(resp);
	sip_request_free(&req);
}

static void
test_sip_build_response_keeps_an_existing_to_tag(void **state)
{
	static const char msg[] = "OPTIONS sip:x SIP/2.0\r\nVia: v\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d> ; TAG=9\r\nCall-ID: c\r\n"
	    "CSeq: 1 OPTIONS\r\n\r\n";
	struct sip_request req;
	char *err = NULL, *resp;

	(void)state;
	assert_int_equal(sip_request_parse(msg, strlen(msg), &req, &err), 1);
	resp = sip_build_response(&req, 200, "OK", "new", &err);
	assert_non_null(strstr(resp, "\r\nTo: <sip:c@d> ; TAG=9\r\n"));
	assert_null(strstr(resp, "tag=new"));
	assert_non_null(strstr(resp, "\r\nAllow: "));
	free(resp);
	sip_request_free(&req);
}

/*
 * A To value that ends with ';' (and blanks): the tag search stops at
 * the end (it read a byte past it, found by fuzz_listen under ASan),
 * and the To gets our tag.
 */
static void
test_sip_build_response_to_ending_with_a_semicolon_gets_a_tag(void **state)
{
	static const char *const tos[] = { "<sip:c@d>;", "<sip:c@d>; \t",
		"t;tag0'0.1:5061; t5061; :5061; ", "sip:c@d;;" };
	struct sip_request req;
	char *err = NULL, *resp, *msg, *want;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tos) / sizeof(tos[0]); i++) {
		msg = xasprintf("OPTIONS sip:x SIP/2.0\r\nVia: v\r\n"
		    "From: <sip:a@b>;tag=1\r\nTo: %s\r\nCall-ID: c\r\n"
		    "CSeq: 1 OPTIONS\r\n\r\n", tos[i]);
		assert_int_equal(sip_request_parse(msg, strlen(msg), &req,
		    &err), 1);
		resp = sip_build_response(&req, 200, "OK", "new", &err);
		assert_non_null(resp);
		want = xasprintf("\r\nTo: %s;tag=new\r\n",
		    sip_request_field(&req, "To"));
		if (strstr(resp, want) == NULL)
			print_error("To %s: %s\n", tos[i], resp);
		assert_non_null(strstr(resp, want));
		free(want);
		free(resp);
		sip_request_free(&req);
		free(msg);
	}
}

static void
test_sip_build_response_without_call_id_is_refused(void **state)
{
	static const char msg[] = "OPTIONS sip:x SIP/2.0\r\nVia: v\r\n"
	    "From: f\r\nTo: t\r\nCSeq: 1 OPTIONS\r\n\r\n";
	struct sip_request req;
	char *err = NULL;

	(void)state;
	assert_int_equal(sip_request_parse(msg, strlen(msg), &req, &err), 1);
	assert_null(sip_build_response(&req, 200, "OK", "t", &err));
	assert_string_equal(err, "the request has no Call-ID header field, "
	    "so no response can match it");
	free(err);
	sip_request_free(&req);
}

static void
test_sip_request_facts_escape_what_the_client_sent(void **state)
{
	static const char msg[] = "OPTIONS sip:x SIP/2.0\r\n"
	    "User-Agent: evil\x1b]0;title\x07 \xff\r\n\r\n";
	struct client_facts cf;
	struct sip_request req;
	char *err = NULL;

	(void)state;
	client_facts_init(&cf);
	assert_int_equal(sip_request_parse(msg, strlen(msg), &req, &err), 1);
	sip_request_facts(&req, &cf.sip);
	assert_int_equal(cf.sip.state, CLIENT_SIP_REQUEST);
	assert_string_equal(cf.sip.request_line, "OPTIONS sip:x SIP/2.0");
	assert_string_equal(cf.sip.user_agent,
	    "evil\\x1b]0;title\\x07 \\xff");
	assert_int_equal(cf.sip.content_length, -1);
	assert_null(cf.sip.content_type);
	sip_request_free(&req);
	client_facts_free(&cf);
}

/* ------------------------------------------------------------------ */
/* The SDP offer */

/* Fail if the secret shows up in any string the facts hold. */
static void
assert_no_secret(const struct sdp_facts *d)
{
	size_t i, k;

	if (d->error != NULL)
		assert_null(strstr(d->error, "WVNf"));
	for (i = 0; i < d->n_media; i++) {
		assert_null(strstr(d->media[i].formats, "WVNf"));
		for (k = 0; k < d->media[i].n_crypto; k++) {
			assert_null(strstr(d->media[i].crypto[k].suite, "WVNf"));
			assert_null(strstr(d->media[i].crypto[k].key_method,
			    "WVNf"));
		}
	}
}

static void
test_sdp_parse_sdes_offer_keeps_suites_not_keys(void **state)
{
	struct sdp_facts d = { 0 };

	(void)state;
	sdp_parse(sdp_sdes, strlen(sdp_sdes), &d);
	assert_true(d.seen);
	assert_null(d.error);
	assert_int_equal(d.n_media, 1);
	assert_string_equal(d.media[0].media, "audio");
	assert_int_equal(d.media[0].port, 10000);
	assert_string_equal(d.media[0].proto, "RTP/SAVP");
	assert_string_equal(d.media[0].formats, "0 8 101");
	assert_int_equal(d.media[0].n_crypto, 2);
	assert_int_equal(d.media[0].crypto[0].tag, 1);
	assert_string_equal(d.media[0].crypto[0].suite,
	    "AES_CM_128_HMAC_SHA1_80");
	assert_string_equal(d.media[0].crypto[0].key_method, "inline");
	assert_int_equal(d.media[0].crypto[0].n_keys, 1);
	assert_string_equal(d.media[0].crypto[1].suite,
	    "AES_CM_128_HMAC_SHA1_32");
	assert_int_equal(d.media[0].crypto[1].n_keys, 2);
	assert_null(d.media[0].fingerprint_hash);
	assert_no_secret(&d);
	sdp_facts_free(&d);
}

static void
test_sdp_parse_plain_rtp_has_no_crypto(void **state)
{
	static const char sdp[] = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\n"
	    "m=audio 4000 RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n"
	    "m=video 0 RTP/AVP 96\n";
	struct sdp_facts d = { 0 };

	(void)state;
	sdp_parse(sdp, strlen(sdp), &d);
	assert_null(d.error);
	assert_int_equal(d.n_media, 2);
	assert_string_equal(d.media[0].proto, "RTP/AVP");
	assert_int_equal(d.media[0].n_crypto, 0);
	assert_int_equal(d.media[0].n_crypto_seen, 0);
	assert_string_equal(d.media[1].media, "video");
	assert_int_equal(d.media[1].port, 0);
	sdp_facts_free(&d);
}

static void
test_sdp_parse_dtls_fingerprint_session_and_media_level(void **state)
{
	static const char sdp[] = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n"
	    "a=fingerprint:SHA-256 AB:CD:EF\r\n"
	    "m=audio 4000 UDP/TLS/RTP/SAVPF 111\r\na=setup:actpass\r\n"
	    "m=audio 4002/2 UDP/TLS/RTP/SAVP 0\r\n"
	    "a=fingerprint:sha-1 01:02\r\n";
	struct sdp_facts d = { 0 };

	(void)state;
	sdp_parse(sdp, strlen(sdp), &d);
	assert_null(d.error);
	assert_string_equal(d.fingerprint_hash, "sha-256");
	assert_int_equal(d.n_media, 2);
	assert_string_equal(d.media[0].proto, "UDP/TLS/RTP/SAVPF");
	assert_null(d.media[0].fingerprint_hash);
	assert_int_equal(d.media[1].port, 4002);
	assert_string_equal(d.media[1].fingerprint_hash, "sha-1");
	sdp_facts_free(&d);
}

static void
test_sdp_parse_malformed_lines_set_an_error_without_the_key(void **state)
{
	static const struct {
		const char *name, *sdp, *error_has;
		size_t media, crypto_seen, crypto;
	} cases[] = {
		{ "not sdp", "hello\r\nm=audio 1 RTP/SAVP 0\r\n",
		    "not an SDP body", 0, 0, 0 },
		{ "empty", "\r\n\r\n", "empty SDP body", 0, 0, 0 },
		{ "m without proto", "v=0\r\nm=audio 4000\r\n",
		    "malformed m= line: \"m=audio 4000\"", 0, 0, 0 },
		{ "m port", "v=0\r\nm=audio 99999 RTP/AVP 0\r\n",
		    "malformed port", 0, 0, 0 },
		{ "crypto no key", "v=0\r\nm=audio 1 RTP/SAVP 0\r\n"
		    "a=crypto:1 AES_CM_128_HMAC_SHA1_80\r\n",
		    "malformed a=crypto line: \"a=crypto:1 "
		    "AES_CM_128_HMAC_SHA1_80\"", 1, 1, 0 },
		{ "crypto bad suite", "v=0\r\nm=audio 1 RTP/SAVP 0\r\n"
		    "a=crypto:1 AES<b> inline:" SECRET "\r\n",
		    "malformed a=crypto line: \"a=crypto:1 AES<b>\"", 1, 1, 0 },
		{ "crypto bad tag", "v=0\r\nm=audio 1 RTP/SAVP 0\r\n"
		    "a=crypto:x1 AES_CM_128_HMAC_SHA1_80 inline:" SECRET "\r\n",
		    "malformed a=crypto", 1, 1, 0 },
		{ "crypto no method", "v=0\r\nm=audio 1 RTP/SAVP 0\r\n"
		    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " SECRET "\r\n",
		    "malformed a=crypto", 1, 1, 0 },
	};
	struct sdp_facts d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %s\n", cases[i].name);
		memset(&d, 0, sizeof(d));
		sdp_parse(cases[i].sdp, strlen(cases[i].sdp), &d);
		assert_non_null(d.error);
		print_message("  -> %s\n", d.error);
		assert_non_null(strstr(d.error, cases[i].error_has));
		assert_int_equal(d.n_media, cases[i].media);
		if (d.n_media > 0) {
			assert_int_equal(d.media[0].n_crypto_seen,
			    cases[i].crypto_seen);
			assert_int_equal(d.media[0].n_crypto, cases[i].crypto);
		}
		assert_no_secret(&d);
		sdp_facts_free(&d);
	}
}

static void
test_sdp_parse_nul_in_a_crypto_suite_is_malformed(void **state)
{
	/* A NUL inside the suite name: never a token (the fuzzer's find). */
	static const char sdp[] = "v=0\r\nm=audio 1 RTP/SAVP 0\r\n"
	    "a=crypto:1 AES_CM_128_HMA\0\0C_SHA1_80 inline:" SECRET "\r\n";
	struct sdp_facts d;

	(void)state;
	memset(&d, 0, sizeof(d));
	sdp_parse(sdp, sizeof(sdp) - 1, &d);
	assert_non_null(d.error);
	assert_non_null(strstr(d.error, "malformed a=crypto line"));
	assert_int_equal(d.n_media, 1);
	assert_int_equal(d.media[0].n_crypto_seen, 1);
	assert_int_equal(d.media[0].n_crypto, 0);
	assert_no_secret(&d);
	sdp_facts_free(&d);
}

static void
test_sdp_parse_keeps_at_most_the_bound_of_media_lines(void **state)
{
	struct buf b = { 0 };
	struct sdp_facts d = { 0 };
	int i;

	(void)state;
	buf_adds(&b, "v=0\r\n");
	for (i = 0; i < 40; i++)
		buf_adds(&b, "m=audio 1 RTP/SAVP 0\r\na=crypto:1 X inline:k\r\n");
	sdp_parse(b.ptr, b.len, &d);
	assert_null(d.error);
	assert_int_equal(d.n_media, SDP_MAX_MEDIA);
	assert_int_equal(d.n_media_seen, 40);
	assert_int_equal(d.media[SDP_MAX_MEDIA - 1].n_crypto, 1);
	sdp_facts_free(&d);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sip_request_parse_invite_reads_line_fields_and_length),
		cmocka_unit_test(test_sip_request_parse_partial_header_wants_more),
		cmocka_unit_test(test_sip_request_parse_skips_keepalives_and_reads_compact_folded),
		cmocka_unit_test(test_sip_request_parse_refuses_what_is_not_a_request),
		cmocka_unit_test(test_sip_request_parse_endless_header_stops_at_the_bound),
		cmocka_unit_test(test_sip_request_parse_too_many_fields_is_an_error),
		cmocka_unit_test(test_sip_request_parse_returns_a_huge_length_for_the_caller_to_refuse),
		cmocka_unit_test(test_sip_answer_code_by_method),
		cmocka_unit_test(test_sip_build_response_copies_vias_in_order_and_tags_to),
		cmocka_unit_test(test_sip_build_response_keeps_an_existing_to_tag),
		cmocka_unit_test(test_sip_build_response_to_ending_with_a_semicolon_gets_a_tag),
		cmocka_unit_test(test_sip_build_response_without_call_id_is_refused),
		cmocka_unit_test(test_sip_request_facts_escape_what_the_client_sent),
		cmocka_unit_test(test_sdp_parse_sdes_offer_keeps_suites_not_keys),
		cmocka_unit_test(test_sdp_parse_plain_rtp_has_no_crypto),
		cmocka_unit_test(test_sdp_parse_dtls_fingerprint_session_and_media_level),
		cmocka_unit_test(test_sdp_parse_malformed_lines_set_an_error_without_the_key),
		cmocka_unit_test(test_sdp_parse_nul_in_a_crypto_suite_is_malformed),
		cmocka_unit_test(test_sdp_parse_keeps_at_most_the_bound_of_media_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * fuzz_listen.c - what a client of `listen` sends: its SIP request and
 * the SDP offer of an INVITE.
 *
 * The input is the bytes a client would send after the handshake.  They
 * go to sip_request_parse() as they are, and cut at every point a read
 * could end; a complete request is answered with sip_build_response(),
 * its body read with sdp_parse(); the facts become a client subject,
 * judged with every rule and rendered in one format (by the input's
 * size: every format over a run).
 *
 * Invariants: an error is printable; a parsed request's header ends
 * inside the input; the answer is one message - a status line, header
 * lines, one blank line at its very end, no NUL - whatever the request
 * carried (no header injection into the answer); the facts are
 * printable; an a=crypto suite and key method are tokens (the key is
 * never kept); every report is what its format promises.  Nothing leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/run.h"
#include "probe/listen.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct run run_ctx;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_listen: " __VA_ARGS__);		\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

static void
check_text(const char *what, const char *s)
{
	if (s == NULL)
		return;
	CHECK(fuzz_utf8_ok((const unsigned char *)s, strlen(s), false) &&
	    strchr(s, '\n') == NULL, "unprintable %s: %s", what, s);
}

static bool
token(const char *s, const char *extra)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return false;
	return true;
}

/* One message: the end of the header is its last four bytes, no NUL. */
static void
check_answer(const char *resp)
{
	size_t len = strlen(resp);
	const char *blank = strstr(resp, "\r\n\r\n");

	CHECK(strncmp(resp, "SIP/2.0 ", 8) == 0, "answer: %.40s", resp);
	CHECK(blank != NULL && (size_t)(blank - resp) == len - 4,
	    "answer has a blank line before its end: %s", resp);
	for (const char *p = resp; (p = strchr(p, '\n')) != NULL; p++)
		CHECK(p > resp && p[-1] == '\r', "bare LF in the answer");
	for (const char *p = resp; (p = strchr(p, '\r')) != NULL; p++)
		CHECK(p[1] == '\n', "bare CR in the answer");
}

static void
check_sdp(const struct sdp_facts *d)
{
	size_t i, k;

	check_text("sdp error", d->error);
	check_text("fingerprint", d->fingerprint_hash);
	CHECK(d->n_media <= SDP_MAX_MEDIA && d->n_media <= d->n_media_seen,
	    "media count");
	for (i = 0; i < d->n_media; i++) {
		check_text("media", d->media[i].media);
		check_text("proto", d->media[i].proto);
		check_text("formats", d->media[i].formats);
		CHECK(d->media[i].port >= 0 && d->media[i].port <= 65535,
		    "port %ld", d->media[i].port);
		CHECK(d->media[i].n_crypto <= SDP_MAX_CRYPTO &&
		    d->media[i].n_crypto <= d->media[i].n_crypto_seen,
		    "crypto count");
		for (k = 0; k < d->media[i].n_crypto; k++) {
			CHECK(token(d->media[i].crypto[k].suite, "_"),
			    "crypto suite \"%s\"", d->media[i].crypto[k].suite);
			CHECK(token(d->media[i].crypto[k].key_method, "-_"),
			    "key method \"%s\"",
			    d->media[i].crypto[k].key_method);
		}
	}
}

/*
 * The facts as a client subject: judged, then rendered in one format,
 * chosen by the input's size (every format over a run; all eight for
 * each input cost three quarters of its time).
 */
static void
render(const struct run *run, struct client_facts *cf, size_t which)
{
	struct subject s;

	subject_init(&s, SUBJECT_CLIENT, "192.0.2.7:40000");
	s.address = xstrdup("192.0.2.7");
	s.port = 40000;
	s.has_client = true;
	client_facts_free(&s.client);
	s.client = *cf;
	client_facts_init(cf);
	s.client.hello.seen = true;
	s.client.hello.versions = xcalloc(1, sizeof(unsigned));
	s.client.hello.versions[0] = 0x0303;
	s.client.hello.n_versions = 1;
	s.client.hs.outcome = CLIENT_HS_COMPLETED;
	run_judge(run, &s);
	fuzz_render_one(run, REPORT_LISTEN, &s, NULL, 1, false, which);
	subject_free(&s);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	run_init(&run_ctx);
	run_ctx.now = 1796169600;	/* fixed: reports do not vary by run */
	fuzz_oracle_selftest();
	fuzz_json_arena_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *reason;
	struct client_facts cf;
	struct sip_request req;
	char *err = NULL, *resp;
	size_t cut;
	int rc, code;

	/* Every point a read could end: never a crash, never an answer early. */
	for (cut = 0; cut < size && cut < 512; cut += 37) {
		rc = sip_request_parse(buf, cut, &req, &err);
		CHECK(rc >= -1 && rc <= 1, "rc %d", rc);
		if (rc == 1)
			CHECK(req.header_len <= cut, "header past the cut");
		sip_request_free(&req);
		free(err);
		err = NULL;
	}
	rc = sip_request_parse(buf, size, &req, &err);
	if (rc == -1) {
		CHECK(err != NULL && err[0] != '\0', "error without a reason");
		check_text("error", err);
		free(err);
		return 0;
	}
	if (rc == 0)
		return 0;
	CHECK(req.header_len <= size && req.method != NULL &&
	    req.method[0] != '\0', "bad request");
	client_facts_init(&cf);
	sip_request_facts(&req, &cf.sip);
	check_text("request line", cf.sip.request_line);
	check_text("user agent", cf.sip.user_agent);
	code = sip_answer_code(req.method, &reason);
	if (code != 0) {
		resp = sip_build_response(&req, code, reason, "t1", &err);
		if (resp != NULL)
			check_answer(resp);
		else
			check_text("answer error", err);
		free(resp);
		free(err);
		cf.sip.response_code = code;
	}
	if (req.content_length > 0 && (size_t)req.content_length <=
	    size - req.header_len && req.content_length <= LISTEN_SIP_MAX_BODY) {
		sdp_parse(buf + req.header_len, (size_t)req.content_length,
		    &cf.sdp);
		check_sdp(&cf.sdp);
	}
	render(&run_ctx, &cf, size);
	client_facts_free(&cf);
	sip_request_free(&req);
	fuzz_json_arena_end();
	return 0;
}

/*
 * fuzz_targets.c - the --targets file: line parser and file reader.
 *
 * The input is a targets file.  Each line goes to
 * probe_target_parse_line() as op_probe.c hands it over, the whole text
 * (up to the first newline) to probe_target_parse() as a HOST[:PORT]
 * argument, and the bytes, as a file, to probe_targets_load().
 *
 * Invariants: a parsed target has a host that is either an IP literal
 * (host_is_ip) or a name that fqdn_normalize() leaves as it is, a port
 * in 1..65535 (the default when none is given), and an FQDN, if any,
 * that is normalised too; an error is printable (no control character,
 * valid UTF-8) and names the file and line when it comes from a file;
 * the file reader finds exactly the targets the line parser finds.
 * Nothing leaks.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/fqdn.h"
#include "probe/probe.h"
#include "fuzz.h"

#define PORT 5061

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_targets: " __VA_ARGS__);		\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

static void
check_err(const char *err)
{
	CHECK(err != NULL && err[0] != '\0', "failure without a reason");
	CHECK(fuzz_utf8_ok((const unsigned char *)err, strlen(err), false) &&
	    strchr(err, '\n') == NULL, "unprintable error: %s", err);
}

static void
check_target(const struct probe_target *t, bool port_given)
{
	char *norm, *err = NULL;

	CHECK(t->host != NULL && t->host[0] != '\0', "no host");
	CHECK(t->port >= 1 && t->port <= 65535, "port %d", t->port);
	CHECK(port_given || t->port == PORT, "port %d without one given",
	    t->port);
	if (t->host_is_ip)
		CHECK(fqdn_is_ip_literal(t->host), "\"%s\" is no IP", t->host);
	else {
		norm = fqdn_normalize(t->host, &err);
		CHECK(norm != NULL && strcmp(norm, t->host) == 0,
		    "host \"%s\" is not normalised", t->host);
		free(norm);
	}
	free(err);
	err = NULL;
	if (t->fqdn != NULL) {
		norm = fqdn_normalize(t->fqdn, &err);
		CHECK(norm != NULL && strcmp(norm, t->fqdn) == 0,
		    "FQDN \"%s\" is not normalised", t->fqdn);
		free(norm);
		free(err);
	}
}

/* Parse every line; returns how many targets were found, or -1 at an error. */
static long
parse_lines(const char *text)
{
	char *copy = xstrdup(text), *line, *next, *err, *end;
	struct probe_target t;
	long n = 0;
	int r;

	/* As a file is read: a byte-order mark skipped, LF, CRLF or CR. */
	line = strncmp(copy, "\xef\xbb\xbf", 3) == 0 ? copy + 3 : copy;
	for (; line != NULL; line = next) {
		end = line + strcspn(line, "\r\n");
		if (*end == '\0')
			next = NULL;
		else {
			next = end + (end[0] == '\r' && end[1] == '\n' ? 2 : 1);
			*end = '\0';
		}
		err = NULL;
		r = probe_target_parse_line(line, PORT, &t, &err);
		CHECK(r >= -1 && r <= 1, "returned %d", r);
		if (r == -1) {
			check_err(err);
			free(err);
			n = -1;
			break;
		}
		CHECK(err == NULL, "success with an error");
		if (r == 1) {
			/* A ':' after the host (not inside [v6]) gave a port. */
			check_target(&t, true);
			n++;
		}
		probe_target_free(&t);
	}
	free(copy);
	return n;
}

static void
parse_arg(const char *text)
{
	char *spec = xstrndup(text, strcspn(text, "\n")), *err = NULL;
	struct probe_target t;

	if (probe_target_parse(spec, PORT, &t, &err) == 0) {
		CHECK(err == NULL, "success with an error");
		check_target(&t, strchr(spec, ':') != NULL);
	} else
		check_err(err);
	probe_target_free(&t);
	free(err);
	free(spec);
}

static void
load_file(const uint8_t *data, size_t size, long want)
{
	struct probe_target *list = NULL;
	size_t n = 0, i;
	char path[64], *err = NULL;
	int fd;

	if ((fd = memfd_create("targets", 0)) == -1)
		return;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (probe_targets_load(path, PORT, &list, &n, &err) == 0) {
		CHECK(err == NULL, "load succeeded with an error");
		CHECK(want >= 0 && (size_t)want == n, "file gave %zu targets, "
		    "the lines %ld", n, want);
		for (i = 0; i < n; i++) {
			check_target(&list[i], true);
			CHECK(list[i].origin != NULL &&
			    strncmp(list[i].origin, path, strlen(path)) == 0,
			    "origin does not name the file");
		}
	} else {
		/* A summary, then one line per bad line: each names the file. */
		char *rest = err, *line;

		CHECK(want < 0, "the file was refused, its lines gave %ld", want);
		while ((line = strsep(&rest, "\n")) != NULL) {
			check_err(line);
			CHECK(strncmp(line, path, strlen(path)) == 0,
			    "error does not name the file: %s", line);
		}
	}
	probe_targets_free(list, n);
	free(err);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	long n;

	n = parse_lines(text);
	parse_arg(text);
	/* A file with a NUL byte is refused as a whole; skip the comparison. */
	load_file(data, size, memchr(data, '\0', size) != NULL ? -1 : n);
	free(text);
	return 0;
}

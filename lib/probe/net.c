/*
 * net.c - addresses, the monotonic clock and non-blocking TCP connects.
 *
 * Nothing here blocks: the probe polls the sockets it starts, so a
 * silent or filtered port costs no more than the deadline.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe.h"

int64_t
net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
net_parse_ip(const char *ip, int port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, ip, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (len != NULL)
			*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (len != NULL)
			*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

socklen_t
net_addr_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
}

void
net_set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
}

const char *
net_ntop(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const void *a;

	if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	else
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	if (inet_ntop(ss->ss_family, a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* The words a user expects for the errno values a connect can end with. */
static char *
connect_cause(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return xstrdup("connection refused");
	case ETIMEDOUT:
		return xstrdup("connection timed out");
	case ENETUNREACH:
		return xstrdup("network unreachable");
	case EHOSTUNREACH:
		return xstrdup("host unreachable");
	case ECONNRESET:
		return xstrdup("connection reset");
	default:
		return xasprintf("connect: %s", strerror(e));
	}
}

bool
net_errno_is_local(int e)
{
	switch (e) {
	case EMFILE:		/* our descriptors */
	case ENFILE:		/* the system's */
	case ENOMEM:
	case ENOBUFS:
	case EAGAIN:		/* connect(): no local port left */
	case EADDRNOTAVAIL:
		return true;
	default:
		return false;
	}
}

int
net_connect_start(const struct sockaddr_storage *ss, char **err, bool *local)
{
	int fd, flags, one = 1, e;

	*local = false;
	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1) {
		e = errno;
		*local = net_errno_is_local(e);
		*err = xasprintf("socket: %s", strerror(e));
		goto out;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		*local = true;
		*err = xasprintf("fcntl: %s", strerror(errno));
	} else {
		/* Handshake records are small and latency is what we measure. */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, (const struct sockaddr *)ss,
		    net_addr_len(ss)) == 0 || errno == EINPROGRESS)
			goto out;
		e = errno;
		*local = net_errno_is_local(e);
		*err = connect_cause(e);
	}
	close(fd);
	fd = -1;
out:
	return fd;
}

int
net_connect_finish(int fd, char **err)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		e = errno;
	if (e == 0)
		return 0;
	*err = connect_cause(e);
	return -1;
}

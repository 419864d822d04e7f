/*
 * floor.c - what the work costs with nothing else around it, measured
 * in-process with the OpenSSL API, to hold bwcertcheck's figures against.
 *
 *	floor sig    CHAINDIR ROOT N   the two RSA signature checks of each
 *	                               chain (leaf by intermediate,
 *	                               intermediate by root), certificates
 *	                               parsed beforehand: chains/s
 *	floor parse  CHAINDIR N        read + PEM + d2i_X509 of each file,
 *	                               nothing checked: chains/s
 *	floor min    CHAINDIR ROOT N   what a linter cannot avoid on OpenSSL
 *	                               3.0 when the chains share their
 *	                               intermediate: read + PEM + d2i of the
 *	                               leaf (the intermediate parsed once) and
 *	                               the two signature checks: chains/s
 *	floor verify CHAINDIR ROOT N   parse + X509_verify_cert of each
 *	                               chain against a store of ROOT: chains/s
 *	floor tls    PORT K            K TLS 1.2 handshakes (AES128-SHA, SNI)
 *	                               to 127.0.0.1:PORT, one after another:
 *	                               median ms of one
 *	floor tlsset PORT K            K times the set a probe of one address
 *	                               makes (the three allowed suites, any
 *	                               suite, any suite without SNI), back to
 *	                               back: median ms of one set
 *	floor tlspar PORT K            K times the same set, its five
 *	                               handshakes at once from one thread
 *	                               (non-blocking, one poll loop, as the
 *	                               probe does): median ms of one set
 *	floor exec   K CMD [ARG...]    run CMD K times, output to /dev/null:
 *	                               median wall ms, largest peak RSS (KB),
 *	                               the last exit status and the median
 *	                               CPU ms (user + system, the command's
 *	                               children included)
 *
 * CHAINDIR holds files made by gen.c (leaf, then intermediate); the
 * first N in name order are used.  Each mode prints one line
 * "MODE VALUE UNIT" on stdout.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#define SNI	"pbx.bench.example.test"

static void
die(const char *what)
{
	fprintf(stderr, "floor: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first n file names of dir, sorted, as full paths. */
static char **
list_files(const char *dir, long n)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, **paths;
	size_t cnt = 0, cap = 0, len;
	long i;

	if ((d = opendir(dir)) == NULL)
		die(dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((names = realloc(names, cap * sizeof(*names))) == NULL)
				die("out of memory");
		}
		if ((names[cnt++] = strdup(de->d_name)) == NULL)
			die("out of memory");
	}
	closedir(d);
	if ((long)cnt < n)
		die("not enough files in the chain directory");
	qsort(names, cnt, sizeof(*names), cmp_str);
	if ((paths = calloc((size_t)n, sizeof(*paths))) == NULL)
		die("out of memory");
	for (i = 0; i < n; i++) {
		len = strlen(dir) + strlen(names[i]) + 2;
		if ((paths[i] = malloc(len)) == NULL)
			die("out of memory");
		snprintf(paths[i], len, "%s/%s", dir, names[i]);
	}
	for (i = 0; i < (long)cnt; i++)
		free(names[i]);
	free(names);
	return paths;
}

/* Read a whole file into a memory BIO and PEM-decode its certificates. */
static STACK_OF(X509) *
read_chain(const char *path)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	char buf[16384];
	FILE *fp;
	size_t len;
	BIO *b;
	X509 *x;

	if (sk == NULL || (fp = fopen(path, "rb")) == NULL)
		die(path);
	len = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	if ((b = BIO_new_mem_buf(buf, (int)len)) == NULL)
		die("BIO_new_mem_buf");
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
		sk_X509_push(sk, x);
	ERR_clear_error();
	BIO_free(b);
	if (sk_X509_num(sk) != 2)
		die("a chain file must hold leaf and intermediate");
	return sk;
}

static X509 *
read_root(const char *path)
{
	FILE *fp = fopen(path, "r");
	X509 *x;

	if (fp == NULL || (x = PEM_read_X509(fp, NULL, NULL, NULL)) == NULL)
		die(path);
	fclose(fp);
	return x;
}

static void
mode_sig(const char *dir, const char *rootpath, long n)
{
	char **paths = list_files(dir, n);
	STACK_OF(X509) **chains;
	X509 *root = read_root(rootpath);
	EVP_PKEY *rootkey = X509_get0_pubkey(root);
	double t0, t1;
	long i, bad = 0;

	if ((chains = calloc((size_t)n, sizeof(*chains))) == NULL)
		die("out of memory");
	for (i = 0; i < n; i++)
		chains[i] = read_chain(paths[i]);
	t0 = now_s();
	for (i = 0; i < n; i++) {
		X509 *leaf = sk_X509_value(chains[i], 0);
		X509 *inter = sk_X509_value(chains[i], 1);

		if (X509_verify(leaf, X509_get0_pubkey(inter)) != 1)
			bad++;
		if (X509_verify(inter, rootkey) != 1)
			bad++;
	}
	t1 = now_s();
	if (bad != 0)
		die("a signature did not verify");
	printf("sig %.1f chains/s\n", (double)n / (t1 - t0));
	for (i = 0; i < n; i++) {
		sk_X509_pop_free(chains[i], X509_free);
		free(paths[i]);
	}
	free(chains);
	free(paths);
	X509_free(root);
}

static void
mode_parse(const char *dir, long n)
{
	char **paths = list_files(dir, n);
	double t0, t1;
	long i;

	t0 = now_s();
	for (i = 0; i < n; i++)
		sk_X509_pop_free(read_chain(paths[i]), X509_free);
	t1 = now_s();
	printf("parse %.1f chains/s\n", (double)n / (t1 - t0));
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* Read a chain file; parse the leaf, and the intermediate only the first time. */
static void
mode_min(const char *dir, const char *rootpath, long n)
{
	char **paths = list_files(dir, n), buf[16384], *name = NULL, *hdr = NULL;
	X509 *root = read_root(rootpath), *inter = NULL, *leaf;
	unsigned char *der = NULL;
	const unsigned char *p;
	double t0, t1;
	long i, bad = 0, dlen;
	size_t len;
	FILE *fp;
	BIO *b;

	t0 = now_s();
	for (i = 0; i < n; i++) {
		if ((fp = fopen(paths[i], "rb")) == NULL)
			die(paths[i]);
		len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		if ((b = BIO_new_mem_buf(buf, (int)len)) == NULL)
			die("BIO_new_mem_buf");
		if (PEM_read_bio(b, &name, &hdr, &der, &dlen) != 1)
			die(paths[i]);
		p = der;
		if ((leaf = d2i_X509(NULL, &p, dlen)) == NULL)
			die(paths[i]);
		OPENSSL_free(name);
		OPENSSL_free(hdr);
		OPENSSL_free(der);
		if (PEM_read_bio(b, &name, &hdr, &der, &dlen) != 1)
			die(paths[i]);
		p = der;
		if (inter == NULL && (inter = d2i_X509(NULL, &p, dlen)) == NULL)
			die(paths[i]);
		OPENSSL_free(name);
		OPENSSL_free(hdr);
		OPENSSL_free(der);
		BIO_free(b);
		if (X509_verify(leaf, X509_get0_pubkey(inter)) != 1)
			bad++;
		if (X509_verify(inter, X509_get0_pubkey(root)) != 1)
			bad++;
		X509_free(leaf);
	}
	t1 = now_s();
	if (bad != 0)
		die("a signature did not verify");
	printf("min %.1f chains/s\n", (double)n / (t1 - t0));
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	X509_free(inter);
	X509_free(root);
}

static void
mode_verify(const char *dir, const char *rootpath, long n)
{
	char **paths = list_files(dir, n);
	X509_STORE *store = X509_STORE_new();
	X509 *root = read_root(rootpath);
	X509_STORE_CTX *ctx;
	STACK_OF(X509) *sk;
	double t0, t1;
	long i, bad = 0;

	if (store == NULL || X509_STORE_add_cert(store, root) != 1)
		die("X509_STORE");
	t0 = now_s();
	for (i = 0; i < n; i++) {
		sk = read_chain(paths[i]);
		if ((ctx = X509_STORE_CTX_new()) == NULL ||
		    X509_STORE_CTX_init(ctx, store, sk_X509_value(sk, 0),
		    sk) != 1)
			die("X509_STORE_CTX");
		if (X509_verify_cert(ctx) != 1)
			bad++;
		X509_STORE_CTX_free(ctx);
		sk_X509_pop_free(sk, X509_free);
	}
	t1 = now_s();
	if (bad != 0)
		die("a chain did not verify");
	printf("verify %.1f chains/s\n", (double)n / (t1 - t0));
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	X509_STORE_free(store);
	X509_free(root);
}

/* One TLS 1.2 handshake to 127.0.0.1:port; returns its wall time in s. */
static double
handshake(SSL_CTX *ctx, int port, const char *ciphers, const char *sni)
{
	struct sockaddr_in sa;
	double t0, t1;
	SSL *ssl;
	int fd, one = 1;

	t0 = now_s();
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		die("connect");
	if ((ssl = SSL_new(ctx)) == NULL ||
	    SSL_set_cipher_list(ssl, ciphers) != 1)
		die("SSL_new");
	if (sni != NULL)
		SSL_set_tlsext_host_name(ssl, sni);
	SSL_set_fd(ssl, fd);
	if (SSL_connect(ssl) != 1)
		die("handshake failed");
	t1 = now_s();
	SSL_free(ssl);
	close(fd);
	return t1 - t0;
}

/* The client context of every mode: as the probe's. */
static SSL_CTX *
client_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		die("SSL_CTX_new");
	/* TLS 1.2 only, level 0, no verification, no tickets, no cache. */
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	return ctx;
}

/* The probe's set of one address: three suites, any suite, no SNI. */
static const char *const set_ciphers[5] = { "AES128-SHA", "AES128-SHA256",
    "AES256-SHA256", "ALL:!aNULL:!eNULL", "ALL:!aNULL:!eNULL" };
static const char *const set_sni[5] = { SNI, SNI, SNI, SNI, NULL };

/* The five handshakes of a set at once; returns the wall time in s. */
static double
handshake_set_par(SSL_CTX *ctx, int port)
{
	struct sockaddr_in sa;
	struct pollfd pfd[5];
	SSL *ssl[5];
	int fd[5], done[5] = { 0 }, left = 5, i, r, e, one = 1;
	double t0 = now_s();

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 5; i++) {
		if ((fd[i] = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			die("socket");
		setsockopt(fd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		fcntl(fd[i], F_SETFL, fcntl(fd[i], F_GETFL) | O_NONBLOCK);
		if (connect(fd[i], (struct sockaddr *)&sa, sizeof(sa)) != 0 &&
		    errno != EINPROGRESS)
			die("connect");
		if ((ssl[i] = SSL_new(ctx)) == NULL ||
		    SSL_set_cipher_list(ssl[i], set_ciphers[i]) != 1)
			die("SSL_new");
		if (set_sni[i] != NULL)
			SSL_set_tlsext_host_name(ssl[i], set_sni[i]);
		SSL_set_fd(ssl[i], fd[i]);
		pfd[i].fd = fd[i];
		pfd[i].events = POLLOUT;
	}
	while (left > 0) {
		if (poll(pfd, 5, 10000) <= 0)
			die("poll: no progress in 10 s");
		for (i = 0; i < 5; i++) {
			if (done[i] || pfd[i].revents == 0)
				continue;
			r = SSL_connect(ssl[i]);
			if (r == 1) {
				done[i] = 1;
				left--;
				pfd[i].fd = -1;
				continue;
			}
			e = SSL_get_error(ssl[i], r);
			if (e == SSL_ERROR_WANT_READ)
				pfd[i].events = POLLIN;
			else if (e == SSL_ERROR_WANT_WRITE)
				pfd[i].events = POLLOUT;
			else
				die("handshake failed");
		}
	}
	t0 = now_s() - t0;
	for (i = 0; i < 5; i++) {
		SSL_free(ssl[i]);
		close(fd[i]);
	}
	return t0;
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* set: 0 one handshake, 1 the probe's set back to back, 2 at once. */
static void
mode_tls(int port, long k, int set)
{
	static const char *const names[] = { "tls", "tlsset", "tlspar" };
	SSL_CTX *ctx = client_ctx();
	double *t;
	long i;
	int s;

	if ((t = calloc((size_t)k, sizeof(*t))) == NULL)
		die("out of memory");
	for (i = 0; i < k; i++) {
		if (set == 0)
			t[i] = handshake(ctx, port, set_ciphers[0], SNI);
		else if (set == 1)
			for (s = 0; s < 5; s++)
				t[i] += handshake(ctx, port, set_ciphers[s],
				    set_sni[s]);
		else
			t[i] = handshake_set_par(ctx, port);
	}
	qsort(t, (size_t)k, sizeof(*t), cmp_dbl);
	printf("%s %.3f ms\n", names[set], t[k / 2] * 1e3);
	free(t);
	SSL_CTX_free(ctx);
}

static void
mode_exec(long k, char **argv)
{
	struct rusage ru;
	double *t, *cpu, t0;
	long i, maxrss = 0;
	int status = 0, fd;
	pid_t pid;

	if (k <= 0 || (t = calloc((size_t)k, sizeof(*t))) == NULL ||
	    (cpu = calloc((size_t)k, sizeof(*cpu))) == NULL)
		die("exec: K must be positive");
	for (i = 0; i < k; i++) {
		t0 = now_s();
		if ((pid = fork()) < 0)
			die("fork");
		if (pid == 0) {
			if ((fd = open("/dev/null", O_RDWR)) >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[0], argv);
			_exit(127);
		}
		/* wait4's usage counts the children the command waited for. */
		if (wait4(pid, &status, 0, &ru) != pid)
			die("wait4");
		t[i] = now_s() - t0;
		cpu[i] = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
	}
	qsort(t, (size_t)k, sizeof(*t), cmp_dbl);
	qsort(cpu, (size_t)k, sizeof(*cpu), cmp_dbl);
	printf("exec %.3f ms %ld KB exit %d cpu %.3f ms\n", t[k / 2] * 1e3,
	    maxrss, WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status), cpu[k / 2] * 1e3);
	free(t);
	free(cpu);
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "sig") == 0)
		mode_sig(argv[2], argv[3], strtol(argv[4], NULL, 10));
	else if (argc == 4 && strcmp(argv[1], "parse") == 0)
		mode_parse(argv[2], strtol(argv[3], NULL, 10));
	else if (argc == 5 && strcmp(argv[1], "min") == 0)
		mode_min(argv[2], argv[3], strtol(argv[4], NULL, 10));
	else if (argc == 5 && strcmp(argv[1], "verify") == 0)
		mode_verify(argv[2], argv[3], strtol(argv[4], NULL, 10));
	else if (argc == 4 && strcmp(argv[1], "tls") == 0)
		mode_tls(atoi(argv[2]), strtol(argv[3], NULL, 10), 0);
	else if (argc == 4 && strcmp(argv[1], "tlsset") == 0)
		mode_tls(atoi(argv[2]), strtol(argv[3], NULL, 10), 1);
	else if (argc == 4 && strcmp(argv[1], "tlspar") == 0)
		mode_tls(atoi(argv[2]), strtol(argv[3], NULL, 10), 2);
	else if (argc >= 4 && strcmp(argv[1], "exec") == 0)
		mode_exec(strtol(argv[2], NULL, 10), argv + 3);
	else {
		fprintf(stderr, "usage: floor sig|parse|min|verify|tls|tlsset|"
		    "tlspar|exec ...\n");
		return 2;
	}
	return 0;
}

/*
 * gen.c - write N certificate chains for the benchmark, fast.
 *
 *	gen OUTDIR N [JOBS]
 *
 * OUTDIR/root.pem, root.key     "BWC Bench Root CA", self-signed
 * OUTDIR/intermediate.pem       "BWC Bench Issuing CA", signed by the root
 * OUTDIR/leaf.key               the one key every leaf shares
 * OUTDIR/chains/cNNNNNNN.pem    leaf NNNNNNN, then the intermediate
 *
 * Every key is RSA-2048 and every signature sha256WithRSAEncryption.
 * Each leaf is its own certificate (serial, CN host-NNNNNNN, validity
 * and signature differ), with SAN DNS:pbx.bench.example.test and
 * DNS:host-NNNNNNN.bench.example.test, keyUsage digitalSignature +
 * keyEncipherment, extendedKeyUsage serverAuth + clientAuth: every rule
 * passes with --fqdn pbx.bench.example.test and --trust-store root.pem.
 *
 * The keys are made once; the only per-chain cost is one RSA signature
 * and one write(), spread over JOBS processes (default: the CPUs).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

static void
die(const char *what)
{
	fprintf(stderr, "gen: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static EVP_PKEY *
rsa_key(void)
{
	EVP_PKEY *k = EVP_RSA_gen(2048);

	if (k == NULL)
		die("RSA key generation failed");
	return k;
}

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&v3, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &v3, nid, value)) == NULL)
		die(value);
	if (X509_add_ext(x, ext, -1) != 1)
		die("X509_add_ext");
	X509_EXTENSION_free(ext);
}

/*
 * A certificate for key, named cn, issued by issuer (NULL: self-signed)
 * with issuer_key, valid from now + from to now + to seconds.
 */
static X509 *
make_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
    long serial, long from, long to, int ca, const char *san)
{
	X509 *x;
	X509_NAME *name;

	if ((x = X509_new()) == NULL)
		die("X509_new");
	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
	    (const unsigned char *)"US", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)"BWC Bench PKI", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) :
	    name);
	X509_gmtime_adj(X509_getm_notBefore(x), from);
	X509_gmtime_adj(X509_getm_notAfter(x), to);
	X509_set_pubkey(x, key);
	if (issuer == NULL)
		issuer = x;
	add_ext(x, issuer, NID_subject_key_identifier, "hash");
	if (issuer != x)
		add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
	if (ca) {
		add_ext(x, issuer, NID_basic_constraints,
		    ca > 1 ? "critical,CA:TRUE" : "critical,CA:TRUE,pathlen:0");
		add_ext(x, issuer, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE");
		add_ext(x, issuer, NID_key_usage,
		    "critical,digitalSignature,keyEncipherment");
		add_ext(x, issuer, NID_ext_key_usage, "serverAuth,clientAuth");
		add_ext(x, issuer, NID_subject_alt_name, san);
	}
	if (X509_sign(x, issuer_key, EVP_sha256()) <= 0)
		die("X509_sign");
	return x;
}

static void
write_pem(const char *path, X509 *x, EVP_PKEY *key)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	if (x != NULL && PEM_write_X509(fp, x) != 1)
		die(path);
	if (key != NULL && PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL,
	    NULL) != 1)
		die(path);
	if (fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
}

/* x as PEM text in a new string of *len bytes. */
static char *
pem_text(X509 *x, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out;
	long n;

	if (b == NULL || PEM_write_bio_X509(b, x) != 1)
		die("PEM_write_bio_X509");
	n = BIO_get_mem_data(b, &data);
	if ((out = malloc((size_t)n)) == NULL)
		die("out of memory");
	memcpy(out, data, (size_t)n);
	*len = (size_t)n;
	BIO_free(b);
	return out;
}

static void
write_all(int fd, const char *p, size_t n, const char *path)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			perror(path);
			exit(1);
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Chains lo .. hi-1. */
static void
make_chains(const char *dir, long lo, long hi, EVP_PKEY *leaf_key,
    X509 *inter, EVP_PKEY *inter_key)
{
	char path[4096], cn[64], san[160], *ipem, *lpem;
	size_t ilen, llen;
	X509 *leaf;
	long i;
	int fd;

	ipem = pem_text(inter, &ilen);
	for (i = lo; i < hi; i++) {
		snprintf(cn, sizeof(cn), "host-%07ld.bench.example.test", i);
		snprintf(san, sizeof(san),
		    "DNS:pbx.bench.example.test,DNS:%s", cn);
		/* Validity differs a little per leaf, as in a real fleet. */
		leaf = make_cert(leaf_key, cn, inter, inter_key, 1000000 + i,
		    -86400 - (i % 1000), 90L * 86400 - (i % 1000), 0, san);
		lpem = pem_text(leaf, &llen);
		snprintf(path, sizeof(path), "%s/chains/c%07ld.pem", dir, i);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
			perror(path);
			exit(1);
		}
		write_all(fd, lpem, llen, path);
		write_all(fd, ipem, ilen, path);
		close(fd);
		free(lpem);
		X509_free(leaf);
	}
	free(ipem);
}

int
main(int argc, char **argv)
{
	EVP_PKEY *root_key, *inter_key, *leaf_key;
	X509 *root, *inter;
	char path[4096];
	long n, jobs, j, lo, hi;
	int status, failed = 0;
	pid_t pid;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: gen OUTDIR N [JOBS]\n");
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	jobs = argc > 3 ? strtol(argv[3], NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 0 || jobs <= 0)
		die("N and JOBS must be positive");
	snprintf(path, sizeof(path), "%s/chains", argv[1]);
	if (mkdir(argv[1], 0755) != 0 && errno != EEXIST)
		die(argv[1]);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die(path);

	root_key = rsa_key();
	inter_key = rsa_key();
	leaf_key = rsa_key();
	root = make_cert(root_key, "BWC Bench Root CA", NULL, root_key, 1,
	    -2L * 365 * 86400, 10L * 365 * 86400, 2, NULL);
	inter = make_cert(inter_key, "BWC Bench Issuing CA", root, root_key, 2,
	    -365L * 86400, 5L * 365 * 86400, 1, NULL);
	snprintf(path, sizeof(path), "%s/root.pem", argv[1]);
	write_pem(path, root, NULL);
	snprintf(path, sizeof(path), "%s/root.key", argv[1]);
	write_pem(path, NULL, root_key);
	snprintf(path, sizeof(path), "%s/intermediate.pem", argv[1]);
	write_pem(path, inter, NULL);
	snprintf(path, sizeof(path), "%s/leaf.key", argv[1]);
	write_pem(path, NULL, leaf_key);

	for (j = 0; j < jobs; j++) {
		lo = n * j / jobs;
		hi = n * (j + 1) / jobs;
		if ((pid = fork()) < 0)
			die("fork");
		if (pid == 0) {
			make_chains(argv[1], lo, hi, leaf_key, inter, inter_key);
			_exit(0);
		}
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	X509_free(root);
	X509_free(inter);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(leaf_key);
	return failed;
}

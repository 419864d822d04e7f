/*
 * test_pki.c - the test PKI builder itself: what every other test
 * builds on must make exactly the certificates it is asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include "pki.h"

static struct pki_world world;
static char *tmpdir;

static int
setup(void **state)
{
	(void)state;
	if (pki_world_init(&world) == -1)
		return -1;
	if ((tmpdir = pki_tmpdir()) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pki_world_free(&world);
	pki_key_free_all();
	if (tmpdir != NULL)
		pki_tmpdir_remove(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
	return 0;
}

/* X509_verify_cert() of leaf with untrusted certs, against root only. */
static int
verify(X509 *root, X509 *leaf, STACK_OF(X509) *untrusted, int *err)
{
	X509_STORE *store;
	X509_STORE_CTX *ctx;
	int rc;

	store = X509_STORE_new();
	assert_non_null(store);
	assert_int_equal(X509_STORE_add_cert(store, root), 1);
	ctx = X509_STORE_CTX_new();
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, untrusted), 1);
	rc = X509_verify_cert(ctx);
	*err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return rc;
}

static char *
tmp_path(const char *name)
{
	size_t n = strlen(tmpdir) + strlen(name) + 2;
	char *p = malloc(n);

	assert_non_null(p);
	snprintf(p, n, "%s/%s", tmpdir, name);
	return p;
}

static void
test_pki_world_leaf_under_intermediate_verifies_to_root(void **state)
{
	STACK_OF(X509) *untrusted;
	X509 *leaf;
	int err;

	(void)state;
	leaf = pki_world_leaf(&world, "pbx.example.test");
	assert_non_null(leaf);
	untrusted = pki_stack(world.intermediate, NULL);
	assert_non_null(untrusted);

	assert_int_equal(verify(world.root, leaf, untrusted, &err), 1);
	assert_int_equal(err, X509_V_OK);

	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
}

static void
test_pki_world_other_leaf_against_bwc_root_lacks_issuer(void **state)
{
	STACK_OF(X509) *untrusted;
	X509 *leaf;
	int err;

	(void)state;
	leaf = pki_world_other_leaf(&world, "pbx.example.test");
	assert_non_null(leaf);
	untrusted = pki_stack(world.other_intermediate, NULL);
	assert_non_null(untrusted);

	assert_int_equal(verify(world.root, leaf, untrusted, &err), 0);
	assert_int_equal(err, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);

	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
}

static void
test_pki_issue_backdated_times_are_as_asked(void **state)
{
	time_t nb = 978307200;			/* 2001-01-01T00:00:00Z */
	time_t na = time(NULL) - 10 * PKI_DAY;
	struct pki_spec spec = pki_world_leaf_spec(&world, "old.example.test");
	STACK_OF(X509) *untrusted;
	X509 *leaf;
	int err;

	(void)state;
	spec.not_before = nb;
	spec.not_after = na;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	assert_int_equal(ASN1_TIME_cmp_time_t(X509_get0_notBefore(leaf), nb), 0);
	assert_int_equal(ASN1_TIME_cmp_time_t(X509_get0_notAfter(leaf), na), 0);
	untrusted = pki_stack(world.intermediate, NULL);
	assert_int_equal(verify(world.root, leaf, untrusted, &err), 0);
	assert_int_equal(err, X509_V_ERR_CERT_HAS_EXPIRED);

	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
}

static void
test_pki_issue_after_2049_uses_generalized_time(void **state)
{
	time_t na = 2556144000;			/* 2051-01-01T00:00:00Z */
	struct pki_spec spec = pki_world_leaf_spec(&world, "far.example.test");
	X509 *leaf;

	(void)state;
	spec.not_after = na;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	assert_int_equal(ASN1_STRING_type(X509_get0_notAfter(leaf)),
	    V_ASN1_GENERALIZEDTIME);
	assert_int_equal(ASN1_STRING_type(X509_get0_notBefore(leaf)),
	    V_ASN1_UTCTIME);
	assert_int_equal(ASN1_TIME_cmp_time_t(X509_get0_notAfter(leaf), na), 0);

	X509_free(leaf);
}

static void
test_pki_issue_san_with_embedded_nul_keeps_bytes(void **state)
{
	static const char nul[] = "pbx.example.test\0.evil.test";
	static const char esc[] = "\x1b[31mred.example.test";
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	GENERAL_NAMES *gens;
	const GENERAL_NAME *gen;
	X509 *leaf;

	(void)state;
	spec.dns[0] = (struct pki_bytes)PKI_BYTES(nul);
	spec.dns[1] = (struct pki_bytes)PKI_BYTES(esc);
	spec.ip[0] = "192.0.2.7";
	spec.uri[0] = "sip:pbx.example.test";
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	assert_non_null(gens);
	assert_int_equal(sk_GENERAL_NAME_num(gens), 4);
	gen = sk_GENERAL_NAME_value(gens, 0);
	assert_int_equal(gen->type, GEN_DNS);
	assert_int_equal(ASN1_STRING_length(gen->d.dNSName), sizeof(nul) - 1);
	assert_memory_equal(ASN1_STRING_get0_data(gen->d.dNSName), nul,
	    sizeof(nul) - 1);
	gen = sk_GENERAL_NAME_value(gens, 1);
	assert_int_equal(ASN1_STRING_length(gen->d.dNSName), sizeof(esc) - 1);
	assert_memory_equal(ASN1_STRING_get0_data(gen->d.dNSName), esc,
	    sizeof(esc) - 1);
	gen = sk_GENERAL_NAME_value(gens, 2);
	assert_int_equal(gen->type, GEN_IPADD);
	assert_int_equal(ASN1_STRING_length(gen->d.iPAddress), 4);
	assert_memory_equal(ASN1_STRING_get0_data(gen->d.iPAddress),
	    "\xc0\x00\x02\x07", 4);
	gen = sk_GENERAL_NAME_value(gens, 3);
	assert_int_equal(gen->type, GEN_URI);

	GENERAL_NAMES_free(gens);
	X509_free(leaf);
}

static void
test_pki_issue_no_names_has_no_san(void **state)
{
	X509 *x;

	(void)state;
	x = pki_issue(&(struct pki_spec){ .cn = "pbx.example.test" });
	assert_non_null(x);

	assert_int_equal(X509_get_ext_by_NID(x, NID_subject_alt_name, -1), -1);

	X509_free(x);
}

static void
test_pki_issue_sha1_reports_sha1WithRSAEncryption(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	X509 *leaf;

	(void)state;
	spec.md = EVP_sha1();
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	assert_string_equal(OBJ_nid2ln(X509_get_signature_nid(leaf)),
	    "sha1WithRSAEncryption");
	assert_int_equal(X509_verify(leaf, world.intermediate_key), 1);

	X509_free(leaf);
}

static void
test_pki_issue_md5_reports_md5WithRSAEncryption(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	X509 *leaf;

	(void)state;
	spec.md = EVP_md5();
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	assert_string_equal(OBJ_nid2ln(X509_get_signature_nid(leaf)),
	    "md5WithRSAEncryption");

	X509_free(leaf);
}

static void
test_pki_issue_ec_key_is_ec_and_gets_no_key_encipherment(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	EVP_PKEY *pub;
	X509 *leaf;

	(void)state;
	spec.key = pki_key_ec("P-256");
	assert_non_null(spec.key);
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	pub = X509_get0_pubkey(leaf);
	assert_non_null(pub);
	assert_int_equal(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
	assert_int_equal(EVP_PKEY_get_bits(pub), 256);
	assert_int_equal(X509_get_key_usage(leaf), KU_DIGITAL_SIGNATURE);

	X509_free(leaf);
}

static void
test_pki_issue_ed25519_self_signed_verifies(void **state)
{
	EVP_PKEY *key = pki_key_ed25519();
	X509 *x;

	(void)state;
	assert_non_null(key);
	x = pki_issue(&(struct pki_spec){ .cn = "ed.example.test", .key = key });
	assert_non_null(x);

	assert_int_equal(X509_get_signature_nid(x), NID_ED25519);
	assert_int_equal(X509_verify(x, key), 1);

	X509_free(x);
}

static void
test_pki_issue_defaults_make_a_tls_server_leaf(void **state)
{
	X509 *leaf;

	(void)state;
	leaf = pki_world_leaf(&world, "pbx.example.test");
	assert_non_null(leaf);

	assert_int_equal(X509_get_version(leaf), X509_VERSION_3);
	assert_int_equal(X509_check_ca(leaf), 0);
	assert_int_not_equal(X509_get_extension_flags(leaf) & EXFLAG_BCONS, 0);
	assert_int_equal(X509_get_key_usage(leaf),
	    KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT);
	assert_int_equal(X509_get_extended_key_usage(leaf),
	    XKU_SSL_SERVER | XKU_SSL_CLIENT);
	assert_int_equal(X509_check_host(leaf, "pbx.example.test", 0, 0, NULL),
	    1);
	assert_int_equal(X509_check_issued(world.intermediate, leaf), X509_V_OK);
	assert_int_equal(X509_get_signature_nid(leaf),
	    NID_sha256WithRSAEncryption);

	X509_free(leaf);
}

static void
test_pki_issue_absent_extensions_are_absent(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	X509 *leaf;

	(void)state;
	spec.no_bc = true;
	spec.ku = PKI_KU_ABSENT;
	spec.eku = PKI_EKU_ABSENT;
	spec.no_skid = true;
	spec.no_akid = true;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	/* Only the SAN is left. */
	assert_int_equal(X509_get_ext_count(leaf), 1);
	assert_int_equal(X509_get_extension_flags(leaf) &
	    (EXFLAG_BCONS | EXFLAG_KUSAGE | EXFLAG_XKUSAGE), 0);

	X509_free(leaf);
}

static void
test_pki_issue_v1_has_no_extensions(void **state)
{
	X509 *x;

	(void)state;
	x = pki_issue(&(struct pki_spec){ .cn = "v1", .v1 = true,
	    .dns = { { "v1.example.test", 0 } } });
	assert_non_null(x);

	assert_int_equal(X509_get_version(x), X509_VERSION_1);
	assert_int_equal(X509_get_ext_count(x), 0);

	X509_free(x);
}

static void
test_pki_issue_explicit_ku_and_eku_are_exact(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	X509 *leaf;

	(void)state;
	spec.ku = PKI_KU_DIGITAL_SIGNATURE;
	spec.eku = PKI_EKU_CLIENT_AUTH | PKI_EKU_ANY;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	assert_int_equal(X509_get_key_usage(leaf), KU_DIGITAL_SIGNATURE);
	assert_int_equal(X509_get_extended_key_usage(leaf),
	    XKU_SSL_CLIENT | XKU_ANYEKU);

	X509_free(leaf);
}

static void
test_pki_issue_ca_with_pathlen_is_ca(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	BASIC_CONSTRAINTS *bc;
	X509 *x;

	(void)state;
	spec.ca = true;
	spec.has_pathlen = true;
	spec.pathlen = 3;
	x = pki_issue(&spec);
	assert_non_null(x);

	assert_int_equal(X509_check_ca(x), 1);
	assert_int_equal(X509_get_pathlen(x), 3);
	bc = X509_get_ext_d2i(x, NID_basic_constraints, NULL, NULL);
	assert_non_null(bc);
	assert_int_not_equal(bc->ca, 0);
	assert_int_equal(X509_get_key_usage(x),
	    KU_KEY_CERT_SIGN | KU_CRL_SIGN | KU_DIGITAL_SIGNATURE);
	assert_int_equal(X509_get_ext_by_NID(x, NID_ext_key_usage, -1), -1);

	BASIC_CONSTRAINTS_free(bc);
	X509_free(x);
}

static void
test_pki_issue_negative_long_serial_round_trips(void **state)
{
	static const unsigned char big[21] = {
		0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
		11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
	};
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	unsigned char back[sizeof(big)];
	BIGNUM *bn;
	X509 *leaf;

	(void)state;
	spec.serial = (struct pki_bytes){ big, sizeof(big) };
	spec.serial_negative = true;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	assert_int_equal(ASN1_STRING_type(X509_get0_serialNumber(leaf)),
	    V_ASN1_NEG_INTEGER);
	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), NULL);
	assert_non_null(bn);
	assert_int_equal(BN_is_negative(bn), 1);
	assert_int_equal(BN_num_bytes(bn), sizeof(big));
	assert_int_equal(BN_bn2bin(bn, back), sizeof(big));
	assert_memory_equal(back, big, sizeof(big));

	BN_free(bn);
	X509_free(leaf);
}

static void
test_pki_issue_aia_ca_issuers_url_is_present(void **state)
{
	static const char url[] = "http://pki.example.test/issuing.crt";
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	AUTHORITY_INFO_ACCESS *aia;
	const ACCESS_DESCRIPTION *ad;
	X509 *leaf;

	(void)state;
	spec.aia_ca_issuers = url;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	aia = X509_get_ext_d2i(leaf, NID_info_access, NULL, NULL);
	assert_non_null(aia);
	assert_int_equal(sk_ACCESS_DESCRIPTION_num(aia), 1);
	ad = sk_ACCESS_DESCRIPTION_value(aia, 0);
	assert_int_equal(OBJ_obj2nid(ad->method), NID_ad_ca_issuers);
	assert_int_equal(ad->location->type, GEN_URI);
	assert_int_equal(ASN1_STRING_length(ad->location->d.uniformResourceIdentifier),
	    sizeof(url) - 1);
	assert_memory_equal(ASN1_STRING_get0_data(
	    ad->location->d.uniformResourceIdentifier), url, sizeof(url) - 1);

	AUTHORITY_INFO_ACCESS_free(aia);
	X509_free(leaf);
}

static void
test_pki_issue_akid_matches_issuer_skid(void **state)
{
	const ASN1_OCTET_STRING *akid, *skid;
	X509 *leaf;

	(void)state;
	leaf = pki_world_leaf(&world, "pbx.example.test");
	assert_non_null(leaf);

	akid = X509_get0_authority_key_id(leaf);
	skid = X509_get0_subject_key_id(world.intermediate);
	assert_non_null(akid);
	assert_non_null(skid);
	assert_int_equal(ASN1_OCTET_STRING_cmp(akid, skid), 0);
	/* A self-signed root names its own key. */
	assert_int_equal(ASN1_OCTET_STRING_cmp(
	    X509_get0_authority_key_id(world.root),
	    X509_get0_subject_key_id(world.root)), 0);

	X509_free(leaf);
}

static void
test_pki_issue_self_signed_is_self_signed(void **state)
{
	X509 *x;

	(void)state;
	x = pki_issue(&(struct pki_spec){ .cn = "pbx.example.test",
	    .dns = { { "pbx.example.test", 0 } } });
	assert_non_null(x);

	assert_int_equal(X509_self_signed(x, 1), 1);
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)), 0);

	X509_free(x);
}

static void
test_pki_issue_wrong_issuer_key_makes_bad_signature(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");
	STACK_OF(X509) *untrusted;
	X509 *leaf;
	int err;

	(void)state;
	spec.issuer_key = world.other_intermediate_key;
	leaf = pki_issue(&spec);
	assert_non_null(leaf);

	untrusted = pki_stack(world.intermediate, NULL);
	assert_int_equal(verify(world.root, leaf, untrusted, &err), 0);
	assert_int_equal(err, X509_V_ERR_CERT_SIGNATURE_FAILURE);

	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
}

static void
test_pki_issue_issuer_without_key_fails(void **state)
{
	struct pki_spec spec = pki_world_leaf_spec(&world, "pbx.example.test");

	(void)state;
	spec.issuer_key = NULL;
	assert_null(pki_issue(&spec));
}

static void
test_pki_key_rsa_same_size_returns_cached_key(void **state)
{
	(void)state;
	assert_ptr_equal(pki_key_rsa(2048), pki_key_rsa(2048));
	assert_ptr_equal(pki_key_rsa(2048), world.leaf_key);
	assert_ptr_not_equal(pki_key_rsa_nth(2048, 1), pki_key_rsa(2048));
	assert_int_equal(EVP_PKEY_get_bits(pki_key_rsa(1024)), 1024);
}

static void
test_pki_stack_up_refs_each_certificate(void **state)
{
	STACK_OF(X509) *sk;

	(void)state;
	sk = pki_stack(world.intermediate, world.root, NULL);
	assert_non_null(sk);
	assert_int_equal(sk_X509_num(sk), 2);
	assert_ptr_equal(sk_X509_value(sk, 0), world.intermediate);
	assert_ptr_equal(sk_X509_value(sk, 1), world.root);
	sk_X509_pop_free(sk, X509_free);

	/* Still ours after the stack is gone. */
	assert_int_equal(X509_check_issued(world.root, world.intermediate),
	    X509_V_OK);
}

static void
test_pki_write_p12_round_trips_with_PKCS12_parse(void **state)
{
	STACK_OF(X509) *ca, *back_ca = NULL;
	EVP_PKEY *back_key = NULL;
	X509 *leaf, *back_leaf = NULL;
	PKCS12 *p12;
	char *path;
	FILE *f;

	(void)state;
	leaf = pki_world_leaf(&world, "pbx.example.test");
	assert_non_null(leaf);
	ca = pki_stack(world.intermediate, NULL);
	path = tmp_path("good.p12");
	assert_int_equal(pki_write_p12(path, "test-pass", world.leaf_key, leaf,
	    ca), 0);

	f = fopen(path, "rb");
	assert_non_null(f);
	p12 = d2i_PKCS12_fp(f, NULL);
	fclose(f);
	assert_non_null(p12);
	assert_int_equal(PKCS12_parse(p12, "wrong", &back_key, &back_leaf,
	    &back_ca), 0);
	assert_int_equal(PKCS12_parse(p12, "test-pass", &back_key, &back_leaf,
	    &back_ca), 1);
	assert_int_equal(X509_cmp(back_leaf, leaf), 0);
	assert_int_equal(EVP_PKEY_eq(back_key, world.leaf_key), 1);
	assert_int_equal(sk_X509_num(back_ca), 1);
	assert_int_equal(X509_cmp(sk_X509_value(back_ca, 0), world.intermediate),
	    0);

	PKCS12_free(p12);
	EVP_PKEY_free(back_key);
	X509_free(back_leaf);
	sk_X509_pop_free(back_ca, X509_free);
	sk_X509_pop_free(ca, X509_free);
	X509_free(leaf);
	free(path);
}

static void
test_pki_p7_der_holds_the_chain_in_order(void **state)
{
	STACK_OF(X509) *chain;
	const unsigned char *p;
	unsigned char *der;
	size_t len = 0;
	PKCS7 *p7;
	X509 *leaf;

	(void)state;
	leaf = pki_world_leaf(&world, "pbx.example.test");
	chain = pki_stack(leaf, world.intermediate, NULL);
	der = pki_p7(chain, PKI_DER, &len);
	assert_non_null(der);

	p = der;
	p7 = d2i_PKCS7(NULL, &p, (long)len);
	assert_non_null(p7);
	assert_int_equal(PKCS7_type_is_signed(p7), 1);
	assert_int_equal(sk_X509_num(p7->d.sign->cert), 2);
	assert_int_equal(X509_cmp(sk_X509_value(p7->d.sign->cert, 0), leaf), 0);
	assert_int_equal(X509_cmp(sk_X509_value(p7->d.sign->cert, 1),
	    world.intermediate), 0);

	PKCS7_free(p7);
	free(der);
	sk_X509_pop_free(chain, X509_free);
	X509_free(leaf);
}

static void
test_pki_write_pem_reads_back_in_order(void **state)
{
	X509 *leaf, *a, *b;
	char *path;
	FILE *f;

	(void)state;
	leaf = pki_world_leaf(&world, "pbx.example.test");
	path = tmp_path("chain.pem");
	assert_int_equal(pki_write_pem(path, leaf, world.intermediate, NULL), 0);

	f = fopen(path, "r");
	assert_non_null(f);
	a = PEM_read_X509(f, NULL, NULL, NULL);
	b = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(X509_cmp(a, leaf), 0);
	assert_int_equal(X509_cmp(b, world.intermediate), 0);

	X509_free(a);
	X509_free(b);
	X509_free(leaf);
	free(path);
}

static void
test_pki_key_pem_with_password_needs_it(void **state)
{
	unsigned char *pem;
	EVP_PKEY *back;
	size_t len = 0;
	BIO *bio;

	(void)state;
	pem = pki_key_pem(world.leaf_key, "test-pass", &len);
	assert_non_null(pem);
	assert_non_null(strstr((char *)pem, "BEGIN ENCRYPTED PRIVATE KEY"));

	bio = BIO_new_mem_buf(pem, (int)len);
	back = PEM_read_bio_PrivateKey(bio, NULL, NULL, "wrong");
	assert_null(back);
	BIO_free(bio);
	bio = BIO_new_mem_buf(pem, (int)len);
	back = PEM_read_bio_PrivateKey(bio, NULL, NULL, "test-pass");
	assert_non_null(back);
	assert_int_equal(EVP_PKEY_eq(back, world.leaf_key), 1);

	EVP_PKEY_free(back);
	BIO_free(bio);
	free(pem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pki_world_leaf_under_intermediate_verifies_to_root),
		cmocka_unit_test(test_pki_world_other_leaf_against_bwc_root_lacks_issuer),
		cmocka_unit_test(test_pki_issue_backdated_times_are_as_asked),
		cmocka_unit_test(test_pki_issue_after_2049_uses_generalized_time),
		cmocka_unit_test(test_pki_issue_san_with_embedded_nul_keeps_bytes),
		cmocka_unit_test(test_pki_issue_no_names_has_no_san),
		cmocka_unit_test(test_pki_issue_sha1_reports_sha1WithRSAEncryption),
		cmocka_unit_test(test_pki_issue_md5_reports_md5WithRSAEncryption),
		cmocka_unit_test(test_pki_issue_ec_key_is_ec_and_gets_no_key_encipherment),
		cmocka_unit_test(test_pki_issue_ed25519_self_signed_verifies),
		cmocka_unit_test(test_pki_issue_defaults_make_a_tls_server_leaf),
		cmocka_unit_test(test_pki_issue_absent_extensions_are_absent),
		cmocka_unit_test(test_pki_issue_v1_has_no_extensions),
		cmocka_unit_test(test_pki_issue_explicit_ku_and_eku_are_exact),
		cmocka_unit_test(test_pki_issue_ca_with_pathlen_is_ca),
		cmocka_unit_test(test_pki_issue_negative_long_serial_round_trips),
		cmocka_unit_test(test_pki_issue_aia_ca_issuers_url_is_present),
		cmocka_unit_test(test_pki_issue_akid_matches_issuer_skid),
		cmocka_unit_test(test_pki_issue_self_signed_is_self_signed),
		cmocka_unit_test(test_pki_issue_wrong_issuer_key_makes_bad_signature),
		cmocka_unit_test(test_pki_issue_issuer_without_key_fails),
		cmocka_unit_test(test_pki_key_rsa_same_size_returns_cached_key),
		cmocka_unit_test(test_pki_stack_up_refs_each_certificate),
		cmocka_unit_test(test_pki_write_p12_round_trips_with_PKCS12_parse),
		cmocka_unit_test(test_pki_p7_der_holds_the_chain_in_order),
		cmocka_unit_test(test_pki_write_pem_reads_back_in_order),
		cmocka_unit_test(test_pki_key_pem_with_password_needs_it),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

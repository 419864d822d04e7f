/*
 * test_rules_path.c - path-valid: every rule of RFC 5280 a strict
 * validator applies, each made to fail (naming the violation and the
 * certificate) and, beside it, the well-formed twin made to pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge.h"

#define FQDN "pbx.example.test"
#define CA_REF "cert 1 (BWC Constrained CA)"
#define LEAF_REF "cert 0 (" FQDN ")"

/* OIDs of extensions written raw. */
#define OID_AIA "1.3.6.1.5.5.7.1.1"
#define OID_NC "2.5.29.30"
#define OID_POLICY_CONSTRAINTS "2.5.29.36"
#define OID_INHIBIT_ANY "2.5.29.54"
#define OID_UNKNOWN "1.3.6.1.4.1.55555.1"

JUDGE_GROUP_FIXTURES

/* A well-formed CA under the test root, with the issuing CA's key. */
static struct pki_spec
ca_spec(void)
{
	return (struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Constrained CA",
		.ca = true,
		.key = env.w.intermediate_key,
		.issuer = env.w.root, .issuer_key = env.w.root_key,
	};
}

/* A leaf for FQDN (and names) under ca. */
static struct pki_spec
leaf_spec(X509 *ca)
{
	struct pki_spec spec = pki_world_leaf_spec(&env.w, FQDN);

	spec.issuer = ca;
	spec.issuer_key = env.w.intermediate_key;
	return spec;
}

/*
 * What accepted-ca says beside path-valid.  A rule only strict mode (or
 * this tool) enforces leaves trust alone: the root is still reached.  A
 * rule OpenSSL enforces in any mode (a CA that is none, a broken name
 * constraint) makes the path fail to verify, so that no chain it
 * refuses passes even with path-valid disabled.
 */
enum trust_want {
	TRUST_KEPT,		/* accepted-ca passes */
	TRUST_REFUSED		/* accepted-ca fails: the path does not verify */
};

static void
expect_trust(X509 *leaf, X509 *ca, enum status st, const char *needle,
    enum trust_want tw)
{
	struct subject s;
	struct run run;

	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, ca, NULL);
	assert_finding(&s, "path-valid", st, needle);
	if (tw == TRUST_KEPT)
		assert_finding(&s, "accepted-ca", STATUS_PASS, NULL);
	else
		assert_finding(&s, "accepted-ca", STATUS_FAIL, "the path does "
		    "not verify");
	/* Never called missing: the path was built to its end. */
	assert_finding(&s, "chain-complete", STATUS_PASS, NULL);
	if (st == STATUS_FAIL)
		assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	judge_run_done(&run);
}

/*
 * Judge leaf + ca against the test root and assert path-valid's status
 * and a part of its message (NULL: any); the root is still reached.
 */
static void
expect(X509 *leaf, X509 *ca, enum status st, const char *needle)
{
	expect_trust(leaf, ca, st, needle, TRUST_KEPT);
}

/* Issue ca from ca_in and a leaf from leaf_in under it; judge; free. */
static void
expect_specs_trust(struct pki_spec *ca_in, struct pki_spec *leaf_in,
    enum status st, const char *needle, enum trust_want tw)
{
	X509 *ca = judge_issue(ca_in), *leaf;

	leaf_in->issuer = ca;
	leaf = judge_issue(leaf_in);
	expect_trust(leaf, ca, st, needle, tw);
	X509_free(leaf);
	X509_free(ca);
}

static void
expect_specs(struct pki_spec *ca_in, struct pki_spec *leaf_in,
    enum status st, const char *needle)
{
	expect_specs_trust(ca_in, leaf_in, st, needle, TRUST_KEPT);
}

/* The same for a violation OpenSSL refuses in any mode. */
static void
expect_specs_refused(struct pki_spec *ca_in, struct pki_spec *leaf_in,
    const char *needle)
{
	expect_specs_trust(ca_in, leaf_in, STATUS_FAIL, needle, TRUST_REFUSED);
}

/* The good chain */

static void
test_path_valid_well_formed_chain_passes(void **state)
{
	X509 *leaf = pki_world_leaf(&env.w, FQDN);
	struct subject s;
	struct run run;

	(void)state;
	assert_non_null(leaf);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, leaf, env.w.intermediate, NULL);
	assert_finding(&s, "path-valid", STATUS_PASS, "obeys RFC 5280");
	assert_result(&s, RESULT_PASS);
	subject_free(&s);
	X509_free(leaf);
	judge_run_done(&run);
}

/* 1. Name constraints */

static void
test_path_valid_wildcard_standing_for_an_excluded_host_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_exclude[0] = "pbx.example.test";
	leaf = leaf_spec(NULL);
	leaf.cn = "*.example.test";
	leaf.dns[0] = (struct pki_bytes){ "*.example.test", 0 };
	expect_specs(&ca, &leaf, STATUS_FAIL, "cert 0 (*.example.test): the "
	    "wildcard SAN *.example.test stands for names in pbx.example.test, a subtree "
	    "excluded by the nameConstraints of " CA_REF);
}

static void
test_path_valid_wildcard_under_an_excluded_domain_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_exclude[0] = "example.test";
	leaf = leaf_spec(NULL);
	leaf.dns[0] = (struct pki_bytes){ "*.example.test", 0 };
	expect_specs_refused(&ca, &leaf, "cert 0 (*.example.test): a name "
	    "lies inside a subtree excluded");
}

static void
test_path_valid_wildcard_beside_a_deeper_excluded_subtree_passes(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	/* "*.example.test" stands for one label: never b.pbx.example.test. */
	ca.nc_exclude[0] = "b.pbx.example.test";
	leaf = leaf_spec(NULL);
	leaf.dns[0] = (struct pki_bytes){ "*.example.test", 0 };
	expect_specs(&ca, &leaf, STATUS_PASS, NULL);
}

static void
test_path_valid_name_in_an_excluded_subtree_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_exclude[0] = "example.test";
	leaf = leaf_spec(NULL);
	expect_specs_refused(&ca, &leaf, "a subtree excluded by a CA's "
	    "nameConstraints");
}

static void
test_path_valid_name_outside_the_permitted_subtree_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "other.test";
	leaf = leaf_spec(NULL);
	expect_specs_refused(&ca, &leaf, LEAF_REF ": a name lies outside "
	    "the subtrees permitted");
}

static void
test_path_valid_names_inside_the_permitted_subtree_pass(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "example.test";
	ca.nc_exclude[0] = "b.secret.example.test";
	leaf = leaf_spec(NULL);
	leaf.dns[1] = (struct pki_bytes){ "*.example.test", 0 };
	expect_specs(&ca, &leaf, STATUS_PASS, NULL);
}

static void
test_path_valid_wildcard_wider_than_the_permitted_subtree_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "pbx.example.test";
	leaf = leaf_spec(NULL);
	leaf.dns[1] = (struct pki_bytes){ "*.example.test", 0 };
	expect_specs_refused(&ca, &leaf, "outside the subtrees permitted");
}

static void
test_path_valid_constraint_with_a_leading_period_fails_naming_it(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = ".example.test";
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": the permitted dNSName "
	    "constraint \".example.test\" is not a DNS name");
}

static void
test_path_valid_excluded_constraint_with_a_bad_label_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_exclude[0] = "-bad.example.test";
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, "the excluded dNSName constraint "
	    "\"-bad.example.test\" is not a DNS name");
}

static void
test_path_valid_san_that_is_no_dns_name_under_a_permitted_subtree_fails(
    void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "example.test";
	leaf = leaf_spec(NULL);
	leaf.dns[1] = (struct pki_bytes){ "a..example.test", 0 };
	expect_specs(&ca, &leaf, STATUS_FAIL, LEAF_REF ": SAN "
	    "\"a..example.test\" is not a DNS name, under the DNS name "
	    "constraints of " CA_REF);
}

static void
test_path_valid_san_with_an_underscore_under_a_permitted_subtree_fails(
    void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "example.test";
	leaf = leaf_spec(NULL);
	leaf.dns[1] = (struct pki_bytes){ "a_b.example.test", 0 };
	expect_specs(&ca, &leaf, STATUS_FAIL, "SAN \"a_b.example.test\" is not "
	    "a DNS name");
}

static void
test_path_valid_non_critical_name_constraints_fail(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "example.test";
	ca.nc_noncritical = true;
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": nameConstraints is not "
	    "critical (RFC 5280 4.2.1.10: MUST be critical)");
}

static void
test_path_valid_name_constraints_in_the_leaf_fail(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.nc_permit[0] = "example.test";
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "cert 0 (" FQDN "): "
	    "nameConstraints in an end-entity certificate");
	X509_free(x);
}

static void
test_path_valid_non_critical_name_constraints_in_the_leaf_fail_twice(
    void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.nc_exclude[0] = "other.test";
	leaf.nc_noncritical = true;
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "nameConstraints in an "
	    "end-entity certificate (RFC 5280 4.2.1.10: CA certificates only); "
	    "cert 0 (" FQDN "): nameConstraints is not critical");
	X509_free(x);
}

static void
test_path_valid_empty_name_constraints_fail(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	/* NameConstraints ::= SEQUENCE {} : neither list. */
	ca.ext[0] = (struct pki_ext){ OID_NC, true, PKI_BYTES("\x30\x00") };
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": nameConstraints with "
	    "neither permitted nor excluded subtrees");
}

static void
test_path_valid_name_constraints_with_two_empty_lists_fail(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	/* permittedSubtrees [0] {} and excludedSubtrees [1] {}. */
	ca.ext[0] = (struct pki_ext){ OID_NC, true,
	    PKI_BYTES("\x30\x04\xa0\x00\xa1\x00") };
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": nameConstraints with "
	    "neither permitted nor excluded subtrees");
}

static void
test_path_valid_name_constraints_with_one_empty_list_fail(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	/* permittedSubtrees { dNSName example.test }, excludedSubtrees {}. */
	ca.ext[0] = (struct pki_ext){ OID_NC, true, PKI_BYTES(
	    "\x30\x14\xa0\x10\x30\x0e\x82\x0c" "example.test" "\xa1\x00") };
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": nameConstraints with an "
	    "empty subtree list");
}

static void
test_path_valid_constraint_that_is_a_wildcard_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_permit[0] = "*.example.test";
	leaf = leaf_spec(NULL);
	expect_specs_refused(&ca, &leaf, "the permitted dNSName "
	    "constraint \"*.example.test\" is not a DNS name");
}

static void
test_path_valid_wildcard_against_an_excluded_host_in_capitals_fails(
    void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.nc_exclude[0] = "PBX.EXAMPLE.TEST";
	leaf = leaf_spec(NULL);
	leaf.cn = "*.example.test";
	leaf.dns[0] = (struct pki_bytes){ "*.example.test", 0 };
	expect_specs(&ca, &leaf, STATUS_FAIL, "stands for names in "
	    "PBX.EXAMPLE.TEST");
}

/* 2. What OpenSSL's strict mode checks */

static void
test_path_valid_leaf_without_authority_key_identifier_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.no_akid = true;
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "cert 0 (" FQDN "): no "
	    "authorityKeyIdentifier (RFC 5280 4.2.1.1");
	X509_free(x);
}

static void
test_path_valid_intermediate_without_authority_key_identifier_fails(
    void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.no_akid = true;
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": no "
	    "authorityKeyIdentifier");
}

static void
test_path_valid_ca_without_subject_key_identifier_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.no_skid = true;
	leaf = leaf_spec(NULL);
	/* The leaf's AKI then falls back to the hash of the CA's key. */
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": a CA without "
	    "subjectKeyIdentifier");
}

static void
test_path_valid_ca_with_non_critical_basic_constraints_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.bc_noncritical = true;
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": basicConstraints of a "
	    "CA is not critical");
}

/*
 * OpenSSL's strict mode asks keyUsage of every CA certificate; RFC 5280
 * 6.1.4 (n) only checks keyCertSign when keyUsage is there.  Kept: see
 * the man page.
 */
static void
test_path_valid_ca_without_key_usage_fails_as_strict_mode_asks(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.ku = PKI_KU_ABSENT;
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": a CA certificate "
	    "without keyUsage");
}

static void
test_path_valid_ca_with_key_usage_crl_sign_only_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.ku = PKI_KU_CRL_SIGN;
	leaf = leaf_spec(NULL);
	expect_specs_refused(&ca, &leaf, CA_REF ": it issues a "
	    "certificate but its keyUsage lacks keyCertSign");
}

static void
test_path_valid_pathlen_exceeded_fails_naming_the_ca(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;
	X509 *sub, *x, *top;
	struct subject s;
	struct run run;

	(void)state;
	/* root -> top (pathlen 0) -> sub -> leaf: one CA too many. */
	ca.cn = "BWC Top CA";
	ca.key = env.w.other_root_key;
	ca.has_pathlen = true;
	top = judge_issue(&ca);
	ca = ca_spec();
	ca.issuer = top;
	ca.issuer_key = env.w.other_root_key;
	sub = judge_issue(&ca);
	leaf = leaf_spec(sub);
	x = judge_issue(&leaf);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, x, sub, top, NULL);
	assert_finding(&s, "path-valid", STATUS_FAIL, "cert 2 (BWC Top CA): "
	    "more CAs follow it than its pathLenConstraint allows");
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "the path does not "
	    "verify: more CAs follow it");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(x);
	X509_free(sub);
	X509_free(top);
}

static void
test_path_valid_intermediate_that_is_no_ca_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.ca = false;
	ca.ku = PKI_KU_DIGITAL_SIGNATURE;
	ca.eku = PKI_EKU_ABSENT;
	leaf = leaf_spec(NULL);
	expect_specs_refused(&ca, &leaf, CA_REF ": it issues a "
	    "certificate but is not a CA");
}

static void
test_path_valid_empty_subject_with_non_critical_san_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.cn = NULL;
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "an empty subject beside a "
	    "non-critical subjectAltName");
	X509_free(x);
}

static void
test_path_valid_empty_subject_with_critical_san_passes(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.cn = NULL;
	leaf.san_critical = true;
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_PASS, NULL);
	X509_free(x);
}

static void
test_path_valid_unknown_critical_extension_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.ext[0] = (struct pki_ext){ OID_UNKNOWN, true, PKI_BYTES("\x05\x00") };
	x = judge_issue(&leaf);
	expect_trust(x, env.w.intermediate, STATUS_FAIL, "cert 0 (" FQDN "): a "
	    "critical extension no verifier knows", TRUST_REFUSED);
	X509_free(x);
}

static void
test_path_valid_unknown_non_critical_extension_passes(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.ext[0] = (struct pki_ext){ OID_UNKNOWN, false, PKI_BYTES("\x05\x00") };
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_PASS, NULL);
	X509_free(x);
}

/*
 * A root of --trust-store: root_spec's root is written to its own store
 * and judged with a good intermediate and leaf under it.
 */
static void
expect_root(const struct pki_spec *root_spec, enum status st,
    const char *needle)
{
	struct pki_spec ca = ca_spec(), leaf;
	struct trust *trust;
	struct subject s;
	struct run run;
	X509 *root, *mid, *x;

	root = judge_issue(root_spec);
	trust = judge_trust(env.dir, "odd-root.pem", root);
	assert_non_null(trust);
	ca.issuer = root;
	ca.issuer_key = root_spec->key;
	mid = judge_issue(&ca);
	leaf = leaf_spec(mid);
	x = judge_issue(&leaf);
	judge_run_init(&run, trust);
	judge(&run, FQDN, NULL, &s, x, mid, NULL);
	assert_finding(&s, "path-valid", st, needle);
	subject_free(&s);
	judge_run_done(&run);
	trust_free(trust);
	X509_free(x);
	X509_free(mid);
	X509_free(root);
}

static struct pki_spec
root_spec(void)
{
	return (struct pki_spec){
		.c = "US", .o = "BWC Test PKI", .cn = "BWC Odd Root",
		.ca = true, .key = env.w.other_root_key,
	};
}

static void
test_path_valid_root_with_non_critical_basic_constraints_fails(void **state)
{
	struct pki_spec r = root_spec();

	(void)state;
	r.bc_noncritical = true;
	expect_root(&r, STATUS_FAIL, "root BWC Odd Root: basicConstraints of a "
	    "CA is not critical");
}

static void
test_path_valid_root_without_basic_constraints_fails(void **state)
{
	struct pki_spec r = root_spec();

	(void)state;
	r.no_bc = true;
	expect_root(&r, STATUS_FAIL, "root BWC Odd Root: it issues a "
	    "certificate but is not a CA (basicConstraints cA is not TRUE");
}

static void
test_path_valid_well_formed_store_root_passes(void **state)
{
	struct pki_spec r = root_spec();

	(void)state;
	expect_root(&r, STATUS_PASS, NULL);
}

static void
test_path_valid_name_constraints_of_the_root_bind_the_leaf(void **state)
{
	struct pki_spec r = root_spec();

	(void)state;
	r.nc_exclude[0] = "example.test";
	expect_root(&r, STATUS_FAIL, "cert 0 (" FQDN "): a name lies inside a "
	    "subtree excluded");
}

static void
test_path_valid_version_1_intermediate_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.v1 = true;
	leaf = leaf_spec(NULL);
	expect_specs_refused(&ca, &leaf, CA_REF ": it issues a "
	    "certificate but is not a CA");
}

/* 3. Fields that OpenSSL does not check */

static void
test_path_valid_serial_zero_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.serial = (struct pki_bytes){ "\0", 1 };
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "cert 0 (" FQDN "): serial "
	    "number zero (RFC 5280 4.1.2.2");
	X509_free(x);
}

static void
test_path_valid_negative_serial_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.serial = (struct pki_bytes){ "\x01\x02", 2 };
	leaf.serial_negative = true;
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "a negative serial number");
	X509_free(x);
}

static void
test_path_valid_serial_of_21_octets_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.serial = (struct pki_bytes)PKI_BYTES(
	    "\x11\x22\x33\x44\x55\x66\x77\x11\x22\x33\x44\x55\x66\x77"
	    "\x11\x22\x33\x44\x55\x66\x77");
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "a serial number of 21 "
	    "octets (RFC 5280 4.1.2.2: at most 20)");
	X509_free(x);
}

static void
test_path_valid_serial_of_20_octets_with_the_top_bit_set_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	/* 20 bytes of magnitude, top bit set: DER adds a 21st, zero octet. */
	leaf.serial = (struct pki_bytes)PKI_BYTES(
	    "\x81\x22\x33\x44\x55\x66\x77\x11\x22\x33\x44\x55\x66\x77"
	    "\x11\x22\x33\x44\x55\x66");
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "a serial number of 21 "
	    "octets");
	X509_free(x);
}

static void
test_path_valid_serial_of_20_octets_passes(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.serial = (struct pki_bytes)PKI_BYTES(
	    "\x71\x22\x33\x44\x55\x66\x77\x11\x22\x33\x44\x55\x66\x77"
	    "\x11\x22\x33\x44\x55\x66");
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_PASS, NULL);
	X509_free(x);
}

static void
test_path_valid_root_with_serial_zero_passes_as_a_trust_anchor(void **state)
{
	struct pki_spec r = root_spec();

	(void)state;
	/* Go Daddy and Starfield Root Certificate Authority - G2 do this. */
	r.serial = (struct pki_bytes){ "\0", 1 };
	expect_root(&r, STATUS_PASS, NULL);
}

static void
test_path_valid_non_critical_policy_constraints_fail(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	/* PolicyConstraints ::= SEQUENCE { inhibitPolicyMapping [1] 0 } */
	ca.ext[0] = (struct pki_ext){ OID_POLICY_CONSTRAINTS, false,
	    PKI_BYTES("\x30\x03\x81\x01\x00") };
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": policyConstraints is "
	    "not critical (RFC 5280 4.2.1.11: MUST be critical)");
}

static void
test_path_valid_critical_policy_constraints_pass(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.ext[0] = (struct pki_ext){ OID_POLICY_CONSTRAINTS, true,
	    PKI_BYTES("\x30\x03\x81\x01\x00") };
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_PASS, NULL);
}

static void
test_path_valid_non_critical_inhibit_any_policy_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.ext[0] = (struct pki_ext){ OID_INHIBIT_ANY, false,
	    PKI_BYTES("\x02\x01\x00") };
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": inhibitAnyPolicy is "
	    "not critical");
}

static void
test_path_valid_root_aki_without_key_identifier_fails(void **state)
{
	struct pki_spec r = root_spec();

	(void)state;
	r.akid_no_keyid = true;
	expect_root(&r, STATUS_FAIL, "root BWC Odd Root: authorityKeyIdentifier "
	    "without keyIdentifier (RFC 5280 4.2.1.1");
}

static void
test_path_valid_intermediate_aki_without_key_identifier_fails(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;

	(void)state;
	ca.akid_no_keyid = true;
	leaf = leaf_spec(NULL);
	expect_specs(&ca, &leaf, STATUS_FAIL, CA_REF ": authorityKeyIdentifier "
	    "without keyIdentifier");
}

static void
test_path_valid_empty_authority_info_access_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.ext[0] = (struct pki_ext){ OID_AIA, false, PKI_BYTES("\x30\x00") };
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "cert 0 (" FQDN "): a "
	    "malformed authorityInfoAccess");
	X509_free(x);
}

static void
test_path_valid_undecodable_authority_info_access_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	/* An access description whose method is not an OID. */
	leaf.ext[0] = (struct pki_ext){ OID_AIA, false,
	    PKI_BYTES("\x30\x05\x30\x03\x02\x01\x01") };
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "a malformed "
	    "authorityInfoAccess");
	X509_free(x);
}

static void
test_path_valid_authority_info_access_with_urls_passes(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.aia_ca_issuers = "http://pki.example.test/ca.der";
	leaf.aia_ocsp = "http://ocsp.example.test";
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_PASS, NULL);
	X509_free(x);
}

static void
test_path_valid_critical_san_beside_a_subject_fails(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	X509 *x;

	(void)state;
	leaf.san_critical = true;
	x = judge_issue(&leaf);
	expect(x, env.w.intermediate, STATUS_FAIL, "cert 0 (" FQDN "): "
	    "subjectAltName is critical beside a non-empty subject");
	X509_free(x);
}

static void
test_path_valid_names_every_violation_of_one_chain(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;
	const struct finding *f;
	X509 *c, *x;
	struct subject s;
	struct run run;

	(void)state;
	ca.nc_noncritical = true;
	ca.nc_exclude[0] = "other.test";
	c = judge_issue(&ca);
	leaf = leaf_spec(c);
	leaf.serial = (struct pki_bytes){ "\0", 1 };
	x = judge_issue(&leaf);
	judge_run_init(&run, env.trust);
	judge(&run, FQDN, NULL, &s, x, c, NULL);
	f = judge_finding(&s, "path-valid");
	assert_non_null(f);
	assert_int_equal(f->status, STATUS_FAIL);
	assert_int_equal(f->cert, 0);
	assert_contains(f->message, LEAF_REF ": serial number zero");
	assert_contains(f->message, CA_REF ": nameConstraints is not critical");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(x);
	X509_free(c);
}

static void
test_path_valid_disabled_is_skipped_never_passed(void **state)
{
	struct pki_spec leaf = pki_world_leaf_spec(&env.w, FQDN);
	struct subject s;
	struct run run;
	X509 *x;

	(void)state;
	leaf.serial = (struct pki_bytes){ "\0", 1 };
	x = judge_issue(&leaf);
	judge_run_init(&run, env.trust);
	judge_disable(&run, "path-valid");
	judge(&run, FQDN, NULL, &s, x, env.w.intermediate, NULL);
	assert_finding(&s, "path-valid", STATUS_SKIP, "disabled");
	subject_free(&s);
	judge_run_done(&run);
	X509_free(x);
}

static void
test_path_valid_disabled_never_lets_a_ca_that_is_none_pass(void **state)
{
	struct pki_spec ca = ca_spec(), leaf;
	struct subject s;
	struct run run;
	X509 *c, *x;

	(void)state;
	/* A leaf certificate used to issue another: refused in any mode. */
	ca.ca = false;
	ca.ku = PKI_KU_DIGITAL_SIGNATURE | PKI_KU_KEY_ENCIPHERMENT;
	c = judge_issue(&ca);
	leaf = leaf_spec(c);
	x = judge_issue(&leaf);
	judge_run_init(&run, env.trust);
	judge_disable(&run, "path-valid");
	judge(&run, FQDN, NULL, &s, x, c, NULL);
	assert_finding(&s, "path-valid", STATUS_SKIP, "disabled");
	assert_finding(&s, "accepted-ca", STATUS_FAIL, "the path does not "
	    "verify: it issues a certificate but is not a CA");
	assert_int_equal(judge_finding(&s, "accepted-ca")->cert, 1);
	assert_result(&s, RESULT_FAIL);
	subject_free(&s);
	judge_run_done(&run);
	X509_free(x);
	X509_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_valid_well_formed_chain_passes),
		cmocka_unit_test(test_path_valid_wildcard_standing_for_an_excluded_host_fails),
		cmocka_unit_test(test_path_valid_wildcard_under_an_excluded_domain_fails),
		cmocka_unit_test(test_path_valid_wildcard_beside_a_deeper_excluded_subtree_passes),
		cmocka_unit_test(test_path_valid_name_in_an_excluded_subtree_fails),
		cmocka_unit_test(test_path_valid_name_outside_the_permitted_subtree_fails),
		cmocka_unit_test(test_path_valid_names_inside_the_permitted_subtree_pass),
		cmocka_unit_test(test_path_valid_wildcard_wider_than_the_permitted_subtree_fails),
		cmocka_unit_test(test_path_valid_constraint_with_a_leading_period_fails_naming_it),
		cmocka_unit_test(test_path_valid_excluded_constraint_with_a_bad_label_fails),
		cmocka_unit_test(test_path_valid_san_that_is_no_dns_name_under_a_permitted_subtree_fails),
		cmocka_unit_test(test_path_valid_san_with_an_underscore_under_a_permitted_subtree_fails),
		cmocka_unit_test(test_path_valid_non_critical_name_constraints_fail),
		cmocka_unit_test(test_path_valid_name_constraints_in_the_leaf_fail),
		cmocka_unit_test(test_path_valid_non_critical_name_constraints_in_the_leaf_fail_twice),
		cmocka_unit_test(test_path_valid_empty_name_constraints_fail),
		cmocka_unit_test(test_path_valid_name_constraints_with_two_empty_lists_fail),
		cmocka_unit_test(test_path_valid_name_constraints_with_one_empty_list_fail),
		cmocka_unit_test(test_path_valid_constraint_that_is_a_wildcard_fails),
		cmocka_unit_test(test_path_valid_wildcard_against_an_excluded_host_in_capitals_fails),
		cmocka_unit_test(test_path_valid_leaf_without_authority_key_identifier_fails),
		cmocka_unit_test(test_path_valid_intermediate_without_authority_key_identifier_fails),
		cmocka_unit_test(test_path_valid_ca_without_subject_key_identifier_fails),
		cmocka_unit_test(test_path_valid_ca_with_non_critical_basic_constraints_fails),
		cmocka_unit_test(test_path_valid_ca_without_key_usage_fails_as_strict_mode_asks),
		cmocka_unit_test(test_path_valid_ca_with_key_usage_crl_sign_only_fails),
		cmocka_unit_test(test_path_valid_pathlen_exceeded_fails_naming_the_ca),
		cmocka_unit_test(test_path_valid_intermediate_that_is_no_ca_fails),
		cmocka_unit_test(test_path_valid_empty_subject_with_non_critical_san_fails),
		cmocka_unit_test(test_path_valid_empty_subject_with_critical_san_passes),
		cmocka_unit_test(test_path_valid_unknown_critical_extension_fails),
		cmocka_unit_test(test_path_valid_unknown_non_critical_extension_passes),
		cmocka_unit_test(test_path_valid_root_with_non_critical_basic_constraints_fails),
		cmocka_unit_test(test_path_valid_root_without_basic_constraints_fails),
		cmocka_unit_test(test_path_valid_well_formed_store_root_passes),
		cmocka_unit_test(test_path_valid_name_constraints_of_the_root_bind_the_leaf),
		cmocka_unit_test(test_path_valid_version_1_intermediate_fails),
		cmocka_unit_test(test_path_valid_serial_zero_fails),
		cmocka_unit_test(test_path_valid_negative_serial_fails),
		cmocka_unit_test(test_path_valid_serial_of_21_octets_fails),
		cmocka_unit_test(test_path_valid_serial_of_20_octets_with_the_top_bit_set_fails),
		cmocka_unit_test(test_path_valid_serial_of_20_octets_passes),
		cmocka_unit_test(test_path_valid_root_with_serial_zero_passes_as_a_trust_anchor),
		cmocka_unit_test(test_path_valid_non_critical_policy_constraints_fail),
		cmocka_unit_test(test_path_valid_critical_policy_constraints_pass),
		cmocka_unit_test(test_path_valid_non_critical_inhibit_any_policy_fails),
		cmocka_unit_test(test_path_valid_root_aki_without_key_identifier_fails),
		cmocka_unit_test(test_path_valid_intermediate_aki_without_key_identifier_fails),
		cmocka_unit_test(test_path_valid_empty_authority_info_access_fails),
		cmocka_unit_test(test_path_valid_undecodable_authority_info_access_fails),
		cmocka_unit_test(test_path_valid_authority_info_access_with_urls_passes),
		cmocka_unit_test(test_path_valid_critical_san_beside_a_subject_fails),
		cmocka_unit_test(test_path_valid_names_every_violation_of_one_chain),
		cmocka_unit_test(test_path_valid_disabled_is_skipped_never_passed),
		cmocka_unit_test(test_path_valid_disabled_never_lets_a_ca_that_is_none_pass),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

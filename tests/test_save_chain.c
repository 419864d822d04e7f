/*
 * test_save_chain.c - the names --save-chain gives its files: made only
 * of [A-Za-z0-9._-], never a path out of the folder, never hidden; and
 * a name that is already a symlink is refused, not followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/x509.h>

#include "app/save_chain.h"
#include "pki.h"

static const struct {
	const char *name, *address;
	const char *want;
} names[] = {
	{ "pbx.example.com:5061", "192.0.2.7", "pbx.example.com_5061_192.0.2.7.pem" },
	{ "192.0.2.7:5061", "192.0.2.7", "192.0.2.7_5061.pem" },
	{ "pbx.example.com:5062", NULL, "pbx.example.com_5062.pem" },
	{ "pbx.example.com:5061", "2001:db8::1", "pbx.example.com_5061_2001_db8__1.pem" },
	{ "[::1]:5061", "::1", "___1__5061.pem" },
	{ "../../etc/passwd", "127.0.0.1", "_._.._etc_passwd_127.0.0.1.pem" },
	{ ".hidden:1", NULL, "_hidden_1.pem" },
	{ "..", NULL, "_..pem" },
	{ "a/b\\c d\n\x1b[2J:7", NULL, "a_b_c_d___2J_7.pem" },
	{ "", NULL, "host.pem" },
	{ "caf\xc3\xa9.example:5061", NULL, "caf__.example_5061.pem" },
};

static void
test_save_chain_name_table_is_safe(void **state)
{
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		got = save_chain_name(names[i].name, names[i].address);
		assert_string_equal(got, names[i].want);
		assert_null(strchr(got, '/'));
		assert_true(got[0] != '.');
		free(got);
	}
}

static void
test_save_chain_name_long_name_is_cut(void **state)
{
	char name[400], *got;

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	got = save_chain_name(name, "192.0.2.1");
	assert_string_equal(got + 200, "_192.0.2.1.pem");
	free(got);
}

/* A chain of one self-signed certificate, for writing. */
static STACK_OF(X509) *
one_cert(void)
{
	struct pki_spec spec = { .cn = "t" };
	X509 *x = pki_issue(&spec);
	STACK_OF(X509) *sk;

	assert_non_null(x);
	sk = pki_stack(x, NULL);
	assert_non_null(sk);
	X509_free(x);
	return sk;
}

static void
test_save_chain_write_refuses_a_symlink(void **state)
{
	char *dir = pki_tmpdir(), *outside, *link, *err = NULL, *path;
	STACK_OF(X509) *sk = one_cert();
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(dir);
	outside = xasprintf("%s/outside", dir);
	assert_non_null(f = fopen(outside, "w"));
	fputs("outside\n", f);
	fclose(f);
	link = xasprintf("%s/h_1.pem", dir);
	assert_int_equal(symlink(outside, link), 0);
	assert_null(save_chain_write(dir, "h:1", NULL, sk, &err));
	assert_non_null(strstr(err, "not a regular file"));
	free(err);
	err = NULL;
	assert_int_equal(stat(outside, &st), 0);
	assert_int_equal(st.st_size, 8);
	/* A name that is free is written, mode 0644. */
	path = save_chain_write(dir, "h:2", "192.0.2.1", sk, &err);
	assert_non_null(path);
	assert_string_equal(strrchr(path, '/') + 1, "h_2_192.0.2.1.pem");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	free(path);
	sk_X509_pop_free(sk, X509_free);
	free(outside);
	free(link);
	(void)pki_tmpdir_remove(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_chain_name_table_is_safe),
		cmocka_unit_test(test_save_chain_name_long_name_is_cut),
		cmocka_unit_test(test_save_chain_write_refuses_a_symlink),
	};

	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	pki_key_free_all();
	return rc;
}

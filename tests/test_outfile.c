/*
 * test_outfile.c - outfile_open()/commit()/abort(): a file is replaced
 * whole or left as it was, with the mode asked for; a symlink is
 * followed and stays a symlink; a device is written, never replaced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/outfile.h"
#include "pki.h"

static char *dir;

static int
setup(void **state)
{
	(void)state;
	return (dir = pki_tmpdir()) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	(void)pki_tmpdir_remove(dir);
	free(dir);
	dir = NULL;
	return 0;
}

static char *
in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The whole content of path ("" if it cannot be read). */
static char *
get(const char *path)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return xstrdup("");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return xstrdup(buf);
}

#define assert_content(path, want) do { \
	char *got_ = get(path); \
	assert_string_equal(got_, (want)); \
	free(got_); \
} while (0)

/* How many entries dir holds: a temporary file left behind shows here. */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Write text to path through an outfile and commit; returns commit's rc. */
static int
write_via(const char *path, mode_t mode, const char *text, char **err)
{
	struct outfile of;

	if (outfile_open(&of, path, mode, err) != 0)
		return -1;
	fputs(text, of.fp);
	return outfile_commit(&of, err);
}

static void
test_outfile_new_file_gets_the_mode_asked_for_whatever_the_umask(void **state)
{
	char *path = in_dir("chain.pem"), *err = NULL;
	mode_t old = umask(077);
	struct stat sb;

	(void)state;
	assert_int_equal(write_via(path, 0644, "new\n", &err), 0);
	umask(old);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);
	assert_content(path, "new\n");
	assert_int_equal(entries(), 1);
	free(path);
}

static void
test_outfile_replaces_a_file_whole_and_leaves_no_temporary(void **state)
{
	char *path = in_dir("chain.pem"), *err = NULL;
	struct outfile of;

	(void)state;
	put(path, "old\n");
	assert_int_equal(outfile_open(&of, path, 0644, &err), 0);
	fputs("new\n", of.fp);
	/* Until the commit, the old file is what a reader sees. */
	assert_int_equal(fflush(of.fp), 0);
	assert_content(path, "old\n");
	assert_int_equal(entries(), 2);
	assert_int_equal(outfile_commit(&of, &err), 0);
	assert_content(path, "new\n");
	assert_int_equal(entries(), 1);
	free(path);
}

static void
test_outfile_abort_leaves_the_old_file_and_no_temporary(void **state)
{
	char *path = in_dir("chain.pem"), *err = NULL;
	struct outfile of;

	(void)state;
	put(path, "old\n");
	assert_int_equal(outfile_open(&of, path, 0600, &err), 0);
	fputs("half", of.fp);
	outfile_abort(&of);
	outfile_abort(&of);
	assert_content(path, "old\n");
	assert_int_equal(entries(), 1);
	free(path);
}

static void
test_outfile_follows_a_symlink_and_keeps_it(void **state)
{
	char *target = in_dir("real.pem"), *link = in_dir("live.pem"), *err = NULL;
	struct stat sb;

	(void)state;
	put(target, "old\n");
	assert_int_equal(symlink("real.pem", link), 0);
	assert_int_equal(write_via(link, 0644, "new\n", &err), 0);
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_content(target, "new\n");
	assert_int_equal(entries(), 2);
	free(target);
	free(link);
}

static void
test_outfile_follows_a_dangling_symlink_to_create_its_target(void **state)
{
	char *sub = in_dir("certs"), *link = in_dir("live.pem"), *hop, *target;
	char *err = NULL;
	struct stat sb;

	(void)state;
	assert_int_equal(mkdir(sub, 0755), 0);
	hop = xasprintf("%s/hop.pem", sub);
	target = xasprintf("%s/fullchain.pem", sub);
	/* Two hops; the second is relative to its own directory. */
	assert_int_equal(symlink("certs/hop.pem", link), 0);
	assert_int_equal(symlink("fullchain.pem", hop), 0);
	assert_int_equal(write_via(link, 0644, "new\n", &err), 0);
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_equal(lstat(hop, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_equal(lstat(target, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_content(target, "new\n");
	assert_int_equal(unlink(hop), 0);
	assert_int_equal(unlink(target), 0);
	assert_int_equal(rmdir(sub), 0);
	free(sub);
	free(hop);
	free(target);
	free(link);
}

static void
test_outfile_symlink_loop_is_an_error_naming_the_file(void **state)
{
	char *a = in_dir("a.pem"), *b = in_dir("b.pem"), *err = NULL;
	struct outfile of;

	(void)state;
	assert_int_equal(symlink("b.pem", a), 0);
	assert_int_equal(symlink("a.pem", b), 0);
	assert_int_equal(outfile_open(&of, a, 0644, &err), -1);
	assert_non_null(strstr(err, "a.pem: "));
	assert_non_null(strstr(err, strerror(ELOOP)));
	assert_int_equal(entries(), 2);
	free(err);
	free(a);
	free(b);
}

static void
test_outfile_directory_is_an_error(void **state)
{
	char *err = NULL;
	struct outfile of;

	(void)state;
	assert_int_equal(outfile_open(&of, dir, 0644, &err), -1);
	assert_non_null(strstr(err, strerror(EISDIR)));
	assert_int_equal(entries(), 0);
	free(err);
}

static void
test_outfile_missing_directory_is_an_error(void **state)
{
	char *path = in_dir("no/such/dir/chain.pem"), *err = NULL;
	struct outfile of;

	(void)state;
	assert_int_equal(outfile_open(&of, path, 0644, &err), -1);
	assert_non_null(strstr(err, "chain.pem: cannot create a temporary "
	    "file beside it"));
	free(err);
	free(path);
}

static void
test_outfile_device_is_written_not_replaced(void **state)
{
	char *path = in_dir("null"), *err = NULL;
	struct stat sb;

	(void)state;
	/* A private copy of /dev/null: only root may make one. */
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) != 0) {
		free(path);
		skip();
	}
	assert_int_equal(write_via(path, 0644, "into the void\n", &err), 0);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISCHR(sb.st_mode));
	assert_int_equal(entries(), 1);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_outfile_new_file_gets_the_mode_asked_for_whatever_the_umask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_replaces_a_file_whole_and_leaves_no_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_abort_leaves_the_old_file_and_no_temporary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_follows_a_symlink_and_keeps_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_follows_a_dangling_symlink_to_create_its_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_symlink_loop_is_an_error_naming_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_missing_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outfile_device_is_written_not_replaced, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

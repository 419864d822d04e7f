/*
 * test_strmap.c - the string-to-count hash map: new keys start at 0,
 * the same key finds the same count, and it grows without losing any.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/strmap.h"

static void
test_strmap_new_key_starts_at_zero_and_keeps_its_count(void **state)
{
	struct strmap *m = strmap_new();

	(void)state;
	assert_int_equal(*strmap_get(m, "pbx.example.test"), 0);
	(*strmap_get(m, "pbx.example.test"))++;
	(*strmap_get(m, "pbx.example.test"))++;
	assert_int_equal(*strmap_get(m, "pbx.example.test"), 2);
	assert_int_equal(*strmap_get(m, "pbx.example.test #2"), 0);
	assert_int_equal(*strmap_get(m, ""), 0);
	assert_int_equal(strmap_count(m), 3);
	strmap_free(m);
	strmap_free(NULL);
}

static void
test_strmap_100000_keys_survive_growing(void **state)
{
	struct strmap *m = strmap_new();
	char key[32];
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "host%zu:5061", i);
		*strmap_get(m, key) = i + 1;
	}
	assert_int_equal(strmap_count(m), 100000);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "host%zu:5061", i);
		assert_int_equal(*strmap_get(m, key), i + 1);
	}
	assert_int_equal(strmap_count(m), 100000);
	strmap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_new_key_starts_at_zero_and_keeps_its_count),
		cmocka_unit_test(test_strmap_100000_keys_survive_growing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

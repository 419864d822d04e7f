/*
 * test_time.c - --at parsing (RFC 3339 and @EPOCH) and the one output
 * form of an instant, both in UTC whatever the local time zone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/timeutil.h"

/* 2027-01-31T00:00:00Z */
#define T_2027_01_31 1801353600LL

struct parse_case {
	const char *in;
	long long want;
};

static int
group_setup(void **state)
{
	(void)state;
	/* Nothing here may depend on the local zone. */
	if (setenv("TZ", "America/St_Johns", 1) != 0)
		return -1;
	tzset();
	return 0;
}

static void
test_time_parse_valid_forms_give_the_utc_instant(void **state)
{
	static const struct parse_case cases[] = {
		{ "2027-01-31T00:00:00Z", T_2027_01_31 },
		{ "2027-01-31t00:00:00z", T_2027_01_31 },
		{ "2027-01-31 00:00:00Z", T_2027_01_31 },
		{ "2027-01-31", T_2027_01_31 },
		{ "2026-11-27T23:00:00Z", 1795820400LL },
		/* Offsets: local time minus the offset is UTC. */
		{ "2027-01-31T02:00:00+02:00", T_2027_01_31 },
		{ "2027-01-30T18:30:00-05:30", T_2027_01_31 },
		{ "2027-01-31T00:00:00+00:00", T_2027_01_31 },
		{ "2027-01-31T00:00:00-00:00", T_2027_01_31 },
		/* Fractions of a second are ignored. */
		{ "2027-01-31T00:00:00.5Z", T_2027_01_31 },
		{ "2027-01-31T00:00:00.123456789Z", T_2027_01_31 },
		{ "2027-01-31T01:00:00.25+01:00", T_2027_01_31 },
		/* Leap day, leap second, far future, before the epoch. */
		{ "2024-02-29T12:34:56Z", 1709210096LL },
		{ "2016-12-31T23:59:60Z", 1483228800LL },
		{ "2100-01-01T00:00:00Z", 4102444800LL },
		{ "1969-12-31", -86400LL },
		/* @EPOCH */
		{ "@0", 0 },
		{ "@1801353600", T_2027_01_31 },
		{ "@-86400", -86400LL },
	};
	time_t t;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = 12345;
		if (time_parse(cases[i].in, &t) != 0) {
			print_error("\"%s\": refused\n", cases[i].in);
			bad++;
		} else if ((long long)t != cases[i].want) {
			print_error("\"%s\": %lld, want %lld\n", cases[i].in,
			    (long long)t, cases[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void
test_time_parse_garbage_is_refused(void **state)
{
	static const char *const cases[] = {
		"",
		"now",
		"tomorrow",
		"2027",
		"2027-01",
		"2027-1-31",
		"27-01-31",
		"2027/01/31",
		"2027-00-10",
		"2027-13-01",
		"2027-01-00",
		"2027-01-32",
		"2027-01-31T",
		"2027-01-31T00:00Z",
		"2027-01-31T00:00:00",		/* no zone */
		"2027-01-31T24:00:00Z",
		"2027-01-31T23:60:00Z",
		"2027-01-31T23:59:61Z",
		"2027-01-31T00:00:00.Z",
		"2027-01-31T00:00:00Zjunk",
		"2027-01-31T00:00:00+0200",
		"2027-01-31T00:00:00+02",
		"2027-01-31T00:00:00+24:00",
		"2027-01-31 trailing",
		"2027-01-31x",
		" 2027-01-31",
		"@",
		"@12x",
		"@1.5",
		"@99999999999999999999999",
	};
	time_t t;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (time_parse(cases[i], &t) == 0) {
			print_error("\"%s\": accepted as %lld\n", cases[i],
			    (long long)t);
			bad++;
		}
	assert_int_equal(bad, 0);
}

/* A day the month does not have is not a date (RFC 3339 5.7). */
static void
test_time_parse_day_past_the_end_of_the_month_is_refused(void **state)
{
	static const char *const cases[] = {
		"2027-02-29",
		"2027-02-30T00:00:00Z",
		"2023-02-29T00:00:00Z",
		"2100-02-29",
		"2027-04-31",
		"2027-06-31T12:00:00Z",
		"2027-09-31",
		"2027-11-31",
	};
	time_t t;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (time_parse(cases[i], &t) == 0) {
			print_error("\"%s\": accepted as %lld\n", cases[i],
			    (long long)t);
			bad++;
		}
	assert_int_equal(bad, 0);
}

static void
test_time_format_gives_rfc3339_utc(void **state)
{
	char buf[32];

	(void)state;
	time_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	time_format((time_t)T_2027_01_31, buf, sizeof(buf));
	assert_string_equal(buf, "2027-01-31T00:00:00Z");
	time_format((time_t)1795820400LL, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-27T23:00:00Z");
	time_format((time_t)1709210096LL, buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29T12:34:56Z");
	time_format((time_t)4102444800LL, buf, sizeof(buf));
	assert_string_equal(buf, "2100-01-01T00:00:00Z");
	time_format((time_t)-1, buf, sizeof(buf));
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void
test_time_format_fits_the_documented_21_bytes(void **state)
{
	char buf[21];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	time_format((time_t)T_2027_01_31, buf, sizeof(buf));
	assert_string_equal(buf, "2027-01-31T00:00:00Z");
}

static void
test_time_format_then_parse_round_trips(void **state)
{
	static const long long instants[] = {
		0, 1, 86399, 951868800LL, 1483228799LL, T_2027_01_31,
		1795820400LL, 4102444799LL,
	};
	char buf[32];
	time_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(instants) / sizeof(instants[0]); i++) {
		time_format((time_t)instants[i], buf, sizeof(buf));
		assert_int_equal(time_parse(buf, &t), 0);
		assert_int_equal((long long)t, instants[i]);
	}
}

static void
test_time_days_from_civil_counts_from_1970(void **state)
{
	(void)state;
	assert_int_equal(time_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(time_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(time_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(time_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(time_days_from_civil(2027, 1, 31), 20849);
	assert_int_equal(time_days_from_civil(1600, 1, 1), -135140);
}

static void
test_time_from_utc_tm_ignores_the_local_zone(void **state)
{
	struct tm tm;

	(void)state;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2027 - 1900;
	tm.tm_mon = 0;
	tm.tm_mday = 31;
	tm.tm_isdst = 1;
	assert_int_equal((long long)time_from_utc_tm(&tm), T_2027_01_31);
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	assert_int_equal((long long)time_from_utc_tm(&tm),
	    T_2027_01_31 + 86399);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_parse_valid_forms_give_the_utc_instant),
		cmocka_unit_test(test_time_parse_garbage_is_refused),
		cmocka_unit_test(test_time_parse_day_past_the_end_of_the_month_is_refused),
		cmocka_unit_test(test_time_format_gives_rfc3339_utc),
		cmocka_unit_test(test_time_format_fits_the_documented_21_bytes),
		cmocka_unit_test(test_time_format_then_parse_round_trips),
		cmocka_unit_test(test_time_days_from_civil_counts_from_1970),
		cmocka_unit_test(test_time_from_utc_tm_ignores_the_local_zone),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}

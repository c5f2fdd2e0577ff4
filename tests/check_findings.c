/*
 * Tests for the severity words of rules/finding.c: --fail-on's threshold
 * words and their order against the severities, which `check` relies on
 * when it compares a finding's severity with the threshold.
 */
#include <check.h>

#include "rules/rules.h"

START_TEST(test_fail_on_words)
{
	static const struct {
		const char *word;
		enum fail_on want;
	} rows[] = {
	    {"info", FAIL_ON_INFO},
	    {"warning", FAIL_ON_WARNING},
	    {"error", FAIL_ON_ERROR},
	    {"never", FAIL_NEVER},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum fail_on got = FAIL_ON_ERROR;
		ck_assert_int_eq(fail_on_parse(&got, rows[i].word), 0);
		ck_assert_int_eq(got, rows[i].want);
	}
}
END_TEST

START_TEST(test_fail_on_refuses)
{
	static const char *const bad[] = {"", "Error", "none", "errors", "3"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum fail_on got = FAIL_ON_WARNING;
		ck_assert_int_eq(fail_on_parse(&got, bad[i]), -1);
		ck_assert_int_eq(got, FAIL_ON_WARNING); /* untouched */
	}
}
END_TEST

/* A threshold is reached by its own severity and those above it; never
 * by any severity. */
START_TEST(test_fail_on_order)
{
	static const enum severity sevs[] = {SEV_INFO, SEV_WARNING, SEV_ERROR};
	ck_assert_int_eq(sizeof(sevs) / sizeof(sevs[0]), SEV_COUNT);
	for (int s = 0; s < SEV_COUNT; s++) {
		ck_assert((int)sevs[s] >= (int)FAIL_ON_INFO);
		ck_assert((int)sevs[s] < (int)FAIL_NEVER);
		ck_assert_int_eq((int)sevs[s] >= (int)FAIL_ON_ERROR,
				 sevs[s] == SEV_ERROR);
		ck_assert_int_eq((int)sevs[s] >= (int)FAIL_ON_WARNING,
				 sevs[s] != SEV_INFO);
	}
}
END_TEST

Suite *findings_suite(void)
{
	Suite *s = suite_create("findings");
	TCase *tc = tcase_create("severity");
	tcase_add_test(tc, test_fail_on_words);
	tcase_add_test(tc, test_fail_on_refuses);
	tcase_add_test(tc, test_fail_on_order);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * base/util: the port texts every format reads ports through (the native
 * loader, policies).  Each case is checked against what a reader of the
 * format expects: digits only, no leading zero, one dash for a range.
 */
#include <check.h>
#include <stdio.h>

#include "base/util.h"

/* util_u32_text against snprintf, at the edges of each digit count. */
START_TEST(test_u32_text)
{
	static const uint32_t v[] = {
	    0, 1, 9, 10, 99, 100, 65535, 999999999u, 1000000000u, 4294967295u};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char buf[UTIL_U32_TEXT_SIZE], want[16];
		snprintf(want, sizeof(want), "%u", v[i]);
		ck_assert_str_eq(util_u32_text(buf, v[i]), want);
	}
}
END_TEST

START_TEST(test_port_text)
{
	uint32_t v = 7;
	ck_assert(util_port_text("0", &v) && v == 0);
	ck_assert(util_port_text("443", &v) && v == 443);
	ck_assert(util_port_text("65536", &v) && v == 65536);
	ck_assert(!util_port_text("", &v));
	ck_assert(!util_port_text("080", &v));
	ck_assert(!util_port_text("+80", &v));
	ck_assert(!util_port_text("8 0", &v));
	ck_assert(!util_port_text("99999999999", &v));
}
END_TEST

START_TEST(test_port_range_text)
{
	uint32_t a = 1, b = 1;
	ck_assert(util_port_range_text("443", &a, &b) && a == 443 && b == 443);
	ck_assert(util_port_range_text("1024-65535", &a, &b) && a == 1024 &&
		  b == 65535);
	/* The order is the caller's to judge, with its own message. */
	ck_assert(util_port_range_text("90-80", &a, &b) && a == 90 && b == 80);
	ck_assert(!util_port_range_text("80-", &a, &b));
	ck_assert(!util_port_range_text("-80", &a, &b));
	ck_assert(!util_port_range_text("1-2-3", &a, &b));
	ck_assert(!util_port_range_text("all", &a, &b));
	ck_assert(!util_port_range_text("012-20", &a, &b));
	ck_assert(!util_port_range_text(
	    "1000000000000000000000000000000000000-2", &a, &b));
}
END_TEST

/* Ranges "A-B" printed from A and B (up to 70000, in steps) read back. */
START_TEST(test_port_range_oracle)
{
	for (uint32_t x = 0; x <= 70000; x += 997)
		for (uint32_t y = 0; y <= 70000; y += 1009) {
			char s[32];
			snprintf(s, sizeof(s), "%u-%u", x, y);
			uint32_t a = 0, b = 0;
			ck_assert(util_port_range_text(s, &a, &b));
			ck_assert_uint_eq(a, x);
			ck_assert_uint_eq(b, y);
		}
}
END_TEST

Suite *util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("ports");
	tcase_add_test(tc, test_u32_text);
	tcase_add_test(tc, test_port_text);
	tcase_add_test(tc, test_port_range_text);
	tcase_add_test(tc, test_port_range_oracle);
	suite_add_tcase(s, tc);
	return s;
}

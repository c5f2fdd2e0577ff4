/*
 * Tests for base/strbuf.c: the text is what was added, in order, at any
 * length (growth past many doublings), with a NUL after it; clear and free
 * leave a usable buffer.
 */
#include <check.h>
#include <string.h>

#include "base/strbuf.h"

START_TEST(empty)
{
	struct strbuf b = {0};
	ck_assert_str_eq(strbuf_str(&b), "");
	ck_assert_uint_eq(b.n, 0);
	strbuf_add(&b, "", 0);
	ck_assert_ptr_nonnull(b.s);
	ck_assert_str_eq(b.s, "");
	strbuf_free(&b);
	ck_assert_ptr_null(b.s);
	ck_assert_uint_eq(b.n + b.cap, 0);
	strbuf_free(NULL);
}
END_TEST

START_TEST(add_and_printf)
{
	struct strbuf b = {0};
	/* Only len bytes of the source: it need not end there. */
	strbuf_add(&b, "abcdef", 3);
	strbuf_printf(&b, "-%d-%s", 42, "x");
	strbuf_add(&b, "zz", 1);
	ck_assert_str_eq(strbuf_str(&b), "abc-42-xz");
	ck_assert_uint_eq(b.n, strlen("abc-42-xz"));
	strbuf_printf(&b, "%s", "");
	ck_assert_str_eq(strbuf_str(&b), "abc-42-xz");
	strbuf_free(&b);
}
END_TEST

START_TEST(growth)
{
	struct strbuf b = {0}, c = {0};
	char expect[20001];
	for (int i = 0; i < 20000; i++) {
		char ch = (char)('a' + i % 26);
		expect[i] = ch;
		if (i % 2)
			strbuf_add(&b, &ch, 1);
		else
			strbuf_printf(&b, "%c", ch);
	}
	expect[20000] = '\0';
	ck_assert_uint_eq(b.n, 20000);
	ck_assert(b.cap > b.n);
	ck_assert(memcmp(b.s, expect, sizeof(expect)) == 0);
	/* One long piece at once, past the current capacity. */
	strbuf_add(&c, "x", 1);
	strbuf_add(&c, expect, 20000);
	ck_assert_uint_eq(c.n, 20001);
	ck_assert(c.s[0] == 'x' && !strcmp(c.s + 1, expect));
	strbuf_free(&b);
	strbuf_free(&c);
}
END_TEST

START_TEST(clear_keeps_room)
{
	struct strbuf b = {0};
	strbuf_printf(&b, "%s", "a fairly long piece of text");
	size_t cap = b.cap;
	char *s = b.s;
	strbuf_clear(&b);
	ck_assert_str_eq(strbuf_str(&b), "");
	ck_assert_uint_eq(b.n, 0);
	strbuf_add(&b, "short", 5);
	ck_assert_ptr_eq(b.s, s);
	ck_assert_uint_eq(b.cap, cap);
	ck_assert_str_eq(strbuf_str(&b), "short");
	strbuf_free(&b);
	/* Reusable after free. */
	strbuf_add(&b, "again", 5);
	ck_assert_str_eq(strbuf_str(&b), "again");
	strbuf_free(&b);
}
END_TEST

Suite *strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("strbuf");
	tcase_add_test(tc, empty);
	tcase_add_test(tc, add_and_printf);
	tcase_add_test(tc, growth);
	tcase_add_test(tc, clear_keeps_room);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * Diagnostics as data (base/diag.c): the same diagnostic added again is
 * counted and printed once with "(repeated N times)"; anything that
 * differs (file, line, column, severity, text) is its own line; the
 * count survives sorting, and adding after a sort still folds.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

/* What diag_print writes for l, in a heap string. */
static char *printed(const struct diag_list *l)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	diag_print(f, l);
	fclose(f);
	return buf;
}

START_TEST(test_repeat_folds)
{
	struct diag_list l = DIAG_LIST_INIT;
	for (int i = 0; i < 1000; i++)
		diag_add(&l, DIAG_ERROR, "t.yaml", 3, 7, "Ref to '%s'", "Nope");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(l.v[0].count, 1000);
	/* Every error counts: "errors since" checks stay true. */
	ck_assert_uint_eq(l.n_errors, 1000);
	char *s = printed(&l);
	ck_assert_str_eq(s, "t.yaml:3:7: error: Ref to 'Nope' (repeated 1000 "
			    "times)\n");
	free(s);
	diag_list_free(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.idx);
}
END_TEST

START_TEST(test_differences_stay_apart)
{
	struct diag_list l = DIAG_LIST_INIT;
	diag_add(&l, DIAG_ERROR, "t.yaml", 3, 7, "x");
	diag_add(&l, DIAG_ERROR, "u.yaml", 3, 7, "x");
	diag_add(&l, DIAG_ERROR, "t.yaml", 4, 7, "x");
	diag_add(&l, DIAG_ERROR, "t.yaml", 3, 8, "x");
	diag_add(&l, DIAG_WARNING, "t.yaml", 3, 7, "x");
	diag_add(&l, DIAG_ERROR, "t.yaml", 3, 7, "y");
	diag_add(&l, DIAG_ERROR, NULL, 0, 0, "x");
	diag_add_text(&l, DIAG_ERROR, NULL, 0, 0, "x");
	diag_add_text(&l, DIAG_ERROR, "t.yaml", 3, 7, "x");
	ck_assert_uint_eq(l.n, 7);
	ck_assert_uint_eq(l.v[0].count, 2);
	ck_assert_uint_eq(l.v[6].count, 2);
	char *s = printed(&l);
	ck_assert_str_eq(s, "t.yaml:3:7: error: x (repeated 2 times)\n"
			    "u.yaml:3:7: error: x\n"
			    "t.yaml:4:7: error: x\n"
			    "t.yaml:3:8: error: x\n"
			    "t.yaml:3:7: warning: x\n"
			    "t.yaml:3:7: error: y\n"
			    "vpcsim: error: x (repeated 2 times)\n");
	free(s);
	diag_list_free(&l);
}
END_TEST

START_TEST(test_fold_after_sort)
{
	struct diag_list l = DIAG_LIST_INIT;
	/* Enough to grow the set a few times, in reverse order. */
	for (int i = 300; i > 0; i--)
		diag_add(&l, DIAG_ERROR, "t.yaml", (uint32_t)i, 1, "e%d", i);
	diag_add(&l, DIAG_ERROR, "t.yaml", 300, 1, "e300");
	diag_sort(&l);
	ck_assert_uint_eq(l.n, 300);
	ck_assert_uint_eq(l.v[0].line, 1);
	ck_assert_uint_eq(l.v[299].line, 300);
	ck_assert_uint_eq(l.v[299].count, 2);
	/* The set was dropped by the sort: it must find the moved ones. */
	diag_add(&l, DIAG_ERROR, "t.yaml", 1, 1, "e1");
	diag_add(&l, DIAG_ERROR, "t.yaml", 150, 1, "e150");
	diag_add(&l, DIAG_ERROR, "t.yaml", 150, 1, "new");
	ck_assert_uint_eq(l.n, 301);
	ck_assert_uint_eq(l.v[0].count, 2);
	ck_assert_uint_eq(l.v[149].count, 2);
	ck_assert_uint_eq(l.v[149].line, 150);
	diag_list_free(&l);
	diag_list_free(NULL);
}
END_TEST

/* A copy keeps the count (vpcsim -q prints the errors of a list copied
 * into another). */
START_TEST(test_copy_keeps_count)
{
	struct diag_list a = DIAG_LIST_INIT, b = DIAG_LIST_INIT;
	for (int i = 0; i < 5; i++)
		diag_add(&a, DIAG_ERROR, "t.yaml", 2, 3, "bad");
	diag_add_copy(&b, &a.v[0]);
	ck_assert_uint_eq(b.n, 1);
	ck_assert_uint_eq(b.v[0].count, 5);
	ck_assert_uint_eq(b.n_errors, 5);
	diag_add_copy(&b, &a.v[0]);
	ck_assert_uint_eq(b.n, 1);
	ck_assert_uint_eq(b.v[0].count, 10);
	char *s = printed(&b);
	ck_assert_str_eq(s, "t.yaml:2:3: error: bad (repeated 10 times)\n");
	free(s);
	diag_list_free(&a);
	diag_list_free(&b);
}
END_TEST

Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_repeat_folds);
	tcase_add_test(tc, test_differences_stay_apart);
	tcase_add_test(tc, test_fold_after_sort);
	tcase_add_test(tc, test_copy_keeps_count);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * The engine fuzz targets' crashers as tests: every file of
 * fuzz/crashers goes through the pipeline of fuzz/fuzz_engine.h
 * (load, check with every rule and the model's policies, maps, traces,
 * chains, the graph at every level in every format, sim and diff), as the
 * fuzzers ran it when they found it, in one process: under check-asan a
 * use after free, undefined behaviour or a leak fails the suite.  A
 * crasher goes in that directory; nothing else needs changing.  Run from
 * the repository root.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_engine.h"

#define ENGINE_DIR "fuzz/crashers"

START_TEST(test_engine_corpus)
{
	/* The SVG of every input too (fuzz/fuzz_engine.h). */
	setenv("VPCSIM_FUZZ_SVG", "all", 1);
	DIR *dp = opendir(ENGINE_DIR);
	ck_assert_msg(dp != NULL, "no %s", ENGINE_DIR);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", ENGINE_DIR, de->d_name);
		FILE *f = fopen(path, "rb");
		ck_assert_msg(f != NULL, "cannot open %s", path);
		static uint8_t buf[1 << 20];
		size_t len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		/* Twice: the pipeline must leave nothing behind that the
		 * next model trips on (the SVG crasher needed a second
		 * picture in the same process). */
		fuzz_engine_one(de->d_name, buf, len);
		fuzz_engine_one(de->d_name, buf, len);
		n++;
	}
	closedir(dp);
	ck_assert_int_ge(n, 1);
}
END_TEST

Suite *engine_corpus_suite(void)
{
	Suite *s = suite_create("engine_corpus");
	TCase *tc = tcase_create("crashers");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_engine_corpus);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * Tests for base/file.c's output files: a target is replaced whole or
 * not at all (the old bytes survive an abort and a failed write, and no
 * temporary file is left behind), keeps its mode, a symbolic link stays
 * a link, and what is not a regular file (/dev/null, /dev/full) is
 * written in place and never removed; file_same sees one file under two
 * names; standard input-like streams are read whole.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/util.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/vpcsim-file.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Entries of dir, "." and ".." aside. */
static int entries(void)
{
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char *s;
	size_t n;
	ck_assert_int_eq(file_read_text(&s, &n, path, &dl), 0);
	diag_list_free(&dl);
	return s;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(new_file_appears_on_commit)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct file_out w;
	char *p = xasprintf("%s/report.txt", dir);
	ck_assert_int_eq(file_out_open(&w, p, &dl), 0);
	fputs("hello\n", w.f);
	/* Not there until complete. */
	ck_assert_int_ne(access(p, F_OK), 0);
	ck_assert_int_eq(file_out_commit(&w, &dl), 0);
	ck_assert_ptr_null(w.f);
	char *s = slurp(p);
	ck_assert_str_eq(s, "hello\n");
	struct stat st;
	mode_t mask = umask(0);
	umask(mask);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0666 & ~mask);
	ck_assert_int_eq(entries(), 1);
	ck_assert_uint_eq(dl.n, 0);
	/* A second commit of an ended writer does nothing. */
	ck_assert_int_eq(file_out_commit(&w, &dl), 0);
	free(s);
	free(p);
}
END_TEST

START_TEST(abort_keeps_the_old_file)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct file_out w;
	char *p = xasprintf("%s/baseline", dir);
	spit(p, "old contents\n");
	ck_assert_int_eq(chmod(p, 0640), 0);
	ck_assert_int_eq(file_out_open(&w, p, &dl), 0);
	for (int i = 0; i < 100000; i++)
		fputs("new line of a long report\n", w.f);
	file_out_abort(&w);
	char *s = slurp(p);
	ck_assert_str_eq(s, "old contents\n");
	free(s);
	ck_assert_int_eq(entries(), 1); /* no temporary file left */
	/* Committed, the new text replaces it with the old mode. */
	ck_assert_int_eq(file_out_open(&w, p, &dl), 0);
	fputs("new\n", w.f);
	ck_assert_int_eq(file_out_commit(&w, &dl), 0);
	s = slurp(p);
	ck_assert_str_eq(s, "new\n");
	struct stat st;
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	ck_assert_int_eq(entries(), 1);
	file_out_abort(NULL);
	file_out_abort(&w); /* ended: nothing to do */
	free(s);
	free(p);
}
END_TEST

START_TEST(symlink_stays_a_link)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct file_out w;
	char *target = xasprintf("%s/real.dot", dir);
	char *link = xasprintf("%s/link.dot", dir);
	spit(target, "old\n");
	ck_assert_int_eq(symlink("real.dot", link), 0);
	ck_assert_int_eq(file_out_open(&w, link, &dl), 0);
	fputs("digraph {}\n", w.f);
	ck_assert_int_eq(file_out_commit(&w, &dl), 0);
	struct stat st;
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	char *s = slurp(target);
	ck_assert_str_eq(s, "digraph {}\n");
	ck_assert_int_eq(entries(), 2);
	free(s);
	free(target);
	free(link);
}
END_TEST

START_TEST(devices_written_in_place)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct file_out w;
	ck_assert_int_eq(file_out_open(&w, "/dev/null", &dl), 0);
	ck_assert_ptr_null(w.tmp);
	fputs("nothing\n", w.f);
	ck_assert_int_eq(file_out_commit(&w, &dl), 0);
	/* A failed write to a device is reported, and the device stays. */
	if (access("/dev/full", W_OK) == 0) {
		ck_assert_int_eq(file_out_open(&w, "/dev/full", &dl), 0);
		for (int i = 0; i < 10000; i++)
			fputs("more than a buffer holds\n", w.f);
		ck_assert_int_eq(file_out_commit(&w, &dl), -1);
		ck_assert_uint_eq(dl.n_errors, 1);
		ck_assert_str_eq(dl.v[0].file, "/dev/full");
		ck_assert_ptr_nonnull(strstr(dl.v[0].message, "No space"));
		struct stat st;
		ck_assert_int_eq(stat("/dev/full", &st), 0);
		ck_assert(S_ISCHR(st.st_mode));
	}
	diag_list_free(&dl);
}
END_TEST

START_TEST(directory_refused)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct file_out w;
	ck_assert_int_eq(file_out_open(&w, dir, &dl), -1);
	ck_assert_ptr_null(w.f);
	ck_assert_uint_eq(dl.n_errors, 1);
	ck_assert_str_eq(dl.v[0].message, "cannot write: is a directory");
	char *p = xasprintf("%s/no-such-dir/x", dir);
	ck_assert_int_eq(file_out_open(&w, p, &dl), -1);
	ck_assert_uint_eq(dl.n_errors, 2);
	diag_list_free(&dl);
	free(p);
}
END_TEST

START_TEST(same_file)
{
	char *a = xasprintf("%s/a", dir), *b = xasprintf("%s/b", dir);
	char *l = xasprintf("%s/l", dir), *c = xasprintf("%s/c", dir);
	char *dotted = xasprintf("%s/../%s/a", dir, strrchr(dir, '/') + 1);
	spit(a, "x");
	spit(c, "x");
	ck_assert_int_eq(link(a, b), 0);
	ck_assert_int_eq(symlink("a", l), 0);
	ck_assert(file_same(a, b));
	ck_assert(file_same(a, l));
	ck_assert(file_same(dotted, a));
	ck_assert(!file_same(a, c)); /* same bytes, another file */
	ck_assert(!file_same(a, "/nonexistent/x"));
	FILE *f = fopen(a, "r");
	ck_assert(file_same_stream(l, f));
	ck_assert(!file_same_stream(c, f));
	fclose(f);
	free(a);
	free(b);
	free(l);
	free(c);
	free(dotted);
}
END_TEST

START_TEST(read_stream)
{
	struct diag_list dl = DIAG_LIST_INIT;
	char text[] = "vpcs:\n  main: {cidr: 10.0.0.0/16}\n";
	FILE *f = fmemopen(text, strlen(text), "r");
	char *s;
	size_t n;
	ck_assert_int_eq(file_read_stream(&s, &n, f, "<stdin>", &dl), 0);
	ck_assert_uint_eq(n, strlen(text));
	ck_assert_str_eq(s, text);
	fclose(f);
	free(s);
}
END_TEST

Suite *file_suite(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, new_file_appears_on_commit);
	tcase_add_test(tc, abort_keeps_the_old_file);
	tcase_add_test(tc, symlink_stays_a_link);
	tcase_add_test(tc, devices_written_in_place);
	tcase_add_test(tc, directory_refused);
	tcase_add_test(tc, same_file);
	tcase_add_test(tc, read_stream);
	suite_add_tcase(s, tc);
	return s;
}

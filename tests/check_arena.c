/*
 * Tests for base/arena.c.  Every test stamps what it allocates with a
 * pattern of its own and checks all of it at the end, so an allocation
 * that overlapped another (or a chunk freed too early, under ASan) shows.
 */
#include <check.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"

#define ALIGN alignof(max_align_t)

/* Like ck_assert_msg, but silent while it holds: the many-allocation tests
 * check hundreds of thousands of bytes. */
#define REQUIRE(cond, ...)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			ck_abort_msg(__VA_ARGS__);                             \
	} while (0)

static bool all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != v)
			return false;
	return true;
}

START_TEST(alignment)
{
	struct arena a;
	arena_init(&a);
	/* Every size from 0 to past a chunk's large-allocation threshold,
	 * interleaved so that odd sizes follow each other. */
	for (size_t size = 0; size < 20000; size += size < 64 ? 1 : 997) {
		void *p = arena_alloc(&a, size);
		REQUIRE(p != NULL, "size %zu: NULL", size);
		REQUIRE((uintptr_t)p % ALIGN == 0,
			"size %zu: %p not aligned to %zu", size, p,
			(size_t)ALIGN);
	}
	long double *ld = arena_array(&a, 3, sizeof(*ld));
	ck_assert((uintptr_t)ld % alignof(long double) == 0);
	ld[2] = 1.5L;
	ck_assert(ld[2] == 1.5L);
	arena_free(&a);
}
END_TEST

START_TEST(zeroing)
{
	struct arena a;
	arena_init(&a);
	/* Dirty the heap with freed, patterned chunks first: fresh arena
	 * memory is then likely to be recycled memory and must still read
	 * as zero. */
	for (int i = 0; i < 8; i++)
		memset(arena_alloc(&a, 30000), 0xAB, 30000);
	for (int i = 0; i < 64; i++)
		memset(arena_alloc(&a, 1000), 0xCD, 1000);
	arena_free(&a);
	for (size_t size = 1; size < 70000; size = size * 3 + 1) {
		unsigned char *p = arena_alloc(&a, size);
		REQUIRE(all_bytes(p, size, 0), "size %zu not zeroed", size);
		memset(p, 0xEF, size);
	}
	uint32_t *v = arena_array(&a, 5000, sizeof(*v));
	ck_assert(all_bytes(v, 5000 * sizeof(*v), 0));
	arena_free(&a);
}
END_TEST

START_TEST(large_allocations)
{
	struct arena a;
	arena_init(&a);
	/* A large block as the very first allocation, then small ones that
	 * must come from a chunk of their own, then larger ones again. */
	size_t sizes[] = {1u << 20, 16, 40000, 24, 17000, 70000, 8, 3u << 20};
	unsigned char *p[sizeof(sizes) / sizeof(sizes[0])];
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = arena_alloc(&a, sizes[i]);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert(all_bytes(p[i], sizes[i], 0));
		memset(p[i], (int)(i + 1), sizes[i]);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ck_assert_msg(all_bytes(p[i], sizes[i], (unsigned char)(i + 1)),
			      "block %zu (%zu bytes) was overwritten", i,
			      sizes[i]);
	ck_assert_uint_ge(a.total, (1u << 20) + (3u << 20) + 40000 + 70000);
	arena_free(&a);
}
END_TEST

START_TEST(strings)
{
	struct arena a;
	arena_init(&a);
	char src[] = "subnet-a";
	char *d = arena_strdup(&a, src);
	ck_assert_str_eq(d, "subnet-a");
	ck_assert_ptr_ne(d, src);
	src[0] = 'X'; /* the copy is independent */
	ck_assert_str_eq(d, "subnet-a");

	char *n = arena_strndup(&a, "10.0.0.0/16 trailing", 11);
	ck_assert_str_eq(n, "10.0.0.0/16");
	ck_assert_str_eq(arena_strndup(&a, "abc", 0), "");
	ck_assert_str_eq(arena_strdup(&a, ""), "");

	char *f = arena_printf(&a, "%s-%d-%05.1f|%c", "rt", 42, 3.25, 'z');
	ck_assert_str_eq(f, "rt-42-003.2|z");
	ck_assert_str_eq(arena_printf(&a, "%s", ""), "");

	/* Output larger than the large-allocation threshold. */
	char *big = arena_printf(&a, "<%*s>", 100000, "x");
	ck_assert_uint_eq(strlen(big), 100002);
	ck_assert_int_eq(big[0], '<');
	ck_assert_int_eq(big[100000], 'x');
	ck_assert_int_eq(big[100001], '>');

	/* Earlier strings are untouched by later allocations. */
	ck_assert_str_eq(d, "subnet-a");
	ck_assert_str_eq(n, "10.0.0.0/16");
	ck_assert_str_eq(f, "rt-42-003.2|z");
	arena_free(&a);
}
END_TEST

START_TEST(many_allocations)
{
	enum { N = 200000 };
	struct arena a;
	arena_init(&a);
	struct rec {
		uint32_t *p;
		uint32_t n;
	};
	/* The bookkeeping lives in the arena under test, too. */
	struct rec *recs = arena_array(&a, N, sizeof(*recs));
	size_t bytes = 0;
	for (uint32_t i = 0; i < N; i++) {
		uint32_t n = 1 + (i * 2654435761u >> 7) % 37;
		if (i % 5000 == 0)
			n = 5000 + i % 7; /* now and then a large one */
		recs[i].n = n;
		recs[i].p = arena_array(&a, n, sizeof(uint32_t));
		for (uint32_t k = 0; k < n; k++)
			recs[i].p[k] = i ^ k;
		bytes += n * sizeof(uint32_t);
	}
	for (uint32_t i = 0; i < N; i++)
		for (uint32_t k = 0; k < recs[i].n; k++)
			REQUIRE(recs[i].p[k] == (i ^ k),
				"allocation %u word %u was overwritten", i, k);
	ck_assert_uint_ge(a.total, bytes);
	arena_free(&a);
}
END_TEST

START_TEST(free_and_reuse)
{
	struct arena a;
	arena_init(&a);
	arena_free(&a); /* empty: nothing to free */
	arena_free(&a); /* and again */
	arena_free(NULL);
	ck_assert_ptr_null(a.head);
	ck_assert_uint_eq(a.total, 0);

	for (int round = 0; round < 3; round++) {
		char *s = arena_printf(&a, "round %d", round);
		unsigned char *big = arena_alloc(&a, 200000);
		ck_assert(all_bytes(big, 200000, 0));
		memset(big, 0x5A, 200000);
		ck_assert_str_eq(s, round == 0	 ? "round 0"
				    : round == 1 ? "round 1"
						 : "round 2");
		ck_assert_ptr_nonnull(a.head);
		ck_assert_uint_gt(a.total, 0);
		arena_free(&a);
		ck_assert_ptr_null(a.head);
		ck_assert_uint_eq(a.used, 0);
		ck_assert_uint_eq(a.total, 0);
	}
}
END_TEST

START_TEST(zero_size)
{
	/* The loaders use zero-length arrays as "present but empty", which
	 * needs a non-NULL pointer. */
	struct arena a;
	arena_init(&a);
	ck_assert_ptr_nonnull(arena_alloc(&a, 0));
	ck_assert_ptr_nonnull(arena_array(&a, 0, 64));
	ck_assert_ptr_nonnull(arena_array(&a, 64, 0));
	/* A zero-size allocation first, then real ones. */
	char *s = arena_strdup(&a, "x");
	ck_assert_str_eq(s, "x");
	arena_free(&a);
}
END_TEST

Suite *arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("alloc");
	tcase_add_test(tc, alignment);
	tcase_add_test(tc, zeroing);
	tcase_add_test(tc, large_allocations);
	tcase_add_test(tc, zero_size);
	suite_add_tcase(s, tc);
	tc = tcase_create("strings");
	tcase_add_test(tc, strings);
	suite_add_tcase(s, tc);
	tc = tcase_create("many");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, many_allocations);
	suite_add_tcase(s, tc);
	tc = tcase_create("free");
	tcase_add_test(tc, free_and_reuse);
	suite_add_tcase(s, tc);
	return s;
}

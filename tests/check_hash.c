/*
 * Tests for base/hash.c: every key inserted is found again with its value
 * and entry number, at sizes past many doublings; keys not inserted are
 * not found; entries keep insertion order; string maps compare by text,
 * not by pointer; a second insert of a key adds nothing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

struct key {
	uint32_t a, b;
	uint16_t c;
	uint8_t d, e;
};

static struct key key_of(uint32_t i)
{
	struct key k;
	memset(&k, 0, sizeof(k));
	k.a = i * 2654435761u;
	k.b = i >> 3;
	k.c = (uint16_t)i;
	k.d = (uint8_t)(i % 7);
	return k;
}

START_TEST(fixed_keys)
{
	struct hmap h;
	hmap_init(&h, sizeof(struct key), sizeof(uint64_t));
	struct key k0 = key_of(0);
	ck_assert_uint_eq(hmap_find(&h, &k0), HMAP_NONE);
	enum { N = 100000 };
	for (uint32_t i = 0; i < N; i++) {
		struct key k = key_of(i);
		bool added = false;
		uint32_t e = hmap_insert(&h, &k, &added);
		ck_assert(added);
		ck_assert_uint_eq(e, i);
		*(uint64_t *)hmap_val(&h, e) = (uint64_t)i * 10 + 1;
	}
	ck_assert_uint_eq(h.n, N);
	for (uint32_t i = 0; i < N; i++) {
		struct key k = key_of(i);
		uint32_t e = hmap_find(&h, &k);
		ck_assert_uint_eq(e, i);
		ck_assert_uint_eq(*(uint64_t *)hmap_val(&h, e),
				  (uint64_t)i * 10 + 1);
		ck_assert_mem_eq(hmap_key(&h, e), &k, sizeof(k));
		/* A second insert finds the entry and keeps its value. */
		bool added = true;
		ck_assert_uint_eq(hmap_insert(&h, &k, &added), i);
		ck_assert(!added);
		ck_assert_uint_eq(*(uint64_t *)hmap_val(&h, e),
				  (uint64_t)i * 10 + 1);
	}
	ck_assert_uint_eq(h.n, N);
	for (uint32_t i = N; i < N + 1000; i++) {
		struct key k = key_of(i);
		ck_assert_uint_eq(hmap_find(&h, &k), HMAP_NONE);
	}
	/* One byte of difference is another key. */
	struct key k = key_of(5);
	k.e = 1;
	ck_assert_uint_eq(hmap_find(&h, &k), HMAP_NONE);
	hmap_free(&h);
	ck_assert_uint_eq(h.n, 0);
	ck_assert_uint_eq(hmap_find(&h, &k0), HMAP_NONE);
	/* Reusable after free. */
	ck_assert_uint_eq(hmap_insert(&h, &k0, NULL), 0);
	ck_assert_uint_eq(hmap_find(&h, &k0), 0);
	hmap_free(&h);
	hmap_free(NULL);
}
END_TEST

START_TEST(string_keys)
{
	struct hmap h;
	hmap_init(&h, 0, sizeof(uint32_t));
	enum { N = 5000 };
	char **names = calloc(N, sizeof(*names));
	for (uint32_t i = 0; i < N; i++) {
		names[i] = malloc(16);
		snprintf(names[i], 16, "v%u-i%u", i / 1000, i);
		bool added;
		uint32_t e = hmap_insert(&h, names[i], &added);
		ck_assert(added);
		*(uint32_t *)hmap_val(&h, e) = i;
	}
	for (uint32_t i = 0; i < N; i++) {
		/* Another copy of the same text finds the same entry. */
		char copy[16];
		snprintf(copy, sizeof(copy), "v%u-i%u", i / 1000, i);
		uint32_t e = hmap_find(&h, copy);
		ck_assert_uint_eq(e, i);
		ck_assert_uint_eq(*(uint32_t *)hmap_val(&h, e), i);
		ck_assert_ptr_eq(hmap_key(&h, e), names[i]);
	}
	ck_assert_uint_eq(hmap_find(&h, "v0-i"), HMAP_NONE);
	ck_assert_uint_eq(hmap_find(&h, ""), HMAP_NONE);
	ck_assert_uint_eq(hmap_insert(&h, "", NULL), N);
	ck_assert_uint_eq(hmap_find(&h, ""), N);
	hmap_free(&h);
	for (uint32_t i = 0; i < N; i++)
		free(names[i]);
	free(names);
}
END_TEST

/* A reserved map takes its keys without growing (its tables stay where
 * they are) and finds them all; one key more grows it.  A zeroed map is
 * a set of strings. */
START_TEST(reserved_and_zeroed)
{
	struct hmap h;
	hmap_init(&h, sizeof(uint32_t), sizeof(uint32_t));
	enum { N = 3000 };
	hmap_reserve(&h, N);
	const uint64_t *slots = h.slots;
	const unsigned char *entries = h.entries;
	for (uint32_t i = 0; i < N; i++) {
		uint32_t k = i * 2654435761u;
		*(uint32_t *)hmap_val(&h, hmap_insert(&h, &k, NULL)) = i;
	}
	ck_assert_ptr_eq(h.slots, slots);
	ck_assert_ptr_eq(h.entries, entries);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t k = i * 2654435761u;
		uint32_t e = hmap_find(&h, &k);
		ck_assert_uint_ne(e, HMAP_NONE);
		ck_assert_uint_eq(*(uint32_t *)hmap_val(&h, e), i);
	}
	/* Reserving less than it holds changes nothing. */
	hmap_reserve(&h, 10);
	ck_assert_ptr_eq(h.slots, slots);
	hmap_free(&h);

	struct hmap set = {0};
	ck_assert_uint_eq(hmap_find(&set, "a"), HMAP_NONE);
	bool added;
	ck_assert_uint_eq(hmap_insert(&set, "a", &added), 0);
	ck_assert(added);
	ck_assert_uint_eq(hmap_insert(&set, "b", &added), 1);
	ck_assert_uint_eq(hmap_insert(&set, "a", &added), 0);
	ck_assert(!added);
	ck_assert_str_eq(hmap_key(&set, 1), "b");
	hmap_free(&set);
}
END_TEST

START_TEST(hashes_spread)
{
	/* Keys that differ in one bit land in many different low bits. */
	uint32_t seen[256] = {0};
	for (uint32_t i = 0; i < 4096; i++)
		seen[hash_bytes(&i, sizeof(i)) & 255]++;
	for (int b = 0; b < 256; b++)
		ck_assert_uint_gt(seen[b], 0);
	ck_assert_uint_ne(hash_str("a"), hash_str("b"));
	ck_assert_uint_eq(hash_str("web"), hash_str("web"));
}
END_TEST

Suite *hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("hash");
	tcase_add_test(tc, fixed_keys);
	tcase_add_test(tc, string_keys);
	tcase_add_test(tc, hashes_spread);
	tcase_add_test(tc, reserved_and_zeroed);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * See hash.h.  Invariants: slots has mask + 1 words, a power of two at
 * least twice n, so a probe always ends at an empty slot; every entry is
 * in exactly one slot (with the high half of its hash), reached from its hash's
 * home slot by stepping forward (linear probing) over occupied slots only.
 * Entries are never removed, which keeps the probe sequences unbroken without
 * tombstones.
 */
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* The finaliser of MurmurHash3: every input bit moves every output bit,
 * so the low bits that pick a slot depend on all of the key. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0x100000001b3ull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ mix64(w)) * 0x100000001b3ull;
		b += 8;
		n -= 8;
	}
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)b[i] << (8 * i);
	return mix64(h ^ mix64(w));
}

uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then mixed */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return mix64(h);
}

void hmap_init(struct hmap *h, size_t key_size, size_t val_size)
{
	memset(h, 0, sizeof(*h));
	h->key_size = key_size;
	h->val_size = val_size;
	size_t k = key_size ? key_size : sizeof(const char *);
	/* Values start at an 8-byte boundary, and so does every entry. */
	h->entry_size = ((k + 7) & ~(size_t)7) + ((val_size + 7) & ~(size_t)7);
	if (!h->entry_size)
		h->entry_size = 8;
}

void hmap_free(struct hmap *h)
{
	if (!h)
		return;
	free(h->entries);
	free(h->hashes);
	free(h->slots);
	hmap_init(h, h->key_size, h->val_size);
}

static unsigned char *entry(const struct hmap *h, uint32_t i)
{
	return h->entries + (size_t)i * h->entry_size;
}

const void *hmap_key(const struct hmap *h, uint32_t i)
{
	if (h->key_size)
		return entry(h, i);
	const char *s;
	memcpy(&s, entry(h, i), sizeof(s));
	return s;
}

void *hmap_val(const struct hmap *h, uint32_t i)
{
	size_t k = h->key_size ? h->key_size : sizeof(const char *);
	return entry(h, i) + ((k + 7) & ~(size_t)7);
}

static uint64_t key_hash(const struct hmap *h, const void *key)
{
	return h->key_size ? hash_bytes(key, h->key_size) : hash_str(key);
}

/* A slot's word: the entry number + 1, and the hash's high half. */
static uint64_t slot_word(uint32_t i, uint64_t hash)
{
	return (hash & 0xffffffff00000000ull) | (uint64_t)(i + 1);
}

static bool key_eq(const struct hmap *h, uint64_t slot, uint64_t hash,
		   const void *key)
{
	/* The slot's high half of the hash decides nearly every mismatch;
	 * the entry's own hash is not read (one cache miss fewer in a big
	 * map), the key is. */
	if ((slot ^ hash) >> 32)
		return false;
	uint32_t i = (uint32_t)slot - 1;
	if (h->key_size)
		return !memcmp(entry(h, i), key, h->key_size);
	return !strcmp(hmap_key(h, i), key);
}

/* The slot holding key, or the empty slot where it would go. */
static uint32_t probe(const struct hmap *h, uint64_t hash, const void *key)
{
	uint32_t s = (uint32_t)hash & h->mask;
	while (h->slots[s] && !key_eq(h, h->slots[s], hash, key))
		s = (s + 1) & h->mask;
	return s;
}

uint32_t hmap_find(const struct hmap *h, const void *key)
{
	if (!h->n)
		return HMAP_NONE;
	uint32_t s = probe(h, key_hash(h, key), key);
	return h->slots[s] ? (uint32_t)h->slots[s] - 1 : HMAP_NONE;
}

/* Makes the slot table n_slots long (a power of two, at least 16) and
 * puts every entry back by its hash. */
static void resize_slots(struct hmap *h, uint32_t n_slots)
{
	if (n_slots < 16 || n_slots > (UINT32_MAX >> 1))
		die_oom();
	free(h->slots);
	h->slots = xcalloc(n_slots, sizeof(*h->slots));
	h->mask = n_slots - 1;
	for (uint32_t i = 0; i < h->n; i++) {
		uint32_t s = (uint32_t)h->hashes[i] & h->mask;
		while (h->slots[s])
			s = (s + 1) & h->mask;
		h->slots[s] = slot_word(i, h->hashes[i]);
	}
}

/* Doubles the slot table. */
static void grow_slots(struct hmap *h)
{
	resize_slots(h, h->slots ? (h->mask + 1) * 2 : 16);
}

void hmap_reserve(struct hmap *h, uint32_t n)
{
	if (!h->entry_size)
		hmap_init(h, 0, 0);
	if (n > UINT32_MAX / 4)
		die_oom();
	uint64_t want = 16;
	while (want < (uint64_t)n * 2)
		want *= 2;
	if (!h->slots || want > (uint64_t)h->mask + 1)
		resize_slots(h, (uint32_t)want);
	if (n > h->cap) {
		h->cap = n;
		h->entries = xreallocarray(h->entries, h->cap, h->entry_size);
		h->hashes = xreallocarray(h->hashes, h->cap, sizeof(uint64_t));
	}
}

uint32_t hmap_insert(struct hmap *h, const void *key, bool *added)
{
	if (!h->entry_size) /* zeroed: a set of strings */
		hmap_init(h, 0, 0);
	uint64_t hash = key_hash(h, key);
	if (!h->slots || (uint64_t)(h->n + 1) * 2 > (uint64_t)h->mask + 1)
		grow_slots(h);
	uint32_t s = probe(h, hash, key);
	if (h->slots[s]) {
		if (added)
			*added = false;
		return (uint32_t)h->slots[s] - 1;
	}
	if (h->n == h->cap) {
		if (h->cap >= UINT32_MAX / 2)
			die_oom();
		h->cap = h->cap ? 2 * h->cap : 16;
		h->entries = xreallocarray(h->entries, h->cap, h->entry_size);
		h->hashes = xreallocarray(h->hashes, h->cap, sizeof(uint64_t));
	}
	uint32_t i = h->n++;
	unsigned char *e = entry(h, i);
	memset(e, 0, h->entry_size);
	if (h->key_size)
		memcpy(e, key, h->key_size);
	else
		memcpy(e, &key, sizeof(key));
	h->hashes[i] = hash;
	h->slots[s] = slot_word(i, hash);
	if (added)
		*added = true;
	return i;
}

/*
 * A hash map with fixed-size keys and values (base/hash.c), for the
 * lookups that sit inside loops: flows by (source, destination, port),
 * questions by (source class, destination class, flow), rows by resource.
 *
 * Entries live in one dense array in insertion order, so walking them is
 * deterministic and an entry's number is stable; an open-addressing table
 * of entry numbers (linear probing, at most half full) finds them.  Keys
 * are compared byte for byte: zero a key struct (memset, or = {0}) before
 * setting its fields, so that padding compares equal.  A map made with
 * key size 0 has string keys: the key is a NUL-terminated `const char *`
 * that the map borrows (it must outlive the map), hashed and compared by
 * its text.  A zeroed map (= {0}) is an empty set of strings: key size 0,
 * no values.
 */
#ifndef VPCSIM_HASH_H
#define VPCSIM_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HMAP_NONE UINT32_MAX

struct hmap {
	size_t key_size, val_size;
	size_t entry_size;	/* key, then value, aligned */
	unsigned char *entries; /* n entries of entry_size, in order */
	uint64_t *hashes;	/* per entry */
	uint32_t n, cap;
	/* Per slot: the entry number + 1 in the low half (0: empty) and the
	 * high half of its hash, so a probe compares hashes in the slot
	 * array alone and reads an entry only for a likely match. */
	uint64_t *slots;
	uint32_t mask; /* slots - 1, a power of two minus one */
};

/* An empty map; nothing is allocated until the first insert.  key_size 0
 * makes a map of string keys (see above). */
void hmap_init(struct hmap *h, size_t key_size, size_t val_size);
/* Frees what the map allocated (not borrowed string keys); NULL is fine.
 * The map is empty and reusable afterwards. */
void hmap_free(struct hmap *h);

/* Room for n entries in all, so that inserting up to n grows nothing
 * (a map about to take a known number of keys). */
void hmap_reserve(struct hmap *h, uint32_t n);
/* The entry number of key, or HMAP_NONE.  For a string map key is the
 * string itself. */
uint32_t hmap_find(const struct hmap *h, const void *key);
/* The entry number of key, adding it (value zeroed; *added true) when it
 * is not there.  Pointers from hmap_val and hmap_key are invalid after an
 * insert that adds; entry numbers stay.  OOM aborts. */
uint32_t hmap_insert(struct hmap *h, const void *key, bool *added);

/* Entry i's value and key (i < h->n); for a string map the key is the
 * borrowed string. */
void *hmap_val(const struct hmap *h, uint32_t i);
const void *hmap_key(const struct hmap *h, uint32_t i);

/* The hashes the map uses, for callers that combine them. */
uint64_t hash_bytes(const void *p, size_t n);
uint64_t hash_str(const char *s);

#endif

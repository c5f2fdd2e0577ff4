/*
 * IPv6 longest-prefix match (lpm6.h): an uncompressed binary trie whose
 * nodes live in one growing array and point to each other by index, so
 * freeing is one call and a deep trie needs no recursion.  Node 0 is the
 * root (::/0); index 0 as a child means "none", which the root never is.
 */
#include "sim/lpm6.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

struct lpm6_node {
	uint32_t child[2];
	uint32_t value;
	bool has_value;
};

struct lpm6 {
	struct lpm6_node *v;
	uint32_t n, cap;
};

static unsigned bit_at(const uint8_t a[16], unsigned depth)
{
	return a[depth / 8] >> (7 - depth % 8) & 1;
}

struct lpm6 *lpm6_new(void)
{
	struct lpm6 *t = xcalloc(1, sizeof(*t));
	t->cap = 16;
	t->v = xcalloc(t->cap, sizeof(*t->v));
	t->n = 1;
	return t;
}

void lpm6_free(struct lpm6 *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

void lpm6_insert(struct lpm6 *t, struct cidr6 prefix, uint32_t value)
{
	uint32_t n = 0;
	for (unsigned depth = 0; depth < prefix.len && depth < 128; depth++) {
		unsigned b = bit_at(prefix.addr, depth);
		if (!t->v[n].child[b]) {
			if (t->n == t->cap) {
				t->cap *= 2;
				t->v =
				    xreallocarray(t->v, t->cap, sizeof(*t->v));
			}
			memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
			t->v[n].child[b] = t->n++;
		}
		n = t->v[n].child[b];
	}
	t->v[n].value = value;
	t->v[n].has_value = true;
}

bool lpm6_lookup(const struct lpm6 *t, const uint8_t addr[16],
		 uint32_t *value_out)
{
	uint32_t n = 0;
	bool found = false;
	for (unsigned depth = 0;; depth++) {
		if (t->v[n].has_value) {
			*value_out = t->v[n].value;
			found = true;
		}
		if (depth == 128)
			break;
		uint32_t next = t->v[n].child[bit_at(addr, depth)];
		if (!next)
			break;
		n = next;
	}
	return found;
}

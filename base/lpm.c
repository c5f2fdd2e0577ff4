/*
 * Longest-prefix match: an uncompressed binary trie.
 *
 * The root stands for the empty prefix (/0); the node reached by following
 * the first k bits of an address, most significant first, stands for that
 * address's /k.  A node carries a value exactly when that prefix was
 * inserted.  Nodes are never removed, so every node is either valued or on
 * the path to a valued node, and the depth never exceeds 32 below the root,
 * which is what lets lpm_free recurse without worrying about the stack.
 */
#include "base/lpm.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

struct lpm_node {
	struct lpm_node *child[2];
	uint32_t value;
	bool has_value;
};

struct lpm {
	struct lpm_node *root;
};

static void *zalloc(size_t size)
{
	void *p = calloc(1, size);

	if (p == NULL) {
		fprintf(stderr, "vpcsim: out of memory\n");
		abort();
	}
	return p;
}

/* Bit depth of addr (0 = most significant) selects the child. */
static unsigned bit_at(uint32_t addr, unsigned depth)
{
	return addr >> (31 - depth) & 1;
}

struct lpm *lpm_new(void)
{
	struct lpm *t = zalloc(sizeof(*t));

	/* Allocated up front so /0 needs no special case anywhere. */
	t->root = zalloc(sizeof(*t->root));
	return t;
}

static void free_node(struct lpm_node *n)
{
	if (n == NULL)
		return;
	free_node(n->child[0]);
	free_node(n->child[1]);
	free(n);
}

void lpm_free(struct lpm *t)
{
	if (t == NULL)
		return;
	free_node(t->root);
	free(t);
}

void lpm_insert(struct lpm *t, struct cidr prefix, uint32_t value)
{
	struct lpm_node *n = t->root;

	assert(prefix.len <= 32);
	/* Only the first len bits are walked, so stray host bits in a
	 * non-canonical prefix cannot create a wrong, deeper route. */
	for (unsigned depth = 0; depth < prefix.len; depth++) {
		struct lpm_node **next = &n->child[bit_at(prefix.addr, depth)];

		if (*next == NULL)
			*next = zalloc(sizeof(**next));
		n = *next;
	}
	n->value = value;
	n->has_value = true;
}

bool lpm_lookup(const struct lpm *t, uint32_t addr, uint32_t *value_out,
		struct cidr *prefix_out)
{
	const struct lpm_node *n = t->root, *best = NULL;
	unsigned depth = 0, best_depth = 0;

	for (;;) {
		if (n->has_value) {
			best = n;
			best_depth = depth;
		}
		if (depth == 32)
			break;
		n = n->child[bit_at(addr, depth)];
		if (n == NULL)
			break;
		depth++;
	}
	if (best == NULL)
		return false;
	if (value_out != NULL)
		*value_out = best->value;
	if (prefix_out != NULL) {
		prefix_out->len = (uint8_t)best_depth;
		prefix_out->addr = addr & cidr_mask(prefix_out->len);
	}
	return true;
}

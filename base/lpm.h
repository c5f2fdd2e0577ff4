/*
 * Longest-prefix match over IPv4 prefixes: a binary trie, one node per
 * prefix bit, values on the nodes that end a prefix.
 *
 * Route tables are small, so the trie favours obvious correctness over
 * path compression; a lookup walks at most 33 nodes.  Inserting a prefix
 * twice replaces its value.  Memory is the heap's; running out aborts.
 */
#ifndef VPCSIM_LPM_H
#define VPCSIM_LPM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/cidr.h"

struct lpm; /* opaque */

/* Returns an empty trie, owned by the caller (lpm_free). */
struct lpm *lpm_new(void);
/* Frees the trie; accepts NULL. */
void lpm_free(struct lpm *t);
/* Bits of prefix.addr below prefix.len are ignored. */
void lpm_insert(struct lpm *t, struct cidr prefix, uint32_t value);
/* The value of the longest prefix containing addr; false when none does.
 * value_out and prefix_out may be NULL; neither is written on a miss. */
bool lpm_lookup(const struct lpm *t, uint32_t addr, uint32_t *value_out,
		struct cidr *prefix_out);

#endif

/*
 * Longest-prefix match over IPv6 prefixes, for the engine's IPv6 routes
 * (semantics §3): a binary trie in one array of nodes, one node per prefix
 * bit, values on the nodes that end a prefix.
 *
 * IPv6 is its own address family in the engine: each route table has an
 * IPv4 trie (base/lpm.h) and, when it holds IPv6 routes, one of these, so
 * IPv4 lookups never pay for 128-bit addresses.  Route tables hold few
 * IPv6 routes; the trie favours obvious correctness over compression.
 * Not a public header: sim/flow.c's.
 */
#ifndef VPCSIM_LPM6_H
#define VPCSIM_LPM6_H

#include <stdbool.h>
#include <stdint.h>

#include "base/cidr.h"

struct lpm6; /* opaque */

/* An empty trie, owned by the caller (lpm6_free). */
struct lpm6 *lpm6_new(void);
/* Accepts NULL. */
void lpm6_free(struct lpm6 *t);
/* Bits of prefix below its length are ignored; inserting a prefix twice
 * replaces its value. */
void lpm6_insert(struct lpm6 *t, struct cidr6 prefix, uint32_t value);
/* The value of the longest prefix holding addr; false when none does. */
bool lpm6_lookup(const struct lpm6 *t, const uint8_t addr[16],
		 uint32_t *value_out);

#endif

/*
 * Port sets: sorted arrays of disjoint, non-adjacent inclusive ranges.
 *
 * Invariant after every operation: r[i].lo <= r[i].hi and
 * r[i].hi + 1 < r[i+1].lo, so each set has exactly one representation and
 * equality is a memcmp.  Operations allow out to alias an input.  Memory is
 * the heap's; running out of it aborts.
 */
#ifndef VPCSIM_PORTS_H
#define VPCSIM_PORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct port_range {
	uint16_t lo, hi; /* inclusive */
};

struct ports {
	struct port_range *r;
	size_t n, cap;
};

#define PORTS_INIT                                                             \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void ports_init(struct ports *p);
/* Releases the ranges; p is empty and reusable afterwards.  Accepts NULL. */
void ports_free(struct ports *p);
void ports_clear(struct ports *p);
void ports_copy(struct ports *out, const struct ports *a);
/* Adds [lo, hi]; lo > hi is a caller bug (asserted). */
void ports_add(struct ports *p, uint16_t lo, uint16_t hi);
void ports_set_all(struct ports *p);
void ports_union(struct ports *out, const struct ports *a,
		 const struct ports *b);
void ports_intersect(struct ports *out, const struct ports *a,
		     const struct ports *b);
/* a minus b */
void ports_diff(struct ports *out, const struct ports *a,
		const struct ports *b);
/* 0..65535 minus a */
void ports_complement(struct ports *out, const struct ports *a);
bool ports_contains(const struct ports *p, uint16_t port);
/* Whether some port of [lo, hi] is in p. */
bool ports_meets(const struct ports *p, uint16_t lo, uint16_t hi);
/* Number of ports, 0..65536. */
uint32_t ports_count(const struct ports *p);
bool ports_empty(const struct ports *p);
bool ports_equal(const struct ports *a, const struct ports *b);
/* "22,80-443" style; "none" when empty, "all" when 0-65535.  Returns the
 * length snprintf would have written. */
size_t ports_format(char *buf, size_t size, const struct ports *p);

#endif

/*
 * Tests for base/ports.c.  The random tests hold every set twice: as a
 * struct ports and as a 65536-bit bitmap built independently from the same
 * ranges.  Set operations on bitmaps are trivially right (word-wise OR, AND,
 * AND NOT, NOT), so after each ports operation the result is converted back
 * to a bitmap and compared, and the representation invariant is checked.
 * Seeds are fixed and every failure message names the seed and iteration.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "base/ports.h"
#include <check.h>

#define WORDS (65536 / 64)

/* Like ck_assert_msg, but Check hears about the assertion only when it
 * fails: every passing ck_assert records a checkpoint, a pipe write in fork
 * mode, and the random tests assert millions of times. */
#define REQUIRE(cond, ...)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			ck_abort_msg(__VA_ARGS__);                             \
	} while (0)

struct bitmap {
	uint64_t w[WORDS];
};

/* xorshift64 */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint32_t rng_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(rng_next(s) % n);
}

static bool bm_test(const struct bitmap *b, uint32_t port)
{
	return b->w[port / 64] >> (port % 64) & 1;
}

static void bm_set(struct bitmap *b, uint32_t port)
{
	b->w[port / 64] |= (uint64_t)1 << (port % 64);
}

/* Sets [lo, hi]: whole words where aligned, single bits at the ragged
 * ends.  Self-checked against bm_set in the bitmap_fill test. */
static void bm_fill(struct bitmap *b, uint32_t lo, uint32_t hi)
{
	uint32_t i = lo;

	while (i <= hi) {
		if (i % 64 == 0 && i + 63 <= hi) {
			b->w[i / 64] = UINT64_MAX;
			i += 64;
		} else {
			bm_set(b, i);
			i++;
		}
	}
}

/* Whether any of [lo, hi] is set, by the same word/bit split as bm_fill;
 * also self-checked in bitmap_fill. */
static bool bm_any(const struct bitmap *b, uint32_t lo, uint32_t hi)
{
	uint32_t i = lo;

	while (i <= hi) {
		if (i % 64 == 0 && i + 63 <= hi) {
			if (b->w[i / 64] != 0)
				return true;
			i += 64;
		} else {
			if (bm_test(b, i))
				return true;
			i++;
		}
	}
	return false;
}

static uint32_t bm_count(const struct bitmap *b)
{
	uint32_t n = 0;

	for (int i = 0; i < WORDS; i++)
		for (uint64_t x = b->w[i]; x; x &= x - 1)
			n++;
	return n;
}

static void to_bitmap(const struct ports *p, struct bitmap *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < p->n; i++)
		bm_fill(b, p->r[i].lo, p->r[i].hi);
}

/* The header's invariant, plus the bookkeeping that makes it usable. */
static void check_invariant(const struct ports *p, const char *what,
			    uint64_t seed, int iter)
{
	REQUIRE(p->n <= p->cap, "%s: n %zu > cap %zu (seed %llu iter %d)", what,
		p->n, p->cap, (unsigned long long)seed, iter);
	REQUIRE(p->n == 0 || p->r != NULL,
		"%s: ranges without storage (seed %llu iter %d)", what,
		(unsigned long long)seed, iter);
	for (size_t i = 0; i < p->n; i++) {
		REQUIRE(p->r[i].lo <= p->r[i].hi,
			"%s: r[%zu] = %u-%u inverted (seed %llu iter %d)", what,
			i, p->r[i].lo, p->r[i].hi, (unsigned long long)seed,
			iter);
		if (i + 1 < p->n)
			REQUIRE((uint32_t)p->r[i].hi + 1 < p->r[i + 1].lo,
				"%s: r[%zu] = %u-%u touches %u-%u "
				"(seed %llu iter %d)",
				what, i, p->r[i].lo, p->r[i].hi, p->r[i + 1].lo,
				p->r[i + 1].hi, (unsigned long long)seed, iter);
	}
}

/* Invariant, and the same ports as the oracle. */
static void check_same(const struct ports *p, const struct bitmap *want,
		       const char *what, uint64_t seed, int iter)
{
	struct bitmap got;

	check_invariant(p, what, seed, iter);
	to_bitmap(p, &got);
	if (memcmp(&got, want, sizeof(got)) != 0) {
		uint32_t port = 0;

		while (bm_test(&got, port) == bm_test(want, port))
			port++;
		ck_abort_msg("%s: port %u is %s, should be %s (seed %llu "
			     "iter %d)",
			     what, port, bm_test(&got, port) ? "in" : "out",
			     bm_test(want, port) ? "in" : "out",
			     (unsigned long long)seed, iter);
	}
}

/* One endpoint: uniform, or (for kind 2) pulled towards 0 and 65535. */
static uint32_t random_port(uint64_t *s, int kind)
{
	static const uint16_t edges[] = {0,	1,     2,     63,   64,
					 65471, 65533, 65534, 65535};

	if (kind == 2 && rng_below(s, 2))
		return edges[rng_below(s, sizeof(edges) / sizeof(edges[0]))];
	if (kind == 3) /* crowd the ends so merges and adjacency abound */
		return rng_below(s, 2) ? rng_below(s, 200)
				       : 65535 - rng_below(s, 200);
	return rng_below(s, 65536);
}

struct range_list {
	struct port_range r[128];
	int n;
};

/*
 * kind 0: many narrow ranges; 1: a few wide ones; 2: endpoints often at
 * 0/65535 and word boundaries; 3: many tiny ranges crowded at both ends.
 */
static void random_ranges(uint64_t *s, struct range_list *l)
{
	static const uint32_t max_n[] = {60, 6, 8, 120};
	int kind = (int)rng_below(s, 4);

	l->n = (int)rng_below(s, max_n[kind] + 1);
	for (int i = 0; i < l->n; i++) {
		uint32_t lo = random_port(s, kind), hi;

		switch (kind) {
		case 0:
			hi = lo + rng_below(s, 17);
			break;
		case 3:
			hi = lo + rng_below(s, 4);
			break;
		default:
			hi = random_port(s, kind);
			if (hi < lo) {
				uint32_t t = lo;

				lo = hi;
				hi = t;
			}
		}
		if (hi > 65535)
			hi = 65535;
		l->r[i].lo = (uint16_t)lo;
		l->r[i].hi = (uint16_t)hi;
	}
}

static void build(const struct range_list *l, struct ports *p, struct bitmap *b,
		  uint64_t seed, int iter)
{
	ports_clear(p);
	memset(b, 0, sizeof(*b));
	for (int i = 0; i < l->n; i++) {
		ports_add(p, l->r[i].lo, l->r[i].hi);
		bm_fill(b, l->r[i].lo, l->r[i].hi);
		check_invariant(p, "ports_add", seed, iter);
	}
	check_same(p, b, "built set", seed, iter);
}

/* The same set as l, added in another order and in split pieces. */
static void build_shuffled(uint64_t *s, const struct range_list *l,
			   struct ports *p)
{
	int order[128];

	for (int i = 0; i < l->n; i++)
		order[i] = i;
	for (int i = l->n - 1; i > 0; i--) {
		int j = (int)rng_below(s, (uint32_t)i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	ports_clear(p);
	for (int i = 0; i < l->n; i++) {
		const struct port_range *r = &l->r[order[i]];
		uint32_t cut =
		    r->lo + rng_below(s, (uint32_t)r->hi - r->lo + 1);

		ports_add(p, (uint16_t)cut, r->hi);
		if (cut > r->lo)
			ports_add(p, r->lo, (uint16_t)(cut - 1));
	}
}

static void bm_or(struct bitmap *o, const struct bitmap *a,
		  const struct bitmap *b)
{
	for (int i = 0; i < WORDS; i++)
		o->w[i] = a->w[i] | b->w[i];
}

static void bm_and(struct bitmap *o, const struct bitmap *a,
		   const struct bitmap *b)
{
	for (int i = 0; i < WORDS; i++)
		o->w[i] = a->w[i] & b->w[i];
}

static void bm_andnot(struct bitmap *o, const struct bitmap *a,
		      const struct bitmap *b)
{
	for (int i = 0; i < WORDS; i++)
		o->w[i] = a->w[i] & ~b->w[i];
}

static void bm_not(struct bitmap *o, const struct bitmap *a)
{
	for (int i = 0; i < WORDS; i++)
		o->w[i] = ~a->w[i];
}

/* op with a fresh-ish out, out == a, out == b, and out == a == b. */
static void check_binop(void (*op)(struct ports *, const struct ports *,
				   const struct ports *),
			const char *name, const struct ports *a,
			const struct ports *b, const struct bitmap *want,
			const struct bitmap *want_self,
			const struct bitmap *bm_a, const struct bitmap *bm_b,
			struct ports *out, uint64_t seed, int iter)
{
	struct ports c = PORTS_INIT;
	char what[64];

	op(out, a, b);
	snprintf(what, sizeof(what), "%s(out, a, b)", name);
	check_same(out, want, what, seed, iter);
	/* Inputs are untouched when out is distinct. */
	check_same(a, bm_a, "input a", seed, iter);
	check_same(b, bm_b, "input b", seed, iter);

	ports_copy(&c, a);
	op(&c, &c, b);
	snprintf(what, sizeof(what), "%s(a, a, b)", name);
	check_same(&c, want, what, seed, iter);
	check_same(b, bm_b, "input b", seed, iter);

	ports_copy(&c, b);
	op(&c, a, &c);
	snprintf(what, sizeof(what), "%s(b, a, b)", name);
	check_same(&c, want, what, seed, iter);
	check_same(a, bm_a, "input a", seed, iter);

	ports_copy(&c, a);
	op(&c, &c, &c);
	snprintf(what, sizeof(what), "%s(a, a, a)", name);
	check_same(&c, want_self, what, seed, iter);

	ports_free(&c);
}

static void check_queries(uint64_t *s, const struct ports *p,
			  const struct bitmap *b, uint64_t seed, int iter)
{
	uint32_t count = bm_count(b);

	REQUIRE(ports_count(p) == count,
		"count %u, want %u (seed %llu iter %d)", ports_count(p), count,
		(unsigned long long)seed, iter);
	REQUIRE(ports_empty(p) == (count == 0), "empty (seed %llu iter %d)",
		(unsigned long long)seed, iter);

	/* Probe 0, 65535, and both sides of every range boundary. */
	for (size_t i = 0; i <= p->n; i++) {
		uint32_t probes[4];
		int np = 0;

		if (i < p->n) {
			probes[np++] = p->r[i].lo;
			probes[np++] = p->r[i].hi;
			if (p->r[i].lo > 0)
				probes[np++] = p->r[i].lo - 1u;
			if (p->r[i].hi < 65535)
				probes[np++] = p->r[i].hi + 1u;
		} else {
			probes[np++] = 0;
			probes[np++] = 65535;
		}
		for (int k = 0; k < np; k++)
			REQUIRE(ports_contains(p, (uint16_t)probes[k]) ==
				    bm_test(b, probes[k]),
				"contains(%u) (seed %llu iter %d)", probes[k],
				(unsigned long long)seed, iter);
	}
	for (int k = 0; k < 200; k++) {
		uint32_t port = rng_below(s, 65536);
		uint32_t lo = port, hi;

		REQUIRE(ports_contains(p, (uint16_t)port) == bm_test(b, port),
			"contains(%u) (seed %llu iter %d)", port,
			(unsigned long long)seed, iter);
		/* Narrow and wide windows, some pinned to the edges. */
		switch (k % 4) {
		case 0:
			hi = lo + rng_below(s, 8);
			break;
		case 1:
			hi = lo + rng_below(s, 65536 - lo);
			break;
		case 2:
			lo = 0;
			hi = rng_below(s, 65536);
			break;
		default:
			hi = 65535;
		}
		if (hi > 65535)
			hi = 65535;
		REQUIRE(ports_meets(p, (uint16_t)lo, (uint16_t)hi) ==
			    bm_any(b, lo, hi),
			"meets(%u, %u) (seed %llu iter %d)", lo, hi,
			(unsigned long long)seed, iter);
	}
	/* Windows exactly spanning each gap between ranges miss. */
	for (size_t i = 0; i + 1 < p->n; i++)
		REQUIRE(!ports_meets(p, p->r[i].hi + 1u, p->r[i + 1].lo - 1u),
			"meets(gap %zu) (seed %llu iter %d)", i,
			(unsigned long long)seed, iter);
}

START_TEST(bitmap_fill)
{
	/* The oracle's own word-filling shortcut against single bits. */
	static const uint32_t ends[] = {
	    0, 1, 62, 63, 64, 65, 127, 128, 1000, 65471, 65472, 65534, 65535};
	size_t n = sizeof(ends) / sizeof(ends[0]);
	static struct bitmap fast, slow;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++) {
			memset(&fast, 0, sizeof(fast));
			memset(&slow, 0, sizeof(slow));
			bm_fill(&fast, ends[i], ends[j]);
			for (uint32_t p = ends[i]; p <= ends[j]; p++)
				bm_set(&slow, p);
			REQUIRE(memcmp(&fast, &slow, sizeof(fast)) == 0,
				"bm_fill(%u, %u)", ends[i], ends[j]);
			ck_assert_uint_eq(bm_count(&fast),
					  ends[j] - ends[i] + 1);
			for (size_t k = 0; k < n; k++) {
				memset(&slow, 0, sizeof(slow));
				bm_set(&slow, ends[k]);
				REQUIRE(bm_any(&slow, ends[i], ends[j]) ==
					    (ends[i] <= ends[k] &&
					     ends[k] <= ends[j]),
					"bm_any(%u, %u) with %u", ends[i],
					ends[j], ends[k]);
			}
		}
}
END_TEST

START_TEST(ports_random_ops)
{
	const uint64_t base = 0x9047u;
	/* Static: 8 KiB bitmaps add up on the stack. */
	static struct bitmap bm_a, bm_b, want, want_self, tmp;
	static struct range_list la, lb;
	struct ports a = PORTS_INIT, b = PORTS_INIT, out = PORTS_INIT;
	struct ports c = PORTS_INIT;

	for (int iter = 0; iter < 400; iter++) {
		uint64_t seed = base + (uint64_t)iter * 0x9e3779b97f4a7c15u;
		uint64_t s = seed;
		bool same;

		random_ranges(&s, &la);
		build(&la, &a, &bm_a, seed, iter);
		/* One set in eight is a, rebuilt differently, so equality
		 * and diff-to-empty get exercised. */
		same = rng_below(&s, 8) == 0;
		if (same) {
			build_shuffled(&s, &la, &b);
			bm_b = bm_a;
			check_same(&b, &bm_b, "shuffled rebuild", seed, iter);
		} else {
			random_ranges(&s, &lb);
			build(&lb, &b, &bm_b, seed, iter);
		}

		bm_or(&want, &bm_a, &bm_b);
		check_binop(ports_union, "union", &a, &b, &want, &bm_a, &bm_a,
			    &bm_b, &out, seed, iter);
		check_queries(&s, &out, &want, seed, iter);
		/* Union commutes and the representation is unique. */
		ports_union(&c, &b, &a);
		REQUIRE(ports_equal(&out, &c),
			"union not commutative (seed %llu iter %d)",
			(unsigned long long)seed, iter);

		bm_and(&want, &bm_a, &bm_b);
		check_binop(ports_intersect, "intersect", &a, &b, &want, &bm_a,
			    &bm_a, &bm_b, &out, seed, iter);
		check_queries(&s, &out, &want, seed, iter);

		bm_andnot(&want, &bm_a, &bm_b);
		memset(&want_self, 0, sizeof(want_self));
		check_binop(ports_diff, "diff", &a, &b, &want, &want_self,
			    &bm_a, &bm_b, &out, seed, iter);
		check_queries(&s, &out, &want, seed, iter);
		bm_andnot(&tmp, &bm_b, &bm_a);
		ports_diff(&out, &b, &a);
		check_same(&out, &tmp, "diff(out, b, a)", seed, iter);

		bm_not(&want, &bm_a);
		ports_complement(&out, &a);
		check_same(&out, &want, "complement(out, a)", seed, iter);
		check_same(&a, &bm_a, "input a", seed, iter);
		check_queries(&s, &out, &want, seed, iter);
		ports_copy(&c, &a);
		ports_complement(&c, &c);
		check_same(&c, &want, "complement(a, a)", seed, iter);
		ports_complement(&c, &c);
		check_same(&c, &bm_a, "complement twice", seed, iter);

		check_queries(&s, &a, &bm_a, seed, iter);
		check_queries(&s, &b, &bm_b, seed, iter);

		REQUIRE(ports_equal(&a, &b) ==
			    (memcmp(&bm_a, &bm_b, sizeof(bm_a)) == 0),
			"equal(a, b) (seed %llu iter %d)",
			(unsigned long long)seed, iter);
		REQUIRE(!same || ports_equal(&a, &b),
			"shuffled rebuild unequal (seed %llu iter %d)",
			(unsigned long long)seed, iter);
		ports_copy(&c, &a);
		check_same(&c, &bm_a, "copy", seed, iter);
		REQUIRE(ports_equal(&a, &c),
			"equal(a, copy of a) (seed %llu iter %d)",
			(unsigned long long)seed, iter);
		ports_copy(&c, &c);
		check_same(&c, &bm_a, "copy(a, a)", seed, iter);
	}
	ports_free(&a);
	ports_free(&b);
	ports_free(&out);
	ports_free(&c);
}
END_TEST

static void add_all(struct ports *p, const struct port_range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ports_add(p, r[i].lo, r[i].hi);
}

static void check_ranges(const struct ports *p, const struct port_range *r,
			 size_t n)
{
	check_invariant(p, "fixed case", 0, 0);
	ck_assert_uint_eq(p->n, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(p->r[i].lo, r[i].lo);
		ck_assert_uint_eq(p->r[i].hi, r[i].hi);
	}
}

START_TEST(ports_add_merges)
{
	struct ports p = PORTS_INIT;

	ports_add(&p, 10, 20);
	ports_add(&p, 22, 30);
	check_ranges(&p, (struct port_range[]){{10, 20}, {22, 30}}, 2);
	ports_add(&p, 21, 21); /* fills the gap: adjacency merges */
	check_ranges(&p, (struct port_range[]){{10, 30}}, 1);
	ports_add(&p, 31, 31);
	ports_add(&p, 9, 9);
	check_ranges(&p, (struct port_range[]){{9, 31}}, 1);
	ports_add(&p, 15, 16); /* inside: no change */
	check_ranges(&p, (struct port_range[]){{9, 31}}, 1);
	ports_add(&p, 0, 0);
	ports_add(&p, 65535, 65535);
	ports_add(&p, 100, 200);
	check_ranges(
	    &p,
	    (struct port_range[]){{0, 0}, {9, 31}, {100, 200}, {65535, 65535}},
	    4);
	ports_add(&p, 5, 150); /* swallows two ranges, extends to 200 */
	check_ranges(
	    &p, (struct port_range[]){{0, 0}, {5, 200}, {65535, 65535}}, 3);
	ports_add(&p, 1, 65534); /* bridges both edges */
	check_ranges(&p, (struct port_range[]){{0, 65535}}, 1);
	ports_free(&p);

	add_all(&p,
		(struct port_range[]){{50, 60}, {10, 20}, {30, 40}, {70, 80}},
		4);
	check_ranges(
	    &p, (struct port_range[]){{10, 20}, {30, 40}, {50, 60}, {70, 80}},
	    4);
	ports_add(&p, 41, 49); /* joins its two neighbours exactly */
	check_ranges(&p, (struct port_range[]){{10, 20}, {30, 60}, {70, 80}},
		     3);
	ports_add(&p, 0, 65535);
	check_ranges(&p, (struct port_range[]){{0, 65535}}, 1);
	ports_free(&p);
}
END_TEST

START_TEST(ports_lifecycle)
{
	struct ports p, q = PORTS_INIT;

	ports_init(&p);
	ck_assert(ports_empty(&p));
	ck_assert_uint_eq(ports_count(&p), 0);
	ck_assert(!ports_contains(&p, 0));
	ck_assert(!ports_meets(&p, 0, 65535));
	ck_assert(ports_equal(&p, &q));

	ports_set_all(&p);
	check_ranges(&p, (struct port_range[]){{0, 65535}}, 1);
	ck_assert_uint_eq(ports_count(&p), 65536);
	ck_assert(ports_contains(&p, 0) && ports_contains(&p, 65535));

	ports_complement(&q, &p);
	ck_assert(ports_empty(&q));
	ports_complement(&q, &q);
	ck_assert(ports_equal(&p, &q));

	ports_clear(&p);
	ck_assert(ports_empty(&p));
	ports_add(&p, 443, 443);
	ck_assert_uint_eq(ports_count(&p), 1);
	ports_free(&p);
	ck_assert(ports_empty(&p));
	ports_free(&p); /* twice is fine */
	ports_free(NULL);
	ports_add(&p, 1, 2); /* reusable after free */
	ck_assert_uint_eq(ports_count(&p), 2);

	/* Empty inputs on either side of every operation. */
	ports_clear(&q);
	ports_union(&q, &q, &p);
	ck_assert(ports_equal(&q, &p));
	ports_clear(&q);
	ports_intersect(&q, &p, &q);
	ck_assert(ports_empty(&q));
	ports_diff(&q, &p, &q);
	ck_assert(ports_equal(&q, &p));
	ports_diff(&q, &q, &p);
	ck_assert(ports_empty(&q));
	ports_free(&p);
	ports_free(&q);
}
END_TEST

static void check_format(const struct port_range *r, size_t n, const char *want)
{
	struct ports p = PORTS_INIT;
	char buf[64];
	size_t len;

	add_all(&p, r, n);
	memset(buf, 'X', sizeof(buf));
	len = ports_format(buf, sizeof(buf), &p);
	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
	ports_free(&p);
}

START_TEST(ports_format_cases)
{
	check_format(NULL, 0, "none");
	check_format((struct port_range[]){{0, 65535}}, 1, "all");
	check_format((struct port_range[]){{22, 22}}, 1, "22");
	check_format((struct port_range[]){{80, 443}, {22, 22}}, 2,
		     "22,80-443");
	check_format((struct port_range[]){{0, 65534}}, 1, "0-65534");
	check_format((struct port_range[]){{1, 65535}}, 1, "1-65535");
	check_format((struct port_range[]){{0, 0}, {65535, 65535}}, 2,
		     "0,65535");
	check_format((struct port_range[]){{0, 1}, {3, 4}, {6, 6}}, 3,
		     "0-1,3-4,6");
	/* Pieces added as all-but-one still print as ranges. */
	check_format((struct port_range[]){{0, 999}, {1001, 65535}}, 2,
		     "0-999,1001-65535");
}
END_TEST

START_TEST(ports_format_truncates)
{
	struct ports p = PORTS_INIT;
	char buf[16];

	ports_add(&p, 22, 22);
	ports_add(&p, 80, 443); /* "22,80-443", 9 chars */

	ck_assert_uint_eq(ports_format(NULL, 0, &p), 9);
	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(ports_format(buf, 0, &p), 9);
	ck_assert_int_eq(buf[0], 'X'); /* size 0 writes nothing */
	ck_assert_uint_eq(ports_format(buf, 1, &p), 9);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(ports_format(buf, 5, &p), 9);
	ck_assert_str_eq(buf, "22,8");
	ck_assert_int_eq(buf[5], 'X'); /* nothing past size */
	ck_assert_uint_eq(ports_format(buf, 9, &p), 9);
	ck_assert_str_eq(buf, "22,80-44");
	ck_assert_uint_eq(ports_format(buf, 10, &p), 9);
	ck_assert_str_eq(buf, "22,80-443");

	ports_clear(&p);
	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(ports_format(buf, 3, &p), 4);
	ck_assert_str_eq(buf, "no");
	ck_assert_int_eq(buf[3], 'X');
	ports_set_all(&p);
	ck_assert_uint_eq(ports_format(buf, 3, &p), 3);
	ck_assert_str_eq(buf, "al");
	ports_free(&p);
}
END_TEST

Suite *ports_suite(void)
{
	Suite *s = suite_create("ports");
	TCase *tc;

	tc = tcase_create("oracle");
	tcase_add_test(tc, bitmap_fill);
	suite_add_tcase(s, tc);

	tc = tcase_create("random_ops");
	/* Slow under sanitizers; the default 4 s is for unit tests. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, ports_random_ops);
	suite_add_tcase(s, tc);

	tc = tcase_create("add");
	tcase_add_test(tc, ports_add_merges);
	tcase_add_test(tc, ports_lifecycle);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, ports_format_cases);
	tcase_add_test(tc, ports_format_truncates);
	suite_add_tcase(s, tc);

	return s;
}

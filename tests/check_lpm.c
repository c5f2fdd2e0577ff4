/*
 * Tests for base/lpm.c.  The random test keeps each route table twice: in
 * the trie and in a flat array that a naive oracle scans for the longest
 * containing prefix.  Tables are built to be nasty for a trie (prefixes
 * nested inside and around earlier ones, duplicates, /0 and /32), and the
 * lookups aim at prefix interiors and at the addresses just outside them.
 */
#include <check.h>
#include <stdio.h>

#include "base/lpm.h"
#include <check.h>

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

static struct cidr mk(const char *s)
{
	struct cidr c;
	int rc = cidr_parse(&c, s);

	ck_assert_msg(rc == 0, "cidr_parse(\"%s\") = %d", s, rc);
	return c;
}

static uint32_t ip(const char *s)
{
	uint32_t a;

	ck_assert_msg(addr_parse(&a, s) == 0, "addr_parse(\"%s\")", s);
	return a;
}

/* Like ck_assert_msg, but Check hears about the assertion only when it
 * fails: every passing ck_assert records a checkpoint, a pipe write in fork
 * mode, and the random test asserts over a million times. */
#define REQUIRE(cond, ...)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			ck_abort_msg(__VA_ARGS__);                             \
	} while (0)

#define MAX_ROUTES 96

struct route {
	struct cidr prefix;
	uint32_t value;
};

struct table {
	struct route r[MAX_ROUTES];
	int n;
};

static void oracle_insert(struct table *t, struct cidr p, uint32_t value)
{
	for (int i = 0; i < t->n; i++)
		if (t->r[i].prefix.addr == p.addr &&
		    t->r[i].prefix.len == p.len) {
			t->r[i].value = value;
			return;
		}
	t->r[t->n].prefix = p;
	t->r[t->n].value = value;
	t->n++;
}

static const struct route *oracle_lookup(const struct table *t, uint32_t addr)
{
	const struct route *best = NULL;

	for (int i = 0; i < t->n; i++) {
		const struct route *r = &t->r[i];
		uint32_t mask =
		    r->prefix.len ? UINT32_MAX << (32 - r->prefix.len) : 0;

		if ((addr & mask) == r->prefix.addr &&
		    (best == NULL || r->prefix.len > best->prefix.len))
			best = r;
	}
	return best;
}

static struct cidr random_prefix(uint64_t *s, const struct table *t)
{
	struct cidr p;
	uint32_t bits = (uint32_t)rng_next(s);

	if (t->n == 0 || rng_below(s, 3) == 0) {
		p.len = (uint8_t)rng_below(s, 33);
		p.addr = bits & cidr_mask(p.len);
		return p;
	}
	/* Nest inside, or wrap around, a route already in the table by
	 * keeping the first bits of its address. */
	struct cidr base = t->r[rng_below(s, (uint32_t)t->n)].prefix;

	if (rng_below(s, 2))
		p.len = (uint8_t)(base.len + rng_below(s, 33u - base.len));
	else
		p.len = (uint8_t)rng_below(s, base.len + 1u);
	p.addr = ((base.addr & cidr_mask(base.len)) |
		  (bits & ~cidr_mask(base.len))) &
		 cidr_mask(p.len);
	return p;
}

static uint32_t random_addr(uint64_t *s, const struct table *t)
{
	uint32_t bits = (uint32_t)rng_next(s);
	struct cidr p;

	if (t->n == 0 || rng_below(s, 3) == 0)
		return bits;
	p = t->r[rng_below(s, (uint32_t)t->n)].prefix;
	switch (rng_below(s, 5)) {
	case 0:
		return p.addr;
	case 1:
		return cidr_last(p);
	case 2:
		return p.addr - 1; /* wraps at 0.0.0.0: still an address */
	case 3:
		return cidr_last(p) + 1;
	default:
		return p.addr | (bits & ~cidr_mask(p.len));
	}
}

START_TEST(lpm_random_vs_oracle)
{
	const uint64_t base = 0x1e4du;
	static struct table t;

	for (int iter = 0; iter < 250; iter++) {
		uint64_t seed = base + (uint64_t)iter * 0x9e3779b97f4a7c15u;
		uint64_t s = seed;
		struct lpm *trie = lpm_new();
		int n = (int)rng_below(&s, MAX_ROUTES + 1);

		t.n = 0;
		for (int i = 0; i < n; i++) {
			struct cidr p;
			uint32_t v = (uint32_t)rng_next(&s);

			/* One insert in eight repeats a prefix. */
			if (t.n > 0 && rng_below(&s, 8) == 0)
				p = t.r[rng_below(&s, (uint32_t)t.n)].prefix;
			else
				p = random_prefix(&s, &t);
			lpm_insert(trie, p, v);
			oracle_insert(&t, p, v);
		}
		for (int k = 0; k < 2500; k++) {
			uint32_t addr = random_addr(&s, &t);
			const struct route *want = oracle_lookup(&t, addr);
			uint32_t value = 0;
			struct cidr got = {0, 0};
			bool found;
			char a[ADDR_STRLEN], w[CIDR_STRLEN], g[CIDR_STRLEN];

			if (k % 7 == 0)
				found = lpm_lookup(trie, addr, &value, NULL);
			else
				found = lpm_lookup(trie, addr, &value, &got);
			addr_format(a, addr);
			if (want == NULL) {
				REQUIRE(!found,
					"%s matched, should not "
					"(seed %llu iter %d)",
					a, (unsigned long long)seed, iter);
				continue;
			}
			cidr_format(w, want->prefix);
			REQUIRE(found,
				"%s unmatched, want %s (seed %llu "
				"iter %d)",
				a, w, (unsigned long long)seed, iter);
			REQUIRE(value == want->value,
				"%s: value %u, want %u from %s (seed "
				"%llu iter %d)",
				a, value, want->value, w,
				(unsigned long long)seed, iter);
			if (k % 7 == 0)
				continue;
			cidr_format(g, got);
			REQUIRE(got.addr == want->prefix.addr &&
				    got.len == want->prefix.len,
				"%s: matched %s, want %s (seed %llu "
				"iter %d)",
				a, g, w, (unsigned long long)seed, iter);
		}
		lpm_free(trie);
	}
}
END_TEST

START_TEST(lpm_empty)
{
	struct lpm *t = lpm_new();
	uint32_t v = 7;
	struct cidr p = {1, 2};

	ck_assert(!lpm_lookup(t, 0, &v, &p));
	ck_assert(!lpm_lookup(t, UINT32_MAX, &v, &p));
	ck_assert(!lpm_lookup(t, ip("10.0.0.1"), &v, NULL));
	lpm_free(t);
	lpm_free(NULL);
}
END_TEST

START_TEST(lpm_nested)
{
	static const struct {
		const char *prefix;
		uint32_t value;
	} routes[] = {
	    {"10.1.2.3/32", 4}, {"10.0.0.0/8", 1},     {"10.1.2.0/24", 3},
	    {"10.1.0.0/16", 2}, {"192.168.0.0/16", 5},
	};
	static const struct {
		const char *addr, *prefix;
		uint32_t value;
	} lookups[] = {
	    {"10.1.2.3", "10.1.2.3/32", 4},
	    {"10.1.2.4", "10.1.2.0/24", 3},
	    {"10.1.2.2", "10.1.2.0/24", 3},
	    {"10.1.3.0", "10.1.0.0/16", 2},
	    {"10.1.1.255", "10.1.0.0/16", 2},
	    {"10.2.0.0", "10.0.0.0/8", 1},
	    {"10.255.255.255", "10.0.0.0/8", 1},
	    {"192.168.255.255", "192.168.0.0/16", 5},
	};
	struct lpm *t = lpm_new();
	uint32_t v;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		lpm_insert(t, mk(routes[i].prefix), routes[i].value);
	for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		struct cidr p;
		char buf[CIDR_STRLEN];

		ck_assert_msg(lpm_lookup(t, ip(lookups[i].addr), &v, &p),
			      "%s unmatched", lookups[i].addr);
		ck_assert_uint_eq(v, lookups[i].value);
		cidr_format(buf, p);
		ck_assert_str_eq(buf, lookups[i].prefix);
	}
	ck_assert(!lpm_lookup(t, ip("9.255.255.255"), &v, NULL));
	ck_assert(!lpm_lookup(t, ip("11.0.0.0"), &v, NULL));
	ck_assert(!lpm_lookup(t, ip("192.169.0.0"), &v, NULL));
	lpm_free(t);
}
END_TEST

START_TEST(lpm_default_route)
{
	struct lpm *t = lpm_new();
	uint32_t v;
	struct cidr p;

	lpm_insert(t, mk("0.0.0.0/0"), 100);
	ck_assert(lpm_lookup(t, 0, &v, &p));
	ck_assert_uint_eq(v, 100);
	ck_assert_uint_eq(p.len, 0);
	ck_assert_uint_eq(p.addr, 0);
	ck_assert(lpm_lookup(t, UINT32_MAX, &v, &p));
	ck_assert_uint_eq(v, 100);

	lpm_insert(t, mk("255.255.255.255/32"), 200);
	lpm_insert(t, mk("0.0.0.0/32"), 300);
	ck_assert(lpm_lookup(t, UINT32_MAX, &v, &p));
	ck_assert_uint_eq(v, 200);
	ck_assert_uint_eq(p.len, 32);
	ck_assert(lpm_lookup(t, UINT32_MAX - 1, &v, &p));
	ck_assert_uint_eq(v, 100);
	ck_assert(lpm_lookup(t, 0, &v, &p));
	ck_assert_uint_eq(v, 300);
	ck_assert_uint_eq(p.len, 32);
	ck_assert(lpm_lookup(t, 1, &v, &p));
	ck_assert_uint_eq(v, 100);
	ck_assert_uint_eq(p.len, 0);
	lpm_free(t);
}
END_TEST

START_TEST(lpm_replace)
{
	struct lpm *t = lpm_new();
	uint32_t v;
	struct cidr p;

	lpm_insert(t, mk("10.0.0.0/8"), 1);
	lpm_insert(t, mk("10.0.0.0/16"), 2);
	lpm_insert(t, mk("10.0.0.0/8"), 3);
	ck_assert(lpm_lookup(t, ip("10.9.9.9"), &v, &p));
	ck_assert_uint_eq(v, 3);
	ck_assert_uint_eq(p.len, 8);
	/* The longer route under it is unaffected. */
	ck_assert(lpm_lookup(t, ip("10.0.9.9"), &v, &p));
	ck_assert_uint_eq(v, 2);
	ck_assert_uint_eq(p.len, 16);

	lpm_insert(t, mk("0.0.0.0/0"), 4);
	lpm_insert(t, mk("0.0.0.0/0"), 5);
	ck_assert(lpm_lookup(t, ip("11.0.0.0"), &v, &p));
	ck_assert_uint_eq(v, 5);
	lpm_insert(t, mk("10.0.0.1/32"), 6);
	lpm_insert(t, mk("10.0.0.1/32"), 0); /* 0 is a value like any */
	ck_assert(lpm_lookup(t, ip("10.0.0.1"), &v, &p));
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(p.len, 32);
	lpm_free(t);
}
END_TEST

/* A prefix whose ancestors were created only as path nodes must not match
 * through them. */
START_TEST(lpm_path_nodes_unvalued)
{
	struct lpm *t = lpm_new();
	uint32_t v;

	lpm_insert(t, mk("10.1.2.0/24"), 1);
	ck_assert(!lpm_lookup(t, ip("10.1.3.0"), &v, NULL));
	ck_assert(!lpm_lookup(t, ip("10.0.0.0"), &v, NULL));
	ck_assert(lpm_lookup(t, ip("10.1.2.77"), &v, NULL));
	ck_assert_uint_eq(v, 1);
	lpm_free(t);
}
END_TEST

Suite *lpm_suite(void)
{
	Suite *s = suite_create("lpm");
	TCase *tc;

	tc = tcase_create("fixed");
	tcase_add_test(tc, lpm_empty);
	tcase_add_test(tc, lpm_nested);
	tcase_add_test(tc, lpm_default_route);
	tcase_add_test(tc, lpm_replace);
	tcase_add_test(tc, lpm_path_nodes_unvalued);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, lpm_random_vs_oracle);
	suite_add_tcase(s, tc);

	return s;
}

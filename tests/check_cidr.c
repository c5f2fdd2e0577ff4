/*
 * Tests for base/cidr.c: table-driven parse/format cases for every
 * acceptance and rejection class, edge cases of the block predicates, and
 * randomized round trips.  The IPv6 random tests use the C library's
 * inet_pton/inet_ntop as an independent oracle, restricted to inputs where
 * RFC 4291/5952 leave those functions no latitude.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "base/cidr.h"
#include <check.h>

/* xorshift64: fixed seeds so a failure reproduces; messages print them. */
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

/* Like ck_assert_msg, but Check hears about the assertion only when it
 * fails: every passing ck_assert records a checkpoint, a pipe write in fork
 * mode, which the random loops would otherwise do a hundred thousand
 * times. */
#define REQUIRE(cond, ...)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			ck_abort_msg(__VA_ARGS__);                             \
	} while (0)

static struct cidr mk(const char *s)
{
	struct cidr c;
	int rc = cidr_parse(&c, s);

	ck_assert_msg(rc == 0, "cidr_parse(\"%s\") = %d", s, rc);
	return c;
}

static struct cidr6 mk6(const char *s)
{
	struct cidr6 c;
	int rc = cidr6_parse(&c, s);

	ck_assert_msg(rc == 0, "cidr6_parse(\"%s\") = %d", s, rc);
	return c;
}

/* --- addresses --- */

START_TEST(addr_accepts)
{
	static const struct {
		const char *s;
		uint32_t v;
	} cases[] = {
	    {"0.0.0.0", 0},
	    {"255.255.255.255", 0xffffffffu},
	    {"10.0.0.1", 0x0a000001u},
	    {"192.168.100.200", 0xc0a864c8u},
	    {"1.10.100.0", 0x010a6400u},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t v = 0x12345678;
		char buf[ADDR_STRLEN];

		ck_assert_int_eq(addr_parse(&v, cases[i].s), 0);
		ck_assert_uint_eq(v, cases[i].v);
		addr_format(buf, v);
		ck_assert_str_eq(buf, cases[i].s);
	}
}
END_TEST

START_TEST(addr_rejects)
{
	static const char *const bad[] = {
	    "",		 "1.2.3",
	    "1.2.3.4.5", "256.0.0.0",
	    "1.2.3.256", "1000.0.0.0",
	    "01.2.3.4",	 "1.2.3.04",
	    "1.2.3.00",	 "00.0.0.0",
	    " 1.2.3.4",	 "1.2.3.4 ",
	    "+1.2.3.4",	 "1.-2.3.4",
	    "1..2.3",	 "1.2.3.",
	    ".1.2.3",	 "1.2.3.4/",
	    "1.2.3.4x",	 "a.b.c.d",
	    "0x1.2.3.4", "1.2.3.4.",
	    "1,2,3,4",	 "4294967295",
	    "1.2. 3.4",	 "99999999999999999999.0.0.0",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t v = 0x12345678;

		ck_assert_msg(addr_parse(&v, bad[i]) == CIDR_EINVAL,
			      "accepted \"%s\"", bad[i]);
		ck_assert_msg(v == 0x12345678, "\"%s\" clobbered out", bad[i]);
	}
}
END_TEST

/* --- IPv4 blocks: parsing --- */

START_TEST(cidr_round_trip)
{
	static const char *const good[] = {
	    "0.0.0.0/0",	  "10.0.0.0/8",		"172.16.0.0/12",
	    "192.168.1.0/24",	  "10.1.2.3/32",	"128.0.0.0/1",
	    "255.255.255.254/31", "255.255.255.255/32", "0.0.0.0/32",
	    "100.64.0.0/10",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char buf[CIDR_STRLEN];

		cidr_format(buf, mk(good[i]));
		ck_assert_str_eq(buf, good[i]);
	}
}
END_TEST

START_TEST(cidr_round_trip_random)
{
	const uint64_t seed = 0xc1d2c1d2u;
	uint64_t s = seed;

	for (int i = 0; i < 20000; i++) {
		struct cidr c, back;
		char buf[CIDR_STRLEN];

		c.len = (uint8_t)rng_below(&s, 33);
		c.addr = (uint32_t)rng_next(&s) & cidr_mask(c.len);
		cidr_format(buf, c);
		REQUIRE(cidr_parse(&back, buf) == 0 && back.addr == c.addr &&
			    back.len == c.len,
			"seed %llu iter %d: \"%s\" did not round-trip",
			(unsigned long long)seed, i, buf);
	}
}
END_TEST

START_TEST(cidr_parse_fields)
{
	struct cidr c = mk("192.168.1.0/24");

	ck_assert_uint_eq(c.addr, 0xc0a80100u);
	ck_assert_uint_eq(c.len, 24);
	c = mk("0.0.0.0/0");
	ck_assert_uint_eq(c.addr, 0);
	ck_assert_uint_eq(c.len, 0);
}
END_TEST

START_TEST(cidr_rejects)
{
	static const char *const bad[] = {
	    /* empty / missing pieces */
	    "",
	    "/",
	    "/8",
	    "10.0.0.0",
	    "10.0.0.0/",
	    "10.0.0/8",
	    /* bad octets */
	    "256.0.0.0/8",
	    "10.0.0.300/32",
	    "10.0.0.-1/32",
	    "a.0.0.0/8",
	    /* leading zeros */
	    "010.0.0.0/8",
	    "10.00.0.0/16",
	    "10.0.0.0/08",
	    "0.0.0.0/00",
	    /* out-of-range or signed length */
	    "10.0.0.0/33",
	    "10.0.0.0/100",
	    "10.0.0.0/-1",
	    "10.0.0.0/+8",
	    "10.0.0.0/4294967304",
	    /* junk */
	    "10.0.0.0/8x",
	    "10.0.0.0/8 ",
	    " 10.0.0.0/8",
	    "10.0.0.0 /8",
	    "10.0.0.0/ 8",
	    "10.0.0.0//8",
	    "10.0.0.0/8/8",
	    "10.0.0.0/0x8",
	    "10.0.0.0.0/8",
	    "10.0.0.0\\8",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cidr c;

		ck_assert_msg(cidr_parse(&c, bad[i]) == CIDR_EINVAL,
			      "accepted \"%s\"", bad[i]);
	}
}
END_TEST

START_TEST(cidr_host_bits)
{
	static const struct {
		const char *in, *canon;
	} cases[] = {
	    {"10.0.0.1/8", "10.0.0.0/8"},
	    {"192.168.1.130/25", "192.168.1.128/25"},
	    {"255.255.255.255/0", "0.0.0.0/0"},
	    {"255.255.255.255/31", "255.255.255.254/31"},
	    {"10.1.2.3/16", "10.1.0.0/16"},
	    {"128.0.0.1/1", "128.0.0.0/1"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cidr c;
		char buf[CIDR_STRLEN];

		ck_assert_msg(cidr_parse(&c, cases[i].in) == CIDR_EHOSTBITS,
			      "\"%s\" not EHOSTBITS", cases[i].in);
		cidr_format(buf, c);
		ck_assert_str_eq(buf, cases[i].canon);
	}
	/* A /32 has no host bits, whatever the address. */
	ck_assert_uint_eq(mk("10.0.0.1/32").addr, 0x0a000001u);
}
END_TEST

/* --- IPv4 blocks: arithmetic and predicates --- */

START_TEST(cidr_mask_size_last)
{
	ck_assert_uint_eq(cidr_mask(0), 0);
	ck_assert_uint_eq(cidr_mask(1), 0x80000000u);
	ck_assert_uint_eq(cidr_mask(8), 0xff000000u);
	ck_assert_uint_eq(cidr_mask(24), 0xffffff00u);
	ck_assert_uint_eq(cidr_mask(31), 0xfffffffeu);
	ck_assert_uint_eq(cidr_mask(32), 0xffffffffu);
	for (uint8_t len = 0; len <= 32; len++) {
		struct cidr c = {0, len};

		/* Popcount of the mask is the prefix length. */
		uint32_t m = cidr_mask(len);
		unsigned bits = 0;

		for (; m; m <<= 1)
			bits++;
		ck_assert_uint_eq(bits, len);
		ck_assert_uint_eq(cidr_size(c), (uint64_t)1 << (32 - len));
	}
	ck_assert_uint_eq(cidr_size(mk("0.0.0.0/0")), 4294967296ull);
	ck_assert_uint_eq(cidr_size(mk("10.0.0.1/32")), 1);
	ck_assert_uint_eq(cidr_size(mk("10.0.0.0/24")), 256);
	ck_assert_uint_eq(cidr_last(mk("0.0.0.0/0")), 0xffffffffu);
	ck_assert_uint_eq(cidr_last(mk("10.0.0.7/32")), 0x0a000007u);
	ck_assert_uint_eq(cidr_last(mk("10.0.0.0/24")), 0x0a0000ffu);
	ck_assert_uint_eq(cidr_last(mk("255.255.255.0/24")), 0xffffffffu);
}
END_TEST

START_TEST(cidr_contains_edges)
{
	struct cidr all = mk("0.0.0.0/0");
	struct cidr net = mk("10.0.0.0/24");
	struct cidr host = mk("10.0.0.5/32");

	ck_assert(cidr_contains_addr(all, 0));
	ck_assert(cidr_contains_addr(all, 0xffffffffu));
	ck_assert(cidr_contains_addr(net, 0x0a000000u));
	ck_assert(cidr_contains_addr(net, 0x0a0000ffu));
	ck_assert(!cidr_contains_addr(net, 0x0a000100u));
	ck_assert(!cidr_contains_addr(net, 0x09ffffffu));
	ck_assert(cidr_contains_addr(host, 0x0a000005u));
	ck_assert(!cidr_contains_addr(host, 0x0a000004u));
	ck_assert(!cidr_contains_addr(host, 0x0a000006u));

	ck_assert(cidr_contains(all, all));
	ck_assert(cidr_contains(all, net));
	ck_assert(cidr_contains(all, host));
	ck_assert(!cidr_contains(net, all));
	ck_assert(cidr_contains(net, net));
	ck_assert(cidr_contains(net, host));
	ck_assert(!cidr_contains(host, net));
	ck_assert(cidr_contains(host, host));
	ck_assert(!cidr_contains(host, mk("10.0.0.6/32")));
	/* Same address, longer outer prefix: not contained. */
	ck_assert(!cidr_contains(mk("10.0.0.0/25"), mk("10.0.0.0/24")));
	ck_assert(!cidr_contains(net, mk("10.0.1.0/24")));
	ck_assert(!cidr_contains(mk("10.0.0.0/24"), mk("10.0.0.0/23")));
}
END_TEST

START_TEST(cidr_overlaps_edges)
{
	static const struct {
		const char *a, *b;
		bool overlap;
	} cases[] = {
	    {"0.0.0.0/0", "0.0.0.0/0", true},
	    {"0.0.0.0/0", "255.255.255.255/32", true},
	    {"0.0.0.0/0", "10.0.0.0/8", true},
	    {"10.0.0.0/8", "10.255.0.0/16", true},
	    {"10.0.0.0/25", "10.0.0.128/25", false}, /* adjacent halves */
	    {"10.0.0.0/24", "10.0.1.0/24", false},   /* adjacent blocks */
	    {"10.0.0.0/23", "10.0.1.0/24", true},
	    {"10.0.0.5/32", "10.0.0.5/32", true},
	    {"10.0.0.5/32", "10.0.0.6/32", false},
	    {"0.0.0.0/1", "128.0.0.0/1", false},
	    {"127.255.255.255/32", "128.0.0.0/1", false},
	    {"128.0.0.0/32", "128.0.0.0/1", true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cidr a = mk(cases[i].a), b = mk(cases[i].b);

		ck_assert_msg(cidr_overlaps(a, b) == cases[i].overlap,
			      "overlaps(%s, %s)", cases[i].a, cases[i].b);
		ck_assert_msg(cidr_overlaps(b, a) == cases[i].overlap,
			      "overlaps(%s, %s)", cases[i].b, cases[i].a);
	}
}
END_TEST

/* Overlap must agree with the interval definition on random blocks. */
START_TEST(cidr_overlaps_random)
{
	const uint64_t seed = 0x0de1a9u;
	uint64_t s = seed;

	for (int i = 0; i < 20000; i++) {
		struct cidr a, b;
		bool want;

		a.len = (uint8_t)rng_below(&s, 33);
		b.len = (uint8_t)rng_below(&s, 33);
		a.addr = (uint32_t)rng_next(&s) & cidr_mask(a.len);
		/* Share a random-length prefix with a so overlaps happen. */
		b.addr = (a.addr & cidr_mask((uint8_t)rng_below(&s, 33))) |
			 ((uint32_t)rng_next(&s) & ~cidr_mask(a.len));
		b.addr &= cidr_mask(b.len);
		want = a.addr <= cidr_last(b) && b.addr <= cidr_last(a);
		REQUIRE(cidr_overlaps(a, b) == want, "seed %llu iter %d",
			(unsigned long long)seed, i);
		REQUIRE(cidr_contains(a, b) ==
			    (a.addr <= b.addr && cidr_last(b) <= cidr_last(a)),
			"seed %llu iter %d", (unsigned long long)seed, i);
	}
}
END_TEST

START_TEST(cidr_cmp_order)
{
	/* Strictly increasing under the documented order. */
	static const char *const sorted[] = {
	    "0.0.0.0/0",   "0.0.0.0/1",	  "0.0.0.0/32",		"10.0.0.0/8",
	    "10.0.0.0/16", "10.0.0.0/24", "10.0.0.1/32",	"10.0.1.0/24",
	    "11.0.0.0/8",  "128.0.0.0/1", "255.255.255.255/32",
	};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int want = i < j ? -1 : i > j ? 1 : 0;
			int got = cidr_cmp(mk(sorted[i]), mk(sorted[j]));

			ck_assert_msg((got > 0) - (got < 0) == want,
				      "cmp(%s, %s) = %d", sorted[i], sorted[j],
				      got);
		}
}
END_TEST

/* --- IPv6 --- */

START_TEST(cidr6_canonical)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"2001:db8::/32", "2001:db8::/32"},
	    {"::/0", "::/0"},
	    {"::1/128", "::1/128"},
	    {"2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128"},
	    {"::ffff:10.0.0.1/128", "::ffff:a00:1/128"},
	    {"2001:DB8::/32", "2001:db8::/32"},
	    {"2001:0db8:0000:0000:0000:0000:0000:0001/128", "2001:db8::1/128"},
	    {"0:0:0:0:0:0:0:0/0", "::/0"},
	    {"0:0:0:0:0:0:0:1/128", "::1/128"},
	    {"1:0:0:0:0:0:0:0/128", "1::/128"},
	    {"1::/16", "1::/16"},
	    /* A single zero group is never compressed (RFC 5952 4.2.2). */
	    {"2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128"},
	    {"1:2:3:4:5:6:7::/128", "1:2:3:4:5:6:7:0/128"},
	    {"::2:3:4:5:6:7:8/128", "0:2:3:4:5:6:7:8/128"},
	    /* The longest run wins, else the first (RFC 5952 4.2.3). */
	    {"2001:0:0:1:0:0:0:1/128", "2001:0:0:1::1/128"},
	    {"1:0:0:2:0:0:3:4/128", "1::2:0:0:3:4/128"},
	    {"0:0:1:0:0:0:2:3/128", "0:0:1::2:3/128"},
	    {"1:0:0:0:2:0:0:0/128", "1::2:0:0:0/128"},
	    /* Leading zeros dropped, lowercase. */
	    {"00AB:0C00:000D:F000::/64", "ab:c00:d:f000::/64"},
	    {"FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF/128",
	     "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"},
	    /* Embedded IPv4 tails. */
	    {"1:2:3:4:5:6:1.2.3.4/128", "1:2:3:4:5:6:102:304/128"},
	    {"::1.2.3.4/128", "::102:304/128"},
	    {"64:ff9b::192.0.2.33/128", "64:ff9b::c000:221/128"},
	    {"::ffff:0.0.0.0/96", "::ffff:0:0/96"},
	    {"1::255.255.255.255/128", "1::ffff:ffff/128"},
	    /* "::" standing for exactly one group is still valid input. */
	    {"1:2:3::5:6:7:8/128", "1:2:3:0:5:6:7:8/128"},
	    {"fe80::/10", "fe80::/10"},
	    {"2001:db8:8000::/33", "2001:db8:8000::/33"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[CIDR6_STRLEN];

		cidr6_format(buf, mk6(cases[i].in));
		ck_assert_msg(strcmp(buf, cases[i].out) == 0,
			      "\"%s\" formatted as \"%s\", want \"%s\"",
			      cases[i].in, buf, cases[i].out);
	}
}
END_TEST

START_TEST(cidr6_parse_bytes)
{
	static const uint8_t want[16] = {0x20, 0x01, 0x0d, 0xb8, 0,  0, 0, 0,
					 0,    0,    0,	   0,	 10, 0, 0, 1};
	struct cidr6 c = mk6("2001:db8::10.0.0.1/128");

	ck_assert_mem_eq(c.addr, want, 16);
	ck_assert_uint_eq(c.len, 128);
	c = mk6("::/0");
	ck_assert_uint_eq(c.len, 0);
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(c.addr[i], 0);
}
END_TEST

START_TEST(cidr6_rejects)
{
	static const char *const bad[] = {
	    /* structure */
	    "",
	    "/0",
	    "::",
	    ":::/0",
	    ":::1/128",
	    "1:::2/128",
	    "1::2::3/128",
	    "::1::/128",
	    ":1::/128",
	    "1::2:/128",
	    ":/0",
	    "1:/16",
	    "1:2:3:4:5:6:7/128",
	    "1:2:3:4:5:6:7:8:9/128",
	    "1:2:3:4:5:6:7:8::/128",
	    "::1:2:3:4:5:6:7:8/128",
	    "1:2:3:4::5:6:7:8/128",
	    "1:2:3:4:5:6:7:8:/128",
	    ":1:2:3:4:5:6:7:8/128",
	    /* groups */
	    "12345::/16",
	    "::12345/128",
	    "g::/16",
	    "1:2:3:4:5:6:7:z/128",
	    "-1::/16",
	    "+1::/16",
	    "0x1::/16",
	    " ::/0",
	    ":: /0",
	    "1 ::/16",
	    /* IPv4 tails */
	    "::ffff:10.0.0/128",
	    "::ffff:10.0.0.256/128",
	    "::ffff:010.0.0.1/128",
	    "1:2:3:4:5:6:7:1.2.3.4/128",
	    "1:2:3:4:5:6::1.2.3.4/128",
	    "::1.2.3.4:5/128",
	    "1.2.3.4::/128",
	    "::1.2.3.4.5/128",
	    "::1a.2.3.4/128",
	    "::ffff:1.2.3.4::/128",
	    "1.2.3.4/32",
	    /* prefix length */
	    "::/129",
	    "::/01",
	    "::/",
	    "::/-0",
	    "::/+1",
	    "::/ 0",
	    "::/1000",
	    "2001:db8::/32x",
	    "2001:db8::/32 ",
	    "2001:db8::/32/32",
	    "2001:db8::",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cidr6 c;

		ck_assert_msg(cidr6_parse(&c, bad[i]) == CIDR_EINVAL,
			      "accepted \"%s\"", bad[i]);
	}
}
END_TEST

START_TEST(cidr6_host_bits)
{
	static const struct {
		const char *in, *canon;
	} cases[] = {
	    {"2001:db8::1/32", "2001:db8::/32"},
	    {"::1/127", "::/127"},
	    {"ffff::/0", "::/0"},
	    {"fe80::1/10", "fe80::/10"},
	    {"febf::/10", "fe80::/10"},
	    {"2001:db8:c000::/33", "2001:db8:8000::/33"},
	    {"::ffff:10.0.0.1/120", "::ffff:a00:0/120"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cidr6 c;
		char buf[CIDR6_STRLEN];

		ck_assert_msg(cidr6_parse(&c, cases[i].in) == CIDR_EHOSTBITS,
			      "\"%s\" not EHOSTBITS", cases[i].in);
		cidr6_format(buf, c);
		ck_assert_str_eq(buf, cases[i].canon);
	}
}
END_TEST

START_TEST(cidr6_predicates)
{
	static const struct {
		const char *a, *b;
		bool a_in_b, b_in_a;
	} cases[] = {
	    {"::/0", "::/0", true, true},
	    {"::/0", "ffff::1/128", false, true},
	    {"2001:db8::/32", "2001:db8:1::/48", false, true},
	    {"2001:db8::/32", "2001:db9::/32", false, false},
	    {"2001:db8::/33", "2001:db8:8000::/33", false, false},
	    {"2001:db8::/32", "2001:db8::/33", false, true},
	    {"2001:db8:8000::/33", "2001:db8:ffff::1/128", false, true},
	    {"::1/128", "::1/128", true, true},
	    {"::1/128", "::2/128", false, false},
	    {"::/1", "8000::/1", false, false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cidr6 a = mk6(cases[i].a), b = mk6(cases[i].b);
		bool overlap = cases[i].a_in_b || cases[i].b_in_a;

		ck_assert_msg(cidr6_contains(b, a) == cases[i].a_in_b,
			      "contains(%s, %s)", cases[i].b, cases[i].a);
		ck_assert_msg(cidr6_contains(a, b) == cases[i].b_in_a,
			      "contains(%s, %s)", cases[i].a, cases[i].b);
		ck_assert_msg(cidr6_overlaps(a, b) == overlap,
			      "overlaps(%s, %s)", cases[i].a, cases[i].b);
		ck_assert_msg(cidr6_overlaps(b, a) == overlap,
			      "overlaps(%s, %s)", cases[i].b, cases[i].a);
	}
}
END_TEST

/* Random addresses with many zero groups, so runs and ties are common. */
static void random_addr6(uint64_t *s, uint8_t a[16])
{
	for (int i = 0; i < 8; i++) {
		uint16_t g = 0;

		switch (rng_below(s, 4)) {
		case 0:
		case 1:
			break;
		case 2:
			g = (uint16_t)rng_below(s, 16);
			break;
		default:
			g = (uint16_t)rng_next(s);
		}
		a[2 * i] = (uint8_t)(g >> 8);
		a[2 * i + 1] = (uint8_t)g;
	}
}

/*
 * Writes a random, valid, usually non-canonical text form of a: optional
 * zero padding and upper case per group, an optional "::" over any run of
 * zero groups (even a single one), and an optional dotted IPv4 tail.
 */
static void random_text6(uint64_t *s, const uint8_t a[16], char *out)
{
	uint16_t g[8];
	int gap = -1, gap_len = 0, groups = 8;
	bool v4 = rng_below(s, 4) == 0;
	char *p = out;

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	if (v4)
		groups = 6;
	if (rng_below(s, 4) != 0) {
		/* Pick a random zero run among the hex groups. */
		int start = (int)rng_below(s, (uint32_t)groups);

		while (start < groups && g[start] != 0)
			start++;
		if (start < groups) {
			int end = start;

			while (end < groups && g[end] == 0)
				end++;
			gap = start;
			gap_len =
			    1 + (int)rng_below(s, (uint32_t)(end - start));
		}
	}
	for (int i = 0; i < groups; i++) {
		int n;

		if (i == gap) {
			*p++ = ':';
			*p++ = ':';
			i += gap_len - 1;
			continue;
		}
		if (i > 0 && i != gap + gap_len)
			*p++ = ':';
		n = sprintf(p, rng_below(s, 2) ? "%.*x" : "%.*X",
			    (int)rng_below(s, 5), (unsigned)g[i]);
		/* "%.0x" of zero prints nothing; a group needs a digit. */
		if (n == 0)
			*p++ = '0';
		p += n;
	}
	if (v4) {
		if (p > out && p[-1] != ':')
			*p++ = ':';
		p += sprintf(p, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
	}
	*p = '\0';
}

START_TEST(cidr6_random_vs_libc)
{
	const uint64_t seed = 0x5eed6u;
	uint64_t s = seed;

	for (int i = 0; i < 20000; i++) {
		uint8_t a[16], ref[16];
		char text[80], with_len[90], buf[CIDR6_STRLEN];
		char libc[INET6_ADDRSTRLEN];
		struct cidr6 c;
		bool v4_form;

		random_addr6(&s, a);
		random_text6(&s, a, text);
		REQUIRE(inet_pton(AF_INET6, text, ref) == 1,
			"seed %llu iter %d: generator made \"%s\"",
			(unsigned long long)seed, i, text);
		REQUIRE(memcmp(ref, a, 16) == 0,
			"seed %llu iter %d: generator wrote \"%s\" for "
			"another address",
			(unsigned long long)seed, i, text);

		snprintf(with_len, sizeof(with_len), "%s/128", text);
		REQUIRE(cidr6_parse(&c, with_len) == 0 &&
			    memcmp(c.addr, a, 16) == 0 && c.len == 128,
			"seed %llu iter %d: \"%s\" misparsed",
			(unsigned long long)seed, i, with_len);

		/* libc prints ::a.b.c.d and ::ffff:a.b.c.d forms when the
		 * first five groups are zero; RFC 5952 allows that, we don't
		 * do it, so skip those. */
		cidr6_format(buf, c);
		v4_form = true;
		for (int k = 0; k < 10; k++)
			if (a[k] != 0)
				v4_form = false;
		if (!v4_form) {
			REQUIRE(inet_ntop(AF_INET6, a, libc, sizeof(libc)),
				"inet_ntop failed");
			strcat(libc, "/128");
			REQUIRE(strcmp(buf, libc) == 0,
				"seed %llu iter %d: \"%s\" vs libc \"%s\"",
				(unsigned long long)seed, i, buf, libc);
		}

		/* Canonical text parses back to the same block. */
		c.len = (uint8_t)rng_below(&s, 129);
		for (int k = 0; k < 16; k++) {
			int keep = (int)c.len - 8 * k;

			if (keep <= 0)
				c.addr[k] = 0;
			else if (keep < 8)
				c.addr[k] &= (uint8_t)(0xff << (8 - keep));
		}
		{
			struct cidr6 back;

			cidr6_format(buf, c);
			REQUIRE(cidr6_parse(&back, buf) == 0 &&
				    memcmp(back.addr, c.addr, 16) == 0 &&
				    back.len == c.len,
				"seed %llu iter %d: \"%s\" did not "
				"round-trip",
				(unsigned long long)seed, i, buf);
		}
	}
}
END_TEST

Suite *cidr_suite(void)
{
	Suite *s = suite_create("cidr");
	TCase *tc;

	tc = tcase_create("addr");
	tcase_add_test(tc, addr_accepts);
	tcase_add_test(tc, addr_rejects);
	suite_add_tcase(s, tc);

	tc = tcase_create("cidr_parse");
	tcase_add_test(tc, cidr_round_trip);
	tcase_add_test(tc, cidr_round_trip_random);
	tcase_add_test(tc, cidr_parse_fields);
	tcase_add_test(tc, cidr_rejects);
	tcase_add_test(tc, cidr_host_bits);
	suite_add_tcase(s, tc);

	tc = tcase_create("cidr_predicates");
	tcase_add_test(tc, cidr_mask_size_last);
	tcase_add_test(tc, cidr_contains_edges);
	tcase_add_test(tc, cidr_overlaps_edges);
	tcase_add_test(tc, cidr_overlaps_random);
	tcase_add_test(tc, cidr_cmp_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("cidr6");
	tcase_add_test(tc, cidr6_canonical);
	tcase_add_test(tc, cidr6_parse_bytes);
	tcase_add_test(tc, cidr6_rejects);
	tcase_add_test(tc, cidr6_host_bits);
	tcase_add_test(tc, cidr6_predicates);
	tcase_add_test(tc, cidr6_random_vs_libc);
	suite_add_tcase(s, tc);

	return s;
}

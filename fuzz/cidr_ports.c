/*
 * libFuzzer target: the address parsers and the port-set operations.
 *
 * The first byte picks the mode.  Text modes hand the rest, NUL-terminated,
 * to addr_parse, cidr_parse and cidr6_parse; whatever parses must format
 * back to text that parses to the same value (and a host-bits refusal must
 * report a canonical block).  The port mode reads the rest as a program
 * over four port sets and checks every result against a 65,536-bit oracle
 * and the representation invariant of ports.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/cidr.h"
#include "base/ports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
	uint32_t a;
	if (addr_parse(&a, s) == 0) {
		char buf[ADDR_STRLEN];
		uint32_t b;
		addr_format(buf, a);
		if (addr_parse(&b, buf) != 0 || a != b || strcmp(buf, s))
			abort(); /* strict: one text per address */
	}
	struct cidr c = {0, 99};
	int rc = cidr_parse(&c, s);
	if (rc == 0 || rc == CIDR_EHOSTBITS) {
		char buf[CIDR_STRLEN];
		struct cidr d;
		if (c.len > 32 || (c.addr & ~cidr_mask(c.len)))
			abort();
		cidr_format(buf, c);
		if (cidr_parse(&d, buf) != 0 || cidr_cmp(c, d) != 0)
			abort();
		if (rc == 0 && strcmp(buf, s))
			abort();
	} else if (rc != CIDR_EINVAL) {
		abort();
	}
	struct cidr6 c6;
	memset(&c6, 0, sizeof(c6));
	rc = cidr6_parse(&c6, s);
	if (rc == 0 || rc == CIDR_EHOSTBITS) {
		char buf[CIDR6_STRLEN];
		struct cidr6 d6;
		if (c6.len > 128)
			abort();
		cidr6_format(buf, c6);
		if (strlen(buf) >= CIDR6_STRLEN)
			abort();
		if (cidr6_parse(&d6, buf) != 0 || d6.len != c6.len ||
		    memcmp(d6.addr, c6.addr, 16))
			abort();
		if (!cidr6_contains(c6, d6) || !cidr6_overlaps(c6, d6))
			abort();
	} else if (rc != CIDR_EINVAL) {
		abort();
	}
}

/* ---- port sets against a bitmap ------------------------------------- */

#define NSETS 4

struct oracle {
	uint8_t bit[65536 / 8];
};

static bool o_has(const struct oracle *o, uint32_t p)
{
	return o->bit[p >> 3] >> (p & 7) & 1;
}

static void o_set(struct oracle *o, uint32_t p, bool v)
{
	if (v)
		o->bit[p >> 3] |= (uint8_t)(1u << (p & 7));
	else
		o->bit[p >> 3] &= (uint8_t) ~(1u << (p & 7));
}

/* p's ranges as a bitmap, against o; and the invariant of ports.h. */
static void same(const struct ports *p, const struct oracle *o)
{
	static struct oracle got;
	uint32_t count = 0;
	memset(&got, 0, sizeof(got));
	if (p->n > p->cap || (p->n && !p->r))
		abort();
	for (size_t i = 0; i < p->n; i++) {
		if (p->r[i].lo > p->r[i].hi)
			abort();
		if (i && (uint32_t)p->r[i - 1].hi + 1 >= p->r[i].lo)
			abort();
		for (uint32_t q = p->r[i].lo; q <= p->r[i].hi; q++)
			o_set(&got, q, true);
		count += (uint32_t)p->r[i].hi - p->r[i].lo + 1;
	}
	if (memcmp(&got, o, sizeof(got)))
		abort();
	if (ports_count(p) != count || ports_empty(p) != (count == 0))
		abort();
}

static uint16_t take16(const uint8_t **d, size_t *n)
{
	uint16_t v = 0;
	for (int i = 0; i < 2 && *n; i++, (*d)++, (*n)--)
		v = (uint16_t)(v << 8 | **d);
	return v;
}

static void run_ports(const uint8_t *d, size_t n)
{
	static struct oracle o[NSETS], t;
	struct ports p[NSETS];
	memset(o, 0, sizeof(o));
	for (int i = 0; i < NSETS; i++)
		ports_init(&p[i]);
	for (int steps = 0; n && steps < 64; steps++) {
		uint8_t op = *d++;
		n--;
		int x = op & 3, a = (op >> 2) & 3, b = (op >> 4) & 3;
		switch (op >> 6) {
		case 0: { /* add a range, or an op over whole sets */
			uint16_t lo = take16(&d, &n), hi = take16(&d, &n);
			if (lo > hi) {
				uint16_t s = lo;
				lo = hi;
				hi = s;
			}
			if (b & 1) {
				/* small ranges keep sets fragmented */
				hi = (uint16_t)(lo + (hi - lo) % 64);
			}
			ports_add(&p[x], lo, hi);
			for (uint32_t q = lo; q <= hi; q++)
				o_set(&o[x], q, true);
			break;
		}
		case 1:
			ports_union(&p[x], &p[a], &p[b]);
			for (size_t k = 0; k < sizeof(t.bit); k++)
				t.bit[k] = o[a].bit[k] | o[b].bit[k];
			o[x] = t;
			break;
		case 2:
			ports_intersect(&p[x], &p[a], &p[b]);
			for (size_t k = 0; k < sizeof(t.bit); k++)
				t.bit[k] = o[a].bit[k] & o[b].bit[k];
			o[x] = t;
			break;
		case 3:
			switch (b) {
			case 0:
				ports_diff(&p[x], &p[a], &p[x]);
				for (size_t k = 0; k < sizeof(t.bit); k++)
					t.bit[k] =
					    o[a].bit[k] & (uint8_t)~o[x].bit[k];
				o[x] = t;
				break;
			case 1:
				ports_complement(&p[x], &p[a]);
				for (size_t k = 0; k < sizeof(t.bit); k++)
					t.bit[k] = (uint8_t)~o[a].bit[k];
				o[x] = t;
				break;
			case 2:
				ports_copy(&p[x], &p[a]);
				o[x] = o[a];
				break;
			default: {
				uint16_t lo = take16(&d, &n),
					 hi = take16(&d, &n);
				if (lo > hi) {
					uint16_t s = lo;
					lo = hi;
					hi = s;
				}
				bool meets = false;
				for (uint32_t q = lo; q <= hi && !meets; q++)
					meets = o_has(&o[a], q);
				if (ports_meets(&p[a], lo, hi) != meets ||
				    ports_contains(&p[a], lo) !=
					o_has(&o[a], lo))
					abort();
				char buf[64];
				size_t len =
				    ports_format(buf, sizeof(buf), &p[a]);
				char *big = malloc(len + 1);
				if (ports_format(big, len + 1, &p[a]) != len ||
				    strlen(big) != len)
					abort();
				free(big);
				if (ports_equal(&p[a], &p[x]) !=
				    !memcmp(&o[a], &o[x], sizeof(o[a])))
					abort();
				break;
			}
			}
			break;
		}
		same(&p[x], &o[x]);
	}
	for (int i = 0; i < NSETS; i++)
		ports_free(&p[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1) {
		run_ports(data + 1, size - 1);
		return 0;
	}
	if (size > 256)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	check_text(s);
	free(s);
	return 0;
}

/*
 * IPv4 and IPv6 addresses and CIDR blocks.
 *
 * The parsers are hand-written cursor scanners rather than sscanf or
 * inet_pton: sscanf accepts signs, spaces and leading zeros, and inet_pton's
 * leniency differs between C libraries, while the simulator must reject
 * exactly what AWS rejects.  Each scanner advances a const char ** past
 * what it consumed, so a caller decides what may follow ('/' or the end).
 *
 * Every struct cidr / cidr6 leaving this file is canonical (no host bits),
 * but the predicates mask both sides anyway so a hand-built, non-canonical
 * value still gets a sensible answer instead of a silent mismatch.
 */
#include "base/cidr.h"

#include <assert.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* -1 when c is not a hex digit; avoids <ctype.h>, whose answers depend on
 * the locale and whose argument must be cast from a possibly signed char. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A decimal number 0..max with at least one digit and no leading zero
 * ("0" itself is fine).  Stops at the first non-digit; digits are capped at
 * three, which covers every max used here (255, 32, 128) and keeps the
 * accumulator far from overflow on absurdly long input.
 */
static bool parse_dec(const char **p, unsigned max, unsigned *out)
{
	const char *s = *p;
	unsigned v = 0;
	int n = 0;

	if (s[0] == '0' && is_digit(s[1]))
		return false;
	while (is_digit(s[n])) {
		if (n == 3)
			return false;
		v = v * 10 + (unsigned)(s[n] - '0');
		n++;
	}
	if (n == 0 || v > max)
		return false;
	*p = s + n;
	*out = v;
	return true;
}

static bool scan_addr(const char **p, uint32_t *out)
{
	const char *s = *p;
	uint32_t addr = 0;

	for (int i = 0; i < 4; i++) {
		unsigned octet;

		if (i > 0) {
			if (*s != '.')
				return false;
			s++;
		}
		if (!parse_dec(&s, 255, &octet))
			return false;
		addr = addr << 8 | octet;
	}
	*p = s;
	*out = addr;
	return true;
}

int addr_parse(uint32_t *out, const char *s)
{
	uint32_t addr;

	if (!scan_addr(&s, &addr) || *s != '\0')
		return CIDR_EINVAL;
	*out = addr;
	return 0;
}

/* Writes v (0..999) without padding; returns the new end. */
static char *put_dec(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static char *put_addr(char *p, uint32_t addr)
{
	for (int shift = 24; shift >= 0; shift -= 8) {
		p = put_dec(p, addr >> shift & 0xff);
		if (shift > 0)
			*p++ = '.';
	}
	return p;
}

void addr_format(char buf[ADDR_STRLEN], uint32_t addr)
{
	*put_addr(buf, addr) = '\0';
}

int cidr_parse(struct cidr *out, const char *s)
{
	uint32_t addr;
	unsigned len;

	if (!scan_addr(&s, &addr) || *s++ != '/' || !parse_dec(&s, 32, &len) ||
	    *s != '\0')
		return CIDR_EINVAL;
	out->len = (uint8_t)len;
	out->addr = addr & cidr_mask(out->len);
	return out->addr == addr ? 0 : CIDR_EHOSTBITS;
}

void cidr_format(char buf[CIDR_STRLEN], struct cidr c)
{
	char *p = put_addr(buf, c.addr);

	*p++ = '/';
	*put_dec(p, c.len) = '\0';
}

uint32_t cidr_mask(uint8_t len)
{
	assert(len <= 32);
	/* Shifting a 32-bit value by 32 is undefined, hence the special case.
	 */
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

uint64_t cidr_size(struct cidr c)
{
	assert(c.len <= 32);
	return (uint64_t)1 << (32 - c.len);
}

uint32_t cidr_last(struct cidr c)
{
	return c.addr | ~cidr_mask(c.len);
}

bool cidr_contains_addr(struct cidr c, uint32_t addr)
{
	return ((c.addr ^ addr) & cidr_mask(c.len)) == 0;
}

bool cidr_contains(struct cidr outer, struct cidr inner)
{
	return outer.len <= inner.len && cidr_contains_addr(outer, inner.addr);
}

/* Two prefixes either nest or are disjoint, so overlap is containment one
 * way or the other. */
bool cidr_overlaps(struct cidr a, struct cidr b)
{
	return cidr_contains(a, b) || cidr_contains(b, a);
}

int cidr_cmp(struct cidr a, struct cidr b)
{
	if (a.addr != b.addr)
		return a.addr < b.addr ? -1 : 1;
	if (a.len != b.len)
		return a.len < b.len ? -1 : 1;
	return 0;
}

/*
 * IPv6.  The address is scanned into eight 16-bit groups; a "::" records
 * where the zero fill goes and the groups after it are shifted right once
 * their count is known.
 */

/* 1..4 hex digits; a fifth digit makes the whole group invalid rather than
 * ending it, since "12345" is never two tokens. */
static bool scan_group(const char **p, uint16_t *out)
{
	const char *s = *p;
	unsigned v = 0;
	int n = 0;
	int d;

	while ((d = hex_value(s[n])) >= 0) {
		if (n == 4)
			return false;
		v = v << 4 | (unsigned)d;
		n++;
	}
	if (n == 0)
		return false;
	*p = s + n;
	*out = (uint16_t)v;
	return true;
}

/* Whether the token at s is a dotted quad: a decimal run then a dot.  A
 * group such as "1a" is not, and fails later as a group followed by junk. */
static bool ipv4_ahead(const char *s)
{
	while (is_digit(*s))
		s++;
	return *s == '.';
}

static bool scan_addr6(const char **p, uint8_t out[16])
{
	const char *s = *p;
	uint16_t g[8];
	int n = 0;
	int gap = -1; /* index in g where "::" stands, or -1 */

	if (s[0] == ':') {
		/* A lone leading colon is not an empty group. */
		if (s[1] != ':')
			return false;
		gap = 0;
		s += 2;
		if (hex_value(*s) < 0)
			goto done; /* "::" alone */
	}
	for (;;) {
		if (ipv4_ahead(s)) {
			uint32_t v4;

			/* The tail is the last 32 bits and ends the address. */
			if (n > 6 || !scan_addr(&s, &v4))
				return false;
			g[n++] = (uint16_t)(v4 >> 16);
			g[n++] = (uint16_t)v4;
			break;
		}
		if (n == 8 || !scan_group(&s, &g[n]))
			return false;
		n++;
		if (s[0] != ':')
			break;
		if (s[1] == ':') {
			if (gap >= 0)
				return false;
			gap = n;
			s += 2;
			/* "::" may end the address; anything else after it
			 * must be a group (so ":::" fails here). */
			if (hex_value(*s) < 0)
				break;
		} else {
			s++;
		}
	}
done:
	/* "::" stands for at least one zero group (RFC 4291 2.2). */
	if (gap < 0 ? n != 8 : n > 7)
		return false;
	if (gap >= 0) {
		int tail = n - gap;

		memmove(&g[8 - tail], &g[gap], (size_t)tail * sizeof(g[0]));
		for (int i = gap; i < 8 - tail; i++)
			g[i] = 0;
	}
	for (int i = 0; i < 8; i++) {
		out[2 * i] = (uint8_t)(g[i] >> 8);
		out[2 * i + 1] = (uint8_t)g[i];
	}
	*p = s;
	return true;
}

/* Clears every bit of a from bit len on; returns whether any was set. */
static bool mask6(uint8_t a[16], unsigned len)
{
	bool had = false;

	for (unsigned i = 0; i < 16; i++) {
		uint8_t keep;

		if (len >= 8 * (i + 1))
			continue;
		keep =
		    len <= 8 * i ? 0 : (uint8_t)(0xff << (8 - (len - 8 * i)));
		if (a[i] & ~keep)
			had = true;
		a[i] &= keep;
	}
	return had;
}

int cidr6_parse(struct cidr6 *out, const char *s)
{
	uint8_t addr[16];
	unsigned len;
	bool host;

	if (!scan_addr6(&s, addr) || *s++ != '/' || !parse_dec(&s, 128, &len) ||
	    *s != '\0')
		return CIDR_EINVAL;
	host = mask6(addr, len);
	memcpy(out->addr, addr, sizeof(addr));
	out->len = (uint8_t)len;
	return host ? CIDR_EHOSTBITS : 0;
}

void cidr6_format(char buf[CIDR6_STRLEN], struct cidr6 c)
{
	static const char hex[] = "0123456789abcdef";
	uint16_t g[8];
	int best = -1, best_len = 1; /* runs of one group stay uncompressed */
	char *p = buf;

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(c.addr[2 * i] << 8 | c.addr[2 * i + 1]);
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && g[j] == 0)
			j++;
		/* Strictly longer, so the first of equal runs wins. */
		if (j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j == i ? i + 1 : j;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i > 0 && i != best + best_len)
			*p++ = ':';
		for (int shift = 12; shift > 0; shift -= 4)
			if (g[i] >> shift)
				*p++ = hex[g[i] >> shift & 0xf];
		*p++ = hex[g[i] & 0xf];
	}
	*p++ = '/';
	*put_dec(p, c.len) = '\0';
}

static bool prefix6_eq(const uint8_t a[16], const uint8_t b[16], unsigned len)
{
	uint8_t x[16], y[16];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	mask6(x, len);
	mask6(y, len);
	return memcmp(x, y, 16) == 0;
}

bool cidr6_contains(struct cidr6 outer, struct cidr6 inner)
{
	return outer.len <= inner.len &&
	       prefix6_eq(outer.addr, inner.addr, outer.len);
}

bool cidr6_overlaps(struct cidr6 a, struct cidr6 b)
{
	return cidr6_contains(a, b) || cidr6_contains(b, a);
}

/*
 * Port sets as sorted arrays of inclusive ranges.
 *
 * Invariant (ports.h): r[i].lo <= r[i].hi and r[i].hi + 1 < r[i+1].lo, with
 * n <= cap and r == NULL only when cap == 0.  Because the representation is
 * unique, equality is a length check plus memcmp.
 *
 * The binary operations are linear merges that write into a fresh array and
 * only then replace *out, so out may alias a or b (or both) without the
 * merge reading ranges it has already overwritten.  Every merge emits
 * through push(), which coalesces a range touching the previous one; that
 * keeps the non-adjacency half of the invariant in one place instead of in
 * each merge's case analysis.  Arithmetic on bounds is done in uint32_t so
 * hi + 1 never wraps at 65535.
 */
#include "base/ports.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORT_MAX 65535u

static void *xrealloc(void *p, size_t n, size_t size)
{
	if (n > SIZE_MAX / size) {
		fprintf(stderr, "vpcsim: port set too large\n");
		abort();
	}
	p = realloc(p, n * size);
	if (p == NULL) {
		fprintf(stderr, "vpcsim: out of memory\n");
		abort();
	}
	return p;
}

static void reserve(struct ports *p, size_t need)
{
	size_t cap;

	if (need <= p->cap)
		return;
	cap = p->cap ? p->cap : 4;
	while (cap < need)
		cap *= 2;
	p->r = xrealloc(p->r, cap, sizeof(p->r[0]));
	p->cap = cap;
}

/* Appends [lo, hi], which must not start before the last range does. */
static void push(struct ports *p, uint32_t lo, uint32_t hi)
{
	struct port_range *last = p->n ? &p->r[p->n - 1] : NULL;

	assert(lo <= hi && hi <= PORT_MAX);
	assert(last == NULL || last->lo <= lo);
	if (last != NULL && lo <= (uint32_t)last->hi + 1) {
		if (hi > last->hi)
			last->hi = (uint16_t)hi;
		return;
	}
	reserve(p, p->n + 1);
	p->r[p->n].lo = (uint16_t)lo;
	p->r[p->n].hi = (uint16_t)hi;
	p->n++;
}

/* Hands the result of a merge to out, releasing what out held before.
 * Inputs aliasing out are dead by now, so freeing them is safe. */
static void replace(struct ports *out, struct ports *result)
{
	free(out->r);
	*out = *result;
}

void ports_init(struct ports *p)
{
	p->r = NULL;
	p->n = 0;
	p->cap = 0;
}

void ports_free(struct ports *p)
{
	if (p == NULL)
		return;
	free(p->r);
	ports_init(p);
}

void ports_clear(struct ports *p)
{
	p->n = 0;
}

void ports_copy(struct ports *out, const struct ports *a)
{
	if (out == a)
		return;
	reserve(out, a->n);
	if (a->n)
		memcpy(out->r, a->r, a->n * sizeof(a->r[0]));
	out->n = a->n;
}

void ports_add(struct ports *p, uint16_t lo, uint16_t hi)
{
	size_t i, j, left, right;

	assert(lo <= hi);
	/* i: first range that ends at or after lo - 1, so it may touch. */
	left = 0;
	right = p->n;
	while (left < right) {
		size_t mid = left + (right - left) / 2;

		if ((uint32_t)p->r[mid].hi + 1 < lo)
			left = mid + 1;
		else
			right = mid;
	}
	i = left;
	/* j: first range that starts after hi + 1, so [i, j) all merge. */
	for (j = i; j < p->n && p->r[j].lo <= (uint32_t)hi + 1; j++)
		;
	if (i == j) {
		reserve(p, p->n + 1);
		memmove(&p->r[i + 1], &p->r[i], (p->n - i) * sizeof(p->r[0]));
		p->r[i].lo = lo;
		p->r[i].hi = hi;
		p->n++;
		return;
	}
	if (p->r[i].lo < lo)
		lo = p->r[i].lo;
	if (p->r[j - 1].hi > hi)
		hi = p->r[j - 1].hi;
	p->r[i].lo = lo;
	p->r[i].hi = hi;
	memmove(&p->r[i + 1], &p->r[j], (p->n - j) * sizeof(p->r[0]));
	p->n -= j - i - 1;
}

void ports_set_all(struct ports *p)
{
	reserve(p, 1);
	p->r[0].lo = 0;
	p->r[0].hi = PORT_MAX;
	p->n = 1;
}

void ports_union(struct ports *out, const struct ports *a,
		 const struct ports *b)
{
	struct ports res = PORTS_INIT;
	size_t i = 0, j = 0;

	while (i < a->n || j < b->n) {
		const struct port_range *next;

		if (j == b->n || (i < a->n && a->r[i].lo <= b->r[j].lo))
			next = &a->r[i++];
		else
			next = &b->r[j++];
		push(&res, next->lo, next->hi);
	}
	replace(out, &res);
}

void ports_intersect(struct ports *out, const struct ports *a,
		     const struct ports *b)
{
	struct ports res = PORTS_INIT;
	size_t i = 0, j = 0;

	while (i < a->n && j < b->n) {
		uint16_t lo = a->r[i].lo > b->r[j].lo ? a->r[i].lo : b->r[j].lo;
		uint16_t hi = a->r[i].hi < b->r[j].hi ? a->r[i].hi : b->r[j].hi;

		if (lo <= hi)
			push(&res, lo, hi);
		/* The range ending first can meet nothing further on. */
		if (a->r[i].hi < b->r[j].hi)
			i++;
		else
			j++;
	}
	replace(out, &res);
}

void ports_diff(struct ports *out, const struct ports *a, const struct ports *b)
{
	struct ports res = PORTS_INIT;
	size_t j = 0;

	for (size_t i = 0; i < a->n; i++) {
		uint32_t cur = a->r[i].lo, hi = a->r[i].hi;

		while (j < b->n && b->r[j].hi < cur)
			j++;
		/* b->r[j] is not skipped past when it sticks out beyond hi:
		 * it may also cut into a->r[i + 1]. */
		for (size_t k = j; k < b->n && b->r[k].lo <= hi; k++) {
			if (b->r[k].lo > cur)
				push(&res, cur, b->r[k].lo - 1u);
			cur = (uint32_t)b->r[k].hi + 1;
			if (cur > hi)
				break;
			j = k + 1;
		}
		if (cur <= hi)
			push(&res, cur, hi);
	}
	replace(out, &res);
}

void ports_complement(struct ports *out, const struct ports *a)
{
	struct ports res = PORTS_INIT;
	uint32_t cur = 0;

	for (size_t i = 0; i < a->n; i++) {
		if (a->r[i].lo > cur)
			push(&res, cur, a->r[i].lo - 1u);
		cur = (uint32_t)a->r[i].hi + 1;
	}
	if (cur <= PORT_MAX)
		push(&res, cur, PORT_MAX);
	replace(out, &res);
}

/* Index of the first range with hi >= port, or p->n. */
static size_t first_ending_at_or_after(const struct ports *p, uint16_t port)
{
	size_t left = 0, right = p->n;

	while (left < right) {
		size_t mid = left + (right - left) / 2;

		if (p->r[mid].hi < port)
			left = mid + 1;
		else
			right = mid;
	}
	return left;
}

bool ports_contains(const struct ports *p, uint16_t port)
{
	return ports_meets(p, port, port);
}

bool ports_meets(const struct ports *p, uint16_t lo, uint16_t hi)
{
	size_t i = first_ending_at_or_after(p, lo);

	assert(lo <= hi);
	return i < p->n && p->r[i].lo <= hi;
}

uint32_t ports_count(const struct ports *p)
{
	uint32_t total = 0;

	for (size_t i = 0; i < p->n; i++)
		total += (uint32_t)p->r[i].hi - p->r[i].lo + 1;
	return total;
}

bool ports_empty(const struct ports *p)
{
	return p->n == 0;
}

bool ports_equal(const struct ports *a, const struct ports *b)
{
	return a->n == b->n &&
	       (a->n == 0 || memcmp(a->r, b->r, a->n * sizeof(a->r[0])) == 0);
}

/* Copies what fits of s into buf[*len..size - 1] and advances *len by all
 * of s, as snprintf counts what it would have written. */
static void emit(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 < size) {
		size_t room = size - 1 - *len;

		memcpy(buf + *len, s, n < room ? n : room);
	}
	*len += n;
}

size_t ports_format(char *buf, size_t size, const struct ports *p)
{
	size_t len = 0;

	if (p->n == 0) {
		emit(buf, size, &len, "none");
	} else if (p->n == 1 && p->r[0].lo == 0 && p->r[0].hi == PORT_MAX) {
		emit(buf, size, &len, "all");
	} else {
		for (size_t i = 0; i < p->n; i++) {
			/* ",65535-65535" is the widest piece. */
			char piece[16];

			if (p->r[i].lo == p->r[i].hi)
				snprintf(piece, sizeof(piece), "%s%u",
					 i ? "," : "", (unsigned)p->r[i].lo);
			else
				snprintf(piece, sizeof(piece), "%s%u-%u",
					 i ? "," : "", (unsigned)p->r[i].lo,
					 (unsigned)p->r[i].hi);
			emit(buf, size, &len, piece);
		}
	}
	if (size > 0)
		buf[len < size ? len : size - 1] = '\0';
	return len;
}

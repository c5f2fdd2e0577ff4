/*
 * A growing NUL-terminated heap string.  Invariant: s is NULL (nothing
 * added yet) or holds n bytes and a NUL within cap; the allocation at
 * least doubles on growth, so building a string is linear in its length.
 */
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Room for len more bytes and the NUL. */
static void reserve(struct strbuf *b, size_t len)
{
	if (len > (size_t)-1 / 2 - b->n - 1)
		die_oom();
	if (b->n + len + 1 <= b->cap)
		return;
	b->cap = 2 * (b->n + len + 1);
	b->s = xreallocarray(b->s, b->cap, 1);
}

void strbuf_add(struct strbuf *b, const char *s, size_t len)
{
	reserve(b, len);
	if (len)
		memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int k = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (k >= 0) {
		reserve(b, (size_t)k);
		vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
		b->n += (size_t)k;
	}
	va_end(ap);
}

const char *strbuf_str(const struct strbuf *b)
{
	return b->s ? b->s : "";
}

void strbuf_clear(struct strbuf *b)
{
	b->n = 0;
	if (b->s)
		b->s[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
	if (!b)
		return;
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/*
 * A growing NUL-terminated heap string (base/strbuf.c), for text built
 * piece by piece: Fn::Sub's output, a message listing many things.
 */
#ifndef VPCSIM_STRBUF_H
#define VPCSIM_STRBUF_H

#include <stddef.h>

/* Zero-initialised ({0}) is the empty string.  s is NULL until the first
 * byte is added, else NUL-terminated; n is its length (without the NUL),
 * cap the bytes allocated. */
struct strbuf {
	char *s;
	size_t n, cap;
};

/* Appends len bytes of s (which need not be NUL-terminated); the buffer
 * owns its copy.  OOM aborts. */
void strbuf_add(struct strbuf *b, const char *s, size_t len);
/* Appends printf output; the buffer owns its copy.  OOM aborts. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The text so far, owned by the buffer and valid until the next add or
 * free: "" when nothing was added. */
const char *strbuf_str(const struct strbuf *b);
/* Empties the text, keeping the allocation for reuse. */
void strbuf_clear(struct strbuf *b);
/* Frees the text and leaves the buffer empty (reusable); NULL is fine. */
void strbuf_free(struct strbuf *b);

#endif

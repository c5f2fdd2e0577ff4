/*
 * Heap helpers shared by every module.  Running out of memory is not an
 * error vpcsim can recover from in a way a user would want, so these abort
 * with a message instead of returning NULL.
 */
#ifndef VPCSIM_UTIL_H
#define VPCSIM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
/* Grows or shrinks *p to n elements of size bytes; checks n * size. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* printf into a fresh heap string the caller frees. */
char *xvasprintf(const char *fmt, va_list ap);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die_oom(void);

/* Edit distance, capped at cap + 1 so a search for near names stays cheap. */
unsigned util_edit_distance(const char *a, const char *b, unsigned cap);
/* The candidate closest to word (distance at most 2, or 1 for short words),
 * or NULL; used for "did you mean" hints. */
const char *util_closest(const char *word, const char *const *cands, size_t n);

/* The decimal text of v, built at the end of buf; returns its start.
 * Without printf, for text written once per flow of an estate or per
 * object of a load, and safe in a signal handler. */
#define UTIL_U32_TEXT_SIZE 11
const char *util_u32_text(char buf[UTIL_U32_TEXT_SIZE], uint32_t v);

/* s for quoting in a message: itself when short, else its first 32
 * bytes (not cutting a UTF-8 sequence) and "...", in buf. */
#define UTIL_ABBREV_SIZE 40
const char *util_abbrev(char buf[UTIL_ABBREV_SIZE], const char *s);

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one
 * (overlong, surrogate, past U+10FFFF, truncated): writers replace such
 * bytes so their output always parses. */
int util_utf8_len(const unsigned char *s);

/* A port-like decimal: digits only, no leading zero; values past 100000
 * are refused early so that callers can say "out of range" for the rest.
 * The range check itself is the caller's. */
bool util_port_text(const char *s, uint32_t *out);
/* "A" or "A-B", each a util_port_text, into *lo and *hi (A alone: both);
 * false when s is neither.  Bounds and order are the caller's to check. */
bool util_port_range_text(const char *s, uint32_t *lo, uint32_t *hi);

#endif

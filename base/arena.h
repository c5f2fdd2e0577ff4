/*
 * Region allocator: one arena per loaded model, freed all at once.
 *
 * Memory comes in chunks that are never moved or freed individually, so a
 * pointer into the arena stays valid until arena_free.  Allocation failure
 * aborts (util.h).
 */
#ifndef VPCSIM_ARENA_H
#define VPCSIM_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;  /* bytes used in head */
	size_t total; /* bytes handed out, for statistics */
};

void arena_init(struct arena *a);
/* Frees every chunk; the arena is empty and reusable.  Accepts NULL. */
void arena_free(struct arena *a);
/* size bytes aligned for any object; zeroed. */
void *arena_alloc(struct arena *a, size_t size);
/* n zeroed elements of size bytes; checks the product. */
void *arena_array(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

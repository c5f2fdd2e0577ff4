/* A growable array of diagnostics, each owning its strings, with a hash
 * set over them by (file, position, severity, text) so that the same one
 * added again only counts: the set is sized at least twice the array and
 * dropped when diag_sort reorders the array. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static size_t diag_hash(const char *file, uint32_t line, uint32_t col,
			enum diag_severity sev, const char *msg)
{
	size_t h = 2166136261u;
	for (const char *s = file ? file : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h = (h ^ line) * 16777619u;
	h = (h ^ col) * 16777619u;
	h = (h ^ (unsigned)sev) * 16777619u;
	for (const char *s = msg; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool diag_same(const struct diag *d, const char *file, uint32_t line,
		      uint32_t col, enum diag_severity sev, const char *msg)
{
	return d->line == line && d->col == col && d->severity == sev &&
	       !strcmp(d->file ? d->file : "", file ? file : "") &&
	       !strcmp(d->message, msg);
}

/* The slot of l->idx for this diagnostic: its entry, or the empty slot
 * where it would go. */
static size_t diag_slot(const struct diag_list *l, const char *file,
			uint32_t line, uint32_t col, enum diag_severity sev,
			const char *msg)
{
	size_t j = diag_hash(file, line, col, sev, msg) & (l->idx_cap - 1);
	while (l->idx[j] &&
	       !diag_same(&l->v[l->idx[j] - 1], file, line, col, sev, msg))
		j = (j + 1) & (l->idx_cap - 1);
	return j;
}

/* Sizes the set for one more diagnostic, rebuilding it from v when it
 * grows or was dropped by diag_sort. */
static void diag_index(struct diag_list *l)
{
	if (l->idx && 2 * (l->n + 1) <= l->idx_cap)
		return;
	size_t cap = 64;
	while (cap < 2 * (l->n + 1))
		cap *= 2;
	free(l->idx);
	l->idx = xcalloc(cap, sizeof(*l->idx));
	l->idx_cap = cap;
	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->v[i];
		l->idx[diag_slot(l, d->file, d->line, d->col, d->severity,
				 d->message)] = i + 1;
	}
}

/* Adds msg (taken) at its place, or counts the diagnostic again; the
 * list's entry for it. */
static struct diag *diag_take(struct diag_list *l, enum diag_severity sev,
			      const char *file, uint32_t line, uint32_t col,
			      char *msg)
{
	if (sev == DIAG_ERROR)
		l->n_errors++;
	/* A repeat mostly follows its first: no hashing then. */
	if (l->n && diag_same(&l->v[l->n - 1], file, line, col, sev, msg)) {
		l->v[l->n - 1].count++;
		free(msg);
		return &l->v[l->n - 1];
	}
	diag_index(l);
	size_t j = diag_slot(l, file, line, col, sev, msg);
	if (l->idx[j]) {
		l->v[l->idx[j] - 1].count++;
		free(msg);
		return &l->v[l->idx[j] - 1];
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	struct diag *d = &l->v[l->n++];
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->col = col;
	d->severity = sev;
	d->message = msg;
	d->count = 1;
	l->idx[j] = l->n;
	return d;
}

void diag_add(struct diag_list *l, enum diag_severity sev, const char *file,
	      uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	diag_take(l, sev, file, line, col, msg);
}

void diag_add_copy(struct diag_list *l, const struct diag *d)
{
	struct diag *x = diag_take(l, d->severity, d->file, d->line, d->col,
				   xstrdup(d->message));
	/* diag_take counted it once. */
	x->count += d->count - 1;
	if (d->severity == DIAG_ERROR)
		l->n_errors += d->count - 1;
}

void diag_add_text(struct diag_list *l, enum diag_severity sev,
		   const char *file, uint32_t line, uint32_t col,
		   const char *msg)
{
	diag_take(l, sev, file, line, col, xstrdup(msg));
}

static int pos_cmp(const struct diag *a, const struct diag *b)
{
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

/* Stable merge of sorted runs [lo, mid) and [mid, hi) through tmp. */
static void merge(struct diag *v, struct diag *tmp, size_t lo, size_t mid,
		  size_t hi)
{
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi)
		tmp[k++] = pos_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < hi)
		tmp[k++] = v[j++];
	memcpy(v + lo, tmp + lo, (hi - lo) * sizeof(*v));
}

void diag_sort(struct diag_list *l)
{
	/* Bottom-up merge sort: stable, and n log n however the loaders
	 * ordered their messages (a crafted file can make a hundred
	 * thousand of them, each before the last). */
	if (l->n < 2)
		return;
	struct diag *tmp = xreallocarray(NULL, l->n, sizeof(*tmp));
	for (size_t w = 1; w < l->n; w *= 2)
		for (size_t lo = 0; lo + w < l->n; lo += 2 * w)
			merge(l->v, tmp, lo, lo + w,
			      lo + 2 * w < l->n ? lo + 2 * w : l->n);
	free(tmp);
	/* The set holds indexes into v: rebuilt by the next diag_add. */
	free(l->idx);
	l->idx = NULL;
	l->idx_cap = 0;
}

const char *diag_severity_name(enum diag_severity sev)
{
	switch (sev) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

void diag_print(FILE *f, const struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct diag *d = &l->v[i];
		if (d->file && d->line)
			fprintf(f, "%s:%u:%u: ", d->file, d->line, d->col);
		else if (d->file)
			fprintf(f, "%s: ", d->file);
		else
			fputs("vpcsim: ", f);
		fprintf(f, "%s: %s", diag_severity_name(d->severity),
			d->message);
		if (d->count > 1)
			fprintf(f, " (repeated %zu times)", d->count);
		fputc('\n', f);
	}
}

void diag_list_free(struct diag_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].message);
	}
	free(l->v);
	free(l->idx);
	l->v = NULL;
	l->idx = NULL;
	l->n = l->cap = l->n_errors = l->idx_cap = 0;
}

/* A growable array of diagnostics; each owns its strings. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void diag_add(struct diag_list *l, enum diag_severity sev, const char *file,
	      uint32_t line, uint32_t col, const char *fmt, ...)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	va_start(ap, fmt);
	vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	va_end(ap);
	struct diag *d = &l->v[l->n++];
	d->file = file ? xstrdup(file) : NULL;
	d->line = line;
	d->col = col;
	d->severity = sev;
	d->message = msg;
	if (sev == DIAG_ERROR)
		l->n_errors++;
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
		fprintf(f, "%s: %s\n", diag_severity_name(d->severity),
			d->message);
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
	l->v = NULL;
	l->n = l->cap = l->n_errors = 0;
}

/*
 * Diagnostics as data.  Loaders keep going after an error and append here,
 * so one run shows every problem of a file; printing sorts by position so
 * the list reads top to bottom like the file.  The same diagnostic (file,
 * position, severity and text) added again is counted, not repeated: a
 * node that YAML aliases reach a million times is one line, "(repeated N
 * times)", so what a file can make us print is bounded by its size.
 */
#ifndef VPCSIM_DIAG_H
#define VPCSIM_DIAG_H

#include <stdint.h>
#include <stdio.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	char *file;	    /* owned; may be NULL for messages about no file */
	uint32_t line, col; /* 1-based; 0 when unknown */
	enum diag_severity severity;
	char *message; /* owned */
	size_t count;  /* times added; printed as "(repeated N times)" */
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	size_t n_errors; /* errors added, repeats included */
	/* Open-addressing set of v indexes + 1 by file, position, severity
	 * and text; NULL until needed and after diag_sort reorders v. */
	size_t *idx;
	size_t idx_cap;
};

#define DIAG_LIST_INIT                                                         \
	{                                                                      \
		NULL, 0, 0, 0, NULL, 0                                         \
	}

/* Adds a diagnostic, or counts it again when the list holds the same
 * one; copies file and the formatted text. */
void diag_add(struct diag_list *l, enum diag_severity sev, const char *file,
	      uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* diag_add of a text as it stands (no format). */
void diag_add_text(struct diag_list *l, enum diag_severity sev,
		   const char *file, uint32_t line, uint32_t col,
		   const char *msg);
/* A copy of d, with the times it was added, into l. */
void diag_add_copy(struct diag_list *l, const struct diag *d);
/* Stable sort by file, line, column. */
void diag_sort(struct diag_list *l);
/* "file:line:col: error: message", one a line, with " (repeated N
 * times)" after a diagnostic added N > 1 times. */
void diag_print(FILE *f, const struct diag_list *l);
/* Frees every message; l is empty and reusable.  Accepts NULL. */
void diag_list_free(struct diag_list *l);
const char *diag_severity_name(enum diag_severity sev);

#endif

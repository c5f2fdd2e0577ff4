/*
 * Diagnostics as data.  Loaders keep going after an error and append here,
 * so one run shows every problem of a file; printing sorts by position so
 * the list reads top to bottom like the file.
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
};

struct diag_list {
	struct diag *v;
	size_t n, cap;
	size_t n_errors;
};

#define DIAG_LIST_INIT                                                         \
	{                                                                      \
		NULL, 0, 0, 0                                                  \
	}

void diag_add(struct diag_list *l, enum diag_severity sev, const char *file,
	      uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Stable sort by file, line, column. */
void diag_sort(struct diag_list *l);
/* "file:line:col: error: message", one a line. */
void diag_print(FILE *f, const struct diag_list *l);
/* Frees every message; l is empty and reusable.  Accepts NULL. */
void diag_list_free(struct diag_list *l);
const char *diag_severity_name(enum diag_severity sev);

#endif

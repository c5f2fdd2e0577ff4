/*
 * Whole files in and out (base/file.c).
 */
#ifndef VPCSIM_FILE_H
#define VPCSIM_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/diag.h"

#define FILE_MAX_TEXT (128u << 20) /* bytes in one input file */

/*
 * Reads a whole text file (at most FILE_MAX_TEXT bytes; not a directory)
 * into a NUL-terminated heap buffer the caller frees (*out; *len its
 * length).  0, or -1 after a diagnostic naming the file.
 */
int file_read_text(char **out, size_t *len, const char *path,
		   struct diag_list *diags);
/* The same from a stream the caller opened and keeps (standard input);
 * name is used in diagnostics. */
int file_read_stream(char **out, size_t *len, FILE *f, const char *name,
		     struct diag_list *diags);

/* Whether two paths name one existing file (same device and inode), so
 * that an output never overwrites an input whatever the spelling. */
bool file_same(const char *a, const char *b);
/* The same for a path and an open stream (standard input). */
bool file_same_stream(const char *path, FILE *f);

/*
 * An output file written whole or not at all.  A regular file, or a path
 * that does not exist yet, is written to a temporary file in the same
 * directory and renamed over the target by file_out_commit once every
 * byte is written and synced: a failed or interrupted write leaves the
 * previous file byte for byte.  A symbolic link is followed (the file it
 * names is replaced, the link stays).  Anything else is written in place
 * and never removed: a FIFO, a terminal, a device, and any path under
 * /dev or /proc (/dev/stdout may name the shell's own open file).
 *
 * The struct is the caller's; file_out_open fills it.  Every open ends in
 * exactly one file_out_commit or file_out_abort.
 */
struct file_out {
	FILE *f;      /* where the caller writes; NULL once ended */
	char *name;   /* the path as given, for messages; owned */
	char *target; /* the file replaced (links followed); owned, NULL when
			 written in place */
	char *tmp;    /* the temporary file beside target; owned */
};

/* Opens path for writing as above.  0, or -1 after a diagnostic naming
 * path (w then holds nothing to end). */
int file_out_open(struct file_out *w, const char *path,
		  struct diag_list *diags);
/* Flushes, syncs and closes w and renames the temporary file over the
 * target.  0, or -1 after a diagnostic (the target is then untouched and
 * the temporary file removed).  Accepts an ended w (returns 0). */
int file_out_commit(struct file_out *w, struct diag_list *diags);
/* Ends w without replacing anything: closes it and removes the temporary
 * file (never the target).  Accepts an ended or zeroed w. */
void file_out_abort(struct file_out *w);

#endif

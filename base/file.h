/*
 * Whole files in and out (base/file.c).
 */
#ifndef VPCSIM_FILE_H
#define VPCSIM_FILE_H

#include <stddef.h>

#include "base/diag.h"

#define FILE_MAX_TEXT (128u << 20) /* bytes in one input file */

/*
 * Reads a whole text file (at most FILE_MAX_TEXT bytes; not a directory)
 * into a NUL-terminated heap buffer the caller frees (*out; *len its
 * length).  0, or -1 after a diagnostic naming the file.
 */
int file_read_text(char **out, size_t *len, const char *path,
		   struct diag_list *diags);

#endif

/*
 * Whole files in and out.  Inputs are read into one NUL-terminated heap
 * buffer, refused by size before any byte is read when the size is
 * known, so a hostile or mistaken path (a 1 GiB file, /dev/zero) costs
 * nothing.
 */
#include "base/file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"

int file_read_text(char **out, size_t *len, const char *path,
		   struct diag_list *diags)
{
	struct stat st;
	FILE *f = NULL;
	char *buf = NULL;
	int rc = -1;

	*out = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot open: %s",
			 strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot stat: %s",
			 strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "is a directory, not a model file");
		goto out;
	}
	/* A regular file is refused by its size before any is read; other
	 * files (pipes) are read up to one byte past the limit. */
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > FILE_MAX_TEXT) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "file is larger than the %u MiB limit (%ju bytes)",
			 FILE_MAX_TEXT >> 20, (uintmax_t)st.st_size);
		goto out;
	}
	size_t cap = 65536, n = 0;
	if (S_ISREG(st.st_mode) && (size_t)st.st_size + 2 > cap)
		cap = (size_t)st.st_size + 2;
	buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			cap = cap > FILE_MAX_TEXT / 2
				  ? (size_t)FILE_MAX_TEXT + 2
				  : 2 * cap;
			buf = xreallocarray(buf, cap, 1);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n > FILE_MAX_TEXT) {
			diag_add(diags, DIAG_ERROR, path, 0, 0,
				 "file is larger than the %u MiB limit",
				 FILE_MAX_TEXT >> 20);
			goto out;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

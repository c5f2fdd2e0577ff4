/*
 * Whole files in and out.  Inputs are read into one NUL-terminated heap
 * buffer, refused by size before any byte is read when the size is
 * known, so a hostile or mistaken path (a 1 GiB file, /dev/zero) costs
 * nothing.  Outputs (struct file_out) go to a temporary file beside the
 * target that replaces it in one rename, so a reader (a CI step, the
 * next run reading a baseline) sees the old file or the new one, never
 * half of one; what is not a regular file is written in place and never
 * removed, since a rename or unlink there would destroy a device, a FIFO
 * or the shell's redirection.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "base/file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* Reads f to its end into *out (cap: the first allocation), at most
 * FILE_MAX_TEXT bytes. */
static int read_all(char **out, size_t *len, FILE *f, size_t cap,
		    const char *name, struct diag_list *diags)
{
	size_t n = 0;
	char *buf = xmalloc(cap);
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
			diag_add(diags, DIAG_ERROR, name, 0, 0,
				 "file is larger than the %u MiB limit",
				 FILE_MAX_TEXT >> 20);
			free(buf);
			return -1;
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		diag_add(diags, DIAG_ERROR, name, 0, 0, "cannot read: %s",
			 strerror(errno));
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int file_read_stream(char **out, size_t *len, FILE *f, const char *name,
		     struct diag_list *diags)
{
	*out = NULL;
	*len = 0;
	return read_all(out, len, f, 65536, name, diags);
}

int file_read_text(char **out, size_t *len, const char *path,
		   struct diag_list *diags)
{
	struct stat st;
	FILE *f = NULL;
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
	size_t cap = 65536;
	if (S_ISREG(st.st_mode) && (size_t)st.st_size + 2 > cap)
		cap = (size_t)st.st_size + 2;
	rc = read_all(out, len, f, cap, path, diags);
out:
	if (f)
		fclose(f);
	return rc;
}

bool file_same(const char *a, const char *b)
{
	struct stat x, y;
	return !stat(a, &x) && !stat(b, &y) && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

bool file_same_stream(const char *path, FILE *f)
{
	struct stat x, y;
	return !stat(path, &x) && !fstat(fileno(f), &y) &&
	       x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* ---- output files ------------------------------------------------------- */

/* Paths written in place whatever they name: /dev/stdout, /dev/fd/N and
 * /proc/self/fd/N may name a regular file the shell opened (`> out`,
 * `>> log`), which a rename would detach from the shell's descriptor. */
static bool special_path(const char *path)
{
	return !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6);
}

static int open_in_place(struct file_out *w, const char *path,
			 struct diag_list *diags)
{
	w->f = fopen(path, "w");
	if (!w->f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot write: %s",
			 strerror(errno));
		return -1;
	}
	w->name = xstrdup(path);
	return 0;
}

/* The temporary file beside target, with the mode target has (or a new
 * file would get). */
static int open_temporary(struct file_out *w, char *target, mode_t mode,
			  const char *path, struct diag_list *diags)
{
	const char *slash = strrchr(target, '/');
	char *tmp = slash ? xasprintf("%.*s/.%s.XXXXXX", (int)(slash - target),
				      target, slash + 1)
			  : xasprintf(".%s.XXXXXX", target);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_add(diags, DIAG_ERROR, path, 0, 0,
			 "cannot write: cannot create a temporary file in its "
			 "directory: %s",
			 strerror(errno));
		free(tmp);
		free(target);
		return -1;
	}
	(void)fchmod(fd, mode); /* mkstemp's 0600 otherwise */
	w->f = fdopen(fd, "w");
	if (!w->f) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot write: %s",
			 strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		free(target);
		return -1;
	}
	w->name = xstrdup(path);
	w->target = target;
	w->tmp = tmp;
	return 0;
}

int file_out_open(struct file_out *w, const char *path, struct diag_list *diags)
{
	struct stat st, lst;
	memset(w, 0, sizeof(*w));
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			diag_add(diags, DIAG_ERROR, path, 0, 0,
				 "cannot write: is a directory");
			return -1;
		}
		if (!S_ISREG(st.st_mode) || special_path(path))
			return open_in_place(w, path, diags);
		char *target = realpath(path, NULL);
		if (!target) {
			diag_add(diags, DIAG_ERROR, path, 0, 0,
				 "cannot write: %s", strerror(errno));
			return -1;
		}
		return open_temporary(w, target, st.st_mode & 07777, path,
				      diags);
	}
	/* A link to nowhere: opening it creates the file it names. */
	if (errno != ENOENT || special_path(path) || lstat(path, &lst) == 0)
		return open_in_place(w, path, diags);
	mode_t mask = umask(0);
	umask(mask);
	return open_temporary(w, xstrdup(path), 0666 & ~mask, path, diags);
}

int file_out_commit(struct file_out *w, struct diag_list *diags)
{
	if (!w->f)
		return 0;
	int err = 0;
	errno = 0;
	if (fflush(w->f) != 0 || ferror(w->f))
		err = errno ? errno : EIO;
	/* The bytes reach the disk before the name does. */
	if (!err && w->tmp && fsync(fileno(w->f)) != 0)
		err = errno;
	if (fclose(w->f) != 0 && !err)
		err = errno ? errno : EIO;
	w->f = NULL;
	if (w->tmp && !err && rename(w->tmp, w->target) != 0)
		err = errno;
	if (w->tmp && err)
		unlink(w->tmp);
	if (err)
		diag_add(diags, DIAG_ERROR, w->name, 0, 0, "cannot write: %s",
			 strerror(err));
	free(w->tmp);
	free(w->target);
	free(w->name);
	memset(w, 0, sizeof(*w));
	return err ? -1 : 0;
}

void file_out_abort(struct file_out *w)
{
	if (!w)
		return;
	if (w->f)
		fclose(w->f);
	if (w->tmp)
		unlink(w->tmp);
	free(w->tmp);
	free(w->target);
	free(w->name);
	memset(w, 0, sizeof(*w));
}

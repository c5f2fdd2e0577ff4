/*
 * Where a command's report goes (struct cli_out): -o FILE through
 * base/file.c's file_out (the old file stays until the new one is
 * complete), or standard output, whose every write is checked when the
 * report ends.  Text for people on a terminal is collected in memory and
 * wrapped to the terminal's width at the end; nothing is wrapped when
 * standard output is not a terminal, so what a pipe, a file or a golden
 * test sees never depends on a window's size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"

/* The terminal's width: COLUMNS when it is a number, else what the
 * terminal says, else 80. */
static int terminal_width(void)
{
	const char *env = getenv("COLUMNS");
	if (env && *env) {
		char *end;
		long n = strtol(env, &end, 10);
		if (!*end && n >= 20 && n <= 10000)
			return (int)n;
	}
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

int cli_out_open(struct cli_out *o, const struct cli *c, bool text)
{
	memset(o, 0, sizeof(*o));
	cli_progress_end(); /* the work is done: no progress line over it */
	if (c->output && strcmp(c->output, "-")) {
		struct diag_list d = DIAG_LIST_INIT;
		int rc = file_out_open(&o->file, c->output, &d);
		diag_print(stderr, &d);
		diag_list_free(&d);
		if (rc)
			return EXIT_INPUT;
		o->f = o->file.f;
		return 0;
	}
	o->f = stdout;
	o->color = text && cli_color(c, stdout);
	if (text && isatty(STDOUT_FILENO)) {
		o->width = terminal_width();
		o->mem = open_memstream(&o->buf, &o->len);
		if (o->mem)
			o->f = o->mem;
	}
	return 0;
}

/* The display width of s[0..n): UTF-8 characters, ANSI CSI sequences
 * ("\033[...m") taking none. */
static int display_width(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == 0x1b && i + 1 < n && s[i + 1] == '[') {
			for (i += 2; i < n && !(s[i] >= 0x40 && s[i] <= 0x7e);
			     i++)
				;
			continue;
		}
		if ((ch & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/* One line (no newline) wrapped greedily at the spaces between words;
 * a word longer than the width stays whole. */
static void wrap_line(FILE *f, const char *s, const char *e, int width)
{
	if (display_width(s, (size_t)(e - s)) <= width) {
		fwrite(s, 1, (size_t)(e - s), f);
		return;
	}
	int indent = 0;
	while (s + indent < e && s[indent] == ' ')
		indent++;
	int hang = indent + 2 < width / 2 ? indent + 2 : width / 2;
	fwrite(s, 1, (size_t)indent, f);
	int col = indent;
	bool empty = true; /* nothing but the indent on this output line */
	for (const char *p = s + indent; p < e;) {
		const char *gap = p;
		while (p < e && *p == ' ')
			p++;
		const char *word = p;
		while (p < e && *p != ' ')
			p++;
		if (word == p)
			break; /* trailing spaces */
		int ww = display_width(word, (size_t)(p - word));
		int gw = (int)(word - gap);
		if (!empty && col + gw + ww > width) {
			fprintf(f, "\n%*s", hang, "");
			col = hang;
		} else {
			fwrite(gap, 1, (size_t)gw, f);
			col += gw;
		}
		fwrite(word, 1, (size_t)(p - word), f);
		col += ww;
		empty = false;
	}
}

/* Wraps text to width columns: a line longer than width breaks at
 * spaces, its continuation lines indented two more than it (under a
 * finding's text, apart from its detail lines). */
static void wrap(FILE *f, const char *text, size_t len, int width)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		wrap_line(f, p, nl ? nl : end, width);
		if (!nl)
			break;
		fputc('\n', f);
		p = nl + 1;
	}
}

int cli_out_close(struct cli_out *o)
{
	if (o->mem) {
		fclose(o->mem);
		o->mem = NULL;
		wrap(stdout, o->buf, o->len, o->width);
		free(o->buf);
		o->buf = NULL;
	}
	if (o->file.f) {
		struct diag_list d = DIAG_LIST_INIT;
		int rc = file_out_commit(&o->file, &d);
		diag_print(stderr, &d);
		diag_list_free(&d);
		o->f = NULL;
		return rc ? EXIT_INPUT : 0;
	}
	o->f = NULL;
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_usage_error("cannot write standard output: %s",
				       strerror(errno ? errno : EIO));
	return 0;
}

void cli_out_abort(struct cli_out *o)
{
	if (o->mem) {
		fclose(o->mem);
		free(o->buf);
	}
	file_out_abort(&o->file);
	memset(o, 0, sizeof(*o));
}

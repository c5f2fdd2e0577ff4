/*
 * What the commands share at the bottom of cli/: usage errors, printing
 * diagnostics, timestamps, colour, and refusing an output that would
 * overwrite an input.  Loading and analysing a model is cli/analyse.c,
 * one floor up (it uses cli/models.c, which uses these).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/cli.h"
#include "load/load.h"
#include "rules/rules.h"

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("vpcsim: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_INPUT;
}

int cli_choice(const char *opt, const char *val, const char *const *names,
	       int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(val, names[i]))
			return i;
	const char *near = util_closest(val, names, (size_t)n);
	fprintf(stderr, "vpcsim: error: %s must be one of", opt);
	for (int i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", names[i]);
	fprintf(stderr, ", not '%s'", val);
	if (near)
		fprintf(stderr, " (did you mean '%s'?)", near);
	fputc('\n', stderr);
	return -1;
}

void cli_print_diags(const struct cli *c, struct diag_list *d)
{
	diag_sort(d);
	if (!c->quiet) {
		diag_print(stderr, d);
		return;
	}
	struct diag_list errors = DIAG_LIST_INIT;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].severity == DIAG_ERROR)
			diag_add_copy(&errors, &d->v[i]);
	diag_print(stderr, &errors);
	diag_list_free(&errors);
}

void cli_timestamp(char *buf, size_t size)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	if (env && *env) {
		char *end;
		long long v = strtoll(env, &end, 10);
		if (!*end && v >= 0)
			t = (time_t)v;
	}
	struct tm tm;
	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, size, "1970-01-01T00:00:00");
}

bool cli_color(const struct cli *c, FILE *f)
{
	if (c->no_color)
		return false;
	const char *no = getenv("NO_COLOR"); /* no-color.org: set, not empty */
	if (no && *no)
		return false;
	const char *force = getenv("CLICOLOR_FORCE");
	if (force && *force && strcmp(force, "0"))
		return true;
	const char *term = getenv("TERM");
	return isatty(fileno(f)) && !(term && !strcmp(term, "dumb"));
}

/* Whether path is the file operand names ("-": standard input's). */
static bool same_as(const char *path, const char *operand)
{
	if (!strcmp(operand, "-"))
		return file_same_stream(path, stdin);
	return !strcmp(path, operand) || file_same(path, operand);
}

int cli_refuse_input(const struct cli *c, const char *opt, const char *path,
		     const char *const *inputs, size_t n)
{
	if (!path || !strcmp(path, "-"))
		return 0;
	for (size_t i = 0; i < c->n_operands + n; i++) {
		const char *in = i < c->n_operands ? c->operands[i]
						   : inputs[i - c->n_operands];
		if (!c->cmd->models && i < c->n_operands)
			continue;
		if (!same_as(path, in))
			continue;
		cli_usage_error("%s: %s %s is the input %s: refusing to "
				"overwrite it",
				c->cmd->name, opt, path,
				strcmp(in, "-") ? in : "on standard input");
		return -1;
	}
	return 0;
}

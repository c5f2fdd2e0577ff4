/*
 * What the commands share: usage errors, loading models (standard input
 * included) with the load options, policies, colour, and refusing an
 * output that would overwrite an input.  Below the commands and main.c,
 * which only dispatches: nothing here calls a command.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/cli.h"
#include "load/load.h"
#include "rules/rules.h"

/* The name standard input goes by in diagnostics and reports. */
#define STDIN_NAME "<stdin>"

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
			diag_add(&errors, DIAG_ERROR, d->v[i].file,
				 d->v[i].line, d->v[i].col, "%s",
				 d->v[i].message);
	diag_print(stderr, &errors);
	diag_list_free(&errors);
}

/* Reads the inputs of one load; "-" is standard input, read once. */
static int read_inputs(struct model_input *in, char **bufs,
		       const char *const *paths, size_t n, bool *from_stdin,
		       struct diag_list *diags)
{
	int rc = 0;
	*from_stdin = false;
	for (size_t i = 0; i < n; i++) {
		in[i].name = paths[i];
		if (strcmp(paths[i], "-")) {
			if (file_read_text(&bufs[i], &in[i].len, paths[i],
					   diags))
				rc = -1;
		} else if (*from_stdin) {
			diag_add(diags, DIAG_ERROR, STDIN_NAME, 0, 0,
				 "standard input given twice ('-')");
			rc = -1;
		} else {
			*from_stdin = true;
			in[i].name = STDIN_NAME;
			if (file_read_stream(&bufs[i], &in[i].len, stdin,
					     STDIN_NAME, diags))
				rc = -1;
		}
		in[i].buf = bufs[i];
	}
	return rc;
}

struct model *cli_load(const struct cli *c, const char *const *paths, size_t n,
		       struct ykit_section **policies)
{
	struct diag_list diags = DIAG_LIST_INIT;
	struct model *m = NULL;
	struct model_input *in = xcalloc(n + 1, sizeof(*in));
	char **bufs = xcalloc(n + 1, sizeof(*bufs));
	/* Names are files beside which a plan's .tf files may lie; not
	 * standard input's. */
	bool from_stdin;
	cli_progress(c, "loading");
	if (!read_inputs(in, bufs, paths, n, &from_stdin, &diags)) {
		struct load_opts o = {.params = c->params,
				      .n_params = c->n_params,
				      .template_dirs = c->template_dirs,
				      .n_template_dirs = c->n_template_dirs,
				      .tf_source = c->tf_source,
				      .from_files = !from_stdin};
		model_load_inputs_opts(&m, policies, in, n, &o, &diags);
	} else if (policies) {
		*policies = NULL;
	}
	cli_progress_end();
	cli_print_diags(c, &diags);
	if (!m && diags.n_errors > 1)
		fprintf(stderr, "%zu errors\n", diags.n_errors);
	diag_list_free(&diags);
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(in);
	return m;
}

struct model *cli_load_operands(const struct cli *c,
				struct ykit_section **policies)
{
	return cli_load(c, c->operands, c->n_operands, policies);
}

void cli_load_policies(struct policy_set **ps, struct ykit_section *own,
		       const char *const *files, uint32_t n,
		       const struct model *m, struct diag_list *diags)
{
	if (own)
		policy_load_section(ps, own, m, diags);
	ykit_section_free(own);
	for (uint32_t i = 0; i < n; i++)
		policy_load_file(ps, files[i], m, diags);
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

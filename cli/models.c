/*
 * The models of a run (struct cli_models): the operands expanded (a
 * directory walked, `-` read from standard input once), each file read
 * once, grouped into models (load.h load_models_group) and each model
 * loaded with the run's load options and configuration.
 *
 * A directory is walked depth first in name order (strcmp), so a run is
 * the same on every machine: hidden files and directories (a leading
 * dot) and the configuration's `ignore` directories are skipped, and so
 * are symbolic links to directories (a walk never loops).  Its files
 * named *.yaml, *.yml, *.json or *.template are read, and those that are
 * no model by their content are dropped quietly: a note says how many.
 * A file named on the command line is always a model.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/util.h"
#include "cli/cli.h"
#include "load/load.h"

/* The name standard input goes by in diagnostics and reports. */
#define STDIN_NAME "<stdin>"
/* Directories nested deeper than this are not walked. */
#define MAX_DEPTH 32

struct input {
	const char *path; /* as given or found */
	bool optional;	  /* found in a directory */
	size_t operand;	  /* the operand it came from */
};

struct inputs {
	struct input *v;
	size_t n, cap;
};

static void add_input(struct inputs *in, const char *path, bool optional,
		      size_t operand)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 16;
		in->v = xreallocarray(in->v, in->cap, sizeof(*in->v));
	}
	in->v[in->n++] = (struct input){path, optional, operand};
}

static bool model_name(const char *name)
{
	static const char *const ext[] = {".yaml", ".yml", ".json",
					  ".template"};
	size_t n = strlen(name);
	for (size_t i = 0; i < ARRAY_LEN(ext); i++) {
		size_t e = strlen(ext[i]);
		if (n > e && !strcmp(name + n - e, ext[i]))
			return true;
	}
	return false;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keeps a path found in a walk: the run owns it. */
static const char *keep(struct cli_models *ms, char *path)
{
	ms->found =
	    xreallocarray(ms->found, ms->n_found + 1, sizeof(*ms->found));
	ms->found[ms->n_found++] = path;
	return path;
}

/* The model files under dir, in name order; -1 after an error printed. */
static int walk(struct cli_models *ms, struct inputs *in, const struct cli *c,
		const char *dir, size_t operand, int depth)
{
	if (depth > MAX_DEPTH)
		return 0;
	DIR *h = opendir(dir);
	if (!h) {
		cli_usage_error("%s: cannot list: %s", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(h));) {
		if (e->d_name[0] == '.')
			continue; /* hidden, . and .. */
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(h);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		/* "dir/" given on the command line names "dir/x", not
		 * "dir//x". */
		size_t dl = strlen(dir);
		char *path = dl && dir[dl - 1] == '/'
				 ? xasprintf("%s%s", dir, names[i])
				 : xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		if (lstat(path, &st)) {
			free(path);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (!cli_config_ignores(&c->cfg, path) &&
			    walk(ms, in, c, path, operand, depth + 1))
				rc = -1;
			free(path);
		} else if (model_name(names[i]) &&
			   (S_ISREG(st.st_mode) ||
			    (!stat(path, &st) && S_ISREG(st.st_mode)))) {
			add_input(in, keep(ms, path), true, operand);
		} else {
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The inputs of the operands; -1 after an error printed. */
static int expand(struct cli_models *ms, struct inputs *in, const struct cli *c,
		  const char *const *paths, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (strcmp(paths[i], "-") && !stat(paths[i], &st) &&
		    S_ISDIR(st.st_mode)) {
			if (walk(ms, in, c, paths[i], i, 0))
				rc = -1;
		} else {
			add_input(in, paths[i], false, i);
		}
	}
	return rc;
}

/* Reads every input once ("-" is standard input, once only). */
static int read_all(struct model_input *mi, char **bufs,
		    const struct inputs *in, bool *from_stdin,
		    struct diag_list *diags)
{
	int rc = 0;
	bool seen = false;
	for (size_t i = 0; i < in->n; i++) {
		mi[i].name = in->v[i].path;
		from_stdin[i] = !strcmp(in->v[i].path, "-");
		if (!from_stdin[i]) {
			if (file_read_text(&bufs[i], &mi[i].len, in->v[i].path,
					   diags))
				rc = -1;
		} else if (seen) {
			diag_add(diags, DIAG_ERROR, STDIN_NAME, 0, 0,
				 "standard input given twice ('-')");
			rc = -1;
		} else {
			seen = true;
			mi[i].name = STDIN_NAME;
			if (file_read_stream(&bufs[i], &mi[i].len, stdin,
					     STDIN_NAME, diags))
				rc = -1;
		}
		mi[i].buf = bufs[i];
	}
	return rc;
}

/* The options of model k: the parameters of the configuration for its
 * templates, then those of the command line it declares (which win: the
 * last given wins), --templates for CloudFormation.  With one model,
 * every option goes to it, so that its loader says what does not apply. */
static void model_opts(struct load_opts *o, const char **params,
		       const struct cli *c, const struct load_models *g,
		       const struct model_input *mi, const struct inputs *in,
		       size_t k)
{
	size_t np = 0;
	bool from_stdin = false;
	for (size_t i = 0; i < in->n; i++) {
		if (g->model[i] != k)
			continue;
		from_stdin |= !strcmp(in->v[i].path, "-");
		for (size_t p = 0; p < c->cfg.n_parameters; p++) {
			const struct cli_config_params *x =
			    &c->cfg.parameters[p];
			if (strcmp(x->template, mi[i].name) &&
			    !file_same(x->template, in->v[i].path))
				continue;
			for (size_t q = 0; q < x->n; q++)
				params[np++] = x->params[q];
		}
	}
	/* The first CloudFormation model (else the first) also takes the
	 * parameters no template declares, for its loader to refuse. */
	size_t first_cfn = 0;
	while (first_cfn < g->n && !g->cfn[first_cfn])
		first_cfn++;
	if (first_cfn == g->n)
		first_cfn = 0;
	for (size_t p = 0; p < c->n_params; p++) {
		bool anyone = false;
		for (size_t m = 0; m < g->n; m++)
			anyone |= g->declares[m * c->n_params + p];
		const char *eq = strchr(c->params[p], '=');
		bool pseudo = eq && !strncmp(c->params[p], "AWS::", 5);
		if (g->n == 1 || g->declares[k * c->n_params + p] ||
		    (pseudo && g->cfn[k]) ||
		    (!anyone && !pseudo && k == first_cfn))
			params[np++] = c->params[p];
	}
	*o = (struct load_opts){.params = params,
				.n_params = np,
				.tf_source = c->tf_source,
				.from_files = !from_stdin};
	if (g->n == 1 || g->cfn[k]) {
		o->template_dirs = c->template_dirs;
		o->n_template_dirs = c->n_template_dirs;
	}
}

/* The command's own outputs (--write-baseline) may not name path. */
static int refuse_outputs(const struct cli *c, const char *path)
{
	for (size_t i = 0; i < c->n_args; i++) {
		const struct cli_arg *a = &c->args[i];
		if (a->opt->value != CLI_OUT)
			continue;
		char flag[40];
		snprintf(flag, sizeof(flag), "--%s", a->opt->name);
		if (cli_refuse_input(c, flag, a->val, &path, 1))
			return -1;
	}
	return 0;
}

int cli_models_load(struct cli_models *ms, const struct cli *c,
		    const char *const *paths, size_t n, bool policies)
{
	memset(ms, 0, sizeof(*ms));
	struct inputs in = {0};
	struct diag_list diags = DIAG_LIST_INIT;
	struct load_models g = {0};
	int rc = EXIT_INPUT;
	cli_progress(c, "loading");
	if (expand(ms, &in, c, paths, n)) {
		cli_progress_end();
		free(in.v);
		return EXIT_INPUT;
	}
	/* An output may not be a file a walk found (the operands were
	 * checked when the command line was read). */
	for (size_t i = 0; i < in.n; i++)
		if (in.v[i].optional &&
		    (cli_refuse_input(c, "--output", c->output, &in.v[i].path,
				      1) ||
		     refuse_outputs(c, in.v[i].path))) {
			cli_progress_end();
			free(in.v);
			return EXIT_INPUT;
		}
	struct model_input *mi = xcalloc(in.n + 1, sizeof(*mi));
	char **bufs = xcalloc(in.n + 1, sizeof(*bufs));
	bool *from_stdin = xcalloc(in.n + 1, sizeof(*from_stdin));
	bool *optional = xcalloc(in.n + 1, sizeof(*optional));
	if (read_all(mi, bufs, &in, from_stdin, &diags))
		goto out;
	for (size_t i = 0; i < in.n; i++)
		optional[i] = in.v[i].optional;
	struct load_opts all = {.params = c->params,
				.n_params = c->n_params,
				.template_dirs = c->template_dirs,
				.n_template_dirs = c->n_template_dirs};
	load_models_group(&g, mi, in.n, optional, &all);
	/* A directory that holds no model is a mistake (a gate pointed at
	 * the wrong place); one with files that are none says how many. */
	bool empty = false;
	for (size_t op = 0; op < n; op++) {
		size_t kept = 0, dropped = 0, files = 0;
		bool walked = false;
		for (size_t i = 0; i < in.n; i++) {
			if (in.v[i].operand != op)
				continue;
			walked |= in.v[i].optional;
			files++;
			if (g.model[i] == SIZE_MAX)
				dropped++;
			else
				kept++;
		}
		struct stat st;
		bool is_dir =
		    walked || (strcmp(paths[op], "-") &&
			       !stat(paths[op], &st) && S_ISDIR(st.st_mode));
		if (is_dir && !kept) {
			diag_add(&diags, DIAG_ERROR, paths[op], 0, 0,
				 "no model here (%zu file%s of a model's name "
				 "read, none a model)",
				 files, files == 1 ? "" : "s");
			empty = true;
		} else if (dropped) {
			diag_add(&diags, DIAG_NOTE, paths[op], 0, 0,
				 "%zu file%s skipped: not a model", dropped,
				 dropped == 1 ? "" : "s");
		}
	}
	if (empty)
		goto out;
	ms->v = xcalloc(g.n + 1, sizeof(*ms->v));
	size_t errors = 0;
	for (size_t k = 0; k < g.n; k++) {
		struct cli_model *x = &ms->v[ms->n++];
		x->files = xcalloc(in.n + 1, sizeof(*x->files));
		struct model_input *mk = xcalloc(in.n + 1, sizeof(*mk));
		for (size_t i = 0; i < in.n; i++)
			if (g.model[i] == k) {
				mk[x->n_files] = mi[i];
				x->files[x->n_files++] = mi[i].name;
			}
		x->name = x->files[0];
		struct load_opts o;
		size_t need = c->n_params;
		for (size_t p = 0; p < c->cfg.n_parameters; p++)
			need += c->cfg.parameters[p].n;
		const char **pk = xcalloc(need + 1, sizeof(*pk));
		model_opts(&o, pk, c, &g, mi, &in, k);
		struct diag_list d = DIAG_LIST_INIT;
		model_load_inputs_opts(&x->m, policies ? &x->policies : NULL,
				       mk, x->n_files, &o, &d);
		cli_print_diags(c, &d);
		errors += d.n_errors;
		diag_list_free(&d);
		free(pk);
		free(mk);
	}
	rc = 0;
	for (size_t k = 0; k < ms->n; k++)
		if (!ms->v[k].m)
			rc = EXIT_INPUT;
	if (rc && errors > 1)
		fprintf(stderr, "%zu errors\n", errors);
out:
	cli_progress_end();
	cli_print_diags(c, &diags);
	if (diags.n_errors)
		rc = EXIT_INPUT;
	diag_list_free(&diags);
	load_models_free(&g);
	for (size_t i = 0; i < in.n; i++)
		free(bufs[i]);
	free(bufs);
	free(mi);
	free(from_stdin);
	free(optional);
	free(in.v);
	return rc;
}

void cli_models_free(struct cli_models *ms)
{
	if (!ms)
		return;
	for (size_t k = 0; k < ms->n; k++) {
		model_free(ms->v[k].m);
		ykit_section_free(ms->v[k].policies);
		free(ms->v[k].files);
	}
	free(ms->v);
	for (size_t i = 0; i < ms->n_found; i++)
		free(ms->found[i]);
	free(ms->found);
	memset(ms, 0, sizeof(*ms));
}

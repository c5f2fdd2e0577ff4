/*
 * What the commands share: usage errors, loading models (standard input
 * included) with the load options, policies, colour, and refusing an
 * output that would overwrite an input.  Below the commands and main.c,
 * which only dispatches: nothing here calls a command.
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
			diag_add(&errors, DIAG_ERROR, d->v[i].file,
				 d->v[i].line, d->v[i].col, "%s",
				 d->v[i].message);
	diag_print(stderr, &errors);
	diag_list_free(&errors);
}

struct model *cli_load(const struct cli *c, const char *const *paths, size_t n,
		       struct ykit_section **policies)
{
	struct cli_models ms;
	struct model *m = NULL;
	if (policies)
		*policies = NULL;
	if (!cli_models_load(&ms, c, paths, n, policies != NULL)) {
		if (ms.n == 1) {
			m = ms.v[0].m;
			ms.v[0].m = NULL;
			if (policies) {
				*policies = ms.v[0].policies;
				ms.v[0].policies = NULL;
			}
		} else {
			/* Templates that neither import nor nest each other
			 * are models of their own (load/group.c). */
			fprintf(stderr,
				"vpcsim: error: %s takes one model; these "
				"files make %zu:",
				c->cmd->name, ms.n);
			for (size_t k = 0; k < ms.n; k++)
				fprintf(stderr, "%s %s", k ? "," : "",
					ms.v[k].name);
			fputc('\n', stderr);
		}
	}
	cli_models_free(&ms);
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

int cli_analyse(struct finding_list *findings, struct policy_set **ps,
		const struct cli *c, struct model *m, struct ykit_section *own,
		const char *const *policies, uint32_t n_policies,
		const struct rule_options *opt)
{
	struct diag_list diags = DIAG_LIST_INIT;
	int rc = EXIT_INPUT;
	/* Policies: the model's own section, then each --policy file.  Any
	 * error in them stops the run before a verdict is given; so does a
	 * suppression of a rule that does not exist (it would suppress
	 * nothing, silently). */
	cli_load_policies(ps, own, policies, n_policies, m, &diags);
	findings_check_suppress(m, *ps, &diags);
	cli_print_diags(c, &diags);
	if (diags.n_errors)
		goto out;
	/* One engine, class index and exposure map for rules and policies. */
	struct rule_ctx ctx;
	cli_progress(c, "computing what reaches what");
	rule_ctx_init(&ctx, m, findings);
	cli_progress(c, "running the rules");
	rules_run_ctx(&ctx, opt);
	if (*ps) {
		cli_progress(c, "evaluating the policies");
		policy_run(findings, *ps, &ctx);
	}
	rule_ctx_free(&ctx);
	cli_progress_end();
	findings_suppress(findings, m);
	findings_sort(findings);
	rc = 0;
out:
	diag_list_free(&diags);
	return rc;
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

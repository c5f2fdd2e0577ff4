/* vpcsim's entry point: dispatches to a subcommand. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "load/load.h"
#include "report/report.h"
#include "rules/rules.h"

static const char usage[] =
    "usage: vpcsim COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  show MODEL [--format text|json]   print the model as vpcsim "
    "understands it\n"
    "  trace MODEL --from SEL --to SEL [--proto P] [--port N] "
    "[--format text|json]\n"
    "                                    explain, step by step, whether "
    "a connection works\n"
    "  reach MODEL --from SEL --to SEL [--proto P] [--port N] "
    "[--format text|json]\n"
    "                                    the verdict over every "
    "placement pair\n"
    "  check MODEL... [--format text|json|sarif|junit] [--policy FILE] "
    "...\n"
    "                                    run every rule and policy; "
    "exit 1 on findings\n"
    "  rules [--format text|markdown]    list the built-in rules\n"
    "  sim MODEL... (--fail SPEC... | --all-azs) [--format text|json]\n"
    "                                    what a failure breaks\n"
    "  diff OLD NEW [--format text|json|sarif]\n"
    "                                    what a change opens or breaks\n"
    "  graph MODEL... [--format dot|mermaid|graphml|json|svg] [--from SEL] "
    "[--output FILE]\n"
    "                                    draw the architecture and its "
    "reachable flows\n"
    "  help                              this text\n"
    "  version                           the version\n"
    "\n"
    "selectors: internet, an address, a resource id, ID@SUBNET, "
    "aws:ecr, aws:s3, aws:logs\n"
    "\n"
    "MODEL is a vpcsim model, a CloudFormation template (YAML or JSON) "
    "or a\n"
    "Terraform plan.  Every command takes --param NAME=VALUE (repeatable) "
    "to set\n"
    "a template parameter, or AWS::Region and AWS::AccountId;\n"
    "--templates DIR (repeatable), where the templates of nested stacks "
    "are looked\n"
    "up by file name; and --tf-source DIR, the directory of a plan's .tf "
    "files\n"
    "(default: the plan's own).\n"
    "\n"
    "exit status: 0 clean, 1 findings, 2 usage or input error\n";

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

/* Template parameters from --param and nested stacks' template
 * directories from --templates, for every command (main takes them out
 * of argv before the command sees its arguments). */
#define MAX_PARAMS 64
static const char *params[MAX_PARAMS];
static size_t n_params;
#define MAX_TEMPLATE_DIRS 16
static const char *template_dirs[MAX_TEMPLATE_DIRS];
static size_t n_template_dirs;
static const char *tf_source; /* --tf-source */

const char *const *cli_params(void)
{
	return params;
}

size_t cli_n_params(void)
{
	return n_params;
}

/* Loads several files as one model (CloudFormation templates joined by
 * their exports), with the --param values; prints every diagnostic. */
struct model *cli_load_paths_section(const char *const *paths, int n,
				     struct ykit_section **policies)
{
	struct diag_list diags = DIAG_LIST_INIT;
	struct model *m = NULL;
	struct load_opts o = {.params = params,
			      .n_params = n_params,
			      .template_dirs = template_dirs,
			      .n_template_dirs = n_template_dirs,
			      .tf_source = tf_source};
	model_load_files_opts(&m, policies, paths, (size_t)n, &o, &diags);
	diag_sort(&diags);
	diag_print(stderr, &diags);
	if (!m && diags.n_errors > 1)
		fprintf(stderr, "%zu errors\n", diags.n_errors);
	diag_list_free(&diags);
	return m;
}

struct model *cli_load_paths(const char *const *paths, int n)
{
	return cli_load_paths_section(paths, n, NULL);
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

struct model *cli_load(const char *path)
{
	return cli_load_paths(&path, 1);
}

/* The value of option name at argv[*i] ("--name V" or "--name=V"), the
 * index moved past it; NULL when argv[*i] is another argument, or after
 * an error message (*bad set). */
static const char *option_value(int argc, char **argv, int *i, const char *name,
				bool *bad)
{
	size_t len = strlen(name);
	if (strncmp(argv[*i], name, len))
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len])
		return NULL;
	if (*i + 1 == argc) {
		cli_usage_error("%s needs %s", name,
				!strcmp(name, "--param") ? "NAME=VALUE"
							 : "a directory");
		*bad = true;
		return NULL;
	}
	return argv[++*i];
}

/* Takes "--param NAME=VALUE", "--templates DIR" and "--tf-source DIR"
 * (and their "=" forms) out of argv; returns the new argc, or -1 after an
 * error message. */
static int take_params(int argc, char **argv)
{
	int k = 0;
	for (int i = 0; i < argc; i++) {
		bool bad = false;
		const char *tf =
		    option_value(argc, argv, &i, "--tf-source", &bad);
		if (bad)
			return -1;
		if (tf) {
			tf_source = tf;
			continue;
		}
		const char *dir =
		    option_value(argc, argv, &i, "--templates", &bad);
		const char *v =
		    dir || bad ? NULL
			       : option_value(argc, argv, &i, "--param", &bad);
		if (bad)
			return -1;
		if (dir) {
			if (n_template_dirs == MAX_TEMPLATE_DIRS) {
				cli_usage_error("at most %d --templates "
						"options",
						MAX_TEMPLATE_DIRS);
				return -1;
			}
			template_dirs[n_template_dirs++] = dir;
			continue;
		}
		if (!v) {
			argv[k++] = argv[i];
			continue;
		}
		const char *eq = strchr(v, '=');
		if (!eq || eq == v) {
			cli_usage_error("--param takes NAME=VALUE, not '%s'",
					v);
			return -1;
		}
		if (n_params == MAX_PARAMS) {
			cli_usage_error("at most %d --param options",
					MAX_PARAMS);
			return -1;
		}
		params[n_params++] = v;
	}
	return k;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
	    {"show", cmd_show},	  {"trace", cmd_trace}, {"reach", cmd_reach},
	    {"check", cmd_check}, {"rules", cmd_rules}, {"sim", cmd_sim},
	    {"diff", cmd_diff},	  {"graph", cmd_graph},
	};
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_INPUT;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		return EXIT_CLEAN;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		puts("vpcsim " VPCSIM_VERSION);
		return EXIT_CLEAN;
	}
	const char *names[ARRAY_LEN(cmds)];
	for (size_t i = 0; i < ARRAY_LEN(cmds); i++) {
		if (!strcmp(cmd, cmds[i].name)) {
			int n = take_params(argc - 2, argv + 2);
			return n < 0 ? EXIT_INPUT : cmds[i].fn(n, argv + 2);
		}
		names[i] = cmds[i].name;
	}
	const char *near = util_closest(cmd, names, ARRAY_LEN(cmds));
	if (near)
		return cli_usage_error("unknown command '%s' (did you mean "
				       "'%s'?); see 'vpcsim help'",
				       cmd, near);
	return cli_usage_error("unknown command '%s'; see 'vpcsim help'", cmd);
}

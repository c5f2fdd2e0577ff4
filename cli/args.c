/*
 * The command line, read against a command's table (cli.h).  Options are
 * GNU-style: `--name VALUE` or `--name=VALUE`, `-o VALUE` or `-oVALUE`,
 * flags bundled (`-qV`), options and operands in any order, `--` ending
 * the options and `-` an operand (standard input).  Long names are
 * matched whole, never by prefix, so adding an option never breaks a
 * script that abbreviated another; a misspelt one gets a did-you-mean.
 *
 * The command's own options are handed over in command-line order
 * (struct cli_arg); the common and load options are read here into the
 * fields of struct cli, so every command treats them alike.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"

static const struct cli_opt common_opts[] = {
    {.id = CLI_O_FORMAT,
     .short_name = 'f',
     .name = "format",
     .value = CLI_WORD,
     .metavar = "FORMAT",
     .help = "the report's format"},
    {.id = CLI_O_OUTPUT,
     .short_name = 'o',
     .name = "output",
     .value = CLI_OUT,
     .metavar = "FILE",
     .help = "write the report to FILE instead of standard output; FILE is "
	     "replaced only once the report is complete, and may not be an "
	     "input (- is standard output)"},
    {.id = CLI_O_QUIET,
     .short_name = 'q',
     .name = "quiet",
     .value = CLI_FLAG,
     .help = "print no progress, notes or warnings on standard error, only "
	     "errors"},
    {.id = CLI_O_NO_COLOR,
     .name = "no-color",
     .value = CLI_FLAG,
     .help = "no colour, even on a terminal (as the NO_COLOR environment "
	     "variable)"},
    {.id = CLI_O_HELP,
     .short_name = 'h',
     .name = "help",
     .value = CLI_FLAG,
     .help = "print this command's help and exit"},
    {.id = CLI_O_VERSION,
     .short_name = 'V',
     .name = "version",
     .value = CLI_FLAG,
     .help = "print the version and exit"},
    {0},
};

static const struct cli_opt load_opts[] = {
    {.id = CLI_O_PARAM,
     .name = "param",
     .value = CLI_TEXT,
     .metavar = "NAME=VALUE",
     .repeat = true,
     .help = "set a CloudFormation template parameter, or AWS::Region or "
	     "AWS::AccountId"},
    {.id = CLI_O_TEMPLATES,
     .name = "templates",
     .value = CLI_DIR,
     .metavar = "DIR",
     .repeat = true,
     .help = "look for the templates of nested stacks in DIR, by file "
	     "name"},
    {.id = CLI_O_TF_SOURCE,
     .name = "tf-source",
     .value = CLI_DIR,
     .metavar = "DIR",
     .help = "the directory of a Terraform plan's .tf files, for findings "
	     "at their lines (default: the plan's own directory)"},
    {.id = CLI_O_CONFIG,
     .name = "config",
     .value = CLI_FILE,
     .metavar = "FILE",
     .help = "read the configuration from FILE (default: .vpcsim.yaml in "
	     "the current directory or the nearest one above it)"},
    {.id = CLI_O_NO_CONFIG,
     .name = "no-config",
     .value = CLI_FLAG,
     .help = "read no configuration file"},
    {0},
};

const struct cli_opt *cli_common_options(void)
{
	return common_opts;
}

const struct cli_opt *cli_load_options(void)
{
	return load_opts;
}

size_t cli_tables(const struct cli_opt *t[CLI_MAX_TABLES],
		  const struct cli_cmd *cmd)
{
	size_t n = 0;
	if (cmd->shared)
		t[n++] = cmd->shared;
	if (cmd->opts)
		t[n++] = cmd->opts;
	if (cmd->models)
		t[n++] = load_opts;
	t[n++] = common_opts;
	return n;
}

bool cli_takes(const struct cli_cmd *cmd, const struct cli_opt *o)
{
	return o->id != CLI_O_FORMAT || cmd->formats;
}

/* The option named name[0..len) (long) or short_name; NULL if none. */
static const struct cli_opt *find(const struct cli_cmd *cmd, const char *name,
				  size_t len, char short_name)
{
	const struct cli_opt *t[CLI_MAX_TABLES];
	size_t nt = cli_tables(t, cmd);
	for (size_t k = 0; k < nt; k++)
		for (const struct cli_opt *o = t[k]; o->name; o++) {
			if (!cli_takes(cmd, o))
				continue;
			if (short_name ? o->short_name == short_name
				       : strlen(o->name) == len &&
					     !strncmp(o->name, name, len))
				return o;
		}
	return NULL;
}

/* "unknown option" with the closest long name as a hint. */
static int unknown(const struct cli_cmd *cmd, const char *what)
{
	const struct cli_opt *t[CLI_MAX_TABLES];
	size_t nt = cli_tables(t, cmd), n = 0;
	char *names[64];
	for (size_t k = 0; k < nt; k++)
		for (const struct cli_opt *o = t[k]; o->name && n < 64; o++)
			if (cli_takes(cmd, o))
				names[n++] = xasprintf("--%s", o->name);
	const char *near =
	    what[1] == '-' ? util_closest(what, (const char *const *)names, n)
			   : NULL;
	if (near)
		cli_usage_error("%s: unknown option '%s' (did you mean '%s'?); "
				"see 'vpcsim %s --help'",
				cmd->name, what, near, cmd->name);
	else
		cli_usage_error("%s: unknown option '%s'; see 'vpcsim %s "
				"--help'",
				cmd->name, what, cmd->name);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return -1;
}

/* What a missing value should have been, for the message. */
static const char *value_noun(const struct cli_opt *o)
{
	switch (o->value) {
	case CLI_FILE:
	case CLI_OUT:
		return "a file";
	case CLI_DIR:
		return "a directory";
	case CLI_RULE:
		return "a rule id or name";
	default:
		return strchr(o->metavar, '=') ? o->metavar : "a value";
	}
}

static size_t count_words(const char *const *w)
{
	size_t n = 0;
	while (w && w[n])
		n++;
	return n;
}

/* Takes option o with value val (NULL for a flag). */
static int apply(struct cli *c, const struct cli_opt *o, const char *val)
{
	int word = -1;
	if (o->value == CLI_WORD) {
		const char *const *words =
		    o->id == CLI_O_FORMAT ? c->cmd->formats : o->words;
		char flag[40];
		snprintf(flag, sizeof(flag), "--%s", o->name);
		word = cli_choice(flag, val, words, (int)count_words(words));
		if (word < 0)
			return -1;
	}
	switch (o->id) {
	case CLI_O_FORMAT:
		c->format = word;
		return 0;
	case CLI_O_OUTPUT:
		c->output = val;
		return 0;
	case CLI_O_QUIET:
		c->quiet = true;
		return 0;
	case CLI_O_NO_COLOR:
		c->no_color = true;
		return 0;
	case CLI_O_PARAM: {
		const char *eq = strchr(val, '=');
		if (!eq || eq == val) {
			cli_usage_error("--param takes NAME=VALUE, not '%s'",
					val);
			return -1;
		}
		c->params[c->n_params++] = val;
		return 0;
	}
	case CLI_O_TEMPLATES:
		c->template_dirs[c->n_template_dirs++] = val;
		return 0;
	case CLI_O_TF_SOURCE:
		c->tf_source = val;
		return 0;
	case CLI_O_CONFIG:
		c->config = val;
		return 0;
	case CLI_O_NO_CONFIG:
		c->no_config = true;
		return 0;
	}
	c->args[c->n_args++] = (struct cli_arg){o, val, word};
	return 0;
}

/* A long option at argv[*i] ("--name" or "--name=value"). */
static int long_option(struct cli *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i], *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct cli_opt *o = find(c->cmd, name, len, 0);
	if (!o) {
		char what[64];
		snprintf(what, sizeof(what), "%.*s", (int)(len + 2), arg);
		return unknown(c->cmd, what);
	}
	if (o->value == CLI_FLAG) {
		if (eq) {
			cli_usage_error("%s: --%s takes no value", c->cmd->name,
					o->name);
			return -1;
		}
		return apply(c, o, NULL);
	}
	const char *val = eq ? eq + 1 : NULL;
	if (!val && *i + 1 < argc)
		val = argv[++*i];
	if (!val) {
		cli_usage_error("%s: --%s needs %s", c->cmd->name, o->name,
				value_noun(o));
		return -1;
	}
	return apply(c, o, val);
}

/* A cluster of short options at argv[*i] ("-q", "-qo FILE", "-oFILE"). */
static int short_options(struct cli *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	for (const char *p = arg + 1; *p; p++) {
		const struct cli_opt *o = find(c->cmd, NULL, 0, *p);
		if (!o) {
			char what[3] = {'-', *p, '\0'};
			return unknown(c->cmd, what);
		}
		if (o->value == CLI_FLAG) {
			if (apply(c, o, NULL))
				return -1;
			continue;
		}
		const char *val = p[1]		  ? p + 1
				  : *i + 1 < argc ? argv[++*i]
						  : NULL;
		if (!val) {
			cli_usage_error("%s: -%c needs %s", c->cmd->name, *p,
					value_noun(o));
			return -1;
		}
		return apply(c, o, val);
	}
	return 0;
}

/* Whether argv asks for help or the version, before any `--`. */
static int wants(const struct cli_cmd *cmd, int argc, char **argv)
{
	for (int i = 0; i < argc && strcmp(argv[i], "--"); i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help"))
			return CLI_HELP;
		if (!strcmp(a, "--version"))
			return CLI_VERSION;
		if (a[0] != '-' || a[1] == '-')
			continue;
		/* A cluster of flags: "-qh".  A letter taking a value ends
		 * it (the rest is the value). */
		for (const char *p = a + 1; *p; p++) {
			const struct cli_opt *o = find(cmd, NULL, 0, *p);
			if (!o || o->value != CLI_FLAG)
				break;
			if (o->id == CLI_O_HELP)
				return CLI_HELP;
			if (o->id == CLI_O_VERSION)
				return CLI_VERSION;
		}
	}
	return CLI_RUN;
}

/* An output that names an operand is refused before anything runs. */
static int outputs_not_inputs(struct cli *c)
{
	if (c->output && cli_refuse_input(c, "--output", c->output, NULL, 0))
		return -1;
	for (size_t i = 0; i < c->n_args; i++) {
		const struct cli_arg *a = &c->args[i];
		char flag[40];
		snprintf(flag, sizeof(flag), "--%s", a->opt->name);
		if (a->opt->value == CLI_OUT &&
		    cli_refuse_input(c, flag, a->val, NULL, 0))
			return -1;
		/* Two outputs into one file would leave one of them. */
		if (a->opt->value == CLI_OUT && c->output &&
		    strcmp(c->output, "-") &&
		    (!strcmp(c->output, a->val) ||
		     file_same(c->output, a->val))) {
			cli_usage_error("%s: --output and %s both name %s",
					c->cmd->name, flag, a->val);
			return -1;
		}
	}
	return 0;
}

int cli_parse(struct cli *c, const struct cli_cmd *cmd,
	      const struct cli_cmd *const *all, size_t n_all, int argc,
	      char **argv)
{
	memset(c, 0, sizeof(*c));
	c->cmd = cmd;
	c->all = all;
	c->n_all = n_all;
	size_t cap = (size_t)argc + 1;
	c->operands = xcalloc(cap, sizeof(*c->operands));
	c->args = xcalloc(cap, sizeof(*c->args));
	c->params = xcalloc(cap, sizeof(*c->params));
	c->template_dirs = xcalloc(cap, sizeof(*c->template_dirs));
	int w = wants(cmd, argc, argv);
	if (w != CLI_RUN)
		return w;
	bool ended = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int rc = 0;
		if (ended || a[0] != '-' || !a[1])
			c->operands[c->n_operands++] = a;
		else if (!strcmp(a, "--"))
			ended = true;
		else if (a[1] == '-')
			rc = long_option(c, argc, argv, &i);
		else
			rc = short_options(c, argc, argv, &i);
		if (rc)
			return -1;
	}
	if (c->config && c->no_config) {
		cli_usage_error("%s: --config and --no-config together",
				cmd->name);
		return -1;
	}
	if (outputs_not_inputs(c))
		return -1;
	/* The configuration, for the commands that load models. */
	if (cmd->models && cli_config_load(&c->cfg, c))
		return -1;
	return CLI_RUN;
}

void cli_free(struct cli *c)
{
	if (!c)
		return;
	free(c->operands);
	free(c->args);
	free(c->params);
	free(c->template_dirs);
	cli_config_free(&c->cfg);
	memset(c, 0, sizeof(*c));
}

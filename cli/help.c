/*
 * Help, the man page and the shell completions, each written from the
 * commands' tables (cli.h) and the common and load option tables
 * (cli/args.c): an option added to a table appears in all four at once.
 * The committed vpcsim.1 and completion scripts (share/) are this file's
 * output; a CLI test regenerates them and fails on a difference.
 *
 * Text help is wrapped at 79 columns whatever the terminal (a narrower
 * terminal wraps it again through cli/output.c); the man page leaves
 * filling to roff.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"

#define HELP_WIDTH 79
#define OPT_COL	   26 /* where an option's help starts */

static const char overview[] =
    "vpcsim simulates and checks the network reachability of AWS VPC "
    "architectures: a native vpcsim model, a CloudFormation template (YAML "
    "or JSON) or a Terraform plan (terraform show -json), told apart by "
    "their content. Nothing is deployed and no AWS account is needed. "
    "Every verdict is explained step by step, naming the route, rule or "
    "missing piece that decides it.";

static const char operands_text[] =
    "MODEL is a file; several CloudFormation templates that import each "
    "other's exports or nest each other make one model, and - reads one "
    "from standard input. Options and operands may come in any order; -- "
    "ends the options.";

static const char selectors_text[] =
    "A selector (SEL) names one end of a connection: internet (or one "
    "public address), a private address, a resource id, ID@SUBNET (a "
    "resource's placement in one subnet), or an AWS service: aws:ecr, "
    "aws:s3, aws:logs.";

static const char exit_text[] =
    "0: clean: the question was answered, no finding at or above "
    "--fail-on, nothing broken or newly exposed.\n\n"
    "1: findings at or above --fail-on (check), or a flow broken or "
    "something newly exposed to the internet (sim, diff).\n\n"
    "2: a usage or input error, or a report that could not be written "
    "(the previous file then stays as it was).";

/* Environment variables, name then meaning. */
static const char *const environment[][2] = {
    {"NO_COLOR", "when set and not empty, no colour (as --no-color)."},
    {"CLICOLOR_FORCE",
     "when set, not empty and not 0, colour even when standard output is "
     "not a terminal (NO_COLOR and --no-color win). A report written with "
     "--output is never coloured."},
    {"COLUMNS",
     "the width text reports wrap to on a terminal (default: the "
     "terminal's). Output that is not a terminal is never wrapped, so "
     "pipes, files and CI logs do not depend on a window's size."},
    {"TERM", "dumb: no colour."},
};

/* ---- text ---------------------------------------------------------------- */

/* Writes text from column col (the cursor is there), wrapped at
 * HELP_WIDTH with continuation lines at indent; "\n\n" starts a new
 * paragraph after a blank line. */
static void words(FILE *f, const char *text, int col, int indent)
{
	bool first = true;
	for (const char *p = text; *p;) {
		if (p[0] == '\n' && p[1] == '\n') {
			fprintf(f, "\n\n%*s", indent, "");
			col = indent;
			first = true;
			p += 2;
			continue;
		}
		if (*p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		const char *w = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		int len = (int)(p - w);
		if (!first && col + 1 + len > HELP_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(w, 1, (size_t)len, f);
		col += len;
		first = false;
	}
}

/* "a, b or c", the default marked. */
static void word_list(struct strbuf *b, const char *const *w, const char *def)
{
	size_t n = 0;
	while (w[n])
		n++;
	for (size_t i = 0; i < n; i++) {
		strbuf_printf(b, "%s%s%s",
			      i == 0	   ? ""
			      : i + 1 == n ? " or "
					   : ", ",
			      w[i],
			      def && !strcmp(w[i], def) ? " (default)" : "");
	}
}

/* An option's help sentence: its own words, the values it takes (where
 * the help says {}, else at its end), and whether it may be repeated.
 * The caller frees it (strbuf_free). */
static void opt_help(struct strbuf *b, const struct cli_opt *o,
		     const struct cli_cmd *cmd)
{
	const char *at = strstr(o->help, "{}");
	strbuf_add(b, o->help, at ? (size_t)(at - o->help) : strlen(o->help));
	if (o->value == CLI_WORD && !at)
		strbuf_printf(b, ": ");
	if (o->id == CLI_O_FORMAT)
		word_list(b, cmd->formats, cmd->formats[0]);
	else if (o->value == CLI_WORD)
		word_list(b, o->words, o->def);
	if (at)
		strbuf_printf(b, "%s", at + 2);
	if (o->value != CLI_WORD && o->def) {
		strbuf_printf(b, " (default: %s)", o->def);
	}
	if (o->repeat)
		strbuf_printf(b, "; repeatable");
}

static void help_options(FILE *f, const struct cli_opt *t,
			 const struct cli_cmd *cmd)
{
	for (const struct cli_opt *o = t; o->name; o++) {
		if (!cli_takes(cmd, o))
			continue;
		int col;
		if (o->short_name)
			col = fprintf(f, "  -%c, --%s", o->short_name, o->name);
		else
			col = fprintf(f, "      --%s", o->name);
		if (o->metavar)
			col += fprintf(f, " %s", o->metavar);
		if (col + 2 > OPT_COL) {
			fprintf(f, "\n%*s", OPT_COL, "");
		} else {
			fprintf(f, "%*s", OPT_COL - col, "");
		}
		struct strbuf b = {0};
		opt_help(&b, o, cmd);
		words(f, strbuf_str(&b), OPT_COL, OPT_COL);
		strbuf_free(&b);
		fputc('\n', f);
	}
}

/* "usage: vpcsim NAME [OPTIONS] FORM", one line a form. */
static void usage_lines(FILE *f, const struct cli_cmd *cmd)
{
	const char *s = cmd->synopsis;
	const char *lead = "usage: ";
	do {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);
		fprintf(f, "%svpcsim %s [OPTIONS]%s%.*s\n", lead, cmd->name,
			len ? " " : "", len, s);
		lead = "       ";
		s = nl ? nl + 1 : NULL;
	} while (s);
}

void cli_help_command(FILE *f, const struct cli_cmd *cmd)
{
	usage_lines(f, cmd);
	fputc('\n', f);
	words(f, cmd->description, 0, 0);
	fputc('\n', f);
	if (cmd->shared || cmd->opts)
		fputs("\noptions:\n", f);
	if (cmd->shared)
		help_options(f, cmd->shared, cmd);
	if (cmd->opts)
		help_options(f, cmd->opts, cmd);
	if (cmd->models) {
		fputs("\nmodel options:\n", f);
		help_options(f, cli_load_options(), cmd);
	}
	fputs("\ncommon options:\n", f);
	help_options(f, cli_common_options(), cmd);
	if (cmd->examples) {
		fputs("\nexamples:\n", f);
		for (const char *const *e = cmd->examples; *e; e++)
			fprintf(f, "  %s\n", *e);
	}
}

void cli_help_commands(FILE *f, const struct cli_cmd *const *all, size_t n)
{
	fputs("usage: vpcsim COMMAND [OPTIONS] [ARGS]\n\n", f);
	words(f, overview, 0, 0);
	fputs("\n\ncommands:\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-12s%s\n", all[i]->name, all[i]->summary);
	fputc('\n', f);
	words(f,
	      "Every command takes -h/--help, -f/--format, -o/--output, "
	      "-q/--quiet, --no-color and -V/--version; 'vpcsim help COMMAND' "
	      "or 'vpcsim COMMAND --help' shows a command's options and "
	      "examples. 'man vpcsim' says it all on one page.",
	      0, 0);
	fputs("\n\n", f);
	words(f, operands_text, 0, 0);
	fputs("\n\n", f);
	words(f, selectors_text, 0, 0);
	fputs("\n\nexit status: 0 clean, 1 findings, 2 usage or input error\n",
	      f);
}

/* ---- the man page ------------------------------------------------------ */

/* Text for roff: backslashes escaped, a hyphen that starts a word (an
 * option) is a minus, and no line starts with a control character. */
static void roff(FILE *f, const char *s)
{
	for (const char *p = s; *p; p++) {
		bool word_start = p == s || p[-1] == ' ' || p[-1] == '(' ||
				  p[-1] == '-' || p[-1] == '/' || p[-1] == '[';
		if (*p == '\\')
			fputs("\\e", f);
		else if (*p == '-' && word_start)
			fputs("\\-", f);
		else if ((*p == '.' || *p == '\'') && p == s)
			fprintf(f, "\\&%c", *p); /* not a request */
		else
			fputc(*p, f);
	}
}

/* Paragraphs ("\n\n" apart) as roff paragraphs. */
static void roff_paragraphs(FILE *f, const char *text)
{
	struct strbuf b = {0};
	for (const char *p = text;;) {
		const char *e = strstr(p, "\n\n");
		strbuf_clear(&b);
		strbuf_add(&b, p, e ? (size_t)(e - p) : strlen(p));
		for (char *q = b.s; q && *q; q++)
			if (*q == '\n')
				*q = ' ';
		fputs(".PP\n", f);
		roff(f, strbuf_str(&b));
		fputc('\n', f);
		if (!e)
			break;
		p = e + 2;
	}
	strbuf_free(&b);
}

static void man_options(FILE *f, const struct cli_opt *t,
			const struct cli_cmd *cmd)
{
	for (const struct cli_opt *o = t; o->name; o++) {
		if (cmd && !cli_takes(cmd, o))
			continue;
		fputs(".TP\n", f);
		if (o->short_name)
			fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
		fprintf(f, "\\fB");
		roff(f, "--");
		fprintf(f, "%s\\fR", o->name);
		if (o->metavar)
			fprintf(f, " \\fI%s\\fR", o->metavar);
		fputc('\n', f);
		struct strbuf b = {0};
		if (o->id == CLI_O_FORMAT && !cmd)
			strbuf_printf(&b,
				      "%s: the words each command takes "
				      "are listed with it",
				      o->help);
		else
			opt_help(&b, o, cmd);
		strbuf_printf(&b, ".");
		char *s = b.s;
		s[0] = (char)(s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0]);
		roff(f, s);
		fputc('\n', f);
		strbuf_free(&b);
	}
}

static void man_command(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, ".SS %s\n", cmd->name);
	const char *s = cmd->synopsis;
	do {
		const char *nl = strchr(s, '\n');
		struct strbuf b = {0};
		strbuf_add(&b, s, nl ? (size_t)(nl - s) : strlen(s));
		fprintf(f, ".PP\n\\fBvpcsim %s\\fR [\\fIOPTIONS\\fR] ",
			cmd->name);
		roff(f, strbuf_str(&b));
		fputc('\n', f);
		strbuf_free(&b);
		s = nl ? nl + 1 : NULL;
	} while (s);
	roff_paragraphs(f, cmd->description);
	if (cmd->shared)
		man_options(f, cmd->shared, cmd);
	if (cmd->opts)
		man_options(f, cmd->opts, cmd);
	if (cmd->formats) {
		const struct cli_opt *t = cli_common_options();
		for (; t->name && t->id != CLI_O_FORMAT; t++)
			;
		struct cli_opt one[2] = {*t, {0}};
		man_options(f, one, cmd);
	}
	if (cmd->examples) {
		fputs(".PP\nExamples:\n.PP\n.RS\n.nf\n", f);
		for (const char *const *e = cmd->examples; *e; e++) {
			roff(f, *e);
			fputc('\n', f);
		}
		fputs(".fi\n.RE\n", f);
	}
}

static void write_man(FILE *f, const struct cli_cmd *const *all, size_t n)
{
	fputs(".\\\" Generated by `vpcsim help --format man` from the option "
	      "tables; do not edit.\n",
	      f);
	fprintf(f, ".TH VPCSIM 1 \"\" \"vpcsim %s\" \"User Commands\"\n",
		VPCSIM_VERSION);
	fputs(".SH NAME\nvpcsim \\- simulate and check the network "
	      "reachability of AWS VPC architectures\n",
	      f);
	fputs(".SH SYNOPSIS\n", f);
	fputs("\\fBvpcsim\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
	      "[\\fIOPERANDS\\fR]\n.br\n\\fBvpcsim help\\fR "
	      "[\\fICOMMAND\\fR]\n",
	      f);
	fputs(".SH DESCRIPTION\n", f);
	roff_paragraphs(f, overview);
	roff_paragraphs(f, operands_text);
	fputs(".SH COMMANDS\n", f);
	for (size_t i = 0; i < n; i++)
		man_command(f, all[i]);
	fputs(".SH MODEL OPTIONS\n", f);
	roff_paragraphs(f, "Every command that loads a model takes these.");
	man_options(f, cli_load_options(), NULL);
	fputs(".SH COMMON OPTIONS\n", f);
	roff_paragraphs(f, "Every command takes these (--format where it "
			   "writes a report).");
	man_options(f, cli_common_options(), NULL);
	fputs(".SH SELECTORS\n", f);
	roff_paragraphs(f, selectors_text);
	fputs(".SH ENVIRONMENT\n", f);
	for (size_t i = 0; i < ARRAY_LEN(environment); i++) {
		fprintf(f, ".TP\n.B %s\n", environment[i][0]);
		roff(f, environment[i][1]);
		fputc('\n', f);
	}
	fputs(".SH EXIT STATUS\n", f);
	roff_paragraphs(f, exit_text);
	fputs(".SH SEE ALSO\n", f);
	roff_paragraphs(f, "The documentation in the source tree: README.md, "
			   "docs/check.md (the CI gate), docs/ci.md (GitHub "
			   "Actions, GitLab, pre-commit), docs/rules.md, "
			   "docs/model.md, docs/network-semantics.md.");
}

/* ---- completions ------------------------------------------------------- */

/* The words completing a command's operands, space-separated. */
static void operand_words(struct strbuf *b, const struct cli_cmd *cmd,
			  const struct cli_cmd *const *all, size_t n)
{
	if (cmd == &cli_cmd_help) {
		for (size_t i = 0; i < n; i++)
			strbuf_printf(b, "%s%s", i ? " " : "", all[i]->name);
		return;
	}
	for (const char *const *w = cmd->operand_words; w && *w; w++)
		strbuf_printf(b, "%s%s", w == cmd->operand_words ? "" : " ",
			      *w);
}

/* The words an option takes, space-separated.  (Rule ids are asked of
 * the binary being completed, `vpcsim rules`, so the scripts do not
 * change when a rule is added and always match the installed rules.) */
static void value_words(struct strbuf *b, const struct cli_opt *o,
			const struct cli_cmd *cmd)
{
	const char *const *w = o->id == CLI_O_FORMAT ? cmd->formats : o->words;
	for (size_t i = 0; w && w[i]; i++)
		strbuf_printf(b, "%s%s", i ? " " : "", w[i]);
}

static void bash_command(FILE *f, const struct cli_cmd *cmd,
			 const struct cli_cmd *const *all, size_t n)
{
	const struct cli_opt *t[CLI_MAX_TABLES];
	size_t nt = cli_tables(t, cmd);
	fprintf(f, "\t%s)\n\t\tcase $prev in\n", cmd->name);
	for (size_t k = 0; k < nt; k++)
		for (const struct cli_opt *o = t[k]; o->name; o++) {
			if (!cli_takes(cmd, o) || o->value == CLI_FLAG)
				continue;
			fputs("\t\t", f);
			if (o->short_name)
				fprintf(f, "-%c|", o->short_name);
			fprintf(f, "--%s)\n\t\t\t", o->name);
			struct strbuf b = {0};
			switch (o->value) {
			case CLI_FILE:
			case CLI_OUT:
				fputs("COMPREPLY=($(compgen -f -- \"$cur\"))",
				      f);
				break;
			case CLI_DIR:
				fputs("COMPREPLY=($(compgen -d -- \"$cur\"))",
				      f);
				break;
			case CLI_WORD:
				value_words(&b, o, cmd);
				fprintf(f,
					"COMPREPLY=($(compgen -W \"%s\" -- "
					"\"$cur\"))",
					strbuf_str(&b));
				break;
			case CLI_RULE:
				fputs(
				    "COMPREPLY=($(compgen -W \"$(\"${COMP_"
				    "WORDS[0]}\" rules 2>/dev/null | cut -d' ' "
				    "-f1)\" -- \"$cur\"))",
				    f);
				break;
			default:
				fputs("COMPREPLY=()", f);
				break;
			}
			strbuf_free(&b);
			fputs("\n\t\t\treturn ;;\n", f);
		}
	fputs("\t\tesac\n\t\tif [[ $cur == -* ]]; then\n\t\t\topts=\"", f);
	bool first = true;
	for (size_t k = 0; k < nt; k++)
		for (const struct cli_opt *o = t[k]; o->name; o++) {
			if (!cli_takes(cmd, o))
				continue;
			if (o->short_name)
				fprintf(f, "%s-%c", first ? "" : " ",
					o->short_name);
			fprintf(f, "%s--%s", first && !o->short_name ? "" : " ",
				o->name);
			first = false;
		}
	fputs("\"\n\t\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n", f);
	struct strbuf w = {0};
	operand_words(&w, cmd, all, n);
	if (cmd->models)
		fputs("\t\telse\n\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n",
		      f);
	else if (w.n)
		fprintf(f,
			"\t\telse\n\t\t\tCOMPREPLY=($(compgen -W \"%s\" -- "
			"\"$cur\"))\n",
			strbuf_str(&w));
	strbuf_free(&w);
	fputs("\t\tfi\n\t\t;;\n", f);
}

static void write_bash(FILE *f, const struct cli_cmd *const *all, size_t n)
{
	fputs("# bash completion for vpcsim.  Generated by `vpcsim completion "
	      "bash` from the\n# option tables; do not edit.\n"
	      "_vpcsim() {\n"
	      "\tlocal cur prev cmd opts i\n"
	      "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	      "\tprev=${COMP_WORDS[COMP_CWORD - 1]}\n"
	      "\t# --name=value: bash splits at the '='.\n"
	      "\tif [[ $cur == = ]]; then\n"
	      "\t\tcur=\n"
	      "\telif [[ $prev == = && $COMP_CWORD -gt 1 ]]; then\n"
	      "\t\tprev=${COMP_WORDS[COMP_CWORD - 2]}\n"
	      "\tfi\n"
	      "\tcmd=\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in\n"
	      "\t\t-*) ;;\n"
	      "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	      "\t\tesac\n"
	      "\tdone\n"
	      "\tcase $cmd in\n"
	      "\t'')\n"
	      "\t\tCOMPREPLY=($(compgen -W \"",
	      f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s ", all[i]->name);
	fputs("--help --version\" -- \"$cur\"))\n\t\t;;\n", f);
	for (size_t i = 0; i < n; i++)
		bash_command(f, all[i], all, n);
	fputs("\tesac\n}\ncomplete -o filenames -F _vpcsim vpcsim\n", f);
}

/* Text inside a zsh description: its first clause (up to ";" or " ("),
 * without the {} of the value list, escaped for _arguments. */
static void zsh_desc(FILE *f, const char *s)
{
	const char *end = s;
	while (*end && *end != ';' && strncmp(end, " (", 2))
		end++;
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == ':'))
			end--;
		else if (end - s >= 2 && !strncmp(end - 2, "{}", 2))
			end -= 2;
		else
			break;
	}
	for (const char *p = s; p < end; p++) {
		if (p[0] == '{' && p[1] == '}') {
			p++;
			continue;
		}
		if (*p == '[' || *p == ']' || *p == ':' || *p == '\\')
			fputc('\\', f);
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
}

static void zsh_action(FILE *f, const struct cli_opt *o,
		       const struct cli_cmd *cmd)
{
	struct strbuf b = {0};
	switch (o->value) {
	case CLI_FILE:
	case CLI_OUT:
		fputs(":_files", f);
		break;
	case CLI_DIR:
		fputs(":_files -/", f);
		break;
	case CLI_WORD:
		value_words(&b, o, cmd);
		fprintf(f, ":(%s)", strbuf_str(&b));
		break;
	case CLI_RULE:
		fputs(":_vpcsim_rules", f);
		break;
	default:
		fputs(": ", f);
		break;
	}
	strbuf_free(&b);
}

static void zsh_command(FILE *f, const struct cli_cmd *cmd,
			const struct cli_cmd *const *all, size_t n)
{
	const struct cli_opt *t[CLI_MAX_TABLES];
	size_t nt = cli_tables(t, cmd);
	fprintf(f, "\t%s)\n\t\t_arguments -s -S", cmd->name);
	for (size_t k = 0; k < nt; k++)
		for (const struct cli_opt *o = t[k]; o->name; o++) {
			if (!cli_takes(cmd, o))
				continue;
			const char *arg = o->value == CLI_FLAG ? "" : "=";
			fputs(" \\\n\t\t\t'", f);
			if (o->repeat)
				fputc('*', f);
			else if (o->short_name)
				fprintf(f, "(-%c --%s)", o->short_name,
					o->name);
			if (o->short_name && !o->repeat)
				fprintf(f, "'{-%c%s,--%s%s}'", o->short_name,
					*arg ? "+" : "", o->name, arg);
			else
				fprintf(f, "--%s%s", o->name, arg);
			fputc('[', f);
			zsh_desc(f, o->help);
			fputc(']', f);
			if (o->value != CLI_FLAG) {
				fprintf(f, ":%s", o->metavar);
				zsh_action(f, o, cmd);
			}
			fputc('\'', f);
		}
	struct strbuf w = {0};
	operand_words(&w, cmd, all, n);
	if (cmd->models)
		fputs(" \\\n\t\t\t'*:MODEL:_files'", f);
	else if (w.n)
		fprintf(f, " \\\n\t\t\t'*:argument:(%s)'", strbuf_str(&w));
	strbuf_free(&w);
	fputs("\n\t\t;;\n", f);
}

static void write_zsh(FILE *f, const struct cli_cmd *const *all, size_t n)
{
	fputs("#compdef vpcsim\n# zsh completion for vpcsim.  Generated by "
	      "`vpcsim completion zsh` from the\n# option tables; do not "
	      "edit.\n\n"
	      "# The built-in rules' ids, from the vpcsim being completed.\n"
	      "_vpcsim_rules() {\n"
	      "\tlocal -a ids\n"
	      "\tids=(${${(f)\"$(_call_program rules $vpcsim rules "
	      "2>/dev/null)\"}%% *})\n"
	      "\t_describe -t rules 'rule' ids\n"
	      "}\n\n"
	      "_vpcsim() {\n\tlocal -a commands\n\tcommands=(\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "\t\t'%s:", all[i]->name);
		zsh_desc(f, all[i]->summary);
		fputs("'\n", f);
	}
	fputs("\t)\n\tif (( CURRENT == 2 )); then\n"
	      "\t\t_describe -t commands 'vpcsim command' commands\n"
	      "\t\treturn\n\tfi\n"
	      "\tlocal vpcsim=${words[1]} cmd=${words[2]}\n"
	      "\tshift words\n\t(( CURRENT-- ))\n"
	      "\tcase $cmd in\n",
	      f);
	for (size_t i = 0; i < n; i++)
		zsh_command(f, all[i], all, n);
	fputs("\tesac\n}\n\n_vpcsim \"$@\"\n", f);
}

/* ---- the commands ------------------------------------------------------ */

static const char *const help_formats[] = {"text", "man", NULL};

static int run_help(struct cli *c)
{
	const struct cli_cmd *about = NULL;
	if (c->n_operands > 1)
		return cli_usage_error("help: one COMMAND at most");
	if (c->n_operands && c->format == 1)
		return cli_usage_error("help: --format man writes the whole "
				       "page; give no COMMAND");
	if (c->n_operands) {
		const char *names[64];
		size_t n = 0;
		for (size_t i = 0; i < c->n_all && n < 64; i++) {
			names[n++] = c->all[i]->name;
			if (!strcmp(c->all[i]->name, c->operands[0]))
				about = c->all[i];
		}
		if (!about) {
			const char *near =
			    util_closest(c->operands[0], names, n);
			return cli_usage_error(
			    "help: unknown command '%s'%s%s%s", c->operands[0],
			    near ? " (did you mean '" : "", near ? near : "",
			    near ? "'?)" : "");
		}
	}
	struct cli_out o;
	if (cli_out_open(&o, c, c->format == 0))
		return EXIT_INPUT;
	if (c->format == 1)
		write_man(o.f, c->all, c->n_all);
	else if (about)
		cli_help_command(o.f, about);
	else
		cli_help_commands(o.f, c->all, c->n_all);
	return cli_out_close(&o);
}

const struct cli_cmd cli_cmd_help = {
    .name = "help",
    .synopsis = "[COMMAND]",
    .summary = "print a command's help, or the list of commands",
    .description =
	"Prints a command's usage, options and examples (the same as "
	"'vpcsim COMMAND --help'), or without COMMAND the list of "
	"commands. --format man writes this manual page in roff.",
    .formats = help_formats,
    .examples =
	(const char *const[]){"vpcsim help check",
			      "vpcsim help --format man | man -l -", NULL},
    .run = run_help,
};

static const char *const shells[] = {"bash", "zsh", NULL};

static int run_completion(struct cli *c)
{
	if (c->n_operands != 1)
		return cli_usage_error("usage: vpcsim completion bash|zsh");
	int shell = cli_choice("the shell", c->operands[0], shells, 2);
	if (shell < 0)
		return EXIT_INPUT;
	struct cli_out o;
	if (cli_out_open(&o, c, false))
		return EXIT_INPUT;
	if (shell == 0)
		write_bash(o.f, c->all, c->n_all);
	else
		write_zsh(o.f, c->all, c->n_all);
	return cli_out_close(&o);
}

const struct cli_cmd cli_cmd_completion = {
    .name = "completion",
    .synopsis = "bash|zsh",
    .summary = "print a shell completion script",
    .description =
	"Prints the completion script for bash or zsh: commands, options, "
	"their values (formats, protocols, rule ids) and files. `make "
	"install` installs both; to try one without installing, run `source "
	"<(vpcsim completion bash)`.",
    .operand_words = shells,
    .examples = (const char *const[]){"vpcsim completion bash > "
				      "~/.local/share/bash-completion/"
				      "completions/vpcsim",
				      NULL},
    .run = run_completion,
};

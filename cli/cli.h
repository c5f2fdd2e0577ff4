/*
 * The `vpcsim` command.  Every command is described by one table, struct
 * cli_cmd: its operands, its own options (struct cli_opt), its --format
 * words and its help text.  The parser (cli/args.c), --help, the man page
 * and the shell completions (cli/help.c) all read that table, so they
 * cannot drift apart.  Options every command takes (--format, --output,
 * --quiet, --no-color, --help, --version) and those of every command that
 * loads a model (--param, --templates, --tf-source) are tables of their
 * own in cli/args.c, added to each command's.
 *
 * A command's run function gets the parsed command line (struct cli) and
 * returns the exit status: 0 clean, 1 findings at or above the
 * threshold, 2 usage, input or output error.
 *
 * Adding an option is a row in a table and a case where the command
 * reads c->args (or, for an option every command takes, a row in
 * cli/args.c's tables and a field of struct cli); help, the man page and
 * the completions follow, and `make regen` rewrites share/.
 */
#ifndef VPCSIM_CLI_H
#define VPCSIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/file.h"
#include "model/model.h"

struct policy_set;
struct ykit_section;

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_INPUT = 2 };

/* What an option's value is; completion offers files, directories, the
 * listed words or the built-in rules' ids for it. */
enum cli_value {
	CLI_FLAG, /* no value */
	CLI_WORD, /* one of words[] */
	CLI_FILE, /* a path read */
	CLI_OUT,  /* a path written: refused when it names an operand */
	CLI_DIR,  /* a directory */
	CLI_RULE, /* a built-in rule's id or name */
	CLI_TEXT, /* anything else: a selector, a number, NAME=VALUE */
};

/* The common options' ids; a command numbers its own from 1 up. */
enum {
	CLI_O_FORMAT = 1000,
	CLI_O_OUTPUT,
	CLI_O_QUIET,
	CLI_O_NO_COLOR,
	CLI_O_HELP,
	CLI_O_VERSION,
	CLI_O_PARAM,
	CLI_O_TEMPLATES,
	CLI_O_TF_SOURCE,
	CLI_O_CONFIG,
	CLI_O_NO_CONFIG,
};

/* One option of a table; a table ends with an entry whose name is NULL. */
struct cli_opt {
	int id;
	char short_name;	  /* 'o' for -o; 0 when there is none */
	const char *name;	  /* "output" for --output */
	enum cli_value value;	  /* CLI_FLAG: takes no value */
	const char *metavar;	  /* the value in help: "FILE", "SEL", "N" */
	const char *const *words; /* CLI_WORD: the values, NULL-ended */
	const char *def;	  /* the default value, for help; or NULL */
	bool repeat;		  /* may be given more than once */
	/* One sentence, lower case, no full stop; the values of a CLI_WORD
	 * option are listed where it says {}, else at its end. */
	const char *help;
};

struct cli;

/* The parameters the configuration file gives one template. */
struct cli_config_params {
	char *template; /* the template's path, from here */
	char **params;	/* "NAME=VALUE" */
	size_t n;
};

/* The configuration file (cli/config.c); every field is empty when none
 * was read.  Paths are from the current directory (the file's joined to
 * its directory). */
struct cli_config {
	char *path;			/* the file read, or NULL */
	char *dir;			/* its directory */
	const char *fail_on, *severity; /* the words, or NULL */
	char **skip, **only, **policies, **ignore;
	size_t n_skip, n_only, n_policies, n_ignore;
	char *baseline;
	struct cli_config_params *parameters;
	size_t n_parameters;
};

/* A command: what --help, the man page and the completions say of it,
 * and how it runs. */
struct cli_cmd {
	const char *name;
	/* The operands after "vpcsim NAME [OPTIONS] ": "MODEL...", or
	 * several forms, one a line. */
	const char *synopsis;
	const char *summary;	 /* one line for the list of commands */
	const char *description; /* paragraphs, "\n\n" between them */
	/* --format's words, the default first, NULL-ended; NULL when the
	 * command writes no report (help, completion). */
	const char *const *formats;
	/* Its options: a table it shares with other commands (listed
	 * first), then its own; either may be NULL. */
	const struct cli_opt *shared, *opts;
	bool models; /* operands are models: the load options
			apply and `-` is standard input */
	const char *const *operand_words; /* else completion offers these */
	const char *const *examples;	  /* command lines, NULL-ended */
	int (*run)(struct cli *c);
};

/* One of the command's own options as given, in command-line order. */
struct cli_arg {
	const struct cli_opt *opt;
	const char *val; /* NULL for a flag */
	int word;	 /* CLI_WORD: the index of val in opt->words */
};

/* A parsed command line (cli_parse); cli_free releases it. */
struct cli {
	const struct cli_cmd *cmd;
	/* Every command, for help and completion. */
	const struct cli_cmd *const *all;
	size_t n_all;
	const char **operands; /* models or words, "-" included */
	size_t n_operands;
	struct cli_arg *args; /* the command's own options */
	size_t n_args;
	/* The common options. */
	const char *output; /* -o; NULL (or "-"): standard output */
	int format;	    /* index into cmd->formats */
	bool quiet, no_color;
	/* The load options (struct load_opts). */
	const char **params, **template_dirs;
	size_t n_params, n_template_dirs;
	const char *tf_source;
	/* --config FILE, --no-config, and the file read (commands that
	 * load models read it before they run). */
	const char *config;
	bool no_config;
	struct cli_config cfg;
};

/* ---- cli/args.c: the option tables and the parser ---------------------- */

/* The options every command takes, and those of the commands that load
 * models; each table ends with a NULL name. */
const struct cli_opt *cli_common_options(void);
const struct cli_opt *cli_load_options(void);
/* The option tables cmd takes, in help order (shared, its own, load,
 * common) into t; returns how many. */
#define CLI_MAX_TABLES 4
size_t cli_tables(const struct cli_opt *t[CLI_MAX_TABLES],
		  const struct cli_cmd *cmd);
/* Whether cmd takes o (of its tables): --format only when cmd has
 * formats to choose from. */
bool cli_takes(const struct cli_cmd *cmd, const struct cli_opt *o);
/* What cli_parse found: a command line to run, or a request for the
 * command's help or the version (printed by the caller, exit 0). */
enum cli_parsed { CLI_RUN, CLI_HELP, CLI_VERSION };
/*
 * Parses argv (the arguments after the command's name) against cmd's
 * table into *c, which the caller frees with cli_free in every case.
 * Returns an enum cli_parsed, or -1 after a usage error on standard
 * error (exit 2).  -h/--help and -V/--version win wherever they stand
 * before `--`, even after a mistake.
 */
int cli_parse(struct cli *c, const struct cli_cmd *cmd,
	      const struct cli_cmd *const *all, size_t n_all, int argc,
	      char **argv);
void cli_free(struct cli *c);

/* ---- cli/common.c: what the commands share -------------------------- */

/* Prints "vpcsim: error: ..." and returns EXIT_INPUT. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The index of val in names, or -1 after an error naming opt, the
 * choices and the closest one. */
int cli_choice(const char *opt, const char *val, const char *const *names,
	       int n);
/* Prints diagnostics to standard error, sorted; with --quiet only the
 * errors. */
void cli_print_diags(const struct cli *c, struct diag_list *d);
/* The run's time for JUnit, "YYYY-MM-DDTHH:MM:SS" UTC: now, or
 * SOURCE_DATE_EPOCH's when it is set (the reproducible-builds
 * convention), so that tests and builds can fix it. */
void cli_timestamp(char *buf, size_t size);
/* Whether colour is wanted on f (standard output or error): not with
 * --no-color or NO_COLOR, always with CLICOLOR_FORCE, else on a
 * terminal whose TERM is not "dumb". */
bool cli_color(const struct cli *c, FILE *f);
/*
 * Refuses (a usage error naming both, and -1) an output path that is one
 * of the command's operands or one of inputs[0..n) (compared by device
 * and inode, so any spelling of the same file is caught), or that is
 * standard input's file.
 */
int cli_refuse_input(const struct cli *c, const char *opt, const char *path,
		     const char *const *inputs, size_t n);

/* ---- cli/analyse.c: one model, and the analysis ------------------------ */

/*
 * Loads paths[0..n) (files, directories, "-" for standard input) as one
 * model, with the load options and configuration of c, printing every
 * diagnostic; the model is the caller's, NULL when it did not load or
 * the paths make several models (cli_models_load groups them).  With
 * policies, a native model's own `policies:` section is handed over
 * there (load.h model_load_files_section).
 */
struct model *cli_load(const struct cli *c, const char *const *paths, size_t n,
		       struct ykit_section **policies);
/* The same for the command's operands. */
struct model *cli_load_operands(const struct cli *c,
				struct ykit_section **policies);
/* Loads the policies of a run into *ps: the model's own section (own,
 * may be NULL; freed here), then each --policy file, read once.  Problems
 * go to diags for the caller to print. */
void cli_load_policies(struct policy_set **ps, struct ykit_section *own,
		       const char *const *files, uint32_t n,
		       const struct model *m, struct diag_list *diags);
struct finding_list;
struct rule_options;
/*
 * Every selected rule and every policy over m into findings, suppressed
 * and sorted: the policies are the model's own section (own, may be NULL;
 * freed here), then each file of policies; they go to *ps, the caller's
 * (policy findings point into it).  0, or EXIT_INPUT after printed errors
 * in the policies or in a suppression of a rule that does not exist.
 */
int cli_analyse(struct finding_list *findings, struct policy_set **ps,
		const struct cli *c, struct model *m, struct ykit_section *own,
		const char *const *policies, uint32_t n_policies,
		const struct rule_options *opt);

/* ---- cli/config.c: the configuration file ----------------------------- */

/* Reads the configuration file of c (--config FILE, or .vpcsim.yaml from
 * the current directory up; none with --no-config) into *cfg, printing
 * its diagnostics.  0, or EXIT_INPUT after an error (cfg is then still
 * the caller's to free). */
int cli_config_load(struct cli_config *cfg, const struct cli *c);
void cli_config_free(struct cli_config *cfg);
/* Whether a directory walk skips dir: its name or path is in ignore. */
bool cli_config_ignores(const struct cli_config *cfg, const char *dir);

/* ---- cli/models.c: the models of a run -------------------------------- */

/* One model of the operands: its files and, once loaded, the model and
 * a native model's own policies section. */
struct cli_model {
	const char **files; /* as given or found (the run's strings) */
	size_t n_files;
	const char *name; /* files[0], or <stdin> */
	struct model *m;
	struct ykit_section *policies;
};

struct cli_models {
	struct cli_model *v;
	size_t n;
	/* Strings the run owns: paths found in directories. */
	char **found;
	size_t n_found;
};

/*
 * The models of paths[0..n) (files, directories walked, "-"), grouped
 * (load.h load_models_group) and loaded with c's load options and
 * configuration, every diagnostic printed.  With policies, each native
 * model's own section is kept.  Returns 0, or EXIT_INPUT when an input
 * cannot be read, a directory holds no model, or a model does not load
 * (*ms is then still the caller's to free).
 */
int cli_models_load(struct cli_models *ms, const struct cli *c,
		    const char *const *paths, size_t n, bool policies);
void cli_models_free(struct cli_models *ms);

/* ---- cli/output.c: where a report goes -------------------------------- */

/*
 * The command's report: -o FILE (struct file_out: replaced whole or left
 * as it was), or standard output.  Text for people (text = true) on a
 * terminal is wrapped to its width at the end; never wrapped elsewhere,
 * so pipes, files and golden outputs do not depend on a terminal.
 */
struct cli_out {
	FILE *f; /* where writers write */
	struct file_out file;
	FILE *mem; /* wrapping: the text collected until cli_out_close */
	char *buf;
	size_t len;
	int width;  /* wrap at this many columns; 0: never */
	bool color; /* writers may use ANSI colour */
};

/* Opens the report's destination (c->output or standard output).  0, or
 * EXIT_INPUT after an error (nothing to close then). */
int cli_out_open(struct cli_out *o, const struct cli *c, bool text);
/* Finishes the report: wraps, flushes and checks every write, and puts a
 * file in place.  0, or EXIT_INPUT after an error message (the previous
 * file then stays). */
int cli_out_close(struct cli_out *o);
/* Drops the report (after an error): a file is left as it was. */
void cli_out_abort(struct cli_out *o);

/* ---- cli/progress.c: progress on standard error ----------------------- */

/* Starts a step ("loading"), ending the one before: when standard error
 * is a terminal and not --quiet, a step that lasts over a second says so
 * there (and the line is cleared when it ends). */
void cli_progress(const struct cli *c, const char *step);
/* Ends the current step, if any. */
void cli_progress_end(void);

/* ---- cli/help.c: help, man page, completions ------------------------- */

/* The list of commands, for `vpcsim --help` (and standard error when no
 * command is given). */
void cli_help_commands(FILE *f, const struct cli_cmd *const *all, size_t n);
/* A command's full help: usage, options, examples. */
void cli_help_command(FILE *f, const struct cli_cmd *cmd);
extern const struct cli_cmd cli_cmd_help, cli_cmd_completion;

/* ---- the commands ----------------------------------------------------- */

extern const struct cli_cmd cli_cmd_show, cli_cmd_trace, cli_cmd_reach,
    cli_cmd_check, cli_cmd_rules, cli_cmd_sim, cli_cmd_diff, cli_cmd_graph,
    cli_cmd_report, cli_cmd_version;

#endif

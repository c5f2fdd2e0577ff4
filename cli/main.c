/*
 * vpcsim's entry point: finds the command, has its command line parsed
 * against its table (cli/args.c), runs it, and checks that standard
 * output took every byte.  It only dispatches: the helpers the commands
 * share are in cli/common.c, cli/output.c and cli/progress.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"

static int run_version(struct cli *c)
{
	struct cli_out o;
	if (cli_out_open(&o, c, false))
		return EXIT_INPUT;
	fputs("vpcsim " VPCSIM_VERSION "\n", o.f);
	return cli_out_close(&o);
}

const struct cli_cmd cli_cmd_version = {
    .name = "version",
    .synopsis = "",
    .summary = "print the version",
    .description = "Prints \"vpcsim\" and the version (as -V and --version "
		   "do with any command).",
    .examples = (const char *const[]){"vpcsim version", NULL},
    .run = run_version,
};

/* In the order `vpcsim --help` lists them. */
static const struct cli_cmd *const commands[] = {
    &cli_cmd_show,   &cli_cmd_trace, &cli_cmd_reach,	  &cli_cmd_check,
    &cli_cmd_rules,  &cli_cmd_sim,   &cli_cmd_diff,	  &cli_cmd_graph,
    &cli_cmd_report, &cli_cmd_help,  &cli_cmd_completion, &cli_cmd_version,
};

static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(name, commands[i]->name))
			return commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *names[ARRAY_LEN(commands)];
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		names[i] = commands[i]->name;
	const char *near = util_closest(name, names, ARRAY_LEN(commands));
	if (near)
		return cli_usage_error("unknown command '%s' (did you mean "
				       "'%s'?); see 'vpcsim --help'",
				       name, near);
	return cli_usage_error("unknown command '%s'; see 'vpcsim --help'",
			       name);
}

/* Runs cmd on argv, the arguments after its name. */
static int dispatch(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli c;
	int parsed =
	    cli_parse(&c, cmd, commands, ARRAY_LEN(commands), argc, argv);
	int rc = EXIT_INPUT;
	if (parsed == CLI_RUN) {
		rc = cmd->run(&c);
	} else if (parsed == CLI_HELP) {
		cli_help_command(stdout, cmd);
		rc = EXIT_CLEAN;
	} else if (parsed == CLI_VERSION) {
		puts("vpcsim " VPCSIM_VERSION);
		rc = EXIT_CLEAN;
	}
	cli_progress_end();
	cli_free(&c);
	return rc;
}

int main(int argc, char **argv)
{
	/* A file size limit (ulimit -f) makes a write fail with EFBIG,
	 * which is reported, instead of killing the process mid-file. */
	signal(SIGXFSZ, SIG_IGN);
	int rc;
	const char *name = argc > 1 ? argv[1] : NULL;
	if (!name) {
		cli_help_commands(stderr, commands, ARRAY_LEN(commands));
		return EXIT_INPUT;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		rc = dispatch(&cli_cmd_help, argc - 2, argv + 2);
	else if (!strcmp(name, "--version") || !strcmp(name, "-V"))
		rc = dispatch(&cli_cmd_version, argc - 2, argv + 2);
	else if (find(name))
		rc = dispatch(find(name), argc - 2, argv + 2);
	else
		return unknown_command(name);
	/* Every byte of standard output was taken, or the run failed:
	 * `vpcsim check > /dev/full` must not pass a gate.  (A report's own
	 * failed write was reported already, with exit 2.) */
	errno = 0;
	if (rc != EXIT_INPUT && (fflush(stdout) != 0 || ferror(stdout))) {
		cli_usage_error("cannot write standard output: %s",
				strerror(errno ? errno : EIO));
		return EXIT_INPUT;
	}
	return rc;
}

/*
 * Subcommands.  Each takes argv after the subcommand name and returns the
 * process exit status: 0 clean, 1 findings at or above the threshold, 2
 * usage or input error.
 */
#ifndef VPCSIM_CLI_H
#define VPCSIM_CLI_H

#include <stdbool.h>

#include "base/diag.h"
#include "model/model.h"

struct policy_set;
struct ykit_section;

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_INPUT = 2 };

int cmd_show(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_reach(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_graph(int argc, char **argv);

/* Prints "vpcsim: error: ..." and returns EXIT_INPUT. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Loads a model file of any supported format, printing every diagnostic
 * to stderr; NULL when it could not be loaded.  The caller owns it. */
struct model *cli_load(const char *path);
/* The --param NAME=VALUE values of the command line. */
const char *const *cli_params(void);
size_t cli_n_params(void);
/* The same for several files that form one model (CloudFormation stacks
 * joined by exports). */
struct model *cli_load_paths(const char *const *paths, int n);
/* The same, handing over a native model's own `policies:` section in
 * *policies (load.h model_load_files_section), for cli_load_policies. */
struct model *cli_load_paths_section(const char *const *paths, int n,
				     struct ykit_section **policies);
/* Loads the policies of a run into *ps: the model's own section (own,
 * may be NULL; freed here), then each --policy file, read once.  Problems
 * go to diags for the caller to print. */
void cli_load_policies(struct policy_set **ps, struct ykit_section *own,
		       const char *const *files, uint32_t n,
		       const struct model *m, struct diag_list *diags);
/* Parses "--format X" style values: index into names, or -1 after an
 * error message. */
int cli_choice(const char *opt, const char *val, const char *const *names,
	       int n);

#endif

/*
 * One model for a command, and the analysis check and the what-if
 * commands share: policies (the model's own section, then each --policy
 * file), suppressions checked against the rules that exist, the rules and
 * the policies run on one engine.  Above cli/models.c, which finds and
 * loads the models of a run, and cli/common.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "load/load.h"
#include "rules/rules.h"

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

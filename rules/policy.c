/* The policy language (docs/policy.md): being written. */
#include <stdlib.h>

#include "rules_impl.h"

int policy_load_file(struct policy_set **out, const char *path,
                     const struct model *m, bool in_model,
                     struct diag_list *diags)
{
	(void)m;
	(void)out;
	if (in_model)
		return 0;
	diag_add(diags, DIAG_ERROR, path, 0, 0, "policies are not supported "
	                                        "yet");
	return -1;
}

void policy_set_free(struct policy_set *p)
{
	(void)p;
}

void policy_run(struct finding_list *out, const struct policy_set *p,
                struct rule_ctx *ctx)
{
	(void)out;
	(void)p;
	(void)ctx;
}

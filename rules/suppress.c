/*
 * Suppressions checked against the rules that exist: a suppression of a
 * rule id nobody has would suppress nothing, silently.  Its own file
 * because it needs the whole registry (built-in rules, diff rules and
 * policies) while rules/finding.c sits below all of them.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "rules/policy/policy_impl.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"

int findings_check_suppress(const struct model *m, const struct policy_set *ps,
			    struct diag_list *diags)
{
	uint32_t nb, nd;
	const struct rule_def *b = rules_builtin(&nb);
	const struct rule_def *d = rules_diff_defs(&nd);
	uint32_t np = ps ? ps->n : 0;
	size_t n = 2 * (size_t)(nb + nd) + np, k = 0;
	const char **names = xcalloc(n + 1, sizeof(*names));
	for (uint32_t i = 0; i < nb; i++) {
		names[k++] = b[i].id;
		names[k++] = b[i].name;
	}
	for (uint32_t i = 0; i < nd; i++) {
		names[k++] = d[i].id;
		names[k++] = d[i].name;
	}
	for (uint32_t i = 0; i < np; i++)
		names[k++] = ps->v[i].id;
	int rc = 0;
	for (uint32_t i = 0; i < m->n_suppress; i++) {
		const struct model_suppress *e = &m->suppress[i];
		bool known = false;
		for (size_t j = 0; j < k && !known; j++)
			known = !strcmp(e->rule, names[j]);
		if (known)
			continue;
		const char *near = util_closest(e->rule, names, k);
		diag_add(diags, DIAG_ERROR, e->loc.file, e->loc.line,
			 e->loc.col,
			 "a suppression names rule '%s', which does not "
			 "exist%s%s%s; 'vpcsim rules' lists the rules",
			 e->rule, near ? " (did you mean '" : "",
			 near ? near : "", near ? "'?)" : "");
		rc = -1;
	}
	free(names);
	return rc;
}

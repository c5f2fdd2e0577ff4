/*
 * The rule framework: the registry of built-in rules and running them;
 * the shared context is rules/ctx.c, findings rules/finding.c.
 *
 * Built-in rules live in two tables, one per family (reach_rules.c:
 * rules that read reachability; config_rules.c: rules that read the
 * model's structure), each sorted by id; rules_builtin merges them once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"

/* ---- registry ----------------------------------------------------------- */

static const struct rule_def *all_rules[64];
static uint32_t n_all;

static int def_cmp(const void *a, const void *b)
{
	const struct rule_def *x = *(const struct rule_def *const *)a;
	const struct rule_def *y = *(const struct rule_def *const *)b;
	return strcmp(x->id, y->id);
}

static void registry_init(void)
{
	if (n_all)
		return;
	uint32_t na, nb;
	const struct rule_def *a = rules_reach_defs(&na);
	const struct rule_def *b = rules_config_defs(&nb);
	for (uint32_t i = 0; i < na && n_all < ARRAY_LEN(all_rules); i++)
		all_rules[n_all++] = &a[i];
	for (uint32_t i = 0; i < nb && n_all < ARRAY_LEN(all_rules); i++)
		all_rules[n_all++] = &b[i];
	qsort(all_rules, n_all, sizeof(*all_rules), def_cmp);
}

const struct rule_def *rules_builtin(uint32_t *n)
{
	registry_init();
	*n = n_all;
	/* The caller walks an array of defs: hand out pointers in order by
	 * copying into a static array of structs once. */
	static struct rule_def sorted[ARRAY_LEN(all_rules)];
	static bool copied;
	if (!copied) {
		for (uint32_t i = 0; i < n_all; i++)
			sorted[i] = *all_rules[i];
		copied = true;
	}
	return sorted;
}

const struct rule_def *rules_find(const char *id_or_name)
{
	registry_init();
	for (uint32_t i = 0; i < n_all; i++)
		if (!strcmp(all_rules[i]->id, id_or_name) ||
		    !strcmp(all_rules[i]->name, id_or_name))
			return all_rules[i];
	return NULL;
}

/* ---- running ------------------------------------------------------------ */

static bool listed(const char *const *v, uint32_t n, const struct rule_def *d)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(v[i], d->id) || !strcmp(v[i], d->name))
			return true;
	return false;
}

bool rules_selected(const struct rule_options *opt, const struct rule_def *d)
{
	if (opt && opt->n_only && !listed(opt->only, opt->n_only, d))
		return false;
	return !(opt && listed(opt->skip, opt->n_skip, d));
}

void rules_run_ctx(struct rule_ctx *ctx, const struct rule_options *opt)
{
	registry_init();
	for (uint32_t i = 0; i < n_all; i++) {
		const struct rule_def *d = all_rules[i];
		if (rules_selected(opt, d))
			d->run(ctx, d);
	}
}

void rules_run(struct finding_list *out, const struct model *m,
	       const struct rule_options *opt)
{
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, out);
	rules_run_ctx(&ctx, opt);
	rule_ctx_free(&ctx);
	findings_suppress(out, m);
}

/*
 * Which models many inputs make (load.h struct load_models): each native
 * model and each Terraform plan is a model of its own; CloudFormation
 * templates make one model when one imports another's export or nests
 * it, as a load of them all would join them (load/cfn cfn_join), and
 * each other template stands alone.  Inputs found by walking a directory
 * are optional: one that is not a model (it does not parse, or is YAML or
 * JSON of something else) is dropped, not an error.
 *
 * Invariants: models are numbered by their first input, so the order of
 * the inputs is the order of the models; every kept input belongs to
 * exactly one model.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/util.h"
#include "base/ykit.h"
#include "load/cfn/cfn.h"
#include "load/load.h"
#include "load/load_impl.h"

/* Whether a native-looking document is a vpcsim model: it has VPCs.  A
 * policy file, a compose file or a CI workflow has none. */
static bool native_model(struct ydoc *doc)
{
	return ykit_map_get(doc, ydoc_root(doc), "vpcs", NULL) != NULL;
}

int load_models_group(struct load_models *g, const struct model_input *in,
		      size_t n, const bool *optional, const struct load_opts *o)
{
	static const struct load_opts none;
	if (!o)
		o = &none;
	memset(g, 0, sizeof(*g));
	g->model = xcalloc(n + 1, sizeof(*g->model));
	if (n == 1 && !(optional && optional[0])) {
		/* One input that is kept whatever it holds is one model:
		 * nothing to join, so it is not parsed here only to be
		 * parsed again by its load (a 90 MB estate twice). */
		g->n = 1;
		g->first = xcalloc(1, sizeof(*g->first));
		g->cfn = xcalloc(1, sizeof(*g->cfn));
		g->tfplan = xcalloc(1, sizeof(*g->tfplan));
		g->declares = xcalloc(o->n_params + 1, sizeof(*g->declares));
		return 0;
	}
	struct ydoc *docs = xcalloc(n + 1, sizeof(*docs));
	bool *have = xcalloc(n + 1, sizeof(*have));
	enum load_format *fmt = xcalloc(n + 1, sizeof(*fmt));
	size_t *join = xcalloc(n + 1, sizeof(*join)), n_cfn = 0;
	struct diag_list quiet = DIAG_LIST_INIT;
	/* Parsed quietly: the load of each model says what is wrong. */
	for (size_t i = 0; i < n; i++) {
		join[i] = i;
		have[i] = load_parse(&docs[i], &in[i], &quiet);
		fmt[i] = have[i] ? load_detect(&docs[i], ydoc_root(&docs[i]))
				 : LOAD_NATIVE;
		bool model = have[i] &&
			     (fmt[i] != LOAD_NATIVE || native_model(&docs[i]));
		g->model[i] = optional && optional[i] && !model ? SIZE_MAX : 0;
		g->dropped += g->model[i] == SIZE_MAX;
		n_cfn += have[i] && fmt[i] == LOAD_CFN && g->model[i] == 0;
	}
	/* The templates, given to one quiet CloudFormation load. */
	size_t *cfn_input = xcalloc(n_cfn + 1, sizeof(*cfn_input));
	bool *declares = xcalloc(n_cfn * o->n_params + 1, sizeof(*declares));
	if (n_cfn > 1 || (n_cfn && o->n_params)) {
		struct load_docs d = {.diags = &quiet};
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (have[i] && fmt[i] == LOAD_CFN && g->model[i] == 0) {
				cfn_input[k] = i;
				size_t e = load_docs_add(&d, in[i].name, true);
				d.v[e].doc = &docs[i];
				d.v[e].state = 1;
				k++;
			}
		for (size_t i = 0; i < o->n_template_dirs; i++)
			load_docs_add_dir(&d, o->template_dirs[i]);
		size_t *j = xcalloc(n_cfn + 1, sizeof(*j));
		cfn_join(&d, o->params, o->n_params, j, declares);
		for (size_t x = 0; x < n_cfn; x++)
			join[cfn_input[x]] = cfn_input[j[x]];
		free(j);
		load_docs_free(&d);
	}
	/* Models by their first input. */
	g->first = xcalloc(n + 1, sizeof(*g->first));
	g->cfn = xcalloc(n + 1, sizeof(*g->cfn));
	g->tfplan = xcalloc(n + 1, sizeof(*g->tfplan));
	g->declares = xcalloc(n * o->n_params + 1, sizeof(*g->declares));
	for (size_t i = 0; i < n; i++) {
		if (g->model[i] == SIZE_MAX)
			continue;
		if (join[i] != i) {
			g->model[i] = g->model[join[i]];
			continue;
		}
		size_t k = g->n++;
		g->model[i] = k;
		g->first[k] = i;
		g->cfn[k] = have[i] && fmt[i] == LOAD_CFN;
		g->tfplan[k] = have[i] && fmt[i] == LOAD_TFPLAN;
	}
	for (size_t x = 0; x < n_cfn; x++) {
		size_t k = g->model[cfn_input[x]];
		for (size_t p = 0; p < o->n_params; p++)
			if (declares[x * o->n_params + p])
				g->declares[k * o->n_params + p] = true;
	}
	for (size_t i = 0; i < n; i++)
		if (have[i])
			ydoc_free(&docs[i]);
	free(declares);
	free(cfn_input);
	free(join);
	free(fmt);
	free(have);
	free(docs);
	diag_list_free(&quiet);
	return 0;
}

void load_models_free(struct load_models *g)
{
	if (!g)
		return;
	free(g->model);
	free(g->first);
	free(g->cfn);
	free(g->tfplan);
	free(g->declares);
	memset(g, 0, sizeof(*g));
}

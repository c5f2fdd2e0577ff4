/*
 * What the format loaders share with load/load.c and nothing else does.
 * Not a public header.
 */
#ifndef VPCSIM_LOAD_IMPL_H
#define VPCSIM_LOAD_IMPL_H

#include <yaml.h>

#include "base/diag.h"
#include "model/model.h"

/*
 * Format loaders over a parsed document whose root is a mapping.  Each
 * fills m's kind arrays (model_alloc_kinds, then model_index_ids before
 * resolving references) and reports every problem to diags; model_finish
 * runs after it in any case.  Return 0, or negative after errors.
 */
/* The native loader also hands over its `policies:` section (a node of
 * doc, or NULL) in *policies when policies is not NULL. */
int model_load_native(struct model *m, const yaml_document_t *doc,
		      yaml_node_t **policies, struct diag_list *diags);
int model_load_cfn(struct model *m, yaml_document_t *doc,
		   struct diag_list *diags);
/* A Terraform plan; tf_source is the directory of its .tf files
 * (--tf-source; NULL: the plan's own).  *map receives where its objects
 * are written (NULL when nothing says), for tf_srcmap_apply; map NULL:
 * no .tf files are looked for. */
struct tf_srcmap;
int model_load_tfplan(struct model *m, yaml_document_t *doc,
		      const char *tf_source, struct tf_srcmap **map,
		      struct diag_list *diags);
/* Moves every location of m that is a plan position of a resource (or of
 * one of its blocks) to the .tf line it is written on; after
 * model_finish, so the model's order and finish's diagnostics stay the
 * plan's.  Both accept NULL; free releases the map. */
void tf_srcmap_apply(const struct tf_srcmap *map, struct model *m);
void tf_srcmap_free(struct tf_srcmap *map);
/* Several CloudFormation templates as one model (names[i] is docs[i]'s
 * file); params are --param NAME=VALUE strings. */
int model_load_cfn_multi(struct model *m, yaml_document_t **docs,
			 const char **names, size_t n,
			 const char *const *params, size_t n_params,
			 struct diag_list *diags);

#endif

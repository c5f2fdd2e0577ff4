/*
 * What loaders share with model.c and nothing else does: allocation of the
 * kind arrays and the id index.  Not a public header.
 */
#ifndef VPCSIM_MODEL_IMPL_H
#define VPCSIM_MODEL_IMPL_H

#include <yaml.h>

#include "model.h"

/* Allocates zeroed kind arrays of count[k] objects each. */
void model_alloc_kinds(struct model *m, const uint32_t count[MK_KIND_COUNT]);
/* Sorts every object into m->by_id; reports duplicate ids. */
void model_index_ids(struct model *m, struct diag_list *diags);
/* Reads a whole file into a NUL-terminated heap buffer the caller frees;
 * refuses directories and files over MODEL_MAX_FILE bytes. */
int model_read_file(char **out, size_t *len, const char *path,
		    struct diag_list *diags);

/*
 * Format loaders over a parsed document whose root is a mapping.  Each
 * fills m's kind arrays (model_alloc_kinds, then model_index_ids before
 * resolving references) and reports every problem to diags; model_finish
 * runs after it in any case.  Return 0, or negative after errors.
 */
int model_load_native(struct model *m, yaml_document_t *doc,
		      struct diag_list *diags);
int model_load_cfn(struct model *m, yaml_document_t *doc,
		   struct diag_list *diags);
int model_load_tfplan(struct model *m, yaml_document_t *doc,
		      struct diag_list *diags);
/* Several CloudFormation templates as one model (names[i] is docs[i]'s
 * file); params are --param NAME=VALUE strings. */
int model_load_cfn_multi(struct model *m, yaml_document_t **docs,
			 const char **names, size_t n,
			 const char *const *params, size_t n_params,
			 struct diag_list *diags);

/*
 * Limits on input (docs/robustness.md), each refused with a diagnostic.
 * The numeric ones are plain literals: messages spell them.
 */
#define MODEL_MAX_FILE	    (128u << 20) /* bytes in one input file */
#define MODEL_MAX_DEPTH	    256	     /* nested collections, aliases expanded */
#define MODEL_MAX_NODES	    4000000  /* YAML nodes in one document */
#define MODEL_MAX_EXPANDED  16000000 /* nodes with every alias expanded */
#define MODEL_MAX_SCALAR    1048576  /* bytes in one scalar */
#define MODEL_MAX_RESOURCES 1000000  /* objects or resources in one model */
#define MODEL_MAX_CIDRS	    1000     /* CIDR blocks in one rule or list */
#define MODEL_MAX_VPC_CIDRS 64	     /* IPv4 blocks of one VPC (AWS: 50) */
#define MODEL_MAX_ROUTES    4000000  /* routes, prefix lists expanded */

/*
 * yaml_parser_load within the limits above, and with anchors found in
 * constant time and recursive aliases refused.  A limit is a composer
 * error (p->problem, p->problem_mark) like libyaml's own; 0 after any
 * error, and doc is then empty.
 */
int model_yaml_load(yaml_parser_t *p, yaml_document_t *doc);

#endif

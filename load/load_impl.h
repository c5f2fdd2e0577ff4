/*
 * What the format loaders share with load/load.c and nothing else does.
 * Not a public header.
 */
#ifndef VPCSIM_LOAD_IMPL_H
#define VPCSIM_LOAD_IMPL_H

#include <stdbool.h>
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
int model_load_tfplan(struct model *m, yaml_document_t *doc,
		      struct diag_list *diags);
/*
 * The templates one CloudFormation load may read: the inputs first, then
 * the files of the --templates directories and those a nested stack names
 * by a local path, each read and parsed at its first use (load.c).  An
 * entry's document never moves; all stay until the load ends.
 */
struct load_doc {
	const char *path;     /* as given, or DIR/NAME */
	yaml_document_t *doc; /* once parsed; NULL before, or after an error */
	int state;	      /* 0 unread, 1 parsed, -1 unreadable (reported) */
	bool given;	      /* an input of the load */
};
struct load_docs {
	struct load_doc *v;
	size_t n, cap;
	struct diag_list *diags; /* where reading and parsing report */
};
/* The document of entry i, read and parsed once (a CloudFormation
 * template, or a diagnostic says why not); NULL when it cannot be. */
yaml_document_t *load_docs_open(struct load_docs *d, size_t i);
/* The entry of path when it names a regular file, added unread when it is
 * new; -1 when no such file exists (nothing reported). */
long load_docs_file(struct load_docs *d, const char *path);

/* Several CloudFormation templates as one model: the given entries of
 * docs, with the nested stacks they name; params are --param NAME=VALUE
 * strings. */
int model_load_cfn_multi(struct model *m, struct load_docs *docs,
			 const char *const *params, size_t n_params,
			 struct diag_list *diags);

#endif

/*
 * What the format loaders share with load/load.c and nothing else does.
 * Not a public header.
 */
#ifndef VPCSIM_LOAD_IMPL_H
#define VPCSIM_LOAD_IMPL_H

#include <stdbool.h>
#include <yaml.h>

#include "base/diag.h"
#include "base/ydoc.h"
#include "load/load.h"
#include "model/model.h"

/* ---- reading inputs (input.c) ---- */

enum load_format { LOAD_NATIVE, LOAD_CFN, LOAD_TFPLAN };

/* Parses one input into doc (a mapping at its root); false after a
 * diagnostic, and doc is then empty. */
bool load_parse(struct ydoc *doc, const struct model_input *in,
		struct diag_list *diags);
/* The format of a parsed document, from its content: CloudFormation
 * (AWSTemplateFormatVersion, or Resources of AWS:: types), a Terraform
 * plan (format_version with planned_values or resource_changes), or a
 * vpcsim model. */
enum load_format load_detect(struct ydoc *doc, struct ydoc_node *root);
/* An error for every string of doc with a NUL byte, which the
 * CloudFormation loader would read cut short. */
void load_refuse_nul(struct ydoc *doc, const char *name,
		     struct diag_list *diags);

/*
 * Format loaders over a parsed document whose root is a mapping.  Each
 * fills m's kind arrays (model_alloc_kinds, then model_index_ids before
 * resolving references) and reports every problem to diags; model_finish
 * runs after it in any case.  Return 0, or negative after errors.
 */
/* The native loader also hands over its `policies:` section (a node of
 * doc, or NULL) in *policies when policies is not NULL. */
int model_load_native(struct model *m, const struct ydoc *doc,
		      struct ydoc_node **policies, struct diag_list *diags);
int model_load_cfn(struct model *m, struct ydoc *doc, struct diag_list *diags);
/* A Terraform plan; tf_source is the directory of its .tf files
 * (--tf-source; NULL: the plan's own).  *map receives where its objects
 * are written (NULL when nothing says), for tf_srcmap_apply; map NULL:
 * no .tf files are looked for. */
struct tf_srcmap;
int model_load_tfplan(struct model *m, struct ydoc *doc, const char *tf_source,
		      struct tf_srcmap **map, struct diag_list *diags);
/* Moves every location of m that is a plan position of a resource (or of
 * one of its blocks) to the .tf line it is written on; after
 * model_finish, so the model's order and finish's diagnostics stay the
 * plan's.  Both accept NULL; free releases the map. */
void tf_srcmap_apply(const struct tf_srcmap *map, struct model *m);
void tf_srcmap_free(struct tf_srcmap *map);
/*
 * The templates one CloudFormation load may read: the inputs first, then
 * the files of the --templates directories and those a nested stack names
 * by a local path, each read and parsed at its first use (load.c).  An
 * entry's document never moves; all stay until the load ends.
 */
struct load_doc {
	const char *path; /* as given, or DIR/NAME */
	struct ydoc *doc; /* once parsed; NULL before, or after an error */
	int state;	  /* 0 unread, 1 parsed, -1 unreadable (reported) */
	bool given;	  /* an input of the load */
};
struct load_docs {
	struct load_doc *v;
	size_t n, cap;
	struct diag_list *diags; /* where reading and parsing report */
};
/* Adds an entry for path (an input when given; its document is then the
 * caller's to set), returning its index.  The strings are copied. */
size_t load_docs_add(struct load_docs *d, const char *path, bool given);
/* Adds the regular files of a --templates directory, unread, by name; an
 * error when it cannot be listed. */
void load_docs_add_dir(struct load_docs *d, const char *dir);
/* Frees the entries and the documents read on demand (not the inputs'). */
void load_docs_free(struct load_docs *d);
/* The document of entry i, read and parsed once (a CloudFormation
 * template, or a diagnostic says why not); NULL when it cannot be. */
struct ydoc *load_docs_open(struct load_docs *d, size_t i);
/* The entry of path when it names a regular file, added unread when it is
 * new; -1 when no such file exists (nothing reported). */
long load_docs_file(struct load_docs *d, const char *path);

/* ---- suppressions (suppress.c) ---- */

/* Whether s is a date YYYY-MM-DD that exists (from 1970 on). */
bool load_until_valid(const char *s);
/*
 * Records the suppressions of n, a mapping {rule or rules, reason, until}
 * or a list of them, in m, one entry a rule, at the rule's position in
 * the file R reads; scope gives what they cover (its kind, index, first
 * and last; the rest is filled here).  Shape errors (no rule, no reason,
 * a blank reason, a bad date, unknown keys) are R's, at their nodes;
 * what names n in them.
 */
struct ykit;
void load_suppress_yaml(struct ykit *R, struct model *m,
			const struct ydoc_node *n,
			const struct model_suppress *scope, const char *what);
/* The last line (1-based) on which node n of doc has content. */
uint32_t load_last_line(const struct ydoc *doc, const struct ydoc_node *n);
/* Where `vpcsim:ignore` starts in text[0..len), or NULL. */
const char *load_suppress_mark(const char *text, size_t len);
/*
 * A comment's `vpcsim:ignore RULE[,RULE...] [until:YYYY-MM-DD] REASON`
 * (text[0..len) is the comment, starting at line:col of file) as
 * suppressions in m covering what scope says; nothing when the comment
 * has no mark, an error in diags when it is malformed.
 */
void load_suppress_comment(struct model *m, const char *text, size_t len,
			   const char *file, uint32_t line, uint32_t col,
			   const struct model_suppress *scope,
			   struct diag_list *diags);

/* Several CloudFormation templates as one model: the given entries of
 * docs, with the nested stacks they name; params are --param NAME=VALUE
 * strings. */
int model_load_cfn_multi(struct model *m, struct load_docs *docs,
			 const char *const *params, size_t n_params,
			 struct diag_list *diags);

#endif

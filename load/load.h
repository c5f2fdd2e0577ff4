/*
 * Loading a model from files: reads them, parses them (YAML and JSON
 * alike, base/ydoc.h), tells each one's format from its content, runs
 * that format's loader (load/native, load/cfn, load/tf) and model_finish.
 * A model exists only if no error was reported.
 */
#ifndef VPCSIM_LOAD_H
#define VPCSIM_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/ykit.h"
#include "model/model.h"

/*
 * Loads a model file of any supported format.  On success *out is a complete
 * model owned by the caller (model_free); on failure *out is NULL, every
 * problem found is in diags, and the return value is negative.
 */
int model_load_file(struct model **out, const char *path,
		    struct diag_list *diags);
/* The same from a buffer; name is used in diagnostics. */
int model_load_buffer(struct model **out, const char *name, const char *buf,
		      size_t len, struct diag_list *diags);
/* One input of a multi-file load: its name for diagnostics and content. */
struct model_input {
	const char *name;
	const char *buf;
	size_t len;
};
/*
 * Loads several inputs as one model: CloudFormation templates that refer
 * to each other through Outputs/Export and Fn::ImportValue (one input may
 * be of any format).  params are template parameters "NAME=VALUE" (the
 * command line's --param), CloudFormation only.  Same contract as
 * model_load_file.
 */
int model_load_inputs(struct model **out, const struct model_input *in,
		      size_t n, const char *const *params, size_t n_params,
		      struct diag_list *diags);
/* The same from files. */
int model_load_files(struct model **out, const char *const *paths, size_t n,
		     const char *const *params, size_t n_params,
		     struct diag_list *diags);

/*
 * What a load takes beside its inputs, CloudFormation only: template
 * parameters "NAME=VALUE" (--param), and directories where the templates
 * of nested stacks are looked up by file name (--templates DIR).
 */
struct load_opts {
	const char *const *params;
	size_t n_params;
	const char *const *template_dirs;
	size_t n_template_dirs;
	/* The directory of a Terraform plan's .tf files (--tf-source); NULL:
	 * the plan file's own, when the plan was read from a file. */
	const char *tf_source;
	/* The inputs' names are the files they were read from (set by
	 * model_load_files_opts), so a plan's .tf files may lie beside. */
	bool from_files;
};
/* model_load_inputs_section and model_load_files_section with options
 * (o may be NULL). */
int model_load_inputs_opts(struct model **out, struct ykit_section **policies,
			   const struct model_input *in, size_t n,
			   const struct load_opts *o, struct diag_list *diags);
int model_load_files_opts(struct model **out, struct ykit_section **policies,
			  const char *const *paths, size_t n,
			  const struct load_opts *o, struct diag_list *diags);

/*
 * The same, handing over what a native model file holds beside the model:
 * its `policies:` section, with the document it was parsed into, so that
 * the policy loader reads it from there (rules.h policy_load_section) and
 * the file is read and parsed once, under one set of rules.  *policies is
 * the caller's (ykit_section_free); NULL unless the model loaded from a
 * native file that has a `policies:` key.
 */
int model_load_files_section(struct model **out, struct ykit_section **policies,
			     const char *const *paths, size_t n,
			     const char *const *params, size_t n_params,
			     struct diag_list *diags);
int model_load_inputs_section(struct model **out,
			      struct ykit_section **policies,
			      const struct model_input *in, size_t n,
			      const char *const *params, size_t n_params,
			      struct diag_list *diags);

/*
 * The models n inputs make (load/group.c), before any is loaded: each
 * native model and each Terraform plan alone, CloudFormation templates
 * together when one imports another's export (Outputs/Export and
 * Fn::ImportValue) or nests it (AWS::CloudFormation::Stack), each other
 * template alone.  o gives the parameters and --templates directories
 * the templates are evaluated with (o may be NULL).  An input marked
 * optional (found in a directory) that is not a model is dropped; any
 * other input is kept, whatever it holds (its load says what is wrong).
 */
struct load_models {
	size_t *model; /* per input: its model, or SIZE_MAX when dropped */
	size_t n;      /* models, numbered by their first input */
	size_t dropped;
	size_t *first; /* per model: its first input */
	/* per model: CloudFormation, a Terraform plan; false for a single
	 * kept input, which is one model without being parsed here */
	bool *cfn, *tfplan;
	/* per model k and parameter p of o: whether a template of k
	 * declares p, at declares[k * o->n_params + p] */
	bool *declares;
};
/* Fills *g (the caller frees it with load_models_free); returns 0. */
int load_models_group(struct load_models *g, const struct model_input *in,
		      size_t n, const bool *optional,
		      const struct load_opts *o);
void load_models_free(struct load_models *g);

#endif

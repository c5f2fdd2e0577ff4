/*
 * Entry to every loader: reads the files, parses them with libyaml (YAML
 * and JSON alike), tells the format from the content, and runs that
 * format's loader and model_finish.  Several files make one model only as
 * CloudFormation templates (stacks that import each other's exports, or
 * nest).  A model exists only if no error was reported.
 * Reading and recognising one input is input.c's, as is the set of
 * templates a CloudFormation load may read (its nested stacks').
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/file.h"
#include "base/util.h"
#include "base/ykit.h"
#include "load/load.h"
#include "load/load_impl.h"
#include "model/model_impl.h"

static const char *format_name(enum load_format f)
{
	return f == LOAD_CFN	  ? "a CloudFormation template"
	       : f == LOAD_TFPLAN ? "a Terraform plan"
				  : "a vpcsim model";
}

/* A native model's `policies:` section, the document moved into it (the
 * caller no longer deletes doc). */
static struct ykit_section *section_of(struct ydoc *doc, struct ydoc_node *node,
				       const char *file)
{
	struct ykit_section *s = xcalloc(1, sizeof(*s));
	s->doc = *doc;
	s->file = xstrdup(file);
	s->node = node;
	return s;
}

/* The CloudFormation loader over the parsed inputs and the templates it
 * may look up. */
static void load_cfn(struct model *m, struct ydoc *docs,
		     const struct model_input *in, size_t n,
		     const struct load_opts *o, struct diag_list *diags)
{
	struct load_docs d = {.diags = diags};
	for (size_t i = 0; i < n; i++) {
		size_t k = load_docs_add(&d, in[i].name, true);
		d.v[k].doc = &docs[i];
		d.v[k].state = 1;
	}
	for (size_t i = 0; i < o->n_template_dirs; i++)
		load_docs_add_dir(&d, o->template_dirs[i]);
	model_load_cfn_multi(m, &d, o->params, o->n_params, diags);
	load_docs_free(&d);
}

int model_load_inputs_opts(struct model **out, struct ykit_section **policies,
			   const struct model_input *in, size_t n,
			   const struct load_opts *opts,
			   struct diag_list *diags)
{
	static const struct load_opts none;
	const struct load_opts *o = opts ? opts : &none;
	struct ydoc_node *pol = NULL;
	size_t before = diags->n_errors;
	struct model *m = model_new(n ? in[0].name : NULL);
	struct ydoc *docs = xcalloc(n + 1, sizeof(*docs));
	bool *have = xcalloc(n + 1, sizeof(*have));
	enum load_format fmt = LOAD_NATIVE;
	struct tf_srcmap *srcmap = NULL;
	int rc = -1;

	*out = NULL;
	if (policies)
		*policies = NULL;
	if (!n) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0, "no model to load");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		have[i] = load_parse(&docs[i], &in[i], diags);
	if (diags->n_errors != before)
		goto out;
	/* Several inputs make one model only as CloudFormation stacks that
	 * import each other's exports. */
	for (size_t i = 0; i < n; i++) {
		enum load_format f = load_detect(&docs[i], ydoc_root(&docs[i]));
		if (i == 0)
			fmt = f;
		if (f != LOAD_CFN && (n > 1 || o->n_params))
			diag_add(diags, DIAG_ERROR, in[i].name, 0, 0, "%s: %s",
				 format_name(f),
				 n > 1 ? "only CloudFormation templates can be "
					 "loaded together"
				       : "--param applies to CloudFormation "
					 "templates only");
		else if (f != LOAD_CFN && o->n_template_dirs)
			diag_add(diags, DIAG_ERROR, in[i].name, 0, 0,
				 "%s: --templates applies to CloudFormation "
				 "templates only",
				 format_name(f));
	}
	if (diags->n_errors != before)
		goto out;
	/* The CloudFormation loader reads strings as C strings: one with a
	 * NUL byte (JSON's \u0000, YAML's \0) would be read cut short, a
	 * Ref to "Vpc\0x" as one to "Vpc".  The native and Terraform
	 * loaders refuse such a string where they read it. */
	if (fmt == LOAD_CFN)
		for (size_t i = 0; i < n; i++)
			load_refuse_nul(&docs[i], in[i].name, diags);
	if (diags->n_errors != before)
		goto out;
	switch (fmt) {
	case LOAD_CFN:
		load_cfn(m, docs, in, n, o, diags);
		break;
	case LOAD_TFPLAN:
		model_load_tfplan(
		    m, &docs[0], o->tf_source,
		    o->from_files || o->tf_source ? &srcmap : NULL, diags);
		break;
	case LOAD_NATIVE:
		model_load_native(m, &docs[0], policies ? &pol : NULL, diags);
		break;
	}
	/* Cross-object checks run even after field errors, so one run shows
	 * them all; model_finish skips what earlier errors left unresolved. */
	model_finish(m, diags);
	tf_srcmap_apply(srcmap, m);
	if (diags->n_errors == before) {
		*out = m;
		m = NULL;
		rc = 0;
		if (pol) {
			*policies = section_of(&docs[0], pol, in[0].name);
			have[0] = false;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		if (have[i])
			ydoc_free(&docs[i]);
	free(docs);
	free(have);
	tf_srcmap_free(srcmap);
	model_free(m);
	return rc;
}

int model_load_inputs_section(struct model **out,
			      struct ykit_section **policies,
			      const struct model_input *in, size_t n,
			      const char *const *params, size_t n_params,
			      struct diag_list *diags)
{
	struct load_opts o = {.params = params, .n_params = n_params};
	return model_load_inputs_opts(out, policies, in, n, &o, diags);
}

int model_load_inputs(struct model **out, const struct model_input *in,
		      size_t n, const char *const *params, size_t n_params,
		      struct diag_list *diags)
{
	return model_load_inputs_section(out, NULL, in, n, params, n_params,
					 diags);
}

int model_load_buffer(struct model **out, const char *name, const char *buf,
		      size_t len, struct diag_list *diags)
{
	struct model_input in = {name ? name : "<input>", buf, len};
	return model_load_inputs(out, &in, 1, NULL, 0, diags);
}

int model_load_files_opts(struct model **out, struct ykit_section **policies,
			  const char *const *paths, size_t n,
			  const struct load_opts *opts, struct diag_list *diags)
{
	struct load_opts o = opts ? *opts : (struct load_opts){0};
	o.from_files = true;
	struct model_input *in = xcalloc(n + 1, sizeof(*in));
	char **bufs = xcalloc(n + 1, sizeof(*bufs));
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		in[i].name = paths[i];
		if (file_read_text(&bufs[i], &in[i].len, paths[i], diags))
			rc = -1;
		in[i].buf = bufs[i];
	}
	if (rc == 0) {
		rc = model_load_inputs_opts(out, policies, in, n, &o, diags);
	} else {
		*out = NULL;
		if (policies)
			*policies = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(bufs[i]);
	free(bufs);
	free(in);
	return rc;
}

int model_load_files_section(struct model **out, struct ykit_section **policies,
			     const char *const *paths, size_t n,
			     const char *const *params, size_t n_params,
			     struct diag_list *diags)
{
	struct load_opts o = {.params = params, .n_params = n_params};
	return model_load_files_opts(out, policies, paths, n, &o, diags);
}

int model_load_files(struct model **out, const char *const *paths, size_t n,
		     const char *const *params, size_t n_params,
		     struct diag_list *diags)
{
	return model_load_files_section(out, NULL, paths, n, params, n_params,
					diags);
}

int model_load_file(struct model **out, const char *path,
		    struct diag_list *diags)
{
	return model_load_files(out, &path, 1, NULL, 0, diags);
}

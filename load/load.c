/*
 * Entry to every loader: reads the files, parses them with libyaml (YAML
 * and JSON alike), tells the format from the content, and runs that
 * format's loader and model_finish.  Several files make one model only as
 * CloudFormation templates (stacks that import each other's exports, or
 * nest).  A model exists only if no error was reported.
 *
 * A CloudFormation load also holds the templates its nested stacks may
 * name (struct load_docs): the inputs, the files of --templates
 * directories (listed when the load starts, read only when a stack names
 * one) and files named by a local TemplateURL.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "base/file.h"
#include "base/util.h"
#include "base/ydoc.h"
#include "base/ykit.h"
#include "load/load.h"
#include "load/load_impl.h"
#include "model/model_impl.h"

enum format { FMT_NATIVE, FMT_CFN, FMT_TFPLAN };

static const char *key_of(yaml_document_t *doc, yaml_node_pair_t *p)
{
	const char *k = ykit_text(ykit_node(doc, p->key));
	return k ? k : "";
}

/* CloudFormation: AWSTemplateFormatVersion, or Resources whose entries
 * have a Type starting "AWS::".  Terraform plan: format_version with
 * planned_values or resource_changes. */
static enum format detect(yaml_document_t *doc, yaml_node_t *root)
{
	bool fv = false, plan = false;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const char *k = key_of(doc, p);
		if (!strcmp(k, "AWSTemplateFormatVersion"))
			return FMT_CFN;
		if (!strcmp(k, "format_version"))
			fv = true;
		if (!strcmp(k, "planned_values") ||
		    !strcmp(k, "resource_changes"))
			plan = true;
		if (strcmp(k, "Resources"))
			continue;
		yaml_node_t *res = yaml_document_get_node(doc, p->value);
		if (!res || res->type != YAML_MAPPING_NODE)
			continue;
		for (yaml_node_pair_t *q = res->data.mapping.pairs.start;
		     q < res->data.mapping.pairs.top; q++) {
			yaml_node_t *r = yaml_document_get_node(doc, q->value);
			if (!r || r->type != YAML_MAPPING_NODE)
				continue;
			for (yaml_node_pair_t *t = r->data.mapping.pairs.start;
			     t < r->data.mapping.pairs.top; t++) {
				yaml_node_t *v =
				    yaml_document_get_node(doc, t->value);
				if (!strcmp(key_of(doc, t), "Type") && v &&
				    v->type == YAML_SCALAR_NODE &&
				    !strncmp((const char *)v->data.scalar.value,
					     "AWS::", 5))
					return FMT_CFN;
			}
		}
	}
	return fv && plan ? FMT_TFPLAN : FMT_NATIVE;
}

static const char *format_name(enum format f)
{
	return f == FMT_CFN	 ? "a CloudFormation template"
	       : f == FMT_TFPLAN ? "a Terraform plan"
				 : "a vpcsim model";
}

static void refuse_nul(yaml_document_t *doc, const char *name,
		       struct diag_list *diags)
{
	for (yaml_node_t *n = doc->nodes.start; n < doc->nodes.top; n++)
		if (n->type == YAML_SCALAR_NODE &&
		    strlen((const char *)n->data.scalar.value) !=
			n->data.scalar.length) {
			uint32_t line, col;
			ykit_pos(n, &line, &col);
			diag_add(diags, DIAG_ERROR, name, line, col,
				 "a string contains a NUL byte");
		}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parses one input; false after a diagnostic. */
static bool parse(yaml_document_t *doc, const struct model_input *in,
		  struct diag_list *diags)
{
	bool ok;
	if (ydoc_parse(doc, in->name, in->buf, in->len, diags))
		return false;
	ok = true;
	yaml_node_t *root = yaml_document_get_root_node(doc);
	if (!root ||
	    (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		diag_add(diags, DIAG_ERROR, in->name, 1, 1,
			 "the model is empty: expected a mapping with vpcs, "
			 "subnets, ...");
		ok = false;
	} else if (root->type != YAML_MAPPING_NODE) {
		uint32_t line, col;
		ykit_pos(root, &line, &col);
		diag_add(diags, DIAG_ERROR, in->name, line, col,
			 "the model must be a mapping (vpcs:, subnets:, ...), "
			 "a CloudFormation template or a Terraform plan");
		ok = false;
	}
	if (!ok)
		yaml_document_delete(doc);
	return ok;
}

/* A native model's `policies:` section, the document moved into it (the
 * caller no longer deletes doc). */
static struct ykit_section *section_of(yaml_document_t *doc, yaml_node_t *node,
				       const char *file)
{
	struct ykit_section *s = xcalloc(1, sizeof(*s));
	s->doc = *doc;
	s->file = xstrdup(file);
	s->node = node;
	return s;
}

/* ---- the templates of a CloudFormation load ---------------------------- */

static size_t docs_add(struct load_docs *d, const char *path, bool given)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 8;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n] = (struct load_doc){.path = xstrdup(path), .given = given};
	return d->n++;
}

long load_docs_file(struct load_docs *d, const char *path)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].path, path))
			return (long)i;
	return (long)docs_add(d, path, false);
}

yaml_document_t *load_docs_open(struct load_docs *d, size_t i)
{
	struct load_doc *e = &d->v[i];
	if (e->state)
		return e->state > 0 ? e->doc : NULL;
	e->state = -1;
	char *buf = NULL;
	size_t len = 0;
	if (file_read_text(&buf, &len, e->path, d->diags))
		return NULL;
	struct model_input in = {e->path, buf, len};
	yaml_document_t *doc = xcalloc(1, sizeof(*doc));
	size_t before = d->diags->n_errors;
	if (!parse(doc, &in, d->diags)) {
		free(doc);
		free(buf);
		return NULL;
	}
	free(buf);
	if (detect(doc, yaml_document_get_root_node(doc)) != FMT_CFN)
		diag_add(d->diags, DIAG_ERROR, e->path, 0, 0,
			 "a nested stack's template, but no CloudFormation "
			 "template");
	else
		refuse_nul(doc, e->path, d->diags);
	if (d->diags->n_errors != before) {
		yaml_document_delete(doc);
		free(doc);
		return NULL;
	}
	e->doc = doc;
	e->state = 1;
	return doc;
}

/* The regular files of a --templates directory, unread, by name. */
static void docs_add_dir(struct load_docs *d, const char *dir)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		diag_add(d->diags, DIAG_ERROR, NULL, 0, 0, "--templates %s: %s",
			 dir, strerror(errno));
		return;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *de; (de = readdir(dp));) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	for (size_t i = 0; i < n; i++) {
		load_docs_file(d, names[i]);
		free(names[i]);
	}
	free(names);
}

static void docs_free(struct load_docs *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (!d->v[i].given && d->v[i].doc) {
			yaml_document_delete(d->v[i].doc);
			free(d->v[i].doc);
		}
		free((char *)d->v[i].path);
	}
	free(d->v);
}

/* The CloudFormation loader over the parsed inputs and the templates it
 * may look up. */
static void load_cfn(struct model *m, yaml_document_t *docs,
		     const struct model_input *in, size_t n,
		     const struct load_opts *o, struct diag_list *diags)
{
	struct load_docs d = {.diags = diags};
	for (size_t i = 0; i < n; i++) {
		size_t k = docs_add(&d, in[i].name, true);
		d.v[k].doc = &docs[i];
		d.v[k].state = 1;
	}
	for (size_t i = 0; i < o->n_template_dirs; i++)
		docs_add_dir(&d, o->template_dirs[i]);
	model_load_cfn_multi(m, &d, o->params, o->n_params, diags);
	docs_free(&d);
}

int model_load_inputs_opts(struct model **out, struct ykit_section **policies,
			   const struct model_input *in, size_t n,
			   const struct load_opts *opts,
			   struct diag_list *diags)
{
	static const struct load_opts none;
	const struct load_opts *o = opts ? opts : &none;
	yaml_node_t *pol = NULL;
	size_t before = diags->n_errors;
	struct model *m = model_new(n ? in[0].name : NULL);
	yaml_document_t *docs = xcalloc(n + 1, sizeof(*docs));
	bool *have = xcalloc(n + 1, sizeof(*have));
	enum format fmt = FMT_NATIVE;
	int rc = -1;

	*out = NULL;
	if (policies)
		*policies = NULL;
	if (!n) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0, "no model to load");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		have[i] = parse(&docs[i], &in[i], diags);
	if (diags->n_errors != before)
		goto out;
	/* Several inputs make one model only as CloudFormation stacks that
	 * import each other's exports. */
	for (size_t i = 0; i < n; i++) {
		enum format f =
		    detect(&docs[i], yaml_document_get_root_node(&docs[i]));
		if (i == 0)
			fmt = f;
		if (f != FMT_CFN && (n > 1 || o->n_params))
			diag_add(diags, DIAG_ERROR, in[i].name, 0, 0, "%s: %s",
				 format_name(f),
				 n > 1 ? "only CloudFormation templates can be "
					 "loaded together"
				       : "--param applies to CloudFormation "
					 "templates only");
		else if (f != FMT_CFN && o->n_template_dirs)
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
	if (fmt == FMT_CFN)
		for (size_t i = 0; i < n; i++)
			refuse_nul(&docs[i], in[i].name, diags);
	if (diags->n_errors != before)
		goto out;
	switch (fmt) {
	case FMT_CFN:
		load_cfn(m, docs, in, n, o, diags);
		break;
	case FMT_TFPLAN:
		model_load_tfplan(m, &docs[0], diags);
		break;
	case FMT_NATIVE:
		model_load_native(m, &docs[0], policies ? &pol : NULL, diags);
		break;
	}
	/* Cross-object checks run even after field errors, so one run shows
	 * them all; model_finish skips what earlier errors left unresolved. */
	model_finish(m, diags);
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
			yaml_document_delete(&docs[i]);
	free(docs);
	free(have);
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
			  const struct load_opts *o, struct diag_list *diags)
{
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
		rc = model_load_inputs_opts(out, policies, in, n, o, diags);
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

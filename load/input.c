/*
 * Reading inputs: parsing one (YAML and JSON alike, base/ydoc.h), telling
 * its format from its content, refusing strings the CloudFormation loader
 * cannot read, and the set of templates one CloudFormation load may read
 * (struct load_docs: the inputs, the files of --templates directories and
 * files a nested stack names, each read and parsed at its first use).
 * Shared by load.c and the format loaders (a nested stack's template is
 * read from load/cfn), below both.
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
#include "load/load_impl.h"

static const char *key_of(struct ydoc *doc, yaml_node_pair_t *p)
{
	const char *k = ykit_text(ykit_node(doc, p->key));
	return k ? k : "";
}

/* CloudFormation: AWSTemplateFormatVersion, or Resources whose entries
 * have a Type starting "AWS::".  Terraform plan: format_version with
 * planned_values or resource_changes. */
enum load_format load_detect(struct ydoc *doc, struct ydoc_node *root)
{
	bool fv = false, plan = false;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		const char *k = key_of(doc, p);
		if (!strcmp(k, "AWSTemplateFormatVersion"))
			return LOAD_CFN;
		if (!strcmp(k, "format_version"))
			fv = true;
		if (!strcmp(k, "planned_values") ||
		    !strcmp(k, "resource_changes"))
			plan = true;
		if (strcmp(k, "Resources"))
			continue;
		struct ydoc_node *res = ydoc_node(doc, p->value);
		if (!res || res->type != YAML_MAPPING_NODE)
			continue;
		for (yaml_node_pair_t *q = res->data.mapping.pairs.start;
		     q < res->data.mapping.pairs.top; q++) {
			struct ydoc_node *r = ydoc_node(doc, q->value);
			if (!r || r->type != YAML_MAPPING_NODE)
				continue;
			for (yaml_node_pair_t *t = r->data.mapping.pairs.start;
			     t < r->data.mapping.pairs.top; t++) {
				struct ydoc_node *v = ydoc_node(doc, t->value);
				if (!strcmp(key_of(doc, t), "Type") && v &&
				    v->type == YAML_SCALAR_NODE &&
				    !strncmp((const char *)v->data.scalar.value,
					     "AWS::", 5))
					return LOAD_CFN;
			}
		}
	}
	return fv && plan ? LOAD_TFPLAN : LOAD_NATIVE;
}

void load_refuse_nul(struct ydoc *doc, const char *name,
		     struct diag_list *diags)
{
	for (struct ydoc_node *n = doc->nodes.start; n < doc->nodes.top; n++)
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

bool load_parse(struct ydoc *doc, const struct model_input *in,
		struct diag_list *diags)
{
	bool ok;
	if (ydoc_parse(doc, in->name, in->buf, in->len, diags))
		return false;
	ok = true;
	struct ydoc_node *root = ydoc_root(doc);
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
		ydoc_free(doc);
	return ok;
}

/* ---- the templates of a CloudFormation load ---------------------------- */

size_t load_docs_add(struct load_docs *d, const char *path, bool given)
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
	return (long)load_docs_add(d, path, false);
}

struct ydoc *load_docs_open(struct load_docs *d, size_t i)
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
	struct ydoc *doc = xcalloc(1, sizeof(*doc));
	size_t before = d->diags->n_errors;
	if (!load_parse(doc, &in, d->diags)) {
		free(doc);
		free(buf);
		return NULL;
	}
	free(buf);
	if (load_detect(doc, ydoc_root(doc)) != LOAD_CFN)
		diag_add(d->diags, DIAG_ERROR, e->path, 0, 0,
			 "a nested stack's template, but no CloudFormation "
			 "template");
	else
		load_refuse_nul(doc, e->path, d->diags);
	if (d->diags->n_errors != before) {
		ydoc_free(doc);
		free(doc);
		return NULL;
	}
	e->doc = doc;
	e->state = 1;
	return doc;
}

/* The regular files of a --templates directory, unread, by name. */
void load_docs_add_dir(struct load_docs *d, const char *dir)
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

void load_docs_free(struct load_docs *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (!d->v[i].given && d->v[i].doc) {
			ydoc_free(d->v[i].doc);
			free(d->v[i].doc);
		}
		free((char *)d->v[i].path);
	}
	free(d->v);
}

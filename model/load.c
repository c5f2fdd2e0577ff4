/*
 * Entry to every loader: reads the file, parses it with libyaml (YAML and
 * JSON alike), tells the format from the content, and runs that format's
 * loader and model_finish.  A model exists only if no error was reported.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "model_impl.h"
#include "util.h"

enum format { FMT_NATIVE, FMT_CFN, FMT_TFPLAN };

static const char *key_of(yaml_document_t *doc, yaml_node_pair_t *p)
{
	yaml_node_t *k = yaml_document_get_node(doc, p->key);
	return k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value
	                                        : "";
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

int model_load_buffer(struct model **out, const char *name, const char *buf,
                      size_t len, struct diag_list *diags)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_doc = false;
	size_t before = diags->n_errors;
	struct model *m = model_new(name);
	int rc = -1;

	*out = NULL;
	if (!yaml_parser_initialize(&parser))
		die_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		if (parser.error == YAML_MEMORY_ERROR)
			die_oom();
		diag_add(diags, DIAG_ERROR, name,
		         (uint32_t)parser.problem_mark.line + 1,
		         (uint32_t)parser.problem_mark.column + 1, "%s%s%s",
		         parser.problem ? parser.problem : "invalid YAML",
		         parser.context ? " " : "",
		         parser.context ? parser.context : "");
		goto out;
	}
	have_doc = true;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root || (root->type == YAML_SCALAR_NODE &&
	              root->data.scalar.length == 0)) {
		diag_add(diags, DIAG_ERROR, name, 1, 1,
		         "the model is empty: expected a mapping with vpcs, "
		         "subnets, ...");
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		diag_add(diags, DIAG_ERROR, name,
		         (uint32_t)root->start_mark.line + 1,
		         (uint32_t)root->start_mark.column + 1,
		         "the model must be a mapping (vpcs:, subnets:, ...), "
		         "a CloudFormation template or a Terraform plan");
		goto out;
	}
	switch (detect(&doc, root)) {
	case FMT_CFN:
		model_load_cfn(m, &doc, diags);
		break;
	case FMT_TFPLAN:
		model_load_tfplan(m, &doc, diags);
		break;
	case FMT_NATIVE:
		model_load_native(m, &doc, diags);
		break;
	}
	/* Cross-object checks run even after field errors, so one run shows
	 * them all; model_finish skips what earlier errors left unresolved. */
	model_finish(m, diags);
	if (diags->n_errors == before) {
		*out = m;
		m = NULL;
		rc = 0;
	}
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	model_free(m);
	return rc;
}

int model_load_file(struct model **out, const char *path,
                    struct diag_list *diags)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = model_read_file(&buf, &len, path, diags);
	if (rc == 0)
		rc = model_load_buffer(out, path, buf, len, diags);
	else
		*out = NULL;
	free(buf);
	return rc;
}

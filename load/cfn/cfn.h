/*
 * CloudFormation import, shared by cfn_eval.c (the template language) and
 * load_cfn.c (resources to model objects).  Not a public header.
 *
 * Several templates may be loaded together (Outputs/Export and
 * Fn::ImportValue join them); each keeps its own parameters, mappings and
 * conditions, and resources of all of them are numbered in one array.
 * A template is loaded as an instance: a root (an input), or the child of
 * an AWS::CloudFormation::Stack resource of an earlier instance, whose
 * Parameters give its parameters and whose Fn::GetAtt Outputs.NAME read
 * its outputs (cfn_stack.c finds the children, round by round).
 *
 * Evaluation turns a template node into a value (struct cv) with every
 * intrinsic function applied: a string, a list, a mapping, an explicit
 * unknown with its reason, AWS::NoValue, or an error already reported.
 * Physical ids are only known after deployment, so a Ref to a resource
 * evaluates to a token: CFN_TOK, the resource number, optionally "." and
 * an attribute, CFN_TOK.  Tokens survive Fn::Join, Fn::Split, Fn::Select
 * and Fn::Sub, are recognised wherever a reference is expected, and print
 * as the resource's id.  A token with an attribute is an opaque value
 * (a DNS name, an ARN) except for the few attributes that name another
 * object (a VPC's default security group or network ACL).
 *
 * Invariants after cfn_prepare: every resource whose condition holds has
 * props evaluated (a CV_MAP, possibly empty); deps lists every resource it
 * refers to (Ref, Fn::GetAtt, Fn::Sub, DependsOn); the resource graph has
 * been checked for cycles.
 */
#ifndef VPCSIM_CFN_H
#define VPCSIM_CFN_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "base/arena.h"
#include "load/load_impl.h"
#include "model/model.h"

#define CFN_TOK	 '\x1f'
#define CFN_NONE UINT32_MAX

enum cv_kind { CV_STR, CV_LIST, CV_MAP, CV_UNKNOWN, CV_NOVALUE, CV_ERROR };

struct cv {
	enum cv_kind kind;
	uint32_t tpl;		/* template of node */
	struct ydoc_node *node; /* where it was written, for diagnostics */
	const char *s;		/* CV_STR: the text; CV_UNKNOWN: the reason */
	struct cv **items;	/* CV_LIST items, CV_MAP values */
	const char **keys;	/* CV_MAP */
	struct ydoc_node **key_nodes;
	uint32_t n;
};

struct cfn_param {
	const char *name, *type;
	struct ydoc_node *key, *node;
	struct cv *value; /* NULL until first Ref */
};

struct cfn_cond {
	const char *name;
	struct ydoc_node *key, *node;
	int state;	 /* 0 new, 1 being evaluated, 2 done */
	int value;	 /* 1 true, 0 false, -1 unknown */
	const char *why; /* unknown: the reason */
};

struct cfn_output {
	const char *name;
	struct ydoc_node *key, *value_node, *export_node, *cond_node;
	int state;		 /* 0 new, 1 being evaluated, 2 done */
	const char *export_name; /* NULL: no export, or not computable */
	struct cv *value;
	/* read in the load: imported, or a nested stack's output its
	 * parent reads; otherwise it is for something outside the load */
	bool consumed;
};

/* A name and its index in a section, sorted by name then index, for
 * lookups in logarithmic time (cfn_eval.c). */
struct cfn_name {
	const char *name;
	uint32_t i;
};

/* A template instance to load: the entry of the load's documents, and
 * for a nested stack's child, the instance and logical id of the stack
 * resource (parents come before their children). */
struct cfn_inst {
	size_t doc;
	uint32_t parent; /* CFN_NONE for a root */
	const char *stack;
};

struct cfn_tpl {
	const char *file;   /* the model's arena copy */
	const char *stack;  /* AWS::StackName */
	size_t entry;	    /* in the load's documents */
	uint32_t parent;    /* a nested stack's parent instance, or CFN_NONE */
	uint32_t stack_res; /* and its AWS::CloudFormation::Stack resource */
	struct ydoc *doc;
	struct ydoc_node *root, *mappings;
	struct cfn_param *params;
	uint32_t n_params;
	struct cfn_name *param_idx; /* n_params */
	struct cfn_cond *conds;
	uint32_t n_conds;
	struct cfn_name *cond_idx; /* n_conds */
	struct cfn_output *outputs;
	uint32_t n_outputs;
	uint32_t first_res, n_res; /* range in cfn.res */
};

struct cfn_res {
	uint32_t tpl;
	const char *logical; /* as in the template */
	const char *id;	     /* the vpcsim id: logical, or STACK.logical */
	const char *type;
	struct ydoc_node *key, *node, *props_node;
	int included;	      /* 1, 0 (its condition is false), -1 (unknown) */
	const char *cond_why; /* why its condition is unknown */
	int state;	      /* evaluation: 0 new, 1 in progress, 2 done */
	struct cv *props;     /* a CV_MAP once evaluated */
	uint32_t *deps;
	uint32_t n_deps, cap_deps;
	uint8_t *dep_bits; /* which resources deps holds, once it is long */
	/* The model object it became; kind MK_KIND_COUNT when none. */
	enum model_kind kind;
	uint32_t index;
	bool need_default_sg, need_default_nacl; /* VPCs */
	uint32_t default_sg, default_nacl;	 /* VPCs: model indexes */
	uint32_t aux;				 /* per type, see load_cfn.c */
	uint32_t child; /* a nested stack: its template instance, or CFN_NONE */
};

struct cfn {
	struct model *m;
	struct diag_list *diags;
	struct load_docs *docs; /* the templates the load may read */
	struct arena a;		/* values and tables, freed with the loader */
	struct cfn_tpl *tpls;
	uint32_t n_tpls;
	struct cfn_res *res;
	uint32_t n_res;
	uint32_t *sorted;	   /* resource numbers by (tpl, logical) */
	const char *const *params; /* --param NAME=VALUE */
	size_t n_params;
	bool *param_used;
	const char *region, *account, *partition, *url_suffix;
	uint32_t cur_res; /* whose properties are being evaluated */
	int depth;	  /* counts through Fn::GetAtt of other resources */
	/* Work done by evaluation, against the limits of docs/robustness.md:
	 * nodes evaluated (aliases and FindInMap results again each time)
	 * and bytes of text built by functions. */
	uint64_t evals, text;
	bool over_budget;   /* reported once */
	uint64_t hint_work; /* names compared for "did you mean" hints */
	/* Every Fn::ImportValue that found its export: the importing and
	 * the exporting instance (load/group.c joins their inputs into one
	 * model).  Heap; cfn_free frees it. */
	uint32_t (*imports)[2];
	uint32_t n_imports;
};

/* ---- diagnostics (cfn_eval.c) ---- */

void cfn_diag(struct cfn *C, enum diag_severity sev, uint32_t tpl,
	      const struct ydoc_node *n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define cfn_err(C, tpl, n, ...)                                                \
	cfn_diag((C), DIAG_ERROR, (tpl), (n), __VA_ARGS__)
#define cfn_warn(C, tpl, n, ...)                                               \
	cfn_diag((C), DIAG_WARNING, (tpl), (n), __VA_ARGS__)
struct src_loc cfn_loc(struct cfn *C, uint32_t tpl, const struct ydoc_node *n);

/* ---- templates and evaluation (cfn_eval.c) ---- */

/* Reads the instances' sections, evaluates conditions, every included
 * resource's properties and every output, and checks the dependency
 * graph.  Every instance's document is open (load_docs_open).  Returns 0,
 * or negative after errors. */
int cfn_prepare(struct cfn *C, const struct cfn_inst *inst, size_t n);
void cfn_free(struct cfn *C);

/* A scalar node's text as CloudFormation reads it (unquoted YAML 1.1
 * booleans are "true" and "false"); NULL for other nodes. */
const char *cfn_scalar(const struct ydoc_node *n);

/* The resource of a template with this logical id, or CFN_NONE. */
uint32_t cfn_find(struct cfn *C, uint32_t tpl, const char *logical);

/* The value of a map's key, or NULL. */
struct cv *cv_get(const struct cv *map, const char *key);
/* Whether s is exactly one token; *attr receives its attribute or NULL. */
bool cfn_token(const char *s, uint32_t *res, const char **attr);
/* s with every token replaced by the resource id (and attribute), in the
 * loader's arena. */
const char *cfn_show(struct cfn *C, const char *s);
/* A value as text for messages: strings shown, lists and maps named. */
const char *cfn_show_cv(struct cfn *C, const struct cv *v);
/* A literal (token-free) string, or NULL with *why set: unknown, an error
 * already reported (*why NULL), or text known only after deployment. */
const char *cfn_text(struct cfn *C, const struct cv *v, const char **why);

/* The first text under resource r's Metadata entry key (such as
 * AWS::CloudFormation::Init) that holds needle, with the intrinsic call
 * around it evaluated; NULL when there is none.  The text is in C's
 * arena. */
const char *cfn_metadata_text(struct cfn *C, uint32_t r, const char *key,
			      const char *needle);

/*
 * Which of the given documents of docs one load joins (load/group.c): a
 * quiet evaluation of them all, as model_load_cfn_multi would make it;
 * join[i] (per given document) receives the index of the first given
 * document its model holds, and declares[i * n_params + k] whether a
 * template that model loads declares parameter k (--param NAME=VALUE).
 */
void cfn_join(struct load_docs *docs, const char *const *params,
	      size_t n_params, size_t *join, bool *declares);

/* ---- nested stacks (cfn_stack.c) ---- */

/* Which templates a load evaluates: the roots (inputs no stack of the load
 * takes as its child) and the children found so far. */
struct cfn_plan;
/* A plan of the load's given documents as roots; the caller owns it
 * (cfn_plan_free). */
struct cfn_plan *cfn_plan_new(struct load_docs *docs);
void cfn_plan_free(struct cfn_plan *p);
/* The instances to evaluate, parents first; *n their count.  The array
 * is the plan's, valid until the next call. */
const struct cfn_inst *cfn_plan_instances(struct cfn_plan *p, size_t *n);
/* After C evaluated the plan's instances: adds the children its stack
 * resources name that the plan lacks.  Whether anything was added. */
bool cfn_plan_grow(struct cfn_plan *p, struct cfn *C);
/*
 * The template of nested stack resource r: 1 with *doc its entry in the
 * load's documents, or 0 with *why saying why there is none (its URL
 * unknown, no such file given, several candidates), in C's arena.
 */
int cfn_stack_template(struct cfn *C, uint32_t r, size_t *doc,
		       const char **why);

#endif

/*
 * The Terraform plan loader's shared state: private to the files of load/tf/.
 *
 * A plan (`terraform show -json`) describes each resource instance three
 * times over: its planned values (planned_values, with after_unknown in
 * resource_changes saying which values Terraform learns only at apply),
 * its values before the plan (prior_state, for resources that exist), and
 * the configuration that produced it (configuration, per module, with the
 * references of every expression).  The loader first gathers every managed
 * instance into one struct tf_res, joined with those three views, and
 * every module instance into one struct tf_module, joined with its
 * configuration; the kind parsers then read values through struct tf_val,
 * which answers "known, unknown or absent" for a key and, for unknown ids,
 * follows the configuration's references to the resource they name.
 *
 * Invariants: every tf_res of planned_values has node set (its object
 * there, which gives its location) and mod set; kind is MK_KIND_COUNT
 * unless the resource is a model object, and then index is its place in
 * the kind's array.  Nodes belong to the document, strings to the model's
 * arena, the tf_res and tf_module arrays to the loader (heap).
 *
 * The files form layers; each calls only the files below it, never up
 * or across (no circles):
 *   load_tfplan.c  the dispatcher: gathers instances, owns the type
 *                  table and classification, runs the parsers by phase
 *   tf_net.c, tf_app.c, tf_fleet.c, tf_store.c   kind parsers (network;
 *                  instances, load balancers, ECS, RDS; Auto Scaling
 *                  groups, Lambda functions, classic ELBs, ECS capacity
 *                  providers; ElastiCache, EFS); all use tf_sec.c's
 *                  tf_default_sg, none uses another
 *   tf_sec.c       kind parsers: security groups and network ACLs
 *   tf_refs.c      what ids and references name
 *   tf_json.c      nodes, diagnostics, struct tf_val and the value
 *                  readers (strings, numbers, flags, CIDRs), arrays
 */
#ifndef VPCSIM_TF_PLAN_H
#define VPCSIM_TF_PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "base/ydoc.h"
#include "model/model.h"

/* An instance key: none, [3] or ["name"]. */
enum tf_key_kind { TK_NONE, TK_INT, TK_STR };

struct tf_key {
	enum tf_key_kind kind;
	long num;
	const char *str;
};

struct tf_module {
	const char *addr; /* "" for the root, "module.vpc", "module.a[0]" */
	const char *call; /* the call's name in the parent; NULL at the root */
	struct tf_key key;
	uint32_t parent; /* index in the loader's modules; MODEL_NONE */
	struct ydoc_node *config;    /* the module's configuration, or NULL */
	struct ydoc_node *call_expr; /* the call's expressions in the parent */
};

struct tf_res;
struct tf_loader;

/*
 * A resource type's handler.  load_tfplan.c's table says which model kind
 * each Terraform type becomes, and in which phase it is parsed: objects in
 * phases 0-2 (VPCs, then what needs their VPC, then the rest), then
 * resources that attach to objects (routes, associations, rules) in
 * phase 3, and listener rules, which attach to listeners, in phase 4.
 */
struct tf_type {
	const char *type;
	enum model_kind kind; /* MK_KIND_COUNT: read into other objects */
	bool needs_vpc;	      /* its object is dropped without a VPC */
	int phase;	      /* parse order: objects 0, then 1, 2, ... */
	void (*parse)(struct tf_loader *L, struct tf_res *r);
};

struct tf_res {
	const char *addr; /* full address: the model id */
	const char *type, *name;
	struct tf_key key;
	uint32_t mod;		/* index in the loader's modules */
	bool data;		/* a data source, or outside the plan */
	bool exists;		/* in the prior state: no-op, update, read */
	struct ydoc_node *node; /* the object in planned_values, or NULL */
	/* Where an object outside planned_values is given, for its
	 * location: a data source's object in prior_state, or what first
	 * named a VPC the plan does not have (tf_ext.c). */
	struct ydoc_node *at;
	/* A VPC whose blocks the plan does not give: why, a sentence
	 * (tf_ext.c), or NULL. */
	const char *outside;
	struct ydoc_node *values;  /* planned values, a mapping, or NULL */
	struct ydoc_node *unknown; /* after_unknown: a mapping, true, or NULL */
	struct ydoc_node *prior;   /* prior values, a mapping, or NULL */
	struct ydoc_node *config;  /* configuration expressions, or NULL */
	const struct tf_type *t;   /* NULL: a type vpcsim skips */
	enum model_kind kind;	   /* MK_KIND_COUNT: no model object */
	uint32_t index;
	uint32_t vpc; /* resource of the VPC, for kinds that need one */
	/* Listeners: their load balancer and place in its list. */
	uint32_t lb, listener;
	/* Task definitions: container_definitions is unknown until apply,
	 * so services' load_balancer blocks tell the container ports. */
	bool containers_unknown;
};

/* The loader's state, for one plan. */
struct tf_loader {
	struct model *m;
	struct ydoc *doc;
	struct diag_list *diags;
	size_t errors0; /* errors in diags before the plan's */
	const char *file;
	struct tf_res *res;
	uint32_t n_res, cap_res;
	struct tf_module *mods;
	uint32_t n_mods, cap_mods;
	uint32_t *mod_hash; /* mods by address: index + 1, 0 for free */
	size_t mod_hash_cap;
	/* VPCs outside the plan made for names (tf_ext.c), by name: the
	 * resource index + 1, 0 for free; open addressing. */
	uint32_t *outside_hash;
	size_t outside_cap, outside_n;
	/* Known ids, ARNs and names of every instance, sorted by value. */
	struct tf_idx {
		const char *value;
		uint32_t res;
	} * idx;
	uint32_t n_idx, cap_idx;
	struct ydoc_node *variables; /* the root module's input values */
	/* References through local values taken to be the only candidate
	 * of their module (docs/terraform.md), for the summary note. */
	uint32_t n_inferred;
	char inferred_example[512];
	struct src_loc inferred_loc;
	/* The default security group synthesized for VPC i, or MODEL_NONE;
	 * groups_cap is how many groups the array has room for. */
	uint32_t *default_sg;
	uint32_t groups_cap;
	/* Room for route tables synthesized for associations whose table
	 * is unknown (tf_parse_rt_assoc), and for the VPCs' own. */
	uint32_t tables_cap;
	/* The default route table and network ACL of VPC i, made when a
	 * resource names them through the VPC's attributes
	 * (aws_vpc.x.default_route_table_id) and the plan does not adopt
	 * them, or MODEL_NONE; nacls_cap as tables_cap. */
	uint32_t *vpc_rt, *vpc_nacl;
	uint32_t nacls_cap;
	/* Security-group rules added so far, for add_sg_rule's check for
	 * a rule already there: open addressing over (group, direction,
	 * rule number), 0 for a free slot (tf_sec.c). */
	struct tf_rule_slot {
		uint32_t group; /* index + 1; 0: free */
		uint32_t rule;	/* index in the direction's array */
		bool ingress;
	} * rule_set;
	size_t rule_cap, rule_n;
	/* match_block's answers for every element of the last list of
	 * blocks asked about (tf_json.c). */
	struct ydoc_node *mb_list, *mb_unks, *mb_cfg;
	long *mb_result;
	size_t mb_n;
};

/*
 * A mapping of values with its parallel views, as read by the kind
 * parsers: the resource's top level, or one nested block of it.
 *   val    the planned (known) values
 *   unk    after_unknown, parallel to val (true: unknown)
 *   prior  the prior state's values, for resources that exist
 *   cfg    the configuration: a mapping of key -> expression, or
 *   cfg1   one expression for the whole block (attributes-as-blocks
 *          written in block syntax are given so by recent Terraform)
 * what    names the block in messages: "" or "ingress rule 2".
 */
struct tf_val {
	struct tf_res *r;
	struct ydoc_node *val, *unk, *prior, *cfg, *cfg1;
	char what[128];
};

enum tf_state { TS_ABSENT, TS_KNOWN, TS_UNKNOWN };

/* ---- tf_json.c: nodes, values, errors -------------------------------- */

struct ydoc_node *tf_node(struct tf_loader *L, int id);
/* A new resource instance, zeroed with no kind and no references; NULL
 * after an error at the limit of resources.  L->res may move: pointers
 * into it taken before the call are stale after it. */
struct tf_res *tf_res_add(struct tf_loader *L);
/* The value of key in a mapping node, or NULL. */
struct ydoc_node *tf_map_get(struct tf_loader *L, struct ydoc_node *map,
			     const char *key);
size_t tf_seq_len(struct ydoc_node *n);
struct ydoc_node *tf_seq_at(struct tf_loader *L, struct ydoc_node *n, size_t i);
bool tf_is_null(struct ydoc_node *n);
bool tf_is_true(struct ydoc_node *n);
/* A scalar's text, or NULL for anything else (and JSON null). */
const char *tf_text(struct ydoc_node *n);
/* "a string", "an object", ... in JSON words. */
const char *tf_json_type(struct ydoc_node *n);
struct src_loc tf_loc(struct tf_loader *L, struct ydoc_node *n);

__attribute__((format(printf, 4, 5))) void tf_diag(struct tf_loader *L,
						   enum diag_severity sev,
						   struct ydoc_node *at,
						   const char *fmt, ...);
/* An error about a value of r: "ADDR: what key: ..." at n. */
__attribute__((format(printf, 4, 5))) void tf_err(struct tf_loader *L,
						  const struct tf_val *v,
						  struct ydoc_node *n,
						  const char *fmt, ...);
/* Records an unknown value on o: "what key: ...". */
__attribute__((format(printf, 4, 5))) void tf_unknown(struct tf_loader *L,
						      struct model_obj *o,
						      const struct tf_val *v,
						      const char *fmt, ...);

/* after_unknown below a node: of key, of element i.  Terraform gives
 * `true` for a whole object or list known only after apply, at any depth:
 * then everything below it is unknown (true). */
struct ydoc_node *tf_unk_key(struct tf_loader *L, struct ydoc_node *unk,
			     const char *key);
struct ydoc_node *tf_unk_item(struct tf_loader *L, struct ydoc_node *unk,
			      size_t i);

/* Whether two JSON values are equal, for scalars and lists of scalars
 * (objects are not compared: true); protocols compare by meaning ("6" is
 * "tcp"). */
bool tf_same_value(struct tf_loader *L, struct ydoc_node *a,
		   struct ydoc_node *b, bool protocol);

/* The top-level view of a resource. */
void tf_val_top(struct tf_val *v, struct tf_res *r);
/*
 * Element i of the nested block list key of v (a list or set of objects):
 * false when it has none.  The element's configuration is the block of
 * the same place for lists (set_like false), or for sets the block whose
 * constant values agree with the element's known values (none when that
 * is not decided).
 */
bool tf_val_block(struct tf_loader *L, const struct tf_val *v, const char *key,
		  size_t i, bool set_like, struct tf_val *out);
/* How many elements the nested block list key has (0 when unknown). */
size_t tf_val_count(struct tf_loader *L, const struct tf_val *v,
		    const char *key);

/* The value of key: known (*out set; never JSON null), unknown, absent. */
enum tf_state tf_get(struct tf_loader *L, const struct tf_val *v,
		     const char *key, struct ydoc_node **out);
/* Whether the configuration gives key an expression of its own. */
bool tf_configured(struct tf_loader *L, const struct tf_val *v,
		   const char *key);
/*
 * Whether an unknown key may have been set by the configuration.  A key
 * the block's configuration leaves out is one the provider or AWS
 * computes (security_group_ids, subnet_id, ...): its AWS default
 * applies.  Without the block's configuration (Terraform 0.12 omits
 * attributes-as-blocks) nothing tells: true.
 */
bool tf_set_by_config(struct tf_loader *L, const struct tf_val *v,
		      const char *key);
/* Typed reads: known values of the wrong type are errors (TS_ABSENT). */
enum tf_state tf_str(struct tf_loader *L, const struct tf_val *v,
		     const char *key, const char **out);
/* A known, non-empty string, or NULL (the provider writes "" for "not
 * set": *st says TS_ABSENT then). */
const char *tf_str_set(struct tf_loader *L, const struct tf_val *v,
		       const char *key, enum tf_state *st);
enum tf_state tf_bool(struct tf_loader *L, const struct tf_val *v,
		      const char *key, bool *out);
/* A flag with its default in *out: unknown until apply, the default is
 * kept and, when the configuration sets the flag, recorded on o. */
enum tf_state tf_flag(struct tf_loader *L, struct model_obj *o,
		      const struct tf_val *v, const char *key, bool *out);
/* A whole number in [lo, hi]; strings of digits count (JSON plans give
 * some numbers as strings, "80"). */
enum tf_state tf_long(struct tf_loader *L, const struct tf_val *v,
		      const char *key, long lo, long hi, long *out);

/* A CIDR of v read from text s (the node n for errors); false after an
 * error. */
bool tf_cidr(struct tf_loader *L, const struct tf_val *v, struct ydoc_node *n,
	     const char *s, struct cidr *out);
bool tf_cidr6(struct tf_loader *L, const struct tf_val *v, struct ydoc_node *n,
	      const char *s, struct cidr6 *out);

/* Appends an element of size bytes to an arena array that only grows
 * through this function (its capacity is implied by *n); returns it,
 * zeroed. */
void *tf_push(struct arena *a, void *arrp, uint32_t *n, size_t size);
/* Appends x to an index list built by tf_push, unless it is there. */
void tf_push_u32(struct tf_loader *L, uint32_t **arr, uint32_t *n, uint32_t x);

/* ---- tf_refs.c: ids, references ------------------------------------- */

/* Types that name a VPC, subnet, group, ...; NULL-terminated. */
extern const char *const tf_vpc_types[];
extern const char *const tf_subnet_types[];
extern const char *const tf_sg_types[];
extern const char *const tf_pl_types[];

/* The model object of a resource found by tf_ref, or MODEL_NONE. */
uint32_t tf_obj(struct tf_res *r, enum model_kind kind);

void tf_index_add(struct tf_loader *L, const char *value, uint32_t res);
void tf_index_sort(struct tf_loader *L);
/* The instance with this id, ARN or name, or NULL. */
struct tf_res *tf_index_find(struct tf_loader *L, const char *value);
/* The instance after r among those indexed under value, or NULL. */
struct tf_res *tf_index_next(struct tf_loader *L, struct tf_res *r,
			     const char *value);

/*
 * The resource a reference-valued key of v names (vpc_id, subnet_id,
 * ...), of one of types (NULL-terminated).  A known id is looked up among
 * the plan's instances; an unknown one through the configuration's
 * references.  Returns the resource, or NULL: then when *why is not empty
 * the value is unknown and why says why ("comes from data source ...");
 * an empty why means the key is not set.
 */
struct tf_res *tf_ref(struct tf_loader *L, const struct tf_val *v,
		      const char *key, const char *const *types, char *why,
		      size_t whysize);
/*
 * The resources of a list-valued key (subnet_ids, security_groups, ...):
 * every element resolved as tf_ref does, in order, without repeats.  The
 * array is the heap's (free).  *why is empty unless some element is
 * unknown.
 */
struct tf_res **tf_ref_list(struct tf_loader *L, const struct tf_val *v,
			    const char *key, const char *const *types,
			    uint32_t *n, char *why, size_t whysize);
/*
 * tf_ref, and when the value names nothing of the plan, where it comes
 * from in *from, as a name an object outside the plan can take: the data
 * source's address ("module.net.data.aws_vpc.main"), the known id
 * ("vpc-0a1b"), the local value or input variable ("local.vpc_id",
 * "module.sg.var.vpc_id"), or the resource that is no VPC of the model;
 * "" when nothing names where (unknown, or ambiguous).
 */
struct tf_res *tf_ref_from(struct tf_loader *L, const struct tf_val *v,
			   const char *key, const char *const *types, char *why,
			   size_t whysize, char *from, size_t fromsize);
/* tf_ref and tf_ref_list as model objects of one kind; what is unknown
 * is recorded on o (tf_unknown).  The list is the arena's. */
uint32_t tf_ref_obj(struct tf_loader *L, struct model_obj *o,
		    const struct tf_val *v, const char *key,
		    const char *const *types, enum model_kind kind);
uint32_t *tf_ref_objs(struct tf_loader *L, struct model_obj *o,
		      const struct tf_val *v, const char *key,
		      const char *const *types, enum model_kind kind,
		      uint32_t *n);
/* The one resource of types that the configuration's expression for key
 * references, whatever the plan's value (a hash, say), or NULL. */
struct tf_res *tf_ref_config(struct tf_loader *L, const struct tf_val *v,
			     const char *key, const char *const *types);
/* Every resource instance the configuration of r references, anywhere
 * in its expressions (resolved as tf_ref does); the heap's array. */
struct tf_res **tf_config_refs(struct tf_loader *L, struct tf_res *r,
			       uint32_t *n);
/* What a known string names: the resource, or NULL with why. */
struct tf_res *tf_ref_text(struct tf_loader *L, const char *text,
			   const char *key, const char *const *types, char *why,
			   size_t whysize);

/* An ECS cluster as services and fleets name it (sim/lb.c matches the
 * two): the cluster's name, or its address when the name is known only
 * after apply; the arena's. */
const char *tf_ecs_cluster_of(struct tf_loader *L, struct tf_res *cr);
/* The cluster a key of v names (an ARN, a name or a reference), as
 * tf_ecs_cluster_of names it; NULL when unset or unknown. */
const char *tf_ecs_cluster_name(struct tf_loader *L, const struct tf_val *v,
				const char *key);

/* ---- tf_ext.c: what lies outside the plan ---------------------------- */

/* Data sources of VPCs and subnets become objects outside the plan: each
 * gets its type handler and, for VPCs, its kind (before classification;
 * subnets are classified with the plan's). */
void tf_ext_data(struct tf_loader *L);
/*
 * The VPC outside the plan that name stands for (tf_ref_from's *from, or
 * "ADDR.KEY" when nothing says), made the first time it is asked for
 * with why (a sentence) as its reason and at as its location: its
 * resource index, or MODEL_NONE at the limit of resources.  L->res may
 * move (tf_res_add).
 */
uint32_t tf_ext_vpc(struct tf_loader *L, const char *name, const char *why,
		    struct ydoc_node *at);
/* The parser of a VPC outside the plan (data source or name): external,
 * no CIDR block, its reason recorded as its first unknown. */
void tf_parse_ext_vpc(struct tf_loader *L, struct tf_res *r);
/* The groups that rule resources add to but the plan does not have (a
 * known id, a variable, a data source) become groups outside the plan,
 * named so, each in a VPC outside the plan; before counting. */
void tf_ext_groups(struct tf_loader *L);
/* The parser of such a group: implicit, its rules the plan's. */
void tf_parse_ext_sg(struct tf_loader *L, struct tf_res *r);

/* ---- tf_source.c: where resources are written -------------------------- */

/* The .tf locations of the plan's resources and blocks, from the .tf
 * files of dir (NULL: the plan's directory, when it holds any) and of
 * its local modules; NULL when there is none.  The caller applies and
 * frees it (load/load_impl.h). */
struct tf_srcmap *tf_source_map(struct tf_loader *L, const char *dir);

/* ---- tf_net.c, tf_sec.c, tf_app.c, tf_fleet.c, tf_store.c: the kind
 * parsers ------------------------------------------------------------- */

/* The kinds' parsers, by file; load_tfplan.c's type table calls them. */
void tf_parse_vpc(struct tf_loader *L, struct tf_res *r);
void tf_parse_vpc_cidr(struct tf_loader *L, struct tf_res *r);
void tf_parse_subnet(struct tf_loader *L, struct tf_res *r);
void tf_parse_igw(struct tf_loader *L, struct tf_res *r);
void tf_parse_igw_attachment(struct tf_loader *L, struct tf_res *r);
void tf_parse_route_table(struct tf_loader *L, struct tf_res *r);
void tf_parse_route(struct tf_loader *L, struct tf_res *r);
void tf_parse_rt_assoc(struct tf_loader *L, struct tf_res *r);
void tf_parse_main_rt_assoc(struct tf_loader *L, struct tf_res *r);
void tf_parse_nat(struct tf_loader *L, struct tf_res *r);
void tf_parse_endpoint(struct tf_loader *L, struct tf_res *r);
void tf_parse_endpoint_rt(struct tf_loader *L, struct tf_res *r);
void tf_parse_endpoint_subnet(struct tf_loader *L, struct tf_res *r);
void tf_parse_peering(struct tf_loader *L, struct tf_res *r);
void tf_parse_prefix_list(struct tf_loader *L, struct tf_res *r);
void tf_parse_prefix_list_entry(struct tf_loader *L, struct tf_res *r);

void tf_parse_sg(struct tf_loader *L, struct tf_res *r);
void tf_parse_sg_rule(struct tf_loader *L, struct tf_res *r);
void tf_parse_sg_rule_v2(struct tf_loader *L, struct tf_res *r);
void tf_parse_nacl(struct tf_loader *L, struct tf_res *r);
void tf_parse_nacl_rule(struct tf_loader *L, struct tf_res *r);
void tf_parse_nacl_assoc(struct tf_loader *L, struct tf_res *r);
/* The groups of an object that names none: its VPC's default group,
 * synthesized with AWS's rules for a VPC the plan creates. */
uint32_t tf_default_sg(struct tf_loader *L, struct model_obj *o, uint32_t vpc,
		       const char *what);

void tf_parse_instance(struct tf_loader *L, struct tf_res *r);
void tf_parse_eni(struct tf_loader *L, struct tf_res *r);
void tf_parse_eip(struct tf_loader *L, struct tf_res *r);
void tf_parse_lb(struct tf_loader *L, struct tf_res *r);
void tf_parse_listener(struct tf_loader *L, struct tf_res *r);
void tf_parse_listener_rule(struct tf_loader *L, struct tf_res *r);
void tf_parse_tg(struct tf_loader *L, struct tf_res *r);
void tf_parse_tg_attachment(struct tf_loader *L, struct tf_res *r);
void tf_parse_task_definition(struct tf_loader *L, struct tf_res *r);
void tf_parse_service(struct tf_loader *L, struct tf_res *r);
void tf_parse_db(struct tf_loader *L, struct tf_res *r);
void tf_parse_rds_cluster(struct tf_loader *L, struct tf_res *r);
void tf_parse_cluster_instance(struct tf_loader *L, struct tf_res *r);

void tf_parse_asg(struct tf_loader *L, struct tf_res *r);
void tf_parse_asg_attachment(struct tf_loader *L, struct tf_res *r);
/* Whether a Lambda function joins a VPC: a vpc_config with subnets.  One
 * that does not runs outside every VPC and is skipped (classify). */
bool tf_function_in_vpc(struct tf_loader *L, struct tf_res *r);
void tf_parse_function(struct tf_loader *L, struct tf_res *r);
void tf_parse_elb(struct tf_loader *L, struct tf_res *r);
void tf_parse_elb_attachment(struct tf_loader *L, struct tf_res *r);
/* After every parser: the Auto Scaling groups that capacity providers
 * make the container instances of a cluster (aws_ecs_cluster_capacity_
 * providers, aws_ecs_cluster's capacity_providers, a service's
 * capacity_provider_strategy). */
void tf_capacity_clusters(struct tf_loader *L);

void tf_parse_cache(struct tf_loader *L, struct tf_res *r);
void tf_parse_efs_mount(struct tf_loader *L, struct tf_res *r);

#endif

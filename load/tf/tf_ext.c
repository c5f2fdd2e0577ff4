/*
 * What lies outside the plan: VPCs and subnets a plan uses but does not
 * create.  A security group may name a VPC read by a data source
 * (`data "aws_vpc"`, the usual way to build in an existing VPC), a known
 * id of a VPC that exists, an input variable, or a value known only after
 * apply; or name none, and go to the region's default VPC.  Such a group
 * is still checked on its own rules, so the loader gives it a VPC
 * outside the plan (model.h: external): no CIDR block, nothing inside it,
 * its reason as its first unknown, so that every verdict through it is
 * unknown and says why.
 *
 * Data sources of VPCs and subnets become objects with their data
 * source's address as id; a VPC known only by a name (an id, a variable,
 * "default-vpc") gets that name, one VPC a name however many resources
 * use it (an open-addressing table of names, struct tf_loader).  These
 * objects are implicit: the plan creates none of them.  A data source
 * that reads what the plan manages (its id is a managed instance's) is
 * that instance, not an object of its own.
 *
 * Rule resources (aws_security_group_rule, aws_vpc_security_group_*_rule)
 * often add to a group that exists already, named by a known id, an
 * input variable or a data source.  Such a group becomes a group outside
 * the plan, named the same way, in a VPC outside the plan of its own:
 * it holds the plan's rules only, so a rule that opens SSH to the world
 * on it is still reported, with why nothing more is known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"

static const struct tf_type outside_vpc = {"aws_vpc", MK_VPC, false, 0,
					   tf_parse_ext_vpc};
static const struct tf_type data_subnet = {"aws_subnet", MK_SUBNET, true, 1,
					   tf_parse_subnet};
static const struct tf_type outside_sg = {
    "aws_security_group", MK_SECURITY_GROUP, false, 0, tf_parse_ext_sg};

/* Whether data source r reads an instance the plan manages. */
static bool reads_managed(struct tf_loader *L, struct tf_res *r)
{
	const char *id = tf_text(tf_map_get(L, r->values, "id"));
	if (!id)
		id = tf_text(tf_map_get(L, r->prior, "id"));
	for (struct tf_res *x = id ? tf_index_find(L, id) : NULL; x;
	     x = tf_index_next(L, x, id))
		if (!x->data && !strcmp(x->type, r->type))
			return true;
	return false;
}

void tf_ext_data(struct tf_loader *L)
{
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		bool vpc = !strcmp(r->type, "aws_vpc");
		if (!r->data || (!vpc && strcmp(r->type, "aws_subnet")) ||
		    reads_managed(L, r))
			continue;
		r->exists = true;
		if (!vpc) {
			r->t = &data_subnet; /* classified with the others */
			continue;
		}
		r->t = &outside_vpc;
		r->kind = MK_VPC;
		struct tf_val v;
		tf_val_top(&v, r);
		enum tf_state st;
		const char *cidr = tf_str_set(L, &v, "cidr_block", &st);
		r->outside = arena_printf(
		    &L->m->arena,
		    "the VPC is not in the plan: data source %s reads "
		    "it%s%s%s, "
		    "and its route tables, network ACLs and gateways are not "
		    "known",
		    r->addr,
		    cidr	       ? " ("
		    : st == TS_UNKNOWN ? " at apply"
				       : "",
		    cidr ? cidr : "", cidr ? ")" : "");
	}
}

static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of name in the table: its VPC, or the free slot for it. */
static size_t name_slot(struct tf_loader *L, const char *name)
{
	size_t j = name_hash(name) & (L->outside_cap - 1);
	while (L->outside_hash[j] &&
	       strcmp(L->res[L->outside_hash[j] - 1].addr, name))
		j = (j + 1) & (L->outside_cap - 1);
	return j;
}

static void name_grow(struct tf_loader *L)
{
	if (2 * (L->outside_n + 1) <= L->outside_cap)
		return;
	uint32_t *old = L->outside_hash;
	size_t old_cap = L->outside_cap;
	L->outside_cap = old_cap ? 2 * old_cap : 16;
	L->outside_hash = xcalloc(L->outside_cap, sizeof(*L->outside_hash));
	for (size_t k = 0; k < old_cap; k++)
		if (old[k])
			L->outside_hash[name_slot(L, L->res[old[k] - 1].addr)] =
			    old[k];
	free(old);
}

uint32_t tf_ext_vpc(struct tf_loader *L, const char *name, const char *why,
		    struct ydoc_node *at)
{
	name_grow(L);
	size_t j = name_slot(L, name);
	if (L->outside_hash[j])
		return L->outside_hash[j] - 1;
	struct tf_res *r = tf_res_add(L);
	if (!r)
		return MODEL_NONE;
	r->addr = arena_strdup(&L->m->arena, name);
	r->type = "aws_vpc";
	r->name = r->addr;
	r->data = true; /* not the plan's */
	r->exists = true;
	r->at = at;
	r->outside = arena_strdup(&L->m->arena, why);
	r->t = &outside_vpc;
	r->kind = MK_VPC;
	uint32_t ri = (uint32_t)(r - L->res);
	L->outside_hash[j] = ri + 1;
	L->outside_n++;
	return ri;
}

void tf_parse_ext_vpc(struct tf_loader *L, struct tf_res *r)
{
	struct model_vpc *x = &L->m->vpcs[r->index];
	x->internet_gateway = x->main_route_table = x->default_nacl =
	    MODEL_NONE;
	x->external = true;
	x->obj.implicit = true;
	model_add_unknown(L->m, &x->obj, "%s", r->outside);
}

static bool is_rule_type(const char *type)
{
	return !strcmp(type, "aws_security_group_rule") ||
	       !strcmp(type, "aws_vpc_security_group_ingress_rule") ||
	       !strcmp(type, "aws_vpc_security_group_egress_rule");
}

/* The group outside the plan made for name, or NULL. */
static struct tf_res *tf_ext_sg(struct tf_loader *L, const char *name)
{
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].t == &outside_sg && !strcmp(L->res[i].addr, name))
			return &L->res[i];
	return NULL;
}

/* Whether rule v has a peer the model can hold: a known CIDR block, the
 * group itself, or a group or prefix list of the plan.  A rule whose
 * peers are all unknown is left out wherever it is: no group is made
 * for it alone. */
static bool rule_has_peer(struct tf_loader *L, const struct tf_val *v)
{
	static const char *const cidr_keys[] = {
	    "cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"};
	static const char *const group_keys[] = {
	    "source_security_group_id", "referenced_security_group_id"};
	static const char *const pl_keys[] = {"prefix_list_ids",
					      "prefix_list_id"};
	for (size_t k = 0; k < 4; k++) {
		struct ydoc_node *n;
		if (tf_get(L, v, cidr_keys[k], &n) == TS_KNOWN &&
		    (n->type == YAML_SEQUENCE_NODE ? tf_seq_len(n) > 0
						   : tf_text(n) && *tf_text(n)))
			return true;
	}
	bool self = false;
	if (tf_bool(L, v, "self", &self) == TS_KNOWN && self)
		return true;
	char why[384];
	for (size_t k = 0; k < 2; k++)
		if (tf_ref(L, v, group_keys[k], tf_sg_types, why, sizeof(why)))
			return true;
	for (size_t k = 0; k < 2; k++) {
		uint32_t n = 0;
		struct tf_res **p = tf_ref_list(L, v, pl_keys[k], tf_pl_types,
						&n, why, sizeof(why));
		free(p);
		if (n)
			return true;
	}
	return false;
}

void tf_ext_groups(struct tf_loader *L)
{
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		if (r->data || !r->node || !is_rule_type(r->type))
			continue;
		struct tf_val v;
		tf_val_top(&v, r);
		char why[384], from[256], vpc[300], reason[1024];
		if (tf_ref_from(L, &v, "security_group_id", tf_sg_types, why,
				sizeof(why), from, sizeof(from)) ||
		    !from[0] || tf_ext_sg(L, from) || !rule_has_peer(L, &v))
			continue;
		snprintf(vpc, sizeof(vpc), "%s.vpc_id", from);
		snprintf(reason, sizeof(reason),
			 "the VPC is not known: security group %s is not in "
			 "the plan (%s security_group_id: %s)",
			 from, r->addr, why);
		struct ydoc_node *at = r->node;
		uint32_t vi = tf_ext_vpc(L, vpc, reason, at);
		struct tf_res *x = vi == MODEL_NONE ? NULL : tf_res_add(L);
		if (!x)
			return; /* at the limit of resources, reported */
		/* L->res may have moved: r is stale from here on. */
		x->addr = arena_strdup(&L->m->arena, from);
		x->type = "aws_security_group";
		x->name = x->addr;
		x->data = true; /* not the plan's */
		x->exists = true;
		x->at = at;
		x->t = &outside_sg;
		x->kind = MK_SECURITY_GROUP;
		x->vpc = vi;
	}
}

void tf_parse_ext_sg(struct tf_loader *L, struct tf_res *r)
{
	struct model_security_group *g = &L->m->groups[r->index];
	g->vpc = L->res[r->vpc].index;
	g->obj.implicit = true;
	/* Its rules are the plan's rule resources: AWS's allow-all egress
	 * or any rule it has already is not known, and not assumed. */
	g->default_egress = false;
	model_add_unknown(L->m, &g->obj,
			  "the group is not in the plan: only the rules the "
			  "plan adds to it are known");
}

/*
 * Data stores besides RDS (tf_app.c): ElastiCache clusters and
 * replication groups in their cache subnet groups, and EFS mount targets.
 * Each is a database of its family (model.h): one port, the engine's
 * unless the plan says, in the subnets of its group, never with a public
 * address.  As in CloudFormation (load/cfn), a cache without a subnet
 * group is in the region's default VPC, and a cluster that joins a
 * replication group takes what it does not set from the group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"

static const char *const cache_subnet_types[] = {"aws_elasticache_subnet_group",
						 NULL};
static const char *const cache_group_types[] = {
    "aws_elasticache_replication_group", NULL};

/* The VPC default group for a store that names none (AWS's default). */
static void default_group(struct tf_loader *L, struct model_database *d,
			  const char *what)
{
	if (d->n_groups || !d->n_subnets)
		return;
	uint32_t g =
	    tf_default_sg(L, &d->obj, L->m->subnets[d->subnets[0]].vpc, what);
	if (g == MODEL_NONE)
		return;
	d->groups = arena_alloc(&L->m->arena, sizeof(uint32_t));
	d->groups[0] = g;
	d->n_groups = 1;
}

/* The subnets of the cache subnet group named by subnet_group_name. */
static void cache_subnets(struct tf_loader *L, struct model_database *d,
			  const struct tf_val *v)
{
	static const char key[] = "subnet_group_name";
	char why[384];
	enum tf_state st;
	const char *name = tf_str_set(L, v, key, &st);
	struct tf_res *g =
	    name ? tf_ref_text(L, name, key, cache_subnet_types, why,
			       sizeof(why))
		 : tf_ref(L, v, key, cache_subnet_types, why, sizeof(why));
	if (!g) {
		if (why[0])
			tf_unknown(L, &d->obj, v, "%s: %s", key, why);
		return;
	}
	struct tf_val gv;
	tf_val_top(&gv, g);
	d->subnets = tf_ref_objs(L, &d->obj, &gv, "subnet_ids", tf_subnet_types,
				 MK_SUBNET, &d->n_subnets);
}

/*
 * aws_elasticache_cluster and aws_elasticache_replication_group: engine
 * (the group's defaults to redis), port (unset: the engine's), the
 * subnet group, security_group_ids.  A cluster with a
 * replication_group_id is a member of the group: a replica of it here,
 * inheriting engine, port, subnets and groups (model_finish).
 */
void tf_parse_cache(struct tf_loader *L, struct tf_res *r)
{
	struct model_database *d = &L->m->databases[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	bool group = !strcmp(r->type, "aws_elasticache_replication_group");
	d->family = DBF_CACHE;
	d->replica_of = MODEL_NONE;
	char why[384];
	enum tf_state st;
	bool member = false;
	if (!group) {
		const char *rg = tf_str_set(L, &v, "replication_group_id", &st);
		/* Computed by the provider when unset: a member only
		 * when the configuration says so. */
		member =
		    rg || (st == TS_UNKNOWN &&
			   tf_set_by_config(L, &v, "replication_group_id"));
		if (member) {
			struct tf_res *gr =
			    rg ? tf_ref_text(L, rg, "replication_group_id",
					     cache_group_types, why,
					     sizeof(why))
			       : tf_ref(L, &v, "replication_group_id",
					cache_group_types, why, sizeof(why));
			d->replica_of = tf_obj(gr, MK_DATABASE);
			if (d->replica_of == MODEL_NONE)
				tf_unknown(L, &d->obj, &v,
					   "replication_group_id: %s",
					   why[0] ? why : "not in the model");
		}
	}
	const char *e = tf_str_set(L, &v, "engine", &st);
	if (e || !member)
		d->engine = arena_strdup(&L->m->arena, e ? e : "redis");
	if (!e && !group && !member && st != TS_UNKNOWN)
		tf_err(L, &v, NULL, "engine is not set");
	long port;
	st = tf_long(L, &v, "port", 1, 65535, &port);
	if (st == TS_KNOWN)
		d->port = (uint16_t)port;
	else if (st == TS_UNKNOWN && tf_configured(L, &v, "port"))
		tf_unknown(L, &d->obj, &v, "port: known only after apply");
	if (d->engine && !d->port && !model_engine_port(d->engine))
		tf_unknown(L, &d->obj, &v,
			   "port: engine %s has no default port vpcsim knows",
			   d->engine);
	/* Unset (the provider computes it), or AWS's own group "default"
	 * of the default VPC: the region's default VPC. */
	const char *sg = tf_str_set(L, &v, "subnet_group_name", &st);
	bool named = sg ? strcmp(sg, "default") || tf_index_find(L, "default")
			: st == TS_UNKNOWN &&
			      tf_set_by_config(L, &v, "subnet_group_name");
	if (named)
		cache_subnets(L, d, &v);
	else if (!member)
		d->default_vpc = true;
	uint32_t before = d->obj.n_unknowns;
	d->groups = tf_ref_objs(L, &d->obj, &v, "security_group_ids",
				tf_sg_types, MK_SECURITY_GROUP, &d->n_groups);
	if (d->obj.n_unknowns == before && !member)
		default_group(L, d, "security_group_ids");
}

/* An EFS mount target: NFS (2049) in its one subnet, under its groups, or
 * the VPC's default group when it names none (AWS's default). */
void tf_parse_efs_mount(struct tf_loader *L, struct tf_res *r)
{
	struct model_database *d = &L->m->databases[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	d->family = DBF_FILE_SYSTEM;
	d->replica_of = MODEL_NONE;
	d->engine = "efs";
	d->port = 2049;
	uint32_t before = d->obj.n_unknowns;
	uint32_t s =
	    tf_ref_obj(L, &d->obj, &v, "subnet_id", tf_subnet_types, MK_SUBNET);
	if (s != MODEL_NONE) {
		d->subnets = arena_alloc(&L->m->arena, sizeof(*d->subnets));
		d->subnets[0] = s;
		d->n_subnets = 1;
	} else if (d->obj.n_unknowns == before) {
		tf_err(L, &v, NULL, "subnet_id is not set");
	}
	before = d->obj.n_unknowns;
	d->groups = tf_ref_objs(L, &d->obj, &v, "security_groups", tf_sg_types,
				MK_SECURITY_GROUP, &d->n_groups);
	if (d->obj.n_unknowns == before)
		default_group(L, d, "security_groups");
}

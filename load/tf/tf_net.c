/*
 * The network resource types: VPCs and their blocks, subnets, gateways,
 * route tables and routes, VPC endpoints, peering and prefix lists.  The
 * type table that dispatches to these parsers is load_tfplan.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"
#include "model/values.h"

static const char *const rt_types[] = {"aws_route_table",
				       "aws_default_route_table", NULL};
static const char *const igw_types[] = {"aws_internet_gateway", NULL};
static const char *const endpoint_types[] = {"aws_vpc_endpoint", NULL};

/* The VPC object an object was classified with. */
static uint32_t vpc_of(struct tf_loader *L, struct tf_res *r)
{
	return r->vpc == MODEL_NONE ? MODEL_NONE : L->res[r->vpc].index;
}

/* ---- VPCs, subnets, gateways -------------------------------------------- */

void tf_parse_vpc(struct tf_loader *L, struct tf_res *r)
{
	struct model_vpc *x = &L->m->vpcs[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	x->internet_gateway = x->main_route_table = x->default_nacl =
	    MODEL_NONE;
	if (r->outside) { /* its blocks come at apply (classify_vpc) */
		x->external = true;
		model_add_unknown(L->m, &x->obj, "%s", r->outside);
		return;
	}
	struct ydoc_node *n;
	tf_get(L, &v, "cidr_block", &n);
	struct cidr *c =
	    tf_push(&L->m->arena, &x->cidrs, &x->n_cidrs, sizeof(*c));
	if (!tf_cidr(L, &v, n, tf_text(n), c))
		c->len = 33; /* invalid: model_finish skips it */
	enum tf_state st;
	const char *s6 = tf_str_set(L, &v, "ipv6_cidr_block", &st);
	struct cidr6 c6;
	if (s6 && tf_cidr6(L, &v, n, s6, &c6))
		*(struct cidr6 *)tf_push(&L->m->arena, &x->cidrs6, &x->n_cidrs6,
					 sizeof(c6)) = c6;
	/* Amazon assigns the block at apply: its prefix is unknown, and
	 * model_finish gives it a stand-in (§2). */
	bool gen = false;
	if (!s6 && tf_bool(L, &v, "assign_generated_ipv6_cidr_block", &gen) ==
		       TS_KNOWN)
		x->ipv6_unknown = gen;
}

void tf_parse_vpc_cidr(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *vr =
	    tf_ref(L, &v, "vpc_id", tf_vpc_types, why, sizeof(why));
	uint32_t vi = tf_obj(vr, MK_VPC);
	if (vi == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its vpc_id %s", r->addr,
			why[0] ? why : "names no VPC of the model");
		return;
	}
	struct model_vpc *x = &L->m->vpcs[vi];
	enum tf_state st;
	const char *s = tf_str_set(L, &v, "cidr_block", &st);
	if (!s) {
		if (st == TS_UNKNOWN)
			tf_unknown(L, &x->obj, &v,
				   "cidr_block: known only after apply; the "
				   "block is left out");
		return;
	}
	struct cidr c;
	if (tf_cidr(L, &v, tf_map_get(L, r->values, "cidr_block"), s, &c))
		*(struct cidr *)tf_push(&L->m->arena, &x->cidrs, &x->n_cidrs,
					sizeof(c)) = c;
}

void tf_parse_subnet(struct tf_loader *L, struct tf_res *r)
{
	struct model_subnet *s = &L->m->subnets[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	s->vpc = vpc_of(L, r);
	s->route_table = s->nacl = MODEL_NONE;
	s->cidr.len = 33;
	s->cidr_loc = s->obj.loc;
	enum tf_state st;
	const char *c = tf_str_set(L, &v, "cidr_block", &st);
	struct ydoc_node *cn = tf_map_get(L, r->values, "cidr_block");
	if (c) {
		s->cidr_loc = tf_loc(L, cn);
		if (!tf_cidr(L, &v, cn, c, &s->cidr))
			s->cidr.len = 33;
	} else if (st == TS_UNKNOWN || r->data) {
		tf_unknown(L, &s->obj, &v, "cidr_block: %s",
			   st == TS_UNKNOWN ? "known only after apply"
					    : "not read by the data source");
	} else {
		tf_err(L, &v, NULL, "cidr_block is not set");
	}
	const char *c6 = tf_str_set(L, &v, "ipv6_cidr_block", &st);
	if (c6 && tf_cidr6(L, &v, tf_map_get(L, r->values, "ipv6_cidr_block"),
			   c6, &s->cidr6))
		s->has_cidr6 = true;
	else if (!c6 && st == TS_UNKNOWN && s->vpc != MODEL_NONE &&
		 (L->m->vpcs[s->vpc].ipv6_unknown ||
		  L->m->vpcs[s->vpc].n_cidrs6) &&
		 tf_configured(L, &v, "ipv6_cidr_block"))
		s->cidr6_unknown = true; /* a cidrsubnet of the VPC's */
	tf_bool(L, &v, "assign_ipv6_address_on_creation", &s->assign_ipv6);
	const char *az = tf_str_set(L, &v, "availability_zone", &st);
	if (az)
		s->az = arena_strdup(&L->m->arena, az);
	else if (r->data)
		tf_unknown(L, &s->obj, &v,
			   "availability_zone: not read by the data source "
			   "until apply");
	else if (!tf_configured(L, &v, "availability_zone"))
		tf_unknown(L, &s->obj, &v,
			   "availability_zone: AWS chooses it at apply (the "
			   "configuration sets none)");
	else
		tf_unknown(L, &s->obj, &v,
			   "availability_zone: known only "
			   "after apply");
	/* AWS and the provider default: no public address at launch. */
	tf_flag(L, &s->obj, &v, "map_public_ip_on_launch", &s->map_public_ip);
	/* A subnet a data source reads (tf_ext.c) is not the plan's: in a
	 * VPC of the plan, what it is associated with may be elsewhere. */
	if (r->data) {
		s->obj.implicit = true;
		if (!L->m->vpcs[s->vpc].external)
			tf_unknown(L, &s->obj, NULL,
				   "the subnet is not in the plan (data source "
				   "%s reads it): its route table and network "
				   "ACL may be others than the plan says",
				   r->addr);
	}
}

void tf_parse_igw(struct tf_loader *L, struct tf_res *r)
{
	struct model_internet_gateway *g = &L->m->igws[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	g->egress_only = !strcmp(r->type, "aws_egress_only_internet_gateway");
	/* vpc_id is optional: a gateway may be attached separately. */
	g->vpc = tf_ref_obj(L, &g->obj, &v, "vpc_id", tf_vpc_types, MK_VPC);
}

void tf_parse_igw_attachment(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *gr =
	    tf_ref(L, &v, "internet_gateway_id", igw_types, why, sizeof(why));
	uint32_t gi = tf_obj(gr, MK_INTERNET_GATEWAY);
	if (gi == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its internet_gateway_id "
			"%s",
			r->addr,
			why[0] ? why : "names no gateway of the model");
		return;
	}
	struct model_internet_gateway *g = &L->m->igws[gi];
	uint32_t vpc =
	    tf_ref_obj(L, &g->obj, &v, "vpc_id", tf_vpc_types, MK_VPC);
	if (vpc != MODEL_NONE)
		g->vpc = vpc;
}

/* ---- routes ------------------------------------------------------------- */

/* Where a route may lead, by the key that names its target. */
static const struct route_key {
	const char *key;
	enum route_target target;
	enum model_kind kind; /* MK_KIND_COUNT: not modelled */
	const char *const types[3];
} route_keys[] = {
    {"gateway_id",
     RT_IGW,
     MK_INTERNET_GATEWAY,
     {"aws_internet_gateway", "aws_vpn_gateway", NULL}},
    {"nat_gateway_id", RT_NAT, MK_NAT_GATEWAY, {"aws_nat_gateway", NULL}},
    {"egress_only_gateway_id",
     RT_EIGW,
     MK_INTERNET_GATEWAY,
     {"aws_egress_only_internet_gateway", NULL}},
    {"vpc_peering_connection_id",
     RT_PEERING,
     MK_PEERING,
     {"aws_vpc_peering_connection", NULL}},
    {"transit_gateway_id",
     RT_TRANSIT,
     MK_KIND_COUNT,
     {"aws_ec2_transit_gateway", NULL}},
    {"network_interface_id",
     RT_INSTANCE,
     MK_INSTANCE,
     {"aws_network_interface", NULL}},
    {"instance_id", RT_INSTANCE, MK_INSTANCE, {"aws_instance", NULL}},
    {"vpc_endpoint_id", RT_ENDPOINT, MK_KIND_COUNT, {"aws_vpc_endpoint", NULL}},
    {"local_gateway_id",
     RT_BLACKHOLE,
     MK_KIND_COUNT,
     {"aws_ec2_local_gateway", NULL}},
    {"carrier_gateway_id",
     RT_BLACKHOLE,
     MK_KIND_COUNT,
     {"aws_ec2_carrier_gateway", NULL}},
    {"core_network_arn",
     RT_BLACKHOLE,
     MK_KIND_COUNT,
     {"aws_networkmanager_core_network", NULL}},
};

/* The keys that give a route's destination: a route table's inline
 * blocks and aws_route name them differently. */
struct route_dst_keys {
	const char *cidr, *cidr6, *prefix_list;
};

/*
 * Reads the destination of route r (the block v, at for errors) and its
 * text into dst.  False when the route is left out: after an error, or
 * with the reason recorded on table t when it is not known.
 */
static bool route_destination(struct tf_loader *L, struct model_route_table *t,
			      const struct tf_val *v, struct ydoc_node *at,
			      const struct route_dst_keys *keys,
			      struct model_route *r, char *dst, size_t size)
{
	enum tf_state st, st6, stp;
	const char *c = tf_str_set(L, v, keys->cidr, &st);
	const char *c6 = tf_str_set(L, v, keys->cidr6, &st6);
	const char *pl = tf_str_set(L, v, keys->prefix_list, &stp);
	if (c) {
		if (!tf_cidr(L, v, tf_map_get(L, v->val, keys->cidr), c,
			     &r->dst))
			return false;
		snprintf(dst, size, "%s", c);
		return true;
	}
	if (c6) {
		if (!tf_cidr6(L, v, tf_map_get(L, v->val, keys->cidr6), c6,
			      &r->dst6))
			return false;
		r->ipv6 = true;
		snprintf(dst, size, "%s", c6);
		return true;
	}
	if (pl || stp == TS_UNKNOWN) {
		char why[384];
		struct tf_res *p = tf_ref(L, v, keys->prefix_list, tf_pl_types,
					  why, sizeof(why));
		r->prefix_list = tf_obj(p, MK_PREFIX_LIST);
		if (r->prefix_list == MODEL_NONE) {
			tf_unknown(L, &t->obj, v,
				   "to prefix list %s: %s; the route is left "
				   "out",
				   pl ? pl : "(known after apply)",
				   why[0] ? why : "not in the model");
			return false;
		}
		snprintf(dst, size, "prefix list %s",
			 L->m->prefix_lists[r->prefix_list].obj.id);
		return true;
	}
	if (st == TS_UNKNOWN || st6 == TS_UNKNOWN)
		tf_unknown(L, &t->obj, v,
			   "route destination: known only after apply; "
			   "the route is left out");
	else
		tf_err(L, v, at, "a route needs a destination");
	return false;
}

/*
 * Which key of route_keys names the target of route v: a known key (its
 * value in *known), else the one unknown key the configuration sets
 * (computed keys are all unknown at plan), else with one expression for
 * all the blocks the first key whose references name one object of its
 * types.  NULL when none does; *n_unknown says how many keys are unknown.
 */
static const struct route_key *route_target_key(struct tf_loader *L,
						const struct tf_val *v,
						const char **known,
						uint32_t *n_unknown)
{
	const struct route_key *only_unknown = NULL, *configured = NULL;
	*known = NULL;
	*n_unknown = 0;
	for (size_t i = 0; i < ARRAY_LEN(route_keys); i++) {
		enum tf_state ks;
		const char *s = tf_str_set(L, v, route_keys[i].key, &ks);
		if (s) {
			*known = s;
			return &route_keys[i];
		}
		if (ks != TS_UNKNOWN)
			continue;
		(*n_unknown)++;
		only_unknown = &route_keys[i];
		if (!configured && v->cfg &&
		    tf_map_get(L, v->cfg, route_keys[i].key))
			configured = &route_keys[i];
	}
	if (configured)
		return configured;
	if (*n_unknown == 1)
		return only_unknown;
	if (!v->cfg1)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(route_keys); i++) {
		char why[384];
		struct ydoc_node *dummy;
		if (tf_get(L, v, route_keys[i].key, &dummy) == TS_UNKNOWN &&
		    tf_ref(L, v, route_keys[i].key, route_keys[i].types, why,
			   sizeof(why)))
			return &route_keys[i];
	}
	return NULL;
}

/*
 * The gateway an unknown target key k of a route in VPC vpc names when
 * the plan has no configuration of the route to tell: Terraform before
 * 1.1 leaves route blocks written inside an aws_route_table out of the
 * configuration.  An id unknown at plan is the id of something the plan
 * has, and k names gateways only: when exactly one instance of k's types
 * may be in that VPC (another VPC's gateway cannot be a route's target,
 * one whose VPC is not known yet may), it is that one.  NULL when there
 * is none or several, or when the one is no gateway of the model (a VPN
 * gateway).
 */
static struct tf_res *sole_gateway(struct tf_loader *L,
				   const struct route_key *k, uint32_t vpc)
{
	struct tf_res *one = NULL;
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		bool of_type = false;
		for (size_t t = 0; k->types[t]; t++)
			of_type |= !strcmp(r->type, k->types[t]);
		if (r->data || !r->node || !of_type)
			continue;
		if (r->kind == MK_INTERNET_GATEWAY &&
		    L->m->igws[r->index].vpc != MODEL_NONE &&
		    L->m->igws[r->index].vpc != vpc)
			continue;
		if (one)
			return NULL;
		one = r;
	}
	return one && one->kind == MK_INTERNET_GATEWAY ? one : NULL;
}

/*
 * Resolves the target of route r to dst, named by key k (known: its
 * value, or NULL when unknown until apply).  False when the route is left
 * out, with the reason recorded on table t.
 */
static bool route_target(struct tf_loader *L, struct model_route_table *t,
			 const struct tf_val *v, const struct route_key *k,
			 const char *known, const char *dst,
			 struct model_route *r)
{
	char why[384];
	r->target = k->target;
	if (k->target == RT_TRANSIT) {
		/* Transit gateways are opaque to the engine: the id is
		 * enough, and a route to one is one whatever its id. */
		struct tf_res *tg =
		    known ? NULL
			  : tf_ref(L, v, k->key, k->types, why, sizeof(why));
		r->target_id = arena_strdup(&L->m->arena,
					    known ? known
					    : tg  ? tg->addr
						  : "(a transit gateway known "
						    "after apply)");
		return true;
	}
	struct tf_res *tr =
	    known ? tf_ref_text(L, known, k->key, k->types, why, sizeof(why))
		  : tf_ref(L, v, k->key, k->types, why, sizeof(why));
	bool guessed = false;
	if (!tr && !known && !v->cfg && !v->cfg1 && t->vpc != MODEL_NONE &&
	    k->kind == MK_INTERNET_GATEWAY) {
		tr = sole_gateway(L, k, t->vpc);
		guessed = tr != NULL;
	}
	uint32_t ti =
	    k->kind == MK_KIND_COUNT ? MODEL_NONE : tf_obj(tr, k->kind);
	if (ti == MODEL_NONE) {
		if (tr)
			snprintf(
			    why, sizeof(why), "names %s, which %s", tr->addr,
			    k->kind == MK_KIND_COUNT ? "vpcsim does not model"
						     : "is not in the model");
		tf_unknown(L, &t->obj, v, "to %s: %s %s; the route is left out",
			   dst, k->key, why);
		return false;
	}
	r->target_index = ti;
	r->target_id = tr->addr;
	if (k->kind == MK_INTERNET_GATEWAY)
		r->target = L->m->igws[ti].egress_only ? RT_EIGW : RT_IGW;
	/* A guess, however safe: the verdicts that read the table say so. */
	if (guessed)
		tf_unknown(L, &t->obj, v,
			   "to %s: %s is known only after apply, and the plan "
			   "has no configuration of the route (Terraform "
			   "before 1.1 leaves route blocks out of it): taken "
			   "to be %s, the only gateway of its kind the plan "
			   "has for VPC %s",
			   dst, k->key, tr->addr, L->m->vpcs[t->vpc].obj.id);
	return true;
}

/*
 * Reads one route (an inline block of a route table, or an aws_route)
 * into table t.  A route whose destination or target is not known is left
 * out, and the table records why: the verdicts that read the table say so.
 */
static void read_route(struct tf_loader *L, struct model_route_table *t,
		       const struct tf_val *v, struct ydoc_node *at,
		       const struct route_dst_keys *keys)
{
	struct model_route r = {0};
	r.loc = tf_loc(L, at);
	r.prefix_list = r.target_index = r.via_endpoint = MODEL_NONE;
	char dst[64];
	if (!route_destination(L, t, v, at, keys, &r, dst, sizeof(dst)))
		return;
	const char *known;
	uint32_t n_unknown;
	const struct route_key *k = route_target_key(L, v, &known, &n_unknown);
	if (!k) {
		if (n_unknown)
			tf_unknown(
			    L, &t->obj, v,
			    "to %s: its target is known only after apply, "
			    "and the plan's configuration does not say "
			    "which it is; the route is left out",
			    dst);
		else
			tf_err(L, v, at, "the route to %s has no target", dst);
		return;
	}
	if (known && !strcmp(k->key, "gateway_id") && !strcmp(known, "local"))
		return; /* the local route is implicit */
	if (!route_target(L, t, v, k, known, dst, &r))
		return;
	struct model_route *slot =
	    tf_push(&L->m->arena, &t->routes, &t->n_routes, sizeof(r));
	r.number = t->n_routes;
	*slot = r;
}

void tf_parse_route_table(struct tf_loader *L, struct tf_res *r)
{
	struct model_route_table *t = &L->m->route_tables[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	t->vpc = vpc_of(L, r);
	if (!strcmp(r->type, "aws_default_route_table") && t->vpc != MODEL_NONE)
		L->m->vpcs[t->vpc].main_route_table = r->index;
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, &v, "route", &n);
	/* Without a route argument the provider computes the list: the
	 * table then holds its local routes and the aws_route resources
	 * that name it, which is what is read. */
	if (st == TS_UNKNOWN && tf_configured(L, &v, "route")) {
		tf_unknown(L, &t->obj, &v,
			   "route: the list is known only after apply; its "
			   "routes are left out");
		return;
	}
	static const struct route_dst_keys inline_keys = {
	    "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"};
	size_t nr = tf_val_count(L, &v, "route");
	for (size_t i = 0; i < nr; i++) {
		struct tf_val e;
		if (!tf_val_block(L, &v, "route", i, true, &e))
			continue;
		snprintf(e.what, sizeof(e.what), "route %zu", i + 1);
		read_route(L, t, &e, e.val ? e.val : e.prior, &inline_keys);
	}
}

/* Whether key of v names VPC vr's main_route_table_id (rather than its
 * default_route_table_id): by the attribute its configuration references,
 * or by the known value. */
static bool names_main_table(struct tf_loader *L, const struct tf_val *v,
			     const char *key, struct tf_res *vr)
{
	static const char attr[] = ".main_route_table_id";
	struct ydoc_node *e = v->cfg1 ? v->cfg1 : tf_map_get(L, v->cfg, key);
	struct ydoc_node *refs = tf_map_get(L, e, "references");
	for (size_t i = 0; i < tf_seq_len(refs); i++) {
		const char *s = tf_text(tf_seq_at(L, refs, i));
		size_t n = s ? strlen(s) : 0;
		if (n > sizeof(attr) &&
		    !strcmp(s + n - (sizeof(attr) - 1), attr))
			return true;
	}
	enum tf_state st;
	const char *s = tf_str_set(L, v, key, &st);
	const char *main =
	    tf_text(tf_map_get(L, vr->values, "main_route_table_id"));
	const char *dflt =
	    tf_text(tf_map_get(L, vr->values, "default_route_table_id"));
	return s && main && !strcmp(s, main) && (!dflt || strcmp(s, dflt));
}

/*
 * The route table VPC vr's attribute names: default_route_table_id its
 * default table (adopted by an aws_default_route_table, else AWS's own,
 * made here as model_finish makes it: local routes only), and
 * main_route_table_id its main one (the table an
 * aws_main_route_table_association makes main, else the default).
 * MODEL_NONE for a VPC outside the plan, whose tables are not known.
 */
static uint32_t vpc_table(struct tf_loader *L, struct tf_res *vr, bool main)
{
	struct model *m = L->m;
	uint32_t vi = vr->index, vres = (uint32_t)(vr - L->res);
	char why[384];
	for (uint32_t i = 0; main && i < L->n_res; i++) {
		struct tf_res *a = &L->res[i];
		if (!a->node ||
		    strcmp(a->type, "aws_main_route_table_association"))
			continue;
		struct tf_val av;
		tf_val_top(&av, a);
		if (tf_ref(L, &av, "vpc_id", tf_vpc_types, why, sizeof(why)) !=
		    vr)
			continue;
		uint32_t ti = tf_obj(tf_ref(L, &av, "route_table_id", rt_types,
					    why, sizeof(why)),
				     MK_ROUTE_TABLE);
		if (ti != MODEL_NONE)
			return ti;
	}
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].kind == MK_ROUTE_TABLE && L->res[i].vpc == vres &&
		    !strcmp(L->res[i].type, "aws_default_route_table"))
			return L->res[i].index;
	if (m->vpcs[vi].external)
		return MODEL_NONE;
	if (L->vpc_rt[vi] != MODEL_NONE)
		return L->vpc_rt[vi];
	if (m->n[MK_ROUTE_TABLE] >= L->tables_cap)
		return MODEL_NONE;
	uint32_t ti = m->n[MK_ROUTE_TABLE]++;
	struct model_route_table *t = &m->route_tables[ti];
	memset(t, 0, sizeof(*t));
	t->obj.id = arena_printf(&m->arena, "%s-main-rt", m->vpcs[vi].obj.id);
	t->obj.kind = MK_ROUTE_TABLE;
	t->obj.index = ti;
	t->obj.loc = m->vpcs[vi].obj.loc;
	t->obj.implicit = true;
	t->vpc = vi;
	/* Main until an association moves that (tf_parse_main_rt_assoc). */
	if (m->vpcs[vi].main_route_table == MODEL_NONE)
		m->vpcs[vi].main_route_table = ti;
	L->vpc_rt[vi] = ti;
	return ti;
}

/*
 * The route table key of v names: a route table of the plan, or one a
 * VPC's attribute names (vpc_table).  MODEL_NONE with why (empty: not
 * set) and *named the resource it names when that is left out.
 */
static uint32_t table_ref(struct tf_loader *L, const struct tf_val *v,
			  const char *key, char *why, size_t size,
			  struct tf_res **named)
{
	struct tf_res *tr = tf_ref(L, v, key, rt_types, why, size);
	*named = tr;
	if (tr)
		return tf_obj(tr, MK_ROUTE_TABLE);
	char w[384];
	struct tf_res *vr = tf_ref(L, v, key, tf_vpc_types, w, sizeof(w));
	if (!vr || vr->kind != MK_VPC)
		return MODEL_NONE;
	uint32_t ti = vpc_table(L, vr, names_main_table(L, v, key, vr));
	if (ti == MODEL_NONE)
		snprintf(why, size,
			 "names a route table of %s, which the plan does not "
			 "describe",
			 vr->addr);
	return ti;
}

/* The route table a resource names by key, or MODEL_NONE after a
 * warning that the resource is left out. */
static uint32_t table_of(struct tf_loader *L, struct tf_res *r,
			 const struct tf_val *v, const char *key)
{
	char why[384];
	struct tf_res *tr;
	uint32_t ti = table_ref(L, v, key, why, sizeof(why), &tr);
	if (ti == MODEL_NONE)
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its %s %s", r->addr, key,
			tr	 ? "names a table that is left out"
			: why[0] ? why
				 : "is not set");
	return ti;
}

void tf_parse_route(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	uint32_t ti = table_of(L, r, &v, "route_table_id");
	if (ti == MODEL_NONE)
		return;
	static const struct route_dst_keys keys = {
	    "destination_cidr_block", "destination_ipv6_cidr_block",
	    "destination_prefix_list_id"};
	read_route(L, &L->m->route_tables[ti], &v, r->node, &keys);
}

void tf_parse_rt_assoc(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	struct ydoc_node *n;
	if (tf_get(L, &v, "gateway_id", &n) != TS_ABSENT)
		return; /* an edge association: no subnet */
	char why[384];
	struct tf_res *sr =
	    tf_ref(L, &v, "subnet_id", tf_subnet_types, why, sizeof(why));
	uint32_t si = tf_obj(sr, MK_SUBNET);
	if (si == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its subnet_id %s",
			r->addr,
			sr	 ? "names a subnet that is left out"
			: why[0] ? why
				 : "is not set");
		return;
	}
	struct model_subnet *s = &L->m->subnets[si];
	struct tf_res *tr;
	uint32_t ti = table_ref(L, &v, "route_table_id", why, sizeof(why), &tr);
	if (s->route_table_explicit) {
		tf_diag(L, DIAG_ERROR, r->node,
			"%s: subnet %s is associated with a route table twice "
			"(AWS allows one)",
			r->addr, s->obj.id);
		return;
	}
	s->route_table_explicit = true;
	s->route_table = ti;
	if (ti != MODEL_NONE)
		return;
	/* The subnet's table is not its VPC's main table, and which it is
	 * is not known: a table of its own with the local routes only,
	 * which says so to every verdict that reads it. */
	struct model *m = L->m;
	if (m->n[MK_ROUTE_TABLE] >= L->tables_cap)
		return;
	ti = m->n[MK_ROUTE_TABLE]++;
	struct model_route_table *t = &m->route_tables[ti];
	memset(t, 0, sizeof(*t));
	t->obj.id = arena_printf(&m->arena, "%s.route_table", s->obj.id);
	t->obj.kind = MK_ROUTE_TABLE;
	t->obj.index = ti;
	t->obj.loc = tf_loc(L, r->node);
	t->obj.implicit = true;
	t->vpc = s->vpc;
	s->route_table = ti;
	tf_unknown(L, &t->obj, &v,
		   "route_table_id: %s; the subnet's table is taken to hold "
		   "the local routes only",
		   tr ? "names a table that is left out" : why);
}

void tf_parse_main_rt_assoc(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	uint32_t ti = table_of(L, r, &v, "route_table_id");
	if (ti == MODEL_NONE)
		return;
	char why[384];
	struct tf_res *vr =
	    tf_ref(L, &v, "vpc_id", tf_vpc_types, why, sizeof(why));
	uint32_t vi = tf_obj(vr, MK_VPC);
	if (vi == MODEL_NONE)
		vi = L->m->route_tables[ti].vpc;
	if (vi != MODEL_NONE)
		L->m->vpcs[vi].main_route_table = ti;
}

/* ---- NAT gateways, endpoints, peering, prefix lists --------------------- */

void tf_parse_nat(struct tf_loader *L, struct tf_res *r)
{
	struct model_nat_gateway *g = &L->m->nat_gateways[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	g->subnet =
	    tf_ref_obj(L, &g->obj, &v, "subnet_id", tf_subnet_types, MK_SUBNET);
	if (g->subnet == MODEL_NONE && !g->obj.n_unknowns)
		tf_err(L, &v, NULL, "subnet_id is not set");
	enum tf_state st;
	const char *ct = tf_str_set(L, &v, "connectivity_type", &st);
	g->is_public = !ct || strcmp(ct, "private");
	/* A public NAT gateway takes an Elastic IP by allocation_id; its
	 * address is known when the EIP exists already. */
	const char *alloc = tf_str_set(L, &v, "allocation_id", &st);
	g->has_eip = g->is_public && (alloc || st == TS_UNKNOWN);
	if (g->has_eip) {
		static const char *const eip[] = {"aws_eip", NULL};
		char why[384];
		struct tf_res *er =
		    tf_ref(L, &v, "allocation_id", eip, why, sizeof(why));
		const char *ip =
		    er ? tf_text(tf_map_get(L, er->values, "public_ip")) : NULL;
		if (ip && addr_parse(&g->eip, ip))
			g->eip = 0;
	}
	/* Known when configured, or when the gateway exists already. */
	const char *pip = tf_str_set(L, &v, "private_ip", &st);
	if (pip && addr_parse(&g->private_addr, pip))
		tf_err(L, &v, tf_map_get(L, r->values, "private_ip"),
		       "private_ip must be an IPv4 address, not '%s'", pip);
}

void tf_parse_endpoint(struct tf_loader *L, struct tf_res *r)
{
	struct model_vpc_endpoint *e = &L->m->endpoints[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	e->vpc = vpc_of(L, r);
	e->prefix_list = MODEL_NONE;
	enum tf_state st;
	const char *type = tf_str_set(L, &v, "vpc_endpoint_type", &st);
	e->type =
	    type && !strcmp(type, "Interface") ? VPCE_INTERFACE : VPCE_GATEWAY;
	const char *svc = tf_str_set(L, &v, "service_name", &st);
	if (svc) {
		/* com.amazonaws.REGION.NAME -> NAME; a PrivateLink name
		 * (com.amazonaws.vpce.REGION....) is cut too, as this loader
		 * always did (CloudFormation keeps it whole). */
		svc = values_endpoint_service(svc, false);
		e->service = arena_strdup(&L->m->arena, svc);
		if (e->type == VPCE_GATEWAY && !values_gateway_service(svc))
			tf_err(L, &v, tf_map_get(L, r->values, "service_name"),
			       "gateway endpoints exist for s3 and dynamodb "
			       "only, not '%s'",
			       svc);
	} else {
		e->service = "(known after apply)";
		tf_unknown(L, &e->obj, &v, "service_name: %s",
			   st == TS_UNKNOWN ? "known only after apply"
					    : "not set");
	}
	uint32_t n;
	uint32_t *rts = tf_ref_objs(L, &e->obj, &v, "route_table_ids", rt_types,
				    MK_ROUTE_TABLE, &n);
	for (uint32_t i = 0; i < n; i++)
		tf_push_u32(L, &e->route_tables, &e->n_route_tables, rts[i]);
	uint32_t *subs = tf_ref_objs(L, &e->obj, &v, "subnet_ids",
				     tf_subnet_types, MK_SUBNET, &n);
	for (uint32_t i = 0; i < n; i++)
		tf_push_u32(L, &e->subnets, &e->n_subnets, subs[i]);
	if (e->type == VPCE_INTERFACE) {
		e->groups =
		    tf_ref_objs(L, &e->obj, &v, "security_group_ids",
				tf_sg_types, MK_SECURITY_GROUP, &e->n_groups);
		if (!e->n_groups && !e->obj.n_unknowns) {
			uint32_t g = tf_default_sg(L, &e->obj, e->vpc,
						   "security_group_ids");
			if (g != MODEL_NONE) {
				e->groups =
				    arena_alloc(&L->m->arena, sizeof(uint32_t));
				e->groups[0] = g;
				e->n_groups = 1;
			}
		}
	}
	/* The provider's default is false, unlike the console's. */
	e->private_dns = false;
	tf_flag(L, &e->obj, &v, "private_dns_enabled", &e->private_dns);
}

/* The endpoint an association names, or MODEL_NONE after a warning. */
static uint32_t endpoint_of(struct tf_loader *L, struct tf_res *r,
			    const struct tf_val *v)
{
	char why[384];
	struct tf_res *er =
	    tf_ref(L, v, "vpc_endpoint_id", endpoint_types, why, sizeof(why));
	uint32_t ei = tf_obj(er, MK_VPC_ENDPOINT);
	if (ei == MODEL_NONE)
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its vpc_endpoint_id %s",
			r->addr,
			er	 ? "names an endpoint that is left out"
			: why[0] ? why
				 : "is not set");
	return ei;
}

void tf_parse_endpoint_rt(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	uint32_t ei = endpoint_of(L, r, &v);
	if (ei == MODEL_NONE)
		return;
	struct model_vpc_endpoint *e = &L->m->endpoints[ei];
	uint32_t ti = tf_ref_obj(L, &e->obj, &v, "route_table_id", rt_types,
				 MK_ROUTE_TABLE);
	if (ti != MODEL_NONE)
		tf_push_u32(L, &e->route_tables, &e->n_route_tables, ti);
}

void tf_parse_endpoint_subnet(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	uint32_t ei = endpoint_of(L, r, &v);
	if (ei == MODEL_NONE)
		return;
	struct model_vpc_endpoint *e = &L->m->endpoints[ei];
	uint32_t si =
	    tf_ref_obj(L, &e->obj, &v, "subnet_id", tf_subnet_types, MK_SUBNET);
	if (si != MODEL_NONE)
		tf_push_u32(L, &e->subnets, &e->n_subnets, si);
}

void tf_parse_peering(struct tf_loader *L, struct tf_res *r)
{
	struct model_peering *p = &L->m->peerings[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	p->requester =
	    tf_ref_obj(L, &p->obj, &v, "vpc_id", tf_vpc_types, MK_VPC);
	p->accepter =
	    tf_ref_obj(L, &p->obj, &v, "peer_vpc_id", tf_vpc_types, MK_VPC);
}

void tf_parse_prefix_list(struct tf_loader *L, struct tf_res *r)
{
	struct model_prefix_list *p = &L->m->prefix_lists[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	enum tf_state st;
	const char *name = tf_str_set(L, &v, "name", &st);
	if (name)
		p->name = arena_strdup(&L->m->arena, name);
	const char *fam = tf_str_set(L, &v, "address_family", &st);
	bool v6 = fam && !strcmp(fam, "IPv6");
	size_t n = tf_val_count(L, &v, "entry");
	if (n > MODEL_MAX_CIDRS) {
		tf_err(L, &v, tf_map_get(L, v.val, "entry"),
		       "entry has %zu CIDR blocks: more than the limit of %u",
		       n, (unsigned)MODEL_MAX_CIDRS);
		return;
	}
	struct ydoc_node *dummy;
	if (tf_get(L, &v, "entry", &dummy) == TS_UNKNOWN &&
	    tf_configured(L, &v, "entry"))
		tf_unknown(L, &p->obj, &v, "entry: known only after apply");
	for (size_t i = 0; i < n && !v6; i++) {
		struct tf_val e;
		if (!tf_val_block(L, &v, "entry", i, true, &e))
			continue;
		const char *c = tf_str_set(L, &e, "cidr", &st);
		struct cidr x;
		if (c && tf_cidr(L, &e, tf_map_get(L, e.val, "cidr"), c, &x))
			*(struct cidr *)tf_push(&L->m->arena, &p->cidrs,
						&p->n_cidrs, sizeof(x)) = x;
		else if (st == TS_UNKNOWN)
			tf_unknown(L, &p->obj, &e,
				   "cidr: known only after apply");
	}
	if (v6)
		tf_unknown(L, &p->obj, &v,
			   "address_family: IPv6 lists are not "
			   "routed by vpcsim");
}

void tf_parse_prefix_list_entry(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *pr =
	    tf_ref(L, &v, "prefix_list_id", tf_pl_types, why, sizeof(why));
	uint32_t pi = tf_obj(pr, MK_PREFIX_LIST);
	if (pi == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its prefix_list_id %s",
			r->addr, why[0] ? why : "names no list of the model");
		return;
	}
	struct model_prefix_list *p = &L->m->prefix_lists[pi];
	enum tf_state st;
	const char *c = tf_str_set(L, &v, "cidr", &st);
	struct cidr x;
	if (c && strchr(c, ':'))
		return; /* IPv6 lists are not routed */
	if (c && tf_cidr(L, &v, tf_map_get(L, r->values, "cidr"), c, &x))
		*(struct cidr *)tf_push(&L->m->arena, &p->cidrs, &p->n_cidrs,
					sizeof(x)) = x;
	else if (st == TS_UNKNOWN)
		tf_unknown(L, &p->obj, &v,
			   "entry %s: cidr: known only after "
			   "apply",
			   r->addr);
}

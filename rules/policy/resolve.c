/*
 * What a policy's selectors name in a model (docs/policy.md).
 *
 * Loading checks each selector against the model the set is loaded for:
 * an id that names nothing, or names what holds no address, is an error
 * (with the closest id); a mapping that matches no resource is a warning,
 * since an estate may have none yet, with a hint when a tag is the likely
 * typo.  Each of a policy's ends (from, to, except_via) keeps the members
 * its selectors named there, without duplicates, in the order named.
 *
 * A run binds members to the model it evaluates (pol_bind): resources by
 * id, so a failed copy of the model with other indexes evaluates the same
 * resources, placements or not.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "rules/policy/policy_impl.h"

/* Kinds that hold addresses, as selectors name them.  Network interfaces
 * share the instance array (is_interface) but are a kind of their own
 * here, as in the model file. */
const struct pol_kind pol_kinds[] = {
    {"instance", MK_INSTANCE, 0},
    {"network_interface", MK_INSTANCE, 1},
    {"load_balancer", MK_LOAD_BALANCER, -1},
    {"service", MK_SERVICE, -1},
    {"database", MK_DATABASE, -1},
    {"nat_gateway", MK_NAT_GATEWAY, -1},
    {"vpc_endpoint", MK_VPC_ENDPOINT, -1},
};

/* ---- dense node numbers -------------------------------------------------- */

uint32_t pol_dense_count(const struct model *m)
{
	uint32_t n = 4;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		n += m->n[k];
	return n;
}

uint32_t pol_dense_id(const struct model *m, const struct reach_node *x)
{
	if (x->kind == RN_INTERNET)
		return 0;
	if (x->kind == RN_SERVICE)
		return (uint32_t)x->service;
	uint32_t base = 4;
	for (int k = 0; k < (int)x->rkind; k++)
		base += m->n[k];
	return base + x->rindex;
}

/* ---- checking against the model a set is loaded for ---------------------- */

/* One load's resolution: the model, the reader for diagnostics, and
 * scratch. */
struct resolver {
	struct ykit *R;
	const struct model *m;
	uint8_t *have; /* dense set of the nodes of the end being resolved */
	struct node_list out;
	/* Ids of objects that hold addresses, for did-you-mean. */
	const char **cands;
	uint32_t n_cands;
};

static bool holds_address(const struct model *m, enum model_kind k, uint32_t i)
{
	uint32_t n;
	model_placements(m, k, i, &n);
	return n > 0;
}

/* Adds x unless the end has it already. */
static void add(struct resolver *V, struct reach_node x)
{
	uint32_t d = pol_dense_id(V->m, &x);
	if (V->have[d])
		return;
	V->have[d] = 1;
	V->out.v = xreallocarray(V->out.v, V->out.n + 1, sizeof(*V->out.v));
	V->out.v[V->out.n++] = x;
}

/* Whether object o (which holds addresses) matches a mapping selector. */
static bool sel_match(const struct model *m, const struct model_obj *o,
		      const struct pol_sel *sel, uint32_t subnet)
{
	if (sel->kind >= 0) {
		const struct pol_kind *k = &pol_kinds[sel->kind];
		if (o->kind != k->kind)
			return false;
		if (k->iface >= 0 &&
		    m->instances[o->index].is_interface != (k->iface == 1))
			return false;
	}
	for (uint32_t t = 0; t < sel->n_tags; t++) {
		const char *k =
		    (const char *)sel->tags[t].key->data.scalar.value;
		const char *v =
		    (const char *)sel->tags[t].value->data.scalar.value;
		bool found = false;
		for (uint32_t i = 0; i < o->n_tags && !found; i++)
			found = !strcmp(o->tags[i].key, k) &&
				!strcmp(o->tags[i].value, v);
		if (!found)
			return false;
	}
	if (subnet != MODEL_NONE) {
		uint32_t n;
		const struct model_placement *pl =
		    model_placements(m, o->kind, o->index, &n);
		bool in = false;
		for (uint32_t i = 0; i < n && !in; i++)
			in = pl[i].subnet == subnet;
		if (!in)
			return false;
	}
	return true;
}

/* Why a tag matched nothing: a key no resource has, or a value the key
 * never takes, with the closest known one. */
static void tag_hint(struct resolver *V, const struct pol_tag *tag)
{
	const struct model *m = V->m;
	const char *k = (const char *)tag->key->data.scalar.value;
	const char *v = (const char *)tag->value->data.scalar.value;
	const char **keys = xcalloc(m->n_objects + 1, sizeof(*keys));
	const char **vals = xcalloc(m->n_objects + 1, sizeof(*vals));
	uint32_t nk = 0, nv = 0;
	bool key_known = false, pair_known = false;
	for (uint32_t i = 0; i < m->n_objects; i++) {
		const struct model_obj *o = m->by_id[i];
		for (uint32_t t = 0; t < o->n_tags; t++) {
			if (nk < m->n_objects)
				keys[nk++] = o->tags[t].key;
			if (strcmp(o->tags[t].key, k))
				continue;
			key_known = true;
			if (!strcmp(o->tags[t].value, v))
				pair_known = true;
			else if (nv < m->n_objects)
				vals[nv++] = o->tags[t].value;
		}
	}
	if (!key_known) {
		const char *near = util_closest(k, keys, nk);
		if (near)
			ykit_warn(V->R, tag->key,
				  "no resource has a tag '%s' (did you mean "
				  "'%s'?)",
				  k, near);
		else
			ykit_warn(V->R, tag->key, "no resource has a tag '%s'",
				  k);
	} else if (!pair_known) {
		const char *near = util_closest(v, vals, nv);
		if (near)
			ykit_warn(V->R, tag->value,
				  "no resource has tag %s: %s (did you mean "
				  "'%s'?)",
				  k, v, near);
		else
			ykit_warn(V->R, tag->value,
				  "no resource has tag %s: %s", k, v);
	}
	free(keys);
	free(vals);
}

/* The subnet a mapping selector names; MODEL_NONE, after an error when
 * it names no subnet. */
static uint32_t sel_subnet(struct resolver *V, const struct pol_sel *sel)
{
	const struct model *m = V->m;
	const char *s = sel->subnet_id;
	const struct model_obj *o = model_find(m, s);
	if (o && o->kind == MK_SUBNET)
		return o->index;
	if (o) {
		ykit_err(V->R, sel->subnet, "'%s' is a %s, not a subnet", s,
			 model_kind_name(o->kind));
		return MODEL_NONE;
	}
	const char **ids = xcalloc(m->n[MK_SUBNET] + 1, sizeof(*ids));
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
		ids[i] = m->subnets[i].obj.id;
	const char *near = util_closest(s, ids, m->n[MK_SUBNET]);
	if (near)
		ykit_err(V->R, sel->subnet,
			 "unknown subnet '%s' (did you mean '%s'?)", s, near);
	else
		ykit_err(V->R, sel->subnet, "unknown subnet '%s'", s);
	free(ids);
	return MODEL_NONE;
}

/* Every resource holding an address that a mapping selector matches. */
static void resolve_match(struct resolver *V, const struct pol_sel *sel)
{
	const struct model *m = V->m;
	size_t before = V->R->diags->n_errors;
	uint32_t subnet = sel->subnet_id ? sel_subnet(V, sel) : MODEL_NONE;
	if (sel->bad || V->R->diags->n_errors != before)
		return;
	uint32_t added = 0;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			const struct model_obj *o = model_object(m, k, i);
			if (!holds_address(m, k, i) ||
			    !sel_match(m, o, sel, subnet))
				continue;
			add(V, (struct reach_node){.kind = RN_RESOURCE,
						   .rkind = k,
						   .rindex = i});
			added++;
		}
	if (added)
		return;
	/* A typo in a tag would make a policy check nothing and pass: say
	 * so, though it is not an error (an estate may have no such
	 * resource yet). */
	size_t w = V->R->diags->n;
	for (uint32_t t = 0; t < sel->n_tags; t++)
		tag_hint(V, &sel->tags[t]);
	if (V->R->diags->n == w)
		ykit_warn(V->R, sel->node,
			  "this selector matches no resource that holds an "
			  "address");
}

/* The resource an id names; an error when it names nothing, or what
 * holds no address. */
static void resolve_id(struct resolver *V, const struct pol_sel *sel)
{
	const struct model *m = V->m;
	const char *s = sel->id;
	const struct model_obj *o = model_find(m, s);
	if (o && holds_address(m, o->kind, o->index)) {
		add(V, (struct reach_node){.kind = RN_RESOURCE,
					   .rkind = o->kind,
					   .rindex = o->index});
		return;
	}
	if (o) {
		ykit_err(V->R, sel->node,
			 "'%s' is a %s, which holds no address; name a "
			 "resource placed in a subnet, or select by {subnet: "
			 "ID}",
			 s, model_kind_name(o->kind));
		return;
	}
	const char *near = util_closest(s, V->cands, V->n_cands);
	if (near)
		ykit_err(V->R, sel->node,
			 "unknown resource '%s' (did you mean '%s'?)", s, near);
	else
		ykit_err(V->R, sel->node, "unknown resource '%s'", s);
}

/* The nodes of one end, in V->out (the caller's after this). */
static void resolve_end(struct resolver *V, const struct pol_end *e)
{
	memset(V->have, 0, pol_dense_count(V->m));
	V->out = (struct node_list){NULL, 0};
	for (uint32_t i = 0; i < e->n; i++) {
		const struct pol_sel *sel = &e->v[i];
		switch (sel->form) {
		case PSEL_INTERNET:
			add(V, (struct reach_node){.kind = RN_INTERNET});
			break;
		case PSEL_SERVICE:
			if (!sel->bad)
				add(V, (struct reach_node){.kind = RN_SERVICE,
							   .service =
							       sel->service});
			break;
		case PSEL_ID:
			resolve_id(V, sel);
			break;
		case PSEL_MATCH:
			resolve_match(V, sel);
			break;
		}
	}
}

/* The nodes of l as members: resources with their ids. */
static void to_members(struct pol_members *out, const struct model *m,
		       const struct node_list *l)
{
	out->v = xcalloc(l->n + 1, sizeof(*out->v));
	out->n = l->n;
	for (uint32_t i = 0; i < l->n; i++) {
		out->v[i].node = l->v[i];
		if (l->v[i].kind != RN_RESOURCE)
			continue;
		const char *id =
		    model_object(m, l->v[i].rkind, l->v[i].rindex)->id;
		out->v[i].id = id ? xstrdup(id) : NULL;
	}
}

static bool only_internet(const struct node_list *l)
{
	return l->n == 1 && l->v[0].kind == RN_INTERNET;
}

static void resolve_draft(struct resolver *V, struct pol_draft *d)
{
	struct node_list from, to;
	resolve_end(V, &d->from);
	from = V->out;
	resolve_end(V, &d->to);
	to = V->out;
	if (only_internet(&from) && only_internet(&to))
		ykit_err(V->R, d->to.node, "from and to are both the internet");
	to_members(&d->p.from, V->m, &from);
	to_members(&d->p.to, V->m, &to);
	free(from.v);
	free(to.v);
	resolve_end(V, &d->via);
	to_members(&d->p.via, V->m, &V->out);
	free(V->out.v);
}

void pol_resolve(struct ykit *R, const struct model *m, struct pol_draft *d,
		 uint32_t n)
{
	struct resolver V = {.R = R, .m = m};
	V.have = xcalloc(pol_dense_count(m), 1);
	V.cands = xcalloc(m->n_objects + 1, sizeof(*V.cands));
	for (uint32_t i = 0; i < m->n_objects; i++)
		if (holds_address(m, m->by_id[i]->kind, m->by_id[i]->index))
			V.cands[V.n_cands++] = m->by_id[i]->id;
	for (uint32_t i = 0; i < n; i++)
		resolve_draft(&V, &d[i]);
	free(V.have);
	free(V.cands);
}

/* ---- binding to the model a run evaluates -------------------------------- */

/* The object of m that member x stands for, or NULL when m has none. */
static const struct model_obj *bind_resource(const struct model *m,
					     const struct pol_member *x)
{
	enum model_kind k = x->node.rkind;
	uint32_t i = x->node.rindex;
	const struct model_obj *o = i < m->n[k] ? model_object(m, k, i) : NULL;
	/* Where it was when loaded, if it is still there; else by id. */
	if (o && (!x->id || (o->id && !strcmp(o->id, x->id))))
		return o;
	o = x->id ? model_find(m, x->id) : NULL;
	return o && o->kind == k ? o : NULL;
}

void pol_bind(struct node_list *out, const struct pol_members *in,
	      const struct model *m)
{
	out->v = xcalloc(in->n + 1, sizeof(*out->v));
	out->n = 0;
	for (uint32_t i = 0; i < in->n; i++) {
		const struct pol_member *x = &in->v[i];
		if (x->node.kind != RN_RESOURCE) {
			out->v[out->n++] = x->node;
			continue;
		}
		const struct model_obj *o = bind_resource(m, x);
		if (o)
			out->v[out->n++] =
			    (struct reach_node){.kind = RN_RESOURCE,
						.rkind = o->kind,
						.rindex = o->index};
	}
}

/*
 * model_clone: a deep copy of a finished model into an arena of its own,
 * for `vpcsim sim`, which fails a copy per scenario (model_fail edits in
 * place) instead of reading the input files again.
 *
 * Why a copy and not an overlay of failures on an unchanged model: the
 * engine, the rules, the policies and the reports read the model's arrays
 * directly (placements by owner range, routes in match order, rules by
 * position), and each builds its own tables from them.  An overlay would
 * have every one of those readers consult it; a copy keeps them as they
 * are, and costs one pass over the model per scenario, less than building
 * the engine on it.
 *
 * Data: the copy walks every kind array in order, so every object keeps
 * its kind and index and every reference (an index) stays right without
 * translation.  Pointers are translated through a map from the original's
 * address to the copy's (struct xlat, open addressing), so an array or
 * string that several objects share (a placement's groups are its owner's;
 * a read replica's subnets may be its source's; every loc.file is one
 * string) is copied once and stays shared in the copy.  by_id is rebuilt
 * from the copied objects in the original's order.
 *
 * Invariant: no pointer of the copy leads into the original's arena (the
 * unit test frees the original and uses the copy under ASan).  Every
 * pointer field of model.h is copied below; the size checks at the end
 * stop the build when a struct changes, so a new field cannot be missed.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/model.h"
#include "model/model_impl.h"

struct xlat_slot {
	const void *from;
	void *to;
	size_t size;
};

struct xlat {
	struct model *dst; /* the copy: its arena takes every copied byte */
	struct xlat_slot *v;
	size_t cap, n; /* cap a power of two */
};

static size_t slot_of(const struct xlat *X, const void *p)
{
	uintptr_t h = (uintptr_t)p;
	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	h ^= h >> 29;
	size_t i = (size_t)h & (X->cap - 1);
	while (X->v[i].from && X->v[i].from != p)
		i = (i + 1) & (X->cap - 1);
	return i;
}

static void xlat_grow(struct xlat *X)
{
	struct xlat_slot *old = X->v;
	size_t old_cap = X->cap;
	X->cap = old_cap ? 2 * old_cap : 1024;
	X->v = xcalloc(X->cap, sizeof(*X->v));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].from)
			X->v[slot_of(X, old[i].from)] = old[i];
	free(old);
}

/*
 * The copy of size bytes at p, made once per original pointer; *fresh
 * says whether this call made it (the caller then translates the
 * pointers inside, once).  A longer request than the first (an empty
 * array shares its address with the next allocation) gets a copy of its
 * own.
 */
static void *cp_mem(struct xlat *X, const void *p, size_t size, bool *fresh)
{
	*fresh = false;
	if (!p)
		return NULL;
	if (2 * (X->n + 1) > X->cap)
		xlat_grow(X);
	size_t i = slot_of(X, p);
	if (X->v[i].from && X->v[i].size >= size)
		return X->v[i].to;
	void *to = arena_alloc(&X->dst->arena, size);
	if (size)
		memcpy(to, p, size);
	X->n += !X->v[i].from;
	X->v[i] = (struct xlat_slot){p, to, size};
	*fresh = true;
	return to;
}

/* An array of n elements of size bytes whose elements hold no pointers. */
static void *cp_array(struct xlat *X, const void *p, size_t n, size_t size)
{
	bool fresh;
	return cp_mem(X, p, n * size, &fresh);
}

static const char *cp_str(struct xlat *X, const char *s)
{
	bool fresh;
	return s ? cp_mem(X, s, strlen(s) + 1, &fresh) : NULL;
}

static const char **cp_strs(struct xlat *X, const char *const *v, uint32_t n)
{
	bool fresh;
	const char **c = cp_mem(X, v, n * sizeof(*v), &fresh);
	for (uint32_t i = 0; fresh && i < n; i++)
		c[i] = cp_str(X, c[i]);
	return c;
}

#define CP_ARRAY(X, p, n) cp_array(X, p, n, sizeof(*(p)))
/* The same for elements with pointers inside: true when the caller is to
 * translate them (a shared array is translated once). */
#define CP_STRUCTS(X, p, n, fresh)                                             \
	cp_mem(X, p, (size_t)(n) * sizeof(*(p)), fresh)

static void cp_loc(struct xlat *X, struct src_loc *l)
{
	l->file = cp_str(X, l->file);
}

static void cp_obj(struct xlat *X, struct model_obj *o)
{
	bool fresh;
	o->id = cp_str(X, o->id);
	cp_loc(X, &o->loc);
	o->tags = CP_STRUCTS(X, o->tags, o->n_tags, &fresh);
	for (uint32_t i = 0; fresh && i < o->n_tags; i++) {
		o->tags[i].key = cp_str(X, o->tags[i].key);
		o->tags[i].value = cp_str(X, o->tags[i].value);
	}
	o->unknowns = cp_strs(X, o->unknowns, o->n_unknowns);
}

static void cp_vpc(struct xlat *X, struct model_vpc *v)
{
	v->cidrs = CP_ARRAY(X, v->cidrs, v->n_cidrs);
	v->cidrs6 = CP_ARRAY(X, v->cidrs6, v->n_cidrs6);
}

static void cp_subnet(struct xlat *X, struct model_subnet *s)
{
	cp_loc(X, &s->cidr_loc);
	s->az = cp_str(X, s->az);
	s->why = cp_str(X, s->why);
}

static void cp_route_table(struct xlat *X, struct model_route_table *t)
{
	bool fresh;
	t->routes = CP_STRUCTS(X, t->routes, t->n_routes, &fresh);
	for (uint32_t r = 0; fresh && r < t->n_routes; r++) {
		cp_loc(X, &t->routes[r].loc);
		t->routes[r].target_id = cp_str(X, t->routes[r].target_id);
	}
}

static struct model_sg_rule *
cp_sg_rules(struct xlat *X, const struct model_sg_rule *v, uint32_t n)
{
	bool fresh;
	struct model_sg_rule *c = CP_STRUCTS(X, v, n, &fresh);
	for (uint32_t i = 0; fresh && i < n; i++) {
		cp_loc(X, &c[i].loc);
		c[i].description = cp_str(X, c[i].description);
	}
	return c;
}

static void cp_group(struct xlat *X, struct model_security_group *g)
{
	g->description = cp_str(X, g->description);
	g->ingress = cp_sg_rules(X, g->ingress, g->n_ingress);
	g->egress = cp_sg_rules(X, g->egress, g->n_egress);
}

static struct model_nacl_rule *
cp_nacl_rules(struct xlat *X, const struct model_nacl_rule *v, uint32_t n)
{
	bool fresh;
	struct model_nacl_rule *c = CP_STRUCTS(X, v, n, &fresh);
	for (uint32_t i = 0; fresh && i < n; i++)
		cp_loc(X, &c[i].loc);
	return c;
}

static void cp_nacl(struct xlat *X, struct model_network_acl *a)
{
	a->inbound = cp_nacl_rules(X, a->inbound, a->n_inbound);
	a->outbound = cp_nacl_rules(X, a->outbound, a->n_outbound);
}

static void cp_prefix_list(struct xlat *X, struct model_prefix_list *p)
{
	p->name = cp_str(X, p->name);
	p->service = cp_str(X, p->service);
	p->cidrs = CP_ARRAY(X, p->cidrs, p->n_cidrs);
}

static void cp_instance(struct xlat *X, struct model_instance *h)
{
	h->groups = CP_ARRAY(X, h->groups, h->n_groups);
}

static void cp_listener(struct xlat *X, struct model_listener *li)
{
	bool fresh;
	cp_loc(X, &li->loc);
	cp_loc(X, &li->default_action.loc);
	li->rules = CP_STRUCTS(X, li->rules, li->n_rules, &fresh);
	for (uint32_t r = 0; fresh && r < li->n_rules; r++) {
		struct model_listener_rule *x = &li->rules[r];
		cp_loc(X, &x->loc);
		cp_loc(X, &x->action.loc);
		x->paths = cp_strs(X, x->paths, x->n_paths);
		x->hosts = cp_strs(X, x->hosts, x->n_hosts);
	}
}

static void cp_lb(struct xlat *X, struct model_load_balancer *lb)
{
	bool fresh;
	lb->subnets = CP_ARRAY(X, lb->subnets, lb->n_subnets);
	lb->groups = CP_ARRAY(X, lb->groups, lb->n_groups);
	lb->instances = CP_ARRAY(X, lb->instances, lb->n_instances);
	lb->listeners = CP_STRUCTS(X, lb->listeners, lb->n_listeners, &fresh);
	for (uint32_t l = 0; fresh && l < lb->n_listeners; l++)
		cp_listener(X, &lb->listeners[l]);
}

static void cp_target_group(struct xlat *X, struct model_target_group *tg)
{
	bool fresh;
	tg->health_check_path = cp_str(X, tg->health_check_path);
	tg->targets = CP_STRUCTS(X, tg->targets, tg->n_targets, &fresh);
	for (uint32_t i = 0; fresh && i < tg->n_targets; i++)
		cp_loc(X, &tg->targets[i].loc);
}

static void cp_task_definition(struct xlat *X, struct model_task_definition *td)
{
	bool fresh;
	td->network_mode = cp_str(X, td->network_mode);
	td->containers =
	    CP_STRUCTS(X, td->containers, td->n_containers, &fresh);
	for (uint32_t i = 0; fresh && i < td->n_containers; i++) {
		struct model_container *c = &td->containers[i];
		c->name = cp_str(X, c->name);
		c->ports = CP_ARRAY(X, c->ports, c->n_ports);
	}
}

static void cp_service(struct xlat *X, struct model_service *s)
{
	bool fresh;
	s->cluster = cp_str(X, s->cluster);
	s->subnets = CP_ARRAY(X, s->subnets, s->n_subnets);
	s->groups = CP_ARRAY(X, s->groups, s->n_groups);
	s->bindings = CP_STRUCTS(X, s->bindings, s->n_bindings, &fresh);
	for (uint32_t i = 0; fresh && i < s->n_bindings; i++) {
		cp_loc(X, &s->bindings[i].loc);
		s->bindings[i].container = cp_str(X, s->bindings[i].container);
	}
}

static void cp_database(struct xlat *X, struct model_database *d)
{
	d->engine = cp_str(X, d->engine);
	d->subnets = CP_ARRAY(X, d->subnets, d->n_subnets);
	d->az = cp_str(X, d->az);
	d->groups = CP_ARRAY(X, d->groups, d->n_groups);
}

static void cp_fleet(struct xlat *X, struct model_fleet *f)
{
	f->subnets = CP_ARRAY(X, f->subnets, f->n_subnets);
	f->groups = CP_ARRAY(X, f->groups, f->n_groups);
	f->target_groups = CP_ARRAY(X, f->target_groups, f->n_target_groups);
	f->load_balancers = CP_ARRAY(X, f->load_balancers, f->n_load_balancers);
	f->ecs_cluster = cp_str(X, f->ecs_cluster);
}

static void cp_endpoint(struct xlat *X, struct model_vpc_endpoint *e)
{
	e->service = cp_str(X, e->service);
	e->route_tables = CP_ARRAY(X, e->route_tables, e->n_route_tables);
	e->subnets = CP_ARRAY(X, e->subnets, e->n_subnets);
	e->groups = CP_ARRAY(X, e->groups, e->n_groups);
}

/* The pointers inside object o of kind k, already copied by value. */
static void cp_kind_fields(struct xlat *X, enum model_kind k,
			   struct model_obj *o)
{
	switch (k) {
	case MK_VPC:
		cp_vpc(X, (struct model_vpc *)o);
		break;
	case MK_SUBNET:
		cp_subnet(X, (struct model_subnet *)o);
		break;
	case MK_ROUTE_TABLE:
		cp_route_table(X, (struct model_route_table *)o);
		break;
	case MK_SECURITY_GROUP:
		cp_group(X, (struct model_security_group *)o);
		break;
	case MK_NETWORK_ACL:
		cp_nacl(X, (struct model_network_acl *)o);
		break;
	case MK_PREFIX_LIST:
		cp_prefix_list(X, (struct model_prefix_list *)o);
		break;
	case MK_INSTANCE:
		cp_instance(X, (struct model_instance *)o);
		break;
	case MK_LOAD_BALANCER:
		cp_lb(X, (struct model_load_balancer *)o);
		break;
	case MK_TARGET_GROUP:
		cp_target_group(X, (struct model_target_group *)o);
		break;
	case MK_TASK_DEFINITION:
		cp_task_definition(X, (struct model_task_definition *)o);
		break;
	case MK_SERVICE:
		cp_service(X, (struct model_service *)o);
		break;
	case MK_DATABASE:
		cp_database(X, (struct model_database *)o);
		break;
	case MK_VPC_ENDPOINT:
		cp_endpoint(X, (struct model_vpc_endpoint *)o);
		break;
	case MK_FLEET:
		cp_fleet(X, (struct model_fleet *)o);
		break;
	case MK_INTERNET_GATEWAY: /* no pointers */
	case MK_NAT_GATEWAY:
	case MK_PEERING:
	case MK_KIND_COUNT:
		break;
	}
}

/* Placements and their per-owner ranges; a placement's groups are its
 * owner's array, copied (and so shared) already. */
static void cp_placements(struct xlat *X, struct model *c,
			  const struct model *m)
{
	bool fresh;
	c->placements =
	    CP_STRUCTS(X, m->placements, m->n_placements_total, &fresh);
	c->n_placements_total = m->n_placements_total;
	for (uint32_t i = 0; fresh && i < c->n_placements_total; i++) {
		struct model_placement *p = &c->placements[i];
		p->public_why = cp_str(X, p->public_why);
		p->ipv6_why = cp_str(X, p->ipv6_why);
		p->groups = CP_ARRAY(X, p->groups, p->n_groups);
	}
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		c->first_placement[k] =
		    CP_ARRAY(X, m->first_placement[k], m->n[k]);
		c->n_placements[k] = CP_ARRAY(X, m->n_placements[k], m->n[k]);
	}
}

/* What the model does not hold: gaps and outside uses. */
static void cp_outside(struct xlat *X, struct model *c, const struct model *m)
{
	bool fresh;
	c->n_gaps = m->n_gaps;
	c->n_uses = m->n_uses;
	c->gaps = CP_STRUCTS(X, m->gaps, m->n_gaps, &fresh);
	for (uint32_t i = 0; fresh && i < c->n_gaps; i++) {
		c->gaps[i].id = cp_str(X, c->gaps[i].id);
		c->gaps[i].why = cp_str(X, c->gaps[i].why);
		cp_loc(X, &c->gaps[i].loc);
	}
	/* model_add_use grows the array to powers of two: the copy keeps
	 * that capacity, so uses may still be added to it. */
	uint32_t cap = 1;
	while (cap < m->n_uses)
		cap *= 2;
	c->uses = CP_STRUCTS(X, m->uses, m->n_uses ? cap : 0, &fresh);
	for (uint32_t i = 0; fresh && i < c->n_uses; i++)
		c->uses[i].by = cp_str(X, c->uses[i].by);
	/* The suppressions grow the same way. */
	c->n_suppress = m->n_suppress;
	for (cap = 1; cap < m->n_suppress;)
		cap *= 2;
	c->suppress =
	    CP_STRUCTS(X, m->suppress, m->n_suppress ? cap : 0, &fresh);
	for (uint32_t i = 0; fresh && i < c->n_suppress; i++) {
		struct model_suppress *e = &c->suppress[i];
		e->rule = cp_str(X, e->rule);
		e->reason = cp_str(X, e->reason);
		e->until = cp_str(X, e->until);
		cp_loc(X, &e->loc);
	}
}

struct model *model_clone(const struct model *m)
{
	struct model *c = model_new(NULL);
	struct xlat X = {.dst = c};
	c->file = cp_str(&X, m->file);
	c->region = cp_str(&X, m->region);
	c->format = cp_str(&X, m->format);
	model_alloc_kinds(c, m->n);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			struct model_obj *o = model_object(c, k, i);
			memcpy(o, model_object(m, k, i), model_kind_size(k));
			cp_obj(&X, o);
			cp_kind_fields(&X, k, o);
		}
	cp_placements(&X, c, m);
	cp_outside(&X, c, m);
	/* The id index, the same order over the copy's objects; its map
	 * keys are the copy's ids. */
	c->by_id = arena_array(&c->arena, m->n_objects, sizeof(*c->by_id));
	c->id_refs = arena_array(&c->arena, m->n_objects, sizeof(*c->id_refs));
	c->n_objects = m->n_objects;
	memcpy(c->n_indexed, m->n_indexed, sizeof(c->n_indexed));
	for (uint32_t i = 0; i < m->n_objects; i++) {
		c->id_refs[i] = m->id_refs[i];
		c->by_id[i] =
		    model_object(c, m->id_refs[i].kind, m->id_refs[i].index);
		bool added;
		uint32_t e = hmap_insert(&c->ids, c->by_id[i]->id, &added);
		if (added)
			*(struct model_ref *)hmap_val(&c->ids, e) =
			    c->id_refs[i];
	}
	free(X.v);
	return c;
}

/*
 * A field added to a struct of model.h changes its size: look at the
 * struct, copy what the new field points to above, then update the size
 * here.  (Sizes as on LP64 targets: x86-64, aarch64.)
 */
#if UINTPTR_MAX == UINT64_MAX
#define SIZE_IS(type, n)                                                       \
	_Static_assert(sizeof(type) == (n),                                    \
		       #type " changed: copy its new fields in model_clone")
SIZE_IS(struct src_loc, 16);
SIZE_IS(struct model_tag, 16);
SIZE_IS(struct model_obj, 64);
SIZE_IS(struct model_match, 16);
SIZE_IS(struct model_vpc, 112);
SIZE_IS(struct model_internet_gateway, 72);
SIZE_IS(struct model_subnet, 168);
SIZE_IS(struct model_route, 80);
SIZE_IS(struct model_route_table, 88);
SIZE_IS(struct model_nat_gateway, 80);
SIZE_IS(struct model_sg_rule, 88);
SIZE_IS(struct model_security_group, 112);
SIZE_IS(struct model_nacl_rule, 72);
SIZE_IS(struct model_network_acl, 96);
SIZE_IS(struct model_prefix_list, 96);
SIZE_IS(struct model_instance, 128);
SIZE_IS(struct model_lb_action, 40);
SIZE_IS(struct model_listener_rule, 88);
SIZE_IS(struct model_listener, 88);
SIZE_IS(struct model_load_balancer, 144);
SIZE_IS(struct model_tg_target, 32);
SIZE_IS(struct model_target_group, 120);
SIZE_IS(struct model_port_mapping, 8);
SIZE_IS(struct model_container, 24);
SIZE_IS(struct model_task_definition, 88);
SIZE_IS(struct model_lb_binding, 40);
SIZE_IS(struct model_service, 128);
SIZE_IS(struct model_database, 136);
SIZE_IS(struct model_vpc_endpoint, 128);
SIZE_IS(struct model_peering, 72);
SIZE_IS(struct model_placement, 72);
SIZE_IS(struct model_fleet, 152);
SIZE_IS(struct model_gap, 32);
SIZE_IS(struct model_use, 16);
SIZE_IS(struct model_suppress, 56);
SIZE_IS(struct model, 752);
#endif

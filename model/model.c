/*
 * The model's own room: construction (model_new, model_free, the kind
 * arrays), lookups (by id, by kind and index, placements of an owner),
 * names and formatting of its values, model_add_unknown, and the
 * loader's records of what the model does not hold (gaps, outside uses).
 *
 * Data: one array per kind, reached generically through kind_array and
 * kind_sizes (so allocation, growth and lookup by (kind, index) are one
 * code path for every kind), and by_id, every object with an id sorted
 * by id with ties in source order.  Invariants kept here: an object's
 * index is its position in its kind's array; model_grow_kind appends, so
 * existing indexes stay valid (pointers into the moved array do not);
 * by_id is brought up to date by model_index_ids whenever objects are
 * added (the new ones sorted and merged in: the sort of a million ids
 * is done once), and model_find, a hash lookup in ids, returns the first
 * definition of a duplicate id.
 * Normalisation (model_finish) lives in finish.c; cloning in clone.c.
 */
#include "model/model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "model/model_impl.h"
#include "model/values.h"

static const char *const kind_names[MK_KIND_COUNT] = {
    [MK_VPC] = "vpc",
    [MK_INTERNET_GATEWAY] = "internet_gateway",
    [MK_SUBNET] = "subnet",
    [MK_ROUTE_TABLE] = "route_table",
    [MK_NAT_GATEWAY] = "nat_gateway",
    [MK_SECURITY_GROUP] = "security_group",
    [MK_NETWORK_ACL] = "network_acl",
    [MK_PREFIX_LIST] = "prefix_list",
    [MK_INSTANCE] = "instance",
    [MK_LOAD_BALANCER] = "load_balancer",
    [MK_TARGET_GROUP] = "target_group",
    [MK_TASK_DEFINITION] = "task_definition",
    [MK_SERVICE] = "service",
    [MK_DATABASE] = "database",
    [MK_VPC_ENDPOINT] = "vpc_endpoint",
    [MK_PEERING] = "peering",
    [MK_FLEET] = "fleet",
};

const char *model_kind_label(enum model_kind k)
{
	static const char *const labels[MK_KIND_COUNT] = {
	    [MK_VPC] = "a VPC",
	    [MK_INTERNET_GATEWAY] = "an internet gateway",
	    [MK_SUBNET] = "a subnet",
	    [MK_ROUTE_TABLE] = "a route table",
	    [MK_NAT_GATEWAY] = "a NAT gateway",
	    [MK_SECURITY_GROUP] = "a security group",
	    [MK_NETWORK_ACL] = "a network ACL",
	    [MK_PREFIX_LIST] = "a prefix list",
	    [MK_INSTANCE] = "an instance",
	    [MK_LOAD_BALANCER] = "a load balancer",
	    [MK_TARGET_GROUP] = "a target group",
	    [MK_TASK_DEFINITION] = "a task definition",
	    [MK_SERVICE] = "a service",
	    [MK_DATABASE] = "a database",
	    [MK_VPC_ENDPOINT] = "a VPC endpoint",
	    [MK_PEERING] = "a peering connection",
	    [MK_FLEET] = "a fleet",
	};
	return k < MK_KIND_COUNT ? labels[k] : "an object";
}

static const size_t kind_sizes[MK_KIND_COUNT] = {
    [MK_VPC] = sizeof(struct model_vpc),
    [MK_INTERNET_GATEWAY] = sizeof(struct model_internet_gateway),
    [MK_SUBNET] = sizeof(struct model_subnet),
    [MK_ROUTE_TABLE] = sizeof(struct model_route_table),
    [MK_NAT_GATEWAY] = sizeof(struct model_nat_gateway),
    [MK_SECURITY_GROUP] = sizeof(struct model_security_group),
    [MK_NETWORK_ACL] = sizeof(struct model_network_acl),
    [MK_PREFIX_LIST] = sizeof(struct model_prefix_list),
    [MK_INSTANCE] = sizeof(struct model_instance),
    [MK_LOAD_BALANCER] = sizeof(struct model_load_balancer),
    [MK_TARGET_GROUP] = sizeof(struct model_target_group),
    [MK_TASK_DEFINITION] = sizeof(struct model_task_definition),
    [MK_SERVICE] = sizeof(struct model_service),
    [MK_DATABASE] = sizeof(struct model_database),
    [MK_VPC_ENDPOINT] = sizeof(struct model_vpc_endpoint),
    [MK_PEERING] = sizeof(struct model_peering),
    [MK_FLEET] = sizeof(struct model_fleet),
};

static void **kind_array(struct model *m, enum model_kind k)
{
	switch (k) {
	case MK_VPC:
		return (void **)&m->vpcs;
	case MK_INTERNET_GATEWAY:
		return (void **)&m->igws;
	case MK_SUBNET:
		return (void **)&m->subnets;
	case MK_ROUTE_TABLE:
		return (void **)&m->route_tables;
	case MK_NAT_GATEWAY:
		return (void **)&m->nat_gateways;
	case MK_SECURITY_GROUP:
		return (void **)&m->groups;
	case MK_NETWORK_ACL:
		return (void **)&m->nacls;
	case MK_PREFIX_LIST:
		return (void **)&m->prefix_lists;
	case MK_INSTANCE:
		return (void **)&m->instances;
	case MK_LOAD_BALANCER:
		return (void **)&m->lbs;
	case MK_TARGET_GROUP:
		return (void **)&m->target_groups;
	case MK_TASK_DEFINITION:
		return (void **)&m->task_definitions;
	case MK_SERVICE:
		return (void **)&m->services;
	case MK_DATABASE:
		return (void **)&m->databases;
	case MK_VPC_ENDPOINT:
		return (void **)&m->endpoints;
	case MK_PEERING:
		return (void **)&m->peerings;
	case MK_FLEET:
		return (void **)&m->fleets;
	case MK_KIND_COUNT:
		break;
	}
	abort();
}

size_t model_kind_size(enum model_kind k)
{
	return kind_sizes[k];
}

struct model *model_new(const char *file)
{
	struct model *m = xcalloc(1, sizeof(*m));
	arena_init(&m->arena);
	hmap_init(&m->ids, 0, sizeof(struct model_ref));
	m->file = arena_strdup(&m->arena, file ? file : "<input>");
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	hmap_free(&m->ids);
	arena_free(&m->arena);
	free(m);
}

void model_alloc_kinds(struct model *m, const uint32_t count[MK_KIND_COUNT])
{
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		*kind_array(m, k) =
		    arena_array(&m->arena, count[k], kind_sizes[k]);
		m->n[k] = count[k];
	}
}

/* Appends n zeroed objects of kind k, moving the array; returns the
 * index of the first.  Indexes stay valid, pointers into the array don't. */
uint32_t model_grow_kind(struct model *m, enum model_kind k, uint32_t n)
{
	void **arr = kind_array(m, k);
	void *fresh =
	    arena_array(&m->arena, (size_t)m->n[k] + n, kind_sizes[k]);
	if (m->n[k])
		memcpy(fresh, *arr, (size_t)m->n[k] * kind_sizes[k]);
	*arr = fresh;
	uint32_t first = m->n[k];
	m->n[k] += n;
	return first;
}

struct model_obj *model_object(const struct model *m, enum model_kind kind,
			       uint32_t index)
{
	char *base = *kind_array((struct model *)m, kind);
	return (struct model_obj *)(base + (size_t)index * kind_sizes[kind]);
}

static int obj_id_cmp(const void *a, const void *b)
{
	const struct model_obj *x = *(struct model_obj *const *)a;
	const struct model_obj *y = *(struct model_obj *const *)b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	/* Equal ids: the first in the file first, so it is "the" one. */
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* An object to sort: its id's first eight bytes, big-endian, decide
 * most comparisons without reading the id through the pointer. */
struct id_sort {
	uint64_t prefix;
	struct model_obj *o;
};

static uint64_t id_prefix(const char *id)
{
	uint64_t p = 0;
	bool end = false;
	for (int i = 0; i < 8; i++) {
		end = end || !id[i]; /* no byte read past the end */
		p = p << 8 | (end ? 0u : (unsigned char)id[i]);
	}
	return p;
}

static int id_sort_cmp(const void *a, const void *b)
{
	const struct id_sort *x = a, *y = b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return obj_id_cmp(&x->o, &y->o);
}

/* Adds o (reference r) to the id map, where it replaces an object of the
 * same id that sorts after it. */
static void map_id(struct model *m, struct model_obj *o, struct model_ref r)
{
	bool added;
	uint32_t e = hmap_insert(&m->ids, o->id, &added);
	struct model_ref *v = hmap_val(&m->ids, e);
	if (!added) {
		struct model_obj *had = model_object(m, v->kind, v->index);
		if (obj_id_cmp(&o, &had) > 0)
			return;
	}
	*v = r;
}

void model_index_ids(struct model *m, struct diag_list *diags)
{
	/* The objects added since the last index, sorted. */
	uint32_t n_new = 0, total = m->n_objects;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = m->n_indexed[k]; i < m->n[k]; i++)
			n_new += model_object(m, k, i)->id != NULL;
	/* Nothing new: the index, and the duplicates it reported, stand. */
	if (!n_new && m->by_id)
		return;
	struct id_sort *add = xmalloc(((size_t)n_new + 1) * sizeof(*add));
	hmap_reserve(&m->ids, m->ids.n + n_new);
	n_new = 0;
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		for (uint32_t i = m->n_indexed[k]; i < m->n[k]; i++) {
			struct model_obj *o = model_object(m, k, i);
			if (!o->id)
				continue;
			add[n_new++] = (struct id_sort){id_prefix(o->id), o};
			map_id(m, o, (struct model_ref){k, i});
		}
		m->n_indexed[k] = m->n[k];
	}
	qsort(add, n_new, sizeof(*add), id_sort_cmp);
	/* Merged with the objects indexed before (by reference: their
	 * arrays may have moved). */
	total += n_new;
	struct model_obj **by_id =
	    arena_array(&m->arena, total, sizeof(*by_id));
	struct model_ref *refs = arena_array(&m->arena, total, sizeof(*refs));
	uint32_t a = 0, b = 0;
	for (uint32_t i = 0; i < total; i++) {
		struct model_obj *x = a < m->n_objects
					  ? model_object(m, m->id_refs[a].kind,
							 m->id_refs[a].index)
					  : NULL;
		if (x && (b == n_new || obj_id_cmp(&x, &add[b].o) <= 0)) {
			by_id[i] = x;
			refs[i] = m->id_refs[a++];
		} else {
			by_id[i] = add[b++].o;
			refs[i] =
			    (struct model_ref){by_id[i]->kind, by_id[i]->index};
		}
	}
	free(add);
	m->by_id = by_id;
	m->id_refs = refs;
	m->n_objects = total;
	for (uint32_t i = 1; i < m->n_objects; i++) {
		struct model_obj *x = m->by_id[i - 1], *y = m->by_id[i];
		if (strcmp(x->id, y->id) || !*y->id)
			continue;
		/* Report against the first definition of the run. */
		uint32_t j = i - 1;
		while (j > 0 && !strcmp(m->by_id[j - 1]->id, y->id))
			j--;
		diag_add(diags, DIAG_ERROR, y->loc.file, y->loc.line,
			 y->loc.col,
			 "duplicate id '%s' (first defined at %u:%u as %s); "
			 "ids are unique across all kinds",
			 y->id, m->by_id[j]->loc.line, m->by_id[j]->loc.col,
			 model_kind_label(m->by_id[j]->kind));
	}
}

void model_index_one(struct model *m, enum model_kind kind, uint32_t index)
{
	struct model_obj *o = model_object(m, kind, index);
	if (o->id)
		map_id(m, o, (struct model_ref){kind, index});
}

struct model_obj *model_find(const struct model *m, const char *id)
{
	uint32_t e = hmap_find(&m->ids, id);
	if (e == HMAP_NONE)
		return NULL;
	const struct model_ref *r = hmap_val(&m->ids, e);
	return model_object(m, r->kind, r->index);
}

const char *model_kind_name(enum model_kind kind)
{
	return kind < MK_KIND_COUNT ? kind_names[kind] : "unknown";
}

const char *route_target_name(enum route_target t)
{
	static const char *const names[] = {
	    "local",	    "internet-gateway", "egress-only-gateway",
	    "nat-gateway",  "peering",		"transit-gateway",
	    "vpc-endpoint", "instance",		"blackhole"};
	return t <= RT_BLACKHOLE ? names[t] : "?";
}

uint16_t model_engine_port(const char *engine)
{
	if (!engine)
		return 0;
	if (!strcasecmp(engine, "mysql") || !strcasecmp(engine, "mariadb") ||
	    !strcasecmp(engine, "aurora-mysql") ||
	    !strcasecmp(engine, "aurora"))
		return 3306;
	if (!strcasecmp(engine, "postgres") ||
	    !strcasecmp(engine, "aurora-postgresql"))
		return 5432;
	if (!strncasecmp(engine, "oracle-", 7))
		return 1521;
	if (!strncasecmp(engine, "sqlserver-", 10))
		return 1433;
	/* ElastiCache (CacheCluster Port's defaults) and EFS (NFS). */
	if (!strcasecmp(engine, "redis") || !strcasecmp(engine, "valkey"))
		return 6379;
	if (!strcasecmp(engine, "memcached"))
		return 11211;
	if (!strcasecmp(engine, "efs"))
		return 2049;
	return 0;
}

const char *model_lb_type_name(enum lb_type t)
{
	return t == LB_NETWORK	 ? "network"
	       : t == LB_CLASSIC ? "classic"
				 : "application";
}

const char *model_noun(const struct model *m, enum model_kind kind,
		       uint32_t index)
{
	switch (kind) {
	case MK_INSTANCE:
		return m->instances[index].is_interface ? "network interface"
							: "instance";
	case MK_LOAD_BALANCER:
		return m->lbs[index].type == LB_CLASSIC
			   ? "classic load balancer"
			   : "load balancer";
	case MK_SERVICE:
		return "ECS service";
	case MK_DATABASE:
		switch (m->databases[index].family) {
		case DBF_CACHE:
			return "cache cluster";
		case DBF_FILE_SYSTEM:
			return "EFS mount target";
		case DBF_RDS:
		case DBF_AURORA:
			break;
		}
		return "database";
	case MK_VPC_ENDPOINT:
		return "VPC endpoint";
	case MK_NAT_GATEWAY:
		return "NAT gateway";
	case MK_FLEET:
		return m->fleets[index].role == FLEET_FUNCTION
			   ? "Lambda function"
			   : "Auto Scaling group";
	default:
		return model_kind_name(kind);
	}
}

const struct model_placement *model_placements(const struct model *m,
					       enum model_kind kind,
					       uint32_t index, uint32_t *n)
{
	if (!m->n_placements[kind] || index >= m->n[kind]) {
		*n = 0;
		return NULL;
	}
	*n = m->n_placements[kind][index];
	return m->placements + m->first_placement[kind][index];
}

void model_match_format(char *buf, size_t size, const struct model_match *mt)
{
	switch (mt->proto) {
	case PROTO_ALL:
		snprintf(buf, size, "all traffic");
		return;
	case PROTO_TCP:
	case PROTO_UDP:
		if (mt->port_lo == 0 && mt->port_hi == 65535)
			snprintf(buf, size, "%s all ports",
				 proto_name(mt->proto));
		else if (mt->port_lo == mt->port_hi)
			snprintf(buf, size, "%s %u", proto_name(mt->proto),
				 mt->port_lo);
		else
			snprintf(buf, size, "%s %u-%u", proto_name(mt->proto),
				 mt->port_lo, mt->port_hi);
		return;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if (mt->icmp_type < 0)
			snprintf(buf, size, "%s all", proto_name(mt->proto));
		else if (mt->icmp_code < 0)
			snprintf(buf, size, "%s type %d", proto_name(mt->proto),
				 mt->icmp_type);
		else
			snprintf(buf, size, "%s type %d code %d",
				 proto_name(mt->proto), mt->icmp_type,
				 mt->icmp_code);
		return;
	case PROTO_OTHER:
		snprintf(buf, size, "protocol %u", mt->proto_number);
		return;
	}
}

void model_sg_peer_format(char *buf, size_t size, const struct model *m,
			  const struct model_sg_rule *r)
{
	switch (r->peer_kind) {
	case PEER_CIDR: {
		char c[CIDR_STRLEN];
		cidr_format(c, r->cidr);
		snprintf(buf, size, "%s", c);
		return;
	}
	case PEER_CIDR6: {
		char c[CIDR6_STRLEN];
		cidr6_format(c, r->cidr6);
		snprintf(buf, size, "%s", c);
		return;
	}
	case PEER_GROUP:
		snprintf(buf, size, "group %s", m->groups[r->peer].obj.id);
		return;
	case PEER_PREFIX_LIST:
		snprintf(buf, size, "prefix list %s",
			 m->prefix_lists[r->peer].obj.id);
		return;
	}
}

void model_addr6_format(char *buf, const uint8_t addr[16])
{
	struct cidr6 c;
	memcpy(c.addr, addr, 16);
	c.len = 128;
	cidr6_format(buf, c);
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
}

bool model_cidr6_has(struct cidr6 c, const uint8_t a[16])
{
	uint8_t full = c.len / 8, rest = c.len % 8;
	if (memcmp(c.addr, a, full))
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (c.addr[full] & mask) == (a[full] & mask);
}

void model_add_unknown(struct model *m, struct model_obj *o, const char *fmt,
		       ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char **v = arena_array(&m->arena, o->n_unknowns + 1, sizeof(*v));
	if (o->n_unknowns)
		memcpy(v, o->unknowns, o->n_unknowns * sizeof(*v));
	v[o->n_unknowns++] = arena_strdup(&m->arena, buf);
	o->unknowns = v;
}

void model_add_gap(struct model *m, const char *id, struct src_loc loc,
		   const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct model_gap *v = arena_array(&m->arena, m->n_gaps + 1, sizeof(*v));
	if (m->n_gaps)
		memcpy(v, m->gaps, m->n_gaps * sizeof(*v));
	v[m->n_gaps++] = (struct model_gap){
	    .id = arena_strdup(&m->arena, id),
	    .loc = loc,
	    .why = arena_strdup(&m->arena, buf),
	};
	m->gaps = v;
}

void model_add_use(struct model *m, enum model_kind kind, uint32_t index,
		   const char *by)
{
	/* Doubling capacity: the array's length is its capacity when n is a
	 * power of two. */
	if (!(m->n_uses & (m->n_uses - 1))) {
		uint32_t cap = m->n_uses ? 2 * m->n_uses : 1;
		struct model_use *v = arena_array(&m->arena, cap, sizeof(*v));
		if (m->n_uses)
			memcpy(v, m->uses, m->n_uses * sizeof(*v));
		m->uses = v;
	}
	m->uses[m->n_uses++] =
	    (struct model_use){kind, index, arena_strdup(&m->arena, by)};
}

void model_add_suppress(struct model *m, const struct model_suppress *s)
{
	if (!(m->n_suppress & (m->n_suppress - 1))) {
		uint32_t cap = m->n_suppress ? 2 * m->n_suppress : 1;
		struct model_suppress *v =
		    arena_array(&m->arena, cap, sizeof(*v));
		if (m->n_suppress)
			memcpy(v, m->suppress, m->n_suppress * sizeof(*v));
		m->suppress = v;
	}
	struct model_suppress *e = &m->suppress[m->n_suppress++];
	*e = *s;
	e->rule = arena_strdup(&m->arena, s->rule);
	e->reason = arena_strdup(&m->arena, s->reason);
	e->until = s->until ? arena_strdup(&m->arena, s->until) : NULL;
	e->loc.file = s->loc.file ? arena_strdup(&m->arena, s->loc.file) : NULL;
}

const char *model_used_by(const struct model *m, enum model_kind kind,
			  uint32_t index)
{
	for (uint32_t i = 0; i < m->n_uses; i++)
		if (m->uses[i].kind == kind && m->uses[i].index == index)
			return m->uses[i].by;
	return NULL;
}

static int zone_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **model_zones(const struct model *m, uint32_t *n)
{
	const char **zones = xcalloc(m->n[MK_SUBNET] + 1, sizeof(*zones));
	uint32_t nz = 0;
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++) {
		const char *az = m->subnets[s].az;
		bool seen = !az;
		for (uint32_t k = 0; k < nz && !seen; k++)
			seen = !strcmp(zones[k], az);
		if (!seen)
			zones[nz++] = az;
	}
	qsort(zones, nz, sizeof(*zones), zone_cmp);
	*n = nz;
	return zones;
}

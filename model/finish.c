/*
 * model_finish: what a loader read, turned into the invariants model.h
 * promises, and the cross-object checks no single loader can make.
 *
 * The steps run in a fixed order, each relying on the ones before:
 *   attach_gateways        each VPC's internet gateway (one at most);
 *   check_vpc_cidrs        block sizes and overlaps within a VPC;
 *   add_implicit_defaults  a main route table and a default NACL per VPC;
 *   ipv6_standin_vpcs      a stand-in for each Amazon-provided IPv6 block;
 *   ipv6_default_nacls     default NACLs allow IPv6 too (rule 101);
 *   add_default_groups     a default security group per VPC (§4);
 *   build_routes           local routes first, prefix lists expanded,
 *                          gateway endpoints' routes, in match order;
 *   check_subnets          subnets inside their VPC, no overlaps; the
 *                          effective route table and NACL of each;
 *   ipv6_standin_subnets   a stand-in /64 for each unknown subnet block;
 *   classify_subnets       public or private, with the reason (§6.3);
 *   check_resources        NACL rules sorted; subnets, groups, target
 *                          groups and peerings agree on their VPC;
 *                          replicas inherit from their source;
 *   default_group_users    what names no group gets its VPC's default;
 *   build_placements       every private address a resource may hold
 *                          (§1), grouped by owner.
 *
 * It runs even when the loader reported errors, so a user sees the
 * cross-object problems (overlapping subnets, a route to a gateway of
 * another VPC) in the same run; every step therefore tolerates MODEL_NONE
 * references and CIDRs marked invalid (len BAD_CIDR) and skips what they
 * touch.  Objects it synthesizes are appended to their kind's array
 * (indexes of the input's objects never change) and indexed by id at the
 * end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/model.h"
#include "model/model_impl.h"
#include "model/values.h"

#define BAD_CIDR 33 /* a CIDR the loader could not parse */

/* The sentences about a subnet that placements quote for their public or
 * IPv6 address ("subnet 'a' maps no public IP"): made once per subnet and
 * shared by its placements, not formatted per placement. */
enum subnet_text {
	ST_MAPS_PUBLIC,
	ST_MAPS_NO_PUBLIC,
	ST_NO_BLOCK6,
	ST_ASSIGNS6,
	ST_ASSIGNS_NO6,	 /* "no IPv6 address" */
	ST_ASSIGNS_NO6S, /* "no IPv6 addresses" */
	ST_TASKS6,
	ST_TASKS_NO6,
	ST_COUNT
};

struct fin {
	struct model *m;
	struct diag_list *diags;
	const char **subnet_text[ST_COUNT]; /* per subnet, made when asked */
};

static const char *subnet_text(struct fin *F, uint32_t s, enum subnet_text t)
{
	static const char *const fmt[ST_COUNT] = {
	    [ST_MAPS_PUBLIC] = "subnet '%s' maps a public IP at launch",
	    [ST_MAPS_NO_PUBLIC] = "subnet '%s' maps no public IP",
	    [ST_NO_BLOCK6] = "subnet '%s' has no IPv6 block",
	    [ST_ASSIGNS6] = "subnet '%s' assigns IPv6 addresses",
	    [ST_ASSIGNS_NO6] = "subnet '%s' assigns no IPv6 address",
	    [ST_ASSIGNS_NO6S] = "subnet '%s' assigns no IPv6 addresses",
	    [ST_TASKS6] = "subnet '%s' assigns IPv6 addresses to the tasks' "
			  "interfaces",
	    [ST_TASKS_NO6] = "subnet '%s' assigns no IPv6 addresses to the "
			     "tasks' interfaces",
	};
	struct model *m = F->m;
	if (!F->subnet_text[t])
		F->subnet_text[t] =
		    xcalloc(m->n[MK_SUBNET] + 1, sizeof(const char *));
	const char **x = &F->subnet_text[t][s];
	if (!*x)
		*x = arena_printf(&m->arena, fmt[t], m->subnets[s].obj.id);
	return *x;
}

__attribute__((format(printf, 3, 4))) static void
ferr(struct fin *F, struct src_loc loc, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag_add(F->diags, DIAG_ERROR, loc.file, loc.line, loc.col, "%s", buf);
}

/* Whether VPCs a and b are known to be two: a VPC outside the input
 * (external) may be any, and MODEL_NONE is none to compare. */
static bool other_vpc(const struct model *m, uint32_t a, uint32_t b)
{
	return a != b && a != MODEL_NONE && b != MODEL_NONE &&
	       !m->vpcs[a].external && !m->vpcs[b].external;
}

static const char *cidr_str(struct fin *F, struct cidr c)
{
	char buf[CIDR_STRLEN];
	cidr_format(buf, c);
	return arena_strdup(&F->m->arena, buf);
}

/* A unique id for a synthesized object: base, else base-2, ... */
static const char *fresh_id(struct fin *F, const char *base)
{
	const char *id = base;
	for (int i = 2; model_find(F->m, id); i++)
		id = arena_printf(&F->m->arena, "%s-%d", base, i);
	return id;
}

static void attach_gateways(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_INTERNET_GATEWAY]; i++) {
		struct model_internet_gateway *g = &m->igws[i];
		if (g->vpc == MODEL_NONE || g->egress_only)
			continue;
		struct model_vpc *v = &m->vpcs[g->vpc];
		if (v->internet_gateway != MODEL_NONE)
			ferr(F, g->obj.loc,
			     "VPC '%s' already has internet gateway '%s' "
			     "attached",
			     v->obj.id, m->igws[v->internet_gateway].obj.id);
		else
			v->internet_gateway = i;
	}
}

static void check_vpc_cidrs(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		struct model_vpc *v = &m->vpcs[i];
		/* Blocks are compared in pairs, here and for peerings. */
		if (v->n_cidrs > MODEL_MAX_VPC_CIDRS) {
			ferr(F, v->obj.loc,
			     "VPC '%s' has %u IPv4 CIDR blocks: more than the "
			     "limit of %u",
			     v->obj.id, v->n_cidrs,
			     (unsigned)MODEL_MAX_VPC_CIDRS);
			continue;
		}
		for (uint32_t c = 0; c < v->n_cidrs; c++) {
			struct cidr x = v->cidrs[c];
			if (x.len == BAD_CIDR)
				continue;
			if (x.len < 16 || x.len > 28)
				ferr(F, v->obj.loc,
				     "VPC '%s' CIDR %s: a VPC block must be "
				     "/16 to /28",
				     v->obj.id, cidr_str(F, x));
			for (uint32_t d = 0; d < c; d++)
				if (v->cidrs[d].len != BAD_CIDR &&
				    cidr_overlaps(x, v->cidrs[d])) {
					ferr(F, v->obj.loc,
					     "VPC '%s' CIDR %s overlaps its "
					     "CIDR %s",
					     v->obj.id, cidr_str(F, x),
					     cidr_str(F, v->cidrs[d]));
					break;
				}
		}
	}
}

/* Every VPC gets a main route table and a default NACL, as AWS creates
 * them with the VPC: local routes only, and allow-all both ways. */
static void add_implicit_defaults(struct fin *F)
{
	struct model *m = F->m;
	uint32_t need_rt = 0, need_acl = 0;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		need_rt += m->vpcs[i].main_route_table == MODEL_NONE;
		need_acl += m->vpcs[i].default_nacl == MODEL_NONE;
	}
	uint32_t rt = model_grow_kind(m, MK_ROUTE_TABLE, need_rt);
	uint32_t acl = model_grow_kind(m, MK_NETWORK_ACL, need_acl);
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		struct model_vpc *v = &m->vpcs[i];
		if (v->main_route_table == MODEL_NONE) {
			struct model_route_table *t = &m->route_tables[rt];
			t->obj = (struct model_obj){
			    .id = fresh_id(F,
					   arena_printf(&m->arena, "%s-main-rt",
							v->obj.id)),
			    .kind = MK_ROUTE_TABLE,
			    .index = rt,
			    .loc = v->obj.loc,
			    .implicit = true,
			};
			t->vpc = i;
			v->main_route_table = rt++;
			if (v->external)
				model_add_unknown(
				    m, &t->obj,
				    "its VPC '%s' is outside the input: its "
				    "routes are not known",
				    v->obj.id);
		}
		m->route_tables[v->main_route_table].is_main = true;
		if (m->route_tables[v->main_route_table].vpc != i &&
		    m->route_tables[v->main_route_table].vpc != MODEL_NONE)
			ferr(F, v->obj.loc,
			     "main route table '%s' belongs to another VPC",
			     m->route_tables[v->main_route_table].obj.id);
		if (v->default_nacl == MODEL_NONE) {
			struct model_network_acl *a = &m->nacls[acl];
			a->obj = (struct model_obj){
			    .id = fresh_id(F, arena_printf(&m->arena,
							   "%s-default-nacl",
							   v->obj.id)),
			    .kind = MK_NETWORK_ACL,
			    .index = acl,
			    .loc = v->obj.loc,
			    .implicit = true,
			};
			a->vpc = i;
			a->inbound =
			    arena_alloc(&m->arena, sizeof(*a->inbound));
			a->outbound =
			    arena_alloc(&m->arena, sizeof(*a->outbound));
			a->inbound[0] = values_nacl_allow_all(v->obj.loc);
			a->outbound[0] = a->inbound[0];
			a->n_inbound = a->n_outbound = 1;
			v->default_nacl = acl++;
		}
		m->nacls[v->default_nacl].is_default = true;
		if (m->nacls[v->default_nacl].vpc != i &&
		    m->nacls[v->default_nacl].vpc != MODEL_NONE)
			ferr(F, v->obj.loc,
			     "default network ACL '%s' belongs to another VPC",
			     m->nacls[v->default_nacl].obj.id);
	}
}

/* ---- IPv6 stand-ins and default groups ---------------------------- */

/*
 * §2: an Amazon-provided IPv6 block has a prefix only AWS knows.  A VPC
 * that asks for one gets a stand-in of the documentation prefix,
 * 2001:db8:N::/56 for the VPC of index N - 1, so that IPv6 is routed and
 * filtered as it would be: every IPv6 rule vpcsim can evaluate against an
 * unknown block is ::/0 or names the block's own members (a group), and
 * neither depends on the prefix.
 */
static void ipv6_standin_vpcs(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		struct model_vpc *v = &m->vpcs[i];
		if (!v->ipv6_unknown)
			continue;
		struct cidr6 *c =
		    arena_array(&m->arena, v->n_cidrs6 + 1, sizeof(*c));
		if (v->n_cidrs6)
			memcpy(c, v->cidrs6, v->n_cidrs6 * sizeof(*c));
		struct cidr6 *x = &c[v->n_cidrs6];
		memset(x, 0, sizeof(*x));
		x->addr[0] = 0x20;
		x->addr[1] = 0x01;
		x->addr[2] = 0x0d;
		x->addr[3] = 0xb8;
		x->addr[4] = (uint8_t)((i + 1) >> 8);
		x->addr[5] = (uint8_t)(i + 1);
		x->len = 56;
		v->cidrs6 = c;
		v->n_cidrs6++;
	}
}

/* Whether c overlaps the known IPv6 block of a subnet of vpc. */
static bool subnet6_taken(const struct model *m, uint32_t vpc, struct cidr6 c)
{
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++) {
		const struct model_subnet *x = &m->subnets[s];
		if (x->vpc == vpc && x->has_cidr6 && !x->cidr6_unknown &&
		    cidr6_overlaps(x->cidr6, c))
			return true;
	}
	return false;
}

/* A subnet whose IPv6 block the input leaves unknown gets a free /64 of
 * its VPC's first IPv6 block, in input order (§2). */
static void ipv6_standin_subnets(struct fin *F)
{
	struct model *m = F->m;
	uint32_t *next = xcalloc(m->n[MK_VPC] + 1, sizeof(*next));
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++) {
		struct model_subnet *x = &m->subnets[s];
		if (!x->cidr6_unknown || x->vpc == MODEL_NONE)
			continue;
		const struct model_vpc *v = &m->vpcs[x->vpc];
		if (!v->n_cidrs6 || v->cidrs6[0].len > 64) {
			/* A VPC whose IPv6 block is itself unknown leaves the
			 * subnet's unknown; otherwise the input is wrong. */
			if (v->obj.n_unknowns)
				model_add_unknown(
				    m, &x->obj,
				    "its IPv6 block: VPC '%s' has no IPv6 "
				    "block the input gives",
				    v->obj.id);
			else
				ferr(F, x->obj.loc,
				     "subnet '%s' has an IPv6 block, but VPC "
				     "'%s' has none to take it from",
				     x->obj.id, v->obj.id);
			x->cidr6_unknown = false;
			continue;
		}
		struct cidr6 b = v->cidrs6[0];
		uint64_t room =
		    b.len <= 48 ? 65536 : (uint64_t)1 << (64 - b.len);
		for (; next[x->vpc] < room; next[x->vpc]++) {
			struct cidr6 c = b;
			uint32_t k = next[x->vpc];
			c.addr[6] |= (uint8_t)(k >> 8);
			c.addr[7] |= (uint8_t)k;
			c.len = 64;
			if (subnet6_taken(m, x->vpc, c))
				continue;
			x->cidr6 = c;
			x->has_cidr6 = true;
			next[x->vpc]++;
			break;
		}
	}
	free(next);
}

/* Whether rules v[0..n) hold rule number k. */
static bool has_rule_number(const struct model_nacl_rule *v, uint32_t n,
			    uint32_t k)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i].number == k)
			return true;
	return false;
}

/* §5: AWS's default network ACL of a VPC with an IPv6 block also allows
 * all IPv6 traffic, rule 101 both ways (a synthesized ACL's; an ACL the
 * input declares has its own rules). */
static void ipv6_default_nacls(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		const struct model_vpc *v = &m->vpcs[i];
		if (!v->n_cidrs6 || v->default_nacl == MODEL_NONE)
			continue;
		struct model_network_acl *a = &m->nacls[v->default_nacl];
		if (!a->obj.implicit)
			continue;
		for (int dir = 0; dir < 2; dir++) {
			struct model_nacl_rule **r =
			    dir ? &a->outbound : &a->inbound;
			uint32_t *n = dir ? &a->n_outbound : &a->n_inbound;
			if (has_rule_number(*r, *n, 101))
				continue;
			struct model_nacl_rule *x =
			    arena_array(&m->arena, *n + 1, sizeof(*x));
			if (*n)
				memcpy(x, *r, *n * sizeof(*x));
			x[*n] = values_nacl_allow_all(a->obj.loc);
			x[*n].number = 101;
			x[*n].ipv6 = true;
			memset(&x[*n].cidr, 0, sizeof(x[*n].cidr));
			*r = x;
			(*n)++;
		}
	}
}

/* A security-group rule allowing all traffic, implicit, numbered n. */
static struct model_sg_rule all_rule(struct src_loc loc, uint32_t n,
				     enum peer_kind peer, const char *what)
{
	return (struct model_sg_rule){
	    .loc = loc,
	    .number = n,
	    .match = values_match_all,
	    .peer_kind = peer,
	    .peer = MODEL_NONE,
	    .description = what,
	    .implicit = true,
	};
}

/*
 * §4: every VPC has a default security group: all traffic in from its own
 * members, all out (to ::/0 as well when the VPC has an IPv6 block).  The
 * group a loader marked vpc_default is the VPC's (with the rules the input
 * gives, or AWS's when the loader made it implicit); without one, a group
 * `<vpc>-default-sg` is synthesized.
 */
static void add_default_groups(struct fin *F)
{
	struct model *m = F->m;
	uint32_t need = 0;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++)
		m->vpcs[i].default_group = MODEL_NONE;
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		const struct model_security_group *sg = &m->groups[g];
		if (!sg->vpc_default || sg->vpc == MODEL_NONE)
			continue;
		struct model_vpc *v = &m->vpcs[sg->vpc];
		if (v->default_group != MODEL_NONE)
			ferr(F, sg->obj.loc,
			     "VPC '%s' already has default security group "
			     "'%s'",
			     v->obj.id, m->groups[v->default_group].obj.id);
		else
			v->default_group = g;
	}
	/* A VPC outside the input (external) has a default group whose
	 * rules nothing tells: none is made up for it. */
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++)
		need += m->vpcs[i].default_group == MODEL_NONE &&
			!m->vpcs[i].external;
	uint32_t g = model_grow_kind(m, MK_SECURITY_GROUP, need);
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		struct model_vpc *v = &m->vpcs[i];
		if (v->default_group != MODEL_NONE || v->external)
			continue;
		struct model_security_group *sg = &m->groups[g];
		sg->obj = (struct model_obj){
		    .id = fresh_id(
			F, arena_printf(&m->arena, "%s-default-sg", v->obj.id)),
		    .kind = MK_SECURITY_GROUP,
		    .index = g,
		    .loc = v->obj.loc,
		    .implicit = true,
		};
		sg->vpc = i;
		sg->vpc_default = true;
		sg->description = "the VPC's default security group";
		sg->ingress = arena_alloc(&m->arena, sizeof(*sg->ingress));
		sg->ingress[0] =
		    all_rule(v->obj.loc, 1, PEER_GROUP,
			     "default: all traffic from the group's members");
		sg->ingress[0].peer = g;
		sg->n_ingress = 1;
		sg->egress = arena_alloc(&m->arena, sizeof(*sg->egress));
		sg->egress[0] = values_sg_egress_all(v->obj.loc);
		sg->n_egress = 1;
		sg->default_egress = true;
		v->default_group = g++;
	}
	/* AWS's default rules (an implicit group) include ::/0 out when the
	 * VPC has an IPv6 block. */
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		struct model_vpc *v = &m->vpcs[i];
		if (v->default_group == MODEL_NONE)
			continue;
		struct model_security_group *sg = &m->groups[v->default_group];
		if (!sg->obj.implicit || !v->n_cidrs6 || !sg->default_egress)
			continue;
		struct model_sg_rule *e =
		    arena_array(&m->arena, sg->n_egress + 1, sizeof(*e));
		if (sg->n_egress)
			memcpy(e, sg->egress, sg->n_egress * sizeof(*e));
		e[sg->n_egress] =
		    all_rule(sg->obj.loc, sg->n_egress + 1, PEER_CIDR6,
			     "default: all outbound IPv6");
		sg->egress = e;
		sg->n_egress++;
	}
}

/* The resources AWS gives their VPC's default group when they name none
 * (§4): instances and interfaces, application and classic load
 * balancers (a network load balancer may have none), ECS services,
 * databases, interface endpoints and Auto Scaling groups' instances.
 * Their groups become that one group. */
static void give_default_group(struct model *m, uint32_t vpc, uint32_t **groups,
			       uint32_t *n)
{
	if (*n || vpc == MODEL_NONE || m->vpcs[vpc].default_group == MODEL_NONE)
		return;
	*groups = arena_alloc(&m->arena, sizeof(**groups));
	(*groups)[0] = m->vpcs[vpc].default_group;
	*n = 1;
}

static uint32_t first_subnet_vpc(const struct model *m, const uint32_t *s,
				 uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (s[i] != MODEL_NONE && m->subnets[s[i]].vpc != MODEL_NONE)
			return m->subnets[s[i]].vpc;
	return MODEL_NONE;
}

static void default_group_users(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_INSTANCE]; i++) {
		struct model_instance *h = &m->instances[i];
		if (h->subnet != MODEL_NONE)
			give_default_group(m, m->subnets[h->subnet].vpc,
					   &h->groups, &h->n_groups);
	}
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		struct model_load_balancer *lb = &m->lbs[i];
		if (lb->type == LB_APPLICATION || lb->type == LB_CLASSIC)
			give_default_group(
			    m, first_subnet_vpc(m, lb->subnets, lb->n_subnets),
			    &lb->groups, &lb->n_groups);
	}
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++) {
		struct model_service *s = &m->services[i];
		give_default_group(
		    m, first_subnet_vpc(m, s->subnets, s->n_subnets),
		    &s->groups, &s->n_groups);
	}
	/* Replicas inherit their source's groups first (check_databases):
	 * only a chain without any gets the default. */
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		struct model_database *d = &m->databases[i];
		give_default_group(
		    m, first_subnet_vpc(m, d->subnets, d->n_subnets),
		    &d->groups, &d->n_groups);
	}
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++) {
		struct model_vpc_endpoint *e = &m->endpoints[i];
		if (e->type == VPCE_INTERFACE)
			give_default_group(m, e->vpc, &e->groups, &e->n_groups);
	}
	for (uint32_t i = 0; i < m->n[MK_FLEET]; i++) {
		struct model_fleet *f = &m->fleets[i];
		if (f->role == FLEET_AUTOSCALING)
			give_default_group(
			    m, first_subnet_vpc(m, f->subnets, f->n_subnets),
			    &f->groups, &f->n_groups);
	}
}

static uint32_t service_prefix_list(struct fin *F, const char *service)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_PREFIX_LIST]; i++)
		if (m->prefix_lists[i].service &&
		    !strcmp(m->prefix_lists[i].service, service))
			return i;
	const struct cidr *block = values_service_block(service);
	if (block) {
		uint32_t i = model_grow_kind(m, MK_PREFIX_LIST, 1);
		struct model_prefix_list *p = &m->prefix_lists[i];
		p->obj = (struct model_obj){
		    .id =
			fresh_id(F, arena_printf(&m->arena, "pl-%s", service)),
		    .kind = MK_PREFIX_LIST,
		    .index = i,
		    .implicit = true,
		};
		p->obj.loc.file = m->file;
		p->name =
		    arena_printf(&m->arena, VALUES_AWS_PREFIX "%s.%s",
				 m->region ? m->region : "region", service);
		p->service = service;
		p->cidrs = arena_alloc(&m->arena, sizeof(*p->cidrs));
		p->cidrs[0] = *block;
		p->n_cidrs = 1;
		/* Found by the next lookup; sorted into by_id at the end. */
		model_index_one(m, MK_PREFIX_LIST, i);
		return i;
	}
	return MODEL_NONE;
}

static int route_cmp(const void *a, const void *b)
{
	const struct model_route *x = a, *y = b;
	if (x->ipv6 != y->ipv6)
		return x->ipv6 ? 1 : -1;
	uint8_t lx = x->ipv6 ? x->dst6.len : x->dst.len;
	uint8_t ly = y->ipv6 ? y->dst6.len : y->dst.len;
	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (!x->ipv6 && x->dst.addr != y->dst.addr)
		return x->dst.addr < y->dst.addr ? -1 : 1;
	if (x->ipv6) {
		int c = memcmp(x->dst6.addr, y->dst6.addr, 16);
		if (c)
			return c;
	}
	return (x->number > y->number) - (x->number < y->number);
}

/* Whether a route's target belongs to the route table's VPC. */
static void check_route_target(struct fin *F, struct model_route_table *t,
			       struct model_route *r)
{
	struct model *m = F->m;
	uint32_t vpc = t->vpc;
	const char *vid = m->vpcs[vpc].obj.id;
	switch (r->target) {
	case RT_IGW:
	case RT_EIGW:
		if (m->igws[r->target_index].vpc == MODEL_NONE)
			ferr(F, r->loc,
			     "internet gateway '%s' is not attached to VPC "
			     "'%s' (it is attached to no VPC)",
			     m->igws[r->target_index].obj.id, vid);
		else if (other_vpc(m, m->igws[r->target_index].vpc, vpc))
			ferr(F, r->loc,
			     "internet gateway '%s' is not attached to VPC "
			     "'%s' (it is attached to VPC '%s')",
			     m->igws[r->target_index].obj.id, vid,
			     m->vpcs[m->igws[r->target_index].vpc].obj.id);
		/* (a route whose destination failed to parse has len
		 * BAD_CIDR and no prefix list: its error is out already) */
		if (r->target == RT_EIGW && !r->ipv6 &&
		    (r->dst.len != BAD_CIDR || r->prefix_list != MODEL_NONE))
			ferr(F, r->loc,
			     "egress-only internet gateway '%s' "
			     "routes IPv6 only",
			     m->igws[r->target_index].obj.id);
		break;
	case RT_NAT: {
		uint32_t s = m->nat_gateways[r->target_index].subnet;
		if (s != MODEL_NONE && other_vpc(m, m->subnets[s].vpc, vpc))
			ferr(F, r->loc, "NAT gateway '%s' is not in VPC '%s'",
			     m->nat_gateways[r->target_index].obj.id, vid);
		break;
	}
	case RT_PEERING: {
		struct model_peering *p = &m->peerings[r->target_index];
		if (other_vpc(m, p->requester, vpc) &&
		    other_vpc(m, p->accepter, vpc))
			ferr(F, r->loc,
			     "peering '%s' does not connect VPC '%s'",
			     p->obj.id, vid);
		break;
	}
	case RT_ENDPOINT:
		ferr(F, r->loc,
		     "routes to VPC endpoint '%s' are added by the endpoint: "
		     "list this route table in its route_tables instead",
		     m->endpoints[r->target_index].obj.id);
		break;
	case RT_INSTANCE: {
		struct model_instance *h = &m->instances[r->target_index];
		if (h->subnet != MODEL_NONE &&
		    other_vpc(m, m->subnets[h->subnet].vpc, vpc))
			ferr(F, r->loc, "%s '%s' is not in VPC '%s'",
			     h->is_interface ? "network interface" : "instance",
			     h->obj.id, vid);
		break;
	}
	default:
		break;
	}
}

/* Routes in input order by destination, then position: routes to one
 * destination are neighbours, the first of them first. */
static const struct model_route *same_routes; /* qsort has no context */

static int same_route_cmp(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct model_route *x = &same_routes[i], *y = &same_routes[j];
	if (x->ipv6 != y->ipv6)
		return x->ipv6 ? 1 : -1;
	int c =
	    x->ipv6
		? (x->dst6.len != y->dst6.len
		       ? (x->dst6.len < y->dst6.len ? -1 : 1)
		       : memcmp(x->dst6.addr, y->dst6.addr, 16))
		: (x->dst.addr != y->dst.addr
		       ? (x->dst.addr < y->dst.addr ? -1 : 1)
		       : (x->dst.len > y->dst.len) - (x->dst.len < y->dst.len));
	if (c)
		return c;
	return (i > j) - (i < j);
}

static bool same_dst(const struct model_route *x, const struct model_route *y)
{
	if (x->ipv6 != y->ipv6)
		return false;
	return x->ipv6 ? x->dst6.len == y->dst6.len &&
			     !memcmp(x->dst6.addr, y->dst6.addr, 16)
		       : x->dst.addr == y->dst.addr && x->dst.len == y->dst.len;
}

static void report_same_routes(struct fin *F, struct model_route_table *t,
			       struct model_vpc *v, struct model_route *out,
			       uint32_t n, uint32_t n_local)
{
	uint32_t *ord = xcalloc((size_t)n + 1, sizeof(*ord));
	uint32_t *earlier = xcalloc((size_t)n + 1, sizeof(*earlier));
	for (uint32_t i = 0; i < n; i++) {
		ord[i] = i;
		earlier[i] = UINT32_MAX;
	}
	same_routes = out;
	qsort(ord, n, sizeof(*ord), same_route_cmp);
	for (uint32_t k = 1, head = 0; k < n; k++) {
		if (!same_dst(&out[ord[k]], &out[ord[head]])) {
			head = k;
			continue;
		}
		earlier[ord[k]] = ord[head];
	}
	/* reported in input order, as one pass over the routes would */
	for (uint32_t a = n_local; a < n; a++) {
		uint32_t b = earlier[a];
		if (b == UINT32_MAX)
			continue;
		if (out[b].target == RT_LOCAL)
			ferr(
			    F, out[a].loc,
			    "route to %s conflicts with the local route of VPC "
			    "'%s'",
			    out[a].ipv6 ? "an IPv6 VPC block"
					: cidr_str(F, out[a].dst),
			    v->obj.id);
		else
			ferr(F, out[a].loc,
			     "route table '%s' has two routes to %s (the first "
			     "at %u:%u)",
			     t->obj.id,
			     out[a].ipv6 ? "the same IPv6 block"
					 : cidr_str(F, out[a].dst),
			     out[b].loc.line, out[b].loc.col);
	}
	free(ord);
	free(earlier);
}

/* The gateway endpoints of each route table, as lists
 * eps[first[i]] .. eps[first[i + 1] - 1] for table i: asked table by
 * table, every endpoint of the model per table would cost tables x
 * endpoints. */
struct table_eps {
	uint32_t *first; /* n tables + 2 */
	uint32_t *eps;
};

static void index_table_endpoints(const struct model *m, struct table_eps *E)
{
	uint32_t nt = m->n[MK_ROUTE_TABLE];
	uint32_t *first = xcalloc((size_t)nt + 2, sizeof(*first));
	size_t n_eps = 0;
	for (uint32_t e = 0; e < m->n[MK_VPC_ENDPOINT]; e++) {
		const struct model_vpc_endpoint *ep = &m->endpoints[e];
		if (ep->prefix_list == MODEL_NONE)
			continue;
		for (uint32_t k = 0; k < ep->n_route_tables; k++)
			if (ep->route_tables[k] < nt) {
				first[ep->route_tables[k] + 2]++;
				n_eps++;
			}
	}
	for (uint32_t i = 0; i < nt; i++)
		first[i + 2] += first[i + 1];
	uint32_t *eps = xcalloc(n_eps + 1, sizeof(*eps));
	for (uint32_t e = 0; e < m->n[MK_VPC_ENDPOINT]; e++) {
		const struct model_vpc_endpoint *ep = &m->endpoints[e];
		if (ep->prefix_list == MODEL_NONE)
			continue;
		for (uint32_t k = 0; k < ep->n_route_tables; k++)
			if (ep->route_tables[k] < nt)
				eps[first[ep->route_tables[k] + 1]++] = e;
	}
	/* now first[i] .. first[i + 1] are table i's */
	E->first = first;
	E->eps = eps;
}

/* How many routes table i holds once its prefix lists are expanded. */
static size_t table_route_count(const struct model *m, uint32_t i,
				const struct table_eps *E)
{
	const struct model_route_table *t = &m->route_tables[i];
	const struct model_vpc *v = &m->vpcs[t->vpc];
	size_t cap = v->n_cidrs + v->n_cidrs6;
	for (uint32_t r = 0; r < t->n_routes; r++) {
		uint32_t pl = t->routes[r].prefix_list;
		cap += pl != MODEL_NONE ? m->prefix_lists[pl].n_cidrs : 1;
	}
	for (uint32_t k = E->first[i]; k < E->first[i + 1]; k++)
		cap += m->prefix_lists[m->endpoints[E->eps[k]].prefix_list]
			   .n_cidrs;
	return cap;
}

/* The implicit local routes of v's blocks, into out; returns the count. */
static uint32_t add_local_routes(struct model_route *out,
				 const struct model_vpc *v)
{
	uint32_t n = 0;
	for (uint32_t c = 0; c < v->n_cidrs; c++) {
		if (v->cidrs[c].len == BAD_CIDR)
			continue;
		out[n++] = (struct model_route){
		    .loc = v->obj.loc,
		    .dst = v->cidrs[c],
		    .prefix_list = MODEL_NONE,
		    .target = RT_LOCAL,
		    .target_index = MODEL_NONE,
		    .target_id = "local",
		    .via_endpoint = MODEL_NONE,
		};
	}
	for (uint32_t c = 0; c < v->n_cidrs6; c++)
		out[n++] = (struct model_route){
		    .loc = v->obj.loc,
		    .ipv6 = true,
		    .dst6 = v->cidrs6[c],
		    .prefix_list = MODEL_NONE,
		    .target = RT_LOCAL,
		    .target_index = MODEL_NONE,
		    .target_id = "local",
		    .via_endpoint = MODEL_NONE,
		};
	return n;
}

/* The input's routes of t, checked, with a prefix-list destination
 * expanded to one route per block, into out + n; returns the new n. */
static uint32_t add_input_routes(struct fin *F, struct model_route_table *t,
				 struct model_route *out, uint32_t n)
{
	for (uint32_t r = 0; r < t->n_routes; r++) {
		struct model_route *in = &t->routes[r];
		if (in->target_id == NULL)
			continue; /* error already reported */
		if (in->target_index != MODEL_NONE)
			check_route_target(F, t, in);
		if (in->prefix_list == MODEL_NONE) {
			if (!in->ipv6 && in->dst.len == BAD_CIDR)
				continue;
			out[n++] = *in;
			continue;
		}
		const struct model_prefix_list *p =
		    &F->m->prefix_lists[in->prefix_list];
		for (uint32_t c = 0; c < p->n_cidrs; c++) {
			out[n] = *in;
			out[n++].dst = p->cidrs[c];
		}
	}
	return n;
}

/* The routes gateway endpoint e adds (§11), one per block of its
 * service's prefix list, into out + n; returns the new n. */
static uint32_t add_endpoint_routes(const struct model *m, uint32_t e,
				    struct model_route *out, uint32_t n)
{
	const struct model_vpc_endpoint *ep = &m->endpoints[e];
	const struct model_prefix_list *p = &m->prefix_lists[ep->prefix_list];
	for (uint32_t c = 0; c < p->n_cidrs; c++)
		out[n++] = (struct model_route){
		    .loc = ep->obj.loc,
		    .dst = p->cidrs[c],
		    .prefix_list = ep->prefix_list,
		    .target = RT_ENDPOINT,
		    .target_index = e,
		    .target_id = ep->obj.id,
		    .via_endpoint = e,
		};
	return n;
}

/* Table i's final route list, in an array of cap routes. */
static void build_table_routes(struct fin *F, uint32_t i, size_t cap,
			       const struct table_eps *E)
{
	struct model *m = F->m;
	struct model_route_table *t = &m->route_tables[i];
	struct model_vpc *v = &m->vpcs[t->vpc];
	struct model_route *out = arena_array(&m->arena, cap, sizeof(*out));
	uint32_t n = add_local_routes(out, v);
	uint32_t n_local = n;
	n = add_input_routes(F, t, out, n);
	for (uint32_t k = E->first[i]; k < E->first[i + 1]; k++)
		n = add_endpoint_routes(m, E->eps[k], out, n);
	/* A static route may not take a local route's place, nor two routes
	 * the same destination (§3): each is reported against the first
	 * route to its destination, found among the routes sorted by
	 * destination (n log n, however many the table). */
	report_same_routes(F, t, v, out, n, n_local);
	qsort(out, n, sizeof(*out), route_cmp);
	t->routes = out;
	t->n_routes = n;
}

/*
 * Final route lists: the implicit local routes first, then the input's
 * routes with prefix-list destinations expanded to one route per block,
 * then the gateway endpoints' routes (§11); sorted into match order.
 */
static void build_routes(struct fin *F)
{
	struct model *m = F->m;
	/* Gateway endpoints name their prefix list before tables count. */
	for (uint32_t e = 0; e < m->n[MK_VPC_ENDPOINT]; e++) {
		struct model_vpc_endpoint *ep = &m->endpoints[e];
		if (ep->type == VPCE_GATEWAY && ep->service)
			ep->prefix_list = service_prefix_list(F, ep->service);
	}
	struct table_eps E;
	index_table_endpoints(m, &E);
	uint64_t total = 0;
	for (uint32_t i = 0; i < m->n[MK_ROUTE_TABLE]; i++) {
		struct model_route_table *t = &m->route_tables[i];
		if (t->vpc == MODEL_NONE)
			continue;
		size_t cap = table_route_count(m, i, &E);
		/* A prefix list of a thousand blocks named by a thousand
		 * routes is a million routes: bounded, as aliases are. */
		total += cap;
		if (total > MODEL_MAX_ROUTES) {
			ferr(
			    F, t->obj.loc,
			    "route tables hold more than %u routes once prefix "
			    "lists are expanded (the limit)",
			    (unsigned)MODEL_MAX_ROUTES);
			break;
		}
		build_table_routes(F, i, cap, &E);
	}
	free(E.first);
	free(E.eps);
}

static int nacl_rule_cmp(const void *a, const void *b)
{
	const struct model_nacl_rule *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

static const struct model_subnet *sort_subnets; /* qsort has no context */

static int subnet_order_cmp(const void *a, const void *b)
{
	const struct model_subnet *x = &sort_subnets[*(const uint32_t *)a];
	const struct model_subnet *y = &sort_subnets[*(const uint32_t *)b];
	if (x->vpc != y->vpc)
		return x->vpc < y->vpc ? -1 : 1;
	return cidr_cmp(x->cidr, y->cidr);
}

/* Each subnet's block lies inside its VPC, is /16 to /28 and overlaps no
 * other subnet of the VPC (§2). */
static void check_subnet_blocks(struct fin *F)
{
	struct model *m = F->m;
	/* Sort subnet indexes by (vpc, address): overlaps are neighbours. */
	uint32_t *order = xcalloc(m->n[MK_SUBNET], sizeof(*order));
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		struct model_subnet *s = &m->subnets[i];
		if (s->vpc == MODEL_NONE || s->cidr.len == BAD_CIDR)
			continue;
		struct model_vpc *v = &m->vpcs[s->vpc];
		bool inside = false, vpc_bad = v->n_cidrs == 0;
		for (uint32_t c = 0; c < v->n_cidrs; c++) {
			vpc_bad |= v->cidrs[c].len == BAD_CIDR;
			inside |= v->cidrs[c].len != BAD_CIDR &&
				  cidr_contains(v->cidrs[c], s->cidr);
		}
		if (!inside && vpc_bad)
			continue; /* the VPC's error is reported already */
		if (!inside) {
			char blocks[128] = "";
			size_t bl = 0;
			for (uint32_t c = 0; c < v->n_cidrs && bl < 100; c++)
				bl += (size_t)snprintf(
				    blocks + bl, sizeof(blocks) - bl, "%s%s",
				    c ? ", " : "", cidr_str(F, v->cidrs[c]));
			ferr(F, s->cidr_loc,
			     "subnet '%s' CIDR %s is not inside VPC '%s' (%s)",
			     s->obj.id, cidr_str(F, s->cidr), v->obj.id,
			     blocks);
			continue;
		}
		if (s->cidr.len < 16 || s->cidr.len > 28) {
			ferr(F, s->cidr_loc,
			     "subnet '%s' CIDR %s: a subnet must be /16 to "
			     "/28",
			     s->obj.id, cidr_str(F, s->cidr));
			continue;
		}
		order[n++] = i;
	}
	struct model_subnet *subs = m->subnets;
	sort_subnets = subs;
	qsort(order, n, sizeof(*order), subnet_order_cmp);
	/* In (vpc, addr) order a block overlaps a later one only if it
	 * contains its start; track the widest block seen so far. */
	uint32_t open = MODEL_NONE;
	for (uint32_t k = 0; k < n; k++) {
		struct model_subnet *s = &subs[order[k]];
		if (open != MODEL_NONE && subs[open].vpc == s->vpc &&
		    cidr_overlaps(subs[open].cidr, s->cidr)) {
			/* Report on the one later in the file. */
			struct model_subnet *a = &subs[open], *b = s;
			if (a->obj.loc.line > b->obj.loc.line) {
				struct model_subnet *t = a;
				a = b;
				b = t;
			}
			ferr(F, b->cidr_loc,
			     "subnet '%s' CIDR %s overlaps subnet '%s' (%s)",
			     b->obj.id, cidr_str(F, b->cidr), a->obj.id,
			     cidr_str(F, a->cidr));
		}
		if (open == MODEL_NONE || subs[open].vpc != s->vpc ||
		    cidr_last(s->cidr) > cidr_last(subs[open].cidr))
			open = order[k];
	}
	free(order);
}

/* The route table and NACL a subnet uses: its own, else its VPC's main
 * table and default ACL; its own must be of its VPC. */
static void effective_tables(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		struct model_subnet *s = &m->subnets[i];
		if (s->vpc == MODEL_NONE)
			continue;
		struct model_vpc *v = &m->vpcs[s->vpc];
		if (!s->route_table_explicit)
			s->route_table = v->main_route_table;
		else if (s->route_table != MODEL_NONE &&
			 other_vpc(m, m->route_tables[s->route_table].vpc,
				   s->vpc))
			ferr(F, s->obj.loc,
			     "subnet '%s' uses route table '%s' of another "
			     "VPC",
			     s->obj.id, m->route_tables[s->route_table].obj.id);
		if (!s->nacl_explicit)
			s->nacl = v->default_nacl;
		else if (s->nacl != MODEL_NONE &&
			 other_vpc(m, m->nacls[s->nacl].vpc, s->vpc))
			ferr(F, s->obj.loc,
			     "subnet '%s' uses network ACL '%s' of another VPC",
			     s->obj.id, m->nacls[s->nacl].obj.id);
	}
}

static void check_subnets(struct fin *F)
{
	check_subnet_blocks(F);
	effective_tables(F);
}

/* §6.3: public when the route for the internet (0.0.0.0/0) leads to an
 * internet gateway attached to the VPC. */
static void classify_subnets(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		struct model_subnet *s = &m->subnets[i];
		if (s->route_table == MODEL_NONE) {
			s->why = "it has no route table";
			continue;
		}
		struct model_route_table *t = &m->route_tables[s->route_table];
		const struct model_route *def = NULL;
		for (uint32_t r = 0; r < t->n_routes; r++)
			if (!t->routes[r].ipv6 && t->routes[r].dst.len == 0)
				def = &t->routes[r];
		if (!def) {
			s->why =
			    arena_printf(&m->arena,
					 "route table '%s' has no route for "
					 "0.0.0.0/0",
					 t->obj.id);
		} else if (def->target == RT_IGW &&
			   m->igws[def->target_index].vpc == s->vpc) {
			s->is_public = true;
			s->why =
			    arena_printf(&m->arena,
					 "route table '%s' sends 0.0.0.0/0 "
					 "to internet gateway '%s'",
					 t->obj.id, def->target_id);
		} else if (def->target == RT_BLACKHOLE) {
			s->why =
			    arena_printf(&m->arena,
					 "route table '%s' drops 0.0.0.0/0 "
					 "(blackhole)",
					 t->obj.id);
		} else {
			s->why = arena_printf(
			    &m->arena,
			    "route table '%s' sends 0.0.0.0/0 to %s '%s', not "
			    "to an internet gateway",
			    t->obj.id, route_target_name(def->target),
			    def->target_id);
		}
	}
}

/* Members of a list of subnets must share one VPC; one per AZ where AWS
 * asks it (load balancers, interface endpoints).  Returns the VPC. */
static uint32_t check_subnet_list(struct fin *F, struct model_obj *o,
				  const uint32_t *subs, uint32_t n,
				  bool one_per_az)
{
	struct model *m = F->m;
	uint32_t vpc = MODEL_NONE;
	for (uint32_t i = 0; i < n; i++) {
		struct model_subnet *s = &m->subnets[subs[i]];
		if (s->vpc == MODEL_NONE)
			continue;
		if (vpc == MODEL_NONE)
			vpc = s->vpc;
		else if (other_vpc(m, s->vpc, vpc))
			ferr(F, o->loc,
			     "'%s' has subnets in two VPCs ('%s' and '%s')",
			     o->id, m->vpcs[vpc].obj.id,
			     m->vpcs[s->vpc].obj.id);
		if (!one_per_az || !s->az)
			continue;
		for (uint32_t j = 0; j < i; j++)
			if (m->subnets[subs[j]].az &&
			    !strcmp(m->subnets[subs[j]].az, s->az)) {
				ferr(F, o->loc,
				     "'%s' has two subnets in availability "
				     "zone %s ('%s' and '%s'); AWS takes one "
				     "per zone",
				     o->id, s->az, m->subnets[subs[j]].obj.id,
				     s->obj.id);
				break;
			}
	}
	return vpc;
}

static void check_groups(struct fin *F, struct model_obj *o,
			 const uint32_t *groups, uint32_t n, uint32_t vpc)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t gv = m->groups[groups[i]].vpc;
		if (other_vpc(m, gv, vpc))
			ferr(F, o->loc,
			     "'%s' uses security group '%s' of another VPC",
			     o->id, m->groups[groups[i]].obj.id);
	}
}

/* NACL rules in evaluation order, sorted once here (§5). */
static void sort_nacl_rules(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_NETWORK_ACL]; i++) {
		struct model_network_acl *a = &m->nacls[i];
		/* qsort wants a non-null base even for no elements. */
		if (a->n_inbound)
			qsort(a->inbound, a->n_inbound, sizeof(*a->inbound),
			      nacl_rule_cmp);
		if (a->n_outbound)
			qsort(a->outbound, a->n_outbound, sizeof(*a->outbound),
			      nacl_rule_cmp);
	}
}

static void check_instances(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_INSTANCE]; i++) {
		struct model_instance *h = &m->instances[i];
		if (h->subnet != MODEL_NONE)
			check_groups(F, &h->obj, h->groups, h->n_groups,
				     m->subnets[h->subnet].vpc);
	}
}

/* A target group takes the VPC of the first load balancer that forwards
 * to it; another load balancer's must agree. */
static void bind_listener_groups(struct fin *F, struct model_load_balancer *lb,
				 struct model_listener *li, uint32_t vpc)
{
	struct model *m = F->m;
	/* Every action, however many rules (no cap): the default first,
	 * then the rules. */
	for (uint32_t a = 0; a <= li->n_rules; a++) {
		struct model_lb_action *act =
		    a ? &li->rules[a - 1].action : &li->default_action;
		if (act->kind != LBA_FORWARD || act->target_group == MODEL_NONE)
			continue;
		struct model_target_group *tg =
		    &m->target_groups[act->target_group];
		if (tg->vpc == MODEL_NONE)
			tg->vpc = vpc;
		else if (other_vpc(m, tg->vpc, vpc))
			ferr(F, act->loc,
			     "target group '%s' is in another VPC than load "
			     "balancer '%s'",
			     tg->obj.id, lb->obj.id);
	}
}

/* The implicit target group of classic load balancer lb for listener li:
 * one per instance port and protocol, shared by the listeners that
 * forward there.  Its targets are the load balancer's instances; the
 * fleets naming lb join them in the engine (sim_tg_targets). */
static uint32_t classic_group(struct fin *F, uint32_t lb, uint32_t first,
			      const struct model_listener *li)
{
	struct model *m = F->m;
	for (uint32_t t = first; t < m->n[MK_TARGET_GROUP]; t++) {
		const struct model_target_group *g = &m->target_groups[t];
		if (g->classic && g->classic_lb == lb &&
		    g->port == li->instance_port &&
		    g->protocol == li->instance_protocol)
			return t;
	}
	const struct model_load_balancer *b = &m->lbs[lb];
	uint32_t t = model_grow_kind(m, MK_TARGET_GROUP, 1);
	struct model_target_group *g = &m->target_groups[t];
	g->obj = (struct model_obj){
	    .id = fresh_id(F, arena_printf(&m->arena, "%s-instances-%u",
					   b->obj.id, li->instance_port)),
	    .kind = MK_TARGET_GROUP,
	    .index = t,
	    .loc = b->obj.loc,
	    .implicit = true,
	};
	g->vpc = MODEL_NONE;
	g->protocol = li->instance_protocol;
	g->port = li->instance_port;
	g->target_type = TT_INSTANCE;
	g->health_check_port = b->health_check_port;
	g->health_check_protocol = b->health_check_port
				       ? b->health_check_protocol
				       : li->instance_protocol;
	g->classic = true;
	g->classic_lb = lb;
	g->targets =
	    arena_array(&m->arena, b->n_instances, sizeof(*g->targets));
	for (uint32_t i = 0; i < b->n_instances; i++)
		g->targets[g->n_targets++] = (struct model_tg_target){
		    .loc = b->obj.loc, .instance = b->instances[i]};
	/* Found by the next fresh_id; sorted into by_id at the end. */
	model_index_one(m, MK_TARGET_GROUP, t);
	return t;
}

/* A classic load balancer's listener forwards to its instances on the
 * instance port: made an ordinary forward to an implicit target group,
 * so every reader of forwards (sim/lb.c) serves classic ones too. */
static void add_classic_groups(struct fin *F)
{
	struct model *m = F->m;
	uint32_t first = m->n[MK_TARGET_GROUP];
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		if (m->lbs[i].type != LB_CLASSIC)
			continue;
		for (uint32_t l = 0; l < m->lbs[i].n_listeners; l++) {
			struct model_listener *li = &m->lbs[i].listeners[l];
			if (!li->instance_port)
				continue;
			li->default_action = (struct model_lb_action){
			    .loc = li->loc,
			    .kind = LBA_FORWARD,
			    .target_group = classic_group(F, i, first, li),
			    .redirect_protocol = -1,
			};
		}
	}
}

/* The host port a bridge or host task of td maps container port port
 * to (container: the named one, or any); 0 when dynamic or unknown. */
static uint16_t task_host_port(const struct model_task_definition *td,
			       const char *container, uint16_t port)
{
	for (uint32_t c = 0; td && c < td->n_containers; c++) {
		const struct model_container *x = &td->containers[c];
		if (container && strcmp(x->name, container))
			continue;
		for (uint32_t k = 0; k < x->n_ports; k++)
			if (x->ports[k].port == port)
				return x->ports[k].host_port;
	}
	return 0;
}

/* Services registered with a classic load balancer join its implicit
 * group of the listener on their host port (else its first); a binding
 * to one without listeners is dropped: it has nowhere to register. */
static void bind_classic_services(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++) {
		struct model_service *s = &m->services[i];
		const struct model_task_definition *td =
		    s->task_definition == MODEL_NONE
			? NULL
			: &m->task_definitions[s->task_definition];
		uint32_t keep = 0;
		for (uint32_t b = 0; b < s->n_bindings; b++) {
			struct model_lb_binding *x = &s->bindings[b];
			if (x->classic) {
				const struct model_load_balancer *lb =
				    &m->lbs[x->classic_lb];
				uint16_t hp =
				    task_host_port(td, x->container, x->port);
				x->target_group = MODEL_NONE;
				for (uint32_t l = 0; l < lb->n_listeners; l++) {
					const struct model_lb_action *a =
					    &lb->listeners[l].default_action;
					if (a->kind != LBA_FORWARD ||
					    a->target_group == MODEL_NONE)
						continue;
					if (x->target_group == MODEL_NONE ||
					    lb->listeners[l].instance_port ==
						hp)
						x->target_group =
						    a->target_group;
				}
				if (x->target_group == MODEL_NONE)
					continue;
			}
			s->bindings[keep++] = *x;
		}
		s->n_bindings = keep;
	}
}

static void check_load_balancers(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		struct model_load_balancer *lb = &m->lbs[i];
		uint32_t vpc = check_subnet_list(F, &lb->obj, lb->subnets,
						 lb->n_subnets, true);
		check_groups(F, &lb->obj, lb->groups, lb->n_groups, vpc);
		for (uint32_t l = 0; l < lb->n_listeners; l++)
			bind_listener_groups(F, lb, &lb->listeners[l], vpc);
	}
}

static void check_services(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++) {
		struct model_service *s = &m->services[i];
		uint32_t vpc = check_subnet_list(F, &s->obj, s->subnets,
						 s->n_subnets, false);
		check_groups(F, &s->obj, s->groups, s->n_groups, vpc);
		const struct model_task_definition *td =
		    s->task_definition == MODEL_NONE
			? NULL
			: &m->task_definitions[s->task_definition];
		bool host = td && td->network_mode &&
			    strcmp(td->network_mode, "awsvpc");
		for (uint32_t b = 0; b < s->n_bindings; b++) {
			struct model_target_group *tg =
			    &m->target_groups[s->bindings[b].target_group];
			/* bridge and host tasks are registered as their
			 * container instance at its host port */
			if (!host && tg->target_type != TT_IP)
				ferr(F, s->bindings[b].loc,
				     "target group '%s' must have target_type "
				     "ip to take awsvpc tasks",
				     tg->obj.id);
			else if (host && tg->target_type != TT_INSTANCE)
				ferr(F, s->bindings[b].loc,
				     "target group '%s' must have target_type "
				     "instance to take %s-mode tasks",
				     tg->obj.id, td->network_mode);
			if (tg->vpc == MODEL_NONE)
				tg->vpc = vpc;
		}
	}
}

/* A replica inherits what it does not set from its source, following
 * the chain (bounded: a cycle is reported, not followed forever). */
static void inherit_from_source(struct fin *F, uint32_t i)
{
	struct model *m = F->m;
	struct model_database *d = &m->databases[i];
	uint32_t src = d->replica_of, hops = 0;
	while (src != MODEL_NONE && hops++ < m->n[MK_DATABASE]) {
		struct model_database *o = &m->databases[src];
		if (src == i) {
			ferr(F, d->obj.loc,
			     "database '%s' is a replica of itself", d->obj.id);
			break;
		}
		if (!d->engine)
			d->engine = o->engine;
		/* o->port is 0 while o is not finished: then d takes the
		 * engine's default below, as o will. */
		if (!d->port && o->port) {
			d->port = o->port;
			d->port_defaulted = o->port_defaulted;
		}
		if (!d->n_subnets) {
			d->subnets = o->subnets;
			d->n_subnets = o->n_subnets;
			/* a member of a cluster in the default VPC is
			 * there too */
			d->default_vpc |= o->default_vpc;
		}
		if (!d->n_groups) {
			d->groups = o->groups;
			d->n_groups = o->n_groups;
		}
		/* A cluster's network type is its members'. */
		d->dualstack |= o->dualstack;
		src = o->replica_of;
	}
}

/* A database pinned to a zone needs a subnet there; the message lists
 * the zones it has, each once. */
static void check_pinned_az(struct fin *F, const struct model_database *d)
{
	struct model *m = F->m;
	/* A subnet without a zone had an error already. */
	bool found = false, unknown = false;
	char zones[128] = "";
	size_t zl = 0;
	for (uint32_t s = 0; s < d->n_subnets; s++) {
		const char *az = m->subnets[d->subnets[s]].az;
		unknown |= !az;
		if (!az)
			continue;
		found |= !strcmp(az, d->az);
		bool listed = false;
		for (uint32_t t = 0; t < s; t++)
			listed |= m->subnets[d->subnets[t]].az &&
				  !strcmp(m->subnets[d->subnets[t]].az, az);
		if (listed || zl + strlen(az) + 8 > sizeof(zones))
			continue;
		zl += (size_t)snprintf(zones + zl, sizeof(zones) - zl, "%s%s",
				       zl ? ", " : "", az);
	}
	if (!found && !unknown && d->n_subnets)
		ferr(F, d->obj.loc,
		     "database '%s' is pinned to availability zone '%s', but "
		     "none of its subnets is in that zone (they are in %s)",
		     d->obj.id, d->az, zones);
}

static void check_databases(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		struct model_database *d = &m->databases[i];
		inherit_from_source(F, i);
		if (!d->port) {
			d->port = model_engine_port(d->engine);
			d->port_defaulted = true;
		}
		uint32_t vpc = check_subnet_list(F, &d->obj, d->subnets,
						 d->n_subnets, false);
		check_groups(F, &d->obj, d->groups, d->n_groups, vpc);
		if (d->az)
			check_pinned_az(F, d);
	}
}

/* A fleet's subnets share a VPC, its groups too, and the target groups
 * it registers with learn the VPC when no load balancer told them. */
static void check_fleets(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_FLEET]; i++) {
		struct model_fleet *f = &m->fleets[i];
		uint32_t vpc = check_subnet_list(F, &f->obj, f->subnets,
						 f->n_subnets, false);
		check_groups(F, &f->obj, f->groups, f->n_groups, vpc);
		for (uint32_t t = 0; t < f->n_target_groups; t++) {
			struct model_target_group *tg =
			    &m->target_groups[f->target_groups[t]];
			if (tg->target_type != TT_INSTANCE)
				ferr(F, f->obj.loc,
				     "target group '%s' must have target_type "
				     "instance to take the instances of '%s'",
				     tg->obj.id, f->obj.id);
			if (tg->vpc == MODEL_NONE)
				tg->vpc = vpc;
		}
		for (uint32_t l = 0; l < f->n_load_balancers; l++)
			if (m->lbs[f->load_balancers[l]].type != LB_CLASSIC)
				ferr(F, f->obj.loc,
				     "'%s' names load balancer '%s' as a "
				     "classic "
				     "one; register with an %s load "
				     "balancer's target groups instead",
				     f->obj.id,
				     m->lbs[f->load_balancers[l]].obj.id,
				     model_lb_type_name(
					 m->lbs[f->load_balancers[l]].type));
	}
}

static void check_endpoints(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++) {
		struct model_vpc_endpoint *e = &m->endpoints[i];
		if (e->vpc == MODEL_NONE)
			continue;
		for (uint32_t r = 0; r < e->n_route_tables; r++) {
			const struct model_route_table *t =
			    &m->route_tables[e->route_tables[r]];
			if (other_vpc(m, t->vpc, e->vpc))
				ferr(F, e->obj.loc,
				     "VPC endpoint '%s' names route table '%s' "
				     "of another VPC",
				     e->obj.id, t->obj.id);
		}
		uint32_t vpc = check_subnet_list(F, &e->obj, e->subnets,
						 e->n_subnets, true);
		if (other_vpc(m, vpc, e->vpc))
			ferr(F, e->obj.loc,
			     "VPC endpoint '%s' names subnets of another VPC",
			     e->obj.id);
		check_groups(F, &e->obj, e->groups, e->n_groups, e->vpc);
	}
}

/* A peering joins two distinct VPCs whose blocks do not overlap. */
static void check_peerings(struct fin *F)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_PEERING]; i++) {
		struct model_peering *p = &m->peerings[i];
		if (p->requester == MODEL_NONE || p->accepter == MODEL_NONE)
			continue;
		if (p->requester == p->accepter) {
			ferr(F, p->obj.loc,
			     "peering '%s' joins VPC '%s' to "
			     "itself",
			     p->obj.id, m->vpcs[p->requester].obj.id);
			continue;
		}
		struct model_vpc *a = &m->vpcs[p->requester],
				 *b = &m->vpcs[p->accepter];
		if (a->n_cidrs > MODEL_MAX_VPC_CIDRS ||
		    b->n_cidrs > MODEL_MAX_VPC_CIDRS)
			continue; /* reported */
		for (uint32_t x = 0; x < a->n_cidrs; x++)
			for (uint32_t y = 0; y < b->n_cidrs; y++)
				if (a->cidrs[x].len != BAD_CIDR &&
				    b->cidrs[y].len != BAD_CIDR &&
				    cidr_overlaps(a->cidrs[x], b->cidrs[y]))
					ferr(F, p->obj.loc,
					     "peering '%s': VPC '%s' (%s) and "
					     "VPC '%s' (%s) overlap",
					     p->obj.id, a->obj.id,
					     cidr_str(F, a->cidrs[x]),
					     b->obj.id,
					     cidr_str(F, b->cidrs[y]));
	}
}

/* Per kind, in this order (the order of their messages): each resource's
 * subnets and groups agree on one VPC, and what binds them agrees too. */
static void check_resources(struct fin *F)
{
	sort_nacl_rules(F);
	check_instances(F);
	add_classic_groups(F);
	bind_classic_services(F);
	check_load_balancers(F);
	check_services(F);
	check_databases(F);
	check_endpoints(F);
	check_peerings(F);
	check_fleets(F);
}

/* ---- placements and addresses -------------------------------------- */

struct plan {
	struct model_placement *v;
	uint32_t n, cap;
	struct src_loc *owner_loc; /* parallel to v, for ordering */
};

static void add_placement(struct plan *P, struct model_obj *owner,
			  struct model_placement pl)
{
	if (P->n == P->cap) {
		P->cap = P->cap ? 2 * P->cap : 64;
		P->v = xreallocarray(P->v, P->cap, sizeof(*P->v));
		P->owner_loc =
		    xreallocarray(P->owner_loc, P->cap, sizeof(*P->owner_loc));
	}
	pl.kind = owner->kind;
	pl.index = owner->index;
	P->owner_loc[P->n] = owner->loc;
	P->v[P->n++] = pl;
}

/*
 * A placement's IPv6 address (§2): when its subnet has an IPv6 block and
 * want says it asks for one (why says how, or why not).  The address is
 * given later, from the IPv4 one (assign_ipv6_addresses); public says
 * whether the internet may start connections to it.
 */
static void place_ipv6(struct fin *F, struct model_placement *pl, bool want,
		       bool public, const char *why)
{
	const struct model_subnet *s = &F->m->subnets[pl->subnet];
	if (!want) {
		pl->ipv6_why = why;
		return;
	}
	if (!s->has_cidr6) {
		pl->ipv6_why = subnet_text(F, pl->subnet, ST_NO_BLOCK6);
		return;
	}
	pl->has_ipv6 = true;
	pl->ipv6_public = public;
	pl->ipv6_why = why;
}

static void place_nat_gateways(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_NAT_GATEWAY]; i++) {
		struct model_nat_gateway *g = &m->nat_gateways[i];
		if (g->subnet == MODEL_NONE)
			continue;
		struct model_placement pl = {.subnet = g->subnet,
					     .addr = g->private_addr};
		pl.ipv6_why = "vpcsim gives NAT gateways IPv4 addresses only";
		pl.has_public = g->is_public && g->has_eip;
		pl.public_addr = g->eip;
		pl.public_why = !g->is_public ? "a private NAT gateway"
				: g->has_eip  ? "its Elastic IP"
					      : "it has no Elastic IP";
		add_placement(P, &g->obj, pl);
	}
}

/* An instance's public address: its Elastic IP, else its own public_ip
 * setting, else its subnet's map-public-ip (§6). */
static void instance_public(struct fin *F, const struct model_instance *h,
			    struct model_placement *pl)
{
	const struct model_subnet *s = &F->m->subnets[h->subnet];
	if (h->has_eip) {
		pl->has_public = true;
		pl->public_addr = h->eip;
		pl->public_why = "its Elastic IP";
	} else if (h->public_ip == 1) {
		pl->has_public = true;
		pl->public_why = "a public IP assigned at launch";
	} else if (h->public_ip == -1 && s->map_public_ip) {
		pl->has_public = true;
		pl->public_why = subnet_text(F, h->subnet, ST_MAPS_PUBLIC);
	} else {
		pl->public_why =
		    h->public_ip == 0
			? "public_ip is false"
			: subnet_text(F, h->subnet, ST_MAPS_NO_PUBLIC);
	}
}

/* An instance's or interface's IPv6 address: given, asked for, or its
 * subnet's assign-on-creation setting (§2).  The internet gateway lets
 * connections in to any of them (§6). */
static void instance_ipv6(struct fin *F, const struct model_instance *h,
			  struct model_placement *pl)
{
	const struct model_subnet *s = &F->m->subnets[h->subnet];
	if (h->has_addr6) {
		memcpy(pl->addr6, h->addr6, 16);
		place_ipv6(F, pl, true, true, "its IPv6 address, given");
	} else if (h->ipv6 == IPV6_ON) {
		place_ipv6(F, pl, true, true, "an IPv6 address, asked for");
	} else if (h->ipv6 == IPV6_SUBNET && s->assign_ipv6) {
		place_ipv6(F, pl, true, true,
			   subnet_text(F, h->subnet, ST_ASSIGNS6));
	} else {
		place_ipv6(F, pl, false, false,
			   h->ipv6 == IPV6_NONE
			       ? "no IPv6 address asked for"
			       : subnet_text(F, h->subnet, ST_ASSIGNS_NO6));
	}
}

static void place_instances(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_INSTANCE]; i++) {
		struct model_instance *h = &m->instances[i];
		if (h->subnet == MODEL_NONE)
			continue;
		struct model_placement pl = {.subnet = h->subnet,
					     .addr = h->private_addr};
		pl.groups = h->groups;
		pl.n_groups = h->n_groups;
		instance_public(F, h, &pl);
		instance_ipv6(F, h, &pl);
		add_placement(P, &h->obj, pl);
	}
}

/* One node per subnet, all real at once. */
static void place_load_balancers(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		struct model_load_balancer *lb = &m->lbs[i];
		for (uint32_t k = 0; k < lb->n_subnets; k++) {
			struct model_placement pl = {.subnet = lb->subnets[k]};
			pl.groups = lb->groups;
			pl.n_groups = lb->n_groups;
			pl.has_public = lb->internet_facing;
			pl.public_why = lb->internet_facing
					    ? "a node of an internet-facing "
					      "load balancer"
					    : "a node of an internal load "
					      "balancer";
			place_ipv6(F, &pl, lb->dualstack, lb->internet_facing,
				   !lb->dualstack ? "the load balancer is IPv4 "
						    "only"
				   : lb->internet_facing
				       ? "a node of a dualstack, "
					 "internet-facing load balancer"
				       : "a node of an internal load "
					 "balancer: the internet cannot "
					 "start connections to it");
			add_placement(P, &lb->obj, pl);
		}
	}
}

/* One interface per subnet, all real at once. */
static void place_endpoints(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++) {
		struct model_vpc_endpoint *e = &m->endpoints[i];
		for (uint32_t k = 0; k < e->n_subnets; k++) {
			struct model_placement pl = {.subnet = e->subnets[k]};
			pl.groups = e->groups;
			pl.n_groups = e->n_groups;
			pl.public_why = "endpoint interfaces have private "
					"addresses only";
			pl.ipv6_why = "vpcsim gives endpoint interfaces IPv4 "
				      "addresses only";
			add_placement(P, &e->obj, pl);
		}
	}
}

/* One alternative per subnet (§9); each subnet counts the tasks ECS
 * spreads onto it, for the capacity rule. */
static void place_services(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++) {
		struct model_service *s = &m->services[i];
		for (uint32_t k = 0; k < s->n_subnets; k++) {
			struct model_placement pl = {.subnet = s->subnets[k],
						     .alternative = true};
			pl.groups = s->groups;
			pl.n_groups = s->n_groups;
			/* awsvpc tasks on EC2 never get a public address
			 * (ECS: assignPublicIp is Fargate's) */
			pl.has_public = s->assign_public_ip && !s->on_ec2;
			pl.public_why =
			    s->on_ec2 ? "awsvpc tasks on EC2 instances get no "
					"public IP"
			    : s->assign_public_ip ? "the service assigns a "
						    "public IP to its tasks"
						  : "the service assigns no "
						    "public IP";
			const struct model_subnet *sn =
			    &m->subnets[s->subnets[k]];
			place_ipv6(F, &pl, sn->assign_ipv6, true,
				   subnet_text(F, s->subnets[k],
					       sn->assign_ipv6 ? ST_TASKS6
							       : ST_TASKS_NO6));
			add_placement(P, &s->obj, pl);
			/* ECS spreads tasks evenly across the subnets. */
			m->subnets[s->subnets[k]].tasks +=
			    s->desired_count / s->n_subnets +
			    (k < s->desired_count % s->n_subnets);
		}
	}
}

/* One alternative per subnet of the DB subnet group, or of the pinned
 * zone (§10). */
static void place_databases(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		struct model_database *d = &m->databases[i];
		for (uint32_t k = 0; k < d->n_subnets; k++) {
			struct model_subnet *s = &m->subnets[d->subnets[k]];
			if (d->az && (!s->az || strcmp(s->az, d->az)))
				continue;
			struct model_placement pl = {.subnet = d->subnets[k],
						     .alternative = true};
			pl.groups = d->groups;
			pl.n_groups = d->n_groups;
			pl.has_public = d->publicly_accessible;
			pl.public_why = d->publicly_accessible
					    ? "the database is publicly "
					      "accessible"
					    : "the database is not publicly "
					      "accessible";
			if (d->family == DBF_CACHE ||
			    d->family == DBF_FILE_SYSTEM) {
				pl.has_public = false;
				pl.public_why =
				    d->family == DBF_CACHE
					? "cache nodes have private "
					  "addresses only"
					: "mount targets have private "
					  "addresses only";
			}
			place_ipv6(
			    F, &pl, d->dualstack, pl.has_public,
			    !d->dualstack ? "the database is IPv4 only"
			    : pl.has_public
				? "a dual-stack database, publicly accessible"
				: "a dual-stack database that is not publicly "
				  "accessible: RDS closes its IPv6 address to "
				  "the internet gateway");
			add_placement(P, &d->obj, pl);
		}
	}
}

/* A fleet member's public address: the fleet's public_ip setting, else
 * its subnet's map-public-ip (§6); a function never has one. */
static void fleet_public(struct fin *F, const struct model_fleet *f,
			 uint32_t subnet, struct model_placement *pl)
{
	const struct model_subnet *s = &F->m->subnets[subnet];
	if (f->role == FLEET_FUNCTION) {
		pl->public_why = "Lambda function interfaces have private "
				 "addresses only";
	} else if (f->public_ip == 1) {
		pl->has_public = true;
		pl->public_why = "its launch settings associate a public IP";
	} else if (f->public_ip == -1 && s->map_public_ip) {
		pl->has_public = true;
		pl->public_why = subnet_text(F, subnet, ST_MAPS_PUBLIC);
	} else {
		pl->public_why =
		    f->public_ip == 0
			? "its launch settings associate no public IP"
			: subnet_text(F, subnet, ST_MAPS_NO_PUBLIC);
	}
}

/* One alternative per subnet: an instance of the group, or an interface
 * of the function, may be in any of them. */
static void place_fleets(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	for (uint32_t i = 0; i < m->n[MK_FLEET]; i++) {
		struct model_fleet *f = &m->fleets[i];
		for (uint32_t k = 0; k < f->n_subnets; k++) {
			struct model_placement pl = {.subnet = f->subnets[k],
						     .alternative = true};
			pl.groups = f->groups;
			pl.n_groups = f->n_groups;
			fleet_public(F, f, f->subnets[k], &pl);
			/* An Auto Scaling group's instances take their
			 * subnet's IPv6 setting, as instances do (§2). */
			const struct model_subnet *sn =
			    &m->subnets[f->subnets[k]];
			bool v6 = f->role != FLEET_FUNCTION && sn->assign_ipv6;
			place_ipv6(F, &pl, v6, true,
				   f->role == FLEET_FUNCTION
				       ? "vpcsim gives functions IPv4 "
					 "addresses only"
				       : subnet_text(F, f->subnets[k],
						     sn->assign_ipv6
							 ? ST_ASSIGNS6
							 : ST_ASSIGNS_NO6S));
			add_placement(P, &f->obj, pl);
		}
	}
}

/* Owner by owner, kind by kind: each owner's placements are contiguous. */
static void collect_placements(struct fin *F, struct plan *P)
{
	place_nat_gateways(F, P);
	place_instances(F, P);
	place_load_balancers(F, P);
	place_endpoints(F, P);
	place_services(F, P);
	place_databases(F, P);
	place_fleets(F, P);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
 * The allocator (§1), one for load time and for failures: the first host
 * address of block at or after from that taken (sorted) lacks, from the
 * fifth address of the block on (the first four are AWS's) and never the
 * last (broadcast); 0 when none is left.  A block smaller than /30 has no
 * host address at all (and /31, /32 would wrap the arithmetic).
 */
static uint32_t first_free_addr(struct cidr block, uint32_t from,
				const uint32_t *taken, size_t n_taken)
{
	if (block.len > 30)
		return 0;
	/* 64 bits: the fifth address of 255.255.255.252/30 is past 2^32. */
	uint64_t last = cidr_last(block), a = values_first_host(block);
	if (from > a)
		a = from;
	for (; a < last; a++) {
		uint32_t key = (uint32_t)a;
		if (!bsearch(&key, taken, n_taken, sizeof(*taken), u32_cmp))
			return key;
	}
	return 0;
}

uint32_t model_next_addr(const struct model *m, uint32_t subnet)
{
	const struct model_subnet *s = &m->subnets[subnet];
	if (s->cidr.len > 30)
		return 0;
	uint32_t *held =
	    xcalloc((size_t)m->n_placements_total + 1, sizeof(*held));
	size_t n = 0;
	for (uint32_t i = 0; i < m->n_placements_total; i++)
		if (m->placements[i].subnet == subnet && m->placements[i].addr)
			held[n++] = m->placements[i].addr;
	qsort(held, n, sizeof(*held), u32_cmp);
	uint32_t a = first_free_addr(s->cidr, 0, held, n);
	free(held);
	return a;
}

static const struct plan *order_plan; /* qsort has no context argument */

static int placement_order_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const struct src_loc *lx = &order_plan->owner_loc[x],
			     *ly = &order_plan->owner_loc[y];
	if (lx->line != ly->line)
		return lx->line < ly->line ? -1 : 1;
	if (lx->col != ly->col)
		return lx->col < ly->col ? -1 : 1;
	return (x > y) - (x < y);
}

static void format_addr_err(struct fin *F, struct model_obj *o, uint32_t addr,
			    const char *what, struct model_subnet *s)
{
	char a[ADDR_STRLEN];
	addr_format(a, addr);
	ferr(F, o->loc, "'%s' address %s %s subnet '%s' (%s)", o->id, a, what,
	     s->obj.id, cidr_str(F, s->cidr));
}

/*
 * Explicit addresses, checked: inside the subnet, not reserved, not taken
 * twice.  Each good one goes into taken as (subnet << 32 | address);
 * returns how many.
 */
static uint32_t check_explicit_addrs(struct fin *F, struct plan *P,
				     uint64_t *taken)
{
	struct model *m = F->m;
	uint32_t *taker = xcalloc(P->n, sizeof(*taker)); /* placement */
	uint32_t nt = 0;
	for (uint32_t i = 0; i < P->n; i++) {
		struct model_placement *pl = &P->v[i];
		if (!pl->addr)
			continue;
		struct model_subnet *s = &m->subnets[pl->subnet];
		struct model_obj *o = model_object(m, pl->kind, pl->index);
		pl->addr_explicit = true;
		if (s->cidr.len == BAD_CIDR)
			continue;
		if (!cidr_contains_addr(s->cidr, pl->addr)) {
			format_addr_err(F, o, pl->addr, "is not in", s);
			continue;
		}
		if (values_addr_reserved(s->cidr, pl->addr)) {
			format_addr_err(
			    F, o, pl->addr,
			    "is reserved by AWS (the first four and "
			    "the last address) in",
			    s);
			continue;
		}
		uint64_t key = (uint64_t)pl->subnet << 32 | pl->addr;
		bool twice = false;
		for (uint32_t j = 0; j < nt && !twice; j++) {
			if (taken[j] != key)
				continue;
			struct model_placement *other = &P->v[taker[j]];
			char what[160];
			snprintf(
			    what, sizeof(what), "is also held by '%s' in",
			    model_object(m, other->kind, other->index)->id);
			format_addr_err(F, o, pl->addr, what, s);
			twice = true;
		}
		if (twice)
			continue;
		taker[nt] = i;
		taken[nt++] = key;
		s->n_allocated++;
	}
	free(taker);
	return nt;
}

/*
 * §1: explicit addresses first, then every other placement, in the order
 * its owner appears in the input, gets the first free host address of its
 * subnet past the previous one handed out there (first_free_addr).  A
 * full subnet leaves addr_exhausted set for the capacity rule to report.
 */
static void assign_addresses(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	uint32_t ns = m->n[MK_SUBNET];
	uint64_t *taken = xcalloc(P->n, sizeof(*taken));
	uint32_t nt = check_explicit_addrs(F, P, taken);
	/* Sorted by subnet then address: subnet s's explicit addresses are
	 * addrs[first[s]] .. addrs[first[s + 1] - 1], ascending. */
	qsort(taken, nt, sizeof(*taken), u64_cmp);
	uint32_t *addrs = xcalloc((size_t)nt + 1, sizeof(*addrs));
	uint32_t *first = xcalloc((size_t)ns + 1, sizeof(*first));
	for (uint32_t j = 0; j < nt; j++) {
		addrs[j] = (uint32_t)taken[j];
		first[(taken[j] >> 32) + 1]++;
	}
	for (uint32_t s = 0; s < ns; s++)
		first[s + 1] += first[s];
	uint32_t *order = xcalloc(P->n, sizeof(*order));
	for (uint32_t i = 0; i < P->n; i++)
		order[i] = i;
	order_plan = P;
	qsort(order, P->n, sizeof(*order), placement_order_cmp);
	uint32_t *cursor = xcalloc(ns, sizeof(*cursor));
	for (uint32_t k = 0; k < P->n; k++) {
		struct model_placement *pl = &P->v[order[k]];
		if (pl->addr_explicit)
			continue;
		struct model_subnet *s = &m->subnets[pl->subnet];
		if (s->cidr.len == BAD_CIDR)
			continue;
		uint32_t sn = pl->subnet;
		uint32_t a =
		    first_free_addr(s->cidr, cursor[sn], addrs + first[sn],
				    first[sn + 1] - first[sn]);
		if (!a) {
			pl->addr_exhausted = true;
			continue;
		}
		pl->addr = a;
		cursor[sn] = a + 1;
		s->n_allocated++;
	}
	free(cursor);
	free(order);
	free(first);
	free(addrs);
	free(taken);
}

/* Whether placement i's IPv6 address is one of the given ones of its
 * subnet (other than i's own). */
static bool addr6_given(const struct plan *P, uint32_t i)
{
	for (uint32_t j = 0; j < P->n; j++)
		if (j != i && P->v[j].has_ipv6 && P->v[j].addr_explicit6 &&
		    P->v[j].subnet == P->v[i].subnet &&
		    !memcmp(P->v[j].addr6, P->v[i].addr6, 16))
			return true;
	return false;
}

/*
 * IPv6 addresses (§2): a given one must lie in its subnet's IPv6 block
 * and be given once; any other is the subnet's block plus the host part
 * of the placement's IPv4 address (10.0.1.4 in 10.0.1.0/24 and
 * 2001:db8:1:1::/64 gives 2001:db8:1:1::4), so it is as deterministic
 * and unique as that one, moved past a given address it would repeat.
 */
static void assign_ipv6_addresses(struct fin *F, struct plan *P)
{
	struct model *m = F->m;
	static const uint8_t zero[16];
	for (uint32_t i = 0; i < P->n; i++) {
		struct model_placement *pl = &P->v[i];
		pl->addr_explicit6 =
		    pl->has_ipv6 && memcmp(pl->addr6, zero, 16);
		if (!pl->addr_explicit6)
			continue;
		const struct model_subnet *s = &m->subnets[pl->subnet];
		struct model_obj *o = model_object(m, pl->kind, pl->index);
		char a[CIDR6_STRLEN], c[CIDR6_STRLEN];
		model_addr6_format(a, pl->addr6);
		cidr6_format(c, s->cidr6);
		if (!model_cidr6_has(s->cidr6, pl->addr6))
			ferr(F, o->loc,
			     "'%s' IPv6 address %s is not in subnet '%s' (%s)",
			     o->id, a, s->obj.id, c);
		for (uint32_t j = 0; j < i; j++)
			if (P->v[j].addr_explicit6 &&
			    !memcmp(P->v[j].addr6, pl->addr6, 16))
				ferr(
				    F, o->loc,
				    "'%s' IPv6 address %s is also held by "
				    "'%s'",
				    o->id, a,
				    model_object(m, P->v[j].kind, P->v[j].index)
					->id);
	}
	for (uint32_t i = 0; i < P->n; i++) {
		struct model_placement *pl = &P->v[i];
		if (!pl->has_ipv6 || pl->addr_explicit6)
			continue;
		const struct model_subnet *s = &m->subnets[pl->subnet];
		if (!pl->addr || s->cidr.len == BAD_CIDR) {
			pl->has_ipv6 = pl->ipv6_public = false;
			pl->ipv6_why =
			    "it has no IPv4 address to derive one from";
			continue;
		}
		uint64_t host = pl->addr - s->cidr.addr;
		do {
			memcpy(pl->addr6, s->cidr6.addr, 16);
			for (int b = 0; b < 8; b++)
				pl->addr6[15 - b] |= (uint8_t)(host >> (8 * b));
			host += 1u << (32 - s->cidr.len);
		} while (addr6_given(P, i));
	}
}

static void build_placements(struct fin *F)
{
	struct model *m = F->m;
	struct plan P = {0};
	collect_placements(F, &P);
	assign_addresses(F, &P);
	assign_ipv6_addresses(F, &P);
	/* Placements were collected owner by owner, so each owner's range is
	 * contiguous. */
	m->placements = arena_array(&m->arena, P.n, sizeof(*m->placements));
	if (P.n)
		memcpy(m->placements, P.v, P.n * sizeof(*P.v));
	m->n_placements_total = P.n;
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		m->first_placement[k] =
		    arena_array(&m->arena, m->n[k], sizeof(uint32_t));
		m->n_placements[k] =
		    arena_array(&m->arena, m->n[k], sizeof(uint32_t));
	}
	for (uint32_t i = P.n; i-- > 0;) {
		struct model_placement *pl = &m->placements[i];
		m->first_placement[pl->kind][pl->index] = i;
		m->n_placements[pl->kind][pl->index]++;
	}
	free(P.v);
	free(P.owner_loc);
}

int model_finish(struct model *m, struct diag_list *diags)
{
	struct fin F = {.m = m, .diags = diags};
	size_t before = diags->n_errors;
	attach_gateways(&F);
	check_vpc_cidrs(&F);
	add_implicit_defaults(&F);
	ipv6_standin_vpcs(&F);
	ipv6_default_nacls(&F);
	add_default_groups(&F);
	build_routes(&F);
	check_subnets(&F);
	ipv6_standin_subnets(&F);
	classify_subnets(&F);
	check_resources(&F);
	default_group_users(&F);
	build_placements(&F);
	for (int t = 0; t < ST_COUNT; t++)
		free(F.subnet_text[t]);
	/* Synthesized objects joined the kinds: merge them into the index
	 * (nothing to do when none came after the loader's). */
	struct diag_list dups = DIAG_LIST_INIT;
	model_index_ids(m, &dups);
	diag_list_free(&dups);
	return diags->n_errors == before ? 0 : -1;
}

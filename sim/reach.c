/*
 * Equivalence classes of endpoints and estate-wide reachability.
 *
 * Two placements are in one class when every step of the engine treats
 * them alike, as source and as destination:
 *   - the same subnet (route table, NACL, VPC, AZ);
 *   - the same address atom: no CIDR that any rule, prefix list or route
 *     of the model mentions contains one address and not the other;
 *   - the same set of security groups (sorted);
 *   - the same public-address status;
 *   - the same listening behaviour: a load balancer is a class of its
 *     own per node; services by task definition, databases by port;
 *     instances, NAT gateways and endpoints by kind.
 * Classes are the runs of placements sorted by that key.  Evaluating a
 * class's representative with sim_ports answers for every member, so a
 * query costs (classes x rules), not (endpoints squared).
 *
 * The internet as a source is not one address: a rule may admit
 * 203.0.113.0/24 and no one else.  For each destination class, the public
 * address space is cut into the atoms that the destination's NACL, group
 * and route CIDRs distinguish, and each atom is evaluated through one
 * representative public address.
 *
 * IPv6 (§2) is its own family: a placement's class also keys on whether
 * it has an IPv6 address and whether the internet may reach it, and on
 * its atom of the IPv6 blocks the rules and routes name; the IPv6
 * internet is cut into its own atoms, in 128-bit space, over 2000::/3.
 */
#include "sim/reach.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/util.h"

struct reach_index {
	const struct sim *s;
	const struct model *m;
	uint32_t n_classes;
	uint32_t *class_of;    /* per placement */
	uint32_t *rep;	       /* per class: a member placement */
	uint32_t *first, *cnt; /* per class: its run in members */
	uint32_t *members;     /* placements, class by class */
	/* The network ACLs and security groups of each VPC, in index order
	 * (vpc_nacl_first[v] .. [v + 1] in vpc_nacls; slot n[MK_VPC] holds
	 * those of no VPC in the input): what a load balancer's atoms read,
	 * without a pass over every ACL and group of the model. */
	uint32_t *vpc_nacl_first, *vpc_nacls;
	uint32_t *vpc_group_first, *vpc_groups;
};

/* ---- address atoms ------------------------------------------------- */

struct span {
	uint32_t lo, hi;
	uint8_t len;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->len > y->len) - (x->len < y->len);
}

static void push_span(struct span **v, uint32_t *n, uint32_t *cap,
		      struct cidr c)
{
	if (c.len > 32)
		return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = (struct span){c.addr, cidr_last(c), c.len};
}

/* Every IPv4 block any rule, prefix list or route of the model names. */
static struct span *all_spans(const struct model *m, uint32_t *n)
{
	struct span *v = NULL;
	uint32_t cap = 0;
	*n = 0;
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		const struct model_security_group *sg = &m->groups[g];
		for (int dir = 0; dir < 2; dir++) {
			const struct model_sg_rule *r =
			    dir ? sg->egress : sg->ingress;
			uint32_t k = dir ? sg->n_egress : sg->n_ingress;
			for (uint32_t i = 0; i < k; i++)
				if (r[i].peer_kind == PEER_CIDR)
					push_span(&v, n, &cap, r[i].cidr);
		}
	}
	for (uint32_t p = 0; p < m->n[MK_PREFIX_LIST]; p++)
		for (uint32_t i = 0; i < m->prefix_lists[p].n_cidrs; i++)
			push_span(&v, n, &cap, m->prefix_lists[p].cidrs[i]);
	for (uint32_t a = 0; a < m->n[MK_NETWORK_ACL]; a++) {
		const struct model_network_acl *acl = &m->nacls[a];
		for (uint32_t i = 0; i < acl->n_inbound; i++)
			if (!acl->inbound[i].ipv6)
				push_span(&v, n, &cap, acl->inbound[i].cidr);
		for (uint32_t i = 0; i < acl->n_outbound; i++)
			if (!acl->outbound[i].ipv6)
				push_span(&v, n, &cap, acl->outbound[i].cidr);
	}
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++) {
		const struct model_route_table *rt = &m->route_tables[t];
		for (uint32_t i = 0; i < rt->n_routes; i++)
			if (!rt->routes[i].ipv6)
				push_span(&v, n, &cap, rt->routes[i].dst);
	}
	if (*n) /* none in a model with nothing in it: v is NULL */
		qsort(v, *n, sizeof(*v), span_cmp);
	return v;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
 * The atom of addr inside subnet block s: how many boundaries of blocks
 * strictly inside s lie at or below addr.  Blocks either nest or are
 * disjoint, so only blocks longer than s can cut it.
 */
static uint32_t atom_in_subnet(const struct span *sp, uint32_t n, struct cidr s,
			       uint32_t addr)
{
	uint32_t lo = 0, hi = n, last = cidr_last(s), atom = 0;
	while (lo < hi) { /* first span starting at or after s.addr */
		uint32_t mid = lo + (hi - lo) / 2;
		if (sp[mid].lo < s.addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint32_t i = lo; i < n && sp[i].lo <= last; i++) {
		if (sp[i].len <= s.len)
			continue;
		atom += sp[i].lo > s.addr && sp[i].lo <= addr;
		atom += sp[i].hi < last && sp[i].hi < addr;
	}
	return atom;
}

/* ---- IPv6 space ---------------------------------------------------- */

/* A 128-bit address as two halves, for ordering and stepping. */
struct u128 {
	uint64_t hi, lo;
};

static struct u128 u128_of(const uint8_t b[16])
{
	struct u128 v = {0, 0};
	for (int i = 0; i < 8; i++) {
		v.hi = v.hi << 8 | b[i];
		v.lo = v.lo << 8 | b[8 + i];
	}
	return v;
}

static void u128_bytes(struct u128 v, uint8_t b[16])
{
	for (int i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v.hi;
		b[8 + i] = (uint8_t)v.lo;
		v.hi >>= 8;
		v.lo >>= 8;
	}
}

static int u128_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return (a.lo > b.lo) - (a.lo < b.lo);
}

/* The first address of c, and the one after its last (*top when that is
 * past the end of the space). */
static void cidr6_bounds(struct cidr6 c, struct u128 *first, struct u128 *after,
			 bool *top)
{
	struct u128 a = u128_of(c.addr), mask;
	uint8_t len = c.len > 128 ? 128 : c.len;
	mask.hi = len >= 64 ? ~0ull : len ? ~0ull << (64 - len) : 0;
	mask.lo = len <= 64 ? 0 : len >= 128 ? ~0ull : ~0ull << (128 - len);
	first->hi = a.hi & mask.hi;
	first->lo = a.lo & mask.lo;
	struct u128 last = {first->hi | ~mask.hi, first->lo | ~mask.lo};
	*top = last.hi == ~0ull && last.lo == ~0ull;
	after->lo = last.lo + 1;
	after->hi = last.hi + (after->lo == 0);
}

static int u128_qcmp(const void *a, const void *b)
{
	return u128_cmp(*(const struct u128 *)a, *(const struct u128 *)b);
}

/* A growing list of IPv6 blocks. */
struct blocks6 {
	struct cidr6 *v;
	uint32_t n, cap;
};

static void push6(struct blocks6 *b, struct cidr6 c)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
	}
	b->v[b->n++] = c;
}

static void nacl6(struct blocks6 *b, const struct model_network_acl *a)
{
	for (uint32_t i = 0; i < a->n_inbound; i++)
		if (a->inbound[i].ipv6)
			push6(b, a->inbound[i].cidr6);
	for (uint32_t i = 0; i < a->n_outbound; i++)
		if (a->outbound[i].ipv6)
			push6(b, a->outbound[i].cidr6);
}

static void groups6(struct blocks6 *b, const struct model *m, const uint32_t *g,
		    uint32_t n, bool egress_too)
{
	for (uint32_t k = 0; k < n; k++) {
		const struct model_security_group *sg = &m->groups[g[k]];
		for (uint32_t i = 0; i < sg->n_ingress; i++)
			if (sg->ingress[i].peer_kind == PEER_CIDR6)
				push6(b, sg->ingress[i].cidr6);
		for (uint32_t i = 0; egress_too && i < sg->n_egress; i++)
			if (sg->egress[i].peer_kind == PEER_CIDR6)
				push6(b, sg->egress[i].cidr6);
	}
}

static void routes6(struct blocks6 *b, const struct model_route_table *rt)
{
	for (uint32_t i = 0; i < rt->n_routes; i++)
		if (rt->routes[i].ipv6)
			push6(b, rt->routes[i].dst6);
}

/* Every IPv6 block any rule or route of the model names. */
static void all_blocks6(const struct model *m, struct blocks6 *b)
{
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++)
		groups6(b, m, &g, 1, true);
	for (uint32_t a = 0; a < m->n[MK_NETWORK_ACL]; a++)
		nacl6(b, &m->nacls[a]);
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++)
		routes6(b, &m->route_tables[t]);
}

/* The IPv6 atom of addr inside subnet block s: how many boundaries of the
 * blocks strictly inside s lie at or below addr (blocks nest or are
 * disjoint, as atom_in_subnet's). */
static uint32_t atom6_in_subnet(const struct blocks6 *b, struct cidr6 s,
				const uint8_t addr[16])
{
	struct u128 a = u128_of(addr), s_first, s_after;
	bool s_top;
	cidr6_bounds(s, &s_first, &s_after, &s_top);
	uint32_t atom = 0;
	for (uint32_t i = 0; i < b->n; i++) {
		if (b->v[i].len <= s.len || !cidr6_overlaps(b->v[i], s))
			continue;
		struct u128 first, after;
		bool top;
		cidr6_bounds(b->v[i], &first, &after, &top);
		atom += u128_cmp(first, s_first) > 0 && u128_cmp(first, a) <= 0;
		atom += !top && u128_cmp(after, s_after) < 0 &&
			u128_cmp(after, a) <= 0;
	}
	return atom;
}

/* ---- classes --------------------------------------------------------- */

struct pkey {
	uint32_t subnet, atom;
	uint32_t v6, atom6; /* has_ipv6 * 2 + ipv6_public; IPv6 atom */
	uint32_t *groups;   /* sorted copy */
	uint32_t n_groups;
	bool pub;
	uint32_t listen_kind, listen_val;
};

static const struct pkey *sort_keys; /* qsort has no context argument */

static int key_cmp(const void *a, const void *b)
{
	const struct pkey *x = &sort_keys[*(const uint32_t *)a];
	const struct pkey *y = &sort_keys[*(const uint32_t *)b];
#define CMP(f)                                                                 \
	if (x->f != y->f)                                                      \
	return x->f < y->f ? -1 : 1
	CMP(subnet);
	CMP(atom);
	CMP(v6);
	CMP(atom6);
	CMP(pub);
	CMP(listen_kind);
	CMP(listen_val);
	CMP(n_groups);
#undef CMP
	for (uint32_t i = 0; i < x->n_groups; i++)
		if (x->groups[i] != y->groups[i])
			return x->groups[i] < y->groups[i] ? -1 : 1;
	return 0;
}

/* The order of placements in one subnet: by key, then by placement, so
 * that a class's members (and its representative, the first) are the
 * same whatever sort runs. */
static int member_cmp(const void *a, const void *b)
{
	int c = key_cmp(a, b);
	if (c)
		return c;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void listen_key(const struct model *m, const struct model_placement *p,
		       uint32_t *kind, uint32_t *val)
{
	*kind = p->kind;
	switch (p->kind) {
	case MK_LOAD_BALANCER:
		*val = p->index;
		break;
	case MK_SERVICE:
		*val = m->services[p->index].task_definition;
		break;
	case MK_DATABASE:
		*val = m->databases[p->index].port;
		break;
	case MK_FLEET:
		*val = m->fleets[p->index].role;
		break;
	default:
		*val = 0;
		break;
	}
}

/* Objects of one kind by VPC, counted then laid out in index order. */
static void by_vpc(const struct model *m, enum model_kind kind,
		   uint32_t **first, uint32_t **items)
{
	uint32_t nv = m->n[MK_VPC], n = m->n[kind];
	uint32_t *f = xcalloc(nv + 2, sizeof(*f));
	uint32_t *v = xcalloc(n + 1, sizeof(*v));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t vpc =
		    kind == MK_NETWORK_ACL ? m->nacls[i].vpc : m->groups[i].vpc;
		f[(vpc < nv ? vpc : nv) + 1]++;
	}
	for (uint32_t k = 0; k <= nv; k++)
		f[k + 1] += f[k];
	uint32_t *fill = xcalloc(nv + 1, sizeof(*fill));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t vpc =
		    kind == MK_NETWORK_ACL ? m->nacls[i].vpc : m->groups[i].vpc;
		uint32_t k = vpc < nv ? vpc : nv;
		v[f[k] + fill[k]++] = i;
	}
	free(fill);
	*first = f;
	*items = v;
}

int reach_index_new(struct reach_index **out, const struct sim *s)
{
	const struct model *m = sim_model(s);
	uint32_t np = m->n_placements_total, nspan;
	struct reach_index *ix = xcalloc(1, sizeof(*ix));
	struct pkey *keys = xcalloc(np, sizeof(*keys));
	uint32_t *order = xcalloc(np, sizeof(*order));
	struct span *spans = all_spans(m, &nspan);
	struct blocks6 b6 = {0};
	all_blocks6(m, &b6);
	ix->s = s;
	ix->m = m;
	by_vpc(m, MK_NETWORK_ACL, &ix->vpc_nacl_first, &ix->vpc_nacls);
	by_vpc(m, MK_SECURITY_GROUP, &ix->vpc_group_first, &ix->vpc_groups);
	/* Every placement's groups, sorted, in one array. */
	size_t n_all_groups = 0;
	for (uint32_t i = 0; i < np; i++)
		n_all_groups += m->placements[i].n_groups;
	uint32_t *all_groups = xcalloc(n_all_groups + 1, sizeof(uint32_t));
	/* The placements counted by subnet, the key's first field: sorting
	 * each subnet's few is the whole sort, in less time. */
	uint32_t ns = m->n[MK_SUBNET];
	uint32_t *sub_first = xcalloc((size_t)ns + 2, sizeof(uint32_t));
	n_all_groups = 0;
	for (uint32_t i = 0; i < np; i++) {
		const struct model_placement *p = &m->placements[i];
		struct pkey *k = &keys[i];
		k->subnet = p->subnet;
		k->atom = atom_in_subnet(spans, nspan,
					 m->subnets[p->subnet].cidr, p->addr);
		k->n_groups = p->n_groups;
		k->groups = all_groups + n_all_groups;
		n_all_groups += p->n_groups;
		if (p->n_groups)
			memcpy(k->groups, p->groups,
			       p->n_groups * sizeof(uint32_t));
		qsort(k->groups, k->n_groups, sizeof(uint32_t), u32_cmp);
		sub_first[(p->subnet < ns ? p->subnet : ns) + 1]++;
		k->pub = p->has_public;
		k->v6 = p->has_ipv6 * 2u + p->ipv6_public;
		if (p->has_ipv6)
			k->atom6 = atom6_in_subnet(
			    &b6, m->subnets[p->subnet].cidr6, p->addr6);
		listen_key(m, p, &k->listen_kind, &k->listen_val);
	}
	for (uint32_t t = 0; t <= ns; t++)
		sub_first[t + 1] += sub_first[t];
	uint32_t *fill = xcalloc((size_t)ns + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < np; i++) {
		uint32_t t = keys[i].subnet < ns ? keys[i].subnet : ns;
		order[sub_first[t] + fill[t]++] = i;
	}
	sort_keys = keys;
	for (uint32_t t = 0; t <= ns; t++)
		qsort(order + sub_first[t], sub_first[t + 1] - sub_first[t],
		      sizeof(*order), member_cmp);
	free(fill);
	free(sub_first);
	ix->class_of = xcalloc(np, sizeof(uint32_t));
	ix->members = order;
	ix->rep = xcalloc(np, sizeof(uint32_t));
	ix->first = xcalloc(np, sizeof(uint32_t));
	ix->cnt = xcalloc(np, sizeof(uint32_t));
	for (uint32_t i = 0; i < np; i++) {
		if (i == 0 || key_cmp(&order[i - 1], &order[i]) != 0) {
			ix->rep[ix->n_classes] = order[i];
			ix->first[ix->n_classes] = i;
			ix->n_classes++;
		}
		ix->cnt[ix->n_classes - 1]++;
		ix->class_of[order[i]] = ix->n_classes - 1;
	}
	free(all_groups);
	free(keys);
	free(spans);
	free(b6.v);
	*out = ix;
	return 0;
}

void reach_index_free(struct reach_index *ix)
{
	if (!ix)
		return;
	free(ix->class_of);
	free(ix->rep);
	free(ix->first);
	free(ix->cnt);
	free(ix->members);
	free(ix->vpc_nacl_first);
	free(ix->vpc_nacls);
	free(ix->vpc_group_first);
	free(ix->vpc_groups);
	free(ix);
}

const struct sim *reach_index_sim(const struct reach_index *ix)
{
	return ix->s;
}

uint32_t reach_index_classes(const struct reach_index *ix)
{
	return ix->n_classes;
}

uint32_t reach_index_class_of(const struct reach_index *ix, uint32_t placement)
{
	return ix->class_of[placement];
}

const uint32_t *reach_index_class_members(const struct reach_index *ix,
					  uint32_t c, uint32_t *n)
{
	*n = ix->cnt[c];
	return &ix->members[ix->first[c]];
}

/* ---- the memo of placement pairs ------------------------------------- */

/* A question: the classes of both ends and the flow.  Zeroed before it is
 * filled, since the map compares keys byte for byte. */
struct memo_key {
	uint32_t src_class, dst_class;
	uint16_t port;
	uint8_t proto;
	uint8_t same; /* a placement asked about itself */
};

struct reach_memo {
	const struct reach_index *ix;
	struct hmap answers;	   /* memo_key -> struct sim_result */
	struct sim_result scratch; /* a pair evaluated directly */
	uint64_t asked, evaluated;
};

int reach_memo_new(struct reach_memo **out, const struct reach_index *ix)
{
	struct reach_memo *mm = xcalloc(1, sizeof(*mm));
	mm->ix = ix;
	hmap_init(&mm->answers, sizeof(struct memo_key),
		  sizeof(struct sim_result));
	*out = mm;
	return 0;
}

void reach_memo_free(struct reach_memo *mm)
{
	if (!mm)
		return;
	for (uint32_t i = 0; i < mm->answers.n; i++)
		sim_result_free(hmap_val(&mm->answers, i));
	hmap_free(&mm->answers);
	sim_result_free(&mm->scratch);
	free(mm);
}

/* Whether the object a placement belongs to has unknown values: its
 * verdicts name them, and they are the object's own, not the class's. */
static bool own_unknowns(const struct model *m, uint32_t placement)
{
	const struct model_placement *p = &m->placements[placement];
	return model_object(m, p->kind, p->index)->n_unknowns != 0;
}

const struct sim_result *reach_memo_connect(struct reach_memo *mm, uint32_t src,
					    uint32_t dst, struct sim_flow flow)
{
	const struct reach_index *ix = mm->ix;
	struct sim_ep a = {.kind = EP_PLACEMENT, .placement = src};
	struct sim_ep b = {.kind = EP_PLACEMENT, .placement = dst};
	mm->asked++;
	if (own_unknowns(ix->m, src) || own_unknowns(ix->m, dst)) {
		sim_result_free(&mm->scratch);
		sim_connect(ix->s, &a, &b, flow, &mm->scratch, NULL);
		mm->evaluated++;
		return &mm->scratch;
	}
	struct memo_key k;
	memset(&k, 0, sizeof(k));
	k.src_class = ix->class_of[src];
	k.dst_class = ix->class_of[dst];
	k.port = flow.port;
	k.proto = (uint8_t)flow.proto;
	k.same = src == dst;
	bool added;
	uint32_t e = hmap_insert(&mm->answers, &k, &added);
	struct sim_result *res = hmap_val(&mm->answers, e);
	if (added) {
		sim_connect(ix->s, &a, &b, flow, res, NULL);
		mm->evaluated++;
	}
	return res;
}

void reach_memo_stats(const struct reach_memo *mm, uint64_t *asked,
		      uint64_t *evaluated)
{
	*asked = mm->asked;
	*evaluated = mm->evaluated;
}

/* ---- internet atoms --------------------------------------------------- */

/* Ranges no internet client has: private, shared, loopback, link-local,
 * multicast and reserved space (RFC 6890). */
static const struct cidr not_internet[] = {
    {0x00000000u, 8},  {0x0A000000u, 8},  {0x64400000u, 10}, {0x7F000000u, 8},
    {0xA9FE0000u, 16}, {0xAC100000u, 12}, {0xC0A80000u, 16}, {0xE0000000u, 3},
};

static bool excluded(uint32_t a, const struct cidr *vpc, uint32_t nv)
{
	for (size_t i = 0; i < ARRAY_LEN(not_internet); i++)
		if (cidr_contains_addr(not_internet[i], a))
			return true;
	for (uint32_t i = 0; i < nv; i++)
		if (cidr_contains_addr(vpc[i], a))
			return true;
	return false;
}

/* The first address of [lo, hi] an internet client may have, skipping
 * whole excluded blocks at a time. */
static bool atom_rep(uint32_t lo, uint32_t hi, const struct cidr *vpc,
		     uint32_t nv, uint32_t *rep)
{
	uint64_t a = lo;
	while (a <= hi) {
		uint64_t skip = 0;
		for (size_t i = 0; i < ARRAY_LEN(not_internet) + nv; i++) {
			struct cidr c = i < ARRAY_LEN(not_internet)
					    ? not_internet[i]
					    : vpc[i - ARRAY_LEN(not_internet)];
			if (cidr_contains_addr(c, (uint32_t)a))
				skip = (uint64_t)cidr_last(c) + 1;
		}
		if (!skip) {
			*rep = (uint32_t)a;
			return !excluded((uint32_t)a, vpc, nv);
		}
		a = skip;
	}
	return false;
}

struct bounds {
	uint64_t *v;
	uint32_t n, cap;
};

static void bound_cidr(struct bounds *b, struct cidr c)
{
	if (c.len > 32)
		return;
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->v = xreallocarray(b->v, b->cap, sizeof(*b->v));
	}
	b->v[b->n++] = c.addr;
	b->v[b->n++] = (uint64_t)cidr_last(c) + 1;
}

static void bound_nacl(struct bounds *b, const struct model_network_acl *a)
{
	for (uint32_t i = 0; i < a->n_inbound; i++)
		if (!a->inbound[i].ipv6)
			bound_cidr(b, a->inbound[i].cidr);
	for (uint32_t i = 0; i < a->n_outbound; i++)
		if (!a->outbound[i].ipv6)
			bound_cidr(b, a->outbound[i].cidr);
}

/* The bounds of the groups' ingress CIDRs and prefix lists; a list named
 * by many rules is expanded once (issue 15: its blocks cost what it holds,
 * not that times the rules naming it). */
static void bound_groups(struct bounds *b, const struct model *m,
			 const uint32_t *g, uint32_t n)
{
	uint32_t *lists = NULL, nl = 0;
	for (uint32_t k = 0; k < n; k++) {
		const struct model_security_group *sg = &m->groups[g[k]];
		for (uint32_t i = 0; i < sg->n_ingress; i++) {
			const struct model_sg_rule *r = &sg->ingress[i];
			if (r->peer_kind == PEER_CIDR) {
				bound_cidr(b, r->cidr);
			} else if (r->peer_kind == PEER_PREFIX_LIST) {
				lists = xreallocarray(lists, nl + 1,
						      sizeof(*lists));
				lists[nl++] = r->peer;
			}
		}
	}
	if (nl > 1)
		qsort(lists, nl, sizeof(*lists), u32_cmp);
	for (uint32_t k = 0; k < nl; k++) {
		if (k && lists[k] == lists[k - 1])
			continue;
		const struct model_prefix_list *p = &m->prefix_lists[lists[k]];
		for (uint32_t c = 0; c < p->n_cidrs; c++)
			bound_cidr(b, p->cidrs[c]);
	}
	free(lists);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/*
 * The atoms of public space that placement p's own rules tell apart: its
 * subnet's NACL and route table, its groups' ingress rules, and for a load
 * balancer (whose targets may see the client's address) every NACL and
 * group of its VPC.  Writes one representative address per atom and its
 * range; returns the count (the caller frees *reps and *ranges).
 */
/* The run of VPC v's objects in a by_vpc layout; *n their count. */
static const uint32_t *of_vpc(const struct model *m, const uint32_t *first,
			      const uint32_t *items, uint32_t v, uint32_t *n)
{
	uint32_t k = v < m->n[MK_VPC] ? v : m->n[MK_VPC];
	*n = first[k + 1] - first[k];
	return &items[first[k]];
}

uint32_t reach_internet_atoms(const struct reach_index *ix, uint32_t placement,
			      uint32_t **reps, struct reach_range **ranges)
{
	const struct model *m = ix->m;
	const struct model_placement *p = &m->placements[placement];
	const struct model_subnet *sn = &m->subnets[p->subnet];
	struct bounds b = {0};
	bound_nacl(&b, &m->nacls[sn->nacl]);
	const struct model_route_table *rt = &m->route_tables[sn->route_table];
	for (uint32_t i = 0; i < rt->n_routes; i++)
		if (!rt->routes[i].ipv6)
			bound_cidr(&b, rt->routes[i].dst);
	bound_groups(&b, m, p->groups, p->n_groups);
	if (p->kind == MK_LOAD_BALANCER) {
		uint32_t na, ng;
		const uint32_t *acls =
		    of_vpc(m, ix->vpc_nacl_first, ix->vpc_nacls, sn->vpc, &na);
		const uint32_t *gs = of_vpc(m, ix->vpc_group_first,
					    ix->vpc_groups, sn->vpc, &ng);
		for (uint32_t a = 0; a < na; a++)
			bound_nacl(&b, &m->nacls[acls[a]]);
		for (uint32_t g = 0; g < ng; g++)
			bound_groups(&b, m, &gs[g], 1);
	}
	/* 0 and 2^32 close the space. */
	bound_cidr(&b, (struct cidr){0, 0});
	qsort(b.v, b.n, sizeof(*b.v), u64_cmp);
	uint32_t u = 0;
	for (uint32_t i = 0; i < b.n; i++)
		if (!u || b.v[i] != b.v[u - 1])
			b.v[u++] = b.v[i];
	const struct model_vpc *v = &m->vpcs[sn->vpc];
	*reps = xcalloc(u, sizeof(uint32_t));
	*ranges = xcalloc(u, sizeof(struct reach_range));
	uint32_t n = 0;
	for (uint32_t i = 0; i + 1 < u; i++) {
		uint32_t lo = (uint32_t)b.v[i], hi = (uint32_t)(b.v[i + 1] - 1);
		uint32_t r;
		if (!atom_rep(lo, hi, v->cidrs, v->n_cidrs, &r))
			continue;
		(*reps)[n] = r;
		(*ranges)[n++] = (struct reach_range){lo, hi};
	}
	free(b.v);
	return n;
}

/* The 2000::/3 of global unicast addresses: the IPv6 internet. */
static const struct cidr6 global6 = {{0x20}, 3};

uint32_t reach_internet_atoms6(const struct reach_index *ix, uint32_t placement,
			       uint8_t (**reps)[16],
			       struct reach_range6 **ranges)
{
	const struct model *m = ix->m;
	const struct model_placement *p = &m->placements[placement];
	const struct model_subnet *sn = &m->subnets[p->subnet];
	const struct model_vpc *vpc = &m->vpcs[sn->vpc];
	struct blocks6 b = {0};
	nacl6(&b, &m->nacls[sn->nacl]);
	routes6(&b, &m->route_tables[sn->route_table]);
	groups6(&b, m, p->groups, p->n_groups, false);
	if (p->kind == MK_LOAD_BALANCER) {
		uint32_t na, ng;
		const uint32_t *acls =
		    of_vpc(m, ix->vpc_nacl_first, ix->vpc_nacls, sn->vpc, &na);
		const uint32_t *gs = of_vpc(m, ix->vpc_group_first,
					    ix->vpc_groups, sn->vpc, &ng);
		for (uint32_t a = 0; a < na; a++)
			nacl6(&b, &m->nacls[acls[a]]);
		for (uint32_t g = 0; g < ng; g++)
			groups6(&b, m, &gs[g], 1, false);
	}
	/* The internet's own edges and the VPC's blocks cut it too, so
	 * that every atom lies wholly inside or outside each. */
	push6(&b, global6);
	for (uint32_t i = 0; i < vpc->n_cidrs6; i++)
		push6(&b, vpc->cidrs6[i]);
	struct u128 *cut = xcalloc(2 * (size_t)b.n + 1, sizeof(*cut));
	uint32_t nc = 0;
	cut[nc++] = (struct u128){0, 0};
	for (uint32_t i = 0; i < b.n; i++) {
		struct u128 first, after;
		bool top;
		cidr6_bounds(b.v[i], &first, &after, &top);
		cut[nc++] = first;
		if (!top)
			cut[nc++] = after;
	}
	qsort(cut, nc, sizeof(*cut), u128_qcmp);
	uint32_t u = 0;
	for (uint32_t i = 0; i < nc; i++)
		if (!u || u128_cmp(cut[i], cut[u - 1]))
			cut[u++] = cut[i];
	*reps = xcalloc(u, sizeof(**reps));
	*ranges = xcalloc(u, sizeof(**ranges));
	uint32_t n = 0;
	for (uint32_t i = 0; i < u; i++) {
		uint8_t lo[16], hi[16];
		u128_bytes(cut[i], lo);
		if (i + 1 < u) {
			struct u128 h = cut[i + 1];
			h.hi -= h.lo == 0;
			h.lo--;
			u128_bytes(h, hi);
		} else {
			memset(hi, 0xff, 16);
		}
		bool inside = model_cidr6_has(global6, lo);
		for (uint32_t k = 0; k < vpc->n_cidrs6 && inside; k++)
			inside = !model_cidr6_has(vpc->cidrs6[k], lo);
		if (!inside)
			continue;
		memcpy((*reps)[n], lo, 16);
		memcpy((*ranges)[n].lo, lo, 16);
		memcpy((*ranges)[n].hi, hi, 16);
		n++;
	}
	free(cut);
	free(b.v);
	return n;
}

/* ---- tables ------------------------------------------------------------ */

static void row_free(struct reach_row *r)
{
	ports_free(&r->all);
	ports_free(&r->some);
	ports_free(&r->fwd_served);
	ports_free(&r->fwd_failed);
	ports_free(&r->fwd_unhealthy);
	free(r->sources);
	free(r->sources6);
}

void reach_table_free(struct reach_table *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->n; i++)
		row_free(&t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static struct reach_row *new_row(struct reach_table *t, struct reach_node src,
				 struct reach_node dst, enum proto proto)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->rows = xreallocarray(t->rows, t->cap, sizeof(*t->rows));
	}
	struct reach_row *r = &t->rows[t->n++];
	memset(r, 0, sizeof(*r));
	r->src = src;
	r->dst = dst;
	r->proto = proto;
	return r;
}

/* Folds one pair's forward sets (sim_ports) into a row. */
static void fold_forward_sets(struct reach_row *r, const struct sim_result *res)
{
	struct ports healthy_fails = PORTS_INIT;
	ports_union(&r->fwd_served, &r->fwd_served, &res->fwd_works);
	ports_diff(&healthy_fails, &res->fwd_fails, &res->fwd_unhealthy);
	ports_union(&r->fwd_failed, &r->fwd_failed, &healthy_fails);
	ports_union(&r->fwd_unhealthy, &r->fwd_unhealthy, &res->fwd_unhealthy);
	r->fwd_degraded |= res->fwd.degraded && res->fwd.paths_ok;
	if (res->fwd.unknown && !r->fwd_unknown)
		r->fwd_unknown = res->fwd.unknown;
	ports_free(&healthy_fails);
}

/*
 * Settles the forward sets of a table's load-balancer rows: a node with no
 * healthy target fails its clients, unless it is an NLB's and another
 * node serves, since the name's DNS answer then leaves it out (§8).
 */
static void finish_forwards(struct reach_table *t, const struct model *m)
{
	for (uint32_t i = 0; i < t->n; i++) {
		struct reach_row *r = &t->rows[i];
		const struct reach_node *lb =
		    r->dst.kind == RN_RESOURCE &&
			    r->dst.rkind == MK_LOAD_BALANCER
			? &r->dst
			: NULL;
		if (lb && m->lbs[lb->rindex].type == LB_NETWORK)
			ports_diff(&r->fwd_unhealthy, &r->fwd_unhealthy,
				   &r->fwd_served);
		ports_union(&r->fwd_failed, &r->fwd_failed, &r->fwd_unhealthy);
		ports_free(&r->fwd_unhealthy);
	}
}

/* Folds one placement pair's ports into a row. */
static void fold(struct reach_row *r, const struct ports *p,
		 const struct sim_result *res)
{
	if (r->pairs++ == 0) {
		ports_copy(&r->all, p);
		ports_copy(&r->some, p);
	} else {
		ports_intersect(&r->all, &r->all, p);
		ports_union(&r->some, &r->some, p);
	}
	if (!ports_empty(p) && res->degraded)
		r->degraded = true;
	if (res->block != BLK_NONE && r->block == BLK_NONE)
		r->block = res->block;
	if (res->unknown && !r->unknown)
		r->unknown = res->unknown;
	fold_forward_sets(r, res);
}

/* Adds [lo, hi] to the row's sorted, merged source ranges. */
static void add_source_range(struct reach_row *r, struct reach_range x)
{
	uint32_t n = r->n_sources, i = 0;
	struct reach_range *v = xreallocarray(r->sources, n + 1, sizeof(*v));
	while (i < n && v[i].hi < x.lo && v[i].hi + 1 != x.lo)
		i++;
	/* v[i..] may touch x: absorb them. */
	uint32_t k = i;
	while (k < n && (uint64_t)v[k].lo <= (uint64_t)x.hi + 1) {
		if (v[k].lo < x.lo)
			x.lo = v[k].lo;
		if (v[k].hi > x.hi)
			x.hi = v[k].hi;
		k++;
	}
	memmove(&v[i + 1], &v[k], (n - k) * sizeof(*v));
	v[i] = x;
	r->sources = v;
	r->n_sources = n - (k - i) + 1;
}

/* Adds an IPv6 range to the row's sources: atoms come in address order,
 * so a range is appended, or merged with the last one it touches. */
static void add_source_range6(struct reach_row *r, const struct reach_range6 *x)
{
	if (r->n_sources6) {
		struct reach_range6 *last = &r->sources6[r->n_sources6 - 1];
		struct u128 h = u128_of(last->hi), l = u128_of(x->lo);
		h.lo++;
		h.hi += h.lo == 0;
		if (!u128_cmp(h, l)) {
			memcpy(last->hi, x->hi, 16);
			return;
		}
	}
	r->sources6 =
	    xreallocarray(r->sources6, r->n_sources6 + 1, sizeof(*r->sources6));
	r->sources6[r->n_sources6++] = *x;
}

static struct reach_node resource_node(const struct model_placement *p)
{
	return (struct reach_node){
	    .kind = RN_RESOURCE, .rkind = p->kind, .rindex = p->index};
}

/* Row lookup by resource: one slot per (kind, index). */
struct slots {
	uint32_t *v[MK_KIND_COUNT];
};

static void slots_init(struct slots *s, const struct model *m)
{
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		s->v[k] = xcalloc(m->n[k], sizeof(uint32_t));
		for (uint32_t i = 0; i < m->n[k]; i++)
			s->v[k][i] = MODEL_NONE;
	}
}

static void slots_free(struct slots *s)
{
	for (int k = 0; k < MK_KIND_COUNT; k++)
		free(s->v[k]);
}

static struct reach_row *slot_row(struct slots *sl, struct reach_table *t,
				  const struct model_placement *p,
				  struct reach_node other, bool other_is_src,
				  enum proto proto)
{
	uint32_t *slot = &sl->v[p->kind][p->index];
	if (*slot == MODEL_NONE) {
		*slot = t->n;
		struct reach_node me = resource_node(p);
		new_row(t, other_is_src ? other : me, other_is_src ? me : other,
			proto);
	}
	return &t->rows[*slot];
}

/* Drops rows that reach nothing, keeping order. */
static void prune(struct reach_table *t)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		if (ports_empty(&t->rows[i].some)) {
			row_free(&t->rows[i]);
			continue;
		}
		t->rows[k++] = t->rows[i];
	}
	t->n = k;
}

/* Unions one atom's forward sets into the aggregate of all atoms. */
static void fold_forward_result(struct sim_result *agg,
				const struct sim_result *res)
{
	ports_union(&agg->fwd_works, &agg->fwd_works, &res->fwd_works);
	ports_union(&agg->fwd_fails, &agg->fwd_fails, &res->fwd_fails);
	ports_union(&agg->fwd_unhealthy, &agg->fwd_unhealthy,
		    &res->fwd_unhealthy);
	/* What fold_forward_sets reads: a degraded forward that serves,
	 * and what the forward depends on. */
	if (res->fwd.degraded && res->fwd.paths_ok) {
		agg->fwd.degraded = true;
		agg->fwd.paths_ok = 1;
	}
	if (res->fwd.unknown && !agg->fwd.unknown)
		agg->fwd.unknown = res->fwd.unknown;
}

/*
 * The internet -> one placement: the union over the atoms of public space
 * of the ports each reaches.  Reaching atoms' ranges go to *src_rows (each
 * of n_rows rows); *all_atoms says whether every atom reaches.
 */
static void internet_to(const struct reach_index *ix, uint32_t placement,
			enum proto proto, bool v6, struct ports *acc,
			struct sim_result *agg, struct reach_row **src_rows,
			uint32_t n_rows, bool *all_atoms)
{
	const struct model *m = ix->m;
	const struct model_placement *pl = &m->placements[placement];
	struct sim_ep dst = {
	    .kind = EP_PLACEMENT, .placement = placement, .v6 = v6};
	struct ports p = PORTS_INIT;
	struct sim_result res;
	ports_clear(acc);
	memset(agg, 0, sizeof(*agg));
	*all_atoms = false;
	if (v6 ? !pl->has_ipv6 || !pl->ipv6_public : !pl->has_public) {
		/* Every atom stops at the same step: one evaluation says
		 * which. */
		struct sim_ep src = {
		    .kind = EP_INTERNET, .addr = SIM_INTERNET_ADDR, .v6 = v6};
		memcpy(src.addr6, sim_internet6, 16);
		sim_ports(ix->s, &src, &dst, proto, acc, agg);
		ports_free(&agg->denied);
		return;
	}
	uint32_t *reps = NULL, n_ok = 0, n_atoms;
	struct reach_range *ranges = NULL;
	uint8_t(*reps6)[16] = NULL;
	struct reach_range6 *ranges6 = NULL;
	if (v6)
		n_atoms =
		    reach_internet_atoms6(ix, placement, &reps6, &ranges6);
	else
		n_atoms = reach_internet_atoms(ix, placement, &reps, &ranges);
	for (uint32_t a = 0; a < n_atoms; a++) {
		struct sim_ep src = {.kind = EP_INTERNET, .v6 = v6};
		if (v6)
			memcpy(src.addr6, reps6[a], 16);
		else
			src.addr = reps[a];
		sim_ports(ix->s, &src, &dst, proto, &p, &res);
		fold_forward_result(agg, &res);
		if (!ports_empty(&p)) {
			n_ok++;
			ports_union(acc, acc, &p);
			agg->degraded |= res.degraded;
			for (uint32_t k = 0; k < n_rows; k++)
				if (v6)
					add_source_range6(src_rows[k],
							  &ranges6[a]);
				else
					add_source_range(src_rows[k],
							 ranges[a]);
		} else if (agg->block == BLK_NONE) {
			agg->block = res.block;
		}
		if (res.unknown && !agg->unknown)
			agg->unknown = res.unknown;
		sim_result_free(&res);
	}
	*all_atoms = n_atoms && n_ok == n_atoms;
	ports_free(&p);
	free(reps);
	free(ranges);
	free(reps6);
	free(ranges6);
}

/*
 * The resources all of whose placements are in one class (lone[kind]
 * [index]), for internet_to_class: a table without empty rows drops such
 * a resource's row when its class reaches nothing, so the row need not
 * be made.  Rows made are in the same order (a resource's row comes at
 * its first class), since only rows that would be dropped are left out.
 */
struct lone {
	bool *v[MK_KIND_COUNT];
};

static void lone_init(struct lone *l, const struct reach_index *ix)
{
	const struct model *m = ix->m;
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		l->v[k] = xcalloc(m->n[k] + 1, sizeof(bool));
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t np;
			const struct model_placement *p =
			    model_placements(m, k, i, &np);
			bool one = np > 0;
			for (uint32_t j = 1; j < np && one; j++)
				one = ix->class_of[&p[j] - m->placements] ==
				      ix->class_of[p - m->placements];
			l->v[k][i] = one;
		}
	}
}

static void lone_free(struct lone *l)
{
	for (int k = 0; k < MK_KIND_COUNT; k++)
		free(l->v[k]);
}

/* Internet -> every member of class c, through its representative; over
 * IPv6 when v6.  With lone (a table without empty rows), a class that
 * reaches nothing and whose members' resources are in no other class
 * makes no rows. */
static void internet_to_class(const struct reach_index *ix, uint32_t c,
			      enum proto proto, bool v6, struct slots *sl,
			      struct reach_table *t, const struct lone *lone)
{
	const struct model *m = ix->m;
	struct reach_node inet = {.kind = RN_INTERNET};
	uint32_t n = ix->cnt[c];
	bool all_lone = lone != NULL;
	for (uint32_t k = 0; k < n && all_lone; k++) {
		const struct model_placement *q =
		    &m->placements[ix->members[ix->first[c] + k]];
		all_lone = lone->v[q->kind][q->index];
	}
	if (all_lone) {
		struct ports acc = PORTS_INIT;
		struct sim_result agg;
		bool all_atoms;
		internet_to(ix, ix->rep[c], proto, v6, &acc, &agg, NULL, 0,
			    &all_atoms);
		bool empty = ports_empty(&acc);
		sim_result_free(&agg);
		ports_free(&acc);
		if (empty)
			return;
	}
	struct reach_row **rows = xcalloc(n, sizeof(*rows));
	/* Rows first: one per member resource (slot_row may move them). */
	for (uint32_t k = 0; k < n; k++)
		slot_row(sl, t, &m->placements[ix->members[ix->first[c] + k]],
			 inet, true, proto);
	for (uint32_t k = 0; k < n; k++) {
		const struct model_placement *q =
		    &m->placements[ix->members[ix->first[c] + k]];
		rows[k] = &t->rows[sl->v[q->kind][q->index]];
	}
	struct ports acc = PORTS_INIT;
	struct sim_result agg;
	bool all_atoms;
	for (uint32_t k = 0; k < n; k++)
		rows[k]->ipv6 = v6;
	internet_to(ix, ix->rep[c], proto, v6, &acc, &agg, rows, n, &all_atoms);
	for (uint32_t k = 0; k < n; k++) {
		fold(rows[k], &acc, &agg);
		rows[k]->any_source |= all_atoms;
	}
	sim_result_free(&agg);
	ports_free(&acc);
	free(rows);
}

void reach_from(struct reach_table *out, const struct reach_index *ix,
		const struct sim_sel *src, enum proto proto, bool keep_empty)
{
	const struct model *m = ix->m;
	struct slots sl;
	slots_init(&sl, m);
	memset(out, 0, sizeof(*out));
	if (src->kind == SEL_INTERNET &&
	    (src->v6 ? !memcmp(src->addr6, sim_internet6, 16)
		     : src->addr == SIM_INTERNET_ADDR)) {
		struct lone lone;
		if (!keep_empty)
			lone_init(&lone, ix);
		for (uint32_t c = 0; c < ix->n_classes; c++)
			internet_to_class(ix, c, proto, src->v6, &sl, out,
					  keep_empty ? NULL : &lone);
		if (!keep_empty)
			lone_free(&lone);
		goto out;
	}
	uint32_t ns;
	struct sim_ep *srcs = sim_sel_endpoints(ix->s, src, &ns);
	struct reach_node snode;
	if (src->kind == SEL_INTERNET)
		snode = (struct reach_node){.kind = RN_INTERNET};
	else if (src->kind == SEL_RESOURCE || src->kind == SEL_PLACEMENT)
		snode = (struct reach_node){.kind = RN_RESOURCE,
					    .rkind = src->rkind,
					    .rindex = src->rindex};
	else
		snode = (struct reach_node){.kind = RN_RESOURCE,
					    .rkind = MK_KIND_COUNT};
	struct ports p = PORTS_INIT;
	struct sim_result res;
	/* Rows for the internet and the AWS services come first (the
	 * services are asked over IPv4 only). */
	if (srcs[0].kind != EP_INTERNET) {
		static const enum sim_service svcs[] = {SVC_ECR, SVC_S3,
							SVC_LOGS};
		size_t n_svcs = src->v6 ? 0 : ARRAY_LEN(svcs);
		new_row(out, snode, (struct reach_node){.kind = RN_INTERNET},
			proto)
		    ->ipv6 = src->v6;
		for (size_t k = 0; k < n_svcs; k++)
			new_row(out, snode,
				(struct reach_node){.kind = RN_SERVICE,
						    .service = svcs[k]},
				proto);
		for (uint32_t i = 0; i < ns; i++) {
			struct sim_ep inet = {.kind = EP_INTERNET,
					      .addr = SIM_INTERNET_ADDR,
					      .v6 = src->v6};
			memcpy(inet.addr6, sim_internet6, 16);
			sim_ports(ix->s, &srcs[i], &inet, proto, &p, &res);
			fold(&out->rows[0], &p, &res);
			sim_result_free(&res);
			for (size_t k = 0; k < n_svcs; k++) {
				struct sim_ep svc = {.kind = EP_SERVICE,
						     .service = svcs[k]};
				sim_ports(ix->s, &srcs[i], &svc, proto, &p,
					  &res);
				fold(&out->rows[1 + k], &p, &res);
				sim_result_free(&res);
			}
		}
	}
	for (uint32_t i = 0; i < ns; i++) {
		for (uint32_t c = 0; c < ix->n_classes; c++) {
			struct sim_ep dst = {.kind = EP_PLACEMENT,
					     .placement = ix->rep[c],
					     .v6 = src->v6};
			sim_ports(ix->s, &srcs[i], &dst, proto, &p, &res);
			for (uint32_t k = 0; k < ix->cnt[c]; k++) {
				const struct model_placement *q =
				    &m->placements[ix->members[ix->first[c] +
							       k]];
				struct reach_row *row =
				    slot_row(&sl, out, q, snode, true, proto);
				row->ipv6 = src->v6;
				fold(row, &p, &res);
			}
			sim_result_free(&res);
		}
	}
	ports_free(&p);
	free(srcs);
out:
	finish_forwards(out, m);
	if (!keep_empty)
		prune(out);
	slots_free(&sl);
}

void reach_to(struct reach_table *out, const struct reach_index *ix,
	      const struct sim_sel *dst, enum proto proto, bool keep_empty)
{
	const struct model *m = ix->m;
	struct slots sl;
	slots_init(&sl, m);
	memset(out, 0, sizeof(*out));
	uint32_t nd;
	struct sim_ep *dsts = sim_sel_endpoints(ix->s, dst, &nd);
	struct reach_node dnode;
	if (dst->kind == SEL_SERVICE)
		dnode = (struct reach_node){.kind = RN_SERVICE,
					    .service = dst->service};
	else if (dst->kind == SEL_INTERNET)
		dnode = (struct reach_node){.kind = RN_INTERNET};
	else
		dnode = (struct reach_node){.kind = RN_RESOURCE,
					    .rkind = dst->rkind,
					    .rindex = dst->rindex};
	struct ports p = PORTS_INIT;
	struct sim_result res;
	/* The internet first, through the atoms of each destination. */
	if (dst->kind == SEL_RESOURCE || dst->kind == SEL_PLACEMENT) {
		struct reach_row *r =
		    new_row(out, (struct reach_node){.kind = RN_INTERNET},
			    dnode, proto);
		struct ports acc = PORTS_INIT;
		struct sim_result agg;
		for (uint32_t j = 0; j < nd; j++) {
			bool all_atoms;
			internet_to(ix, dsts[j].placement, proto, false, &acc,
				    &agg, &r, 1, &all_atoms);
			fold(r, &acc, &agg);
			r->any_source |= all_atoms;
			sim_result_free(&agg);
		}
		/* The IPv6 internet, when the destination has an address
		 * it may reach (§2, §6). */
		bool any6 = false;
		for (uint32_t j = 0; j < nd; j++)
			any6 |= m->placements[dsts[j].placement].has_ipv6 &&
				m->placements[dsts[j].placement].ipv6_public;
		for (uint32_t j = 0; any6 && j < nd; j++) {
			bool all_atoms;
			if (!j) {
				r = new_row(
				    out,
				    (struct reach_node){.kind = RN_INTERNET},
				    dnode, proto);
				r->ipv6 = true;
			}
			internet_to(ix, dsts[j].placement, proto, true, &acc,
				    &agg, &r, 1, &all_atoms);
			fold(r, &acc, &agg);
			r->any_source |= all_atoms;
			sim_result_free(&agg);
		}
		ports_free(&acc);
	}
	for (uint32_t c = 0; c < ix->n_classes; c++) {
		struct sim_ep src = {.kind = EP_PLACEMENT,
				     .placement = ix->rep[c]};
		for (uint32_t j = 0; j < nd; j++) {
			sim_ports(ix->s, &src, &dsts[j], proto, &p, &res);
			for (uint32_t k = 0; k < ix->cnt[c]; k++) {
				const struct model_placement *q =
				    &m->placements[ix->members[ix->first[c] +
							       k]];
				fold(slot_row(&sl, out, q, dnode, false, proto),
				     &p, &res);
			}
			sim_result_free(&res);
		}
	}
	ports_free(&p);
	free(dsts);
	finish_forwards(out, m);
	if (!keep_empty)
		prune(out);
	slots_free(&sl);
}

const char *reach_node_name(const struct sim *s, const struct reach_node *n)
{
	switch (n->kind) {
	case RN_INTERNET:
		return "internet";
	case RN_SERVICE:
		return sim_service_name(n->service);
	case RN_RESOURCE:
		if (n->rkind >= MK_KIND_COUNT)
			return "?";
		return model_object(sim_model(s), n->rkind, n->rindex)->id;
	}
	return "?";
}

const char *reach_row_src_name(const struct sim *s, const struct reach_row *r)
{
	if (r->ipv6 && r->src.kind == RN_INTERNET)
		return "internet6";
	return reach_node_name(s, &r->src);
}

const char *reach_row_dst_name(const struct sim *s, const struct reach_row *r)
{
	if (r->ipv6 && r->dst.kind == RN_INTERNET)
		return "internet6";
	return reach_node_name(s, &r->dst);
}

enum sim_verdict reach_row_verdict(const struct reach_row *r)
{
	if (ports_empty(&r->some))
		return VERDICT_NONE;
	return ports_equal(&r->all, &r->some) ? VERDICT_ALL : VERDICT_SOME;
}

/* ---- forwards -------------------------------------------------------- */

/* Folds one forward into its target's row: served ports into some, the
 * others into the row's failing set (all is some minus it, at the end). */
static void fold_forward(struct reach_row *r, struct ports *fail,
			 const struct sim_fwd *f,
			 const struct sim_fwd_check *ck)
{
	uint16_t port = f->traffic.port;
	r->pairs++;
	ports_add(ck->works ? &r->some : fail, port, port);
	if (ck->works && ck->degraded)
		r->degraded = true;
	if (!ck->works && r->block == BLK_NONE)
		r->block = ck->res.block != BLK_NONE
			       ? ck->res.block
			       : BLK_NO_HEALTHY_TARGET_PATH;
	if (ck->res.unknown && !r->unknown)
		r->unknown = ck->res.unknown;
}

void reach_forwards(struct reach_table *out, const struct reach_index *ix,
		    uint32_t lb, enum proto proto)
{
	const struct model *m = ix->m;
	const uint32_t *client = sim_lb_default_client(m, lb);
	struct reach_node src = {
	    .kind = RN_RESOURCE, .rkind = MK_LOAD_BALANCER, .rindex = lb};
	struct sim_fwds fw = {0};
	struct slots sl;
	slots_init(&sl, m);
	memset(out, 0, sizeof(*out));
	uint32_t nn;
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, lb, &nn);
	for (uint32_t li = 0; li < m->lbs[lb].n_listeners; li++)
		for (uint32_t n = 0; n < nn; n++)
			sim_lb_forwards(m, lb, li,
					(uint32_t)(&nodes[n] - m->placements),
					&fw);
	struct ports *fail = xcalloc(fw.n + 1, sizeof(*fail));
	for (uint32_t i = 0; i < fw.n; i++) {
		const struct sim_fwd *f = &fw.v[i];
		if (f->target.placement == MODEL_NONE ||
		    f->traffic.proto != proto)
			continue;
		struct sim_fwd_check ck;
		const struct model_placement *q =
		    &m->placements[f->target.placement];
		struct reach_row *r = slot_row(&sl, out, q, src, true, proto);
		sim_forward_check(ix->s, f, client, &ck, NULL);
		fold_forward(r, &fail[r - out->rows], f, &ck);
		sim_result_free(&ck.res);
	}
	for (uint32_t i = 0; i < out->n; i++) {
		ports_diff(&out->rows[i].all, &out->rows[i].some, &fail[i]);
		ports_free(&fail[i]);
	}
	free(fail);
	sim_fwds_free(&fw);
	prune(out);
	slots_free(&sl);
}

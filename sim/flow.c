/*
 * One connection, step by step (semantics §3-§12).
 *
 * A connection is evaluated in the order a packet meets the controls:
 * source security-group egress, source subnet NACL out, the route and the
 * gateway it leads to, destination subnet NACL in, destination group
 * ingress, the listener or service port, then the reply through both NACLs
 * again (they are stateless, §5; groups are stateful, §4).  Evaluation
 * stops at the first step that blocks, since the packet goes no further.
 *
 * Text is only made when the caller passes a trace: the verdict alone
 * costs a few rule scans, which is what large reachability queries need.
 *
 * With a trace, every step that blocks, and every reply step that lets
 * only part of the client's ephemeral range through (degraded), also says
 * why in plain words and what to change (struct sim_fix, sim/fix.c): the
 * explain_* functions, called where the step is made, which know the
 * rule and the peer.  A reply verdict that blocks for too few ports
 * blocks at that partial step (no step is added after it).  The fixes
 * read the same model as the verdict and never change it; explain_rest
 * gives any blocking step left without an explanation a plain one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/lpm.h"
#include "base/strbuf.h"
#include "base/util.h"
#include "model/values.h"
#include "sim/fix.h"
#include "sim/lpm6.h"
#include "sim/sim.h"

/* A prefix list's IPv4 blocks as sorted, disjoint, non-touching
 * intervals: a rule naming the list matches an address by one binary
 * search, whatever the number of blocks (issue 15). */
struct pl_index {
	uint32_t *lo, *hi;
	uint32_t n;
};

struct sim {
	const struct model *m;
	struct lpm **rt_lpm; /* per route table: value = route index */
	/* per route table, its IPv6 routes (§2, §3); NULL when it has
	 * none: IPv4 lookups never touch these */
	struct lpm6 **rt_lpm6;
	struct pl_index *pl; /* per prefix list */
};

const uint8_t sim_internet6[16] = {
    0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 7};

/* ---- building ------------------------------------------------------- */

static int span_lo_cmp(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* The list's blocks merged into intervals, once per engine. */
static void pl_index_build(struct pl_index *x,
			   const struct model_prefix_list *p)
{
	uint64_t(*v)[2] = xcalloc(p->n_cidrs + 1, sizeof(*v));
	uint32_t n = 0;
	for (uint32_t i = 0; i < p->n_cidrs; i++)
		if (p->cidrs[i].len <= 32) {
			v[n][0] = p->cidrs[i].addr & cidr_mask(p->cidrs[i].len);
			v[n][1] = cidr_last(p->cidrs[i]);
			n++;
		}
	if (n > 1)
		qsort(v, n, sizeof(*v), span_lo_cmp);
	x->lo = xcalloc(n + 1, sizeof(uint32_t));
	x->hi = xcalloc(n + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		if (x->n && v[i][0] <= (uint64_t)x->hi[x->n - 1] + 1) {
			if (v[i][1] > x->hi[x->n - 1])
				x->hi[x->n - 1] = (uint32_t)v[i][1];
			continue;
		}
		x->lo[x->n] = (uint32_t)v[i][0];
		x->hi[x->n++] = (uint32_t)v[i][1];
	}
	free(v);
}

static bool pl_index_has(const struct pl_index *x, uint32_t a)
{
	uint32_t lo = 0, hi = x->n; /* the first interval ending at or
				       after a */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (x->hi[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->n && x->lo[lo] <= a;
}

int sim_new(struct sim **out, const struct model *m)
{
	struct sim *s = xcalloc(1, sizeof(*s));
	s->m = m;
	s->rt_lpm = xcalloc(m->n[MK_ROUTE_TABLE], sizeof(*s->rt_lpm));
	s->rt_lpm6 = xcalloc(m->n[MK_ROUTE_TABLE], sizeof(*s->rt_lpm6));
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++) {
		const struct model_route_table *rt = &m->route_tables[t];
		s->rt_lpm[t] = lpm_new();
		/* Routes are in match order, longest first; insert in reverse
		 * so that for equal prefixes the earlier route wins. */
		for (uint32_t r = rt->n_routes; r-- > 0;) {
			if (!rt->routes[r].ipv6) {
				lpm_insert(s->rt_lpm[t], rt->routes[r].dst, r);
				continue;
			}
			if (!s->rt_lpm6[t])
				s->rt_lpm6[t] = lpm6_new();
			lpm6_insert(s->rt_lpm6[t], rt->routes[r].dst6, r);
		}
	}
	s->pl = xcalloc(m->n[MK_PREFIX_LIST] + 1, sizeof(*s->pl));
	for (uint32_t p = 0; p < m->n[MK_PREFIX_LIST]; p++)
		pl_index_build(&s->pl[p], &m->prefix_lists[p]);
	*out = s;
	return 0;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	for (uint32_t t = 0; t < s->m->n[MK_ROUTE_TABLE]; t++) {
		lpm_free(s->rt_lpm[t]);
		lpm6_free(s->rt_lpm6[t]);
	}
	free(s->rt_lpm);
	free(s->rt_lpm6);
	for (uint32_t p = 0; p < s->m->n[MK_PREFIX_LIST]; p++) {
		free(s->pl[p].lo);
		free(s->pl[p].hi);
	}
	free(s->pl);
	free(s);
}

const struct model *sim_model(const struct sim *s)
{
	return s->m;
}

/* ---- names ---------------------------------------------------------- */

const char *sim_block_name(enum sim_block b)
{
	static const char *const names[] = {
	    "",
	    "sg-egress",
	    "nacl-out",
	    "route",
	    "no-route",
	    "blackhole",
	    "no-igw",
	    "no-public-ip",
	    "nat-not-public",
	    "nacl-in",
	    "sg-ingress",
	    "nacl-reply-out",
	    "nacl-reply-in",
	    "not-listening",
	    "no-healthy-target-path",
	    "unknown",
	};
	return b <= BLK_UNKNOWN ? names[b] : "unknown";
}

const char *sim_step_name(enum sim_step_kind k)
{
	static const char *const names[] = {
	    "sg-egress",      "nacl-out",      "route",	   "gateway",
	    "nacl-in",	      "sg-ingress",    "listener", "forward",
	    "nacl-reply-out", "nacl-reply-in", "note",
	};
	return k <= SK_NOTE ? names[k] : "note";
}

const char *sim_service_name(enum sim_service s)
{
	switch (s) {
	case SVC_ECR:
		return "aws:ecr";
	case SVC_S3:
		return "aws:s3";
	case SVC_LOGS:
		return "aws:logs";
	case SVC_NONE:
		break;
	}
	return "aws:?";
}

/* ---- traces and results ---------------------------------------------- */

void sim_trace_init(struct sim_trace *t)
{
	t->steps = NULL;
	t->n = t->cap = 0;
}

void sim_trace_free(struct sim_trace *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->n; i++) {
		free(t->steps[i].text);
		free(t->steps[i].hint);
		free(t->steps[i].why);
		sim_fix_free(t->steps[i].fix);
		free(t->steps[i].fix);
	}
	free(t->steps);
	sim_trace_init(t);
}

void sim_result_free(struct sim_result *r)
{
	if (!r)
		return;
	ports_free(&r->denied);
	ports_free(&r->fwd_works);
	ports_free(&r->fwd_fails);
	ports_free(&r->fwd_unhealthy);
}

/*
 * An address as the steps compare it with rules and routes: IPv4 in v4,
 * or IPv6 in b when v6.  A connection is of one family (§2): every
 * address in it is of that family, and a rule or route of the other
 * never matches.
 */
struct ip {
	bool v6;
	uint32_t v4;
	uint8_t b[16];
};

static struct ip ip4(uint32_t a)
{
	return (struct ip){.v4 = a};
}

static struct ip ip6(const uint8_t b[16])
{
	struct ip a = {.v6 = true};
	memcpy(a.b, b, 16);
	return a;
}

/* buf of CIDR6_STRLEN. */
static void ip_str(char *buf, const struct ip *a)
{
	if (a->v6)
		model_addr6_format(buf, a->b);
	else
		addr_format(buf, a->v4);
}

static bool ip_in4(struct cidr c, const struct ip *a)
{
	return !a->v6 && cidr_contains_addr(c, a->v4);
}

static bool ip_in6(struct cidr6 c, const struct ip *a)
{
	return a->v6 && model_cidr6_has(c, a->b);
}

/* Endpoint facts the steps need, resolved once per connection. */
struct epi {
	const struct sim_ep *ep;
	bool in_vpc;
	/* private address in a VPC, else the public one; IPv6 in a
	 * connection of that family */
	struct ip addr;
	bool no_addr6; /* an IPv6 connection, a placement without IPv6 */
	uint32_t subnet, vpc;
	const uint32_t *groups;
	uint32_t n_groups;
	bool has_public;
	const char *public_why;
	const struct model_placement *pl; /* EP_PLACEMENT only */
	char name[160];
};

/* A forwarded connection's source as the target sees it (§8): the
 * client's address, and the groups of the load balancer that forwards it,
 * which target rules may name (§4). */
struct apparent {
	struct ip addr;
	const uint32_t *groups;
	uint32_t n_groups;
};

/* Appliances and NAT gateways one connection may pass on its way (§3, §7);
 * a longer chain is not followed (unknown). */
#define MAX_HOPS 4

struct conn {
	const struct sim *s;
	const struct model *m;
	struct sim_trace *t;
	struct sim_result *res;
	int depth;
	bool stopped;
	struct sim_flow flow;
	/* NLB client-IP preservation: the target sees this source. */
	const struct apparent *app;
	bool v6; /* the connection's family (§2) */
	/* The client's address as the destination sees it: what a load
	 * balancer's forward carries when it preserves it. */
	struct ip client_seen;
	/* The reply NACL that let through the fewest ephemeral ports when
	 * only part passed (§5): the block a degraded verdict names. */
	bool partial_set;
	bool partial_inbound;
	uint32_t partial_nacl, partial_got;
	int partial_step; /* its step in the trace, -1 without one */
	/* The ports a fix must open, when more than the flow's port: a
	 * forward to a dynamic host-port range must pass every port of it
	 * (§9); 0 and 0 otherwise. */
	uint16_t fix_lo, fix_hi;
	/* Context for a security group's why: how the packet came to its
	 * target (a load balancer's forward), or NULL. */
	const char *sg_note;
	/* The shape of the connection, for the NACL crossings a fix must
	 * open together (nacl_legs): its ends, the address it goes to on
	 * the internet, and the subnet of the NAT gateway it leaves
	 * through (MODEL_NONE: none).  Set with a trace only. */
	const struct epi *e_src, *e_dst;
	struct ip out_dst;
	bool to_public;
	uint32_t nat_subnet;
	/* Set mode (sim_ports): the ports still possible.  Port-dependent
	 * steps narrow it instead of deciding one port; a step blocks only
	 * when it empties the set.  NULL for one-port connections. */
	struct ports *acc;
	/* The subnets of the NAT gateways and appliances the way out to the
	 * internet passed, in order: the replies come back through them. */
	uint32_t hops[MAX_HOPS];
	uint32_t n_hops;
};

/* The numbers a rule's match covers for a flow protocol: ports for tcp and
 * udp, types for icmp; everything for protocol -1; nothing otherwise. */
static void match_range(const struct model_match *r, enum proto proto,
			struct ports *out)
{
	bool icmp = proto == PROTO_ICMP || proto == PROTO_ICMPV6;
	uint16_t top = icmp ? 255 : 65535;
	if (r->proto == PROTO_ALL) {
		ports_add(out, 0, top);
		return;
	}
	if (proto == PROTO_ALL || r->proto != proto)
		return;
	if (proto == PROTO_TCP || proto == PROTO_UDP)
		ports_add(out, r->port_lo, r->port_hi);
	else if (icmp && r->icmp_type >= 0)
		ports_add(out, (uint16_t)r->icmp_type, (uint16_t)r->icmp_type);
	else
		ports_add(out, 0, top);
}

/* A verdict that reads an object with unknown values says so (model.h). */
static void touch(struct conn *C, enum model_kind k, uint32_t i)
{
	if (C->res->unknown || k >= MK_KIND_COUNT || i >= C->m->n[k])
		return;
	const struct model_obj *o = model_object(C->m, k, i);
	if (o->n_unknowns)
		C->res->unknown = o->unknowns[0];
}

/* Set mode: narrows the possible ports; blocks when none is left. */
static void narrow(struct conn *C, const struct ports *allowed,
		   enum sim_step_kind kind, enum sim_block block);

/*
 * Appends a step.  A blocking step ends the connection: the first one is
 * the verdict.  text is formatted only with a trace.
 */
__attribute__((format(printf, 8, 9))) static void
step(struct conn *C, enum sim_step_kind kind, enum sim_block block,
     enum model_kind ck, uint32_t ci, uint32_t rule, struct src_loc loc,
     const char *f, ...)
{
	if (ck < MK_KIND_COUNT && ci < C->m->n[ck]) {
		const struct model_obj *o = model_object(C->m, ck, ci);
		/* The blocking component's unknown explains the verdict
		 * best; otherwise the first one met. */
		if (o->n_unknowns &&
		    (!C->res->unknown || (block != BLK_NONE && !C->stopped)))
			C->res->unknown = o->unknowns[0];
	}
	if (block != BLK_NONE && !C->stopped) {
		C->stopped = true;
		C->res->reachable = false;
		C->res->block = block;
		C->res->block_step = C->t ? (int)C->t->n : -1;
	}
	if (!C->t)
		return;
	struct sim_trace *t = C->t;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->steps = xreallocarray(t->steps, t->cap, sizeof(*t->steps));
	}
	struct sim_step *st = &t->steps[t->n++];
	va_list ap;
	va_start(ap, f);
	*st = (struct sim_step){
	    .kind = kind,
	    .block = block,
	    .depth = C->depth,
	    .comp_kind = ck,
	    .comp_index = ci,
	    .rule = rule,
	    .loc = loc,
	    .text = xvasprintf(f, ap),
	};
	va_end(ap);
}

/* Attaches a hint to the last step. */
static void hint(struct conn *C, char *h)
{
	if (C->t && C->t->n && h)
		C->t->steps[C->t->n - 1].hint = h;
	else
		free(h);
}

/* Attaches why (a paragraph in plain words) and fix to the last step,
 * which owns them; callers build them only with a trace. */
static void explain(struct conn *C, char *why, struct sim_fix *fix)
{
	if (C->t && C->t->n && !C->t->steps[C->t->n - 1].why) {
		struct sim_step *st = &C->t->steps[C->t->n - 1];
		st->why = why;
		st->fix = fix;
		return;
	}
	free(why);
	sim_fix_free(fix);
	free(fix);
}

static const struct src_loc no_loc = {NULL, 0, 0};

/* ---- endpoints ------------------------------------------------------ */

static void addr_str(char *buf, uint32_t a)
{
	addr_format(buf, a);
}

void sim_flow_format(char *buf, size_t size, struct sim_flow f)
{
	if (f.proto == PROTO_ALL)
		snprintf(buf, size, "all traffic");
	else if (f.proto == PROTO_ICMP)
		snprintf(buf, size, "icmp type %u", f.port);
	else
		snprintf(buf, size, "%s %u", proto_name(f.proto), f.port);
}

void sim_ep_format(char *buf, size_t size, const struct sim *s,
		   const struct sim_ep *ep)
{
	const struct model *m = s->m;
	char a[CIDR6_STRLEN];
	switch (ep->kind) {
	case EP_INTERNET:
		if (ep->v6)
			model_addr6_format(a, ep->addr6);
		else
			addr_str(a, ep->addr);
		snprintf(buf, size, "internet (%s)", a);
		return;
	case EP_SERVICE:
		snprintf(buf, size, "%s", sim_service_name(ep->service));
		return;
	case EP_ADDRESS:
		if (ep->v6)
			model_addr6_format(a, ep->addr6);
		else
			addr_str(a, ep->addr);
		snprintf(buf, size, "%s in %s", a,
			 m->subnets[ep->subnet].obj.id);
		return;
	case EP_PLACEMENT: {
		const struct model_placement *p = &m->placements[ep->placement];
		if (ep->v6 && p->has_ipv6)
			model_addr6_format(a, p->addr6);
		else if (ep->v6)
			snprintf(a, sizeof(a), "no IPv6 address");
		else
			addr_str(a, ep->via_public ? p->public_addr : p->addr);
		snprintf(buf, size, "%s@%s (%s%s)",
			 model_object(m, p->kind, p->index)->id,
			 m->subnets[p->subnet].obj.id,
			 ep->via_public ? "public " : "", a);
		return;
	}
	}
}

/* The end ep of a connection of family v6 (§2).  Its name is text for
 * the steps: made only when named (the connection has a trace). */
static void resolve(const struct sim *s, const struct sim_ep *ep, bool v6,
		    bool named, struct epi *e)
{
	const struct model *m = s->m;
	memset(e, 0, sizeof(*e));
	e->ep = ep;
	e->subnet = e->vpc = MODEL_NONE;
	switch (ep->kind) {
	case EP_INTERNET:
		e->addr = v6 ? ip6(ep->addr6) : ip4(ep->addr);
		break;
	case EP_SERVICE:
		break;
	case EP_ADDRESS:
		e->in_vpc = true;
		e->addr = v6 ? ip6(ep->addr6) : ip4(ep->addr);
		e->subnet = ep->subnet;
		e->vpc = m->subnets[ep->subnet].vpc;
		break;
	case EP_PLACEMENT: {
		const struct model_placement *p = &m->placements[ep->placement];
		e->pl = p;
		e->in_vpc = true;
		e->addr = v6 ? ip6(p->addr6) : ip4(p->addr);
		e->no_addr6 = v6 && !p->has_ipv6;
		e->subnet = p->subnet;
		e->vpc = m->subnets[p->subnet].vpc;
		e->groups = p->groups;
		e->n_groups = p->n_groups;
		/* Over IPv6 every address is the internet's own; what the
		 * internet may reach is the placement's to say (§6). */
		e->has_public =
		    v6 ? p->has_ipv6 && p->ipv6_public : p->has_public;
		e->public_why = v6 ? p->ipv6_why : p->public_why;
		break;
	}
	}
	if (named)
		sim_ep_format(e->name, sizeof(e->name), s, ep);
}

void sim_ephemeral(const struct sim *s, const struct sim_ep *client,
		   uint16_t *lo, uint16_t *hi)
{
	(void)s;
	(void)client;
	/* Load balancers and NAT gateways use 1024-65535 (§5); for other
	 * clients the model does not say which OS they run, so the widest
	 * range a client may use is checked. */
	*lo = 1024;
	*hi = 65535;
}

/* ---- why and fix ------------------------------------------------------ */

void sim_fail_words(char *buf, size_t size, uint32_t ok, uint32_t total)
{
	uint32_t bad = total > ok ? total - ok : 0;
	uint32_t pct =
	    total ? (uint32_t)((100ull * bad + total / 2) / total) : 0;
	if (!bad)
		snprintf(buf, size, "no connection fails");
	else if (bad == total)
		snprintf(buf, size, "every connection fails");
	else if (pct >= 100)
		snprintf(buf, size, "over 99%% of connections fail");
	else if (pct == 0)
		snprintf(buf, size, "under 1%% of connections fail");
	else
		snprintf(buf, size, "about %u%% of connections fail", pct);
}

/* What a fix's rule must match for the connection's own packets: its
 * protocol and port, or the whole dynamic port range it stands for. */
static struct fix_match flow_match(const struct conn *C)
{
	struct fix_match mt = {C->flow.proto, C->flow.port, C->flow.port, false,
			       false};
	if (C->fix_hi > C->fix_lo && C->flow.port >= C->fix_lo &&
	    C->flow.port <= C->fix_hi) {
		mt.lo = C->fix_lo;
		mt.hi = C->fix_hi;
	}
	return mt;
}

/*
 * The block a rule names for the peer at addr (buf of CIDR6_STRLEN): its
 * subnet's when it is an address of a subnet of the model, else the whole
 * internet, since a public address stands for any client there.
 */
static void peer_cidr(const struct conn *C, const struct ip *addr, char *buf)
{
	const struct model *m = C->m;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		const struct model_subnet *sn = &m->subnets[i];
		if (!addr->v6 && sn->cidr.len <= 32 &&
		    cidr_contains_addr(sn->cidr, addr->v4)) {
			cidr_format(buf, sn->cidr);
			return;
		}
		if (addr->v6 && sn->has_cidr6 &&
		    model_cidr6_has(sn->cidr6, addr->b)) {
			cidr6_format(buf, sn->cidr6);
			return;
		}
	}
	/* A public address the model gives (an Elastic IP, a NAT
	 * gateway's): that one address. */
	bool known = false;
	for (uint32_t i = 0; !addr->v6 && addr->v4 && i < m->n[MK_NAT_GATEWAY];
	     i++)
		known |= m->nat_gateways[i].eip == addr->v4;
	for (uint32_t i = 0; !addr->v6 && addr->v4 && i < m->n_placements_total;
	     i++)
		known |= m->placements[i].public_addr == addr->v4;
	if (known) {
		char a[ADDR_STRLEN];
		addr_str(a, addr->v4);
		snprintf(buf, CIDR6_STRLEN, "%s/32", a);
		return;
	}
	snprintf(buf, CIDR6_STRLEN, "%s", addr->v6 ? "::/0" : "0.0.0.0/0");
}

/* "10.0.1.0/24 (subnet public-a)", "anywhere (0.0.0.0/0)". */
static void cidr_words(const struct conn *C, const char *cidr, char *buf,
		       size_t size)
{
	if (!strcmp(cidr, "0.0.0.0/0") || !strcmp(cidr, "::/0")) {
		snprintf(buf, size, "anywhere (%s)", cidr);
		return;
	}
	const struct model *m = C->m;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		char c[CIDR6_STRLEN];
		cidr_format(c, m->subnets[i].cidr);
		if (!strcmp(c, cidr)) {
			snprintf(buf, size, "%s (subnet %s)", cidr,
				 m->subnets[i].obj.id);
			return;
		}
	}
	snprintf(buf, size, "%s", cidr);
}

/* ---- rule matching ---------------------------------------------------- */

static bool match_flow(const struct model_match *r, struct sim_flow f)
{
	if (r->proto == PROTO_ALL)
		return true;
	if (f.proto == PROTO_ALL || r->proto != f.proto)
		return false;
	switch (r->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		return r->port_lo <= f.port && f.port <= r->port_hi;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		return r->icmp_type < 0 || r->icmp_type == f.port;
	default:
		return true;
	}
}

static bool has_group(const uint32_t *g, uint32_t n, uint32_t want)
{
	for (uint32_t i = 0; i < n; i++)
		if (g[i] == want)
			return true;
	return false;
}

/*
 * Whether a group rule's peer covers an address.  Group references match
 * only private addresses of endpoints that carry the group (§4): callers
 * pass groups = NULL for internet clients, NAT'd traffic and preserved
 * client addresses.
 */
static bool match_peer(const struct sim *s, const struct model_sg_rule *r,
		       const struct ip *addr, const uint32_t *groups,
		       uint32_t ng)
{
	switch (r->peer_kind) {
	case PEER_CIDR:
		return ip_in4(r->cidr, addr);
	case PEER_CIDR6:
		return ip_in6(r->cidr6, addr);
	case PEER_GROUP: /* the members' addresses of either family */
		return has_group(groups, ng, r->peer);
	case PEER_PREFIX_LIST:
		return !addr->v6 && pl_index_has(&s->pl[r->peer], addr->v4);
	}
	return false;
}

static void rule_desc(char *buf, size_t size, const struct model *m,
		      const struct model_security_group *g,
		      const struct model_sg_rule *r, bool egress)
{
	char mt[64], peer[96];
	model_match_format(mt, sizeof(mt), &r->match);
	model_sg_peer_format(peer, sizeof(peer), m, r);
	(void)g;
	snprintf(buf, size, "%s rule %u (%s %s %s)",
		 egress ? "egress" : "ingress", r->number, mt,
		 egress ? "to" : "from", peer);
}

/* What a group rule is matched against: the other end of the connection. */
struct sg_peer {
	const struct ip *addr;
	const uint32_t *groups;
	uint32_t n_groups;
	const char *name;
};

/* The rules that came closest when none matched, for the hint: right
 * port but wrong peer, and right peer but wrong port. */
struct sg_near {
	const struct model_sg_rule *port_ok, *peer_ok;
	const struct model_security_group *port_ok_g, *peer_ok_g;
};

static const struct model_sg_rule *
sg_rules(const struct model_security_group *g, bool egress, uint32_t *n)
{
	*n = egress ? g->n_egress : g->n_ingress;
	return egress ? g->egress : g->ingress;
}

/* NAT gateways have no security groups, and a network load balancer may
 * have none (§8): then no group filters its traffic.  Only other
 * endpoints without a group deny everything. */
static bool sg_unfiltered(const struct model *m, const struct epi *self)
{
	return !self->n_groups &&
	       (self->pl->kind == MK_NAT_GATEWAY ||
		(self->pl->kind == MK_LOAD_BALANCER &&
		 m->lbs[self->pl->index].type == LB_NETWORK));
}

/* Set mode: narrows to the ports some rule allows for the peer. */
static void sg_ports(struct conn *C, const struct epi *self, bool egress,
		     const struct sg_peer *peer)
{
	const struct model *m = C->m;
	struct ports got = PORTS_INIT;
	for (uint32_t gi = 0; gi < self->n_groups; gi++) {
		uint32_t n;
		const struct model_sg_rule *rules =
		    sg_rules(&m->groups[self->groups[gi]], egress, &n);
		for (uint32_t i = 0; i < n; i++)
			if (match_peer(C->s, &rules[i], peer->addr,
				       peer->groups, peer->n_groups))
				match_range(&rules[i].match, C->flow.proto,
					    &got);
	}
	narrow(C, &got, egress ? SK_SG_EGRESS : SK_SG_INGRESS,
	       egress ? BLK_SG_EGRESS : BLK_SG_INGRESS);
	ports_free(&got);
}

/* The first rule of self's groups that matches the flow and the peer
 * (its group in *gp), or NULL with the nearest ones in near. */
static const struct model_sg_rule *
sg_match(const struct conn *C, const struct epi *self, bool egress,
	 const struct sg_peer *peer, const struct model_security_group **gp,
	 struct sg_near *near)
{
	const struct model *m = C->m;
	memset(near, 0, sizeof(*near));
	for (uint32_t gi = 0; gi < self->n_groups; gi++) {
		const struct model_security_group *g =
		    &m->groups[self->groups[gi]];
		uint32_t n;
		const struct model_sg_rule *rules = sg_rules(g, egress, &n);
		for (uint32_t i = 0; i < n; i++) {
			bool fm = match_flow(&rules[i].match, C->flow);
			bool pm = match_peer(C->s, &rules[i], peer->addr,
					     peer->groups, peer->n_groups);
			if (fm && pm) {
				*gp = g;
				return &rules[i];
			}
			if (fm && !near->port_ok) {
				near->port_ok = &rules[i];
				near->port_ok_g = g;
			}
			if (pm && !near->peer_ok) {
				near->peer_ok = &rules[i];
				near->peer_ok_g = g;
			}
		}
	}
	return NULL;
}

/* A change that would open a database or an ECS service to the internet
 * directly: what the reference guide says never to do. */
static struct sim_fix *exposure_refusal(const struct conn *C,
					const struct epi *self)
{
	if (!self->pl ||
	    (self->pl->kind != MK_DATABASE && self->pl->kind != MK_SERVICE))
		return NULL;
	const char *id =
	    model_object(C->m, self->pl->kind, self->pl->index)->id;
	if (self->pl->kind == MK_DATABASE)
		return fix_refuse(
		    "vpcsim writes no change that opens database %s to the "
		    "internet: a database belongs in a private subnet, "
		    "reached only from inside the VPC",
		    id);
	return fix_refuse("vpcsim writes no change that opens service %s to "
			  "the internet directly: serve it through a load "
			  "balancer in a public subnet",
			  id);
}

static const struct model_route *route_for(const struct conn *C,
					   uint32_t subnet,
					   const struct ip *addr,
					   uint32_t *table);
static void fix_nat_route(struct sim_fix *f, const struct conn *C,
			  uint32_t subnet, uint32_t t,
			  const struct model_route *old);
static uint32_t gateway_endpoint_for(const struct model *m, uint32_t vpc,
				     const struct ip *addr);

/*
 * A connection out to the internet stopped at its source (a group, the
 * subnet's NACL) needs a way there too: when its subnet has no route
 * there (or a blackhole), f also gets the route to a NAT gateway (§7).
 * Returns that change's sentence (the caller's), or NULL.
 */
static char *route_ahead(const struct conn *C, struct sim_fix *f)
{
	const struct epi *a = C->e_src;
	if (!C->to_public || !a || !a->in_vpc || C->out_dst.v6 ||
	    gateway_endpoint_for(C->m, a->vpc, &C->out_dst) != MODEL_NONE)
		return NULL;
	uint32_t t = MODEL_NONE;
	const struct model_route *r = route_for(C, a->subnet, &C->out_dst, &t);
	if (t == MODEL_NONE || (r && r->target != RT_BLACKHOLE))
		return NULL;
	struct sim_fix *g = fix_new();
	fix_nat_route(g, C, a->subnet, t, r);
	return fix_absorb(f, g);
}

/* Why a group denied, and the rule that would allow: to the peer's own
 * group when group references match it, else to its block. */
static void explain_sg(struct conn *C, const struct epi *self, bool egress,
		       const struct sg_peer *peer, const char *groups,
		       const char *mt)
{
	const struct model *m = C->m;
	char *why = xasprintf(
	    "A security group lets %s only what one of its %s rules allows; "
	    "everything else is denied. No %s rule of %s allows %s %s %s.%s%s "
	    "Security groups are stateful: once a connection is allowed, its "
	    "replies pass without a rule.",
	    egress ? "out" : "in", egress ? "egress" : "ingress",
	    egress ? "egress" : "ingress", groups, mt, egress ? "to" : "from",
	    peer->name, C->sg_note ? " " : "", C->sg_note ? C->sg_note : "");
	char cidr[CIDR6_STRLEN] = "", target[128], words[160];
	if (peer->n_groups) {
		const char *g = m->groups[peer->groups[0]].obj.id;
		snprintf(target, sizeof(target), "%s", g);
		snprintf(words, sizeof(words), "group %s", g);
	} else {
		peer_cidr(C, peer->addr, cidr);
		snprintf(target, sizeof(target), "%s", cidr);
		cidr_words(C, cidr, words, sizeof(words));
	}
	bool world = !strcmp(cidr, "0.0.0.0/0") || !strcmp(cidr, "::/0");
	struct sim_fix *f = !egress && world ? exposure_refusal(C, self) : NULL;
	const struct model_security_group *g0 = &m->groups[self->groups[0]];
	if (!f && g0->obj.implicit) {
		char mw[64];
		struct fix_match fm = flow_match(C);
		fix_match_words(mw, sizeof(mw), &fm);
		if (!egress && self->pl && self->n_groups == 1) {
			/* Its own group, in place of the default one. */
			const struct model_placement *p = self->pl;
			f = fix_new();
			fix_own_group(f, m, p->kind, p->index, g0->vpc, &fm,
				      target);
			fix_text(f,
				 "%s has no security group of its own: it "
				 "carries %s, the default group AWS gives its "
				 "VPC, which the file does not write; give it "
				 "a group of its own that allows %s from %s "
				 "(in place of the default group, whose rule "
				 "admitting its members it no longer has)",
				 model_object(m, p->kind, p->index)->id,
				 g0->obj.id, mw, words);
		} else {
			f = fix_refuse(
			    "%s has no security group of its own: it carries "
			    "%s, the default group AWS gives its VPC, which "
			    "the file does not write; give it a group of its "
			    "own (security_groups) that allows %s %s %s",
			    self->name, g0->obj.id, mw, egress ? "to" : "from",
			    words);
		}
	}
	if (!f) {
		struct fix_match fm = flow_match(C);
		char mw[64];
		fix_match_words(mw, sizeof(mw), &fm);
		f = fix_new();
		fix_sg_rule(f, m, self->groups[0], egress, &fm, target);
		/* Out of one group, the connection must also get into the
		 * destination's (inside a VPC, where its groups apply):
		 * both rules in one fix. */
		const struct epi *d = C->e_dst;
		const struct model_security_group *dg = NULL;
		struct sg_near near;
		struct sg_peer in = {&self->addr, self->groups, self->n_groups,
				     self->name};
		bool both = egress && !C->to_public && !C->app &&
			    C->e_src == self && d && d->pl && d->n_groups &&
			    !sg_unfiltered(m, d) && self->n_groups &&
			    !sg_match(C, d, false, &in, &dg, &near);
		if (both)
			fix_sg_rule(f, m, d->groups[0], false, &fm,
				    m->groups[self->groups[0]].obj.id);
		char *route =
		    egress && C->e_src == self ? route_ahead(C, f) : NULL;
		fix_text(f,
			 "add an %s rule to security group %s allowing %s %s "
			 "%s%s%s%s%s",
			 egress ? "egress" : "ingress",
			 m->groups[self->groups[0]].obj.id, mw,
			 egress ? "to" : "from", words,
			 both ? ", and an ingress rule to security group " : "",
			 both ? m->groups[d->groups[0]].obj.id : "",
			 both ? " allowing it from group " : "",
			 both ? m->groups[self->groups[0]].obj.id : "");
		if (route && f->text) {
			char *t2 = xasprintf("%s; and %s", f->text, route);
			free(f->text);
			f->text = t2;
		}
		free(route);
	}
	explain(C, why, f);
}

/* The blocking step when no rule matched, with the nearest rule as the
 * hint. */
static void sg_denied(struct conn *C, const struct epi *self, bool egress,
		      const struct sg_peer *peer, const struct sg_near *near)
{
	const struct model *m = C->m;
	enum sim_step_kind kind = egress ? SK_SG_EGRESS : SK_SG_INGRESS;
	enum sim_block block = egress ? BLK_SG_EGRESS : BLK_SG_INGRESS;
	char desc[256], mt[64];
	if (!C->t) {
		step(C, kind, block, MK_KIND_COUNT, 0, 0, no_loc, "-");
		return;
	}
	struct sim_flow f = C->flow;
	struct model_match want = {f.proto, 0, f.port, f.port, -1, -1};
	if (f.proto == PROTO_ICMP)
		want.icmp_type = (int16_t)f.port;
	model_match_format(mt, sizeof(mt), &want);
	if (!self->n_groups) {
		step(C, kind, block, MK_KIND_COUNT, 0, 0, no_loc,
		     "%s has no security group: every %s connection is "
		     "denied",
		     self->name, egress ? "outbound" : "inbound");
		explain(C,
			xasprintf("A security group lets through only what its "
				  "rules allow, and %s has none, so nothing "
				  "passes.",
				  self->name),
			fix_refuse("give %s a security group first "
				   "(security_groups)",
				   self->name));
		return;
	}
	char groups[256] = "";
	size_t off = 0;
	for (uint32_t gi = 0; gi < self->n_groups && off < sizeof(groups); gi++)
		off += (size_t)snprintf(groups + off, sizeof(groups) - off,
					"%s%s", gi ? ", " : "",
					m->groups[self->groups[gi]].obj.id);
	const struct model_security_group *g0 = &m->groups[self->groups[0]];
	step(C, kind, block, MK_SECURITY_GROUP, g0->obj.index, 0, g0->obj.loc,
	     "security groups of %s (%s): no %s rule allows %s %s %s",
	     self->name, groups, egress ? "egress" : "ingress", mt,
	     egress ? "to" : "from", peer->name);
	if (near->port_ok) {
		rule_desc(desc, sizeof(desc), m, near->port_ok_g, near->port_ok,
			  egress);
		hint(C, xasprintf("closest: %s of %s allows %s, but not %s %s",
				  desc, near->port_ok_g->obj.id, mt,
				  egress ? "to" : "from", peer->name));
	} else if (near->peer_ok) {
		rule_desc(desc, sizeof(desc), m, near->peer_ok_g, near->peer_ok,
			  egress);
		hint(C,
		     xasprintf("closest: %s of %s covers %s, but not %s", desc,
			       near->peer_ok_g->obj.id, peer->name, mt));
	}
	explain_sg(C, self, egress, peer, groups, mt);
}

/*
 * Security groups of an endpoint, one direction.  Allowed when any rule of
 * any group matches (§4).  Without a match, the hint names the rule that
 * came closest: right port but wrong peer first, else right peer but
 * wrong port.
 */
static void sg_step(struct conn *C, const struct epi *self, bool egress,
		    const struct ip *peer_addr, const uint32_t *peer_groups,
		    uint32_t n_peer_groups, const char *peer_name)
{
	const struct model *m = C->m;
	struct sg_peer peer = {peer_addr, peer_groups, n_peer_groups,
			       peer_name};
	if (self->ep->kind != EP_PLACEMENT) {
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "%s is a bare address, not a resource of the model: its "
		     "security groups are unknown and not checked",
		     self->name);
		return;
	}
	if (sg_unfiltered(m, self)) {
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "%s has no security group: no group filters its %s "
		     "traffic",
		     self->name, egress ? "outbound" : "inbound");
		return;
	}
	/* Any group's unknown rule could change the answer. */
	for (uint32_t gi = 0; gi < self->n_groups; gi++)
		touch(C, MK_SECURITY_GROUP, self->groups[gi]);
	if (C->acc) {
		sg_ports(C, self, egress, &peer);
		return;
	}
	const struct model_security_group *g;
	struct sg_near near;
	const struct model_sg_rule *r =
	    sg_match(C, self, egress, &peer, &g, &near);
	if (!r) {
		sg_denied(C, self, egress, &peer, &near);
		return;
	}
	if (!C->t)
		return;
	char desc[256];
	rule_desc(desc, sizeof(desc), m, g, r, egress);
	step(C, egress ? SK_SG_EGRESS : SK_SG_INGRESS, BLK_NONE,
	     MK_SECURITY_GROUP, g->obj.index, r->number, r->loc,
	     "security group %s, %s: allowed", g->obj.id, desc);
}

/*
 * NACL evaluation over a port range: rules in number order, the first that
 * matches a port decides it (§5).  allowed receives the ports of [lo, hi]
 * that pass; *decider the rule that decided port lo (NULL: the implicit
 * deny).  Flows of all protocols are decided by protocol -1 rules only,
 * and a protocol-specific deny before them makes the flow partial
 * (reported as denied by that rule).
 */
static void nacl_eval(const struct model_network_acl *a, bool inbound,
		      enum proto proto, const struct ip *addr, uint16_t lo,
		      uint16_t hi, struct ports *allowed,
		      const struct model_nacl_rule **decider)
{
	const struct model_nacl_rule *rules =
	    inbound ? a->inbound : a->outbound;
	uint32_t n = inbound ? a->n_inbound : a->n_outbound;
	struct ports undecided = PORTS_INIT, part = PORTS_INIT;
	ports_clear(allowed);
	ports_add(&undecided, lo, hi);
	*decider = NULL;
	for (uint32_t i = 0; i < n && !ports_empty(&undecided); i++) {
		const struct model_nacl_rule *r = &rules[i];
		if (r->ipv6 ? !ip_in6(r->cidr6, addr) : !ip_in4(r->cidr, addr))
			continue;
		uint16_t rlo = 0, rhi = 65535;
		if (r->match.proto != PROTO_ALL) {
			if (proto == PROTO_ALL) {
				if (!r->allow) {
					/* Part of "all traffic" is denied. */
					if (!*decider)
						*decider = r;
					ports_clear(&undecided);
				}
				continue;
			}
			if (r->match.proto != proto)
				continue;
			if (proto == PROTO_TCP || proto == PROTO_UDP) {
				rlo = r->match.port_lo;
				rhi = r->match.port_hi;
			} else if (r->match.icmp_type >= 0) {
				rlo = rhi = (uint16_t)r->match.icmp_type;
			}
		}
		ports_clear(&part);
		ports_add(&part, rlo, rhi);
		ports_intersect(&part, &part, &undecided);
		if (ports_empty(&part))
			continue;
		if (!*decider && ports_contains(&part, lo))
			*decider = r;
		if (r->allow)
			ports_union(allowed, allowed, &part);
		ports_diff(&undecided, &undecided, &part);
	}
	ports_free(&undecided);
	ports_free(&part);
}

void sim_nacl_ports(const struct model_network_acl *a, bool inbound,
		    enum proto proto, uint32_t addr, uint16_t lo, uint16_t hi,
		    struct ports *allowed)
{
	const struct model_nacl_rule *decider;
	struct ip a4 = ip4(addr);
	nacl_eval(a, inbound, proto, &a4, lo, hi, allowed, &decider);
}

static void nacl_rule_desc(char *buf, size_t size,
			   const struct model_nacl_rule *r, bool inbound)
{
	char mt[64], c[CIDR6_STRLEN];
	model_match_format(mt, sizeof(mt), &r->match);
	if (r->ipv6)
		cidr6_format(c, r->cidr6);
	else
		cidr_format(c, r->cidr);
	snprintf(buf, size, "rule %u (%s %s %s %s)", r->number,
		 r->allow ? "allow" : "deny", mt, inbound ? "from" : "to", c);
}

/* A rule of a NACL and the ports of a flow it decides; r NULL: the
 * final '*' rule. */
struct nacl_seg {
	const struct model_nacl_rule *r;
	struct ports ports;
};

#define MAX_SEGS 16

/*
 * The rules that decide ports lo..hi of proto (tcp or udp) for addr, in
 * rule order, the '*' rule last (nacl_eval's walk, kept per rule); at
 * most MAX_SEGS.  Returns how many; free with segs_free.
 */
static uint32_t nacl_segs(const struct model_network_acl *a, bool inbound,
			  enum proto proto, const struct ip *addr, uint16_t lo,
			  uint16_t hi, struct nacl_seg *out)
{
	const struct model_nacl_rule *rules =
	    inbound ? a->inbound : a->outbound;
	uint32_t n = inbound ? a->n_inbound : a->n_outbound, k = 0;
	struct ports undecided = PORTS_INIT;
	ports_add(&undecided, lo, hi);
	for (uint32_t i = 0; i < n && !ports_empty(&undecided); i++) {
		const struct model_nacl_rule *r = &rules[i];
		if (r->ipv6 ? !ip_in6(r->cidr6, addr) : !ip_in4(r->cidr, addr))
			continue;
		struct ports part = PORTS_INIT;
		if (r->match.proto == PROTO_ALL)
			ports_add(&part, 0, 65535);
		else if (r->match.proto == proto)
			ports_add(&part, r->match.port_lo, r->match.port_hi);
		ports_intersect(&part, &part, &undecided);
		if (!ports_empty(&part)) {
			ports_diff(&undecided, &undecided, &part);
			if (k < MAX_SEGS - 1) {
				out[k].r = r;
				out[k++].ports = part;
				continue;
			}
		}
		ports_free(&part);
	}
	if (!ports_empty(&undecided)) {
		out[k].r = NULL;
		out[k++].ports = undecided;
	} else {
		ports_free(&undecided);
	}
	return k;
}

static void segs_free(struct nacl_seg *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		ports_free(&s[i].ports);
}

/*
 * Whether NACL a lets mt through one way for addr; *before receives the
 * lowest number of a rule that denies part of it (32767: only the final
 * '*' rule does), which a fix's rule must come before.
 */
static bool nacl_passes(const struct model_network_acl *a, bool inbound,
			const struct fix_match *mt, const struct ip *addr,
			uint32_t *before)
{
	*before = 32767;
	if (mt->proto == PROTO_TCP || mt->proto == PROTO_UDP) {
		struct nacl_seg segs[MAX_SEGS];
		uint32_t n = nacl_segs(a, inbound, mt->proto, addr, mt->lo,
				       mt->hi, segs);
		bool ok = true;
		for (uint32_t i = 0; i < n; i++) {
			if (segs[i].r && segs[i].r->allow)
				continue;
			ok = false;
			if (segs[i].r && segs[i].r->number < *before)
				*before = segs[i].r->number;
		}
		segs_free(segs, n);
		return ok;
	}
	struct ports allowed = PORTS_INIT;
	const struct model_nacl_rule *d;
	nacl_eval(a, inbound, mt->proto, addr, mt->lo, mt->lo, &allowed, &d);
	bool ok = mt->proto == PROTO_ALL
		      ? d && d->allow && d->match.proto == PROTO_ALL
		      : !ports_empty(&allowed);
	ports_free(&allowed);
	if (!ok && d && !d->allow)
		*before = d->number;
	return ok;
}

/* What the replies of the connection must match: the client's ephemeral
 * range for tcp and udp, an echo reply for icmp (§5). */
static struct fix_match reply_match(const struct conn *C, uint16_t lo,
				    uint16_t hi)
{
	struct fix_match mt = {C->flow.proto, lo, hi, false, true};
	if (C->flow.proto == PROTO_ICMP || C->flow.proto == PROTO_ICMPV6)
		mt.lo = mt.hi = 0;
	return mt;
}

/* One crossing of a subnet's edge by a connection's packets: the NACL,
 * the direction, the other end's address and what the packets are. */
struct leg {
	uint32_t nacl;
	bool inbound;
	struct ip peer;
	struct fix_match mt; /* mt.reply: the replies' crossing */
};

#define MAX_LEGS 8

static void add_leg(struct leg *l, uint32_t *n, const struct conn *C,
		    uint32_t subnet, bool inbound, const struct ip *peer,
		    const struct fix_match *mt)
{
	if (*n < MAX_LEGS && subnet != MODEL_NONE)
		l[(*n)++] = (struct leg){C->m->subnets[subnet].nacl, inbound,
					 *peer, *mt};
}

/*
 * Every crossing of a subnet's edge the connection makes, on the way and
 * back (§5, §7): a NACL is stateless, so each needs a rule of its own,
 * and a fix for one NACL opens every crossing of it at once.  Only the
 * shapes whose path is fixed in advance are listed (inside a VPC, to and
 * from the internet, through a NAT gateway); 0 for others.
 */
static uint32_t nacl_legs(const struct conn *C, struct leg *l)
{
	const struct epi *a = C->e_src, *b = C->e_dst;
	uint32_t n = 0;
	if (!a || !b)
		return 0;
	struct fix_match fm = flow_match(C);
	uint16_t elo, ehi;
	sim_ephemeral(C->s, NULL, &elo, &ehi);
	struct fix_match rm = reply_match(C, elo, ehi);
	if (C->to_public && a->in_vpc) {
		/* out through an internet or NAT gateway, §7 */
		const struct ip *d = &C->out_dst;
		uint32_t g = C->nat_subnet;
		add_leg(l, &n, C, a->subnet, false, d, &fm);
		if (g != MODEL_NONE && g != a->subnet) {
			add_leg(l, &n, C, g, true, &a->addr, &fm);
			add_leg(l, &n, C, g, false, d, &fm);
			add_leg(l, &n, C, g, true, d, &rm);
			add_leg(l, &n, C, g, false, &a->addr, &rm);
		}
		add_leg(l, &n, C, a->subnet, true, d, &rm);
		return n;
	}
	if (!a->in_vpc && b->in_vpc) {
		/* in from the internet, §6 */
		add_leg(l, &n, C, b->subnet, true, &a->addr, &fm);
		add_leg(l, &n, C, b->subnet, false, &a->addr, &rm);
		return n;
	}
	if (a->in_vpc && b->in_vpc && a->subnet != b->subnet) {
		const struct ip *seen = C->app ? &C->app->addr : &a->addr;
		add_leg(l, &n, C, a->subnet, false, &b->addr, &fm);
		add_leg(l, &n, C, b->subnet, true, seen, &fm);
		add_leg(l, &n, C, b->subnet, false, seen, &rm);
		if (a->ep->kind != EP_PLACEMENT || !C->app)
			add_leg(l, &n, C, a->subnet, true, &b->addr, &rm);
	}
	return n;
}

static bool match_eq(const struct fix_match *a, const struct fix_match *b)
{
	return a->proto == b->proto && a->lo == b->lo && a->hi == b->hi &&
	       a->icmp_any == b->icmp_any;
}

/* "inbound tcp 3000 from 10.0.1.0/24 (subnet public-a)" */
static void leg_words(const struct conn *C, const struct leg *g, char *buf,
		      size_t size)
{
	char cidr[CIDR6_STRLEN], words[128], mw[64];
	peer_cidr(C, &g->peer, cidr);
	cidr_words(C, cidr, words, sizeof(words));
	fix_match_words(mw, sizeof(mw), &g->mt);
	snprintf(buf, size, "%s %s %s %s%s",
		 g->inbound ? "inbound" : "outbound", mw,
		 g->inbound ? "from" : "to", words,
		 g->mt.reply ? " (the replies)" : "");
}

/*
 * The fix for a NACL that blocks crossing `blocked` of the connection:
 * a rule for it, and one for each other crossing of the same NACL that
 * it would block next (the replies, the other side of a NAT gateway's
 * subnet, a second subnet with the same NACL).  Returns the fix and, in
 * *n_rules, how many rules it adds.
 */
static struct sim_fix *fix_nacl_legs(const struct conn *C,
				     const struct leg *blocked,
				     uint32_t *n_rules)
{
	struct leg all[MAX_LEGS + 1], want[MAX_LEGS + 1];
	uint32_t n = nacl_legs(C, all + 1), k = 0;
	all[0] = *blocked;
	n++;
	const struct model_network_acl *a = &C->m->nacls[blocked->nacl];
	struct sim_fix *f = fix_new();
	struct strbuf text = {0};
	for (uint32_t i = 0; i < n; i++) {
		const struct leg *g = &all[i];
		char cidr[CIDR6_STRLEN];
		peer_cidr(C, &g->peer, cidr);
		bool dup = false;
		for (uint32_t j = 0; j < k && !dup; j++) {
			char c2[CIDR6_STRLEN];
			peer_cidr(C, &want[j].peer, c2);
			dup = want[j].inbound == g->inbound &&
			      match_eq(&want[j].mt, &g->mt) &&
			      !strcmp(cidr, c2);
		}
		uint32_t before;
		if (dup || g->nacl != blocked->nacl ||
		    (i &&
		     nacl_passes(a, g->inbound, &g->mt, &g->peer, &before)))
			continue;
		nacl_passes(a, g->inbound, &g->mt, &g->peer, &before);
		fix_nacl_rule(f, C->m, a->obj.index, g->inbound, &g->mt, cidr,
			      before);
		want[k++] = *g;
		char w[256];
		leg_words(C, g, w, sizeof(w));
		strbuf_printf(&text, "%s%s", k > 1 ? "; " : "", w);
	}
	if (k == 1) {
		char mw[64], words[128], cidr[CIDR6_STRLEN];
		peer_cidr(C, &want[0].peer, cidr);
		cidr_words(C, cidr, words, sizeof(words));
		fix_match_words(mw, sizeof(mw), &want[0].mt);
		fix_text(f,
			 "add an %s rule to network ACL %s allowing %s%s %s %s",
			 want[0].inbound ? "inbound" : "outbound", a->obj.id,
			 want[0].mt.reply ? "the replies, " : "", mw,
			 want[0].inbound ? "from" : "to", words);
	} else {
		fix_text(f, "add %u rules to network ACL %s allowing %s", k,
			 a->obj.id, strbuf_str(&text));
	}
	strbuf_free(&text);
	*n_rules = k;
	if (C->e_src && C->e_src->in_vpc &&
	    C->m->subnets[C->e_src->subnet].nacl == blocked->nacl) {
		char *route = route_ahead(C, f);
		if (route && f->text) {
			char *t2 = xasprintf("%s; and %s", f->text, route);
			free(f->text);
			f->text = t2;
		}
		free(route);
	}
	return f;
}

/* Why a NACL denied the connection's own packet (rule d, or the '*' rule
 * when NULL), and the rules that let it through: the packet's own and
 * every other crossing of this ACL that would block next (§5). */
static void explain_nacl(struct conn *C, const struct model_network_acl *a,
			 bool inbound, const struct ip *peer_addr,
			 const struct model_nacl_rule *d)
{
	struct leg g = {a->obj.index, inbound, *peer_addr, flow_match(C)};
	uint32_t rules;
	struct sim_fix *f = fix_nacl_legs(C, &g, &rules);
	char first[200];
	if (d && !d->allow)
		snprintf(first, sizeof(first),
			 "rule %u denies this packet before any rule allows "
			 "it",
			 d->number);
	else
		snprintf(first, sizeof(first),
			 "no rule matches this packet, so the final * rule, "
			 "which denies everything, decides");
	char *why = xasprintf(
	    "A network ACL applies its rules in number order, whatever their "
	    "order in the file, and the first rule that matches decides: %s. "
	    "%s",
	    first,
	    rules > 1 ? "Network ACLs are stateless: the replies cross this "
			"ACL too, to the client's ephemeral ports, and each "
			"crossing needs a rule of its own; the fix adds every "
			"one that is missing."
		      : "Network ACLs are stateless, but this one already "
			"lets the replies back.");
	explain(C, why, f);
}

/*
 * The forward direction through one NACL for the flow's single port.
 * subnet_name says which subnet's ACL it is.
 */
static void nacl_step(struct conn *C, uint32_t subnet, bool inbound,
		      const struct ip *peer_addr, const char *peer_name)
{
	const struct model *m = C->m;
	const struct model_subnet *sn = &m->subnets[subnet];
	const struct model_network_acl *a = &m->nacls[sn->nacl];
	struct ports allowed = PORTS_INIT;
	const struct model_nacl_rule *d;
	uint16_t port = C->flow.proto == PROTO_ALL ? 0 : C->flow.port;
	touch(C, MK_NETWORK_ACL, a->obj.index);
	if (C->acc && C->flow.proto != PROTO_ALL) {
		bool icmp = C->flow.proto == PROTO_ICMP ||
			    C->flow.proto == PROTO_ICMPV6;
		nacl_eval(a, inbound, C->flow.proto, peer_addr, 0,
			  icmp ? 255 : 65535, &allowed, &d);
		narrow(C, &allowed, inbound ? SK_NACL_IN : SK_NACL_OUT,
		       inbound ? BLK_NACL_IN : BLK_NACL_OUT);
		ports_free(&allowed);
		return;
	}
	nacl_eval(a, inbound, C->flow.proto, peer_addr, port, port, &allowed,
		  &d);
	bool ok = C->flow.proto == PROTO_ALL
		      ? d && d->allow && d->match.proto == PROTO_ALL
		      : !ports_empty(&allowed);
	ports_free(&allowed);
	enum sim_step_kind kind = inbound ? SK_NACL_IN : SK_NACL_OUT;
	enum sim_block block = inbound ? BLK_NACL_IN : BLK_NACL_OUT;
	if (!C->t) {
		if (!ok)
			step(C, kind, block, MK_KIND_COUNT, 0, 0, no_loc, "-");
		return;
	}
	char rd[160];
	if (d) {
		nacl_rule_desc(rd, sizeof(rd), d, inbound);
		step(C, kind, ok ? BLK_NONE : block, MK_NETWORK_ACL,
		     a->obj.index, d->number, d->loc,
		     "network ACL %s of subnet %s, %s %s: %s", a->obj.id,
		     sn->obj.id, inbound ? "inbound" : "outbound", rd,
		     ok ? "allowed"
			: (d->allow ? "denied (part of the traffic)"
				    : "denied"));
		if (!ok)
			explain_nacl(C, a, inbound, peer_addr, d);
	} else {
		step(C, kind, block, MK_NETWORK_ACL, a->obj.index, 32767,
		     a->obj.loc,
		     "network ACL %s of subnet %s, %s: no rule matches %s, "
		     "the final * rule denies it",
		     a->obj.id, sn->obj.id, inbound ? "inbound" : "outbound",
		     peer_name);
		explain_nacl(C, a, inbound, peer_addr, NULL);
	}
}

/* "rule 110 (allow tcp 3306 to 10.0.0.0/16) lets 3306 through; the final
 * * rule denies 1024-3305,3307-65535": who decides which replies. */
static void segs_words(char *buf, size_t size, const struct nacl_seg *segs,
		       uint32_t n, bool inbound)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		uint32_t shown = 0, more = 0;
		for (uint32_t i = 0; i < n && off < size; i++) {
			bool allow = segs[i].r && segs[i].r->allow;
			if (allow != (pass == 0))
				continue;
			if (shown == 3) {
				more++;
				continue;
			}
			char ports[160], rd[160];
			ports_format(ports, sizeof(ports), &segs[i].ports);
			if (segs[i].r)
				nacl_rule_desc(rd, sizeof(rd), segs[i].r,
					       inbound);
			else
				snprintf(rd, sizeof(rd), "the final * rule");
			off += (size_t)snprintf(buf + off, size - off,
						"%s%s %s %s%s", off ? "; " : "",
						rd, allow ? "lets" : "denies",
						ports, allow ? " through" : "");
			shown++;
		}
		if (more && off < size)
			off += (size_t)snprintf(buf + off, size - off,
						" (and %u more rule%s)", more,
						more == 1 ? "" : "s");
	}
}

/* The deny rule of segs that decides the most ports (NULL: the '*'
 * rule), for the step to name. */
static const struct nacl_seg *main_denier(const struct nacl_seg *segs,
					  uint32_t n)
{
	const struct nacl_seg *best = NULL;
	for (uint32_t i = 0; i < n; i++)
		if ((!segs[i].r || !segs[i].r->allow) &&
		    (!best ||
		     ports_count(&segs[i].ports) > ports_count(&best->ports)))
			best = &segs[i];
	return best;
}

/*
 * Why a NACL drops the replies (all of them, or those to part of the
 * client's ephemeral range: got of total pass), and the rule that lets
 * the whole range back to the peer.
 */
static void explain_reply(struct conn *C, const struct model_network_acl *a,
			  bool inbound, const struct ip *peer_addr, uint16_t lo,
			  uint16_t hi, uint32_t got, uint32_t total,
			  const struct nacl_seg *segs, uint32_t nsegs)
{
	bool icmp =
	    C->flow.proto == PROTO_ICMP || C->flow.proto == PROTO_ICMPV6;
	struct leg g = {a->obj.index, inbound, *peer_addr,
			reply_match(C, lo, hi)};
	uint32_t rules;
	struct sim_fix *f = fix_nacl_legs(C, &g, &rules);
	const char *dir = inbound ? "in from the server" : "out to the client";
	char *why;
	if (icmp) {
		why = xasprintf(
		    "Network ACLs are stateless: they do not remember a "
		    "connection, so its reply, an echo reply (icmp type 0), "
		    "is checked again like any other packet, and this ACL "
		    "lets none %s. Security groups are stateful and need no "
		    "rule for replies.",
		    dir);
	} else if (!got) {
		why = xasprintf(
		    "Network ACLs are stateless: they do not remember a "
		    "connection, so its replies are checked again like any "
		    "other packet. A reply goes to the client's ephemeral "
		    "port, the port the client picked for this connection, "
		    "any of %u-%u; so the ACL must allow that whole range %s, "
		    "and this one allows none of it. Security groups are "
		    "stateful and need no rule for replies.",
		    lo, hi, dir);
	} else {
		char fails[64], svc[200] = "";
		sim_fail_words(fails, sizeof(fails), got, total);
		/* A deny meant for a service port (tcp 3306) also drops
		 * the replies that come back to that port number. */
		for (uint32_t i = 0; i < nsegs && !*svc; i++) {
			const struct model_nacl_rule *r = segs[i].r;
			if (r && !r->allow && r->match.proto != PROTO_ALL &&
			    r->match.port_hi - r->match.port_lo < 16)
				snprintf(svc, sizeof(svc),
					 " Rule %u was written for connections "
					 "to port %u, but a reply whose client "
					 "picked that number as its ephemeral "
					 "port matches it too.",
					 r->number, r->match.port_lo);
		}
		why = xasprintf(
		    "Network ACLs are stateless: they do not remember a "
		    "connection, so its replies are checked again like any "
		    "other packet. A reply goes to the client's ephemeral "
		    "port, picked anew for each connection from %u-%u. This "
		    "ACL lets replies %s on %u of those %u ports only; a "
		    "connection whose client picks one of the others never "
		    "gets its reply: %s.%s",
		    lo, hi, dir, got, total, fails, svc);
	}
	explain(C, why, f);
}

/*
 * The reply direction through one NACL: every port of the client's
 * ephemeral range is checked (§5).  Intersects *ok with what passes and
 * reports the step.  Returns false when nothing passes.
 */
static bool nacl_reply(struct conn *C, uint32_t subnet, bool inbound,
		       const struct ip *peer_addr, const char *peer_name,
		       uint16_t lo, uint16_t hi, struct ports *ok)
{
	const struct model *m = C->m;
	const struct model_subnet *sn = &m->subnets[subnet];
	const struct model_network_acl *a = &m->nacls[sn->nacl];
	struct ports allowed = PORTS_INIT;
	const struct model_nacl_rule *d;
	enum proto proto = C->flow.proto;
	uint16_t rlo = lo, rhi = hi;
	if (proto == PROTO_ICMP || proto == PROTO_ICMPV6)
		rlo = rhi = 0; /* echo reply; other types answer in kind */
	nacl_eval(a, inbound, proto, peer_addr, rlo, rhi, &allowed, &d);
	if ((proto == PROTO_ICMP || proto == PROTO_ICMPV6) &&
	    !ports_empty(&allowed)) {
		ports_clear(&allowed);
		ports_add(&allowed, lo, hi);
	}
	ports_intersect(ok, ok, &allowed);
	uint32_t got = ports_count(&allowed), total = (uint32_t)hi - lo + 1;
	enum sim_step_kind kind =
	    inbound ? SK_NACL_REPLY_IN : SK_NACL_REPLY_OUT;
	enum sim_block block = inbound ? BLK_NACL_REPLY_IN : BLK_NACL_REPLY_OUT;
	bool pass = got > 0;
	if (pass && got < total && (!C->partial_set || got < C->partial_got)) {
		C->partial_set = true;
		C->partial_inbound = inbound;
		C->partial_nacl = a->obj.index;
		C->partial_got = got;
		/* the step below */
		C->partial_step = C->t ? (int)C->t->n : -1;
	}
	if (!C->t) {
		ports_free(&allowed);
		if (!pass)
			step(C, kind, block, MK_KIND_COUNT, 0, 0, no_loc, "-");
		return pass;
	}
	char what[96];
	snprintf(what, sizeof(what), "replies %s %s on ports %u-%u",
		 inbound ? "from" : "to", peer_name, lo, hi);
	if (got == total) {
		char rd[160] = "";
		if (d)
			nacl_rule_desc(rd, sizeof(rd), d, inbound);
		step(C, kind, BLK_NONE, MK_NETWORK_ACL, a->obj.index,
		     d ? d->number : 0, d ? d->loc : a->obj.loc,
		     "network ACL %s of subnet %s, %s %s: %s allowed",
		     a->obj.id, sn->obj.id, inbound ? "inbound" : "outbound",
		     rd, what);
	} else if (pass) {
		/* Only part of the range: the step names the rules that
		 * decide, and is degraded, or the verdict's when too few
		 * pass (reply_verdict). */
		struct nacl_seg segs[MAX_SEGS];
		uint32_t n =
		    nacl_segs(a, inbound, proto, peer_addr, lo, hi, segs);
		char who[600];
		segs_words(who, sizeof(who), segs, n, inbound);
		const struct nacl_seg *den = main_denier(segs, n);
		const struct model_nacl_rule *dr = den ? den->r : NULL;
		step(C, kind, BLK_NONE, MK_NETWORK_ACL, a->obj.index,
		     dr ? dr->number : 32767, dr ? dr->loc : a->obj.loc,
		     "network ACL %s of subnet %s, %s: %s pass on %u of %u "
		     "ports only: %s",
		     a->obj.id, sn->obj.id, inbound ? "inbound" : "outbound",
		     what, got, total, who);
		C->t->steps[C->t->n - 1].ports_ok = got;
		C->t->steps[C->t->n - 1].ports_total = total;
		explain_reply(C, a, inbound, peer_addr, lo, hi, got, total,
			      segs, n);
		segs_free(segs, n);
	} else if (d) {
		char rd[160];
		nacl_rule_desc(rd, sizeof(rd), d, inbound);
		step(C, kind, block, MK_NETWORK_ACL, a->obj.index, d->number,
		     d->loc, "network ACL %s of subnet %s, %s %s: %s denied",
		     a->obj.id, sn->obj.id, inbound ? "inbound" : "outbound",
		     rd, what);
		explain_reply(C, a, inbound, peer_addr, lo, hi, 0, total, NULL,
			      0);
	} else {
		step(C, kind, block, MK_NETWORK_ACL, a->obj.index, 32767,
		     a->obj.loc,
		     "network ACL %s of subnet %s, %s: no rule allows %s; the "
		     "final * rule denies them",
		     a->obj.id, sn->obj.id, inbound ? "inbound" : "outbound",
		     what);
		explain_reply(C, a, inbound, peer_addr, lo, hi, 0, total, NULL,
			      0);
	}
	ports_free(&allowed);
	return pass;
}

/* Records reply coverage; a partial reply makes the result degraded and,
 * when most ports fail, blocked (§5). */
static void reply_verdict(struct conn *C, const struct ports *ok, uint16_t lo,
			  uint16_t hi, bool last_inbound)
{
	struct sim_result *r = C->res;
	uint32_t total = (uint32_t)hi - lo + 1, got = ports_count(ok);
	r->ports_ok = got;
	r->ports_total = total;
	if (got == total || C->stopped)
		return;
	struct ports range = PORTS_INIT;
	ports_add(&range, lo, hi);
	ports_diff(&r->denied, &range, ok);
	ports_free(&range);
	r->degraded = true;
	if (got * 2 > total)
		return;
	/* Blocked: at the step of the NACL that dropped the most of the
	 * range, not the last one checked: with replies cut on the way out
	 * of the server's subnet, the client subnet's NACL may well allow
	 * them all.  That step (degraded so far) becomes the blocking one;
	 * no step is added. */
	bool in = C->partial_set ? C->partial_inbound : last_inbound;
	C->stopped = true;
	r->reachable = false;
	r->block = in ? BLK_NACL_REPLY_IN : BLK_NACL_REPLY_OUT;
	r->block_step = C->t && C->partial_set ? C->partial_step : -1;
	if (C->partial_set) {
		/* As step() does: the blocking component's unknown value
		 * explains the verdict best. */
		const struct model_obj *o = &C->m->nacls[C->partial_nacl].obj;
		if (o->n_unknowns)
			r->unknown = o->unknowns[0];
	}
	if (r->block_step >= 0)
		C->t->steps[r->block_step].block = r->block;
}

/* ---- routes ------------------------------------------------------------ */

/* The route of subnet's table for addr, in addr's family's trie. */
static const struct model_route *route_for(const struct conn *C,
					   uint32_t subnet,
					   const struct ip *addr,
					   uint32_t *table)
{
	const struct model *m = C->m;
	uint32_t t = m->subnets[subnet].route_table;
	uint32_t r;
	*table = t;
	if (t == MODEL_NONE)
		return NULL;
	if (addr->v6 ? !C->s->rt_lpm6[t] ||
			   !lpm6_lookup(C->s->rt_lpm6[t], addr->b, &r)
		     : !lpm_lookup(C->s->rt_lpm[t], addr->v4, &r, NULL))
		return NULL;
	return &m->route_tables[t].routes[r];
}

static void route_desc(char *buf, size_t size, const struct model_route *r)
{
	char c[CIDR6_STRLEN];
	if (r->ipv6)
		cidr6_format(c, r->dst6);
	else
		cidr_format(c, r->dst);
	if (r->target == RT_LOCAL)
		snprintf(buf, size, "%s -> local", c);
	else if (r->target == RT_BLACKHOLE)
		snprintf(buf, size, "%s -> blackhole", c);
	else
		snprintf(buf, size, "%s -> %s %s", c,
			 route_target_name(r->target), r->target_id);
}

static void explain_no_route(struct conn *C, uint32_t subnet, uint32_t t,
			     const struct ip *addr,
			     const struct model_route *blackhole);

/* The route step; returns the route or NULL after blocking. */
static const struct model_route *route_step(struct conn *C, uint32_t subnet,
					    const struct ip *addr,
					    const char *what)
{
	const struct model *m = C->m;
	uint32_t t;
	const struct model_route *r = route_for(C, subnet, addr, &t);
	char a[CIDR6_STRLEN] = "", rd[128];
	if (C->t) /* text for the trace only */
		ip_str(a, addr);
	if (!r) {
		step(C, SK_ROUTE, BLK_NO_ROUTE, MK_ROUTE_TABLE, t, 0,
		     t == MODEL_NONE ? no_loc : m->route_tables[t].obj.loc,
		     "route table %s of subnet %s has no route for %s (%s)",
		     t == MODEL_NONE ? "?" : m->route_tables[t].obj.id,
		     m->subnets[subnet].obj.id, a, what);
		if (C->t)
			explain_no_route(C, subnet, t, addr, NULL);
		return NULL;
	}
	if (C->t)
		route_desc(rd, sizeof(rd), r);
	if (r->target == RT_BLACKHOLE) {
		step(C, SK_ROUTE, BLK_BLACKHOLE, MK_ROUTE_TABLE, t, r->number,
		     r->loc, "route table %s: %s (%s) drops the packet",
		     m->route_tables[t].obj.id, rd, what);
		if (C->t)
			explain_no_route(C, subnet, t, addr, r);
		return NULL;
	}
	step(C, SK_ROUTE, BLK_NONE, MK_ROUTE_TABLE, t, r->number, r->loc,
	     "route table %s of subnet %s: %s matches %s (%s)",
	     m->route_tables[t].obj.id, m->subnets[subnet].obj.id,
	     C->t ? rd : "", a, what);
	return r;
}

static bool vpc_contains(const struct model *m, uint32_t vpc,
			 const struct ip *addr)
{
	const struct model_vpc *v = &m->vpcs[vpc];
	for (uint32_t i = 0; i < v->n_cidrs; i++)
		if (ip_in4(v->cidrs[i], addr))
			return true;
	for (uint32_t i = 0; i < v->n_cidrs6; i++)
		if (ip_in6(v->cidrs6[i], addr))
			return true;
	return false;
}

/* A public subnet of vpc (§6.3), in zone az when one is there, that is
 * not in skip; MODEL_NONE when none. */
static uint32_t public_subnet(const struct model *m, uint32_t vpc,
			      const char *az, const uint32_t *skip,
			      uint32_t nskip)
{
	uint32_t any = MODEL_NONE;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		const struct model_subnet *sn = &m->subnets[i];
		bool skipped = false;
		for (uint32_t k = 0; k < nskip; k++)
			skipped |= skip[k] == i;
		if (sn->vpc != vpc || !sn->is_public || skipped)
			continue;
		if (az && sn->az && !strcmp(az, sn->az))
			return i;
		if (any == MODEL_NONE)
			any = i;
	}
	return any;
}

/* A NAT gateway of vpc that reaches the internet (public, an Elastic IP,
 * in a public subnet, §7), in zone az when one is; MODEL_NONE. */
static uint32_t usable_nat(const struct model *m, uint32_t vpc, const char *az)
{
	uint32_t any = MODEL_NONE;
	for (uint32_t i = 0; i < m->n[MK_NAT_GATEWAY]; i++) {
		const struct model_nat_gateway *g = &m->nat_gateways[i];
		if (g->subnet == MODEL_NONE)
			continue;
		const struct model_subnet *sn = &m->subnets[g->subnet];
		if (sn->vpc != vpc || !g->is_public || !g->has_eip ||
		    !sn->is_public)
			continue;
		if (az && sn->az && !strcmp(az, sn->az))
			return i;
		if (any == MODEL_NONE)
			any = i;
	}
	return any;
}

/*
 * The route of table t that sends subnet's internet traffic to a NAT
 * gateway: an existing one of the VPC (its own zone's first), else a new
 * one in a public subnet of its zone.  old: the route it replaces (a
 * blackhole), NULL to add one.
 */
static void fix_nat_route(struct sim_fix *f, const struct conn *C,
			  uint32_t subnet, uint32_t t,
			  const struct model_route *old)
{
	const struct model *m = C->m;
	const struct model_subnet *sn = &m->subnets[subnet];
	const char *rt = m->route_tables[t].obj.id;
	char dst[CIDR6_STRLEN] = "0.0.0.0/0";
	if (old && old->prefix_list == MODEL_NONE)
		cidr_format(dst, old->dst);
	uint32_t nat = usable_nat(m, sn->vpc, sn->az);
	char id[96];
	if (nat != MODEL_NONE) {
		snprintf(id, sizeof(id), "%s", m->nat_gateways[nat].obj.id);
	} else {
		uint32_t pub = public_subnet(m, sn->vpc, sn->az, NULL, 0);
		if (pub == MODEL_NONE) {
			fix_refuse_in(
			    f,
			    "VPC %s has no public subnet for a NAT gateway: it "
			    "needs an internet gateway and a subnet whose "
			    "route "
			    "table sends 0.0.0.0/0 to it first (or VPC "
			    "endpoints for the AWS services)",
			    m->vpcs[sn->vpc].obj.id);
			return;
		}
		snprintf(id, sizeof(id), "nat-%s", m->subnets[pub].obj.id);
		for (int k = 2; model_find(m, id); k++)
			snprintf(id, sizeof(id), "nat-%s-%d",
				 m->subnets[pub].obj.id, k);
		struct sim_fix_change *c =
		    fix_new_object(f, "nat_gateways", id);
		fix_field(c, "subnet", "%s", m->subnets[pub].obj.id);
		fix_field(c, "elastic_ip", "true");
		fix_text(f,
			 "add a NAT gateway, %s, in public subnet %s, and %s "
			 "route in route table %s sending %s to it",
			 id, m->subnets[pub].obj.id, old ? "change the" : "a",
			 rt, dst);
	}
	struct sim_fix_change *c = fix_change(
	    f, m, MK_ROUTE_TABLE, t, old ? FIX_REPLACE : FIX_ADD, "routes");
	fix_field(c, "destination", "%s", dst);
	fix_field(c, "target", "%s", id);
	if (c && old) {
		c->match_key = "destination";
		snprintf(c->match, sizeof(c->match), "%s", dst);
	}
	if (old)
		fix_text(f,
			 "change the route for %s in route table %s to NAT "
			 "gateway %s",
			 dst, rt, id);
	else
		fix_text(f,
			 "add a route to route table %s sending %s to NAT "
			 "gateway %s",
			 rt, dst, id);
}

/* The gateway endpoint of vpc whose service's prefix list holds addr
 * (S3, DynamoDB: §11), or MODEL_NONE. */
static uint32_t gateway_endpoint_for(const struct model *m, uint32_t vpc,
				     const struct ip *addr)
{
	for (uint32_t e = 0; e < m->n[MK_VPC_ENDPOINT]; e++) {
		const struct model_vpc_endpoint *ep = &m->endpoints[e];
		if (ep->vpc != vpc || ep->type != VPCE_GATEWAY ||
		    ep->prefix_list == MODEL_NONE)
			continue;
		const struct model_prefix_list *p =
		    &m->prefix_lists[ep->prefix_list];
		for (uint32_t i = 0; i < p->n_cidrs; i++)
			if (ip_in4(p->cidrs[i], addr))
				return e;
	}
	return MODEL_NONE;
}

/* Why a route table dropped the packet (no route for addr, or route
 * blackhole), and the route that would carry it. */
static void explain_no_route(struct conn *C, uint32_t subnet, uint32_t t,
			     const struct ip *addr,
			     const struct model_route *blackhole)
{
	const struct model *m = C->m;
	uint32_t vpc = m->subnets[subnet].vpc;
	char a[CIDR6_STRLEN];
	ip_str(a, addr);
	const char *rt = t == MODEL_NONE ? "the subnet's route table"
					 : m->route_tables[t].obj.id;
	uint32_t other = MODEL_NONE;
	for (uint32_t v = 0; v < m->n[MK_VPC] && other == MODEL_NONE; v++)
		if (v != vpc && vpc_contains(m, v, addr))
			other = v;
	uint32_t gep =
	    addr->v6 ? MODEL_NONE : gateway_endpoint_for(m, vpc, addr);
	char extra[300];
	if (other != MODEL_NONE)
		snprintf(extra, sizeof(extra),
			 " The destination is a private address of VPC %s: "
			 "only a peering connection, with a route to it, joins "
			 "two VPCs.",
			 m->vpcs[other].obj.id);
	else if (gep != MODEL_NONE)
		snprintf(extra, sizeof(extra),
			 " The destination is an AWS service that gateway "
			 "endpoint %s serves privately, for the route tables "
			 "it names.",
			 m->endpoints[gep].obj.id);
	else
		snprintf(extra, sizeof(extra),
			 " A subnet reaches the internet by a route to a NAT "
			 "gateway (a private subnet) or to an internet gateway "
			 "(a public one).");
	char *why =
	    blackhole
		? xasprintf(
		      "A blackhole route drops every packet it matches: "
		      "what it pointed to (a NAT gateway, an instance) no "
		      "longer exists.%s",
		      extra)
		: xasprintf("A route table sends each packet by the most "
			    "specific of its routes that matches the "
			    "destination; %s has none for %s, so the packet is "
			    "dropped.%s",
			    rt, a, extra);
	struct sim_fix *f = fix_new();
	if (t == MODEL_NONE) {
		fix_refuse_in(f, "the subnet has no route table");
	} else if (other != MODEL_NONE) {
		uint32_t p = MODEL_NONE;
		for (uint32_t i = 0; i < m->n[MK_PEERING]; i++)
			if ((m->peerings[i].requester == vpc &&
			     m->peerings[i].accepter == other) ||
			    (m->peerings[i].accepter == vpc &&
			     m->peerings[i].requester == other))
				p = i;
		const struct model_vpc *w = &m->vpcs[other];
		char c[CIDR6_STRLEN] = "";
		for (uint32_t i = 0; i < w->n_cidrs; i++)
			if (ip_in4(w->cidrs[i], addr))
				cidr_format(c, w->cidrs[i]);
		if (p == MODEL_NONE || !*c || blackhole) {
			fix_refuse_in(f,
				      "join VPCs %s and %s with a peering "
				      "connection (peerings) and routes on "
				      "both sides",
				      m->vpcs[vpc].obj.id, w->obj.id);
		} else {
			struct sim_fix_change *ch = fix_change(
			    f, m, MK_ROUTE_TABLE, t, FIX_ADD, "routes");
			fix_field(ch, "destination", "%s", c);
			fix_field(ch, "target", "%s", m->peerings[p].obj.id);
			fix_text(f,
				 "add a route to route table %s sending %s to "
				 "peering %s",
				 rt, c, m->peerings[p].obj.id);
		}
	} else if (gep != MODEL_NONE && !blackhole) {
		/* The whole list, as the file writes it, with one more;
		 * one item to append when the list is too long to write. */
		const struct model_vpc_endpoint *ep = &m->endpoints[gep];
		bool whole = ep->n_route_tables < SIM_FIX_FIELDS;
		struct sim_fix_change *ch =
		    fix_change(f, m, MK_VPC_ENDPOINT, gep,
			       whole ? FIX_SET : FIX_ADD, "route_tables");
		if (ch && whole) {
			ch->list = true;
			for (uint32_t i = 0; i < ep->n_route_tables; i++)
				fix_field(ch, "", "%s",
					  m->route_tables[ep->route_tables[i]]
					      .obj.id);
			fix_field(ch, "", "%s", rt);
		} else {
			fix_scalar(ch, "%s", rt);
		}
		fix_text(f, "add route table %s to gateway endpoint %s", rt,
			 m->endpoints[gep].obj.id);
	} else if (addr->v6) {
		fix_refuse_in(f, "IPv6 leaves through an internet gateway or "
				 "an egress-only one: add a route for ::/0 to "
				 "one");
	} else {
		fix_nat_route(f, C, subnet, t, blackhole);
	}
	explain(C, why, f);
}

/* ---- listeners and service ports -------------------------------------- */

void sim_service_ports(const struct sim *s, const struct sim_ep *dst,
		       struct sim_flow *out, uint32_t max, uint32_t *n)
{
	const struct model *m = s->m;
	*n = 0;
	if (dst->kind == EP_SERVICE) {
		if (max)
			out[(*n)++] = (struct sim_flow){PROTO_TCP, 443};
		return;
	}
	if (dst->kind != EP_PLACEMENT)
		return;
	const struct model_placement *p = &m->placements[dst->placement];
	switch (p->kind) {
	case MK_LOAD_BALANCER: {
		const struct model_load_balancer *lb = &m->lbs[p->index];
		for (uint32_t l = 0; l < lb->n_listeners && *n < max; l++)
			out[(*n)++] = (struct sim_flow){
			    lb->listeners[l].protocol == LBP_UDP ? PROTO_UDP
								 : PROTO_TCP,
			    lb->listeners[l].port};
		return;
	}
	case MK_SERVICE: {
		const struct model_service *sv = &m->services[p->index];
		if (sv->task_definition == MODEL_NONE)
			return;
		const struct model_task_definition *td =
		    &m->task_definitions[sv->task_definition];
		for (uint32_t c = 0; c < td->n_containers; c++)
			for (uint32_t k = 0;
			     k < td->containers[c].n_ports && *n < max; k++) {
				struct sim_flow f = {
				    td->containers[c].ports[k].proto,
				    td->containers[c].ports[k].port};
				bool dup = false;
				for (uint32_t j = 0; j < *n; j++)
					dup |= out[j].port == f.port &&
					       out[j].proto == f.proto;
				if (!dup)
					out[(*n)++] = f;
			}
		return;
	}
	case MK_DATABASE:
		if (max)
			out[(*n)++] = (struct sim_flow){
			    PROTO_TCP, m->databases[p->index].port};
		return;
	case MK_VPC_ENDPOINT:
		if (max)
			out[(*n)++] = (struct sim_flow){PROTO_TCP, 443};
		return;
	default:
		return;
	}
}

/* Whether the ports service s listens on are in the input: its task
 * definition is (one known only after deployment, such as a custom
 * resource's attribute, leaves them unknown). */
static bool service_ports_known(const struct model *m, uint32_t s)
{
	return m->services[s].task_definition != MODEL_NONE;
}

/* Set mode: the ports of the flow's protocol that dst listens on. */
static void listening_ports(struct conn *C, const struct epi *dst)
{
	const struct model *m = C->m;
	const struct model_placement *p = dst->pl;
	struct ports open = PORTS_INIT;
	struct sim_flow fl[64];
	uint32_t n = 0;
	switch (p->kind) {
	case MK_LOAD_BALANCER: {
		const struct model_load_balancer *lb = &m->lbs[p->index];
		for (uint32_t l = 0; l < lb->n_listeners; l++) {
			uint16_t port = lb->listeners[l].port;
			if (sim_lb_listener(
				lb, (struct sim_flow){C->flow.proto, port}))
				ports_add(&open, port, port);
		}
		break;
	}
	case MK_SERVICE:
		if (!service_ports_known(m, p->index)) {
			touch(C, MK_SERVICE, p->index);
			ports_add(&open, 0, 65535);
			break;
		}
		/* fall through */
	case MK_DATABASE:
	case MK_VPC_ENDPOINT:
		sim_service_ports(C->s, dst->ep, fl, 64, &n);
		for (uint32_t i = 0; i < n; i++)
			if (fl[i].proto == C->flow.proto)
				ports_add(&open, fl[i].port, fl[i].port);
		break;
	case MK_NAT_GATEWAY:
		break;
	case MK_FLEET:
		/* a function serves nothing; an Auto Scaling group's ports
		 * are unknown: open where its groups allow */
		if (m->fleets[p->index].role != FLEET_FUNCTION)
			ports_add(&open, 0, 65535);
		break;
	default:
		ports_add(&open, 0, 65535);
		break;
	}
	narrow(C, &open, SK_LISTENER, BLK_NOT_LISTENING);
	ports_free(&open);
}

/* A load balancer accepts only on its listeners (§8). */
static void lb_listener_step(struct conn *C, const struct model_placement *p,
			     const char *id)
{
	struct sim_flow f = C->flow;
	const struct model_load_balancer *lb = &C->m->lbs[p->index];
	const struct model_listener *li = sim_lb_listener(lb, f);
	if (!li) {
		char ports[128] = "";
		size_t off = 0;
		for (uint32_t l = 0; l < lb->n_listeners && off < sizeof(ports);
		     l++)
			off += (size_t)snprintf(
			    ports + off, sizeof(ports) - off, "%s%u",
			    l ? ", " : "", lb->listeners[l].port);
		step(C, SK_LISTENER, BLK_NOT_LISTENING, MK_LOAD_BALANCER,
		     p->index, 0, lb->obj.loc,
		     "load balancer %s has no %s listener on port %u "
		     "(listeners: %s): the connection is refused",
		     id, proto_name(f.proto), f.port, off ? ports : "none");
		if (C->t)
			explain(
			    C,
			    xasprintf("A load balancer accepts connections "
				      "only on the ports of its listeners, "
				      "even where its security group allows "
				      "more."),
			    fix_refuse("nothing in the network is wrong: ask "
				       "for a port %s listens on (%s), or "
				       "add a listener",
				       id, off ? ports : "none"));
		return;
	}
	step(C, SK_LISTENER, BLK_NONE, MK_LOAD_BALANCER, p->index, li->port,
	     li->loc,
	     "load balancer %s, listener %u/%s: "
	     "accepts the connection",
	     id, li->port, lb_protocol_name(li->protocol));
}

/* A service, database or interface endpoint listens on its ports. */
static void port_listener_step(struct conn *C, const struct epi *dst,
			       const char *id)
{
	const struct model *m = C->m;
	const struct model_placement *p = dst->pl;
	struct sim_flow f = C->flow;
	struct sim_flow ports[32];
	uint32_t n;
	sim_service_ports(C->s, dst->ep, ports, 32, &n);
	for (uint32_t i = 0; i < n; i++)
		if (ports[i].port == f.port && ports[i].proto == f.proto) {
			step(C, SK_LISTENER, BLK_NONE, p->kind, p->index,
			     f.port, model_object(m, p->kind, p->index)->loc,
			     "%s %s listens on %s %u", model_kind_name(p->kind),
			     id, proto_name(f.proto), f.port);
			return;
		}
	char list[128] = "";
	size_t off = 0;
	for (uint32_t i = 0; i < n && off < sizeof(list); i++)
		off += (size_t)snprintf(
		    list + off, sizeof(list) - off, "%s%s %u", i ? ", " : "",
		    proto_name(ports[i].proto), ports[i].port);
	step(C, SK_LISTENER, BLK_NOT_LISTENING, p->kind, p->index, 0,
	     model_object(m, p->kind, p->index)->loc,
	     "%s %s listens on %s only, not %s %u", model_kind_name(p->kind),
	     id, off ? list : "nothing", proto_name(f.proto), f.port);
	if (C->t)
		explain(C,
			xasprintf("A connection works only to a port where "
				  "something listens; %s %s serves %s only.",
				  model_kind_name(p->kind), id,
				  off ? list : "nothing"),
			fix_refuse("nothing in the network is wrong: ask for "
				   "the port %s serves",
				   id));
}

/* Whether the destination accepts connections on the flow's port. */
static void listener_step(struct conn *C, const struct epi *dst)
{
	const struct model *m = C->m;
	struct sim_flow f = C->flow;
	if (dst->ep->kind != EP_PLACEMENT)
		return;
	const struct model_placement *p = dst->pl;
	const char *id = model_object(m, p->kind, p->index)->id;
	if (C->acc && f.proto != PROTO_ALL) {
		listening_ports(C, dst);
		return;
	}
	if (f.proto == PROTO_ALL) {
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "all protocols asked: listening ports are not checked");
		return;
	}
	switch (p->kind) {
	case MK_LOAD_BALANCER:
		lb_listener_step(C, p, id);
		return;
	case MK_SERVICE:
		if (!service_ports_known(m, p->index)) {
			step(C, SK_NOTE, BLK_NONE, MK_SERVICE, p->index, 0,
			     model_object(m, p->kind, p->index)->loc,
			     "ECS service %s: its task definition is not in "
			     "the input, so its listening ports are unknown: "
			     "assumed open where the groups allow (%s %u)",
			     id, proto_name(f.proto), f.port);
			return;
		}
		port_listener_step(C, dst, id);
		return;
	case MK_DATABASE:
	case MK_VPC_ENDPOINT:
		port_listener_step(C, dst, id);
		return;
	case MK_NAT_GATEWAY:
		step(C, SK_LISTENER, BLK_NOT_LISTENING, MK_NAT_GATEWAY,
		     p->index, 0, model_object(m, p->kind, p->index)->loc,
		     "NAT gateway %s accepts no connections: it only "
		     "translates connections its subnets start",
		     id);
		if (C->t)
			explain(
			    C,
			    xasprintf("A NAT gateway carries connections that "
				      "private resources start; nothing can "
				      "open a connection to it."),
			    fix_refuse("nothing should connect to a NAT "
				       "gateway"));
		return;
	case MK_FLEET:
		if (m->fleets[p->index].role == FLEET_FUNCTION) {
			step(C, SK_LISTENER, BLK_NOT_LISTENING, MK_FLEET,
			     p->index, 0,
			     model_object(m, p->kind, p->index)->loc,
			     "Lambda function %s accepts no connections: it "
			     "only starts them",
			     id);
			if (C->t)
				explain(C,
					xasprintf("A Lambda function in a VPC "
						  "opens connections from its "
						  "network interfaces; nothing "
						  "connects to them."),
					fix_refuse("call the function through "
						   "AWS (an invoke), not the "
						   "network"));
			return;
		}
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "Auto Scaling group %s: listening ports unknown: assumed "
		     "open where the groups allow (%s %u)",
		     id, proto_name(f.proto), f.port);
		return;
	default:
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "%s %s: the model does not say which ports it serves; "
		     "assumed listening on %u",
		     model_kind_name(p->kind), id, f.port);
		return;
	}
}

/* ---- connection shapes ------------------------------------------------- */

/* The reply of a connection between two endpoints in VPCs: NACLs of both
 * subnets when they differ. */
static const char *host_label(const struct model_instance *h)
{
	return h->is_interface ? "network interface" : "instance";
}

/* §3: an appliance whose source/destination check is on drops what it
 * should forward; the fix turns the check off. */
static void explain_check_on(struct conn *C, const struct model_instance *h)
{
	struct sim_fix *f = fix_new();
	struct sim_fix_change *c = fix_change(
	    f, C->m, MK_INSTANCE, h->obj.index, FIX_SET, "source_dest_check");
	fix_scalar(c, "false");
	fix_text(f, "turn off the source/destination check of %s %s",
		 host_label(h), h->obj.id);
	explain(
	    C,
	    xasprintf("An instance drops every packet that is not addressed "
		      "to it or sent by it while its source/destination "
		      "check is on. A firewall or NAT instance that routes "
		      "traffic for others needs the check off."),
	    f);
}

/*
 * §3: the appliances the replies pass on their way from subnet from back
 * to seen: each subnet's route for seen, followed while it leads to an
 * appliance whose check is off; their subnets go into hops (*n of them).
 * An appliance whose check is on drops the replies: false after blocking.
 */
static bool reply_hops(struct conn *C, uint32_t from, const struct ip *seen,
		       const char *sname, uint32_t *hops, uint32_t *n)
{
	const struct model *m = C->m;
	*n = 0;
	while (*n < MAX_HOPS) {
		uint32_t t, np;
		const struct model_route *r = route_for(C, from, seen, &t);
		if (!r || r->target != RT_INSTANCE)
			return true;
		const struct model_instance *h = &m->instances[r->target_index];
		const struct model_placement *p =
		    model_placements(m, MK_INSTANCE, r->target_index, &np);
		if (h->source_dest_check) {
			step(C, SK_ROUTE, BLK_ROUTE, MK_ROUTE_TABLE, t,
			     r->number, r->loc,
			     "route table %s of subnet %s sends the replies to "
			     "%s through %s %s, whose source/destination check "
			     "is on: it drops them",
			     m->route_tables[t].obj.id, m->subnets[from].obj.id,
			     sname, host_label(h), h->obj.id);
			if (C->t)
				explain_check_on(C, h);
			return false;
		}
		if (!np || p->subnet == from)
			return true;
		hops[(*n)++] = p->subnet;
		from = p->subnet;
	}
	return true;
}

/* The reply of a connection between two endpoints in VPCs: the NACLs of
 * every subnet boundary it crosses, through the appliances the routes
 * back send it to (§3, §5). */
static void reply_in_vpc(struct conn *C, const struct epi *src,
			 const struct epi *dst, const struct ip *src_seen_addr)
{
	if (src->subnet == dst->subnet || C->stopped)
		return;
	uint16_t lo, hi;
	sim_ephemeral(C->s, src->ep, &lo, &hi);
	struct ports ok = PORTS_INIT;
	ports_add(&ok, lo, hi);
	char sname[CIDR6_STRLEN], dname[CIDR6_STRLEN];
	ip_str(sname, src_seen_addr);
	ip_str(dname, &dst->addr);
	bool in_last = false;
	uint32_t hops[MAX_HOPS], nh, here = dst->subnet;
	bool go = reply_hops(C, dst->subnet, src_seen_addr, sname, hops, &nh);
	for (uint32_t i = 0; go && i < nh; i++) {
		if (hops[i] == here)
			continue;
		go = nacl_reply(C, here, false, src_seen_addr, sname, lo, hi,
				&ok) &&
		     !C->stopped &&
		     nacl_reply(C, hops[i], true, &dst->addr, dname, lo, hi,
				&ok) &&
		     !C->stopped;
		in_last = true;
		here = hops[i];
	}
	if (go && here != src->subnet &&
	    nacl_reply(C, here, false, src_seen_addr, sname, lo, hi, &ok) &&
	    !C->stopped) {
		/* The source subnet sees replies from the destination's
		 * address. */
		in_last = false;
		if (src->ep->kind != EP_PLACEMENT || !C->app) {
			nacl_reply(C, src->subnet, true, &dst->addr, dname, lo,
				   hi, &ok);
			in_last = true;
		}
	}
	reply_verdict(C, &ok, lo, hi, in_last);
	ports_free(&ok);
}

/* §12: replies need a route back over the same peering, in table t of
 * the destination's subnet; back is the route they take instead. */
static void explain_back_route(struct conn *C, const struct epi *src,
			       uint32_t t, const struct model_route *back,
			       uint32_t peering)
{
	const struct model *m = C->m;
	const struct model_vpc *v = &m->vpcs[src->vpc];
	char c[CIDR6_STRLEN] = "";
	uint8_t len = 0;
	for (uint32_t i = 0; i < v->n_cidrs; i++)
		if (ip_in4(v->cidrs[i], &src->addr)) {
			cidr_format(c, v->cidrs[i]);
			len = v->cidrs[i].len;
		}
	struct sim_fix *f = fix_new();
	/* A new route wins only when it is more specific than the one the
	 * replies take now (longest prefix, §3). */
	if (t == MODEL_NONE || !*c ||
	    (back && (back->ipv6 || back->dst.len >= len))) {
		fix_refuse_in(f,
			      "send the source VPC's block (%s) back over "
			      "peering %s in the destination subnet's "
			      "route table",
			      *c ? c : v->obj.id, m->peerings[peering].obj.id);
	} else {
		struct sim_fix_change *ch =
		    fix_change(f, m, MK_ROUTE_TABLE, t, FIX_ADD, "routes");
		fix_field(ch, "destination", "%s", c);
		fix_field(ch, "target", "%s", m->peerings[peering].obj.id);
		fix_text(f,
			 "add a route to route table %s sending %s back to "
			 "peering %s",
			 m->route_tables[t].obj.id, c,
			 m->peerings[peering].obj.id);
	}
	explain(C,
		xasprintf("Replies are packets too: the destination's route "
			  "table needs a route that sends them back over the "
			  "same peering connection, or they are lost."),
		f);
}

/* A peering route: the packet crosses to the other VPC, which must hold
 * the destination, and the reply needs a route back over the same
 * peering (§12).  Returns false after blocking. */
static bool peering_hop(struct conn *C, const struct epi *src,
			const struct epi *dst, const struct model_route *r,
			const struct ip *seen, const char *sname)
{
	const struct model *m = C->m;
	const struct model_peering *p = &m->peerings[r->target_index];
	uint32_t other = p->requester == src->vpc ? p->accepter : p->requester;
	if (other != dst->vpc || !vpc_contains(m, other, &dst->addr)) {
		step(C, SK_GATEWAY, BLK_ROUTE, MK_PEERING, r->target_index, 0,
		     p->obj.loc,
		     "peering %s leads to VPC %s, which does not hold "
		     "the destination (peering is not transitive)",
		     p->obj.id, m->vpcs[other].obj.id);
		if (C->t)
			explain(
			    C,
			    xasprintf("A peering connection joins exactly "
				      "two VPCs and is not transitive: "
				      "traffic cannot cross VPC %s to reach "
				      "a third one.",
				      m->vpcs[other].obj.id),
			    fix_refuse("join VPC %s and the destination's "
				       "VPC with a peering connection of "
				       "their own, and routes on both sides",
				       m->vpcs[src->vpc].obj.id));
		return false;
	}
	step(C, SK_GATEWAY, BLK_NONE, MK_PEERING, r->target_index, 0,
	     p->obj.loc, "peering %s carries the packet to VPC %s", p->obj.id,
	     m->vpcs[other].obj.id);
	uint32_t t;
	const struct model_route *back = route_for(C, dst->subnet, seen, &t);
	if (!back || back->target != RT_PEERING ||
	    back->target_index != r->target_index) {
		/* The reply is a packet like any other (§3): with no route
		 * for it, it is dropped as no-route. */
		step(C, SK_ROUTE,
		     !back			    ? BLK_NO_ROUTE
		     : back->target == RT_BLACKHOLE ? BLK_BLACKHOLE
						    : BLK_ROUTE,
		     MK_ROUTE_TABLE, t, back ? back->number : 0,
		     t == MODEL_NONE ? no_loc : m->route_tables[t].obj.loc,
		     "route table %s of subnet %s has no route back to "
		     "%s over peering %s: replies are lost",
		     t == MODEL_NONE ? "?" : m->route_tables[t].obj.id,
		     m->subnets[dst->subnet].obj.id, sname, p->obj.id);
		if (C->t)
			explain_back_route(C, src, t, back, r->target_index);
		return false;
	}
	step(C, SK_ROUTE, BLK_NONE, MK_ROUTE_TABLE, t, back->number, back->loc,
	     "route table %s routes replies back over peering %s",
	     m->route_tables[t].obj.id, p->obj.id);
	return true;
}

/*
 * §3: a route (of subnet from's table) to an instance or network
 * interface, an appliance.  With its source/destination check on, it
 * drops every packet not addressed to itself: the route leads nowhere.
 * With the check off it forwards: the packet enters its subnet (that
 * subnet's NACL in, when it comes from another) and its groups (ingress
 * from src), and leaves by its groups' egress to dst; the caller goes on
 * from its subnet.  *a receives the appliance as an end (over *ep, the
 * caller's).  Returns false after blocking.
 */
static bool appliance(struct conn *C, uint32_t from,
		      const struct model_route *r, const struct sg_peer *src,
		      const struct sg_peer *dst, struct sim_ep *ep,
		      struct epi *a)
{
	const struct model *m = C->m;
	uint32_t t = m->subnets[from].route_table;
	const struct model_instance *h = &m->instances[r->target_index];
	uint32_t np;
	const struct model_placement *p =
	    model_placements(m, MK_INSTANCE, r->target_index, &np);
	char rd[128] = "";
	if (C->t)
		route_desc(rd, sizeof(rd), r);
	if (h->source_dest_check) {
		step(C, SK_ROUTE, BLK_ROUTE, MK_ROUTE_TABLE, t, r->number,
		     r->loc,
		     "route table %s: %s, but the source/destination check "
		     "of %s %s is on: it drops every packet not addressed "
		     "to itself",
		     m->route_tables[t].obj.id, rd, host_label(h), h->obj.id);
		if (C->t)
			explain_check_on(C, h);
		return false;
	}
	if (!np) {
		step(C, SK_ROUTE, BLK_UNKNOWN, MK_INSTANCE, h->obj.index, 0,
		     r->loc,
		     "%s %s has no address in a subnet: the verdict is "
		     "unknown",
		     host_label(h), h->obj.id);
		return false;
	}
	if (C->n_hops == MAX_HOPS) {
		step(C, SK_ROUTE, BLK_UNKNOWN, MK_INSTANCE, h->obj.index, 0,
		     r->loc,
		     "the route passes more than %u appliances and NAT "
		     "gateways: vpcsim follows it no further, and the verdict "
		     "is unknown",
		     MAX_HOPS);
		return false;
	}
	*ep = (struct sim_ep){.kind = EP_PLACEMENT,
			      .placement = (uint32_t)(p - m->placements),
			      .v6 = C->v6};
	resolve(C->s, ep, C->v6, C->t != NULL, a);
	step(C, SK_GATEWAY, BLK_NONE, MK_INSTANCE, h->obj.index, 0, h->obj.loc,
	     "%s %s forwards the packet: its source/destination check is "
	     "off (its groups and its subnet's network ACL apply on the way "
	     "in and out)",
	     host_label(h), a->name);
	if (a->subnet != from)
		nacl_step(C, a->subnet, true, src->addr, src->name);
	if (!C->stopped)
		sg_step(C, a, false, src->addr, src->groups, src->n_groups,
			src->name);
	if (!C->stopped)
		sg_step(C, a, true, dst->addr, dst->groups, dst->n_groups,
			dst->name);
	if (C->stopped)
		return false;
	C->hops[C->n_hops++] = a->subnet;
	return true;
}

/*
 * The route from src's subnet to dst in another subnet: the local route
 * within one VPC, a peering (§3, §12), or appliances on the way (§3),
 * each forwarding from its own subnet by that subnet's routes.  *last
 * receives the subnet the packet enters dst's from (dst's own when the
 * last appliance sits there).  Returns false after blocking.
 */
static bool vpc_route(struct conn *C, const struct epi *src,
		      const struct epi *dst, const struct ip *seen,
		      const char *sname, uint32_t *last)
{
	const struct model *m = C->m;
	struct sim_ep eps[MAX_HOPS];
	struct epi hops[MAX_HOPS];
	struct sg_peer sp = {seen, C->app ? C->app->groups : src->groups,
			     C->app ? C->app->n_groups : src->n_groups, sname};
	struct sg_peer dp = {&dst->addr, dst->groups, dst->n_groups, dst->name};
	uint32_t from = src->subnet, k = 0;
	const struct model_route *r;
	C->n_hops = 0;
	for (;;) {
		r = route_step(C, from, &dst->addr, "the destination");
		if (!r)
			return false;
		*last = from;
		if (r->target != RT_INSTANCE)
			break;
		if (!appliance(C, from, r, &sp, &dp, &eps[k], &hops[k]))
			return false;
		uint32_t prev = from;
		from = hops[k++].subnet;
		if (from == dst->subnet) {
			*last = from;
			return true;
		}
		/* Leaving the appliance's subnet: its NACL out, unless the
		 * packet never left the subnet it came from. */
		if (from != prev)
			nacl_step(C, from, false, &dst->addr, dst->name);
		if (C->stopped)
			return false;
	}
	switch (r->target) {
	case RT_LOCAL:
		if (src->vpc == dst->vpc)
			return true;
		step(C, SK_ROUTE, BLK_ROUTE, MK_KIND_COUNT, 0, 0, no_loc,
		     "the local route stays in VPC %s",
		     m->vpcs[src->vpc].obj.id);
		return false;
	case RT_PEERING:
		return peering_hop(C, src, dst, r, seen, sname);
	case RT_TRANSIT:
		step(C, SK_ROUTE, BLK_UNKNOWN, MK_KIND_COUNT, 0, 0, r->loc,
		     "the route leads through %s %s, which vpcsim does not "
		     "follow: the verdict is unknown",
		     route_target_name(r->target), r->target_id);
		return false;
	default:
		step(C, SK_ROUTE, BLK_ROUTE, MK_KIND_COUNT, 0, 0, r->loc,
		     "the destination is a private address of another network; "
		     "%s %s does not carry it there",
		     route_target_name(r->target), r->target_id);
		return false;
	}
}

/* The destination's groups: from the source's private address and groups,
 * or, for a forward that preserves the client's address, from that
 * address and the forwarding load balancer's groups (§4, §8). */
static void target_ingress(struct conn *C, const struct epi *src,
			   const struct epi *dst, const char *sname)
{
	bool lb = src->pl && src->pl->kind == MK_LOAD_BALANCER;
	if (!C->app) {
		if (lb)
			C->sg_note =
			    "A load balancer opens a new connection to "
			    "each target, from its own private address "
			    "and security groups.";
		sg_step(C, dst, false, &src->addr, src->groups, src->n_groups,
			sname);
		C->sg_note = NULL;
		return;
	}
	char a[CIDR6_STRLEN + 40];
	ip_str(a, &C->app->addr);
	strcat(a, " (the client's address, preserved)");
	C->sg_note = C->app->n_groups
			 ? "With client IP preservation the target sees the "
			   "client's own address; a rule naming the load "
			   "balancer's security group matches it too."
			 : "With client IP preservation the target sees the "
			   "client's own address, and this load balancer has "
			   "no security group a rule could name.";
	sg_step(C, dst, false, &C->app->addr, C->app->groups, C->app->n_groups,
		a);
	C->sg_note = NULL;
}

static void in_vpc(struct conn *C, const struct epi *src, const struct epi *dst)
{
	const struct model *m = C->m;
	C->e_src = src;
	C->e_dst = dst;
	C->to_public = false;
	const struct ip *seen = C->app ? &C->app->addr : &src->addr;
	char sname[200] = "", dname[200] = "";
	if (C->t) { /* names are for the trace's text */
		snprintf(sname, sizeof(sname), "%s", src->name);
		snprintf(dname, sizeof(dname), "%s", dst->name);
	}
	C->client_seen = *seen;
	sg_step(C, src, true, &dst->addr, dst->groups, dst->n_groups, dname);
	if (C->stopped)
		return;
	if (src->subnet == dst->subnet) {
		/* §3, §5: delivered inside the subnet, even where a more
		 * specific route sends the subnet's own block elsewhere. */
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "same subnet %s: delivered directly; neither the route "
		     "table nor the network ACL applies to traffic that stays "
		     "in the subnet",
		     m->subnets[src->subnet].obj.id);
	} else {
		nacl_step(C, src->subnet, false, &dst->addr, dname);
		uint32_t last;
		if (C->stopped || !vpc_route(C, src, dst, seen, sname, &last))
			return;
		char a[CIDR6_STRLEN];
		ip_str(a, seen);
		if (last != dst->subnet)
			nacl_step(C, dst->subnet, true, seen, a);
		if (C->stopped)
			return;
	}
	target_ingress(C, src, dst, sname);
	if (C->stopped)
		return;
	listener_step(C, dst);
	if (C->stopped)
		return;
	reply_in_vpc(C, src, dst, seen);
}

/*
 * Whether route table t only lacks its internet route: the VPC has an
 * internet gateway, t has no IPv4 route for 0.0.0.0/0, and nothing but
 * NAT gateways and load balancers sits in the subnets that use t, so
 * the route exposes no instance, task or database.
 */
static bool only_igw_route_missing(const struct model *m, uint32_t t)
{
	const struct model_route_table *rt = &m->route_tables[t];
	if (m->vpcs[rt->vpc].internet_gateway == MODEL_NONE)
		return false;
	for (uint32_t i = 0; i < rt->n_routes; i++)
		if (!rt->routes[i].ipv6 && rt->routes[i].dst.len == 0)
			return false;
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		const struct model_placement *p = &m->placements[i];
		if (m->subnets[p->subnet].route_table == t &&
		    p->kind != MK_NAT_GATEWAY && p->kind != MK_LOAD_BALANCER)
			return false;
	}
	return true;
}

/* The fix for route table t when only_igw_route_missing: the route to
 * its VPC's internet gateway, back. */
static void fix_igw_route(struct sim_fix *f, const struct model *m, uint32_t t)
{
	const struct model_route_table *rt = &m->route_tables[t];
	const char *igw = m->igws[m->vpcs[rt->vpc].internet_gateway].obj.id;
	struct sim_fix_change *c =
	    fix_change(f, m, MK_ROUTE_TABLE, t, FIX_ADD, "routes");
	fix_field(c, "destination", "0.0.0.0/0");
	fix_field(c, "target", "%s", igw);
	fix_text(f,
		 "add a route to route table %s sending 0.0.0.0/0 to internet "
		 "gateway %s",
		 rt->obj.id, igw);
}

/*
 * §6.3: a connection from the internet into a private subnet, whose
 * replies take route rd instead of the internet gateway.  Only a load
 * balancer's node is moved (to a public subnet of its zone): anything
 * else belongs behind one.
 */
static void explain_private_subnet(struct conn *C, const struct epi *dst,
				   const char *rd)
{
	const struct model *m = C->m;
	const struct model_subnet *sn = &m->subnets[dst->subnet];
	char *why = xasprintf(
	    "A connection from the internet works only into a public "
	    "subnet: one whose route table sends the replies (0.0.0.0/0) to "
	    "the internet gateway. Subnet %s sends them by %s instead, so it "
	    "is a private subnet; a NAT gateway carries only connections "
	    "that start inside.",
	    sn->obj.id, rd);
	struct sim_fix *f = exposure_refusal(C, dst);
	if (!f && dst->pl && dst->pl->kind == MK_LOAD_BALANCER) {
		const struct model_load_balancer *lb = &m->lbs[dst->pl->index];
		uint32_t pub = public_subnet(m, sn->vpc, sn->az, lb->subnets,
					     lb->n_subnets);
		f = fix_new();
		if (!C->v6 && only_igw_route_missing(m, sn->route_table)) {
			/* A public subnet that lost its internet route. */
			fix_igw_route(f, m, sn->route_table);
		} else if (pub == MODEL_NONE ||
			   (sn->az && m->subnets[pub].az &&
			    strcmp(sn->az, m->subnets[pub].az))) {
			fix_refuse_in(f,
				      "zone %s has no public subnet for the "
				      "node of %s: add one, or take %s out "
				      "of the load balancer's subnets",
				      sn->az ? sn->az : "?", lb->obj.id,
				      sn->obj.id);
		} else {
			/* The whole list, as the file writes it: one item
			 * changed. */
			bool whole = lb->n_subnets <= SIM_FIX_FIELDS;
			struct sim_fix_change *c = fix_change(
			    f, m, MK_LOAD_BALANCER, lb->obj.index,
			    whole ? FIX_SET : FIX_REPLACE, "subnets");
			if (c && whole) {
				c->list = true;
				for (uint32_t i = 0; i < lb->n_subnets; i++)
					fix_field(
					    c, "", "%s",
					    lb->subnets[i] == dst->subnet
						? m->subnets[pub].obj.id
						: m->subnets[lb->subnets[i]]
						      .obj.id);
			} else if (c) {
				fix_scalar(c, "%s", m->subnets[pub].obj.id);
				snprintf(c->match, sizeof(c->match), "%s",
					 sn->obj.id);
			}
			fix_text(f,
				 "put the node of load balancer %s in public "
				 "subnet %s instead of private subnet %s",
				 lb->obj.id, m->subnets[pub].obj.id,
				 sn->obj.id);
		}
	}
	if (!f)
		f = fix_refuse(
		    "put a load balancer in a public subnet in front "
		    "of %s, or move it to a public subnet",
		    dst->name);
	explain(C, why, f);
}

/*
 * §6: from internet address saddr (named sname) to dst, up to the replies
 * leaving dst's subnet, whose ports go into ok.  Returns whether it got
 * as far as those replies.
 */
static bool in_from_public(struct conn *C, const struct ip *saddr,
			   const char *sname, const struct epi *dst,
			   struct ports *ok, uint16_t lo, uint16_t hi)
{
	const struct model *m = C->m;
	const struct model_vpc *v = &m->vpcs[dst->vpc];
	if (v->internet_gateway == MODEL_NONE) {
		step(C, SK_GATEWAY, BLK_NO_IGW, MK_VPC, dst->vpc, 0, v->obj.loc,
		     "VPC %s has no internet gateway: nothing from the "
		     "internet enters it",
		     v->obj.id);
		if (C->t)
			explain(
			    C,
			    xasprintf("An internet gateway, attached to the "
				      "VPC, is the only door between a VPC "
				      "and the internet. VPC %s has none.",
				      v->obj.id),
			    fix_refuse("VPC %s is closed to the internet: "
				       "it needs an internet gateway, a "
				       "public subnet routing 0.0.0.0/0 to "
				       "it and a resource there with a "
				       "public address (several changes)",
				       v->obj.id));
		return false;
	}
	if (!dst->has_public) {
		step(C, SK_GATEWAY, BLK_NO_PUBLIC_IP, MK_KIND_COUNT, 0, 0,
		     no_loc,
		     C->v6 ? "%s has no IPv6 address the internet may reach "
			     "(%s)"
			   : "%s has no public address (%s): the internet "
			     "cannot address it, and a NAT gateway never lets "
			     "a connection in",
		     dst->name, dst->public_why ? dst->public_why : "");
		if (C->t) {
			struct sim_fix *f = exposure_refusal(C, dst);
			explain(C,
				xasprintf(
				    "The internet can reach only a public "
				    "address, and %s has none: it is private, "
				    "out of the internet's reach. A NAT "
				    "gateway lets private resources open "
				    "connections out; it never lets a "
				    "connection in.",
				    dst->name),
				f ? f
				  : fix_refuse("to serve the internet, put a "
					       "load balancer in a public "
					       "subnet in front of it, and "
					       "keep it private"));
		}
		return false;
	}
	step(C, SK_GATEWAY, BLK_NONE, MK_INTERNET_GATEWAY, v->internet_gateway,
	     0, m->igws[v->internet_gateway].obj.loc,
	     "internet gateway %s delivers to the %s address of %s (%s)",
	     m->igws[v->internet_gateway].obj.id, C->v6 ? "IPv6" : "public",
	     dst->name, dst->public_why);
	/* §6.3: the subnet must route the reply to the gateway. */
	uint32_t t;
	const struct model_route *r = route_for(C, dst->subnet, saddr, &t);
	/* Texts for the trace only: untraced, this runs once per atom of
	 * the internet. */
	char a[CIDR6_STRLEN] = "";
	if (C->t)
		ip_str(a, saddr);
	if (!r || r->target != RT_IGW) {
		char rd[128] = "no route";
		if (r && C->t)
			route_desc(rd, sizeof(rd), r);
		step(C, SK_ROUTE,
		     !r				 ? BLK_NO_ROUTE
		     : r->target == RT_BLACKHOLE ? BLK_BLACKHOLE
						 : BLK_ROUTE,
		     MK_ROUTE_TABLE, t, r ? r->number : 0,
		     r ? r->loc : m->route_tables[t].obj.loc,
		     "route table %s of subnet %s sends replies to %s via %s, "
		     "not the internet gateway: %s",
		     m->route_tables[t].obj.id, m->subnets[dst->subnet].obj.id,
		     a, rd,
		     r && r->target == RT_BLACKHOLE ? "they are dropped"
		     : r && r->target == RT_EIGW
			 ? "an egress-only internet gateway lets in the "
			   "replies to connections from inside, and nothing "
			   "else"
			 : "the subnet is private");
		if (C->t)
			explain_private_subnet(C, dst, rd);
		return false;
	}
	char rd[128] = "";
	if (C->t)
		route_desc(rd, sizeof(rd), r);
	step(C, SK_ROUTE, BLK_NONE, MK_ROUTE_TABLE, t, r->number, r->loc,
	     "route table %s of subnet %s: replies to %s leave by %s",
	     m->route_tables[t].obj.id, m->subnets[dst->subnet].obj.id, a, rd);
	nacl_step(C, dst->subnet, true, saddr, a);
	if (C->stopped)
		return false;
	sg_step(C, dst, false, saddr, NULL, 0, sname);
	if (C->stopped)
		return false;
	listener_step(C, dst);
	if (C->stopped)
		return false;
	nacl_reply(C, dst->subnet, false, saddr, a, lo, hi, ok);
	return true;
}

/* §6: from the internet to an endpoint. */
static void from_internet(struct conn *C, const struct epi *src,
			  const struct epi *dst)
{
	uint16_t lo, hi;
	sim_ephemeral(C->s, src->ep, &lo, &hi);
	struct ports ok = PORTS_INIT;
	ports_add(&ok, lo, hi);
	C->client_seen = src->addr;
	C->e_src = src;
	C->e_dst = dst;
	if (in_from_public(C, &src->addr, src->name, dst, &ok, lo, hi))
		reply_verdict(C, &ok, lo, hi, false);
	ports_free(&ok);
}

/* The source side of a connection to a public address: group egress,
 * NACL out and the route.  Returns the route, or NULL after blocking. */
static const struct model_route *out_to_public(struct conn *C,
					       const struct epi *src,
					       const struct ip *dst_addr,
					       const char *dname)
{
	C->n_hops = 0;
	sg_step(C, src, true, dst_addr, NULL, 0, dname);
	if (C->stopped)
		return NULL;
	nacl_step(C, src->subnet, false, dst_addr, dname);
	if (C->stopped)
		return NULL;
	return route_step(C, src->subnet, dst_addr, dname);
}

static void explain_nat_subnet(struct conn *C,
			       const struct model_nat_gateway *g);

/* A NAT gateway on the way out (§7): public, with an Elastic IP, in a
 * public subnet, and its subnet's NACL both ways.  Returns false after
 * blocking. */
static bool nat_out(struct conn *C, const struct epi *src,
		    const struct model_route *r, const struct ip *dst_addr,
		    const char *dname)
{
	const struct model *m = C->m;
	const struct model_nat_gateway *g = &m->nat_gateways[r->target_index];
	if (!g->is_public || !g->has_eip) {
		step(C, SK_GATEWAY, BLK_NAT_NOT_PUBLIC, MK_NAT_GATEWAY,
		     r->target_index, 0, g->obj.loc,
		     "NAT gateway %s %s: it cannot reach the internet",
		     g->obj.id,
		     g->is_public ? "has no Elastic IP"
				  : "is a private NAT gateway");
		if (C->t) {
			struct sim_fix *f = fix_new();
			struct sim_fix_change *c;
			if (!g->is_public) {
				c = fix_change(f, m, MK_NAT_GATEWAY,
					       g->obj.index, FIX_SET,
					       "connectivity");
				fix_scalar(c, "public");
			}
			c = fix_change(f, m, MK_NAT_GATEWAY, g->obj.index,
				       FIX_SET, "elastic_ip");
			fix_scalar(c, "true");
			fix_text(f, "make NAT gateway %s %swith an Elastic IP",
				 g->obj.id, g->is_public ? "" : "public, ");
			explain(C,
				xasprintf(
				    "A NAT gateway sends the connections "
				    "of private resources to the internet "
				    "from its own Elastic IP, a public "
				    "address. %s",
				    g->is_public ? "Without one, it cannot."
						 : "A private NAT gateway has "
						   "none: it reaches other "
						   "networks, never the "
						   "internet."),
				f);
		}
		return false;
	}
	if (g->subnet == MODEL_NONE) {
		/* A template's NAT gateway whose SubnetId names a resource
		 * vpcsim does not model (the load reported it): where it
		 * sends its traffic is not known (found by fuzz_engine_cfn;
		 * route_for read outside the subnets). */
		step(C, SK_GATEWAY, BLK_NAT_NOT_PUBLIC, MK_NAT_GATEWAY,
		     r->target_index, 0, g->obj.loc,
		     "NAT gateway %s is in no subnet vpcsim knows of: where "
		     "its traffic goes is not known",
		     g->obj.id);
		return false;
	}
	uint32_t t;
	const struct model_route *nr = route_for(C, g->subnet, dst_addr, &t);
	if (!nr || nr->target != RT_IGW) {
		step(C, SK_GATEWAY, BLK_NAT_NOT_PUBLIC, MK_NAT_GATEWAY,
		     r->target_index, 0, g->obj.loc,
		     "NAT gateway %s sits in subnet %s, which is "
		     "private (%s): its traffic never reaches the "
		     "internet",
		     g->obj.id, m->subnets[g->subnet].obj.id,
		     m->subnets[g->subnet].why);
		if (C->t)
			explain_nat_subnet(C, g);
		return false;
	}
	char eip[ADDR_STRLEN + 40];
	if (g->eip)
		addr_str(eip, g->eip);
	else
		snprintf(eip, sizeof(eip),
			 "(an address the model does not "
			 "give)");
	step(C, SK_GATEWAY, BLK_NONE, MK_NAT_GATEWAY, r->target_index, 0,
	     g->obj.loc,
	     "NAT gateway %s in public subnet %s translates the "
	     "connection to its Elastic IP %s",
	     g->obj.id, m->subnets[g->subnet].obj.id, eip);
	char sa[CIDR6_STRLEN];
	ip_str(sa, &src->addr);
	if (g->subnet != src->subnet)
		nacl_step(C, g->subnet, true, &src->addr, sa);
	if (C->stopped)
		return false;
	nacl_step(C, g->subnet, false, dst_addr, dname);
	if (C->stopped)
		return false;
	if (C->t) {
		/* The rest of the NAT leg (§7): the public subnet's route
		 * and its internet gateway.  Both were read above (nr);
		 * these steps only show them, and the verdict's unknown
		 * values stay those it had. */
		const char *unknown = C->res->unknown;
		char rd[128], a[CIDR6_STRLEN];
		route_desc(rd, sizeof(rd), nr);
		ip_str(a, dst_addr);
		step(C, SK_ROUTE, BLK_NONE, MK_ROUTE_TABLE, t, nr->number,
		     nr->loc,
		     "route table %s of public subnet %s (the NAT gateway's): "
		     "%s matches %s (%s)",
		     m->route_tables[t].obj.id, m->subnets[g->subnet].obj.id,
		     rd, a, dname);
		step(C, SK_GATEWAY, BLK_NONE, MK_INTERNET_GATEWAY,
		     nr->target_index, 0, nr->loc,
		     "internet gateway %s: out to the internet from the NAT "
		     "gateway's Elastic IP",
		     nr->target_id);
		C->res->unknown = unknown;
	}
	return true;
}

/* §7: a NAT gateway in a private subnet; the fix gives a subnet meant to
 * be public its internet route, or moves the NAT gateway to a public
 * subnet of its zone. */
static void explain_nat_subnet(struct conn *C,
			       const struct model_nat_gateway *g)
{
	const struct model *m = C->m;
	const struct model_subnet *sn = &m->subnets[g->subnet];
	uint32_t pub = public_subnet(m, sn->vpc, sn->az, NULL, 0);
	struct sim_fix *f = fix_new();
	uint32_t t = sn->route_table;
	if (only_igw_route_missing(m, t)) {
		fix_igw_route(f, m, t);
	} else if (pub == MODEL_NONE) {
		fix_refuse_in(f,
			      "VPC %s has no public subnet to put NAT gateway "
			      "%s in: add one whose route table sends "
			      "0.0.0.0/0 to an internet gateway",
			      m->vpcs[sn->vpc].obj.id, g->obj.id);
	} else {
		struct sim_fix_change *c = fix_change(
		    f, m, MK_NAT_GATEWAY, g->obj.index, FIX_SET, "subnet");
		fix_scalar(c, "%s", m->subnets[pub].obj.id);
		fix_text(f, "move NAT gateway %s to public subnet %s",
			 g->obj.id, m->subnets[pub].obj.id);
	}
	explain(
	    C,
	    xasprintf("A NAT gateway sends traffic on by the route table of "
		      "its own subnet, so it must sit in a public subnet, "
		      "one whose route table sends 0.0.0.0/0 to the "
		      "internet gateway. Subnet %s is private.",
		      sn->obj.id),
	    f);
}

/*
 * The gateway a route to a public address leads to (§7, §11), on the way
 * out.  *seen receives the source address the far end sees: the source's
 * public address, its NAT gateway's Elastic IP (0 when the model does not
 * know them), or its private address through a gateway endpoint.
 * Returns false after blocking.
 */
static bool appliance_out(struct conn *C, const struct epi *src,
			  const struct model_route *r,
			  const struct ip *dst_addr, const char *dname,
			  uint32_t *seen);

/*
 * §7: out through an internet gateway without a public address.  In a
 * public subnet the resource is given one (the ECS task's
 * assign_public_ip, the classic "CannotPullContainerError"); anything
 * else goes through a NAT gateway.
 */
static void explain_no_public_out(struct conn *C, const struct epi *src)
{
	const struct model *m = C->m;
	char *why = xasprintf(
	    "An internet gateway passes traffic only to and from public "
	    "addresses, and %s has none. A resource without one reaches the "
	    "internet through a NAT gateway in a public subnet, which "
	    "sends its connections out from the NAT gateway's address.",
	    src->name);
	struct sim_fix *f = fix_new();
	const struct model_placement *p = src->pl;
	struct sim_fix_change *c = NULL;
	if (p && p->kind == MK_SERVICE && !m->services[p->index].on_ec2) {
		c = fix_change(f, m, MK_SERVICE, p->index, FIX_SET,
			       "assign_public_ip");
		fix_text(f, "give the tasks of service %s public addresses",
			 m->services[p->index].obj.id);
	} else if (p && p->kind == MK_INSTANCE) {
		c = fix_change(f, m, MK_INSTANCE, p->index, FIX_SET,
			       "public_ip");
		fix_text(f, "give %s %s a public address",
			 host_label(&m->instances[p->index]),
			 m->instances[p->index].obj.id);
	} else if (p && p->kind == MK_FLEET &&
		   m->fleets[p->index].role == FLEET_AUTOSCALING) {
		c = fix_change(f, m, MK_FLEET, p->index, FIX_SET, "public_ip");
		fix_text(f, "give the instances of %s public addresses",
			 m->fleets[p->index].obj.id);
	} else {
		fix_refuse_in(f, "route the subnet's internet traffic to a NAT "
				 "gateway in a public subnet instead");
	}
	fix_scalar(c, "true");
	explain(C, why, f);
}

static bool gw_out(struct conn *C, const struct epi *src,
		   const struct model_route *r, const struct ip *dst_addr,
		   const char *dname, uint32_t *seen)
{
	const struct model *m = C->m;
	char a[CIDR6_STRLEN];
	*seen = src->addr.v4;
	switch (r->target) {
	case RT_IGW:
		if (C->v6) {
			/* §6, §7: an IPv6 address is the internet's own. */
			step(C, SK_GATEWAY, BLK_NONE, MK_INTERNET_GATEWAY,
			     r->target_index, 0, r->loc,
			     "internet gateway %s: out to the IPv6 internet, "
			     "from the packet's own IPv6 address",
			     r->target_id);
			return true;
		}
		if (!src->has_public) {
			step(C, SK_GATEWAY, BLK_NO_PUBLIC_IP,
			     MK_INTERNET_GATEWAY, r->target_index, 0, r->loc,
			     "internet gateway %s drops the packet: %s has no "
			     "public address (%s)",
			     r->target_id, src->name, src->public_why);
			if (C->t)
				explain_no_public_out(C, src);
			return false;
		}
		step(C, SK_GATEWAY, BLK_NONE, MK_INTERNET_GATEWAY,
		     r->target_index, 0, r->loc,
		     "internet gateway %s: leaves from the public address of "
		     "%s (%s)",
		     r->target_id, src->name, src->public_why);
		*seen = src->pl ? src->pl->public_addr : 0;
		return true;
	case RT_NAT:
		if (C->v6) {
			step(
			    C, SK_GATEWAY, BLK_UNKNOWN, MK_NAT_GATEWAY,
			    r->target_index, 0, r->loc,
			    "NAT gateway %s takes IPv6 only to translate it to "
			    "IPv4 (NAT64), which vpcsim does not model: the "
			    "verdict is unknown",
			    r->target_id);
			return false;
		}
		*seen = m->nat_gateways[r->target_index].eip;
		C->nat_subnet = m->nat_gateways[r->target_index].subnet;
		if (!nat_out(C, src, r, dst_addr, dname))
			return false;
		if (C->n_hops < MAX_HOPS)
			C->hops[C->n_hops++] =
			    m->nat_gateways[r->target_index].subnet;
		return true;
	case RT_INSTANCE:
		return appliance_out(C, src, r, dst_addr, dname, seen);
	case RT_ENDPOINT: {
		const struct model_vpc_endpoint *e =
		    &m->endpoints[r->target_index];
		step(C, SK_GATEWAY, BLK_NONE, MK_VPC_ENDPOINT, r->target_index,
		     0, e->obj.loc,
		     "gateway endpoint %s carries the packet to %s privately",
		     e->obj.id, e->service);
		return true;
	}
	case RT_LOCAL:
		ip_str(a, dst_addr);
		step(C, SK_ROUTE, BLK_ROUTE, MK_KIND_COUNT, 0, 0, r->loc,
		     "%s is inside the VPC, not on the internet", a);
		return false;
	case RT_PEERING:
		step(C, SK_GATEWAY, BLK_ROUTE, MK_PEERING, r->target_index, 0,
		     r->loc,
		     "peering %s does not carry traffic to the internet (it "
		     "is not transitive)",
		     r->target_id);
		return false;
	case RT_EIGW:
		if (C->v6) {
			step(C, SK_GATEWAY, BLK_NONE, MK_INTERNET_GATEWAY,
			     r->target_index, 0, r->loc,
			     "egress-only internet gateway %s: out to the IPv6 "
			     "internet; it lets in the replies and nothing "
			     "else",
			     r->target_id);
			return true;
		}
		step(C, SK_GATEWAY, BLK_ROUTE, MK_INTERNET_GATEWAY,
		     r->target_index, 0, r->loc,
		     "egress-only gateway %s carries IPv6 only", r->target_id);
		return false;
	default:
		step(C, SK_ROUTE, BLK_UNKNOWN, MK_KIND_COUNT, 0, 0, r->loc,
		     "the route leads through %s %s, which vpcsim does not "
		     "follow: the verdict is unknown",
		     route_target_name(r->target), r->target_id);
		return false;
	}
}

/*
 * §3, §7: an appliance on the way out.  It forwards (appliance) and sends
 * the packet on as its own sender would: its subnet's NACL out when that
 * is another subnet than the one the packet came from, its subnet's
 * route, and the gateway that route leads to, with the appliance as the
 * source.  So an appliance with a public address whose subnet routes the
 * internet to an internet gateway is a NAT instance: the connection
 * leaves from the appliance's public address (*seen), and nothing can
 * start one inward through it.
 */
static bool appliance_out(struct conn *C, const struct epi *src,
			  const struct model_route *r,
			  const struct ip *dst_addr, const char *dname,
			  uint32_t *seen)
{
	struct sim_ep aep;
	struct epi a;
	struct sg_peer sp = {&src->addr, src->groups, src->n_groups, src->name};
	struct sg_peer dp = {dst_addr, NULL, 0, dname};
	if (!appliance(C, src->subnet, r, &sp, &dp, &aep, &a))
		return false;
	if (a.subnet != src->subnet)
		nacl_step(C, a.subnet, false, dst_addr, dname);
	if (C->stopped)
		return false;
	const struct model_route *next =
	    route_step(C, a.subnet, dst_addr, dname);
	return next && gw_out(C, &a, next, dst_addr, dname, seen);
}

/*
 * The replies' way back in through the NAT gateways and appliances the
 * way out passed (C->hops), outermost first: each one's subnet NACL in
 * (from the far end) and, where the next one inward is in another
 * subnet, out to the source; then the source's subnet NACL in (§5, §7).
 * NAT gateways answer on 1024-65535 as every client here does (§5), so
 * one coverage set serves every leg.  Returns whether the reply coverage
 * is to be judged.
 */
static bool gw_back(struct conn *C, const struct epi *src,
		    const struct ip *dst_addr, const char *dname,
		    struct ports *ok, uint16_t lo, uint16_t hi)
{
	if (!C->n_hops) {
		nacl_reply(C, src->subnet, true, dst_addr, dname, lo, hi, ok);
		return true;
	}
	char sa[CIDR6_STRLEN];
	ip_str(sa, &src->addr);
	if (!nacl_reply(C, C->hops[C->n_hops - 1], true, dst_addr, dname, lo,
			hi, ok))
		return false;
	for (uint32_t i = C->n_hops; i-- > 0 && !C->stopped;) {
		uint32_t here = C->hops[i];
		uint32_t inner = i ? C->hops[i - 1] : src->subnet;
		if (here == inner)
			continue;
		if (!nacl_reply(C, here, false, &src->addr, sa, lo, hi, ok))
			break;
		nacl_reply(C, inner, true, dst_addr, dname, lo, hi, ok);
	}
	return !C->stopped;
}

/*
 * §7: from an endpoint to an internet address (dst_addr), through an
 * internet gateway, a NAT gateway, or a gateway endpoint when the address
 * is in an AWS service's prefix list (§11).
 */
static void to_internet(struct conn *C, const struct epi *src,
			const struct ip *dst_addr, const char *dname)
{
	C->e_src = src;
	C->e_dst = src; /* the far end is dst_addr, not an endpoint */
	C->out_dst = *dst_addr;
	C->to_public = true;
	C->nat_subnet = MODEL_NONE;
	const struct model_route *r = out_to_public(C, src, dst_addr, dname);
	if (!r)
		return;
	uint16_t lo, hi;
	sim_ephemeral(C->s, src->ep, &lo, &hi);
	struct ports ok = PORTS_INIT;
	ports_add(&ok, lo, hi);
	uint32_t seen;
	if (gw_out(C, src, r, dst_addr, dname, &seen) &&
	    gw_back(C, src, dst_addr, dname, &ok, lo, hi))
		reply_verdict(C, &ok, lo, hi, true);
	ports_free(&ok);
}

/*
 * §4: from an endpoint in a VPC to another endpoint's public address (its
 * Elastic IP).  The packet leaves through the source's internet or NAT
 * gateway as to any internet address, and comes in through the
 * destination's internet gateway from the source's public address (or its
 * NAT gateway's): group references do not match it, and the NACLs see
 * public addresses.  Then the replies, back both ways.
 */
static void hairpin(struct conn *C, const struct epi *src,
		    const struct epi *dst)
{
	/* Out and back in through the internet: no fixed list of
	 * crossings (nacl_legs), each NACL fixed where it blocks. */
	C->e_src = C->e_dst = NULL;
	struct ip pub = ip4(dst->pl->public_addr);
	const struct model_route *r = out_to_public(C, src, &pub, dst->name);
	if (!r)
		return;
	uint16_t lo, hi;
	sim_ephemeral(C->s, src->ep, &lo, &hi);
	struct ports ok = PORTS_INIT;
	ports_add(&ok, lo, hi);
	uint32_t seen;
	char a[ADDR_STRLEN], sname[256];
	if (!gw_out(C, src, r, &pub, dst->name, &seen))
		goto out;
	if (!seen) {
		/* AWS assigns the address at launch: any public address may
		 * be it, and the representative client's stands for it. */
		seen = SIM_INTERNET_ADDR;
		addr_str(a, seen);
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "the public address the connection leaves from is given "
		     "at launch and not in the model: %s stands for it",
		     a);
	}
	addr_str(a, seen);
	snprintf(sname, sizeof(sname), "%s (the public address %s leaves from)",
		 a, src->name);
	struct ip seen_ip = ip4(seen);
	C->client_seen = seen_ip;
	if (in_from_public(C, &seen_ip, sname, dst, &ok, lo, hi) &&
	    !C->stopped && gw_back(C, src, &pub, dst->name, &ok, lo, hi))
		reply_verdict(C, &ok, lo, hi, true);
out:
	ports_free(&ok);
}

/* ---- AWS services (§9, §11) ------------------------------------------ */

struct svc_part {
	const char *endpoint_service; /* interface endpoint name */
	uint32_t addr;		      /* representative public address */
};

/* An endpoint's representative public address: from the service's
 * prefix list when the model has one (S3, a gateway service), else the
 * table's. */
static uint32_t service_addr(const struct model *m,
			     const struct values_endpoint *e)
{
	for (uint32_t i = 0; i < m->n[MK_PREFIX_LIST]; i++)
		if (m->prefix_lists[i].service &&
		    !strcmp(m->prefix_lists[i].service, e->service) &&
		    m->prefix_lists[i].n_cidrs)
			return m->prefix_lists[i].cidrs[0].addr + 10;
	return e->addr;
}

/* The endpoints of a service and their public addresses (model/values.c). */
static uint32_t service_parts(const struct model *m, enum sim_service svc,
			      struct svc_part *out)
{
	const struct values_aws_service *v =
	    values_aws_service(sim_service_name(svc) + strlen("aws:"));
	if (!v)
		return 0;
	for (uint32_t i = 0; i < v->n_endpoints; i++)
		out[i] = (struct svc_part){v->endpoints[i].service,
					   service_addr(m, &v->endpoints[i])};
	return v->n_endpoints;
}

/* An interface endpoint for the service in the VPC whose private DNS
 * answers for the service name; its interface in az if there is one. */
static bool find_interface_endpoint(const struct model *m, uint32_t vpc,
				    const char *service, const char *az,
				    uint32_t *placement)
{
	for (uint32_t e = 0; e < m->n[MK_VPC_ENDPOINT]; e++) {
		const struct model_vpc_endpoint *ep = &m->endpoints[e];
		if (ep->vpc != vpc || ep->type != VPCE_INTERFACE ||
		    !ep->private_dns || !ep->service ||
		    strcmp(ep->service, service))
			continue;
		uint32_t n;
		const struct model_placement *p =
		    model_placements(m, MK_VPC_ENDPOINT, e, &n);
		if (!n)
			continue;
		uint32_t pick = 0;
		for (uint32_t i = 0; i < n; i++)
			if (az && m->subnets[p[i].subnet].az &&
			    !strcmp(m->subnets[p[i].subnet].az, az)) {
				pick = i;
				break;
			}
		*placement = (uint32_t)(p - m->placements) + pick;
		return true;
	}
	return false;
}

static void to_service(struct conn *C, const struct epi *src,
		       enum sim_service svc)
{
	const struct model *m = C->m;
	struct svc_part parts[2];
	uint32_t n = service_parts(m, svc, parts);
	/* The services' API endpoints answer HTTPS only (§9). */
	if (C->acc) {
		struct ports https = PORTS_INIT;
		if (C->flow.proto == PROTO_TCP)
			ports_add(&https, 443, 443);
		narrow(C, &https, SK_LISTENER, BLK_NOT_LISTENING);
		ports_free(&https);
		if (C->stopped)
			return;
	} else if (C->flow.proto != PROTO_ALL &&
		   (C->flow.proto != PROTO_TCP || C->flow.port != 443)) {
		step(C, SK_LISTENER, BLK_NOT_LISTENING, MK_KIND_COUNT, 0, 0,
		     no_loc, "%s answers HTTPS on tcp 443 only",
		     sim_service_name(svc));
		if (C->t)
			explain(C,
				xasprintf("AWS service APIs answer HTTPS, on "
					  "tcp 443, and nothing else."),
				fix_refuse("ask for tcp 443"));
		return;
	}
	struct sim_result agg = *C->res;
	bool any_degraded = false;
	uint32_t worst_ok = UINT32_MAX, worst_total = 0;
	for (uint32_t i = 0; i < n && !C->stopped; i++) {
		uint32_t pl;
		const char *az = m->subnets[src->subnet].az;
		C->partial_set = false; /* each part has its own replies */
		char name[64];
		snprintf(name, sizeof(name), "%s (%s)", sim_service_name(svc),
			 parts[i].endpoint_service);
		if (find_interface_endpoint(
			m, src->vpc, parts[i].endpoint_service, az, &pl)) {
			struct sim_ep ep = {.kind = EP_PLACEMENT,
					    .placement = pl};
			struct epi dst;
			resolve(C->s, &ep, false, C->t != NULL, &dst);
			step(C, SK_NOTE, BLK_NONE, MK_VPC_ENDPOINT,
			     m->placements[pl].index, 0,
			     model_object(m, MK_VPC_ENDPOINT,
					  m->placements[pl].index)
				 ->loc,
			     "%s resolves to interface endpoint %s (private "
			     "DNS)",
			     parts[i].endpoint_service, dst.name);
			in_vpc(C, src, &dst);
		} else {
			step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
			     "%s: no interface endpoint in VPC %s, so the "
			     "public endpoint is used",
			     parts[i].endpoint_service,
			     m->vpcs[src->vpc].obj.id);
			struct ip pa = ip4(parts[i].addr);
			to_internet(C, src, &pa, name);
		}
		if (C->res->degraded) {
			any_degraded = true;
			if (C->res->ports_ok < worst_ok) {
				worst_ok = C->res->ports_ok;
				worst_total = C->res->ports_total;
			}
		}
	}
	(void)agg;
	if (any_degraded) {
		C->res->degraded = true;
		C->res->ports_ok = worst_ok;
		C->res->ports_total = worst_total;
	}
}

/* ---- load balancers forward (§8) ------------------------------------- */

/*
 * A listener's forward is evaluated beside the client's connection, never
 * in its place: the load balancer is reached when its listener accepts,
 * and answers (503) when no target serves.  The forwards come from
 * sim_lb_forwards (lb.c); each is checked here by sim_forward_check.
 */

/* fix_lo..fix_hi: the ports a fix must open (conn), 0..0 for the flow's
 * own port. */
static void connect_inner(const struct sim *s, const struct sim_ep *src,
			  const struct sim_ep *dst, struct sim_flow flow,
			  struct sim_result *res, struct sim_trace *t,
			  int depth, const struct apparent *app,
			  uint16_t fix_lo, uint16_t fix_hi);

static struct sim_ep target_ep(const struct sim_target *t)
{
	if (t->placement != MODEL_NONE)
		return (struct sim_ep){.kind = EP_PLACEMENT,
				       .placement = t->placement};
	return (struct sim_ep){
	    .kind = EP_ADDRESS, .addr = t->addr, .subnet = t->subnet};
}

/* The worst degraded leg that still works (§5). */
static void note_degraded(struct sim_fwd_check *out, const struct sim_result *r)
{
	if (r->reachable && r->degraded &&
	    (!out->degraded || r->ports_ok < out->ports_ok)) {
		out->degraded = true;
		out->ports_ok = r->ports_ok;
		out->ports_total = r->ports_total;
	}
}

/*
 * sim_forward_check at a depth.  The legs are the traffic and the health
 * check; one connection serves both when they share the port and the
 * source.  The trace shows the traffic leg, then the health check when
 * the traffic got through; the health check is evaluated either way,
 * since a target that fails it gets no traffic at all.
 */
static void ports_inner(const struct sim *s, const struct sim_ep *src,
			const struct sim_ep *dst, enum proto proto,
			struct ports *out, struct sim_result *res,
			const struct apparent *app);

/*
 * The port of lo..hi a forward is judged on: the first the path refuses,
 * else lo.  A dynamic host port may be any of the range (each task gets
 * its own), so the forward works only when every port of it does, and a
 * refused one shows why in the trace.
 */
static uint16_t range_port(const struct sim *s, const struct sim_ep *src,
			   const struct sim_ep *dst, enum proto proto,
			   uint16_t lo, uint16_t hi, const struct apparent *app)
{
	struct ports ok = PORTS_INIT;
	struct sim_result r;
	ports_inner(s, src, dst, proto, &ok, &r, app);
	uint16_t pick = lo;
	for (uint32_t p = lo; p <= hi; p++)
		if (!ports_contains(&ok, (uint16_t)p)) {
			pick = (uint16_t)p;
			break;
		}
	sim_result_free(&r);
	ports_free(&ok);
	return pick;
}

/* Whether dst serves fl (sim_service_ports). */
static bool serves(const struct sim *s, const struct sim_ep *dst,
		   struct sim_flow fl)
{
	struct sim_flow ports[32];
	uint32_t n;
	sim_service_ports(s, dst, ports, 32, &n);
	for (uint32_t i = 0; i < n; i++)
		if (ports[i].proto == fl.proto && ports[i].port == fl.port)
			return true;
	return false;
}

/*
 * A health check on a port the target does not serve fails wherever the
 * network lets it through, so opening the network for it (the blocking
 * step's own fix) is not the fix: checking the traffic port is.  The
 * blocking step of the health check's leg, traced from step `from` of t,
 * gets that fix instead.
 */
static void health_port_fix(const struct sim *s, const struct sim_fwd *f,
			    const struct sim_ep *tep, struct sim_trace *t,
			    uint32_t from)
{
	const struct model *m = s->m;
	const struct model_target_group *tg =
	    &m->target_groups[f->target_group];
	if (!tg->health_check_port || serves(s, tep, f->health) ||
	    !serves(s, tep, f->traffic))
		return;
	struct sim_step *st = NULL;
	for (uint32_t i = from; i < t->n; i++)
		if (t->steps[i].block != BLK_NONE && t->steps[i].fix)
			st = &t->steps[i];
	if (!st)
		return;
	sim_fix_free(st->fix);
	free(st->fix);
	struct sim_fix *fx = fix_new();
	struct sim_fix_change *c = fix_change(
	    fx, m, MK_TARGET_GROUP, f->target_group, FIX_SET, "health_check");
	fix_field(c, "port", "traffic-port");
	if (tg->health_check_path)
		fix_field(c, "path", "%s", tg->health_check_path);
	fix_text(fx,
		 "the targets do not serve %s %u, so the health check fails "
		 "even with the network open: check the traffic port (%u) in "
		 "target group %s",
		 proto_name(f->health.proto), f->health.port, f->traffic.port,
		 tg->obj.id);
	st->fix = fx;
}

/*
 * sim_forward_check at a depth.  The legs are the traffic and the health
 * check; one connection serves both when they share the port and the
 * source.  The trace shows the traffic leg, then the health check when
 * the traffic got through; the health check is evaluated either way,
 * since a target that fails it gets no traffic at all.  A target on a
 * dynamic port range is judged on its worst port (range_port).
 */
static void forward_check(const struct sim *s, const struct sim_fwd *f,
			  const uint32_t *client, struct sim_fwd_check *out,
			  struct sim_trace *t, int depth)
{
	const struct model *m = s->m;
	const struct model_load_balancer *lb = &m->lbs[f->lb];
	struct sim_ep nep = {.kind = EP_PLACEMENT, .placement = f->node};
	struct sim_ep tep = target_ep(&f->target);
	bool preserve = f->preserve && client;
	struct apparent app = {ip4(client ? *client : 0), lb->groups,
			       lb->n_groups};
	struct sim_flow traffic = f->traffic, health = f->health;
	if (f->target.port_hi > f->target.port) {
		bool hc_traffic = health.port == traffic.port;
		traffic.port =
		    range_port(s, &nep, &tep, traffic.proto, f->target.port,
			       f->target.port_hi, preserve ? &app : NULL);
		if (hc_traffic)
			health.port =
			    preserve ? range_port(s, &nep, &tep, health.proto,
						  f->target.port,
						  f->target.port_hi, NULL)
				     : traffic.port;
	}
	memset(out, 0, sizeof(*out));
	connect_inner(s, &nep, &tep, traffic, &out->res, t, depth,
		      preserve ? &app : NULL, f->target.port,
		      f->target.port_hi);
	note_degraded(out, &out->res);
	out->failed_flow = traffic;
	out->health_step = t ? t->n : 0;
	if (!preserve && health.port == traffic.port) {
		out->healthy = out->works = out->res.reachable;
		return;
	}
	struct sim_result h;
	connect_inner(s, &nep, &tep, health, &h, out->res.reachable ? t : NULL,
		      depth, NULL,
		      health.port == traffic.port ? f->target.port : 0,
		      health.port == traffic.port ? f->target.port_hi : 0);
	note_degraded(out, &h);
	if (t && out->res.reachable && !h.reachable)
		health_port_fix(s, f, &tep, t, out->health_step);
	out->healthy = h.reachable;
	out->works = out->res.reachable && h.reachable;
	if (out->res.reachable && !h.reachable) {
		sim_result_free(&out->res);
		out->res = h;
		out->health_failed = true;
		out->failed_flow = health;
		return;
	}
	sim_result_free(&h);
}

void sim_forward_check(const struct sim *s, const struct sim_fwd *f,
		       const uint32_t *client, struct sim_fwd_check *out,
		       struct sim_trace *trace)
{
	forward_check(s, f, client, out, trace, 1);
}

/* "rule priority 10 path /api host x", "default action". */
static void action_cond(char *cond, size_t size,
			const struct model_listener_rule *rule)
{
	if (!rule) {
		snprintf(cond, size, "default action");
		return;
	}
	size_t off =
	    (size_t)snprintf(cond, size, "rule priority %u", rule->priority);
	for (uint32_t k = 0; k < rule->n_paths && off < size; k++)
		off += (size_t)snprintf(cond + off, size - off, " path %s",
					rule->paths[k]);
	for (uint32_t k = 0; k < rule->n_hosts && off < size; k++)
		off += (size_t)snprintf(cond + off, size - off, " host %s",
					rule->hosts[k]);
}

/* Moves a sub-connection's steps into the connection's trace. */
static void adopt_steps(struct conn *C, struct sim_trace *sub)
{
	for (uint32_t k = 0; k < sub->n; k++) {
		if (C->t->n == C->t->cap) {
			C->t->cap = C->t->cap ? 2 * C->t->cap : 16;
			C->t->steps = xreallocarray(C->t->steps, C->t->cap,
						    sizeof(*C->t->steps));
		}
		C->t->steps[C->t->n++] = sub->steps[k];
		sub->steps[k].text = NULL;
		sub->steps[k].hint = NULL;
		sub->steps[k].why = NULL;
		sub->steps[k].fix = NULL;
	}
}

/* Each forward of target group's run fw[from, to) for the client:
 * counted, and one pair quoted in full (the first failing, else the
 * first). */
static void forward_group(struct conn *C, const struct sim_fwds *fw,
			  uint32_t from, uint32_t to)
{
	struct sim_fwd_verdict *v = &C->res->fwd;
	uint32_t detail_done = 0;
	for (uint32_t i = from; i < to; i++) {
		const struct sim_fwd *f = &fw->v[i];
		struct sim_trace sub;
		struct sim_fwd_check ck;
		sim_trace_init(&sub);
		/* An IPv6 client reaches IPv4 targets from the node's own
		 * address: no client address to preserve (§8). */
		forward_check(C->s, f,
			      C->client_seen.v6 ? NULL : &C->client_seen.v4,
			      &ck, C->t ? &sub : NULL, C->depth + 1);
		v->paths++;
		v->paths_ok += ck.works;
		v->healthy += ck.healthy;
		if (ck.res.unknown && !v->unknown)
			v->unknown = ck.res.unknown;
		if (ck.works && ck.degraded &&
		    (!v->degraded || ck.ports_ok < v->ports_ok)) {
			v->degraded = true;
			v->ports_ok = ck.ports_ok;
			v->ports_total = ck.ports_total;
		}
		if (C->t && (!detail_done || (!ck.works && detail_done == 1))) {
			char nn[160], tn[160];
			struct sim_ep nep = {.kind = EP_PLACEMENT,
					     .placement = f->node};
			struct sim_ep tep = target_ep(&f->target);
			bool two =
			    f->preserve || f->health.port != f->traffic.port;
			sim_ep_format(nn, sizeof(nn), C->s, &nep);
			sim_ep_format(tn, sizeof(tn), C->s, &tep);
			char port[48];
			if (f->target.port_hi > f->target.port)
				snprintf(port, sizeof(port),
					 "ports %u-%u (dynamic host port)",
					 f->target.port, f->target.port_hi);
			else
				snprintf(port, sizeof(port), "port %u",
					 f->target.port);
			step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
			     "node %s -> target %s %s%s:", nn, tn, port,
			     two ? " and health check" : "");
			adopt_steps(C, &sub);
			detail_done = ck.works ? 1 : 2;
		}
		sim_trace_free(&sub);
		sim_result_free(&ck.res);
	}
}

/* Notes the registered targets of tg that the load balancer never sends
 * to: their zone is not one it enables (§8). */
static void note_disabled_zones(struct conn *C, uint32_t lb, uint32_t tg,
				uint32_t vpc)
{
	const struct model *m = C->m;
	uint32_t n = sim_tg_targets(m, tg, vpc, NULL, 0);
	struct sim_target *ts = xcalloc(n ? n : 1, sizeof(*ts));
	sim_tg_targets(m, tg, vpc, ts, n);
	for (uint32_t i = 0; i < n; i++) {
		if (sim_lb_zone_enabled(m, lb, ts[i].subnet))
			continue;
		char tn[160];
		struct sim_ep tep = target_ep(&ts[i]);
		sim_ep_format(tn, sizeof(tn), C->s, &tep);
		step(C, SK_NOTE, BLK_NONE, MK_TARGET_GROUP, tg, 0,
		     m->target_groups[tg].obj.loc,
		     "target %s is in availability zone %s, which load "
		     "balancer %s does not enable: it gets no traffic",
		     tn, m->subnets[ts[i].subnet].az, m->lbs[lb].obj.id);
	}
	free(ts);
}

/* The first action of li (AWS order) that forwards to tg. */
static uint32_t first_action_to(const struct model_listener *li, uint32_t tg)
{
	const struct model_listener_rule *rule;
	for (uint32_t k = 0; k <= li->n_rules; k++) {
		const struct model_lb_action *a =
		    sim_listener_action(li, k, &rule);
		if (a->kind == LBA_FORWARD && a->target_group == tg)
			return k;
	}
	return li->n_rules;
}

/* One action of the listener, in the trace; a forward to a target group
 * not forwarded to before is evaluated (its run of fw). */
static void forward_action(struct conn *C, const struct epi *lbn,
			   uint32_t listener, uint32_t k,
			   const struct sim_fwds *fw, uint32_t *next)
{
	const struct model *m = C->m;
	const struct model_load_balancer *lb = &m->lbs[lbn->pl->index];
	const struct model_listener *li = &lb->listeners[listener];
	const struct model_listener_rule *rule;
	const struct model_lb_action *act = sim_listener_action(li, k, &rule);
	char cond[160];
	action_cond(cond, sizeof(cond), rule);
	if (act->kind == LBA_REDIRECT) {
		step(C, SK_FORWARD, BLK_NONE, MK_LOAD_BALANCER, lb->obj.index,
		     0, act->loc, "listener %u, %s: redirects (%u) to %s:%u",
		     li->port, cond, act->status_code,
		     act->redirect_protocol >= 0
			 ? lb_protocol_name(
			       (enum lb_protocol)act->redirect_protocol)
			 : "the same protocol",
		     act->redirect_port ? act->redirect_port : li->port);
		return;
	}
	if (act->kind == LBA_FIXED_RESPONSE) {
		step(C, SK_FORWARD, BLK_NONE, MK_LOAD_BALANCER, lb->obj.index,
		     0, act->loc,
		     "listener %u, %s: the load balancer answers itself (%u)",
		     li->port, cond, act->status_code);
		return;
	}
	if (act->target_group == MODEL_NONE)
		return;
	const struct model_target_group *tg =
	    &m->target_groups[act->target_group];
	if (tg->target_type == TT_LAMBDA) {
		step(C, SK_FORWARD, BLK_NONE, MK_TARGET_GROUP, tg->obj.index, 0,
		     act->loc,
		     "listener %u, %s: invokes the Lambda functions of target "
		     "group %s, which is no network connection vpcsim follows",
		     li->port, cond, tg->obj.id);
		return;
	}
	uint32_t nt = sim_tg_targets(m, act->target_group, lbn->vpc, NULL, 0);
	bool preserve = lb->type == LB_NETWORK && tg->preserve_client_ip;
	uint16_t hc = tg->health_check_port;
	step(C, SK_FORWARD, BLK_NONE, MK_TARGET_GROUP, tg->obj.index, 0,
	     act->loc,
	     "listener %u, %s: forwards to target group %s (%u "
	     "target placement%s, health check on %s %u)%s",
	     li->port, cond, tg->obj.id, nt, nt == 1 ? "" : "s",
	     hc ? "port" : "the traffic port", hc ? hc : tg->port,
	     preserve ? "; the targets see the client's address "
			"(client IP preservation)"
		      : "");
	/* A group an earlier action names was evaluated there. */
	if (first_action_to(li, act->target_group) != k)
		return;
	uint32_t from = *next, to = from;
	while (to < fw->n && fw->v[to].action == k)
		to++;
	*next = to;
	if (C->t)
		note_disabled_zones(C, lb->obj.index, act->target_group,
				    lbn->vpc);
	forward_group(C, fw, from, to);
}

/* A forward step that decides the second verdict, never the first: the
 * connection goes on, and a block is the forward's own (§8). */
__attribute__((format(printf, 5, 6))) static void
forward_verdict_step(struct conn *C, enum sim_block block, uint32_t lb,
		     const struct model_listener *li, const char *f, ...)
{
	struct sim_fwd_verdict *v = &C->res->fwd;
	if (block != BLK_NONE) {
		v->block = block;
		v->block_step = C->t ? (int)C->t->n : -1;
	}
	va_list ap;
	va_start(ap, f);
	char *text = C->t ? xvasprintf(f, ap) : NULL;
	va_end(ap);
	step(C, SK_FORWARD, BLK_NONE, MK_LOAD_BALANCER, lb, 0, li->loc, "%s",
	     text ? text : "-");
	if (C->t)
		C->t->steps[C->t->n - 1].block = block;
	free(text);
}

/* The forward's verdict for this client (§8): served when a path works. */
static void forward_verdict(struct conn *C, uint32_t lb,
			    const struct model_listener *li)
{
	struct sim_fwd_verdict *v = &C->res->fwd;
	/* A degraded forward makes requests fail now and then: said, never
	 * called fully working (§5). */
	if (v->degraded && v->paths_ok) {
		char fails[64];
		sim_fail_words(fails, sizeof(fails), v->ports_ok,
			       v->ports_total);
		step(C, SK_NOTE, BLK_NONE, MK_KIND_COUNT, 0, 0, no_loc,
		     "degraded: a node-to-target path gets its replies on %u "
		     "of %u ports only; on that path %s",
		     v->ports_ok, v->ports_total, fails);
	}
	if (v->paths == 0)
		forward_verdict_step(
		    C, BLK_NO_HEALTHY_TARGET_PATH, lb, li,
		    "listener %u forwards to target groups with no target "
		    "this node sends to: %s",
		    li->port,
		    C->m->lbs[lb].type == LB_APPLICATION
			? "the load balancer answers 503 itself"
			: "the load balancer has nowhere to pass the "
			  "connection");
	else if (v->paths_ok == 0)
		forward_verdict_step(
		    C, BLK_NO_HEALTHY_TARGET_PATH, lb, li,
		    "none of the %u node-to-target paths works: every target "
		    "is unhealthy or unreachable, %s",
		    v->paths,
		    C->m->lbs[lb].type == LB_APPLICATION
			? "the client gets 503"
			: "the client's connection is not served");
	else
		forward_verdict_step(C, BLK_NONE, lb, li,
				     "%u of %u node-to-target paths work",
				     v->paths_ok, v->paths);
	if (C->t && !v->paths_ok)
		explain(
		    C,
		    xasprintf("The load balancer answers the client itself, "
			      "but passes each request only to a target "
			      "that passes its health check and that it "
			      "can reach; here none does, so %s.",
			      C->m->lbs[lb].type == LB_APPLICATION
				  ? "the client gets 503 Service "
				    "Unavailable"
				  : "the client's connection is not "
				    "served"),
		    v->paths ? fix_refuse("fix the path from the load "
					  "balancer to its targets: see "
					  "its BLOCKED step above")
			     : fix_refuse("register targets the load "
					  "balancer sends to (its target "
					  "group, in a zone it enables)"));
}

/*
 * After a client reached a listener: the listener's actions in AWS order,
 * the trace of each, and the forwards of the node the client reached to
 * every target it sends to, on the traffic and health-check ports.
 */
static void forward(struct conn *C, const struct epi *lbn)
{
	const struct model *m = C->m;
	uint32_t lbi = lbn->pl->index;
	const struct model_load_balancer *lb = &m->lbs[lbi];
	const struct model_listener *li = sim_lb_listener(lb, C->flow);
	if (!li)
		return;
	uint32_t listener = (uint32_t)(li - lb->listeners), next = 0;
	struct sim_fwds fw = {0};
	sim_lb_forwards(m, lbi, listener, (uint32_t)(lbn->pl - m->placements),
			&fw);
	C->res->fwd.asked = sim_listener_forwards(m, li);
	C->res->fwd.block_step = -1;
	for (uint32_t k = 0; k <= li->n_rules; k++)
		forward_action(C, lbn, listener, k, &fw, &next);
	if (C->res->fwd.asked)
		forward_verdict(C, lbi, li);
	sim_fwds_free(&fw);
}

/* ---- entry ------------------------------------------------------------ */

/* The objects an endpoint stands on: its own and its subnet's unknown
 * values bear on every verdict about it. */
static void touch_endpoint(struct conn *C, const struct epi *e)
{
	if (e->pl)
		touch(C, e->pl->kind, e->pl->index);
	if (e->subnet != MODEL_NONE)
		touch(C, MK_SUBNET, e->subnet);
}

/* An end in a VPC the input does not describe (model.h: external):
 * nothing tells how traffic goes there, so the verdict is unknown, for
 * the VPC's reason. */
static bool outside(struct conn *C, const struct epi *e)
{
	if (!e->in_vpc || e->vpc == MODEL_NONE || !C->m->vpcs[e->vpc].external)
		return false;
	const struct model_vpc *v = &C->m->vpcs[e->vpc];
	step(C, SK_NOTE, BLK_UNKNOWN, MK_VPC, e->vpc, 0, v->obj.loc,
	     "%s is in VPC %s: %s", e->name, v->obj.id,
	     v->obj.n_unknowns ? v->obj.unknowns[0] : "unknown");
	return true;
}

/*
 * §2: an IPv6 connection needs an IPv6 address at each end in a VPC; the
 * internet's way in to one without is in_from_public's to judge (it says
 * why the internet may not reach it).  AWS services are asked over IPv4.
 * Returns false after blocking.
 */
static bool ipv6_ends(struct conn *C, const struct epi *a, const struct epi *b)
{
	if (b->ep->kind == EP_SERVICE) {
		step(C, SK_NOTE, BLK_UNKNOWN, MK_KIND_COUNT, 0, 0, no_loc,
		     "vpcsim asks AWS services over IPv4 only");
		return false;
	}
	const struct epi *e = a->no_addr6 ? a : b;
	if (!e->no_addr6 || (e == b && a->ep->kind == EP_INTERNET))
		return true;
	step(C, SK_GATEWAY,
	     e == a && b->ep->kind == EP_INTERNET ? BLK_NO_PUBLIC_IP
						  : BLK_ROUTE,
	     MK_KIND_COUNT, 0, 0, no_loc,
	     "%s has no IPv6 address (%s): it neither sends nor receives "
	     "IPv6",
	     e->name, e->public_why ? e->public_why : "");
	return false;
}

/* Resolves both ends and runs the connection shape that fits them. */
static void dispatch(struct conn *C, const struct sim_ep *src,
		     const struct sim_ep *dst, struct epi *a, struct epi *b)
{
	struct sim_result *res = C->res;
	memset(res, 0, sizeof(*res));
	res->reachable = true;
	res->block_step = -1;
	res->fwd.block_step = -1;
	C->v6 = src->v6 || dst->v6;
	resolve(C->s, src, C->v6, C->t != NULL, a);
	resolve(C->s, dst, C->v6, C->t != NULL, b);
	touch_endpoint(C, a);
	touch_endpoint(C, b);
	if (outside(C, a) || outside(C, b) || (C->v6 && !ipv6_ends(C, a, b)))
		return;
	if (a->in_vpc && b->in_vpc && dst->kind == EP_PLACEMENT &&
	    dst->via_public)
		hairpin(C, a, b);
	else if (a->in_vpc && b->in_vpc)
		in_vpc(C, a, b);
	else if (!a->in_vpc && src->kind == EP_INTERNET && b->in_vpc)
		from_internet(C, a, b);
	else if (a->in_vpc && dst->kind == EP_INTERNET)
		to_internet(C, a, &b->addr, b->name);
	else if (a->in_vpc && dst->kind == EP_SERVICE)
		to_service(C, a, dst->service);
	else
		step(C, SK_NOTE, BLK_UNKNOWN, MK_KIND_COUNT, 0, 0, no_loc,
		     "vpcsim traces connections that start or end in a VPC");
}

/* A connection whose replies pass on at most half of the client's range
 * fails more often than not: blocked, and still marked degraded (§5). */
static void judge_degraded(struct sim_result *res)
{
	if (res->reachable && res->degraded &&
	    res->ports_ok * 2 <= res->ports_total)
		res->reachable = false;
}

static bool is_lb(const struct epi *e)
{
	return e->pl && e->pl->kind == MK_LOAD_BALANCER;
}

/*
 * Every blocking and degraded step says why and what to change; the
 * steps above explain themselves, and this gives the rest (the verdicts
 * vpcsim cannot decide, and any case without an explanation of its own)
 * a plain one, with the reason there is no fix.
 */
static void explain_rest(struct sim_trace *t, uint32_t from)
{
	for (uint32_t i = from; t && i < t->n; i++) {
		struct sim_step *st = &t->steps[i];
		if ((st->block == BLK_NONE && !st->ports_total) || st->why)
			continue;
		if (st->block == BLK_UNKNOWN) {
			st->why = xasprintf(
			    "The input does not say enough to decide this step "
			    "(a value it leaves unknown, or a component vpcsim "
			    "does not follow), so the verdict is unknown.");
			st->fix = fix_refuse("give the missing value in the "
					     "input, or check this step by "
					     "hand");
		} else {
			st->why = xasprintf("This step stops the packet: the "
					    "sentence above says which rule or "
					    "component does.");
			st->fix = fix_refuse("vpcsim has no fix to write for "
					     "this step");
		}
	}
}

static void connect_inner(const struct sim *s, const struct sim_ep *src,
			  const struct sim_ep *dst, struct sim_flow flow,
			  struct sim_result *res, struct sim_trace *t,
			  int depth, const struct apparent *app,
			  uint16_t fix_lo, uint16_t fix_hi)
{
	struct conn C = {
	    .s = s,
	    .m = s->m,
	    .t = t,
	    .res = res,
	    .depth = depth,
	    .flow = flow,
	    .app = app,
	    .partial_step = -1,
	    .fix_lo = fix_lo,
	    .fix_hi = fix_hi,
	    .nat_subnet = MODEL_NONE,
	};
	uint32_t from = t ? t->n : 0;
	struct epi a, b;
	dispatch(&C, src, dst, &a, &b);
	if (!C.stopped && is_lb(&b) && flow.proto != PROTO_ALL)
		forward(&C, &b);
	judge_degraded(res);
	explain_rest(t, from);
}

static void narrow(struct conn *C, const struct ports *allowed,
		   enum sim_step_kind kind, enum sim_block block)
{
	ports_intersect(C->acc, C->acc, allowed);
	if (ports_empty(C->acc))
		step(C, kind, block, MK_KIND_COUNT, 0, 0, no_loc, "-");
}

/* Folds one listener port's forward verdict into the set-mode result. */
static void fold_forward(struct sim_result *res, const struct sim_result *r2,
			 uint16_t port)
{
	const struct sim_fwd_verdict *v = &r2->fwd;
	struct sim_fwd_verdict *acc = &res->fwd;
	if (!v->asked)
		return;
	ports_add(v->paths_ok ? &res->fwd_works : &res->fwd_fails, port, port);
	if (!v->paths_ok && !v->healthy)
		ports_add(&res->fwd_unhealthy, port, port);
	if (!acc->asked || (!v->paths_ok && acc->block == BLK_NONE))
		acc->block = v->block;
	acc->asked = true;
	if (v->unknown && !acc->unknown)
		acc->unknown = v->unknown;
	acc->paths += v->paths;
	acc->paths_ok += v->paths_ok;
	acc->healthy += v->healthy;
	if (v->degraded && (!acc->degraded || v->ports_ok < acc->ports_ok)) {
		acc->degraded = true;
		acc->ports_ok = v->ports_ok;
		acc->ports_total = v->ports_total;
	}
}

/*
 * Set mode on a load balancer: every listener port reached stays reached
 * (§8), and is sorted by its forward, judged as sim_connect judges that
 * port.
 */
static void forward_ports(struct conn *C, const struct epi *lbn,
			  const struct ports *out)
{
	const struct model_load_balancer *lb = &C->m->lbs[lbn->pl->index];
	for (uint32_t l = 0; l < lb->n_listeners; l++) {
		uint16_t port = lb->listeners[l].port;
		if (!ports_contains(out, port))
			continue;
		struct sim_result r2;
		memset(&r2, 0, sizeof(r2));
		r2.fwd.block_step = -1;
		struct conn C2 = *C;
		C2.res = &r2;
		C2.acc = NULL;
		C2.t = NULL;
		C2.flow.port = port;
		forward(&C2, lbn);
		fold_forward(C->res, &r2, port);
		if (r2.unknown && !C->res->unknown)
			C->res->unknown = r2.unknown;
		sim_result_free(&r2);
	}
}

/* sim_ports, with the source a forward's target sees (NLB client-IP
 * preservation) when app is not NULL. */
static void ports_inner(const struct sim *s, const struct sim_ep *src,
			const struct sim_ep *dst, enum proto proto,
			struct ports *out, struct sim_result *res,
			const struct apparent *app)
{
	bool icmp = proto == PROTO_ICMP || proto == PROTO_ICMPV6;
	struct conn C = {
	    .s = s,
	    .m = s->m,
	    .res = res,
	    .flow = {proto, 0},
	    .acc = out,
	    .app = app,
	};
	struct epi a, b;
	ports_clear(out);
	ports_add(out, 0, proto == PROTO_ALL ? 0 : icmp ? 255 : 65535);
	dispatch(&C, src, dst, &a, &b);
	/* The connection's own replies: most of the range must pass (§5). */
	judge_degraded(res);
	if (!C.stopped && res->reachable && is_lb(&b) && proto != PROTO_ALL)
		forward_ports(&C, &b, out);
	if (!res->reachable)
		ports_clear(out);
}

void sim_ports(const struct sim *s, const struct sim_ep *src,
	       const struct sim_ep *dst, enum proto proto, struct ports *out,
	       struct sim_result *res)
{
	ports_inner(s, src, dst, proto, out, res, NULL);
}

void sim_connect(const struct sim *s, const struct sim_ep *src,
		 const struct sim_ep *dst, struct sim_flow flow,
		 struct sim_result *res, struct sim_trace *trace)
{
	connect_inner(s, src, dst, flow, res, trace, 0, NULL, 0, 0);
}

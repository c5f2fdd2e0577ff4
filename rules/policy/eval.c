/*
 * Evaluating policies (docs/policy.md) against a model's real
 * reachability, as policy_run is called: the model of ctx, whose engine,
 * class index and exposure tables the built-in rules share.
 *
 * forbid without hops reads the engine's exact port sets (reach_from
 * tables; the shared exposure tables for the internet) and, because a
 * load balancer forwards by itself (semantics §13), also one hop through
 * a load balancer.  forbid and require with hops search the graph of
 * twin groups (sim/graph.h): the shortest chain a filter allows, and how
 * many there are, within a step budget per run (RUN_CHAIN_STEPS), past
 * which counts are lower bounds.  require without hops evaluates
 * every placement pair with sim_ports, which gives exactly the ports a
 * per-port sim_connect reaches.  Each violation is one finding per
 * (source, destination), at the policy's id in its file, with the path or
 * the blocking step as details.
 *
 * A policy's members are bound to ctx's model first (resolve.c), into the
 * run's from, to and via lists; everything below reads those.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "rules/policy/policy_impl.h"
#include "sim/graph.h"

/* A node as the engine's selector of it. */
static struct sim_sel node_sel(const struct reach_node *x)
{
	struct sim_sel sel;
	memset(&sel, 0, sizeof(sel));
	switch (x->kind) {
	case RN_INTERNET:
		sel.kind = SEL_INTERNET;
		sel.addr = SIM_INTERNET_ADDR;
		snprintf(sel.name, sizeof(sel.name), "internet");
		break;
	case RN_SERVICE:
		sel.kind = SEL_SERVICE;
		sel.service = x->service;
		break;
	case RN_RESOURCE:
		sel.kind = SEL_RESOURCE;
		sel.rkind = x->rkind;
		sel.rindex = x->rindex;
		break;
	}
	return sel;
}

/* ---- a run --------------------------------------------------------------- */

/* One policy_run: the model and engine evaluated, scratch shared by its
 * policies, and the current policy's members bound to the model. */
struct run {
	const struct rule_ctx *ctx;
	struct finding_list *out;
	const struct model *m;
	const struct sim *s;
	struct graph *g;
	bool graph_failed;
	/* A breadth-first search's scratch over the graph's vertices, for
	 * hop distances, and what is left of the run's chain budget. */
	uint32_t *dist, *queue;
	uint64_t steps;
	/* Forward tables of load balancers (reach_forwards), [lb * 3 +
	 * slot], made on first use: one-hop forwards are looked up from
	 * every source. */
	struct reach_table *lb_tab;
	bool *lb_made;
	/* Per policy: dense sets of its to and except_via nodes, and a
	 * stamp per destination already reported for the current source. */
	uint32_t n_dense;
	uint8_t *in_to, *in_via;
	uint32_t *stamp, gen;
	/* The current policy's members, bound to the run's model. */
	struct node_list from, to, via;
};

/* Protocols as table slots. */
static const enum proto slot_proto[3] = {PROTO_TCP, PROTO_UDP, PROTO_ICMP};

/* Chain search steps of one policy run, all questions together: past
 * them a chain's first is still found, its count is a lower bound. */
#define RUN_CHAIN_STEPS (10 * GRAPH_CHAIN_STEPS)

static const char *name_of(const struct run *R, const struct reach_node *x)
{
	return reach_node_name(R->s, x);
}

/*
 * A finding of policy p about src -> dst: about dst when it is a
 * resource (else src), at the policy's id.  The message is the policy's,
 * then what breaks it.
 */
__attribute__((format(printf, 5, 6))) static struct finding *
violation(struct run *R, const struct policy *p, const struct reach_node *src,
	  const struct reach_node *dst, const char *fmt, ...)
{
	const struct reach_node *about = dst->kind == RN_RESOURCE   ? dst
					 : src->kind == RN_RESOURCE ? src
								    : NULL;
	char key[256];
	snprintf(key, sizeof(key), "%s->%s", name_of(R, src), name_of(R, dst));
	struct finding *f = finding_new(R->out, R->m, p->id, p->id, p->severity,
					about ? about->rkind : MK_KIND_COUNT,
					about ? about->rindex : 0, key);
	f->loc = p->loc;
	va_list ap;
	va_start(ap, fmt);
	char *what = xvasprintf(fmt, ap);
	va_end(ap);
	size_t n = strlen(p->message) + strlen(what) + 3;
	f->message = xmalloc(n);
	snprintf(f->message, n, "%s: %s", p->message, what);
	free(what);
	return f;
}

/* "tcp 22,80", "every udp port", "icmp type 8", "all traffic". */
static void flow_words(char *buf, size_t size, enum proto pr,
		       const struct ports *v)
{
	char pp[128];
	if (pr == PROTO_ALL) {
		snprintf(buf, size, "all traffic");
		return;
	}
	bool icmp = pr == PROTO_ICMP;
	bool full =
	    v->n == 1 && v->r[0].lo == 0 && v->r[0].hi == (icmp ? 255 : 65535);
	if (full) {
		snprintf(buf, size,
			 icmp ? "icmp (every type)" : "every %s port",
			 proto_name(pr));
		return;
	}
	ports_format(pp, sizeof(pp), v);
	bool one = v->n == 1 && v->r[0].lo == v->r[0].hi;
	if (icmp)
		snprintf(buf, size, "icmp type%s %s", one ? "" : "s", pp);
	else
		snprintf(buf, size, "%s %s", proto_name(pr), pp);
}

/* "internet" for the representative client, else the engine's words;
 * the same as the built-in rules write. */
static void ep_text(char *buf, size_t size, const struct sim *s,
		    const struct sim_ep *ep)
{
	if (ep->kind == EP_INTERNET && ep->addr == SIM_INTERNET_ADDR)
		snprintf(buf, size, "internet");
	else
		sim_ep_format(buf, size, s, ep);
}

/* A step's sentence and where its rule is written. */
static void detail_step(struct finding *f, const char *lead,
			const struct sim_step *st)
{
	if (st->loc.line)
		finding_detail(f, "%s%s  [%s:%u]", lead, st->text,
			       st->loc.file ? st->loc.file : "-", st->loc.line);
	else
		finding_detail(f, "%s%s", lead, st->text);
}

/* A load balancer reached whose forward serves no target (§8): the
 * forward's step, then the target's step that says why. */
static void detail_forward(struct finding *f, const struct sim_result *res,
			   const struct sim_trace *t)
{
	char head[96];
	int k = res->fwd.block_step;
	if (!res->fwd.asked || res->fwd.paths_ok)
		return;
	snprintf(head, sizeof(head), "  its forward is blocked at %s: ",
		 sim_block_name(res->fwd.block));
	if (k >= 0 && (uint32_t)k < t->n)
		detail_step(f, head, &t->steps[k]);
	for (uint32_t i = 0; i < t->n; i++) {
		const struct sim_step *st = &t->steps[i];
		if (st->depth == 0 || st->block == BLK_NONE)
			continue;
		snprintf(head, sizeof(head),
			 "  at the target: %s: ", sim_block_name(st->block));
		detail_step(f, head, st);
		if (st->hint)
			finding_detail(f, "  %s", st->hint);
		return;
	}
}

/*
 * One traced pair as details, as the built-in rules quote one: "SRC ->
 * DST: FLOW reachable" and the steps that let it through (the rules a fix
 * would change), or "SRC -> DST: FLOW blocked at WORD: sentence [where]"
 * with the engine's hint; then the unknown value the verdict read.
 */
static void detail_pair(struct finding *f, const struct run *R,
			const struct sim_ep *a, const struct sim_ep *b,
			struct sim_flow flow)
{
	struct sim_result res;
	struct sim_trace t;
	char sn[160], dn[160], ft[48], head[400];
	sim_trace_init(&t);
	sim_connect(R->s, a, b, flow, &res, &t);
	ep_text(sn, sizeof(sn), R->s, a);
	ep_text(dn, sizeof(dn), R->s, b);
	sim_flow_format(ft, sizeof(ft), flow);
	if (res.reachable) {
		finding_detail(f, "%s -> %s: %s reachable", sn, dn, ft);
		for (uint32_t k = 0; k < t.n; k++) {
			const struct sim_step *st = &t.steps[k];
			if (st->block == BLK_NONE && st->kind != SK_NOTE &&
			    st->depth == 0)
				detail_step(f, "  ", st);
		}
		detail_forward(f, &res, &t);
	} else {
		const struct sim_step *st = NULL;
		if (res.block_step >= 0 && (uint32_t)res.block_step < t.n)
			st = &t.steps[res.block_step];
		for (uint32_t k = t.n; !st && k-- > 0;)
			if (t.steps[k].block != BLK_NONE)
				st = &t.steps[k];
		snprintf(head, sizeof(head), "%s -> %s: %s blocked at %s%s", sn,
			 dn, ft, sim_block_name(res.block), st ? ": " : "");
		if (st)
			detail_step(f, head, st);
		else
			finding_detail(f, "%s", head);
		if (st && st->hint)
			finding_detail(f, "  %s", st->hint);
	}
	if (res.unknown)
		finding_detail(f, "  unknown: %s; the verdict depends on it",
			       res.unknown);
	sim_result_free(&res);
	sim_trace_free(&t);
}

/* Space no internet client has (RFC 6890), for picking a traced
 * internet source inside a reaching range. */
static const struct cidr not_internet[] = {
    {0x00000000u, 8},  {0x0A000000u, 8},  {0x64400000u, 10}, {0x7F000000u, 8},
    {0xA9FE0000u, 16}, {0xAC100000u, 12}, {0xC0A80000u, 16}, {0xE0000000u, 3},
};

static bool pick_public(uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t a = lo;
	while (a <= hi) {
		uint64_t next = 0;
		for (size_t i = 0; i < ARRAY_LEN(not_internet); i++)
			if (cidr_contains_addr(not_internet[i], (uint32_t)a))
				next = (uint64_t)cidr_last(not_internet[i]) + 1;
		if (!next) {
			*out = (uint32_t)a;
			return true;
		}
		a = next;
	}
	return false;
}

/* The endpoints of a node; for the internet, the representative client
 * then one address of each range of row (the internet sources that
 * reach), since a group may let in only part of the internet. */
static struct sim_ep *endpoints(const struct run *R, const struct reach_node *x,
				const struct reach_row *row, uint32_t *n)
{
	struct sim_sel sel = node_sel(x);
	if (x->kind != RN_INTERNET || !row || row->any_source ||
	    !row->n_sources)
		return sim_sel_endpoints(R->s, &sel, n);
	struct sim_ep *v = xcalloc(row->n_sources + 1, sizeof(*v));
	uint32_t k = 0;
	v[k++] =
	    (struct sim_ep){.kind = EP_INTERNET, .addr = SIM_INTERNET_ADDR};
	for (uint32_t i = 0; i < row->n_sources; i++) {
		uint32_t a;
		if (pick_public(row->sources[i].lo, row->sources[i].hi, &a))
			v[k++] =
			    (struct sim_ep){.kind = EP_INTERNET, .addr = a};
	}
	*n = k;
	return v;
}

/* The port to trace out of a set that reaches: a familiar one when the
 * set is wide (port 0 would read as a mistake), else its first. */
static struct sim_flow trace_flow(enum proto pr, const struct ports *v)
{
	static const uint16_t usual[] = {443, 80, 22};
	if (pr == PROTO_ICMP)
		return (struct sim_flow){pr,
					 ports_contains(v, 8) ? 8 : v->r[0].lo};
	for (size_t i = 0; i < ARRAY_LEN(usual); i++)
		if (ports_contains(v, usual[i]))
			return (struct sim_flow){pr, usual[i]};
	uint16_t lo = v->r[0].lo;
	return (struct sim_flow){pr, lo == 0 && v->r[0].hi > 0 ? 1 : lo};
}

/* Traces the first placement pair of src -> dst that reaches on flow. */
static void detail_reaching(struct finding *f, const struct run *R,
			    const struct reach_node *src,
			    const struct reach_node *dst,
			    const struct reach_row *row, struct sim_flow flow)
{
	uint32_t ns, nd;
	struct sim_ep *a = endpoints(R, src, row, &ns);
	struct sim_ep *b = endpoints(R, dst, NULL, &nd);
	bool done = false;
	for (uint32_t i = 0; i < ns && !done; i++)
		for (uint32_t j = 0; j < nd && !done; j++) {
			struct sim_result res;
			sim_connect(R->s, &a[i], &b[j], flow, &res, NULL);
			done = res.reachable;
			sim_result_free(&res);
			if (done)
				detail_pair(f, R, &a[i], &b[j], flow);
		}
	free(a);
	free(b);
}

/* The policy's ports of a slot: its own, or everything of the protocol
 * when it is `all`. */
static const struct ports *want_ports(const struct policy *p, int slot,
				      struct ports *full)
{
	if (p->proto != PROTO_ALL)
		return &p->ports;
	ports_clear(full);
	ports_add(full, 0, slot_proto[slot] == PROTO_ICMP ? 255 : 65535);
	return full;
}

static bool checks_slot(const struct policy *p, int slot)
{
	return p->proto == PROTO_ALL || p->proto == slot_proto[slot];
}

/* reach_from of a source; the shared exposure tables for the internet. */
static const struct reach_table *source_table(const struct run *R,
					      const struct reach_node *x,
					      int slot, struct reach_table *own)
{
	if (x->kind == RN_INTERNET && slot_proto[slot] == PROTO_TCP)
		return &R->ctx->exposure_tcp;
	if (x->kind == RN_INTERNET && slot_proto[slot] == PROTO_UDP)
		return &R->ctx->exposure_udp;
	struct sim_sel sel = node_sel(x);
	reach_from(own, R->ctx->ix, &sel, slot_proto[slot], false);
	return own;
}

/* What load balancer lb forwards to on a slot's protocol: the engine's
 * forwards (reach_forwards), made on first use. */
static const struct reach_table *lb_table(struct run *R, uint32_t lb, int slot)
{
	uint32_t k = lb * 3 + (uint32_t)slot;
	if (!R->lb_made[k]) {
		reach_forwards(&R->lb_tab[k], R->ctx->ix, lb, slot_proto[slot]);
		R->lb_made[k] = true;
	}
	return &R->lb_tab[k];
}

static bool same_node(const struct reach_node *a, const struct reach_node *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == RN_SERVICE)
		return a->service == b->service;
	if (a->kind == RN_RESOURCE)
		return a->rkind == b->rkind && a->rindex == b->rindex;
	return true;
}

/* Direct reach on the policy's flow: the engine's port sets, per row. */
static void forbid_rows(struct run *R, const struct policy *p,
			const struct reach_node *src,
			const struct reach_table *const t[3])
{
	struct ports v = PORTS_INIT, full = PORTS_INIT;
	for (int slot = 0; slot < 3; slot++) {
		if (!checks_slot(p, slot))
			continue;
		const struct ports *want = want_ports(p, slot, &full);
		for (uint32_t i = 0; i < t[slot]->n; i++) {
			const struct reach_row *r = &t[slot]->rows[i];
			uint32_t d = pol_dense_id(R->m, &r->dst);
			if (!R->in_to[d] || R->stamp[d] == R->gen ||
			    same_node(&r->dst, src))
				continue;
			ports_intersect(&v, &r->some, want);
			if (ports_empty(&v))
				continue;
			R->stamp[d] = R->gen;
			char words[160];
			flow_words(words, sizeof(words), slot_proto[slot], &v);
			struct finding *f = violation(
			    R, p, src, &r->dst, "%s reaches %s on %s",
			    name_of(R, src), name_of(R, &r->dst), words);
			detail_reaching(f, R, src, &r->dst, r,
					trace_flow(slot_proto[slot], &v));
		}
	}
	ports_free(&v);
	ports_free(&full);
}

/* One hop through a load balancer, which forwards by itself (§13): src
 * reaches lb on some tcp or udp port, and lb reaches one of its targets,
 * a destination, on the policy's flow. */
static void forbid_forwards(struct run *R, const struct policy *p,
			    const struct reach_node *src,
			    const struct reach_table *const t[3], bool *lb_seen)
{
	struct ports v = PORTS_INIT, full = PORTS_INIT;
	for (int s1 = 0; s1 < 2; s1++)
		for (uint32_t i = 0; i < t[s1]->n; i++) {
			const struct reach_row *r1 = &t[s1]->rows[i];
			const struct reach_node *lb = &r1->dst;
			if (lb->kind != RN_RESOURCE ||
			    lb->rkind != MK_LOAD_BALANCER ||
			    lb_seen[lb->rindex] || ports_empty(&r1->some) ||
			    same_node(lb, src) ||
			    R->in_via[pol_dense_id(R->m, lb)])
				continue;
			lb_seen[lb->rindex] = true;
			for (int slot = 0; slot < 3; slot++) {
				if (!checks_slot(p, slot))
					continue;
				const struct ports *want =
				    want_ports(p, slot, &full);
				const struct reach_table *tl =
				    lb_table(R, lb->rindex, slot);
				for (uint32_t k = 0; k < tl->n; k++) {
					const struct reach_row *r2 =
					    &tl->rows[k];
					uint32_t d =
					    pol_dense_id(R->m, &r2->dst);
					if (!R->in_to[d] ||
					    R->stamp[d] == R->gen ||
					    same_node(&r2->dst, src) ||
					    same_node(&r2->dst, lb))
						continue;
					ports_intersect(&v, &r2->some, want);
					if (ports_empty(&v))
						continue;
					R->stamp[d] = R->gen;
					char words[160], first[160], p1[128];
					flow_words(words, sizeof(words),
						   slot_proto[slot], &v);
					ports_format(p1, sizeof(p1), &r1->some);
					snprintf(first, sizeof(first), "%s %s",
						 proto_name(slot_proto[s1]),
						 p1);
					struct finding *f = violation(
					    R, p, src, &r2->dst,
					    "%s reaches %s on %s through load "
					    "balancer %s",
					    name_of(R, src),
					    name_of(R, &r2->dst), words,
					    name_of(R, lb));
					finding_detail(
					    f,
					    "%s -> %s (%s) -> %s (%s): "
					    "the load balancer forwards "
					    "by itself",
					    name_of(R, src), name_of(R, lb),
					    first, name_of(R, &r2->dst), words);
					detail_reaching(
					    f, R, lb, &r2->dst, NULL,
					    trace_flow(slot_proto[slot], &v));
				}
			}
		}
	ports_free(&v);
	ports_free(&full);
}

static void forbid_direct(struct run *R, const struct policy *p)
{
	bool *lb_seen = xcalloc(R->m->n[MK_LOAD_BALANCER] + 1, sizeof(bool));
	for (uint32_t i = 0; i < R->from.n; i++) {
		const struct reach_node *src = &R->from.v[i];
		struct reach_table own[3];
		const struct reach_table *t[3];
		memset(own, 0, sizeof(own));
		memset(lb_seen, 0,
		       (R->m->n[MK_LOAD_BALANCER] + 1) * sizeof(bool));
		R->gen++;
		/* tcp and udp always: the first hop to a load balancer may be
		 * either, whatever the policy's protocol. */
		for (int slot = 0; slot < 3; slot++)
			t[slot] = slot < 2 || checks_slot(p, slot)
				      ? source_table(R, src, slot, &own[slot])
				      : &own[slot];
		forbid_rows(R, p, src, t);
		forbid_forwards(R, p, src, t, lb_seen);
		for (int slot = 0; slot < 3; slot++)
			reach_table_free(&own[slot]);
	}
	free(lb_seen);
}

/* The policy's ports the last edge of a chain carries (some pair). */
static bool edge_carries(const struct policy *p, const struct graph_edge *e,
			 bool all_pairs, bool whole, struct ports *v,
			 enum proto *pr)
{
	for (int slot = 0; slot < 2; slot++) {
		if (!checks_slot(p, slot))
			continue;
		const struct ports *have =
		    slot == 0 ? (all_pairs ? &e->tcp_all : &e->tcp_some)
			      : (all_pairs ? &e->udp_all : &e->udp_some);
		*pr = slot_proto[slot];
		if (p->proto == PROTO_ALL) {
			ports_copy(v, have);
		} else if (whole) {
			/* require: every port of the policy. */
			ports_diff(v, &p->ports, have);
			if (ports_empty(v)) {
				ports_copy(v, &p->ports);
				return true;
			}
			continue;
		} else {
			ports_intersect(v, have, &p->ports);
		}
		if (!ports_empty(v))
			return true;
	}
	return false;
}

/* "internet -> alb (tcp 80,443) -> web (tcp 3000)". */
static void chain_text(char *buf, size_t size, const struct run *R,
		       const struct graph_chain *c)
{
	size_t off = (size_t)snprintf(buf, size, "%s", name_of(R, &c->v[0]));
	for (uint32_t k = 0; k < c->hops && off < size; k++) {
		char label[256];
		graph_edge_label(label, sizeof(label), &R->g->edges[c->e[k]]);
		off += (size_t)snprintf(buf + off, size - off, " -> %s (%s)",
					name_of(R, &c->v[k + 1]), label);
	}
}

/* The endpoints a chain needs taken over (or calling on their own): its
 * intermediates, but load balancers, which forward by themselves. */
static void chain_needs(struct finding *f, const struct run *R,
			const struct graph_chain *c)
{
	char buf[512];
	size_t off = 0;
	buf[0] = '\0';
	for (uint32_t k = 1; k < c->hops && off < sizeof(buf); k++) {
		const struct reach_node *x = &c->v[k];
		if (x->kind == RN_RESOURCE && x->rkind == MK_LOAD_BALANCER)
			continue;
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
					off ? ", " : "", name_of(R, x));
	}
	if (*buf)
		finding_detail(
		    f,
		    "each of these must open the next hop itself (the "
		    "application calling on, or an attacker who took it "
		    "over): %s",
		    buf);
}

/*
 * Hops from vertex a to every vertex (UINT32_MAX: none) into R->dist,
 * through vertices with a member f allows as an intermediate (all when f
 * is NULL): a lower bound of every chain's length, so a destination
 * farther than a policy's bound is skipped without a chain search.
 */
static void hop_distances(struct run *R, uint32_t a,
			  const struct graph_filter *f)
{
	const struct graph *g = R->g;
	uint32_t head = 0, tail = 0;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		R->dist[v] = UINT32_MAX;
	R->dist[a] = 0;
	R->queue[tail++] = a;
	while (head < tail) {
		uint32_t u = R->queue[head++];
		if (u != a && (g->nodes[u].kind != RN_RESOURCE ||
			       (f && f->avail && !f->avail[u])))
			continue;
		for (uint32_t k = g->out_first[u]; k < g->out_first[u + 1];
		     k++) {
			uint32_t w = g->edges[k].to;
			if (R->dist[w] != UINT32_MAX)
				continue;
			R->dist[w] = R->dist[u] + 1;
			R->queue[tail++] = w;
		}
	}
}

static bool graph_ready(struct run *R, const struct policy *p)
{
	if (!R->g && !R->graph_failed) {
		if (graph_build(&R->g, R->ctx->ix, NULL) == 0) {
			R->dist = xcalloc(R->g->n_nodes + 1, sizeof(uint32_t));
			R->queue = xcalloc(R->g->n_nodes + 1, sizeof(uint32_t));
		} else {
			graph_free(R->g);
			R->g = NULL;
			R->graph_failed = true;
		}
	}
	if (R->g)
		return true;
	struct reach_node inet = {.kind = RN_INTERNET};
	violation(R, p, &inet, &inet,
		  "could not be evaluated: the reachability graph could not "
		  "be built");
	return false;
}

/* What a chain's edge must carry, for the graph's filters. */
struct carry {
	const struct policy *p;
	bool all_pairs, whole;
	struct ports v;
	enum proto pr;
};

static bool carries(const struct graph_edge *e, void *ctx)
{
	struct carry *c = ctx;
	return edge_carries(c->p, e, c->all_pairs, c->whole, &c->v, &c->pr);
}

/* require's earlier hops: reaching from every placement pair, or some. */
static bool reaches(const struct graph_edge *e, void *ctx)
{
	const struct carry *c = ctx;
	return !c->p->some
		   ? !ports_empty(&e->tcp_all) || !ports_empty(&e->udp_all)
		   : !ports_empty(&e->tcp_some) || !ports_empty(&e->udp_some);
}

/* The run's budget for one chain question: what is left, at most a
 * question's own. */
static uint64_t question_steps(const struct run *R)
{
	return R->steps < GRAPH_CHAIN_STEPS ? R->steps : GRAPH_CHAIN_STEPS;
}

/* One forbid-with-hops violation: the first chain, its last hop traced,
 * and how many more there are. */
static void forbid_chain(struct run *R, const struct policy *p,
			 const struct reach_node *src,
			 const struct reach_node *dst,
			 const struct graph_chains *c)
{
	const struct graph_chain *fc = &c->v[0];
	struct carry cc = {.p = p};
	edge_carries(p, &R->g->edges[fc->e[fc->hops - 1]], false, false, &cc.v,
		     &cc.pr);
	char words[160], text[1024];
	flow_words(words, sizeof(words), cc.pr, &cc.v);
	struct finding *f = violation(
	    R, p, src, dst, "%s reaches %s on %s in %u hop%s, fewer than %u",
	    name_of(R, src), name_of(R, dst), words, fc->hops,
	    fc->hops == 1 ? "" : "s", p->hops);
	chain_text(text, sizeof(text), R, fc);
	finding_detail(f, "%u hop%s: %s", fc->hops, fc->hops == 1 ? "" : "s",
		       text);
	chain_needs(f, R, fc);
	/* The last hop, traced: the connection that lands on the
	 * destination. */
	detail_reaching(f, R, &fc->v[fc->hops - 1], dst, NULL,
			trace_flow(cc.pr, &cc.v));
	if (c->more)
		finding_detail(f, "%s%llu more chain%s of at most %u hops",
			       c->more_exact ? "" : "at least ",
			       (unsigned long long)c->more,
			       c->more == 1 ? "" : "s", p->hops - 1);
	else if (!c->more_exact)
		finding_detail(f,
			       "there may be more chains of at most %u hops: "
			       "the search stopped at its budget",
			       p->hops - 1);
	ports_free(&cc.v);
}

static void forbid_hops(struct run *R, const struct policy *p)
{
	if (!graph_ready(R, p))
		return;
	const struct graph *g = R->g;
	struct graph_filter f;
	struct carry cc = {.p = p};
	graph_filter_init(&f, g);
	for (uint32_t m = 0; m < g->n_members; m++)
		f.avoid[m] = R->in_via[pol_dense_id(R->m, &g->members[m])];
	graph_filter_ready(&f, g);
	f.last_ok = carries;
	f.ctx = &cc;
	for (uint32_t i = 0; i < R->from.n; i++) {
		const struct reach_node *src = &R->from.v[i];
		uint32_t a = graph_vertex(g, src);
		if (a == UINT32_MAX)
			continue;
		hop_distances(R, a, &f);
		for (uint32_t j = 0; j < R->to.n; j++) {
			const struct reach_node *dst = &R->to.v[j];
			uint32_t b = graph_vertex(g, dst);
			if (b == UINT32_MAX || same_node(src, dst) ||
			    R->dist[b] > p->hops - 1)
				continue;
			struct graph_chains c;
			uint64_t steps = question_steps(R), had = steps;
			if (graph_chains(&c, g, src, dst, p->hops - 1, 1, &f,
					 &steps) == 0 &&
			    c.n)
				forbid_chain(R, p, src, dst, &c);
			R->steps -= had - steps;
			graph_chains_free(&c);
		}
	}
	ports_free(&cc.v);
	graph_filter_free(&f);
}

/* Every (or some) placement pair of src -> dst on every port. */
static void require_pair(struct run *R, const struct policy *p,
			 const struct reach_node *src,
			 const struct reach_node *dst)
{
	uint32_t ns, nd;
	struct sim_ep *a = endpoints(R, src, NULL, &ns);
	struct sim_ep *b = endpoints(R, dst, NULL, &nd);
	struct ports got = PORTS_INIT, miss = PORTS_INIT, missing = PORTS_INIT,
		     covered = PORTS_INIT, tmp = PORTS_INIT;
	/* An end with no placement left (a failed zone, vpcsim sim) reaches
	 * nothing: the requirement is not met, never vacuously true. */
	if (!ns || !nd) {
		violation(R, p, src, dst, "%s has no placement left",
			  name_of(R, ns ? dst : src));
		free(a);
		free(b);
		return;
	}
	uint32_t n_pairs = ns * nd, n_fail = 0;
	int first = -1;
	uint16_t first_port = 0;
	bool *failed = xcalloc(n_pairs + 1, sizeof(bool));
	for (uint32_t i = 0; i < ns; i++)
		for (uint32_t j = 0; j < nd; j++) {
			uint32_t k = i * nd + j;
			struct sim_result res;
			if (p->proto == PROTO_ALL) {
				sim_connect(R->s, &a[i], &b[j],
					    (struct sim_flow){PROTO_ALL, 0},
					    &res, NULL);
				failed[k] = !res.reachable;
			} else {
				sim_ports(R->s, &a[i], &b[j], p->proto, &got,
					  &res);
				ports_diff(&miss, &p->ports, &got);
				failed[k] = !ports_empty(&miss);
				ports_union(&missing, &missing, &miss);
				ports_intersect(&tmp, &got, &p->ports);
				ports_union(&covered, &covered, &tmp);
				if (failed[k] && first < 0)
					first_port = miss.r[0].lo;
			}
			sim_result_free(&res);
			if (failed[k]) {
				n_fail++;
				if (first < 0)
					first = (int)k;
			}
		}
	bool violated;
	if (p->some && p->proto != PROTO_ALL) {
		/* Some pair per port: a port fails when no pair reaches it. */
		ports_diff(&missing, &p->ports, &covered);
		violated = !ports_empty(&missing);
		if (violated) {
			first = 0;
			first_port = missing.r[0].lo;
		}
	} else {
		violated = p->some ? n_fail == n_pairs : n_fail > 0;
	}
	if (violated) {
		char words[160], where[96] = "";
		flow_words(words, sizeof(words), p->proto, &missing);
		if (n_fail < n_pairs && !p->some)
			snprintf(where, sizeof(where),
				 " from %u of %u placement pairs", n_fail,
				 n_pairs);
		else if (n_pairs > 1)
			snprintf(where, sizeof(where), " from any placement");
		struct finding *f =
		    violation(R, p, src, dst, "%s does not reach %s on %s%s",
			      name_of(R, src), name_of(R, dst), words, where);
		struct sim_flow flow = {p->proto, first_port};
		/* Which pairs fail, when only some do: the "works in one AZ"
		 * case. */
		if (n_fail < n_pairs && !p->some)
			for (uint32_t k = 0, shown = 0;
			     k < n_pairs && shown < 8; k++) {
				if (!failed[k])
					continue;
				char sn[160], dn[160];
				sim_ep_format(sn, sizeof(sn), R->s, &a[k / nd]);
				sim_ep_format(dn, sizeof(dn), R->s, &b[k % nd]);
				finding_detail(f, "fails: %s -> %s", sn, dn);
				shown++;
			}
		detail_pair(f, R, &a[(uint32_t)first / nd],
			    &b[(uint32_t)first % nd], flow);
	}
	free(failed);
	free(a);
	free(b);
	ports_free(&got);
	ports_free(&miss);
	ports_free(&missing);
	ports_free(&covered);
	ports_free(&tmp);
}

/* require with hops: some chain of at most hops hops whose every edge
 * reaches (from every placement pair, or some) and whose last edge
 * carries every port of the policy. */
static void require_hops(struct run *R, const struct policy *p,
			 const struct reach_node *src,
			 const struct reach_node *dst)
{
	const struct graph *g = R->g;
	uint32_t a = graph_vertex(g, src), b = graph_vertex(g, dst);
	if (a == UINT32_MAX || b == UINT32_MAX || same_node(src, dst))
		return;
	struct carry cc = {.p = p, .all_pairs = !p->some, .whole = true};
	struct graph_filter f = {
	    .hop_ok = reaches, .last_ok = carries, .ctx = &cc};
	bool found = graph_chain_shortest(g, src, dst, p->hops, &f) > 0;
	ports_free(&cc.v);
	if (found)
		return;
	char words[160], text[1024];
	flow_words(words, sizeof(words), p->proto, &p->ports);
	struct finding *fi = violation(
	    R, p, src, dst, "%s does not reach %s on %s within %u hop%s",
	    name_of(R, src), name_of(R, dst), words, p->hops,
	    p->hops == 1 ? "" : "s");
	struct graph_chains c;
	uint64_t steps = question_steps(R), had = steps;
	if (graph_chains(&c, g, src, dst, p->hops, 1, NULL, &steps) == 0 &&
	    c.n) {
		chain_text(text, sizeof(text), R, &c.v[0]);
		finding_detail(fi, "shortest chain: %s", text);
		finding_detail(fi,
			       "no chain carries %s on its last hop with "
			       "every hop reaching from %s",
			       words,
			       p->some ? "some placement pair"
				       : "every placement pair");
	} else {
		finding_detail(fi, "no chain of at most %u hop%s at all",
			       p->hops, p->hops == 1 ? "" : "s");
	}
	R->steps -= had - steps;
	graph_chains_free(&c);
}

static void require_all(struct run *R, const struct policy *p)
{
	if (p->hops && !graph_ready(R, p))
		return;
	for (uint32_t i = 0; i < R->from.n; i++)
		for (uint32_t j = 0; j < R->to.n; j++) {
			const struct reach_node *src = &R->from.v[i];
			const struct reach_node *dst = &R->to.v[j];
			if (same_node(src, dst))
				continue;
			if (p->hops)
				require_hops(R, p, src, dst);
			else
				require_pair(R, p, src, dst);
		}
}

void policy_run(struct finding_list *out, const struct policy_set *set,
		struct rule_ctx *ctx)
{
	if (!set || !set->n)
		return;
	struct run R = {.ctx = ctx,
			.out = out,
			.m = ctx->m,
			.s = ctx->s,
			.steps = RUN_CHAIN_STEPS};
	uint32_t n_lb = R.m->n[MK_LOAD_BALANCER];
	R.n_dense = pol_dense_count(R.m);
	R.lb_tab = xcalloc(3 * n_lb + 1, sizeof(*R.lb_tab));
	R.lb_made = xcalloc(3 * n_lb + 1, sizeof(*R.lb_made));
	R.in_to = xcalloc(R.n_dense, 1);
	R.in_via = xcalloc(R.n_dense, 1);
	R.stamp = xcalloc(R.n_dense, sizeof(*R.stamp));
	for (uint32_t i = 0; i < set->n; i++) {
		const struct policy *p = &set->v[i];
		pol_bind(&R.from, &p->from, R.m);
		pol_bind(&R.to, &p->to, R.m);
		pol_bind(&R.via, &p->via, R.m);
		memset(R.in_to, 0, R.n_dense);
		memset(R.in_via, 0, R.n_dense);
		for (uint32_t k = 0; k < R.to.n; k++)
			R.in_to[pol_dense_id(R.m, &R.to.v[k])] = 1;
		for (uint32_t k = 0; k < R.via.n; k++)
			R.in_via[pol_dense_id(R.m, &R.via.v[k])] = 1;
		if (p->require)
			require_all(&R, p);
		else if (p->hops)
			forbid_hops(&R, p);
		else
			forbid_direct(&R, p);
		free(R.from.v);
		free(R.to.v);
		free(R.via.v);
	}
	for (uint32_t k = 0; k < 3 * n_lb; k++)
		reach_table_free(&R.lb_tab[k]);
	free(R.lb_tab);
	free(R.lb_made);
	free(R.in_to);
	free(R.in_via);
	free(R.stamp);
	free(R.dist);
	free(R.queue);
	graph_free(R.g);
}

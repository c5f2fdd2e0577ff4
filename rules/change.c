/*
 * See change.h.  Flows are collected by resource id and evaluated in each
 * model with its own engine, so a resource that was renamed, deleted or
 * lost all its placements simply does not resolve there (FLOW_GONE).
 *
 * Scale (issue 18): an estate has hundreds of thousands of intended flows
 * and millions of placement pairs behind them, but only thousands of
 * distinct questions of classes.  So:
 * - flows are found again by a hash of (source id, destination id,
 *   protocol, port), and a group's carriers are listed once per collect;
 * - each model gets one engine, class index and memo (struct side), and
 *   every pair of a flow is answered by the memo, untraced;
 * - only the pair a report quotes (the first failing one, or the first)
 *   is asked again with a trace, and only when its text is read;
 * - ids resolve once per model, and exposure rows and earlier exposure
 *   changes are found by hash, not by scanning.
 */
#include "rules/change.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/util.h"
#include "rules/rules_impl.h"

static bool same_id(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

const char *flow_state_name(enum flow_state s)
{
	switch (s) {
	case FLOW_GONE:
		return "gone";
	case FLOW_NONE:
		return "none";
	case FLOW_SOME:
		return "some";
	case FLOW_ALL:
		return "all";
	}
	return "?";
}

bool flow_broken(const struct intended_flow *f)
{
	return f->after < f->before && !f->absorbed;
}

/*
 * Replicas lost with their zone are absorbed by their source (§10: a
 * read replica is an endpoint of its own, and reads fall back to the
 * primary), so the loss of its zone is not the loss of the flow.  The
 * partner of a flow to a replica is the flow from the same source to the
 * replica's source database on the same protocol and port; found once
 * per list by a map of the flows (texts are the list's, so equal ids are
 * equal pointers).
 */
struct flow_ptr_key {
	const char *src, *dst;
	uint32_t proto, port;
};

static struct flow_ptr_key flow_ptr_key(const char *src, const char *dst,
					struct sim_flow fl)
{
	struct flow_ptr_key k;
	memset(&k, 0, sizeof(k));
	k.src = src;
	k.dst = dst;
	k.proto = fl.proto;
	k.port = fl.port;
	return k;
}

/* Per flow of l, its partner's index (UINT32_MAX: none, or not a flow to
 * a replica); the caller frees it.  The replicas are found by their ids'
 * texts in the list (the source database's id per replica's), so flows
 * are matched by pointer, without a lookup of their ids in the model. */
static uint32_t *replica_partners(const struct flow_list *l,
				  const struct model *old)
{
	uint32_t *partner = xmalloc(((size_t)l->n + 1) * sizeof(*partner));
	struct hmap source_of, by_key;
	hmap_init(&source_of, sizeof(const char *), sizeof(const char *));
	hmap_init(&by_key, sizeof(struct flow_ptr_key), sizeof(uint32_t));
	for (uint32_t i = 0; i < l->n; i++)
		partner[i] = UINT32_MAX;
	for (uint32_t d = 0; d < old->n[MK_DATABASE]; d++) {
		uint32_t src = old->databases[d].replica_of;
		if (src == MODEL_NONE)
			continue;
		uint32_t r = hmap_find(&l->texts, old->databases[d].obj.id),
			 s = hmap_find(&l->texts, old->databases[src].obj.id);
		if (r == HMAP_NONE || s == HMAP_NONE)
			continue;
		const char *rk = hmap_key(&l->texts, r);
		*(const char **)hmap_val(&source_of,
					 hmap_insert(&source_of, &rk, NULL)) =
		    hmap_key(&l->texts, s);
	}
	if (!source_of.n)
		goto out;
	for (uint32_t k = 0; k < l->n; k++) {
		struct flow_ptr_key x =
		    flow_ptr_key(l->v[k].src_id, l->v[k].dst_id, l->v[k].flow);
		*(uint32_t *)hmap_val(&by_key, hmap_insert(&by_key, &x, NULL)) =
		    k;
	}
	for (uint32_t i = 0; i < l->n; i++) {
		const struct intended_flow *f = &l->v[i];
		uint32_t e = hmap_find(&source_of, &f->dst_id);
		if (e == HMAP_NONE)
			continue;
		struct flow_ptr_key x = flow_ptr_key(
		    f->src_id, *(const char **)hmap_val(&source_of, e),
		    f->flow);
		uint32_t g = hmap_find(&by_key, &x);
		if (g != HMAP_NONE)
			partner[i] = *(uint32_t *)hmap_val(&by_key, g);
	}
out:
	hmap_free(&source_of);
	hmap_free(&by_key);
	return partner;
}

static void absorb_replicas(struct flow_list *l, const uint32_t *partner)
{
	for (uint32_t i = 0; i < l->n; i++) {
		struct intended_flow *f = &l->v[i];
		if (f->after != FLOW_GONE || f->before == FLOW_GONE ||
		    partner[i] == UINT32_MAX)
			continue;
		const struct intended_flow *g = &l->v[partner[i]];
		f->absorbed = g->after >= g->before;
	}
}

/* ---- collecting --------------------------------------------------------- */

/*
 * The flows of a list by (source, destination, protocol, port), for
 * collecting without a scan per flow: a set of flow_ptr_keys whose entry
 * numbers are the flows' indices in the list (the list holds no two
 * flows of one key, and every key added is a flow appended).  The ids in
 * a key are the list's texts, one copy of each, so equal ids are equal
 * pointers and a key is hashed without reading them; the internet, a
 * NULL source, is NULL.  A model object's text is looked up once per
 * collect (obj_text), not once per flow.
 */
struct collector {
	struct flow_list *l;
	struct hmap flows;
	const char **obj_text[MK_KIND_COUNT]; /* NULL: not asked yet */
};

/* The list's copy of text s (NULL: NULL), made when it has none yet. */
static const char *keep_text(struct flow_list *l, const char *s)
{
	if (!s)
		return NULL;
	uint32_t e = hmap_find(&l->texts, s);
	if (e != HMAP_NONE)
		return hmap_key(&l->texts, e);
	char *c = xstrdup(s);
	hmap_insert(&l->texts, c, NULL);
	return c;
}

/* keep_text for a text of the caller's, which it takes (and frees when
 * the list already has one). */
static const char *keep_owned(struct flow_list *l, char *s)
{
	if (!s)
		return NULL;
	uint32_t e = hmap_find(&l->texts, s);
	if (e != HMAP_NONE) {
		free(s);
		return hmap_key(&l->texts, e);
	}
	hmap_insert(&l->texts, s, NULL);
	return s;
}

static const char *obj_text(struct collector *c, const struct model *m,
			    const struct model_obj *o)
{
	if (!c->obj_text[o->kind])
		c->obj_text[o->kind] =
		    xcalloc(m->n[o->kind] + 1, sizeof(const char *));
	const char **x = &c->obj_text[o->kind][o->index];
	if (!*x)
		*x = keep_text(c->l, o->id);
	return *x;
}

static void collector_init(struct collector *c, struct flow_list *l)
{
	memset(c, 0, sizeof(*c));
	c->l = l;
	hmap_init(&c->flows, sizeof(struct flow_ptr_key), 0);
	hmap_reserve(&c->flows, l->n);
	for (uint32_t i = 0; i < l->n; i++) {
		struct flow_ptr_key k =
		    flow_ptr_key(l->v[i].src_id, l->v[i].dst_id, l->v[i].flow);
		hmap_insert(&c->flows, &k, NULL);
	}
}

static void collector_free(struct collector *c)
{
	hmap_free(&c->flows);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		free(c->obj_text[k]);
}

/* The flow of key k (its ids the list's texts), added when the list does
 * not hold it yet (*added; its why is then the caller's to set): the why
 * of a flow already there is not even formatted. */
static struct intended_flow *
add_keyed(struct collector *c, const struct flow_ptr_key *k, bool *added)
{
	struct flow_list *l = c->l;
	uint32_t e = hmap_insert(&c->flows, k, added);
	if (!*added)
		return &l->v[e];
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	struct intended_flow *f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->src_id = k->src;
	f->dst_id = k->dst;
	f->flow = (struct sim_flow){(enum proto)k->proto, (uint16_t)k->port};
	return f;
}

static struct intended_flow *add_flow(struct collector *c, const char *src,
				      const char *dst, struct sim_flow flow,
				      bool *added)
{
	struct flow_ptr_key k =
	    flow_ptr_key(keep_text(c->l, src), keep_text(c->l, dst), flow);
	return add_keyed(c, &k, added);
}

#define MAX_CARRIERS 256

/*
 * The resources carrying each group, each once, in placement order, at
 * most MAX_CARRIERS a group (the first ones): what a pass over every
 * placement per group rule gave, listed once.  A resource's placements
 * are contiguous, so a resource is already listed only when it is the
 * last one listed.
 */
struct group_carriers {
	const struct model_obj ***v;
	uint32_t *n;
};

static void group_carriers_build(struct group_carriers *c,
				 const struct model *m)
{
	uint32_t ng = m->n[MK_SECURITY_GROUP];
	c->v = xcalloc(ng + 1, sizeof(*c->v));
	c->n = xcalloc(ng + 1, sizeof(*c->n));
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		const struct model_placement *p = &m->placements[i];
		const struct model_obj *o = model_object(m, p->kind, p->index);
		for (uint32_t k = 0; k < p->n_groups; k++) {
			uint32_t g = p->groups[k];
			if (g >= ng || c->n[g] == MAX_CARRIERS ||
			    (c->n[g] && c->v[g][c->n[g] - 1] == o))
				continue;
			if (!c->v[g])
				c->v[g] =
				    xcalloc(MAX_CARRIERS, sizeof(*c->v[g]));
			c->v[g][c->n[g]++] = o;
		}
	}
}

static void group_carriers_free(struct group_carriers *c, const struct model *m)
{
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++)
		free(c->v[g]);
	free(c->v);
	free(c->n);
}

/* The forwards of one listener (every node), as intended flows from the
 * load balancer to each target resource: the engine's (sim_lb_forwards). */
static void collect_forwards(struct collector *c, const struct model *m,
			     uint32_t lb, uint32_t listener)
{
	const struct model_load_balancer *b = &m->lbs[lb];
	struct sim_fwds fw = {0};
	uint32_t nn;
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, lb, &nn);
	for (uint32_t n = 0; n < nn; n++)
		sim_lb_forwards(m, lb, listener,
				(uint32_t)(&nodes[n] - m->placements), &fw);
	for (uint32_t i = 0; i < fw.n; i++) {
		const struct sim_fwd *f = &fw.v[i];
		if (f->target.placement == MODEL_NONE)
			continue;
		const struct model_placement *q =
		    &m->placements[f->target.placement];
		bool added;
		struct intended_flow *x = add_flow(
		    c, b->obj.id, model_object(m, q->kind, q->index)->id,
		    f->traffic, &added);
		if (added)
			x->why = keep_owned(
			    c->l,
			    xasprintf(
				"%s forwards listener %u to target group %s",
				b->obj.id, b->listeners[listener].port,
				m->target_groups[f->target_group].obj.id));
		x->forward = true;
	}
	sim_fwds_free(&fw);
}

static void collect_lb(struct collector *c, const struct model *m)
{
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		const struct model_load_balancer *lb = &m->lbs[i];
		for (uint32_t k = 0; k < lb->n_listeners; k++) {
			const struct model_listener *li = &lb->listeners[k];
			struct sim_flow f = {
			    li->protocol == LBP_UDP ? PROTO_UDP : PROTO_TCP,
			    li->port};
			bool added;
			if (lb->internet_facing) {
				struct intended_flow *x =
				    add_flow(c, NULL, lb->obj.id, f, &added);
				if (added)
					x->why = keep_owned(
					    c->l,
					    xasprintf("listener %u of internet-"
						      "facing load balancer %s",
						      li->port, lb->obj.id));
			}
			collect_forwards(c, m, i, k);
		}
	}
}

/* The flows of one group rule x of group g (an egress rule when egress)
 * naming another group: every carrier of the source side to every other
 * carrier of the destination side, on the rule's lowest port. */
static void collect_rule(struct collector *c, const struct model *m,
			 const struct group_carriers *gc, uint32_t g,
			 bool egress, const struct model_sg_rule *x)
{
	/* Ingress on g from peer: peer -> g; egress of g to peer: g ->
	 * peer. */
	uint32_t from = egress ? g : x->peer, to = egress ? x->peer : g;
	struct sim_flow fl = {x->match.proto, x->match.port_lo};
	/* The rule's why, made for its first new flow and shared by the
	 * others. */
	const char *why = NULL;
	for (uint32_t a = 0; a < gc->n[from]; a++)
		for (uint32_t b = 0; b < gc->n[to]; b++) {
			const struct model_obj *src = gc->v[from][a],
					       *dst = gc->v[to][b];
			if (src == dst)
				continue;
			struct flow_ptr_key k = flow_ptr_key(
			    obj_text(c, m, src), obj_text(c, m, dst), fl);
			bool added;
			struct intended_flow *f = add_keyed(c, &k, &added);
			if (!added)
				continue;
			if (!why)
				why = keep_owned(
				    c->l,
				    xasprintf("security group %s %s rule %u "
					      "names group %s",
					      m->groups[g].obj.id,
					      egress ? "egress" : "ingress",
					      x->number,
					      m->groups[x->peer].obj.id));
			f->why = why;
		}
}

static void collect_groups(struct collector *c, const struct model *m)
{
	struct group_carriers gc;
	group_carriers_build(&gc, m);
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		const struct model_security_group *sg = &m->groups[g];
		for (int dir = 0; dir < 2; dir++) {
			const struct model_sg_rule *rules =
			    dir ? sg->egress : sg->ingress;
			uint32_t n = dir ? sg->n_egress : sg->n_ingress;
			for (uint32_t r = 0; r < n; r++) {
				enum proto p = rules[r].match.proto;
				if (rules[r].peer_kind == PEER_GROUP &&
				    (p == PROTO_TCP || p == PROTO_UDP))
					collect_rule(c, m, &gc, g, dir,
						     &rules[r]);
			}
		}
	}
	group_carriers_free(&gc, m);
}

void change_collect(struct flow_list *l, const struct model *m)
{
	struct collector c;
	collector_init(&c, l);
	collect_lb(&c, m);
	collect_groups(&c, m);
	for (uint32_t s = 0; s < m->n[MK_SERVICE]; s++)
		for (int k = SVC_ECR; k <= SVC_LOGS; k++) {
			bool added;
			struct intended_flow *f = add_flow(
			    &c, m->services[s].obj.id, sim_service_name(k),
			    (struct sim_flow){PROTO_TCP, 443}, &added);
			if (added)
				f->why = keep_owned(
				    l, xasprintf("ECS tasks of %s pull images "
						 "and ship logs",
						 m->services[s].obj.id));
		}
	collector_free(&c);
}

/* ---- evaluating --------------------------------------------------------- */

/*
 * One model as the comparison reads it: its engine, class index and memo,
 * the ids resolved so far (id -> struct resolved, keyed by the pointer:
 * every id asked is a text of the flow list, which holds one copy of each
 * and outlives the side), and the forwards of each load balancer, listed
 * when a flow first asks.
 */
struct side {
	const struct model *m;
	struct sim *s;
	struct reach_index *ix;
	struct reach_memo *memo;
	struct hmap ids;
	struct sim_fwds *lb_fwds; /* per load balancer */
	bool *lb_listed;
};

/* An id resolved in one model: its selector and endpoints (sim_answer's). */
struct resolved {
	bool ok;
	struct sim_sel sel;
	struct sim_ep *eps;
	uint32_t n;
};

static void side_init(struct side *sd, const struct model *m)
{
	memset(sd, 0, sizeof(*sd));
	sd->m = m;
	sim_new(&sd->s, m);
	reach_index_new(&sd->ix, sd->s);
	reach_memo_new(&sd->memo, sd->ix);
	hmap_init(&sd->ids, sizeof(const char *), sizeof(struct resolved));
	uint32_t nl = m->n[MK_LOAD_BALANCER];
	sd->lb_fwds = xcalloc(nl + 1, sizeof(*sd->lb_fwds));
	sd->lb_listed = xcalloc(nl + 1, sizeof(*sd->lb_listed));
}

static void side_free(struct side *sd)
{
	for (uint32_t i = 0; i < sd->ids.n; i++)
		free(((struct resolved *)hmap_val(&sd->ids, i))->eps);
	hmap_free(&sd->ids);
	for (uint32_t l = 0; l < sd->m->n[MK_LOAD_BALANCER]; l++)
		sim_fwds_free(&sd->lb_fwds[l]);
	free(sd->lb_fwds);
	free(sd->lb_listed);
	reach_memo_free(sd->memo);
	reach_index_free(sd->ix);
	sim_free(sd->s);
}

bool change_flow_sel(struct sim_sel *sel, const struct sim *s, const char *id)
{
	char err[256];
	if (!id) {
		memset(sel, 0, sizeof(*sel));
		sel->kind = SEL_INTERNET;
		sel->addr = SIM_INTERNET_ADDR;
		snprintf(sel->name, sizeof(sel->name), "internet");
		return true;
	}
	return sim_sel_parse(sel, s, id, err, sizeof(err)) == 0;
}

/* The id (a text of the flow list) resolved in sd, once per id; the
 * internet is resolved each time (it is no key of the map).  The result
 * is valid until the next call. */
static const struct resolved *resolve(struct side *sd, const char *id,
				      struct resolved *inet)
{
	struct resolved *x = inet;
	bool added = true;
	if (id) {
		uint32_t e = hmap_insert(&sd->ids, &id, &added);
		x = hmap_val(&sd->ids, e);
	} else {
		free(inet->eps);
		memset(inet, 0, sizeof(*inet));
	}
	if (added) {
		x->ok = change_flow_sel(&x->sel, sd->s, id);
		if (x->ok)
			x->eps = sim_sel_endpoints(sd->s, &x->sel, &x->n);
	}
	return x;
}

/* The forwards of load balancer lb from every listener and node, in that
 * order: the engine's (sim_lb_forwards), listed once per side. */
static const struct sim_fwds *lb_forwards_of(struct side *sd, uint32_t lb)
{
	const struct model *m = sd->m;
	if (!sd->lb_listed[lb]) {
		uint32_t nn;
		const struct model_placement *nodes =
		    model_placements(m, MK_LOAD_BALANCER, lb, &nn);
		for (uint32_t li = 0; li < m->lbs[lb].n_listeners; li++)
			for (uint32_t n = 0; n < nn; n++)
				sim_lb_forwards(
				    m, lb, li,
				    (uint32_t)(&nodes[n] - m->placements),
				    &sd->lb_fwds[lb]);
		sd->lb_listed[lb] = true;
	}
	return &sd->lb_fwds[lb];
}

/* Adds forward f's check, traced, as a pair of the answer. */
static void forward_pair(struct sim_answer *an, const struct sim *s,
			 const struct sim_fwd *f, const uint32_t *client)
{
	struct sim_pair *p = &an->pairs[an->n++];
	struct sim_fwd_check ck;
	p->src = (struct sim_ep){.kind = EP_PLACEMENT, .placement = f->node};
	p->dst = (struct sim_ep){.kind = EP_PLACEMENT,
				 .placement = f->target.placement};
	sim_trace_init(&p->trace);
	sim_forward_check(s, f, client, &ck, &p->trace);
	p->res = ck.res;
	p->res.reachable = ck.works;
	an->n_ok += ck.works;
}

/*
 * A load balancer's forward to a target resource (sel b) on a flow: the
 * engine's forwards from every listener and node to the resource's
 * placements on that port, judged for the load balancer's default client
 * (§8), as an answer whose pairs are the forwards.  Few flows are
 * forwards, so each keeps its traces.
 */
static void forward_answer(struct sim_answer *an, struct side *sd, uint32_t lb,
			   const struct sim_sel *b, struct sim_flow flow)
{
	const struct model *m = sd->m;
	const struct sim_fwds *fw = lb_forwards_of(sd, lb);
	uint32_t *taken = xcalloc(fw->n + 1, sizeof(*taken)), nt = 0;
	memset(an, 0, sizeof(*an));
	an->flow = flow;
	an->pairs = xcalloc(fw->n + 1, sizeof(*an->pairs));
	for (uint32_t i = 0; i < fw->n; i++) {
		const struct sim_fwd *f = &fw->v[i];
		const struct model_placement *q =
		    f->target.placement != MODEL_NONE
			? &m->placements[f->target.placement]
			: NULL;
		if (!q || q->kind != b->rkind || q->index != b->rindex ||
		    f->traffic.proto != flow.proto ||
		    f->traffic.port != flow.port)
			continue;
		/* One pair per node and target, however many listeners
		 * forward there: an earlier forward of the same pair is one
		 * that matched too. */
		bool dup = false;
		for (uint32_t j = 0; j < nt && !dup; j++)
			dup = fw->v[taken[j]].node == f->node &&
			      fw->v[taken[j]].target.placement ==
				  f->target.placement;
		taken[nt++] = i;
		if (!dup)
			forward_pair(an, sd->s, f,
				     sim_lb_default_client(m, lb));
	}
	an->verdict = an->n && an->n_ok == an->n ? VERDICT_ALL
		      : an->n_ok		 ? VERDICT_SOME
						 : VERDICT_NONE;
	free(taken);
}

/*
 * One flow in one model.  Every pair is asked untraced (the memo answers
 * pairs of placements); which pair a report would quote is remembered,
 * and traced only when asked (quote).  A load balancer's forwards are
 * kept traced in fwd, as few flows are forwards.
 */
struct flow_eval {
	bool have; /* both ends resolved */
	enum flow_state state;
	uint32_t n, n_ok;
	bool is_fwd;
	struct sim_answer fwd;
	/* Not forwards: the ends, and the pairs to quote: the first that
	 * fails (when one does) and the first. */
	struct resolved a, b;
	bool any_fail;
	uint32_t fail_i, fail_j;
	struct sim_flow flow;
	/* Quoted pairs, traced: [0] the first failing (or first), [1] the
	 * first, each once. */
	struct sim_pair quoted[2];
	bool traced[2];
};

/* A pair's endpoints as sim_answer makes them: one IPv6 end makes the
 * question IPv6, both ends say so. */
static void pair_eps(const struct flow_eval *e, uint32_t i, uint32_t j,
		     struct sim_ep *src, struct sim_ep *dst)
{
	*src = e->a.eps[i];
	*dst = e->b.eps[j];
	src->v6 |= e->b.sel.v6;
	dst->v6 |= e->a.sel.v6;
}

/* Whether one pair connects, untraced: through the memo when both ends
 * are placements asked by their private IPv4 addresses. */
static bool pair_reaches(struct side *sd, const struct sim_ep *src,
			 const struct sim_ep *dst, struct sim_flow flow)
{
	if (src->kind == EP_PLACEMENT && dst->kind == EP_PLACEMENT &&
	    !src->v6 && !dst->v6 && !src->via_public && !dst->via_public)
		return reach_memo_connect(sd->memo, src->placement,
					  dst->placement, flow)
		    ->reachable;
	struct sim_result res;
	sim_connect(sd->s, src, dst, flow, &res, NULL);
	sim_result_free(&res);
	return res.reachable;
}

static enum flow_state evaluate(struct side *sd, const struct intended_flow *f,
				struct flow_eval *e)
{
	struct resolved inet = {0};
	memset(e, 0, sizeof(*e));
	e->flow = f->flow;
	e->state = FLOW_GONE;
	const struct resolved *a = resolve(sd, f->src_id, &inet);
	if (!a->ok)
		goto out;
	e->a = *a;
	e->a.eps = xcalloc(a->n, sizeof(*a->eps));
	memcpy(e->a.eps, a->eps, a->n * sizeof(*a->eps));
	const struct resolved *b = resolve(sd, f->dst_id, &inet);
	if (!b->ok)
		goto out;
	e->b = *b;
	e->b.eps = xcalloc(b->n, sizeof(*b->eps));
	memcpy(e->b.eps, b->eps, b->n * sizeof(*b->eps));
	e->have = true;
	if (f->forward && e->a.sel.kind == SEL_RESOURCE &&
	    e->a.sel.rkind == MK_LOAD_BALANCER &&
	    e->b.sel.kind == SEL_RESOURCE) {
		e->is_fwd = true;
		forward_answer(&e->fwd, sd, e->a.sel.rindex, &e->b.sel,
			       f->flow);
		e->n = e->fwd.n;
		e->n_ok = e->fwd.n_ok;
		e->state = e->fwd.verdict == VERDICT_ALL    ? FLOW_ALL
			   : e->fwd.verdict == VERDICT_SOME ? FLOW_SOME
							    : FLOW_NONE;
		goto out;
	}
	for (uint32_t i = 0; i < e->a.n; i++)
		for (uint32_t j = 0; j < e->b.n; j++) {
			struct sim_ep src, dst;
			pair_eps(e, i, j, &src, &dst);
			e->n++;
			if (pair_reaches(sd, &src, &dst, f->flow)) {
				e->n_ok++;
			} else if (!e->any_fail) {
				e->any_fail = true;
				e->fail_i = i;
				e->fail_j = j;
			}
		}
	/* sim_answer's verdict: all when every pair reaches. */
	e->state = e->n_ok == e->n ? FLOW_ALL : e->n_ok ? FLOW_SOME : FLOW_NONE;
out:
	free(inet.eps);
	return e->state;
}

/*
 * change_evaluate: one flow with every pair traced, for pictures and
 * reports that draw and explain each pair.  A side of its own that holds
 * only the engine it is given and the load balancers' forwards (no memo:
 * every pair is traced anyway).
 */
enum flow_state change_evaluate(const struct sim *s,
				const struct intended_flow *f,
				struct sim_answer *an, bool *have)
{
	const struct model *m = sim_model(s);
	struct side sd = {.m = m, .s = (struct sim *)s};
	uint32_t nl = m->n[MK_LOAD_BALANCER];
	struct sim_sel a, b;
	enum flow_state st = FLOW_GONE;
	*have = false;
	memset(an, 0, sizeof(*an));
	sd.lb_fwds = xcalloc(nl + 1, sizeof(*sd.lb_fwds));
	sd.lb_listed = xcalloc(nl + 1, sizeof(*sd.lb_listed));
	if (!change_flow_sel(&a, s, f->src_id) ||
	    !change_flow_sel(&b, s, f->dst_id))
		goto out;
	if (f->forward && a.kind == SEL_RESOURCE &&
	    a.rkind == MK_LOAD_BALANCER && b.kind == SEL_RESOURCE)
		forward_answer(an, &sd, a.rindex, &b, f->flow);
	else
		sim_answer(an, s, &a, &b, f->flow, true);
	*have = true;
	st = an->verdict == VERDICT_ALL	   ? FLOW_ALL
	     : an->verdict == VERDICT_SOME ? FLOW_SOME
					   : FLOW_NONE;
out:
	for (uint32_t l = 0; l < nl; l++)
		sim_fwds_free(&sd.lb_fwds[l]);
	free(sd.lb_fwds);
	free(sd.lb_listed);
	return st;
}

static void flow_eval_free(struct flow_eval *e)
{
	if (e->is_fwd)
		sim_answer_free(&e->fwd);
	for (int k = 0; k < 2; k++)
		if (e->traced[k]) {
			sim_result_free(&e->quoted[k].res);
			sim_trace_free(&e->quoted[k].trace);
		}
	free(e->a.eps);
	free(e->b.eps);
}

/*
 * The pair a report quotes, traced: the first failing pair, else the
 * first (first_failing), or with first the first pair whatever it does.
 * NULL when the flow has no pair.
 */
static const struct sim_pair *quote(struct side *sd, struct flow_eval *e,
				    bool first)
{
	if (!e->have || !e->n)
		return NULL;
	if (e->is_fwd) {
		if (!first)
			for (uint32_t i = 0; i < e->fwd.n; i++)
				if (!e->fwd.pairs[i].res.reachable)
					return &e->fwd.pairs[i];
		return &e->fwd.pairs[0];
	}
	int k = first || !e->any_fail;
	if (!e->traced[k]) {
		struct sim_pair *p = &e->quoted[k];
		pair_eps(e, k ? 0 : e->fail_i, k ? 0 : e->fail_j, &p->src,
			 &p->dst);
		sim_trace_init(&p->trace);
		sim_connect(sd->s, &p->src, &p->dst, e->flow, &p->res,
			    &p->trace);
		e->traced[k] = true;
	}
	return &e->quoted[k];
}

static const char *step_comp(const struct model *m, const struct sim_step *st)
{
	if (st->comp_kind >= MK_KIND_COUNT ||
	    st->comp_index >= m->n[st->comp_kind])
		return NULL;
	return model_object(m, st->comp_kind, st->comp_index)->id;
}

/*
 * The component whose step differs first between two traces of the same
 * question: what the change touched.  NULL when the traces agree.
 */
static char *explain(const struct model *om, const struct sim_pair *op,
		     const struct model *nm, const struct sim_pair *np)
{
	if (!op || !np)
		return NULL;
	uint32_t n = op->trace.n < np->trace.n ? op->trace.n : np->trace.n;
	for (uint32_t i = 0; i <= n; i++) {
		const struct sim_step *a =
		    i < op->trace.n ? &op->trace.steps[i] : NULL;
		const struct sim_step *b =
		    i < np->trace.n ? &np->trace.steps[i] : NULL;
		if (!a && !b)
			break;
		if (a && b && a->kind == b->kind && a->block == b->block &&
		    a->rule == b->rule && a->comp_kind == b->comp_kind &&
		    same_id(step_comp(om, a), step_comp(nm, b)))
			continue;
		/* Say what decided before and what decides now. */
		char before[512] = "nothing", now[512] = "nothing";
		if (a)
			snprintf(before, sizeof(before), "%s%s%s",
				 a->block ? sim_block_name(a->block) : "",
				 a->block ? ": " : "", a->text);
		if (b)
			snprintf(now, sizeof(now), "%s%s%s",
				 b->block ? sim_block_name(b->block) : "",
				 b->block ? ": " : "", b->text);
		return xasprintf("before: %s; now: %s", before, now);
	}
	return NULL;
}

/* The rows of an exposure table by destination id (the first row of each
 * id), for finding one model's row in the other's table. */
static void rows_by_id(struct hmap *h, const struct sim *s,
		       const struct reach_table *t)
{
	hmap_init(h, 0, sizeof(uint32_t));
	for (uint32_t i = 0; i < t->n; i++) {
		bool added;
		uint32_t e =
		    hmap_insert(h, reach_node_name(s, &t->rows[i].dst), &added);
		if (added)
			*(uint32_t *)hmap_val(h, e) = i;
	}
}

static const enum proto exposure_protos[2] = {PROTO_TCP, PROTO_UDP};

/* What the internet reaches in one side, per protocol of exposure_protos
 * (the caller's to reach_table_free). */
static void internet_reach(struct reach_table *t, const struct side *sd,
			   size_t p)
{
	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	reach_from(t, sd->ix, &inet, exposure_protos[p], false);
}

/*
 * See change.h.  The old side's exposure tables (and their rows by id)
 * and policy findings are made once; so is the before state of every
 * flow, kept in the list.  The policy fingerprints are borrowed from
 * old_findings.
 */
struct change_base {
	struct side os;
	struct flow_list *l;
	struct reach_table ot[2];
	struct hmap o_rows[2];
	const struct policy_set *ps;
	struct finding_list old_findings;
	struct hmap old_prints;
	uint32_t *partner; /* replica_partners */
};

static void exposure_diff(struct change_report *r, struct change_base *base,
			  struct side *ns, bool with_cause)
{
	struct side *os = &base->os;
	const enum proto *protos = exposure_protos;
	for (size_t p = 0; p < 2; p++) {
		const struct reach_table ot = base->ot[p];
		const struct hmap o_rows = base->o_rows[p];
		struct reach_table nt;
		struct hmap n_rows, changes;
		internet_reach(&nt, ns, p);
		rows_by_id(&n_rows, ns->s, &nt);
		/* This protocol's changes by id (keys: their dst_id). */
		hmap_init(&changes, 0, sizeof(uint32_t));
		/* Both directions: resources newly exposed or with new ports,
		 * and exposures that went away. */
		for (int side = 0; side < 2; side++) {
			const struct reach_table *a = side ? &ot : &nt;
			const struct reach_table *b = side ? &nt : &ot;
			const struct hmap *bi = side ? &n_rows : &o_rows;
			const struct sim *as = side ? os->s : ns->s;
			for (uint32_t i = 0; i < a->n; i++) {
				const char *id =
				    reach_node_name(as, &a->rows[i].dst);
				uint32_t j = hmap_find(bi, id);
				struct ports d = PORTS_INIT;
				if (j == HMAP_NONE)
					ports_copy(&d, &a->rows[i].some);
				else
					ports_diff(
					    &d, &a->rows[i].some,
					    &b->rows[*(uint32_t *)hmap_val(bi,
									   j)]
						 .some);
				if (ports_empty(&d)) {
					ports_free(&d);
					continue;
				}
				/* Merge with an entry for the same id. */
				struct exposure_change *e = NULL;
				uint32_t k = hmap_find(&changes, id);
				if (k != HMAP_NONE) {
					e = &r->exposures[*(uint32_t *)hmap_val(
					    &changes, k)];
				} else {
					r->exposures = xreallocarray(
					    r->exposures, r->n_exposures + 1,
					    sizeof(*r->exposures));
					e = &r->exposures[r->n_exposures++];
					memset(e, 0, sizeof(*e));
					e->dst_id = xstrdup(id);
					e->proto = protos[p];
					*(uint32_t *)hmap_val(
					    &changes,
					    hmap_insert(&changes, e->dst_id,
							NULL)) =
					    r->n_exposures - 1;
				}
				ports_copy(side ? &e->removed : &e->added, &d);
				if (with_cause && !side && !e->cause) {
					/* The list's copy: sides find
					 * ids by their pointers. */
					struct intended_flow q = {
					    .dst_id = keep_text(&r->flows, id),
					    .flow = {protos[p], d.r[0].lo}};
					struct flow_eval oe, ne;
					evaluate(os, &q, &oe);
					evaluate(ns, &q, &ne);
					e->cause = explain(
					    os->m, quote(os, &oe, false), ns->m,
					    quote(ns, &ne, true));
					flow_eval_free(&oe);
					flow_eval_free(&ne);
				}
				ports_free(&d);
			}
		}
		hmap_free(&changes);
		hmap_free(&n_rows);
		reach_table_free(&nt);
	}
}

static void edge_note(struct change_report *r, const char *src, const char *dst,
		      enum proto proto, const struct ports *now,
		      const struct ports *was)
{
	struct ports add = PORTS_INIT, rem = PORTS_INIT;
	ports_diff(&add, now, was);
	ports_diff(&rem, was, now);
	if (ports_empty(&add) && ports_empty(&rem)) {
		ports_free(&add);
		ports_free(&rem);
		return;
	}
	r->edges = xreallocarray(r->edges, r->n_edges + 1, sizeof(*r->edges));
	struct edge_change *e = &r->edges[r->n_edges++];
	e->src_id = xstrdup(src);
	e->dst_id = xstrdup(dst);
	e->proto = proto;
	e->added = add;
	e->removed = rem;
}

/*
 * The reachability between resources that changed, read at the endpoint
 * level without making it.  An endpoint edge x -> y of a model is its
 * graph's edge between the groups of x and y (graph.h: twins share their
 * edges, with the same ports), so whether x -> y changed depends only on
 * the group edge on each side.  Each resource is matched by id with the
 * other model's (its vertex there); a group's members, split by their
 * vertex in the other model, are walked member by member only where the
 * two group edges differ.  The order is the endpoint views': sources in
 * model order, a source's edges by graph_endpoint_order (ties in the
 * order they are met, as the views' stable sort leaves them).
 */
struct edge_side {
	const struct graph *g;
	uint32_t *other;	 /* per member: the other graph's vertex */
	uint32_t *ov_first, *ov; /* per vertex: its members' other
				    vertices, sorted, each once */
};

static void edge_side_init(struct edge_side *e, const struct graph *g,
			   const struct graph *other)
{
	const struct model *om = sim_model(other->s);
	e->g = g;
	e->other = xcalloc(g->n_members + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < g->n_members; i++) {
		const struct model_obj *o =
		    model_find(om, reach_node_name(g->s, &g->members[i]));
		e->other[i] =
		    o ? other->vertex_of[o->kind][o->index] : UINT32_MAX;
	}
	e->ov_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	e->ov = xcalloc(g->n_members + g->n_nodes + 1, sizeof(uint32_t));
	uint32_t n = 0;
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		e->ov_first[v] = n;
		uint32_t nm;
		const struct reach_node *mem = graph_members(g, v, &nm);
		uint32_t start = n;
		for (uint32_t k = 0; k < nm; k++) {
			uint32_t mi = graph_member_index(g, &mem[k]);
			/* The internet and the services are the same vertex
			 * in both graphs. */
			uint32_t x = mi == UINT32_MAX ? v : e->other[mi];
			bool seen = false;
			for (uint32_t j = start; j < n && !seen; j++)
				seen = e->ov[j] == x;
			if (!seen)
				e->ov[n++] = x;
		}
	}
	e->ov_first[g->n_nodes] = n;
}

static void edge_side_free(struct edge_side *e)
{
	free(e->other);
	free(e->ov_first);
	free(e->ov);
}

/* The edge from -> to of g that is (not) a forward, or NULL. */
static const struct graph_edge *group_edge(const struct graph *g, uint32_t from,
					   uint32_t to, bool forward)
{
	if (from >= g->n_nodes || to >= g->n_nodes)
		return NULL;
	const struct graph_edge *e = graph_edge_between(g, from, to);
	if (!e)
		return NULL;
	/* A forward and a flow between the same groups are two edges,
	 * next to each other. */
	while (e > &g->edges[g->out_first[from]] && e[-1].to == to)
		e--;
	for (; e < &g->edges[g->out_first[from + 1]] && e->to == to; e++)
		if (e->forward == forward)
			return e;
	return NULL;
}

/* The other model's edge between the same names: a flow first, else a
 * forward (the views' edge_find). */
static const struct graph_edge *other_edge(const struct graph *g, uint32_t from,
					   uint32_t to)
{
	const struct graph_edge *e = group_edge(g, from, to, false);
	return e ? e : group_edge(g, from, to, true);
}

/* An endpoint edge to note: its target member and the edges on both
 * sides, with its sort key and the order it was met in. */
struct noted {
	uint64_t key, seq;
	const struct reach_node *to;
	const struct graph_edge *x, *y;
};

static int noted_cmp(const void *a, const void *b)
{
	const struct noted *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Whether edge_note would note anything for x (now) against y (was). */
static bool edges_differ(const struct graph_edge *x, const struct graph_edge *y)
{
	static const struct ports none = PORTS_INIT;
	return !ports_equal(&x->tcp_some, y ? &y->tcp_some : &none) ||
	       !ports_equal(&x->udp_some, y ? &y->udp_some : &none);
}

/*
 * One side's endpoint edges, in view order: side 0 walks the new model's
 * and notes each against the old one's edge between the same names;
 * side 1 walks the old model's and notes those with no edge in the new
 * one.
 */
static void edge_walk(struct change_report *r, const struct edge_side *a,
		      const struct edge_side *b, int side)
{
	static const struct ports none = PORTS_INIT;
	const struct graph *g = a->g;
	const struct model *m = sim_model(g->s);
	struct noted *list = NULL;
	uint32_t cap = 0;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t si = g->member_of[k][i];
			if (si == UINT32_MAX)
				continue;
			const struct reach_node *src = &g->members[si];
			uint32_t u = g->vertex_of[k][i], uo = a->other[si];
			uint32_t n = 0;
			for (uint32_t e = g->out_first[u];
			     e < g->out_first[u + 1]; e++) {
				const struct graph_edge *x = &g->edges[e];
				for (uint32_t d = a->ov_first[x->to];
				     d < a->ov_first[x->to + 1]; d++) {
					uint32_t ov = a->ov[d];
					const struct graph_edge *y =
					    uo == UINT32_MAX || ov == UINT32_MAX
						? NULL
						: other_edge(b->g, uo, ov);
					if (side ? y != NULL
						 : !edges_differ(x, y))
						continue;
					if (side && !edges_differ(x, NULL))
						continue;
					uint32_t nm;
					const struct reach_node *mem =
					    graph_members(g, x->to, &nm);
					if (n + nm > cap) {
						cap = 2 * (n + nm);
						list = xreallocarray(
						    list, cap, sizeof(*list));
					}
					for (uint32_t t = 0; t < nm; t++) {
						uint32_t mi =
						    graph_member_index(g,
								       &mem[t]);
						uint32_t to_ov =
						    mi == UINT32_MAX
							? x->to
							: a->other[mi];
						if (to_ov != ov || mi == si)
							continue;
						list[n] = (struct noted){
						    graph_endpoint_order(
							g, x, &mem[t]),
						    n, &mem[t], x, y};
						n++;
					}
				}
			}
			if (n > 1)
				qsort(list, n, sizeof(*list), noted_cmp);
			const char *sn = reach_node_name(g->s, src);
			for (uint32_t j = 0; j < n; j++) {
				const char *dn =
				    reach_node_name(g->s, list[j].to);
				const struct graph_edge *now =
				    side ? NULL : list[j].x;
				const struct graph_edge *was =
				    side ? list[j].x : list[j].y;
				edge_note(r, sn, dn, PROTO_TCP,
					  now ? &now->tcp_some : &none,
					  was ? &was->tcp_some : &none);
				edge_note(r, sn, dn, PROTO_UDP,
					  now ? &now->udp_some : &none,
					  was ? &was->udp_some : &none);
			}
		}
	free(list);
}

/*
 * Every resource-to-resource reachability that changed (the internet's is
 * in the exposures): new paths to a database, ports opened or closed.
 */
static void edge_diff(struct change_report *r, const struct side *os,
		      const struct side *ns)
{
	struct graph *og = NULL, *ng = NULL;
	if (graph_build(&og, os->ix, NULL) || graph_build(&ng, ns->ix, NULL))
		goto out;
	struct edge_side o, n;
	edge_side_init(&o, og, ng);
	edge_side_init(&n, ng, og);
	edge_walk(r, &n, &o, 0);
	edge_walk(r, &o, &n, 1);
	edge_side_free(&o);
	edge_side_free(&n);
out:
	graph_free(og);
	graph_free(ng);
}

/* What blocks flow f after the change: the step's sentence, and the
 * component it names with where that is written (texts kept in l). */
static void blocked_by(struct intended_flow *f, struct flow_list *l,
		       const struct model *m, const struct sim_step *st)
{
	f->detail_after = keep_text(l, st->text);
	const char *id = step_comp(m, st);
	if (id) {
		/* "a security group" without its article. */
		const char *kind = model_kind_label(st->comp_kind);
		if (!strncmp(kind, "a ", 2))
			kind += 2;
		else if (!strncmp(kind, "an ", 3))
			kind += 3;
		f->blocker = keep_owned(l, xasprintf("%s %s", kind, id));
	}
	f->block_loc = st->loc;
	f->block_loc.file = keep_text(l, st->loc.file);
}

/* The policies' findings on m (the caller's to findings_free). */
static void run_policies(struct finding_list *out, const struct policy_set *ps,
			 const struct model *m)
{
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, out);
	policy_run(out, ps, &ctx);
	rule_ctx_free(&ctx);
}

/* Records in r the policy violations of new whose fingerprints the old
 * model's (before) lack. */
static void policies_new(struct change_report *r, const struct hmap *before,
			 const struct policy_set *ps, const struct model *new)
{
	struct finding_list b = {0};
	run_policies(&b, ps, new);
	for (uint32_t i = 0; i < b.n; i++) {
		if (hmap_find(before, b.v[i].fingerprint) != HMAP_NONE)
			continue;
		r->policy_broken = xreallocarray(
		    r->policy_broken, r->n_policy_broken + 1, sizeof(char *));
		r->policy_broken[r->n_policy_broken++] =
		    xasprintf("policy %s: %s", b.v[i].rule_id, b.v[i].message);
	}
	findings_free(&b);
}

/* The fingerprints of a finding list, as a set borrowing them. */
static void fingerprints(struct hmap *h, const struct finding_list *l)
{
	memset(h, 0, sizeof(*h));
	for (uint32_t k = 0; k < l->n; k++)
		hmap_insert(h, l->v[k].fingerprint, NULL);
}

void change_base_new(struct change_base **out, const struct model *old,
		     struct flow_list *l, const struct policy_set *ps)
{
	struct change_base *b = xcalloc(1, sizeof(*b));
	side_init(&b->os, old);
	b->l = l;
	for (uint32_t i = 0; i < l->n; i++) {
		struct intended_flow *f = &l->v[i];
		struct flow_eval oe;
		f->before = evaluate(&b->os, f, &oe);
		f->ok_before = oe.have ? oe.n_ok : 0;
		f->n_before = oe.have ? oe.n : 0;
		flow_eval_free(&oe);
	}
	for (size_t p = 0; p < 2; p++) {
		internet_reach(&b->ot[p], &b->os, p);
		rows_by_id(&b->o_rows[p], b->os.s, &b->ot[p]);
	}
	b->ps = ps;
	if (ps)
		run_policies(&b->old_findings, ps, old);
	fingerprints(&b->old_prints, &b->old_findings);
	b->partner = replica_partners(l, old);
	*out = b;
}

void change_base_free(struct change_base *b)
{
	if (!b)
		return;
	for (size_t p = 0; p < 2; p++) {
		hmap_free(&b->o_rows[p]);
		reach_table_free(&b->ot[p]);
	}
	hmap_free(&b->old_prints);
	findings_free(&b->old_findings);
	free(b->partner);
	side_free(&b->os);
	free(b);
}

/* What a comparison adds to a report: every flow's after state and all
 * but the flows themselves (their texts stay in the list). */
static void outcome_clear(struct change_report *r)
{
	for (uint32_t i = 0; i < r->flows.n; i++) {
		struct intended_flow *f = &r->flows.v[i];
		f->after = FLOW_GONE;
		f->ok_after = f->n_after = 0;
		f->block_after = BLK_NONE;
		f->detail_after = f->blocker = f->cause = NULL;
		memset(&f->block_loc, 0, sizeof(f->block_loc));
		f->absorbed = false;
	}
	for (uint32_t i = 0; i < r->n_exposures; i++) {
		free(r->exposures[i].dst_id);
		free(r->exposures[i].cause);
		ports_free(&r->exposures[i].added);
		ports_free(&r->exposures[i].removed);
	}
	free(r->exposures);
	r->exposures = NULL;
	r->n_exposures = 0;
	for (uint32_t i = 0; i < r->n_edges; i++) {
		free(r->edges[i].src_id);
		free(r->edges[i].dst_id);
		ports_free(&r->edges[i].added);
		ports_free(&r->edges[i].removed);
	}
	free(r->edges);
	r->edges = NULL;
	r->n_edges = 0;
	for (uint32_t i = 0; i < r->n_policy_broken; i++)
		free(r->policy_broken[i]);
	free(r->policy_broken);
	r->policy_broken = NULL;
	r->n_policy_broken = 0;
}

void change_base_compare(struct change_report *r, struct change_base *b,
			 const struct model *new, bool explain_changes)
{
	struct flow_list *l = &r->flows;
	struct side ns;
	if (l != b->l) {
		fprintf(stderr, "vpcsim: change_base_compare: a report whose "
				"flows are not the base's\n");
		abort();
	}
	outcome_clear(r);
	side_init(&ns, new);
	for (uint32_t i = 0; i < l->n; i++) {
		struct intended_flow *f = &l->v[i];
		struct flow_eval oe, ne;
		f->after = evaluate(&ns, f, &ne);
		if (ne.have) {
			f->ok_after = ne.n_ok;
			f->n_after = ne.n;
			/* The blocking step's text is read: trace the first
			 * failing pair, and only when one fails. */
			const struct sim_pair *p = ne.is_fwd || ne.any_fail
						       ? quote(&ns, &ne, false)
						       : NULL;
			if (p && !p->res.reachable) {
				f->block_after = p->res.block;
				if (p->res.block_step >= 0)
					blocked_by(
					    f, l, new,
					    &p->trace.steps[p->res.block_step]);
			}
		}
		/* Both ends resolved in both models: the before state is
		 * not gone.  The old side answers again from its memo. */
		if (explain_changes && f->before != f->after &&
		    f->before != FLOW_GONE && ne.have) {
			evaluate(&b->os, f, &oe);
			f->cause = keep_owned(
			    l, explain(b->os.m, quote(&b->os, &oe, false), new,
				       quote(&ns, &ne, false)));
			flow_eval_free(&oe);
		}
		flow_eval_free(&ne);
	}
	absorb_replicas(l, b->partner);
	exposure_diff(r, b, &ns, explain_changes);
	if (explain_changes)
		edge_diff(r, &b->os, &ns);
	if (b->ps)
		policies_new(r, &b->old_prints, b->ps, new);
	side_free(&ns);
}

void change_compare(struct change_report *r, const struct model *old,
		    const struct model *new, bool explain_changes)
{
	struct change_base *b;
	change_base_new(&b, old, &r->flows, NULL);
	change_base_compare(r, b, new, explain_changes);
	change_base_free(b);
}

void change_report_free(struct change_report *r)
{
	if (!r)
		return;
	outcome_clear(r);
	free(r->flows.v);
	for (uint32_t i = 0; i < r->flows.texts.n; i++)
		free((char *)hmap_key(&r->flows.texts, i));
	hmap_free(&r->flows.texts);
	memset(r, 0, sizeof(*r));
}

/* The diff's own rules: what a change does, which no model alone shows. */
static const struct rule_def diff_defs[] = {
    {.id = "VD001",
     .name = "new-exposure",
     .title = "Change exposes a resource to the internet",
     .severity = SEV_ERROR,
     .rationale =
	 "The internet reaches a resource, or ports of it, after the change "
	 "and did not before: a new exposure, found by reachability, not by "
	 "reading the diff of the text.",
     .fix = "Keep the change from opening the path (the rule, route or "
	    "public address it adds), or accept the exposure and record it "
	    "in the baseline of `vpcsim check`."},
    {.id = "VD002",
     .name = "intended-flow-broken",
     .title = "Change breaks an intended flow",
     .severity = SEV_ERROR,
     .rationale =
	 "A connection the design says must work (a listener of an "
	 "internet-facing load balancer, a forward to a target, a flow a "
	 "security-group rule names, an ECS service's image pulls) works "
	 "for fewer placements after the change.",
     .fix = "Follow `what changed` to the component that now blocks the "
	    "flow and restore what it allowed."},
};

const struct rule_def *rules_diff_defs(uint32_t *n)
{
	*n = ARRAY_LEN(diff_defs);
	return diff_defs;
}

void change_findings(struct finding_list *out, const struct model *new,
		     const struct change_report *r)
{
	for (uint32_t i = 0; i < r->n_exposures; i++) {
		const struct exposure_change *e = &r->exposures[i];
		if (ports_empty(&e->added))
			continue;
		const struct model_obj *o = model_find(new, e->dst_id);
		char ports[256];
		ports_format(ports, sizeof(ports), &e->added);
		struct finding *f = finding_new(
		    out, new, "VD001", "new-exposure", SEV_ERROR,
		    o ? o->kind : MK_KIND_COUNT, o ? o->index : 0, ports);
		f->rule = &diff_defs[0];
		size_t len = strlen(e->dst_id) + strlen(ports) + 96;
		f->message = xmalloc(len);
		snprintf(f->message, len,
			 "the change exposes %s to the internet on %s %s",
			 e->dst_id, proto_name(e->proto), ports);
		if (e->cause)
			finding_detail(f, "what changed: %s", e->cause);
	}
	for (uint32_t i = 0; i < r->flows.n; i++) {
		const struct intended_flow *x = &r->flows.v[i];
		if (!flow_broken(x))
			continue;
		const struct model_obj *o = model_find(new, x->dst_id);
		char key[64];
		snprintf(key, sizeof(key), "%s|%s %u",
			 x->src_id ? x->src_id : "internet",
			 proto_name(x->flow.proto), x->flow.port);
		struct finding *f = finding_new(
		    out, new, "VD002", "intended-flow-broken", SEV_ERROR,
		    o ? o->kind : MK_KIND_COUNT, o ? o->index : 0, key);
		f->rule = &diff_defs[1];
		size_t len = 512;
		f->message = xmalloc(len);
		snprintf(f->message, len,
			 "the change breaks %s -> %s %s %u (%s -> %s)",
			 x->src_id ? x->src_id : "internet", x->dst_id,
			 proto_name(x->flow.proto), x->flow.port,
			 flow_state_name(x->before), flow_state_name(x->after));
		finding_detail(f, "intended because %s", x->why);
		if (x->blocker)
			finding_detail(f, "now blocked by %s: %s", x->blocker,
				       x->detail_after);
		else if (x->detail_after)
			finding_detail(f, "now blocked at %s: %s",
				       sim_block_name(x->block_after),
				       x->detail_after);
		if (x->cause)
			finding_detail(f, "what changed: %s", x->cause);
		/* Where the fix is: the component that now blocks it. */
		finding_at(f, x->block_loc);
	}
}

void change_policies(struct change_report *r, const struct policy_set *ps,
		     const struct model *old, const struct model *new)
{
	if (!ps)
		return;
	struct finding_list a = {0};
	struct hmap before;
	run_policies(&a, ps, old);
	fingerprints(&before, &a);
	policies_new(r, &before, ps, new);
	hmap_free(&before);
	findings_free(&a);
}

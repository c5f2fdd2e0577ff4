/*
 * See change.h.  Flows are collected by resource id and evaluated in each
 * model with its own engine, so a resource that was renamed, deleted or
 * lost all its placements simply does not resolve there (FLOW_GONE).
 */
#include "rules/change.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Replicas lost with their zone are absorbed by their source (§10: a
 * read replica is an endpoint of its own, and reads fall back to the
 * primary), so the loss of its zone is not the loss of the flow. */
static void absorb_replicas(struct flow_list *l, const struct model *old)
{
	for (uint32_t i = 0; i < l->n; i++) {
		struct intended_flow *f = &l->v[i];
		if (f->after != FLOW_GONE || f->before == FLOW_GONE)
			continue;
		const struct model_obj *o = model_find(old, f->dst_id);
		if (!o || o->kind != MK_DATABASE ||
		    old->databases[o->index].replica_of == MODEL_NONE)
			continue;
		const char *src_db =
		    old->databases[old->databases[o->index].replica_of].obj.id;
		for (uint32_t k = 0; k < l->n; k++) {
			const struct intended_flow *g = &l->v[k];
			if (same_id(g->src_id, f->src_id) &&
			    !strcmp(g->dst_id, src_db) &&
			    g->flow.proto == f->flow.proto &&
			    g->flow.port == f->flow.port &&
			    g->after >= g->before)
				f->absorbed = true;
		}
	}
}

/* ---- collecting -------------------------------------------------------------
 */

static struct intended_flow *add_flow(struct flow_list *l, const char *src,
				      const char *dst, struct sim_flow flow,
				      char *why)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (same_id(l->v[i].src_id, src) &&
		    same_id(l->v[i].dst_id, dst) &&
		    l->v[i].flow.proto == flow.proto &&
		    l->v[i].flow.port == flow.port) {
			free(why);
			return &l->v[i];
		}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	struct intended_flow *f = &l->v[l->n++];
	memset(f, 0, sizeof(*f));
	f->src_id = src ? xstrdup(src) : NULL;
	f->dst_id = xstrdup(dst);
	f->flow = flow;
	f->why = why;
	return f;
}

/* The resources (kind, index) carrying group g, each once. */
static uint32_t carriers(const struct model *m, uint32_t g,
			 const struct model_obj **out, uint32_t max)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		const struct model_placement *p = &m->placements[i];
		bool has = false;
		for (uint32_t k = 0; k < p->n_groups; k++)
			has |= p->groups[k] == g;
		if (!has)
			continue;
		const struct model_obj *o = model_object(m, p->kind, p->index);
		bool seen = false;
		for (uint32_t k = 0; k < n; k++)
			seen |= out[k] == o;
		if (!seen && n < max)
			out[n++] = o;
	}
	return n;
}

/* The forwards of one listener (every node), as intended flows from the
 * load balancer to each target resource: the engine's (sim_lb_forwards). */
static void collect_forwards(struct flow_list *l, const struct model *m,
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
		struct intended_flow *x = add_flow(
		    l, b->obj.id, model_object(m, q->kind, q->index)->id,
		    f->traffic,
		    xasprintf("%s forwards listener %u to target group %s",
			      b->obj.id, b->listeners[listener].port,
			      m->target_groups[f->target_group].obj.id));
		x->forward = true;
	}
	sim_fwds_free(&fw);
}

static void collect_lb(struct flow_list *l, const struct model *m)
{
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		const struct model_load_balancer *lb = &m->lbs[i];
		for (uint32_t k = 0; k < lb->n_listeners; k++) {
			const struct model_listener *li = &lb->listeners[k];
			struct sim_flow f = {
			    li->protocol == LBP_UDP ? PROTO_UDP : PROTO_TCP,
			    li->port};
			if (lb->internet_facing)
				add_flow(
				    l, NULL, lb->obj.id, f,
				    xasprintf("listener %u of internet-facing "
					      "load balancer %s",
					      li->port, lb->obj.id));
			collect_forwards(l, m, i, k);
		}
	}
}

#define MAX_CARRIERS 256

static void collect_groups(struct flow_list *l, const struct model *m)
{
	const struct model_obj **src = xcalloc(MAX_CARRIERS, sizeof(*src));
	const struct model_obj **dst = xcalloc(MAX_CARRIERS, sizeof(*dst));
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		const struct model_security_group *sg = &m->groups[g];
		for (int dir = 0; dir < 2; dir++) {
			const struct model_sg_rule *rules =
			    dir ? sg->egress : sg->ingress;
			uint32_t n = dir ? sg->n_egress : sg->n_ingress;
			for (uint32_t r = 0; r < n; r++) {
				const struct model_sg_rule *x = &rules[r];
				if (x->peer_kind != PEER_GROUP)
					continue;
				enum proto p = x->match.proto;
				if (p != PROTO_TCP && p != PROTO_UDP)
					continue;
				/* Ingress on g from peer: peer -> g; egress of
				 * g to peer: g -> peer. */
				uint32_t from = dir ? g : x->peer;
				uint32_t to = dir ? x->peer : g;
				uint32_t ns =
				    carriers(m, from, src, MAX_CARRIERS);
				uint32_t nd =
				    carriers(m, to, dst, MAX_CARRIERS);
				for (uint32_t a = 0; a < ns; a++)
					for (uint32_t b = 0; b < nd; b++) {
						if (src[a] == dst[b])
							continue;
						add_flow(
						    l, src[a]->id, dst[b]->id,
						    (struct sim_flow){
							p, x->match.port_lo},
						    xasprintf(
							"security group %s "
							"%s rule %u names "
							"group %s",
							sg->obj.id,
							dir ? "egress"
							    : "ingress",
							x->number,
							m->groups[x->peer]
							    .obj.id));
					}
			}
		}
	}
	free(src);
	free(dst);
}

void change_collect(struct flow_list *l, const struct model *m)
{
	collect_lb(l, m);
	collect_groups(l, m);
	for (uint32_t s = 0; s < m->n[MK_SERVICE]; s++)
		for (int k = SVC_ECR; k <= SVC_LOGS; k++)
			add_flow(
			    l, m->services[s].obj.id, sim_service_name(k),
			    (struct sim_flow){PROTO_TCP, 443},
			    xasprintf("ECS tasks of %s pull images and ship "
				      "logs",
				      m->services[s].obj.id));
}

/* ---- evaluating
 * --------------------------------------------------------------- */

/* Resolves an id (NULL: the internet) in a model's engine. */
static bool resolve(struct sim_sel *sel, const struct sim *s, const char *id)
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
 * (§8), as an answer whose pairs are the forwards.
 */
static void forward_answer(struct sim_answer *an, const struct sim *s,
			   uint32_t lb, const struct sim_sel *b,
			   struct sim_flow flow)
{
	const struct model *m = sim_model(s);
	struct sim_fwds fw = {0};
	uint32_t nn;
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, lb, &nn);
	for (uint32_t li = 0; li < m->lbs[lb].n_listeners; li++)
		for (uint32_t n = 0; n < nn; n++)
			sim_lb_forwards(m, lb, li,
					(uint32_t)(&nodes[n] - m->placements),
					&fw);
	memset(an, 0, sizeof(*an));
	an->flow = flow;
	an->pairs = xcalloc(fw.n + 1, sizeof(*an->pairs));
	for (uint32_t i = 0; i < fw.n; i++) {
		const struct sim_fwd *f = &fw.v[i];
		const struct model_placement *q =
		    f->target.placement != MODEL_NONE
			? &m->placements[f->target.placement]
			: NULL;
		if (!q || q->kind != b->rkind || q->index != b->rindex ||
		    f->traffic.proto != flow.proto ||
		    f->traffic.port != flow.port)
			continue;
		/* One pair per node and target, however many listeners
		 * forward there. */
		bool dup = false;
		for (uint32_t j = 0; j < i && !dup; j++)
			dup = fw.v[j].node == f->node &&
			      fw.v[j].target.placement == f->target.placement &&
			      fw.v[j].traffic.proto == flow.proto &&
			      fw.v[j].traffic.port == flow.port;
		if (!dup)
			forward_pair(an, s, f, sim_lb_default_client(m, lb));
	}
	an->verdict = an->n && an->n_ok == an->n ? VERDICT_ALL
		      : an->n_ok		 ? VERDICT_SOME
						 : VERDICT_NONE;
	sim_fwds_free(&fw);
}

/* One flow in one model; the answer is kept for explanations. */
static enum flow_state evaluate(const struct sim *s,
				const struct intended_flow *f,
				struct sim_answer *an, bool *have)
{
	struct sim_sel a, b;
	*have = false;
	if (!resolve(&a, s, f->src_id) || !resolve(&b, s, f->dst_id))
		return FLOW_GONE;
	if (f->forward && a.kind == SEL_RESOURCE &&
	    a.rkind == MK_LOAD_BALANCER && b.kind == SEL_RESOURCE)
		forward_answer(an, s, a.rindex, &b, f->flow);
	else
		sim_answer(an, s, &a, &b, f->flow, true);
	*have = true;
	return an->verdict == VERDICT_ALL    ? FLOW_ALL
	       : an->verdict == VERDICT_SOME ? FLOW_SOME
					     : FLOW_NONE;
}

enum flow_state change_evaluate(const struct sim *s,
				const struct intended_flow *f,
				struct sim_answer *an, bool *have)
{
	return evaluate(s, f, an, have);
}

static const struct sim_pair *first_failing(const struct sim_answer *an)
{
	for (uint32_t i = 0; i < an->n; i++)
		if (!an->pairs[i].res.reachable)
			return &an->pairs[i];
	return an->n ? &an->pairs[0] : NULL;
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

static uint32_t row_find(const struct sim *s, const struct reach_table *t,
			 const char *id)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (!strcmp(reach_node_name(s, &t->rows[i].dst), id))
			return i;
	return UINT32_MAX;
}

static void exposure_diff(struct change_report *r, const struct sim *os,
			  const struct sim *ns, bool with_cause)
{
	struct reach_index *oi, *ni;
	reach_index_new(&oi, os);
	reach_index_new(&ni, ns);
	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	for (size_t p = 0; p < 2; p++) {
		struct reach_table ot, nt;
		reach_from(&ot, oi, &inet, protos[p], false);
		reach_from(&nt, ni, &inet, protos[p], false);
		/* Both directions: resources newly exposed or with new ports,
		 * and exposures that went away. */
		for (int side = 0; side < 2; side++) {
			const struct reach_table *a = side ? &ot : &nt;
			const struct reach_table *b = side ? &nt : &ot;
			const struct sim *as = side ? os : ns;
			const struct sim *bs = side ? ns : os;
			for (uint32_t i = 0; i < a->n; i++) {
				const char *id =
				    reach_node_name(as, &a->rows[i].dst);
				uint32_t j = row_find(bs, b, id);
				struct ports d = PORTS_INIT;
				if (j == UINT32_MAX)
					ports_copy(&d, &a->rows[i].some);
				else
					ports_diff(&d, &a->rows[i].some,
						   &b->rows[j].some);
				if (ports_empty(&d)) {
					ports_free(&d);
					continue;
				}
				/* Merge with an entry for the same id. */
				struct exposure_change *e = NULL;
				for (uint32_t k = 0; k < r->n_exposures; k++)
					if (!strcmp(r->exposures[k].dst_id,
						    id) &&
					    r->exposures[k].proto == protos[p])
						e = &r->exposures[k];
				if (!e) {
					r->exposures = xreallocarray(
					    r->exposures, r->n_exposures + 1,
					    sizeof(*r->exposures));
					e = &r->exposures[r->n_exposures++];
					memset(e, 0, sizeof(*e));
					e->dst_id = xstrdup(id);
					e->proto = protos[p];
				}
				ports_copy(side ? &e->removed : &e->added, &d);
				if (with_cause && !side && !e->cause) {
					struct intended_flow q = {
					    .dst_id = (char *)id,
					    .flow = {protos[p], d.r[0].lo}};
					struct sim_answer oa, na;
					bool oh, nh;
					evaluate(os, &q, &oa, &oh);
					evaluate(ns, &q, &na, &nh);
					e->cause = explain(
					    sim_model(os),
					    oh ? first_failing(&oa) : NULL,
					    sim_model(ns),
					    nh && na.n ? &na.pairs[0] : NULL);
					if (oh)
						sim_answer_free(&oa);
					if (nh)
						sim_answer_free(&na);
				}
				ports_free(&d);
			}
		}
		reach_table_free(&ot);
		reach_table_free(&nt);
	}
	reach_index_free(oi);
	reach_index_free(ni);
}

/* A view's nodes by name, for finding one model's edge in the other's. */
struct named {
	const char *name;
	uint32_t node;
};

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name,
		      ((const struct named *)b)->name);
}

static struct named *name_index(const struct graph_view *v)
{
	struct named *x = xcalloc(v->n_nodes + 1, sizeof(*x));
	for (uint32_t i = 0; i < v->n_nodes; i++)
		x[i] = (struct named){graph_view_node_name(v, i), i};
	qsort(x, v->n_nodes, sizeof(*x), named_cmp);
	return x;
}

/* The edge of view v by (source id, destination id), or NULL. */
static const struct graph_edge *edge_find(const struct graph_view *v,
					  const struct named *ix,
					  const char *src, const char *dst)
{
	struct named ks = {src, 0}, kd = {dst, 0};
	const struct named *a =
	    bsearch(&ks, ix, v->n_nodes, sizeof(*ix), named_cmp);
	const struct named *b =
	    bsearch(&kd, ix, v->n_nodes, sizeof(*ix), named_cmp);
	if (!a || !b)
		return NULL;
	const struct graph_edge *e =
	    graph_view_edge(v, a->node, b->node, false);
	return e ? e : graph_view_edge(v, a->node, b->node, true);
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
 * Every resource-to-resource reachability that changed (the internet's is
 * in the exposures): new paths to a database, ports opened or closed.
 */
static void edge_diff(struct change_report *r, const struct sim *os,
		      const struct sim *ns)
{
	struct reach_index *oi, *ni;
	struct graph *og = NULL, *ng = NULL;
	struct graph_view *ov = NULL, *nv = NULL;
	struct named *on = NULL, *nn = NULL;
	char err[256];
	reach_index_new(&oi, os);
	reach_index_new(&ni, ns);
	/* Resource by resource: the endpoint level of both graphs. */
	if (graph_build(&og, oi, NULL) || graph_build(&ng, ni, NULL) ||
	    graph_view_new(&ov, og, GRAPH_ENDPOINTS, NULL, UINT64_MAX, err,
			   sizeof(err)) ||
	    graph_view_new(&nv, ng, GRAPH_ENDPOINTS, NULL, UINT64_MAX, err,
			   sizeof(err)))
		goto out;
	on = name_index(ov);
	nn = name_index(nv);
	static const struct ports none = PORTS_INIT;
	for (int side = 0; side < 2; side++) {
		const struct graph_view *a = side ? ov : nv,
					*b = side ? nv : ov;
		const struct named *bi = side ? nn : on;
		for (uint32_t e = 0; e < a->n_edges; e++) {
			const struct graph_edge *x = &a->edges[e];
			if (a->nodes[x->from].n.kind != RN_RESOURCE)
				continue;
			const char *src = graph_view_node_name(a, x->from);
			const char *dst = graph_view_node_name(a, x->to);
			const struct graph_edge *y = edge_find(b, bi, src, dst);
			if (side && y)
				continue; /* seen from the new side */
			const struct graph_edge *now = side ? y : x;
			const struct graph_edge *was = side ? x : y;
			edge_note(r, src, dst, PROTO_TCP,
				  now ? &now->tcp_some : &none,
				  was ? &was->tcp_some : &none);
			edge_note(r, src, dst, PROTO_UDP,
				  now ? &now->udp_some : &none,
				  was ? &was->udp_some : &none);
		}
	}
out:
	free(on);
	free(nn);
	graph_view_free(ov);
	graph_view_free(nv);
	graph_free(og);
	graph_free(ng);
	reach_index_free(oi);
	reach_index_free(ni);
}

void change_compare(struct change_report *r, const struct model *old,
		    const struct model *new, bool explain_changes)
{
	struct sim *os, *ns;
	sim_new(&os, old);
	sim_new(&ns, new);
	for (uint32_t i = 0; i < r->flows.n; i++) {
		struct intended_flow *f = &r->flows.v[i];
		struct sim_answer oa, na;
		bool oh, nh;
		f->before = evaluate(os, f, &oa, &oh);
		f->after = evaluate(ns, f, &na, &nh);
		if (oh) {
			f->ok_before = oa.n_ok;
			f->n_before = oa.n;
		}
		if (nh) {
			f->ok_after = na.n_ok;
			f->n_after = na.n;
			const struct sim_pair *p = first_failing(&na);
			if (p && !p->res.reachable) {
				f->block_after = p->res.block;
				if (p->res.block_step >= 0)
					f->detail_after = xstrdup(
					    p->trace.steps[p->res.block_step]
						.text);
			}
		}
		if (explain_changes && f->before != f->after && oh && nh)
			f->cause = explain(old, first_failing(&oa), new,
					   first_failing(&na));
		if (oh)
			sim_answer_free(&oa);
		if (nh)
			sim_answer_free(&na);
	}
	absorb_replicas(&r->flows, old);
	exposure_diff(r, os, ns, explain_changes);
	if (explain_changes)
		edge_diff(r, os, ns);
	sim_free(os);
	sim_free(ns);
}

void change_report_free(struct change_report *r)
{
	if (!r)
		return;
	for (uint32_t i = 0; i < r->flows.n; i++) {
		struct intended_flow *f = &r->flows.v[i];
		free(f->src_id);
		free(f->dst_id);
		free(f->why);
		free(f->detail_after);
		free(f->cause);
	}
	free(r->flows.v);
	for (uint32_t i = 0; i < r->n_exposures; i++) {
		free(r->exposures[i].dst_id);
		free(r->exposures[i].cause);
		ports_free(&r->exposures[i].added);
		ports_free(&r->exposures[i].removed);
	}
	free(r->exposures);
	for (uint32_t i = 0; i < r->n_edges; i++) {
		free(r->edges[i].src_id);
		free(r->edges[i].dst_id);
		ports_free(&r->edges[i].added);
		ports_free(&r->edges[i].removed);
	}
	free(r->edges);
	for (uint32_t i = 0; i < r->n_policy_broken; i++)
		free(r->policy_broken[i]);
	free(r->policy_broken);
	memset(r, 0, sizeof(*r));
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
		size_t len = 512;
		f->message = xmalloc(len);
		snprintf(f->message, len,
			 "the change breaks %s -> %s %s %u (%s -> %s)",
			 x->src_id ? x->src_id : "internet", x->dst_id,
			 proto_name(x->flow.proto), x->flow.port,
			 flow_state_name(x->before), flow_state_name(x->after));
		finding_detail(f, "intended because %s", x->why);
		if (x->cause)
			finding_detail(f, "what changed: %s", x->cause);
	}
}

static void run_policies(struct finding_list *out, const struct policy_set *ps,
			 const struct model *m)
{
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, out);
	policy_run(out, ps, &ctx);
	rule_ctx_free(&ctx);
}

void change_policies(struct change_report *r, const struct policy_set *ps,
		     const struct model *old, const struct model *new)
{
	if (!ps)
		return;
	struct finding_list a = {0}, b = {0};
	run_policies(&a, ps, old);
	run_policies(&b, ps, new);
	for (uint32_t i = 0; i < b.n; i++) {
		bool known = false;
		for (uint32_t k = 0; k < a.n && !known; k++)
			known = !strcmp(a.v[k].fingerprint, b.v[i].fingerprint);
		if (known)
			continue;
		r->policy_broken = xreallocarray(
		    r->policy_broken, r->n_policy_broken + 1, sizeof(char *));
		r->policy_broken[r->n_policy_broken++] =
		    xasprintf("policy %s: %s", b.v[i].rule_id, b.v[i].message);
	}
	findings_free(&a);
	findings_free(&b);
}

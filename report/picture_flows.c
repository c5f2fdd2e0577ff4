/*
 * The teaching picture's own arrows (docs/graph.md, "The default
 * picture"): what a reader of the guide expects to see, drawn from what
 * the engine says.
 *
 * - Exposures go through the internet gateway of the VPC they enter:
 *   Internet -> igw once, with every port the internet reaches in that
 *   VPC, then igw -> each drawing it reaches.
 * - Intended flows (rules/change.c: listeners, forwards, rules that name
 *   a group, image pulls) are evaluated with traces, but for those from
 *   a data store (a database opens no connection of its own).  A placement pair
 *   that works to an AWS service is drawn along the gateways its trace
 *   passes: the NAT gateway, the internet gateway (a NAT gateway's
 *   traffic leaves through its VPC's), a gateway endpoint, an appliance,
 *   ending at the Internet (the service's public endpoint) or at the
 *   service itself (privately); an interface endpoint ends a path of its
 *   own (web -> endpoint -> aws:ecr).  A pair that works between two
 *   resources keeps the view's edge.  A pair that does not work is a
 *   dashed red arrow labelled with the component its trace blocks at.
 *
 * Arrows are segments keyed by (from, to, kind): every pair's leg along
 * the same two drawings is one arrow, whose label gathers ports, where
 * the flow goes and what blocks it.  A segment remembers its flow's
 * source node, so --from draws only that source's.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/picture_impl.h"
#include "rules/change.h"

/* Gateways a path may pass, at most. */
#define MAX_HOPS 16

static struct seg *seg_get(struct scene *sc, const char *from, const char *to,
			   const char *to_box, enum flow_kind kind,
			   uint32_t src)
{
	for (uint32_t i = 0; i < sc->n_segs; i++) {
		struct seg *g = &sc->segs[i];
		if (g->kind == kind && g->src == src &&
		    !strcmp(g->from, from) && !strcmp(g->to, to))
			return g;
	}
	if (sc->n_segs == sc->cap_segs) {
		sc->cap_segs = sc->cap_segs ? 2 * sc->cap_segs : 16;
		sc->segs =
		    xreallocarray(sc->segs, sc->cap_segs, sizeof(*sc->segs));
	}
	struct seg *g = &sc->segs[sc->n_segs++];
	memset(g, 0, sizeof(*g));
	g->from = xstrdup(from);
	g->to = xstrdup(to);
	g->to_box = to_box;
	g->kind = kind;
	g->src = src;
	return g;
}

/* Adds word to a ", "-separated list, once. */
static void list_add(char **list, const char *word)
{
	if (*list) {
		size_t n = strlen(word);
		for (const char *p = *list; (p = strstr(p, word)); p += n)
			if ((p == *list || p[-1] == ' ') &&
			    (p[n] == ',' || !p[n]))
				return;
		char *x = xasprintf("%s, %s", *list, word);
		free(*list);
		*list = x;
	} else {
		*list = xstrdup(word);
	}
}

static void seg_ports(struct seg *g, const struct ports *tcp,
		      const struct ports *udp)
{
	struct ports t = PORTS_INIT, u = PORTS_INIT;
	ports_union(&t, &g->tcp, tcp);
	ports_union(&u, &g->udp, udp);
	ports_free(&g->tcp);
	ports_free(&g->udp);
	g->tcp = t;
	g->udp = u;
	g->ports_shown = true;
}

static void seg_flow(struct seg *g, struct sim_flow f)
{
	struct ports p = PORTS_INIT, none = PORTS_INIT;
	ports_add(&p, f.port, f.port);
	if (f.proto == PROTO_UDP)
		seg_ports(g, &none, &p);
	else
		seg_ports(g, &p, &none);
	ports_free(&p);
}

/* ---- exposures: through the internet gateway ----------------------- */

static void exposures(struct scene *sc)
{
	const struct graph_view *g = sc->all;
	const struct model *m = sc->m;
	for (uint32_t i = 0; i < g->n_edges; i++) {
		const struct graph_edge *e = &g->edges[i];
		if (e->from != sc->internet ||
		    g->nodes[e->to].n.kind != RN_RESOURCE)
			continue;
		bool some = !ports_equal(&e->tcp_all, &e->tcp_some) ||
			    !ports_equal(&e->udp_all, &e->udp_some);
		for (uint32_t k = 0; k < sc->nsite_n[e->to]; k++) {
			uint32_t site = sc->nsite_first[e->to] + k;
			uint32_t vpc = sc->sites[site].vpc;
			uint32_t igw = vpc < m->n[MK_VPC]
					   ? m->vpcs[vpc].internet_gateway
					   : MODEL_NONE;
			char to[ID_MAX], gw[ID_MAX];
			picture_site_id(to, sizeof(to), sc, site);
			struct seg *s;
			if (igw != MODEL_NONE) {
				picture_igw_id(gw, sizeof(gw), m, igw);
				s = seg_get(sc, "internet", gw, NULL,
					    FLOW_EXPOSURE, sc->internet);
				seg_ports(s, &e->tcp_some, &e->udp_some);
				s = seg_get(sc, gw, to, NULL, FLOW_EXPOSURE,
					    sc->internet);
			} else {
				s = seg_get(sc, "internet", to, NULL,
					    FLOW_EXPOSURE, sc->internet);
			}
			seg_ports(s, &e->tcp_some, &e->udp_some);
			s->some |= some;
		}
	}
}

/* ---- intended flows ----------------------------------------------- */

/* The view node of an intended flow's end: NULL is the internet, "aws:"
 * a service; UINT32_MAX when it is not drawn. */
static uint32_t flow_node(const struct scene *sc, const char *id)
{
	if (!id)
		return sc->internet;
	const struct graph_view *g = sc->all;
	if (!strncmp(id, "aws:", 4)) {
		for (uint32_t v = 0; v < g->n_nodes; v++)
			if (g->nodes[v].n.kind == RN_SERVICE &&
			    !strcmp(sim_service_name(g->nodes[v].n.service),
				    id))
				return v;
		return UINT32_MAX;
	}
	const struct model_obj *o = model_find(sc->m, id);
	if (!o)
		return UINT32_MAX;
	struct reach_node n = {
	    .kind = RN_RESOURCE, .rkind = o->kind, .rindex = o->index};
	return graph_view_node_of(g, &n);
}

static uint32_t placement_subnet(const struct model *m, const struct sim_ep *ep)
{
	return ep->kind == EP_PLACEMENT && ep->placement < m->n_placements_total
		   ? m->placements[ep->placement].subnet
		   : MODEL_NONE;
}

/* The drawing of node v for a placement in subnet s: the site there, in
 * the same zone, or its first. */
static bool drawing(char *buf, size_t size, const struct scene *sc, uint32_t v,
		    uint32_t s)
{
	if (sc->all->nodes[v].n.kind != RN_RESOURCE) {
		picture_vertex_id(buf, size, sc, v);
		return true;
	}
	uint32_t first = sc->nsite_first[v], n = sc->nsite_n[v];
	if (!n)
		return false;
	uint32_t best = first;
	for (uint32_t i = first; i < first + n && s != MODEL_NONE; i++) {
		uint32_t t = sc->sites[i].subnet;
		if (t == s) {
			best = i;
			break;
		}
		if (t != MODEL_NONE && sc->subnet_az[t] == sc->subnet_az[s] &&
		    best == first)
			best = i;
	}
	picture_site_id(buf, size, sc, best);
	return true;
}

static const char *comp_words(enum model_kind k)
{
	switch (k) {
	case MK_SECURITY_GROUP:
		return "security group";
	case MK_NETWORK_ACL:
		return "network ACL";
	case MK_ROUTE_TABLE:
		return "route table";
	case MK_NAT_GATEWAY:
		return "NAT gateway";
	case MK_INTERNET_GATEWAY:
		return "internet gateway";
	case MK_LOAD_BALANCER:
		return "load balancer";
	case MK_TARGET_GROUP:
		return "target group";
	case MK_VPC_ENDPOINT:
		return "endpoint";
	case MK_VPC:
		return "VPC";
	default:
		return model_kind_name(k);
	}
}

/* What blocks a pair: the component of its deciding step ("network ACL
 * web-nacl"), else the block's words ("no public ip"). */
static void blocker(char *buf, size_t size, const struct model *m,
		    const struct sim_pair *p)
{
	const struct sim_trace *t = &p->trace;
	const struct sim_step *st = NULL;
	if (p->res.block_step >= 0 && (uint32_t)p->res.block_step < t->n)
		st = &t->steps[p->res.block_step];
	for (uint32_t i = 0; i < t->n && !st; i++)
		if (t->steps[i].block != BLK_NONE)
			st = &t->steps[i];
	if (st && st->comp_kind < MK_KIND_COUNT &&
	    st->comp_index < m->n[st->comp_kind]) {
		snprintf(buf, size, "%s %s", comp_words(st->comp_kind),
			 model_object(m, st->comp_kind, st->comp_index)->id);
		return;
	}
	enum sim_block b = st ? st->block : p->res.block;
	snprintf(buf, size, "%s", b != BLK_NONE ? sim_block_name(b) : "?");
	for (char *c = buf; *c; c++)
		if (*c == '-')
			*c = ' ';
}

struct hop {
	enum model_kind kind;
	uint32_t index;
};

static void hop_add(struct hop *h, uint32_t *n, enum model_kind kind,
		    uint32_t index)
{
	for (uint32_t i = 0; i < *n; i++)
		if (h[i].kind == kind && h[i].index == index)
			return;
	if (*n < MAX_HOPS)
		h[(*n)++] = (struct hop){kind, index};
}

/* The drawing of a gateway on a path; false when it is not drawn. */
static bool hop_id(char *buf, size_t size, const struct scene *sc,
		   const struct hop *h, uint32_t subnet)
{
	switch (h->kind) {
	case MK_INTERNET_GATEWAY:
		picture_igw_id(buf, size, sc->m, h->index);
		return true;
	case MK_VPC_ENDPOINT:
		if (sc->m->endpoints[h->index].type == VPCE_GATEWAY) {
			picture_vpce_id(buf, size, sc->m, h->index);
			return true;
		}
		break;
	default:
		break;
	}
	struct reach_node n = {
	    .kind = RN_RESOURCE, .rkind = h->kind, .rindex = h->index};
	uint32_t v = graph_view_node_of(sc->all, &n);
	return v != UINT32_MAX && drawing(buf, size, sc, v, subnet);
}

/* The view's edge from node a to the resource of hop h, when there is
 * one: the path's own arrow draws it (web -> ecr-api once, dashed, not
 * also as a call to the endpoint). */
static void cover(struct scene *sc, uint32_t a, const struct hop *h)
{
	struct reach_node n = {
	    .kind = RN_RESOURCE, .rkind = h->kind, .rindex = h->index};
	uint32_t v = graph_view_node_of(sc->all, &n);
	const struct graph_edge *e =
	    v != UINT32_MAX ? graph_view_edge(sc->view, a, v, false) : NULL;
	if (e)
		sc->covered[e - sc->view->edges] = true;
}

/*
 * A working pair to an AWS service, along its trace's gateways: a chain
 * through NAT gateways (and their VPC's internet gateway), internet
 * gateways, gateway endpoints and appliances, and a path of its own
 * through each interface endpoint.
 */
static void path_segs(struct scene *sc, const struct intended_flow *f,
		      uint32_t a, uint32_t b, const char *from,
		      const struct sim_pair *p)
{
	const struct model *m = sc->m;
	struct hop chain[MAX_HOPS], eps[MAX_HOPS];
	uint32_t nc = 0, ne = 0;
	for (uint32_t i = 0; i < p->trace.n; i++) {
		const struct sim_step *st = &p->trace.steps[i];
		enum model_kind k = st->comp_kind;
		if (st->depth || st->block != BLK_NONE || k >= MK_KIND_COUNT ||
		    st->comp_index >= m->n[k])
			continue;
		if (k == MK_VPC_ENDPOINT) {
			if (m->endpoints[st->comp_index].type == VPCE_GATEWAY)
				hop_add(chain, &nc, k, st->comp_index);
			else
				hop_add(eps, &ne, k, st->comp_index);
		} else if (st->kind == SK_GATEWAY &&
			   (k == MK_NAT_GATEWAY || k == MK_INTERNET_GATEWAY ||
			    k == MK_INSTANCE)) {
			hop_add(chain, &nc, k, st->comp_index);
			/* A NAT gateway's traffic leaves through the
			 * internet gateway its subnet routes to. */
			uint32_t sn =
			    k == MK_NAT_GATEWAY
				? m->nat_gateways[st->comp_index].subnet
				: MODEL_NONE;
			uint32_t v = sn < m->n[MK_SUBNET] ? m->subnets[sn].vpc
							  : MODEL_NONE;
			if (v < m->n[MK_VPC] &&
			    m->vpcs[v].internet_gateway != MODEL_NONE)
				hop_add(chain, &nc, MK_INTERNET_GATEWAY,
					m->vpcs[v].internet_gateway);
		}
	}
	uint32_t subnet = placement_subnet(m, &p->src);
	const char *service = sim_service_name(sc->all->nodes[b].n.service);
	char svc[ID_MAX], prev[ID_MAX], next[ID_MAX];
	picture_vertex_id(svc, sizeof(svc), sc, b);
	for (uint32_t i = 0; i < ne; i++) {
		if (!hop_id(next, sizeof(next), sc, &eps[i], subnet))
			continue;
		seg_flow(seg_get(sc, from, next, NULL, FLOW_OUTBOUND, a),
			 f->flow);
		cover(sc, a, &eps[i]);
		seg_get(sc, next, svc, "aws_services", FLOW_OUTBOUND, a);
		sc->services_drawn = true;
	}
	if (!nc && ne)
		return;
	bool internet = false;
	snprintf(prev, sizeof(prev), "%s", from);
	for (uint32_t i = 0; i < nc; i++) {
		if (!hop_id(next, sizeof(next), sc, &chain[i], subnet))
			continue;
		internet |= chain[i].kind == MK_INTERNET_GATEWAY;
		struct seg *g = seg_get(sc, prev, next, NULL, FLOW_OUTBOUND, a);
		if (!strcmp(prev, from)) {
			seg_flow(g, f->flow);
			cover(sc, a, &chain[i]);
		}
		snprintf(prev, sizeof(prev), "%s", next);
	}
	struct seg *g;
	if (internet) {
		g = seg_get(sc, prev, "internet", NULL, FLOW_OUTBOUND, a);
		list_add(&g->names, service);
	} else {
		g = seg_get(sc, prev, svc, "aws_services", FLOW_OUTBOUND, a);
		sc->services_drawn = true;
	}
	if (!strcmp(prev, from))
		seg_flow(g, f->flow);
}

static void pair_segs(struct scene *sc, const struct intended_flow *f,
		      uint32_t a, uint32_t b, const struct sim_pair *p)
{
	const struct model *m = sc->m;
	char from[ID_MAX], to[ID_MAX];
	bool to_service = sc->all->nodes[b].n.kind == RN_SERVICE;
	if (!drawing(from, sizeof(from), sc, a, placement_subnet(m, &p->src)) ||
	    !drawing(to, sizeof(to), sc, b, placement_subnet(m, &p->dst)))
		return;
	if (p->res.reachable) {
		if (to_service) {
			path_segs(sc, f, a, b, from, p);
		} else if (a != sc->internet) {
			const struct graph_edge *e =
			    graph_view_edge(sc->view, a, b, f->forward);
			if (e)
				sc->keep[e - sc->view->edges] = true;
		}
		return;
	}
	/* A rule naming a group intends its port for every carrier of the
	 * group; one that does not listen there was never meant. */
	if (p->res.block == BLK_NOT_LISTENING && !f->forward && f->src_id)
		return;
	char why[LABEL_MAX];
	blocker(why, sizeof(why), m, p);
	struct seg *g = seg_get(
	    sc, from, to, to_service ? "aws_services" : NULL, FLOW_BLOCKED, a);
	seg_flow(g, f->flow);
	list_add(&g->blockers, why);
	sc->services_drawn |= to_service;
}

static void intended(struct scene *sc)
{
	struct change_report r = {0};
	change_collect(&r.flows, sc->m);
	for (uint32_t i = 0; i < r.flows.n; i++) {
		const struct intended_flow *f = &r.flows.v[i];
		uint32_t a = flow_node(sc, f->src_id);
		uint32_t b = flow_node(sc, f->dst_id);
		if (a == UINT32_MAX || b == UINT32_MAX)
			continue;
		/* A data store opens no connection (AWS replicates it): a
		 * group rule that names the group it carries as a source is
		 * no flow a reader expects (--all-flows draws what works). */
		const struct model_obj *src =
		    f->src_id ? model_find(sc->m, f->src_id) : NULL;
		if (src && src->kind == MK_DATABASE)
			continue;
		struct sim_answer an;
		bool have;
		change_evaluate(sc->all->s, f, &an, &have);
		if (!have)
			continue;
		for (uint32_t k = 0; k < an.n; k++)
			pair_segs(sc, f, a, b, &an.pairs[k]);
		sim_answer_free(&an);
	}
	change_report_free(&r);
}

void picture_flows(struct scene *sc)
{
	sc->keep = xcalloc(sc->view->n_edges + 1, sizeof(bool));
	sc->covered = xcalloc(sc->view->n_edges + 1, sizeof(bool));
	if (sc->internet != UINT32_MAX)
		exposures(sc);
	intended(sc);
}

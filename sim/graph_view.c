/*
 * Views (graph.h): the graph of groups at one level of detail, as the
 * pictures of `vpcsim graph` draw it.
 *
 * Every level is made from the groups' edges without listing resource
 * pairs, except the endpoint level, which is one resource pair per edge
 * by definition and so is counted first and refused past the caller's
 * bound:
 * - endpoints: a node per resource (the old graph's vertices, in the same
 *   order); the edges of each source in the order the old graph had them
 *   (reach_from's rows, tcp before udp, a load balancer's forwards in
 *   their own order), so pictures of small estates stay as they were;
 * - groups: the graph's own vertices and edges;
 * - subnets and VPCs: an edge G -> H of the graph puts its ports on every
 *   pair (subnet or VPC of G's placements, of H's), merged in a hash
 *   table keyed by (from, to, forward).  Twins have the same subnets, so
 *   a group's first member says where all are.
 * Each view has its own igraph graph for components and GraphML, of the
 * size of the view, never of the estate.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "sim/graph.h"

#define FIXED 4

const struct graph_detail_def graph_details[GRAPH_DETAILS] = {
    [GRAPH_ENDPOINTS] = {"endpoints", GATHER_RESOURCE},
    [GRAPH_GROUPS] = {"groups", GATHER_GROUP},
    [GRAPH_SUBNETS] = {"subnets", GATHER_SUBNET},
    [GRAPH_VPCS] = {"vpcs", GATHER_VPC},
};

/* ---- where a group is ------------------------------------------------- */

/* The subnets (or VPCs, by) of vertex v's first member, sorted, into
 * out (at most cap); returns the count.  Fixed vertices have none. */
static uint32_t places(const struct graph *g, uint32_t v, int by, uint32_t *out,
		       uint32_t cap)
{
	if (v < FIXED)
		return 0;
	const struct model *m = sim_model(g->s);
	const struct reach_node *x = &g->nodes[v];
	uint32_t np, n = 0;
	const struct model_placement *p =
	    model_placements(m, x->rkind, x->rindex, &np);
	for (uint32_t i = 0; i < np; i++) {
		uint32_t w = p[i].subnet;
		if (by == GATHER_VPC) {
			w = m->subnets[w].vpc;
			if (w == MODEL_NONE || w >= m->n[MK_VPC])
				w = m->n[MK_VPC];
		}
		uint32_t k = 0;
		while (k < n && out[k] != w)
			k++;
		if (k == n && n < cap)
			out[n++] = w;
	}
	/* Insertion sort: a resource has few subnets. */
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t k = i; k > 0 && out[k - 1] > out[k]; k--) {
			uint32_t t = out[k];
			out[k] = out[k - 1];
			out[k - 1] = t;
		}
	return n;
}

static uint32_t n_places(const struct graph *g, uint32_t v, int by)
{
	if (v < FIXED)
		return 1;
	const struct reach_node *x = &g->nodes[v];
	uint32_t np;
	model_placements(sim_model(g->s), x->rkind, x->rindex, &np);
	uint32_t *tmp = xcalloc(np + 1, sizeof(uint32_t));
	uint32_t n = places(g, v, by, tmp, np + 1);
	free(tmp);
	return n;
}

/* Member pairs x -> y (x != y) an edge of the graph stands for. */
static uint64_t member_pairs(const struct graph *g, const struct graph_edge *e)
{
	uint32_t a, b;
	graph_members(g, e->from, &a);
	graph_members(g, e->to, &b);
	return e->from == e->to ? (uint64_t)a * (a - 1) : (uint64_t)a * b;
}

/* ---- a hash of (from, to, forward) -> edge ------------------------------ */

struct key_map {
	uint64_t *keys; /* 0: empty; else key + 1 */
	uint32_t *val;
	uint32_t n, cap; /* cap a power of two */
};

static uint64_t edge_key(uint32_t from, uint32_t to, bool forward)
{
	return ((uint64_t)from << 33) | ((uint64_t)to << 1) | forward;
}

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static void map_grow(struct key_map *h)
{
	struct key_map old = *h;
	h->cap = old.cap ? 2 * old.cap : 64;
	h->keys = xcalloc(h->cap, sizeof(*h->keys));
	h->val = xcalloc(h->cap, sizeof(*h->val));
	h->n = 0;
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.keys[i]) {
			uint32_t j = (uint32_t)mix(old.keys[i]) & (h->cap - 1);
			while (h->keys[j])
				j = (j + 1) & (h->cap - 1);
			h->keys[j] = old.keys[i];
			h->val[j] = old.val[i];
			h->n++;
		}
	free(old.keys);
	free(old.val);
}

/* The value of key, inserting next (and returning it) when absent. */
static uint32_t map_get(struct key_map *h, uint64_t key, uint32_t next)
{
	if (2 * (h->n + 1) > h->cap)
		map_grow(h);
	uint64_t k = key + 1;
	uint32_t j = (uint32_t)mix(k) & (h->cap - 1);
	while (h->keys[j] && h->keys[j] != k)
		j = (j + 1) & (h->cap - 1);
	if (!h->keys[j]) {
		h->keys[j] = k;
		h->val[j] = next;
		h->n++;
	}
	return h->val[j];
}

static void map_free(struct key_map *h)
{
	free(h->keys);
	free(h->val);
	memset(h, 0, sizeof(*h));
}

/* ---- sizes -------------------------------------------------------------- */

/* The aggregate level's node of a place (subnet or VPC index). */
static uint32_t agg_count_edges(const struct graph *g, int by,
				const struct reach_node *from,
				uint32_t *n_places_out);

uint64_t graph_view_size(const struct graph *g, enum graph_detail d)
{
	int by = graph_details[d].by;
	uint64_t nodes = FIXED, edges = 0;
	if (by == GATHER_SUBNET || by == GATHER_VPC) {
		uint32_t places_used = 0;
		edges = agg_count_edges(g, by, NULL, &places_used);
		return nodes + places_used + edges;
	}
	uint32_t *sites = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		sites[v] = n_places(g, v, GATHER_SUBNET);
		if (v >= FIXED) {
			uint32_t n;
			graph_members(g, v, &n);
			nodes += (uint64_t)sites[v] *
				 (by == GATHER_RESOURCE ? n : 1);
		}
	}
	for (uint32_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *x = &g->edges[e];
		uint64_t k = (uint64_t)sites[x->from] * sites[x->to];
		edges += by == GATHER_RESOURCE ? k * member_pairs(g, x) : k;
	}
	free(sites);
	return nodes + edges;
}

/* ---- making views ------------------------------------------------------- */

static void edge_copy(struct graph_edge *out, const struct graph_edge *e,
		      uint32_t from, uint32_t to)
{
	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	ports_copy(&out->tcp_all, &e->tcp_all);
	ports_copy(&out->tcp_some, &e->tcp_some);
	ports_copy(&out->udp_all, &e->udp_all);
	ports_copy(&out->udp_some, &e->udp_some);
	out->degraded = e->degraded;
	out->forward = e->forward;
	out->order = e->order;
}

static void edge_merge(struct graph_edge *out, const struct graph_edge *e)
{
	ports_intersect(&out->tcp_all, &out->tcp_all, &e->tcp_all);
	ports_union(&out->tcp_some, &out->tcp_some, &e->tcp_some);
	ports_intersect(&out->udp_all, &out->udp_all, &e->udp_all);
	ports_union(&out->udp_some, &out->udp_some, &e->udp_some);
	out->degraded |= e->degraded;
}

/* Whether the graph edge e carries flows of source from (NULL: any). */
static bool from_matches(const struct graph *g, const struct graph_edge *e,
			 const struct reach_node *from)
{
	if (!from)
		return true;
	return e->from == graph_vertex(g, from);
}

static void view_fixed_nodes(struct graph_view *v)
{
	for (uint32_t i = 0; i < FIXED; i++) {
		v->nodes[i].n = v->g->nodes[i];
		v->nodes[i].where = MODEL_NONE;
	}
}

/* A node per resource, in model order. */
static void endpoint_nodes(struct graph_view *v, uint32_t *node_of_member)
{
	const struct graph *g = v->g;
	const struct model *m = sim_model(g->s);
	v->nodes = xcalloc(FIXED + g->n_members, sizeof(*v->nodes));
	v->members = xcalloc(g->n_members + 1, sizeof(*v->members));
	view_fixed_nodes(v);
	v->n_nodes = FIXED;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t mi = g->member_of[k][i];
			if (mi == UINT32_MAX)
				continue;
			struct graph_view_node *n = &v->nodes[v->n_nodes];
			n->n = g->members[mi];
			n->where = MODEL_NONE;
			n->first = v->n_members;
			n->count = 1;
			v->members[v->n_members++] = n->n;
			node_of_member[mi] = v->n_nodes++;
		}
}

/* The order of an endpoint edge among its source's (see the file
 * comment): tcp flows first, then by reach_from's row of the target. */
uint64_t graph_endpoint_order(const struct graph *g,
			      const struct graph_edge *ge,
			      const struct reach_node *to)
{
	uint64_t tcp = ports_empty(&ge->tcp_some);
	if (ge->forward)
		return ge->order;
	uint64_t pos = to->kind == RN_RESOURCE
			   ? 4 + (uint64_t)g->row_pos[to->rkind][to->rindex]
			   : graph_vertex(g, to);
	return tcp << 40 | pos;
}

struct keyed {
	uint64_t key;
	uint32_t to; /* view node */
	uint32_t ge; /* graph edge */
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static uint64_t endpoint_count(const struct graph *g,
			       const struct reach_node *from)
{
	uint64_t n = 0;
	for (uint32_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *x = &g->edges[e];
		if (!from) {
			n += member_pairs(g, x);
		} else if (from_matches(g, x, from)) {
			uint32_t b;
			graph_members(g, x->to, &b);
			n += x->from == x->to ? b - 1 : b;
		}
	}
	return n;
}

static void endpoint_edges(struct graph_view *v, const uint32_t *node_of,
			   const struct reach_node *from, uint64_t n_edges)
{
	const struct graph *g = v->g;
	v->edges = xcalloc(n_edges + 1, sizeof(*v->edges));
	struct keyed *tmp = NULL;
	uint32_t cap = 0;
	for (uint32_t s = 0; s < v->n_nodes; s++) {
		const struct reach_node *x = &v->nodes[s].n;
		if (from &&
		    !(from->kind == x->kind &&
		      (x->kind != RN_RESOURCE ||
		       (from->rkind == x->rkind && from->rindex == x->rindex))))
			continue;
		uint32_t u = graph_vertex(g, x), n = 0;
		for (uint32_t e = g->out_first[u]; e < g->out_first[u + 1];
		     e++) {
			uint32_t nm;
			const struct reach_node *mem =
			    graph_members(g, g->edges[e].to, &nm);
			if (n + nm > cap) {
				cap = 2 * (n + nm);
				tmp = xreallocarray(tmp, cap, sizeof(*tmp));
			}
			for (uint32_t k = 0; k < nm; k++) {
				uint32_t mi = graph_member_index(g, &mem[k]);
				uint32_t to = mi == UINT32_MAX
						  ? graph_vertex(g, &mem[k])
						  : node_of[mi];
				if (to == s)
					continue;
				tmp[n++] = (struct keyed){
				    graph_endpoint_order(g, &g->edges[e],
							 &mem[k]),
				    to, e};
			}
		}
		if (n > 1)
			qsort(tmp, n, sizeof(*tmp), keyed_cmp);
		for (uint32_t k = 0; k < n; k++)
			edge_copy(&v->edges[v->n_edges++], &g->edges[tmp[k].ge],
				  s, tmp[k].to);
	}
	free(tmp);
}

/* A node per vertex of the graph. */
static void group_view(struct graph_view *v, const struct reach_node *from)
{
	const struct graph *g = v->g;
	v->nodes = xcalloc(g->n_nodes + 1, sizeof(*v->nodes));
	v->members = xcalloc(g->n_members + 1, sizeof(*v->members));
	memcpy(v->members, g->members, g->n_members * sizeof(*v->members));
	v->n_members = g->n_members;
	view_fixed_nodes(v);
	for (uint32_t u = FIXED; u < g->n_nodes; u++) {
		struct graph_view_node *n = &v->nodes[u];
		n->n = g->nodes[u];
		n->aggregate = true;
		n->where = MODEL_NONE;
		n->first = g->member_first[u];
		n->count = g->member_first[u + 1] - g->member_first[u];
	}
	v->n_nodes = g->n_nodes;
	v->edges = xcalloc(g->n_edges + 1, sizeof(*v->edges));
	for (uint32_t e = 0; e < g->n_edges; e++)
		if (from_matches(g, &g->edges[e], from))
			edge_copy(&v->edges[v->n_edges++], &g->edges[e],
				  g->edges[e].from, g->edges[e].to);
}

/* Aggregate nodes (subnets or VPCs with members), in index order:
 * node_at[place] is the node of a place or UINT32_MAX. */
static uint32_t *agg_nodes(const struct graph *g, int by, uint32_t *n_used,
			   struct graph_view *v)
{
	const struct model *m = sim_model(g->s);
	uint32_t np = (by == GATHER_VPC ? m->n[MK_VPC] : m->n[MK_SUBNET]) + 1;
	uint32_t *count = xcalloc(np + 1, sizeof(uint32_t));
	uint32_t *node_at = xcalloc(np + 1, sizeof(uint32_t));
	uint32_t *buf = NULL, cap = 0;
	for (uint32_t u = FIXED; u < g->n_nodes; u++) {
		uint32_t nm, npl = n_places(g, u, by);
		graph_members(g, u, &nm);
		if (npl > cap) {
			cap = npl;
			buf = xreallocarray(buf, cap, sizeof(uint32_t));
		}
		npl = places(g, u, by, buf, cap);
		for (uint32_t k = 0; k < npl; k++)
			count[buf[k]] += nm;
	}
	uint32_t n = 0, total = 0;
	for (uint32_t p = 0; p < np; p++) {
		node_at[p] = count[p] ? FIXED + n++ : UINT32_MAX;
		total += count[p];
	}
	*n_used = n;
	if (v) {
		v->nodes = xcalloc(FIXED + n + 1, sizeof(*v->nodes));
		v->members = xcalloc(total + 1, sizeof(*v->members));
		view_fixed_nodes(v);
		v->n_nodes = FIXED + n;
		uint32_t at = 0;
		for (uint32_t p = 0; p < np; p++)
			if (count[p]) {
				struct graph_view_node *x =
				    &v->nodes[node_at[p]];
				x->aggregate = true;
				x->where = p;
				x->first = at;
				at += count[p];
			}
		/* Members in model order: resources by kind and index. */
		const struct model *mm = sim_model(g->s);
		for (int k = 0; k < MK_KIND_COUNT; k++)
			for (uint32_t i = 0; i < mm->n[k]; i++) {
				uint32_t u = g->vertex_of[k][i];
				if (u == UINT32_MAX)
					continue;
				uint32_t npl = places(g, u, by, buf, cap);
				for (uint32_t q = 0; q < npl; q++) {
					struct graph_view_node *x =
					    &v->nodes[node_at[buf[q]]];
					struct reach_node r = {.kind =
								   RN_RESOURCE,
							       .rkind = k,
							       .rindex = i};
					if (!x->count)
						x->n = r;
					v->members[x->first + x->count++] = r;
				}
			}
		v->n_members = total;
	}
	free(count);
	free(buf);
	return node_at;
}

/* Walks every aggregate edge an edge of the graph makes: fn(ctx, from,
 * to, graph edge) per pair of places. */
static void agg_walk(const struct graph *g, int by, const uint32_t *node_at,
		     const struct reach_node *from,
		     void (*fn)(void *ctx, uint32_t a, uint32_t b,
				const struct graph_edge *e),
		     void *ctx)
{
	uint32_t *pa = NULL, *pb = NULL, cap = 0;
	for (uint32_t e = 0; e < g->n_edges; e++) {
		const struct graph_edge *x = &g->edges[e];
		if (!from_matches(g, x, from))
			continue;
		uint32_t na = n_places(g, x->from, by),
			 nb = n_places(g, x->to, by);
		if (na > cap || nb > cap) {
			cap = na > nb ? na : nb;
			pa = xreallocarray(pa, cap, sizeof(uint32_t));
			pb = xreallocarray(pb, cap, sizeof(uint32_t));
		}
		if (x->from < FIXED) {
			pa[0] = x->from;
			na = 1;
		} else {
			na = places(g, x->from, by, pa, cap);
			for (uint32_t i = 0; i < na; i++)
				pa[i] = node_at[pa[i]];
		}
		if (x->to < FIXED) {
			pb[0] = x->to;
			nb = 1;
		} else {
			nb = places(g, x->to, by, pb, cap);
			for (uint32_t i = 0; i < nb; i++)
				pb[i] = node_at[pb[i]];
		}
		for (uint32_t i = 0; i < na; i++)
			for (uint32_t j = 0; j < nb; j++)
				fn(ctx, pa[i], pb[j], x);
	}
	free(pa);
	free(pb);
}

struct agg_ctx {
	struct key_map map;
	struct graph_view *v; /* NULL: count only */
	uint32_t cap;
};

static void agg_add(void *ctx, uint32_t a, uint32_t b,
		    const struct graph_edge *e)
{
	struct agg_ctx *c = ctx;
	uint32_t n = c->map.n;
	uint32_t at = map_get(&c->map, edge_key(a, b, e->forward), n);
	if (!c->v)
		return;
	struct graph_view *v = c->v;
	if (at < n) {
		edge_merge(&v->edges[at], e);
		return;
	}
	if (v->n_edges == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		v->edges = xreallocarray(v->edges, c->cap, sizeof(*v->edges));
	}
	edge_copy(&v->edges[v->n_edges++], e, a, b);
}

static uint32_t agg_count_edges(const struct graph *g, int by,
				const struct reach_node *from,
				uint32_t *n_places_out)
{
	uint32_t *node_at = agg_nodes(g, by, n_places_out, NULL);
	struct agg_ctx c = {0};
	agg_walk(g, by, node_at, from, agg_add, &c);
	uint32_t n = c.map.n;
	map_free(&c.map);
	free(node_at);
	return n;
}

static int key_cmp3(const struct graph_edge *x, const struct graph_edge *y)
{
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	return (x->forward > y->forward) - (x->forward < y->forward);
}

static int view_edge_cmp(const void *a, const void *b)
{
	return key_cmp3(a, b);
}

static const struct graph_view *sort_view; /* qsort context */

static int by_key_cmp(const void *a, const void *b)
{
	const struct graph_edge *e = sort_view->edges;
	return key_cmp3(&e[*(const uint32_t *)a], &e[*(const uint32_t *)b]);
}

static void agg_view(struct graph_view *v, int by,
		     const struct reach_node *from)
{
	uint32_t n_places;
	uint32_t *node_at = agg_nodes(v->g, by, &n_places, v);
	struct agg_ctx c = {.v = v};
	agg_walk(v->g, by, node_at, from, agg_add, &c);
	map_free(&c.map);
	free(node_at);
	if (v->n_edges > 1)
		qsort(v->edges, v->n_edges, sizeof(*v->edges), view_edge_cmp);
}

static igraph_error_t view_igraph(struct graph_view *v)
{
	igraph_vector_int_t ev, membership;
	igraph_integer_t no = 0;
	IGRAPH_CHECK(
	    igraph_vector_int_init(&ev, 2 * (igraph_integer_t)v->n_edges));
	IGRAPH_FINALLY(igraph_vector_int_destroy, &ev);
	for (uint32_t e = 0; e < v->n_edges; e++) {
		VECTOR(ev)[2 * e] = v->edges[e].from;
		VECTOR(ev)[2 * e + 1] = v->edges[e].to;
	}
	IGRAPH_CHECK(igraph_create(&v->ig, &ev, v->n_nodes, IGRAPH_DIRECTED));
	IGRAPH_FINALLY(igraph_destroy, &v->ig);
	IGRAPH_CHECK(igraph_vector_int_init(&membership, 0));
	IGRAPH_FINALLY(igraph_vector_int_destroy, &membership);
	IGRAPH_CHECK(igraph_connected_components(&v->ig, &membership, NULL, &no,
						 IGRAPH_WEAK));
	v->component = xcalloc(v->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < v->n_nodes; i++)
		v->component[i] = (uint32_t)VECTOR(membership)[i];
	v->n_components = (uint32_t)no;
	igraph_vector_int_destroy(&membership);
	igraph_vector_int_destroy(&ev);
	IGRAPH_FINALLY_CLEAN(3); /* the graph stays, owned by the view */
	return IGRAPH_SUCCESS;
}

int graph_view_new(struct graph_view **out, const struct graph *g,
		   enum graph_detail d, const struct reach_node *from,
		   uint64_t max_edges, char *err, size_t err_size)
{
	graph_igraph_init();
	*out = NULL;
	int by = graph_details[d].by;
	if (by == GATHER_RESOURCE) {
		uint64_t n = endpoint_count(g, from);
		if (n > max_edges) {
			snprintf(err, err_size,
				 "%llu flows between endpoints, more than "
				 "%llu",
				 (unsigned long long)n,
				 (unsigned long long)max_edges);
			return -2;
		}
	} else {
		uint64_t n = by == GATHER_GROUP
				 ? g->n_edges
				 : agg_count_edges(g, by, from, &(uint32_t){0});
		if (n > max_edges) {
			snprintf(err, err_size,
				 "%llu flows between %s, more than %llu",
				 (unsigned long long)n, graph_details[d].name,
				 (unsigned long long)max_edges);
			return -2;
		}
	}
	struct graph_view *v = xcalloc(1, sizeof(*v));
	v->g = g;
	v->s = g->s;
	v->detail = d;
	if (by == GATHER_RESOURCE) {
		uint32_t *node_of = xcalloc(g->n_members + 1, sizeof(uint32_t));
		endpoint_nodes(v, node_of);
		endpoint_edges(v, node_of, from, endpoint_count(g, from));
		free(node_of);
	} else if (by == GATHER_GROUP) {
		group_view(v, from);
	} else {
		agg_view(v, by, from);
	}
	v->out_first = xcalloc(v->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < v->n_edges; e++)
		v->out_first[v->edges[e].from + 1]++;
	for (uint32_t i = 0; i < v->n_nodes; i++)
		v->out_first[i + 1] += v->out_first[i];
	v->by_key = xcalloc(v->n_edges + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < v->n_edges; e++)
		v->by_key[e] = e;
	sort_view = v;
	if (v->n_edges > 1)
		qsort(v->by_key, v->n_edges, sizeof(uint32_t), by_key_cmp);
	if (view_igraph(v) != IGRAPH_SUCCESS) {
		snprintf(err, err_size, "%s", graph_igraph_error());
		graph_view_free(v);
		return -1;
	}
	v->has_ig = true;
	*out = v;
	return 0;
}

void graph_view_free(struct graph_view *v)
{
	if (!v)
		return;
	if (v->has_ig)
		igraph_destroy(&v->ig);
	for (uint32_t e = 0; e < v->n_edges; e++) {
		ports_free(&v->edges[e].tcp_all);
		ports_free(&v->edges[e].tcp_some);
		ports_free(&v->edges[e].udp_all);
		ports_free(&v->edges[e].udp_some);
	}
	free(v->edges);
	free(v->nodes);
	free(v->members);
	free(v->out_first);
	free(v->by_key);
	free(v->component);
	free(v);
}

const struct graph_edge *graph_view_edge(const struct graph_view *v,
					 uint32_t from, uint32_t to,
					 bool forward)
{
	struct graph_edge key = {.from = from, .to = to, .forward = forward};
	uint32_t lo = 0, hi = v->n_edges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (key_cmp3(&v->edges[v->by_key[mid]], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->n_edges && !key_cmp3(&v->edges[v->by_key[lo]], &key))
		return &v->edges[v->by_key[lo]];
	return NULL;
}

uint32_t graph_view_node_of(const struct graph_view *v,
			    const struct reach_node *n)
{
	if (n->kind != RN_RESOURCE)
		return graph_vertex(v->g, n);
	switch (graph_details[v->detail].by) {
	case GATHER_GROUP:
		return graph_vertex(v->g, n);
	case GATHER_RESOURCE:
		/* Nodes are in model order: a binary search. */
		for (uint32_t lo = FIXED, hi = v->n_nodes; lo < hi;) {
			uint32_t mid = lo + (hi - lo) / 2;
			const struct reach_node *x = &v->nodes[mid].n;
			if (x->rkind == n->rkind && x->rindex == n->rindex)
				return mid;
			if (x->rkind < n->rkind ||
			    (x->rkind == n->rkind && x->rindex < n->rindex))
				lo = mid + 1;
			else
				hi = mid;
		}
		return UINT32_MAX;
	default:
		return UINT32_MAX;
	}
}

const char *graph_view_node_name(const struct graph_view *v, uint32_t node)
{
	const struct graph_view_node *n = &v->nodes[node];
	const struct model *m = sim_model(v->s);
	if (node < FIXED || !n->aggregate ||
	    graph_details[v->detail].by == GATHER_GROUP)
		return reach_node_name(v->s, &n->n);
	if (graph_details[v->detail].by == GATHER_SUBNET)
		return m->subnets[n->where].obj.id;
	return n->where < m->n[MK_VPC] ? m->vpcs[n->where].obj.id : "no-vpc";
}

const char *graph_view_node_kind(const struct graph_view *v, uint32_t node)
{
	const struct graph_view_node *n = &v->nodes[node];
	if (node < FIXED || !n->aggregate ||
	    graph_details[v->detail].by == GATHER_GROUP)
		return graph_node_kind(&n->n);
	return graph_details[v->detail].by == GATHER_SUBNET ? "subnet" : "vpc";
}

/* ---- GraphML ----------------------------------------------------------- */

static igraph_error_t write_graphml(const struct graph_view *v, FILE *f)
{
	igraph_t copy;
	bool agg = v->detail != GRAPH_ENDPOINTS;
	IGRAPH_CHECK(igraph_copy(&copy, &v->ig));
	IGRAPH_FINALLY(igraph_destroy, &copy);
	for (uint32_t i = 0; i < v->n_nodes; i++) {
		IGRAPH_CHECK(
		    SETVAS(&copy, "name", i, graph_view_node_name(v, i)));
		IGRAPH_CHECK(
		    SETVAS(&copy, "kind", i, graph_view_node_kind(v, i)));
		if (agg)
			IGRAPH_CHECK(SETVAN(&copy, "members", i,
					    i < FIXED ? 1 : v->nodes[i].count));
	}
	for (uint32_t e = 0; e < v->n_edges; e++) {
		char label[512];
		graph_edge_label(label, sizeof(label), &v->edges[e]);
		IGRAPH_CHECK(SETEAS(&copy, "ports", e, label));
		IGRAPH_CHECK(
		    SETEAS(&copy, "reach", e,
			   v->edges[e].forward ? "forward" : "direct"));
	}
	IGRAPH_CHECK(igraph_write_graph_graphml(&copy, f, false));
	igraph_destroy(&copy);
	IGRAPH_FINALLY_CLEAN(1);
	return IGRAPH_SUCCESS;
}

int graph_write_graphml(const struct graph_view *v, FILE *f, char *err,
			size_t err_size)
{
	graph_igraph_init();
	if (write_graphml(v, f) == IGRAPH_SUCCESS)
		return 0;
	snprintf(err, err_size, "%s", graph_igraph_error());
	return -1;
}

/*
 * See graph.h.  Edges come from reach_from for every source node, so the
 * graph is exactly what per-endpoint traces give, and for a load balancer
 * from the engine's forwards (reach_forwards): its edges are the targets
 * it serves, nothing else.  Building it costs one estate-wide query per
 * source resource, which is why it is made only for the commands that
 * draw or search it.
 */
#include "sim/graph.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const enum sim_service services[] = {SVC_ECR, SVC_S3, SVC_LOGS};

static bool has_placements(const struct model *m, enum model_kind k, uint32_t i)
{
	uint32_t n;
	model_placements(m, k, i, &n);
	return n > 0;
}

uint32_t graph_vertex(const struct graph *g, const struct reach_node *n)
{
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		const struct reach_node *x = &g->nodes[v];
		if (x->kind != n->kind)
			continue;
		if (x->kind == RN_INTERNET)
			return v;
		if (x->kind == RN_SERVICE && x->service == n->service)
			return v;
		if (x->kind == RN_RESOURCE && x->rkind == n->rkind &&
		    x->rindex == n->rindex)
			return v;
	}
	return UINT32_MAX;
}

static struct graph_edge *edge_for(struct graph *g, uint32_t from, uint32_t to,
				   uint32_t *cap)
{
	/* Rows of one source arrive together: look back over its edges. */
	for (uint32_t e = g->n_edges; e-- > 0 && g->edges[e].from == from;)
		if (g->edges[e].to == to)
			return &g->edges[e];
	if (g->n_edges == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		g->edges = xreallocarray(g->edges, *cap, sizeof(*g->edges));
	}
	struct graph_edge *e = &g->edges[g->n_edges++];
	memset(e, 0, sizeof(*e));
	e->from = from;
	e->to = to;
	return e;
}

/* Edges from a source's rows; forward says they are a load balancer's
 * forwards (reach_forwards), which are all its edges. */
static void add_rows(struct graph *g, uint32_t from, struct reach_table *t,
		     enum proto proto, bool forward, uint32_t *cap)
{
	for (uint32_t i = 0; i < t->n; i++) {
		struct reach_row *r = &t->rows[i];
		uint32_t to = graph_vertex(g, &r->dst);
		if (to == UINT32_MAX || to == from)
			continue;
		struct graph_edge *e = edge_for(g, from, to, cap);
		ports_union(proto == PROTO_TCP ? &e->tcp_all : &e->udp_all,
			    proto == PROTO_TCP ? &e->tcp_all : &e->udp_all,
			    &r->all);
		ports_union(proto == PROTO_TCP ? &e->tcp_some : &e->udp_some,
			    proto == PROTO_TCP ? &e->tcp_some : &e->udp_some,
			    &r->some);
		e->degraded |= r->degraded;
		e->forward = forward;
	}
}

static igraph_error_t build_igraph(struct graph *g)
{
	igraph_vector_int_t ev;
	IGRAPH_CHECK(
	    igraph_vector_int_init(&ev, 2 * (igraph_integer_t)g->n_edges));
	IGRAPH_FINALLY(igraph_vector_int_destroy, &ev);
	for (uint32_t e = 0; e < g->n_edges; e++) {
		VECTOR(ev)[2 * e] = g->edges[e].from;
		VECTOR(ev)[2 * e + 1] = g->edges[e].to;
	}
	IGRAPH_CHECK(igraph_create(&g->g, &ev, g->n_nodes, IGRAPH_DIRECTED));
	IGRAPH_FINALLY(igraph_destroy, &g->g);

	igraph_vector_int_t membership;
	igraph_integer_t no = 0;
	IGRAPH_CHECK(igraph_vector_int_init(&membership, 0));
	IGRAPH_FINALLY(igraph_vector_int_destroy, &membership);
	IGRAPH_CHECK(igraph_connected_components(&g->g, &membership, NULL, &no,
						 IGRAPH_WEAK));
	g->component = xcalloc(g->n_nodes, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++)
		g->component[v] = (uint32_t)VECTOR(membership)[v];
	g->n_components = (uint32_t)no;
	igraph_vector_int_destroy(&membership);
	igraph_vector_int_destroy(&ev);
	IGRAPH_FINALLY_CLEAN(3); /* the graph stays, owned by g */
	return IGRAPH_SUCCESS;
}

int graph_build(struct graph **out, const struct reach_index *ix)
{
	const struct sim *s = reach_index_sim(ix);
	struct graph *g = xcalloc(1, sizeof(*g));
	/* GraphML export names vertices and edges through igraph's C
	 * attribute handler, which must be in place before a graph is made. */
	igraph_set_attribute_table(&igraph_cattribute_table);
	const struct model *m = sim_model(s);
	g->s = s;
	uint32_t cap_nodes = 4;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		cap_nodes += m->n[k];
	g->nodes = xcalloc(cap_nodes, sizeof(*g->nodes));
	g->nodes[g->n_nodes++] = (struct reach_node){.kind = RN_INTERNET};
	for (size_t i = 0; i < ARRAY_LEN(services); i++)
		g->nodes[g->n_nodes++] = (struct reach_node){
		    .kind = RN_SERVICE, .service = services[i]};
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++)
			if (has_placements(m, k, i))
				g->nodes[g->n_nodes++] =
				    (struct reach_node){.kind = RN_RESOURCE,
							.rkind = k,
							.rindex = i};

	uint32_t cap = 0;
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		const struct reach_node *n = &g->nodes[v];
		/* AWS services, NAT gateways and interface endpoints answer
		 * or translate; they open no connection of their own. */
		if (n->kind == RN_SERVICE ||
		    (n->kind == RN_RESOURCE && (n->rkind == MK_NAT_GATEWAY ||
						n->rkind == MK_VPC_ENDPOINT)))
			continue;
		struct sim_sel sel = {0};
		if (n->kind == RN_INTERNET) {
			sel.kind = SEL_INTERNET;
			sel.addr = SIM_INTERNET_ADDR;
		} else {
			sel.kind = SEL_RESOURCE;
			sel.rkind = n->rkind;
			sel.rindex = n->rindex;
		}
		/* A load balancer opens connections only to its targets:
		 * its forwards, as the engine makes them (§8). */
		bool lb =
		    n->kind == RN_RESOURCE && n->rkind == MK_LOAD_BALANCER;
		for (size_t p = 0; p < ARRAY_LEN(protos); p++) {
			struct reach_table t;
			if (lb)
				reach_forwards(&t, ix, n->rindex, protos[p]);
			else
				reach_from(&t, ix, &sel, protos[p], false);
			add_rows(g, v, &t, protos[p], lb, &cap);
			reach_table_free(&t);
		}
	}
	if (build_igraph(g) != IGRAPH_SUCCESS) {
		graph_free(g);
		return -1;
	}
	*out = g;
	return 0;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	if (g->component)
		igraph_destroy(&g->g);
	for (uint32_t e = 0; e < g->n_edges; e++) {
		ports_free(&g->edges[e].tcp_all);
		ports_free(&g->edges[e].tcp_some);
		ports_free(&g->edges[e].udp_all);
		ports_free(&g->edges[e].udp_some);
	}
	free(g->edges);
	free(g->nodes);
	free(g->component);
	free(g);
}

void graph_edge_label(char *buf, size_t size, const struct graph_edge *e)
{
	size_t off = 0;
	buf[0] = '\0';
	if (!ports_empty(&e->tcp_some)) {
		off += (size_t)snprintf(buf, size, "tcp ");
		if (off < size)
			off +=
			    ports_format(buf + off, size - off, &e->tcp_some);
	}
	if (!ports_empty(&e->udp_some) && off < size) {
		off += (size_t)snprintf(buf + off, size - off, "%sudp ",
					off ? ", " : "");
		if (off < size)
			ports_format(buf + off, size - off, &e->udp_some);
	}
}

static const struct graph *chain_sort_graph; /* qsort context */

static int chain_cmp(const void *a, const void *b)
{
	const struct graph_chain *x = a, *y = b;
	if (x->hops != y->hops)
		return x->hops < y->hops ? -1 : 1;
	for (uint32_t i = 0; i <= x->hops; i++) {
		int c =
		    strcmp(reach_node_name(chain_sort_graph->s,
					   &chain_sort_graph->nodes[x->v[i]]),
			   reach_node_name(chain_sort_graph->s,
					   &chain_sort_graph->nodes[y->v[i]]));
		if (c)
			return c;
	}
	return 0;
}

static igraph_error_t simple_paths(const struct graph *g, uint32_t from,
				   uint32_t to, uint32_t max_hops,
				   igraph_vector_int_t *res)
{
	IGRAPH_CHECK(igraph_get_all_simple_paths(
	    &g->g, res, from, igraph_vss_1(to), (igraph_integer_t)max_hops,
	    IGRAPH_OUT));
	return IGRAPH_SUCCESS;
}

int graph_chains(struct graph_chain **out, uint32_t *n, const struct graph *g,
		 uint32_t from, uint32_t to, uint32_t max_hops)
{
	igraph_vector_int_t res;
	struct graph_chain *v = NULL;
	uint32_t count = 0, cap = 0;
	int rc = -1;
	*out = NULL;
	*n = 0;
	if (igraph_vector_int_init(&res, 0) != IGRAPH_SUCCESS)
		return -1;
	if (simple_paths(g, from, to, max_hops, &res) != IGRAPH_SUCCESS)
		goto out;
	igraph_integer_t len = igraph_vector_int_size(&res);
	for (igraph_integer_t i = 0; i < len;) {
		igraph_integer_t j = i;
		while (j < len && VECTOR(res)[j] != -1)
			j++;
		uint32_t nv = (uint32_t)(j - i);
		bool ok = nv >= 2;
		/* The internet and AWS services are ends, never hops. */
		for (igraph_integer_t k = i + 1; k < j - 1 && ok; k++)
			ok = g->nodes[VECTOR(res)[k]].kind == RN_RESOURCE;
		if (ok) {
			if (count == cap) {
				cap = cap ? 2 * cap : 16;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			struct graph_chain *c = &v[count++];
			c->hops = nv - 1;
			c->v = xcalloc(nv, sizeof(uint32_t));
			c->e = xcalloc(nv - 1, sizeof(uint32_t));
			for (uint32_t k = 0; k < nv; k++)
				c->v[k] = (uint32_t)VECTOR(res)[i + k];
			for (uint32_t k = 0; k + 1 < nv; k++) {
				igraph_integer_t eid;
				if (igraph_get_eid(&g->g, &eid, c->v[k],
						   c->v[k + 1], IGRAPH_DIRECTED,
						   true) != IGRAPH_SUCCESS) {
					graph_chains_free(v, count);
					v = NULL;
					count = 0;
					goto out;
				}
				c->e[k] = (uint32_t)eid;
			}
		}
		i = j + 1;
	}
	chain_sort_graph = g;
	if (count)
		qsort(v, count, sizeof(*v), chain_cmp);
	*out = v;
	*n = count;
	v = NULL;
	rc = 0;
out:
	graph_chains_free(v, count && v ? count : 0);
	igraph_vector_int_destroy(&res);
	return rc;
}

void graph_chains_free(struct graph_chain *c, uint32_t n)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < n; i++) {
		free(c[i].v);
		free(c[i].e);
	}
	free(c);
}

const char *graph_node_kind(const struct reach_node *n)
{
	switch (n->kind) {
	case RN_INTERNET:
		return "internet";
	case RN_SERVICE:
		return "aws_service";
	case RN_RESOURCE:
		return model_kind_name(n->rkind);
	}
	return "?";
}

static igraph_error_t write_graphml(const struct graph *g, FILE *f)
{
	igraph_t copy;
	IGRAPH_CHECK(igraph_copy(&copy, &g->g));
	IGRAPH_FINALLY(igraph_destroy, &copy);
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		IGRAPH_CHECK(SETVAS(&copy, "name", v,
				    reach_node_name(g->s, &g->nodes[v])));
		IGRAPH_CHECK(
		    SETVAS(&copy, "kind", v, graph_node_kind(&g->nodes[v])));
	}
	for (uint32_t e = 0; e < g->n_edges; e++) {
		char label[512];
		graph_edge_label(label, sizeof(label), &g->edges[e]);
		IGRAPH_CHECK(SETEAS(&copy, "ports", e, label));
		IGRAPH_CHECK(
		    SETEAS(&copy, "reach", e,
			   g->edges[e].forward ? "forward" : "direct"));
	}
	IGRAPH_CHECK(igraph_write_graph_graphml(&copy, f, false));
	igraph_destroy(&copy);
	IGRAPH_FINALLY_CLEAN(1);
	return IGRAPH_SUCCESS;
}

int graph_write_graphml(const struct graph *g, FILE *f)
{
	return write_graphml(g, f) == IGRAPH_SUCCESS ? 0 : -1;
}

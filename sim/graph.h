/*
 * The reachability graph of an estate, on igraph.
 *
 * Vertices are the internet, the AWS services and every resource that
 * holds addresses; a directed edge X -> Y means some placement of X opens
 * a connection to some placement of Y (tcp or udp); NAT gateways and
 * interface endpoints open none, a load balancer only to its targets.
 * The model data stays
 * in arrays indexed by igraph's vertex and edge ids: nodes[v], edges[e].
 * Path search (multi-hop chains, semantics §13), components and GraphML
 * export go through igraph.
 */
#ifndef VPCSIM_GRAPH_H
#define VPCSIM_GRAPH_H

#include <igraph.h>
#include <stdio.h>

#include "sim/reach.h"

struct graph_edge {
	uint32_t from, to; /* vertex ids */
	struct ports tcp_all, tcp_some, udp_all, udp_some;
	bool degraded;
	bool forward; /* from a load balancer: it forwards by itself */
};

struct graph {
	igraph_t g;
	const struct sim *s;
	struct reach_node *nodes; /* by vertex id */
	uint32_t n_nodes;
	struct graph_edge *edges; /* by edge id */
	uint32_t n_edges;
	uint32_t *component; /* weak component of each vertex */
	uint32_t n_components;
};

/* A chain of hops: vertex ids v[0..n], edge ids e[0..n-1]. */
struct graph_chain {
	uint32_t *v, *e;
	uint32_t hops;
};

/* Builds the graph of every resource; *out is the caller's (graph_free). */
int graph_build(struct graph **out, const struct reach_index *ix);
void graph_free(struct graph *g);
/* The vertex of a node, or UINT32_MAX. */
uint32_t graph_vertex(const struct graph *g, const struct reach_node *n);

/*
 * Chains from -> to of at most max_hops hops, shortest first, then by
 * vertex names.  *out (n of them) is the caller's (graph_chains_free).
 * Returns 0, or negative when igraph failed.
 */
int graph_chains(struct graph_chain **out, uint32_t *n, const struct graph *g,
		 uint32_t from, uint32_t to, uint32_t max_hops);
void graph_chains_free(struct graph_chain *c, uint32_t n);

/* "internet", "aws_service", or the resource's kind name. */
const char *graph_node_kind(const struct reach_node *n);
/* GraphML through igraph's writer, with names, kinds and port labels. */
int graph_write_graphml(const struct graph *g, FILE *f);
/* "tcp 443, udp 53": the some-sets of an edge. */
void graph_edge_label(char *buf, size_t size, const struct graph_edge *e);

#endif

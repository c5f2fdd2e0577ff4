/*
 * The reachability graph of an estate, kept small: one vertex per group of
 * twin resources, not per resource.
 *
 * Two resources are twins when the engine cannot tell them apart as
 * source or destination: their placements fall in the same set of
 * equivalence classes (sim/reach.c), neither is a load balancer or a load
 * balancer's target (a forward names its targets one by one), and both
 * open connections or neither does.  Twins have the same edges to and
 * from everything else, so a vertex stands for all of its members and an
 * edge G -> H stands for every member pair x -> y with x != y (an edge
 * G -> G exists only when G has two members or more).  The internet and
 * the AWS services are vertices of their own.
 *
 * A directed edge X -> Y means some placement of X opens a connection to
 * some placement of Y (tcp or udp); NAT gateways and interface endpoints
 * open none, a load balancer only to its targets (its forwards, §8).
 * Edges are computed per class pair, once: a group's edges are the class
 * pairs of its members folded (all: ports every placement pair reaches,
 * some: ports one pair reaches).  Class pairs in VPCs that cannot route
 * to each other are not evaluated (graph_build's scope, docs/graph.md).
 *
 * Everything that needs one resource per vertex works from the groups:
 * chains (graph_chains: shortest first, bounded, counted without being
 * listed) and pictures (struct graph_view: endpoints, groups, subnets or
 * VPCs, the same flows at four levels of detail).  Bounds are in
 * docs/robustness.md.
 */
#ifndef VPCSIM_GRAPH_H
#define VPCSIM_GRAPH_H

#include <igraph.h>
#include <stdio.h>

#include "sim/reach.h"

/* Chains have at most this many hops (reach --hops, policies' hops). */
#define GRAPH_MAX_HOPS 8
/* Chains listed when the caller names no limit, and the largest limit. */
#define GRAPH_CHAINS_LIMIT     10
#define GRAPH_CHAINS_MAX_LIMIT 1000
/* Search steps of one chain question (listing and counting together):
 * past them the count is a lower bound ("at least N more"). */
#define GRAPH_CHAIN_STEPS 20000000ull

struct graph_edge {
	uint32_t from, to; /* vertex ids (view node ids in a view) */
	struct ports tcp_all, tcp_some, udp_all, udp_some;
	bool degraded;
	bool forward;	/* from a load balancer: it forwards by itself */
	uint32_t order; /* a forward's row among its load balancer's */
};

struct graph {
	const struct sim *s;
	const struct reach_index *ix;
	/* By vertex: the internet, the AWS services, then the groups in
	 * model order of their first member, whose node nodes[v] is. */
	struct reach_node *nodes;
	uint32_t n_nodes;
	uint32_t *member_first;	    /* n_nodes + 1 bounds into members */
	struct reach_node *members; /* each group's, by name */
	uint32_t n_members;
	struct graph_edge *edges; /* sorted by (from, to) */
	uint32_t n_edges;
	uint32_t *out_first;	   /* n_nodes + 1 bounds into edges */
	uint32_t *in_first, *in_e; /* edges into each vertex */
	/* By resource (kind, index): its vertex (UINT32_MAX: none), its
	 * index in members, its name's rank among all resources', and the
	 * order of its first row in reach_from's tables. */
	uint32_t *vertex_of[MK_KIND_COUNT];
	uint32_t *member_of[MK_KIND_COUNT];
	uint32_t *rank[MK_KIND_COUNT];
	uint32_t *row_pos[MK_KIND_COUNT];
	bool scoped; /* built for some VPCs only (a chain question) */
	char error[256];
};

/*
 * Builds the graph of every resource whose VPC scope[] marks (NULL: every
 * VPC).  *out is the caller's (graph_free).  Returns 0, or -1 when memory
 * or igraph failed, with the reason in (*out)->error when *out is set.
 */
int graph_build(struct graph **out, const struct reach_index *ix,
		const bool *scope);
void graph_free(struct graph *g);
/* The vertex of a node (a resource: its group), or UINT32_MAX. */
uint32_t graph_vertex(const struct graph *g, const struct reach_node *n);
/* The edge from -> to (vertex ids), or NULL: a binary search. */
const struct graph_edge *graph_edge_between(const struct graph *g,
					    uint32_t from, uint32_t to);
/* Members of vertex v and their count. */
const struct reach_node *graph_members(const struct graph *g, uint32_t v,
				       uint32_t *n);
/* The index of resource n in members, or UINT32_MAX. */
uint32_t graph_member_index(const struct graph *g, const struct reach_node *n);

/*
 * The VPCs a chain from -> to of at most hops hops may pass through, in
 * scope[] (one bool per VPC, the caller's): VPCs reach each other only
 * over peerings the route tables use (transit gateways and instance
 * routes count as reaching every VPC) and load balancers' targets.
 * Returns false when the model holds something whose reach across VPCs
 * is not known here: then every VPC must be kept.
 */
bool graph_chain_scope(bool *scope, const struct reach_index *ix,
		       const struct reach_node *from,
		       const struct reach_node *to, uint32_t hops);

/* ---- chains ------------------------------------------------------------ */

/* A chain of hops: nodes v[0..hops], edges e[0..hops-1] (ids in g). */
struct graph_chain {
	struct reach_node *v;
	uint32_t *e;
	uint32_t hops;
};

struct graph_chains {
	struct graph_chain *v; /* shortest first, then by names */
	uint32_t n;
	uint64_t more;	   /* chains beyond the n listed */
	bool more_exact;   /* false: more is a lower bound */
	uint32_t shortest; /* hops of the shortest chain, 0 when none */
};

/*
 * What a chain may use, for policies: resources that are never
 * intermediates (avoid, by graph_member_index; NULL: none), and tests for
 * the hops but the last (hop_ok) and for the last (last_ok); NULL accepts
 * every edge.  graph_filter_ready must run after avoid is filled.
 */
struct graph_filter {
	bool *avoid;
	uint32_t *avail; /* by vertex: members not avoided */
	bool (*hop_ok)(const struct graph_edge *e, void *ctx);
	bool (*last_ok)(const struct graph_edge *e, void *ctx);
	void *ctx;
};
void graph_filter_init(struct graph_filter *f, const struct graph *g);
void graph_filter_ready(struct graph_filter *f, const struct graph *g);
void graph_filter_free(struct graph_filter *f);

/*
 * Chains from -> to of 1 to max_hops hops (at most GRAPH_MAX_HOPS) whose
 * intermediates are resources, at most limit of them, shortest first,
 * then by the names along them; out->more counts the others.  *steps is
 * the search budget, spent as it goes: when it runs out the count stops
 * (more_exact false), never the first chain.  f may be NULL.  out is the
 * caller's (graph_chains_free).  Returns 0, or -1 for a node that is not
 * in g.
 */
int graph_chains(struct graph_chains *out, const struct graph *g,
		 const struct reach_node *from, const struct reach_node *to,
		 uint32_t max_hops, uint32_t limit,
		 const struct graph_filter *f, uint64_t *steps);
void graph_chains_free(struct graph_chains *c);
/* The hops of the shortest chain f allows, or 0 when none within
 * max_hops: no chain is listed (a breadth-first search of the groups). */
uint32_t graph_chain_shortest(const struct graph *g,
			      const struct reach_node *from,
			      const struct reach_node *to, uint32_t max_hops,
			      const struct graph_filter *f);

/* ---- views: the graph at a level of detail --------------------------- */

/* `vpcsim graph` picks the finest level whose picture (graph_view_size)
 * is at most GRAPH_AUTO_SIZE, and refuses views of more than
 * GRAPH_VIEW_MAX_EDGES edges, and SVG layouts past GRAPH_SVG_MAX_SIZE. */
#define GRAPH_AUTO_SIZE	     3000
#define GRAPH_VIEW_MAX_EDGES 100000
#define GRAPH_SVG_MAX_SIZE   10000

/*
 * The levels of `vpcsim graph --detail`, finest first.  A view's node is
 * one resource, one group of twins, every resource with a placement in a
 * subnet, or in a VPC; the internet and each AWS service stay nodes of
 * their own.  An edge A -> B of a view is the union of the resource edges
 * x -> y (x != y) with x a member of A and y of B: some is the union of
 * theirs, all the intersection, degraded and forward as theirs (a
 * forward and a flow between the same nodes are two edges).
 */
enum graph_detail {
	GRAPH_ENDPOINTS,
	GRAPH_GROUPS,
	GRAPH_SUBNETS,
	GRAPH_VPCS,
	GRAPH_DETAILS
};

struct graph_detail_def {
	const char *name;
	/* What a node gathers: a resource, a group, a subnet, a VPC. */
	enum { GATHER_RESOURCE, GATHER_GROUP, GATHER_SUBNET, GATHER_VPC } by;
};
extern const struct graph_detail_def graph_details[GRAPH_DETAILS];

struct graph_view_node {
	struct reach_node n;   /* the internet, a service, a resource or the
				  aggregate's first member */
	bool aggregate;	       /* groups, subnets, VPCs: members below */
	uint32_t where;	       /* subnets: the subnet; VPCs: the VPC */
	uint32_t first, count; /* its member resources in members */
};

struct graph_view {
	const struct graph *g;
	const struct sim *s;
	enum graph_detail detail;
	struct graph_view_node *nodes;
	uint32_t n_nodes;
	struct reach_node *members;
	uint32_t n_members;
	struct graph_edge *edges; /* grouped by source, in node order */
	uint32_t n_edges;
	uint32_t *out_first; /* n_nodes + 1 bounds into edges */
	uint32_t *by_key;    /* edge ids by (from, to, forward) */
	igraph_t ig;	     /* the nodes and edges, for components and
				GraphML */
	bool has_ig;
	uint32_t *component; /* weak component of each node */
	uint32_t n_components;
};

/*
 * The size of g's picture at a level: nodes drawn (a resource or group
 * once per subnet it has placements in) plus edges drawn (from every
 * drawing of the source to every drawing of the destination), as
 * graph_view would make them with no from; computed without making them.
 */
uint64_t graph_view_size(const struct graph *g, enum graph_detail d);

/*
 * g at level d: every edge, or only those whose source resource is from
 * (the internet or a resource; NULL: all).  Refuses (-2) a view of more
 * than max_edges edges before making it; -1 when igraph failed (the
 * reason in err).  *out is the caller's (graph_view_free).
 */
int graph_view_new(struct graph_view **out, const struct graph *g,
		   enum graph_detail d, const struct reach_node *from,
		   uint64_t max_edges, char *err, size_t err_size);
void graph_view_free(struct graph_view *v);
/* The key an endpoint view sorts a source's edges by: ge (a graph edge)
 * to resource, internet or service to (a member of ge's target).  For
 * callers that walk the endpoint level without making the view (diff). */
uint64_t graph_endpoint_order(const struct graph *g,
			      const struct graph_edge *ge,
			      const struct reach_node *to);
/* The edge from -> to (node ids, forward or not) of a view, or NULL: a
 * binary search. */
const struct graph_edge *graph_view_edge(const struct graph_view *v,
					 uint32_t from, uint32_t to,
					 bool forward);
/* The node of a view that holds resource (or internet, service) n, for
 * endpoint and group views; UINT32_MAX when none. */
uint32_t graph_view_node_of(const struct graph_view *v,
			    const struct reach_node *n);

/* "internet", "aws_service", or the resource's kind name. */
const char *graph_node_kind(const struct reach_node *n);
/* A view node's kind: graph_node_kind, or "subnet" and "vpc" for the
 * aggregates of those levels. */
const char *graph_view_node_kind(const struct graph_view *v, uint32_t node);
/* GraphML through igraph's writer, with names, kinds and port labels.
 * Returns 0 or -1 (the reason in err). */
int graph_write_graphml(const struct graph_view *v, FILE *f, char *err,
			size_t err_size);
/* "tcp 443, udp 53": the some-sets of an edge. */
void graph_edge_label(char *buf, size_t size, const struct graph_edge *e);
/* A view node's name: the resource's id, "internet", "aws:ecr", the
 * subnet's or VPC's id. */
const char *graph_view_node_name(const struct graph_view *v, uint32_t node);

/*
 * igraph's errors, as data: installs (once) an error handler that keeps
 * the message and unwinds igraph's cleanup stack instead of aborting.
 * graph_igraph_error gives the last message.
 */
void graph_igraph_init(void);
const char *graph_igraph_error(void);

#endif

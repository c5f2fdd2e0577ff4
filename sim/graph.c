/*
 * See graph.h.  Building the graph of groups:
 *
 * 1. The resources with placements (in scope) are sorted by their twin
 *    key: a unique number for load balancers and the targets their
 *    forwards reach, whether they open connections, then the sorted set
 *    of their placements' classes.  Runs of one key are the groups; the
 *    groups are vertices 4.. in model order of their first member, after
 *    the internet (0) and the AWS services (1-3).
 * 2. Class rows: for each class a source group holds, sim_ports from its
 *    representative to each destination class its VPC can route to (its
 *    own VPC, peered VPCs, every VPC through a transit gateway or an
 *    instance route), to the internet and to each AWS service.  A row is
 *    kept while a group still needs it, then freed.
 * 3. Edges: a group's rows folded by destination group (all needs every
 *    class pair of the two groups to reach); the internet's from
 *    reach_from(internet), one row per resource; a load balancer's from
 *    reach_forwards, in its row order.
 * 4. Edges sorted by (from, to), with out and in adjacency (CSR).
 *
 * Cost: classes c of source groups times the classes their VPCs reach,
 * each a sim_ports, plus the exposure map; memory: the edges and the rows
 * of one group at a time.  Nothing is per resource pair.
 */
#include "sim/graph.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const enum sim_service services[] = {SVC_ECR, SVC_S3, SVC_LOGS};
#define N_FIXED 4 /* vertices of the internet and the three services */

/* ---- igraph errors ---------------------------------------------------- */

static char igraph_msg[256] = "igraph failed";

static void keep_igraph_error(const char *reason, const char *file, int line,
			      igraph_error_t err)
{
	(void)file;
	(void)line;
	snprintf(igraph_msg, sizeof(igraph_msg), "igraph: %s (%s)",
		 reason ? reason : "error", igraph_strerror(err));
	/* What the failing call had allocated is freed here, as igraph's
	 * own non-aborting handlers do. */
	IGRAPH_FINALLY_FREE();
}

void graph_igraph_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	igraph_set_error_handler(keep_igraph_error);
	/* GraphML export names vertices and edges through igraph's C
	 * attribute handler, which must be in place before a graph is made. */
	igraph_set_attribute_table(&igraph_cattribute_table);
}

const char *graph_igraph_error(void)
{
	return igraph_msg;
}

/* ---- VPCs that can route to each other -------------------------------- */

/*
 * Which VPCs one connection can cross into: over a peering its subnets'
 * route tables use, to a load balancer's targets, or anywhere through a
 * transit gateway or an instance (which the engine does not follow, so
 * they count as reaching every VPC).  Index nv stands for placements
 * whose subnet has no VPC, which reaches and is reached by every VPC.
 */
struct vpc_links {
	uint32_t nv;
	uint32_t *first, *to; /* CSR over nv + 1 VPCs */
	bool *wild;	      /* reaches every VPC */
};

/* Fleets (Auto Scaling groups, Lambda functions) hold placements and
 * route nothing; classic load balancers are load balancers. */
_Static_assert(MK_KIND_COUNT == 17,
	       "a new kind of object: decide in vpc_links whether it carries "
	       "connections across VPCs");

static uint32_t vpc_of_subnet(const struct model *m, uint32_t subnet)
{
	uint32_t v = m->subnets[subnet].vpc;
	return v == MODEL_NONE || v >= m->n[MK_VPC] ? m->n[MK_VPC] : v;
}

struct pair_list {
	uint32_t (*v)[2];
	uint32_t n, cap;
};

static void pair_push(struct pair_list *l, uint32_t a, uint32_t b)
{
	if (a == b)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n][0] = a;
	l->v[l->n][1] = b;
	l->n++;
}

static void route_links(const struct model *m, struct vpc_links *L,
			struct pair_list *pl)
{
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++) {
		uint32_t a = vpc_of_subnet(m, s);
		uint32_t t = m->subnets[s].route_table;
		if (t == MODEL_NONE || t >= m->n[MK_ROUTE_TABLE])
			continue;
		const struct model_route_table *rt = &m->route_tables[t];
		for (uint32_t i = 0; i < rt->n_routes; i++) {
			const struct model_route *r = &rt->routes[i];
			switch (r->target) {
			case RT_LOCAL:
			case RT_IGW:
			case RT_EIGW:
			case RT_NAT:
			case RT_ENDPOINT:
			case RT_BLACKHOLE:
				break; /* no other VPC's private address */
			case RT_PEERING: {
				if (r->target_index >= m->n[MK_PEERING]) {
					L->wild[a] = true;
					break;
				}
				const struct model_peering *p =
				    &m->peerings[r->target_index];
				uint32_t o = p->requester == (uint32_t)a
						 ? p->accepter
						 : p->requester;
				if (o != MODEL_NONE && o < m->n[MK_VPC])
					pair_push(pl, a, o);
				break;
			}
			default:
				L->wild[a] = true;
				break;
			}
		}
	}
}

/* A load balancer reaches the VPCs of every target its listeners name. */
static void lb_links(const struct model *m, struct pair_list *pl)
{
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER]; l++) {
		uint32_t nn;
		const struct model_placement *nodes =
		    model_placements(m, MK_LOAD_BALANCER, l, &nn);
		if (!nn)
			continue;
		uint32_t a = vpc_of_subnet(m, nodes[0].subnet);
		struct sim_fwds fw = {0};
		for (uint32_t li = 0; li < m->lbs[l].n_listeners; li++)
			for (uint32_t n = 0; n < nn; n++)
				sim_lb_forwards(
				    m, l, li,
				    (uint32_t)(&nodes[n] - m->placements), &fw);
		for (uint32_t i = 0; i < fw.n; i++)
			if (fw.v[i].target.placement != MODEL_NONE)
				pair_push(
				    pl, a,
				    vpc_of_subnet(
					m,
					m->placements[fw.v[i].target.placement]
					    .subnet));
		sim_fwds_free(&fw);
	}
}

static void vpc_links_init(struct vpc_links *L, const struct model *m)
{
	uint32_t nv = m->n[MK_VPC];
	struct pair_list pl = {0};
	L->nv = nv;
	L->wild = xcalloc(nv + 1, sizeof(bool));
	L->wild[nv] = true; /* no VPC: not routed by VPC, keep everything */
	route_links(m, L, &pl);
	lb_links(m, &pl);
	L->first = xcalloc(nv + 2, sizeof(uint32_t));
	L->to = xcalloc(pl.n + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < pl.n; i++)
		L->first[pl.v[i][0] + 1]++;
	for (uint32_t v = 0; v <= nv; v++)
		L->first[v + 1] += L->first[v];
	uint32_t *fill = xcalloc(nv + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < pl.n; i++) {
		uint32_t a = pl.v[i][0];
		L->to[L->first[a] + fill[a]++] = pl.v[i][1];
	}
	free(fill);
	free(pl.v);
}

static void vpc_links_free(struct vpc_links *L)
{
	free(L->first);
	free(L->to);
	free(L->wild);
}

/* Breadth-first hop counts over the links from the marked VPCs (forward,
 * or backward when back): dist[] of nv + 1 entries, UINT32_MAX unreached.
 * A wild VPC reaches every other one in one hop. */
static void vpc_dist(const struct vpc_links *L, const bool *start, bool back,
		     uint32_t *dist)
{
	uint32_t n = L->nv + 1, head = 0, tail = 0;
	uint32_t *queue = xcalloc(n + 1, sizeof(uint32_t));
	/* Backward: the links reversed (CSR). */
	uint32_t *rf = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t *rt = xcalloc(L->first[n] + 1, sizeof(uint32_t));
	for (uint32_t k = 0; k < L->first[n]; k++)
		rf[L->to[k] + 1]++;
	for (uint32_t v = 0; v + 1 < n + 1; v++)
		rf[v + 1] += rf[v];
	uint32_t *fill = xcalloc(n + 1, sizeof(uint32_t));
	for (uint32_t u = 0; u < n; u++)
		for (uint32_t k = L->first[u]; k < L->first[u + 1]; k++)
			rt[rf[L->to[k]] + fill[L->to[k]]++] = u;
	free(fill);
	for (uint32_t v = 0; v < n; v++) {
		dist[v] = start[v] ? 0 : UINT32_MAX;
		if (start[v])
			queue[tail++] = v;
	}
	bool spread = false; /* a wild VPC's hop to everything is done */
	while (head < tail) {
		uint32_t u = queue[head++];
		const uint32_t *adj = back ? &rt[rf[u]] : &L->to[L->first[u]];
		uint32_t na =
		    back ? rf[u + 1] - rf[u] : L->first[u + 1] - L->first[u];
		for (uint32_t k = 0; k < na; k++)
			if (dist[adj[k]] == UINT32_MAX) {
				dist[adj[k]] = dist[u] + 1;
				queue[tail++] = adj[k];
			}
		/* Forward from a wild VPC, or backward into any wild one. */
		if (!spread && (back || L->wild[u])) {
			spread = !back;
			for (uint32_t w = 0; w < n; w++)
				if (dist[w] == UINT32_MAX &&
				    (!back || L->wild[w])) {
					dist[w] = dist[u] + 1;
					queue[tail++] = w;
				}
			if (back)
				spread = true;
		}
	}
	free(queue);
	free(rf);
	free(rt);
}

/* The VPCs of a node's placements into mark[]; false for the internet and
 * the services, which have none. */
static bool node_vpcs(const struct model *m, const struct reach_node *x,
		      bool *mark)
{
	if (x->kind != RN_RESOURCE)
		return false;
	uint32_t np;
	const struct model_placement *p =
	    model_placements(m, x->rkind, x->rindex, &np);
	for (uint32_t i = 0; i < np; i++)
		mark[vpc_of_subnet(m, p[i].subnet)] = true;
	return true;
}

bool graph_chain_scope(bool *scope, const struct reach_index *ix,
		       const struct reach_node *from,
		       const struct reach_node *to, uint32_t hops)
{
	const struct model *m = sim_model(reach_index_sim(ix));
	uint32_t nv = m->n[MK_VPC];
	for (uint32_t v = 0; v < nv; v++)
		scope[v] = true;
	/* Placements outside any VPC: every pair is evaluated. */
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++)
		if (vpc_of_subnet(m, s) == nv)
			return false;
	struct vpc_links L;
	vpc_links_init(&L, m);
	bool *fs = xcalloc(nv + 1, sizeof(bool));
	bool *ts = xcalloc(nv + 1, sizeof(bool));
	uint32_t *fd = xcalloc(nv + 1, sizeof(uint32_t));
	uint32_t *bd = xcalloc(nv + 1, sizeof(uint32_t));
	bool fres = node_vpcs(m, from, fs), tres = node_vpcs(m, to, ts);
	vpc_dist(&L, fs, false, fd);
	vpc_dist(&L, ts, true, bd);
	for (uint32_t v = 0; v < nv; v++) {
		/* The internet reaches any VPC in one hop, and any VPC may
		 * reach the internet or a service in one. */
		uint32_t f = !fres ? 1 : fd[v] == UINT32_MAX ? hops + 1 : fd[v];
		uint32_t b = !tres ? 1 : bd[v] == UINT32_MAX ? hops + 1 : bd[v];
		scope[v] =
		    fs[v] || ts[v] || (f > 1 ? f : 1) + (b > 1 ? b : 1) <= hops;
	}
	free(fs);
	free(ts);
	free(fd);
	free(bd);
	vpc_links_free(&L);
	return true;
}

/* ---- building ----------------------------------------------------------- */

/* A resource of the graph, while it is built. */
struct res {
	struct reach_node n;
	bool unique; /* no twin: a load balancer or a forward's target */
	bool quiet;  /* opens no connection */
	uint32_t cls_first, n_cls; /* its sorted classes in b->cls */
	uint32_t vertex;
};

struct builder {
	struct graph *g;
	const struct model *m;
	const struct reach_index *ix;
	const struct sim *s;
	const bool *scope;
	struct res *res; /* model order */
	uint32_t n_res;
	uint32_t *res_of[MK_KIND_COUNT]; /* resource -> index in res */
	uint32_t *cls;
	uint32_t n_lbs, *lb_res;  /* load balancers (index in res) */
	struct reach_table *lb_t; /* their forwards, [2 * lb + proto] */
	struct vpc_links links;
	uint32_t *dest_first, *dest; /* per VPC: the VPCs its classes reach */
	uint32_t n_classes;
	uint32_t *class_vpc; /* per class, or UINT32_MAX out of scope */
	uint32_t *vpc_class_first, *vpc_classes; /* classes by VPC (CSR) */
	uint32_t *vertex_cls;			 /* classes of a vertex */
	struct graph_edge *edges;
	uint32_t n_edges, cap_edges;
	bool failed;
};

static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};

static bool in_scope(const struct builder *b, const struct model_placement *p)
{
	if (!b->scope)
		return true;
	uint32_t v = vpc_of_subnet(b->m, p->subnet);
	return v < b->m->n[MK_VPC] && b->scope[v];
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts and dedupes v[0..n); returns the new count. */
static uint32_t sort_unique(uint32_t *v, uint32_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(uint32_t), u32_cmp);
	uint32_t u = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!u || v[i] != v[u - 1])
			v[u++] = v[i];
	return u;
}

static void table_init(uint32_t *t[MK_KIND_COUNT], const struct model *m)
{
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		t[k] = xcalloc(m->n[k] + 1, sizeof(uint32_t));
		for (uint32_t i = 0; i <= m->n[k]; i++)
			t[k][i] = UINT32_MAX;
	}
}

static void table_free(uint32_t *t[MK_KIND_COUNT])
{
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		free(t[k]);
		t[k] = NULL;
	}
}

static uint32_t *slot(uint32_t *const t[MK_KIND_COUNT],
		      const struct reach_node *n)
{
	return &t[n->rkind][n->rindex];
}

/* The resources of the graph, in model order, each with its classes. */
static void collect_resources(struct builder *b)
{
	const struct model *m = b->m;
	uint32_t cap = 0, n_cls = 0, cap_cls = 0;
	table_init(b->res_of, m);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t np;
			const struct model_placement *p =
			    model_placements(m, k, i, &np);
			if (!np || !in_scope(b, &p[0]))
				continue;
			if (b->n_res == cap) {
				cap = cap ? 2 * cap : 64;
				b->res =
				    xreallocarray(b->res, cap, sizeof(*b->res));
			}
			b->res_of[k][i] = b->n_res;
			struct res *r = &b->res[b->n_res++];
			memset(r, 0, sizeof(*r));
			r->n = (struct reach_node){
			    .kind = RN_RESOURCE, .rkind = k, .rindex = i};
			r->quiet = k == MK_NAT_GATEWAY || k == MK_VPC_ENDPOINT;
			r->unique = k == MK_LOAD_BALANCER;
			if (n_cls + np > cap_cls) {
				cap_cls = 2 * (n_cls + np);
				b->cls = xreallocarray(b->cls, cap_cls,
						       sizeof(*b->cls));
			}
			r->cls_first = n_cls;
			for (uint32_t j = 0; j < np; j++)
				b->cls[n_cls + j] = reach_index_class_of(
				    b->ix, (uint32_t)(&p[j] - m->placements));
			r->n_cls = sort_unique(&b->cls[n_cls], np);
			n_cls += r->n_cls;
		}
}

/* Every load balancer's forwards (both protocols); their targets have no
 * twin, since a forward names them one by one. */
static void lb_forwards(struct builder *b)
{
	for (uint32_t r = 0; r < b->n_res; r++)
		b->n_lbs += b->res[r].n.rkind == MK_LOAD_BALANCER;
	b->lb_res = xcalloc(b->n_lbs + 1, sizeof(uint32_t));
	b->lb_t = xcalloc(2 * (size_t)b->n_lbs + 1, sizeof(*b->lb_t));
	uint32_t k = 0;
	for (uint32_t r = 0; r < b->n_res; r++) {
		if (b->res[r].n.rkind != MK_LOAD_BALANCER)
			continue;
		b->lb_res[k] = r;
		for (size_t p = 0; p < ARRAY_LEN(protos); p++) {
			struct reach_table *t = &b->lb_t[2 * k + p];
			reach_forwards(t, b->ix, b->res[r].n.rindex, protos[p]);
			for (uint32_t i = 0; i < t->n; i++) {
				uint32_t d = *slot(b->res_of, &t->rows[i].dst);
				if (d != UINT32_MAX)
					b->res[d].unique = true;
			}
		}
		k++;
	}
}

static const struct builder *key_builder; /* qsort has no context */

static bool same_twins(const struct builder *b, uint32_t i, uint32_t j)
{
	const struct res *x = &b->res[i], *y = &b->res[j];
	return !x->unique && !y->unique && x->quiet == y->quiet &&
	       x->n_cls == y->n_cls &&
	       !memcmp(&b->cls[x->cls_first], &b->cls[y->cls_first],
		       x->n_cls * sizeof(uint32_t));
}

static int res_key_cmp(const void *a, const void *c)
{
	const struct builder *b = key_builder;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)c;
	const struct res *x = &b->res[i], *y = &b->res[j];
	/* Unique resources sort apart, by position: groups of one. */
	if (x->unique != y->unique)
		return x->unique ? 1 : -1;
	if (!x->unique) {
		if (x->quiet != y->quiet)
			return x->quiet ? 1 : -1;
		if (x->n_cls != y->n_cls)
			return x->n_cls < y->n_cls ? -1 : 1;
		int d = memcmp(&b->cls[x->cls_first], &b->cls[y->cls_first],
			       x->n_cls * sizeof(uint32_t));
		for (uint32_t k = 0; d && k < x->n_cls; k++) {
			uint32_t p = b->cls[x->cls_first + k],
				 q = b->cls[y->cls_first + k];
			if (p != q)
				return p < q ? -1 : 1;
		}
	}
	return (i > j) - (i < j);
}

static int name_cmp(const void *a, const void *c)
{
	const struct builder *b = key_builder;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)c;
	int d = strcmp(reach_node_name(b->s, &b->res[i].n),
		       reach_node_name(b->s, &b->res[j].n));
	if (d)
		return d;
	return (i > j) - (i < j);
}

/* Groups of twins become vertices, in model order of their first member;
 * members by name. */
static void make_vertices(struct builder *b)
{
	struct graph *g = b->g;
	uint32_t n = b->n_res;
	uint32_t *order = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t *by_name = xcalloc(n + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++)
		order[i] = by_name[i] = i;
	key_builder = b;
	if (n) {
		qsort(order, n, sizeof(uint32_t), res_key_cmp);
		qsort(by_name, n, sizeof(uint32_t), name_cmp);
	}
	for (uint32_t i = 0; i < n; i++)
		*slot(g->rank, &b->res[by_name[i]].n) = i;
	/* Runs of one key are groups; a run is in model order, so its
	 * first resource is its lowest. */
	uint32_t *group_of = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t *first = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t n_groups = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (i == 0 || !same_twins(b, order[i - 1], order[i]))
			first[n_groups++] = order[i];
		group_of[order[i]] = n_groups - 1;
	}
	uint32_t *sorted = xcalloc(n_groups + 1, sizeof(uint32_t));
	uint32_t *vert = xcalloc(n_groups + 1, sizeof(uint32_t));
	memcpy(sorted, first, n_groups * sizeof(uint32_t));
	if (n_groups)
		qsort(sorted, n_groups, sizeof(uint32_t), u32_cmp);
	for (uint32_t k = 0; k < n_groups; k++)
		vert[group_of[sorted[k]]] = N_FIXED + k;

	g->n_nodes = N_FIXED + n_groups;
	g->nodes = xcalloc(g->n_nodes, sizeof(*g->nodes));
	g->nodes[0] = (struct reach_node){.kind = RN_INTERNET};
	for (size_t i = 0; i < ARRAY_LEN(services); i++)
		g->nodes[1 + i] = (struct reach_node){.kind = RN_SERVICE,
						      .service = services[i]};
	b->vertex_cls = xcalloc(g->n_nodes, sizeof(uint32_t));
	for (uint32_t k = 0; k < n_groups; k++) {
		g->nodes[N_FIXED + k] = b->res[sorted[k]].n;
		b->vertex_cls[N_FIXED + k] = b->res[sorted[k]].n_cls;
	}
	b->vertex_cls[0] = b->vertex_cls[1] = b->vertex_cls[2] =
	    b->vertex_cls[3] = 1;
	g->member_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t r = 0; r < n; r++) {
		b->res[r].vertex = vert[group_of[r]];
		g->member_first[b->res[r].vertex + 1]++;
	}
	for (uint32_t v = 0; v < g->n_nodes; v++)
		g->member_first[v + 1] += g->member_first[v];
	g->n_members = n;
	g->members = xcalloc(n + 1, sizeof(*g->members));
	uint32_t *fill = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		const struct res *r = &b->res[by_name[i]];
		uint32_t at = g->member_first[r->vertex] + fill[r->vertex]++;
		g->members[at] = r->n;
		*slot(g->member_of, &r->n) = at;
		*slot(g->vertex_of, &r->n) = r->vertex;
	}
	free(fill);
	free(order);
	free(by_name);
	free(group_of);
	free(first);
	free(sorted);
	free(vert);
}

/* The order reach_from makes rows in: a resource's first placement among
 * the classes' members. */
static void row_positions(struct builder *b)
{
	const struct model *m = b->m;
	uint32_t pos = 0;
	for (uint32_t c = 0; c < b->n_classes; c++) {
		uint32_t n;
		const uint32_t *mem = reach_index_class_members(b->ix, c, &n);
		for (uint32_t k = 0; k < n; k++, pos++) {
			const struct model_placement *p =
			    &m->placements[mem[k]];
			uint32_t *rp = &b->g->row_pos[p->kind][p->index];
			if (*rp == UINT32_MAX)
				*rp = pos;
		}
	}
}

/* ---- edges -------------------------------------------------------------- */

/* A new edge; NULL when memory ran out (b->failed). */
static struct graph_edge *new_edge(struct builder *b, uint32_t from,
				   uint32_t to)
{
	if (b->n_edges == b->cap_edges) {
		uint32_t cap = b->cap_edges ? 2 * b->cap_edges : 256;
		struct graph_edge *e =
		    cap > b->cap_edges
			? reallocarray(b->edges, cap, sizeof(*b->edges))
			: NULL;
		if (!e) {
			b->failed = true;
			return NULL;
		}
		b->edges = e;
		b->cap_edges = cap;
	}
	struct graph_edge *e = &b->edges[b->n_edges++];
	memset(e, 0, sizeof(*e));
	e->from = from;
	e->to = to;
	return e;
}

static void edge_free(struct graph_edge *e)
{
	ports_free(&e->tcp_all);
	ports_free(&e->tcp_some);
	ports_free(&e->udp_all);
	ports_free(&e->udp_some);
}

/* Unions reach row r's ports (protocol protos[p]) into edge e. */
static void edge_add_row(struct graph_edge *e, size_t p,
			 const struct reach_row *r)
{
	struct ports *all = p ? &e->udp_all : &e->tcp_all;
	struct ports *some = p ? &e->udp_some : &e->tcp_some;
	ports_union(all, all, &r->all);
	ports_union(some, some, &r->some);
	e->degraded |= r->degraded;
}

/* The internet's edges: reach_from(internet) has one row per resource,
 * the same for twins; the first member's is taken.  Where a placement
 * has an IPv6 address the internet may reach, the IPv6 internet's rows
 * (a question of its own, §2) join the same edges: an exposure over IPv6
 * is one (a database public over IPv6 only is exposed too). */
static void internet_edges(struct builder *b)
{
	struct graph *g = b->g;
	const struct model *m = b->m;
	uint32_t *at = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++)
		at[v] = UINT32_MAX;
	bool any6 = false;
	for (uint32_t i = 0; i < m->n_placements_total && !any6; i++)
		any6 =
		    m->placements[i].has_ipv6 && m->placements[i].ipv6_public;
	for (int v6 = 0; v6 <= (int)any6; v6++)
		for (size_t p = 0; p < ARRAY_LEN(protos) && !b->failed; p++) {
			struct sim_sel inet = {.kind = SEL_INTERNET,
					       .addr = SIM_INTERNET_ADDR};
			if (v6) {
				inet.v6 = true;
				memcpy(inet.addr6, sim_internet6, 16);
			}
			struct reach_table t;
			reach_from(&t, b->ix, &inet, protos[p], false);
			for (uint32_t i = 0; i < t.n; i++) {
				const struct reach_row *r = &t.rows[i];
				uint32_t v = graph_vertex(g, &r->dst);
				if (v == UINT32_MAX ||
				    *slot(g->member_of, &r->dst) !=
					g->member_first[v])
					continue;
				if (at[v] == UINT32_MAX) {
					if (!new_edge(b, 0, v))
						break;
					at[v] = b->n_edges - 1;
				}
				edge_add_row(&b->edges[at[v]], p, r);
			}
			reach_table_free(&t);
		}
	free(at);
}

/* A load balancer's forwards: its rows, tcp then udp, in order. */
static void forward_edges(struct builder *b)
{
	struct graph *g = b->g;
	uint32_t *at = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	uint32_t *stamp = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t k = 0; k < b->n_lbs && !b->failed; k++) {
		uint32_t from = b->res[b->lb_res[k]].vertex, order = 0;
		for (size_t p = 0; p < ARRAY_LEN(protos) && !b->failed; p++) {
			const struct reach_table *t = &b->lb_t[2 * k + p];
			for (uint32_t i = 0; i < t->n; i++) {
				const struct reach_row *r = &t->rows[i];
				uint32_t to = graph_vertex(g, &r->dst);
				if (to == UINT32_MAX || to == from)
					continue;
				if (stamp[to] != k + 1) {
					if (!new_edge(b, from, to))
						break;
					stamp[to] = k + 1;
					at[to] = b->n_edges - 1;
					b->edges[at[to]].forward = true;
					b->edges[at[to]].order = order++;
				}
				edge_add_row(&b->edges[at[to]], p, r);
			}
		}
	}
	free(at);
	free(stamp);
}

/* One class row: what class c reaches, by destination (a class, or
 * n_classes + k for vertex k: the internet and the services). */
struct row_entry {
	uint32_t d;
	bool degraded;
	struct ports p;
};

struct class_row {
	struct row_entry *v[2]; /* per proto */
	uint32_t n[2], cap[2];
	uint32_t uses; /* source groups still to fold it */
	bool done;
};

static void row_push(struct class_row *r, size_t p, uint32_t d,
		     const struct ports *ports, bool degraded)
{
	if (r->n[p] == r->cap[p]) {
		r->cap[p] = r->cap[p] ? 2 * r->cap[p] : 8;
		r->v[p] = xreallocarray(r->v[p], r->cap[p], sizeof(*r->v[p]));
	}
	struct row_entry *x = &r->v[p][r->n[p]++];
	x->d = d;
	x->degraded = degraded && !ports_empty(ports);
	ports_init(&x->p);
	ports_copy(&x->p, ports);
}

static void class_row_free(struct class_row *r)
{
	for (int p = 0; p < 2; p++) {
		for (uint32_t i = 0; i < r->n[p]; i++)
			ports_free(&r->v[p][i].p);
		free(r->v[p]);
		r->v[p] = NULL;
		r->n[p] = r->cap[p] = 0;
	}
}

/* sim_ports from placement src to dst, into row r when anything reaches. */
static void row_eval(struct builder *b, struct class_row *r, size_t p,
		     const struct sim_ep *src, const struct sim_ep *dst,
		     uint32_t d, struct ports *got)
{
	struct sim_result res;
	sim_ports(b->s, src, dst, protos[p], got, &res);
	if (!ports_empty(got))
		row_push(r, p, d, got, res.degraded);
	sim_result_free(&res);
}

/* Evaluates class c's row: the internet, the services, then every class
 * of the VPCs its own can route to (b->dest). */
static void class_row(struct builder *b, uint32_t c, struct class_row *r)
{
	uint32_t n;
	const uint32_t *mem = reach_index_class_members(b->ix, c, &n);
	struct sim_ep src = {.kind = EP_PLACEMENT, .placement = mem[0]};
	struct ports got = PORTS_INIT;
	uint32_t a = b->class_vpc[c];
	for (size_t p = 0; p < ARRAY_LEN(protos); p++) {
		struct sim_ep inet = {.kind = EP_INTERNET,
				      .addr = SIM_INTERNET_ADDR};
		row_eval(b, r, p, &src, &inet, b->n_classes, &got);
		for (size_t k = 0; k < ARRAY_LEN(services); k++) {
			struct sim_ep svc = {.kind = EP_SERVICE,
					     .service = services[k]};
			row_eval(b, r, p, &src, &svc,
				 b->n_classes + 1 + (uint32_t)k, &got);
		}
		for (uint32_t i = b->dest_first[a]; i < b->dest_first[a + 1];
		     i++) {
			uint32_t w = b->dest[i];
			for (uint32_t k = b->vpc_class_first[w];
			     k < b->vpc_class_first[w + 1]; k++) {
				uint32_t d = b->vpc_classes[k], dn;
				const uint32_t *dm =
				    reach_index_class_members(b->ix, d, &dn);
				struct sim_ep dst = {.kind = EP_PLACEMENT,
						     .placement = dm[0]};
				row_eval(b, r, p, &src, &dst, d, &got);
			}
		}
	}
	ports_free(&got);
	r->done = true;
}

/* Classes by VPC, each class's VPC (UINT32_MAX: out of scope), and for
 * each VPC the VPCs its classes are evaluated against. */
static void classes_by_vpc(struct builder *b)
{
	const struct model *m = b->m;
	const struct vpc_links *L = &b->links;
	uint32_t nv = L->nv + 1;
	b->class_vpc = xcalloc(b->n_classes + 1, sizeof(uint32_t));
	b->vpc_class_first = xcalloc(nv + 1, sizeof(uint32_t));
	b->vpc_classes = xcalloc(b->n_classes + 1, sizeof(uint32_t));
	for (uint32_t c = 0; c < b->n_classes; c++) {
		uint32_t n;
		const uint32_t *mem = reach_index_class_members(b->ix, c, &n);
		const struct model_placement *p = &m->placements[mem[0]];
		b->class_vpc[c] =
		    in_scope(b, p) ? vpc_of_subnet(m, p->subnet) : UINT32_MAX;
		if (b->class_vpc[c] != UINT32_MAX)
			b->vpc_class_first[b->class_vpc[c] + 1]++;
	}
	for (uint32_t v = 0; v < nv; v++)
		b->vpc_class_first[v + 1] += b->vpc_class_first[v];
	uint32_t *fill = xcalloc(nv + 1, sizeof(uint32_t));
	for (uint32_t c = 0; c < b->n_classes; c++) {
		uint32_t v = b->class_vpc[c];
		if (v != UINT32_MAX)
			b->vpc_classes[b->vpc_class_first[v] + fill[v]++] = c;
	}
	free(fill);
	/* Destinations: its own VPC, its links and the no-VPC classes; a
	 * wild VPC (and the no-VPC one) every VPC. */
	uint32_t cap = 0, n = 0;
	b->dest_first = xcalloc(nv + 1, sizeof(uint32_t));
	for (uint32_t a = 0; a < nv; a++) {
		uint32_t k =
		    L->wild[a] ? nv : 2 + L->first[a + 1] - L->first[a];
		if (n + k > cap) {
			cap = 2 * (n + k);
			b->dest = xreallocarray(b->dest, cap, sizeof(uint32_t));
		}
		b->dest_first[a] = n;
		if (L->wild[a]) {
			for (uint32_t w = 0; w < nv; w++)
				b->dest[n + w] = w;
		} else {
			b->dest[n] = a;
			b->dest[n + 1] = nv - 1;
			memcpy(&b->dest[n + 2], &L->to[L->first[a]],
			       (k - 2) * sizeof(uint32_t));
		}
		n += sort_unique(&b->dest[n], k);
	}
	b->dest_first[nv] = n;
}

/* Per destination vertex while one group's rows are folded. */
struct fold {
	struct graph_edge e;
	uint32_t pairs[2]; /* class pairs reached, per proto */
	bool used;
};

static void fold_entry(struct fold *f, size_t p, const struct row_entry *x)
{
	struct ports *all = p ? &f->e.udp_all : &f->e.tcp_all;
	struct ports *some = p ? &f->e.udp_some : &f->e.tcp_some;
	if (f->pairs[p]++ == 0)
		ports_copy(all, &x->p);
	else
		ports_intersect(all, all, &x->p);
	ports_union(some, some, &x->p);
	f->e.degraded |= x->degraded;
	f->used = true;
}

/* The vertices holding each class's placements (CSR over classes). */
static void class_vertices(struct builder *b, uint32_t **first_out,
			   uint32_t **v_out)
{
	uint32_t nc = b->n_classes;
	uint32_t *first = xcalloc(nc + 2, sizeof(uint32_t));
	for (uint32_t r = 0; r < b->n_res; r++)
		for (uint32_t k = 0; k < b->res[r].n_cls; k++)
			first[b->cls[b->res[r].cls_first + k] + 1]++;
	for (uint32_t c = 0; c < nc; c++)
		first[c + 1] += first[c];
	uint32_t *v = xcalloc(first[nc] + 1, sizeof(uint32_t));
	uint32_t *fill = xcalloc(nc + 1, sizeof(uint32_t));
	for (uint32_t r = 0; r < b->n_res; r++)
		for (uint32_t k = 0; k < b->res[r].n_cls; k++) {
			uint32_t c = b->cls[b->res[r].cls_first + k];
			v[first[c] + fill[c]++] = b->res[r].vertex;
		}
	/* Twins put their vertex in a class more than once: keep one, and
	 * close the gaps. */
	uint32_t out = 0;
	for (uint32_t c = 0; c < nc; c++) {
		uint32_t lo = first[c], u = sort_unique(&v[lo], fill[c]);
		memmove(&v[out], &v[lo], u * sizeof(uint32_t));
		first[c] = out;
		out += u;
	}
	first[nc] = out;
	free(fill);
	*first_out = first;
	*v_out = v;
}

/* Folds source vertex v's class rows (x is its first member) into edges,
 * in destination order. */
static void fold_group(struct builder *b, uint32_t v, const struct res *x,
		       struct class_row *rows, const uint32_t *cv_first,
		       const uint32_t *cv, struct fold *acc, uint32_t *touched)
{
	struct graph *g = b->g;
	uint32_t nc = b->n_classes, n_touched = 0;
	uint32_t size = g->member_first[v + 1] - g->member_first[v];
	for (uint32_t k = 0; k < x->n_cls; k++) {
		uint32_t c = b->cls[x->cls_first + k];
		if (!rows[c].done)
			class_row(b, c, &rows[c]);
		for (size_t p = 0; p < 2; p++)
			for (uint32_t i = 0; i < rows[c].n[p]; i++) {
				const struct row_entry *e = &rows[c].v[p][i];
				bool fixed = e->d >= nc;
				uint32_t lo = fixed ? 0 : cv_first[e->d];
				uint32_t hi = fixed ? 1 : cv_first[e->d + 1];
				for (uint32_t j = lo; j < hi; j++) {
					uint32_t w = fixed ? e->d - nc : cv[j];
					/* x -> x is no edge: one member, no
					 * edge to itself. */
					if (w == v && size < 2)
						continue;
					if (!acc[w].used)
						touched[n_touched++] = w;
					fold_entry(&acc[w], p, e);
				}
			}
	}
	for (uint32_t k = 0; k < x->n_cls; k++) {
		struct class_row *r = &rows[b->cls[x->cls_first + k]];
		if (--r->uses == 0)
			class_row_free(r);
	}
	if (n_touched > 1)
		qsort(touched, n_touched, sizeof(uint32_t), u32_cmp);
	for (uint32_t t = 0; t < n_touched; t++) {
		struct fold *f = &acc[touched[t]];
		/* all: every class pair of the two vertices reaches. */
		uint32_t need = x->n_cls * b->vertex_cls[touched[t]];
		for (int p = 0; p < 2; p++)
			if (f->pairs[p] < need)
				ports_clear(p ? &f->e.udp_all : &f->e.tcp_all);
		struct graph_edge *e =
		    b->failed ? NULL : new_edge(b, v, touched[t]);
		if (e) {
			f->e.from = v;
			f->e.to = touched[t];
			*e = f->e;
		} else {
			edge_free(&f->e);
		}
		memset(f, 0, sizeof(*f));
	}
}

/* The edges of every group that opens connections. */
static void group_edges(struct builder *b)
{
	struct graph *g = b->g;
	uint32_t nc = b->n_classes, *cv_first, *cv;
	class_vertices(b, &cv_first, &cv);
	struct class_row *rows = xcalloc(nc + 1, sizeof(*rows));
	uint32_t *src = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++)
		src[v] = UINT32_MAX;
	for (uint32_t r = 0; r < b->n_res; r++) {
		const struct res *x = &b->res[r];
		if (x->quiet || x->n.rkind == MK_LOAD_BALANCER ||
		    src[x->vertex] != UINT32_MAX)
			continue;
		src[x->vertex] = r;
		for (uint32_t k = 0; k < x->n_cls; k++)
			rows[b->cls[x->cls_first + k]].uses++;
	}
	struct fold *acc = xcalloc(g->n_nodes + 1, sizeof(*acc));
	uint32_t *touched = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = N_FIXED; v < g->n_nodes && !b->failed; v++)
		if (src[v] != UINT32_MAX)
			fold_group(b, v, &b->res[src[v]], rows, cv_first, cv,
				   acc, touched);
	for (uint32_t c = 0; c < nc; c++)
		class_row_free(&rows[c]);
	for (uint32_t v = 0; v < g->n_nodes; v++)
		edge_free(&acc[v].e);
	free(rows);
	free(src);
	free(acc);
	free(touched);
	free(cv_first);
	free(cv);
}

static int edge_cmp(const void *a, const void *c)
{
	const struct graph_edge *x = a, *y = c;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (x->to > y->to) - (x->to < y->to);
}

/* Edges sorted by (from, to), and the adjacency both ways. */
static void index_edges(struct graph *g)
{
	if (g->n_edges > 1)
		qsort(g->edges, g->n_edges, sizeof(*g->edges), edge_cmp);
	g->out_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	g->in_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	g->in_e = xcalloc(g->n_edges + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < g->n_edges; e++) {
		g->out_first[g->edges[e].from + 1]++;
		g->in_first[g->edges[e].to + 1]++;
	}
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		g->out_first[v + 1] += g->out_first[v];
		g->in_first[v + 1] += g->in_first[v];
	}
	uint32_t *fill = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < g->n_edges; e++) {
		uint32_t t = g->edges[e].to;
		g->in_e[g->in_first[t] + fill[t]++] = e;
	}
	free(fill);
}

static void builder_free(struct builder *b)
{
	table_free(b->res_of);
	free(b->res);
	free(b->cls);
	for (uint32_t k = 0; k < 2 * b->n_lbs; k++)
		reach_table_free(&b->lb_t[k]);
	free(b->lb_t);
	free(b->lb_res);
	vpc_links_free(&b->links);
	free(b->dest_first);
	free(b->dest);
	free(b->class_vpc);
	free(b->vpc_class_first);
	free(b->vpc_classes);
	free(b->vertex_cls);
	for (uint32_t e = 0; e < b->n_edges; e++)
		edge_free(&b->edges[e]);
	free(b->edges);
}

int graph_build(struct graph **out, const struct reach_index *ix,
		const bool *scope)
{
	graph_igraph_init();
	struct builder b;
	memset(&b, 0, sizeof(b));
	struct graph *g = xcalloc(1, sizeof(*g));
	b.g = g;
	b.ix = ix;
	b.s = reach_index_sim(ix);
	b.m = sim_model(b.s);
	b.scope = scope;
	b.n_classes = reach_index_classes(ix);
	g->s = b.s;
	g->ix = ix;
	g->scoped = scope != NULL;
	table_init(g->vertex_of, b.m);
	table_init(g->member_of, b.m);
	table_init(g->rank, b.m);
	table_init(g->row_pos, b.m);
	vpc_links_init(&b.links, b.m);
	collect_resources(&b);
	lb_forwards(&b);
	make_vertices(&b);
	row_positions(&b);
	classes_by_vpc(&b);
	internet_edges(&b);
	forward_edges(&b);
	group_edges(&b);
	*out = g;
	if (b.failed) {
		snprintf(g->error, sizeof(g->error),
			 "out of memory for the graph's edges");
		builder_free(&b);
		return -1;
	}
	g->edges = b.edges;
	g->n_edges = b.n_edges;
	b.edges = NULL;
	b.n_edges = 0;
	builder_free(&b);
	index_edges(g);
	return 0;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	for (uint32_t e = 0; e < g->n_edges; e++)
		edge_free(&g->edges[e]);
	free(g->edges);
	free(g->nodes);
	free(g->member_first);
	free(g->members);
	free(g->out_first);
	free(g->in_first);
	free(g->in_e);
	table_free(g->vertex_of);
	table_free(g->member_of);
	table_free(g->rank);
	table_free(g->row_pos);
	free(g);
}

/* ---- lookups ------------------------------------------------------------ */

uint32_t graph_vertex(const struct graph *g, const struct reach_node *n)
{
	switch (n->kind) {
	case RN_INTERNET:
		return 0;
	case RN_SERVICE:
		for (size_t i = 0; i < ARRAY_LEN(services); i++)
			if (services[i] == n->service)
				return 1 + (uint32_t)i;
		return UINT32_MAX;
	case RN_RESOURCE:
		if (n->rkind >= MK_KIND_COUNT ||
		    n->rindex >= sim_model(g->s)->n[n->rkind])
			return UINT32_MAX;
		return g->vertex_of[n->rkind][n->rindex];
	}
	return UINT32_MAX;
}

uint32_t graph_member_index(const struct graph *g, const struct reach_node *n)
{
	if (n->kind != RN_RESOURCE || n->rkind >= MK_KIND_COUNT ||
	    n->rindex >= sim_model(g->s)->n[n->rkind])
		return UINT32_MAX;
	return g->member_of[n->rkind][n->rindex];
}

const struct reach_node *graph_members(const struct graph *g, uint32_t v,
				       uint32_t *n)
{
	if (v < N_FIXED) {
		*n = 1;
		return &g->nodes[v];
	}
	*n = g->member_first[v + 1] - g->member_first[v];
	return &g->members[g->member_first[v]];
}

const struct graph_edge *graph_edge_between(const struct graph *g,
					    uint32_t from, uint32_t to)
{
	if (from >= g->n_nodes)
		return NULL;
	uint32_t lo = g->out_first[from], hi = g->out_first[from + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->edges[mid].to < to)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->out_first[from + 1] && g->edges[lo].to == to
		   ? &g->edges[lo]
		   : NULL;
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

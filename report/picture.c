/*
 * Pictures of an estate, for `vpcsim graph`: DOT, Mermaid, GraphML, JSON
 * and SVG (docs/graph.md).
 *
 * The picture is the architecture the way the reference guide draws it
 * (section 7): boxes nested region > VPC > availability zone > subnet,
 * public and private subnets coloured apart, the resources in their
 * subnets, gateways on their VPC, the internet and the AWS services
 * outside, and the reachability graph's edges between them.
 *
 * What a node is comes from the view (sim/graph.h) at its level of
 * detail: a resource, a group of twins, a subnet's resources, a VPC's.
 * A resource or group may sit in several subnets (a load balancer has a
 * node in each, an ECS service or a database may land in any of its
 * subnets) and a box can hold a drawing only once.  So a node is drawn
 * once per subnet it has placements in: a "site"; a subnet's node once in
 * its subnet; a VPC's once in its VPC box (that level draws no AZ or
 * subnet boxes).  An edge X -> Y is drawn from every site of X to every
 * site of Y and labelled "(some placements)" when not every placement
 * pair reaches.
 *
 * A scene is computed once per picture:
 * - order[]: the subnets in drawing order, cut into AZ boxes (azs[], each
 *   VPC's from vpc_az_first);
 * - sites[], grouped by node (nsite_first / nsite_n) and in drawing order
 *   within a node, and the same sites grouped by box (by_box, box_first:
 *   subnets, then VPCs);
 * - exposed[n]: the internet reaches node n, and tier[n]: the row it is
 *   drawn in, both from the view of every edge (all), so every picture of
 *   an estate has the same layout whichever edges it draws;
 * - the drawn view: every edge, or those of one source, grouped by source
 *   (out_first), with an igraph graph of its own, so GraphML and the
 *   component count describe the picture.
 * DOT and Mermaid walk the same scene through a table of emitters, so both
 * show the same boxes, nodes and edges under the same ids.
 *
 * Ids are "<prefix><number>_<name>" with the name reduced to [A-Za-z0-9_].
 * The prefix (letters and a number, no '_') is unique per object, so ids
 * stay unique whatever the names and are Mermaid-safe even for Terraform's
 * "module.vpc.aws_subnet.private[0]".
 */
#include <gvc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/json.h"
#include "report/report.h"

#define ID_MAX	  256
#define LABEL_MAX 1024

/* ---- the scene ------------------------------------------------------- */

struct site {
	uint32_t node;
	uint32_t subnet; /* MODEL_NONE for a VPC's node */
	uint32_t vpc;	 /* a VPC's node: its VPC */
	bool has_public; /* some placement here holds a public address */
};

/* An availability zone of a VPC: its subnets are order[first..first+n). */
struct az_box {
	const char *name; /* "" when the model does not say */
	uint32_t first, n;
};

struct scene {
	const struct graph_view *all, *view; /* every edge; the drawn ones */
	const struct model *m;
	const struct reach_node *from; /* the only source drawn, or NULL */
	uint32_t internet;	       /* the internet's node, or UINT32_MAX */
	bool vpc_level;		       /* nodes sit in VPC boxes, no AZ boxes */
	bool *exposed;		       /* by node */
	uint32_t *tier;	      /* by node: 0 the internet, then row by row */
	uint32_t max_tier;    /* of the resources */
	uint32_t *order;      /* subnets: by VPC, AZ name, public first */
	uint32_t *subnet_pos; /* by subnet: its index in order */
	struct az_box *azs;
	uint32_t *vpc_az_first; /* by VPC, n_vpcs + 1 bounds into azs */
	struct site *sites;
	uint32_t n_sites;
	uint32_t *nsite_first, *nsite_n; /* by node */
	/* Sites by box: subnets 0..n_subnets-1, then VPCs (n_vpcs + 1 of
	 * them: the last for nodes without one); box_first bounds. */
	uint32_t *by_box;
	uint32_t *box_first;
};

static bool is_resource(const struct scene *sc, uint32_t node)
{
	return sc->all->nodes[node].n.kind == RN_RESOURCE;
}

static void scene_free(struct scene *sc)
{
	free(sc->exposed);
	free(sc->tier);
	free(sc->order);
	free(sc->subnet_pos);
	free(sc->azs);
	free(sc->vpc_az_first);
	free(sc->sites);
	free(sc->nsite_first);
	free(sc->nsite_n);
	free(sc->by_box);
	free(sc->box_first);
	memset(sc, 0, sizeof(*sc));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *az_of(const struct model_subnet *sn)
{
	return sn->az ? sn->az : "";
}

/* The drawing order of subnets: each VPC's AZs by name, and in an AZ the
 * public subnets first, as the guide draws them, then model order. */
static void order_subnets(struct scene *sc)
{
	const struct model *m = sc->m;
	uint32_t ns = m->n[MK_SUBNET], nv = m->n[MK_VPC], k = 0, n_azs = 0;
	sc->order = xcalloc(ns + 1, sizeof(uint32_t));
	sc->subnet_pos = xcalloc(ns + 1, sizeof(uint32_t));
	sc->azs = xcalloc(ns + 1, sizeof(*sc->azs));
	sc->vpc_az_first = xcalloc(nv + 1, sizeof(uint32_t));
	const char **names = xcalloc(ns + 1, sizeof(*names));
	/* Subnets by VPC first: one pass over them, not one per VPC. */
	uint32_t *vfirst = xcalloc(nv + 2, sizeof(uint32_t));
	uint32_t *vsub = xcalloc(ns + 1, sizeof(uint32_t));
	for (uint32_t s = 0; s < ns; s++)
		if (m->subnets[s].vpc < nv)
			vfirst[m->subnets[s].vpc + 1]++;
	for (uint32_t v = 0; v < nv; v++)
		vfirst[v + 1] += vfirst[v];
	uint32_t *fill = xcalloc(nv + 1, sizeof(uint32_t));
	for (uint32_t s = 0; s < ns; s++) {
		uint32_t v = m->subnets[s].vpc;
		if (v < nv)
			vsub[vfirst[v] + fill[v]++] = s;
	}
	free(fill);
	for (uint32_t vpc = 0; vpc < nv; vpc++) {
		const uint32_t *sub = &vsub[vfirst[vpc]];
		uint32_t nsub = vfirst[vpc + 1] - vfirst[vpc], nn = 0;
		for (uint32_t i = 0; i < nsub; i++)
			names[nn++] = az_of(&m->subnets[sub[i]]);
		if (nn)
			qsort(names, nn, sizeof(*names), cmp_str);
		uint32_t u = 0;
		for (uint32_t j = 0; j < nn; j++)
			if (!u || strcmp(names[u - 1], names[j]))
				names[u++] = names[j];
		sc->vpc_az_first[vpc] = n_azs;
		for (uint32_t j = 0; j < u; j++) {
			struct az_box *az = &sc->azs[n_azs++];
			az->name = names[j];
			az->first = k;
			for (int pub = 1; pub >= 0; pub--)
				for (uint32_t i = 0; i < nsub; i++) {
					uint32_t s = sub[i];
					if (m->subnets[s].is_public == pub &&
					    !strcmp(az_of(&m->subnets[s]),
						    names[j]))
						sc->order[k++] = s;
				}
			az->n = k - az->first;
		}
	}
	sc->vpc_az_first[nv] = n_azs;
	for (uint32_t i = 0; i < k; i++)
		sc->subnet_pos[sc->order[i]] = i;
	free(names);
	free(vfirst);
	free(vsub);
}

static struct site *new_site(struct scene *sc, uint32_t *cap)
{
	if (sc->n_sites == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		sc->sites = xreallocarray(sc->sites, *cap, sizeof(*sc->sites));
	}
	return &sc->sites[sc->n_sites++];
}

/* The sites of a resource or group node: the subnets of its (first)
 * member's placements, in drawing order. */
static void add_resource_sites(struct scene *sc, uint32_t node,
			       const struct reach_node *n, uint32_t *cap)
{
	uint32_t np, first = sc->n_sites;
	const struct model_placement *p =
	    model_placements(sc->m, n->rkind, n->rindex, &np);
	for (uint32_t i = 0; i < np; i++) {
		struct site *st = NULL;
		for (uint32_t k = first; k < sc->n_sites && !st; k++)
			if (sc->sites[k].subnet == p[i].subnet)
				st = &sc->sites[k];
		if (!st) {
			new_site(sc, cap);
			/* Insertion in drawing order: a resource has few
			 * subnets. */
			uint32_t k = sc->n_sites - 1;
			uint32_t pos = sc->subnet_pos[p[i].subnet];
			while (k > first &&
			       sc->subnet_pos[sc->sites[k - 1].subnet] > pos) {
				sc->sites[k] = sc->sites[k - 1];
				k--;
			}
			st = &sc->sites[k];
			*st = (struct site){
			    .node = node,
			    .subnet = p[i].subnet,
			    .vpc = sc->m->subnets[p[i].subnet].vpc};
		}
		st->has_public |= p[i].has_public;
	}
}

/* Whether some placement of node's members in subnet s (or, s is
 * MODEL_NONE, anywhere) holds a public address. */
static bool members_public(const struct scene *sc, uint32_t node, uint32_t s)
{
	const struct graph_view_node *vn = &sc->all->nodes[node];
	for (uint32_t k = 0; k < vn->count; k++) {
		const struct reach_node *x = &sc->all->members[vn->first + k];
		uint32_t np;
		const struct model_placement *p =
		    model_placements(sc->m, x->rkind, x->rindex, &np);
		for (uint32_t i = 0; i < np; i++)
			if (p[i].has_public &&
			    (s == MODEL_NONE || p[i].subnet == s))
				return true;
	}
	return false;
}

static void add_sites(struct scene *sc, uint32_t node, uint32_t *cap)
{
	const struct graph_view_node *vn = &sc->all->nodes[node];
	uint32_t first = sc->n_sites;
	enum graph_detail d = sc->all->detail;
	if (graph_details[d].by == GATHER_SUBNET) {
		*new_site(sc, cap) = (struct site){
		    .node = node,
		    .subnet = vn->where,
		    .vpc = sc->m->subnets[vn->where].vpc,
		    .has_public = members_public(sc, node, vn->where)};
	} else if (graph_details[d].by == GATHER_VPC) {
		*new_site(sc, cap) = (struct site){
		    .node = node,
		    .subnet = MODEL_NONE,
		    .vpc = vn->where,
		    .has_public = members_public(sc, node, MODEL_NONE)};
	} else {
		add_resource_sites(sc, node, &vn->n, cap);
	}
	sc->nsite_first[node] = first;
	sc->nsite_n[node] = sc->n_sites - first;
}

/* The box a site is drawn in: its subnet, or its VPC after the subnets. */
static uint32_t site_box(const struct scene *sc, const struct site *st)
{
	uint32_t ns = sc->m->n[MK_SUBNET], nv = sc->m->n[MK_VPC];
	if (st->subnet != MODEL_NONE)
		return st->subnet;
	return ns + (st->vpc < nv ? st->vpc : nv);
}

/* Sites by box: a counting sort keeps node order in a box. */
static void group_sites(struct scene *sc)
{
	uint32_t nb = sc->m->n[MK_SUBNET] + sc->m->n[MK_VPC] + 1;
	sc->box_first = xcalloc(nb + 1, sizeof(uint32_t));
	sc->by_box = xcalloc(sc->n_sites + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < sc->n_sites; i++)
		sc->box_first[site_box(sc, &sc->sites[i]) + 1]++;
	for (uint32_t b = 0; b < nb; b++)
		sc->box_first[b + 1] += sc->box_first[b];
	uint32_t *fill = xcalloc(nb + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < sc->n_sites; i++) {
		uint32_t b = site_box(sc, &sc->sites[i]);
		sc->by_box[sc->box_first[b] + fill[b]++] = i;
	}
	free(fill);
}

enum flow_kind {
	FLOW_EXPOSURE, /* from the internet */
	FLOW_FORWARD,  /* a load balancer to its targets */
	FLOW_OUTBOUND, /* to the internet or an AWS service */
	FLOW_OTHER,
	FLOW_HIDDEN, /* not a flow: holds a node in its row (DOT only) */
	FLOW_KINDS
};

static enum flow_kind flow_of(const struct scene *sc,
			      const struct graph_edge *e)
{
	if (e->from == sc->internet)
		return FLOW_EXPOSURE;
	if (e->forward)
		return FLOW_FORWARD;
	if (!is_resource(sc, e->to))
		return FLOW_OUTBOUND;
	return FLOW_OTHER;
}

/*
 * Whether an edge sets the rows: the internet's way in, the load
 * balancers' forwards and the flows inside do; flows out, and flows to
 * what the internet reaches anyway (a hairpin to a public load balancer),
 * would only turn the picture upside down.  The others are drawn lighter.
 */
static bool shapes_layout(const struct scene *sc, const struct graph_edge *e)
{
	enum flow_kind k = flow_of(sc, e);
	return k == FLOW_EXPOSURE || k == FLOW_FORWARD ||
	       (k == FLOW_OTHER && !sc->exposed[e->to]);
}

/* The row a resource starts from when nothing above leads to it. */
static uint32_t base_tier(const struct scene *sc, uint32_t v)
{
	for (uint32_t i = 0; i < sc->nsite_n[v]; i++) {
		const struct site *st = &sc->sites[sc->nsite_first[v] + i];
		if (st->subnet != MODEL_NONE
			? sc->m->subnets[st->subnet].is_public
			: st->has_public)
			return 1;
	}
	return 2;
}

/*
 * Rows, as the guide has them: the internet on top, then what it reaches,
 * then what that forwards to or calls, and so on: the longest path over
 * the edges that shape the layout, after a depth-first search from the
 * internet (then from every other node) has dropped the edges that close
 * a cycle.  Public resources start in row 1 and private ones in row 2 at
 * the least; the AWS services go below everything.
 */
static void compute_tiers(struct scene *sc)
{
	const struct graph_view *g = sc->all;
	uint32_t n = g->n_nodes;
	uint32_t *first = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t *adj = xcalloc(g->n_edges + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < g->n_edges; e++)
		if (shapes_layout(sc, &g->edges[e]))
			first[g->edges[e].from + 1]++;
	for (uint32_t v = 0; v < n; v++)
		first[v + 1] += first[v];
	uint32_t *next = xcalloc(n + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < g->n_edges; e++) {
		uint32_t f = g->edges[e].from;
		if (shapes_layout(sc, &g->edges[e]))
			adj[first[f] + next[f]++] = g->edges[e].to;
	}

	/* Depth-first postorder; pos[v] is v's place in reverse postorder,
	 * a topological order once the edges back into the stack are
	 * dropped. */
	uint8_t *state = xcalloc(n + 1, 1); /* 0 new, 1 on stack, 2 done */
	uint32_t *stack = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t *post = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t *pos = xcalloc(n + 1, sizeof(uint32_t));
	uint32_t n_post = 0;
	for (uint32_t k = 0; k <= n; k++) {
		uint32_t root = k == 0 ? sc->internet : k - 1;
		if (root >= n || state[root])
			continue;
		uint32_t sp = 0;
		stack[sp++] = root;
		state[root] = 1;
		next[root] = first[root];
		while (sp) {
			uint32_t v = stack[sp - 1];
			if (next[v] < first[v + 1]) {
				uint32_t w = adj[next[v]++];
				if (!state[w]) {
					state[w] = 1;
					next[w] = first[w];
					stack[sp++] = w;
				}
			} else {
				state[v] = 2;
				post[n_post++] = v;
				sp--;
			}
		}
	}
	for (uint32_t i = 0; i < n_post; i++)
		pos[post[i]] = n_post - 1 - i;

	sc->tier = xcalloc(n + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < n; v++)
		if (is_resource(sc, v))
			sc->tier[v] = base_tier(sc, v);
	for (uint32_t i = n_post; i-- > 0;) {
		uint32_t v = post[i];
		for (uint32_t k = first[v]; k < first[v + 1]; k++) {
			uint32_t w = adj[k];
			if (pos[w] > pos[v] && sc->tier[w] < sc->tier[v] + 1)
				sc->tier[w] = sc->tier[v] + 1;
		}
	}
	sc->max_tier = 1;
	for (uint32_t v = 0; v < n; v++)
		if (is_resource(sc, v) && sc->tier[v] > sc->max_tier)
			sc->max_tier = sc->tier[v];
	for (uint32_t v = 0; v < n; v++)
		if (g->nodes[v].n.kind == RN_SERVICE)
			sc->tier[v] = sc->max_tier + 1;
	free(first);
	free(adj);
	free(next);
	free(state);
	free(stack);
	free(post);
	free(pos);
}

/* Fills *sc for a picture: all holds every edge, view the drawn ones
 * (the same nodes), from the only source drawn or NULL. */
static void scene_init(struct scene *sc, const struct graph_picture *pic)
{
	const struct graph_view *g = pic->all;
	memset(sc, 0, sizeof(*sc));
	sc->all = g;
	sc->view = pic->drawn ? pic->drawn : pic->all;
	sc->m = sim_model(g->s);
	sc->from = pic->from;
	sc->vpc_level = graph_details[g->detail].by == GATHER_VPC;
	sc->internet = UINT32_MAX;
	sc->exposed = xcalloc(g->n_nodes + 1, sizeof(bool));
	sc->nsite_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	sc->nsite_n = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++)
		if (g->nodes[v].n.kind == RN_INTERNET)
			sc->internet = v;
	for (uint32_t e = 0; e < g->n_edges; e++)
		if (g->edges[e].from == sc->internet)
			sc->exposed[g->edges[e].to] = true;
	order_subnets(sc);
	uint32_t cap = 0;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		if (is_resource(sc, v))
			add_sites(sc, v, &cap);
	group_sites(sc);
	compute_tiers(sc);
}

/* ---- ids and labels -------------------------------------------------- */

/* "<prefix><number>_<name>", the name reduced to [A-Za-z0-9_] without
 * runs or a trailing '_'.  number < 0: none. */
static void make_id(char *buf, size_t size, const char *prefix, long number,
		    const char *name)
{
	int n = number < 0 ? snprintf(buf, size, "%s", prefix)
			   : snprintf(buf, size, "%s%ld", prefix, number);
	size_t off = (size_t)n;
	if (off >= size || !name)
		return;
	bool gap = true; /* a '_' goes before the next character kept */
	for (const char *p = name; *p && off + 2 < size; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9'))) {
			gap = true;
			continue;
		}
		if (gap)
			buf[off++] = '_';
		gap = false;
		buf[off++] = c;
	}
	buf[off] = '\0';
}

static const char *obj_id(const struct model *m, enum model_kind k, uint32_t i)
{
	return model_object(m, k, i)->id;
}

static void site_id(char *buf, size_t size, const struct scene *sc,
		    uint32_t site)
{
	make_id(buf, size, "n", site,
		graph_view_node_name(sc->all, sc->sites[site].node));
}

/* The id of the internet or an AWS service (one drawing each). */
static void vertex_id(char *buf, size_t size, const struct scene *sc,
		      uint32_t v)
{
	const struct reach_node *n = &sc->all->nodes[v].n;
	if (n->kind == RN_INTERNET)
		snprintf(buf, size, "internet");
	else /* "aws:ecr" -> "aws_ecr" */
		make_id(buf, size, "aws", -1,
			sim_service_name(n->service) + strlen("aws:"));
}

static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t off = strlen(buf);
	if (off + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + off, size - off, fmt, ap);
	va_end(ap);
}

static void lb_label(char *buf, size_t size,
		     const struct model_load_balancer *lb)
{
	append(buf, size, "%s, %s",
	       lb->type == LB_APPLICATION ? "ALB"
	       : lb->type == LB_CLASSIC	  ? "classic ELB"
					  : "NLB",
	       lb->internet_facing ? "internet-facing" : "internal");
	for (uint32_t i = 0; i < lb->n_listeners; i++)
		append(buf, size, "%s:%u", i ? " " : "\n",
		       lb->listeners[i].port);
}

static void service_label(char *buf, size_t size, const struct model *m,
			  const struct model_service *svc)
{
	append(buf, size, "ECS service, %u task%s", svc->desired_count,
	       svc->desired_count == 1 ? "" : "s");
	if (svc->task_definition == MODEL_NONE)
		return;
	const struct model_task_definition *td =
	    &m->task_definitions[svc->task_definition];
	bool first = true;
	for (uint32_t c = 0; c < td->n_containers; c++)
		for (uint32_t p = 0; p < td->containers[c].n_ports; p++) {
			const struct model_port_mapping *pm =
			    &td->containers[c].ports[p];
			append(buf, size, "%s:%u%s", first ? "\n" : " ",
			       pm->port, pm->proto == PROTO_UDP ? "/udp" : "");
			first = false;
		}
}

static void database_label(char *buf, size_t size, const struct model *m,
			   const struct model_database *db)
{
	append(buf, size, "%s :%u", db->engine ? db->engine : "database",
	       db->port);
	if (db->replica_of != MODEL_NONE)
		append(buf, size, "\nreplica of %s",
		       obj_id(m, MK_DATABASE, db->replica_of));
	else if (db->multi_az)
		append(buf, size, ", multi-AZ");
}

/* What a resource is, appended to buf. */
static void resource_what(char *buf, size_t size, const struct model *m,
			  const struct reach_node *n)
{
	switch (n->rkind) {
	case MK_LOAD_BALANCER:
		lb_label(buf, size, &m->lbs[n->rindex]);
		break;
	case MK_SERVICE:
		service_label(buf, size, m, &m->services[n->rindex]);
		break;
	case MK_DATABASE:
		database_label(buf, size, m, &m->databases[n->rindex]);
		break;
	case MK_NAT_GATEWAY:
		append(buf, size, "NAT gateway%s",
		       m->nat_gateways[n->rindex].is_public ? ""
							    : " (private)");
		break;
	case MK_INSTANCE:
		append(buf, size, "%s",
		       m->instances[n->rindex].is_interface
			   ? "network interface"
			   : "EC2 instance");
		break;
	case MK_VPC_ENDPOINT:
		append(buf, size, "interface endpoint %s",
		       m->endpoints[n->rindex].service);
		break;
	case MK_FLEET:
		append(buf, size, "%s", model_noun(m, MK_FLEET, n->rindex));
		break;
	default:
		append(buf, size, "%s", model_kind_name(n->rkind));
		break;
	}
}

/* A kind's words for a count of them, in a subnet's or VPC's label. */
static const char *kind_words(enum model_kind k, bool plural)
{
	switch (k) {
	case MK_LOAD_BALANCER:
		return plural ? "load balancers" : "load balancer";
	case MK_SERVICE:
		return plural ? "ECS services" : "ECS service";
	case MK_DATABASE:
		return plural ? "databases" : "database";
	case MK_NAT_GATEWAY:
		return plural ? "NAT gateways" : "NAT gateway";
	case MK_INSTANCE:
		return plural ? "instances" : "instance";
	case MK_VPC_ENDPOINT:
		return plural ? "interface endpoints" : "interface endpoint";
	case MK_FLEET:
		return plural ? "fleets" : "fleet";
	default:
		return model_kind_name(k);
	}
}

/* "40 resources" and a line per kind: what a subnet or VPC node holds. */
static void aggregate_label(char *buf, size_t size, const struct scene *sc,
			    const struct graph_view_node *vn)
{
	uint32_t count[MK_KIND_COUNT] = {0};
	for (uint32_t k = 0; k < vn->count; k++)
		count[sc->all->members[vn->first + k].rkind]++;
	snprintf(buf, size, "%u resource%s", vn->count,
		 vn->count == 1 ? "" : "s");
	for (int k = 0; k < MK_KIND_COUNT; k++)
		if (count[k])
			append(buf, size, "\n%u %s", count[k],
			       kind_words(k, count[k] != 1));
}

/*
 * Name, then what it is; a third line when the site has a public IP.  A
 * group of twins is named by its first member and how many more; a
 * subnet's or VPC's node by what it holds.
 */
static void site_label(char *buf, size_t size, const struct scene *sc,
		       const struct site *st)
{
	const struct model *m = sc->m;
	const struct graph_view_node *vn = &sc->all->nodes[st->node];
	const struct reach_node *n = &vn->n;
	int by = graph_details[sc->all->detail].by;
	if (by == GATHER_SUBNET || by == GATHER_VPC) {
		aggregate_label(buf, size, sc, vn);
	} else {
		snprintf(buf, size, "%s", obj_id(m, n->rkind, n->rindex));
		if (by == GATHER_GROUP && vn->count > 1)
			append(buf, size, " (+%u alike)", vn->count - 1);
		append(buf, size, "\n");
		resource_what(buf, size, m, n);
	}
	if (st->has_public)
		append(buf, size, "\npublic IP");
}

/* The edge's ports, and whether it holds for every placement pair. */
static void flow_label(char *buf, size_t size, const struct graph_edge *e)
{
	graph_edge_label(buf, size, e);
	if (!ports_equal(&e->tcp_all, &e->tcp_some) ||
	    !ports_equal(&e->udp_all, &e->udp_some))
		append(buf, size, " (some placements)");
	if (e->degraded)
		append(buf, size, " (degraded)");
}

/* ---- walking the scene ----------------------------------------------- */

enum look {
	/* boxes */
	LOOK_REGION,
	LOOK_AWS,
	LOOK_VPC,
	LOOK_AZ,
	LOOK_PUBLIC,
	LOOK_PRIVATE,
	/* nodes */
	LOOK_INTERNET,
	LOOK_AWS_SERVICE,
	LOOK_SERVICE, /* compute: ECS services, instances */
	LOOK_NETWORK, /* load balancers, gateways, endpoints */
	LOOK_STORAGE, /* databases */
	LOOK_EMPTY,   /* a placeholder that keeps an empty box drawn */
};

struct item {
	const char *id;
	const char *label; /* lines separated by '\n' */
	enum look look;
	bool exposed;
	uint32_t tier; /* nodes: the row, 0 for the internet */
};

struct flow_item {
	const char *from, *to;
	const char
	    *to_box; /* the box the edge ends at (to is in it), or NULL */
	const char *label;
	enum flow_kind kind;
	bool context; /* does not shape the layout: drawn lighter */
};

struct emitter {
	void (*begin)(void *ctx, const struct item *box);
	void (*end)(void *ctx, const struct item *box);
	void (*node)(void *ctx, const struct item *node);
	void (*edge)(void *ctx, const struct flow_item *e);
};

static enum look site_look(const struct reach_node *n)
{
	switch (n->rkind) {
	case MK_SERVICE:
	case MK_INSTANCE:
	case MK_FLEET:
		return LOOK_SERVICE;
	case MK_DATABASE:
		return LOOK_STORAGE;
	default:
		return LOOK_NETWORK;
	}
}

/* A node's look: its kind's, or for a subnet's or VPC's node its
 * members' when they are all of one look. */
static enum look node_look(const struct scene *sc, uint32_t node)
{
	const struct graph_view_node *vn = &sc->all->nodes[node];
	enum look look = site_look(&vn->n);
	for (uint32_t k = 1; vn->aggregate && k < vn->count; k++)
		if (site_look(&sc->all->members[vn->first + k]) != look)
			return LOOK_NETWORK;
	return look;
}

/* The sites drawn in a box (a subnet, or a VPC at the VPC level);
 * returns how many. */
static uint32_t walk_sites(const struct scene *sc, const struct emitter *em,
			   void *ctx, uint32_t b)
{
	uint32_t first = sc->box_first[b];
	uint32_t n = sc->box_first[b + 1] - first;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = sc->by_box[first + k];
		const struct site *st = &sc->sites[i];
		char nid[ID_MAX], nlabel[LABEL_MAX];
		site_id(nid, sizeof(nid), sc, i);
		site_label(nlabel, sizeof(nlabel), sc, st);
		struct item it = {nid, nlabel, node_look(sc, st->node),
				  sc->exposed[st->node], sc->tier[st->node]};
		em->node(ctx, &it);
	}
	return n;
}

static void walk_subnet(const struct scene *sc, const struct emitter *em,
			void *ctx, uint32_t s)
{
	const struct model_subnet *sn = &sc->m->subnets[s];
	char id[ID_MAX], label[LABEL_MAX], cidr[CIDR_STRLEN] = "?";
	make_id(id, sizeof(id), "subnet", s, sn->obj.id);
	if (sn->cidr.len <= 32)
		cidr_format(cidr, sn->cidr);
	snprintf(label, sizeof(label), "%s\n%s subnet %s", sn->obj.id,
		 sn->is_public ? "public" : "private", cidr);
	struct item box = {
	    id, label, sn->is_public ? LOOK_PUBLIC : LOOK_PRIVATE, false, 0};
	em->begin(ctx, &box);
	if (!walk_sites(sc, em, ctx, s)) {
		char nid[ID_MAX];
		make_id(nid, sizeof(nid), "empty", s, NULL);
		struct item it = {nid, "no resources", LOOK_EMPTY, false,
				  sn->is_public ? 1 : 2};
		em->node(ctx, &it);
	}
	em->end(ctx, &box);
}

static void walk_az(const struct scene *sc, const struct emitter *em, void *ctx,
		    uint32_t vpc, uint32_t j)
{
	const struct az_box *az = &sc->azs[j];
	char id[ID_MAX], label[LABEL_MAX], prefix[32];
	snprintf(prefix, sizeof(prefix), "vpc%uaz", vpc);
	make_id(id, sizeof(id), prefix, j - sc->vpc_az_first[vpc], az->name);
	snprintf(label, sizeof(label), "Availability Zone %s",
		 *az->name ? az->name : "unknown");
	struct item box = {id, label, LOOK_AZ, false, 0};
	em->begin(ctx, &box);
	for (uint32_t k = 0; k < az->n; k++)
		walk_subnet(sc, em, ctx, sc->order[az->first + k]);
	em->end(ctx, &box);
}

/* Gateways belong to the VPC, not to a subnet or an AZ. */
static bool walk_gateways(const struct scene *sc, const struct emitter *em,
			  void *ctx, uint32_t vpc)
{
	const struct model *m = sc->m;
	char id[ID_MAX], label[LABEL_MAX];
	bool any = false;
	for (uint32_t i = 0; i < m->n[MK_INTERNET_GATEWAY]; i++) {
		if (m->igws[i].vpc != vpc)
			continue;
		make_id(id, sizeof(id), "igw", i, m->igws[i].obj.id);
		snprintf(label, sizeof(label), "%s\n%s", m->igws[i].obj.id,
			 m->igws[i].egress_only ? "egress-only internet gateway"
						: "internet gateway");
		struct item it = {id, label, LOOK_NETWORK, false, 1};
		em->node(ctx, &it);
		any = true;
	}
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++) {
		const struct model_vpc_endpoint *ep = &m->endpoints[i];
		if (ep->vpc != vpc || ep->type != VPCE_GATEWAY)
			continue;
		make_id(id, sizeof(id), "vpce", i, ep->obj.id);
		snprintf(label, sizeof(label), "%s\ngateway endpoint %s",
			 ep->obj.id, ep->service);
		struct item it = {id, label, LOOK_NETWORK, false, 1};
		em->node(ctx, &it);
		any = true;
	}
	return any;
}

static void walk_vpc(const struct scene *sc, const struct emitter *em,
		     void *ctx, uint32_t vpc)
{
	const struct model_vpc *vp = &sc->m->vpcs[vpc];
	char id[ID_MAX], label[LABEL_MAX];
	make_id(id, sizeof(id), "vpc", vpc, vp->obj.id);
	snprintf(label, sizeof(label), "VPC %s", vp->obj.id);
	for (uint32_t i = 0; i < vp->n_cidrs; i++) {
		char c[CIDR_STRLEN];
		cidr_format(c, vp->cidrs[i]);
		append(label, sizeof(label), "%s%s", i ? ", " : "\n", c);
	}
	struct item box = {id, label, LOOK_VPC, false, 0};
	em->begin(ctx, &box);
	uint32_t first = sc->vpc_az_first[vpc];
	uint32_t n = sc->vpc_az_first[vpc + 1] - first;
	bool any = walk_gateways(sc, em, ctx, vpc);
	/* At the VPC level its node stands for every subnet's resources. */
	if (sc->vpc_level)
		any |= walk_sites(sc, em, ctx, sc->m->n[MK_SUBNET] + vpc) > 0;
	else
		any |= n > 0;
	for (uint32_t k = 0; k < n && !sc->vpc_level; k++)
		walk_az(sc, em, ctx, vpc, first + k);
	if (!any) {
		make_id(id, sizeof(id), "emptyvpc", vpc, NULL);
		struct item it = {id, "no subnets", LOOK_EMPTY, false, 1};
		em->node(ctx, &it);
	}
	em->end(ctx, &box);
}

static void walk_services(const struct scene *sc, const struct emitter *em,
			  void *ctx)
{
	const struct graph_view *g = sc->all;
	struct item box = {"aws_services", "AWS services", LOOK_AWS, false, 0};
	bool open = false;
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		if (g->nodes[v].n.kind != RN_SERVICE)
			continue;
		if (!open)
			em->begin(ctx, &box);
		open = true;
		char id[ID_MAX];
		vertex_id(id, sizeof(id), sc, v);
		struct item it = {id, sim_service_name(g->nodes[v].n.service),
				  LOOK_AWS_SERVICE, false, sc->tier[v]};
		em->node(ctx, &it);
	}
	if (open)
		em->end(ctx, &box);
}

/* Peerings join two VPCs: they sit in the region, beside them. */
static void walk_peerings(const struct scene *sc, const struct emitter *em,
			  void *ctx)
{
	const struct model *m = sc->m;
	for (uint32_t i = 0; i < m->n[MK_PEERING]; i++) {
		const struct model_peering *pc = &m->peerings[i];
		char id[ID_MAX], label[LABEL_MAX];
		make_id(id, sizeof(id), "pcx", i, pc->obj.id);
		snprintf(label, sizeof(label), "%s\npeering %s - %s",
			 pc->obj.id, obj_id(m, MK_VPC, pc->requester),
			 obj_id(m, MK_VPC, pc->accepter));
		struct item it = {id, label, LOOK_NETWORK, false, 1};
		em->node(ctx, &it);
	}
}

/* Every drawing of a node: its sites, or its single node. */
static uint32_t vertex_ends(const struct scene *sc, uint32_t v, uint32_t *first)
{
	if (!is_resource(sc, v)) {
		*first = UINT32_MAX;
		return 1;
	}
	*first = sc->nsite_first[v];
	return sc->nsite_n[v];
}

static void end_id(char *buf, size_t size, const struct scene *sc, uint32_t v,
		   uint32_t first, uint32_t i)
{
	if (first == UINT32_MAX)
		vertex_id(buf, size, sc, v);
	else
		site_id(buf, size, sc, first + i);
}

/* One graph edge, from every drawing of its source to every drawing of
 * its destination. */
static void draw_edge(const struct scene *sc, const struct emitter *em,
		      void *ctx, const struct graph_edge *e)
{
	char label[LABEL_MAX], from[ID_MAX], to[ID_MAX];
	flow_label(label, sizeof(label), e);
	struct flow_item it = {
	    from, to, NULL, label, flow_of(sc, e), !shapes_layout(sc, e)};
	uint32_t f0, t0;
	uint32_t nf = vertex_ends(sc, e->from, &f0);
	uint32_t nt = vertex_ends(sc, e->to, &t0);
	for (uint32_t i = 0; i < nf; i++) {
		end_id(from, sizeof(from), sc, e->from, f0, i);
		for (uint32_t j = 0; j < nt; j++) {
			end_id(to, sizeof(to), sc, e->to, t0, j);
			em->edge(ctx, &it);
		}
	}
}

static bool to_service(const struct scene *sc, const struct graph_edge *e)
{
	return sc->all->nodes[e->to].n.kind == RN_SERVICE;
}

/*
 * The edges of one source to the AWS services, as one arrow per drawing
 * of the source to the services' box, labelled with every service and its
 * ports ("aws:ecr, aws:s3: tcp 443"): three arrows per task to three
 * neighbouring nodes would say nothing more and hide the rest.
 */
static void draw_service_edges(const struct scene *sc, const struct emitter *em,
			       void *ctx, const struct graph_edge *es,
			       uint32_t n)
{
	char label[LABEL_MAX] = "", a[LABEL_MAX], b[LABEL_MAX];
	const struct graph_edge *first = NULL;
	for (uint32_t i = 0; i < n; i++) {
		if (!to_service(sc, &es[i]))
			continue;
		flow_label(a, sizeof(a), &es[i]);
		bool seen = false;
		for (uint32_t j = 0; j < i && !seen; j++) {
			if (!to_service(sc, &es[j]))
				continue;
			flow_label(b, sizeof(b), &es[j]);
			seen = !strcmp(a, b);
		}
		if (seen)
			continue;
		if (!first)
			first = &es[i];
		append(label, sizeof(label), "%s", *label ? "\n" : "");
		const char *sep = "";
		for (uint32_t j = i; j < n; j++) {
			if (!to_service(sc, &es[j]))
				continue;
			flow_label(b, sizeof(b), &es[j]);
			if (strcmp(a, b))
				continue;
			append(label, sizeof(label), "%s%s", sep,
			       reach_node_name(sc->all->s,
					       &sc->all->nodes[es[j].to].n));
			sep = ", ";
		}
		append(label, sizeof(label), ": %s", a);
	}
	if (!first)
		return;
	char from[ID_MAX], to[ID_MAX];
	vertex_id(to, sizeof(to), sc, first->to);
	struct flow_item it = {
	    from, to, "aws_services", label, flow_of(sc, first), true};
	uint32_t f0;
	uint32_t nf = vertex_ends(sc, first->from, &f0);
	for (uint32_t i = 0; i < nf; i++) {
		end_id(from, sizeof(from), sc, first->from, f0, i);
		em->edge(ctx, &it);
	}
}

static void walk_edges(const struct scene *sc, const struct emitter *em,
		       void *ctx)
{
	const struct graph_view *v = sc->view;
	for (uint32_t src = 0; src < v->n_nodes; src++) {
		uint32_t n = v->out_first[src + 1] - v->out_first[src];
		if (!n) /* a view without edges has edges NULL */
			continue;
		const struct graph_edge *es = &v->edges[v->out_first[src]];
		for (uint32_t i = 0; i < n; i++)
			if (!to_service(sc, &es[i]))
				draw_edge(sc, em, ctx, &es[i]);
		draw_service_edges(sc, em, ctx, es, n);
	}
}

/*
 * Everything, outermost first: the internet, then the region with, left
 * to right, its VPCs, peerings and AWS services, then the flows.
 */
static void walk(const struct scene *sc, const struct emitter *em, void *ctx)
{
	const struct model *m = sc->m;
	char label[LABEL_MAX];
	if (sc->internet != UINT32_MAX) {
		struct item it = {"internet", "Internet", LOOK_INTERNET, false,
				  0};
		em->node(ctx, &it);
	}
	snprintf(label, sizeof(label), "AWS Region%s%s", m->region ? " " : "",
		 m->region ? m->region : "");
	struct item region = {"region", label, LOOK_REGION, false, 0};
	em->begin(ctx, &region);
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++)
		walk_vpc(sc, em, ctx, i);
	walk_peerings(sc, em, ctx);
	walk_services(sc, em, ctx);
	em->end(ctx, &region);
	walk_edges(sc, em, ctx);
}

/* What the picture shows, in one line: its file and which flows. */
static void caption(char *buf, size_t size, const struct scene *sc)
{
	static const char *const level[GRAPH_DETAILS] = {
	    [GRAPH_ENDPOINTS] = "",
	    [GRAPH_GROUPS] = ", twins drawn as one",
	    [GRAPH_SUBNETS] = ", subnet by subnet",
	    [GRAPH_VPCS] = ", VPC by VPC",
	};
	snprintf(buf, size, "vpcsim graph of %s: %s%s%s", sc->m->file,
		 !sc->from ? "every reachable flow" : "the flows from ",
		 !sc->from ? "" : reach_node_name(sc->all->s, sc->from),
		 level[sc->all->detail]);
}

/*
 * Writes s for a quoted string of DOT or Mermaid: line breaks as br,
 * other control characters as spaces, invalid UTF-8 as '?' (graphviz
 * rejects it), and the characters in esc[] as their replacements.
 */
static void quoted_text(FILE *f, const char *s, const char *br,
			const char *const esc[][2], size_t n_esc)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p == '\n') {
			fputs(br, f);
			p++;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fputc(' ', f);
			p++;
			continue;
		}
		int n = util_utf8_len(p);
		if (!n) {
			fputc('?', f);
			p++;
			continue;
		}
		size_t k = 0;
		while (n == 1 && k < n_esc && esc[k][0][0] != (char)*p)
			k++;
		if (n == 1 && k < n_esc)
			fputs(esc[k][1], f);
		else
			fwrite(p, 1, (size_t)n, f);
		p += n;
	}
}

/* ---- DOT ------------------------------------------------------------- */

struct dot_ctx {
	FILE *f;
	int depth;
};

static void dot_string(FILE *f, const char *s)
{
	static const char *const esc[][2] = {{"\"", "\\\""}, {"\\", "\\\\"}};
	fputc('"', f);
	quoted_text(f, s, "\\n", esc, ARRAY_LEN(esc));
	fputc('"', f);
}

static void dot_indent(struct dot_ctx *d)
{
	for (int i = 0; i <= d->depth; i++)
		fputc('\t', d->f);
}

/* The guide's classDefs: public, private, service, network, storage. */
static const char *const dot_looks[] = {
    [LOOK_REGION] = "style=\"rounded,dashed\", color=\"#566573\", "
		    "fontsize=14",
    [LOOK_AWS] = "style=\"rounded,filled\", fillcolor=\"#fef9e7\", "
		 "color=\"#b7950b\", fontsize=11",
    [LOOK_VPC] = "style=\"rounded,filled\", fillcolor=\"#fbfcfc\", "
		 "color=\"#5b2c6f\", penwidth=2, fontsize=13",
    [LOOK_AZ] = "style=\"rounded,dashed,filled\", fillcolor=\"#ffffff\", "
		"color=\"#95a5a6\", fontsize=11",
    [LOOK_PUBLIC] = "style=\"rounded,filled\", fillcolor=\"#d4f1f9\", "
		    "color=\"#1e6b7f\", penwidth=2, fontsize=10",
    [LOOK_PRIVATE] = "style=\"rounded,filled\", fillcolor=\"#e8f6ef\", "
		     "color=\"#1e8065\", penwidth=2, fontsize=10",
    [LOOK_INTERNET] = "shape=ellipse, style=filled, fillcolor=\"#ffffff\", "
		      "color=\"#34495e\", penwidth=2, fontsize=12",
    [LOOK_AWS_SERVICE] = "fillcolor=\"#fdebd0\", color=\"#b7950b\"",
    [LOOK_SERVICE] = "fillcolor=\"#fdebd0\", color=\"#a84300\"",
    [LOOK_NETWORK] = "fillcolor=\"#e8daef\", color=\"#5b2c6f\"",
    [LOOK_STORAGE] = "shape=cylinder, style=filled, "
		     "fillcolor=\"#fadbd8\", color=\"#78281f\"",
    [LOOK_EMPTY] = "shape=plaintext, style=\"\", fontcolor=\"#7f8c8d\"",
};

static const char *const dot_flows[] = {
    [FLOW_EXPOSURE] = "color=\"#d62728\", fontcolor=\"#d62728\", "
		      "penwidth=2.5",
    [FLOW_FORWARD] = "color=\"#1f4e9c\", fontcolor=\"#1f4e9c\", "
		     "penwidth=2, style=bold",
    [FLOW_OUTBOUND] = "color=\"#b3b3b3\", fontcolor=\"#8c8c8c\", "
		      "style=dashed, penwidth=0.8, fontsize=8",
    [FLOW_OTHER] = "color=\"#424242\", fontcolor=\"#424242\"",
    [FLOW_HIDDEN] = "style=invis",
};

static void dot_begin(void *ctx, const struct item *box)
{
	struct dot_ctx *d = ctx;
	char name[ID_MAX + 8];
	snprintf(name, sizeof(name), "cluster_%s", box->id);
	dot_indent(d);
	fputs("subgraph ", d->f);
	dot_string(d->f, name);
	fputs(" {\n", d->f);
	d->depth++;
	dot_indent(d);
	fputs("graph [label=", d->f);
	dot_string(d->f, box->label);
	fprintf(d->f, ", labelloc=t, labeljust=l, %s];\n",
		dot_looks[box->look]);
}

static void dot_end(void *ctx, const struct item *box)
{
	struct dot_ctx *d = ctx;
	(void)box;
	d->depth--;
	dot_indent(d);
	fputs("}\n", d->f);
}

static void dot_node(void *ctx, const struct item *n)
{
	struct dot_ctx *d = ctx;
	dot_indent(d);
	dot_string(d->f, n->id);
	fputs(" [label=", d->f);
	dot_string(d->f, n->label);
	fprintf(d->f, ", %s", dot_looks[n->look]);
	if (n->exposed)
		fputs(", color=\"#d62728\", penwidth=3.5, "
		      "fontcolor=\"#b03a2e\"",
		      d->f);
	fputs("];\n", d->f);
}

/*
 * A flow.  Only the hidden edges set the rows, so every flow has
 * constraint=false.  Its ports go in an xlabel, not a label: graphviz 2.4x
 * ranks edge labels as nodes of their own, which with clusters often ends
 * in "trouble in init_rank" and a crash; external labels are placed after
 * the layout.
 */
static void dot_edge(void *ctx, const struct flow_item *e)
{
	struct dot_ctx *d = ctx;
	dot_indent(d);
	dot_string(d->f, e->from);
	fputs(" -> ", d->f);
	dot_string(d->f, e->to);
	fputs(" [xlabel=", d->f);
	dot_string(d->f, e->label);
	fprintf(d->f, ", %s, constraint=false", dot_flows[e->kind]);
	if (e->context && e->kind == FLOW_OTHER)
		fputs(", color=\"#a6a6a6\", fontcolor=\"#8c8c8c\", "
		      "penwidth=0.8, fontsize=8",
		      d->f);
	if (e->to_box) {
		char name[ID_MAX + 8];
		snprintf(name, sizeof(name), "cluster_%s", e->to_box);
		fputs(", lhead=", d->f);
		dot_string(d->f, name);
	}
	fputs("];\n", d->f);
}

/*
 * The hidden edges that hold every node in its row: internet -> node,
 * minlen the row.  They are written after everything else, by a second
 * walk with these emitters: an edge written inside a cluster would pull
 * the internet into it.
 */
static void rows_box(void *ctx, const struct item *box)
{
	(void)ctx;
	(void)box;
}

static void rows_node(void *ctx, const struct item *n)
{
	struct dot_ctx *d = ctx;
	if (!n->tier)
		return;
	fputs("\t\"internet\" -> ", d->f);
	dot_string(d->f, n->id);
	fprintf(d->f, " [%s, minlen=%u];\n", dot_flows[FLOW_HIDDEN], n->tier);
}

static void rows_edge(void *ctx, const struct flow_item *e)
{
	(void)ctx;
	(void)e;
}

int report_graph_dot(FILE *f, const struct graph_picture *pic)
{
	static const struct emitter em = {dot_begin, dot_end, dot_node,
					  dot_edge};
	static const struct emitter rows = {rows_box, rows_box, rows_node,
					    rows_edge};
	struct scene sc;
	scene_init(&sc, pic);
	struct dot_ctx d = {f, 0};
	fputs("digraph vpcsim {\n"
	      "\tgraph [fontname=\"Helvetica\", newrank=true, compound=true, "
	      "nodesep=0.35, ranksep=0.6, forcelabels=true];\n"
	      "\tnode [fontname=\"Helvetica\", fontsize=10, shape=box, "
	      "style=\"rounded,filled\", penwidth=1.5];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n",
	      f);
	walk(&sc, &em, &d);
	if (sc.internet != UINT32_MAX)
		walk(&sc, &rows, &d);
	char cap[LABEL_MAX];
	caption(cap, sizeof(cap), &sc);
	append(cap, sizeof(cap),
	       "\nred: from the internet, and what it reaches; blue: load "
	       "balancer forwards; grey: to the internet and AWS services, "
	       "and to what the internet reaches anyway");
	/* Set last, so no cluster inherits the caption's placement. */
	fputs("\tlabel=", f);
	dot_string(f, cap);
	fputs(";\n\tlabelloc=b;\n\tfontsize=10;\n}\n", f);
	scene_free(&sc);
	return 0;
}

/* ---- Mermaid --------------------------------------------------------- */

struct u32_list {
	uint32_t *v;
	uint32_t n, cap;
};

struct mmd_ctx {
	FILE *f;
	int depth;
	uint32_t n_links;
	struct u32_list links[FLOW_KINDS]; /* link numbers of each look */
	struct u32_list context;	   /* lighter ones among FLOW_OTHER */
};

static void push(struct u32_list *l, uint32_t x)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = x;
}

static void mmd_string(FILE *f, const char *s)
{
	/* Mermaid reads entity codes (#quot;) inside quoted text; '#' and
	 * what HTML or Markdown would take are written as codes too. */
	static const char *const esc[][2] = {
	    {"\"", "#quot;"}, {"#", "#35;"}, {"<", "#lt;"},  {">", "#gt;"},
	    {"&", "#amp;"},   {"`", "#96;"}, {"|", "#124;"},
	};
	fputc('"', f);
	quoted_text(f, s, "<br/>", esc, ARRAY_LEN(esc));
	fputc('"', f);
}

static void mmd_indent(struct mmd_ctx *c)
{
	for (int i = 0; i <= c->depth; i++)
		fputs("  ", c->f);
}

/* The class of each look: the guide's five and ours. */
static const char *const mmd_classes[] = {
    [LOOK_REGION] = "region",	 [LOOK_AWS] = "aws",
    [LOOK_VPC] = "vpc",		 [LOOK_AZ] = "az",
    [LOOK_PUBLIC] = "public",	 [LOOK_PRIVATE] = "private",
    [LOOK_INTERNET] = "outside", [LOOK_AWS_SERVICE] = "storage",
    [LOOK_SERVICE] = "service",	 [LOOK_NETWORK] = "network",
    [LOOK_STORAGE] = "storage",	 [LOOK_EMPTY] = "empty",
};

static void mmd_begin(void *ctx, const struct item *box)
{
	struct mmd_ctx *c = ctx;
	mmd_indent(c);
	fprintf(c->f, "subgraph %s [", box->id);
	mmd_string(c->f, box->label);
	fputs("]\n", c->f);
	c->depth++;
}

static void mmd_end(void *ctx, const struct item *box)
{
	struct mmd_ctx *c = ctx;
	c->depth--;
	mmd_indent(c);
	fputs("end\n", c->f);
	mmd_indent(c);
	fprintf(c->f, "class %s %s\n", box->id, mmd_classes[box->look]);
}

static void mmd_node(void *ctx, const struct item *n)
{
	struct mmd_ctx *c = ctx;
	const char *open = "[", *close = "]";
	if (n->look == LOOK_STORAGE) {
		open = "[(";
		close = ")]";
	} else if (n->look == LOOK_INTERNET) {
		open = "((";
		close = "))";
	}
	mmd_indent(c);
	fprintf(c->f, "%s%s", n->id, open);
	mmd_string(c->f, n->label);
	fprintf(c->f, "%s:::%s\n", close, mmd_classes[n->look]);
	if (n->exposed) {
		mmd_indent(c);
		fprintf(
		    c->f,
		    "style %s stroke:#d62728,stroke-width:4px,color:#b03a2e\n",
		    n->id);
	}
}

static void mmd_edge(void *ctx, const struct flow_item *e)
{
	struct mmd_ctx *c = ctx;
	static const char *const arrows[] = {[FLOW_EXPOSURE] = "-->",
					     [FLOW_FORWARD] = "==>",
					     [FLOW_OUTBOUND] = "-.->",
					     [FLOW_OTHER] = "-->",
					     [FLOW_HIDDEN] = "~~~"};
	mmd_indent(c);
	fprintf(c->f, "%s %s|", e->from, arrows[e->kind]);
	mmd_string(c->f, e->label);
	/* Mermaid draws an edge to a subgraph to its border. */
	fprintf(c->f, "| %s\n", e->to_box ? e->to_box : e->to);
	push(e->context && e->kind == FLOW_OTHER ? &c->context
						 : &c->links[e->kind],
	     c->n_links++);
}

static void mmd_link_style(FILE *f, const struct u32_list *l, const char *style)
{
	if (!l->n || !style)
		return;
	fputs("linkStyle ", f);
	for (uint32_t i = 0; i < l->n; i++)
		fprintf(f, "%s%u", i ? "," : "", l->v[i]);
	fprintf(f, " %s\n", style);
}

int report_graph_mermaid(FILE *f, const struct graph_picture *pic)
{
	static const struct emitter em = {mmd_begin, mmd_end, mmd_node,
					  mmd_edge};
	static const char *const link_styles[] = {
	    [FLOW_EXPOSURE] = "stroke:#d62728,stroke-width:3px,color:#d62728",
	    [FLOW_FORWARD] = "stroke:#1f4e9c,stroke-width:3px,color:#1f4e9c",
	    [FLOW_OUTBOUND] = "stroke:#b3b3b3,stroke-width:1px,color:#8c8c8c",
	    [FLOW_OTHER] = NULL,
	    [FLOW_HIDDEN] = NULL,
	};
	struct scene sc;
	scene_init(&sc, pic);
	struct mmd_ctx c = {.f = f};
	char cap[LABEL_MAX];
	caption(cap, sizeof(cap), &sc);
	fputs("graph TB\n%% ", f);
	/* A comment ends at the line's end: no control characters. */
	for (const char *p = cap; *p; p++)
		fputc((unsigned char)*p < 0x20 ? ' ' : *p, f);
	fputs("\n%% red: from the internet, and what it reaches; thick blue: "
	      "load balancer forwards; grey: to the internet and AWS "
	      "services, and to what the internet reaches anyway\n"
	      "\n"
	      "classDef public fill:#d4f1f9,stroke:#1e6b7f,stroke-width:2px\n"
	      "classDef private fill:#e8f6ef,stroke:#1e8065,stroke-width:2px\n"
	      "classDef service fill:#fdebd0,stroke:#a84300,stroke-width:2px\n"
	      "classDef network fill:#e8daef,stroke:#5b2c6f,stroke-width:2px\n"
	      "classDef storage fill:#fadbd8,stroke:#78281f,stroke-width:2px\n"
	      "classDef region fill:#ffffff,stroke:#566573,stroke-width:1px,"
	      "stroke-dasharray:5 5\n"
	      "classDef aws fill:#fef9e7,stroke:#b7950b,stroke-width:1px\n"
	      "classDef vpc fill:#fbfcfc,stroke:#5b2c6f,stroke-width:2px\n"
	      "classDef az fill:#ffffff,stroke:#95a5a6,stroke-width:1px,"
	      "stroke-dasharray:4 4\n"
	      "classDef outside fill:#ffffff,stroke:#34495e,stroke-width:2px\n"
	      "classDef empty fill:none,stroke:none,color:#7f8c8d\n"
	      "\n",
	      f);
	walk(&sc, &em, &c);
	for (int k = 0; k < FLOW_KINDS; k++) {
		mmd_link_style(f, &c.links[k], link_styles[k]);
		free(c.links[k].v);
	}
	mmd_link_style(f, &c.context,
		       "stroke:#a6a6a6,stroke-width:1px,color:#8c8c8c");
	free(c.context.v);
	scene_free(&sc);
	return 0;
}

/* ---- GraphML and JSON ------------------------------------------------ */

int report_graph_graphml(FILE *f, const struct graph_picture *pic)
{
	const struct graph_view *v = pic->drawn ? pic->drawn : pic->all;
	char err[256];
	if (graph_write_graphml(v, f, err, sizeof(err))) {
		fprintf(stderr, "vpcsim: error: %s\n", err);
		return -1;
	}
	return 0;
}

/* Ranges of a port set, each with "all" when every placement pair
 * reaches it and "some" otherwise (as in docs/reach-json.md). */
static void json_ports(struct json *j, const struct ports *all,
		       const struct ports *some)
{
	json_begin_array(j);
	struct ports only_some = PORTS_INIT;
	ports_diff(&only_some, some, all);
	size_t a = 0, b = 0;
	while (a < all->n || b < only_some.n) {
		bool take_all =
		    b == only_some.n ||
		    (a < all->n && all->r[a].lo < only_some.r[b].lo);
		const struct port_range *r =
		    take_all ? &all->r[a++] : &only_some.r[b++];
		json_begin_object(j);
		json_kv_int(j, "from", r->lo);
		json_kv_int(j, "to", r->hi);
		json_kv_string(j, "verdict", take_all ? "all" : "some");
		json_end_object(j);
	}
	ports_free(&only_some);
	json_end_array(j);
}

/* Members listed for a node of groups, subnets or VPCs; "count" has
 * them all. */
#define JSON_MEMBERS 50

static void json_node(struct json *j, const struct scene *sc, uint32_t v)
{
	const struct model *m = sc->m;
	const struct graph_view_node *vn = &sc->all->nodes[v];
	json_begin_object(j);
	json_kv_string(j, "id", graph_view_node_name(sc->all, v));
	json_kv_string(j, "kind", graph_view_node_kind(sc->all, v));
	uint32_t first = 0, count = 0;
	if (is_resource(sc, v)) {
		first = sc->nsite_first[v];
		count = sc->nsite_n[v];
	}
	const char *vpc = NULL;
	bool public = false;
	for (uint32_t i = first; i < first + count; i++) {
		uint32_t vi = sc->sites[i].vpc;
		if (!vpc && vi != MODEL_NONE && vi < m->n[MK_VPC])
			vpc = obj_id(m, MK_VPC, vi);
		public |= sc->sites[i].has_public;
	}
	json_kv_string(j, "vpc", vpc);
	json_key(j, "azs");
	json_begin_array(j);
	for (uint32_t i = first; i < first + count; i++) {
		if (sc->sites[i].subnet == MODEL_NONE)
			continue;
		const char *az = m->subnets[sc->sites[i].subnet].az;
		bool seen = !az;
		for (uint32_t k = first; k < i && !seen; k++) {
			const char *b = m->subnets[sc->sites[k].subnet].az;
			seen = b && !strcmp(az, b);
		}
		if (!seen)
			json_string(j, az);
	}
	json_end_array(j);
	json_key(j, "subnets");
	json_begin_array(j);
	for (uint32_t i = first; i < first + count; i++)
		if (sc->sites[i].subnet != MODEL_NONE)
			json_string(j,
				    obj_id(m, MK_SUBNET, sc->sites[i].subnet));
	json_end_array(j);
	json_kv_bool(j, "public", public);
	json_kv_bool(j, "exposed", sc->exposed[v]);
	json_kv_int(j, "component", sc->view->component[v]);
	if (vn->aggregate) {
		json_kv_int(j, "count", vn->count);
		json_key(j, "members");
		json_begin_array(j);
		for (uint32_t k = 0; k < vn->count && k < JSON_MEMBERS; k++)
			json_string(j, reach_node_name(
					   sc->all->s,
					   &sc->all->members[vn->first + k]));
		json_end_array(j);
	}
	json_end_object(j);
}

int report_graph_json(FILE *f, const struct graph_picture *pic)
{
	struct scene sc;
	scene_init(&sc, pic);
	const struct graph_view *v = sc.view;
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	/* The endpoint level writes what it always wrote. */
	if (v->detail != GRAPH_ENDPOINTS)
		json_kv_string(&j, "detail", graph_details[v->detail].name);
	json_key(&j, "from");
	if (!pic->from)
		json_null(&j);
	else
		json_string(&j, reach_node_name(v->s, pic->from));
	json_key(&j, "nodes");
	json_begin_array(&j);
	for (uint32_t n = 0; n < v->n_nodes; n++)
		json_node(&j, &sc, n);
	json_end_array(&j);
	json_key(&j, "edges");
	json_begin_array(&j);
	for (uint32_t ve = 0; ve < v->n_edges; ve++) {
		const struct graph_edge *e = &v->edges[ve];
		char label[LABEL_MAX];
		graph_edge_label(label, sizeof(label), e);
		json_begin_object(&j);
		json_kv_string(&j, "from", graph_view_node_name(v, e->from));
		json_kv_string(&j, "to", graph_view_node_name(v, e->to));
		json_key(&j, "tcp");
		json_ports(&j, &e->tcp_all, &e->tcp_some);
		json_key(&j, "udp");
		json_ports(&j, &e->udp_all, &e->udp_some);
		json_kv_string(&j, "label", label);
		json_kv_bool(&j, "forward", e->forward);
		json_kv_bool(&j, "exposure", e->from == sc.internet);
		json_kv_bool(&j, "degraded", e->degraded);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_kv_int(&j, "components", v->n_components);
	json_end_object(&j);
	json_finish(&j);
	scene_free(&sc);
	return 0;
}

/* ---- SVG ------------------------------------------------------------- */

/*
 * The DOT picture laid out and rendered by graphviz's library, in one
 * graphviz context for the whole process, made at the first picture and
 * never freed: graphviz 2.42's pango plugin keeps a pointer to the last
 * font name of the context that laid out before, so a picture laid out
 * in a second context read freed memory (found by fuzz_engine_native,
 * tests/robust/engine).
 */
int report_graph_svg(FILE *f, const struct graph_picture *pic)
{
	static GVC_t *gvc;
	char *dot = NULL, *svg = NULL;
	size_t dot_len = 0;
	unsigned int svg_len = 0;
	Agraph_t *ag = NULL;
	bool laid_out = false;
	int rc = -1;
	FILE *mem = open_memstream(&dot, &dot_len);
	if (!mem)
		goto out;
	int dot_rc = report_graph_dot(mem, pic);
	if (fclose(mem) || dot_rc)
		goto out;
	if (!gvc)
		gvc = gvContext();
	if (!gvc)
		goto out;
	ag = agmemread(dot);
	if (!ag)
		goto out;
	laid_out = true; /* gvFreeLayout also undoes a failed layout */
	if (gvLayout(gvc, ag, "dot"))
		goto out;
	if (gvRenderData(gvc, ag, "svg", &svg, &svg_len) || !svg)
		goto out;
	if (fwrite(svg, 1, svg_len, f) != svg_len)
		goto out;
	rc = 0;
out:
	if (svg)
		gvFreeRenderData(svg);
	if (laid_out)
		gvFreeLayout(gvc, ag);
	if (ag)
		agclose(ag);
	free(dot);
	return rc;
}

/*
 * The scene of a picture (report/picture_impl.h): what is drawn where,
 * computed once from the views, and the walk that hands its boxes, nodes
 * and flows to the writers' emitters (report/picture.c) and to the layout
 * (report/picture_layout.c) in one order, under one set of ids and
 * labels.  docs/graph.md says what a reader sees; report/picture.c's
 * comment says how a picture is made.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/json.h"
#include "report/picture_impl.h"

void picture_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t off = strlen(buf);
	if (off + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + off, size - off, fmt, ap);
	va_end(ap);
}

/* ---- the scene ------------------------------------------------------- */

void picture_scene_free(struct scene *sc)
{
	for (uint32_t i = 0; i < sc->n_segs; i++) {
		struct seg *g = &sc->segs[i];
		free(g->from);
		free(g->to);
		ports_free(&g->tcp);
		ports_free(&g->udp);
		free(g->names);
		free(g->blockers);
	}
	free(sc->segs);
	free(sc->keep);
	free(sc->covered);
	free(sc->exposed);
	free(sc->tier);
	free(sc->order);
	free(sc->subnet_pos);
	free(sc->subnet_az);
	free(sc->azs);
	free(sc->vpc_az_first);
	free(sc->spread);
	free(sc->sites);
	free(sc->nsite_first);
	free(sc->nsite_n);
	free(sc->by_box);
	free(sc->box_first);
	free(sc->markers);
	free(sc->node_mfirst);
	free(sc->node_mn);
	free(sc->by_subnet);
	free(sc->marker_first);
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
	sc->subnet_az = xcalloc(ns + 1, sizeof(uint32_t));
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
			struct az_box *az = &sc->azs[n_azs];
			az->name = names[j];
			az->first = k;
			for (int pub = 1; pub >= 0; pub--)
				for (uint32_t i = 0; i < nsub; i++) {
					uint32_t s = sub[i];
					if (m->subnets[s].is_public == pub &&
					    !strcmp(az_of(&m->subnets[s]),
						    names[j])) {
						sc->subnet_az[s] = n_azs;
						sc->order[k++] = s;
					}
				}
			az->n = k - az->first;
			n_azs++;
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

/* Whether a resource spread over several subnets is drawn once: all but
 * load balancers and interface endpoints, whose nodes are all real at
 * once (a NAT gateway or an instance has one subnet anyway). */
static bool drawn_once(enum model_kind k)
{
	return k != MK_LOAD_BALANCER && k != MK_VPC_ENDPOINT;
}

static void add_marker(struct scene *sc, uint32_t node, uint32_t subnet,
		       uint32_t *cap)
{
	if (sc->n_markers == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		sc->markers =
		    xreallocarray(sc->markers, *cap, sizeof(*sc->markers));
	}
	sc->markers[sc->n_markers++] = (struct marker){node, subnet};
}

/* The sites of a resource or group node: the subnets of its (first)
 * member's placements, in drawing order; one site and a marker per
 * subnet when it is drawn once. */
static void add_resource_sites(struct scene *sc, uint32_t node,
			       const struct reach_node *n, uint32_t *cap,
			       uint32_t *mcap)
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
			*st = (struct site){.node = node,
					    .subnet = p[i].subnet,
					    .vpc =
						sc->m->subnets[p[i].subnet].vpc,
					    .az = UINT32_MAX,
					    .first_az = UINT32_MAX};
		}
		st->has_public |= p[i].has_public;
	}
	sc->node_mfirst[node] = sc->n_markers;
	if (sc->n_sites - first < 2 || !drawn_once(n->rkind))
		return;
	/* Drawn once: a marker per subnet, one site in the AZ box when
	 * every subnet is in one zone, else in the VPC box. */
	struct site once = sc->sites[first];
	once.subnet = MODEL_NONE;
	once.first_az = sc->subnet_az[sc->sites[first].subnet];
	once.az = once.first_az;
	for (uint32_t k = first; k < sc->n_sites; k++) {
		add_marker(sc, node, sc->sites[k].subnet, mcap);
		once.has_public |= sc->sites[k].has_public;
		if (sc->subnet_az[sc->sites[k].subnet] != once.first_az)
			once.az = UINT32_MAX;
	}
	sc->node_mn[node] = sc->n_markers - sc->node_mfirst[node];
	sc->n_sites = first + 1;
	sc->sites[first] = once;
	sc->spread[node] = true;
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

static void add_sites(struct scene *sc, uint32_t node, uint32_t *cap,
		      uint32_t *mcap)
{
	const struct graph_view_node *vn = &sc->all->nodes[node];
	uint32_t first = sc->n_sites;
	enum graph_detail d = sc->all->detail;
	sc->node_mfirst[node] = sc->n_markers;
	if (graph_details[d].by == GATHER_SUBNET) {
		*new_site(sc, cap) = (struct site){
		    .node = node,
		    .subnet = vn->where,
		    .vpc = sc->m->subnets[vn->where].vpc,
		    .az = UINT32_MAX,
		    .first_az = UINT32_MAX,
		    .has_public = members_public(sc, node, vn->where)};
	} else if (graph_details[d].by == GATHER_VPC) {
		*new_site(sc, cap) = (struct site){
		    .node = node,
		    .subnet = MODEL_NONE,
		    .vpc = vn->where,
		    .az = UINT32_MAX,
		    .first_az = UINT32_MAX,
		    .has_public = members_public(sc, node, MODEL_NONE)};
	} else {
		add_resource_sites(sc, node, &vn->n, cap, mcap);
	}
	sc->nsite_first[node] = first;
	sc->nsite_n[node] = sc->n_sites - first;
}

uint32_t picture_site_box(const struct scene *sc, const struct site *st)
{
	uint32_t ns = sc->m->n[MK_SUBNET], nv = sc->m->n[MK_VPC];
	if (st->subnet != MODEL_NONE)
		return st->subnet;
	if (st->az != UINT32_MAX)
		return ns + nv + 1 + st->az;
	return ns + (st->vpc < nv ? st->vpc : nv);
}

/* Sites by box and markers by subnet: counting sorts keep node order. */
static void group_sites(struct scene *sc)
{
	uint32_t ns = sc->m->n[MK_SUBNET];
	uint32_t nb =
	    ns + sc->m->n[MK_VPC] + 1 + sc->vpc_az_first[sc->m->n[MK_VPC]];
	sc->box_first = xcalloc(nb + 1, sizeof(uint32_t));
	sc->by_box = xcalloc(sc->n_sites + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < sc->n_sites; i++)
		sc->box_first[picture_site_box(sc, &sc->sites[i]) + 1]++;
	for (uint32_t b = 0; b < nb; b++)
		sc->box_first[b + 1] += sc->box_first[b];
	uint32_t *fill = xcalloc(nb + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < sc->n_sites; i++) {
		uint32_t b = picture_site_box(sc, &sc->sites[i]);
		sc->by_box[sc->box_first[b] + fill[b]++] = i;
	}
	free(fill);
	sc->marker_first = xcalloc(ns + 2, sizeof(uint32_t));
	sc->by_subnet = xcalloc(sc->n_markers + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < sc->n_markers; i++)
		sc->marker_first[sc->markers[i].subnet + 1]++;
	for (uint32_t s = 0; s < ns; s++)
		sc->marker_first[s + 1] += sc->marker_first[s];
	fill = xcalloc(ns + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < sc->n_markers; i++) {
		uint32_t s = sc->markers[i].subnet;
		sc->by_subnet[sc->marker_first[s] + fill[s]++] = i;
	}
	free(fill);
}

uint32_t picture_site_in(const struct scene *sc, uint32_t node, uint32_t subnet)
{
	uint32_t first = sc->nsite_first[node], n = sc->nsite_n[node];
	if (!n)
		return UINT32_MAX;
	for (uint32_t i = first; i < first + n; i++)
		if (sc->sites[i].subnet == subnet)
			return i;
	return first;
}

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
 * Whether an edge leaves a data store drawn as itself (not a group,
 * subnet or VPC of several).  A database opens no connection of its own:
 * the engine lets it, as any address a group admits, but the guide never
 * draws one, and an arrow database -> database (a shared group) reads as
 * replication.  --all-flows draws them.
 */
static bool from_data_store(const struct scene *sc, const struct graph_edge *e)
{
	const struct graph_view_node *n = &sc->all->nodes[e->from];
	return !n->aggregate && n->n.kind == RN_RESOURCE &&
	       n->n.rkind == MK_DATABASE;
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
	       (k == FLOW_OTHER && !sc->exposed[e->to] &&
		!from_data_store(sc, e));
}

/* The row a resource starts from when nothing above leads to it: 1 when
 * it has a site (or a marker) in a public subnet, else 2. */
static uint32_t base_tier(const struct scene *sc, uint32_t v)
{
	for (uint32_t i = 0; i < sc->node_mn[v]; i++) {
		uint32_t s = sc->markers[sc->node_mfirst[v] + i].subnet;
		if (sc->m->subnets[s].is_public)
			return 1;
	}
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
 * Rows, as the guide has them: the internet on top, the gateways of the
 * VPCs below it, then what the internet reaches, then what that forwards
 * to or calls, and so on: the longest path over the edges that shape the
 * layout, after a depth-first search from the internet (then from every
 * other node) has dropped the edges that close a cycle.  Public resources
 * start in row 2 and private ones in row 3 at the least; the AWS services
 * go below everything.
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
	/* Row 1 is the gateways': every resource one row down. */
	sc->max_tier = 2;
	for (uint32_t v = 0; v < n; v++)
		if (is_resource(sc, v)) {
			sc->tier[v]++;
			if (sc->tier[v] > sc->max_tier)
				sc->max_tier = sc->tier[v];
		}
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
void picture_scene_init(struct scene *sc, const struct graph_picture *pic)
{
	const struct graph_view *g = pic->all;
	memset(sc, 0, sizeof(*sc));
	sc->all = g;
	sc->view = pic->drawn ? pic->drawn : pic->all;
	sc->m = sim_model(g->s);
	sc->from = pic->from;
	sc->from_node =
	    pic->from ? graph_view_node_of(g, pic->from) : UINT32_MAX;
	sc->vpc_level = graph_details[g->detail].by == GATHER_VPC;
	sc->teach = !pic->all_flows && g->detail == GRAPH_ENDPOINTS;
	sc->shorten = true;
	sc->internet = UINT32_MAX;
	sc->exposed = xcalloc(g->n_nodes + 1, sizeof(bool));
	sc->spread = xcalloc(g->n_nodes + 1, sizeof(bool));
	sc->nsite_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	sc->nsite_n = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	sc->node_mfirst = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	sc->node_mn = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++)
		if (g->nodes[v].n.kind == RN_INTERNET)
			sc->internet = v;
	for (uint32_t e = 0; e < g->n_edges; e++)
		if (g->edges[e].from == sc->internet)
			sc->exposed[g->edges[e].to] = true;
	order_subnets(sc);
	uint32_t cap = 0, mcap = 0;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		if (is_resource(sc, v))
			add_sites(sc, v, &cap, &mcap);
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

void picture_site_id(char *buf, size_t size, const struct scene *sc,
		     uint32_t site)
{
	make_id(buf, size, "n", site,
		graph_view_node_name(sc->all, sc->sites[site].node));
}

static void marker_id(char *buf, size_t size, const struct scene *sc,
		      uint32_t k)
{
	make_id(buf, size, "m", k,
		graph_view_node_name(sc->all, sc->markers[k].node));
}

void picture_vertex_id(char *buf, size_t size, const struct scene *sc,
		       uint32_t v)
{
	const struct reach_node *n = &sc->all->nodes[v].n;
	if (n->kind == RN_INTERNET)
		snprintf(buf, size, "internet");
	else /* "aws:ecr" -> "aws_ecr" */
		make_id(buf, size, "aws", -1,
			sim_service_name(n->service) + strlen("aws:"));
}

void picture_igw_id(char *buf, size_t size, const struct model *m, uint32_t i)
{
	make_id(buf, size, "igw", i, m->igws[i].obj.id);
}

void picture_vpce_id(char *buf, size_t size, const struct model *m, uint32_t i)
{
	make_id(buf, size, "vpce", i, m->endpoints[i].obj.id);
}

void report_graph_anchor(char *buf, size_t size, enum model_kind kind,
			 uint32_t index)
{
	snprintf(buf, size, "obj_%s_%u", model_kind_name(kind), index);
}

/* The anchor of drawing k (0 the first) of an object. */
static void anchor_of(char *buf, size_t size, enum model_kind kind,
		      uint32_t index, uint32_t k)
{
	report_graph_anchor(buf, size, kind, index);
	if (k)
		picture_append(buf, size, "_%u", k + 1);
}

/* name, or its first and last characters around "…" when it has more
 * than NAME_MAX_CHARS: long generated names (CDK, Terraform modules)
 * stay inside their boxes.  Returns whether it was shortened. */
static bool short_name(const struct scene *sc, char *buf, size_t size,
		       const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t chars = 0;
	for (size_t i = 0; p[i];) {
		int n = util_utf8_len(p + i);
		i += n > 0 ? (size_t)n : 1;
		chars++;
	}
	if (chars <= NAME_MAX_CHARS || !sc->shorten) {
		snprintf(buf, size, "%s", name);
		return false;
	}
	uint32_t head = (NAME_MAX_CHARS - 1) / 2;
	uint32_t tail = NAME_MAX_CHARS - 1 - head;
	size_t i = 0, off = 0;
	for (uint32_t c = 0; c < chars; c++) {
		int n = util_utf8_len(p + i);
		size_t len = n > 0 ? (size_t)n : 1;
		if (c < head || c >= chars - tail) {
			if (off + len + 1 < size) {
				memcpy(buf + off, p + i, len);
				off += len;
			}
		} else if (c == head && off + 4 < size) {
			memcpy(buf + off, "\xe2\x80\xa6", 3); /* … */
			off += 3;
		}
		i += len;
	}
	buf[off] = '\0';
	return true;
}

static void lb_label(char *buf, size_t size,
		     const struct model_load_balancer *lb)
{
	picture_append(buf, size, "%s, %s",
		       lb->type == LB_APPLICATION ? "ALB"
		       : lb->type == LB_CLASSIC	  ? "classic ELB"
						  : "NLB",
		       lb->internet_facing ? "internet-facing" : "internal");
	for (uint32_t i = 0; i < lb->n_listeners; i++)
		picture_append(buf, size, "%s:%u", i ? " " : "\n",
			       lb->listeners[i].port);
}

/* A service's container ports, ":3000 :53/udp", each after sep. */
static void service_ports(char *buf, size_t size, const struct model *m,
			  const struct model_service *svc, const char *sep)
{
	if (svc->task_definition == MODEL_NONE)
		return;
	const struct model_task_definition *td =
	    &m->task_definitions[svc->task_definition];
	bool first = true;
	for (uint32_t c = 0; c < td->n_containers; c++)
		for (uint32_t p = 0; p < td->containers[c].n_ports; p++) {
			const struct model_port_mapping *pm =
			    &td->containers[c].ports[p];
			picture_append(buf, size, "%s:%u%s", first ? sep : " ",
				       pm->port,
				       pm->proto == PROTO_UDP ? "/udp" : "");
			first = false;
		}
}

/* Tasks of svc that ECS puts in subnet s: the count spread evenly over
 * its subnets, the first ones taking one more when it does not divide
 * (as model_finish counts them for capacity). */
static uint32_t tasks_in(const struct model_service *svc, uint32_t s)
{
	for (uint32_t k = 0; k < svc->n_subnets; k++)
		if (svc->subnets[k] == s)
			return svc->desired_count / svc->n_subnets +
			       (k < svc->desired_count % svc->n_subnets);
	return 0;
}

static void service_label(char *buf, size_t size, const struct model *m,
			  const struct model_service *svc, bool once)
{
	if (once)
		picture_append(buf, size, "ECS service: %u task%s in all",
			       svc->desired_count,
			       svc->desired_count == 1 ? "" : "s");
	else
		picture_append(buf, size, "ECS service, %u task%s",
			       svc->desired_count,
			       svc->desired_count == 1 ? "" : "s");
	service_ports(buf, size, m, svc, "\n");
}

static void database_label(char *buf, size_t size, const struct scene *sc,
			   const struct model_database *db, bool once)
{
	const struct model *m = sc->m;
	picture_append(buf, size, "%s :%u",
		       db->engine ? db->engine : "database", db->port);
	if (db->replica_of != MODEL_NONE) {
		char name[LABEL_MAX];
		short_name(sc, name, sizeof(name),
			   obj_id(m, MK_DATABASE, db->replica_of));
		picture_append(buf, size, "\nreplica of %s", name);
	} else if (db->multi_az) {
		picture_append(buf, size, ", multi-AZ");
	}
	if (once)
		picture_append(buf, size, "\nin one of its subnets");
}

/* What a resource is, appended to buf; once: it is drawn once for
 * several subnets. */
static void resource_what(char *buf, size_t size, const struct scene *sc,
			  const struct reach_node *n, bool once)
{
	const struct model *m = sc->m;
	switch (n->rkind) {
	case MK_LOAD_BALANCER:
		lb_label(buf, size, &m->lbs[n->rindex]);
		break;
	case MK_SERVICE:
		service_label(buf, size, m, &m->services[n->rindex], once);
		break;
	case MK_DATABASE:
		database_label(buf, size, sc, &m->databases[n->rindex], once);
		break;
	case MK_NAT_GATEWAY:
		picture_append(
		    buf, size, "NAT gateway%s",
		    m->nat_gateways[n->rindex].is_public ? "" : " (private)");
		break;
	case MK_INSTANCE:
		picture_append(buf, size, "%s",
			       m->instances[n->rindex].is_interface
				   ? "network interface"
				   : "EC2 instance");
		break;
	case MK_VPC_ENDPOINT:
		picture_append(buf, size, "interface endpoint %s",
			       m->endpoints[n->rindex].service);
		break;
	case MK_FLEET:
		picture_append(buf, size, "%s",
			       model_noun(m, MK_FLEET, n->rindex));
		if (once)
			picture_append(buf, size, "\nin %u subnets",
				       m->fleets[n->rindex].n_subnets);
		break;
	default:
		picture_append(buf, size, "%s", model_kind_name(n->rkind));
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
			picture_append(buf, size, "\n%u %s", count[k],
				       kind_words(k, count[k] != 1));
}

/*
 * Name, then what it is; a last line when the site has a public IP.  A
 * group of twins is named by its first member and how many more; a
 * subnet's or VPC's node by what it holds.  full receives the same with
 * the whole name (the tooltip).
 */
static void site_label(char *buf, size_t size, char *full, size_t fsize,
		       const struct scene *sc, const struct site *st)
{
	const struct model *m = sc->m;
	const struct graph_view_node *vn = &sc->all->nodes[st->node];
	const struct reach_node *n = &vn->n;
	int by = graph_details[sc->all->detail].by;
	if (by == GATHER_SUBNET || by == GATHER_VPC) {
		aggregate_label(buf, size, sc, vn);
		snprintf(full, fsize, "%s", buf);
	} else {
		const char *id = obj_id(m, n->rkind, n->rindex);
		short_name(sc, buf, size, id);
		snprintf(full, fsize, "%s", id);
		if (by == GATHER_GROUP && vn->count > 1) {
			picture_append(buf, size, " (+%u alike)",
				       vn->count - 1);
			picture_append(full, fsize, " (+%u alike)",
				       vn->count - 1);
		}
		char what[LABEL_MAX] = "";
		resource_what(what, sizeof(what), sc, n, sc->spread[st->node]);
		picture_append(buf, size, "\n%s", what);
		picture_append(full, fsize, "\n%s", what);
	}
	if (st->has_public) {
		picture_append(buf, size, "\npublic IP");
		picture_append(full, fsize, "\npublic IP");
	}
}

/* What runs in one subnet of a node drawn once. */
static void marker_label(char *buf, size_t size, const struct scene *sc,
			 const struct marker *mk)
{
	const struct graph_view_node *vn = &sc->all->nodes[mk->node];
	const struct reach_node *n = &vn->n;
	char name[NAME_BUF];
	short_name(sc, name, sizeof(name), obj_id(sc->m, n->rkind, n->rindex));
	if (n->rkind == MK_SERVICE) {
		uint32_t t = tasks_in(&sc->m->services[n->rindex], mk->subnet);
		snprintf(buf, size, "%u task%s of %s", t, t == 1 ? "" : "s",
			 name);
	} else if (n->rkind == MK_FLEET) {
		snprintf(buf, size, "%s runs here", name);
	} else {
		snprintf(buf, size, "%s may run here", name);
	}
	if (vn->count > 1)
		picture_append(buf, size, " (+%u alike)", vn->count - 1);
}

/* The edge's ports, and whether it holds for every placement pair. */
static void flow_label(char *buf, size_t size, const struct graph_edge *e)
{
	graph_edge_label(buf, size, e);
	if (!ports_equal(&e->tcp_all, &e->tcp_some) ||
	    !ports_equal(&e->udp_all, &e->udp_some))
		picture_append(buf, size, " (some placements)");
	if (e->degraded)
		picture_append(buf, size, " (degraded)");
}

void picture_ports_label(char *buf, size_t size, const struct ports *tcp,
			 const struct ports *udp)
{
	struct graph_edge e = {0};
	e.tcp_some = *tcp;
	e.udp_some = *udp;
	graph_edge_label(buf, size, &e);
}

void picture_seg_label(char *buf, size_t size, const struct seg *g)
{
	size_t off = 0;
	buf[0] = '\0';
	if (g->ports_shown)
		picture_ports_label(buf, size, &g->tcp, &g->udp);
	off = strlen(buf);
	if (g->some && off < size)
		off += (size_t)snprintf(buf + off, size - off,
					" (some placements)");
	if (g->names && off < size)
		off += (size_t)snprintf(buf + off, size - off, "%sto %s",
					off ? "\n" : "", g->names);
	if (g->blockers && off < size)
		snprintf(buf + off, size - off, "%sblocked by %s",
			 off ? "\n" : "", g->blockers);
}

/* ---- walking the scene ----------------------------------------------- */

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

static void emit_site(const struct scene *sc, const struct emitter *em,
		      void *ctx, uint32_t i)
{
	const struct site *st = &sc->sites[i];
	const struct graph_view_node *vn = &sc->all->nodes[st->node];
	char nid[ID_MAX], nlabel[LABEL_MAX], full[LABEL_MAX], anchor[ID_MAX];
	picture_site_id(nid, sizeof(nid), sc, i);
	site_label(nlabel, sizeof(nlabel), full, sizeof(full), sc, st);
	struct item it = {.id = nid,
			  .label = nlabel,
			  .tooltip = full,
			  .look = node_look(sc, st->node),
			  .exposed = sc->exposed[st->node],
			  .tier = sc->tier[st->node]};
	if (!vn->aggregate ||
	    graph_details[sc->all->detail].by == GATHER_GROUP) {
		anchor_of(anchor, sizeof(anchor), vn->n.rkind, vn->n.rindex,
			  i - sc->nsite_first[st->node]);
		it.anchor = anchor;
	}
	em->node(ctx, &it);
}

/* The sites drawn in a box (a subnet, an AZ, or a VPC); with only_az,
 * in a VPC box those right of that AZ.  Returns how many. */
static uint32_t walk_sites(const struct scene *sc, const struct emitter *em,
			   void *ctx, uint32_t b, uint32_t only_az)
{
	uint32_t first = sc->box_first[b];
	uint32_t n = sc->box_first[b + 1] - first, drawn = 0;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = sc->by_box[first + k];
		if (only_az != UINT32_MAX && sc->sites[i].first_az != only_az)
			continue;
		emit_site(sc, em, ctx, i);
		drawn++;
	}
	return drawn;
}

static uint32_t walk_markers(const struct scene *sc, const struct emitter *em,
			     void *ctx, uint32_t s)
{
	uint32_t first = sc->marker_first[s];
	uint32_t n = sc->marker_first[s + 1] - first;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = sc->by_subnet[first + k];
		char id[ID_MAX], label[LABEL_MAX];
		marker_id(id, sizeof(id), sc, i);
		marker_label(label, sizeof(label), sc, &sc->markers[i]);
		struct item it = {.id = id,
				  .label = label,
				  .look = LOOK_MARKER,
				  .tier = sc->tier[sc->markers[i].node]};
		em->node(ctx, &it);
	}
	return n;
}

/* "NACL web-nacl" when the subnet's network ACL is one the input gives
 * (not the implicit allow-all default): a marker on the subnet. */
static bool nacl_badge(char *buf, size_t size, const struct scene *sc,
		       const struct model_subnet *sn)
{
	const struct model *m = sc->m;
	if (sn->nacl == MODEL_NONE || sn->nacl >= m->n[MK_NETWORK_ACL] ||
	    m->nacls[sn->nacl].obj.implicit)
		return false;
	char name[NAME_BUF];
	short_name(sc, name, sizeof(name), m->nacls[sn->nacl].obj.id);
	snprintf(buf, size, "NACL %s", name);
	return true;
}

static void walk_subnet(const struct scene *sc, const struct emitter *em,
			void *ctx, uint32_t s)
{
	const struct model_subnet *sn = &sc->m->subnets[s];
	char id[ID_MAX], label[LABEL_MAX], full[LABEL_MAX], badge[NAME_BUF + 8];
	char cidr[CIDR_STRLEN] = "?", anchor[ID_MAX];
	make_id(id, sizeof(id), "subnet", s, sn->obj.id);
	if (sn->cidr.len <= 32)
		cidr_format(cidr, sn->cidr);
	short_name(sc, label, sizeof(label), sn->obj.id);
	picture_append(label, sizeof(label), "\n%s subnet %s",
		       sn->is_public ? "public" : "private", cidr);
	snprintf(full, sizeof(full), "%s: %s subnet %s (%s)", sn->obj.id,
		 sn->is_public ? "public" : "private", cidr,
		 sn->why ? sn->why : "");
	anchor_of(anchor, sizeof(anchor), MK_SUBNET, s, 0);
	struct item box = {.id = id,
			   .label = label,
			   .tooltip = full,
			   .anchor = anchor,
			   .look = sn->is_public ? LOOK_PUBLIC : LOOK_PRIVATE};
	if (nacl_badge(badge, sizeof(badge), sc, sn))
		box.badge = badge;
	em->begin(ctx, &box);
	uint32_t n = walk_sites(sc, em, ctx, s, UINT32_MAX);
	n += walk_markers(sc, em, ctx, s);
	if (!n) {
		char nid[ID_MAX];
		make_id(nid, sizeof(nid), "empty", s, NULL);
		struct item it = {.id = nid,
				  .label = "no resources",
				  .look = LOOK_EMPTY,
				  .tier = sn->is_public ? 2 : 3};
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
	struct item box = {.id = id, .label = label, .look = LOOK_AZ};
	em->begin(ctx, &box);
	for (uint32_t k = 0; k < az->n; k++)
		walk_subnet(sc, em, ctx, sc->order[az->first + k]);
	/* What is drawn once for several subnets of this zone. */
	walk_sites(sc, em, ctx, sc->m->n[MK_SUBNET] + sc->m->n[MK_VPC] + 1 + j,
		   UINT32_MAX);
	em->end(ctx, &box);
}

/* Gateways belong to the VPC, not to a subnet or an AZ. */
static bool walk_gateways(const struct scene *sc, const struct emitter *em,
			  void *ctx, uint32_t vpc)
{
	const struct model *m = sc->m;
	char id[ID_MAX], label[LABEL_MAX], name[NAME_BUF], anchor[ID_MAX];
	bool any = false;
	for (uint32_t i = 0; i < m->n[MK_INTERNET_GATEWAY]; i++) {
		if (m->igws[i].vpc != vpc)
			continue;
		picture_igw_id(id, sizeof(id), m, i);
		short_name(sc, name, sizeof(name), m->igws[i].obj.id);
		snprintf(label, sizeof(label), "%s\n%s", name,
			 m->igws[i].egress_only ? "egress-only internet gateway"
						: "internet gateway");
		anchor_of(anchor, sizeof(anchor), MK_INTERNET_GATEWAY, i, 0);
		struct item it = {.id = id,
				  .label = label,
				  .tooltip = m->igws[i].obj.id,
				  .anchor = anchor,
				  .look = LOOK_NETWORK,
				  .tier = 1};
		em->node(ctx, &it);
		any = true;
	}
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++) {
		const struct model_vpc_endpoint *ep = &m->endpoints[i];
		if (ep->vpc != vpc || ep->type != VPCE_GATEWAY)
			continue;
		picture_vpce_id(id, sizeof(id), m, i);
		short_name(sc, name, sizeof(name), ep->obj.id);
		snprintf(label, sizeof(label), "%s\ngateway endpoint %s", name,
			 ep->service);
		anchor_of(anchor, sizeof(anchor), MK_VPC_ENDPOINT, i, 0);
		struct item it = {.id = id,
				  .label = label,
				  .tooltip = ep->obj.id,
				  .anchor = anchor,
				  .look = LOOK_NETWORK,
				  .tier = 1};
		em->node(ctx, &it);
		any = true;
	}
	return any;
}

static void walk_vpc(const struct scene *sc, const struct emitter *em,
		     void *ctx, uint32_t vpc)
{
	const struct model_vpc *vp = &sc->m->vpcs[vpc];
	char id[ID_MAX], label[LABEL_MAX], name[NAME_BUF], anchor[ID_MAX];
	make_id(id, sizeof(id), "vpc", vpc, vp->obj.id);
	short_name(sc, name, sizeof(name), vp->obj.id);
	snprintf(label, sizeof(label), "VPC %s", name);
	for (uint32_t i = 0; i < vp->n_cidrs; i++) {
		char c[CIDR_STRLEN];
		cidr_format(c, vp->cidrs[i]);
		picture_append(label, sizeof(label), "%s%s", i ? ", " : "\n",
			       c);
	}
	anchor_of(anchor, sizeof(anchor), MK_VPC, vpc, 0);
	struct item box = {.id = id,
			   .label = label,
			   .tooltip = vp->obj.id,
			   .anchor = anchor,
			   .look = LOOK_VPC};
	em->begin(ctx, &box);
	uint32_t first = sc->vpc_az_first[vpc];
	uint32_t n = sc->vpc_az_first[vpc + 1] - first;
	uint32_t vbox = sc->m->n[MK_SUBNET] + vpc;
	bool any = walk_gateways(sc, em, ctx, vpc);
	/* At the VPC level its node stands for every subnet's resources. */
	if (sc->vpc_level)
		any |= walk_sites(sc, em, ctx, vbox, UINT32_MAX) > 0;
	else
		any |= n > 0;
	for (uint32_t k = 0; k < n && !sc->vpc_level; k++) {
		walk_az(sc, em, ctx, vpc, first + k);
		/* What spreads over zones, right of its first one. */
		walk_sites(sc, em, ctx, vbox, first + k);
	}
	if (!any) {
		make_id(id, sizeof(id), "emptyvpc", vpc, NULL);
		struct item it = {.id = id,
				  .label = "no subnets",
				  .look = LOOK_EMPTY,
				  .tier = 1};
		em->node(ctx, &it);
	}
	em->end(ctx, &box);
}

static void walk_services(const struct scene *sc, const struct emitter *em,
			  void *ctx)
{
	const struct graph_view *g = sc->all;
	struct item box = {
	    .id = "aws_services", .label = "AWS services", .look = LOOK_AWS};
	bool open = false;
	if (sc->teach && !sc->services_drawn)
		return;
	for (uint32_t v = 0; v < g->n_nodes; v++) {
		if (g->nodes[v].n.kind != RN_SERVICE)
			continue;
		if (!open)
			em->begin(ctx, &box);
		open = true;
		char id[ID_MAX];
		picture_vertex_id(id, sizeof(id), sc, v);
		struct item it = {.id = id,
				  .label =
				      sim_service_name(g->nodes[v].n.service),
				  .look = LOOK_AWS_SERVICE,
				  .tier = sc->tier[v]};
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
		char id[ID_MAX], label[LABEL_MAX], a[NAME_BUF], b[NAME_BUF];
		char name[NAME_BUF], anchor[ID_MAX];
		make_id(id, sizeof(id), "pcx", i, pc->obj.id);
		short_name(sc, name, sizeof(name), pc->obj.id);
		short_name(sc, a, sizeof(a), obj_id(m, MK_VPC, pc->requester));
		short_name(sc, b, sizeof(b), obj_id(m, MK_VPC, pc->accepter));
		snprintf(label, sizeof(label), "%s\npeering %s - %s", name, a,
			 b);
		anchor_of(anchor, sizeof(anchor), MK_PEERING, i, 0);
		struct item it = {.id = id,
				  .label = label,
				  .tooltip = pc->obj.id,
				  .anchor = anchor,
				  .look = LOOK_NETWORK,
				  .tier = 1};
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
		picture_vertex_id(buf, size, sc, v);
	else
		picture_site_id(buf, size, sc, first + i);
}

/* One graph edge, from every drawing of its source to every drawing of
 * its destination; context: drawn lighter. */
static void draw_edge(const struct scene *sc, const struct emitter *em,
		      void *ctx, const struct graph_edge *e, bool context)
{
	char label[LABEL_MAX], from[ID_MAX], to[ID_MAX];
	flow_label(label, sizeof(label), e);
	struct flow_item it = {from, to, NULL, label, flow_of(sc, e), context};
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
		picture_append(label, sizeof(label), "%s", *label ? "\n" : "");
		const char *sep = "";
		for (uint32_t j = i; j < n; j++) {
			if (!to_service(sc, &es[j]))
				continue;
			flow_label(b, sizeof(b), &es[j]);
			if (strcmp(a, b))
				continue;
			picture_append(
			    label, sizeof(label), "%s%s", sep,
			    reach_node_name(sc->all->s,
					    &sc->all->nodes[es[j].to].n));
			sep = ", ";
		}
		picture_append(label, sizeof(label), ": %s", a);
	}
	if (!first)
		return;
	char from[ID_MAX], to[ID_MAX];
	picture_vertex_id(to, sizeof(to), sc, first->to);
	struct flow_item it = {
	    from, to, "aws_services", label, flow_of(sc, first), true};
	uint32_t f0;
	uint32_t nf = vertex_ends(sc, first->from, &f0);
	for (uint32_t i = 0; i < nf; i++) {
		end_id(from, sizeof(from), sc, first->from, f0, i);
		em->edge(ctx, &it);
	}
}

/*
 * The teaching picture's flows: the view's edges inside the VPCs (not the
 * internet's, drawn through its gateway, nor those out, drawn through
 * theirs, nor calls to what the internet reaches anyway unless intended),
 * then the picture's own arrows.
 */
static void walk_teaching_edges(const struct scene *sc,
				const struct emitter *em, void *ctx)
{
	const struct graph_view *v = sc->view;
	for (uint32_t i = 0; i < v->n_edges; i++) {
		const struct graph_edge *e = &v->edges[i];
		enum flow_kind k = flow_of(sc, e);
		if (k == FLOW_EXPOSURE || k == FLOW_OUTBOUND)
			continue;
		if ((!shapes_layout(sc, e) && !sc->keep[i]) || sc->covered[i])
			continue;
		draw_edge(sc, em, ctx, e, false);
	}
	for (uint32_t i = 0; i < sc->n_segs; i++) {
		const struct seg *g = &sc->segs[i];
		if (sc->from_node != UINT32_MAX && g->src != sc->from_node)
			continue;
		char label[LABEL_MAX];
		picture_seg_label(label, sizeof(label), g);
		struct flow_item it = {g->from, g->to,	 g->to_box,
				       label,	g->kind, false};
		em->edge(ctx, &it);
	}
}

/* A node drawn once, to each marker of it: where it runs. */
static void walk_parts(const struct scene *sc, const struct emitter *em,
		       void *ctx)
{
	for (uint32_t v = 0; v < sc->all->n_nodes; v++) {
		if (!sc->spread[v])
			continue;
		char from[ID_MAX], to[ID_MAX];
		picture_site_id(from, sizeof(from), sc, sc->nsite_first[v]);
		for (uint32_t k = 0; k < sc->node_mn[v]; k++) {
			marker_id(to, sizeof(to), sc, sc->node_mfirst[v] + k);
			struct flow_item it = {from, to,	NULL,
					       "",   FLOW_PART, false};
			em->edge(ctx, &it);
		}
	}
}

static void walk_edges(const struct scene *sc, const struct emitter *em,
		       void *ctx)
{
	walk_parts(sc, em, ctx);
	if (sc->teach) {
		walk_teaching_edges(sc, em, ctx);
		return;
	}
	const struct graph_view *v = sc->view;
	for (uint32_t src = 0; src < v->n_nodes; src++) {
		uint32_t n = v->out_first[src + 1] - v->out_first[src];
		if (!n) /* a view without edges has edges NULL */
			continue;
		const struct graph_edge *es = &v->edges[v->out_first[src]];
		for (uint32_t i = 0; i < n; i++)
			if (!to_service(sc, &es[i]))
				draw_edge(sc, em, ctx, &es[i],
					  !shapes_layout(sc, &es[i]));
		draw_service_edges(sc, em, ctx, es, n);
	}
}

/*
 * Everything, outermost first: the internet, then the region with, left
 * to right, its VPCs, peerings and AWS services, then the flows.
 */
void picture_walk(const struct scene *sc, const struct emitter *em, void *ctx)
{
	const struct model *m = sc->m;
	char label[LABEL_MAX];
	if (sc->internet != UINT32_MAX) {
		struct item it = {.id = "internet",
				  .label = "Internet",
				  .look = LOOK_INTERNET};
		em->node(ctx, &it);
	}
	snprintf(label, sizeof(label), "AWS Region%s%s", m->region ? " " : "",
		 m->region ? m->region : "");
	struct item region = {
	    .id = "region", .label = label, .look = LOOK_REGION};
	em->begin(ctx, &region);
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++)
		walk_vpc(sc, em, ctx, i);
	walk_peerings(sc, em, ctx);
	walk_services(sc, em, ctx);
	em->end(ctx, &region);
	walk_edges(sc, em, ctx);
}

/* What the picture shows, in one line: its file and which flows. */
void picture_caption(char *buf, size_t size, const struct scene *sc)
{
	static const char *const level[GRAPH_DETAILS] = {
	    [GRAPH_ENDPOINTS] = "",
	    [GRAPH_GROUPS] = ", twins drawn as one",
	    [GRAPH_SUBNETS] = ", subnet by subnet",
	    [GRAPH_VPCS] = ", VPC by VPC",
	};
	const char *what = sc->teach ? "the intended flows and what the "
				       "internet reaches"
				     : "every reachable flow";
	snprintf(buf, size, "vpcsim graph of %s: %s%s%s", sc->m->file,
		 !sc->from ? what : "the flows from ",
		 !sc->from ? "" : reach_node_name(sc->all->s, sc->from),
		 level[sc->all->detail]);
}

/* What a walk draws, for the legend: which flows and looks. */
struct seen {
	bool flow[FLOW_KINDS];
	bool context, look[LOOK_COUNT], badge, exposed;
};

static void seen_box(void *ctx, const struct item *box)
{
	struct seen *s = ctx;
	s->look[box->look] = true;
	s->badge |= box->badge != NULL;
}

static void seen_end(void *ctx, const struct item *box)
{
	(void)ctx;
	(void)box;
}

static void seen_node(void *ctx, const struct item *n)
{
	struct seen *s = ctx;
	s->look[n->look] = true;
	s->exposed |= n->exposed;
}

static void seen_edge(void *ctx, const struct flow_item *e)
{
	struct seen *s = ctx;
	s->flow[e->kind] = true;
	s->context |= e->context && e->kind == FLOW_OTHER;
}

uint32_t picture_legend(struct legend_row *out, uint32_t cap,
			const struct scene *sc)
{
	static const struct emitter em = {seen_box, seen_end, seen_node,
					  seen_edge};
	struct seen s;
	memset(&s, 0, sizeof(s));
	picture_walk(sc, &em, &s);
	uint32_t n = 0;
#define ROW(w, text)                                                           \
	do {                                                                   \
		if (n < cap)                                                   \
			out[n++] = (struct legend_row){(w), (text)};           \
	} while (0)
	if (s.flow[FLOW_EXPOSURE] || s.exposed)
		ROW(FLOW_EXPOSURE, "from the internet; what it reaches has a "
				   "red border");
	if (s.flow[FLOW_FORWARD])
		ROW(FLOW_FORWARD, "a load balancer forwards to its targets");
	if (s.flow[FLOW_OTHER])
		ROW(FLOW_OTHER, "a connection inside the VPCs");
	if (s.context)
		ROW(FLOW_KINDS, "a call to what the internet reaches anyway");
	if (s.flow[FLOW_OUTBOUND])
		ROW(FLOW_OUTBOUND,
		    sc->teach ? "out to the internet or an AWS service, "
				"through the gateways on the way"
			      : "to the internet or an AWS service");
	if (s.flow[FLOW_BLOCKED])
		ROW(FLOW_BLOCKED, "an intended flow that is blocked, and what "
				  "blocks it");
	if (s.flow[FLOW_PART])
		ROW(FLOW_PART, "where a resource drawn once runs");
	if (s.look[LOOK_PUBLIC])
		ROW(-1 - LOOK_PUBLIC, "public subnet: routes to an internet "
				      "gateway");
	if (s.look[LOOK_PRIVATE])
		ROW(-1 - LOOK_PRIVATE, "private subnet: no route to an "
				       "internet gateway");
	if (s.badge)
		ROW(-1 - LOOK_COUNT, "the subnet's own network ACL "
				     "(stateless: replies need rules too)");
#undef ROW
	return n;
}

/*
 * Writes s for a quoted string of DOT or Mermaid: line breaks as br,
 * other control characters as spaces, invalid UTF-8 as '?' (graphviz
 * rejects it), and the characters in esc[] as their replacements.
 */
void picture_quoted_text(FILE *f, const char *s, const char *br,
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

void picture_dot_string(FILE *f, const char *s)
{
	static const char *const esc[][2] = {{"\"", "\\\""}, {"\\", "\\\\"}};
	fputc('"', f);
	picture_quoted_text(f, s, "\\n", esc, ARRAY_LEN(esc));
	fputc('"', f);
}

void picture_html_text(FILE *f, const char *s)
{
	static const char *const esc[][2] = {
	    {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}};
	picture_quoted_text(f, s, "<br/>", esc, ARRAY_LEN(esc));
}

/* ---- DOT ------------------------------------------------------------- */

/* The guide's classDefs: public, private, service, network, storage. */
const char *const picture_dot_looks[LOOK_COUNT] = {
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
    [LOOK_MARKER] = "style=\"rounded,dashed,filled\", "
		    "fillcolor=\"#fef5e7\", color=\"#a84300\", fontsize=9, "
		    "penwidth=1",
};

const char *const picture_dot_flows[FLOW_KINDS] = {
    [FLOW_EXPOSURE] = "color=\"#d62728\", fontcolor=\"#d62728\", "
		      "penwidth=2.5",
    [FLOW_FORWARD] = "color=\"#1f4e9c\", fontcolor=\"#1f4e9c\", "
		     "penwidth=2, style=bold",
    [FLOW_OUTBOUND] = "color=\"#7b7d7d\", fontcolor=\"#616a6b\", "
		      "style=dashed, penwidth=1.2",
    [FLOW_OTHER] = "color=\"#424242\", fontcolor=\"#424242\"",
    [FLOW_BLOCKED] = "color=\"#d62728\", fontcolor=\"#b03a2e\", "
		     "style=dashed, penwidth=2",
    [FLOW_PART] = "color=\"#a84300\", style=dotted, arrowhead=none, "
		  "penwidth=1.2",
    [FLOW_HIDDEN] = "style=invis",
};

/*
 * Pictures of an estate, for `vpcsim graph`: DOT, Mermaid, GraphML, JSON
 * and SVG (docs/graph.md).
 *
 * The picture is the architecture the way the reference guide draws it
 * (section 7): boxes nested region > VPC > availability zone > subnet,
 * public and private subnets coloured apart, the resources in their
 * subnets, gateways on their VPC, the internet and the AWS services
 * outside, and flows between them.
 *
 * What a node is comes from the view (sim/graph.h) at its level of
 * detail: a resource, a group of twins, a subnet's resources, a VPC's.
 * A load balancer or interface endpoint has a node in each of its
 * subnets, all real at once: it is drawn once per subnet, a "site".  A
 * resource that only may land in several subnets, or whose tasks or
 * instances are spread over them (an ECS service, a database's subnet
 * group, an Auto Scaling group), is drawn once ("spread"), in its AZ box
 * or, across AZs, in its VPC box right of the zone of its first subnet,
 * with a marker in each subnet saying what runs there ("2 tasks of web")
 * and a dotted line to it: four tasks over two subnets never read as
 * eight.  A subnet's node is drawn in its subnet, a VPC's in its VPC box
 * (that level draws no AZ or subnet boxes).  An edge X -> Y is drawn from
 * every site of X to every site of Y.
 *
 * A scene is computed once per picture:
 * - order[]: the subnets in drawing order, cut into AZ boxes (azs[], each
 *   VPC's from vpc_az_first), zones by name: us-east-1a left of 1b;
 * - sites[], grouped by node (nsite_first / nsite_n) and in drawing order
 *   within a node, the same sites grouped by box (by_box, box_first:
 *   subnets, then VPCs, then AZs), and the markers of spread nodes;
 * - exposed[n]: the internet reaches node n, and tier[n]: the row it is
 *   drawn in (0 the internet, 1 the gateways, then what the internet
 *   reaches, what that forwards to, ...), both from the view of every
 *   edge (all), so every picture of an estate has the same layout
 *   whichever edges it draws;
 * - for the teaching picture (picture_flows.c), the arrows of the
 *   intended flows and exposures through the gateways.
 DOT, Mermaid and the layout walk the same scene through a table of
 * emitters, so all show the same boxes, nodes and edges under the same
 * ids.  The files: picture_scene.c (the scene and its walk),
 * picture_flows.c (the teaching picture's arrows), picture_layout.c (the
 * layout and libgvc), and this one, the writers.  SVG, and DOT up to
 * GRAPH_SVG_MAX_SIZE, are laid out by picture_layout.c; larger DOT is
 * written for graphviz's dot to lay out.
 *
 * Ids are "<prefix><number>_<name>" with the name reduced to [A-Za-z0-9_].
 * The prefix (letters and a number, no '_') is unique per object, so ids
 * stay unique whatever the names and are Mermaid-safe even for Terraform's
 * "module.vpc.aws_subnet.private[0]".
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/json.h"
#include "report/picture_impl.h"

/* The scene of a picture, with the teaching picture's arrows. */
static void prepare(struct scene *sc, const struct graph_picture *pic)
{
	picture_scene_init(sc, pic);
	if (sc->teach)
		picture_flows(sc);
}

/* ---- DOT ------------------------------------------------------------- */

/*
 * DOT for graphviz's dot to lay out, for pictures too large to lay out
 * here: clusters with their titles, hidden edges from the internet that
 * hold the rows, flows as external labels with constraint=false (graphviz
 * 2.4x ranks edge labels between clusters as nodes and then often fails
 * with "trouble in init_rank").
 */
struct dot_ctx {
	FILE *f;
	int depth;
};

static void dot_indent(struct dot_ctx *d)
{
	for (int i = 0; i <= d->depth; i++)
		fputc('\t', d->f);
}

static void dot_begin(void *ctx, const struct item *box)
{
	struct dot_ctx *d = ctx;
	char name[ID_MAX + 8], label[LABEL_MAX];
	snprintf(name, sizeof(name), "cluster_%s", box->id);
	snprintf(label, sizeof(label), "%s%s%s", box->label,
		 box->badge ? "\n" : "", box->badge ? box->badge : "");
	dot_indent(d);
	fputs("subgraph ", d->f);
	picture_dot_string(d->f, name);
	fputs(" {\n", d->f);
	d->depth++;
	dot_indent(d);
	fputs("graph [label=", d->f);
	picture_dot_string(d->f, label);
	fprintf(d->f, ", labelloc=t, labeljust=l, %s];\n",
		picture_dot_looks[box->look]);
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
	picture_dot_string(d->f, n->id);
	fputs(" [label=", d->f);
	picture_dot_string(d->f, n->label);
	fprintf(d->f, ", %s", picture_dot_looks[n->look]);
	if (n->exposed)
		fputs(", color=\"#d62728\", penwidth=3.5, "
		      "fontcolor=\"#b03a2e\"",
		      d->f);
	fputs("];\n", d->f);
}

static void dot_edge(void *ctx, const struct flow_item *e)
{
	struct dot_ctx *d = ctx;
	dot_indent(d);
	picture_dot_string(d->f, e->from);
	fputs(" -> ", d->f);
	picture_dot_string(d->f, e->to);
	fputs(" [xlabel=", d->f);
	picture_dot_string(d->f, e->label);
	fprintf(d->f, ", %s, constraint=false", picture_dot_flows[e->kind]);
	if (e->context && e->kind == FLOW_OTHER)
		fputs(", color=\"#a6a6a6\", fontcolor=\"#8c8c8c\", "
		      "penwidth=0.8, fontsize=8",
		      d->f);
	if (e->to_box) {
		char name[ID_MAX + 8];
		snprintf(name, sizeof(name), "cluster_%s", e->to_box);
		fputs(", lhead=", d->f);
		picture_dot_string(d->f, name);
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
	picture_dot_string(d->f, n->id);
	fprintf(d->f, " [%s, minlen=%u];\n", picture_dot_flows[FLOW_HIDDEN],
		n->tier);
}

static void rows_edge(void *ctx, const struct flow_item *e)
{
	(void)ctx;
	(void)e;
}

static void dot_unlaid(FILE *f, const struct scene *sc)
{
	static const struct emitter em = {dot_begin, dot_end, dot_node,
					  dot_edge};
	static const struct emitter rows = {rows_box, rows_box, rows_node,
					    rows_edge};
	struct dot_ctx d = {f, 0};
	fputs("digraph vpcsim {\n"
	      "\tgraph [fontname=\"Helvetica\", newrank=true, compound=true, "
	      "nodesep=0.35, ranksep=0.6, forcelabels=true];\n"
	      "\tnode [fontname=\"Helvetica\", fontsize=10, shape=box, "
	      "style=\"rounded,filled\", penwidth=1.5];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n",
	      f);
	picture_walk(sc, &em, &d);
	if (sc->internet != UINT32_MAX)
		picture_walk(sc, &rows, &d);
	char cap[LABEL_MAX];
	picture_caption(cap, sizeof(cap), sc);
	picture_append(
	    cap, sizeof(cap),
	    "\nred: from the internet, and what it reaches; blue: load "
	    "balancer forwards; grey: to the internet and AWS services, "
	    "and to what the internet reaches anyway");
	/* Set last, so no cluster inherits the caption's placement. */
	fputs("\tlabel=", f);
	picture_dot_string(f, cap);
	fputs(";\n\tlabelloc=b;\n\tfontsize=10;\n}\n", f);
}

/* Nodes and flows a walk draws: the size of the layout. */
static void count_box(void *ctx, const struct item *box)
{
	(void)ctx;
	(void)box;
}

static void count_node(void *ctx, const struct item *n)
{
	(void)n;
	(*(uint64_t *)ctx)++;
}

static void count_edge(void *ctx, const struct flow_item *e)
{
	(void)e;
	(*(uint64_t *)ctx)++;
}

static uint64_t drawn_size(const struct scene *sc)
{
	static const struct emitter em = {count_box, count_box, count_node,
					  count_edge};
	uint64_t n = 0;
	picture_walk(sc, &em, &n);
	return n;
}

/* Pictures up to GRAPH_SVG_MAX_SIZE are laid out here, and the DOT holds
 * the layout (layout=nop2: dot -Tsvg draws exactly the SVG); larger ones
 * are left to graphviz's dot. */
int report_graph_dot(FILE *f, const struct graph_picture *pic)
{
	struct scene sc;
	prepare(&sc, pic);
	int rc = 0;
	if (drawn_size(&sc) <= GRAPH_SVG_MAX_SIZE) {
		rc = picture_layout(&sc, "dot", f, NULL);
	} else {
		sc.shorten = false;
		dot_unlaid(f, &sc);
	}
	picture_scene_free(&sc);
	return rc;
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
	picture_quoted_text(f, s, "<br/>", esc, ARRAY_LEN(esc));
	fputc('"', f);
}

static void mmd_indent(struct mmd_ctx *c)
{
	for (int i = 0; i <= c->depth; i++)
		fputs("  ", c->f);
}

/* The class of each look: the guide's five and ours. */
static const char *const mmd_classes[LOOK_COUNT] = {
    [LOOK_REGION] = "region",	 [LOOK_AWS] = "aws",
    [LOOK_VPC] = "vpc",		 [LOOK_AZ] = "az",
    [LOOK_PUBLIC] = "public",	 [LOOK_PRIVATE] = "private",
    [LOOK_INTERNET] = "outside", [LOOK_AWS_SERVICE] = "storage",
    [LOOK_SERVICE] = "service",	 [LOOK_NETWORK] = "network",
    [LOOK_STORAGE] = "storage",	 [LOOK_EMPTY] = "empty",
    [LOOK_MARKER] = "marker",
};

static void mmd_begin(void *ctx, const struct item *box)
{
	struct mmd_ctx *c = ctx;
	char label[LABEL_MAX];
	snprintf(label, sizeof(label), "%s%s%s", box->label,
		 box->badge ? "\n" : "", box->badge ? box->badge : "");
	mmd_indent(c);
	fprintf(c->f, "subgraph %s [", box->id);
	mmd_string(c->f, label);
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
	static const char *const arrows[FLOW_KINDS] = {
	    [FLOW_EXPOSURE] = "-->",  [FLOW_FORWARD] = "==>",
	    [FLOW_OUTBOUND] = "-.->", [FLOW_OTHER] = "-->",
	    [FLOW_BLOCKED] = "-.->",  [FLOW_PART] = "-.-",
	    [FLOW_HIDDEN] = "~~~"};
	mmd_indent(c);
	fprintf(c->f, "%s %s", e->from, arrows[e->kind]);
	if (*e->label) {
		fputc('|', c->f);
		mmd_string(c->f, e->label);
		fputc('|', c->f);
	}
	/* Mermaid draws an edge to a subgraph to its border. */
	fprintf(c->f, " %s\n", e->to_box ? e->to_box : e->to);
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
	static const char *const link_styles[FLOW_KINDS] = {
	    [FLOW_EXPOSURE] = "stroke:#d62728,stroke-width:3px,color:#d62728",
	    [FLOW_FORWARD] = "stroke:#1f4e9c,stroke-width:3px,color:#1f4e9c",
	    [FLOW_OUTBOUND] = "stroke:#7b7d7d,stroke-width:1px,color:#616a6b",
	    [FLOW_BLOCKED] = "stroke:#d62728,stroke-width:2px,color:#b03a2e,"
			     "stroke-dasharray:6 4",
	    [FLOW_PART] = "stroke:#a84300,stroke-width:1px,"
			  "stroke-dasharray:2 3",
	};
	struct scene sc;
	prepare(&sc, pic);
	sc.shorten = false; /* no tooltips in Mermaid: names whole */
	struct mmd_ctx c = {.f = f};
	char cap[LABEL_MAX];
	picture_caption(cap, sizeof(cap), &sc);
	fputs("graph TB\n%% ", f);
	/* A comment ends at the line's end: no control characters. */
	for (const char *p = cap; *p; p++)
		fputc((unsigned char)*p < 0x20 ? ' ' : *p, f);
	fputs("\n%% red: from the internet, and what it reaches; thick blue: "
	      "load balancer forwards; grey dashed: to the internet and AWS "
	      "services; red dashed: an intended flow that is blocked\n"
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
	      "classDef marker fill:#fef5e7,stroke:#a84300,stroke-width:1px,"
	      "stroke-dasharray:4 3\n"
	      "\n",
	      f);
	picture_walk(&sc, &em, &c);
	for (int k = 0; k < FLOW_KINDS; k++) {
		mmd_link_style(f, &c.links[k], link_styles[k]);
		free(c.links[k].v);
	}
	mmd_link_style(f, &c.context,
		       "stroke:#a6a6a6,stroke-width:1px,color:#8c8c8c");
	free(c.context.v);
	picture_scene_free(&sc);
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

/* The subnets node v is in, in drawing order, into out (at most cap):
 * its sites', or its markers' when it is drawn once.  Returns how many;
 * *vpc and *public receive its VPC and whether a placement is public. */
static uint32_t node_subnets(const struct scene *sc, uint32_t v, uint32_t *out,
			     uint32_t cap, uint32_t *vpc, bool *public)
{
	uint32_t n = 0;
	*vpc = MODEL_NONE;
	*public = false;
	if (!is_resource(sc, v))
		return 0;
	for (uint32_t i = 0; i < sc->nsite_n[v]; i++) {
		const struct site *st = &sc->sites[sc->nsite_first[v] + i];
		if (*vpc == MODEL_NONE)
			*vpc = st->vpc;
		*public |= st->has_public;
		if (st->subnet != MODEL_NONE && n < cap)
			out[n++] = st->subnet;
	}
	for (uint32_t i = 0; i < sc->node_mn[v] && n < cap; i++)
		out[n++] = sc->markers[sc->node_mfirst[v] + i].subnet;
	return n;
}

static void json_node(struct json *j, const struct scene *sc, uint32_t v)
{
	const struct model *m = sc->m;
	const struct graph_view_node *vn = &sc->all->nodes[v];
	json_begin_object(j);
	json_kv_string(j, "id", graph_view_node_name(sc->all, v));
	json_kv_string(j, "kind", graph_view_node_kind(sc->all, v));
	uint32_t cap = sc->nsite_n[v] + sc->node_mn[v] + 1;
	uint32_t *sub = xcalloc(cap, sizeof(uint32_t));
	uint32_t vi;
	bool public;
	uint32_t count = node_subnets(sc, v, sub, cap, &vi, &public);
	json_kv_string(j, "vpc",
		       vi != MODEL_NONE && vi < m->n[MK_VPC]
			   ? obj_id(m, MK_VPC, vi)
			   : NULL);
	json_key(j, "azs");
	json_begin_array(j);
	for (uint32_t i = 0; i < count; i++) {
		const char *az = m->subnets[sub[i]].az;
		bool seen = !az;
		for (uint32_t k = 0; k < i && !seen; k++) {
			const char *b = m->subnets[sub[k]].az;
			seen = b && !strcmp(az, b);
		}
		if (!seen)
			json_string(j, az);
	}
	json_end_array(j);
	json_key(j, "subnets");
	json_begin_array(j);
	for (uint32_t i = 0; i < count; i++)
		json_string(j, obj_id(m, MK_SUBNET, sub[i]));
	json_end_array(j);
	free(sub);
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
	/* Data: every flow, never the teaching picture's choice. */
	struct graph_picture all = *pic;
	all.all_flows = true;
	prepare(&sc, &all);
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
	picture_scene_free(&sc);
	return 0;
}

/* ---- SVG and the layout's geometry ----------------------------------- */

/* The picture laid out and rendered by graphviz's library. */
int report_graph_svg(FILE *f, const struct graph_picture *pic)
{
	struct scene sc;
	prepare(&sc, pic);
	int rc = picture_layout(&sc, "svg", f, NULL);
	picture_scene_free(&sc);
	return rc;
}

int report_graph_layout(struct graph_layout *out,
			const struct graph_picture *pic)
{
	struct scene sc;
	memset(out, 0, sizeof(*out));
	prepare(&sc, pic);
	int rc = picture_layout(&sc, NULL, NULL, out);
	picture_scene_free(&sc);
	return rc;
}

void report_graph_layout_free(struct graph_layout *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->n_items; i++) {
		free(l->items[i].id);
		free(l->items[i].text);
	}
	for (uint32_t i = 0; i < l->n_edges; i++) {
		free(l->edges[i].id);
		free(l->edges[i].label);
	}
	free(l->items);
	free(l->edges);
	memset(l, 0, sizeof(*l));
}

bool report_graph_is_flow(const struct graph_layout_edge *e)
{
	return strcmp(e->kind, "part") != 0;
}

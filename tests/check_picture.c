/*
 * Pictures (`vpcsim graph`): the teaching picture of the canonical
 * scenario reads like the guide's figure (checked on the layout's
 * geometry, as libgvc holds it after the layout: which arrows, their
 * kinds, colours and labels, zones in order, labels apart, the legend
 * inside); every input of the repository stays readable; DOT is accepted
 * by graphviz's dot; SVG comes from libgvc; GraphML reads back into
 * igraph with the same counts; Mermaid ids are safe for Terraform's ids.
 *
 * Text outputs are checked by lines: a picture "has" something when one
 * line holds every needle given.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/util.h"
#include "load/load.h"
#include "model/model.h"
#include "report/report.h"
#include "sim/graph.h"
#include "sim/reach.h"
#include "sim/sim.h"

/* A model with its graph and its endpoint view, built the way `vpcsim
 * graph` builds them for a small estate. */
struct fixture {
	struct model *m;
	struct sim *s;
	struct reach_index *ix;
	struct graph *g;
	struct graph_view *all; /* endpoints, every edge */
};

static void load(struct fixture *fx, const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	char err[256];
	memset(fx, 0, sizeof(*fx));
	int rc = model_load_files(&fx->m, &path, 1, NULL, 0, &d);
	diag_list_free(&d);
	ck_assert_msg(rc == 0 && fx->m, "%s does not load", path);
	ck_assert_int_eq(sim_new(&fx->s, fx->m), 0);
	ck_assert_int_eq(reach_index_new(&fx->ix, fx->s), 0);
	ck_assert_int_eq(graph_build(&fx->g, fx->ix, NULL), 0);
	ck_assert_int_eq(graph_view_new(&fx->all, fx->g, GRAPH_ENDPOINTS, NULL,
					GRAPH_VIEW_MAX_EDGES, err, sizeof(err)),
			 0);
}

static void unload(struct fixture *fx)
{
	graph_view_free(fx->all);
	graph_free(fx->g);
	reach_index_free(fx->ix);
	sim_free(fx->s);
	model_free(fx->m);
}

/* The node named name ("internet" or a resource id). */
static struct reach_node vertex(const struct fixture *fx, const char *name)
{
	for (uint32_t v = 0; v < fx->all->n_nodes; v++)
		if (!strcmp(graph_view_node_name(fx->all, v), name))
			return fx->all->nodes[v].n;
	ck_abort_msg("no vertex %s", name);
	return (struct reach_node){0};
}

typedef int (*writer)(FILE *, const struct graph_picture *);

/* The writer's output for the edges of from (NULL: all) at level d, as a
 * string; the caller frees it. */
/* The views a picture at level d draws (from: what it reaches, or NULL),
 * into *all and *drawn; views_free frees the ones made here. */
static void views_new(const struct fixture *fx, const struct reach_node *from,
		      enum graph_detail d, struct graph_view **all,
		      struct graph_view **drawn)
{
	char err[256];
	*all = fx->all;
	*drawn = NULL;
	if (d != GRAPH_ENDPOINTS)
		ck_assert_int_eq(graph_view_new(all, fx->g, d, NULL,
						GRAPH_VIEW_MAX_EDGES, err,
						sizeof(err)),
				 0);
	if (from)
		ck_assert_int_eq(graph_view_new(drawn, fx->g, d, from,
						GRAPH_VIEW_MAX_EDGES, err,
						sizeof(err)),
				 0);
}

static void views_free(const struct fixture *fx, struct graph_view *all,
		       struct graph_view *drawn)
{
	graph_view_free(drawn);
	if (all != fx->all)
		graph_view_free(all);
}

static char *render_at(writer w, const struct fixture *fx,
		       const struct reach_node *from, enum graph_detail d,
		       size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	struct graph_view *all, *drawn;
	views_new(fx, from, d, &all, &drawn);
	struct graph_picture pic = {all, drawn, from, false};
	FILE *f = open_memstream(&buf, &n);
	ck_assert_ptr_nonnull(f);
	int rc = w(f, &pic);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rc, 0);
	if (len)
		*len = n;
	views_free(fx, all, drawn);
	return buf;
}

static char *render(writer w, const struct fixture *fx,
		    const struct reach_node *from, size_t *len)
{
	return render_at(w, fx, from, GRAPH_ENDPOINTS, len);
}

/* Whether some line of text holds every needle (NULL-terminated). */
static bool has_line(const char *text, const char *const *needles)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		bool all = true;
		for (size_t i = 0; needles[i] && all; i++) {
			/* Needles hold no newline: found before the line's
			 * end, it is in the line. */
			const char *p = strstr(line, needles[i]);
			all = p && p < line + len;
		}
		if (all)
			return true;
		if (!end)
			break;
		line = end + 1;
	}
	return false;
}

#define HAS(text, ...)                                                         \
	ck_assert_msg(                                                         \
	    has_line(text, (const char *const[]){__VA_ARGS__, NULL}),          \
	    "no line with: %s", #__VA_ARGS__)
#define HAS_NOT(text, ...)                                                     \
	ck_assert_msg(                                                         \
	    !has_line(text, (const char *const[]){__VA_ARGS__, NULL}),         \
	    "a line with: %s", #__VA_ARGS__)

/* ---- the layout: what a reader sees ---------------------------------- */

static void layout_at(struct graph_layout *l, const struct fixture *fx,
		      const struct reach_node *from, enum graph_detail d,
		      bool all_flows)
{
	struct graph_view *all, *drawn;
	views_new(fx, from, d, &all, &drawn);
	struct graph_picture pic = {all, drawn, from, all_flows};
	ck_assert_int_eq(report_graph_layout(l, &pic), 0);
	views_free(fx, all, drawn);
}

/* Arrows of the flows, by kind ("exposure", "forward", ...; NULL: all
 * flows). */
static uint32_t flows(const struct graph_layout *l, const char *kind)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->n_edges; i++)
		n += report_graph_is_flow(&l->edges[i]) &&
		     (!kind || !strcmp(l->edges[i].kind, kind));
	return n;
}

/* The arrow whose id ("FROM->TO") holds both needles, or NULL. */
static const struct graph_layout_edge *arrow(const struct graph_layout *l,
					     const char *from, const char *to)
{
	for (uint32_t i = 0; i < l->n_edges; i++) {
		const char *id = l->edges[i].id, *arr = strstr(id, "->");
		if (arr && strstr(id, from) && strstr(id, from) < arr &&
		    strstr(arr, to))
			return &l->edges[i];
	}
	return NULL;
}

/* Items of a kind whose text starts with prefix. */
static uint32_t items(const struct graph_layout *l, enum graph_layout_kind k,
		      const char *prefix, const struct graph_layout_item **one)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->n_items; i++)
		if (l->items[i].kind == k &&
		    !strncmp(l->items[i].text, prefix, strlen(prefix))) {
			if (one)
				*one = &l->items[i];
			n++;
		}
	return n;
}

static bool overlap(const struct graph_layout_item *a,
		    const struct graph_layout_item *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/*
 * What a reader must be able to read: no arrow's label on another or on
 * a node, a box title or the legend, and everything inside the picture
 * (the legend too).  Returns a message, or NULL.
 */
static char *unreadable(const struct graph_layout *l)
{
	char *msg = NULL;
	for (uint32_t i = 0; i < l->n_items && !msg; i++) {
		const struct graph_layout_item *a = &l->items[i];
		if (a->x0 < -0.5 || a->y0 < -0.5 || a->x1 > l->width + 0.5 ||
		    a->y1 > l->height + 0.5) {
			msg = xasprintf("'%s' (%s) leaves the picture", a->text,
					a->id);
			break;
		}
		if (a->kind != GL_LABEL)
			continue;
		for (uint32_t k = 0; k < l->n_items; k++) {
			const struct graph_layout_item *b = &l->items[k];
			if (k == i || b->kind == GL_BOX || !overlap(a, b) ||
			    (b->kind == GL_LABEL && k < i))
				continue;
			msg = xasprintf("label '%s' of %s meets '%s' (%s)",
					a->text, a->id, b->text, b->id);
			break;
		}
	}
	return msg;
}

/* A label across a box's border (a zone's, a subnet's line through its
 * text), or NULL. */
static char *on_a_border(const struct graph_layout *l)
{
	for (uint32_t i = 0; i < l->n_items; i++) {
		const struct graph_layout_item *a = &l->items[i];
		if (a->kind != GL_LABEL)
			continue;
		for (uint32_t k = 0; k < l->n_items; k++) {
			const struct graph_layout_item *b = &l->items[k];
			bool inside = a->x0 >= b->x0 && a->x1 <= b->x1 &&
				      a->y0 >= b->y0 && a->y1 <= b->y1;
			if (b->kind == GL_BOX && overlap(a, b) && !inside)
				return xasprintf("label '%s' of %s on the "
						 "border of %s",
						 a->text, a->id, b->id);
		}
	}
	return NULL;
}

START_TEST(test_teaching_three_tier)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	char *msg = unreadable(&l);
	ck_assert_msg(!msg, "%s", msg);
	msg = on_a_border(&l);
	ck_assert_msg(!msg, "%s", msg);
	/* One arrow per intended flow, through the gateways, and the
	 * exposure: at most 12, as in the guide plus the database and the
	 * image pulls. */
	ck_assert_uint_le(flows(&l, NULL), 12);
	ck_assert_uint_eq(flows(&l, "exposure"), 3);
	ck_assert_uint_eq(flows(&l, "forward"), 2);
	ck_assert_uint_eq(flows(&l, "other"), 2);
	ck_assert_uint_eq(flows(&l, "outbound"), 5);
	ck_assert_uint_eq(flows(&l, "blocked"), 0);
	const struct graph_layout_edge *e = arrow(&l, "internet", "igw0_igw");
	ck_assert_msg(e && !strcmp(e->label, "tcp 80,443") &&
			  !strcmp(e->color, "#d62728"),
		      "no red internet -> igw tcp 80,443");
	ck_assert_ptr_nonnull(arrow(&l, "igw0_igw", "_alb"));
	e = arrow(&l, "_alb", "_web");
	ck_assert_msg(e && !strcmp(e->label, "tcp 3000") &&
			  !strcmp(e->color, "#1f4e9c"),
		      "no blue alb -> web tcp 3000");
	e = arrow(&l, "_web", "_db");
	ck_assert_msg(e && !strcmp(e->label, "tcp 3306"), "no web -> db");
	ck_assert_ptr_nonnull(arrow(&l, "_web", "_db_replica"));
	/* Image pulls: the tasks -> the NAT gateway of their zone -> the
	 * internet gateway -> the internet, dashed. */
	e = arrow(&l, "_web", "_nat_a");
	ck_assert_msg(e && e->dashed && !strcmp(e->label, "tcp 443"),
		      "no dashed web -> nat-a tcp 443");
	ck_assert_ptr_nonnull(arrow(&l, "_web", "_nat_b"));
	ck_assert_ptr_nonnull(arrow(&l, "_nat_a", "igw0_igw"));
	ck_assert_ptr_nonnull(arrow(&l, "_nat_b", "igw0_igw"));
	e = arrow(&l, "igw0_igw", "internet");
	ck_assert_msg(e && strstr(e->label, "aws:ecr, aws:s3, aws:logs"),
		      "no igw -> internet to the AWS services");
	/* No reply or noise: nothing leaves a database, nothing calls the
	 * load balancer from inside, no AWS services box. */
	ck_assert_ptr_null(arrow(&l, "_db->", ""));
	ck_assert_ptr_null(arrow(&l, "_web", "_alb"));
	ck_assert_uint_eq(items(&l, GL_BOX, "AWS services", NULL), 0);
	/* The service drawn once, what runs in each subnet said there. */
	ck_assert_uint_eq(items(&l, GL_NODE,
				"web\nECS service: 4 tasks in "
				"all",
				NULL),
			  1);
	ck_assert_uint_eq(items(&l, GL_NODE, "2 tasks of web", NULL), 2);
	ck_assert_uint_eq(flows(&l, NULL) + 2, l.n_edges); /* the markers' */
	/* Zones in order: us-east-1a left of us-east-1b. */
	const struct graph_layout_item *a = NULL, *b = NULL;
	ck_assert_uint_eq(items(&l, GL_BOX, "Availability Zone us-east-1a", &a),
			  1);
	ck_assert_uint_eq(items(&l, GL_BOX, "Availability Zone us-east-1b", &b),
			  1);
	ck_assert(a->x1 < b->x0);
	/* The legend inside the picture, with the flows drawn. */
	const struct graph_layout_item *lg = NULL;
	ck_assert_uint_eq(items(&l, GL_LEGEND, "", &lg), 1);
	ck_assert(lg->x0 >= 0 && lg->x1 <= l.width && lg->y1 <= l.height);
	report_graph_layout_free(&l);

	/* --all-flows: every flow the engine finds, the noise with it. */
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, true);
	ck_assert_uint_gt(flows(&l, NULL), 12);
	ck_assert_ptr_nonnull(arrow(&l, "_db", "internet"));
	ck_assert_ptr_nonnull(arrow(&l, "_web", "_alb"));
	msg = unreadable(&l);
	ck_assert_msg(!msg, "--all-flows: %s", msg);
	report_graph_layout_free(&l);

	/* --from internet: the exposure alone; boxes and nodes stay. */
	struct reach_node inet = vertex(&fx, "internet");
	layout_at(&l, &fx, &inet, GRAPH_ENDPOINTS, false);
	ck_assert_uint_eq(flows(&l, NULL), flows(&l, "exposure"));
	ck_assert_uint_eq(flows(&l, "exposure"), 3);
	ck_assert_uint_eq(items(&l, GL_NODE, "web\n", NULL), 1);
	report_graph_layout_free(&l);
	unload(&fx);
}
END_TEST

/* A blocked intended flow: a dashed red arrow that names what blocks it,
 * and the NACL that does is marked on its subnets. */
START_TEST(test_teaching_blocked)
{
	struct fixture fx;
	load(&fx, "scenarios/nacl-drops-alb-replies.yaml");
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	ck_assert_uint_eq(flows(&l, "forward"), 0);
	ck_assert_uint_eq(flows(&l, "blocked"), 2);
	const struct graph_layout_edge *e = arrow(&l, "_alb", "_web");
	ck_assert_msg(e && !strcmp(e->kind, "blocked") && e->dashed &&
			  !strcmp(e->color, "#d62728") &&
			  strstr(e->label, "tcp 3000") &&
			  strstr(e->label, "blocked by network ACL "
					   "private-nacl"),
		      "alb -> web is no dashed red arrow naming the NACL");
	char *msg = unreadable(&l);
	ck_assert_msg(!msg, "%s", msg);
	report_graph_layout_free(&l);
	char *svg = render(report_graph_svg, &fx, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(svg, ">NACL private&#45;nacl<"));
	ck_assert_ptr_nonnull(strstr(svg, " flow blocked\""));
	free(svg);
	unload(&fx);
}
END_TEST

/* Data stores open no connection in the teaching picture: the arrows a
 * shared group gives (sessions -> aurora, files-a -> aurora, aurora ->
 * aurora-reader) are left to --all-flows; the Lambda's calls stay. */
START_TEST(test_teaching_data_stores)
{
	struct fixture fx;
	load(&fx, "scenarios/data-stores.yaml");
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	ck_assert_ptr_null(arrow(&l, "_sessions", "_aurora"));
	ck_assert_ptr_null(arrow(&l, "_files_a", "_aurora"));
	ck_assert_ptr_null(arrow(&l, "_aurora->", "_aurora_reader"));
	const struct graph_layout_edge *e = arrow(&l, "_worker", "_aurora");
	ck_assert_msg(e && !strcmp(e->label, "tcp 3306"),
		      "no worker -> aurora tcp 3306");
	ck_assert_ptr_nonnull(arrow(&l, "_worker", "_sessions"));
	ck_assert_ptr_nonnull(arrow(&l, "_worker", "_files_a"));
	report_graph_layout_free(&l);
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, true);
	ck_assert_ptr_nonnull(arrow(&l, "_sessions", "_aurora"));
	report_graph_layout_free(&l);
	unload(&fx);
}
END_TEST

/* A database public over IPv6 only is exposed: the IPv6 internet's
 * rows join the internet's edges (it was drawn with no arrow at all). */
START_TEST(test_ipv6_exposure)
{
	struct fixture fx;
	load(&fx, "scenarios/ipv6-db-exposed.yaml");
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	ck_assert_uint_eq(flows(&l, "exposure"), 2);
	const struct graph_layout_edge *e = arrow(&l, "internet", "igw0_igw");
	ck_assert_msg(e && !strcmp(e->label, "tcp 5432"),
		      "no internet -> igw tcp 5432");
	e = arrow(&l, "igw0_igw", "_db");
	ck_assert_msg(e && !strcmp(e->color, "#d62728"), "no red igw -> db");
	report_graph_layout_free(&l);
	unload(&fx);
}
END_TEST

/* An image pull through an interface endpoint is one dashed arrow to
 * the endpoint, not also a solid call to it. */
START_TEST(test_teaching_endpoints)
{
	struct fixture fx;
	load(&fx, "scenarios/endpoints.yaml");
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	uint32_t n = 0;
	for (uint32_t i = 0; i < l.n_edges; i++) {
		const char *id = l.edges[i].id, *arr = strstr(id, "->");
		if (arr && strstr(id, "_web") && strstr(id, "_web") < arr &&
		    strstr(arr, "_ecr_api")) {
			ck_assert_msg(l.edges[i].dashed &&
					  !strcmp(l.edges[i].kind, "outbound"),
				      "%s: %s", id, l.edges[i].kind);
			n++;
		}
	}
	ck_assert_uint_eq(n, 2);		  /* one per zone */
	ck_assert_uint_eq(flows(&l, "other"), 1); /* batch -> web */
	report_graph_layout_free(&l);
	unload(&fx);
}
END_TEST

/* Every input of the repository: labels apart and inside, zones in
 * order, in the teaching picture and with --all-flows. */
START_TEST(test_readable_everywhere)
{
	static const char *const patterns[] = {
	    "scenarios/*.yaml", "scenarios/*/*.yaml", "tests/tfplan/*.json",
	    "tests/cfn/*.yaml", "tests/cfn/examples/*.json"};
	for (size_t k = 0; k < ARRAY_LEN(patterns); k++) {
		glob_t gl;
		ck_assert_int_eq(glob(patterns[k], 0, NULL, &gl), 0);
		for (size_t i = 0; i < gl.gl_pathc; i++) {
			struct fixture fx;
			load(&fx, gl.gl_pathv[i]);
			for (int all = 0; all < 2; all++) {
				struct graph_layout l;
				layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, all);
				char *msg = unreadable(&l);
				ck_assert_msg(!msg, "%s%s: %s", gl.gl_pathv[i],
					      all ? " --all-flows" : "", msg);
				/* Zones of a VPC ("vpcNazK_"), by name. */
				for (uint32_t a = 0; a < l.n_items; a++)
					for (uint32_t b = 0; b < l.n_items;
					     b++) {
						const struct graph_layout_item
						    *x = &l.items[a],
						    *y = &l.items[b];
						const char *p =
						    strstr(x->id, "az");
						if (x->kind != GL_BOX ||
						    y->kind != GL_BOX || !p ||
						    strncmp(x->id, "vpc", 3) ||
						    strncmp(
							x->id, y->id,
							(size_t)(p - x->id) +
							    2) ||
						    strcmp(x->text, y->text) >=
							0)
							continue;
						ck_assert_msg(
						    x->x1 <= y->x0 ||
							x->y1 <= y->y0 ||
							y->y1 <= x->y0,
						    "%s: %s right of %s",
						    gl.gl_pathv[i], x->text,
						    y->text);
					}
				report_graph_layout_free(&l);
			}
			unload(&fx);
		}
		globfree(&gl);
	}
}
END_TEST

/* Long generated names (CDK, Terraform modules) are shortened in their
 * boxes, the whole name in the tooltip. */
START_TEST(test_long_names)
{
	static const char yaml[] =
	    "vpcs: {MyStackVpcAbcdef0123456789Vpc8378EB38: "
	    "{cidr: 10.0.0.0/16}}\n"
	    "subnets:\n"
	    "  MyStackVpcPrivateSubnet1Subnet536B997A:\n"
	    "    {vpc: MyStackVpcAbcdef0123456789Vpc8378EB38, "
	    "cidr: 10.0.1.0/24, az: us-east-1a}\n"
	    "instances:\n"
	    "  MyStackWebServerInstanceFleetAutoScalingGroupA1B2C3D4:\n"
	    "    {subnet: MyStackVpcPrivateSubnet1Subnet536B997A}\n";
	struct fixture fx;
	struct diag_list d = DIAG_LIST_INIT;
	char err[256];
	memset(&fx, 0, sizeof(fx));
	ck_assert_int_eq(
	    model_load_buffer(&fx.m, "long.yaml", yaml, strlen(yaml), &d), 0);
	diag_list_free(&d);
	ck_assert_int_eq(sim_new(&fx.s, fx.m), 0);
	ck_assert_int_eq(reach_index_new(&fx.ix, fx.s), 0);
	ck_assert_int_eq(graph_build(&fx.g, fx.ix, NULL), 0);
	ck_assert_int_eq(graph_view_new(&fx.all, fx.g, GRAPH_ENDPOINTS, NULL,
					GRAPH_VIEW_MAX_EDGES, err, sizeof(err)),
			 0);
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	const struct graph_layout_item *n = NULL;
	ck_assert_uint_eq(items(&l, GL_NODE, "MyStackWebSe", &n), 1);
	ck_assert_msg(strstr(n->text, "\xe2\x80\xa6") &&
			  !strstr(n->text, "InstanceFleet"),
		      "not shortened: %s", n->text);
	ck_assert_uint_eq(items(&l, GL_TITLE, "MyStackVpcPr", &n), 1);
	ck_assert_ptr_nonnull(strstr(n->text, "\xe2\x80\xa6"));
	report_graph_layout_free(&l);
	char *svg = render(report_graph_svg, &fx, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(
	    svg, "xlink:title="
		 "\"MyStackWebServerInstanceFleetAutoScalingGroupA1B2C3D4"));
	ck_assert_ptr_nonnull(strstr(
	    svg, "xlink:title=\"MyStackVpcPrivateSubnet1Subnet536B997A"));
	free(svg);
	unload(&fx);
}
END_TEST

/* ---- DOT ------------------------------------------------------------- */

/* The laid-out DOT holds the picture: its boxes and nodes with their
 * positions, for graphviz to draw as vpcsim laid it out. */
START_TEST(test_dot_three_tier)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	char *dot = render(report_graph_dot, &fx, NULL, NULL);
	ck_assert(!strncmp(dot, "digraph vpcsim {", 16));
	HAS(dot, "layout=nop2");
	HAS(dot, "subgraph cluster_region {");
	HAS(dot, "subgraph cluster_vpc0_main {");
	HAS(dot, "subgraph cluster_vpc0az0_us_east_1a {");
	HAS(dot, "subgraph cluster_vpc0az1_us_east_1b {");
	HAS(dot, "subgraph cluster_subnet0_public_a {");
	HAS(dot, "fillcolor=\"#d4f1f9\"");
	HAS(dot, "fillcolor=\"#e8f6ef\"");
	HAS(dot, "label=\"igw\\ninternet gateway\"");
	HAS(dot, "label=\"alb\\nALB, internet-facing\\n:80 :443\\npublic IP\"");
	HAS(dot, "label=\"web\\nECS service: 4 tasks in all\\n:3000\"");
	HAS(dot, "label=\"2 tasks of web\"");
	HAS(dot, "id=obj_load_balancer_0");
	HAS(dot, "id=obj_load_balancer_0_2");
	HAS(dot, "xlabel=\"tcp 3000\"");
	HAS(dot, "xlabel=\"tcp 80,443\"");
	HAS(dot, "class=\"flow exposure\"");
	free(dot);
	unload(&fx);
}
END_TEST

/*
 * The DOT graphviz writes lists the clusters in the order vpcsim wrote
 * them (zones by name, subnets in their walk order), every time: cgraph's
 * own ids are string addresses, which ordered the clusters by the heap's
 * layout and changed the output from run to run.  Rendered three times,
 * as the heap differs each time.
 */
START_TEST(test_dot_cluster_order)
{
	static const char *const order[] = {
	    "subgraph cluster_region {",
	    "subgraph cluster_vpc0_main {",
	    "subgraph cluster_vpc0az0_us_east_1a {",
	    "subgraph cluster_subnet0_public_a {",
	    "subgraph cluster_subnet1_private_a {",
	    "subgraph cluster_vpc0az1_us_east_1b {",
	    "subgraph cluster_subnet2_public_b {",
	    "subgraph cluster_subnet3_private_b {"};
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	char *first = NULL;
	for (int run = 0; run < 3; run++) {
		char *dot = render(report_graph_dot, &fx, NULL, NULL);
		const char *at = dot;
		for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			const char *p = strstr(at, order[k]);
			ck_assert_msg(p, "run %d: %s missing or out of order",
				      run, order[k]);
			at = p + 1;
		}
		if (first) {
			ck_assert_str_eq(dot, first);
			free(dot);
		} else {
			first = dot;
		}
	}
	free(first);
	unload(&fx);
}
END_TEST

/* Runs graphviz's dot on a picture: its complaint, or NULL when it took
 * it.  The test alone runs the program; vpcsim uses the library. */
static char *dot_rejects(const char *dot)
{
	char path[] = "/tmp/vpcsim-picture-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(dot, f);
	ck_assert_int_eq(fclose(f), 0);
	char cmd[256], *out = NULL;
	size_t n = 0;
	snprintf(cmd, sizeof(cmd), "dot -Tsvg %s -o /dev/null 2>&1", path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	FILE *msg = open_memstream(&out, &n);
	int c;
	while ((c = fgetc(p)) != EOF)
		fputc(c, msg);
	fclose(msg);
	int status = pclose(p);
	remove(path);
	ck_assert_msg(!(WIFEXITED(status) && WEXITSTATUS(status) == 127),
		      "graphviz's dot is not installed: run 'make deps' "
		      "(it installs graphviz)");
	if (status == 0 && n == 0) {
		free(out);
		return NULL;
	}
	return out; /* a failure, or warnings */
}

START_TEST(test_dot_accepted)
{
	/* Every scenario and plan, all flows and the exposure picture. */
	static const char *const patterns[] = {"scenarios/*.yaml",
					       "tests/tfplan/*.json"};
	for (size_t k = 0; k < 2; k++) {
		glob_t gl;
		ck_assert_int_eq(glob(patterns[k], 0, NULL, &gl), 0);
		for (size_t i = 0; i < gl.gl_pathc; i++) {
			struct fixture fx;
			load(&fx, gl.gl_pathv[i]);
			struct reach_node inet = vertex(&fx, "internet");
			for (int from = 0; from < 2; from++) {
				char *dot = render(report_graph_dot, &fx,
						   from ? &inet : NULL, NULL);
				char *err = dot_rejects(dot);
				ck_assert_msg(!err,
					      "dot -Tsvg on the picture of "
					      "%s: %s",
					      gl.gl_pathv[i], err);
				free(dot);
			}
			unload(&fx);
		}
		globfree(&gl);
	}
}
END_TEST

/* ---- SVG ------------------------------------------------------------- */

START_TEST(test_svg)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	size_t n;
	char *svg = render(report_graph_svg, &fx, NULL, &n);
	ck_assert_uint_gt(n, 1000);
	ck_assert_msg(!strncmp(svg, "<?xml", 5), "no XML declaration");
	ck_assert_ptr_nonnull(strstr(svg, "<svg"));
	ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
	static const char *const names[] = {
	    /* graphviz writes '-' as &#45; */
	    ">Internet<",
	    ">AWS Region us&#45;east&#45;1<",
	    ">VPC main<",
	    ">Availability Zone us&#45;east&#45;1a<",
	    ">public&#45;a<",
	    ">private&#45;b<",
	    ">alb<",
	    ">web<",
	    ">db<",
	    ">nat&#45;a<",
	    ">tcp 80,443<",
	    ">tcp 3000<",
	    ">tcp 3306<",
	    "id=\"obj_load_balancer_0\"",
	    " flow forward\"",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(strstr(svg, names[i]), "the SVG lacks %s",
			      names[i]);
	/* The exposure is drawn red. */
	ck_assert_ptr_nonnull(strstr(svg, "stroke=\"#d62728\""));
	free(svg);
	unload(&fx);
}
END_TEST

/* ---- GraphML --------------------------------------------------------- */

static void graphml_counts(const struct fixture *fx,
			   const struct reach_node *from, uint32_t want_edges)
{
	size_t n;
	char *xml = render(report_graph_graphml, fx, from, &n);
	ck_assert_ptr_nonnull(strstr(xml, "<graphml"));
	FILE *f = fmemopen(xml, n, "r");
	ck_assert_ptr_nonnull(f);
	igraph_t back;
	igraph_error_t rc = igraph_read_graph_graphml(&back, f, 0);
	fclose(f);
	ck_assert_msg(rc == IGRAPH_SUCCESS,
		      "igraph cannot read the GraphML back (%s)",
		      igraph_strerror(rc));
	ck_assert_int_eq(igraph_vcount(&back), fx->all->n_nodes);
	ck_assert_int_eq(igraph_ecount(&back), want_edges);
	ck_assert(igraph_is_directed(&back));
	igraph_destroy(&back);
	free(xml);
}

START_TEST(test_graphml_reads_back)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	graphml_counts(&fx, NULL, fx.all->n_edges);
	struct reach_node internet = vertex(&fx, "internet");
	uint32_t from_internet = 0;
	for (uint32_t e = 0; e < fx.all->n_edges; e++)
		from_internet += fx.all->edges[e].from == 0;
	ck_assert_uint_eq(from_internet, 1);
	graphml_counts(&fx, &internet, from_internet);
	char *xml = render(report_graph_graphml, &fx, NULL, NULL);
	HAS(xml, ">tcp 80,443<");
	HAS(xml, ">forward<");
	free(xml);
	unload(&fx);
}
END_TEST

/* ---- JSON ------------------------------------------------------------ */

/* The object of the top-level array item holding needle: the pretty
 * printer puts those at four spaces. */
static char *json_item(const char *json, const char *needle)
{
	const char *p = strstr(json, needle);
	ck_assert_msg(p != NULL, "no %s", needle);
	const char *start = p;
	while (start > json && strncmp(start, "\n    {", 6))
		start--;
	const char *end = strstr(p, "\n    }");
	ck_assert_ptr_nonnull(end);
	size_t len = (size_t)(end - start);
	char *out = malloc(len + 1);
	memcpy(out, start, len);
	out[len] = '\0';
	return out;
}

#define ITEM_HAS(json, needle, ...)                                            \
	do {                                                                   \
		char *item_ = json_item(json, needle);                         \
		const char *const want_[] = {__VA_ARGS__, NULL};               \
		for (size_t i_ = 0; want_[i_]; i_++)                           \
			ck_assert_msg(strstr(item_, want_[i_]),                \
				      "%s lacks %s: %s", needle, want_[i_],    \
				      item_);                                  \
		free(item_);                                                   \
	} while (0)

START_TEST(test_json_three_tier)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	char *json = render(report_graph_json, &fx, NULL, NULL);
	ITEM_HAS(json, "\"id\": \"alb\"", "\"kind\": \"load_balancer\"",
		 "\"vpc\": \"main\"", "\"us-east-1a\"", "\"us-east-1b\"",
		 "\"public-a\"", "\"public-b\"", "\"public\": true",
		 "\"exposed\": true");
	ITEM_HAS(json, "\"id\": \"web\"", "\"kind\": \"service\"",
		 "\"private-a\"", "\"private-b\"", "\"public\": false",
		 "\"exposed\": false");
	ITEM_HAS(json, "\"id\": \"db\"", "\"kind\": \"database\"",
		 "\"exposed\": false");
	ITEM_HAS(json, "\"id\": \"internet\"", "\"kind\": \"internet\"",
		 "\"vpc\": null");
	ITEM_HAS(json, "\"from\": \"internet\",\n      \"to\": \"alb\"",
		 "\"from\": 80,\n          \"to\": 80,\n          \"verdict\": "
		 "\"all\"",
		 "\"from\": 443,", "\"exposure\": true", "\"forward\": false");
	ITEM_HAS(json, "\"from\": \"alb\",\n      \"to\": \"web\"",
		 "\"from\": 3000,", "\"forward\": true", "\"exposure\": false");
	ITEM_HAS(json, "\"from\": \"web\",\n      \"to\": \"db\"",
		 "\"from\": 3306,", "\"forward\": false");
	/* The estate, and each NAT gateway alone: a NAT gateway opens no
	 * connection and accepts none (semantics §7). */
	ck_assert_ptr_nonnull(strstr(json, "\"components\": 3"));
	ck_assert_ptr_nonnull(strstr(json, "\"from\": null"));
	free(json);

	struct reach_node inet = vertex(&fx, "internet");
	json = render(report_graph_json, &fx, &inet, NULL);
	ck_assert_ptr_nonnull(
	    strstr(json, "\"from\": \"internet\",\n  \"nodes\""));
	ck_assert_ptr_null(strstr(json, "\"from\": \"alb\""));
	free(json);
	unload(&fx);
}
END_TEST

/* ---- Mermaid --------------------------------------------------------- */

START_TEST(test_mermaid_three_tier)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	char *mmd = render(report_graph_mermaid, &fx, NULL, NULL);
	ck_assert(!strncmp(mmd, "graph TB\n", 9));
	HAS(mmd, "classDef public fill:#d4f1f9,stroke:#1e6b7f");
	HAS(mmd, "classDef private fill:#e8f6ef,stroke:#1e8065");
	HAS(mmd, "subgraph vpc0_main [\"VPC main<br/>10.0.0.0/16\"]");
	HAS(mmd, "subgraph vpc0az0_us_east_1a [\"Availability Zone "
		 "us-east-1a\"]");
	HAS(mmd, "subgraph vpc0az1_us_east_1b [");
	HAS(mmd, "class subnet0_public_a public");
	HAS(mmd, "class subnet2_public_b public");
	HAS(mmd, "class subnet1_private_a private");
	HAS(mmd, "class subnet3_private_b private");
	HAS(mmd, "_db[(\"db<br/>mysql :3306");
	HAS(mmd, "_web[\"web<br/>ECS service: 4 tasks in all<br/>:3000\"]");
	HAS(mmd, "[\"2 tasks of web\"]:::marker");
	HAS(mmd, "internet -->|\"tcp 80,443\"| igw0_igw");
	HAS(mmd, "igw0_igw -->|\"tcp 80,443\"| n", "_alb");
	HAS(mmd, "_alb ==>|\"tcp 3000\"| n", "_web");
	HAS(mmd, "_web -->|\"tcp 3306\"| n", "_db");
	HAS(mmd, "_web -.->|\"tcp 443\"| n", "_nat_a");
	HAS(mmd, "igw0_igw -.->|\"to aws:ecr, aws:s3, aws:logs\"| internet");
	HAS(mmd, "_web -.- m");
	HAS(mmd, "style n", "_alb stroke:#d62728");
	HAS_NOT(mmd, "_db -");

	/* The red linkStyle lists exactly the links of the exposure. */
	char want[256] = "linkStyle ";
	uint32_t link = 0;
	bool first = true;
	for (const char *line = mmd; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		const char *end = strchr(line, '\n');
		const char *arrow = strstr(line, " -");
		const char *arrow2 = strstr(line, " =");
		if ((!arrow || (end && arrow > end)) &&
		    (!arrow2 || (end && arrow2 > end)))
			continue;
		if (!strncmp(line, "  internet -->", 14) ||
		    !strncmp(line, "  igw0_igw -->", 14)) {
			size_t off = strlen(want);
			snprintf(want + off, sizeof(want) - off, "%s%u",
				 first ? "" : ",", link);
			first = false;
		}
		link++;
	}
	strcat(want, " stroke:#d62728");
	HAS(mmd, want);
	free(mmd);
	unload(&fx);
}
END_TEST

static bool mermaid_id(const char *s, size_t n)
{
	if (!n ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/*
 * Every id where Mermaid reads one (subgraph, node definitions, both ends
 * of a link, class and style statements) is [A-Za-z][A-Za-z0-9_]*, and
 * outside quoted text no Terraform address is left.
 */
static void check_mermaid_ids(const char *mmd, const char *path)
{
	char line[4096];
	const char *p = mmd;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		ck_assert_uint_lt(len, sizeof(line));
		/* The line without quoted text. */
		size_t k = 0;
		bool quoted = false;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '"')
				quoted = !quoted;
			else if (!quoted)
				line[k++] = p[i];
		}
		line[k] = '\0';
		ck_assert_msg(!quoted, "%s: unbalanced quotes: %.*s", path,
			      (int)len, p);
		const char *s = line;
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " [(:{");
		if (!strncmp(s, "subgraph ", 9) || !strncmp(s, "class ", 6) ||
		    !strncmp(s, "style ", 6)) {
			const char *id = strchr(s, ' ') + 1;
			/* class A,B cls: each id of the list */
			size_t m = strcspn(id, " ");
			for (const char *q = id; q < id + m;) {
				size_t one = strcspn(q, ", ");
				ck_assert_msg(mermaid_id(q, one),
					      "%s: bad id in: %s", path, line);
				q += one + (q[one] == ',');
			}
		} else if (*s && strncmp(s, "%%", 2) &&
			   strncmp(s, "classDef ", 9) &&
			   strncmp(s, "linkStyle ", 10) &&
			   strncmp(s, "graph ", 6) && strcmp(s, "end")) {
			ck_assert_msg(mermaid_id(s, n), "%s: bad id in: %s",
				      path, line);
			const char *bar = strstr(s, "||");
			if (bar) { /* a link: A -->|""| B */
				const char *to = bar + 2;
				while (*to == ' ')
					to++;
				ck_assert_msg(mermaid_id(to, strlen(to)),
					      "%s: bad link end in: %s", path,
					      line);
			}
		}
		ck_assert_msg(!strchr(line, '[') || strstr(line, "[]") ||
				  strstr(line, "[()]") ||
				  !strncmp(s, "subgraph", 8) ||
				  strstr(line, "[("),
			      "%s: a bracket outside quotes: %s", path, line);
		if (!end)
			break;
		p = end + 1;
	}
}

START_TEST(test_mermaid_terraform_ids)
{
	static const char *const plans[] = {"tests/tfplan/three-tier.plan.json",
					    "tests/tfplan/modules.plan.json"};
	for (size_t i = 0; i < 2; i++) {
		struct fixture fx;
		load(&fx, plans[i]);
		char *mmd = render(report_graph_mermaid, &fx, NULL, NULL);
		check_mermaid_ids(mmd, plans[i]);
		if (i == 0) {
			HAS(mmd, "subgraph subnet",
			    "_aws_subnet_private_0 "
			    "[\"aws_subnet.private[0]");
			HAS(mmd, "_aws_lb_alb[\"aws_lb.alb<br/>ALB");
		} else {
			/* module.vpc.aws_subnet.this["a"]: quotes escaped */
			HAS(mmd, "_module_vpc_aws_subnet_this_a [\"module.vpc."
				 "aws_subnet.this[#quot;a#quot;]");
		}
		free(mmd);
		unload(&fx);
	}
}
END_TEST

/* ---- exposure -------------------------------------------------------- */

START_TEST(test_db_public_open)
{
	struct fixture fx;
	load(&fx, "scenarios/db-public-open.yaml");
	char *json = render(report_graph_json, &fx, NULL, NULL);
	ITEM_HAS(json, "\"id\": \"db\"", "\"public\": true",
		 "\"exposed\": true");
	ITEM_HAS(json, "\"id\": \"db-replica\"", "\"exposed\": false");
	ITEM_HAS(json, "\"from\": \"internet\",\n      \"to\": \"db\"",
		 "\"from\": 3306,", "\"exposure\": true");
	free(json);
	/* The exposure in red through the internet gateway, the database
	 * with a red border. */
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_ENDPOINTS, false);
	const struct graph_layout_edge *e = arrow(&l, "igw", "_db");
	ck_assert_msg(e && !strcmp(e->kind, "exposure") &&
			  !strcmp(e->color, "#d62728") &&
			  strstr(e->label, "tcp 3306"),
		      "no red igw -> db tcp 3306");
	e = arrow(&l, "internet", "igw");
	ck_assert_msg(e && strstr(e->label, "3306"), "internet -> igw");
	ck_assert_ptr_null(arrow(&l, "igw", "_db_replica"));
	report_graph_layout_free(&l);
	char *mmd = render(report_graph_mermaid, &fx, NULL, NULL);
	HAS(mmd, "style n", "_db stroke:#d62728");
	HAS_NOT(mmd, "style n", "_db_replica stroke:#d62728");
	HAS(mmd, "-->|\"tcp 3306\"| n", "_db");
	free(mmd);
	unload(&fx);
}
END_TEST

/* ---- levels of detail ---------------------------------------------- */

/* Each level of the canonical scenario: graphviz takes every picture,
 * with the flows and the exposure; what a node stands for is said. */
START_TEST(test_levels_three_tier)
{
	struct fixture fx;
	load(&fx, "scenarios/three-tier.yaml");
	struct reach_node inet = vertex(&fx, "internet");
	for (int d = GRAPH_ENDPOINTS; d < GRAPH_DETAILS; d++)
		for (int from = 0; from < 2; from++) {
			char *dot = render_at(report_graph_dot, &fx,
					      from ? &inet : NULL, d, NULL);
			char *err = dot_rejects(dot);
			ck_assert_msg(!err, "dot -Tsvg on %s: %s",
				      graph_details[d].name, err);
			HAS(dot, "xlabel=\"tcp 80,443\"");
			free(dot);
			struct graph_layout l;
			layout_at(&l, &fx, from ? &inet : NULL, d, false);
			ck_assert_uint_ge(flows(&l, "exposure"), 1);
			char *msg = unreadable(&l);
			ck_assert_msg(!msg, "%s: %s", graph_details[d].name,
				      msg);
			report_graph_layout_free(&l);
		}
	/* Groups of one: drawn as the resources are, every flow. */
	struct graph_layout l;
	layout_at(&l, &fx, NULL, GRAPH_GROUPS, false);
	ck_assert_uint_eq(items(&l, GL_NODE, "db\nmysql :3306, multi-AZ", NULL),
			  1);
	ck_assert_uint_eq(items(&l, GL_LEGEND, "", NULL), 1);
	ck_assert_ptr_nonnull(arrow(&l, "_db", "internet"));
	report_graph_layout_free(&l);
	char *dot = render_at(report_graph_dot, &fx, NULL, GRAPH_GROUPS, NULL);
	HAS(dot, "twins drawn as one");
	free(dot);
	/* Subnets: a node per subnet, the tasks calling the database in
	 * their own subnet as a loop, the forwards blue. */
	layout_at(&l, &fx, NULL, GRAPH_SUBNETS, false);
	ck_assert_uint_eq(
	    items(&l, GL_NODE, "2 resources\n1 ECS service\n1 database", NULL),
	    2);
	const struct graph_layout_edge *e =
	    arrow(&l, "n1_private_a", "n1_private_a");
	ck_assert_msg(e && !strcmp(e->label, "tcp 3306"), "no loop");
	e = arrow(&l, "n0_public_a", "n1_private_a");
	ck_assert_msg(e && !strcmp(e->color, "#1f4e9c"), "no forward");
	report_graph_layout_free(&l);
	/* VPCs: one node in the VPC box, no AZ box. */
	char *mmd =
	    render_at(report_graph_mermaid, &fx, NULL, GRAPH_VPCS, NULL);
	HAS(mmd, "n0_main[\"6 resources<br/>2 NAT gateways");
	HAS(mmd, "n0_main ==>|\"tcp 3000\"| n0_main");
	HAS_NOT(mmd, "Availability Zone");
	free(mmd);
	char *json =
	    render_at(report_graph_json, &fx, NULL, GRAPH_SUBNETS, NULL);
	ck_assert_ptr_nonnull(strstr(json, "\"detail\": \"subnets\""));
	ITEM_HAS(json, "\"id\": \"private-a\"", "\"kind\": \"subnet\"",
		 "\"count\": 2", "\"web\"", "\"db\"");
	free(json);
	/* The endpoint level writes no "detail" (as before levels). */
	json = render(report_graph_json, &fx, NULL, NULL);
	ck_assert_ptr_null(strstr(json, "\"detail\""));
	free(json);
	unload(&fx);
}
END_TEST

/* A mesh of 300 twins: one node per group at the group level, their
 * flows to each other a loop, and a file of a few kilobytes where the
 * endpoint level would hold 90,000 flows. */
START_TEST(test_levels_mesh)
{
	char path[] = "/tmp/vpcsim-mesh-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "vpcs: {v: {cidr: 10.0.0.0/16}}\n"
		   "subnets: {s: {vpc: v, cidr: 10.0.0.0/22, az: a}}\n"
		   "security_groups: {g: {vpc: v, ingress: [{protocol: all, "
		   "from: g}]}}\ninstances:\n");
	for (int i = 0; i < 300; i++)
		fprintf(f, "  h%03d: {subnet: s, security_groups: [g]}\n", i);
	fclose(f);
	struct fixture fx;
	struct diag_list d = DIAG_LIST_INIT;
	const char *p = path;
	memset(&fx, 0, sizeof(fx));
	ck_assert_int_eq(model_load_files(&fx.m, &p, 1, NULL, 0, &d), 0);
	diag_list_free(&d);
	remove(path);
	sim_new(&fx.s, fx.m);
	reach_index_new(&fx.ix, fx.s);
	ck_assert_int_eq(graph_build(&fx.g, fx.ix, NULL), 0);
	char err[256];
	ck_assert_int_eq(graph_view_new(&fx.all, fx.g, GRAPH_ENDPOINTS, NULL,
					1000, err, sizeof(err)),
			 -2);
	ck_assert_ptr_nonnull(strstr(err, "89700 flows"));
	ck_assert_uint_gt(graph_view_size(fx.g, GRAPH_ENDPOINTS), 89700);
	ck_assert_uint_le(graph_view_size(fx.g, GRAPH_GROUPS), GRAPH_AUTO_SIZE);
	ck_assert_int_eq(graph_view_new(&fx.all, fx.g, GRAPH_GROUPS, NULL,
					GRAPH_VIEW_MAX_EDGES, err, sizeof(err)),
			 0);
	size_t n;
	char *dot = render_at(report_graph_dot, &fx, NULL, GRAPH_GROUPS, &n);
	HAS(dot, "label=\"h000 (+299 alike)\\nEC2 instance\"");
	HAS(dot, "n0_h000 -> n0_h000");
	HAS(dot, "xlabel=\"tcp all, udp all\"");
	ck_assert_uint_lt(n, 12000);
	ck_assert_ptr_null(dot_rejects(dot));
	free(dot);
	/* --from one host: its flows to its twins, the same loop. */
	struct reach_node h5 = {.kind = RN_RESOURCE,
				.rkind = MK_INSTANCE,
				.rindex = model_find(fx.m, "h005")->index};
	char *json = render_at(report_graph_json, &fx, &h5, GRAPH_GROUPS, NULL);
	ck_assert_ptr_nonnull(strstr(json, "\"from\": \"h005\""));
	ITEM_HAS(json, "\"from\": \"h000\",\n      \"to\": \"h000\"",
		 "\"forward\": false");
	ITEM_HAS(json, "\"id\": \"h000\"", "\"count\": 300", "\"h049\"");
	ck_assert_ptr_null(strstr(json, "\"h050\"")); /* 50 listed */
	free(json);
	unload(&fx);
}
END_TEST

/* igraph's errors are data once the graph code has set its handler: a
 * failing call returns its code and leaves the message, the process goes
 * on (igraph's default handler aborts). */
START_TEST(test_igraph_error)
{
	graph_igraph_init();
	igraph_vector_int_t ev;
	ck_assert_int_eq(igraph_vector_int_init(&ev, 3), IGRAPH_SUCCESS);
	igraph_t g;
	/* An odd number of edge ends is invalid. */
	igraph_error_t rc = igraph_create(&g, &ev, 2, IGRAPH_DIRECTED);
	ck_assert_int_ne(rc, IGRAPH_SUCCESS);
	ck_assert_ptr_nonnull(strstr(graph_igraph_error(), "igraph: "));
	igraph_vector_int_destroy(&ev);
}
END_TEST

Suite *picture_suite(void)
{
	Suite *s = suite_create("picture");
	TCase *tc = tcase_create("formats");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dot_three_tier);
	tcase_add_test(tc, test_dot_cluster_order);
	tcase_add_test(tc, test_teaching_three_tier);
	tcase_add_test(tc, test_teaching_blocked);
	tcase_add_test(tc, test_teaching_data_stores);
	tcase_add_test(tc, test_teaching_endpoints);
	tcase_add_test(tc, test_ipv6_exposure);
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_svg);
	tcase_add_test(tc, test_graphml_reads_back);
	tcase_add_test(tc, test_json_three_tier);
	tcase_add_test(tc, test_mermaid_three_tier);
	tcase_add_test(tc, test_mermaid_terraform_ids);
	tcase_add_test(tc, test_db_public_open);
	tcase_add_test(tc, test_igraph_error);
	suite_add_tcase(s, tc);
	tc = tcase_create("graphviz");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_dot_accepted);
	tcase_add_test(tc, test_readable_everywhere);
	tcase_add_test(tc, test_levels_three_tier);
	tcase_add_test(tc, test_levels_mesh);
	suite_add_tcase(s, tc);
	return s;
}

/*
 * `vpcsim graph MODEL... [--format dot|mermaid|graphml|json|svg]
 * [--from SEL] [--detail auto|endpoints|groups|subnets|vpcs]
 * [--output FILE]`: the architecture and its reachable flows as a picture
 * (docs/graph.md).  The graph of twin groups is built once (sim/graph.h);
 * --detail chooses the view drawn, auto the finest whose picture stays
 * small; --from only chooses which edges are drawn, so the boxes and
 * nodes stay the same.
 */
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"
#include "sim/graph.h"
#include "sim/reach.h"
#include "sim/sim.h"

/* --format's words (cli_cmd_graph.formats is in this order). */
enum graph_format { FMT_DOT, FMT_MERMAID, FMT_GRAPHML, FMT_JSON, FMT_SVG };

/* --detail's words: the levels of graph.h, then auto. */
#define DETAIL_AUTO GRAPH_DETAILS

static const char *const details[] = {
    [GRAPH_ENDPOINTS] = "endpoints", [GRAPH_GROUPS] = "groups",
    [GRAPH_SUBNETS] = "subnets",     [GRAPH_VPCS] = "vpcs",
    [DETAIL_AUTO] = "auto",	     [DETAIL_AUTO + 1] = NULL};

/* graph's own options. */
enum { OPT_FROM = 1, OPT_DETAIL, OPT_ALL_FLOWS };

static const struct cli_opt graph_opts[] = {
    {.id = OPT_FROM,
     .name = "from",
     .value = CLI_TEXT,
     .metavar = "SEL",
     .help = "draw only the flows of internet or of one resource"},
    {.id = OPT_DETAIL,
     .name = "detail",
     .value = CLI_WORD,
     .metavar = "LEVEL",
     .words = details,
     .def = "auto",
     .help = "what a node is: {}; auto is the finest level whose picture "
	     "stays small"},
    {.id = OPT_ALL_FLOWS,
     .name = "all-flows",
     .value = CLI_FLAG,
     .help = "draw every flow that works, not only the intended ones and "
	     "what the internet reaches (the endpoint level's default)"},
    {0},
};

struct args {
	const char *from;
	enum graph_format format;
	int detail; /* enum graph_detail, or DETAIL_AUTO */
	bool all_flows;
};

static void parse_args(struct args *a, const struct cli *c)
{
	memset(a, 0, sizeof(*a));
	a->format = (enum graph_format)c->format;
	a->detail = DETAIL_AUTO;
	for (size_t i = 0; i < c->n_args; i++) {
		if (c->args[i].opt->id == OPT_FROM)
			a->from = c->args[i].val;
		else if (c->args[i].opt->id == OPT_DETAIL)
			a->detail = c->args[i].word;
		else if (c->args[i].opt->id == OPT_ALL_FLOWS)
			a->all_flows = true;
	}
}

/* The node --from names: the internet or a resource with placements. */
static int from_node(struct reach_node *out, const struct graph *g,
		     const struct sim *s, const char *text)
{
	struct sim_sel sel;
	char err[512];
	if (sim_sel_parse(&sel, s, text, err, sizeof(err)))
		return cli_usage_error("%s", err);
	struct reach_node n = {
	    .kind = RN_RESOURCE, .rkind = sel.rkind, .rindex = sel.rindex};
	if (sel.kind == SEL_INTERNET) {
		/* The graph's internet is every public address at once. */
		if (strcmp(text, "internet"))
			return cli_usage_error("graph: --from takes "
					       "'internet', not one internet "
					       "address");
		n.kind = RN_INTERNET;
	} else if (sel.kind == SEL_SERVICE) {
		return cli_usage_error("graph: AWS services are destinations "
				       "only");
	} else if (sel.kind != SEL_RESOURCE) {
		return cli_usage_error("graph: --from takes 'internet' or a "
				       "resource id, not a placement or an "
				       "address");
	}
	if (graph_vertex(g, &n) == UINT32_MAX)
		return cli_usage_error("graph: %s has no placements, so no "
				       "flows",
				       text);
	*out = n;
	return 0;
}

static int write_picture(FILE *f, enum graph_format format,
			 const struct graph_picture *pic)
{
	switch (format) {
	case FMT_MERMAID:
		return report_graph_mermaid(f, pic);
	case FMT_GRAPHML:
		return report_graph_graphml(f, pic);
	case FMT_JSON:
		return report_graph_json(f, pic);
	case FMT_SVG:
		return report_graph_svg(f, pic);
	case FMT_DOT:
		break;
	}
	return report_graph_dot(f, pic);
}

/* The level to draw: the one asked, or the finest whose picture is at
 * most GRAPH_AUTO_SIZE (the coarsest when none is). */
static enum graph_detail pick_detail(const struct graph *g, int asked)
{
	if (asked != DETAIL_AUTO)
		return (enum graph_detail)asked;
	for (int d = GRAPH_ENDPOINTS; d < GRAPH_VPCS; d++)
		if (graph_view_size(g, (enum graph_detail)d) <= GRAPH_AUTO_SIZE)
			return (enum graph_detail)d;
	return GRAPH_VPCS;
}

/* What an SVG of m at level d costs graphviz: the view's nodes and flows,
 * and the boxes drawn around them, each counted as five (dot lays boxes
 * out in more than linear time: 2,000 empty VPCs took 6 s and 900 MB,
 * 10,000 minutes): every VPC, an empty one too, and below the VPC level
 * its zones and subnets. */
static uint64_t svg_size(const struct graph *g, const struct model *m,
			 enum graph_detail d)
{
	uint64_t boxes = m->n[MK_VPC];
	if (d != GRAPH_VPCS)
		boxes += 2 * (uint64_t)m->n[MK_SUBNET];
	return graph_view_size(g, d) + 5 * boxes;
}

/* A view of g at level d; prints why not. */
static int make_view(struct graph_view **out, const struct graph *g,
		     enum graph_detail d, const struct reach_node *from)
{
	char err[256];
	int rc = graph_view_new(out, g, d, from, GRAPH_VIEW_MAX_EDGES, err,
				sizeof(err));
	if (rc == -2)
		return cli_usage_error(
		    "graph: --detail %s would draw %s; draw less with a "
		    "coarser --detail (groups, subnets, vpcs)%s",
		    graph_details[d].name, err, from ? "" : " or with --from");
	if (rc)
		return cli_usage_error("graph: %s", err);
	return 0;
}

static int run_graph(struct cli *c)
{
	struct args a;
	if (!c->n_operands)
		return cli_usage_error(
		    "usage: vpcsim graph [OPTIONS] MODEL...; "
		    "see 'vpcsim graph --help'");
	parse_args(&a, c);
	struct model *m = cli_load_operands(c, NULL);
	if (!m)
		return EXIT_INPUT;
	struct sim *s = NULL;
	struct reach_index *ix = NULL;
	struct graph *g = NULL;
	struct graph_view *all = NULL, *drawn = NULL;
	struct reach_node from;
	int rc = EXIT_INPUT;
	sim_new(&s, m);
	cli_progress(c, "grouping what the network treats alike");
	reach_index_new(&ix, s);
	cli_progress(c, "building the graph");
	if (graph_build(&g, ix, NULL)) {
		cli_usage_error("graph: building the graph failed: %s",
				g ? g->error : "out of memory");
		goto out;
	}
	if (a.from && from_node(&from, g, s, a.from))
		goto out;
	enum graph_detail d = pick_detail(g, a.detail);
	if (a.format == FMT_SVG && svg_size(g, m, d) > GRAPH_SVG_MAX_SIZE) {
		cli_usage_error("graph: an SVG of %llu nodes, flows and boxes "
				"(more than %u) would take graphviz too long "
				"to lay out: use a coarser --detail, or "
				"--format dot, json or graphml",
				(unsigned long long)svg_size(g, m, d),
				GRAPH_SVG_MAX_SIZE);
		goto out;
	}
	if (make_view(&all, g, d, NULL) ||
	    (a.from && make_view(&drawn, g, d, &from)))
		goto out;
	struct graph_picture pic = {all, drawn, a.from ? &from : NULL,
				    a.all_flows};
	cli_progress(c, "drawing");
	struct cli_out o;
	if (cli_out_open(&o, c, false))
		goto out;
	/* A failed picture is not put in place: cli_out_abort leaves
	 * --output as it was (and never removes what is no regular file). */
	if (write_picture(o.f, a.format, &pic) != 0) {
		cli_out_abort(&o);
		cli_usage_error("graph: drawing the picture failed");
		goto out;
	}
	rc = cli_out_close(&o);
out:
	graph_view_free(all);
	graph_view_free(drawn);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return rc;
}

const struct cli_cmd cli_cmd_graph = {
    .name = "graph",
    .synopsis = "MODEL...",
    .summary = "draw the architecture and its reachable flows",
    .description =
	"Draws the architecture as the reference guide does: region, VPC, "
	"zone and subnet boxes (public light blue, private green), each "
	"resource in its subnets, one arrow per intended flow with its ports "
	"through the gateways it passes, a blocked one dashed red naming what "
	"blocks it, what the internet reaches in red (--all-flows: every flow "
	"that works). DOT and Mermaid paste into documents, GraphML and JSON "
	"feed other tools, SVG is laid out by vpcsim and rendered by "
	"graphviz's library. --detail chooses what a node is, so that any "
	"estate's picture stays readable (docs/graph.md).",
    .formats =
	(const char *const[]){"dot", "mermaid", "graphml", "json", "svg", NULL},
    .opts = graph_opts,
    .models = true,
    .examples =
	(const char *const[]){"vpcsim graph scenarios/three-tier.yaml -f svg "
			      "-o three-tier.svg",
			      "vpcsim graph scenarios/three-tier.yaml --from "
			      "internet -f mermaid",
			      NULL},
    .run = run_graph,
};

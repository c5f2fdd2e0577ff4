/*
 * `vpcsim graph MODEL... [--format dot|mermaid|graphml|json|svg]
 * [--from SEL] [--output FILE]`: the architecture and its reachable flows
 * as a picture (docs/graph.md).  The whole reachability graph is built
 * (one estate-wide query per source resource); --from only chooses which
 * edges are drawn, so the boxes and resources stay the same.
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

/* graph's own options. */
enum { OPT_FROM = 1 };

static const struct cli_opt graph_opts[] = {
    {.id = OPT_FROM,
     .name = "from",
     .value = CLI_TEXT,
     .metavar = "SEL",
     .help = "draw only the flows of internet or of one resource"},
    {0},
};

struct args {
	const char *from;
	enum graph_format format;
};

static void parse_args(struct args *a, const struct cli *c)
{
	memset(a, 0, sizeof(*a));
	a->format = (enum graph_format)c->format;
	for (size_t i = 0; i < c->n_args; i++)
		if (c->args[i].opt->id == OPT_FROM)
			a->from = c->args[i].val;
}

/* The vertex --from names: the internet or a resource with placements. */
static int from_vertex(uint32_t *out, const struct graph *g,
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
	*out = graph_vertex(g, &n);
	if (*out == UINT32_MAX)
		return cli_usage_error("graph: %s has no placements, so no "
				       "flows",
				       text);
	return 0;
}

static int write_picture(FILE *f, enum graph_format format,
			 const struct graph *g, uint32_t from)
{
	switch (format) {
	case FMT_MERMAID:
		return report_graph_mermaid(f, g, from);
	case FMT_GRAPHML:
		return report_graph_graphml(f, g, from);
	case FMT_JSON:
		return report_graph_json(f, g, from);
	case FMT_SVG:
		return report_graph_svg(f, g, from);
	case FMT_DOT:
		break;
	}
	return report_graph_dot(f, g, from);
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
	uint32_t from = UINT32_MAX;
	int rc = EXIT_INPUT;
	sim_new(&s, m);
	cli_progress(c, "computing equivalence classes");
	reach_index_new(&ix, s);
	cli_progress(c, "building the graph");
	if (graph_build(&g, ix)) {
		cli_usage_error("graph: building the graph failed");
		goto out;
	}
	if (a.from && from_vertex(&from, g, s, a.from))
		goto out;
	cli_progress(c, "drawing");
	struct cli_out o;
	if (cli_out_open(&o, c, false))
		goto out;
	/* A failed picture is not put in place: cli_out_abort leaves
	 * --output as it was (and never removes what is no regular file). */
	if (write_picture(o.f, a.format, g, from) != 0) {
		cli_out_abort(&o);
		cli_usage_error("graph: drawing the picture failed");
		goto out;
	}
	rc = cli_out_close(&o);
out:
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
	"resource in its subnets, and every flow that works as an arrow "
	"with its ports, what the internet reaches in red. DOT and Mermaid "
	"paste into documents, GraphML and JSON feed other tools, SVG is laid "
	"out by graphviz's library (docs/graph.md).",
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

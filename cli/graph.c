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

/* --format's words (formats[] in parse_args is in this order). */
enum graph_format { FMT_DOT, FMT_MERMAID, FMT_GRAPHML, FMT_JSON, FMT_SVG };

/* --detail's words: the levels of graph.h, then auto. */
#define DETAIL_AUTO GRAPH_DETAILS

struct args {
	const char *models[16];
	int n_models;
	const char *from, *output;
	enum graph_format format;
	int detail; /* enum graph_detail, or DETAIL_AUTO */
};

static const char usage[] =
    "usage: vpcsim graph MODEL... [--format dot|mermaid|graphml|json|svg] "
    "[--from SEL] [--detail auto|endpoints|groups|subnets|vpcs] "
    "[--output FILE]";

static int parse_args(struct args *a, int argc, char **argv)
{
	static const char *const formats[] = {[FMT_DOT] = "dot",
					      [FMT_MERMAID] = "mermaid",
					      [FMT_GRAPHML] = "graphml",
					      [FMT_JSON] = "json",
					      [FMT_SVG] = "svg"};
	static const char *const opts[] = {"--format", "--from", "--output",
					   "--detail"};
	static const char *const details[] = {[GRAPH_ENDPOINTS] = "endpoints",
					      [GRAPH_GROUPS] = "groups",
					      [GRAPH_SUBNETS] = "subnets",
					      [GRAPH_VPCS] = "vpcs",
					      [DETAIL_AUTO] = "auto"};
	memset(a, 0, sizeof(*a));
	a->detail = DETAIL_AUTO;
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i], *val = NULL;
		if (opt[0] != '-' || opt[1] != '-') {
			if (a->n_models == 16)
				return cli_usage_error("graph takes at most 16 "
						       "MODEL files");
			a->models[a->n_models++] = opt;
			continue;
		}
		char name[32];
		const char *eq = strchr(opt, '=');
		size_t len = eq ? (size_t)(eq - opt) : strlen(opt);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, opt, len);
		name[len] = '\0';
		if (strcmp(name, "--format") && strcmp(name, "--from") &&
		    strcmp(name, "--output") && strcmp(name, "--detail")) {
			const char *near =
			    util_closest(name, opts, ARRAY_LEN(opts));
			return cli_usage_error(
			    "graph: unknown option '%s'%s%s%s", name,
			    near ? " (did you mean '" : "", near ? near : "",
			    near ? "'?)" : "");
		}
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return cli_usage_error("graph: %s needs a value", name);
		if (!strcmp(name, "--format")) {
			int f = cli_choice("--format", val, formats,
					   ARRAY_LEN(formats));
			if (f < 0)
				return EXIT_INPUT;
			a->format = (enum graph_format)f;
		} else if (!strcmp(name, "--from")) {
			a->from = val;
		} else if (!strcmp(name, "--detail")) {
			a->detail = cli_choice("--detail", val, details,
					       ARRAY_LEN(details));
			if (a->detail < 0)
				return EXIT_INPUT;
		} else {
			a->output = val;
		}
	}
	if (!a->n_models)
		return cli_usage_error("%s", usage);
	return 0;
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

int cmd_graph(int argc, char **argv)
{
	struct args a;
	int rc = parse_args(&a, argc, argv);
	if (rc)
		return rc;
	struct model *m = cli_load_paths(a.models, a.n_models);
	if (!m)
		return EXIT_INPUT;
	struct sim *s = NULL;
	struct reach_index *ix = NULL;
	struct graph *g = NULL;
	struct graph_view *all = NULL, *drawn = NULL;
	FILE *f = NULL;
	struct reach_node from;
	rc = EXIT_INPUT;
	sim_new(&s, m);
	reach_index_new(&ix, s);
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
	struct graph_picture pic = {all, drawn, a.from ? &from : NULL};
	f = a.output ? fopen(a.output, "w") : stdout;
	if (!f) {
		cli_usage_error("graph: cannot write %s", a.output);
		goto out;
	}
	bool failed = write_picture(f, a.format, &pic) != 0;
	failed |= fflush(f) != 0 || ferror(f);
	if (a.output)
		failed |= fclose(f) != 0;
	f = NULL;
	if (failed) {
		cli_usage_error("graph: writing the picture to %s failed",
				a.output ? a.output : "standard output");
		/* No half-written file is left behind for a build to use. */
		if (a.output)
			remove(a.output);
		goto out;
	}
	rc = EXIT_CLEAN;
out:
	graph_view_free(all);
	graph_view_free(drawn);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return rc;
}

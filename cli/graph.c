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

/* --format's words (formats[] in parse_args is in this order). */
enum graph_format { FMT_DOT, FMT_MERMAID, FMT_GRAPHML, FMT_JSON, FMT_SVG };

struct args {
	const char *models[16];
	int n_models;
	const char *from, *output;
	enum graph_format format;
};

static const char usage[] =
    "usage: vpcsim graph MODEL... [--format dot|mermaid|graphml|json|svg] "
    "[--from SEL] [--output FILE]";

static int parse_args(struct args *a, int argc, char **argv)
{
	static const char *const formats[] = {[FMT_DOT] = "dot",
					      [FMT_MERMAID] = "mermaid",
					      [FMT_GRAPHML] = "graphml",
					      [FMT_JSON] = "json",
					      [FMT_SVG] = "svg"};
	static const char *const opts[] = {"--format", "--from", "--output"};
	memset(a, 0, sizeof(*a));
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
		    strcmp(name, "--output")) {
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
		} else {
			a->output = val;
		}
	}
	if (!a->n_models)
		return cli_usage_error("%s", usage);
	return 0;
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
	FILE *f = NULL;
	uint32_t from = UINT32_MAX;
	rc = EXIT_INPUT;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	if (graph_build(&g, ix)) {
		cli_usage_error("graph: building the graph failed");
		goto out;
	}
	if (a.from && from_vertex(&from, g, s, a.from))
		goto out;
	f = a.output ? fopen(a.output, "w") : stdout;
	if (!f) {
		cli_usage_error("graph: cannot write %s", a.output);
		goto out;
	}
	bool failed = write_picture(f, a.format, g, from) != 0;
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
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return rc;
}

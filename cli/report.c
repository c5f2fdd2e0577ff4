/*
 * `vpcsim report MODEL... [--policy FILE]... [-o report.html]`: one
 * self-contained HTML page for a person reviewing the estate
 * (docs/report.md): the picture, what the internet reaches, the findings
 * with their traces, the intended flows (a trace for each that does not
 * work) and what losing each availability zone breaks.  It gathers what
 * `graph`, `reach --from internet`, `check`, `trace` and `sim --all-azs`
 * compute, once each, and report/html.c writes the page.  The page is a
 * report, not a gate: exit 0 when it was written, 2 on a usage, input or
 * output error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"
#include "rules/change.h"
#include "rules/rules.h"
#include "sim/graph.h"

enum { OPT_POLICY = 1 };

static const struct cli_opt report_opts[] = {
    {.id = OPT_POLICY,
     .name = "policy",
     .value = CLI_FILE,
     .metavar = "FILE",
     .repeat = true,
     .help = "load policies from FILE, as check does (a native model's own "
	     "policies: section is always loaded)"},
    {0},
};

/* What losing each zone does, as `sim --all-azs` finds it: the healthy
 * model against a copy of it with the zone failed.  Zones whose failure
 * the model refuses are left out. */
static struct change_report *what_if(const struct model *m, const char **zones,
				     uint32_t *nz)
{
	struct change_report *r = xcalloc(*nz + 1, sizeof(*r));
	uint32_t kept = 0;
	for (uint32_t z = 0; z < *nz; z++) {
		struct model *after;
		struct diag_list d = DIAG_LIST_INIT;
		if (!model_fail_copy(&after, m, zones[z], NULL, 0, &d)) {
			change_collect(&r[kept].flows, m);
			change_compare(&r[kept], m, after, false);
			zones[kept++] = zones[z];
		}
		diag_list_free(&d);
		model_free(after);
	}
	*nz = kept;
	return r;
}

/* The picture as `vpcsim graph -f svg` draws it at the auto level, into
 * *svg (the caller's), or why not into why. */
static void picture(char **svg, const char **why, const struct reach_index *ix)
{
	struct graph *g = NULL;
	struct graph_view *all = NULL;
	char err[256];
	*svg = NULL;
	*why = "The picture could not be drawn.";
	if (graph_build(&g, ix, NULL))
		goto out;
	enum graph_detail d = GRAPH_VPCS;
	for (int k = GRAPH_ENDPOINTS; k < GRAPH_VPCS; k++)
		if (graph_view_size(g, (enum graph_detail)k) <=
		    GRAPH_AUTO_SIZE) {
			d = (enum graph_detail)k;
			break;
		}
	if (graph_view_size(g, d) > GRAPH_SVG_MAX_SIZE) {
		*why = "The estate is too large to lay out as one picture: "
		       "vpcsim graph --format dot, json or graphml describe "
		       "it.";
		goto out;
	}
	if (graph_view_new(&all, g, d, NULL, GRAPH_VIEW_MAX_EDGES, err,
			   sizeof(err)))
		goto out;
	struct graph_picture pic = {all, NULL, NULL, false};
	size_t len = 0;
	FILE *f = open_memstream(svg, &len);
	if (!f)
		goto out;
	int rc = report_graph_svg(f, &pic);
	if (fclose(f) || rc) {
		free(*svg);
		*svg = NULL;
	}
out:
	graph_view_free(all);
	graph_free(g);
}

static int run_report(struct cli *c)
{
	if (!c->n_operands)
		return cli_usage_error("usage: vpcsim report [OPTIONS] "
				       "MODEL...; see 'vpcsim report --help'");
	const char **policies = xcalloc(c->n_args + 1, sizeof(*policies));
	uint32_t n_policies = 0;
	for (size_t i = 0; i < c->n_args; i++)
		if (c->args[i].opt->id == OPT_POLICY)
			policies[n_policies++] = c->args[i].val;
	struct model *m = NULL;
	struct policy_set *ps = NULL;
	struct finding_list findings = {0};
	struct diag_list diags = DIAG_LIST_INIT;
	struct rule_ctx ctx;
	bool have_ctx = false;
	const char **zones = NULL;
	struct change_report *zr = NULL;
	uint32_t nz = 0;
	char *svg = NULL;
	int rc = EXIT_INPUT;
	if (cli_refuse_input(c, "--output", c->output, policies, n_policies))
		goto out;
	struct ykit_section *own = NULL;
	m = cli_load_operands(c, &own);
	if (!m)
		goto out;
	/* As check does (cli/analyse.c): a suppression of a rule that does
	 * not exist is an error, not a silent no-op. */
	cli_load_policies(&ps, own, policies, n_policies, m, &diags);
	findings_check_suppress(m, ps, &diags);
	cli_print_diags(c, &diags);
	if (diags.n_errors)
		goto out;
	cli_progress(c, "computing what reaches what");
	rule_ctx_init(&ctx, m, &findings);
	have_ctx = true;
	cli_progress(c, "running the rules");
	struct rule_options opt = {0};
	rules_run_ctx(&ctx, &opt);
	if (ps)
		policy_run(&findings, ps, &ctx);
	findings_suppress(&findings, m);
	findings_sort(&findings);
	cli_progress(c, "drawing");
	const char *why;
	picture(&svg, &why, ctx.ix);
	cli_progress(c, "losing each zone");
	zones = model_zones(m, &nz);
	zr = what_if(m, zones, &nz);
	cli_progress(c, "writing");
	struct html_report h = {
	    .m = m,
	    .s = ctx.s,
	    .svg = svg,
	    .no_picture = why,
	    .exposure = {&ctx.exposure_tcp, &ctx.exposure_udp,
			 &ctx.exposure6_tcp, &ctx.exposure6_udp},
	    .findings = &findings,
	    .zones = zones,
	    .zone_reports = zr,
	    .n_zones = nz,
	};
	struct cli_out o;
	if (cli_out_open(&o, c, false))
		goto out;
	report_html(o.f, &h);
	rc = cli_out_close(&o);
out:
	cli_progress_end();
	for (uint32_t z = 0; zr && z < nz; z++)
		change_report_free(&zr[z]);
	free(zr);
	free(zones);
	free(svg);
	if (have_ctx)
		rule_ctx_free(&ctx);
	findings_free(&findings);
	policy_set_free(ps);
	diag_list_free(&diags);
	model_free(m);
	free(policies);
	return rc;
}

const struct cli_cmd cli_cmd_report = {
    .name = "report",
    .synopsis = "MODEL...",
    .summary = "write one HTML page: picture, exposure, findings, traces",
    .description =
	"Writes one self-contained HTML page for a person reviewing the "
	"estate: the picture (as 'vpcsim graph -f svg' draws it), what the "
	"internet reaches, every finding of 'vpcsim check' by severity with "
	"its trace, the intended flows with a trace for each that does not "
	"work, and what losing each availability zone breaks ('vpcsim sim "
	"--all-azs'). Findings link to their resource in the picture. The "
	"page loads nothing from elsewhere, reads on a phone and prints "
	"whole. It is a report, not a gate: the exit status is 0 when it was "
	"written. See docs/report.md.",
    .formats = (const char *const[]){"html", NULL},
    .opts = report_opts,
    .models = true,
    .examples =
	(const char *const[]){
	    "vpcsim report scenarios/three-tier.yaml -o "
	    "report.html",
	    "vpcsim report scenarios/nacl-drops-alb-replies.yaml "
	    "-o report.html",
	    NULL},
    .run = run_report,
};

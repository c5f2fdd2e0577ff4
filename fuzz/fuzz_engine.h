/*
 * Shared body of the engine fuzz targets (engine_native, engine_cfn): the
 * input is loaded as one model file, the way vpcsim reads a MODEL
 * argument, and a model that loads goes through every command's pipeline
 * with small bounds, its reports written to /dev/null:
 *   - show (text, JSON);
 *   - check: every rule and the model's own policies on one context,
 *     suppressions, findings in text, JSON, SARIF, JUnit and baseline;
 *   - the exposure map (from the internet, tcp and udp, IPv6 too; to one
 *     resource) in text, JSON and CSV, and a load balancer's forwards;
 *   - trace and reach: the internet or a resource to a resource, with
 *     traces, their fixes as YAML;
 *   - chains (reach --hops 3 --limit 5) between the same two, on the
 *     scoped graph, with a small search budget;
 *   - the graph at each level of detail (all of it and --from internet)
 *     in every format; SVG of small pictures only when VPCSIM_FUZZ_SVG is
 *     set (for one input in eight; "all": every input, as
 *     tests/check_engine.c replays the crashers): graphviz 2.43's dot layout
 * runs for minutes on some pictures of a few dozen nodes (docs/robustness.md,
 *     known gaps), which is graphviz's to fix and would stop every run;
 *   - sim: a clone with a zone or a resource failed, against the healthy
 *     model with the policies;
 *   - diff: a clone with a security-group rule or a resource removed, as
 *     the new model.
 * Which resources, zone, rule and variant are picked is derived from the
 * input's bytes (a hash), so one input always takes the same path.  Models past
 * FUZZ_MAX_OBJECTS objects are only loaded: the fuzzer looks for crashes,
 * and big inputs only slow it down (the bounds of big models are the
 * hostile tests' and the random models', tests/hostile, tests/random).
 * Everything is freed, so LeakSanitizer sees every leak.
 */
#ifndef VPCSIM_FUZZ_ENGINE_H
#define VPCSIM_FUZZ_ENGINE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/change.h"
#include "rules/rules.h"
#include "sim/graph.h"
#include "sim/reach.h"
#include "sim/sim.h"

#define FUZZ_MAX_OBJECTS 400
#define FUZZ_HOPS	 3
#define FUZZ_LIMIT	 5
#define FUZZ_STEPS	 200000ull
#define FUZZ_SVG_MAX	 200

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *fuzz_null;
/* VPCSIM_FUZZ_SVG: unset, no SVG; "all", every input's; else one in
 * eight. */
static int fuzz_svg;

static uint32_t fuzz_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

/* The k-th resource that has placements (counted round), or -1. */
static int fuzz_resource(const struct model *m, uint32_t k,
			 struct reach_node *out)
{
	uint32_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int kind = 0; kind < MK_KIND_COUNT; kind++) {
			if (!m->n_placements[kind])
				continue;
			for (uint32_t i = 0; i < m->n[kind]; i++) {
				if (!m->n_placements[kind][i])
					continue;
				if (pass == 1 && n && (k % n) == 0) {
					*out = (struct reach_node){
					    .kind = RN_RESOURCE,
					    .rkind = (enum model_kind)kind,
					    .rindex = i};
					return 0;
				}
				if (pass == 0)
					n++;
				else
					k--;
			}
			(void)0;
		}
	return -1;
}

static void fuzz_sel(struct sim_sel *sel, const struct sim *s,
		     const struct reach_node *n)
{
	char err[256];
	const char *text = "internet";
	if (n->kind == RN_RESOURCE)
		text = model_object(sim_model(s), n->rkind, n->rindex)->id;
	if (sim_sel_parse(sel, s, text, err, sizeof(err)))
		abort(); /* a resource's own id must parse */
}

/* trace and reach from -> to on a few ports, with the fixes. */
static void fuzz_trace(const struct sim *s, const struct reach_node *from,
		       const struct reach_node *to)
{
	struct sim_sel src, dst;
	fuzz_sel(&src, s, from);
	fuzz_sel(&dst, s, to);
	uint32_t n_eps = 0;
	struct sim_ep *eps = sim_sel_endpoints(s, &dst, &n_eps);
	struct sim_flow flows[4] = {
	    {PROTO_TCP, 443}, {PROTO_TCP, 22}, {PROTO_UDP, 53}, {PROTO_TCP, 0}};
	uint32_t n = 3;
	if (n_eps) {
		uint32_t k = 0;
		sim_service_ports(s, &eps[0], &flows[3], 1, &k);
		n += k;
	}
	free(eps);
	struct sim_answer a[4];
	for (uint32_t i = 0; i < n; i++)
		sim_answer(&a[i], s, &src, &dst, flows[i], true);
	report_trace_text(fuzz_null, s, &src, &dst, a, n, true);
	report_trace_json(fuzz_null, s, &src, &dst, a, n);
	report_reach_text(fuzz_null, s, &src, &dst, a, n, NULL, true);
	report_reach_json(fuzz_null, s, &src, &dst, a, n, NULL);
	struct sim_fix_list fixes = {0};
	for (uint32_t i = 0; i < n; i++)
		sim_answer_fixes(&fixes, sim_model(s), &a[i]);
	char *yaml = report_fix_yaml(fixes.v, fixes.n, 72);
	if (yaml)
		fputs(yaml, fuzz_null);
	free(yaml);
	sim_fix_list_free(&fixes);
	for (uint32_t i = 0; i < n; i++)
		sim_answer_free(&a[i]);
}

/* reach --from/--to tables, and a load balancer's forwards. */
static void fuzz_maps(const struct rule_ctx *ctx, const struct reach_node *to)
{
	const struct sim *s = ctx->s;
	report_map_text(fuzz_null, s, &ctx->exposure_tcp, "exposure");
	report_map_json(fuzz_null, s, &ctx->exposure_udp);
	report_map_csv(fuzz_null, s, &ctx->exposure_tcp);
	report_map_json(fuzz_null, s, &ctx->exposure6_tcp);
	struct sim_sel dst;
	fuzz_sel(&dst, s, to);
	struct reach_table t = {0};
	reach_to(&t, ctx->ix, &dst, PROTO_TCP, true);
	report_map_text(fuzz_null, s, &t, "to");
	report_map_csv(fuzz_null, s, &t);
	reach_table_free(&t);
	reach_from(&t, ctx->ix, &dst, PROTO_UDP, false);
	report_map_json(fuzz_null, s, &t);
	reach_table_free(&t);
	if (ctx->m->n[MK_LOAD_BALANCER]) {
		reach_forwards(&t, ctx->ix, 0, PROTO_TCP);
		report_map_text(fuzz_null, s, &t, "forwards");
		reach_table_free(&t);
	}
}

/* reach --from F --to T --hops 3 --limit 5, as cli/trace.c asks it. */
static void fuzz_chains(const struct reach_index *ix,
			const struct reach_node *from,
			const struct reach_node *to)
{
	const struct model *m = sim_model(reach_index_sim(ix));
	bool *scope = calloc(m->n[MK_VPC] + 1, sizeof(bool));
	bool scoped = graph_chain_scope(scope, ix, from, to, FUZZ_HOPS);
	struct graph *g = NULL;
	struct graph_chains c = {0};
	if (graph_build(&g, ix, scoped ? scope : NULL))
		goto out;
	uint64_t steps = FUZZ_STEPS;
	if (graph_chains(&c, g, from, to, FUZZ_HOPS, FUZZ_LIMIT, NULL,
			 &steps) == 0) {
		if (c.n > FUZZ_LIMIT)
			abort(); /* the limit is a bound */
		report_chains_text(fuzz_null, g, &c, FUZZ_HOPS);
		report_chains_json(fuzz_null, g, &c, FUZZ_LIMIT);
	}
	graph_chain_shortest(g, from, to, FUZZ_HOPS, NULL);
out:
	graph_chains_free(&c);
	graph_free(g);
	free(scope);
}

/* `vpcsim graph` at every level, all and --from internet, every format. */
static void fuzz_graph(const struct reach_index *ix, const struct model *m,
		       bool svg)
{
	struct graph *g = NULL;
	char err[256];
	if (graph_build(&g, ix, NULL))
		goto out;
	struct reach_node inet = {.kind = RN_INTERNET};
	for (int d = 0; d < GRAPH_DETAILS; d++) {
		struct graph_view *all = NULL, *drawn = NULL;
		uint64_t size = graph_view_size(g, (enum graph_detail)d);
		if (graph_view_new(&all, g, (enum graph_detail)d, NULL,
				   GRAPH_VIEW_MAX_EDGES, err, sizeof(err)) ||
		    graph_view_new(&drawn, g, (enum graph_detail)d, &inet,
				   GRAPH_VIEW_MAX_EDGES, err, sizeof(err)))
			goto next;
		/* Without and with --from internet, the teaching picture
		 * and every flow. */
		for (int k = 0; k < 4; k++) {
			int from = k & 1;
			struct graph_picture pic = {all, from ? drawn : NULL,
						    from ? &inet : NULL,
						    (k >> 1) != 0};
			report_graph_dot(fuzz_null, &pic);
			report_graph_mermaid(fuzz_null, &pic);
			report_graph_graphml(fuzz_null, &pic);
			report_graph_json(fuzz_null, &pic);
			uint64_t boxes = m->n[MK_VPC] + 2ull * m->n[MK_SUBNET];
			if (svg && size + 5 * boxes <= FUZZ_SVG_MAX && !from)
				report_graph_svg(fuzz_null, &pic);
		}
	next:
		graph_view_free(all);
		graph_view_free(drawn);
	}
out:
	graph_free(g);
}

/* sim: the healthy model against a failed clone (model_fail). */
static void fuzz_sim(const struct model *m, const struct policy_set *ps,
		     const char *spec)
{
	struct model *after = model_clone(m);
	struct diag_list d = DIAG_LIST_INIT;
	model_fail(after, spec, &d);
	diag_list_free(&d);
	struct change_report r = {0};
	change_collect(&r.flows, m);
	change_compare(&r, m, after, false);
	change_policies(&r, ps, m, after);
	report_change_text(fuzz_null, &r, "sim", true);
	report_change_json(fuzz_null, &r, spec);
	change_report_free(&r);
	model_free(after);
}

/* diff: old m, new a clone with spec's change, as cli/whatif.c does. */
static void fuzz_diff(const struct model *m, const struct policy_set *ps,
		      const char *spec)
{
	struct model *new = model_clone(m);
	struct diag_list d = DIAG_LIST_INIT;
	model_fail(new, spec, &d);
	diag_list_free(&d);
	struct change_report r = {0};
	struct finding_list fn = {0};
	change_collect(&r.flows, m);
	change_collect(&r.flows, new);
	change_compare(&r, m, new, true);
	change_policies(&r, ps, m, new);
	rules_run(&fn, new, NULL);
	change_findings(&fn, new, &r);
	findings_sort(&fn);
	struct report_model rm = {"new.yaml", (const char *const[]){"new.yaml"},
				  1, &fn};
	struct report_run run = {.models = &rm, .n_models = 1};
	struct report_diff rd = {"old.yaml", "new.yaml", &r, &run};
	report_diff_text(fuzz_null, &rd);
	report_diff_json(fuzz_null, &rd);
	report_diff_markdown(fuzz_null, &rd);
	findings_free(&fn);
	change_report_free(&r);
	model_free(new);
}

/* check: every rule and the model's policies, reported every way. */
static void fuzz_check(struct rule_ctx *ctx, struct finding_list *fl,
		       const struct policy_set *ps)
{
	rules_run_ctx(ctx, NULL);
	if (ps)
		policy_run(fl, ps, ctx);
	findings_suppress(fl, ctx->m);
	findings_sort(fl);
	uint32_t n_rules = 0;
	const struct rule_def *rules = rules_builtin(&n_rules);
	struct report_model rm = {"fuzz.yaml",
				  (const char *const[]){"fuzz.yaml"}, 1, fl};
	struct report_run run = {.models = &rm,
				 .n_models = 1,
				 .rules = rules,
				 .n_rules = n_rules,
				 .fail_on = FAIL_ON_WARNING};
	report_run_text(fuzz_null, &run);
	report_run_json(fuzz_null, &run);
	report_run_sarif(fuzz_null, &run);
	report_run_junit(fuzz_null, &run);
	report_findings_baseline(fuzz_null, fl);
}

/* Every command over one loaded model. */
static void fuzz_pipeline(struct model *m, struct ykit_section *own, uint32_t h)
{
	struct diag_list diags = DIAG_LIST_INIT;
	struct policy_set *ps = NULL;
	if (own)
		policy_load_section(&ps, own, m, &diags);
	if (diags.n_errors) {
		policy_set_free(ps);
		ps = NULL;
	}
	diag_list_free(&diags);

	report_show_text(fuzz_null, m);
	report_show_json(fuzz_null, m);

	struct finding_list fl = {0};
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, m, &fl);
	fuzz_check(&ctx, &fl, ps);

	/* One of each question per input, the input's bits choosing which:
	 * every run of the fuzzer is cheaper, and the corpus covers them
	 * all. */
	struct reach_node inet = {.kind = RN_INTERNET}, a, b;
	if (fuzz_resource(m, h, &a) == 0 && fuzz_resource(m, h >> 8, &b) == 0) {
		const struct reach_node *from = (h & 2) ? &b : &inet;
		fuzz_maps(&ctx, &a);
		fuzz_trace(ctx.s, from, &a);
		fuzz_chains(ctx.ix, from, &a);
	}
	fuzz_graph(ctx.ix, m, fuzz_svg == 2 || (fuzz_svg && (h & 0x1c) == 0));

	char spec[512];
	if ((h & 1) && m->n[MK_SUBNET] && m->subnets[h % m->n[MK_SUBNET]].az) {
		snprintf(spec, sizeof(spec), "az:%s",
			 m->subnets[h % m->n[MK_SUBNET]].az);
		fuzz_sim(m, ps, spec);
	} else if (fuzz_resource(m, h >> 16, &a) == 0)
		fuzz_sim(m, ps, model_object(m, a.rkind, a.rindex)->id);
	if ((h & 0x20) && m->n[MK_SECURITY_GROUP]) {
		const struct model_security_group *g =
		    &m->groups[h % m->n[MK_SECURITY_GROUP]];
		snprintf(spec, sizeof(spec), "sg:%s:%s:%u", g->obj.id,
			 (h & 0x40) ? "egress" : "ingress", (h >> 7) % 3);
		fuzz_diff(m, ps, spec);
	} else if (fuzz_resource(m, h >> 4, &a) == 0)
		fuzz_diff(m, ps, model_object(m, a.rkind, a.rindex)->id);

	rule_ctx_free(&ctx);
	findings_free(&fl);
	policy_set_free(ps);
}

static void fuzz_engine_one(const char *name, const uint8_t *data, size_t size)
{
	if (!fuzz_null) {
		fuzz_null = fopen("/dev/null", "w");
		if (!fuzz_null)
			abort();
		graph_igraph_init();
		const char *svg = getenv("VPCSIM_FUZZ_SVG");
		fuzz_svg = !svg ? 0 : strcmp(svg, "all") ? 1 : 2;
	}
	/* An exact-size copy, so reading past the end is an ASan report. */
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	struct model_input in = {name, buf, size};
	struct diag_list diags = DIAG_LIST_INIT;
	struct model *m = NULL;
	struct ykit_section *own = NULL;
	int rc = model_load_inputs_section(&m, &own, &in, 1, NULL, 0, &diags);
	if ((rc == 0) != (m != NULL) || (rc == 0) != (diags.n_errors == 0))
		abort();
	diag_list_free(&diags);
	if (m && m->n_objects <= FUZZ_MAX_OBJECTS)
		fuzz_pipeline(m, own, fuzz_hash(data, size));
	ykit_section_free(own);
	model_free(m);
	free(buf);
}

#endif

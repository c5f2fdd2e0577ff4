/*
 * `vpcsim trace` and `vpcsim reach`: one question, src -> dst, for a flow
 * or for every port the destination serves.  reach also asks it of every
 * model of its operands (a directory, many files): the report has a part
 * per model (a header in text; in JSON {"models": [{"name", "files",
 * "report"}]} where report is what one model gives), and a model where
 * a selector names nothing is skipped with a note.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/json.h"
#include "report/report.h"
#include "sim/graph.h"
#include "sim/reach.h"
#include "sim/sim.h"

#define MAX_PORTS 64

/* --format's words; trace takes those before TRACE_CSV. */
enum trace_format { TRACE_TEXT, TRACE_JSON, TRACE_CSV };
/* --proto's words (protos[] in parse_args is in this order). */
enum proto_arg {
	PROTO_ARG_NONE = -1,
	PROTO_ARG_TCP,
	PROTO_ARG_UDP,
	PROTO_ARG_ICMP,
	PROTO_ARG_ALL
};
/* The engine's protocol of each --proto word. */
static const enum proto proto_of_arg[] = {
    [PROTO_ARG_TCP] = PROTO_TCP,
    [PROTO_ARG_UDP] = PROTO_UDP,
    [PROTO_ARG_ICMP] = PROTO_ICMP,
    [PROTO_ARG_ALL] = PROTO_ALL,
};

struct args {
	const struct cli *c;
	const char *const *models;
	size_t n_models;
	/* The model asked, the report's destination (open), and with
	 * several models (multi) which one this is and how many were
	 * written. */
	struct model *m;
	struct cli_out *out;
	const struct cli_model *model;
	bool multi;
	size_t written;
	const char *from, *to;
	enum proto_arg proto;
	long port; /* -1: not given */
	enum trace_format format;
	long hops;    /* -1: not given */
	long limit;   /* -1: not given */
	bool explain; /* --explain: a sentence on each term of art */
};

/* The options of trace and reach (reach alone takes --hops, --limit). */
enum {
	OPT_FROM = 1,
	OPT_TO,
	OPT_PROTO,
	OPT_PORT,
	OPT_EXPLAIN,
	OPT_HOPS,
	OPT_LIMIT
};

/* --proto's words, in enum proto_arg's order. */
static const char *const protos[] = {[PROTO_ARG_TCP] = "tcp",
				     [PROTO_ARG_UDP] = "udp",
				     [PROTO_ARG_ICMP] = "icmp",
				     [PROTO_ARG_ALL] = "all",
				     NULL};

/* trace's options; reach takes them too, and --hops. */
static const struct cli_opt path_opts[] = {
    {.id = OPT_FROM,
     .name = "from",
     .value = CLI_TEXT,
     .metavar = "SEL",
     .help = "the source: internet, an address, a resource id or ID@SUBNET"},
    {.id = OPT_TO,
     .name = "to",
     .value = CLI_TEXT,
     .metavar = "SEL",
     .help = "the destination: internet, an address, a resource id, "
	     "ID@SUBNET, aws:ecr, aws:s3 or aws:logs"},
    {.id = OPT_PROTO,
     .name = "proto",
     .value = CLI_WORD,
     .metavar = "PROTO",
     .words = protos,
     .help = "the protocol: {} (without it: tcp for --port, else the "
	     "destination's service ports)"},
    {.id = OPT_PORT,
     .name = "port",
     .value = CLI_TEXT,
     .metavar = "N",
     .help = "the destination port, 0-65535 (without it: every port the "
	     "destination serves)"},
    {.id = OPT_EXPLAIN,
     .name = "explain",
     .value = CLI_FLAG,
     .help = "add one sentence on each term of art (docs/glossary.md) where "
	     "it first appears in the text"},
    {0},
};

#define NUM_TEXT_(x) #x
#define NUM_TEXT(x)  NUM_TEXT_(x) /* a number macro as a string */

static const struct cli_opt reach_opts[] = {
    {.id = OPT_HOPS,
     .name = "hops",
     .value = CLI_TEXT,
     .metavar = "N",
     .help = "chains of at most N hops (1-" NUM_TEXT(
	 GRAPH_MAX_HOPS) ") from --from to --to through the resources in "
			 "between, shortest first"},
    {.id = OPT_LIMIT,
     .name = "limit",
     .value = CLI_TEXT,
     .metavar = "N",
     .def = NUM_TEXT(GRAPH_CHAINS_LIMIT),
     .help = "list at most N chains (1-" NUM_TEXT(
	 GRAPH_CHAINS_MAX_LIMIT) "), and count the others"},
    {0},
};

static int parse_args(struct args *a, struct cli *c, const char *cmd)
{
	bool is_reach = !strcmp(cmd, "reach");
	memset(a, 0, sizeof(*a));
	a->c = c;
	a->models = c->operands;
	a->n_models = c->n_operands;
	a->format = (enum trace_format)c->format;
	a->proto = PROTO_ARG_NONE;
	a->port = -1;
	a->hops = -1;
	a->limit = -1;
	for (size_t i = 0; i < c->n_args; i++) {
		const char *val = c->args[i].val;
		char *end;
		switch (c->args[i].opt->id) {
		case OPT_FROM:
			a->from = val;
			break;
		case OPT_TO:
			a->to = val;
			break;
		case OPT_PROTO:
			a->proto = (enum proto_arg)c->args[i].word;
			break;
		case OPT_PORT:
			a->port = strtol(val, &end, 10);
			if (!*val || *end || a->port < 0 || a->port > 65535)
				return cli_usage_error(
				    "%s: --port must be a number 0-65535, not "
				    "'%s'",
				    cmd, val);
			break;
		case OPT_EXPLAIN:
			a->explain = true;
			break;
		case OPT_HOPS:
			a->hops = strtol(val, &end, 10);
			if (!*val || *end || a->hops < 1 ||
			    a->hops > GRAPH_MAX_HOPS)
				return cli_usage_error("%s: --hops must be a "
						       "number 1-%d, not '%s'",
						       cmd, GRAPH_MAX_HOPS,
						       val);
			break;
		case OPT_LIMIT:
			a->limit = strtol(val, &end, 10);
			if (!*val || *end || a->limit < 1 ||
			    a->limit > GRAPH_CHAINS_MAX_LIMIT)
				return cli_usage_error(
				    "%s: --limit must be a number 1-%d, not "
				    "'%s'",
				    cmd, GRAPH_CHAINS_MAX_LIMIT, val);
			break;
		}
	}
	if (is_reach && a->n_models && (a->from || a->to) &&
	    (!a->from || !a->to || a->hops > 0))
		return 0; /* estate-wide or chains: checked by the caller */
	if (!a->n_models || !a->from || !a->to)
		return cli_usage_error("usage: vpcsim %s [OPTIONS] MODEL... "
				       "--from SEL --to SEL; see 'vpcsim %s "
				       "--help'",
				       cmd, cmd);
	return 0;
}

static int run_map(struct args *a);
static int run_chains(struct args *a);

/* The service ports of dst that --proto keeps, and a note naming them;
 * -1 after an error when there are none. */
static int service_flows(struct sim_flow *flows, uint32_t *nf, char *note,
			 size_t size, const struct sim *s, const struct args *a,
			 const struct sim_sel *dst, const char *cmd)
{
	uint32_t nd;
	struct sim_ep *eps = sim_sel_endpoints(s, dst, &nd);
	if (nd)
		sim_service_ports(s, &eps[0], flows, MAX_PORTS, nf);
	free(eps);
	if (a->proto != PROTO_ARG_NONE) {
		uint32_t k = 0;
		for (uint32_t i = 0; i < *nf; i++)
			if (flows[i].proto == proto_of_arg[a->proto])
				flows[k++] = flows[i];
		*nf = k;
	}
	if (!*nf) {
		cli_usage_error("%s: %s serves no port the model knows of; "
				"give --port",
				cmd, dst->name);
		return -1;
	}
	size_t off =
	    (size_t)snprintf(note, size, "the service ports of %s:", dst->name);
	for (uint32_t i = 0; i < *nf && off < size; i++)
		off += (size_t)snprintf(
		    note + off, size - off, "%s %s %u", i ? "," : "",
		    proto_name(flows[i].proto), flows[i].port);
	return 0;
}

/* The flows to ask about: all traffic, the one --port, an icmp echo, or
 * the service ports of dst; note says which when it is not the one
 * asked for.  -1 after an error. */
static int ask_flows(struct sim_flow *flows, uint32_t *nf, char *note,
		     size_t size, const struct sim *s, const struct args *a,
		     const struct sim_sel *dst, const char *cmd)
{
	if (a->proto == PROTO_ARG_ALL) {
		flows[(*nf)++] = (struct sim_flow){PROTO_ALL, 0};
	} else if (a->port >= 0) {
		flows[(*nf)++] = (struct sim_flow){a->proto != PROTO_ARG_NONE
						       ? proto_of_arg[a->proto]
						       : PROTO_TCP,
						   (uint16_t)a->port};
	} else if (a->proto == PROTO_ARG_ICMP) {
		flows[(*nf)++] = (struct sim_flow){PROTO_ICMP, 8};
		snprintf(note, size, "icmp echo request (type 8)");
	} else {
		return service_flows(flows, nf, note, size, s, a, dst, cmd);
	}
	return 0;
}

/* Starts a model's part of the report: with several models, a header
 * (text) or the opening of its entry (JSON). */
static void begin_model(struct args *a)
{
	if (!a->multi)
		return;
	FILE *f = a->out->f;
	const struct cli_model *x = a->model;
	if (a->format == TRACE_JSON) {
		fprintf(f, "%s    {\"name\": ", a->written ? ",\n" : "");
		struct json j;
		json_init(&j, f, false);
		json_string(&j, x->name);
		fputs(", \"files\": ", f);
		json_init(&j, f, false);
		json_begin_array(&j);
		for (size_t i = 0; i < x->n_files; i++)
			json_string(&j, x->files[i]);
		json_end_array(&j);
		fputs(", \"report\":\n", f);
	} else {
		fprintf(f, "%s== %s", a->written ? "\n" : "", x->name);
		for (size_t i = 1; i < x->n_files; i++)
			fprintf(f, ", %s", x->files[i]);
		fputs(" ==\n", f);
	}
	a->written++;
}

static void end_model(const struct args *a)
{
	if (a->multi && a->format == TRACE_JSON)
		fputs("    }", a->out->f);
}

/* A selector of the question: in one model an error; with several, a
 * model that lacks it is skipped (SKIP) with a note. */
#define SKIP 3
static int parse_sel(struct sim_sel *out, const struct sim *s, const char *text,
		     const struct args *a)
{
	char err[512];
	if (!sim_sel_parse(out, s, text, err, sizeof(err)))
		return 0;
	if (a->multi) {
		if (!a->c->quiet)
			fprintf(stderr, "%s: note: skipped: %s\n",
				a->model->name, err);
		return SKIP;
	}
	cli_usage_error("%s", err);
	return EXIT_INPUT;
}

/* One question over a->m, into a->out. */
static int answer(struct args *a, bool is_trace)
{
	const char *cmd = is_trace ? "trace" : "reach";
	const struct cli *c = a->c;
	struct model *m = a->m;
	struct sim *s = NULL;
	struct sim_answer answers[MAX_PORTS];
	uint32_t n = 0;
	char note[512] = "";
	struct sim_sel src, dst;
	int rc = EXIT_INPUT;
	sim_new(&s, m);
	if ((rc = parse_sel(&src, s, a->from, a)) ||
	    (rc = parse_sel(&dst, s, a->to, a)))
		goto out;
	rc = EXIT_INPUT;
	if (src.kind == SEL_SERVICE ||
	    ((src.kind == SEL_INTERNET) &&
	     (dst.kind == SEL_INTERNET || dst.kind == SEL_SERVICE))) {
		cli_usage_error("%s: connections must start or end in a VPC, "
				"and AWS services are destinations only",
				cmd);
		goto out;
	}
	struct sim_flow flows[MAX_PORTS];
	uint32_t nf = 0;
	if (ask_flows(flows, &nf, note, sizeof(note), s, a, &dst, cmd))
		goto out;
	cli_progress(c, "tracing");
	for (uint32_t i = 0; i < nf; i++)
		sim_answer(&answers[n++], s, &src, &dst, flows[i], true);
	cli_progress_end();
	begin_model(a);
	FILE *f = a->out->f;
	if (is_trace && a->format == TRACE_JSON)
		report_trace_json(f, s, &src, &dst, answers, n);
	else if (is_trace) {
		if (*note)
			fprintf(f, "ports asked: %s\n\n", note);
		report_trace_text(f, s, &src, &dst, answers, n, a->explain);
	} else if (a->format == TRACE_JSON)
		report_reach_json(f, s, &src, &dst, answers, n,
				  *note ? note : NULL);
	else
		report_reach_text(f, s, &src, &dst, answers, n,
				  *note ? note : NULL, a->explain);
	end_model(a);
	rc = 0;
out:
	for (uint32_t i = 0; i < n; i++)
		sim_answer_free(&answers[i]);
	sim_free(s);
	return rc;
}

static int run(struct cli *c, bool is_trace)
{
	const char *cmd = is_trace ? "trace" : "reach";
	struct args a;
	int rc = parse_args(&a, c, cmd);
	if (rc)
		return rc;
	bool chains = !is_trace && a.hops > 0;
	bool map = !is_trace && !chains && (!a.from || !a.to);
	if (chains && (!a.from || !a.to))
		return cli_usage_error("reach: --hops needs --from and --to");
	if (chains && a.format == TRACE_CSV)
		return cli_usage_error("reach: chains are text or json");
	if (!chains && !map && a.format == TRACE_CSV)
		return cli_usage_error("reach: --format csv is for estate-wide "
				       "tables (only --from or only --to)");
	/* trace asks one model; reach every model of its operands. */
	struct cli_models ms = {0};
	if ((rc = cli_models_load(&ms, c, a.models, a.n_models, false)))
		goto done;
	rc = EXIT_INPUT;
	if (ms.n > 1 && (is_trace || a.format == TRACE_CSV)) {
		cli_usage_error("%s: %s takes one model; these files make %zu "
				"(%s, ...)",
				cmd, is_trace ? "trace" : "--format csv", ms.n,
				ms.v[0].name);
		goto done;
	}
	struct cli_out o;
	if (cli_out_open(&o, c, a.format == TRACE_TEXT))
		goto done;
	a.out = &o;
	a.multi = ms.n > 1;
	if (a.multi && a.format == TRACE_JSON)
		fputs("{\n  \"models\": [\n", o.f);
	rc = 0;
	for (size_t k = 0; k < ms.n && rc != EXIT_INPUT; k++) {
		a.m = ms.v[k].m;
		a.model = &ms.v[k];
		int r = chains ? run_chains(&a)
			: map  ? run_map(&a)
			       : answer(&a, is_trace);
		if (r != SKIP)
			rc = r;
	}
	if (!rc && a.multi && !a.written)
		rc = cli_usage_error("%s: no model holds what --from and --to "
				     "name",
				     cmd);
	if (a.multi && a.format == TRACE_JSON)
		fputs("\n  ]\n}\n", o.f);
	if (rc)
		cli_out_abort(&o);
	else
		rc = cli_out_close(&o);
done:
	cli_models_free(&ms);
	return rc;
}

static int run_trace(struct cli *c)
{
	return run(c, true);
}

static int run_reach(struct cli *c)
{
	return run(c, false);
}

/* `reach MODEL --from SEL` or `--to SEL`: every destination or source,
 * over tcp and udp unless --proto says one. */
static int run_map(struct args *a)
{
	struct model *m = a->m;
	struct sim *s = NULL;
	struct reach_index *ix = NULL;
	struct reach_table all = {0};
	struct sim_sel sel;
	int rc = EXIT_INPUT;
	sim_new(&s, m);
	if ((rc = parse_sel(&sel, s, a->from ? a->from : a->to, a)))
		goto out;
	rc = EXIT_INPUT;
	if (a->from && sel.kind == SEL_SERVICE) {
		cli_usage_error("reach: AWS services are destinations only");
		goto out;
	}
	if (a->port >= 0 || a->proto == PROTO_ARG_ICMP ||
	    a->proto == PROTO_ARG_ALL) {
		cli_usage_error("reach: estate-wide tables take --proto tcp or "
				"udp and report every port; --port is for one "
				"question (--from and --to)");
		goto out;
	}
	cli_progress(a->c, "grouping what the network treats alike");
	reach_index_new(&ix, s);
	cli_progress(a->c, "computing what reaches what");
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	/* The internet's exposure map says what the IPv6 internet reaches
	 * as well, in rows of its own ("internet6", §2), when the model has
	 * an IPv6 address the internet may reach. */
	bool with6 = false;
	for (uint32_t i = 0; i < m->n_placements_total; i++)
		with6 |=
		    m->placements[i].has_ipv6 && m->placements[i].ipv6_public;
	with6 &= a->from && sel.kind == SEL_INTERNET && !sel.v6 &&
		 sel.addr == SIM_INTERNET_ADDR;
	for (size_t q = 0; q < 2 * ARRAY_LEN(protos); q++) {
		size_t p = q % ARRAY_LEN(protos);
		if (q >= ARRAY_LEN(protos) && !with6)
			break;
		if (a->proto != PROTO_ARG_NONE &&
		    proto_of_arg[a->proto] != protos[p])
			continue;
		struct sim_sel sel6 = sel;
		if (q >= ARRAY_LEN(protos)) {
			sel6.v6 = true;
			memcpy(sel6.addr6, sim_internet6, 16);
		}
		struct reach_table t;
		if (a->from)
			reach_from(&t, ix, &sel6, protos[p], false);
		else
			reach_to(&t, ix, &sel, protos[p], false);
		/* Append t's rows; they are moved, not copied. */
		for (uint32_t i = 0; i < t.n; i++) {
			if (all.n == all.cap) {
				all.cap = all.cap ? 2 * all.cap : 64;
				all.rows = xreallocarray(all.rows, all.cap,
							 sizeof(*all.rows));
			}
			all.rows[all.n++] = t.rows[i];
		}
		free(t.rows);
	}
	char title[256];
	if (a->from)
		snprintf(title, sizeof(title), "what %s reaches:", a->from);
	else
		snprintf(title, sizeof(title), "what reaches %s:", a->to);
	all.from_internet = a->from && sel.kind == SEL_INTERNET;
	cli_progress_end();
	begin_model(a);
	if (a->format == TRACE_JSON)
		report_map_json(a->out->f, s, &all);
	else if (a->format == TRACE_CSV)
		report_map_csv(a->out->f, s, &all);
	else
		report_map_text(a->out->f, s, &all, title);
	end_model(a);
	rc = 0;
out:
	reach_table_free(&all);
	reach_index_free(ix);
	sim_free(s);
	return rc;
}

/* The graph node of a chain's end. */
static struct reach_node sel_node(const struct sim_sel *sel)
{
	if (sel->kind == SEL_INTERNET)
		return (struct reach_node){.kind = RN_INTERNET};
	if (sel->kind == SEL_SERVICE)
		return (struct reach_node){.kind = RN_SERVICE,
					   .service = sel->service};
	return (struct reach_node){
	    .kind = RN_RESOURCE, .rkind = sel->rkind, .rindex = sel->rindex};
}

/*
 * `reach MODEL --from SEL --to SEL --hops N [--limit N]`: chains over the
 * graph of the VPCs a chain can pass through, at most --limit listed, the
 * others counted (sim/graph.h).
 */
static int run_chains(struct args *a)
{
	struct model *m = a->m;
	struct sim *s = NULL;
	struct reach_index *ix = NULL;
	struct graph *g = NULL;
	struct graph_chains chains = {0};
	struct sim_sel from, to;
	bool *scope = NULL;
	uint32_t limit = a->limit > 0 ? (uint32_t)a->limit : GRAPH_CHAINS_LIMIT;
	int rc = EXIT_INPUT;
	sim_new(&s, m);
	if ((rc = parse_sel(&from, s, a->from, a)) ||
	    (rc = parse_sel(&to, s, a->to, a)))
		goto out;
	rc = EXIT_INPUT;
	if ((from.kind != SEL_INTERNET && from.kind != SEL_RESOURCE) ||
	    (to.kind != SEL_RESOURCE && to.kind != SEL_SERVICE &&
	     to.kind != SEL_INTERNET)) {
		cli_usage_error("reach: chains go between the internet, "
				"resources and AWS services, not placements or "
				"addresses");
		goto out;
	}
	cli_progress(a->c, "grouping what the network treats alike");
	reach_index_new(&ix, s);
	struct reach_node fn = sel_node(&from), tn = sel_node(&to);
	scope = xcalloc(m->n[MK_VPC] + 1, sizeof(bool));
	bool scoped = graph_chain_scope(scope, ix, &fn, &tn, (uint32_t)a->hops);
	cli_progress(a->c, "building the graph");
	if (graph_build(&g, ix, scoped ? scope : NULL)) {
		cli_usage_error("reach: building the graph failed: %s",
				g ? g->error : "out of memory");
		goto out;
	}
	uint64_t steps = GRAPH_CHAIN_STEPS;
	cli_progress(a->c, "finding chains");
	/* An end with no placement is not in the graph. */
	if (graph_chains(&chains, g, &fn, &tn, (uint32_t)a->hops, limit, NULL,
			 &steps)) {
		cli_usage_error("reach: path search failed");
		goto out;
	}
	cli_progress_end();
	begin_model(a);
	if (a->format == TRACE_JSON)
		report_chains_json(a->out->f, g, &chains, limit);
	else
		report_chains_text(a->out->f, g, &chains, (uint32_t)a->hops);
	end_model(a);
	rc = 0;
out:
	free(scope);
	graph_chains_free(&chains);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	return rc;
}

const struct cli_cmd cli_cmd_trace = {
    .name = "trace",
    .synopsis = "MODEL... --from SEL --to SEL",
    .summary = "explain, step by step, whether a connection works",
    .description =
	"Follows one connection from --from to --to through routes, gateways, "
	"security groups, network ACLs, NAT, load balancers and endpoints, "
	"for every pair of placements (a resource in each of its subnets), and "
	"explains each step: the route or rule that lets it through or the "
	"one that blocks it. A step that blocks says why, and the smallest "
	"change to the model that makes it pass, with the lines to paste "
	"(docs/glossary.md says how to read a trace). Without --port the "
	"destination's service ports are asked, each traced. The JSON is "
	"described in docs/reach-json.md.",
    .formats = (const char *const[]){"text", "json", NULL},
    .shared = path_opts,
    .models = true,
    .examples =
	(const char *const[]){"vpcsim trace scenarios/three-tier.yaml --from "
			      "internet --to alb --port 443",
			      "vpcsim trace scenarios/db-public-open.yaml "
			      "--from internet --to db -f json",
			      NULL},
    .run = run_trace,
};

const struct cli_cmd cli_cmd_reach = {
    .name = "reach",
    .synopsis = "MODEL... --from SEL --to SEL\n"
		"MODEL... (--from SEL | --to SEL)\n"
		"MODEL... --from SEL --to SEL --hops N [--limit N]",
    .summary = "the verdict over every placement pair, or what reaches what",
    .description =
	"With --from and --to: the verdict (all, some or none) over every "
	"placement pair, port by port, and for a load balancer the forward "
	"to its targets beside it.\n\n"
	"With only --from (or only --to): everything the source reaches (or "
	"everything that reaches the destination), with exact port sets, "
	"over tcp and udp unless --proto says one; --from internet is the "
	"exposure map. --format csv is for these tables.\n\n"
	"With --hops N: the chains from --from to --to through the "
	"resources in between (internet -> alb -> web -> db), shortest "
	"first, at most --limit of them listed and the others counted.\n\n"
	"MODEL may be a directory or many files: the question is asked of "
	"every model, each answer under a header (JSON: {\"models\": [...]}); "
	"a model where a selector names nothing is skipped with a note. The "
	"JSON is described in docs/reach-json.md.",
    .formats = (const char *const[]){"text", "json", "csv", NULL},
    .shared = path_opts,
    .opts = reach_opts,
    .models = true,
    .examples =
	(const char *const[]){"vpcsim reach scenarios/db-public-open.yaml "
			      "--from internet",
			      "vpcsim reach scenarios/three-tier.yaml --from "
			      "internet --to db --hops 3",
			      "vpcsim reach scenarios/three-tier.yaml --to db "
			      "-f csv -o to-db.csv",
			      NULL},
    .run = run_reach,
};

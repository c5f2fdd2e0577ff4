/*
 * Graph and chain timings (issues 15 and 18): for a generated estate file,
 *   bench_graph FILE [FROM TO]
 * prints the graph of twin groups (its build: class pairs evaluated once),
 * the size of the picture at each level of detail and the level `vpcsim
 * graph` picks, that view made, and one chain question (default the
 * internet to v0-i500, at most 3 hops, the first GRAPH_CHAINS_LIMIT listed
 * and the rest counted) on the graph of the VPCs it may pass through,
 * with the peak resident memory.  Each step runs once, as a user's
 * invocation would; docs/benchmarks.md has the method and the numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "load/load.h"
#include "model/model.h"
#include "sim/graph.h"
#include "sim/reach.h"

/* The clock of every step: wall-clock time, or with BENCH_CLOCK=cpu the
 * process's CPU time, which other work on a shared machine disturbs
 * less (the steps run on one thread). */
static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void)
{
	struct timespec ts;
	clock_gettime(clock_id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_mib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* A selector's graph node, or exits. */
static struct reach_node node_of(const struct sim *s, const char *text)
{
	struct sim_sel sel;
	char err[256];
	if (sim_sel_parse(&sel, s, text, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	if (sel.kind == SEL_INTERNET)
		return (struct reach_node){.kind = RN_INTERNET};
	if (sel.kind == SEL_SERVICE)
		return (struct reach_node){.kind = RN_SERVICE,
					   .service = sel.service};
	return (struct reach_node){
	    .kind = RN_RESOURCE, .rkind = sel.rkind, .rindex = sel.rindex};
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: bench_graph FILE [FROM TO]\n");
		return 2;
	}
	const char *path = argv[1];
	const char *ck = getenv("BENCH_CLOCK");
	if (ck && !strcmp(ck, "cpu"))
		clock_id = CLOCK_PROCESS_CPUTIME_ID;
	const char *from_text = argc > 2 ? argv[2] : "internet";
	const char *to_text = argc > 2 ? argv[3] : "v0-i500";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	double t0 = now();
	if (model_load_file(&m, path, &d)) {
		diag_print(stderr, &d);
		return 2;
	}
	diag_list_free(&d);
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	double t_load = now() - t0;

	struct graph *g;
	t0 = now();
	if (graph_build(&g, ix, NULL)) {
		fprintf(stderr, "graph: %s\n", g->error);
		return 2;
	}
	double t_graph = now() - t0;

	uint64_t size[GRAPH_DETAILS];
	int pick = GRAPH_VPCS;
	t0 = now();
	for (int k = 0; k < GRAPH_DETAILS; k++) {
		size[k] = graph_view_size(g, (enum graph_detail)k);
		if (pick == GRAPH_VPCS && k < GRAPH_VPCS &&
		    size[k] <= GRAPH_AUTO_SIZE)
			pick = k;
	}
	double t_sizes = now() - t0;
	struct graph_view *v;
	char err[256];
	t0 = now();
	if (graph_view_new(&v, g, (enum graph_detail)pick, NULL,
			   GRAPH_VIEW_MAX_EDGES, err, sizeof(err))) {
		fprintf(stderr, "view: %s\n", err);
		return 2;
	}
	double t_view = now() - t0;

	struct reach_node a = node_of(s, from_text), b = node_of(s, to_text);
	bool *scope = calloc(m->n[MK_VPC] + 1, sizeof(bool));
	struct graph *sg;
	struct graph_chains c;
	uint64_t steps = GRAPH_CHAIN_STEPS;
	t0 = now();
	bool scoped = graph_chain_scope(scope, ix, &a, &b, 3);
	if (graph_build(&sg, ix, scoped ? scope : NULL) ||
	    graph_chains(&c, sg, &a, &b, 3, GRAPH_CHAINS_LIMIT, NULL, &steps)) {
		fprintf(stderr, "chains failed\n");
		return 2;
	}
	double t_chain = now() - t0;
	uint32_t vpcs_in = 0;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++)
		vpcs_in += scope[i];

	printf("file                 %s (%s time)\n", path,
	       clock_id == CLOCK_MONOTONIC ? "wall-clock" : "CPU");
	printf("endpoints            %u placements, %u classes\n",
	       m->n_placements_total, reach_index_classes(ix));
	printf("load + class index   %8.3f s\n", t_load);
	printf("graph of groups      %8.3f s  (%u groups of %u resources, "
	       "%u edges)\n",
	       t_graph, g->n_nodes, g->n_members, g->n_edges);
	printf("picture sizes        %8.3f s  (nodes and flows drawn:",
	       t_sizes);
	for (int k = 0; k < GRAPH_DETAILS; k++)
		printf(" %s %llu", graph_details[k].name,
		       (unsigned long long)size[k]);
	printf(")\n");
	printf("view at %-12s %8.3f s  (%u nodes, %u edges)\n",
	       graph_details[pick].name, t_view, v->n_nodes, v->n_edges);
	printf("chains, 3 hops       %8.3f s  (%s -> %s: %u listed, %s%llu "
	       "more, shortest %u; %u of %u VPCs)\n",
	       t_chain, from_text, to_text, c.n,
	       c.more_exact ? "" : ">= ", (unsigned long long)c.more,
	       c.shortest, vpcs_in, m->n[MK_VPC]);
	printf("peak memory          %8ld MiB\n", peak_mib());
	graph_chains_free(&c);
	graph_free(sg);
	free(scope);
	graph_view_free(v);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return 0;
}

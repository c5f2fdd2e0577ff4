/*
 * Where `vpcsim check` spends its time, rule by rule:
 *   bench_rules FILE
 * loads the model, builds the rules' shared context (engine, classes,
 * exposure tables), then runs each built-in rule alone on that context
 * and prints its time and how many findings it made, slowest first
 * reading is left to the reader (the order is the rules' id order, as
 * check runs them).  Each step runs once; its wall-clock time
 * (CLOCK_MONOTONIC) and the process's CPU time
 * (CLOCK_PROCESS_CPUTIME_ID), which other work on a shared machine
 * disturbs less, are both printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_rules FILE\n");
		return 2;
	}
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	double t0 = now(), c0 = cpu();
	if (model_load_file(&m, argv[1], &d)) {
		diag_print(stderr, &d);
		return 2;
	}
	double t_load = now() - t0, c_load = cpu() - c0;
	diag_list_free(&d);

	struct finding_list out = {0};
	struct rule_ctx ctx;
	t0 = now();
	c0 = cpu();
	rule_ctx_init(&ctx, m, &out);
	double t_ctx = now() - t0, c_ctx = cpu() - c0;
	printf("file                 %s (%u placements)\n", argv[1],
	       m->n_placements_total);
	printf("load                        %8.3f s  cpu %8.3f s\n", t_load,
	       c_load);
	printf("context                     %8.3f s  cpu %8.3f s  (engine, "
	       "classes, exposure)\n",
	       t_ctx, c_ctx);
	uint32_t n;
	const struct rule_def *defs = rules_builtin(&n);
	double total = 0, ctotal = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *only[] = {defs[i].id};
		struct rule_options opt = {.only = only, .n_only = 1};
		uint32_t before = out.n;
		t0 = now();
		c0 = cpu();
		rules_run_ctx(&ctx, &opt);
		double t = now() - t0, c = cpu() - c0;
		total += t;
		ctotal += c;
		printf("%-6s %-20.20s %8.3f s  cpu %8.3f s  %u findings\n",
		       defs[i].id, defs[i].name, t, c, out.n - before);
	}
	printf("rules                       %8.3f s  cpu %8.3f s  (%u "
	       "findings)\n",
	       total, ctotal, out.n);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory                 %8ld MiB\n", ru.ru_maxrss / 1024);
	rule_ctx_free(&ctx);
	findings_free(&out);
	model_free(m);
	return 0;
}

/*
 * Times loading a model and tracing one connection on it, the two costs a
 * user of `vpcsim trace` pays.  Each measurement repeats the operation
 * until at least 0.2 s have passed and reports the mean; run it on an idle
 * machine (docs/benchmarks.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/load.h"
#include "model/model.h"
#include "sim/sim.h"

/* Wall-clock time, or with BENCH_CLOCK=cpu the process's CPU time, which
 * other work on a shared machine disturbs less. */
static clockid_t clock_id = CLOCK_MONOTONIC;

static double now(void)
{
	struct timespec ts;
	clock_gettime(clock_id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load(struct model **m, const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	int rc = model_load_file(m, path, &d);
	if (rc) {
		diag_print(stderr, &d);
	}
	diag_list_free(&d);
	return rc;
}

struct question {
	const char *from, *to;
	struct sim_flow flow;
};

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "scenarios/three-tier.yaml";
	const char *ck = getenv("BENCH_CLOCK");
	if (ck && !strcmp(ck, "cpu"))
		clock_id = CLOCK_PROCESS_CPUTIME_ID;
	struct model *m;
	if (load(&m, path))
		return 2;

	double t0 = now(), t;
	long n = 0;
	do {
		struct model *x;
		if (load(&x, path))
			return 2;
		model_free(x);
		n++;
	} while ((t = now()) - t0 < 0.2);
	printf("%-44s %10.1f us  (%ld runs)\n", "load", (t - t0) / n * 1e6, n);

	struct sim *s;
	sim_new(&s, m);
	static const struct question qs[] = {
	    {"internet", "alb", {PROTO_TCP, 443}},
	    {"internet", "db", {PROTO_TCP, 3306}},
	    {"web", "db", {PROTO_TCP, 3306}},
	    {"web", "aws:ecr", {PROTO_TCP, 443}},
	};
	for (size_t q = 0; q < sizeof(qs) / sizeof(qs[0]); q++) {
		struct sim_sel a, b;
		char err[256];
		if (sim_sel_parse(&a, s, qs[q].from, err, sizeof(err)) ||
		    sim_sel_parse(&b, s, qs[q].to, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
		for (int with_trace = 1; with_trace >= 0; with_trace--) {
			uint32_t pairs = 0;
			n = 0;
			t0 = now();
			do {
				struct sim_answer an;
				sim_answer(&an, s, &a, &b, qs[q].flow,
					   with_trace);
				pairs = an.n;
				sim_answer_free(&an);
				n++;
			} while ((t = now()) - t0 < 0.2);
			char label[96];
			snprintf(label, sizeof(label), "%s %s -> %s:%u",
				 with_trace ? "trace" : "verdict", qs[q].from,
				 qs[q].to, qs[q].flow.port);
			printf("%-44s %10.2f us  per connection (%u pairs, "
			       "%ld runs)\n",
			       label, (t - t0) / n / pairs * 1e6, pairs, n);
		}
	}
	sim_free(s);
	model_free(m);
	return 0;
}

/*
 * Estate-scale timings (issue 4 targets): for a generated estate file,
 *   bench_scale FILE [SOURCE]
 * prints the bare libyaml parse (the floor for any tool that reads the
 * file), the load, the class index, the internet exposure map, and one
 * source to every destination, with the peak resident memory.  Each step
 * runs once: at these sizes one run is long enough to time, and a second
 * run of the load would measure a warm allocator instead of a user's
 * invocation.  docs/benchmarks.md has the method and the numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <yaml.h>

#include "load/load.h"
#include "model/model.h"
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

/* Event-level parse of the whole file: what libyaml costs by itself. */
static double bare_parse(const char *path, long *events)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	yaml_parser_t p;
	yaml_event_t e;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	double t0 = now();
	*events = 0;
	for (;;) {
		if (!yaml_parser_parse(&p, &e))
			break;
		int done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		(*events)++;
		if (done)
			break;
	}
	double t = now() - t0;
	yaml_parser_delete(&p);
	fclose(f);
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_scale FILE [SOURCE]\n");
		return 2;
	}
	const char *path = argv[1];
	const char *ck = getenv("BENCH_CLOCK");
	if (ck && !strcmp(ck, "cpu"))
		clock_id = CLOCK_PROCESS_CPUTIME_ID;
	const char *source = argc > 2 ? argv[2] : "v0-i0";
	long events = 0;
	double t_parse = bare_parse(path, &events);

	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	double t0 = now();
	if (model_load_file(&m, path, &d)) {
		diag_print(stderr, &d);
		return 2;
	}
	double t_load = now() - t0;
	diag_list_free(&d);

	struct sim *s;
	struct reach_index *ix;
	t0 = now();
	sim_new(&s, m);
	reach_index_new(&ix, s);
	double t_index = now() - t0;

	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	struct reach_table t;
	t0 = now();
	reach_from(&t, ix, &inet, PROTO_TCP, false);
	double t_map = now() - t0;
	uint32_t exposed = t.n;
	reach_table_free(&t);

	struct sim_sel src;
	char err[256];
	if (sim_sel_parse(&src, s, source, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	t0 = now();
	reach_from(&t, ix, &src, PROTO_TCP, false);
	double t_one = now() - t0;
	uint32_t reached = t.n;
	reach_table_free(&t);

	printf("file                 %s (%s time)\n", path,
	       clock_id == CLOCK_MONOTONIC ? "wall-clock" : "CPU");
	printf("endpoints            %u placements, %u classes\n",
	       m->n_placements_total, reach_index_classes(ix));
	printf("bare libyaml parse   %8.3f s  (%ld events)\n", t_parse, events);
	printf("load                 %8.3f s\n", t_load);
	printf("class index          %8.3f s\n", t_index);
	printf("exposure map         %8.3f s  (%u resources exposed)\n", t_map,
	       exposed);
	printf("load+index+map       %8.3f s  (%.2fx the bare parse)\n",
	       t_load + t_index + t_map, (t_load + t_index + t_map) / t_parse);
	printf("one source to all    %8.3f s  (%s reaches %u resources)\n",
	       t_one, source, reached);
	printf("peak memory          %8ld MiB\n", peak_mib());
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return 0;
}

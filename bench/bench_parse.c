/*
 * The bare libyaml parse of a file, the floor for any command that reads
 * it:
 *   bench_parse FILE
 * reads FILE event by event with libyaml (no document tree, nothing
 * kept) and prints how many events it read; an error exits 1.  Timed by
 * bench_cmd like the commands (bench/run.sh), so that its wall and CPU
 * time and its peak memory are measured the same way.
 */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_parse FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	yaml_parser_t p;
	yaml_event_t e;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	long events = 0;
	int rc = 0;
	for (;;) {
		if (!yaml_parser_parse(&p, &e)) {
			fprintf(stderr, "%s: %s\n", argv[1],
				p.problem ? p.problem : "parse error");
			rc = 1;
			break;
		}
		int done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
		events++;
		if (done)
			break;
	}
	yaml_parser_delete(&p);
	fclose(f);
	printf("%ld events\n", events);
	return rc;
}

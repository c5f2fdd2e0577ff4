/*
 * Times one command the way a user runs it (GNU time is not part of the
 * build machine):
 *   bench_cmd [-n RUNS] [-t SECONDS] [-m MIB] LABEL -- COMMAND ARG...
 * runs COMMAND RUNS times (default 3) with its standard output read
 * through a pipe and counted, its standard error discarded, and prints
 * one line:
 *   LABEL  wall S  cpu S  peak MIB  out BYTES  exit N
 * wall is the least wall-clock time over the runs (the run least
 * disturbed by other work on the machine), cpu the least user + system
 * time of the child (getrusage(RUSAGE_CHILDREN) before and after it),
 * peak the largest resident set of any run (RUSAGE_CHILDREN's maxrss,
 * the largest child's).
 * A run past SECONDS (default 600) is killed and reported as "timeout";
 * with -m the child's address space is limited to MIB (RLIMIT_AS), so an
 * allocation past it fails as out of memory would.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec * 1e-6;
}

struct run {
	double wall, cpu;
	long peak_kib;
	unsigned long long bytes;
	int status; /* exit status, or -1 after a signal */
	bool timeout;
};

static int run_once(char **argv, double limit, long mib, struct run *r,
		    double *cpu_before)
{
	int fd[2];
	if (pipe(fd))
		return -1;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(fd[1], 1);
		if (null >= 0)
			dup2(null, 2);
		close(fd[0]);
		close(fd[1]);
		if (mib > 0) {
			struct rlimit rl = {(rlim_t)mib << 20,
					    (rlim_t)mib << 20};
			setrlimit(RLIMIT_AS, &rl);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	memset(r, 0, sizeof(*r));
	char buf[1 << 16];
	for (;;) {
		double left = limit - (now() - t0);
		if (left <= 0) {
			kill(pid, SIGKILL);
			r->timeout = true;
			break;
		}
		fd_set rd;
		FD_ZERO(&rd);
		FD_SET(fd[0], &rd);
		struct timeval tv_left = {
		    (time_t)left, (suseconds_t)((left - (time_t)left) * 1e6)};
		int k = select(fd[0] + 1, &rd, NULL, NULL, &tv_left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			continue;
		ssize_t n = read(fd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->bytes += (unsigned long long)n;
	}
	close(fd[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	r->wall = now() - t0;
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	r->cpu = tv(ru.ru_utime) + tv(ru.ru_stime) - *cpu_before;
	*cpu_before += r->cpu;
	r->peak_kib = ru.ru_maxrss;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 3, i = 1;
	double limit = 600;
	long mib = 0;
	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		if (i + 1 == argc)
			break;
		if (!strcmp(argv[i], "-n"))
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-t"))
			limit = atof(argv[++i]);
		else if (!strcmp(argv[i], "-m"))
			mib = atol(argv[++i]);
		else
			break;
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") || runs < 1) {
		fprintf(stderr, "usage: bench_cmd [-n RUNS] [-t SECONDS] "
				"[-m MIB] LABEL -- COMMAND ARG...\n");
		return 2;
	}
	const char *label = argv[i];
	char **cmd = &argv[i + 2];
	struct run best = {0};
	long peak = 0;
	double cpu = 0; /* children's CPU time so far */
	for (int k = 0; k < runs; k++) {
		struct run r;
		if (run_once(cmd, limit, mib, &r, &cpu)) {
			perror("bench_cmd");
			return 2;
		}
		if (r.peak_kib > peak)
			peak = r.peak_kib;
		if (k == 0 || r.wall < best.wall)
			best.wall = r.wall;
		if (k == 0 || r.cpu < best.cpu)
			best.cpu = r.cpu;
		best.bytes = r.bytes;
		best.status = r.status;
		best.timeout |= r.timeout;
		/* A run that timed out says enough: another would too. */
		if (r.timeout)
			break;
	}
	if (best.timeout)
		printf("%-44s timeout after %.0f s  peak %6ld MiB\n", label,
		       limit, peak / 1024);
	else
		printf("%-44s wall %8.3f s  cpu %8.3f s  peak %6ld MiB  "
		       "out %11llu B  exit %d\n",
		       label, best.wall, best.cpu, peak / 1024, best.bytes,
		       best.status);
	fflush(stdout);
	return 0;
}

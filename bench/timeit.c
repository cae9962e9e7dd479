// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-timeit: run a command several times and measure each run.
 *
 *   bench-timeit RUNS OUTFILE CMD [ARG...]
 *
 * Runs CMD once as a warm-up with its stdout in OUTFILE (for the count
 * checks; "-": no warm-up), then RUNS times with stdout on /dev/null.  For each timed run
 * prints "run WALL_US USER_US SYS_US MAXRSS_KB": wall time from fork to
 * reap, CPU time and peak RSS from wait4()'s rusage of that child alone.
 * Exits 1 if any run fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long us(const struct timeval *tv)
{
	return tv->tv_sec * 1000000LL + tv->tv_usec;
}

static int run(char **argv, const char *out, struct rusage *ru, long long *wall)
{
	struct timespec t0, t1;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "bench-timeit: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, ru) != pid)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*wall = (t1.tv_sec - t0.tv_sec) * 1000000LL + (t1.tv_nsec - t0.tv_nsec) / 1000;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bench-timeit: %s: exit status 0x%x\n", argv[0], status);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long long wall;
	int runs;

	if (argc < 4 || (runs = atoi(argv[1])) < 0) {
		fprintf(stderr, "usage: bench-timeit RUNS OUTFILE CMD [ARG...]\n");
		return 2;
	}
	if (strcmp(argv[2], "-") && run(argv + 3, argv[2], &ru, &wall))
		return 1;
	for (int i = 0; i < runs; i++) {
		if (run(argv + 3, "/dev/null", &ru, &wall))
			return 1;
		printf("run %lld %lld %lld %ld\n", wall, us(&ru.ru_utime), us(&ru.ru_stime),
		       ru.ru_maxrss);
	}
	return 0;
}

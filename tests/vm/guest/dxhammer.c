// SPDX-License-Identifier: GPL-2.0
/*
 * dxhammer: a stress worker for t-devexcl-stress. Until SECONDS pass, picks
 * a random live process named dxtarget, a random writable private VMA of
 * it and a random range of 1-16 pages in it, and writes it to
 * make_exclusive, revert or entries (or the PID to notifiers) in
 * /sys/kernel/debug/devexcl, reading the whole answer back.
 *
 *   dxhammer [-t SECONDS] [-s SEED]
 *
 * Targets come and go, so a write may get ESRCH; per-page errors in an
 * answer (a VMA unmapped meanwhile) are counted, not failures. Anything
 * else -- another errno, an answer without its summary line -- is a
 * failure. Prints one summary line; exits 0 when there was none.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define D "/sys/kernel/debug/devexcl/"

static char answer[1 << 20];
static unsigned long ops[4], gone, page_ok, page_err, bad, idle;
static const char *const names[] = { "make_exclusive", "revert", "entries", "notifiers" };

static int pick_target(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int pids[256], n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < 256) {
		char path[300], comm[32] = "";
		int fd, len;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (len > 0 && !strncmp(comm, "dxtarget\n", 9))
			pids[n++] = atoi(e->d_name);
	}
	closedir(d);
	return n ? pids[rand() % n] : 0;
}

/* A random rw-p VMA of PID: 0 when there is none (or it exited). */
static int pick_vma(int pid, unsigned long *s, unsigned long *e)
{
	char path[64], line[512];
	unsigned long vs[64], ve[64];
	int n = 0, i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && n < 64) {
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &vs[n], &ve[n], perms) == 3 &&
		    !strcmp(perms, "rw-p"))
			n++;
	}
	fclose(f);
	if (!n)
		return 0;
	i = rand() % n;
	*s = vs[i] + (unsigned long)(rand() % ((ve[i] - vs[i]) / 4096)) * 4096;
	*e = *s + (1 + rand() % 16) * 4096UL;
	if (*e > ve[i])
		*e = ve[i];
	return 1;
}

static void count_pages(void)
{
	for (char *l = answer; (l = strstr(l, " ok ")) != NULL; l += 4)
		page_ok++;
	for (char *l = answer; (l = strstr(l, " error=")) != NULL; l += 7)
		page_err++;
}

static void one(int op, int pid, unsigned long s, unsigned long e)
{
	char path[64], req[96];
	ssize_t n, len = 0;
	int fd;

	snprintf(path, sizeof(path), D "%s", names[op]);
	if (op == 3)
		snprintf(req, sizeof(req), "%d", pid);
	else if (op == 2 && rand() % 4 == 0)
		snprintf(req, sizeof(req), "%d", pid);	/* the whole mm */
	else
		snprintf(req, sizeof(req), "%d,0x%lx,0x%lx", pid, s, e);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "dxhammer: open %s: %s\n", path, strerror(errno));
		bad++;
		return;
	}
	ops[op]++;
	if (write(fd, req, strlen(req)) < 0) {
		if (errno == ESRCH) {
			gone++;
		} else {
			fprintf(stderr, "dxhammer: %s '%s': %s\n", names[op], req, strerror(errno));
			bad++;
		}
		close(fd);
		return;
	}
	while ((n = read(fd, answer + len, sizeof(answer) - 1 - len)) > 0)
		len += n;
	answer[len] = '\0';
	close(fd);
	if (n < 0 || !strstr(answer, op < 2 ? "# ok=" : op == 2 ? " entries" : " subscribers")) {
		fprintf(stderr, "dxhammer: %s '%s': no summary in the answer\n", names[op], req);
		bad++;
	}
	if (op < 2)
		count_pages();
}

int main(int argc, char **argv)
{
	time_t end = time(NULL) + 10;
	unsigned int seed = getpid();
	int opt;

	while ((opt = getopt(argc, argv, "t:s:")) != -1) {
		if (opt == 't')
			end = time(NULL) + atoi(optarg);
		else if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	srand(seed);
	while (time(NULL) < end) {
		unsigned long s, e;
		int pid = pick_target(), r = rand() % 100;

		if (!pid || !pick_vma(pid, &s, &e)) {
			idle++;
			usleep(10000);
			continue;
		}
		one(r < 45 ? 0 : r < 80 ? 1 : r < 95 ? 2 : 3, pid, s, e);
	}
	printf("dxhammer %d: make_exclusive %lu revert %lu entries %lu notifiers %lu; pages ok %lu err %lu; target gone %lu; idle %lu; unexpected %lu\n",
	       getpid(), ops[0], ops[1], ops[2], ops[3], page_ok, page_err, gone, idle, bad);
	return bad ? 1 : 0;
}

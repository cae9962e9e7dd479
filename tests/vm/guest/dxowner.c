// SPDX-License-Identifier: GPL-2.0
/*
 * dxowner PREFIX: 4 guarded anonymous pages with a pattern and a test_hmm
 * mirror (/dev/hmm_dmirror0) of this mm, for t-devexcl-owner. Writes
 * PREFIX.state ("region 0xSTART 0xEND", "ready"), then on
 *   SIGUSR2  makes the 4 pages device-exclusive through test_hmm
 *            (owner NULL) and appends "N converted CPAGES" to PREFIX.log;
 *   SIGUSR1  reads them back (restoring them), appends "N touched ok|FAIL";
 *   SIGTERM  exits, 0 when every step succeeded.
 * N counts the signals handled, from 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

#define PAGES 4

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "/tmp/dxowner";
	long ps = sysconf(_SC_PAGESIZE);
	int fd, sig, n = 0, failed = 0;
	char path[256], *raw, *p, *bounce;
	sigset_t set;
	FILE *f;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open("/dev/hmm_dmirror0", O_RDWR);
	raw = mmap(NULL, (PAGES + 2) * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bounce = malloc(PAGES * ps);
	if (fd < 0 || raw == MAP_FAILED || !bounce)
		return 2;
	p = raw + ps;
	if (mprotect(p, PAGES * ps, PROT_READ | PROT_WRITE))
		return 2;
	madvise(p, PAGES * ps, MADV_NOHUGEPAGE);
	for (long i = 0; i < PAGES * ps; i++)
		p[i] = (char)(i * 7 + 3);
	snprintf(path, sizeof(path), "%s.state", prefix);
	f = fopen(path, "w");
	if (!f)
		return 2;
	fprintf(f, "pid %d\nregion 0x%lx 0x%lx\nready\n", getpid(),
		(unsigned long)p, (unsigned long)p + PAGES * ps);
	fclose(f);
	snprintf(path, sizeof(path), "%s.log", prefix);
	while ((sig = sigwaitinfo(&set, NULL)) != SIGTERM) {
		int bad = 0;

		n++;
		if (sig == SIGUSR2) {
			struct hmm_dmirror_cmd cmd = {
				.addr = (uintptr_t)p, .ptr = (uintptr_t)bounce, .npages = PAGES,
			};

			if (ioctl(fd, HMM_DMIRROR_EXCLUSIVE, &cmd))
				cmd.cpages = 0;
			failed |= cmd.cpages != PAGES;
			f = fopen(path, "a");
			if (f) {
				fprintf(f, "%d converted %llu\n", n, (unsigned long long)cmd.cpages);
				fclose(f);
			}
			continue;
		}
		for (long i = 0; i < PAGES * ps; i++)
			bad += ((volatile char *)p)[i] != (char)(i * 7 + 3);
		failed |= bad;
		f = fopen(path, "a");
		if (f) {
			fprintf(f, "%d touched %s\n", n, bad ? "FAIL" : "ok");
			fclose(f);
		}
	}
	return failed;
}

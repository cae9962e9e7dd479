// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dxwrite: exact writes to the devexcl debugfs files, for the hostile-input
 * tests. Prints "ok BYTES" or "err ERRNO-NAME" for the write, and with -r
 * the answer read back from the same fd.
 *
 *   dxwrite [-r] FILE STRING     write STRING (no newline added); \0 and
 *                                \xHH escapes give exact bytes
 *   dxwrite -n FILE LEN          write LEN bytes of '1'
 *   dxwrite -z FILE [SUFFIX]     write the PID of an unreaped zombie child,
 *                                then SUFFIX (",START,END")
 *   dxwrite -t FILE STRING       two threads write STRING on one fd at once
 *   dxwrite -f FILE LEN          write LEN bytes from an unmapped address
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int fd;
static char buf[1 << 16];
static size_t len;

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ESRCH: return "ESRCH";
	case EBUSY: return "EBUSY";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case EFAULT: return "EFAULT";
	case E2BIG: return "E2BIG";
	default: return strerror(e);
	}
}

static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (s[0] == '\\' && s[1] == '0') {
			out[n++] = '\0';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };

			out[n++] = (char)strtoul(hex, NULL, 16);
			s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	return n;
}

static void report(ssize_t r)
{
	if (r < 0)
		printf("err %s\n", errname(errno));
	else
		printf("ok %zd\n", r);
}

static void *writer(void *arg)
{
	ssize_t r = write(fd, buf, len);

	if (r < 0)
		printf("thread err %s\n", errname(errno));
	else
		printf("thread ok %zd\n", r);
	return NULL;
}

int main(int argc, char **argv)
{
	int opt, readback = 0, mode = 0;

	while ((opt = getopt(argc, argv, "rnztf")) != -1) {
		if (opt == 'r')
			readback = 1;
		else
			mode = opt;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: dxwrite [-r] [-n|-z|-t|-f] FILE [STRING|LEN]\n");
		return 2;
	}
	fd = open(argv[optind], O_RDWR);
	if (fd < 0) {
		printf("open err %s\n", errname(errno));
		return 0;
	}
	if (mode == 'z') {
		pid_t child = fork();

		if (child == 0)
			_exit(0);
		usleep(200000);		/* now a zombie: not reaped yet */
		len = (size_t)snprintf(buf, sizeof(buf), "%d%s", (int)child,
				       optind + 1 < argc ? argv[optind + 1] : "");
		report(write(fd, buf, len));
		waitpid(child, NULL, 0);
		return 0;
	}
	if (optind + 1 >= argc) {
		fprintf(stderr, "dxwrite: missing argument\n");
		return 2;
	}
	if (mode == 'f') {
		long ps = sysconf(_SC_PAGESIZE);
		char *p = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 2;
		munmap(p, ps);
		report(write(fd, p, strtoul(argv[optind + 1], NULL, 0)));
		return 0;
	}
	if (mode == 'n') {
		len = strtoul(argv[optind + 1], NULL, 0);
		if (len > sizeof(buf))
			len = sizeof(buf);
		memset(buf, '1', len);
	} else {
		len = unescape(argv[optind + 1], buf);
	}
	if (mode == 't') {
		pthread_t a, b;

		pthread_create(&a, NULL, writer, NULL);
		pthread_create(&b, NULL, writer, NULL);
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		return 0;
	}
	report(write(fd, buf, len));
	if (readback) {
		ssize_t n;

		while ((n = read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)n, stdout);
		if (n < 0)
			printf("read err %s\n", errname(errno));
	}
	return 0;
}

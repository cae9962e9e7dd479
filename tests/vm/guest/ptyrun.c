// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun CMD [ARGS]: run CMD on a new 80x24 pseudo-terminal (its session's
 * controlling tty), throw its output away, exit with its exit status. For
 * running `devexctl tui -n N` in the guest, which has no terminal.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	char buf[4096];
	int m, s, st;
	pid_t c;

	if (argc < 2) {
		fprintf(stderr, "usage: ptyrun CMD [ARGS...]\n");
		return 2;
	}
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		perror("ptyrun: pty");
		return 2;
	}
	c = fork();
	if (c == 0) {
		setsid();
		s = open(ptsname(m), O_RDWR);
		if (s < 0)
			_exit(126);
		ioctl(s, TIOCSCTTY, 0);
		ioctl(s, TIOCSWINSZ, &ws);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		close(m);
		if (s > 2)
			close(s);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	/* Drain until the child closes the slave (read fails with EIO). */
	while (read(m, buf, sizeof(buf)) > 0)
		;
	if (waitpid(c, &st, 0) != c)
		return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

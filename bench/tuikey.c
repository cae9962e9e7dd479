// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-tuikey: how long `devexctl tui` takes from a key to the redrawn
 * screen.
 *
 *   bench-tuikey RUNS ROW DEVEXCTL tui PID
 *
 * Runs the TUI in a pseudo-terminal of 120x40, waits for the first screen
 * (no output for QUIET ms), moves the VMA cursor down to ROW (the big
 * VMA's line in /proc/PID/maps, counted from 0), then RUNS times: Up (a
 * small neighbour), then Down back onto ROW, whose page map must be drawn
 * again; each time from writing the key to the last byte of the redraw
 * (the output burst that the key caused, ended by QUIET ms of silence).
 * Prints "down MS" per run and "first MS" for the first screen; exits 1
 * when the TUI stays silent after a key (a hang) or dies.  (A key that
 * changes nothing on the screen, such as F5 on a still process, makes no
 * output at all: only moves are measured.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 250
#define HANG_MS 10000

static int master = -1;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Read what the TUI writes until QUIET_MS pass without output; the time
 * of the last byte relative to @t0, or -1 when nothing came in HANG_MS
 * (or the TUI is gone).
 */
static double burst(double t0)
{
	double last = -1;
	char buf[65536];

	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		int wait = last < 0 ? HANG_MS : QUIET_MS;
		int n = poll(&p, 1, wait);
		ssize_t r;

		if (n == 0)
			return last < 0 ? -1 : last - t0;
		if (n < 0 && errno == EINTR)
			continue;
		r = read(master, buf, sizeof(buf));
		if (r <= 0)
			return last < 0 ? -1 : last - t0;
		last = now_ms();
	}
}

static double key(const char *seq)
{
	double t0 = now_ms();

	if (write(master, seq, strlen(seq)) != (ssize_t)strlen(seq))
		return -1;
	return burst(t0);
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 40, .ws_col = 120 };
	int runs, row, status = 0;
	double t;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr, "usage: bench-tuikey RUNS ROW DEVEXCTL tui PID\n");
		return 2;
	}
	runs = atoi(argv[1]);
	row = atoi(argv[2]);
	pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("bench-tuikey: forkpty");
		return 1;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	t = burst(now_ms());
	printf("first %.2f\n", t);
	for (int i = 0; i < row && t >= 0; i++)
		t = key("\033OB");	/* Down (keypad mode: xterm kcud1) */
	for (int i = 0; i < runs && t >= 0; i++) {
		t = key("\033OA");	/* Up (kcuu1) */
		if (t >= 0)
			printf("down %.2f\n", (t = key("\033OB")));
	}
	fflush(stdout);
	if (write(master, "q", 1) != 1 || t < 0)
		status = 1;
	if (t < 0)
		fprintf(stderr, "bench-tuikey: no redraw within %d ms of a key\n", HANG_MS);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return status;
}

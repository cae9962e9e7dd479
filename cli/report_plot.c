// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report --svg/--png: run the plot helper (devexctl-plot, built with cairo
 * apart from devexctl so that devexctl does not load cairo's libraries):
 * the grid (doc/heatmap.md) on its standard input, the picture from its
 * standard output into a temporary file beside the wanted one, renamed
 * when the helper succeeded. A failed or missing helper leaves no file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "report_heatmap.h"

#ifndef DEVEXCTL_PLOT_PATH
#define DEVEXCTL_PLOT_PATH "/usr/libexec/devexctl/devexctl-plot"
#endif

/* [ROPT_NR], left zero, ends the table; enum report_opt indexes it. */
const struct opt_doc report_opts[ROPT_NR + 1] = {
	[ROPT_SVG] = { .lng = "svg", .arg = "OUT",
		       .help = "also draw the recording's heatmap into OUT as SVG" },
	[ROPT_PNG] = { .lng = "png", .arg = "OUT",
		       .help = "also draw the heatmap into OUT as PNG (1000x600)" },
};
_Static_assert(ROPT_NR <= CMD_MAX_OPTS, "more options than cmd_ctx.opt[] holds");

static const char *const fmt_names[ROPT_NR] = { [ROPT_SVG] = "svg", [ROPT_PNG] = "png" };

static const char *helper_path(void)
{
	const char *p = getenv("DEVEXCTL_PLOT");

	return p && *p ? p : DEVEXCTL_PLOT_PATH;
}

/* The helper's first line on standard error, for the message. */
static void first_line(FILE *f, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!f || fseek(f, 0, SEEK_SET) != 0 || !fgets(buf, (int)len, f))
		snprintf(buf, len, "no message");
	buf[strcspn(buf, "\n")] = '\0';
}

/* Run the helper with stdin from a pipe we fill, stdout into @fd, stderr into @errf. */
static int run_helper(const char *helper, const char *fmt, int fd, FILE *errf,
		      const struct heatmap *h, const struct rec_model *m, const char *rec)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int p[2], status, err;
	pid_t pid;
	FILE *w;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_set(-errno, "pipe");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err_set(err, "fork");
	}
	if (pid == 0) {
		if (dup2(p[0], 0) < 0 || dup2(fd, 1) < 0 || dup2(fileno(errf), 2) < 0)
			_exit(127);
		execl(helper, "devexctl-plot", fmt, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", helper, strerror(errno));
		_exit(127);
	}
	close(p[0]);
	/* A helper that dies early must not kill devexctl with SIGPIPE: its status says why. */
	sigaction(SIGPIPE, &ign, &old);
	w = fdopen(p[1], "w");
	if (w) {
		hm_write(h, m, rec, w);
		fclose(w);
	} else {
		close(p[1]);
	}
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(-errno, "waitpid");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int draw(const char *fmt, const char *out, const struct heatmap *h,
		const struct rec_model *m, const char *rec)
{
	const char *helper = helper_path();
	char tmp[4096], msg[256];
	FILE *errf = NULL;
	mode_t mask;
	int fd, rc;

	if (access(helper, X_OK) < 0)
		return err_set(-ENOPLOT, "%s", helper);
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", out) >= (int)sizeof(tmp))
		return err_usage("--%s %s: the path is too long", fmt, out);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = err_set(-errno, "cannot write %s", out);
		if (rc == -EACCES || rc == -EPERM || rc == -EROFS)
			err_hint("choose a directory you can write to");
		return rc;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);	/* as a file created with open(2), not mkstemp's 0600 */
	errf = tmpfile();
	if (!errf) {
		rc = err_set(-errno, "a temporary file for %s's messages", helper);
		goto fail;
	}
	rc = run_helper(helper, fmt, fd, errf, h, m, rec);
	if (rc > 0) {
		first_line(errf, msg, sizeof(msg));
		rc = err_set(-EPLOT, "drawing %s: %s %s %d (%s)", out, helper,
			     rc > 128 ? "was killed by signal" : "exited", rc > 128 ? rc - 128 : rc, msg);
	}
	if (rc < 0)
		goto fail;
	if (lseek(fd, 0, SEEK_END) == 0) {
		rc = err_set(-EPLOT, "drawing %s: %s wrote nothing", out, helper);
		goto fail;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		rc = err_set(-errno, "cannot write %s", out);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, out) < 0) {
		rc = err_set(-errno, "cannot write %s", out);
		goto fail;
	}
	fclose(errf);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	if (errf)
		fclose(errf);
	return rc;
}

/* The same file as the recording (--png FILE by mistake): refused before anything is written. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int report_pictures(const struct cmd_ctx *c, const struct rec_model *m, const char *path,
		    struct heatmap *h)
{
	int err;

	if (!c->opt[ROPT_SVG] && !c->opt[ROPT_PNG])
		return 0;
	for (int i = 0; i < ROPT_NR; i++) {
		if (c->opt[i] && !*c->opt[i])
			return err_usage("--%s: an empty file name", fmt_names[i]);
		if (c->opt[i] && same_file(c->opt[i], path))
			return err_usage("--%s %s: that is the recording", fmt_names[i], c->opt[i]);
	}
#ifndef HAVE_CAIRO
	return -ENOCAIRO;
#endif
	err = hm_build(h, m, HM_COLS, HM_ROWS);
	for (int i = 0; i < ROPT_NR && !err; i++)
		if (c->opt[i])
			err = draw(fmt_names[i], c->opt[i], h, m, path);
	return err;
}

void report_pictures_print(const struct cmd_ctx *c, const struct heatmap *h)
{
	if (!c->opt[ROPT_SVG] && !c->opt[ROPT_PNG])
		return;
	out_open_object("heatmap");
	out_text("\nheatmap: %u VMAs in %u rows, %u columns of %.3f s\n", h->nbands, h->nrows,
		 h->ncols, (double)(h->t1 - h->t0) / 1e9 / h->ncols);
	out_u64(OUT_JSON, "vmas", "", h->nbands);
	out_u64(OUT_JSON, "rows", "", h->nrows);
	out_u64(OUT_JSON, "columns", "", h->ncols);
	out_u64(OUT_JSON, "column_ns", "", (h->t1 - h->t0) / h->ncols);
	for (int i = 0; i < ROPT_NR; i++)
		if (c->opt[i])
			out_string(OUT_ANY, fmt_names[i], "  written to %s\n", c->opt[i]);
	out_close_object();
}

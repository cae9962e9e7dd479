// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devexctl snapshot PID DIR: save what can be read now, without touching
 * the target, so that 'devexctl --proc DIR ...' replays it exactly.
 * pagemap is written sparse, at the offsets of the real file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "errors.h"
#include "output.h"
#include "report.h"
#include "vmas.h"
#include "walk.h"

struct snap_ctx {
	struct target *t;
	int pm_fd;		/* DIR/PID/pagemap */
	uint64_t pm_size;	/* size the sparse file must reach */
	uint64_t entries;	/* non-zero entries written */
	struct walker w;
};

static int mkdirs(const char *dir)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Copy @src to @dst; small procfs text files, read in one go. */
static int copy_file(const char *src, const char *dst)
{
	char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out, err = 0;
	ssize_t n;

	if (in < 0)
		return err_set(-errno, "cannot read %s", src);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		err = err_set(-errno, "cannot write %s", dst);
		close(in);
		return err;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			err = err_set(-errno, "cannot write %s", dst);
			break;
		}
	}
	if (n < 0)
		err = err_set(-errno, "cannot read %s", src);
	if (close(out) && !err)
		err = err_set(-errno, "cannot write %s", dst);
	close(in);
	return err;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return err_set(-errno, "cannot write %s", path);
	fputs(text, f);
	if (fclose(f))
		return err_set(-errno, "cannot write %s", path);
	return 0;
}

static int snap_emit(void *ctx, uint64_t addr, uint64_t n, const struct page_info *pi)
{
	return 0;
}

/* Each raw batch goes to the same offset of the copy; zero batches stay holes. */
static int snap_raw(void *ctx, uint64_t addr, const uint64_t *pme, uint64_t n)
{
	struct snap_ctx *s = ctx;
	uint64_t nz = 0;
	off_t off = (off_t)(addr / s->t->page_size * 8);

	for (uint64_t i = 0; i < n; i++)
		nz += pme[i] != 0;
	if (!nz)
		return 0;
	s->entries += nz;
	if (pwrite(s->pm_fd, pme, n * 8, off) != (ssize_t)(n * 8))
		return err_set(-errno, "writing the pagemap copy");
	return 0;
}

static int snap_vma(void *ctx, const struct vma *v, uint64_t start, uint64_t end)
{
	struct snap_ctx *s = ctx;
	struct page_sink sink = { .ctx = s, .emit = snap_emit, .raw = snap_raw };

	if (!vma_in_pagemap(v))
		return 0;
	if (v->end / s->t->page_size * 8 > s->pm_size)
		s->pm_size = v->end / s->t->page_size * 8;
	return walk_vma(&s->w, v, start, end, WALK_PAGES, &sink);
}

static int save_line(void *ctx, char *line)
{
	return fprintf(ctx, "%s\n", line) < 0 ? -EIO : 0;
}

/* The answer of @file to @req, through @t's source, into @path. */
static int save_answer(struct target *t, const char *file, const char *req, const char *path)
{
	FILE *f = fopen(path, "we");
	int err;

	if (!f)
		return err_set(-errno, "cannot write %s", path);
	err = t->ops->kernel_read(t, file, req, save_line, f);
	if (fclose(f) && !err)
		err = err_set(-errno, "cannot write %s", path);
	return err;
}

/*
 * What the devexcl kernel interface shows, when it is there: the answers of
 * entries and notifiers under DIR/PID/devexcl/, info under DIR/devexcl/,
 * which the snapshot source replays.  @t is the live target (its source
 * asks the kernel).  Returns the number of files saved, or a negative errno.
 */
static int save_kernel(struct target *t, const char *dir)
{
	static const char *const files[] = { "entries", "notifiers" };
	char path[PATH_MAX], req[16];
	int err;

	if (target_kernel_check(t))
		return 0;	/* absent, or not root: pagemap only */
	snprintf(path, sizeof(path), "%s/devexcl", dir);
	err = mkdirs(path);
	if (!err) {
		snprintf(path, sizeof(path), "%s/devexcl/info", dir);
		err = save_answer(t, "info", "", path);
	}
	snprintf(path, sizeof(path), "%s/%d/devexcl", dir, (int)t->pid);
	if (!err)
		err = mkdirs(path);
	snprintf(req, sizeof(req), "%d", (int)t->pid);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !err; i++) {
		snprintf(path, sizeof(path), "%s/%d/devexcl/%s", dir, (int)t->pid, files[i]);
		err = save_answer(t, files[i], req, path);
	}
	return err ? err : 3;
}

int cmd_snapshot(struct cmd_ctx *c)
{
	const char *dir = c->argv[1];
	char pdir[PATH_MAX], src[PATH_MAX], dst[PATH_MAX], meta[1024];
	struct target t;
	struct snap_ctx s = { .t = &t, .pm_fd = -1 };
	struct range all;
	unsigned long n;
	int err, kernel_files = 0;

	err = report_open_target(&t, c->g, c->argv[0]);
	if (!err)
		target_layout(&t);	/* from this system, before the copy's root changes */
	if (err)
		return err;
	if (!target_can(&t, SRC_LIVE)) {
		err = err_usage("snapshot: --proc is already a snapshot; copy the directory instead");
		goto out;
	}
	snprintf(pdir, sizeof(pdir), "%s/%d", dir, (int)t.pid);
	snprintf(dst, sizeof(dst), "%s/sys/kernel", dir);
	err = mkdirs(pdir);
	if (!err)
		err = mkdirs(dst);
	if (err) {
		err_set(err, "cannot create %s", pdir);
		goto out;
	}
	/* maps first: the pagemap copy follows the VMAs of this very copy. */
	target_path(&t, src, sizeof(src), "maps");
	snprintf(dst, sizeof(dst), "%s/maps", pdir);
	err = copy_file(src, dst);
	if (err)
		goto out;
	target_path(&t, src, sizeof(src), "status");
	snprintf(dst, sizeof(dst), "%s/status", pdir);
	err = copy_file(src, dst);
	if (err)
		goto out;
	snprintf(dst, sizeof(dst), "%s/pagemap", pdir);
	s.pm_fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (s.pm_fd < 0) {
		err = err_set(-errno, "cannot write %s", dst);
		goto out;
	}
	range_all(&all);
	{
		/*
		 * Walk the copied maps, so maps and pagemap agree: the copy's
		 * root, not the live maps fd; the copy outlives the process.
		 */
		struct target copy = t;

		snprintf(copy.root, sizeof(copy.root), "%s", dir);
		copy.maps_fd = -1;
		copy.live_mm = false;
		s.t = &t;
		walker_init(&s.w, &t, vmas_walk_limit(&all));
		err = vmas_foreach(&copy, &all, snap_vma, &s, &n);
		walker_finish(&s.w);
	}
	if (!err && ftruncate(s.pm_fd, (off_t)s.pm_size))
		err = err_set(-errno, "cannot size %s", dst);
	if (err)
		goto out;
	kernel_files = save_kernel(&t, dir);
	if (kernel_files < 0) {
		err = kernel_files;
		goto out;
	}
	snprintf(dst, sizeof(dst), "%s/sys/kernel/osrelease", dir);
	snprintf(meta, sizeof(meta), "%s\n", t.release);
	err = write_text(dst, meta);
	if (err)
		goto out;
	snprintf(meta, sizeof(meta),
		 "# devexctl snapshot: replay with 'devexctl --proc DIR COMMAND PID'\n"
		 "format 1\npid %d\ntime %lld\npage_size %llu\npfn_visible %d\n"
		 "pfn_reason %s\nswap_layout %s\nmemory_failure %d\nlayout_source %s\n",
		 (int)t.pid, (long long)time(NULL), (unsigned long long)t.page_size,
		 t.pfn_visible, t.pfn_visible ? "-" : t.pfn_reason,
		 swap_layout_name(t.layout.kind), t.layout.memory_failure, t.layout.desc);
	snprintf(dst, sizeof(dst), "%s/devexctl-snapshot", dir);
	err = write_text(dst, meta);
	if (err)
		goto out;
	out_open_object(NULL);
	out_i64(OUT_ANY, "pid", "snapshot of %" PRId64, t.pid);
	out_string(OUT_ANY, "dir", " written to %s:", dir);
	out_u64(OUT_ANY, "vmas", " %" PRIu64 " VMAs,", n);
	out_u64(OUT_ANY, "entries", " %" PRIu64 " non-empty pagemap entries", s.entries);
	out_bool(OUT_JSON, "pfn_visible", "", t.pfn_visible);
	out_bool(OUT_JSON, "kernel_interface", "", kernel_files > 0);
	if (kernel_files > 0)
		out_text("; devexcl entries, notifiers and info saved");
	out_text("\nreplay: devexctl --proc %s pages %d\n", dir, (int)t.pid);
	if (!t.pfn_visible)
		out_text("note: %s\n", t.pfn_reason);
	out_close_object();
	err = out_finish();
out:
	if (s.pm_fd >= 0)
		close(s.pm_fd);
	target_close(&t);
	return err;
}

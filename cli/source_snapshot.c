// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The snapshot source: a directory written by 'devexctl snapshot' (or by
 * the test fixture generator) replayed offline with --proc DIR.  The
 * capture's facts (PFN visibility, swap layout) come from its meta file,
 * DIR/devexctl-snapshot, one "key value" per line.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "target.h"

static int snapshot_probe(struct target *t)
{
	char path[PATH_MAX], line[256], layout_src[128] = "snapshot";
	enum swap_layout_kind kind = LAYOUT_615;
	bool mf = true, have_layout = false;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/sys/kernel/osrelease", t->root);
	n = read_small_file(path, t->release, sizeof(t->release));
	if (n < 0)
		return err_set(n, "snapshot %s has no sys/kernel/osrelease", t->root);
	t->release[strcspn(t->release, "\n")] = '\0';
	t->page_size = 4096;

	snprintf(path, sizeof(path), "%s/devexctl-snapshot", t->root);
	f = fopen(path, "re");
	if (!f)
		return err_set(-errno, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		char key[64], val[160];

		if (line[0] == '#' || sscanf(line, "%63s %159[^\n]", key, val) != 2)
			continue;
		if (strcmp(key, "pfn_visible") == 0) {
			t->pfn_visible = strcmp(val, "1") == 0;
		} else if (strcmp(key, "page_size") == 0) {
			t->page_size = strtoull(val, NULL, 0);
		} else if (strcmp(key, "swap_layout") == 0) {
			if (swap_layout_parse_name(val, &kind)) {
				fclose(f);
				return err_set(-EIO, "%s: unknown swap_layout '%s'", path, val);
			}
			have_layout = true;
		} else if (strcmp(key, "memory_failure") == 0) {
			mf = strcmp(val, "1") == 0;
		} else if (strcmp(key, "layout_source") == 0) {
			snprintf(layout_src, sizeof(layout_src), "%s", val);
		} else if (strcmp(key, "pfn_reason") == 0) {
			snprintf(t->pfn_reason, sizeof(t->pfn_reason), "%s", val);
		}
	}
	fclose(f);
	if (t->page_size < 4096 || (t->page_size & (t->page_size - 1)))
		return err_set(-EIO, "%s: bad page_size", path);	/* a bad file: 1, not usage */
	if (!have_layout)
		kind = swap_layout_for(t->release, true);
	if (!t->pfn_visible && !t->pfn_reason[0])
		snprintf(t->pfn_reason, sizeof(t->pfn_reason),
			 "PFNs and swap types hidden: the snapshot was taken without CAP_SYS_ADMIN");
	{
		char desc[160];

		snprintf(desc, sizeof(desc), "snapshot (%.140s)", layout_src);
		swap_layout_build(&t->layout, kind, mf, desc);
	}
	t->has_scan = false;
	return 0;
}

static int snapshot_scan(struct target *t, struct pm_scan_arg *arg)
{
	return -EOPNOTSUPP;
}

/*
 * The kernel interface as the snapshot recorded it: DIR/PID/devexcl/FILE
 * holds the whole answer; a ranged entries request keeps the lines of its
 * range.  An action (make_exclusive, revert) is refused as the commands
 * refuse it: no SRC_ACTS, and no file to fall back on.
 */
static int snapshot_kernel_read(struct target *t, const char *file, const char *req,
				dfs_line_fn fn, void *ctx)
{
	unsigned long long start = 0, end = UINT64_MAX;
	char path[PATH_MAX], line[1024];
	int pid, err = 0;
	FILE *f;

	if (strcmp(file, "make_exclusive") == 0 || strcmp(file, "revert") == 0)
		return err_usage("%s acts on a live process, not on a snapshot", file);
	if (strcmp(file, "info") == 0)
		snprintf(path, sizeof(path), "%s/devexcl/info", t->root);
	else
		snprintf(path, sizeof(path), "%s/%d/devexcl/%s", t->root, (int)t->pid, file);
	f = fopen(path, "re");
	if (!f)
		return err_set(-ENOPATCH, "snapshot %s has no devexcl %s (taken without the kernel "
			       "interface, or not as root)", t->root, file);
	if (strcmp(file, "entries") == 0 && sscanf(req, "%d,%lli,%lli", &pid, &start, &end) != 3) {
		start = 0;
		end = UINT64_MAX;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(file, "entries") == 0) {
			unsigned long long a;

			if (line[0] == '#' || sscanf(line, "%lli", &a) != 1 || a < start || a >= end)
				continue;
		}
		err = fn(ctx, line);
	}
	fclose(f);
	return err;
}

const struct source_ops source_snapshot = {
	.name = "snapshot",
	.caps = SRC_ENTRIES | SRC_NOTIFIERS,	/* replayed as recorded */
	.probe = snapshot_probe,
	.scan = snapshot_scan,
	.kernel_read = snapshot_kernel_read,
};

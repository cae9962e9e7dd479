// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live procfs source: /proc/PID/{maps,pagemap}, PAGEMAP_SCAN, and the
 * facts that decide how to decode swap-format entries: the kernel release
 * and configuration (design.md §3).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <zlib.h>

#include "caps.h"
#include "errors.h"
#include "target.h"

/* A kernel config fact: 1 set, 0 unset, -1 unknown. */
struct kconfig_facts {
	int device_private;
	int memory_failure;
	char source[96];
};

static void kconfig_line(struct kconfig_facts *k, const char *line)
{
	if (strncmp(line, "CONFIG_DEVICE_PRIVATE=", 22) == 0)
		k->device_private = line[22] == 'y';
	else if (strncmp(line, "# CONFIG_DEVICE_PRIVATE is not set", 34) == 0)
		k->device_private = 0;
	else if (strncmp(line, "CONFIG_MEMORY_FAILURE=", 22) == 0)
		k->memory_failure = line[22] == 'y';
	else if (strncmp(line, "# CONFIG_MEMORY_FAILURE is not set", 34) == 0)
		k->memory_failure = 0;
}

/* Read a kernel config, plain or gzip (zlib reads both). */
static bool kconfig_read(struct kconfig_facts *k, const char *path)
{
	gzFile f = gzopen(path, "rb");
	char line[256];

	if (!f)
		return false;
	while (gzgets(f, line, sizeof(line)))
		kconfig_line(k, line);
	gzclose(f);
	if (k->device_private < 0)
		return false;
	if (k->memory_failure < 0)
		k->memory_failure = 0;
	snprintf(k->source, sizeof(k->source), "%s", path);
	return true;
}

/* Symbol names in kallsyms are visible even when addresses are hidden. */
static bool kallsyms_read(struct kconfig_facts *k, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[512];

	if (!f)
		return false;
	k->device_private = 0;
	k->memory_failure = 0;
	while (fgets(line, sizeof(line), f)) {
		const char *sym = strrchr(line, ' ');

		if (!sym)
			continue;
		if (strcmp(sym + 1, "make_device_exclusive\n") == 0)
			k->device_private = 1;
		else if (strcmp(sym + 1, "memory_failure\n") == 0)
			k->memory_failure = 1;
	}
	fclose(f);
	snprintf(k->source, sizeof(k->source), "%s symbols", path);
	return true;
}

static void procfs_detect_layout(struct target *t)
{
	struct kconfig_facts k = { -1, -1, "" };
	char path[PATH_MAX], desc[160];
	bool live = strcmp(t->root, "/proc") == 0;

	snprintf(path, sizeof(path), "/boot/config-%s", t->release);
	if (live && kconfig_read(&k, path))
		goto found;
	k.device_private = k.memory_failure = -1;
	snprintf(path, sizeof(path), "%s/config.gz", t->root);
	if (kconfig_read(&k, path))
		goto found;
	snprintf(path, sizeof(path), "%s/kallsyms", t->root);
	if (kallsyms_read(&k, path))
		goto found;
	k.device_private = 1;
	k.memory_failure = 1;
	snprintf(k.source, sizeof(k.source), "assumed CONFIG_DEVICE_PRIVATE=y, CONFIG_MEMORY_FAILURE=y");
found:
	snprintf(desc, sizeof(desc), "%s", k.source);
	swap_layout_build(&t->layout, swap_layout_for(t->release, k.device_private == 1),
			  k.memory_failure == 1, desc);
}

/* CRIU-style probe: a one-page scan of our own pagemap. */
static bool probe_scan(const char *root)
{
	char path[PATH_MAX];
	struct page_region reg;
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.vec = (uintptr_t)&reg,
		.vec_len = 1,
		.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
		.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
	};
	long psz = sysconf(_SC_PAGESIZE);
	int fd, ret;

	snprintf(path, sizeof(path), "%s/self/pagemap", root);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	arg.start = (uintptr_t)&reg & ~(uintptr_t)(psz - 1);
	arg.end = arg.start + (uint64_t)psz;
	ret = ioctl(fd, PAGEMAP_SCAN, &arg);
	close(fd);
	return ret >= 0;
}

static int procfs_probe(struct target *t)
{
	char path[PATH_MAX];
	int n;

	t->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	snprintf(path, sizeof(path), "%s/sys/kernel/osrelease", t->root);
	n = read_small_file(path, t->release, sizeof(t->release));
	if (n < 0)
		return err_set(n, "cannot read %s (is %s a proc filesystem?)", path, t->root);
	t->release[strcspn(t->release, "\n")] = '\0';
	t->pfn_visible = caps_have(CAP_SYS_ADMIN);
	if (!t->pfn_visible)
		snprintf(t->pfn_reason, sizeof(t->pfn_reason),
			 "PFNs and swap types hidden: CAP_SYS_ADMIN is not in the effective set");
	t->has_scan = probe_scan(t->root);
	t->layout_pending = true;	/* target_layout() */
	return 0;
}

static int procfs_scan(struct target *t, struct pm_scan_arg *arg)
{
	long ret;

	if (!t->has_scan)
		return -EOPNOTSUPP;
	/* Valgrind does not know that the kernel fills vec: start it defined. */
	memset((void *)(uintptr_t)arg->vec, 0, arg->vec_len * sizeof(struct page_region));
	ret = ioctl(t->pagemap_fd, PAGEMAP_SCAN, arg);
	return ret < 0 ? -errno : (int)ret;
}

static int procfs_kernel_read(struct target *t, const char *file, const char *req,
			      dfs_line_fn fn, void *ctx)
{
	int err;

	if (!t->debugfs)	/* opened without one (the picker's preview) */
		return err_set(-ENOPATCH, "no debugfs directory for %s", file);
	err = dfs_require(t->debugfs);
	return err ? err : dfs_request(t->debugfs, file, req, fn, ctx);
}

const struct source_ops source_procfs = {
	.name = "procfs",
	.caps = SRC_LIVE | SRC_ACTS | SRC_ENTRIES | SRC_NOTIFIERS | SRC_EVENTS,
	.probe = procfs_probe,
	.scan = procfs_scan,
	.layout = procfs_detect_layout,
	.kernel_read = procfs_kernel_read,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The devexcl debugfs interface of the kernel-debugfs/ patches: write a
 * request to a file, read the answer from the same descriptor, one line at
 * a time (Documentation/mm/devexcl.rst).
 */
#ifndef DEVEXCTL_DEBUGFS_H
#define DEVEXCTL_DEBUGFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Called for each answer line (without its newline); non-zero stops. */
typedef int (*dfs_line_fn)(void *ctx, char *line);

/*
 * Send @req to DEBUGFS/devexcl/@file (nothing when @req is "") and feed the
 * answer to @fn.
 * Returns 0 or a negative errno, with the context recorded: -ENOPATCH when
 * the interface is absent, -EACCES without root, the kernel's errno when
 * it refused the request.
 */
int dfs_request(const char *debugfs, const char *file, const char *req,
		dfs_line_fn fn, void *ctx);
/* 0 when DEBUGFS/devexcl can be used, else the explained error. */
int dfs_require(const char *debugfs);

/* The request for PID over [start, end): "PID,0xSTART,0xEND" into @buf. */
const char *dfs_range_req(char *buf, size_t len, int pid, uint64_t start, uint64_t end);

/* "key=value" lookups in an answer line. */
bool dfs_field(const char *line, const char *key, char *val, size_t len);
bool dfs_field_u64(const char *line, const char *key, uint64_t *v);

#endif

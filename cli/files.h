/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small files of procfs, sysfs and snapshots, read whole. */
#ifndef DEVEXCTL_FILES_H
#define DEVEXCTL_FILES_H

#include <stddef.h>

/*
 * Read up to @len - 1 bytes of @path into @buf, NUL-terminated. Returns the
 * length, or a negative errno (no message set: the caller says what it was).
 */
int read_small_file(const char *path, char *buf, size_t len);

#endif

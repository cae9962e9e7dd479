// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Small files read whole: a leaf every data source and command may use
 * (it calls nothing of devexctl's own, so no source depends on target.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "files.h"

int read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = '\0';
	return (int)n;
}

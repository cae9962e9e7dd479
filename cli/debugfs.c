// SPDX-License-Identifier: GPL-2.0-or-later
/* Client of the devexcl debugfs files: request, answer, key=value fields. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugfs.h"
#include "errors.h"

static int dfs_open(const char *debugfs, const char *file)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "%s/devexcl/%s", debugfs, file);
	fd = open(path, (strcmp(file, "info") ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	err = -errno;
	snprintf(dir, sizeof(dir), "%s/devexcl", debugfs);
	if (err == -EACCES || err == -EPERM) {
		err_set(-EACCES, "cannot open %s", path);
		err_hint("the devexcl debugfs files are root-only: run as root");
		return -EACCES;
	}
	if (err == -ENOENT && access(dir, F_OK) != 0) {
		if (access(debugfs, X_OK) != 0 && errno == EACCES) {
			err_set(-EACCES, "cannot search %s", debugfs);
			err_hint("debugfs is root-only: run as root");
			return -EACCES;
		}
		return err_set(-ENOPATCH, "%s not found (debugfs mounted at %s?)", dir, debugfs);
	}
	return err_set(err, "cannot open %s", path);
}

int dfs_require(const char *debugfs)
{
	int fd = dfs_open(debugfs, "info");

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/*
 * The request that continues a long answer, from its last line
 * ("# N entries in A-B, next: PID,B,END"), into @next; false when none.
 */
static bool dfs_next(const char *line, char *next, size_t len)
{
	const char *p = line[0] == '#' ? strstr(line, ", next: ") : NULL;

	if (!p || strlen(p + 8) >= len || strspn(p + 8, "0123456789abcdefx,") != strlen(p + 8))
		return false;
	snprintf(next, len, "%s", p + 8);
	return true;
}

/* Write @req to the open file @fd, hand the answer to @fn line by line. */
static int dfs_ask(int fd, const char *file, const char *req, dfs_line_fn fn, void *ctx,
		   char *next, size_t next_len)
{
	size_t cap = 65536, len = 0;
	char *buf, *line, *nl;
	ssize_t n;
	int err = 0;

	next[0] = '\0';
	/* A file without a request (info) is only read. */
	if (req[0] && write(fd, req, strlen(req)) < 0) {
		err = -errno;
		if (err == -ESRCH)
			return err_set(err, "devexcl/%s: no such process", file);
		return err_set(err, "devexcl/%s refused '%s'", file, req);
	}
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	/*
	 * Lines are handed over as they arrive: 100,000 entries are 15 MB of
	 * text, and holding it all was devexctl's peak RSS (bench/README.md).
	 */
	for (;;) {
		if (len + 4096 > cap) {	/* a line longer than the buffer */
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf) {
				err = -ENOMEM;
				goto out;
			}
			buf = nbuf;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			err = err_set(-errno, "reading devexcl/%s", file);
			goto out;
		}
		len += (size_t)n;
		buf[len] = '\0';
		for (line = buf; !err && (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
			*nl = '\0';
			if (!dfs_next(line, next, next_len))
				next[0] = '\0';
			err = fn(ctx, line);
		}
		if (err)
			goto out;
		len -= (size_t)(line - buf);
		memmove(buf, line, len + 1);
		if (n == 0) {
			if (len) {	/* the last line, without a newline */
				if (!dfs_next(buf, next, next_len))
					next[0] = '\0';
				err = fn(ctx, buf);
			}
			break;
		}
	}
out:
	free(buf);
	return err;
}

int dfs_request(const char *debugfs, const char *file, const char *req,
		dfs_line_fn fn, void *ctx)
{
	char next[2][96];
	const char *ask = req;
	int fd, err, k = 0;

	fd = dfs_open(debugfs, file);
	if (fd < 0)
		return fd;
	/* A long answer (entries) names the request that continues it. */
	do {
		err = dfs_ask(fd, file, ask, fn, ctx, next[k], sizeof(next[k]));
		if (!err && next[k][0] && strcmp(next[k], ask) == 0)
			err = err_set(-EIO, "devexcl/%s: the answer to '%s' asks for itself again",
				      file, ask);
		ask = next[k];
		k ^= 1;
	} while (!err && ask[0]);
	close(fd);
	return err;
}

bool dfs_field(const char *line, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = line; (p = strstr(p, key)) != NULL; p += klen) {
		size_t n;

		if ((p != line && p[-1] != ' ') || p[klen] != '=')
			continue;
		p += klen + 1;
		n = strcspn(p, " ");
		if (n >= len)
			n = len - 1;
		memcpy(val, p, n);
		val[n] = '\0';
		return true;
	}
	return false;
}

bool dfs_field_u64(const char *line, const char *key, uint64_t *v)
{
	char val[64], *end;

	if (!dfs_field(line, key, val, sizeof(val)))
		return false;
	errno = 0;
	*v = strtoull(val, &end, 0);
	return !errno && end != val && !*end;
}

const char *dfs_range_req(char *buf, size_t len, int pid, uint64_t start, uint64_t end)
{
	snprintf(buf, len, "%d,0x%" PRIx64 ",0x%" PRIx64, pid, start, end);
	return buf;
}

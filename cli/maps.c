// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/maps reader: streaming, one line at a time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "maps.h"

/*
 * The value + 1 of each hex digit, 0 for anything else: maps is parsed
 * twice per walk (the second read checks that nothing moved), and with
 * 20,000 VMAs its digits were a third of the instructions of a 'maps' run.
 */
#define HX(c, v) [c] = (v) + 1
static const unsigned char hex1[256] = {
	HX('0', 0), HX('1', 1), HX('2', 2), HX('3', 3), HX('4', 4),
	HX('5', 5), HX('6', 6), HX('7', 7), HX('8', 8), HX('9', 9),
	HX('a', 10), HX('b', 11), HX('c', 12), HX('d', 13), HX('e', 14), HX('f', 15),
	HX('A', 10), HX('B', 11), HX('C', 12), HX('D', 13), HX('E', 14), HX('F', 15),
};
#undef HX

/* Hex digits up to @stop, as the kernel prints them (no sign, no 0x). */
static int parse_hex(char **p, uint64_t *v, char stop)
{
	const char *s = *p;
	uint64_t x = 0;
	unsigned int d;

	for (; (d = hex1[(unsigned char)*s]); s++) {
		if (x >> 60)
			return -EINVAL;	/* more than 64 bits */
		x = x << 4 | (d - 1);
	}
	if (s == *p || *s != stop)
		return -EINVAL;
	*v = x;
	*p = (char *)s + 1;
	return 0;
}

/* Decimal digits, ended by a space, the newline or the string's end. */
static int parse_dec(char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -EINVAL;	/* more than 64 bits */
		x = x * 10 + d;
	}
	if (s == *p || (*s != ' ' && *s != '\n' && *s != '\0'))
		return -EINVAL;
	*v = x;
	*p = (char *)s;
	return 0;
}

int maps_parse_line(char *line, struct vma *v)
{
	uint64_t major, minor;
	char *p = line;
	size_t len;

	memset(v, 0, sizeof(*v));
	if (parse_hex(&p, &v->start, '-') || parse_hex(&p, &v->end, ' '))
		return -EINVAL;
	/* Four permission letters (none of them NUL), then a space. */
	if (v->end <= v->start || strspn(p, "rwxsp-") < 4 || p[4] != ' ')
		return -EINVAL;
	memcpy(v->perms, p, 4);
	v->perms[4] = '\0';
	p += 5;
	if (parse_hex(&p, &v->offset, ' ') || parse_hex(&p, &major, ':') ||
	    parse_hex(&p, &minor, ' ') || major > UINT_MAX || minor > UINT_MAX ||
	    parse_dec(&p, &v->inode))
		return -EINVAL;
	v->dev_major = (unsigned int)major;
	v->dev_minor = (unsigned int)minor;
	/* The name starts after the padding and may itself contain spaces. */
	while (*p == ' ')
		p++;
	len = strlen(p);
	if (len && p[len - 1] == '\n')
		p[--len] = '\0';
	if (len >= 10 && strcmp(p + len - 10, " (deleted)") == 0)
		v->deleted = true;
	v->name = p;
	return 0;
}

int maps_reader_open(struct maps_reader *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->f = fopen(path, "re");
	if (!r->f)
		return -errno;
	return 0;
}

int maps_reader_open_fd(struct maps_reader *r, int fd)
{
	int dupfd;

	memset(r, 0, sizeof(*r));
	if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE)
		return -errno;
	dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dupfd < 0)
		return -errno;
	r->f = fdopen(dupfd, "re");
	if (!r->f) {
		int err = -errno;

		close(dupfd);
		return err;
	}
	return 0;
}

int maps_reader_next(struct maps_reader *r, struct vma *v)
{
	ssize_t n;

	errno = 0;
	n = getline(&r->line, &r->cap, r->f);
	if (n < 0)
		return errno ? -errno : 0;
	r->lineno++;
	if (maps_parse_line(r->line, v))
		return err_set(-EINVAL, "malformed maps line %lu", r->lineno);
	return 1;
}

void maps_reader_close(struct maps_reader *r)
{
	if (r->f)
		fclose(r->f);
	free(r->line);
	memset(r, 0, sizeof(*r));
}

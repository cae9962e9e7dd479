// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/PID/maps reader: streaming, one line at a time. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errors.h"
#include "maps.h"

/* Hex digits up to @stop, as the kernel prints them (no sign, no 0x). */
static int parse_hex(char **p, uint64_t *v, char stop)
{
	char *s = *p;
	uint64_t x = 0;
	int n = 0;

	for (;; s++, n++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			break;
		if (x >> 60)
			return -EINVAL;	/* more than 64 bits */
		x = x << 4 | d;
	}
	if (n == 0 || *s != stop)
		return -EINVAL;
	*v = x;
	*p = s + 1;
	return 0;
}

int maps_parse_line(char *line, struct vma *v)
{
	char *p = line, *end;
	size_t len;

	memset(v, 0, sizeof(*v));
	if (parse_hex(&p, &v->start, '-') || parse_hex(&p, &v->end, ' '))
		return -EINVAL;
	if (v->end <= v->start || strlen(p) < 5 || p[4] != ' ')
		return -EINVAL;
	memcpy(v->perms, p, 4);
	v->perms[4] = '\0';
	if (strspn(v->perms, "rwxsp-") != 4)
		return -EINVAL;
	p += 5;
	if (parse_hex(&p, &v->offset, ' '))
		return -EINVAL;
	errno = 0;
	v->dev_major = (unsigned int)strtoul(p, &end, 16);
	if (end == p || *end != ':')
		return -EINVAL;
	p = end + 1;
	v->dev_minor = (unsigned int)strtoul(p, &end, 16);
	if (end == p || *end != ' ')
		return -EINVAL;
	p = end + 1;
	v->inode = strtoull(p, &end, 10);
	if (end == p || errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -EINVAL;
	p = end;
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

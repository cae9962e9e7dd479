// SPDX-License-Identifier: GPL-2.0-or-later
/* RANGE parsing (design.md §5) and clipping a VMA to a range. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "range.h"

static int parse_num(const char *s, const char **endp, uint64_t *v)
{
	char *end;
	int base = 10;
	unsigned int shift = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	if (!isxdigit((unsigned char)s[base == 16 ? 2 : 0]))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, base);
	if (errno)
		return -ERANGE;
	switch (*end) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	case 'T': case 't': shift = 40; break;
	}
	if (shift) {
		if (*v > (UINT64_MAX >> shift))
			return -ERANGE;
		*v <<= shift;
		end++;
	}
	*endp = end;
	return 0;
}

int parse_size(const char *s, uint64_t *v)
{
	const char *end;

	if (parse_num(s, &end, v) || *end)
		return -EINVAL;
	return 0;
}

void range_all(struct range *r)
{
	r->start = 0;
	r->end = UINT64_MAX;
	r->name = NULL;
}

int range_parse(const char *s, uint64_t psz, struct range *r)
{
	const char *p;
	uint64_t a, b;

	memset(r, 0, sizeof(*r));
	if (s[0] == '[' || s[0] == '/') {
		range_all(r);
		r->name = s;
		return 0;
	}
	if (parse_num(s, &p, &a))
		goto bad;
	if (*p == '\0') {
		r->start = a & ~(psz - 1);
		r->end = r->start + psz;
	} else if (*p == '-' || *p == '+') {
		const char *q;

		if (parse_num(p + 1, &q, &b) || *q)
			goto bad;
		if (*p == '+') {
			if (b == 0)
				return err_usage("range '%s' is empty", s);
			if (b > UINT64_MAX - a)
				return err_usage("range '%s' wraps past the end of the address space", s);
			b += a;
		}
		if (b <= a)
			return err_usage("range '%s': end must be above start", s);
		r->start = a & ~(psz - 1);
		r->end = b > UINT64_MAX - (psz - 1) ? UINT64_MAX & ~(psz - 1) : (b + psz - 1) & ~(psz - 1);
	} else {
		goto bad;
	}
	if (r->start >= KERNEL_HALF_START)
		return err_usage("range '%s' lies beyond the user address space (ends at 0x%llx)",
				 s, (unsigned long long)KERNEL_HALF_START);
	return 0;
bad:
	return err_usage("bad range '%s': use ADDR, START-END, START+LEN (hex with 0x, K/M/G suffixes) or a mapping name like [heap]", s);
}

bool range_clip(const struct range *r, const struct vma *v, uint64_t *start, uint64_t *end)
{
	if (r->name && strcmp(r->name, v->name) != 0)
		return false;
	*start = v->start > r->start ? v->start : r->start;
	*end = v->end < r->end ? v->end : r->end;
	return *start < *end;
}

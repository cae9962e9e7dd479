// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsers of the devexcl debugfs answer lines (records.h): the one place
 * that knows their keys, for entries, notifiers, check and the TUI.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "debugfs.h"
#include "errors.h"
#include "records.h"

const char *const pte_bit_names[PTE_NBITS + 1] = {
	"present", "write", "dirty", "soft_dirty", "young", "uffd_wp",
};

static unsigned int pte_bits(const char *s)
{
	unsigned int bits = 0;

	for (unsigned int i = 0; i < PTE_NBITS; i++) {
		uint64_t v = 0;

		if (dfs_field_u64(s, pte_bit_names[i], &v) && v)
			bits |= 1u << i;
	}
	return bits;
}

static bool field_i64(const char *line, const char *key, int64_t *v)
{
	char val[24], *end;

	if (!dfs_field(line, key, val, sizeof(val)))
		return false;
	errno = 0;
	*v = strtoll(val, &end, 10);
	return !errno && end != val && !*end;
}

/* "ADDR " at the start of a record line; false for a malformed one. */
static bool line_addr(const char *line, uint64_t *addr, const char **rest)
{
	char *end;

	if (line[0] != '0' || line[1] != 'x')
		return false;
	errno = 0;
	*addr = strtoull(line, &end, 16);
	if (errno || *end != ' ')
		return false;
	*rest = end + 1;
	return true;
}

static int malformed(const char *file, const char *line)
{
	return err_set(-EIO, "devexcl/%s: unexpected line '%.120s'", file, line);
}

int rec_entry_parse(const char *line, struct dx_entry *e)
{
	const char *rest;
	uint64_t crc;

	if (line[0] == '#')
		return 0;
	memset(e, 0, sizeof(*e));
	if (!line_addr(line, &e->addr, &rest) || !dfs_field_u64(rest, "pfn", &e->pfn) ||
	    !dfs_field_u64(rest, "order", &e->order) ||
	    !field_i64(rest, "mapcount", &e->mapcount) ||
	    !field_i64(rest, "refcount", &e->refcount) ||
	    !dfs_field(rest, "flags", e->flags, sizeof(e->flags)))
		return malformed("entries", line);
	/* No crc32 for a reader without PTRACE_MODE_ATTACH on the target. */
	e->has_crc = dfs_field_u64(rest, "crc32", &crc);
	if (e->has_crc && crc > UINT32_MAX)
		return malformed("entries", line);
	/* owner= only with page_ext owner records (devexcl_owner=on): "" then. */
	dfs_field(rest, "owner", e->owner, sizeof(e->owner));
	e->has_owner_task = field_i64(rest, "owner_pid", &e->owner_pid) &&
			    dfs_field(rest, "owner_comm", e->owner_comm, sizeof(e->owner_comm)) &&
			    dfs_field_u64(rest, "owner_ts", &e->owner_ts);
	e->crc = (uint32_t)crc;
	return 1;
}

int rec_mm_parse(const char *line, uint32_t *id)
{
	uint64_t v;

	if (strncmp(line, "mm ", 3) != 0 || !dfs_field_u64(line, "id", &v) || v > UINT32_MAX)
		return 0;
	*id = (uint32_t)v;
	return 1;
}

int rec_sub_parse(const char *line, struct dx_sub *s)
{
	uint64_t id;

	if (line[0] == '#' || strncmp(line, "mm ", 3) == 0)
		return 0;
	memset(s, 0, sizeof(*s));
	if (dfs_field_u64(line, "id", &id) && id <= UINT32_MAX) {
		s->has_id = true;
		s->id = (uint32_t)id;
	}
	s->interval = strncmp(line, "interval ", 9) == 0;
	if ((!s->interval && strncmp(line, "classic ", 8) != 0) ||
	    !dfs_field(line, "ops", s->ops, sizeof(s->ops)) ||
	    !dfs_field(line, "callback", s->callback, sizeof(s->callback)))
		return malformed("notifiers", line);
	if (!s->interval) {
		s->last = UINT64_MAX;
		return 1;
	}
	if (!dfs_field_u64(line, "start", &s->start) || !dfs_field_u64(line, "last", &s->last) ||
	    !dfs_field_u64(line, "seq", &s->seq))
		return malformed("notifiers", line);
	return 1;
}

int rec_sub_append(const char *line, struct dx_sub *subs, unsigned int *n, unsigned int max)
{
	int rc;

	if (*n == max)
		return 0;
	rc = rec_sub_parse(line, &subs[*n]);
	if (rc > 0)
		(*n)++;
	return rc < 0 ? rc : 0;
}

int rec_outcome_parse(const char *line, struct dx_outcome *o)
{
	const char *pte;
	int64_t v;

	if (line[0] == '#')
		return 0;
	memset(o, 0, sizeof(*o));
	o->folio_dirty = -1;
	if (!line_addr(line, &o->addr, &o->rest))
		return malformed("make_exclusive or revert", line);
	if (strncmp(o->rest, "error=", 6) == 0) {
		if (!field_i64(o->rest, "error", &v) || v >= 0 || v < -4095)
			return malformed("make_exclusive or revert", line);
		o->err = (int)v;
		return 1;
	}
	if (strncmp(o->rest, "skipped ", 8) == 0) {
		o->skipped = 1;
		if (!dfs_field(o->rest, "reason", o->reason, sizeof(o->reason)) ||
		    (dfs_field_u64(o->rest, "pages", &o->skipped) && !o->skipped))
			return malformed("make_exclusive", line);
		return 1;
	}
	if (strncmp(o->rest, "ok", 2) != 0 || (o->rest[2] != ' ' && o->rest[2] != '\0'))
		return malformed("make_exclusive or revert", line);
	o->has_pfn = dfs_field_u64(o->rest, "pfn", &o->pfn);
	o->has_mapcount = field_i64(o->rest, "mapcount_before", &o->mapcount_before) &&
			  field_i64(o->rest, "mapcount", &o->mapcount);
	if (field_i64(o->rest, "folio_dirty", &v))
		o->folio_dirty = v != 0;
	pte = strstr(o->rest, "pte_before=");
	if (pte) {
		o->has_pte_before = true;
		o->pte_before = pte_bits(pte + 11);
	} else {
		o->pte = pte_bits(o->rest);
	}
	return 1;
}

uint64_t rec_skipped(const char *line)
{
	uint64_t v = 0;

	return line[0] == '#' && dfs_field_u64(line, "skipped", &v) ? v : 0;
}

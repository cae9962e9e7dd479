// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The judges of an active 'devexctl check' over its debugfs rounds: each
 * tested page converted by make_exclusive, listed by entries and reverted,
 * twice, and the conversions tried where none may succeed (scope).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* Each round of each page converted; otherwise fail with the errno. */
static bool all_converted(const struct check_run *r, struct check_verdict *v)
{
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];

			/* a round make_exclusive left alone: the page was not writable */
			if (cr->skipped[0])
				continue;
			if (!cr->converted) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: conversion failed (%d)",
					r->pages[p].addr, round + 1, cr->conv_errno);
				return false;
			}
		}
	}
	return true;
}

void judge_rounds_mapcount(const struct check_run *r, struct check_verdict *v)
{
	if (!all_converted(r, v))
		return;
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];

			if (cr->converted && cr->mapcount_before != cr->mapcount_after) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": folio mapcount %d before the "
					"conversion, %d while exclusive", r->pages[p].addr,
					cr->mapcount_before, cr->mapcount_after);
				return;
			}
		}
	}
	check_verdict_set(v, CHECK_PASS, "%u pages x 2 conversions: mapcount unchanged (%d for the first)",
		r->npages, r->pages[0].round[0].mapcount_after);
}

static bool crc_unchanged(const struct check_run *r, struct check_verdict *v)
{
	for (unsigned int p = 0; p < r->npages; p++) {
		const struct check_round *a = &r->pages[p].round[0], *b = &r->pages[p].round[1];

		if (!b->converted)
			continue;	/* nothing to compare with */
		if (!a->have_crc || !b->have_crc) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": not listed in entries while exclusive",
				r->pages[p].addr);
			return false;
		}
		if (a->crc != b->crc) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": contents changed across a restore "
				"(crc32 %08x, then %08x)", r->pages[p].addr, a->crc, b->crc);
			return false;
		}
	}
	return true;
}

void judge_rounds_dirty(const struct check_run *r, struct check_verdict *v)
{
	unsigned int dirty = 0;

	if (!all_converted(r, v))
		return;
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];

			if (!(cr->pte_before & (1u << PTE_DIRTY)))
				continue;
			dirty++;
			if (!cr->folio_dirty) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: PTE dirty before the "
					"conversion, folio clean after it", r->pages[p].addr, round + 1);
				return;
			}
		}
	}
	if (!crc_unchanged(r, v))
		return;
	check_verdict_set(v, CHECK_PASS, "%u dirty PTEs left dirty folios; %u checksums unchanged", dirty,
		r->npages);
}

void judge_rounds_restore(const struct check_run *r, struct check_verdict *v)
{
	static const struct { int bit; const char *name; } carried[] = {
		{ PTE_SOFT_DIRTY, "soft-dirty" }, { PTE_UFFD_WP, "uffd-wp" },
	};

	if (!all_converted(r, v))
		return;
	for (unsigned int p = 0; p < r->npages; p++) {
		for (int round = 0; round < 2; round++) {
			const struct check_round *cr = &r->pages[p].round[round];
			uint64_t a = r->pages[p].addr;
			bool want_write = cr->anon_exclusive;	/* the VMA is writable */

			if (!cr->converted)
				continue;	/* left alone (see all_converted()) */
			if (!cr->restored || !(cr->pte_after & (1u << PTE_PRESENT))) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 " round %d: not restored to a "
					"present PTE", a, round + 1);
				return;
			}
			if (cr->restored_pfn != cr->pfn) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": restored PFN 0x%" PRIx64
					", was 0x%" PRIx64, a, cr->restored_pfn, cr->pfn);
				return;
			}
			if (!!(cr->pte_after & (1u << PTE_WRITE)) != want_write) {
				check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": restored %s, but the VMA is "
					"writable and the page %s exclusive to this mm", a,
					want_write ? "read-only" : "writable", want_write ? "is" : "is not");
				return;
			}
			for (unsigned int i = 0; i < 2; i++) {
				unsigned int bit = 1u << carried[i].bit;

				if ((cr->pte_before & bit) && !(cr->pte_after & bit)) {
					check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 ": %s lost by the restore",
						a, carried[i].name);
					return;
				}
			}
		}
	}
	if (!crc_unchanged(r, v))
		return;
	check_verdict_set(v, CHECK_PASS, "%u restores: present, same PFN, writable as expected, soft-dirty "
		"and uffd-wp carried, contents unchanged", 2 * r->npages);
}

void judge_rounds_scope(const struct check_run *r, struct check_verdict *v)
{
	char tried[256] = "";
	size_t used = 0;

	for (unsigned int i = 0; i < r->nattempts; i++) {
		const struct check_attempt *a = &r->attempts[i];

		if (a->converted) {
			check_verdict_set(v, CHECK_FAIL, "page 0x%" PRIx64 " of a %s mapping was "
					  "converted (devexctl reverted it)", a->addr, a->perms);
			return;
		}
		if (a->skipped[0])	/* devexcl's own check, before the kernel's */
			used += (size_t)snprintf(tried + used, sizeof(tried) - used,
						 "; in a %s mapping left alone (%s)", a->perms,
						 a->skipped);
		else
			used += (size_t)snprintf(tried + used, sizeof(tried) - used,
						 "; refused in a %s mapping (%d)", a->perms,
						 a->conv_errno);
		if (used >= sizeof(tried))
			used = sizeof(tried) - 1;
	}
	if (r->scope_bad) {
		check_verdict_set(v, CHECK_FAIL, "%u of %u entries lie where none may: %s",
				  r->scope_bad, r->scope_entries, r->scope_first_bad);
		return;
	}
	check_verdict_set(v, CHECK_PASS, "%u entries, all anonymous in private writable mappings%s",
			  r->scope_entries, r->nattempts ? tried : " (no present page in a "
			  "read-only or shared mapping to try a conversion on)");
}

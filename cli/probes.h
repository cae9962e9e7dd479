/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The probe event source: on a kernel without the devexcl tracepoints
 * (a distribution kernel), kprobe and kretprobe events that read the
 * arguments of the functions a distribution build keeps (not inlined) by
 * name through BTF: make_device_exclusive() (make_device_exclusive_range()
 * before 6.15), restore_exclusive_pte(), do_swap_page(), copy_page_range(),
 * __mmu_notifier_invalidate_range_start/_end() and walk_page_range().
 * The events are global to the machine (group devexctl_PID, removed with
 * the instance, stale ones by the next devexctl); only enabling them and
 * their filters are the instance's. What they report is turned into the
 * one event model (events.h): DX_SET at a conversion's return, DX_RESTORE
 * with the path that encloses it, DX_RANGE_START/END as they come.
 */
#ifndef DEVEXCTL_PROBES_H
#define DEVEXCTL_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h"

#define PROBES_GROUP_PREFIX "devexctl_"

struct dx_probes;
struct dx_decoder;
struct tracefs_instance;

/*
 * Create the probe events of this process. -ENOPATCH with the reason
 * (no kprobe events, no BTF argument access, a function this kernel does
 * not have) recorded, -EPERM without the privileges, or another errno.
 */
int probes_create(struct dx_probes **pp);
/*
 * The source without any event created: what probes_digest() needs (for
 * tests). @range_api: conversions are make_device_exclusive_range()'s.
 */
struct dx_probes *probes_alloc(bool range_api);
/* Remove them (after the instance that enabled them is gone). */
void probes_destroy(struct dx_probes *p);
/* The tracefs system ("group") of the events, for the format reader. */
const char *probes_group(const struct dx_probes *p);
/* Bind the model's kinds to the events (after the formats were read). */
int probes_bind(const struct dx_probes *p, struct dx_decoder *d);
/*
 * Enable every event but the mm probe in @inst, filtered to @mm (0: every
 * mm); with @learn, enable only the mm probe, filtered to our own task.
 */
int probes_enable(const struct dx_probes *p, struct tracefs_instance *inst, uint64_t mm,
		  bool learn);
/* Whether the kernel converts ranges (make_device_exclusive_range(): before 6.15). */
bool probes_range_api(const struct dx_probes *p);
/* The function the conversion probe sits on. */
const char *probes_convert_fn(const struct dx_probes *p);

/*
 * Digest one decoded event of the probes: fills @out with what to hand
 * on (at most @max) and returns how many; the probes' own kinds hand on
 * nothing or the DX_SETs of a conversion, a restore gains its path.
 */
int probes_digest(struct dx_probes *p, const struct dx_event *ev, struct dx_event *out, int max);
/* The mm and notifier_subscriptions the last DX_P_MM event reported (false: none yet). */
bool probes_learned(const struct dx_probes *p, uint64_t *mm, uint64_t *subs);
void probes_forget(struct dx_probes *p);

/* Remove the probe groups devexctl_PID whose PID is not @alive (a running devexctl). */
void probes_remove_stale(bool (*alive)(pid_t pid));
/*
 * Whether this kernel can hold device-exclusive entries at all: a
 * make_device_exclusive* symbol in /proc/kallsyms (readable by anyone).
 * 1 yes, 0 no (CONFIG_DEVICE_PRIVATE off), negative errno when unknown.
 */
int probes_kernel_converts(char *fn, size_t len);

#endif

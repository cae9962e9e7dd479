/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devexcl events: one table of event kinds (the device_exclusive and
 * mmu_notifier tracepoints, sched fork/exit, the proc connector's fork,
 * exec and exit, lost events) and their fields drives decoding a tracefs
 * record (libtraceevent) into a flat record and printing it.
 */
#ifndef DEVEXCTL_EVENTS_H
#define DEVEXCTL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dx_kind {
	DX_SET,			/* device_exclusive/device_exclusive_set */
	DX_RESTORE,		/* device_exclusive/device_exclusive_restore */
	DX_REMOVE,		/* device_exclusive/device_exclusive_remove */
	DX_RANGE_START,		/* mmu_notifier/mmu_notifier_invalidate_range_start */
	DX_RANGE_END,		/* mmu_notifier/mmu_notifier_invalidate_range_end */
	DX_SUBSCRIBER,		/* mmu_notifier/mmu_notifier_invalidate_subscriber */
	DX_FORK,		/* sched/sched_process_fork, or the proc connector */
	DX_EXIT,		/* sched/sched_process_exit, or the proc connector */
	DX_EXEC,		/* the proc connector only */
	DX_LOST,		/* the ring buffer overran: events were lost */
	/*
	 * The probe source's own kinds (probes.c): read by the source, which
	 * hands on DX_SET and DX_RESTORE built from them, never delivered.
	 */
	DX_P_CONVERT,		/* make_device_exclusive*() entry */
	DX_P_CONVERTED,		/* ... and return */
	DX_P_FAULT,		/* do_swap_page() entry: a restore now is a fault's */
	DX_P_COPY,		/* copy_page_range() entry: a restore now is a fork's */
	DX_P_MM,		/* walk_page_range() of our own pagemap read: the target's mm */
	DX_NKINDS
};

enum dx_field {
	DXF_MM, DXF_ADDR, DXF_PFN, DXF_OWNER, DXF_PTE, DXF_MAPCOUNT, DXF_STATE,
	DXF_RESTORE_REASON, DXF_REMOVE_REASON,
	DXF_START, DXF_END, DXF_EVENT, DXF_FLAGS,
	DXF_SUB, DXF_INTERVAL, DXF_CB, DXF_RET,
	DXF_PARENT_PID, DXF_CHILD_PID, DXF_PID, DXF_LOST,
	DX_NFIELDS
};

/*
 * The state field of the device_exclusive events: what a restore decides
 * from (DEVICE_EXCLUSIVE_FOLIO_DIRTY... in the kernel's trace header).
 */
enum dx_state_bit {
	DXS_FOLIO_DIRTY, DXS_ANON, DXS_LARGE, DXS_ANON_EXCLUSIVE,
	DXS_VMA_WRITE, DXS_VMA_SHARED, DXS_SD_TRACKING, DXS_UFFD_WP_VMA,
	DXS_NBITS
};
extern const char *const state_bit_names[DXS_NBITS + 1];

/* enum mmu_notifier_event, include/linux/mmu_notifier.h */
#define MMU_NOTIFY_UNMAP		0
#define MMU_NOTIFY_CLEAR		1
#define MMU_NOTIFY_PROTECTION_PAGE	3
#define MMU_NOTIFY_SOFT_DIRTY		4
#define MMU_NOTIFY_EXCLUSIVE		7

/* The one flat record every consumer reads. */
struct dx_event {
	enum dx_kind kind;
	uint64_t ts_ns;			/* trace clock "mono": CLOCK_MONOTONIC */
	int cpu;			/* -1 when not from the ring buffer */
	int task;			/* common_pid: the task that fired it, 0 if unknown */
	const char *source;		/* "tracefs", "probes", "connector" */
	uint32_t has;			/* 1 << DXF_* present */
	uint64_t num[DX_NFIELDS];	/* signed fields sign-extended */
	char sym[96];			/* DXF_CB resolved (kallsyms), or "" */
	char comm[16];			/* a conversion's task, by name, or "" */
};

static inline bool ev_has(const struct dx_event *ev, enum dx_field f)
{
	return ev->has & (1u << f);
}

static inline void ev_set(struct dx_event *ev, enum dx_field f, uint64_t v)
{
	ev->has |= 1u << f;
	ev->num[f] = v;
}

/* "set", "restore", ..., or NULL. */
const char *event_kind_name(enum dx_kind k);
/* The tracefs system and event of @k, or NULL for kinds that are not tracepoints. */
const char *event_kind_system(enum dx_kind k);
const char *event_kind_event(enum dx_kind k);
/* Whether kind @k carries field @f (the kernel filter on "mm" needs it). */
bool event_kind_has_field(enum dx_kind k, enum dx_field f);

/*
 * The kind table bound to one libtraceevent handle: each kind's event id
 * and the format of each of its fields. Kinds the handle does not know
 * stay unbound (their records are not decoded).
 */
struct tep_handle;
struct dx_decoder;
struct dx_decoder *event_decoder_new(struct tep_handle *tep);
/*
 * Bind kind @k to the event @system/@event of the handle instead (a
 * dynamic probe event whose fields carry the kind's format names).
 * 0, or -ENOENT when the handle does not know the event.
 */
int event_decoder_bind(struct dx_decoder *d, enum dx_kind k, const char *system,
		       const char *event);
void event_decoder_free(struct dx_decoder *d);
bool event_decoder_bound(const struct dx_decoder *d, enum dx_kind k);
/*
 * Decode the raw record @data of @size bytes (a tep_record's data and
 * size) into @ev (ts_ns and cpu are left 0 / -1 for the caller).
 * Returns 0; -ENOENT for a record of an event not in the table; -EINVAL
 * for a record shorter than its format (nothing is read past @size).
 */
int event_decode(const struct dx_decoder *d, const void *data, size_t size, struct dx_event *ev);

/*
 * The target and the children it forks, for the task events (fork, exit,
 * exec) of one source: the proc connector or the sched tracepoints.
 */
#define DX_TREE_MAX 256
struct dx_task_tree {
	int pid[DX_TREE_MAX];
	unsigned int n;
	bool connector;		/* take task events from the connector, else tracefs */
};

void task_tree_init(struct dx_task_tree *t, int root, bool connector);
/*
 * Whether task event @ev is about the tree and from its source; a fork in
 * the tree adds the child. False for every other kind.
 */
bool task_tree_follow(struct dx_task_tree *t, const struct dx_event *ev);

/* Print @ev through the output layer: one line, or one JSON object. */
void event_print(const struct dx_event *ev);
/* The brief one-line text of @ev (the TUI's event pane), monitor's keys. */
void event_format(const struct dx_event *ev, char *buf, size_t len);

/*
 * Reading an event back from what event_print() wrote in JSON (report
 * reads recordings): the kind named @name (-1: none), the fields of a
 * kind in print order, each field's JSON key, and the value of a field
 * printed as text (a name, an id, an address): 0 or -EINVAL.  A bits
 * field (pte, state) is an object of booleans named by event_field_bits().
 */
int event_kind_lookup(const char *name);
int event_kind_fields(enum dx_kind k, const enum dx_field **fields);
const char *event_field_key(enum dx_field f);
int event_field_parse(enum dx_field f, const char *text, uint64_t *v);
const char *const *event_field_bits(enum dx_field f);

#endif

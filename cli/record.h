/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Recordings (devexctl record, devexctl report; doc/record-format.md): one
 * gzip file of JSON Lines: a header, a snapshot at the start, every event,
 * a snapshot at the end and a trailer.  The writer (record_write.c) prints
 * through the shared output layer, so an event line is monitor's JSON
 * object; pagemap polling (record_poll.c) is the event source of last
 * resort.  The reader (record_read.c, jansson) feeds a model
 * (record_model.c) that report prints.
 */
#ifndef DEVEXCTL_RECORD_H
#define DEVEXCTL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "range.h"
#include "states.h"
#include "target.h"

#define RECORD_FORMAT "devexctl-record"
#define RECORD_VERSION 1
/* The longest line a reader accepts (a snapshot of a large address space). */
#define RECORD_MAX_LINE (64u << 20)

/* Why a recording stopped: the trailer's "stopped". */
enum rec_stop { STOP_DURATION, STOP_INTERRUPTED, STOP_MAX_SIZE, STOP_EXITED, STOP_ERROR, STOP_NR };
extern const char *const rec_stop_names[STOP_NR];

/* One run of pages in one state (flags and PFNs ignored), in address order. */
struct rec_run {
	uint64_t addr, pages;
	uint8_t state;		/* enum page_state */
};

struct rec_vma {
	uint64_t start, end;
	char perms[5];
	char name[128];
	uint64_t counts[PS_NR];
};

/* What one walk of the range saw: its VMAs and every run, present ones too. */
struct rec_scan {
	struct rec_vma *vmas;
	size_t nvmas, vcap;
	struct rec_run *runs;
	size_t nruns, rcap;
};

/* Walk @r of @t (WALK_COUNTS: nothing is faulted in) into @s (emptied first). */
int rec_scan(struct target *t, const struct range *r, struct rec_scan *s);
void rec_scan_free(struct rec_scan *s);

/*
 * The change events between two scans (pages in a VMA of both whose state
 * differs), one line each, coalesced per run: source "poll".  Returns the
 * number of lines written.
 */
uint64_t rec_scan_diff(const struct rec_scan *old, const struct rec_scan *cur, uint64_t ts_ns,
		       uint64_t page_size);

/* The writer: a gzip stream that the output layer prints into. */
struct rec_writer;

struct rec_header {
	pid_t pid;
	const char *comm, *kernel, *source, *source_reason;
	uint64_t page_size, interval_ms;
	const struct range *range;
	/* What the event source told at the start (report's judges need it). */
	bool have_caps, range_api, subscribed;
};

int rec_open(struct rec_writer **wp, const char *path);
/* Print the following lines into the file (out_* in JSON mode), until rec_end_line(). */
void rec_begin_line(struct rec_writer *w);
void rec_end_line(struct rec_writer *w);
void rec_write_header(struct rec_writer *w, const struct rec_header *h);
/*
 * The snapshot line ("start" or "end") from @s, then, where the source
 * answers them, the entries and notifiers documents of @t.
 */
void rec_write_snapshot(struct rec_writer *w, struct target *t, const struct range *r,
			const char *range_arg, const struct rec_scan *s, const char *when);
/* Make what was written readable (a sync flush) and return the compressed bytes so far. */
int rec_flush(struct rec_writer *w, uint64_t *bytes);
/*
 * The bytes written since the last flush, before compression: the
 * compressed file grows by at most about that much at the next flush.
 */
uint64_t rec_pending(struct rec_writer *w);
/* The trailer, then close; 0 or a negative errno (write error). */
int rec_close(struct rec_writer *w, enum rec_stop why, uint64_t events, uint64_t lost,
	      uint64_t polls, uint64_t *bytes);
/* Close without a trailer (a failed start). */
void rec_abort(struct rec_writer *w);

/* The nanoseconds of CLOCK_MONOTONIC and CLOCK_REALTIME. */
uint64_t rec_mono_ns(void);
uint64_t rec_real_ns(void);

/* Reading: the model report prints (record_model.c). */
struct rec_model;

struct rec_model *rec_model_new(void);
void rec_model_free(struct rec_model *m);
/*
 * Feed one line (without its newline) to the model: 0, or -EBADMSG with
 * the reason in @why (the caller adds where).
 */
int rec_model_line(struct rec_model *m, const char *line, size_t len, char *why, size_t wlen);
/* Whether a trailer was seen. */
bool rec_model_complete(const struct rec_model *m);

/*
 * Read @path (gzip, or plain text) into @m: 0; -EBADMSG (the line and byte
 * where it broke, recorded) for a corrupt or truncated file; *@incomplete
 * when it ends cleanly without a trailer (the recorder was killed).
 */
int rec_read_file(const char *path, struct rec_model *m, bool *incomplete);

#endif

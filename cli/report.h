/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pieces of output shared by the commands that report on a target. */
#ifndef DEVEXCTL_REPORT_H
#define DEVEXCTL_REPORT_H

#include "range.h"
#include "target.h"

/* Open the top-level object and print pid, source and visibility keys. */
void report_begin(struct target *t);
/*
 * Print "partial" (and a note when the mappings changed while they were
 * read), the visibility note, and close the top object.
 */
int report_end(const struct target *t);
/* RANGE argument @arg (NULL: the whole address space), in @t's page size. */
int report_range(const struct target *t, const char *arg, struct range *r);
struct globals;

/*
 * The body of 'entries' and 'notifiers' on an open target: the whole
 * document (record.c writes it into a recording too).
 */
int entries_report(struct target *t, const char *range_arg);
int notifiers_report(struct target *t);

/* Open @pid from a PID argument under the global --proc and --debugfs. */
int report_open_target(struct target *t, const struct globals *g, const char *pid_arg);

#endif

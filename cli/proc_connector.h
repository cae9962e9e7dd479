/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The proc connector (NETLINK_CONNECTOR, CN_IDX_PROC) through libmnl:
 * fork, exec and exit of every process as they happen, so monitor and the
 * TUI follow a target's children. The kernel serves it only to listeners
 * in the initial pid and user namespaces, with CAP_NET_ADMIN; elsewhere
 * devexctl falls back to the sched_process_fork/exit tracepoints of its
 * tracefs instance.
 */
#ifndef DEVEXCTL_PROC_CONNECTOR_H
#define DEVEXCTL_PROC_CONNECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "events.h"

struct dx_procconn;

/*
 * Whether the connector can serve us here: 0, or -EOPNOTSUPP with @why
 * (not in the initial pid or user namespace), -EPERM without CAP_NET_ADMIN.
 */
int pc_usable(char *why, size_t len);
/* Open, bind to CN_IDX_PROC and send PROC_CN_MCAST_LISTEN: 0 or -errno (explained). */
int pc_open(struct dx_procconn **pp);
int pc_fd(const struct dx_procconn *p);
/*
 * Hand the events waiting on the socket to @fn as DX_FORK (parent_pid,
 * child_pid), DX_EXEC (pid) and DX_EXIT (pid) records; non-blocking.
 * Returns the number handed over or a negative errno; -ENOBUFS after an
 * overrun (events were lost).
 */
int pc_read(struct dx_procconn *p, int (*fn)(void *ctx, const struct dx_event *ev), void *ctx);
void pc_close(struct dx_procconn *p);
/* Decode one connector message's payload (struct cn_msg + proc_event): 0 or -EINVAL/-ENOENT. */
int pc_decode(const void *buf, size_t len, struct dx_event *ev);

#endif

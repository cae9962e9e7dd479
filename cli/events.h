/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devexcl netlink events: decoding a message into a flat record and
 * printing it, both driven by one attribute table.
 */
#ifndef DEVEXCTL_EVENTS_H
#define DEVEXCTL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi_devexcl.h"

struct dx_event {
	uint8_t cmd;				/* DEVEXCL_CMD_* */
	bool has[DEVEXCL_A_MAX + 1];		/* attribute present */
	uint64_t num[DEVEXCL_A_MAX + 1];	/* numeric attributes */
	char sub_ops[128];			/* DEVEXCL_A_SUB_OPS */
};

/* Name of a message type ("convert", "restore", "notify"), or NULL. */
const char *event_cmd_name(uint8_t cmd);
/*
 * Decode one generic netlink message (starting at its nlmsghdr) into @ev.
 * Returns 0, or -EINVAL when it is not a well-formed devexcl event.
 */
int event_decode(const void *nlh, size_t len, struct dx_event *ev);
/* Print @ev through the output layer: one line, or one JSON object. */
void event_print(const struct dx_event *ev);
/* The brief one-line text of @ev (the TUI's event pane), monitor's keys. */
void event_format(const struct dx_event *ev, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Generic netlink through libmnl: resolving the devexcl family. */
#ifndef DEVEXCTL_NETLINK_H
#define DEVEXCTL_NETLINK_H

#include <stdint.h>

#define DEVEXCL_GENL_NAME "devexcl"
#define DEVEXCL_GENL_MCGRP "events"

struct genl_family_info {
	uint16_t id;
	uint32_t version;
	uint32_t events_group;	/* 0 when the family has no "events" group */
};

/* Resolve @name with CTRL_CMD_GETFAMILY: 0, -ENOENT when absent, or -errno. */
int genl_resolve(const char *name, struct genl_family_info *info);

struct mnl_socket;
/*
 * Open a socket that has joined the devexcl "events" group: -ENOPATCH when
 * the family is absent, -EPERM without CAP_SYS_ADMIN (context recorded).
 */
int genl_join_events(struct mnl_socket **nlp);

#endif

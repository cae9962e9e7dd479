/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Capabilities through libcap: queries, and privilege hygiene.  Each command
 * names in the command table the capabilities it uses while it opens its
 * target and those it keeps afterwards (devexctl(8), CAPABILITIES);
 * devexctl drops every other one, for good.
 */
#ifndef DEVEXCTL_CAPS_H
#define DEVEXCTL_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Capability masks for the command table: bit CAP_x. */
#define CAPB(cap)	(1ULL << (cap))

/* Whether the named capability (e.g. CAP_SYS_ADMIN) is in the effective set. */
bool caps_have(int cap);
/* The effective set now, as CAPB() bits. */
uint64_t caps_effective(void);
/*
 * The effective set devexctl started with: recorded by caps_enter() before
 * it drops what the command does not use (the effective set now, before).
 */
uint64_t caps_at_start(void);
/* How many capabilities there are (CAP_LAST_CAP + 1), and how many in @mask. */
int caps_known(void);
int caps_count(uint64_t mask);
/* "CAP_SYS_ADMIN,CAP_SYS_PTRACE" for @mask ("none" when empty). */
void caps_mask_text(uint64_t mask, char *buf, size_t len);

/*
 * Before a command runs: keep only @open of the capabilities we have
 * (effective and permitted), clear the inheritable and ambient sets, cut
 * the bounding set to @after_open when we may, and set no_new_privs.
 * @after_open is what caps_opened() will keep.  Returns 0 or a negative errno.
 */
int caps_enter(uint64_t open, uint64_t after_open);
/* The command has opened its target (or socket): keep only @after_open. */
int caps_opened(void);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Capability queries through libcap. */
#ifndef DEVEXCTL_CAPS_H
#define DEVEXCTL_CAPS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the named capability (e.g. CAP_SYS_ADMIN) is in the effective set. */
bool caps_have(int cap);
/* The capabilities that matter here, and how many are effective, as text. */
void caps_effective_text(char *buf, size_t len);

#endif

// SPDX-License-Identifier: GPL-2.0-or-later
/* Capability queries through libcap. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "caps.h"

bool caps_have(int cap)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (!c)
		return false;
	if (cap_get_flag(c, (cap_value_t)cap, CAP_EFFECTIVE, &v) != 0)
		v = CAP_CLEAR;
	cap_free(c);
	return v == CAP_SET;
}

void caps_effective_text(char *buf, size_t len)
{
	int have = 0, all = 0;

	for (cap_value_t cap = 0; cap_valid(cap); cap++, all++)
		have += caps_have(cap);
	snprintf(buf, len, "cap_sys_admin=%s cap_sys_ptrace=%s (%d of %d effective)",
		 caps_have(CAP_SYS_ADMIN) ? "yes" : "no", caps_have(CAP_SYS_PTRACE) ? "yes" : "no",
		 have, all);
}

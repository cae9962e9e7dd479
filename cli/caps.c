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
	size_t used = 0;
	int have = 0, all = 0;

	for (cap_value_t cap = 0; cap_valid(cap); cap++, all++)
		have += caps_have(cap);
	if (have == all) {
		snprintf(buf, len, "all %d capabilities", all);
		return;
	}
	buf[0] = '\0';
	for (cap_value_t cap = 0; cap_valid(cap); cap++) {
		char *name;

		if (!caps_have(cap))
			continue;
		name = cap_to_name(cap);
		if (!name)
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "," : "", name);
		cap_free(name);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
	else if (used >= len && len > 4)
		strcpy(buf + len - 4, "...");
}

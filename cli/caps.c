// SPDX-License-Identifier: GPL-2.0-or-later
/* Capabilities through libcap: queries, and dropping what a command does not use. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "errors.h"

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

/* Effective when caps_enter() ran, before it dropped anything. */
static uint64_t caps_start;
static bool caps_start_known;

uint64_t caps_effective(void)
{
	cap_t c = cap_get_proc();
	uint64_t mask = 0;

	if (!c)
		return 0;
	for (cap_value_t cap = 0; cap_valid(cap) && cap < 64; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(c, cap, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET)
			mask |= CAPB(cap);
	}
	cap_free(c);
	return mask;
}

uint64_t caps_at_start(void)
{
	return caps_start_known ? caps_start : caps_effective();
}

int caps_known(void)
{
	int all = 0;

	for (cap_value_t cap = 0; cap_valid(cap); cap++)
		all++;
	return all;
}

int caps_count(uint64_t mask)
{
	return __builtin_popcountll(mask);
}

void caps_mask_text(uint64_t mask, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (cap_value_t cap = 0; cap < 64 && used < len; cap++) {
		char *name;

		if (!(mask & CAPB(cap)))
			continue;
		name = cap_to_name(cap);	/* "cap_sys_admin" */
		if (!name)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s", used ? "," : "");
		for (char *p = name; *p && used + 1 < len; p++)
			buf[used++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		buf[used < len ? used : len - 1] = '\0';
		cap_free(name);
	}
	if (!used)
		snprintf(buf, len, "none");
}

static uint64_t caps_next;	/* what caps_opened() keeps */

/* Keep @keep of the permitted set, effective = permitted; inheritable empty. */
static int caps_limit(uint64_t keep)
{
	cap_t cur = cap_get_proc(), c = cap_init();
	int err = 0;

	if (!cur || !c) {
		err = -errno;
		goto out;
	}
	for (cap_value_t cap = 0; cap_valid(cap) && cap < 64; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (!(keep & CAPB(cap)) || cap_get_flag(cur, cap, CAP_PERMITTED, &v) || v != CAP_SET)
			continue;
		if (cap_set_flag(c, CAP_PERMITTED, 1, &cap, CAP_SET) ||
		    cap_set_flag(c, CAP_EFFECTIVE, 1, &cap, CAP_SET)) {
			err = -errno;
			goto out;
		}
	}
	if (cap_set_proc(c))
		err = err_set(-errno, "dropping capabilities");
out:
	cap_free(cur);
	cap_free(c);
	return err;
}

int caps_enter(uint64_t open, uint64_t after_open)
{
	/* What the caller gave us, for 'features' (which keeps only a few). */
	if (!caps_start_known) {
		caps_start = caps_effective();
		caps_start_known = true;
	}
	caps_next = after_open & open;
	/*
	 * Nothing more at exec than the command keeps: the bounding set cut to
	 * that (needs CAP_SETPCAP) and no_new_privs.  A program it runs (the
	 * tui's 'devexctl check') gets what the command still holds then.
	 */
	if (caps_have(CAP_SETPCAP))
		for (cap_value_t cap = 0; cap_valid(cap); cap++)
			if (!(caps_next & CAPB(cap)) && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 &&
			    cap_drop_bound(cap))
				return err_set(-errno, "dropping the capability bounding set");
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);	/* EINVAL before 4.3 */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return err_set(-errno, "setting no_new_privs");
	return caps_limit(open);
}

int caps_opened(void)
{
	return caps_limit(caps_next);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the devexcl netlink event decoder (cli/events.c).  The
 * input is one message as recvfrom() would deliver it, copied to a buffer
 * of exactly its size (so ASan sees any read past it); a message that
 * decodes is printed as text and as JSON (to /dev/null), as monitor does.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "output.h"

#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "invariant: %s\n", #cond); abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dx_event ev;
	void *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (event_decode(buf, size, &ev) == 0) {
		BUG_ON(!event_cmd_name(ev.cmd));
		BUG_ON(memchr(ev.sub_ops, '\0', sizeof(ev.sub_ops)) == NULL);
		for (int json = 0; json < 2; json++) {
			out_init(json, false);
			event_print(&ev);
			out_finish();
		}
	}
	free(buf);
	return 0;
}

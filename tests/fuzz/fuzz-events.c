// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the tracefs record decoder (cli/events.c) over the
 * formats of tests/formats, parsed with libtraceevent as devexctl parses
 * the kernel's.  Input: one byte choosing an event of the table (its id is
 * written into common_type when the record is long enough, so most inputs
 * reach a kind's fields), then the record bytes, copied to a buffer of
 * exactly their size (so ASan sees any read past it).  A record that
 * decodes is printed as text and as JSON (to /dev/null), as monitor does.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "formats.h"
#include "output.h"

#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "invariant: %s\n", #cond); abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tep_handle *tep;
static struct dx_decoder *dec;
static int ids[N_TEST_FORMATS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!freopen("/dev/null", "w", stdout))
		abort();
	tep = test_formats_load();
	if (!tep)
		abort();
	dec = event_decoder_new(tep);
	for (size_t i = 0; i < N_TEST_FORMATS; i++) {
		struct tep_event *e = tep_find_event_by_name(tep, test_formats[i][0],
							     test_formats[i][1]);

		ids[i] = e ? e->id : 0;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dx_event ev;
	uint8_t *buf;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, n);
	if (data[0] < 0x80 && n >= 2) {	/* else the record's own common_type */
		int id = ids[data[0] % N_TEST_FORMATS];

		buf[0] = (uint8_t)id;
		buf[1] = (uint8_t)(id >> 8);
	}
	if (event_decode(dec, buf, n, &ev) == 0) {
		BUG_ON((unsigned int)ev.kind >= DX_NKINDS);
		BUG_ON(!event_kind_name(ev.kind));
		if (ev.num[DXF_CB] & 1)		/* as if kallsyms named it */
			snprintf(ev.sym, sizeof(ev.sym), "dmirror_interval_invalidate");
		for (int json = 0; json < 2; json++) {
			char line[200];

			out_init(json, false);
			event_print(&ev);
			out_finish();
			event_format(&ev, line, sizeof(line));
			BUG_ON(memchr(line, '\0', sizeof(line)) == NULL);
		}
	}
	free(buf);
	return 0;
}

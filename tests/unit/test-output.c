// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The output layer's fast text path (struct out_line): each column as the
 * printf conversion it stands for, checked against snprintf itself, and a
 * line too long for the buffer cut at a column, never overrun.  And
 * out_push_json(): a recording's line printed into a file in the middle of
 * a text command goes there as compact JSON, and the command's own output
 * carries on where it was.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output.h"

static const uint64_t values[] = {
	0, 1, 9, 10, 0xf, 0x10, 12345678, 0x7fffffffffff, 0xffffffffffffffff,
};

/* The line's text so far, as a string. */
static const char *text(struct out_line *l)
{
	static char s[sizeof(l->buf) + 1];

	memcpy(s, l->buf, (size_t)(l->p - l->buf));
	s[l->p - l->buf] = '\0';
	return s;
}

static void columns(void)
{
	char want[128], hex[24];
	struct out_line l;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		uint64_t v = values[i];

		snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
		snprintf(want, sizeof(want), "%-14s %08" PRIx64 " %8" PRIu64 " %-5s %s",
			 hex, v, v, "ab", "raw");
		line_start(&l);
		line_hex(&l, v, 14);
		line_hex0(&l, v, 8);
		line_dec(&l, v, 8);
		line_str(&l, "ab", 5);
		line_raw(&l, "raw");
		CHECK_STR(text(&l), want, hex);
		CHECK(!l.full, "a short line is whole");
	}
}

static void cut(void)
{
	char name[200];
	struct out_line l;
	int n;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	line_start(&l);
	for (n = 0; n < 10; n++)
		line_str(&l, name, 0);
	CHECK(l.full, "a line past the buffer is marked full");
	CHECK_INT(l.p - l.buf, 2 * 200, "cut after the last column that fits whole");
	line_hex(&l, 1, 14);
	CHECK_INT(l.p - l.buf, 2 * 200, "nothing after the cut");
	CHECK((size_t)(l.p - l.buf) < sizeof(l.buf) - 1, "room left for the newline");
}

static void push(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	CHECK(mem != NULL, "open_memstream");
	out_init(false, false);
	out_push_json(mem);
	CHECK(out_is_json(), "JSON while pushed");
	out_open_object(NULL);
	out_string(OUT_ANY, "type", "%s", "change");
	out_open_array("runs");
	out_u64(OUT_JSON, NULL, "", 7);
	out_close_array();
	out_close_object();
	out_push_json(mem);	/* nested: one more document */
	out_open_object(NULL);
	out_close_object();
	out_pop();
	out_pop();
	fclose(mem);
	CHECK_STR(buf, "{\"schema_version\":1,\"type\":\"change\",\"runs\":[7]}\n"
		  "{\"schema_version\":1}\n", "two compact lines");
	CHECK(!out_is_json(), "text again after out_pop()");
	free(buf);
}

int main(void)
{
	columns();
	cut();
	push();
	CHECK_DONE();
}

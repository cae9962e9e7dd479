// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The output layer's text path: out_string(), out_u64(), out_i64(),
 * out_addr(), out_bool() and out_null() in text mode must print exactly
 * what printf prints with the same format, whether the layer lays the
 * field out itself (one conversion with literal text around it) or hands
 * the format to printf (zero padding, precision, two conversions, %%), and
 * in the order the calls were made when the two paths mix.  Fields longer
 * than the layer's line buffer and lines that end inside a field's format
 * are covered too.
 * And out_push_json(): a recording's line printed into a file in the middle
 * of a text command goes there as compact JSON, and the command's own
 * output carries on where it was.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "output.h"

static FILE *cap;		/* what stdout received */
static long cap_off;

/* What the layer printed since the last call. */
static const char *printed(void)
{
	static char buf[65536];
	size_t n;

	CHECK(out_finish() == 0, "out_finish");
	fseek(cap, cap_off, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, cap);
	buf[n] = '\0';
	cap_off += (long)n;
	return buf;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static void strings(void)
{
	static const char *const fmts[] = {
		"%-14s ", "%s", "  %s", " %s\n", "%-30s|", "%12s", "x%sy", "%.3s", "%%%s",
		"%s and %s",
	};
	static const char *const vals[] = { "", "a", "0x7fffdeadb000", "a string of 31 characters....." };
	char want[256];

	for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
			snprintf(want, sizeof(want), fmts[f], vals[v], vals[v]);
			if (strstr(fmts[f], "and"))	/* two conversions: printf's, one argument */
				continue;
			out_string(OUT_ANY, "k", fmts[f], vals[v]);
			CHECK_STR(printed(), want, fmts[f]);
		}
	out_string(OUT_TEXT, NULL, "[%s]", NULL);
	CHECK_STR(printed(), "[]", "NULL prints as empty");
	out_bool(OUT_ANY, "b", "%-4s|", true);
	out_bool(OUT_ANY, "b", "%s", false);
	CHECK_STR(printed(), "yes |no", "booleans");
	out_null(OUT_ANY, "n", "%5s", "-");
	CHECK_STR(printed(), "    -", "null's text");
	out_string(OUT_JSON, "k", "%s", "json only");
	CHECK_STR(printed(), "", "OUT_JSON prints nothing in text mode");
}

static void numbers(void)
{
	static const uint64_t u[] = { 0, 1, 9, 10, 12345678, 0x7fffffffffff, UINT64_MAX };
	static const int64_t i[] = { 0, -1, 1, -10, INT64_MIN, INT64_MAX };
	static const char *const ufmts[] = {
		"%" PRIu64, "%8" PRIu64 " ", "%-7" PRIu64 "|", "%08" PRIu64, "%" PRIx64, "%llu",
	};
	static const char *const ifmts[] = { "%" PRId64, "%6" PRId64 " ", "%-6" PRId64 "|", "%+" PRId64 };
	char want[64], hex[24];

	for (size_t f = 0; f < sizeof(ufmts) / sizeof(ufmts[0]); f++)
		for (size_t v = 0; v < sizeof(u) / sizeof(u[0]); v++) {
			snprintf(want, sizeof(want), ufmts[f], u[v]);
			out_u64(OUT_ANY, "u", ufmts[f], u[v]);
			CHECK_STR(printed(), want, ufmts[f]);
		}
	for (size_t f = 0; f < sizeof(ifmts) / sizeof(ifmts[0]); f++)
		for (size_t v = 0; v < sizeof(i) / sizeof(i[0]); v++) {
			snprintf(want, sizeof(want), ifmts[f], i[v]);
			out_i64(OUT_ANY, "i", ifmts[f], i[v]);
			CHECK_STR(printed(), want, ifmts[f]);
		}
	for (size_t v = 0; v < sizeof(u) / sizeof(u[0]); v++) {
		snprintf(hex, sizeof(hex), "0x%" PRIx64, u[v]);
		snprintf(want, sizeof(want), "%-14s ", hex);
		out_addr(OUT_ANY, "a", "%-14s ", u[v]);
		CHECK_STR(printed(), want, "address");
	}
}

#pragma GCC diagnostic pop

/* Buffered fields and printf's fields keep their order; long fields pass whole. */
static void order_and_length(void)
{
	static char big[10000], want[40000];

	out_string(OUT_ANY, "a", "%-3s ", "a");
	out_u64(OUT_ANY, "b", "%08" PRIu64, 7);
	out_text("<%d>", 1);
	out_string(OUT_ANY, "c", "%s", "c");
	out_nl();
	CHECK_STR(printed(), "a   00000007<1>c\n", "order across the two paths");
	memset(big, 'x', sizeof(big) - 1);
	for (int n = 0; n < 3; n++)
		out_string(OUT_ANY, "big", "%-10s|", big);
	snprintf(want, sizeof(want), "%s|%s|%s|", big, big, big);
	CHECK(strcmp(printed(), want) == 0, "fields longer than the line buffer, whole");
	for (int n = 0; n < 1000; n++)
		out_u64(OUT_ANY, "n", "%5" PRIu64, (uint64_t)n);
	CHECK_INT((long)strlen(printed()), 5000, "a line longer than the buffer, whole");
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
	char path[] = "/tmp/test-output.XXXXXX";
	int fd = mkstemp(path), saved = dup(1);

	if (fd < 0 || saved < 0 || !freopen(path, "w", stdout) || !(cap = fopen(path, "r"))) {
		perror(path);
		return 99;
	}
	unlink(path);
	out_init(false, false);
	strings();
	numbers();
	order_and_length();
	push();
	fclose(cap);
	fflush(stdout);
	dup2(saved, 1);		/* the summary to the real stdout */
	CHECK_DONE();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the JSON writer (cli/json.c).  Exact output for escaping,
 * invalid UTF-8, nesting and pretty mode.  'test-json --emit' writes one
 * document with every hard case for json-parse.sh to parse with python3.
 */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "json.h"

/* Capture what @fn writes. */
static char *capture(void (*fn)(struct json *j, const void *arg), const void *arg, bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	if (!f)
		abort();
	json_init(&j, f, pretty);
	fn(&j, arg);
	fclose(f);
	return buf;
}

static void w_escape(struct json *j, const void *arg)
{
	json_escape(j->out, arg);
}

static void esc(const char *in, const char *want)
{
	char *got = capture(w_escape, in, false);

	CHECK_STR(got, want, want);
	free(got);
}

static void w_nested(struct json *j, const void *arg)
{
	json_start_object(j);
	json_key(j, "a");
	json_start_array(j);
	json_u64(j, 1);
	json_u64(j, 2);
	json_start_object(j);
	json_key(j, "b");
	json_null(j);
	json_end_object(j);
	json_end_array(j);
	json_key(j, "t");
	json_bool(j, true);
	json_key(j, "f");
	json_bool(j, false);
	json_key(j, "i");
	json_i64(j, -5);
	json_key(j, "o");
	json_start_object(j);
	json_end_object(j);
	json_key(j, "e");
	json_start_array(j);
	json_end_array(j);
	json_key(j, "s");
	json_string(j, "x\"y");
	json_key(j, "n");
	json_string(j, NULL);
	json_key(j, "k\"ey\n");
	json_u64(j, UINT64_MAX);
	json_key(j, "min");
	json_i64(j, INT64_MIN);
	json_end_object(j);
}

static void w_top_array(struct json *j, const void *arg)
{
	json_start_array(j);
	json_string(j, "a");
	json_start_array(j);
	json_start_array(j);
	json_end_array(j);
	json_end_array(j);
	json_u64(j, 0);
	json_end_array(j);
}

static void w_deep(struct json *j, const void *arg)
{
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_start_array(j);
	json_u64(j, 7);
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		json_end_array(j);
}

static void w_two_docs(struct json *j, const void *arg)
{
	json_start_object(j);
	json_key(j, "n");
	json_u64(j, 1);
	json_end_object(j);
	json_init(j, j->out, false);
	json_start_object(j);
	json_end_object(j);
}

/* A failure mid-document: json_end() closes whatever is open, in order. */
static void w_cut(struct json *j, const void *arg)
{
	json_start_object(j);
	json_key(j, "runs");
	json_start_array(j);
	json_start_object(j);
	json_key(j, "b");	/* its value never came */
	while (json_end(j) > 1)
		;
	CHECK(json_in_object(j), "the top object is innermost again");
	json_key(j, "error");
	json_u64(j, 6);
	CHECK_INT(json_end(j), 0, "document ended");
	CHECK_INT(json_end(j), 0, "nothing left to close");
}

/* Every hard string, for the python3 parse in json-parse.sh. */
static const char *const emit_strings[][2] = {
	{ "plain", "plain" },
	{ "quote", "say \"hi\"" },
	{ "backslash", "C:\\path\\" },
	{ "controls", "\x01\x02\x08\x0c\r\n\t\x1b\x1f\x7f" },
	{ "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" },
	{ "bad-ff", "a\xff" "b" },
	{ "bad-truncated", "\xe2\x82" },
	{ "bad-overlong", "\xc0\xaf" },
	{ "bad-surrogate", "\xed\xa0\x80" },
	{ "bad-too-big", "\xf4\x90\x80\x80" },
	{ "bad-continuation", "\x80\xbf" },
	{ "bad-f8", "\xf8\x88\x80\x80\x80" },
	{ "mixed", "[anon:\xc3\xa9 \xff \"q\" \\ \x01]" },
	{ "key \"quoted\" \xff", "value" },
};

static int emit(void)
{
	struct json j;

	json_init(&j, stdout, false);
	json_start_object(&j);
	json_key(&j, "strings");
	json_start_object(&j);
	for (size_t i = 0; i < sizeof(emit_strings) / sizeof(emit_strings[0]); i++) {
		json_key(&j, emit_strings[i][0]);
		json_string(&j, emit_strings[i][1]);
	}
	json_end_object(&j);
	json_key(&j, "numbers");
	json_start_array(&j);
	json_u64(&j, 0);
	json_u64(&j, UINT64_MAX);
	json_i64(&j, INT64_MIN);
	json_i64(&j, -1);
	json_end_array(&j);
	json_key(&j, "nested");
	w_nested(&j, NULL);
	json_end_object(&j);
	/* And the same structure pretty-printed. */
	json_init(&j, stdout, true);
	w_nested(&j, NULL);
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	char *got;

	if (argc > 1 && strcmp(argv[1], "--emit") == 0)
		return emit();

	/* Escaping. */
	esc("", "");
	esc("plain text", "plain text");
	esc("\"", "\\\"");
	esc("\\", "\\\\");
	esc("a\"b\\c", "a\\\"b\\\\c");
	esc("/", "/");
	esc("\n", "\\n");
	esc("\t", "\\t");
	esc("\r", "\\u000d");
	esc("\b", "\\u0008");
	esc("\f", "\\u000c");
	esc("\x01", "\\u0001");
	esc("\x1f", "\\u001f");
	esc("\x1b[31m", "\\u001b[31m");
	esc("\x7f", "\\u007f");
	esc(" ~", " ~");
	/* Valid UTF-8 passes through. */
	esc("\xc3\xa9", "\xc3\xa9");
	esc("\xe2\x82\xac", "\xe2\x82\xac");
	esc("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	esc("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");
	esc("\xef\xbf\xbd", "\xef\xbf\xbd");
	/* Invalid UTF-8: one U+FFFD per bad byte, never a raw byte. */
	esc("\xff", "\\ufffd");
	esc("a\xff" "b", "a\\ufffdb");
	esc("\xfe\xff", "\\ufffd\\ufffd");
	esc("\x80", "\\ufffd");
	esc("\xc3" "A", "\\ufffdA");
	esc("\xc3", "\\ufffd");
	esc("\xe2\x82", "\\ufffd\\ufffd");
	esc("\xc0\xaf", "\\ufffd\\ufffd");
	esc("\xc1\xbf", "\\ufffd\\ufffd");
	esc("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd");
	esc("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");
	esc("\xed\xbf\xbf", "\\ufffd\\ufffd\\ufffd");
	esc("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd");
	esc("\xf0\x80\x80\xaf", "\\ufffd\\ufffd\\ufffd\\ufffd");
	esc("\xf8\x88\x80\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd");
	esc("\xc3\xa9\xff\xc3\xa9", "\xc3\xa9\\ufffd\xc3\xa9");

	/* Nesting, compact. */
	got = capture(w_nested, NULL, false);
	CHECK_STR(got, "{\"a\":[1,2,{\"b\":null}],\"t\":true,\"f\":false,\"i\":-5,\"o\":{},\"e\":[],"
		  "\"s\":\"x\\\"y\",\"n\":\"\",\"k\\\"ey\\n\":18446744073709551615,"
		  "\"min\":-9223372036854775808}\n", "nested compact");
	free(got);
	/* Pretty. */
	got = capture(w_nested, NULL, true);
	CHECK_STR(got,
		  "{\n"
		  "  \"a\": [\n"
		  "    1,\n"
		  "    2,\n"
		  "    {\n"
		  "      \"b\": null\n"
		  "    }\n"
		  "  ],\n"
		  "  \"t\": true,\n"
		  "  \"f\": false,\n"
		  "  \"i\": -5,\n"
		  "  \"o\": {},\n"
		  "  \"e\": [],\n"
		  "  \"s\": \"x\\\"y\",\n"
		  "  \"n\": \"\",\n"
		  "  \"k\\\"ey\\n\": 18446744073709551615,\n"
		  "  \"min\": -9223372036854775808\n"
		  "}\n", "nested pretty");
	free(got);
	got = capture(w_top_array, NULL, false);
	CHECK_STR(got, "[\"a\",[[]],0]\n", "top-level array");
	free(got);
	got = capture(w_top_array, NULL, true);
	CHECK_STR(got, "[\n  \"a\",\n  [\n    []\n  ],\n  0\n]\n", "top-level array pretty");
	free(got);
	got = capture(w_deep, NULL, false);
	{
		char want[256] = "";

		for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
			strcat(want, "[");
		strcat(want, "7");
		for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
			strcat(want, "]");
		strcat(want, "\n");
		CHECK_STR(got, want, "deepest nesting");
	}
	free(got);
	got = capture(w_two_docs, NULL, false);
	CHECK_STR(got, "{\"n\":1}\n{}\n", "one document per init (JSON Lines)");
	free(got);
	got = capture(w_cut, NULL, false);
	CHECK_STR(got, "{\"runs\":[{\"b\":null}],\"error\":6}\n", "closed after a failure");
	free(got);
	CHECK_DONE();
}

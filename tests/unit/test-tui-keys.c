// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the tui key table (cli/tui_keys.c) and the labels the help
 * screen and the F-key bar make of its key codes.  Every code in
 * the table has a label, no code is bound twice (dispatch takes the first
 * row, so a second binding would be listed but dead), j and k are listed
 * beside Down and Up, and each F key on the bar is there once.
 */
#include "config.h"

#include <curses.h>

#include "check.h"
#include "tui.h"

#define CTRL(c) ((c) & 0x1f)

static void test_label(void)
{
	static const struct {
		int code;
		const char *label;
	} cases[] = {
		{ 'j', "j" }, { 'k', "k" }, { '?', "?" }, { '\\', "\\" },
		{ KEY_DOWN, "Down" }, { KEY_UP, "Up" },
		{ KEY_NPAGE, "PgDn" }, { KEY_PPAGE, "PgUp" },
		{ '\t', "Tab" }, { KEY_BTAB, "Shift-Tab" }, { ' ', "Space" },
		{ '\n', "Enter" }, { '\r', "Enter" }, { KEY_ENTER, "Enter" }, { 27, "Esc" },
		{ KEY_F(1), "F1" }, { KEY_F(10), "F10" }, { KEY_F(12), "F12" },
		{ CTRL('l'), "Ctrl-L" },
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf[0] = '\0';
		CHECK(tui_key_label(cases[i].code, buf, sizeof(buf)), cases[i].label);
		CHECK_STR(buf, cases[i].label, cases[i].label);
	}
	CHECK(!tui_key_label(0, buf, sizeof(buf)), "0 has no label");
	CHECK(!tui_key_label(KEY_RESIZE, buf, sizeof(buf)), "KEY_RESIZE has no label");
	CHECK_INT(tui_key_fnum(KEY_F(7)), 7, "F7's number");
	CHECK_INT(tui_key_fnum('7'), 0, "'7' is no F key");
}

/* The row that dispatches @code, or NULL. */
static const struct tui_key *row_of(int code)
{
	for (const struct tui_key *k = tui_keys; k->fn; k++)
		for (int i = 0; i < TUI_KEY_CODES && k->codes[i]; i++)
			if (k->codes[i] == code)
				return k;
	return NULL;
}

static void test_table(void)
{
	char what[96], buf[48];
	int on_bar[64] = { 0 };

	for (const struct tui_key *k = tui_keys; k->fn; k++) {
		CHECK(k->codes[0] != 0, "a row has a key");
		CHECK(k->help && k->help[0], "a row has help");
		for (int i = 0; i < TUI_KEY_CODES && k->codes[i]; i++) {
			snprintf(what, sizeof(what), "key code %d (row '%.40s')", k->codes[i],
				 k->help);
			CHECK(tui_key_label(k->codes[i], buf, sizeof(buf)), what);
			/* One context for the whole table: the picker's rows are a subset. */
			CHECK(row_of(k->codes[i]) == k, what);
		}
		if (k->flabel) {
			int f = tui_key_fnum(k->codes[0]);

			snprintf(what, sizeof(what), "bar label %s on F%d", k->flabel, f);
			CHECK(f >= 1 && f <= 10, what);
			CHECK(f >= 1 && f <= 10 && ++on_bar[f] == 1, what);
		}
		tui_key_labels(k, buf, sizeof(buf));
		CHECK(buf[0] && !strstr(buf, "#"), k->help);
	}
}

static void test_rows(void)
{
	const struct tui_key *down = row_of(KEY_DOWN), *up = row_of(KEY_UP);
	char buf[48];

	CHECK(down && row_of('j') == down, "j moves as Down does");
	CHECK(up && row_of('k') == up, "k moves as Up does");
	CHECK(row_of('j') != row_of(KEY_LEFT), "j is not filed with Left/Right");
	tui_key_labels(down, buf, sizeof(buf));
	CHECK_STR(buf, "Up Down k j", "the move row's labels");
	tui_key_labels(row_of(KEY_F(1)), buf, sizeof(buf));
	CHECK_STR(buf, "F1 h ?", "help row");
	tui_key_labels(row_of(KEY_ENTER), buf, sizeof(buf));
	CHECK_STR(buf, "Enter", "three Enter codes, one label");
	tui_key_labels(row_of('\t'), buf, sizeof(buf));
	CHECK_STR(buf, "Tab Shift-Tab", "tab row");
	tui_key_labels(row_of(KEY_F(1)), buf, 5);
	CHECK_STR(buf, "F1 h", "labels cut at a whole label");
}

int main(void)
{
	test_label();
	test_table();
	test_rows();
	CHECK_DONE();
}

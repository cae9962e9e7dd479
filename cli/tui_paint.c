// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every part of the tui paints with: the colour scheme (or its
 * monochrome equivalent), one character per page state, padded text and
 * boxes.
 */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"
#include "tui_paint.h"

static bool use_color;

/* One character per state, so the map reads without colour too. */
const char tui_state_char[PS_NR] = {
	[PS_NONE] = '.', [PS_PRESENT] = '#', [PS_SWAP] = 's', [PS_SWAP_LIKE] = '?',
	[PS_DEVICE_EXCLUSIVE] = 'X', [PS_DEVICE_PRIVATE] = 'P', [PS_MIGRATION] = 'M',
	[PS_HWPOISON] = '!', [PS_MARKER] = 'g',
};

static const short state_fg[PS_NR] = {
	[PS_NONE] = -1, [PS_PRESENT] = COLOR_GREEN, [PS_SWAP] = COLOR_BLUE,
	[PS_SWAP_LIKE] = COLOR_YELLOW, [PS_DEVICE_EXCLUSIVE] = COLOR_RED,
	[PS_DEVICE_PRIVATE] = COLOR_MAGENTA, [PS_MIGRATION] = COLOR_CYAN,
	[PS_HWPOISON] = COLOR_WHITE, [PS_MARKER] = COLOR_BLUE,
};

void tui_colors_init(bool color)
{
	use_color = color && has_colors();
	if (!use_color)
		return;
	start_color();
	use_default_colors();
	init_pair(C_NORMAL, -1, -1);
	init_pair(C_HEADER, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_TITLE, COLOR_BLACK, COLOR_GREEN);
	init_pair(C_TITLE_FOCUS, COLOR_BLACK, COLOR_YELLOW);
	init_pair(C_SELECT, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_FKEY, -1, -1);
	init_pair(C_FLABEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(C_DIM, COLOR_BLACK, -1);
	init_pair(C_WARN, COLOR_RED, -1);
	init_pair(C_OK, COLOR_GREEN, -1);
	init_pair(C_MARK, COLOR_YELLOW, -1);
	for (int s = 0; s < PS_NR; s++)
		init_pair((short)(C_STATE + s), state_fg[s], -1);
	if (state_fg[PS_HWPOISON] == COLOR_WHITE)
		init_pair(C_STATE + PS_HWPOISON, COLOR_WHITE, COLOR_RED);
}

/* Attribute of an element: a colour pair, or a monochrome equivalent. */
attr_t tui_attr(enum tui_color c)
{
	if (use_color)
		return COLOR_PAIR(c) | (c == C_DIM ? A_BOLD : 0) | (c >= C_STATE ? A_BOLD : 0);
	switch (c) {
	case C_HEADER: case C_TITLE_FOCUS: case C_SELECT: case C_FLABEL: return A_REVERSE;
	case C_TITLE: return A_UNDERLINE;
	case C_DIM: return A_DIM;
	case C_WARN: case C_MARK: return A_BOLD;
	default: return c == C_STATE + PS_DEVICE_EXCLUSIVE ? A_BOLD : A_NORMAL;
	}
}

/* Print at (y, x), at most @w columns, padding to @w with spaces. */
void tui_put(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (w <= 0 || y < 0 || y >= LINES)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	attrset(a);
	mvaddnstr(y, x, buf, w);
	for (int i = n; i < w; i++)
		addch(' ');
	attrset(A_NORMAL);
}

void tui_box(int y, int x, int h, int w, const char *ttl)
{
	for (int r = 0; r < h; r++)
		tui_put(y + r, x, w, A_NORMAL, "%s", "");
	attrset(A_BOLD);
	mvhline(y, x, ACS_HLINE, w);
	mvhline(y + h - 1, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	mvaddnstr(y, x + 2, ttl, w - 4);
	attrset(A_NORMAL);
}

/* Print @text from column @x, wrapped at word boundaries; the next row. */
int tui_wrap(int y, int x, int maxy, const char *text)
{
	int w = COLS - x - 1;

	while (*text && y < maxy && w > 8) {
		int n = (int)strlen(text);

		if (n > w) {
			n = w;
			while (n > w / 2 && text[n] != ' ')
				n--;
		}
		mvaddnstr(y++, x, text, n);
		text += n;
		while (*text == ' ')
			text++;
	}
	return y;
}

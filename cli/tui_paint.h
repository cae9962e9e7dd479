/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Painting primitives of the tui (tui_paint.c), for the drawing files only. */
#ifndef DEVEXCTL_TUI_PAINT_H
#define DEVEXCTL_TUI_PAINT_H

#include <curses.h>

#include "states.h"
#include "tui.h"

/* One character per state, so the map reads without colour too. */
extern const char tui_state_char[PS_NR];

/* The colour pairs, or their monochrome equivalents when @color is false. */
void tui_colors_init(bool color);
/* Attribute of an element: a colour pair, or a monochrome equivalent. */
attr_t tui_attr(enum tui_color c);
/* Print at (y, x), at most @w columns, padding to @w with spaces. */
void tui_put(int y, int x, int w, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A bold box of @h x @w at (y, x), cleared inside, titled @ttl. */
void tui_box(int y, int x, int h, int w, const char *ttl);
/* Print @text from column @x, wrapped at word boundaries; the next row. */
int tui_wrap(int y, int x, int maxy, const char *text);

#endif

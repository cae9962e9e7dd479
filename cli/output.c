// SPDX-License-Identifier: GPL-2.0-or-later
/* The shared text/JSON printing layer: the only code that writes command results. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "json.h"
#include "output.h"

static struct json jw;
static bool json_mode;

void out_init(bool json, bool pretty)
{
	json_mode = json;
	json_init(&jw, stdout, pretty);
}

/* What out_push_json() replaced: a recording's line inside a command's output. */
#define OUT_STACK 4
static struct {
	struct json jw;
	bool json_mode;
} out_stack[OUT_STACK];
static int out_depth;

void out_push_json(FILE *f)
{
	assert(out_depth < OUT_STACK);
	out_stack[out_depth].jw = jw;
	out_stack[out_depth].json_mode = json_mode;
	out_depth++;
	json_mode = true;
	json_init(&jw, f, false);
}

void out_pop(void)
{
	assert(out_depth > 0);
	out_depth--;
	jw = out_stack[out_depth].jw;
	json_mode = out_stack[out_depth].json_mode;
}

bool out_is_json(void)
{
	return json_mode;
}

int out_finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		return -EIO;
	return 0;
}

void out_fail(int err)
{
	char text[640];
	const char *hint = err_hint_text(err);

	if (!json_mode || jw.depth == 0 || err >= 0)
		return;
	while (jw.depth > 1)
		json_end(&jw);
	if (json_in_object(&jw)) {
		json_key(&jw, "error");
		json_start_object(&jw);
		json_key(&jw, "message");
		json_string(&jw, err_text(err, text, sizeof(text)));
		if (hint) {
			json_key(&jw, "hint");
			json_string(&jw, hint);
		}
		json_key(&jw, "errno");
		json_string(&jw, err_name(err));
		json_key(&jw, "exit_status");
		json_u64(&jw, (uint64_t)err_exit_status(err));
		json_end_object(&jw);
	}
	json_end(&jw);
	fflush(stdout);
}

static bool want_json(enum out_mode m)
{
	return json_mode && m != OUT_TEXT;
}

static bool want_text(enum out_mode m)
{
	return !json_mode && m != OUT_JSON;
}

static void key(const char *k)
{
	if (k)
		json_key(&jw, k);
}

void out_open_object(const char *k)
{
	bool top;

	if (!json_mode)
		return;
	top = jw.depth == 0;
	key(k);
	json_start_object(&jw);
	/* Every document says which schema/ it follows (devexctl(8), JSON). */
	if (top) {
		json_key(&jw, "schema_version");
		json_u64(&jw, DEVEXCTL_SCHEMA_VERSION);
	}
}

void out_close_object(void)
{
	if (json_mode)
		json_end_object(&jw);
}

void out_open_array(const char *k)
{
	if (!json_mode)
		return;
	key(k);
	json_start_array(&jw);
}

void out_close_array(void)
{
	if (json_mode)
		json_end_array(&jw);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void out_string(enum out_mode m, const char *k, const char *fmt, const char *v)
{
	if (want_json(m)) {
		key(k);
		json_string(&jw, v);
	} else if (want_text(m)) {
		printf(fmt, v ? v : "");
	}
}

void out_u64(enum out_mode m, const char *k, const char *fmt, uint64_t v)
{
	if (want_json(m)) {
		key(k);
		json_u64(&jw, v);
	} else if (want_text(m)) {
		printf(fmt, v);
	}
}

void out_i64(enum out_mode m, const char *k, const char *fmt, int64_t v)
{
	if (want_json(m)) {
		key(k);
		json_i64(&jw, v);
	} else if (want_text(m)) {
		printf(fmt, v);
	}
}

void out_addr(enum out_mode m, const char *k, const char *fmt, uint64_t v)
{
	char buf[24];

	out_string(m, k, fmt, fmt_addr(buf, v));
}

void out_bool(enum out_mode m, const char *k, const char *fmt, bool v)
{
	if (want_json(m)) {
		key(k);
		json_bool(&jw, v);
	} else if (want_text(m)) {
		printf(fmt, v ? "yes" : "no");
	}
}

void out_null(enum out_mode m, const char *k, const char *fmt, const char *text)
{
	if (want_json(m)) {
		key(k);
		json_null(&jw);
	} else if (want_text(m)) {
		printf(fmt, text);
	}
}

#pragma GCC diagnostic pop

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void out_nl(void)
{
	if (!json_mode)
		putchar('\n');
}

static char *fmt_hex(char *p, uint64_t v);

const char *fmt_addr(char *buf, uint64_t v)
{
	char *e = fmt_hex(buf, v);

	*e = '\0';
	return buf;
}

/* "0x" and the hex digits of @v at @p (at least 18 bytes); returns the end. */
static char *fmt_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;	/* hex digits */
	char *e = p + 2 + n;

	p[0] = '0';
	p[1] = 'x';
	for (char *q = e; q > p + 2; v >>= 4)
		*--q = digits[v & 15];
	return e;
}

/*
 * Put @n bytes of @s, padded with spaces to @width (on the left when
 * @right), then one space when @sep.  A column that does not fit whole, and
 * every column after it, is left out: the line is cut, never overrun.
 */
static void line_put(struct out_line *l, const char *s, size_t n, int width, bool right, bool sep)
{
	size_t w = n < (size_t)width ? (size_t)width : n;
	char *q;

	if (l->full || (size_t)(l->buf + sizeof(l->buf) - l->p) < w + 2) {
		l->full = true;		/* room for the '\n' stays */
		return;
	}
	q = l->p;
	if (right) {
		memset(q, ' ', w - n);
		memcpy(q + (w - n), s, n);
	} else {
		memcpy(q, s, n);
		memset(q + n, ' ', w - n);
	}
	q += w;
	if (sep)
		*q++ = ' ';
	l->p = q;
}

void line_start(struct out_line *l)
{
	l->p = l->buf;
	l->full = false;
}

void line_hex(struct out_line *l, uint64_t v, int width)
{
	char *e;

	/* The hot column: formatted in place, not through line_put(). */
	if (l->full || (size_t)(l->buf + sizeof(l->buf) - l->p) < (size_t)width + 20) {
		l->full = true;
		return;
	}
	e = fmt_hex(l->p, v);
	while (e - l->p < width)
		*e++ = ' ';
	*e++ = ' ';
	l->p = e;
}

void line_hex0(struct out_line *l, uint64_t v, int digits)
{
	char hex[18];
	size_t n = (size_t)(fmt_hex(hex, v) - hex) - 2;

	if (digits > 16)
		digits = 16;
	if (n < (size_t)digits) {	/* zero-pad: shift the digits right */
		memmove(hex + 2 + (digits - n), hex + 2, n);
		memset(hex + 2, '0', digits - n);
		n = (size_t)digits;
	}
	line_put(l, hex + 2, n, 0, false, true);
}

char *fmt_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

void line_dec(struct out_line *l, uint64_t v, int width)
{
	char digits[20];

	line_put(l, digits, (size_t)(fmt_dec(digits, v) - digits), width, true, true);
}

void line_str(struct out_line *l, const char *s, int width)
{
	line_put(l, s, strlen(s), width, false, true);
}

void line_raw(struct out_line *l, const char *s)
{
	line_put(l, s, strlen(s), 0, false, false);
}

void line_end(struct out_line *l)
{
	*l->p++ = '\n';
	if (!json_mode)
		fwrite_unlocked(l->buf, 1, (size_t)(l->p - l->buf), stdout);
}

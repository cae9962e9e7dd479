// SPDX-License-Identifier: GPL-2.0-or-later
/* The shared text/JSON printing layer: the only code that writes command results. */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "json.h"
#include "output.h"

static struct json jw;
static void text_flush(void);
static char *fmt_hex(char *p, uint64_t v, int min);
static bool json_mode;

void out_init(bool json, bool pretty)
{
	static bool flush_at_exit;

	json_mode = json;
	json_init(&jw, stdout, pretty);
	if (!flush_at_exit)
		atexit(text_flush);
	flush_at_exit = true;
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
	text_flush();
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

/*
 * The text path.  'pages' and 'maps' print a line per run or VMA (a dense
 * gigabyte is 262,144 lines) and printf was most of their time, so the
 * fields' text formats are interpreted here: each format is parsed once
 * (cached by its address; they are literals) into literal text, one
 * conversion (%s, %PRIu64 or %PRId64 with '-' and a width) and literal
 * text after it, and laid out into a line buffer written with one fwrite
 * per line.  Any other format goes to printf, after the buffer.
 */
struct tfmt {
	const char *fmt;		/* the cache key */
	bool fast;
	char conv;			/* 's', 'u' or 'd' */
	bool left;
	unsigned int width;
	size_t pre;			/* literal bytes before the conversion */
	const char *post;		/* literal text after it */
	size_t npost;
	bool nl;			/* the line ends with this field */
};

#define TFMT_CACHE 256
static struct tfmt tcache[TFMT_CACHE];
static char tbuf[4096];
static size_t tlen;

static void text_flush(void)
{
	if (tlen)
		fwrite_unlocked(tbuf, 1, tlen, stdout);
	tlen = 0;
}

static void tfmt_parse(struct tfmt *f, const char *fmt)
{
	const char *p = strchr(fmt, '%');

	*f = (struct tfmt){ .fmt = fmt };
	if (!p)
		return;		/* no conversion: printf prints the text alone */
	f->pre = (size_t)(p - fmt);
	p++;
	if (*p == '-') {
		f->left = true;
		p++;
	}
	if (*p == '0')
		return;		/* zero padding: printf's */
	while (*p >= '0' && *p <= '9' && f->width < 1000)
		f->width = f->width * 10 + (unsigned int)(*p++ - '0');
	if (*p == 's') {
		f->conv = 's';
		p++;
	} else if (strncmp(p, "lu", 2) == 0 || strncmp(p, "ld", 2) == 0) {
		f->conv = p[1];
		p += 2;
	} else if (strncmp(p, "llu", 3) == 0 || strncmp(p, "lld", 3) == 0) {
		f->conv = p[2];
		p += 3;
	} else {
		return;
	}
	if (strchr(p, '%') || f->width > 256)
		return;
	f->post = p;
	f->npost = strlen(p);
	f->nl = f->npost && p[f->npost - 1] == '\n';
	f->fast = true;
}

/* The parsed @fmt: a slot by its address, four tried before one is reused. */
static const struct tfmt *tfmt_get(const char *fmt)
{
	size_t h = (size_t)(((uintptr_t)fmt * 0x9e3779b97f4a7c15ull) >> 56) % TFMT_CACHE;

	for (size_t i = 0; i < 4; i++) {
		struct tfmt *f = &tcache[(h + i) % TFMT_CACHE];

		if (f->fmt == fmt)
			return f;
		if (!f->fmt) {
			tfmt_parse(f, fmt);
			return f;
		}
	}
	tfmt_parse(&tcache[h], fmt);
	return &tcache[h];
}

/*
 * A field of @n bytes laid out by @f: text_room() writes the literal text
 * before it and the padding on its left, and returns where the @n bytes go
 * (NULL: longer than the buffer); text_done() pads on the right and adds
 * the literal text after it.  Numbers are formatted in place between the
 * two, so the hot columns are written once.  The pieces around a field are
 * a few bytes: byte loops, shorter than calls to memcpy.
 */
static char *text_room(const struct tfmt *f, size_t n)
{
	size_t w = n < f->width ? f->width : n, need = f->pre + w + f->npost;
	char *q;

	if (tlen + need > sizeof(tbuf))
		text_flush();
	if (need > sizeof(tbuf))
		return NULL;
	q = tbuf + tlen;
	for (size_t i = 0; i < f->pre; i++)
		*q++ = f->fmt[i];
	for (size_t i = n; !f->left && i < f->width; i++)
		*q++ = ' ';
	return q;
}

static void text_done(const struct tfmt *f, char *q, size_t n)
{
	for (size_t i = n; f->left && i < f->width; i++)
		*q++ = ' ';
	for (size_t i = 0; i < f->npost; i++)
		*q++ = f->post[i];
	tlen = (size_t)(q - tbuf);
	if (f->nl)
		text_flush();
}

/* The decimal digits of @v, written backwards from @end. */
static void dec_at(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
}

static size_t dec_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
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

/* The text of a string field: the fast path, else printf after the buffer. */
static void text_string(const char *fmt, const char *v)
{
	const struct tfmt *f = tfmt_get(fmt);

	if (!v)
		v = "";
	if (f->fast && f->conv == 's') {
		size_t n = strlen(v);
		char *q = text_room(f, n);

		if (q) {
			memcpy(q, v, n);
			text_done(f, q + n, n);
			return;
		}
	}
	text_flush();	/* longer than the buffer, or not a format laid out here */
	printf(fmt, v);
}

void out_string(enum out_mode m, const char *k, const char *fmt, const char *v)
{
	if (want_json(m)) {
		key(k);
		json_string(&jw, v);
	} else if (want_text(m)) {
		text_string(fmt, v);
	}
}

void out_u64(enum out_mode m, const char *k, const char *fmt, uint64_t v)
{
	const struct tfmt *f;
	size_t n;
	char *q;

	if (want_json(m)) {
		key(k);
		json_u64(&jw, v);
	} else if (want_text(m)) {
		f = tfmt_get(fmt);
		if (f->fast && f->conv == 'u') {
			n = dec_len(v);
			q = text_room(f, n);
			dec_at(q + n, v);
			text_done(f, q + n, n);
			return;
		}
		text_flush();
		printf(fmt, v);
	}
}

void out_i64(enum out_mode m, const char *k, const char *fmt, int64_t v)
{
	const struct tfmt *f;
	uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t n;
	char *q;

	if (want_json(m)) {
		key(k);
		json_i64(&jw, v);
	} else if (want_text(m)) {
		f = tfmt_get(fmt);
		if (f->fast && f->conv == 'd') {
			n = dec_len(a) + (v < 0);
			q = text_room(f, n);
			dec_at(q + n, a);
			if (v < 0)
				*q = '-';
			text_done(f, q + n, n);
			return;
		}
		text_flush();
		printf(fmt, v);
	}
}

void out_addr(enum out_mode m, const char *k, const char *fmt, uint64_t v)
{
	const struct tfmt *f;
	char buf[24], *q;
	size_t n;

	if (want_text(m)) {
		f = tfmt_get(fmt);
		if (f->fast && f->conv == 's') {
			n = v ? (size_t)(67 - __builtin_clzll(v)) / 4 + 2 : 3;	/* "0x" and digits */
			q = text_room(f, n);
			q[0] = '0';
			q[1] = 'x';
			fmt_hex(q + 2, v, 1);
			text_done(f, q + n, n);
			return;
		}
	}
	out_string(m, k, fmt, fmt_addr(buf, v));
}

void out_bool(enum out_mode m, const char *k, const char *fmt, bool v)
{
	if (want_json(m)) {
		key(k);
		json_bool(&jw, v);
	} else if (want_text(m)) {
		text_string(fmt, v ? "yes" : "no");
	}
}

void out_null(enum out_mode m, const char *k, const char *fmt, const char *text)
{
	if (want_json(m)) {
		key(k);
		json_null(&jw);
	} else if (want_text(m)) {
		text_string(fmt, text);
	}
}

#pragma GCC diagnostic pop

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (json_mode)
		return;
	text_flush();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void out_nl(void)
{
	if (json_mode)
		return;
	if (tlen == sizeof(tbuf))
		text_flush();
	tbuf[tlen++] = '\n';
	text_flush();
}

const char *fmt_addr(char *buf, uint64_t v)
{
	buf[0] = '0';
	buf[1] = 'x';
	*fmt_hex(buf + 2, v, 1) = '\0';
	return buf;
}

const char *fmt_hex_pad(char *buf, uint64_t v, int width)
{
	*fmt_hex(buf, v, width < 16 ? width : 16) = '\0';
	return buf;
}

/* The hex digits of @v at @p, at least @min of them (zeros on the left); returns the end. */
static char *fmt_hex(char *p, uint64_t v, int min)
{
	static const char digits[] = "0123456789abcdef";
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1;	/* hex digits */
	char *e = p + (n > min ? n : min);

	for (char *q = e; q > p; v >>= 4)
		*--q = digits[v & 15];
	return e;
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

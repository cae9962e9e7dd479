// SPDX-License-Identifier: GPL-2.0-or-later
/* Streaming JSON writer: one document, nested objects and arrays, valid UTF-8 out. */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
	j->first[0] = true;
}

static void json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Separator before a value or key at the current depth. */
static void json_sep(struct json *j)
{
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	if (j->depth > 0)
		json_indent(j);
}

static void json_value_prefix(struct json *j)
{
	if (j->after_key)
		j->after_key = false;
	else
		json_sep(j);
}

void json_key(struct json *j, const char *key)
{
	assert(key != NULL);	/* a keyless member is invalid JSON (iproute2#37) */
	json_sep(j);
	fputc('"', j->out);
	json_escape(j->out, key);
	fputs(j->pretty ? "\": " : "\":", j->out);
	j->after_key = true;
}

static void json_open(struct json *j, char c)
{
	json_value_prefix(j);
	fputc(c, j->out);
	assert(j->depth + 1 < JSON_MAX_DEPTH);
	j->depth++;
	j->first[j->depth] = true;
	j->closer[j->depth] = c == '{' ? '}' : ']';
}

static void json_close(struct json *j, char c)
{
	bool empty = j->first[j->depth];

	assert(j->depth > 0 && j->closer[j->depth] == c);
	j->depth--;
	if (!empty)
		json_indent(j);
	fputc(c, j->out);
	if (j->depth == 0) {
		/* Another top-level value may follow: JSON Lines. */
		fputc('\n', j->out);
		j->first[0] = true;
	}
}

void json_start_object(struct json *j) { json_open(j, '{'); }
void json_end_object(struct json *j) { json_close(j, '}'); }
void json_start_array(struct json *j) { json_open(j, '['); }
void json_end_array(struct json *j) { json_close(j, ']'); }

int json_end(struct json *j)
{
	if (j->depth == 0)
		return 0;
	if (j->after_key)
		json_null(j);
	json_close(j, j->closer[j->depth]);
	return j->depth;
}

bool json_in_object(const struct json *j)
{
	return j->depth > 0 && j->closer[j->depth] == '}';
}

void json_string(struct json *j, const char *s)
{
	json_value_prefix(j);
	fputc('"', j->out);
	json_escape(j->out, s ? s : "");
	fputc('"', j->out);
}

void json_u64(struct json *j, uint64_t v)
{
	json_value_prefix(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json_i64(struct json *j, int64_t v)
{
	json_value_prefix(j);
	fprintf(j->out, "%" PRId64, v);
}

void json_bool(struct json *j, bool v)
{
	json_value_prefix(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_value_prefix(j);
	fputs("null", j->out);
}

/* Length of a valid UTF-8 sequence at @s, or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_escape(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", out);
			s++;
			continue;
		case '\\':
			fputs("\\\\", out);
			s++;
			continue;
		case '\n':
			fputs("\\n", out);
			s++;
			continue;
		case '\t':
			fputs("\\t", out);
			s++;
			continue;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(out, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			fputs("\\ufffd", out);	/* not UTF-8: say so, stay valid */
			s++;
			continue;
		}
		fwrite(s, 1, n, out);
		s += n;
	}
}

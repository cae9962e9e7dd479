/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One printing layer for text and JSON (the iproute2 json_print model):
 * every field is printed once, with its JSON key and its text format, so
 * the two outputs cannot drift apart.  The text formats of the fields
 * ("%-14s ", "%8" PRIu64 " ": one conversion with literal text around it)
 * are laid out without printf, a line per write, so the long listings
 * ('pages', 'maps') go through this layer too; other formats work, at
 * printf's cost.
 */
#ifndef DEVEXCTL_OUTPUT_H
#define DEVEXCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum out_mode {
	OUT_ANY,	/* both: text with fmt, JSON with key */
	OUT_TEXT,	/* text only */
	OUT_JSON,	/* JSON only */
};

/*
 * The version of the JSON documents' schemas (schema/COMMAND.schema.json): the
 * first member of every top-level object, monitor's lines included. It
 * changes when a key is removed or renamed or its type or meaning changes;
 * added keys keep it (devexctl(8), JSON).
 */
#define DEVEXCTL_SCHEMA_VERSION 1

void out_init(bool json, bool pretty);
bool out_is_json(void);
/*
 * Print compact JSON into @f instead (a recording's lines: record_write.c),
 * until out_pop() puts back what was there (nests a few deep).
 */
void out_push_json(FILE *f);
void out_pop(void);
/* Flush and check stdout; returns 0 or a negative errno. */
int out_finish(void);
/*
 * The command failed with @err (negative) after its JSON output began:
 * close what is open, giving the top object an "error" member (message,
 * errno name, exit status), so the document still parses.  Nothing in text
 * mode or when no document is open.
 */
void out_fail(int err);

/* Containers exist in JSON only; @key is NULL for array members and the top. */
void out_open_object(const char *key);
void out_close_object(void);
void out_open_array(const char *key);
void out_close_array(void);

void out_string(enum out_mode m, const char *key, const char *fmt, const char *v);
void out_u64(enum out_mode m, const char *key, const char *fmt, uint64_t v);
void out_i64(enum out_mode m, const char *key, const char *fmt, int64_t v);
/* JSON: "0x…" string; text: fmt applied to the same "0x…" string. */
void out_addr(enum out_mode m, const char *key, const char *fmt, uint64_t v);
/* JSON: true/false; text: fmt applied to "yes"/"no". */
void out_bool(enum out_mode m, const char *key, const char *fmt, bool v);
/* JSON: null; text: fmt applied to @text. */
void out_null(enum out_mode m, const char *key, const char *fmt, const char *text);

/* Text only. */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_nl(void);

/* Format @v as "0x…" into @buf (at least 19 bytes). */
const char *fmt_addr(char *buf, uint64_t v);
/* @v's hex digits, at least @width of them, zero-padded ("%0*" PRIx64; @buf: 17 bytes). */
const char *fmt_hex_pad(char *buf, uint64_t v, int width);
/* The decimal digits of @v at @p (at least 20 bytes), no NUL; returns the end. */
char *fmt_dec(char *p, uint64_t v);

#endif

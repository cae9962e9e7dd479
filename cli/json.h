/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small streaming JSON writer (in the manner of iproute2's json_writer). */
#ifndef DEVEXCTL_JSON_H
#define DEVEXCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *out;
	bool pretty;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* no member written yet at this depth */
	char closer[JSON_MAX_DEPTH];	/* '}' or ']': what closes this depth */
	bool after_key;			/* a key was written; its value comes next */
};

void json_init(struct json *j, FILE *out, bool pretty);
/* A member name; must precede every value inside an object. */
void json_key(struct json *j, const char *key);
void json_start_object(struct json *j);
void json_end_object(struct json *j);
void json_start_array(struct json *j);
void json_end_array(struct json *j);
/*
 * Close the innermost open container, whatever it is; a key still waiting
 * for its value gets null.  Returns the depth left (0: the document ends).
 */
int json_end(struct json *j);
/* Whether the innermost open container is an object. */
bool json_in_object(const struct json *j);
void json_string(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Write @s as a JSON string body: escapes controls, replaces invalid UTF-8. */
void json_escape(FILE *out, const char *s);

#endif

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a recording (record.h): zlib inflates it (a plain text file
 * reads as it is), lines go to the model one by one. Where the file
 * breaks, the error says at which line and byte: a corrupt deflate
 * stream, a bad CRC, a line cut short, a line the model refuses. A file
 * that ends cleanly after a whole line but has no trailer is a recorder
 * that was killed: readable, and said to be incomplete.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "errors.h"
#include "record.h"

struct reader {
	const char *path;
	gzFile gz;
	char *line;
	size_t len, cap;
	unsigned long lineno;	/* lines finished */
	uint64_t offset;	/* decompressed bytes before the current line */
};

static int bad(const struct reader *r, const char *what)
{
	err_set(-EBADMSG, "%s: line %lu (byte %" PRIu64 " of the data, byte %lld of the file): %s",
		r->path, r->lineno + 1, r->offset, (long long)gzoffset(r->gz), what);
	err_hint("the file is damaged: ask for it again (devexctl(8), REPORTING BUGS)");
	return -EBADMSG;
}

static int append(struct reader *r, const char *p, size_t n)
{
	if (r->len + n > RECORD_MAX_LINE)
		return bad(r, "a line longer than the format allows (64 MiB)");
	if (r->len + n + 1 > r->cap) {
		size_t ncap = r->cap ? r->cap : 65536;
		char *nl;

		while (ncap < r->len + n + 1)
			ncap *= 2;
		nl = realloc(r->line, ncap);
		if (!nl)
			return err_set(-ENOMEM, "%s: line %lu", r->path, r->lineno + 1);
		r->line = nl;
		r->cap = ncap;
	}
	memcpy(r->line + r->len, p, n);
	r->len += n;
	return 0;
}

static int finish_line(struct reader *r, struct rec_model *m)
{
	char why[400];
	int err = rec_model_line(m, r->line, r->len, why, sizeof(why));

	if (err == -EBADMSG)
		return bad(r, why);
	if (err)
		return err;
	r->offset += r->len + 1;
	r->lineno++;
	r->len = 0;
	return 0;
}

/* Split @n bytes of data into lines. */
static int feed(struct reader *r, struct rec_model *m, const char *buf, size_t n)
{
	while (n) {
		const char *nl = memchr(buf, '\n', n);
		size_t k = nl ? (size_t)(nl - buf) : n;
		int err = append(r, buf, k);

		if (err)
			return err;
		if (!nl)
			return 0;
		err = finish_line(r, m);
		if (err)
			return err;
		buf += k + 1;
		n -= k + 1;
	}
	return 0;
}

int rec_read_file(const char *path, struct rec_model *m, bool *incomplete)
{
	struct reader r = { .path = path };
	/* Small reads: a damaged block loses only what follows the last line fed. */
	static char buf[4096];
	int err = 0, n, zerr = Z_OK;
	const char *zmsg = NULL;

	*incomplete = false;
	r.gz = gzopen(path, "rbe");
	if (!r.gz)
		return err_set(errno ? -errno : -ENOMEM, "%s", path);
	while ((n = gzread(r.gz, buf, sizeof(buf))) > 0)
		if ((err = feed(&r, m, buf, (size_t)n)))
			goto out;
	/*
	 * Z_BUF_ERROR: the stream stopped short ("unexpected end of file"),
	 * after gzread() handed over what it could; anything else is damage
	 * (a bad deflate block, a wrong CRC) or an I/O error.
	 */
	zmsg = gzerror(r.gz, &zerr);
	if (n < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR)) {
		char what[160];

		/* zlib's message starts with the path, which the error already names. */
		if (strncmp(zmsg, path, strlen(path)) == 0 && zmsg[strlen(path)] == ':')
			zmsg += strlen(path) + 2;
		snprintf(what, sizeof(what), "corrupt compressed data (%s)", zmsg);
		err = bad(&r, what);
		goto out;
	}
	if (r.len) {
		err = bad(&r, zerr == Z_BUF_ERROR ?
			  "the file ends inside this line (truncated)" :
			  "the last line has no newline (truncated)");
		goto out;
	}
	if (r.lineno == 0) {
		err = bad(&r, zerr == Z_BUF_ERROR ?
			  "the file ends before its first line (truncated)" :
			  "an empty file: no header");
		goto out;
	}
	/* Every line is there, but gzip's own end (CRC, size) was cut off. */
	if (zerr == Z_BUF_ERROR && rec_model_complete(m)) {
		err = bad(&r, "the file ends early: the end of the gzip stream is missing "
			  "(truncated)");
		goto out;
	}
	*incomplete = !rec_model_complete(m);
out:
	gzclose(r.gz);
	free(r.line);
	return err;
}

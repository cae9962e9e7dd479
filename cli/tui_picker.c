// SPDX-License-Identifier: GPL-2.0-or-later
/* The tui process picker: every readable process, counted incrementally. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "records.h"
#include "tui_picker.h"

void tui_read_comm(const char *root, pid_t pid, char *buf, size_t len)
{
	char path[PATH_MAX], text[512];
	char *p;

	snprintf(path, sizeof(path), "%s/%d/comm", root, (int)pid);
	if (read_small_file(path, text, sizeof(text)) > 0) {
		text[strcspn(text, "\n")] = '\0';
		snprintf(buf, len, "%s", text);
		return;
	}
	/* Snapshots keep status, not comm: its Name: line. */
	snprintf(path, sizeof(path), "%s/%d/status", root, (int)pid);
	if (read_small_file(path, text, sizeof(text)) > 0 && (p = strstr(text, "Name:"))) {
		p += 5;
		p += strspn(p, " \t");
		p[strcspn(p, "\n")] = '\0';
		snprintf(buf, len, "%s", p);
		return;
	}
	snprintf(buf, len, "?");
}

int tui_picker_load(struct tui_picker *pk, const char *root)
{
	struct dirent *d;
	DIR *dir;

	tui_picker_free(pk);
	snprintf(pk->root, sizeof(pk->root), "%s", root);
	dir = opendir(root);
	if (!dir)
		return err_set(-errno, "cannot list %s", root);
	while ((d = readdir(dir)) != NULL) {
		struct tui_proc *np;
		char *end;
		long v;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		v = strtol(d->d_name, &end, 10);
		if (*end || v <= 0)
			continue;
		if (pk->n == pk->cap) {
			size_t cap = pk->cap ? pk->cap * 2 : 256;

			np = realloc(pk->p, cap * sizeof(*np));
			if (!np) {
				closedir(dir);
				return -ENOMEM;
			}
			pk->p = np;
			pk->cap = cap;
		}
		np = &pk->p[pk->n++];
		memset(np, 0, sizeof(*np));
		np->pid = (pid_t)v;
		np->subs = -1;
		tui_read_comm(root, np->pid, np->comm, sizeof(np->comm));
	}
	closedir(dir);
	tui_picker_sort(pk);
	return 0;
}

static int count_sub(void *ctx, char *line)
{
	struct dx_sub s;
	int rc = rec_sub_parse(line, &s);

	if (rc > 0)
		(*(int *)ctx)++;
	return rc < 0 ? rc : 0;
}

/* The subscribers of @pr's mm (open as pk->t), the lines 'notifiers' reads. */
static void count_subs(struct tui_picker *pk, struct tui_proc *pr)
{
	char req[16];

	pr->subs = 0;
	snprintf(req, sizeof(req), "%d", (int)pr->pid);
	if (pk->t.ops->kernel_read(&pk->t, "notifiers", req, count_sub, &pr->subs)) {
		err_clear();
		pr->subs = -1;
	}
}

static void close_cur(struct tui_picker *pk)
{
	if (pk->open) {
		target_close(&pk->t);
		tui_vmas_free(&pk->vl);
		pk->open = false;
	}
}

void tui_picker_free(struct tui_picker *pk)
{
	close_cur(pk);
	free(pk->p);
	pk->p = NULL;
	pk->n = pk->cap = pk->cur = pk->sel = pk->top = 0;
	pk->done = false;
}

/* The next process not yet counted, in pid order (sorting moves rows). */
static struct tui_proc *next_uncounted(struct tui_picker *pk)
{
	struct tui_proc *best = NULL;

	for (size_t i = 0; i < pk->n; i++)
		if (!pk->p[i].counted && !pk->p[i].unreadable && (!best || pk->p[i].pid < best->pid))
			best = &pk->p[i];
	return best;
}

static struct tui_proc *find_pid(struct tui_picker *pk, pid_t pid)
{
	for (size_t i = 0; i < pk->n; i++)
		if (pk->p[i].pid == pid)
			return &pk->p[i];
	return NULL;
}

int tui_picker_step(struct tui_picker *pk, uint64_t max_pages)
{
	while (max_pages && !pk->done) {
		struct tui_proc *pr;
		int rc;

		if (!pk->open) {
			pr = next_uncounted(pk);
			if (!pr) {
				pk->done = true;
				break;
			}
			pk->cur = (size_t)pr->pid;
			if (target_open(&pk->t, pk->root, pk->debugfs, pr->pid) || tui_vmas_load(&pk->t, &pk->vl)) {
				target_close(&pk->t);
				tui_vmas_free(&pk->vl);
				err_clear();
				pr->unreadable = true;	/* kernel threads, no ptrace right, gone */
				continue;
			}
			memset(&pk->c, 0, sizeof(pk->c));
			pk->open = true;
		}
		pr = find_pid(pk, (pid_t)pk->cur);
		rc = tui_count_step(&pk->t, &pk->vl, &pk->c, max_pages);
		max_pages = max_pages > 65536 ? max_pages - 65536 : 0;
		if (rc == 0)
			continue;
		if (pr && rc == 1) {
			memset(pr->counts, 0, sizeof(pr->counts));
			for (size_t i = 0; i < pk->vl.n; i++)
				for (int s = 0; s < PS_NR; s++)
					pr->counts[s] += pk->vl.v[i].counts[s];
			pr->counted = true;
			if (pk->debugfs)
				count_subs(pk, pr);
		} else if (pr) {
			pr->unreadable = true;
		}
		err_clear();
		close_cur(pk);
		tui_picker_sort(pk);
	}
	return pk->done ? 1 : 0;
}

static int cmp_proc(const void *pa, const void *pb)
{
	const struct tui_proc *a = pa, *b = pb;
	static const int keys[] = { PS_DEVICE_EXCLUSIVE, PS_SWAP_LIKE, -1, PS_DEVICE_PRIVATE,
				    PS_MIGRATION };	/* -1: subscribers */

	if (a->unreadable != b->unreadable)
		return a->unreadable ? 1 : -1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int64_t va = keys[i] < 0 ? a->subs : (int64_t)a->counts[keys[i]];
		int64_t vb = keys[i] < 0 ? b->subs : (int64_t)b->counts[keys[i]];

		if (va != vb)
			return va > vb ? -1 : 1;
	}
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

static bool proc_matches(const struct tui_proc *p, const char *text)
{
	char pid[16];

	if (!text[0])
		return true;
	snprintf(pid, sizeof(pid), "%d", (int)p->pid);
	return strcasestr(p->comm, text) || strstr(pid, text);
}

size_t tui_picker_rows(const struct tui_picker *pk)
{
	size_t n = 0;

	for (size_t i = 0; i < pk->n; i++)
		n += proc_matches(&pk->p[i], pk->filter);
	return n;
}

const struct tui_proc *tui_picker_row(const struct tui_picker *pk, size_t row)
{
	for (size_t i = 0; i < pk->n; i++)
		if (proc_matches(&pk->p[i], pk->filter) && row-- == 0)
			return &pk->p[i];
	return NULL;
}

void tui_picker_sort(struct tui_picker *pk)
{
	size_t rows;

	qsort(pk->p, pk->n, sizeof(*pk->p), cmp_proc);
	rows = tui_picker_rows(pk);
	if (!pk->sel_pid) {	/* the user chose nothing yet: stay on the top row */
		pk->sel = 0;
		return;
	}
	for (size_t r = 0; r < rows; r++)
		if (tui_picker_row(pk, r)->pid == pk->sel_pid) {
			pk->sel = r;
			return;
		}
	if (pk->sel >= rows)
		pk->sel = rows ? rows - 1 : 0;
}

void tui_picker_move(struct tui_picker *pk, long delta)
{
	size_t rows = tui_picker_rows(pk);
	long r = (long)pk->sel + delta;

	if (!rows)
		return;
	if (r < 0)
		r = 0;
	if ((size_t)r >= rows)
		r = (long)rows - 1;
	pk->sel = (size_t)r;
	pk->sel_pid = tui_picker_row(pk, pk->sel)->pid;
}

void tui_picker_scroll(struct tui_picker *pk, size_t rows)
{
	pk->top = tui_scroll(pk->top, pk->sel, rows, tui_picker_rows(pk));
}

bool tui_picker_search(struct tui_picker *pk, const char *text, bool next)
{
	size_t rows = tui_picker_rows(pk);

	for (size_t i = 0; i < rows; i++) {
		size_t r = (pk->sel + i + (next ? 1 : 0)) % rows;

		if (proc_matches(tui_picker_row(pk, r), text)) {
			pk->sel = r;
			pk->sel_pid = tui_picker_row(pk, r)->pid;
			return true;
		}
	}
	return false;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A recording's page states at a time cursor (replay.h): the start runs,
 * a table of the 2 MiB chunks events touched, the VMAs' counts kept as
 * events apply, and per event the state its pages had before it (for
 * stepping back).  Addresses are page numbers inside.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

#define CHUNK_SHIFT 9
#define CHUNK_PAGES (1ULL << CHUNK_SHIFT)
#define MIXED 0xff		/* a chunk's pages differ: its bytes hold each */
#define UNSET 0xfe		/* undo[]: the event was never applied */
/* Bounds: a recording that scatters events wider than this is refused. */
#define MAX_CHUNKS (1u << 20)	/* table entries: 2 TiB changed */
#define MAX_BYTE_CHUNKS (1u << 17)	/* 64 MiB of per-page bytes */

struct chunk {
	uint64_t key;		/* chunk number + 1; 0: a free slot */
	uint8_t state;		/* every page's, or MIXED */
	uint8_t *bytes;		/* MIXED: CHUNK_PAGES states */
};

struct prun {
	uint64_t p0, p1;
	uint8_t state;
};

struct pvma {
	uint64_t p0, p1;
	size_t mi;		/* the model's index */
};

struct replay {
	const struct rec_model *m;
	uint64_t psz, start_ns, end_ns, cur_ns;
	struct prun *runs;	/* the start runs, sorted, disjoint */
	size_t nruns;
	struct pvma *vmas;	/* sorted by start */
	uint64_t *pmax;		/* pmax[i]: the highest end of vmas[0..i] */
	size_t nvmas;
	uint64_t (*counts)[PS_NR], (*counts0)[PS_NR];	/* by model index */
	uint8_t *undo;		/* per event: its pages' state before it, MIXED, PS_NR: none */
	size_t pos;
	struct chunk *tab;
	size_t cap, nchunks, nbytes;
};

typedef void (*emit_fn)(void *ctx, uint64_t p, uint64_t n, int state);

static int cmp_run(const void *a, const void *b)
{
	const struct prun *x = a, *y = b;

	return x->p0 < y->p0 ? -1 : x->p0 > y->p0;
}

static int cmp_vma(const void *a, const void *b)
{
	const struct pvma *x = a, *y = b;

	return x->p0 < y->p0 ? -1 : x->p0 > y->p0 ? 1 : x->p1 < y->p1 ? -1 : x->p1 > y->p1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/* The start runs over [p0, p1), the gaps between them present. */
static void start_emit(const struct replay *rp, uint64_t p0, uint64_t p1, emit_fn emit, void *ctx)
{
	size_t lo = 0, hi = rp->nruns;

	while (lo < hi) {	/* the first run ending after p0 */
		size_t mid = lo + (hi - lo) / 2;

		if (rp->runs[mid].p1 <= p0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; p0 < p1 && lo < rp->nruns && rp->runs[lo].p0 < p1; lo++) {
		const struct prun *r = &rp->runs[lo];

		if (r->p0 > p0) {
			emit(ctx, p0, r->p0 - p0, PS_PRESENT);
			p0 = r->p0;
		}
		emit(ctx, p0, (r->p1 < p1 ? r->p1 : p1) - p0, r->state);
		p0 = r->p1 < p1 ? r->p1 : p1;
	}
	if (p0 < p1)
		emit(ctx, p0, p1 - p0, PS_PRESENT);
}

static uint64_t hash(uint64_t key, size_t cap)
{
	return key * 0x9e3779b97f4a7c15ULL >> 20 & (cap - 1);
}

static struct chunk *chunk_find(const struct replay *rp, uint64_t c)
{
	if (!rp->cap)
		return NULL;
	for (uint64_t h = hash(c + 1, rp->cap); rp->tab[h].key; h = (h + 1) & (rp->cap - 1))
		if (rp->tab[h].key == c + 1)
			return &rp->tab[h];
	return NULL;
}

static void fill_start(void *ctx, uint64_t p, uint64_t n, int state)
{
	uint8_t *bytes = ctx;

	memset(bytes + (p & (CHUNK_PAGES - 1)), state, n);
}

/*
 * Chunk @c, added when absent: all @state, or (MIXED) its pages as the
 * start runs have them.  NULL: *@err.
 */
static struct chunk *chunk_get(struct replay *rp, uint64_t c, int state, int *err)
{
	struct chunk *ch = chunk_find(rp, c);
	uint8_t *bytes = NULL;
	uint64_t h;

	if (ch)
		return ch;
	if (rp->nchunks >= MAX_CHUNKS || (state == MIXED && rp->nbytes >= MAX_BYTE_CHUNKS)) {
		*err = -ENOSPC;
		return NULL;
	}
	if (2 * (rp->nchunks + 1) > rp->cap) {
		size_t ncap = rp->cap ? rp->cap * 2 : 256;
		struct chunk *nt = calloc(ncap, sizeof(*nt));

		if (!nt) {
			*err = -ENOMEM;
			return NULL;
		}
		for (size_t i = 0; i < rp->cap; i++) {
			if (!rp->tab[i].key)
				continue;
			for (h = hash(rp->tab[i].key, ncap); nt[h].key; h = (h + 1) & (ncap - 1))
				;
			nt[h] = rp->tab[i];
		}
		free(rp->tab);
		rp->tab = nt;
		rp->cap = ncap;
	}
	if (state == MIXED) {
		if (!(bytes = malloc(CHUNK_PAGES))) {
			*err = -ENOMEM;
			return NULL;
		}
		start_emit(rp, c << CHUNK_SHIFT, (c + 1) << CHUNK_SHIFT, fill_start, bytes);
		rp->nbytes++;
	}
	for (h = hash(c + 1, rp->cap); rp->tab[h].key; h = (h + 1) & (rp->cap - 1))
		;
	ch = &rp->tab[h];
	*ch = (struct chunk){ .key = c + 1, .state = (uint8_t)state, .bytes = bytes };
	rp->nchunks++;
	return ch;
}

/* The pages [p0, p1) of chunk @ch (NULL: absent), in runs. */
static void chunk_emit(const struct replay *rp, const struct chunk *ch, uint64_t p0, uint64_t p1,
		       emit_fn emit, void *ctx)
{
	const uint8_t *b;
	uint64_t base, i, j;

	if (!ch) {
		start_emit(rp, p0, p1, emit, ctx);
		return;
	}
	if (ch->state != MIXED) {
		emit(ctx, p0, p1 - p0, ch->state);
		return;
	}
	base = (ch->key - 1) << CHUNK_SHIFT;
	b = ch->bytes;
	for (i = p0 - base; i < p1 - base; i = j) {
		for (j = i + 1; j < p1 - base && b[j] == b[i]; j++)
			;
		emit(ctx, base + i, j - i, b[i]);
	}
}

/* Every page of [p0, p1) in runs, address order (p0 < p1). */
static void range_emit(const struct replay *rp, uint64_t p0, uint64_t p1, emit_fn emit, void *ctx)
{
	uint64_t c0 = p0 >> CHUNK_SHIFT, c1 = ((p1 - 1) >> CHUNK_SHIFT) + 1, *keys, p = p0;
	size_t n = 0;

	if (c1 - c0 <= 2 * rp->nchunks + 16 || !(keys = malloc(rp->nchunks * sizeof(*keys) + 1))) {
		for (uint64_t c = c0; c < c1; c++) {
			uint64_t a = c == c0 ? p0 : c << CHUNK_SHIFT;
			uint64_t b = c + 1 == c1 ? p1 : (c + 1) << CHUNK_SHIFT;

			chunk_emit(rp, chunk_find(rp, c), a, b, emit, ctx);
		}
		return;
	}
	/* A wide range and few chunks: the chunks in it, sorted, and the start runs between. */
	for (size_t i = 0; i < rp->cap; i++)
		if (rp->tab[i].key && rp->tab[i].key - 1 >= c0 && rp->tab[i].key - 1 < c1)
			keys[n++] = rp->tab[i].key - 1;
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		uint64_t a = keys[i] << CHUNK_SHIFT, b = (keys[i] + 1) << CHUNK_SHIFT;

		if (a < p0)
			a = p0;
		if (b > p1)
			b = p1;
		if (p < a)
			start_emit(rp, p, a, emit, ctx);
		chunk_emit(rp, chunk_find(rp, keys[i]), a, b, emit, ctx);
		p = b;
	}
	if (p < p1)
		start_emit(rp, p, p1, emit, ctx);
	free(keys);
}

/* Pages [p0, p1) to @state. */
static int range_set(struct replay *rp, uint64_t p0, uint64_t p1, int state)
{
	for (uint64_t c = p0 >> CHUNK_SHIFT; p0 < p1; c++) {
		uint64_t end = (c + 1) << CHUNK_SHIFT, b = p1 < end ? p1 : end;
		struct chunk *ch;
		int err = 0;

		if (p0 == c << CHUNK_SHIFT && b == end) {	/* the whole chunk: one state */
			if (!(ch = chunk_get(rp, c, state, &err)))
				return err;
			if (ch->bytes) {
				free(ch->bytes);
				ch->bytes = NULL;
				rp->nbytes--;
			}
			ch->state = (uint8_t)state;
		} else {
			if (!(ch = chunk_get(rp, c, MIXED, &err)))
				return err;
			if (ch->state != MIXED) {
				if (rp->nbytes >= MAX_BYTE_CHUNKS)
					return -ENOSPC;
				if (!(ch->bytes = malloc(CHUNK_PAGES)))
					return -ENOMEM;
				rp->nbytes++;
				memset(ch->bytes, ch->state, CHUNK_PAGES);
				ch->state = MIXED;
			}
			memset(ch->bytes + (p0 & (CHUNK_PAGES - 1)), state, b - p0);
		}
		p0 = b;
	}
	return 0;
}

static void add_hist(void *ctx, uint64_t p, uint64_t n, int state)
{
	((uint64_t *)ctx)[state] += n;
}

static void table_clear(struct replay *rp)
{
	for (size_t i = 0; i < rp->cap; i++)
		free(rp->tab[i].bytes);
	free(rp->tab);
	rp->tab = NULL;
	rp->cap = rp->nchunks = rp->nbytes = 0;
}

/* Back to the start snapshot. */
static void reset(struct replay *rp)
{
	table_clear(rp);
	memcpy(rp->counts, rp->counts0, rp->m->nvmas * sizeof(*rp->counts));
	rp->pos = 0;
}

/*
 * The pages of @e inside the VMAs to @state, their VMAs' counts with them;
 * *@prior: the one state they all had, MIXED, or PS_NR (no page).
 */
static int apply(struct replay *rp, const struct rm_event *e, int state, uint8_t *prior)
{
	uint64_t p0 = e->addr / rp->psz, p1 = sat_add(p0, e->pages);
	size_t lo = 0, hi = rp->nvmas;
	int pass, err;

	*prior = PS_NR;
	if (state >= PS_NR || p1 <= p0)
		return 0;
	while (lo < hi) {	/* the first VMA starting at or after p1 */
		size_t mid = lo + (hi - lo) / 2;

		if (rp->vmas[mid].p0 < p1)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* First every VMA's count (VMAs of both snapshots may overlap), then the pages. */
	for (pass = 0; pass < 2; pass++) {
		for (size_t j = lo; j-- > 0 && rp->pmax[j] > p0;) {
			const struct pvma *v = &rp->vmas[j];
			uint64_t a = v->p0 > p0 ? v->p0 : p0, b = v->p1 < p1 ? v->p1 : p1;
			uint64_t h[PS_NR] = { 0 };

			if (a >= b)
				continue;
			if (pass) {
				if ((err = range_set(rp, a, b, state)))
					return err;
				continue;
			}
			range_emit(rp, a, b, add_hist, h);
			for (int s = 0; s < PS_NR; s++) {
				rp->counts[v->mi][s] -= h[s];
				if (h[s] && *prior == PS_NR)
					*prior = (uint8_t)s;
				else if (h[s] && *prior != s)
					*prior = MIXED;
			}
			rp->counts[v->mi][state] += b - a;
		}
	}
	return 0;
}

/* The state after the first @n events. */
static int go_to(struct replay *rp, size_t n)
{
	const struct rm_event *tl = rp->m->tl;
	uint8_t prior;
	int err;

	while (rp->pos > n) {
		uint8_t u = rp->undo[rp->pos - 1];

		if (u == MIXED || u == UNSET) {
			reset(rp);	/* then forward below */
			break;
		}
		if ((err = apply(rp, &tl[rp->pos - 1], u, &prior)))
			return err;
		rp->pos--;
	}
	while (rp->pos < n) {
		if ((err = apply(rp, &tl[rp->pos], tl[rp->pos].to, &prior)))
			return err;
		rp->undo[rp->pos++] = prior;
	}
	return 0;
}

static int seek(struct replay *rp, size_t n, uint64_t ns)
{
	int err = go_to(rp, n);

	if (err) {
		reset(rp);	/* a half-applied event leaves no consistent state */
		rp->cur_ns = rp->start_ns;
		return err;
	}
	rp->cur_ns = ns < rp->start_ns ? rp->start_ns : ns > rp->end_ns ? rp->end_ns : ns;
	return 0;
}

int replay_seek_event(struct replay *rp, size_t n)
{
	if (n > rp->m->ntl)
		n = rp->m->ntl;
	return seek(rp, n, n ? rp->m->tl[n - 1].ts_ns : rp->start_ns);
}

int replay_seek_time(struct replay *rp, uint64_t ns)
{
	const struct rm_event *tl = rp->m->tl;
	size_t n = rp->pos;

	if (ns < rp->start_ns)
		ns = rp->start_ns;
	if (ns > rp->end_ns)
		ns = rp->end_ns;
	while (n < rp->m->ntl && tl[n].ts_ns <= ns)
		n++;
	while (n > 0 && tl[n - 1].ts_ns > ns)
		n--;
	return seek(rp, n, ns);
}

int replay_open(struct replay **rpp, const struct rec_model *m)
{
	struct replay *rp = calloc(1, sizeof(*rp));
	size_t nv = m->nvmas ? m->nvmas : 1, n;

	*rpp = NULL;
	if (!rp)
		return -ENOMEM;
	rp->m = m;
	rp->psz = m->page_size ? m->page_size : 4096;
	rp->start_ns = m->start_ns;
	rp->end_ns = m->have_end && m->end_ns > m->last_ns ? m->end_ns : m->last_ns;
	for (size_t i = 0; i < m->ntl; i++)	/* every event is before the end */
		if (m->tl[i].ts_ns > rp->end_ns)
			rp->end_ns = m->tl[i].ts_ns;
	if (rp->end_ns < rp->start_ns)
		rp->end_ns = rp->start_ns;
	rp->cur_ns = rp->start_ns;
	rp->runs = calloc(m->nruns ? m->nruns : 1, sizeof(*rp->runs));
	rp->vmas = calloc(nv, sizeof(*rp->vmas));
	rp->pmax = calloc(nv, sizeof(*rp->pmax));
	rp->counts = calloc(nv, sizeof(*rp->counts));
	rp->counts0 = calloc(nv, sizeof(*rp->counts0));
	rp->undo = malloc(m->ntl ? m->ntl : 1);
	if (!rp->runs || !rp->vmas || !rp->pmax || !rp->counts || !rp->counts0 || !rp->undo) {
		replay_free(rp);
		return -ENOMEM;
	}
	memset(rp->undo, UNSET, m->ntl);
	/* The start runs, sorted and made disjoint (a hand-made file may overlap them). */
	for (size_t i = 0; i < m->nruns; i++) {
		uint64_t p0 = m->runs[i].addr / rp->psz;

		rp->runs[rp->nruns++] = (struct prun){ .p0 = p0, .p1 = sat_add(p0, m->runs[i].pages),
						       .state = m->runs[i].state };
	}
	qsort(rp->runs, rp->nruns, sizeof(*rp->runs), cmp_run);
	n = 0;
	for (size_t i = 0; i < rp->nruns; i++) {
		struct prun r = rp->runs[i];

		if (n && r.p0 < rp->runs[n - 1].p1)
			r.p0 = rp->runs[n - 1].p1;
		if (r.p0 < r.p1 && r.state < PS_NR)
			rp->runs[n++] = r;
	}
	rp->nruns = n;
	for (size_t i = 0; i < m->nvmas; i++) {
		uint64_t p0 = m->vmas[i].start / rp->psz;

		rp->vmas[i] = (struct pvma){ .p0 = p0,
			.p1 = p0 + (m->vmas[i].end - m->vmas[i].start) / rp->psz, .mi = i };
		if (rp->vmas[i].p1 > rp->vmas[i].p0)
			range_emit(rp, rp->vmas[i].p0, rp->vmas[i].p1, add_hist,
				   rp->counts0[i]);
	}
	rp->nvmas = m->nvmas;
	qsort(rp->vmas, rp->nvmas, sizeof(*rp->vmas), cmp_vma);
	for (size_t i = 0; i < rp->nvmas; i++)
		rp->pmax[i] = i && rp->pmax[i - 1] > rp->vmas[i].p1 ? rp->pmax[i - 1] : rp->vmas[i].p1;
	memcpy(rp->counts, rp->counts0, nv * sizeof(*rp->counts));
	*rpp = rp;
	return 0;
}

void replay_free(struct replay *rp)
{
	if (!rp)
		return;
	table_clear(rp);
	free(rp->runs);
	free(rp->vmas);
	free(rp->pmax);
	free(rp->counts);
	free(rp->counts0);
	free(rp->undo);
	free(rp);
}

uint64_t replay_start_ns(const struct replay *rp)
{
	return rp->start_ns;
}

uint64_t replay_end_ns(const struct replay *rp)
{
	return rp->end_ns;
}

size_t replay_events(const struct replay *rp)
{
	return rp->m->ntl;
}

size_t replay_pos(const struct replay *rp)
{
	return rp->pos;
}

uint64_t replay_cursor_ns(const struct replay *rp)
{
	return rp->cur_ns;
}

const uint64_t *replay_vma_counts(const struct replay *rp, size_t vi)
{
	return rp->counts[vi];
}

static void one_state(void *ctx, uint64_t p, uint64_t n, int state)
{
	*(int *)ctx = state;
}

int replay_page_state(const struct replay *rp, uint64_t addr)
{
	uint64_t p = addr / rp->psz;
	int state = PS_PRESENT;

	chunk_emit(rp, chunk_find(rp, p >> CHUNK_SHIFT), p, p + 1, one_state, &state);
	return state;
}

struct addr_ctx {
	uint64_t psz;
	replay_emit_fn emit;
	void *ctx;
};

static void to_addr(void *ctx, uint64_t p, uint64_t n, int state)
{
	struct addr_ctx *a = ctx;

	a->emit(a->ctx, p * a->psz, n, state);
}

void replay_runs(const struct replay *rp, uint64_t start, uint64_t end, replay_emit_fn emit,
		 void *ctx)
{
	struct addr_ctx a = { .psz = rp->psz, .emit = emit, .ctx = ctx };
	uint64_t p0 = start / rp->psz, p1 = end / rp->psz;

	if (p0 < p1)
		range_emit(rp, p0, p1, to_addr, &a);
}

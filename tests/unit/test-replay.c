// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the replay of a recording (cli/replay.c) over models made
 * here: one fed line by line to the recording parser, with known events at
 * known times (counts and page states after each, back and forth, by event
 * and by time, an event outside the VMAs, a notifier, a change across a
 * chunk boundary, one whose pages had several states, a VMA only the end
 * snapshot has), and a large one (100k events over a million pages)
 * checked against a page-by-page simulation.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "record.h"
#include "record_model.h"
#include "replay.h"

#define PSZ 4096ULL

static const char *const lines[] = {
	"{\"type\":\"header\",\"format\":\"devexctl-record\",\"version\":1,\"pid\":4242,"
	"\"comm\":\"victim\",\"page_size\":4096,\"source\":\"tracepoints\",\"start_mono_ns\":1000}",
	"{\"type\":\"snapshot\",\"when\":\"start\",\"timestamp_ns\":1000,"
	"\"vmas\":[{\"start\":\"0x10000000\",\"end\":\"0x10010000\",\"perms\":\"rw-p\",\"name\":\"\"},"
	"{\"start\":\"0x20000000\",\"end\":\"0x20400000\",\"perms\":\"rw-p\",\"name\":\"big\"}],"
	"\"runs\":[{\"addr\":\"0x10000000\",\"pages\":8,\"state\":\"none\"},"
	"{\"addr\":\"0x1000e000\",\"pages\":2,\"state\":\"device-exclusive\"},"
	"{\"addr\":\"0x20000000\",\"pages\":1024,\"state\":\"none\"}]}",
	"{\"type\":\"set\",\"timestamp_ns\":2000,\"source\":\"tracefs\",\"addr\":\"0x10008000\"}",
	"{\"type\":\"restore\",\"timestamp_ns\":3000,\"source\":\"tracefs\",\"addr\":\"0x1000e000\","
	"\"reason\":\"fault\"}",
	"{\"type\":\"change\",\"timestamp_ns\":4000,\"source\":\"poll\",\"addr\":\"0x10000000\","
	"\"pages\":10,\"from\":\"none\",\"to\":\"present\"}",
	"{\"type\":\"range_start\",\"timestamp_ns\":5000,\"source\":\"tracefs\","
	"\"start\":\"0x20000000\",\"end\":\"0x20001000\"}",
	"{\"type\":\"change\",\"timestamp_ns\":6000,\"source\":\"poll\",\"addr\":\"0x20000000\","
	"\"pages\":1024,\"from\":\"none\",\"to\":\"present\"}",
	"{\"type\":\"remove\",\"timestamp_ns\":7000,\"source\":\"tracefs\",\"addr\":\"0x30000000\"}",
	"{\"type\":\"change\",\"timestamp_ns\":8000,\"source\":\"poll\",\"addr\":\"0x201ff000\","
	"\"pages\":2,\"from\":\"present\",\"to\":\"swap\"}",
	"{\"type\":\"snapshot\",\"when\":\"end\",\"timestamp_ns\":9000,"
	"\"vmas\":[{\"start\":\"0x10000000\",\"end\":\"0x10010000\",\"perms\":\"rw-p\",\"name\":\"\"},"
	"{\"start\":\"0x40000000\",\"end\":\"0x40002000\",\"perms\":\"rw-p\",\"name\":\"late\"}],"
	"\"runs\":[]}",
	"{\"type\":\"trailer\",\"stopped\":\"duration\",\"events\":7}",
};

/* VMA @vi's counts: none, present, swap, device-exclusive. */
static void want_counts(const struct replay *rp, size_t vi, uint64_t none, uint64_t present,
			uint64_t swap, uint64_t dexcl, const char *what)
{
	const uint64_t *c = replay_vma_counts(rp, vi);
	char w[160];

	snprintf(w, sizeof(w), "%s: VMA %zu", what, vi);
	CHECK_U64(c[PS_NONE], none, w);
	CHECK_U64(c[PS_PRESENT], present, w);
	CHECK_U64(c[PS_SWAP], swap, w);
	CHECK_U64(c[PS_DEVICE_EXCLUSIVE], dexcl, w);
}

struct collect {
	uint64_t base;
	uint8_t *st;
	size_t n;
	uint64_t last;	/* address order */
	bool ordered;
};

static void collect(void *ctx, uint64_t addr, uint64_t pages, int state)
{
	struct collect *c = ctx;

	if (addr < c->last)
		c->ordered = false;
	c->last = addr + pages * PSZ;
	for (uint64_t i = 0; i < pages; i++)
		if ((addr - c->base) / PSZ + i < c->n)
			c->st[(addr - c->base) / PSZ + i] = (uint8_t)state;
}

static void small(void)
{
	struct rec_model *m = rec_model_new();
	struct replay *rp;
	char why[200];
	uint8_t st[1024];
	struct collect c = { .base = 0x20000000, .st = st, .n = 1024, .ordered = true };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int err = rec_model_line(m, lines[i], strlen(lines[i]), why, sizeof(why));

		CHECK_INT(err, 0, why);
	}
	CHECK_U64(m->ntl, 7, "events on the timeline");
	CHECK_U64(m->nvmas, 3, "the VMAs of both snapshots");
	CHECK_INT(replay_open(&rp, m), 0, "open");
	CHECK_U64(replay_events(rp), 7, "events");
	CHECK_U64(replay_start_ns(rp), 1000, "start");
	CHECK_U64(replay_end_ns(rp), 9000, "end");
	CHECK_U64(replay_pos(rp), 0, "at the start");
	CHECK_U64(replay_cursor_ns(rp), 1000, "cursor at the start");

	want_counts(rp, 0, 8, 6, 0, 2, "start");
	want_counts(rp, 1, 1024, 0, 0, 0, "start");
	want_counts(rp, 2, 0, 2, 0, 0, "start: a VMA of the end snapshot is present");
	CHECK_INT(replay_page_state(rp, 0x10008000), PS_PRESENT, "start: page 8");
	CHECK_INT(replay_page_state(rp, 0x1000f000), PS_DEVICE_EXCLUSIVE, "start: page 15");

	CHECK_INT(replay_seek_event(rp, 1), 0, "step 1");
	CHECK_U64(replay_cursor_ns(rp), 2000, "cursor at the first event");
	want_counts(rp, 0, 8, 5, 0, 3, "1: a conversion");
	CHECK_INT(replay_page_state(rp, 0x10008000), PS_DEVICE_EXCLUSIVE, "1: page 8");
	CHECK_INT(replay_seek_event(rp, 2), 0, "step 2");
	want_counts(rp, 0, 8, 6, 0, 2, "2: a restore");
	CHECK_INT(replay_seek_event(rp, 3), 0, "step 3");
	want_counts(rp, 0, 0, 15, 0, 1, "3: a change over none, device-exclusive and present");
	CHECK_INT(replay_seek_event(rp, 4), 0, "step 4");
	want_counts(rp, 0, 0, 15, 0, 1, "4: a notifier changes no page");
	want_counts(rp, 1, 1024, 0, 0, 0, "4: a notifier changes no page");
	CHECK_INT(replay_seek_event(rp, 5), 0, "step 5");
	want_counts(rp, 1, 0, 1024, 0, 0, "5: two whole chunks");
	CHECK_INT(replay_seek_event(rp, 6), 0, "step 6");
	want_counts(rp, 0, 0, 15, 0, 1, "6: outside every VMA");
	CHECK_INT(replay_seek_event(rp, 7), 0, "step 7");
	want_counts(rp, 1, 0, 1022, 2, 0, "7: across a chunk boundary");
	CHECK_U64(replay_cursor_ns(rp), 8000, "cursor at the last event");
	replay_runs(rp, 0x20000000, 0x20400000, collect, &c);
	CHECK(c.ordered, "runs in address order");
	CHECK_INT(st[0], PS_PRESENT, "runs: page 0");
	CHECK_INT(st[510], PS_PRESENT, "runs: page 510");
	CHECK_INT(st[511], PS_SWAP, "runs: page 511");
	CHECK_INT(st[512], PS_SWAP, "runs: page 512");
	CHECK_INT(st[513], PS_PRESENT, "runs: page 513");
	CHECK_INT(st[1023], PS_PRESENT, "runs: page 1023");

	/* Back: a uniform event, then one whose pages had several states. */
	CHECK_INT(replay_seek_event(rp, 6), 0, "back to 6");
	want_counts(rp, 1, 0, 1024, 0, 0, "back to 6");
	CHECK_INT(replay_seek_event(rp, 2), 0, "back to 2");
	want_counts(rp, 0, 8, 6, 0, 2, "back to 2");
	want_counts(rp, 1, 1024, 0, 0, 0, "back to 2");
	CHECK_INT(replay_page_state(rp, 0x10008000), PS_DEVICE_EXCLUSIVE, "back to 2: page 8");
	CHECK_INT(replay_page_state(rp, 0x1000e000), PS_PRESENT, "back to 2: page 14");
	CHECK_INT(replay_seek_event(rp, 0), 0, "back to 0");
	want_counts(rp, 0, 8, 6, 0, 2, "back to 0");
	CHECK_INT(replay_page_state(rp, 0x10008000), PS_PRESENT, "back to 0: page 8");

	/* By time. */
	CHECK_INT(replay_seek_time(rp, 4500), 0, "time 4500");
	CHECK_U64(replay_pos(rp), 3, "time 4500: three events");
	CHECK_U64(replay_cursor_ns(rp), 4500, "time 4500");
	CHECK_INT(replay_seek_time(rp, 2999), 0, "time 2999");
	CHECK_U64(replay_pos(rp), 1, "time 2999: one event");
	CHECK_INT(replay_seek_time(rp, 0), 0, "time 0");
	CHECK_U64(replay_pos(rp), 0, "time 0: none");
	CHECK_U64(replay_cursor_ns(rp), 1000, "time 0: clamped to the start");
	CHECK_INT(replay_seek_time(rp, UINT64_MAX), 0, "time max");
	CHECK_U64(replay_pos(rp), 7, "time max: all");
	CHECK_U64(replay_cursor_ns(rp), 9000, "time max: clamped to the end");
	CHECK_INT(replay_seek_event(rp, 99), 0, "past the last event");
	CHECK_U64(replay_pos(rp), 7, "past the last event: clamped");
	replay_free(rp);
	rec_model_free(m);
}

/* 100k events over a million pages against a page-by-page simulation. */
static void large(void)
{
	const uint64_t base = 0x7f0000000000ULL, npages = 1 << 20;
	const size_t nev = 100000, checks[] = { 0, 1, 777, 50000, 99999, 100000, 31337, 2 };
	struct rec_model *m = rec_model_new();
	uint8_t *sim = malloc(npages), *got = malloc(npages);
	uint8_t *at = NULL;
	uint64_t x = 12345;
	struct replay *rp;

	m->page_size = PSZ;
	m->start_ns = 1;
	m->last_ns = nev + 1;
	m->nvmas = m->vcap = 1;
	m->vmas = calloc(1, sizeof(*m->vmas));
	m->vmas[0] = (struct rm_vma){ .start = base, .end = base + npages * PSZ };
	m->nruns = m->rcap = 1;
	m->runs = calloc(1, sizeof(*m->runs));
	m->runs[0] = (struct rec_run){ .addr = base + 4096 * PSZ, .pages = 65536, .state = PS_NONE };
	m->ntl = m->tlcap = nev;
	m->tl = calloc(nev, sizeof(*m->tl));
	for (size_t i = 0; i < nev; i++) {
		uint64_t page, pages;
		int to;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		page = (x >> 20) % npages;
		pages = i % 97 == 0 ? (x >> 8) % 3000 + 1 : 1;	/* some long runs */
		to = (int)((x >> 40) % 4);
		to = to == 0 ? PS_NONE : to == 1 ? PS_PRESENT : to == 2 ? PS_DEVICE_EXCLUSIVE : PS_SWAP;
		m->tl[i] = (struct rm_event){ .ts_ns = i + 1, .addr = base + page * PSZ,
					      .pages = pages, .kind = RK_CHANGE,
					      .from = PS_PRESENT, .to = (uint8_t)to };
	}
	CHECK_INT(replay_open(&rp, m), 0, "large: open");
	for (size_t k = 0; k < sizeof(checks) / sizeof(checks[0]); k++) {
		size_t n = checks[k];
		struct collect c = { .base = base, .st = got, .n = npages, .ordered = true };
		uint64_t counts[PS_NR] = { 0 };
		char what[64];

		/* The simulation: start state, then n events, page by page. */
		memset(sim, PS_PRESENT, npages);
		memset(sim + 4096, PS_NONE, 65536);
		for (size_t i = 0; i < n; i++) {
			uint64_t p = (m->tl[i].addr - base) / PSZ;

			for (uint64_t j = 0; j < m->tl[i].pages && p + j < npages; j++)
				sim[p + j] = m->tl[i].to;
		}
		for (uint64_t p = 0; p < npages; p++)
			counts[sim[p]]++;
		snprintf(what, sizeof(what), "large: after %zu events", n);
		CHECK_INT(replay_seek_event(rp, n), 0, what);
		for (int s = 0; s < PS_NR; s++)
			CHECK_U64(replay_vma_counts(rp, 0)[s], counts[s], what);
		memset(got, 0xee, npages);
		replay_runs(rp, base, base + npages * PSZ, collect, &c);
		CHECK(c.ordered, what);
		CHECK(memcmp(got, sim, npages) == 0, what);
		CHECK_INT(replay_page_state(rp, m->tl[n ? n - 1 : 0].addr),
			  sim[(m->tl[n ? n - 1 : 0].addr - base) / PSZ], what);
		if (n == 50000)
			at = memcpy(malloc(npages), sim, npages);
	}
	/* Step back one event at a time from the end to 99900, then forward again. */
	CHECK_INT(replay_seek_event(rp, nev), 0, "large: the end");
	for (size_t n = nev; n-- > nev - 100;)
		CHECK_INT(replay_seek_event(rp, n), 0, "large: a step back");
	CHECK_INT(replay_seek_event(rp, 50000), 0, "large: back to the middle");
	{
		struct collect c = { .base = base, .st = got, .n = npages, .ordered = true };

		replay_runs(rp, base, base + npages * PSZ, collect, &c);
		CHECK(at && memcmp(got, at, npages) == 0, "large: the middle again");
	}
	replay_free(rp);
	rec_model_free(m);
	free(sim);
	free(got);
	free(at);
}

int main(void)
{
	small();
	large();
	CHECK_DONE();
}

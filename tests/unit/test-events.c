// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * events.c: event_decode() on tracefs records built here from the formats
 * of tests/formats (parsed with libtraceevent, as devexctl parses the
 * kernel's), and on records it must refuse: every record shorter than its
 * format is decoded from a heap buffer of exactly that size (ASan sees a
 * read past it) and, again, from a larger buffer whose tail holds what a
 * careless decoder would accept, so a read past the size also shows as a
 * wrong answer.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "events.h"
#include "formats.h"

static struct tep_handle *tep;
static struct dx_decoder *dec;

struct rec {
	unsigned char b[256];
	int size;
};

/* A record of @kind with @fields set; common_type and common_pid too. */
static void build(struct rec *r, enum dx_kind kind, int task,
		  const char *const *names, const unsigned long long *vals, size_t n)
{
	struct tep_event *e = tep_find_event_by_name(tep, event_kind_system(kind),
						     event_kind_event(kind));

	memset(r, 0, sizeof(*r));
	if (!e) {
		CHECK(e, event_kind_event(kind));
		return;
	}
	r->size = test_record_size(e);
	test_set_field(e, r->b, "common_type", (unsigned long long)e->id);
	test_set_field(e, r->b, "common_pid", (unsigned long long)task);
	for (size_t i = 0; i < n; i++)
		CHECK_INT(test_set_field(e, r->b, names[i], vals[i]), 0, names[i]);
}

static int decode_exact(const struct rec *r, int size, struct dx_event *ev)
{
	unsigned char *b = malloc(size ? (size_t)size : 1);
	int ret;

	memcpy(b, r->b, (size_t)size);
	ret = event_decode(dec, b, (size_t)size, ev);
	free(b);
	return ret;
}

static void set_event(void)
{
	static const char *const names[] = { "mm", "addr", "pfn", "owner", "pte", "mapcount" };
	static const unsigned long long vals[] = { 0x1a2b3c4d, 0x7f0000001000, 0x3fe85, 0,
						   0x7, 0xffffffff };
	struct dx_event ev;
	struct rec r;
	char line[200];

	build(&r, DX_SET, 42, names, vals, 6);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "set");
	CHECK_INT(ev.kind, DX_SET, "kind");
	CHECK_INT(ev.task, 42, "common_pid");
	CHECK_U64(ev.num[DXF_MM], 0x1a2b3c4d, "mm id");
	CHECK_U64(ev.num[DXF_ADDR], 0x7f0000001000, "addr");
	CHECK_U64(ev.num[DXF_PFN], 0x3fe85, "pfn");
	CHECK(ev_has(&ev, DXF_OWNER) && ev.num[DXF_OWNER] == 0, "NULL owner is 0");
	CHECK_U64(ev.num[DXF_PTE], 7, "pte");
	CHECK_INT((int64_t)ev.num[DXF_MAPCOUNT], -1, "mapcount is signed");
	CHECK(!ev_has(&ev, DXF_RESTORE_REASON), "no reason on set");
	event_format(&ev, line, sizeof(line));
	CHECK_STR(line, "set     addr=0x7f0000001000 pfn=0x3fe85", "brief: owner 0 left out");
	ev.num[DXF_OWNER] = 0xdeadbeef;
	event_format(&ev, line, sizeof(line));
	CHECK(strstr(line, "owner=0xdeadbeef") != NULL, "brief: owner shown");
	event_format(&ev, line, 12);
	CHECK_INT(strlen(line), 11, "brief cut at the buffer");
}

static void restore_remove(void)
{
	static const char *const rn[] = { "mm", "addr", "pfn", "pte", "mapcount", "reason" };
	static const unsigned long long rv[] = { 1, 0x1000, 0x10, 0x1f, 1, 1 };
	static const char *const mn[] = { "mm", "addr", "pfn", "reason" };
	static const unsigned long long mv[] = { 1, 0x2000, 0x20, 2 };
	struct dx_event ev;
	struct rec r;
	char line[200];

	build(&r, DX_RESTORE, 7, rn, rv, 6);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "restore");
	CHECK_INT(ev.kind, DX_RESTORE, "restore kind");
	CHECK_U64(ev.num[DXF_RESTORE_REASON], 1, "restore reason");
	event_format(&ev, line, sizeof(line));
	CHECK(strstr(line, "reason=fork") != NULL, "restore reason named");
	build(&r, DX_REMOVE, 7, mn, mv, 4);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "remove");
	CHECK_INT(ev.kind, DX_REMOVE, "remove kind");
	event_format(&ev, line, sizeof(line));
	CHECK(strstr(line, "reason=migrate") != NULL, "remove reason named");
	/* A reason this devexctl does not know prints as its number. */
	{
		static const unsigned long long mv9[] = { 1, 0x2000, 0x20, 9 };

		build(&r, DX_REMOVE, 7, mn, mv9, 4);
		CHECK_INT(decode_exact(&r, r.size, &ev), 0, "remove, unknown reason");
		event_format(&ev, line, sizeof(line));
		CHECK(strstr(line, "reason=9") != NULL, "unknown reason as a number");
	}
}

static void notifier_events(void)
{
	static const char *const rn[] = { "mm", "start", "end", "event", "owner", "flags" };
	static const unsigned long long rv[] = { 5, 0x1000, 0x2000, 7, 0x11, 1 };
	static const char *const sn[] = { "mm", "sub", "interval", "cb", "start", "end", "event",
					  "owner", "ret" };
	static const unsigned long long sv[] = { 5, 0xabcdef01, 1, 0xffffffff81234560ULL, 0x1000,
						 0x2000, 7, 0x11, (unsigned long long)-11 };
	struct dx_event ev;
	struct rec r;
	char line[200];

	build(&r, DX_RANGE_START, 1, rn, rv, 6);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "range_start");
	CHECK_INT(ev.kind, DX_RANGE_START, "range_start kind");
	CHECK_U64(ev.num[DXF_END], 0x2000, "range end");
	CHECK_U64(ev.num[DXF_FLAGS], 1, "flags");
	event_format(&ev, line, sizeof(line));
	CHECK(strstr(line, "event=exclusive") != NULL, "event named");
	build(&r, DX_RANGE_END, 1, rn, rv, 6);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "range_end");
	CHECK_INT(ev.kind, DX_RANGE_END, "range_end kind");
	build(&r, DX_SUBSCRIBER, 1, sn, sv, 9);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "subscriber");
	CHECK_INT(ev.kind, DX_SUBSCRIBER, "subscriber kind");
	CHECK_U64(ev.num[DXF_SUB], 0xabcdef01, "subscriber id");
	CHECK_U64(ev.num[DXF_CB], 0xffffffff81234560ULL, "cb");
	CHECK_INT((int64_t)ev.num[DXF_RET], -11, "ret -EAGAIN");
	CHECK_U64(ev.num[DXF_INTERVAL], 1, "interval");
	event_format(&ev, line, sizeof(line));
	CHECK(strstr(line, "callback=0xffffffff81234560") != NULL, "cb unresolved: its address");
	CHECK(strstr(line, "ret=-11") != NULL, "ret shown when non-zero");
	snprintf(ev.sym, sizeof(ev.sym), "dmirror_interval_invalidate");
	event_format(&ev, line, sizeof(line));
	CHECK(strstr(line, "callback=dmirror_interval_invalidate") != NULL, "cb resolved");
}

static void sched_events(void)
{
	static const char *const fn[] = { "parent_pid", "child_pid" };
	static const unsigned long long fv[] = { 100, 101 };
	static const char *const xn[] = { "pid" };
	static const unsigned long long xv[] = { 101 };
	struct dx_event ev;
	struct rec r;

	build(&r, DX_FORK, 100, fn, fv, 2);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "fork");
	CHECK_INT(ev.kind, DX_FORK, "fork kind");
	CHECK_U64(ev.num[DXF_PARENT_PID], 100, "parent");
	CHECK_U64(ev.num[DXF_CHILD_PID], 101, "child");
	build(&r, DX_EXIT, 101, xn, xv, 1);
	CHECK_INT(decode_exact(&r, r.size, &ev), 0, "exit");
	CHECK_U64(ev.num[DXF_PID], 101, "exit pid");
}

/* Every record cut short of its format is refused, read from exact-size buffers. */
static void truncated(void)
{
	for (int k = DX_SET; k <= DX_EXIT; k++) {
		struct dx_event ev;
		struct rec r;
		int full;

		build(&r, (enum dx_kind)k, 1, NULL, NULL, 0);
		full = r.size;
		for (int size = 0; size < full; size++) {
			struct rec poisoned = r;
			int ret = decode_exact(&r, size, &ev);

			/* A cut inside the tail padding still holds every field. */
			if (ret == 0)
				continue;
			CHECK_INT(ret, -EINVAL, event_kind_name((enum dx_kind)k));
			memset(poisoned.b + size, 0xff, sizeof(poisoned.b) - (size_t)size);
			CHECK_INT(event_decode(dec, poisoned.b, (size_t)size, &ev), -EINVAL,
				  "poisoned tail");
		}
		/* The smallest size that decodes holds every field the kind has. */
		CHECK_INT(decode_exact(&r, full, &ev), 0, "full size");
	}
	CHECK_INT(event_decode(dec, "", 0, &(struct dx_event){ 0 }), -EINVAL, "empty record");
}

static void unknown_and_odd_formats(void)
{
	static const char remove_old[] =
		"name: device_exclusive_remove\nID: 1600\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:unsigned int mm;\toffset:8;\tsize:4;\tsigned:0;\n"
		"\tfield:char addr[3];\toffset:12;\tsize:3;\tsigned:0;\n"
		"\tfield:unsigned long pfn;\toffset:16;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"mm=%#x\", REC->mm\n";
	struct tep_handle *t2 = tep_alloc();
	struct dx_decoder *d2;
	unsigned char b[24] = { 0 };
	struct dx_event ev;

	b[0] = 0x39;	/* an id no format has */
	b[1] = 0x30;
	CHECK_INT(event_decode(dec, b, sizeof(b), &ev), -ENOENT, "unknown event id");
	/* A format without reason and with an odd-sized addr: those stay absent. */
	tep_set_long_size(t2, 8);
	CHECK_INT(test_parse_format(t2, "device_exclusive", remove_old), 0, "odd format parses");
	d2 = event_decoder_new(t2);
	CHECK(event_decoder_bound(d2, DX_REMOVE), "remove bound");
	CHECK(!event_decoder_bound(d2, DX_SET), "set unbound");
	b[0] = 1600 & 0xff;
	b[1] = 1600 >> 8;
	b[8] = 9;
	b[16] = 0x42;
	CHECK_INT(event_decode(d2, b, sizeof(b), &ev), 0, "odd remove");
	CHECK(ev_has(&ev, DXF_MM) && ev.num[DXF_MM] == 9, "mm");
	CHECK(!ev_has(&ev, DXF_ADDR), "3-byte addr not read");
	CHECK(!ev_has(&ev, DXF_REMOVE_REASON), "no reason field");
	CHECK_U64(ev.num[DXF_PFN], 0x42, "pfn");
	event_decoder_free(d2);
	tep_free(t2);
}

static struct dx_event task_ev(enum dx_kind k, const char *source, uint64_t a, uint64_t b)
{
	struct dx_event ev = { .kind = k, .source = source, .cpu = -1 };

	if (k == DX_FORK) {
		ev_set(&ev, DXF_PARENT_PID, a);
		ev_set(&ev, DXF_CHILD_PID, b);
	} else {
		ev_set(&ev, DXF_PID, a);
	}
	return ev;
}

/* monitor PID and the tui follow PID's children, from one source. */
static void task_tree(void)
{
	struct dx_task_tree t;
	struct dx_event ev;

	task_tree_init(&t, 100, true);
	ev = task_ev(DX_FORK, "connector", 100, 101);
	CHECK(task_tree_follow(&t, &ev), "a fork of the root is followed");
	ev = task_ev(DX_FORK, "connector", 101, 102);
	CHECK(task_tree_follow(&t, &ev), "a fork of a child is followed");
	ev = task_ev(DX_EXIT, "connector", 102, 0);
	CHECK(task_tree_follow(&t, &ev), "the grandchild's exit is followed");
	ev = task_ev(DX_FORK, "connector", 7, 8);
	CHECK(!task_tree_follow(&t, &ev), "another process's fork is not");
	ev = task_ev(DX_EXIT, "connector", 8, 0);
	CHECK(!task_tree_follow(&t, &ev), "nor its child's exit");
	ev = task_ev(DX_FORK, "tracefs", 100, 103);
	CHECK(!task_tree_follow(&t, &ev), "the other source's fork is ignored");
	ev = task_ev(DX_EXIT, "tracefs", 103, 0);
	CHECK(!task_tree_follow(&t, &ev), "... and the child it would have added");
	ev = (struct dx_event){ .kind = DX_SET, .source = "tracefs" };
	CHECK(!task_tree_follow(&t, &ev), "not a task event");
	task_tree_init(&t, 0, false);
	ev = task_ev(DX_FORK, "tracefs", 1, 2);
	CHECK(!task_tree_follow(&t, &ev), "no root: no task events");
	task_tree_init(&t, 1, false);
	for (int i = 0; i < DX_TREE_MAX + 10; i++) {
		ev = task_ev(DX_FORK, "tracefs", 1, (uint64_t)(1000 + i));
		task_tree_follow(&t, &ev);
	}
	CHECK_U64(t.n, DX_TREE_MAX, "the tree stops growing when full");
}

int main(void)
{
	tep = test_formats_load();
	if (!tep)
		return 1;
	dec = event_decoder_new(tep);
	for (int k = DX_SET; k <= DX_EXIT; k++)
		CHECK(event_decoder_bound(dec, (enum dx_kind)k), event_kind_name((enum dx_kind)k));
	CHECK(!event_decoder_bound(dec, DX_LOST), "lost is no tracepoint");
	set_event();
	restore_remove();
	notifier_events();
	sched_events();
	truncated();
	unknown_and_odd_formats();
	task_tree();
	event_decoder_free(dec);
	tep_free(tep);
	CHECK_DONE();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The data sources as objects (target.h, trace.h): a snapshot answers what
 * it recorded (entries, in the range asked; notifiers; info) through the
 * same op the live source serves from debugfs, and refuses the actions as
 * the commands do; the checks and the event sources' mm lookup read
 * through a target, whichever source it is; the event sources say what
 * they can tell.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/check.h"
#include "../../cli/errors.h"
#include "../../cli/target.h"
#include "../../cli/trace.h"
#include "check.h"

#define PID 4242

static char dir[PATH_MAX - 64];

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(99);	/* a hard error of the test itself */
	}
}

static void sub(const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(99);
	}
}

/* A snapshot as 'devexctl snapshot' writes it, with the kernel interface. */
static void make_snapshot(void)
{
	snprintf(dir, sizeof(dir), "%s/test-sources.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(99);
	}
	sub("sys");
	sub("sys/kernel");
	sub("devexcl");
	sub("4242");
	sub("4242/devexcl");
	put("sys/kernel/osrelease", "6.15.0\n");
	put("devexctl-snapshot", "format 1\npid 4242\npage_size 4096\npfn_visible 1\n");
	put("devexcl/info", "version 3\n");
	put("4242/devexcl/entries",
	    "0x7f0000000000 pfn=0x100 order=0 mapcount=1 refcount=2 flags=anon\n"
	    "0x7f0000001000 pfn=0x101 order=0 mapcount=1 refcount=2 flags=anon\n"
	    "0x7f0000005000 pfn=0x105 order=0 mapcount=1 refcount=2 flags=anon\n"
	    "# 3 entries\n");
	put("4242/devexcl/notifiers",
	    "mm id=0x1a2b3c4d\n"
	    "interval id=0x11 ops=dmirror_mrn_ops callback=dmirror_interval_invalidate "
	    "start=0x7f0000000000 last=0x7f00001fffff seq=0x3\n"
	    "classic id=0x22 ops=kvm_mmu_notifier_ops callback=kvm_mmu_notifier_invalidate\n");
}

static void rm_snapshot(void)
{
	static const char *const files[] = {
		"4242/devexcl/notifiers", "4242/devexcl/entries", "devexcl/info",
		"devexctl-snapshot", "sys/kernel/osrelease", "4242/devexcl", "4242", "devexcl",
		"sys/kernel", "sys", "",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		remove(path);
	}
}

struct lines {
	unsigned int n;
	char first[128];
};

static int count_line(void *ctx, char *line)
{
	struct lines *l = ctx;

	if (!l->n++)
		snprintf(l->first, sizeof(l->first), "%s", line);
	return 0;
}

static void test_snapshot_answers(struct target *t)
{
	struct lines l = { 0 };

	CHECK(target_can(t, SRC_ENTRIES | SRC_NOTIFIERS), "a snapshot replays entries, notifiers");
	CHECK(!target_can(t, SRC_ACTS), "a snapshot cannot act");
	CHECK(!target_can(t, SRC_LIVE), "a snapshot is not live");
	CHECK_INT(target_kernel_check(t), 0, "recorded with the interface");

	/* A ranged request keeps its range, as the kernel would answer it. */
	CHECK_INT(t->ops->kernel_read(t, "entries", "4242,0x7f0000001000,0x7f0000006000",
				      count_line, &l), 0, "entries in a range");
	CHECK_INT(l.n, 2, "entries in [0x7f0000001000, 0x7f0000006000)");
	CHECK(strncmp(l.first, "0x7f0000001000 ", 15) == 0, "the first entry of the range");

	memset(&l, 0, sizeof(l));
	CHECK_INT(t->ops->kernel_read(t, "notifiers", "4242", count_line, &l), 0, "notifiers");
	CHECK_INT(l.n, 3, "the mm line and two subscribers");

	memset(&l, 0, sizeof(l));
	CHECK_INT(t->ops->kernel_read(t, "make_exclusive", "4242,0x7f0000000000,0x7f0000001000",
				      count_line, &l), -EUSAGE, "make_exclusive refused");
	CHECK_INT(t->ops->kernel_read(t, "revert", "4242,0x7f0000000000,0x7f0000001000",
				      count_line, &l), -EUSAGE, "revert refused");
	CHECK_INT(l.n, 0, "a refused action calls back nothing");
	err_clear();
}

/* What check and the event sources read goes through the target, so a replay serves it. */
static void test_readers_through_target(struct target *t)
{
	struct check_run *r = calloc(1, sizeof(*r));
	uint32_t id = 0;

	if (!r)
		exit(99);
	r->pid = PID;
	r->page_size = 4096;
	CHECK_INT(check_read_subscribers(t, r, false), 0, "subscribers from the snapshot");
	CHECK_INT(r->nsubs, 2, "both recorded subscribers");
	CHECK_U64(r->subs[0].id, 0x11, "the interval subscriber's id");
	CHECK_INT(check_read_subscribers(t, r, true), 0, "read again");
	CHECK_INT(r->subs_changed, 0, "the same subscribers");

	CHECK_INT(trace_mm_id(t, NULL, PID, &id), 0, "mm id through the source");
	CHECK_U64(id, 0x1a2b3c4d, "mm id from the first notifiers line");

	/* A round converts: on a snapshot it stops at the first page, refused. */
	r->npages = 1;
	r->pages[0].addr = 0x7f0000000000;
	CHECK_INT(check_run_round(t, r, 0), -EUSAGE, "a round on a snapshot is refused");
	CHECK(!r->pages[0].round[0].converted, "nothing converted");
	err_clear();
	free(r);
}

/* Without a process: the live kernel, whatever --proc says. */
static void test_kernel_target(void)
{
	struct target k;
	uint32_t id = 0;

	CHECK_INT(target_kernel(&k, "/nonexistent-debugfs"), 0, "the live kernel, no process");
	CHECK(target_can(&k, SRC_LIVE | SRC_ACTS | SRC_EVENTS), "the live source");
	CHECK_INT(target_kernel_check(&k), -ENOPATCH, "no devexcl under a missing debugfs");
	target_close(&k);
	err_clear();
	CHECK_INT(trace_mm_id(NULL, "/nonexistent-debugfs", PID, &id), -ENOPATCH,
		  "mm id without a target: asked of the live kernel");
	err_clear();
}

static void test_event_sources(void)
{
	CHECK_STR(event_tracepoints.name, "tracepoints", "name");
	CHECK_STR(event_probes.name, "probes", "name");
	CHECK(event_source_can(&event_tracepoints, EVS_PER_SUBSCRIBER),
	      "the tracepoints report each subscriber call");
	CHECK(!event_source_can(&event_probes, EVS_PER_SUBSCRIBER),
	      "the probes see invalidation ranges, not subscribers");
	CHECK(event_source_can(&event_probes, EVS_SUBSCRIBED_AT_SETUP | EVS_RANGE_API),
	      "the probes learn subscribed and the range API at setup");
	CHECK(!event_source_can(&event_tracepoints, EVS_SUBSCRIBED_AT_SETUP),
	      "the tracepoints' subscribers come from debugfs");
	CHECK(!event_source_can(&event_tracepoints, EVS_RANGE_API), "no range API question");
	CHECK(!event_source_can(&event_probes, EVS_PER_SUBSCRIBER | EVS_RANGE_API),
	      "every capability asked must be there");
}

int main(void)
{
	struct target t;
	int err;

	make_snapshot();
	err = target_probe(&t, dir, NULL);
	CHECK_INT(err, 0, "probe the snapshot");
	if (!err) {
		t.pid = PID;
		test_snapshot_answers(&t);
		test_readers_through_target(&t);
	}
	target_close(&t);
	rm_snapshot();
	test_kernel_target();
	test_event_sources();
	CHECK_DONE();
}

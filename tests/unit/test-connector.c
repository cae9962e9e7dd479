// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * proc_connector.c: pc_decode() on proc connector messages built here as
 * drivers/connector/cn_proc.c builds them, and on messages it must refuse;
 * then, where the kernel serves this process (root in the initial pid and
 * user namespaces), a real fork seen through pc_open()/pc_read().
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "errors.h"
#include "proc_connector.h"

/*
 * As the kernel lays it out: the proc_event right after the 20-byte cn_msg.
 * cn_msg's header without its data[]: a struct ending in a flexible array
 * inside another is a GNU extension clang warns about.
 */
struct cn_hdr {
	struct cb_id id;
	__u32 seq;
	__u32 ack;
	__u16 len;
	__u16 flags;
};
_Static_assert(sizeof(struct cn_hdr) == sizeof(struct cn_msg), "cn_msg header size");
_Static_assert(offsetof(struct cn_hdr, len) == offsetof(struct cn_msg, len), "cn_msg.len");

struct msg {
	struct cn_hdr cn;
	struct proc_event ev;
} __attribute__((packed));

static void build(struct msg *m, unsigned int what)
{
	memset(m, 0, sizeof(*m));
	m->cn.id.idx = CN_IDX_PROC;
	m->cn.id.val = CN_VAL_PROC;
	m->cn.len = sizeof(m->ev);
	m->ev.what = what;
	m->ev.timestamp_ns = 123456789;
}

static void decode(void)
{
	struct dx_event ev;
	struct msg m;

	build(&m, PROC_EVENT_FORK);
	m.ev.event_data.fork.parent_pid = m.ev.event_data.fork.parent_tgid = 100;
	m.ev.event_data.fork.child_pid = m.ev.event_data.fork.child_tgid = 101;
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), 0, "fork");
	CHECK_INT(ev.kind, DX_FORK, "fork kind");
	CHECK_U64(ev.num[DXF_PARENT_PID], 100, "parent");
	CHECK_U64(ev.num[DXF_CHILD_PID], 101, "child");
	CHECK_U64(ev.ts_ns, 123456789, "timestamp");
	CHECK_STR(ev.source, "connector", "source");
	m.ev.event_data.fork.child_pid = 102;	/* a thread of 101 */
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), -ENOENT, "a new thread is no fork");
	build(&m, PROC_EVENT_EXIT);
	m.ev.event_data.exit.process_pid = m.ev.event_data.exit.process_tgid = 101;
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), 0, "exit");
	CHECK_INT(ev.kind, DX_EXIT, "exit kind");
	CHECK_U64(ev.num[DXF_PID], 101, "exit pid");
	build(&m, PROC_EVENT_EXEC);
	m.ev.event_data.exec.process_tgid = 101;
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), 0, "exec");
	CHECK_INT(ev.kind, DX_EXEC, "exec kind");
	build(&m, PROC_EVENT_UID);
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), -ENOENT, "uid change: not ours");
	/* Refused: short, a length past the buffer, another connector index. */
	build(&m, PROC_EVENT_FORK);
	CHECK_INT(pc_decode(&m, sizeof(m.cn) - 1, &ev), -EINVAL, "shorter than cn_msg");
	CHECK_INT(pc_decode(&m, sizeof(m) - 1, &ev), -EINVAL, "cn_msg.len past the buffer");
	m.cn.len = 8;
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), -EINVAL, "no event_data");
	m.cn.len = offsetof(struct proc_event, event_data) + 4;
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), -EINVAL, "fork data cut short");
	build(&m, PROC_EVENT_FORK);
	m.cn.id.idx = CN_IDX_PROC + 1;
	CHECK_INT(pc_decode(&m, sizeof(m), &ev), -EINVAL, "another connector");
}

struct seen {
	pid_t parent, child;
	bool fork, exit;
};

static int on_event(void *ctx, const struct dx_event *ev)
{
	struct seen *s = ctx;

	if (ev->kind == DX_FORK && ev->num[DXF_PARENT_PID] == (uint64_t)s->parent &&
	    ev->num[DXF_CHILD_PID] == (uint64_t)s->child)
		s->fork = true;
	if (ev->kind == DX_EXIT && ev->num[DXF_PID] == (uint64_t)s->child)
		s->exit = true;
	return 0;
}

/* A real fork and exit, where the kernel serves us; skipped elsewhere. */
static void live(void)
{
	struct dx_procconn *p;
	struct seen s = { .parent = getpid() };
	char why[200];

	if (pc_usable(why, sizeof(why)) || pc_open(&p)) {
		fprintf(stderr, "test-connector: live part skipped: %s\n", why[0] ? why : "pc_open failed");
		err_clear();
		return;
	}
	s.child = fork();
	if (s.child == 0)
		_exit(0);
	waitpid(s.child, NULL, 0);
	for (int i = 0; i < 20 && !(s.fork && s.exit); i++) {
		struct pollfd pfd = { .fd = pc_fd(p), .events = POLLIN };

		poll(&pfd, 1, 100);
		pc_read(p, on_event, &s);
	}
	CHECK(s.fork, "the child's fork seen");
	CHECK(s.exit, "the child's exit seen");
	pc_close(p);
}

int main(void)
{
	decode();
	live();
	CHECK_DONE();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* The proc connector through libmnl (proc_connector.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "errors.h"
#include "proc_connector.h"

#include <sys/capability.h>

struct dx_procconn {
	struct mnl_socket *nl;
};

/* Same namespace as init's? 1 yes, 0 no, -1 cannot tell (no access to /proc/1). */
static int same_ns(const char *ns)
{
	char self[64], init[64];
	struct stat a, b;

	snprintf(self, sizeof(self), "/proc/self/ns/%s", ns);
	snprintf(init, sizeof(init), "/proc/1/ns/%s", ns);
	if (stat(self, &a) != 0 || stat(init, &b) != 0)
		return -1;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static bool initial_userns(void)
{
	char buf[128];
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	unsigned long a, b, c;

	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	/* The initial user namespace maps all of 0..4294967294 onto itself. */
	return sscanf(buf, "%lu %lu %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL;
}

int pc_usable(char *why, size_t len)
{
	if (!initial_userns()) {
		snprintf(why, len, "not in the initial user namespace: the kernel serves proc "
			 "connector events only there (sched tracepoints used instead)");
		return -EOPNOTSUPP;
	}
	if (same_ns("pid") == 0) {
		snprintf(why, len, "not in the initial pid namespace: the kernel serves proc "
			 "connector events only there (sched tracepoints used instead)");
		return -EOPNOTSUPP;
	}
	if (!caps_have(CAP_NET_ADMIN)) {
		snprintf(why, len, "listening needs CAP_NET_ADMIN");
		return -EPERM;
	}
	why[0] = '\0';
	return 0;
}

static int send_listen(struct mnl_socket *nl)
{
	char buf[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))];
	struct nlmsghdr *nlh;
	struct cn_msg *cn;
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = mnl_socket_get_portid(nl);
	cn = mnl_nlmsg_put_extra_header(nlh, sizeof(*cn) + sizeof(op));
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

int pc_open(struct dx_procconn **pp)
{
	struct dx_procconn *p;
	char why[160];
	int err = pc_usable(why, sizeof(why));

	*pp = NULL;
	if (err)
		return err_set(err, "proc connector: %s", why);
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->nl = mnl_socket_open2(NETLINK_CONNECTOR, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!p->nl) {
		err = err_set(-errno, "proc connector socket (CONFIG_CONNECTOR, CONFIG_PROC_EVENTS?)");
		goto fail;
	}
	if (mnl_socket_bind(p->nl, CN_IDX_PROC, MNL_SOCKET_AUTOPID) < 0) {
		err = err_set(-errno, "binding to the proc connector group");
		goto fail;
	}
	err = send_listen(p->nl);
	if (err) {
		err_set(err, "proc connector: PROC_CN_MCAST_LISTEN");
		goto fail;
	}
	*pp = p;
	return 0;
fail:
	pc_close(p);
	return err;
}

int pc_fd(const struct dx_procconn *p)
{
	return p ? mnl_socket_get_fd(p->nl) : -1;
}

int pc_decode(const void *buf, size_t len, struct dx_event *ev)
{
	struct cn_msg cn;
	struct proc_event pe;	/* the kernel puts it at offset 20: copied to align it */
	size_t data = offsetof(struct proc_event, event_data), have;

	memset(ev, 0, sizeof(*ev));
	ev->cpu = -1;
	ev->source = "connector";
	if (len < sizeof(cn))
		return -EINVAL;
	memcpy(&cn, buf, sizeof(cn));
	if (cn.len > len - sizeof(cn) || cn.id.idx != CN_IDX_PROC || cn.len < data)
		return -EINVAL;
	have = cn.len < sizeof(pe) ? cn.len : sizeof(pe);
	memset(&pe, 0, sizeof(pe));
	memcpy(&pe, (const char *)buf + sizeof(cn), have);
	ev->ts_ns = pe.timestamp_ns;	/* ktime_get_ns(): the trace clock "mono" */
	switch (pe.what) {
	case PROC_EVENT_FORK:
		if (have < data + sizeof(pe.event_data.fork))
			return -EINVAL;
		ev->kind = DX_FORK;
		ev_set(ev, DXF_PARENT_PID, (uint64_t)(int64_t)pe.event_data.fork.parent_tgid);
		ev_set(ev, DXF_CHILD_PID, (uint64_t)(int64_t)pe.event_data.fork.child_tgid);
		/* A new thread is no new process. */
		return pe.event_data.fork.child_pid == pe.event_data.fork.child_tgid ? 0 : -ENOENT;
	case PROC_EVENT_EXEC:
		if (have < data + sizeof(pe.event_data.exec))
			return -EINVAL;
		ev->kind = DX_EXEC;
		ev_set(ev, DXF_PID, (uint64_t)(int64_t)pe.event_data.exec.process_tgid);
		return 0;
	case PROC_EVENT_EXIT:
		if (have < data + sizeof(pe.event_data.exit))
			return -EINVAL;
		ev->kind = DX_EXIT;
		ev_set(ev, DXF_PID, (uint64_t)(int64_t)pe.event_data.exit.process_tgid);
		/* A thread's exit is not the process's. */
		return pe.event_data.exit.process_pid == pe.event_data.exit.process_tgid ? 0 : -ENOENT;
	default:
		return -ENOENT;
	}
}

int pc_read(struct dx_procconn *p, int (*fn)(void *ctx, const struct dx_event *ev), void *ctx)
{
	static char buf[8192] __attribute__((aligned(8)));
	int count = 0;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(p->nl, buf, sizeof(buf));
		int rem = (int)n;

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? count : -errno;
		/* mnl_nlmsg_ok() alone takes an nlmsg_len of 2 GiB or more. */
		for (const struct nlmsghdr *nlh = (const void *)buf; mnl_nlmsg_ok(nlh, rem) &&
							   nlh->nlmsg_len <= (unsigned int)rem;
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			struct dx_event ev;
			int r;

			if (pc_decode(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &ev))
				continue;
			r = fn(ctx, &ev);
			count++;
			if (r)
				return r;
		}
	}
}

void pc_close(struct dx_procconn *p)
{
	if (!p)
		return;
	if (p->nl)
		mnl_socket_close(p->nl);
	free(p);
}

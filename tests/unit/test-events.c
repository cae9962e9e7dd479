// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * events.c: event_decode() on messages built here as the kernel builds them
 * (kernel-debugfs/patches/0002, nla_put_*), and on messages it must refuse.
 * Every message is decoded from a buffer larger than the length passed, with
 * the bytes past that length set to what would make a careless decoder
 * accept it: a read past the length then shows as a wrong answer here, not
 * only under ASan.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "events.h"

struct msg {
	unsigned char b[256];
	size_t len;
};

static void put(struct msg *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

/* nlmsghdr + genlmsghdr for @cmd; nlmsg_len is set by finish(). */
static void start(struct msg *m, uint8_t cmd)
{
	unsigned char hdr[20] = { 0 };

	memset(m, 0, sizeof(*m));
	hdr[4] = 0x20;		/* nlmsg_type: any family id */
	hdr[16] = cmd;
	hdr[17] = 1;		/* version */
	put(m, hdr, sizeof(hdr));
}

/* One attribute, padded to 4 bytes as nla_put() pads it. */
static void attr(struct msg *m, uint16_t type, const void *p, uint16_t n)
{
	uint16_t h[2] = { (uint16_t)(4 + n), type };
	static const unsigned char zero[4];

	put(m, h, sizeof(h));
	put(m, p, n);
	put(m, zero, (4 - n % 4) % 4);
}

static void attr_u64(struct msg *m, uint16_t type, uint64_t v)
{
	attr(m, type, &v, sizeof(v));
}

static void finish(struct msg *m, uint32_t nlmsg_len)
{
	memcpy(m->b, &nlmsg_len, sizeof(nlmsg_len));
}

static void well_formed(void)
{
	struct dx_event ev;
	struct msg m;
	uint32_t err = (uint32_t)-16;

	start(&m, DEVEXCL_CMD_CONVERT);
	attr_u64(&m, DEVEXCL_A_OP_ID, 7);
	attr_u64(&m, DEVEXCL_A_ADDR, 0x7f0000001000);
	attr(&m, DEVEXCL_A_ERRNO, &err, sizeof(err));
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), 0, "convert");
	CHECK_INT(ev.cmd, DEVEXCL_CMD_CONVERT, "cmd");
	CHECK(ev.has[DEVEXCL_A_OP_ID] && ev.has[DEVEXCL_A_ADDR], "attributes seen");
	CHECK(!ev.has[DEVEXCL_A_PFN], "absent attribute not seen");
	CHECK_U64(ev.num[DEVEXCL_A_ADDR], 0x7f0000001000, "addr");
	CHECK_INT((int64_t)ev.num[DEVEXCL_A_ERRNO], -16, "errno is signed");
	{
		char line[160];

		event_format(&ev, line, sizeof(line));
		CHECK_STR(line, "convert op_id=7 addr=0x7f0000001000 errno=-16", "brief line");
		ev.num[DEVEXCL_A_ERRNO] = 0;
		event_format(&ev, line, sizeof(line));
		CHECK_STR(line, "convert op_id=7 addr=0x7f0000001000", "brief line: errno 0 left out");
		event_format(&ev, line, 12);
		CHECK_STR(line, "convert op_", "brief line cut to its buffer");
	}

	start(&m, DEVEXCL_CMD_NOTIFY);
	attr(&m, DEVEXCL_A_SUB_OPS, "kvm_mmu_notifier_ops", 21);
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), 0, "notify");
	CHECK_STR(ev.sub_ops, "kvm_mmu_notifier_ops", "sub_ops");

	/* An attribute of a newer kernel is skipped, not refused. */
	start(&m, DEVEXCL_CMD_RESTORE);
	attr_u64(&m, DEVEXCL_A_MAX + 1, 1);
	attr_u64(&m, DEVEXCL_A_PFN, 0x1234);
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), 0, "unknown attribute");
	CHECK_U64(ev.num[DEVEXCL_A_PFN], 0x1234, "pfn after an unknown attribute");
}

static void refused(void)
{
	struct dx_event ev;
	struct msg m;
	uint32_t v = 1;

	start(&m, DEVEXCL_CMD_MAX + 1);
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), -EINVAL, "unknown command");

	start(&m, DEVEXCL_CMD_CONVERT);
	attr(&m, DEVEXCL_A_ADDR, &v, sizeof(v));
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), -EINVAL, "u64 attribute of 4 bytes");

	start(&m, DEVEXCL_CMD_NOTIFY);
	attr(&m, DEVEXCL_A_SUB_OPS, "abcd", 4);
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), -EINVAL, "string without NUL");

	start(&m, DEVEXCL_CMD_CONVERT);
	attr_u64(&m, DEVEXCL_A_OP_ID, 7);
	finish(&m, (uint32_t)m.len + 4);
	CHECK_INT(event_decode(m.b, m.len, &ev), -EINVAL, "nlmsg_len past the buffer");
	finish(&m, 0x80000000u);
	CHECK_INT(event_decode(m.b, m.len, &ev), -EINVAL, "nlmsg_len of 2 GiB");

	/*
	 * An unaligned message ending the buffer: libmnl walks attributes up
	 * to the aligned end of nlmsg_len, so a string whose NUL lies in the
	 * padding past @len was validated and printed from beyond the buffer
	 * (tests/fuzz/fuzz-events, seed regress-unaligned-tail).
	 */
	start(&m, DEVEXCL_CMD_NOTIFY);
	attr(&m, DEVEXCL_A_SUB_OPS, "ab", 3);	/* "ab\0" + 1 byte padding */
	m.len -= 2;				/* the buffer ends after 'a' */
	finish(&m, (uint32_t)m.len);
	CHECK_INT(event_decode(m.b, m.len, &ev), -EINVAL, "string past an unaligned end");
	CHECK_STR(ev.sub_ops, "", "nothing copied from past the buffer");
}

int main(void)
{
	well_formed();
	refused();
	CHECK_DONE();
}

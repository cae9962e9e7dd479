// SPDX-License-Identifier: GPL-2.0-or-later
/* devexcl netlink events: one attribute table drives decoding and printing. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "output.h"

enum attr_kind { AK_U8, AK_U32, AK_S32, AK_U64, AK_ADDR, AK_HEX, AK_STR };

/* How each attribute decodes and prints; the JSON key is also the text key. */
static const struct attr_info {
	const char *key;
	enum attr_kind kind;
} attr_table[DEVEXCL_A_MAX + 1] = {
	[DEVEXCL_A_TIMESTAMP] = { "timestamp_ns", AK_U64 },
	[DEVEXCL_A_OP_ID] = { "op_id", AK_U64 },
	[DEVEXCL_A_OP] = { "op", AK_U8 },
	[DEVEXCL_A_PID] = { "pid", AK_U32 },
	[DEVEXCL_A_CALLER_PID] = { "caller_pid", AK_U32 },
	[DEVEXCL_A_MM_ID] = { "mm_id", AK_HEX },
	[DEVEXCL_A_ADDR] = { "addr", AK_ADDR },
	[DEVEXCL_A_PFN] = { "pfn", AK_ADDR },
	[DEVEXCL_A_OWNER] = { "owner", AK_HEX },
	[DEVEXCL_A_ERRNO] = { "errno", AK_S32 },
	[DEVEXCL_A_PTE] = { "pte", AK_U32 },
	[DEVEXCL_A_MAPCOUNT] = { "mapcount", AK_S32 },
	[DEVEXCL_A_EVENT] = { "event", AK_U32 },
	[DEVEXCL_A_RANGE_START] = { "range_start", AK_ADDR },
	[DEVEXCL_A_RANGE_END] = { "range_end", AK_ADDR },
	[DEVEXCL_A_SUB_KIND] = { "sub_kind", AK_U8 },
	[DEVEXCL_A_SUB_OPS] = { "sub_ops", AK_STR },
	[DEVEXCL_A_SUB_START] = { "sub_start", AK_ADDR },
	[DEVEXCL_A_SUB_LAST] = { "sub_last", AK_ADDR },
};

static const char *const cmd_names[] = {
	[DEVEXCL_CMD_CONVERT] = "convert",
	[DEVEXCL_CMD_RESTORE] = "restore",
	[DEVEXCL_CMD_NOTIFY] = "notify",
};

/* enum mmu_notifier_event, include/linux/mmu_notifier.h */
static const char *const notify_events[] = {
	"unmap", "clear", "protection-vma", "protection-page",
	"soft-dirty", "release", "migrate", "exclusive",
};

static const char *const pte_bits[] = {
	"present", "write", "dirty", "soft_dirty", "young", "uffd_wp",
};

const char *event_cmd_name(uint8_t cmd)
{
	return cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) ? cmd_names[cmd] : NULL;
}

static const int attr_mnl_type[] = {
	[AK_U8] = MNL_TYPE_U8, [AK_U32] = MNL_TYPE_U32, [AK_S32] = MNL_TYPE_U32,
	[AK_U64] = MNL_TYPE_U64, [AK_ADDR] = MNL_TYPE_U64, [AK_HEX] = MNL_TYPE_U64,
	[AK_STR] = MNL_TYPE_NUL_STRING,
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct dx_event *ev = data;
	unsigned int type = mnl_attr_get_type(a);
	const struct attr_info *ai;

	if (type > DEVEXCL_A_MAX || !attr_table[type].key)
		return MNL_CB_OK;	/* newer kernel: skip what we do not know */
	ai = &attr_table[type];
	if (mnl_attr_validate(a, (enum mnl_attr_data_type)attr_mnl_type[ai->kind]) < 0)
		return MNL_CB_ERROR;
	switch (ai->kind) {
	case AK_U8:
		ev->num[type] = mnl_attr_get_u8(a);
		break;
	case AK_U32:
		ev->num[type] = mnl_attr_get_u32(a);
		break;
	case AK_S32:
		ev->num[type] = (uint64_t)(int64_t)(int32_t)mnl_attr_get_u32(a);
		break;
	case AK_U64:
	case AK_ADDR:
	case AK_HEX:
		ev->num[type] = mnl_attr_get_u64(a);
		break;
	case AK_STR:
		snprintf(ev->sub_ops, sizeof(ev->sub_ops), "%s", mnl_attr_get_str(a));
		break;
	}
	ev->has[type] = true;
	return MNL_CB_OK;
}

int event_decode(const void *buf, size_t len, struct dx_event *ev)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *genl;

	memset(ev, 0, sizeof(*ev));
	/*
	 * Not mnl_nlmsg_ok() alone: it compares nlmsg_len as an int, so a
	 * length of 2 GiB or more passes and the payload is read past @len
	 * (found by tests/fuzz/fuzz-events, seed regress-nlmsg-len-sign).
	 */
	if (len < sizeof(*nlh) || nlh->nlmsg_len > len || !mnl_nlmsg_ok(nlh, (int)len) ||
	    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*genl))
		return -EINVAL;
	genl = mnl_nlmsg_get_payload(nlh);
	if (!event_cmd_name(genl->cmd))
		return -EINVAL;
	ev->cmd = genl->cmd;
	if (mnl_attr_parse(nlh, sizeof(*genl), attr_cb, ev) < 0)
		return -EINVAL;
	return 0;
}

static void print_pte(uint32_t pte)
{
	char text[96] = "";
	size_t used = 0;

	out_open_object("pte");
	for (size_t i = 0; i < sizeof(pte_bits) / sizeof(pte_bits[0]); i++) {
		out_bool(OUT_JSON, pte_bits[i], "", pte & (1u << i));
		if (pte & (1u << i))
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s",
						 used ? "," : "", pte_bits[i]);
	}
	out_close_object();
	out_string(OUT_TEXT, NULL, " pte=%s", used ? text : "-");
}

void event_print(const struct dx_event *ev)
{
	out_open_object(NULL);
	out_string(OUT_ANY, "type", "%-8s", event_cmd_name(ev->cmd));
	for (int a = 0; a <= DEVEXCL_A_MAX; a++) {
		const struct attr_info *ai = &attr_table[a];
		char fmt[48];
		uint64_t v = ev->num[a];

		if (!ev->has[a] || !ai->key)
			continue;
		snprintf(fmt, sizeof(fmt), " %s=%%s", ai->key);
		if (a == DEVEXCL_A_OP) {
			out_string(OUT_ANY, ai->key, fmt, v == DEVEXCL_OP_TYPE_CONVERT ? "convert" : "restore");
		} else if (a == DEVEXCL_A_EVENT) {
			out_string(OUT_ANY, ai->key, fmt, v < 8 ? notify_events[v] : "unknown");
		} else if (a == DEVEXCL_A_SUB_KIND) {
			out_string(OUT_ANY, ai->key, fmt, v == DEVEXCL_SUB_INTERVAL ? "interval" : "classic");
		} else if (a == DEVEXCL_A_PTE) {
			print_pte((uint32_t)v);
		} else if (ai->kind == AK_STR) {
			out_string(OUT_ANY, ai->key, fmt, ev->sub_ops);
		} else if (ai->kind == AK_ADDR || ai->kind == AK_HEX) {
			out_addr(OUT_ANY, ai->key, fmt, v);
		} else if (ai->kind == AK_S32) {
			snprintf(fmt, sizeof(fmt), " %s=%%" PRId64, ai->key);
			out_i64(OUT_ANY, ai->key, fmt, (int64_t)v);
		} else {
			snprintf(fmt, sizeof(fmt), " %s=%%" PRIu64, ai->key);
			out_u64(OUT_ANY, ai->key, fmt, v);
		}
	}
	out_nl();
	out_close_object();
}

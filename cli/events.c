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
#include "records.h"

enum attr_kind { AK_U8, AK_U32, AK_S32, AK_U64, AK_ADDR, AK_HEX, AK_STR };

/* Whether an attribute is in the one-line form of the TUI's event pane. */
enum attr_brief { BRIEF_NO, BRIEF_YES, BRIEF_NONZERO };

/* How each attribute decodes and prints; the JSON key is also the text key. */
static const struct attr_info {
	const char *key;
	enum attr_kind kind;
	enum attr_brief brief;
} attr_table[DEVEXCL_A_MAX + 1] = {
	[DEVEXCL_A_TIMESTAMP] = { "timestamp_ns", AK_U64 },
	[DEVEXCL_A_OP_ID] = { "op_id", AK_U64, BRIEF_YES },
	[DEVEXCL_A_OP] = { "op", AK_U8 },
	[DEVEXCL_A_PID] = { "pid", AK_U32 },
	[DEVEXCL_A_CALLER_PID] = { "caller_pid", AK_U32 },
	[DEVEXCL_A_MM_ID] = { "mm_id", AK_HEX },
	[DEVEXCL_A_ADDR] = { "addr", AK_ADDR, BRIEF_YES },
	[DEVEXCL_A_PFN] = { "pfn", AK_ADDR, BRIEF_YES },
	[DEVEXCL_A_OWNER] = { "owner", AK_HEX, BRIEF_YES },
	[DEVEXCL_A_ERRNO] = { "errno", AK_S32, BRIEF_NONZERO },
	[DEVEXCL_A_PTE] = { "pte", AK_U32 },
	[DEVEXCL_A_MAPCOUNT] = { "mapcount", AK_S32 },
	[DEVEXCL_A_EVENT] = { "event", AK_U32, BRIEF_YES },
	[DEVEXCL_A_RANGE_START] = { "range_start", AK_ADDR, BRIEF_YES },
	[DEVEXCL_A_RANGE_END] = { "range_end", AK_ADDR, BRIEF_YES },
	[DEVEXCL_A_SUB_KIND] = { "sub_kind", AK_U8 },
	[DEVEXCL_A_SUB_OPS] = { "sub_ops", AK_STR, BRIEF_YES },
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
	 * And the aligned length must fit too: mnl_attr_parse() walks up to
	 * MNL_ALIGN(nlmsg_len), so an unaligned message at the end of @len
	 * had its last attribute read up to 3 bytes past it (seed
	 * regress-unaligned-tail).  The kernel pads every message it sends.
	 */
	if (len < sizeof(*nlh) || nlh->nlmsg_len > len ||
	    MNL_ALIGN((size_t)nlh->nlmsg_len) > len || !mnl_nlmsg_ok(nlh, (int)len) ||
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

/* Attributes named rather than numbered in the text and JSON outputs. */
static const char *attr_name(int a, uint64_t v)
{
	switch (a) {
	case DEVEXCL_A_OP:
		return v == DEVEXCL_OP_TYPE_CONVERT ? "convert" : "restore";
	case DEVEXCL_A_EVENT:
		return v < sizeof(notify_events) / sizeof(notify_events[0]) ? notify_events[v] : "unknown";
	case DEVEXCL_A_SUB_KIND:
		return v == DEVEXCL_SUB_INTERVAL ? "interval" : "classic";
	default:
		return NULL;
	}
}

/* The text of attribute @a of @ev, as 'devexctl monitor' prints it. */
static void attr_text(const struct dx_event *ev, int a, char *buf, size_t len)
{
	const struct attr_info *ai = &attr_table[a];
	uint64_t v = ev->num[a];
	size_t used = 0;

	if (attr_name(a, v)) {
		snprintf(buf, len, "%s", attr_name(a, v));
	} else if (a == DEVEXCL_A_PTE) {
		buf[0] = '\0';
		for (unsigned int i = 0; i < PTE_NBITS; i++)
			if (v & (1u << i) && used < len)
				used += (size_t)snprintf(buf + used, len - used, "%s%s",
							 used ? "," : "", pte_bit_names[i]);
		if (!used)
			snprintf(buf, len, "-");
	} else if (ai->kind == AK_STR) {
		snprintf(buf, len, "%s", ev->sub_ops);
	} else if (ai->kind == AK_ADDR || ai->kind == AK_HEX) {
		snprintf(buf, len, "0x%" PRIx64, v);
	} else if (ai->kind == AK_S32) {
		snprintf(buf, len, "%" PRId64, (int64_t)v);
	} else {
		snprintf(buf, len, "%" PRIu64, v);
	}
}

/* The JSON member of attribute @a, typed; @text is its attr_text(). */
static void attr_json(const struct dx_event *ev, int a, const char *text)
{
	const struct attr_info *ai = &attr_table[a];
	uint64_t v = ev->num[a];

	if (a == DEVEXCL_A_PTE) {
		out_open_object(ai->key);
		for (unsigned int i = 0; i < PTE_NBITS; i++)
			out_bool(OUT_JSON, pte_bit_names[i], "", v & (1u << i));
		out_close_object();
	} else if (attr_name(a, v) || ai->kind == AK_STR || ai->kind == AK_ADDR ||
		   ai->kind == AK_HEX) {
		out_string(OUT_JSON, ai->key, "", text);
	} else if (ai->kind == AK_S32) {
		out_i64(OUT_JSON, ai->key, "", (int64_t)v);
	} else {
		out_u64(OUT_JSON, ai->key, "", v);
	}
}

void event_print(const struct dx_event *ev)
{
	char text[160];

	out_open_object(NULL);
	out_string(OUT_ANY, "type", "%-8s", event_cmd_name(ev->cmd));
	for (int a = 0; a <= DEVEXCL_A_MAX; a++) {
		if (!ev->has[a] || !attr_table[a].key)
			continue;
		attr_text(ev, a, text, sizeof(text));
		out_text(" %s=%s", attr_table[a].key, text);
		attr_json(ev, a, text);
	}
	out_nl();
	out_close_object();
}

void event_format(const struct dx_event *ev, char *buf, size_t len)
{
	char text[160];
	size_t used = (size_t)snprintf(buf, len, "%-7s", event_cmd_name(ev->cmd));

	for (int a = 0; a <= DEVEXCL_A_MAX && used < len; a++) {
		if (!ev->has[a] || attr_table[a].brief == BRIEF_NO ||
		    (attr_table[a].brief == BRIEF_NONZERO && !ev->num[a]))
			continue;
		attr_text(ev, a, text, sizeof(text));
		used += (size_t)snprintf(buf + used, len - used, " %s=%s", attr_table[a].key, text);
	}
}

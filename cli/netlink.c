// SPDX-License-Identifier: GPL-2.0-or-later
/* Generic netlink through libmnl: resolving a family and its groups. */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "netlink.h"

static int mcgrp_cb(const struct nlattr *nest, struct genl_family_info *info)
{
	const struct nlattr *grp;

	mnl_attr_for_each_nested(grp, nest) {
		const struct nlattr *a;
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				 mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				id = mnl_attr_get_u32(a);
		}
		if (name && strcmp(name, DEVEXCL_GENL_MCGRP) == 0)
			info->events_group = id;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_family_info *info = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				info->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				info->version = mnl_attr_get_u32(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mcgrp_cb(a, info);
			break;
		}
	}
	return MNL_CB_OK;
}

int genl_resolve(const char *name, struct genl_family_info *info)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret;

	memset(info, 0, sizeof(*info));
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	while ((ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, (size_t)ret, seq, portid, family_cb, info);
		if (ret <= MNL_CB_STOP)
			break;
	}
	ret = ret < 0 ? -errno : 0;
	if (ret == 0 && info->id == 0)
		ret = -ENOENT;
out:
	mnl_socket_close(nl);
	return ret;
}

int genl_join_events(struct mnl_socket **nlp)
{
	struct genl_family_info fi;
	struct mnl_socket *nl;
	int err = genl_resolve(DEVEXCL_GENL_NAME, &fi);

	if (err == -ENOENT)
		return err_set(-ENOPATCH, "generic netlink family '%s' not found", DEVEXCL_GENL_NAME);
	if (err)
		return err_set(err, "resolving generic netlink family '%s'", DEVEXCL_GENL_NAME);
	if (!fi.events_group)
		return err_set(-ENOPATCH, "family '%s' has no '%s' group", DEVEXCL_GENL_NAME,
			       DEVEXCL_GENL_MCGRP);
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		return err_set(-errno, "netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &fi.events_group,
				  sizeof(fi.events_group)) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		if (err == -EPERM || err == -EACCES) {
			err_set(-EPERM, "joining the '%s' group", DEVEXCL_GENL_MCGRP);
			err_hint("the devexcl events group needs CAP_SYS_ADMIN: run as root");
			return -EPERM;
		}
		return err_set(err, "joining the '%s' group", DEVEXCL_GENL_MCGRP);
	}
	*nlp = nl;
	return 0;
}

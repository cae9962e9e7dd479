// SPDX-License-Identifier: GPL-2.0
/* runas UID[:GID] CMD [ARGS]: drop to UID/GID (no supplementary groups, no
 * capabilities) and exec CMD. A tiny stand-in for setpriv --reuid, which
 * busybox lacks. */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long uid, gid;
	char *end;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID[:GID] CMD [ARGS...]\n");
		return 2;
	}
	uid = strtoul(argv[1], &end, 10);
	gid = *end == ':' ? strtoul(end + 1, NULL, 10) : uid;
	if (setgroups(0, NULL) || setgid(gid) || setuid(uid)) {
		perror("runas");
		return 126;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}

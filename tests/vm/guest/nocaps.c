// SPDX-License-Identifier: GPL-2.0
/* nocaps CMD [ARGS]: run CMD as the same uid with no capabilities at all,
 * not even after exec as uid 0 (securebits NOROOT, locked). */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { { 0 } };

	if (argc < 2) {
		fprintf(stderr, "usage: nocaps CMD [ARGS...]\n");
		return 2;
	}
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
		  SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED) ||
	    syscall(SYS_capset, &h, d)) {
		perror("nocaps");
		return 126;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}

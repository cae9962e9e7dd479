// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: reading a recording (cli/record_read.c: zlib, the
 * line splitter; cli/record_model.c: jansson and the checks of every
 * line) and printing report's summary (cli/cmd_report.c), as 'devexctl
 * report FILE' does. Input: one byte (bit 0: JSON or text output), then
 * the file's bytes, gzip or plain, put in a memfd and read through
 * /proc/self/fd. An error must come back as a negative errno with its
 * message; nothing may crash, leak or read out of bounds.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "commands.h"
#include "errors.h"
#include "output.h"

#define BUG_ON(cond) \
	do { if (cond) { fprintf(stderr, "invariant: %s\n", #cond); abort(); } } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], *argv[1] = { path };
	struct cmd_ctx c = { .argc = 1, .argv = argv };
	int fd, err;

	if (size < 1)
		return 0;
	fd = memfd_create("recording", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	out_init(data[0] & 1, data[0] & 2);
	err = cmd_report(&c);
	out_fail(err);
	BUG_ON(err > 0);
	if (err) {
		char text[640];

		BUG_ON(err_exit_status(err) != 1);	/* a bad file is exit 1, never a crash */
		BUG_ON(err_text(err, text, sizeof(text))[0] == '\0');
	}
	err_clear();
	close(fd);
	return 0;
}

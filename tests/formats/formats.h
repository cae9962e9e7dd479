/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tracepoint formats the tests decode with, loaded into a
 * libtraceevent handle. The device_exclusive and mmu_notifier files under
 * tests/formats/SYSTEM/EVENT are written as the kernel generates
 * events/SYSTEM/EVENT/format from spec/tracefs-events.md (common fields,
 * then each field naturally aligned); the sched ones are a real kernel's
 * (6.18: parent_comm and child_comm are __data_loc strings there). Replace
 * them with the guest's own
 * (cat /sys/kernel/tracing/events/SYSTEM/EVENT/format) and the unit test
 * and the fuzzer follow: records are built from the parsed offsets.
 */
#ifndef DEVEXCTL_TEST_FORMATS_H
#define DEVEXCTL_TEST_FORMATS_H

#include <event-parse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FORMATS_DIR
#error "FORMATS_DIR: the tests/formats directory, set by the Makefile"
#endif

static const char *const test_formats[][2] = {
	{ "device_exclusive", "device_exclusive_set" },
	{ "device_exclusive", "device_exclusive_restore" },
	{ "device_exclusive", "device_exclusive_remove" },
	{ "mmu_notifier", "mmu_notifier_invalidate_range_start" },
	{ "mmu_notifier", "mmu_notifier_invalidate_range_end" },
	{ "mmu_notifier", "mmu_notifier_invalidate_subscriber" },
	{ "sched", "sched_process_fork" },
	{ "sched", "sched_process_exit" },
};
#define N_TEST_FORMATS (sizeof(test_formats) / sizeof(test_formats[0]))

/* Parse one format text into @tep: 0 or -1. */
static inline int test_parse_format(struct tep_handle *tep, const char *sys, const char *text)
{
	return tep_parse_event(tep, text, strlen(text), sys) == TEP_ERRNO__SUCCESS ? 0 : -1;
}

/* A handle with every format of test_formats[]; NULL (and a message) on failure. */
static inline struct tep_handle *test_formats_load(void)
{
	struct tep_handle *tep = tep_alloc();

	if (!tep)
		return NULL;
	tep_set_long_size(tep, 8);
	tep_set_file_bigendian(tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, TEP_LITTLE_ENDIAN);
	for (size_t i = 0; i < N_TEST_FORMATS; i++) {
		char path[4096], text[8192];
		size_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s/%s", FORMATS_DIR, test_formats[i][0],
			 test_formats[i][1]);
		f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "formats: cannot open %s\n", path);
			tep_free(tep);
			return NULL;
		}
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		if (test_parse_format(tep, test_formats[i][0], text)) {
			fprintf(stderr, "formats: %s does not parse\n", path);
			tep_free(tep);
			return NULL;
		}
	}
	return tep;
}

/* The record size the format of @e describes: the end of its last field. */
static inline int test_record_size(struct tep_event *e)
{
	int end = 0;

	for (struct tep_format_field *f = e->format.common_fields; f; f = f->next)
		if (f->offset + f->size > end)
			end = f->offset + f->size;
	for (struct tep_format_field *f = e->format.fields; f; f = f->next)
		if (f->offset + f->size > end)
			end = f->offset + f->size;
	return end;
}

/* Store @v in field @name of the record @rec (little-endian); 0 or -1 when absent. */
static inline int test_set_field(struct tep_event *e, unsigned char *rec, const char *name,
				 unsigned long long v)
{
	struct tep_format_field *f = tep_find_any_field(e, name);

	if (!f || f->size > 8)
		return -1;
	for (int i = 0; i < f->size; i++)
		rec[f->offset + i] = (unsigned char)(v >> (8 * i));
	return 0;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report's verdicts over a recording (report_checks.c). */
#ifndef DEVEXCTL_REPORT_CHECKS_H
#define DEVEXCTL_REPORT_CHECKS_H

struct check_run;
struct rec_model;

/* Before the file is read: collect its events for the judges into a new *@rp. */
int report_checks_begin(struct rec_model *m, struct check_run **rp);
/* After: judge them and print the "verdicts" object; the number of failed checks. */
int report_checks_print(const struct rec_model *m, struct check_run *r);

#endif

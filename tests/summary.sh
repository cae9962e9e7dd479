#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the result of the last 'make check' as one line:
#   N passed, N failed[, N skipped]
# from BUILDDIR/test-suite.log (Automake's summary of the last run), or,
# without it, from the .trs files under BUILDDIR/tests.  Errors and
# unexpected passes count as failed, expected failures as passed.
#   usage: tests/summary.sh [BUILDDIR]      (default: .)
# Exit status: 0 when nothing failed, 1 otherwise, 2 when there are no results.
dir=${1:-.}
log=$dir/test-suite.log

if [ -f "$log" ]; then
	counts=$(sed -n 's/^# \(PASS\|FAIL\|SKIP\|XFAIL\|XPASS\|ERROR\): *\([0-9][0-9]*\)$/\1 \2/p' "$log" | sed -n '1,6p')
else
	counts=$(find "$dir/tests" -name '*.trs' -exec sed -n 's/^:test-result: *\([A-Z]*\).*/\1 1/p' {} + 2>/dev/null)
fi
if [ -z "$counts" ]; then
	echo "summary.sh: no test results under $dir (run 'make check' first)" >&2
	exit 2
fi
echo "$counts" | awk '
	$1 == "PASS" || $1 == "XFAIL" { p += $2 }
	$1 == "FAIL" || $1 == "ERROR" || $1 == "XPASS" { f += $2 }
	$1 == "SKIP" { s += $2 }
	END {
		line = sprintf("%d passed, %d failed", p, f)
		if (s) line = line sprintf(", %d skipped", s)
		print line
		exit f ? 1 : 0
	}'

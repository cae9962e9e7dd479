# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/cmddeps: the check that every command the scripts run has its
package in scripts/deps; run as python3 tests/cmddeps (__main__.py)."""

"""Print the fuzz run's figures at the end: cases, failed cases (hypothesis shrinks a failure,
so one failing test counts several), the slowest case and the peak memory of the process."""

from __future__ import annotations

import resource


def pytest_terminal_summary(terminalreporter):
    from .strategies import STATS

    if not STATS["cases"]:
        return
    took, name = STATS["slowest"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    terminalreporter.write_line(
        f"fuzz: {STATS['cases']} cases, {STATS['failed']} failed, slowest {took:.1f} s ({name}), "
        f"peak memory {peak_mb:.0f} MB (largest child process {children_mb:.0f} MB)")

"""What every command shares: the exit codes and the report of an unreadable input."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic is not imported at start-up (report-writer --help)
    from ..findings import DataFileError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
# Stopped by the user (Ctrl-C, SIGINT) or by the system (SIGTERM): the shell's 128 + signal number.
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every `finally` and atomic_write's cleanup
    runs (no half-written .tmp file is left behind). A BaseException: no `except Exception` eats it."""


def fail_unreadable(err: DataFileError) -> None:
    """Print why an input file could not be read and exit 2."""
    from ..output import console, print_findings

    out = console(stderr=True)
    print_findings(err.findings, "无法读取输入文件", out)
    sys.exit(EXIT_UNREADABLE)

"""Run the CLI in a child process under a hard address-space cap and a time limit, as a hostile
file would meet it in production: tracemalloc cannot see lxml's or openpyxl's C allocations."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def run_capped(args: list[str], megabytes: int = 1500, seconds: float = 60) -> tuple[int, str, float]:
    """(exit code, stderr+stdout, seconds) of `report-writer ARGS` in a child capped at `megabytes`."""

    def cap() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = "import sys; from report_writer.cli.main import main; sys.argv[0] = 'report-writer'; main()"
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=seconds, preexec_fn=cap, env=env)
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started

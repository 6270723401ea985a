"""Issue 16, signals: SIGTERM during a long write leaves no .tmp file and no output; Ctrl-C
prints a Chinese message and exits 130 (not click's English "Aborted!" with 1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import EXAMPLE

SRC = Path(__file__).resolve().parents[2] / "src"

# A slow disk: every fsync of an output takes 30 s, so the signal arrives mid-write.
SLOW_WRITE = """
import os, sys, time
from report_writer import fileio
real_fsync = os.fsync
def slow_fsync(fd):
    time.sleep(30)
    real_fsync(fd)
fileio.os.fsync = slow_fsync
from report_writer.cli.main import main
sys.argv[0] = "report-writer"
main()
"""


@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGTERM, 143, "已终止（收到 SIGTERM 信号）"),
    (signal.SIGINT, 130, "已中断（Ctrl-C）"),
])
def test_a_signal_during_a_write_leaves_nothing_behind(tmp_path, signum, code, message):
    out = tmp_path / "out.xlsx"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITE, "convert", str(EXAMPLE), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert message in stderr and "Aborted" not in stderr + stdout
    assert list(tmp_path.iterdir()) == []  # neither the temporary file nor a half output


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_to_a_parallel_batch(tmp_path, signum, code):
    """Ctrl-C reaches every process of the group: one Chinese message, no worker tracebacks,
    no temporary files among the annotated copies, and the batch stops promptly."""
    import shutil

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for k in range(200):
        shutil.copy(EXAMPLE.parent / "drafts" / "clean.docx", drafts / f"r{k}.docx")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(SRC))
    code_ = "import sys; from report_writer.cli.main import main; sys.argv[0] = 'report-writer'; main()"
    proc = subprocess.Popen([sys.executable, "-c", code_, "check", str(drafts), "--jobs", "2", "--no-nlp",
                             "--annotate", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not (out.is_dir() and len(list(out.iterdir())) >= 3):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.05)
    os.killpg(proc.pid, signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert len(list(out.iterdir())) < 200  # it stopped

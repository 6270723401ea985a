"""Safe output files: write atomically, and never write over an input.

Every command that writes a file uses these two functions:

    refuse_same_path(out, data_file, template)   # before doing the work
    atomic_write(out, docx_bytes)                # at the end
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output file cannot or must not be written; the message is Chinese and says why."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):
        pass
    try:
        return os.path.samefile(a, b)  # hard links, bind mounts, case-insensitive file systems
    except OSError:
        return False


def refuse_same_path(output: str | os.PathLike, *inputs: str | os.PathLike | None) -> None:
    """Raise OutputError when `output` is one of `inputs` (same resolved path or same inode)."""
    out = Path(output)
    for inp in inputs:
        if inp is None:
            continue
        if _same_file(out, Path(inp)):
            raise OutputError(f"输出文件“{output}”与输入文件“{inp}”是同一个文件；"
                              "为防止覆盖原文件，请用 -o 另行指定输出文件名")


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` all at once: a temporary file in the same directory, then os.replace.

    On any failure the temporary file is removed and `path` keeps its old content (or stays
    absent). Missing parent directories are created. Returns the path written.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"“{path}”是一个文件夹，请指定输出文件名（如 {path / '报告.docx'}）")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"无法创建输出目录“{parent}”：{e.strerror or e}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        raise OutputError(f"无法在“{parent}”中写入文件：{e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            # Keep the permissions of the file being replaced.
            try:
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"无法写入“{path}”：{e.strerror or e}") from None
        raise
    return path

"""Safe output files: write atomically, and never write over an input.

Every command that writes a file uses these two functions:

    refuse_same_path(out, data_file, template)   # before doing the work
    atomic_write(out, docx_bytes)                # at the end
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from pathlib import Path


class OutputError(Exception):
    """An output file cannot or must not be written; the message is Chinese and says why."""


def not_regular(path: str | os.PathLike) -> str | None:
    """Chinese: what `path` is when it exists but is not a regular file (FIFO, device, socket).

    A FIFO blocks a reader for ever and /dev/zero never ends, and both report st_size 0, so
    no size limit sees them: inputs must be regular files, outputs must not replace anything else.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("命名管道（FIFO）" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "套接字" if stat.S_ISSOCK(mode) else "特殊文件")
    return f"“{path}”是{kind}，不是普通文件"


def read_capped(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of a regular file, never more than max_bytes + 1 however the file lies about
    its size (a file that grows while read, /proc). Raises OSError as open() does, ValueError
    (Chinese) for a file that is not regular."""
    problem = not_regular(path)
    if problem:
        raise ValueError(problem + "，无法作为输入读取")
    with open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped between stat and open
            raise ValueError(f"“{path}”不是普通文件，无法作为输入读取")
        return fh.read(max_bytes + 1)


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
    """Raise OutputError when `output` is one of `inputs` (same resolved path or same inode), or
    is no path to write at all (check_output_path): every command calls this before its work."""
    out = Path(output)
    check_output_path(out)
    for inp in inputs:
        if inp is None:
            continue
        if _same_file(out, Path(inp)):
            raise OutputError(f"输出文件“{output}”与输入文件“{inp}”是同一个文件；"
                              "为防止覆盖原文件，请用 -o 另行指定输出文件名")


def check_output_path(path: str | os.PathLike) -> None:
    """Refuse, before any work, an output path that cannot or must not be written: a folder, a
    FIFO or device (writing would block or replace it), a name too long for the file system."""
    path = Path(path)
    for part in (path.name, *path.parent.parts):
        size = len(part.encode("utf-8", "surrogateescape"))
        limit = NAME_MAX_BYTES if part == path.name else 255
        if size > limit:
            raise OutputError(f"输出{'文件' if part == path.name else '目录'}名过长（{size} 字节；文件系统允许 255 字节，"
                              f"写入时还要加临时后缀，故文件名最多 {NAME_MAX_BYTES} 字节，约 {NAME_MAX_BYTES // 3} 个汉字），"
                              "请用较短的名称")
    try:
        is_dir = path.is_dir()
    except OSError as e:
        raise OutputError(f"无法使用输出路径“{path}”：{e.strerror or e}") from None
    if is_dir:
        raise OutputError(f"“{path}”是一个文件夹，请指定输出文件名（如 {path / '报告.docx'}）")
    problem = not_regular(path)
    if problem:
        raise OutputError(f"{problem}；为安全起见不写入，请另行指定输出文件名")


_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _hold_signals():
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)


def _release_signals(held) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


NAME_MAX_BYTES = 255 - len(".tmp") - 10  # most file systems; the temporary name adds a prefix and suffix


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` all at once: a temporary file in the same directory, then os.replace.

    On any failure the temporary file is removed and `path` keeps its old content (or stays
    absent). Missing parent directories are created. Returns the path written.
    """
    path = Path(path)
    check_output_path(path)
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"无法创建输出目录“{parent}”：{e.strerror or e}") from None
    held = _hold_signals()  # a Ctrl-C or SIGTERM between mkstemp and `try` would leak the file
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        _release_signals(held)
        raise OutputError(f"无法在“{parent}”中写入文件：{e.strerror or e}") from None
    try:
        _release_signals(held)  # a signal now raises here or later, inside the cleanup's reach
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

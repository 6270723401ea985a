"""The user's cache folder for things worth keeping between runs (jieba's prepared dictionary).

    user_cache_dir() -> Path | None

$XDG_CACHE_HOME/report-writer (or ~/.cache/report-writer), created with mode 0700. A folder
that is not a real folder of this user, or that others can write to, is not used (a file planted
there would be loaded as trusted data): None then, and the caller works without a cache.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

APP = "report-writer"


def _base() -> Path | None:
    env = os.environ.get("XDG_CACHE_HOME")
    if env and os.path.isabs(env):
        return Path(env)
    try:
        return Path.home() / ".cache"
    except (RuntimeError, KeyError):  # no home directory
        return None


def private(path: Path, want_dir: bool) -> bool:
    """Is `path` (not a symlink) a folder or file of this user that nobody else can write?"""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(st.st_mode) if want_dir else stat.S_ISREG(st.st_mode)
    owner_ok = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return kind_ok and owner_ok and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def user_cache_dir() -> Path | None:
    """The cache folder (created if needed), or None when it cannot be used safely."""
    base = _base()
    if base is None:
        return None
    path = base / APP
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not private(path, want_dir=True) or not os.access(path, os.W_OK | os.X_OK):
        return None
    return path


def read_private(path: Path) -> bytes | None:
    """The content of a cache file, or None when it is absent or not private (see `private`)."""
    if not private(path, want_dir=False):
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_private(path: Path, data: bytes) -> bool:
    """Write a cache file all at once (mode 0600, temporary file then rename); False on failure."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False

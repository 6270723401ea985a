"""Uploads: the body-size bound, the per-request folder, safe names and safe .zip extraction.

The client's file names are shown to the user but never used as a path: each upload is
written under a fresh folder of the request's temporary directory with a cleaned name, and a
.zip member whose name climbs out of the archive (../, /etc, C:\\) makes the whole archive
refused.
"""

from __future__ import annotations

import re
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Awaitable, Callable

from ..limits import exceeded, zip_problem

CHUNK = 1024 * 1024
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


class UploadError(Exception):
    """An upload is refused; `message` is Chinese, `status` the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Saved:
    name: str  # as the user knows it: the uploaded file name, or the path inside the .zip
    path: Path  # where it was written in the request's folder

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def display_name(filename: str | None) -> str:
    """The last part of a client's file name (browsers on Windows may send C:\\…\\报告.docx)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:120] or "未命名"


def _target(folder: Path, n: int, name: str) -> Path:
    sub = folder / f"{n:04d}"
    sub.mkdir(parents=True, exist_ok=False)
    return sub / display_name(name)


async def save_upload(upload, folder: Path, n: int) -> Saved:
    """Copy one starlette UploadFile into the request's folder (in chunks, never whole in memory)."""
    name = display_name(upload.filename)
    path = _target(folder, n, name)
    with open(path, "wb") as out:
        while chunk := await upload.read(CHUNK):
            out.write(chunk)
    return Saved(name=name, path=path)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: names from Chinese Windows are GBK without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")


def climbs_out(name: str) -> bool:
    return name.startswith("/") or bool(re.match(r"^[A-Za-z]:", name)) or ".." in PurePosixPath(name).parts


def extract_zip(archive: Saved, folder: Path, first: int, suffixes: tuple[str, ...], max_files: int,
                progress: Callable[[int], None] | None = None) -> list[Saved]:
    """The drafts inside an uploaded .zip, written under `folder`; UploadError when it must not be unpacked."""
    try:
        zf = zipfile.ZipFile(archive.path)
    except (zipfile.BadZipFile, OSError):
        raise UploadError(400, f"“{archive.name}”不是有效的 .zip 压缩包，无法解压") from None
    with zf:
        problem = zip_problem(zf)
        if problem:
            raise UploadError(400, f"“{archive.name}”：{problem}")
        members = []
        for info in zf.infolist():
            name = member_name(info)
            if climbs_out(name):
                raise UploadError(400, f"压缩包“{archive.name}”中的“{name[:80]}”指向压缩包以外的位置，"
                                       "为安全起见，整个压缩包不予处理")
            if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
                continue
            parts = PurePosixPath(name).parts
            if any(p.startswith((".", "~$")) or p == "__MACOSX" for p in parts):
                continue
            if PurePosixPath(name).suffix.lower() in suffixes:
                members.append((info, name))
        if len(members) > max_files:
            raise UploadError(413, f"压缩包“{archive.name}”中的报告稿过多：{exceeded('MAX_UPLOAD_FILES', max_files, len(members))}")
        saved = []
        for i, (info, name) in enumerate(members):
            path = _target(folder, first + i, PurePosixPath(name).name)
            try:
                with zf.open(info) as src, open(path, "wb") as out:
                    shutil.copyfileobj(src, out, CHUNK)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
                raise UploadError(400, f"压缩包“{archive.name}”中的“{name[:80]}”无法解压（{type(e).__name__}），"
                                       "压缩包可能已损坏或已加密") from None
            saved.append(Saved(name=f"{archive.name}/{name}", path=path))
        return saved


# ---------------------------------------------------------------- the body-size bound


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` is answered 413 at once.

    A declared Content-Length over the bound is refused before a byte is read; a body without
    one (chunked) or that lies is counted while it streams and cut off where it passes the bound.
    """

    def __init__(self, app, max_bytes: int, page: Callable[[str], bytes]):
        self.app, self.max_bytes, self.page = app, max_bytes, page

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        try:
            size = int(declared) if declared is not None else None
        except ValueError:
            size = None
        if size is not None and size > self.max_bytes:
            await self._refuse(send, size)
            return
        seen, started = 0, False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        async def watching_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(send, None)

    async def _refuse(self, send: Callable[[dict], Awaitable[None]], size: int | None) -> None:
        body = self.page(f"上传内容过大，未予处理：{exceeded('MAX_UPLOAD_BYTES', self.max_bytes, size)}"
                         "；也可分批上传")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

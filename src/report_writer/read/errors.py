"""The one error every reader raises: the file cannot be read as a report."""

from __future__ import annotations

import os


class ReadError(Exception):
    """The file cannot be read as a report; `message` is Chinese and says what to do."""

    def __init__(self, path: str | os.PathLike, message: str):
        super().__init__(message)
        self.path = str(path)
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}：{self.message}"

"""Load a data file into ReportData, or explain why not: dispatch by file type.

YAML and JSON are parsed here (yamlsrc keeps every value's line and column); .xlsx goes to
xlsx.py; both end in build.build. Every problem is collected before giving up, so a clerk
fixes the file in one pass. Problems here mean the file cannot be read into the model
(exit 2); arithmetic is judged afterwards by the rules.
"""

from __future__ import annotations

from pathlib import Path

from ..fileio import read_capped
from ..findings import DataFileError, Finding, Location
from ..limits import exceeded, limit
from .build import Loaded, _kind_zh, build
from .yamlsrc import Source, SourceError, parse_json, parse_yaml

MAX_DATA_BYTES = limit("MAX_DATA_BYTES")


def load(path: str | Path) -> Loaded:
    path = Path(path)
    name = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from .xlsx import load_xlsx

        return load_xlsx(path)
    source = read_source(path)
    return build(source, name)


def read_source(path: Path) -> Source:
    name = str(path)

    def fail(msg: str, line: int | None = None, col: int | None = None) -> DataFileError:
        return DataFileError([Finding(rule="READ", level="error", message=msg,
                                      location=Location(file=name, line=line, column=col))])

    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        hint = "；报告稿（Word、网页、文本）请用 report-writer check 审核" if suffix in (
            ".docx", ".doc", ".html", ".htm", ".txt", ".md", ".pdf") else ""
        raise fail(f"不支持的数据文件类型“{suffix or '无扩展名'}”，应为 .yaml、.yml、.json 或 .xlsx{hint}")
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise fail("数据文件过大：" + exceeded("MAX_DATA_BYTES", MAX_DATA_BYTES, size))
        raw = read_capped(path, MAX_DATA_BYTES)
        if len(raw) > MAX_DATA_BYTES:
            raise fail("数据文件过大：" + exceeded("MAX_DATA_BYTES", MAX_DATA_BYTES))
    except ValueError as e:  # a FIFO or a device
        raise fail(str(e)) from None
    except FileNotFoundError:
        raise fail("找不到数据文件") from None
    except IsADirectoryError:
        raise fail("这是一个文件夹，不是数据文件") from None
    except OSError as e:
        raise fail(f"无法读取数据文件：{e.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise fail(f"文件不是 UTF-8 编码（第 {e.start + 1} 字节无法解码），请用 UTF-8 编码另存后重试", line) from None
    if not text.strip():
        raise fail("数据文件是空的")
    try:
        source = parse_json(text) if suffix == ".json" else parse_yaml(text)
    except SourceError as e:
        raise fail(e.message, e.line, e.column) from None
    if not isinstance(source.value, dict):
        raise fail("数据文件的顶层应为字段表（meta、overview、table2 …），实为" + _kind_zh(source.value), 1)
    return source


__all__ = ["Loaded", "build", "load", "read_source", "MAX_DATA_BYTES"]

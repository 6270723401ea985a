"""A data file from a published report (.docx, .html, .txt), and the next year's starting file.

What is read: the body and year from the title; office, address, phone, postcode, website
and the local notice from the preamble; every cell of 表二/表三/表四 through the checker's
table mapper; the 总体情况 numbers that the NLP pass ties to an `overview.*` field of the
metric lexicon. What cannot be read is listed, never guessed: a cell written "/" or "—", a
row the mapper did not find, a fact stated twice with different numbers.

The result goes through `data.build.build` like any data file, so it validates the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .data import cells as cellmod
from .data.dump import model_dict, previous_format, table_dict
from .data.build import without_bad_chars
from .data.loader import build
from .data.model import YEAR_MAX, Cell, Count, ReportData
from .data.yamlsrc import Source
from .findings import DataFileError, Finding, Location
from .formats import Format, all_formats, format_for_year, get_format

TABLE_KEYS = ("table2", "table3", "table4")


class ExtractError(Exception):
    """The report was read but holds too little to make a data file (message in Chinese)."""


@dataclass
class ExtractResult:
    data: ReportData
    missing: list[str] = field(default_factory=list)  # what could not be read (left empty)
    notes: list[str] = field(default_factory=list)  # what was read with an assumption, or not attempted
    problems: list[str] = field(default_factory=list)  # section 五's problems as written (for next year's previous)


# ---------------------------------------------------------------- preamble

_PERIOD_RE = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:至|到|—|-|－|~)\s*(?:\d{4}\s*年\s*)?12\s*月\s*31\s*日")
_OFFICE_RE = re.compile(r"(?:请|可)?(?:与|向|致电|联系)\s*([^，,。；;（(：:]{3,40}?)(?:联系|咨询|反映)")
_ADDRESS_RE = re.compile(r"(?:联系)?地址\s*[:：]\s*([^，,；;。）)\n]+)")
_PHONE_RE = re.compile(r"(?:联系|咨询)?电话\s*[:：]\s*([0-9０-９][0-9０-９\-－—–()（）\s]{5,25}[0-9０-９])")
_POSTCODE_RE = re.compile(r"(?:邮编|邮政编码)\s*[:：]\s*([0-9０-９]{6})")
_URL_RE = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+;=%]+")
_NOTICE_RE = re.compile(r"《([^《》]{4,120}?)》\s*[（(]([^（）()]{2,40}?)[)）]")
_DATE_LINE_RE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


def _digits(text: str) -> str:
    return text.translate(str.maketrans("０１２３４５６７８９－—–（）", "0123456789---()"))


def _preamble(doc: Any, first_section: int, title_index: int | None) -> str:
    paras = [p.text for p in doc.paragraphs[:first_section] if title_index is None or p.index != title_index]
    return "\n".join(paras)


def read_preamble(text: str, fmt: Format | None, notes: list[str]) -> dict[str, Any]:
    """Contact details and the local notice, from the paragraphs before 一、总体情况."""
    meta: dict[str, Any] = {}
    m = _OFFICE_RE.search(text)
    if m:
        office = m.group(1).strip()
        office = re.sub(r"^(?:本机关|本单位)", "", office)
        if office:
            meta["office"] = office
    m = _ADDRESS_RE.search(text)
    if m:
        meta["address"] = m.group(1).strip()
    m = _PHONE_RE.search(text)
    if m:
        raw = m.group(1).strip()
        phone = re.sub(r"\s+", "", _digits(raw))
        tidy = re.sub(r"-{2,}", "-", phone)
        if tidy != phone:
            notes.append(f"联系电话原文为“{raw}”，已将连续的短横线合并为一个：{tidy}")
        meta["phone"] = tidy
    m = _POSTCODE_RE.search(text)
    if m:
        meta["postcode"] = _digits(m.group(1))
    m = _URL_RE.search(text)
    if m:
        meta["website"] = m.group(0).rstrip(".,;)")
    skip_numbers = {f.notice.number for f in all_formats().values()}
    for m in _NOTICE_RE.finditer(text):
        title, number = m.group(1).strip(), m.group(2).strip()
        if "条例" in title or number in skip_numbers or "国务院办公厅" in title or "国务院令" in number:
            continue
        if "通知" in title and re.search(r"〔\d{4}〕|\[\d{4}\]|\d+号", number):
            meta["local_notice"] = {"title": title, "number": number}
            break
    return meta


def _report_date(doc: Any) -> str | None:
    for p in reversed(doc.paragraphs[-4:]):
        m = _DATE_LINE_RE.match(p.text)
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


# ---------------------------------------------------------------- tables


def _cell_name(fmt: Format, tid: str, rid: str, cid: str | None = None) -> str:
    from .rules import cell_name

    return cell_name(fmt.table(tid), rid, cid)


def _clean_cell(cell: Cell, kind: str) -> Cell:
    """Keep a spelled number (减8) only when a data file can carry that spelling back."""
    if cell.raw is None:
        return cell
    try:
        again = cellmod.from_data(cell.raw, kind)
    except cellmod.CellError:
        return Cell.number(cell.value)  # type: ignore[arg-type]
    return cell if again == cell else Cell.number(cell.value)  # type: ignore[arg-type]


def read_tables(mapped: Any, fmt: Format, missing: list[str]) -> dict[str, dict[str, dict[str, Cell]]]:
    """Every cell the mapper read; every other cell listed (empty rows of absent tables at once)."""
    out: dict[str, dict[str, dict[str, Cell]]] = {}
    for tid in TABLE_KEYS:
        table = fmt.table(tid)
        got = (mapped.tables.get(tid) or {}) if mapped is not None else {}
        if not got:
            missing.append(f"{table.name}（{table.title}）：报告中未找到该表，整表留空")
            continue
        rows: dict[str, dict[str, Cell]] = {}
        for row in table.data_rows():
            if row.id not in got:
                missing.append(f"{_cell_name(fmt, tid, row.id)}：报告中未找到该行，整行留空")
                continue
            rcells: dict[str, Cell] = {}
            for col in table.columns_of(row.id):
                c = got[row.id].get(col.id)
                unsure = (getattr(mapped, "unsure", {}) or {}).get((tid, row.id, col.id))
                if c is None and unsure:
                    missing.append(f"{_cell_name(fmt, tid, row.id, col.id)}：{unsure}，留空")
                elif c is None:
                    missing.append(f"{_cell_name(fmt, tid, row.id, col.id)}：报告中未找到，留空")
                elif c.is_number and c.value is not None:
                    rcells[col.id] = _clean_cell(c, col.kind)
                else:
                    shown = {"empty": "空白", "slash": "“/”", "dash": "“—”", "none": "“无”"}.get(
                        c.state, f"“{c.raw or ''}”")
                    missing.append(f"{_cell_name(fmt, tid, row.id, col.id)}：报告中为{shown}，不是数字，留空")
            rows[row.id] = rcells
        out[tid] = rows
    return out


# ---------------------------------------------------------------- 总体情况 through the NLP pass


def read_overview(doc: Any, sections: list, fmt: Format, body: str | None, level: str | None,
                  missing: list[str], notes: list[str]) -> dict[str, Any]:
    """Facts of 一、总体情况 the NLP pass ties to an overview.* field; conflicting ones are listed."""
    span = next((s for s in sections if s.id == "overview"), None)
    if span is None:
        missing.append("一、总体情况：报告中未找到该部分，其中的数字未提取")
        return {}
    try:
        from .nlp.claims import Context, link, load_lexicon
    except ImportError:  # pragma: no cover - the NLP pass is part of the package
        notes.append("总体情况：本机未装自然语言处理模块，其中的数字未提取")
        return {}
    lex = load_lexicon()
    ctx = Context(body=body, level=level)
    found: dict[str, list[tuple[Count, str]]] = {}
    for p in doc.paragraphs[span.paragraph + 1: span.end]:
        for claim in link(p.text, lex, ctx):
            if len(claim.metrics) != 1 or claim.negated or claim.quantity is None or claim.scope is not None:
                continue
            metric = lex.metrics.get(claim.metrics[0])
            paths = metric.paths(fmt.id) if metric else []
            if len(paths) != 1 or not paths[0].startswith("overview."):
                continue
            count = _count_of(claim.quantity)
            if count is None:
                missing.append(f"{paths[0]}（{metric.label}）：原文“{claim.quantity.text}”无法写成数字，未填写")
                continue
            found.setdefault(paths[0], []).append((count, claim.quantity.text))
    out: dict[str, Any] = {}
    for path, values in found.items():
        distinct = {c.text(): t for c, t in values}
        if len(distinct) > 1:
            label = next(m.label for m in lex.metrics.values() if m.paths(fmt.id) == [path])
            missing.append(f"{path}（{label}）：报告中出现不同的数（{'、'.join(distinct.values())}），未填写")
            continue
        _set(out, path.split(".")[1:], values[0][0].model_dump())
    notes.append("总体情况：只提取了能可靠对应到数据字段的数字；专题、目录、文件和各项做法的文字未提取，请按原文补充")
    return out


def _count_of(q: Any) -> Count | None:
    text = q.text
    if q.unit and text.endswith(q.unit):
        text = text[: -len(q.unit)]
    try:
        return Count.model_validate(text.strip())
    except Exception:
        pass
    if q.exact and q.value is not None and q.value >= 0:
        return Count.model_validate(q.value)
    return None


def _set(d: dict, parts: list[str], value: Any) -> None:
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = value


# ---------------------------------------------------------------- the whole report


def extract_report(path: str | Path) -> ExtractResult:
    """Read a report into ReportData; raise DataFileError when the file cannot be read at all."""
    from .read import ReadError, read_document

    name = str(path)
    try:
        doc = read_document(path)
    except ReadError as e:
        raise DataFileError([Finding(rule="READ", level="error", message=e.message,
                                     location=Location(file=name))]) from None
    return extract_source(doc, name)


def extract_source(doc: Any, name: str) -> ExtractResult:
    """ReportData from an already read SourceDocument (extract_report's work after reading)."""
    from .read.mapper import map_tables
    from .read.structure import find_sections, find_title

    missing: list[str] = []
    notes: list[str] = []
    title = find_title(doc)
    body = title.body if title is not None else None
    year = title.year if title is not None else None
    if title is None:
        missing.append("报告标题：未找到，机关名称和年度无法从标题读出")
    if year is None:
        periods = [m for p in doc.paragraphs[:40] for m in _PERIOD_RE.finditer(p.text)]
        if periods:
            year = int(periods[0].group(1))
            notes.append(f"报告年度取自统计期限“{periods[0].group(0)}”（标题中没有年度）")
    if year is None:
        raise ExtractError("未能从标题或统计期限中读出报告年度，无法确定适用的格式")
    if year > YEAR_MAX:
        raise ExtractError(f"报告年度读作{year}年，超出本工具支持的范围（至 {YEAR_MAX} 年度）；请核对标题中的年份")
    if not body:
        missing.append("meta.body（报告机关全称）：未能从标题读出，留空")
    mapped = map_tables(doc)
    expected_fmt = format_for_year(year)
    fmt = get_format(mapped.format_id) if mapped.format_id else expected_fmt
    if fmt is None:
        raise ExtractError(f"{year}年度早于统一格式（2019年起），本工具不支持")
    meta: dict[str, Any] = {"body": body or "", "year": year}
    if expected_fmt is not None and fmt.id != expected_fmt.id:
        meta["format"] = fmt.id
        notes.append(f"报告的表格为{fmt.id}年格式，而{year}年度应使用{expected_fmt.id}年格式；按报告实际的格式读取"
                     f"（meta.format 记为 {fmt.id}）")
    from .check.api import infer_level

    level = infer_level(body)
    if level is None:
        meta["level"] = "其他"
        missing.append("meta.level（机关层级）：报告中没有写明，也无法从机关名称判断，暂填“其他”，请改为实际层级")
    else:
        meta["level"] = level
        notes.append(f"机关层级按机关名称推定为“{level}”，请核对")
    sections = find_sections(doc, fmt)
    first = sections[0].paragraph if sections else min(len(doc.paragraphs), 10)
    pre = read_preamble(_preamble(doc, first, title.paragraph if title else None), fmt, notes)
    meta.update(pre)
    for key, label in (("office", "联系机构"), ("address", "联系地址"), ("phone", "联系电话"),
                       ("postcode", "邮政编码"), ("website", "报告电子版下载网站")):
        if key not in meta:
            missing.append(f"meta.{key}（{label}）：前言中未找到，留空")
    date = _report_date(doc)
    if date:
        meta["report_date"] = date
    tables = read_tables(mapped, fmt, missing)
    for f in mapped.findings:
        if f.level in ("error", "warning"):
            notes.append(f"读取表格：{f.message}")
    overview = read_overview(doc, sections, fmt, body, meta["level"], missing, notes)
    notes.append("五、存在的主要问题及改进情况与六、其他需要报告的事项为文字，未提取（problems、improvements、other 请按原文填写）")
    plain: dict[str, Any] = {"meta": meta}
    if overview:
        plain["overview"] = overview
    for tid in TABLE_KEYS:
        plain[tid] = table_dict(fmt.table(tid), tables.get(tid, {}))
    plain, dropped = without_bad_chars(plain)
    if dropped:  # a data file must not carry them (build refuses them), the report is what it is
        notes.append(f"报告文字中有 {dropped} 个控制字符或私用区字符（Word/Excel 无法保存），提取时已删去")
    data = build(Source(plain), name).data
    from .read.section5 import problems_part

    return ExtractResult(data=data, missing=missing, notes=notes, problems=problems_part(doc, sections).problems)


def roll_forward(data: ReportData, problems: list[str] | None = None) -> tuple[ReportData, list[str]]:
    """The next year's starting file: meta carried (year + 1), 上年结转 from 结转下年度, previous filled.

    `problems`: last year's problems as written in its report, when `data` has none of its own.
    Returns the data and the notes to show (what was carried, what must be filled in).
    """
    year = data.meta.year + 1
    fmt = format_for_year(year)
    if fmt is None or year > YEAR_MAX:
        raise ExtractError(f"{data.meta.year}年度已是本工具支持的最后一个年度（至 {YEAR_MAX} 年度），"
                           "无法生成下一年度的起始文件；请去掉 --next-year 只提取本年度数据")
    this_fmt = get_format(data.format_id)
    notes: list[str] = []
    meta = model_dict(data.meta)
    meta["year"] = year
    for key in ("format", "report_date", "local_notice"):
        meta.pop(key, None)
    notes.append(f"基本信息沿用{data.meta.year}年度，年度改为 {year}（{fmt.id}年格式）；本地编制通知和报告日期每年不同，已去掉，请按当年填写")
    plain: dict[str, Any] = {"meta": meta}
    r4 = data.tables.get("table3", {}).get("r4", {})
    t3 = fmt.table("table3")
    carried = {c.id: r4.get(c.id) for c in t3.columns}
    plain["table3"] = table_dict(t3, {"r2": {k: v for k, v in carried.items() if v is not None}})
    if all(v is not None and v.is_number for v in carried.values()):
        notes.append(f"表三“二、上年结转政府信息公开申请数量”取自{data.meta.year}年度“四、结转下年度继续办理”")
    else:
        notes.append(f"{data.meta.year}年度表三“四、结转下年度继续办理”未完整读出，本年“上年结转”相应各格留空")
    prev_fmt = previous_format(data.meta.year, fmt)
    if prev_fmt.id == this_fmt.id:
        plain["previous"] = {"year": data.meta.year,
                             **{tid: table_dict(this_fmt.table(tid), data.tables.get(tid, {}), keep_empty_rows=True)
                                for tid in TABLE_KEYS}}
        notes.append(f"previous 填入{data.meta.year}年度的表格，用于核对上年结转、现行有效件数等衔接关系")
    else:
        notes.append(f"{data.meta.year}年度报告的表格不是该年度应使用的格式，previous 中未填入表格")
    if "previous" not in plain:
        plain["previous"] = {"year": data.meta.year}
    overview = model_dict(data.overview)
    if overview:
        plain["previous"]["overview"] = overview
        notes.append(f"previous.overview 填入{data.meta.year}年度总体情况中读出的数字，起草时用于同比表述")
    problems = [p.text for p in data.problems] or list(problems or [])
    if problems:
        plain["previous"]["problems"] = problems
        notes.append(f"previous.problems 填入{data.meta.year}年度所列问题，请在 previous_remedies 中逐项说明整改情况")
    notes.append(f"{year}年度的其他数字、总体情况和问题改进均留空待填")
    return build(Source(plain), f"{year}年度起始文件").data, notes


__all__ = ["extract_report", "extract_source", "roll_forward", "ExtractResult", "ExtractError", "read_preamble"]

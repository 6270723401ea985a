"""The fillable Excel workbook: write it (empty or from ReportData) and read it back.

Sheets: 填写说明, 基本信息与总体情况, 总体情况清单, 表二, 表三, 表四 (laid out like the printed
forms, labels from the Format object), 问题与改进, 其他事项, 上年数据. Input cells are unlocked,
everything else is protected without a password, count cells carry data validation.

Reading turns the workbook into the same plain dict the YAML loader builds and hands it to
`data.build.build`, so the checks and messages are the same; each message then gets the sheet
and cell it refers to (表三!J12). Cell values are read as cached by the program that saved
the file (openpyxl `data_only=True`); a formula without a cached value is computed when it
is a plain sum of cells, and reported otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..findings import DataFileError, Finding, Location
from ..formats import Format, Table, all_formats, format_for_year, get_format
from . import xlsx_forms as forms
from .build import TABLE_KEYS, Loaded, build
from .cells import clean
from .dump import cell_value, number, previous_format, row_value, to_data_dict
from .model import ReportData
from .xlsx_layout import FIRST_ROW, HINT_ROW, TITLE_ROW, Layout, layout
from .yamlsrc import Source

# ---------------------------------------------------------------- styles

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL_INPUT = PatternFill("solid", fgColor="FFF2CC")
FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
FILL_CAPTION = PatternFill("solid", fgColor="EDEDED")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HINT_FONT = Font(italic=True, color="666666", size=9)

INFO_COLS = {"key": 1, "label": 2, "value": 3, "note": 4}


def _protect(ws: Worksheet, allow_rows: bool = False) -> None:
    """Sheet protection without a password: offices can lift it (审阅 → 撤销工作表保护)."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    if allow_rows:
        p.insertRows = False
        p.deleteRows = False


def _number_format(value: Any) -> str:
    if isinstance(value, Decimal):
        exp = value.as_tuple().exponent
        if isinstance(exp, int) and exp < 0:
            return "0." + "0" * (-exp)
    return "General"


class _Validations:
    """One DataValidation per kind on a sheet, collecting the cells it covers."""

    MESSAGES = {
        "count": ("whole", "greaterThanOrEqual", "0", None, "请填写不小于 0 的整数；没有发生的填 0，尚未统计的留空"),
        "change": ("whole", "between", "-999999999", "999999999", "请填写整数，减少的填负数，如 -8"),
        "money": ("decimal", "greaterThanOrEqual", "0", None, "请填写不小于 0 的数字，可带小数"),
        "decimal": ("decimal", "greaterThanOrEqual", "0", None, "请填写不小于 0 的数字，可带小数"),
        "int": ("whole", "between", "2000", "2100", "请填写四位数年度，如 2024"),
        "date": ("date", "greaterThan", "36526", None, "请填写日期，如 2024-01-20"),
    }

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.by_kind: dict[str, DataValidation] = {}

    def add(self, kind: str, ref: str) -> None:
        dv = self.by_kind.get(kind)
        if dv is None:
            dv = self._make(kind)
            if dv is None:
                return
            self.by_kind[kind] = dv
            self.ws.add_data_validation(dv)
        dv.add(ref)

    def _make(self, kind: str) -> DataValidation | None:
        options = forms.choices(kind)
        if options:
            dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            dv.error = "请从下拉列表中选择"
        elif kind in self.MESSAGES:
            typ, op, f1, f2, msg = self.MESSAGES[kind]
            dv = DataValidation(type=typ, operator=op, formula1=f1, formula2=f2, allow_blank=True)
            dv.error = msg
        else:
            return None
        dv.errorTitle = "填写有误"
        dv.showErrorMessage = True
        return dv


# ---------------------------------------------------------------- writing


def write_workbook(data: ReportData | None, fmt: Format | str | None = None, year: int | None = None,
                   body: str | None = None, level: str | None = None, remarks: list[str] | None = None) -> Workbook:
    """The workbook for `data`, or an empty one for `year` (body and level prefilled when given).

    remarks: lines added to the 填写说明 sheet (e.g. what `extract` could not read).
    """
    if data is not None:
        fmt = get_format(data.format_id)
        year = data.meta.year
        plain = to_data_dict(data)
    else:
        if year is None:
            raise ValueError("year is required for an empty workbook")
        if fmt is None:
            fmt = format_for_year(year)
            if fmt is None:
                raise ValueError(f"no format for {year}")
        meta: dict[str, Any] = {"year": year}
        if body:
            meta["body"] = body
        if level:
            meta["level"] = level
        plain = {"meta": meta}
    if isinstance(fmt, str):
        fmt = get_format(fmt)
    assert fmt is not None and year is not None
    _refuse_long_texts(plain)

    wb = Workbook()
    wb.remove(wb.active)
    _write_help(wb.create_sheet(forms.SHEET_HELP), fmt, year, remarks or [])
    ws = wb.create_sheet(forms.SHEET_INFO)
    _write_form(ws, "基本信息与一、总体情况中的数字和事实", forms.info_sections(), [], plain)
    ws = wb.create_sheet(forms.SHEET_LISTS)
    _write_form(ws, "一、总体情况中的专题、目录、文件和其他做法（每行一项，可插入行）", [], forms.overview_lists(), plain)
    for tid in TABLE_KEYS:
        table = fmt.table(tid)
        _write_table(wb.create_sheet(table.name), fmt, table, data.tables.get(tid, {}) if data else {})
    ws = wb.create_sheet(forms.SHEET_PROBLEMS)
    _write_form(ws, fmt.section("problems").title, [], forms.problem_lists(), plain)
    other, other_lists = forms.other_section()
    ws = wb.create_sheet(forms.SHEET_OTHER)
    _write_form(ws, fmt.section("other").title, [other], other_lists, plain)
    _write_previous(wb.create_sheet(forms.SHEET_PREVIOUS), data, fmt, year)
    wb.active = 1
    return wb


EXCEL_CELL_CHARS = 32_767  # Excel keeps no more in a cell: it cuts the rest off when it opens the file


class CellTooLong(ValueError):
    """A text of the data does not fit in one Excel cell; the message is Chinese."""


def _refuse_long_texts(plain: Any, path: str = "") -> None:
    if isinstance(plain, dict):
        for k, v in plain.items():
            _refuse_long_texts(v, f"{path}.{k}" if path else str(k))
    elif isinstance(plain, list):
        for i, v in enumerate(plain):
            _refuse_long_texts(v, f"{path}[{i}]")
    elif isinstance(plain, str) and len(plain) > EXCEL_CELL_CHARS:
        raise CellTooLong(f"字段 {path} 的文字有 {len(plain)} 个字符，超过 Excel 单元格的上限 {EXCEL_CELL_CHARS} 个字符，"
                          "写入工作簿后 Excel 会截去多出的部分；请缩短该段文字，或转换为 .yaml/.json")


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def save_xlsx(path: str | Path, data: ReportData | None, fmt: Format | str | None = None, year: int | None = None,
              body: str | None = None, level: str | None = None) -> None:
    """Write the workbook atomically (never half a file under the final name)."""
    from ..fileio import atomic_write

    atomic_write(Path(path), workbook_bytes(write_workbook(data, fmt, year, body, level)))


def _write_help(ws: Worksheet, fmt: Format, year: int, remarks: list[str]) -> None:
    lines = [
        f"{year}年度政府信息公开工作年度报告 数据填写表（{fmt.name}，{fmt.notice.number}）",
        "",
        "一、只填写黄色单元格，其他单元格已锁定。如确需调整，可在“审阅”中撤销工作表保护（无密码），但不要移动、"
        "合并或改名表格的行、列和工作表，否则程序无法对应各项数字。",
        "二、表二、表三、表四与国务院办公厅规定格式的表格一一对应。数字一律填阿拉伯数字；没有发生的事项填 0，"
        "尚未统计的留空（留空会在校验时报为“未填写”）。",
        "三、“基本信息与总体情况”每行一项，右侧有说明；总体情况中的数量可写约数，如 近300、3万余。",
        "四、“总体情况清单”“问题与改进”“其他事项”中的清单每行一项，行数不够可插入行。",
        "五、“上年数据”填上年度报告中的数字，用于核对“上年结转”等衔接关系，可不填。",
        "六、填好后保存为 .xlsx，运行 report-writer validate 本文件.xlsx 校验，"
        "再运行 report-writer draft 本文件.xlsx -o 报告.docx 生成初稿。",
    ]
    if remarks:
        lines += ["", *remarks]
    for i, line in enumerate(lines, start=1):
        c = ws.cell(i, 1, line)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            c.font = TITLE_FONT
    ws.column_dimensions["A"].width = 110
    _protect(ws)


def _style_label(cell, kind: str) -> None:
    cell.border = BORDER
    cell.alignment = CENTER if kind in ("header", "caption", "corner") else LEFT
    if kind in ("header", "corner"):
        cell.fill = FILL_HEADER
        cell.font = BOLD
    elif kind == "caption":
        cell.fill = FILL_CAPTION
        cell.font = BOLD


def _write_table(ws: Worksheet, fmt: Format, table: Table, rows: dict) -> None:
    lay = layout(table)
    section = fmt.section(table.section)
    ws.cell(TITLE_ROW, 1, section.title).font = TITLE_FONT
    hint = "在黄色单元格中填写数字：没有发生的填 0，尚未统计的留空"
    if any(c.kind == "change" for _, c in table.cells()):
        hint += "；增减栏减少的填负数，如 -8"
    if any(c.kind == "money" for _, c in table.cells()):
        hint += "；金额按表头所示单位填写，可带小数"
    ws.cell(HINT_ROW, 1, hint + "。").font = HINT_FONT
    for lab in lay.labels:
        s = lab.span
        c = ws.cell(s.row, s.col, lab.text)
        for r in range(s.row, s.row + s.rows):
            for k in range(s.col, s.col + s.cols):
                _style_label(ws.cell(r, k), lab.kind)
        if (s.rows, s.cols) != (1, 1):
            ws.merge_cells(s.range)
        if lab.kind == "row" and s.rows > 3 and s.cols == 1:
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True, text_rotation=255)
    dv = _Validations(ws)
    for (rid, cid), s in lay.inputs.items():
        col = table.column(rid, cid)
        cell_ = rows.get(rid, {}).get(cid)
        value = number(cell_.value) if cell_ is not None and cell_.is_number and cell_.value is not None else None
        c = ws.cell(s.row, s.col, value)
        for k in range(s.col, s.col + s.cols):
            x = ws.cell(s.row, k)
            x.border = BORDER
            x.fill = FILL_INPUT
            x.protection = UNLOCKED
            x.alignment = CENTER
        c.number_format = _number_format(value)
        if s.cols > 1:
            ws.merge_cells(s.range)
        dv.add(col.kind, s.ref)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=lay.width)
    ws.merge_cells(start_row=HINT_ROW, start_column=1, end_row=HINT_ROW, end_column=lay.width)
    _table_widths(ws, table, lay)
    ws.freeze_panes = None
    _protect(ws)


def _table_widths(ws: Worksheet, table: Table, lay: Layout) -> None:
    label_cols = {lab.span.col for lab in lay.labels if lab.kind == "row"}
    value_cols = {s.col for s in lay.inputs.values()} - label_cols
    for col in range(1, lay.width + 1):
        letter = get_column_letter(col)
        if col in label_cols:
            widest = max((len(lab.text) for lab in lay.labels if lab.kind == "row" and lab.span.col == col
                          and lab.span.rows == 1), default=4)
            ws.column_dimensions[letter].width = min(max(6, widest * 1.6 if widest < 30 else 40), 48)
        elif col in value_cols:
            ws.column_dimensions[letter].width = 12 if not table.blocks else 18
    for lab in lay.labels:
        if lab.kind == "row" and lab.span.rows == 1 and len(lab.text) > 24:
            ws.row_dimensions[lab.span.row].height = 30


def _get(plain: dict, path: str) -> Any:
    cur: Any = plain
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _excel_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bool":
        return forms.BOOL_TEXT.get(value, value)
    if kind == "category":
        from .model import PROBLEM_CATEGORIES

        return PROBLEM_CATEGORIES.get(value, value)
    return value


def _put(ws: Worksheet, row: int, col: int, value: Any, kind: str, dv: _Validations) -> None:
    c = ws.cell(row, col, _excel_value(value, kind))
    c.border = BORDER
    c.fill = FILL_INPUT
    c.protection = UNLOCKED
    c.alignment = LEFT
    if kind == "date":
        c.number_format = "yyyy-mm-dd"
    elif kind in ("text", "category", "level", "format"):
        c.number_format = "@"
    else:
        c.number_format = _number_format(value)
    dv.add(kind, c.coordinate)


def _write_form(ws: Worksheet, title: str, sections: list[forms.Section], lists: list[forms.ListSpec],
                plain: dict) -> None:
    """Scalars as rows (key | label | value | note), lists as captioned blocks of item rows."""
    ws.cell(TITLE_ROW, 2, title).font = TITLE_FONT
    ws.cell(HINT_ROW, 2, "在黄色单元格中填写；灰色说明供参考。不需要的项目留空。").font = HINT_FONT
    dv = _Validations(ws)
    r = FIRST_ROW
    for sec in sections:
        ws.cell(r, 1, "#section")
        c = ws.cell(r, 2, sec.caption)
        _style_label(c, "caption")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
        r += 1
        for f in sec.scalars:
            ws.cell(r, INFO_COLS["key"], f.path)
            lab = ws.cell(r, INFO_COLS["label"], f.label)
            lab.border, lab.alignment = BORDER, LEFT
            _put(ws, r, INFO_COLS["value"], _get(plain, f.path), f.kind, dv)
            note = ws.cell(r, INFO_COLS["note"], f.note or None)
            note.font, note.alignment = HINT_FONT, LEFT
            r += 1
        r += 1
    for spec in lists:
        items = _get(plain, spec.path) or []
        ws.cell(r, 1, f"#list:{spec.path}")
        fields = spec.fields or [forms.FieldSpec("", spec.item_label, "", "text")]
        cap = ws.cell(r, 2, spec.caption)
        _style_label(cap, "caption")
        if len(fields) > 1:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=1 + len(fields))
        r += 1
        ws.cell(r, 1, "#fields:" + ",".join(f.path for f in fields))
        for k, f in enumerate(fields):
            h = ws.cell(r, 2 + k, f.label)
            _style_label(h, "header")
            if f.note:
                from openpyxl.comments import Comment

                h.comment = Comment(f.note, "report-writer")
        r += 1
        for i in range(max(len(items) + 2, spec.slots)):
            item = items[i] if i < len(items) else None
            for k, f in enumerate(fields):
                value = (item.get(f.path) if isinstance(item, dict) else item) if item is not None else None
                _put(ws, r, 2 + k, value, f.kind, dv)
            r += 1
        r += 1
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 44
    ws.column_dimensions["D"].width = 44
    for col in "EFGH":
        ws.column_dimensions[col].width = 16
    _protect(ws, allow_rows=bool(lists))


def _write_previous(ws: Worksheet, data: ReportData | None, fmt: Format, year: int) -> None:
    prev = data.previous if data is not None else None
    prev_year = prev.year if prev is not None else (year - 1 if data is None else None)
    pfmt = previous_format(prev_year if prev_year is not None else year - 1, fmt)
    ws.cell(TITLE_ROW, 2, "上年度报告中的数字（用于核对上年结转、现行有效件数等衔接关系，可不填）").font = TITLE_FONT
    ws.cell(HINT_ROW, 2, "先填上年度；表格按上年度适用的格式排列。只需填写有数字的行。").font = HINT_FONT
    dv = _Validations(ws)
    r = FIRST_ROW
    ws.cell(r, 1, "previous.year")
    lab = ws.cell(r, 2, "上年度")
    lab.border, lab.alignment = BORDER, LEFT
    _put(ws, r, 3, prev_year, "int", dv)
    ws.cell(r, 4, f"如 {year - 1}").font = HINT_FONT
    r += 2
    for tid in TABLE_KEYS:
        table = pfmt.table(tid)
        rows = prev.tables.get(tid, {}) if prev is not None else {}
        ws.cell(r, 1, f"#table:{tid}")
        cap = ws.cell(r, 2, f"{table.name} {table.title}（上年）")
        _style_label(cap, "caption")
        r += 1
        groups = [(b.columns, b.rows) for b in table.blocks] if table.blocks else [(table.columns, table.data_rows())]
        for cols, trows in groups:
            ws.cell(r, 1, "#fields:" + ",".join(c.id for c in cols))
            _style_label(ws.cell(r, 2, table.label_header or ""), "header")
            for k, col in enumerate(cols):
                _style_label(ws.cell(r, 3 + k, col.label), "header")
            r += 1
            for row in trows:
                ws.cell(r, 1, f"row:{row.id}")
                label = f"{row.group_label}：{row.label}" if row.group_label else row.label
                c = ws.cell(r, 2, label)
                c.border, c.alignment = BORDER, LEFT
                for k, col in enumerate(cols):
                    cell_ = rows.get(row.id, {}).get(col.id)
                    value = number(cell_.value) if cell_ is not None and cell_.is_number and cell_.value is not None else None
                    _put(ws, r, 3 + k, value, "money" if col.kind == "money" else col.kind, dv)
                r += 1
        r += 1
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 52
    for k in range(3, 3 + 7):
        ws.column_dimensions[get_column_letter(k)].width = 12
    _protect(ws)


# ---------------------------------------------------------------- reading


@dataclass
class XlsxLoaded(Loaded):
    """Loaded from a workbook: every data path knows its sheet and cell."""

    refs: dict[str, str] = field(default_factory=dict)  # data path -> 表三!J12
    notes: list[Finding] = field(default_factory=list)  # what was assumed while reading

    def ref_of(self, path: str) -> str | None:
        while path:
            if path in self.refs:
                return self.refs[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def locate(self, path: str) -> Location:
        return Location(file=self.file, path=path, cell_ref=self.ref_of(path))


def _ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{get_column_letter(col)}{row}"


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.name = str(path)
        self.errors: list[Finding] = []
        self.notes: list[Finding] = []
        self.refs: dict[str, str] = {}
        self.values_wb = None
        self.formula_wb = None
        from ..limits import limit

        self.formula_cells = limit("MAX_FORMULA_CELLS")  # left to read for formulas of this workbook

    # -- findings

    def error(self, ref: str | None, message: str, found: str | None = None, expected: str | None = None) -> None:
        self.errors.append(Finding(rule="XLSX", level="error", message=message, found=found, expected=expected,
                                   location=Location(file=self.name, cell_ref=ref)))

    def note(self, ref: str, message: str) -> None:
        self.notes.append(Finding(rule="XLSX-ASSUMED", level="warning", message=message,
                                  location=Location(file=self.name, cell_ref=ref)))

    # -- opening

    def open(self) -> None:
        def fail(msg: str) -> DataFileError:
            return DataFileError([Finding(rule="READ", level="error", message=msg, location=Location(file=self.name))])

        if self.path.suffix.lower() == ".xls":
            raise fail("不支持旧版 Excel 文件（.xls），请在 Excel 或 WPS 中另存为 .xlsx 后重试")
        if not self.path.exists():
            raise fail("找不到数据文件")
        if self.path.is_dir():
            raise fail("这是一个文件夹，不是数据文件")
        from ..fileio import read_capped
        from ..limits import exceeded, limit, zip_problem

        try:
            size, max_bytes = self.path.stat().st_size, limit("MAX_DATA_BYTES")
            if size > max_bytes:
                raise fail("数据文件过大：" + exceeded("MAX_DATA_BYTES", max_bytes, size))
            raw = read_capped(self.path, max_bytes)
            if len(raw) > max_bytes:
                raise fail("数据文件过大：" + exceeded("MAX_DATA_BYTES", max_bytes))
        except ValueError as e:  # a FIFO or a device
            raise fail(str(e)) from None
        except OSError as e:
            raise fail(f"无法读取数据文件：{e.strerror}") from None
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise fail("文件不是有效的 .xlsx 工作簿（可能已损坏，或是改了扩展名的其他文件）")
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                names = set(zf.namelist())
                problem = zip_problem(zf)  # openpyxl unpacks every part
                if "xl/workbook.xml" not in names and "word/document.xml" in names:
                    problem = ("这是 Word 文档（.docx），不是填报工作簿（可能是改了扩展名）；"
                               "审核报告稿请用 report-writer check，数据文件应为 .yaml、.json 或由 init/convert 生成的 .xlsx")
        except Exception:
            problem = None  # openpyxl reports the damage below
        if problem:
            raise fail(problem)
        try:
            self.formula_wb = load_workbook(io.BytesIO(raw), data_only=False)
            self.values_wb = load_workbook(io.BytesIO(raw), data_only=True)
        except Exception as e:  # openpyxl raises many kinds on damaged files
            raise fail(f"无法打开工作簿（{type(e).__name__}）：文件可能已损坏，请在 Excel 或 WPS 中打开后另存为 .xlsx") from None

    def sheet(self, name: str) -> tuple[Worksheet, Worksheet] | None:
        if name in self.values_wb.sheetnames:
            return self.values_wb[name], self.formula_wb[name]
        return None

    def check_sheets(self, required: list[str]) -> None:
        present = self.values_wb.sheetnames
        missing = [n for n in required if n not in present]
        if not missing:
            return
        known = set(required) | {forms.SHEET_HELP}
        unknown = [n for n in present if n not in known]
        for n in missing:
            similar = [u for u in unknown if clean(u) == clean(n) or n in u or u in n]
            hint = f"；是否被改名为“{similar[0]}”？请改回“{n}”" if similar else (
                f"；工作簿中另有未识别的工作表：{'、'.join(unknown)}，如由“{n}”改名而来，请改回原名" if unknown else "")
            self.error(f"{n}!A1", f"工作簿中缺少工作表“{n}”{hint}（现有工作表：{'、'.join(present)}）")

    # -- cell values

    def value(self, sheet: str, row: int, col: int) -> Any:
        """The value of a cell as saved; formulas by their cached result (or computed, or reported)."""
        pair = self.sheet(sheet)
        if pair is None:
            return None
        ws_v, ws_f = pair
        v = ws_v.cell(row, col).value
        f = ws_f.cell(row, col).value
        if _is_formula(f) and v is None:
            formula = _formula_text(f)
            try:
                result, assumed = _Evaluator(self, sheet).run(formula)
            except _FormulaError as e:
                self.error(_ref(sheet, row, col),
                           f"{_ref(sheet, row, col)} 是公式“{formula}”，但文件中没有保存计算结果（保存文件的程序没有计算公式），"
                           f"且无法自动计算（{e}）。请在 Excel 或 WPS 中打开该文件、保存后重试，或直接填写数字")
                return None
            extra = f"；{assumed}" if assumed else ""
            self.note(_ref(sheet, row, col),
                      f"{_ref(sheet, row, col)} 是公式“{formula}”，文件中没有保存计算结果，已按公式计算为 "
                      f"{_fmt_num(result)}{extra}")
            return result
        if isinstance(v, str) and v.startswith("#") and _is_formula(f):
            self.error(_ref(sheet, row, col), f"{_ref(sheet, row, col)} 的公式“{_formula_text(f)}”计算出错（{v}），请改正或直接填写数字")
            return None
        return v

    def number_format(self, sheet: str, row: int, col: int) -> str:
        pair = self.sheet(sheet)
        return pair[0].cell(row, col).number_format if pair else "General"


def _is_formula(v: Any) -> bool:
    return (isinstance(v, str) and v.startswith("=")) or type(v).__name__ in ("ArrayFormula", "DataTableFormula")


def _formula_text(v: Any) -> str:
    return v if isinstance(v, str) else getattr(v, "text", str(v))


def _fmt_num(v: Decimal) -> str:
    from .model import format_decimal

    return format_decimal(v)


class _FormulaError(Exception):
    pass


def _limit_text(found: int | None = None) -> str:
    from ..limits import exceeded, limit

    return exceeded("MAX_FORMULA_CELLS", limit("MAX_FORMULA_CELLS"), found)


class _Evaluator:
    """Plain sums only: =A1+B2-3, =SUM(D6:I6), =SUM(D6,E6)+F6, on the same sheet."""

    TOKEN = re.compile(r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)|(?P<ref>\$?[A-Z]{1,3}\$?\d+)"
                       r"|(?P<num>\d+(?:\.\d+)?)|(?P<func>SUM)\s*\(|(?P<op>[-+(),]))", re.I)

    def __init__(self, reader: _Reader, sheet: str, depth: int = 0):
        self.reader, self.sheet, self.depth = reader, sheet, depth
        self.empties: list[str] = []

    def run(self, formula: str) -> tuple[Decimal, str]:
        if self.depth > 20:
            raise _FormulaError("公式层层引用过深")
        text = formula.lstrip("=").strip()
        if "!" in text:
            raise _FormulaError("引用了其他工作表")
        self.tokens = self._tokens(text)
        self.pos = 0
        value = self._expr()
        if self.pos != len(self.tokens):
            raise _FormulaError("只能自动计算单元格的加减和 SUM 求和")
        shown = "、".join(self.empties[:10]) + (f" 等 {len(self.empties)} 个" if len(self.empties) > 10 else "")
        assumed = f"其中空白单元格 {shown} 按 0 计" if self.empties else ""
        return value, assumed

    def _tokens(self, text: str) -> list[tuple[str, str]]:
        out, i = [], 0
        while i < len(text):
            m = self.TOKEN.match(text, i)
            if not m or m.end() == i:
                if text[i:].strip() == "":
                    break
                raise _FormulaError("只能自动计算单元格的加减和 SUM 求和")
            kind = m.lastgroup
            out.append((kind, m.group(kind).upper()))
            i = m.end()
        return out

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _expr(self) -> Decimal:
        value = self._term()
        while True:
            t = self._peek()
            if t not in (("op", "+"), ("op", "-")):
                return value
            self.pos += 1
            rhs = self._term()
            value = value + rhs if t[1] == "+" else value - rhs

    def _term(self) -> Decimal:
        t = self._peek()
        if t is None:
            raise _FormulaError("公式不完整")
        self.pos += 1
        kind, text = t
        if kind == "op" and text == "-":
            return -self._term()
        if kind == "op" and text == "(":
            v = self._expr()
            self._expect(")")
            return v
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            return self._cell(text)
        if kind == "func":
            total = Decimal(0)
            while True:
                t2 = self._peek()
                if t2 and t2[0] == "range":
                    self.pos += 1
                    total += self._range(t2[1])
                else:
                    total += self._expr()
                t2 = self._peek()
                if t2 == ("op", ","):
                    self.pos += 1
                    continue
                self._expect(")")
                return total
        raise _FormulaError("只能自动计算单元格的加减和 SUM 求和")

    def _expect(self, op: str) -> None:
        if self._peek() != ("op", op):
            raise _FormulaError("括号不匹配")
        self.pos += 1

    def _range(self, text: str) -> Decimal:
        from openpyxl.utils.cell import range_boundaries

        c1, r1, c2, r2 = range_boundaries(text.replace("$", ""))
        _, ws_f = self.reader.sheet(self.sheet)  # type: ignore[misc]
        # Cells past the sheet's used area are empty: =SUM(AA100:XFD1048576) reads only what is there.
        r2, c2 = min(r2, ws_f.max_row), min(c2, ws_f.max_column)
        area = max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)
        if area > self.reader.formula_cells:
            raise _FormulaError(f"求和范围 {text} 过大：" + _limit_text(area))
        return sum((self._at(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)), Decimal(0))

    def _cell(self, text: str) -> Decimal:
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        col, row = coordinate_from_string(text.replace("$", ""))
        return self._at(row, column_index_from_string(col))

    def _at(self, row: int, col: int) -> Decimal:
        self.reader.formula_cells -= 1
        if self.reader.formula_cells < 0:  # chains of formulas over ranges multiply the reads
            raise _FormulaError("公式引用的单元格过多：" + _limit_text())
        ws_v, ws_f = self.reader.sheet(self.sheet)  # type: ignore[misc]
        v = ws_v.cell(row, col).value
        f = ws_f.cell(row, col).value
        if v is None and _is_formula(f):
            inner = _Evaluator(self.reader, self.sheet, self.depth + 1)
            result, _ = inner.run(_formula_text(f))
            self.empties += inner.empties
            return result
        if v is None:
            self.empties.append(f"{get_column_letter(col)}{row}")
            return Decimal(0)
        if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
            raise _FormulaError(f"引用的 {get_column_letter(col)}{row} 不是数字")
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


# -- conversion of one read value to the plain-data type of its field


def _plain(value: Any, kind: str, number_format: str = "General") -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if kind == "bool":
            return forms.BOOL_READ.get(text.lower(), text)
        if kind == "category":
            return forms.category_key(text)
        if kind == "int" and re.fullmatch(r"\d+", text):
            return int(text)
        if kind == "decimal":
            try:
                return Decimal(clean(text))
            except InvalidOperation:
                return text
        return text
    if isinstance(value, dt.datetime):
        if kind in ("date",):
            return value.date()
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value if kind == "date" else value.isoformat()
    if isinstance(value, bool):
        return value if kind == "bool" else value
    if isinstance(value, (int, float, Decimal)):
        num = _decimal(value, number_format)
        if kind == "text":
            return _fmt_num(num)
        if kind == "bool":
            return {1: True, 0: False}.get(int(num), num) if num == num.to_integral_value() else num
        return number(num)
    return str(value)


def _decimal(value: int | float | Decimal, number_format: str) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    d = Decimal(repr(value)) if isinstance(value, float) else value
    m = re.fullmatch(r"0\.(0+)", number_format or "")
    if m and d == d.quantize(Decimal(1).scaleb(-len(m.group(1)))):
        d = d.quantize(Decimal(1).scaleb(-len(m.group(1))))  # keep the decimals the cell shows: 12.50
    elif d == d.to_integral_value() and isinstance(value, float):
        d = Decimal(int(d))
    return d


def _set(plain: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    cur = plain
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = value


def _read_form(rd: _Reader, sheet: str, plain: dict, kinds: dict[str, str], list_kinds: dict[str, dict[str, str]]) -> None:
    """Scalars by their key in column A; list items under '#list:' and '#fields:' markers."""
    pair = rd.sheet(sheet)
    if pair is None:
        return
    ws = pair[0]
    current: str | None = None
    fields: list[str] = []
    items: list[dict] = []

    def flush() -> None:
        if current is not None and items:
            _set(plain, current, [it["value"] for it in items])
        items.clear()

    for r in range(1, ws.max_row + 1):
        key = ws.cell(r, 1).value
        key = key.strip() if isinstance(key, str) else key
        if isinstance(key, str) and key.startswith("#list:"):
            flush()
            current, fields = key[len("#list:"):], []
            continue
        if isinstance(key, str) and key.startswith("#fields:"):
            fields = key[len("#fields:"):].split(",")
            continue
        if isinstance(key, str) and key.startswith("#"):
            flush()
            current = None
            continue
        if key:
            flush()
            current = None
            kind = kinds.get(key)
            if kind is None:
                continue
            col = INFO_COLS["value"]
            v = _plain(rd.value(sheet, r, col), kind, rd.number_format(sheet, r, col))
            rd.refs[key] = _ref(sheet, r, col)
            if v is not None:
                _set(plain, key, v)
            continue
        if current is None:
            continue
        fkinds = list_kinds.get(current, {})
        row_vals = {}
        for k, fname in enumerate(fields):
            v = _plain(rd.value(sheet, r, 2 + k), fkinds.get(fname, "text"), rd.number_format(sheet, r, 2 + k))
            if v is not None:
                row_vals[fname] = v
        if not row_vals:
            continue
        i = len(items)
        base = f"{current}[{i}]"
        rd.refs[base] = _ref(sheet, r, 2)
        for k, fname in enumerate(fields):
            if fname:
                rd.refs[f"{base}.{fname}"] = _ref(sheet, r, 2 + k)
        items.append({"value": row_vals[""] if fields == [""] else row_vals})
    flush()


def _check_labels(rd: _Reader, sheet: str, lay: Layout, fmt: Format) -> bool:
    ws = rd.sheet(sheet)[0]  # type: ignore[index]
    bad = []
    for lab in lay.labels:
        actual = ws.cell(lab.span.row, lab.span.col).value
        if clean(str(actual if actual is not None else "")) != clean(lab.text):
            bad.append((lab, actual))
    for lab, actual in bad[:5]:
        ref = _ref(sheet, lab.span.row, lab.span.col)
        shown = "空白" if actual in (None, "") else f"“{actual}”"
        rd.error(ref, f"{ref} 应为“{lab.text}”，实为{shown}：表格的行、列可能被移动或改动，数字无法对应",
                 found="" if actual is None else str(actual), expected=lab.text)
    if len(bad) > 5:
        rd.error(f"{sheet}!A1", f"{sheet} 另有 {len(bad) - 5} 处表头或行名与{fmt.id}年格式不符")
    if bad:
        rd.error(f"{sheet}!A1", f"{sheet} 与{fmt.id}年格式（{fmt.notice.number}）的表格不一致。"
                                f"如报告年度有改动，请用 report-writer init 按该年度重新生成工作簿后再填")
    return not bad


def _read_table(rd: _Reader, fmt: Format, tid: str) -> dict | None:
    table = fmt.table(tid)
    sheet = table.name
    if rd.sheet(sheet) is None:
        return None
    lay = layout(table)
    if not _check_labels(rd, sheet, lay, fmt):
        return None
    ws = rd.sheet(sheet)[0]  # type: ignore[index]
    rd.refs[tid] = _ref(sheet, FIRST_ROW, 1)
    expected = lay.merges()
    merged = [m for m in ws.merged_cells.ranges if str(m) not in expected]
    out: dict[str, Any] = {}
    for row in table.data_rows():
        cols = table.columns_of(row.id)
        vals = []
        for k, col in enumerate(cols):
            span = lay.inputs[(row.id, col.id)]
            ref = _ref(sheet, span.row, span.col)
            for path in _cell_paths(table, tid, row.id, col.id, k, len(cols)):
                rd.refs[path] = ref
            bad_merge = next((m for m in merged if m.min_row <= span.row <= m.max_row
                              and m.min_col <= span.col <= m.max_col), None)
            if bad_merge is not None:
                rd.error(ref, f"{ref}（{table.name}“{row.label}”行“{col.label}”列）位于合并单元格 {bad_merge} 中，"
                              f"合并后无法对应到各行各列；请取消合并后逐格填写")
                vals.append(None)
                continue
            v = rd.value(sheet, span.row, span.col)
            vals.append(_table_value(v, rd.number_format(sheet, span.row, span.col)))
        rd.refs[f"{tid}.{row.id}"] = _ref(sheet, lay.inputs[(row.id, cols[0].id)].row, lay.inputs[(row.id, cols[0].id)].col)
        out[row.id] = row_value(table, cols, vals)
    return out


def _cell_paths(table: Table, prefix: str, rid: str, cid: str, k: int, n: int) -> list[str]:
    paths = [f"{prefix}.{rid}.{cid}", f"{prefix}.{rid}[{k}]"]
    if n == 1:
        paths.append(f"{prefix}.{rid}")
    return paths


def _table_value(v: Any, number_format: str) -> Any:
    """A table cell as the loader expects it: a number, the text as written, or None."""
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float, Decimal)):
        return number(_decimal(v, number_format))
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    text = str(v).strip()
    return text if text else None


def _read_previous(rd: _Reader, plain: dict) -> None:
    sheet = forms.SHEET_PREVIOUS
    pair = rd.sheet(sheet)
    if pair is None:
        return
    ws = pair[0]
    prev: dict[str, Any] = {}
    table: str | None = None
    fields: list[str] = []
    year_ref = None
    for r in range(1, ws.max_row + 1):
        key = ws.cell(r, 1).value
        if not isinstance(key, str):
            continue
        if key == "previous.year":
            year_ref = _ref(sheet, r, 3)
            rd.refs["previous.year"] = year_ref
            v = _plain(rd.value(sheet, r, 3), "int")
            if v is not None:
                prev["year"] = v
        elif key.startswith("#table:"):
            table, fields = key[len("#table:"):], []
        elif key.startswith("#fields:"):
            fields = key[len("#fields:"):].split(",")
        elif key.startswith("row:") and table:
            rid = key[4:]
            vals = [_table_value(rd.value(sheet, r, 3 + k), rd.number_format(sheet, r, 3 + k)) for k in range(len(fields))]
            for k, cid in enumerate(fields):
                for path in _cell_paths(None, f"previous.{table}", rid, cid, k, len(fields)):  # type: ignore[arg-type]
                    rd.refs[path] = _ref(sheet, r, 3 + k)
            if all(v is None for v in vals):
                continue
            rows = prev.setdefault(table, {})
            if len(fields) == 1:
                rows[rid] = vals[0]
            elif table == "table2":
                rows[rid] = dict(zip(fields, vals))
            else:
                rows[rid] = vals
    if any(k in prev for k in TABLE_KEYS):
        plain["previous"] = prev


def _kinds(sections: list[forms.Section]) -> dict[str, str]:
    return {f.path: f.kind for s in sections for f in s.scalars}


def _list_kinds(specs: list[forms.ListSpec]) -> dict[str, dict[str, str]]:
    return {s.path: ({f.path: f.kind for f in s.fields} if s.fields else {"": "text"}) for s in specs}


def _format_of(plain: dict) -> Format | None:
    meta = plain.get("meta") or {}
    named = meta.get("format")
    if named is not None and str(named) in all_formats():
        return all_formats()[str(named)]
    year = meta.get("year")
    if isinstance(year, int) and not isinstance(year, bool):
        return format_for_year(year)
    return None


def read_plain(path: str | Path) -> tuple[dict, _Reader]:
    """The workbook as the plain dict a YAML data file would give, plus what was found while reading."""
    rd = _Reader(Path(path))
    rd.open()
    plain: dict[str, Any] = {}
    other, other_lists = forms.other_section()
    info = forms.info_sections()
    required = [forms.SHEET_INFO, forms.SHEET_LISTS, "表二", "表三", "表四", forms.SHEET_PROBLEMS,
                forms.SHEET_OTHER, forms.SHEET_PREVIOUS]
    _read_form(rd, forms.SHEET_INFO, plain, _kinds(info), {})
    fmt = _format_of(plain)
    if fmt is not None:
        required = [forms.SHEET_INFO, forms.SHEET_LISTS, *(fmt.table(t).name for t in TABLE_KEYS),
                    forms.SHEET_PROBLEMS, forms.SHEET_OTHER, forms.SHEET_PREVIOUS]
    rd.check_sheets(required)
    _read_form(rd, forms.SHEET_LISTS, plain, {}, _list_kinds(forms.overview_lists()))
    if fmt is not None:
        for tid in TABLE_KEYS:
            rows = _read_table(rd, fmt, tid)
            if rows is not None:
                plain[tid] = rows
    _read_form(rd, forms.SHEET_PROBLEMS, plain, {}, _list_kinds(forms.problem_lists()))
    _read_form(rd, forms.SHEET_OTHER, plain, _kinds([other]), _list_kinds(other_lists))
    _read_previous(rd, plain)
    return _ordered(plain), rd


def _ordered(plain: dict) -> dict:
    order = ["meta", "overview", *TABLE_KEYS, "problems", "improvements", "previous_remedies", "other", "previous"]
    return {k: plain[k] for k in order if k in plain}


def load_xlsx(path: str | Path) -> XlsxLoaded:
    """Read a workbook into ReportData through the same `data.build.build` as YAML and JSON."""
    name = str(path)
    plain, rd = read_plain(path)
    if not plain.get("meta"):
        rd.error(f"{forms.SHEET_INFO}!C4", f"“{forms.SHEET_INFO}”中没有读到报告机关、年度等基本信息")
    problems: list[Finding] = list(rd.errors)
    loaded = None
    try:
        base = build(Source(plain), name)
        loaded = XlsxLoaded(data=base.data, file=name, source=base.source, refs=rd.refs, notes=rd.notes)
    except DataFileError as e:
        holder = XlsxLoaded(data=None, file=name, source=Source(plain), refs=rd.refs)  # type: ignore[arg-type]
        for f in e.findings:
            path_ = f.location.path
            ref = holder.ref_of(path_) if path_ else None
            msg = f"{ref}：{f.message}" if ref else f.message
            problems.append(f.model_copy(update={"message": msg, "location": f.location.model_copy(
                update={"cell_ref": ref, "line": None, "column": None})}))
    if problems:
        raise DataFileError(problems + rd.notes)
    assert loaded is not None
    return loaded


__all__ = ["write_workbook", "save_xlsx", "workbook_bytes", "load_xlsx", "read_plain", "XlsxLoaded", "cell_value"]

"""Table mapper: documents' 表二/表三/表四 onto the format ids, with findings for what does not fit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest

from report_writer.read.document import Cell, SourceDocument, Table
from report_writer.read.mapper import map_tables
from report_writer.read import read_document
from report_writer.read.html import parse_html
from report_writer.read.text import parse_text
from report_writer.formats import get_format
from report_writer.data.loader import load
from report_writer.data.model import Cell as MCell

from .read_helpers import ROOT, add_table2, add_table3, add_table4, build_report_docx, set_text, shared_path

SEED = "seed/jinzhai-2020-annual-report.txt"
SUQIAN = "real/suqian-2023.txt"


def _need(rel: str) -> Path:
    p = shared_path(rel)
    if p is None:
        pytest.skip(f"共享资料 {rel} 不在本机（../shared 与 /work/shared 均无此文件），跳过依赖它的测试")
    return p


def _diff(mapped, expected_tables) -> list:
    """Every cell where the mapped tables differ from the expected ones (state and value)."""
    out = []
    for tid, rows in expected_tables.items():
        for rid, cols in rows.items():
            for cid, want in cols.items():
                got = mapped.cell(tid, rid, cid)
                if got is None or (got.state, got.value) != (want.state, want.value):
                    out.append((tid, rid, cid, want.shown(), got.shown() if got else None))
    return out


def _count(mapped, tid):
    return sum(len(c) for c in mapped.tables.get(tid, {}).values())


# ---------------------------------------------------------------- the seed and the real report


def test_seed_text_maps_to_example_data_exactly():
    doc = read_document(_need(SEED))
    mapped = map_tables(doc)
    expected = load(ROOT / "examples" / "jinzhai-2020.yaml").data.tables
    assert mapped.format_id == "2019"
    assert mapped.formats_seen == {"2019"}
    assert _diff(mapped, expected) == []
    # and nothing more than the example holds
    for tid in ("table2", "table3", "table4"):
        assert _count(mapped, tid) == sum(len(c) for c in expected[tid].values())
    assert [f for f in mapped.findings if f.level == "error"] == []
    # 减77992 is a change of -77992 with the raw text kept
    lic = mapped.cell("table2", "licensing", "change")
    assert lic.value == Decimal(-77992) and lic.raw == "减77992"
    assert mapped.cell("table2", "procurement", "amount").value == Decimal("35339.15")


def test_suqian_2023_maps_table3_and_table4_completely_as_2021():
    doc = read_document(_need(SUQIAN))
    mapped = map_tables(doc)
    fmt = get_format("2021")
    assert mapped.format_id == "2021"
    assert mapped.formats_seen == {"2021"}
    assert _count(mapped, "table3") == 25 * 7 == len(fmt.table("table3").cells())
    assert _count(mapped, "table4") == 15
    assert not [f for f in mapped.findings if f.rule.startswith("MAP-") or f.rule == "TYPE"]
    t3 = mapped.tables["table3"]
    assert t3["r1"]["total"].value == 3511 and t3["r2"]["total"].value == 96
    assert t3["r3_2"]["total"].value == 328  # printed as "(二)部分公开" without its note
    assert t3["r3_3_2"]["natural"].value == 27  # label wrapped: "2.其他法律行政法规禁止公" / "开"
    assert t3["r3_4_2"]["total"].value == 28  # "无法26 2 0 0 0 0 28": group fragment glued to the first number
    assert t3["r3_6_1"]["total"].value == 40 and t3["r3_6_2"]["total"].value == 10  # 1.逾期不补正 / 2.逾期不缴费
    assert t3["r3_7"]["total"].value == 3486 and t3["r4"]["total"].value == 121
    # the form's own identity holds in every column of the real report
    for col in ("natural", "business", "research", "nonprofit", "legal", "other", "total"):
        assert t3["r1"][col].value + t3["r2"][col].value == t3["r3_7"][col].value + t3["r4"][col].value
    t4 = mapped.tables["table4"]
    assert [t4["review"][c].value for c in ("upheld", "corrected", "other", "pending", "total")] == [309, 17, 88, 26, 440]
    assert t4["after_review"]["total"].value == 89
    # 表二 too: single-value rows and the 万元 amount
    assert mapped.cell("table2", "licensing", "decisions").value == 1808595
    assert mapped.cell("table2", "fees", "amount").value == Decimal("59237.2449")
    # positions point at the cells the values came from; text cells carry their line
    ti, r, c = mapped.positions[("table3", "r1", "total")]
    cell = doc.tables[ti].grid()[r][c]
    assert cell.text == "3511"


# ---------------------------------------------------------------- docx in the official layout


@pytest.mark.parametrize("example", ["jinzhai-2020", "yunling-zrzy-2023"])
def test_official_layout_docx_maps_exactly(tmp_path, example):
    data = load(ROOT / "examples" / f"{example}.yaml").data
    fmt = get_format(data.format_id)
    path = build_report_docx(tmp_path / "r.docx", fmt, data.tables)
    doc = read_document(path)
    mapped = map_tables(doc)
    assert mapped.format_id == fmt.id
    assert _diff(mapped, data.tables) == []
    assert [f for f in mapped.findings if f.level != "info"] == []
    assert mapped.table_positions == {"table2": 0, "table3": 1, "table4": 2}
    # every position names the grid cell whose text is the value
    for (tid, rid, cid), (ti, r, c) in mapped.positions.items():
        cell = doc.tables[ti].grid()[r][c]
        assert cell is not None
        want = mapped.cell(tid, rid, cid)
        if want.state == "number":
            assert Decimal(cell.text.replace("减", "-").replace("增", "").strip()) == want.value or want.raw


def test_label_variants_are_normalised(tmp_path):
    data = load(ROOT / "examples" / "yunling-zrzy-2023.yaml").data
    fmt = get_format("2021")

    def messy(label: str) -> str:
        s = label.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"')
        s = s.replace("、行政机关", "，行政机关").replace("1.", "1、")
        if "商业" in s or "公开申请数量" in s:
            s = s[:2] + " " + s[2:]
        return s.replace("科研", "科研\n").replace("保护", "保\u00a0护").replace("国家", "国\u200b家")

    path = build_report_docx(tmp_path / "messy.docx", fmt, data.tables, label_map=messy, col_label_map=messy)
    mapped = map_tables(read_document(path))
    assert _diff(mapped, data.tables) == []
    assert not [f for f in mapped.findings if f.rule.startswith("MAP-")]


def test_draft_renderer_round_trip(tmp_path):
    api = pytest.importorskip("report_writer.draft.api")
    for example in ("jinzhai-2020", "yunling-zrzy-2023"):
        out = tmp_path / f"{example}.docx"
        res = api.draft_report(ROOT / "examples" / f"{example}.yaml", out)
        assert not [f for f in res.findings if f.level == "error"]
        mapped = map_tables(read_document(out))
        data = load(ROOT / "examples" / f"{example}.yaml").data
        assert mapped.format_id == data.format_id
        assert _diff(mapped, data.tables) == []


# ---------------------------------------------------------------- layouts: one table, split tables, transposed 表四


def _grid_table(index: int, rows: list[list[str]]) -> Table:
    cells = [Cell(row=r, col=c, text=t) for r, line in enumerate(rows) for c, t in enumerate(line)]
    return Table(index=index, cells=cells, n_rows=len(rows), n_cols=max(len(x) for x in rows))


def _t3_rows(fmt, value=lambda rid, k: str(k)):
    t3 = fmt.table("table3")
    header = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", ""] + [c.label for c in t3.columns]]
    return header + [[r.label, "", ""] + [value(r.id, k) for k in range(7)] for r in t3.rows if not r.group]


def test_table3_split_over_two_tables_with_repeated_header():
    fmt = get_format("2021")
    rows = _t3_rows(fmt)
    first, second = rows[:14], [rows[0]] + rows[14:]
    doc = SourceDocument(path="x", kind="docx", tables=[_grid_table(0, first), _grid_table(1, second)])
    mapped = map_tables(doc)
    assert _count(mapped, "table3") == 175
    assert mapped.table_positions["table3"] == 0
    assert mapped.positions[("table3", "r4", "total")][0] == 1
    assert not [f for f in mapped.findings if f.rule in ("MAP-MISSING-ROW", "MAP-EXTRA-ROW", "TYPE")]


def test_all_three_tables_in_one_word_table_and_transposed_table4():
    fmt = get_format("2021")
    rows = []
    for b in fmt.table("table2").blocks:
        rows.append([b.caption])
        rows.append(["信息内容"] + [c.label for c in b.columns])
        for r in b.rows:
            rows.append([r.label] + ["1"] * len(b.columns))
    rows += [[x for x in r] for r in _t3_rows(fmt)]
    t4 = fmt.table("table4")
    rows.append(["", *[c.label for c in t4.columns]])
    for r in t4.rows:
        rows.append([r.label, "0", "1", "0", "0", "1"])
    doc = SourceDocument(path="x", kind="docx", tables=[_grid_table(0, rows)])
    mapped = map_tables(doc)
    assert mapped.format_id == "2021"
    assert _count(mapped, "table2") == 10 and _count(mapped, "table3") == 175 and _count(mapped, "table4") == 15
    assert mapped.cell("table4", "after_review", "total").value == 1
    assert set(mapped.table_positions.values()) == {0}


# ---------------------------------------------------------------- findings


def _doc_with(rows_t2=None, rows_t3=None):
    tables = []
    if rows_t2 is not None:
        tables.append(_grid_table(len(tables), rows_t2))
    if rows_t3 is not None:
        tables.append(_grid_table(len(tables), rows_t3))
    return SourceDocument(path="x", kind="docx", tables=tables)


def test_cell_states_and_type_findings():
    fmt = get_format("2021")
    marks = {("r1", 0): "/", ("r1", 1): "—", ("r1", 2): "", ("r1", 3): "无", ("r2", 0): "未统计", ("r2", 1): "1.5",
             ("r3_1", 0): "\u00a012", ("r3_1", 1): "1,234"}
    rows = _t3_rows(fmt, lambda rid, k: marks.get((rid, k), "0"))
    mapped = map_tables(_doc_with(rows_t3=rows))
    r1 = mapped.tables["table3"]["r1"]
    assert [r1[c].state for c in ("natural", "business", "research", "nonprofit")] == ["slash", "dash", "empty", "none"]
    assert mapped.cell("table3", "r3_1", "natural").value == 12
    assert mapped.cell("table3", "r3_1", "business").value == 1234
    types = [f for f in mapped.findings if f.rule == "TYPE"]
    assert {(f.location.row, f.location.col) for f in types} == {("r2", "natural"), ("r2", "business")}
    assert all(f.level == "error" for f in types)
    bad = next(f for f in types if f.location.col == "natural")
    assert "未统计" in bad.message and bad.location.table == "table3" and bad.location.table_index == 0
    assert bad.location.cell_col == 3 and bad.location.cell_row is not None
    assert mapped.cell("table3", "r2", "natural").state == "text"


def test_extra_row_missing_row_and_wrong_column_count():
    fmt = get_format("2019")
    rows = _t3_rows(fmt)
    rows.insert(5, ["其中：网上申请", "", "", "1", "0", "0", "0", "0", "0", "1"])  # not a row of the form
    rows = [r for r in rows if not r[0].startswith("2.重复申请")]
    rows[1] = rows[1][:-1]  # r1 short of one cell
    mapped = map_tables(_doc_with(rows_t3=rows))
    rules = {(f.rule, f.location.row) for f in mapped.findings}
    assert ("MAP-MISSING-ROW", "r3_5_2") in rules
    assert ("MAP-COLUMNS", "r1") in rules
    extra = [f for f in mapped.findings if f.rule == "MAP-EXTRA-ROW"]
    assert len(extra) == 1 and extra[0].level == "warning" and "网上申请" in extra[0].message


def test_mixed_versions_are_both_seen():
    f21, f19 = get_format("2021"), get_format("2019")
    rows = []
    for b in f21.table("table2").blocks:
        rows += [[b.caption], ["信息内容"] + [c.label for c in b.columns]] + [[r.label] + ["2"] * len(b.columns) for r in b.rows]
    b9 = next(b for b in f19.table("table2").blocks if b.id == "art20_9")
    rows += [[b9.caption], ["信息内容"] + [c.label for c in b9.columns], [b9.rows[0].label, "3", "100"]]
    mapped = map_tables(_doc_with(rows_t2=rows))
    assert mapped.formats_seen == {"2019", "2021"}
    assert mapped.format_id == "2021"
    assert _count(mapped, "table2") == 10
    extra = [f for f in mapped.findings if f.rule == "MAP-EXTRA-ROW"]
    assert extra and "2019" in extra[0].message


def test_table2_2021_single_value_written_in_three_unmerged_cells():
    fmt = get_format("2021")
    rows = []
    for b in fmt.table("table2").blocks:
        rows += [[b.caption, "", "", ""], ["信息内容"] + [c.label for c in b.columns] + [""] * (3 - len(b.columns))]
        rows += [[r.label] + ["7"] + [""] * 2 if len(b.columns) == 1 else [r.label, "1", "2", "3"] for r in b.rows]
    mapped = map_tables(_doc_with(rows_t2=rows))
    assert mapped.cell("table2", "penalty", "decisions").value == 7
    assert mapped.cell("table2", "normative_docs", "in_force").value == 3
    assert not [f for f in mapped.findings if f.rule in ("MAP-COLUMNS", "TYPE")]


def test_no_statutory_table():
    doc = SourceDocument(path="x", kind="docx", tables=[_grid_table(0, [["姓名", "电话"], ["张三", "123"]])])
    mapped = map_tables(doc)
    assert mapped.format_id is None
    assert not any(mapped.tables.values())
    assert mapped.findings == []


def test_html_table_with_rowspan_colspan_maps():
    fmt = get_format("2019")
    t3 = fmt.table("table3")
    leaves = [r for r in t3.rows if not r.group]
    trs = ['<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan="7">申请人情况</td></tr>',
           '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
           "<tr>" + "".join(f"<td>{c.label}</td>" for c in t3.columns[1:6]) + "</tr>"]
    g3_rows = [r for r in leaves if r.parent]
    for i, r in enumerate(leaves):
        tds = ""
        if r.id == g3_rows[0].id:
            tds += f'<td rowspan="{len(g3_rows)}">三、本年度办理结果</td>'
        if r.parent is None:
            tds += f'<td colspan="3">{r.label}</td>'
        elif r.parent == "g3":
            tds += f'<td colspan="2">{r.label}</td>'
        else:
            sibs = [x for x in leaves if x.parent == r.parent]
            if r is sibs[0]:
                tds += f'<td rowspan="{len(sibs)}">{t3.row(r.parent).label}</td>'
            tds += f"<td>{r.label}</td>"
        tds += "".join(f"<td>{i}</td>" for _ in range(6)) + f"<td>{6 * i}</td>"
        trs.append(f"<tr>{tds}</tr>")
    page = ("<html><body><h1>某某局2020年政府信息公开工作年度报告</h1><p>三、收到和处理政府信息公开申请情况</p>"
            f"<table>{''.join(trs)}</table></body></html>")
    mapped = map_tables(parse_html(page))
    assert mapped.format_id == "2019"
    assert _count(mapped, "table3") == 161
    for i, r in enumerate(leaves):
        assert mapped.cell("table3", r.id, "natural").value == i
        assert mapped.cell("table3", r.id, "total").value == 6 * i
    assert {f.rule for f in mapped.findings} <= {"MAP-FORMAT", "MAP-MISSING-TABLE"}


def test_markdown_table_in_text():
    fmt = get_format("2021")
    t4 = fmt.table("table4")
    lines = ["某局2023年政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况", "",
             "| 类别 | " + " | ".join(c.label for c in t4.columns) + " |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.label} | 1 | 0 | 0 | 0 | 1 |" for r in t4.rows]
    mapped = map_tables(parse_text("\n".join(lines)))
    assert _count(mapped, "table4") == 15
    assert mapped.cell("table4", "direct", "total").value == 1

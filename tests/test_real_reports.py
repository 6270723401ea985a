"""The real published reports in ../shared/real read with every table mapped and give no false error.

The expected cells are those ../shared/real/README.md gives (the one consistent reading of each
glued pingtan table); 表二 cells that cannot be split for certain must be left unjudged.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from report_writer.check.api import check_document
from report_writer.cli.main import main

from .conftest import shared_file

# The real inconsistencies ../shared/real/README.md names (high confidence) are the only errors allowed.
KNOWN_ERRORS = {"real/pingtan/pingtan-2019.txt": [("NUM-SUM", "2599")]}  # the 主动公开 breakdown adds to 2533

REAL = ["real/suqian-2023.txt"] + [f"real/pingtan/pingtan-{y}.txt" for y in (2019, 2021, 2022, 2024, 2025)]


def _row(result, table, row):
    cells = result.report.tables[table][row]
    cols = [c.id for c in _fmt(result).table(table).columns_of(row)]
    return [int(cells[c].value) if c in cells and cells[c].is_number else None for c in cols]


def _fmt(result):
    from report_writer.formats import all_formats

    return all_formats()[result.mapped.format_id]


@pytest.mark.parametrize("rel", REAL)
def test_real_report_has_no_error_and_every_table_read(rel):
    path = shared_file(rel)
    out = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    doc = json.loads(out.output)
    (file,) = doc["files"]
    assert file["status"] != "unreadable", file["error"]
    errors = [(f["rule"], f["message"]) for f in file["findings"] if f["level"] == "error"]
    known = KNOWN_ERRORS.get(rel, [])
    assert len(errors) == len(known), errors
    for (rule, message), (want_rule, needle) in zip(sorted(errors), sorted(known)):
        assert rule == want_rule and needle in message, (rule, message)
    tables = {t["table"]: t for t in file["tables"]}
    assert set(tables) == {"table2", "table3", "table4"}
    assert tables["table3"]["status"] == "read" and tables["table4"]["status"] == "read"
    assert tables["table3"]["cells_read"] >= 161 and tables["table4"]["cells_read"] == 15
    reading = "text-flat" if "suqian" in rel else "text-glued"
    assert {t["reading"] for t in tables.values()} == {reading}
    for f in file["findings"]:
        if f["location"].get("table"):
            assert f["location"]["reading"] == reading


T3_2021 = {"r1": [64, 0, 0, 2, 0, 4, 70], "r3_1": [27, 0, 0, 2, 0, 1, 30], "r3_2": [5, 0, 0, 0, 0, 0, 5],
           "r3_3_5": [1, 0, 0, 0, 0, 0, 1], "r3_3_7": [6, 0, 0, 0, 0, 0, 6], "r3_3_8": [1, 0, 0, 0, 0, 0, 1],
           "r3_4_1": [22, 0, 0, 0, 0, 3, 25], "r3_6_3": [1, 0, 0, 0, 0, 0, 1], "r3_7": [63, 0, 0, 2, 0, 4, 69],
           "r4": [1, 0, 0, 0, 0, 0, 1], "r2": [0] * 7}


def test_pingtan_2021_glued_rows_split_by_the_column_sums():
    """270020130 and 220000325 also split validly a second way; only the column sums decide."""
    result = check_document(shared_file("real/pingtan/pingtan-2021.txt"))
    for row, want in T3_2021.items():
        assert _row(result, "table3", row) == want, row
    t4 = [_row(result, "table4", r) for r in ("review", "direct", "after_review")]
    assert t4 == [[1, 0, 2, 0, 3], [12, 0, 0, 0, 12], [0, 0, 0, 0, 0]]
    t2 = result.report.tables["table2"]
    assert t2["licensing"]["decisions"].value == 2293 and t2["enforcement"]["decisions"].value == 42
    assert str(t2["fees"]["amount"].value) == "24252.311082"
    # 693665 splits many ways (69/3/665, 6/93/665 …): left unjudged, said once, never an error
    assert "normative_docs" not in t2 or not t2["normative_docs"]
    notes = [f for f in result.findings if f.rule == "CELL-AMBIGUOUS"]
    assert len(notes) == 1 and notes[0].level == "info" and "693665" in notes[0].message


@pytest.mark.parametrize("year,rows", [
    (2019, {"r1": [23, 0, 0, 0, 0, 0, 23], "r3_1": [7, 0, 0, 0, 0, 0, 7], "r3_4_3": [5, 0, 0, 0, 0, 0, 5],
            "r3_5_2": [3, 0, 0, 0, 0, 0, 3], "r3_7": [23, 0, 0, 0, 0, 0, 23], "r4": [0] * 7}),
    (2022, {"r1": [71, 3, 0, 0, 0, 0, 74], "r2": [1, 0, 0, 0, 0, 0, 1], "r3_2": [8, 1, 0, 0, 0, 0, 9],
            "r3_6_3": [0, 2, 0, 0, 0, 0, 2], "r3_7": [72, 3, 0, 0, 0, 0, 75], "r4": [0] * 7}),
    (2024, {"r1": [217, 1, 0, 0, 0, 0, 218], "r3_3_5": [32, 0, 0, 0, 0, 0, 32], "r3_4_1": [75, 0, 0, 0, 0, 0, 75],
            "r3_6_3": [1, 1, 0, 0, 0, 0, 2], "r3_7": [217, 1, 0, 0, 0, 0, 218]}),
    (2025, {"r1": [151, 3, 0, 0, 0, 0, 154], "r3_4_1": [49, 1, 0, 0, 0, 0, 50], "r3_7": [147, 1, 0, 0, 0, 0, 148],
            "r4": [4, 2, 0, 0, 0, 0, 6]}),
])
def test_pingtan_table3_reads_as_readme(year, rows):
    result = check_document(shared_file(f"real/pingtan/pingtan-{year}.txt"))
    for row, want in rows.items():
        assert _row(result, "table3", row) == want, row


@pytest.mark.parametrize("year,want", [
    (2022, [[0, 1, 1, 0, 2], [1, 0, 0, 0, 1], [0, 0, 0, 0, 0]]),
    (2024, [[2, 1, 3, 1, 7], [0, 0, 0, 0, 0], [13, 2, 4, 0, 19]]),
    (2025, [[25, 3, 8, 0, 36], [3, 3, 0, 0, 6], [3, 0, 0, 0, 3]]),
    (2019, [[0] * 5] * 3),
])
def test_pingtan_table4_reads_as_readme(year, want):
    result = check_document(shared_file(f"real/pingtan/pingtan-{year}.txt"))
    assert [_row(result, "table4", r) for r in ("review", "direct", "after_review")] == want


def test_pingtan_2019_uncertain_table2_cells_are_not_flagged():
    result = check_document(shared_file("real/pingtan/pingtan-2019.txt"))
    t2 = result.report.tables["table2"]
    assert [t2["regulations"][c].value for c in ("made", "published", "total")] == [0, 0, 0]
    for row in ("licensing", "other_services", "penalty", "enforcement", "fees", "procurement"):
        assert not t2.get(row), row  # 3960181, 100153, 26480430, 126025, 350, 13575394432.52元
    flagged = {f.location.row for f in result.findings if f.location.table == "table2" and f.level != "info"}
    assert flagged == set()
    ambiguous = {f.location.row for f in result.findings if f.rule == "CELL-AMBIGUOUS"}
    assert {"licensing", "other_services", "penalty", "enforcement", "fees", "procurement"} <= ambiguous
    # the 三、本年度办理结果 repeated before （四） (a page-break header) is not a finding
    assert not [f for f in result.findings if f.rule.startswith("MAP-")]


def test_pingtan_sections_found_in_the_one_line_text():
    result = check_document(shared_file("real/pingtan/pingtan-2024.txt"))
    assert [s.id for s in result.sections] == ["overview", "proactive", "requests", "appeals", "problems", "other"]
    assert result.title is not None and result.title.year == 2024


def test_suqian_tables_read():
    result = check_document(shared_file("real/suqian-2023.txt"))
    assert not result.errors
    # 收办 3607 件 = 新收 3511 + 上年结转 96 (the narrative figures, README)
    assert _row(result, "table3", "r1")[-1] == 3511 and _row(result, "table3", "r2")[-1] == 96
    assert all(t.reading == "text-flat" for t in result.document.tables)

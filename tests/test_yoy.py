"""Year over year: check --previous and draft --previous on constructed pairs (one break each)
and on consecutive real years of 平潭综合实验区."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_writer.check.judge_previous import check_with_previous
from report_writer.cli.main import main
from report_writer.draft.api import draft_report
from report_writer.lastyear import load_last_year

from .yoy_pairs import data_2022, data_2023, write


def yoy(findings):
    return sorted((f.rule, f.level, f.location.col) for f in findings if f.rule.startswith("YOY-"))


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    d = tmp_path_factory.mktemp("yoy")
    write(d / "2022.yaml", data_2022())
    write(d / "2023.yaml", data_2023())
    assert draft_report(d / "2022.yaml", d / "2022.docx").ok
    assert draft_report(d / "2023.yaml", d / "2023.docx", previous_path=d / "2022.yaml").ok
    assert draft_report(d / "2023.yaml", d / "2023-plain.docx").ok
    return d


def _check(doc, prev):
    return check_with_previous(doc, load_last_year(prev))


def test_draft_with_previous_writes_yoy_sentences(pair):
    from report_writer.read import read_document

    text = "\n".join(p.text for p in read_document(pair / "2023.docx").paragraphs)
    assert "新收政府信息公开申请数量同比下降9.5%" in text  # 67 against 74
    assert "主动公开政府信息数量" in text and "增长7.2%" in text  # 1126 against 1050
    plain = "\n".join(p.text for p in read_document(pair / "2023-plain.docx").paragraphs)
    assert "同比" not in plain and "较上年" not in plain


@pytest.mark.parametrize("prev", ["2022.yaml", "2022.docx"])
def test_draft_with_previous_checks_clean(pair, prev):
    result = _check(pair / "2023.docx", pair / prev)
    assert yoy(result.findings) == []
    assert result.errors == []


@pytest.mark.parametrize("seed", [1, 2])
def test_every_wording_checks_clean(pair, tmp_path, seed):
    """Other seeds pick the 较上年/比上年 variants: the checker reads each of them back."""
    assert draft_report(pair / "2023.yaml", tmp_path / "d.docx", seed=seed, previous_path=pair / "2022.docx").ok
    result = _check(tmp_path / "d.docx", pair / "2022.docx")
    assert yoy(result.findings) == [] and result.errors == []


def _broken(pair, tmp_path, change) -> Path:
    raw = data_2022()
    change(raw)
    return write(tmp_path / "2022.yaml", raw)


def test_carry_over_break_is_an_error_per_column(pair, tmp_path):
    def change(raw):
        t3 = raw["table3"]
        t3["r4"] = [5, 1, 0, 0, 0, 0, 6]
        t3["r3_7"] = [55, 9, 1, 0, 3, 2, 70]
        t3["r3_1"] = [23, 5, 1, 0, 1, 1, 31]
    result = _check(pair / "2023.docx", _broken(pair, tmp_path, change))
    assert yoy(result.findings) == [("YOY-CARRY", "error", "natural"), ("YOY-CARRY", "error", "total")]
    assert "2022年度报告表三“四、结转下年度继续办理”" in result.findings[0].message or any(
        "结转下年度继续办理" in f.message for f in result.findings if f.rule == "YOY-CARRY")


def test_in_force_break_is_a_warning_with_the_three_figures(pair, tmp_path):
    def change(raw):
        raw["table2"]["normative_docs"] = {"issued": 5, "repealed": 1, "in_force": 39}
    result = _check(pair / "2023.docx", _broken(pair, tmp_path, change))
    assert yoy(result.findings) == [("YOY-VALID", "warning", "in_force")]
    msg = next(f.message for f in result.findings if f.rule == "YOY-VALID")
    assert "39" in msg and "6" in msg and "2" in msg and "43" in msg and "41" in msg


def test_wrong_direction_in_a_yoy_sentence_is_an_error(pair, tmp_path):
    import docx

    d = docx.Document(str(pair / "2023.docx"))
    changed = 0
    for p in d.paragraphs:
        for r in p.runs:
            for word in ("同比下降", "较上年下降", "比上年下降"):
                if "申请数量" + word in r.text:
                    r.text = r.text.replace(word, word[:-2] + "增长")
                    changed += 1
    assert changed >= 1
    d.save(str(tmp_path / "2023.docx"))
    result = _check(tmp_path / "2023.docx", pair / "2022.yaml")
    found = [f for f in result.findings if f.rule.startswith("YOY-")]
    assert {f.rule for f in found} == {"YOY-CLAIM"} and all(f.level == "error" for f in found)
    assert "下降9.5%" in found[0].message and "74" in found[0].message


def test_wrong_percentage_at_the_precision_written(pair, tmp_path):
    import docx

    d = docx.Document(str(pair / "2023.docx"))
    for p in d.paragraphs:
        if "新收政府信息公开申请数量同比下降" in p.text and p.text.startswith("本年度"):
            for r in p.runs:
                if r.text == "9.5":
                    r.text = "9.9"
    d.save(str(tmp_path / "2023.docx"))
    result = _check(tmp_path / "2023.docx", pair / "2022.yaml")
    assert yoy(result.findings) == [("YOY-CLAIM", "error", None)]


def test_repeated_problem_warns(pair, tmp_path):
    def change(raw):
        raw["problems"].append({"id": "p2", "category": "interpretation",
                                "text": "政策解读以文字解读为主，图表、视频等形式运用较少，对规划类文件的解读不够通俗"})
    prev = _broken(pair, tmp_path, change)
    raw23 = data_2023()
    raw23["previous_remedies"].append({"problem": "政策解读以文字解读为主，图表、视频等形式运用较少",
                                       "remedy": "图表、视频等形式的解读占比提高，但规划类文件的解读仍不够通俗"})
    write(tmp_path / "2023.yaml", raw23)
    assert draft_report(tmp_path / "2023.yaml", tmp_path / "2023.docx").ok
    result = _check(tmp_path / "2023.docx", prev)
    assert yoy(result.findings) == [("YOY-REPEAT", "warning", None)]
    assert "与上年报告雷同" in next(f.message for f in result.findings if f.rule == "YOY-REPEAT")


def test_unanswered_problem_of_last_year_warns(pair, tmp_path):
    def change(raw):
        raw["problems"].append({"id": "p2", "category": "requests", "text": "依申请公开答复文书格式不够统一"})
    result = _check(pair / "2023.docx", _broken(pair, tmp_path, change))
    found = [f for f in result.findings if f.rule.startswith("YOY-")]
    assert [(f.rule, f.level) for f in found] == [("YOY-REMEDY", "warning")]
    assert "依申请公开答复文书格式不够统一" in found[0].message


def test_fivefold_jump_is_a_note_with_both_figures(pair, tmp_path):
    def change(raw):
        raw["overview"]["proactive"]["items_published"] = 200
    result = _check(pair / "2023-plain.docx", _broken(pair, tmp_path, change))
    found = [f for f in result.findings if f.rule.startswith("YOY-")]
    assert [(f.rule, f.level) for f in found] == [("YOY-JUMP", "info")]
    assert "1126" in found[0].message and "200" in found[0].message


def test_not_consecutive_years_compares_nothing(pair):
    result = _check(pair / "2023.docx", pair / "2023.yaml")
    assert yoy(result.findings) == [("YOY-PAIR", "warning", None)]


def test_folder_pairs_consecutive_years(pair, tmp_path):
    import shutil

    for name in ("2022.docx", "2023.docx"):
        shutil.copy(pair / name, tmp_path / name)
    r = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    files = {Path(f["file"]).name: f for f in json.loads(r.output)["files"]}
    assert files["2023.docx"]["previous"].endswith("2022.docx")
    assert files["2022.docx"]["previous"] is None
    r = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert "同比配对" in r.output and "2023.docx ← " in r.output


def test_previous_dir_finds_last_year(pair, tmp_path):
    import shutil

    (tmp_path / "历年").mkdir()
    shutil.copy(pair / "2022.docx", tmp_path / "历年" / "a.docx")
    r = CliRunner().invoke(main, ["check", str(pair / "2023.docx"), "--previous", str(tmp_path / "历年"),
                                  "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["files"][0]["previous"].endswith("a.docx")


def test_draft_cli_previous_and_bad_previous(pair, tmp_path):
    r = CliRunner().invoke(main, ["draft", str(pair / "2023.yaml"), "-o", str(tmp_path / "x.docx"),
                                  "--previous", str(pair / "2022.docx")])
    assert r.exit_code == 0, r.output
    bad = tmp_path / "坏.yaml"
    bad.write_text("meta: [1\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(pair / "2023.docx"), "--previous", str(bad)])
    assert r.exit_code == 2 and "坏.yaml" in r.output
    r = CliRunner().invoke(main, ["check", str(pair / "2023.docx"), "--previous", str(tmp_path / "没有.docx")])
    assert r.exit_code == 2 and "上年度报告无法读取" in r.output and "没有.docx" in r.output


def test_previous_block_carries_overview_and_problems(pair, tmp_path):
    from report_writer.data.dump import dump_yaml
    from report_writer.data.loader import load
    from report_writer.extract import roll_forward

    nxt, _notes = roll_forward(load(pair / "2022.yaml").data)
    assert nxt.previous.overview.proactive.items_published.value == 1050
    assert nxt.previous.problems == ["政务新媒体内容更新频率不稳定"]
    (tmp_path / "2023.yaml").write_text(dump_yaml(nxt), encoding="utf-8")
    again = load(tmp_path / "2023.yaml").data
    assert again.previous.overview.proactive.items_published.value == 1050
    assert again.previous.problems == nxt.previous.problems


# ---------------------------------------------------------------- real consecutive years (平潭)

def _real(name):
    from report_writer.findings import DataFileError

    from .conftest import shared_file

    path = shared_file(f"real/pingtan/{name}")
    try:
        return path, load_last_year(path)
    except DataFileError as e:
        pytest.skip(f"{name} 在本分支上还读不出（平潭的整行数字表格有待文本读取器支持）：{e.findings[0].message}")


@pytest.mark.parametrize("before,after,rules", [
    ("pingtan-2021.txt", "pingtan-2022.txt", []),
    ("pingtan-2024.txt", "pingtan-2025.txt", [("YOY-VALID", "warning", "in_force")]),
])
def test_real_consecutive_years(before, after, rules):
    _, last = _real(before)
    path, _ = _real(after)
    result = check_with_previous(path, last)
    got = [(f.rule, f.level, f.location.col) for f in result.findings if f.rule.startswith("YOY-")
           and f.rule not in ("YOY-REPEAT", "YOY-REMEDY", "YOY-JUMP")]
    assert got == rules
    assert not [f for f in result.findings if f.rule.startswith("YOY-") and f.level == "error"]


def test_real_years_pair_in_a_folder():
    from report_writer.check.pairing import pair_files

    from .conftest import shared_dir

    if shared_dir() is None or not (shared_dir() / "real" / "pingtan").is_dir():
        pytest.skip("../shared/real/pingtan 不在本机")
    folder = shared_dir() / "real" / "pingtan"
    files = sorted(str(p) for p in folder.glob("*.txt"))
    pairs = {Path(k).name: Path(v).name for k, v in pair_files(files).items()}
    if not pairs:
        pytest.skip("平潭报告的标题在本分支上还读不出（文本读取器），无法配对")
    assert pairs == {"pingtan-2022.txt": "pingtan-2021.txt", "pingtan-2025.txt": "pingtan-2024.txt"}


# ---------------------------------------------------------------- rows read several ways, formats that differ

def _glued_doc(label: str, digits: str):
    """A document whose 表二 row `label` was written as one run of digits (as the text reader notes it)."""
    from types import SimpleNamespace as NS

    note = f"数字连写为“{digits}”，可拆分为多种读法，无法确定"
    cells = [NS(row=0, text=label, unsure="")] + [NS(row=0, text="", unsure=note) for _ in range(3)]
    return NS(tables=[NS(cells=cells)], path="x.txt")


@pytest.mark.parametrize("before,after,warns", [
    ("693665", "8855698", False),   # 平潭 2021 → 2022: 665 + 88 − 55 = 698 in one reading
    ("6233440", "5845546", True),   # 平潭 2024 → 2025: no reading holds
])
def test_glued_rows_warn_only_when_no_reading_holds(before, after, warns):
    from report_writer.check.judge_previous import roll_forward
    from report_writer.data.model import Meta, ReportData
    from report_writer.findings import Location
    from report_writer.formats import get_format
    from report_writer.lastyear import LastYear

    def data(year):
        return ReportData(meta=Meta(body="平潭综合实验区", level="开发区", year=year))

    last = LastYear(path="prev.txt", kind="report", data=data(2024), document=_glued_doc("行政规范性文件", before))
    found = roll_forward(get_format("2021"), data(2025), last, lambda *a: Location(file="x.txt"),
                         _glued_doc("行政规范性文件", after))
    assert bool(found) == warns
    if warns:
        assert found[0].level == "warning" and "440" in found[0].message and "546" in found[0].message


def test_format_change_says_what_cannot_be_compared(pair, tmp_path):
    raw = yaml_load(Path(__file__).resolve().parent.parent / "examples" / "jinzhai-2020.yaml")
    raw["meta"].update(body="云岭市自然资源和规划局", level="市级部门", year=2022, format="2019")
    raw.pop("previous", None)
    prev = write(tmp_path / "2022-old.yaml", raw)
    found = [f for f in _check(pair / "2023-plain.docx", prev).findings if f.rule.startswith("YOY-")]
    rules = {f.rule for f in found}
    assert "YOY-FORMAT" in rules and "YOY-VALID" not in rules
    note = next(f for f in found if f.rule == "YOY-FORMAT")
    assert note.level == "info" and "对外公开总数量" in note.message and "现行有效件数" in note.message


def yaml_load(path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_draft_warns_of_last_years_problems_without_remedy(pair, tmp_path):
    raw = data_2022()
    raw["problems"].append({"id": "p2", "category": "requests", "text": "依申请公开答复文书格式不够统一"})
    prev = write(tmp_path / "2022.yaml", raw)
    result = draft_report(pair / "2023.yaml", tmp_path / "d.docx", previous_path=prev)
    gaps = [f for f in result.findings if f.rule == "YOY-REMEDY"]
    assert result.ok and [f.found for f in gaps] == ["依申请公开答复文书格式不够统一"]


def test_yoy_phrases_of_another_scope_or_approximate_are_not_judged(pair, tmp_path):
    """上年度 (last year's own figure), 基本持平 (approximately): no finding either way."""
    import docx

    d = docx.Document(str(pair / "2023-plain.docx"))
    anchor = next(p for p in d.paragraphs if "依法办理公开申请" in p.text)
    anchor.add_run("上年度收到申请74件，同比增长3%。新收申请数量与上年基本持平。")
    d.save(str(tmp_path / "x.docx"))
    result = _check(tmp_path / "x.docx", pair / "2022.yaml")
    assert [f for f in result.findings if f.rule == "YOY-CLAIM"] == []
    # … while a figure of this year is judged, a part (自然人) against last year's same part
    d = docx.Document(str(pair / "2023-plain.docx"))
    anchor = next(p for p in d.paragraphs if "依法办理公开申请" in p.text)
    anchor.add_run("自然人申请52件，同比增长50%。")
    d.save(str(tmp_path / "z.docx"))
    wrong = [f for f in _check(tmp_path / "z.docx", pair / "2022.yaml").findings if f.rule == "YOY-CLAIM"]
    assert len(wrong) == 1 and "下降10.3%" in wrong[0].message and "58" in wrong[0].message
    d = docx.Document(str(pair / "2023-plain.docx"))
    anchor = next(p for p in d.paragraphs if "依法办理公开申请" in p.text)
    anchor.add_run("新收政府信息公开申请数量与上年持平。")
    d.save(str(tmp_path / "y.docx"))
    result = _check(tmp_path / "y.docx", pair / "2022.yaml")
    assert [(f.rule, f.level) for f in result.findings if f.rule == "YOY-CLAIM"] == [("YOY-CLAIM", "error")]


def test_extract_next_year_from_a_report_feeds_draft_previous(pair, tmp_path):
    """extract --next-year on last year's published report: previous carries tables, 总体情况 counts and problems,
    and a draft from it (this year's figures filled in) gains the 同比 sentences and checks clean."""
    import yaml

    out = tmp_path / "2023-start.yaml"
    r = CliRunner().invoke(main, ["extract", str(pair / "2022.docx"), "-o", str(out), "--next-year"])
    assert r.exit_code in (0, 1) and out.is_file(), r.output  # 1: some preamble field was not in the draft
    start = yaml.safe_load(out.read_text(encoding="utf-8"))
    prev = start["previous"]
    assert prev["year"] == 2022 and prev["table3"]["r4"][-1] == 5
    assert prev["overview"]["proactive"]["items_published"] == 1050
    assert any("政务新媒体内容更新频率不稳定" in p for p in prev["problems"])
    raw = data_2023()
    raw["previous"] = prev
    write(tmp_path / "2023.yaml", raw)
    assert draft_report(tmp_path / "2023.yaml", tmp_path / "2023.docx").ok
    result = _check(tmp_path / "2023.docx", pair / "2022.docx")
    assert yoy(result.findings) == [] and result.errors == []

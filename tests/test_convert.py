"""dump / convert / init: lossless YAML, JSON and XLSX, safe output."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_writer.cli.main import main
from report_writer.data.dump import dump_json, dump_yaml, template_yaml, to_data_dict
from report_writer.formats import get_format
from report_writer.data.loader import build, load
from report_writer.data.yamlsrc import parse_json, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / "jinzhai-2020.yaml", ROOT / "examples" / "yunling-zrzy-2023.yaml"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_dump_round_trip(example):
    data = load(example).data
    text = dump_yaml(data)
    again = build(parse_yaml(text), "x").data
    assert again == data
    assert dump_yaml(again) == text
    assert build(parse_json(dump_json(data)), "x").data == data


def test_dump_keeps_numbers_and_words_as_written():
    data = load(EXAMPLES[0]).data
    text = dump_yaml(data)
    assert "trainees: 近300" in text
    assert "amount: 35339.15" in text
    assert "date: 2020-08-25" in text and "report_date: 2021-01-20" in text
    assert "postcode: '237300'" in text
    assert "金寨县人民政府" in text  # allow_unicode, no \u escapes
    assert list(to_data_dict(data))[:3] == ["meta", "overview", "table2"]
    y = load(EXAMPLES[1]).data
    assert "fees: 1523.46" in dump_yaml(y)
    assert '"fees": 1523.46' in dump_json(y)
    from report_writer.data.model import Cell

    y.tables["table2"]["fees"]["amount"] = Cell.number(Decimal("12.50"))
    assert "fees: 12.50" in dump_yaml(y)
    assert build(parse_yaml(dump_yaml(y)), "x").data.tables["table2"]["fees"]["amount"].value.as_tuple().exponent == -2


def test_dump_omits_defaults_and_keeps_spelled_changes():
    data = load(EXAMPLES[0]).data
    text = dump_yaml(data)
    assert "null" not in text and "previous_remedies" not in text and "  fee:" not in text
    from report_writer.data.model import Cell

    data.tables["table2"]["licensing"]["change"] = Cell.number(-77992, raw="减77992")
    again = build(parse_yaml(dump_yaml(data)), "x").data
    assert again.tables["table2"]["licensing"]["change"] == Cell.number(-77992, raw="减77992")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_convert_chain_is_lossless_and_inputs_untouched(example, tmp_path):
    src = tmp_path / example.name
    src.write_bytes(example.read_bytes())
    before = sha(src)
    xlsx, yaml_, json_ = tmp_path / "a.xlsx", tmp_path / "b.yaml", tmp_path / "c.json"
    for a, b in ((src, xlsx), (xlsx, yaml_), (yaml_, json_)):
        h = sha(a)
        r = run("convert", str(a), "-o", str(b))
        assert r.exit_code == 0, r.output
        assert sha(a) == h
    assert sha(src) == before
    original = load(src).data
    assert load(xlsx).data == original and load(yaml_).data == original and load(json_).data == original
    r = run("convert", str(json_), "-o", str(tmp_path / "d.yaml"))
    assert r.exit_code == 0
    strip = lambda p: "".join(line for line in p.read_text(encoding="utf-8").splitlines(True) if not line.startswith("#"))
    assert strip(tmp_path / "d.yaml") == strip(yaml_)


def test_convert_refuses_output_equal_to_input(tmp_path):
    src = tmp_path / "data.yaml"
    src.write_bytes(EXAMPLES[0].read_bytes())
    before = sha(src)
    r = run("convert", str(src), "-o", str(src))
    assert r.exit_code == 2 and "同一个文件" in r.output
    r = run("convert", str(src), "-o", str(tmp_path / "." / "data.yaml"))
    assert r.exit_code == 2
    assert sha(src) == before


def test_convert_unreadable_input_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: [\n", encoding="utf-8")
    r = run("convert", str(bad), "-o", str(tmp_path / "out.xlsx"))
    assert r.exit_code == 2 and not (tmp_path / "out.xlsx").exists()
    r = run("convert", str(EXAMPLES[0]), "-o", str(tmp_path / "out.txt"))
    assert r.exit_code == 2 and ".xlsx" in r.output


def test_init_templates(tmp_path):
    for name in ("a.xlsx", "a.yaml", "a.json"):
        out = tmp_path / name
        r = run("init", "--year", "2024", "--body", "某某县人民政府", "--level", "县级政府", "-o", str(out))
        assert r.exit_code == 0, r.output
        v = run("validate", str(out))
        assert v.exit_code == 1, v.output  # loads; only "not filled in" findings
        assert "CELL-EMPTY" in v.output
    r = run("init", "--year", "2024", "-o", str(tmp_path / "a.yaml"))
    assert r.exit_code == 2 and "已存在" in r.output
    assert run("init", "--year", "2024", "--level", "县政府", "-o", str(tmp_path / "z.yaml")).exit_code == 2


@pytest.mark.parametrize("fmt_id,year", [("2019", 2020), ("2021", 2023)])
def test_yaml_template_lists_every_row_and_fills_in(fmt_id, year):
    fmt = get_format(fmt_id)
    text = template_yaml(fmt, year, "某某市人民政府", "市级政府")
    for tid in ("table2", "table3", "table4"):
        for row in fmt.table(tid).data_rows():
            assert f"  {row.id}: " in text and row.label in text
    # fill every null table cell with 0 and the template is valid data
    filled = text.replace("null, ", "0, ").replace("null]", "0]").replace("null}", "0}")
    filled = "\n".join(line.replace(": null ", ": 0 ") if line.startswith("  ") and "table" not in line and
                       any(line.lstrip().startswith(r.id + ":") for t in ("table2", "table3", "table4")
                           for r in fmt.table(t).data_rows()) else line for line in filled.splitlines())
    data = build(parse_yaml(filled), "x").data
    assert data.meta.year == year and data.format_id == fmt_id
    assert all(c.is_number for rows in data.tables.values() for cells in rows.values() for c in cells.values())


def test_help_is_chinese():
    for cmd in ("init", "convert", "extract"):
        r = run(cmd, "--help")
        assert r.exit_code == 0 and "退出码" in r.output

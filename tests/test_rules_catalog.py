"""Every rule id the code can report is in the catalogue, and docs/rules.md says the same."""

from __future__ import annotations

import re

from click.testing import CliRunner

from report_writer.catalog import markdown, rule_infos
from report_writer.cli.main import main
from report_writer.formats import all_formats

from .conftest import ROOT

RULE_LITERAL = re.compile(r'rule=f?"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{4,})"')


def test_every_reported_rule_id_is_catalogued():
    ids = {i.id for i in rule_infos()}
    in_code = set()
    for path in (ROOT / "src" / "report_writer").rglob("*.py"):
        in_code |= set(RULE_LITERAL.findall(path.read_text(encoding="utf-8")))
    mapper = (ROOT / "src/report_writer/read/mapper.py").read_text(encoding="utf-8")
    in_code |= set(re.findall(r'"(MAP-[A-Z-]+|TYPE)"', mapper))
    for fmt in all_formats().values():
        in_code |= {r.id for r in fmt.rules}
    assert in_code, "the scan found no rule ids at all"
    assert in_code - ids == set(), f"rule ids missing from rules_catalog.yaml: {sorted(in_code - ids)}"


def test_ids_are_unique_and_levels_known():
    ids = [i.id for i in rule_infos()]
    assert len(ids) == len(set(ids))
    assert all(set(i.levels) <= {"error", "warning", "info"} and i.levels for i in rule_infos())


def test_docs_page_is_the_generated_one():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == markdown(), \
        "docs/rules.md is stale: run `report-writer rules --format markdown > docs/rules.md`"


def test_rules_command_lists_json():
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert result.exit_code == 0
    assert '"T3-IDENT"' in result.output and '"NUM-TABLE"' in result.output

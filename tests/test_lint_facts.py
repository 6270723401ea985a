"""`phrasebank lint`: variants must be paraphrases of one fact; no arithmetic on numbers."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from report_writer.cli.main import main
from report_writer.data.loader import load
from report_writer.draft.lint import lint
from report_writer.draft.phrasebank import PhraseBankError
from report_writer.draft.realize import realize

ROOT = Path(__file__).resolve().parents[1]


def _bank(tmp_path, text):
    (tmp_path / "o.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return [i for i in lint([tmp_path])[1] if i.level == "error"]


def test_builtin_variants_tell_the_same_facts():
    _, issues = lint()
    assert [str(i) for i in issues if "同一事实" in i.message or "可能没有的字段" in i.message] == []


def test_a_variant_with_another_field_is_refused(tmp_path):
    errs = _bank(tmp_path, """
        rules:
          - id: oversight.staff
            variants:
              - '新增人员{{ overview.oversight.staff_added }}名。'
              - '全年培训{{ overview.oversight.trainings }}次。'
    """)
    msgs = [i.message for i in errs]
    assert any("同一事实" in m and "overview.oversight.trainings" in m and "少用了 overview.oversight.staff_added" in m
               for m in msgs)
    # trainings is not guarded by the inherited when (staff_added > 0): the data may not have it
    assert any("可能没有的字段“overview.oversight.trainings”" in m for m in msgs)


def test_a_guarded_optional_field_is_fine(tmp_path):
    errs = _bank(tmp_path, """
        rules:
          - id: office.training_note
            slot: overview.oversight
            variants:
              - '{% if overview.oversight.trainees %}培训{{ overview.oversight.trainees }}人次。{% endif %}'
              - '{% if overview.oversight.trainees %}参训{{ overview.oversight.trainees }}人次。{% endif %}'
    """)
    assert errs == []


def test_arithmetic_is_refused_in_lint_and_at_draft_time_in_chinese(tmp_path):
    (tmp_path / "o.yaml").write_text(textwrap.dedent("""
        rules:
          - id: office.diff
            slot: overview.oversight
            when: present(overview.oversight.trainees) and present(overview.oversight.trainings)
            variants:
              - '相差{{ overview.oversight.trainees - overview.oversight.trainings }}。'
    """), encoding="utf-8")
    res = CliRunner().invoke(main, ["phrasebank", "lint", str(tmp_path)])
    assert res.exit_code != 0 and "不能对数字做减法运算" in res.output and "total(" in res.output
    data = load(str(ROOT / "examples" / "yunling-zrzy-2023.yaml")).data
    try:
        realize(data, phrasebank_dirs=[tmp_path])
    except PhraseBankError as e:
        assert "减法" in str(e) and "unsupported operand" not in str(e)
    else:  # pragma: no cover - the bank must not draft
        raise AssertionError("arithmetic template drafted")

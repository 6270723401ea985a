"""The checker's NLP pass without spaCy (pipeline.analysis) reads exactly what the spaCy pipeline reads.

The checker uses `analysis`; `analyse` (a spaCy Doc) stays for callers that want tokens. Both must
give the same quantities, claims and bare measure words on every paragraph, and a check must not
load spaCy at all (it costs a third of a second and ~60 MB before the first report).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from report_writer.nlp import pipeline, quantities
from report_writer.nlp.claims import Context

from .conftest import ROOT, shared_file

COUNTY = Context(body="金寨县人民政府", level="县级政府")

TEXTS = [
    "全年受理依申请公开23件，均规范办理；未发生行政复议。共主动公开条。",
    "共发布信息条 ，印发文件，办结  件。\n\t受理 件",  # spaces and tabs around bare measure words
    " 开头有空格，全年召开新闻发布会两场，培训近300人次（其中本级120人次）。",
    "予以公开及部分公开258件，占办结总数的41.2%；信息处理费0元。",
    "",
]


def _same(text: str) -> None:
    a = pipeline.analysis(text, COUNTY)
    d = pipeline.analyse(text, COUNTY)
    for name in ("norm", "dates", "quantities", "missing"):
        assert getattr(a._, name) == getattr(d._, name), name
    assert [(c.metrics, c.start, c.end, c.scope, c.negated) for c in a._.claims] == \
           [(c.metrics, c.start, c.end, c.scope, c.negated) for c in d._.claims]
    # anything else comes from the spaCy Doc, built on first use
    assert [t.text for t in a] == [t.text for t in d]
    assert [s.text for s in a.sents] == [s.text for s in d.sents]
    assert [c.text for c in a._.clauses] == [c.text for c in d._.clauses]


@pytest.mark.parametrize("text", TEXTS)
def test_analysis_reads_as_the_spacy_pipeline(text):
    _same(text)


def test_analysis_reads_as_the_spacy_pipeline_on_real_reports():
    for rel in ("seed/jinzhai-2020-annual-report.txt", "real/suqian-2023.txt"):
        for line in shared_file(rel).read_text(encoding="utf-8").splitlines():
            if line.strip():
                _same(line)


def test_tokens_are_the_docs_that_spacy_aligns():
    from spacy.util import get_words_and_spaces

    for text in TEXTS + ["a b  c", "   ", "发布 条 。"]:
        words = [w for _, w in pipeline._words(text, pipeline._cut)]
        assert "".join(words) == "".join(text.split())
        _, texts, spaces = pipeline.tokens(text)
        ref_words, ref_spaces = get_words_and_spaces(words, text)
        assert (texts, spaces) == (ref_words, ref_spaces)


def test_jieba_segments_only_paragraphs_with_a_bare_measure_word(monkeypatch):
    calls = []
    monkeypatch.setattr(pipeline, "_cut", lambda piece: calls.append(piece) or iter([piece]))
    pipeline.analysis("全年受理依申请公开23件，均规范办理。", COUNTY)
    assert calls == []  # 23件 is a quantity: nothing to tell apart
    pipeline.analysis("共主动公开条。", COUNTY)
    assert calls  # 条 without a number: the tokens decide


def _bare(pattern: str) -> str:
    """The pattern without its leading first-character lookahead (a speed-up, see quantities.py)."""
    return re.sub(r"^\(\?=(?:\[[^\]]*\]|\\d|\d)\)", "", pattern)


def test_pattern_shortcuts_change_nothing():
    texts = [line for rel in ("seed/jinzhai-2020-annual-report.txt", "real/suqian-2023.txt")
             for line in shared_file(rel).read_text(encoding="utf-8").splitlines()]
    texts += ["12345热线", "电话：0551-1234567", "S7线、5G基站、3D打印", "1+X证书", "〔2019〕60号", "1.加强培训",
              "13912345678", "2020年8月26日", "8月5日", "一季度", "十四五", "一是", "http://www.gov.cn/a1"]
    patterns = quantities._PROTECTED + quantities._DATES
    assert sum(_bare(p.rx.pattern) != p.rx.pattern for p in patterns) >= 8  # the lookaheads are there
    for text in texts:
        t = quantities.normalize(text)
        scan = quantities._Scan(t)
        for p in patterns:
            bare = re.compile(_bare(p.rx.pattern))
            assert [m.span() for m in p.rx.finditer(t)] == [m.span() for m in bare.finditer(t)], (p.rx.pattern, text)
            if not p.may_match(t, scan.digit, scan.alpha):
                assert bare.search(t) is None, (p.rx.pattern, text)


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300, check=False)


def _env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def test_check_does_not_load_spacy(tmp_path):
    seed = shared_file("seed/jinzhai-2020-annual-report.txt")
    code = ("import sys, json\nfrom report_writer.check.api import check_document\n"
            f"r = check_document({str(seed)!r})\n"
            "print(json.dumps(sorted(m for m in ('spacy', 'thinc', 'pkg_resources') if m in sys.modules)))\n")
    p = _run(code, _env(XDG_CACHE_HOME=str(tmp_path)))
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout.splitlines()[-1]) == []


def _segment_code() -> str:
    return ("import json\nfrom report_writer.nlp import pipeline\n"
            "print(json.dumps(pipeline.tokens('共主动公开条，依申请公开办结23件。')[1], ensure_ascii=False))\n")


def test_jieba_dictionary_is_cached_in_the_users_cache_folder(tmp_path):
    first = _run(_segment_code(), _env(XDG_CACHE_HOME=str(tmp_path)))
    assert first.returncode == 0 and first.stderr == "", first.stderr
    folder = tmp_path / "report-writer"
    caches = list(folder.glob("jieba-*.cache"))
    assert len(caches) == 1
    assert folder.stat().st_mode & 0o777 == 0o700 and caches[0].stat().st_mode & 0o777 == 0o600
    again = _run(_segment_code(), _env(XDG_CACHE_HOME=str(tmp_path)))
    assert again.stdout == first.stdout and "依申请公开" in json.loads(first.stdout)
    assert list(folder.glob("jieba-*.cache")) == caches


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root may write anywhere")
def test_unwritable_cache_folder_works_without_a_cache(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        p = _run(_segment_code(), _env(XDG_CACHE_HOME=str(ro)))
    finally:
        ro.chmod(0o700)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert "依申请公开" in json.loads(p.stdout)
    assert not list(ro.rglob("*.cache"))


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    (tmp_path / "report-writer").mkdir(mode=0o700)
    (tmp_path / "report-writer").chmod(0o777)
    p = _run(_segment_code(), _env(XDG_CACHE_HOME=str(tmp_path)))
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert "依申请公开" in json.loads(p.stdout)
    assert not list((tmp_path / "report-writer").glob("*.cache"))  # nothing planted there is read or written

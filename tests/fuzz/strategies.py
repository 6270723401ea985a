"""Seeds, mutations and guards shared by the fuzz tests.

Every fuzz test exists twice: a quick variant in the normal suite (a few dozen cases) and a
long variant marked `slow` (scripts/fuzz.sh runs them, >= 10,000 cases in all). A case passes
when the code under test ends in success or in the tool's own error; any other exception, a
case that runs longer than CASE_SECONDS (SIGALRM) or over the hypothesis deadline fails.
"""

from __future__ import annotations

import functools
import io
import json
import os
import signal
import tempfile
import time
import zipfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DRAFTS = EXAMPLES / "drafts"
PHRASEBANK = ROOT / "phrasebank"

CASE_SECONDS = int(os.environ.get("FUZZ_CASE_SECONDS", 60))  # a hang fails the case
DEADLINE = timedelta(seconds=int(os.environ.get("FUZZ_DEADLINE_SECONDS", 30)))
SCALE = float(os.environ.get("FUZZ_SCALE", 1))  # multiply the slow targets' case counts

COMMON = dict(deadline=DEADLINE, derandomize=False, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much, HealthCheck.large_base_example])


class CaseTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: int = CASE_SECONDS):
    """Fail a case that hangs: SIGALRM interrupts it (main thread, POSIX)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise CaseTimeout(f"case ran longer than {seconds} s (hang?)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# Figures of the run, printed by tests/fuzz/conftest.py: cases run, failed cases, the slowest.
STATS = {"cases": 0, "failed": 0, "slowest": (0.0, "")}


def _measured(body, value, name: str) -> None:
    started = time.perf_counter()
    STATS["cases"] += 1
    try:
        with time_limit():
            body(value)
    except Exception:  # a skip (pytest's Skipped) is a BaseException, not a failure
        STATS["failed"] += 1
        raise
    finally:
        took = time.perf_counter() - started
        if took > STATS["slowest"][0]:
            STATS["slowest"] = (took, name)


def pair(strategy, body, quick: int, slow: int):
    """(quick test, slow test) running `body` on `strategy`; assign both to test_* names."""
    name = getattr(body, "__name__", "case").lstrip("_")

    @settings(max_examples=quick, **COMMON)
    @given(strategy)
    def quick_test(value):
        _measured(body, value, name)

    @pytest.mark.slow
    @settings(max_examples=max(1, int(slow * SCALE)), **COMMON)
    @given(strategy)
    def slow_test(value):
        _measured(body, value, name)

    quick_test.__doc__ = slow_test.__doc__ = body.__doc__
    return quick_test, slow_test


# ---------------------------------------------------------------- a scratch directory

_SCRATCH = Path(tempfile.mkdtemp(prefix="rw-fuzz-"))


def scratch(name: str, data: bytes) -> Path:
    """Write one case's file into an empty per-name directory (no leftovers from earlier cases)."""
    d = _SCRATCH / name.replace(".", "_")
    d.mkdir(exist_ok=True)
    for old in d.iterdir():
        if old.is_file():
            old.unlink()
    p = d / name
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- seeds


@functools.lru_cache(maxsize=None)
def seed_bytes(name: str) -> bytes:
    return (ROOT / name).read_bytes()


@functools.lru_cache(maxsize=None)
def workbook_bytes() -> bytes:
    """A filled workbook, made the way a clerk gets one (init's layout, filled by convert)."""
    from click.testing import CliRunner

    from report_writer.cli.main import main

    d = Path(tempfile.mkdtemp(prefix="rw-fuzz-xlsx-"))
    out = d / "jinzhai.xlsx"
    r = CliRunner().invoke(main, ["convert", str(EXAMPLES / "jinzhai-2020.yaml"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


@functools.lru_cache(maxsize=None)
def blank_workbook_bytes() -> bytes:
    from click.testing import CliRunner

    from report_writer.cli.main import main

    d = Path(tempfile.mkdtemp(prefix="rw-fuzz-init-"))
    out = d / "blank.xlsx"
    r = CliRunner().invoke(main, ["init", "--year", "2023", "--body", "某县人民政府", "--level", "县级政府",
                                  "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


@functools.lru_cache(maxsize=None)
def example_plain(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


DATA_SEEDS = ["examples/jinzhai-2020.yaml", "examples/yunling-zrzy-2023.yaml"]
DOCX_SEEDS = ["examples/drafts/clean.docx", "examples/drafts/defect-t3-sum.docx",
              "examples/drafts/defect-missing-section.docx", "examples/drafts/defect-2019-tables.docx"]
HTML_SEEDS = ["examples/drafts/clean.html"]
TEXT_SEEDS = ["examples/drafts/clean.txt"]
BANK_SEEDS = sorted(str(p.relative_to(ROOT)) for p in PHRASEBANK.glob("*.yaml"))

TOKENS = [b"&", b"<", b">", b"*a", b"&a ", b"{{", b"}}", b"{%", b"%}", b"\n", b"- ", b": ", b"\t", b"'", b'"',
          b"\\", b"\x00", b"999999999999999999999999", b"-1", b"1e999", b".nan", b".inf", b"!!python/object:os.system",
          b"!!binary", b"{", b"[", b"]", b"}", b"\xff\xfe", b"\xef\xbb\xbf", "表三".encode(), "减".encode(),
          "二〇二三年".encode(), b"| 1 | 2 |", b"<table><tr><td rowspan=99999 colspan=0>", b"</td></tr></table>",
          b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"<?xml version='1.0'?>", b"<w:tbl>", b"</w:tbl>", b"<w:tc>",
          b"<w:gridSpan w:val='9999'/>", b"<w:vMerge/>", b"&#0;", b"&#x10FFFF;", b"\r", b"\x1e", b"~", b"%"]


@st.composite
def mutated_bytes(draw, raw: bytes, max_ops: int = 8) -> bytes:
    """Byte flips, deletions, insertions, truncations, duplications and hostile tokens."""
    b = bytearray(raw)
    for _ in range(draw(st.integers(1, max_ops))):
        if not b:
            b = bytearray(b"x")
        i = draw(st.integers(0, len(b) - 1))
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate", "token"]))
        if op == "flip":
            b[i] = draw(st.integers(0, 255))
        elif op == "delete":
            del b[i:i + draw(st.integers(1, 64))]
        elif op == "insert":
            b[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "truncate":
            del b[i:]
        elif op == "duplicate":
            j = draw(st.integers(0, len(b) - 1))
            b[i:i] = b[j:j + draw(st.integers(1, 256))]
        else:
            b[i:i] = draw(st.sampled_from(TOKENS))
    return bytes(b)


@st.composite
def mutated_seed(draw, names: list[str]) -> tuple[str, bytes]:
    name = draw(st.sampled_from(names))
    return name, draw(mutated_bytes(seed_bytes(name)))


@st.composite
def mutated_zip(draw, raw: bytes) -> bytes:
    """A zip whose members were mutated, dropped, duplicated or added; or the raw zip bytes mutated."""
    if draw(st.integers(0, 9)) == 0:
        return draw(mutated_bytes(raw))
    zin = zipfile.ZipFile(io.BytesIO(raw))
    names = zin.namelist()
    xml = [n for n in names if n.endswith((".xml", ".rels"))] or names
    main_parts = [n for n in names if n in ("word/document.xml", "xl/workbook.xml", "[Content_Types].xml")
                  or n.startswith("xl/worksheets/") or n == "word/styles.xml"]
    targets = set(draw(st.lists(st.sampled_from(main_parts or xml) if draw(st.booleans()) else st.sampled_from(xml),
                                min_size=1, max_size=3)))
    dropped = set(draw(st.lists(st.sampled_from(names), max_size=1))) if draw(st.integers(0, 5)) == 0 else set()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            if n in dropped:
                continue
            data = zin.read(n)
            if n in targets:
                data = draw(mutated_bytes(data))
            z.writestr(n, data)
        if draw(st.integers(0, 7)) == 0:
            z.writestr(draw(st.sampled_from(["word/document2.xml", "x.bin", "EncryptedPackage", "xl/x.xml"])),
                       draw(st.binary(max_size=64)))
    return out.getvalue()


def random_zip() -> st.SearchStrategy[bytes]:
    """Zips with random member names and contents (a .docx or .xlsx only in name)."""
    members = st.lists(st.tuples(st.sampled_from(["word/document.xml", "word/styles.xml", "_rels/.rels",
                                                  "[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                                  "content.xml", "mimetype", "ppt/x.xml", "a/b/c.txt"]),
                                  st.binary(max_size=200) | st.sampled_from([
                                      b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
                                      b"<w:body><w:p><w:r><w:t>2023</w:t></w:r></w:p></w:body></w:document>",
                                      b"<Relationships><Relationship Type='x/officeDocument' Target='/word/document.xml'/>"
                                      b"</Relationships>", b"<workbook/>"])),
                        min_size=0, max_size=5, unique_by=lambda t: t[0])

    def build(items):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in items:
                z.writestr(name, data)
        return out.getvalue()

    return members.map(build)


# ---------------------------------------------------------------- structured data mutations

def _leaf_paths(value, prefix=()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _leaf_paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _leaf_paths(v, prefix + (i,))
    return out


JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30) | st.sampled_from(["/", "—", "无", "减5", "增3", "约100", "1,234", "2021-13-40", "二〇二一年",
                                               "表三", "2019", "2021", "县级政府", "r1", "", " ", "1e400", "-0"])
    | st.dates().map(str),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@st.composite
def mutated_data(draw) -> tuple[str, bytes]:
    """An example data file with some fields replaced, deleted or added, as YAML or JSON."""
    import copy

    doc = copy.deepcopy(example_plain(draw(st.sampled_from(["jinzhai-2020.yaml", "yunling-zrzy-2023.yaml"]))))
    paths = _leaf_paths(doc)
    for _ in range(draw(st.integers(1, 6))):
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        try:
            for k in path[:-1]:
                parent = parent[k]
            op = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
            if op == "replace":
                parent[path[-1]] = draw(JUNK)
            elif op == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=10))] = draw(JUNK)
            elif isinstance(parent, list):
                parent.append(draw(JUNK))
        except (KeyError, IndexError, TypeError):
            continue
    if draw(st.booleans()):
        return ".json", json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
    return ".yaml", yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


# ---------------------------------------------------------------- phrase-bank templates and conditions

TEMPLATE_PIECES = ["{{ ", " }}", "{% ", " %}", "for x in ", "endfor", "if ", "endif", "else", "set a = ", "with ",
                   "endwith", "macro m()", "endmacro", "include 'x'", "import os", "req.done", "req.outcomes",
                   "overview.proactive.items_published", "meta.body", "x", "x.n", "x.label", "loop.index", "loop.last",
                   "loop.cycle('a','b')", "item", "|wan", "|pct", "|cn", "|join('、')", "|length", "|list", "|date",
                   "yoy(", "total(", "cn(", ")", "(", "'", '"', "~", "*", "**", "+", "%", "1", "999", "9e9", "200",
                   "__class__", ".__mro__", "[0]", "['_x']", "range(10)", "lipsum", "cycler", "self", "namespace()",
                   "recursive", "loop(x)", ",", ".", "本年度", "件", "。", "\n", "{#", "#}", "raw", "endraw",
                   "req.outcomes * 300", "'ab' * 99", "'ab' * 101", "format", "x.format", "'%s' % x"]


def templates() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(TEMPLATE_PIECES) | st.text(max_size=4), min_size=1, max_size=25).map("".join)


EXPR_PIECES = ["present(", "absent(", "any(", "all(", "count(", "len(", ")", "(", "and", "or", "not", "==", "!=", "<",
               "<=", ">", ">=", "+", "-", ",", ".", "[", "]", "0", "1", "2.5", "99999999999999999999", "'a'", '"b"',
               "“中文”", "true", "false", "null", "None", "meta.year", "meta.level", "'县级政府'", "table3.r1",
               "overview.proactive.items_published", "requests.received", "item", "index", "_x", "__import__",
               "os", "eval", " ", "\t", "'unterminated", "中文", "#", "@", "lambda"]


def expressions() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(EXPR_PIECES) | st.text(max_size=3), min_size=1, max_size=30).map(" ".join)

"""The phrase bank: YAML rule files, layered (built-in first, then each office directory).

A rule file holds `rules:`, a list of mappings:

    - id: proactive.items            # stable id; an office rule with the same id overrides it
      slot: overview.proactive       # where the text goes (see SLOTS)
      para: publish                  # rules with the same para form one paragraph (default: the id)
      order: 20                      # order inside the slot (paragraphs by their first rule)
      kind: sentence                 # sentence | lead | heading
      when: present(overview.proactive.items_published)
      each: overview.proactive.highlights   # optional: once per item, with `item` and `index`
      each_para: true                # optional: one paragraph per item
      join: "；"                      # optional: items joined into one sentence (ended with 。)
      fallback: slot                 # optional: only when nothing else in the slot (or section) fired
      variants: [...]                # Jinja2 templates; or `cases: [{when: ..., variants: [...]}]`

An office override needs only the keys it changes: the rest is inherited from the
rule with the same id in the layers below. Its `cases:` are merged into the inherited
ones: a case with the same `when` replaces that case, a case with a new `when` is tried
first; the other inherited cases stay for the data it does not cover. `variants:` in an
override replaces all inherited cases (lint warns which branches it drops).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..fileio import read_capped
from ..limits import exceeded, limit
from ..data.yamlsrc import SourceError, parse_yaml
from . import expr

ENV_VAR = "REPORT_WRITER_PHRASEBANK"
MAX_PHRASEBANK_BYTES = limit("MAX_PHRASEBANK_BYTES")

# slot -> (section id of the format, paragraph role, numbered h2 heading?)
SLOTS: dict[str, tuple[str, str, bool]] = {
    "preamble": ("preamble", "preamble", False),
    "overview.opening": ("overview", "body", False),
    "overview.proactive": ("overview", "body", True),
    "overview.requests": ("overview", "body", True),
    "overview.management": ("overview", "body", True),
    "overview.platforms": ("overview", "body", True),
    "overview.oversight": ("overview", "body", True),
    "proactive.lead_in": ("proactive", "lead_in", False),
    "requests.lead_in": ("requests", "lead_in", False),
    "appeals.lead_in": ("appeals", "lead_in", False),
    "problems.remedies": ("problems", "body", True),
    "problems.problems": ("problems", "body", True),
    "problems.improvements": ("problems", "body", True),
    "other.fee": ("other", "body", False),
    "other.key_points": ("other", "body", False),
    "other.proposals": ("other", "body", False),
    "other.innovations": ("other", "body", False),
    "other.matters": ("other", "body", False),
}
KINDS = ("sentence", "lead", "heading")
RULE_KEYS = {"id", "slot", "para", "order", "kind", "when", "each", "each_para", "join", "fallback",
             "variants", "cases", "note", "formats"}


def builtin_phrasebank_dir() -> Path:
    """The shipped phrase bank: $REPORT_WRITER_PHRASEBANK, else the repository's phrasebank/."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "phrasebank"
        if (cand / "metrics.yaml").is_file() or (cand / "overview.yaml").is_file():
            return cand
    return here.parents[3] / "phrasebank"


@dataclass
class Issue:
    """A problem with the bank, at a file and line."""

    level: str  # error | warning
    message: str
    file: str | None = None
    line: int | None = None
    rule: str | None = None

    def where(self) -> str:
        loc = (self.file or "") + (f":{self.line}" if self.line else "")
        return loc

    def __str__(self) -> str:
        head = self.where()
        rid = f"[{self.rule}] " if self.rule else ""
        return f"{head}：{rid}{self.message}" if head else f"{rid}{self.message}"


@dataclass
class Variant:
    text: str
    file: str
    line: int | None


@dataclass
class Case:
    when: str
    variants: list[Variant]
    file: str
    line: int | None
    node: Any = None


@dataclass
class Rule:
    id: str
    slot: str
    para: str
    order: float
    kind: str
    when: str
    each: str | None
    each_para: bool
    join: str | None
    fallback: str | None  # None | slot | section
    cases: list[Case]
    formats: list[str] | None
    file: str
    line: int | None
    layer: int = 0
    overridden: list[str] = field(default_factory=list)  # files:lines this rule replaced
    when_node: Any = None
    when_line: int | None = None

    def applies_to(self, format_id: str) -> bool:
        return not self.formats or format_id in self.formats

    def all_variants(self) -> list[Variant]:
        return [v for c in self.cases for v in c.variants]


@dataclass
class Bank:
    rules: dict[str, Rule] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    def in_slot(self, slot: str) -> list[Rule]:
        return sorted((r for r in self.rules.values() if r.slot == slot), key=lambda r: (r.order, r.id))


class PhraseBankError(Exception):
    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("短语库有错误：\n" + "\n".join(str(i) for i in issues))


def _line(src: Any, path: str) -> int | None:
    pos = src.line_of(path) if src is not None else None
    return pos[0] if pos else None


def read_file(path: Path, layer: int, issues: list[Issue]) -> list[tuple[dict, str, Any, str]]:
    """The raw rule mappings of one file: (raw, file, source, path-in-file)."""
    fname = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_PHRASEBANK_BYTES:
            issues.append(Issue("error", "短语库文件过大，未读取：" + exceeded("MAX_PHRASEBANK_BYTES", MAX_PHRASEBANK_BYTES, size),
                                fname))
            return []
        text = read_capped(path, MAX_PHRASEBANK_BYTES)[:MAX_PHRASEBANK_BYTES].decode("utf-8-sig")
    except UnicodeDecodeError as e:
        issues.append(Issue("error", f"文件不是 UTF-8 编码（第 {e.start + 1} 字节无法解码），请用 UTF-8 编码另存后重试",
                            fname))
        return []
    except ValueError as e:  # a FIFO or a device
        issues.append(Issue("error", str(e), fname))
        return []
    except OSError as e:
        issues.append(Issue("error", f"无法读取文件：{e.strerror or e}", fname))
        return []
    try:
        src = parse_yaml(text)
    except SourceError as e:
        issues.append(Issue("error", e.message, fname, e.line))
        return []
    value = src.value
    if value is None:
        return []
    if not isinstance(value, dict):
        issues.append(Issue("error", "短语库文件的顶层应为映射（含 rules: 列表）", fname, 1))
        return []
    if "rules" not in value:
        if "metrics" not in value:
            issues.append(Issue("warning", "文件中没有 rules: 列表，已忽略", fname, 1))
        return []
    rules = value["rules"]
    if not isinstance(rules, list):
        issues.append(Issue("error", "rules 应为列表", fname, _line(src, "rules")))
        return []
    out = []
    for i, raw in enumerate(rules):
        p = f"rules[{i}]"
        if not isinstance(raw, dict):
            issues.append(Issue("error", "每条规则应为映射（id、slot、variants …）", fname, _line(src, p)))
            continue
        out.append((raw, fname, src, p))
    return out


def load_bank(dirs: Sequence[Path | str] = (), include_builtin: bool = True) -> Bank:
    """Load the built-in bank, then each directory of `dirs` over it (same id overrides)."""
    layers: list[Path] = ([builtin_phrasebank_dir()] if include_builtin else []) + [Path(d) for d in dirs]
    bank = Bank()
    merged: dict[str, tuple[dict, dict[str, tuple[str, Any, str]], int]] = {}
    for layer, d in enumerate(layers):
        if not d.exists():
            bank.issues.append(Issue("error", f"短语库目录不存在：{d}", str(d)))
            continue
        if not d.is_file() and not d.is_dir():  # a FIFO or a device: read_file says what it is
            files = [d]
        else:
            try:
                files = [d] if d.is_file() else sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml"))
            except OSError as e:
                bank.issues.append(Issue("error", f"无法读取短语库目录：{e.strerror or e}", str(d)))
                continue
        seen_here: dict[str, str] = {}
        for f in files:
            bank.files.append(str(f))
            for raw, fname, src, p in read_file(f, layer, bank.issues):
                rid = raw.get("id")
                line = _line(src, p)
                if not isinstance(rid, str) or not rid.strip():
                    bank.issues.append(Issue("error", "规则缺少 id（应为英文的稳定编号，如 proactive.items）",
                                             fname, line))
                    continue
                if rid in seen_here:
                    bank.issues.append(Issue("error", f"规则编号“{rid}”重复（另见 {seen_here[rid]}）",
                                             fname, line, rid))
                    continue
                seen_here[rid] = f"{fname}:{line}"
                unknown = set(raw) - RULE_KEYS
                if unknown:
                    bank.issues.append(Issue("error", f"规则中有未知的键：{'、'.join(sorted(unknown))}；"
                                             f"可用的键：{'、'.join(sorted(RULE_KEYS))}", fname, line, rid))
                origin = {k: (fname, src, f"{p}.{k}") for k in raw}
                if rid in merged:
                    base, base_origin, _ = merged[rid]
                    raw = dict(raw)
                    if "variants" in raw and "cases" not in raw:
                        dropped = [_when_key(c) for c in base.get("cases") or [] if isinstance(c, dict)]
                        if len(dropped) > 1:
                            bank.issues.append(Issue(
                                "warning", f"本规则用 variants 取代了下层同编号规则的全部 {len(dropped)} 个分支"
                                f"（when：{'；'.join(dropped)}）；只想改写其中一个分支，请改用 cases: 并写相同的 when",
                                fname, line, rid))
                        base = {k: v for k, v in base.items() if k != "cases"}
                    if "cases" in raw and "variants" not in raw:
                        if "variants" in base and "cases" not in base and "variants" in base_origin:
                            # inherited plain variants are the catch-all case the office cases go before
                            base = {**base, "cases": [{"when": "true", "variants": base["variants"]}]}
                            f0, s0, p0 = base_origin["variants"]
                            base["cases"][0][ORIGIN_KEY] = (f0, s0, p0.rsplit(".", 1)[0])
                            base_origin = {**base_origin, "cases": base_origin["variants"]}
                        base = {k: v for k, v in base.items() if k != "variants"}
                        if isinstance(base.get("cases"), list) and isinstance(raw["cases"], list):
                            raw["cases"] = _merge_cases(_tagged(base["cases"], base_origin["cases"]),
                                                        _tagged(raw["cases"], origin["cases"]))
                    merged[rid] = ({**base, **raw}, {**base_origin, **origin}, layer)
                else:
                    merged[rid] = (dict(raw), origin, layer)
    for rid, (raw, origin, layer) in merged.items():
        rule = _build(rid, raw, origin, layer, bank.issues)
        if rule is not None:
            bank.rules[rid] = rule
    return bank


ORIGIN_KEY = "\x00origin"  # a merged case remembers the file and place it came from


def _tagged(cases: list, origin: tuple[str, Any, str]) -> list:
    f, src, p = origin
    out = []
    for i, c in enumerate(cases):
        if isinstance(c, dict) and ORIGIN_KEY not in c:
            c = {**c, ORIGIN_KEY: (f, src, f"{p}[{i}]")}
        out.append(c)
    return out


def _when_key(c: Any) -> str:
    w = c.get("when", "true") if isinstance(c, dict) else None
    return " ".join((str(w).lower() if isinstance(w, bool) else str(w)).split())


def _merge_cases(base: list, over: list) -> list:
    """Office cases into inherited ones: same `when` replaces in place, a new one goes first."""
    out = list(base)
    for c in over:
        key = _when_key(c)
        same = [i for i, b in enumerate(out) if _when_key(b) == key]
        if same:
            out[same[0]] = c
            continue
        out.insert(0, c)  # the office's wording wins where its condition holds
    return out


_BANK_CACHE: dict[tuple, Bank] = {}


def _fingerprint(dirs: Sequence[Path | str], include_builtin: bool) -> tuple:
    """What load_bank reads: every layer's files with their size and modification time."""
    layers = ([builtin_phrasebank_dir()] if include_builtin else []) + [Path(d) for d in dirs]
    out: list = [include_builtin]
    for d in layers:
        try:
            files = [d] if d.is_file() else sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml"))
            out.append((str(d), tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)))
        except OSError:
            out.append((str(d), None))
    return tuple(out)


def cached_bank(dirs: Sequence[Path | str] = (), include_builtin: bool = True) -> Bank:
    """load_bank, reused within the process while none of the files changed (drafting many
    reports, or redrafting, parses the phrase bank once). The Bank must be treated as read-only."""
    key = _fingerprint(dirs, include_builtin)
    bank = _BANK_CACHE.get(key)
    if bank is None:
        if len(_BANK_CACHE) >= 8:
            _BANK_CACHE.clear()
        bank = _BANK_CACHE[key] = load_bank(dirs, include_builtin)
    return bank


def _build(rid: str, raw: dict, origin: dict[str, tuple[str, Any, str]], layer: int,
           issues: list[Issue]) -> Rule | None:
    fname, src, p = origin.get("id", ("", None, ""))

    def where(key: str) -> tuple[str, int | None]:
        f, s, pp = origin.get(key, origin.get("id", ("", None, "")))
        return f, _line(s, pp)

    def err(msg: str, key: str = "id") -> None:
        f, ln = where(key)
        issues.append(Issue("error", msg, f, ln, rid))

    ok = True
    slot = raw.get("slot")
    if slot not in SLOTS:
        err(f"slot 应为以下之一：{'、'.join(SLOTS)}；实为“{slot}”", "slot" if "slot" in raw else "id")
        ok = False
    kind = raw.get("kind", "sentence")
    if kind not in KINDS:
        err(f"kind 应为 sentence、lead 或 heading，实为“{kind}”", "kind")
        ok = False
    order = raw.get("order", 50)
    try:
        order = float(order)
    except (TypeError, ValueError):
        err(f"order 应为数字，实为“{order}”", "order")
        ok = False
    fallback = raw.get("fallback")
    if fallback is True:
        fallback = "slot"
    if fallback not in (None, False, "slot", "section"):
        err("fallback 应为 slot 或 section", "fallback")
        ok = False
    fallback = fallback or None
    when = raw.get("when", "true")
    when_s = str(when).lower() if isinstance(when, bool) else str(when)
    when_node = None
    try:
        when_node = expr.parse(when_s)
    except expr.ExprError as e:
        f, ln = where("when")
        issues.append(Issue("error", f"条件 when 有误：{e}", f, ln, rid))
        ok = False
    each = raw.get("each")
    if each is not None and not isinstance(each, str):
        err("each 应为列表字段的路径", "each")
        ok = False
    formats = raw.get("formats")
    if formats is not None:
        formats = [str(x) for x in (formats if isinstance(formats, list) else [formats])]
    cases: list[Case] = []
    if "cases" in raw and "variants" in raw:
        err("variants 与 cases 只能二选一", "cases")
        ok = False
    if "cases" in raw:
        rc = raw["cases"]
        f, s, pp = origin["cases"]
        if not isinstance(rc, list) or not rc:
            err("cases 应为非空列表", "cases")
            return None
        for i, c in enumerate(rc):
            f, s, cp = origin["cases"][0], origin["cases"][1], f"{pp}[{i}]"
            if isinstance(c, dict) and ORIGIN_KEY in c:
                f, s, cp = c[ORIGIN_KEY]
            if not isinstance(c, dict) or "variants" not in c:
                issues.append(Issue("error", "cases 的每一项应含 when 和 variants", f, _line(s, cp), rid))
                ok = False
                continue
            cw = c.get("when", "true")
            cw = str(cw).lower() if isinstance(cw, bool) else str(cw)
            node = None
            try:
                node = expr.parse(cw)
            except expr.ExprError as e:
                issues.append(Issue("error", f"条件 when 有误：{e}", f, _line(s, f"{cp}.when"), rid))
                ok = False
            vs = _variants(c["variants"], f, s, f"{cp}.variants", rid, issues)
            if vs is None:
                ok = False
                continue
            cases.append(Case(cw, vs, f, _line(s, cp), node))
    elif "variants" in raw:
        f, s, pp = origin["variants"]
        vs = _variants(raw["variants"], f, s, pp, rid, issues)
        if vs is None:
            return None
        cases.append(Case("true", vs, f, _line(s, pp), expr.parse("true")))
    else:
        err("规则缺少 variants（或 cases）")
        ok = False
    if not ok:
        return None
    f, ln = where("id")
    return Rule(id=rid, slot=slot, para=str(raw.get("para", rid)), order=order, kind=kind, when=when_s,
                each=each, each_para=bool(raw.get("each_para", False)), join=raw.get("join"),
                fallback=fallback, cases=cases, formats=formats, file=f, line=ln, layer=layer,
                when_node=when_node, when_line=where("when")[1] if "when" in raw else ln)


def _variants(raw: Any, f: str, src: Any, p: str, rid: str, issues: list[Issue]) -> list[Variant] | None:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        issues.append(Issue("error", "variants 应为非空的模板列表", f, _line(src, p), rid))
        return None
    out = []
    for i, v in enumerate(raw):
        if not isinstance(v, str):
            issues.append(Issue("error", f"第{i + 1}个变体应为文字模板，实为 {type(v).__name__}", f,
                                _line(src, f"{p}[{i}]"), rid))
            return None
        out.append(Variant(v.strip(), f, _line(src, f"{p}[{i}]")))
    return out

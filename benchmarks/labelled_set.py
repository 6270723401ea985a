"""Precision and recall of the content rules on real reports and one-defect mutations of them.

    PYTHONPATH=src .venv/bin/python benchmarks/labelled_set.py [--verbose]

The set: the real published reports of ../shared/real (with the inconsistencies their README
names, as labels), the seed report and the clean example drafts (clean: no label), and
mutations of them that each put in ONE defect of a known rule — or none, where a mutation
writes a correct variant that must stay quiet (rule None). A mutation's findings are those
that the mutated document has and its source has not (rule, level, found).

Scored: findings at warning or error level of the rules in TRACKED. Per rule, a true
positive is a label found; a false positive is a finding without a label (on a clean
document, or a new finding of another rule on a mutation); a false negative is a label
not found. It also prints the error-level findings on the clean documents (must be 0).

The pingtan pages are one line each (tables of glued digits). Until the text reader splits
them, this script feeds them split at sentence ends and section headings (`_split_page`);
their tables are then unread, which is why their findings include SEC-MISSING / CELL-EMPTY:
those are artefacts of the stand-in, reported apart and not scored.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TRACKED = {"NUM-SUM", "NUM-DUP", "NUM-TABLE", "NUM-PERCENT", "NUM-OUTCOME", "NUM-MISSING", "PERIOD",
           "NOTICE-NUMBER", "PUB-DATE", "DATE", "SEC-COUNT", "LIST-ORDER", "PROOF-DOCNO", "PROOF-WIDTH",
           "PROOF-PUNCT", "PROOF-PAIR", "PROOF-REPEAT"}
# findings of the stand-in reading of a one-line page, not of the rules measured here
ADAPTER_ARTEFACTS = {"SEC-MISSING", "CELL-EMPTY", "X-FEE", "MAP-MISSING-TABLE", "MAP-MISSING-ROW"}

# (document, rule, a piece of `found` or of the message) — the real defects the README names
REAL_LABELS = [
    ("pingtan-2019", "NUM-SUM", "2599"),
    ("pingtan-2019", "NUM-MISSING", "资质条"),
    ("pingtan-2019", "PROOF-REPEAT", "70 周年"),  # the phrase printed twice in a row (not found yet)
    ("pingtan-2021", "PROOF-REPEAT", "审核审核"),
    ("seed", "PROOF-REPEAT", "政务公开政务公开"),
    ("suqian-2023", "PERIOD", "未写明"),  # the preamble is not in the source: a fair warning
    ("seed", "PROOF-DOCNO", "54号"),
]

_SQ = "suqian-2023"
_INTRO = "宿迁市人民政府2023年政府信息公开工作年度报告\n"
_SEC5 = "五、存在的主要问题及改进情况"
# (name, source, old, new, rule expected or None for a correct variant that must stay quiet[, "tables"]);
# "tables" marks a mutation judged against a table that the reader must read first (the pingtan tables)
MUTATIONS = [
    # 1. parts against a declared total
    ("sum-119-short", _SQ, "市级47\n期", "市级45\n期", "NUM-SUM"),
    ("sum-119-over", _SQ, "宿城区28期", "宿城区38期", "NUM-SUM"),
    ("sum-3607-units", _SQ, "市政府349件", "市政府359件", "NUM-SUM"),
    ("sum-fee-count", _SQ, "对25件政府信息公开申请", "对35件政府信息公开申请", "NUM-SUM"),
    ("sum-380-short", "pingtan-2019", "专项资金152条", "专项资金150条", "NUM-SUM"),
    ("sum-380-nested", "pingtan-2019", "部门预决算公开165条", "部门预决算公开175条", "NUM-SUM"),
    ("sum-2599-fixed", "pingtan-2019", "其他应主动公开政府信息856条", "其他应主动公开政府信息922条", None),
    ("sum-open-list", _SQ, "开展征集调查33期", "开展征集调查33期，主要有线上调查20期、线下座谈5期等", None),
    ("sum-two-parts", _SQ, "开展征集调查33期", "共开展征集调查33期，其中线上调查20期、线下座谈5期", None),
    # 2. the same fact twice
    ("dup-survey", _SQ, "规定。\n", "规定。全年开展征集调查35期。\n", "NUM-DUP"),
    ("dup-total-vs-parts", _SQ, "规定。\n", "规定。全年共收办政府信息公开申请案件3600件。\n", "NUM-TABLE"),
    ("dup-scope-2022", "pingtan-2022", "全区收到政府信息公开申请75件，涉及自然人72件",
     "全区收到政府信息公开申请76件，涉及自然人72件", "NUM-TABLE", "tables"),
    ("t4-count-2025", "pingtan-2025", "行政诉讼9起", "行政诉讼10起", "NUM-TABLE", "tables"),
    ("t4-upheld-2025", "pingtan-2025", "行政诉讼9起", "行政诉讼9起，均获维持", "NUM-OUTCOME", "tables"),
    # 3. narrative against 表三, percentages
    ("t3-open", _SQ, "予以公开1191件", "予以公开1181件", "NUM-TABLE"),
    ("t3-natural", _SQ, "请3493件", "请3483件", "NUM-TABLE"),
    ("t3-percent-wrong", _SQ, "予以公开1191件、", "予以公开1191件（占办结总数的31.2%）、", "NUM-PERCENT"),
    ("t3-percent-right", _SQ, "予以公开1191件、", "予以公开1191件（占办结总数的34.2%）、", None),
    ("share-right", _SQ, "请3493件,", "请3493件(占96.8%),", None),
    ("share-wrong", _SQ, "请3493件,", "请3493件(占86.8%),", "NUM-PERCENT"),
    ("completion-2022", "pingtan-2022", "办结率100%", "办结率95%", "NUM-PERCENT", "tables"),
    ("completion-text", "pingtan-2025", "共办结148件", "共办结148件，办结率100%", "NUM-PERCENT"),
    ("t3-percent-precision", _SQ, "予以公开1191件、", "予以公开1191件（占办结总数的34.17%）、", None),
    # 4. outcome claims against 表四
    ("t4-upheld", _SQ, _SEC5, "本年度行政复议案件均获维持。\n\n" + _SEC5, "NUM-OUTCOME"),
    ("t4-won", _SQ, _SEC5, "本年度行政诉讼案件全部胜诉。\n\n" + _SEC5, "NUM-OUTCOME"),
    ("t4-none", _SQ, _SEC5, "本年度未发生行政复议、行政诉讼案件。\n\n" + _SEC5, "NUM-TABLE"),
    ("t4-count", _SQ, _SEC5, "全年因政府信息公开被申请行政复议450件。\n\n" + _SEC5, "NUM-TABLE"),
    ("t4-decided", _SQ, _SEC5, "全年审结因政府信息公开引发的行政复议案件414件。\n\n" + _SEC5, None),
    ("t4-count-right", _SQ, _SEC5, "全年因政府信息公开被申请行政复议440件。\n\n" + _SEC5, None),
    # 5. periods
    ("period-glued", _SQ, _INTRO, _INTRO + "本报告中使用数据统计期限为自20231月1日起至2023年12月31日止。\n", "PERIOD"),
    ("period-end", _SQ, _INTRO, _INTRO + "本报告中使用数据统计期限为2023年1月1日至2023年12月30日。\n", "PERIOD"),
    ("period-year", _SQ, _INTRO, _INTRO + "本报告中使用数据统计期限为2022年1月1日至12月31日。\n", "PERIOD"),
    ("period-right", _SQ, _INTRO, _INTRO + "本报告中使用数据统计期限为2023年1月1日至12月31日。\n", None),
    ("period-2019-glued", "pingtan-2019", "自2019年1月1日起", "自20191月1日起", "PERIOD"),
    # 6. notice numbers and titles
    ("notice-issuer", "pingtan-2024", "国办公开办函〔2021〕30号", "国办公开函〔2021〕30号", "NOTICE-NUMBER"),
    ("notice-issuer2", "pingtan-2025", "国办公开办函〔2021〕30号", "国办政务公开办函〔2021〕30号", "NOTICE-NUMBER"),
    ("notice-brackets", "pingtan-2024", "国办公开办函〔2021〕30号", "国办公开办函[2021]30号", "NOTICE-NUMBER"),
    ("notice-brackets2", "pingtan-2022", "国办公开办函〔2021〕30号", "国办公开办函【2021】30号", "NOTICE-NUMBER"),
    ("notice-number", "pingtan-2025", "国办公开办函〔2021〕30号", "国办公开办函〔2021〕31号", "NOTICE-NUMBER"),
    ("notice-year", "pingtan-2024", "国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号", "NOTICE-NUMBER"),
    # 7. publication date
    ("pubdate-signature", _SQ, "规定。\n", "规定。\n\n宿迁市人民政府办公室\n2024年4月10日\n", "PUB-DATE"),
    ("pubdate-page", "pingtan-2025", "六、其他需要报告的事项", "发布时间：2026-04-02 六、其他需要报告的事项", "PUB-DATE"),
    ("pubdate-ok", _SQ, "规定。\n", "规定。\n\n宿迁市人民政府办公室\n2024年1月20日\n", None),
    # 8. section counts and item numbers
    ("parts-list-five", "pingtan-2019", "政府信息公开工作存在的主要问题及改进情况和其他需要报告的事项等六个部分",
     "政府信息公开工作存在的主要问题及改进情况等六个部分", "SEC-COUNT"),
    ("parts-list-five-b", "pingtan-2024", "、其他需要报告的事项。本报告所列", "。本报告所列", "SEC-COUNT"),
    ("items-repeat", "pingtan-2021", "三是不断创新工作方法", "二是不断创新工作方法", "LIST-ORDER"),
    ("items-skip", "pingtan-2022", "三是丰富政策解读形式", "四是丰富政策解读形式", "LIST-ORDER"),
    # correct wordings real reports use, which must stay quiet (precision probes)
    ("ok-sum-catch-all", _SQ, "开展征集调查33期", "共开展征集调查33期，其中线上调查20期、线下座谈8期、其他5期", None),
    ("ok-sum-fenbie", _SQ, "开展征集调查33期", "共开展征集调查33期，分别为线上调查20期、线下座谈13期", None),
    ("ok-share-change", _SQ, "同比增⻓70.3%", "同比增⻓70.3%，占全省的6.2%", None),
    ("ok-period-cutoff", _SQ, _INTRO, _INTRO + "本报告数据统计截至2023年12月31日。\n", None),
    ("ok-period-dash", _SQ, _INTRO, _INTRO + "本报告中使用数据统计期限为2023年1月1日—12月31日。\n", None),
    ("ok-other-docno", _SQ, "规定。\n", "规定。依据《国务院办公厅关于印发政府信息公开信息处理费管理办法的通知》（国办函〔2020〕109号）执行。\n", None),
    ("ok-items-restart", "pingtan-2021", "三是不断创新工作方法", "三是不断创新工作方法。下一步，一是加强培训，二是强化督查", None),
    ("ok-appeals-none", "pingtan-2019", "六、其他需要报告的事项", "本年度未发生政府信息公开行政复议、行政诉讼案件。六、其他需要报告的事项", None),
    ("ok-ellipsis", "pingtan-2024", "落实分级审核制度", "落实分级审核制度……", None),
    ("ok-completion", "pingtan-2025", "共办结148件", "共办结148件，办结率96.1%", None),
    # 9. proofreading
    ("proof-docno", "pingtan-2024", "落实分级审核制度", "依据《关于进一步做好政务公开工作的通知》（闽政办[2024]12号）落实分级审核制度",
     "PROOF-DOCNO"),
    ("proof-doubled", "pingtan-2025", "进一步畅通民意征集", "进一步畅通民意征集，，", "PROOF-PUNCT"),
    ("proof-quote", "pingtan-2024", "“三审三校”", "“三审三校", "PROOF-PAIR"),
    ("proof-repeat", "pingtan-2025", "完善智能问答知识库", "完善智能问答知识库知识库", "PROOF-REPEAT"),
    ("proof-missing-number", _SQ, "新开设公开专栏18个", "新开设公开专栏个", "NUM-MISSING"),
]


def _shared() -> Path | None:
    for cand in (ROOT.parent / "shared", Path("/work/shared")):
        if cand.is_dir():
            return cand
    return None


def _split_page(text: str) -> str:
    """A one-line web page as paragraphs: after each 。, and before each numbered section heading."""
    if text.count("\n") > 5:
        return text
    text = re.sub(r"([。；])", r"\1\n", text)
    return re.sub(r"(?<=[^\n])([一二三四五六]、(?:总体情况|主动公开|收到和处理|政府信息公开行政|因政府|政府信息公开工作存在|"
                  r"存在的主要问题|其他需要))", r"\n\1", text)


def sources(shared: Path) -> dict[str, Path]:
    out = {"suqian-2023": shared / "real" / "suqian-2023.txt"}
    for p in sorted((shared / "real" / "pingtan").glob("pingtan-*.txt")):
        out[p.stem] = p
    out["seed"] = shared / "seed" / "jinzhai-2020-annual-report.txt"
    for p in sorted((ROOT / "examples" / "drafts").glob("clean.*")):
        out[f"example-{p.name}"] = p
    return {k: v for k, v in out.items() if v.is_file()}


def run_check(path: Path, text: str | None, tmp: Path) -> tuple[list, bool]:
    """Findings of `check` on the file (or on `text` written beside it); (findings, stand-in used)."""
    from report_writer.check.api import check_document
    from report_writer.read.errors import ReadError

    if text is not None:
        path = tmp / f"{path.stem}-{abs(hash(text)) % 10**8}{path.suffix}"
        path.write_text(text, encoding="utf-8")
    try:
        return check_document(path).findings, False
    except ReadError:
        if path.suffix != ".txt":
            raise
        split = tmp / f"split-{path.name}"
        split.write_text(_split_page(path.read_text(encoding="utf-8")), encoding="utf-8")
        return check_document(split).findings, True


def _labelled(name: str, f) -> bool:
    return any(lab[0] == name and lab[1] == f.rule and (lab[2] in (f.found or "") or lab[2] in f.message)
               for lab in REAL_LABELS)


def key(f) -> tuple:
    return (f.rule, f.level, f.found)


def scored(findings) -> list:
    return [f for f in findings if f.rule in TRACKED and f.level in ("error", "warning")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    shared = _shared()
    if shared is None:
        print("未找到共享资料目录（../shared），无法构建标注集", file=sys.stderr)
        return 2
    docs = sources(shared)
    tp, fp, fn = Counter(), Counter(), Counter()
    misses, false_pos = [], []
    base: dict[str, list] = {}
    stand_in: set[str] = set()
    clean_errors: list[tuple[str, object]] = []
    artefacts = Counter()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, path in docs.items():
            findings, split = run_check(path, None, tmp)
            base[name] = findings
            if split:
                stand_in.add(name)
            for f in findings:
                if f.level == "error":
                    if split and f.rule in ADAPTER_ARTEFACTS:
                        artefacts[name] += 1
                    else:
                        clean_errors.append((name, f))
            labels = [lab for lab in REAL_LABELS if lab[0] == name]
            found_labels = set()
            for f in scored(findings):
                lab = next((lab for lab in labels if lab[1] == f.rule and (lab[2] in (f.found or "")
                                                                           or lab[2] in f.message)), None)
                if lab is not None:
                    if lab not in found_labels:
                        tp[f.rule] += 1
                        found_labels.add(lab)
                else:
                    fp[f.rule] += 1
                    false_pos.append((name, f))
            for lab in labels:
                if lab not in found_labels:
                    fn[lab[1]] += 1
                    misses.append((name, lab[1], lab[2]))
        for mname, src, old, new, rule, *needs in MUTATIONS:
            if src not in docs:
                continue
            text = docs[src].read_text(encoding="utf-8")
            if old not in text:
                print(f"标注集有误：{mname} 在 {src} 中找不到“{old}”", file=sys.stderr)
                return 2
            findings, _ = run_check(docs[src], text.replace(old, new, 1), tmp)
            before = Counter(key(f) for f in scored(base[src]))
            new_f = []
            for f in scored(findings):
                if before[key(f)] > 0:
                    before[key(f)] -= 1
                else:
                    new_f.append(f)
            hit = rule is not None and any(f.rule == rule for f in new_f)
            if rule is not None:
                if hit:
                    tp[rule] += 1
                else:
                    fn[rule] += 1
                    misses.append((mname, rule, new) + (("needs the table reader",) if needs else ()))
            for f in new_f:
                if f.rule == rule:
                    continue
                fp[f.rule] += 1
                false_pos.append((mname, f))
            if args.verbose:
                print(f"  {mname:22} expected {rule or '—':14} got {sorted({f.rule for f in new_f}) or '—'}")

    rules = sorted(set(tp) | set(fp) | set(fn))
    print(f"labelled set: {len(docs)} documents ({len(stand_in)} read through the one-line stand-in), "
          f"{len(MUTATIONS)} mutations, {len(REAL_LABELS)} real labels")
    print(f"{'rule':15} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for r in rules:
        p = tp[r] / (tp[r] + fp[r]) if tp[r] + fp[r] else float("nan")
        rc = tp[r] / (tp[r] + fn[r]) if tp[r] + fn[r] else float("nan")
        print(f"{r:15} {tp[r]:>4} {fp[r]:>4} {fn[r]:>4} {p:>10.2f} {rc:>8.2f}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':15} {T:>4} {F:>4} {N:>4} {T / (T + F) if T + F else 0:>10.2f} {T / (T + N) if T + N else 0:>8.2f}")
    real = [(n, f) for n, f in clean_errors if _labelled(n, f)]
    false = [(n, f) for n, f in clean_errors if not _labelled(n, f)]
    print(f"error-level findings on the clean documents that are not a known defect: {len(false)}")
    for name, f in false:
        print(f"  {name}: {f.rule} {f.message}")
    print(f"error-level findings that are a known real defect: {len(real)}")
    for name, f in real:
        print(f"  {name}: {f.rule} {f.message}")
    if artefacts:
        print("errors of the one-line stand-in (unread tables and sections, not scored): "
              + ", ".join(f"{k} {v}" for k, v in sorted(artefacts.items())))
    if misses:
        print("missed:")
        for m in misses:
            print("  " + " | ".join(str(x) for x in m))
    if false_pos:
        print("false positives:")
        for name, f in false_pos:
            print(f"  {name}: {f.rule} {f.level} {f.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

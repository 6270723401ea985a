"""Which report is last year's of which: pairs made among the files given to `check`, or
looked up in the folder given as `--previous DIR`. Same body (as its title names it) and
consecutive years; a file that does not say its body and year pairs with nothing."""

from __future__ import annotations

from pathlib import Path

from ..lastyear import identify


def pair_files(files: list[str], previous: str | None = None) -> dict[str, str]:
    """file → last year's file. `previous` a folder: look there; None: among `files` themselves."""
    who = {f: identify(f) for f in files}
    if previous is not None and Path(previous).is_dir():
        pool = {f: identify(f) for f in _candidates(previous)}
    elif previous is None:
        pool = who
    else:
        return {f: previous for f in files}  # one file given: it is every report's last year
    by_key: dict[tuple[str, int], str] = {}
    for f, key in pool.items():
        if key is not None:
            by_key.setdefault(key, f)
    out: dict[str, str] = {}
    for f, key in who.items():
        if key is None:
            continue
        match = by_key.get((key[0], key[1] - 1))
        if match is not None and match != f:
            out[f] = match
    return out


def pairs_from_outcomes(outcomes: list) -> dict[str, str]:
    """file → last year's file among drafts already checked, from the body and year each one's
    check read (FileOutcome.body/year): no file is read a second time just to be identified."""
    from ..lastyear import normalize_body

    by_key: dict[tuple[str, int], str] = {}
    keys: dict[str, tuple[str, int]] = {}
    for o in outcomes:
        if o.status != "unreadable" and o.body and o.year:
            keys[o.file] = (normalize_body(o.body), int(o.year))
            by_key.setdefault(keys[o.file], o.file)
    out: dict[str, str] = {}
    for f, (body, year) in keys.items():
        match = by_key.get((body, year - 1))
        if match is not None and match != f:
            out[f] = match
    return out


def _candidates(folder: str) -> list[str]:
    from .batch import DRAFT_SUFFIXES

    suffixes = (*DRAFT_SUFFIXES, ".pdf", ".yaml", ".yml", ".json", ".xlsx")
    return sorted(str(p) for p in Path(folder).rglob("*")
                  if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(("~$", ".")))


__all__ = ["pair_files", "pairs_from_outcomes"]

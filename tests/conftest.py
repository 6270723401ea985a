from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def shared_dir() -> Path | None:
    """../shared beside the checkout (CI) or /work/shared (developer machines)."""
    for cand in (ROOT.parent / "shared", Path("/work/shared")):
        if cand.is_dir():
            return cand
    return None


def shared_file(rel: str) -> Path:
    base = shared_dir()
    if base is None or not (base / rel).is_file():
        pytest.skip(f"../shared/{rel} 不在本机（共享资料目录缺失），跳过依赖真实报告的测试")
    return base / rel


@pytest.fixture
def example_raw():
    """Plain dicts of the example data files, for tests that mutate them."""

    def load(name: str) -> dict:
        return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))

    return load


def _plain(obj):
    if isinstance(obj, Decimal):
        return float(obj)
    raise TypeError(type(obj))


@pytest.fixture
def write_data(tmp_path):
    """Write a dict as a YAML (or JSON) data file and return its path."""

    counter = iter(range(10_000))

    def write(data: dict, suffix: str = ".yaml") -> Path:
        path = tmp_path / f"data{next(counter)}{suffix}"
        if suffix == ".json":
            path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write

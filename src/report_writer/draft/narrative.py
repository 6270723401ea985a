"""The realized report before rendering: paragraphs made of spans that know their source.

The generator (plan → realize) produces a Narrative; the Word renderer lays it out.
Every span that carries a number names the data field it came from, so a test can
prove that no number was invented and the checker can trust a generated draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Role = Literal["title", "preamble", "h1", "h2", "body", "lead_in"]


@dataclass(frozen=True)
class Span:
    text: str
    source: str | None = None  # data field path: table3.r1.total, overview.platforms.press_conferences …
    rule: str | None = None  # phrase-bank rule id that wrote it


@dataclass
class Para:
    role: Role
    spans: list[Span]
    section: str | None = None  # format section id: overview, proactive, requests, appeals, problems, other

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class TableRef:
    """Where one of the statutory tables goes (table2, table3, table4)."""

    table: str
    section: str


Block = Union[Para, TableRef]


@dataclass
class Narrative:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def paragraphs(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]

    def numbers(self) -> list[Span]:
        """Spans that carry a value from the data."""
        return [s for p in self.paragraphs() for s in p.spans if s.source]

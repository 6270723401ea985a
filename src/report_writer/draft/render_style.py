"""Typography of the Word draft as data (templates/style.yaml), with the 公文 defaults.

An office edits the YAML (fonts, sizes, margins, spacing); the renderer reads only
this model. A partial file overrides just the keys it names. Sizes may be given as
Chinese size names (三号, 小五 …) or in points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

# Chinese type sizes (字号) in points.
SIZE_NAMES: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
    "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5, "小六": 6.5,
}

DEFAULT_STYLE_FILE = Path(__file__).resolve().parents[3] / "templates" / "style.yaml"


class StyleError(ValueError):
    """The style file cannot be used; the message is Chinese."""


def _size(v: Any) -> float:
    if isinstance(v, str):
        v = v.strip()
        if v in SIZE_NAMES:
            return SIZE_NAMES[v]
        try:
            v = float(v.removesuffix("pt").removesuffix("磅"))
        except ValueError:
            raise ValueError(f"字号应为字号名（如 三号、小五）或磅值，实为“{v}”") from None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"字号应为字号名或磅值，实为“{v}”")
    if not 4 <= float(v) <= 72:
        raise ValueError(f"字号 {v} 磅超出合理范围（4—72 磅）")
    # Word stores half-points.
    return round(float(v) * 2) / 2


Size = Annotated[float, BeforeValidator(_size)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(_M):
    top: float = 37
    bottom: float = 35
    left: float = 28
    right: float = 26


class Page(_M):
    width_mm: float = 210
    height_mm: float = 297
    margins_mm: Margins = Margins()
    header_mm: float = 15
    footer_mm: float = 23

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margins_mm.left - self.margins_mm.right


class ParaStyle(_M):
    font: str
    size: Size
    align: Literal["left", "center", "right", "justify"] = "justify"
    first_line_chars: float = 2
    bold: bool = False
    keep_with_next: bool = False
    space_after_lines: float = 0



def _p(font: str, size: str, **kw: Any) -> ParaStyle:
    return ParaStyle(font=font, size=size, **kw)


class Paragraphs(_M):
    title: ParaStyle = _p("方正小标宋简体", "二号", align="center", first_line_chars=0, space_after_lines=1)
    preamble: ParaStyle = _p("仿宋_GB2312", "三号")
    h1: ParaStyle = _p("黑体", "三号", keep_with_next=True)
    h2: ParaStyle = _p("楷体_GB2312", "三号", keep_with_next=True)
    body: ParaStyle = _p("仿宋_GB2312", "三号")
    lead_in: ParaStyle = _p("仿宋_GB2312", "三号", keep_with_next=True)


class Table2Style(_M):
    size: Size = 10.5
    label_width_mm: float = 46


class Table3Style(_M):
    size: Size = 9
    label_widths_mm: tuple[float, float, float] = (7, 22, 44)


class Table4Style(_M):
    size: Size = 9


class Tables(_M):
    font: str = "宋体"
    border_pt: float = Field(default=0.5, gt=0, le=6)
    cell_margin_mm: float = Field(default=1.0, ge=0, le=10)
    table2: Table2Style = Table2Style()
    table3: Table3Style = Table3Style()
    table4: Table4Style = Table4Style()
    space_after_pt: float = 6


class PageNumber(_M):
    font: str = "宋体"
    size: Size = 14
    template: str = "— {page} —"

    @field_validator("template")
    @classmethod
    def _has_page(cls, v: str) -> str:
        if v.count("{page}") != 1:
            raise ValueError("页码格式中应恰好含一个 {page}")
        return v


class Numbers(_M):
    money_decimals: int = Field(default=2, ge=0, le=6)
    increase: str = "增"
    decrease: str = "减"


class DocStyle(_M):
    page: Page = Page()
    latin_font: str = "Times New Roman"
    line_spacing_pt: float = Field(default=28.95, gt=6, le=100)
    paragraphs: Paragraphs = Paragraphs()
    tables: Tables = Tables()
    page_number: PageNumber = PageNumber()
    numbers: Numbers = Numbers()


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def load_style(path: str | Path | None = None) -> DocStyle:
    """The style from `path`, else from templates/style.yaml when present, else the defaults."""
    if path is None:
        if not DEFAULT_STYLE_FILE.is_file():
            return DocStyle()
        path = DEFAULT_STYLE_FILE
    path = Path(path)
    from ..limits import exceeded, limit
    from ..data.yamlsrc import SourceError, parse_yaml

    try:
        size, max_bytes = path.stat().st_size, limit("MAX_DATA_BYTES")
        if size > max_bytes:
            raise StyleError(f"版式文件 {path} 过大：" + exceeded("MAX_DATA_BYTES", max_bytes, size))
        text = path.read_text(encoding="utf-8")
        parse_yaml(text)  # the node, depth and control-character checks of data files (alias bombs)
        raw = yaml.safe_load(text)
    except SourceError as e:
        where = f"第 {e.line} 行" if e.line else ""
        raise StyleError(f"版式文件 {path} {where}有误：{e.message}") from None
    except FileNotFoundError:
        raise StyleError(f"找不到版式文件 {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise StyleError(f"无法读取版式文件 {path}：{e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise StyleError(f"版式文件 {path} {where}不是有效的 YAML") from None
    if raw is None:
        return DocStyle()
    if not isinstance(raw, dict):
        raise StyleError(f"版式文件 {path} 的顶层应为字段表（page、paragraphs、tables …）")
    try:
        return DocStyle.model_validate(_merge(DocStyle().model_dump(), raw))
    except ValidationError as e:
        msgs = []
        for err in e.errors():
            where = ".".join(str(p) for p in err["loc"])
            msg = str(err.get("ctx", {}).get("error", "")) or {
                "extra_forbidden": "未知字段", "missing": "缺少字段"}.get(err["type"], err["msg"])
            msgs.append(f"{where}：{msg}")
        raise StyleError(f"版式文件 {path} 有误：" + "；".join(msgs)) from None

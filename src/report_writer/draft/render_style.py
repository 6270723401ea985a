"""Typography of the Word draft as data (templates/style.yaml), with the 公文 defaults.

An office edits the YAML (fonts, sizes, margins, spacing); the renderer reads only
this model. A partial file overrides just the keys it names. Sizes may be given as
Chinese size names (三号, 小五 …) or in points.
"""

from __future__ import annotations

import stat
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

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


def _text(v: Any) -> str:
    """A font name or a short word of the style: printable, short, non-empty."""
    if not isinstance(v, str):
        raise ValueError(f"应为文字，实为“{v}”")
    if not v.strip():
        raise ValueError("不能为空")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co") for ch in v):
        raise ValueError("含有控制字符或私用区字符，Word 无法保存；请删除")
    if len(v) > 64:
        raise ValueError(f"过长（{len(v)} 个字符，最多 64 个）")
    return v


Text = Annotated[str, BeforeValidator(_text)]
Mm = Annotated[float, Field(ge=0, le=1000)]  # a length on paper: a page is at most 1 m across
Pt = Annotated[float, Field(ge=0, le=200)]
Lines = Annotated[float, Field(ge=0, le=20)]  # spacing or indent in lines or characters


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Margins(_M):
    top: Mm = 37
    bottom: Mm = 35
    left: Mm = 28
    right: Mm = 26


class Page(_M):
    width_mm: Annotated[float, Field(ge=50, le=1000)] = 210
    height_mm: Annotated[float, Field(ge=50, le=1000)] = 297
    margins_mm: Margins = Margins()
    header_mm: Mm = 15
    footer_mm: Mm = 23

    @model_validator(mode="after")
    def _room_for_text(self) -> "Page":
        m = self.margins_mm
        if self.width_mm - m.left - m.right < 30 or self.height_mm - m.top - m.bottom < 30:
            raise ValueError("页边距过大：版心（纸张减去页边距）应至少 30 毫米见方")
        return self

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.margins_mm.left - self.margins_mm.right


class ParaStyle(_M):
    font: Text
    size: Size
    align: Literal["left", "center", "right", "justify"] = "justify"
    first_line_chars: Lines = 2
    bold: bool = False
    keep_with_next: bool = False
    space_after_lines: Lines = 0



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
    label_width_mm: Mm = 46


class Table3Style(_M):
    size: Size = 9
    label_widths_mm: tuple[Mm, Mm, Mm] = (7, 22, 44)


class Table4Style(_M):
    size: Size = 9


class Tables(_M):
    font: Text = "宋体"
    border_pt: float = Field(default=0.5, gt=0, le=6)
    cell_margin_mm: float = Field(default=1.0, ge=0, le=10)
    table2: Table2Style = Table2Style()
    table3: Table3Style = Table3Style()
    table4: Table4Style = Table4Style()
    space_after_pt: Pt = 6


class PageNumber(_M):
    font: Text = "宋体"
    size: Size = 14
    template: Text = "— {page} —"

    @field_validator("template")
    @classmethod
    def _has_page(cls, v: str) -> str:
        if v.count("{page}") != 1 or v.replace("{page}", "").count("{") or v.replace("{page}", "").count("}"):
            raise ValueError("页码格式中应恰好含一个 {page}，且不含其他花括号")
        return v


class Numbers(_M):
    money_decimals: int = Field(default=2, ge=0, le=6)
    increase: Text = "增"
    decrease: Text = "减"


class DocStyle(_M):
    page: Page = Page()
    latin_font: Text = "Times New Roman"
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


_STYLE_CACHE: dict[tuple, DocStyle] = {}


def load_style(path: str | Path | None = None) -> DocStyle:
    """The style from `path`, else from templates/style.yaml when present, else the defaults.

    A file read before and unchanged since (same size and modification time) is not parsed again
    (drafting many reports: the style file's two YAML passes were a fifth of a draft). The models
    are frozen, so the one DocStyle can serve every caller."""
    if path is None:
        if not DEFAULT_STYLE_FILE.is_file():
            return DocStyle()
        path = DEFAULT_STYLE_FILE
    path = Path(path)
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None
    except OSError:
        key = None  # the reader says what is wrong
    style = _STYLE_CACHE.get(key) if key else None
    if style is None:
        style = _read_style(path)
        if key:
            if len(_STYLE_CACHE) >= 8:
                _STYLE_CACHE.clear()
            _STYLE_CACHE[key] = style
    return style


def _read_style(path: Path) -> DocStyle:
    from ..limits import exceeded, limit
    from ..data.yamlsrc import SourceError, parse_yaml
    from ..fileio import read_capped

    try:
        size, max_bytes = path.stat().st_size, limit("MAX_DATA_BYTES")
        if size > max_bytes:
            raise StyleError(f"版式文件 {path} 过大：" + exceeded("MAX_DATA_BYTES", max_bytes, size))
        raw = read_capped(path, max_bytes)
        if len(raw) > max_bytes:
            raise StyleError(f"版式文件 {path} 过大：" + exceeded("MAX_DATA_BYTES", max_bytes))
        text = raw.decode("utf-8")
        parse_yaml(text)  # the node, depth and control-character checks of data files (alias bombs)
        raw = yaml.safe_load(text)
    except SourceError as e:
        where = f"第 {e.line} 行" if e.line else ""
        raise StyleError(f"版式文件 {path} {where}有误：{e.message}") from None
    except FileNotFoundError:
        raise StyleError(f"找不到版式文件 {path}") from None
    except UnicodeDecodeError as e:
        raise StyleError(f"版式文件 {path} 不是 UTF-8 编码（第 {e.start + 1} 字节无法解码），请用 UTF-8 编码另存") from None
    except ValueError as e:  # a FIFO or a device
        raise StyleError(f"无法读取版式文件：{e}") from None
    except OSError as e:
        raise StyleError(f"无法读取版式文件 {path}：{e.strerror or e}") from None
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
            msg = str(err.get("ctx", {}).get("error", "")) or _style_problem_zh(err)
            msgs.append(f"{where}：{msg}")
        raise StyleError(f"版式文件 {path} 有误：" + "；".join(msgs)) from None


def _style_problem_zh(err: dict) -> str:
    """Pydantic's English, in Chinese: what the field must be."""
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "literal_error":
        return f"应为 {ctx.get('expected', '')} 之一，实为“{err.get('input')}”".replace("'", "").replace(" or ", "、").replace(", ", "、")
    if kind in ("greater_than_equal", "greater_than"):
        return f"数值过小，应不小于 {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"数值过大，应不大于 {ctx.get('le', ctx.get('lt'))}"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"应为数字，实为“{err.get('input')}”"
    if kind == "finite_number":
        return "应为有限的数字"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    return {"extra_forbidden": "未知字段", "missing": "缺少字段"}.get(kind, f"取值无效（{kind}）")

"""The one typed model of a body's yearly report data (ReportData).

The loader builds it from a data file; the table mapper builds it from a document.
Facts of 总体情况 are typed fields; the three statutory tables are kept generic,
keyed by the ids of the format file, because their shape belongs to the format.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

# ---------------------------------------------------------------- cells

CellState = Literal["number", "empty", "slash", "dash", "none", "text"]

# How a cell that holds no number was written; kept apart from 0 on purpose.
STATE_OF_MARK = {"": "empty", "/": "slash", "／": "slash", "-": "dash", "—": "dash", "–": "dash",
                 "——": "dash", "--": "dash", "无": "none"}



YEAR_MIN, YEAR_MAX = 2000, 2100  # the report years a data file may name (formats cover 2019 on)

class Cell(BaseModel):
    """A table cell: a number, or an explicit non-number (empty, "/", "—", "无", text)."""

    model_config = ConfigDict(frozen=True)
    state: CellState
    value: Decimal | None = None
    raw: str | None = None  # as written in the source, when it differs from the value

    @classmethod
    def number(cls, value: int | Decimal, raw: str | None = None) -> "Cell":
        return cls(state="number", value=Decimal(value), raw=raw)

    @classmethod
    def empty(cls) -> "Cell":
        return cls(state="empty")

    @property
    def is_number(self) -> bool:
        return self.state == "number"

    def as_int(self) -> int | None:
        return int(self.value) if self.value is not None else None

    def shown(self) -> str:
        if self.state == "number":
            return format_decimal(self.value)
        return {"empty": "（空白）", "slash": "/", "dash": "—", "none": "无"}.get(self.state, self.raw or "")


def format_decimal(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        return str(int(value))
    return format(value, "f")


TableData = dict[str, dict[str, Cell]]  # row id -> column id -> cell


# ---------------------------------------------------------------- counts

APPROX_PREFIX = ("近", "约", "超过", "逾", "不足", "将近")
APPROX_SUFFIX = ("余", "多", "以上", "左右")
_COUNT_RE = re.compile(r"^(?P<pre>近|约|超过|逾|不足|将近)?(?P<num>\d+(?:\.\d+)?)(?P<scale>万|亿)?(?P<post>余|多|以上|左右)?$")


class Count(BaseModel):
    """A count written in 总体情况: exact (23) or approximate as the office knows it (近300, 3万余)."""

    model_config = ConfigDict(frozen=True)
    value: Decimal
    approx: str | None = None  # the marker: 近, 约, 余, 多, 以上 …
    scale: str | None = None  # 万 or 亿 when written that way

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("应为数字")
        if isinstance(v, (int, Decimal)):
            return {"value": Decimal(v)}
        if isinstance(v, float):
            return {"value": Decimal(str(v))}
        if isinstance(v, str):
            m = _COUNT_RE.match(v.strip())
            if not m:
                raise ValueError(count_hint(v))
            pre, post = m.group("pre"), m.group("post")
            return {"value": Decimal(m.group("num")), "approx": pre or post, "scale": m.group("scale")}
        return v

    @field_validator("value")
    @classmethod
    def _non_negative(cls, v: Decimal) -> Decimal:
        if v < 0:
            raise ValueError("不能为负数")
        return v

    @model_serializer
    def _dump(self) -> Any:
        if self.approx is None and self.scale is None and self.value == int(self.value):
            return int(self.value)
        return self.text()

    @property
    def exact(self) -> bool:
        return self.approx is None

    def text(self) -> str:
        """The number as official prose writes it: 23, 近300, 3万余."""
        num = format_decimal(self.value) + (self.scale or "")
        if self.approx in APPROX_SUFFIX:
            return num + self.approx
        return (self.approx or "") + num

    def magnitude(self) -> Decimal:
        return self.value * {"万": 10000, "亿": 100000000}.get(self.scale or "", 1)


def count_hint(raw: str) -> str:
    """Explain why a written count was refused; Chinese numerals get the Arabic spelling."""
    try:
        import cn2an

        arabic = cn2an.cn2an(raw.strip(), "strict")
        return f"应填写阿拉伯数字，不接受中文数字“{raw}”，请改为 {format_decimal(Decimal(str(arabic)))}"
    except Exception:
        return f"应为数字（可带“近、约、余、多”等约数字样，如“近300”），实为“{raw}”"


# ---------------------------------------------------------------- 总体情况 facts


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Highlight(_Facts):
    """One measure of the year in the official manner: a short lead, then specifics."""

    lead: str = Field(description="四至六字的引导语，如“加强用权公开”")
    text: str = Field(description="具体做法、时间、文件和成效")
    place: str | None = Field(default=None, description="在本小节中的位置：first（段首）、last（段末）；"
                              "不填则排在内容最相近的段落之后")

    @field_validator("place")
    @classmethod
    def _place(cls, v: str | None) -> str | None:
        if v is not None and v not in ("first", "last"):
            raise ValueError(f"place 应为 first 或 last，实为“{v}”")
        return v


class Document(_Facts):
    title: str = Field(description="文件名称，不含书名号")
    number: str | None = Field(default=None, description="文号，如 金政办秘〔2020〕75号")
    date: dt.date | None = Field(default=None, description="印发日期")


class Topic(_Facts):
    name: str = Field(description="专题或重点领域名称，如 新冠肺炎疫情防控")
    items: Count | None = Field(default=None, description="全年发布信息条数")


class Catalog(_Facts):
    name: str = Field(description="目录或清单名称，如 基层政务公开标准目录")
    domains: Count | None = Field(default=None, description="覆盖领域数（个）")
    categories: Count | None = Field(default=None, description="大类数")
    level1: Count | None = Field(default=None, description="一级目录数（个）")
    level2: Count | None = Field(default=None, description="二级目录数（个）")
    items: Count | None = Field(default=None, description="事项数（项）")
    date: dt.date | None = Field(default=None, description="编制完成或上线日期")


class Proactive(_Facts):
    """（一）主动公开"""

    items_published: Count | None = Field(default=None, description="全年主动公开政府信息（条）")
    normative_docs_published: Count | None = Field(default=None, description="公开规范性文件（件）")
    normative_docs_interpreted: Count | None = Field(default=None, description="规范性文件配套解读（件）")
    interpretations: Count | None = Field(default=None, description="发布政策解读（篇）")
    public_participation: Count | None = Field(default=None, description="公众代表列席政府常务会议（次）")
    topics: list[Topic] = Field(default_factory=list, description="重点领域信息公开专题")
    catalogs: list[Catalog] = Field(default_factory=list, description="公开目录、事项清单")
    highlights: list[Highlight] = Field(default_factory=list)


class Requests(_Facts):
    """（二）依申请公开 — the request figures themselves come from 表三 and 表四."""

    online_share: Decimal | None = Field(default=None, description="通过网上平台提交申请的占比（%）")
    highlights: list[Highlight] = Field(default_factory=list)


class Rectification(_Facts):
    found: Count | None = Field(default=None, description="自查发现问题（个）")
    fixed: Count | None = Field(default=None, description="已整改问题（个）")
    deadline: str | None = Field(default=None, description="整改完成时间，如 7月底")


class Management(_Facts):
    """（三）政府信息管理"""

    monitoring_rounds: Count | None = Field(default=None, description="开展信息发布监测（次）")
    bulletins: Count | None = Field(default=None, description="印发监测通报（期）")
    reviews: Count | None = Field(default=None, description="公开属性审查、保密审查（件）")
    docs_cleaned: Count | None = Field(default=None, description="清理规范性文件（件）")
    rectification: Rectification | None = None
    documents: list[Document] = Field(default_factory=list, description="本年印发的管理制度文件")
    highlights: list[Highlight] = Field(default_factory=list)


class Platforms(_Facts):
    """（四）政府信息公开平台建设"""

    typo_checks: Count | None = Field(default=None, description="网站错别字排查（次）")
    privacy_checks: Count | None = Field(default=None, description="隐私信息排查（次）")
    gazette_issues: Count | None = Field(default=None, description="编印政府公报（期）")
    press_conferences: Count | None = Field(default=None, description="召开新闻发布会（场）")
    online_interviews: Count | None = Field(default=None, description="开展在线访谈（期）")
    new_media_accounts: Count | None = Field(default=None, description="纳入监管的政务新媒体账号（个）")
    new_media_closed: Count | None = Field(default=None, description="关停整合政务新媒体账号（个）")
    new_media_name: str | None = Field(default=None, description="主账号名称，如 某某发布")
    new_media_posts: Count | None = Field(default=None, description="主账号全年发布信息（条）")
    hotline_calls: Count | None = Field(default=None, description="政务服务热线受理（件）")
    highlights: list[Highlight] = Field(default_factory=list)


class KeyTasks(_Facts):
    major: Count | None = Field(default=None, description="重点任务大项数")
    minor: Count | None = Field(default=None, description="重点任务小项数")
    document: Document | None = None


class Oversight(_Facts):
    """（五）监督保障"""

    staff_added: Count | None = Field(default=None, description="新增或调剂编制、专职人员（名）")
    key_tasks: KeyTasks | None = None
    assessment_weight: Decimal | None = Field(default=None, description="政务公开在绩效考核中的分值权重（%）")
    quarterly_monitoring: Count | None = Field(default=None, description="季度监测（次）")
    special_monitoring: Count | None = Field(default=None, description="专项监测（次）")
    monitoring_bulletins: Count | None = Field(default=None, description="印发监测通报（次）")
    trainings: Count | None = Field(default=None, description="召开培训会议（次）")
    trainees: Count | None = Field(default=None, description="培训人员（人次）")
    other_trainings: Count | None = Field(default=None, description="以其他方式开展培训（次）")
    other_trainees: Count | None = Field(default=None, description="其他方式培训人员（人次）")
    social_appraisal: str | None = Field(default=None, description="社会评议情况")
    accountability_cases: Count | None = Field(default=None, description="政务公开责任追究（起）")
    highlights: list[Highlight] = Field(default_factory=list)


class Overview(_Facts):
    """一、总体情况"""

    intro: str | None = Field(default=None, description="开篇总述（可不填，由程序生成）")
    proactive: Proactive = Field(default_factory=Proactive)
    requests: Requests = Field(default_factory=Requests)
    management: Management = Field(default_factory=Management)
    platforms: Platforms = Field(default_factory=Platforms)
    oversight: Oversight = Field(default_factory=Oversight)


# ---------------------------------------------------------------- 五、六

PROBLEM_CATEGORIES: dict[str, str] = {
    "timeliness": "信息发布和更新不够及时",
    "columns": "栏目设置和内容不够规范",
    "interpretation": "政策解读质量和形式有待提升",
    "requests": "依申请公开答复规范性有待提高",
    "staffing": "工作力量不足、人员变动频繁",
    "grassroots": "基层政务公开标准化规范化有待深化",
    "platform": "公开平台建设和管理有待加强",
    "awareness": "部分单位重视程度不够、工作不平衡",
    "other": "其他",
}


class Problem(_Facts):
    id: str = Field(description="问题编号，供改进措施引用，如 p1")
    category: str = Field(description="问题类别：" + "、".join(f"{k}（{v}）" for k, v in PROBLEM_CATEGORIES.items()))
    text: str = Field(description="问题的具体表现")

    @field_validator("category")
    @classmethod
    def _known_category(cls, v: str) -> str:
        if v not in PROBLEM_CATEGORIES:
            raise ValueError(f"问题类别应为 {'、'.join(PROBLEM_CATEGORIES)} 之一，实为“{v}”")
        return v


class Improvement(_Facts):
    problem: str | None = Field(default=None, description="针对的问题编号")
    text: str = Field(description="已采取或将采取的措施")
    date: str | None = Field(default=None, description="时间，如 2020年10月 或 2021年6月底前")
    result: str | None = Field(default=None, description="成效")
    done: bool | None = Field(default=None, description="true：本年度已采取的措施；false：下一步措施；"
                              "不填则按时间和措辞判断（本年度内的时间视为已采取）")


class PreviousRemedy(_Facts):
    problem: str = Field(description="上年度报告所列问题")
    remedy: str = Field(description="本年度整改情况")


class Fee(_Facts):
    collected: bool = Field(default=False, description="本年度是否收取信息处理费")
    notices: Count | None = Field(default=None, description="发出收费通知（件）")
    cases: Count | None = Field(default=None, description="实际收费（件）")
    amount_yuan: Decimal | None = Field(default=None, description="收取信息处理费（元）")


class Proposals(_Facts):
    suggestions: Count | None = Field(default=None, description="办理人大代表建议（件）")
    proposals: Count | None = Field(default=None, description="办理政协委员提案（件）")
    published: bool | None = Field(default=None, description="办理结果是否全部公开")


class OtherMatters(_Facts):
    """六、其他需要报告的事项"""

    fee: Fee | None = Field(default=None, description="信息处理费（2021年起必报）")
    key_points: str | None = Field(default=None, description="上级政务公开工作要点落实情况")
    proposals: Proposals | None = None
    innovations: list[str] = Field(default_factory=list, description="政务公开工作创新情况")
    matters: list[str] = Field(default_factory=list, description="其他需要报告的事项")


# ---------------------------------------------------------------- meta

LEVELS: dict[str, bool] = {
    # level -> may make 规章 (立法法: State Council departments, provinces, 设区的市/自治州)
    "国务院部门": True,
    "省级政府": True,
    "省级部门": False,
    "市级政府": True,
    "市级部门": False,
    "县级政府": False,
    "县级部门": False,
    "乡镇/街道": False,
    "开发区": False,
    "其他": False,
}


class LocalNotice(_Facts):
    title: str = Field(description="通知名称，不含书名号")
    number: str | None = Field(default=None, description="文号")


class Meta(_Facts):
    body: str = Field(description="报告机关全称")
    level: str = Field(description="机关层级：" + "、".join(LEVELS))
    year: int = Field(description="报告年度（统计年度，不是发布年度）", ge=YEAR_MIN, le=YEAR_MAX)
    format: str | None = Field(default=None, description="格式版本：2019 或 2021；不填则按年度确定")
    office: str | None = Field(default=None, description="联系机构，如 某某县人民政府办公室")
    address: str | None = None
    phone: str | None = None
    postcode: str | None = None
    website: str | None = Field(default=None, description="报告电子版下载网站")
    website_name: str | None = Field(default=None, description="网站名称，不填则用“机关名称+网站”")
    local_notice: LocalNotice | None = Field(default=None, description="本地编制通知")
    report_date: dt.date | None = Field(default=None, description="报告日期")
    makes_regulations: bool | None = Field(default=None, description="是否有规章制定权；不填则按层级判断")

    @field_validator("level")
    @classmethod
    def _known_level(cls, v: str) -> str:
        if v not in LEVELS:
            raise ValueError(f"机关层级应为 {'、'.join(LEVELS)} 之一，实为“{v}”")
        return v

    @field_validator("format", mode="before")
    @classmethod
    def _format_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    def may_make_regulations(self) -> bool:
        return self.makes_regulations if self.makes_regulations is not None else LEVELS[self.level]


# ---------------------------------------------------------------- the whole report


class Previous(BaseModel):
    """Last year's figures: tables for the carry-over and roll-forward checks; the 总体情况
    counts and the problems of section 五 for the 同比 sentences and the 整改 paragraph."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    year: int | None = None
    tables: dict[str, TableData] = Field(default_factory=dict)
    overview: Overview | None = None
    problems: list[str] = Field(default_factory=list)


class ReportData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meta: Meta
    overview: Overview = Field(default_factory=Overview)
    tables: dict[str, TableData] = Field(default_factory=dict)
    problems: list[Problem] = Field(default_factory=list)
    improvements: list[Improvement] = Field(default_factory=list)
    previous_remedies: list[PreviousRemedy] = Field(default_factory=list)
    other: OtherMatters = Field(default_factory=OtherMatters)
    previous: Previous | None = None

    @property
    def format_id(self) -> str:
        from ..formats import format_for_year

        if self.meta.format:
            return self.meta.format
        fmt = format_for_year(self.meta.year)
        return fmt.id if fmt else "2019"

    def cell(self, table: str, row: str, col: str) -> Cell | None:
        return self.tables.get(table, {}).get(row, {}).get(col)

    def value(self, table: str, row: str, col: str) -> Decimal:
        """The cell's number; empty and "/" count as 0 for arithmetic (reported separately)."""
        c = self.cell(table, row, col)
        return c.value if c is not None and c.value is not None else Decimal(0)

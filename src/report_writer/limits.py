"""Every resource limit of report-writer, in one place.

Files arrive by e-mail and USB stick from many editors; a hostile or broken file must be
refused in bounded time and memory, with a message that names the limit and says how to
raise it. Each limit has a default here and can be overridden by the environment variable
REPORT_WRITER_<NAME> (read once, at import). The modules that enforce a limit copy its value
into a module constant of the same name (e.g. read.bounds.MAX_TABLES), which tests patch.

    from .limits import limit, exceeded
    MAX_TABLES = limit("MAX_TABLES")
    raise ReadError(p, exceeded("MAX_TABLES", MAX_TABLES, found=len(tables)))
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

ENV_PREFIX = "REPORT_WRITER_"
MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    name: str  # MAX_TABLES; the environment variable is REPORT_WRITER_MAX_TABLES
    default: int
    what: str  # Chinese: what is counted
    unit: str  # Chinese unit: 个, 段, 层, 字符; "bytes" is shown in MB
    where: str  # which reader or engine enforces it (for SECURITY.md and --help texts)

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name


LIMITS: dict[str, Limit] = {lim.name: lim for lim in (
    # data files (validate, draft, convert, check --data, phrasebank preview --data)
    Limit("MAX_DATA_BYTES", 20 * MB, "数据文件大小", "bytes", "loader（YAML/JSON/XLSX 数据文件）"),
    Limit("MAX_NODES", 200_000, "数据文件的节点数", "个", "yamlsrc（YAML 别名炸弹）"),
    Limit("MAX_DEPTH", 64, "数据嵌套层数", "层", "yamlsrc（YAML/JSON 深层嵌套）"),
    Limit("MAX_NUMBER_DIGITS", 30, "数据文件中一个数字的位数（或指数）", "位", "yamlsrc、build（超长整数、1e+999999999）"),
    # drafts (check, extract) and zip containers (.docx, .xlsx)
    Limit("MAX_FILE_BYTES", 50 * MB, "报告稿文件大小", "bytes", "read（.docx/.pdf/.html/.txt）"),
    Limit("MAX_PART_BYTES", 100 * MB, "压缩包内单个部件解压后的大小", "bytes", "read.docx、xlsx（压缩炸弹）"),
    Limit("MAX_ZIP_BYTES", 200 * MB, "压缩包全部内容解压后的总大小", "bytes", "read.docx、annotate、xlsx（压缩炸弹）"),
    Limit("MAX_ZIP_MEMBERS", 10_000, "压缩包内的文件数", "个", "read.docx、annotate、xlsx"),
    Limit("MAX_XML_ELEMENTS", 1_000_000, "压缩包内单个 XML 部件的元素数", "个",
          "limits.zip_problem（read.docx、annotate、xlsx：几百 KB 的文件展开成几百万个空段落或空单元格）"),
    Limit("MAX_FORMULA_CELLS", 100_000, "自动计算工作簿公式时读取的单元格数", "个", "data.xlsx（=SUM(A1:XFD1048576) 之类）"),
    Limit("MAX_TABLES", 300, "文档中的表格数", "个", "read"),
    Limit("MAX_PARAGRAPHS", 50_000, "文档中的段落数", "段", "read"),
    Limit("MAX_TABLE_CELLS", 200_000, "文档中表格单元格总数", "个", "read"),
    Limit("MAX_TEXT_CHARS", 3_000_000, "报告稿的文字总量", "字符", "read（正文分析的耗时随之增长）"),
    Limit("MAX_NLP_CHARS", 20_000, "正文数字比对中一段的长度", "字符", "nlp.judge"),
    Limit("MAX_PAGE_BYTES", 20 * MB, "网页文件大小", "bytes", "read.html"),
    Limit("MAX_LINE_CHARS", 100_000, "纯文本报告稿中一行（一段）的长度", "字符", "read.text"),
    Limit("MAX_PDF_PAGES", 500, "PDF 报告稿的页数", "页", "read.pdf"),
    Limit("MAX_PDF_PAGE_OBJECTS", 200_000, "PDF 单页中的文字和线条对象数", "个", "read.pdf（恶意构造的页面）"),
    Limit("MAX_SPAN", 500, "网页表格单元格的合并行列数（rowspan/colspan）", "", "read.html"),
    # the phrase bank (draft --phrasebank, phrasebank lint/preview)
    Limit("MAX_PHRASEBANK_BYTES", 2 * MB, "短语库文件大小", "bytes", "draft.phrasebank"),
    Limit("MAX_TEMPLATE_CHARS", 4000, "单个模板的长度", "字符", "draft.sandbox"),
    Limit("MAX_OUTPUT", 6000, "单个模板的输出长度", "字符", "draft.sandbox"),
    Limit("MAX_LOOP_STEPS", 10_000, "单个模板中循环的总步数", "步", "draft.sandbox"),
    Limit("MAX_REPEAT", 200, "模板中用 * 生成的文字或列表长度", "", "draft.sandbox"),
    Limit("MAX_EXPR_LEN", 2000, "条件表达式长度", "字符", "draft.expr"),
    Limit("MAX_EXPR_DEPTH", 40, "条件表达式嵌套层数", "层", "draft.expr"),
    # the local web page (report-writer serve)
    Limit("MAX_UPLOAD_BYTES", 200 * MB, "一次上传的总大小", "bytes", "web（report-writer serve）"),
    Limit("MAX_UPLOAD_FILES", 300, "一次上传（含压缩包内）的报告稿数", "个", "web（report-writer serve）"),
)}


def limit(name: str) -> int:
    """The value of a limit: REPORT_WRITER_<NAME> when set to a positive integer, else the default."""
    lim = LIMITS[name]
    raw = os.environ.get(lim.env, "").strip().replace("_", "")
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value > 0:
            return value
    return lim.default


def show(name: str, value: int) -> str:
    """A value of a limit as a clerk reads it: 20 MB, 300 个."""
    unit = LIMITS[name].unit
    if unit == "bytes":
        return (f"{value / MB:.1f}".rstrip("0").rstrip(".") + " MB") if value >= MB // 10 else f"{value} 字节"
    return f"{value} {unit}".rstrip() if unit else str(value)


def exceeded(name: str, value: int, found: int | None = None) -> str:
    """Chinese refusal: what is over which limit, and how to raise it.

    exceeded("MAX_TABLES", 300, 5000) ->
      文档中的表格数（5000 个）超过上限 300 个（MAX_TABLES）；如确需处理，可设置环境变量
      REPORT_WRITER_MAX_TABLES 调高上限
    """
    lim = LIMITS[name]
    got = f"（{show(name, found)}）" if found is not None else ""
    return (f"{lim.what}{got}超过上限 {show(name, value)}（{name}）；"
            f"如确需处理，可设置环境变量 {lim.env} 调高上限")


def zip_problem(zf: "zipfile.ZipFile", max_part: int | None = None, later: frozenset[str] = frozenset()
                ) -> str | None:
    """Why a zip container (.docx, .xlsx) must not be unpacked, or None.

    Python's zipfile never inflates a member past the size its directory declares (it stops
    there and fails the CRC), so the declared sizes bound the memory of every later read.
    The XML parts named in `later` are not inflated here: the caller reads them whole anyway
    and must ask xml_problem of their bytes before parsing them (one inflation instead of two).
    """
    infos = zf.infolist()
    n_max = limit("MAX_ZIP_MEMBERS")
    if len(infos) > n_max:
        return "压缩包内文件过多，疑似恶意文件：" + exceeded("MAX_ZIP_MEMBERS", n_max, len(infos))
    part = max_part if max_part is not None else limit("MAX_PART_BYTES")
    for info in infos:
        if info.file_size > part:
            return (f"文档部件 {info.filename[:80]} 解压后过大，疑似压缩炸弹："
                    + exceeded("MAX_PART_BYTES", part, info.file_size))
    total_max = limit("MAX_ZIP_BYTES")
    total = sum(info.file_size for info in infos)
    if total > total_max:
        return "压缩包解压后总大小过大，疑似压缩炸弹：" + exceeded("MAX_ZIP_BYTES", total_max, total)
    max_elements = limit("MAX_XML_ELEMENTS")
    for info in infos:  # a DTD sits in the prolog: the first bytes of each XML part tell
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")) or info.filename in later:
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(4096)
                # A parsed element costs lxml/openpyxl a few hundred bytes: 6-byte <w:p/> elements
                # make a 200 KB file that parses to gigabytes. Count them before any parser does.
                elements, block = _elements(head), head
                while elements <= max_elements and block:
                    block = fh.read(1 << 20)
                    elements += _elements(block)
        except Exception:  # damaged member: the reader that needs it says so
            continue
        problem = _xml_problem(info.filename, head, elements, max_elements)
        if problem:
            return problem
    return None


def xml_problem(name: str, data: bytes) -> str | None:
    """zip_problem's test of one XML part, on its bytes already read (see zip_problem's `later`)."""
    max_elements = limit("MAX_XML_ELEMENTS")
    elements = data.count(b"<")  # an upper bound, one pass; the exact count only when it is over
    if elements > max_elements:
        elements = _elements(data)
    return _xml_problem(name, data[:4096], elements, max_elements)


def _xml_problem(name: str, head: bytes, elements: int, max_elements: int) -> str | None:
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        return (f"文档部件 {name[:80]} 含有 DTD/实体声明（正常的 Office 文件不会有，"
                "可能是 XML 实体膨胀攻击），为安全起见拒绝读取")
    if elements > max_elements:
        return (f"文档部件 {name[:80]} 的结构异常庞大（疑似膨胀攻击或损坏的文件）："
                + exceeded("MAX_XML_ELEMENTS", max_elements))
    return None


def _elements(block: bytes) -> int:
    """XML elements that start in `block` (start and empty tags; end tags, comments, PIs not)."""
    return block.count(b"<") - block.count(b"</") - block.count(b"<?") - block.count(b"<!")


def table() -> list[tuple[str, str, str, str]]:
    """(environment variable, default, current value, what) for docs and tests."""
    return [(lim.env, show(n, lim.default), show(n, limit(n)), lim.what) for n, lim in LIMITS.items()]


__all__ = ["LIMITS", "Limit", "exceeded", "limit", "show", "table", "xml_problem", "zip_problem"]

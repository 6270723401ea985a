"""The Starlette application of `report-writer serve`: routes, forms and responses.

    /                 the three forms (审核, 起草, 批量汇总)
    POST /check       drafts (+ data file, last year's report) → findings page
    POST /draft       data file (+ seed, style) → preview page or the .docx itself
    GET  /template    ?year=2024 → blank .xlsx data file
    POST /batch       many drafts or a .zip → summary table (+ .xlsx export)
    GET  /result/<id> one report's findings;  GET /download/<id> a stored file

Every upload is copied into a temporary folder made for the request and removed when the
answer is ready; what is offered for download afterwards lives in memory under a random id.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..findings import LEVEL_ZH, DataFileError, Finding
from ..limits import exceeded, limit, show
from .review import DOCX_TYPE, JSON_TYPE, XLSX_TYPE, ReportView, all_json, review
from .store import Store
from .uploads import BodyLimit, Saved, UploadError, extract_zip, save_upload

TEMPLATES = Path(__file__).parent / "templates"
DRAFT_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".txt", ".md")
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
STYLE_SUFFIXES = (".yaml", ".yml")
FIRST_YEAR = 2019


@dataclass
class Settings:
    max_upload_bytes: int = field(default_factory=lambda: limit("MAX_UPLOAD_BYTES"))
    max_upload_files: int = field(default_factory=lambda: limit("MAX_UPLOAD_FILES"))
    nlp: bool = True  # tests of the routes may switch the (slow) narrative pass off


@dataclass
class BlockView:
    """One paragraph or table of a drafted report, for the preview."""

    kind: str  # title | heading | paragraph | table
    text: str = ""
    rows: list = field(default_factory=list)  # table: rows of (text, rowspan, colspan)


def create_app(settings: Settings | None = None, store: Store | None = None) -> Starlette:
    settings = settings or Settings()
    store = store or Store()
    templates = Jinja2Templates(directory=str(TEMPLATES))

    def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"level_zh": LEVEL_ZH, **context}, status_code=status_code)

    def problem(request: Request, status: int, message: str, findings: list | None = None) -> HTMLResponse:
        return render(request, "error.html", status, status=status, message=message, findings=findings or [])

    def error_page(message: str) -> bytes:  # for the middleware, which has no request to render with
        env = templates.env
        return env.get_template("error.html").render(status=413, message=message, findings=[],
                                                      level_zh=LEVEL_ZH).encode("utf-8")

    # ------------------------------------------------------------ pages

    async def index(request: Request) -> HTMLResponse:
        this_year = dt.date.today().year
        return render(request, "index.html", years=list(range(this_year, FIRST_YEAR - 1, -1)),
                      default_year=this_year - 1, max_bytes=show("MAX_UPLOAD_BYTES", settings.max_upload_bytes),
                      max_files=settings.max_upload_files)

    async def check(request: Request) -> Response:
        async with _form(request, settings) as form:
            drafts = _files(form, "drafts")
            if not drafts:
                return problem(request, 400, "请选择至少一份报告稿（.docx、.pdf、.html 或 .txt）")
            if bad := _wrong_kind(drafts, DRAFT_SUFFIXES):
                return problem(request, 400, f"“{bad}”不是可审核的报告稿：应为 {'、'.join(DRAFT_SUFFIXES)} 之一")
            if len(drafts) > settings.max_upload_files:
                return problem(request, 413, "上传的报告稿过多："
                               + exceeded("MAX_UPLOAD_FILES", settings.max_upload_files, len(drafts)))
            data_file, previous_file = _one_file(form, "data"), _one_file(form, "previous")
            if data_file is not None and (bad := _wrong_kind([data_file], DATA_SUFFIXES)):
                return problem(request, 400, f"“{bad}”不是数据文件：应为 {'、'.join(DATA_SUFFIXES)} 之一")
            if previous_file is not None and (bad := _wrong_kind([previous_file], DRAFT_SUFFIXES)):
                return problem(request, 400, f"上年度报告“{bad}”的类型应为 {'、'.join(DRAFT_SUFFIXES)} 之一")
            nlp = settings.nlp and not form.get("no_nlp")
            with _request_folder() as folder:
                saved = [await save_upload(u, folder, i) for i, u in enumerate(drafts)]
                data_saved = await save_upload(data_file, folder / "data", 0) if data_file else None
                previous = await save_upload(previous_file, folder / "previous", 0) if previous_file else None
                try:
                    data = await _threaded(_load_data, data_saved) if data_saved else None
                except DataFileError as e:
                    return problem(request, 422, f"数据文件“{data_saved.name}”无法读取，未进行审核",
                                   _finding_views(e.findings, {str(data_saved.path): data_saved.name}))
                views = await _threaded(review, saved, store, data, previous, nlp)
        json_text = all_json(views)
        json_id = store.put(json_text.encode("utf-8"), "审核结果.json", JSON_TYPE)
        return render(request, "check.html", views=views, json_id=json_id, json_text=json_text,
                      data_name=data_saved.name if data_saved else None)

    async def result(request: Request) -> Response:
        item = store.get(request.path_params["id"])
        if item is None or not isinstance(item.value, ReportView):
            return problem(request, 404, "没有这份审核结果：链接有误，或结果已过期（保存 2 小时）。请重新上传审核。")
        return render(request, "result.html", view=item.value)

    async def download(request: Request) -> Response:
        item = store.get(request.path_params["id"])
        if item is None or not isinstance(item.value, bytes):
            return problem(request, 404, "没有这个文件：链接有误，或文件已过期（保存 2 小时）。请重新生成。")
        return Response(item.value, media_type=item.media_type, headers=_download_headers(item.filename))

    async def draft(request: Request) -> Response:
        async with _form(request, settings) as form:
            data_file = _one_file(form, "data")
            if data_file is None:
                return problem(request, 400, "请选择数据文件（.yaml、.json 或 .xlsx）")
            if bad := _wrong_kind([data_file], DATA_SUFFIXES):
                return problem(request, 400, f"“{bad}”不是数据文件：应为 {'、'.join(DATA_SUFFIXES)} 之一")
            style_file = _one_file(form, "style")
            if style_file is not None and (bad := _wrong_kind([style_file], STYLE_SUFFIXES)):
                return problem(request, 400, f"版式文件“{bad}”应为 .yaml")
            try:
                seed = int(str(form.get("seed") or "0").strip())
            except ValueError:
                return problem(request, 400, f"措辞种子应为整数，实为“{str(form.get('seed'))[:40]}”")
            with _request_folder() as folder:
                data_saved = await save_upload(data_file, folder / "data", 0)
                style_saved = await save_upload(style_file, folder / "style", 0) if style_file else None
                names = {str(data_saved.path): data_saved.name}
                if style_saved:
                    names[str(style_saved.path)] = style_saved.name
                outcome = await _threaded(_draft, data_saved, style_saved, seed, folder)
        if isinstance(outcome, str):
            return problem(request, 400, _clean(outcome, names))
        if isinstance(outcome, DataFileError):
            return problem(request, 422, f"数据文件“{data_saved.name}”无法读取，未生成初稿",
                           _finding_views(outcome.findings, names))
        result, blob, blocks = outcome
        warnings = _finding_views(result.findings, names)
        if not result.ok:
            return problem(request, 422, f"数据有 {len(result.errors)} 项错误，未生成初稿。请修改数据文件后重新上传。",
                           warnings)
        filename = f"{Path(data_saved.name).stem}-初稿.docx"
        if form_value(form, "mode") == "docx":
            return Response(blob, media_type=DOCX_TYPE, headers=_download_headers(filename))
        download_id = store.put(blob, filename, DOCX_TYPE)
        return render(request, "draft.html", result=result, blocks=blocks, download_id=download_id,
                      filename=filename, warnings=warnings, seed=seed, data_name=data_saved.name)

    async def template(request: Request) -> Response:
        from ..formats import format_for_year

        raw = request.query_params.get("year", "")
        try:
            year = int(raw)
        except ValueError:
            return problem(request, 400, f"年度应为四位数字，如 2024，实为“{raw[:20]}”")
        fmt = format_for_year(year) if FIRST_YEAR <= year <= 2100 else None
        if fmt is None:
            return problem(request, 400, f"{year}年度没有对应的官方格式（统一格式自 {FIRST_YEAR} 年度起）")
        blob = await _threaded(_blank_workbook, fmt, year)
        return Response(blob, media_type=XLSX_TYPE, headers=_download_headers(f"{year}年度数据.xlsx"))

    async def batch(request: Request) -> Response:
        from ..check.summary import build_summary, summary_xlsx

        async with _form(request, settings) as form:
            uploads = _files(form, "drafts")
            if not uploads:
                return problem(request, 400, "请选择要汇总的报告稿，或一个包含报告稿的 .zip 压缩包")
            if bad := _wrong_kind(uploads, (*DRAFT_SUFFIXES, ".zip")):
                return problem(request, 400, f"“{bad}”不是报告稿或 .zip 压缩包：应为 "
                                             f"{'、'.join((*DRAFT_SUFFIXES, '.zip'))} 之一")
            nlp = settings.nlp and not form.get("no_nlp")
            with _request_folder() as folder:
                saved: list[Saved] = []
                try:
                    for u in uploads:
                        s = await save_upload(u, folder / "uploads", len(saved) + 10_000)
                        if s.suffix == ".zip":
                            left = settings.max_upload_files - len(saved)
                            saved += await _threaded(extract_zip, s, folder / "zip", len(saved), DRAFT_SUFFIXES,
                                                     max(left, 0))
                        else:
                            saved.append(s)
                        if len(saved) > settings.max_upload_files:
                            raise UploadError(413, "上传的报告稿过多：" + exceeded(
                                "MAX_UPLOAD_FILES", settings.max_upload_files, len(saved)))
                except UploadError as e:
                    return problem(request, e.status, e.message)
                if not saved:
                    return problem(request, 400, f"压缩包中没有报告稿（{'、'.join(DRAFT_SUFFIXES)}）")
                views = await _threaded(review, saved, store, None, None, nlp)
        summary = build_summary([v.outcome for v in views])
        blob = await _threaded(summary_xlsx, summary, [v.outcome for v in views])
        xlsx_id = store.put(blob, "审核汇总.xlsx", XLSX_TYPE)
        return render(request, "batch.html", summary=summary, rows=list(zip(summary.rows, views)), xlsx_id=xlsx_id)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = str(exc.detail or "")
        if "Too many files" in detail:  # Starlette's form parser stops counting a few past our own bound
            return problem(request, 413, "上传的报告稿过多：" + exceeded("MAX_UPLOAD_FILES", settings.max_upload_files))
        messages = {404: "没有这个页面。", 405: "不支持这种请求方式，请从首页的表单提交。",
                    400: f"上传的表单无法解析（{detail[:200]}），请从首页的表单重新提交。"}
        return problem(request, exc.status_code, messages.get(exc.status_code, f"请求有误：{detail[:200]}"))

    routes = [
        Route("/", index), Route("/check", check, methods=["POST"]), Route("/draft", draft, methods=["POST"]),
        Route("/template", template), Route("/batch", batch, methods=["POST"]),
        Route("/result/{id}", result), Route("/download/{id}", download),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(BodyLimit, max_bytes=settings.max_upload_bytes, page=error_page)]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error})
    app.state.store, app.state.settings = store, settings
    return app


# ---------------------------------------------------------------- helpers


class SecurityHeaders:
    """No script, nothing from elsewhere, no sniffing, no caching of reports: a local page for confidential drafts."""

    HEADERS = [(b"content-security-policy",
                b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
               (b"cache-control", b"no-store"), (b"x-frame-options", b"DENY")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def add_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, add_headers if scope["type"] == "http" else send)


def _form(request: Request, settings: Settings):
    """The multipart form; Starlette spools each file to an anonymous temporary file and closes them after."""
    return request.form(max_files=settings.max_upload_files + 5, max_fields=50)


def form_value(form, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _files(form, name: str) -> list:
    return [u for u in form.getlist(name) if not isinstance(u, str) and u.filename]


def _one_file(form, name: str):
    files = _files(form, name)
    return files[0] if files else None


def _wrong_kind(uploads: list, suffixes: tuple[str, ...]) -> str | None:
    from .uploads import display_name

    for u in uploads:
        name = display_name(u.filename)
        if Path(name).suffix.lower() not in suffixes:
            return name
    return None


class _request_folder:
    """A temporary folder for one request, removed with everything in it when the answer is ready."""

    def __enter__(self) -> Path:
        self.path = Path(tempfile.mkdtemp(prefix="report-writer-serve-"))
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


async def _threaded(fn, *args):
    return await anyio.to_thread.run_sync(partial(fn, *args))


def _load_data(saved: Saved):
    from ..data.loader import load

    return load(saved.path).data


def _draft(data: Saved, style: Saved | None, seed: int, folder: Path):
    """(DraftResult, bytes, preview blocks), a DataFileError, or a Chinese message for a bad style file."""
    from ..draft.api import OutputError, draft_report
    from ..draft.render_style import StyleError

    out = folder / "out" / "初稿.docx"
    try:
        result = draft_report(data.path, out, seed=seed, style_path=style.path if style else None)
    except DataFileError as e:
        return e
    except (OutputError, StyleError) as e:
        return str(e)
    if not result.ok:
        return result, b"", []
    return result, out.read_bytes(), _preview(out)


def _preview(path: Path) -> list[BlockView]:
    """The drafted .docx read back with the checker's own reader: what the preview shows is what was written."""
    from ..read import read_document

    doc = read_document(path)
    after: dict[int, list] = {}
    for t in doc.tables:
        after.setdefault(t.after_paragraph, []).append(t)
    blocks = [_table_block(t) for t in after.get(-1, [])]
    for p in doc.paragraphs:
        kind = {"title": "title", "heading": "heading"}.get(p.style or "", "paragraph")
        blocks.append(BlockView(kind=kind, text=p.text))
        blocks += [_table_block(t) for t in after.get(p.index, [])]
    return blocks


def _table_block(table) -> BlockView:
    rows: list[list[tuple[str, int, int]]] = [[] for _ in range(table.n_rows)]
    for c in table.cells:
        rows[c.row].append((c.text, c.rowspan, c.colspan))
    return BlockView(kind="table", rows=rows)


def _blank_workbook(fmt, year: int) -> bytes:
    from ..data.xlsx import workbook_bytes, write_workbook

    return workbook_bytes(write_workbook(None, fmt, year))


def _clean(text: str, names: dict[str, str]) -> str:
    for path, name in names.items():
        text = text.replace(path, name)
    return text


def _finding_views(findings: list[Finding], names: dict[str, str]) -> list[dict]:
    out = []
    for f in findings:
        loc = f.location.model_copy(update={"file": _clean(f.location.file, names) if f.location.file else None})
        out.append({"level": f.level, "level_zh": LEVEL_ZH[f.level], "rule": f.rule, "message": _clean(f.message, names),
                    "expected": f.expected, "found": f.found, "place": loc.short()})
    return out


def _download_headers(filename: str) -> dict[str, str]:
    suffix = Path(filename).suffix
    stem = "".join(c for c in Path(filename).stem if c.isascii() and (c.isalnum() or c in "-_")).strip("-_")
    fallback = f"{stem or 'download'}{suffix}"
    return {"content-disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"}

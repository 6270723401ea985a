"""`report-writer serve` over HTTP: every route, and each refusal (size, count, kind, id, zip traversal).

The routes are driven with Starlette's TestClient; the body bound is also driven at the ASGI
level (to see that nothing is read past it) and against the real server on a socket.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette 1.x would rather see httpx2; httpx is what it works with here
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from report_writer.web.app import Settings, create_app  # noqa: E402
from report_writer.web.store import Store  # noqa: E402
from report_writer.web.uploads import BodyLimit  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "examples" / "drafts"
EXAMPLES = ROOT / "examples"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(response) -> str:
    """The visible text of a page (tags dropped, spaces squeezed)."""
    body = response.text.split("</style>")[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _upload(name: str, folder: Path = DRAFTS, as_name: str | None = None):
    return (as_name or name, (folder / name).read_bytes(), "application/octet-stream")


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the request folders go here, to be counted
    app = create_app(Settings(nlp=False, max_upload_bytes=8 * 1024 * 1024, max_upload_files=20))
    with TestClient(app) as c:
        yield c


def _leftovers(tmp_path: Path) -> list[str]:
    return [p.name for p in tmp_path.iterdir() if p.name.startswith("report-writer-serve-")]


# ---------------------------------------------------------------- the page


def test_index_has_the_three_forms_and_nothing_from_elsewhere(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    forms = re.findall(r"<form[^>]*>", html)
    check = next(f for f in forms if "check" in f)
    assert 'enctype="multipart/form-data"' in check and 'method="post"' in check
    assert re.search(r'<input[^>]*type="file"[^>]*name="drafts"[^>]*multiple', html)
    assert any("draft" in f and "multipart" in f for f in forms)
    assert any("batch" in f for f in forms) and any("template" in f for f in forms)
    for word in ("审核", "起草", "批量汇总", "空白"):
        assert word in html
    assert "<script" not in html and "<link" not in html and not re.search(r'(src|href)="(https?:)?//', html)
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_no_directory_listing_and_unknown_pages_are_404(client):
    for path in ("/download/", "/result/", "/templates/", "/static/", "/../etc/passwd", "/nothing"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "没有这个页面" in _text(r)
    for path in ("/check", "/draft", "/batch"):
        r = client.get(path)
        assert r.status_code == 405 and "请从首页的表单提交" in _text(r)


def test_markup_in_a_draft_is_shown_as_text(client):
    draft = (DRAFTS / "clean.txt").read_text(encoding="utf-8").replace(
        "2023年1月1日至12月31日", "2022年1月1日至12月31日<img src=x onerror=alert(1)>", 1)
    r = client.post("/check", files=[("drafts", ("<b>稿</b>.txt", draft.encode("utf-8"), "text/plain"))])
    assert r.status_code == 200 and "PERIOD" in _text(r)
    assert "<img" not in r.text and "&lt;img src=x" in r.text and "<b>" not in r.text


# ---------------------------------------------------------------- 审核


def test_check_shows_the_finding_with_its_cell_and_offers_the_annotated_copy_and_json(client, tmp_path):
    r = client.post("/check", files=[("drafts", _upload("defect-t3-sum.docx"))])
    assert r.status_code == 200
    page = _text(r)
    assert "三、收到和处理政府信息公开申请情况" in page  # the group heading of the section
    assert "错误 SUM-CELL" in page and "应为：21 实为：22" in page
    assert re.search(r"<blockquote>[^<]*（一）予以公开[^<]*<mark>22</mark>", r.text)  # the quoted cell
    annotated = re.search(r'href="/download/([\w-]+)">下载批注稿', r.text).group(1)
    d = client.get(f"/download/{annotated}")
    assert d.status_code == 200 and d.headers["content-type"] == DOCX
    assert "filename*=UTF-8''defect-t3-sum-" in d.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(d.content)) as zf:
        comments = zf.read("word/comments.xml").decode("utf-8")
    assert "SUM-CELL" in comments
    json_id = re.search(r'href="/download/([\w-]+)">下载全部审核结果', r.text).group(1)
    data = json.loads(client.get(f"/download/{json_id}").content)
    assert data["files"][0]["file"] == "defect-t3-sum.docx"
    assert [f["rule"] for f in data["files"][0]["findings"]] == ["SUM-CELL"]
    assert "report-writer-serve-" not in r.text and "report-writer-serve-" not in json.dumps(data)
    assert _leftovers(tmp_path) == []  # the request's folder is gone


def test_check_quotes_the_sentence_of_a_narrative_finding(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with TestClient(create_app(Settings())) as c:  # with the narrative pass
        r = c.post("/check", files=[("drafts", _upload("defect-period.docx"))])
    assert r.status_code == 200
    assert "PERIOD" in _text(r)
    quote = re.search(r"<blockquote>(.*?)</blockquote>", r.text, re.S)
    assert quote and "<mark>" in quote.group(1) and "统计期限" in quote.group(1)


def test_check_several_drafts_and_a_clean_one_says_so(client):
    r = client.post("/check", files=[("drafts", _upload("clean.docx")), ("drafts", _upload("clean.html")),
                                     ("drafts", _upload("defect-notice.docx"))])
    assert r.status_code == 200
    page = _text(r)
    assert "3 份报告稿" in page and page.count("未发现问题") == 2 and "NOTICE-NUMBER" in page
    assert r.text.count("下载批注稿") == 2  # .docx only; the web page gets none and no complaint
    assert "未生成批注稿" not in page


def test_check_against_a_data_file(client):
    r = client.post("/check", files=[("drafts", _upload("defect-data-cell.docx")),
                                     ("data", _upload("yunling-zrzy-2023.yaml", EXAMPLES))])
    assert r.status_code == 200
    assert "DATA-CELL" in _text(r) and "yunling-zrzy-2023.yaml" in _text(r)


def test_check_with_an_unreadable_data_file_names_it(client):
    r = client.post("/check", files=[("drafts", _upload("clean.docx")),
                                     ("data", ("数据.yaml", "meta: [1, 2\n".encode(), "text/yaml"))])
    assert r.status_code == 422
    page = _text(r)
    assert "数据文件“数据.yaml”无法读取" in page and "report-writer-serve-" not in r.text


def test_check_with_last_years_report(client):
    r = client.post("/check", files=[("drafts", _upload("clean.docx")), ("previous", _upload("clean.docx"))])
    assert r.status_code == 200
    page = _text(r)
    assert "已与上年度报告“clean.docx”作同比比对" in page
    assert "YOY-PAIR" in page  # the same year twice: said plainly, nothing compared


def test_check_a_pdf_draft(client):
    r = client.post("/check", files=[("drafts", ("报告.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"))])
    assert r.status_code == 200
    assert "报告.pdf" in _text(r) and "无法读取" in _text(r)  # a broken PDF: refused with a message


def test_check_a_pdf_draft_gives_an_annotated_pdf(client):
    from .pdf_layout import docx_to_pdf

    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        pdf = docx_to_pdf(DRAFTS / "defect-t3-sum.docx", Path(tmp) / "d.pdf")
        r = client.post("/check", files=[("drafts", ("报告.pdf", pdf.read_bytes(), "application/pdf"))])
    assert r.status_code == 200 and "SUM-CELL" in _text(r)
    link = re.search(r'href="/download/([\w-]+)">下载批注稿', r.text).group(1)
    got = client.get(f"/download/{link}")
    assert "下载批注稿（PDF）" in r.text
    assert got.status_code == 200 and got.content.startswith(b"%PDF") and got.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("files, message", [
    ([("drafts", ("程序.exe", b"MZ", "application/octet-stream"))], "“程序.exe”不是可审核的报告稿"),
    ([("drafts", ("", b"", "application/octet-stream"))], "请选择至少一份报告稿"),
    ([("drafts", ("a.docx", b"x", "x")), ("data", ("数据.csv", b"a,b", "text/csv"))], "“数据.csv”不是数据文件"),
])
def test_check_refuses_wrong_kinds(client, files, message):
    r = client.post("/check", files=files)
    assert r.status_code == 400 and message in _text(r)


@pytest.mark.parametrize("n", [21, 60])  # over our bound, and past where Starlette's parser stops counting
def test_check_refuses_too_many_files(client, n):
    files = [("drafts", (f"{i}.txt", b"x", "text/plain")) for i in range(n)]
    r = client.post("/check", files=files)
    assert r.status_code == 413 and "MAX_UPLOAD_FILES" in _text(r)


# ---------------------------------------------------------------- downloads by id


def test_unknown_and_expired_ids_are_404():
    now = [0.0]
    store = Store(ttl_seconds=60, clock=lambda: now[0])
    key = store.put(b"abc", "a.json", "application/json")
    with TestClient(create_app(Settings(nlp=False), store)) as c:
        assert c.get(f"/download/{key}").content == b"abc"
        for path in ("/download/nope", "/result/nope", f"/result/{key}", "/download/..%2f..%2fetc%2fpasswd"):
            assert c.get(path).status_code == 404, path
        now[0] = 61
        r = c.get(f"/download/{key}")
    assert r.status_code == 404 and "已过期" in _text(r)


def test_store_evicts_oldest_past_its_byte_budget():
    store = Store(max_bytes=10)
    a, b = store.put(b"123456"), store.put(b"7890ab")
    assert store.get(a) is None and store.get(b).value == b"7890ab"
    assert len(a) >= 20 and a != b  # random, unguessable ids


# ---------------------------------------------------------------- the body bound


def _run_asgi(app, scope, receive):
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def test_declared_oversized_body_is_refused_before_a_byte_is_read():
    called = []

    async def inner(scope, receive, send):  # pragma: no cover - must not run
        called.append(scope)

    async def receive():  # pragma: no cover - must not be called
        raise AssertionError("body read")

    limit = BodyLimit(inner, max_bytes=1000, page=lambda m: m.encode("utf-8"))
    scope = {"type": "http", "method": "POST", "path": "/check", "headers": [(b"content-length", b"10000000000")]}
    sent = _run_asgi(limit, scope, receive)
    assert sent[0]["status"] == 413 and not called
    assert "MAX_UPLOAD_BYTES" in sent[1]["body"].decode("utf-8")


def test_streamed_body_is_cut_off_where_it_passes_the_bound():
    reads = []

    async def inner(scope, receive, send):
        while (await receive()).get("more_body"):
            pass

    async def receive():
        reads.append(1)
        return {"type": "http.request", "body": b"x" * 400, "more_body": len(reads) < 10_000}

    limit = BodyLimit(inner, max_bytes=1000, page=lambda m: m.encode("utf-8"))
    sent = _run_asgi(limit, {"type": "http", "method": "POST", "path": "/batch", "headers": []}, receive)
    assert sent[0]["status"] == 413 and len(reads) == 3


def test_oversized_upload_through_the_app_is_413(client):
    r = client.post("/batch", files=[("drafts", ("big.txt", b"x" * (9 * 1024 * 1024), "text/plain"))])
    assert r.status_code == 413 and "上传内容过大" in _text(r)


# ---------------------------------------------------------------- 起草


def test_draft_preview_shows_the_paragraphs_and_tables_and_offers_the_docx(client):
    r = client.post("/draft", files={"data": _upload("jinzhai-2020.yaml", EXAMPLES)},
                    data={"seed": "0", "mode": "preview"})
    assert r.status_code == 200
    page = _text(r)
    assert "金寨县人民政府 2020年政府信息公开工作年度报告" in page and "一、总体情况" in page
    assert "<table" in r.text.split("</style>")[-1]
    key = re.search(r'href="/download/([\w-]+)">下载初稿', r.text).group(1)
    d = client.get(f"/download/{key}")
    assert d.headers["content-type"] == DOCX and d.content[:2] == b"PK"
    direct = client.post("/draft", files={"data": _upload("jinzhai-2020.yaml", EXAMPLES)},
                         data={"seed": "0", "mode": "docx"})
    assert direct.headers["content-type"] == DOCX and "attachment" in direct.headers["content-disposition"]
    assert direct.content == d.content  # same data, same seed: the same file


def test_draft_seed_changes_the_wording(client):
    texts = [_text(client.post("/draft", files={"data": _upload("jinzhai-2020.yaml", EXAMPLES)},
                               data={"seed": s})) for s in ("0", "7")]
    assert texts[0] != texts[1]


def test_draft_refuses_data_with_errors_and_lists_them(client, example_raw):
    raw = example_raw("jinzhai-2020.yaml")
    import yaml

    raw["table3"]["r3_1"] = [17, 0, 0, 0, 0, 0, 16]  # the row no longer adds up
    bad = yaml.safe_dump(raw, allow_unicode=True).encode("utf-8")
    r = client.post("/draft", files={"data": ("坏数据.yaml", bad, "text/yaml")})
    assert r.status_code == 422
    page = _text(r)
    assert "未生成初稿" in page and "错误" in page and "report-writer-serve-" not in r.text


@pytest.mark.parametrize("files, data, message", [
    ({"data": ("数据.docx", b"PK", "x")}, {}, "不是数据文件"),
    ({}, {}, "请选择数据文件"),
    ({"data": ("d.yaml", b"meta: {}", "x")}, {"seed": "abc"}, "措辞种子应为整数"),
    ({"data": ("d.yaml", b"meta: {}", "x"), "style": ("s.txt", b"x", "x")}, {}, "版式文件"),
])
def test_draft_refusals(client, files, data, message):
    r = client.post("/draft", files=files or {"x": ("", b"", "x")}, data=data)
    assert r.status_code == 400 and message in _text(r)


def test_blank_template_for_a_year(client):
    from openpyxl import load_workbook

    r = client.get("/template?year=2024")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert {"表二", "表三", "表四"} <= set(wb.sheetnames)
    for bad in ("2017", "abc", ""):
        assert client.get(f"/template?year={bad}").status_code == 400


# ---------------------------------------------------------------- 批量汇总


class _GbkName(zipfile.ZipInfo):
    """A member named the way Chinese Windows' built-in zip names it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def _zip(members: dict[str, bytes], utf8: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name) if utf8 else _GbkName(name), data)
    return buf.getvalue()


def test_batch_table_links_each_report_and_exports_xlsx(client, tmp_path):
    from openpyxl import load_workbook

    archive = _zip({"县直/clean.docx": (DRAFTS / "clean.docx").read_bytes(),
                    "县直/defect-t3-sum.docx": (DRAFTS / "defect-t3-sum.docx").read_bytes(),
                    "__MACOSX/._clean.docx": b"junk", "说明.xls": b"not a draft"})
    r = client.post("/batch", files=[("drafts", ("各单位.zip", archive, "application/zip")),
                                     ("drafts", _upload("defect-notice.docx"))])
    assert r.status_code == 200
    page = _text(r)
    assert "3 份报告稿" in page and "未通过 2 份" in page
    assert "各单位.zip/县直/defect-t3-sum.docx 云岭市自然资源和规划局 2023 未通过 1 0 0" in page
    assert "SUM-CELL" in page and "NOTICE-NUMBER" in page
    links = re.findall(r'href="/result/([\w-]+)"', r.text)
    assert len(links) == 3
    one = client.get(f"/result/{links[1]}")
    assert one.status_code == 200 and "SUM-CELL" in _text(one) and "下载批注稿" in one.text
    key = re.search(r'href="/download/([\w-]+)">导出汇总表', r.text).group(1)
    wb = load_workbook(io.BytesIO(client.get(f"/download/{key}").content))
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert rows[0][:5] == ("文件", "机关", "年度", "表格格式", "结果")
    assert [row[0] for row in rows[1:4]] == ["各单位.zip/县直/clean.docx", "各单位.zip/县直/defect-t3-sum.docx",
                                             "defect-notice.docx"]
    assert rows[2][rows[0].index("SUM-CELL")] == 1 and rows[2][4] == "未通过"
    assert any(row[2] == "SUM-CELL" for row in wb["问题明细"].iter_rows(values_only=True))
    assert _leftovers(tmp_path) == []


def test_batch_reads_gbk_names_of_a_windows_zip(client):
    archive = _zip({"金寨县.txt": (DRAFTS / "clean.txt").read_bytes()}, utf8=False)
    r = client.post("/batch", files=[("drafts", ("报告.zip", archive, "application/zip"))])
    assert r.status_code == 200 and "报告.zip/金寨县.txt" in _text(r)


@pytest.mark.parametrize("name", ["../../etc/cron.d/x.docx", "/etc/x.docx", "C:/Windows/x.docx", "a/../../x.docx",
                                  "..\\..\\x.docx"])
def test_batch_refuses_a_zip_that_climbs_out(client, tmp_path, name):
    r = client.post("/batch", files=[("drafts", ("evil.zip", _zip({"ok.docx": b"x", name: b"x"}), "x"))])
    assert r.status_code == 400 and "指向压缩包以外的位置" in _text(r)
    assert not (tmp_path.parent / "x.docx").exists() and not Path("/etc/x.docx").exists()
    assert _leftovers(tmp_path) == []


def test_batch_refuses_zips_with_too_many_drafts_or_that_are_broken(client):
    many = _zip({f"{i}.txt": b"x" for i in range(21)})
    r = client.post("/batch", files=[("drafts", ("many.zip", many, "x"))])
    assert r.status_code == 413 and "MAX_UPLOAD_FILES" in _text(r)
    r = client.post("/batch", files=[("drafts", ("broken.zip", b"PK\x03\x04 not really", "x"))])
    assert r.status_code == 400 and "不是有效的 .zip" in _text(r)
    r = client.post("/batch", files=[("drafts", ("empty.zip", _zip({"readme.xls": b"x"}), "x"))])
    assert r.status_code == 400 and "没有报告稿" in _text(r)
    r = client.post("/batch", files=[("drafts", ("a.rar", b"Rar!", "x"))])
    assert r.status_code == 400 and "不是报告稿或 .zip" in _text(r)


def test_batch_refuses_a_zip_bomb_from_its_directory(client, monkeypatch):
    monkeypatch.setenv("REPORT_WRITER_MAX_ZIP_BYTES", "1000")
    r = client.post("/batch", files=[("drafts", ("bomb.zip", _zip({"a.txt": b"0" * 5000}), "x"))])
    assert r.status_code == 400 and "MAX_ZIP_BYTES" in _text(r)


# ---------------------------------------------------------------- the command


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_help_does_not_import_the_web_stack():
    code = ("import sys; from report_writer.cli.main import main; "
            "sys.exit(1 if any(m.split('.')[0] in ('starlette', 'uvicorn') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], env=_env()).returncode == 0


def test_serve_prints_its_address_binds_localhost_and_refuses_a_huge_body_at_once():
    proc = subprocess.Popen([sys.executable, "-m", "report_writer.cli.main", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, line + proc.stderr.read() if proc.poll() is not None else line
        port = int(m.group(1))
        import httpx

        assert "审核" in httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                      b"Content-Length: 10000000000\r\n\r\n" + b"x" * 65536)
            start = time.monotonic()
            head = s.recv(200)
        assert head.startswith(b"HTTP/1.1 413") and time.monotonic() - start < 5
        busy = subprocess.run([sys.executable, "-m", "report_writer.cli.main", "serve", "--port", str(port)],
                              capture_output=True, text=True, env=_env(), timeout=60)
        assert busy.returncode == 2 and "已被占用" in busy.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=20)

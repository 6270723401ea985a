"""End to end in a real browser: Debian's chromium driven by Playwright against `report-writer serve`.

A reviewer uploads a defective draft, sees its finding, downloads the annotated copy; a clerk
drafts from the example data. Playwright's own browser download is not reachable here, so the
test uses /usr/bin/chromium (`.ci/run` installs it) and skips, saying why, only where it or
Playwright is absent. Set REPORT_WRITER_SCREENSHOT=docs/serve-review.png to refresh the
screenshot of the review page in the docs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("REPORT_WRITER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(sync_playwright is None, reason="Playwright for Python 未安装（pip install -e \".[test]\"）"),
    pytest.mark.skipif(not (Path(CHROMIUM).is_file() or shutil.which("chromium")),
                       reason=f"浏览器 {CHROMIUM} 不在本机（Debian 上 apt-get install chromium；.ci/run 会安装）"),
]


@pytest.fixture
def server():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "report_writer.cli.main", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if not m:
            proc.kill()
            pytest.fail(f"serve did not start: {line!r} {proc.stderr.read()}")
        yield m.group(0)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_review_and_draft_in_a_browser(server, tmp_path):
    executable = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900}, accept_downloads=True)
            page.set_default_timeout(120_000)  # the first check loads the Chinese word segmenter
            page.goto(server)
            expect(page.locator("h2", has_text="审核")).to_be_visible()

            # 审核: a defective draft; its finding, with the quoted cell; the annotated copy.
            page.set_input_files("#check-drafts", str(ROOT / "examples/drafts/defect-t3-sum.docx"))
            page.click("#check button[type=submit]")
            finding = page.locator(".finding.error", has_text="SUM-CELL")
            expect(finding).to_be_visible()
            expect(finding).to_contain_text("应为：21")
            expect(finding.locator("mark")).to_have_text("22")
            expect(page.locator("h3", has_text="三、收到和处理政府信息公开申请情况")).to_be_visible()
            shot = os.environ.get("REPORT_WRITER_SCREENSHOT")
            page.screenshot(path=shot or str(tmp_path / "review.png"), full_page=True)
            with page.expect_download() as info:
                page.click("text=下载批注稿")
            annotated = tmp_path / "annotated.docx"
            info.value.save_as(annotated)
            assert info.value.suggested_filename == "defect-t3-sum-批注.docx"
            with zipfile.ZipFile(annotated) as zf:
                assert "SUM-CELL" in zf.read("word/comments.xml").decode("utf-8")

            # 起草: the example data, previewed, then the .docx downloaded.
            page.goto(server)
            page.set_input_files("#draft-data", str(ROOT / "examples/jinzhai-2020.yaml"))
            page.fill("#draft-seed", "2")
            page.click("#draft form[action='/draft'] button[type=submit]")
            expect(page.locator("h1")).to_contain_text("金寨县人民政府 2020年度")
            expect(page.locator(".preview .title")).to_contain_text("2020年政府信息公开工作年度报告")
            expect(page.locator(".preview table.grid").first).to_be_visible()
            with page.expect_download() as info:
                page.click("text=下载初稿")
            drafted = tmp_path / "draft.docx"
            info.value.save_as(drafted)
            from report_writer.read import read_document

            text = read_document(drafted).text
            assert "金寨县人民政府" in text and "一、总体情况" in text
        finally:
            browser.close()

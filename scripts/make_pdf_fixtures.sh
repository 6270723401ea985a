#!/usr/bin/env bash
# Rebuild the committed PDF fixtures (tests/fixtures/pdf/) from the example drafts with LibreOffice.
#
#   scripts/make_pdf_fixtures.sh
#
# These PDFs are what a clerk's "export as PDF" gives: embedded CJK fonts, table borders drawn as
# strokes, rows broken across pages. CI does not need LibreOffice: it uses the committed files.
# Needs `soffice` (apt-get install libreoffice-writer-nogui fonts-wqy-zenhei) and python-docx (the
# project's .venv, or PYTHON=...); exits 3 without soffice.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1; then
  echo "未找到 soffice：请安装 LibreOffice（如 apt-get install libreoffice-writer-nogui fonts-wqy-zenhei）" >&2
  exit 3
fi
out="tests/fixtures/pdf"
mkdir -p "$out"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
py="${PYTHON:-.venv/bin/python}"
[ -x "$py" ] || py=python3
convert() {  # convert DOCX: LibreOffice's "export as PDF" into $out
  soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to pdf --outdir "$out" "$1" >/dev/null 2>&1
  name="$(basename "${1%.docx}")"
  test -s "$out/$name.pdf" || { echo "转换失败：$1" >&2; exit 1; }
  echo "$out/$name.pdf"
}
# ruled: the drafts as they are
for name in clean defect-t3-sum defect-empty-cell defect-2019-tables; do
  convert "examples/drafts/$name.docx"
done
# unruled: the same tables without borders (text at positions only, labels wrapped line by line)
tmp="$profile/noborder"
mkdir -p "$tmp"
for name in clean defect-t3-sum defect-2019-tables; do
  "$py" scripts/borderless_docx.py "examples/drafts/$name.docx" "$tmp/$name-noborder.docx"
  convert "$tmp/$name-noborder.docx"
done
# a 表二 broken by the page exactly before a block's caption row (第二十条第（六）项)
"$py" -m report_writer.cli.main draft examples/yunling-zrzy-2023.yaml -o "$profile/yunling-seed3-break-in-table2.docx" --seed 3 >/dev/null
convert "$profile/yunling-seed3-break-in-table2.docx"

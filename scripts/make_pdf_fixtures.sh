#!/usr/bin/env bash
# Rebuild the committed PDF fixtures (tests/fixtures/pdf/) from the example drafts with LibreOffice.
#
#   scripts/make_pdf_fixtures.sh
#
# These PDFs are what a clerk's "export as PDF" gives: embedded CJK fonts, table borders drawn as
# strokes, rows broken across pages. CI does not need LibreOffice: it uses the committed files.
# Needs `soffice` (apt-get install libreoffice-writer-nogui fonts-wqy-zenhei); exits 3 without it.
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
for name in clean defect-t3-sum defect-empty-cell defect-2019-tables; do
  soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to pdf --outdir "$out" "examples/drafts/$name.docx" >/dev/null 2>&1
  test -s "$out/$name.pdf" || { echo "转换失败：$name.docx" >&2; exit 1; }
  echo "$out/$name.pdf"
done

#!/usr/bin/env bash
# Convert Word drafts to PDF with LibreOffice (headless) and each page to PNG, for a visual check.
#
#   scripts/pdf_check.sh [-d OUTDIR] [-r DPI] FILE.docx [FILE.docx ...]
#
# Writes OUTDIR/NAME.pdf and OUTDIR/NAME-N.png (N = page), prints the page count of each file.
# Needs `soffice` (LibreOffice) and `pdftoppm` (poppler-utils); exits 3 when either is missing.
set -euo pipefail

outdir="out/pdf"
dpi=80
while getopts "d:r:" opt; do
  case "$opt" in
    d) outdir="$OPTARG" ;;
    r) dpi="$OPTARG" ;;
    *) echo "用法：$0 [-d 输出目录] [-r 分辨率] 文件.docx ..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ "$#" -eq 0 ]; then
  echo "用法：$0 [-d 输出目录] [-r 分辨率] 文件.docx ..." >&2
  exit 2
fi
for tool in soffice pdftoppm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "未找到 $tool：请安装 LibreOffice 和 poppler-utils（如 apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk）" >&2
    exit 3
  fi
done

mkdir -p "$outdir"
# A private LibreOffice profile: no clash with a running office, no state left in $HOME.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

for docx in "$@"; do
  if [ ! -f "$docx" ]; then
    echo "找不到文件：$docx" >&2
    exit 2
  fi
  name="$(basename "${docx%.*}")"
  soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to pdf --outdir "$outdir" "$docx" >/dev/null 2>&1
  pdf="$outdir/$name.pdf"
  if [ ! -s "$pdf" ]; then
    echo "转换失败：$docx" >&2
    exit 1
  fi
  rm -f "$outdir/$name"-*.png
  pdftoppm -r "$dpi" -png "$pdf" "$outdir/$name"
  pages="$(ls "$outdir/$name"-*.png | wc -l)"
  echo "$pdf：$pages 页"
done

#!/usr/bin/env bash
# Set up (if needed) and run the main job on the bundled example: draft the Word report.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
mkdir -p out
.venv/bin/report-writer draft examples/jinzhai-2020.yaml -o out/jinzhai-2020.docx

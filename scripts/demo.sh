#!/usr/bin/env bash
# Set up (if needed) and run the main job on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/report-writer validate examples/jinzhai-2020.yaml

#!/usr/bin/env bash
# Benchmarks (benchmarks/README.md): set up .venv, install the bench extra (docxtpl), run.
#   ./scripts/bench.sh            full run (about 6–8 minutes on 2 cores)
#   ./scripts/bench.sh --quick    smaller run (about 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
.venv/bin/python -m pip install --quiet -e ".[test,bench]"
exec .venv/bin/python benchmarks/run.py "$@"

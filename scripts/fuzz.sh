#!/usr/bin/env bash
# The long fuzz target (issue 8): every reader, loader, the phrase-bank sandbox and the commands,
# >= 10,000 hypothesis cases in all (the `slow` tests of tests/fuzz/). A case fails on any exception
# other than the tool's own error, on a hang (FUZZ_CASE_SECONDS, default 60 s per case) and, through
# the address-space cap below, on unbounded memory.
#
#   ./scripts/fuzz.sh                    # the full run (about 10-15 minutes on 2 cores)
#   FUZZ_SCALE=0.1 ./scripts/fuzz.sh     # a tenth of the cases
#   ./scripts/fuzz.sh -k docx            # one target; other arguments go to pytest
#   FUZZ_PYTHON=/path/to/venv/bin/python ./scripts/fuzz.sh   # an existing environment, no setup
#
# The last line gives the figures: cases, failed cases, the slowest case, peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${FUZZ_PYTHON:-}" ]; then
  ./scripts/setup.sh
  FUZZ_PYTHON=.venv/bin/python
else
  export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
fi
ulimit -v "${FUZZ_MEMORY_KB:-6000000}" 2>/dev/null || true   # 6 GB of address space per run
exec "$FUZZ_PYTHON" -m pytest tests/fuzz -m slow -p no:cacheprovider --hypothesis-show-statistics "$@"

#!/usr/bin/env bash
# Set up claimlab in a virtualenv at .venv (idempotent). torch==2.13.0 goes in first so pip never
# pulls a CUDA build on CPU machines; pyproject only declares a range, so GPU users keep theirs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
# On these machines the CPU wheel lies in /opt/wheels; elsewhere pip takes torch from the index.
links=""
[ -d /opt/wheels ] && links="--find-links /opt/wheels"
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  .venv/bin/python -m pip install -q $links "torch==${CLAIMLAB_TORCH:-2.13.0}" 2>&1 | grep -v '^WARNING: Location' || true
fi
extra=""
[ "${1:-}" = "--dev" ] && extra="[dev]"
.venv/bin/python -m pip install -q -e ".${extra}" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import claimlab, synth, replicate, reports, torch; print('claimlab ready; torch', torch.__version__)"

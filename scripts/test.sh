#!/usr/bin/env bash
# The whole test suite, from a fresh machine: virtual environment, packages, Docker engine + base image,
# Allure/Chromium tooling, then pytest (fast tier and container tier together; nothing is skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/engine-up.sh
for extra in scripts/allure-install.sh scripts/browser-install.sh; do
  if [ -f "$extra" ]; then bash "$extra"; fi
done
export SANDBOX_REQUIRE_DOCKER=1  # container tests must run here, never skip
.venv/bin/ruff check harness tests products benchmarks
.venv/bin/mypy
exec .venv/bin/pytest -p no:cacheprovider -q "$@"

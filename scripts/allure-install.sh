#!/usr/bin/env bash
# Install the report tools into the project: the Allure 2 command line and playwright-core from npm
# (tools/node_modules; `sandbox report` uses Allure) and Debian's chromium (tests/test_report*.py open the report).
# Idempotent and quiet when everything is already there. Registries come from the machine's npm/apt config.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
say() { echo "allure-install: $*" >&2; }

if [ ! -x tools/node_modules/.bin/allure ] || [ ! -f tools/node_modules/playwright-core/package.json ]; then
  command -v npm >/dev/null || { say "ERROR: npm (Node 20) is needed to install allure-commandline"; exit 1; }
  say "installing allure-commandline and playwright-core into tools/node_modules"
  (cd tools && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
command -v java >/dev/null || { say "ERROR: Java 17 is needed by the Allure command line"; exit 1; }

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo -n); fi
  say "installing chromium with apt-get"
  opts=(-y -q -o Dpkg::Use-Pty=0)
  if ! "${SUDO[@]}" apt-get install "${opts[@]}" chromium </dev/null >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -q </dev/null >/dev/null
    "${SUDO[@]}" apt-get install "${opts[@]}" chromium </dev/null >/dev/null
  fi
fi

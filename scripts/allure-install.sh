#!/usr/bin/env bash
# Install the report tools into the project: the Allure 2 command line and playwright-core from npm
# (tools/node_modules; `sandbox report` uses Allure, and runs this script when Allure is missing), Debian's chromium
# (prints the summary to PDF; tests/test_report_browser.py opens the report in it) and a CJK font for the citations.
# Idempotent and quiet when everything is already there. Registries come from the machine's npm/apt config.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
say() { echo "allure-install: $*" >&2; }

if [ ! -x tools/node_modules/.bin/allure ] || [ ! -f tools/node_modules/playwright-core/package.json ]; then
  command -v npm >/dev/null || { say "ERROR: npm (Node 20) is needed to install allure-commandline"; exit 1; }
  say "installing allure-commandline and playwright-core into tools/node_modules"
  (cd tools && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  say "installed allure-commandline and playwright-core"
fi
command -v java >/dev/null || { say "ERROR: Java 17 is needed by the Allure command line"; exit 1; }

# chromium opens the reports and prints the summary to PDF; profiles cite Chinese titles, so it needs a CJK font
packages=()
command -v chromium >/dev/null || packages+=(chromium)
if ! command -v fc-list >/dev/null || [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  packages+=(fonts-wqy-zenhei)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo -n); fi
  say "installing ${packages[*]} with apt-get"
  opts=(-y -q -o Dpkg::Use-Pty=0)
  if ! "${SUDO[@]}" apt-get install "${opts[@]}" "${packages[@]}" </dev/null >/dev/null 2>&1; then
    say "updating the apt package lists"
    "${SUDO[@]}" apt-get update -q </dev/null >/dev/null
    "${SUDO[@]}" apt-get install "${opts[@]}" "${packages[@]}" </dev/null >/dev/null
  fi
  say "installed ${packages[*]}"
fi

"""The programs reports need, set up on demand: the Allure command line and a browser that prints PDFs.

``scripts/allure-install.sh`` installs the Allure 2 command line and playwright-core into tools/node_modules
and Debian's chromium; :func:`allure_command` runs it when Allure is missing, with its progress on stderr, so
``sandbox report`` works on a fresh clone. Chromium prints the summary to PDF (``--print-to-pdf``), and
:func:`open_from_disk` opens a report file in it the way a person's browser does (tests, screenshots).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from harness.errors import HarnessError

PROJECT = Path(__file__).resolve().parents[2]
TOOLS = PROJECT / "tools"
INSTALL_SCRIPT = PROJECT / "scripts" / "allure-install.sh"


def progress(message: str) -> None:
    """One line of progress on stderr (stdout keeps the paths a script may read)."""
    print(f"sandbox report: {message}", file=sys.stderr, flush=True)


def _find_allure() -> str | None:
    candidates = [os.environ.get("SANDBOX_ALLURE", ""), str(TOOLS / "node_modules" / ".bin" / "allure"),
                  shutil.which("allure") or ""]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def allure_command(*, install: bool = True) -> str:
    """The Allure command line: $SANDBOX_ALLURE, tools/node_modules/.bin/allure or allure on PATH; when none is
    there, ``scripts/allure-install.sh`` installs it first (its own progress goes to stderr)."""
    found = _find_allure()
    if found or not install:
        if found:
            return found
        raise HarnessError("allure: the Allure command line is not installed (scripts/allure-install.sh sets it up)")
    progress(f"the Allure command line is not installed yet; setting it up with {INSTALL_SCRIPT.name} "
             "(a few minutes on a fresh machine)")
    try:  # its lines are passed on as they come: the progress of a long install
        with subprocess.Popen(["bash", str(INSTALL_SCRIPT)], cwd=PROJECT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace") as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                print(line.rstrip("\n"), file=sys.stderr, flush=True)
            code = proc.wait(timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"allure: {INSTALL_SCRIPT} could not run ({exc})") from None
    found = _find_allure()
    if code != 0 or not found:
        raise HarnessError(f"allure: {INSTALL_SCRIPT} did not install the Allure command line (exit {code}; its "
                           "messages are above)")
    progress("the Allure command line is installed")
    return found


def allure_generate(allure: str, results: Path, out: Path, *, name: str, single_file: bool) -> Path:
    """``allure generate`` into ``out``; its index.html, or HarnessError with Allure's last line."""
    argv = [allure, "generate", str(results), "-o", str(out), "--clean", "--name", name]
    if single_file:
        argv.append("--single-file")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"allure generate could not run ({exc})") from None
    if done.returncode != 0 or not (out / "index.html").is_file():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise HarnessError(f"allure generate failed (exit {done.returncode}): {tail[0]}")
    return out / "index.html"


def chromium_command() -> str | None:
    """$CHROMIUM, or chromium / chromium-browser / google-chrome on PATH."""
    env = os.environ.get("CHROMIUM", "")
    if env and Path(env).is_file():
        return env
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def print_pdf(html: Path, pdf: Path) -> Path | None:
    """Print a local HTML page to PDF with headless chromium (None when there is no browser to print with)."""
    browser = chromium_command()
    if browser is None:
        progress(f"no chromium here, so {pdf.name} is not written (scripts/allure-install.sh installs it)")
        return None
    pdf.unlink(missing_ok=True)
    argv = [browser, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.insert(1, "--no-sandbox")  # chromium refuses to start as root with its sandbox
    try:
        subprocess.run(argv, capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        progress(f"chromium could not print {pdf.name} ({exc})")
        return None
    if not pdf.is_file() or pdf.stat().st_size == 0:
        progress(f"chromium did not print {pdf.name}")
        return None
    return pdf


BROWSER_SCRIPT = Path(__file__).with_name("browser.mjs")


def open_from_disk(report: Path, first_screen: Path, requirement: str = "", shot: Path | None = None
                   ) -> dict[str, Any]:
    """Open a report file from disk in headless chromium as a person's browser would (browser.mjs: no flag that
    loosens file:// access) and return what a reader sees: the browser's command line, the verdict header, the
    overview, the Behaviors tree and, with ``requirement``, that requirement's page; screenshots are saved."""
    argv = ["node", str(BROWSER_SCRIPT), str(report), str(first_screen)]
    if requirement:
        argv += [requirement, str(shot or first_screen.with_name(f"{requirement}.png"))]
    try:
        done = subprocess.run(argv, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(f"browser: could not open {report} ({exc})") from None
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        raise HarnessError(f"browser: could not open {report} (exit {done.returncode}): {tail[0]}")
    return dict(json.loads(done.stdout))

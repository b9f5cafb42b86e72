"""Programmatic entry point: run a certification and get the verdict document (what verdict.json holds).

Used by tests, benchmarks and campaigns. It drives the same pytest plugin as ``sandbox certify``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from harness.errors import HarnessError
from harness.profiles import resolve_profile_path

# The arguments of every certification session. A certification is not a test suite: pytest's assertion
# rewriting (which, through the installed plugins' entry points, re-compiles some 180 modules of hypothesis,
# the harness, anyio, xdist and allure in every fresh process, about 3.5 s, since the in-process runner
# forbids bytecode files) buys nothing, because checks report through findings, never through `assert`.
# xdist and anyio contribute no hook a certification uses (xdist is refused anyway).
SESSION_ARGS = ("-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:xdist", "-p", "no:anyio",
                "--assert=plain", "-c", os.devnull)


def certify(product: str | Path, profile: str, *, runner: str = "inprocess", seed: int | None = None,
            out: str | Path | None = None, only: Sequence[str] = (), allure: bool = False,
            extra_args: Sequence[str] = (), as_of: date | None = None, jobs: int | None = None) -> dict[str, Any]:
    """Certify ``product`` against ``profile``; return the verdict document.

    Without ``out`` the outputs go to a temporary folder that is removed before returning.
    ``only`` restricts the run to some requirement IDs (recorded as ``selection`` in the document; the rest
    are ``not_evaluated`` and the verdict is INCOMPLETE, so a partial run is never mistaken for a full
    certification). ``jobs`` checks the requirements in that many worker processes (in-process: a product per
    requirement; containers: a container per worker; see harness/jobs.py). Bad input raises HarnessError.
    """
    from harness.session import CertificationRun

    profile_path = resolve_profile_path(profile)
    # Input validated before pytest starts, as `sandbox certify` does: bad input raises its own error (the
    # message names the file, the field and the fix), not "did not complete".
    CertificationRun.prepare(profile, str(product), runner, seed, None, as_of)
    out_dir = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="sandbox-run-"))
    args = [
        *SESSION_ARGS, "--rootdir", str(profile_path.resolve().parent.parent),
        f"--sandbox-profile={profile}", f"--sandbox-product={product}", f"--sandbox-runner={runner}",
        f"--sandbox-out={out_dir}", "-W", "ignore::DeprecationWarning",
    ]
    if seed is not None:
        args.append(f"--sandbox-seed={seed}")
    if as_of is not None:
        args.append(f"--sandbox-as-of={as_of.isoformat()}")
    if jobs is not None:
        args.append(f"--sandbox-jobs={jobs}")
    if only:
        args += ["-k", " or ".join(only)]
    if allure:
        args += [f"--alluredir={out_dir / 'allure-results'}", "--clean-alluredir",
                 f"--junitxml={out_dir / 'junit.xml'}"]
    try:
        code = pytest.main([*args, *extra_args])
        verdict = out_dir / "verdict.json"
        if code == pytest.ExitCode.USAGE_ERROR or not verdict.is_file():
            raise HarnessError(f"certification of {product} against {profile} did not complete (pytest exit {code})")
        document: dict[str, Any] = json.loads(verdict.read_text(encoding="utf-8"))
        return document
    finally:
        if out is None:  # nobody asked for the files: only the document is returned
            shutil.rmtree(out_dir, ignore_errors=True)
            out_dir.with_name(out_dir.name + ".tar.gz").unlink(missing_ok=True)  # the bundle's archive, beside it


def statuses(document: dict[str, Any]) -> dict[str, str]:
    """Requirement ID → status, from a verdict document."""
    return {r["id"]: r["status"] for r in document["requirements"]}


def selected(document: dict[str, Any]) -> dict[str, str]:
    """Requirement ID → status for the requirements this run selected (``only``/``-k``); all when complete."""
    chosen = document["selection"]["selected"]
    return {r["id"]: r["status"] for r in document["requirements"] if chosen is None or r["id"] in chosen}

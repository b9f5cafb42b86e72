"""One certification per (product, profile, runner, options) for the whole test session, shared by every test
and every xdist worker that asks for the same run.

Several test files need the same run: the reference product's full Chongqing run is what the credit tests
inspect, what the in-process half of the runner-parity test compares with, and what the certificate test
tries to sign. A run is a pure function of its inputs (the harness asserts exactly that in
tests/test_reproducible.py, which therefore never uses this cache), so running it once is the same test
and a fraction of the work.

The cache lives in the session's shared temporary folder (the parent of every worker's basetemp); the first
worker to ask runs the certification under an exclusive ``flock`` while the others wait for it, so a run is
never made twice and never read half-written. Callers get the verdict document and the run's output folder
(its bundle): they must not change it; a test that changes a bundle copies it first.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pytest

ROOT = Path(__file__).resolve().parent.parent


class SharedRun(Protocol):
    def __call__(self, product: str | Path, profile: str, **options: Any) -> tuple[dict[str, Any], Path]: ...


def shared_folder(factory: pytest.TempPathFactory, worker: str | None) -> Path:
    """The session's folder that every xdist worker sees (a single process: its own basetemp)."""
    base = factory.getbasetemp()
    return (base.parent if worker else base) / "shared-runs"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_key(product: str | Path, profile: str, options: dict[str, Any]) -> str:
    """The cache key: the resolved product folder, the profile as given and every option, by value."""
    where = Path(product) if Path(product).is_absolute() else ROOT / product
    profile_key = str((ROOT / profile).resolve()) if profile.endswith(".yaml") else profile
    text = json.dumps([str(where.resolve()), profile_key, sorted((k, str(v)) for k, v in options.items())])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def restricted(document: dict[str, Any], only: list[str]) -> dict[str, Any]:
    """A complete run's document seen as a run of ``only`` (for ``selected``): a docker run of ``only`` is
    compared with the complete in-process run that another test file inspects anyway, one run less."""
    return {**document, "selection": {**document["selection"], "selected": list(only)}}


def shared_runner(folder: Path, certify: Callable[..., dict[str, Any]]) -> SharedRun:
    def run(product: str | Path, profile: str, **options: Any) -> tuple[dict[str, Any], Path]:
        assert "out" not in options, "a shared run chooses its own output folder"
        key = run_key(product, profile, options)
        out, verdict = folder / key / "run", folder / key / "verdict.json"
        with _locked(folder / f"{key}.lock"):
            if not verdict.is_file():
                doc = certify(product, profile, out=out, **options)
                verdict.write_text(json.dumps(doc), encoding="utf-8")
        document: dict[str, Any] = json.loads(verdict.read_text(encoding="utf-8"))
        return document, out

    return run

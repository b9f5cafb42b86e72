"""verdict.json (the stable interface documented in DESIGN.md), written from its typed model."""

from __future__ import annotations

from pathlib import Path

from harness.documents.verdict import VerdictDocument


def write_verdict(out: Path, document: VerdictDocument) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "verdict.json"
    path.write_text(document.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path

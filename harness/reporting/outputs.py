"""verdict.json (the stable interface documented in DESIGN.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_verdict(out: Path, document: dict[str, Any]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "verdict.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path

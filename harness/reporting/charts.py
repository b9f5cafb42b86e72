"""Charts where people would rather look: simple inline SVG (no scripts), every label escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.documents.verdict import VerdictDocument


def requirement_charts(verdict: VerdictDocument) -> str:
    """Charts of the requirements' statistics (none yet)."""
    return ""

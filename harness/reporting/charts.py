"""Charts where people would rather look: simple inline SVG (no scripts), every label escaped.

* :func:`interval_chart`: a sampled decision (harness/checks/statistics.py ``summary``): each comparison's
  estimate with its one-sided confidence interval and the threshold, red where it decides a failure; for
  AI fairness these are the selection-rate ratios between groups, for performance TPS and p99 latency.
* :func:`heat_map`: a campaign's requirements × pairs matrix, one coloured cell per status.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.documents.verdict import VerdictDocument

STATUS_COLOURS = {"passed": "#2da44e", "failed": "#cf222e", "broken": "#8250df", "not_applicable": "#d0d7de",
                  "not_evaluated": "#fb8f44", "waived": "#54aeff", "": "#ffffff"}
ROW, LABEL, PLOT = 22, 330, 360


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _rows(statistics: dict[str, Any]) -> list[dict[str, Any]]:
    rows = statistics.get("all") or [statistics]
    return [r for r in rows if _number(r.get("estimate")) is not None]


def interval_chart(statistics: dict[str, Any], *, limit: int = 12) -> str:
    """An SVG of each comparison: estimate (dot), confidence interval (bar), threshold (dashed line)."""
    rows = _rows(statistics)
    rows = sorted(rows, key=lambda r: (not r.get("violated"), r.get("quantity", "")))[:limit]
    if not rows:
        return ""
    values = [v for r in rows for v in [_number(r.get("estimate")), _number(r.get("threshold")),
                                        *[_number(x) for x in r.get("interval", [])]] if v is not None]
    low, high = min([*values, 0.0]), max(values)
    span = (high - low) or 1.0

    def x(value: Any, default: float) -> float:
        number = _number(value)
        number = default if number is None else min(max(number, low), high)
        return LABEL + (number - low) / span * PLOT

    parts = []
    for i, r in enumerate(rows):
        y = 14 + i * ROW
        interval = r.get("interval") or [r.get("estimate"), r.get("estimate")]
        colour = STATUS_COLOURS["failed" if r.get("violated") else "passed"]
        x1, x2 = x(interval[0], low), x(interval[1], high)
        parts.append(f'<text x="{LABEL - 6}" y="{y + 4}" text-anchor="end" font-size="11">'
                     f"{escape(str(r.get('quantity', ''))[:56])}</text>"
                     f'<line x1="{x1:.1f}" y1="{y}" x2="{x2:.1f}" y2="{y}" stroke="{colour}" stroke-width="4"/>'
                     f'<circle cx="{x(r.get("estimate"), low):.1f}" cy="{y}" r="4" fill="#1f2328"/>'
                     f'<line x1="{x(r.get("threshold"), low):.1f}" y1="{y - 8}" x2="{x(r.get("threshold"), low):.1f}" '
                     f'y2="{y + 8}" stroke="#1f2328" stroke-dasharray="3,2"/>'
                     f'<text x="{LABEL + PLOT + 6}" y="{y + 4}" font-size="11">{escape(str(r.get("estimate")))} '
                     f"[{escape(str(interval[0]))}, {escape(str(interval[1]))}] vs {escape(str(r.get('threshold')))}"
                     "</text>")
    height = 14 + len(rows) * ROW
    return (f'<svg class="chart interval-chart" xmlns="http://www.w3.org/2000/svg" width="{LABEL + PLOT + 230}" '
            f'height="{height}" role="img" aria-label="estimates with confidence intervals">{"".join(parts)}</svg>')


def requirement_charts(verdict: VerdictDocument) -> str:
    """A section with the chart of every sampled decision of a run (empty when there is none)."""
    blocks = []
    for r in verdict.requirements:
        stats = r.statistics or {}
        chart = interval_chart(stats) if stats else ""
        if chart:
            blocks.append(f'<div class="sampled" id="chart-{escape(r.id)}"><b>{escape(r.id)}</b> {escape(r.title)} — '
                          f"{escape(str(stats.get('rule', '')))} "
                          f"(confidence {escape(str(stats.get('confidence', '')))})"
                          f"<br>{chart}</div>")
    if not blocks:
        return ""
    return ("<h2>Sampled decisions: estimates, confidence intervals (bars) and thresholds (dashed)</h2>"
            + "".join(blocks))


def heat_map(columns: list[str], rows: list[str], cells: dict[tuple[str, str], str]) -> str:
    """An SVG matrix: one row per requirement, one column per pair, each cell coloured by its status."""
    size, left, top = 16, 150, 150
    parts = [f'<text transform="translate({left + i * size + 11},{top - 6}) rotate(-60)" font-size="10">'
             f"{escape(c[:40])}</text>" for i, c in enumerate(columns)]
    for j, row in enumerate(rows):
        y = top + j * size
        parts.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end" font-size="10">{escape(row)}</text>')
        for i, column in enumerate(columns):
            status = cells.get((row, column), "")
            parts.append(f'<rect x="{left + i * size}" y="{y}" width="{size - 1}" height="{size - 1}" '
                         f'fill="{STATUS_COLOURS.get(status, "#000")}"><title>{escape(row)} × {escape(column)}: '
                         f"{escape(status or 'not in this profile')}</title></rect>")
    legend = "".join(f'<rect x="{left + k * 110}" y="{top + len(rows) * size + 10}" width="12" height="12" '
                     f'fill="{colour}" stroke="#8c959f"/><text x="{left + k * 110 + 16}" '
                     f'y="{top + len(rows) * size + 20}" font-size="10">{escape(status or "not in profile")}</text>'
                     for k, (status, colour) in enumerate(STATUS_COLOURS.items()))
    width = max(left + len(columns) * size + 60, left + len(STATUS_COLOURS) * 110)
    height = top + len(rows) * size + 40
    return (f'<svg class="chart heat-map" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'role="img" aria-label="campaign matrix">{"".join(parts)}{legend}</svg>')

"""The campaign summary: every (product, profile) pair's verdict, and the requirements × pairs matrix as a heat map.

``sandbox report CAMPAIGN_DIR`` (a folder ``sandbox campaign`` wrote, holding campaign.json) writes
``summary.html`` and ``summary.pdf``. Each pair's statuses come from its own verdict.json, read through the
typed model; a pair that ended without a verdict shows its error. Self-contained HTML, inline SVG, no scripts.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from harness.documents.base import DocumentError
from harness.documents.campaign import read_campaign
from harness.documents.verdict import read_verdict
from harness.errors import HarnessError
from harness.reporting.charts import heat_map
from harness.reporting.summary import COLOURS, STYLE

if TYPE_CHECKING:
    from harness.documents.campaign import CampaignDocument, PairResult
    from harness.documents.verdict import VerdictDocument


def is_campaign(path: str | Path) -> bool:
    return (Path(path) / "campaign.json").is_file()


def _verdicts(document: CampaignDocument) -> dict[str, VerdictDocument | None]:
    found: dict[str, VerdictDocument | None] = {}
    for pair in document.pairs:
        try:
            found[pair.key] = read_verdict(pair.bundle) if (Path(pair.bundle) / "verdict.json").is_file() else None
        except HarnessError:
            found[pair.key] = None
    return found


def _pair_row(pair: PairResult, verdict: VerdictDocument | None) -> str:
    counts = ", ".join(f"{n} {s}" for s, n in pair.counts.items() if n)
    why = "; ".join(verdict.reasons[:3]) if verdict is not None else pair.error
    step = f"<br>To complete it: <code>{escape(pair.next_step)}</code>" if pair.next_step else ""
    return (f'<tr id="pair-{escape(pair.key)}"><td>{escape(pair.product_id)}</td><td>{escape(pair.profile_id)}</td>'
            f'<td><b style="color:{COLOURS.get(pair.verdict, "#000")}">{escape(pair.verdict.replace("_", " "))}</b>'
            f"</td><td>{escape(counts)}</td><td>{escape(why)}{step}</td></tr>")


def render_campaign(document: CampaignDocument, source: str = "") -> str:
    """The campaign summary page."""
    verdicts = _verdicts(document)
    columns = [f"{p.product_id} × {p.profile_id}" for p in document.pairs]
    rows: list[str] = []
    cells: dict[tuple[str, str], str] = {}
    for pair, column in zip(document.pairs, columns, strict=True):
        verdict = verdicts[pair.key]
        for r in verdict.requirements if verdict is not None else []:
            if r.id not in rows:
                rows.append(r.id)
            cells[(r.id, column)] = r.status
    tally: dict[str, int] = {}
    for pair in document.pairs:
        tally[pair.verdict] = tally.get(pair.verdict, 0) + 1
    overall = ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in sorted(tally.items()))
    left_out = "".join(f"<li>{escape(s.product)} × {escape(s.profile)}: lacks "
                       f"{escape(', '.join(s.missing_capabilities))}</li>" for s in document.not_applicable)
    table = "".join(_pair_row(p, verdicts[p.key]) for p in document.pairs)
    chart = heat_map(columns, rows, cells) if rows else "<p>No pair reached a verdict.</p>"
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Campaign summary</title>"
            f"<style>{STYLE}</style></head><body><h1>Campaign summary{(': ' + escape(source)) if source else ''}</h1>"
            f"<p>{len(document.pairs)} pair(s): {escape(overall)}; {document.workers} worker(s), wall time "
            f"{document.wall_seconds} s.</p><table><thead><tr><th>Product</th><th>Profile</th><th>Verdict</th>"
            f"<th>Results</th><th>Why</th></tr></thead><tbody>{table}</tbody></table>"
            f"<h2>Requirements × pairs</h2>{chart}"
            + (f"<h2>Pairs left out (the profile does not apply)</h2><ul>{left_out}</ul>" if left_out else "")
            + "</body></html>\n")


def write_campaign_summary(folder: Path, out: Path, *, pdf: bool = True) -> dict[str, Path]:
    """summary.html (and .pdf) for a campaign folder; the paths written."""
    from harness.reporting.tools import print_pdf, progress

    try:
        document = read_campaign(folder / "campaign.json")
    except DocumentError as exc:
        raise HarnessError(str(exc)) from None
    out.mkdir(parents=True, exist_ok=True)
    progress(f"writing the campaign summary of {folder}" + (" and printing it to PDF" if pdf else ""))
    page = out / "summary.html"
    page.write_text(render_campaign(document, str(folder)), encoding="utf-8")
    written = {"summary": page}
    printed = print_pdf(page, page.with_suffix(".pdf")) if pdf else None
    if printed is not None:
        written["pdf"] = printed
    return written

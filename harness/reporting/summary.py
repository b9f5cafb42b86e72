"""A one-page HTML summary of a certification run (for the certification body's file), from a bundle.

Self-contained (inline CSS, no scripts), so it prints and archives well; every value is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from harness.documents.verdict import unsignable_reason

COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "broken": "#8250df", "not_applicable": "#59636e",
           "not_evaluated": "#bc4c00", "waived": "#0969da", "CERTIFIED": "#1a7f37",
           "CERTIFIED_WITH_FINDINGS": "#9a6700", "NOT_CERTIFIED": "#cf222e", "INCOMPLETE": "#bc4c00"}
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328}
h1{font-size:1.4rem;margin:0 0 .3rem} .verdict{font-size:1.6rem;font-weight:700;padding:.4rem .8rem;
border-radius:6px;color:#fff;display:inline-block} table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa} .status{font-weight:600} code{font-size:12px;word-break:break-all}
dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem} dt{color:#59636e}
"""


def _status(status: str) -> str:
    colour = COLOURS.get(status, "#000")
    return f'<span class="status status-{escape(status)}" style="color:{colour}">{escape(status)}</span>'


def _detail(req: dict[str, Any]) -> str:
    parts = []
    if req.get("waiver"):
        w = req["waiver"]
        parts.append(f"<b>waived</b> ({escape(str(w.get('outcome')))}) by {escape(str(w['approver']))} until "
                     f"{escape(str(w['expires']))}: {escape(str(w['reason']))}")
    if req.get("rule"):
        parts.append(f"<i>rule:</i> {escape(str(req['rule'])[:400])}")
    elif req.get("status") != "passed" and req.get("message"):
        parts.append(escape(str(req["message"])[:400]))
    return "<br>".join(parts)


def render_summary(verdict: dict[str, Any], *, bundle_digest: str = "", allure_index: str = "") -> str:
    """The HTML page for a verdict document (verdict.json)."""
    v = str(verdict.get("verdict", "?"))
    profile, product = verdict.get("profile", {}), verdict.get("product", {})
    counts = verdict.get("counts", {})
    rows = "\n".join(
        f"<tr id=\"{escape(r['id'])}\"><td>{escape(r['id'])}</td><td>{escape(r['level'])}</td>"
        f"<td>{escape(r['title'])}</td><td>{_status(r['status'])}</td><td>{_detail(r)}</td></tr>"
        for r in verdict.get("requirements", [])
    )
    facts = {
        "Product": f"{product.get('name', '')} — {product.get('id')} {product.get('version')} "
                   f"({product.get('vendor', '')})",
        "Product digest": product.get("digest", ""),
        "Profile": f"{profile.get('id')} {profile.get('version')} ({' → '.join(profile.get('lineage', []))})",
        "Profile digest": profile.get("digest", ""),
        "Scope": ", ".join(verdict.get("scope", {}).get("capabilities", [])),
        "Runner / seed / as of": f"{verdict.get('runner', {}).get('name')} / {verdict.get('seed')} / "
                                 f"{verdict.get('as_of')}",
        "Run": f"{verdict.get('started_at')} – {verdict.get('finished_at')}",
        "Results": ", ".join(f"{n} {s}" for s, n in counts.items() if n),
        "Bundle digest": bundle_digest,
    }
    dl = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(str(val))}</code></dd>" for k, val in facts.items() if val)
    link = f'<p><a href="{escape(allure_index)}">Full Allure report</a></p>' if allure_index else ""
    why = "".join(f"<li>{escape(str(line))}</li>" for line in verdict.get("reasons", []))
    if why:
        link += f"<h2>Why this verdict</h2><ul>{why}</ul>"
    why_not = unsignable_reason(verdict)
    if why_not is not None:
        link = (f'<p class="banner" style="border:2px solid {COLOURS.get(v, "#000")};padding:.5rem">This run cannot '
                f"be signed: {escape(why_not)}."
                f"{(' To complete it: ' + escape(str(verdict['next_step']))) if verdict.get('next_step') else ''}"
                "</p>" + link)
    title = f"{product.get('id')} × {profile.get('id')}: {v}"
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>Certification summary: {escape(str(product.get('id')))} × "
            f"{escape(str(profile.get('id')))}</h1><p class=\"verdict\" style=\"background:{COLOURS.get(v, '#000')}\">"
            f"{escape(v.replace('_', ' '))}</p><dl>{dl}</dl>{link}<table><thead><tr><th>Requirement</th><th>Level</th>"
            f"<th>Title</th><th>Status</th><th>Detail</th></tr></thead><tbody>{rows}</tbody></table></body></html>\n")

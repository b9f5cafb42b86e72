"""The verdict first: a header on every screen of the Allure report, added to its generated ``index.html``.

Allure's overview leads with a pass percentage, which says nothing about a certification (one failed MUST out
of forty is NOT CERTIFIED, not "97 %"). The header states the verdict, the product and profile with their
digests, the seed and as-of date and why (the failed and not-evaluated MUSTs); the percentage donut is hidden.
The header is static HTML (no script, every value escaped), so it shows even where the report's own script
cannot run. The analytics tag the Allure generator adds is removed: a certification report does not call out.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from harness.documents.verdict import unsignable_reason

if TYPE_CHECKING:
    from harness.documents.verdict import VerdictDocument

COLOURS = {"CERTIFIED": "#1a7f37", "CERTIFIED_WITH_FINDINGS": "#9a6700", "NOT_CERTIFIED": "#cf222e",
           "INCOMPLETE": "#bc4c00"}
MARK = "<!-- sandbox-verdict -->"
STYLE = """<style id="sandbox-verdict-style">
#sandbox-verdict{font:14px/1.4 system-ui,sans-serif;color:#1f2328;background:#fff;border-bottom:4px solid var(--v);
padding:10px 18px;margin:0}
#sandbox-verdict .sv-verdict{display:inline-block;background:var(--v);color:#fff;font-weight:700;font-size:20px;
padding:2px 12px;border-radius:5px;margin-right:12px}
#sandbox-verdict .sv-title{font-size:16px;font-weight:600}
#sandbox-verdict dl{display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;margin:6px 0 0}
#sandbox-verdict dt{color:#59636e}#sandbox-verdict dd{margin:0}
#sandbox-verdict code{font-size:12px;word-break:break-all}
#sandbox-verdict ul{margin:4px 0 0 18px;padding:0}#sandbox-verdict .sv-unsignable{font-weight:600;color:#9a6700}
.summary-widget__chart,.widget__chart-pie,[data-id="summary"] svg{display:none!important}
</style>"""
ANALYTICS = re.compile(r'<script async src="https://www\.googletagmanager\.com[^"]*"></script>\s*'
                       r"<script>(?:(?!</script>).)*?gtag\((?:(?!</script>).)*?</script>", re.S)


def header_html(verdict: VerdictDocument, *, summary_href: str = "") -> str:
    """The header (static HTML) for a verdict document."""
    v = verdict.verdict
    product, profile = verdict.product, verdict.profile
    counts = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in verdict.counts.items() if n)
    grade = verdict.runner.get("grade", "")
    facts = [
        ("Product", f"{product.name or product.id} — {product.id} {product.version}", product.digest),
        ("Profile", f"{profile.id} {profile.version} ({profile.region})", profile.digest),
        ("Seed / as of", f"seed {verdict.seed}, as of {verdict.as_of} (repeat: --seed {verdict.seed} "
                         f"--as-of {verdict.as_of})", ""),
        ("Runner", f"{verdict.runner.get('name')} ({grade} grade)" if grade else str(verdict.runner.get("name")), ""),
        ("Results", f"{len(verdict.requirements)} requirements: {counts}", ""),
    ]
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(text)}{' <code>' + escape(digest) + '</code>' if digest else ''}"
                   "</dd>" for k, text, digest in facts)
    reasons = verdict.reasons or ["every in-scope requirement was met"]
    why = "".join(f"<li>{escape(line)}</li>" for line in reasons)
    why_not = unsignable_reason(verdict.model_dump(mode="json"))
    banner = (f'<p class="sv-unsignable">This run cannot be signed: {escape(why_not)}.'
              f"{' To complete it: ' + escape(verdict.next_step) if verdict.next_step else ''}</p>"
              if why_not else "")
    summary = f' <a href="{escape(summary_href)}">One-page summary</a>' if summary_href else ""
    return (f'{MARK}<section id="sandbox-verdict" style="--v:{COLOURS.get(v, "#000")}" aria-label="verdict">'
            f'<span class="sv-verdict">{escape(v.replace("_", " "))}</span>'
            f'<span class="sv-title">{escape(product.id)} {escape(product.version)} × {escape(profile.id)} '
            f"{escape(profile.version)}</span>{summary}<dl>{rows}<dt>Why</dt><dd><ul>{why}</ul></dd></dl>{banner}"
            f"</section>{MARK}")


def add_header(index: Path, verdict: VerdictDocument, *, summary_href: str = "") -> None:
    """Put the verdict header at the top of a freshly generated report's ``index.html``."""
    page = index.read_text(encoding="utf-8")
    page = ANALYTICS.sub("", page)
    if "<body>" not in page or "</head>" not in page:
        raise ValueError(f"{index}: not an Allure index.html (no <head>/<body>)")
    title = f"{verdict.verdict.replace('_', ' ')}: {verdict.product.id} × {verdict.profile.id}"
    page = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", page, count=1, flags=re.S)
    page = page.replace("</head>", STYLE + "</head>", 1)
    page = page.replace("<body>", "<body>" + header_html(verdict, summary_href=summary_href), 1)
    index.write_text(page, encoding="utf-8")

"""Allure as a mapping layer (cf. Schemathesis ``reporting/allure.py``), and the verdict header of the report.

region → epic, capability → feature, requirement → story, severity mapped, the regulation as a link,
the seed as a parameter (excluded from the history ID so history survives a new seed), and the
counterexample and evidence attached as JSON. Calls are no-ops when Allure is not collecting.

The verdict first: Allure's overview leads with a pass percentage, which says nothing about a certification (one
failed MUST out of forty is NOT CERTIFIED, not "97 %"). :func:`add_header` puts a header on every screen of a
generated report: the verdict, the product and profile with their digests, the seed and as-of date and why (the
failed and not-evaluated MUSTs); the percentage donut is hidden. The header is static HTML (no script, every
value escaped). The analytics tag the Allure generator adds is removed: a certification report does not call out.
"""

from __future__ import annotations

import contextlib
import json
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import allure
from allure_commons.types import AttachmentType, LinkType

from harness.documents.verdict import unsignable_reason
from harness.profiles import Profile, Requirement
from harness.reporting.allure_results import citation_text, link_name, public_url, rewrite_results

if TYPE_CHECKING:
    from harness.documents.verdict import VerdictDocument


def label(profile: Profile, req: Requirement, seed: int) -> None:
    """One entry per requirement: epic (region and profile) → feature (capability) → the requirement itself (no
    story, which listed each requirement twice); the regulation linked only by its public URL, never a local path."""
    allure.dynamic.epic(f"{profile.region} ({profile.id} {profile.version})")
    allure.dynamic.feature(req.capability)
    allure.dynamic.title(f"{req.id} [{req.level}] {req.title}")
    allure.dynamic.severity(req.severity)
    allure.dynamic.tag(req.level)
    allure.dynamic.label("requirement", req.id)
    allure.dynamic.parameter("seed", str(seed), excluded=True)
    source = req.source.model_dump(mode="json")
    allure.dynamic.description(f"Check `{req.check}`. Source: {citation_text(source)}."
                               f"{(' ' + req.source.note) if req.source.note else ''}")
    url = public_url(source)
    if url:
        allure.dynamic.link(url, link_type=LinkType.LINK, name=f"{link_name(source)} ({req.source.status})")


def attach_json(name: str, data: Any) -> None:
    allure.attach(json.dumps(data, indent=2, ensure_ascii=False, default=str), name=name,
                  attachment_type=AttachmentType.JSON)


def attach_evidence(evidence: dict[str, Any]) -> None:
    for name, data in evidence.items():
        if isinstance(data, bytes):
            allure.attach(data, name=name, attachment_type=AttachmentType.PNG)
        elif isinstance(data, str):
            allure.attach(data, name=name, attachment_type=AttachmentType.TEXT)
        else:
            attach_json(name, data)


def waiver(record: dict[str, Any]) -> None:
    """Mark a requirement that has an active waiver: a tag, a label and the waiver itself attached."""
    allure.dynamic.tag("waiver")
    allure.dynamic.label("waiver", f"{record['approver']} until {record['expires']}")
    attach_json("waiver", record)


# Allure categories that mean something here (instead of a pass percentage), matched on status and message. The
# report (harness/reporting/allure_results.py) gives every result a message starting with its category's word.
CATEGORIES = [
    {"name": "Product failure (the product violates the requirement)", "matchedStatuses": ["failed"],
     "messageRegex": "(?is)(?!waived).*"},
    {"name": "Harness or environment error (not the product's fault)", "matchedStatuses": ["broken"]},
    {"name": "Not evaluated (a MUST not evaluated makes the run INCOMPLETE)", "matchedStatuses": ["skipped"],
     "messageRegex": "(?is).*not evaluated.*"},
    {"name": "Not applicable (by a profile rule)", "matchedStatuses": ["skipped"],
     "messageRegex": "(?is).*not applicable.*"},
    {"name": "Waived (failed; a valid waiver applies)", "matchedStatuses": ["unknown", "failed"],
     "messageRegex": "(?is)waived.*"},
]


def write_run_facts(alluredir: Path, document: Any) -> None:
    """The verdict first: environment facts (verdict, scope, profile, product, seed, as-of) and categories; the
    requirements' results rewritten in plain words (allure_results.py; the replay files are not written yet, so
    ``sandbox report`` adds the HTTP exchanges), so `allure serve` on the bundle shows no Python internals."""
    alluredir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):  # an unreadable result stays as it was
        rewrite_results(alluredir, document, [], str(alluredir.parent), staged=False)
    facts = {
        "Verdict": document.verdict, "Scope": ", ".join(document.scope.capabilities),
        "Profile": f"{document.profile.id} {document.profile.version} {document.profile.digest}",
        "Product": f"{document.product.id} {document.product.version} {document.product.digest}",
        "Runner": str(document.runner.get("name")), "Seed": str(document.seed), "As of": str(document.as_of),
        "Why": " | ".join(document.reasons) or "every in-scope requirement met",
    }
    lines = [f"{key.replace(' ', '.')}={value}".replace("\n", " ") for key, value in facts.items()]
    (alluredir / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (alluredir / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")


# -- the verdict header of a generated report ---------------------------------------------------------------
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

"""The one-page summary of a certification run (for the certification body's file), as HTML and PDF.

Self-contained (inline CSS and SVG, no scripts), so it prints and archives well; every value is HTML-escaped.
It states the verdict first (with a banner when the run cannot be signed), the product and profile with their
digests, why, the citations of every requirement (public URLs only), the counterexample of every failure with
the command that replays it, the not-evaluated list, and the signature block, filled in from the certificate
``sandbox sign`` wrote (signer, role, key ID, date, certificate digest).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.documents.verdict import unsignable_reason
from harness.errors import HarnessError
from harness.reporting.allure_results import citation_html, replay_command
from harness.reporting.charts import requirement_charts

if TYPE_CHECKING:
    from harness.documents.verdict import VerdictDocument
    from harness.evidence.bundle import Bundle
    from harness.verdict import RequirementResult

COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "broken": "#8250df", "not_applicable": "#59636e",
           "not_evaluated": "#bc4c00", "waived": "#0969da", "CERTIFIED": "#1a7f37",
           "CERTIFIED_WITH_FINDINGS": "#9a6700", "NOT_CERTIFIED": "#cf222e", "INCOMPLETE": "#bc4c00"}
STYLE = """
body{font:13px/1.4 system-ui,sans-serif;margin:1.5rem auto;max-width:1100px;color:#1f2328}
h1{font-size:1.3rem;margin:0 0 .3rem} h2{font-size:1.05rem;margin:1rem 0 .3rem}
.verdict{font-size:1.3rem;font-weight:700;padding:.15rem .6rem;border-radius:6px;color:#fff;display:inline-block;
margin-right:.5rem}
table{border-collapse:collapse;width:100%;margin-top:.4rem} table.requirements{table-layout:fixed}
td{overflow-wrap:break-word} .requirements td:nth-child(-n+2){white-space:nowrap}
th,td{border-bottom:1px solid #d0d7de;padding:.25rem .4rem;
text-align:left;vertical-align:top} th{background:#f6f8fa} .status{font-weight:600}
code,pre{font-size:11px;word-break:break-all;white-space:pre-wrap} pre{background:#f6f8fa;padding:.4rem;margin:.2rem 0}
dl{display:grid;grid-template-columns:11rem 1fr;gap:.1rem 1rem;margin:.4rem 0} dt{color:#59636e} dd{margin:0}
.banner{border:3px solid #bc4c00;background:#fff8c5;padding:.5rem .7rem;font-weight:600;font-size:1.05rem}
.signature dl{grid-template-columns:11rem 1fr} .line{border-bottom:1px solid #1f2328;min-width:18rem;
display:inline-block;height:1.2rem} .source-url,.source-note{color:#59636e;font-size:11px} a{color:#0969da}
.failure{border-left:4px solid #cf222e;padding-left:.6rem;margin:.6rem 0;page-break-inside:avoid}
@page{size:A4;margin:11mm} @media print{body{margin:0;max-width:none;font-size:11.5px}}
.detail{color:#59636e;font-size:11px} .signature{page-break-inside:avoid}
"""


# -- the signature block: read from the certificate `sandbox sign` wrote; displayed, not verified ------------
@dataclass(frozen=True)
class SignatureBlock:
    signer: str
    role: str
    key_id: str
    signed_on: str
    valid_until: str
    certificate: str
    certificate_digest: str
    bundle_digest: str
    matches_bundle: bool


def find_certificate(bundle: str) -> Path | None:
    """``<bundle name>.cert.json`` next to the bundle (where ``sandbox sign`` writes it), if it is there."""
    path = Path(bundle.rstrip("/"))
    cert = path.with_name(path.name.removesuffix(".tar.gz") + ".cert.json")
    return cert if cert.is_file() else None


def signature_of(cert: Path, bundle_digest: str = "") -> SignatureBlock:
    """The block for a certificate file; HarnessError (one line) when it is not a certificate."""
    from harness.documents.certificate import read_predicate
    from harness.evidence.certificate import payload_of, read_certificate

    envelope = read_certificate(cert)
    try:
        statement = payload_of(envelope)
        key_id = str(envelope["signatures"][0]["keyid"])
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise HarnessError(f"{cert}: not a certificate `sandbox sign` wrote ({type(exc).__name__})") from None
    predicate = read_predicate(statement, str(cert))
    return SignatureBlock(
        signer=predicate.signer.name, role=predicate.signer.role, key_id=key_id,
        signed_on=predicate.validity.notBefore.date().isoformat(),
        valid_until=predicate.validity.notAfter.date().isoformat(), certificate=cert.name,
        certificate_digest="sha256:" + hashlib.sha256(cert.read_bytes()).hexdigest(),
        bundle_digest=predicate.bundle.digest,
        matches_bundle=not bundle_digest or bundle_digest == predicate.bundle.digest,
    )


# -- the page -------------------------------------------------------------------------------------------------
def _status(status: str) -> str:
    colour = COLOURS.get(status, "#000")
    return f'<span class="status status-{escape(status)}" style="color:{colour}">{escape(status)}</span>'


def _detail(r: RequirementResult) -> str:
    parts = []
    if r.waiver:
        w = r.waiver
        parts.append(f"<b>waived</b> ({escape(str(w.get('outcome')))}) by {escape(str(w.get('approver')))} until "
                     f"{escape(str(w.get('expires')))}: {escape(str(w.get('reason')))}")
    if r.rule:
        parts.append(f"<i>rule:</i> {escape(r.rule[:400])}")
    elif r.status != "passed" and r.message:
        parts.append(escape(r.message[:400]))
    return "<br>".join(parts)


def _clip_json(value: Any, limit: int = 4000) -> str:
    """Compact JSON (the page wraps it): a counterexample stays a few lines on the printed page."""
    text = json.dumps(value, ensure_ascii=False, default=str, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failures(verdict: VerdictDocument, bundle_source: str) -> str:
    shown = [r for r in verdict.requirements if r.status == "failed" or (r.waiver or {}).get("outcome") == "failed"]
    if not shown:
        return ""
    blocks = []
    for r in shown:
        counter = (f"<pre class=\"counterexample\">{escape(_clip_json(r.counterexample))}</pre>"
                   if r.counterexample is not None else "<p><i>no counterexample recorded</i></p>")
        blocks.append(f'<div class="failure" id="failure-{escape(r.id)}"><b>{escape(r.id)} [{escape(r.level)}] '
                      f"{escape(r.title)}</b> — {_status(r.status)}<br>{escape(r.message)}<br>"
                      f"<span>Shrunk counterexample:</span>{counter}<span>Reproduce:</span> "
                      f"<code>{escape(replay_command(bundle_source, verdict.product.id, r.id))}</code></div>")
    return "<h2>Failures and their counterexamples</h2>" + "".join(blocks)


def _not_evaluated(verdict: VerdictDocument) -> str:
    rows = [r for r in verdict.requirements if r.status in ("not_evaluated", "broken")]
    if not rows:
        return ""
    items = "".join(f"<li><b>{escape(r.id)}</b> [{escape(r.level)}] {escape(r.title)} — {_status(r.status)}: "
                    f"{escape(r.message)}</li>" for r in rows)
    step = f"<p>To complete it: <code>{escape(verdict.next_step)}</code></p>" if verdict.next_step else ""
    return f'<h2>Not evaluated</h2><ul class="not-evaluated">{items}</ul>{step}'


def _not_applicable(verdict: VerdictDocument) -> str:
    """Requirements a profile rule excludes, grouped by rule: one line each (the table keeps what applies)."""
    by_rule: dict[str, list[str]] = {}
    for r in verdict.requirements:
        if r.status == "not_applicable":
            by_rule.setdefault(r.rule or r.message, []).append(r.id)
    if not by_rule:
        return ""
    items = "".join(f"<li>{', '.join(escape(i) for i in ids)} — <i>rule:</i> {escape(rule)}</li>"
                    for rule, ids in by_rule.items())
    return f'<h2>Not applicable ({sum(map(len, by_rule.values()))})</h2><ul class="not-applicable">{items}</ul>'


def _signature(verdict: VerdictDocument, signature: SignatureBlock | None) -> str:
    why_not = unsignable_reason(verdict.model_dump(mode="json"))
    if signature is not None:
        rows = {"Signer": signature.signer, "Role": signature.role, "Key ID": signature.key_id,
                "Date": signature.signed_on, "Valid until": signature.valid_until,
                "Certificate": signature.certificate, "Certificate digest": signature.certificate_digest}
        dl = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(v)}</code></dd>" for k, v in rows.items())
        warn = "" if signature.matches_bundle else ("<p class=\"banner\">This certificate is for another bundle "
                                                     f"({escape(signature.bundle_digest)}).</p>")
        return (f'<section class="signature signed"><h2>Signature</h2><dl>{dl}</dl>{warn}<p>Check it with '
                f"<code>sandbox verify {escape(signature.certificate)} --key KEY.pub --bundle BUNDLE</code>.</p>"
                "</section>")
    if why_not is not None:
        return (f'<section class="signature unsignable"><h2>Signature</h2><p>Not signable: {escape(why_not)}.</p>'
                "</section>")
    blank = "".join(f"<dt>{k}</dt><dd><span class=\"line\"></span></dd>"
                    for k in ("Signer", "Role", "Key ID", "Date", "Certificate digest"))
    return (f'<section class="signature unsigned"><h2>Signature</h2><p>Not signed yet: <code>sandbox sign</code> '
            f"fills this in.</p><dl>{blank}</dl></section>")


def render_summary(verdict: VerdictDocument, *, bundle_digest: str = "", bundle_source: str = "BUNDLE",
                   allure_href: str = "", signature: SignatureBlock | None = None) -> str:
    """The HTML page for a verdict document."""
    v = verdict.verdict
    profile, product = verdict.profile, verdict.product
    shown = [r for r in verdict.requirements if r.status != "not_applicable"]
    rows = "\n".join(
        f"<tr id=\"{escape(r.id)}\"><td>{escape(r.id)}</td><td>{escape(r.level)}</td><td>{escape(r.title)}"
        f"{'<br><span class=detail>' + _detail(r) + '</span>' if _detail(r) else ''}</td>"
        f"<td>{_status(r.status)}</td><td>{citation_html(r.source, note=False)}</td></tr>"
        for r in shown)
    facts = {
        "Product": f"{product.name} — {product.id} {product.version} ({product.vendor})",
        "Product digest": product.digest,
        "Profile": f"{profile.id} {profile.version} ({' → '.join(profile.lineage)})",
        "Profile digest": profile.digest, "Scope": ", ".join(verdict.scope.capabilities),
        "Runner / seed / as of": f"{verdict.runner.get('name')} ({verdict.runner.get('grade', '')}) / "
                                 f"{verdict.seed} / {verdict.as_of}",
        "Run": f"{verdict.started_at} – {verdict.finished_at}",
        "Results": ", ".join(f"{n} {s}" for s, n in verdict.counts.items() if n), "Bundle digest": bundle_digest,
    }
    dl = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(str(val))}</code></dd>" for k, val in facts.items() if val)
    why_not = unsignable_reason(verdict.model_dump(mode="json"))
    banner = (f'<p class="banner">This run cannot be signed: {escape(why_not)}.'
              f"{(' To complete it: ' + escape(verdict.next_step)) if verdict.next_step else ''}</p>"
              if why_not else "")
    why = "".join(f"<li>{escape(line)}</li>" for line in verdict.reasons) or "<li>every requirement was met</li>"
    link = f'<p><a href="{escape(allure_href)}">Full Allure report</a></p>' if allure_href else ""
    title = f"{product.id} × {profile.id}: {v}"
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1><span class=\"verdict\" style=\"background:"
            f"{COLOURS.get(v, '#000')}\">{escape(v.replace('_', ' '))}</span> Certification summary: "
            f"{escape(product.id)} {escape(product.version)} × {escape(profile.id)} {escape(profile.version)}</h1>"
            f"{banner}<dl>{dl}</dl><h2>Why this verdict</h2><ul>{why}</ul>{link}"
            f"{_failures(verdict, bundle_source)}{_not_evaluated(verdict)}{requirement_charts(verdict)}"
            f"<h2>Requirements</h2><table class=\"requirements\"><colgroup><col style=\"width:15%\">"
            f"<col style=\"width:7%\"><col style=\"width:36%\"><col style=\"width:11%\"><col style=\"width:31%\">"
            f"</colgroup><thead><tr><th>Requirement</th><th>Level</th><th>Title (detail)</th><th>Status</th>"
            f"<th>Source</th></tr></thead><tbody>{rows}</tbody></table>{_not_applicable(verdict)}"
            f"{_signature(verdict, signature)}</body></html>\n")


def write_summary(path: Path, verdict: VerdictDocument, *, bundle: Bundle, signature: SignatureBlock | None = None,
                  allure_href: str = "", pdf: bool = True) -> dict[str, Path]:
    """summary.html (and summary.pdf, printed by headless chromium, when ``pdf``); the paths written."""
    from harness.reporting.tools import print_pdf

    page = render_summary(verdict, bundle_digest=bundle.digest, bundle_source=bundle.source,
                          allure_href=allure_href, signature=signature)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    written = {"summary": path}
    if pdf:
        printed = print_pdf(path, path.with_suffix(".pdf"))
        if printed is not None:
            written["pdf"] = printed
    return written

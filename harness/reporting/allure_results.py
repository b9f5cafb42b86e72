"""Allure results a certification officer can act on, rewritten from the bundle's typed documents.

``sandbox report`` stages a copy of the bundle's ``allure-results`` (the bundle itself is never modified) and
rewrites each requirement's result from verdict.json and replay/<REQ>.json:

* one entry per requirement (a requirement the run never reached still gets its entry; duplicates are dropped);
* the status in the harness's words, as an Allure category (product failure, harness error, not evaluated, not
  applicable, waived): the message starts with that word, never with a Python class name or ``prop(``;
* the stages of the check as steps: inputs generated, the shrunk counterexample's HTTP exchanges (request,
  response and a ``curl`` line each), the property checked, and how to reproduce it (``sandbox replay``);
* the citation (title, number, article, date; ``url`` and ``retrieved`` from the profile) in the description
  and as the only link: a public http(s) URL, never a local path (it would be baked into a signed bundle).
"""

from __future__ import annotations

import json
import shlex
import uuid
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.reporting.charts import interval_chart

if TYPE_CHECKING:
    from harness.documents.replay import RecordedRequest, ReplayDocument
    from harness.documents.verdict import VerdictDocument
    from harness.verdict import RequirementResult

ALLURE_STATUS = {"passed": "passed", "failed": "failed", "broken": "broken", "not_evaluated": "skipped",
                 "not_applicable": "skipped", "waived": "unknown"}
DROPPED_LABELS = {"story", "host", "thread", "parentSuite", "suite", "subSuite", "package"}
PRODUCT_URL = "$PRODUCT_URL"


# -- citations a reader can follow: public URLs only, never a local path of the machine that ran the test ------
def public_url(source: dict[str, Any]) -> str | None:
    """The source's address when it is a public web address, else None."""
    url = str(source.get("url") or "")
    return url if url.startswith(("https://", "http://")) else None


def citation_text(source: dict[str, Any]) -> str:
    """One line: title, number, article, date [status]; URL (retrieved date)."""
    if not source:
        return "no source recorded"
    parts = [str(source.get(k)) for k in ("regulation", "number", "article") if source.get(k)]
    text = ", ".join(parts)
    if source.get("date"):
        text += f", {source['date']}"
    if source.get("status"):
        text += f" [{source['status']}]"
    url = public_url(source)
    if url:
        text += f"; {url}" + (f" (retrieved {source['retrieved']})" if source.get("retrieved") else "")
    else:
        text += "; no public URL in the profile"
    return text


def citation_html(source: dict[str, Any], *, note: bool = True) -> str:
    """The citation as HTML: the regulation's title linked to its public URL (escaped); ``note``: with the
    profile's note on it."""
    if not source:
        return "<span class=\"citation\">no source recorded</span>"
    title = escape(str(source.get("regulation", "")))
    url = public_url(source)
    head = f'<a href="{escape(url)}" rel="noopener noreferrer">{title}</a>' if url else title
    rest = ", ".join(escape(str(source[k])) for k in ("number", "article") if source.get(k))
    tail = f", {escape(str(source['date']))}" if source.get("date") else ""
    status = f' <span class="source-status">[{escape(str(source["status"]))}]</span>' if source.get("status") else ""
    if url:
        retrieved = f", retrieved {escape(str(source['retrieved']))}" if source.get("retrieved") else ""
        where = f' <span class="source-url">({escape(url)}{retrieved})</span>'
    else:
        where = ' <span class="source-url">(no public URL in the profile)</span>'
    remark = (f'<br><span class="source-note">{escape(str(source["note"]))}</span>'
              if note and source.get("note") else "")
    return f'<span class="citation">{head}, {rest}{tail}{status}{where}{remark}</span>'


def link_name(source: dict[str, Any]) -> str:
    """A short label for a link to the source: number and article."""
    return " ".join(str(source[k]) for k in ("number", "article") if source.get(k)) or "source"


# -- reproducing a failure -----------------------------------------------------------------------------------


def curl_line(request: RecordedRequest) -> str:
    """A shell line that sends the recorded request to a product served at $PRODUCT_URL."""
    parts = ["curl", "-sS", "-i", "-X", request.method, f'"{PRODUCT_URL}"{shlex.quote(request.path)}']
    if request.body:
        parts += ["-H", shlex.quote(f"Content-Type: {request.content_type or 'application/json'}"),
                  "--data-binary", shlex.quote(request.body)]
    return " ".join(parts)


def replay_command(bundle: str, product_id: str, requirement: str) -> str:
    return (f"./sandbox replay {shlex.quote(bundle)} --product {shlex.quote('products/' + product_id)} "
            f"--requirement {shlex.quote(requirement)}")


def plain_message(result: RequirementResult) -> str:
    """The result in plain words, starting with its category's word (see allure.CATEGORIES)."""
    text = result.message.strip()
    if result.status == "failed":
        return f"Product failure: {text}"
    if result.status == "broken":
        return f"Harness or environment error (not the product's fault): {text}"
    if result.status == "not_evaluated":
        blocks = " The certification is INCOMPLETE until it is evaluated." if result.level == "MUST" else ""
        return f"Not evaluated: {text}.{blocks}".replace("..", ".")
    if result.status == "not_applicable":
        return f"Not applicable: {result.rule or text}"
    if result.status == "waived":
        w = result.waiver or {}
        return (f"Waived: the product failed ({text}); waiver approved by {w.get('approver')} until "
                f"{w.get('expires')}: {w.get('reason')}")
    return ""


class _Writer:
    """Writes attachment files into the staged results folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def attach(self, name: str, data: Any, kind: str = "json") -> dict[str, str]:
        extension, media = {"json": ("json", "application/json"), "svg": ("svg", "image/svg+xml")}.get(
            kind, ("txt", "text/plain"))
        source = f"{uuid.uuid4()}-attachment.{extension}"
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str) if kind == "json" else str(data)
        (self.folder / source).write_text(text, encoding="utf-8")
        return {"name": name, "source": source, "type": media}

    def statistics(self, statistics: dict[str, Any] | None) -> list[dict[str, str]]:
        """The statistics of a sampled decision, and their chart (estimates, intervals, thresholds)."""
        if not statistics:
            return []
        chart = interval_chart(statistics)
        return [self.attach("statistics", statistics)] + ([self.attach("chart", chart, kind="svg")] if chart else [])


def _step(name: str, status: str, start: int, *, message: str = "", attachments: list[dict[str, str]] | None = None,
          steps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    step: dict[str, Any] = {"name": name, "status": status, "stage": "finished", "start": start, "stop": start,
                            "attachments": attachments or [], "steps": steps or [], "parameters": []}
    if message:
        step["statusDetails"] = {"message": message}
    return step


def _parsed(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) and text else text
    except json.JSONDecodeError:
        return text


def _exchange_steps(writer: _Writer, replay: ReplayDocument | None, start: int) -> list[dict[str, Any]]:
    steps = []
    for n, request in enumerate(replay.requests if replay else [], 1):
        answer = "no answer" if request.status is None else f"HTTP {request.status}"
        attachments = [
            writer.attach(f"request {n}: {request.method} {request.path}",
                          {"method": request.method, "path": request.path, "content_type": request.content_type,
                           "body": _parsed(request.body)}),
            writer.attach(f"response {n}: {answer}", {"status": request.status, "body": _parsed(request.response)}),
            writer.attach(f"curl {n}", curl_line(request) + "\n", kind="text"),
        ]
        steps.append(_step(f"{request.method} {request.path} → {answer}", "passed", start, attachments=attachments))
    return steps


def _steps(writer: _Writer, result: RequirementResult, verdict: VerdictDocument, replay: ReplayDocument | None,
           bundle: str, start: int) -> list[dict[str, Any]]:
    inputs = f"Generate inputs: {result.examples} example(s) from seed {verdict.seed}, as of {verdict.as_of}"
    status = ALLURE_STATUS[result.status]
    if result.status in ("not_evaluated", "not_applicable"):
        return [_step(plain_message(result), status, start)]
    if result.status == "passed":
        stats = writer.statistics(result.statistics)
        return [_step(inputs, "passed", start),
                _step("Check: the requirement held on every example", "passed", start, attachments=stats)]
    if result.status == "broken":
        return [_step(inputs, "passed", start), _step("Check: could not be evaluated", "broken", start,
                                                      message=plain_message(result))]
    counter = [writer.attach("counterexample (shrunk)", result.counterexample)] \
        if result.counterexample is not None else []
    counter += writer.statistics(result.statistics)
    exchanges = _exchange_steps(writer, replay, start)
    commands = [replay_command(bundle, verdict.product.id, result.id)]
    commands += [curl_line(r) for r in (replay.requests if replay else [])]
    how = ("Re-send the recorded requests to the product and compare the answers:\n  " + commands[0] + "\n"
           + ("\nOr by hand, with PRODUCT_URL set to where the product is served (e.g. http://127.0.0.1:8080):\n  "
              + "\n  ".join(commands[1:]) + "\n" if len(commands) > 1 else ""))
    sent = [_step(f"Send the shrunk counterexample to the product ({len(exchanges)} HTTP exchange(s))", "passed",
                  start, steps=exchanges)] if exchanges else []
    return [
        _step(inputs, "passed", start), *sent,
        _step("Check: " + result.title, status, start, message=plain_message(result), attachments=counter),
        _step("Reproduce: sandbox replay", "passed", start,
              attachments=[writer.attach("how to reproduce", how, kind="text")]),
    ]


def _description(result: RequirementResult, verdict: VerdictDocument) -> str:
    rows = [("Requirement", f"{result.id} [{result.level}] {result.title}"), ("Status", result.status),
            ("Check", result.check), ("Examples", str(result.examples)),
            ("Seed / as of", f"{verdict.seed} / {verdict.as_of}")]
    lines = "".join(f"<p><b>{escape(k)}:</b> {escape(v)}</p>" for k, v in rows)  # Allure strips table styles
    return (f"{lines}<p><b>Source:</b> {citation_html(result.source)}</p>"
            + (f"<p>{escape(plain_message(result))}</p>" if result.status != "passed" else ""))


def _result(result: RequirementResult, verdict: VerdictDocument, old: dict[str, Any], writer: _Writer,
            replay: ReplayDocument | None, bundle: str) -> dict[str, Any]:
    start = int(old.get("start") or 0)
    labels = [lab for lab in old.get("labels", []) if lab.get("name") not in DROPPED_LABELS]
    if not any(lab.get("name") == "requirement" for lab in labels):
        labels += [{"name": "epic", "value": f"{verdict.profile.region} ({verdict.profile.id} "
                                             f"{verdict.profile.version})"},
                   {"name": "feature", "value": result.capability}, {"name": "requirement", "value": result.id},
                   {"name": "severity", "value": result.severity}, {"name": "tag", "value": result.level}]
    labels += [{"name": "parentSuite", "value": f"{verdict.profile.id} {verdict.profile.version}"},
               {"name": "suite", "value": result.capability}]
    url = public_url(result.source)
    kept = [a for a in old.get("attachments", []) if a.get("name") != "counterexample"]
    for a in kept:
        if a.get("name") == "log":
            a["name"] = "harness log (HTTP requests of every example)"
    doc: dict[str, Any] = {
        "uuid": old.get("uuid") or str(uuid.uuid4()),
        "historyId": old.get("historyId") or f"{verdict.profile.id}#{result.id}",
        "testCaseId": old.get("testCaseId") or f"{verdict.profile.id}#{result.id}",
        "fullName": old.get("fullName") or f"profiles.{verdict.profile.id}#{result.id}",
        "name": f"{result.id} [{result.level}] {result.title}", "status": ALLURE_STATUS[result.status],
        "stage": "finished", "start": start, "stop": int(old.get("stop") or start),
        "descriptionHtml": _description(result, verdict), "labels": labels,
        "links": [{"type": "link", "url": url, "name": link_name(result.source)}] if url else [],
        "parameters": [{"name": "seed", "value": str(verdict.seed), "excluded": True},
                       {"name": "as of", "value": str(verdict.as_of), "excluded": True}],
        "steps": _steps(writer, result, verdict, replay, bundle, start), "attachments": kept,
    }
    if result.status != "passed":
        doc["statusDetails"] = {"message": plain_message(result)}
    return doc


def _requirement_of(data: dict[str, Any]) -> str | None:
    for lab in data.get("labels", []):
        if lab.get("name") == "requirement":
            return str(lab.get("value"))
    return None


def rewrite_results(folder: Path, verdict: VerdictDocument, replays: list[ReplayDocument], bundle: str, *,
                    staged: bool = True) -> int:
    """Rewrite the results in ``folder`` (see the module docstring); returns the requirement entries. ``staged``
    (a copy for a report): also give every requirement without a result one, and remove results of requirements
    the verdict does not have; otherwise (the run's own folder) only the results there are rewritten."""
    by_id = {r.requirement: r for r in replays}
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted(folder.glob("*-result.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        requirement = _requirement_of(data)
        if requirement is None:
            continue  # someone's own test beside the profile: left as it is
        previous = found.get(requirement)
        if previous is not None:  # a rerun of the same requirement: keep the latest
            keep_new = int(data.get("stop") or 0) >= int(previous[1].get("stop") or 0)
            (previous[0] if keep_new else path).unlink()
            if not keep_new:
                continue
        found[requirement] = (path, data)
    writer = _Writer(folder)
    for result in verdict.requirements:
        if result.id not in found and not staged:
            continue
        path, old = found.get(result.id, (folder / f"{uuid.uuid4()}-result.json", {}))
        new = _result(result, verdict, old, writer, by_id.get(result.id), bundle)
        path.write_text(json.dumps(new, indent=2, ensure_ascii=False), encoding="utf-8")
    for requirement, (path, _) in found.items():
        if staged and requirement not in {r.id for r in verdict.requirements}:
            path.unlink()
    return len(verdict.requirements)

"""Live console output with rich: one line per requirement as it finishes, then a verdict table."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from harness.verdict import RequirementResult

STYLE = {"passed": "green", "failed": "bold red", "broken": "bold magenta", "not_applicable": "dim",
         "not_evaluated": "bold yellow", "waived": "cyan"}
VERDICT_STYLE = {"CERTIFIED": "bold green", "CERTIFIED_WITH_FINDINGS": "bold yellow", "NOT_CERTIFIED": "bold red",
                 "INCOMPLETE": "bold yellow"}


class ConsoleReport:
    """A pytest plugin object for the CLI: prints progress and keeps the finished run."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or _console()
        self.run: Any = None

    def pytest_sandbox_run_started(self, run: Any) -> None:
        self.console.print(
            f"[bold]Certifying[/] {run.manifest.id} {run.manifest.version} against profile {run.profile.id} "
            f"{run.profile.version} ({run.profile.digest[:19]}…), runner {run.runner.name}, seed {run.seed}")

    def pytest_sandbox_progress(self, message: str) -> None:
        self.console.print(f"  [dim]{message}[/]")

    def pytest_sandbox_requirement_done(self, result: RequirementResult) -> None:
        status = f"[{STYLE[result.status]}]{result.status.upper():14}[/]"
        detail = f" — {result.message}" if result.status != "passed" and result.message else ""
        self.console.print(f"  {status} {result.id} [{result.level}] {result.title} "
                           f"[dim]({result.examples} ex, {result.duration_s:.2f}s)[/]{_clip(detail, 160)}")

    def pytest_sandbox_run_finished(self, run: Any) -> None:
        self.run = run

    def summary(self, run: Any, out: str) -> None:
        document = run.model()
        table = Table(title=f"{run.manifest.id} × {run.profile.id}", show_lines=False)
        for col in ("Requirement", "Level", "Status", "Counterexample / reason"):
            table.add_column(col, overflow="fold")
        for r in document.requirements:
            detail = r.message if r.counterexample is None else json.dumps(r.counterexample, default=str)
            table.add_row(r.id, r.level, f"[{STYLE[r.status]}]{r.status}[/]",
                          "" if r.status == "passed" else _clip(detail, 300))
        self.console.print(table)
        self.console.print(f"Scope: {', '.join(document.scope.capabilities)}"
                           + (f" (not certified here: {', '.join(document.scope.excluded)})"
                              if document.scope.excluded else ""))
        verdict = document.verdict
        grade = "" if document.runner.get("grade") == "certification" else " (development run, in-process)"
        self.console.print(f"Verdict: [{VERDICT_STYLE[verdict]}]{verdict.replace('_', ' ')}[/]{grade}   "
                           f"seed {run.seed}, as of {run.as_of} (repeat with --seed {run.seed} --as-of {run.as_of})"
                           f"   results in {out}")
        why_not = document.unsignable_reason()
        if why_not is not None:
            self.console.print(f"[bold yellow]This run cannot be signed: {why_not}.[/]")
        if document.next_step:
            self.console.print(f"To complete it: {document.next_step}")


def _console() -> Console:
    """A terminal gets its own width; a log (CI, a pipe) gets lines wide enough not to wrap every result."""
    probe = Console()
    return Console(highlight=False, width=None if probe.is_terminal else 160)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

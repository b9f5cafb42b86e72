"""sandbox profiles [NAME] [--check-sources]: list profiles and their requirements, or audit their citations
and that every shipped profile file's version has its entry in sandbox_profiles/CHANGELOG.md."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rich.console import Console
from rich.table import Table

HELP = "list profiles and their requirements"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="show one profile (a name or a path)")
    parser.add_argument("--check-sources", action="store_true",
                        help="list requirements whose source lacks a URL, a retrieved date or a status, and "
                        "shipped profile versions without a CHANGELOG.md entry; exit 1 if any, 0 otherwise")


def missing_sources(names: list[str]) -> list[str]:
    """One line per requirement (of the named profiles) whose source cannot be followed: no ``url``, no
    ``retrieved`` date or no ``status``. Each requirement is reported once, under the file that defines it."""
    from harness.profiles import load_profile

    lines: dict[tuple[str, str], str] = {}
    for name in names:
        profile = load_profile(name)
        for req in profile.requirements:
            gaps = req.source.missing() + ([] if req.source.status else ["status"])
            where = _relative(req.defined_in or profile.path)
            key = (where, req.id)
            if gaps and key not in lines:
                lines[key] = f"{where}: {req.id}.source: missing {', '.join(gaps)}"
    return sorted(lines.values())


CHANGELOG = "CHANGELOG.md"


def changelog_entries(text: str) -> set[tuple[str, str]]:
    """(profile id, version) pairs of a changelog: ``## <id>`` sections holding ``### <version>`` entries."""
    entries: set[tuple[str, str]] = set()
    section = ""
    for line in text.splitlines():
        if m := re.match(r"^## +`?([A-Za-z0-9_.-]+)`?\s*$", line):
            section = m[1]
        elif (m := re.match(r"^### +`?([A-Za-z0-9_.-]+)`?", line)) and section:
            entries.add((section, m[1]))
    return entries


def missing_changelog(names: list[str]) -> list[str]:
    """One line per shipped profile file (in the profiles folder) whose ``version`` has no entry in the
    folder's CHANGELOG.md: a requirement changed without saying what and why. Files elsewhere are not checked."""
    from harness._yaml import load_mapping
    from harness.errors import ProfileError
    from harness.profiles import load_profile, profiles_dir

    root = profiles_dir().resolve()
    files: set[Path] = set()
    for name in names:
        profile = load_profile(name)
        files |= {Path(p).resolve() for p in [profile.path, *(r.defined_in for r in profile.requirements)] if p}
    shipped = sorted(f for f in files if f.is_relative_to(root))
    if not shipped:
        return []
    log = root / CHANGELOG
    entries = changelog_entries(log.read_text(encoding="utf-8")) if log.is_file() else set()
    lines = []
    for path in shipped:
        data = load_mapping(path, ProfileError, "profile")
        pid, version = str(data.get("id", "")), str(data.get("version", ""))
        if (pid, version) not in entries:
            lines.append(f"{_relative(str(path))}: version {version} of {pid} has no entry in "
                         f"{_relative(str(log))} (add '### {version}' under '## {pid}': what changed, why, source)")
    return lines


def _relative(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


def run(args: argparse.Namespace) -> int:
    from harness.profiles import available_profiles, load_profile

    names = [args.name] if args.name else available_profiles()
    if args.check_sources:
        lines = missing_sources(names) + missing_changelog(names)
        for line in lines:
            print(line)
        return 1 if lines else 0
    console = Console(highlight=False)
    for name in names:
        profile = load_profile(name)
        table = Table(title=f"{profile.id} {profile.version} — {profile.title} ({' → '.join(profile.lineage)})")
        for col in ("ID", "Level", "Check", "Title", "Source"):
            table.add_column(col, overflow="fold")
        for r in profile.requirements:
            src = r.source
            cited = f"{src.regulation}, {src.number} {src.article} ({src.date}, {src.status})"
            table.add_row(r.id, r.level, r.check, r.title, cited + (f"\n{src.url}" if src.url else ""))
        console.print(table)
    return 0

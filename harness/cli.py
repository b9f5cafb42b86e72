"""``sandbox`` command line. Exit codes: 0 CERTIFIED or WITH FINDINGS (or success), 1 NOT CERTIFIED (or
an invalid certificate), 2 bad input (one line on stderr naming the file, the field and the fix; also a
product not certifiable under the profile), 3 the run crashed before a verdict, 4 INCOMPLETE (an in-scope
MUST not evaluated, or nothing evaluated), 130 interrupted.

Each subcommand is a module in ``harness.commands`` with ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; modules are discovered, so a new command is a new file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from datetime import date
from typing import NoReturn

from harness.errors import HarnessError

USAGE_ERROR = 2
EXIT_CODES = """exit codes:
  0    CERTIFIED or CERTIFIED WITH FINDINGS (other commands: success; verify: certificate valid)
  1    NOT CERTIFIED (verify: certificate invalid)
  2    bad input: profile, manifest, waiver, certificate or argument (one line naming file, field, fix),
       or a product not certifiable under the profile (it lacks a capability the profile requires)
  3    the run crashed before a verdict was reached
  4    INCOMPLETE: an in-scope MUST requirement was not evaluated or broken, or nothing was evaluated
  130  interrupted (Ctrl-C)"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, exit 2 (not argparse's usage dump)
        self.exit(USAGE_ERROR, f"sandbox: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    import harness.commands as package
    from harness import __version__

    parser = _Parser(prog="sandbox", description="Fintech regulatory-sandbox certification harness",
                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"sandbox {__version__}",
                        help="print the harness version and exit")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"harness.commands.{info.name}")
        name = getattr(module, "NAME", info.name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP, epilog=EXIT_CODES,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(command)
        command.set_defaults(handler=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    _terminate_like_interrupt()
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args))
    except HarnessError as exc:
        print(f"sandbox: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("sandbox: interrupted", file=sys.stderr)
        return 130


def _terminate_like_interrupt() -> None:
    """SIGTERM before a run installs its own handling behaves like Ctrl-C (exit 130, not a silent kill)."""
    import signal
    import threading

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def date_type(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def seed_type(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

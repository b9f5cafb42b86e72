"""sandbox replay BUNDLE --product DIR [--requirement ID] [--runner NAME]

Re-sends the recorded requests of each failure in a bundle (``replay/<REQ-ID>.json``: the requests of
the last, shrunk, failing example) to a freshly started product and compares the answers with the
recorded ones. Exit 0: every answer is the recorded one (the failure reproduces as recorded); exit 1:
some answer differs (e.g. the vendor fixed it; the differences are printed); exit 2: bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.documents.replay import RecordedRequest

HELP = "re-send the recorded failing requests of a bundle to the product and compare the answers"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from harness.runners import RUNNERS

    parser.add_argument("bundle", metavar="BUNDLE", help="bundle folder or its .tar.gz")
    parser.add_argument("--product", required=True, metavar="DIR", help="product folder holding product.yaml")
    parser.add_argument("--requirement", metavar="ID", help="replay only this requirement's failure")
    parser.add_argument("--runner", choices=RUNNERS, help="default: the runner of the recorded run")


def _parsed(text: Any) -> Any:
    try:
        return json.loads(text) if isinstance(text, str) else text
    except json.JSONDecodeError:
        return text


def replay_requests(http: Any, requests: list[RecordedRequest]) -> list[dict[str, Any]]:
    """Send each recorded request; return one row per request with the recorded and the new answer."""
    rows = []
    for recorded in requests:
        headers = {"content-type": recorded.content_type or "application/json"} if recorded.body else {}
        response = http.request(recorded.method, recorded.path, content=recorded.body.encode(), headers=headers)
        same = response.status_code == recorded.status and _parsed(response.text) == _parsed(recorded.response)
        rows.append({"method": recorded.method, "path": recorded.path, "recorded_status": recorded.status,
                     "status": response.status_code, "same": same, "response": response.text[:2000],
                     "recorded_response": recorded.response})
    return rows


def run(args: argparse.Namespace) -> int:
    from harness.errors import IncorrectUsage
    from harness.evidence.bundle import open_bundle
    from harness.manifests import load_manifest
    from harness.profiles import Profile
    from harness.runners import get_runner

    manifest = load_manifest(args.product)
    with open_bundle(args.bundle) as bundle:
        profile = bundle.read_model("profile.json", Profile, what="resolved profile")
        cases = bundle.replays()
    if args.requirement:
        cases = [c for c in cases if c.requirement == args.requirement]
    if not cases:
        which = f" for {args.requirement}" if args.requirement else ""
        raise IncorrectUsage(f"{args.bundle}: replay: no recorded failure{which} in this bundle")
    differs = 0
    for case in cases:
        if case.product.id != manifest.id:
            raise IncorrectUsage(f"--product: {args.product} is {manifest.id}; the failure was recorded for "
                                 f"{case.product.id}")
        runner = get_runner(args.runner or case.runner)
        print(f"{case.requirement}: {case.message}")
        try:
            runner.start(manifest, profile)
            http = runner.wire(profile.hypothesis.request_timeout_s)  # the path the run's requests took
            try:
                rows = replay_requests(http, case.requests)
            finally:
                http.close()
        finally:
            runner.stop()
        for row in rows:
            mark = "same" if row["same"] else "DIFFERS"
            print(f"  {row['method']} {row['path']} → {row['status']} (recorded {row['recorded_status']}): {mark}")
            if not row["same"]:
                differs += 1
                print(f"    now:      {row['response'][:300]}\n    recorded: {str(row['recorded_response'])[:300]}")
    print("reproduced: every answer is the recorded one" if not differs else f"{differs} answer(s) differ",
          file=sys.stdout)
    return 1 if differs else 0

"""Seeded defect for NAT-IFACE-003: a batch prices every application at the first one's contract date.

A plausible optimisation gone wrong: the batch handler looks the rate up once per batch. Single decisions are
the reference's, so only a check that compares a batch with single requests can see it.
"""

from typing import Any

from rural_microloan.api import CreditApp


class OneRateBatch(CreditApp):
    def decide_batch(self, body: Any) -> tuple[int, Any]:
        if isinstance(body, dict) and isinstance(body.get("applications"), list) and body["applications"]:
            items = body["applications"]
            first = items[0].get("contract_date") if isinstance(items[0], dict) else None
            body = {"applications": [{**item, "contract_date": first} if isinstance(item, dict) else item
                                     for item in items]}
        return super().decide_batch(body)


def create_app() -> object:
    return OneRateBatch()

"""Seeded defect for GZ-XB-007: Checks only names and accounts for the travel rule, no originator identifier."""

from typing import Any

from xborder_payments import compliance, service


def names_and_accounts(originator: dict[str, Any], beneficiary: dict[str, Any]) -> list[str]:
    # Defect: the address / national ID / customer ID / birth date-and-place requirement was left out.
    return [f"{who}.{key}" for who, party in (("originator", originator), ("beneficiary", beneficiary))
            for key in ("name", "account") if not str(party.get(key, "")).strip()]


compliance.travel_rule_gaps = names_and_accounts
service.travel_rule_gaps = names_and_accounts


def create_app() -> object:
    from xborder_payments.api import XBorderApp

    return XBorderApp()

"""Points-based scorecard. Every feature's points are monotone in the direction a lender expects."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

BASE_POINTS = 500


@dataclass(frozen=True)
class Reason:
    code: str
    feature: str
    improve: str
    description: str


REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason("DELINQUENCIES", "delinquencies_24m", "decrease", "Delinquent payments in the last 24 months"),
        Reason("LOW_INCOME", "annual_incomes", "increase", "Income too low for the amount requested"),
        Reason("SHORT_CREDIT_HISTORY", "credit_history_months", "increase", "Credit history too short"),
        Reason("SHORT_EMPLOYMENT", "employment_years", "increase", "Too little time in current occupation"),
        Reason("HIGH_DEBT_BURDEN", "monthly_debt_payments", "decrease", "Debt payments too high for income"),
        Reason("BALANCE_LIMIT", "existing_balance", "decrease", "Outstanding micro-loan balance at its limit"),
        Reason("PROHIBITED_PURPOSE", "purpose", "change", "Loan purpose not permitted for this product"),
        Reason("BULLET_TERM", "term_months", "decrease", "Bullet repayment only up to 12 months"),
    )
}


def average_income(applicant: dict[str, Any]) -> Decimal:
    incomes = [Decimal(x) for x in applicant["annual_incomes"]]
    return sum(incomes, Decimal(0)) / Decimal(len(incomes))


def age_points(age: int) -> int:
    if age < 25:
        return 10
    if age < 35:
        return 25
    if age < 55:
        return 35
    if age < 65:
        return 25
    return 10


def feature_points(applicant: dict[str, Any]) -> dict[str, int]:
    """Points per scored feature (protected attributes are never read)."""
    avg = average_income(applicant)
    return {
        "annual_incomes": min(90, int(avg / 2000)),
        "employment_years": min(30, 3 * int(applicant["employment_years"])),
        "credit_history_months": min(40, int(applicant["credit_history_months"]) // 3),
        "delinquencies_24m": -35 * int(applicant["delinquencies_24m"]),
        "age": age_points(int(applicant["age"])),
        "occupation": 10 if applicant["occupation"] == "farmer" else 0,
    }


MAX_POINTS = {"annual_incomes": 90, "employment_years": 30, "credit_history_months": 40, "delinquencies_24m": 0}
REASON_FOR_FEATURE = {
    "delinquencies_24m": "DELINQUENCIES",
    "annual_incomes": "LOW_INCOME",
    "credit_history_months": "SHORT_CREDIT_HISTORY",
    "employment_years": "SHORT_EMPLOYMENT",
}


def decline_reasons(applicant: dict[str, Any]) -> list[str]:
    """Reason codes ordered by how many points the feature lost (largest shortfall first), at most four."""
    points = feature_points(applicant)
    shortfall = {f: MAX_POINTS[f] - points[f] for f in MAX_POINTS if MAX_POINTS[f] - points[f] > 0}
    ranked = sorted(shortfall, key=lambda f: (-shortfall[f], f))
    return [REASON_FOR_FEATURE[f] for f in ranked][:4] or ["LOW_INCOME"]

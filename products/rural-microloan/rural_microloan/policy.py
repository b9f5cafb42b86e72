"""Lending policy: the regulatory figures this product applies, with their sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

D = Decimal
# Decimal values are immutable, so using them as dataclass defaults is safe.

# One-year Loan Prime Rate as published by the National Interbank Funding Center (effective dates).
LPR_1Y: tuple[tuple[date, Decimal], ...] = (
    (date(2019, 8, 20), D("0.0425")), (date(2019, 9, 20), D("0.0420")), (date(2019, 11, 20), D("0.0415")),
    (date(2020, 2, 20), D("0.0405")), (date(2020, 4, 20), D("0.0385")), (date(2021, 12, 20), D("0.0380")),
    (date(2022, 1, 20), D("0.0370")), (date(2022, 8, 22), D("0.0365")), (date(2023, 6, 20), D("0.0355")),
    (date(2023, 8, 21), D("0.0345")), (date(2024, 7, 22), D("0.0335")), (date(2024, 10, 21), D("0.0310")),
    (date(2025, 5, 20), D("0.0300")),
)

# CBIRC Order 2020 No. 9: no home purchase or mortgage repayment; no stocks, bonds, futures, derivatives or
# asset-management products; no fixed-asset or equity investment.
PROHIBITED_PURPOSES = frozenset(
    {"home_purchase", "mortgage_repayment", "securities", "bonds", "futures", "derivatives", "asset_management",
     "fixed_asset_investment", "equity_investment"}
)


def rate_on(table: tuple[tuple[date, Decimal], ...], day: date) -> Decimal:
    """The rate in force on ``day`` (the last one whose effective date is on or before it)."""
    current = table[0][1]
    for effective, rate in table:
        if effective <= day:
            current = rate
    return current


@dataclass(frozen=True)
class Policy:
    lpr_table: tuple[tuple[date, Decimal], ...] = LPR_1Y
    apr_cap_multiple: Decimal = D(4)  # Fa Shi [2020] No. 17, Art. 25 (in force since 2021-01-01)
    internet_credit_cap: Decimal = D("200000.00")  # CBIRC Order 2020 No. 9
    bullet_max_term_months: int = 12  # CBIRC Order 2020 No. 9
    microloan_balance_cap: Decimal = D("300000.00")  # draft of 2020-11-02
    microloan_income_fraction: Decimal = D(1) / D(3)
    min_lender_share: Decimal = D("0.30")  # co-lending
    review_above: Decimal = D("50000.00")  # human review of large amounts
    prohibited_purposes: frozenset[str] = field(default=PROHIBITED_PURPOSES)
    cutoff: int = 600
    max_debt_to_income: Decimal = D("0.55")
    min_loan: Decimal = D("1000.00")
    branch_product_max: Decimal = D("500000.00")

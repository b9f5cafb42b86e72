"""Strategies and populations for credit applications (contract ``credit`` v1).

Regions are Chongqing county codes (GB/T 2260). The four ethnic autonomous counties (Shizhu, Xiushan,
Youyang, Pengshui) matter for fairness: a product penalising them penalises Tujia and Miao applicants.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import numpy as np
from hypothesis import strategies as st

from harness.strategies.money import amounts

AUTONOMOUS_COUNTIES = ("500240", "500241", "500242", "500243")
OTHER_COUNTIES = ("500101", "500102", "500110", "500115", "500228", "500229", "500230", "500231", "500233",
                  "500235", "500236", "500237", "500238")
PERMITTED_PURPOSES = ("consumption", "agriculture", "business_operation", "education", "medical")
PROTECTED_VALUES: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male"),
    "ethnicity": ("han", "tujia", "miao", "other_minority"),
    "marital_status": ("single", "married", "divorced", "widowed"),
}


def money_str(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01")))


_FACTORS = st.lists(st.decimals(min_value=Decimal("0.7"), max_value=Decimal("1.3"), places=2), min_size=3, max_size=3)
_LEVELS = st.one_of(amounts("5000", "250000"), amounts("0", "3000000"))


@st.composite
def incomes(draw: st.DrawFn) -> list[str]:
    """Three yearly incomes around one level (typical rural incomes, or anywhere up to 3 million)."""
    level = draw(_LEVELS)
    factors = draw(_FACTORS)
    return [money_str(level * f) for f in factors]


_INCOMES = incomes()
_BALANCES = st.one_of(st.just(Decimal(0)), amounts("0", "300000"))
_DEBT_PAYMENTS = st.one_of(st.just(Decimal(0)), amounts("0", "20000"))


# Strategies are built once, here: Hypothesis validates a strategy object the first time it draws from it,
# and a strategy built inside a draw is a new object every time (about half of an application's cost).
_AGE, _EMPLOYMENT, _HISTORY, _LATE = st.integers(18, 75), st.integers(0, 40), st.integers(0, 240), st.integers(0, 6)
_GENDER = st.sampled_from(PROTECTED_VALUES["gender"])
_ETHNICITY = st.sampled_from(PROTECTED_VALUES["ethnicity"])
_MARITAL = st.sampled_from(PROTECTED_VALUES["marital_status"])
_REGION = st.sampled_from(AUTONOMOUS_COUNTIES + OTHER_COUNTIES)
_OCCUPATION = st.sampled_from(("farmer", "individual_business", "employee", "self_employed"))


_APPLICANT_FIELDS: tuple[tuple[str, st.SearchStrategy[Any]], ...] = (
    ("age", _AGE), ("gender", _GENDER), ("ethnicity", _ETHNICITY), ("marital_status", _MARITAL),
    ("region_code", _REGION), ("occupation", _OCCUPATION), ("annual_incomes", _INCOMES),
    ("employment_years", _EMPLOYMENT), ("credit_history_months", _HISTORY), ("delinquencies_24m", _LATE),
    ("existing_balance", _BALANCES.map(money_str)), ("monthly_debt_payments", _DEBT_PAYMENTS.map(money_str)),
)


@st.composite
def applicants(draw: st.DrawFn, **fixed: Any) -> dict[str, Any]:
    """Every field drawn unless ``fixed`` pins it (a pinned field is not drawn at all: a draw whose value is
    thrown away still costs its time and lengthens what Hypothesis shrinks)."""
    applicant = {key: fixed[key] if key in fixed else draw(strategy) for key, strategy in _APPLICANT_FIELDS}
    applicant.update(fixed)
    return applicant


_LOAN_AMOUNT, _TERM = amounts("1000", "500000"), st.integers(1, 60)
_REPAYMENT = st.sampled_from(("amortizing", "bullet"))
_PURPOSE = st.sampled_from(PERMITTED_PURPOSES)
_CHANNEL = st.sampled_from(("internet", "branch"))
_APP_NUMBER = st.integers(0, 10**9)


_LOAN_FIELDS: tuple[tuple[str, st.SearchStrategy[Any]], ...] = (
    ("amount", _LOAN_AMOUNT.map(money_str)), ("term_months", _TERM), ("repayment_type", _REPAYMENT),
    ("purpose", _PURPOSE), ("channel", _CHANNEL), ("co_lending", st.booleans()),
)


@st.composite
def loans(draw: st.DrawFn, **fixed: Any) -> dict[str, Any]:
    """As :func:`applicants`: a field ``fixed`` pins is not drawn."""
    loan = {key: fixed[key] if key in fixed else draw(strategy) for key, strategy in _LOAN_FIELDS}
    loan.update(fixed)
    return loan


@cache
def contract_dates(start: date = date(2020, 1, 1), end: date = date(2026, 10, 31)) -> st.SearchStrategy[date]:
    return st.dates(min_value=start, max_value=end)


_NEAR_LINE_LATE, _NEAR_LINE_DEBT = st.integers(0, 1), amounts("0", "1500")
_NEAR_LINE_AMOUNT, _NEAR_LINE_TERM, _NEAR_LINE_LEVEL = amounts("1000", "60000"), st.integers(12, 60), amounts(
    "30000", "400000")


@st.composite
def approvable_applications(draw: st.DrawFn, dates: st.SearchStrategy[date] | None = None) -> dict[str, Any]:
    """Applications close enough to the approval line that pricing, limits and review rules are exercised."""
    late, debt = draw(_NEAR_LINE_LATE), money_str(draw(_NEAR_LINE_DEBT))
    amount, term = money_str(draw(_NEAR_LINE_AMOUNT)), draw(_NEAR_LINE_TERM)
    level = money_str(draw(_NEAR_LINE_LEVEL))
    return draw(applications(applicant={"delinquencies_24m": late, "existing_balance": "0.00",
                                        "monthly_debt_payments": debt, "annual_incomes": [level] * 3},
                             loan={"amount": amount, "term_months": term, "repayment_type": "amortizing"},
                             dates=dates))


def mixed_applications(dates: st.SearchStrategy[date] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Half anything-goes, half near the approval line."""
    return st.one_of(applications(dates=dates), approvable_applications(dates=dates))


@st.composite
def applications(draw: st.DrawFn, applicant: dict[str, Any] | None = None, loan: dict[str, Any] | None = None,
                 dates: st.SearchStrategy[date] | None = None) -> dict[str, Any]:
    """A schema-valid application; ``applicant``/``loan`` pin fields, ``dates`` narrows the contract date."""
    return {
        "application_id": f"app-{draw(_APP_NUMBER)}",
        "contract_date": draw(dates if dates is not None else contract_dates()).isoformat(),
        "applicant": draw(applicants(**applicant) if applicant else _ANY_APPLICANT),
        "loan": draw(loans(**loan) if loan else _ANY_LOAN),
    }


_ANY_APPLICANT, _ANY_LOAN = applicants(), loans()


def good_applicant(**fixed: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Applicants a prudent lender would usually approve (so policy rules, not risk, decide)."""
    return applicants().map(_make_creditworthy).map(lambda a: {**a, **fixed})


def _make_creditworthy(a: dict[str, Any]) -> dict[str, Any]:
    return {**a, "delinquencies_24m": 0, "employment_years": max(a["employment_years"], 8),
            "credit_history_months": max(a["credit_history_months"], 120), "monthly_debt_payments": "0.00",
            "existing_balance": "0.00", "age": min(max(a["age"], 30), 50),
            "annual_incomes": [money_str(max(Decimal(x), Decimal("120000"))) for x in a["annual_incomes"]]}


GRID_INCOMES = ("30000.00", "45000.00", "60000.00", "90000.00", "120000.00")
GRID_DELINQUENCIES = (0, 1, 2)


def risk_grid(**loan: Any) -> list[dict[str, Any]]:
    """A fixed grid of applications across credit risk, from just below a prudent approval line to safely
    above it (yearly income 30,000–120,000 × 0–2 delinquencies, a modest 20,000 agricultural loan): for
    deterministic cases that must meet every price band of a risk-priced product, the cap included."""
    base = {"age": 40, "gender": "female", "ethnicity": "han", "marital_status": "married", "region_code": "500101",
            "occupation": "employee", "employment_years": 10, "credit_history_months": 120,
            "existing_balance": "0.00", "monthly_debt_payments": "0.00"}
    terms = {"amount": "20000.00", "term_months": 24, "repayment_type": "amortizing", "purpose": "agriculture",
             "channel": "branch", "co_lending": False, **loan}
    return [{"application_id": f"grid-{i}", "contract_date": "2025-06-30",
             "applicant": {**base, "annual_incomes": [income] * 3, "delinquencies_24m": late}, "loan": terms}
            for i, (income, late) in enumerate((x, d) for x in GRID_INCOMES for d in GRID_DELINQUENCIES)]


CHONGQING_ETHNICITY = (0.6, 0.2, 0.12, 0.08)  # han, tujia, miao, other minorities


def population(seed: int, size: int, ethnicity_shares: tuple[float, ...] = CHONGQING_ETHNICITY) -> list[dict[str, Any]]:
    """A seeded synthetic applicant population in which minorities mostly live in autonomous counties
    (as in Chongqing), while creditworthiness is independent of every protected attribute. The first k
    applicants of a population of size n are the population of size k. ``ethnicity_shares`` sets the mix
    (equal shares make the smallest group as large as it can be: a fairness sample's design choice; each
    group's own applicants are drawn the same way whatever the mix)."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(size):
        ethnicity = str(rng.choice(PROTECTED_VALUES["ethnicity"], p=list(ethnicity_shares)))
        counties = AUTONOMOUS_COUNTIES if (ethnicity != "han") == (rng.random() < 0.85) else OTHER_COUNTIES
        base = float(rng.lognormal(mean=11.0, sigma=0.6))  # ~60k CNY median; converted to Decimal below
        yearly = [Decimal(str(round(base * float(rng.uniform(0.85, 1.15)), 2))) for _ in range(3)]
        out.append({
            "application_id": f"pop-{seed}-{i}",
            "contract_date": "2025-06-30",
            "applicant": {
                "age": int(rng.integers(20, 65)),
                "gender": str(rng.choice(PROTECTED_VALUES["gender"])),
                "ethnicity": ethnicity,
                "marital_status": str(rng.choice(PROTECTED_VALUES["marital_status"])),
                "region_code": str(rng.choice(counties)),
                "occupation": str(rng.choice(["farmer", "individual_business", "employee", "self_employed"])),
                "annual_incomes": [money_str(y) for y in yearly],
                "employment_years": int(rng.integers(0, 25)),
                "credit_history_months": int(rng.integers(0, 180)),
                "delinquencies_24m": int(rng.poisson(0.5)),
                "existing_balance": "0.00",
                "monthly_debt_payments": money_str(Decimal(int(rng.integers(0, 3000)))),
            },
            "loan": {"amount": money_str(Decimal(int(rng.integers(5, 60)) * 1000)), "term_months": 24,
                     "repayment_type": "amortizing", "purpose": "agriculture", "channel": "branch",
                     "co_lending": False},
        })
    return out

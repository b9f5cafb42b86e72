"""Input validation for the credit contract: anything malformed becomes a ValueError naming the field."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

MONEY = re.compile(r"^(0|[1-9][0-9]{0,14})(\.[0-9]{1,2})?$")
RATE = re.compile(r"^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$")
PURPOSES = {"consumption", "agriculture", "business_operation", "education", "medical", "home_purchase",
            "mortgage_repayment", "securities", "bonds", "futures", "derivatives", "asset_management",
            "fixed_asset_investment", "equity_investment"}


class Invalid(ValueError):
    pass


def _obj(value: Any, where: str, required: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{where}: must be an object")
    missing = required - value.keys()
    if missing:
        raise Invalid(f"{where}.{sorted(missing)[0]}: required")
    extra = value.keys() - required
    if extra:
        raise Invalid(f"{where}.{sorted(extra)[0]}: unknown field")
    return value


def _int(value: Any, where: str, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise Invalid(f"{where}: must be an integer from {lo} to {hi}")


def _enum(value: Any, where: str, allowed: set[str]) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise Invalid(f"{where}: must be one of {sorted(allowed)}")


def _pattern(value: Any, where: str, pattern: re.Pattern[str], what: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Invalid(f"{where}: must be {what}")


def _date(value: Any, where: str) -> None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid(f"{where}: must be a date YYYY-MM-DD") from None


def application(body: Any) -> dict[str, Any]:
    app = _obj(body, "body", {"application_id", "contract_date", "applicant", "loan"})
    if not isinstance(app["application_id"], str) or not 1 <= len(app["application_id"]) <= 64:
        raise Invalid("application_id: must be a string of 1 to 64 characters")
    _date(app["contract_date"], "contract_date")
    a = _obj(app["applicant"], "applicant", {
        "age", "gender", "ethnicity", "marital_status", "region_code", "occupation", "annual_incomes",
        "employment_years", "credit_history_months", "delinquencies_24m", "existing_balance",
        "monthly_debt_payments"})
    _int(a["age"], "applicant.age", 18, 75)
    _enum(a["gender"], "applicant.gender", {"female", "male"})
    _enum(a["ethnicity"], "applicant.ethnicity", {"han", "tujia", "miao", "other_minority"})
    _enum(a["marital_status"], "applicant.marital_status", {"single", "married", "divorced", "widowed"})
    _pattern(a["region_code"], "applicant.region_code", re.compile(r"^[0-9]{6}$"), "a 6-digit county code")
    _enum(a["occupation"], "applicant.occupation", {"farmer", "individual_business", "employee", "self_employed"})
    incomes = a["annual_incomes"]
    if not isinstance(incomes, list) or len(incomes) != 3:
        raise Invalid("applicant.annual_incomes: must list exactly three yearly amounts")
    for i, income in enumerate(incomes):
        _pattern(income, f"applicant.annual_incomes[{i}]", MONEY, "a decimal amount string")
    _int(a["employment_years"], "applicant.employment_years", 0, 60)
    _int(a["credit_history_months"], "applicant.credit_history_months", 0, 720)
    _int(a["delinquencies_24m"], "applicant.delinquencies_24m", 0, 99)
    _pattern(a["existing_balance"], "applicant.existing_balance", MONEY, "a decimal amount string")
    _pattern(a["monthly_debt_payments"], "applicant.monthly_debt_payments", MONEY, "a decimal amount string")
    loan = _obj(app["loan"], "loan", {"amount", "term_months", "repayment_type", "purpose", "channel", "co_lending"})
    _pattern(loan["amount"], "loan.amount", MONEY, "a decimal amount string")
    if Decimal(loan["amount"]) <= 0:
        raise Invalid("loan.amount: must be positive")
    _int(loan["term_months"], "loan.term_months", 1, 60)
    _enum(loan["repayment_type"], "loan.repayment_type", {"amortizing", "bullet"})
    _enum(loan["purpose"], "loan.purpose", PURPOSES)
    _enum(loan["channel"], "loan.channel", {"internet", "branch"})
    if not isinstance(loan["co_lending"], bool):
        raise Invalid("loan.co_lending: must be true or false")
    return app


def schedule_request(body: Any) -> dict[str, Any]:
    req = _obj(body, "body", {"principal", "apr", "term_months", "repayment_type", "start_date"})
    _pattern(req["principal"], "principal", MONEY, "a decimal amount string")
    _pattern(req["apr"], "apr", RATE, "a rate between 0 and 1")
    _int(req["term_months"], "term_months", 1, 60)
    _enum(req["repayment_type"], "repayment_type", {"amortizing", "bullet"})
    _date(req["start_date"], "start_date")
    return req

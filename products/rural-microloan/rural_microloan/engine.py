"""Credit decisions and repayment schedules (all money in Decimal, CNY fen)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from rural_microloan import scorecard
from rural_microloan.policy import Policy, rate_on

FEN = Decimal("0.01")
D = Decimal


def money(x: Decimal) -> str:
    return str(x.quantize(FEN, rounding=ROUND_HALF_UP))


class CreditEngine:
    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()

    # -- pricing -----------------------------------------------------------------------------------
    def apr_cap(self, contract_date: date) -> Decimal:
        lpr = rate_on(self.policy.lpr_table, contract_date)
        return (lpr * self.policy.apr_cap_multiple).quantize(D("0.0001"), rounding=ROUND_DOWN)

    def price(self, points: int, contract_date: date) -> Decimal:
        risk_apr = D("0.06") + D(max(0, 700 - points)) * D("0.0012")
        return min(risk_apr, self.apr_cap(contract_date)).quantize(D("0.0001"), rounding=ROUND_DOWN)

    # -- limits ------------------------------------------------------------------------------------
    def income_multiple(self, points: int) -> Decimal:
        if points >= 700:
            return D("1.0")
        if points >= 650:
            return D("0.8")
        return D("0.5")

    def microloan_cap(self, applicant: dict[str, Any]) -> Decimal:
        """Balance cap for a natural person: min(cap, fraction × three-year average income)."""
        avg = scorecard.average_income(applicant)
        by_income = (avg * self.policy.microloan_income_fraction).quantize(FEN, rounding=ROUND_DOWN)
        return min(self.policy.microloan_balance_cap, by_income)

    def credit_limit(self, applicant: dict[str, Any], loan: dict[str, Any], points: int) -> Decimal:
        avg = scorecard.average_income(applicant)
        limits = [
            (avg * self.income_multiple(points)).quantize(FEN, rounding=ROUND_DOWN),
            self.microloan_cap(applicant) - D(applicant["existing_balance"]),
            self.policy.branch_product_max,
        ]
        if loan["channel"] == "internet":
            limits.append(self.policy.internet_credit_cap)
        return max(D(0), min(limits))

    def lender_share(self, amount: Decimal) -> Decimal:
        return D("0.50") if amount <= D("20000") else self.policy.min_lender_share

    def needs_review(self, amount: Decimal) -> bool:
        return amount > self.policy.review_above

    # -- decisions ---------------------------------------------------------------------------------
    def points(self, applicant: dict[str, Any]) -> int:
        return scorecard.BASE_POINTS + sum(scorecard.feature_points(applicant).values())

    def decide(self, app: dict[str, Any]) -> dict[str, Any]:
        applicant, loan = app["applicant"], app["loan"]
        points = self.points(applicant)
        limit = self.credit_limit(applicant, loan, points)
        result: dict[str, Any] = {
            "application_id": app["application_id"], "outcome": "declined", "automatic": True,
            "credit_limit": money(limit), "amount": None, "apr": None, "term_months": None,
            "repayment_type": None, "lender_share": None, "reason_codes": [],
        }
        reasons = self.policy_reasons(applicant, loan, points, limit)
        if reasons:
            result["reason_codes"] = reasons[:4]
            return result
        amount = min(D(loan["amount"]), limit)
        review = self.needs_review(amount)
        result.update(
            outcome="review" if review else "approved", automatic=not review, amount=money(amount),
            apr=str(self.price(points, date.fromisoformat(app["contract_date"]))),
            term_months=loan["term_months"], repayment_type=loan["repayment_type"],
            lender_share=str(self.lender_share(amount)) if loan["co_lending"] else None,
        )
        return result

    def policy_reasons(self, applicant: dict[str, Any], loan: dict[str, Any], points: int,
                       limit: Decimal) -> list[str]:
        if loan["purpose"] in self.policy.prohibited_purposes:
            return ["PROHIBITED_PURPOSE"]
        if loan["repayment_type"] == "bullet" and loan["term_months"] > self.policy.bullet_max_term_months:
            return ["BULLET_TERM"]
        if points < self.policy.cutoff:
            return scorecard.decline_reasons(applicant)
        if self.debt_to_income(applicant, loan) > self.policy.max_debt_to_income:
            return ["HIGH_DEBT_BURDEN"]
        if limit < self.policy.min_loan:
            if self.microloan_cap(applicant) - D(applicant["existing_balance"]) < self.policy.min_loan:
                return ["BALANCE_LIMIT"]
            return ["LOW_INCOME"]
        return []

    def debt_to_income(self, applicant: dict[str, Any], loan: dict[str, Any]) -> Decimal:
        monthly_income = scorecard.average_income(applicant) / 12
        if monthly_income <= 0:
            return D("Infinity")
        new_payment = D(loan["amount"]) / D(loan["term_months"])
        return (D(applicant["monthly_debt_payments"]) + new_payment) / monthly_income

    # -- schedules ---------------------------------------------------------------------------------
    def schedule(self, req: dict[str, Any]) -> dict[str, Any]:
        principal, apr, n = D(req["principal"]), D(req["apr"]), int(req["term_months"])
        start = date.fromisoformat(req["start_date"])
        r = apr / 12
        rows = []
        balance = principal
        payment = self.level_payment(principal, r, n)
        for k in range(1, n + 1):
            interest = self.interest(balance, r)
            if req["repayment_type"] == "bullet":
                part = principal if k == n else D(0)
            else:
                # never repay more than is owed: a level payment rounded up to the fen would otherwise drive a
                # tiny balance below zero before the last instalment
                part = balance if k == n else min(payment - interest, balance)
            balance -= part
            rows.append({"number": k, "due_date": add_months(start, k).isoformat(), "payment": money(part + interest),
                         "principal": money(part), "interest": money(interest), "balance": money(balance)})
        total_interest = sum((D(row["interest"]) for row in rows), D(0))
        return {"apr": str(apr), "instalments": rows, "total_interest": money(total_interest),
                "total_payment": money(principal + total_interest)}

    @staticmethod
    def interest(balance: Decimal, monthly_rate: Decimal) -> Decimal:
        return (balance * monthly_rate).quantize(FEN, rounding=ROUND_HALF_UP)

    @staticmethod
    def level_payment(principal: Decimal, r: Decimal, n: int) -> Decimal:
        if r == 0:
            return (principal / n).quantize(FEN, rounding=ROUND_HALF_UP)
        factor = (1 + r) ** n
        return (principal * r * factor / (factor - 1)).quantize(FEN, rounding=ROUND_HALF_UP)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reason_code_list() -> list[dict[str, str]]:
    return [vars(r) for r in scorecard.REASONS.values()]

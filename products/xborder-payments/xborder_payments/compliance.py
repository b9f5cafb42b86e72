"""Compliance rules: the individual annual FX quota (SAFE 2007), large-value transaction reports (PBOC
Order [2016] No. 3), the travel rule (FATF Recommendation 16) and holds of payments to or from a listed
party (AML Law 2024 Arts. 40-41)."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


class QuotaLedger:
    """USD-equivalent FX purchases per natural person per calendar year."""

    def __init__(self, quota_usd: Decimal) -> None:
        self.quota = quota_usd
        self.used: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        self._lock = threading.Lock()

    def period(self, person_id: str, day: date) -> tuple[str, int]:
        """The quota period a purchase on ``day`` belongs to: the calendar year (it resets on 1 January)."""
        return person_id, day.year

    def usage(self, person_id: str, year: int) -> Decimal:
        return self.used[(person_id, year)]

    def try_use(self, person_id: str, day: date, usd: Decimal) -> list[str]:
        with self._lock:
            key = self.period(person_id, day)
            if self.used[key] + usd > self.quota:
                return ["annual_quota_exceeded"]
            self.used[key] += usd
            return []


@dataclass
class Report:
    report_id: str
    person_id: str
    day: date
    currency_class: str
    currency: str
    total: Decimal
    payments: list[str] = field(default_factory=list)


class LargeValueReporting:
    """Files one report per person, day and currency class once the day's total reaches the threshold."""

    def __init__(self, cny_threshold: Decimal, usd_threshold: Decimal) -> None:
        self.thresholds = {"CNY": cny_threshold, "FOREIGN": usd_threshold}
        self.totals: dict[tuple[str, date, str], Decimal] = defaultdict(Decimal)
        self.payments: dict[tuple[str, date, str], list[str]] = defaultdict(list)
        self.reports: dict[tuple[str, date, str], Report] = {}
        self._lock = threading.Lock()

    def reaches(self, total: Decimal, currency_class: str) -> bool:
        return total >= self.thresholds[currency_class]

    def record(self, person_id: str, day: date, payment_id: str, amount: Decimal, currency: str,
               usd_equivalent: Decimal) -> Report | None:
        currency_class = "CNY" if currency == "CNY" else "FOREIGN"
        key = (person_id, day, currency_class)
        with self._lock:
            self.totals[key] += amount if currency_class == "CNY" else usd_equivalent
            self.payments[key].append(payment_id)
            if key in self.reports:
                report = self.reports[key]
            elif self.reaches(self.totals[key], currency_class):
                report = Report(f"LVR-{day:%Y%m%d}-{len(self.reports) + 1:05d}", person_id, day, currency_class,
                                "CNY" if currency_class == "CNY" else "USD", Decimal(0))
                self.reports[key] = report
            else:
                return None
            report.total, report.payments = self.totals[key], list(self.payments[key])
            return report

    def filed(self, day: date) -> list[Report]:
        return [r for r in self.reports.values() if r.day == day]


def travel_rule_gaps(originator: dict[str, Any], beneficiary: dict[str, Any]) -> list[str]:
    """What FATF R.16 requires that the transfer lacks: names and accounts of both parties, and one of the
    originator's address, national ID, customer ID, or date and place of birth."""
    gaps = [f"{who}.{key}" for who, party in (("originator", originator), ("beneficiary", beneficiary))
            for key in ("name", "account") if not str(party.get(key, "")).strip()]
    identifiers = [originator.get("address"), originator.get("national_id"), originator.get("person_id")]
    has_birth = bool(str(originator.get("birth_date", "")).strip() and str(originator.get("birth_place", "")).strip())
    if not any(str(x or "").strip() for x in identifiers) and not has_birth:
        gaps.append("originator.address|national_id|customer_id|birth_date+birth_place")
    return gaps


@dataclass(frozen=True)
class SanctionsReport:
    report_id: str
    payment_id: str
    day: date
    party: str
    entry_id: str
    amount: str
    currency: str


class Holds:
    """Payments held because a party is on the sanctions list, each with the report filed for it."""

    def __init__(self) -> None:
        self.reports: list[SanctionsReport] = []
        self._lock = threading.Lock()

    def hold(self, payment_id: str, day: date, party: str, entry_id: str, amount: str, currency: str
             ) -> SanctionsReport:
        with self._lock:
            report = SanctionsReport(f"SAN-{day:%Y%m%d}-{len(self.reports) + 1:05d}", payment_id, day, party,
                                     entry_id, amount, currency)
            self.reports.append(report)
            return report

    def filed(self, day: date) -> list[SanctionsReport]:
        return [r for r in self.reports if r.day == day]

"""Seeded defect for NAT-CREDIT-001: every LPR change applied one day late (a batch job that loads the new
rate the morning after its effective day), so on the day of a cut the cap is still 4 × the old rate."""

from datetime import timedelta

from rural_microloan.api import CreditApp
from rural_microloan.engine import CreditEngine
from rural_microloan.policy import LPR_1Y, Policy

LATE = tuple((effective + timedelta(days=1), rate) for effective, rate in LPR_1Y)


def create_app() -> object:
    return CreditApp(CreditEngine(Policy(lpr_table=LATE)))

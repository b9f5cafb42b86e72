"""Seeded defect for GZ-XB-009: an initial is scored by edit distance like any token, never as a prefix.

"D. Volkov" scores 74 against "Dmitri Volkov" and is missed; the sampled recall is about 0.91 (its 99.5 %
upper bound about 0.96, so the statistical rule alone lets it through); the must-catch initials fail it.
"""

from rapidfuzz import fuzz
from xborder_payments import screening
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class NoInitialsScreener(screening.Screener):
    @staticmethod
    def token_score(query: str, entry: str) -> float:
        return fuzz.ratio(query, entry)  # Defect: no prefix rule for a one-letter token


class Service(XBorderService):
    screener_class = NoInitialsScreener


def create_app() -> object:
    return XBorderApp(Service())

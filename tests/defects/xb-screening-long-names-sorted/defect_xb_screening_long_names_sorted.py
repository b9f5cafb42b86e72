"""Seeded defect for GZ-XB-009: a name of more than six tokens is scored by rapidfuzz's token_sort_ratio
alone, so its initials are never matched as prefixes (what the reference screener did until the test list got
an eight-token name: three mutants of that switch survived every run before).

"M. d. l. Á. F. d. l. Fuente" scores below the threshold against "María de los Ángeles Fernández de la
Fuente"; every name of six tokens or fewer is screened as the reference screens it.
"""

from rapidfuzz import fuzz
from xborder_payments import screening
from xborder_payments.api import XBorderApp
from xborder_payments.service import XBorderService


class SortedLongNames(screening.Screener):
    def score(self, query: list[str], entry: list[str], arabic: bool) -> float:
        if len(query) > 6:  # Defect: no token-wise alignment, so no initials, for long names
            return fuzz.token_sort_ratio(" ".join(query), " ".join(entry))
        return super().score(query, entry, arabic)


class Service(XBorderService):
    screener_class = SortedLongNames


def create_app() -> object:
    return XBorderApp(Service())

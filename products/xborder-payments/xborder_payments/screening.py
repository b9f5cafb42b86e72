"""Sanctions screening: transliterate, normalise, then fuzzy-match names token by token (rapidfuzz).

Names in Han characters are romanised with pypinyin (surname first, given name joined), other scripts
with unidecode. A name matches an entry when its tokens align with the entry's in any order (an initial
matches a token starting with that letter), or when the names match with spaces removed; names written
in Arabic script, where short vowels are not written, are also compared on their consonant skeleton.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from itertools import permutations

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz
from unidecode import unidecode

HAN = re.compile(r"[\u4e00-\u9fff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
NOT_ALNUM = re.compile(r"[^a-z0-9]+")
VOWELS = re.compile(r"[aeiouyw]")


def romanise(name: str) -> str:
    if HAN.search(name):
        syllables = lazy_pinyin(name.replace(" ", ""))
        return " ".join([syllables[0], "".join(syllables[1:])]) if len(syllables) > 1 else syllables[0]
    return unidecode(unicodedata.normalize("NFKC", name))


def tokens(name: str, *, join_hyphens: bool = False) -> list[str]:
    text = romanise(name).lower().replace("'", "").replace("`", "")
    if join_hyphens:
        text = text.replace("-", "")
    return [t for t in NOT_ALNUM.split(text) if t]


def skeleton(words: list[str]) -> str:
    return "".join(VOWELS.sub("", w) for w in words)


@dataclass(frozen=True)
class Entry:
    entry_id: str
    name: str
    forms: tuple[tuple[str, ...], ...]


class Screener:
    def __init__(self, threshold: float = 80.0) -> None:
        self.threshold = threshold
        self.list_id = ""
        self.entries: list[Entry] = []
        self._lock = threading.Lock()

    def load(self, list_id: str, entries: list[dict[str, str]]) -> int:
        loaded = [Entry(e["entry_id"], e["name"], tuple({tuple(tokens(e["name"], join_hyphens=j)): None
                                                          for j in (False, True)}))
                  for e in entries]
        with self._lock:
            self.list_id, self.entries = list_id, loaded
        return len(loaded)

    def screen(self, name: str) -> dict[str, object]:
        query = tokens(name)
        arabic = bool(ARABIC.search(name))
        best: tuple[float, Entry | None] = (0.0, None)
        for entry in self.entries:
            score = max(self.score(query, list(form), arabic) for form in entry.forms)
            if score > best[0]:
                best = (score, entry)
        score, entry = best
        hit = entry is not None and score >= self.threshold
        return {"hit": hit, "entry_id": entry.entry_id if hit and entry else None,
                "matched_name": entry.name if hit and entry else None, "score": round(score, 2)}

    def score(self, query: list[str], entry: list[str], arabic: bool) -> float:
        if not query or not entry:
            return 0.0
        # A long name (7! = 5,040 orders is too many to try): whole tokens in any order by token_sort_ratio,
        # and the token-wise alignment (initials as prefixes) in the order as written only.
        long = len(query) > 6
        best = fuzz.token_sort_ratio(" ".join(query), " ".join(entry)) if long else 0.0
        for order in [tuple(query)] if long else self.orders(query):
            pairs = [self.token_score(q, e) for q, e in zip(order, entry, strict=False)]
            best = max(best, sum(pairs) / max(len(query), len(entry)), fuzz.ratio("".join(order), "".join(entry)))
            if arabic:
                best = max(best, fuzz.ratio(skeleton(list(order)), skeleton(entry)))
        return best

    def orders(self, query: list[str]) -> list[tuple[str, ...]]:
        """The token orders tried: all of them (names are written family name first or last)."""
        return list(permutations(query))

    @staticmethod
    def token_score(query: str, entry: str) -> float:
        if len(query) == 1:
            return 100.0 if entry.startswith(query) else 0.0
        return fuzz.ratio(query, entry)

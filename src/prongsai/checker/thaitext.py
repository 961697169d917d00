"""Thai text as documents and pages give it, made fit for matching: repaired, normalised and tokenised.

Thai has no spaces between words, so "the page contains the term แผน" cannot be a substring test:
แผนที่ (map) and แผนผัง (chart) contain แผน but are not plans, ข้อมูลข่าวสาร (official information) is not
ข่าว (news). A term matches only where it starts and ends on PyThaiNLP newmm word boundaries. The
dictionary is PyThaiNLP's with the frameworks' key terms added and the compounds that would swallow a
key term into a longer grammatical word removed (แผนการ, ให้บริการ, การป้องกัน, รายงานประจำปี …), so
แผนการจัดซื้อจัดจ้าง still shows แผน and จัดซื้อจัดจ้าง.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pythainlp.util import Trie

__all__ = ["MAX_TEXT_CHARS", "normalise", "repair", "squeeze", "tidy", "tokens"]

MAX_TEXT_CHARS = 2_000_000  # ~2 MB: more text than any OIT document needs, and tokenising stays bounded
_WINDOW = 60  # characters of context tokenised around a candidate match (newmm decisions are local)
_MAX_TRIES = 200  # candidate occurrences examined per term before giving up (a term that only hides in words)

# --- tidying and normalising ------------------------------------------------------------------

# Text is repaired and normalised several times per page, so these are written for speed: a regex pass
# instead of str.translate (which walks Thai text at ~55 ns a character), ``in`` checks before a pass that
# usually finds nothing, and str.split() for whitespace (3–4× faster than re.sub(r"\s+", " ", …)).
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# Thai fonts without proper mapping make PDFs (and text copied from them) spell ำ as ํ + า, sometimes
# with the tone mark in between, and people type แ as เ + เ; both hide words from the matcher.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def repair(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    if "\u0e4d" in text:
        text = _SARA_AM.sub("\\1\u0e33", text)
    # ำ never starts a syllable: a space before it is a PDF artefact (PDFium reads LibreOffice's headings
    # as ประจ ำปี, placing a separately drawn space by its position).
    text = text.replace("\u0e40\u0e40", "\u0e41").replace(" \u0e33", "\u0e33")
    return text.replace("\u0e33\u0e32", "\u0e33")  # ำ drawn as its own glyph plus า


def squeeze(text: str) -> str:
    """Runs of whitespace as one space, none at either end."""
    return " ".join(text.split())


def tidy(text: str) -> str:
    """Text for Document.text: repaired, lines kept, runs of spaces and blank lines collapsed."""
    lines = repair(text).split("\n")
    return "\n".join([" ".join(words) for line in lines if (words := line.split())])[:MAX_TEXT_CHARS]


def normalise(text: str) -> str:
    """NFC, Thai digits as Arabic (PyThaiNLP), whitespace collapsed to single spaces, Latin case-folded."""
    text = repair(text)
    if any(digit in text for digit in _THAI_DIGITS):
        from prongsai.thai import to_arabic_digits  # PyThaiNLP: imported the first time it is needed

        text = to_arabic_digits(text)
    return squeeze(text).casefold()


# --- tokens and terms ---------------------------------------------------------------------

_THAI = re.compile("[\u0e00-\u0e7f]")
# Grammatical morphemes that PyThaiNLP's dictionary glues onto content words (แผน+การ, ให้+บริการ,
# รายงาน+ประจำปี): a dictionary word made only of these and key terms is split so that the key terms show.
_GLUE = ("การ", "ความ", "ให้", "งาน", "ประจำปี")
# Agency words newmm otherwise splits or swallows (ดำเนิน|งานประจำปี).
_AGENCY_WORDS = (
    "ดำเนินงาน",
    "ประจำปี",
    "ปีงบประมาณ",
    "ความเสี่ยง",
    "ความโปร่งใส",
    "จัดซื้อจัดจ้าง",
    "ทรัพยากรบุคคล",
    "เจตจำนง",
    "ไตรมาส",
    "องค์การบริหารส่วนตำบล",
    "เทศบาลตำบล",
)


def _segmentable(word: str, parts: frozenset[str]) -> bool:
    """True when ``word`` can be cut into two or more pieces, each one of ``parts``."""
    most = [0] + [-1] * len(word)  # the most pieces that reach each position; -1: unreachable
    for end in range(1, len(word) + 1):
        for start in range(end):
            if most[start] >= 0 and word[start:end] in parts:
                most[end] = max(most[end], most[start] + 1)
    return most[-1] >= 2


@functools.cache
def _key_terms() -> frozenset[str]:
    from prongsai.frameworks import load_all

    terms = {normalise(term) for framework in load_all() for item in framework.items for term in item.key_terms_th}
    return frozenset(term for term in terms if _THAI.search(term) and " " not in term)


@functools.cache
def _trie() -> Trie:
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    keys = _key_terms()
    parts = keys | frozenset(_GLUE)
    words = set(thai_words()) | keys | set(_AGENCY_WORDS)
    starts = tuple(parts)
    return dict_trie({word for word in words if not (word.startswith(starts) and _segmentable(word, parts))})


def _tokenise(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return list(word_tokenize(text, custom_dict=_trie(), engine="newmm", keep_whitespace=True))


def tokens(text: str) -> list[str]:
    """PyThaiNLP newmm word tokens of ``normalise(text)``, spaces dropped, with the agency dictionary."""
    return [token for token in _tokenise(normalise(text)) if not token.isspace()]


@functools.lru_cache(maxsize=4096)
def _boundaries(window: str) -> frozenset[int]:
    positions = [0]
    for token in _tokenise(window):
        positions.append(positions[-1] + len(token))
    return frozenset(positions)


@dataclass
class _Text:
    """A normalised text prepared for many term look-ups (best_item asks about 43 items at once)."""

    norm: str
    compact: str  # norm without spaces: terms are found here whatever spacing the author used
    shifts: list[int]  # compact index of the character after each removed space
    _seen: dict[tuple[str, bool], bool] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> _Text:
        norm = normalise(text)
        spaces = [match.start() for match in re.finditer(" ", norm)]
        return cls(norm, norm.replace(" ", ""), [position - rank for rank, position in enumerate(spaces)])

    def _norm_index(self, compact_index: int) -> int:
        return compact_index + bisect.bisect_right(self.shifts, compact_index)

    def has(self, term: str, *, loose_end: bool = False) -> bool:
        key = (term, loose_end)
        if key not in self._seen:
            self._seen[key] = self._search(term, loose_end)
        return self._seen[key]

    def _search(self, term: str, loose_end: bool) -> bool:
        needle = normalise(term)
        if not needle:
            return False
        if not _THAI.search(needle):
            # Latin terms (Facebook, Q&A, E-Service): word boundaries are not newmm's business.
            pattern = r"\s*".join(re.escape(part) for part in needle.split(" "))
            return re.search(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", self.norm) is not None
        needle = needle.replace(" ", "")
        start = self.compact.find(needle)
        for _ in range(_MAX_TRIES):
            if start < 0:
                return False
            begin, end = self._norm_index(start), self._norm_index(start + len(needle) - 1) + 1
            if self._on_boundaries(begin, end, loose_end):
                return True
            start = self.compact.find(needle, start + 1)
        return False

    def _on_boundaries(self, begin: int, end: int, loose_end: bool) -> bool:
        low, high = max(0, begin - _WINDOW), min(len(self.norm), end + _WINDOW)
        # Cut the window at spaces outside the match, so it starts and ends on real word edges.
        cut = self.norm.find(" ", low, begin)
        low = cut + 1 if low > 0 and cut >= 0 else low
        cut = self.norm.rfind(" ", end, high)
        high = cut if high < len(self.norm) and cut >= 0 else high
        edges = _boundaries(self.norm[low:high])
        return begin - low in edges and (loose_end or end - low in edges)


@functools.lru_cache(maxsize=8)
def _prepared(text: str) -> _Text:
    return _Text.of(text)

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
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pythainlp.util import Trie

__all__ = [
    "MAX_TEXT_CHARS",
    "TextQuality",
    "normalise",
    "quality",
    "repair",
    "repair_am",
    "squeeze",
    "tidy",
    "tokens",
    "usable",
]

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


# Old Thai fonts (TH SarabunPSK, Angsana, Cordia in Word PDFs without ActualText) draw a moved tone mark or
# vowel as a Private-Use-Area glyph, and a PDF's text layer then holds that code point instead of the mark.
# The Windows (U+F700–U+F71A) and Mac (U+F884–U+F89E) positions are those of HarfBuzz's Thai PUA fallback
# shaper (hb-ot-shaper-thai.cc): SD (shifted down), SDL (down-left), SL (left) and RD (descender removed).
_PUA_MARKS = {
    **dict.fromkeys((0xF70A, 0xF705, 0xF713, 0xF88B, 0xF88C, 0xF88A), "\u0e48"),
    **dict.fromkeys((0xF70B, 0xF706, 0xF714, 0xF88E, 0xF88F, 0xF88D), "\u0e49"),
    **dict.fromkeys((0xF70C, 0xF707, 0xF715, 0xF891, 0xF892, 0xF890), "\u0e4a"),
    **dict.fromkeys((0xF70D, 0xF708, 0xF716, 0xF894, 0xF895, 0xF893), "\u0e4b"),
    **dict.fromkeys((0xF70E, 0xF709, 0xF717, 0xF897, 0xF898, 0xF896), "\u0e4c"),
    **dict.fromkeys((0xF718, 0xF89B), "\u0e38"),
    **dict.fromkeys((0xF719, 0xF89C), "\u0e39"),
    **dict.fromkeys((0xF71A, 0xF89D), "\u0e3a"),
    **dict.fromkeys((0xF710, 0xF884), "\u0e31"),
    **dict.fromkeys((0xF701, 0xF885), "\u0e34"),
    **dict.fromkeys((0xF702, 0xF886), "\u0e35"),
    **dict.fromkeys((0xF703, 0xF887), "\u0e36"),
    **dict.fromkeys((0xF704, 0xF888), "\u0e37"),
    **dict.fromkeys((0xF712, 0xF889), "\u0e47"),
    **dict.fromkeys((0xF711, 0xF899), "\u0e4d"),
    **dict.fromkeys((0xF70F, 0xF89A), "\u0e0d"),
    **dict.fromkeys((0xF700, 0xF89E), "\u0e10"),
}
_PUA = re.compile("[\uf700-\uf71a\uf884-\uf89e]")
_ANY_PUA = re.compile("[\uf700-\uf89e]")  # one range: a presence test 3× faster than _PUA's two
# A Thai consonant with the marks above it, then spaces, then า: Word's PDFs draw ำ as ํ + า and, with the ํ
# lost, leave a gap (ส านักงาน, ประจ าปี). No Thai word starts with า or ำ, so the gap is never a word break.
_SPACED_AM = re.compile("([\u0e01-\u0e2e][\u0e31\u0e34-\u0e37\u0e47-\u0e4e]*) +[\u0e32\u0e33]")
# Spaces before a mark above or below a consonant (ย ั่งยืน, ทั ่วไป): a mark never starts a word, so the
# break is the PDF's placing of a separately drawn glyph.
_SPACED_MARK = re.compile(" +(?=[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])")
_SPACE_MARK = re.compile(" [\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # starts with a literal: a fast presence test
# repair runs several times on every page and document, so its rarer repairs first look for their symptom
# in a sample (the start, middle and end of a long text): a font's artefacts run through the whole text.
_SLICE = 10_000


def _sample(text: str) -> str:
    if len(text) <= 3 * _SLICE:
        return text
    middle = len(text) // 2
    return f"{text[:_SLICE]} {text[middle : middle + _SLICE]} {text[-_SLICE:]}"


def repair(text: str) -> str:
    """Thai text as its author typed it, as far as the text itself shows: NFC, no invisible characters,
    Private-Use-Area marks as Unicode, ำ whole (ํ + า, ส านัก), แ for เ + เ, no space before a mark, and, where
    the text shows the symptoms, ำ and า put back by the dictionary (:func:`repair_am`)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    if _ANY_PUA.search(_sample(text)):
        text = _PUA.sub(lambda match: _PUA_MARKS[ord(match.group())], text)
    if "\u0e4d" in text:
        text = _SARA_AM.sub("\\1\u0e33", text)
    # ำ never starts a syllable: a space before it is a PDF artefact (PDFium reads LibreOffice's headings
    # as ประจ ำปี, placing a separately drawn space by its position).
    text = text.replace("\u0e40\u0e40", "\u0e41").replace(" \u0e33", "\u0e33")
    text = text.replace("\u0e33\u0e32", "\u0e33")  # ำ drawn as its own glyph plus า
    if " \u0e32" in text:
        text = _SPACED_AM.sub("\\1\u0e33", text)
    if _SPACE_MARK.search(text):
        text = _SPACED_MARK.sub("", text)
    return repair_am(text)


# --- ำ and า by the dictionary ----------------------------------------------------------------------
# Word PDFs set in TH SarabunPSK lose ำ (ดาเนินงาน, สานักงาน) or give ำ for every า (ยุทธศำสตร์, กำร); one
# document may do both. A word is put right when its broken spelling is not a word and the right one is:
# the text is cut with PyThaiNLP newmm over the dictionary plus every such broken spelling, and each broken
# spelling found as a whole token becomes its word. Only a text that shows the symptom in its most
# frequent words is cut (the check below is one regex scan), so sound text is never changed and stays cheap.
_AM_SYMPTOMS = re.compile(
    "กำร|ควำม|งำน|ตำม|หน้ำ"  # ำ for า in the most frequent words
    "|ดาเนิน|ประจาปี|สานัก|จานวน|กาหนด|ตาบล|อาเภอ|คาสั่ง|จัดทา"  # ำ lost
    "|กฏ|ปฎ"  # the common misspellings of กฎ (rule, law) and ปฏิ- (ปฏิบัติ)
)
_TO_PATAK = str.maketrans("ฎฏ", "ฏฎ")


@functools.cache
def _am_words() -> tuple[Trie, dict[str, str]]:
    """The dictionary with the broken spellings added, and each broken spelling's word: ำ lost or put for า,
    and ฏ/ฎ swapped, wherever the broken spelling is not itself a word."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    words = set(thai_words()) | set(_AGENCY_WORDS)
    broken: dict[str, str] = {}
    for word in sorted(words):
        if "\u0e33" in word:  # ำ lost: ดำเนิน read as ดาเนิน
            broken.setdefault(word.replace("\u0e33", "\u0e32"), word)
        if "\u0e32" in word:  # ำ for า: ยุทธศาสตร์ read as ยุทธศำสตร์
            broken.setdefault(word.replace("\u0e32", "\u0e33"), word)
        if "ฎ" in word or "ฏ" in word:  # ฏ and ฎ confused: กฏหมาย for กฎหมาย, ปฎิบัติ for ปฏิบัติ
            broken.setdefault(word.translate(_TO_PATAK), word)
    broken = {spelling: word for spelling, word in broken.items() if spelling not in words}
    return dict_trie(words | broken.keys()), broken


def repair_am(text: str) -> str:
    """``text`` with words whose ำ was lost or put for า (or whose ฏ/ฎ were swapped) spelled right again, where
    the text shows that symptom."""
    if not _AM_SYMPTOMS.search(_sample(text)):
        return text
    from pythainlp.tokenize import word_tokenize

    trie, broken = _am_words()
    cut = word_tokenize(text, custom_dict=trie, engine="newmm", keep_whitespace=True)
    return "".join([broken.get(token, token) for token in cut])


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


# --- is a text layer Thai a person could read? ---------------------------------------------------------


class TextQuality(StrEnum):
    """What a document's text layer is, for deciding whether it can be judged (or needs OCR)."""

    GOOD = "good"
    EMPTY = "empty"  # no text: a scan or pictures of text
    PUA_GLYPHS = "pua_glyphs"  # glyph numbers of an embedded font (pdf2htmlEX, fonts without a Unicode map)
    LEGACY_ENCODING = "legacy_encoding"  # a pre-Unicode Thai font read as Latin-1/Mac symbols (·π«∑“ß‡«)
    CONTROL_CODES = "control_codes"  # font codes below U+0020 or in C1 instead of letters
    OCR_NOISE = "ocr_noise"  # a scanner's Latin OCR of a Thai page (I:tilururaau), or Thai that forms no words


QUALITY_SAMPLE = 20_000  # characters looked at: a text layer is made one way throughout
_MIN_LETTERS = 40  # fewer letters say too little to judge; such a text is taken as it is
# Words that make up a quarter of any English text; OCR noise of a Thai page has almost none of them.
_ENGLISH = frozenset(
    {"the", "of", "and", "to", "in", "for", "is", "on", "by", "with", "as", "at", "be", "are", "this", "that"}
    | {"from", "or", "an", "it", "not", "was", "will", "which", "all", "has"}
)
_LATIN_WORD = re.compile(r"[a-z]+")
_WORDLIKE = 0.5  # share of Thai characters in dictionary words of two or more letters below which Thai is noise


# The commonest Thai words: written Thai has one of them every 15–20 letters, garbled Thai and font codes read
# as Thai letters hardly any. Plenty of them settles a text as words without the dictionary (which costs
# seconds to load in each reading worker).
_COMMON = re.compile("การ|และ|ของ|ที่|ใน|ให้|เป็น|ได้|จาก|โดย|เพื่อ|ความ|หน่วยงาน|ประจำ")
_COMMON_EVERY = 60  # Thai letters per common word below which a text is words for certain


def _dictionary_share(thai: str) -> float:
    """The share of ``thai``'s Thai characters that fall in dictionary words of two or more letters (1.0 for a
    text full of the commonest words, without asking the dictionary)."""
    sample = " ".join(run for run in re.findall("[\u0e01-\u0e4e]+", thai))[:2000]
    if len(_COMMON.findall(sample)) * _COMMON_EVERY >= len(sample):
        return 1.0
    words = _am_words()[0]
    total = sum(1 for char in sample if char != " ")
    if not total:
        return 1.0
    in_words = sum(len(token) for token in _tokenise(sample) if len(token) > 1 and token in words)
    return in_words / total


def quality(text: str) -> TextQuality:
    """Whether ``text`` (a document's text layer, repaired) is Thai a person could read, and what it is if not.

    Judged from the characters: mostly Private-Use-Area code points are font glyph numbers; mostly control
    codes are font codes; letters mostly outside Thai and ASCII are a legacy Thai font encoding; Latin letters
    with hardly any English words, where Thai is missing, are a scanner's OCR layer; Thai whose characters
    mostly form no dictionary words is garbled. A short text (a few words) is taken as it is.
    """
    sample = "".join(text[:QUALITY_SAMPLE].split())
    if not sample:
        return TextQuality.EMPTY
    thai = latin = pua = control = other = 0
    for char in sample:
        code = ord(char)
        if 0x0E01 <= code <= 0x0E5B:
            thai += 1
        elif char.isascii():
            if char.isalpha():
                latin += 1
            elif code < 0x20 or code == 0x7F:
                control += 1
        elif 0xE000 <= code <= 0xF8FF:
            pua += 1
        elif code <= 0x9F or code == 0xFFFD:
            control += 1
        elif not char.isdigit():
            other += 1
    if pua > 0.2 * len(sample):
        return TextQuality.PUA_GLYPHS
    if control > 0.1 * len(sample):
        return TextQuality.CONTROL_CODES
    letters = thai + latin + other
    if letters < _MIN_LETTERS or thai >= 0.5 * letters:
        if thai >= _MIN_LETTERS and _dictionary_share(sample) < _WORDLIKE:
            return TextQuality.OCR_NOISE
        return TextQuality.GOOD
    if other > latin:
        return TextQuality.LEGACY_ENCODING
    words = _LATIN_WORD.findall(text[:QUALITY_SAMPLE].casefold())  # with its spaces: words, not runs
    english = sum(word in _ENGLISH for word in words)
    if thai < 0.2 * letters and english < 0.05 * max(len(words), 1):
        return TextQuality.OCR_NOISE
    return TextQuality.GOOD


def usable(text: str) -> bool:
    """True when ``text`` can be judged as it is; False when only OCR (or a person) can read the document."""
    return quality(text) is TextQuality.GOOD

"""Where a line may break in a document's text: one function, applied by the renderer to every text of a
template's context, so that no line of the DOCX or its PDF breaks inside a number, an item code, a date's
"พ.ศ. ๒๕๖๕", a short English term or an official term, and no mark leaves its consonant.

Thai has no spaces between words, so Word and LibreOffice break lines with a dictionary (ICU in LibreOffice),
which splits what it does not know into syllables: "สำ|นักปลัดฯ", "ผู้|บริหาร", "(๘๒." / "๐๐)", "O" / "๑๗". The
text is segmented with PyThaiNLP's newmm over its dictionary plus the terms below and the caller's own (the
agency's name and units, the framework's titles), and a protected span gets a WORD JOINER (U+2060) before
each of its characters that could start a line; a space inside one (พ.ศ. ๒๕๖๕, Social Network) becomes a
no-break space. A joiner never goes before a combining vowel or tone mark, and a mark after a space loses the
space. Measured with LibreOffice 7.4 and poppler: U+2060 is invisible, takes no width, and pdftotext leaves
it out of the text layer, so the published PDF is searched as if it were not there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from pythainlp.corpus import thai_words
from pythainlp.tokenize import syllable_tokenize, word_tokenize
from pythainlp.util import Trie

__all__ = ["NBSP", "OFFICIAL_TERMS", "WJ", "plain", "typeset"]

WJ = "\u2060"
NBSP = "\u00a0"
ZWSP = "\u200b"

# Official terms that must not break: the ones a reviewer searches for, and the compounds ICU splits.
OFFICIAL_TERMS = (
    "สำนักปลัด", "สำนักงานปลัด", "งบประมาณ", "ปีงบประมาณ", "ผู้รับผิดชอบ", "ผู้บริหาร", "ตัวชี้วัด", "ความคืบหน้า",
    "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร",
    "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุข", "กองสวัสดิการสังคม", "กองยุทธศาสตร์และงบประมาณ",
    "คุณธรรม", "ความโปร่งใส", "การทุจริต", "ประพฤติมิชอบ", "ประจำปี", "มาตรการ", "หน่วยงาน", "เว็บไซต์",
    "คู่มือ", "ข้อมูล", "เจ้าหน้าที่", "ผู้มีส่วนได้ส่วนเสีย", "จัดซื้อจัดจ้าง", "ทรัพยากรบุคคล", "เรื่องร้องเรียน",
    "ความพึงพอใจ", "ผลการประเมิน", "ดำเนินการ", "ดำเนินงาน", "ผลคะแนน", "คะแนน", "ร้อยละ",
)  # fmt: skip

# Combining marks (above/below vowels, tone marks, thanthakhat…) and the vowels that follow a consonant and
# never start a syllable: no joiner goes before them, nothing may separate them from what precedes.
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_NON_INITIAL = f"{_MARKS}\u0e30\u0e32\u0e33\u0e45"
_NON_INITIAL_RE = re.compile(f"[{_NON_INITIAL}]")
_DIGIT = "0-9\u0e50-\u0e59"
# A number with its inner separators, the brackets and percent sign around it, and a code's letters (O๑๗).
_NUMBER = re.compile(rf"[(\[]?(?:[A-Za-z]{{1,3}}\.?)?[{_DIGIT}](?:[.,:/\-]?[{_DIGIT}])*%?[)\]]?")
# An abbreviation with dots (พ.ศ., ม.ค., ต.ค.) and the number after it: one unbreakable unit.
_ABBREVIATION = re.compile(rf"((?:[ก-ฮ]{{1,2}}\.){{1,3}}) +(?=[{_DIGIT}])")
# A short English term (Social Network, No Gift Policy): its spaces do not break.
_ENGLISH = re.compile(r"\b[A-Za-z][A-Za-z&'\-]*(?: [A-Za-z][A-Za-z&'\-]*){1,3}\b")
_SPACES = re.compile(r"[ \t]{2,}")
# ฯ (ปลัดฯ) and ๆ (ต่าง ๆ) end what they follow: never the first character of a line.
_ENDING = re.compile(r"(?<=\S)(?=ฯ)| (?=ๆ)")
_SPACE_BEFORE_MARK = re.compile(rf"[ {NBSP}]+(?=[{_MARKS}])")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_THAI = re.compile("[\u0e01-\u0e4e]")


def plain(text: str) -> str:
    """The text as a reader searches it: joiners dropped, no-break spaces as spaces."""
    return text.replace(WJ, "").replace(ZWSP, "").replace(NBSP, " ")


def _join(span: str) -> str:
    """The span with a joiner before each character that could start a line."""
    out = [span[:1]]
    for char in span[1:]:
        if char not in (" ", NBSP) and not _NON_INITIAL_RE.match(char) and out[-1] not in (" ", NBSP):
            out.append(WJ)
        out.append(NBSP if char == " " else char)
    return "".join(out)


# Letters up to which a term is kept whole; a longer one (an indicator's or an agency's name) may break between
# its words, else a narrow table cell must break it anywhere (ปร / ะสิทธิภาพการสื่อสาร).
LONG_TERM = 12
# Letters up to which two overlapping terms are kept whole together (ประจำปี + ปีงบประมาณ).
OVERLAP_WHOLE = 16


@lru_cache(maxsize=4096)
def _join_term(term: str) -> str:
    """A Thai term with a joiner between its syllables only (สำ⁠นัก⁠ปลัด): the line breaker breaks unknown words
    at syllables, and a joiner before every letter made poppler drop marks from their letters (ผู้รบ / ั).
    A long term is joined word by word, with a break allowed between its words."""
    if len(term) <= LONG_TERM:
        return WJ.join(syllable_tokenize(term, engine="dict"))
    # The official terms inside it (การทุจริต in การป้องกันการทุจริต) are words of their own: never broken.
    words = word_tokenize(term, custom_dict=_trie(frozenset(OFFICIAL_TERMS)), engine="newmm", keep_whitespace=False)
    return ZWSP.join(WJ.join(syllable_tokenize(word, engine="dict")) for word in words)


@lru_cache(maxsize=32)
def _trie(terms: frozenset[str]) -> Trie:
    """The dictionary with the terms, less the longer words that would swallow one (เจ้าหน้าที่ของรัฐ,
    การดำเนินการ, ประจำปีงบประมาณ): inside such a word the term would get no joiners, and ICU breaks it."""
    inside = re.compile("|".join(map(re.escape, sorted(terms, key=len, reverse=True))))
    return Trie({w for w in thai_words() if w in terms or not inside.search(w)} | terms)


def _protected(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in (plain(x).strip() for x in (*OFFICIAL_TERMS, *terms)) if t and " " not in t)


def _spans(text: str, protected: frozenset[str]) -> list[tuple[int, int, bool]]:
    """(start, end, overlapped) of the protected terms in ``text``: each occurrence that starts or ends where a
    word does (newmm ties would otherwise decide: การ|ดำเนิน|การตาม), a term inside a longer one dropped, and
    overlapping ones made one span (ประจำปี + ปีงบประมาณ: ประจำปีงบประมาณ, kept whole if short)."""
    tokens = word_tokenize(text, custom_dict=_trie(protected), engine="newmm", keep_whitespace=True)
    edges = {0, *accumulate(len(token) for token in tokens)}
    found = []
    for term in protected:
        at = text.find(term)
        while at >= 0:
            if at in edges or at + len(term) in edges:
                found.append((at, at + len(term)))
            at = text.find(term, at + 1)
    spans: list[tuple[int, int, bool]] = []
    for begin, end in sorted(found, key=lambda span: (span[0], -span[1])):
        if spans and begin < spans[-1][1]:
            if end > spans[-1][1]:
                spans[-1] = (spans[-1][0], end, True)
            continue
        spans.append((begin, end, False))
    return spans


def _thai_part(text: str, protected: frozenset[str]) -> str:
    if not _THAI.search(text) or not any(term in text for term in protected):
        return text
    out: list[str] = []
    done = 0
    for begin, end, overlapped in _spans(text, protected):
        term = text[begin:end]
        whole = overlapped and len(term) <= OVERLAP_WHOLE  # ประจำปีงบประมาณ; a longer one breaks between words
        joined = WJ.join(syllable_tokenize(term, engine="dict")) if whole else _join_term(term)
        # A zero-width space on each side of a joined term tells the line breaker where the words around it
        # end: without it ICU's dictionary, meeting the joiners, breaks the neighbour mid-word (ขอ|งองค์การ…).
        out += (text[done:begin], ZWSP, joined, ZWSP)
        done = end
    out.append(text[done:])
    return re.sub(f"{ZWSP}+", ZWSP, re.sub(f"(^|[ {NBSP}]){ZWSP}|{ZWSP}(?=[ {NBSP}]|$)", r"\1", "".join(out)))


def typeset(text: str, terms: Iterable[str] = ()) -> str:
    """``text`` with no break allowed inside its numbers, codes, abbreviated dates, short English terms and
    official terms (``OFFICIAL_TERMS`` and ``terms``: the agency's name, its units, the framework's words),
    and single spaces. Idempotent; URLs are left as they are, since a long one must be able to wrap."""
    if not text or _URL.fullmatch(text.strip()):
        return text
    text = _SPACE_BEFORE_MARK.sub("", _SPACES.sub(" ", text.replace(WJ, "").replace(ZWSP, "")))
    terms = list(terms)
    multiword = sorted({plain(t).strip() for t in terms if " " in plain(t).strip()}, key=len, reverse=True)
    protected = _protected(terms)
    parts = []
    for piece in re.split(f"({_URL.pattern})", text):
        if _URL.fullmatch(piece):
            parts.append(piece)
            continue
        for phrase in multiword:  # a name with spaces (เทศบาลตำบล บ้านดอน): its spaces do not break
            piece = piece.replace(phrase, phrase.replace(" ", NBSP))
        piece = _ABBREVIATION.sub(lambda m: _join(m.group(1)) + NBSP, piece)
        piece = _ENGLISH.sub(lambda m: m.group(0).replace(" ", NBSP), piece)
        piece = _thai_part(piece, protected)
        piece = _NUMBER.sub(lambda m: _join(m.group(0)), piece)
        piece = _ENDING.sub(lambda m: NBSP if m.group(0) else WJ, piece)
        parts.append(piece)
    return "".join(parts)

"""The core's exceptions. Each names where the problem is (file, row, field) and why, so that a
user can fix it from the message alone; the CLI prints them as one line and exits with 2."""

from __future__ import annotations

import re
from typing import Any, Literal

__all__ = ["FrameworkError", "InputError", "ProngsaiError", "in_language"]

_THAI = re.compile("[\u0e00-\u0e7f]")
_WORD = re.compile("[A-Za-z]{2,}")


class ProngsaiError(Exception):
    """Base class: a problem a user can fix, with a one-line message."""


class FrameworkError(ProngsaiError):
    """A framework file is missing or invalid."""

    def __init__(self, file: str, field: str, reason: str) -> None:
        self.file, self.field, self.reason = file, field, reason
        where = ": ".join(part for part in (file, field) if part)
        super().__init__(f"{where}: {reason}" if where else reason)

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross process boundaries (document batches, workers): rebuild from the fields.
        return (type(self), (self.file, self.field, self.reason))


class InputError(ProngsaiError):
    """A results or answers file is invalid. ``row`` counts from 1 as a spreadsheet shows it."""

    def __init__(self, file: str, reason: str, *, row: int | None = None, field: str | None = None) -> None:
        self.file, self.reason, self.row, self.field = file, reason, row, field
        where = [file] if file else []
        if row is not None:
            where.append(f"แถว {row}")
        if field:
            where.append(f"ช่อง {field}")
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_input_error, (type(self), self.file, self.reason, self.row, self.field))

    def in_language(self, lang: Literal["th", "en"]) -> str:
        """The message in one language (:func:`in_language`), its place named in that language too."""
        row, field = ("แถว", "ช่อง") if lang == "th" else ("row", "field")
        where = [self.file] if self.file else []
        where += [f"{row} {self.row}"] if self.row is not None else []
        where += [f"{field} {self.field}"] if self.field else []
        reason = in_language(self.reason, lang)
        return f"{', '.join(where)}: {reason}" if where else reason


def _input_error(cls: type[InputError], file: str, reason: str, row: int | None, field: str | None) -> InputError:
    return cls(file, reason, row=row, field=field)


def in_language(message: str, lang: Literal["th", "en"]) -> str:
    """One language of a core message written the CLI's way, "ไทย (English)": the Thai before the closing
    English group, or that group's English. A page shows its own language only; a message without such a
    group is returned whole (a Thai-only reason, or words such as "(1,536 MB)" that belong to the sentence).

    The closing group is English when it holds no Thai and at least two Latin words."""
    split = _english_tail(message)
    if split is None:
        return message
    thai, english = split
    return thai if lang == "th" else english


def _english_tail(message: str) -> tuple[str, str] | None:
    text = message.rstrip()
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):  # the "(" that opens the closing group, nested groups included
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            break
    else:
        return None
    thai, english = text[:index].rstrip(), text[index + 1 : -1].strip()
    if _THAI.search(english) or len(_WORD.findall(english)) < 2 or not _THAI.search(thai):
        return None
    return thai, english

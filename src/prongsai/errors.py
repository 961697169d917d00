"""The core's exceptions. Each names where the problem is (file, row, field) and why, so that a
user can fix it from the message alone; the CLI prints them as one line and exits with 2."""

from __future__ import annotations

from typing import Any

__all__ = ["FrameworkError", "InputError", "ProngsaiError"]


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


def _input_error(cls: type[InputError], file: str, reason: str, row: int | None, field: str | None) -> InputError:
    return cls(file, reason, row=row, field=field)

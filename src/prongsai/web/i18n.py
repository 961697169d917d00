"""The page's language for the core's words.

The web says things in two ways: its own sentences through gettext (Thai msgids, English in
locale/en/LC_MESSAGES/django.po), and the core's sentences through prongsai.report.Say, which picks the
Thai or English wording it was written with. This is the one place where the language Django activated
for the request (middleware.LanguageMiddleware: Thai unless the user chose English) becomes the core's
``Lang``, so the core stays free of Django."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from prongsai.errors import InputError, in_language
from prongsai.report import Lang, Say

__all__ = ["core_message", "language", "say"]


def language() -> Lang:
    """The active language as the core knows it: English only when chosen, Thai otherwise."""
    return "en" if (get_language() or settings.LANGUAGE_CODE).startswith("en") else "th"


def say(thai_digits: bool = False) -> Say:
    """The core's wording chooser for the active language (``say(th, en)``, ``say.num(score)``)."""
    return Say(language(), thai_digits)


def core_message(error: BaseException | str) -> str:
    """A core error (or a message stored from one, such as a failed job's) in the page's language only: the
    CLI writes them "ไทย (English)" (prongsai.errors.in_language); a Django ValidationError's message is
    already in the page's language."""
    if isinstance(error, InputError):
        return error.in_language(language())
    message = getattr(error, "message", None)
    return in_language(message if isinstance(message, str) else str(error), language())

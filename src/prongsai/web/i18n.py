"""The page's language for the core's words.

The web says things in two ways: its own sentences through gettext (Thai msgids, English in
locale/en/LC_MESSAGES/django.po), and the core's sentences through prongsai.report.Say, which picks the
Thai or English wording it was written with. This is the one place where the language Django activated
for the request (middleware.LanguageMiddleware: Thai unless the user chose English) becomes the core's
``Lang``, so the core stays free of Django."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

from prongsai.report import Lang, Say

__all__ = ["language", "say"]


def language() -> Lang:
    """The active language as the core knows it: English only when chosen, Thai otherwise."""
    return "en" if (get_language() or settings.LANGUAGE_CODE).startswith("en") else "th"


def say(thai_digits: bool = False) -> Say:
    """The core's wording chooser for the active language (``say(th, en)``, ``say.num(score)``)."""
    return Say(language(), thai_digits)

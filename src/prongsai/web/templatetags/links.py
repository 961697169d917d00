"""Links a person typed, shown safely: ``{{ url|web_link }}`` is the address if it is an http(s) one, else
empty (then the page shows the text without a link, never a relative or javascript: link);
``{{ file.name|file_name }}`` is a stored file's own name, without its folders."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import template

register = template.Library()


@register.filter
def web_link(value: object) -> str:
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else ""


@register.filter
def file_name(value: object) -> str:
    return PurePosixPath(str(value or "")).name

"""The sandbox an agency's Word template runs in: Jinja's SandboxedEnvironment, with limits on what one render
may cost.

The sandbox stops a template from reaching Python's internals, not from asking for 3 GB (``"x" * 3000000000``)
or ten billion loop turns (two nested ``range(100000)``); an agency's editor is a tenant of a shared server, so
every render here has a budget, and a template that goes over it is refused with the reason in Thai:

- the size of what ``*``, ``**``, ``+``, ``%`` and ``~`` make (characters, list items, digits), checked before the
  value is built where its size can be known, else right after;
- ``range()`` up to MAX_RANGE numbers, and MAX_STEPS loop turns and calls in the whole render;
- MAX_OUTPUT characters written (values and the template's own text repeated by loops);
- width arguments (``center``, ``indent``, ``ljust`` …) up to MAX_TEXT.

What these cannot foresee (a filter that multiplies text, a deep recursion) is held by the bounded process the
agency's template is rendered in (prongsai.documents.render): memory, CPU and wall-clock limits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["MAX_OUTPUT", "MAX_RANGE", "MAX_STEPS", "MAX_TEXT", "LimitedEnvironment", "TemplateLimitError"]

# A whole measures document is about 60,000 characters of XML and a few hundred loop turns: these limits are
# a hundred times what a real template needs, and a few hundred megabytes at most.
MAX_TEXT = 1_000_000  # characters (or list items) of one value a template makes
MAX_OUTPUT = 40_000_000  # characters one render writes, all parts of the document together
MAX_STEPS = 200_000  # loop turns and calls in one render
# Calls inside calls: a real template nests a few (a macro calling a filter). A macro that calls itself without end
# is stopped here, at a depth that says so, before its frames fill the child's memory and the reason becomes "memory".
MAX_DEPTH = 100
MAX_RANGE = 10_000  # numbers of one range()
MAX_DIGITS = 4_000  # decimal digits of a number a template computes
_BITS = int(MAX_DIGITS * 3.33)
_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_PERCENT_WIDTH = re.compile(r"%[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")
_FORMAT_WIDTH = re.compile(r"\{[^{}]*:[^{}]*?(\d{7,})")


class TemplateLimitError(SecurityError):
    """A template that asked for more than a render may cost; ``reason_th`` says what, in Thai."""

    def __init__(self, reason_th: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_th = reason_th


def _too_long(what_th: str, what_en: str, limit: int) -> TemplateLimitError:
    return TemplateLimitError(
        f"{what_th}ยาวเกิน {limit:,} ตัวอักษร ซึ่งเอกสารจริงไม่ต้องใช้",
        f"{what_en} longer than {limit:,} characters or items",
    )


def _size(value: Any) -> int:
    """Characters of text, items of a sequence (and the characters of its texts, one level down)."""
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(len(v) for v in value if isinstance(v, (str, bytes)))
    return 0


def _digits_ok(value: Any) -> bool:
    return not isinstance(value, int) or value.bit_length() <= _BITS


class _Limits(Extension):
    """Where the compiled template calls in: each loop's iterable goes through ``loop`` (see _generate)."""

    identifier = "prongsai.limits"

    def loop(self, iterable: Iterable[Any], literal: int) -> Iterator[Any]:
        environment = self.environment
        assert isinstance(environment, LimitedEnvironment)
        for item in iterable:
            environment.spend(steps=1, output=literal)
            yield item


class LimitedEnvironment(SandboxedEnvironment):
    """A SandboxedEnvironment with a budget; one environment for one render (its counters are the render's)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.steps = 0
        self.output = 0
        self.depth = 0
        self.add_extension(_Limits)
        self.globals["range"] = _range
        self.filters = {name: _guarded(name, function) for name, function in self.filters.items()}
        self.filters["_prongsai_text"] = _text  # each part of a ~ concatenation (see _generate)
        self.finalize = self._written

    def spend(self, *, steps: int = 0, output: int = 0) -> None:
        self.steps += steps
        self.output += output
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(
                f"แม่แบบวนซ้ำหรือเรียกคำสั่งเกิน {MAX_STEPS:,} ครั้ง ซึ่งเอกสารจริงไม่ต้องใช้",
                f"more than {MAX_STEPS:,} loop turns and calls",
            )
        if self.output > MAX_OUTPUT:
            raise _too_long("เอกสารที่แม่แบบสร้าง", "the rendered document", MAX_OUTPUT)

    def _written(self, value: Any) -> Any:
        """Every {{ value }} written: its size counts toward MAX_OUTPUT."""
        self.spend(output=len(value) if isinstance(value, str) else 0)
        return value

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "*":
            _check_product(left, right)
        elif operator_name == "**":
            _check_power(left, right)
        elif operator_name == "+":
            if _size(left) + _size(right) > MAX_TEXT:
                raise _too_long("ข้อความหรือรายการที่ต่อกันด้วย +", "a + result", MAX_TEXT)
        elif operator_name == "%" and isinstance(left, str):
            _check_widths(left, right)
        result = self.binop_table[operator_name](left, right)
        if _size(result) > MAX_TEXT:
            raise _too_long(f"ผลของ {operator_name}", f"a {operator_name} result", MAX_TEXT)
        return result

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.spend(steps=1)
        name = getattr(__obj, "__name__", "")
        # str.format comes wrapped by the sandbox (wrap_str_format): its text is the wrapped method's owner
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(owner, str):
            if name in _WIDTH_METHODS:
                _check_ints(args, kwargs)
            elif name in ("format", "format_map") and _FORMAT_WIDTH.search(owner):
                raise _too_long("ความกว้างในคำสั่ง format", "a format width", MAX_TEXT)
            elif name == "replace" and len(args) >= 2:
                _check_replace(owner, args[0], args[1])
            elif name == "join" and args:
                _check_join(owner, args[0])
        __self.depth += 1
        try:
            if __self.depth > MAX_DEPTH:
                raise RecursionError(f"calls nested more than {MAX_DEPTH} deep")
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            __self.depth -= 1
        if _size(result) > MAX_TEXT:
            raise _too_long(f"ผลของคำสั่ง {name or 'ที่เรียก'}", f"the result of {name or 'a call'}", MAX_TEXT)
        return result

    def _generate(
        self, source: nodes.Template, name: str | None, filename: str | None, defer_init: bool = False
    ) -> str:
        """Before the template is compiled: each for loop's iterable is counted (steps, and the loop body's own text
        as output), and each ~ concatenation is checked. (Environment._generate is Jinja's seam between the parsed
        tree and the code; jinja2 3.1.)"""
        limits = nodes.ExtensionAttribute(_Limits.identifier, "loop")
        for loop in list(source.find_all(nodes.For)):
            literal = sum(len(d.data) for part in loop.body for d in part.find_all(nodes.TemplateData))
            loop.iter = nodes.Call(limits, [loop.iter, nodes.Const(literal)], [], None, None, lineno=loop.lineno)
        for concat in list(source.find_all(nodes.Concat)):
            concat.nodes = [
                nodes.Filter(n, "_prongsai_text", [], [], None, None, lineno=n.lineno) for n in concat.nodes
            ]
        return super()._generate(source, name, filename, defer_init=defer_init)


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitError(
            f"range() ให้ตัวเลขได้ไม่เกิน {MAX_RANGE:,} ตัว ซึ่งเอกสารจริงไม่ต้องใช้", f"range() over {MAX_RANGE:,} numbers"
        )
    return numbers


def _check_product(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > _BITS:
            raise _too_long("ตัวเลขที่คูณได้", "a product", MAX_DIGITS)
        return
    count = right if isinstance(right, int) else left if isinstance(left, int) else 0
    sequence = left if isinstance(right, int) else right
    if count > 0 and _size(sequence) * count > MAX_TEXT:
        raise _too_long("ข้อความหรือรายการที่คูณด้วย *", "a * result", MAX_TEXT)


def _check_power(base: Any, exponent: Any) -> None:
    ints = isinstance(base, int) and isinstance(exponent, int)
    if ints and exponent > 0 and abs(base) > 1 and base.bit_length() * exponent > _BITS:
        raise _too_long("ตัวเลขที่ยกกำลังด้วย **", "a ** result", MAX_DIGITS)


def _check_ints(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if any(isinstance(v, int) and v > MAX_TEXT for v in (*args, *kwargs.values())):
        raise _too_long("ความกว้างที่ขอ", "a requested width", MAX_TEXT)


def _check_widths(text: str, values: Any) -> None:
    """printf-style widths: "%3000000000s" % x, or "%*s" % (3000000000, x)."""
    given = list(values) if isinstance(values, tuple) else [values]
    for match in _PERCENT_WIDTH.finditer(text):
        for part in match.groups():
            if part is not None and part.isdigit() and int(part) > MAX_TEXT:
                raise _too_long("ความกว้างในคำสั่ง %", "a % width", MAX_TEXT)
    if "*" in text:
        _check_ints(tuple(given), {})


def _check_replace(text: str, old: Any, new: Any) -> None:
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        grows = (text.count(old) if old else len(text) + 1) * (len(new) - len(old))
        if len(text) + grows > MAX_TEXT:
            raise _too_long("ผลของ replace", "a replace result", MAX_TEXT)


def _check_join(separator: Any, items: Any) -> None:
    sequence = isinstance(separator, str) and isinstance(items, (list, tuple))
    if sequence and len(separator) * max(len(items) - 1, 0) + _size(items) > MAX_TEXT:
        raise _too_long("ผลของ join", "a join result", MAX_TEXT)


def _guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose width arguments (center, indent, truncate, wordwrap …) and result are within MAX_TEXT."""
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1  # the context or environment, then the value

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        value, rest = (args[skip - 1] if len(args) >= skip else None), args[skip:]
        if name == "format" and isinstance(value, str):
            _check_widths(value, tuple(rest))  # its arguments are the values: a big number is fine
        elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
            _check_replace(value, rest[0], rest[1])
        elif name == "join" and isinstance(value, (list, tuple)):
            _check_join(rest[0] if rest else kwargs.get("d", ""), value)
        else:
            _check_ints(rest, kwargs)
        result = function(*args, **kwargs)
        if _size(result) > MAX_TEXT:
            raise _too_long("ผลของตัวกรอง (filter)", "a filter result", MAX_TEXT)
        return result

    return guarded


def _text(value: Any) -> Any:
    """Each part of a ~ concatenation: the joined text is at most the parts' sizes, each within MAX_TEXT."""
    if _size(value) > MAX_TEXT or not _digits_ok(value):
        raise _too_long("ข้อความที่ต่อกันด้วย ~", "a ~ part", MAX_TEXT)
    return value

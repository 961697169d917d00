"""What every part of the ``prongsai`` command shares (the core's commands in prongsai.cli, the web app's in
prongsai.web.cli): bad input never shows a traceback, a ProngsaiError becomes one line on stderr and exit code 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from prongsai.errors import ProngsaiError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_BAD_INPUT = 2
FILE = click.Path(path_type=Path, dir_okay=False)


def fail_cleanly(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ProngsaiError as exc:
            click.echo(f"prongsai: {exc}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return cast(F, wrapper)

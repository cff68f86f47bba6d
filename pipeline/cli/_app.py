"""The Typer application and its sub-command groups; command modules register on them."""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Rule-based biomedical text mining.")
curate_app = typer.Typer(no_args_is_help=True, help="Curation round-trip: review TSV out, decisions in.")
rules_app = typer.Typer(no_args_is_help=True, help="Check and explain the relation rules in patterns/.")
app.add_typer(curate_app, name="curate")
app.add_typer(rules_app, name="rules")

F = TypeVar("F", bound=Callable[..., Any])


def exit_code(exc: Exception) -> int:
    """2 for a usage or installation problem (options, a path naming nothing, patterns, model), 1 for bad data."""
    from pipeline.errors import BiomineError, ModelError, OptionError, PatternError

    if isinstance(exc, (OptionError, PatternError, ModelError)):
        return 2
    return 2 if isinstance(exc, BiomineError) and exc.code == "E101" else 1


def reports_errors(func: F) -> F:
    """Print a biomine error as one line with its code (no traceback) and exit with its code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pipeline.errors import BiomineError

        try:
            return func(*args, **kwargs)
        except BiomineError as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise typer.Exit(exit_code(exc)) from None

    return wrapper  # type: ignore[return-value]

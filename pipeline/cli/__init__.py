"""The ``biomine`` command line: a thin Typer layer, one module per command.

Each module registers its command on the app in ``_app.py`` and imports the
stage it drives only when the command runs, so ``biomine --help`` stays fast.
"""
from pipeline.cli import bench, curate, evaluate, export, review, rules, run  # noqa: F401  (register commands)
from pipeline.cli._app import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="biomine")

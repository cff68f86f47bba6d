"""Exporters from a pipeline output folder to formats curators and tools use.

Each format is one module with ``write_<format>(docs, out_dir, **opts) -> list[Path]``;
modules are imported only when their format is requested, so ``biomine run`` does not
pay for matplotlib or bioc unless it needs them. The ``*_command`` functions are
in ``pipeline/cli/``.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from pipeline.errors import OptionError

from pipeline.model import ProcessedDocument

Writer = Callable[..., list[Path]]

_MODULES = {
    "brat": ("pipeline.writers.brat", "write_brat"),
    "bioc": ("pipeline.writers.bioc", "write_bioc"),
    "indra": ("pipeline.writers.indra", "write_indra"),
    "sqlite": ("pipeline.writers.sqlite", "write_sqlite"),
    "html": ("pipeline.writers.html", "write_html"),
    "network": ("pipeline.writers.network", "write_network"),
}


def _lazy(name: str) -> Writer:
    module, func = _MODULES[name]

    def writer(docs: list[ProcessedDocument], out_dir: Path, **opts: object) -> list[Path]:
        return getattr(importlib.import_module(module), func)(docs, out_dir, **opts)

    writer.__name__ = func
    writer.__doc__ = f"Lazily imported {module}.{func}."
    return writer


FORMATS: dict[str, Writer] = {name: _lazy(name) for name in _MODULES}
# network needs matplotlib (about 1 s to import and draw even on a tiny run): opt-in for `biomine run`
CHEAP_FORMATS: tuple[str, ...] = ("brat", "bioc", "indra", "sqlite", "html")


def resolve_formats(formats: list[str] | tuple[str, ...] | None) -> list[str]:
    """Normalise a format list: empty -> CHEAP_FORMATS, 'all' -> every format, commas allowed."""
    names = [f.strip().lower() for item in (formats or []) for f in str(item).split(",") if f.strip()]
    if not names:
        return list(CHEAP_FORMATS)
    if "all" in names:
        return list(FORMATS)
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise OptionError("E802", unknown=", ".join(unknown), known=", ".join(FORMATS))
    return list(dict.fromkeys(names))


def export(docs: list[ProcessedDocument], out_dir: Path, formats: list[str] | tuple[str, ...] | None = None,
           **opts: object) -> dict[str, list[Path]]:
    """Run the requested writers (default CHEAP_FORMATS); returns the files written per format."""
    out_dir = Path(out_dir)
    return {name: FORMATS[name](docs, out_dir, **opts) for name in resolve_formats(formats)}

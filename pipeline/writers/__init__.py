"""Exporters from a pipeline output folder to formats curators and tools use.

Each format is one module with a streaming sink class (``add(pd)`` per document,
``close() -> list[Path]``, ``abort()``) and ``write_<format>(docs, out_dir, **opts)``,
which feeds any iterable of documents through that sink. A sink's memory does not
grow with the number of documents' texts (aggregating formats keep their groups on
disk or bounded; the HTML page is capped, see pipeline/writers/html.py).
Modules are imported only when their format is requested, so ``biomine run`` does
not pay for matplotlib or bioc unless it needs them. The ``*_command`` functions are
in ``pipeline/cli/``; ``biomine run`` drives all sinks in one pass over its shards
(pipeline/writers/exporting.py).
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Callable, Protocol

from pipeline.errors import OptionError

from pipeline.model import ProcessedDocument

Writer = Callable[..., list[Path]]

_MODULES = {
    "brat": ("pipeline.writers.brat", "write_brat", "BratSink"),
    "bioc": ("pipeline.writers.bioc", "write_bioc", "BiocSink"),
    "indra": ("pipeline.writers.indra", "write_indra", "IndraSink"),
    "sqlite": ("pipeline.writers.sqlite", "write_sqlite", "SqliteSink"),
    "html": ("pipeline.writers.html", "write_html", "HtmlSink"),
    "network": ("pipeline.writers.network", "write_network", "NetworkSink"),
}


class Sink(Protocol):
    def add(self, pd: ProcessedDocument) -> None: ...

    def close(self) -> list[Path]: ...

    def abort(self) -> None: ...


def _lazy(name: str) -> Writer:
    module, func, _sink = _MODULES[name]

    def writer(docs: Iterable[ProcessedDocument], out_dir: Path, **opts: object) -> list[Path]:
        return getattr(importlib.import_module(module), func)(docs, out_dir, **opts)

    writer.__name__ = func
    writer.__doc__ = f"Lazily imported {module}.{func}."
    return writer


def make_sink(name: str, out_dir: Path, **opts: Any) -> Sink:
    """A new streaming sink of one format writing under ``out_dir``."""
    module, _func, cls = _MODULES[name]
    return getattr(importlib.import_module(module), cls)(Path(out_dir), **opts)


def drive(sink: Sink, docs: Iterable[ProcessedDocument]) -> list[Path]:
    """Feed ``docs`` through ``sink``; on any error the sink's partial output is removed."""
    try:
        for pd in docs:
            sink.add(pd)
    except BaseException:
        sink.abort()
        raise
    return sink.close()


FORMATS: dict[str, Writer] = {name: _lazy(name) for name in _MODULES}
# network needs matplotlib (about 1 s to import and draw even on a tiny run): opt-in for `biomine run`
CHEAP_FORMATS: tuple[str, ...] = ("brat", "bioc", "indra", "sqlite", "html")


def resolve_formats(formats: list[str] | tuple[str, ...] | None) -> list[str]:
    """Normalise a format list: empty -> CHEAP_FORMATS, 'all' -> every format, commas allowed."""
    names = [f.strip().lower() for item in (formats or []) for f in str(item).split(",") if f.strip()]
    if not names:
        return list(CHEAP_FORMATS)
    if names == ["none"]:
        return []
    if "all" in names:
        return list(FORMATS)
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise OptionError("E802", unknown=", ".join(unknown), known=", ".join(FORMATS))
    return list(dict.fromkeys(names))


def export(docs: Iterable[ProcessedDocument], out_dir: Path, formats: list[str] | tuple[str, ...] | None = None,
           **opts: object) -> dict[str, list[Path]]:
    """Run the requested writers (default CHEAP_FORMATS); returns the files written per format.

    ``docs`` is iterated once per format, so pass a list (or use pipeline/writers/exporting.py,
    which streams once through every sink).
    """
    out_dir = Path(out_dir)
    return {name: FORMATS[name](docs, out_dir, **opts) for name in resolve_formats(formats)}

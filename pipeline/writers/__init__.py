"""Exporters from a pipeline output folder to formats curators and tools use.

Each format is one module with ``write_<format>(docs, out_dir, **opts) -> list[Path]``;
modules are imported only when their format is requested, so ``biomine run`` does not
pay for matplotlib or bioc unless it needs them. The ``*_command`` functions are
plain functions for the CLI (pipeline/cli.py wires them into Typer); they print
what they wrote and return a process exit code.
"""
from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import Callable

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
        raise ValueError(f"unknown export format(s): {', '.join(unknown)}; choose from {', '.join(FORMATS)} or all")
    return list(dict.fromkeys(names))


def export(docs: list[ProcessedDocument], out_dir: Path, formats: list[str] | tuple[str, ...] | None = None,
           **opts: object) -> dict[str, list[Path]]:
    """Run the requested writers (default CHEAP_FORMATS); returns the files written per format."""
    out_dir = Path(out_dir)
    return {name: FORMATS[name](docs, out_dir, **opts) for name in resolve_formats(formats)}


def export_command(src: Path, out: Path | None = None, formats: list[str] | None = None, db: Path | None = None) -> int:
    """`biomine export SRC [--out DIR] [--format F ...] [--db FILE]`.

    SRC is a pipeline output folder; OUT defaults to SRC. Giving --db adds the sqlite
    format and writes that database instead of OUT/biomine.sqlite.
    """
    from pipeline.writers.load import ExportInputError, load_output_dir

    try:
        names = resolve_formats(formats)
        if db is not None and "sqlite" not in names:
            names.append("sqlite")
        docs = load_output_dir(src)
    except (ValueError, ExportInputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if not isinstance(exc, ExportInputError) else 1
    target = Path(out) if out is not None else Path(src)
    for name in names:
        start = time.perf_counter()
        opts = {"db_path": db} if name == "sqlite" and db is not None else {}
        try:
            paths = FORMATS[name](docs, target, **opts)
        except (OSError, ValueError) as exc:
            print(f"error: {name} export failed: {exc}", file=sys.stderr)
            return 1
        shown = paths[0].parent if len(paths) > 2 else ", ".join(str(p) for p in paths)
        print(f"{name}: {len(paths)} file(s) in {time.perf_counter() - start:.2f}s -> {shown}")
    return 0


def _source_docs_or_db(src: Path) -> list[ProcessedDocument] | Path:
    from pipeline.writers.load import load_output_dir
    from pipeline.writers.sqlite import DB_SUFFIXES

    src = Path(src)
    if src.is_file() and src.suffix.lower() in DB_SUFFIXES:
        return src
    return load_output_dir(src)


def curate_export_command(src: Path, out: Path) -> int:
    """`biomine curate export SRC OUT.tsv`: SRC is an output folder or a SQLite db (decisions pre-filled)."""
    from pipeline.curation.decisions import curate_export

    return _command(lambda: curate_export(_source_docs_or_db(src), out), lambda path: f"wrote {path}")


def _command(action: Callable[[], object], describe: Callable[[object], str]) -> int:
    """Run a command body: print what it did, or a clear error and exit code 1."""
    try:
        result = action()
    except (FileNotFoundError, ValueError) as exc:  # ExportInputError and CurationError are ValueErrors
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(describe(result))
    return 0


def curate_import_command(tsv: Path, db: Path) -> int:
    """`biomine curate import FILE.tsv DB`: record accept/reject/correct decisions (all or nothing)."""
    from pipeline.curation.decisions import curate_import

    return _command(lambda: curate_import(tsv, db), lambda counts: ", ".join(f"{k}: {v}" for k, v in counts.items()))


def curated_export_command(db: Path, out: Path) -> int:
    """`biomine curate curated DB OUT.jsonl`: accepted and corrected triples."""
    from pipeline.curation.decisions import curated_export

    return _command(lambda: curated_export(db, out), lambda path: f"wrote {path}")

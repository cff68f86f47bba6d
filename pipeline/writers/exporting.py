"""Every output of a run built in one streaming pass over its shards.

``biomine run`` (at the end) and ``biomine export`` (on a run folder) call
:func:`build_exports` with the shard records in input order. The run's own files
(documents/entities/relations/errors .jsonl, relations.tsv) and every requested
export format are fed document by document, so memory stays flat whatever the
number of documents. All files are written into a staging folder that the caller
swaps into the output folder (pipeline/writers/folder.py); the SQLite database is
written in place, in one transaction that replaces the run tables and nothing else.

A failing export format is reported with E507 and skipped; the others go on (the
caller exits non-zero at the end). A failing core file stops everything: no
partial run is ever swapped in.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError


@dataclass
class ExportReport:
    written: dict[str, list[Path]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # format -> coded message (E507)
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)


def build_exports(records: Iterable[dict[str, Any]], staging: Path, formats: list[str], *,
                  out_dir: Path, db_path: Path | None = None, date: str | None = None,
                  run_info: dict[str, str] | None = None, core: bool = True,
                  replace_db: bool = True) -> ExportReport:
    """Write the core files (when ``core``) and ``formats`` from ``records`` into ``staging``."""
    from pipeline.writers import make_sink
    from pipeline.writers.load import processed_from_record
    from pipeline.writers.outputs import OutputWriter

    report = ExportReport()
    writer = OutputWriter(staging, sync=False) if core else None
    sinks: dict[str, Any] = {}
    for name in formats:
        try:
            if name == "sqlite":
                sinks[name] = make_sink(name, out_dir, db_path=db_path, replace=replace_db, run_info=run_info)
            else:
                sinks[name] = make_sink(name, staging, sync=False, date=date)
        except Exception as exc:  # noqa: BLE001 - one export must not stop the others
            report.failed[name] = _failure(name, out_dir, exc)
    try:
        for record in records:
            if "error" in record:
                report.errors += 1
                if writer:
                    writer.add_error_row(record["error"])
                continue
            report.documents += 1
            report.entities.update(row["type"] for row in record["entities"])
            report.relations.update(row["relation"] for row in record["relations"])
            if writer:
                writer.add(record)
                for warning in record.get("warnings") or []:
                    report.warnings += 1
                    writer.add_error_row(warning)
            if not sinks:
                continue
            pd = processed_from_record(record)
            for name in list(sinks):
                try:
                    sinks[name].add(pd)
                except Exception as exc:  # noqa: BLE001
                    report.failed[name] = _failure(name, out_dir, exc)
                    _abort(sinks.pop(name), staging, name)
    except BaseException:
        if writer:
            writer.discard()
        for name, sink in sinks.items():
            _abort(sink, staging, name)
        raise
    # the SQLite transaction commits last, once everything else is written
    for name in sorted(sinks, key=lambda n: n == "sqlite"):
        try:
            report.written[name] = sinks[name].close()
        except Exception as exc:  # noqa: BLE001
            report.failed[name] = _failure(name, out_dir, exc)
            _abort(sinks[name], staging, name)
    if writer:
        report.written["core"] = writer.commit()
    if hasattr(os, "sync"):
        os.sync()  # one flush for every staged file, instead of an fsync per file
    return report


def _failure(name: str, out_dir: Path, exc: Exception) -> str:
    detail = str(exc) if isinstance(exc, OutputError) else f"{type(exc).__name__}: {exc}"
    return str(OutputError("E507", path=out_dir, format=name, detail=" ".join(detail.split())[:500]))


def _abort(sink: Any, staging: Path, name: str) -> None:
    """Drop a failed format's partial output, so nothing half-written is swapped in."""
    import shutil

    from pipeline.writers.folder import FORMAT_ARTIFACTS

    try:
        sink.abort()
    except Exception:  # noqa: BLE001 - already failing; its staged files are removed below
        pass
    artifact = staging / FORMAT_ARTIFACTS.get(name, "")
    if name in FORMAT_ARTIFACTS and artifact.is_dir():
        shutil.rmtree(artifact, ignore_errors=True)
    elif name in FORMAT_ARTIFACTS and artifact.exists():
        artifact.unlink()

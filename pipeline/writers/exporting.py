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


class Exporter:
    """Every output sink of a run, fed one shard record at a time, in input order.

    ``biomine run`` creates it before processing and feeds each shard as soon as it and
    all shards before it are committed, so the export work overlaps the workers'
    processing; :meth:`finish` closes the sinks (SQLite last) once all are fed.
    """

    def __init__(self, staging: Path, formats: list[str], *, out_dir: Path, db_path: Path | None = None,
                 date: str | None = None, run_info: dict[str, str] | None = None, core: bool = True,
                 replace_db: bool = True, stage_db: bool = False) -> None:
        from pipeline.writers import make_sink
        from pipeline.writers.outputs import OutputWriter

        self.staging, self.out_dir = staging, out_dir
        self.report = ExportReport()
        self.writer = OutputWriter(staging, sync=False) if core else None
        self.sinks: dict[str, Any] = {}
        for name in formats:
            try:
                if name == "sqlite":
                    self.sinks[name] = make_sink(name, out_dir, db_path=db_path, replace=replace_db, run_info=run_info,
                                                 stage=staging / ".biomine-run.sqlite.tmp" if stage_db else None)
                else:
                    self.sinks[name] = make_sink(name, staging, sync=False, date=date)
            except Exception as exc:  # noqa: BLE001 - one export must not stop the others
                self.report.failed[name] = _failure(name, out_dir, exc)

    def add(self, record: dict[str, Any]) -> None:
        from pipeline.writers.load import processed_from_record

        report, writer = self.report, self.writer
        if "error" in record:
            report.errors += 1
            if writer:
                writer.add_error_row(record["error"])
            return
        report.documents += 1
        report.entities.update(row["type"] for row in record["entities"])
        report.relations.update(row["relation"] for row in record["relations"])
        if writer:
            writer.add(record)
            for warning in record.get("warnings") or []:
                report.warnings += 1
                writer.add_error_row(warning)
        if not self.sinks:
            return
        pd = processed_from_record(record)
        for name in list(self.sinks):
            try:
                self.sinks[name].add(pd)
            except Exception as exc:  # noqa: BLE001
                report.failed[name] = _failure(name, self.out_dir, exc)
                _abort(self.sinks.pop(name), self.staging, name)

    def finish(self, run_info: dict[str, str] | None = None) -> ExportReport:
        """Close every sink (the SQLite transaction last, once everything else is written)."""
        for name in sorted(self.sinks, key=lambda n: n == "sqlite"):
            sink = self.sinks[name]
            if run_info is not None and hasattr(sink, "run_info"):
                sink.run_info = run_info
            try:
                self.report.written[name] = sink.close()
            except Exception as exc:  # noqa: BLE001
                self.report.failed[name] = _failure(name, self.out_dir, exc)
                _abort(sink, self.staging, name)
        self.sinks = {}
        if self.writer:
            self.report.written["core"] = self.writer.commit()
            self.writer = None
        from pipeline.writers.shards import sync_filesystem

        sync_filesystem(self.staging)  # one flush for every staged file, instead of an fsync per file
        return self.report

    def abort(self) -> None:
        if self.writer:
            self.writer.discard()
            self.writer = None
        for name, sink in self.sinks.items():
            _abort(sink, self.staging, name)
        self.sinks = {}


def build_exports(records: Iterable[dict[str, Any]], staging: Path, formats: list[str], *,
                  out_dir: Path, db_path: Path | None = None, date: str | None = None,
                  run_info: dict[str, str] | None = None, core: bool = True,
                  replace_db: bool = True) -> ExportReport:
    """Write the core files (when ``core``) and ``formats`` from ``records`` into ``staging``."""
    exporter = Exporter(staging, formats, out_dir=out_dir, db_path=db_path, date=date, run_info=run_info,
                        core=core, replace_db=replace_db)
    try:
        for record in records:
            exporter.add(record)
    except BaseException:
        exporter.abort()
        raise
    return exporter.finish()


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

"""``biomine export``: brat, BioC, INDRA, SQLite, HTML or network files from an output folder."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli._app import app, reports_errors


@app.command("export")
@reports_errors
def export_cmd(
    src: Path = typer.Argument(..., help="An existing biomine output folder."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write (default: SRC)."),
    formats: Optional[list[str]] = typer.Option(None, "--format", "-f", help="Formats (default: all cheap ones)."),
    db: Optional[Path] = typer.Option(None, "--db", help="SQLite database path (adds the sqlite format)."),
) -> None:
    """Write exports from an existing output folder (OUT defaults to SRC).

    A folder written by ``biomine run`` is exported from its shards, streaming, in input
    order; an older folder (or one copied without ``.biomine/``) from its .jsonl files.
    """
    from pipeline.writers import resolve_formats
    from pipeline.writers.exporting import build_exports
    from pipeline.writers.folder import MANIFEST, FolderLock, OutputFolder
    from pipeline.writers.outputs import SCHEMA_VERSION

    names = resolve_formats(formats)
    if db is not None and "sqlite" not in names:
        names.append("sqlite")
    src = Path(src)
    records, manifest = _source(src)  # checked before anything is written (E502/E503/E508)
    target = Path(out) if out is not None else src
    target.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with FolderLock(target):
        folder = OutputFolder(target)
        folder.prepare()
        staging = folder.new_staging()
        try:
            report = build_exports(records, staging, names, out_dir=target, db_path=db, core=target != src,
                                   date=(manifest or {}).get("date"),
                                   run_info={"run_id": str((manifest or {}).get("run_id", "")),
                                             "schema_version": SCHEMA_VERSION})
        except BaseException:
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
            raise
        previous = _read_json(target / MANIFEST) or manifest
        folder.swap(keep=folder.present_artifacts())
        if previous is not None:
            previous = {k: v for k, v in previous.items() if k != "date"}
            done = [f for f in names if f in report.written]
            previous = {**previous, "formats": list(dict.fromkeys([*previous.get("formats", []), *done])),
                        "export_errors": [report.failed[f] for f in names if f in report.failed]}
            if "sqlite" in report.written:
                path = report.written["sqlite"][0]
                previous["database"] = path.name if path.parent.resolve() == target.resolve() else str(path)
            folder.write_manifest(previous)
    elapsed = time.perf_counter() - start
    for name in names:
        if name in report.written:
            paths = [_final(p, staging, target) for p in report.written[name]]
            shown = paths[0].parent if len(paths) > 2 else ", ".join(map(str, paths))
            typer.echo(f"{name}: {len(paths)} file(s) -> {shown}")
    typer.echo(f"{report.documents} documents exported in {elapsed:.2f}s")
    if report.failed:
        for message in report.failed.values():
            typer.echo(f"error: {message}", err=True)
        raise typer.Exit(1)


def _final(path: Path, staging: Path, target: Path) -> Path:
    """Where a staged file ended up after the swap."""
    try:
        return target / path.relative_to(staging)
    except ValueError:
        return path


def _read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _source(src: Path):
    """(records in input order, the run manifest or None) of an output folder."""
    from pipeline.errors import OutputError
    from pipeline.writers.folder import MANIFEST, OutputFolder
    from pipeline.writers.load import load_output_dir
    from pipeline.writers.outputs import document_row, entity_rows, relation_rows
    from pipeline.writers.shards import iter_records, read_header, shard_name

    folder = OutputFolder(src)
    state = folder.read_state()
    manifest = _read_json(src / MANIFEST)
    if state.get("status") == "done" and "shards" in state:
        paths = [folder.shards / shard_name(i) for i in range(int(state["shards"]))]
        missing = [p.name for p in paths if read_header(p) is None]
        if missing:
            raise OutputError("E508", path=folder.shards, detail=f"shard(s) missing or damaged: {', '.join(missing[:5])}; "
                                                                  "run the same `biomine run` command again")
        if manifest is not None:
            manifest = {**manifest, "date": state.get("started")}

        def from_shards():
            for p in paths:
                yield from (r for r in iter_records(p))
        return from_shards(), manifest
    if state.get("status") in ("processing", "exporting"):
        raise OutputError("E508", path=src, detail=f"its run did not finish (status {state['status']}); "
                                                   "run the same `biomine run` command again to complete it")
    docs = load_output_dir(src)
    return ({"document": document_row(pd), "entities": entity_rows(pd), "relations": relation_rows(pd)}
            for pd in docs), manifest

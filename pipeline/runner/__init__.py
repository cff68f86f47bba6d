"""The main job: read inputs, process them in shards, build every output from the shards.

Plain functions, so the CLI stays thin and tests can call the same code. The design
(docs/scaling.md has the user's view):

* **Shards.** Inputs are read in order (by this process, the client) and cut into
  shards of ``shard_size`` items (documents, or input errors). A shard is processed by
  a worker and comes back as the bytes of one gzip JSON-lines file, which the client
  commits atomically into ``OUT/.biomine/shards/`` (pipeline/writers/shards.py).
* **Keys and resume.** A shard's key hashes the run fingerprint (options, biomine
  version, digest of the package's source, of patterns/, digest and meta of the model) with every item it holds
  (the document as read, its given entities, or the input error). A shard whose file
  already carries its key is not processed again, so the same command after a
  ``kill -9`` redoes only what was not committed, and a changed input or option
  invalidates exactly the shards it changes.
* **Exports.** When every shard is there, all outputs are built in one streaming pass
  over the shards in index order into a staging folder and swapped into OUT
  (pipeline/writers/exporting.py, pipeline/writers/folder.py): they describe the same
  run, byte for byte whatever the number of workers or interruptions.
* **Workers.** Without ``workers``/``scheduler`` one in-process worker (no Dask import).
  With them, Dask ``distributed`` runs :func:`process_shard` on worker processes (one
  thread each), each loading the pipeline once (a cached global); results are returned
  to the client, so no filesystem needs to be shared with remote workers.
"""
from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import OptionError, OutputError
from pipeline.model import Document, ProcessedDocument
from pipeline.runner.fingerprint import _digest_json, fingerprint, model_fingerprint
from pipeline.runner.inputs import _batched, _reader, read_items
from pipeline.runner.parallel import _process_dask
from pipeline.runner.processor import LONG_DOCUMENT, SECTION, Processor, sections
from pipeline.runner.summary import RunSummary
from pipeline.runner.work import Item, Settings, process_shard, processor_for, warm

__all__ = ["LONG_DOCUMENT", "SECTION", "Item", "Processor", "RunOptions", "RunSummary", "Settings", "finish_exports",
           "model_fingerprint", "process_shard", "processor_for", "read_items", "run", "sections", "validate_options",
           "warm"]

GivenEntities = Callable[[Document], "list[Entity] | None"]

DEFAULT_SHARD_SIZE = 100
INPUT_FORMATS = ("auto", "text", "pubmed", "pmc", "bioc", "pubtator", "standoff")


# ---- the run ----------------------------------------------------------------------------------

@dataclass
class RunOptions:
    model: str | None = None
    formats: list[str] = field(default_factory=list)
    db_path: Path | None = None
    shard_size: int = DEFAULT_SHARD_SIZE
    workers: int | None = None  # None: in-process; N: a local Dask cluster of N processes
    scheduler: str | None = None  # address of a running Dask scheduler
    max_bytes: int | None = None
    input_format: str | None = None
    given_entities: bool = False  # recorded in the fingerprint (the callable decides what is given)
    progress: bool = True


def run(
    inputs: Iterable[str | Path],
    out_dir: Path,
    model: str | None = None,
    given_entities: GivenEntities | None = None,
    documents: Iterable[Document] | None = None,
    progress: bool = True,
    max_bytes: int | None = None,
    *,
    options: RunOptions | None = None,
    keep_results: bool = False,
) -> tuple[RunSummary, list[ProcessedDocument]]:
    """Process every input into ``out_dir``; bad inputs are reported and skipped, the batch always completes.

    Returns the summary (and, with ``keep_results``, the documents read back from the
    shards; a big run should not ask for them).
    """
    from pipeline.writers.folder import FolderLock, OutputFolder

    opts = options or RunOptions(model=model, max_bytes=max_bytes, progress=progress,
                                 given_entities=given_entities is not None)
    if options is not None and model is not None:
        opts = dataclasses.replace(opts, model=model)
    validate_options(opts)
    out_dir = Path(out_dir)
    folder = OutputFolder(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("E506", path=out_dir, detail="exists and is not a folder")
    settings = Settings(model=opts.model)
    print_ = _printer(opts.progress)
    # an argument naming nothing (E101) is found before the folder is touched
    paths = None if documents is not None else _reader()[0](inputs)
    out_dir.mkdir(parents=True, exist_ok=True)
    with FolderLock(out_dir):
        folder.prepare()
        fp = fingerprint(settings, {
            "model": opts.model, "given_entities": opts.given_entities, "input_format": opts.input_format or "auto",
            "max_bytes": opts.max_bytes, "shard_size": opts.shard_size,
        })
        fp_digest = _digest_json(fp)
        state = folder.read_state()
        if state.get("fingerprint_digest") != fp_digest:
            state = {"fingerprint": fp, "fingerprint_digest": fp_digest, "started": time.strftime("%Y-%m-%d")}
        state["status"] = "processing"
        folder.write_state(state)
        items = read_items(inputs, documents=documents, given_entities=given_entities,
                           max_bytes=opts.max_bytes, input_format=opts.input_format, paths=paths)
        summary = RunSummary()
        from pipeline.writers.exporting import Exporter

        # every output is built while the shards come in (in input order), into staging
        exporter = Exporter(folder.new_staging(), opts.formats, out_dir=folder.out, db_path=opts.db_path,
                            date=state["started"], stage_db=True)
        try:
            started = time.perf_counter()
            keys = _process_all(items, folder, settings, fp_digest, opts, summary, print_, _Feeder(exporter, folder))
            summary.timings["processing"] = time.perf_counter() - started - summary.timings.get("load", 0.0)
            summary.run_id = _digest_json([fp_digest, keys])[:16]
            state["status"] = "exporting"
            state["shards"] = len(keys)
            folder.write_state(state)
            started = time.perf_counter()
            finish_exports(folder, exporter, opts.formats, db_path=opts.db_path, fp=fp, run_id=summary.run_id,
                           summary=summary, n_shards=len(keys))
            summary.timings["exports"] = time.perf_counter() - started
        except BaseException:
            exporter.abort()
            import shutil

            shutil.rmtree(folder.staging, ignore_errors=True)
            raise
        state["status"] = "done"
        folder.write_state(state)
    results: list[ProcessedDocument] = []
    if keep_results:
        from pipeline.writers.load import processed_from_record
        from pipeline.writers.shards import iter_records, shard_name

        for i in range(len(keys)):
            results += [processed_from_record(r) for r in iter_records(folder.shards / shard_name(i)) if "error" not in r]
    return summary, results


def validate_options(opts: RunOptions) -> None:
    """Every option checked before any input is read (E801/E802/E803)."""
    from pipeline.writers import FORMATS

    unknown = [f for f in opts.formats if f not in FORMATS]
    if unknown:
        raise OptionError("E802", unknown=", ".join(unknown), known=", ".join(FORMATS))
    if opts.shard_size < 1:
        raise OptionError("E801", option="shard-size", value=opts.shard_size, detail="must be at least 1")
    if opts.workers is not None and not 1 <= opts.workers <= 1024:
        raise OptionError("E801", option="workers", value=opts.workers, detail="must be between 1 and 1024")
    if opts.workers is not None and opts.scheduler:
        raise OptionError("E801", option="workers", value=opts.workers,
                          detail="--scheduler uses the workers of that cluster; give one of the two")
    if opts.max_bytes is not None and opts.max_bytes < 1:
        raise OptionError("E801", option="max-bytes", value=opts.max_bytes, detail="must be positive")
    if opts.input_format is not None and opts.input_format not in INPUT_FORMATS:
        raise OptionError("E801", option="input-format", value=opts.input_format,
                          detail=f"choose from {', '.join(INPUT_FORMATS)}")
    if opts.workers is not None or opts.scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            option, value = ("scheduler", opts.scheduler) if opts.scheduler else ("workers", opts.workers)
            raise OptionError("E803", option=option, value=value, detail=str(exc)) from None


def _printer(progress: bool) -> Callable[[str], None]:
    def show(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)
    return show


class _Feeder:
    """Feeds the exporter shard by shard in index order, as soon as a shard and all before it are there."""

    def __init__(self, exporter, folder) -> None:
        self.exporter, self.folder = exporter, folder
        self.next = 0
        self.waiting: dict[int, Any] = {}  # index -> records, shard bytes, or None (read the file)

    def __call__(self, index: int, payload: Any = None) -> None:
        from pipeline.writers import shards

        self.waiting[index] = payload
        while self.next in self.waiting:
            payload = self.waiting.pop(self.next)
            if payload is None:
                records: Iterable = shards.iter_records(self.folder.shards / shards.shard_name(self.next))
            elif isinstance(payload, bytes):
                records = shards.decode_records(payload)
            else:
                records = payload
            for record in records:
                self.exporter.add(record)
            self.next += 1


def _process_all(items: Iterator[Item], folder, settings: Settings, fp_digest: str, opts: RunOptions,
                 summary: RunSummary, show: Callable[[str], None],
                 feed: Callable[[int, Any], None] = lambda index, payload=None: None) -> list[str]:
    """Process every shard that is not committed yet; returns the shard keys in index order."""
    from pipeline.writers import shards

    keys: list[str] = []
    todo: Iterator[tuple[int, str, list[Item]]]

    def planned() -> Iterator[tuple[int, str, list[Item]]]:
        for index, batch in enumerate(_batched(items, opts.shard_size)):
            key = _digest_json([fp_digest, index, [i.key for i in batch]])
            keys.append(key)
            header = shards.read_header(folder.shards / shards.shard_name(index))
            if header is not None and header.get("key") == key:
                summary.add(header["summary"])
                summary.reused += 1
                _report(header["summary"])
                feed(index, None)
                continue
            yield index, key, batch

    todo = planned()
    bar = _Progress(opts.progress)

    def commit(index: int, data: bytes) -> None:
        path = shards.commit(folder.shards, index, data)
        header = shards.read_header(path)
        if header is None:
            raise OutputError("E508", path=path, detail="a shard just written cannot be read back")
        summary.add(header["summary"])
        _report(header["summary"])
        bar.update(header["items"])

    if opts.workers is None and not opts.scheduler:
        started = time.perf_counter()
        processor_for(settings)
        summary.timings["load"] = time.perf_counter() - started
        for index, key, batch in todo:
            data = process_shard(settings, index, key, batch)
            commit(index, data)
            feed(index, data)  # what was written, decoded: the same records whichever path produced them
    else:
        def commit_and_feed(index: int, data: bytes) -> None:
            commit(index, data)
            feed(index, data)

        _process_dask(todo, settings, opts, commit_and_feed, show, summary)
    bar.close()
    summary.shards = len(keys)
    # shards beyond this run's last one belong to an earlier, longer run
    for path in shards.shard_files(folder.shards):
        if (shards.shard_index(path) or 0) >= len(keys):
            path.unlink()
    return keys


def _report(part: dict[str, Any]) -> None:
    for failure in part["failed"]:
        print(f"error: {failure}", file=sys.stderr)


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(unit="doc", file=sys.stderr, mininterval=1.0)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def finish_exports(folder, exporter, formats: list[str], *, db_path: Path | None, fp: dict[str, Any] | None,
                   run_id: str, summary: RunSummary | None, n_shards: int,
                   keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Close every sink, swap the staged outputs in, write the manifest (last)."""
    from pipeline.writers.outputs import SCHEMA_VERSION
    from pipeline.writers.sqlite import resolve_db_path

    import pipeline

    report = exporter.finish(run_info={"run_id": run_id, "schema_version": SCHEMA_VERSION})
    folder.swap(keep=keep)
    db = None
    if "sqlite" in report.written:
        path = resolve_db_path(folder.out) if db_path is None else Path(db_path)
        db = path.name if path.parent.resolve() == folder.out.resolve() else str(path)
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "biomine_version": pipeline.__version__,
        "run_id": run_id,
        "complete": True,
        "documents": report.documents,
        "errors": report.errors,
        "warnings": report.warnings,
        "entities": dict(sorted(report.entities.items())),
        "relations": dict(sorted(report.relations.items())),
        "shards": n_shards,
        "formats": [f for f in formats if f in report.written],
        "database": db,
        "export_errors": [report.failed[f] for f in formats if f in report.failed],
        "fingerprint": fp,
    }
    folder.write_manifest(manifest)
    if summary is not None:
        summary.export_failed = manifest["export_errors"]
        summary.formats_written = manifest["formats"]
    for failure in manifest["export_errors"]:
        print(f"error: {failure}", file=sys.stderr)
    return manifest

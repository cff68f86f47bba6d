"""The main job: read inputs, process them in shards, build every output from the shards.

Plain functions, so the CLI stays thin and tests can call the same code. The design
(docs/scaling.md has the user's view):

* **Shards.** Inputs are read in order (by this process, the client) and cut into
  shards of ``shard_size`` items (documents, or input errors). A shard is processed by
  a worker and comes back as the bytes of one gzip JSON-lines file, which the client
  commits atomically into ``OUT/.biomine/shards/`` (pipeline/writers/shards.py).
* **Keys and resume.** A shard's key hashes the run fingerprint (options, biomine
  version, digest of patterns/, digest and meta of the model) with every item it holds
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
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import BiomineError, InputError, OptionError, OutputError, ProcessingError, message
from pipeline.model import Document, Entity, ProcessedDocument, Relation, Sentence

GivenEntities = Callable[[Document], "list[Entity] | None"]

DEFAULT_SHARD_SIZE = 100
LONG_DOCUMENT = 100_000  # characters: longer documents are processed in sections (time linear in length)
SECTION = 50_000  # target section length, cut at a paragraph (else line, sentence, space) boundary
INPUT_FORMATS = ("auto", "text", "pubmed", "pmc", "bioc", "pubtator", "standoff")


@dataclass
class RunSummary:
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    negated: int = 0
    hedged: int = 0
    parsed: list[int] = field(default_factory=lambda: [0, 0])  # (sentences parsed, sentences)
    shards: int = 0
    reused: int = 0
    export_failed: list[str] = field(default_factory=list)
    formats_written: list[str] = field(default_factory=list)
    run_id: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds: load (workers), processing, exports
    workers: int = 1

    def add(self, part: dict[str, Any]) -> None:
        """Add the summary stored in a shard header."""
        self.documents += part["documents"]
        self.failed += part["failed"]
        self.warnings += part["warnings"]
        self.entities.update(part["entities"])
        self.relations.update(part["relations"])
        self.negated += part["negated"]
        self.hedged += part["hedged"]
        self.parsed = [a + b for a, b in zip(self.parsed, part.get("parsed", [0, 0]))]

    def format(self) -> str:
        lines = [f"documents: {self.documents} processed, {len(self.failed)} failed"
                 + (f", {self.warnings} warnings" if self.warnings else "")]
        lines.append("entities: " + (", ".join(f"{k} {v}" for k, v in sorted(self.entities.items())) or "none"))
        lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(self.relations.items())) or "none"))
        lines.append(f"flagged: {self.negated} negated, {self.hedged} hedged")
        if self.reused:
            lines.append(f"shards: {self.shards} ({self.reused} reused from an earlier, interrupted run)")
        return "\n".join(lines)


class Processor:
    """Holds the loaded spaCy pipeline; ``process`` turns one Document into results."""

    def __init__(self, model: str | None = None, patterns_dir: Path | None = None) -> None:
        from pipeline.nlp.build import PATTERNS_DIR, build_nlp

        self.nlp = build_nlp(patterns_dir or PATTERNS_DIR, model=model)
        self.nlp.max_length = max(self.nlp.max_length, LONG_DOCUMENT + 1)

    def process(self, document: Document, given: list[Entity] | None = None,
                keep_doc: bool = False) -> ProcessedDocument:
        """One document through every component; ``keep_doc`` keeps the spaCy Doc (for rule tools).

        A document longer than ``LONG_DOCUMENT`` characters is processed section by section
        (:func:`sections`) and the results are joined with their offsets shifted, so any
        length up to ``--max-bytes`` works in time linear in its length.
        """
        if len(document.text) > LONG_DOCUMENT and not keep_doc:
            return self._process_long(document, given)
        return self._process(document, given, keep_doc)

    def _process(self, document: Document, given: list[Entity] | None, keep_doc: bool) -> ProcessedDocument:
        from pipeline.nlp.components import GIVEN_KEY, PARSE_COUNTS_KEY, TEXT_KEY, WARNINGS_KEY

        doc = self.nlp.make_doc(document.text)
        doc.user_data["doc_id"] = document.doc_id
        doc.user_data[TEXT_KEY] = document.text
        if given is not None:
            doc.user_data[GIVEN_KEY] = given
        for _name, component in self.nlp.pipeline:
            doc = component(doc)
        result = ProcessedDocument(document, doc._.biomine_sentences or [], doc._.biomine_entities or [],
                                   doc._.biomine_relations or [], list(doc.user_data.get(WARNINGS_KEY, [])),
                                   spacy_doc=doc if keep_doc else None)
        result.parse_counts = doc.user_data.get(PARSE_COUNTS_KEY, (0, 0))  # type: ignore[attr-defined]
        return result

    def _process_long(self, document: Document, given: list[Entity] | None) -> ProcessedDocument:
        text = document.text
        sentences: list[Sentence] = []
        entities: list[Entity] = []
        relations: list[Relation] = []
        warnings: list[tuple[str, dict[str, Any]]] = []
        parsed = [0, 0]
        for start, end in sections(text):
            part = Document(doc_id=document.doc_id, text=text[start:end], path=document.path,
                            metadata=document.metadata)
            part_given = None if given is None else [
                dataclasses.replace(e, start=e.start - start, end=e.end - start)
                for e in given if start <= e.start and e.end <= end]
            pd = self._process(part, part_given, False)
            base = len(sentences)
            sentences += [Sentence(s.index + base, s.start + start, s.end + start, s.text) for s in pd.sentences]
            moved: dict[int, Entity] = {}

            def shift(e: Entity | None) -> Entity | None:
                if e is None:
                    return None
                if id(e) not in moved:
                    moved[id(e)] = dataclasses.replace(e, start=e.start + start, end=e.end + start,
                                                       sentence=e.sentence + base if e.sentence >= 0 else e.sentence)
                return moved[id(e)]

            entities += [shift(e) for e in pd.entities]  # type: ignore[misc]
            for rel in pd.relations:
                s = rel.sentence
                relations.append(dataclasses.replace(
                    rel, subject=shift(rel.subject), object=shift(rel.object), site=shift(rel.site),
                    sentence=Sentence(s.index + base, s.start + start, s.end + start, s.text),
                    trigger=None if rel.trigger is None else (rel.trigger[0] + start, rel.trigger[1] + start)))
            for code, fields in pd.warnings:
                if isinstance(fields.get("sentence"), int):
                    fields = {**fields, "sentence": fields["sentence"] + base}
                warnings.append((code, fields))
            counts = getattr(pd, "parse_counts", (0, 0))
            parsed = [parsed[0] + counts[0], parsed[1] + counts[1]]
        result = ProcessedDocument(document, sentences, entities, relations, warnings)
        result.parse_counts = tuple(parsed)  # type: ignore[attr-defined]
        return result


def sections(text: str, target: int = SECTION) -> list[tuple[int, int]]:
    """Cut ``text`` into spans of about ``target`` characters at the best boundary near the limit.

    Preferred boundaries: a blank line (paragraph), a line break, a sentence end (". "),
    a space: the last one between half the target and the target, else the first one up
    to twice the target; a text without any is cut hard. The spans cover the text exactly,
    so offsets shift back by the span start.
    """
    spans = []
    start, n = 0, len(text)
    while n - start > 2 * target:
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            pos = text.rfind(sep, start + target // 2, start + target)
            if pos < 0:
                pos = text.find(sep, start + target, start + 2 * target)
            if pos >= 0:
                cut = pos + len(sep)
                break
        if cut <= start:
            cut = start + target
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans


# ---- workers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its pipeline (picklable, hashable)."""

    model: str | None = None
    patterns_dir: str | None = None


_PROCESSORS: dict[Settings, Processor] = {}


def processor_for(settings: Settings) -> Processor:
    """The pipeline of this process for ``settings``, loaded once (per worker process)."""
    if settings not in _PROCESSORS:
        import gc

        _PROCESSORS[settings] = Processor(settings.model, Path(settings.patterns_dir) if settings.patterns_dir else None)
        gc.collect()
        gc.freeze()  # the loaded pipeline lives as long as the process: later collections skip its objects
    return _PROCESSORS[settings]


def warm(settings: Settings) -> float:
    """Load the pipeline now (Dask ``client.run`` on every worker); returns the seconds it took."""
    start = time.perf_counter()
    processor_for(settings)
    return time.perf_counter() - start


@dataclass
class Item:
    """One slot of a shard: a document (with its given entities) or an input error row."""

    key: str
    document: Document | None = None
    given: list[Entity] | None = None
    error: dict[str, Any] | None = None
    source: str = ""  # input path
    digest: str = ""  # the input's content digest


def process_items(settings: Settings, items: list[Item]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Shard records and the shard's summary; a document that fails becomes an E201 error record."""
    from pipeline.writers.outputs import document_row, entity_rows, error_row, relation_rows

    processor = processor_for(settings)
    records: list[dict[str, Any]] = []
    summary: dict[str, Any] = {"documents": 0, "failed": [], "warnings": 0, "entities": Counter(),
                               "relations": Counter(), "negated": 0, "hedged": 0, "parsed": [0, 0]}
    for item in items:
        if item.error is not None:
            records.append({"error": item.error})
            summary["failed"].append(item.error["error"])
            continue
        doc = item.document
        assert doc is not None
        try:
            pd = processor.process(doc, item.given)
            record = {"document": document_row(pd), "entities": entity_rows(pd), "relations": relation_rows(pd)}
        except Exception as exc:  # one broken document must not stop the batch
            err = ProcessingError("E201", path=doc.path or doc.doc_id, detail=repr(exc)[:500])
            records.append({"error": error_row(doc.path or doc.doc_id, str(err), doc_id=doc.doc_id)})
            summary["failed"].append(str(err))
            continue
        where = doc.path or doc.doc_id
        warnings = [error_row(where, str(w), level="warning", doc_id=doc.doc_id)
                    for w in getattr(doc, "warnings", None) or []]
        for code, fields in pd.warnings:  # what a component cut or cleaned (W101: relation search bounded)
            try:
                text = message(code, **{"path": where, **fields})
            except (AttributeError, KeyError, IndexError, ValueError):
                text = f"[{code}] {where}: {fields}"
            warnings.append(error_row(where, text, code=code, level="warning", doc_id=doc.doc_id))
        if warnings:
            record["warnings"] = warnings
        records.append(record)
        summary["documents"] += 1
        summary["warnings"] += len(warnings)
        summary["entities"].update(e.type for e in pd.entities)
        summary["relations"].update(r.relation for r in pd.relations)
        summary["negated"] += sum(r.negated for r in pd.relations)
        summary["hedged"] += sum(r.hedged for r in pd.relations)
        counts = getattr(pd, "parse_counts", (0, 0))
        summary["parsed"] = [summary["parsed"][0] + counts[0], summary["parsed"][1] + counts[1]]
    summary["entities"] = dict(sorted(summary["entities"].items()))
    summary["relations"] = dict(sorted(summary["relations"].items()))
    return records, summary


def process_shard(settings: Settings, index: int, key: str, items: list[Item]) -> bytes:
    """A worker's task: one shard's items in, the shard file's bytes out (its header holds the summary)."""
    return shard_records(settings, index, key, items)[1]


def shard_records(settings: Settings, index: int, key: str, items: list[Item]) -> tuple[list[dict[str, Any]], bytes]:
    """One shard's records and the bytes of its file."""
    from pipeline.writers import shards

    records, summary = process_items(settings, items)
    inputs: dict[str, str] = {}
    for item in items:
        inputs.setdefault(item.source, item.digest)
    header = {"index": index, "key": key, "items": len(items), "summary": summary,
              "inputs": [{"path": p, "digest": d} for p, d in inputs.items()]}
    return records, shards.encode(header, records)


# ---- fingerprint --------------------------------------------------------------------------------

def _hash_tree(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return "sha256:" + h.hexdigest()


def model_fingerprint(model: str | None) -> dict[str, Any] | None:
    """Name, version and content digest of the trained pipeline a run uses (None for rules only)."""
    from pipeline.nlp.build import RULES_ONLY
    from pipeline.resources import default_model_path

    if model == RULES_ONLY:
        return None
    target = model or default_model_path()
    if target is None:
        return None
    path = Path(target)
    if path.is_dir():
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        return {"name": meta.get("name"), "version": meta.get("version"), "digest": _hash_tree(path)}
    try:
        from importlib.metadata import version

        return {"name": str(target), "version": version(str(target))}
    except Exception:  # noqa: BLE001 - the model loader reports an unusable model (E401)
        return {"name": str(target), "version": None}


def fingerprint(settings: Settings, options: dict[str, Any]) -> dict[str, Any]:
    """Everything besides the inputs that decides what a run writes."""
    import pipeline
    from pipeline.nlp.build import PATTERNS_DIR
    from pipeline.writers.outputs import SCHEMA_VERSION
    from pipeline.writers.shards import FORMAT

    patterns = Path(settings.patterns_dir) if settings.patterns_dir else PATTERNS_DIR
    return {
        "biomine_version": pipeline.__version__,
        "schema_version": SCHEMA_VERSION,
        "shard_format": FORMAT,
        "patterns": _hash_tree(patterns),
        "model": model_fingerprint(settings.model),
        "options": options,
    }


def _digest_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


# ---- reading inputs into items ------------------------------------------------------------------

def _input_digest(path: str, cache: dict[str, str]) -> str:
    if path not in cache:
        from pipeline.readers import digest

        try:
            cache[path] = digest(path)
        except (OSError, BiomineError):
            cache[path] = ""
    return cache[path]


def _reader():
    from pipeline.readers import DEFAULT_MAX_BYTES, expand_inputs, iter_documents

    return expand_inputs, iter_documents, DEFAULT_MAX_BYTES


def read_items(inputs: Iterable[str | Path], *, documents: Iterable[Document] | None = None,
               given_entities: GivenEntities | None = None, max_bytes: int | None = None,
               input_format: str | None = None, paths: list[Path] | None = None) -> Iterator[Item]:
    """Every input document (or input error) in input order, as keyed shard items."""
    import inspect

    from pipeline.writers.outputs import error_row

    digests: dict[str, str] = {}
    if documents is None:
        expand_inputs, iter_documents, DEFAULT_MAX_BYTES = _reader()
        if paths is None:
            paths = expand_inputs(inputs)
        kwargs: dict[str, Any] = {"max_bytes": max_bytes or DEFAULT_MAX_BYTES}
        if input_format not in (None, "auto"):
            kwargs["input_format"] = input_format
        if "input_format" in kwargs and "input_format" not in inspect.signature(iter_documents).parameters:
            raise OptionError("E801", option="input-format", value=input_format,
                              detail="this version's readers only read plain text (use auto or text)")
        stream: Iterable = iter_documents(paths, **kwargs)
    else:
        stream = documents
    seen: dict[str, int] = {}
    for item in stream:
        if isinstance(item, InputError):
            path = str(item.path)
            row = error_row(path, str(item), code=item.code)
            yield Item(key=_digest_json(row), error=row, source=path, digest=_input_digest(path, digests))
            continue
        doc: Document = item
        if doc.doc_id in seen:  # the readers make ids unique; this guards hand-made document lists
            seen[doc.doc_id] += 1
            doc = dataclasses.replace(doc, doc_id=f"{doc.doc_id}~{seen[doc.doc_id]}")
        seen.setdefault(doc.doc_id, 1)
        try:
            given = given_entities(doc) if given_entities else None
        except BiomineError as exc:
            row = error_row(doc.path or doc.doc_id, str(exc), doc_id=doc.doc_id)
            yield Item(key=_digest_json(row), error=row, source=doc.path, digest=_input_digest(doc.path, digests))
            continue
        except Exception as exc:  # noqa: BLE001 - a broken annotation file is that document's problem
            err = ProcessingError("E201", path=doc.path or doc.doc_id, detail=f"given entities: {exc!r}"[:500])
            row = error_row(doc.path or doc.doc_id, str(err), doc_id=doc.doc_id)
            yield Item(key=_digest_json(row), error=row, source=doc.path, digest=_input_digest(doc.path, digests))
            continue
        ident = [doc.to_dict(), None if given is None else [e.to_dict(doc.doc_id) for e in given],
                 [str(w) for w in getattr(doc, "warnings", None) or []]]
        yield Item(key=_digest_json(ident), document=doc, given=given, source=doc.path,
                   digest=_input_digest(doc.path, digests) if doc.path else "")


def _batched(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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


class _Batch:
    """Items of one shard scattered to the cluster as one object."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items


def _run_batch(settings: Settings, index: int, key: str, batch: _Batch) -> bytes:
    return process_shard(settings, index, key, batch.items)


def _process_dask(todo: Iterator[tuple[int, str, list[Item]]], settings: Settings, opts: RunOptions,
                  commit: Callable[[int, bytes], None], show: Callable[[str], None], summary: RunSummary) -> None:
    """Shards on Dask workers, at most a few per worker in flight; results committed as they finish."""
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    started = time.perf_counter()
    if opts.scheduler:
        client = Client(opts.scheduler, timeout="30s")
    else:
        cluster = LocalCluster(n_workers=opts.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info()["workers"]))
        loads = client.run(warm, settings)  # the pipeline, loaded once per worker, in parallel
        summary.timings["load"] = time.perf_counter() - started
        summary.workers = n_workers
        show(f"workers: {n_workers} ({', '.join(f'{t:.1f}' for t in loads.values())} s to load the pipeline)")
        window = 2 * n_workers
        running = as_completed()
        pending: dict[Any, int] = {}

        def finish(future: Any) -> None:
            index = pending.pop(future)
            try:
                data = future.result()
            except Exception as exc:
                raise ProcessingError("E202", path=f"shard {index}", detail=repr(exc)[:500]) from None
            commit(index, data)

        for index, key, batch in todo:
            (data,) = client.scatter([_Batch(batch)], hash=False)
            future = client.submit(_run_batch, settings, index, key, data, pure=False, key=f"biomine-shard-{index}-{key[:12]}")
            pending[future] = index
            running.add(future)
            while len(pending) >= window:
                finish(next(running))
        for future in running:
            finish(future)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---- exports ----------------------------------------------------------------------------------

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

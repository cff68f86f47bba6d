"""What a worker does: build its pipeline once, process the items of a shard, return the shard's bytes."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ProcessingError, message
from pipeline.model import Document, Entity
from pipeline.runner.processor import Processor


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build its pipeline (picklable, hashable)."""

    model: str | None = None
    patterns_dir: str | None = None


_PROCESSORS: dict[Settings, Processor] = {}
BATCH_DOCUMENTS = 32  # documents whose sentences share the trained components' batches
GC_THRESHOLD = 50_000  # allocations between collections of the youngest generation (Python's default: 700)


def processor_for(settings: Settings) -> Processor:
    """The pipeline of this process for ``settings``, loaded once (per worker process)."""
    if settings not in _PROCESSORS:
        import gc

        _PROCESSORS[settings] = Processor(settings.model, Path(settings.patterns_dir) if settings.patterns_dir else None)
        gc.collect()
        gc.freeze()  # the loaded pipeline lives as long as the process: later collections skip its objects
        # Documents make many short-lived containers that reference counting frees; the collector's
        # default first threshold (700) ran it every few sentences for nothing: 3-6% of the CPU.
        gc.set_threshold(GC_THRESHOLD, 20, 20)
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
    todo = [item for item in items if item.error is None and item.document is not None]
    processed: dict[int, Any] = {}
    with processor.memory_zone():  # the shard's words leave the vocabulary with it: memory stays flat
        for start in range(0, len(todo), BATCH_DOCUMENTS):
            chunk = todo[start:start + BATCH_DOCUMENTS]
            for item, result in zip(chunk, processor.process_batch([(i.document, i.given) for i in chunk])):
                processed[id(item)] = result
    for item in items:
        if item.error is not None:
            records.append({"error": item.error})
            summary["failed"].append(item.error["error"])
            continue
        doc = item.document
        assert doc is not None
        try:
            pd = processed[id(item)]
            if isinstance(pd, Exception):
                raise pd
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

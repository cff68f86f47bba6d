"""Inputs to shard items: every document or input error in input order, keyed by its content."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import BiomineError, InputError, OptionError, ProcessingError
from pipeline.model import Document
from pipeline.runner.fingerprint import _digest_json, _input_digest
from pipeline.runner.work import Item

GivenEntities = Callable[[Document], "list[Entity] | None"]


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

"""The reading room: input files -> :class:`~pipeline.model.Document` objects, never touching spaCy.

The interface the runner calls (stable; implemented in :mod:`pipeline.readers.inputs`)::

    expand_inputs(inputs: Iterable[str | Path]) -> list[Path]
        Files, directories (recursively: every file, not only .txt/.md) and globs, in a stable
        order without repeats. Raises InputError E101 for an argument that matches nothing.
        Hidden entries and biomine output folders below a given directory are not entered;
        unreadable folders and special files stay in the list so they get reported; an
        .a1/.a2/.ann whose .txt is listed is dropped (read with its .txt).

    iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES,
                   input_format: str | None = None, *, ids: DocIds | None = None)
        -> Iterator[Document | InputError]
        One file may yield many documents (PubMed, PMC sets, BioC, PubTator). Every problem is
        yielded as an InputError with ``.code`` and ``.path`` (the file) set, never raised; the
        only exception is an unknown ``input_format`` (OptionError E801, raised at the call).
        ``input_format``: None/"auto" (detect from the content, see
        :mod:`pipeline.readers.detect`), "text", "pubmed", "pmc", "bioc", "pubtator", "standoff".
        Doc ids are unique and stable within the call (``x``, then ``x~2``... by input order,
        W103, ``metadata["original_id"]``); ``ids`` (optional, keyword-only) shares one
        :class:`~pipeline.readers.ids.DocIds` registry across calls - shards, resumed runs
        (save it with ``to_dict``, restore with ``DocIds.from_dict``).
        Warnings (W102 input cleaned, W103 id made unique, W104 id replaced) ride on the
        document: ``Document.warnings``, coded messages for errors.jsonl.

    digest(path) -> str
        ``sha256:<hex>`` of the file as stored (a standoff .txt includes its annotation
        files); E101/E108 raised when it cannot be read.

    read_document(path, max_bytes=DEFAULT_MAX_BYTES) -> Document
        One .txt/.md file, raising its InputError (the earlier single-file API).

    DEFAULT_MAX_BYTES = 20_000_000; FORMATS = ("auto", "text", "pubmed", "pmc", "bioc",
    "pubtator", "standoff").

Modules: ``inputs`` (the interface), ``detect`` (format by content), ``source`` (bytes, gzip,
size, encodings, NUL bytes), ``front_matter`` (YAML front matter, bounded), ``ids`` (unique ids,
doc_id <-> file name), ``xmlstream`` (safe streaming lxml), one reader per format: ``text``,
``pubmed``, ``pmc``, ``bioc``, ``pubtator``, ``standoff``. Imports stay light: lxml and bioc
are loaded only when a file of their format is read.
"""
from __future__ import annotations

from pipeline.readers.detect import FORMATS
from pipeline.readers.ids import DocIds, doc_id_to_filename, filename_to_doc_id
from pipeline.readers.inputs import digest, expand_inputs, iter_documents
from pipeline.readers.text import DEFAULT_MAX_BYTES, read_document

__all__ = [
    "DEFAULT_MAX_BYTES", "FORMATS", "DocIds", "digest", "doc_id_to_filename", "expand_inputs",
    "filename_to_doc_id", "iter_documents", "read_document",
]

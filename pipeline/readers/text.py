"""Plain-text and Markdown documents, with optional YAML front matter.

The document text is the body after the front matter, with ``\\r\\n`` and ``\\r`` turned
into ``\\n``; every offset in the outputs counts characters of that body. The doc_id is the
file name without its suffix (``notes.txt`` -> ``notes``), made unique by the caller.

Encodings, NUL bytes and size limits follow :mod:`pipeline.readers.source`; front matter
follows :mod:`pipeline.readers.front_matter`. A body with no text is E102.

``expand_inputs``, ``iter_documents`` and ``DEFAULT_MAX_BYTES`` are re-exported here for
callers of the earlier single-format reader; they live in :mod:`pipeline.readers.inputs`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.errors import InputError
from pipeline.model import Document
from pipeline.readers.front_matter import split_front_matter
from pipeline.readers.source import decode, read_limited

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DEFAULT_MAX_BYTES = 20_000_000


def text_document(path: Path, data: bytes) -> Document:
    """A Document from a text file's bytes (E102-E105, E112 naming ``path``)."""
    raw, warnings = decode(data, path)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    metadata, body = split_front_matter(raw, path)
    if not body.strip():
        raise InputError("E102", path=path)
    return Document(doc_id=path.stem, text=body, path=str(path), metadata=metadata, warnings=warnings)


def read_text_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read any file as text, whatever its name (``--input-format text``)."""
    path = Path(path)
    return text_document(path, read_limited(path, max_bytes))


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one .txt/.md file; raise InputError naming the file when it is not usable text."""
    path = Path(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError("E107", path=path, detail=f"file type {path.suffix!r}",
                         expected=" or ".join(TEXT_SUFFIXES))
    return read_text_document(path, max_bytes)


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """See :func:`pipeline.readers.inputs.expand_inputs`."""
    from pipeline.readers.inputs import expand_inputs as expand

    return expand(inputs)


def iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES,
                   input_format: str | None = None) -> Iterator[Document | InputError]:
    """See :func:`pipeline.readers.inputs.iter_documents`."""
    from pipeline.readers.inputs import iter_documents as documents

    return documents(paths, max_bytes=max_bytes, input_format=input_format)

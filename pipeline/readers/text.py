"""Reading input files into Documents.

Readers are separate from processors: this module only turns paths into
``Document`` objects (text + metadata) and never touches spaCy.
"""
from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.errors import MESSAGES, InputNotFoundError, ReadError
from pipeline.model import Document

TEXT_SUFFIXES = (".txt", ".md")
DEFAULT_MAX_BYTES = 20_000_000
METADATA_KEYS = ("reference_id", "pmid", "doi", "title", "authors", "journal", "year", "content_type")


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files, directories (recursively, .txt/.md) and globs, in a stable order without repeats."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            matches = sorted(Path(m) for m in glob.glob(str(item), recursive=True) if Path(m).is_file())
            if not matches:
                raise InputNotFoundError(f"{item}: no such file, directory or matching glob")
            found.extend(matches)
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def split_front_matter(raw: str, path: Path) -> tuple[dict, str]:
    """Detect YAML front matter in any text file, whatever its suffix."""
    import frontmatter
    import yaml

    if not raw.lstrip("\ufeff").startswith("---"):
        return {}, raw
    try:
        post = frontmatter.loads(raw)
    except (yaml.YAMLError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(MESSAGES["front_matter"].format(path=path, detail=detail)) from exc
    if not isinstance(post.metadata, dict):
        raise ReadError(MESSAGES["front_matter"].format(path=path, detail="front matter is not a mapping"))
    body = post.content
    return _plain_metadata(post.metadata), body


def _plain_metadata(meta: dict) -> dict:
    """Make metadata JSON-safe (YAML dates, numbers) so every writer can store it."""
    clean: dict = {}
    for key, value in meta.items():
        if isinstance(value, (list, tuple)):
            clean[str(key)] = [str(v) for v in value]
        elif isinstance(value, (str, int, float, bool)) or value is None:
            clean[str(key)] = value
        else:
            clean[str(key)] = str(value)
    return clean


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file; raise ReadError naming the file when it is not usable text."""
    path = Path(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise ReadError(MESSAGES["unsupported"].format(path=path, suffix=path.suffix))
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError(MESSAGES["too_large"].format(path=path, size=size, limit=max_bytes))
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ReadError(MESSAGES["binary"].format(path=path))
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(MESSAGES["encoding"].format(path=path, detail=f"byte {exc.start}")) from exc
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    metadata, body = split_front_matter(raw, path)
    if not body.strip():
        raise ReadError(MESSAGES["empty"].format(path=path))
    return Document(doc_id=path.stem, text=body, path=str(path), metadata=metadata)


def iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | ReadError]:
    """Yield a Document or the ReadError for each path, so one bad file never stops a batch."""
    for path in paths:
        try:
            yield read_document(path, max_bytes=max_bytes)
        except ReadError as exc:
            exc.path = str(path)
            yield exc
        except OSError as exc:
            error = ReadError(f"{path}: cannot be read ({exc.strerror or exc})")
            error.path = str(path)
            yield error

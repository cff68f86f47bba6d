"""Reading input files into Documents.

Readers are separate from processors: this module only turns paths into
``Document`` objects (text + metadata) and never touches spaCy.
"""
from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.errors import InputError
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
                raise InputError("E101", path=item)
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
        raise InputError("E105", path=path, detail=detail) from exc
    if not isinstance(post.metadata, dict):
        raise InputError("E105", path=path, detail="front matter is not a mapping")
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
    """Read one file; raise InputError naming the file when it is not usable text."""
    path = Path(path)
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError("E107", path=path, detail=f"file type {path.suffix!r}", expected=".txt or .md")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError("E106", path=path, size=size, limit=max_bytes)
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError("E103", path=path, detail="NUL bytes")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("E104", path=path, encoding="UTF-8", detail=f"byte {exc.start}") from exc
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    metadata, body = split_front_matter(raw, path)
    if not body.strip():
        raise InputError("E102", path=path)
    return Document(doc_id=path.stem, text=body, path=str(path), metadata=metadata)


def iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document | InputError]:
    """Yield a Document or the InputError for each path, so one bad file never stops a batch."""
    for path in paths:
        try:
            yield read_document(path, max_bytes=max_bytes)
        except InputError as exc:
            exc.path = str(path)
            yield exc
        except OSError as exc:
            yield InputError("E108", path=path, detail=exc.strerror or str(exc))

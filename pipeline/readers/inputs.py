"""The reading interface the runner calls: paths in, Documents and coded errors out.

See :mod:`pipeline.readers` for the contract; docs/inputs.md for users.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pipeline.errors import InputError, OptionError
from pipeline.model import Document
from pipeline.readers.detect import FORMATS, is_annotation_file, sniff
from pipeline.readers.ids import DocIds, apply_id
from pipeline.readers.source import check_file
from pipeline.readers.standoff import ANNOTATION_SUFFIXES
from pipeline.readers.source import digest as digest  # re-exported: part of the interface
from pipeline.readers.text import DEFAULT_MAX_BYTES

OUTPUT_MARKERS = ("documents.jsonl", "relations.jsonl")  # files every biomine output folder holds

Reader = Callable[[Path, int], Iterable["Document | InputError"]]


def _read_text(path: Path, max_bytes: int) -> list[Document]:
    from pipeline.readers.text import read_text_document

    return [read_text_document(path, max_bytes)]


def _read_standoff(path: Path, max_bytes: int) -> list[Document]:
    from pipeline.readers.standoff import standoff_document

    return [standoff_document(path, max_bytes)]


def _read_pubtator(path: Path, max_bytes: int) -> list[Document]:
    from pipeline.readers.pubtator import iter_pubtator

    return iter_pubtator(path, max_bytes)


def _read_pubmed(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    from pipeline.readers.pubmed import iter_pubmed

    return iter_pubmed(path, max_bytes)


def _read_pmc(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    from pipeline.readers.pmc import iter_pmc

    return iter_pmc(path, max_bytes)


def _read_bioc(path: Path, max_bytes: int) -> Iterator[Document | InputError]:
    from pipeline.readers.bioc import iter_bioc_json, iter_bioc_xml
    from pipeline.readers.detect import _head_text
    from pipeline.readers.source import read_head

    head = _head_text(read_head(path, 1024)).lstrip()
    return iter_bioc_json(path, max_bytes) if head[:1] in ("{", "[") else iter_bioc_xml(path, max_bytes)


READERS: dict[str, Reader] = {
    "text": _read_text, "standoff": _read_standoff, "pubtator": _read_pubtator,
    "pubmed": _read_pubmed, "pmc": _read_pmc, "bioc": _read_bioc,
}


# --- expand_inputs ---------------------------------------------------------------------------------

def _is_output_folder(path: Path) -> bool:
    return all((path / name).is_file() for name in OUTPUT_MARKERS)


def _walk(root: Path) -> list[Path]:
    """Every file below ``root`` by the directory rules of :mod:`pipeline.readers` (symlinks followed once)."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            st = folder.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue  # a symbolic link back into a folder already walked
            seen.add(key)
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError:
            found.append(folder)  # unreadable: iter_documents reports it (E108)
            continue
        for entry in listing:
            if entry.name.startswith("."):
                continue  # hidden files and folders
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symbolic links
            except OSError:
                is_dir = False
            if is_dir:
                if not _is_output_folder(path):
                    pending.append(path)
            else:
                found.append(path)
    return sorted(found)


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files, directories (recursively, every file) and globs, in a stable order without repeats.

    Raises E101 for an argument that matches nothing. Directory rules: hidden entries (a name
    starting with ``.``) and folders holding biomine's own outputs (``documents.jsonl`` and
    ``relations.jsonl``) below the given directory are not entered; symbolic links are followed,
    loops are not. A folder that cannot be listed, and special files (FIFOs, sockets), are kept
    in the list so that :func:`iter_documents` reports them. The same file reached twice is
    listed once; an ``.a1``/``.a2``/``.ann`` whose ``.txt`` is listed too is dropped (it is read
    with the ``.txt``).
    """
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(_walk(path))
        elif path.exists() or path.is_symlink():
            found.append(path)
        else:
            matches = sorted(glob.glob(str(item), recursive=True))
            if not matches:
                raise InputError("E101", path=item)
            for match in map(Path, matches):
                found.extend(_walk(match) if match.is_dir() else [match])
    seen: set[Path] = set()
    unique: list[Path] = []
    for p in found:
        try:
            key = p.resolve()
        except (OSError, RuntimeError):
            key = p.absolute()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    texts = {p.with_suffix(".txt") for p in unique if p.suffix.lower() == ".txt"}
    return [p for p in unique if not (is_annotation_file(p) and p.with_suffix(".txt") in texts)]


# --- iter_documents ---------------------------------------------------------------------------------

def check_format(input_format: str | None) -> str:
    """``None``/``auto`` -> ``auto``; an unknown name is E801 (an option error, raised at once)."""
    name = (input_format or "auto").strip().lower()
    if name not in FORMATS:
        raise OptionError("E801", option="input-format", value=input_format,
                          detail=f"choose from {', '.join(FORMATS)}")
    return name


def _source_key(path: Path, n: int) -> str:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        resolved = path.absolute()
    return f"{resolved}#{n}"


def _read_one(path: Path, fmt: str, max_bytes: int) -> Iterator[Document | InputError]:
    """Everything one path yields; nothing escapes but Documents and InputErrors."""
    try:
        check_file(path)
        chosen = sniff(path) if fmt == "auto" else fmt
        for item in READERS[chosen](path, max_bytes):
            if isinstance(item, Document) and chosen != "text":  # text documents keep their front matter only
                item.metadata.setdefault("source_format", chosen)
            yield item
    except InputError as exc:
        if not exc.path:
            exc.path = str(path)
        yield exc
    except RecursionError:
        yield InputError("E117", path=path, detail="nested too deeply")
    except Exception as exc:  # a reader bug must not stop the batch: report it, coded, and go on
        yield InputError("E117", path=path, detail=f"{type(exc).__name__}: {str(exc)[:200]}")


def iter_documents(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES, input_format: str | None = None,
                   *, ids: DocIds | None = None) -> Iterator[Document | InputError]:
    """Each Document of each path, or the InputError (``.path`` set) explaining why not; never raises.

    ``input_format`` (None or ``auto``: detect from the content) is checked at once (E801).
    Doc ids are unique over everything this call yields; pass a shared ``ids`` to keep them
    unique and stable across several calls (shards, resumed runs).
    """
    fmt = check_format(input_format)
    return _iter_documents(list(paths), fmt, max_bytes, ids if ids is not None else DocIds())


def _iter_documents(paths: list[Path], fmt: str, max_bytes: int, ids: DocIds) -> Iterator[Document | InputError]:
    listed = {Path(p).with_suffix(".txt") for p in paths if Path(p).suffix.lower() == ".txt"}
    for path in map(Path, paths):
        if path.suffix.lower() in ANNOTATION_SUFFIXES:
            txt = path.with_suffix(".txt")
            if txt in listed and txt.is_file():
                continue  # read with its .txt (expand_inputs already drops these)
            yield InputError("E107", path=path, detail="a standoff annotation file",
                             expected=f"its text {txt.name} as the input" if txt.is_file()
                             else f"a {txt.name} beside it, given as the input")
            continue
        n = 0
        for item in _read_one(path, fmt, max_bytes):
            if isinstance(item, Document):
                n += 1
                item.path = item.path or str(path)
                fallback = f"{path.stem}#{n}" if n > 1 else path.stem
                apply_id(item, item.doc_id, fallback, _source_key(path, n), ids)
            yield item

"""Document ids: unique and stable across a run, and safe (reversibly) as file names.

**Unique.** :class:`DocIds` hands out ids in input order. The first document that asks for
``x`` gets ``x``; a later, different source asking for ``x`` gets ``x~2``, then ``x~3`` (the
smallest free number). The same source asking again gets the id it got before, so reading
a file twice, or resuming a run with a saved registry (:meth:`DocIds.to_dict` /
:meth:`DocIds.from_dict`), gives the same ids. A source is ``<resolved path>#<n>``, the n-th
document of that file. A renamed document keeps what it asked for in
``metadata["original_id"]`` and carries a W103 warning naming the earlier source.

**Clean.** :func:`clean_id` makes an id usable in every output: control characters and
line breaks become spaces, surrounding space is trimmed, an empty id is replaced by the
caller's fallback, and ids over 200 characters are cut to 180 plus ``~h`` and 12 hex digits
of their SHA-1 (W104 for each change; the original is in ``metadata["original_id"]``).

**File names.** :func:`doc_id_to_filename` percent-encodes, as UTF-8 bytes with upper-case
hex, every character outside ``A-Z a-z 0-9 - _ . ~``, so ``a;b``, ``a b`` and ``a_b`` become
``a%3Bb``, ``a%20b`` and ``a_b`` and never collide; ``%`` itself is encoded, so decoding is
unambiguous (:func:`filename_to_doc_id`). Also encoded: a leading ``.`` (no hidden files, no
``.``/``..``), a trailing ``.`` (Windows drops it) and the first character of a Windows device
name (``CON``, ``NUL``, ``COM1``...). A name whose encoding exceeds 200 bytes is cut at an
escape boundary and ends in ``%%h`` + 16 hex digits of the id's SHA-1; ``%%`` never occurs
in an encoded name, so such names cannot collide with others, and ``filename_to_doc_id``
returns None for them (the writer must keep its own index). Known limit: ids differing only
in letter case (``ABC``, ``abc``) give names that collide on case-insensitive file systems.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import unquote

from pipeline.errors import message

MAX_ID_CHARS = 200
MAX_NAME_BYTES = 200
SUFFIX = "~"
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))]
)
_HASHED = "%%h"


def _unsafe_char(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") or ch.isspace() and ch != " "


def clean_id(raw: Any, fallback: str) -> tuple[str, str | None]:
    """(usable id, why it changed or None). ``fallback`` is used for a missing or blank id."""
    text = "" if raw is None else str(raw)
    cleaned = "".join(" " if _unsafe_char(ch) else ch for ch in text)
    cleaned = re.sub(r" {2,}", " ", cleaned).strip()
    reasons = []
    if cleaned != text:
        reasons.append("control characters or line breaks replaced" if cleaned else "blank")
    if not cleaned:
        cleaned = fallback
        reasons = ["no id in the source" if not text.strip() else "id has no printable characters"]
    if len(cleaned) > MAX_ID_CHARS:
        digest = hashlib.sha1(cleaned.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        cleaned = f"{cleaned[:180]}{SUFFIX}h{digest}"
        reasons.append(f"longer than {MAX_ID_CHARS} characters, shortened with a hash")
    return cleaned, ("; ".join(reasons) if reasons else None)


class DocIds:
    """Assigns unique ids in input order; see the module docstring for the rule.

    Compact: one dict entry per id (each path is stored once), about 100 bytes a document.
    A source is ``<path>#<n>``; :meth:`to_dict`/:meth:`from_dict` save and restore the registry.
    """

    def __init__(self) -> None:
        self._paths: list[str] = []
        self._path_index: dict[str, int] = {}
        self._owner: dict[str, int] = {}  # id -> packed source
        self._renamed: dict[int, str] = {}  # packed source -> id, for sources not given what they asked for

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._owner

    def __len__(self) -> int:
        return len(self._owner)

    def _pack(self, source: str) -> int:
        path, _, n = source.rpartition("#")
        if not path or not n.isdigit() or int(n) >= 1 << 32:
            path, n = source, "0"
        index = self._path_index.get(path)
        if index is None:
            index = self._path_index[path] = len(self._paths)
            self._paths.append(path)
        return index << 32 | int(n)

    def _source(self, packed: int) -> str:
        path, n = self._paths[packed >> 32], packed & 0xFFFFFFFF
        return f"{path}#{n}" if n else path

    def assign(self, wanted: str, source: str) -> tuple[str, str | None]:
        """(id for ``source``, the earlier source that already holds ``wanted`` if renamed)."""
        key = self._pack(source)
        owner = self._owner.get(wanted)
        if key in self._renamed:
            chosen = self._renamed[key]
            return chosen, (self._source(owner) if owner is not None and chosen != wanted else None)
        if owner is None or owner == key:
            self._owner[wanted] = key
            return wanted, None
        n = 2
        while f"{wanted}{SUFFIX}{n}" in self._owner:
            n += 1
        chosen = f"{wanted}{SUFFIX}{n}"
        self._owner[chosen] = key
        self._renamed[key] = chosen
        return chosen, self._source(owner)

    def to_dict(self) -> dict[str, str]:
        """source -> id, in assignment order (JSON-ready, for a run manifest)."""
        return {self._source(key): doc_id for doc_id, key in self._owner.items()}

    @classmethod
    def from_dict(cls, assigned: dict[str, str]) -> "DocIds":
        ids = cls()
        for source, doc_id in assigned.items():
            key = ids._pack(source)
            ids._owner[doc_id] = key
            if SUFFIX in doc_id:
                ids._renamed[key] = doc_id
        return ids


def _shown(source: str) -> str:
    """``/a/x.xml#3`` -> ``/a/x.xml (document 3)``; ``#1`` (the file's only or first document) -> the path."""
    path, _, n = source.rpartition("#")
    if not path or not n.isdigit():
        return source
    return path if n == "1" else f"{path} (document {n})"


def apply_id(doc: Any, wanted: Any, fallback: str, source: str, ids: DocIds) -> None:
    """Give ``doc`` (a Document) a clean unique id; W103/W104 and ``original_id`` when it changed."""
    cleaned, why = clean_id(wanted, fallback)
    final, earlier = ids.assign(cleaned, source)
    original = "" if wanted is None else str(wanted)
    if why:
        doc.warnings.append(message("W104", path=doc.path,
                                    detail=f"document id {original[:80]!r} -> {cleaned[:80]!r} ({why})"))
    if earlier is not None:
        doc.warnings.append(message("W103", path=doc.path,
                                    detail=f"document id {cleaned!r} already taken by {_shown(earlier)}; "
                                           f"this document is {final!r}"))
    if final != original:
        doc.metadata["original_id"] = original
    doc.doc_id = final


def doc_id_to_filename(doc_id: str) -> str:
    """A file-name stem for ``doc_id`` (no suffix), reversible with :func:`filename_to_doc_id`."""
    pieces: list[str] = []
    for i, ch in enumerate(doc_id):
        if ch in _SAFE and not (ch == "." and (i == 0 or i == len(doc_id) - 1)):
            pieces.append(ch)
        else:
            pieces.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
    if doc_id.split(".")[0].upper() in _WINDOWS_DEVICES and pieces:
        pieces[0] = f"%{ord(doc_id[0]):02X}"
    name = "".join(pieces)
    if not name:
        raise ValueError("an empty doc_id has no file name (clean_id never produces one)")
    if len(name.encode("ascii")) > MAX_NAME_BYTES:
        digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        keep, size = [], 0
        for piece in pieces:
            if size + len(piece) > MAX_NAME_BYTES - len(_HASHED) - 16:
                break
            keep.append(piece)
            size += len(piece)
        name = "".join(keep) + _HASHED + digest
    return name


def filename_to_doc_id(name: str) -> str | None:
    """The doc_id a :func:`doc_id_to_filename` stem came from; None for a hashed (shortened) name."""
    if _HASHED in name:
        return None
    return unquote(name, encoding="utf-8", errors="strict")

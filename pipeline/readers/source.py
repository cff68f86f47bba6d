"""Bytes from disk for every reader: file checks, gzip, size limits, decoding and NUL bytes.

Every problem becomes a coded :class:`InputError` naming the file; warnings are the
coded ``[W102]`` messages a reader attaches to ``Document.warnings``.

Decisions (docs/inputs.md repeats them for users):

* **Not a regular file.** A directory (also one named like a file, ``notes.txt/``), a FIFO,
  socket or device, a broken symbolic link: E108. A FIFO is never opened (reading one blocks).
* **Unreadable** (permissions, I/O error): E108 with the system's reason.
* **gzip** is recognised by its magic bytes (``1f 8b``), not by the name, and decompressed
  on the fly for every format. A truncated or corrupt stream is E116.
* **Size.** ``max_bytes`` bounds what a reader holds in memory: the (decompressed) file for
  formats read whole, each document for the streamed XML formats. Over it: E106. A gzip
  bomb therefore stops at ``max_bytes`` of output.
* **Encodings.** UTF-8 (a byte-order mark is dropped, except for standoff text whose offsets
  count it). UTF-16 and UTF-32 *with* a byte-order mark are decoded, with a W102 warning
  saying so. UTF-16 without a mark is E104 with a hint. Anything else that is not valid UTF-8
  (Latin-1, cp1252, ...) is E104 naming the line and byte offset of the first bad byte: no
  guessing, because a wrong guess silently corrupts Greek letters and micro signs.
* **NUL bytes**, anywhere in the file (not only the first 8 KB): when more than 1% of the
  characters are NUL the file is binary (E103); otherwise each NUL is replaced by a space
  (W102 with the count and the first offset). A space keeps every offset of the file valid,
  which matters for standoff, PubTator and BioC inputs whose annotations count characters.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import InputError, message

GZIP_MAGIC = b"\x1f\x8b"
NUL_BINARY_FRACTION = 0.01  # more NUL characters than this share of the text: a binary file (E103)
_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32-LE"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32-BE"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16-LE"),
    (b"\xfe\xff", "utf-16-be", "UTF-16-BE"),
)
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def gzip_error(path: Path, exc: BaseException) -> InputError:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, EOFError):
        detail = f"truncated gzip stream: {detail}"
    return InputError("E116", path=path, detail=detail)


def os_error(path: Path, exc: OSError) -> InputError:
    """The coded error for a failed open/read: E101 missing, E108 anything else."""
    if isinstance(exc, FileNotFoundError):
        return InputError("E101", path=path)
    if isinstance(exc, IsADirectoryError):
        return InputError("E108", path=path, detail="is a directory, not a file")
    return InputError("E108", path=path, detail=exc.strerror or str(exc))


def check_file(path: Path) -> os.stat_result:
    """stat ``path`` and insist on a regular file (following symbolic links)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError("E108", path=path, detail="broken symbolic link") from None
        raise InputError("E101", path=path) from None
    except OSError as exc:
        raise os_error(path, exc) from None
    if stat.S_ISDIR(st.st_mode):
        try:
            with os.scandir(path):
                pass
        except OSError as exc:
            raise InputError("E108", path=path, detail=f"directory cannot be listed ({exc.strerror or exc})") from None
        raise InputError("E108", path=path, detail="is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                else "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file")
        raise InputError("E108", path=path, detail=f"not a regular file ({kind})")
    return st


def is_gzip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == GZIP_MAGIC
    except OSError:
        return False


@contextmanager
def open_binary(path: Path) -> Iterator[BinaryIO]:
    """The file's bytes, decompressed when it starts with the gzip magic; OSError -> E101/E108."""
    check_file(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise os_error(path, exc) from None
    try:
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
                yield gz  # type: ignore[misc]
        else:
            raw.seek(0)
            yield raw
    finally:
        raw.close()


def read_head(path: Path, size: int = 65536) -> bytes:
    """Up to ``size`` bytes from the start of the (decompressed) file, for format detection."""
    with open_binary(path) as fh:
        try:
            return fh.read(size)
        except _GZIP_ERRORS as exc:
            raise gzip_error(path, exc) from None
        except OSError as exc:
            raise os_error(path, exc) from None


def _gzip_isize(path: Path) -> int | None:
    """The uncompressed size a gzip trailer claims (modulo 2**32), for the E106 message."""
    try:
        with open(path, "rb") as fh:
            fh.seek(-4, os.SEEK_END)
            return int.from_bytes(fh.read(4), "little")
    except OSError:
        return None


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The whole (decompressed) file; E106 when it is larger than ``max_bytes``."""
    st = check_file(path)
    compressed = is_gzip(path)
    if not compressed and st.st_size > max_bytes:
        raise InputError("E106", path=path, size=st.st_size, limit=max_bytes)
    with open_binary(path) as fh:
        try:
            chunks, size = [], 0
            while size <= max_bytes:  # chunked: read(max_bytes + 1) would allocate max_bytes for every file
                chunk = fh.read(min(1 << 20, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
        except _GZIP_ERRORS as exc:
            raise gzip_error(path, exc) from None
        except OSError as exc:
            raise os_error(path, exc) from None
    if len(data) > max_bytes:
        claimed = _gzip_isize(path) if compressed else None
        size = claimed if claimed and claimed > max_bytes else f"more than {max_bytes}"
        raise InputError("E106", path=path, size=size, limit=max_bytes)
    return data


def _utf16_without_bom(data: bytes) -> str | None:
    """'UTF-16-LE'/'UTF-16-BE' when NULs sit at every other byte, as in ASCII text saved as UTF-16."""
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return None
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    if odd >= len(head) // 2 * 0.8:
        return "UTF-16-LE"
    if even >= len(head) // 2 * 0.8:
        return "UTF-16-BE"
    return None


def _decode_error(path: Path, data: bytes, exc: UnicodeDecodeError, label: str) -> InputError:
    line = data[:exc.start].count(b"\n") + 1
    detail = f"line {line}: byte 0x{data[exc.start]:02x} at offset {exc.start}; convert the file to UTF-8"
    return InputError("E104", path=path, encoding=label, detail=detail)


def record_too_large(text: str, file: Path | str, record: str, max_bytes: int) -> InputError | None:
    """E106 for one record of a multi-document file (a PubMed article, a PMC or BioC document) whose text
    exceeds ``max_bytes``; the message names the record, ``path`` stays the file."""
    size = len(text.encode("utf-8"))
    if size <= max_bytes:
        return None
    error = InputError("E106", path=f"{file} ({record})", size=size, limit=max_bytes)
    error.path = str(file)
    return error


def read_utf8(path: Path) -> str:
    """A whole annotation file (standoff, PubTator) as strict UTF-8, newlines untouched: offsets
    in those files count characters of exactly this text. E101/E108 on reading, E104 naming the
    first bad byte's line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise os_error(path, exc) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _decode_error(path, data, exc, "UTF-8") from None


def decode(data: bytes, path: Path, *, keep_bom: bool = False) -> tuple[str, list[str]]:
    """Text and W102 warnings, by the rules of the module docstring (E103/E104 otherwise)."""
    warnings: list[str] = []
    codec, label, bom = "utf-8", "UTF-8", b""
    for mark, name, shown in _BOMS:
        if data.startswith(mark):
            codec, label, bom = name, shown, mark
            break
    if not bom:
        guess = _utf16_without_bom(data)
        if guess:
            raise InputError("E104", path=path, encoding="UTF-8",
                             detail=f"looks like {guess} without a byte-order mark; save it as UTF-8")
        nuls = data.count(0)
        if nuls > max(0, len(data) * NUL_BINARY_FRACTION):
            raise InputError("E103", path=path, detail=f"{nuls} NUL bytes, the first at byte {data.index(0)}")
    try:
        text = data[len(bom):].decode(codec)
    except UnicodeDecodeError as exc:
        if bom:
            raise InputError("E104", path=path, encoding=label,
                             detail=f"{exc.reason} at byte {exc.start + len(bom)}") from None
        raise _decode_error(path, data, exc, label) from None
    if bom and codec != "utf-8":
        warnings.append(message("W102", path=path, detail=f"decoded as {label} (byte-order mark)"))
    elif bom and keep_bom:
        text = "\ufeff" + text
    nuls = text.count("\0")
    if nuls:
        if nuls > len(text) * NUL_BINARY_FRACTION:
            raise InputError("E103", path=path, detail=f"{nuls} NUL characters, the first at character {text.index(chr(0))}")
        first = text.index("\0")
        text = text.replace("\0", " ")
        warnings.append(message("W102", path=path,
                                detail=f"{nuls} NUL character(s) replaced by spaces (the first at character {first})"))
    return text, warnings


def digest(path: str | Path) -> str:
    """``sha256:<hex>`` of the file's bytes (as stored, compressed or not), for the runner's manifest.

    A standoff ``.txt`` also hashes the ``.a1``/``.a2``/``.ann`` files beside it (name and
    bytes), since they are part of that document. E101/E108 when the file cannot be read.
    """
    from pipeline.readers.standoff import ANNOTATION_SUFFIXES

    path = Path(path)
    check_file(path)
    h = hashlib.sha256()
    parts = [path]
    if path.suffix.lower() == ".txt":
        parts += [p for p in (path.with_suffix(s) for s in ANNOTATION_SUFFIXES) if p.is_file()]
    for part in parts:
        if part is not path:
            h.update(b"\0" + part.suffix.encode() + b"\0")
        try:
            with open(part, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except OSError as exc:
            raise os_error(part, exc) from None
    return "sha256:" + h.hexdigest()

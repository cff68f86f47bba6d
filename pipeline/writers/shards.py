"""Shards: a run's results, K input documents at a time, in ``OUT/.biomine/shards/NNNNNN.jsonl.gz``.

A shard is one gzip file of JSON lines. The first line is its header: the shard's
``key`` (a digest of the run fingerprint and of every item it holds, see
pipeline/runner.py), the inputs it covers with their content digests, and counts
for the run summary. Every other line is one item, in input order:

- ``{"document": row, "entities": [rows], "relations": [rows], "warnings": [error rows]}``
  where the rows are exactly those of documents/entities/relations/errors.jsonl;
- ``{"error": row}`` for an input or document that could not be processed.

A shard is written whole (temporary file, fsync, rename, fsync of the folder), so a
``kill -9`` at any moment leaves either a complete shard or none; a shard whose
header cannot be read is treated as missing and redone. The final outputs are built
by reading the shards in index order (:func:`iter_records`), so they do not depend
on how many workers produced the shards or in which order they finished.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.writers.atomic import atomic_write_bytes
from pipeline.writers.jsonlines import dump_bytes, load

FORMAT = 1
SUFFIX = ".jsonl.gz"
COMPRESSLEVEL = 1  # the shards are written once and read once or twice: speed over size


def shard_name(index: int) -> str:
    return f"{index:06d}{SUFFIX}"


def shard_index(path: Path) -> int | None:
    stem = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else ""
    return int(stem) if stem.isdigit() else None


def encode(header: dict[str, Any], records: Iterable[dict[str, Any]]) -> bytes:
    """The bytes of a shard file (deterministic: no timestamp in the gzip header)."""
    lines = [dump_bytes({"biomine_shard": FORMAT, **header})]
    lines += [dump_bytes(r) for r in records]
    return gzip.compress(b"\n".join(lines) + b"\n", compresslevel=COMPRESSLEVEL, mtime=0)


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sync_filesystem(folder: Path) -> None:
    """Flush every written file of the filesystem holding ``folder`` at once (one call instead of an fsync per file).

    Linux ``syncfs`` on that filesystem only; elsewhere ``os.sync`` (all filesystems).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            if libc.syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    except (OSError, AttributeError):
        pass
    if hasattr(os, "sync"):
        os.sync()


def commit(folder: Path, index: int, data: bytes) -> Path:
    """Write one shard atomically (temporary file, fsync, rename), then fsync the folder so the rename
    itself survives a crash."""
    target = atomic_write_bytes(folder / shard_name(index), data)
    fsync_dir(folder)
    return target


def read_header(path: Path) -> dict[str, Any] | None:
    """The header of a shard, or None when the file is missing, foreign or damaged."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = json.loads(fh.readline())
    except (OSError, EOFError, zlib.error, ValueError, UnicodeDecodeError):
        return None
    return header if isinstance(header, dict) and header.get("biomine_shard") == FORMAT else None


def iter_records(path: Path) -> Iterator[dict[str, Any]]:
    """The items of one shard, in input order (the header is skipped)."""
    with gzip.open(path, "rb") as fh:
        next(fh, None)
        for line in fh:
            if line.strip():
                yield load(line)


def decode_records(data: bytes) -> list[dict[str, Any]]:
    """The items of a shard from its bytes (as a worker returned them)."""
    lines = gzip.decompress(data).split(b"\n")[1:]
    return [load(line) for line in lines if line.strip()]


def shard_files(folder: Path) -> list[Path]:
    """Committed shard files of a folder, by index."""
    if not folder.is_dir():
        return []
    found = [(shard_index(p), p) for p in folder.iterdir() if not p.name.startswith(".")]
    return [p for i, p in sorted((i, p) for i, p in found if i is not None)]

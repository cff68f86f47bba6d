"""Writing tiny BioNLP standoff / brat documents for the gold-reader and scorer tests."""
from __future__ import annotations

from pathlib import Path


def _nth(text: str, surface: str, n: int = 0) -> int:
    start = -1
    for _ in range(n + 1):
        start = text.index(surface, start + 1)
    return start


def write_standoff(folder: Path, name: str, text: str, a1: list, a2: list = (), ann: bool = False) -> Path:
    """Write name.txt + .a1/.a2 (or .ann); entries are raw lines or (id, type, surface[, occurrence])."""

    def line(entry: str | tuple) -> str:
        if isinstance(entry, str):
            return entry
        tid, typ, surface, *occ = entry
        start = _nth(text, surface, occ[0] if occ else 0)
        return f"{tid}\t{typ} {start} {start + len(surface)}\t{surface}"

    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / f"{name}.txt"
    txt.write_text(text, encoding="utf-8")
    if ann:
        (folder / f"{name}.ann").write_text("\n".join(map(line, [*a1, *a2])) + "\n", encoding="utf-8")
    else:
        (folder / f"{name}.a1").write_text("\n".join(map(line, a1)) + "\n", encoding="utf-8")
        (folder / f"{name}.a2").write_text("\n".join(map(line, a2)) + "\n", encoding="utf-8")
    return txt

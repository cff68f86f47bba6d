"""Helpers for the run-level tests: tiny corpora, running ``biomine run`` in or out of process, comparing folders."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "000_ae4789125602f252.txt").read_text(encoding="utf-8")
SENTENCES = [
    "Akt phosphorylates ASK1 at Ser83.",
    "Selonsertib inhibits ASK1 in HeLa cells.",
    "Oxidative stress activates ASK1, which activates JNK and p38.",
    "MEK1 phosphorylates ERK2 on Thr185 and Tyr187.",
    "TNF induces the binding of TRAF2 to ASK1.",
    "PP2A dephosphorylates Akt at Ser473.",
]


def make_corpus(folder: Path, n: int, repeat: int = 1) -> Path:
    """``n`` small abstracts (each a different mix of the sentences, ``repeat`` times longer)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3 + i % 3))
        (folder / f"doc{i:03d}.txt").write_text(((text + "\n\n") * repeat).strip() + "\n", encoding="utf-8")
    return folder


def cli(*args: object):
    """``biomine ARGS`` in this process (the pipeline is loaded once per test session)."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def biomine_cmd(*args: object) -> list[str]:
    return [sys.executable, "-c", "from pipeline.cli import main; main()", *map(str, args)]


def run_subprocess(*args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(biomine_cmd(*args), cwd=ROOT, env=env(), capture_output=True, text=True, timeout=timeout)


def sqlite_dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def tree(folder: Path) -> dict[str, bytes]:
    """Every output file of a folder (SQLite as its SQL dump); biomine's bookkeeping (.biomine/) excluded."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or rel.parts[0] == ".biomine":
            continue
        if path.suffix == ".sqlite":
            files[str(rel)] = "\n".join(sqlite_dump(path)).encode()
        else:
            files[str(rel)] = path.read_bytes()
    return files


def temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name == "staging" or p.name == "trash"]

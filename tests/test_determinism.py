"""Two processes give the same bytes: nothing in the output may depend on hash seeds or object addresses.

Sets of spaCy Spans iterate in an order that follows object identity, and Python salts string
hashes per process; an output that depends on either differs from run to run (it did, for
abbreviation links, until pipeline/entities/recognizer.py stopped depending on the order of pairs).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from run_helpers import biomine_cmd, env, tree

ROOT = Path(__file__).resolve().parents[1]
PC_TRAIN = ROOT.parent / "shared" / "corpora" / "bionlp-st-2013-pc" / "train"
# abstracts whose abbreviation links once came out differently from run to run, and some others
CHOSEN = ["PMID-10811867", "PMID-12119352"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    if not PC_TRAIN.is_dir():
        pytest.skip(f"{PC_TRAIN} is not there")
    folder = tmp_path_factory.mktemp("pc")
    names = sorted({*CHOSEN, *(p.stem for p in sorted(PC_TRAIN.glob("PMID-*.txt"))[:18])})
    for name in names:
        shutil.copy(PC_TRAIN / f"{name}.txt", folder / f"{name}.txt")
    return folder


def _run(corpus: Path, out: Path, seed: str) -> dict[str, bytes]:
    done = subprocess.run(biomine_cmd("run", corpus, "--out", out, "-q", "--format", "sqlite"), cwd=ROOT,
                          env={**env(), "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return tree(out)


def test_two_processes_write_the_same_bytes(corpus, tmp_path):
    first = _run(corpus, tmp_path / "a", "1")
    second = _run(corpus, tmp_path / "b", "2")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert b'"rule":"abbreviation:short"' in first["entities.jsonl"]  # the links are exercised

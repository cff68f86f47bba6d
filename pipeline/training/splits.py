"""Train/dev/test split of a corpus by document (PMID).

Sentences of one abstract share vocabulary and entities, so splitting by sentence would
leak test material into training; split whole abstracts. Deterministic: sorted PMIDs,
one seeded shuffle, fixed proportions.
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterable

SEED = 1853
FRACTIONS = (0.8, 0.1, 0.1)


def split_pmids(pmids: Iterable[str], seed: int = SEED, fractions: tuple[float, float, float] = FRACTIONS) -> dict[str, list[str]]:
    """``{"train": [...], "dev": [...], "test": [...]}``, each list sorted."""
    ordered = sorted(set(pmids))
    random.Random(seed).shuffle(ordered)
    n_train = round(len(ordered) * fractions[0])
    n_dev = round(len(ordered) * fractions[1])
    parts = {"train": ordered[:n_train], "dev": ordered[n_train:n_train + n_dev], "test": ordered[n_train + n_dev:]}
    return {name: sorted(ids) for name, ids in parts.items()}


def write_splits(splits: dict[str, list[str]], folder: Path) -> None:
    """One ``<name>.pmids`` file per split (one PMID a line) and ``splits.json`` with all of them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, ids in splits.items():
        (folder / f"{name}.pmids").write_text("\n".join(ids) + "\n")
    (folder / "splits.json").write_text(json.dumps({"seed": SEED, "fractions": FRACTIONS, **splits}, indent=1) + "\n")


def read_splits(path: Path) -> dict[str, list[str]]:
    """Read a ``splits.json`` written by :func:`write_splits` (or shipped in the model directory)."""
    data = json.loads(Path(path).read_text())
    return {k: v for k, v in data.items() if isinstance(v, list) and k not in {"fractions"}}

"""The trained mention recogniser: a floor on a fixed GENETAG test slice, and non-human gene names.

Skipped when the corpora or the model are absent. The model is looked for where
it ships (models/biomine_ner_sm) and then where training writes it (build/ner/model-best).
"""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
MODELS = [ROOT / "models" / "biomine_ner_sm", ROOT / "build" / "ner" / "model-best"]
MODEL = next((m for m in MODELS if (m / "meta.json").exists()), None)
SLICE = slice(0, 400)  # the first 400 GENETAG test sentences (file order)
FLOOR_F1 = 0.79  # measured 0.805 on this slice (P 0.834, R 0.777): see docs/ner.md

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPORA.is_dir(), reason="needs ../shared/corpora"),
    pytest.mark.skipif(MODEL is None, reason="no trained recogniser (run python -m pipeline.training.ner)"),
]


@pytest.fixture(scope="module")
def nlp():
    from pipeline.training.mentions import load

    return load(MODEL)


def test_genetag_test_slice_floor(nlp) -> None:
    from pipeline.training.converters import genetag
    from pipeline.training.ner import predict
    from pipeline.training.ner_eval import score_alternatives

    items = genetag.read_split(CORPORA / "genetag" / "test")[SLICE]
    prf = score_alternatives(items, predict(nlp, items))
    assert prf.f1 >= FLOOR_F1, prf.as_dict()


@pytest.mark.parametrize("text, names", [
    ("Osmotic stress activates Hog1, which phosphorylates Sic1 and delays entry into S phase.", ["Hog1", "Sic1"]),
    ("In budding yeast, Cdc5 is required for mitotic exit.", ["Cdc5"]),
    ("Overexpression of mSos1 enhanced Ras activation in fibroblasts.", ["mSos1"]),
    # Greek-letter isoforms are a measured weakness of this small model (0 of 6 invented PKCδ
    # sentences; GENETAG spells "PKC delta"); biomine's dictionary has PKCδ. See docs/ner.md.
    pytest.param("Phosphorylation of PKCδ was blocked by rottlerin.", ["PKCδ"],
                 marks=pytest.mark.xfail(reason="Greek-letter isoform names: known miss", strict=False)),
])
def test_non_human_gene_names(nlp, text: str, names: list[str]) -> None:
    from pipeline.training.mentions import mentions

    found = {text[s:e] for s, e, label in mentions(nlp, text) if label == "GENE"}
    for name in names:
        assert name in found, (name, found)

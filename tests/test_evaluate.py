"""The scorer on tiny hand-made gold/prediction pairs whose right answers were worked out by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import GoldError
from pipeline.evaluation.command import evaluate_command
from pipeline.evaluation.corpus import load_gold
from pipeline.evaluation.report import EvaluationReport, format_report, sentence_spans, write_errors_tsv
from pipeline.evaluation.scoring import evaluate, gold_counts
from standoff_helpers import _nth, write_standoff  # noqa: F401

CORPORA = Path(__file__).parents[1].parent / "shared" / "corpora"


# ------------------------------------------------------------------------------------------- fixture helpers

def arg(text: str, surface: str | tuple, etype: str = "PROTEIN") -> dict:
    """ENTITY object: surface, (surface, occurrence) or (start, end)."""
    if isinstance(surface, tuple) and isinstance(surface[0], int):
        start, end = surface
    else:
        word, occ = surface if isinstance(surface, tuple) else (surface, 0)
        start = _nth(text, word, occ)
        end = start + len(word)
    return {"text": text[start:end], "type": etype, "start": start, "end": end, "id": None, "name": None}


def rel(doc: str, text: str, relation: str, subj, obj, site=None, rule: str = "R", negated: bool = False, hedged: bool = False) -> dict:
    site_obj = None
    if site:
        s = arg(text, site[0], "SITE")
        site_obj = {"text": s["text"], "start": s["start"], "end": s["end"], "residue": site[1], "position": site[2]}
    return {
        "doc_id": doc, "relation": relation, "subject": arg(text, subj) if subj else None, "object": arg(text, obj),
        "site": site_obj, "negated": negated, "hedged": hedged,
        "sentence": {"index": 0, "text": "predicted sentence", "start": 0, "end": 0}, "rule": rule, "trigger": None,
    }


def write_pred(folder: Path, relations: list[dict], entities: list[dict] = (), documents: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "relations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in relations), encoding="utf-8")
    if entities:
        (folder / "entities.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    if documents is not None:
        (folder / "documents.jsonl").write_text("".join(json.dumps({"doc_id": d, "text": ""}) + "\n" for d in documents))
    return folder


def prf(report: EvaluationReport, mode: str, task: str) -> tuple:
    s = report.relations[mode][task]
    return s.tp, s.fp, s.fn, round(s.precision, 4), round(s.recall, 4), round(s.f1, 4)


# ------------------------------------------------------------------------------------------- main fixture

T1 = ("MEKK1 phosphorylates IkBa at Ser-32. IKK2 induces phosphorylation of p65. JNK1 binds c-Jun and ATF2. "
      "RAF1 activates MEK1. PTEN does not activate AKT1.")
A1 = [("T1", "Protein", "MEKK1"), ("T2", "Protein", "IkBa"), ("T4", "Protein", "IKK2"), ("T5", "Protein", "p65"),
      ("T6", "Protein", "JNK1"), ("T7", "Protein", "c-Jun"), ("T8", "Protein", "ATF2"), ("T9", "Protein", "RAF1"),
      ("T14", "Protein", "MEK1"), ("T16", "Protein", "PTEN"), ("T17", "Protein", "AKT1")]
A2 = [("T3", "Entity", "Ser-32"), ("T10", "Phosphorylation", "phosphorylates"), ("T11", "Phosphorylation", "phosphorylation"),
      ("T12", "Positive_regulation", "induces"), ("T13", "Binding", "binds"), ("T15", "Positive_regulation", "activates"),
      ("T18", "Positive_regulation", "activate", 1),
      "E1\tPhosphorylation:T10 Theme:T2 Site:T3 Cause:T1",  # PC style: direct Cause
      "E2\tPhosphorylation:T11 Theme:T5",
      "E3\tPositive_regulation:T12 Theme:E2 Cause:T4",  # GE style kinase
      "E4\tBinding:T13 Theme:T6 Theme2:T7 Theme3:T8",
      "E5\tPositive_regulation:T15 Theme:T14 Cause:T9",
      "E6\tPositive_regulation:T18 Theme:T17 Cause:T16",
      "M1\tNegation E6"]


def _main_predictions() -> list[dict]:
    return [
        rel("d1", T1, "phosphorylation", "MEKK1", "IkBa", ("Ser-32", "S", 32), rule="R1"),
        rel("d1", T1, "phosphorylation", "MEKK1", "IkBa", ("Ser-32", "S", 32), rule="R3"),  # same spans: one item
        rel("d1", T1, "phosphorylation", None, "p65", rule="R2"),
        rel("d1", T1, "phosphorylation", None, "IkBa at", rule="R4"),  # overlaps the already matched IkBa
        rel("d1", T1, "binding", "c-Jun", "JNK1", rule="B1"),  # reversed order: binding is unordered
        rel("d1", T1, "binding", "JNK1", "ATF2.", rule="B1"),  # overlapping, not identical span
        rel("d1", T1, "activation", "RAF1", "MEK1", rule="A1", hedged=True),
        rel("d1", T1, "activation", "PTEN", "AKT1", rule="A1", negated=True),
        rel("d1", T1, "activation", "MEK1", "RAF1", rule="A2"),  # wrong direction
        rel("d1", T1, "stress_activates_target", "MEK1", "RAF1", rule="S1"),
    ]


@pytest.fixture()
def main_case(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold"
    write_standoff(gold, "d1", T1, A1, A2)
    return gold, write_pred(tmp_path / "pred", _main_predictions())


@pytest.mark.parametrize(
    ("mode", "task", "expected"),
    [
        # substrate only: IkBa and p65 found; "IkBa at" may not match IkBa a second time
        ("overlap", "phosphorylation", (2, 1, 0, 0.6667, 1.0, 0.8)),
        ("strict", "phosphorylation", (2, 1, 0, 0.6667, 1.0, 0.8)),
        ("document", "phosphorylation", (2, 1, 0, 0.6667, 1.0, 0.8)),
        # kinase + substrate: MEKK1->IkBa found, IKK2->p65 (via Positive_regulation) missed
        ("overlap", "phosphorylation+kinase", (1, 0, 1, 1.0, 0.5, 0.6667)),
        ("document", "phosphorylation+kinase", (1, 0, 1, 1.0, 0.5, 0.6667)),
        ("overlap", "phosphorylation+kinase+site", (1, 0, 0, 1.0, 1.0, 1.0)),
        ("strict", "phosphorylation+kinase+site", (1, 0, 0, 1.0, 1.0, 1.0)),
        # binding: 3 gold pairs; "ATF2." overlaps ATF2 but is not the same span
        ("overlap", "binding", (2, 0, 1, 1.0, 0.6667, 0.8)),
        ("strict", "binding", (1, 1, 2, 0.5, 0.3333, 0.4)),
        ("document", "binding", (2, 0, 1, 1.0, 0.6667, 0.8)),  # "ATF2." normalises to "atf2"
        # activation: negated gold PTEN->AKT1 and the negated prediction are left out; MEK1->RAF1 is wrong
        ("overlap", "activation", (1, 1, 0, 0.5, 1.0, 0.6667)),
        ("document", "activation", (1, 1, 0, 0.5, 1.0, 0.6667)),
        ("overlap", "inhibition", (0, 0, 0, 0.0, 0.0, 0.0)),
    ],
)
def test_scores(main_case: tuple[Path, Path], mode: str, task: str, expected: tuple) -> None:
    report = evaluate(*main_case)
    assert prf(report, mode, task) == expected


def test_skipped_negation_hedging_rules_and_counts(main_case: tuple[Path, Path]) -> None:
    report = evaluate(*main_case)
    assert report.relations["overlap"]["phosphorylation+kinase"].skipped == 2  # no kinase: not scored there
    neg, hedge = report.negation["overlap"], report.hedging["overlap"]
    assert (neg.pairs, neg.agree, neg.both, neg.pred_only, neg.gold_only) == (6, 6, 1, 0, 0)
    assert (hedge.pairs, hedge.agree, hedge.pred_only) == (6, 5, 1)
    rows = {(r.task, r.rule): (r.tp, r.fp) for r in report.rules if r.mode == "overlap"}
    assert rows[("phosphorylation", "R1")] == (1, 0) and rows[("phosphorylation", "R3")] == (1, 0)
    assert rows[("phosphorylation", "R2")] == (1, 0) and rows[("phosphorylation", "R4")] == (0, 1)
    assert rows[("binding", "B1")] == (2, 0)
    assert rows[("activation", "A1")] == (1, 0) and rows[("activation", "A2")] == (0, 1)
    assert report.not_evaluated == {"stress_activates_target": 1}
    assert report.predictions == {"relations": 10, "negated": 1, "hedged": 1, "entities": 0}
    assert report.primary_mode == "overlap" and report.gold_format == "standoff"
    text = format_report(report)
    assert "phosphorylation+kinase+site" in text and "Negation accuracy (overlap): 6/6" in text
    json.dumps(report.to_dict(include_errors=True))  # JSON-serialisable


def test_error_listing(main_case: tuple[Path, Path], tmp_path: Path) -> None:
    report = evaluate(*main_case)
    out = tmp_path / "errors.tsv"
    n = write_errors_tsv(report, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["mode", "task", "kind", "doc_id", "relation", "subject", "object", "site", "rule", "sentence"]
    rows = {tuple(line.split("\t")[1:8]) + (line.split("\t")[9],) for line in lines[1:]}
    assert len(lines) == n + 1
    assert rows == {
        ("phosphorylation", "FP", "d1", "phosphorylation", "", "IkBa at", "", "predicted sentence"),
        ("phosphorylation+kinase", "FN", "d1", "phosphorylation", "IKK2", "p65", "", "IKK2 induces phosphorylation of p65."),
        ("binding", "FN", "d1", "binding", "c-Jun", "ATF2", "", "JNK1 binds c-Jun and ATF2."),
        ("activation", "FP", "d1", "activation", "MEK1", "RAF1", "", "predicted sentence"),
    }
    assert write_errors_tsv(report, tmp_path / "strict.tsv", mode="strict") == 6


def test_rejected_negatives(main_case: tuple[Path, Path], tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.tsv"
    rejected.write_text(
        "doc_id\trelation\tsubject_text\tobject_text\tsite\tcurator\n"
        "d1\tactivation\tMEK1\tRAF1\t\tann\n"
        "d1\tbinding\tJNK1\tc-Jun\t\tann\n"  # unordered: matches the c-Jun/JNK1 prediction
        "d1\tphosphorylation\tMEKK1\tIkBa\tSer36\tbob\n",  # other site: no match
        encoding="utf-8",
    )
    report = evaluate(*main_case, negatives=rejected)
    assert report.rejected == {"path": str(rejected), "rows": 3, "hits": 2, "by_rule": {"A2": 1, "B1": 1}}
    row = next(r for r in report.rules if r.mode == "overlap" and r.rule == "A2")
    assert row.rejected_hits == 1
    bad = tmp_path / "bad.tsv"
    bad.write_text("doc_id\trelation\tsubject\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"\[E606\] .*bad\.tsv: curator-rejected triples cannot be read \(line 1: .*lacks column"):
        evaluate(*main_case, negatives=bad)


def test_rejected_site_labels(main_case: tuple[Path, Path], tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.tsv"
    rejected.write_text("doc_id\trelation\tsubject_text\tobject_text\tsite\n"
                        "d1\tphosphorylation\tMEKK1\tIkBa\tS32\n", encoding="utf-8")  # curate's site label form
    assert evaluate(*main_case, negatives=rejected).rejected["by_rule"] == {"R1": 1, "R3": 1}


# ------------------------------------------------------------------------------------------- focused cases

def test_document_level_deduplication(tmp_path: Path) -> None:
    text = "ERK2 phosphorylates ELK1. Later ERK2 phosphorylates ELK1 again."
    a1 = [("T1", "Protein", "ERK2"), ("T2", "Protein", "ELK1"), ("T3", "Protein", "ERK2", 1), ("T4", "Protein", "ELK1", 1)]
    a2 = [("T5", "Phosphorylation", "phosphorylates"), ("T6", "Phosphorylation", "phosphorylates", 1),
          "E1\tPhosphorylation:T5 Theme:T2 Cause:T1", "E2\tPhosphorylation:T6 Theme:T4 Cause:T3"]
    write_standoff(tmp_path / "gold", "d2", text, a1, a2)
    pred = write_pred(tmp_path / "pred", [rel("d2", text, "phosphorylation", "ERK2", "ELK1")])
    report = evaluate(tmp_path / "gold", pred)
    assert prf(report, "overlap", "phosphorylation+kinase") == (1, 0, 1, 1.0, 0.5, 0.6667)
    assert prf(report, "document", "phosphorylation+kinase") == (1, 0, 0, 1.0, 1.0, 1.0)
    # both mentions predicted: two mention-level hits, still one unique document-level triple
    pred2 = write_pred(tmp_path / "pred2", [rel("d2", text, "phosphorylation", "ERK2", "ELK1"),
                                            rel("d2", text, "phosphorylation", ("ERK2", 1), ("ELK1", 1))])
    report2 = evaluate(tmp_path / "gold", pred2)
    assert prf(report2, "overlap", "phosphorylation+kinase") == (2, 0, 0, 1.0, 1.0, 1.0)
    assert prf(report2, "document", "phosphorylation+kinase") == (1, 0, 0, 1.0, 1.0, 1.0)


def test_equiv_mentions_count_once(tmp_path: Path) -> None:
    text = "NF-kappaB (p65) binds IkBa."
    a1 = [("T1", "Protein", "NF-kappaB"), ("T2", "Protein", "p65"), ("T3", "Protein", "IkBa")]
    a2 = [("T4", "Binding", "binds"), "E1\tBinding:T4 Theme:T1 Theme2:T3", "E2\tBinding:T4 Theme:T2 Theme2:T3", "*\tEquiv T1 T2"]
    write_standoff(tmp_path / "gold", "d3", text, a1, a2)
    one = write_pred(tmp_path / "one", [rel("d3", text, "binding", "p65", "IkBa")])
    both = write_pred(tmp_path / "both", [rel("d3", text, "binding", "p65", "IkBa"), rel("d3", text, "binding", "IkBa", "NF-kappaB")])
    for pred in (one, both):
        report = evaluate(tmp_path / "gold", pred)
        for mode in ("overlap", "strict", "document"):
            assert prf(report, mode, "binding") == (1, 0, 0, 1.0, 1.0, 1.0), (pred.name, mode)


def test_negated_prediction_and_negated_gold(tmp_path: Path) -> None:
    text = "MST1 phosphorylates FOXO3. LKB1 does not phosphorylate AMPK."
    a1 = [("T1", "Protein", "MST1"), ("T2", "Protein", "FOXO3"), ("T3", "Protein", "LKB1"), ("T4", "Protein", "AMPK")]
    a2 = [("T5", "Phosphorylation", "phosphorylates"), ("T6", "Phosphorylation", "phosphorylate "),
          "E1\tPhosphorylation:T5 Theme:T2 Cause:T1", "E2\tPhosphorylation:T6 Theme:T4 Cause:T3", "M1\tNegation E2"]
    write_standoff(tmp_path / "gold", "d4", text, a1, a2)
    pred = write_pred(tmp_path / "pred", [
        rel("d4", text, "phosphorylation", "MST1", "FOXO3", negated=True),  # negated here, positive in gold
        rel("d4", text, "phosphorylation", "LKB1", "AMPK"),  # positive here, negated in gold
    ])
    report = evaluate(tmp_path / "gold", pred)
    assert prf(report, "overlap", "phosphorylation+kinase") == (0, 1, 1, 0.0, 0.0, 0.0)
    neg = report.negation["overlap"]
    assert (neg.pairs, neg.agree, neg.pred_only, neg.gold_only) == (2, 0, 1, 1)
    assert gold_counts(tmp_path / "gold")["phosphorylation+kinase"] == {"mention": 1, "document": 1, "negated": 1}


def test_autophosphorylation_counts_as_self_phosphorylation(tmp_path: Path) -> None:
    text = "Src is autophosphorylated at Tyr-416."
    a1 = [("T1", "Protein", "Src")]
    a2 = [("T2", "Phosphorylation", "autophosphorylated"), ("T3", "Entity", "Tyr-416"), "E1\tPhosphorylation:T2 Theme:T1 Site:T3"]
    write_standoff(tmp_path / "gold", "d5", text, a1, a2)
    pred = write_pred(tmp_path / "pred", [rel("d5", text, "autophosphorylation", None, "Src", ("Tyr-416", "Y", 416))])
    report = evaluate(tmp_path / "gold", pred)
    for task in ("phosphorylation", "phosphorylation+kinase", "phosphorylation+kinase+site", "autophosphorylation"):
        assert prf(report, "overlap", task) == (1, 0, 0, 1.0, 1.0, 1.0), task


def test_site_matches_on_normalised_residue_in_overlap_mode(tmp_path: Path) -> None:
    text = "CDK1 phosphorylates Cdc25 at serine 32 (Ser32)."
    a1 = [("T1", "Protein", "CDK1"), ("T2", "Protein", "Cdc25")]
    a2 = [("T3", "Phosphorylation", "phosphorylates"), ("T4", "Entity", "serine 32"), "E1\tPhosphorylation:T3 Theme:T2 Site:T4 Cause:T1"]
    write_standoff(tmp_path / "gold", "d6", text, a1, a2)
    pred = write_pred(tmp_path / "pred", [rel("d6", text, "phosphorylation", "CDK1", "Cdc25", ("Ser32", "S", 32))])
    report = evaluate(tmp_path / "gold", pred)
    assert prf(report, "overlap", "phosphorylation+kinase+site")[:3] == (1, 0, 0)
    assert prf(report, "strict", "phosphorylation+kinase+site")[:3] == (0, 1, 1)
    assert prf(report, "document", "phosphorylation+kinase+site")[:3] == (1, 0, 0)


def test_documents_jsonl_limits_the_scored_documents(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    write_standoff(gold, "d1", T1, A1, A2)
    write_standoff(gold, "other", "AKT1 binds PDK1.", [("T1", "Protein", "AKT1"), ("T2", "Protein", "PDK1")],
                   [("T3", "Binding", "binds"), "E1\tBinding:T3 Theme:T1 Theme2:T2"])
    pred = write_pred(tmp_path / "pred", _main_predictions(), documents=["d1", "unknown"])
    report = evaluate(gold, pred)
    assert report.documents == {"gold": 2, "predicted": 2, "scored": 1}
    assert prf(report, "overlap", "binding") == (2, 0, 1, 1.0, 0.6667, 0.8)  # "other" not counted
    assert any("not in documents.jsonl" in w for w in report.warnings)
    assert any("not in the gold" in w for w in report.warnings)
    assert evaluate(gold, pred, all_gold_docs=True).relations["overlap"]["binding"].fn == 2


PUBTATOR = """\
111|t|EGFR binds GRB2 in HeLa cells treated with gefitinib.
111|a|Lung cancer cells depend on EGFR.
111\t0\t4\tEGFR\tGeneOrGeneProduct\t1956
111\t11\t15\tGRB2\tGeneOrGeneProduct\t2885
111\t19\t23\tHeLa\tCellLine\tCVCL_0030
111\t43\t52\tgefitinib\tChemicalEntity\tD000077156
111\t54\t65\tLung cancer\tDiseaseOrPhenotypicFeature\tD008175
111\t82\t86\tEGFR\tGeneOrGeneProduct\t1956
111\tBind\t1956\t2885\tNovel
111\tNegative_Correlation\t1956\tD000077156\tNovel
111\tAssociation\t1956\tD008175\tNovel
"""


def test_pubtator_entities_grounding_and_document_relations(tmp_path: Path) -> None:
    gold = tmp_path / "Dev.PubTator"
    gold.write_text(PUBTATOR, encoding="utf-8")
    text = load_gold(gold).documents["111"].text

    def ent(surface: str | tuple, etype: str, eid: str | None = None, xrefs: dict | None = None) -> dict:
        return {"doc_id": "111", **arg(text, surface, etype), "id": eid, "xrefs": xrefs or {}, "rule": "ner", "sentence": 0}

    entities = [
        ent("EGFR", "PROTEIN", "HGNC:3236", {"EGID": "1956"}),
        ent("GRB2", "FAMILY", "FPLX:GRB", {"EGID": "9999"}),  # FAMILY counts as PROTEIN; wrong id
        ent("HeLa cells", "CELL_LINE", "CVCL:0030"),  # overlaps "HeLa"
        ent("gefitinib", "DRUG", "MESH:D000077156"),
        ent("cancer", "DISEASE"),  # overlaps "Lung cancer", no id
        ent("cells", "PROTEIN"),  # nothing there
        ent(("EGFR", 1), "PROTEIN", "HGNC:3236", {"EGID": "1956"}),
    ]
    relations = [
        rel("111", text, "binding", "GRB2", "EGFR"),  # GRB2 grounded to the wrong gene: no match
        rel("111", text, "drug_inhibits_target", "gefitinib", "EGFR"),
        rel("111", text, "association", ("EGFR", 1), "Lung cancer"),  # no id on "Lung cancer": text fallback
    ]
    relations[2]["object"]["type"] = "DISEASE"
    pred = write_pred(tmp_path / "pred", relations, entities, documents=["111"])
    report = evaluate(gold, pred)
    assert report.gold_format == "pubtator" and list(report.relations) == ["document"]
    assert prf(report, "document", "binding") == (0, 1, 1, 0.0, 0.0, 0.0)
    assert prf(report, "document", "drug_inhibits_target") == (1, 0, 0, 1.0, 1.0, 1.0)
    assert prf(report, "document", "association") == (1, 0, 0, 1.0, 1.0, 1.0)
    ents = {m: {t: (s.tp, s.fp, s.fn) for t, s in types.items()} for m, types in report.entities.items()}
    assert ents["overlap"] == {"PROTEIN": (3, 1, 0), "CELL_LINE": (1, 0, 0), "DRUG": (1, 0, 0), "DISEASE": (1, 0, 0)}
    assert ents["strict"] == {"PROTEIN": (3, 1, 0), "CELL_LINE": (0, 1, 1), "DRUG": (1, 0, 0), "DISEASE": (0, 1, 1)}
    grounding = {t: (a.pairs, a.agree) for t, a in report.grounding.items()}
    assert grounding == {"PROTEIN": (3, 2), "PROTEIN, gene in HGNC": (3, 2),  # EGFR and GRB2 are human genes
                         "CELL_LINE": (1, 1), "DRUG": (1, 1), "DISEASE": (1, 0)}
    assert "Grounding" in format_report(report)


def test_sentence_spans() -> None:
    text = "JNK1 binds c-Jun (Fig. 2A). It is shown by Smith et al. in cells.\nNext line"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "JNK1 binds c-Jun (Fig. 2A).", "It is shown by Smith et al. in cells.", "Next line"]


# ------------------------------------------------------------------------------------------- command line

def test_evaluate_command(main_case: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold, pred = main_case
    errors = tmp_path / "errs.tsv"
    assert evaluate_command(gold, pred, as_json=True, errors=errors) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["relations"]["overlap"]["binding"]["tp"] == 2 and errors.exists()
    assert evaluate_command(gold, tmp_path / "nowhere") == 2
    assert "[E605]" in capsys.readouterr().err
    assert evaluate_command(tmp_path / "no-gold", pred) == 2
    assert "[E601]" in capsys.readouterr().err
    assert evaluate_command(gold, pred, negatives=tmp_path / "no.tsv") == 2
    assert "[E606]" in capsys.readouterr().err
    (pred / "relations.jsonl").write_text('{"doc_id": "d1"}\n', encoding="utf-8")
    assert evaluate_command(gold, pred) == 1
    assert "[E603]" in (err := capsys.readouterr().err) and "relations.jsonl:1: malformed prediction (not a relation row" in err
    (pred / "relations.jsonl").write_text('{"doc_id": "d1", "relation": "binding", "object": {"text": "x", "start": 0, "end": 1}}\nnot json\n')
    assert evaluate_command(gold, pred) == 1
    assert "relations.jsonl:2: malformed prediction (invalid JSON" in capsys.readouterr().err
    (pred / "relations.jsonl").unlink()
    assert evaluate_command(gold, pred) == 1
    assert "[E605]" in (err := capsys.readouterr().err) and "no relations.jsonl" in err


def test_cli_evaluate(main_case: tuple[Path, Path]) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    gold, pred = main_case
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(pred)])
    assert result.exit_code == 0, result.output
    assert "Relations, overlap matching" in result.output and "Rules, overlap matching" in result.output
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--folds", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cross_validation"]["folds"] == 2
    result = CliRunner().invoke(app, ["evaluate", str(gold), str(pred), "--fold", "9"])
    assert result.exit_code == 2 and "[E801] --fold 9" in result.output


# ------------------------------------------------------------------------------------------- real corpora

def _gold_as_predictions(corpus, folder: Path) -> Path:
    """Predictions that copy the gold exactly: every task must score 1.0 (checks mapping/matching consistency)."""

    def ent(a) -> dict:
        return {"text": a.text, "type": "PROTEIN", "start": a.start, "end": a.end, "id": None, "name": None}

    rows = []
    for doc in corpus.documents.values():
        for t in doc.triples:
            site = {"text": t.site.text, "start": t.site.start, "end": t.site.end, "residue": None, "position": None} if t.site else None
            rows.append({"doc_id": doc.doc_id, "relation": t.relation, "subject": ent(t.subject) if t.subject else None,
                         "object": ent(t.object), "site": site, "negated": t.negated, "hedged": t.hedged,
                         "sentence": {"index": 0, "text": "", "start": 0, "end": 0}, "rule": "gold", "trigger": None})
    return write_pred(folder, rows, documents=list(corpus.documents))


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["bionlp-st-2013-ge/devel", "bionlp-st-2013-pc/train", "bionlp-st-2013-ge/train"])
def test_gold_round_trip_on_real_corpora(name: str, tmp_path: Path) -> None:
    if not (CORPORA / name).exists():
        pytest.skip(f"{CORPORA / name} is absent")
    corpus = load_gold(CORPORA / name)
    counts = gold_counts(corpus)
    print(f"\n{name}: gold positives per task (mention items / unique document triples / negated)")
    for task, row in counts.items():
        print(f"  {task:36s} {row}")
    report = evaluate(CORPORA / name, _gold_as_predictions(corpus, tmp_path / "pred"))
    for mode, tasks in report.relations.items():
        for task, score in tasks.items():
            assert (score.fp, score.fn) == (0, 0), (mode, task)
    assert report.negation["overlap"].accuracy == 1.0 and report.hedging["strict"].accuracy == 1.0
    assert counts["phosphorylation"]["mention"] > 90 and counts["binding"]["mention"] > 90


@pytest.mark.corpus
def test_biored_dev_counts() -> None:
    path = CORPORA / "biored" / "Dev.PubTator"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    counts = gold_counts(path)
    print(f"\nbiored/Dev.PubTator: {counts}")
    assert counts["association"]["document"] == 293
    assert counts["binding"]["document"] == 18
    assert counts["drug_inhibits_target"]["document"] == 47


@pytest.mark.parametrize("seed", range(30))
def test_max_matching_is_maximum(seed: int) -> None:
    import random

    nx = pytest.importorskip("networkx")
    from pipeline.evaluation.matching import max_matching

    rng = random.Random(seed)
    n, m = rng.randint(0, 12), rng.randint(0, 12)
    adj = [[j for j in range(m) if rng.random() < 0.25] for _ in range(n)]
    matching = max_matching(adj)
    assert len(set(matching.values())) == len(matching)
    assert all(j in adj[i] for i, j in matching.items())
    graph = nx.Graph()
    graph.add_nodes_from((f"p{i}" for i in range(n)), bipartite=0)
    graph.add_nodes_from((f"g{j}" for j in range(m)), bipartite=1)
    graph.add_edges_from((f"p{i}", f"g{j}") for i, js in enumerate(adj) for j in js)
    best = nx.bipartite.maximum_matching(graph, top_nodes=[f"p{i}" for i in range(n)])
    assert len(matching) == len(best) // 2


def test_known_gene_ids_are_the_human_genes_of_the_dictionary():
    """The "gene in HGNC" grounding row counts only genes biomine can ground offline."""
    from pipeline.evaluation.ids import known_gene_ids

    known = known_gene_ids()
    assert "NCBIGENE:367" in known and "NCBIGENE:1956" in known  # human AR, EGFR
    assert "NCBIGENE:11835" not in known  # mouse Ar: NCBI Gene ids of other species are not in HGNC


@pytest.mark.parametrize("row,bucket", [
    ({"type": "FAMILY", "id": "FPLX:JNK"}, "PROTEIN"),
    ({"type": "STRESS", "id": "HGNC:11892"}, "PROTEIN"),  # TNF-alpha: a cytokine the gold annotates as a gene
    ({"type": "STRESS", "id": "CHEBI:16240"}, None),  # H2O2 stays a stress, outside every gene bucket
    ({"type": "STRESS", "id": None}, None),
    ({"type": "DRUG", "id": "CHEBI:1"}, "DRUG"),
])
def test_entity_buckets(row, bucket):
    from pipeline.evaluation.scoring import entity_bucket

    assert entity_bucket(row) == bucket

"""Score a pipeline output folder against a gold corpus: relation P/R/F1 per task and mode, flags, entities, rules.

Why: rules are tuned against public gold; this gives comparable precision/recall numbers, a per-rule
table to see which rule hurts, and an error listing a curator can read. Gold triples come from
:mod:`pipeline.evaluation.events` (docs/evaluation.md), tasks from :mod:`pipeline.evaluation.tasks`,
matching from :mod:`pipeline.evaluation.matching`.

In the mention modes one gold triple matches at most one prediction (maximum bipartite matching per
document); the rest are false positives. Triples that differ only in parts a task ignores are counted
once (e.g. two phosphorylation sites of one substrate mention are one item of the substrate-only task).
Negated triples are not positives on either side; they are used for negation accuracy only.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from pipeline.evaluation.corpus import GoldCorpus, GoldTriple, load_gold
from pipeline.evaluation.ids import canonical_ids, known_gene_ids
from pipeline.evaluation.matching import MENTION_MODES, MODES, entity_adjacency, items, match, max_matching
from pipeline.evaluation.negatives import RejectedIndex, read_rejected
from pipeline.evaluation.predictions import PredictionFiles, PredTriple, read_jsonl, read_predictions
from pipeline.evaluation.report import Agreement, ErrorRow, EvaluationReport, RuleRow, Score, gold_context
from pipeline.evaluation.tasks import Task, build_tasks, for_task, tasks_for
from pipeline.relations.types import RelationRegistry

ENTITY_BUCKETS = {"PROTEIN": "PROTEIN", "FAMILY": "PROTEIN", "DRUG": "DRUG", "DISEASE": "DISEASE", "CELL_LINE": "CELL_LINE", "SITE": "SITE"}
GENE_NAMESPACES = ("HGNC:", "FPLX:", "UP:")


def entity_bucket(row: dict[str, Any]) -> str | None:
    """The scoring bucket of a predicted entity: its type's, except that a stress grounded to a gene
    (the cytokine "TNF-alpha" -> HGNC:11892) is also a gene-product mention, as the corpora annotate it."""
    etype = str(row.get("type"))
    if etype == "STRESS" and str(row.get("id") or "").startswith(GENE_NAMESPACES):
        return "PROTEIN"
    return ENTITY_BUCKETS.get(etype)


def _select_documents(corpus: GoldCorpus, preds: list[PredTriple], entity_rows: list[dict[str, Any]],
                      documents_path: Path, all_gold_docs: bool, report: EvaluationReport,
                      only: set[str] | None) -> set[str]:
    """Gold documents to score: those in documents.jsonl (all gold documents without it); warns on mismatches.

    ``only`` (a fold) limits both sides: predictions for gold documents outside it are left out silently.
    """
    universe = set(corpus.documents)
    gold_docs = universe if only is None else universe & only
    if documents_path.exists() and not all_gold_docs:
        pred_docs = {str(r.get("doc_id")) for r in read_jsonl(documents_path)}
    else:
        pred_docs = {p.doc_id for p in preds} | {str(e.get("doc_id")) for e in entity_rows}
    if only is not None:
        pred_docs -= universe - only
    scored = gold_docs & pred_docs if documents_path.exists() and not all_gold_docs else gold_docs
    if documents_path.exists() and not all_gold_docs and gold_docs - pred_docs:
        report.warnings.append(f"{len(gold_docs - pred_docs)} gold documents are not in documents.jsonl and are not scored")
    if pred_docs - universe:
        report.warnings.append(f"{len(pred_docs - universe)} predicted documents are not in the gold and are ignored, "
                               f"e.g. {sorted(pred_docs - universe)[:3]}")
    if not scored or not (pred_docs & gold_docs):
        report.warnings.append("no document ids in common between gold and predictions: check the doc_id convention")
    report.documents = {"gold": len(gold_docs), "predicted": len(pred_docs), "scored": len(scored)}
    return scored


def _score_task(corpus: GoldCorpus, gold: list[GoldTriple], preds: list[PredTriple], task: Task, mode: str,
                rules: dict[tuple[str, str, str], RuleRow], rejected_by_rule: dict[str, int],
                report: EvaluationReport, cache: dict[str, list[tuple[int, int]]]) -> Score:
    """P/R/F1 of one task in one mode; fills the per-rule rows and the error listing as a side effect."""
    gold_t, _ = for_task((t for t in gold if not t.negated), task, gold=True)
    pred_t, skipped = for_task((p for p in preds if not p.negated), task, gold=False)
    pairs = match(items(pred_t, task, mode, corpus.documents, False), items(gold_t, task, mode, corpus.documents, True), task, mode)
    score = Score(skipped=skipped)
    for p_item, g_item in pairs:
        if p_item is not None:
            item_rules = list(dict.fromkeys(m.rule for m in p_item.members))
            for rule in item_rules:
                row = rules.setdefault((mode, task.name, rule), RuleRow(mode, task.name, rule, rejected_hits=rejected_by_rule.get(rule, 0)))
                row.tp += g_item is not None
                row.fp += g_item is None
        if p_item is not None and g_item is not None:
            score.tp += 1
        elif p_item is not None:
            score.fp += 1
            p = p_item.first
            report.errors.append(ErrorRow(mode, task.name, "FP", p.doc_id, p.relation, p.subject.text if p.subject else "",
                                          p.object.text, p.site.text if p.site else "", ",".join(item_rules), p.sentence))
        elif g_item is not None:
            score.fn += 1
            g = g_item.first
            report.errors.append(ErrorRow(mode, task.name, "FN", g.doc_id, g.relation, g.subject.text if g.subject else "",
                                          g.object.text, g.site.text if g.site else "", "", gold_context(corpus.documents[g.doc_id], g, cache)))
    return score


def _flag_agreement(corpus: GoldCorpus, gold: list[GoldTriple], preds: list[PredTriple], tasks: list[Task], mode: str) -> tuple[Agreement, Agreement]:
    """Negation and hedging agreement over predictions matched to gold triples, negated or not."""
    neg, hedge = Agreement(), Agreement()
    for task in (t for t in tasks if t.base):
        gold_t, _ = for_task(gold, task, gold=True)
        pred_t, _ = for_task(preds, task, gold=False)
        p_items = items(pred_t, task, mode, corpus.documents, False, flags=True)
        g_items = items(gold_t, task, mode, corpus.documents, True, flags=True)
        for attr, agreement in (("negated", neg), ("hedged", hedge)):
            def same(p: Any, g: Any, a: str = attr) -> bool:
                return getattr(p, a) == getattr(g, a)

            for p_item, g_item in match(p_items, g_items, task, mode, prefer=same):
                if p_item is not None and g_item is not None:
                    agreement.add(getattr(p_item.first, attr), getattr(g_item.first, attr))
    return neg, hedge


KNOWN_GENES = "PROTEIN, gene in HGNC"  # a grounding row: the gold gene is one the dictionaries hold


def _entity_scores(corpus: GoldCorpus, docs: set[str], entity_rows: list[dict[str, Any]], report: EvaluationReport) -> None:
    """Entity P/R/F1 per type (only types the gold annotates) and grounding accuracy."""
    gold_by: dict[tuple[str, str], list[Any]] = {}
    for d in sorted(docs):
        for g in corpus.documents[d].entities:
            gold_by.setdefault((d, ENTITY_BUCKETS[g.type]), []).append(g)
    buckets = sorted({b for _, b in gold_by})
    pred_by: dict[tuple[str, str], dict[tuple[int, int], dict[str, Any]]] = {}
    for e in entity_rows:
        bucket = entity_bucket(e)
        doc_id = str(e.get("doc_id"))
        if bucket in buckets and doc_id in docs:
            pred_by.setdefault((doc_id, bucket), {}).setdefault((int(e["start"]), int(e["end"])), e)
    for mode in MENTION_MODES:
        scores = {b: Score() for b in buckets}
        for key in sorted(set(gold_by) | set(pred_by)):
            gs, ps = gold_by.get(key, []), list(pred_by.get(key, {}).values())
            matching = max_matching(entity_adjacency(ps, gs, strict=mode == "strict"))
            s = scores[key[1]]
            s.tp += len(matching)
            s.fp += len(ps) - len(matching)
            s.fn += len(gs) - len(matching)
            if mode == "overlap":
                for i, j in matching.items():
                    if gs[j].ids:
                        ids = canonical_ids(ps[i].get("id"), ps[i].get("xrefs"))
                        report.grounding.setdefault(key[1], Agreement()).add(bool(ids & gs[j].ids), True)
                        if key[1] == "PROTEIN" and gs[j].ids & known_gene_ids():
                            report.grounding.setdefault(KNOWN_GENES, Agreement()).add(bool(ids & gs[j].ids), True)
        report.entities[mode] = scores


def evaluate(
    gold_path: str | Path | GoldCorpus,
    pred_dir: str | Path,
    negatives: str | Path | None = None,
    *,
    all_gold_docs: bool = False,
    documents: Iterable[str] | None = None,
    types: RelationRegistry | None = None,
) -> EvaluationReport:
    """Score the output folder ``pred_dir`` (relations.jsonl, entities.jsonl, documents.jsonl) against gold.

    Scored documents: the gold documents listed in documents.jsonl (all gold documents if there is no
    documents.jsonl or ``all_gold_docs``), limited to ``documents`` if given (a cross-validation fold).
    ``negatives`` is an optional TSV or curation database of curator-rejected triples. ``gold_path`` may
    be an already loaded corpus, so folds do not read it again.
    """
    corpus = gold_path if isinstance(gold_path, GoldCorpus) else load_gold(gold_path, types)
    files = PredictionFiles.of(pred_dir)
    report = EvaluationReport(str(corpus.path if isinstance(gold_path, GoldCorpus) else gold_path), str(pred_dir),
                              corpus.format, "overlap" if corpus.format == "standoff" else "document")
    report.warnings += corpus.warnings[:20] + ([f"... {len(corpus.warnings) - 20} more gold warnings"] if len(corpus.warnings) > 20 else [])

    entity_rows = read_jsonl(files.entities) if files.entities.exists() else []
    preds = read_predictions(files.relations, entity_rows, {d: g.text for d, g in corpus.documents.items()})
    only = set(documents) if documents is not None else None
    scored = _select_documents(corpus, preds, entity_rows, files.documents, all_gold_docs, report, only)
    preds = [p for p in preds if p.doc_id in scored]
    gold = [t for t in corpus.triples() if t.doc_id in scored]
    report.predictions = {"relations": len(preds), "negated": sum(p.negated for p in preds), "hedged": sum(p.hedged for p in preds),
                          "entities": sum(str(e.get("doc_id")) in scored for e in entity_rows)}
    tasks = tasks_for(corpus.relations, types)
    covered = {r for t in tasks for r in t.pred_relations}
    for p in preds:
        if p.relation not in covered:
            report.not_evaluated[p.relation] = report.not_evaluated.get(p.relation, 0) + 1

    rejected_by_rule: dict[str, int] = {}
    if negatives:
        rows = read_rejected(Path(negatives))
        index = RejectedIndex(rows, types)
        for p in preds:
            if p in index:
                rejected_by_rule[p.rule] = rejected_by_rule.get(p.rule, 0) + 1
        report.rejected = {"path": str(negatives), "rows": len(rows), "hits": sum(rejected_by_rule.values()), "by_rule": rejected_by_rule}

    cache: dict[str, list[tuple[int, int]]] = {}
    rules: dict[tuple[str, str, str], RuleRow] = {}
    for mode in MODES if corpus.format == "standoff" else ("document",):
        report.relations[mode] = {task.name: _score_task(corpus, gold, preds, task, mode, rules, rejected_by_rule, report, cache) for task in tasks}
        if mode in MENTION_MODES:
            report.negation[mode], report.hedging[mode] = _flag_agreement(corpus, gold, preds, tasks, mode)
    task_order = [t.name for t in build_tasks(types)]
    report.rules = sorted(rules.values(), key=lambda r: (MODES.index(r.mode), task_order.index(r.task), r.rule))
    if entity_rows:
        _entity_scores(corpus, scored, entity_rows, report)
    elif not files.entities.exists():
        report.warnings.append("no entities.jsonl: entity scores skipped")
    return report


def gold_counts(gold: str | Path | GoldCorpus, types: RelationRegistry | None = None) -> dict[str, dict[str, int]]:
    """Gold positives per task: mention-level items, document-level unique triples, and negated items."""
    corpus = gold if isinstance(gold, GoldCorpus) else load_gold(gold, types)
    triples = corpus.triples()
    modes = ("overlap", "document") if corpus.format == "standoff" else ("document",)
    out: dict[str, dict[str, int]] = {}
    for task in tasks_for(corpus.relations, types):
        row = {}
        for mode in modes:
            kept, _ = for_task((t for t in triples if not t.negated), task, gold=True)
            row["mention" if mode == "overlap" else "document"] = sum(len(v) for v in items(kept, task, mode, corpus.documents, True).values())
        negated, _ = for_task((t for t in triples if t.negated), task, gold=True)
        row["negated"] = sum(len(v) for v in items(negated, task, modes[0], corpus.documents, True).values())
        out[task.name] = row
    return out

"""How often the runtime's understood-subject rule finds the GENIA Treebank's trace antecedent.

The treebank marks a controlled subject with a ``NONE`` trace that points to its antecedent
(``Sentence.understood``, from the converter). The relation rules never see traces: they call
:func:`pipeline.relations.arguments.subjects` on a parse. This module scores exactly that
function, on the gold trees (is the rule right when the tree is?) and on the shipped parser's
trees of the raw sentences (what users get). Figures: docs/dependencies.md.

A relative clause's subject is, by design, what its predicate noun is said of ("Elf-1 is a
factor that appears to be required": Elf-1, where the trace names *factor*); such answers are
counted apart as ``via_predicate`` and not as agreement.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from pipeline.relations.arguments import copula_subject, subjects
from pipeline.training.converters.genia_treebank import Sentence


def gold_doc(vocab: Any, sent: Sentence) -> Any:
    """The converted gold tree as a spaCy Doc, so the runtime functions walk it as they walk a parse."""
    from spacy.tokens import Doc

    return Doc(vocab, words=sent.words, spaces=sent.spaces, tags=sent.tags, heads=sent.heads, deps=sent.deps)


def judge(doc: Any, verb: int, gold: int) -> str:
    """``agree``, ``via_predicate`` (the copula subject of the trace's predicate noun) or ``disagree``."""
    found = subjects(doc[verb])
    if found and found[0].i == gold:
        return "agree"
    said_of = copula_subject(doc[gold])
    if found and said_of is not None and found[0].i == said_of.i:
        return "via_predicate"
    return "disagree"


def _disagreement(doc: Any, verb: int, gold: int) -> str:
    found = subjects(doc[verb])
    said = found[0].dep_ if found else "nothing"
    return f"{doc[verb].dep_}: trace says {doc[gold].dep_}, rule says {said}"


def agreement(sentences: Iterable[Sentence], vocab: Any = None) -> dict:
    """Agreement of ``subjects()`` with the traces on the gold trees, per attachment label of the
    controlled verb, with the most frequent disagreements ("<verb label>: trace says <label>,
    rule says <label>")."""
    import spacy

    vocab = vocab or spacy.blank("en").vocab
    total, outcome, disagreements = Counter(), Counter(), Counter()
    for sent in sentences:
        if not sent.understood or not sent.parsed:
            continue
        doc = gold_doc(vocab, sent)
        for verb, gold in sent.understood.items():
            label = sent.deps[verb]
            total[label] += 1
            verdict = judge(doc, verb, gold)
            outcome[(label, verdict)] += 1
            if verdict == "disagree":
                disagreements[_disagreement(doc, verb, gold)] += 1
    return _summary(total, outcome) | {"disagreements": dict(disagreements.most_common(15))}


def on_parses(nlp: Any, docs: Iterable[Sequence[Sentence]]) -> dict:
    """The same rule on the parser's trees of each raw sentence (tokenizer included); a trace whose
    verb or antecedent the tokenizer splits differently is counted as ``unaligned`` (a miss)."""
    from spacy.training import Alignment

    total, outcome, disagreements = Counter(), Counter(), Counter()
    unaligned = 0
    for sentences in docs:
        for sent in sentences:
            if not sent.understood or not sent.parsed:
                continue
            doc = nlp(sent.text)
            align = Alignment.from_strings([t.text for t in doc], sent.words)
            one = {g: int(align.y2x[g][0]) for g in range(len(sent.words)) if align.y2x.lengths[g] == 1}
            for verb, gold in sent.understood.items():
                label = sent.deps[verb]
                total[label] += 1
                if verb not in one or gold not in one:
                    unaligned += 1
                    outcome[(label, "disagree")] += 1
                    continue
                verdict = judge(doc, one[verb], one[gold])
                outcome[(label, verdict)] += 1
                if verdict == "disagree":  # labels here are the parser's
                    disagreements[_disagreement(doc, one[verb], one[gold])] += 1
    return _summary(total, outcome) | {"unaligned": unaligned, "disagreements": dict(disagreements.most_common(15))}


def _summary(total: Counter, outcome: Counter) -> dict:
    n = sum(total.values())
    agree = sum(v for (_, verdict), v in outcome.items() if verdict == "agree")
    via = sum(v for (_, verdict), v in outcome.items() if verdict == "via_predicate")
    return {"controlled_verbs": n, "agree": agree, "agreement": round(agree / n, 4) if n else None,
            "via_predicate": via,
            "per_label": {label: {"n": count, "agreement": round(outcome[(label, "agree")] / count, 4)}
                          for label, count in total.most_common()}}

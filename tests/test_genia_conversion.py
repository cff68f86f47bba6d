"""GENIA Treebank -> dependency conversion on small invented trees, one construction per case.

Trees are written in bracket notation, ``(CAT[attr=value,...] children)`` with ``(TAG word)``
leaves, and turned into GENIA's XML by ``to_xml`` (nulls: ``(NP[null=NONE,ref=i1])``).
Each case lists arcs as ``label(head, dependent)``; words are unique within a sentence.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

import pytest
import spacy

from pipeline.relations.arguments import subjects
from pipeline.training import understood_subjects
from pipeline.training.converters.genia_treebank import from_string

VOCAB = spacy.blank("en").vocab
NO_SPACE_BEFORE = {"PERIOD", "COMMA", "RRB", "COLON"}


def to_xml(bracketed: str) -> str:
    """``(S (NP[role=SBJ] (NN Akt)) ...)`` -> ``<sentence><cons cat="S" ...>...</sentence>``."""
    tokens = re.findall(r"\(|\)|[^\s()]+", bracketed)
    out: list[str] = []
    pos = 0
    prev_tag = None

    def node() -> None:
        nonlocal pos, prev_tag
        assert tokens[pos] == "("
        pos += 1
        label = tokens[pos]
        pos += 1
        if tokens[pos] not in "()" and tokens[pos + 1] == ")":  # a leaf: (TAG word)
            tag, word = label, tokens[pos]
            space = "" if prev_tag is None or tag in NO_SPACE_BEFORE or prev_tag == "LRB" else " "
            out.append(f'{space}<tok cat="{tag}">{escape(word)}</tok>')
            prev_tag = tag
            pos += 2
            return
        cat, _, attrs = label.partition("[")
        pairs = [a.split("=") for a in attrs.rstrip("]").split(",") if a]
        out.append(f'<cons cat="{cat}"' + "".join(f' {k}="{v}"' for k, v in pairs) + ">")
        while tokens[pos] != ")":
            node()
        out.append("</cons>")
        pos += 1

    node()
    return "<sentence>" + "".join(out) + "</sentence>"


def arcs(bracketed: str) -> set[str]:
    sent = from_string(to_xml(bracketed))
    return {f"{d}({sent.words[h]}, {w})" if d != "ROOT" else f"ROOT({w})"
            for w, h, d in zip(sent.words, sent.heads, sent.deps)}


CASES = [
    ("passive with LGS agent",
     "(S (NP[role=SBJ,id=i1] (NN ASK1)) (VP (VBZ is) (VP (VBN phosphorylated) (NP[null=NONE,ref=i1])"
     " (PP (IN by) (NP[role=LGS] (NN Akt))))) (PERIOD .))",
     ["ROOT(phosphorylated)", "nsubjpass(phosphorylated, ASK1)", "auxpass(phosphorylated, is)",
      "agent(phosphorylated, by)", "pobj(by, Akt)", "punct(phosphorylated, .)"]),
    ("passive by-phrase GENIA left without LGS is still the agent; a measure is not",
     "(S (NP[role=SBJ,id=i1] (NN Binding)) (VP (VBD was) (VP (VBN blocked) (NP[null=NONE,ref=i1])"
     " (PP (IN by) (NP (NN antagonist))) (PP (IN by) (NP (CD 48) (NN %))))) (PERIOD .))",
     ["agent(blocked, by)", "pobj(by, antagonist)", "prep(blocked, by)", "pobj(by, %)"]),
    ("LGS under a nominalization stays prep",
     "(NP (NP (NN inhibition)) (PP (IN of) (NP (NN ASK1))) (PP (IN by) (NP[role=LGS] (NN Akt))))",
     ["ROOT(inhibition)", "prep(inhibition, of)", "prep(inhibition, by)", "pobj(by, Akt)"]),
    ("active transitive with site PP",
     "(S (NP[role=SBJ] (NN Akt)) (VP (VBZ phosphorylates) (NP (NN ASK1)) (PP (IN at) (NP (NN Ser83)))) (PERIOD .))",
     ["nsubj(phosphorylates, Akt)", "dobj(phosphorylates, ASK1)", "prep(phosphorylates, at)", "pobj(at, Ser83)"]),
    ("relative clause, subject gap",
     "(S (NP[role=SBJ] (NP (DT the) (NN kinase)) (SBAR (WHNP[id=i1] (WDT that))"
     " (S (NP[role=SBJ,null=T,ref=i1]) (VP (VBZ phosphorylates) (NP (NN ASK1))))))"
     " (VP (VBZ binds) (NP (NN PDK1))) (PERIOD .))",
     ["relcl(kinase, phosphorylates)", "nsubj(phosphorylates, that)", "dobj(phosphorylates, ASK1)",
      "nsubj(binds, kinase)", "det(kinase, the)", "dobj(binds, PDK1)"]),
    ("relative clause, object gap",
     "(NP (NP (DT the) (NN substrate)) (SBAR (WHNP[id=i2] (WDT which))"
     " (S (NP[role=SBJ] (NN Akt)) (VP (VBZ phosphorylates) (NP[null=T,ref=i2])))))",
     ["ROOT(substrate)", "relcl(substrate, phosphorylates)", "dobj(phosphorylates, which)",
      "nsubj(phosphorylates, Akt)"]),
    ("relative clause, passive, with a wh-PP",
     "(NP (NP (DT the) (NN site)) (SBAR (WHPP[id=i3] (IN at) (WHNP (WDT which)))"
     " (S (NP[role=SBJ,id=i4] (NN ASK1)) (VP (VBZ is) (VP (VBN phosphorylated) (NP[null=NONE,ref=i4])"
     " (PP[null=T,ref=i3]))))))",
     ["relcl(site, phosphorylated)", "prep(phosphorylated, at)", "pobj(at, which)",
      "nsubjpass(phosphorylated, ASK1)", "auxpass(phosphorylated, is)"]),
    ("reduced relative (participle after a noun)",
     "(S (NP[role=SBJ] (NP (NNS cells)) (VP (VBN treated) (NP[null=NONE]) (PP (IN with) (NP (NN TNF)))))"
     " (VP (VBP express) (NP (NN IL-8))) (PERIOD .))",
     ["acl(cells, treated)", "prep(treated, with)", "pobj(with, TNF)", "nsubj(express, cells)"]),
    ("VP coordination with a right-node-raised shared object",
     "(S (NP[role=SBJ] (NN Akt)) (VP (VP[syn=COOD] (VP (VBZ phosphorylates) (NP[null=RNR,ref=i1])) (CC and)"
     " (VP (VBZ activates) (NP[null=RNR,ref=i1]))) (NP[id=i1] (NN AMPK))) (PERIOD .))",
     ["ROOT(phosphorylates)", "nsubj(phosphorylates, Akt)", "dobj(phosphorylates, AMPK)",
      "conj(phosphorylates, activates)", "cc(phosphorylates, and)"]),
    ("NP coordination, first conjunct heads, preconj",
     "(NP[syn=COOD] (CC both) (NP (NN Akt)) (COMMA ,) (NP (NN PDK1)) (COMMA ,) (CC and) (NP (NN mTOR)))",
     ["ROOT(Akt)", "preconj(Akt, both)", "conj(Akt, PDK1)", "conj(Akt, mTOR)", "cc(Akt, and)", "punct(Akt, ,)"]),
    ("right-node-raised shared head noun",
     "(NP[syn=COOD] (NP (NN Spi-1) (NP[null=RNR,ref=i5])) (CC and) (NP (NN Fli-1) (NP[null=RNR,ref=i5]))"
     " (NP[id=i5] (NN transcription) (NNS factors)))",
     ["ROOT(factors)", "compound(factors, Spi-1)", "compound(factors, transcription)", "conj(factors, Fli-1)",
      "cc(factors, and)"]),
    ("apposition with commas",
     "(S (NP[role=SBJ] (NP (DT the) (NN kinase)) (COMMA ,) (NP (NN Akt)) (COMMA ,)) (VP (VBZ binds) (NP (NN PDK1))))",
     ["appos(kinase, Akt)", "nsubj(binds, kinase)"]),
    ("apposition in parentheses (PRN)",
     "(NP (NP (JJ glucocorticoid) (NNS receptors)) (PRN (LRB -LRB-) (NP (NNS GRs)) (RRB -RRB-)))",
     ["ROOT(receptors)", "appos(receptors, GRs)", "punct(GRs, -LRB-)", "punct(GRs, -RRB-)",
      "amod(receptors, glucocorticoid)"]),
    ("parenthetical clause (PRN around S)",
     "(S (NP[role=SBJ] (NN Akt)) (PRN (LRB -LRB-) (S (NP[role=SBJ] (PRP we)) (VP (VBD found))) (RRB -RRB-))"
     " (VP (VBZ binds) (NP (NN PDK1))) (PERIOD .))",
     ["parataxis(binds, found)", "nsubj(found, we)", "punct(found, -LRB-)", "nsubj(binds, Akt)"]),
    ("means clause: by + gerund",
     "(S (NP[role=SBJ,id=i1] (NN Akt)) (VP (VBZ inhibits) (NP (NN ASK1)) (PP (IN by)"
     " (S (NP[role=SBJ,null=NONE,ref=i1]) (VP (VBG phosphorylating) (NP (NN Ser83)))))) (PERIOD .))",
     ["prep(inhibits, by)", "pcomp(by, phosphorylating)", "dobj(phosphorylating, Ser83)", "dobj(inhibits, ASK1)"]),
    ("subject control verb",
     "(S (NP[role=SBJ,id=i1] (NN Akt)) (VP (VBZ fails) (S (NP[role=SBJ,null=NONE,ref=i1])"
     " (VP (TO to) (VP (VB activate) (NP (NN ASK1)))))) (PERIOD .))",
     ["xcomp(fails, activate)", "aux(activate, to)", "dobj(activate, ASK1)", "nsubj(fails, Akt)"]),
    ("object control verb (PTB style: object outside the clause)",
     "(S (NP[role=SBJ] (NN TNF)) (VP (VBZ induces) (NP[id=i1] (NNS cells)) (S (NP[role=SBJ,null=NONE,ref=i1])"
     " (VP (TO to) (VP (VB express) (NP (NN IL-8)))))) (PERIOD .))",
     ["dobj(induces, cells)", "xcomp(induces, express)", "dobj(express, IL-8)"]),
    ("causative verb, GENIA style: the causee is the clause's subject",
     "(S (NP[role=SBJ] (NN TNF)) (VP (VBZ allows) (S (NP[role=SBJ] (NNS cells))"
     " (VP (TO to) (VP (VB express) (NP (NN IL-8)))))) (PERIOD .))",
     ["ccomp(allows, express)", "nsubj(express, cells)", "aux(express, to)", "nsubj(allows, TNF)"]),
    ("purpose clause marked adverbial, main clause nested",
     "(S (S[func=ADV] (NP[role=SBJ,null=NONE,ref=i1]) (VP (TO To) (VP (VB test) (NP (DT this)))))"
     " (COMMA ,) (S (NP[role=SBJ,id=i1] (PRP we)) (VP (VBD used) (NP (NN siRNA)))) (PERIOD .))",
     ["ROOT(used)", "advcl(used, test)", "nsubj(used, we)", "punct(used, ,)"]),
    ("copula stays head; negation; that-complement",
     "(S (NP[role=SBJ] (PRP We)) (VP (VBD showed) (SBAR (IN that) (S (NP[role=SBJ] (NN Akt))"
     " (VP (VBZ is) (RB not) (NP[role=PRD] (DT a) (NN substrate)))))) (PERIOD .))",
     ["ccomp(showed, is)", "mark(is, that)", "nsubj(is, Akt)", "neg(is, not)", "attr(is, substrate)"]),
    ("possessive and compound modifiers",
     "(NP (NP (NN Akt) (POS 's)) (JJ catalytic) (NN kinase) (NN domain))",
     ["ROOT(domain)", "poss(domain, Akt)", "case(Akt, 's)", "amod(domain, catalytic)", "compound(domain, kinase)"]),
    ("flat multiword preposition is nested",
     "(S (NP[role=SBJ] (NN IL-8)) (VP (VBD increased) (PP (IN in) (DT the) (NN presence) (IN of) (NP (NN TNF)))))",
     ["prep(increased, in)", "pobj(in, presence)", "prep(presence, of)", "pobj(of, TNF)", "det(presence, the)"]),
    ("punctuation attaches to the clause head",
     "(S (ADVP (RB However)) (COMMA ,) (NP[role=SBJ] (NN Akt)) (VP (VBD bound)) (PERIOD .))",
     ["advmod(bound, However)", "punct(bound, ,)", "punct(bound, .)"]),
]


@pytest.mark.parametrize("name,tree,expected", CASES, ids=[c[0] for c in CASES])
def test_conversion(name: str, tree: str, expected: list[str]) -> None:
    got = arcs(tree)
    missing = [a for a in expected if a not in got]
    assert not missing, f"{name}: missing {missing}; got {sorted(got)}"


def test_one_root_and_spacing() -> None:
    sent = from_string(to_xml(CASES[0][1]))
    assert sent.deps.count("ROOT") == 1
    assert sent.text == "ASK1 is phosphorylated by Akt."


CASE = {c[0]: c[1] for c in CASES}
UNDERSTOOD = [
    ("means clause: subject of the governing verb", CASE["means clause: by + gerund"], "phosphorylating", "Akt"),
    ("subject control", CASE["subject control verb"], "activate", "Akt"),
    ("object control after a causative", CASE["object control verb (PTB style: object outside the clause)"],
     "express", "cells"),
    ("adverbial purpose clause", CASE["purpose clause marked adverbial, main clause nested"], "test", "we"),
    ("purpose xcomp next to an object",
     "(S (NP[role=SBJ,id=i1] (PRP We)) (VP (VBD used) (NP (NN CoCl2)) (S (NP[role=SBJ,null=NONE,ref=i1])"
     " (VP (TO to) (VP (VB study) (NP (NN signaling)))))) (PERIOD .))", "study", "We"),
]


@pytest.mark.parametrize("name,tree,verb,subject", UNDERSTOOD)
def test_understood_subject_trace_and_runtime_rule(name: str, tree: str, verb: str, subject: str) -> None:
    """The converter records the trace; the runtime rule finds the same word on the converted tree."""
    sent = from_string(to_xml(tree))
    v, s = sent.words.index(verb), sent.words.index(subject)
    assert sent.understood == {v: s}  # from the NONE trace
    doc = understood_subjects.gold_doc(VOCAB, sent)
    assert understood_subjects.judge(doc, v, s) == "agree"  # from the tree alone


def test_agreement_counts_per_label() -> None:
    sents = [from_string(to_xml(c[1])) for c in UNDERSTOOD]
    sents.append(from_string(to_xml(  # a trace the rule cannot follow: "used X to drive" (X drives)
        "(S (NP[role=SBJ] (PRP We)) (VP (VBD used) (NP[id=i1] (NN CoCl2)) (S (NP[role=SBJ,null=NONE,ref=i1])"
        " (VP (TO to) (VP (VB drive) (NP (NN expression)))))) (PERIOD .))")))
    report = understood_subjects.agreement(sents, VOCAB)
    assert report["controlled_verbs"] == 6 and report["agree"] == 5
    assert sum(v["n"] for v in report["per_label"].values()) == 6
    assert report["disagreements"] == {"xcomp: trace says dobj, rule says nsubj": 1}


def _doc(words: str, heads: list[int], deps: list[str], tags: list[str] | None = None):
    from spacy.tokens import Doc

    return Doc(VOCAB, words=words.split(), heads=heads, deps=deps, tags=tags)


@pytest.mark.parametrize("words,heads,deps,tags,verb,expected", [
    ("a kinase phosphorylating ASK1", [1, 1, 1, 2], ["det", "ROOT", "acl", "dobj"], ["DT", "NN", "VBG", "NN"],
     2, "kinase"),
    ("ASK1 phosphorylated by Akt", [0, 0, 1, 2], ["ROOT", "acl", "agent", "pobj"], ["NN", "VBN", "IN", "NN"],
     1, None),  # a passive participle's noun is its object, not its subject
    ("proteins that fail to bind", [0, 2, 0, 4, 2], ["ROOT", "nsubj", "relcl", "aux", "xcomp"], None, 4,
     "proteins"),
    ("by phosphorylating", [0, 0], ["ROOT", "pcomp"], None, 1, None),  # a title: nobody to inherit from
    ("ASK1 is able to bind", [1, 1, 1, 4, 2], ["nsubj", "ROOT", "acomp", "aux", "xcomp"], None, 4, "ASK1"),
    ("ASK1 is activated , thereby phosphorylating JNK", [2, 2, 2, 2, 5, 2, 5],
     ["nsubjpass", "auxpass", "ROOT", "punct", "advmod", "advcl", "dobj"], None, 5, "ASK1"),
    ("a protein known to bind DNA", [1, 1, 1, 4, 2, 4], ["det", "ROOT", "acl", "aux", "xcomp", "dobj"],
     ["DT", "NN", "VBN", "TO", "VB", "NN"], 4, "protein"),
    ("a domain capable of binding DNA", [1, 1, 1, 2, 3, 4], ["det", "ROOT", "amod", "prep", "pcomp", "dobj"],
     None, 4, "domain"),
    ("Pdcd4 prevented eIF4A from binding eIF4G", [1, 1, 1, 1, 3, 4], ["nsubj", "ROOT", "dobj", "prep", "pcomp", "dobj"],
     None, 4, "eIF4A"),  # "prevent X from V-ing": X does V
    ("TNF enhances the binding of TRAF2", [1, 1, 3, 1, 3, 4], ["nsubj", "ROOT", "det", "dobj", "prep", "pobj"],
     ["NN", "VBZ", "DT", "NN", "IN", "NN"], 3, None),  # a nominal inherits no subject
    ("Akt treated cells to phosphorylate ASK1", [1, 1, 1, 4, 1, 4],
     ["nsubj", "ROOT", "dobj", "aux", "xcomp", "dobj"], None, 4, "Akt"),  # no object control
])
def test_runtime_understood_subject(words, heads, deps, tags, verb, expected) -> None:
    found = subjects(_doc(words, heads, deps, tags)[verb])
    assert (found[0].text if found else None) == expected

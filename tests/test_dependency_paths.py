"""The dependency path language and the semantic roles, on hand-built parses (no model needed)."""
from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pipeline.relations.arguments import ROLES, agents, objects, passive_subjects, subjects
from pipeline.relations.paths import PathSyntaxError, compile_path

NLP = spacy.blank("en")


def parse(words: str, heads: list[int], deps: str, tags: str | None = None) -> Doc:
    """A Doc from space-separated words, head indices and labels (as a parser would leave them)."""
    w = words.split()
    return Doc(NLP.vocab, words=w, heads=heads, deps=deps.split(), tags=(tags or " ".join(["NN"] * len(w))).split())


# "MST1 is a kinase that phosphorylates and activates LATS1 and LATS2 ."
RELCL = parse("MST1 is a kinase that phosphorylates and activates LATS1 and LATS2 .",
              [1, 1, 3, 1, 5, 3, 5, 5, 5, 8, 8, 1],
              "nsubj ROOT det attr nsubj relcl cc conj dobj cc conj punct",
              "NN VBZ DT NN WDT VBZ CC VBZ NN CC NN .")
# "LKB1 restrains growth by phosphorylating AMPK ."
MEANS = parse("LKB1 restrains growth by phosphorylating AMPK .", [1, 1, 1, 1, 3, 4, 1],
              "nsubj ROOT dobj prep pcomp dobj punct", "NN VBZ NN IN VBG NN .")
# "Raf-1 is phosphorylated by PAK3 and by PKA ."
PASSIVE = parse("Raf-1 is phosphorylated by PAK3 and by PKA .", [2, 2, 2, 2, 3, 2, 2, 6, 2],
                "nsubjpass auxpass ROOT agent pobj cc conj pobj punct", "NN VBZ VBN IN NN CC IN NN .")
# "X induces Y to phosphorylate Z ." (the parser's PTB-like reading: dobj + xcomp)
CONTROL = parse("X induces Y to phosphorylate Z .", [1, 1, 1, 4, 1, 4, 1],
                "nsubj ROOT dobj aux xcomp dobj punct", "NN VBZ NN TO VB NN .")
# "X used Y to phosphorylate Z ." (a purpose clause beside an object)
PURPOSE = parse("X used Y to phosphorylate Z .", [1, 1, 1, 4, 1, 4, 1],
                "nsubj ROOT dobj aux advcl dobj punct", "NN VBD NN TO VB NN .")


@pytest.mark.parametrize("doc,trigger,role,expected", [
    (RELCL, 5, subjects, ["MST1"]),         # relative clause on a predicate noun: what the noun is said of
    (RELCL, 7, subjects, ["MST1"]),         # a coordinated verb shares the subject
    (RELCL, 5, objects, ["LATS1"]),         # the shared object sits on the verb whose conjunct is the trigger
    (RELCL, 7, objects, ["LATS1"]),
    (MEANS, 4, subjects, ["LKB1"]),         # a means clause inherits the clause subject
    (PASSIVE, 2, passive_subjects, ["Raf-1"]),
    (PASSIVE, 2, agents, ["PAK3", "PKA"]),  # coordinated by-phrases
    (CONTROL, 4, subjects, ["Y"]),          # object control after a causative: the object of "induces" acts
    (PURPOSE, 4, subjects, ["X"]),          # not after other verbs: a purpose clause keeps the subject
])
def test_roles(doc, trigger, role, expected):
    assert [t.text for t in role(doc[trigger])] == expected


@pytest.mark.parametrize("path,start,expected", [
    (">dobj", 1, ["growth"]),
    (">prep[word=by] >pcomp", 1, ["phosphorylating"]),
    (">prep[word=with] >pcomp", 1, []),
    (">prep >pcomp >dobj", 1, ["AMPK"]),
    ("<dobj", 5, ["phosphorylating"]),
    ("<dobj <pcomp <prep", 5, ["restrains"]),
    ("(<*)+", 5, ["restrains", "by", "phosphorylating"]),
    (">* [word=growth|AMPK]", 1, ["growth"]),
    (">dobj | >nsubj", 1, ["LKB1", "growth"]),
    ("@subj", 4, ["LKB1"]),
    (">prep? >pcomp", 1, ["phosphorylating"]),
])
def test_paths(path, start, expected):
    found = compile_path(path, ROLES)(MEANS[start])
    assert sorted(t.text for t in found) == sorted(expected)


@pytest.mark.parametrize("bad", ["(>dobj", ">dobj)", "? >dobj", "@nobody", ">prep[size=3]", "> dobj", ">dobj |"])
def test_bad_paths_are_errors(bad):
    with pytest.raises(PathSyntaxError):
        compile_path(bad, ROLES)


@pytest.mark.parametrize("path,start,expected", [
    (">nsubj || >dobj", 1, ["LKB1"]),          # the first choice that reaches something wins
    (">agent || >dobj", 1, ["growth"]),        # else the next
    (">agent || >iobj", 1, []),
])
def test_ordered_choice(path, start, expected):
    assert [t.text for t in compile_path(path, ROLES)(MEANS[start])] == expected


def test_a_relative_clause_on_a_predicate_noun_is_about_the_subject():
    assert [t.text for t in subjects(RELCL[5])] == ["MST1"]


@pytest.mark.parametrize("word,norm", [
    ("dephosphorylates", "phosphorylates"),
    ("transactivates", "activates"),
    ("autophosphorylation", "phosphorylation"),
    ("inactivated", "activated"),
    ("decreases", "decreases"),  # "creases" is no trigger: left alone
    ("transforming", "transforming"),  # looks derived from "forming", is not
    ("information", "information"),
    ("cofactor", "cofactor"),
    ("induces", "induces"),
])
def test_derived_trigger_verbs_are_read_as_their_base(word, norm):
    import spacy

    from pipeline.nlp.components import SyntaxComponent, normalise_derived_verbs
    from pipeline.resources import patterns_dir

    forms = SyntaxComponent(str(patterns_dir())).trigger_forms
    doc = spacy.blank("en")(f"PP5 {word} ASK1.")
    normalise_derived_verbs(doc, forms)
    assert doc[1].norm_ == norm and doc[1].text == word


def test_a_sentence_doc_is_one_sentence_with_its_words_and_norms():
    """The parser gets each candidate sentence as its own Doc: the same words and spaces, the
    tokenizer's NORMs, and preset boundaries (so it cannot split the sentence in two)."""
    from spacy.attrs import NORM

    from pipeline.nlp.components import sentence_doc

    doc = spacy.blank("en")("First one here. ASK1 binds TRAF2 . Then Akt acts.")
    doc[5].norm_ = "drug"  # a NORM set on the document survives
    sentence = doc[4:9]
    sent_doc = sentence_doc(sentence, doc.to_array([NORM]))
    assert [t.text for t in sent_doc] == [t.text for t in sentence]
    assert sent_doc.text == sentence.text + " "
    assert [t.is_sent_start for t in sent_doc] == [True] + [False] * 4
    assert sent_doc[1].norm_ == "drug" and sent_doc[0].norm_ == "ask1"


def test_entities_map_onto_the_tokens_they_cover():
    """Multi-token and overlapping names each know their tokens; the head is the token whose
    head lies outside the name."""
    from pipeline.model import Entity
    from pipeline.relations.dependency import SentenceParse

    doc = parse("the protein kinase C delta binds RACK1 .", [4, 4, 4, 4, 5, 5, 5, 5],
                "det compound compound compound nsubj ROOT dobj punct")
    text = doc.text
    offset = 100
    def ent(words: str, type_: str = "GENE") -> Entity:
        start = text.index(words)
        return Entity(text=words, type=type_, start=offset + start, end=offset + start + len(words))
    pkc, delta, rack1 = ent("protein kinase C delta"), ent("C delta"), ent("RACK1")
    parsed = SentenceParse(doc, offset, [pkc, delta, rack1])
    assert parsed.tokens_of[(pkc.start, pkc.end)] == [1, 2, 3, 4]
    assert parsed.tokens_of[(delta.start, delta.end)] == [3, 4]
    assert parsed.head_of[(pkc.start, pkc.end)] == 4 and parsed.head_of[(rack1.start, rack1.end)] == 6
    assert parsed.by_token[4] == [pkc, delta] and 0 not in parsed.by_token

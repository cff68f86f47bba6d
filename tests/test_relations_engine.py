"""Engine behaviour shared by all rules: coordination, parallel compounds, pronouns, argument types."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.model import Document


def _pairs(processor, text):
    return {(r.relation, r.subject.text if r.subject else None, r.object.text)
            for r in processor.process(Document("x", text)).relations}


def test_parallel_cascades_keep_their_own_targets(processor):
    pairs = _pairs(processor, "ASK1 activates the MKK3/MKK6-p38 and MKK4/MKK7-JNK pathways.")
    assert ("activation", "MKK4", "JNK") in pairs and ("activation", "ASK1", "MKK7") in pairs
    assert ("activation", "MKK4", "p38") not in pairs and ("activation", "MKK7", "p38") not in pairs


@pytest.mark.parametrize("text,expected", [
    ("ASK1 activates JNK, p38 and ERK2.", {"JNK", "p38", "ERK2"}),
    ("ASK1 activates MKK3/MKK6.", {"MKK3", "MKK6"}),
])
def test_coordinated_objects(processor, text, expected):
    objects = {o for rel, s, o in _pairs(processor, text) if rel == "activation" and s == "ASK1"}
    assert objects == expected


def test_same_protein_on_both_sides_is_dropped(processor):
    assert not [p for p in _pairs(processor, "ASK1 activates ASK1.") if p[1] == p[2]]


def test_argument_types_refine_the_relation(processor):
    pairs = _pairs(processor, "H2O2 activates ASK1. Selonsertib inhibits ASK1.")
    assert ("stress_activates_target", "H2O2", "ASK1") in pairs
    assert ("drug_inhibits_target", "Selonsertib", "ASK1") in pairs


def _encoded(*items: str) -> str:
    """A sentence as the extractor encodes it: capitalised items are entities of that kind, others words."""
    from pipeline.relations.elements import WORD_KIND, Element, encode

    elements = [Element(item if item.isupper() else WORD_KIND, item.lower() if item.isupper() else item, i, i + 1)
                for i, item in enumerate(items)]
    return encode(elements)


def test_pattern_language_anchors_and_lookahead():
    from pipeline.resources import patterns_dir; PATTERNS_DIR = patterns_dir()
    from pipeline.relations.grammar import Grammar
    from pipeline.relations.elements import element_at
    from pipeline.relations.language import Context, compile_pattern

    grammar = Grammar.load(PATTERNS_DIR / "grammar.yml")
    ctx = Context("test.yml", "test", grammar, grammar.scope(PATTERNS_DIR / "test.yml"))
    regex, roles, _ = compile_pattern("{object:GENE} {trigger:phosphorylation} >!of|by", ctx)
    assert roles == {"object", "trigger"}
    assert regex.search(_encoded("PROTEIN", "phosphorylation", "."))
    assert not regex.search(_encoded("PROTEIN", "phosphorylation", "of", "PROTEIN"))
    end, _, _ = compile_pattern("{object:GENE} {trigger:phosphorylation} $", ctx)
    assert end.search(_encoded("PROTEIN", "phosphorylation"))
    assert not end.search(_encoded("PROTEIN", "phosphorylation", "."))
    start, _, _ = compile_pattern("^ {object:GENE} {trigger:phosphorylation}", ctx)
    assert start.search(_encoded("PROTEIN", "phosphorylation"))
    assert not start.search(_encoded("the", "PROTEIN", "phosphorylation"))
    inner, _, _ = compile_pattern("{object:GENE} {trigger:phosphorylation}", ctx)
    encoded = _encoded("the", "PROTEIN", "phosphorylation")
    match = inner.search(encoded)
    assert element_at(encoded, match.start("object")) == 1 and element_at(encoded, match.start("trigger")) == 2
    assert element_at(encoded, match.end() - 1) == 2  # the closing space belongs to the last element
    assert not inner.search(encoded.replace(" PROTEIN|", "xPROTEIN|"))  # a match never starts inside a code


def test_rules_can_switch_off_coordination(tmp_path):
    from pipeline.resources import patterns_dir; PATTERNS_DIR = patterns_dir()
    from pipeline.relations.grammar import Grammar
    from pipeline.relations.loader import load_rule_file
    from pipeline.relations.types import registry

    rule_file = tmp_path / "activation.yml"
    rule_file.write_text(
        "relation: activation\ndescription: test\nrules:\n  - id: t.no_widen\n    description: test\n"
        "    pattern: \"{subject:GENE} activates {object:GENE}\"\n    coordinate: [subject]\n"
        "    examples:\n      - text: x\n        expect: [{subject: A, object: B}]\n")
    rule = load_rule_file(rule_file, Grammar.load(PATTERNS_DIR / "grammar.yml"), registry())[0]
    assert rule.coordinate == ("subject",)
    rule_file.write_text(rule_file.read_text().replace("[subject]", "[verb]"))
    with pytest.raises(Exception, match="t.no_widen"):
        load_rule_file(rule_file, Grammar.load(PATTERNS_DIR / "grammar.yml"), registry())


def test_less_specific_copies_are_dropped(processor):
    relations = processor.process(Document("x", "Akt phosphorylates ASK1 at Ser83.")).relations
    phos = [(r.subject and r.subject.text, r.site and r.site.text) for r in relations if r.relation == "phosphorylation"]
    assert phos == [("Akt", "Ser83")]


def test_a_list_of_hundreds_of_names_stays_bounded(processor):
    """Issue 10: one sentence coordinating hundreds of proteins must not explode into tens of thousands of
    triples; what is cut is reported as a W101 warning."""
    names = ", ".join(f"MAPK{i % 15 + 1}" for i in range(300))
    text = f"{names} and ASK1 activate {names} and JNK1."
    processed = processor.process(Document("big", text))
    assert len(processed.relations) <= 256
    assert any(code == "W101" for code, _fields in processed.warnings)


def test_many_coordinated_arguments_are_capped(processor):
    names = " , ".join(f"MAPK{i}" for i in range(1, 16)) + " , ASK1 , JNK1 , JNK2 , p38 , ERK1 , ERK2"
    text = f"{names} , AKT1 , AKT2 , AKT3 , PDK1 , MEK1 , MEK2 , RAF1 , BRAF , SRC , LCK , FYN , YES1 activate TRAF2."
    processed = processor.process(Document("list", text))
    assert len([r for r in processed.relations if r.object.text == "TRAF2"]) <= 32


def test_rule_regexes_are_checked_once_per_source_and_compiled_on_first_use(tmp_path, monkeypatch):
    """Start-up compiles the surface patterns only when their sources are new (then remembers them);
    a pattern that does not compile is still an error at load, naming file and rule."""
    import pytest

    from pipeline.errors import PatternError
    from pipeline.relations.grammar import Grammar
    from pipeline.relations.loader import Rule, check_compiles
    from pipeline.resources import patterns_dir

    grammar = Grammar.load(patterns_dir() / "grammar.yml")
    monkeypatch.setenv("BIOMINE_CACHE", str(tmp_path / "cache"))

    def rules(source: str) -> list[Rule]:
        return [Rule("demo.one", "binding", "", "", source, {"object"}, source="demo.yml")]

    first = rules(r" (?P<object>PROTEIN\|\S+ )")
    check_compiles(first, grammar)
    assert "regex" in first[0].__dict__  # new sources: compiled (and checked) at load
    assert len(list((tmp_path / "cache" / "rules").glob("*.ok"))) == 1
    again = rules(r" (?P<object>PROTEIN\|\S+ )")
    check_compiles(again, grammar)
    assert "regex" not in again[0].__dict__  # known sources: left for first use
    assert again[0].regex.search(_encoded("PROTEIN"))

    with pytest.raises(PatternError) as err:
        check_compiles(rules(r"(?P<object>a)(?P<object>b)"), grammar)
    assert err.value.code == "E303" and "demo.one" in str(err.value) and "demo.yml" in str(err.value)


@pytest.mark.parametrize("text,absent,present", [
    # the surface rule would pair "binds" with JNK, which the parse puts inside the relative clause
    ("MEKK1, which activates JNK, binds TRAF2.", ("binding", "JNK", "TRAF2"), ("binding", "MEKK1", "TRAF2")),
    ("ASK1, which binds TRAF2, is activated by TNF.", ("activation", "TNF", "TRAF2"), ("activation", "TNF", "ASK1")),
])
def test_a_surface_triple_never_reaches_into_a_relative_clause(processor, text, absent, present):
    if processor.nlp.get_pipe("biomine_syntax_v1").trained is None:
        pytest.skip("needs the shipped parser")
    pairs = _pairs(processor, text)
    assert absent not in pairs and present in pairs


@pytest.mark.parametrize("text,relation,subject,expected", [
    # the surface rules and the syntactic rules both reach the examples a class-named object lists
    ("Cyclin D interacts with histone acetyltransferases such as PCAF or CBP.", "binding", "Cyclin D", {"PCAF", "CBP"}),
    ("Akt phosphorylates several kinases, e.g., ASK1 and MKK4.", "phosphorylation", "Akt", {"ASK1", "MKK4"}),
    ("TRAF2 binds many adaptors, including TRADD and RIP1, in cells.", "binding", "TRAF2", {"TRADD", "RIP1"}),
])
def test_objects_reach_the_examples_their_noun_lists(processor, text, relation, subject, expected):
    objects = {o for rel, s, o in _pairs(processor, text) if rel == relation and s == subject}
    assert expected <= objects


def test_examples_widen_objects_not_subjects(processor):
    """A subject's examples are not its stand-ins: in "Proinflammatory cytokines, such as TNF, activate
    NF-kappaB by stimulating the IkappaB kinases" the cytokines stimulate IKK, not TNF as such."""
    pairs = _pairs(processor, "Proinflammatory cytokines, such as tumor necrosis factor (TNF), activate NF-kappaB "
                              "by stimulating the activity of the IkappaB kinases (IKKs).")
    assert not [p for p in pairs if p[1] in ("tumor necrosis factor", "TNF") and p[2].startswith("IkappaB")]


def test_examples_are_only_read_right_after_the_object(processor):
    objects = {o for rel, s, o in _pairs(processor, "ASK1 activates JNK in cells such as HeLa.") if s == "ASK1"}
    assert objects == {"JNK"}


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(st.sampled_from("ab.-|*"), max_size=4), min_size=1, max_size=8, unique=True),
       probe=st.text(st.sampled_from("ab.-|*"), max_size=5))
def test_a_word_list_becomes_a_trie_that_matches_exactly_its_words(words, probe):
    """The trie accepts a word if and only if the plain alternation would (pipeline/relations/language.py)."""
    import re

    from pipeline.relations.language import _trie_regex

    literal = [w for w in words if "*" not in w]
    if not literal:
        return
    trie = re.compile(f"(?:{_trie_regex(sorted(set(literal)))})$")
    plain = re.compile("(?:" + "|".join(map(re.escape, literal)) + ")$")
    assert bool(trie.match(probe)) == bool(plain.match(probe))
    assert all(trie.match(w) for w in literal)

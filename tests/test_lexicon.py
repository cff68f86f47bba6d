"""patterns/lexicon.yml and patterns/entities/lexicon.yml: shared word lists, validated on load."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import PatternError
from pipeline.relations.lexicon import FILE_NAME, lexicon, read_lexicon
from pipeline.resources import load_yaml, patterns_dir

SHIPPED = patterns_dir() / FILE_NAME


def _write(tmp_path: Path, **changes) -> Path:
    data = load_yaml(SHIPPED)
    data.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del data[key]
    import yaml

    path = tmp_path / FILE_NAME
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_shipped_lexicon_loads_with_every_list_filled():
    lex = lexicon()
    for name in lex.__dataclass_fields__:
        assert getattr(lex, name), name
    assert "protein" in lex.gene_heads and "-induced" in lex.causal_suffixes and "but" not in lex.coordinators


@pytest.mark.parametrize("changes,message", [
    ({"gene_head": ["protein"]}, r"E302.*lexicon.yml: gene_head: unknown key"),
    ({"copulas": None}, r"E302.*lexicon.yml: copulas: required key is missing"),
    ({"pronouns": ["It"]}, r"E302.*lexicon.yml: pronouns: .*lowercase"),
    ({"coordinators": ["and", ""]}, r"E302.*lexicon.yml: coordinators: .*lowercase"),
])
def test_a_broken_lexicon_is_an_error_naming_file_and_key(tmp_path, changes, message):
    with pytest.raises(PatternError, match=message):
        read_lexicon(_write(tmp_path, **changes))


def _phosphorylations(processor, text: str) -> set[tuple[str | None, str]]:
    from pipeline.model import Document

    result = processor.process(Document("lexicon", text))
    return {(r.subject.text if r.subject else None, r.object.text) for r in result.relations
            if r.relation == "phosphorylation"}


def test_the_rules_read_the_lexicon(processor, monkeypatch):
    """object_control: "TNF induces ASK1 to phosphorylate MKK4" makes ASK1, not TNF, the kinase.
    Emptied, the understood subject of "phosphorylate" falls back to the clause subject."""
    import dataclasses

    import pipeline.relations.arguments as arguments

    text = "TNF induces ASK1 to phosphorylate MKK4."
    found = _phosphorylations(processor, text)
    assert ("ASK1", "MKK4") in found and ("TNF", "MKK4") not in found
    shipped = lexicon()
    monkeypatch.setattr(arguments, "lexicon", lambda: dataclasses.replace(shipped, object_control=frozenset()))
    assert ("TNF", "MKK4") in _phosphorylations(processor, text)


def test_the_shipped_entity_lexicon_loads():
    from pipeline.entities.lexicon import entity_lexicon

    lex = entity_lexicon()
    assert "kinase" in lex.generic_words and "kinase" in lex.grounding_heads
    assert lex.product_head.search("glucocorticoid receptor") and not lex.product_head.search("receptor binding")
    assert lex.organism.search("hepatitis B virus") and lex.kinase_context.search("it phosphorylates X")
    assert lex.species.search("in budding yeast cells") and not lex.species.search("in human cells")


@pytest.mark.parametrize("changes,message", [
    ({"generic_word": ["the"]}, r"E302.*entities/lexicon.yml: generic_word: unknown key"),
    ({"species_patterns": ["bacteri(\\w*"]}, r"E302.*entities/lexicon.yml: species_patterns: .*not a regular expression"),
    ({"organism_words": ["Virus"]}, r"E302.*entities/lexicon.yml: organism_words: .*lowercase"),
])
def test_a_broken_entity_lexicon_is_an_error_naming_file_and_key(tmp_path, changes, message):
    import yaml

    from pipeline.entities.lexicon import FILE_NAME as ENTITY_FILE, read_entity_lexicon

    data = load_yaml(patterns_dir() / ENTITY_FILE)
    data.update(changes)
    path = tmp_path / "entities" / "lexicon.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PatternError, match=message):
        read_entity_lexicon(path)


def test_grounding_reads_the_entity_lexicon(monkeypatch):
    """grounding_heads: "the Hog1 protein kinase" is looked up as "Hog1" too; emptied, it is not."""
    import dataclasses

    import pipeline.entities.grounding as grounding
    from pipeline.entities.lexicon import entity_lexicon

    assert "hog1" in grounding.lookup_keys("Hog1 protein kinase")
    shipped = entity_lexicon()
    monkeypatch.setattr(grounding, "entity_lexicon", lambda: dataclasses.replace(shipped, grounding_heads=frozenset()))
    assert "hog1" not in grounding.lookup_keys("Hog1 protein kinase")

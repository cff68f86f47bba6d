"""patterns/lexicon.yml: the shared word lists of the relation rules, validated on load."""
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

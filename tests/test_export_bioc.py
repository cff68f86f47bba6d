"""BioC XML/JSON export, read back with the bioc package."""
from __future__ import annotations

from pathlib import Path

import pytest
from bioc import biocjson, biocxml

from pipeline.writers.bioc import write_bioc
from pipeline.writers.keys import triple_key
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture(scope="module")
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture(scope="module")
def paths(docs, tmp_path_factory):
    return write_bioc(docs, tmp_path_factory.mktemp("bioc"))


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_round_trip(docs, paths, fmt):
    path = next(p for p in paths if p.suffix == f".{fmt}")
    reader = biocxml if fmt == "xml" else biocjson
    coll = reader.loads(path.read_text(encoding="utf-8"))
    assert coll.source == "biomine"
    assert [d.id for d in coll.documents] == [pd.document.doc_id for pd in docs]
    for bdoc, pd in zip(coll.documents, docs):
        assert bdoc.infons.get("pmid") == pd.document.pmid
        (passage,) = bdoc.passages
        assert passage.offset == 0 and passage.text == pd.document.text
        anns = {a.id: a for a in passage.annotations}
        ents = set()
        for a in anns.values():
            (loc,) = a.locations
            assert passage.text[loc.offset:loc.offset + loc.length] == a.text
            if a.infons["type"] != "TRIGGER":
                ents.add((loc.offset, loc.end, a.infons["type"], a.infons.get("identifier")))
        args = [x for r in pd.relations for x in (r.subject, r.object, r.site) if x is not None]
        assert ents == {(e.start, e.end, e.type, e.id) for e in [*pd.entities, *args]}

        def span(refid):
            loc = anns[refid].locations[0]
            return loc.offset, loc.end

        got = set()
        for r in passage.relations:
            roles = {n.role: span(n.refid) for n in r.nodes}
            got.add((r.infons["relation"], roles.get("subject"), roles["object"], roles.get("site"),
                     roles.get("trigger"), r.infons["negated"] == "true", r.infons["hedged"] == "true",
                     r.infons["rule"], r.infons["triple_key"]))
        want = {(r.relation, (r.subject.start, r.subject.end) if r.subject else None, (r.object.start, r.object.end),
                 (r.site.start, r.site.end) if r.site else None, r.trigger, r.negated, r.hedged, r.rule,
                 triple_key(r)) for r in pd.relations}
        assert got == want


def test_entity_infons(paths):
    coll = biocxml.loads(paths[0].read_text(encoding="utf-8"))
    anns = coll.documents[0].passages[0].annotations
    ask1 = next(a for a in anns if a.text == "ASK1")
    assert ask1.infons["identifier"] == "HGNC:6857" and ask1.infons["name"] == "MAP3K5"
    assert ask1.infons["xref:UP"] == "Q99683"
    site = next(a for a in anns if a.infons["type"] == "SITE")
    assert (site.infons["residue"], site.infons["position"]) == ("S", "83")

"""brat export: files, configs, and a parse-back round trip of entities and relations."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.writers.brat import REL_SUFFIX, event_types, parse_ann, write_brat
from pipeline.writers.load import load_output_dir
from pipeline.model import ENTITY_TYPES, Relation

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture(scope="module")
def docs():
    return load_output_dir(FIXTURE)


@pytest.fixture(scope="module")
def out(docs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("brat")
    write_brat(docs, folder)
    return folder / "brat"


def test_files(docs, out):
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{pd.document.doc_id}{ext}" for pd in docs for ext in (".txt", ".ann")]
                           + ["annotation.conf", "visual.conf"])
    for pd in docs:
        assert (out / f"{pd.document.doc_id}.txt").read_text(encoding="utf-8") == pd.document.text


def test_conf_declares_everything_used(out):
    conf = (out / "annotation.conf").read_text()
    sections = re.findall(r"^\[(\w+)\]", conf, re.M)
    assert sections == ["entities", "relations", "events", "attributes"]
    declared = {line.split()[0] for line in conf.splitlines() if line and not line.startswith(("[", "<"))}
    for path in out.glob("*.ann"):
        for rec in parse_ann(path.read_text()).values():
            if rec["kind"] in ("T", "E", "R"):
                assert rec["type"] in declared, rec
            if rec["kind"] == "A":
                assert rec["name"] in declared
    visual = (out / "visual.conf").read_text()
    assert "[labels]" in visual and "[drawing]" in visual
    assert all(f"{t}\tbgColor:" in visual for t in ENTITY_TYPES)


def _span(text: str, rec: dict) -> tuple[int, int]:
    frags = rec["fragments"]
    shown = " ".join(text[s:e] for s, e in frags)
    assert shown == rec["text"]  # brat checks that the shown text matches the document
    return frags[0][0], frags[-1][1]


def _mentions(pd) -> set[tuple[int, int, str]]:
    """Entity rows plus relation arguments (a resolved pronoun may have no entity row)."""
    args = [x for r in pd.relations for x in (r.subject, r.object, r.site) if x is not None]
    return {(e.start, e.end, e.type) for e in [*pd.entities, *args]}


def _expected(rel: Relation) -> tuple:
    s = rel.subject
    return (rel.relation, (s.start, s.end) if s else None, (rel.object.start, rel.object.end),
            (rel.site.start, rel.site.end) if rel.site else None, rel.trigger, rel.negated, rel.hedged, rel.rule)


def test_round_trip(docs, out):
    type_of = {v: k for k, v in event_types().items()}
    for pd in docs:
        text = pd.document.text
        ann = parse_ann((out / f"{pd.document.doc_id}.ann").read_text(encoding="utf-8"))
        tb = {k: v for k, v in ann.items() if v["kind"] == "T"}
        ents = {(*_span(text, v), v["type"]) for v in tb.values() if v["type"] in ENTITY_TYPES}
        assert ents == _mentions(pd)
        notes = {v["target"]: v["text"] for v in ann.values() if v["kind"] == "#"}
        attrs = {(v["target"], v["name"]) for v in ann.values() if v["kind"] == "A"}
        got = []
        for ident, rec in ann.items():
            if rec["kind"] == "E":
                args = rec["args"]
                subj = args.get("Cause") or (args.get("Theme") if "Theme2" in args else None)
                obj = args.get("Theme2") or args["Theme"]
                site = args.get("Site")
                trig = _span(text, tb[rec["trigger"]])
                relation = type_of[rec["type"]]
            elif rec["kind"] == "R":
                relation = type_of[rec["type"][: -len(REL_SUFFIX)]]
                subj, obj, trig = rec["args"]["Arg1"], rec["args"]["Arg2"], None
                m = re.search(r"site=(T\d+)", notes[ident])
                site = m.group(1) if m else None
                if "no subject" in notes[ident]:
                    subj = None
            else:
                continue
            rule = re.match(r"rule=(\S+?)(;|$)", notes[ident]).group(1)
            span = lambda t: _span(text, tb[t]) if t else None  # noqa: E731
            got.append((relation, span(subj), span(obj), span(site), trig,
                        (ident, "Negated") in attrs, (ident, "Hedged") in attrs, rule))
        assert sorted(got, key=repr) == sorted(map(_expected, pd.relations), key=repr)


def test_event_and_relation_forms(docs, out):
    ann0 = (out / f"{docs[0].document.doc_id}.ann").read_text()
    # Akt phosphorylates ASK1 at S83: event with kinase as Cause and the site
    assert re.search(r"^E\d+\tPhosphorylation:T\d+ Theme:T\d+ Site:T\d+ Cause:T\d+$", ann0, re.M)
    # a mention across a line break becomes two fragments
    assert re.search(r"^T\d+\tFAMILY \d+ \d+;\d+ \d+\tc-Jun N-terminal kinase$", ann0, re.M)
    ann1 = (out / f"{docs[1].document.doc_id}.ann").read_text()
    # association has no trigger -> brat relation; negation and hedging are attributes
    assert re.search(r"^R1\tAssociationRel Arg1:T\d+ Arg2:T\d+$", ann1, re.M)
    assert re.search(r"^A\d+\tNegated E\d+$", ann1, re.M)
    assert re.search(r"^A\d+\tHedged E\d+$", ann1, re.M)


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.sampled_from("ab \n\t"), max_size=12), data=st.data())
def test_fragments_are_the_spans_lines_trimmed(text, data):
    """A mention over line breaks becomes one fragment per line, white space trimmed; else it stays whole."""
    import re

    from pipeline.writers.brat import _fragments

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        line = text[start + m.start():start + m.end()]
        s = start + m.start() + (len(line) - len(line.lstrip()))
        e = start + m.end() - (len(line) - len(line.rstrip()))
        if e > s:
            expected.append((s, e))
    assert _fragments(text, start, end) == (expected or [(start, end)])

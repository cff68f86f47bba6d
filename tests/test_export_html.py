"""HTML review page: structure, self-containment and escaping (no browser needed)."""
from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.writers.html import render_html, write_html
from pipeline.writers.load import load_output_dir

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture(scope="module")
def docs():
    return load_output_dir(FIXTURE)


class _Collect(HTMLParser):
    """Parses the page back: tag counts, attributes, and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    p.close()
    return p


def test_page_structure(docs, tmp_path):
    (path,) = write_html(docs, tmp_path)
    assert path.name == "review.html"
    page = path.read_text(encoding="utf-8")
    p = _parse(page)
    groups = [a for t, a in p.tags if t == "tbody" and a.get("class") == "group"]
    assert len(groups) == 12
    assert sum(1 for t, a in p.tags if t == "li" and "evidence" in a.get("class", "")) == 15
    rels = {a["data-relation"] for a in groups}
    assert rels == {"phosphorylation", "inhibition", "stress_activates_target", "binding", "activation",
                    "association", "drug_inhibits_target"}
    jnk = next(a for a in groups if a["data-relation"] == "activation" and a["data-object"] == "jnk")
    assert (jnk["data-evidence"], jnk["data-docs"]) == ("2", "2")
    assert "HGNC:6857" in jnk["data-keys"].split("\x1f")
    options = {a.get("value") for t, a in p.tags if t == "option"}
    assert {"activation", "FPLX:AKT", "HGNC:6857", "CHEMBL:CHEMBL3916717"} <= options
    text = "".join(p.text)
    assert "negated 1/1" in text and "hedged 1/1" in text and "phos_by_ing_site" in text
    # the pronoun argument without an entity row is still highlighted as an argument
    assert re.search(r'<mark class="ent arg"[^>]*title="PROTEIN HGNC:6857 MAP3K5">It</mark> has been found', page)
    links = [a["href"] for t, a in p.tags if t == "a"]
    assert "https://pubmed.ncbi.nlm.nih.gov/11154276/" in links
    for color in ("#7fa2ff", "#8fe38f"):  # legend colours for PROTEIN and DRUG
        assert color in page


def test_self_contained(docs):
    page = render_html(docs)
    p = _parse(page)
    for tag, attrs in p.tags:
        assert not (tag in ("script", "img", "iframe") and attrs.get("src")), (tag, attrs)
        assert not (tag == "link" and attrs.get("href")), attrs
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"https://pubmed.ncbi.nlm.nih.gov/11154276/"}
    assert "@import" not in page and "url(" not in page


def test_everything_is_escaped(docs):
    evil = copy.deepcopy(docs[1])
    rel = evil.relations[0]
    inj = '<script>alert("x")</script>'
    text = evil.document.text
    s = rel.sentence
    # put the payload inside the sentence, keeping offsets of everything before it
    new_text = text[: s.end] + " " + inj + text[s.end:]
    shift = len(inj) + 1
    evil.document.text = new_text
    for e in evil.entities:
        if e.start >= s.end:
            e.start, e.end = e.start + shift, e.end + shift
    for r in evil.relations:
        if r.sentence.start >= s.end:
            r.sentence = type(r.sentence)(r.sentence.index, r.sentence.start + shift, r.sentence.end + shift, r.sentence.text)
            if r.trigger:
                r.trigger = (r.trigger[0] + shift, r.trigger[1] + shift)
    rel.sentence = type(s)(s.index, s.start, s.end + shift, new_text[s.start:s.end + shift])
    rel.rule = '"><img src=x onerror=alert(1)>'
    rel.subject.name = "<b>It</b>"
    evil.document.doc_id = "doc&<id>"
    evil.document.metadata["pmid"] = '1"><script>'
    page = render_html([docs[0], evil])
    assert page.count("<script") == 1  # only our own script
    assert "<img" not in page and "<b>It</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;It&lt;/b&gt;" in page and "doc&amp;&lt;id&gt;" in page
    text = "".join(_parse(page).text)
    assert inj in text  # shown literally to the reader


def test_evidence_is_capped_per_triple(docs):
    page = render_html(docs, max_evidence=1)
    assert page.count('<li class="evidence') == 12
    assert page.count("1 more (all are in the SQLite and TSV exports)") == 3

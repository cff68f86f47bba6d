"""One self-contained HTML page for reviewing triples with their evidence in any browser.

Rendered on the server side (Python), so the page works as a static file, every
string passes through ``html.escape`` and the only script is the small inline
sorter/filter. No external resources are loaded; PubMed links are plain anchors.
"""
from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.writers.atomic import atomic_write_text
from pipeline.writers.keys import entity_key, entity_label, site_label
from pipeline.writers.style import DEFAULT_COLOR, TYPE_COLORS, relation_color
from pipeline.model import ENTITY_TYPES, Entity, ProcessedDocument, Relation

SEP = "\u001f"  # separates values inside data-* attributes

CSS = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; color: #1d1d1f; }
body { margin: 0; background: #f6f7f9; }
header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid #d8dbe0; padding: 10px 18px; }
h1 { font-size: 1.25rem; margin: 0 0 4px; }
.summary { margin: 0 0 8px; color: #555; }
.controls { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; }
.controls label { font-size: .9rem; color: #333; }
.controls input[type=search] { width: 16em; }
.controls select, .controls input { font: inherit; padding: 2px 4px; }
#shown-count { margin-left: auto; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; font-size: .82rem; }
.chip { border-radius: 3px; padding: 1px 6px; border: 1px solid rgba(0,0,0,.15); }
main { padding: 12px 18px 40px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th { text-align: left; background: #eef0f4; padding: 6px 8px; cursor: pointer; user-select: none; white-space: nowrap; font-size: .9rem; }
th[data-type=num] { text-align: right; }
th[aria-sort=ascending]::after { content: " \\25B2"; } th[aria-sort=descending]::after { content: " \\25BC"; }
tbody.group { border-top: 2px solid #d8dbe0; }
tr.triple td { padding: 6px 8px; vertical-align: top; }
tr.triple td.num { text-align: right; font-variant-numeric: tabular-nums; }
.id { color: #666; font-size: .8rem; display: block; }
.rel { font-weight: 600; white-space: nowrap; }
.badge { display: inline-block; border-radius: 9px; padding: 0 7px; font-size: .75rem; margin: 0 3px 2px 0; border: 1px solid transparent; white-space: nowrap; }
.badge-negated { background: #ffe0e0; color: #9b1c1c; border-color: #f3a6a6; }
.badge-hedged { background: #fff3cd; color: #7a5a00; border-color: #f0d27a; }
.badge-rule { background: #eef0f4; color: #333; font-family: ui-monospace, Menlo, monospace; }
.badge-doc { background: #e8f1ff; color: #174ea6; }
tr.evidence-row td { padding: 0 8px 8px 24px; }
details summary { cursor: pointer; color: #174ea6; font-size: .85rem; }
ol.evidence-list { margin: 4px 0 0; padding-left: 20px; }
li.evidence { margin: 6px 0; line-height: 1.55; }
li.evidence.negated .sentence { text-decoration: line-through; text-decoration-color: rgba(155,28,28,.5); }
.meta { font-size: .8rem; color: #555; }
mark.ent { border-radius: 3px; padding: 0 2px; color: inherit; }
mark.arg { outline: 2px solid #1d1d1f; outline-offset: 0; font-weight: 600; }
.trigger { font-weight: 700; text-decoration: underline; text-decoration-thickness: 2px; }
a { color: #174ea6; }
.empty { padding: 20px; color: #666; }
"""

JS = """
(function () {
  var SEP = "\\u001f";
  var table = document.getElementById("triples");
  var groups = Array.prototype.slice.call(table.tBodies);
  var rel = document.getElementById("f-relation"), txt = document.getElementById("f-text");
  var ent = document.getElementById("f-entity"), neg = document.getElementById("f-hide-negated");
  var count = document.getElementById("shown-count"), empty = document.getElementById("no-match");
  function apply() {
    var r = rel.value, t = txt.value.trim().toLowerCase(), e = ent.value, n = 0;
    groups.forEach(function (g) {
      var ok = (!r || g.dataset.relation === r)
        && (!t || g.dataset.search.indexOf(t) >= 0)
        && (!e || g.dataset.keys.split(SEP).indexOf(e) >= 0)
        && (!neg.checked || g.dataset.allNegated !== "1");
      g.hidden = !ok; if (ok) { n++; }
    });
    count.textContent = n + " of " + groups.length + " triples shown";
    empty.hidden = n > 0;
  }
  [rel, ent, neg].forEach(function (el) { el.addEventListener("change", apply); });
  txt.addEventListener("input", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    if (!th.dataset.sort) { return; }
    th.addEventListener("click", function () {
      var key = th.dataset.sort, num = th.dataset.type === "num";
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      groups.sort(function (a, b) {
        var x = a.dataset[key], y = b.dataset[key];
        var c = num ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
        return dir * (c || (parseFloat(b.dataset.evidence) - parseFloat(a.dataset.evidence)));
      });
      groups.forEach(function (g) { table.appendChild(g); });
    });
  });
  apply();
})();
"""

e = html.escape


def _attr(value: object) -> str:
    return e(str(value), quote=True)


def _entity_cell(ent: Entity | None, mentions: list[str]) -> str:
    if ent is None:
        return '<span class="id">(no subject)</span>'
    color = TYPE_COLORS.get(ent.type, DEFAULT_COLOR)
    label = entity_label(ent)
    shown = Counter(mentions).most_common(1)[0][0] if mentions else " ".join(ent.text.split())
    alt = f' <span class="id">"{e(shown)}"</span>' if shown.lower() != label.lower() else ""
    ident = f'<span class="id">{e(ent.type)}{" · " + e(ent.id) if ent.id else " · ungrounded"}</span>'
    return f'<mark class="ent" style="background:{color}">{e(label)}</mark>{alt}{ident}'


def _highlight(pd: ProcessedDocument, rel: Relation, by_start: list[Entity] | None = None,
               starts: list[int] | None = None) -> str:
    """The sentence with entity mentions coloured by type, the relation's arguments outlined, the trigger underlined.

    ``by_start``/``starts`` are the document's entities sorted once per document
    (:func:`_sorted_entities`); only those starting inside the sentence are looked at, so
    a long document costs time linear in its relations, not relations x entities.
    """
    import bisect

    if by_start is None or starts is None:
        by_start, starts = _sorted_entities(pd)
    s = rel.sentence
    args = {(x.start, x.end) for x in (rel.subject, rel.object, rel.site) if x is not None}
    marks: list[tuple[int, int, str]] = []
    # relation arguments first: they may be missing from the entity rows (e.g. a resolved pronoun)
    args_first = [x for x in (rel.subject, rel.object, rel.site) if x is not None]
    others = by_start[bisect.bisect_left(starts, s.start):bisect.bisect_right(starts, s.end)]
    for ent in args_first + others:
        if s.start <= ent.start and ent.end <= s.end and not any(ent.start < b and a < ent.end for a, b, _ in marks):
            color = TYPE_COLORS.get(ent.type, DEFAULT_COLOR)
            cls = "ent arg" if (ent.start, ent.end) in args else "ent"
            title = " ".join(x for x in (ent.type, ent.id or "", ent.name or "") if x)
            marks.append((ent.start, ent.end, f'<mark class="{cls}" style="background:{color}" title="{_attr(title)}">'))
    if rel.trigger and not any(rel.trigger[0] < b and a < rel.trigger[1] for a, b, _ in marks):
        marks.append((rel.trigger[0], rel.trigger[1], '<span class="trigger" title="trigger">'))
    text, out, pos = pd.document.text, [], s.start
    for a, b, open_tag in sorted(marks):
        close = "</mark>" if open_tag.startswith("<mark") else "</span>"
        out += [e(text[pos:a]), open_tag, e(text[a:b]), close]
        pos = b
    out.append(e(text[pos:s.end]))
    return "".join(out)


def _sorted_entities(pd: ProcessedDocument) -> tuple[list[Entity], list[int]]:
    ordered = sorted(pd.entities, key=lambda x: (x.start, -(x.end - x.start)))
    return ordered, [x.start for x in ordered]


def _evidence_item(pd: ProcessedDocument, rel: Relation, by_start: list[Entity] | None = None,
                   starts: list[int] | None = None) -> str:
    badges = [f'<span class="badge badge-rule" title="rule">{e(rel.rule)}</span>']
    if rel.negated:
        badges.append('<span class="badge badge-negated">negated</span>')
    if rel.hedged:
        badges.append('<span class="badge badge-hedged">hedged</span>')
    badges.append(f'<span class="badge badge-doc" title="{_attr(pd.document.path)}">{e(pd.document.doc_id)}</span>')
    pmid = pd.document.pmid
    if pmid and pmid.isdigit():
        badges.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/" target="_blank" rel="noopener">PMID:{pmid}</a>')
    elif pmid:
        badges.append(f"<span>PMID:{e(pmid)}</span>")
    cls = "evidence" + (" negated" if rel.negated else "") + (" hedged" if rel.hedged else "")
    return (f'<li class="{cls}"><div class="sentence">{_highlight(pd, rel, by_start, starts)}</div>'
            f'<div class="meta">{" ".join(badges)}</div></li>')


@dataclass
class _Group:
    """One (subject, relation, object, site) triple: counts, mention texts and rendered evidence (capped)."""

    subject_key: str
    relation: str
    object_key: str
    site: str
    subject: Entity | None
    object: Entity
    n: int = 0
    n_negated: int = 0
    n_hedged: int = 0
    doc_ids: set[str] = field(default_factory=set)
    subject_texts: Counter = field(default_factory=Counter)
    object_texts: Counter = field(default_factory=Counter)
    search: set[str] = field(default_factory=set)
    items: list[str] = field(default_factory=list)


def _search_bits(g: _Group, rel: Relation) -> None:
    for ent in (g.subject, g.object):
        if ent is not None:
            g.search.update(x for x in (ent.id, ent.name) if x)
    g.search.update(" ".join(x.text.split()) for x in (rel.subject, rel.object) if x is not None)


def _group(g: _Group) -> str:
    flags = []
    if g.n_negated:
        flags.append(f'<span class="badge badge-negated">negated {g.n_negated}/{g.n}</span>')
    if g.n_hedged:
        flags.append(f'<span class="badge badge-hedged">hedged {g.n_hedged}/{g.n}</span>')
    data = {
        "relation": g.relation,
        "subject": entity_label(g.subject).lower(),
        "object": entity_label(g.object).lower(),
        "site": g.site,
        "evidence": g.n,
        "docs": len(g.doc_ids),
        "search": SEP.join(sorted(g.search)).lower(),
        "keys": SEP.join(k for k in (g.subject_key, g.object_key) if k),
        "all-negated": "1" if g.n_negated == g.n else "0",
    }
    attrs = " ".join(f'data-{k}="{_attr(v)}"' for k, v in data.items())
    color = relation_color(g.relation)
    n = g.n
    items = "".join(g.items)
    if n > len(g.items):
        items += f'<li class="more meta">{n - len(g.items)} more (all are in the SQLite and TSV exports)</li>'

    return (
        f'<tbody class="group" {attrs}>'
        f'<tr class="triple"><td>{_entity_cell(g.subject, list(g.subject_texts.elements()))}</td>'
        f'<td><span class="rel" style="color:{color}">{e(g.relation.replace("_", " "))}</span></td>'
        f"<td>{_entity_cell(g.object, list(g.object_texts.elements()))}</td><td>{e(g.site)}</td>"
        f'<td class="num">{n}</td><td class="num">{len(g.doc_ids)}</td><td>{"".join(flags)}</td></tr>'
        f'<tr class="evidence-row"><td colspan="7"><details open><summary>{n} evidence sentence{"s" if n != 1 else ""}'
        f'</summary><ol class="evidence-list">{items}</ol></details></td></tr></tbody>'
    )


class HtmlPage:
    """Collects triples document by document; holds only counts and the rendered evidence it will show.

    At most ``max_evidence`` sentences per triple are rendered, and only the first
    ``max_documents`` documents are added to the page (later ones are counted, and the
    page says so): a review page for millions of abstracts would not open in a browser
    anyway. For big runs, use the SQLite export and the curator workbench.
    """

    def __init__(self, max_evidence: int = 50, max_documents: int = 5000) -> None:
        self.max_evidence = max_evidence
        self.max_documents = max_documents
        self.groups: dict[tuple[str, str, str, str], _Group] = {}
        self.types: set[str] = set()
        self.n_docs = 0
        self.n_seen = 0

    def add(self, pd: ProcessedDocument) -> None:
        self.n_seen += 1
        if self.max_documents and self.n_docs >= self.max_documents:
            return
        self.n_docs += 1
        self.types.update(x.type for x in pd.entities)
        ordered = starts = None
        for rel in pd.relations:
            key = (entity_key(rel.subject), rel.relation, entity_key(rel.object), site_label(rel.site))
            g = self.groups.get(key)
            if g is None:
                g = self.groups[key] = _Group(*key, subject=rel.subject, object=rel.object)
            g.n += 1
            g.n_negated += rel.negated
            g.n_hedged += rel.hedged
            g.doc_ids.add(pd.document.doc_id)
            if rel.subject is not None:
                g.subject_texts[" ".join(rel.subject.text.split())] += 1
            g.object_texts[" ".join(rel.object.text.split())] += 1
            _search_bits(g, rel)
            if len(g.items) < self.max_evidence:
                if ordered is None:
                    ordered, starts = _sorted_entities(pd)
                g.items.append(_evidence_item(pd, rel, ordered, starts))

    def render(self, title: str = "biomine review") -> str:
        return _page(self, title)


def render_html(docs: Iterable[ProcessedDocument], title: str = "biomine review", max_evidence: int = 50,
                max_documents: int = 5000) -> str:
    """The complete page as a string; at most ``max_evidence`` sentences are shown per triple."""
    page = HtmlPage(max_evidence=max_evidence, max_documents=max_documents)
    for pd in docs:
        page.add(pd)
    return page.render(title)


def _page(page: HtmlPage, title: str) -> str:
    groups = sorted(page.groups.values(), key=lambda g: (-g.n, entity_label(g.subject).lower(), g.relation))
    n_ev = sum(g.n for g in groups)
    relations = sorted({g.relation for g in groups})
    entities: dict[str, str] = {}
    for g in groups:
        for key, ent in ((g.subject_key, g.subject), (g.object_key, g.object)):
            if ent is not None and key:
                entities.setdefault(key, f"{entity_label(ent)} ({ent.id})" if ent.id else entity_label(ent))
    rel_opts = "".join(f'<option value="{_attr(r)}">{e(r.replace("_", " "))}</option>' for r in relations)
    ent_opts = "".join(f'<option value="{_attr(k)}">{e(v)}</option>'
                       for k, v in sorted(entities.items(), key=lambda kv: kv[1].lower()))
    types = [t for t in ENTITY_TYPES if t in page.types] or list(ENTITY_TYPES)
    legend = "".join(f'<span class="chip" style="background:{TYPE_COLORS.get(t, DEFAULT_COLOR)}">{e(t)}</span>'
                     for t in types)
    legend += ('<span class="chip"><mark class="ent arg" style="background:#fff">argument</mark></span>'
               '<span class="chip"><span class="trigger">trigger</span></span>')
    headers = [("subject", "Subject", ""), ("relation", "Relation", ""), ("object", "Object", ""),
               ("site", "Site", ""), ("evidence", "Evidence", "num"), ("docs", "Docs", "num"), ("", "Flags", "")]
    head = ""
    for key, label, kind in headers:
        sort = f' data-sort="{key}"' if key else ""
        typ = f' data-type="{kind}"' if kind else ""
        head += f"<th{sort}{typ}>{e(label)}</th>"
    body = "".join(_group(g) for g in groups)
    capped = ""
    if page.n_seen > page.n_docs:
        capped = (f'<p class="summary capped">This page shows the first {page.n_docs} of {page.n_seen} documents; '
                  "every triple of the run is in relations.tsv and the SQLite export (and the curator workbench).</p>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{e(title)}</h1>
<p class="summary">{len(groups)} triples from {n_ev} evidence sentences in {page.n_docs} documents</p>{capped}
<div class="legend">{legend}</div>
<div class="controls">
<label>Relation <select id="f-relation"><option value="">all</option>{rel_opts}</select></label>
<label>Entity <input id="f-text" type="search" placeholder="name, text or id" autocomplete="off"></label>
<label>or pick <select id="f-entity"><option value="">any entity</option>{ent_opts}</select></label>
<label><input id="f-hide-negated" type="checkbox"> hide negated-only</label>
<span id="shown-count">{len(groups)} of {len(groups)} triples shown</span>
</div>
</header>
<main>
<table id="triples">
<thead><tr>{head}</tr></thead>
{body}
</table>
<p id="no-match" class="empty" hidden>No triple matches the filters.</p>
</main>
<script>{JS}</script>
</body>
</html>
"""


def write_html(docs: Iterable[ProcessedDocument], out_dir: Path, **opts: object) -> list[Path]:
    """Write ``out_dir/review.html``."""
    from pipeline.writers import drive

    return drive(HtmlSink(out_dir, **opts), docs)


class HtmlSink:
    """``review.html`` from a stream of documents (see :class:`HtmlPage` for what is kept)."""

    def __init__(self, out_dir: Path, *, title: str = "biomine review", max_evidence: int = 50,
                 max_documents: int = 5000, **opts: object) -> None:
        self.out_dir = Path(out_dir)
        self.title = title
        self.page = HtmlPage(max_evidence=max_evidence, max_documents=max_documents)

    def add(self, pd: ProcessedDocument) -> None:
        self.page.add(pd)

    def close(self) -> list[Path]:
        return [atomic_write_text(self.out_dir / "review.html", self.page.render(self.title))]

    def abort(self) -> None:
        self.page = HtmlPage()

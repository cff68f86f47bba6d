"""Read side of the review workbench: filtered, sorted, paginated triples, one triple's evidence,
a document with its entities and triples, and the network of accepted and undecided triples.

Everything is SQL over the run's database plus the curation store's tables; filters and sort
keys come from whitelists and every value is a bound parameter. Evidence sentences are
highlighted by ``pipeline.writers.html._highlight`` -- the same code as review.html -- fed
with model objects rebuilt from the rows of the page being shown (never the whole database).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
import sqlite3
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping
from urllib.parse import urlencode

from markupsafe import Markup

from pipeline.curation.store import DECISIONS, ERROR_TYPES
from pipeline.model import Document, Entity, ProcessedDocument, Relation, Sentence
from pipeline.writers.html import _highlight
from pipeline.writers.keys import entity_key
from pipeline.writers.style import DEFAULT_COLOR, TYPE_COLORS, relation_color

STATES = ("all", "undecided", "decided", *DECISIONS)
FLAGS = ("", "yes", "no")
PER_PAGE = (25, 50, 100, 200)
MAX_QUERY = 200
# sort key -> ORDER BY (``{d}`` is ASC or DESC); r.triple_key last keeps pages stable
SORTS = {
    "state": "(c.decision IS NOT NULL) {d}, c.decision {d}, r.doc_id, r.object_start",
    "relation": "r.relation {d}, r.doc_id, r.object_start",
    "subject": "COALESCE(r.subject_name, r.subject_text) COLLATE NOCASE {d}, r.relation",
    "object": "COALESCE(r.object_name, r.object_text) COLLATE NOCASE {d}, r.relation",
    "doc": "r.doc_id {d}, r.object_start",
    "rule": "(SELECT MIN(rule) FROM evidence x WHERE x.triple_key = r.triple_key) {d}, r.doc_id",
    "key": "r.triple_key {d}",
    "decided": "c.decided_at {d}",
}
_PMC = re.compile(r"^(?:PMC)?(\d{1,12})$", re.IGNORECASE)


@dataclass(frozen=True)
class Filters:
    """What the list shows; built from the query string, unknown or bad values fall back to defaults."""

    q: str = ""
    relation: str = ""
    rule: str = ""
    doc: str = ""
    entity: str = ""  # an entity key (grounded id or text:...) as subject or object
    subject_key: str = ""
    object_key: str = ""
    state: str = "all"
    error_type: str = ""
    negated: str = ""
    hedged: str = ""
    sort: str = "state"
    dir: str = "asc"
    page: int = 1
    per: int = 50

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "Filters":
        def text(name: str) -> str:
            return " ".join(str(params.get(name) or "").split())[:MAX_QUERY]

        def choice(name: str, allowed: tuple[str, ...] | dict, default: str) -> str:
            value = str(params.get(name) or "")
            return value if value in allowed else default

        def number(name: str, default: int) -> int:
            try:
                return max(1, int(str(params.get(name) or default)))
            except ValueError:
                return default

        per = number("per", 50)
        return cls(
            q=text("q"), relation=text("relation"), rule=text("rule"), doc=text("doc"), entity=text("entity"),
            subject_key=text("subject_key"), object_key=text("object_key"),
            state=choice("state", STATES, "all"), error_type=choice("error_type", ERROR_TYPES, ""),
            negated=choice("negated", FLAGS, ""), hedged=choice("hedged", FLAGS, ""),
            sort=choice("sort", SORTS, "state"), dir=choice("dir", ("asc", "desc"), "asc"),
            page=min(number("page", 1), 10**7), per=per if per in PER_PAGE else 50,
        )

    def where(self) -> tuple[str, list[Any]]:
        sql: list[str] = []
        args: list[Any] = []
        if self.q:
            like = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cols = ("r.subject_text", "r.subject_id", "r.subject_name", "r.object_text", "r.object_id",
                    "r.object_name", "r.triple_key", "r.doc_id", "r.site")
            sql.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in cols) + ")")
            args += [like] * len(cols)
        for col, value in (("r.relation", self.relation), ("r.doc_id", self.doc),
                           ("r.subject_key", self.subject_key), ("r.object_key", self.object_key)):
            if value:
                sql.append(f"{col} = ?")
                args.append(value)
        if self.entity:
            sql.append("(r.subject_key = ? OR r.object_key = ?)")
            args += [self.entity, self.entity]
        if self.rule:
            sql.append("EXISTS (SELECT 1 FROM evidence x WHERE x.triple_key = r.triple_key AND x.rule = ?)")
            args.append(self.rule)
        for col, value in (("negated", self.negated), ("hedged", self.hedged)):
            if value:
                exists = f"EXISTS (SELECT 1 FROM evidence x WHERE x.triple_key = r.triple_key AND x.{col} = 1)"
                sql.append(exists if value == "yes" else f"NOT {exists}")
        if self.state == "undecided":
            sql.append("c.decision IS NULL")
        elif self.state == "decided":
            sql.append("c.decision IS NOT NULL")
        elif self.state in DECISIONS:
            sql.append("c.decision = ?")
            args.append(self.state)
        if self.error_type:
            sql.append("c.error_type = ?")
            args.append(self.error_type)
        return (" WHERE " + " AND ".join(sql)) if sql else "", args

    def order(self) -> str:
        return SORTS[self.sort].format(d=self.dir.upper()) + ", r.triple_key"

    def query(self, **changes: Any) -> str:
        """The query string for these filters with ``changes``; default values are left out."""
        f = replace(self, **changes)
        defaults = Filters()
        return urlencode({x.name: getattr(f, x.name) for x in fields(f)
                          if getattr(f, x.name) != getattr(defaults, x.name)})

    def sort_query(self, key: str) -> str:
        """Link for a column header: sort by ``key``, flipping the direction when already sorted by it."""
        flip = "desc" if self.sort == key and self.dir == "asc" else "asc"
        return self.query(sort=key, dir=flip, page=1)

    @property
    def active(self) -> bool:
        return any(getattr(self, n) != getattr(Filters(), n) for n in
                   ("q", "relation", "rule", "doc", "entity", "subject_key", "object_key", "state", "error_type",
                    "negated", "hedged"))


def connect_ro(db_path: Any) -> sqlite3.Connection:
    """A connection for one request (rows as sqlite3.Row)."""
    con = sqlite3.connect(db_path, timeout=10)
    con.row_factory = sqlite3.Row
    return con


# --- links and labels -----------------------------------------------------------------------------------

def pmcid(metadata: Mapping[str, Any] | None) -> str | None:
    """A PMCID such as ``PMC123456`` from a document's metadata, when one is recorded."""
    if not metadata:
        return None
    candidates = [metadata.get(k) for k in ("pmcid", "PMCID", "pmc", "PMC", "pmc_id")]
    ids = metadata.get("article_ids") or metadata.get("ids")
    if isinstance(ids, Mapping):
        candidates += [ids.get(k) for k in ("pmc", "pmcid", "PMC", "PMCID")]
    ref = str(metadata.get("reference_id") or "")
    if ref.upper().startswith(("PMCID:", "PMC:")):
        candidates.append(ref.split(":", 1)[1])
    elif ref.upper().startswith("PMC"):
        candidates.append(ref)
    for c in candidates:
        m = _PMC.match(str(c or "").strip())
        if m:
            return "PMC" + m.group(1)
    return None


def doc_links(pmid: str | None, metadata_json: str | None) -> dict[str, str | None]:
    try:
        meta = json.loads(metadata_json or "{}")
    except json.JSONDecodeError:
        meta = {}
    pmc = pmcid(meta if isinstance(meta, dict) else {})
    pmid = str(pmid or "").strip()
    return {
        "pmid": pmid or None,
        "pubmed_url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None,
        "pmcid": pmc,
        "pmc_url": f"https://pmc.ncbi.nlm.nih.gov/articles/{pmc}/" if pmc else None,
    }


def _entity(row: Mapping[str, Any], prefix: str) -> Entity | None:
    if row[f"{prefix}_start"] is None:
        return None
    return Entity(text=row[f"{prefix}_text"] or "", type=row[f"{prefix}_type"] or "", start=row[f"{prefix}_start"],
                  end=row[f"{prefix}_end"], id=row[f"{prefix}_id"], name=row[f"{prefix}_name"])


def _site(row: Mapping[str, Any]) -> Entity | None:
    if row["site_start"] is None:
        return None
    return Entity(text=row["site_text"] or "", type="SITE", start=row["site_start"], end=row["site_end"],
                  residue=row["site_residue"], position=row["site_position"])


def _argument(ent: Entity | None, key: str | None) -> dict[str, Any] | None:
    if ent is None:
        return None
    text = " ".join(ent.text.split())
    label = ent.name or text
    return {"text": text, "label": label, "id": ent.id, "type": ent.type, "key": key or entity_key(ent),
            "color": TYPE_COLORS.get(ent.type, DEFAULT_COLOR), "alt": text if text.lower() != label.lower() else ""}


class _Page:
    """Documents, sentences and entities needed to highlight a set of evidence rows, fetched once."""

    def __init__(self, con: sqlite3.Connection, evidence: list[sqlite3.Row]) -> None:
        doc_ids = sorted({e["doc_id"] for e in evidence})
        self.texts: dict[str, str] = {}
        for chunk in (doc_ids[i:i + 500] for i in range(0, len(doc_ids), 500)):
            marks = ",".join("?" * len(chunk))
            for d in con.execute(f"SELECT doc_id, text FROM documents WHERE doc_id IN ({marks})", chunk):
                self.texts[d["doc_id"]] = d["text"]
        self.sentences: dict[tuple[str, int], Sentence] = {}
        self.entities: dict[tuple[str, int], list[Entity]] = {}
        for doc_id, index in sorted({(e["doc_id"], e["sentence_index"]) for e in evidence}):
            s = con.execute("SELECT * FROM sentences WHERE doc_id = ? AND sentence_index = ?", (doc_id, index)).fetchone()
            if s is None:
                continue
            self.sentences[doc_id, index] = Sentence(index, s["char_start"], s["char_end"], s["text"])
            self.entities[doc_id, index] = [
                Entity(text=x["text"], type=x["type"], start=x["char_start"], end=x["char_end"], id=x["id"],
                       name=x["name"])
                for x in con.execute("SELECT * FROM entities WHERE doc_id = ? AND char_start >= ? AND char_end <= ?",
                                     (doc_id, s["char_start"], s["char_end"]))]

    def highlight(self, rel_row: Mapping[str, Any], ev: Mapping[str, Any]) -> Markup:
        """The evidence sentence, highlighted by writers/html.py (which escapes every piece of text)."""
        key = (ev["doc_id"], ev["sentence_index"])
        sent, text = self.sentences.get(key), self.texts.get(ev["doc_id"])
        if sent is None or text is None:
            return Markup('<span class="missing">(sentence not in the database)</span>')
        pd = ProcessedDocument(Document(ev["doc_id"], text), [sent], self.entities.get(key, []), [])
        obj = _entity(rel_row, "object")
        rel = Relation(
            doc_id=ev["doc_id"], relation=rel_row["relation"], subject=_entity(rel_row, "subject"),
            object=obj, sentence=sent, rule=ev["rule"], site=_site(rel_row),  # type: ignore[arg-type]
            negated=bool(ev["negated"]), hedged=bool(ev["hedged"]),
            trigger=(ev["trigger_start"], ev["trigger_end"]) if ev["trigger_start"] is not None else None)
        return Markup(_highlight(pd, rel))  # noqa: S704 - _highlight escapes all text it emits


def _evidence_for(con: sqlite3.Connection, keys: list[str]) -> dict[str, list[sqlite3.Row]]:
    out: dict[str, list[sqlite3.Row]] = {k: [] for k in keys}
    for chunk in (keys[i:i + 500] for i in range(0, len(keys), 500)):
        marks = ",".join("?" * len(chunk))
        for e in con.execute(f"SELECT * FROM evidence WHERE triple_key IN ({marks}) ORDER BY triple_key, rule", chunk):
            out[e["triple_key"]].append(e)
    return out


_LIST_COLUMNS = ("r.*, d.pmid AS pmid, d.metadata AS doc_metadata, d.title AS doc_title, "
                 "c.decision, c.error_type, c.note, c.curator, c.decided_at, c.corrected_relation, "
                 "c.corrected_subject_id, c.corrected_object_id, c.corrected_site")
_FROM = ("FROM relations r LEFT JOIN documents d ON d.doc_id = r.doc_id "
         "LEFT JOIN curation_decisions c ON c.triple_key = r.triple_key")


def triple_views(con: sqlite3.Connection, rows: list[sqlite3.Row], *, all_evidence: bool = False) -> list[dict[str, Any]]:
    """Template data for relation rows: arguments, flags, rules, decision, links, highlighted sentence(s)."""
    evidence = _evidence_for(con, [r["triple_key"] for r in rows])
    page = _Page(con, [e for evs in evidence.values() for e in (evs if all_evidence else evs[:1])])
    views = []
    for r in rows:
        evs = evidence[r["triple_key"]]
        subj, obj = _entity(r, "subject"), _entity(r, "object")
        view = {
            "key": r["triple_key"], "doc_id": r["doc_id"], "doc_title": r["doc_title"],
            "relation": r["relation"], "relation_label": r["relation"].replace("_", " "),
            "relation_color": relation_color(r["relation"]),
            "subject": _argument(subj, r["subject_key"]), "object": _argument(obj, r["object_key"]),
            "site": r["site"], "rules": [e["rule"] for e in evs],
            "negated": any(e["negated"] for e in evs), "hedged": any(e["hedged"] for e in evs),
            "sentence_index": evs[0]["sentence_index"] if evs else None,
            "sentence_html": page.highlight(r, evs[0]) if evs else Markup(""),
            "decision": r["decision"], "error_type": r["error_type"],
            "error_label": ERROR_TYPES.get(r["error_type"] or "", r["error_type"] or ""),
            "note": r["note"], "curator": r["curator"], "decided_at": r["decided_at"],
            "corrected": {k: r[k] for k in ("corrected_relation", "corrected_subject_id", "corrected_object_id",
                                            "corrected_site") if r[k]},
            **doc_links(r["pmid"], r["doc_metadata"]),
        }
        if all_evidence:
            view["evidence"] = [{"rule": e["rule"], "negated": bool(e["negated"]), "hedged": bool(e["hedged"]),
                                 "trigger": e["trigger_text"], "sentence_index": e["sentence_index"],
                                 "html": page.highlight(r, e)} for e in evs]
        views.append(view)
    return views


@dataclass
class ListPage:
    filters: Filters
    total: int
    pages: int
    triples: list[dict[str, Any]]


def list_triples(con: sqlite3.Connection, f: Filters) -> ListPage:
    """One page of triples matching ``f`` (the page number is clamped to the last page)."""
    where, args = f.where()
    total = con.execute(f"SELECT COUNT(*) {_FROM}{where}", args).fetchone()[0]
    pages = max(1, -(-total // f.per))
    if f.page > pages:
        f = replace(f, page=pages)
    rows = con.execute(f"SELECT {_LIST_COLUMNS} {_FROM}{where} ORDER BY {f.order()} LIMIT ? OFFSET ?",
                       [*args, f.per, (f.page - 1) * f.per]).fetchall()
    return ListPage(f, total, pages, triple_views(con, rows))


def triple_detail(con: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    """One triple with every evidence row highlighted, the same triple's other mentions and the
    decision's history; None when the run does not produce ``key``."""
    from pipeline.curation.store import history

    row = con.execute(f"SELECT {_LIST_COLUMNS} {_FROM} WHERE r.triple_key = ?", (key,)).fetchone()
    if row is None:
        return None
    (view,) = triple_views(con, [row], all_evidence=True)
    same = con.execute(
        f"SELECT {_LIST_COLUMNS} {_FROM} WHERE r.subject_key IS ? AND r.relation = ? AND r.object_key = ? "
        "AND r.site = ? AND r.triple_key != ? ORDER BY r.doc_id, r.object_start LIMIT 100",
        (row["subject_key"], row["relation"], row["object_key"], row["site"], key)).fetchall()
    view["others"] = triple_views(con, same)
    view["history"] = [{**h, "error_label": ERROR_TYPES.get(h["error_type"] or "", "")} for h in history(con, key)]
    view["position"] = (row["subject_start"], row["object_start"])
    return view


def document_view(con: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    """A document's text with every sentence highlighted, its entities and its triples."""
    d = con.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    if d is None:
        return None
    text = d["text"]
    sentences = [Sentence(s["sentence_index"], s["char_start"], s["char_end"], s["text"]) for s in con.execute(
        "SELECT * FROM sentences WHERE doc_id = ? ORDER BY char_start", (doc_id,))]
    entities = [Entity(text=x["text"], type=x["type"], start=x["char_start"], end=x["char_end"], id=x["id"],
                       name=x["name"], sentence=x["sentence_index"] if x["sentence_index"] is not None else -1,
                       rule=x["rule"] or "")
                for x in con.execute("SELECT * FROM entities WHERE doc_id = ? ORDER BY char_start, char_end", (doc_id,))]
    document = Document(doc_id, text)
    starts = [e.start for e in entities]
    parts: list[dict[str, Any]] = []
    pos = 0
    for s in sentences:
        if s.start < pos:  # overlapping sentence rows: show each character once
            continue
        if s.start > pos:
            parts.append({"gap": text[pos:s.start]})
        inside = [e for e in entities[bisect_left(starts, s.start):bisect_left(starts, s.end)] if e.end <= s.end]
        pd = ProcessedDocument(document, [s], inside, [])
        rel = Relation(doc_id=doc_id, relation="", subject=None, object=None, sentence=s, rule="")  # type: ignore[arg-type]
        parts.append({"index": s.index, "html": Markup(_highlight(pd, rel))})  # noqa: S704 - escaped by _highlight
        pos = s.end
    if pos < len(text):
        parts.append({"gap": text[pos:]})
    rows = con.execute(f"SELECT {_LIST_COLUMNS} {_FROM} WHERE r.doc_id = ? ORDER BY r.object_start, r.triple_key "
                       "LIMIT 2000", (doc_id,)).fetchall()
    try:
        metadata = json.loads(d["metadata"] or "{}")
    except json.JSONDecodeError:
        metadata = {}
    return {
        "doc_id": doc_id, "title": d["title"], "path": d["path"], "parts": parts,
        "entities": [{"text": " ".join(e.text.split()), "type": e.type, "id": e.id, "name": e.name,
                      "sentence": e.sentence, "rule": e.rule, "start": e.start, "end": e.end,
                      "color": TYPE_COLORS.get(e.type, DEFAULT_COLOR)} for e in entities],
        "triples": triple_views(con, rows),
        "legend": [(t, TYPE_COLORS.get(t, DEFAULT_COLOR)) for t in sorted({e.type for e in entities})],
        "metadata": {k: v for k, v in metadata.items() if isinstance(v, (str, int, float)) and k != "title"},
        **doc_links(d["pmid"], d["metadata"]),
    }


def choices(con: sqlite3.Connection) -> dict[str, list[str]]:
    """Values for the filter menus."""
    return {
        "relations": [r[0] for r in con.execute("SELECT DISTINCT relation FROM relations ORDER BY relation")],
        "rules": [r[0] for r in con.execute("SELECT DISTINCT rule FROM evidence ORDER BY rule")],
    }


def network(con: sqlite3.Connection, relations: list[str] | None = None, *, undecided: bool = True,
            limit: int = 300) -> dict[str, Any]:
    """Nodes and edges for Cytoscape: accepted (and, with ``undecided``, undecided) triples grouped by
    (subject, relation, object), the best-supported ``limit`` edges. Rejected and corrected triples
    are left out; so are triples without a subject."""
    states = "c.decision IS NULL OR c.decision = 'accept'" if undecided else "c.decision = 'accept'"
    where = f"WHERE r.subject_key IS NOT NULL AND r.subject_key != '' AND ({states})"
    args: list[Any] = []
    if relations is not None and not relations:
        return {"nodes": [], "edges": [], "total_edges": 0, "limit": limit}
    if relations is not None:
        where += f" AND r.relation IN ({','.join('?' * len(relations))})"
        args += relations
    base = (f"FROM relations r LEFT JOIN curation_decisions c ON c.triple_key = r.triple_key {where} "
            "GROUP BY r.subject_key, r.relation, r.object_key")
    n_edges = con.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base})", args).fetchone()[0]
    rows = con.execute(
        "SELECT r.subject_key, r.relation, r.object_key, "
        "MIN(COALESCE(r.subject_name, r.subject_text)) AS s_label, MIN(r.subject_type) AS s_type, "
        "MIN(r.subject_id) AS s_id, MIN(COALESCE(r.object_name, r.object_text)) AS o_label, "
        "MIN(r.object_type) AS o_type, MIN(r.object_id) AS o_id, COUNT(*) AS n, "
        f"SUM(c.decision = 'accept') AS n_accepted {base} ORDER BY n_accepted DESC, n DESC, r.subject_key, "
        "r.relation, r.object_key LIMIT ?", [*args, max(1, limit)]).fetchall()
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for i, r in enumerate(rows):
        for key, label, typ, ident in ((r["subject_key"], r["s_label"], r["s_type"], r["s_id"]),
                                       (r["object_key"], r["o_label"], r["o_type"], r["o_id"])):
            node = nodes.setdefault(key, {"id": key, "label": " ".join(str(label or key).split()), "type": typ or "",
                                          "grounded": bool(ident), "color": TYPE_COLORS.get(typ or "", DEFAULT_COLOR),
                                          "degree": 0, "href": "/triples?" + urlencode({"entity": key})})
            node["degree"] += 1
        edges.append({
            "id": f"e{i}", "source": r["subject_key"], "target": r["object_key"], "relation": r["relation"],
            "label": r["relation"].replace("_", " "), "color": relation_color(r["relation"]),
            "n": r["n"], "accepted": r["n_accepted"] or 0,
            "href": "/triples?" + urlencode({"subject_key": r["subject_key"], "relation": r["relation"],
                                             "object_key": r["object_key"]}),
        })
    return {"nodes": list(nodes.values()), "edges": edges, "total_edges": n_edges, "limit": limit}

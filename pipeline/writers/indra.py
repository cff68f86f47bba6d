"""INDRA statements JSON, so biomine output can be assembled with other readers in INDRA.

Mapping (relation -> statement):
- phosphorylation / dephosphorylation -> Phosphorylation / Dephosphorylation(enz, sub, residue, position)
- autophosphorylation -> Autophosphorylation(enz = subject, or the object when there is no subject)
- activation, stress_activates_target -> Activation(subj, obj, obj_activity="activity")
- inhibition, drug_inhibits_target -> Inhibition(subj, obj, obj_activity="activity")
- binding -> Complex(members=[subject, object])
- association (protein-disease) -> skipped: INDRA's Association relates two *Events*
  (World Modelers) and its schema entry demands Agents, so no form is both valid and
  loadable by INDRA; protein-disease links stay in the other formats.
Activation/Inhibition/Complex need a subject; relations without one are skipped too.

Relations with the same identity (type, agent groundings, residue, position) become
one statement with several evidences, as INDRA assembles them; the statement ``id``
is a uuid5 of that identity, so it is stable across runs. No ``matches_hash`` is
written (INDRA recomputes it). Negated mentions are evidence with
``epistemics.negated = true``, as INDRA readers emit them.

Belief (issue 10): INDRA's BeliefEngine scores evidence by its ``source_api`` and
refuses sources it has no prior for, so ``indra/belief_priors.json`` is written next
to the statements, in the format of INDRA's ``SimpleScorer`` (``{"rand": {...},
"syst": {...}}``); pass it to ``run_preassembly(stmts, belief_scorer=SimpleScorer(priors))``
(docs/outputs.md). Each statement's ``belief`` is what that scorer gives it alone:
``1 - (syst + rand ** n)`` for ``n`` evidences. The priors are biomine's measured error
rates on held-out gold (README, Accuracy), not INDRA's figures for other readers.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.writers.jsonlines import dump_bytes, dump_indented, dump_text, load
from pipeline.writers.keys import entity_key
from pipeline.model import Entity, ProcessedDocument, Relation
from pipeline.relations.types import registry

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "biomine/indra-statements")
SOURCE_API = "biomine"
# Random and systematic error of one biomine evidence (held-out precision about 0.75-0.9).
BELIEF_PRIORS = {"rand": {SOURCE_API: 0.2}, "syst": {SOURCE_API: 0.05}}


def belief(n_evidence: int) -> float:
    """INDRA SimpleScorer's belief for ``n_evidence`` biomine evidences and nothing else."""
    rand, syst = BELIEF_PRIORS["rand"][SOURCE_API], BELIEF_PRIORS["syst"][SOURCE_API]
    return round(1 - (syst + rand ** max(n_evidence, 1)), 6)
# namespaces whose INDRA ids keep the prefix inside the value ("CHEBI:16240")
EMBEDDED_PREFIX = {"CHEBI", "GO", "DOID", "HP", "MONDO", "UBERON", "CL"}
NS_ALIASES = {"UNIPROT": "UP", "FAMPLEX": "FPLX", "NCBIGENE": "EGID", "CELLOSAURUS": "CVCL"}



def _db_ref(ns: str, value: str) -> tuple[str, str]:
    ns = NS_ALIASES.get(ns.upper(), ns.upper())
    if ns in EMBEDDED_PREFIX and not value.upper().startswith(ns + ":"):
        value = f"{ns}:{value}"
    return ns, value


def agent(e: Entity) -> dict[str, Any]:
    """INDRA Agent JSON: name = normalised name (or text), db_refs from id + xrefs + TEXT."""
    refs: dict[str, str] = {}
    if e.id and ":" in e.id:
        prefix, local = e.id.split(":", 1)
        ns, val = _db_ref(prefix, local)
        refs[ns] = val
    for db, val in e.xrefs.items():
        ns, v = _db_ref(db, str(val))
        refs.setdefault(ns, v)
    refs["TEXT"] = " ".join(e.text.split())
    return {"name": e.name or refs["TEXT"], "db_refs": refs}


def _identity(stype: str, agents: list[Entity | None], rel: Relation) -> str:
    keys = [entity_key(a) if a is not None else None for a in agents]
    if stype == "Complex":
        keys = sorted(k or "" for k in keys)
    site = [rel.site.residue, rel.site.position] if rel.site is not None else None
    return dump_text([stype, keys, site])  # json.dumps(..., separators=(",", ":")) text: the same statement ids


def _evidence(rel: Relation, pmid: str | None, types: dict | None = None) -> dict[str, Any]:
    types = types if types is not None else registry().types
    ev: dict[str, Any] = {
        "source_api": SOURCE_API,
        "text": " ".join(rel.sentence.text.split()),
        "annotations": {
            "found_by": rel.rule,
            "doc_id": rel.doc_id,
            "sentence_index": rel.sentence.index,
            "agents": {"raw_text": [None if e is None else e.text for e in (rel.subject, rel.object)]},
        },
        "epistemics": {
            "negated": rel.negated,
            "hypothesis": rel.hedged,
            "direct": rel.relation in types and types[rel.relation].direct,
        },
    }
    if pmid:
        ev["pmid"] = pmid
        ev["text_refs"] = {"PMID": pmid}
    return ev


def _statement(rel: Relation, types: dict | None = None) -> tuple[str, dict[str, Any]] | None:
    """(identity, statement body without id/evidence), or None when INDRA has no form for it."""
    kind = (types if types is not None else registry().types).get(rel.relation)
    spec = kind.indra if kind else None
    if spec is None:
        return None
    stype = spec.statement
    subj, obj = rel.subject, rel.object
    body: dict[str, Any] = {"type": stype}
    if spec.object == "enz":  # the object is the enzyme acting on itself (Autophosphorylation)
        enz = subj or obj
        body["enz"] = agent(enz)
        agents = [enz]
    elif spec.object == "sub":  # a modification: the enzyme may be unknown
        if subj is not None:
            body["enz"] = agent(subj)
        body["sub"] = agent(obj)
        agents = [subj, obj]
    elif subj is None:
        return None
    elif spec.object == "members":
        body["members"] = [agent(subj), agent(obj)]
        agents = [subj, obj]
    else:
        body.update({"subj": agent(subj), "obj": agent(obj), "obj_activity": "activity"})
        agents = [subj, obj]
    if kind.site and rel.site is not None:
        if rel.site.residue:
            body["residue"] = rel.site.residue
        if rel.site.position is not None:
            body["position"] = str(rel.site.position)
    return _identity(stype, agents, rel), body


def to_statements(docs: Iterable[ProcessedDocument]) -> tuple[list[dict[str, Any]], int]:
    """Return (statements, number of relations skipped) in first-seen order (in memory: small runs, tests)."""
    stmts: dict[str, dict[str, Any]] = {}
    skipped = 0
    for pd in docs:
        for rel in pd.relations:
            made = _statement(rel)
            if made is None:
                skipped += 1
                continue
            ident, body = made
            if ident not in stmts:
                stmts[ident] = {**body, "id": str(uuid.uuid5(NAMESPACE, ident)), "belief": 1, "evidence": []}
            stmts[ident]["evidence"].append(_evidence(rel, pd.document.pmid))
    for stmt in stmts.values():
        stmt["belief"] = belief(len(stmt["evidence"]))
    return list(stmts.values()), skipped


class IndraSink:
    """Groups evidence into statements on disk (a temporary SQLite file), then writes the JSON list.

    Same output as ``json.dumps(to_statements(docs)[0], indent=1)``, but memory does not grow
    with the number of relations: statements and evidence wait in the temporary database
    until :meth:`close` writes them in first-seen order.
    """

    def __init__(self, out_dir: Path, *, sync: bool = True, **opts: object) -> None:
        import sqlite3

        self.folder = Path(out_dir) / "indra"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sync = sync
        self.db_path = self.folder / f".statements.db.{os.getpid() % 10**8:08d}.tmp"
        self.db_path.unlink(missing_ok=True)
        self.con = sqlite3.connect(self.db_path)
        self.con.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE stmt (seq INTEGER PRIMARY KEY, ident TEXT UNIQUE NOT NULL, body BLOB NOT NULL);"
            "CREATE TABLE evidence (seq INTEGER NOT NULL, json BLOB NOT NULL);"
        )
        self.seqs: dict[str, int] = {}
        self.skipped = 0

    def add(self, pd: ProcessedDocument) -> None:
        types = registry().types if pd.relations else {}
        for rel in pd.relations:
            made = _statement(rel, types)
            if made is None:
                self.skipped += 1
                continue
            ident, body = made
            seq = self.seqs.get(ident)
            if seq is None:
                cur = self.con.execute("SELECT seq FROM stmt WHERE ident = ?", (ident,)).fetchone()
                if cur is None:
                    stmt = {**body, "id": str(uuid.uuid5(NAMESPACE, ident)), "belief": 1}
                    seq = self.con.execute("INSERT INTO stmt(ident, body) VALUES (?, ?)",
                                           (ident, dump_bytes(stmt))).lastrowid
                else:
                    seq = cur[0]
                if len(self.seqs) < 100_000:  # a bounded cache of recent identities
                    self.seqs[ident] = seq
            self.con.execute("INSERT INTO evidence VALUES (?, ?)",
                             (seq, dump_bytes(_evidence(rel, pd.document.pmid, types))))

    def close(self) -> list[Path]:
        self.con.execute("CREATE INDEX evidence_seq ON evidence(seq)")
        target = self.folder / "statements.json"
        tmp = self.folder / f".statements.json.{os.getpid() % 10**8:08d}.tmp"
        n = 0
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            for seq, body in self.con.execute("SELECT seq, body FROM stmt ORDER BY seq"):
                stmt = load(body)
                stmt["evidence"] = [load(j) for (j,) in self.con.execute(
                    "SELECT json FROM evidence WHERE seq = ? ORDER BY rowid", (seq,))]
                stmt["belief"] = belief(len(stmt["evidence"]))
                fh.write(("[\n " if n == 0 else ",\n ") + dump_indented(stmt, level=1))
                n += 1
            fh.write("\n]\n" if n else "[]\n")
            fh.flush()
            if self.sync:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
        priors = self.folder / "belief_priors.json"
        priors.write_text(json.dumps(BELIEF_PRIORS, indent=1) + "\n", encoding="utf-8")
        self._drop()
        return [target, priors]

    def _drop(self) -> None:
        self.con.close()
        self.db_path.unlink(missing_ok=True)

    def abort(self) -> None:
        self._drop()
        for tmp in self.folder.glob(".statements.json.*.tmp"):
            tmp.unlink(missing_ok=True)


def write_indra(docs: Iterable[ProcessedDocument], out_dir: Path, **opts: object) -> list[Path]:
    """Write ``out_dir/indra/statements.json`` (a JSON list, readable by ``stmts_from_json_file``)."""
    from pipeline.writers import drive

    return drive(IndraSink(out_dir, **opts), docs)

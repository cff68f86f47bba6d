"""Helpers for the workbench tests (no tests here): a synthetic run database of any size, written by
the real sqlite writer, and a small HTTP client that keeps the session cookie."""
from __future__ import annotations

import http.cookiejar
import json
import random
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from pipeline.model import Document, Entity, ProcessedDocument, Relation, Sentence
from pipeline.writers.sqlite import write_sqlite

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"

# (relation, sentence template, trigger word, rule, negated, hedged)
TEMPLATES = [
    ("phosphorylation", "{s} phosphorylates {o} in stimulated cells.", "phosphorylates", "phosphorylation.active", 0, 0),
    ("activation", "{s} activates {o} after stimulation.", "activates", "activation.active", 0, 0),
    ("activation", "{o} is activated by {s}.", "activated", "activation.passive", 0, 0),
    ("inhibition", "{s} inhibits {o} in vitro.", "inhibits", "inhibition.active", 0, 0),
    ("inhibition", "{s} did not inhibit {o}.", "inhibit", "inhibition.active", 1, 0),
    ("binding", "{s} may bind {o} directly.", "bind", "binding.active", 0, 1),
    ("activation", "{s} was required for the activation of {o}.", "activation", "activation.required", 0, 0),
]


def synthetic_docs(n_triples: int, *, per_doc: int = 10, n_proteins: int = 150, seed: int = 7) -> list[ProcessedDocument]:
    """Documents of ``per_doc`` sentences, one triple each (every 9th found by a second rule too)."""
    rng = random.Random(seed)
    proteins = [(f"KIN{i}", f"HGNC:{1000 + i}", f"KINASE{i}") for i in range(n_proteins)]
    docs = []
    made = 0
    d = 0
    while made < n_triples:
        doc_id = f"syn_{d:05d}"
        parts: list[str] = []
        sentences: list[Sentence] = []
        entities: list[Entity] = []
        relations: list[Relation] = []
        pos = 0
        for i in range(min(per_doc, n_triples - made)):
            rel, template, trig, rule, neg, hedge = TEMPLATES[(d * per_doc + i) % len(TEMPLATES)]
            (st, sid, sname), (ot, oid, oname) = rng.sample(proteins, 2)
            grounded_s = (made % 11) != 5
            text = template.format(s=st, o=ot)
            s_at, o_at, t_at = text.index(st), text.index(ot), text.index(trig)
            sent = Sentence(i, pos, pos + len(text), text)
            subj = Entity(st, "PROTEIN", pos + s_at, pos + s_at + len(st), sid if grounded_s else None,
                          sname if grounded_s else None, sentence=i, rule="dict")
            obj = Entity(ot, "PROTEIN", pos + o_at, pos + o_at + len(ot), oid, oname, sentence=i, rule="dict")
            entities += [subj, obj]
            trigger = (pos + t_at, pos + t_at + len(trig))
            relations.append(Relation(doc_id, rel, subj, obj, sent, rule, negated=bool(neg), hedged=bool(hedge),
                                      trigger=trigger))
            if made % 9 == 0:
                relations.append(Relation(doc_id, rel, subj, obj, sent, rule + "_alt", trigger=trigger))
            sentences.append(sent)
            parts.append(text)
            pos += len(text) + 1
            made += 1
        doc = Document(doc_id, " ".join(parts), path=f"{doc_id}.txt",
                       metadata={"pmid": str(30000000 + d), "title": f"Synthetic abstract {d}",
                                 **({"pmcid": f"PMC{900000 + d}"} if d % 2 == 0 else {})})
        entities.sort(key=lambda e: (e.start, e.end))
        docs.append(ProcessedDocument(doc, sentences, entities, relations))
        d += 1
    return docs


def make_db(path: Path, n_triples: int = 10_000, **kw: Any) -> Path:
    write_sqlite(synthetic_docs(n_triples, **kw), path.parent, db_path=path)
    return path


def tricky_doc() -> ProcessedDocument:
    """A document whose text, entity and title carry markup: it must show as text everywhere."""
    evil = "<script>alert('x')</script>"
    text = f"The kinase {evil} phosphorylates MEK1 <b>strongly</b>."
    start = text.index(evil)
    sent = Sentence(0, 0, len(text), text)
    subj = Entity(evil, "PROTEIN", start, start + len(evil), "HGNC:1\"><img src=x onerror=alert(1)>",
                  "<i>EVIL</i>", sentence=0)
    m = text.index("MEK1")
    obj = Entity("MEK1", "PROTEIN", m, m + 4, "HGNC:6840", "MAP2K1", sentence=0)
    t = text.index("phosphorylates")
    rel = Relation("evil<doc>", "phosphorylation", subj, obj, sent, "phosphorylation.<script>", trigger=(t, t + 14))
    doc = Document("evil<doc>", text, metadata={"pmid": "123<script>", "title": "<script>alert(1)</script> title"})
    return ProcessedDocument(doc, [sent], [subj, obj], [rel])


class Client:
    """urllib with a cookie jar: what a browser session does, without a browser."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode("utf-8")

    def get(self, path: str, **kw: Any) -> tuple[int, str]:
        status, _, text = self.request("GET", path, **kw)
        return status, text

    def token(self, path: str = "/triples") -> str:
        status, text = self.get(path)
        assert status == 200, text[:500]
        return re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', text).group(1)

    def post_json(self, path: str, data: Any, *, token: str | None = None,
                  headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
        h = {"Content-Type": "application/json", **({"X-CSRF-Token": token} if token else {}), **(headers or {})}
        status, _, text = self.request("POST", path, body=json.dumps(data).encode(), headers=h)
        try:
            return status, json.loads(text)
        except ValueError:
            return status, {"raw": text}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kw: Any) -> None:
        return None

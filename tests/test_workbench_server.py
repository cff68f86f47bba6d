"""The review workbench over HTTP (a real uvicorn server in a thread, no browser): pages, filters,
escaping, the session token on every state change, decisions, rules, network, and the command.

Skipped when starlette/uvicorn are missing, except in CI (CI=true), where they must be installed.
"""
from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

if os.environ.get("CI") != "true":
    pytest.importorskip("starlette", reason="the review workbench needs starlette and uvicorn")
    pytest.importorskip("uvicorn", reason="the review workbench needs starlette and uvicorn")

from pipeline.cli import app  # noqa: E402
from pipeline.curation import store  # noqa: E402
from pipeline.curation.server import BackgroundServer  # noqa: E402
from pipeline.writers.load import load_output_dir  # noqa: E402
from pipeline.writers.sqlite import write_sqlite  # noqa: E402
from test_workbench_support import FIXTURE, Client, make_db, tricky_doc  # noqa: E402


@pytest.fixture
def db(tmp_path):
    docs = load_output_dir(FIXTURE)
    pmc = next(pd for pd in docs if pd.document.pmid)
    pmc.document.metadata = {**pmc.document.metadata, "pmcid": "PMC1234567"}
    return write_sqlite(docs + [tricky_doc()], tmp_path / "b.sqlite")[0]


@pytest.fixture
def client(db):
    with BackgroundServer(db, curator="tester") as url:
        yield Client(url)


def _keys(html: str) -> list[str]:
    return re.findall(r'<tbody class="triple" data-key="([0-9a-f]{16})"', html)


def _key(db: Path, relation: str, subject: str, obj: str) -> str:
    with closing(sqlite3.connect(db)) as con:
        return con.execute("SELECT triple_key FROM relations WHERE relation = ? AND subject_text = ? AND object_text = ?",
                           (relation, subject, obj)).fetchone()[0]


def test_list_filters_sorts_and_pages(client, db):
    status, html = client.get("/triples")
    assert status == 200 and len(_keys(html)) == 16
    assert "<strong>16</strong> triples match" in html
    for key in _keys(html):
        assert f"<code>{key}</code>" in html  # the triple key is visible
    _, html = client.get("/triples?relation=phosphorylation")
    assert len(_keys(html)) == 3 and 'class="badge badge-rule" href="/triples?rule=phos_by_ing_site"' in html
    _, html = client.get("/triples?q=selonsertib")
    assert len(_keys(html)) == 1 and "drug" in html
    _, html = client.get("/triples?q=HGNC:6857&rule=phos_by_ing_site")
    assert len(_keys(html)) == 1
    _, html = client.get("/triples?hedged=yes")
    assert len(_keys(html)) == 1 and "badge-hedged" in html
    _, html = client.get("/triples?negated=no")
    assert len(_keys(html)) == 15
    _, html = client.get("/triples?per=25&sort=subject&dir=desc")
    heads = html.split('<tr class="head">')[1:]
    subjects = [m.group(1) if m else "" for m in (re.search(r'<td class="arg">\s*<mark[^>]*>([^<]*)</mark>', h.split('<td class="rel">')[0]) for h in heads)]
    assert len(subjects) == 16 and subjects == sorted(subjects, key=str.lower, reverse=True)
    _, html = client.get("/triples?per=25&page=99")  # clamped to the last page
    assert "page 1 of 1" in html
    _, html = client.get("/triples?doc=" + quote("000_ae4789125602f252"))
    assert len(_keys(html)) == 7
    _, html = client.get("/triples?state=nonsense&sort=nonsense&per=7&page=x")  # bad values fall back
    assert len(_keys(html)) == 16


def test_markup_in_the_data_is_shown_as_text(client, db):
    key = _key(db, "phosphorylation", "<script>alert('x')</script>", "MEK1")
    token = client.token()
    status, res = client.post_json("/api/decision", {"key": key, "action": "reject", "error_type": "other",
                                                     "note": "<img src=x onerror=alert(2)>",
                                                     "curator": "<b>mallory</b>"}, token=token)
    assert status == 200, res
    pages = [client.get("/triples")[1], client.get(f"/triple/{key}")[1],
             client.get("/doc?id=" + quote("evil<doc>"))[1], client.get("/rules")[1]]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>mallory" not in html
        assert "<i>EVIL</i>" not in html and '"><img' not in html
        assert not re.search(r"<script(?! src=\"/static/)", html)  # the only scripts are our static files
    detail = pages[1]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in detail  # the mention, as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in detail and "&lt;b&gt;mallory&lt;/b&gt;" in detail
    assert "&lt;b&gt;strongly&lt;/b&gt;" in pages[2]
    assert "phosphorylation.&lt;script&gt;" in pages[3]
    data = client.get("/api/network")[1]
    assert "<script>" not in data  # JSON is escaped by its encoder and drawn as canvas text


def test_state_changes_need_post_and_the_session_token(client, db):
    key = _key(db, "phosphorylation", "Akt", "ASK1")
    body = {"key": key, "action": "accept"}
    status, res = client.post_json("/api/decision", body)  # no token at all (and no session yet)
    assert status == 403 and "[E705]" in res["error"]
    token = client.token()
    status, res = client.post_json("/api/decision", body, token="0" * 64)
    assert status == 403
    other = Client(client.base)  # a token from another session does not fit this session's cookie
    status, res = other.post_json("/api/decision", body, token=token)
    assert status == 403
    status, _, _ = client.request("POST", "/api/decision", body=b"key=" + key.encode() + b"&action=accept",
                                  headers={"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": token})
    assert status == 403  # a plain form post is refused even with the token
    status, res = client.post_json("/api/decision", body, token=token, headers={"Origin": "http://evil.example"})
    assert status == 403 and "cross-origin" in res["error"]
    assert client.get(f"/api/decision?key={key}&action=accept")[0] == 405
    with closing(store.open_store(db)) as con:
        assert store.decisions(con) == []
    status, res = client.post_json("/api/decision", body, token=token)
    assert status == 200 and res["decision"] == "accept" and res["curator"] == "tester"


def test_decisions_over_http(client, db):
    token = client.token()
    akt = _key(db, "phosphorylation", "Akt", "ASK1")
    raf = _key(db, "activation", "Raf", "c-Jun N-terminal kinase")

    def post(**body):
        return client.post_json("/api/decision", body, token=token)

    status, res = post(key=raf, action="reject")
    assert status == 400 and res["code"] == "E704" and "needs an error type" in res["error"]
    status, res = post(key=raf, action="reject", error_type="made_up")
    assert status == 400 and "error type 'made_up'" in res["error"]
    status, res = post(key="0123456789abcdef", action="accept")
    assert status == 400 and "no such triple" in res["error"]
    status, res = post(key=raf, action="note", note="first decide")
    assert status == 400 and "decide first" in res["error"]
    status, res = post(key=raf, action="explode")
    assert status == 400 and "unknown action" in res["error"]

    status, res = post(key=raf, action="reject", error_type="negation_hedging_missed", note="says 'not'", curator="ann")
    assert status == 200 and res["changed"] and res["error_label"] == "negation or hedging missed"
    assert res["counts"]["reject"] == 1 and res["curator"] == "ann"
    status, res = post(key=akt, action="accept")
    assert status == 200 and res["counts"]["accept"] == 1
    status, res = post(key=akt, action="note", note="textbook case")
    assert status == 200 and res["decision"] == "accept" and res["note"] == "textbook case"
    status, res = post(key=akt, action="accept", note="textbook case")
    assert status == 200 and not res["changed"]

    _, html = client.get("/triples?state=undecided")
    assert akt not in _keys(html) and raf not in _keys(html) and len(_keys(html)) == 14
    _, html = client.get("/triples")
    assert _keys(html)[-2:] == sorted([akt, raf], key=lambda k: 0 if k == akt else 1)  # undecided first, then decided
    _, html = client.get("/triples?state=reject&error_type=negation_hedging_missed")
    assert _keys(html) == [raf]
    _, html = client.get(f"/triple/{raf}")
    assert "negation or hedging missed" in html and "says &#39;not&#39;" in html and ">ann<" in html

    status, res = post(key=raf, action="clear")
    assert status == 200 and res["decision"] is None and res["counts"]["reject"] == 0
    _, html = client.get(f"/triple/{raf}")
    assert "withdrawn" in html  # the history keeps the withdrawn decision
    with closing(store.open_store(db)) as con:
        assert [d["triple_key"] for d in store.decisions(con)] == [akt]
        assert store.current(con, akt)["curator"] == "tester"


def test_detail_document_links(client, db):
    akt = _key(db, "phosphorylation", "Akt", "ASK1")
    status, html = client.get(f"/triple/{akt}")
    assert status == 200
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/11154276/"' in html
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC1234567/"' in html
    assert "phos_by_ing_site" in html and '<span class="trigger" title="trigger">' in html
    assert 'class="ent arg"' in html  # the arguments are outlined, as in review.html
    status, html = client.get("/doc?id=000_ae4789125602f252")
    assert status == 200 and len(_keys(html)) == 7 and '<span class="sent" id="s' in html and "HGNC:6857" in html
    assert client.get("/triple/ffffffffffffffff")[0] == 404
    assert client.get("/triple/not-a-key")[0] == 404
    assert client.get("/doc?id=nothing")[0] == 404
    assert client.get("/doc?id=../../etc/passwd")[0] == 404
    assert client.get("/static/../server.py")[0] == 404


def test_rules_page_and_tsv(client, db):
    token = client.token()
    raf = _key(db, "activation", "Raf", "c-Jun N-terminal kinase")
    assert client.post_json("/api/decision", {"key": raf, "action": "reject", "error_type": "wrong_entity"},
                            token=token)[0] == 200
    status, html = client.get("/rules")
    assert status == 200 and 'id="rules-table"' in html and "wrong entity 1" in html
    status, headers, tsv = client.request("GET", "/rules.tsv")
    assert status == 200 and headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.startswith("rule\ttriples\taccepted\trejected\tcorrected\tundecided\tprecision\t")


def test_network_data(client, db):
    token = client.token()
    raf = _key(db, "activation", "Raf", "c-Jun N-terminal kinase")
    akt = _key(db, "phosphorylation", "Akt", "ASK1")
    full = json.loads(client.get("/api/network")[1])
    assert full["edges"] and all(e["source"] in {n["id"] for n in full["nodes"]} for e in full["edges"])
    client.post_json("/api/decision", {"key": raf, "action": "reject", "error_type": "other"}, token=token)
    client.post_json("/api/decision", {"key": akt, "action": "accept"}, token=token)
    after = json.loads(client.get("/api/network")[1])
    assert not any(e["relation"] == "activation" and e["target"] == "FPLX:JNK" and e["source"] == "FPLX:RAF"
                   for e in after["edges"])
    accepted = json.loads(client.get("/api/network?undecided=0")[1])
    assert [(e["source"], e["relation"], e["target"]) for e in accepted["edges"]] == [
        ("FPLX:AKT", "phosphorylation", "HGNC:6857")]
    only = json.loads(client.get("/api/network?filter=1&relation=binding")[1])
    assert only["edges"] and {e["relation"] for e in only["edges"]} == {"binding"}
    assert json.loads(client.get("/api/network?filter=1")[1])["edges"] == []
    _, html = client.get(accepted["edges"][0]["href"])
    assert akt in _keys(html)
    status, html = client.get("/network")
    assert status == 200 and "/static/vendor/cytoscape.min.js" in html
    status, js = client.get("/static/vendor/cytoscape.min.js")
    assert status == 200 and "cytoscape" in js[:2000].lower()


def test_host_check_and_security_headers(client):
    status, headers, _ = client.request("GET", "/triples")
    assert status == 200
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"
    assert "httponly" in headers["set-cookie"].lower() and "samesite=strict" in headers["set-cookie"].lower()
    status, _, _ = client.request("GET", "/triples", headers={"Host": "evil.example:8765"})
    assert status == 400  # DNS rebinding: only the loopback names are served


def test_review_command_errors(db, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["review", str(tmp_path / "nothing")])
    assert result.exit_code == 1 and "[E504]" in result.output
    result = runner.invoke(app, ["review", "--db", str(db), "--port", "70000"])
    assert result.exit_code == 2 and "[E801]" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["review", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 1 and "[E706]" in result.output and "Traceback" not in result.output


def test_first_page_of_ten_thousand_is_quick(tmp_path):
    import time

    db = make_db(tmp_path / "big.sqlite", 10_000)
    with BackgroundServer(db) as url:
        c = Client(url)
        c.get("/static/workbench.css")
        times = {}
        for path in ("/triples", "/triples?page=150&sort=rule&dir=desc", "/triples?q=KIN7&state=undecided",
                     "/triples?negated=yes&relation=inhibition", "/api/network"):
            t0 = time.perf_counter()
            status, html = c.get(path)
            times[path] = time.perf_counter() - t0
            assert status == 200
            if path == "/triples":
                assert "<strong>10,000</strong> triples match" in html and len(_keys(html)) == 50
    assert max(times.values()) < 1.0, times

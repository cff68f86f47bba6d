"""The review workbench: a local web server over a run's SQLite database (``biomine review``).

Framework: Starlette, served by uvicorn. Why: Starlette is a small, actively maintained
toolkit (routing, static files, responses) with no ORM, form library or session layer we
would not use; its one extra dependency is anyio, and uvicorn is its reference server
(pure Python with h11). Pages are Jinja2 templates with autoescaping (Jinja2 comes with
spaCy already); the database work is plain sqlite3 in synchronous endpoints, which Starlette
runs in its thread pool. Flask would have done as well; Starlette won on a smaller
dependency set and a server (uvicorn) that is meant for real use, not a development server.

Safety:
- Binds to 127.0.0.1 unless told otherwise; on a loopback address the Host header must
  name the loopback too (defeats DNS rebinding).
- Every piece of text is escaped: templates autoescape, highlighted sentences come from
  pipeline.writers.html (which escapes), scripts fill the page through textContent only,
  and a Content-Security-Policy allows scripts from this server alone (no inline script).
- State changes only by POST with a JSON body and the per-session token (CSRF): a session
  cookie (random, HttpOnly, SameSite=Strict) and a token derived from it with HMAC under a
  secret made at start; a POST whose X-CSRF-Token header does not match is refused (403, E705).
- The database is fixed when the server starts: no request names a file.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.curation import browse, store
from pipeline.curation.feedback import REASONS, SORTS as RULE_SORTS, rule_precision, to_tsv
from pipeline.errors import CurationError

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
COOKIE = "biomine_review_session"
TOKEN_HEADER = "x-csrf-token"
MAX_BODY = 16_384
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """The host part of a Host header value (``[::1]:8765`` -> ``::1``)."""
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """ASGI middleware: refuses a Host header that is not the loopback (when serving on it) and adds
    security headers to every response."""

    def __init__(self, app: ASGIApp, *, loopback_only: bool) -> None:
        self.app = app
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = _host_name(headers.get(b"host", b"").decode("latin-1").lower())
        if self.loopback_only and not is_loopback(host):
            await Response("invalid Host header", status_code=400, media_type="text/plain")(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                         (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer")]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass
class Workbench:
    """What every request shares: the database, the default curator and the token secret."""

    db_path: Path
    curator: str
    secret: bytes

    def token(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    def connect(self) -> sqlite3.Connection:
        return browse.connect_ro(self.db_path)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(ERROR_TYPES=store.ERROR_TYPES, STATES=browse.STATES, PER_PAGE=browse.PER_PAGE,
                       REASONS=REASONS, STATE_LABELS={"accept": "accepted", "reject": "rejected",
                                                      "correct": "corrected", None: "undecided"})
    return env


def _asset_version() -> str:
    """Changes when a static file changes, so browsers do not keep an old script."""
    digest = hashlib.sha1()
    for p in sorted(STATIC.glob("*.*")):
        digest.update(p.name.encode())
        digest.update(str(p.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:10]


def create_app(db_path: Path | str, *, curator: str | None = None, loopback_only: bool = True,
               secret: bytes | None = None) -> Starlette:
    """The workbench as an ASGI app over ``db_path`` (which must exist: E504 otherwise)."""
    db_path = Path(db_path)
    with closing(store.open_store(db_path)):  # checks the database, creates the store's tables, migrates
        pass
    name = store.clean_text(curator, store.MAX_CURATOR) if curator else None
    wb = Workbench(db_path, name or _default_curator(), secret or secrets.token_bytes(32))
    env = _env()
    for name in TEMPLATES.glob("*.html"):  # compile now, so the first page is as quick as the others
        env.get_template(name.name)
    browse.relation_color("")  # loads the relation-type registry
    version = _asset_version()

    def session_of(request: Request) -> tuple[str, bool]:
        sid = request.cookies.get(COOKIE, "")
        if len(sid) == 43 and all(c.isalnum() or c in "-_" for c in sid):
            return sid, False
        return secrets.token_urlsafe(32), True

    def page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        sid, new = session_of(request)
        with closing(wb.connect()) as con:
            counts = store.counts(con)
        html = env.get_template(template).render(csrf=wb.token(sid), curator=wb.curator, counts=counts,
                                                 version=version, path=request.url.path, **ctx)
        response = HTMLResponse(html, status_code=status)
        if new:
            response.set_cookie(COOKIE, sid, httponly=True, samesite="strict", path="/")
        return response

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "missing.html", status=404, title="Not found", what=what)

    def sync(fn: Callable[..., Response]) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            return await run_in_threadpool(fn, request)
        return endpoint

    # --- pages ------------------------------------------------------------------------------------------

    def triples(request: Request) -> Response:
        f = browse.Filters.from_query(request.query_params)
        with closing(wb.connect()) as con:
            result = browse.list_triples(con, f)
            menus = browse.choices(con)
        return page(request, "triples.html", title="Triples", result=result, f=result.filters, menus=menus)

    def triple(request: Request) -> Response:
        key = request.path_params["key"]
        if not store.KEY.match(key):
            return not_found(request, "triple")
        with closing(wb.connect()) as con:
            view = browse.triple_detail(con, key)
            retired = store.current(con, key) if view is None else None
        if view is None:
            if retired:
                return page(request, "retired.html", title="Triple not in this run", d=retired,
                            error_label=store.ERROR_TYPES.get(retired["error_type"] or "", ""))
            return not_found(request, "triple")
        return page(request, "triple.html", title=f"{view['relation_label']} {key}", t=view)

    def document(request: Request) -> Response:
        doc_id = request.query_params.get("id", "")
        with closing(wb.connect()) as con:
            view = browse.document_view(con, doc_id) if doc_id else None
        if view is None:
            return not_found(request, "document")
        return page(request, "document.html", title=view["title"] or doc_id, doc=view)

    def rules(request: Request) -> Response:
        sort = request.query_params.get("sort", "rule")
        sort = sort if sort in RULE_SORTS else "rule"
        with closing(wb.connect()) as con:
            rows = rule_precision(con, sort)
        return page(request, "rules.html", title="Rules", rows=rows, sort=sort)

    def rules_tsv(request: Request) -> Response:
        with closing(wb.connect()) as con:
            body = to_tsv(rule_precision(con))
        return Response(body, media_type="text/tab-separated-values; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="rule_precision.tsv"'})

    def network_page(request: Request) -> Response:
        with closing(wb.connect()) as con:
            menus = browse.choices(con)
        selected = [r for r in request.query_params.getlist("relation") if r in menus["relations"]]
        from pipeline.writers.style import TYPE_COLORS, relation_color

        return page(request, "network.html", title="Network", selected=selected, types=list(TYPE_COLORS.items()),
                    relations=[(r, relation_color(r)) for r in menus["relations"]])

    def network_data(request: Request) -> Response:
        params = request.query_params
        try:
            limit = min(max(int(params.get("limit", "300")), 1), 5000)
        except ValueError:
            limit = 300
        rels = params.getlist("relation") if params.get("filter") == "1" else None
        with closing(wb.connect()) as con:
            data = browse.network(con, rels, undecided=params.get("undecided", "1") == "1", limit=limit)
        return JSONResponse(data)

    # --- decisions --------------------------------------------------------------------------------------

    def refused(detail: str) -> JSONResponse:
        return JSONResponse({"error": str(CurationError("E705", detail=detail)), "code": "E705"}, status_code=403)

    async def decide(request: Request) -> Response:
        sid = request.cookies.get(COOKIE, "")
        sent = request.headers.get(TOKEN_HEADER, "")
        if not sid or not sent or not hmac.compare_digest(sent, wb.token(sid)):
            return refused("missing or wrong session token; reload the page")
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
            return refused(f"cross-origin request from {origin[:80]!r}")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return refused("a decision is sent as application/json")
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "request too large"}, status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            return JSONResponse({"error": "the body is not a JSON object"}, status_code=400)
        try:
            result = await run_in_threadpool(_apply_decision, wb, data)
        except CurationError as exc:
            return JSONResponse({"error": str(exc), "code": exc.code}, status_code=400)
        return JSONResponse(result)

    routes = [
        Route("/", lambda request: RedirectResponse("/triples", status_code=303)),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/triples", sync(triples)),
        Route("/triple/{key}", sync(triple)),
        Route("/doc", sync(document)),
        Route("/rules", sync(rules)),
        Route("/rules.tsv", sync(rules_tsv)),
        Route("/network", sync(network_page)),
        Route("/api/network", sync(network_data)),
        Route("/api/decision", decide, methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(Guard, loopback_only=loopback_only)
    app.state.workbench = wb
    return app


def _apply_decision(wb: Workbench, data: dict[str, Any]) -> dict[str, Any]:
    """Record one POSTed action: accept, reject (with an error type), note (on the current decision) or clear."""
    key = str(data.get("key") or "")
    action = str(data.get("action") or "")
    try:
        curator = store.clean_text(data.get("curator"), store.MAX_CURATOR) or wb.curator
    except ValueError as exc:
        raise CurationError("E704", key=key[:40], detail=f"curator name {exc}") from None
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise CurationError("E704", key=key[:40], detail="a note is text")
    with closing(wb.connect()) as con:  # the store's schema was ensured when the app was made
        changed = False
        if action == "clear":
            changed = store.clear(con, key, curator=curator)
        elif action in ("accept", "reject"):
            error_type = data.get("error_type") or None
            if action == "reject" and not error_type:
                raise CurationError("E704", key=key[:40], detail="a rejection needs an error type "
                                    f"({', '.join(store.ERROR_TYPES)})")
            _, changed = store.record(con, store.Decision(key, action, error_type=error_type, note=note,
                                                          curator=curator), require_known=True)
        elif action == "note":
            old = store.current(con, key) if store.KEY.match(key) else None
            if old is None:
                raise CurationError("E704", key=key[:40], detail="decide first (accept or reject), then add a note")
            corrected = {c: old[c] for c in store.CORRECTED}
            _, changed = store.record(con, store.Decision(key, old["decision"], error_type=old["error_type"],
                                                          note=note, corrected=corrected, curator=curator),
                                      require_known=True)
        else:
            raise CurationError("E704", key=key[:40], detail=f"unknown action {action[:20]!r}; use accept, reject, "
                                "note or clear")
        row = store.current(con, key)
        counts = store.counts(con)
    return {
        "ok": True, "key": key, "changed": changed, "counts": counts,
        "decision": row["decision"] if row else None, "error_type": row["error_type"] if row else None,
        "error_label": store.ERROR_TYPES.get((row or {}).get("error_type") or "", ""),
        "note": row["note"] if row else None, "curator": row["curator"] if row else None,
        "decided_at": row["decided_at"] if row else None,
    }


def _default_curator() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "curator"


# --- serving --------------------------------------------------------------------------------------------

def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free one. E706 when it cannot be bound."""
    sock = None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, addr = infos[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(128)
    except OSError as exc:
        if sock is not None:
            sock.close()
        raise CurationError("E706", host=host, port=port, detail=exc.strerror or str(exc)) from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def make_server(app: ASGIApp) -> Any:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", ws="none",
                            http="h11", server_header=False)
    return uvicorn.Server(config)


def serve(db_path: Path | str, *, host: str = "127.0.0.1", port: int = 8765, curator: str | None = None,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C)."""
    app = create_app(db_path, curator=curator, loopback_only=is_loopback(host))
    sock = bind(host, port)
    if on_ready is not None:
        on_ready(url_of(sock))
    with closing(sock):
        make_server(app).run(sockets=[sock])


class BackgroundServer:
    """The workbench in a thread, for tests and notebooks: ``with BackgroundServer(db) as url: ...``."""

    def __init__(self, db_path: Path | str, *, host: str = "127.0.0.1", port: int = 0, curator: str | None = None):
        self.app = create_app(db_path, curator=curator, loopback_only=is_loopback(host))
        self.sock = bind(host, port)
        self.url = url_of(self.sock)
        self.server = make_server(self.app)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            self.thread.join(0.025)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()

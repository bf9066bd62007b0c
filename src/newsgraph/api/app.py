"""create_app: the FastAPI app over one store; routers per resource, each with its JSON API and its pages."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from .. import __version__
from ..config import Settings
from ..records import Article, Record
from ..store import Store
from ..store.dialects import POOL_OVERFLOW, POOL_SIZE
from ..web import STATIC, make_templates
from .deps import READ_BUDGET_S
from .guard import MAX_BODY, WriteGuard
from .routers import (
    articles,
    charts,
    entities,
    events,
    graphs,
    outlets,
    posts,
    quotes,
    search,
    statements,
    stories,
)

# Pages carry untrusted article text: no inline script may run, whatever got through.
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SAVE_SECONDS = 30.0  # the API's ingest saves the linker's snapshot at most this often
ROUTERS = (stories, articles, entities, quotes, statements, posts, search, events, outlets, charts, graphs)


def _writer(store: Store, settings: Settings | None) -> Callable[[Article], dict[str, Any]]:
    """Ingest one article over HTTP: the pipeline is built on first use; one write at a time."""
    lock = threading.Lock()
    parts: dict[str, Any] = {}

    def ingest(article: Article) -> dict[str, Any]:
        from ..config import load_settings
        from ..extract.pipeline import ArticleExtractor
        from ..store.ingest import restore_linker

        with lock:
            if not parts:
                parts["extractor"] = ArticleExtractor(settings or load_settings())
            # the linker of the store's last snapshot (no replay), kept while nobody else writes to the store
            if "linker" not in parts or not parts["linker"].in_step():
                parts["linker"] = restore_linker(store, settings, checkpoints=False)
            linker = parts["linker"]
            record: Record = parts["extractor"].extract_batch([article])[0]
            # one article over HTTP is answered with its story now: settle it at once, not after the lag
            linker.link(record)
            linker.flush()
            written = store.writer.write(record)
            linker.advance()
            # the snapshot is saved now and then, not per article (it grows with the store): a restart replays
            # the few articles stored after it
            if time.monotonic() - linker.last_save > SAVE_SECONDS:
                linker.checkpoint()
        return {"doc_id": record.doc_id, "story_id": record.story_id, "written": written}

    return ingest


def _offline_docs(app: FastAPI) -> None:
    """/docs from the Swagger UI files shipped in the fastapi-offline package, served here: the API's docs work
    with no network (FastAPI's own /docs loads them from a CDN)."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        import fastapi_offline
    except ImportError:  # an install without it: no /docs rather than one that is blank offline
        return
    files = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs/static", StaticFiles(directory=str(files)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="newsgraph API",
                                   swagger_js_url="/docs/static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs/static/swagger-ui.css",
                                   swagger_favicon_url="/docs/static/favicon.png")


# what a parameter that failed its check wants, in words (the rest: pydantic's own message)
WANTS = {"since": "a date: YYYY, YYYY-MM or YYYY-MM-DD", "until": "a date: YYYY, YYYY-MM or YYYY-MM-DD"}


def _problem(error: dict[str, Any]) -> dict[str, str]:
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(loc) or "the request"
    given = error.get("input")
    wants = WANTS.get(name) or str(error.get("msg", "")).removeprefix("Value error, ")
    return {"name": name, "wants": wants, "given": given if isinstance(given, str) else ""}


def _without_empty(query: bytes) -> bytes:
    if b"=&" not in query + b"&":
        return query
    return b"&".join(part for part in query.split(b"&") if part and not part.endswith(b"="))


@asynccontextmanager
async def _sized_threads(app: FastAPI) -> AsyncIterator[None]:
    """Requests run on at most as many threads as the store has connections: none waits for one."""
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = POOL_SIZE + POOL_OVERFLOW
    yield


def create_app(store: Store, *, allow_write: bool = False, token: str | None = None,
               settings: Settings | None = None,
               ingest: Callable[[Article], dict[str, Any]] | None = None,
               read_budget: float = READ_BUDGET_S, max_body: int = MAX_BODY) -> FastAPI:
    """The app over `store`; read-only unless `allow_write` (and then POST needs `token`)."""
    if allow_write and not token:
        raise ValueError("--allow-write needs a token (--token or NEWSGRAPH_TOKEN)")
    app = FastAPI(title="newsgraph", version=__version__, lifespan=_sized_threads, docs_url=None, redoc_url=None,
                  description="Who said what, where, when, citing which social media posts. "
                              "Every HTML page has a JSON twin under /api/.")
    app.state.store = store
    app.state.allow_write = allow_write
    app.state.token = token
    app.state.templates = make_templates()
    app.state.ingest_article = ingest or _writer(store, settings)
    app.state.read_budget = read_budget
    app.state.settings = settings or Settings()
    for module in ROUTERS:
        app.include_router(module.api)
        app.include_router(module.pages)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _offline_docs(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if not request.url.path.startswith("/api/"):
            # a filter form sends its empty fields (`since=`): on a page, an empty field is no filter
            request.scope["query_string"] = _without_empty(request.scope.get("query_string", b""))
        response = await call_next(request)
        if not request.url.path.startswith("/docs") and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = CSP  # /docs: Swagger UI starts with an inline script
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError):
        if not store.dialect.is_timeout(exc):
            raise exc
        return await http_error(request, HTTPException(
            503, "this request took longer than the server allows; ask for less (fewer words, a smaller page)",
            headers={"Retry-After": "1"}))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return await request_validation_exception_handler(request, exc)
        # a page asked for with a parameter it cannot take: say which and what it wants, on a page
        problems = [_problem(e) for e in exc.errors()]
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": 400, "title": "This page cannot take these parameters",
                                    "problems": problems, "detail": None,
                                    "clear": request.url.path},
            status_code=400)

    @app.get("/healthz", include_in_schema=False)
    def health() -> HTMLResponse:
        return HTMLResponse("ok")

    app.add_middleware(WriteGuard, allow_write=allow_write, token=token, max_body=max_body)
    return app

"""HTTP edge: FastAPI routes that validate, call the pipeline, and shape the reply."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from kbchat.core.config import Settings
from kbchat.ingest.index.changelog import read_changes
from kbchat.ingest.kb.format import design_label
from kbchat.service.answer.check import check
from kbchat.service.answer.engine import Engine, start_reloader
from kbchat.service.answer.pipeline import respond
from kbchat.service.guard.templates import TEMPLATES
from kbchat.service.web import access_log, admin, errors, metrics, openai_api, ratelimit
from kbchat.service.web.deps import EngineDep
from kbchat.service.web.schemas import (
    ChangeOut,
    ChatReply,
    ChatRequest,
    CheckReply,
    CheckRequest,
    CitationOut,
    KbInfoOut,
    ResourceOut,
    SentenceOut,
    SourceOut,
)

RECENT_CHANGES = 10  # publishes and rollbacks listed by GET /api/kb
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not strftime's %B, which follows the process locale
STATIC = Path(__file__).resolve().parent / "static"
# No inline script, no third-party origin: user and KB text can never run as code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
DOCS_CSP = (CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"))


def create_app(settings: Settings, engine_factory: Callable[[], Engine]) -> FastAPI:
    """The app; `engine_factory` runs once, in the lifespan (tests pass a prebuilt engine)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import torch

        torch.set_num_threads(settings.torch_threads)  # per serving process (see Settings)
        engine = engine_factory()
        app.state.engine = engine
        stop = threading.Event()
        start_reloader(engine, stop)
        yield
        stop.set()

    app = FastAPI(title="kbchat", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Cited answers about kratom and mood from a curated knowledge base. Not medical advice.")
    app.state.settings = settings
    # Middleware, innermost first: errors become responses, then the body limit, the security
    # headers, the metrics and, outermost, the access log (each sees the status the client gets).
    errors.install(app, keep_text=settings.log_message_text)
    ratelimit.install(app, settings)
    _install_headers(app)
    metrics.install(app, settings.metrics_multiproc_dir)
    access_log.install(app, keep_text=settings.log_message_text)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _docs(app)
    _routes(app)
    app.include_router(openai_api.router())
    app.include_router(admin.router())
    return app


def _routes(app: FastAPI) -> None:
    @app.post("/api/chat", response_model=ChatReply, responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "object"}}},
              "description": "The reply as JSON, or with `stream: true` as Server-Sent Events: one `sentence` "
                             "event per sentence, then `done` with the whole reply."},
        413: {"description": "Request body too large."},
        422: {"description": "Invalid request, with a message saying what to fix."},
        429: {"description": "Too many questions from this address; see Retry-After."},
        503: {"description": "The knowledge base cannot be reached just now; see Retry-After."},
    }, dependencies=[Depends(ratelimit.limit_chat)])
    def chat(body: ChatRequest, request: Request, engine: EngineDep) -> Any:
        """Answer the last user message; `stream: true` or `Accept: text/event-stream` streams it."""
        turns = body.turns()
        request.state.log["message"] = turns[-1].content  # written only with KBCHAT_LOG_MESSAGE_TEXT (access_log.py)
        reply = ChatReply.from_reply(respond(turns, engine))
        request.state.log.update(route=reply.route, abstained=reply.abstained, index_version=reply.index_version,
                                 mode=reply.mode)
        if body.stream or "text/event-stream" in request.headers.get("accept", ""):
            return StreamingResponse(_events(reply), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return reply

    @app.post("/api/check", response_model=CheckReply, responses={
        413: {"description": "Request body too large."},
        422: {"description": "Invalid request, with a message saying what to fix."},
        429: {"description": "Too many requests from this address; see Retry-After."},
        503: {"description": "The verifier is not trained here (`kbchat verifier train`) or the knowledge base "
                             "cannot be reached just now."},
    }, dependencies=[Depends(ratelimit.limit_chat)])
    def check_claim(body: CheckRequest, request: Request, engine: EngineDep) -> CheckReply:
        """Check one claim against the KB: supported, partly supported, not supported, contradicted or
        no evidence, with the deciding KB sentences. A dosing or substitution claim gets the refusal."""
        if engine.verifier is None:
            raise HTTPException(503, "claim checking needs the trained verifier: run `kbchat verifier train`")
        result = check(engine, engine.verifier, body.claim)
        request.state.log.update(route=result.route, verdict=result.verdict, index_version=engine.index.version)
        resources = []
        if result.verdict == "refused":
            resources = [ResourceOut.model_validate(r) for r in TEMPLATES[result.route].resources]
        return CheckReply(
            verdict=result.verdict, explanation=result.explanation or " ".join(result.refusal), route=result.route,
            sentences=[SentenceOut(text=s.text, citations=list(s.citations), evidence=list(s.evidence))
                       for s in result.evidence.sentences],
            citations=[CitationOut.model_validate(c) for c in result.evidence.citations], resources=resources,
        )

    @app.get("/api/sources/{entry_id}", response_model=SourceOut,
             responses={404: {"description": "No knowledge-base entry has this id."}})
    def source(entry_id: str, engine: EngineDep) -> SourceOut:
        """One KB entry: its bibliographic data and full text."""
        entry = engine.index.entries.get(entry_id)
        if entry is None:
            raise HTTPException(404, f"no knowledge-base entry with id {entry_id!r}")
        return SourceOut(
            id=entry.id, kind=entry.kind, title=entry.title, authors=entry.authors,
            authors_full=list(entry.authors_full), year=entry.year or None, journal=entry.journal,
            design=design_label(entry.design), url=entry.url, doi=entry.doi,
            pmid=entry.pmid, population=entry.population, topics=list(entry.topics), text=entry.body,
            sentences=[engine.index.sentences[i].text for i in engine.index.sentences_of_entry.get(entry.id, [])],
            reviewed_on=entry.reviewed_on or None,
        )

    @app.get("/api/kb", response_model=KbInfoOut)
    def kb_info(engine: EngineDep) -> KbInfoOut:
        """The knowledge base answering now: when it went live, its size, and the latest changes."""
        manifest = engine.index.manifest
        changes = read_changes(engine.holder.store)[-RECENT_CHANGES:][::-1]
        return KbInfoOut(
            index_version=manifest.version, updated_at=manifest.live_since,
            message=f"KB updated on {long_date(manifest.live_since)}", counts=manifest.counts,
            changes=[ChangeOut(at=c.at, action=c.action, version=c.version, summary=c.summary) for c in changes],
        )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", responses={503: {"description": "The index store cannot be reached; see Retry-After."}})
    def readyz(engine: EngineDep) -> dict[str, Any]:
        """The index is loaded and its store answers (503 with Retry-After while a Chroma server is
        away): which version is served, how big."""
        engine.holder.store.require_published()
        manifest = engine.index.manifest
        return {"status": "ready", "index_version": manifest.version, "model": manifest.model,
                "counts": manifest.counts}

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")


def _docs(app: FastAPI) -> None:
    """Swagger UI served from the swagger-ui-bundle package: the default loads it from a CDN."""
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Any:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="kbchat API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")


def long_date(iso: str) -> str:
    """'2026-12-03T09:15:00+00:00' → '3 December 2026' (the date in UTC, as recorded)."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _events(reply: ChatReply) -> Iterator[str]:
    by_n = {c.n: c for c in reply.citations}
    for i, sentence in enumerate(reply.sentences):
        data = {"index": i, **sentence.model_dump(),
                "citation_details": [by_n[n].model_dump() for n in sentence.citations]}
        yield f"event: sentence\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
    yield f"event: done\ndata: {reply.model_dump_json()}\n\n"


def _install_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Any:
        response = await call_next(request)
        docs = request.url.path in ("/docs", "/redoc")
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

"""The `kbchat` command: thin wrappers that parse options, call one core function, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from kbchat.config import Settings, get_settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="kbchat: cited answers about kratom and mood.")
kb_app = typer.Typer(no_args_is_help=True, help="Check the knowledge base.")
index_app = typer.Typer(no_args_is_help=True, help="Inspect the published index.")
seeds_app = typer.Typer(no_args_is_help=True, help="The seed articles' claims.")
app.add_typer(kb_app, name="kb")
app.add_typer(index_app, name="index")
app.add_typer(seeds_app, name="seeds")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@kb_app.command("check")
def kb_check(as_json: JsonOpt = False) -> None:
    """Validate every KB entry; print problems as path:line: message; exit 1 if any."""
    from ingest.validate import check_kb

    settings = get_settings()
    result = check_kb(settings.kb_dir)
    if as_json:
        emit_json({"entries": len(result.entries), "problems": [
            {"path": str(p.path), "line": p.line, "message": p.message} for p in result.problems]})
    else:
        for problem in result.problems:
            typer.echo(str(problem))
        reviewed = sum(e.status == "reviewed" for e in result.entries)
        typer.echo(f"{len(result.entries)} entries ({reviewed} reviewed), {len(result.problems)} problem(s)",
                   err=bool(result.problems))
    if result.problems:
        raise typer.Exit(1)


@app.command()
def ingest(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed everything (after a model change).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build or update the index from kb/ and publish it atomically."""
    from ingest.pipeline import KbInvalid, run_ingest
    from ingest.store import IndexProblem
    from kbchat.embedder import load_embedder

    settings = get_settings()
    try:
        summary = run_ingest(settings, load_model=load_embedder, rebuild=rebuild,
                             show_progress=sys.stderr.isatty() and not as_json)
    except KbInvalid as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        fail(str(exc))
    except IndexProblem as exc:
        fail(str(exc))
    if as_json:
        emit_json(summary.__dict__)
    else:
        typer.echo(summary.line())


@index_app.command("status")
def index_status(as_json: JsonOpt = False) -> None:
    """Print the published version, counts, model and build time."""
    from ingest.store import IndexStore

    manifest = IndexStore(get_settings()).published()
    if manifest is None:
        fail("no index is published yet; run `kbchat ingest`")
        return
    if as_json:
        data = json.loads(manifest.to_json())
        data.pop("entries")
        emit_json(data)
        return
    counts = ", ".join(f"{v} {k}" for k, v in manifest.counts.items())
    typer.echo(f"version {manifest.version}\nbuilt   {manifest.built_at}\nmodel   {manifest.model} (dim {manifest.dim})\ncounts  {counts}")


def main() -> None:  # pragma: no cover - console entry point
    app()


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    """Load the model once, make sure the index is current, and build the engine."""
    from ingest.pipeline import KbInvalid, run_ingest
    from ingest.store import IndexProblem
    from kbchat.embedder import load_embedder
    from service.engine import build_engine

    embedder = load_embedder(settings.embedding_model)
    try:
        summary = run_ingest(settings, load_model=lambda _name: embedder)
        typer.echo(summary.line(), err=True)
        return build_engine(settings, embedder, generator=_generator(settings))
    except KbInvalid as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        fail(str(exc))
    except IndexProblem as exc:
        fail(str(exc))


def _generator(settings: Settings):  # type: ignore[no-untyped-def]
    if settings.llm_provider == "none":
        return None
    from service.generative import chat_model_from_settings

    return chat_model_from_settings(settings)


@app.command()
def ask(question: str, as_json: JsonOpt = False) -> None:
    """Answer one question from the command line (the same reply as POST /api/chat)."""
    from service.followup import Turn
    from service.pipeline import respond
    from service.schemas import ChatReply, Message

    settings = get_settings()
    try:
        Message(role="user", content=question)
    except ValueError as exc:
        fail(str(exc).splitlines()[-1])
    engine = _engine(settings)
    reply = ChatReply.from_reply(respond([Turn("user", question)], engine))
    if as_json:
        typer.echo(reply.model_dump_json(indent=2))
        return
    typer.echo(f"[{reply.route}{', abstained' if reply.abstained else ''}] {reply.answer}")
    for c in reply.citations:
        typer.echo(f"  [{c.n}] {c.authors} ({c.year}). {c.title}. {c.journal}. {c.design}. {c.url}")
    for s in reply.suggestions:
        typer.echo(f"  - {s}")


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Bind address (default KBCHAT_HOST).")] = None,
    port: Annotated[Optional[int], typer.Option(help="Port (default KBCHAT_PORT).")] = None,
) -> None:
    """Build the index if it is missing or stale, then serve the API and the chat page."""
    import uvicorn

    from service.api import create_app

    settings = get_settings()
    engine = _engine(settings)
    app_ = create_app(settings, lambda: engine)
    bind_host, bind_port = host or settings.host, port or settings.port
    typer.echo(f"kbchat serving on http://{bind_host}:{bind_port} (index {engine.index.version})", err=True)
    uvicorn.run(app_, host=bind_host, port=bind_port, log_level="warning")

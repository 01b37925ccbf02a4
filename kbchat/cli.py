"""The `kbchat` command: thin wrappers that parse options, call one core function, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kbchat.core.config import Settings, get_settings
from kbchat.eval.datasets import FAITHFULNESS_FILE, GUARD_FILE, GUARD_TEST_FILE

if TYPE_CHECKING:
    from kbchat.service.answer.engine import Engine

app = typer.Typer(no_args_is_help=True, add_completion=False, help="kbchat: cited answers about kratom and mood.")
kb_app = typer.Typer(no_args_is_help=True, help="Check the knowledge base.")
index_app = typer.Typer(no_args_is_help=True, help="Inspect the published index.")
seeds_app = typer.Typer(no_args_is_help=True, help="The seed articles' claims.")
eval_app = typer.Typer(help="Score retrieval, citations, faithfulness and the guardrail.")
guard_app = typer.Typer(no_args_is_help=True, help="The guardrail's learned heads and policy table.")
app.add_typer(kb_app, name="kb")
app.add_typer(index_app, name="index")
app.add_typer(seeds_app, name="seeds")
app.add_typer(eval_app, name="eval")
app.add_typer(guard_app, name="guard")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@kb_app.command("check")
def kb_check(as_json: JsonOpt = False) -> None:
    """Validate every KB entry; print problems as path:line: message; exit 1 if any."""
    from kbchat.ingest.kb.validate import check_kb

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
    from kbchat.core.embedder import load_embedder
    from kbchat.ingest.index.build import run_ingest

    settings = get_settings()
    with _index_errors():
        summary = run_ingest(settings, load_model=load_embedder, rebuild=rebuild,
                             show_progress=sys.stderr.isatty() and not as_json)
    if as_json:
        emit_json(summary.__dict__)
    else:
        typer.echo(summary.line())


@index_app.command("status")
def index_status(as_json: JsonOpt = False) -> None:
    """Print the published version, counts, model and build time."""
    from kbchat.ingest.index.store import open_store

    manifest = open_store(get_settings()).published()
    if manifest is None:
        fail("no index is published yet; run `kbchat ingest`")
        return
    if as_json:
        data = json.loads(manifest.to_json())
        data.pop("entries")
        emit_json(data)
        return
    counts = ", ".join(f"{v} {k}" for k, v in manifest.counts.items())
    typer.echo(f"version {manifest.version}\nbuilt   {manifest.built_at}\n"
               f"model   {manifest.model} (dim {manifest.dim})\ncounts  {counts}")


@seeds_app.command("audit")
def seeds_audit(
    claims_file: Annotated[Path, typer.Option("--claims", help="The claims file.")] = Path("seeds/claims.yaml"),
    as_json: JsonOpt = False,
) -> None:
    """Print every seed-article claim with its verdict and the KB entries that decide it."""
    from kbchat.ingest.kb.claims import ClaimsError, load_claims, verdict_counts

    if not claims_file.exists():
        fail(f"no claims file at {claims_file}")
    try:
        claims = load_claims(claims_file)
    except ClaimsError as exc:
        fail(str(exc))
        return
    counts = verdict_counts(claims)
    if as_json:
        emit_json({"claims": [c.__dict__ for c in claims], "counts": counts, "total": len(claims)})
        return
    for c in claims:
        typer.echo(f"{c.id} [{c.verdict}] ({c.type}) {c.claim}")
        typer.echo(f"      seeds: {', '.join(c.seeds)}; evidence: {', '.join(c.kb_ids) or '-'}")
        typer.echo(f"      {c.reasoning}")
    typer.echo("\n" + ", ".join(f"{k}: {v}" for k, v in counts.items()) + f"; total {len(claims)}")


@contextmanager
def _index_errors() -> Iterator[None]:
    """KB and index problems become their messages and exit 1, never a traceback."""
    from kbchat.ingest.index.build import KbInvalid
    from kbchat.ingest.index.store import IndexProblem

    try:
        yield
    except KbInvalid as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        fail(str(exc))
    except IndexProblem as exc:
        fail(str(exc))


def _query_engine(settings: Settings) -> Engine:
    """The engine for a command that only reads: it refuses a missing or stale index."""
    from kbchat import bootstrap

    with _index_errors():
        return bootstrap.build(settings, require_current=True)
    raise AssertionError("unreachable: _index_errors exits")


@guard_app.command("train")
def guard_train() -> None:
    """Retrain the guard's heads on service/guard/data/guard_train.jsonl and rewrite the checked-in
    artefact service/guard/data/guard_model.npz (deterministic: fixed seeds)."""
    from kbchat.core.embedder import load_embedder
    from kbchat.service.guard.classifier import ARTEFACT, TRAIN_FILE, save, train

    settings = get_settings()
    models = train(load_embedder(settings.embedding_model), TRAIN_FILE)
    save(models, ARTEFACT)
    typer.echo(f"wrote {ARTEFACT} (key {models.key}, from {TRAIN_FILE})")


@guard_app.command("policy")
def guard_policy(as_json: JsonOpt = False) -> None:
    """Print the guard's policy table (service/guard/policy.py): every pattern group with its route
    and reason, as Markdown, or as JSON with all alternatives."""
    from kbchat.service.guard.policy import FRAGMENTS, POLICY

    if as_json:
        emit_json({
            "groups": [{"name": g.name, "route": g.route, "reason": g.reason, "alternatives": list(g.alternatives)}
                       for g in POLICY],
            "fragments": [{"name": f.name, "route": f.route, "reason": f.reason, "pattern": f.pattern}
                          for f in FRAGMENTS],
        })
        return
    typer.echo("| name | route | reason | alternatives |")
    typer.echo("|---|---|---|---|")
    for g in POLICY:
        typer.echo(f"| {g.name} | {g.route} | {g.reason} | {len(g.alternatives)} |")
    typer.echo("")
    typer.echo("Fragments (plain strings spliced into the patterns above):")
    typer.echo("")
    typer.echo("| name | route | reason |")
    typer.echo("|---|---|---|")
    for f in FRAGMENTS:
        typer.echo(f"| {f.name} | {f.route} | {f.reason} |")


@app.command()
def ask(question: str, as_json: JsonOpt = False) -> None:
    """Answer one question from the command line (the same reply as POST /api/chat)."""
    from kbchat.core.conversation import Turn
    from kbchat.service.answer.pipeline import respond
    from kbchat.service.web.schemas import ChatReply, Message

    settings = get_settings()
    try:
        Message(role="user", content=question)
    except ValueError as exc:
        fail(str(exc).splitlines()[-1])
    engine = _query_engine(settings)
    reply = ChatReply.from_reply(respond([Turn("user", question)], engine))
    if as_json:
        typer.echo(reply.model_dump_json(indent=2))
        return
    typer.echo(f"[{reply.route}{', abstained' if reply.abstained else ''}] {reply.answer}")
    for c in reply.citations:
        venue = f" {c.journal}." if c.journal else ""
        typer.echo(f"  [{c.n}] {c.authors} ({c.year or 'n.d.'}). {c.title}.{venue} {c.design}. {c.url}")
    for s in reply.suggestions:
        typer.echo(f"  - {s}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default KBCHAT_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default KBCHAT_PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default KBCHAT_WORKERS).")] = None,
) -> None:
    """Build the index if it is missing or stale, then serve the API and the chat page."""
    import uvicorn

    settings = get_settings()
    bind_host, bind_port = host or settings.host, port or settings.port
    processes = workers or settings.workers
    from kbchat import bootstrap

    if processes > 1:
        # Only make the index current here (no model load when nothing changed); each worker
        # builds its own engine from the published index, through the same bootstrap.
        with _index_errors():
            typer.echo(bootstrap.publish(settings).line(), err=True)
            version = bootstrap.check_index(settings)
        typer.echo(f"kbchat serving on http://{bind_host}:{bind_port} ({processes} workers, index {version})",
                   err=True)
        _metrics_across_workers(settings)
        uvicorn.run("kbchat.bootstrap:app_from_settings", factory=True, host=bind_host, port=bind_port,
                    workers=processes, log_level="warning")
        return
    from kbchat.core.embedder import load_embedder
    from kbchat.service.web import access_log
    from kbchat.service.web.api import create_app

    embedder = load_embedder(settings.embedding_model)
    with _index_errors():
        typer.echo(bootstrap.publish(settings, embedder).line(), err=True)
        engine = bootstrap.build(settings, embedder)
    typer.echo(f"kbchat serving on http://{bind_host}:{bind_port} (index {engine.index.version})", err=True)
    access_log.configure(keep_text=settings.log_message_text)
    uvicorn.run(create_app(settings, lambda: engine), host=bind_host, port=bind_port, log_level="warning")


def _metrics_across_workers(settings: Settings) -> None:
    """prometheus-client's multiprocess mode for the workers about to start: a fresh folder under the
    data dir, named in the environment they inherit (prometheus-client reads it at import), so
    /metrics adds up all workers. Counts start at zero with each `kbchat serve`."""
    import os

    folder = settings.metrics_multiproc_dir or settings.data_dir / "metrics"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # the previous run's counts (prometheus-client's files only)
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder.resolve())
    get_settings.cache_clear()


def _progress(items, label):  # type: ignore[no-untyped-def]
    """A progress bar on a terminal; silent when piped or in CI."""
    items = list(items)
    if not sys.stderr.isatty():
        return items
    return _Bar(items, label)


class _Bar:
    def __init__(self, items: list[Any], label: str) -> None:
        self.items, self.label = items, label

    def __iter__(self):  # type: ignore[no-untyped-def]
        with typer.progressbar(self.items, label=self.label, file=sys.stderr) as bar:
            yield from bar


def _parse_floors(values: list[str]) -> dict[str, float]:
    floors = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            floors[name.strip()] = float(number)
        except ValueError:
            fail(f"--fail-under takes metric=value, got {value!r}")
    return floors


@eval_app.callback(invoke_without_command=True)
def eval_all(
    ctx: typer.Context,
    url: Annotated[str | None, typer.Option(help="Evaluate a running deployment through POST /api/chat.")] = None,
    questions: Annotated[Path | None, typer.Option(help="Question file (qa_dev.jsonl format).")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="A fast subset: every 4th question.")] = False,
    fail_under: Annotated[
        list[str] | None, typer.Option("--fail-under", help="metric=value; exit 1 if under (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run every metric and write eval/reports/<timestamp>/ (report.md, report.json, plots)."""
    if ctx.invoked_subcommand is not None:
        return
    from kbchat.core.embedder import load_embedder
    from kbchat.eval.clients import HttpClient, InProcessClient
    from kbchat.eval.harness import EvalOptions, evaluate
    from kbchat.eval.report import check_floors, write_report
    from kbchat.service.answer.faithfulness import make_scorer

    settings = get_settings()
    floors = _parse_floors(fail_under or [])
    options = EvalOptions(quick=quick)
    if questions is not None:
        if not questions.exists():
            fail(f"no question file at {questions}")
        options.questions = questions
    if url:
        embedder = load_embedder(settings.embedding_model)
        client: Any = HttpClient(url)
    else:
        engine = _query_engine(settings)
        embedder = engine.embedder
        client = InProcessClient(engine)
    scorer = make_scorer(embedder, settings.nli_model)
    scorer_name = (f"NLI cross-encoder {settings.nli_model}" if settings.nli_model
                   else "embedding + rules (bundled model)")
    try:
        results = evaluate(client, scorer, scorer_name, options, _progress)
    except Exception as exc:  # an unreachable deployment or a bad dataset: say which
        fail(f"evaluation failed: {exc}")
        return
    out = write_report(results)
    problems = check_floors(results, floors)
    if as_json:
        emit_json({k: v for k, v in results.items() if k not in ("latencies_ms",)}
                  | {"report": str(out), "floor_failures": problems})
    else:
        typer.echo((out / "report.md").read_text(encoding="utf-8"))
        typer.echo(f"report written to {out}")
    for problem in problems:
        typer.echo(f"FAIL: {problem}", err=True)
    if problems:
        raise typer.Exit(1)


@eval_app.command("faithfulness")
def eval_faithfulness(
    pairs: Annotated[Path, typer.Option(help="Labelled claim/passage pairs (JSONL).")] = FAITHFULNESS_FILE,
    as_json: JsonOpt = False,
) -> None:
    """Score the faithfulness scorer itself on labelled pairs."""
    from kbchat.core.embedder import load_embedder
    from kbchat.eval.datasets import DatasetError, load_pairs
    from kbchat.eval.scoring import faithfulness_metrics
    from kbchat.service.answer.faithfulness import make_scorer

    settings = get_settings()
    if not pairs.exists():
        fail(f"no pairs file at {pairs}")
    try:
        data = load_pairs(pairs)
    except DatasetError as exc:
        fail(str(exc))
        return
    scorer = make_scorer(load_embedder(settings.embedding_model), settings.nli_model)
    result = faithfulness_metrics(scorer, data, _progress)
    if as_json:
        emit_json({k: v for k, v in result.items() if k != "errors"})
        return
    for key in ("n", "accuracy", "balanced_accuracy", "precision_unsupported", "recall_unsupported", "f1_unsupported"):
        typer.echo(f"{key:24} {result[key]:.3f}" if isinstance(result[key], float) else f"{key:24} {result[key]}")


@eval_app.command("guard")
def eval_guard(
    data: Annotated[Path, typer.Option(help="Labelled messages (guard_dev.jsonl format).")] = GUARD_FILE,
    test: Annotated[bool, typer.Option("--test", help="Score the blind test split (once, at the end).")] = False,
    url: Annotated[str | None, typer.Option(help="Route through a running deployment's POST /api/chat.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Route a labelled set: recall per route, must-refuse recall, over-refusal on research bait,
    crisis cards on harmless messages, confusion and the misses."""
    from kbchat.eval.clients import ChatClient, HttpClient, InProcessClient
    from kbchat.eval.datasets import load_guard
    from kbchat.eval.scoring import guard_metrics, run_guard

    data = GUARD_TEST_FILE if test else data
    if not data.exists():
        fail(f"no guard data at {data}")
    client: ChatClient = HttpClient(url) if url else InProcessClient(_query_engine(get_settings()))
    result = guard_metrics(run_guard(client, load_guard(data), _progress))
    if as_json:
        emit_json(result)
        return
    for key, value in result.items():
        if not isinstance(value, (list, dict)):
            typer.echo(f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}")
    labels = list(result["confusion"])
    typer.echo("\nconfusion (rows expected, columns routed): " + ", ".join(labels))
    for row in labels:
        typer.echo(f"  {row:24} " + " ".join(f"{result['confusion'][row].get(c, 0):4d}" for c in labels))
    typer.echo("\nmisrouted:")
    for miss in result["misrouted"]:
        typer.echo(f"  {miss['id']} expected {miss['expected']}, got {miss['got']}: {miss['message'][:140]!r}")

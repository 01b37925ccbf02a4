"""The `kbchat` command: thin wrappers that parse options, call one core function, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from kbchat.core.config import Settings, get_settings
from kbchat.eval.datasets import FAITHFULNESS_FILE, GUARD_FILE, GUARD_TEST_FILE, QA_FILE, QA_TEST_FILE

if TYPE_CHECKING:
    from kbchat.service.answer.engine import Engine

app = typer.Typer(no_args_is_help=True, add_completion=False, help="kbchat: cited answers about kratom and mood.")
kb_app = typer.Typer(no_args_is_help=True, help="Check, import, review and retire knowledge-base entries.")
import_app = typer.Typer(no_args_is_help=True, help="Create draft study entries from an editor's export.")
index_app = typer.Typer(no_args_is_help=True, help="Inspect the published index.")
seeds_app = typer.Typer(no_args_is_help=True, help="The seed articles' claims.")
eval_app = typer.Typer(help="Score retrieval, citations, faithfulness and the guardrail.")
guard_app = typer.Typer(no_args_is_help=True, help="The guardrail's learned heads and policy table.")
app.add_typer(kb_app, name="kb")
kb_app.add_typer(import_app, name="import")
app.add_typer(index_app, name="index")
app.add_typer(seeds_app, name="seeds")
app.add_typer(eval_app, name="eval")
app.add_typer(guard_app, name="guard")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]
ByOpt = Annotated[str | None, typer.Option("--by", help="Who does this (default: your login name).")]


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


def _who(by: str | None) -> str:
    import getpass

    return by or getpass.getuser()


def _import(source: Literal["pubmed", "doi"], file: Path, entry_id: str | None, as_json: bool) -> None:
    from kbchat.ingest.kb.citation import ImportProblem
    from kbchat.ingest.kb.importer import import_file

    try:
        drafts = import_file(get_settings().kb_dir, source, file, entry_id=entry_id)
    except ImportProblem as exc:
        fail(str(exc))
        return
    if as_json:
        emit_json([{"id": d.id, "path": str(d.path), "doi": d.citation.doi, "pmid": d.citation.pmid} for d in drafts])
        return
    for d in drafts:
        typer.echo(f"draft {d.path}  ({d.citation.doi or 'PMID ' + d.citation.pmid})")
    typer.echo(f"{len(drafts)} draft(s) written: fill in population and topics, write the digest, "
               "then `kbchat kb review ID --by NAME`")


FileArg = Annotated[Path, typer.Argument(help="The saved export.")]
IdOpt = Annotated[str | None, typer.Option("--id", help="The entry id (one record only; default: author-year-word).")]


@import_app.command("pubmed")
def import_pubmed(file: FileArg, entry_id: IdOpt = None, as_json: JsonOpt = False) -> None:
    """PubMed XML (efetch, or PubMed's Save > XML) → draft studies in kb/studies/."""
    _import("pubmed", file, entry_id, as_json)


@import_app.command("doi")
def import_doi(file: FileArg, entry_id: IdOpt = None, as_json: JsonOpt = False) -> None:
    """A DOI's citation as CSL-JSON, RIS or BibTeX → draft studies in kb/studies/."""
    _import("doi", file, entry_id, as_json)


@kb_app.command("review")
def kb_review(
    entry_id: Annotated[str, typer.Argument(help="The entry's id.")],
    by: Annotated[str, typer.Option("--by", help="The reviewer's name.")],
) -> None:
    """Mark an entry reviewed (draft → reviewed, or renew a review) if it passes every check."""
    import datetime as dt

    from kbchat.ingest.kb.review import ReviewProblem, review

    try:
        moved = review(get_settings().kb_dir, entry_id, by=by, on=dt.date.today())
    except ReviewProblem as exc:
        fail(str(exc))
        return
    typer.echo(f"{moved.id}: {moved.before} → reviewed by {by} ({moved.path}); `kbchat publish` makes it live")


@kb_app.command("retire")
def kb_retire(entry_id: Annotated[str, typer.Argument(help="The entry's id.")]) -> None:
    """Take a reviewed entry out of answers (reviewed → retired) at the next publish."""
    from kbchat.ingest.kb.review import ReviewProblem, retire

    try:
        moved = retire(get_settings().kb_dir, entry_id)
    except ReviewProblem as exc:
        fail(str(exc))
        return
    typer.echo(f"{moved.id}: reviewed → retired ({moved.path}); `kbchat publish` takes it out of answers")


@kb_app.command("status")
def kb_status(as_json: JsonOpt = False) -> None:
    """Drafts (and what blocks their review), stale reviews, uncited summary sentences, and citations
    of entries that are not served."""
    import datetime as dt
    from dataclasses import asdict

    from kbchat.ingest.kb.status import kb_status as compute

    settings = get_settings()
    status = compute(settings.kb_dir, today=dt.date.today(), max_age_days=settings.review_max_age_days)
    if as_json:
        emit_json(asdict(status))
        return
    typer.echo(", ".join(f"{n} {s}" for s, n in sorted(status.counts.items())) + f"; {status.problems} problem(s) "
               "in `kbchat kb check`")
    typer.echo(f"\ndrafts ({len(status.drafts)}):")
    for d in status.drafts:
        typer.echo(f"  {d.id}: " + ("ready for `kbchat kb review`" if not d.blockers else
                                    f"{len(d.blockers)} to fix, first: {d.blockers[0]}"))
    typer.echo(f"\nstale reviews, older than {settings.review_max_age_days} days ({len(status.stale)}):")
    for s in status.stale:
        typer.echo(f"  {s.id}: reviewed {s.reviewed_on} ({s.age_days} days ago)")
    typer.echo(f"\nsummary sentences without a citation ({len(status.uncited)}):")
    for u in status.uncited:
        typer.echo(f"  {u.path}:{u.line}: {u.text[:90]}")
    typer.echo(f"\ncitations of entries that are not served ({len(status.unserved_citations)}):")
    for c in status.unserved_citations:
        typer.echo(f"  {c.path}:{c.line}: [@{c.cited}] is {c.cited_status}")


@app.command()
def ingest(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed everything (after a model change).")] = False,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build or update the index from kb/ and publish it atomically, without the eval gate of
    `kbchat publish` (the changelog records it as an ingest)."""
    from kbchat.core.embedder import load_embedder
    from kbchat.ingest.index.build import run_ingest

    settings = get_settings()
    with _index_errors():
        summary = run_ingest(settings, load_model=load_embedder, rebuild=rebuild, who=_who(by),
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


@app.command()
def publish(
    quick: Annotated[bool, typer.Option("--quick", help="Evaluate every 4th QA question only.")] = False,
    questions: Annotated[Path | None, typer.Option(help="QA questions (qa_dev.jsonl format).")] = None,
    guard: Annotated[Path | None, typer.Option(help="Guard messages (guard_dev.jsonl format).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Publish even if a floor is broken (logged).")] = False,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build kb/ beside the live index, evaluate both, print the difference, and swap it in only if
    every floor (KBCHAT_PUBLISH_FLOORS) holds. A running service picks it up within seconds."""
    from kbchat import bootstrap
    from kbchat.bootstrap import scorer_from_settings
    from kbchat.core.embedder import load_embedder
    from kbchat.eval.gate import GateOptions, publish_gated

    settings = get_settings()
    options = GateOptions(quick=quick, force=force)
    for value, name in ((questions, "questions"), (guard, "guard")):
        if value is not None:
            if not value.exists():
                fail(f"no {name} file at {value}")
            setattr(options, name, value)
    embedder = load_embedder(settings.embedding_model)
    with _index_errors():
        result = publish_gated(settings, embedder=embedder, scorer=scorer_from_settings(settings, embedder),
                               engine_for=lambda m, e: bootstrap.build(settings, e, manifest=m),
                               options=options, who=_who(by), progress=_progress)
    from kbchat.eval.gate import report_lines

    if as_json:
        from dataclasses import asdict

        emit_json(asdict(result) | {"published": result.published})
    else:
        for line in report_lines(result):
            typer.echo(line)
    if result.candidate and not result.published:
        fail("not published: a floor is broken (above). Fix the KB, or publish anyway with --force "
             "(the changelog records it); the live index is unchanged")


@app.command()
def rollback(
    version: Annotated[str | None, typer.Argument(help="A version from `kbchat versions` (default: the one "
                                                       "before the live one).")] = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Make an earlier published version live again (in seconds; the service swaps it in)."""
    from kbchat.ingest.index.versions import rollback as roll_back

    with _index_errors():
        change = roll_back(get_settings(), version, who=_who(by))
    if as_json:
        emit_json(json.loads(change.to_json()))
        return
    typer.echo(f"live: {change.version} (was {change.previous}); a running service switches within "
               f"{get_settings().reload_interval_s:g} s. `kbchat publish` publishes kb/ again")


@app.command()
def versions(as_json: JsonOpt = False) -> None:
    """The published versions kept for rollback, with their eval figures."""
    from kbchat.ingest.index.versions import list_versions

    kept, live = list_versions(get_settings())
    if as_json:
        emit_json({"live": live.version if live else None,
                   "versions": [json.loads(m.to_json()) | {"entries": len(m.entries)} for m in kept]})
        return
    from kbchat.ingest.index.versions import version_lines

    for line in version_lines(kept, live):
        typer.echo(line)


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
    test: Annotated[bool, typer.Option("--test", help="Score the blind QA test split (once, at the end).")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="A fast subset: every 4th question.")] = False,
    fail_under: Annotated[
        list[str] | None, typer.Option("--fail-under", help="metric=value; exit 1 if under (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run every metric and write eval/reports/<timestamp>/ (report.md, report.json, plots)."""
    if ctx.invoked_subcommand is not None:
        return
    from kbchat.bootstrap import scorer_from_settings, scorer_name
    from kbchat.core.embedder import load_embedder
    from kbchat.eval.clients import HttpClient, InProcessClient
    from kbchat.eval.harness import EvalOptions, evaluate
    from kbchat.eval.report import check_floors, write_report

    settings = get_settings()
    floors = _parse_floors(fail_under or [])
    options = EvalOptions(quick=quick)
    if test:
        options.questions = QA_TEST_FILE
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
    scorer = scorer_from_settings(settings, embedder)
    try:
        results = evaluate(client, scorer, scorer_name(settings), options, _progress)
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
    pairs: Annotated[list[Path] | None, typer.Option(help="Labelled claim/passage pairs (JSONL); repeatable.")] = None,
    scorer: Annotated[str, typer.Option(help="learned, rules, or both side by side.")] = "both",
    misses: Annotated[int, typer.Option(help="Misses to print per file (0 = none).")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Score the faithfulness scorers themselves: balanced accuracy, per-class precision/recall and
    the share right per kind of pair (paraphrase, number change, negation, ...), with the misses."""
    from kbchat.core.embedder import load_embedder
    from kbchat.eval.datasets import DatasetError, load_pairs
    from kbchat.eval.scoring import faithfulness_metrics
    from kbchat.service.answer.faithfulness import EmbeddingScorer, Scorer
    from kbchat.service.answer.verifier import LearnedVerifier, VerifierMissing

    settings = get_settings()
    if scorer not in ("learned", "rules", "both"):
        fail(f"--scorer must be learned, rules or both, not {scorer!r}")
    files = pairs or [FAITHFULNESS_FILE]
    for path in files:
        if not path.exists():
            fail(f"no pairs file at {path}")
    scorers: dict[str, Scorer] = {}
    embedder = load_embedder(settings.embedding_model)
    try:
        if scorer in ("learned", "both"):
            scorers["learned"] = LearnedVerifier(embedder)
    except VerifierMissing as exc:
        fail(str(exc))
    if scorer in ("rules", "both"):
        scorers["rules"] = EmbeddingScorer(embedder)
    report: dict[str, dict[str, Any]] = {}
    for path in files:
        try:
            data = load_pairs(path)
        except DatasetError as exc:
            fail(str(exc))
            return
        report[path.name] = {name: faithfulness_metrics(s, data, _progress) for name, s in scorers.items()}
    if as_json:
        emit_json(report)
        return
    for name, by_scorer in report.items():
        typer.echo(_faithfulness_table(name, by_scorer))
        for scorer_key, result in by_scorer.items():
            for miss in result["errors"][:misses]:
                typer.echo(f"  miss ({scorer_key}) {miss['id']} [{miss['kind']}, gold {miss['label']}, "
                           f"score {miss['score']}]: {miss['claim']}")


def _faithfulness_table(name: str, by_scorer: dict[str, dict[str, Any]]) -> str:
    scorers = list(by_scorer)
    lines = [f"\n## {name}", "", "| measure | " + " | ".join(scorers) + " |", "|---|" + "---|" * len(scorers)]
    for key in ("n", "balanced_accuracy", "accuracy", "precision_supported", "recall_supported",
                "precision_unsupported", "recall_unsupported", "f1_unsupported"):
        values = [by_scorer[s][key] for s in scorers]
        lines.append(f"| {key} | " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in values) + " |")
    kinds = sorted({k for s in scorers for k in by_scorer[s]["by_kind"]})
    for kind in kinds:
        cells = [by_scorer[s]["by_kind"].get(kind, {"n": 0, "correct": 0.0}) for s in scorers]
        shares = " | ".join(f"{c['correct']:.3f}" for c in cells)
        lines.append(f"| right on {kind} (n={cells[0]['n']}) | {shares} |")
    return "\n".join(lines)


answers_app = typer.Typer(no_args_is_help=True, help="The extractive answerer's calibrated decisions.")
app.add_typer(answers_app, name="answers")


@answers_app.command("calibrate")
def answers_calibrate(
    questions: Annotated[Path, typer.Option(help="Dev questions (never the test split).")] = QA_FILE,
) -> None:
    """Fit the answer-or-abstain model on the dev questions and rewrite
    service/answer/data/answerability.json (deterministic)."""
    from kbchat.eval.calibrate import calibrate
    from kbchat.eval.datasets import load_qa
    from kbchat.service.answer.answerability import ARTEFACT

    if questions.resolve() == QA_TEST_FILE.resolve():
        fail("the test split is scored once and never fitted on: calibrate on dev questions")
    settings = get_settings()
    with _index_errors():
        engine = _query_engine(settings)
    result = calibrate(engine, load_qa(questions))
    ARTEFACT.write_text(result.model.to_json() + "\n", encoding="utf-8")
    typer.echo(f"wrote {ARTEFACT}: {result.n_answerable} answerable / {result.n_unanswerable} unanswerable dev "
               f"questions; answers {result.answerable_kept:.3f} of answerable, abstains on "
               f"{result.unanswerable_abstained:.3f} of unanswerable at threshold {result.model.threshold:.3f}")


verifier_app = typer.Typer(no_args_is_help=True, help="The learned faithfulness verifier.")
app.add_typer(verifier_app, name="verifier")


@verifier_app.command("snapshot")
def verifier_snapshot() -> None:
    """Refresh service/answer/data/verifier_sentences.json from the train entries of kb/ (then retrain)."""
    from kbchat.service.answer.verifier_train import SENTENCES_FILE, snapshot_sentences

    n = snapshot_sentences(get_settings().kb_dir)
    typer.echo(f"wrote {n} sentences to {SENTENCES_FILE}; run `kbchat verifier train` to use them")


@verifier_app.command("train")
def verifier_train(
    dev: Annotated[Path, typer.Option(help="Dev pairs for the threshold.")] = FAITHFULNESS_FILE,
) -> None:
    """Fit the verifier on service/answer/data/verifier_pairs.jsonl plus mechanical edits of the train
    split's KB sentences, features from the frozen bundled model; rewrite service/answer/data/verifier.npz."""
    from kbchat.core.embedder import load_embedder
    from kbchat.core.sentences import strip_citations
    from kbchat.eval.datasets import load_pairs
    from kbchat.service.answer.verifier import ARTEFACT
    from kbchat.service.answer.verifier_train import Pair, TrainConfig, artefact_key, train, training_pairs

    settings = get_settings()
    config = TrainConfig()
    pairs = training_pairs()
    dev_pairs = [Pair(strip_citations(p.claim), strip_citations(p.passage), p.label == "supported", p.kind, "")
                 for p in load_pairs(dev)]
    typer.echo(f"training on {len(pairs)} pairs; threshold from {len(dev_pairs)} dev pairs ({dev})")
    key = artefact_key(settings.embedding_model, config)
    result = train(pairs, dev_pairs, load_embedder(settings.embedding_model), ARTEFACT, key, config, typer.echo)
    typer.echo(f"wrote {ARTEFACT} (key {key}): dev balanced accuracy {result['dev_balanced_accuracy']:.3f} "
               f"at threshold {result['threshold']:.2f}, {result['seconds']:.0f} s")


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


@eval_app.command("claims")
def eval_claims(
    claims: Annotated[Path, typer.Option(help="Graded claims (seeds/claims.yaml format).")] = Path("seeds/claims.yaml"),
    as_json: JsonOpt = False,
) -> None:
    """Run the claim checker on the graded seed claims and print how often it agrees with the grade."""
    from kbchat.eval.claims import claims_agreement
    from kbchat.service.answer.verifier import LearnedVerifier

    settings = get_settings()
    engine = _query_engine(settings)
    result = claims_agreement(engine, LearnedVerifier(engine.embedder), claims)
    if as_json:
        emit_json(result)
        return
    typer.echo(f"agreement {result['agreement']:.3f} on {result['n']} claims")
    for grade, row in result["by_grade"].items():
        typer.echo(f"  {grade:18} n={row['n']:3}  agreement {row['agreement']:.3f}")
    for miss in result["disagreements"]:
        typer.echo(f"  {miss['id']} graded {miss['graded']}, checker {miss['got']}: {miss['claim'][:100]}")


@app.command("check")
def check_command(claim: str, as_json: JsonOpt = False) -> None:
    """Check a claim (say, a sentence from a kratom marketing article) against the KB."""
    from kbchat.service.answer.check import check
    from kbchat.service.answer.verifier import LearnedVerifier

    settings = get_settings()
    engine = _query_engine(settings)
    result = check(engine, LearnedVerifier(engine.embedder), claim)
    if as_json:
        emit_json({"verdict": result.verdict, "explanation": result.explanation, "route": result.route,
                   "evidence": [s.text for s in result.evidence.sentences], "refusal": result.refusal})
        return
    typer.echo(f"[{result.verdict}] {result.explanation or ' '.join(result.refusal)}")
    for sentence in result.evidence.sentences:
        typer.echo(f"  - {sentence.text} {list(sentence.citations)}")

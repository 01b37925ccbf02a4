"""`kbchat publish`'s gate: the real harness on a staged version and the live one, a diff, and a
swap only when every floor holds (or when forced, which the changelog records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat import bootstrap
from kbchat.core.embedder import Embedder
from kbchat.eval.gate import GateOptions, GateResult, publish_gated, report_lines
from kbchat.ingest.index.build import KbInvalid, run_ingest
from kbchat.ingest.index.changelog import read_changes
from kbchat.ingest.index.store import open_store
from kbchat.service.answer.faithfulness import EmbeddingScorer
from tests.helpers import (
    NEW_STUDY_BODY,
    NEW_STUDY_ID,
    STUDY_FRONT,
    copy_kb,
    settings_for,
    write_entry,
    write_small_eval_sets,
)

PASSING = {"qa.answer_cites_expected": 0.5, "guard.must_refuse_recall": 0.6}


@pytest.fixture
def env(tmp_path: Path, embedder: Embedder):  # type: ignore[no-untyped-def]
    kb = copy_kb(tmp_path)
    settings = settings_for(kb, tmp_path / "data", publish_floors=PASSING)
    run_ingest(settings, load_model=lambda _n: embedder)
    qa, guard = write_small_eval_sets(tmp_path)
    return kb, settings, GateOptions(questions=qa, guard=guard)


def gate(settings, embedder: Embedder, options: GateOptions) -> GateResult:  # type: ignore[no-untyped-def]
    return publish_gated(settings, embedder=embedder, scorer=EmbeddingScorer(embedder), options=options,
                         engine_for=lambda m, e: bootstrap.build(settings, e, manifest=m), who="ada")


def add_new_study(kb: Path) -> None:
    write_entry(kb, "studies", NEW_STUDY_ID, STUDY_FRONT.format(id=NEW_STUDY_ID), NEW_STUDY_BODY)


def test_a_passing_candidate_is_published_with_its_diff_figures_and_changed_answers(env, embedder) -> None:  # type: ignore[no-untyped-def]
    kb, settings, options = env
    store = open_store(settings)
    live = store.require_published()
    add_new_study(kb)
    result = gate(settings, embedder, options)
    assert result.published and result.live == live.version
    assert store.require_published().version == result.candidate
    assert result.diff.entries_added == [NEW_STUDY_ID] and len(result.diff.sentences_added) == 2
    # The question about the new study: before, the live index could not cite it; now it does.
    assert (result.before["retrieval.hybrid.recall@5"], result.after["retrieval.hybrid.recall@5"]) == (0.5, 1.0)
    assert (result.before["qa.wrong_abstention"], result.after["qa.wrong_abstention"]) == (0.5, 0.0)
    [changed] = result.answers_changed
    assert changed.id == "n1" and NEW_STUDY_ID in changed.cited_after and NEW_STUDY_ID not in changed.cited_before
    assert result.after["guard.crisis_recall"] == 1.0 and "guard.crisis_recall" not in result.before, \
        "the live version was published by ingest, without recorded guard figures"
    assert result.floor_failures == []
    [_, change] = read_changes(store)
    assert (change.action, change.who, change.version, change.forced) == ("publish", "ada", result.candidate, False)
    assert store.require_published().eval["retrieval.hybrid.recall@5"] == 1.0, "figures kept for `kbchat versions`"
    text = "\n".join(report_lines(result))
    assert f"+ [{NEW_STUDY_ID}] In a fictional 2099" in text and "retrieval.hybrid.recall@5" in text
    assert "0.500 → 1.000" in text and "floors: all hold" in text and "n1 What did the survey" in text


def test_a_broken_floor_refuses_and_changes_nothing_until_forced(env, embedder) -> None:  # type: ignore[no-untyped-def]
    kb, settings, options = env
    settings = settings.model_copy(update={"publish_floors": {"qa.citation_recall": 1.01}})
    store = open_store(settings)
    pointer = (settings.data_dir / "published.json").read_text()
    versions = sorted(p.name for p in (settings.data_dir / "versions").iterdir())
    add_new_study(kb)
    refused = gate(settings, embedder, options)
    assert not refused.published and refused.floor_failures[0].startswith("qa.citation_recall = ")
    assert "FLOOR BROKEN: qa.citation_recall" in "\n".join(report_lines(refused))
    assert (settings.data_dir / "published.json").read_text() == pointer
    assert sorted(p.name for p in (settings.data_dir / "versions").iterdir()) == versions, "the candidate was removed"
    assert len(read_changes(store)) == 1, "a refused publish is not a publish"
    options.force = True
    forced = gate(settings, embedder, options)
    assert forced.published and store.require_published().version == forced.candidate
    change = read_changes(store)[-1]
    assert change.forced and change.floor_failures == forced.floor_failures
    assert "forced past the floors" in "\n".join(report_lines(forced))


def test_nothing_to_publish_and_an_invalid_kb(env, embedder) -> None:  # type: ignore[no-untyped-def]
    kb, settings, options = env
    live = open_store(settings).require_published().version
    same = gate(settings, embedder, options)
    assert same.candidate is None and not same.published
    assert report_lines(same) == [f"nothing to publish: kb/ matches the live index {live}"]
    write_entry(kb, "studies", "bad", STUDY_FRONT.format(id="bad").replace("year: 2021", "year: 1"), "Body.")
    with pytest.raises(KbInvalid):
        gate(settings, embedder, options)
    assert open_store(settings).require_published().version == live

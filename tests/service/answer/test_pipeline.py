"""The pipeline's stages, its trace, and the replies it builds around the guard's decision."""

from __future__ import annotations

from kbchat.core.conversation import Turn
from kbchat.service.answer import pipeline
from kbchat.service.answer.engine import Engine
from kbchat.service.guard.templates import RISK_SENTENCE


def test_run_records_every_stage_for_an_answerable_question(engine: Engine) -> None:
    trace = pipeline.run([Turn("user", "Do kratom users say it helps their depression?")], engine)
    assert trace.decision.route == "answer"
    assert trace.hits and trace.selection is not None and trace.rows
    assert set(trace.rows) <= set(trace.selection.rows)
    assert trace.index.version == engine.index.version


def test_a_refusal_stops_the_trace_before_retrieval(engine: Engine) -> None:
    trace = pipeline.run([Turn("user", "How many grams of kratom should I take?")], engine)
    assert trace.decision.route == "personal_dosing"
    assert trace.hits == [] and trace.selection is None


def test_clean_undoes_hidden_characters_before_anything_reads_them(engine: Engine) -> None:
    hidden = pipeline.run([Turn("user", "How many gr\u200bams of kra\u200btom should I take?")], engine)
    assert hidden.query == "How many grams of kratom should I take?"
    assert hidden.decision.route == "personal_dosing"


def test_a_refusal_with_a_risk_signal_carries_the_crisis_resources() -> None:
    reply = pipeline.template_reply("personal_dosing", "v1", risk=True)
    assert reply.answer.sentences[0].text == RISK_SENTENCE
    hrefs = [r.href for r in reply.resources]
    assert hrefs[0] == "tel:988" and "tel:+18006624357" in hrefs
    assert pipeline.template_reply("personal_dosing", "v1").resources[0].href == "tel:+18006624357"


def test_ranked_entry_ids_rank_the_survey_first_for_its_own_finding(engine: Engine) -> None:
    ranked = pipeline.ranked_entry_ids(engine, "What share of kratom users took it for depression in the 2017 survey?")
    assert ranked[0] == "garcia-romeu-2020-survey"

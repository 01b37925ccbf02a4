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


# --- answer or abstain, overviews ------------------------------------------------------------


def test_bare_topics_are_one_or_two_words_the_message_is_about() -> None:
    for bare in ("kratom", "withdrawal?", "is it addictive", "tell me about kratom", "kratom and depression"):
        assert pipeline.is_bare_topic(bare), bare
    for question in ("Do kratom users say it helps their depression?", "what did the 2017 survey find about pain",
                     "", "???"):
        assert not pipeline.is_bare_topic(question), question


def test_a_bare_topic_gets_the_opening_of_its_summary(engine: Engine) -> None:
    reply = pipeline.respond([Turn("user", "kratom and depression")], engine)
    assert reply.route == "answer" and not reply.abstained
    summary = [s for s in engine.index.sentences if s.entry_id == "evidence-depression"]
    opening = [s.text for s in sorted(summary, key=lambda s: s.position)][: len(reply.answer.sentences)]
    assert [s.text for s in reply.answer.sentences] == opening
    assert reply.answer.citations


def test_a_bare_topic_the_kb_does_not_cover_abstains_instead(engine: Engine) -> None:
    trace = pipeline.run([Turn("user", "ayahuasca")], engine)
    assert not trace.overview
    assert pipeline.overview_summary(engine, trace.index, trace.query_vec) is None


def test_the_decision_uses_the_signals_the_trace_recorded(engine: Engine) -> None:
    trace = pipeline.run([Turn("user", "Do kratom users say it helps their depression?")], engine)
    assert trace.signals is not None and trace.coverage is not None
    assert trace.signals.top_sentence == trace.selection.top_score  # type: ignore[union-attr]
    assert trace.answerable == pipeline.decide(engine, trace)


def test_an_abstention_names_the_nearest_topics_it_does_cover(engine: Engine) -> None:
    reply = pipeline.abstain_reply(engine.index, engine.queries.encode("kratom and depression in teenagers"))
    assert reply.abstained and reply.uncovered is None
    assert "what research says about kratom and depression" in reply.answer.sentences[0].text
    assert reply.suggestions == ["What research says about kratom and depression"]
    named = pipeline.abstain_reply(engine.index, engine.queries.encode("kratom in Canada"), "Canada")
    assert "\u201cCanada\u201d" in named.answer.sentences[0].text and named.uncovered == "Canada"

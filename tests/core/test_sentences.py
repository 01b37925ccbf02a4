from kbchat.core.sentences import citations_in, split_sentences, strip_citations


def test_offsets_point_back_into_the_body() -> None:
    body = "In a 2017 survey of 2,798 users, 65% reported use for depression. In mice, it worked.\n\nA third one."
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "In a 2017 survey of 2,798 users, 65% reported use for depression.",
        "In mice, it worked.",
        "A third one.",
    ]
    assert all(body[s.start : s.end] == s.text for s in sentences)


def test_abbreviations_decimals_and_initials_do_not_split() -> None:
    body = "Doses (e.g. 0.65 g) differed vs. placebo in the U.S. trial by J. Smith. Next sentence."
    assert len(split_sentences(body)) == 2


def test_a_sentence_may_end_on_a_token_like_cyp3a() -> None:
    assert len(split_sentences("Mitragynine inhibits CYP3A. It also binds receptors.")) == 2


def test_summary_sentences_keep_their_citations() -> None:
    (sentence,) = split_sentences("Surveys are self-selected [@grundmann-2017-survey; @garcia-romeu-2020-survey].")
    assert sentence.citations == ("grundmann-2017-survey", "garcia-romeu-2020-survey")
    assert sentence.clean == "Surveys are self-selected."


def test_helpers_on_text_without_citations() -> None:
    assert citations_in("no citation here.") == ()
    assert strip_citations("plain.") == "plain."

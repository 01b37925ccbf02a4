from kbchat.core.conversation import Turn, resolve_query


def turns(*messages: str) -> list[Turn]:
    return [Turn("user" if i % 2 == 0 else "assistant", m) for i, m in enumerate(messages)]


def test_a_new_question_stands_alone() -> None:
    resolved = resolve_query(turns("Does kratom help depression?", "x", "Is kratom legal in Thailand?"))
    assert resolved == "Is kratom legal in Thailand?"


def test_topic_swap_replaces_the_condition() -> None:
    resolved = resolve_query(turns("Does kratom help with depression?", "x", "what about anxiety?"))
    assert resolved == "Does kratom help with anxiety?"


def test_pronoun_follow_up_keeps_the_subject() -> None:
    assert resolve_query(turns("What is 7-OH?", "x", "is that dangerous?")) == "What is 7-OH is that dangerous?"


def test_population_swap() -> None:
    resolved = resolve_query(turns("What do studies in humans show about kratom and mood?", "x", "and in animals?"))
    assert "animals" in resolved and "humans" not in resolved

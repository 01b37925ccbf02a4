from kbchat.eval import metrics as m


def test_recall_and_mrr() -> None:
    ranked = ["a", "b", "c"]
    assert m.recall_at_k(ranked, ["c"], 2) == 0.0 and m.recall_at_k(ranked, ["c"], 3) == 1.0
    assert m.reciprocal_rank(ranked, ["b", "z"]) == 0.5 and m.reciprocal_rank(ranked, ["z"]) == 0.0


def test_binary_scores_on_a_known_table() -> None:
    gold = [True, True, False, False]
    pred = [True, False, True, False]
    s = m.binary_scores(gold, pred)
    assert s["precision"] == 0.5 and s["recall"] == 0.5 and s["accuracy"] == 0.5 and s["balanced_accuracy"] == 0.5


def test_guard_rates() -> None:
    gold = ["answer", "answer", "crisis", "personal_dosing"]
    pred = ["crisis", "answer", "crisis", "answer"]
    assert m.over_refusal(gold, pred, ("crisis", "personal_dosing")) == 0.5
    assert m.route_recall(gold, pred, "crisis") == 1.0 and m.route_recall(gold, pred, "personal_dosing") == 0.0
    assert m.confusion(gold, pred)["personal_dosing"]["answer"] == 1


def test_key_facts_are_case_insensitive() -> None:
    assert m.key_fact_coverage("In 8,049 users, CYP3A ...", ["8,049", "cyp3a", "missing"]) == 2 / 3


def test_a_key_fact_can_list_alternative_wordings():
    assert m.key_fact_coverage("about two thirds of users", ["2/3|two thirds"]) == 1.0
    assert m.key_fact_coverage("about two thirds of users", ["2/3|66%"]) == 0.0
    assert m.key_fact_coverage("anything", ["|"]) == 0.0

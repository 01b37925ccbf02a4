"""The policy table (service/guard/policy.py): the guard's patterns as reviewable data."""

from __future__ import annotations

import re

import pytest

from kbchat.service.guard import crisis, dosing, lexicon, scope, substitution
from kbchat.service.guard.crisis import crisis_rule
from kbchat.service.guard.policy import FRAGMENTS, POLICY, ROUTES, PatternGroup, _rx, group

MODULES = (lexicon, crisis, dosing, substitution, scope)


def test_every_group_compiles_to_what_rx_builds() -> None:
    for g in POLICY:
        assert isinstance(g.regex, re.Pattern)
        assert g.regex.pattern == _rx(*g.alternatives).pattern
        assert g.alternatives and all(isinstance(a, str) and re.compile(a) for a in g.alternatives)


def test_names_are_unique_and_groups_are_complete() -> None:
    names = [g.name for g in POLICY] + [f.name for f in FRAGMENTS]
    assert len(names) == len(set(names))
    for entry in (*POLICY, *FRAGMENTS):
        assert entry.reason.strip(), entry.name
        assert entry.route in ROUTES, entry.name
    assert set(ROUTES) == {"crisis", "personal_dosing", "treatment_substitution", "out_of_scope", "shared"}


def test_module_constants_are_the_tables_regexes() -> None:
    owners = {g.name: [m for m in MODULES if hasattr(m, g.name)] for g in POLICY}
    for g in POLICY:
        assert owners[g.name], f"{g.name} is used by no route module"
        for module in owners[g.name]:
            assert getattr(module, g.name) is g.regex, (module.__name__, g.name)
    for f in FRAGMENTS:
        assert any(getattr(m, f.name, None) is f.pattern for m in MODULES), f.name


def test_no_route_module_builds_its_own_rx_pattern() -> None:
    table = {id(g.regex) for g in POLICY}
    for module in MODULES:
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, re.Pattern) and value.pattern.startswith("(?:"):
                assert id(value) in table, (module.__name__, name)


@pytest.mark.parametrize("name, text, expected", [
    ("SELF_HARM", "i want to kill myself tonight", r"\b(?:kill\w*|hurt\w*|harm\w*|cut\w*|end\w*|hang\w*|shoot\w*|drown\w*|off) (?:my ?self|myself|herself|himself|my life|it all|mine)\b"),
    ("KRATOM", "is mitragynine an opioid?", r"\bmitragyn"),
    ("TOPIC_SWITCH", "totally unrelated, what is a good laptop?", group("TOPIC_SWITCH").alternatives[0]),
    ("EMERGENCY", "my friend is unresponsive after kratom", r"\bunresponsive\b"),
])
def test_which_names_the_alternative_that_matched(name: str, text: str, expected: str) -> None:
    g = group(name)
    assert g.regex.search(text)
    assert g.which(text) == expected
    assert g.fired(text) == f"{name}: {expected}"


def test_which_is_none_when_nothing_matches() -> None:
    assert group("SELF_HARM").which("what do studies say about kratom and sleep?") is None
    assert group("SELF_HARM").fired("hello") == ""


def test_which_returns_the_first_alternative_in_table_order() -> None:
    g = PatternGroup("T", "shared", "A test group.", (r"\bbar\b", r"\bfoo\b"))
    assert g.which("foo bar") == r"\bbar\b"
    assert g.regex.pattern == r"(?:\bbar\b)|(?:\bfoo\b)"


def test_crisis_hit_names_its_pattern() -> None:
    hit = crisis_rule("i think i took way too much kratom, help")
    assert hit is not None and hit.rule == "emergency_now"
    assert hit.pattern == r"EMERGENCY: \b(?:took|taken|had|tok|ate|swallowed|drank|did|used)\b.*\b(?:too much|2 much|to much|too many|way too|way more)\b"
    assert hit.pattern.split(": ", 1)[1] in group("EMERGENCY").alternatives


def test_rule_hit_equality_ignores_the_pattern() -> None:
    assert lexicon.RuleHit("crisis", "self_harm", "SELF_HARM: x") == lexicon.RuleHit("crisis", "self_harm")

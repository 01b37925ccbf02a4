"""The vocabulary more than one policy route reads (shared/policy/guardrails.md).

Every route module of the guard builds on this one: the words that mark kratom, a treatment,
another substance, a personal intent or a research framing, and `RuleHit`, what a rule returns.
The patterns themselves live in the policy table (policy.py, which also defines `_rx`, re-exported
here); it imports only policy.py, which imports no guard module, so the imports cannot form a cycle.
The patterns read normalised text (see normalize.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kbchat.core.conversation import Route
from kbchat.service.guard.policy import _rx as _rx
from kbchat.service.guard.policy import group


@dataclass(frozen=True)
class RuleHit:
    """The route a rule decided and the name of the rule that fired (re-exported by rules.py).

    `pattern` names the policy group and alternative that fired ("SELF_HARM: \\bkill me\\b"),
    for reading logs and tests; it is left out of equality, so hits compare by route and rule.
    """

    route: Route
    rule: str
    pattern: str = field(default="", compare=False)


# --- vocabulary shared by routes -------------------------------------------------------------
KRATOM = group("KRATOM").regex
TREATMENT = group("TREATMENT").regex
OTHER_SUBSTANCE = group("OTHER_SUBSTANCE").regex
# The asker means to act on it: an intent that makes a research-framed sentence a request.
PERSONAL_INTENT = group("PERSONAL_INTENT").regex
# "How much kratom did survey respondents report?" is research (policy: borderline → answer).
REPORTED_AMOUNTS = group("REPORTED_AMOUNTS").regex


def in_scope(text: str) -> bool:
    return bool(KRATOM.search(text))


def research_framed(text: str) -> bool:
    """Asks what research found, with no sign the asker wants to act on it."""
    return bool(REPORTED_AMOUNTS.search(text)) and not PERSONAL_INTENT.search(text)

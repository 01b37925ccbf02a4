"""Policy route 3, treatment_substitution: replacing, stopping, reducing, delaying or combining a
treatment with kratom, for the asker or a specific person, or self-treating a diagnosed condition
with kratom instead of care (shared/policy/guardrails.md).
"""

from __future__ import annotations

import re

from kbchat.service.guard.lexicon import TREATMENT, RuleHit, in_scope, research_framed
from kbchat.service.guard.policy import CHANGE_VERB, ON_TREATMENT, group

# Whose treatment it is: the asker's (FIRST_PERSON) or a specific other person's (SOMEONE).
FIRST_PERSON = group("FIRST_PERSON").regex
SOMEONE = group("SOMEONE").regex
# Replacing, stopping, reducing, delaying or combining (CHANGE_VERB, in policy.py: a change to a treatment).
SUBSTITUTION_ASK = group("SUBSTITUTION_ASK").regex
PERSONAL_ASK = group("PERSONAL_ASK").regex
SELF_TREAT = group("SELF_TREAT").regex
SUBSTITUTION_FOREIGN = group("SUBSTITUTION_FOREIGN").regex
# Up to this many words, a "my" anywhere in the message is taken to own the treatment.
SHORT_MESSAGE_WORDS = 25
# Asking to act, not to know: what a research-framed sentence needs to count as a request.
SELF_ACTION = group("SELF_ACTION").regex


def substitution_rule(text: str, kratom_context: bool) -> RuleHit | None:
    if not (kratom_context or in_scope(text)):
        return None
    if SELF_TREAT.search(text):
        return RuleHit("treatment_substitution", "self_treat_instead_of_care", group("SELF_TREAT").fired(text))
    if not TREATMENT.search(text):
        return None
    personal = bool(FIRST_PERSON.search(text) or SOMEONE.search(text) or _on_treatment(text))
    asks = bool(PERSONAL_ASK.search(text) or "?" in text or re.search(r"\b(?:i'?m|i am|i'll|i will|going|gonna)\b", text))
    if research_framed(text) and not SELF_ACTION.search(text):
        return None  # "do surveys say people use kratom instead of antidepressants?"
    if re.search(rf"\b{CHANGE_VERB}\b", text) and (personal or "?" in text) and (PERSONAL_ASK.search(text) or "?" in text):
        return RuleHit("treatment_substitution", "change_treatment", "CHANGE_VERB")
    # In a long message "my" may belong to anything; there, the treatment itself must be "mine".
    close = _on_treatment(text) or (personal and len(text.split()) <= SHORT_MESSAGE_WORDS)
    if close and asks and SUBSTITUTION_ASK.search(text):
        return RuleHit("treatment_substitution", "kratom_with_my_treatment", group("SUBSTITUTION_ASK").fired(text))
    if personal and SUBSTITUTION_FOREIGN.search(text):
        return RuleHit("treatment_substitution", "change_or_combine_treatment_foreign", group("SUBSTITUTION_FOREIGN").fired(text))
    return None


def _on_treatment(text: str) -> bool:
    """'my sertraline', 'I'm on Lexapro', 'she takes methadone': a specific person's treatment."""
    return any(TREATMENT.match(text, m.end()) for m in re.finditer(ON_TREATMENT, text))

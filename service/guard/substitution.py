"""Policy route 3, treatment_substitution: replacing, stopping, reducing, delaying or combining a
treatment with kratom, for the asker or a specific person, or self-treating a diagnosed condition
with kratom instead of care (shared/policy/guardrails.md).
"""

from __future__ import annotations

import re

from kbchat.service.guard.lexicon import TREATMENT, RuleHit, _rx, in_scope, research_framed

# Whose treatment it is: the asker's (FIRST_PERSON) or a specific other person's (SOMEONE).
FIRST_PERSON = _rx(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|our|us)\b",
                   r"\b(?:podria|quiero|puedo|debo|deberia|estoy|tomo|posso|devo|deveria|estou|tomo|faco|kann ich|soll ich|sollte ich|nehme|puis-je|je peux|dois-je|je prends|est-ce que je)\b", r"\b(?:yo|mi|me|mis)\b",
                   r"\b(?:ich|mir|mich|mein|meine|meinen)\b", r"\b(?:je|j'|moi|mon|ma|mes)\b", r"\b(?:eu|meu|minha|meus)\b")
SOMEONE = _rx(r"\bmy (?:friend|brother|sister|mom|mum|mother|dad|father|husband|wife|partner|boyfriend|girlfriend|son|daughter|roommate|cousin|patient|client|kid|child)\b",
              r"\b(?:he|she|they|someone|somebody|a person|one|a friend|a beginner|a newbie|a first-timer|my character)\b")
# Replacing, stopping, reducing, delaying or preferring: a change to a treatment.
CHANGE_VERB = (
    r"(?:instead of|in place of|replac\w*|substitut\w*|swap\w*|switch\w*|trade|stop\w*|quit\w*|come off|coming off|get off|"
    r"getting off|go off|going off|ditch\w*|drop\w*|taper\w* (?:off|down)?|wean\w* (?:off|myself off)?|cut (?:down|back)|reduc\w*|lower\w*|"
    r"skip\w*|halv\w*|delay\w*|paus\w*|postpon\w*|put off|hold off|give up|giving up|throw\w* (?:out|away)|toss\w* (?:out|away)|flush|no longer (?:need|take)|"
    r"rather than|over (?:my|the)|better than (?:my|the)|replacement for|alternative to|instead|rais\w*|increas\w*|augment\w*|"
    r"(?:still|even|really) need|need my|get rid of|wean\w*|instad|rather|prefer\w*|dump\w*|trash|going full kratom|prefiero|prefiro|lieber|prefere)"
)
SUBSTITUTION_ASK = _rx(
    rf"\b{CHANGE_VERB}\b",
    r"\b(?:combine|combining|mix|mixing|together with|along with|alongside|on top of|with)\b",
    r"\b(?:safe|ok|okay|fine|dangerous|risky|bad|good idea|alright|possible)\b.*\b(?:with|while on|while taking|and)\b",
    r"\bkratom or\b|\bor kratom\b", r"\bcombo\b|\bcombination\b", r"\bkratom (?:\+|and\b|with\b|plus\b)|(?:\+|\band|\bwith|\bplus) kratom\b",
)
PERSONAL_ASK = _rx(
    r"\b(?:podria|puedo|deberia|debo|posso|devo|deveria|kann ich|soll ich|sollte ich|darf ich|puis-je|dois-je|je peux|je pourrais|est-ce que je|quiero saber si|quero saber se)\b",
    r"\b(?:should|can|could|may|might|would|shall) (?:i|we|he|she|they|my \w+|you)\b",
    r"\bis it (?:ok|okay|safe|fine|alright|smart|wise|bad|dangerous|risky|a good idea|a bad idea|possible|worth it)\b",
    r"\b(?:i|we|i'm|i am) (?:want|wanna|need|plan|planning|going|gonna|thinking|considering|intend|hope|would like|trying|ready|about)\b",
    r"\bhelp me\b", r"\bhow (?:do|can|should|would) (?:i|we|he|she)\b", r"\bpodria\b|\bpodrias\b", r"\bwould it (?:work|be ok|be okay|be safe|help|be fine)\b",
    r"\bdo you think (?:i|it|he|she)\b", r"\bwhat if (?:i|he|she)\b", r"\bam i\b", r"\bwill (?:it|kratom|that) (?:be ok|be okay|be safe|work)\b",
    r"\btell me (?:how|if|whether)\b", r"\bgive me\b", r"\bwalk me\b",
    r"\bwhether (?:it'?d|it would|it's|it is|i should|i can|i could|to)\b", r"\bmy question is\b", r"\b(?:so|enough) (?:that )?i can\b",
)
ON_TREATMENT = r"(?:\b(?:my|his|her|their|our)\b(?: \w+){0,2} |\b(?:i'm on|i am on|i'm taking|i am taking|i take|i use|currently on|while on|still on|been on|prescribed|he's on|she's on|they're on)\b(?: \w+){0,3} )"
SELF_TREAT = _rx(
    r"\b(?:treat|manage|fix|cure|handle|self-?medicate|medicate|help) (?:my|his|her|their|our) (?:depression|anxiety|ptsd|adhd|bipolar|panic|ocd|insomnia|pain|addiction|opioid)\b.*\bkratom\b",
    r"\bkratom\b.*\b(?:treat|manage|fix|cure|handle|self-?medicate|for) (?:my|his|her|their) (?:depression|anxiety|ptsd|adhd|bipolar|panic|ocd|addiction|opioid use)\b",
    r"\b(?:instead of|rather than|without) (?:seeing|going to|getting|asking|a|my|the) (?:doctor|psychiatrist|therapist|therapy|treatment|help|gp|professional)\b",
    r"\bdiagnosed\b.*\bkratom\b.*\b(?:should|can|could|would|instead)\b",
)
SUBSTITUTION_FOREIGN = _rx(
    r"\b(?:en lugar de|en vez de|en su lugar|reemplaz\w*|sustitu\w*|cambiar\w*|dejar\w*|suspend\w*|combin\w*|mezcl\w*|con (?:mi|mis)|junto con)\b",
    r"\b(?:avec|con|com|mit|junto|dangereux|peligroso|perigoso|gefahrlich)\b",
    r"\b(?:statt\w*|anstatt|anstelle|ersetzen|absetzen|aufhoren|beenden|weglassen|kombinieren|zusammen mit|umsteigen|wechseln|mit (?:meinem|meiner|meinen))\b",
    r"\b(?:au lieu de|a la place|remplacer|arreter|substituer|combiner|melanger|avec (?:mon|ma|mes))\b",
    r"\b(?:em vez de|no lugar de|substituir|trocar|parar|largar|deixar|combinar|misturar|junto com|com (?:meu|minha|o meu|a minha))\b",
)
# Up to this many words, a "my" anywhere in the message is taken to own the treatment.
SHORT_MESSAGE_WORDS = 25
# Asking to act, not to know: what a research-framed sentence needs to count as a request.
SELF_ACTION = _rx(r"\b(?:should|can|could|may|shall) (?:i|we|he|she|my \w+)\b", r"\bfor me to\b|\b(?:reasonable|ok|okay|safe|fine|smart|wise|better) for me\b", r"\bis it (?:ok|okay|safe|fine|alright|a good idea) (?:for me|to|if i)\b",
                  r"\b(?:i'?m|i am) (?:going|gonna|planning|thinking|about) to\b", r"\bi (?:plan|intend|want|wanna|will) to (?:stop|quit|switch|replace|drop|come off|taper|try)\b",
                  r"\bhelp me (?:stop|quit|switch|replace|come off|taper)\b", r"\b(?:podria|puedo|deberia|debo|posso|devo|deveria|kann ich|soll ich|puis-je|dois-je|je peux)\b")


def substitution_rule(text: str, kratom_context: bool) -> RuleHit | None:
    if not (kratom_context or in_scope(text)):
        return None
    if SELF_TREAT.search(text):
        return RuleHit("treatment_substitution", "self_treat_instead_of_care")
    if not TREATMENT.search(text):
        return None
    personal = bool(FIRST_PERSON.search(text) or SOMEONE.search(text) or _on_treatment(text))
    asks = bool(PERSONAL_ASK.search(text) or "?" in text or re.search(r"\b(?:i'?m|i am|i'll|i will|going|gonna)\b", text))
    if research_framed(text) and not SELF_ACTION.search(text):
        return None  # "do surveys say people use kratom instead of antidepressants?"
    if re.search(rf"\b{CHANGE_VERB}\b", text) and (personal or "?" in text) and (PERSONAL_ASK.search(text) or "?" in text):
        return RuleHit("treatment_substitution", "change_treatment")
    # In a long message "my" may belong to anything; there, the treatment itself must be "mine".
    close = _on_treatment(text) or (personal and len(text.split()) <= SHORT_MESSAGE_WORDS)
    if close and asks and SUBSTITUTION_ASK.search(text):
        return RuleHit("treatment_substitution", "kratom_with_my_treatment")
    if personal and SUBSTITUTION_FOREIGN.search(text):
        return RuleHit("treatment_substitution", "change_or_combine_treatment_foreign")
    return None


def _on_treatment(text: str) -> bool:
    """'my sertraline', 'I'm on Lexapro', 'she takes methadone': a specific person's treatment."""
    return any(TREATMENT.match(text, m.end()) for m in re.finditer(ON_TREATMENT, text))

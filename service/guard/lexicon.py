"""The vocabulary more than one policy route reads (shared/policy/guardrails.md).

Every route module of the guard builds on this one: the `_rx` helper, the words that mark kratom,
a treatment, another substance, a personal intent or a research framing, and `RuleHit`, what a
rule returns. It imports no other guard module, so the guard's imports cannot form a cycle.
The patterns read normalised text (see normalize.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kbchat.core.conversation import Route


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


@dataclass(frozen=True)
class RuleHit:
    """The route a rule decided and the name of the rule that fired (re-exported by rules.py)."""

    route: Route
    rule: str


# --- vocabulary shared by routes -------------------------------------------------------------
KRATOM = _rx(r"\bkratom\b", r"\bstrains?\b", r"\bleaf\b|\bleaves\b|\bleafs\b", r"\balkaloids?\b", r"\bnct04392011\b", r"\bmitragyn", r"\b7-?oh\b", r"\b7-hydroxy", r"hydroxymitragynine", r"\bspeciosa\b",
             r"\bkakuam\b", r"\bbiak\b", r"\bthang\b", r"\bmaeng da\b", r"\b(?:red|green|white) (?:vein|bali|borneo|malay|thai)\b",
             r"\bpseudoindoxyl\b", r"\bmgm-?\d+\b")
TREATMENT = _rx(
    r"\bantidepressant", r"\bssri\b", r"\bsnri\b", r"\bmaoi\b", r"\bmedication\b", r"\bmedicine\b", r"\bprescription\b",
    r"\bprescribed\b", r"\brx\b", r"\bscript\b", r"\btherapy\b", r"\btherapist\b", r"\bcounsel", r"\bcbt\b", r"\bpsychiatrist\b",
    r"\btreatment\b", r"\brehab\b", r"\bclinic\b",
    r"\bsertraline\b", r"\bescitalopram\b", r"\bfluoxetine\b", r"\bvenlafaxine\b", r"\bbupropion\b", r"\bduloxetine\b",
    r"\bparoxetine\b", r"\bcitalopram\b", r"\bmirtazapine\b", r"\btrazodone\b", r"\bamitriptyline\b", r"\blithium\b",
    r"\bquetiapine\b", r"\baripiprazole\b", r"\blamotrigine\b", r"\bbuprenorphine\b", r"\bmethadone\b", r"\bnaltrexone\b",
    r"\bvivitrol\b", r"\bsublocade\b", r"\bgabapentin\b", r"\bpregabalin\b", r"\balprazolam\b", r"\bclonazepam\b",
    r"\bdiazepam\b", r"\blorazepam\b", r"\bbenzo", r"\badderall\b", r"\bopioids? (?:for|prescribed)\b",
    r"\bpain ?killers?\b", r"\boxycodone\b", r"\btramadol\b", r"\bhydrocodone\b",
    # es / de / fr / pt
    r"\bantidepr(?![\w-]*-like)\w*", r"\bantidepresiv", r"\bmedicac", r"\bmedicament", r"\bterapia\b", r"\bterapeuta\b", r"\bpsiquiatra\b", r"\btratamiento\b",
    r"\bsertralina\b", r"\blitio\b", r"\blithium\w*\b", r"\bmetadona\b", r"\bbuprenorfina\b", r"\bfluoxetina\b", r"\bescitalopram\b", r"\bpastillas\b",
    r"\bantidepressiv", r"\bmedikament", r"\btabletten\b", r"\btherapie\b", r"\btherapeut", r"\bsertralin\b", r"\bmethadon\b",
    r"\bbehandlung\b", r"\bantidepresseur", r"\bmedicament", r"\btraitement\b", r"\btherapie\b", r"\bpsychiatre\b",
    r"\bantidepressivo", r"\bremedio", r"\bmedicamento", r"\btratamento\b", r"\bcomprimidos?\b",
)
OTHER_SUBSTANCE = _rx(r"\bst\.? john'?s wort\b", r"\bmagic mushrooms\b", r"\b(?:alcohol|weed|cannabis|cbd|thc|kava|phenibut|caffeine|coffee|nicotine|melatonin|ashwagandha|"
                      r"ibuprofen|tylenol|acetaminophen|st john'?s wort|magnesium|vitamin|psilocybin|mushrooms|ketamine|"
                      r"heroin|fentanyl|cocaine|meth|mdma)\b")
# The asker means to act on it: an intent that makes a research-framed sentence a request.
PERSONAL_INTENT = _rx(
    r"\b(?:should|can|could|do|may|shall) (?:i|we|he|she|my \w+)\b", r"\bfor (?:me|him|her|a beginner|beginners|a first|someone like me)\b", r"\bfor my (?:anxiety|depression|mood|pain|sleep|withdrawal|focus|energy|nerves)\b",
    r"\b(?:i|we) (?:want|wanna|would like|'d like|plan|will|'ll)\b", r"\bi'?d like\b", r"\bi'?ll\b", r"\b(?:copy|same thing|try it|try that)\b", r"\b(?:take|do|use|try|get|want|have) the same\b",
    r"\bi should\b", r"\bshould be taking\b", r"\b(?:i|we) (?:really )?need to know\b", r"\bgive me\b", r"\b(?:draft|print|write) (?:the|a|me)\b",
    r"\b(?:my|his|her) (?:dose|amount|usual|routine)\b", r"\b(?:i take|i'm taking|i'm at|i am at|i use|i'm on)\b", r"\bif you were me\b", r"\brecommend\b",
)
# "How much kratom did survey respondents report?" is research (policy: borderline → answer).
REPORTED_AMOUNTS = _rx(
    r"\b(?:were|was|did|do|does|tend|tended|had|have)\b.*\b(?:patients|users|people|respondents|participants|consumers|infants|babies|products|calls|centers|centres|reports|cases|subjects|mothers|decedents|labels)\b",
    r"\b(?:patients|users|respondents|participants|consumers|infants|products|calls|centers|reports|cases|subjects|mothers|decedents)\b.*\b(?:were|was|did|do|does|tend|tended|had|have|deliver|get|got|need|needed|using|taking)\b",
    r"\b(?:tied|related|linked|associated|predict\w*|correlat\w*|compared?)\b",
    r"\b(?:evidence|according to|acording to|studys|deaths?|deths|overdoses|cases|correspond|chemical|chemistry|alkaloid content|backed|marketing)\b",
    r"\b(?:deces|muertes|mortes|todesfalle|estudios?|etudes?|estudos?|studien|encuestas?|participantes|enquetes?|pesquisas?|umfragen?|investigacion|recherches?|teilnehmer)\b",
    r"\bwhy is (?:dosing|there|it so|dose)\b", r"\b(?:animal|rat|mouse|mice|rodent|primate) (?:experiments?|stud\w*|tests?|research)\b",
    r"\b(?:respondents|participants|users|people|subjects|patients)\b.*\b(?:report|reported|said|took|take|used|use|describe|consumed)\b",
    r"\b(?:reported|described|found|seen|observed|documented|measured|studied|tested) (?:in|by|among)\b", r"\bsurveys?\b", r"\bstud(?:y|ies)\b",
    r"\btrials?\b", r"\bresearch\b", r"\brespondents\b", r"\bparticipants\b", r"\bpapers?\b", r"\bliterature\b",
    r"\b(?:in|from|did|do) (?:the )?(?:studies|study|surveys?|trials?|research|literature)\b", r"\bstudies (?:report|found|show|used|gave)\b",
    r"\b(?:were|was) (?:given|administered|tested)\b", r"\b(?:mg/kg|per kilogram)\b", r"\bin (?:mice|rats|animals|rodents)\b",
    r"\bwhy (?:is there|isn't there|no|can't|cannot|won't|don't)\b", r"\bwhy (?:won't|wont|don't|can't) you\b",
    r"\b(?:how|what) (?:is|are) .*\bmeasured\b", r"\bconten?t of\b.*\b(?:products?|leaf|powder)\b",
    r"\b(?:cuantos|cuanto) .*\b(?:encuesta|estudio|participantes)\b",
)


def in_scope(text: str) -> bool:
    return bool(KRATOM.search(text))


def research_framed(text: str) -> bool:
    """Asks what research found, with no sign the asker wants to act on it."""
    return bool(REPORTED_AMOUNTS.search(text)) and not PERSONAL_INTENT.search(text)

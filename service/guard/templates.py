"""Fixed, reviewed replies for the routes that do not answer from the KB (policy: "Tone").

Plain, warm, brief: what the assistant cannot do, why in one sentence, where to get real help,
and what it can answer instead. Crisis replies lead with the resource and carry no KB content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kbchat.core.conversation import Route


@dataclass(frozen=True)
class Resource:
    label: str
    value: str
    href: str


@dataclass(frozen=True)
class Template:
    sentences: tuple[str, ...]
    suggestions: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = field(default_factory=tuple)


CRISIS_RESOURCES = (
    Resource("Call or text 988 (Suicide & Crisis Lifeline, US)", "988", "tel:988"),
    Resource("Text 988", "988", "sms:988"),
    Resource("Emergency: call 911", "911", "tel:911"),
    Resource("Poison Control: 1-800-222-1222", "1-800-222-1222", "tel:+18002221222"),
    Resource("Outside the US: findahelpline.com", "findahelpline.com", "https://findahelpline.com"),
)
# Opens a dosing or treatment refusal whose message also carries a weaker crisis signal.
RISK_SENTENCE = (
    "If you are thinking about harming yourself or feel unsafe right now, please call or text 988 "
    "(or your local emergency number) first."
)
SAMHSA = Resource("SAMHSA National Helpline: 1-800-662-4357 (free, 24/7)", "1-800-662-4357", "tel:+18006624357")

RESEARCH_QUESTIONS = (
    "Why is there no standard dose for kratom?",
    "What are the risks of kratom dependence and withdrawal?",
    "What does research say about kratom and depression?",
    "Does kratom interact with antidepressants?",
    "What happens when people stop using kratom?",
)

TEMPLATES: dict[Route, Template] = {
    "crisis": Template(
        sentences=(
            "Please reach out for help right now: in the US, call or text 988 (Suicide & Crisis Lifeline), and call 911 if anyone is in danger or has taken too much.",
            "Poison Control is at 1-800-222-1222, and outside the US your local emergency number or findahelpline.com can connect you to someone.",
            "You don't have to go through this alone, and talking to someone now can help.",
        ),
        resources=CRISIS_RESOURCES,
    ),
    "personal_dosing": Template(
        sentences=(
            "I can't give advice on how much, how often, when or which kind of kratom to use, or how to taper it.",
            "There is no standardised dosing for kratom: products vary widely in strength, and regular use carries a risk of dependence.",
            "A doctor or pharmacist can help with decisions about your own use, and for help with substance use the SAMHSA National Helpline (1-800-662-4357) is free and open 24/7.",
        ),
        suggestions=RESEARCH_QUESTIONS[:3],
        resources=(SAMHSA,),
    ),
    "treatment_substitution": Template(
        sentences=(
            "I can't advise on replacing, stopping, changing or combining a treatment with kratom.",
            "Changes to a prescribed treatment are safest when planned with the prescriber, because stopping some antidepressants suddenly can cause discontinuation symptoms or a relapse.",
            "Your prescriber or a pharmacist can look at your own medicines, and the SAMHSA National Helpline (1-800-662-4357) is free and open 24/7.",
        ),
        suggestions=(RESEARCH_QUESTIONS[3], RESEARCH_QUESTIONS[2], RESEARCH_QUESTIONS[4]),
        resources=(SAMHSA,),
    ),
    "out_of_scope": Template(
        sentences=(
            "I only answer questions about kratom: what it is, what research says about it and mood, depression and anxiety, its risks and interactions, and its legal status.",
            "Every answer comes from a curated set of studies and official sources, with citations.",
        ),
        suggestions=("What is kratom?", RESEARCH_QUESTIONS[2], "Is kratom legal in the US?"),
    ),
}

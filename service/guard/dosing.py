"""Policy route 2, personal_dosing: how much, how often, when, which form, strain or product, or
how to taper or stop kratom, for the asker or a specific person (shared/policy/guardrails.md).
"""

from __future__ import annotations

from kbchat.service.guard.lexicon import (
    OTHER_SUBSTANCE,
    PERSONAL_INTENT,
    REPORTED_AMOUNTS,
    TREATMENT,
    RuleHit,
    _rx,
    in_scope,
)

UNIT = r"(?:g|mg|kg|ml|tsp|tbsp|teaspoons?|tablespoons?|spoons?|spoonfuls?|capsules?|caps|pills?|tablets?|scoops?|cups?|shots?|grams?|gramm|gramos|grammes|gramas|gelules)"
ASK_WORD = r"(?:which|what|wich|wat|best|good|better|beter|recommend\w*|recomend\w*|suggest\w*|strongest|strongst|gentlest|mildest|ideal|right|should|for (?:anxiety|anxity|depression|depresion|mood|energy|sleep|pain|focus|motivation|me|my|a beginner|beginners))"
# Something about amount, frequency, timing, form, strain, product or tapering.
DOSING_CUE = _rx(
    rf"\bhow (?:much|mutch|many) (?:kratom(?![- ](?:calls|users|deaths|cases|exposures|products|studies|reports|related|positive|exposed|consumers|vendors|shops|use))|of (?:it|this|that|kratom)|extract|powder|leaf|tea|7-?oh|should|do|can|could|would|is (?:safe|too|ok|okay|enough|normal|right|good|dangerous)|to take|then|before|for|{UNIT}|times|mg)\b",
    r"\bhow (?:much|many)\W*$", r"\bhow much (?:then|now)\b", r"\b(?:what|which) (?:amounts|doses)\b",
    r"\b(?:exact|precise|specific) (?:amounts?|doses?|grams|numbers?)\b", r"\bin (?:grams|g|mg|capsules|teaspoons|tsp)\b", r"\bwhat counts as (?:low|high|a lot|too much)\b", r"\b(?:start|begin) (?:at|with|on) the (?:low|high)\b|\b(?:low|high) end\b",
    r"\b(?:same|similar|bigger|smaller|higher|lower|larger) (?:amounts?|doses?)\b", r"\bkratom (?:schedule|routine|regimen)\b",
    r"\b(?:step down|cold turkey|titrat\w*)\b", r"\b(?:safest|best|fastest|easiest|quickest|gentlest) way to (?:come off|quit|stop|get off|taper|cut)\b",
    r"\bpick (?:one|a strain|for me)\b|\bfor me, which\b", r"\b(?:most potent|strongest|potency)\b.*\b(?:vendor|brand|extract|product|sells|buy)\b",
    r"\b(?:meilleur\w*|mejor\w*|melhor\w*|beste\w*|besser)\b", r"\b(?:variete|capsula|capsulas|cápsula|po|polvo|poudre|pulver|kapseln|gelules)\b.*\b(?:ou|o|oder|or)\b",
    r"\b(?:what|which|the|an?|exact|right|safe|max\w*|min\w*|lowest|highest|typical|normal|usual|starting|startin|daily|ideal|good|proper|perfect|label|recommended|bone|segura|sicher\w*|bonne) (?:amount|amout|dose|quantity|serving|limit|threshold|regimen|routine|schedule(?! (?:i|ii|iii|iv|v|[1-5])\b(?! (?:can|could|should|would|will|need|want|use|follow|take|have|am)\b))|number of (?:g|grams|capsules))\b",
    r"\b(?:dose|redos\w*|re-dos\w*|serving size|dosis|dosierung|posologie|dosagem)\b(?! (?:of )?(?:my|his|her) (?:sertraline|medication|antidepressant))",
    rf"\b\d+(?:[.,]\d+)?\s*(?:-|to|or)?\s*\d*\s*{UNIT}(?![-\w])", rf"(?<!give it )(?<!give kratom )\b(?:a|one|two|three|half a|a few|several) {UNIT}(?![-\w])(?! (?:at|first))", r"\bhandful\b",
    r"\bhow (?:often|ofen|frequently|long|fast)\b.*\b(?:take|tak|use|dose|redose|drink|can i|should i|wait|cut|taper|before)\b",
    r"\b(?:times|x) (?:a|per) (?:day|week)\b", r"\bevery (?:morning|night|evening|other day|\d+ hours?)\b", r"\b\d+ days? (?:on|off)\b",
    r"\b(?:take|tak|use|dose|drink|have) (?:it|kratom|them)? ?(?:every ?day|evry day|daily)\b", r"\b(?:every ?day|evry day|daily)\b.*\b(?:ok|okay|safe|fine|too much)\b",
    r"\b(?:in the )?(?:morning|mornin) or (?:at )?(?:night|nite|evening)\b", r"\b(?:before bed|at bedtime|on an empty stomach|empty stomach|with food|before (?:work|an interview|my (?:job|interview|shift|exam)))\b",
    r"\b(?:when|what time)\b.*\b(?:should|to|do|can)\b.*\b(?:take|tak|dose|use|drink|have)\b",
    rf"\b{ASK_WORD}\b.*\b(?:strains?|strane|vein|vien|brand|vendor)\b", r"\b(?:which|what|wich|wat) (?:kind|type|form) of kratom\b",
    r"\b(?:which|what|wich|wat) (?:kind|type|form|one|color|colour|brand)\b.*\b(?:should|get|buy|take|use|try|for me|order)\b",
    r"\b(?:which|best|better|beter|should|recommend\w*|recomend\w*|strongest|strongst|gentlest|mildest)\b.*\b(?:product|shot|extract|capsules|powder|tea)\b",
    rf"\b(?:strains?|strane|vein|vien|brand|vendor)\b.*\b{ASK_WORD}\b",
    r"\b(?:maeng ?da|borneo|bali|malay|thai|red|green|white)\b.*\b(?:or|vs|versus)\b.*\b(?:maeng ?da|borneo|bali|malay|thai|red|green|white)\b",
    r"\b(?:extract|capsules?|caps|powder|tea|leaf|shots?)\b.*\b(?:or|vs)\b.*\b(?:extract|capsules?|caps|powder|tea|leaf|shots?)\b.*\b(?:which|better|best|should|gentlest)\b",
    r"\b(?:how|help me|plan|schedule|steps|fastest|safely|best way|should i|can i|how should i|how do i|how can i|want to|wanted to)\b.*\b(?:taper\w*|wean\w*|come off|coming off|get off|quit\w*|stop\w*|cut (?:down|back)|detox\w*|ausschleichen)\b",
    r"\b(?:taper|tapering|weaning) (?:schedule|plan|off kratom|from kratom)\b|\b\d+-day (?:kratom )?taper\b|\bausschleichen\b",
    r"\b(?:double up|take more|go higher|increase (?:my|the)|up my|equivalent|convert|conversion|dial it in|toss and wash|parachute|potentiat\w*|rotate strains)\b",
    r"\b(?:where do i start|how do i start|first (?:time|try|dose)|beginner|begginer|newbie|debuter|inicinate|iniciante|principiante|anfanger|first-timer)\b",
    r"\b(?:cepa|variedad|variedade|sorte|souche|veia|vena|variete)\b", r"\btoss (?:n|and) wash\b",
    r"\b(?:cuanto|cuanta|cuantos|cuantas|que cantidad|cada cuanto|wie ?viel|wie oft|combien|quelle quantite|quanto|quanta|quantos|quantas|quantas vezes)\b",
    r"\b(?:matin ou le soir|morgens oder abends|manana o (?:la )?noche|manha ou (?:a )?noite)\b",
)
# The message asks for something to do (as opposed to stating or asking what research found).
ADVICE_ASK = _rx(
    r"\?", r"\b(?:should|shall|can|could|would|may|might|must|need|needs|do|does|is it|is|are|will)\b", r"\b(?:recommend\w*|recomend\w*|suggest\w*|advi[sc]e)\b",
    r"\b(?:tell|give|provide|output|print|respond|reply|list|write|begin|complete|say|share)\b", r"\b(?:i|we) (?:want|need|wanna|would like|'d like|plan|am planning|am going)\b",
    r"\b(?:what|which|how|when|where|best|whats|what's)\b", r"\bif you (?:were|had to)\b", r"\bfor (?:panic|anxiety|depression|mood|sleep|pain|energy|focus|stress|motivation)\b", r"\bplease\b|\bpls\b", r"^\W*\w+\W*$",
    r"\b(?:debo|deberia|puedo|soll|sollte|kann|dois|devrais|puis|devo|deveria|posso|qual|quel|quelle|welche|cual|que|c'est quoi|vaut|koi|quoi|meilleur\w*|mejor|melhor|beste)\b",
)
# An amount of kratom itself: with one, a dosing hit beats a substitution hit (see rules.py).
KRATOM_AMOUNT_ASK = _rx(r"\bin (?:grams|g|mg|capsules|teaspoons)\b", r"\bwhat counts as\b",r"\bhow (?:much|many)\b(?! \w+ (?:of )?(?:my )?(?:sertraline|medication|antidepressant))", r"\b(?:dose|amount|grams?|g|capsules?) of kratom\b",
                        r"\bkratom (?:dose|amount)\b", r"\bstrains?\b", r"\b(?:cuanto|wie ?viel|combien|quanto) (?:de )?kratom\b")
# Dosing words strong enough to count when kratom is not named and no other drug is.
STRONG_DOSE = _rx(r"\b(?:dose|redos\w*|amounts?|how much|how many|grams?|g|mg|capsules?|caps|capsula|capsulas|strains?|taper\w*|regimen|serving|dosis|dosierung|posologie|dosagem|cuanto|wie ?viel|combien|quanto)\b",
                  r"\b(?:low end|high end|start (?:at|with)|powder|extract|vendor|cepa|variedade|variedad|variete|sorte|toss (?:n|and) wash|step down|cold turkey|best time|morning or|before bed)\b",
                  r"\b(?:red|green|white)\b.*\b(?:red|green|white)\b", r"\b(?:po|polvo|poudre)\b")


def dosing_rule(text: str, kratom_context: bool, personal_elsewhere: bool = False) -> RuleHit | None:
    if not (DOSING_CUE.search(text) and ADVICE_ASK.search(text)):
        return None
    if not (kratom_context or in_scope(text)) and (
        OTHER_SUBSTANCE.search(text) or TREATMENT.search(text) or not STRONG_DOSE.search(text)
    ):
        return None  # "starting dose of sertraline?" or "how much is a flight?": not about kratom
    if REPORTED_AMOUNTS.search(text) and not (PERSONAL_INTENT.search(text) or personal_elsewhere):
        return None  # what participants reported is a research fact (policy, route 5)
    return RuleHit("personal_dosing", "dose_request")

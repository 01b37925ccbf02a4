"""Explicit rules for what must never slip through (policy routes 1–3) and for scope.

They read normalised text (see normalize.py). Each rule names the policy line it enforces. A rule
that fires decides the route; otherwise the classifier does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# --- vocabulary ------------------------------------------------------------------------------
KRATOM = _rx(r"\bkratom\b", r"\bmitragyn", r"\b7-?oh\b", r"\b7-hydroxy", r"hydroxymitragynine", r"\bspeciosa\b",
             r"\bkakuam\b", r"\bbiak\b", r"\bthang\b", r"\bmaeng da\b", r"\b(?:red|green|white) (?:vein|bali|borneo|malay|thai)\b",
             r"\bpseudoindoxyl\b", r"\bmgm-?\d+\b")
FIRST_PERSON = _rx(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|our|us)\b", r"\b(?:yo|mi|me|mis)\b",
                   r"\b(?:ich|mir|mich|mein|meine|meinen)\b", r"\b(?:je|j'|moi|mon|ma|mes)\b", r"\b(?:eu|meu|minha|meus)\b")
SOMEONE = _rx(r"\bmy (?:friend|brother|sister|mom|mum|mother|dad|father|husband|wife|partner|boyfriend|girlfriend|son|daughter|roommate|cousin|patient|client|kid|child)\b",
              r"\b(?:he|she|they|someone|somebody|a person|one|a friend|a beginner|a newbie|a first-timer|my character)\b")
REPORTING = _rx(r"\b(?:studies|study|research|researchers|survey|surveys|surveyed|respondents|participants|trial|trials|"
                r"literature|evidence|papers?|data|reported|report|reports|according to|published|scientists|authors)\b",
                r"\bpeople (?:who use|report|typically|usually|say)\b", r"\busers (?:report|say|describe|take|typically|usually)\b")
TREATMENT = _rx(
    r"\bantidepressant", r"\bssri\b", r"\bsnri\b", r"\bmaoi\b", r"\bmedication\b", r"\bmedicine\b", r"\bprescription\b",
    r"\bprescribed\b", r"\brx\b", r"\bscript\b", r"\btherapy\b", r"\btherapist\b", r"\bcounsel", r"\bcbt\b", r"\bpsychiatrist\b",
    r"\btreatment\b", r"\brehab\b", r"\bclinic\b",
    r"\bsertraline\b", r"\bescitalopram\b", r"\bfluoxetine\b", r"\bvenlafaxine\b", r"\bbupropion\b", r"\bduloxetine\b",
    r"\bparoxetine\b", r"\bcitalopram\b", r"\bmirtazapine\b", r"\btrazodone\b", r"\bamitriptyline\b", r"\blithium\b",
    r"\bquetiapine\b", r"\baripiprazole\b", r"\blamotrigine\b", r"\bbuprenorphine\b", r"\bmethadone\b", r"\bnaltrexone\b",
    r"\bvivitrol\b", r"\bsublocade\b", r"\bgabapentin\b", r"\bpregabalin\b", r"\balprazolam\b", r"\bclonazepam\b",
    r"\bdiazepam\b", r"\blorazepam\b", r"\bbenzo", r"\badderall\b", r"\bstimulants?\b", r"\bopioids? (?:for|prescribed)\b",
    r"\bpain ?killers?\b", r"\boxycodone\b", r"\btramadol\b", r"\bhydrocodone\b",
    # es / de / fr / pt
    r"\bantidepresiv", r"\bmedicac", r"\bmedicament", r"\bterapia\b", r"\bterapeuta\b", r"\bpsiquiatra\b", r"\btratamiento\b",
    r"\bsertralina\b", r"\bmetadona\b", r"\bbuprenorfina\b", r"\bfluoxetina\b", r"\bescitalopram\b", r"\bpastillas\b",
    r"\bantidepressiv", r"\bmedikament", r"\btabletten\b", r"\btherapie\b", r"\btherapeut", r"\bsertralin\b", r"\bmethadon\b",
    r"\bbehandlung\b", r"\bantidepresseur", r"\bmedicament", r"\btraitement\b", r"\btherapie\b", r"\bpsychiatre\b",
    r"\bantidepressivo", r"\bremedio", r"\bmedicamento", r"\btratamento\b", r"\bcomprimidos?\b",
)
OTHER_SUBSTANCE = _rx(r"\b(?:alcohol|weed|cannabis|cbd|thc|kava|phenibut|caffeine|coffee|nicotine|melatonin|ashwagandha|"
                      r"ibuprofen|tylenol|acetaminophen|st john'?s wort|magnesium|vitamin|psilocybin|mushrooms|ketamine|"
                      r"heroin|fentanyl|cocaine|meth|mdma)\b")

# --- crisis (policy route 1) -----------------------------------------------------------------
CRISIS_SELF = _rx(
    r"\b(?:kill|hurt|harm|cut|end) (?:myself|my ?self|my life|it all|everything)\b", r"\bsuicidal\b",
    r"\b(?:want|wanna|going|plan|planning|ready|decided|trying) to (?:die|kill|end (?:it|my|things|everything))",
    r"\b(?:don't|do not|dont) (?:want to|wanna) (?:live|be alive|be here|exist|wake up|go on)\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|going on|being alive)\b", r"\bbetter off dead\b",
    r"\bwish i (?:was|were) dead\b", r"\b(?:i'm|i am|feeling|feel) (?:suicidal|like dying|like ending it)\b",
    r"\bthoughts? (?:of|about) (?:suicide|killing myself|ending (?:it|my life)|dying)\b", r"\bsuicide (?:note|plan)\b",
    r"\bself[- ]?harm(?:ing)?\b.*\b(?:i|i'm|me|my)\b|\b(?:i|i'm|me|my)\b.*\bself[- ]?harm", r"\blethal (?:dose|amount)\b.*\b(?:me|myself|i)\b",
    r"\bhow much (?:would|will|does it take to) (?:kill|end)\b", r"\b(?:end|ending) (?:it|my life) (?:with|using)\b",
    r"\bcan'?t (?:go on|take (?:it|this) anymore|do this anymore)\b", r"\bgive up on (?:life|living)\b",
    r"\btake all (?:of )?my\b", r"\b(?:swallow|took|take) (?:the )?(?:whole|entire) (?:bag|bottle|pack)\b",
    # es / de / fr / pt
    r"\b(?:quiero|quisiera) (?:morir|matarme|suicidarme|acabar con (?:todo|mi vida))\b", r"\bsuicid(?:arme|io)\b.*\b(?:yo|me|mi)\b",
    r"\bno quiero (?:vivir|seguir)\b", r"\bquitarme la vida\b", r"\bpensamientos suicidas\b", r"\bhacerme dano\b",
    r"\b(?:ich will|ich möchte|ich mochte|will ich) (?:sterben|nicht mehr leben|mich umbringen)\b", r"\bmich (?:umbringen|toten|selbst verletzen)\b",
    r"\bsuizid", r"\bselbstmord", r"\blebensmude\b", r"\bnicht mehr leben\b",
    r"\b(?:je veux|j'ai envie de) (?:mourir|me tuer|en finir)\b", r"\ben finir\b", r"\bme suicider\b", r"\bidees suicidaires\b",
    r"\bme faire du mal\b", r"\b(?:quero|vou) (?:morrer|me matar|acabar com (?:tudo|a minha vida))\b", r"\bme matar\b",
    r"\bnao quero (?:mais )?viver\b", r"\bpensamentos suicidas\b", r"\bsuicidio\b.*\b(?:eu|me)\b", r"\btirar (?:a )?minha (?:propria )?vida\b",
)
CRISIS_EMERGENCY = _rx(
    r"\b(?:i|i've|i just|just|he|she|they|my \w+)\s*(?:took|take|taken|had|ate|swallowed|drank|did) (?:way )?too (?:much|many)\b",
    r"\b(?:i|i've|i think i|he|she|they|my \w+)\s*(?:overdosed|am overdosing|is overdosing|'m overdosing|are overdosing)\b",
    r"\boverdos(?:ing|ed)\b.*\b(?:now|right now|help|911|what do i do)\b", r"\b(?:i'm|i am|he's|she's|he is|she is|they're|my \w+ is) (?:having|in) (?:a )?(?:seizure|fit|convulsions?)\b",
    r"\b(?:having|had) (?:a )?seizure (?:now|right now|just now)\b", r"\bseizing\b", r"\bconvulsing\b",
    r"\b(?:can'?t|cannot|can not|struggling to|hard to|trouble) (?:breathe|breathing)\b", r"\b(?:isn'?t|not|stopped|barely) breathing\b",
    r"\bchest (?:pain|hurts|is tight|tightness)\b.*\b(?:now|right now|i|my)\b|\b(?:my|i have) chest (?:pain|hurts)\b",
    r"\b(?:unresponsive|won'?t wake up|can'?t wake (?:him|her|them)|not waking up|passed out|unconscious|turning blue|lips are blue)\b",
    r"\bheart (?:is )?(?:racing|pounding) (?:so|really|like)\b.*\b(?:scared|help|now)\b", r"\b(?:call|calling) (?:911|an ambulance)\b",
    r"\b(?:tome|tomo|tomé) (?:demasiado|mucho)\b", r"\bno (?:puedo|puede) respirar\b", r"\bconvulsion", r"\binconsciente\b",
    r"\bzu viel (?:genommen|eingenommen)\b", r"\bkrampfanfall\b", r"\bbekomme keine luft\b", r"\bbewusstlos\b",
    r"\bpris trop\b", r"\bj'ai trop pris\b", r"\bn'arrive (?:pas|plus) a respirer\b", r"\bconvulse\b", r"\binconscient\b",
    r"\btomei (?:demais|muito)\b", r"\bnao (?:consigo|consegue) respirar\b", r"\bdesmaiad", r"\bconvulsao\b",
)

# --- personal dosing (policy route 2) --------------------------------------------------------
AMOUNT = r"\d+(?:[.,]\d+)?\s*(?:-|to)?\s*\d*(?:[.,]\d+)?\s*(?:g|mg|kg|ml|tsp|tbsp|teaspoons?|tablespoons?|spoons?|capsules?|caps|pills?|tablets?|scoops?|cups?|shots?|grams?)\b"
DOSE_NOUN = r"(?:dose|amount|quantity|serving|how much|how many (?:g|grams?|capsules?|caps|pills?|tablets?|teaspoons?|tsp|scoops?|cups?|shots?|spoons?)|number of (?:g|grams|capsules))"
DOSING_ASK = _rx(
    rf"\b(?:how much|how many (?:g|grams?|capsules?|caps|pills?|tablets?|teaspoons?|tsp|scoops?|cups?|shots?|spoons?|mg))\b.*\b(?:should|shall|can|could|would|do|does|need|needs|to take|to use|to dose|to start|to get|to feel|to help|to stop|to replace|is (?:safe|ok|okay|enough|too much|good|right|normal|best)|for (?:me|my|a|someone|anxiety|depression|mood|pain|sleep|energy|withdrawal|a beginner|beginners|first)|i|you)\b",
    rf"\b(?:safe|typical|normal|usual|standard|starting|start|beginner|recommended|effective|ideal|optimal|right|good|proper|correct|max|maximum|minimum|min|average|therapeutic|low|high|moderate|strong|mild|lethal|toxic) (?:dose|amount|quantity|serving|intake)\b",
    rf"\b(?:dose|amount) (?:of kratom )?(?:should|shall|would|do you recommend|is (?:safe|ok|okay|best|right|good|enough))\b",
    rf"\b(?:is|are|would|will) {AMOUNT}.*\b(?:too much|too many|a lot|enough|safe|ok|okay|dangerous|normal|high|low|strong|fine|good|bad)\b",
    rf"\b(?:take|taking|took|use|using|dose|dosing|mix|drink|eat|start|starting|try|increase|up|bump|double|stay at|stick to|go to|go up to|go down to|drop to|cut to)\s+(?:about |around |like |only |just |a )?{AMOUNT}",
    rf"{AMOUNT}.*\b(?:enough|too much|ok|okay|safe|good|right|work|help|should|for (?:anxiety|depression|mood|pain|sleep|me)|a day|daily|per day|at once|a time)\b",
    r"\bhow (?:often|frequently|many times)\b.*\b(?:should|can|could|do|take|use|dose|redose|safe|ok|okay|a day|per day|a week)\b",
    r"\b(?:when|what time|which time|best time|right time)\b.*\b(?:should|to|do)\b.*\b(?:take|dose|use|have|drink|redose)\b",
    r"\b(?:which|what|best|good|strongest|recommended|better)\b.*\b(?:strain|vein|color|colour|kind of kratom|type of kratom|brand|vendor|product|form|capsules or powder|powder or capsules|extract|shot)\b.*\b(?:for|should|best|to|would|recommend|buy|get|take|use|try|me|my)\b",
    r"\b(?:red|green|white|yellow|gold) (?:vein|strain|kratom)?\s*(?:or|vs|versus) (?:red|green|white|yellow|gold)\b",
    r"\bmaeng da or\b|\bor maeng da\b|\bbest strain\b|\bbest kratom\b|\bstrongest (?:strain|kratom)\b",
    r"\b(?:how|best way) (?:do|can|should|could|to|would)?\s*(?:i|we|he|she|they|you|someone|one)?\s*(?:taper|wean|come off|get off|quit|stop|cut down on|cut back on|reduce|kick|detox from|get clean from)\b.*\b(?:kratom|it|this stuff|habit|7-oh|mitragynine)\b",
    r"\b(?:taper|tapering|weaning|detox) (?:plan|schedule|off kratom|from kratom|down)\b",
    r"\b(?:toss and wash|parachute|redose|re-dose|potentiat)",
    r"\bhow (?:should|do|can|would) (?:i|we|you|one|someone) (?:take|use|dose|prepare|brew|make|consume|mix)\b",
    r"\bhow to (?:take|dose|use|prepare|brew|consume|mix) kratom\b",
    r"\bhow long (?:should|do|can) (?:i|we|you|one) (?:wait|take|use|stay)\b",
    r"\bwhat (?:should|do you recommend|would you recommend|would you suggest|do you suggest)\b.*\b(?:take|use|try|buy|start|get)\b",
    # es / de / fr / pt
    r"\b(?:cuanto|cuanta|cuantos|cuantas)\b", r"\bque cantidad\b", r"\bdosis\b", r"\bcada cuanto\b", r"\bcuantas veces\b",
    r"\b(?:debo|deberia|puedo|tengo que) (?:tomar|usar|consumir)\b", r"\bque (?:cepa|variedad|vena|marca)\b",
    r"\bwie ?viel\b", r"\bwie oft\b", r"\bdosis\b", r"\bdosierung\b", r"\bsoll ich\b.*\b(?:nehmen|einnehmen|konsumieren|trinken)\b",
    r"\bwelche (?:sorte|ader|strain|marke)\b", r"\bwann (?:soll|sollte)\b", r"\babsetzen\b.*\bkratom\b|\bkratom\b.*\babsetzen\b",
    r"\bcombien\b", r"\bquelle (?:dose|quantite|souche|variete|marque)\b", r"\bposologie\b", r"\b(?:dois-je|je dois|devrais-je|je devrais|puis-je) (?:prendre|consommer|utiliser)\b",
    r"\ba quelle frequence\b", r"\bquantos?\b", r"\bquantas?\b", r"\bdosagem\b", r"\bdose\b.*\b(?:devo|posso|tomar)\b",
    r"\b(?:devo|deveria|posso) (?:tomar|usar|consumir)\b", r"\bcom que frequencia\b", r"\bqual (?:cepa|variedade|veia|marca)\b",
    r"\bparar de tomar kratom\b|\bdejar (?:el )?kratom\b|\bdejar de tomar kratom\b|\barreter (?:le )?kratom\b|\bkratom absetzen\b|\bmit kratom aufhoren\b",
)
# "How much kratom did survey respondents report?" is research (policy: borderline → answer).
REPORTED_AMOUNTS = _rx(
    r"\b(?:respondents|participants|users|people|subjects|patients)\b.*\b(?:report|reported|said|took|take|used|use|describe|consumed)\b",
    r"\b(?:in|from|did|do) (?:the )?(?:studies|study|surveys?|trials?|research|literature)\b", r"\bstudies (?:report|found|show|used|gave)\b",
    r"\b(?:were|was) (?:given|administered|tested)\b", r"\b(?:mg/kg|per kilogram)\b", r"\bin (?:mice|rats|animals|rodents)\b",
    r"\bwhy (?:is there|isn't there|no|can't|cannot|won't|don't)\b", r"\bwhy (?:won't|wont|don't|can't) you\b",
    r"\b(?:how|what) (?:is|are) .*\bmeasured\b", r"\bconten?t of\b.*\b(?:products?|leaf|powder)\b",
    r"\b(?:cuantos|cuanto) .*\b(?:encuesta|estudio|participantes)\b",
)

# --- treatment substitution (policy route 3) -------------------------------------------------
CHANGE_VERB = (
    r"(?:instead of|in place of|replac\w*|substitut\w*|swap\w*|switch\w*|trade|stop\w*|quit\w*|come off|coming off|get off|"
    r"getting off|go off|going off|ditch\w*|drop\w*|taper\w* (?:off|down)?|wean\w* (?:off|myself off)?|cut (?:down|back)|reduc\w*|lower\w*|"
    r"skip\w*|halv\w*|delay\w*|paus\w*|postpon\w*|put off|hold off|give up|giving up|throw out|flush|no longer (?:need|take)|"
    r"rather than|over (?:my|the)|better than (?:my|the)|replacement for|alternative to|instead)"
)
SUBSTITUTION_ASK = _rx(
    rf"\b{CHANGE_VERB}\b",
    r"\b(?:combine|combining|mix|mixing|together with|along with|alongside|on top of|with)\b",
    r"\b(?:safe|ok|okay|fine|dangerous|risky|bad|good idea|alright|possible)\b.*\b(?:with|while on|while taking|and)\b",
)
PERSONAL_ASK = _rx(r"\b(?:should|shall|can|could|would|will|may|might|is it (?:ok|okay|safe|fine|alright|smart|wise|bad|dangerous|a good idea)|"
                   r"do you think|how do|how can|how should|help me|want to|going to|plan|planning|thinking|considering|i'm|i am|"
                   r"am i|i've|i have|i take|i'm taking|i'm on|i am on|i was|on)\b", r"\?$")
SELF_TREAT = _rx(
    r"\b(?:treat|manage|fix|cure|handle|self-?medicate|medicate|help) (?:my|his|her|their|our) (?:depression|anxiety|ptsd|adhd|bipolar|panic|ocd|insomnia|pain|addiction|opioid)\b.*\bkratom\b",
    r"\bkratom\b.*\b(?:treat|manage|fix|cure|handle|self-?medicate|for) (?:my|his|her|their) (?:depression|anxiety|ptsd|adhd|bipolar|panic|ocd|addiction|opioid use)\b",
    r"\b(?:instead of|rather than|without) (?:seeing|going to|getting|asking|a|my|the) (?:doctor|psychiatrist|therapist|therapy|treatment|help|gp|professional)\b",
    r"\bdiagnosed\b.*\bkratom\b.*\b(?:should|can|could|would|instead)\b",
)
SUBSTITUTION_FOREIGN = _rx(
    r"\b(?:en lugar de|en vez de|reemplazar|sustituir|cambiar|dejar|suspender|combinar|mezclar)\b",
    r"\b(?:statt|anstatt|anstelle|ersetzen|absetzen|aufhoren|weglassen|kombinieren|zusammen mit|umsteigen|wechseln)\b",
    r"\b(?:au lieu de|a la place de|remplacer|arreter|substituer|combiner|melanger|avec mon|avec ma|avec mes)\b",
    r"\b(?:em vez de|no lugar de|substituir|trocar|parar|largar|deixar|combinar|misturar|junto com|com (?:meu|minha|o meu|a minha))\b",
)


@dataclass(frozen=True)
class RuleHit:
    route: str
    rule: str


def in_scope(text: str) -> bool:
    return bool(KRATOM.search(text))


def crisis_rule(text: str) -> RuleHit | None:
    for name, pattern in (("self_harm", CRISIS_SELF), ("emergency_now", CRISIS_EMERGENCY)):
        if pattern.search(text) and not _research_about_crisis(text):
            return RuleHit("crisis", name)
    return None


def _research_about_crisis(text: str) -> bool:
    """'What do studies say about kratom and suicidal thoughts?' is a research question."""
    personal = re.search(r"\b(?:i|i'm|i've|me|my|myself|help|now|right now|911|yo|ich|je|eu|mi|mein|mon|meu)\b", text)
    return bool(REPORTING.search(text)) and not personal


def dosing_rule(text: str, kratom_context: bool) -> RuleHit | None:
    if not DOSING_ASK.search(text):
        return None
    personal = FIRST_PERSON.search(text) or SOMEONE.search(text) or re.search(r"\b(?:should|shall|recommend|suggest|you)\b", text)
    if REPORTED_AMOUNTS.search(text) and not re.search(r"\b(?:should (?:i|we)|can i|do i|for me|my dose|i take|i'm taking|my (?:friend|husband|wife|partner))\b", text):
        return None
    if OTHER_SUBSTANCE.search(text) and not kratom_context and not in_scope(text):
        return None
    if TREATMENT.search(text) and not kratom_context and not in_scope(text):
        return None  # "starting dose of sertraline?" is a question for a prescriber, not about kratom
    if not personal and not _asks_recommended_amount(text):
        return None
    return RuleHit("personal_dosing", "dose_request")


def _asks_recommended_amount(text: str) -> bool:
    return bool(re.search(r"\b(?:safe|typical|normal|usual|standard|starting|beginner|recommended|effective|ideal|optimal|right|good|proper|max|maximum|average)\s+(?:dose|amount|quantity|serving)\b", text)
                or re.search(r"\b(?:how much|how many|how often|best time|which strain|what strain|best strain|best kratom)\b", text)
                or re.search(r"\b(?:cuanto|cuantos|wie ?viel|wie oft|combien|quanto|quantos|dosis|posologie|dosagem)\b", text))


def substitution_rule(text: str, kratom_context: bool) -> RuleHit | None:
    if not (kratom_context or in_scope(text)):
        return None
    if SELF_TREAT.search(text):
        return RuleHit("treatment_substitution", "self_treat_instead_of_care")
    if not TREATMENT.search(text):
        return None
    personal = FIRST_PERSON.search(text) or SOMEONE.search(text)
    if not personal:
        return None
    if SUBSTITUTION_ASK.search(text) and PERSONAL_ASK.search(text):
        return RuleHit("treatment_substitution", "change_or_combine_treatment")
    if SUBSTITUTION_FOREIGN.search(text):
        return RuleHit("treatment_substitution", "change_or_combine_treatment_foreign")
    return None


def apply_rules(text: str, kratom_context: bool) -> RuleHit | None:
    """The first rule that fires, in the policy's priority order."""
    return crisis_rule(text) or dosing_rule(text, kratom_context) or substitution_rule(text, kratom_context)

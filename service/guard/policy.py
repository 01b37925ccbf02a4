"""The guard's policy table: every regex the route modules use, as data an editor can review
beside shared/policy/guardrails.md.

Each `PatternGroup` names one vocabulary, the policy route it serves ("shared" when several
routes read it), one sentence saying why it exists, and its alternatives in order. The route
modules take their compiled patterns from here (`SELF_HARM = group("SELF_HARM").regex`), so this
file is the one source of truth. `Fragment`s are the plain strings spliced into other patterns.
Print the table with `kbchat guard policy` (or `--json`). This module imports no other guard
module, so the guard's imports stay acyclic. The patterns read normalised text (normalize.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

ROUTES = ("crisis", "personal_dosing", "treatment_substitution", "out_of_scope", "shared")


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


@dataclass(frozen=True)
class PatternGroup:
    """One vocabulary of the policy: its alternatives, joined by `_rx` into `regex`."""

    name: str
    route: str
    reason: str
    alternatives: tuple[str, ...]
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", _rx(*self.alternatives))

    @cached_property
    def _each(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(a) for a in self.alternatives)

    def which(self, text: str) -> str | None:
        """The first alternative (its pattern text) that matches `text`, or None."""
        return next((a for a, rx in zip(self.alternatives, self._each, strict=True) if rx.search(text)), None)

    def fired(self, text: str) -> str:
        """'NAME: alternative' for the alternative that matched `text` ('' when none does)."""
        alt = self.which(text)
        return f"{self.name}: {alt}" if alt is not None else ""


@dataclass(frozen=True)
class Fragment:
    """A plain pattern string spliced into other patterns (not compiled on its own)."""

    name: str
    route: str
    reason: str
    pattern: str


# --- fragments: plain strings used inside the groups below -------------------------------------
UNIT = r"(?:g|mg|kg|ml|tsp|tbsp|teaspoons?|tablespoons?|spoons?|spoonfuls?|capsules?|caps|pills?|tablets?|scoops?|cups?|shots?|grams?|gramm|gramos|grammes|gramas|gelules)"
ASK_WORD = r"(?:which|what|wich|wat|best|good|better|beter|recommend\w*|recomend\w*|suggest\w*|strongest|strongst|gentlest|mildest|ideal|right|should|for (?:anxiety|anxity|depression|depresion|mood|energy|sleep|pain|focus|motivation|me|my|a beginner|beginners))"
CHANGE_VERB = (
    r"(?:instead of|in place of|replac\w*|substitut\w*|swap\w*|switch\w*|trade|stop\w*|quit\w*|come off|coming off|get off|"
    r"getting off|go off|going off|ditch\w*|drop\w*|taper\w* (?:off|down)?|wean\w* (?:off|myself off)?|cut (?:down|back)|reduc\w*|lower\w*|"
    r"skip\w*|halv\w*|delay\w*|paus\w*|postpon\w*|put off|hold off|give up|giving up|throw\w* (?:out|away)|toss\w* (?:out|away)|flush|no longer (?:need|take)|"
    r"rather than|over (?:my|the)|better than (?:my|the)|replacement for|alternative to|instead|rais\w*|increas\w*|augment\w*|"
    r"(?:still|even|really) need|need my|get rid of|wean\w*|instad|rather|prefer\w*|dump\w*|trash|going full kratom|prefiero|prefiro|lieber|prefere)"
)
ON_TREATMENT = r"(?:\b(?:my|his|her|their|our)\b(?: \w+){0,2} |\b(?:i'm on|i am on|i'm taking|i am taking|i take|i use|currently on|while on|still on|been on|prescribed|he's on|she's on|they're on)\b(?: \w+){0,3} )"

FRAGMENTS = (
    Fragment("UNIT", "personal_dosing", "Units of amount (grams, capsules, teaspoons...) that make a number a dose for route 2.", UNIT),
    Fragment("ASK_WORD", "personal_dosing", "Words that ask for a pick or a recommendation, used next to strain, vendor or brand for route 2.", ASK_WORD),
    Fragment("CHANGE_VERB", "treatment_substitution", "Verbs that replace, stop, reduce, delay or prefer, the changes to a treatment route 3 declines.", CHANGE_VERB),
    Fragment("ON_TREATMENT", "treatment_substitution", "Wording that ties a treatment to a specific person ('my sertraline', 'she's on methadone') for route 3.", ON_TREATMENT),
)

POLICY = (
    PatternGroup(
        "KRATOM",
        "shared",
        "Marks a message as about kratom, the only topic the policy's Scope section lets the assistant answer.",
        (
            r"\bkratom\b",
            r"\bstrains?\b",
            r"\bleaf\b|\bleaves\b|\bleafs\b",
            r"\balkaloids?\b",
            r"\bnct04392011\b",
            r"\bmitragyn",
            r"\b7-?oh\b",
            r"\b7-hydroxy",
            r"hydroxymitragynine",
            r"\bspeciosa\b",
            r"\bkakuam\b",
            r"\bbiak\b",
            r"\bthang\b",
            r"\bmaeng da\b",
            r"\b(?:red|green|white) (?:vein|bali|borneo|malay|thai)\b",
            r"\bpseudoindoxyl\b",
            r"\bmgm-?\d+\b",
        ),
    ),
    PatternGroup(
        "TREATMENT",
        "shared",
        "Names antidepressants, therapy, buprenorphine, methadone and other prescribed care, the treatments route 3 protects and route 4 treats as another topic.",
        (
            r"\bantidepressant",
            r"\bssri\b",
            r"\bsnri\b",
            r"\bmaoi\b",
            r"\bmedication\b",
            r"\bmedicine\b",
            r"\bprescription\b",
            r"\bprescribed\b",
            r"\brx\b",
            r"\bscript\b",
            r"\btherapy\b",
            r"\btherapist\b",
            r"\bcounsel",
            r"\bcbt\b",
            r"\bpsychiatrist\b",
            r"\btreatment\b",
            r"\brehab\b",
            r"\bclinic\b",
            r"\bsertraline\b",
            r"\bescitalopram\b",
            r"\bfluoxetine\b",
            r"\bvenlafaxine\b",
            r"\bbupropion\b",
            r"\bduloxetine\b",
            r"\bparoxetine\b",
            r"\bcitalopram\b",
            r"\bmirtazapine\b",
            r"\btrazodone\b",
            r"\bamitriptyline\b",
            r"\blithium\b",
            r"\bquetiapine\b",
            r"\baripiprazole\b",
            r"\blamotrigine\b",
            r"\bbuprenorphine\b",
            r"\bmethadone\b",
            r"\bnaltrexone\b",
            r"\bvivitrol\b",
            r"\bsublocade\b",
            r"\bgabapentin\b",
            r"\bpregabalin\b",
            r"\balprazolam\b",
            r"\bclonazepam\b",
            r"\bdiazepam\b",
            r"\blorazepam\b",
            r"\bbenzo",
            r"\badderall\b",
            r"\bopioids? (?:for|prescribed)\b",
            r"\bpain ?killers?\b",
            r"\boxycodone\b",
            r"\btramadol\b",
            r"\bhydrocodone\b",
            # es / de / fr / pt
            r"\bantidepr(?![\w-]*-like)\w*",
            r"\bantidepresiv",
            r"\bmedicac",
            r"\bmedicament",
            r"\bterapia\b",
            r"\bterapeuta\b",
            r"\bpsiquiatra\b",
            r"\btratamiento\b",
            r"\bsertralina\b",
            r"\blitio\b",
            r"\blithium\w*\b",
            r"\bmetadona\b",
            r"\bbuprenorfina\b",
            r"\bfluoxetina\b",
            r"\bescitalopram\b",
            r"\bpastillas\b",
            r"\bantidepressiv",
            r"\bmedikament",
            r"\btabletten\b",
            r"\btherapie\b",
            r"\btherapeut",
            r"\bsertralin\b",
            r"\bmethadon\b",
            r"\bbehandlung\b",
            r"\bantidepresseur",
            r"\bmedicament",
            r"\btraitement\b",
            r"\btherapie\b",
            r"\bpsychiatre\b",
            r"\bantidepressivo",
            r"\bremedio",
            r"\bmedicamento",
            r"\btratamento\b",
            r"\bcomprimidos?\b",
        ),
    ),
    PatternGroup(
        "OTHER_SUBSTANCE",
        "shared",
        "Names substances other than kratom, so a question about them is not mistaken for a kratom dosing question and can be sent out of scope.",
        (
            r"\bst\.? john'?s wort\b",
            r"\bmagic mushrooms\b",
            r"\b(?:alcohol|weed|cannabis|cbd|thc|kava|phenibut|caffeine|coffee|nicotine|melatonin|ashwagandha|"
        r"ibuprofen|tylenol|acetaminophen|st john'?s wort|magnesium|vitamin|psilocybin|mushrooms|ketamine|"
        r"heroin|fentanyl|cocaine|meth|mdma)\b",
        ),
    ),
    PatternGroup(
        "PERSONAL_INTENT",
        "shared",
        "Shows the asker means to act on the answer, which turns a research-framed question into a personal request the policy refuses.",
        (
            r"\b(?:should|can|could|do|may|shall) (?:i|we|he|she|my \w+)\b",
            r"\bfor (?:me|him|her|a beginner|beginners|a first|someone like me)\b",
            r"\bfor my (?:anxiety|depression|mood|pain|sleep|withdrawal|focus|energy|nerves)\b",
            r"\b(?:i|we) (?:want|wanna|would like|'d like|plan|will|'ll)\b",
            r"\bi'?d like\b",
            r"\bi'?ll\b",
            r"\b(?:copy|same thing|try it|try that)\b",
            r"\b(?:take|do|use|try|get|want|have) the same\b",
            r"\bi should\b",
            r"\bshould be taking\b",
            r"\b(?:i|we) (?:really )?need to know\b",
            r"\bgive me\b",
            r"\b(?:draft|print|write) (?:the|a|me)\b",
            r"\b(?:my|his|her) (?:dose|amount|usual|routine)\b",
            r"\b(?:i take|i'm taking|i'm at|i am at|i use|i'm on)\b",
            r"\bif you were me\b",
            r"\brecommend\b",
        ),
    ),
    PatternGroup(
        "REPORTED_AMOUNTS",
        "shared",
        "Frames a question as what studies or participants reported, which the policy answers as research (route 5) rather than refusing as dosing.",
        (
            r"\b(?:were|was|did|do|does|tend|tended|had|have)\b.*\b(?:patients|users|people|respondents|participants|consumers|infants|babies|products|calls|centers|centres|reports|cases|subjects|mothers|decedents|labels)\b",
            r"\b(?:patients|users|respondents|participants|consumers|infants|products|calls|centers|reports|cases|subjects|mothers|decedents)\b.*\b(?:were|was|did|do|does|tend|tended|had|have|deliver|get|got|need|needed|using|taking)\b",
            r"\b(?:tied|related|linked|associated|predict\w*|correlat\w*|compared?)\b",
            r"\b(?:evidence|according to|acording to|studys|deaths?|deths|overdoses|cases|correspond|chemical|chemistry|alkaloid content|backed|marketing)\b",
            r"\b(?:deces|muertes|mortes|todesfalle|estudios?|etudes?|estudos?|studien|encuestas?|participantes|enquetes?|pesquisas?|umfragen?|investigacion|recherches?|teilnehmer)\b",
            r"\bwhy is (?:dosing|there|it so|dose)\b",
            r"\b(?:animal|rat|mouse|mice|rodent|primate) (?:experiments?|stud\w*|tests?|research)\b",
            r"\b(?:respondents|participants|users|people|subjects|patients)\b.*\b(?:report|reported|said|took|take|used|use|describe|consumed)\b",
            r"\b(?:reported|described|found|seen|observed|documented|measured|studied|tested) (?:in|by|among)\b",
            r"\bsurveys?\b",
            r"\bstud(?:y|ies)\b",
            r"\btrials?\b",
            r"\bresearch\b",
            r"\brespondents\b",
            r"\bparticipants\b",
            r"\bpapers?\b",
            r"\bliterature\b",
            r"\b(?:in|from|did|do) (?:the )?(?:studies|study|surveys?|trials?|research|literature)\b",
            r"\bstudies (?:report|found|show|used|gave)\b",
            r"\b(?:were|was) (?:given|administered|tested)\b",
            r"\b(?:mg/kg|per kilogram)\b",
            r"\bin (?:mice|rats|animals|rodents)\b",
            r"\bwhy (?:is there|isn't there|no|can't|cannot|won't|don't)\b",
            r"\bwhy (?:won't|wont|don't|can't) you\b",
            r"\b(?:how|what) (?:is|are) .*\bmeasured\b",
            r"\bconten?t of\b.*\b(?:products?|leaf|powder)\b",
            r"\b(?:cuantos|cuanto) .*\b(?:encuesta|estudio|participantes)\b",
        ),
    ),
    PatternGroup(
        "REPORTING",
        "crisis",
        "Recognises a question about what research says on suicide or emergencies, so it is not mistaken for a person in crisis.",
        (
            r"\b(?:studies|study|research|researchers|survey|surveys|surveyed|respondents|participants|trial|trials|"
        r"literature|evidence|papers?|data|reported|report|reports|according to|published|scientists|authors|"
        r"analysis|analyses|nsduh|linked|link|associated|association|rates?|statistics|prevalence|among|cases?|deaths)\b",
            r"\bpeople (?:who use|report|typically|usually|say)\b",
            r"\busers (?:report|say|describe|take|typically|usually)\b",
        ),
    ),
    PatternGroup(
        "SELF_HARM",
        "crisis",
        "Catches first-person risk of suicide or self-harm, which route 1 puts above every other route.",
        (
            r"\b(?:kill\w*|hurt\w*|harm\w*|cut\w*|end\w*|hang\w*|shoot\w*|drown\w*|off) (?:my ?self|myself|herself|himself|my life|it all|mine)\b",
            r"\b(?:end\w*|finish\w*) (?:it|things|everything) (?:all |tonight|today|now|for good|soon)",
            r"\b(?:i'm|i am|i've been|i feel|i get|i got|feeling|been feeling|getting|i was|am|seriously|really) (?:so |really |very |kind of |kinda |pretty |a bit |a little )?(?:suicidal|considering suicide|contemplating suicide)\b",
            r"\b(?:thinking|thought|thoughts|think) (?:about|of) (?:suicide|killing|ending|dying|hurting|cutting|jumping)\b",
            r"\bsuicid\w* (?:thoughts|ideation|feelings|urges|plan|note)\b.*\b(?:i|i'm|i've|me|my|every|tonight|again)\b",
            r"\b(?:i|i'm|i've|me|my)\b.*\bsuicid\w* (?:thoughts|ideation|feelings|urges|plan|note)\b",
            r"\b(?:wants?|wanna|wana|going|gonna|gona|plan\w*|ready|decided|trying|about) (?:to )?(?:b |be )?(?:die|dead|kill|end (?:it|my|things|everything)|disappear|not wake|never wake|sleep forever|sleep for good)",
            r"\b(?:don'?t|do not|dont) (?:want to|wanna|wana) (?:live|be alive|be here|exist|wake up|go on)\b",
            r"\bwant\w* (?:it|this|everything|things) (?:all )?(?:over|to end|to stop)\b",
            r"\bdone with (?:everything|life|it all|living)\b",
            r"\b(?:wish i (?:could|was|were)|i could just) (?:go to sleep and never|never|dead|not wake|disappear)",
            r"\bnever wake up\b",
            r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive|anything)\b",
            r"\bwhat'?s the point (?:of living|of life|anymore|of going on|of anything)",
            r"\bbetter off (?:dead|without me)\b",
            r"\bwho would (?:even )?miss me\b",
            r"\bgoodbye (?:letters?|notes?|messages?)\b",
            r"\b(?:jump\w*) (?:off|from|in front)\b",
            r"\bengine running\b",
            r"\bdon'?t see (?:a|any) (?:future|way out)\b",
            r"\bno future for me\b",
            r"\b(?:i'm|i am) done with (?:everything|life|it all|living)\b",
            r"\btonight is the night\b",
            r"\bways to do it\b",
            r"\bplanning mine\b",
            r"\b(?:started|start|been|keep) (?:cutting|burning|hurting) (?:again|myself)?\b",
            r"\bcutting (?:again|myself)\b",
            r"\bself[- ]?harm\w* (?:urges?|again|tonight)\b",
            r"\burges? to (?:self[- ]?harm|hurt myself|cut|die)\b",
            r"\b(?:i|i've|i'm|me)\b.*\bself[- ]?harm",
            r"\bto kill (?:me|myself)\b",
            r"\bkill me\b",
            r"\bhate myself\b.*\b(?:disappear|die|dead|gone)\b",
            r"\b(?:took|take|taken|swallowed|ate|taking|gonna take|going to take)\b.*\b(?:on purpose|to (?:die|end it|not wake up|sleep forever))\b",
            r"\b(?:take|swallow|took|swallowed) (?:every|all (?:the|of|my)?|the rest of|a handful of|everything)\b.*\b(?:i (?:got|have|had)|my|left|at once|cabinet)\b",
            r"\bgive up on (?:life|living|everything)\b",
            r"\brather be dead\b",
            r"\b(?:make|making) (?:it|this|everything) stop for good\b",
            r"\b(?:won'?t|not|don'?t think i'?ll|may not) be (?:around|here|alive) (?:much )?(?:longer|anymore|tomorrow|next week)\b",
            r"\bbe done with it\b",
            r"\bsaving up (?:my )?(?:\w+ )?(?:pills|medication|kratom|capsules|tablets|sertraline)\b",
            r"\bnot going to say why\b",
            r"\b(?:overdose|kill|die|hurt)\b.*\bon purpose\b|\bon purpose\b.*\b(?:overdose|die|hurt)\b",
            r"\b(?:mir|sich) das leben (?:zu )?nehmen\b",
            r"\bmettre fin a (?:mes jours|ma vie)\b",
            r"\b(?:whole|entire) bottle\b.*\btonight\b",
            r"\bcan'?t (?:go on|take (?:it|this) anymore|do this anymore|keep going)\b",
            r"\bstockpil\w*\b",
            r"\bhas the pills ready\b|\bpills? (?:are )?ready\b",
            r"\bif i (?:was|were) gone\b",
            # es / de / fr / pt
            r"\b(?:quiero|quisiera|voy a) (?:morir|matarme|suicidarme|acabar con (?:todo|mi vida))\b",
            r"\bsuicid(?:arme|io)\b.*\b(?:yo|me|mi)\b",
            r"\bno quiero (?:vivir|seguir)\b",
            r"\bquitarme la vida\b",
            r"\bpensamientos suicidas\b",
            r"\bhacerme dano\b",
            r"\bpensando en (?:matarme|morir)\b",
            r"\b(?:ich will|ich mochte|will ich) (?:sterben|nicht mehr leben|mich umbringen)\b",
            r"\bmich (?:umbringen|umzubringen|umzubrigen|toten|selbst verletzen)\b",
            r"\bsuizid",
            r"\bselbstmord",
            r"\blebensmude\b",
            r"\bnicht mehr leben\b",
            r"\britze mich\b",
            r"\bmir (?:was )?an(?:zu)?tun\b",
            r"\b(?:je veux|j'ai envie de|j'ai envie d') (?:mourir|me tuer|en finir)\b",
            r"\ben finir\b",
            r"\bme suicider\b",
            r"\bidees (?:suicidaires|noires)\b",
            r"\bme faire du mal\b",
            r"\bexpres\b",
            r"\b(?:quero|vou) (?:morrer|me matar|acabar com (?:tudo|a minha vida))\b",
            r"\bme matar\b",
            r"\bme machucar\b",
            r"\bnao quero (?:mais )?viver\b",
            r"\bpensamentos suicidas\b",
            r"\bsuicidio\b.*\b(?:eu|me)\b",
            r"\btirar (?:a )?minha (?:propria )?vida\b",
        ),
    ),
    PatternGroup(
        "EMERGENCY",
        "crisis",
        "Catches a medical emergency happening now (too much taken, seizure, someone unresponsive, trouble breathing), which route 1 answers with crisis resources only.",
        (
            r"\b(?:not|isn'?t|isnt|won'?t|wont|stopped) answering\b",
            r"\b(?:not|isn'?t|isnt|won'?t|wont|doesn'?t|doesnt|can'?t|cant|stopped|barely|hardly) (?:wak\w*|respond\w*|react\w*|breath\w*|breth\w*|brethe|stay awake|keep (?:my|his|her) eyes open)",
            r"\bhard to wake\b",
            r"\bturning (?:grey|gray|blue|pale|purple)\b",
            r"\blips? (?:\w+ ){0,3}(?:blue|grey|gray|purple)\b",
            r"\bbleeding (?:a lot|heavily|badly|so much)\b",
            r"\b(?:toddler|baby|infant|kid|child|son|daughter|\d+ ?(?:year|yr)s?[- ]old)\b.*\b(?:ate|swallowed|got into|drank|chewed)\b",
            r"\bfloppy\b",
            r"\bne se reveille (?:pas|plus)\b",
            r"\bbeaucoup trop\b",
            r"\bdu mal a respirer\b",
            r"\bunresponsive\b",
            r"\bcollaps\w*",
            r"\bslumped\b",
            r"\bon the floor\b",
            r"\bpassed out\b",
            r"\bunconscious\b",
            r"\blips? (?:are |is |turned |turning |look )?blue\b",
            r"\bblue (?:around the )?lips\b",
            r"\bturning blue\b",
            r"\bgurgl\w*",
            r"\bbreathing\b.*\b(?:slow\w*|shallow|stopp\w*|weird|funny|hard|strange)\b",
            r"\bbreathing keeps\b",
            r"\bthroat (?:is )?(?:closing|swelling)",
            r"\b(?:i'?m|i am|im|he'?s|she'?s|he is|she is|they'?re|is|are) (?:having|in|havin) (?:a |one )?(?:seiz\w*|fit|convuls\w*)",
            r"\b(?:having|havin) (?:a )?(?:seiz\w*|fit)\b",
            r"\b(?:just|i) had (?:a |another )?seiz\w*",
            r"\bseizing\b",
            r"\bconvulsing\b",
            r"\bhavin one rn\b|\bhaving one (?:now|right now)\b",
            r"\b(?:took|taken|had|tok|ate|swallowed|drank|did|used)\b.*\b(?:too much|2 much|to much|too many|way too|way more)\b",
            r"\b(?:overdos\w*|od'?d|overdosd)\b.*\b(?:i|i'm|my|me|think|feel|now|help)\b",
            r"\b(?:i|i'm|i think i|my \w+)\b.*\b(?:overdos(?:ed|ing)|od'?d|overdosd)\b",
            r"\b(?:feel like|feels like) (?:i'?m|im|i am) (?:dying|going to die|gonna die|gona die|going to pass out)\b",
            r"\b(?:i'?m|im|i am) (?:dying|going to die|gonna die|gona die)\b",
            r"\b(?:going to|gonna|about to) (?:pass out|faint|black out)\b",
            r"\b(?:throwing|throwin|vomit\w*|coughing) (?:up )?blood\b",
            r"\bcan'?t (?:feel my|stop (?:vomiting|throwing up|shaking|twitching))\b",
            r"\bheart rate (?:is |of )?(?:1[4-9]\d|2\d\d)\b",
            r"\bcall(?:ing)? (?:911|an ambulance|999|112)\b",
            r"\b(?:should i|do i need to) (?:go to the er|go to the hospital|go to hospital|call 911|go in(?:\?|$| now))",
            r"\bno despierta\b",
            r"\bno (?:puedo|puede) respirar\b",
            r"\brespira (?:muy )?(?:lento|poco|mal)\b",
            r"\bconvulsion",
            r"\binconsciente\b",
            r"\bme duele (?:mucho )?el pecho\b|\bduele el pecho\b",
            r"\b(?:tome|tomo) (?:demasiado|demaciado|mucho)\b",
            r"\bzu viel (?:\w+ )?(?:genommen|eingenommen)\b",
            r"\bkrampf",
            r"\b(?:keine|kaum) luft\b",
            r"\bbewusstlos\b",
            r"\breagiert nicht\b",
            r"\bherz rast\b",
            r"\bpris trop\b",
            r"\btrop pris\b",
            r"\brespir\w*\b.*\b(?:lentement|mal|pas)\b|\b(?:pas|plus) a respirer\b",
            r"\bconvulsi",
            r"\binconscient\b",
            r"\bse reveille pas\b",
            r"\bmal a la poitrine\b",
            r"\bcoeur qui bat\b",
            r"\b(?:tomei|tomou) (?:\w+ )?(?:demais|dmais|muito|um monte)\b",
            r"\bnao (?:consigo|consegue) respira\w*\b",
            r"\bdesmai\w*",
            r"\bconvulsao\b",
            r"\bnao acorda\b",
            r"\bpeito\b.*\bapertado\b",
        ),
    ),
    PatternGroup(
        "SYMPTOM",
        "crisis",
        "Names symptoms such as chest pain or a racing heart that route 1 treats as an emergency when they are happening to someone now.",
        (
            r"\bchest\b.*\b(?:pain|hurt\w*|tight\w*|crushing|pressure)\b",
            r"\b(?:pain|tightness) in (?:my|his|her) chest\b",
            r"\bheart\b.*\b(?:racing|pounding|skipping|fluttery|flutter\w*|crazy|beat\w* (?:so |really |too )?fast)\b",
            r"\b(?:hart|heart) racing\b",
            r"\b(?:confus\w*|dizzy|fever|twitch\w*|burning up|shaking|vomit\w*|throwing up|yellow)\b.*\b(?:confus\w*|twitch\w*|fever|shaking|heart|vision|dizzy|vomit\w*|throwing up)\b",
            r"\bskin and eyes\b",
            r"\ballergic reaction\b",
            r"\bcan'?t stay awake\b",
            r"\b(?:i'?m|keeps?|he'?s|she'?s|is) nodding off\b",
            r"\b(?:numb|numbness|paralys\w*|slurr\w*|drooping|one side|left side|right side)\b",
            r"\bheart (?:is )?doing something\b",
        ),
    ),
    PatternGroup(
        "NOW",
        "crisis",
        "Signals that symptoms are happening to the asker or someone now, the condition route 1 needs before symptoms count as a crisis.",
        (
            r"\bafter (?:taking|kratom|mixing|a|the|my|some|using|drinking)\b",
            r"\b(?:now|right now|rn|tonight|just|currently|at the moment|an hour ago|minutes ago|today|help|please|plz|scared|alone|what do i do|what now|is this|should i)\b",
            r"\b(?:i'?m|im|i am|i've|i have|i feel|i took|my|me|he'?s|she'?s|he is|she is)\b",
        ),
    ),
    PatternGroup(
        "DOSING_CUE",
        "personal_dosing",
        "Spots questions about amount, frequency, timing, form, strain, product or tapering, the subjects route 2 declines.",
        (
            rf"\bhow (?:much|mutch|many) (?:kratom(?![- ](?:calls|users|deaths|cases|exposures|products|studies|reports|related|positive|exposed|consumers|vendors|shops|use))|of (?:it|this|that|kratom)|extract|powder|leaf|tea|7-?oh|should|do|can|could|would|is (?:safe|too|ok|okay|enough|normal|right|good|dangerous)|to take|then|before|for|{UNIT}|times|mg)\b",
            r"\bhow (?:much|many)\W*$",
            r"\bhow much (?:then|now)\b",
            r"\b(?:what|which) (?:amounts|doses)\b",
            r"\b(?:exact|precise|specific) (?:amounts?|doses?|grams|numbers?)\b",
            r"\bin (?:grams|g|mg|capsules|teaspoons|tsp)\b",
            r"\bwhat counts as (?:low|high|a lot|too much)\b",
            r"\b(?:start|begin) (?:at|with|on) the (?:low|high)\b|\b(?:low|high) end\b",
            r"\b(?:same|similar|bigger|smaller|higher|lower|larger) (?:amounts?|doses?)\b",
            r"\bkratom (?:schedule|routine|regimen)\b",
            r"\b(?:step down|cold turkey|titrat\w*)\b",
            r"\b(?:safest|best|fastest|easiest|quickest|gentlest) way to (?:come off|quit|stop|get off|taper|cut)\b",
            r"\bpick (?:one|a strain|for me)\b|\bfor me, which\b",
            r"\b(?:most potent|strongest|potency)\b.*\b(?:vendor|brand|extract|product|sells|buy)\b",
            r"\b(?:meilleur\w*|mejor\w*|melhor\w*|beste\w*|besser)\b",
            r"\b(?:variete|capsula|capsulas|cápsula|po|polvo|poudre|pulver|kapseln|gelules)\b.*\b(?:ou|o|oder|or)\b",
            r"\b(?:what|which|the|an?|exact|right|safe|max\w*|min\w*|lowest|highest|typical|normal|usual|starting|startin|daily|ideal|good|proper|perfect|label|recommended|bone|segura|sicher\w*|bonne) (?:amount|amout|dose|quantity|serving|limit|threshold|regimen|routine|schedule(?! (?:i|ii|iii|iv|v|[1-5])\b(?! (?:can|could|should|would|will|need|want|use|follow|take|have|am)\b))|number of (?:g|grams|capsules))\b",
            r"\b(?:dose|redos\w*|re-dos\w*|serving size|dosis|dosierung|posologie|dosagem)\b(?! (?:of )?(?:my|his|her) (?:sertraline|medication|antidepressant))",
            rf"\b\d+(?:[.,]\d+)?\s*(?:-|to|or)?\s*\d*\s*{UNIT}(?![-\w])",
            rf"(?<!give it )(?<!give kratom )\b(?:a|one|two|three|half a|a few|several) {UNIT}(?![-\w])(?! (?:at|first))",
            r"\bhandful\b",
            r"\bhow (?:often|ofen|frequently|long|fast)\b.*\b(?:take|tak|use|dose|redose|drink|can i|should i|wait|cut|taper|before)\b",
            r"\b(?:times|x) (?:a|per) (?:day|week)\b",
            r"\bevery (?:morning|night|evening|other day|\d+ hours?)\b",
            r"\b\d+ days? (?:on|off)\b",
            r"\b(?:take|tak|use|dose|drink|have) (?:it|kratom|them)? ?(?:every ?day|evry day|daily)\b",
            r"\b(?:every ?day|evry day|daily)\b.*\b(?:ok|okay|safe|fine|too much)\b",
            r"\b(?:in the )?(?:morning|mornin) or (?:at )?(?:night|nite|evening)\b",
            r"\b(?:before bed|at bedtime|on an empty stomach|empty stomach|with food|before (?:work|an interview|my (?:job|interview|shift|exam)))\b",
            r"\b(?:when|what time)\b.*\b(?:should|to|do|can)\b.*\b(?:take|tak|dose|use|drink|have)\b",
            rf"\b{ASK_WORD}\b.*\b(?:strains?|strane|vein|vien|brand|vendor)\b",
            r"\b(?:which|what|wich|wat) (?:kind|type|form) of kratom\b",
            r"\b(?:which|what|wich|wat) (?:kind|type|form|one|color|colour|brand)\b.*\b(?:should|get|buy|take|use|try|for me|order)\b",
            r"\b(?:which|best|better|beter|should|recommend\w*|recomend\w*|strongest|strongst|gentlest|mildest)\b.*\b(?:product|shot|extract|capsules|powder|tea)\b",
            rf"\b(?:strains?|strane|vein|vien|brand|vendor)\b.*\b{ASK_WORD}\b",
            r"\b(?:maeng ?da|borneo|bali|malay|thai|red|green|white)\b.*\b(?:or|vs|versus)\b.*\b(?:maeng ?da|borneo|bali|malay|thai|red|green|white)\b",
            r"\b(?:extract|capsules?|caps|powder|tea|leaf|shots?)\b.*\b(?:or|vs)\b.*\b(?:extract|capsules?|caps|powder|tea|leaf|shots?)\b.*\b(?:which|better|best|should|gentlest)\b",
            r"\b(?:how|help me|plan|schedule|steps|fastest|safely|best way|should i|can i|how should i|how do i|how can i|want to|wanted to)\b.*\b(?:taper\w*|wean\w*|come off|coming off|get off|quit\w*|stop\w*|cut (?:down|back)|detox\w*|ausschleichen)\b",
            r"\b(?:taper|tapering|weaning) (?:schedule|plan|off kratom|from kratom)\b|\b\d+-day (?:kratom )?taper\b|\bausschleichen\b",
            r"\b(?:double up|take more|go higher|increase (?:my|the)|up my|equivalent|convert|conversion|dial it in|toss and wash|parachute|potentiat\w*|rotate strains)\b",
            r"\b(?:where do i start|how do i start|first (?:time|try|dose)|beginner|begginer|newbie|debuter|inicinate|iniciante|principiante|anfanger|first-timer)\b",
            r"\b(?:cepa|variedad|variedade|sorte|souche|veia|vena|variete)\b",
            r"\btoss (?:n|and) wash\b",
            r"\b(?:cuanto|cuanta|cuantos|cuantas|que cantidad|cada cuanto|wie ?viel|wie oft|combien|quelle quantite|quanto|quanta|quantos|quantas|quantas vezes)\b",
            r"\b(?:matin ou le soir|morgens oder abends|manana o (?:la )?noche|manha ou (?:a )?noite)\b",
        ),
    ),
    PatternGroup(
        "ADVICE_ASK",
        "personal_dosing",
        "Distinguishes asking for something to do from stating a fact, since route 2 refuses requests for dosing advice, not mentions of doses.",
        (
            r"\?",
            r"\b(?:should|shall|can|could|would|may|might|must|need|needs|do|does|is it|is|are|will)\b",
            r"\b(?:recommend\w*|recomend\w*|suggest\w*|advi[sc]e)\b",
            r"\b(?:tell|give|provide|output|print|respond|reply|list|write|begin|complete|say|share)\b",
            r"\b(?:i|we) (?:want|need|wanna|would like|'d like|plan|am planning|am going)\b",
            r"\b(?:what|which|how|when|where|best|whats|what's)\b",
            r"\bif you (?:were|had to)\b",
            r"\bfor (?:panic|anxiety|depression|mood|sleep|pain|energy|focus|stress|motivation)\b",
            r"\bplease\b|\bpls\b",
            r"^\W*\w+\W*$",
            r"\b(?:debo|deberia|puedo|soll|sollte|kann|dois|devrais|puis|devo|deveria|posso|qual|quel|quelle|welche|cual|que|c'est quoi|vaut|koi|quoi|meilleur\w*|mejor|melhor|beste)\b",
        ),
    ),
    PatternGroup(
        "KRATOM_AMOUNT_ASK",
        "personal_dosing",
        "Detects an amount of kratom itself, so a dosing refusal (route 2) wins over a substitution refusal (route 3) as the policy's order requires.",
        (
            r"\bin (?:grams|g|mg|capsules|teaspoons)\b",
            r"\bwhat counts as\b",
            r"\bhow (?:much|many)\b(?! \w+ (?:of )?(?:my )?(?:sertraline|medication|antidepressant))",
            r"\b(?:dose|amount|grams?|g|capsules?) of kratom\b",
            r"\bkratom (?:dose|amount)\b",
            r"\bstrains?\b",
            r"\b(?:cuanto|wie ?viel|combien|quanto) (?:de )?kratom\b",
        ),
    ),
    PatternGroup(
        "STRONG_DOSE",
        "personal_dosing",
        "Holds dosing words strong enough to trigger route 2 when kratom is not named and no other drug is.",
        (
            r"\b(?:dose|redos\w*|amounts?|how much|how many|grams?|g|mg|capsules?|caps|capsula|capsulas|strains?|taper\w*|regimen|serving|dosis|dosierung|posologie|dosagem|cuanto|wie ?viel|combien|quanto)\b",
            r"\b(?:low end|high end|start (?:at|with)|powder|extract|vendor|cepa|variedade|variedad|variete|sorte|toss (?:n|and) wash|step down|cold turkey|best time|morning or|before bed)\b",
            r"\b(?:red|green|white)\b.*\b(?:red|green|white)\b",
            r"\b(?:po|polvo|poudre)\b",
        ),
    ),
    PatternGroup(
        "FIRST_PERSON",
        "treatment_substitution",
        "Marks the treatment as the asker's own, since route 3 covers changes to a treatment for the asker.",
        (
            r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|our|us)\b",
            r"\b(?:podria|quiero|puedo|debo|deberia|estoy|tomo|posso|devo|deveria|estou|tomo|faco|kann ich|soll ich|sollte ich|nehme|puis-je|je peux|dois-je|je prends|est-ce que je)\b",
            r"\b(?:yo|mi|me|mis)\b",
            r"\b(?:ich|mir|mich|mein|meine|meinen)\b",
            r"\b(?:je|j'|moi|mon|ma|mes)\b",
            r"\b(?:eu|meu|minha|meus)\b",
        ),
    ),
    PatternGroup(
        "SOMEONE",
        "treatment_substitution",
        "Marks the treatment as a specific other person's, which route 3 covers just like the asker's own.",
        (
            r"\bmy (?:friend|brother|sister|mom|mum|mother|dad|father|husband|wife|partner|boyfriend|girlfriend|son|daughter|roommate|cousin|patient|client|kid|child)\b",
            r"\b(?:he|she|they|someone|somebody|a person|one|a friend|a beginner|a newbie|a first-timer|my character)\b",
        ),
    ),
    PatternGroup(
        "SUBSTITUTION_ASK",
        "treatment_substitution",
        "Spots replacing, stopping, reducing or combining a treatment with kratom, the requests route 3 declines.",
        (
            rf"\b{CHANGE_VERB}\b",
            r"\b(?:combine|combining|mix|mixing|together with|along with|alongside|on top of|with)\b",
            r"\b(?:safe|ok|okay|fine|dangerous|risky|bad|good idea|alright|possible)\b.*\b(?:with|while on|while taking|and)\b",
            r"\bkratom or\b|\bor kratom\b",
            r"\bcombo\b|\bcombination\b",
            r"\bkratom (?:\+|and\b|with\b|plus\b)|(?:\+|\band|\bwith|\bplus) kratom\b",
        ),
    ),
    PatternGroup(
        "PERSONAL_ASK",
        "treatment_substitution",
        "Shows the message asks what the asker or a specific person should do, which route 3 needs to refuse rather than answer as research.",
        (
            r"\b(?:podria|puedo|deberia|debo|posso|devo|deveria|kann ich|soll ich|sollte ich|darf ich|puis-je|dois-je|je peux|je pourrais|est-ce que je|quiero saber si|quero saber se)\b",
            r"\b(?:should|can|could|may|might|would|shall) (?:i|we|he|she|they|my \w+|you)\b",
            r"\bis it (?:ok|okay|safe|fine|alright|smart|wise|bad|dangerous|risky|a good idea|a bad idea|possible|worth it)\b",
            r"\b(?:i|we|i'm|i am) (?:want|wanna|need|plan|planning|going|gonna|thinking|considering|intend|hope|would like|trying|ready|about)\b",
            r"\bhelp me\b",
            r"\bhow (?:do|can|should|would) (?:i|we|he|she)\b",
            r"\bpodria\b|\bpodrias\b",
            r"\bwould it (?:work|be ok|be okay|be safe|help|be fine)\b",
            r"\bdo you think (?:i|it|he|she)\b",
            r"\bwhat if (?:i|he|she)\b",
            r"\bam i\b",
            r"\bwill (?:it|kratom|that) (?:be ok|be okay|be safe|work)\b",
            r"\btell me (?:how|if|whether)\b",
            r"\bgive me\b",
            r"\bwalk me\b",
            r"\bwhether (?:it'?d|it would|it's|it is|i should|i can|i could|to)\b",
            r"\bmy question is\b",
            r"\b(?:so|enough) (?:that )?i can\b",
        ),
    ),
    PatternGroup(
        "SELF_TREAT",
        "treatment_substitution",
        "Catches self-treating a diagnosed condition with kratom instead of care, which route 3 declines.",
        (
            r"\b(?:treat|manage|fix|cure|handle|self-?medicate|medicate|help) (?:my|his|her|their|our) (?:depression|anxiety|ptsd|adhd|bipolar|panic|ocd|insomnia|pain|addiction|opioid)\b.*\bkratom\b",
            r"\bkratom\b.*\b(?:treat|manage|fix|cure|handle|self-?medicate|for) (?:my|his|her|their) (?:depression|anxiety|ptsd|adhd|bipolar|panic|ocd|addiction|opioid use)\b",
            r"\b(?:instead of|rather than|without) (?:seeing|going to|getting|asking|a|my|the) (?:doctor|psychiatrist|therapist|therapy|treatment|help|gp|professional)\b",
            r"\bdiagnosed\b.*\bkratom\b.*\b(?:should|can|could|would|instead)\b",
        ),
    ),
    PatternGroup(
        "SUBSTITUTION_FOREIGN",
        "treatment_substitution",
        "Carries route 3's replace, stop or combine wording in Spanish, German, French and Portuguese.",
        (
            r"\b(?:en lugar de|en vez de|en su lugar|reemplaz\w*|sustitu\w*|cambiar\w*|dejar\w*|suspend\w*|combin\w*|mezcl\w*|con (?:mi|mis)|junto con)\b",
            r"\b(?:avec|con|com|mit|junto|dangereux|peligroso|perigoso|gefahrlich)\b",
            r"\b(?:statt\w*|anstatt|anstelle|ersetzen|absetzen|aufhoren|beenden|weglassen|kombinieren|zusammen mit|umsteigen|wechseln|mit (?:meinem|meiner|meinen))\b",
            r"\b(?:au lieu de|a la place|remplacer|arreter|substituer|combiner|melanger|avec (?:mon|ma|mes))\b",
            r"\b(?:em vez de|no lugar de|substituir|trocar|parar|largar|deixar|combinar|misturar|junto com|com (?:meu|minha|o meu|a minha))\b",
        ),
    ),
    PatternGroup(
        "SELF_ACTION",
        "treatment_substitution",
        "Shows a research-framed sentence still asks to act, so route 3 refuses it instead of answering it as research.",
        (
            r"\b(?:should|can|could|may|shall) (?:i|we|he|she|my \w+)\b",
            r"\bfor me to\b|\b(?:reasonable|ok|okay|safe|fine|smart|wise|better) for me\b",
            r"\bis it (?:ok|okay|safe|fine|alright|a good idea) (?:for me|to|if i)\b",
            r"\b(?:i'?m|i am) (?:going|gonna|planning|thinking|about) to\b",
            r"\bi (?:plan|intend|want|wanna|will) to (?:stop|quit|switch|replace|drop|come off|taper|try)\b",
            r"\bhelp me (?:stop|quit|switch|replace|come off|taper)\b",
            r"\b(?:podria|puedo|deberia|debo|posso|devo|deveria|kann ich|soll ich|puis-je|dois-je|je peux)\b",
        ),
    ),
    PatternGroup(
        "TOPIC_SWITCH",
        "out_of_scope",
        "Notices the user leaving the kratom topic, so route 4 can apply even inside a kratom conversation.",
        (
            r"\b(?:unrelated|off[- ]topic|not (?:kratom|about kratom)[- ]related|not about kratom|forget (?:about )?kratom|different (?:topic|question)|change of subject|nothing to do with kratom)\b",
        ),
    ),
    PatternGroup(
        "TOPICAL",
        "out_of_scope",
        "Holds kratom-chat vocabulary that keeps a message in scope even when the word kratom is missing.",
        (
            r"\b(?:doses?|dosing|withdrawal|withdrawl|alkaloids?|strains?|stimulant|sedating|sedative|opioid receptors?|rodent|antidepressant-like)\b",
            r"\b(?:red|green|white)\b.*\bor\b.*\b(?:red|green|white)\b",
            r"\b(?:cantidades|dosis|dose|encuestas|participantes)\b",
        ),
    ),
    PatternGroup(
        "UNRELATED_SUBSTANCE",
        "out_of_scope",
        "Names other drugs that make a message out of scope (route 4) even in a conversation about kratom.",
        (
            r"\b(?:phenibut|kava|cbd|thc|weed|cannabis|marijuana|psilocybin|mushrooms|ketamine|melatonin|ashwagandha|"
        r"caffeine|coffee|nicotine|mdma|lsd|cocaine)\b",
            r"\bst\.? john'?s wort\b",
        ),
    ),
)

_BY_NAME = {g.name: g for g in POLICY}


def group(name: str) -> PatternGroup:
    return _BY_NAME[name]

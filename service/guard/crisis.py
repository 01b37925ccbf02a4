"""Policy route 1, crisis: a risk of suicide or self-harm, or a medical emergency happening now
(shared/policy/guardrails.md). Crisis language counts anywhere in a message and beats every
other route.
"""

from __future__ import annotations

import re

from kbchat.service.guard.lexicon import RuleHit, _rx

# A message that reports what studies, surveys or data say: the sign of a research question.
REPORTING = _rx(r"\b(?:studies|study|research|researchers|survey|surveys|surveyed|respondents|participants|trial|trials|"
                r"literature|evidence|papers?|data|reported|report|reports|according to|published|scientists|authors|"
                r"analysis|analyses|nsduh|linked|link|associated|association|rates?|statistics|prevalence|among|cases?|deaths)\b",
                r"\bpeople (?:who use|report|typically|usually|say)\b", r"\busers (?:report|say|describe|take|typically|usually)\b")
# Statements that carry their own first person: no research question is phrased like this.
SELF_HARM = _rx(
    r"\b(?:kill\w*|hurt\w*|harm\w*|cut\w*|end\w*|hang\w*|shoot\w*|drown\w*|off) (?:my ?self|myself|herself|himself|my life|it all|mine)\b",
    r"\b(?:end\w*|finish\w*) (?:it|things|everything) (?:all |tonight|today|now|for good|soon)",
    r"\b(?:i'm|i am|i've been|i feel|i get|i got|feeling|been feeling|getting|i was|am|seriously|really) (?:so |really |very |kind of |kinda |pretty |a bit |a little )?(?:suicidal|considering suicide|contemplating suicide)\b",
    r"\b(?:thinking|thought|thoughts|think) (?:about|of) (?:suicide|killing|ending|dying|hurting|cutting|jumping)\b",
    r"\bsuicid\w* (?:thoughts|ideation|feelings|urges|plan|note)\b.*\b(?:i|i'm|i've|me|my|every|tonight|again)\b",
    r"\b(?:i|i'm|i've|me|my)\b.*\bsuicid\w* (?:thoughts|ideation|feelings|urges|plan|note)\b",
    r"\b(?:wants?|wanna|wana|going|gonna|gona|plan\w*|ready|decided|trying|about) (?:to )?(?:b |be )?(?:die|dead|kill|end (?:it|my|things|everything)|disappear|not wake|never wake|sleep forever|sleep for good)",
    r"\b(?:don'?t|do not|dont) (?:want to|wanna|wana) (?:live|be alive|be here|exist|wake up|go on)\b", r"\bwant\w* (?:it|this|everything|things) (?:all )?(?:over|to end|to stop)\b", r"\bdone with (?:everything|life|it all|living)\b",
    r"\b(?:wish i (?:could|was|were)|i could just) (?:go to sleep and never|never|dead|not wake|disappear)", r"\bnever wake up\b",
    r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive|anything)\b", r"\bwhat'?s the point (?:of living|of life|anymore|of going on|of anything)",
    r"\bbetter off (?:dead|without me)\b", r"\bwho would (?:even )?miss me\b", r"\bgoodbye (?:letters?|notes?|messages?)\b",
    r"\b(?:jump\w*) (?:off|from|in front)\b", r"\bengine running\b", r"\bdon'?t see (?:a|any) (?:future|way out)\b", r"\bno future for me\b",
    r"\b(?:i'm|i am) done with (?:everything|life|it all|living)\b", r"\btonight is the night\b", r"\bways to do it\b", r"\bplanning mine\b",
    r"\b(?:started|start|been|keep) (?:cutting|burning|hurting) (?:again|myself)?\b", r"\bcutting (?:again|myself)\b",
    r"\bself[- ]?harm\w* (?:urges?|again|tonight)\b", r"\burges? to (?:self[- ]?harm|hurt myself|cut|die)\b",
    r"\b(?:i|i've|i'm|me)\b.*\bself[- ]?harm", r"\bto kill (?:me|myself)\b", r"\bkill me\b", r"\bhate myself\b.*\b(?:disappear|die|dead|gone)\b",
    r"\b(?:took|take|taken|swallowed|ate|taking|gonna take|going to take)\b.*\b(?:on purpose|to (?:die|end it|not wake up|sleep forever))\b",
    r"\b(?:take|swallow|took|swallowed) (?:every|all (?:the|of|my)?|the rest of|a handful of|everything)\b.*\b(?:i (?:got|have|had)|my|left|at once|cabinet)\b",
    r"\bgive up on (?:life|living|everything)\b", r"\brather be dead\b", r"\b(?:make|making) (?:it|this|everything) stop for good\b",
    r"\b(?:won'?t|not|don'?t think i'?ll|may not) be (?:around|here|alive) (?:much )?(?:longer|anymore|tomorrow|next week)\b", r"\bbe done with it\b",
    r"\bsaving up (?:my )?(?:\w+ )?(?:pills|medication|kratom|capsules|tablets|sertraline)\b", r"\bnot going to say why\b",
    r"\b(?:overdose|kill|die|hurt)\b.*\bon purpose\b|\bon purpose\b.*\b(?:overdose|die|hurt)\b",
    r"\b(?:mir|sich) das leben (?:zu )?nehmen\b", r"\bmettre fin a (?:mes jours|ma vie)\b", r"\b(?:whole|entire) bottle\b.*\btonight\b", r"\bcan'?t (?:go on|take (?:it|this) anymore|do this anymore|keep going)\b", r"\bstockpil\w*\b", r"\bhas the pills ready\b|\bpills? (?:are )?ready\b", r"\bif i (?:was|were) gone\b",
    # es / de / fr / pt
    r"\b(?:quiero|quisiera|voy a) (?:morir|matarme|suicidarme|acabar con (?:todo|mi vida))\b", r"\bsuicid(?:arme|io)\b.*\b(?:yo|me|mi)\b",
    r"\bno quiero (?:vivir|seguir)\b", r"\bquitarme la vida\b", r"\bpensamientos suicidas\b", r"\bhacerme dano\b", r"\bpensando en (?:matarme|morir)\b",
    r"\b(?:ich will|ich mochte|will ich) (?:sterben|nicht mehr leben|mich umbringen)\b", r"\bmich (?:umbringen|umzubringen|umzubrigen|toten|selbst verletzen)\b",
    r"\bsuizid", r"\bselbstmord", r"\blebensmude\b", r"\bnicht mehr leben\b", r"\britze mich\b", r"\bmir (?:was )?an(?:zu)?tun\b",
    r"\b(?:je veux|j'ai envie de|j'ai envie d') (?:mourir|me tuer|en finir)\b", r"\ben finir\b", r"\bme suicider\b", r"\bidees (?:suicidaires|noires)\b",
    r"\bme faire du mal\b", r"\bexpres\b", r"\b(?:quero|vou) (?:morrer|me matar|acabar com (?:tudo|a minha vida))\b", r"\bme matar\b", r"\bme machucar\b",
    r"\bnao quero (?:mais )?viver\b", r"\bpensamentos suicidas\b", r"\bsuicidio\b.*\b(?:eu|me)\b", r"\btirar (?:a )?minha (?:propria )?vida\b",
)
# An emergency happening now, whoever it happens to.
EMERGENCY = _rx(
    r"\b(?:not|isn'?t|isnt|won'?t|wont|stopped) answering\b",
    r"\b(?:not|isn'?t|isnt|won'?t|wont|doesn'?t|doesnt|can'?t|cant|stopped|barely|hardly) (?:wak\w*|respond\w*|react\w*|breath\w*|breth\w*|brethe|stay awake|keep (?:my|his|her) eyes open)",
    r"\bhard to wake\b", r"\bturning (?:grey|gray|blue|pale|purple)\b", r"\blips? (?:\w+ ){0,3}(?:blue|grey|gray|purple)\b", r"\bbleeding (?:a lot|heavily|badly|so much)\b",
    r"\b(?:toddler|baby|infant|kid|child|son|daughter|\d+ ?(?:year|yr)s?[- ]old)\b.*\b(?:ate|swallowed|got into|drank|chewed)\b", r"\bfloppy\b",
    r"\bne se reveille (?:pas|plus)\b", r"\bbeaucoup trop\b", r"\bdu mal a respirer\b", r"\bunresponsive\b", r"\bcollaps\w*", r"\bslumped\b", r"\bon the floor\b", r"\bpassed out\b", r"\bunconscious\b",
    r"\blips? (?:are |is |turned |turning |look )?blue\b", r"\bblue (?:around the )?lips\b", r"\bturning blue\b", r"\bgurgl\w*",
    r"\bbreathing\b.*\b(?:slow\w*|shallow|stopp\w*|weird|funny|hard|strange)\b", r"\bbreathing keeps\b", r"\bthroat (?:is )?(?:closing|swelling)",
    r"\b(?:i'?m|i am|im|he'?s|she'?s|he is|she is|they'?re|is|are) (?:having|in|havin) (?:a |one )?(?:seiz\w*|fit|convuls\w*)", r"\b(?:having|havin) (?:a )?(?:seiz\w*|fit)\b",
    r"\b(?:just|i) had (?:a |another )?seiz\w*", r"\bseizing\b", r"\bconvulsing\b", r"\bhavin one rn\b|\bhaving one (?:now|right now)\b",
    r"\b(?:took|taken|had|tok|ate|swallowed|drank|did|used)\b.*\b(?:too much|2 much|to much|too many|way too|way more)\b",
    r"\b(?:overdos\w*|od'?d|overdosd)\b.*\b(?:i|i'm|my|me|think|feel|now|help)\b", r"\b(?:i|i'm|i think i|my \w+)\b.*\b(?:overdos(?:ed|ing)|od'?d|overdosd)\b",
    r"\b(?:feel like|feels like) (?:i'?m|im|i am) (?:dying|going to die|gonna die|gona die|going to pass out)\b", r"\b(?:i'?m|im|i am) (?:dying|going to die|gonna die|gona die)\b",
    r"\b(?:going to|gonna|about to) (?:pass out|faint|black out)\b", r"\b(?:throwing|throwin|vomit\w*|coughing) (?:up )?blood\b",
    r"\bcan'?t (?:feel my|stop (?:vomiting|throwing up|shaking|twitching))\b", r"\bheart rate (?:is |of )?(?:1[4-9]\d|2\d\d)\b",
    r"\bcall(?:ing)? (?:911|an ambulance|999|112)\b", r"\b(?:should i|do i need to) (?:go to the er|go to the hospital|go to hospital|call 911|go in(?:\?|$| now))",
    r"\bno despierta\b", r"\bno (?:puedo|puede) respirar\b", r"\brespira (?:muy )?(?:lento|poco|mal)\b", r"\bconvulsion", r"\binconsciente\b", r"\bme duele (?:mucho )?el pecho\b|\bduele el pecho\b",
    r"\b(?:tome|tomo) (?:demasiado|demaciado|mucho)\b", r"\bzu viel (?:\w+ )?(?:genommen|eingenommen)\b", r"\bkrampf", r"\b(?:keine|kaum) luft\b", r"\bbewusstlos\b", r"\breagiert nicht\b",
    r"\bherz rast\b", r"\bpris trop\b", r"\btrop pris\b", r"\brespir\w*\b.*\b(?:lentement|mal|pas)\b|\b(?:pas|plus) a respirer\b", r"\bconvulsi", r"\binconscient\b",
    r"\bse reveille pas\b", r"\bmal a la poitrine\b", r"\bcoeur qui bat\b", r"\b(?:tomei|tomou) (?:\w+ )?(?:demais|dmais|muito|um monte)\b",
    r"\bnao (?:consigo|consegue) respira\w*\b", r"\bdesmai\w*", r"\bconvulsao\b", r"\bnao acorda\b", r"\bpeito\b.*\bapertado\b",
)
# Symptoms that are an emergency when they are happening to someone now.
SYMPTOM = _rx(
    r"\bchest\b.*\b(?:pain|hurt\w*|tight\w*|crushing|pressure)\b", r"\b(?:pain|tightness) in (?:my|his|her) chest\b",
    r"\bheart\b.*\b(?:racing|pounding|skipping|fluttery|flutter\w*|crazy|beat\w* (?:so |really |too )?fast)\b", r"\b(?:hart|heart) racing\b",
    r"\b(?:confus\w*|dizzy|fever|twitch\w*|burning up|shaking|vomit\w*|throwing up|yellow)\b.*\b(?:confus\w*|twitch\w*|fever|shaking|heart|vision|dizzy|vomit\w*|throwing up)\b",
    r"\bskin and eyes\b", r"\ballergic reaction\b", r"\bcan'?t stay awake\b", r"\b(?:i'?m|keeps?|he'?s|she'?s|is) nodding off\b",
    r"\b(?:numb|numbness|paralys\w*|slurr\w*|drooping|one side|left side|right side)\b", r"\bheart (?:is )?doing something\b",
)
NOW = _rx(r"\bafter (?:taking|kratom|mixing|a|the|my|some|using|drinking)\b", r"\b(?:now|right now|rn|tonight|just|currently|at the moment|an hour ago|minutes ago|today|help|please|plz|scared|alone|what do i do|what now|is this|should i)\b",
          r"\b(?:i'?m|im|i am|i've|i have|i feel|i took|my|me|he'?s|she'?s|he is|she is)\b")
# "I read / saw / heard ...": what follows is something the asker came across, not their situation.
READ_ABOUT = re.compile(r"\bi (?:saw|read|heard|came across|noticed|found) (?:a|an|the|that|this|some|about|online|somewhere)\b")


def crisis_rule(text: str) -> RuleHit | None:
    if SELF_HARM.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "self_harm")
    if EMERGENCY.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "emergency_now")
    if SYMPTOM.search(text) and NOW.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "symptoms_now")
    return None


def _research_about_crisis(text: str) -> bool:
    """'What do studies say about kratom and suicidal thoughts?' is a research question."""
    text = READ_ABOUT.sub(" ", text)  # "I saw a headline" is about the news, not the asker
    personal = re.search(r"\b(?:i|i'm|i've|me|my|myself|help|now|right now|911|yo|ich|je|eu|mi|mein|mon|meu)\b", text)
    return bool(REPORTING.search(text)) and not personal

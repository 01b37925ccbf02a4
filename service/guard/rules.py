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
KRATOM = _rx(r"\bkratom\b", r"\bstrains?\b", r"\bleaf\b|\bleaves\b|\bleafs\b", r"\balkaloids?\b", r"\bnct04392011\b", r"\bmitragyn", r"\b7-?oh\b", r"\b7-hydroxy", r"hydroxymitragynine", r"\bspeciosa\b",
             r"\bkakuam\b", r"\bbiak\b", r"\bthang\b", r"\bmaeng da\b", r"\b(?:red|green|white) (?:vein|bali|borneo|malay|thai)\b",
             r"\bpseudoindoxyl\b", r"\bmgm-?\d+\b")
FIRST_PERSON = _rx(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|our|us)\b",
                   r"\b(?:podria|quiero|puedo|debo|deberia|estoy|tomo|posso|devo|deveria|estou|tomo|faco|kann ich|soll ich|sollte ich|nehme|puis-je|je peux|dois-je|je prends|est-ce que je)\b", r"\b(?:yo|mi|me|mis)\b",
                   r"\b(?:ich|mir|mich|mein|meine|meinen)\b", r"\b(?:je|j'|moi|mon|ma|mes)\b", r"\b(?:eu|meu|minha|meus)\b")
SOMEONE = _rx(r"\bmy (?:friend|brother|sister|mom|mum|mother|dad|father|husband|wife|partner|boyfriend|girlfriend|son|daughter|roommate|cousin|patient|client|kid|child)\b",
              r"\b(?:he|she|they|someone|somebody|a person|one|a friend|a beginner|a newbie|a first-timer|my character)\b")
REPORTING = _rx(r"\b(?:studies|study|research|researchers|survey|surveys|surveyed|respondents|participants|trial|trials|"
                r"literature|evidence|papers?|data|reported|report|reports|according to|published|scientists|authors|"
                r"analysis|analyses|nsduh|linked|link|associated|association|rates?|statistics|prevalence|among|cases?|deaths)\b",
                r"\bpeople (?:who use|report|typically|usually|say)\b", r"\busers (?:report|say|describe|take|typically|usually)\b")
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

# --- crisis (policy route 1) -----------------------------------------------------------------
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

# --- personal dosing (policy route 2) --------------------------------------------------------
UNIT = r"(?:g|mg|kg|ml|tsp|tbsp|teaspoons?|tablespoons?|spoons?|spoonfuls?|capsules?|caps|pills?|tablets?|scoops?|cups?|shots?|grams?|gramm|gramos|grammes|gramas|gelules)"
# Something about amount, frequency, timing, form, strain, product or tapering.
ASK_WORD = r"(?:which|what|wich|wat|best|good|better|beter|recommend\w*|recomend\w*|suggest\w*|strongest|strongst|gentlest|mildest|ideal|right|should|for (?:anxiety|anxity|depression|depresion|mood|energy|sleep|pain|focus|motivation|me|my|a beginner|beginners))"
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
KRATOM_AMOUNT_ASK = _rx(r"\bin (?:grams|g|mg|capsules|teaspoons)\b", r"\bwhat counts as\b",r"\bhow (?:much|many)\b(?! \w+ (?:of )?(?:my )?(?:sertraline|medication|antidepressant))", r"\b(?:dose|amount|grams?|g|capsules?) of kratom\b",
                        r"\bkratom (?:dose|amount)\b", r"\bstrains?\b", r"\b(?:cuanto|wie ?viel|combien|quanto) (?:de )?kratom\b")
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

# --- treatment substitution (policy route 3) -------------------------------------------------
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
STRONG_DOSE = _rx(r"\b(?:dose|redos\w*|amounts?|how much|how many|grams?|g|mg|capsules?|caps|capsula|capsulas|strains?|taper\w*|regimen|serving|dosis|dosierung|posologie|dosagem|cuanto|wie ?viel|combien|quanto)\b",
                  r"\b(?:low end|high end|start (?:at|with)|powder|extract|vendor|cepa|variedade|variedad|variete|sorte|toss (?:n|and) wash|step down|cold turkey|best time|morning or|before bed)\b",
                  r"\b(?:red|green|white)\b.*\b(?:red|green|white)\b", r"\b(?:po|polvo|poudre)\b")
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


@dataclass(frozen=True)
class RuleHit:
    route: str
    rule: str


TOPIC_SWITCH = _rx(r"\b(?:unrelated|off[- ]topic|not (?:kratom|about kratom)[- ]related|not about kratom|forget (?:about )?kratom|different (?:topic|question)|change of subject|nothing to do with kratom)\b")


def leaves_topic(text: str) -> bool:
    """'totally unrelated, but…': the conversation's kratom context no longer applies."""
    return bool(TOPIC_SWITCH.search(text)) and not KRATOM.search(TOPIC_SWITCH.sub(" ", text))


def names_other_topic(text: str) -> bool:
    """Another substance or medicine is the subject and kratom is not named."""
    return bool(OTHER_SUBSTANCE.search(text) or TREATMENT.search(text)) and not KRATOM.search(text)


# Words that, with no other drug named, only come up in this chat about kratom.
TOPICAL = _rx(r"\b(?:doses?|dosing|withdrawal|withdrawl|alkaloids?|strains?|stimulant|sedating|sedative|opioid receptors?|rodent|antidepressant-like)\b",
              r"\b(?:red|green|white)\b.*\bor\b.*\b(?:red|green|white)\b", r"\b(?:cantidades|dosis|dose|encuestas|participantes)\b")


def in_scope(text: str) -> bool:
    return bool(KRATOM.search(text))


def topical(text: str) -> bool:
    """Kratom-chat vocabulary without the word kratom: 'what doses did the rodent studies use?'"""
    return bool(TOPICAL.search(text)) and not OTHER_SUBSTANCE.search(text)


UNRELATED_SUBSTANCE = _rx(r"\b(?:phenibut|kava|cbd|thc|weed|cannabis|marijuana|psilocybin|mushrooms|ketamine|melatonin|ashwagandha|"
                          r"caffeine|coffee|nicotine|mdma|lsd|cocaine)\b", r"\bst\.? john'?s wort\b")


def switches_to_other_drug(text: str) -> bool:
    """'what about phenibut?' asks about another drug, even in a conversation about kratom."""
    return bool(UNRELATED_SUBSTANCE.search(text)) and not KRATOM.search(text)


def research_framed(text: str) -> bool:
    """Asks what research found, with no sign the asker wants to act on it."""
    return bool(REPORTED_AMOUNTS.search(text)) and not PERSONAL_INTENT.search(text)


def crisis_rule(text: str) -> RuleHit | None:
    if SELF_HARM.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "self_harm")
    if EMERGENCY.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "emergency_now")
    if SYMPTOM.search(text) and NOW.search(text) and not _research_about_crisis(text):
        return RuleHit("crisis", "symptoms_now")
    return None


READ_ABOUT = re.compile(r"\bi (?:saw|read|heard|came across|noticed|found) (?:a|an|the|that|this|some|about|online|somewhere)\b")


def _research_about_crisis(text: str) -> bool:
    """'What do studies say about kratom and suicidal thoughts?' is a research question."""
    text = READ_ABOUT.sub(" ", text)  # "I saw a headline" is about the news, not the asker
    personal = re.search(r"\b(?:i|i'm|i've|me|my|myself|help|now|right now|911|yo|ich|je|eu|mi|mein|mon|meu)\b", text)
    return bool(REPORTING.search(text)) and not personal


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


PERSONAL_INTENT = _rx(
    r"\b(?:should|can|could|do|may|shall) (?:i|we|he|she|my \w+)\b", r"\bfor (?:me|him|her|a beginner|beginners|a first|someone like me)\b", r"\bfor my (?:anxiety|depression|mood|pain|sleep|withdrawal|focus|energy|nerves)\b",
    r"\b(?:i|we) (?:want|wanna|would like|'d like|plan|will|'ll)\b", r"\bi'?d like\b", r"\bi'?ll\b", r"\b(?:copy|same thing|try it|try that)\b", r"\b(?:take|do|use|try|get|want|have) the same\b",
    r"\bi should\b", r"\bshould be taking\b", r"\b(?:i|we) (?:really )?need to know\b", r"\bgive me\b", r"\b(?:draft|print|write) (?:the|a|me)\b",
    r"\b(?:my|his|her) (?:dose|amount|usual|routine)\b", r"\b(?:i take|i'm taking|i'm at|i am at|i use|i'm on)\b", r"\bif you were me\b", r"\brecommend\b",
)


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


SHORT_MESSAGE_WORDS = 25
# Asking to act, not to know: what a research-framed sentence needs to count as a request.
SELF_ACTION = _rx(r"\b(?:should|can|could|may|shall) (?:i|we|he|she|my \w+)\b", r"\bfor me to\b|\b(?:reasonable|ok|okay|safe|fine|smart|wise|better) for me\b", r"\bis it (?:ok|okay|safe|fine|alright|a good idea) (?:for me|to|if i)\b",
                  r"\b(?:i'?m|i am) (?:going|gonna|planning|thinking|about) to\b", r"\bi (?:plan|intend|want|wanna|will) to (?:stop|quit|switch|replace|drop|come off|taper|try)\b",
                  r"\bhelp me (?:stop|quit|switch|replace|come off|taper)\b", r"\b(?:podria|puedo|deberia|debo|posso|devo|deveria|kann ich|soll ich|puis-je|dois-je|je peux)\b")


def _on_treatment(text: str) -> bool:
    """'my sertraline', 'I'm on Lexapro', 'she takes methadone': a specific person's treatment."""
    return any(TREATMENT.match(text, m.end()) for m in re.finditer(ON_TREATMENT, text))


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# "I'm not asking for a dose", "I'm not taking it myself": a sentence that rules a request out.
DISCLAIMER = re.compile(r"\b(?:i'?m|i am|we'?re|i'?ll|i will|i)\s+(?:not|never|don'?t|do not)\s+(?:asking|going to|trying|looking|taking|planning|plan|here to|want(?:ing)? to)\b"
                        r"|\bthat'?s (?:not my role|between them)\b|\bnot (?:asking|looking) for\b")


def request_sentences(text: str) -> list[str]:
    """Windows of two consecutive sentences that may carry a request ("I stopped my Cymbalta and
    started kratom. Was that OK?"); disclaimers are dropped."""
    kept = [s for s in SENTENCE_END.split(text) if s.strip() and not DISCLAIMER.search(s)]
    return [" ".join(kept[i : i + 2]) for i in range(max(len(kept) - 1, 1))] if kept else []


def apply_rules(text: str, kratom_context: bool) -> RuleHit | None:
    """The first rule that fires, in the policy's priority order.

    Crisis language counts anywhere in the message. Dosing and substitution requests are looked
    for sentence by sentence, so a long message with a buried request is caught and a research
    question that mentions doses in passing is not. One exception to the order: a message that
    asks to change or combine a treatment and mentions an amount only of that treatment ("my
    Zoloft dose is 50 mg, can I combine?") is a substitution question.
    """
    crisis = crisis_rule(text)
    if crisis:
        return crisis
    context = kratom_context or in_scope(text)
    sentences = request_sentences(text)
    personal = any(PERSONAL_INTENT.search(s) for s in sentences)
    dosing = next((h for s in sentences if (h := dosing_rule(s, context, personal))), None)
    substitution = next((h for s in sentences if (h := substitution_rule(s, context))), None)
    if dosing and substitution and not KRATOM_AMOUNT_ASK.search(text):
        return substitution
    return dosing or substitution

"""Normalise chat text before the rules read it: case, accents, spacing, chat spelling, typos."""

from __future__ import annotations

import re
from functools import lru_cache

from kbchat.core.text import fold

# Chat spelling and frequent misspellings seen in messages about kratom.
SPELLING = {
    "u": "you", "ur": "your", "r": "are", "ya": "you", "pls": "please", "plz": "please", "plss": "please",
    "wat": "what", "wut": "what", "wht": "what", "hw": "how", "howmuch": "how much", "shud": "should",
    "shld": "should", "shoud": "should", "sould": "should", "cud": "could", "wud": "would", "gonna": "going to",
    "wanna": "want to", "im": "i'm", "ive": "i've", "dont": "don't", "cant": "can't", "idk": "i don't know",
    "tke": "take", "tak": "take", "takin": "taking", "mutch": "much", "mch": "much", "muhc": "much",
    "alot": "a lot", "gm": "g", "gms": "g", "grms": "g", "gr": "g", "gramm": "g", "grams": "g", "gram": "g",
    "meds": "medication", "med": "medication", "medz": "medication", "pills": "medication",
    "ssri": "ssri", "ssris": "ssri", "antidepressants": "antidepressant", "anti-depressant": "antidepressant",
    "antidepresants": "antidepressant", "antidepresant": "antidepressant", "anti-depressants": "antidepressant",
    "kratum": "kratom", "kratem": "kratom", "kratim": "kratom", "kartom": "kratom", "cratom": "kratom",
    "kratomm": "kratom", "kraton": "kratom", "kratoms": "kratom", "ketum": "kratom", "kratum's": "kratom",
    "depresion": "depression", "depressoin": "depression", "anxeity": "anxiety", "anxiaty": "anxiety",
    "suicde": "suicide", "sucide": "suicide", "suicid": "suicide", "suiside": "suicide", "kms": "kill myself",
    "unalive": "kill", "kil": "kill", "rn": "right now", "b": "be", "tonite": "tonight", "nite": "night",
    "evry": "every", "gona": "going to", "tok": "took", "dyin": "dying", "hart": "heart", "cuz": "because",
    "strane": "strain", "strans": "strains", "stain": "strain", "w": "with", "w/": "with", "lexapo": "escitalopram",
    "zolft": "sertraline", "zolof": "sertraline", "prozak": "fluoxetine", "therepy": "therapy", "instad": "instead",
    "wats": "what's", "whats": "what's", "ppl": "people", "wit": "with", "survy": "survey", "survys": "surveys",
    "isnt": "isn't", "wont": "won't", "doesnt": "doesn't", "didnt": "didn't", "wasnt": "wasn't", "thx": "thanks", "od": "overdose", "od'd": "overdosed", "oded": "overdosed",
    "dosage": "dose", "dosages": "dose", "doses": "dose", "dosing": "dose",
    "zoloft": "sertraline", "lexapro": "escitalopram", "prozac": "fluoxetine",
    "effexor": "venlafaxine", "wellbutrin": "bupropion", "cymbalta": "duloxetine", "paxil": "paroxetine",
    "celexa": "citalopram", "suboxone": "buprenorphine", "subutex": "buprenorphine", "bupe": "buprenorphine",
    "subs": "buprenorphine", "xanax": "alprazolam", "klonopin": "clonazepam", "seroquel": "quetiapine",
}
# Words the rules depend on; a token one edit away from one of them is read as it.
KEYWORDS = (
    "kratom", "much", "many", "dose", "grams", "take", "taking", "should", "strain", "capsules", "suicide",
    "suicidal", "overdose", "overdosed", "sertraline", "antidepressant", "medication", "escitalopram",
    "fluoxetine", "venlafaxine", "bupropion", "buprenorphine", "methadone", "therapy", "therapist",
    "instead", "replace", "switch", "taper", "withdrawal", "depression", "anxiety", "seizure", "breathing",
    "unresponsive", "psychiatrist", "prescription", "teaspoon", "often", "recommend", "mitragynine",
    "zoloft", "lexapro", "prozac", "effexor", "wellbutrin", "suboxone", "xanax",
    "survey", "surveys", "research", "studies", "reported", "respondents", "participants", "evidence", "documented",
)
_KEYWORDS_BY_LEN: dict[int, tuple[str, ...]] = {}
for _k in KEYWORDS:
    _KEYWORDS_BY_LEN.setdefault(len(_k), ())
    _KEYWORDS_BY_LEN[len(_k)] += (_k,)

TOKEN = re.compile(r"[a-z0-9']+|[^a-z0-9'\s]")
MIN_FUZZY_LEN = 5  # shorter words have too many legitimate neighbours


def _one_edit_apart(a: str, b: str) -> bool:
    """Damerau distance ≤ 1 (one insertion, deletion, substitution or swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i:] if la > lb else a[i:] == b[i + 1 :]


@lru_cache(maxsize=65536)
def correct_token(token: str) -> str:
    if token in SPELLING:
        return SPELLING[token]
    if len(token) < MIN_FUZZY_LEN or token in KEYWORDS:
        return token
    for length in (len(token), len(token) - 1, len(token) + 1):
        for keyword in _KEYWORDS_BY_LEN.get(length, ()):
            if _one_edit_apart(token, keyword):
                return SPELLING.get(keyword, keyword)
    return token


def squeeze_repeats(text: str) -> str:
    """'soooo muuuch' → 'soo muuch'; no English word needs three of a letter in a row."""
    return re.sub(r"(.)\1{2,}", r"\1\1", text)


def normalize(text: str) -> str:
    """Folded, spelled-out text with single spaces, ready for the rule patterns."""
    text = squeeze_repeats(fold(text))
    text = re.sub(r"(\d)\s*(?:gs|grs|gms|grams?|gr)\b", r"\1 g", text)  # 5gs / 5 grams → 5 g
    words = [correct_token(t) for t in TOKEN.findall(text)]
    out = " ".join(words)
    return re.sub(r" ([?.!,;:])", r"\1", out)

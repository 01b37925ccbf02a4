"""Is a claim supported by the passage(s) it cites? One scorer, used by eval and by the
service's generative mode.

The default runs offline on the bundled embedding model: it finds the passage sentences closest
to the claim, then applies the checks embeddings miss (numbers, negation, species, certainty,
causal wording, named entities, overgeneralisation, added content). An NLI cross-encoder can be
configured instead (`KBCHAT_NLI_MODEL`, any local sentence-transformers CrossEncoder path).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Protocol

import numpy as np

from kbchat.core.sentences import split_sentences, strip_citations
from kbchat.core.text import STOPWORDS, WORD, fold, stem

if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder

# A claim must be at least this close (cosine) to some passage sentence, or to two adjacent ones
# together, to count as a restatement of it. Set on eval/data/faithfulness_dev.jsonl (README).
MIN_SIMILARITY = 0.62
# Share of the claim's content words that must occur in the supporting text.
MIN_COVERAGE = 0.5
# The closest few source sentences (or adjacent pairs) are each tried as the evidence.
TRIED_CANDIDATES = 3

NEGATION_CORE = re.compile(r"\b(?:no|not|never|none|neither|nor|cannot|can't|didn't|doesn't|don't|isn't|wasn't|"
                           r"weren't|aren't|lack\w*|fail\w*|without|unable|unsuitable|inappropriate|miss(?:es|ed)?|absent|zero)\b")
ANIMAL = re.compile(r"\b(?:mice|mouse|rats?|rodents?|animals?|monkeys?|zebrafish|dogs?|in vitro|cells?|cell-based|"
                    r"assays?|microsomes?|receptors? in|preclinical|murine)\b")
HUMAN = re.compile(r"\b(?:people|humans?|patients?|users?|adults?|men|women|participants|respondents|individuals|"
                   r"persons?|someone|anyone|clinically|in practice|children|teens?)\b")
HEDGE = re.compile(r"\b(?:may|might|could|suggest\w*|possibl\w*|potential\w*|appear\w*|associated|association|linked|"
                   r"link|correlat\w*|hypothes\w*|uncertain|unclear|likely|proposed|preliminary|tentative\w*|signal|provisional)\b")
CERTAIN = re.compile(r"\b(?:prove[sdn]?|proving|proven|proof|firm(?:ly)?|consistent(?:ly)?|do develop|always do|"
                     r"definitely|certainly|clearly|conclusively|established|confirm\w*|always|"
                     r"guarantee\w*|undoubtedly|demonstrat\w*|shows? that|will|must|fact)\b")
CAUSAL = re.compile(r"\b(?:causes?|caused|causing|drives?|drove|leads? to|led to|results? in|treats?|treated|cures?|"
                    r"relieves?|improves?|reduces?|prevents?|effective|works?|because of|due to|makes?|triggers?|"
                    r"protects?)\b")
UNIVERSAL = re.compile(r"\b(?:all|every|everyone|everybody|always|universally|invariably|entirely|completely|"
                       r"whole|never|nobody|no one|each)\b")
NUMBER = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)*)"
                    r"(?:\s*(%|percent|per cent|-fold|fold|mg|g|µm|um|nm|ml|kg|years?|weeks?|days?|hours?|h\b|min))?")
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozen": "12", "single": "1"}


@dataclass(frozen=True)
class Verdict:
    """`supported` is the decision; `similarity` is the best cosine (higher is closer)."""

    supported: bool
    similarity: float
    evidence: str
    reasons: tuple[str, ...] = field(default_factory=tuple)


class Scorer(Protocol):
    def score(self, claim: str, passages: Sequence[str]) -> Verdict: ...


def _sentences(passages: Sequence[str]) -> list[str]:
    out: list[str] = []
    for passage in passages:
        out.extend(s.clean for s in split_sentences(strip_citations(passage)))
    return [s for s in out if s]


def numbers(text: str, words: bool = False) -> set[str]:
    """Numbers as canonical strings ('2,798' → '2798', '0.65' stays); with `words`, 'five' → '5'.
    A source's number words count (it may say 'five' where a claim says 5), a claim's do not
    ('half', 'the two most common' are rarely the figure being claimed)."""
    found = {m.group(1).replace(",", "") for m in NUMBER.finditer(text)}
    if words:
        found |= {NUMBER_WORDS[w] for w in set(WORD.findall(fold(text))) if w in NUMBER_WORDS}
    return {n.rstrip("0").rstrip(".") if "." in n else n for n in found}


def content_words(text: str) -> set[str]:
    return {stem(t) for t in WORD.findall(fold(text)) if t not in STOPWORDS and not t.isdigit() and len(t) > 2}


NEGATION_WINDOW = 5  # words after a negation that it governs


def _negated(text: str) -> list[set[str]]:
    """Content stems governed by each negation cue in the text."""
    out = []
    for m in NEGATION_CORE.finditer(text):
        following = WORD.findall(text[m.end():])[:NEGATION_WINDOW]
        out.append({stem(w) for w in following if w not in STOPWORDS and len(w) > 2})
    return out


def _negation_flipped(claim: str, support: str) -> bool:
    """A negation on one side governs words the other side states without one. A clause the
    claim simply leaves out (with its negation) is not a flip."""
    claim_words, support_words = content_words(claim), content_words(support)
    for governed, other, other_text in ((_negated(support), claim_words, claim),
                                        (_negated(claim), support_words, support)):
        for words in governed:
            if words and len(words & other) * 2 >= len(words) and not NEGATION_CORE.search(other_text):
                return True
    return False


def check_claim(claim: str, support: str) -> list[str]:
    """Reasons the claim says more than (or other than) the supporting text; empty if none."""
    c, s = fold(claim), fold(support)
    reasons = []
    missing_numbers = numbers(claim) - numbers(support, words=True)
    if missing_numbers:
        reasons.append(f"numbers not in the source: {', '.join(sorted(missing_numbers))}")
    if _negation_flipped(c, s):
        reasons.append("negation differs from the source")
    if ANIMAL.search(s) and not ANIMAL.search(c) and HUMAN.search(c):
        reasons.append("an animal or cell result stated about people")
    if CERTAIN.search(c) and not CERTAIN.search(s):
        reasons.append("states as certain what the source does not")
    if HEDGE.search(s) and not HEDGE.search(c) and (CAUSAL.search(c) or CERTAIN.search(c)):
        reasons.append("drops the source's hedge")
    if CAUSAL.search(c) and not CAUSAL.search(s) and re.search(
            r"\b(?:survey|reported|self-report|associated|respondents|said|described|odds|higher|lower|more likely|"
            r"less likely|correlat\w*|linked)\b", s):
        reasons.append("a reported or associated finding stated as an effect")
    extra_universal = {_universal(w) for w in UNIVERSAL.findall(c)} - {_universal(w) for w in UNIVERSAL.findall(s)}
    if extra_universal - {"never"}:
        reasons.append(f"generalises beyond the source ({', '.join(sorted(extra_universal))})")
    claim_words, source_words = content_words(claim), content_words(support)
    if claim_words:
        prefixes = {w[:STEM_PREFIX] for w in source_words}
        coverage = sum(w in source_words or w[:STEM_PREFIX] in prefixes for w in claim_words) / len(claim_words)
        if coverage < MIN_COVERAGE:
            reasons.append(f"only {coverage:.0%} of the claim's content words are in the source")
    entities = {e for e in _entities(claim) if not _mentioned(e, support)}
    if entities:
        reasons.append(f"names not in the source: {', '.join(sorted(entities))}")
    return reasons


def _universal(word: str) -> str:
    return "all" if word in ("each", "every", "all") else word


ENTITY = re.compile(r"\b(?:[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*|CYP\w+|[A-Z][a-z]{2,})\b")
ENTITY_STOP = {"The", "This", "That", "These", "Those", "In", "It", "A", "An", "And", "But", "Of", "For", "On", "At",
               "By", "With", "From", "After", "Before", "During", "While", "When", "Where", "One", "Two", "Some",
               "Most", "Many", "Among", "About", "Across", "Kratom", "No", "Both", "Each", "Only", "Users", "People",
               "US", "USA"}
STEM_PREFIX = 5  # 'Malaysian' names what 'Malaysia' names


def _entities(text: str) -> set[str]:
    """Names, drugs, enzymes, places: capitalised words that do not just start a sentence."""
    found = set()
    for m in ENTITY.finditer(text):
        token = m.group(0)
        sentence_start = m.start() == 0 or text[: m.start()].rstrip().endswith((".", ":", ";", "!", "?"))
        if token in ENTITY_STOP or (sentence_start and not re.search(r"[A-Z0-9].*[A-Z0-9]", token)):
            continue
        found.add(token)
    return found


def _mentioned(entity: str, support: str) -> bool:
    """The support names it: same word, same stem, or an acronym of its capitalised words."""
    low = entity.lower()
    folded = fold(support)
    words = set(WORD.findall(folded))
    if re.search(rf"(?<![a-z0-9]){re.escape(low)}(?![a-z0-9])", folded) or (
            len(low) >= STEM_PREFIX and any(w.startswith(low[:STEM_PREFIX]) for w in words)):
        return True
    initials = "".join(w[0] for w in re.findall(r"\b[A-Z][a-z]+", support) if w not in ("The", "In"))
    return entity.isupper() and len(entity) >= 2 and entity in initials


class EmbeddingScorer:
    """The default scorer: bundled embeddings to find the evidence, rules to judge it."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}  # the same KB passages come back again and again

    def _encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self.embedder.encode_documents(missing), strict=True))
        return np.stack([self._vectors[t] for t in texts])

    def score(self, claim: str, passages: Sequence[str]) -> Verdict:
        sentences = _sentences(passages)
        if not sentences:
            return Verdict(False, 0.0, "", ("no passage to check against",))
        claim_vec = self.embedder.encode_query(claim)
        candidates = sentences + [f"{a} {b}" for a, b in pairwise(sentences)]
        sims = self._encode(candidates) @ claim_vec
        order = [int(i) for i in np.argsort(-sims)[:TRIED_CANDIDATES]]
        evidence, similarity = candidates[order[0]], float(sims[order[0]])
        if similarity < MIN_SIMILARITY:
            return Verdict(False, similarity, evidence,
                           (f"closest source text has similarity {similarity:.2f} < {MIN_SIMILARITY}",))
        first_reasons: list[str] = []
        for i in order:
            if float(sims[i]) < MIN_SIMILARITY:
                break
            reasons = check_claim(claim, candidates[i])
            if not reasons:
                return Verdict(True, float(sims[i]), candidates[i])
            first_reasons = first_reasons or reasons
        reasons = first_reasons
        return Verdict(not reasons, similarity, evidence, tuple(reasons))


class CrossEncoderScorer:
    """An NLI cross-encoder (local path): supported when entailment is the most likely label."""

    def __init__(self, model_path: str) -> None:
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(model_path, device="cpu")
        labels = {str(v).lower(): int(k) for k, v in (self.model.config.id2label or {}).items()}
        if "entailment" not in labels:
            raise ValueError(f"{model_path} is not an NLI model: its labels are {sorted(labels)}, none is 'entailment'")
        self.entailment = labels["entailment"]

    def score(self, claim: str, passages: Sequence[str]) -> Verdict:
        premise = " ".join(strip_citations(p) for p in passages)
        logits = np.asarray(self.model.predict([(premise, claim)]))[0]
        probs = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        supported = int(np.argmax(probs)) == self.entailment
        return Verdict(supported, float(probs[self.entailment]), premise[:300],
                       () if supported else ("the NLI model does not find entailment",))

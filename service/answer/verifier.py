"""The learned verifier: does this passage support this claim?

A logistic model over features of the (claim, evidence) pair, trained offline by
`kbchat verifier train` (verifier_train.py) and stored as a few hundred numbers in
`data/verifier.npz`. The features come from the bundled MiniLM, used frozen, and from the exact
checks of the rules scorer (faithfulness.py):
- how close the two sentences are as wholes;
- token alignment: for each claim word piece, its best match among the evidence's contextual word
  pieces (mean, minimum, lower quartile, shares below fixed similarities), and the reverse;
- the relative length of claim and evidence;
- one flag per rule check (a number not in the source, a flipped negation, an animal result said
  of people, certainty or cause added, a generalisation, uncovered content words, new names).
Where the rules scorer needs near-copies, this model weighs the signals together, so reworded
support can pass and a changed detail in otherwise copied words can fail.

A passage of several sentences is scored sentence by sentence and by adjacent pairs (a claim may
join two neighbouring sentences); the claim is supported when its best piece of evidence is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kbchat.core.sentences import split_sentences, strip_citations
from kbchat.service.answer.faithfulness import Verdict, check_claim

if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder

ARTEFACT = Path(__file__).parent / "data" / "verifier.npz"
# Rule checks (faithfulness.check_claim), each a feature, recognised by how its reason begins.
RULES = ("numbers not", "negation", "an animal", "states as certain", "drops the", "a reported", "generalises",
         "only ", "names not")
ALIGNMENT_LEVELS = (0.5, 0.6, 0.7)
FEATURES = ("cosine", "claim_align_mean", "claim_align_min", "claim_align_q25",
            *(f"claim_align_below_{t}" for t in ALIGNMENT_LEVELS), "evidence_align_mean", "evidence_align_q25",
            "length_ratio", "no_rule_fired", *(f"rule:{r.strip()}" for r in RULES))
CACHE_LIMIT = 20_000  # encoded texts kept (KB sentences come back again and again)


class VerifierMissing(RuntimeError):
    """The trained verifier is not on disk: `kbchat verifier train` builds it."""


@dataclass(frozen=True)
class Encoded:
    sentence: np.ndarray  # unit vector of the whole text
    tokens: np.ndarray  # unit vectors of its word pieces, in context (special tokens dropped)


class PairFeatures:
    """Turns (claim, evidence) pairs into feature rows with the frozen bundled model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._cache: dict[str, Encoded] = {}

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            if len(self._cache) + len(missing) > CACHE_LIMIT:
                self._cache.clear()
            out: Any = self.embedder.model.encode(missing, batch_size=32, output_value=None,
                                                  convert_to_numpy=False)
            for text, item in zip(missing, out, strict=True):
                self._cache[text] = _encoded(item)
        return [self._cache[t] for t in texts]

    def rows(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        encoded = self.encode([t for pair in pairs for t in pair])
        return np.array([features(claim, evidence, encoded[2 * k], encoded[2 * k + 1])
                         for k, (claim, evidence) in enumerate(pairs)])


def _encoded(item: dict[str, Any]) -> Encoded:
    sentence = item["sentence_embedding"].float().numpy()
    tokens = item["token_embeddings"].float().numpy()
    tokens = tokens[1:-1] if len(tokens) > 2 else tokens  # [CLS] and [SEP]
    return Encoded(sentence / (np.linalg.norm(sentence) + 1e-9),
                   tokens / (np.linalg.norm(tokens, axis=1, keepdims=True) + 1e-9))


def features(claim: str, evidence: str, c: Encoded, e: Encoded) -> np.ndarray:
    align = c.tokens @ e.tokens.T
    claim_best, evidence_best = align.max(axis=1), align.max(axis=0)
    reasons = check_claim(claim, evidence)
    flags = [float(any(r.startswith(rule) for r in reasons)) for rule in RULES]
    values = [float(c.sentence @ e.sentence), float(claim_best.mean()), float(claim_best.min()),
              float(np.percentile(claim_best, 25)), *(float((claim_best < t).mean()) for t in ALIGNMENT_LEVELS),
              float(evidence_best.mean()), float(np.percentile(evidence_best, 25)),
              len(c.tokens) / max(len(e.tokens), 1), float(not reasons), *flags]
    return np.array(values, dtype=np.float64)


def evidence_pieces(passages: Sequence[str]) -> list[str]:
    """Each sentence of the passages, then each adjacent pair of sentences of one passage."""
    pieces: list[str] = []
    pairs: list[str] = []
    for passage in passages:
        sentences = [s.clean for s in split_sentences(strip_citations(passage)) if s.clean]
        pieces.extend(sentences)
        pairs.extend(f"{a} {b}" for a, b in pairwise(sentences))
    return list(dict.fromkeys(pieces + pairs))


@dataclass(frozen=True)
class LogisticModel:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    key: str

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def save(self, path: Path) -> None:
        np.savez(path, mean=self.mean, scale=self.scale, weights=self.weights, bias=self.bias,
                 threshold=self.threshold, key=self.key, features=np.array(FEATURES))


def load_model(path: Path = ARTEFACT) -> LogisticModel:
    if not path.exists():
        raise VerifierMissing(f"no trained verifier at {path}: run `kbchat verifier train`")
    data = np.load(path)
    if tuple(str(f) for f in data["features"]) != FEATURES:
        raise VerifierMissing(f"{path} was trained on other features: run `kbchat verifier train`")
    return LogisticModel(data["mean"], data["scale"], data["weights"], float(data["bias"]),
                         float(data["threshold"]), str(data["key"]))


class LearnedVerifier:
    """Implements `Scorer` (faithfulness.py) with the trained logistic model."""

    def __init__(self, embedder: Embedder, artefact: Path = ARTEFACT) -> None:
        self.model = load_model(artefact)
        self.features = PairFeatures(embedder)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """P(supported) for each (claim, evidence) pair."""
        if not pairs:
            return np.zeros(0)
        return self.model.probabilities(self.features.rows(pairs))

    def score(self, claim: str, passages: Sequence[str]) -> Verdict:
        pieces = evidence_pieces(passages)
        claim = strip_citations(claim).strip()
        if not pieces or not claim:
            return Verdict(False, 0.0, "", ("no claim or no passage to check",))
        probs = self.probabilities([(claim, p) for p in pieces])
        best = int(np.argmax(probs))
        p = float(probs[best])
        if p >= self.model.threshold:
            return Verdict(True, p, pieces[best])
        reasons = check_claim(claim, pieces[best]) or ["the claim's wording does not line up with the source"]
        return Verdict(False, p, pieces[best],
                       (f"support probability {p:.2f} < {self.model.threshold:.2f}", *reasons))


def training_key(*parts: bytes) -> str:
    """Identifies an artefact by everything it was trained from (data, trainer code, base model)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]

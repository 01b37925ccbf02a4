"""The learned verifier: does this passage support this claim?

A cross-encoder fine-tuned offline from the bundled MiniLM (`kbchat verifier train`, see
`verifier_train.py`). It reads claim and evidence together, so it can see a paraphrase as support
and a changed number, a flipped direction or a swapped species as not, where the embedding-plus-
rules scorer (`faithfulness.py`) only recognises near-copies.

A passage of several sentences is scored sentence by sentence and by adjacent pairs (a claim may
join two neighbouring sentences); the claim is supported when its best piece of evidence is.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kbchat.core.sentences import split_sentences, strip_citations
from kbchat.service.answer.faithfulness import Verdict

if TYPE_CHECKING:
    import torch

# Claims and evidence are short: 160 word pieces hold a long KB sentence pair with room to spare.
MAX_TOKENS = 160
META_FILE = "kbchat-verifier.json"
# Only the fine-tuned weights are stored (half precision); the rest is the bundled base model.
DELTA_FILE = "delta.safetensors"
ARTEFACT_DIR = Path(__file__).parent / "data" / "verifier"


class VerifierMissing(RuntimeError):
    """The trained verifier is not on disk: `kbchat verifier train` builds it."""


@dataclass(frozen=True)
class VerifierMeta:
    """What the artefact was trained on, and the decision threshold chosen on dev."""

    key: str
    threshold: float
    dev_balanced_accuracy: float
    train_pairs: int


def evidence_pieces(passages: Sequence[str]) -> list[str]:
    """Each sentence of the passages, then each adjacent pair of sentences of one passage."""
    pieces: list[str] = []
    pairs: list[str] = []
    for passage in passages:
        sentences = [s.clean for s in split_sentences(strip_citations(passage)) if s.clean]
        pieces.extend(sentences)
        pairs.extend(f"{a} {b}" for a, b in pairwise(sentences))
    return list(dict.fromkeys(pieces + pairs))


class LearnedVerifier:
    """Scores (claim, evidence) pairs with the fine-tuned cross-encoder; implements `Scorer`."""

    def __init__(self, base_model_path: str, artefact: Path = ARTEFACT_DIR) -> None:
        meta_path = artefact / META_FILE
        if not meta_path.exists() or not (artefact / DELTA_FILE).exists():
            raise VerifierMissing(f"no trained verifier at {artefact}: run `kbchat verifier train`")
        self.meta = VerifierMeta(**json.loads(meta_path.read_text(encoding="utf-8")))
        self.tokenizer, self.model = load_model(base_model_path, artefact)
        import torch

        self._torch = torch

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """P(supported) for each (claim, evidence) pair, in one batch."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        batch = self._encode(pairs)
        with self._torch.inference_mode():
            logits = self.model(**batch).logits[:, 0]
        return self._torch.sigmoid(logits).numpy().astype(np.float32)

    def _encode(self, pairs: Sequence[tuple[str, str]]) -> dict[str, torch.Tensor]:
        claims = [c for c, _ in pairs]
        evidence = [e for _, e in pairs]
        encoded: Any = self.tokenizer(claims, evidence, truncation=True, max_length=MAX_TOKENS, padding=True,
                                      return_tensors="pt")
        return dict(encoded)

    def score(self, claim: str, passages: Sequence[str]) -> Verdict:
        pieces = evidence_pieces(passages)
        if not pieces:
            return Verdict(False, 0.0, "", ("no passage to check against",))
        probs = self.probabilities([(claim, p) for p in pieces])
        best = int(np.argmax(probs))
        p = float(probs[best])
        if p >= self.meta.threshold:
            return Verdict(True, p, pieces[best])
        return Verdict(False, p, pieces[best],
                       (f"the verifier gives support probability {p:.2f} < {self.meta.threshold:.2f}",))


def load_model(base_model_path: str, artefact: Path | None = None) -> tuple[Any, Any]:
    """The base model with a one-logit head, and the stored fine-tuned weights when given."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from safetensors.torch import load_file
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the new head is reported as "newly initialised": expected here
    tokenizer = AutoTokenizer.from_pretrained(base_model_path)
    model = AutoModelForSequenceClassification.from_pretrained(base_model_path, num_labels=1)
    if artefact is not None:
        delta = {k: v.float() for k, v in load_file(str(artefact / DELTA_FILE)).items()}
        missing = set(delta) - set(model.state_dict())
        if missing:
            unknown = sorted(missing)[:3]
            raise VerifierMissing(f"{artefact / DELTA_FILE} does not fit the base model (unknown {unknown})")
        model.load_state_dict(delta, strict=False)
    return tokenizer, model.eval()


def training_key(*parts: bytes) -> str:
    """Identifies an artefact by everything it was trained from (data, trainer code, base model)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]

"""Build the verifier's training pairs and fit it: `kbchat verifier train`.

Two sources of pairs, both from the KB entries of the *train* split only (the split is by entry,
`data/verifier_split.json`, so no entry's sentences are in two splits):
- hand-written pairs (`data/verifier_pairs.jsonl`): paraphrases in other words, summaries, and the
  kinds of unfaithfulness a careless writer makes;
- pairs made here from each KB sentence by exact, mechanical edits: a number changed, a direction
  or a species swapped, a hedge made certain, a negation added or removed, a detail added, or
  another sentence of the same entry offered as the claim.
The mechanical edits teach what must never pass; the hand-written pairs teach that reworded
support is still support.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kbchat.core.sentences import split_sentences, strip_citations
from kbchat.ingest.kb.parse import parse_entry
from kbchat.service.answer.verifier import LogisticModel, PairFeatures, training_key

DATA = Path(__file__).parent / "data"
PAIRS_FILE = DATA / "verifier_pairs.jsonl"
SPLIT_FILE = DATA / "verifier_split.json"
# The train entries' sentences as they were when the pairs were made: editing the KB later does not
# silently change (or invalidate) the verifier; `kbchat verifier snapshot` refreshes it on purpose.
SENTENCES_FILE = DATA / "verifier_sentences.json"
if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder

SEED = 13


@dataclass(frozen=True)
class Pair:
    claim: str
    evidence: str
    supported: bool
    kind: str
    source_id: str


@dataclass(frozen=True)
class TrainConfig:
    regularisation: float = 1.0  # inverse L2 strength of the logistic model (scikit-learn's C)


# --- mechanical edits ------------------------------------------------------------------------

SWAPS_DIRECTION = [("higher", "lower"), ("increased", "decreased"), ("increase", "decrease"), ("more", "fewer"),
                   ("greater", "smaller"), ("rose", "fell"), ("above", "below"), ("most", "least"),
                   ("larger", "smaller"), ("longer", "shorter"), ("raised", "lowered"), ("stronger", "weaker"),
                   ("faster", "slower"), ("worse", "better"), ("before", "after")]
SWAPS_SPECIES = [("mice", "people"), ("rats", "humans"), ("rat", "human"), ("mouse", "human"),
                 ("animals", "patients"), ("in vitro", "in patients"), ("cells", "volunteers"),
                 ("zebrafish", "adults")]
SWAPS_CERTAINTY = [("may", "does"), ("might", "will"), ("could", "does"), ("suggests", "proves"),
                   ("suggest", "prove"), ("possible", "certain"), ("possibly", "definitely"), ("likely", "certainly"),
                   ("associated with", "caused by"), ("linked to", "caused by"), ("appeared", "was proven"),
                   ("preliminary", "conclusive"), ("some", "all")]
NEGATIONS = [(" was associated", " was not associated"), (" were associated", " were not associated"),
             (" found ", " did not find "), (" reported ", " denied "), (" is ", " is not "), (" was ", " was not "),
             (" were ", " were not "), (" can ", " cannot "), (" has ", " has not "), (" did not ", " did "),
             (" no ", " some "), (" not ", " "), (" never ", " often ")]
# Details a marketing page might tack on; none is stated by any KB sentence it is added to.
ADDITIONS = [", and the effect lasted for several months", ", especially in women", ", with no side effects reported",
             ", which shows kratom is safe for daily use", ", and the benefit was confirmed in a later trial",
             ", mainly among older adults", ", and most of them recovered fully within a day",
             ", a result replicated in three countries", ", and doctors now recommend it",
             ", twice as often as with prescription antidepressants", ", regardless of the amount used",
             ", and symptoms of depression also improved", ", as the FDA has since confirmed",
             ", in a placebo-controlled design", ", and anxiety scores fell by half"]
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")


def _replace_word(text: str, old: str, new: str) -> str | None:
    pattern = re.compile(rf"\b{re.escape(old)}\b", re.IGNORECASE)
    if not pattern.search(text):
        return None
    return pattern.sub(lambda m: new.capitalize() if m.group(0)[0].isupper() else new, text, count=1)


def _swap(text: str, pairs: Sequence[tuple[str, str]], rng: random.Random, both_ways: bool = True) -> str | None:
    options = [(a, b) for a, b in pairs] + ([(b, a) for a, b in pairs] if both_ways else [])
    rng.shuffle(options)
    for old, new in options:
        out = _replace_word(text, old, new)
        if out and out != text:
            return out
    return None


def _change_number(text: str, rng: random.Random) -> str | None:
    found = list(NUMBER.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    raw = m.group(0)
    value = float(raw.replace(",", ""))
    if 1900 <= value <= 2030 and "." not in raw:
        new = str(int(value) + rng.choice([-6, -3, 2, 4]))
    elif value == 0:
        new = str(rng.choice([3, 10, 25]))
    else:
        factor = rng.choice([0.5, 0.7, 1.4, 2.0, 3.0])
        changed = value * factor
        whole = max(round(changed), 1)
        new = f"{changed:.1f}" if "." in raw else f"{whole:,}" if "," in raw else str(whole)
        if new.replace(",", "") == raw.replace(",", ""):
            new = str(int(value) + 7)
    return text[: m.start()] + new + text[m.end():]


def _negate(text: str, rng: random.Random) -> str | None:
    options = list(NEGATIONS)
    rng.shuffle(options)
    for old, new in options:
        if old in text:
            return text.replace(old, new, 1)
    return None


def _add_detail(text: str, rng: random.Random) -> str:
    return text.rstrip(".") + rng.choice(ADDITIONS) + "."


def _drop_parenthetical(text: str) -> str | None:
    out = re.sub(r"\s*\([^)]*\)", "", text)
    return out if out != text and len(out.split()) >= 6 else None


EDITS: list[tuple[str, bool, Callable[[str, random.Random], str | None]]] = [
    ("number", False, _change_number),
    ("direction", False, lambda t, r: _swap(t, SWAPS_DIRECTION, r)),
    ("swap", False, lambda t, r: _swap(t, SWAPS_SPECIES, r, both_ways=False)),
    ("certainty", False, lambda t, r: _swap(t, SWAPS_CERTAINTY, r, both_ways=False)),
    ("negation", False, _negate),
    ("addition", False, _add_detail),
    ("partial_quote", True, lambda t, r: _drop_parenthetical(t)),
]


def mechanical_pairs(entries: dict[str, list[str]], rng: random.Random) -> list[Pair]:
    """Edited copies of each sentence (see EDITS), plus a neighbour sentence as an unsupported claim."""
    out: list[Pair] = []
    for entry_id, sentences in entries.items():
        for k, sentence in enumerate(sentences):
            out.append(Pair(sentence, sentence, True, "identical", entry_id))
            for kind, supported, edit in EDITS:
                claim = edit(sentence, rng)
                if claim and claim != sentence:
                    out.append(Pair(claim, sentence, supported, kind, entry_id))
            others = [s for j, s in enumerate(sentences) if j != k]
            if others:
                out.append(Pair(rng.choice(others), sentence, False, "other_sentence", entry_id))
    return out


# --- data --------------------------------------------------------------------------------------

def kb_sentences(kb_dir: Path, entry_ids: Iterable[str]) -> dict[str, list[str]]:
    """Each wanted reviewed entry's body sentences, citations stripped."""
    wanted = set(entry_ids)
    out: dict[str, list[str]] = {}
    for path in sorted(kb_dir.glob("*/*.md")):
        entry = parse_entry(path)
        if entry.id in wanted and entry.status == "reviewed":
            out[entry.id] = [s.clean for s in split_sentences(strip_citations(entry.body)) if s.clean]
    return out


def load_split(path: Path = SPLIT_FILE) -> dict[str, list[str]]:
    split: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    return split


def written_pairs(path: Path, allowed: set[str]) -> list[Pair]:
    """Hand-written pairs whose entry is in the train split (any other is refused loudly)."""
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["source_id"] not in allowed:
            raise ValueError(f"{path}:{i}: entry {row['source_id']} is not in the train split")
        # The served verifier never sees citation markers (verifier.evidence_pieces strips them).
        out.append(Pair(strip_citations(row["claim"]), strip_citations(row["passage"]), row["label"] == "supported",
                        row.get("kind", ""), row["source_id"]))
    return out


def snapshot_sentences(kb_dir: Path, path: Path = SENTENCES_FILE, split_file: Path = SPLIT_FILE) -> int:
    """Write the train entries' current sentences to the snapshot; returns how many."""
    sentences = kb_sentences(kb_dir, load_split(split_file)["train"])
    path.write_text(json.dumps(sentences, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return sum(len(v) for v in sentences.values())


def training_pairs(split_file: Path = SPLIT_FILE, pairs_file: Path = PAIRS_FILE,
                   sentences_file: Path = SENTENCES_FILE) -> list[Pair]:
    split = load_split(split_file)
    train_ids = set(split["train"])
    sentences: dict[str, list[str]] = json.loads(sentences_file.read_text(encoding="utf-8"))
    unknown = set(sentences) - train_ids
    if unknown:
        raise ValueError(f"{sentences_file} holds entries outside the train split: {sorted(unknown)[:5]}")
    rng = random.Random(SEED)
    pairs = written_pairs(pairs_file, train_ids) + mechanical_pairs(sentences, rng)
    rng.shuffle(pairs)
    return pairs


# --- training ------------------------------------------------------------------------------------

def artefact_key(base_model: str, config: TrainConfig) -> str:
    """Everything the artefact is trained from: pairs, split, sentence snapshot, this trainer, the
    feature code, the base model."""
    from kbchat.service.answer import verifier

    return training_key(PAIRS_FILE.read_bytes(), SPLIT_FILE.read_bytes(), SENTENCES_FILE.read_bytes(),
                        Path(__file__).read_bytes(), Path(verifier.__file__).read_bytes(), base_model.encode(),
                        repr(config).encode())


def choose_threshold(probs: np.ndarray, supported: np.ndarray) -> tuple[float, float]:
    """The threshold with the best balanced accuracy on dev, and that accuracy."""
    best = (0.5, 0.0)
    for t in np.linspace(0.05, 0.95, 91):
        pred = probs >= t
        tpr = float(np.mean(pred[supported])) if supported.any() else 0.0
        tnr = float(np.mean(~pred[~supported])) if (~supported).any() else 0.0
        bal = (tpr + tnr) / 2
        if bal > best[1] + 1e-9:
            best = (float(t), bal)
    return best


def train(pairs: Sequence[Pair], dev: Sequence[Pair], embedder: Embedder, out: Path, key: str,
          config: TrainConfig = TrainConfig(), log: Callable[[str], None] = print) -> dict[str, float]:
    """Fit the logistic model on the pair features (classes weighted equally), choose the threshold
    on dev, and save it."""
    from sklearn.linear_model import LogisticRegression

    started = time.monotonic()
    maker = PairFeatures(embedder)
    x = maker.rows([(p.claim, p.evidence) for p in pairs])
    y = np.array([p.supported for p in pairs])
    log(f"features of {len(pairs)} training pairs in {time.monotonic() - started:.0f} s")
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    fitted = LogisticRegression(C=config.regularisation, max_iter=5000, class_weight="balanced")
    fitted.fit((x - mean) / scale, y)
    model = LogisticModel(mean, scale, fitted.coef_[0], float(fitted.intercept_[0]), 0.5, key)
    probs = model.probabilities(maker.rows([(p.claim, p.evidence) for p in dev]))
    threshold, balanced = choose_threshold(probs, np.array([p.supported for p in dev]))
    model = LogisticModel(mean, scale, model.weights, model.bias, threshold, key)
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    log(f"dev balanced accuracy {balanced:.3f} at threshold {threshold:.2f}; saved to {out}")
    return {"threshold": threshold, "dev_balanced_accuracy": balanced, "seconds": time.monotonic() - started}

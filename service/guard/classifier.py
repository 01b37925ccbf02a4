"""The guard's learned part: two small heads over MiniLM embeddings of the user's words.

- `routes`: the five routes, from the (resolved) question's embedding, which the pipeline
  computes anyway for retrieval.
- `crisis`: crisis or not, for single sentences. It is trained on whole messages plus every
  sentence of the non-crisis messages, so "this heat is killing me" and "I'm dying to see the
  film" are taught as harmless one sentence at a time; the router runs it on each sentence of a
  longer message, where one crisis sentence can be buried in a story.

Both are trained on service/guard/data/guard_train.jsonl (writing batches kept apart from the dev
and test batches: eval/README.md). `kbchat guard train` rebuilds the checked-in artefact
service/guard/data/guard_model.npz; it is used only while its key matches the training file and
the embedding model, and otherwise the heads are retrained once and cached under the data dir.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kbchat.core.conversation import ROUTES, Route, Turn, resolve_query
from kbchat.core.deobfuscate import deobfuscate
from kbchat.service.guard.model import Head, fit

if TYPE_CHECKING:
    from kbchat.core.embedder import Embedder

DATA = Path(__file__).resolve().parent / "data"
TRAIN_FILE = DATA / "guard_train.jsonl"
ARTEFACT = DATA / "guard_model.npz"
CRISIS_LABELS = ("crisis", "other")
# Sentence ends in chat text: punctuation followed by space, or a line break.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")
MIN_SENTENCE_WORDS = 2


@dataclass(frozen=True)
class Example:
    turns: tuple[Turn, ...]
    route: Route

    @property
    def text(self) -> str:
        return resolve_query(self.turns)


@dataclass(frozen=True)
class GuardModels:
    routes: Head
    crisis: Head
    key: str  # training data + embedding model the heads were trained for


def chat_sentences(text: str) -> list[str]:
    """The sentences of a chat message (at least two words each)."""
    parts = (p.strip() for p in SENTENCE_BREAK.split(text))
    return [p for p in parts if len(p.split()) >= MIN_SENTENCE_WORDS]


def load_examples(path: Path) -> list[Example]:
    examples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["route"] not in ROUTES:
            raise ValueError(f"{path}:{n}: unknown route {row['route']!r}")
        turns = tuple(Turn(m["role"], deobfuscate(m["content"])) for m in row["messages"])
        examples.append(Example(turns, row["route"]))
    return examples


def training_key(train_file: Path, model_name: str) -> str:
    digest = hashlib.sha256(train_file.read_bytes() + model_name.encode())
    digest.update(Path(__file__).with_name("model.py").read_bytes())  # a new trainer is a new model
    return digest.hexdigest()[:16]


def train(embedder: Embedder, train_file: Path = TRAIN_FILE) -> GuardModels:
    """Encode the training messages (and their sentences) once and fit both heads."""
    examples = load_examples(train_file)
    vectors = embedder.encode_queries([e.text for e in examples])
    routes = fit(vectors, [e.route for e in examples], ROUTES)
    harmless = [s for e in examples if e.route != "crisis" for t in e.turns if t.role == "user"
                for s in chat_sentences(t.content)]
    crisis_x = np.vstack([vectors, embedder.encode_queries(harmless)]) if harmless else vectors
    crisis_y = ["crisis" if e.route == "crisis" else "other" for e in examples] + ["other"] * len(harmless)
    crisis = fit(crisis_x, crisis_y, CRISIS_LABELS)
    return GuardModels(routes, crisis, training_key(train_file, embedder.name))


def save(models: GuardModels, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    arrays = {"key": np.array(models.key), **models.routes.to_arrays("routes"), **models.crisis.to_arrays("crisis")}
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as bool
    tmp.replace(path)


def load(path: Path) -> GuardModels:
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files}
    return GuardModels(Head.from_arrays(arrays, "routes"), Head.from_arrays(arrays, "crisis"), str(arrays["key"]))


def train_or_load(embedder: Embedder, cache_dir: Path, train_file: Path = TRAIN_FILE,
                  artefact: Path = ARTEFACT) -> GuardModels:
    """The checked-in heads when they match the training data and model; else train once and cache."""
    key = training_key(train_file, embedder.name)
    cached = cache_dir / f"guard-{key}.npz"
    for path in (artefact, cached):
        if path.exists():
            models = load(path)
            if models.key == key:
                return models
    models = train(embedder, train_file)
    save(models, cached)
    return models

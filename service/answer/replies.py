"""The fixed wording of an abstention: the KB does not cover the question (not a guard decision)."""

from __future__ import annotations

ABSTAIN_SENTENCE = (
    "The knowledge base does not cover that question well enough to answer it with a citation, "
    "so I'd rather not guess."
)
ABSTAIN_MISSING_WORD = (
    "The knowledge base never mentions \u201c{word}\u201d, so it cannot answer that with a citation, "
    "and I'd rather not guess."
)
ABSTAIN_NEAREST = (
    "The knowledge base has sources on nearby topics \u2013 {topics} \u2013 but none that answers this "
    "question, so I'd rather not guess."
)
ABSTAIN_FOLLOW_UP = "Here are related questions it does cover:"

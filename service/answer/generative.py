"""Optional generative mode: a chat model writes the answer from numbered passages, and every
sentence it writes is checked against the passages it cites before it may reach the reader.

Off by default (KBCHAT_LLM_PROVIDER=none). LangChain chat models are imported lazily, as an extra.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kbchat.core.config import Settings
from kbchat.core.sentences import split_sentences
from kbchat.ingest.index.loaded import LoadedIndex
from kbchat.service.answer.citations import Answer, AnswerSentence, Citation, cite
from kbchat.service.answer.compose import ComposeParams
from kbchat.service.answer.faithfulness import Scorer
from kbchat.service.answer.rail import keep_sentence
from kbchat.service.answer.retrieve import Hit

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
SYSTEM_PROMPT = (
    "You answer questions about kratom using ONLY the numbered passages given. Write 2 to 5 plain sentences. "
    "End every sentence with the number of the passage that supports it, like [2]. Never state anything the "
    "passages do not say, never give advice on amounts, frequency, timing, strains or changing treatment, and "
    "say when a finding comes from animals, cells, surveys or a single case."
)


@dataclass
class Generator:
    model: BaseChatModel
    scorer: Scorer


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    """Build the configured chat model; the packages come from the `llm` extra."""
    if settings.llm_provider == "openai":
        from langchain_openai import ChatOpenAI

        model: BaseChatModel = ChatOpenAI(
            model=settings.llm_model, base_url=settings.llm_base_url, api_key=settings.llm_api_key, temperature=0
        )
        return model
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        local: BaseChatModel = ChatOllama(model=settings.llm_model, base_url=settings.llm_base_url, temperature=0)
        return local
    raise ValueError(f"KBCHAT_LLM_PROVIDER must be none, openai or ollama, got {settings.llm_provider!r}")


def generate_verified(generator: Generator, question: str, index: LoadedIndex, hits: list[Hit],
                      params: ComposeParams) -> Answer | None:
    """The model's answer with every unsupported or uncited sentence removed; None if none survive."""
    from langchain_core.messages import HumanMessage, SystemMessage

    top = hits[: params.candidate_passages]
    passages = [index.passages[h.passage_id].text for h in top]
    listing = "\n".join(f"[{i}] {text}" for i, text in enumerate(passages, 1))
    reply = generator.model.invoke([SystemMessage(SYSTEM_PROMPT),
                                    HumanMessage(f"Passages:\n{listing}\n\nQuestion: {question}")])
    kept = []
    for sentence in split_sentences(str(reply.content)):
        cited = sorted({int(n) for group in MARKER.findall(sentence.text) for n in group.split(",")
                        if 0 < int(n) <= len(top)})
        text = MARKER.sub("", sentence.text).strip()
        if not cited or not text or not keep_sentence(text):
            continue
        if generator.scorer.score(text, [passages[n - 1] for n in cited]).supported:
            kept.append((text, cited))
    return _answer(index, top, kept) if kept else None


def _answer(index: LoadedIndex, top: list[Hit], kept: list[tuple[str, list[int]]]) -> Answer:
    citations: dict[str, Citation] = {}
    sentences = []
    for text, cited in kept:
        numbers = []
        for n in cited:
            passage = index.passages[top[n - 1].passage_id]
            entry = index.entries[passage.entry_id]
            if entry.id not in citations:
                citations[entry.id] = cite(entry, len(citations) + 1, passage.text)
            numbers.append(citations[entry.id].n)
        labels = tuple(dict.fromkeys(citations[i].design for i in citations if citations[i].n in numbers))
        sentences.append(AnswerSentence(text, tuple(dict.fromkeys(numbers)), "", labels))
    return Answer(sentences, sorted(citations.values(), key=lambda c: c.n))

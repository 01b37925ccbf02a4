"""The claim checker against the seed claims' graded verdicts (seeds/claims.yaml)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kbchat.ingest.kb.claims import load_claims
from kbchat.service.answer.check import ClaimVerdict, check
from kbchat.service.answer.engine import Engine
from kbchat.service.answer.verifier import LearnedVerifier

# How a seed grade reads as a checker verdict: "unsupported" in the seed file means the KB does not
# back the claim, whether it holds close material (not_supported) or none (no_evidence).
AGREES: dict[str, tuple[ClaimVerdict, ...]] = {
    "supported": ("supported",),
    "partly_supported": ("partly_supported",),
    "unsupported": ("not_supported", "no_evidence"),
    "contradicted": ("contradicted",),
    "advice_not_claim": ("refused",),
}


def claims_agreement(engine: Engine, verifier: LearnedVerifier, path: Path) -> dict[str, Any]:
    claims = load_claims(path)
    rows: list[dict[str, Any]] = []
    for claim in claims:
        result = check(engine, verifier, claim.claim)
        rows.append({"id": claim.id, "claim": claim.claim, "graded": claim.verdict, "got": result.verdict,
                     "agrees": result.verdict in AGREES.get(claim.verdict, ())})
    return {"n": len(rows), "agreement": _share(rows), "by_grade": _by_grade(rows),
            "disagreements": [r for r in rows if not r["agrees"]]}


def _share(rows: Sequence[dict[str, Any]]) -> float:
    return sum(r["agrees"] for r in rows) / len(rows) if rows else 0.0


def _by_grade(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    grades = sorted({r["graded"] for r in rows})
    return {g: {"n": sum(r["graded"] == g for r in rows), "agreement": _share([r for r in rows if r["graded"] == g])}
            for g in grades}

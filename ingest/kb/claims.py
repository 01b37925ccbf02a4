"""The seed articles' claims (seeds/claims.yaml): what the marketing says, and our verdicts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

TYPES = ("mechanism", "efficacy", "safety", "dosing", "legal", "statistic", "advice")
VERDICTS = ("supported", "partly_supported", "unsupported", "contradicted", "advice_not_claim")


class ClaimsError(ValueError):
    pass


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    seeds: tuple[str, ...]
    type: str
    verdict: str
    kb_ids: tuple[str, ...]
    reasoning: str


def load_claims(path: Path) -> list[Claim]:
    """Parse and check the vocabulary; raise ClaimsError naming the bad item."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    claims = []
    for i, row in enumerate(rows, 1):
        where = f"{path} item {i} ({row.get('id', '?')})"
        if row.get("type") not in TYPES:
            raise ClaimsError(f"{where}: type must be one of {', '.join(TYPES)}")
        if row.get("verdict") not in VERDICTS:
            raise ClaimsError(f"{where}: verdict must be one of {', '.join(VERDICTS)}")
        claims.append(Claim(str(row["id"]), row["claim"], tuple(row.get("seeds", [])), row["type"], row["verdict"],
                            tuple(row.get("kb_ids") or []), row.get("reasoning", "")))
    return claims


def verdict_counts(claims: list[Claim]) -> dict[str, int]:
    counts = Counter(c.verdict for c in claims)
    return {v: counts.get(v, 0) for v in VERDICTS}

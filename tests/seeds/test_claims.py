from pathlib import Path

from kbchat.ingest.kb.claims import load_claims, verdict_counts
from kbchat.ingest.kb.parse import parse_entry

ROOT = Path(__file__).resolve().parents[2]


def test_every_cited_id_exists_and_is_reviewed() -> None:
    claims = load_claims(ROOT / "seeds" / "claims.yaml")
    status = {p.stem: parse_entry(p).meta.get("status") for p in (ROOT / "kb").glob("*/*.md")}
    bad = [(c.id, i) for c in claims for i in c.kb_ids if status.get(i) != "reviewed"]
    assert bad == []


def test_claims_cover_the_five_seeds_and_advice_is_never_a_claim() -> None:
    claims = load_claims(ROOT / "seeds" / "claims.yaml")
    assert 40 <= len(claims) <= 80
    assert len({s for c in claims for s in c.seeds}) == 5
    assert all(c.verdict == "advice_not_claim" for c in claims if c.type == "advice")
    assert sum(verdict_counts(claims).values()) == len(claims)

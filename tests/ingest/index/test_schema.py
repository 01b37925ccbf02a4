"""The index rows' encoding to Chroma and back: every field survives, in memory and in a real Chroma."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import chromadb
import chromadb.config
import numpy as np
import pytest

from kbchat.ingest.index.schema import (
    CITATION_SEPARATOR,
    EMBED_HASH,
    NO_YEAR,
    EntryRow,
    Manifest,
    PassageRow,
    SentenceRow,
    embed_hash_of,
)

CHROMA_SCALARS = (str, int, float, bool)

STUDY = EntryRow(
    id="garcia-romeu-2020-survey",
    kind="study",
    title="Kratom (Mitragyna speciosa): User demographics, use patterns",
    design="cross_sectional_survey",
    year=2020,
    url="https://doi.org/10.1016/j.drugalcdep.2020.107849",
    authors="Garcia-Romeu et al.",
    authors_full=("Garcia-Romeu, Albert", "Cox, David J.", "Smith, Kirsten E."),
    journal="Drug and Alcohol Dependence",
    doi="10.1016/j.drugalcdep.2020.107849",
    pmid="32791410",
    population="2,798 kratom users answering an anonymous online survey in 2017",
    topics=("use_patterns", "depression", "anxiety"),
    body="In a 2017 survey, 65% said they took kratom for depression.\nA second sentence.",
    content_hash="abc123",
)
# An undated agency page: year 0, no journal, no authors, no identifiers, no topics.
AGENCY = EntryRow(
    id="fda-statement", kind="study", title="FDA statement on kratom", design="agency_statement", year=NO_YEAR,
    url="https://www.fda.gov/kratom", authors="", authors_full=(), journal="", doi="", pmid="", population="",
    topics=(), body="The agency warns about kratom.",
)
# Non-ASCII everywhere a reader could type it: accents, typographic quotes, a CJK title, an en dash.
UNICODE = EntryRow(
    id="müller-2021-études", kind="study", title="Kratom \u2013 « études » 研究 ☕", design="other", year=2021,
    url="https://example.org/ü", authors="Müller & Ñúñez", authors_full=("Müller, Jürgen", "Ñúñez, José"),
    journal="Revue française", doi="10.1000/ß", pmid="", population="Adultes âgés de 18\u201365 ans",
    topics=("mood",), body="Les usagers « disent » que… 研究 \u00a0fin.", content_hash="ü",
)
SUMMARY = EntryRow(
    id="evidence-depression", kind="summary", title="What research says about kratom and depression",
    design="summary", year=NO_YEAR, url="", authors="", authors_full=(), journal="", doi="", pmid="",
    population="", topics=("depression", "mood"), body="Summary body.",
)
ENTRIES = (STUDY, AGENCY, UNICODE, SUMMARY)

SENTENCES = (
    SentenceRow("evidence-depression:s0:aa", "evidence-depression", "Users say it helps.", 0, 0, 120,
                ("garcia-romeu-2020-survey",)),
    SentenceRow("evidence-depression:s1:bb", "evidence-depression", "Mice, not people.", 1, 121, 240,
                ("farah-idayu-2011-fst", "hazim-2014-anxiolytic")),
    SentenceRow("garcia-romeu-2020-survey:s0:cc", "garcia-romeu-2020-survey", "A study sentence.", 0, 0, 60, ()),
    SentenceRow("müller:s3:dd", "müller-2021-études", "Les usagers « disent » que… 研究", 3, 7, 40, ("über-2019",)),
)
PASSAGES = (
    PassageRow("garcia-romeu-2020-survey:p0:ee", "garcia-romeu-2020-survey", "One. Two.", 0, 0, 200),
    PassageRow("garcia-romeu-2020-survey:p1:ff", "garcia-romeu-2020-survey", "Three.", 1, 201, 260),
    PassageRow("müller:p0:gg", "müller-2021-études", "Les usagers « disent » que… 研究", 0, 0, 33),
)


def assert_chroma_scalars(meta: dict[str, object]) -> None:
    for key, value in meta.items():
        assert isinstance(key, str)
        assert value is not None and isinstance(value, CHROMA_SCALARS), f"{key}={value!r} is not a Chroma scalar"


# --- EntryRow --------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ENTRIES, ids=lambda r: r.id)
def test_entry_row_round_trips_exactly(row: EntryRow) -> None:
    document, meta = row.to_chroma()
    assert document == row.body
    assert_chroma_scalars(meta)
    back = EntryRow.from_chroma(document, meta)
    assert back == row
    assert isinstance(back.authors_full, tuple) and isinstance(back.topics, tuple)


def test_entry_row_survives_a_json_trip_of_its_metadata() -> None:
    # What Chroma stores is plain JSON-ish scalars: a serialised copy must decode to the same row.
    for row in ENTRIES:
        document, meta = row.to_chroma()
        assert EntryRow.from_chroma(document, json.loads(json.dumps(meta))) == row


def test_entry_row_metadata_keeps_year_zero_as_an_int_and_the_id_under_entry_id() -> None:
    _, meta = AGENCY.to_chroma()
    assert meta["year"] == NO_YEAR == 0 and type(meta["year"]) is int
    assert meta["entry_id"] == "fda-statement"
    assert EntryRow.from_chroma("x", meta).year == NO_YEAR


def test_entry_row_keeps_order_of_authors_and_topics() -> None:
    row = replace(STUDY, authors_full=("Z, A", "A, Z", "M, M"), topics=("pain", "anxiety", "mood"))
    back = EntryRow.from_chroma(*row.to_chroma())
    assert back.authors_full == ("Z, A", "A, Z", "M, M")
    assert back.topics == ("pain", "anxiety", "mood")


def test_entry_row_two_rows_differing_only_in_bibliography_encode_differently() -> None:
    # The bibliography lives in one JSON field: a change to any part of it must reach Chroma.
    base = STUDY.to_chroma()[1]
    for change in ({"journal": "Other"}, {"doi": "10.1/x"}, {"pmid": "1"}, {"population": "rats"},
                   {"authors": "Someone"}, {"authors_full": ("Only, One",)}, {"topics": ("pain",)}):
        assert replace(STUDY, **change).to_chroma()[1] != base, change  # type: ignore[arg-type]


# --- SentenceRow -----------------------------------------------------------------------------


@pytest.mark.parametrize("row", SENTENCES, ids=lambda r: r.id)
def test_sentence_row_round_trips_exactly(row: SentenceRow) -> None:
    document, meta = row.to_chroma()
    assert document == row.text
    assert_chroma_scalars(meta)
    back = SentenceRow.from_chroma(row.id, document, meta)
    assert back == row
    assert isinstance(back.citations, tuple)


def test_sentence_citations_are_joined_by_the_separator() -> None:
    _, two = SENTENCES[1].to_chroma()
    assert CITATION_SEPARATOR == ";"
    assert two["citations"] == "farah-idayu-2011-fst;hazim-2014-anxiolytic"
    _, none = SENTENCES[2].to_chroma()
    assert none["citations"] == ""
    assert SentenceRow.from_chroma("r", "t", none).citations == ()


def test_sentence_row_position_zero_and_offsets_are_kept_as_ints() -> None:
    _, meta = SENTENCES[0].to_chroma()
    assert (meta["position"], meta["start"], meta["end"]) == (0, 0, 120)
    assert all(type(meta[k]) is int for k in ("position", "start", "end"))


# --- PassageRow ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", PASSAGES, ids=lambda r: r.id)
def test_passage_row_round_trips_exactly(row: PassageRow) -> None:
    document, meta = row.to_chroma()
    assert document == row.text
    assert_chroma_scalars(meta)
    assert PassageRow.from_chroma(row.id, document, meta) == row


# --- embed hash and manifest -----------------------------------------------------------------


def test_embed_hash_is_read_from_its_key() -> None:
    _, meta = SENTENCES[0].to_chroma()
    assert EMBED_HASH not in meta  # ingest adds it beside the row's own fields
    assert embed_hash_of({**meta, EMBED_HASH: "h1"}) == "h1"


def test_manifest_round_trips_through_json() -> None:
    manifest = Manifest(
        version="20261122-abc", fingerprint="f" * 16, model="sentence-transformers/all-MiniLM-L6-v2", dim=384,
        built_at="2026-11-22T10:00:00+00:00", counts={"entries": 6, "sentences": 13, "passages": 7},
        entries={"garcia-romeu-2020-survey": "h1", "müller-2021-études": "h2"},
    )
    text = manifest.to_json()
    assert Manifest.from_json(text) == manifest
    assert json.loads(text)["dim"] == 384
    assert Manifest.from_json(Manifest.from_json(text).to_json()) == manifest


def test_manifest_defaults_round_trip_as_empty_dicts() -> None:
    manifest = Manifest(version="v", fingerprint="f", model="m", dim=3, built_at="t")
    back = Manifest.from_json(manifest.to_json())
    assert back == manifest and back.counts == {} and back.entries == {}


# --- a real Chroma collection ----------------------------------------------------------------


def _vectors(n: int, dim: int = 8, seed: int = 0) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs.tolist()  # type: ignore[no-any-return]


def test_rows_written_to_a_real_chroma_collection_read_back_equal() -> None:
    client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
    suffix = uuid.uuid4().hex[:8]

    def collection(part: str):  # type: ignore[no-untyped-def]
        return client.create_collection(f"schema-{part}-{suffix}", embedding_function=None,
                                        metadata={"hnsw:space": "cosine"})

    entries, sentences, passages = collection("entries"), collection("sentences"), collection("passages")
    try:
        encoded_entries = [r.to_chroma() for r in ENTRIES]
        entries.add(ids=[r.id for r in ENTRIES], embeddings=_vectors(len(ENTRIES), seed=1),
                    documents=[d for d, _ in encoded_entries],
                    metadatas=[{**m, EMBED_HASH: f"h-{i}"} for i, (_, m) in enumerate(encoded_entries)])
        encoded_sentences = [r.to_chroma() for r in SENTENCES]
        sentences.add(ids=[r.id for r in SENTENCES], embeddings=_vectors(len(SENTENCES), seed=2),
                      documents=[d for d, _ in encoded_sentences], metadatas=[m for _, m in encoded_sentences])
        encoded_passages = [r.to_chroma() for r in PASSAGES]
        passages.add(ids=[r.id for r in PASSAGES], embeddings=_vectors(len(PASSAGES), seed=3),
                     documents=[d for d, _ in encoded_passages], metadatas=[m for _, m in encoded_passages])

        got = entries.get(include=["documents", "metadatas"])
        read_entries = {EntryRow.from_chroma(d, m).id: EntryRow.from_chroma(d, m)
                        for d, m in zip(got["documents"], got["metadatas"], strict=True)}
        assert read_entries == {r.id: r for r in ENTRIES}
        hashes = {rid: embed_hash_of(m) for rid, m in zip(got["ids"], got["metadatas"], strict=True)}
        assert hashes == {r.id: f"h-{i}" for i, r in enumerate(ENTRIES)}

        got = sentences.get(include=["documents", "metadatas"])
        read_sentences = {rid: SentenceRow.from_chroma(rid, d, m)
                          for rid, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)}
        assert read_sentences == {r.id: r for r in SENTENCES}

        got = passages.get(include=["documents", "metadatas"])
        read_passages = {rid: PassageRow.from_chroma(rid, d, m)
                         for rid, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)}
        assert read_passages == {r.id: r for r in PASSAGES}

        # The cosine space works on the stored vectors: a row's own vector finds that row first.
        own = _vectors(len(PASSAGES), seed=3)[1]
        nearest = passages.query(query_embeddings=[own], n_results=1, include=["distances"])
        assert nearest["ids"][0] == [PASSAGES[1].id]
        assert nearest["distances"][0][0] == pytest.approx(0.0, abs=1e-5)
    finally:
        for part in ("entries", "sentences", "passages"):
            client.delete_collection(f"schema-{part}-{suffix}")

"""`kbchat kb import`: drafts written whole and valid, or nothing written at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat.ingest.kb.citation import ImportProblem
from kbchat.ingest.kb.format import BODY_PLACEHOLDER
from kbchat.ingest.kb.importer import import_file
from kbchat.ingest.kb.parse import parse_entry
from kbchat.ingest.kb.validate import check_kb
from tests.helpers import copy_kb

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_kb(tmp_path)


def snapshot(kb: Path) -> dict[str, str]:
    return {str(p.relative_to(kb)): p.read_text() for p in sorted(kb.rglob("*")) if p.is_file()}


def test_pubmed_import_writes_valid_drafts_with_the_abstract_kept_aside(kb: Path) -> None:
    drafts = import_file(kb, "pubmed", IMPORTS / "pubmed_two.xml")
    assert [d.id for d in drafts] == ["muller-tester-2024-mood", "kratom-test-consortium-2019-anxiety"]
    entry = parse_entry(kb / "studies" / "muller-tester-2024-mood.md")
    meta = entry.meta
    assert meta["status"] == "draft" and meta["kind"] == "study"
    assert (meta["doi"], meta["pmid"], meta["year"], meta["journal"]) == (
        "10.1000/kbchat.test.0001", "39990001", 2024, "Journal of Psychoactive Test Studies")
    assert meta["abstract"].startswith("BACKGROUND: Kratom is used")
    assert meta["population"] == "" and meta["topics"] == [], "left for the editor"
    assert entry.body == BODY_PLACEHOLDER
    assert parse_entry(kb / "studies" / "kratom-test-consortium-2019-anxiety.md").meta["design"] == "systematic_review"
    assert check_kb(kb).problems == [], "an imported draft must not stop the next ingest"


@pytest.mark.parametrize("name", ["crossref.json", "zotero.ris", "doi.bib"])
def test_doi_import_reads_each_format(kb: Path, name: str) -> None:
    [draft] = import_file(kb, "doi", IMPORTS / name)
    assert draft.path.exists() and draft.citation.doi.lower().startswith("10.1000/kbchat.test.")
    assert check_kb(kb).problems == []


def test_a_duplicate_doi_writes_nothing_and_names_the_existing_entry(kb: Path, tmp_path: Path) -> None:
    xml = (IMPORTS / "pubmed_two.xml").read_text().replace(
        "10.1000/kbchat.test.0002", "10.1016/J.DRUGALCDEP.2020.107849")  # the fixture KB's survey, other case
    path = tmp_path / "dup.xml"
    path.write_text(xml)
    before = snapshot(kb)
    with pytest.raises(ImportProblem) as err:
        import_file(kb, "pubmed", path)
    message = str(err.value)
    assert "nothing was written" in message and "record 2" in message
    assert "already in the entry 'garcia-romeu-2020-survey'" in message and "edit that entry" in message
    assert snapshot(kb) == before, "the first, good record was not written either"


def test_a_duplicate_pmid_and_a_repeat_within_the_file(kb: Path, tmp_path: Path) -> None:
    import_file(kb, "pubmed", IMPORTS / "pubmed_two.xml")
    before = snapshot(kb)
    with pytest.raises(ImportProblem, match="PMID 39990001 is already in the entry 'muller-tester-2024-mood'"):
        import_file(kb, "pubmed", IMPORTS / "pubmed_two.xml")
    twice = tmp_path / "twice.json"
    one = (IMPORTS / "crossref.json").read_text()
    twice.write_text(f"[{one}, {one}]")
    with pytest.raises(ImportProblem, match=r"record 2.*already in .*twice\.json, record 1"):
        import_file(kb, "doi", twice)
    assert snapshot(kb) == before


def test_bad_records_are_all_listed(kb: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"title": "No DOI", "container-title": "J", "author": [{"family": "A", "given": "B"}], '
                    '"issued": {"date-parts": [[2020]]}}, {"title": "Bad", "DOI": "10.12/x", '
                    '"issued": {"date-parts": [[3021]]}}]')
    with pytest.raises(ImportProblem) as err:
        import_file(kb, "doi", path)
    message = str(err.value)
    assert message.startswith("5 problem(s); nothing was written:")
    for fragment in ("record 1 ('No DOI'): it has no DOI", "record 2 ('Bad'): it has no authors",
                     "record 2 ('Bad'): it has no journal", "year 3021", "'10.12/x' is not 10.<registrant>"):
        assert fragment in message


def test_ids_never_collide_and_id_override(kb: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.ris"
    other.write_text((IMPORTS / "zotero.ris").read_text().replace("10.1000/kbchat.test.0004", "10.1000/other"))
    first = import_file(kb, "doi", IMPORTS / "zotero.ris")[0]
    second = import_file(kb, "doi", other)[0]
    assert (first.id, second.id) == ("alvarez-2023-daily", "alvarez-2023-daily-2")
    third = tmp_path / "third.ris"
    third.write_text(other.read_text().replace("10.1000/other", "10.1000/third"))
    with pytest.raises(ImportProblem, match="--id 'alvarez-2023-daily' is already an entry"):
        import_file(kb, "doi", third, entry_id="alvarez-2023-daily")
    assert import_file(kb, "doi", third, entry_id="alvarez-2023-ema")[0].path.name == "alvarez-2023-ema.md"


@pytest.mark.parametrize(
    ("source", "content", "fragment"),
    [("doi", "Some plain notes about a paper", "neither CSL-JSON, RIS nor BibTeX"),
     ("pubmed", "<PubmedArticleSet><oops></PubmedArticleSet>", "not well-formed XML"),
     ("pubmed", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><PubmedArticleSet>&a;</PubmedArticleSet>',
      "its own DTD")],
)
def test_unreadable_files_write_nothing(kb: Path, tmp_path: Path, source: str, content: str, fragment: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(content)
    before = snapshot(kb)
    with pytest.raises(ImportProblem, match=fragment):
        import_file(kb, source, path)  # type: ignore[arg-type]
    assert snapshot(kb) == before
    with pytest.raises(ImportProblem, match="no file at"):
        import_file(kb, source, tmp_path / "missing.xml")  # type: ignore[arg-type]


def test_a_wrong_kb_folder_is_named_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match=r"no studies/ folder under .*KBCHAT_KB_DIR"):
        import_file(tmp_path / "not-a-kb", "doi", IMPORTS / "zotero.ris")
    assert not (tmp_path / "not-a-kb").exists()

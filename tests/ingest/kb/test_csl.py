"""CSL-JSON (doi.org's and Zotero's) → citations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbchat.ingest.kb.citation import ImportProblem
from kbchat.ingest.kb.csl import read_csl

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def test_reads_a_crossref_item() -> None:
    path = IMPORTS / "crossref.json"
    [c] = read_csl(path, path.read_text())
    assert c.title == "Kratom use and depressive symptoms: a fictional cohort"
    assert c.authors == ["Lindqvist, Sara", "Ng, Wei", "The Test Cohort Group"]
    assert (c.journal, c.year, c.volume, c.issue, c.pages) == ("Journal of Test Addiction Research", 2022, "8", "1",
                                                               "45-52")
    assert c.doi == "10.1000/KBCHAT.TEST.0003"
    assert c.abstract == "In a fictional cohort of 512 adults, depressive symptoms were tracked for a year."


def test_a_list_with_title_lists_and_other_date_fields(tmp_path: Path) -> None:
    items = [{"title": ["A listed title"], "container-title": ["A Journal", "Abbrev"],
              "published-print": {"date-parts": [[2020]]}, "DOI": "https://doi.org/10.1000/x.1", "PMID": "123"},
             {"title": "Second", "container-title": "J", "issued": {"date-parts": [["2018", 1]]}}]
    [a, b] = read_csl(tmp_path / "x.json", json.dumps(items))
    assert (a.title, a.journal, a.year, a.doi, a.pmid) == ("A listed title", "A Journal", 2020, "10.1000/x.1", "123")
    assert b.year == 2018 and b.where.endswith("x.json, record 2")


@pytest.mark.parametrize(("text", "fragment"), [("{not json", "not valid JSON"), ("[1, 2]", "not CSL-JSON"),
                                                ("[]", "not CSL-JSON")])
def test_bad_json_is_named(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ImportProblem, match=fragment):
        read_csl(tmp_path / "x.json", text)

"""The checks a record passes before it becomes a draft."""

from __future__ import annotations

import pytest

from kbchat.ingest.kb.citation import Citation, check_citation, clean_doi, title_case_journal


def good(**changes: object) -> Citation:
    base = Citation(title="T", authors=["A, B"], journal="J", year=2020, doi="10.1000/x", where="f, record 1")
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_a_complete_record_passes() -> None:
    assert check_citation(good()) == []


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [({"doi": "10.1000"}, "DOI '10.1000' is not 10.<registrant>/<suffix>"),
     ({"doi": "", "pmid": "12a"}, "PMID '12a' is not 1-9 digits"),
     ({"year": 1850}, "year 1850 is not a plausible"), ({"year": None}, "no publication year"),
     ({"journal": ""}, "no journal"), ({"authors": []}, "no authors"), ({"title": ""}, "no title"),
     ({"doi": "", "pmid": ""}, "neither a DOI nor a PMID")],
)
def test_each_problem_is_named(changes: dict[str, object], fragment: str) -> None:
    assert any(fragment in p for p in check_citation(good(**changes)))


def test_the_doi_importer_needs_a_doi() -> None:
    assert any("has no DOI" in p for p in check_citation(good(doi="", pmid="123"), need_doi=True))
    assert check_citation(good(doi="", pmid="123")) == []


def test_cleaning() -> None:
    assert clean_doi(" https://doi.org/10.1000/ABC ") == "10.1000/ABC"
    assert clean_doi("doi:10.1/x") == "10.1/x"
    assert title_case_journal("Drug and alcohol dependence") == "Drug and Alcohol Dependence"
    assert title_case_journal("JAMA psychiatry") == "JAMA Psychiatry"
    assert title_case_journal("The journal of the American Medical Association") == \
        "The Journal of the American Medical Association"

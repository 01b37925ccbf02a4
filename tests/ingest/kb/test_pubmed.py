"""PubMed efetch XML → citations: every field the draft needs, read from XML written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbchat.ingest.kb.citation import ImportProblem
from kbchat.ingest.kb.pubmed import read_pubmed

IMPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def test_reads_every_article_with_its_bibliographic_fields() -> None:
    first, second = read_pubmed(IMPORTS / "pubmed_two.xml")
    # Inline markup dropped, the trailing full stop of PubMed titles removed.
    assert first.title == "Mood outcomes among Mitragyna speciosa users: a fictional survey of 321 adults"
    assert first.authors == ["Müller-Tester, Anna B", "Okafor, Chidi"]
    assert first.journal == "Journal of Psychoactive Test Studies", "NLM's sentence case is title-cased"
    assert (first.year, first.volume, first.issue, first.pages) == (2024, "261", "2", "111-119")
    assert (first.doi, first.pmid, first.pmcid) == ("10.1000/kbchat.test.0001", "39990001", "PMC9990001")
    # A structured abstract keeps its labels; the XML escape is decoded.
    assert first.abstract == ("BACKGROUND: Kratom is used by adults who report low mood. "
                              "RESULTS: Of 321 respondents, 40% reported calmer mood & better sleep.")
    assert second.authors == ["Kratom Test Consortium"], "a collective author stays whole"
    assert second.year == 2019, "the year is read from a MedlineDate such as '2019 Nov-Dec'"
    assert second.doi == "10.1000/kbchat.test.0002", "the DOI falls back to the ELocationID"
    assert "Systematic Review" in second.publication_types
    assert second.where.endswith("pubmed_two.xml, record 2")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("xml", "fragment"),
    [
        ("<PubmedArticleSet><PubmedArticle>", "not well-formed XML"),
        ("<html><body>Too many requests</body></html>", "not a PubMed export (its root is <html>"),
        ("<PubmedArticleSet></PubmedArticleSet>", "holds no <PubmedArticle>"),
        ("<PubmedArticleSet><PubmedBookArticle/></PubmedArticleSet>", "1 book record(s): write those entries by hand"),
        ("<PubmedArticleSet><PubmedArticle><PubmedData/></PubmedArticle></PubmedArticleSet>",
         "record 1 has no <MedlineCitation><Article>"),
    ],
)
def test_a_file_that_is_not_an_export_says_what_it_is(tmp_path: Path, xml: str, fragment: str) -> None:
    with pytest.raises(ImportProblem, match=r"export\.xml") as err:
        read_pubmed(write(tmp_path, xml))
    assert fragment in str(err.value)
